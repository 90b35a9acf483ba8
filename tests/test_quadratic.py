"""The two-weight quadratic bowl: its loss is half the mean squared error, ridge is its closed-form
penalised minimum, lasso (coordinate descent) agrees with other solvers and lands on an axis."""
import numpy as np
import pytest

from weightlab import quadratic, regularization


def data(n=60, rho=0.6, w_true=(1.5, 0.4), noise=0.5, seed=3):
    """The data ``two_weight_problem`` is built from, drawn again here."""
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, rho], [rho, 1.0]])
    X = rng.standard_normal((n, 2)) @ np.linalg.cholesky(cov).T
    return X, X @ np.array(w_true) + noise * rng.standard_normal(n)


def test_the_bowl_is_built_from_the_data():
    X, y = data()
    A, b, c = quadratic.two_weight_problem()
    np.testing.assert_allclose(A, X.T @ X / len(y), rtol=1e-14)
    np.testing.assert_allclose(b, X.T @ y / len(y), rtol=1e-14)
    assert c == pytest.approx(y @ y / (2 * len(y)), rel=1e-14)


def test_ridge_is_the_closed_form_of_penalised_least_squares():
    """argmin 1/(2n)|Xw − y|² + λ/2 |w|²  =  (XᵀX + nλI)⁻¹ Xᵀy, from the data itself."""
    X, y = data()
    A, b, c = quadratic.two_weight_problem()
    n = len(y)
    for lam in (0.0, 0.3, 2.0):
        closed_form = np.linalg.solve(X.T @ X + n * lam * np.eye(2), X.T @ y)
        np.testing.assert_allclose(quadratic.ridge(A, b, lam), closed_form, rtol=1e-12)


def test_ridge_is_where_the_penalised_gradient_vanishes():
    A, b, c = quadratic.two_weight_problem()
    for lam in (0.0, 0.1, 1.0, 5.0):
        w = quadratic.ridge(A, b, lam)
        np.testing.assert_allclose(A @ w - b + lam * w, 0, atol=1e-12)
    lams = np.array([0.0, 0.5, 2.0])
    np.testing.assert_allclose(quadratic.ridge(A, b, lams), [quadratic.ridge(A, b, l) for l in lams])


def test_ridge_minimises_on_a_fine_grid():
    A, b, c = quadratic.two_weight_problem()
    g = np.linspace(-0.5, 2.0, 501)
    W = np.stack(np.meshgrid(g, g), -1)
    lam = 0.7
    obj = quadratic.quadratic_loss(A, b, c, W) + lam / 2 * (W ** 2).sum(-1)
    best = W.reshape(-1, 2)[np.argmin(obj)]
    np.testing.assert_allclose(best, quadratic.ridge(A, b, lam), atol=0.006)


def test_quadratic_loss_is_half_mean_squared_error():
    X, y = data()
    A, b, c = quadratic.two_weight_problem()
    for w in ([0.0, 0.0], [1.0, -0.3], [2.0, 1.0]):
        assert quadratic.quadratic_loss(A, b, c, np.array(w)) == pytest.approx(np.mean((X @ w - y) ** 2) / 2)


@pytest.mark.parametrize("lam", [0.0, 0.2, 0.6, 0.9, 1.5, 1.9, 2.5])
def test_lasso_satisfies_the_optimality_conditions(lam):
    """KKT: A w − b + λ s = 0 with s_j = sign(w_j) where w_j ≠ 0 and |s_j| ≤ 1 where w_j = 0."""
    A, b, c = quadratic.two_weight_problem()
    w = quadratic.lasso(A, b, lam)
    g = A @ w - b
    for j in range(2):
        if w[j] != 0:
            assert g[j] + lam * np.sign(w[j]) == pytest.approx(0, abs=1e-10)
        else:
            assert abs(g[j]) <= lam + 1e-10


def test_lasso_agrees_with_proximal_gradient_descent():
    A, b, c = quadratic.two_weight_problem()
    step = 1 / np.linalg.eigvalsh(A).max()
    for lam in (0.1, 0.9, 1.5):
        w = np.zeros(2)
        for _ in range(5000):                      # ISTA: a different algorithm to the same optimum
            w = regularization.soft_threshold(w - step * (A @ w - b), step * lam)
        np.testing.assert_allclose(quadratic.lasso(A, b, lam), w, atol=1e-9)


def test_lasso_agrees_with_scikit_learn():
    sklearn = pytest.importorskip("sklearn.linear_model", reason="scikit-learn is not installed (test extra)")
    X, y = data()
    A, b, c = quadratic.two_weight_problem()
    for lam in (0.1, 0.9, 1.5):
        model = sklearn.Lasso(alpha=lam, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y)
        np.testing.assert_allclose(quadratic.lasso(A, b, lam), model.coef_, atol=1e-7)


@pytest.mark.parametrize("lam", [0.2, 0.9, 1.5])
def test_lasso_minimises_on_a_fine_grid(lam):
    """Brute force: no point of a fine grid (which holds the axes) has a lower penalised loss."""
    A, b, c = quadratic.two_weight_problem()
    g = np.linspace(-0.5, 2.0, 1001)
    W = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    objective = quadratic.quadratic_loss(A, b, c, W) + lam * np.abs(W).sum(-1)
    w = quadratic.lasso(A, b, lam)
    best = objective.min()
    here = quadratic.quadratic_loss(A, b, c, w) + lam * np.abs(w).sum()
    assert here <= best + 1e-12
    np.testing.assert_allclose(W[np.argmin(objective)], w, atol=0.0026)


def test_lasso_is_zero_exactly_from_lasso_zero_from():
    A, b, c = quadratic.two_weight_problem()
    lam0 = quadratic.lasso_zero_from(b)
    assert np.all(quadratic.lasso(A, b, lam0) == 0)
    assert np.any(quadratic.lasso(A, b, 0.999 * lam0) != 0)


def test_l1_reaches_an_axis_where_l2_does_not():
    A, b, c = quadratic.two_weight_problem()
    lams = np.linspace(0, 1.2 * np.abs(b).max(), 50)
    w1, w2 = quadratic.lasso(A, b, lams), quadratic.ridge(A, b, lams)
    assert (w1[1:] == 0).any()                      # some λ puts L1's solution on an axis
    assert not (w2[1:] == 0).any()                  # L2's never
    assert np.all(w1[lams >= np.abs(b).max()] == 0)  # from max|b| on, both weights are 0


def test_the_touching_contour_passes_through_the_solution():
    A, b, c = quadratic.two_weight_problem()
    w_min = np.linalg.solve(A, b)
    w = quadratic.lasso(A, b, 1.0)
    pts = quadratic.ellipse_through(A, w_min, w)
    levels = quadratic.quadratic_loss(A, b, c, pts)
    np.testing.assert_allclose(levels, quadratic.quadratic_loss(A, b, c, w), rtol=1e-10)


def test_the_axes_are_the_curvatures_of_the_bowl():
    A, b, c = quadratic.two_weight_problem()
    vals, vecs = quadratic.axes(A)
    w_min = np.linalg.solve(A, b)
    for i in range(2):
        t = 0.37
        rise = quadratic.quadratic_loss(A, b, c, w_min + t * vecs[:, i]) - quadratic.quadratic_loss(A, b, c, w_min)
        assert rise == pytest.approx(vals[i] * t * t / 2, rel=1e-10)


def test_descent_on_the_bowl_shrinks_each_axis_by_one_minus_lr_lambda():
    A, b, _ = quadratic.two_weight_problem()
    vals, vecs = quadratic.axes(A)
    w_min = np.linalg.solve(A, b)
    lr = 0.7
    path = quadratic.descent_path(A, b, [2.0, -1.0], lr, 5)
    d = (path - w_min) @ vecs                         # coordinates along the axes
    for k in range(5):
        np.testing.assert_allclose(d[k + 1], (1 - lr * vals) * d[k], rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("factor,converges", [(0.99, True), (1.01, False)])
def test_the_edge_is_two_over_the_largest_curvature(factor, converges):
    A, b, _ = quadratic.two_weight_problem()
    lr = factor * 2 / quadratic.axes(A)[0][-1]
    path = quadratic.descent_path(A, b, [2.0, -1.0], lr, 3000)
    far = np.linalg.norm(path[-1] - np.linalg.solve(A, b))
    assert (far < 1e-3) == converges


def test_momentum_on_the_bowl_is_the_heavy_ball_recursion():
    A, b, _ = quadratic.two_weight_problem()
    path = quadratic.descent_path(A, b, [1.0, 1.0], 0.1, 3, momentum=0.9)
    w, v = np.array([1.0, 1.0]), np.zeros(2)
    for k in range(3):
        v = 0.9 * v + (A @ w - b)
        w = w - 0.1 * v
        np.testing.assert_allclose(path[k + 1], w, rtol=1e-15)
