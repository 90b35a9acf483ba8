"""The experiments of notebook 06 against independent computations: per-example gradients against
central differences, the spread of batch gradients against an exhaustive enumeration and against
sampling with replacement, population runs against single Trainers, the heavy-ball factors
against the companion matrix and against the walk itself."""
import itertools

import numpy as np
import pytest

from weightlab import experiments, losses, network, problems, quadratic
from weightlab.training import Trainer


@pytest.fixture(scope="module")
def problem():
    return problems.descent_problem()


@pytest.fixture(scope="module")
def noise(problem):
    params, X, y, loss = problem
    return experiments.GradientNoise(params, X, y, loss)


def example_loss(theta, x, target):
    z, _ = network.forward(network.unflatten(theta), x[None])
    return float((z[0, 0] - target) ** 2)


@pytest.mark.parametrize("n", [0, 17, 99])
def test_per_example_gradients_are_central_differences_of_each_examples_loss(problem, n):
    params, X, y, loss = problem
    G = experiments.per_example_grads(params, X, y, loss)
    theta, eps = network.flatten(params), 1e-6
    numeric = [(example_loss(theta + eps * e, X[n], y[n]) - example_loss(theta - eps * e, X[n], y[n])) / (2 * eps)
               for e in np.eye(len(theta))]
    np.testing.assert_allclose(G[n], numeric, rtol=1e-6, atol=1e-9)


def test_the_mean_of_per_example_gradients_is_the_full_gradient(problem):
    params, X, y, loss = problem
    G = experiments.per_example_grads(params, X, y, loss)
    z, cache = network.forward(params, X)
    full = network.flatten(network.backward(params, cache, losses.mse_grad(z, y)))
    assert G.shape == (100, 13)
    np.testing.assert_allclose(G.mean(axis=0), full, rtol=1e-12, atol=1e-15)


def test_a_batch_gradient_is_the_mean_of_its_rows(problem, noise):
    params, X, y, loss = problem
    idx = np.array([3, 50, 7, 81, 22])
    z, cache = network.forward(params, X[idx])
    batch = network.flatten(network.backward(params, cache, losses.mse_grad(z, y[idx])))
    np.testing.assert_allclose(noise.G[idx].mean(axis=0), batch, rtol=1e-12, atol=1e-15)


def test_sigma_is_the_rms_distance_of_one_example_and_the_law_at_the_ends(noise):
    d = np.linalg.norm(noise.G - noise.g, axis=1)
    assert noise.sigma == pytest.approx(np.sqrt(np.mean(d ** 2)), rel=1e-12)
    assert noise.law([1])[0] == pytest.approx(noise.sigma) == noise.law([1], corrected=False)[0]
    assert noise.law([noise.n])[0] == 0.0
    assert noise.full_norm == pytest.approx(np.linalg.norm(noise.G.mean(axis=0)))


@pytest.mark.parametrize("B", [2, 98])
def test_the_corrected_law_is_exact_over_every_batch(noise, B):
    """All C(100, B) batches of B different examples, enumerated (B = 98 through the complements)."""
    G, g = noise.G, noise.g
    pairs = np.array(list(itertools.combinations(range(noise.n), 2)))
    if B == 2:
        means = G[pairs].mean(axis=1)
    else:                                   # the mean of 98 rows = (N g - the two left out) / 98
        means = (noise.n * g - G[pairs].sum(axis=1)) / B
    exact = np.sqrt(np.mean(np.sum((means - g) ** 2, axis=1)))
    assert exact == pytest.approx(noise.law([B])[0], rel=1e-10)


def test_with_replacement_the_spread_is_sigma_over_root_b(noise):
    rng = np.random.default_rng(5)
    for B in (4, 50, 100):
        idx = rng.integers(0, noise.n, size=(20000, B))           # the same example may come twice
        d = noise.G[idx].mean(axis=1) - noise.g
        rms = np.sqrt(np.mean(np.sum(d * d, axis=1)))
        assert rms == pytest.approx(noise.sigma / np.sqrt(B), rel=0.03)


def test_measured_spread_uses_batches_of_different_examples_and_is_seeded(noise):
    a = experiments.measured_spread(noise.G, 10, batches=500, seed=3)
    assert a == experiments.measured_spread(noise.G, 10, batches=500, seed=3)
    assert experiments.measured_spread(noise.G, noise.n, batches=50) == pytest.approx(0.0, abs=1e-14)
    assert a == pytest.approx(noise.law([10])[0], rel=0.1)
    with pytest.raises(ValueError, match="batch_size"):
        experiments.measured_spread(noise.G, 0)
    with pytest.raises(ValueError, match="batch_size"):
        experiments.measured_spread(noise.G, noise.n + 1)


def test_spread_law_without_n_is_the_plain_law():
    np.testing.assert_allclose(experiments.spread_law(2.0, [1, 4, 16]), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(experiments.spread_law(2.0, [1, 10], n=10), [2.0, 0.0])


@pytest.mark.parametrize("B", [None, 1, 7, 30, 100])
def test_each_member_of_a_population_run_is_its_single_trainer(problem, B):
    params, X, y, loss = problem
    lrs, betas = np.array([0.05, 0.2, 0.2]), np.array([0.0, 0.0, 0.8])
    steps = experiments.steps_for(2, len(X), B)
    runs = experiments.population_runs(params, X, y, steps, lrs, betas, batch_size=B, loss=loss, seed=4)
    assert runs.params.shape == (steps + 1, 3, 13)
    for k in range(3):
        t = Trainer(params, X, y, lr=lrs[k], momentum=betas[k], loss=loss, seed=4,
                    batch_size=None if B in (None, len(X)) else B)
        t.step(steps)
        np.testing.assert_array_equal(runs.params[-1, k], network.flatten(t.current))
        rows = len(t.history.params)            # a network alone stops when it diverges
        assert rows == (steps if runs.diverged_step[k] < 0 else runs.end(k))
        np.testing.assert_array_equal(runs.params[:rows, k], t.history.params)
        np.testing.assert_allclose(runs.epochs[:rows], t.history.epochs)
    assert runs.epochs[-1] == pytest.approx(2.0)
    np.testing.assert_array_equal(runs.steps, np.arange(steps + 1))


def test_full_loss_is_the_loss_on_all_examples_at_each_row(problem):
    params, X, y, loss = problem
    runs = experiments.population_runs(params, X, y, 30, [0.1, 0.3], batch_size=10, loss=loss)
    for k in (0, 1):
        want = [losses.mse(network.forward(network.unflatten(theta), X)[0], y) for theta in runs.params[:, k]]
        np.testing.assert_allclose(runs.full_loss(k), want, rtol=1e-12)
    np.testing.assert_array_equal(runs.weights(1, ["W2[1,0]", "b2[0]"]), runs.params[:, 1][:, [10, 12]])


def test_a_diverged_member_ends_at_its_step_and_the_others_go_on(problem):
    params, X, y, loss = problem
    runs = experiments.population_runs(params, X, y, 40, [0.1, 50.0], loss=loss)
    d = runs.diverged_step[1]
    assert runs.diverged_step[0] == -1 and d >= 0 and "diverged" in runs.reasons[1]
    assert runs.end(0) == 41 and runs.end(1) == d + 1
    assert len(runs.full_loss(1)) == d + 1 and runs.full_loss(1)[-1] > 100 * runs.full_loss(1)[0]


def test_steps_for():
    assert experiments.steps_for(20, 100) == 20
    assert experiments.steps_for(20, 100, 100) == 20
    assert experiments.steps_for(20, 100, 30) == 80
    assert experiments.steps_for(3, 100, 1) == 300


# ---- the bowl and heavy-ball momentum -----------------------------------------------------------------
def test_the_bowl_of_notebook_06():
    A, b, c, w0 = problems.bowl_problem()
    lams, _ = quadratic.axes(A)
    np.testing.assert_allclose(lams, [0.1213, 2.1658], atol=1e-4)
    np.testing.assert_array_equal(w0, [-1.5, 1.5])
    w0[0] = 99.0
    assert problems.bowl_problem()[3][0] == -1.5          # a fresh copy every call


def companion_radius(lam, lr, beta):
    """The spectral radius of the 2x2 matrix that maps (e_t, e_{t-1}) to (e_{t+1}, e_t)."""
    M = np.array([[1 + beta - lr * lam, -beta], [1.0, 0.0]])
    return np.max(np.abs(np.linalg.eigvals(M)))


@pytest.mark.parametrize("lam", [0.1, 1.0, 2.2])
@pytest.mark.parametrize("lr", [0.05, 0.5, 0.9, 1.3, 2.0])
@pytest.mark.parametrize("beta", [0.0, 0.3, 0.5, 0.9, 0.99])
def test_momentum_rates_are_the_companion_matrix_radius(lam, lr, beta):
    assert quadratic.momentum_rates([lam], lr, beta)[0] == pytest.approx(companion_radius(lam, lr, beta), rel=1e-6)


@pytest.mark.parametrize("lr, beta", [(0.85, 0.0), (0.85, 0.5), (0.3, 0.2), (1.2, 0.5), (0.85, 0.9)])
def test_the_walk_shrinks_by_the_predicted_factor(lr, beta):
    """Measured on the walk itself: the slope of log(distance to the minimum) against the step."""
    A, b, c, w0 = problems.bowl_problem()
    lams, _ = quadratic.axes(A)
    rate = quadratic.momentum_rates(lams, lr, beta).max()
    T = min(400, int(np.log(1e-9) / np.log(rate)))        # stay well above rounding: r^T >= 1e-9
    path = quadratic.descent_path(A, b, w0, lr, T, beta)
    d = np.linalg.norm(path - np.linalg.solve(A, b), axis=1)
    t = np.arange(5, T + 1)
    measured = np.exp(np.polyfit(t, np.log(d[5:]), 1)[0])   # the slope of log(distance) against steps
    assert measured == pytest.approx(rate, rel=0.03)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_the_edge_with_momentum_is_two_times_one_plus_beta_over_lambda_max(beta):
    A, b, c, w0 = problems.bowl_problem()
    lams, _ = quadratic.axes(A)
    edge = quadratic.momentum_edge(lams[-1], beta)
    assert edge == pytest.approx(2 * (1 + beta) / lams[-1])
    for factor, stable in ((0.99, True), (1.01, False)):
        path = quadratic.descent_path(A, b, w0, factor * edge, 3000, beta)
        with np.errstate(over="ignore", invalid="ignore"):
            end = np.linalg.norm(path[-1] - np.linalg.solve(A, b))
        assert (end < 1e-3) == stable, (factor, end)
