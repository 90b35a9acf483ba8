"""The experiments the notebooks run, each against an independent computation: a population
against networks trained one at a time, backprop signals against weight gradients, loops
against vectorised maths."""
import numpy as np
import pytest

import weightlab as wl
from weightlab import curvature, datasets, experiments, network, problems, training
from weightlab.training import Trainer

XOR = datasets.make("xor", n=60, noise=0.1, seed=0)


# ---- notebook 05: learning rates ---------------------------------------------------------------
def test_sweep_matches_single_runs_and_marks_divergence():
    params, X, y, loss = problems.descent_problem()
    lrs = np.array([0.01, 0.3, 0.7, 2.0, 50.0])
    final, diverged = experiments.lr_sweep(params, X, y, lrs, steps=60, loss=loss)
    for lr, f, d in zip(lrs, final, diverged):
        p, h = training.train(params, X, y, steps=60, lr=lr, loss=loss)
        if h.reason is None:
            assert d == -1
            z, _ = network.forward(p, X)
            assert f == pytest.approx(np.mean((z[:, 0] - y) ** 2), rel=1e-10)
        else:
            assert d == h.diverged_step[0] and np.isnan(f)
    assert np.isnan(final[-1]) and not np.isnan(final[1])


def test_the_edge_of_stability_separates_converging_from_diverging_runs():
    params, X, y, loss = problems.descent_problem()
    edge = curvature.edge_of_stability(params, X, y, loss=loss)
    assert 0.7 < edge < 0.9
    final, diverged = experiments.lr_sweep(params, X, y, np.logspace(-3, 2, 60), steps=100, loss=loss)
    lrs = np.logspace(-3, 2, 60)
    assert np.all(diverged[lrs < 0.95 * edge] == -1)
    assert np.all(diverged[lrs > 1.2 * edge] >= 0)


def test_a_trajectory_holds_every_step_and_the_end():
    params, X, y, loss = problems.descent_problem()
    run = experiments.Trajectory(params, X, y, 0.3, 40, loss)
    final, h = training.train(params, X, y, steps=40, lr=0.3, loss=loss)
    assert run.params.shape == (41, 13) and run.reason is None
    np.testing.assert_array_equal(run.params[:40], h.params)
    np.testing.assert_array_equal(run.params[40], network.flatten(final))
    np.testing.assert_array_equal(run.loss[:40], h.loss)
    z, _ = network.forward(final, X)
    assert run.loss[40] == pytest.approx(np.mean((z[:, 0] - y) ** 2), rel=1e-12)
    np.testing.assert_array_equal(run.weights(["b2[0]", "W1[0,0]"]), run.params[:, [12, 0]])
    stopped = experiments.Trajectory(params, X, y, 100.0, 40, loss)
    assert stopped.reason is not None and len(stopped.loss) < 41
    assert list(stopped.steps) == list(range(len(stopped.loss)))


def test_a_sharpness_run_measures_lambda_max_at_every_step():
    params, X, y, loss = problems.descent_problem()
    run = experiments.sharpness_run(params, X, y, 0.3, 20, loss)
    assert run.sharpness.shape == (21,)
    for t in (0, 20):
        assert run.sharpness[t] == pytest.approx(
            curvature.sharpness(network.unflatten(run.params[t]), X, y, loss=loss), rel=1e-7)


def test_first_diverging_is_the_smallest_learning_rate_whose_run_stops():
    params, X, y, loss = problems.descent_problem()
    lrs = [2.0, 0.5, 0.9, 0.8]
    stops = {lr: training.train(params, X, y, steps=100, lr=lr, loss=loss)[1].reason is not None for lr in lrs}
    assert experiments.first_diverging(params, X, y, lrs, 100, loss) == min(lr for lr in lrs if stops[lr])
    assert experiments.first_diverging(params, X, y, [0.1, 0.2], 100, loss) is None


# ---- notebook 07: symmetry, signals through the layers, seeds ------------------------------------
def test_unit_gaps_against_a_loop():
    p = wl.init_params((2, 4, 1), seed=3)
    gaps = experiments.unit_gaps(p)
    expected = []
    for i in range(4):
        for j in range(i + 1, 4):
            d = [abs(p["W1"][r, i] - p["W1"][r, j]) for r in range(2)]
            d += [abs(p["b1"][i] - p["b1"][j]), abs(p["W2"][i, 0] - p["W2"][j, 0])]
            expected.append(max(d))
    assert np.allclose(gaps, expected, rtol=0, atol=0)
    pop = wl.init_params((2, 4, 1), seed=3, population=2)
    assert np.array_equal(experiments.unit_gaps(pop)[0], gaps)


def test_nudge_one_and_every():
    p = wl.init_params(init="zeros")
    one = experiments.nudge(p, 1e-3, "one")
    assert one["W1"][0, 0] == 1e-3 and np.count_nonzero(network.flatten(one)) == 1
    every = experiments.nudge(p, 1e-3, "every")
    assert np.count_nonzero(every["W1"]) == 6 and np.count_nonzero(every["W2"]) == 3
    assert not every["b1"].any() and not p["W1"].any()          # biases untouched, input not changed
    with pytest.raises(ValueError, match="pattern"):
        experiments.nudge(p, 1.0, "some")


@pytest.mark.parametrize("start", list(experiments.SYMMETRY_STARTS))
def test_without_a_nudge_the_hidden_units_stay_identical_at_every_step(start):
    h = experiments.symmetry_runs(start, "every", [0.0, 1e-3], *XOR, steps=300)
    P = h.params                                                   # (T, 2, 13)
    gaps = experiments.unit_gaps(network.unflatten(P, (2, 3, 1)))          # (T, 2, 3)
    assert not gaps[:, 0].any()                                    # ε = 0: exactly identical
    assert gaps[-1, 1].min() > 1e-3                                # ε = 1e-3: they separate (grow)


def test_from_zeros_only_the_output_bias_learns():
    h = experiments.symmetry_runs("zeros", "one", [0.0], *XOR, steps=100)
    names = network.flat_names()
    moved = np.abs(h.params[-1, 0] - h.params[0, 0]) > 0
    assert [n for n, m in zip(names, moved) if m] == ["b2[0]"]


def test_one_nudge_leaves_two_twins():
    h = experiments.symmetry_runs("constant 0.5", "one", [1e-2], *XOR, steps=200)
    gaps = experiments.unit_gaps(network.unflatten(h.params[:, 0], (2, 3, 1)))
    assert not gaps[:, 2].any() and gaps[-1, 0] > 0                # units 1 and 2 twins, unit 0 apart


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_layer_signals_give_backprop_weight_gradients(activation, loss):
    X, y = datasets.make("moons", n=30, noise=0.1, seed=1)
    p = wl.init_params((2, 5, 4, 1), "he_normal", seed=2)
    acts, deltas = experiments.layer_signals(p, X, y, activation, loss)
    z, cache = network.forward(p, X, activation)
    from weightlab import losses
    grads = network.backward(p, cache, losses.get(loss)[1](z, y))
    inputs = [X] + acts
    for l, d in enumerate(deltas, start=1):
        assert np.allclose(inputs[l - 1].T @ d / len(X), grads[f"W{l}"], rtol=1e-12, atol=1e-15)
    assert [a.shape for a in acts] == [(30, 5), (30, 4)]


def test_layer_signals_on_a_population_match_each_member():
    X, y = datasets.make("moons", n=20, noise=0.1, seed=1)
    pop = wl.init_params((2, 4, 4, 1), seed=0, population=3)
    acts, deltas = experiments.layer_signals(pop, X, y)
    a1, d1 = experiments.layer_signals(network.member(pop, 1), X, y)
    assert np.allclose(acts[1][1], a1[1]) and np.allclose(deltas[0][1], d1[0])


def test_layer_stds_and_per_layer_factor():
    values = [np.full((3, 2), 1.0) * [1, -1], np.array([0.0, 4.0])]
    assert np.allclose(experiments.layer_stds(values), [1.0, 2.0])
    assert experiments.per_layer_factor([1.0, 0.5, 0.25, 0.125]) == pytest.approx(0.5)
    assert np.isnan(experiments.per_layer_factor([0.0, 1.0]))


@pytest.mark.parametrize("init,activation,lo,hi", [
    ("xavier_normal", "tanh", 0.85, 1.15),
    ("he_normal", "relu", 0.85, 1.15),
    ("xavier_normal", "identity", 0.85, 1.15),
    ("xavier_normal", "relu", 0.6, 0.8),        # ReLU halves the second moment: about 1/sqrt(2) per layer
    ("normal", "relu", 4.0, 6.0),               # sigma = 1, fan_in 50: about sqrt(50 / 2) = 5 per layer
])
def test_deep_stack_growth_per_layer(init, activation, lo, hi):
    acts, deltas = experiments.deep_stack_signals(init, activation, 1.0, seed=0)
    assert len(acts) == 10 and acts[0].shape == (500, 50)
    assert lo < experiments.per_layer_factor(experiments.layer_stds(acts)) < hi
    assert lo < experiments.per_layer_factor(experiments.layer_stds(deltas)[::-1]) < hi


def test_seed_runs_member_k_is_the_network_of_seed_k():
    X, y = datasets.make("moons", n=40, noise=0.15, seed=0)
    params, h = experiments.seed_runs("xavier_normal", 1.0, X, y, seeds=4, steps=30)
    single = wl.init_params((2, 8, 8, 1), "xavier_normal", 1.0, seed=2)
    assert all(np.array_equal(params[k][2], single[k]) for k in single)
    _, hs = wl.train(single, X, y, steps=30, lr=0.5, record_every=5)
    assert np.allclose(h.loss[:, 2], hs.loss, rtol=1e-12)


def test_saturated_shares_count_slopes_below_five_percent_of_the_peak():
    z = np.linspace(-6, 6, 1201)[None, :]
    tanh_share = experiments.saturated_shares([np.tanh(z)], "tanh")[0]
    assert tanh_share == pytest.approx(np.mean(1 - np.tanh(z) ** 2 < 0.05))
    assert tanh_share == pytest.approx(np.mean(np.abs(z) > np.arctanh(np.sqrt(0.95))), abs=2e-3)
    s = 1 / (1 + np.exp(-z))
    assert experiments.saturated_shares([s], "sigmoid")[0] == pytest.approx(np.mean(s * (1 - s) < 0.05 * 0.25))
    assert not experiments.saturated_shares([np.maximum(z, 0)], "relu").any()     # off is not saturated


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
def test_rms_slopes_against_the_derivative_at_z(activation):
    from weightlab import activations
    p = wl.init_params((2, 6, 5, 1), "he_normal", 2.0, seed=4)
    X = np.random.default_rng(0).standard_normal((50, 2))
    _, cache = network.forward(p, X, activation)
    grad = activations.info(activation).grad
    expected = [np.sqrt(np.mean(grad(z) ** 2)) for z in cache["z"][:-1]]
    assert np.allclose(experiments.rms_slopes(cache["a"][1:], activation), expected, rtol=1e-12)


@pytest.mark.parametrize("init", ["normal", "uniform", "xavier_normal", "he_uniform"])
def test_weight_gain_against_drawn_weights(init):
    sizes = (2, 300, 300, 300, 1)
    p = wl.init_params(sizes, init, 1.5, seed=1)
    drawn = np.sqrt([300 * p[f"W{l}"].var() for l in (2, 3)])
    assert experiments.weight_gain(init, 1.5, sizes) == pytest.approx(np.exp(np.mean(np.log(drawn))), rel=0.02)
    with pytest.raises(ValueError, match="sizes"):
        experiments.weight_gain(init, 1.0, (2, 5, 1))


def test_deep_stack_backward_factor_matches_its_prediction():
    """Var dz_l = n_out Var W E[f'(z)^2] Var dz_(l+1), checked against the measured stack: within 20%, or 50% where
    over 90% of a layer's slopes are saturated (slope and weights are then far from independent)."""
    import math
    for activation in ("tanh", "sigmoid", "relu", "identity"):
        for init in ("normal", "xavier_normal", "he_uniform", "uniform"):
            for scale in (0.1, 1.0, 10.0):
                d = experiments.DeepStack(init, activation, scale, n=300)
                limit = 1.2 if d.saturated.max() < 0.9 else 1.5
                assert abs(math.log(d.predicted_backward / d.backward)) < math.log(limit), (activation, init, scale)
    d = experiments.DeepStack("xavier_normal", "tanh", 1.0)
    assert len(d.acts) == 10 and d.acts[0].shape == (500, 50) and d.over_stack(2.0) == 2.0 ** 9
    assert d.zeros == 0 and experiments.DeepStack("he_normal", "relu").zeros == pytest.approx(0.5, abs=0.02)


# ---- notebook 08: widths --------------------------------------------------------------------------
def test_embed_keeps_the_function_and_rejects_a_smaller_width():
    X = problems.noisy_data(0.1).X
    p = wl.init_params((2, 5, 1), seed=4)
    big = experiments.embed(p, 64)
    assert np.allclose(network.predict(big, X), network.predict(p, X), rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="width"):
        experiments.embed(p, 3)


def test_each_width_in_the_population_trains_exactly_as_alone():
    d = problems.noisy_data(0.3)
    widths = (1, 4, 16, 32, 64)
    h = experiments.width_runs(d, widths, steps=120, lr=0.5, momentum=0.9, record_every=10)
    assert list(h.steps) == list(range(0, 121, 10))           # the last record: the weights after 120 steps
    for k, w in enumerate(widths):
        alone = wl.Trainer(wl.init_params((2, w, 1), seed=0), d.X, d.y, lr=0.5, momentum=0.9, X_val=d.X_val,
                           y_val=d.y_val, record_every=10)
        alone.step(120)
        assert np.allclose(h.loss[:-1, k], alone.history.loss, rtol=1e-10, atol=1e-12)
        assert np.allclose(h.val_loss[:-1, k], alone.history.val_loss, rtol=1e-10, atol=1e-12)
        assert np.allclose(h.loss[-1, k], alone.evaluate(), rtol=1e-10, atol=1e-12)
        assert np.allclose(network.flatten(h.params(len(h) - 1, k)), network.flatten(alone.current),
                           rtol=1e-10, atol=1e-12)
        theta = h._params[k][-1]                                   # embedded in its group's width
        P = network.unflatten(theta, (2, (len(theta) - 1) // 4, 1))
        assert not P["W1"][:, w:].any() and not P["W2"][w:].any()   # the unused units stayed exactly 0


def test_width_groups_cover_every_width_once():
    groups = experiments.width_groups(experiments.WIDTHS)
    assert sorted(w for g in groups for w in g) == sorted(experiments.WIDTHS)
    assert groups[0] == [1, 2, 4, 8]


def test_best_step_is_the_step_of_the_smallest_validation_loss():
    steps = np.arange(0, 100, 10)
    val = np.array([0.7, 0.5, 0.4, 0.35, 0.36, 0.4, 0.5, 0.6, 0.7, 0.8])
    assert experiments.best_step(steps, val) == 30


def test_wide_networks_overfit_noisy_data_and_not_clean_data():
    noisy = experiments.width_runs(problems.noisy_data(0.3), (64,))
    clean = experiments.width_runs(problems.noisy_data(0.0), (64,))
    b = int(np.argmin(noisy.val_loss[:, 0]))
    assert noisy.val_loss[-1, 0] > 1.5 * noisy.val_loss[b, 0] and noisy.loss[-1, 0] < noisy.loss[b, 0]
    assert clean.val_loss[-1, 0] < 0.1


def test_loss_on_is_the_mean_cross_entropy_of_the_probabilities():
    d = problems.noisy_data(0.3)
    p = wl.init_params((2, 4, 1), seed=2)
    prob = wl.predict(p, d.X_test)
    by_hand = -np.mean(d.y_test * np.log(prob) + (1 - d.y_test) * np.log(1 - prob))
    assert experiments.loss_on(p, d.X_test, d.y_test) == pytest.approx(by_hand, rel=1e-12)
    pop = network.stack([p, wl.init_params((2, 4, 1), seed=3)])
    assert experiments.loss_on(pop, d.X_test, d.y_test)[0] == pytest.approx(by_hand, rel=1e-12)


def test_stopping_is_chosen_on_validation_and_reported_on_test():
    d = problems.noisy_data(0.3)
    r = experiments.width_runs(d, (8, 32), steps=200)
    for k in range(2):
        step, val, test = experiments.stopped_on_validation(r, k, d)
        t = int(np.argmin(r.val_loss[:, k]))
        assert step == r.steps[t] and val == r.val_loss[t, k]
        assert test == pytest.approx(experiments.loss_on(r.params(t, k), d.X_test, d.y_test))


def test_learning_curves_are_width_runs_per_size():
    lc = experiments.learning_curves(0.2, sizes=(8, 64), widths=(1, 16), steps=60)
    for i, n in enumerate((8, 64)):
        alone = experiments.width_runs(problems.noisy_data(0.2, n), (1, 16), steps=60)
        np.testing.assert_array_equal(lc.final_loss[i], alone.loss[-1])
        np.testing.assert_array_equal(lc.final_val[i], alone.val_loss[-1])
        assert len(lc.data[n].X) == n
    np.testing.assert_allclose(lc.ratio, [[5 / 8, 65 / 8], [5 / 64, 65 / 64]])


def test_sample_average_is_the_mean_over_data_seeds():
    train, val = experiments.sample_average(0.3, seeds=(0, 5), sizes=(16,), widths=(2,), steps=40)
    runs = [experiments.width_runs(problems.noisy_data(0.3, 16, seed=s), (2,), steps=40) for s in (0, 5)]
    assert train[0, 0] == pytest.approx(np.mean([r.loss[-1, 0] for r in runs]), rel=1e-12)
    assert val[0, 0] == pytest.approx(np.mean([r.val_loss[-1, 0] for r in runs]), rel=1e-12)


# ---- notebook 10: a run to monitor ----------------------------------------------------------------
def test_run_is_a_plain_trainer_with_l2_only_when_lam_is_positive():
    for lam, penalty in ((0.0, "none"), (0.01, "l2")):
        tr, (X, y) = experiments.run(lr=0.5, activation="relu", scale=2.0, lam=lam, steps=30, sizes=(2, 4, 1))
        X0, y0 = datasets.make("moons", 120, 0.15, 0)
        np.testing.assert_array_equal(X, X0)
        alone = Trainer(network.init_params((2, 4, 1), init="xavier_normal", scale=2.0, seed=0), X0, y0, lr=0.5,
                        activation="relu", penalty=penalty, lam=lam)
        alone.step(30)
        assert tr.penalty == penalty and tr.t == 30
        for k, v in alone.current.items():
            np.testing.assert_array_equal(tr.current[k], v)


# ---- notebook 09: penalty strengths ----------------------------------------------------------------
def test_sweep_members_are_the_single_networks():
    """Member k of the population is exactly a single network trained with lams[k]."""
    lams = experiments.strength_grid(4)
    tr = experiments.sweep("l1", lams, steps=200)
    d = problems.noisy_moons()
    for k in (0, 2, 4):
        one = Trainer(network.init_params((2, 16, 1), seed=0), d.X, d.y, lr=0.5, penalty="l1", lam=lams[k],
                      X_val=d.X_val, y_val=d.y_val)
        one.step(201)
        np.testing.assert_allclose(tr.history.val_loss[:, k], one.history.val_loss[::25], rtol=1e-10)
        np.testing.assert_allclose(network.flatten(network.member(tr.params, k)),
                                   network.flatten(one.current), rtol=1e-10, atol=1e-13)


def test_chosen_strength_is_chosen_on_validation_and_reported_on_test():
    lams = experiments.strength_grid(3)
    d = problems.noisy_moons()
    tr = experiments.sweep("l2", lams, steps=100)
    lam, val, test = experiments.chosen_strength(tr, lams, d)
    i = int(np.argmin(tr.history.val_loss[-1]))
    assert lam == lams[i] and val == tr.history.val_loss[-1][i]
    alone = Trainer(network.init_params((2, 16, 1), seed=0), d.X, d.y, lr=0.5, penalty="l2", lam=lam)
    alone.step(100)                                   # the last record: the weights after 100 steps
    assert test == pytest.approx(float(alone.evaluate(d.X_test, d.y_test)), rel=1e-10)
    diverged = experiments.sweep("l2", lams, lr=1e6, steps=5)
    lam, val, test = experiments.chosen_strength(diverged, lams, d)
    assert lam is None and np.isnan(val) and np.isnan(test)


def test_best_strength_skips_diverged_members():
    lams = np.array([0.0, 0.1, 1.0])
    assert experiments.best_strength(lams, [np.nan, 0.5, 0.4]) == (1.0, 2)
    assert experiments.best_strength(lams, [0.3, np.inf, 0.4]) == (0.0, 0)
    assert experiments.best_strength(lams, [np.nan, np.nan, np.nan]) == (None, None)


# ---- notebook 02: the best straight line ---------------------------------------------------------
def _best_over_directions(X, y, n_angles=7200):
    """An independent search: for many directions u, the best threshold on u·x (every split of the sorted points)."""
    best = 0
    for th in np.linspace(0, 2 * np.pi, n_angles, endpoint=False):
        s = X @ np.array([np.cos(th), np.sin(th)])
        ys = (y[np.argsort(s)] == 1)
        zeros_below = np.concatenate([[0], np.cumsum(~ys)])
        ones_above = ys.sum() - np.concatenate([[0], np.cumsum(ys)])
        best = max(best, int((zeros_below + ones_above).max()))
    return best / len(y)


@pytest.mark.parametrize("name,n", [("xor", 200), ("xor", 60), ("blobs", 100), ("moons", 80)])
def test_best_line_is_the_best_of_all_lines_and_reaches_its_score(name, n):
    from weightlab import datasets
    X, y = datasets.make(name, n, 0.1, 0)
    accuracy, w, b = experiments.best_line(X, y)
    assert experiments.line_accuracy(X, y, w, b) == accuracy          # the returned line scores it
    assert _best_over_directions(X, y) == pytest.approx(accuracy)     # and no direction does better


def test_best_line_on_separable_points_is_perfect_and_refuses_too_few_points():
    X = np.array([[0.0, 0.0], [1.0, 0.2], [0.1, 1.0], [2.0, 2.1], [2.5, 1.9], [1.8, 2.6]])
    y = np.array([0, 0, 0, 1, 1, 1])
    assert experiments.best_line(X, y)[0] == 1.0
    with pytest.raises(ValueError, match="at least 3"):
        experiments.best_line(X[:2], y[:2])
