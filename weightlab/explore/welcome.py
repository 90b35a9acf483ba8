"""Notebook 00: one slider to try. It moves one weight of the 2-3-1 XOR network.

The left panel is the network (the changed edge is highlighted), the right
panel the network's output over the input plane with its decision boundary.
"""
import numpy as np

from .. import datasets, network, problems
from ..plots import BoundaryView, NetworkDiagram
from . import Explorer, figure, slider, words
from .network import EXTENT, HALO, edge_ends, tidy_diagram


def diagram_figure(params=None, width=6.0, height=3.4):
    """A static picture of one network's weights (edge width = size, colour = sign) and biases."""
    params = network.init_params(seed=0) if params is None else params
    fig = figure(width, height)
    diagram = NetworkDiagram(fig.add_axes([0, 0, 1, 1]), network.sizes_of(params))
    if network.sizes_of(params) == network.DEFAULT_SIZES:
        tidy_diagram(diagram)
    diagram.update(params)
    return fig


class WelcomeExplorer(Explorer):
    """One slider for one weight of the XOR network; the diagram and the decision boundary follow it."""

    TRIES = {"weight": (2.4, -5.0, 0.0)}
    TRAINING_CONTROLS = ()

    def __init__(self, weight="W1[0,0]", activation="tanh", n=200, noise=0.1, seed=0):
        self.X, self.y = datasets.make("xor", n, noise, seed)
        self.params, self.weight, self.activation = problems.xor_params(), weight, activation
        self.start = network.get_value(self.params, weight)
        if not weight.startswith("W"):
            raise ValueError(f"weight={weight!r} is a bias; allowed: a weight such as 'W1[0,0]' or 'W2[1,0]'")
        fig = figure(8.6, 3.6)
        ax_net = fig.add_axes([0.0, 0.05, 0.42, 0.85])
        ax_out = fig.add_axes([0.55, 0.13, 0.38, 0.75])
        self.diagram = NetworkDiagram(ax_net)
        tidy_diagram(self.diagram)
        a, b = edge_ends(self.diagram, weight)
        ax_net.plot([a[0], b[0]], [a[1], b[1]], color=HALO, lw=14, alpha=1.0, solid_capstyle="round", zorder=0.5)
        ax_net.set_title(f"the 13 numbers; the slider moves {weight}", fontsize=10, y=1.0)
        self.boundary = BoundaryView(ax_out, self.X, self.y, extent=EXTENT, n=60)
        self.boundary.points.set_edgecolor("#222")
        self.boundary.points.set_linewidth(0.4)
        ax_out.set_xticks([-1, 0, 1])
        ax_out.set_yticks([-1, 0, 1])
        ax_out.set_title("the network's answer: P(class 1), line at 0.5", fontsize=10, y=1.0)
        controls = {"weight": slider(f"weight {weight} (highlighted edge)", -5, 5, self.start, step=0.1)}
        controls["weight"].layout.width = "560px"       # a long label: keep the track long too
        super().__init__(fig, controls, title="Try it: drag the slider")

    def update(self):
        value = self.controls["weight"].value
        network.set_value(self.params, self.weight, value)
        self.diagram.update(self.params)
        P = network.predict(self.params, self.boundary.grid, self.activation)
        self.boundary.update(P)
        acc = network.accuracy(self.params, self.X, self.y, self.activation)
        change = "the starting value" if np.isclose(value, self.start) else f"was {self.start:+.1f}"
        msg = f"{self.weight} = {value:+.1f} ({change}): the network gets {100 * acc:.0f}% of the points right."
        if P.min() > 0.5 or P.max() < 0.5:
            msg += (f" The output is {'above' if P.min() > 0.5 else 'below'} 0.5 everywhere in the picture: "
                    "no decision boundary, every point gets the same class.")
        return words(msg, "ok" if acc >= 0.85 else "info")


def welcome_explorer(**settings):
    """One slider for one weight of the XOR network (settings: see ``WelcomeExplorer``)."""
    return WelcomeExplorer(**settings)
