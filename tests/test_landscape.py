"""The loss landscape: curves and grids over chosen weights against one-network-at-a-time
evaluations written out in plain numpy, gradients against central differences, paths
against the recorded history."""
import numpy as np
import pytest

from weightlab import datasets, landscape, network, problems, training


def plain_loss(params, X, y, loss):
    """The mean loss of ONE network, written out independently of the package."""
    h = np.tanh(X @ params["W1"] + params["b1"])
    z = (h @ params["W2"] + params["b2"])[:, 0]
    if loss == "bce":
        return np.mean(np.logaddexp(0.0, z) - y * z)
    if loss == "mse":
        return np.mean((z - y) ** 2)
    p = 1.0 / (1.0 + np.exp(-z))
    return np.mean((p - y) ** 2)


def with_value(params, name, value):
    """A copy of one network with the weight ``name`` set to ``value`` (by parsing the name)."""
    out = network.copy(params)
    key, idx = name.split("[")
    idx = tuple(int(i) for i in idx.rstrip("]").split(","))
    out[key][idx] = value
    return out


@pytest.fixture(scope="module")
def problem():
    return problems.reference_problem()


def test_reference_problem_is_fixed_and_copied(problem):
    params, X, y = problem
    again, X2, y2 = problems.reference_problem()
    for k in params:
        np.testing.assert_array_equal(params[k], again[k])
    again["W1"][0, 0] = 99.0
    assert problems.reference_problem()[0]["W1"][0, 0] != 99.0
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (100, 2) and set(np.unique(y)) == {0.0, 1.0}
    # trained for a while: clearly better than chance, not finished
    assert plain_loss(params, X, y, "bce") < 0.4


def test_reference_problem_rejects_unknown_settings():
    with pytest.raises(ValueError, match="unknown setting"):
        problems.reference_problem(epochs=3)


def test_index_and_value_of_follow_flat_names(problem):
    params, _, _ = problem
    assert landscape.index_of("W1[0,0]") == 0
    assert landscape.index_of("b2[0]") == 12
    assert landscape.value_of(params, "W1[1,2]") == params["W1"][1, 2]
    assert landscape.value_of(params, "b1[1]") == params["b1"][1]
    assert landscape.value_of(params, "W2[2,0]") == params["W2"][2, 0]
    with pytest.raises(ValueError, match="W3"):
        landscape.index_of("W3[0,0]")


def test_population_members_differ_only_in_the_chosen_weights(problem):
    params, _, _ = problem
    pop = landscape.population_with(params, ["W1[0,1]", "b2[0]"], [[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]])
    assert network.population_size(pop) == 3
    for k in range(3):
        expected = with_value(with_value(params, "W1[0,1]", k + 1.0), "b2[0]", k - 1.0)
        member = network.member(pop, k)
        for name in params:
            np.testing.assert_array_equal(member[name], expected[name])


def test_population_with_rejects_ragged_values(problem):
    params, _, _ = problem
    with pytest.raises(ValueError, match="one array per name"):
        landscape.population_with(params, ["W1[0,1]", "b2[0]"], [[1.0, 2.0], [0.0]])


@pytest.mark.parametrize("loss", ["bce", "mse", "mse_prob"])
@pytest.mark.parametrize("name", ["W1[0,1]", "b1[2]", "W2[1,0]", "b2[0]"])
def test_loss_along_matches_one_network_at_a_time(problem, name, loss):
    params, X, y = problem
    values = np.linspace(-4, 4, 9)
    curve = landscape.loss_along(params, X, y, name, values, loss=loss)
    loop = [plain_loss(with_value(params, name, v), X, y, loss) for v in values]
    np.testing.assert_allclose(curve, loop, rtol=1e-12, atol=1e-14)


def test_loss_along_passes_through_the_network_itself(problem):
    params, X, y = problem
    v = landscape.value_of(params, "W2[0,0]")
    curve = landscape.loss_along(params, X, y, "W2[0,0]", [v], loss="bce")
    assert curve[0] == pytest.approx(plain_loss(params, X, y, "bce"), rel=1e-13)


def test_loss_grid_rows_are_y_and_columns_are_x(problem):
    params, X, y = problem
    xs, ys = np.linspace(-2, 2, 5), np.linspace(0, 3, 4)
    Z = landscape.loss_grid(params, X, y, ["W1[0,0]", "W2[2,0]"], xs, ys)
    assert Z.shape == (4, 5)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            one = with_value(with_value(params, "W1[0,0]", xv), "W2[2,0]", yv)
            assert Z[i, j] == pytest.approx(plain_loss(one, X, y, "bce"), rel=1e-12)


def test_loss_grid_with_several_losses_gives_the_same_grids(problem):
    params, X, y = problem
    xs, ys = np.linspace(-1, 1, 3), np.linspace(-1, 1, 4)
    names = ["b1[0]", "b2[0]"]
    both = landscape.loss_grid(params, X, y, names, xs, ys, loss=("bce", "mse_prob"))
    np.testing.assert_array_equal(both[0], landscape.loss_grid(params, X, y, names, xs, ys, loss="bce"))
    np.testing.assert_array_equal(both[1], landscape.loss_grid(params, X, y, names, xs, ys, loss="mse_prob"))


@pytest.mark.parametrize("loss", ["bce", "mse", "mse_prob"])
def test_grad_grid_matches_central_differences(problem, loss):
    params, X, y = problem
    names = ["W1[1,1]", "W2[0,0]"]
    xs, ys = np.linspace(-1, 2, 3), np.linspace(-2, 1, 3)
    gx, gy = landscape.grad_grid(params, X, y, names, xs, ys, loss=loss)
    eps = 1e-6
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            def L(a, b):
                return plain_loss(with_value(with_value(params, names[0], a), names[1], b), X, y, loss)
            assert gx[i, j] == pytest.approx((L(xv + eps, yv) - L(xv - eps, yv)) / (2 * eps), rel=1e-6, abs=1e-9)
            assert gy[i, j] == pytest.approx((L(xv, yv + eps) - L(xv, yv - eps)) / (2 * eps), rel=1e-6, abs=1e-9)


def test_unknown_loss_is_a_value_error(problem):
    params, X, y = problem
    with pytest.raises(ValueError, match="loss='hinge'"):
        landscape.loss_along(params, X, y, "b2[0]", [0.0], loss="hinge")


def test_path_is_the_recorded_weights():
    X, y = datasets.make("xor", n=40, seed=1)
    p0 = network.init_params(seed=2)
    t = training.Trainer(p0, X, y, lr=0.3)
    t.step(5)
    path = landscape.path(t.history, ["W2[1,0]", "b1[0]"])
    assert path.shape == (5, 2)
    assert path[0, 0] == p0["W2"][1, 0] and path[0, 1] == p0["b1"][0]
    # the next recorded value is one gradient step away
    _, grads = landscape.loss_and_grad(p0, X, y)
    assert path[1, 0] == pytest.approx(p0["W2"][1, 0] - 0.3 * grads["W2"][1, 0], rel=1e-12)


def test_path_needs_recorded_params_of_one_network():
    X, y = datasets.make("xor", n=20, seed=1)
    _, h = training.train(network.init_params(), X, y, steps=2, record_params=False)
    with pytest.raises(ValueError, match="record_params"):
        landscape.path(h, ["b2[0]"])
    _, h = training.train(network.init_params(population=2), X, y, steps=2)
    with pytest.raises(ValueError, match="population"):
        landscape.path(h, ["b2[0]"])
    _, h = training.train(network.init_params(), X, y, steps=2)
    with pytest.raises(ValueError, match="not known"):
        landscape.path(h, ["W9[0,0]"])


def test_span_is_centred_on_the_current_value(problem):
    params, _, _ = problem
    s = landscape.span(params, "b1[1]", half_width=2.0, n=5)
    assert s[2] == pytest.approx(params["b1"][1])
    assert s[-1] - s[0] == pytest.approx(4.0)


def test_squared_error_of_probability_stays_bounded_while_cross_entropy_grows(problem):
    # along an output weight, far from the minimum: cross-entropy keeps growing, the squared error of p flattens
    params, X, y = problem
    v = landscape.value_of(params, "W2[0,0]")
    far = np.array([v + 20, v + 40])
    bce = landscape.loss_along(params, X, y, "W2[0,0]", far, loss="bce")
    sq = landscape.loss_along(params, X, y, "W2[0,0]", far, loss="mse_prob")
    assert bce[1] > bce[0] + 1.0
    assert abs(sq[1] - sq[0]) < 0.05 and sq.max() <= 1.0
