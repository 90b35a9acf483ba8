"""Momentum and mini-batches: the Trainer against a hand-written loop, epochs, seeds, populations."""
import numpy as np
import pytest

from weightlab import datasets, network, optim
from weightlab.training import Trainer


@pytest.fixture(scope="module")
def data():
    return datasets.make("moons", n=50, noise=0.2, seed=4)


def reference(params, X, y, steps, lr, beta, lam, batch, seed):
    """Plain numpy: mini-batches from a fresh permutation per epoch (last batch smaller), tanh
    hidden layer, mean cross-entropy from the logit, g = dL/dW + lam W (weights only),
    v <- beta v + g, w <- w - lr v (torch.optim.SGD with momentum, dampening 0)."""
    W1, b1, W2, b2 = (np.array(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    v = {k: np.zeros_like(a) for k, a in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2))}
    rng, n = np.random.default_rng(seed), len(X)
    order, pos = None, 0
    for _ in range(steps):
        if batch is None:
            idx = np.arange(n)
        else:
            if order is None or pos >= n:
                order, pos = rng.permutation(n), 0
            idx = order[pos:pos + batch]
            pos += len(idx)
        xb, yb = X[idx], y[idx]
        h = np.tanh(xb @ W1 + b1)
        z = (h @ W2 + b2)[:, 0]
        p = 1 / (1 + np.exp(-z))
        dz = ((p - yb) / len(idx))[:, None]
        g = {"W2": h.T @ dz + lam * W2, "b2": dz.sum(0)}
        dh = (dz @ W2.T) * (1 - h * h)
        g["W1"], g["b1"] = xb.T @ dh + lam * W1, dh.sum(0)
        for k, w in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
            v[k] = beta * v[k] + g[k]
            w -= lr * v[k]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


@pytest.mark.parametrize("beta,lam", [(0.9, 0.0), (0.5, 0.01), (0.0, 0.01)])
@pytest.mark.parametrize("batch", [None, 1, 7, 16])
@pytest.mark.parametrize("seed", [0, 3])
def test_the_trainer_is_the_hand_written_loop(data, beta, lam, batch, seed):
    X, y = data
    params = network.init_params(seed=seed)
    t = Trainer(params, X, y, lr=0.2, momentum=beta, penalty="l2" if lam else "none", lam=lam,
                batch_size=batch, seed=seed)
    t.step(60)
    want = reference(params, X, y, 60, 0.2, beta, lam, batch, seed)
    for k in want:
        np.testing.assert_allclose(t.current[k], want[k], rtol=1e-11, atol=1e-13, err_msg=k)


@pytest.mark.parametrize("penalty,l1_step", [("none", "proximal"), ("l2", "proximal"), ("l1", "proximal"),
                                             ("l1", "subgradient")])
def test_each_momentum_step_is_the_readable_momentum_step_bit_for_bit(data, penalty, l1_step):
    X, y = data
    params = network.init_params((2, 4, 1), seed=1, population=3)
    lr, beta, lam = np.array([0.1, 0.3, 0.5]), np.array([0.0, 0.5, 0.9]), np.array([0.0, 0.01, 0.05])
    t = Trainer(params, X, y, lr=lr, momentum=beta, penalty=penalty, lam=lam, l1_step=l1_step, batch_size=8)
    velocity = None
    for _ in range(12):
        before = t.current
        t.step(1)
        grads = network.unflatten(t._engine.grad, (2, 4, 1))
        want, velocity = optim.momentum_step(before, grads, velocity, lr, beta, penalty, lam, l1_step)
        for k in want:
            assert np.array_equal(t.current[k], want[k]), k


def test_momentum_zero_is_plain_gradient_descent_bit_for_bit(data):
    X, y = data
    a = Trainer(network.init_params(seed=2), X, y, lr=0.3, batch_size=10, seed=5)
    b = Trainer(network.init_params(seed=2), X, y, lr=0.3, batch_size=10, seed=5, momentum=0.0)
    c = Trainer(network.init_params(seed=2), X, y, lr=0.3, batch_size=10, seed=5, momentum=0.6)
    c.momentum = 0.0            # a velocity exists, but decays to nothing at once: v = 0 v + g
    for t in (a, b, c):
        t.step(25)
    for k in a.current:
        assert np.array_equal(a.current[k], b.current[k])
        assert np.array_equal(a.current[k], c.current[k])


def test_batch_size_one_visits_every_sample_once_per_epoch(data, monkeypatch):
    X, y = data
    t = Trainer(network.init_params(seed=0), X, y, lr=0.05, batch_size=1, seed=9)
    seen = []
    batch = t._batch

    def spy():
        xb, yb = batch()
        seen.append(int(np.flatnonzero((X == xb[0]).all(axis=1))[0]))
        return xb, yb
    monkeypatch.setattr(t, "_batch", spy)
    t.step(3 * len(X))
    for e in range(3):
        epoch = seen[e * len(X):(e + 1) * len(X)]
        assert sorted(epoch) == list(range(len(X)))
    assert seen[:len(X)] != seen[len(X):2 * len(X)]          # a fresh order each epoch
    np.testing.assert_allclose(t.history.epochs[[0, 1, len(X)]], [0.0, 1 / len(X), 1.0])


def test_epochs_count_samples_seen_with_a_smaller_last_batch(data):
    X, y = data                                               # 50 samples: batches of 16, 16, 16, 2
    t = Trainer(network.init_params(seed=0), X, y, lr=0.05, batch_size=16)
    t.step(9)
    np.testing.assert_allclose(t.history.epochs, [0, 16, 32, 48, 50, 66, 82, 98, 100][:9] / np.float64(50))
    full = Trainer(network.init_params(seed=0), X, y, lr=0.05)
    full.step(4)
    assert np.array_equal(full.history.epochs, full.history.steps)


def test_same_seed_same_run_bit_for_bit_and_another_seed_another(data):
    X, y = data
    runs = []
    for seed in (4, 4, 5):
        t = Trainer(network.init_params(seed=1), X, y, lr=0.2, momentum=0.8, batch_size=5, seed=seed)
        t.step(40)
        runs.append(t)
    assert all(np.array_equal(runs[0].current[k], runs[1].current[k]) for k in runs[0].current)
    assert np.array_equal(runs[0].history.loss, runs[1].history.loss)
    assert not np.array_equal(runs[0].current["W1"], runs[2].current["W1"])


def test_a_population_member_is_its_own_run_with_momentum_and_batches(data):
    X, y = data
    betas, lrs = [0.0, 0.5, 0.9, 0.99], [0.3, 0.1, 0.05, 0.02]
    pop = Trainer(network.init_params(seed=[0, 1, 2, 3], population=4), X, y, lr=np.array(lrs),
                  momentum=np.array(betas), batch_size=8, seed=2, penalty="l2", lam=1e-3)
    pop.step(50)
    for k in range(4):
        one = Trainer(network.init_params(seed=k), X, y, lr=lrs[k], momentum=betas[k], batch_size=8, seed=2,
                      penalty="l2", lam=1e-3)
        one.step(50)
        for name in one.current:
            assert np.array_equal(one.current[name], network.member(pop.current, k)[name])
        assert np.array_equal(one.history.loss, pop.history.loss[:, k])


def test_momentum_changes_between_steps_without_a_reset(data):
    X, y = data
    t = Trainer(network.init_params(seed=0), X, y, lr=0.1, momentum=0.9)
    t.step(10)
    v = t._velocity.copy()
    t.momentum = 0.5
    before = t.current
    t.step(1)
    assert t.t == 11 and len(t.history) == 11
    grads = network.unflatten(t._engine.grad[0], (2, 3, 1))
    want, _ = optim.momentum_step(before, grads, network.unflatten(v[0], (2, 3, 1)), 0.1, 0.5)
    for k in want:
        assert np.array_equal(t.current[k], want[k])
    t.set_params(network.init_params(seed=3))                 # a new starting point: no velocity
    assert t._velocity is None


@pytest.mark.parametrize("bad", [1.0, 1.5, -0.1, float("nan"), "0.9", [0.5, 0.5]])
def test_bad_momentum_is_refused_naming_it(data, bad):
    X, y = data
    with pytest.raises(ValueError, match="momentum"):
        Trainer(network.init_params(), X, y, momentum=bad)
    t = Trainer(network.init_params(), X, y)
    with pytest.raises(ValueError, match="momentum"):
        t.momentum = bad
    assert t.momentum == 0.0
