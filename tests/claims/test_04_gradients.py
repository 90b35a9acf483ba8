"""Claims of notebook 04: slopes, the gradient's direction, backpropagation derived on one point and in
matrix form, the gradient explorer, and gradient checking."""
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

import weightlab as wl
from register import claim
from weightlab import gradcheck, landscape, losses, network, problems
from weightlab.activations import sigmoid
from weightlab.explore import gradients as gradx

NOTEBOOK = "04_gradients.ipynb"
PARAMS, X, Y = problems.reference_problem()


def moved():
    m = network.copy(PARAMS)
    m["W2"][1, 0] -= 2.0
    return m


def central(f, v, eps=1e-6):
    return (f(v + eps) - f(v - eps)) / (2 * eps)


@claim("1bf32620", "the network gets worse (cross-entropy $0.50$ instead of $0.33$)")
def test_moving_the_weight_makes_the_network_worse():
    before = losses.bce(wl.forward(PARAMS, X)[0], Y)
    after = losses.bce(wl.forward(moved(), X)[0], Y)
    assert round(float(before), 2) == 0.33 and round(float(after), 2) == 0.50
    assert round(PARAMS["W2"][1, 0], 2) == 3.36


@claim("4a000001", "Negative: $-0.17$")
@claim("4a000001", "Increasing `W2[1,0]` lowers the loss here, at about $0.17$ per unit")
def test_the_slope_at_1_36_is_negative():
    w = moved()["W2"][1, 0]
    f = lambda v: landscape.loss_along(moved(), X, Y, "W2[1,0]", [v])[0]
    assert round(central(f, w, 1e-4), 2) == -0.17
    assert f(w + 0.01) < f(w)


@claim("ddc7a257", "the gradient points in the direction of **steepest ascent**")
def test_no_direction_rises_faster_than_the_gradient():
    rng = np.random.default_rng(0)
    _, grads = gradcheck.objective_and_grad(moved(), X, Y)
    g = network.flatten(grads)
    sizes = network.sizes_of(PARAMS)
    L = lambda v: losses.bce(wl.forward(network.unflatten(v, sizes), X)[0], Y)
    theta, h = network.flatten(moved()), 1e-4
    rise_along_g = (L(theta + h * g / np.linalg.norm(g)) - L(theta)) / h
    assert rise_along_g == pytest.approx(np.linalg.norm(g), rel=1e-3)      # its length is the steepness
    for _ in range(200):
        d = rng.standard_normal(13)
        d /= np.linalg.norm(d)
        assert (L(theta + h * d) - L(theta)) / h <= rise_along_g + 1e-6
        assert (L(theta - h * g / np.linalg.norm(g)) - L(theta)) / h <= (L(theta - h * d) - L(theta)) / h + 1e-6


@claim("ddc7a257", "Measuring 13 slopes by central differences costs 26 forward passes")
def test_central_differences_take_two_passes_per_parameter():
    calls = []

    def loss(params):
        calls.append(1)
        return losses.bce(wl.forward(params, X)[0], Y)

    gradcheck.numerical_grad(loss, moved())
    assert len(calls) == 26


@claim("ddc7a257", "Backpropagation gets all 13 exactly (up to rounding) for about the cost of one more pass")
@claim("ddc7a257", "on this network a backward pass takes about as long as a forward pass")
def test_a_backward_pass_costs_about_one_forward_pass():
    params = moved()
    z, cache = wl.forward(params, X)
    dz = losses.bce_grad(z, Y)

    def median_time(f, n=400):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            f()
            times.append(time.perf_counter() - t)
        return np.median(times)

    ratio = median_time(lambda: wl.backward(params, cache, dz)) / median_time(lambda: wl.forward(params, X))
    assert 0.3 < ratio < 2.5, ratio
    check = wl.check_gradients(params, X, Y)
    assert check.max_error < 1e-6


@claim("ddc7a257", "`W1[0,1]` reaches $\\ell$ along one path only: through $z_{h_2}$, then $a_{h_2}$, then $z$")
def test_w1_0_1_changes_only_h2():
    a = wl.forward(moved(), X[:1])[1]["z"][0]
    m = moved()
    m["W1"][0, 1] += 0.5
    b = wl.forward(m, X[:1])[1]["z"][0]
    assert a[0, 0] == b[0, 0] and a[0, 2] == b[0, 2] and a[0, 1] != b[0, 1]


@claim("4a000003", "$\\;\\dfrac{\\partial \\ell}{\\partial z} = \\sigma(z) - y = p - y$")
@claim("4a000003", "$\\partial a_{h_2} / \\partial z_{h_2} = \\tanh'(z_{h_2}) = 1 - \\tanh^2(z_{h_2}) = 1 - a_{h_2}^2$")
def test_the_local_derivatives():
    for z in np.linspace(-8, 8, 33):
        for y in (0.0, 1.0):
            ell = lambda v: np.log1p(np.exp(v)) - y * v
            assert central(ell, z) == pytest.approx(sigmoid(z) - y, abs=1e-8)
        assert central(np.tanh, z) == pytest.approx(1 - np.tanh(z) ** 2, abs=1e-8)


def one_point_by_hand(params, x, y):
    """All 13 derivatives of one point's cross-entropy by the notebook's single-point formulas, in loops."""
    z_h = [x[0] * params["W1"][0, j] + x[1] * params["W1"][1, j] + params["b1"][j] for j in range(3)]
    a_h = [np.tanh(v) for v in z_h]
    z = sum(a_h[j] * params["W2"][j, 0] for j in range(3)) + params["b2"][0]
    delta = sigmoid(z) - y
    delta_h = [delta * params["W2"][j, 0] * (1 - a_h[j] ** 2) for j in range(3)]
    return {"W1": np.array([[x[i] * delta_h[j] for j in range(3)] for i in range(2)]),
            "b1": np.array(delta_h), "W2": np.array([[delta * a_h[j]] for j in range(3)]),
            "b2": np.array([delta])}


@claim("4a000003", "checked against a central difference of $\\ell$ itself and against the package's backward pass run on this one point")
@claim("4a000005", "Each weight's derivative is (what enters its edge) × (the error where its edge ends)")
def test_the_single_point_formulas_give_all_13_for_any_point_and_network():
    rng = np.random.default_rng(1)
    for seed in range(5):
        params = network.init_params(seed=seed, scale=2.0)
        for n in rng.choice(len(Y), 5, replace=False):
            hand = one_point_by_hand(params, X[n], Y[n])
            numeric = gradcheck.numerical_grad(lambda p: losses.bce(wl.forward(p, X[n:n + 1])[0], Y[n:n + 1]),
                                               network.copy(params))
            for k in hand:
                np.testing.assert_allclose(hand[k], numeric[k], atol=1e-8)
            z, cache = wl.forward(params, X[n:n + 1])
            grads = wl.backward(params, cache, losses.bce_grad(z, Y[n:n + 1]))
            for k in hand:
                np.testing.assert_allclose(hand[k], grads[k], atol=1e-15)


@claim("4a000007", "\\frac{\\partial L}{\\partial z_{2,n}} = \\frac1N\\,\\frac{\\partial \\ell_n}{\\partial z_{2,n}} = \\frac{\\sigma(z_{2,n}) - y_n}{N}")
def test_dz2_is_sigma_minus_y_over_n():
    z2 = wl.forward(moved(), X)[0]
    dz2 = losses.bce_grad(z2, Y)
    np.testing.assert_allclose(dz2[:, 0], (sigmoid(z2[:, 0]) - Y) / len(Y), rtol=1e-12)
    for n in (0, 17, 99):                      # the mean's derivative with respect to one logit
        def L(v, n=n):
            z = z2.copy()
            z[n, 0] = v
            return losses.bce(z, Y)
        assert central(L, z2[n, 0]) == pytest.approx(dz2[n, 0], abs=1e-9)


@claim("4a000009", "$dW_2 = A_1^\\top dz_2$, with shapes $(3,N)\\,(N,1) \\to (3,1)$")
@claim("4a000009", "$dA_1 = dz_2\\, W_2^\\top$")
@claim("4a000009", "$dZ_1 = dA_1 \\odot (1 - A_1 \\odot A_1)$")
@claim("4a000009", "$dW_1 = X^\\top dZ_1$, shapes $(2,N)\\,(N,3) \\to (2,3)$")
def test_the_matrix_form_is_the_sum_over_points_of_the_single_point_formulas():
    params = moved()
    z2, cache = wl.forward(params, X)
    A1, dz2 = cache["a"][1], losses.bce_grad(z2, Y)
    dW2, dA1 = A1.T @ dz2, dz2 @ params["W2"].T
    dZ1 = dA1 * (1 - A1 * A1)
    dW1 = X.T @ dZ1
    assert (dW2.shape, dA1.shape, dZ1.shape, dW1.shape) == ((3, 1), (100, 3), (100, 3), (2, 3))
    summed = {k: sum(one_point_by_hand(params, X[n], Y[n])[k] for n in range(len(Y))) / len(Y)
              for k in ("W1", "b1", "W2", "b2")}
    np.testing.assert_allclose(dW2, summed["W2"], atol=1e-15)
    np.testing.assert_allclose(dW1, summed["W1"], atol=1e-15)
    np.testing.assert_allclose(dz2.sum(axis=0), summed["b2"], atol=1e-15)
    np.testing.assert_allclose(dZ1.sum(axis=0), summed["b1"], atol=1e-15)
    grads = wl.backward(params, cache, dz2)
    for k, mine in (("W1", dW1), ("W2", dW2)):
        np.testing.assert_allclose(mine, grads[k], rtol=1e-12)


@claim("1867850f", "The same $-0.1704$ as the central difference at the top of this notebook")
def test_backprop_and_central_difference_agree_on_w2_1_0():
    z2, cache = wl.forward(moved(), X)
    dW2 = cache["a"][1].T @ losses.bce_grad(z2, Y)
    f = lambda v: landscape.loss_along(moved(), X, Y, "W2[1,0]", [v])[0]
    numeric = central(f, moved()["W2"][1, 0], 1e-4)
    assert round(dW2[1, 0], 4) == round(numeric, 4) == -0.1704


@claim("49865af1", "The status line says the gradient is under 5% of the steepest arrow on the map")
@claim("49865af1", "the loss is about three times the lowest on the map (1.05 against 0.33)")
@claim("49865af1", "$h_2$ is saturated, its output within 0.01 of ±1 on 98 of the 100 points")
def test_the_explorer_at_the_bottom_and_on_the_plateau():
    ex = gradx.gradients_explorer()
    try:
        ex.set(dx=0.0, dy=0.0)
        assert "under 5% of the steepest arrow" in ex.status.value
        ex.set(xweight="W1[0,1]", yweight="b1[1]")
        ex.set(dx=5.0, dy=5.0)
        assert "plateau" in ex.status.value
        here = float(ex.status.value.split("loss ")[1].split(",")[0])
        assert round(here, 2) == 1.05 and round(ex.range[0], 2) == 0.33 and 2.8 < here / ex.range[0] < 3.5
    finally:
        plt.close(ex.fig)
    q = network.copy(PARAMS)
    for name in ("W1[0,1]", "b1[1]"):
        network.set_value(q, name, network.get_value(q, name) + 5.0)
    A1 = wl.forward(q, X)[1]["a"][1]
    assert np.sum(np.abs(A1[:, 1]) > 0.99) == 98


@claim("49865af1", "the arrow always points downhill, **across** the contour lines, never along them")
@claim("49865af1", "Near the bottom of the valley the arrows shrink towards nothing")
@claim("b418f649", "On the loss surface the arrows of $-\\nabla L$ cross the contour lines downhill and vanish at a minimum (and on plateaus)")
def test_every_arrow_on_the_map_points_downhill_and_they_shrink_near_the_bottom():
    xn, yn = gradx.DEFAULT_X, gradx.DEFAULT_Y
    x0, y0 = landscape.value_of(PARAMS, xn), landscape.value_of(PARAMS, yn)
    xs, ys = np.linspace(x0 - 4.5, x0 + 4.5, 11), np.linspace(y0 - 4.5, y0 + 4.5, 11)
    gx, gy = landscape.grad_grid(PARAMS, X, Y, [xn, yn], xs, ys)
    size = np.hypot(gx, gy)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            if size[i, j] < 1e-9:
                continue
            step = -1e-4 * np.array([gx[i, j], gy[i, j]]) / size[i, j]
            L0, L1 = landscape.loss_grid(PARAMS, X, Y, [xn, yn], [xv, xv + step[0]], [yv, yv + step[1]])[[0, 1], [0, 1]]
            assert L1 < L0
    centre = size[5, 5]
    assert centre < 0.05 * size.max()


@claim("49865af1", "reports the error $|a - n| / \\max(|a|, |n|, 10^{-3})$")
def test_the_gradient_check_error_has_a_floor_of_1e_3():
    assert gradcheck.FLOOR == 1e-3
    assert gradcheck.relative_error(2.0, 1.0) == pytest.approx(0.5)
    assert gradcheck.relative_error(2e-5, 1e-5) == pytest.approx(1e-5 / 1e-3)


@claim("912c9c98", "They agree to about 8 digits: the largest error is about $10^{-8}$")
def test_backprop_agrees_with_central_differences_to_about_8_digits():
    check = wl.check_gradients(moved(), X, Y)
    assert 1e-9 < check.max_error < 1e-7 and round(np.log10(check.max_error)) == -8


@claim("de30e268", "Only the first-layer gradients are wrong, each by 5% or more, while the output layer's still agree")
def test_a_missing_tanh_slope_shows_in_the_first_layer_only():
    params = moved()
    z2, cache = wl.forward(params, X)
    dz2 = losses.bce_grad(z2, Y)
    grads = wl.backward(params, cache, dz2)
    dA1 = dz2 @ params["W2"].T
    buggy = dict(grads, W1=X.T @ dA1, b1=dA1.sum(axis=0))
    check = wl.check_gradients(params, X, Y)
    errors = dict(zip(check.names, gradcheck.relative_error(wl.flatten(buggy), check.numeric)))
    first = [e for n, e in errors.items() if n.startswith(("W1", "b1"))]
    second = [e for n, e in errors.items() if n.startswith(("W2", "b2"))]
    assert min(first) >= 0.05 and max(second) < 1e-7


@claim("2379b6a2", "the two patterns repeat in every layer: a weight's gradient is (input of the layer)$^\\top$ times (gradient at the layer's output)")
def test_the_two_patterns_give_the_gradient_of_a_deeper_network():
    params = network.init_params((2, 4, 3, 1), seed=2)
    z, cache = wl.forward(params, X)
    dz = losses.bce_grad(z, Y)
    acts, grads = cache["a"], {}
    for l in (3, 2, 1):                               # the two patterns, layer by layer, by hand
        grads[f"W{l}"] = acts[l - 1].T @ dz
        grads[f"b{l}"] = dz.sum(axis=0)
        if l > 1:
            dz = (dz @ params[f"W{l}"].T) * (1 - acts[l - 1] * acts[l - 1])
    numeric = gradcheck.numerical_grad(lambda p: losses.bce(wl.forward(p, X)[0], Y), network.copy(params))
    for k in grads:
        np.testing.assert_allclose(grads[k], numeric[k], atol=1e-8)


@claim("2379b6a2", "Arrow length grows with the steepness")
def test_the_arrows_are_the_negative_gradient_scaled_by_one_factor():
    ex = gradx.gradients_explorer()
    try:
        xn, yn = gradx.DEFAULT_X, gradx.DEFAULT_Y
        offsets, U, V = ex.field.get_offsets(), ex.field.U, ex.field.V
        xs, ys = np.unique(offsets[:, 0]), np.unique(offsets[:, 1])
        gx, gy = landscape.grad_grid(PARAMS, X, Y, [xn, yn], xs, ys)
        ratio = np.hypot(U, V) / np.hypot(gx, gy).ravel()
        assert np.allclose(ratio, ratio[0], rtol=1e-9)                      # one factor for every arrow
        assert np.all(U * gx.ravel() + V * gy.ravel() <= 0)                 # and they point against the gradient
    finally:
        plt.close(ex.fig)
