"""Claims of notebook 02: the XOR network, its collapse without a non-linearity, the best straight line,
the activations and dead units, and what each output weight does."""
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

import weightlab as wl
from register import claim
from weightlab import activations, datasets, experiments, losses, network, training
from weightlab.explore import network as netx
from weightlab.problems import xor_params

NOTEBOOK = "02_network.ipynb"
X, Y = datasets.make("xor", 200, 0.1, 0)


def accuracy(params, activation="tanh"):
    return float(network.accuracy(params, X, Y, activation))


def with_value(name, value):
    params = xor_params()
    network.set_value(params, name, value)
    return params


@claim("eca3b625", "it gets 91% of the 200 points right")
@claim("2a3b4c02", "while the curved tanh network gets 91%")
def test_the_xor_network_gets_91_percent():
    p = network.predict(xor_params(), X)
    assert np.mean((p > 0.5) == (Y == 1)) == pytest.approx(0.91)


@claim("eca3b625", "Hidden unit $h_{j+1}$ is a neuron like in notebook 01, with its weights in column $j$ of $W_1$ and its bias $b_1[j]$")
def test_hidden_unit_j_plus_1_is_column_j():
    params = xor_params()
    Z1 = network.forward(params, X)[1]["z"][0]
    for j in range(3):
        np.testing.assert_allclose(Z1[:, j], network.weighted_sum(X, params["W1"][:, j], params["b1"][j]))


@claim("2f9c2801", "That is **one neuron** with weights $W$ and bias $b$: its boundary is a straight line, whatever the 13 numbers are")
def test_the_identity_network_is_one_neuron_for_any_weights():
    for seed in range(20):
        params = network.init_params(seed=seed, scale=3.0)
        z, _ = network.forward(params, X, "identity")
        W, b = params["W1"] @ params["W2"], params["b1"] @ params["W2"] + params["b2"]
        np.testing.assert_allclose(z, X @ W + b, atol=1e-12)


@claim("b0f0e339", "the collapsed network gets 48.5% of the points right")
@claim("b0f0e339", "worse than always answering \"class 0\" (53.5% of the points are class 0)")
@claim("b0f0e339", "give 48.5% as a straight line")
def test_the_collapsed_network_and_the_constant_answer():
    assert accuracy(xor_params(), "identity") == pytest.approx(0.485)
    assert np.mean(Y == 0) == pytest.approx(0.535)


@claim("b0f0e339", "the line through every pair of points (19,900 pairs for 200 points)")
def test_the_number_of_pairs():
    assert len(list(itertools.combinations(range(200), 2))) == 19_900


@claim("2a3b4c02", "The best straight line gets 72%")
@claim("2a3b4c02", "no straight line does better")
def test_the_best_straight_line_gets_72_percent_and_no_line_more():
    best, w, b = experiments.best_line(X, Y)
    assert best == pytest.approx(0.72) and experiments.line_accuracy(X, Y, w, b) == best
    # independent upper bound: for 3600 directions, every threshold along that direction
    top = 0
    for th in np.linspace(0, 2 * np.pi, 3600, endpoint=False):
        s = X @ [np.cos(th), np.sin(th)]
        ys = Y[np.argsort(s)] == 1
        right = np.concatenate([[0], np.cumsum(~ys)]) + ys.sum() - np.concatenate([[0], np.cumsum(ys)])
        top = max(top, right.max() / len(Y))
    assert top <= 0.72 + 1e-12


@claim("2a3b4c02", "it cuts off the top-right corner, where the class-1 points of one quadrant sit, and calls everything else class 0")
def test_the_best_line_cuts_off_the_top_right_corner():
    _, w, b = experiments.best_line(X, Y)
    assert w[0] > 0 and w[1] > 0 and b < 0                        # class 1 beyond a line across the top right
    called_1 = X @ w + b > 0
    assert np.mean(X[called_1] > 0) > 0.85                       # what it calls class 1 lies up and right
    assert np.mean(called_1) < 0.4


@claim("2a3b4c02", "A linear network, however many layers and weights it has, can do no better than this one line")
def test_trained_linear_networks_do_no_better_than_the_best_line():
    for sizes in ((2, 3, 1), (2, 8, 8, 1)):
        pop = network.init_params(sizes, seed=0, population=5)
        t = training.Trainer(pop, X, Y, activation="identity", lr=0.1, record_params=False)
        t.step(500)
        acc = network.accuracy(t.current, X, Y, "identity")
        assert np.all(acc <= 0.72 + 1e-12) and np.all(acc > 0.6)


@claim("2a3b4c03", "its slope is at most 1/4")
@claim("2a3b4c03", "= 2\\sigma(2z) - 1")
@claim("2a3b4c03", "\\mathrm{leaky}(z) = \\max(0.01\\,z,\\ z)")
def test_activation_facts():
    z = np.linspace(-30, 30, 60001)
    _, dsig = activations.get("sigmoid")
    assert dsig(z).max() == pytest.approx(0.25) and dsig(z).max() <= 0.25
    np.testing.assert_allclose(np.tanh(z), 2 * activations.sigmoid(2 * z) - 1, atol=1e-15)
    leaky, _ = activations.get("leaky_relu")
    np.testing.assert_array_equal(leaky(z), np.maximum(0.01 * z, z))


def dead_net():
    params = xor_params()
    params["b1"][0] = -5.0
    return params


@claim("2a3b4c04", "is below 0 on every one of the 200 points (its largest value is −0.29)")
def test_the_dead_unit_is_off_on_every_point():
    Z1 = X @ dead_net()["W1"] + dead_net()["b1"]
    assert Z1[:, 0].max() < 0 and round(Z1[:, 0].max(), 2) == -0.29


@claim("2a3b4c06", "With ReLU every slope is exactly 0")
@claim("2a3b4c06", "Leaky ReLU keeps 0.01 on every point")
@claim("2a3b4c06", "its median slope is 0.0003")
@claim("2a3b4c03", "every path into this unit has a factor 0: its incoming weights never change again")
def test_a_dead_relu_unit_gets_no_gradient_and_a_leaky_one_does():
    Z1 = X @ dead_net()["W1"] + dead_net()["b1"]
    assert np.all(activations.get("relu")[1](Z1[:, 0]) == 0)
    assert np.all(activations.get("leaky_relu")[1](Z1[:, 0]) == 0.01)
    assert round(float(np.median(activations.get("tanh")[1](Z1[:, 0]))), 4) == 0.0003
    for act, zero in (("relu", True), ("leaky_relu", False)):
        z2, cache = wl.forward(dead_net(), X, act)
        g = wl.backward(dead_net(), cache, losses.bce_grad(z2, Y))
        assert (np.all(g["W1"][:, 0] == 0) and g["b1"][0] == 0) == zero


@claim("2a3b4c03", "A unit that is off on every point then still passes on a little slope, and training can bring it back")
def test_training_leaves_a_dead_relu_unit_dead_and_brings_a_leaky_one_back():
    for act in ("relu", "leaky_relu"):
        t = training.Trainer(dead_net(), X, Y, activation=act, lr=0.5)
        t.step(2000)
        c = t.current
        z = X @ c["W1"][:, 0] + c["b1"][0]
        if act == "relu":
            np.testing.assert_array_equal(c["W1"][:, 0], dead_net()["W1"][:, 0])
            assert c["b1"][0] == -5.0 and z.max() < 0
        else:
            assert z.max() > 0


@claim("480dd784", "The button puts everything back: the XOR solution and every control")
def test_reset_puts_back_every_control():
    ex = netx.network_explorer()
    try:
        start = ex.values()
        ex.set(activation="relu", parameter="b2[0]")
        ex.set(value=3.0)
        ex.reset()
        assert ex.values() == start
        np.testing.assert_array_equal(wl.flatten(ex.current()), wl.flatten(xor_params()))
    finally:
        plt.close(ex.fig)


@claim("75437ef0", "Change `b1[0]`: $h_1$'s band slides across the plane, parallel to itself")
def test_the_bias_moves_the_band_parallel():
    from weightlab.explore.neuron import line_points
    w = xor_params()["W1"][:, 0]
    for b in (-3.0, 0.0, 2.0):
        pts = line_points(w[0], w[1], b)
        d = pts[1] - pts[0]
        assert abs(d @ w) < 1e-9 * np.linalg.norm(d)            # always at right angles to the same (W1[0,0], W1[1,0])


@claim("75437ef0", "the dashed line is the best straight line for these points (72%)")
@claim("75437ef0", "With each of them the output is above 0.5 at every point (46.5% right: every point is called class 1)")
def test_identity_shows_the_best_line_and_other_activations_call_everything_class_1():
    ex = netx.network_explorer()
    try:
        ex.set(activation="identity")
        assert ex.best_artist.get_visible() and "72%" in ex.best_label.get_text()
        for act in ("relu", "leaky_relu", "sigmoid"):
            ex.set(activation=act)
            P = network.predict(xor_params(), ex.boundary.grid, act)
            assert P.min() > 0.5 and network.predict(xor_params(), X, act).min() > 0.5
            assert accuracy(xor_params(), act) == pytest.approx(0.465) == np.mean(Y == 1)
            assert "no decision boundary" in ex.status.value
            assert np.all(xor_params()["W2"] > 0)
    finally:
        plt.close(ex.fig)


@claim("75437ef0", "Outside the top-right corner $h_1$'s output is close to −1 (its median there is −0.98)")
@claim("75437ef0", "44 points that were right become wrong, 37 of them class-0 points now called class 1; 6 become right")
@claim("75437ef0", "the network gets 72% of the points right instead of 91%")
@claim("75437ef0", "leaves 63% or 67.5%")
@claim("75437ef0", "With identity the boundary becomes one straight line and the network gets 48.5%")
def test_what_each_output_weight_does():
    A1 = wl.forward(xor_params(), X)[1]["a"][1]
    top_right = (X[:, 0] > 0) & (X[:, 1] > 0)
    assert round(float(np.median(A1[~top_right, 0])), 2) == -0.98
    before = network.predict(xor_params(), X) > 0.5
    after = network.predict(with_value("W2[0,0]", 0.0), X) > 0.5
    right0, right1 = before == (Y == 1), after == (Y == 1)
    lost = right0 & ~right1
    assert lost.sum() == 44 and np.sum(lost & (Y == 0) & after) == 37 and np.sum(~right0 & right1) == 6
    assert accuracy(with_value("W2[0,0]", 0.0)) == pytest.approx(0.72)
    assert accuracy(with_value("W2[1,0]", 0.0)) == pytest.approx(0.63)
    assert accuracy(with_value("W2[2,0]", 0.0)) == pytest.approx(0.675)
    assert accuracy(xor_params(), "identity") == pytest.approx(0.485)


@claim("2a3b4c02", "(Each panel colours red the side its answer calls class 1.)")
def test_each_panel_colours_its_class_1_side_red():
    fig = netx.linear_figure(X, Y, xor_params())
    try:
        _, w, b = experiments.best_line(X, Y)
        answers = [lambda G: network.predict(xor_params(), G, "identity") > 0.5, lambda G: G @ w + b > 0,
                   lambda G: network.predict(xor_params(), G, "tanh") > 0.5]
        for ax, class_1 in zip(fig.axes, answers):
            image = ax.images[0]
            x0, x1, y0, y1 = image.get_extent()
            A = np.asarray(image.get_array())
            gx, gy = np.meshgrid(np.linspace(x0, x1, A.shape[1]), np.linspace(y0, y1, A.shape[0]))
            one = class_1(np.column_stack([gx.ravel(), gy.ravel()])).reshape(A.shape)
            colours = image.cmap(image.norm(A))
            assert np.all(colours[one][:, 0] > colours[one][:, 2])          # red side: class 1
            assert np.all(colours[~one][:, 2] > colours[~one][:, 0])        # blue side: class 0
    finally:
        plt.close(fig)


@claim("104f524c", "`cache[\"z\"]` holds $Z_1, z_2$ and `cache[\"a\"]` holds $X, A_1$")
@claim("d6fb9aec", "The probability $\\sigma(z_2)$ is what `wl.predict` returns")
@claim("1430d81d", "On the 200 XOR points no straight line gets more than 72% right; the tanh network gets 91%")
def test_the_forward_cache_and_predict():
    params = xor_params()
    z2, cache = wl.forward(params, X, activation="tanh")
    Z1 = X @ params["W1"] + params["b1"]
    np.testing.assert_allclose(cache["z"][0], Z1)
    np.testing.assert_allclose(cache["z"][1], z2)
    np.testing.assert_array_equal(cache["a"][0], X)
    np.testing.assert_allclose(cache["a"][1], np.tanh(Z1))
    np.testing.assert_allclose(wl.predict(params, X), 1 / (1 + np.exp(-z2[:, 0])))
    assert experiments.best_line(X, Y)[0] == pytest.approx(0.72) and accuracy(params) == pytest.approx(0.91)
