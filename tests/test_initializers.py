"""Initialisers: empirical mean and variance against theory, bounds, seeds."""
import math

import numpy as np
import pytest

from weightlab import initializers, network

FAN_IN, FAN_OUT = 400, 600  # 240 000 weights per matrix
N = FAN_IN * FAN_OUT

# Var W for the published schemes at scale (gain) s, written out here independently of the package.
THEORY = {
    "normal": lambda s: s ** 2,
    "uniform": lambda s: s ** 2 / 3,
    "xavier_uniform": lambda s: s ** 2 * 2 / (FAN_IN + FAN_OUT),
    "xavier_normal": lambda s: s ** 2 * 2 / (FAN_IN + FAN_OUT),
    "he_uniform": lambda s: s ** 2 * 2 / FAN_IN,
    "he_normal": lambda s: s ** 2 * 2 / FAN_IN,
}
# Standard error of the sample variance: sqrt((mu4 - sigma^4) / n), with mu4 = 3 sigma^4 for a
# normal and mu4 = 9/5 sigma^4 for a uniform.
EXCESS = {"normal": 2.0, "xavier_normal": 2.0, "he_normal": 2.0,
          "uniform": 0.8, "xavier_uniform": 0.8, "he_uniform": 0.8}


@pytest.mark.parametrize("name", sorted(THEORY))
@pytest.mark.parametrize("scale", [1.0, 0.5, 3.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_variance_and_mean_match_theory(name, scale, seed):
    W = initializers.init_weight(name, FAN_IN, FAN_OUT, np.random.default_rng(seed), scale)
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.float64
    var = THEORY[name](scale)
    assert initializers.VARIANCE[name](FAN_IN, FAN_OUT, scale) == pytest.approx(var, rel=1e-15)
    se_var = var * math.sqrt(EXCESS[name] / N)
    se_mean = math.sqrt(var / N)
    assert abs(W.mean()) < 5 * se_mean
    assert abs(W.var() - var) < 5 * se_var, (W.var(), var, se_var)


@pytest.mark.parametrize("name,limit", [
    ("uniform", lambda s: s),
    ("xavier_uniform", lambda s: s * math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("he_uniform", lambda s: s * math.sqrt(6 / FAN_IN)),
])
def test_uniform_schemes_stay_inside_their_limit_and_fill_it(name, limit):
    W = initializers.init_weight(name, FAN_IN, FAN_OUT, np.random.default_rng(0), 2.0)
    a = limit(2.0)
    assert np.abs(W).max() <= a and np.abs(W).max() > 0.999 * a


def test_zeros_and_constant():
    assert np.array_equal(initializers.init_weight("zeros", 3, 4, np.random.default_rng(0)), np.zeros((3, 4)))
    assert np.array_equal(initializers.init_weight("constant", 3, 4, np.random.default_rng(0), 0.25),
                          np.full((3, 4), 0.25))


def test_init_params_uses_each_layers_own_fans():
    p = network.init_params((300, 500, 200), init="he_normal", seed=0)
    assert abs(p["W1"].var() - 2 / 300) < 5 * (2 / 300) * math.sqrt(2 / p["W1"].size)
    assert abs(p["W2"].var() - 2 / 500) < 5 * (2 / 500) * math.sqrt(2 / p["W2"].size)


@pytest.mark.parametrize("name", sorted(initializers.INITIALIZERS))
def test_same_seed_is_bit_identical_and_different_seeds_differ(name):
    a = network.init_params((2, 8, 1), init=name, seed=7)
    b = network.init_params((2, 8, 1), init=name, seed=7)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    c = network.init_params((2, 8, 1), init=name, seed=8)
    if name in ("zeros", "constant"):
        assert all(np.array_equal(a[k], c[k]) for k in a)
    else:
        assert not np.array_equal(a["W1"], c["W1"]) and not np.array_equal(a["W2"], c["W2"])


def test_a_generator_is_used_as_given():
    rng = np.random.default_rng(3)
    assert initializers.make_rng(rng) is rng
    first = network.init_params(seed=np.random.default_rng(3), init="normal")
    assert np.array_equal(first["W1"], np.random.default_rng(3).standard_normal((2, 3)))


def test_scale_zero_gives_zeros():
    for name in ("normal", "uniform", "xavier_normal", "he_uniform"):
        assert not network.init_params(init=name, scale=0.0)["W1"].any()
