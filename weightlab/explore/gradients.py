"""Notebook 04: the gradient points uphill; its negative, drawn as arrows on the loss map, points downhill."""
import numpy as np

from .. import explore, landscape, losses, network, problems
from ..plots import OKABE_ITO
from .loss import CURRENT, HALF_WIDTH, WEIGHTS, LossMap, WeightPairExplorer

DEFAULT_X, DEFAULT_Y = "W1[0,1]", "W2[1,0]"
ARROW_COLOUR = OKABE_ITO["vermillion"]


def direction_words(names, g, tiny=5e-4):
    """'increase W1[0,1], decrease W2[1,0]': the move of each weight along −gradient (g its gradient)."""
    moves = []
    for name, v in zip(names, g):
        moves.append(f"{name} stays about where it is" if abs(v) < tiny else
                     f"{'increase' if v < 0 else 'decrease'} {name}")
    return ", ".join(moves)


class GradientsExplorer(WeightPairExplorer):
    """The loss along one weight with its slope, and the loss over two weights with arrows of
    the negative gradient (downhill) on a coarse grid and at the current point.

    ``problem`` is (params, X, y); by default ``problems.reference_problem()``.
    """

    TRIES = {"xweight": ("W1[0,1]",), "yweight": ("b1[1]",), "dx": (0.0, 5.0), "dy": (0.0, 5.0)}
    TRAINING_CONTROLS = ()

    def __init__(self, xweight=DEFAULT_X, yweight=DEFAULT_Y, loss="bce", grid=40, arrows=11, problem=None):
        self.params, self.X, self.y = problem if problem is not None else problems.reference_problem()
        self.loss, self.grid_size, self.arrows = loss, grid, arrows
        self.cell = 2 * HALF_WIDTH / arrows                  # one arrow per cell of the map
        fig = explore.figure(9.0, 3.8)
        ax1 = self.ax1 = fig.add_axes([0.08, 0.14, 0.38, 0.74])
        ax2 = fig.add_axes([0.57, 0.14, 0.38, 0.74])
        self.lmap = LossMap(ax2, f"{losses.LABELS[loss]}; arrows: −gradient (downhill)")
        (self.curve,) = ax1.plot([], [], color="#333", lw=1.8, label="loss along the x weight")
        (self.tangent,) = ax1.plot([], [], color=OKABE_ITO["blue"], lw=2.0, ls="--", zorder=4,
                                   label="slope dL/dw (tangent)")
        (self.dot,) = ax1.plot([], [], "o", color=CURRENT, mec="black", ms=8, zorder=5, clip_on=False)
        self.step_arrow = ax1.annotate("", xy=(0, 0), xytext=(0, 0),
                                       arrowprops=dict(arrowstyle="-|>", color=ARROW_COLOUR, lw=2))
        ax1.set_ylabel("loss")
        ax1.grid(alpha=0.3)
        ax1.locator_params(nbins=5)
        ax1.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        # the field of arrows: positions and lengths are replaced in place
        zeros = np.zeros(arrows * arrows)
        self.field = ax2.quiver(zeros, zeros, zeros, zeros, color="white", angles="xy", scale_units="xy",
                                scale=1.0, width=0.005, alpha=0.9)
        self.here = ax2.quiver([0.0], [0.0], [0.0], [0.0], color=ARROW_COLOUR, angles="xy", scale_units="xy",
                               scale=1.0, width=0.012, zorder=6, edgecolor="black", linewidth=0.5)
        controls = {
            "xweight": explore.dropdown("weight on the x axis", WEIGHTS, xweight),
            "yweight": explore.dropdown("weight on the y axis", WEIGHTS, yweight),
            "dx": explore.slider("move the x weight by", -HALF_WIDTH, HALF_WIDTH, -2.0, step=0.1),
            "dy": explore.slider("move the y weight by", -HALF_WIDTH, HALF_WIDTH, 2.0, step=0.1),
        }
        super().__init__(fig, controls, title="Gradient arrows on the loss surface", columns=2)

    def show(self):
        xn, yn = self.controls["xweight"].value, self.controls["yweight"].value
        x0, y0 = landscape.value_of(self.params, xn), landscape.value_of(self.params, yn)
        if self.names != (xn, yn):
            self._draw_map(xn, yn, x0, y0)
        x, yv = x0 + self.controls["dx"].value, y0 + self.controls["dy"].value
        pop = landscape.population_with(self.params, [xn, yn], [[x], [yv]])
        L, grads = landscape.loss_and_grad(pop, self.X, self.y, loss=self.loss)
        flat = network.flatten(grads)[0]
        sizes = network.sizes_of(self.params)
        g = np.array([flat[landscape.index_of(xn, sizes)], flat[landscape.index_of(yn, sizes)]])
        L = float(L[0])
        self.lmap.set_point(x, yv, trained=(x0, y0), cut=yv)
        self.here.set_offsets([[x, yv]])
        # the arrow at the current point: its direction is -gradient, its length in proportion to |gradient|
        size = float(np.hypot(*g))
        length = 3.0 * self.cell * min(size / max(self.longest, 1e-12), 1.0)   # 3 cells at the steepest
        self.here.set_UVC([-length * g[0] / max(size, 1e-300)], [-length * g[1] / max(size, 1e-300)])
        self._draw_cut(network.member(pop, 0), xn, yn, x0, x, yv, L, g[0])
        return self._words(xn, yn, x, yv, L, g, size)

    def _draw_map(self, xn, yn, x0, y0):
        """The loss map around the trained point and the field of −gradient arrows, one per cell."""
        params, X, y, n, cell = self.params, self.X, self.y, self.arrows, self.cell
        Z = self.lmap.fill(params, X, y, (xn, yn), (x0, y0), HALF_WIDTH, self.grid_size, loss=self.loss)
        self.range = (float(np.nanmin(Z)), float(np.nanmax(Z)))
        ax_ = np.linspace(x0 - HALF_WIDTH + cell / 2, x0 + HALF_WIDTH - cell / 2, n)
        ay_ = np.linspace(y0 - HALF_WIDTH + cell / 2, y0 + HALF_WIDTH - cell / 2, n)
        gx, gy = landscape.grad_grid(params, X, y, [xn, yn], ax_, ay_, loss=self.loss)
        self.longest = float(np.max(np.hypot(gx, gy)))
        scale = 0.9 * cell / self.longest if self.longest > 0 else 0.0
        px, py = np.meshgrid(ax_, ay_)
        self.field.set_offsets(np.column_stack([px.ravel(), py.ravel()]))
        self.field.set_UVC(-scale * gx.ravel(), -scale * gy.ravel())
        self.names = (xn, yn)

    def _draw_cut(self, here, xn, yn, x0, x, yv, L, slope):
        """Left: the loss along the x weight through the current point, its tangent and a downhill arrow."""
        line = np.linspace(x0 - HALF_WIDTH, x0 + HALF_WIDTH, 121)
        along = landscape.loss_along(here, self.X, self.y, xn, line, loss=self.loss)
        self.curve.set_data(line, along)
        self.dot.set_data([x], [L])
        half = 2.0
        self.tangent.set_data([x - half, x + half], [L - half * slope, L + half * slope])
        top = float(np.max(along[np.isfinite(along)]))
        self.ax1.set_xlim(line[0], line[-1])
        self.ax1.set_ylim(0, top * 1.15)
        step = -np.sign(slope) * min(1.5, 0.5 + 2 * abs(slope))
        self.step_arrow.xy = (x + step, L)
        self.step_arrow.set_position((x, L))
        self.step_arrow.set_visible(abs(slope) > 1e-3)
        self.ax1.set_xlabel(f"{xn}  ({yn} = {yv:.2f})")

    def _words(self, xn, yn, x, yv, L, g, size):
        msg = (f"At {xn} = {x:+.2f}, {yn} = {yv:+.2f}: loss {L:.3f}, gradient "
               f"(dL/d{xn}, dL/d{yn}) = ({g[0]:+.3f}, {g[1]:+.3f}).")
        if size < 0.05 * self.longest:
            lo, hi = self.range
            if L < lo + 0.15 * (hi - lo):
                return explore.words(msg + " The gradient is almost zero (under 5% of the steepest arrow on the "
                                     "map): a flat spot at the bottom of the valley in these two weights.", "ok")
            return explore.words(msg + f" The gradient is almost zero, yet the loss is high (the lowest on the map "
                                 f"is {lo:.3f}): a plateau. Flat does not mean good: a step against so small a "
                                 "gradient barely moves, so training would crawl here.", "warn")
        return explore.words(msg + f" Downhill (along −gradient): {direction_words((xn, yn), g)}.", "info")


def gradients_explorer(**settings):
    """Gradient arrows on the loss surface (settings: see ``GradientsExplorer``)."""
    return GradientsExplorer(**settings)
