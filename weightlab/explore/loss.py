"""Notebook 03: the loss of the real network along one weight and over two weights."""
import numpy as np
from matplotlib.colors import LogNorm

from .. import explore, landscape, losses, network, problems
from ..plots import OKABE_ITO

WEIGHTS = network.flat_names()
DEFAULT_X, DEFAULT_Y = "W1[0,1]", "W2[1,0]"
HALF_WIDTH = 5.0
LOSS_COLOURS = {"bce": OKABE_ITO["vermillion"], "mse_prob": OKABE_ITO["blue"], "mse": OKABE_ITO["blue"]}
LOSS_STYLES = {"bce": "-", "mse_prob": "--", "mse": "--"}
CURRENT = OKABE_ITO["orange"]        # the marker of the network you have now


def two_apart(a, b, least=3):
    """Format a and b with the fewest decimals (at least ``least``) that show them as different numbers."""
    digits = least
    while digits < 12 and f"{a:.{digits}f}" == f"{b:.{digits}f}" and a != b:
        digits += 1
    return f"{a:.{digits}f}", f"{b:.{digits}f}"


class LossMap:
    """The loss over two weights as a colour map with contour lines, a marker for the
    current point and one for the trained point. Built once; ``set_grid`` and
    ``set_point`` change it in place (contour lines are replaced only with the grid)."""

    def __init__(self, ax, title="", cmap="viridis", levels=9, ylabels=True):
        self.ax, self.levels, self.lines, self.ylabels = ax, levels, None, ylabels
        self.image = ax.imshow(np.ones((2, 2)), origin="lower", extent=(0, 1, 0, 1), cmap=cmap,
                               norm=LogNorm(0.1, 1.0), aspect="auto", interpolation="bilinear")
        (self.cut,) = ax.plot([], [], color="white", lw=0.8, ls="--", alpha=0.8)
        (self.trained,) = ax.plot([], [], "x", color="white", ms=7, mew=1.8, label="trained")
        (self.point,) = ax.plot([], [], "o", color=CURRENT, mec="black", ms=8, zorder=5, clip_on=False,
                              gid="current")
        ax.set_title(title, fontsize=10)
        ax.locator_params(nbins=5)   # fewer tick labels: text is most of the drawing time

    def set_grid(self, xs, ys, Z, xname, yname):
        """A new surface Z[i, j] = L(xs[j], ys[i])."""
        finite = Z[np.isfinite(Z) & (Z > 0)]
        lo, hi = (finite.min(), finite.max()) if finite.size else (0.1, 1.0)
        hi = max(hi, lo * 1.01)
        self.image.set_data(np.where(np.isfinite(Z), Z, hi))
        self.image.set_extent((xs[0], xs[-1], ys[0], ys[-1]))
        self.image.set_norm(LogNorm(lo, hi))
        if self.lines is not None:
            self.lines.remove()   # takes its labels with it
        levels = np.geomspace(lo * 1.02, hi, self.levels)
        self.lines = self.ax.contour(xs, ys, Z, levels=levels, colors="white", linewidths=0.6, alpha=0.7)
        self.ax.clabel(self.lines, levels[1::3], fontsize=7, fmt="%.2g")
        self.ax.set_xlim(xs[0], xs[-1])
        self.ax.set_ylim(ys[0], ys[-1])
        self.ax.set_xlabel(xname)
        if self.ylabels:
            self.ax.set_ylabel(yname)
        else:
            self.ax.tick_params(labelleft=False)   # the same axis as the map on its left

    def fill(self, params, X, y, names, centre, half_width, n=45, loss="bce"):
        """The loss over the two weights ``names`` (the others fixed at ``params``) on an n x n grid,
        ``half_width`` either side of ``centre``; returns the grid of losses."""
        xs = np.linspace(centre[0] - half_width, centre[0] + half_width, n)
        ys = np.linspace(centre[1] - half_width, centre[1] + half_width, n)
        Z = landscape.loss_grid(params, X, y, list(names), xs, ys, loss=loss)
        self.set_grid(xs, ys, Z, *names)
        return Z

    def set_point(self, x, y, trained=None, cut=None):
        """Move the current-point marker (and the trained marker, and a horizontal cut line)."""
        self.point.set_data([x], [y])
        if trained is not None:
            self.trained.set_data([trained[0]], [trained[1]])
        if cut is not None:
            self.cut.set_data(self.ax.get_xlim(), [cut, cut])


class WeightPairExplorer(explore.Explorer):
    """An explorer of two weights, chosen by the drop-downs 'xweight' and 'yweight'.

    They never name the same weight: choosing the weight of the other axis moves
    the previous weight to that axis (a swap). A subclass draws the chosen pair in
    ``show()``, which returns the status line, and sets ``self.names`` to the pair
    whose grid it has drawn.
    """

    names = None           # the pair (x weight, y weight) drawn last
    message = ""           # the status line of the last drawing

    def update(self):
        xn, yn = self.controls["xweight"].value, self.controls["yweight"].value
        if xn != yn:
            self.message = self.show()
            return self.message
        old = self.names or (None, None)
        if old[0] is not None and old[0] != xn:
            axis, other = "yweight", old[0]
        else:
            axis = "xweight"
            other = old[1] if old[1] not in (None, yn) else next(w for w in WEIGHTS if w != yn)
        self.controls[axis].value = other          # redraws with two different weights
        return self.message + (f" (Both axes cannot show {xn}, so the {axis[0]} axis now shows {other}.)")

    def show(self):
        """Draw the chosen pair of weights; return the status line."""
        raise NotImplementedError


class LossExplorer(WeightPairExplorer):
    """The loss of a trained 2-3-1 network along one weight (cross-entropy and squared error of
    the probability side by side) and over two weights (a map of either loss).

    ``problem`` is (params, X, y); by default ``problems.reference_problem()``.
    """

    TRIES = {"xweight": ("W2[0,0]", "W2[1,0]", "W2[2,0]", "b2[0]", "W1[1,1]"), "yweight": ("b1[1]",),
             "surface": ("bce", "mse_prob"), "dx": (-5.0, 5.0, 0.1), "dy": (-5.0, 5.0)}
    TRAINING_CONTROLS = ()

    KINDS = ("bce", "mse_prob")

    def __init__(self, xweight=DEFAULT_X, yweight=DEFAULT_Y, grid=40, problem=None):
        self.params, self.X, self.y = problem if problem is not None else problems.reference_problem()
        self.grid_size, self.grids, self.shown = grid, None, None
        fig = explore.figure(9.0, 3.8)
        ax1 = self.ax1 = fig.add_axes([0.08, 0.14, 0.38, 0.74])
        self.lmap = LossMap(fig.add_axes([0.57, 0.14, 0.38, 0.74]))
        self.curves = {k: ax1.plot([], [], color=LOSS_COLOURS[k], ls=LOSS_STYLES[k], lw=1.8,
                                   label=losses.LABELS[k])[0] for k in self.KINDS}
        self.dots = {k: ax1.plot([], [], "o", color=LOSS_COLOURS[k], mec="black", ms=7, zorder=5,
                                 clip_on=False)[0] for k in self.KINDS}
        self.trained_line = ax1.axvline(0, color="#999", lw=1, ls=":", label="trained value")
        ax1.set_ylabel("loss")
        ax1.grid(alpha=0.3)
        ax1.locator_params(nbins=5)
        ax1.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
        controls = {
            "xweight": explore.dropdown("weight on the x axis", WEIGHTS, xweight),
            "yweight": explore.dropdown("weight on the y axis", WEIGHTS, yweight),
            "surface": explore.toggle("map of", [(losses.LABELS[k], k) for k in self.KINDS], "bce"),
            "dx": explore.slider("move the x weight by", -HALF_WIDTH, HALF_WIDTH, 0.0, step=0.1),
            "dy": explore.slider("move the y weight by", -HALF_WIDTH, HALF_WIDTH, 0.0, step=0.1),
        }   # in two columns: what is shown on the left, where the point is on the right
        super().__init__(fig, controls, title="The loss of the real network", columns=2)

    def show(self):
        params, X, y, kinds = self.params, self.X, self.y, self.KINDS
        xn, yn = self.controls["xweight"].value, self.controls["yweight"].value
        x0, y0 = landscape.value_of(params, xn), landscape.value_of(params, yn)
        self._draw_map(xn, yn, x0, y0)
        x, yv = x0 + self.controls["dx"].value, y0 + self.controls["dy"].value
        here = landscape.population_with(params, [xn, yn], [[x], [yv]])
        now = [v[0] for v in landscape.loss_of(here, X, y, loss=kinds)]
        # the 1-D cut: the x weight varies, the y weight stays at its current value
        line = np.linspace(x0 - HALF_WIDTH, x0 + HALF_WIDTH, 121)
        cut_params = network.member(here, 0)
        along = landscape.loss_of(landscape.population_with(cut_params, [xn], [line]), X, y, loss=kinds)
        for k, L, v in zip(kinds, along, now):
            self.curves[k].set_data(line, L)
            self.dots[k].set_data([x], [v])
        top = max(float(np.max(a[np.isfinite(a)])) for a in along)
        self.ax1.set_xlim(line[0], line[-1])
        self.ax1.set_ylim(0, top * 1.1)
        self.ax1.set_xlabel(f"{xn}  ({yn} = {yv:.2f})")
        self.trained_line.set_xdata([x0, x0])
        self.lmap.set_point(x, yv, trained=(x0, y0), cut=yv)
        base = [float(v[0]) for v in landscape.loss_of(network.stack([params]), X, y, loss=kinds)]
        return self._words(xn, yn, x, yv, now, base)

    @staticmethod
    def _words(xn, yn, x, yv, now, base):
        """The status line: both losses here and at the trained weights, with enough digits to tell them apart."""
        ce, ce0 = two_apart(now[0], base[0], least=4)
        se, se0 = two_apart(now[1], base[1], least=4)
        msg = (f"{xn} = {x:+.2f}, {yn} = {yv:+.2f}: cross-entropy {ce}, squared error of p {se} "
               f"(trained weights: {ce0} and {se0}).")
        if now[0] < base[0] - 1e-12:         # any real improvement (not float noise) counts, and shows
            return explore.words(msg + f" Cross-entropy {base[0] - now[0]:.2g} lower than the trained network: "
                                 "training had not finished.", "ok")
        return explore.words(msg, "info")

    def _draw_map(self, xn, yn, x0, y0):
        """The map of the chosen loss over the two weights (computed once per pair)."""
        shown = self.controls["surface"].value
        xs = np.linspace(x0 - HALF_WIDTH, x0 + HALF_WIDTH, self.grid_size)
        ys = np.linspace(y0 - HALF_WIDTH, y0 + HALF_WIDTH, self.grid_size)
        if self.names != (xn, yn):
            grids = landscape.loss_grid(self.params, self.X, self.y, [xn, yn], xs, ys, loss=self.KINDS)
            self.grids = dict(zip(self.KINDS, grids))
            self.names, self.shown = (xn, yn), None
        if self.shown != shown:
            self.lmap.set_grid(xs, ys, self.grids[shown], xn, yn)
            self.lmap.ax.set_title(f"{losses.LABELS[shown]} over two weights", fontsize=10)
            self.shown = shown


def loss_explorer(**settings):
    """The loss of the real network along one weight and over two (settings: see ``LossExplorer``)."""
    return LossExplorer(**settings)
