"""Claims of notebook 09, L1 and L2 regularisation: each test recomputes what one sentence says."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import weightlab as wl
from register import claim
from weightlab import curvature, experiments, network, problems, quadratic, regularization
from weightlab.explore import grid
from weightlab.explore import regularization as reg
from weightlab.gradcheck import objective_and_grad

NOTEBOOK = "09_regularisation.ipynb"
SIZES = (2, 16, 1)
WEIGHTS = network.weight_mask(SIZES)


@pytest.fixture(scope="module")
def data():
    return problems.noisy_moons()


@pytest.fixture(scope="module")
def overfit(data):
    """The notebook's first network: 1200 steps without a penalty, every step recorded."""
    tr = wl.Trainer(wl.init_params(SIZES, seed=0), data.X, data.y, lr=0.5, X_val=data.X_val, y_val=data.y_val)
    tr.step(1200)
    return tr


@pytest.fixture(scope="module")
def zero(overfit, data):
    """Every weight pulled to exactly 0: L1 at λ = 1 for 150 steps from the overfit network."""
    stuck = wl.Trainer(overfit.current, data.X, data.y, lr=0.5, penalty="l1", lam=1.0)
    stuck.step(150)
    return stuck.current


def explorer_after(*changes):
    """The running-model explorer after the given changes (each a dict for ``set``); closed by the caller."""
    ex = reg.regularisation_explorer()
    for change in changes:
        ex.set(**change)
    return ex


def mean_size(params):
    return float(np.mean(np.abs(regularization.weight_vector(params))))


# ---- a network that learns the noise -------------------------------------------------------------------
@claim("8e898e5a", "$2\\cdot16 + 16\\cdot1 = 48$ weights and 17 biases")
@claim("8e898e5a", "only 40 noisy training points")
@claim("8e898e5a", "And 1,000 more points drawn the same way")
def test_the_network_and_the_three_sets(data):
    assert int(WEIGHTS.sum()) == 48 and network.n_parameters(SIZES) - 48 == 17
    assert (len(data.X), len(data.X_val), len(data.X_test)) == (40, 40, 1000)


@claim("e0035e9d", "The training loss fell at every step, while the validation loss was lowest at step 5 and rose at every step after it")
@claim("e0035e9d", "their mean size from 0.29 at the start to 0.75")
def test_training_falls_validation_rises_weights_grow(overfit):
    h = overfit.history
    assert np.all(np.diff(np.append(h.loss, overfit.evaluate())) < 0)
    b = int(np.argmin(h.val_loss))
    assert h.steps[b] == 5 and np.all(np.diff(h.val_loss[b:]) > 0)
    assert round(mean_size(wl.init_params(SIZES, seed=0)), 2) == 0.29 and round(mean_size(overfit.current), 2) == 0.75


@claim("5bc37e60", "none of the 48 weights is exactly 0, although 43 are smaller than 0.02")
@claim("5bc37e60", "they jitter around 0, most of them changing sign at every step")
@claim("5bc37e60", "L1 with the proximal step: 43 weights are exactly 0")
@claim("5bc37e60", "L2: none is exactly 0 (5 are smaller than 0.02)")
def test_only_the_proximal_step_gives_exact_zeros(overfit, data):
    counts = {}
    for penalty, l1_step in (("l1", "subgradient"), ("l1", "proximal"), ("l2", "proximal")):
        run = wl.Trainer(overfit.current, data.X, data.y, lr=0.5, penalty=penalty, lam=0.03, l1_step=l1_step)
        run.step(300)
        w = regularization.weight_vector(run.current)
        if l1_step == "subgradient":
            last = run.history.params[-11:][:, WEIGHTS]                 # the last ten steps
            small = np.abs(w) < 0.02
            flips = np.sum(np.diff(np.sign(last[:, small]), axis=0) != 0, axis=0)
            assert np.median(flips) == 10 and flips.min() >= 4
        counts[penalty, l1_step] = (int(np.sum(w == 0)), int(np.sum(np.abs(w) < 0.02)))
    assert counts["l1", "subgradient"] == (0, 43)
    assert counts["l1", "proximal"] == (43, 43)
    assert counts["l2", "proximal"] == (0, 5)


# ---- the running model ---------------------------------------------------------------------------------------
@claim("8678d20f", "the validation loss falls, from 0.765 to 0.552 in 150 steps")
@claim("8678d20f", "(their mean size from 0.75 to 0.45), but none becomes exactly 0")
@claim("8678d20f", "35 of the 48 weights are exactly 0 after 150 steps")
@claim("8678d20f", "the remaining 13 connections carry the whole boundary")
def test_l2_shrinks_then_l1_removes(data):
    ex = explorer_after()
    try:
        h = ex.trainer.history
        val0, size0 = h.val_loss[-1], mean_size(ex.trainer.current)
        ex.set(penalty="l2", lam=0.01)
        assert (round(val0, 3), round(h.val_loss[-1], 3)) == (0.765, 0.552)
        assert (round(size0, 2), round(mean_size(ex.trainer.current), 2)) == (0.75, 0.45)
        assert regularization.count_zeros(ex.trainer.current) == 0
        ex.set(penalty="l1")
        zeros = int(regularization.count_zeros(ex.trainer.current))
        assert zeros == 35 and 48 - zeros == 13
    finally:
        plt.close(ex.fig)


@claim("8678d20f", "**back to off** (after L2 and L1 at λ = 0.01): the weights grow again and the validation loss rises")
def test_switched_off_the_weights_grow_again():
    ex = explorer_after(dict(penalty="l2", lam=0.01), dict(penalty="l1"))
    try:
        size, val = mean_size(ex.trainer.current), ex.trainer.history.val_loss[-1]
        ex.set(penalty="none")
        size1, val1 = mean_size(ex.trainer.current), ex.trainer.history.val_loss[-1]
        ex.buttons["train_more"].click()
        size2, val2 = mean_size(ex.trainer.current), ex.trainer.history.val_loss[-1]
        assert size < size1 < size2 and val < val1 < val2
    finally:
        plt.close(ex.fig)


@claim("8678d20f", "within 150 steps every weight is pulled to 0 or nearly, and the network answers 0.5 everywhere (the loss is log 2 = 0.693)")
@claim("8678d20f", "With L1 every weight is *exactly* 0, and lowering λ to 0.0001 does not bring any back")
def test_strong_penalties_pull_every_weight_to_zero():
    G = grid((-2, 2, -2, 2), 40)[0]
    for penalty in ("l2", "l1"):
        ex = explorer_after(dict(penalty=penalty, lam=1.0))
        try:
            w = regularization.weight_vector(ex.trainer.current)
            assert np.abs(w).max() < 1e-3, penalty
            assert np.abs(network.predict(ex.trainer.current, G) - 0.5).max() < 1e-3
            assert round(ex.trainer.evaluate(), 3) == 0.693
            if penalty == "l1":
                assert np.all(w == 0)
                ex.set(lam=1e-4)
                assert regularization.count_zeros(ex.trainer.current) == 48
        finally:
            plt.close(ex.fig)


@claim("8678d20f", "After a reset, L1 at λ = 1, then off: the loss falls below 0.6 121 steps after the switch (205 steps if you lower λ to 0.0001 before switching off)")
def test_switched_off_the_network_leaves_after_a_pause(data):
    for path, pause in (([dict(penalty="l1", lam=1.0)], 121), ([dict(penalty="l1", lam=1.0), dict(lam=1e-4)], 205)):
        ex = explorer_after(*path)
        try:
            run = wl.Trainer(ex.trainer.current, data.X, data.y, lr=0.5)     # what "off" does next, every step kept
            run.step(400)
            assert int(np.argmax(run.history.loss < 0.6)) == pause
            assert np.all(run.history.loss[:100] > 0.69)
        finally:
            plt.close(ex.fig)


# ---- the saddle point ---------------------------------------------------------------------------------------
@claim("4d0c9e21", "The gradient of a weight in $W_2$ is then (nearly) 0 once $b_2$ has settled, and the gradient of a weight in $W_1$ is exactly 0")
@claim("c2e8a4f7", "The gradient is zero to nine decimals, and the Hessian has a negative eigenvalue, $-0.441$")
def test_all_zero_weights_are_a_saddle_point(zero, data):
    assert regularization.count_zeros(zero) == 48
    _, grads = objective_and_grad(zero, data.X, data.y)
    assert not grads["W1"].any() and np.abs(grads["W2"]).max() < 1e-9
    assert np.linalg.norm(wl.flatten(grads)) < 1e-9
    ev = np.linalg.eigvalsh(curvature.hessian(zero, data.X, data.y))
    assert round(ev[0], 3) == -0.441


@claim("c2e8a4f7", "the first step moves the weights by less than $10^{-9}$")
@claim("c2e8a4f7", "grows by a factor of about $1 + \\eta \\cdot 0.441 = 1.22$ per step: it takes about 90 steps to grow from $10^{-9}$ to $10^{-2}$")
def test_leaving_the_saddle_grows_geometrically(zero, data):
    run = wl.Trainer(zero, data.X, data.y, lr=0.5)
    run.step(130)
    size = np.linalg.norm(run.history.params[:, WEIGHTS], axis=1)
    assert round(1 + 0.5 * 0.441, 2) == 1.22
    assert size[1] < 1e-9
    ratio = size[61:100] / size[60:99]
    assert np.all((1.17 < ratio) & (ratio < 1.23))
    first, second = int(np.argmax(size > 1e-9)), int(np.argmax(size > 1e-2))
    assert 80 <= second - first <= 100


@claim("58f2a0d4", "L1 with $\\lambda = 0.0001$ never leaves")
@claim("58f2a0d4", "No penalty and L2 with $\\lambda = 0.01$ leave after about 120 steps; L2 with $\\lambda = 0.3$ after about 350")
@claim("58f2a0d4", "L2 with $\\lambda = 1$ never leaves")
@claim("58f2a0d4", "($-0.441 + 1 = +0.559$ along the weights)")
@claim("58f2a0d4", "a strong L2 penalty holds it there, and so does L1 at every strength on the slider, down to 0.0001")
def test_which_settings_leave_the_saddle(zero, data):
    leaves = {}
    for penalty, lam in (("l1", 1e-4), ("none", 0.0), ("l2", 0.01), ("l2", 0.3), ("l2", 1.0)):
        run = wl.Trainer(zero, data.X, data.y, lr=0.5, penalty=penalty, lam=lam)
        run.step(1200)
        below = np.flatnonzero(run.history.loss < 0.6)
        leaves[penalty, lam] = int(below[0]) if below.size else None
    assert leaves["l1", 1e-4] is None and leaves["l2", 1.0] is None
    assert abs(leaves["none", 0.0] - 120) <= 5 and abs(leaves["l2", 0.01] - 120) <= 5
    assert abs(leaves["l2", 0.3] - 350) <= 10
    H = curvature.hessian(zero, data.X, data.y, penalty="l2", lam=1.0)
    assert round(np.linalg.eigvalsh(H[np.ix_(WEIGHTS, WEIGHTS)])[0], 3) == 0.559
    assert np.linalg.eigvalsh(H)[0] > -1e-9          # no direction goes down (the hidden biases are flat)


# ---- two weights -------------------------------------------------------------------------------------------------
@claim("a7dd1d39", "L1's $w_2$ falls along a straight line and **stops at exactly 0** (from $\\lambda \\approx 0.78$)")
@claim("a7dd1d39", "then $w_1$ falls to 0 as well (from $\\lambda \\approx 1.91$)")
@claim("a7dd1d39", "its $w_2$ even grows a little at first (from 0.454 to 0.496 at $\\lambda \\approx 0.27$)")
@claim("a7dd1d39", "as $w_1$ shrinks and $w_2$ takes over part of its work")
def test_the_two_weight_paths():
    A, b, _ = quadratic.two_weight_problem()
    lams = np.linspace(0, 2.3, 231)
    l1, l2 = quadratic.lasso(A, b, lams), quadratic.ridge(A, b, lams)
    i2, i1 = int(np.argmax(l1[:, 1] == 0)), int(np.argmax(l1[:, 0] == 0))
    assert round(lams[i2], 2) == 0.78 and round(lams[i1], 2) == 1.91
    assert np.all(l1[i2:, 1] == 0) and np.abs(np.diff(l1[:i2, 1], 2)).max() < 1e-9      # a straight line, then 0
    assert not np.any(l2 == 0) and np.all(np.diff(l2[:, 0]) < 0)          # L2's w1 shrinks all along
    assert round(l2[0, 1], 3) == 0.454 and round(l2[:, 1].max(), 3) == 0.496 and round(lams[np.argmax(l2[:, 1])], 2) == 0.27


# ---- choosing the strength ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sweeps():
    lams = experiments.strength_grid(20)
    return lams, {kind: experiments.sweep(kind, lams, SIZES, 0.9, 850) for kind in ("l2", "l1")}


@claim("f486b786", "0.852 at $\\lambda = 0$ (overfitting)")
@claim("f486b786", "lowest at $\\lambda \\approx 0.055$ (0.469 for L2, 0.473 for L1), and 0.693 (every weight near 0: a coin flip, $\\log 2$) for the strongest $\\lambda$")
@claim("f486b786", "The training loss is lowest at $\\lambda = 0$ and grows with $\\lambda$ at every step of the grid")
def test_the_u_curve(sweeps):
    lams, runs = sweeps
    for kind, best in (("l2", 0.469), ("l1", 0.473)):
        h = runs[kind].history
        val, train = h.val_loss[-1], h.loss[-1]
        assert h.steps[-1] == 850 and round(val[0], 3) == 0.852
        lam, i = experiments.best_strength(lams, val)
        assert round(lam, 3) == 0.055 and round(val[i], 3) == best and 0 < i < len(lams) - 1
        assert round(val[-1], 3) == 0.693
        last = network.unflatten(h.params[-1], SIZES)
        assert np.abs(regularization.weight_vector(network.member(last, len(lams) - 1))).max() < 1e-3
        assert np.all(np.diff(train) >= 0) and train.argmin() == 0


@claim("f486b786", "At step 0 all 21 networks are the same")
@claim("f486b786", "the unpenalised network's validation loss is 0.580 at step 50 and 0.852 at step 850, while the best $\\lambda$'s stays between 0.46 and 0.48 from step 50 on")
def test_the_left_side_rises_during_training(sweeps):
    lams, runs = sweeps
    assert len(lams) == 21
    for kind in ("l2", "l1"):
        h = runs[kind].history
        assert np.ptp(h.val_loss[0]) == 0
        steps = list(h.steps)
        assert round(h.val_loss[steps.index(50), 0], 3) == 0.580 and round(h.val_loss[-1, 0], 3) == 0.852
        best = np.nanmin(h.val_loss[steps.index(50):], axis=1)
        assert best.min() >= 0.46 and best.max() <= 0.48


@claim("6b2d8f35", "Here the test losses (0.371 for L2, 0.356 for L1) are *lower* than the validation losses that chose $\\lambda$ (0.469 and 0.473)")
@claim("6b2d8f35", "their loss is higher than the test loss, or equal to it where the network answers 0.5 everywhere")
@claim("6b2d8f35", "these 40 validation points happen to be harder than most")
@claim("6b2d8f35", "Had we picked $\\lambda$ by the test loss instead, we would report 0.348 for L2")
def test_reported_once_on_test(sweeps, data):
    lams, runs = sweeps
    for kind, val_loss, test_loss in (("l2", 0.469, 0.371), ("l1", 0.473, 0.356)):
        lam, val, test = experiments.chosen_strength(runs[kind], lams, data)
        assert (round(val, 3), round(test, 3)) == (val_loss, test_loss)
        h = runs[kind].history
        tests = experiments.loss_on(network.unflatten(h.params[-1], SIZES), data.X_test, data.y_test)
        vals = h.val_loss[-1]
        coin = np.abs(vals - np.log(2)) < 1e-3
        assert np.all(vals[~coin] > tests[~coin]) and np.all(np.abs(vals[coin] - tests[coin]) < 1e-3)
        if kind == "l2":
            assert round(tests.min(), 3) == 0.348 and tests.argmin() != lams.tolist().index(lam)
