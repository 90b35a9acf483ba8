"""Notebook 02: the 2-3-1 network, every one of its 13 parameters in your hands.

``network_explorer`` shows the network diagram (edge width = |w|, colour = sign),
the output over the input plane with the XOR data, and what each of the three
hidden units computes. A picker chooses any of the 13 parameters, a slider sets
its value, a switch changes the activation.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import activations, datasets, experiments, network, problems
from ..plots import OKABE_ITO, BoundaryView, NetworkDiagram, unit_label
from . import Explorer, dropdown, figure, grid, slider, toggle, words
from .neuron import clip_segment, line_points

ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "identity")
EXTENT = (-1.5, 1.5, -1.5, 1.5)
VALUE_RANGE = (-5.0, 5.0)
HALO = OKABE_ITO["yellow"]
BEST_LINE = OKABE_ITO["green"]


def tidy_diagram(diagram):
    """Fit a NetworkDiagram into a narrow panel: room for the input labels, the output label
    under its node, and bias numbers small enough to stay inside their circles."""
    ax = diagram.ax
    ax.set_xlim(-0.3, 1.2)
    for t in ax.texts:
        if t.get_text().startswith("$x_"):      # input labels clear of their circles
            x, y = t.get_position()
            t.set_position((x - 0.07, y))
        if t.get_text() == "output":
            t.set_position((diagram.xy[-1][0][0], diagram.xy[-1][0][1] - 0.24))
            t.set_horizontalalignment("center")
            t.set_verticalalignment("top")
    for t in diagram.node_text:
        t.set_fontsize(7)


def edge_ends(diagram, name):
    """The two node positions joined by the edge of the weight ``name`` ('W1[0,2]') on a NetworkDiagram."""
    key, index = network.parse_name(name, diagram.sizes)
    layer = int(key[1])
    return diagram.xy[layer - 1][index[0]], diagram.xy[layer][index[1]]


def activations_figure(names=("relu", "leaky_relu", "sigmoid", "tanh", "identity"), lo=-4.0, hi=4.0):
    """A static row of small plots, f(z) for each activation in ``names`` (show it with ``explore.show``)."""
    fig = figure(9.0, 2.6)
    zs = np.linspace(lo, hi, 201)
    for k, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), k + 1)
        f, _ = activations.get(name)
        ax.plot(zs, f(zs), color=OKABE_ITO["black"], lw=2)
        ax.axhline(0, color="#999", lw=0.8)
        ax.axvline(0, color="#999", lw=0.8)
        ax.set_title(name, fontsize=10)
        if name == "leaky_relu":          # its negative side is too flat to see: say it
            ax.annotate(f"slope {activations.LEAKY_SLOPE:g}\nfor z < 0", xy=(0.6 * lo, 0.6 * lo * activations.LEAKY_SLOPE),
                        xytext=(0.9 * lo, 1.3), fontsize=7, arrowprops=dict(arrowstyle="->", lw=0.8))
        ax.set_ylim(-1.6, max(1.6, hi + 0.1))
        ax.set_xlabel("$z$")
        if k == 0:
            ax.set_ylabel("$f(z)$")
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.2, top=0.88, wspace=0.3)
    return fig


def linear_figure(X, y, params, width=9.0, height=3.0):
    """Three answers on the same points, each colouring the side it calls class 1 red and the other blue:
    the net with f(z) = z, the best straight line (``experiments.best_line``) and the net with tanh.
    Each panel's title gives its share of points right."""
    accuracy, w, b = experiments.best_line(X, y)
    fig = figure(width, height)
    panels = [("identity, these weights", network.accuracy(params, X, y, "identity"),
               lambda G: network.predict(params, G, "identity") > 0.5),
              ("the best straight line", accuracy, lambda G: G @ w + b > 0),
              ("tanh, the same weights", network.accuracy(params, X, y, "tanh"),
               lambda G: network.predict(params, G, "tanh") > 0.5)]
    for k, (name, acc, class_1) in enumerate(panels):
        ax = fig.add_axes([0.06 + 0.325 * k, 0.15, 0.27, 0.72])
        view = BoundaryView(ax, X, y, extent=EXTENT, n=120)
        view.image.set_interpolation("nearest")
        view.points.set_edgecolor("#222")
        view.points.set_linewidth(0.4)
        view.update(np.where(class_1(view.grid), 0.7, 0.3))          # two sides, no shades in between
        ax.set_title(f"{name}: {100 * acc:.1f}% right", fontsize=10)
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        if k:
            ax.set_ylabel("")
    return fig


class NetworkExplorer(Explorer):
    """Edit any of the 13 parameters of a 2-3-1 net and watch the diagram, the output and the hidden units.

    Picking a parameter only loads its current value into the slider (so
    ``ex.set(parameter=..., value=...)`` in one call keeps the old value; set the
    value in a second call). ``ex.reset()`` (the button) restores the start: the parameters and
    every control. With the identity activation the output panel also shows the best straight
    line for the data (``experiments.best_line``), so the collapsed net's score is not mistaken
    for the best a line can do.
    """

    TRIES = {"parameter": ("W2[0,0]", "W2[1,0]", "W2[2,0]", "b1[0]"), "value": (0.0,),
             "activation": ("identity", "relu", "leaky_relu", "sigmoid")}
    TRAINING_CONTROLS = ()

    def __init__(self, activation="tanh", pick="W1[0,0]", params=None, dataset="xor", n=200, noise=0.1, seed=0):
        self.X, self.y = datasets.make(dataset, n, noise, seed)
        self.dataset = dataset
        self.start = network.check_params(params) if params is not None else problems.xor_params()
        self.params, self.picked = network.copy(self.start), pick
        self.initial = {"parameter": pick, "activation": activation}
        self.best_line = experiments.best_line(self.X, self.y)      # (accuracy, w, b)
        fig = figure(8.6, 3.9)
        ax_net = fig.add_axes([0.0, 0.06, 0.33, 0.84])
        ax_out = fig.add_axes([0.425, 0.13, 0.30, 0.75])
        ax_h = [fig.add_axes([0.80, 0.70 - 0.25 * j, 0.17, 0.19]) for j in range(3)]
        cax = fig.add_axes([0.80, 0.15, 0.17, 0.025])
        self._build_diagram(ax_net)
        self.boundary = BoundaryView(ax_out, self.X, self.y, extent=EXTENT, n=60)
        ax_out.set_title("output P(class 1), line at 0.5", fontsize=10, y=1.0)
        self.boundary.points.set_edgecolor("#222")
        self.boundary.points.set_linewidth(0.4)
        ax_out.set_xticks([-1, 0, 1])
        ax_out.set_yticks([-1, 0, 1])
        self._build_best_line(ax_out)
        self._build_hidden(fig, ax_h, cax)
        lo, hi = VALUE_RANGE
        controls = {
            "parameter": dropdown("parameter to edit", network.flat_names(), pick),
            "value": slider("its value", lo, hi, network.get_value(self.start, pick), step=0.1),
            "activation": toggle("activation f", list(ACTIVATIONS), activation),
        }
        super().__init__(fig, controls, title="The 2-3-1 network: edit any of its 13 parameters")
        button = widgets.Button(description="reset to the XOR solution" if params is None else "reset weights",
                                layout={"width": "220px"})
        button.on_click(lambda _: self.reset())
        self.add_row(button)

    def _build_diagram(self, ax_net):
        self.diagram = NetworkDiagram(ax_net)
        ax_net.set_title("weights: width = size, red +, blue −", fontsize=10, y=1.0)
        tidy_diagram(self.diagram)
        (self.edge_halo,) = ax_net.plot([], [], color=HALO, lw=14, alpha=1.0, solid_capstyle="round", zorder=0.5)
        allxy = np.vstack(self.diagram.xy)
        self.node_halo = ax_net.scatter([0], [0], s=1400, c=HALO, alpha=1.0, zorder=2.5)
        ax_net.text(allxy[3, 0], 1.08, "hidden", ha="center", fontsize=9, color="#555")
        ax_net.text(0.5, -1.17, "numbers in circles: biases", ha="center", fontsize=8, color="#555")

    def _build_best_line(self, ax_out):
        """The best straight line for the data, dashed, with its score written on it (shown with identity)."""
        accuracy, w, b = self.best_line
        ends = clip_segment(line_points(w[0], w[1], b, EXTENT), EXTENT)
        (self.best_artist,) = ax_out.plot(ends[:, 0], ends[:, 1], color=BEST_LINE, lw=2.2, ls="--", zorder=4)
        inside = clip_segment(ends, tuple(0.6 * np.asarray(EXTENT)))
        where = (inside if inside is not None else ends).mean(axis=0)
        self.best_label = ax_out.text(where[0], where[1], f"best straight line: {100 * accuracy:.0f}%", fontsize=7,
                                      ha="center", va="center", zorder=6, color="black",
                                      bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=BEST_LINE, alpha=0.9))

    def _build_hidden(self, fig, ax_h, cax):
        """One heat map per hidden unit, a = f(z_j) over the input plane, and their colour bar."""
        self.hidden_grid, xs, ys = grid(EXTENT, 40)
        self.hidden_shape = (len(ys), len(xs))
        self.images, self.titles = [], []
        for ax in ax_h:
            self.images.append(ax.imshow(np.zeros(self.hidden_shape), origin="lower", extent=EXTENT,
                                         cmap="PuOr_r", vmin=-1, vmax=1, aspect="auto", interpolation="bilinear"))
            ax.set_xticks([])
            ax.set_yticks([])
            self.titles.append(ax.set_title("", fontsize=8, pad=3, y=1.0))
        bar = fig.colorbar(self.images[-1], cax=cax, orientation="horizontal")
        cax.set_title("", y=1.0)          # fixed title position: no title layout on each draw
        bar.locator = MaxNLocator(4)
        bar.ax.tick_params(labelsize=7)
        fig.text(0.885, 0.955, "hidden units: a = f(z)", ha="center", fontsize=10)

    def update(self):
        name, value = self.controls["parameter"].value, self.controls["value"].value
        if name != self.picked:
            # a new parameter was picked: the slider shows its value, nothing else changes
            self.picked = name
            with self.holding():
                self.controls["value"].value = float(np.clip(network.get_value(self.params, name), *VALUE_RANGE))
        else:
            network.set_value(self.params, name, value)
        act = self.controls["activation"].value
        self.diagram.update(self.params)
        self._highlight(name)
        P = network.predict(self.params, self.boundary.grid, act)
        self.boundary.update(P)
        A1 = network.forward(self.params, self.hidden_grid, act)[1]["a"][1]     # the hidden units' outputs
        top = max(1.0, float(np.max(np.abs(A1)))) if act in ("relu", "identity") else 1.0
        for j in range(3):
            self.images[j].set_data(A1[:, j].reshape(self.hidden_shape))
            self.images[j].set_clim(-top, top)
            self.titles[j].set_text(f"{unit_label(j)}: out weight W2[{j},0] = {self.params['W2'][j, 0]:+.1f}")
        self.best_artist.set_visible(act == "identity")
        self.best_label.set_visible(act == "identity")
        return self._words(name, act, P)

    def _highlight(self, name):
        """A halo on the picked weight's edge, or on the picked bias's node."""
        if name.startswith("W"):
            a, b = edge_ends(self.diagram, name)
            self.edge_halo.set_data([a[0], b[0]], [a[1], b[1]])
            self.node_halo.set_offsets(np.zeros((0, 2)))
        else:
            key, index = network.parse_name(name)
            self.edge_halo.set_data([], [])
            self.node_halo.set_offsets([self.diagram.xy[int(key[1])][index[0]]])

    def _words(self, name, act, P):
        acc = network.accuracy(self.params, self.X, self.y, act)
        msg = (f"{name} = {network.get_value(self.params, name):+.2f} (highlighted). With {act}, the network "
               f"classifies {100 * acc:.0f}% of the {self.dataset.upper()} points correctly.")
        if P.min() > 0.5 or P.max() < 0.5:
            side = "above" if P.min() > 0.5 else "below"
            msg += (f" The output is {side} 0.5 everywhere in the picture, so every point gets the same class:"
                    " no decision boundary.")
        if act == "identity":
            return words(msg + " With the identity activation the whole net is one linear neuron: its boundary "
                         f"can only be a straight line. The best straight line for these points (dashed) gets "
                         f"{100 * self.best_line[0]:.0f}%.", "warn")
        return words(msg, "ok" if acc >= 0.85 else "info")

    def reset(self):
        """Back to the start: the starting parameters, the first picked parameter, the first activation."""
        self.params = network.copy(self.start)
        self.picked = None          # makes update reload the slider from the parameters
        with self.holding():
            for name, value in self.initial.items():
                self.controls[name].value = value
        self.refresh()

    def current(self):
        """The parameters as they are now (a copy)."""
        return network.copy(self.params)


def network_explorer(**settings):
    """Edit any of the 13 parameters of a 2-3-1 net (settings: see ``NetworkExplorer``)."""
    return NetworkExplorer(**settings)
