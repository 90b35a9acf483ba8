"""Notebook 05: gradient descent and the learning rate: slow, fast, oscillating, diverging.

* ``bowl_explorer``: gradient descent on a two-weight quadratic bowl, its two axes and curvatures;
* ``descent_explorer``: the 2-3-1 net with a learning-rate slider: the loss, the sharpness λmax
  at every step against 2/η, and the path of two weights on the loss surface;
* ``sweep_figure``: the final loss of many learning rates at once; ``sharpening_figure``: λmax
  during training for a few learning rates.
"""
import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from .. import curvature, experiments, explore, landscape, losses, network, quadratic
from ..plots import OKABE_ITO, LossCurves, log_loss_axis, plain_log_axis, short_number, thin_log_ticks
from ..problems import descent_problem
from .loss import WEIGHTS, LossMap, WeightPairExplorer

DEFAULT_X, DEFAULT_Y = "W2[1,0]", "b2[0]"
MAP_HALF_WIDTH = 2.0
INK, SHARP, LIMIT, PATH = OKABE_ITO["black"], OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["vermillion"]
NOW = OKABE_ITO["yellow"]
SHARPENING_LRS = (0.1, 0.3, 0.5, 0.6, 0.75)


# ---- figures without controls -------------------------------------------------------------
def sweep_figure(lo=-3.0, hi=2.0, n=60, steps=100, problem=None):
    """Final loss after ``steps`` steps against the learning rate (log scale) for ``n`` learning rates
    from 10**lo to 10**hi, trained at once; diverged runs marked; the start-point prediction 2/λmax."""
    params, X, y, loss = problem if problem is not None else descent_problem()
    lrs = np.logspace(lo, hi, n)
    final, diverged = experiments.lr_sweep(params, X, y, lrs, steps, loss)
    edge = curvature.edge_of_stability(params, X, y, loss=loss)
    start = float(landscape.loss_of(network.stack([params]), X, y, loss=loss)[0])
    fig = explore.figure(8.0, 3.4)
    ax = fig.add_axes([0.1, 0.16, 0.6, 0.74])
    ok = ~np.isnan(final)
    ax.plot(lrs[ok], final[ok], "o-", color=INK, ms=4, lw=1.2, label=f"loss after {steps} steps")
    ax.axhline(start, color=OKABE_ITO["sky"], lw=1.2, ls=":", label="loss at the start")
    top = max(start, float(np.max(final[ok])) if ok.any() else start) * 1.6
    ax.plot(lrs[~ok], np.full((~ok).sum(), top), "x", color=LIMIT, ms=7, mew=1.8, label="diverged (no final loss)")
    ax.axvline(edge, color=SHARP, lw=1.6, ls="--", label=f"2/λmax at the start = {edge:.2f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel(f"loss ({losses.LABELS[loss]})")
    ax.set_ylim(top=top * 1.4)
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    plain_log_axis(ax.yaxis)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return fig


def sharpening_figure(lrs=SHARPENING_LRS, steps=100, problem=None, top=7.0):
    """One column per learning rate: λmax of the Hessian at every step with the limit 2/η (dashed) on top,
    the loss of the same run (log scale) below; the y axes are shared, so the columns compare."""
    params, X, y, loss = problem if problem is not None else descent_problem()
    fig = explore.figure(9.2, 3.9)
    axes = fig.subplots(2, len(lrs), sharex=True, sharey="row",
                        gridspec_kw=dict(wspace=0.08, hspace=0.14, left=0.08, right=0.99, top=0.89, bottom=0.12))
    axes = np.asarray(axes).reshape(2, len(lrs))
    for lr, ax, ax_loss in zip(lrs, axes[0], axes[1]):
        run = experiments.sharpness_run(params, X, y, lr, steps, loss)
        ax.plot(run.steps, run.sharpness, color=SHARP, lw=1.6)
        ax.axhline(2 / lr, color=LIMIT, lw=1.3, ls="--")
        off = "" if 2 / lr < top else " (off)"
        ax.set_title(f"η = {lr:g}: 2/η = {2 / lr:.3g}{off}", fontsize=9)
        ax_loss.plot(run.steps, run.loss, color=INK, lw=1.4)
        ax_loss.set_xlabel("step")
        ax.grid(alpha=0.3)
        ax_loss.grid(alpha=0.3)
    axes[0, 0].set_ylim(0, top)
    axes[0, 0].set_xlim(0, steps)
    axes[0, 0].set_ylabel("λmax (blue)\n2/η (dashed)")
    axes[1, 0].set_yscale("log")
    axes[1, 0].set_ylabel(f"loss ({losses.LABELS[loss]})", fontsize=9)
    log_loss_axis(axes[1, 0])
    axes[1, 0].xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    fig.suptitle("The sharpness λmax during training, one run per learning rate", fontsize=10)
    return fig


# ---- the status line of the descent explorer -------------------------------------------------
def _describe(run, lr, steps, best):
    """The run's loss in words: diverged, oscillating, slow or fine."""
    if run.reason is not None:
        return f"Training {run.reason}", "error"
    L = run.loss
    ups = int(np.sum(np.diff(L) > 0))
    if ups > 0.1 * (len(L) - 1) and L[-1] > 1.25 * best:
        return (f"Oscillating: the loss went up in {ups} of {len(L) - 1} steps, {L[0]:.3f} → {L[-1]:.3f} "
                f"(a good learning rate reaches about {best:.3f}).", "warn")
    if ups > 0.1 * (len(L) - 1):
        return (f"Fast, but some steps overshoot: {L[0]:.3f} → {L[-1]:.3f} in {steps} steps, and the loss "
                f"went up in {ups} of them.", "ok")
    if L[-1] > 1.5 * best:
        return (f"Slow: after {steps} steps the loss only fell from {L[0]:.3f} to {L[-1]:.3f} "
                f"(a good learning rate reaches about {best:.3f}).", "warn")
    return f"Converging: {L[0]:.3f} → {L[-1]:.3f} in {steps} steps.", "ok"


def edge_words(report, diverged=False):
    """What λmax did, against the limit 2/η, in one sentence."""
    r = report
    if not np.isfinite(r.start):
        return ""
    limit = f"2/η = {r.limit:.3g}"
    if diverged:
        return (f" λmax went from {r.start:.2f} to {r.peak:.3g} (step {r.peak_step}); {limit}: the steps "
                f"overshoot along the steepest direction more each time.")
    if r.first_above < 0:
        rise = (f"rose from {r.start:.2f} to {r.peak:.2f} (progressive sharpening)" if r.peak > 1.05 * r.start
                else f"stayed near {r.start:.2f}")
        return f" λmax {rise}, below {limit} all the way."
    when = "was above " + limit + " from the start" if r.first_above == 0 else \
        f"reached {limit} at step {r.first_above}"
    ratio = r.tail_mean / r.limit
    verdict = "the edge of stability" if 0.8 <= ratio <= 1.25 else "it did not stay at the edge"
    return (f" λmax {when} (peak {r.peak:.2f} at step {r.peak_step}); over the last 30 steps it averaged "
            f"{r.tail_mean:.2f}, {ratio:.2f} × 2/η: {verdict}.")


class DescentExplorer(WeightPairExplorer):
    """Gradient descent on the 2-3-1 net: a learning-rate slider, the loss curve, the sharpness λmax at
    every step with the limit 2/η, and the path of two weights on the loss surface; a step slider
    replays the run.

    Each learning-rate change trains once for all ``steps`` and measures λmax at every step (runs are
    kept per learning rate); the step slider only replays.
    """

    TRIES = {"lr": (0.01, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8, 0.83, 0.85, 0.9)}
    TRAINING_CONTROLS = ("lr",)
    KEEP = 64                  # runs kept (one per learning rate)

    def __init__(self, lr=0.3, steps=100, xweight=DEFAULT_X, yweight=DEFAULT_Y, problem=None):
        self.params, self.X, self.y, self.loss = problem if problem is not None else descent_problem()
        self.steps, self.lr, self.run, self.runs = steps, None, None, {}
        self.edge = curvature.edge_of_stability(self.params, self.X, self.y, loss=self.loss)
        good, _ = experiments.lr_sweep(self.params, self.X, self.y, np.logspace(-2, np.log10(self.edge), 12),
                                       steps, self.loss)
        self.best = float(np.nanmin(good))
        fig = explore.figure(9.4, 4.8)
        self._build_curves(fig)
        ax3 = self.ax2 = fig.add_axes([0.58, 0.11, 0.39, 0.75])
        self.lmap = LossMap(ax3, "")
        self.lmap.point.set_color(NOW)
        (self.trail,) = ax3.plot([], [], "-", color=PATH, lw=1.2, zorder=4, gid="path")
        (self.trail_dots,) = ax3.plot([], [], ".", color=PATH, ms=3, zorder=4)
        (self.start_dot,) = ax3.plot([], [], "s", color="white", mec="black", ms=6, zorder=5)
        controls = {
            "lr": explore.slider("learning rate η", 0.01, 2.0, lr, step=0.01, continuous_update=False),
            "step": explore.slider("replay: show step", 0, steps, steps, integer=True),
            "xweight": explore.dropdown("weight on the x axis", WEIGHTS, xweight),
            "yweight": explore.dropdown("weight on the y axis", WEIGHTS, yweight),
        }
        self.defaults = {k: w.value for k, w in controls.items()}
        super().__init__(fig, controls, title="Gradient descent and the learning rate", columns=2)

    def reset(self):
        """Every control back to its starting value (the runs already trained are kept)."""
        return self.set(**self.defaults)

    def _build_curves(self, fig):
        """Left column: the loss (log scale) above λmax with the limit 2/η, both against the step."""
        ax1 = self.ax1 = fig.add_axes([0.09, 0.59, 0.38, 0.33])
        self.curves = LossCurves(ax1, ylabel="loss")
        self.curves.train.set_color(INK)
        self.curves.marker.set_color(OKABE_ITO["sky"])
        (self.now_dot,) = ax1.plot([], [], "o", color=NOW, mec="black", ms=7, zorder=5)
        ax1.set_title(f"{losses.LABELS[self.loss]} during training", fontsize=10, y=1.0)   # y given: no title layout per draw
        ax1.set_xlabel("")
        ax1.tick_params(labelbottom=False)                   # the same steps as the panel below
        plain_log_axis(ax1.yaxis, short_number)
        ax1.yaxis.set_minor_locator(NullLocator())         # minor ticks cost drawing time and say nothing here
        ax1.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax = self.ax_sharp = fig.add_axes([0.09, 0.11, 0.38, 0.33])
        (self.sharp_line,) = ax.plot([], [], color=SHARP, lw=1.6, gid="sharpness")
        self.limit_line = ax.axhline(np.nan, color=LIMIT, lw=1.4, ls="--", gid="limit")
        self.sharp_marker = ax.axvline(0, color=OKABE_ITO["sky"], lw=1, ls=":")
        (self.sharp_dot,) = ax.plot([], [], "o", color=NOW, mec="black", ms=6, zorder=5)
        ax.set_xlim(0, self.steps)
        ax.set_xlabel("step")
        ax.set_ylabel("λmax")
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))

    def show(self):
        xn, yn = self.controls["xweight"].value, self.controls["yweight"].value
        rate = float(self.controls["lr"].value)
        if self.names != (xn, yn):
            self._draw_map(xn, yn)
        if self.lr != rate:
            self._train(rate)
        run = self.run
        k = min(int(self.controls["step"].value), len(run.loss) - 1)
        path = run.weights([xn, yn])
        self.trail.set_data(path[:k + 1, 0], path[:k + 1, 1])
        self.trail_dots.set_data(path[:k + 1, 0], path[:k + 1, 1])
        self.lmap.set_point(path[k, 0], path[k, 1])
        self.curves.marker.set_xdata([k, k])
        self.sharp_marker.set_xdata([k, k])
        self.now_dot.set_data([k], [run.loss[k]] if np.isfinite(run.loss[k]) else [np.nan])
        self.sharp_dot.set_data([k], [run.sharpness[k]] if np.isfinite(run.sharpness[k]) else [np.nan])
        text, kind = _describe(run, rate, self.steps, self.best)
        text += edge_words(curvature.edge_report(run.sharpness, rate), run.reason is not None)
        replay = f"Step {k}: loss {run.loss[k]:.3g}, λmax {run.sharpness[k]:.3g}."
        if k < int(self.controls["step"].value):
            replay = f"Training stopped at step {k}; showing that step."
        xl, yl = self.ax2.get_xlim(), self.ax2.get_ylim()
        if not (xl[0] <= path[k, 0] <= xl[1] and yl[0] <= path[k, 1] <= yl[1]):
            replay += " The weights have left the map."
        return explore.words(f"{text} {replay}", kind)

    def _draw_map(self, xn, yn):
        """The loss over the two weights around their starting values (the other 11 fixed)."""
        params = self.params
        x0, y0 = landscape.value_of(params, xn), landscape.value_of(params, yn)
        self.lmap.fill(params, self.X, self.y, (xn, yn), (x0, y0), MAP_HALF_WIDTH, loss=self.loss)
        self.lmap.set_point(x0, y0, trained=(np.nan, np.nan))
        self.start_dot.set_data([x0], [y0])
        self.ax2.set_title(f"the loss over {xn}, {yn} at the start\n(other 11 parameters fixed); the path in red-orange",
                           fontsize=9, y=1.0)
        self.names = (xn, yn)

    def _run(self, rate):
        """The run with this learning rate, with λmax at every step (kept for the next time)."""
        run = self.runs.get(rate)
        if run is None:
            if len(self.runs) >= self.KEEP:
                self.runs.pop(next(iter(self.runs)))
            run = self.runs[rate] = experiments.sharpness_run(self.params, self.X, self.y, rate, self.steps,
                                                              self.loss)
        return run

    def _train(self, rate):
        """Train once with this learning rate for all the steps; draw its loss and sharpness curves."""
        self.run = run = self._run(rate)
        self.lr = rate
        self.curves.update(run.steps, run.loss)
        self.ax1.set_xlim(0, self.steps)
        finite = run.loss[np.isfinite(run.loss)]
        lo, hi = min(finite.min(), self.best) / 1.3, max(finite.max(), run.loss[0]) * 1.5
        self.ax1.set_ylim(lo, hi)
        thin_log_ticks(self.ax1)
        self.sharp_line.set_data(run.steps, run.sharpness)
        shown = run.sharpness[np.isfinite(run.sharpness)]
        peak = float(shown.max()) if shown.size else 1.0
        top = min(1.15 * max(peak, 2 / rate if 2 / rate < 2.5 * peak else 0.0), 1.15 * 8.0)
        self.ax_sharp.set_ylim(0, max(top, 1.0))
        self.limit_line.set_ydata([2 / rate] * 2)
        above = "" if 2 / rate < top else ", off the panel"
        self.ax_sharp.set_title(f"sharpness λmax (blue); 2/η = {2 / rate:.3g} (dashed{above})", fontsize=10, y=1.0)


def descent_explorer(**settings):
    """Gradient descent and the learning rate (settings: see ``DescentExplorer``)."""
    return DescentExplorer(**settings)


# ---- the two-weight bowl -------------------------------------------------------------------
BOWL_START = (-1.0, 2.0)
STEEP, SHALLOW = OKABE_ITO["vermillion"], OKABE_ITO["blue"]


def bowl_words(lr, vals, dist0, dist):
    """The bowl in words: each axis's factor 1 − ηλ per step and what it does to the path."""
    shallow, steep = 1 - lr * vals[0], 1 - lr * vals[1]
    parts = [f"η = {lr:.2f}: each step multiplies the distance along the steep axis (λ = {vals[1]:.2f}) by "
             f"1 − ηλ = {steep:+.2f}, along the shallow axis (λ = {vals[0]:.2f}) by {shallow:+.2f}."]
    if abs(steep) >= 1:
        parts.append(f"|{steep:+.2f}| ≥ 1: the steep axis diverges, because η is above 2/λmax = {2 / vals[1]:.3f}.")
        return " ".join(parts), "error"
    if steep < 0:
        parts.append("The steep axis zigzags across the valley but shrinks.")
    slower = "shallow" if abs(shallow) > abs(steep) else "steep"
    parts.append(f"After {len(dist) - 1} steps the distance to the minimum is {np.hypot(*dist[-1]):.2g} "
                 f"(from {np.hypot(*dist0):.2g}); the {slower} axis is the slow one.")
    return " ".join(parts), "ok"


class BowlExplorer(explore.Explorer):
    """Gradient descent on the two-weight bowl L(w) = ½ wᵀAw − bᵀw + c of ``quadratic.two_weight_problem``:
    its contours, its two axes (eigenvectors of A) labelled with their curvatures (eigenvalues), the
    path for the chosen learning rate, and the distance to the minimum along each axis per step."""

    TRIES = {"lr": (0.3, 0.88, 1.05, 1.1, 1.12, 1.15)}

    def __init__(self, lr=0.5, steps=25, problem=None):
        self.A, self.b, c = quadratic.two_weight_problem() if problem is None else problem
        self.vals, self.vecs = quadratic.axes(self.A)
        self.w_min = np.linalg.solve(self.A, self.b)
        fig = explore.figure(8.8, 3.7)
        ax, ax_d = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.15], wspace=0.3, left=0.07,
                                                       right=0.97, top=0.9, bottom=0.14))
        self.ax, self.ax_d = ax, ax_d
        self._build_bowl(ax, c)
        self._build_distances(ax_d)
        controls = {"lr": explore.slider("learning rate η", 0.01, 1.3, lr, step=0.01),
                    "steps": explore.slider("steps", 1, 40, steps, integer=True)}
        self.defaults = {k: w.value for k, w in controls.items()}
        super().__init__(fig, controls, title="Gradient descent on a bowl with two curvatures")

    def reset(self):
        """Every control back to its starting value."""
        return self.set(**self.defaults)

    def _build_bowl(self, ax, c):
        """Contours of the bowl around its minimum, the two axes with their curvatures, the path to come."""
        w = self.w_min
        g0, g1 = np.linspace(w[0] - 3.2, w[0] + 3.2, 80), np.linspace(w[1] - 3.2, w[1] + 3.2, 80)
        Z = quadratic.quadratic_loss(self.A, self.b, c, np.stack(np.meshgrid(g0, g1), axis=-1))
        ax.contour(g0, g1, Z, levels=quadratic.quadratic_loss(self.A, self.b, c, w) + np.geomspace(0.03, 5, 7),
                   colors="#bbb", linewidths=0.8)
        for i, (colour, name) in enumerate(((SHALLOW, "shallow"), (STEEP, "steep"))):
            v = self.vecs[:, i] * 2.2
            ax.annotate("", w + v, w - v, arrowprops=dict(arrowstyle="<->", color=colour, lw=1.6))
            ax.text(*(w + v * 1.02), f"{name} axis\nλ = {self.vals[i]:.2f}", color=colour, fontsize=8,
                    ha="center", va="bottom" if v[1] >= 0 else "top")
        ax.plot(*w, "k+", ms=10, mew=2)
        ax.plot(*BOWL_START, "s", color="white", mec="black", ms=7, zorder=5)
        (self.path,) = ax.plot([], [], "-o", color=INK, lw=1.1, ms=3, zorder=4, gid="path")
        ax.set_xlim(g0[0], g0[-1])
        ax.set_ylim(g1[0], g1[-1])
        ax.set_aspect("equal")
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
        ax.set_title("the bowl, its two axes and the path", fontsize=10, y=1.0)

    def _build_distances(self, ax):
        """Distance to the minimum along each axis per step (log scale): measured dots, (1 − ηλ)^t lines."""
        axes_ = ((SHALLOW, "shallow"), (STEEP, "steep"))
        self.dist = {i: ax.plot([], [], "o", color=col, ms=4, label=f"{name} axis, λ = {self.vals[i]:.2f}")[0]
                     for i, (col, name) in enumerate(axes_)}
        self.law = {i: ax.plot([], [], "-", color=col, lw=1)[0] for i, (col, _) in enumerate(axes_)}
        ax.set_yscale("log")
        ax.set_ylim(1e-6, 1e4)
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step t")
        ax.set_ylabel("|distance to the minimum along the axis|")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
        ax.set_title("along each axis: dots measured, lines |1 − ηλ|ᵗ × start", fontsize=10, y=1.0)

    def update(self):
        lr, steps = float(self.controls["lr"].value), int(self.controls["steps"].value)
        path = quadratic.descent_path(self.A, self.b, BOWL_START, lr, steps)
        self.path.set_data(path[:, 0], path[:, 1])
        coords = (path - self.w_min) @ self.vecs               # distance along each axis, per step
        t = np.arange(steps + 1)
        with np.errstate(all="ignore"):
            for i in range(2):
                measured = np.abs(coords[:, i])
                self.dist[i].set_data(t, np.where(measured > 0, measured, np.nan))
                self.law[i].set_data(t, np.abs(coords[0, i]) * np.abs(1 - lr * self.vals[i]) ** t)
        self.ax_d.set_xlim(-0.5, steps + 0.5)
        text, kind = bowl_words(lr, self.vals, coords[0], coords)
        return explore.words(text, kind)


def bowl_explorer(**settings):
    """Gradient descent on a two-weight bowl (settings: see ``BowlExplorer``)."""
    return BowlExplorer(**settings)
