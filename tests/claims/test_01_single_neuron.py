"""Claims of notebook 01: one neuron's weighted sum, its activations and its decision line."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from register import claim
from weightlab import activations, datasets, experiments
from weightlab.explore import neuron

NOTEBOOK = "01_single_neuron.ipynb"
X, Y = datasets.make("blobs", 100, 0.1, 0)           # the explorer's data
START = (1.5, 0.5, -0.5)                               # the explorer's starting w1, w2, b


def rule_accuracy(w1, w2, b):
    """Share of the explorer's points for which "class 1 where z > 0" is right, by a loop."""
    right = sum(((w1 * x1 + w2 * x2 + b) > 0) == (t == 1) for (x1, x2), t in zip(X, Y))
    return right / len(Y)


@claim("1a2b3c01", "With $w_1 = -2$: $z = -1.5$")
@claim("1a2b3c01", "With $w_1 = 0$: $z = -0.5$")
def test_the_predicted_weighted_sums():
    x, w2, b = (0.5, -1.0), 1.0, 0.5
    assert -2.0 * x[0] + w2 * x[1] + b == -1.5
    assert 0.0 * x[0] + w2 * x[1] + b == -0.5
    assert (2.0 * x[0]) - (-2.0 * x[0]) == 2.0              # "z drops by 2"


@claim("405bcf57", "At $z = 0$ they are 0.5, 0 and 0, and none of them ever goes down as $z$ grows")
def test_the_three_activations_at_zero_and_never_decreasing():
    zs = np.linspace(-20, 20, 40001)
    for name, at0 in (("sigmoid", 0.5), ("tanh", 0.0), ("relu", 0.0)):
        f, _ = activations.get(name)
        assert f(np.array(0.0)) == at0
        assert np.all(np.diff(f(zs)) >= 0)
    relu, _ = activations.get("relu")
    assert np.all(relu(zs[zs < 0]) == 0)


@claim("adf39c3e", "The vector $(w_1, w_2)$ is at right angles to it and points to the side where $z > 0$")
@claim("adf39c3e", "by $|b| / \\lVert \\mathbf{w} \\rVert$")
def test_the_weight_vector_is_normal_to_the_line_and_the_bias_shifts_it():
    rng = np.random.default_rng(0)
    for _ in range(100):
        w1, w2, b = rng.uniform(-5, 5, 3)
        pts = neuron.line_points(w1, w2, b)
        along = pts[1] - pts[0]
        assert abs(along @ [w1, w2]) < 1e-9 * np.linalg.norm(along)
        foot = neuron.nearest_to_origin(pts)
        assert np.linalg.norm(foot) == pytest.approx(abs(b) / np.hypot(w1, w2), rel=1e-9)
        ahead = foot + 0.1 * np.array([w1, w2])
        assert w1 * ahead[0] + w2 * ahead[1] + b > 0


@claim("adf39c3e", "When the line lies outside the picture, it is not drawn and the status line says that every point is on one side")
def test_a_line_outside_the_picture_is_said_in_words():
    ex = neuron.neuron_explorer()
    try:
        ex.set(b=5.0)
        assert not ex.line.get_visible() and "outside the picture" in ex.status.value
    finally:
        plt.close(ex.fig)


@claim("57762e8e", "No straight line gets all 100 right: one orange point sits among the blue ones, so 99% is the best any line can do")
@claim("57762e8e", "for example $w_1 = 0.2$, $w_2 = 1.0$, $b = 0$")
def test_99_percent_is_the_best_line_and_the_sliders_reach_it():
    best, w, b = experiments.best_line(X, Y)
    assert best == 0.99
    wrong = (X @ w + b > 0) != (Y == 1)
    assert wrong.sum() == 1 and Y[wrong][0] == 1                        # the one miss is an orange point
    assert rule_accuracy(0.2, 1.0, 0.0) == 0.99
    ex = neuron.neuron_explorer()
    try:
        ex.set(w1=0.2, w2=1.0, b=0.0)
        assert "right for 99%" in ex.status.value
    finally:
        plt.close(ex.fig)


@claim("57762e8e", "the line stays put (when $b = 0$) but the colours get sharper")
def test_a_longer_weight_vector_keeps_the_line_and_sharpens_the_output():
    a, b = neuron.line_points(1.0, 1.0, 0.0), neuron.line_points(4.0, 4.0, 0.0)
    d = a[1] - a[0]
    for p in b:                     # both ends of the new line lie on the old one
        assert abs(d[0] * (p - a[0])[1] - d[1] * (p - a[0])[0]) < 1e-9
    sigmoid, _ = activations.get("sigmoid")
    z = X @ [1.0, 1.0]
    assert np.all(np.abs(sigmoid(4 * z) - 0.5) >= np.abs(sigmoid(z) - 0.5))


@claim("57762e8e", "Switch the activation: the decision line $z = 0$ does not move")
def test_switching_the_activation_keeps_the_line():
    ex = neuron.neuron_explorer()
    try:
        lines = []
        for act in neuron.ACTIVATIONS:
            ex.set(activation=act)
            lines.append(np.array(ex.line.get_data()))
        assert all(np.array_equal(lines[0], other) for other in lines[1:])
    finally:
        plt.close(ex.fig)


@claim("57762e8e", "by $1/\\lVert \\mathbf{w} \\rVert$ for each unit of $b$ (0.63 per unit at the starting weights $(1.5, 0.5)$)")
@claim("57762e8e", "the line moves the other way from the arrow")
def test_a_larger_bias_moves_the_line_against_the_arrow():
    w1, w2, _ = START
    f0 = neuron.nearest_to_origin(neuron.line_points(w1, w2, 0.0))
    f1 = neuron.nearest_to_origin(neuron.line_points(w1, w2, 1.0))
    step = f1 - f0
    assert np.linalg.norm(step) == pytest.approx(1 / np.hypot(w1, w2)) and round(np.linalg.norm(step), 2) == 0.63
    assert step @ [w1, w2] < 0


@claim("57762e8e", "The line jumps to its mirror image through the origin (it stays where it is only when $b = 0$)")
@claim("57762e8e", "at the starting values the rule then gets only 8% of the points right instead of 87%")
def test_flipping_both_weights_mirrors_the_line_and_swaps_the_colours():
    w1, w2, b = START
    a, m = neuron.line_points(w1, w2, b), neuron.line_points(-w1, -w2, b)
    for p in -a:                    # the mirror image of the old line through the origin is the new one
        assert abs(-w1 * p[0] - w2 * p[1] + b) < 1e-9
    assert rule_accuracy(w1, w2, b) == 0.87 and rule_accuracy(-w1, -w2, b) == 0.08
    assert np.allclose(neuron.nearest_to_origin(neuron.line_points(-w1, -w2, 0.0)), 0)


@claim("0d09b6c4", "doubling $w_1$ doubles how much $x_1$ counts")
@claim("0d09b6c4", "The bias $b$ is the neuron's own offset, the value of $z$ when every input is 0")
@claim("6decfaa1", "Longer weight vectors make sharper decisions")
def test_a_weight_scales_its_input_and_the_bias_is_z_at_the_origin():
    from weightlab import network
    w, b = np.array([1.5, -0.5]), 0.3
    base = network.weighted_sum(X, w, b)
    doubled = network.weighted_sum(X, w * [2, 1], b)
    np.testing.assert_allclose(doubled - base, w[0] * X[:, 0])            # x1's contribution doubled
    assert network.weighted_sum(np.zeros((1, 2)), w, b)[0] == b
    flipped = network.weighted_sum(X, w * [-1, 1], b)
    more = X + [1.0, 0.0]                                                  # "more x1" ...
    assert np.all(network.weighted_sum(more, w * [-1, 1], b) < flipped)   # ... is "less z" with w1 < 0
    sigmoid, _ = activations.get("sigmoid")
    assert np.all(np.abs(sigmoid(3 * base) - 0.5) >= np.abs(sigmoid(base) - 0.5))
