"""Claims of notebook 05 (gradient descent and the learning rate), each recomputed with the package.

Runs are 100 steps of full-batch gradient descent on ``problems.descent_problem()`` (squared
error) unless a test says otherwise; the bowl is ``quadratic.two_weight_problem()``.
"""
import functools

import numpy as np
import pytest
from register import claim

from weightlab import curvature, experiments, landscape, network, problems, quadratic
from weightlab.exercises import descent as exercises
from weightlab.explore.descent import BOWL_START

NOTEBOOK = "05_gradient_descent.ipynb"
SWEEP = np.logspace(-3, 2, 60)


@functools.lru_cache(maxsize=None)
def run(lr, loss="mse", steps=100):
    params, X, y, _ = problems.descent_problem()
    return experiments.sharpness_run(params, X, y, lr, steps, loss)


@functools.lru_cache(maxsize=None)
def sweep(loss="mse"):
    params, X, y, _ = problems.descent_problem()
    return experiments.lr_sweep(params, X, y, SWEEP, 100, loss)


def report(lr, loss="mse"):
    return curvature.edge_report(run(lr, loss).sharpness, lr)


def ups(lr):
    return int(np.sum(np.diff(run(lr).loss) > 0))


def start_edge(loss="mse"):
    params, X, y, _ = problems.descent_problem()
    return curvature.edge_of_stability(params, X, y, loss=loss)


# ---- one step, one parabola --------------------------------------------------------------------
@claim("48d0280b", "along the output weights it is an exact parabola")
def test_squared_error_is_an_exact_parabola_along_an_output_weight():
    params, X, y, loss = problems.descent_problem()
    for name in ("W2[1,0]", "b2[0]"):
        values = np.linspace(-3, 3, 13)
        L = landscape.loss_of(landscape.population_with(params, [name], [values]), X, y, loss=loss)
        second = np.diff(L, 2)
        np.testing.assert_allclose(second, second[0], rtol=1e-9)       # constant second difference


@claim("5c0a0001", "$\\eta = 0.1$ gives $+0.8$, so $w$ creeps towards 0")
@claim("5c0a0001", "$\\eta = 1.1$ gives $-1.2$, so every jump is longer than the last: divergence")
def test_the_four_learning_rates_on_the_parabola():
    a = 2.0
    for eta, factor in ((0.1, 0.8), (0.5, 0.0), (0.9, -0.8), (1.1, -1.2)):
        assert 1 - eta * a == pytest.approx(factor)
        w = [1.0]
        for _ in range(6):
            w.append(w[-1] - eta * a * w[-1])
        w = np.abs(w)
        if eta == 0.5:
            assert w[1] == 0
        elif eta == 1.1:
            assert np.all(np.diff(w) > 0)
        else:
            assert np.all(np.diff(w) < 0)


# ---- the bowl ----------------------------------------------------------------------------------
def bowl_after(lr, steps=25):
    A, b, _ = quadratic.two_weight_problem()
    vals, vecs = quadratic.axes(A)
    w_min = np.linalg.solve(A, b)
    coords = (quadratic.descent_path(A, b, BOWL_START, lr, steps) - w_min) @ vecs
    return vals, coords


@claim("5c0a0006", "after 25 steps the path is still $0.05$ from the minimum, all of it along the shallow axis")
def test_a_small_learning_rate_is_slow_along_the_shallow_axis():
    vals, coords = bowl_after(0.3)
    assert 1 - 0.3 * vals[1] == pytest.approx(0.46, abs=0.005) and 1 - 0.3 * vals[0] == pytest.approx(0.85, abs=0.005)
    assert np.hypot(*coords[-1]) == pytest.approx(0.05, abs=0.005)
    assert abs(coords[-1, 1]) < 1e-6 * abs(coords[-1, 0])


@claim("5c0a0006", "after 25 steps the path is $2\\times 10^{-6}$ from the minimum, the closest of these learning rates")
def test_the_balanced_learning_rate_gets_closest():
    vals, _ = bowl_after(0.88)
    assert 2 / vals.sum() == pytest.approx(0.875, abs=0.0005)
    assert 1 - 0.88 * vals[0] == pytest.approx(0.57, abs=0.005) and 1 - 0.88 * vals[1] == pytest.approx(-0.58, abs=0.005)
    dist = {lr: np.hypot(*bowl_after(lr)[1][-1]) for lr in (0.3, 0.88, 1.05, 1.1, 1.12, 1.15)}
    assert dist[0.88] == pytest.approx(2e-6, rel=0.1)
    assert min(dist, key=dist.get) == 0.88


@claim("5c0a0006", "$\\eta = 1.05$: the steep axis's factor is $-0.88$: the path zigzags across the valley, and after 25 steps is $0.03$ from the minimum, all of it along the steep axis")
def test_a_zigzag_that_shrinks():
    vals, coords = bowl_after(1.05)
    assert 1 - 1.05 * vals[1] == pytest.approx(-0.88, abs=0.005)
    assert np.all(np.sign(coords[1:, 1]) != np.sign(coords[:-1, 1])) and np.all(np.diff(np.abs(coords[:, 1])) < 0)
    assert np.hypot(*coords[-1]) == pytest.approx(0.03, abs=0.005)
    assert abs(coords[-1, 0]) < 1e-5 * abs(coords[-1, 1])


@claim("5c0a0006", "the path zigzags across the valley and that distance barely shrinks ($0.32$ after 25 steps)")
@claim("5c0a0006", "now the steep axis is the slow one")
def test_just_below_the_limit_the_steep_axis_zigzags_and_is_slow():
    vals, coords = bowl_after(1.1)
    assert 1 - 1.1 * vals[1] == pytest.approx(-0.97, abs=0.005)
    steep = coords[:, 1]
    assert np.all(np.sign(steep[1:]) != np.sign(steep[:-1]))            # across the valley every step
    assert abs(steep[-1]) == pytest.approx(0.32, abs=0.005)
    assert abs(steep[-1]) > 1e3 * abs(coords[-1, 0])


@claim("5c0a0006", "just above $2/\\lambda_{\\max} = 1.116$: the factor is $-1.01$, the zigzag grows a little at every step")
@claim("5c0a0006", "at $1.15$ ($-1.06$) it grows fast")
def test_just_above_the_limit_the_steep_axis_grows():
    vals, coords = bowl_after(1.12)
    assert 2 / vals[1] == pytest.approx(1.116, abs=0.0005) and 1 - 1.12 * vals[1] == pytest.approx(-1.01, abs=0.005)
    assert np.all(np.diff(np.abs(coords[:, 1])) > 0)
    vals, fast = bowl_after(1.15)
    assert 1 - 1.15 * vals[1] == pytest.approx(-1.06, abs=0.005)
    assert abs(fast[-1, 1]) > 3 * abs(coords[-1, 1]) and abs(fast[-1, 1]) > abs(fast[0, 1])


# ---- the Hessian at the start ------------------------------------------------------------------
@claim("ec8a52c3", "learning rates above about $0.79$ overshoot along the steepest direction")
@claim("ec8a52c3", "mostly the output bias `b2[0]` (72% of it) and `b1[1]` (18%)")
@claim("ec8a52c3", "six curvatures are negative")
def test_the_start_point_prediction():
    params, X, y, loss = problems.descent_problem()
    assert start_edge() == pytest.approx(0.79, abs=0.005)
    vals, vecs = np.linalg.eigh(curvature.hessian(params, X, y, loss=loss))
    share = vecs[:, -1] ** 2
    names = network.flat_names()
    top = np.argsort(-share)
    assert names[top[0]] == "b2[0]" and round(share[top[0]], 2) == 0.72
    assert names[top[1]] == "b1[1]" and round(share[top[1]], 2) == 0.18
    assert np.sum(vals < -1e-6) == 6


@claim("5c0a0007", "does $\\lambda_{\\max}$ stay at its starting value $2.54$?")
def test_lambda_max_at_the_start():
    assert report(0.3).start == pytest.approx(2.54, abs=0.005)


# ---- the curvature moves -------------------------------------------------------------------------
@claim("5c0a0009", "$\\lambda_{\\max}$ moves in every run but the slowest")
@claim("5c0a0009", "(With $\\eta = 0.001$ the weights hardly move, and neither does $\\lambda_{\\max}$.)")
def test_lambda_max_moves_except_in_the_slowest_run():
    slow = run(0.001).sharpness
    assert np.ptp(slow) < 0.03 * slow[0]
    for lr in (0.1, 0.3, 0.5, 0.6, 0.75):
        s = run(lr).sharpness
        assert np.ptp(s) > 0.25 * s[0], lr
    assert np.abs(run(0.001).params[-1] - run(0.001).params[0]).max() < 0.1      # of weights near 1


@claim("5c0a0009", "its loss goes up and down and ends at $0.398$, about as badly as $\\eta = 0.001$ ($0.407$)")
def test_just_below_the_prediction_ends_as_badly_as_a_tiny_learning_rate():
    assert run(0.75).loss[-1] == pytest.approx(0.398, abs=0.0005)
    assert run(0.001).loss[-1] == pytest.approx(0.407, abs=0.0005)
    assert ups(0.75) > 30 and 0.75 < start_edge()


@claim("5c0a0009", "with $\\eta = 0.3$ from $2.54$ to $4.08$, far below its limit $2/\\eta = 6.67$")
def test_progressive_sharpening_at_0_3():
    r = report(0.3)
    assert (round(r.start, 2), round(r.peak, 2), round(r.limit, 2)) == (2.54, 4.08, 6.67)
    assert r.first_above == -1 and ups(0.3) == 0


@claim("5c0a0009", "With $\\eta = 0.5$, $\\lambda_{\\max}$ grows until it reaches $2/\\eta = 4$ and stays there ($4.02$ over the last 30 steps) while the loss keeps falling")
def test_the_edge_of_stability_at_0_5():
    r = report(0.5)
    assert r.first_above > 0 and round(r.tail_mean, 2) == 4.02
    s = run(0.5).sharpness
    assert np.all(np.abs(s[r.first_above:] / 4.0 - 1) < 0.02)              # within 2% of 2/η from then on
    assert ups(0.5) == 0


@claim("5c0a0009", "With $\\eta = 0.6$ it climbs past $2/\\eta = 3.33$ to $4.60$")
@claim("5c0a0009", "the loss jumps up (to $0.73$ at step 60)")
@claim("5c0a0009", "falls back to about $2/\\eta$ ($3.28$ over the last 30 steps), and the loss comes back down to $0.104$")
@claim("5c0a0009", "the jump it causes carries the weights to a flatter place")
def test_a_spike_at_0_6():
    r, L, s = report(0.6), run(0.6).loss, run(0.6).sharpness
    assert round(r.peak, 2) == 4.60 and r.peak > r.limit
    k = 10 + int(np.argmax(L[10:]))
    assert k == 60 and round(L[k], 2) == 0.73
    assert round(r.tail_mean, 2) == 3.28 and abs(r.tail_mean / r.limit - 1) < 0.03
    assert round(L[-1], 3) == 0.104
    assert r.peak_step < k and s[-30:].max() < 0.8 * r.peak


@claim("5c0a0009", "first passes $2/\\eta = 2.67$ at step 11 and then hovers around $3.0$, above $2/\\eta$ in 81 of the 101 steps")
@claim("5c0a0009", "the loss rises in 41 of the 100 steps")
def test_the_edge_of_stability_at_0_75():
    r, s = report(0.75), run(0.75).sharpness
    assert r.first_above == 11 and round(r.tail_mean, 1) == 3.0
    assert int(np.sum(s >= r.limit)) == 81 and len(s) == 101
    assert ups(0.75) == 41


@claim("5c0a0009", "($4.04$, $4.02$, $3.28$ and $3.02$ over the last 30 steps for $\\eta = 0.3$, $0.5$, $0.6$ and $0.75$)")
def test_the_curvature_reached_depends_on_the_learning_rate():
    assert [round(report(lr).tail_mean, 2) for lr in (0.3, 0.5, 0.6, 0.75)] == [4.04, 4.02, 3.28, 3.02]


# ---- the explorer ------------------------------------------------------------------------------
@claim("e108866e", "after 100 steps the loss has only fallen from $0.505$ to $0.239$ (**slow**); $\\lambda_{\\max}$ stays near $2.5$")
def test_a_slow_learning_rate():
    L, s = run(0.01).loss, run(0.01).sharpness
    assert (round(L[0], 3), round(L[-1], 3)) == (0.505, 0.239)
    assert np.all(np.abs(s - 2.5) < 0.1)


@claim("e108866e", "the loss falls smoothly to about $0.11$ (**fast**); watch $\\lambda_{\\max}$ rise")
def test_learning_rates_from_0_2_to_0_5_are_smooth_and_fast():
    for lr in np.round(np.arange(0.2, 0.501, 0.01), 2):
        assert ups(lr) == 0, lr
        assert 0.10 < run(lr).loss[-1] < 0.12, lr
        r = report(lr)
        assert r.peak > 1.2 * r.start, lr


@claim("e108866e", "$\\eta = 0.6$: the best of these runs ($0.104$), although a spike of the loss comes on the way")
def test_0_6_is_the_best_of_the_listed_runs():
    finals = {lr: run(lr).loss[-1] for lr in (0.01, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8)}
    assert min(finals, key=finals.get) == 0.6 and round(finals[0.6], 3) == 0.104
    assert run(0.6).loss.max() > 0.7


@claim("e108866e", "the loss zigzags and the path jumps back and forth across the valley of `b2[0]` (**oscillating**), at the edge of stability")
def test_0_75_and_0_8_oscillate_at_the_edge():
    for lr in (0.75, 0.8):
        b2 = np.diff(run(lr).weights(["b2[0]"])[:, 0])
        assert np.all(np.sign(b2[1:]) != np.sign(b2[:-1])), lr
        assert ups(lr) >= 40 and run(lr).reason is None
        r = report(lr)
        assert 1.0 < r.tail_mean / r.limit < 1.2, lr


@claim("e108866e", "$\\eta = 0.83$, $0.85$, $0.9$: the status line says at which step training **diverged**")
def test_these_diverge():
    for lr in (0.83, 0.85, 0.9):
        assert run(lr).reason is not None and "diverged at step" in run(lr).reason


@claim("e108866e", "$\\eta = 0.5$ ends lowest ($0.105$; $0.75$ ends at $0.398$). $\\eta = 0.85$ diverges, at step 67")
@claim("e108866e", "$\\lambda_{\\max}$ spends most of the run above $2/\\eta = 2.35$, and in the last steps it shoots up (to $8.0$)")
def test_the_answer_to_the_explorer_prompt():
    assert round(run(0.5).loss[-1], 3) == 0.105 and round(run(0.75).loss[-1], 3) == 0.398
    assert "diverged at step 67" in run(0.85).reason
    s = run(0.85).sharpness
    assert np.sum(s >= 2 / 0.85) > 0.8 * len(s)
    assert round(s[-1], 1) == 8.0 and s[-1] > 2 * np.median(s)


# ---- the sweep ---------------------------------------------------------------------------------
@claim("2b1721c1", "the best learning rate of the sweep is $0.515$, about two thirds of the start-point prediction")
@claim("2b1721c1", "During those runs $\\lambda_{\\max}$ grows to about 4, and $2/4 = 0.5$")
def test_the_best_of_the_sweep():
    final, _ = sweep()
    best = SWEEP[np.nanargmin(final)]
    assert round(best, 3) == 0.515 and 0.6 < best / start_edge() < 0.7
    assert round(report(best).peak, 1) in (4.0, 4.1)


@claim("2b1721c1", "On the left the loss improves slowly as the learning rate grows")
@claim("2b1721c1", "Between there and the dashed line the runs survive but end worse")
@claim("2b1721c1", "(the run at $0.76$ ends at $0.47$)")
def test_the_shape_of_the_sweep():
    final, diverged = sweep()
    i = int(np.nanargmin(final))
    assert np.all(np.diff(final[:i + 1]) < 0)
    between = (SWEEP > SWEEP[i]) & (SWEEP < start_edge())
    assert between.sum() == 2 and np.all(diverged[between] < 0) and np.all(final[between] > 1.2 * final[i])
    assert round(SWEEP[between][-1], 2) == 0.76 and round(final[between][-1], 2) == 0.47


@claim("2b1721c1", "The first run of the sweep that diverged is at $0.925$, because the grid jumps from $0.761$ to $0.925$")
@claim("2b1721c1", "the finer scan finds the first divergence within 100 steps at $0.825$, a little above the start-point prediction $0.79$")
def test_where_divergence_begins():
    final, diverged = sweep()
    first = int(np.flatnonzero(diverged >= 0)[0])
    assert round(SWEEP[first], 3) == 0.925 and round(SWEEP[first - 1], 3) == 0.761
    params, X, y, loss = problems.descent_problem()
    fine = np.round(np.arange(0.70, 0.90, 0.005), 3)
    assert experiments.first_diverging(params, X, y, fine, 100, loss) == 0.825
    assert 1.0 < 0.825 / start_edge() < 1.06


# ---- cross-entropy -----------------------------------------------------------------------------
@claim("f83443ea", "the best cross-entropy results sit just **past** the start-point prediction $6.49$: $0.298$ at $\\eta = 6.51$ and $0.301$ at $\\eta = 7.91$, better than every learning rate below it")
def test_cross_entropy_is_best_just_past_the_prediction():
    final, _ = sweep("bce")
    edge = start_edge("bce")
    assert round(edge, 2) == 6.49
    order = np.argsort(np.where(np.isnan(final), np.inf, final))
    assert [round(SWEEP[i], 2) for i in order[:2]] == [6.51, 7.91]
    assert [round(final[i], 3) for i in order[:2]] == [0.298, 0.301]
    assert final[order[1]] < np.nanmin(final[SWEEP < edge])


@claim("f83443ea", "at $6.51$: $0.309$ over the last 30 steps, $2/\\eta = 0.307$")
def test_cross_entropy_at_the_edge_of_stability():
    lr = float(np.round(SWEEP[np.argmin(np.abs(SWEEP - 6.51))], 2))
    r = report(lr, "bce")
    assert (round(r.tail_mean, 3), round(r.limit, 3)) == (0.309, 0.307)
    assert r.peak > 1.5 * r.limit                     # it went above 2/η and came back


@claim("f83443ea", "From about $\\eta = 12$ on, the results turn erratic: the loss after 100 steps jumps up and down from one learning rate to the next (between $0.45$ and $32$)")
def test_cross_entropy_turns_erratic_from_about_12():
    final, _ = sweep("bce")
    calm = final[(SWEEP > 1) & (SWEEP < 10)]
    assert np.all((calm > 0.29) & (calm < 0.34))
    wild = final[(SWEEP > 11) & ~np.isnan(final)]
    turns = np.sum(np.sign(np.diff(wild))[1:] != np.sign(np.diff(wild))[:-1])
    assert turns >= 6
    assert round(wild.min(), 2) == 0.45 and round(wild.max()) == 32 and wild.max() > 20 * np.nanmin(final)


@claim("f83443ea", "Two runs ($\\eta = 82$ and $100$) count as diverged")
@claim("f83443ea", "the loss of always giving the same answer ($0.686$ here)")
def test_two_cross_entropy_runs_diverge():
    _, diverged = sweep("bce")
    assert [round(v) for v in SWEEP[diverged >= 0]] == [82, 100]
    reason = run(float(SWEEP[-2]), "bce").reason
    assert "the 0.686 of always giving the same answer" in reason


# ---- exercise and summary ----------------------------------------------------------------------
@claim("d5737954", "the start-point prediction alone will not tell you")
def test_just_below_the_prediction_fails_the_challenge():
    assert not exercises.learning_rate.check(0.75).passed and 0.75 < start_edge()
    assert exercises.learning_rate.check(0.5).passed


@claim("b9cc78b1", "($0.79$ here)")
@claim("b9cc78b1", "Here the best learning rates ($0.5$ to $0.6$) sit well below the prediction; runs begin to diverge within 100 steps at $0.825$")
def test_the_summary():
    params, X, y, loss = problems.descent_problem()
    grid = np.round(np.arange(0.01, 0.831, 0.01), 2)
    final, _ = experiments.lr_sweep(params, X, y, grid, 100, loss)
    best = grid[np.argsort(np.where(np.isnan(final), np.inf, final))[:5]]
    assert np.all((best >= 0.5) & (best <= 0.6))
    assert round(start_edge(), 2) == 0.79
    assert experiments.first_diverging(params, X, y, np.round(np.arange(0.005, 0.9, 0.005), 3), 100, loss) == 0.825


@claim("b9cc78b1", "With cross-entropy the best results of this sweep sit just past the start-point prediction ($6.49$), at the edge of stability; from about $12$ on, the results turn erratic")
def test_the_summary_on_cross_entropy():
    final, _ = sweep("bce")
    best = SWEEP[np.nanargmin(final)]
    assert 1.0 < best / start_edge("bce") < 1.25
    r = report(float(np.round(best, 2)), "bce")
    assert abs(r.tail_mean / r.limit - 1) < 0.05
    assert np.nanmax(final[(SWEEP > 11) & (SWEEP < 20)]) > 3 * np.nanmin(final)
