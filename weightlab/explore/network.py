"""Notebook 02: the 2-3-1 network, every one of its 13 parameters in your hands.

``network_explorer`` shows the network diagram (edge width = |w|, colour = sign),
the output over the input plane with the XOR data, and what each of the three
hidden units computes. A picker chooses any of the 13 parameters, a slider sets
its value, a switch changes the activation.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import activations, datasets, network
from ..plots import BoundaryView, NetworkDiagram
from . import Explorer, dropdown, figure, grid, slider, toggle, words

# A 2-3-1 tanh net that solves XOR (91% of the points; trained once with gradient
# descent and a small L2 penalty, then rounded to one decimal so it can be read).
XOR_PARAMS = {
    "W1": [[2.4, 1.7, -2.5], [2.2, -2.5, 1.3]],
    "b1": [-1.9, 1.4, 1.0],
    "W2": [[3.4], [3.8], [3.6]],
    "b2": [-1.2],
}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
EXTENT = (-1.5, 1.5, -1.5, 1.5)
VALUE_RANGE = (-5.0, 5.0)
HALO = "#f5b800"


def xor_params():
    """A fresh copy of the hand-readable XOR solution (float64 arrays)."""
    return {k: np.array(v, dtype=np.float64) for k, v in XOR_PARAMS.items()}


def get_value(params, name):
    """The value of one parameter named like 'W1[0,2]' or 'b1[1]'."""
    key, index = _parse(name)
    return float(params[key][index])


def set_value(params, name, value):
    """Set one parameter named like 'W1[0,2]' in place."""
    key, index = _parse(name)
    params[key][index] = value


def _parse(name):
    if name not in network.flat_names():
        raise ValueError(f"parameter={name!r} is not known; allowed: {', '.join(network.flat_names())}")
    key, rest = name.split("[")
    return key, tuple(int(i) for i in rest.rstrip("]").split(","))


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


def hidden_activity(params, X, activation):
    """The hidden units' outputs A1 = f(X W1 + b1), shape (N, 3)."""
    _, cache = network.forward(params, X, activation)
    return cache["a"][1]


def accuracy(params, X, y, activation):
    """Share of points where the output's side of 0.5 matches the label."""
    return float(np.mean((network.predict(params, X, activation) > 0.5) == (y == 1)))


def activations_figure(names=("relu", "sigmoid", "tanh", "identity"), lo=-4.0, hi=4.0):
    """A static row of small plots, f(z) for each activation in ``names`` (show it with ``explore.show``)."""
    fig = figure(9.0, 2.6)
    zs = np.linspace(lo, hi, 201)
    for k, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), k + 1)
        f, _ = activations.get(name)
        ax.plot(zs, f(zs), color="#333", lw=2)
        ax.axhline(0, color="#999", lw=0.8)
        ax.axvline(0, color="#999", lw=0.8)
        ax.set_title(name, fontsize=10)
        ax.set_ylim(-1.6, max(1.6, hi + 0.1))
        ax.set_xlabel("$z$")
        if k == 0:
            ax.set_ylabel("$f(z)$")
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.2, top=0.88, wspace=0.3)
    return fig


def network_explorer(activation="tanh", pick="W1[0,0]", params=None, dataset="xor", n=200, noise=0.1, seed=0):
    """Edit any of the 13 parameters of a 2-3-1 net and watch the diagram, the output and the hidden units.

    Picking a parameter only loads its current value into the slider (so
    ``ex.set(parameter=..., value=...)`` in one call keeps the old value; set the
    value in a second call). ``ex.reset()`` (the button) restores the start;
    ``ex.current()`` returns a copy of the parameters as they are now.
    """
    X, y = datasets.make(dataset, n, noise, seed)
    start = network.check_params(params) if params is not None else xor_params()
    state = {"params": network.copy(start), "picked": pick, "explorer": None}
    names = network.flat_names()
    lo, hi = VALUE_RANGE

    fig = figure(8.6, 3.9)
    ax_net = fig.add_axes([0.0, 0.06, 0.33, 0.84])
    ax_out = fig.add_axes([0.425, 0.13, 0.30, 0.75])
    ax_h = [fig.add_axes([0.80, 0.70 - 0.25 * j, 0.17, 0.19]) for j in range(3)]
    cax = fig.add_axes([0.80, 0.15, 0.17, 0.025])

    diagram = NetworkDiagram(ax_net)
    ax_net.set_title("weights: width = size, red +, blue −", fontsize=10, y=1.0)
    tidy_diagram(diagram)
    (edge_halo,) = ax_net.plot([], [], color=HALO, lw=14, alpha=0.7, solid_capstyle="round", zorder=0.5)
    allxy = np.vstack(diagram.xy)
    node_halo = ax_net.scatter([0], [0], s=1400, c=HALO, alpha=0.7, zorder=2.5)
    ax_net.text(allxy[3, 0], 1.08, "hidden", ha="center", fontsize=9, color="#555")
    ax_net.text(0.5, -1.17, "numbers in circles: biases", ha="center", fontsize=8, color="#555")

    boundary = BoundaryView(ax_out, X, y, extent=EXTENT, n=60)
    ax_out.set_title("output P(class 1), line at 0.5", fontsize=10, y=1.0)
    boundary.points.set_edgecolor("#222")
    boundary.points.set_linewidth(0.4)
    ax_out.set_xticks([-1, 0, 1])
    ax_out.set_yticks([-1, 0, 1])

    Gh, xs, ys = grid(EXTENT, 40)
    images, titles = [], []
    for j, ax in enumerate(ax_h):
        images.append(ax.imshow(np.zeros((len(ys), len(xs))), origin="lower", extent=EXTENT, cmap="PuOr_r",
                                vmin=-1, vmax=1, aspect="auto", interpolation="bilinear"))
        ax.set_xticks([])
        ax.set_yticks([])
        titles.append(ax.set_title("", fontsize=8, pad=3, y=1.0))
    bar = fig.colorbar(images[-1], cax=cax, orientation="horizontal")
    cax.set_title("", y=1.0)          # fixed title position: no title layout on each draw
    bar.locator = MaxNLocator(4)
    bar.ax.tick_params(labelsize=7)
    fig.text(0.885, 0.955, "hidden units $a_j = f(z_j)$", ha="center", fontsize=10)

    controls = {
        "parameter": dropdown("parameter to edit", names, pick),
        "value": slider("its value", lo, hi, get_value(start, pick), step=0.1),
        "activation": toggle("activation f", list(ACTIVATIONS), activation),
    }

    def update():
        params = state["params"]
        name, value = controls["parameter"].value, controls["value"].value
        if name != state["picked"]:
            # a new parameter was picked: the slider shows its value, nothing else changes
            state["picked"] = name
            ex = state["explorer"]
            if ex is not None:
                ex._holding = True
            try:
                controls["value"].value = float(np.clip(get_value(params, name), lo, hi))
            finally:
                if ex is not None:
                    ex._holding = False
        else:
            set_value(params, name, value)
        act = controls["activation"].value
        f, _ = activations.get(act)

        diagram.update(params)
        key, index = _parse(name)
        layer = int(key[1])
        if key[0] == "W":
            a, b = diagram.xy[layer - 1][index[0]], diagram.xy[layer][index[1]]
            edge_halo.set_data([a[0], b[0]], [a[1], b[1]])
            node_halo.set_offsets(np.zeros((0, 2)))
        else:
            edge_halo.set_data([], [])
            node_halo.set_offsets([diagram.xy[layer][index[0]]])

        P = network.predict(params, boundary.grid, act)
        boundary.update(P)
        A1 = hidden_activity(params, Gh, act)
        top = max(1.0, float(np.max(np.abs(A1)))) if act in ("relu", "identity") else 1.0
        for j in range(3):
            images[j].set_data(A1[:, j].reshape(len(ys), len(xs)))
            images[j].set_clim(-top, top)
            titles[j].set_text(f"unit {j + 1}: out weight {params['W2'][j, 0]:+.1f}")

        acc = accuracy(params, X, y, act)
        msg = (f"{name} = {get_value(params, name):+.2f} (highlighted). "
               f"With {act}, the network classifies {100 * acc:.0f}% of the {dataset.upper()} points correctly.")
        if P.min() > 0.5 or P.max() < 0.5:
            side = "above" if P.min() > 0.5 else "below"
            msg += (f" The output is {side} 0.5 everywhere in the picture, so every point gets the same class:"
                    " no decision boundary.")
        if act == "identity":
            return words(msg + " With the identity activation the whole net is one linear neuron: "
                         "its boundary can only be a straight line.", "warn")
        return words(msg, "ok" if acc >= 0.85 else "info")

    ex = Explorer(fig, controls, update, title="The 2-3-1 network: edit any of its 13 parameters")
    state["explorer"] = ex

    def reset(_=None):
        state["params"] = network.copy(start)
        state["picked"] = None          # makes update reload the slider from the parameters
        ex.refresh()

    ex.reset = reset
    ex.current = lambda: network.copy(state["params"])   # the parameters as they are now (a copy)
    button = widgets.Button(description="reset to the XOR solution" if params is None else "reset weights",
                            layout={"width": "220px"})
    button.on_click(reset)
    ex.widget.children = ex.widget.children[:-1] + (button, ex.widget.children[-1])
    return ex
