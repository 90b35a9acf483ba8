"""Notebook 10, monitoring weights: a training-health panel and a diagnosis in words.

* ``HealthPanel``: built once on a figure (or a list of axes), ``update(history)``
  changes its artists in place. Panels: loss, weight norm per layer, gradient
  norm per layer, update-to-weight ratio per layer against the 1e-3 rule of
  thumb, the trajectory of every parameter, a weight histogram over time, and
  the share of dead and saturated hidden units. The playground uses it too.
* ``monitoring_explorer``: learning rate, activation, initial scale and L2
  strength; a step slider replays the run trained once for those settings. Its
  status line is ``health.diagnose``: the warnings a careful practitioner would
  raise, in words (divergence with its reason, identical units, runaway weights,
  updates too large or too small, dead and saturated units).
"""
import weakref
from collections import OrderedDict

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from .. import experiments, health, network
from ..health import RULE
from ..plots import OKABE_ITO, finite_range, fit_ylim, log_loss_axis, nice_limit, power_of_ten, thin_log_ticks
from . import Explorer, dropdown, escape, figure, slider, words

PANELS = ("loss", "norms", "ratio", "params", "hist", "units")
TITLES = {
    "loss": "loss (training)",
    "norms": "‖W‖, and ‖∂L/∂W‖ with dots",
    "ratio": "update / weight  ‖ΔW‖ / ‖W‖",
    "params": "every parameter over time",
    "hist": "weight histogram over time",
    "units": "dead / saturated hidden units",
}
# Weight layer l: an Okabe-Ito colour and a line style of its own (colour alone would not tell every reader
# the layers apart); the biases b1, b2, ... get colours of their own and dotted lines.
LAYER_STYLES = ((OKABE_ITO["blue"], "-"), (OKABE_ITO["vermillion"], "--"), (OKABE_ITO["black"], "-."),
                (OKABE_ITO["purple"], (0, (5, 1, 1, 1, 1, 1))))
BIAS_COLOURS = (OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["purple"], OKABE_ITO["green"])
UNIT_STYLES = {"dead": (OKABE_ITO["black"], "-"), "saturated": (OKABE_ITO["orange"], "--")}
RULE_COLOUR = "#8a8a8a"


def layer_style(l):
    """(colour, line style) of weight layer ``l`` (1, 2, ...) in every panel."""
    return LAYER_STYLES[(l - 1) % len(LAYER_STYLES)]


def family_style(name):
    """(colour, line style) of a parameter family: 'W2' as its layer, 'b2' its own colour, dotted."""
    l = int(name[1:])
    return layer_style(l) if name[0] == "W" else (BIAS_COLOURS[(l - 1) % len(BIAS_COLOURS)], ":")


def param_styles(sizes):
    """(colours, line styles) of every single parameter, in the order of ``network.flat_names``: each
    parameter drawn as its family (W1, b1, W2, ...)."""
    styles = [family_style(n.split("[")[0]) for n in network.flat_names(sizes)]
    return [c for c, _ in styles], [ls for _, ls in styles]


def _rule_label(v, _=None):
    """Tick labels of the ratio panel: powers of ten, the 1e-3 rule of thumb named."""
    text = power_of_ten(v)
    return f"rule {text}" if text and abs(np.log10(v) - np.log10(RULE)) < 1e-9 else text


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
        if "params" in self.axes:
            box = self.axes["params"].get_position()     # room on the right for the key of the families
            self.axes["params"].set_position([box.x0, box.y0, box.width * 0.8, box.height])
        self.layers = [f"W{l}" for l in range(1, len(self.sizes))]
        self.mask = network.weight_mask(self.sizes)
        self.nbins, self.fontsize = int(bins), fontsize
        self.now_lines = []
        self.lines, self.notes = {}, {}
        for name, ax in self.axes.items():
            ax.set_title(TITLES[name], fontsize=fontsize + 1, y=1.0, pad=4)   # fixed y: no costly auto-placement
            ax.tick_params(labelsize=fontsize)
            ax.grid(alpha=0.25)
            getattr(self, f"_build_{name}")(ax)
            if name != "hist":
                self.now_lines.append(ax.axvline(0, color="#888", lw=1, ls=":", zorder=0))
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
    def _layer_lines(self, ax, key, log=True, dots=False, named=False):
        """One line per weight layer in its colour and line style; ``dots`` marks them (the gradient norms);
        ``named`` draws a key: a short line and the name of each layer."""
        marks = dict(marker="o", markersize=2.6, lw=0.9) if dots else dict(lw=1.5)
        self.lines[key] = [ax.plot([], [], color=layer_style(l)[0], ls=layer_style(l)[1], label=name, **marks)[0]
                           for l, name in enumerate(self.layers, start=1)]
        if log:
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())       # fewer tick artists: a faster redraw
            ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
        if named:                      # a hand-made key (far cheaper to draw than ax.legend)
            self._key(ax, [(name, *layer_style(l)) for l, name in enumerate(self.layers, start=1)])

    def _key(self, ax, entries, outside=False):
        """Short line samples with names, off the data: left and right of the x label (a second row below for
        a third and fourth), or with ``outside`` in a column right of the axes."""
        n = len(entries)
        spots = [(1.03, 1.0 - (k + 0.5) * min(0.11, 0.9 / n)) for k in range(n)] if outside else \
            [(0.63 * (k % 2), -0.17 - 0.11 * (k // 2)) for k in range(n)]
        for (name, colour, ls), (x0, y0) in zip(entries, spots):
            ax.plot([x0, x0 + 0.08], [y0, y0], transform=ax.transAxes, clip_on=False, color=colour, ls=ls, lw=1.5)
            ax.text(x0 + 0.1, y0, name, transform=ax.transAxes, fontsize=self.fontsize - (1.5 if outside else 0.5),
                    va="center", ha="left", color="#222")

    def _note(self, ax):
        """A line of text inside the panel, for what its log scale cannot show (set by ``update``)."""
        return ax.text(0.03, 0.95, "", transform=ax.transAxes, fontsize=self.fontsize - 0.5, va="top",
                       color="#222", bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))

    def _build_loss(self, ax):
        self.lines["loss"] = ax.plot([], [], color=OKABE_ITO["black"], lw=1.4)[0]
        ax.set_yscale("log")
        log_loss_axis(ax)

    def _build_norms(self, ax):
        self._layer_lines(ax, "norms", named=True)
        self._layer_lines(ax, "grads", dots=True)
        self.notes["norms"] = self._note(ax)

    def _build_ratio(self, ax):
        ax.axhspan(RULE / 10, RULE * 10, color=RULE_COLOUR, alpha=0.15, lw=0)
        ax.axhline(RULE, color=RULE_COLOUR, lw=1.0, ls=(0, (1, 2)))
        self._layer_lines(ax, "ratio", named="norms" not in self.panels)     # else the norms key names them
        ax.yaxis.set_major_formatter(FuncFormatter(_rule_label))
        self.notes["ratio"] = self._note(ax)

    def _build_params(self, ax):
        """Every parameter, drawn as its family (W1, b1, W2, b2, ...): a key of at most two entries per layer."""
        colours, styles = param_styles(self.sizes)
        self.param_lines = LineCollection([], linewidths=1.1, colors=colours, linestyles=styles)
        ax.add_collection(self.param_lines)
        names = network.flat_names(self.sizes)
        families = network.param_names(self.sizes)
        counts = {f: sum(n.split("[")[0] == f for n in names) for f in families}
        self.param_families = [f"{f} ({counts[f]})" for f in families]
        self._key(ax, [(label, *family_style(f)) for label, f in zip(self.param_families, families)], outside=True)
        ax.axhline(0, color="#aaa", lw=0.8)

    def _build_hist(self, ax):
        self.hist_image = ax.imshow(np.zeros((self.nbins, 2)), origin="lower", aspect="auto", cmap="Blues",
                                    extent=(0, 1, -1, 1), interpolation="nearest", vmin=0, vmax=1)
        ax.set_ylabel("weight value", fontsize=self.fontsize, labelpad=1)
        ax.grid(False)
        self.hist_now = ax.axvline(0, color="#333", lw=1, ls=":")

    def _build_units(self, ax):
        for name in ("dead", "saturated"):
            colour, ls = UNIT_STYLES[name]
            self.lines[name] = ax.plot([], [], color=colour, ls=ls, lw=1.5, label=name)[0]
        ax.set_ylim(-0.04, 1.04)
        ax.set_ylabel("share of hidden units", fontsize=self.fontsize, labelpad=1)
        self._key(ax, [(name, *UNIT_STYLES[name]) for name in ("dead", "saturated")])

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
        self._update_log_panels(history, steps)
        params = history.params if T else None
        if params is not None and np.ndim(params) != 2:
            params = None
        if "params" in self.axes:
            self._update_params(params, steps)
        if "hist" in self.axes:
            self._update_hist(params, steps, now, x1)
        if "units" in self.axes:
            self.lines["dead"].set_data(steps, history.dead if T else [])
            self.lines["saturated"].set_data(steps, history.saturated if T else [])

    def _update_log_panels(self, history, steps):
        """Norms and ratios per layer on log axes; a note names the layers whose values are all 0 (a log
        scale cannot show 0: all-zero weights, no gradient, or no update)."""
        T, L = len(steps), len(self.layers)
        for key, fields in (("norms", ("weight_norm", "grad_norm")), ("ratio", ("update_ratio",))):
            if key not in self.axes:
                continue
            shown = []
            for field, lines in zip(fields, (self.lines[key], self.lines.get("grads"))):
                data = getattr(history, field) if T else np.zeros((0, L))
                data = np.asarray(data, dtype=float).reshape(T, L)
                data = np.where(data > 0, data, np.nan)          # a log axis cannot show 0 (no update)
                for i, line in enumerate(lines):
                    line.set_data(steps, data[:, i])
                    if line.get_marker() != "None":      # about ten dots per line (a float markevery fails on NaN)
                        line.set_markevery((i * max(1, T // 30), max(1, T // 10)))
                shown.append(data)
            self._ylim(self.axes[key], np.concatenate([d.ravel() for d in shown]), log=True,
                       floor=RULE / 30 if key == "ratio" else None, ceil=RULE * 30 if key == "ratio" else None)
            self.notes[key].set_text(self._zero_note(history, key, shown) if T else "")

    def _zero_note(self, history, key, shown):
        """Words for the layers a log panel cannot draw because their values are 0 at every recorded step."""
        blank = [[name for i, name in enumerate(self.layers) if not np.isfinite(d[:, i]).any()] for d in shown]
        if key == "norms":
            lines = [f"{what} = 0 throughout: {', '.join(names)}"
                     for what, names in (("‖W‖", blank[0]), ("‖∂L/∂W‖", blank[1])) if names]
            return "\n".join(lines + ["(0 is off a log scale)"]) if lines else ""
        if not blank[0]:
            return ""
        norms = np.asarray(history.weight_norm, dtype=float).reshape(len(history), -1)
        zero_w = [n for n in blank[0] if not np.any(norms[:, self.layers.index(n)])]
        moving = [n for n in blank[0] if n not in zero_w]
        parts = ([f"no ratio for {', '.join(zero_w)}: ‖W‖ = 0"] if zero_w else []) + \
                ([f"{', '.join(moving)}: ΔW = 0, no update"] if moving else [])
        return "\n".join(parts)

    def _update_params(self, params, steps):
        ax = self.axes["params"]
        if params is None or not len(params):
            self.param_lines.set_segments([])
            return
        P = np.asarray(params, dtype=float)
        self.param_lines.set_segments([np.column_stack([steps, P[:, j]]) for j in range(P.shape[1])])
        r = finite_range(P)
        if r:
            pad = 0.08 * (r[1] - r[0]) + 0.05
            ax.set_ylim(r[0] - pad, r[1] + pad)

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


def number(value, spec=".3g"):
    """A number for a status line: formatted with ``spec`` when finite, else in words (never 'nan')."""
    v = float(value)
    if np.isfinite(v):
        return format(v, spec)
    return "undefined (not a number)" if np.isnan(v) else ("infinite" if v > 0 else "minus infinite")


def warning_lines(warnings, limit=None):
    """Warnings from ``health.diagnose`` as escaped HTML lines, each behind a warning sign."""
    return ["⚠ " + escape(w, limit=2000) for w in warnings[:limit]]


_LIVE = {}


def retire_previous(explorer, fig):
    """Close the figure and widgets of the last explorer of the same class (re-running a notebook cell
    makes a new one; the old one would otherwise stay open, figure and all), and remember this one, whose
    figure ``fig`` stays open even if it is the old one's."""
    key = type(explorer).__name__
    old = _LIVE.get(key)
    old = old() if old is not None else None
    if old is not None and old is not explorer:
        old.close(keep=fig)
    _LIVE[key] = weakref.ref(explorer)


def dispose(explorer, keep=None):
    """Close an explorer's figure (unless it is ``keep``, a figure handed on to a new explorer) and every
    widget it shows."""
    if explorer.fig is not keep:
        plt.close(explorer.fig)
    stack = [explorer.widget]
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()))
        stack.extend(x for x in (getattr(w, "layout", None), getattr(w, "style", None)) if x is not None)
        w.close()


class MonitoringExplorer(Explorer):
    """Settings on the left, a step slider to replay the run; the health panel and a diagnosis in words.

    Each combination of settings is trained once (``steps`` steps, every step recorded) and kept
    (the last ``cache_size`` of them, about 0.5 MB each); the step slider only moves the 'now'
    marker through the recorded run. A new explorer closes the previous one (see ``retire_previous``).
    """

    TRIES = {"lr": (1e-4, 10 ** -0.5, 10.0, 100.0), "activation": ("tanh", "relu"), "scale": (0.01, 100.0),
             "lam": (0.01,)}
    TRAINING_CONTROLS = ("lr", "activation", "scale", "lam")

    def __init__(self, lr=10 ** -0.5, activation="tanh", scale=1.0, lam=0.0, steps=300, dataset="moons", seed=0,
                 cache_size=32):
        self.steps, self.dataset, self.seed, self.cache_size = steps, dataset, seed, cache_size
        self.cache = OrderedDict()
        fig = figure(9.6, 5.4)
        gs = fig.add_gridspec(2, 3, left=0.065, right=0.985, top=0.945, bottom=0.1, hspace=0.55, wspace=0.32)
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
        self.start = {k: w.value for k, w in controls.items()}
        self.last_good, self.note = None, None
        retire_previous(self, fig)
        super().__init__(fig, controls, title="Training health of a 2-3-1 network on the moons")
        button = widgets.Button(description="reset", tooltip="every control back to where it started")
        button.on_click(lambda _: self.reset())
        self.add_row(button)

    def reset(self):
        """Every control back to where it started, then redraw once."""
        return self.set(**self.start)

    def close(self, keep=None):
        """Close the figure (unless it is ``keep``) and the widgets (the cached runs go with the explorer)."""
        dispose(self, keep)
        self.cache.clear()

    def history_for(self, key):
        """The History of the run with settings ``key`` = (lr, activation, scale, lam): trained once, then kept."""
        if key not in self.cache:
            tr, _ = experiments.run(*key, steps=self.steps + 1, dataset=self.dataset, seed=self.seed)
            self.cache[key] = tr.history
            while len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        self.cache.move_to_end(key)
        return self.cache[key]

    def _key(self):
        """(lr, activation, scale, lam) from the controls; a slider set to NaN from Python goes back to its last
        good value, and the status line says so."""
        c = self.controls
        bad = [k for k in ("lr", "scale") if not np.isfinite(float(c[k].value))]
        if bad and self.last_good is not None:
            with self.holding():
                for k in bad:
                    c[k].value = self.last_good[0 if k == "lr" else 2]
            self.note = (f"The {' and '.join(NAMES[k] for k in bad)} slider was set to a value that is not a number; "
                         "it is back where it was.")
        elif bad:
            with self.holding():
                for k in bad:
                    c[k].value = self.start[k]
        self.last_good = (float(c["lr"].value), c["activation"].value, float(c["scale"].value), float(c["lam"].value))
        return self.last_good

    def update(self):
        key = self._key()
        note, self.note = self.note, None
        h = self.history_for(key)
        want = int(self.controls["step"].value)
        i = int(np.clip(np.searchsorted(h.steps, want, side="right") - 1, 0, len(h) - 1))
        now = int(h.steps[i])
        self.panel.update(h, now=want)
        x1 = self.steps if not h.diverged else max(int(h.steps[-1]) + 1, 5)   # a diverged run: zoom to its steps
        for ax in self.panel.axes.values():
            ax.set_xlim(0, x1)
        warnings = health.diagnose(h, activation=key[1])
        head = (f"Step {now} of {self.steps}: loss {number(h.loss[i])}, update ratio W1 "
                f"{number(h.update_ratio[i, 0], '.2g')}. ")
        if want > now:
            head = f"The run stopped at step {now} (slider at {want}). "
        if note:
            head = note + "<br>" + head
        if not warnings:
            return words(head + escape(health.summary_sentence(h), limit=2000), "ok")
        kind = "error" if h.diverged else "warn"
        return words(head + "<br>" + "<br>".join(warning_lines(warnings)), kind)


NAMES = {"lr": "learning rate", "scale": "initial scale"}


def monitoring_explorer(**settings):
    """The training-health panel of one run (settings: see ``MonitoringExplorer``)."""
    return MonitoringExplorer(**settings)
