"""Notebook 10, monitoring weights: a training-health panel and a diagnosis in words.

* ``HealthPanel``: built once on a figure (or a list of axes), ``update(history)``
  changes its artists in place. Panels: loss, weight norm per layer, gradient
  norm per layer, update-to-weight ratio per layer against the 1e-3 rule of
  thumb, the trajectory of every parameter, a weight histogram over time, and
  the share of dead and saturated hidden units. The playground uses it too.
* ``monitoring_explorer``: learning rate, activation, initial scale and L2
  strength; a step slider replays the run trained once for those settings. Its
  status line is ``health.diagnose``: the warnings a careful practitioner would
  raise, in words.
"""
from collections import OrderedDict

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from .. import experiments, health, network
from ..health import RULE
from ..plots import finite_range, fit_ylim, log_loss_axis, nice_limit, power_of_ten, thin_log_ticks
from . import Explorer, dropdown, figure, slider, words

PANELS = ("loss", "norms", "ratio", "params", "hist", "units")
TITLES = {
    "loss": "loss (training)",
    "norms": "‖W‖ (solid), ‖∂L/∂W‖ (dashed)",
    "ratio": "update / weight  ‖ΔW‖ / ‖W‖",
    "params": "every parameter over time",
    "hist": "weight histogram over time",
    "units": "dead / saturated hidden units",
}
LAYER_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b")
GROUP_CMAPS = {"W": ("Blues", "Reds", "Greens", "Purples"), "b": ("Greys", "Oranges", "YlGn", "RdPu")}


def param_colours(sizes):
    """One colour per parameter: a shade of its group's colour map (W1 blues, W2 reds, biases greys...)."""
    from matplotlib import colormaps
    names = network.flat_names(sizes)
    groups = [n.split("[")[0] for n in names]
    out = []
    for n, g in zip(names, groups):
        members = [m for m, gg in zip(names, groups) if gg == g]
        k = members.index(n)
        cmap = colormaps[GROUP_CMAPS[g[0]][(int(g[1:]) - 1) % 4]]
        out.append(cmap(0.45 + 0.5 * k / max(len(members) - 1, 1)))
    return out


def weight_histograms(params_over_time, mask, edges):
    """Counts (bins, T): how many weights fall in each bin at each recorded step (clipped to the edge bins)."""
    P = np.asarray(params_over_time, dtype=float)[:, mask]
    T, nb = P.shape[0], len(edges) - 1
    if T == 0:
        return np.zeros((nb, 0))
    finite = np.isfinite(P)
    idx = np.clip(np.searchsorted(edges, np.where(finite, P, 0.0), side="right") - 1, 0, nb - 1)
    t = np.broadcast_to(np.arange(T)[:, None], P.shape)
    counts = np.zeros((nb, T))
    np.add.at(counts, (idx[finite], t[finite]), 1.0)
    return counts


class HealthPanel:
    """Training health at a glance; build once, then ``update(history, now=step)``.

    ``target`` is a Figure (the panel fills it), a SubplotSpec (it fills that
    cell) or a sequence of Axes, one per entry of ``panels``.
    """

    def __init__(self, target, sizes=network.DEFAULT_SIZES, panels=PANELS, bins=41, fontsize=8):
        self.sizes, self.panels = network.check_sizes(sizes), tuple(panels)
        unknown = set(self.panels) - set(PANELS)
        if unknown:
            raise ValueError(f"panels {sorted(unknown)} are not known; allowed: {', '.join(PANELS)}")
        self.axes = dict(zip(self.panels, self._make_axes(target)))
        if "params" in self.axes and len(network.flat_names(self.sizes)) <= 16:
            box = self.axes["params"].get_position()     # room on the right for the names of the parameters
            self.axes["params"].set_position([box.x0, box.y0, box.width * 0.8, box.height])
        self.layers = [f"W{l}" for l in range(1, len(self.sizes))]
        self.mask = network.weight_mask(self.sizes)
        self.nbins, self.fontsize = int(bins), fontsize
        self.now_lines = []
        self.lines = {}
        for name, ax in self.axes.items():
            ax.set_title(TITLES[name], fontsize=fontsize + 1, y=1.0, pad=4)   # fixed y: no costly auto-placement
            ax.tick_params(labelsize=fontsize)
            ax.grid(alpha=0.25)
            getattr(self, f"_build_{name}")(ax)
            if name != "hist":
                self.now_lines.append(ax.axvline(0, color="#888", lw=1, ls=":"))
            ax.set_xlabel("step", fontsize=fontsize, labelpad=1)

    def _make_axes(self, target):
        if isinstance(target, (list, tuple)):
            if len(target) != len(self.panels):
                raise ValueError(f"got {len(target)} axes; allowed: one per panel ({len(self.panels)})")
            return list(target)
        n = len(self.panels)
        cols = -(-n // 2) if n > 4 else n
        rows = -(-n // cols)
        if hasattr(target, "add_gridspec"):
            fig = target
            gs = fig.add_gridspec(rows, cols, left=0.07, right=0.985, top=0.94, bottom=0.09, hspace=0.5,
                                  wspace=0.32)
        else:                                        # a SubplotSpec
            fig = target.get_gridspec().figure
            gs = target.subgridspec(rows, cols, hspace=0.6, wspace=0.38)
        return [fig.add_subplot(gs[i // cols, i % cols]) for i in range(n)]

    # building -----------------------------------------------------------------------
    def _layer_lines(self, ax, key, log=True, ls="-", legend=True):
        self.lines[key] = [ax.plot([], [], color=LAYER_COLOURS[i % 5], lw=1.4, ls=ls, label=name)[0]
                           for i, name in enumerate(self.layers)]
        if log:
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())       # fewer tick artists: a faster redraw
            ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
        if legend:                     # the layer names in their colours (cheaper to draw than ax.legend)
            for i, name in enumerate(self.layers):
                ax.text(0.97 - 0.15 * (len(self.layers) - 1 - i), 0.04, name, transform=ax.transAxes, ha="right",
                        va="bottom", fontsize=self.fontsize, color=LAYER_COLOURS[i % 5], fontweight="bold")

    def _build_loss(self, ax):
        self.lines["loss"] = ax.plot([], [], color="#333", lw=1.4)[0]
        ax.set_yscale("log")
        log_loss_axis(ax)

    def _build_norms(self, ax):
        self._layer_lines(ax, "norms")
        self._layer_lines(ax, "grads", ls="--", legend=False)

    def _build_ratio(self, ax):
        ax.axhspan(RULE / 10, RULE * 10, color="#2ca02c", alpha=0.12, lw=0)
        ax.axhline(RULE, color="#2ca02c", lw=1.2, ls="--")
        ax.text(0.98, RULE / 1.3, "1e-3 rule of thumb", transform=ax.get_yaxis_transform(),
                fontsize=self.fontsize - 1, color="#1b7a1b", va="top", ha="right")
        self._layer_lines(ax, "ratio", legend="norms" not in self.panels)   # else the norms panel names them

    def _build_params(self, ax):
        names = network.flat_names(self.sizes)
        self.param_lines = LineCollection([], linewidths=1.1, colors=param_colours(self.sizes))
        ax.add_collection(self.param_lines)
        colours = param_colours(self.sizes)
        self.param_labels = []
        if len(names) <= 16:
            # A hand-made legend (a short line and a name per parameter) draws far faster than ax.legend.
            step = min(0.075, 1.0 / len(names))
            for k, (name, c) in enumerate(zip(names, colours)):
                y = 1.0 - (k + 0.5) * step
                ax.plot([1.03, 1.1], [y, y], transform=ax.transAxes, clip_on=False, color=c, lw=1.5)
                self.param_labels.append(ax.text(1.12, y, name, transform=ax.transAxes, fontsize=self.fontsize - 1.5,
                                                 va="center"))
        else:
            groups = network.param_names(self.sizes)
            handles = [Line2D([], [], color=colours[[n.split("[")[0] for n in names].index(g)], lw=1.5, label=g)
                       for g in groups]
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.02), fontsize=self.fontsize - 1,
                      handlelength=1.0, frameon=False)
        ax.axhline(0, color="#aaa", lw=0.8)

    def _build_hist(self, ax):
        self.hist_image = ax.imshow(np.zeros((self.nbins, 2)), origin="lower", aspect="auto", cmap="Blues",
                                    extent=(0, 1, -1, 1), interpolation="nearest", vmin=0, vmax=1)
        ax.set_ylabel("weight value", fontsize=self.fontsize, labelpad=1)
        ax.grid(False)
        self.hist_now = ax.axvline(0, color="#d62728", lw=1, ls=":")

    def _build_units(self, ax):
        self.lines["dead"] = ax.plot([], [], color="#d62728", lw=1.4, label="dead (f′=0 on all samples)")[0]
        self.lines["saturated"] = ax.plot([], [], color="#9467bd", lw=1.4, label="saturated (f′≈0 on 90%)")[0]
        ax.set_ylim(-0.04, 1.04)
        ax.set_ylabel("share of hidden units", fontsize=self.fontsize, labelpad=1)
        for y, text, colour in ((0.62, "dead: f′(z) = 0 on all samples", "#d62728"),
                                (0.52, "saturated: f′(z) ≈ 0 on 90%", "#9467bd")):
            ax.text(0.04, y, text, transform=ax.transAxes, fontsize=self.fontsize - 0.5, color=colour)

    # updating -----------------------------------------------------------------------
    def update(self, history, now=None):
        """Show ``history`` (a single network's History); ``now`` marks a step (default: the last)."""
        steps = np.asarray(history.steps, dtype=float)
        T = len(steps)
        x1 = max(float(steps[-1]) if T else 1.0, 1.0)
        now = float(steps[-1]) if (now is None and T) else float(now or 0.0)
        for ax in self.axes.values():
            ax.set_xlim(0, x1)
        for line in self.now_lines:
            line.set_xdata([now, now])
        if "loss" in self.axes:
            loss = history.loss if T else np.zeros(0)
            self.lines["loss"].set_data(steps, loss)
            self._ylim(self.axes["loss"], loss, log=True)
            thin_log_ticks(self.axes["loss"])
        for key, fields in (("norms", ("weight_norm", "grad_norm")), ("ratio", ("update_ratio",))):
            if key not in self.axes:
                continue
            shown = []
            for field, lines in zip(fields, (self.lines[key], self.lines.get("grads"))):
                data = getattr(history, field) if T else np.zeros((0, len(self.layers)))
                data = np.asarray(data, dtype=float).reshape(T, len(self.layers))
                data = np.where(data > 0, data, np.nan)          # a log axis cannot show 0 (no update)
                for i, line in enumerate(lines):
                    line.set_data(steps, data[:, i])
                shown.append(data)
            self._ylim(self.axes[key], np.concatenate([d.ravel() for d in shown]), log=True,
                       floor=RULE / 30 if key == "ratio" else None, ceil=RULE * 30 if key == "ratio" else None)
        params = history.params if T else None
        if params is not None and np.ndim(params) != 2:
            params = None
        if "params" in self.axes:
            ax = self.axes["params"]
            if params is None or not len(params):
                self.param_lines.set_segments([])
            else:
                P = np.asarray(params, dtype=float)
                self.param_lines.set_segments([np.column_stack([steps, P[:, j]]) for j in range(P.shape[1])])
                r = finite_range(P)
                if r:
                    pad = 0.08 * (r[1] - r[0]) + 0.05
                    ax.set_ylim(r[0] - pad, r[1] + pad)
        if "hist" in self.axes:
            self._update_hist(params, steps, now, x1)
        if "units" in self.axes:
            self.lines["dead"].set_data(steps, history.dead if T else [])
            self.lines["saturated"].set_data(steps, history.saturated if T else [])

    def _update_hist(self, params, steps, now, x1):
        ax = self.axes["hist"]
        if params is None or not len(params):
            self.hist_image.set_data(np.zeros((self.nbins, 2)))
            self.hist_image.set_extent((0, x1, -1, 1))
            ax.set_ylim(-1, 1)
            return
        W = np.asarray(params, dtype=float)[:, self.mask]
        big = np.nanmax(np.where(np.isfinite(W), np.abs(W), np.nan)) if np.isfinite(W).any() else 1.0
        lim = max(1.0, np.ceil(2.2 * big) / 2) if np.isfinite(big) and big < 20 else nice_limit(big * 1.02)
        edges = np.linspace(-lim, lim, self.nbins + 1)
        counts = weight_histograms(params, self.mask, edges)
        self.hist_image.set_data(counts / max(1, self.mask.sum()))
        self.hist_image.set_clim(0, max(0.05, 0.6 * float(counts.max()) / max(1, self.mask.sum())))
        self.hist_image.set_extent((0, max(float(steps[-1]), 1.0), -lim, lim))
        ax.set_ylim(-lim, lim)
        self.hist_now.set_xdata([now, now])

    def _ylim(self, ax, values, log=False, floor=None, ceil=None):
        default = (floor or 1e-3, ceil or 1.0) if log else (0.0, 1.0)
        fit_ylim(ax, values, log=log, factor=2.0, min_ratio=4.0, lowest=1e-12, floor=floor, ceil=ceil,
                 default=default)


# ---------------------------------------------------------------------------------------
# The explorer
# ---------------------------------------------------------------------------------------
STRENGTHS = [("0 (off)", 0.0), ("0.0001", 1e-4), ("0.001", 1e-3), ("0.01", 1e-2), ("0.1", 0.1)]
ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")


class MonitoringExplorer(Explorer):
    """Settings on the left, a step slider to replay the run; the health panel and a diagnosis in words.

    Each combination of settings is trained once (``steps`` steps, every step
    recorded) and kept; the step slider only moves the 'now' marker and the
    network diagram through the recorded run.
    """

    def __init__(self, lr=10 ** -0.5, activation="tanh", scale=1.0, lam=0.0, steps=300, dataset="moons", seed=0,
                 cache_size=64):
        self.steps, self.dataset, self.seed, self.cache_size = steps, dataset, seed, cache_size
        self.cache = OrderedDict()
        fig = figure(9.6, 5.4)
        gs = fig.add_gridspec(2, 3, left=0.065, right=0.985, top=0.945, bottom=0.09, hspace=0.5, wspace=0.32)
        axes = [fig.add_subplot(gs[i // 3, i % 3]) for i in range(6)]
        self.panel = HealthPanel(axes, (2, 3, 1), panels=("loss", "norms", "ratio", "params", "hist", "units"))
        for ax in axes:
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        controls = {
            "lr": slider("learning rate (log scale)", -4, 2, lr, step=0.25, log=True, continuous_update=False),
            "activation": dropdown("activation", ACTIVATIONS, activation),
            "scale": slider("initial scale (× Xavier, log scale)", -2, 2, scale, step=0.25, log=True,
                            continuous_update=False),
            "lam": dropdown("L2 strength λ", STRENGTHS, lam),
            "step": slider("replay: step", 0, steps, steps, integer=True),
        }
        super().__init__(fig, controls, title="Training health of a 2-3-1 network on the moons")

    def history_for(self, key):
        """The History of the run with settings ``key`` = (lr, activation, scale, lam): trained once, then kept."""
        if key not in self.cache:
            tr, _ = experiments.run(*key, steps=self.steps + 1, dataset=self.dataset, seed=self.seed)
            self.cache[key] = tr.history
            while len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        self.cache.move_to_end(key)
        return self.cache[key]

    def update(self):
        c = self.controls
        key = (float(c["lr"].value), c["activation"].value, float(c["scale"].value), float(c["lam"].value))
        h = self.history_for(key)
        want = int(c["step"].value)
        i = int(np.clip(np.searchsorted(h.steps, want, side="right") - 1, 0, len(h) - 1))
        now = int(h.steps[i])
        self.panel.update(h, now=want)
        x1 = self.steps if not h.diverged else max(int(h.steps[-1]) + 1, 5)   # a diverged run: zoom to its steps
        for ax in self.panel.axes.values():
            ax.set_xlim(0, x1)
        warnings = health.diagnose(h, activation=key[1])
        head = f"Step {now} of {self.steps}: loss {h.loss[i]:.3g}, update ratio W1 {h.update_ratio[i, 0]:.2g}. "
        if want > now:
            head = f"The run stopped at step {now} (slider at {want}). "
        if not warnings:
            return words(head + health.summary_sentence(h), "ok")
        kind = "error" if h.diverged else "warn"
        return words(head + "<br>" + "<br>".join("⚠ " + w for w in warnings), kind)


def monitoring_explorer(**settings):
    """The training-health panel of one run (settings: see ``MonitoringExplorer``)."""
    return MonitoringExplorer(**settings)
