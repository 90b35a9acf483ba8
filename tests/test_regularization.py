"""L1 and L2 penalties: values, gradients, ridge and lasso closed forms, exact zeros, shrinkage."""
import numpy as np
import pytest

from weightlab import datasets, network, regularization
from weightlab.training import Trainer


def test_penalty_values_and_gradients_skip_biases():
    p = {"W1": np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]), "b1": np.array([100.0, -100.0, 7.0]),
         "W2": np.array([[2.0], [-0.5], [1.5]]), "b2": np.array([-9.0])}
    sq = 1 + 4 + 0.25 + 0 + 9 + 1 + 4 + 0.25 + 2.25   # 21.75
    ab = 1 + 2 + 0.5 + 0 + 3 + 1 + 2 + 0.5 + 1.5       # 11.5
    assert regularization.penalty(p, "l2", 0.1) == pytest.approx(0.05 * sq, rel=1e-15)
    assert regularization.penalty(p, "l1", 0.1) == pytest.approx(0.1 * ab, rel=1e-15)
    assert regularization.penalty(p, "none", 0.1) == 0.0
    g2 = regularization.penalty_grads(p, "l2", 0.1)
    g1 = regularization.penalty_grads(p, "l1", 0.1)
    assert np.array_equal(g2["W1"], 0.1 * p["W1"]) and np.array_equal(g2["W2"], 0.1 * p["W2"])
    assert np.array_equal(g1["W1"], 0.1 * np.array([[1.0, -1.0, 1.0], [0.0, 1.0, -1.0]]))
    for g in (g1, g2, regularization.penalty_grads(p, "none", 0.1)):
        assert not g["b1"].any() and not g["b2"].any()


def test_per_network_strengths():
    pop = network.init_params(population=3, init="normal", seed=[1, 1, 1])
    lam = np.array([0.0, 0.1, 1.0])
    pen = regularization.penalty(pop, "l2", lam)
    single = network.member(pop, 0)
    base = regularization.penalty(single, "l2", 1.0)
    np.testing.assert_allclose(pen, lam * base, rtol=1e-15)
    g = regularization.penalty_grads(pop, "l1", lam)
    for k in range(3):
        assert np.array_equal(g["W1"][k], regularization.penalty_grads(single, "l1", lam[k])["W1"])


def test_soft_threshold():
    W = np.array([[-3.0, -0.5, 0.0], [0.5, 0.75, 2.0]])
    assert np.array_equal(regularization.soft_threshold(W, 0.5), [[-2.5, 0.0, 0.0], [0.0, 0.25, 1.5]])
    assert regularization.count_zeros({"W1": W, "b1": np.zeros(3)}) == 1
    # per-network thresholds
    Wp = np.stack([W, W])
    out = regularization.soft_threshold(Wp, regularization.per_member([0.0, 1.0], Wp.ndim))
    assert np.array_equal(out[0], W) and np.array_equal(out[1], [[-2.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def ridge_closed_form(X, y, lam):
    """argmin mean((X w + b - y)^2) + lam/2 |w|^2 (b unpenalised).
    Setting the gradient to 0: b = mean(y) - mean(X) w and (2/N Xc^T Xc + lam I) w = 2/N Xc^T yc."""
    N = len(y)
    xm, ym = X.mean(0), y.mean()
    Xc, yc = X - xm, y - ym
    w = np.linalg.solve(2 / N * Xc.T @ Xc + lam * np.eye(X.shape[1]), 2 / N * Xc.T @ yc)
    return w, ym - xm @ w


@pytest.mark.parametrize("lam", [0.0, 0.05, 0.5, 3.0])
def test_no_hidden_layer_l2_converges_to_ridge_regression(lam):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)) @ np.array([[1.0, 0.4], [0.0, 0.8]]) + [0.5, -0.3]
    y = X @ np.array([1.5, -2.0]) + 0.7 + 0.3 * rng.normal(size=60)
    params = network.init_params((2, 1), init="normal", seed=1)
    t = Trainer(params, X, y, activation="identity", loss="mse", lr=0.2, penalty="l2", lam=lam,
                record_every=1000)
    t.step(3000)
    w, b = ridge_closed_form(X, y, lam)
    np.testing.assert_allclose(t.current["W1"][:, 0], w, rtol=0, atol=1e-8)
    np.testing.assert_allclose(t.current["b1"], [b], rtol=0, atol=1e-8)
    assert not t.history.diverged


# Four points with centred, orthogonal, standardised features (Xc^T Xc / N = I) and a residual
# orthogonal to both features and the constant: OLS gives exactly the coefficients below, and the
# lasso  argmin mean((Xw + b - y)^2) + lam |w|_1  is, per coordinate, soft-threshold(ols, lam / 2).
ORTHO_X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
RESIDUAL = ORTHO_X[:, 0] * ORTHO_X[:, 1]


@pytest.mark.parametrize("ols,lam,want", [
    ((0.8, 0.1), 0.5, (0.55, 0.0)),
    ((-0.8, 0.3), 0.4, (-0.6, 0.1)),
    ((0.2, -0.15), 0.5, (0.0, 0.0)),
])
def test_proximal_l1_reaches_exact_zeros_and_the_soft_threshold_answer(ols, lam, want):
    X = np.tile(ORTHO_X, (3, 1))
    y = X @ np.array(ols) + 0.3 + 0.2 * np.tile(RESIDUAL, 3)
    ref = np.sign(ols) * np.maximum(np.abs(ols) - lam / 2, 0)  # independent soft-threshold
    np.testing.assert_allclose(ref, want, atol=1e-15)
    params = {"W1": np.array([[0.9], [-0.7]]), "b1": np.array([0.0])}
    t = Trainer(params, X, y, activation="identity", loss="mse", lr=0.2, penalty="l1", lam=lam,
                l1_step="proximal", record_every=100)
    t.step(400)
    W = t.current["W1"][:, 0]
    np.testing.assert_allclose(W, want, rtol=0, atol=1e-12)
    assert np.array_equal(W == 0, np.array(want) == 0)  # exactly zero where the answer is zero
    assert t.current["b1"][0] == pytest.approx(0.3, abs=1e-12)


def test_subgradient_l1_hovers_but_does_not_reach_exact_zeros():
    X = np.tile(ORTHO_X, (3, 1))
    y = X @ np.array([0.8, 0.1]) + 0.3
    params = {"W1": np.array([[0.9], [-0.7]]), "b1": np.array([0.0])}
    t = Trainer(params, X, y, activation="identity", loss="mse", lr=0.01, penalty="l1", lam=0.5,
                l1_step="subgradient", record_every=100)
    t.step(2000)
    W = t.current["W1"][:, 0]
    assert W[0] == pytest.approx(0.55, abs=0.02) and abs(W[1]) < 0.02 and W[1] != 0


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_larger_penalty_gives_smaller_weights(penalty):
    data = datasets.load("moons", n=100, noise=0.1, seed=0)
    lams = np.array([0.0, 1e-3, 1e-2, 3e-2, 0.1, 0.3])
    pop = network.init_params(init="xavier_normal", seed=[0] * len(lams), population=len(lams))
    t = Trainer(pop, data.X, data.y, lr=0.5, penalty=penalty, lam=lams, record_every=1000)
    t.step(1500)
    W = t.current
    norm = np.sqrt((W["W1"] ** 2).sum(axis=(1, 2)) + (W["W2"] ** 2).sum(axis=(1, 2)))
    assert np.all(np.diff(norm) < 0), norm
    # and the convex case, from the closed form
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 2))
    y = X @ np.array([2.0, -1.0]) + 0.1 * rng.normal(size=40)
    ridge = [np.linalg.norm(ridge_closed_form(X, y, lam)[0]) for lam in lams]
    assert np.all(np.diff(ridge) < 0)


def test_l1_zeros_more_weights_as_the_penalty_grows():
    data = datasets.load("xor", n=100, noise=0.05, seed=1)
    lams = np.array([0.0, 0.01, 0.03, 0.1, 0.3])
    pop = network.init_params((2, 8, 1), init="xavier_normal", seed=[3] * len(lams), population=len(lams))
    t = Trainer(pop, data.X, data.y, lr=0.5, penalty="l1", lam=lams, record_every=1000)
    t.step(1000)
    zeros = regularization.count_zeros(t.current)
    assert zeros[0] == 0 and zeros[-1] > zeros[1]
    assert np.all(np.diff(zeros) >= 0), zeros
