"""MSE and binary cross-entropy from the logit: values, gradients, extreme logits, population axis."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import arrays, assert_close
from weightlab import losses


def ref_bce(z, y):
    """mean of -[y log s + (1-y) log(1-s)], s = sigmoid(z), in plain floats (log1p forms, exact for any z).

    -log s = log(1 + e^-z) and -log(1 - s) = log(1 + e^z), each written so the exponent is never positive.
    """
    def softplus(t):
        return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))
    total = 0.0
    for zi, yi in zip(z, y):
        total += softplus(-zi) if yi == 1 else softplus(zi)
    return total / len(z)


def ref_mse(z, y):
    return sum((zi - yi) ** 2 for zi, yi in zip(z, y)) / len(z)


@st.composite
def logits_and_labels(draw, lo=-30.0, hi=30.0):
    n = draw(st.integers(1, 8))
    z = draw(arrays((n,), lo, hi))
    y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    return z, y


@settings(max_examples=100, deadline=None)
@given(logits_and_labels())
def test_bce_value_and_gradient(zy):
    z, y = zy
    assert losses.bce(z[:, None], y) == pytest.approx(ref_bce(z, y), rel=1e-14, abs=1e-300)
    grad = losses.bce_grad(z[:, None], y)[:, 0]
    h = 1e-4
    for i in range(len(z)):
        def f(t):
            zz = z.copy(); zz[i] = t
            return ref_bce(zz, y)
        numeric = (-f(z[i] + 2 * h) + 8 * f(z[i] + h) - 8 * f(z[i] - h) + f(z[i] - 2 * h)) / (12 * h)
        assert_close(grad[i], numeric, what=f"bce dz[{i}]")


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(arrays((n,), -10, 10), arrays((n,), -10, 10))))
def test_mse_value_and_gradient(zy):
    z, y = zy
    assert losses.mse(z[:, None], y) == pytest.approx(ref_mse(z, y), rel=1e-14, abs=1e-300)
    grad = losses.mse_grad(z[:, None], y)[:, 0]
    assert np.allclose(grad, 2 * (z - y) / len(z), rtol=1e-15, atol=0)
    h = 1e-3
    for i in range(len(z)):
        def f(t):
            zz = z.copy(); zz[i] = t
            return ref_mse(zz, y)
        assert_close(grad[i], (f(z[i] + h) - f(z[i] - h)) / (2 * h), what=f"mse dz[{i}]")


@pytest.mark.parametrize("z", [1000.0, -1000.0, 1e6, -1e6, 700.0, -745.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_bce_is_finite_and_right_for_huge_logits(z, y):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = losses.bce(np.array([[z]]), np.array([y]))
        grad = losses.bce_grad(np.array([[z]]), np.array([y]))[0, 0]
    want = max(z, 0.0) - y * z  # softplus(z) - y z, exact when |z| >= 40
    assert np.isfinite(value) and value == pytest.approx(want, rel=1e-15, abs=1e-300)
    assert grad == pytest.approx((1.0 if z > 0 else 0.0) - y, abs=1e-300)
    # central difference: the loss is linear out there
    h = 1.0
    num = (losses.bce(np.array([[z + h]]), np.array([y])) - losses.bce(np.array([[z - h]]), np.array([y]))) / (2 * h)
    assert num == pytest.approx(grad, abs=1e-9)


def test_bce_at_zero_is_log_two():
    assert losses.bce(np.zeros((3, 1)), np.array([0.0, 1.0, 1.0])) == pytest.approx(math.log(2), rel=1e-15)


def test_population_axis_gives_one_loss_per_network():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 7, 1))
    y = (rng.random(7) > 0.5).astype(float)
    for name in ("mse", "bce"):
        f, g = losses.get(name)
        out = f(z, y)
        assert out.shape == (4,)
        for k in range(4):
            assert out[k] == f(z[k], y)
            assert np.array_equal(g(z, y)[k], g(z[k], y))


def test_targets_are_checked():
    assert np.array_equal(losses.check_targets("bce", [0, 1, 1]), [0.0, 1.0, 1.0])
    assert np.array_equal(losses.check_targets("mse", [0.5, -3.0]), [0.5, -3.0])
    with pytest.raises(ValueError, match=r"y contains 0\.5.*loss='bce' needs labels 0 or 1"):
        losses.check_targets("bce", [0.0, 0.5])
    with pytest.raises(ValueError, match="y contains NaN or inf; allowed: finite"):
        losses.check_targets("mse", [0.0, np.inf])
    with pytest.raises(ValueError, match="loss='hinge' is not known; allowed: bce, mse"):
        losses.get("hinge")


@settings(max_examples=100, deadline=None)
@given(logits_and_labels(lo=-1000.0, hi=1000.0), st.integers(1, 3))
def test_population_losses_are_finite_and_per_network(zy, P):
    z, y = zy
    zp = np.stack([z * (k + 1) / P for k in range(P)])[..., None]  # (P, N, 1)
    for name in ("bce", "mse"):
        f, g = losses.get(name)
        value, grad = f(zp, y), g(zp, y)
        assert value.shape == (P,) and grad.shape == zp.shape
        assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))


def test_cross_entropy_is_the_textbook_formula():
    """softplus(m z) with m = 1 - 2y equals -[y log p + (1 - y) log(1 - p)], p = sigmoid(z)."""
    rng = np.random.default_rng(3)
    z = rng.normal(size=(50, 1)) * 4
    y = (rng.random(50) > 0.5).astype(float)
    p = 1 / (1 + np.exp(-z[:, 0]))
    textbook = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert losses.bce(z, y) == pytest.approx(textbook, rel=1e-13)
    np.testing.assert_allclose(losses.bce_grad(z, y)[:, 0], (p - y) / 50, rtol=1e-12, atol=1e-17)
