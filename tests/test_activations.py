"""Each activation and its derivative against independent formulas and central differences."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings

from strategies import ACTIVATION_NAMES, KINKED, close, floats
from weightlab import activations

# Plain-Python references, one float at a time.
REF = {
    "relu": lambda z: z if z > 0 else 0.0,
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z)),
    "tanh": math.tanh,
    "identity": lambda z: z,
}


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@settings(max_examples=100, deadline=None)
@given(z=floats(-20.0, 20.0))
def test_derivative_matches_central_difference(name, z):
    if name in KINKED:
        assume(abs(z) > 1e-3)
    f, fprime = activations.get(name)
    h = 1e-4
    numeric = (-REF[name](z + 2 * h) + 8 * REF[name](z + h) - 8 * REF[name](z - h) + REF[name](z - 2 * h)) / (12 * h)
    analytic = float(fprime(np.array([z]))[0])
    assert close(analytic, numeric, rel=1e-6, abs_=1e-9), (name, z, analytic, numeric)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@settings(max_examples=100, deadline=None)
@given(z=floats(-700.0, 700.0))
def test_value_matches_reference(name, z):
    f, _ = activations.get(name)
    got = float(f(np.array([z]))[0])
    assert close(got, REF[name](z), rel=1e-15, abs_=1e-300)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_works_elementwise_on_any_shape_and_extremes(name):
    f, fprime = activations.get(name)
    z = np.array([[[-1e308, -1000.0, -1.0], [0.0, 1.0, 1e308]]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow or NaN
        out, d = f(z), fprime(z)
    assert out.shape == z.shape and d.shape == z.shape
    assert np.all(np.isfinite(d))
    if name != "identity" and name not in KINKED:
        assert np.all(np.isfinite(out))


def test_kinks_use_the_documented_one_sided_value():
    assert activations.relu_grad(np.array([0.0]))[0] == 0.0
    assert activations.leaky_relu_grad(np.array([0.0]))[0] == 0.01


def test_sigmoid_is_exact_in_both_tails():
    assert activations.sigmoid(np.array([-800.0]))[0] == 0.0
    assert activations.sigmoid(np.array([800.0]))[0] == 1.0
    assert activations.sigmoid(np.array([-40.0]))[0] == pytest.approx(math.exp(-40), rel=1e-15)


@pytest.mark.parametrize("bad", ["swish", "ReLU", None, 3])
def test_unknown_name(bad):
    with pytest.raises(ValueError, match="activation=.*allowed: identity, leaky_relu, relu, sigmoid, tanh"):
        activations.get(bad)


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_slope_from_output_equals_the_derivative_exactly(name):
    z = np.concatenate([np.linspace(-40, 40, 2001), [0.0, -0.0, 1e-300, -1e-300, 700.0, -700.0]])
    f, fprime = activations.get(name)
    assert np.array_equal(activations.info(name).slope(f(z)), fprime(z))
