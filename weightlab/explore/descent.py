"""Notebook 05: gradient descent and the learning rate: slow, fast, oscillating, diverging."""
import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator

from .. import curvature, experiments, explore, landscape, losses, network
from ..plots import LossCurves, plain_log_axis, short_number, thin_log_ticks
from ..problems import descent_problem
from .loss import WEIGHTS, LossMap, WeightPairExplorer

DEFAULT_X, DEFAULT_Y = "W2[1,0]", "b2[0]"
MAP_HALF_WIDTH = 2.0


def sweep_figure(lo=-3.0, hi=2.0, n=60, steps=100, problem=None):
    """Final loss after ``steps`` steps against the learning rate (log scale) for ``n`` learning rates
    from 10**lo to 10**hi, trained at once; diverged runs marked; the edge 2/λmax as a vertical line."""
    params, X, y, loss = problem if problem is not None else descent_problem()
    lrs = np.logspace(lo, hi, n)
    final, diverged = experiments.lr_sweep(params, X, y, lrs, steps, loss)
    edge = curvature.edge_of_stability(params, X, y, loss=loss)
    start = float(landscape.loss_of(network.stack([params]), X, y, loss=loss)[0])
    fig = explore.figure(8.0, 3.4)
    ax = fig.add_axes([0.1, 0.16, 0.62, 0.74])
    ok = ~np.isnan(final)
    ax.plot(lrs[ok], final[ok], "o-", color="#333", ms=4, lw=1.2, label=f"loss after {steps} steps")
    ax.axhline(start, color="#999", lw=1, ls=":", label="loss at the start")
    top = max(start, float(np.max(final[ok])) if ok.any() else start) * 1.6
    ax.plot(lrs[~ok], np.full((~ok).sum(), top), "x", color="#b3261e", ms=7, mew=1.8, label="diverged (no final loss)")
    ax.axvline(edge, color="#2e6fba", lw=1.6, ls="--", label=f"2/λmax = {edge:.2f}")
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


def _describe(run, lr, edge, steps, best):
    """The run in words: diverged, oscillating, slow or fine."""
    where = f"learning rate {lr:.3g} = {lr / edge:.2g} × the edge 2/λmax ≈ {edge:.2f}"
    if run.reason is not None:
        return f"Training {run.reason} ({where}.)", "error"
    L = run.loss
    ups = int(np.sum(np.diff(L) > 0))
    if ups > 0.1 * (len(L) - 1) and L[-1] > 1.25 * best:
        return (f"Oscillating: the loss went up in {ups} of {len(L) - 1} steps, {L[0]:.3f} → {L[-1]:.3f}. "
                f"Each step jumps across the valley ({where}).", "warn")
    if ups > 0.1 * (len(L) - 1):
        return (f"Fast, but close to the edge: {L[0]:.3f} → {L[-1]:.3f} in {steps} steps, and the loss went "
                f"up in {ups} of them: some steps already overshoot ({where}).", "ok")
    if L[-1] > 1.5 * best:
        return (f"Slow: after {steps} steps the loss only fell from {L[0]:.3f} to {L[-1]:.3f} "
                f"(a good learning rate reaches about {best:.3f}; {where}).", "warn")
    return f"Converging: {L[0]:.3f} → {L[-1]:.3f} in {steps} steps ({where}).", "ok"


class DescentExplorer(WeightPairExplorer):
    """Gradient descent on the 2-3-1 net: a learning-rate slider (log scale), the loss curve, and
    the path of two weights drawn on the loss surface; a step slider replays the run.

    Each learning-rate change trains once for all ``steps``; the step slider only replays.
    """

    def __init__(self, lr=0.3, steps=100, xweight=DEFAULT_X, yweight=DEFAULT_Y, problem=None):
        self.params, self.X, self.y, self.loss = problem if problem is not None else descent_problem()
        self.steps, self.lr, self.run = steps, None, None
        self.edge = curvature.edge_of_stability(self.params, self.X, self.y, loss=self.loss)
        good, _ = experiments.lr_sweep(self.params, self.X, self.y, np.logspace(-2, np.log10(self.edge), 12),
                                       steps, self.loss)
        self.best = float(np.nanmin(good))
        fig = explore.figure(9.0, 3.8)
        ax1 = self.ax1 = fig.add_axes([0.1, 0.14, 0.36, 0.74])
        ax2 = self.ax2 = fig.add_axes([0.57, 0.14, 0.38, 0.74])
        self.curves = LossCurves(ax1, ylabel="loss")
        (self.now_dot,) = ax1.plot([], [], "o", color="#ffcc00", mec="black", ms=7, zorder=5)
        ax1.set_title(f"{losses.LABELS[self.loss]} during training", fontsize=10)
        plain_log_axis(ax1.yaxis, short_number)
        ax1.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        self.lmap = LossMap(ax2, "")
        (self.trail,) = ax2.plot([], [], "-", color="#ff5a36", lw=1.2, zorder=4, gid="path")
        (self.trail_dots,) = ax2.plot([], [], ".", color="#ff5a36", ms=3, zorder=4)
        (self.start_dot,) = ax2.plot([], [], "s", color="white", mec="black", ms=6, zorder=5)
        controls = {
            "lr": explore.slider("learning rate (log scale)", -3, 2, lr, step=0.05, log=True, readout_format=".3g"),
            "step": explore.slider("replay: show step", 0, steps, steps, integer=True),
            "xweight": explore.dropdown("weight on the x axis", WEIGHTS, xweight),
            "yweight": explore.dropdown("weight on the y axis", WEIGHTS, yweight),
        }
        super().__init__(fig, controls, title="Gradient descent and the learning rate", columns=2)

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
        self.now_dot.set_data([k], [run.loss[k]] if np.isfinite(run.loss[k]) else [np.nan])
        text, kind = _describe(run, rate, self.edge, self.steps, self.best)
        replay = f"Step {k}: loss {run.loss[k]:.3g}."
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
        xs = np.linspace(x0 - MAP_HALF_WIDTH, x0 + MAP_HALF_WIDTH, 45)
        ys = np.linspace(y0 - MAP_HALF_WIDTH, y0 + MAP_HALF_WIDTH, 45)
        self.lmap.set_grid(xs, ys, landscape.loss_grid(params, self.X, self.y, [xn, yn], xs, ys, loss=self.loss),
                           xn, yn)
        self.lmap.set_point(x0, y0, trained=(np.nan, np.nan))
        self.start_dot.set_data([x0], [y0])
        self.ax2.set_title(f"the loss over {xn}, {yn} at the start\n(other 11 parameters fixed); path in red",
                           fontsize=9)
        self.names = (xn, yn)

    def _train(self, rate):
        """Train once with this learning rate for all the steps; draw its loss curve."""
        self.run = run = experiments.Trajectory(self.params, self.X, self.y, rate, self.steps, self.loss)
        self.lr = rate
        self.curves.update(run.steps, run.loss)
        self.ax1.set_xlim(0, self.steps)
        finite = run.loss[np.isfinite(run.loss)]
        lo, hi = min(finite.min(), self.best) / 1.3, max(finite.max(), run.loss[0]) * 1.5
        self.ax1.set_ylim(lo, hi)
        thin_log_ticks(self.ax1)


def descent_explorer(**settings):
    """Gradient descent and the learning rate (settings: see ``DescentExplorer``)."""
    return DescentExplorer(**settings)
