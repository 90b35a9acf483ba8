"""The Trainer's fast inner loop (bias folded into the weights, samples along the last axis,
chunks of networks) against central differences, against the readable network.backward,
and member by member across chunk boundaries."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from strategies import ACTIVATION_NAMES, LOSS_NAMES, assert_close, central_difference, problems
from test_gradcheck import _avoid_kinks, ref_objective
from weightlab import engine, gradcheck, losses, network


def engine_value_and_grad(params, X, y, activation, loss):
    sizes = network.sizes_of(params)
    e = engine.Engine(sizes, activation, loss)
    theta = network.flatten(params)[None]
    value = e.loss_and_grad(theta, X, y)
    return float(value[0]), network.unflatten(e.grad[0], sizes)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_engine_gradient_matches_central_differences(activation, loss):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(problems(loss=loss))
    def check(problem):
        sizes, params, X, y, _ = problem
        _avoid_kinks(params, activation, "none", X)
        value, grads = engine_value_and_grad(params, X, y, activation, loss)
        ref = ref_objective(params, X, y, activation, loss, "none", 0.0)
        assert abs(value - ref) <= 1e-12 * max(1.0, abs(ref))
        numeric = central_difference(
            lambda p: ref_objective(p, X, y, activation, loss, "none", 0.0), network.copy(params))
        for k in params:
            assert_close(grads[k], numeric[k], what=f"{activation}/{loss} {k} sizes={sizes}")
        # and the readable backprop gives the same numbers, up to rounding
        _, by_hand = gradcheck.objective_and_grad(params, X, y, activation, loss)
        for k in params:
            np.testing.assert_allclose(grads[k], by_hand[k], rtol=1e-10, atol=1e-13)

    check()


@pytest.mark.parametrize("P", [1, engine.CHUNK, 2 * engine.CHUNK + 7])
def test_every_network_gets_the_same_numbers_in_any_chunk(P):
    """Member k of a population, in whichever chunk it falls, equals that network alone, bit for bit."""
    sizes = (2, 5, 3, 1)
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(37, 2)), (rng.random(37) > 0.5).astype(float)
    pop = network.init_params(sizes, init="normal", seed=list(range(P)), population=P)
    theta = np.stack([network.flatten(network.member(pop, k)) for k in range(P)])
    e = engine.Engine(sizes, "tanh", "bce")
    flat = np.empty((P, 8))
    loss = e.loss_and_grad(theta, X, y, 0.05, flat)
    for k in sorted({0, P // 2, P - 1}):
        one = engine.Engine(sizes, "tanh", "bce")
        flat1 = np.empty((1, 8))
        assert np.array_equal(one.loss_and_grad(theta[k:k + 1].copy(), X, y, 0.05, flat1), loss[k:k + 1])
        assert np.array_equal(one.grad[0], e.grad[k])
        assert np.array_equal(flat1[0], flat[k])


def test_low_slope_counts_are_counted_by_hand():
    params = network.init_params((2, 4, 1), init="normal", scale=3.0, seed=1)
    X = np.random.default_rng(2).normal(size=(50, 2))
    y = np.zeros(50)
    e = engine.Engine((2, 4, 1), "tanh", "mse")
    flat = np.empty((1, 4))
    e.loss_and_grad(network.flatten(params)[None], X, y, 0.05, flat)
    a = np.tanh(X @ params["W1"] + params["b1"])
    assert np.array_equal(flat[0], (1 - a * a < 0.05).sum(axis=0))


def test_activation_may_change_between_passes():
    params = network.init_params(seed=3)
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = (X[:, 0] > 0).astype(float)
    e = engine.Engine((2, 3, 1), "tanh", "bce")
    theta = network.flatten(params)[None]
    e.loss_and_grad(theta, X, y)
    e.activation = "relu"
    value = e.loss_and_grad(theta, X, y)
    ref, grads = gradcheck.objective_and_grad(params, X, y, "relu", "bce")
    assert value[0] == pytest.approx(ref, rel=1e-13)
    np.testing.assert_allclose(e.grad[0], network.flatten(grads), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="activation='swish' is not known"):
        e.activation = "swish"


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_prepared_loss_is_the_readable_one_bit_for_bit(name):
    rng = np.random.default_rng(5)
    y = (rng.random(40) > 0.5).astype(float)
    z = rng.normal(size=(3, 40)) * np.array([[1.0], [10.0], [300.0]])
    value, grad = engine.prepare_loss(name, y)(z[:, None, :])      # samples along the last axis
    f, g = losses.get(name)
    assert np.array_equal(value, f(z[..., None], y))
    assert np.array_equal(grad[:, 0, :], g(z[..., None], y)[..., 0])


def test_cross_entropy_keeps_every_digit_where_sigmoid_is_close_to_the_label():
    z = np.array([[[30.0, -30.0, 1000.0, -1000.0, 745.0]]])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    value, grad = engine.prepare_loss("bce", y)(z)
    tail = np.exp(-30.0) / (1.0 + np.exp(-30.0))       # 1 - sigmoid(30) = sigmoid(-30)
    want = np.array([-tail, tail, 0.0, 0.0, 1.0]) / 5
    np.testing.assert_allclose(grad[0, 0], want, rtol=1e-14, atol=0)
    np.testing.assert_allclose(losses.bce_grad(z[0].T, y)[:, 0], want, rtol=1e-14, atol=0)
    assert value[0] == pytest.approx((2 * np.log1p(np.exp(-30.0)) + 745.0) / 5, rel=1e-15)
    assert np.all(np.isfinite(grad)) and np.isfinite(value[0])


def test_prepared_loss_checks_its_targets():
    with pytest.raises(ValueError, match="needs labels 0 or 1"):
        engine.prepare_loss("bce", [0.0, 0.5])


def _theta(params):
    sizes = network.sizes_of(params)
    lead = params["W1"].shape[:-2]
    flat = np.concatenate([params[k].reshape(lead + (-1,)) for k in network.param_names(sizes)], axis=-1)
    return np.ascontiguousarray(flat.reshape(-1, network.n_parameters(sizes)))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss", LOSS_NAMES)
@pytest.mark.parametrize("P", [None, 1])
def test_for_the_2_3_1_net_the_engine_computes_the_readable_forward_pass_and_loss_bit_for_bit(activation, loss, P):
    rng = np.random.default_rng(11)
    X = rng.normal(size=(29, 2))
    y = (rng.random(29) > 0.5).astype(float) if loss == "bce" else rng.normal(size=29)
    params = network.init_params((2, 3, 1), init="normal", seed=2, population=P)
    e = engine.Engine((2, 3, 1), activation, loss)
    value = e.loss_and_grad(_theta(params), X, y)
    z, _ = network.forward(params, X, activation)
    assert np.array_equal(value, np.reshape(losses.get(loss)[0](z, y), -1))


@pytest.mark.parametrize("sizes", [(2, 3, 1), (2, 4, 3, 1), (2, 16, 16, 1), (1, 8, 1)])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_the_engine_gradient_is_the_readable_backprop_to_rounding(sizes, activation, loss):
    """The engine's matrix products fold the bias into the weights, so their sums over samples and
    units add the same terms in another order: they agree to a few units in the last place."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(29, sizes[0]))
    y = (rng.random(29) > 0.5).astype(float) if loss == "bce" else rng.normal(size=29)
    params = network.init_params(sizes, init="normal", seed=2, population=3)
    e = engine.Engine(sizes, activation, loss)
    value = e.loss_and_grad(_theta(params), X, y)
    z, cache = network.forward(params, X, activation)
    f, g = losses.get(loss)
    ulp = np.finfo(float).eps
    np.testing.assert_allclose(value, f(z, y), rtol=16 * ulp, atol=0)
    ref = _theta(network.backward(params, cache, g(z, y)))
    assert np.max(np.abs(e.grad - ref)) <= 64 * ulp * np.max(np.abs(ref))
