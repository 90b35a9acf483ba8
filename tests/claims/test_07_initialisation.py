"""Claims of notebook 07 (initialisation), each recomputed with the package.

The seeds experiment is the explorer's (a 2-8-8-1 tanh net, 20 seeds, 150 steps at lr 0.5 on 40
points of the moons); the deep stack is ``experiments.DeepStack`` at its defaults (10 layers of 50,
500 inputs), which the explorer and the notebook's code cell both use.
"""
import inspect
import math
from functools import lru_cache

import numpy as np
import pytest
from register import claim

import weightlab as wl
from weightlab import datasets, experiments, initializers, network
from weightlab.explore import initialization as ini

NOTEBOOK = "07_initialisation.ipynb"
LOG2 = math.log(2)
SLIDER_HALF, SLIDER_TWO = 10 ** -0.3, 10 ** 0.3          # where the deep stack's slider reads 0.5 and 2


# ---- helpers -----------------------------------------------------------------------------------
def _xor():
    return datasets.make("xor", n=60, noise=0.1, seed=0)


@lru_cache(maxsize=None)
def _symmetry(start, pattern):
    """History of every ε of the symmetry explorer for this start and nudge, and the ε values."""
    eps = np.concatenate([[0.0], 10.0 ** ini.SymmetryExplorer.EXPONENTS])
    X, y = _xor()
    return experiments.symmetry_runs(start, pattern, eps, X, y, 600, 1.0), eps


def _gaps(h, k):
    return experiments.unit_gaps(network.unflatten(h.params[:, k], (2, 3, 1)))


def _first_apart(h, k, limit=0.01):
    apart = np.flatnonzero(_gaps(h, k).max(axis=1) > limit)
    return int(h.steps[apart[0]]) if apart.size else None


def _moons():
    return datasets.make("moons", n=40, noise=0.15, seed=0)


@lru_cache(maxsize=None)
def _seeds(init, scale):
    X, y = _moons()
    return experiments.seed_runs(init, scale, X, y, (2, 8, 8, 1), 20, 150, 0.5)


@lru_cache(maxsize=None)
def _stack(init, activation, scale=1.0):
    return experiments.DeepStack(init, activation, scale)


def test_the_claims_use_the_explorers_settings():
    seeds = inspect.signature(ini.InitialisationExplorer).parameters
    assert {k: seeds[k].default for k in ("sizes", "seeds", "steps", "lr", "n", "noise")} == \
        {"sizes": (2, 8, 8, 1), "seeds": 20, "steps": 150, "lr": 0.5, "n": 40, "noise": 0.15}
    deep = inspect.signature(ini.DeepStackExplorer).parameters
    stack = inspect.signature(experiments.DeepStack).parameters
    assert deep["n"].default == stack["n"].default == 500 and deep["seed"].default == stack["seed"].default
    sym = inspect.signature(ini.SymmetryExplorer).parameters
    assert (sym["steps"].default, sym["lr"].default, sym["n"].default, sym["noise"].default) == (600, 1.0, 60, 0.1)


# ---- where training starts ------------------------------------------------------------------------
@claim("0005ace0", "plain `\"uniform\"` with limit $s$ has variance $s^2/3$")
@claim("0005ace0", "the Xavier and He uniform rules pick $a$ to give the same variance as their normal twins")
def test_uniform_variances():
    rng = np.random.default_rng(5)
    for s in (0.5, 1.0, 3.0):
        assert initializers.uniform(rng, 400, 600, s).var() == pytest.approx(s * s / 3, rel=0.02)
        assert initializers.normal(rng, 400, 600, s).var() == pytest.approx(3 * s * s / 3, rel=0.02)
    for twin in ("xavier", "he"):
        for fi, fo in ((400, 600), (50, 50), (8, 1)):
            u = initializers.INITIALIZERS[f"{twin}_uniform"](rng, fi, fo, 1.0)
            n = initializers.INITIALIZERS[f"{twin}_normal"](rng, fi, fo, 1.0)
            expected = initializers.VARIANCE[f"{twin}_normal"](fi, fo, 1.0)
            if fi * fo >= 100_000:                      # enough draws for a 2% check
                assert u.var() == pytest.approx(expected, rel=0.02) and n.var() == pytest.approx(expected, rel=0.02)
            a = math.sqrt(6 / (fi + fo)) if twin == "xavier" else math.sqrt(6 / fi)
            assert np.abs(u).max() <= a and a * a / 3 == pytest.approx(expected)


# ---- symmetry ----------------------------------------------------------------------------------
@claim("b6a2e6b4", "every hidden weight is still exactly 0. The loss, 0.679")
@claim("b6a2e6b4", "the hidden weights did not move at all")
@claim("ca1dcf72", "From all zeros a tanh network's hidden weights do not even move")
def test_from_zeros_nothing_hidden_moves():
    X, y = _xor()
    final, history = wl.train(wl.init_params(init="zeros"), X, y, steps=600, lr=1.0)
    for k in ("W1", "b1", "W2"):
        assert not final[k].any(), k
    assert round(float(history.loss[-1]), 3) == 0.679 and history.loss[-1] < LOG2
    moved = [n for n, a, b in zip(history.param_names, history.params[0], history.params[-1]) if a != b]
    assert moved == ["b2[0]"]


@claim("6465ff0a", "$h_1$ came alive, but $h_2$ and $h_3$ are still equal (both still 0)")
def test_one_nudge_frees_unit_0_only():
    X, y = _xor()
    p = wl.init_params(init="zeros")
    p["W1"][0, 0] = 1e-4
    final, _ = wl.train(p, X, y, steps=600, lr=1.0)
    assert np.abs(final["W1"][:, 0]).min() > 1 and abs(final["W2"][0, 0]) > 1
    assert not final["W1"][:, 1:].any() and not final["b1"][1:].any() and not final["W2"][1:].any()


@claim("ec1baf1f", "the units are more than 0.01 apart from step 60 with $\\varepsilon = 10^{-4}$, and from step 192 "
                   "with $\\varepsilon = 10^{-8}$: each factor of 10 in $\\varepsilon$ costs 32 to 34 steps (from $10^{-8}$ up to $10^{-3}$)")
@claim("ec1baf1f", "each factor of 10 in $\\varepsilon$ costs the same number of steps")
@claim("ca1dcf72", "a smaller one only delays the split")
def test_a_smaller_nudge_only_delays_the_split():
    h, eps = _symmetry("zeros", "every")
    first = [_first_apart(h, k) for k in range(len(eps))]                 # ε = 0, 1e-8, 1e-7, ..., 1e-1
    assert first[0] is None and None not in first[1:]                     # every ε > 0 separates
    assert first[list(eps).index(1e-4)] == 60 and first[list(eps).index(1e-8)] == 192
    delays = -np.diff(first[1:-2])                                        # 1e-8 -> 1e-7 -> ... -> 1e-3
    assert np.all((32 <= delays) & (delays <= 34)), delays                # a straight line on the log scale


@claim("ec1baf1f", "With $\\varepsilon = 0$ the gap is **exactly** 0 at every step, from zeros and from the constant 0.5")
def test_no_nudge_no_gap():
    for start in ("zeros", "constant 0.5"):
        for pattern in ("one", "every"):
            h, _ = _symmetry(start, pattern)
            assert not _gaps(h, 0).any()


@claim("ec1baf1f", "Nudge only `W1[0,0]` and $h_2$ and $h_3$ stay exact twins, whatever $\\varepsilon$")
@claim("ca1dcf72", "one nudged weight frees one unit and leaves the others twins")
def test_one_nudge_leaves_twins_at_every_eps():
    for start in ("zeros", "constant 0.5"):
        h, eps = _symmetry(start, "one")
        for k in range(1, len(eps)):
            g = _gaps(h, k)
            assert not g[:, 2].any() and g[-1, 0] > 0


@claim("ec1baf1f", "The loss stays between 0.494 and 0.495 for every $\\varepsilon$ up to $10^{-2}$")
@claim("ec1baf1f", "it ends between 0.19 and 0.29")
@claim("ec1baf1f", "a nudge grows only about 120-fold in 600 steps, so even $\\varepsilon = 10^{-4}$ leaves the units "
                   "about 0.01 apart")
def test_from_a_constant_the_units_move_in_lockstep():
    h, eps = _symmetry("constant 0.5", "every")
    upto = [k for k, e in enumerate(eps) if e <= 1e-2]
    assert all(0.4935 <= h.loss[-1, k] < 0.4955 for k in upto), h.loss[-1, upto]
    z, _ = _symmetry("zeros", "every")
    nudged = [k for k, e in enumerate(eps) if 0 < e <= 1e-2]
    assert all(0.185 <= z.loss[-1, k] <= 0.295 for k in nudged), z.loss[-1, nudged]
    growth = [_gaps(h, k)[-1].max() / eps[k] for k in range(1, len(eps)) if eps[k] <= 1e-4]
    assert all(100 < g < 140 for g in growth), growth
    assert _gaps(h, list(eps).index(1e-4))[-1].max() == pytest.approx(0.012, abs=0.002)


# ---- many seeds --------------------------------------------------------------------------------
def _saturated(params0, k):
    X, y = _moons()
    acts, _ = experiments.layer_signals(network.member(params0, k), X, y)
    return experiments.saturated_shares(acts, "tanh")


@claim("5e3d7a10", "At scale 0.01, none: all 20 seeds end at $\\log 2 \\approx 0.693$")
@claim("5e3d7a10", "At scale 10, all of them: none ends above 0.5, and their median loss, 0.059, is even lower than at "
                   "scale 1 (0.076), although seed 0 starts with 53% of layer 1's and 80% of layer 2's units saturated")
@claim("ca1dcf72", "in the small 2-8-8-1 network even Xavier at scale 10 trained, while the seeds ended further apart")
def test_the_seeds_prediction():
    _, small = _seeds("xavier_normal", 0.01)
    assert np.all(np.abs(small.loss[-1] - LOG2) < 0.005)
    p10, big = _seeds("xavier_normal", 10.0)
    _, one = _seeds("xavier_normal", 1.0)
    assert not np.any(big.loss[-1] > 0.5) and not big.any_diverged
    assert round(float(np.median(big.loss[-1])), 3) == 0.059 and round(float(np.median(one.loss[-1])), 3) == 0.076
    assert [round(s, 2) for s in _saturated(p10, 0)] == [0.53, 0.80]
    assert np.ptp(np.log(big.loss[-1])) > np.ptp(np.log(one.loss[-1]))


@claim("e5a74c9a", "layer 2's activations have a std of about $5\\cdot10^{-5}$, the gradients reaching layer 1 are "
                   "around $10^{-5}$, and every seed sits on the plateau at $\\log 2$")
def test_too_small():
    X, y = _moons()
    params0, h = _seeds("xavier_normal", 0.01)
    acts, deltas = experiments.layer_signals(params0, X, y)                 # every seed
    assert 3e-5 < np.std(acts[1]) < 7e-5
    assert 10 ** -5.5 < np.median(np.abs(deltas[0])) < 10 ** -4.5
    assert np.all(np.abs(h.loss - LOG2) < 0.01)                             # on the plateau at every record


@claim("e5a74c9a", "most units start saturated and the loss starts at about 2.7 (the median of the seeds)")
@claim("e5a74c9a", "Yet every seed learns, and the seeds end further apart than at scale 1: from 0.0009 to 0.25 "
                   "(at scale 1, from 0.05 to 0.18)")
def test_xavier_times_10():
    X, y = _moons()
    p10, h = _seeds("xavier_normal", 10.0)
    acts, _ = experiments.layer_signals(p10, X, y)
    assert all(s > 0.5 for s in experiments.saturated_shares(acts, "tanh"))
    assert round(float(np.median(h.loss[0])), 1) == 2.7
    final = h.loss[-1]
    assert np.all(final < 0.5) and 0.00085 <= final.min() < 0.00095 and 0.24 <= final.max() < 0.255
    _, one = _seeds("xavier_normal", 1.0)
    assert 0.05 <= one.loss[-1].min() < 0.055 and 0.175 <= one.loss[-1].max() < 0.185


@claim("e5a74c9a", "weights 2 to 3 times larger than Xavier's at scale 10 in this network")
@claim("e5a74c9a", "5 of the 20 are still above 0.5 after 150 steps, the worst at 2.2, while the best reaches 0.011")
def test_normal_sigma_10():
    for fi, fo in ((2, 8), (8, 8), (8, 1)):
        ratio = math.sqrt(initializers.VARIANCE["normal"](fi, fo, 10.0) / initializers.VARIANCE["xavier_normal"](fi, fo, 10.0))
        assert 2 <= ratio <= 3
    _, h = _seeds("normal", 10.0)
    final = h.loss[-1]
    assert int(np.sum(final > 0.5)) == 5 and round(float(final.max()), 1) == 2.2 and round(float(final.min()), 3) == 0.011


@claim("e5a74c9a", "every seed gives the same network, so there is one curve")
def test_all_equal_starts_give_one_curve():
    for init, scale in (("zeros", 1.0), ("constant", 0.1), ("constant", 10.0)):
        params0, h = _seeds(init, scale)
        flat = network.flatten(params0)
        assert np.all(flat == flat[0]) and np.ptp(h.loss, axis=1).max() == 0


@claim("e5a74c9a", "all 20 seeds end between 0.05 and 0.18 (Xavier) or between 0.04 and 0.08 (He)")
def test_xavier_and_he_at_scale_1():
    _, xa = _seeds("xavier_normal", 1.0)
    _, he = _seeds("he_normal", 1.0)
    assert 0.05 <= xa.loss[-1].min() and xa.loss[-1].max() <= 0.18
    assert 0.04 <= he.loss[-1].min() and he.loss[-1].max() <= 0.08


# ---- the deep stack ----------------------------------------------------------------------------
@claim("360dc3d8", "The measured factors going back agree with $\\sqrt{n_\\text{out}\\mathrm{Var}(W)}$ times the rms "
                   "slope to within 3%")
def test_backward_prediction_for_the_printed_stacks():
    for init, act in (("xavier_normal", "tanh"), ("xavier_normal", "relu"), ("he_normal", "relu")):
        d = _stack(init, act)
        assert abs(d.predicted_backward / d.backward - 1) < 0.03


@claim("a7c41e22", "About ×5 per layer")
@claim("a7c41e22", "The explorer measures ×4.84 forward and ×5.00 back; from layer 1 to layer 10 the activations' "
                   "spread grows about 1.5-million-fold")
def test_normal_relu_grows_five_fold():
    d = _stack("normal", "relu")
    assert ini.times(d.forward) == "×4.84" and ini.times(d.backward) == "×5.00"
    assert math.sqrt(50 * 1.0 * 0.5) == 5
    assert 1.4e6 < d.act_stds[-1] / d.act_stds[0] < 1.6e6


@claim("739b74af", "per layer the spreads change by at most 6% (Xavier + tanh ×0.95 forward and back, He + ReLU "
                   "×0.97 and ×1.00), and no tanh slope is saturated")
def test_the_designed_pairs_stay_flat():
    xt, hr = _stack("xavier_normal", "tanh"), _stack("he_normal", "relu")
    for d in (xt, hr):
        assert abs(d.forward - 1) <= 0.06 and abs(d.backward - 1) <= 0.06
    assert [ini.times(f) for f in (xt.forward, xt.backward, hr.forward, hr.backward)] == \
        ["×0.95", "×0.95", "×0.97", "×1.00"]
    assert not xt.saturated.any()


@claim("739b74af", "measured ×0.68 forward, ×0.71 back): from layer 1 to layer 10 the activations' spread becomes 30 "
                   "times smaller, and at this rate 50 layers would shrink it more than ten-million-fold")
def test_xavier_relu_shrinks():
    d = _stack("xavier_normal", "relu")
    assert ini.times(d.forward) == "×0.68" and ini.times(d.backward) == "×0.71"
    assert 29 < d.act_stds[0] / d.act_stds[-1] < 32
    assert (1 / math.sqrt(2)) ** 49 < 1e-7 and d.forward ** 49 < 1e-7


@claim("739b74af", "with Xavier the gradients shrink ×0.23 per layer going back (predicted $1 \\times 0.24$), with He "
                   "×0.30 ($1.41 \\times 0.22$). With Xavier, the gradients reaching layer 1 are half a million times "
                   "smaller than those at layer 10")
def test_sigmoid_gradients_vanish():
    xs, hs = _stack("xavier_normal", "sigmoid"), _stack("he_normal", "sigmoid")
    assert ini.times(xs.backward) == "×0.23" and round(xs.gain, 2) == 1 and round(xs.predicted_backward / xs.gain, 2) == 0.24
    assert ini.times(hs.backward) == "×0.30" and round(hs.gain, 2) == 1.41 and round(hs.predicted_backward / hs.gain, 2) == 0.22
    assert 4e5 < xs.grad_stds[-1] / xs.grad_stds[0] < 7e5


@claim("739b74af", "Sigmoid with Xavier at scale 10: the gradients' spread changes only ×1.06 per layer, because weights "
                   "with $\\sqrt{n_\\text{out}\\mathrm{Var}(W)} = 10$ make up for an rms slope of 0.11")
@claim("739b74af", "about half the units are saturated (57% of layer 8's slopes, 54% of layer 10's)")
def test_sigmoid_at_scale_10_is_flat_for_the_wrong_reason():
    d = _stack("xavier_normal", "sigmoid", 10.0)
    assert ini.times(d.backward) == "×1.06" and round(d.gain, 6) == 10 and round(d.predicted_backward / d.gain, 2) == 0.11
    assert round(d.saturated[7], 2) == 0.57 and round(d.saturated[9], 2) == 0.54 and int(np.argmax(d.saturated)) == 7
    assert 0.4 < d.saturated[1:].mean() < 0.6


@claim("739b74af", "the activations are pinned near $\\pm1$ (their spread changes ×1.02 per layer) and 82% of layer "
                   "10's slopes are saturated. Yet the gradients **explode**, ×2.60 per layer going back: the weights "
                   "multiply their spread by 10 and the slopes by an rms of only 0.27, and $10 \\times 0.27 > 1$")
@claim("739b74af", "the gradients reaching layer 1 are 5,400 times more spread out than those at layer 10, while the "
                   "median one in layer 5 is below $10^{-4}$")
@claim("ca1dcf72", "which does not stop the gradients from exploding through the other units")
def test_tanh_at_scale_10_saturates_and_explodes():
    d = _stack("xavier_normal", "tanh", 10.0)
    assert ini.times(d.forward) == "×1.02" and ini.times(d.backward) == "×2.60"
    assert round(d.saturated[-1], 2) == 0.82 and round(d.predicted_backward / d.gain, 2) == 0.27
    assert round(d.gain, 6) == 10 and 10 * 0.27 > 1
    assert round(d.grad_stds[0] / d.grad_stds[-1], -2) == 5400
    assert np.median(np.abs(d.deltas[4])) < 1e-4


@claim("739b74af", "With He + ReLU a gain of 0.5 or 2 changes the spreads about ×0.5 or ×2 per layer (measured forward: "
                   "×0.49 and ×1.93): from layer 1 to layer 10 the activations' spread becomes 670 times smaller or 375 "
                   "times larger")
@claim("739b74af", "With Xavier + tanh, a gain of 0.5 makes the signals vanish too (×0.49 per layer); a gain of 2 "
                   "cannot push the activations past $\\pm1$ (×1.07 per layer), but the gradients grow ×1.35 per layer "
                   "going back")
def test_a_gain_of_half_or_two():
    low, high = _stack("he_normal", "relu", SLIDER_HALF), _stack("he_normal", "relu", SLIDER_TWO)
    assert ini.times(low.forward) == "×0.49" and ini.times(high.forward) == "×1.93"
    assert 0.45 < low.backward < 0.55 and 1.9 < high.backward < 2.1
    assert round(low.act_stds[0] / low.act_stds[-1], -1) == 670 and round(high.act_stds[-1] / high.act_stds[0]) == 375
    small, large = _stack("xavier_normal", "tanh", SLIDER_HALF), _stack("xavier_normal", "tanh", SLIDER_TWO)
    assert ini.times(small.forward) == "×0.49" and ini.times(small.backward) == "×0.49"
    assert ini.times(large.forward) == "×1.07" and ini.times(large.backward) == "×1.35"
    assert max(np.abs(a).max() for a in large.acts) <= 1
