"""Curvature: the Hessian against a closed form, its fast twin for many points against it, and the
sharpness along a run against one Hessian at a time."""
import numpy as np
import pytest

from weightlab import curvature, datasets, experiments, network, problems

XOR = datasets.make("xor", n=40, noise=0.1, seed=2)


def test_hessian_of_a_linear_model_is_the_closed_form():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    params = {"W1": np.array([[0.3], [-0.2]]), "b1": np.array([0.1])}
    A = np.hstack([X, np.ones((30, 1))])
    H = 2 / 30 * A.T @ A                 # Hessian of mean((Xw + b - y)^2), order W1[0,0], W1[1,0], b1[0]
    np.testing.assert_allclose(curvature.hessian(params, X, y, "identity", "mse"), H, rtol=1e-7, atol=1e-9)
    many = curvature.hessians(np.array([[0.3, -0.2, 0.1], [5.0, 1.0, -3.0]]), X, y, (2, 1), "identity", "mse")
    np.testing.assert_allclose(many, [H, H], rtol=1e-7, atol=1e-9)      # a quadratic: the same everywhere


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_hessians_of_many_points_match_the_readable_hessian(loss, activation):
    X, y = XOR
    thetas = np.stack([network.flatten(network.init_params(seed=s, scale=1.5)) for s in range(4)])
    many = curvature.hessians(thetas, X, y, activation=activation, loss=loss)
    assert many.shape == (4, 13, 13)
    for theta, H in zip(thetas, many):
        one = curvature.hessian(network.unflatten(theta), X, y, activation, loss)
        np.testing.assert_allclose(H, one, rtol=1e-6, atol=1e-8)
        np.testing.assert_array_equal(H, H.T)


def test_hessians_of_a_wider_net():
    X, y = XOR
    sizes = (2, 5, 1)
    theta = network.flatten(network.init_params(sizes, seed=3))
    H = curvature.hessians(theta[None], X, y, sizes, loss="bce")[0]
    np.testing.assert_allclose(H, curvature.hessian(network.unflatten(theta, sizes), X, y), rtol=1e-6, atol=1e-8)


def test_sharpness_along_a_run_is_the_top_eigenvalue_at_each_step():
    params, X, y, loss = problems.descent_problem()
    run = experiments.Trajectory(params, X, y, 0.5, 30, loss)
    along = curvature.sharpness_along(run.params, X, y, loss=loss)
    assert along.shape == (31,)
    for t in (0, 7, 30):
        assert along[t] == pytest.approx(curvature.sharpness(network.unflatten(run.params[t]), X, y, loss=loss),
                                         rel=1e-7)
    assert along[0] == pytest.approx(2 / curvature.edge_of_stability(params, X, y, loss=loss), rel=1e-7)


def test_sharpness_along_says_nan_where_the_weights_are_not_finite():
    params, X, y, loss = problems.descent_problem()
    theta = network.flatten(params)
    rows = np.stack([theta, np.full(13, np.nan), np.full(13, 1e200), theta])
    with np.errstate(all="raise"):
        along = curvature.sharpness_along(rows, X, y, loss=loss)
    assert np.isfinite(along[[0, 3]]).all() and np.isnan(along[1]) and along[0] == along[3]
    huge_is_finite = np.isfinite(curvature.hessians(rows[2:3], X, y, loss=loss)).all()
    assert np.isfinite(along[2]) == huge_is_finite


def test_hessians_refuse_vectors_of_the_wrong_length():
    X, y = XOR
    with pytest.raises(ValueError, match=r"thetas has shape \(2, 12\).*\(T, 13\)"):
        curvature.hessians(np.zeros((2, 12)), X, y)


def test_edge_report_reads_a_sharpness_curve():
    s = np.array([2.0, 2.5, 3.2, 4.1, 3.9, 4.0, 4.05, np.nan, 9.0])
    r = curvature.edge_report(s, 0.5, tail=3)
    assert r.limit == 4.0 and r.start == 2.0 and r.peak == 4.1 and r.peak_step == 3
    assert r.first_above == 3                                       # 4.1 >= 2/0.5; stops at the NaN
    assert r.tail_mean == pytest.approx((3.9 + 4.0 + 4.05) / 3)
    below = curvature.edge_report(s[:3], 0.1)
    assert below.first_above == -1 and below.tail_mean == pytest.approx(np.mean(s[:3]))
    empty = curvature.edge_report([np.nan], 0.3)
    assert empty.first_above == -1 and np.isnan(empty.peak)
    with pytest.raises(ValueError, match="lr=0"):
        curvature.edge_report(s, 0)
