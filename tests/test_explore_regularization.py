"""Notebook 08's explorers: the running model keeps training through changes of
penalty, the U curve comes from a population, and the two-weight geometry's
optima agree with independent computations."""
import inspect

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from weightlab import explore, network, regularization  # noqa: E402
from weightlab.explore import regularization as reg  # noqa: E402
from weightlab.training import Trainer  # noqa: E402

STEPS = inspect.signature(reg.regularisation_explorer).parameters["steps_per_change"].default
SWEEP = {k: p.default for k, p in inspect.signature(reg.strength_sweep_explorer).parameters.items()}


@pytest.fixture
def running():
    e = reg.regularisation_explorer()
    yield e
    plt.close(e.fig)


@pytest.fixture(scope="module")
def sweep_ex():
    e = reg.strength_sweep_explorer()
    yield e
    plt.close(e.fig)


@pytest.fixture
def geometry():
    e = reg.penalty_geometry_explorer()
    yield e
    plt.close(e.fig)


def drive_every_control(ex):
    for name, control in ex.controls.items():
        values = explore.positions(control)
        assert values, f"{name} cannot be driven"
        for value in values:
            before = explore.render(ex.fig)
            redraws = ex.redraws
            ex.set(**{name: value})
            assert ex.redraws == redraws + 1
            assert ex.status.value and "Traceback" not in ex.status.value
            yield name, value, before, explore.render(ex.fig)


def zeros(ex):
    return int(regularization.count_zeros(ex.state["trainer"].current))


# 1. The running model ------------------------------------------------------------------
def test_running_model_every_control_redraws_and_changes_the_picture(running):
    for name, value, before, after in drive_every_control(running):
        # every change trains more steps, so the loss curve always moves
        assert not np.array_equal(before, after), f"{name}={value!r} did not change the figure"


def test_a_change_continues_from_the_current_weights(running):
    tr = running.state["trainer"]
    t0, w0 = tr.t, tr.current
    running.set(penalty="l2", lam=0.01)
    assert running.state["trainer"] is tr, "changing the penalty must not make a new trainer"
    assert tr.t == t0 + STEPS
    assert (tr.penalty, tr.lam) == ("l2", 0.01)
    assert running.state["marks"][-1] == (t0, "L2, λ=0.01")
    # the same STEPS steps from the same weights, done by hand, give the same weights
    d = reg.noisy_moons()
    by_hand = Trainer(w0, d.X, d.y, lr=0.5, penalty="l2", lam=0.01)
    by_hand.step(STEPS)
    for k, v in by_hand.current.items():
        np.testing.assert_allclose(tr.current[k], v, rtol=1e-12, atol=1e-14)


def test_l1_gives_exact_zeros_and_l2_only_shrinks(running):
    running.set(penalty="l2", lam=0.03)
    l2_zeros = zeros(running)
    assert l2_zeros == 0
    assert "0 of 48 weights are exactly zero" in running.status.value
    running.set(penalty="l1", lam=0.03)
    l1_zeros = zeros(running)
    assert l1_zeros > 20
    assert f"{l1_zeros} of 48 weights are exactly zero" in running.status.value


def test_zero_penalty_is_reachable_and_said_in_words(running):
    running.set(penalty="none")
    assert running.state["trainer"].penalty == "none"
    assert running.state["trainer"].lam == 0.0
    assert "No penalty" in running.status.value
    assert running.state["marks"][-1][1] == "off"


def test_a_network_with_every_weight_zero_is_explained(running):
    running.set(penalty="l1", lam=1.0)
    assert zeros(running) == 48
    assert "stays stuck" in running.status.value
    running.set(penalty="l1", lam=1e-4)           # lowering λ does not revive it under L1 ...
    assert zeros(running) == 48
    running.set(penalty="none")                   # ... switching the penalty off does (a saddle point)
    assert zeros(running) == 0
    for _ in range(4):                            # it leaves the saddle within a few presses
        running.buttons["train_more"].click()
    assert running.state["trainer"].history.loss[-1] < 0.3
    running.set(penalty="l1", lam=1.0)
    running.buttons["reset"].click()              # ... and so does a reset (which trains with L1, λ=1)
    assert running.state["trainer"].t == 1200


def test_train_more_button_continues_and_reset_starts_over(running):
    t0 = running.state["trainer"].t
    redraws = running.redraws
    running.buttons["train_more"].click()
    assert running.state["trainer"].t == t0 + STEPS
    assert running.redraws == redraws + 1
    running.set(penalty="l2", lam=0.1)
    running.buttons["reset"].click()
    tr = running.state["trainer"]
    assert tr.t == 1200 and tr.penalty == "l2" and tr.lam == 0.1
    assert running.state["marks"] == [(0, "L2, λ=0.1")]


def test_zero_edges_are_drawn_grey_and_dotted(running):
    running.set(penalty="l1", lam=0.03)
    w = reg.all_weights(running.state["trainer"].current)
    diagram_edges = [a for a in running.fig.axes[3].collections if isinstance(a, LineCollection)][0]
    colours = diagram_edges.get_colors()
    grey = matplotlib.colors.to_rgba("#b0b0b0")
    assert all(np.allclose(colours[i], grey) == (w[i] == 0) for i in range(w.size))


def test_the_histogram_counts_exact_zeros_apart(running):
    running.set(penalty="l1", lam=0.03)
    w = reg.all_weights(running.state["trainer"].current)
    ax = running.fig.axes[2]
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights[:-1].sum() == np.count_nonzero(w)       # the grey histogram: weights that are not 0
    assert heights[-1] == np.count_nonzero(w == 0) > 0     # the red bar: weights that are exactly 0


# 2. The U curve ------------------------------------------------------------------------
def test_sweep_every_control_redraws(sweep_ex):
    for name, value, before, after in drive_every_control(sweep_ex):
        pass
    sweep_ex.set(step=0)
    assert "λ has not acted yet" in sweep_ex.status.value
    a = explore.render(sweep_ex.fig)
    sweep_ex.set(step=SWEEP["steps"])
    assert not np.array_equal(a, explore.render(sweep_ex.fig))


def test_sweep_members_are_the_single_networks():
    """Member k of the population is exactly a single network trained with lams[k]."""
    lams = reg.strength_grid(4)
    tr = reg.sweep("l1", lams, steps=200)
    d = reg.noisy_moons()
    for k in (0, 2, 4):
        one = Trainer(network.init_params((2, 16, 1), seed=0), d.X, d.y, lr=0.5, penalty="l1", lam=lams[k],
                      X_val=d.X_val, y_val=d.y_val)
        one.step(201)
        np.testing.assert_allclose(tr.history.val_loss[:, k], one.history.val_loss[::25], rtol=1e-10)
        np.testing.assert_allclose(network.flatten(network.member(tr.params, k)),
                                   network.flatten(one.current), rtol=1e-10, atol=1e-13)


def test_u_curve_shape_and_best_strength(sweep_ex):
    sweep_ex.set(step=SWEEP["steps"], show="both")
    status = sweep_ex.status.value
    assert f"After {SWEEP['steps']} steps" in status and "best λ" in status
    for kind in ("l2", "l1"):
        run = reg._cached_sweep(kind, SWEEP["n_lams"], SWEEP["sizes"], SWEEP["lr"], SWEEP["steps"], SWEEP["seed"])
        val = run.history.val_loss[-1]
        lam, i = reg.best_strength(reg.strength_grid(SWEEP["n_lams"]), val)
        assert 0 < i < len(val) - 1, "the best λ should be inside the range: a U, not a slope"
        assert val[i] < val[0] - 0.2            # the penalty helps a lot on this noisy data
        assert val[-1] == pytest.approx(np.log(2), abs=0.01)  # too strong: a coin flip


def test_best_strength_skips_diverged_members():
    lams = np.array([0.0, 0.1, 1.0])
    assert reg.best_strength(lams, [np.nan, 0.5, 0.4]) == (1.0, 2)
    assert reg.best_strength(lams, [0.3, np.inf, 0.4]) == (0.0, 0)
    assert reg.best_strength(lams, [np.nan, np.nan, np.nan]) == (None, None)


# 3. The geometry -------------------------------------------------------------------------
def test_geometry_every_control_redraws(geometry):
    for name, value, before, after in drive_every_control(geometry):
        pass
    geometry.set(lam=0.0)
    assert "no penalty" in geometry.status.value
    geometry.set(lam=1.0)
    assert "w2 is exactly 0" in geometry.status.value


def test_ridge_is_where_the_penalised_gradient_vanishes():
    A, b, c = reg.two_weight_problem()
    for lam in (0.0, 0.1, 1.0, 5.0):
        w = reg.ridge(A, b, lam)
        np.testing.assert_allclose(A @ w - b + lam * w, 0, atol=1e-12)
    lams = np.array([0.0, 0.5, 2.0])
    np.testing.assert_allclose(reg.ridge(A, b, lams), [reg.ridge(A, b, l) for l in lams])


def test_ridge_minimises_on_a_fine_grid():
    A, b, c = reg.two_weight_problem()
    g = np.linspace(-0.5, 2.0, 501)
    W = np.stack(np.meshgrid(g, g), -1)
    lam = 0.7
    obj = reg.quadratic_loss(A, b, c, W) + lam / 2 * (W ** 2).sum(-1)
    best = W.reshape(-1, 2)[np.argmin(obj)]
    np.testing.assert_allclose(best, reg.ridge(A, b, lam), atol=0.006)


def test_quadratic_loss_is_half_mean_squared_error():
    rng = np.random.default_rng(3)
    cov = np.array([[1.0, 0.6], [0.6, 1.0]])
    X = rng.standard_normal((60, 2)) @ np.linalg.cholesky(cov).T
    y = X @ np.array([1.5, 0.4]) + 0.5 * rng.standard_normal(60)
    A, b, c = reg.two_weight_problem()
    for w in ([0.0, 0.0], [1.0, -0.3], [2.0, 1.0]):
        assert reg.quadratic_loss(A, b, c, np.array(w)) == pytest.approx(np.mean((X @ w - y) ** 2) / 2)


@pytest.mark.parametrize("lam", [0.0, 0.2, 0.6, 0.9, 1.5, 1.9, 2.5])
def test_lasso_satisfies_the_optimality_conditions(lam):
    """KKT: A w − b + λ s = 0 with s_j = sign(w_j) where w_j ≠ 0 and |s_j| ≤ 1 where w_j = 0."""
    A, b, c = reg.two_weight_problem()
    w = reg.lasso(A, b, lam)
    g = A @ w - b
    for j in range(2):
        if w[j] != 0:
            assert g[j] + lam * np.sign(w[j]) == pytest.approx(0, abs=1e-10)
        else:
            assert abs(g[j]) <= lam + 1e-10


def test_lasso_agrees_with_proximal_gradient_descent():
    A, b, c = reg.two_weight_problem()
    step = 1 / np.linalg.eigvalsh(A).max()
    for lam in (0.1, 0.9, 1.5):
        w = np.zeros(2)
        for _ in range(5000):                      # ISTA: a different algorithm to the same optimum
            w = regularization.soft_threshold(w - step * (A @ w - b), step * lam)
        np.testing.assert_allclose(reg.lasso(A, b, lam), w, atol=1e-9)


def test_lasso_agrees_with_scikit_learn():
    sklearn = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(3)
    cov = np.array([[1.0, 0.6], [0.6, 1.0]])
    X = rng.standard_normal((60, 2)) @ np.linalg.cholesky(cov).T
    y = X @ np.array([1.5, 0.4]) + 0.5 * rng.standard_normal(60)
    A, b, c = reg.two_weight_problem()
    for lam in (0.1, 0.9, 1.5):
        model = sklearn.Lasso(alpha=lam, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y)
        np.testing.assert_allclose(reg.lasso(A, b, lam), model.coef_, atol=1e-7)


def test_l1_reaches_an_axis_where_l2_does_not():
    A, b, c = reg.two_weight_problem()
    lams = np.linspace(0, 1.2 * np.abs(b).max(), 50)
    w1, w2 = reg.lasso(A, b, lams), reg.ridge(A, b, lams)
    assert (w1[1:] == 0).any()                      # some λ puts L1's solution on an axis
    assert not (w2[1:] == 0).any()                  # L2's never
    assert np.all(w1[lams >= np.abs(b).max()] == 0)  # from max|b| on, both weights are 0


def test_the_touching_contour_passes_through_the_solution():
    A, b, c = reg.two_weight_problem()
    w_min = np.linalg.solve(A, b)
    w = reg.lasso(A, b, 1.0)
    pts = reg.ellipse_through(A, w_min, w)
    levels = reg.quadratic_loss(A, b, c, pts)
    np.testing.assert_allclose(levels, reg.quadratic_loss(A, b, c, w), rtol=1e-10)



def test_divergence_is_reported_in_words_and_the_figure_still_draws():
    ex = reg.regularisation_explorer(lr=1e6)
    try:
        assert ex.state["trainer"].diverged
        assert "Training stopped: diverged at step" in ex.status.value
        for value in explore.positions(ex.controls["lam"]):
            ex.set(penalty="l2", lam=value)          # further changes neither raise nor hide the reason
            assert "diverged" in ex.status.value
        explore.render(ex.fig)
    finally:
        plt.close(ex.fig)


def test_strength_position_is_log10_with_zero_apart():
    np.testing.assert_allclose(reg.strength_position([1e-4, 1e-2, 1.0]), [-4, -2, 0])
    assert reg.strength_position(0.0) == -5.0
    x = reg.strength_position(reg.strength_grid(20))
    assert np.all(np.diff(x) > 0)                 # the order of λ is kept, 0 first
