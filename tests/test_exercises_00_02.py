"""Exercises of notebooks 00-02: each reference passes, each typical mistake gets its own hint,
an untouched stub says "not attempted", a function that raises is reported, never raised."""
import math

import numpy as np

from weightlab import network
from weightlab.exercises import network as ex_network
from weightlab.exercises import neuron as ex_neuron
from weightlab.exercises import welcome as ex_welcome

EXERCISES = {
    "count_parameters": ex_welcome.count_parameters,
    "weighted_sum": ex_neuron.weighted_sum,
    "sigmoid": ex_neuron.sigmoid,
    "predict_class": ex_neuron.predict_class,
    "forward_231": ex_network.forward_231,
    "relu": ex_network.relu,
    "collapse": ex_network.collapse,
}


def test_references_agree_with_the_package():
    X = np.random.default_rng(0).normal(size=(7, 2))
    params = network.init_params(seed=3)
    params["b1"] += [0.1, -0.2, 0.3]
    params["b2"] += 0.4
    z, _ = network.forward(params, X, "tanh")
    np.testing.assert_allclose(ex_network.forward_231.reference(X, params, np.tanh), z)
    z, _ = network.forward(params, X, "identity")
    W, b = ex_network.collapse.reference(params)
    np.testing.assert_allclose(X @ W + b, z)
    assert ex_welcome.count_parameters.reference((2, 3, 1)) == len(network.flat_names()) == 13
    for sizes in [(2, 5, 1), (2, 4, 4, 1), (3, 1)]:
        assert ex_welcome.count_parameters.reference(sizes) == len(network.flat_names(sizes))


def test_common_wrong_turns_that_raise_get_the_shape_hint():
    fb = ex_network.forward_231.check(lambda X, p, f: f(X @ p["W1"].T + p["b1"]) @ p["W2"] + p["b2"])
    assert fb.status == "error" and "W1.T" in fb.message
    fb = ex_neuron.sigmoid.check(lambda z: 1 / (1 + math.exp(-z)))
    assert fb.status == "error" and "np.exp" in fb.message
    fb = ex_neuron.weighted_sum.check(lambda X, w, b: w @ X + b)
    assert fb.status == "error" and "X @ w" in fb.message
    fb = ex_network.relu.check(lambda z: max(z, 0))
    assert fb.status == "error" and "np.maximum" in fb.message


def test_other_right_answers_are_accepted():
    assert ex_neuron.weighted_sum.check(lambda X, w, b: np.sum(X * w, axis=1) + b).passed
    assert ex_neuron.weighted_sum.check(lambda X, w, b: w[0] * X[:, 0] + w[1] * X[:, 1] + b).passed
    assert ex_neuron.predict_class.check(lambda X, w, b: X @ w + b > 0).passed
    assert ex_network.relu.check(lambda z: z * (z > 0)).passed
    assert ex_network.relu.check(lambda z: np.clip(z, 0, None)).passed
    assert ex_welcome.count_parameters.check(
        lambda s: sum(s[i] * s[i + 1] + s[i + 1] for i in range(len(s) - 1))).passed
    assert ex_network.collapse.check(
        lambda p: (np.dot(p["W1"], p["W2"]), np.dot(p["b1"], p["W2"]) + p["b2"])).passed


def test_solutions_can_be_shown(capsys):
    for exercise in EXERCISES.values():
        exercise.show_solution()
        assert "return" in capsys.readouterr().out
