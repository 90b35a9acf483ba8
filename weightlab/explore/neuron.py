"""Notebook 01: one neuron, z = w1 x1 + w2 x2 + b, a = f(z).

``neuron_explorer`` shows the output a = f(z) over the input plane with the
data, the decision line z = 0 and the weight vector (w1, w2) at right angles
to it; a second panel shows the activation curve a = f(z) with every data
point placed at its own z.
"""
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import activations, datasets, network
from ..plots import CLASS_COLOURS
from . import Explorer, dropdown, figure, grid, slider, words

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
EXTENT = (-1.6, 1.6, -1.6, 1.6)
ARROW_BOX = (-1.2, 1.2, -1.2, 1.2)      # the arrow starts on the line inside this box, so it stays in view


def line_points(w1, w2, b, extent=EXTENT):
    """Two points of the line w1 x1 + w2 x2 + b = 0 spanning the extent, or None if w1 = w2 = 0."""
    norm2 = w1 * w1 + w2 * w2
    if norm2 < 1e-12:
        return None
    p0 = -b * np.array([w1, w2]) / norm2            # the point of the line closest to the origin
    d = np.array([-w2, w1]) / np.sqrt(norm2)        # direction along the line
    span = 2 * max(abs(v) for v in extent) + np.linalg.norm(p0)
    return np.array([p0 - span * d, p0 + span * d])


def clip_segment(pts, extent=EXTENT):
    """The part of the segment pts[0] -> pts[1] inside the box extent (x0, x1, y0, y1), or None (Liang-Barsky)."""
    p0, d = pts[0], pts[1] - pts[0]
    t0, t1 = 0.0, 1.0
    for k, lo, hi in ((0, extent[0], extent[1]), (1, extent[2], extent[3])):
        if abs(d[k]) < 1e-15:
            if not lo <= p0[k] <= hi:
                return None
            continue
        a, b = (lo - p0[k]) / d[k], (hi - p0[k]) / d[k]
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
    if t1 - t0 <= 1e-12:
        return None
    return np.array([p0 + t0 * d, p0 + t1 * d])


def nearest_to_origin(segment):
    """The point of a segment closest to the origin."""
    a, d = segment[0], segment[1] - segment[0]
    t = np.clip(-(a @ d) / max(d @ d, 1e-300), 0.0, 1.0)
    return a + t * d


def _signed(v):
    """'+ 1.5' or '− 1.5' (a real minus sign), for formulas in titles."""
    return f"{'−' if v < 0 else '+'} {abs(v):.1f}"


def colour_range(name, a):
    """(vmin, vmax) for showing a = f(z): the activation's own range where it has one, else ±max|a| (at least 1)."""
    info = activations.info(name)
    top = max(1.0, float(np.max(np.abs(a))))
    return (-top if info.lo is None else info.lo), (top if info.hi is None else info.hi)


class NeuronExplorer(Explorer):
    """Sliders for w1, w2, b and an activation choice; the decision line z = 0 moves with them.

    The line, its arrow (w1, w2) and its legend entry are shown only where the line crosses the
    picture; otherwise the status line says that every point is on one side.
    """

    TRIES = {"w1": (1.0, 4.0, 0.0), "w2": (1.0, 4.0, 0.0), "b": (0.0,), "activation": ACTIVATIONS}
    TRAINING_CONTROLS = ()

    def __init__(self, w1=1.5, w2=0.5, b=-0.5, activation="sigmoid", dataset="blobs", n=100, noise=0.1,
                 seed=0, point=0):
        self.X, self.y = datasets.make(dataset, n, noise, seed)
        self.grid, xs, ys = grid(EXTENT, 60)
        self.grid_shape, self.point = (len(ys), len(xs)), point
        fig = figure(8.6, 3.7)
        ax = fig.add_axes([0.07, 0.14, 0.36, 0.74])
        cax = fig.add_axes([0.445, 0.14, 0.012, 0.74])
        ax2 = fig.add_axes([0.615, 0.14, 0.365, 0.74])
        self._build_plane(fig, ax, cax)
        self._build_curve(ax2)
        controls = {
            "w1": slider("weight w1 (from x1)", -5, 5, w1, step=0.1),
            "w2": slider("weight w2 (from x2)", -5, 5, w2, step=0.1),
            "b": slider("bias b", -5, 5, b, step=0.1),
            "activation": dropdown("activation f", list(ACTIVATIONS), activation),
        }
        for key in ("w1", "w2", "b"):
            controls[key].layout.width = "480px"
        super().__init__(fig, controls, title="One neuron: move the weights and the bias")

    def _build_plane(self, fig, ax, cax):
        """The output over the input plane with its colour bar, the data, the decision line and the arrow (w1, w2)."""
        X, y, probe = self.X, self.y, self.X[self.point]
        self.image = ax.imshow(np.zeros(self.grid_shape), origin="lower", extent=EXTENT, cmap="RdBu_r",
                               vmin=0, vmax=1, aspect="auto", interpolation="bilinear", alpha=0.85)
        cbar = fig.colorbar(self.image, cax=cax)
        cax.set_title("", y=1.0)          # fixed title position: no title layout on each draw
        cbar.locator = MaxNLocator(4)         # few ticks: tick labels are most of a redraw's cost
        cbar.ax.tick_params(labelsize=8)
        cbar.set_label("output $a = f(z)$", fontsize=8, labelpad=2)
        ax.scatter(X[:, 0], X[:, 1], c=[CLASS_COLOURS[int(v)] for v in y], s=16, edgecolors="white",
                   linewidths=0.5, zorder=3)
        ax.scatter([probe[0]], [probe[1]], s=110, facecolors="none", edgecolors="k", linewidths=1.6, zorder=4)
        (self.line,) = ax.plot([], [], color="k", lw=2, zorder=5, label="decision line z = 0")
        self.arrow = ax.quiver([0], [0], [1], [0], angles="xy", scale_units="xy", scale=1, color="k",
                               width=0.012, zorder=6)
        self.arrow_label = ax.text(0, 0, "$(w_1, w_2)$", fontsize=8, zorder=6, ha="center", va="center",
                                   bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        ax.set_xlim(EXTENT[0], EXTENT[1])
        ax.set_ylim(EXTENT[2], EXTENT[3])
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$", labelpad=0)
        self.plane_title = ax.set_title("", fontsize=10, y=1.0)
        self.legend = ax.legend(loc="lower right", fontsize=7, framealpha=0.8)

    def _build_curve(self, ax2):
        """The activation curve a = f(z) with every data point at its own z."""
        zs = np.linspace(-1, 1, 200)
        self.ax2 = ax2
        (self.curve,) = ax2.plot(zs, zs, color="#333", lw=2, zorder=2)
        ax2.axvline(0, color="k", lw=1, ls="--", zorder=1)
        n = len(self.X)
        self.dots = ax2.scatter(np.zeros(n), np.zeros(n), c=[CLASS_COLOURS[int(v)] for v in self.y], s=16,
                                edgecolors="white", linewidths=0.5, zorder=3)
        self.probe_dot = ax2.scatter([0], [0], s=110, facecolors="none", edgecolors="k", linewidths=1.6, zorder=4)
        ax2.set_xlabel("weighted sum $z = w_1x_1 + w_2x_2 + b$")
        ax2.set_ylabel("output $a = f(z)$")
        ax2.xaxis.set_major_locator(MaxNLocator(5))
        ax2.yaxis.set_major_locator(MaxNLocator(5))
        ax2.grid(alpha=0.3)
        self.title2 = ax2.set_title("", fontsize=10, y=1.0)

    def update(self):
        c = self.values()
        f, _ = activations.get(c["activation"])
        w = (c["w1"], c["w2"])
        a_grid = f(network.weighted_sum(self.grid, w, c["b"])).reshape(self.grid_shape)
        self.image.set_data(a_grid)
        self.image.set_clim(*colour_range(c["activation"], a_grid))
        pts = line_points(c["w1"], c["w2"], c["b"])
        shown = None if pts is None else clip_segment(pts)
        self._draw_line(shown, c)
        self.plane_title.set_text(f"a = {c['activation']}({c['w1']:.1f}·x₁ {_signed(c['w2'])}·x₂ "
                            f"{_signed(c['b'])})".replace("-", "−"))
        z = network.weighted_sum(self.X, w, c["b"])
        a = f(z)
        reach = max(3.0, float(np.max(np.abs(z))) * 1.05)
        zz = np.linspace(-reach, reach, 200)
        self.curve.set_data(zz, f(zz))
        self.dots.set_offsets(np.column_stack([z, a]))
        self.probe_dot.set_offsets([[z[self.point], a[self.point]]])
        self.ax2.set_xlim(-reach, reach)
        lo, hi = colour_range(c["activation"], f(zz))
        pad = 0.08 * (hi - lo)
        self.ax2.set_ylim(lo - pad, hi + pad)
        self.title2.set_text(f"activation: {c['activation']}; circled point at its z")
        return self._words(c, z, a, pts is None, shown is None)

    def _draw_line(self, segment, c):
        """The visible part of the decision line and, from a point of it near the origin, the arrow
        (w1, w2) at right angles to it; nothing (and no legend) when the line misses the picture."""
        visible = segment is not None
        self.line.set_visible(visible)
        self.legend.set_visible(visible)
        self.arrow.set_visible(visible)
        self.arrow_label.set_visible(visible)
        if not visible:
            self.line.set_data([], [])
            return
        self.line.set_data(segment[:, 0], segment[:, 1])
        inner = clip_segment(segment, ARROW_BOX)
        foot = nearest_to_origin(segment if inner is None else inner)
        direction = np.array([c["w1"], c["w2"]]) / np.hypot(c["w1"], c["w2"])
        self.arrow.set_offsets([foot])
        self.arrow.set_UVC([0.5 * direction[0]], [0.5 * direction[1]])
        self.arrow_label.set_position(np.clip(foot + 0.75 * direction, -1.4, 1.4))

    def _words(self, c, z, a, no_weights, off_picture):
        probe, k = self.X[self.point], self.point
        accuracy = float(np.mean((z > 0) == (self.y == 1)))
        point_text = (f"Circled point ({probe[0]:.2f}, {probe[1]:.2f}): "
                      f"z = ({c['w1']:.1f})({probe[0]:.2f}) + ({c['w2']:.1f})({probe[1]:.2f}) + ({c['b']:.1f}) "
                      f"= {z[k]:.2f}, a = f(z) = {a[k]:.3f}")
        share = f"right for {100 * accuracy:.0f}% of the points"
        if no_weights:
            return words(f"w1 = w2 = 0: z = b everywhere, so the neuron ignores its inputs and there is "
                         f"no decision line: every point gets the same class, {share}. {point_text}", "warn")
        if off_picture:
            side, name = ("z > 0", "class 1 (orange)") if c["b"] > 0 else ("z < 0", "class 0 (blue)")
            return words(f"The decision line z = 0 lies outside the picture ({abs(c['b']) / np.hypot(c['w1'], c['w2']):.1f}"
                         f" from the origin): {side} at every point shown, so every point is called {name}, "
                         f"{share}. {point_text}", "warn")
        kind = "ok" if accuracy >= 0.9 else "info"
        return words(f"Rule \"class 1 (orange) where z > 0\" is {share}. {point_text}", kind)


def neuron_explorer(**settings):
    """One neuron's sliders and pictures (settings: see ``NeuronExplorer``)."""
    return NeuronExplorer(**settings)
