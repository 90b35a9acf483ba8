"""Claims of notebook 03: the reference network, the two losses, the logit form, the population axis,
and what the loss explorer shows."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import weightlab as wl
from register import claim
from weightlab import landscape, losses, network, problems
from weightlab.activations import sigmoid
from weightlab.explore import loss as lossx

NOTEBOOK = "03_loss.ipynb"
PARAMS, X, Y = problems.reference_problem()
NAMES = network.flat_names()


def logits(params=PARAMS):
    return wl.forward(params, X)[0]


@claim("110870da", "a 2-3-1 tanh network (13 parameters) trained for 300 steps on 100 XOR points")
def test_the_reference_network():
    assert problems.REFERENCE["steps"] == 300 and problems.REFERENCE["n"] == 100 and problems.REFERENCE["dataset"] == "xor"
    assert network.sizes_of(PARAMS) == (2, 3, 1) and len(network.flatten(PARAMS)) == 13 and len(Y) == 100
    X0, y0 = wl.load("xor", n=100, noise=0.1, seed=0)[:2]
    params, _ = wl.train(network.init_params(seed=0), X0, y0, steps=300, lr=0.5, loss="bce")
    np.testing.assert_array_equal(network.flatten(params), network.flatten(PARAMS))


@claim("eccf39cc", "87 of the 100 answers are right, and 67 of those 87 are fairly sure ($p$ below 0.2 or above 0.8)")
@claim("eccf39cc", "the fifth point is wrong ($p = 0.20$ for a point of class 1)")
def test_how_many_answers_are_right_and_sure():
    p = sigmoid(logits()[:, 0])
    right = (p > 0.5) == (Y == 1)
    assert right.sum() == 87 and np.sum(right & ((p < 0.2) | (p > 0.8))) == 67
    assert not right[4] and Y[4] == 1 and round(p[4], 2) == 0.20


@claim("eccf39cc", "nudge any one of the 13 parameters by ±0.001 and the accuracy stays at 87% in 21 of the 26 cases (in the other 5, one point crosses over), while the loss changes in all 26")
@claim("eccf39cc", "it moves only in jumps of 1% (one point of 100)")
def test_small_nudges_move_the_loss_every_time_and_the_accuracy_rarely():
    base_acc, base_loss = network.accuracy(PARAMS, X, Y), losses.bce(logits(), Y)
    same, changed = 0, 0
    for name in NAMES:
        for d in (1e-3, -1e-3):
            q = network.copy(PARAMS)
            network.set_value(q, name, network.get_value(q, name) + d)
            acc = network.accuracy(q, X, Y)
            same += acc == base_acc
            assert abs(acc - base_acc) <= 0.01 + 1e-12
            changed += losses.bce(logits(q), Y) != base_loss
    assert same == 21 and changed == 26 and base_acc == pytest.approx(0.87)


@claim("d249ebab", "the third point has $z = 2.53$ and label 1")
@claim("d249ebab", "it adds $(2.53 - 1)^2 = 2.3$ to the sum")
@claim("d249ebab", "square the error of the probability $p$ instead: $0.098$")
def test_squared_error_of_the_logit_and_of_p():
    z = logits()[:, 0]
    assert round(z[2], 2) == 2.53 and Y[2] == 1 and round((z[2] - 1) ** 2, 1) == 2.3
    assert round(float(losses.mse_prob(logits(), Y)), 3) == 0.098
    assert round(float(losses.mse(logits(), Y)), 2) == 3.81        # the large first number


@claim("d249ebab", "Notebook 05 uses squared error on the output again, on purpose")
def test_notebook_05_uses_squared_error():
    assert problems.DESCENT["loss"] == "mse"


@claim("386c221c", "All three agree here")
def test_three_ways_to_compute_cross_entropy_agree():
    z = logits()[:, 0]
    p = sigmoid(z)
    a = losses.bce(logits(), Y)
    b = np.mean(np.logaddexp(0, z) - Y * z)
    c = -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    assert a == pytest.approx(b, rel=1e-12) and a == pytest.approx(c, rel=1e-12)


@claim("bf6bdb26", "About 40, not infinite")
@claim("bf6bdb26", "$1 - \\sigma(40) \\approx 4 \\cdot 10^{-18}$")
@claim("bf6bdb26", "in floating point $\\sigma(40)$ rounds to exactly $1.0$")
@claim("bf6bdb26", "The second point ($z = -40$, class 1) still comes out right from $p$")
@claim("bf6bdb26", "Only far surer mistakes, $z$ below about −710 where $e^{-z}$ overflows, break $\\log p$ as well")
def test_a_sure_wrong_answer_costs_about_40_and_the_p_formula_gives_inf():
    z = np.array([[40.0], [-40.0]])
    y = np.array([0.0, 1.0])
    assert losses.bce(z, y) == pytest.approx(40.0, abs=1e-12)
    assert losses.bce(z[:1], y[:1]) == pytest.approx(40.0) == losses.bce(z[1:], y[1:])
    sig = lambda v: 1 / (1 + np.exp(-v))               # the notebook's formula for p
    assert sig(40.0) == 1.0 and sig(-40.0) == pytest.approx(4.25e-18, rel=0.01)
    assert -np.log(sig(-40.0)) == pytest.approx(40.0)           # the second point is fine from p
    with np.errstate(divide="ignore", over="ignore"):
        assert np.log(1 - sig(40.0)) == -np.inf
        assert np.log(sig(-709.0)) > -np.inf and np.log(sig(-711.0)) == -np.inf


@claim("d5bff752", "at $z = -6$ it is 6.0 and still rising with slope −1")
@claim("d5bff752", "at $z = -6$ it is 0.995 and its slope is only −0.005")
@claim("d5bff752", "The squared error of $p$ can never exceed 1")
@claim("aa463b0e", "Cross-entropy keeps growing for confident mistakes; the squared error of $p$ goes flat there")
def test_cross_entropy_keeps_growing_and_squared_error_of_p_goes_flat():
    ones = np.ones(1)
    ce = lambda v: losses.bce(np.array([[v]]), ones)
    se = lambda v: losses.mse_prob(np.array([[v]]), ones)
    h = 1e-6
    assert round(ce(-6.0), 1) == 6.0 and round((ce(-6 + h) - ce(-6 - h)) / (2 * h), 2) == -1.0
    assert round(se(-6.0), 3) == 0.995 and round((se(-6 + h) - se(-6 - h)) / (2 * h), 3) == -0.005
    assert max(se(v) for v in np.linspace(-50, 50, 1001)) <= 1


@claim("d5bff752", "One forward pass with these arrays computes all $P$ networks at once, with the same code as for one network")
def test_a_population_forward_pass_equals_one_network_at_a_time():
    values = landscape.value_of(PARAMS, "W2[1,0]") + np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    copies = landscape.population_with(PARAMS, ["W2[1,0]"], [values])
    assert copies["W1"].shape == (5, 2, 3)
    z_all, _ = wl.forward(copies, X)
    for k in range(5):
        z_k, _ = wl.forward(network.member(copies, k), X)
        np.testing.assert_allclose(z_all[k], z_k, rtol=1e-14, atol=1e-14)
        assert network.member(copies, k)["W2"][1, 0] == values[k]


@claim("e588ab8b", "The trained value ($3.36$) has the lowest loss of the five: moving this output weight 1 or 2 either way makes the network worse")
def test_the_trained_value_is_the_lowest_of_the_five():
    w0 = landscape.value_of(PARAMS, "W2[1,0]")
    L = landscape.loss_along(PARAMS, X, Y, "W2[1,0]", w0 + np.array([-2.0, -1.0, 0.0, 1.0, 2.0]))
    assert round(w0, 2) == 3.36 and np.argmin(L) == 2 and L[0] > L[1] > L[2] < L[3] < L[4]


@claim("e588ab8b", "darker is lower")
def test_the_map_is_darker_where_the_loss_is_lower():
    ex = lossx.loss_explorer()
    try:
        cmap = ex.lmap.image.get_cmap()
        lum = lambda c: 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        assert lum(cmap(0.0)) < lum(cmap(0.5)) < lum(cmap(1.0))
        assert ex.lmap.image.norm(0.5) < ex.lmap.image.norm(1.0)
    finally:
        plt.close(ex.fig)


def _slope_ratios(name, kind):
    """|slope| at each end of the explorer's 121-point curve along ``name``, over its steepest |slope|."""
    w0 = landscape.value_of(PARAMS, name)
    vs = w0 + np.linspace(-5, 5, 121)
    s = np.abs(np.gradient(landscape.loss_along(PARAMS, X, Y, name, vs, loss=kind), vs))
    return s[0] / s.max(), s[-1] / s.max()


@claim("0eb33420", "cross-entropy keeps climbing on both sides (at each end still more than half as steep as at its steepest)")
@claim("0eb33420", "the squared error of $p$ flattens out on one side (at that end only a quarter to a third as steep as at its steepest)")
def test_along_output_weights_cross_entropy_climbs_and_squared_error_flattens():
    for name in ("W2[0,0]", "W2[1,0]", "W2[2,0]", "b2[0]"):
        assert min(_slope_ratios(name, "bce")) > 0.5
        flat = min(_slope_ratios(name, "mse_prob"))
        assert 0.25 - 0.01 <= flat <= 0.35 + 0.01, (name, flat)
        w0 = landscape.value_of(PARAMS, name)
        L = landscape.loss_along(PARAMS, X, Y, name, w0 + np.array([-5.0, 0.0, 5.0]))
        assert L[0] > L[1] < L[2]


@claim("0eb33420", "for the starting pair of weights both valleys have their floor at the trained network's × (within one cell of the map)")
def test_both_maps_have_their_floor_at_the_trained_network():
    xn, yn = lossx.DEFAULT_X, lossx.DEFAULT_Y
    x0, y0 = landscape.value_of(PARAMS, xn), landscape.value_of(PARAMS, yn)
    xs, ys = np.linspace(x0 - 5, x0 + 5, 40), np.linspace(y0 - 5, y0 + 5, 40)
    cell = xs[1] - xs[0]
    for G in landscape.loss_grid(PARAMS, X, Y, [xn, yn], xs, ys, loss=("bce", "mse_prob")):
        i, j = np.unravel_index(np.argmin(G), G.shape)
        assert abs(xs[j] - x0) <= cell and abs(ys[i] - y0) <= cell


@claim("0eb33420", "On about a sixth of the map the slope is under 5% of the steepest while the loss is more than twice the lowest")
@claim("0eb33420", "in a typical plateau spot $h_2$'s output is within 0.01 of ±1 on 96 of the 100 points")
def test_the_plateaus_of_w1_1_1_and_b1_1_are_where_h2_saturates():
    xn, yn = "W1[1,1]", "b1[1]"
    x0, y0 = landscape.value_of(PARAMS, xn), landscape.value_of(PARAMS, yn)
    xs, ys = np.linspace(x0 - 5, x0 + 5, 41), np.linspace(y0 - 5, y0 + 5, 41)
    G = landscape.loss_grid(PARAMS, X, Y, [xn, yn], xs, ys)
    gx, gy = landscape.grad_grid(PARAMS, X, Y, [xn, yn], xs, ys)
    g = np.hypot(gx, gy)
    plateau = (g < 0.05 * g.max()) & (G > 2 * G.min())
    assert 1 / 7 < plateau.mean() < 1 / 5
    saturated = []
    for i, j in zip(*np.nonzero(plateau)):
        q = network.copy(PARAMS)
        network.set_value(q, xn, xs[j])
        network.set_value(q, yn, ys[i])
        A1 = wl.forward(q, X)[1]["a"][1]
        saturated.append(np.sum(np.abs(A1[:, 1]) > 0.99))
    assert np.median(saturated) == 96


@claim("0eb33420", "One step of 0.1 up along `W2[1,0]`, or down along `b2[0]`, already lowers the cross-entropy by 0.0003")
@claim("0eb33420", "the status line says when you beat the trained network, with enough digits to see it")
def test_one_slider_step_beats_the_trained_network():
    base = losses.bce(logits(), Y)
    for name, step in (("W2[1,0]", 0.1), ("b2[0]", -0.1)):
        L = landscape.loss_along(PARAMS, X, Y, name, [landscape.value_of(PARAMS, name) + step])[0]
        assert round(base - L, 4) == 0.0003
    ex = lossx.loss_explorer()
    try:
        ex.set(xweight="W2[1,0]", yweight="W2[0,0]", dx=0.1, dy=0.0)
        assert "lower than the trained network" in ex.status.value
        now = float(ex.status.value.split("cross-entropy ")[1].split(",")[0])
        trained = float(ex.status.value.split("trained weights: ")[1].split(" and")[0])
        assert now < trained
    finally:
        plt.close(ex.fig)


@claim("0eb33420", "the bottom of the cross-entropy curve lies within 0.11 of the trained value and at most 0.0003 below the trained loss")
@claim("0eb33420", "up to 0.38 away from the trained values (along `W1[1,0]`)")
def test_the_trained_values_sit_near_the_bottom_of_each_curve():
    far, gain, far_se = 0.0, 0.0, (0.0, None)
    for name in NAMES:
        w0 = landscape.value_of(PARAMS, name)
        vs = w0 + np.linspace(-5, 5, 1001)
        ce = landscape.loss_along(PARAMS, X, Y, name, vs)
        se = landscape.loss_along(PARAMS, X, Y, name, vs, loss="mse_prob")
        far = max(far, abs(vs[np.argmin(ce)] - w0))
        gain = max(gain, ce[500] - ce.min())
        if abs(vs[np.argmin(se)] - w0) > far_se[0]:
            far_se = (abs(vs[np.argmin(se)] - w0), name)
    assert round(far, 2) <= 0.11 and round(gain, 4) <= 0.0003
    assert round(far_se[0], 2) == 0.38 and far_se[1] == "W1[1,0]"


@claim("aa463b0e", "Cross-entropy $-\\frac1N\\sum[y\\log p + (1-y)\\log(1-p)]$ equals $\\frac1N\\sum[\\log(1+e^{z}) - yz]$")
@claim("aa463b0e", "computed from the logit it is finite for any $z$")
def test_the_two_forms_of_cross_entropy_agree_and_the_logit_form_stays_finite():
    rng = np.random.default_rng(0)
    z = rng.uniform(-15, 15, (200, 1))
    y = rng.integers(0, 2, 200).astype(float)
    p = sigmoid(z[:, 0])
    assert losses.bce(z, y) == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-10)
    assert losses.bce(z, y) == pytest.approx(np.mean(np.logaddexp(0, z[:, 0]) - y * z[:, 0]), rel=1e-12)
    huge = np.array([[1e300], [-1e300], [800.0], [-800.0]])
    assert np.all(np.isfinite([losses.bce(huge[k:k + 1], np.array([v])) for k in range(4) for v in (0.0, 1.0)]))
