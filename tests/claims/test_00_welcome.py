"""Claims of notebook 00: the 13 numbers, how they are named, the diagram, and one weight that breaks XOR."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from register import claim
from weightlab import datasets, network, problems
from weightlab.explore import welcome

NOTEBOOK = "00_welcome.ipynb"


def xor_accuracy_with(value, name="W1[0,0]"):
    X, y = datasets.make("xor", 200, 0.1, 0)
    params = problems.xor_params()
    network.set_value(params, name, value)
    return float(network.accuracy(params, X, y))


@claim("2d4aa230", "a 2-3-1 net, is exactly **13 numbers**")
@claim("eb77b8d0", "For `(2, 3, 1)` the answer is 13")
@claim("8dfde12e", "| | | **total** | **13** |")
def test_a_2_3_1_net_is_13_numbers():
    params = network.init_params(seed=0)
    assert {k: v.shape for k, v in params.items()} == {"W1": (2, 3), "b1": (3,), "W2": (3, 1), "b2": (1,)}
    assert sum(v.size for v in params.values()) == 13 == network.n_parameters((2, 3, 1))
    counted = sum(a * b + b for a, b in [(2, 3), (3, 1)])         # a*b weights and b biases per layer
    assert counted == 13


@claim("8dfde12e", "weights drawn at random from a seeded generator (notebook 07 explains how), biases set to 0")
def test_init_params_draws_seeded_weights_and_zero_biases():
    a, b, c = network.init_params(seed=0), network.init_params(seed=0), network.init_params(seed=1)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W1"], c["W1"])
    assert np.all(a["b1"] == 0) and np.all(a["b2"] == 0)


@claim("8eff4fae", "`W1[i, j]` | the weight from input $x_{i+1}$ to hidden unit $h_{j+1}$")
@claim("8eff4fae", "hidden unit $h_{j+1}$ reads column $j$ of `W1`: $z = x_1 W_1[0, j] + x_2 W_1[1, j] + b_1[j]$")
def test_w1_i_j_joins_input_i_plus_1_to_hidden_unit_j_plus_1():
    params = network.init_params(seed=3)
    X = np.array([[0.7, -1.3]])
    _, cache = network.forward(params, X)
    Z1 = cache["z"][0]
    for j in range(3):               # hidden unit h_(j+1) by hand
        z = X[0, 0] * params["W1"][0, j] + X[0, 1] * params["W1"][1, j] + params["b1"][j]
        assert Z1[0, j] == pytest.approx(z, abs=1e-15)
    # moving W1[0, 2] changes only hidden unit h3, and only through input x1
    moved = network.copy(params)
    moved["W1"][0, 2] += 1.0
    Z1m = network.forward(moved, X)[1]["z"][0]
    assert np.allclose(Z1m[0, :2], Z1[0, :2]) and Z1m[0, 2] == pytest.approx(Z1[0, 2] + X[0, 0])
    assert network.flat_names()[:6] == ["W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]", "W1[1,1]", "W1[1,2]"]


@claim("5d963b08", "The hidden units are labelled $h_1, h_2, h_3$ above their circles")
@claim("5d963b08", "the edge from $x_1$ to $h_3$ carries `W1[0,2]`")
def test_the_diagram_labels_units_and_puts_each_value_on_its_edge():
    params = network.init_params(seed=0)
    fig = welcome.diagram_figure(params)
    try:
        ax = fig.axes[0]
        labels = {t.get_text(): np.asarray(t.xy) for t in ax.texts if t.get_text() in ("h₁", "h₂", "h₃")}
        assert list(labels) == ["h₁", "h₂", "h₃"]
        # edge number 2 is W1[0,2] (the package's order of names); it runs from x1 to the node labelled h3,
        # and the label showing its value sits on it
        start, end = ax.collections[0].get_segments()[network.flat_names().index("W1[0,2]")]
        assert np.allclose(end, labels["h₃"]) and start[1] > 0             # x1 is the upper input
        value = f"{params['W1'][0, 2]:+.2f}"
        pos = [np.asarray(t.get_position()) for t in ax.texts if t.get_text() == value][0]
        d, e = end - start, pos - start
        assert abs(d[0] * e[1] - d[1] * e[0]) < 1e-9 and 0 < e @ d < d @ d
    finally:
        plt.close(fig)


@claim("5d963b08", "its width is the weight's size and its colour its sign (red positive, blue negative)")
@claim("8074d668", "the edge's colour turns blue when the weight becomes negative")
@claim("8074d668", "at 0 the edge turns grey and shrinks to the thinnest line the diagram draws")
def test_edge_width_is_size_and_colour_is_sign():
    from matplotlib.colors import to_hex
    from weightlab.plots import NEG, POS, ZERO
    ex = welcome.welcome_explorer()
    try:
        widths = {}
        for value in (2.4, -3.0, 0.0):
            ex.set(weight=value)
            edges = ex.diagram.edges
            widths[value] = edges.get_linewidths()[0]
            colour = to_hex(edges.get_colors()[0])
            assert colour == to_hex(NEG if value < 0 else POS if value > 0 else ZERO)
        all_widths = ex.diagram.edges.get_linewidths()
        assert widths[0.0] == min(all_widths) and widths[0.0] < widths[2.4] < widths[-3.0]
    finally:
        plt.close(ex.fig)


@claim("4c78b026", "the points are orange (class 1) where $x_1$ and $x_2$ have the same sign, blue where they differ")
@claim("4c78b026", "15 of the 200 points sit just across an axis from their quadrant")
def test_xor_labels_and_the_points_moved_by_noise():
    X, y = datasets.make("xor", 200, 0.1, 0)
    X0, y0 = datasets.make("xor", 200, 0.0, 0)          # the same draw before the noise
    assert np.array_equal(y, y0) and np.array_equal(y0, (X0[:, 0] * X0[:, 1] > 0).astype(float))
    assert int(np.sum(y != (X[:, 0] * X[:, 1] > 0))) == 15


@claim("4c78b026", "red for \"class 1\", blue for \"class 0\"")
def test_the_output_map_is_red_for_class_1():
    ex = welcome.welcome_explorer()
    try:
        cmap = ex.boundary.image.get_cmap()
        hi, lo = cmap(1.0), cmap(0.0)
        assert hi[0] > hi[2] and lo[2] > lo[0]                   # P = 1 red, P = 0 blue
    finally:
        plt.close(ex.fig)


@claim("4c78b026", "At its starting value, +2.4, the network gets 91% of the points right")
@claim("8074d668", "83% at 0, 57% at −1.5, and from −2 down to −5 it stays at 52.5%")
@claim("101f422d", "takes the XOR network from 91% to 52.5% of the points right")
def test_one_weight_breaks_xor():
    assert xor_accuracy_with(2.4) == pytest.approx(0.91)
    assert xor_accuracy_with(0.0) == pytest.approx(0.83)
    assert xor_accuracy_with(-1.5) == pytest.approx(0.57)
    for value in np.arange(-5.0, -1.95, 0.1):                  # every slider step from -5 to -2
        assert xor_accuracy_with(round(value, 1)) == pytest.approx(0.525)


@claim("101f422d", "The series has twelve notebooks, one idea each, from a single neuron (01) to a playground with every setting (11)")
def test_the_series_has_twelve_notebooks_and_11_is_the_playground():
    from pathlib import Path
    books = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(books) == 12
    assert books[1].name.startswith("01_single_neuron") and books[11].name.startswith("11_playground")


@claim("17cb5002", "Nothing here takes more than a few seconds")
def test_each_code_cell_of_00_is_quick():
    import time
    for make in (lambda: welcome.diagram_figure(network.init_params(seed=0)).canvas.draw(),
                 lambda: welcome.welcome_explorer().fig.canvas.draw()):
        t = time.perf_counter()
        make()
        assert time.perf_counter() - t < 3.0
    plt.close("all")
