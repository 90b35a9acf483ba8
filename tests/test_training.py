"""Training: gradient descent against a manual loop, populations member by member,
settings changed mid-run, divergence, mini-batches, symmetry and the health fields."""
import numpy as np
import pytest

from weightlab import datasets, gradcheck, network, optim, regularization
from weightlab.curvature import edge_of_stability, hessian
from weightlab.training import Trainer, train

FIELDS = ("loss", "objective", "val_loss", "params", "weight_norm", "grad_norm", "update_ratio",
          "dead", "saturated")


@pytest.fixture(scope="module")
def moons():
    return datasets.load("moons", n=120, noise=0.15, seed=3, val_fraction=0.25)


def manual_run(params, X, y, steps, lr, activation="tanh", loss="bce", penalty="none", lam=0.0,
               l1_step="proximal"):
    """Plain gradient descent on one network; returns the parameters and the objective per step."""
    p = network.copy({k: np.asarray(v, dtype=float) for k, v in params.items()})
    objectives = []
    for t in range(steps):
        lr_t, pen_t, lam_t, act_t = (f(t) if callable(f) else f for f in (lr, penalty, lam, activation))
        prox = pen_t == "l1" and l1_step == "proximal"
        value, g = gradcheck.objective_and_grad(p, X, y, act_t, loss, "none" if prox else pen_t, lam_t)
        if prox:
            value = value + regularization.penalty(p, "l1", lam_t)
        objectives.append(float(value))
        for k in p:
            p[k] = p[k] - lr_t * g[k]
            if prox and k[0] == "W":
                p[k] = regularization.soft_threshold(p[k], lr_t * lam_t)
    return p, np.array(objectives)


def same(a, b):
    """Bit-identical arrays (NaN equal to NaN), or both None."""
    if a is None or b is None:
        return a is None and b is None
    return np.array_equal(a, b, equal_nan=True)


def assert_same_params(a, b):
    for k in a:
        assert np.array_equal(a[k], b[k]), k


@pytest.mark.parametrize("activation,loss,penalty", [("tanh", "bce", "l2"), ("relu", "mse", "l1"),
                                                     ("sigmoid", "bce", "none")])
def test_trainer_is_plain_gradient_descent(moons, activation, loss, penalty):
    params = network.init_params(init="he_normal", seed=2)
    t = Trainer(params, moons.X, moons.y, activation=activation, loss=loss, lr=0.3, penalty=penalty, lam=0.01)
    t.step(30)
    p, obj = manual_run(params, moons.X, moons.y, 30, 0.3, activation, loss, penalty, 0.01)
    for k in p:
        np.testing.assert_allclose(t.current[k], p[k], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(t.history.objective, obj, rtol=1e-13)
    assert t.history.loss.shape == (30,) and t.history.params.shape == (30, 13)
    assert np.array_equal(t.history.steps, np.arange(30))


def test_population_of_one_equals_single_network_exactly(moons):
    kw = dict(activation="tanh", loss="bce", lr=0.4, penalty="l2", lam=1e-3,
              X_val=moons.X_val, y_val=moons.y_val)
    single = Trainer(network.init_params(seed=5), moons.X, moons.y, **kw)
    pop = Trainer(network.init_params(seed=5, population=1), moons.X, moons.y, **kw)
    single.step(50)
    pop.step(50)
    assert_same_params(single.current, network.member(pop.current, 0))
    for f in FIELDS:
        a, b = getattr(single.history, f), getattr(pop.history, f)
        assert b.shape[1] == 1 and same(a, b[:, 0]), f
    assert len(single.history) == len(pop.history) == 50


SETTINGS = [  # (lr, lam, init, scale, seed) per member; members 2 and 3 diverge, at different steps
    (0.5, 0.0, "xavier_uniform", 1.0, 0),
    (0.05, 1e-2, "he_normal", 0.5, 1),
    (1.0, 3e-3, "normal", 2.0, 7),
    (60.0, 0.0, "normal", 1.0, 3),
    (0.2, 0.1, "uniform", 0.3, 12),
]


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_each_member_of_a_population_is_its_own_single_run(moons, penalty):
    lr, lam, inits, scales, seeds = (list(c) for c in zip(*SETTINGS))
    P = len(SETTINGS)
    kw = dict(activation="tanh", loss="mse", penalty=penalty, X_val=moons.X_val, y_val=moons.y_val)
    pop = Trainer(network.init_params(init=inits, scale=scales, seed=seeds, population=P),
                  moons.X, moons.y, lr=np.array(lr), lam=np.array(lam), **kw)
    pop.step(60)
    stopped = pop.history.diverged_step
    assert list(stopped >= 0) == [False, False, True, True, False] and stopped[2] != stopped[3]
    assert len(pop.history) == 60  # the healthy members kept training
    for k in range(P):
        one = Trainer(network.init_params(init=inits[k], scale=scales[k], seed=seeds[k]),
                      moons.X, moons.y, lr=lr[k], lam=lam[k], **kw)
        one.step(60)
        n = len(one.history)
        if stopped[k] >= 0:
            assert one.history.diverged and n == stopped[k] + 1 < 60
            assert one.history.diverged_step[0] == stopped[k]
            assert one.history.reason == pop.history.reasons[k]
        else:
            assert n == 60 and not one.history.diverged and pop.history.reasons[k] is None
        assert_same_params(one.current, network.member(pop.current, k))
        for f in FIELDS:
            a, b = getattr(one.history, f), getattr(pop.history, f)[:n, k]
            assert same(a, b), (k, f)


def test_settings_changed_between_steps_take_effect_without_reset(moons):
    params = network.init_params(seed=1)
    t = Trainer(params, moons.X, moons.y, lr=0.1)
    t.step(10)
    t.lr = 0.5
    t.penalty, t.lam = "l2", 0.05
    t.step(10)
    t.penalty, t.lam = "l1", 0.01
    t.step(10)
    t.lr = 0.05
    t.step(5)
    lr = lambda s: 0.1 if s < 10 else 0.5 if s < 30 else 0.05
    pen = lambda s: "none" if s < 10 else "l2" if s < 20 else "l1"
    lam = lambda s: 0.0 if s < 10 else 0.05 if s < 20 else 0.01
    p, obj = manual_run(params, moons.X, moons.y, 35, lr, penalty=pen, lam=lam)
    for k in p:
        np.testing.assert_allclose(t.current[k], p[k], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(t.history.objective, obj, rtol=1e-13)
    assert np.array_equal(t.history.steps, np.arange(35)) and t.t == 35


def test_per_member_lr_changed_mid_run(moons):
    pop = Trainer(network.init_params(seed=[2, 2], population=2), moons.X, moons.y, lr=[0.1, 0.2])
    pop.step(5)
    pop.lr = [0.3, 0.01]
    pop.step(5)
    for k, sched in enumerate([lambda s: 0.1 if s < 5 else 0.3, lambda s: 0.2 if s < 5 else 0.01]):
        p, _ = manual_run(network.init_params(seed=2), moons.X, moons.y, 10, sched)
        for n in p:
            np.testing.assert_allclose(pop.current[n][k], p[n], rtol=1e-13, atol=1e-15)


def test_a_bad_setting_mid_run_raises_and_leaves_the_trainer_usable(moons):
    ref = Trainer(network.init_params(seed=4), moons.X, moons.y, lr=0.2)
    t = Trainer(network.init_params(seed=4), moons.X, moons.y, lr=0.2)
    ref.step(20)
    t.step(10)
    for attr, bad in [("lr", -1), ("lr", float("nan")), ("lam", -0.5), ("penalty", "l3"), ("lr", [0.1, 0.2])]:
        with pytest.raises(ValueError, match=attr):
            setattr(t, attr, bad)
    assert t.lr == 0.2 and t.lam == 0.0 and t.penalty == "none"
    t.step(10)
    assert_same_params(ref.current, t.current)
    assert np.array_equal(ref.history.loss, t.history.loss)


def test_divergence_is_recorded_and_stops_training():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    y = X @ np.array([1.0, -1.0]) + 0.5
    params = {"W1": np.array([[0.1], [0.2]]), "b1": np.array([0.0])}
    edge = edge_of_stability(params, X, y, "identity", "mse")
    lr = 3 * edge
    _, obj = manual_run(params, X, y, 200, lr, "identity", "mse")
    # the rules: NaN or inf; above max_loss and above the start; 100 times the start and the variance of y
    first_bad = int(np.argmax(~np.isfinite(obj) | ((obj > 1e6) & (obj > obj[0]))
                              | (obj > 100 * max(obj[0], np.var(y)))))
    assert first_bad > 0 and np.isfinite(obj[first_bad])   # found by the runaway rule, before any overflow
    t = Trainer(params, X, y, activation="identity", loss="mse", lr=lr)
    h = t.step(200)
    assert h is t.history
    assert h.diverged and t.diverged
    assert h.diverged_step[0] == first_bad
    assert f"diverged at step {first_bad}" in h.reason and "learning rate" in h.reason
    assert len(h) == first_bad + 1 < 200  # the record of the step that found it, then it stopped
    assert t.t == first_bad + 1
    t.step(10)  # asking for more does nothing
    assert len(h) == first_bad + 1
    # just below the edge it converges
    t2 = Trainer(params, X, y, activation="identity", loss="mse", lr=0.9 * edge, record_every=50)
    t2.step(500)
    assert not t2.history.diverged and t2.history.reason is None


def test_nan_loss_is_divergence_too(moons):
    params = network.init_params(init="normal", scale=1.0, seed=0)
    t = Trainer(params, moons.X, moons.y, activation="relu", loss="mse", lr=1e150, max_loss=np.inf)
    t.step(20)
    assert t.history.diverged and "diverged at step" in t.history.reason
    assert len(t.history) < 20
    assert ("inf" in t.history.reason) or ("NaN" in t.history.reason)


def test_edge_of_stability_of_a_quadratic_is_two_over_the_top_eigenvalue():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    y = rng.normal(size=30)
    params = {"W1": np.array([[0.3], [-0.2]]), "b1": np.array([0.1])}
    A = np.hstack([X, np.ones((30, 1))])
    H = 2 / 30 * A.T @ A  # Hessian of mean((Xw + b - y)^2) in the order W1[0,0], W1[1,0], b1[0]
    np.testing.assert_allclose(hessian(params, X, y, "identity", "mse"), H, rtol=1e-7, atol=1e-9)
    assert edge_of_stability(params, X, y, "identity", "mse") == pytest.approx(
        2 / np.linalg.eigvalsh(H).max(), rel=1e-7)


def test_minibatches_are_seeded_and_follow_a_shuffled_epoch(moons):
    params = network.init_params(seed=0)
    kw = dict(lr=0.3, batch_size=16)
    a = Trainer(params, moons.X, moons.y, seed=11, **kw)
    b = Trainer(params, moons.X, moons.y, seed=11, **kw)
    c = Trainer(params, moons.X, moons.y, seed=12, **kw)
    for tr in (a, b, c):
        tr.step(20)
    assert_same_params(a.current, b.current)
    for f in FIELDS:
        assert same(getattr(a.history, f), getattr(b.history, f)), f
    assert not np.array_equal(a.current["W1"], c.current["W1"])
    # manual: each epoch is a fresh permutation from the seed, cut into consecutive batches,
    # the last one smaller (90 samples: five batches of 16 and one of 10)
    rng = np.random.default_rng(11)
    n, p = len(moons.X), network.copy(params)
    order, pos = None, 0
    for _ in range(20):
        if order is None or pos >= n:
            order, pos = rng.permutation(n), 0
        idx = order[pos:pos + 16]
        pos += len(idx)
        _, g = gradcheck.objective_and_grad(p, moons.X[idx], moons.y[idx])
        p = {k: p[k] - 0.3 * g[k] for k in p}
    for k in p:
        np.testing.assert_allclose(a.current[k], p[k], rtol=1e-13, atol=1e-15)


def test_same_seed_gives_bit_identical_full_runs(moons):
    runs = [train(network.init_params(seed=9, init="he_uniform"), moons.X, moons.y, steps=40,
                  activation="relu", lr=0.2, penalty="l1", lam=0.01) for _ in range(2)]
    assert_same_params(runs[0][0], runs[1][0])
    assert np.array_equal(runs[0][1].params, runs[1][1].params)


@pytest.mark.parametrize("init,scale,activation", [("zeros", 0.0, "sigmoid"), ("constant", 0.4, "tanh"),
                                                   ("constant", -0.3, "relu")])
def test_equal_initial_weights_keep_hidden_units_identical(moons, init, scale, activation):
    if scale < 0:  # a negative constant, set by hand (scale must be >= 0)
        params = network.init_params(init="constant", scale=-scale)
        params = {k: (-v if k[0] == "W" else v) for k, v in params.items()}
        params["W2"] = -params["W2"]
    else:
        params = network.init_params(init=init, scale=scale)
    t = Trainer(params, moons.X, moons.y, activation=activation, lr=0.5, record_every=100)
    t.step(300)
    W1, W2, b1 = t.current["W1"], t.current["W2"], t.current["b1"]
    assert np.abs(W2 - params["W2"]).max() > 1e-3 or activation == "relu"  # it did learn something
    np.testing.assert_allclose(W1, W1[:, :1].repeat(3, 1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(W2, W2[:1].repeat(3, 0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b1, b1[:1].repeat(3), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("init", ["normal", "uniform", "xavier_uniform", "xavier_normal", "he_uniform",
                                  "he_normal"])
def test_random_initial_weights_break_the_symmetry(moons, init):
    params = network.init_params(init=init, seed=0)
    t = Trainer(params, moons.X, moons.y, lr=0.5, record_every=100)
    t.step(100)
    W1 = t.current["W1"]
    spread = np.abs(W1 - W1[:, :1]).max(axis=0)[1:]
    assert np.all(spread > 1e-3)


def test_dead_relu_units(moons):
    params = network.init_params(seed=0)
    params["b1"] = np.full(3, -100.0)
    t = Trainer(params, moons.X, moons.y, activation="relu", lr=0.1)
    t.step(3)
    assert np.array_equal(t.history.dead, np.ones(3))
    assert np.array_equal(t.history.saturated, np.zeros(3))
    assert np.array_equal(t.current["W1"], params["W1"])  # dead units get no gradient
    params["b1"] = np.array([-100.0, 0.0, 0.0])
    t = Trainer(params, moons.X, moons.y, activation="relu", lr=0.1)
    t.step(1)
    assert t.history.dead[0] == pytest.approx(1 / 3)


def test_activation_changed_mid_run_is_used_and_judged_step_by_step(moons):
    """A unit stuck at f'(z) = 0 is dead under ReLU; the same unit under tanh is saturated, not dead."""
    params = network.init_params(seed=0)
    params["b1"] = np.full(3, -100.0)
    t = Trainer(params, moons.X, moons.y, activation="relu", lr=0.1)
    t.step(2)
    t.activation = "tanh"
    t.step(2)
    assert list(t.history.dead) == [1.0, 1.0, 0.0, 0.0]
    assert list(t.history.saturated) == [0.0, 0.0, 1.0, 1.0]
    p, _ = manual_run(params, moons.X, moons.y, 4, 0.1, activation=lambda s: "relu" if s < 2 else "tanh")
    for k in p:
        np.testing.assert_allclose(t.current[k], p[k], rtol=1e-13, atol=1e-15)


def test_large_population_members_are_their_own_single_runs(moons):
    """A population larger than the engine's chunk: members on both sides of a chunk boundary."""
    from weightlab.engine import CHUNK
    P = CHUNK + 3
    pop = Trainer(network.init_params(seed=list(range(P)), population=P), moons.X, moons.y,
                  lr=np.linspace(0.1, 1.0, P), penalty="l2", lam=1e-3)
    pop.step(20)
    for k in (0, CHUNK - 1, CHUNK, P - 1):
        one = Trainer(network.init_params(seed=k), moons.X, moons.y, lr=pop.lr[k], penalty="l2", lam=1e-3)
        one.step(20)
        assert_same_params(one.current, network.member(pop.current, k))
        for f in FIELDS:
            a, b = getattr(one.history, f), getattr(pop.history, f)
            assert same(a, None if b is None else b[:, k]), (k, f)


def test_healthy_net_is_neither_dead_nor_saturated(moons):
    t = Trainer(network.init_params(seed=0), moons.X, moons.y)
    t.step(1)
    assert t.history.dead[0] == 0 and t.history.saturated[0] == 0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_huge_weights_saturate_tanh_and_sigmoid(moons, activation):
    """|z| between about 5 and 50: f'(z) is far below 5% of its peak on every sample."""
    params = network.init_params(seed=0)
    params["W1"] = np.array([[3.0, -3.0, 4.0], [2.0, 3.0, -4.0]])
    params["b1"] = np.array([15.0, -15.0, 15.0])
    t = Trainer(params, moons.X, moons.y, activation=activation, lr=0.1)
    t.step(1)
    assert t.history.saturated[0] == 1.0 and t.history.dead[0] == 0.0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_very_huge_weights_are_saturated_not_dead(moons, activation):
    """A tanh or sigmoid unit never has slope exactly 0 mathematically; when its slope rounds
    to 0.0 in float64 (|z| above ~19 for tanh, ~37 for sigmoid) it is saturated, not dead."""
    params = network.init_params(seed=0)
    params["W1"] = 1000.0 * np.array([[1.0, -1.0, 1.0], [1.0, 1.0, -1.0]])
    params["b1"] = np.array([5000.0, -5000.0, 5000.0])
    t = Trainer(params, moons.X, moons.y, activation=activation, lr=0.1)
    t.step(1)
    assert t.history.saturated[0] == 1.0 and t.history.dead[0] == 0.0


def test_norms_and_update_ratio_by_hand(moons):
    params = network.init_params(seed=6, init="normal")
    t = Trainer(params, moons.X, moons.y, lr=0.3, penalty="l2", lam=0.01)
    t.step(1)
    after = t.current
    _, g = gradcheck.objective_and_grad(params, moons.X, moons.y, "tanh", "bce", "l2", 0.01)
    for layer in (1, 2):
        W0, W1 = params[f"W{layer}"], after[f"W{layer}"]
        wn = np.sqrt(np.sum(W0 ** 2))
        assert t.history.weight_norm[0, layer - 1] == pytest.approx(wn, rel=1e-14)
        assert t.history.grad_norm[0, layer - 1] == pytest.approx(np.sqrt(np.sum(g[f"W{layer}"] ** 2)), rel=1e-12)
        ratio = np.sqrt(np.sum((W1 - W0) ** 2)) / wn
        assert t.history.update_ratio[0, layer - 1] == pytest.approx(ratio, rel=1e-12)
        assert ratio == pytest.approx(0.3 * t.history.grad_norm[0, layer - 1] / wn, rel=1e-10)
    assert np.array_equal(t.history.params[0], network.flatten(params))


def test_update_ratio_is_nan_for_zero_weights(moons):
    t = Trainer(network.init_params(init="zeros"), moons.X, moons.y, activation="sigmoid")
    t.step(1)
    assert np.isnan(t.history.update_ratio[0]).all()


def test_record_every_and_validation_loss(moons):
    t = Trainer(network.init_params(seed=1), moons.X, moons.y, X_val=moons.X_val, y_val=moons.y_val,
                record_every=7, record_params=False)
    t.step(30)
    assert np.array_equal(t.history.steps, np.arange(0, 30, 7))
    assert t.history.params is None
    val = []
    ref = Trainer(network.init_params(seed=1), moons.X, moons.y)
    for s in range(30):
        if s % 7 == 0:
            val.append(ref.evaluate(moons.X_val, moons.y_val))
        ref.step(1)
    np.testing.assert_allclose(t.history.val_loss, val, rtol=1e-14)
    assert Trainer(network.init_params(), moons.X, moons.y).history.val_loss.shape == (0,)


def test_evaluate_and_empty_history(moons):
    params = network.init_params(seed=2)
    t = Trainer(params, moons.X, moons.y)
    assert len(t.history) == 0 and t.history.loss.shape == (0,)
    value, _ = gradcheck.objective_and_grad(params, moons.X, moons.y)
    assert t.evaluate() == pytest.approx(float(value), rel=1e-15)
    t.step(0)
    assert len(t.history) == 0


def test_set_params_replaces_the_weights_and_keeps_history_and_settings(moons):
    a, b = network.init_params(seed=1), network.init_params(seed=2, init="normal")
    t = Trainer(a, moons.X, moons.y, lr=0.3, penalty="l2", lam=0.01)
    t.step(5)
    t.set_params(b)
    assert_same_params(t.current, b)
    t.step(5)
    ref = Trainer(b, moons.X, moons.y, lr=0.3, penalty="l2", lam=0.01)
    ref.step(5)
    assert_same_params(t.current, ref.current)
    assert len(t.history) == 10 and np.array_equal(t.history.steps, np.arange(10))
    assert np.array_equal(t.history.loss[5:], ref.history.loss)
    b_copy = network.copy(b)
    t.step(1)
    assert_same_params(b, b_copy)  # the caller's arrays are not trained in place
    with pytest.raises(ValueError, match=r"W1 has shape \(2, 4\)"):
        t.set_params(network.init_params((2, 4, 1)))


def test_caller_params_are_never_modified(moons):
    params = network.init_params(seed=3)
    before = network.copy(params)
    Trainer(params, moons.X, moons.y, lr=0.5).step(5)
    pop = network.init_params(seed=3, population=3)
    pop_before = network.copy(pop)
    Trainer(pop, moons.X, moons.y, lr=0.5).step(5)
    assert_same_params(params, before)
    assert_same_params(pop, pop_before)


@pytest.mark.parametrize("penalty,l1_step", [("none", "proximal"), ("l2", "proximal"), ("l1", "proximal"),
                                             ("l1", "subgradient")])
@pytest.mark.parametrize("P", [None, 4])
def test_each_trainer_step_is_the_readable_gd_step_bit_for_bit(moons, penalty, l1_step, P):
    """Given the same gradient, the Trainer's update of its flat buffer is ``optim.gd_step``, bit for bit,
    for every parameter and every member of a population (each with its own lr and lam)."""
    params = network.init_params((2, 5, 1), init="normal", seed=3, population=P)
    lr = 0.3 if P is None else np.array([0.1, 0.3, 0.5, 0.7])
    lam = 0.05 if P is None else np.array([0.0, 0.01, 0.05, 0.2])
    t = Trainer(params, moons.X, moons.y, lr=lr, penalty=penalty, lam=lam, l1_step=l1_step)
    for _ in range(5):
        before = t.current
        t.step(1)
        grads = network.unflatten(t._engine.grad[0] if P is None else t._engine.grad, (2, 5, 1))
        want = optim.gd_step(before, grads, lr, penalty, lam, l1_step)
        for k in want:
            assert np.array_equal(t.current[k], want[k]), k


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("lr", [1e3, 1e4, 1e6])
def test_cross_entropy_runaway_is_reported_as_divergence(moons, activation, lr):
    """Cross-entropy grows only in proportion to the weights, so an exploding run never reaches inf
    or max_loss; it must still be stopped and explained."""
    t = Trainer(network.init_params(seed=0), moons.X, moons.y, activation=activation, lr=lr)
    t.step(300)
    assert t.diverged and "diverged at step" in t.history.reason and "100 times" in t.history.reason
    assert np.max(t.history.loss) > 100 * t.history.loss[0] and np.all(np.isfinite(t.history.loss))


def test_evaluate_after_a_divergence_warns_no_more_than_step(moons):
    import warnings
    t = Trainer(network.init_params(seed=0), moons.X, moons.y, lr=1e200, loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # any RuntimeWarning fails the test
        t.step(20)
        assert t.diverged
        value = t.evaluate()
    assert not np.isfinite(value)


def test_a_stable_run_with_a_huge_penalty_is_not_divergence(moons):
    t = Trainer(network.init_params(seed=0), moons.X, moons.y, penalty="l2", lam=1e6, lr=1e-7)
    t.step(50)
    assert not t.diverged and t.history.reason is None
    assert t.history.objective[0] > 1e6 and t.history.objective[-1] < t.history.objective[0]


def test_healthy_runs_are_never_called_diverged(moons):
    for lr in (0.01, 0.3, 1.0, 3.0):
        for act in ("tanh", "relu", "sigmoid"):
            t = Trainer(network.init_params(seed=1), moons.X, moons.y, activation=act, lr=lr)
            t.step(400)
            assert not t.diverged, (lr, act, t.history.reason)


def test_constant_loss_is_the_loss_of_always_answering_the_mean():
    from weightlab.training import constant_loss
    y = np.array([0.0, 1.0, 1.0, 1.0])
    assert constant_loss("bce", y) == pytest.approx(-(0.75 * np.log(0.75) + 0.25 * np.log(0.25)))
    assert constant_loss("bce", np.array([0.0, 1.0])) == pytest.approx(np.log(2))
    assert constant_loss("mse", np.array([1.0, 3.0])) == pytest.approx(1.0)


def test_thinning_a_history_keeps_every_other_record_and_its_columns_agree():
    X, y = datasets.make("xor", 40, 0.1, 0)
    t = Trainer(network.init_params((2, 3, 1), seed=0), X, y, lr=0.3)
    t.step(9)
    steps, loss = t.history.steps.copy(), t.history.loss.copy()   # fills the column cache
    t.history.thin(2)
    assert list(t.history.steps) == list(steps[::2]) == [0, 2, 4, 6, 8]
    np.testing.assert_array_equal(t.history.loss, loss[::2])       # not a stale cached column
    with pytest.raises(ValueError, match="every=0"):
        t.history.thin(0)
