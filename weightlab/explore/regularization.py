"""Notebook 09, L1 and L2 regularisation: three explorers.

* ``regularisation_explorer``: an L1/L2 switch and a penalty-strength slider
  applied to a RUNNING network (training continues from its current weights),
  with loss curves, decision boundary, weight histogram and network diagram.
* ``strength_sweep_explorer``: validation loss against penalty strength (the U
  curve) from a population of networks trained at once, one strength each
  (``experiments.sweep``).
* ``penalty_geometry_explorer``: a two-weight linear model (``weightlab.quadratic``);
  the L1 diamond and the L2 circle meet the elliptical loss contours, and L1 lands
  on an axis.
"""
import functools

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, MultipleLocator, NullLocator

from .. import experiments, network, plots, problems, quadratic, regularization
from ..training import Trainer
from . import Explorer, figure, slider, toggle, words

OKABE = plots.OKABE_ITO
L1_COLOUR, L2_COLOUR, ZERO_COLOUR = OKABE["vermillion"], OKABE["blue"], OKABE["vermillion"]
TRAIN_COLOUR, VAL_COLOUR = OKABE["black"], OKABE["orange"]
PENALTY_OPTIONS = [("off (λ = 0)", "none"), ("L2", "l2"), ("L1", "l1")]
PENALTY_WORDS = {"none": "no penalty", "l2": "L2", "l1": "L1"}


class Resettable:
    """``reset()`` puts every control back to the value it had when the explorer was built."""

    def remember_defaults(self, controls):
        self.defaults = {k: c.value for k, c in controls.items()}

    def restore_controls(self):
        with self.holding():
            for name, value in self.defaults.items():
                self.controls[name].value = value

    def reset(self):
        """Every control back to where it started."""
        self.restore_controls()
        self.refresh()


def setting_label(kind, lam):
    """'L2, λ=0.01' or 'off' — used for the marks on the loss curve."""
    return "off" if kind == "none" else f"{PENALTY_WORDS[kind]}, λ={lam:.2g}"


# ---------------------------------------------------------------------------------------
# 1. The running model
# ---------------------------------------------------------------------------------------
class RegularisationExplorer(Resettable, Explorer):
    """Change the penalty and its strength while the network trains; nothing is reset.

    Every change sets ``trainer.penalty`` / ``trainer.lam`` and trains
    ``steps_per_change`` more steps from the current weights (L1 uses the
    proximal step, which can land on exactly 0). "reset" puts every control back
    and starts again from the initial random weights, training ``warmup`` steps.
    ``trainer`` is the running Trainer, ``marks`` the (step, label) of every change.
    """

    TRIES = {"penalty": ("none", "l2", "l1"), "lam": (0.0001, 0.01, 1.0)}
    TRAINING_CONTROLS = ("penalty", "lam")

    def __init__(self, sizes=(2, 16, 1), lr=0.5, steps_per_change=150, warmup=1200, penalty="none", lam=0.01,
                 seed=0, data=None):
        self.data = d = problems.noisy_moons() if data is None else data
        self.lr, self.steps_per_change, self.warmup = lr, steps_per_change, warmup
        self.init = network.init_params(sizes, seed=seed)
        fig = figure(9.0, 6.0)
        gs = fig.add_gridspec(2, 2, width_ratios=[1.25, 1], hspace=0.35, wspace=0.22,
                              left=0.08, right=0.96, top=0.95, bottom=0.08)
        self.ax_loss, ax_boundary = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
        self.ax_hist, ax_net = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])
        self._build_loss(self.ax_loss)
        self.boundary = plots.BoundaryView(ax_boundary, d.X, d.y, n=50)
        ax_boundary.scatter(d.X_val[:, 0], d.X_val[:, 1], s=16, marker="x", linewidths=1,
                            c=[plots.CLASS_COLOURS[int(v)] for v in d.y_val], zorder=3)
        ax_boundary.set_title("boundary (•: training, ×: validation)", fontsize=9)
        ax_boundary.set_xticks([])
        ax_boundary.set_yticks([])
        ax_boundary.set_xlabel("")
        ax_boundary.set_ylabel("")
        self._build_weights(self.ax_hist, ax_net, sizes)
        controls = {
            "penalty": toggle("penalty", PENALTY_OPTIONS, value=penalty),
            "lam": slider("penalty strength λ (log scale)", -4, 0, lam, log=True, continuous_update=False),
        }
        self.remember_defaults(controls)
        self.start()
        super().__init__(fig, controls, title="Penalise the weights of a running network")
        plots.pin_titles_and_labels(fig)        # placed once: less work at every redraw
        self.buttons = {
            "train_more": widgets.Button(description=f"train {steps_per_change} more steps",
                                         layout={"width": "200px"}),
            "reset": widgets.Button(description="reset (new start)", layout={"width": "160px"}),
        }
        self.buttons["train_more"].on_click(lambda _: self.refresh())
        self.buttons["reset"].on_click(lambda _: self.reset())
        self.add_row(self.buttons["train_more"], self.buttons["reset"])

    def _build_loss(self, ax_loss):
        """Training and validation loss against step, with a dotted mark at every change of setting."""
        self.curves = plots.LossCurves(ax_loss, val=True, log=False)
        self.curves.train.set(color=TRAIN_COLOUR, ls="--")
        self.curves.val.set(color=VAL_COLOUR)
        ax_loss.grid(False)                         # less to draw at every change
        ax_loss.set_title("loss: training (dashed), validation (solid)", fontsize=9)
        ax_loss.get_legend().remove()
        ax_loss.yaxis.set_major_locator(MaxNLocator(3))
        ax_loss.xaxis.set_major_locator(MaxNLocator(3, integer=True))
        ax_loss.set_ylabel("")
        ax_loss.tick_params(labelsize=8)
        self.mark_lines = LineCollection([], colors="#888", linestyles=":", linewidths=1.2)
        ax_loss.add_collection(self.mark_lines)
        self.mark_text = [ax_loss.text(0, 0, "", rotation=90, fontsize=7, color="#444", va="top", ha="left",
                                       bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.7),
                                       transform=ax_loss.get_xaxis_transform()) for _ in range(3)]

    def _build_weights(self, ax_hist, ax_net, sizes):
        """A histogram of the weights with a red bar for those exactly 0, and the network diagram."""
        bins = np.linspace(-3.1, 3.1, 32)          # 31 bins of 0.2, one centred on 0
        self.hist = plots.Histogram(ax_hist, bins, color="#777", label="not zero")
        self.zero_bar = ax_hist.bar([0.0], [0], width=bins[1] - bins[0], color=ZERO_COLOUR, alpha=0.9,
                                    label="exactly 0")[0]      # one bar: the weights that are exactly 0
        ax_hist.set_title(f"how many of the {sum(a * b for a, b in zip(sizes, sizes[1:]))} weights; "
                          "red: exactly 0", fontsize=9)
        ax_hist.set_xlabel("weight value", fontsize=9)
        ax_hist.set_xticks([-3, 0, 3])
        ax_hist.yaxis.set_major_locator(MaxNLocator(3, integer=True))
        ax_hist.tick_params(labelsize=8)
        self.diagram = plots.NetworkDiagram(ax_net, sizes=sizes, show_values=False, max_width=4.0)
        self.diagram.nodes.set_sizes(np.full(sum(sizes), 40.0 if max(sizes) > 8 else 150.0))
        for t in self.diagram.node_text:
            t.set_visible(False)
        ax_net.set_title("width |w|; red +, blue −, grey: exactly 0", fontsize=9)

    def start(self):
        """A fresh Trainer from the initial weights; the next redraw trains ``warmup`` steps."""
        d = self.data
        self.trainer = Trainer(self.init, d.X, d.y, lr=self.lr, X_val=d.X_val, y_val=d.y_val,
                               record_every=25, record_params=False)
        self.marks = []              # (step, label) of every change of setting
        self.applied = None
        self.pending = self.warmup
        self.before = None           # mean |w| when the current setting began

    def reset(self):
        """Every control back where it started, and training again from the initial weights (``warmup`` steps)."""
        self.restore_controls()
        self.start()
        self.refresh()

    def update(self):
        tr = self.trainer
        kind = self.controls["penalty"].value
        strength = float(self.controls["lam"].value)
        setting = (kind, strength if kind != "none" else 0.0)
        if setting != self.applied:
            tr.penalty, tr.lam = kind, setting[1]
            self.marks.append((tr.t, setting_label(*setting)))
            self.applied = setting
            self.before = float(np.mean(np.abs(regularization.weight_vector(tr.current))))
        fresh = tr.t == 0
        n, self.pending = self.pending or self.steps_per_change, None
        start_step = tr.t
        tr.step(n)
        self._draw_loss(start_step)
        w, n_zero = self._draw_weights(tr.current)
        return words(status_text(tr, kind, setting[1], w, n_zero, n, self.before, fresh),
                     "error" if tr.diverged else "info")

    def _draw_loss(self, start_step):
        h = self.trainer.history
        self.curves.update(h.steps, h.loss, h.val_loss, now=start_step)
        both = np.concatenate([h.loss, h.val_loss])
        both = both[np.isfinite(both)]
        self.ax_loss.set_ylim(0, 1.05 * max(float(both.max()) if both.size else 1.0, 0.75))
        self.mark_lines.set_segments([[(s, 1e-9), (s, 1e9)] for s, _ in self.marks])
        shown = self.marks[-len(self.mark_text):]
        for i, txt in enumerate(self.mark_text):
            if i < len(shown):
                txt.set_position((shown[i][0], 0.96))
                txt.set_text(" " + shown[i][1])
                txt.set_visible(True)
            else:
                txt.set_visible(False)

    def _draw_weights(self, params):
        """The boundary, the histogram and the diagram (exact zeros grey and dotted); returns (weights, zeros)."""
        self.boundary.update(network.predict(params, self.boundary.grid))
        w = regularization.weight_vector(params)
        n_zero = int(regularization.count_zeros(params))
        c1 = self.hist.update(w[w != 0])
        self.zero_bar.set_height(n_zero)
        self.ax_hist.set_ylim(0, 1.1 * max(1, c1.max(), n_zero))
        diagram = self.diagram
        diagram.update(params)
        zero_edges = w == 0
        diagram.edges.set_colors([("#b0b0b0" if z else plots.POS if v > 0 else plots.NEG)
                                  for z, v in zip(zero_edges, w)])
        diagram.edges.set_linewidths(np.where(zero_edges, 0.9, diagram.edges.get_linewidths()))
        diagram.edges.set_linestyles([":" if z else "-" for z in zero_edges])
        return w, n_zero


def regularisation_explorer(**settings):
    """Penalise the weights of a running network (settings: see ``RegularisationExplorer``)."""
    return RegularisationExplorer(**settings)


def status_text(tr, kind, lam, w, n_zero, n_steps, before, fresh=False):
    """What happened, in words: steps, losses, exact zeros versus shrinkage (``fresh``: trained from the start)."""
    h = tr.history
    if tr.diverged:
        return f"Training stopped: {h.reason}"
    total = w.size
    small = int(np.sum((w != 0) & (np.abs(w) < 0.01)))
    mean = float(np.mean(np.abs(w)))
    origin = "steps from the initial random weights" if fresh else "more steps from the current weights"
    head = (f"Step {tr.t} (trained {n_steps} {origin}). "
            f"Training loss {h.loss[-1]:.3f}, validation loss {h.val_loss[-1]:.3f}. ")
    if n_zero == total:
        return head + ("Every weight is exactly zero: the network gives the same answer everywhere (about 0.5). "
                       "At W = 0 the output ignores the hidden units, so the data gradient of every weight is "
                       "(almost) 0 and L1's threshold wipes it out at any λ on this slider: the network stays here. This is a "
                       "saddle point, not a minimum (see below the explorer): switched off, or with a weak L2 "
                       "penalty, gradient descent leaves it after a pause (press “train more”); a strong L2 "
                       "penalty holds it. Or press reset.")
    if kind == "none":
        what = (f"No penalty: the weights are free to grow (mean |w| = {mean:.2f}); "
                f"{n_zero} of {total} weights are exactly zero.")
    elif kind == "l2":
        what = (f"L2, λ = {lam:.2g}: every step multiplies each weight by 1 − lr·λ = {1 - tr.lr * lam:.4g} "
                f"before the data gradient acts; mean |w| went from {before:.2f} to {mean:.2f}. "
                f"{n_zero} of {total} weights are exactly zero ({small} {'is' if small == 1 else 'are'} "
                "smaller than 0.01: shrunk, not removed).")
    else:
        what = (f"L1, λ = {lam:.2g}: after each gradient step the proximal step moves every weight "
                f"lr·λ = {tr.lr * lam:.2g} towards 0, and those closer to 0 than that land on exactly 0; "
                f"{n_zero} of {total} weights are exactly zero now "
                f"(mean |w| went from {before:.2f} to {mean:.2f}).")
    return head + what


# ---------------------------------------------------------------------------------------
# 2. Choosing the strength: a population, one λ per network
# ---------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _cached_sweep(kind, n_lams, sizes, lr, steps, seed):
    # the explorer only reads the history, so a rebuilt explorer can reuse a finished run
    return experiments.sweep(kind, experiments.strength_grid(n_lams), sizes, lr, steps, seed=seed)


def strength_position(lams, zero_at=-5.0):
    """Where to plot each λ: log10(λ), and λ = 0 at ``zero_at`` (a log axis has no 0)."""
    lams = np.asarray(lams, dtype=np.float64)
    return np.where(lams > 0, np.log10(np.where(lams > 0, lams, 1.0)), zero_at)


class StrengthSweepExplorer(Resettable, Explorer):
    """Validation loss against λ (the U curve) for L2 and L1, from two populations trained at once.

    The step slider replays training: the left side of the U rises as the
    unpenalised networks overfit. Nothing here trains (the runs are cached).
    """

    TRIES = {"step": (0, 850), "show": ("both", "l2", "l1")}

    def __init__(self, n_lams=20, steps=850, lr=0.9, sizes=(2, 16, 1), seed=0):
        self.lams = experiments.strength_grid(n_lams)
        self.x = strength_position(self.lams)
        self.runs = {kind: _cached_sweep(kind, n_lams, tuple(sizes), lr, steps, seed) for kind in ("l2", "l1")}
        self.steps_rec = steps_rec = self.runs["l2"].history.steps
        self.zeros = {k: regularization.count_zeros(network.unflatten(r.history.params, sizes))
                      for k, r in self.runs.items()}
        self.n_weights = int(network.weight_mask(sizes).sum())
        fig = figure(9.0, 3.6)
        self.ax_u, ax_z = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.4, 1], wspace=0.3,
                                                              left=0.08, right=0.98, top=0.9, bottom=0.16))
        self._build(self.ax_u, ax_z)
        controls = {
            "step": slider("after training step", int(steps_rec[0]), int(steps_rec[-1]), int(steps_rec[-1]),
                           step=int(steps_rec[1] - steps_rec[0]) if len(steps_rec) > 1 else 1, integer=True),
            "show": toggle("show", [("L2 and L1", "both"), ("L2", "l2"), ("L1", "l1")], value="both"),
        }
        self.remember_defaults(controls)
        super().__init__(fig, controls, title="Choose the penalty strength on validation data")
        plots.pin_titles_and_labels(fig)        # placed once: less work at every redraw

    def _build(self, ax_u, ax_z):
        """Left: validation (solid) and training (dashed) loss per λ, a star at the best; right: exact zeros."""
        x = self.x
        colours = {"l2": L2_COLOUR, "l1": L1_COLOUR}
        markers = {"l2": "s", "l1": "o"}
        self.lines = {}
        for kind in ("l2", "l1"):
            c, m = colours[kind], markers[kind]
            self.lines[kind] = dict(
                val=ax_u.plot(x, np.zeros_like(x), "-" + m, ms=3, color=c, lw=1.8, label=kind.upper())[0],
                train=ax_u.plot(x, np.zeros_like(x), "--", color=c, lw=1.1, alpha=0.8)[0],
                best=ax_u.plot([], [], "*", ms=17 if kind == "l2" else 10, color=c, markeredgecolor="k",
                               zorder=5 if kind == "l2" else 6)[0],
                zeros=ax_z.plot(x, np.zeros_like(x), "-" + m, ms=3, color=c, lw=1.8)[0],
            )
        for ax in (ax_u, ax_z):
            ax.set_xlim(-5.3, 0.2)
            ax.set_xticks(strength_position([0, 1e-4, 1e-2, 1]))
            ax.set_xticklabels(["0", "0.0001", "0.01", "1"])
            ax.xaxis.set_minor_locator(NullLocator())
            ax.tick_params(labelsize=8)
            ax.set_xlabel("penalty strength λ (0, then log scale)")
            ax.grid(alpha=0.3)
        ax_u.yaxis.set_major_locator(MaxNLocator(4))
        ax_z.yaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax_u.axhline(np.log(2), color="#999", lw=0.8)
        ax_u.text(-5.2, np.log(2) - 0.01, "log 2 = 0.693: a coin flip", fontsize=7, color="#666", ha="left",
                  va="top")
        self.legend_handles = {k: Line2D([], [], color=colours[k], marker=markers[k], ms=4, lw=1.8, label=k.upper())
                               for k in ("l2", "l1")}
        self.shown_in_legend = None
        ax_u.set_title("loss: validation (solid), training (dashed); ★ best", fontsize=9)
        ax_z.set_ylim(-1, self.n_weights + 2)
        ax_z.set_ylabel(f"weights exactly 0 (of {self.n_weights})")
        ax_z.set_title("exact zeros: L1 makes them, L2 does not", fontsize=9)

    def update(self):
        steps_rec, x = self.steps_rec, self.x
        t = max(int(np.searchsorted(steps_rec, self.controls["step"].value, side="right") - 1), 0)
        show = self.controls["show"].value
        hi = 0.0
        found = {}
        for kind, h in ((k, r.history) for k, r in self.runs.items()):
            stopped = (h.diverged_step >= 0) & (h.diverged_step <= steps_rec[t])    # diverged by then: not drawn
            val, train = np.where(stopped, np.nan, h.val_loss[t]), np.where(stopped, np.nan, h.loss[t])
            L = self.lines[kind]
            L["val"].set_ydata(val)
            L["train"].set_ydata(train)
            L["zeros"].set_ydata(self.zeros[kind][t])
            lam, i = experiments.best_strength(self.lams, val)
            found[kind] = (lam, i, val, self.zeros[kind][t])
            mark = i is not None and steps_rec[t] > 0          # before training all networks are the same
            L["best"].set_data([x[i]] if mark else [], [val[i]] if mark else [])
            visible = show in ("both", kind)
            for artist in L.values():
                artist.set_visible(visible)
            if visible:
                hi = max(hi, np.nanmax(np.where(np.isfinite(val), val, np.nan)))
        self.ax_u.set_ylim(0, max(1.0, 1.05 * hi))
        if show != self.shown_in_legend:          # the legend names only the penalties drawn
            kinds = ("l2", "l1") if show == "both" else (show,)
            self.ax_u.legend(handles=[self.legend_handles[k] for k in kinds], fontsize=8, loc="upper center",
                             ncol=2)
            self.shown_in_legend = show
        stopped = [(k, r.history) for k, r in self.runs.items() if show in ("both", k) and r.history.diverged]
        if stopped:
            kind, h = stopped[0]
            return words(f"Every {kind.upper()} network diverged: {h.reasons[0]}", "error")
        return words(sweep_text(int(steps_rec[t]), found, show, self.n_weights), "info")


def strength_sweep_explorer(**settings):
    """Choose the penalty strength on validation data (settings: see ``StrengthSweepExplorer``)."""
    return StrengthSweepExplorer(**settings)


def sweep_text(step, found, show, n_weights):
    """The best λ for each penalty, in words."""
    if step == 0:
        return ("Before training every network has the same initial weights, so λ has not acted yet: "
                "move the step slider to the right.")
    parts = [f"After {step} steps:"]
    for kind in ("l2", "l1"):
        if show not in ("both", kind):
            continue
        lam, i, val, zeros = found[kind]
        if lam is None:
            parts.append(f"every {kind.upper()} network diverged.")
            continue
        parts.append(f"{kind.upper()}: best λ = {lam:.2g}, validation loss {val[i]:.3f} "
                     f"(no penalty: {val[0]:.3f}; {int(zeros[i])} of {n_weights} weights exactly 0).")
    parts.append("Left of the best λ the networks overfit the training points; right of it the penalty "
                 "pulls the weights harder, and the loss rises towards log 2 ≈ 0.693 (a coin flip), which the "
                 "strongest λ reach.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# 3. The geometry: two weights, an elliptical loss, a diamond and a circle
# ---------------------------------------------------------------------------------------
class PenaltyGeometryExplorer(Resettable, Explorer):
    """Why L1 gives exact zeros and L2 does not, for two weights.

    Left: loss contours; the penalised solution is where a contour first touches
    the L1 diamond |w1|+|w2| = t (or the L2 circle |w| = r) that passes through it.
    Right: both solutions as λ grows; L1's w2 reaches exactly 0, L2's only shrinks.
    ``problem`` is (A, b, c) of ``quadratic.two_weight_problem()`` (the default).
    """

    TRIES = {"lam": (0.0, 0.5, 1.0)}

    def __init__(self, lam=1.0, problem=None):
        self.A, self.b, c = quadratic.two_weight_problem() if problem is None else problem
        A, b = self.A, self.b
        self.w_min = quadratic.ridge(A, b, 0.0)             # the minimum without a penalty
        top = float(np.ceil(12 * quadratic.lasso_zero_from(b)) / 10)   # a little past where L1 is all zeros
        path_lams = np.linspace(0, top, 231)
        path_l1, path_l2 = quadratic.lasso(A, b, path_lams), quadratic.ridge(A, b, path_lams)
        fig = figure(9.0, 4.0)
        ax, ax_path = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.15], wspace=0.28,
                                                          left=0.07, right=0.98, top=0.9, bottom=0.13))
        self._build_contours(ax, c, path_l1, path_l2)
        self._build_path(ax_path, path_lams, path_l1, path_l2)
        controls = {"lam": slider("penalty strength λ", 0.0, top, lam, step=0.01)}
        self.remember_defaults(controls)
        super().__init__(fig, controls, title="L1 lands on an axis, L2 does not")
        plots.pin_titles_and_labels(fig)        # placed once: less work at every redraw

    def _build_contours(self, ax, c, path_l1, path_l2):
        """The loss contours, both optimum paths, and the diamond, circle and touching contours to come."""
        w_min = self.w_min
        lo, hi = -1.0, max(2.0, float(w_min.max()) + 0.3)
        g = np.linspace(lo, hi, 90)
        Z = quadratic.quadratic_loss(self.A, self.b, c, np.stack(np.meshgrid(g, g), axis=-1))
        levels = np.quantile(Z, np.linspace(0.0, 0.85, 12) ** 2)
        ax.contour(g, g, Z, levels=levels, colors="#bbb", linewidths=0.8)
        ax.axhline(0, color="#444", lw=0.8)
        ax.axvline(0, color="#444", lw=0.8)
        ax.plot(*w_min, "k+", ms=12, mew=2)
        ax.annotate("no penalty", w_min, xytext=(6, 6), textcoords="offset points", fontsize=8)
        ax.plot(path_l1[:, 0], path_l1[:, 1], color=L1_COLOUR, lw=0.8, alpha=0.5)
        ax.plot(path_l2[:, 0], path_l2[:, 1], color=L2_COLOUR, lw=0.8, alpha=0.5)
        self.diamond = ax.plot([], [], color=L1_COLOUR, lw=2, label="L1 diamond |w₁|+|w₂| = t")[0]
        self.circle = ax.plot([], [], color=L2_COLOUR, lw=2, label="L2 circle |w| = r")[0]
        self.touch1 = ax.plot([], [], color=L1_COLOUR, lw=1, ls="--")[0]
        self.touch2 = ax.plot([], [], color=L2_COLOUR, lw=1, ls="--")[0]
        self.sol1 = ax.plot([], [], "o", color=L1_COLOUR, ms=9, mec="k", zorder=5)[0]
        self.sol2 = ax.plot([], [], "s", color=L2_COLOUR, ms=8, mec="k", zorder=5)[0]
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
        ax.set_xticks(np.arange(np.ceil(lo), hi + 1e-9))
        ax.set_yticks(np.arange(np.ceil(lo), hi + 1e-9))
        ax.legend(fontsize=7, loc="lower right")
        ax.set_title("loss contours meet the penalty's shape", fontsize=9)

    def _build_path(self, ax_path, path_lams, path_l1, path_l2):
        """Both weights at the L1 and the L2 optimum as λ grows, with a marker at the current λ."""
        for j in range(2):
            ax_path.plot(path_lams, path_l1[:, j], color=L1_COLOUR, lw=1.8, ls="-" if j == 0 else "-.",
                         label="L1" if j == 0 else None)
            ax_path.plot(path_lams, path_l2[:, j], color=L2_COLOUR, lw=1.8, ls="-" if j == 0 else "-.",
                         label="L2" if j == 0 else None)
        ax_path.axhline(0, color="#444", lw=0.8)
        self.now = ax_path.axvline(0, color="#333", lw=1, ls=":")
        self.dots = ax_path.plot([], [], "o", color="k", ms=4)[0]
        ax_path.set_xlim(0, path_lams[-1])
        ax_path.set_xlabel("penalty strength λ")
        ax_path.set_ylabel("weight at the optimum")
        ax_path.xaxis.set_major_locator(MultipleLocator(0.5))
        ax_path.yaxis.set_major_locator(MaxNLocator(4))
        ax_path.legend(fontsize=8, loc="upper right")
        ax_path.grid(alpha=0.3)
        ax_path.set_title("w₁ (solid) and w₂ (dash-dot) as λ grows", fontsize=9)

    def update(self):
        A, b, w_min = self.A, self.b, self.w_min
        lam_now = float(self.controls["lam"].value)
        w1, w2 = quadratic.lasso(A, b, lam_now), quadratic.ridge(A, b, lam_now)
        t, r = np.abs(w1).sum(), np.hypot(*w2)
        self.diamond.set_data([t, 0, -t, 0, t], [0, t, 0, -t, 0])
        a = np.linspace(0, 2 * np.pi, 100)
        self.circle.set_data(r * np.cos(a), r * np.sin(a))
        self.touch1.set_data(*quadratic.ellipse_through(A, w_min, w1).T)
        self.touch2.set_data(*quadratic.ellipse_through(A, w_min, w2).T)
        self.sol1.set_data([w1[0]], [w1[1]])
        self.sol2.set_data([w2[0]], [w2[1]])
        self.now.set_xdata([lam_now, lam_now])
        self.dots.set_data([lam_now] * 4, [w1[0], w1[1], w2[0], w2[1]])
        return words(geometry_text(lam_now, w1, w2, w_min), "info")


def penalty_geometry_explorer(**settings):
    """L1 lands on an axis, L2 does not (settings: see ``PenaltyGeometryExplorer``)."""
    return PenaltyGeometryExplorer(**settings)


def geometry_text(lam, w1, w2, w_min):
    """The two penalised solutions in words."""
    if lam == 0:
        return (f"λ = 0: no penalty, both solutions are the plain minimum w = ({w_min[0]:.2f}, {w_min[1]:.2f}). "
                "Move λ up.")
    zeros = [f"w{j + 1}" for j in range(2) if w1[j] == 0]
    l1 = (f"L1: w = ({w1[0]:.3f}, {w1[1]:.3f}), " +
          ("both weights are exactly 0: the diamond has shrunk to the origin."
           if len(zeros) == 2 else
           f"{zeros[0]} is exactly 0: the contour touches the diamond at its corner, on an axis."
           if zeros else "both weights still non-zero: the contour touches an edge of the diamond."))
    l2 = (f"L2: w = ({w2[0]:.3f}, {w2[1]:.3f}), both shrunk by the factor of (A + λI)⁻¹, "
          "neither exactly 0: a circle has no corners to land on.")
    return f"λ = {lam:.2f}. {l1} {l2}"
