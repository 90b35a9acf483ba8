"""Backpropagation against central differences of an independently written objective,
for every activation x loss x penalty, and the gradient-check module itself."""
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from strategies import (ACTIVATION_NAMES, KINKED, LOSS_NAMES, PENALTY_NAMES, assert_close,
                        central_difference, pre_activations, problems)
from weightlab import activations, gradcheck, network

# Independent formulas (not the package's code) for the objective.
REF_ACT = {
    "relu": lambda z: z * (z > 0),
    "leaky_relu": lambda z: z * np.where(z > 0, 1.0, 0.01),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": lambda z: (np.exp(2 * z) - 1) / (np.exp(2 * z) + 1),
    "identity": lambda z: z,
}


def ref_objective(params, X, y, activation, loss, penalty, lam):
    """mean loss + penalty, written out with plain numpy for nets of any depth."""
    f = REF_ACT[activation]
    L = len(params) // 2
    a = X
    for layer in range(1, L + 1):
        z = a @ params[f"W{layer}"] + params[f"b{layer}"]
        a = f(z) if layer < L else z
    z = z[:, 0]
    if loss == "mse":
        data = np.mean((z - y) ** 2)
    else:  # -[y log s + (1-y) log(1-s)] with s = sigmoid(z), i.e. log(1 + e^z) - y z
        data = np.mean(np.logaddexp(0.0, z) - y * z)
    Ws = [params[f"W{layer}"] for layer in range(1, L + 1)]
    if penalty == "l2":
        return data + lam / 2 * sum((W ** 2).sum() for W in Ws)
    if penalty == "l1":
        return data + lam * sum(np.abs(W).sum() for W in Ws)
    return data


def _avoid_kinks(params, activation, penalty, X, margin=2e-2):
    """Skip examples where a 2h-step of the stencil could cross a kink of ReLU or of |W|."""
    if activation in KINKED:
        zs = pre_activations(params, X, REF_ACT[activation])
        assume(all(np.min(np.abs(z)) > margin for z in zs))
    if penalty == "l1":
        assume(all(np.min(np.abs(v)) > margin for k, v in params.items() if k[0] == "W"))


COMBOS = [(a, lo, pe) for a in ACTIVATION_NAMES for lo in LOSS_NAMES for pe in PENALTY_NAMES]


@pytest.mark.parametrize("activation,loss,penalty", COMBOS)
def test_backprop_matches_central_differences(activation, loss, penalty):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(problems(loss=loss))
    def check(problem):
        sizes, params, X, y, lam = problem
        _avoid_kinks(params, activation, penalty, X)
        value, grads = gradcheck.objective_and_grad(params, X, y, activation, loss, penalty, lam)
        ref = ref_objective(params, X, y, activation, loss, penalty, lam)
        assert abs(float(value) - ref) <= 1e-12 * max(1.0, abs(ref))
        numeric = central_difference(
            lambda p: ref_objective(p, X, y, activation, loss, penalty, lam), network.copy(params))
        for k in params:
            assert grads[k].shape == params[k].shape
            assert_close(grads[k], numeric[k], what=f"{activation}/{loss}/{penalty} {k} sizes={sizes}")

    check()


def test_bce_logits_at_plus_minus_1000_are_finite_with_right_gradient():
    params = {"W1": np.zeros((2, 1)), "b1": np.array([0.0])}
    X = np.zeros((4, 2))
    y = np.array([0.0, 1.0, 0.0, 1.0])
    from weightlab import losses
    z = np.array([[1000.0], [1000.0], [-1000.0], [-1000.0]])
    # softplus(1000) - 0 = 1000, softplus(1000) - 1000 = 0, softplus(-1000) = 0, softplus(-1000) + 1000 = 1000
    assert losses.bce(z, y) == pytest.approx((1000 + 0 + 0 + 1000) / 4, rel=0, abs=1e-12)
    assert np.array_equal(losses.bce_grad(z, y)[:, 0], np.array([1, 0, 0, -1]) / 4)
    # The same through a network whose output is pinned to +-1000 by its bias.
    for b, label, want_loss, want_grad in [(1000.0, 0.0, 1000.0, 1.0), (1000.0, 1.0, 0.0, 0.0),
                                           (-1000.0, 1.0, 1000.0, -1.0), (-1000.0, 0.0, 0.0, 0.0)]:
        params["b1"] = np.array([b])
        yy = np.full(4, label)
        value, grads = gradcheck.objective_and_grad(params, X, yy, "tanh", "bce")
        assert np.isfinite(value) and value == pytest.approx(want_loss, abs=1e-12)
        assert grads["b1"][0] == pytest.approx(want_grad, abs=1e-12)
        numeric = central_difference(
            lambda p: gradcheck.objective_and_grad(p, X, yy, "tanh", "bce")[0], network.copy(params))
        assert_close(grads["b1"], numeric["b1"])


def test_check_gradients_passes_and_agrees_with_an_independent_difference():
    rng = np.random.default_rng(3)
    params = network.init_params(seed=1, init="normal")
    X, y = rng.normal(size=(10, 2)), (rng.random(10) > 0.5).astype(float)
    result = gradcheck.check_gradients(params, X, y, "tanh", "bce", "l2", 0.1)
    assert result.passed(1e-6) and result.max_error < 1e-7
    numeric = central_difference(lambda p: ref_objective(p, X, y, "tanh", "bce", "l2", 0.1),
                                 network.copy(params))
    assert np.allclose(result.numeric, network.flatten(numeric), rtol=1e-7, atol=1e-9)
    assert result.names == network.flat_names()
    assert "largest relative error" in result.table()


def test_check_gradients_catches_a_wrong_derivative(monkeypatch):
    """A derivative wrong by a little (1 - 0.999999 t^2 instead of 1 - t^2) must fail the check."""
    params = network.init_params(seed=2, init="normal")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 2)), (rng.random(8) > 0.5).astype(float)
    wrong = activations.ACTIVATIONS["tanh"]._replace(grad=lambda z: 1.0 - 0.999999 * np.tanh(z) ** 2,
                                                     slope=lambda a: 1.0 - 0.999999 * a * a)
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", wrong)
    assert not gradcheck.check_gradients(params, X, y).passed(1e-6)


def test_relative_error_is_zero_where_both_are_zero():
    err = gradcheck.relative_error([0.0, 1.0, -2.0], [0.0, 1.0, -1.0])
    assert np.array_equal(err, [0.0, 0.0, 0.5])


def test_check_gradients_refuses_a_population():
    params = network.init_params(population=2)
    with pytest.raises(ValueError, match="population"):
        gradcheck.check_gradients(params, np.zeros((3, 2)), np.zeros(3))


@pytest.mark.parametrize("sizes", [(2, 16, 16, 1), (2, 32, 1), (2, 8, 8, 8, 1)])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("activation,loss", [("tanh", "bce"), ("sigmoid", "mse")])
def test_correct_gradients_of_larger_nets_pass_at_the_defaults(sizes, seed, activation, loss):
    """Wide or deep nets have gradient entries of 1e-5 and smaller; the rounding of central differences
    (about 1e-10) must not make a correct backprop fail."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2))
    y = (rng.random(40) > 0.5).astype(float)
    params = network.init_params(sizes, seed=seed)
    result = gradcheck.check_gradients(params, X, y, activation, loss)
    assert result.passed(), result.max_error


def test_the_floor_is_needed_here():
    """Without the floor the same correct gradients would fail: tiny entries, ordinary rounding."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), (rng.random(40) > 0.5).astype(float)
    result = gradcheck.check_gradients(network.init_params((2, 32, 1), seed=0), X, y, "sigmoid", "mse")
    plain = gradcheck.relative_error(result.backprop, result.numeric, floor=1e-300)
    assert np.min(np.abs(result.backprop)) < 1e-4 and plain.max() > 1e-6 and result.passed()


def test_the_floor_still_catches_a_wrong_derivative_in_a_wide_net(monkeypatch):
    params = network.init_params((2, 16, 16, 1), seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), (rng.random(40) > 0.5).astype(float)
    wrong = activations.ACTIVATIONS["tanh"]._replace(grad=lambda z: 1.0 - 0.99 * np.tanh(z) ** 2,
                                                     slope=lambda a: 1.0 - 0.99 * a * a)
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", wrong)
    assert not gradcheck.check_gradients(params, X, y).passed()


@pytest.mark.parametrize("kw,word", [(dict(eps=float("nan")), "eps"), (dict(eps=0.0), "eps"), (dict(eps=-1e-6), "eps"),
                                     (dict(lam=-1.0), "lam"), (dict(lam=float("nan")), "lam"),
                                     (dict(penalty="l3"), "penalty")])
def test_check_gradients_refuses_bad_settings(kw, word):
    params = network.init_params(seed=0)
    with pytest.raises(ValueError, match=word):
        gradcheck.check_gradients(params, np.zeros((3, 2)), np.zeros(3), **kw)


def test_a_nan_error_never_passes():
    result = gradcheck.GradCheck(["a", "b"], np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert not result.passed()
