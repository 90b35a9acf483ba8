"""Claims of notebook 10: the healthy run in numbers, what each setting of the explorer shows, the warnings
caused on purpose, dead, saturated and identical units, and what large and tiny weights tell you. Every run
is the explorer's own (``experiments.run``: the 2-3-1 tanh network on 120 moons, 300 steps)."""
from functools import lru_cache

import numpy as np
import pytest

from register import claim
from weightlab import experiments, health, network
from weightlab.explore.monitoring import MonitoringExplorer

NOTEBOOK = "10_monitoring.ipynb"
DEFAULT_LR = 10 ** -0.5          # the explorer's learning rate at its start (the slider's 0.32)


@lru_cache(maxsize=None)
def run(steps=301, **settings):
    """The Trainer and data of one run (kept: several claims read the same run)."""
    return experiments.run(steps=steps, **settings)


def history(**settings):
    return run(**settings)[0].history


def total_norm(h):
    return np.sqrt(np.sum(np.asarray(h.weight_norm) ** 2, axis=1))


# ---- the healthy run ----------------------------------------------------------------------------
@claim("19775072", r"$\lVert W_1\rVert$ from 0.59 to 1.87")
@claim("19775072", r"$\lVert W_2\rVert$ from 1.24 to 2.93, each by less than 5% over the last quarter of the run")
def test_the_healthy_weights_grow_then_change_slowly():
    h = history(lr=0.3)
    W = h.weight_norm
    assert W[0, 0] == pytest.approx(0.59, abs=0.005) and W[300, 0] == pytest.approx(1.87, abs=0.005)
    assert W[0, 1] == pytest.approx(1.24, abs=0.005) and W[300, 1] == pytest.approx(2.93, abs=0.005)
    late = np.abs(W[300] / W[225] - 1)
    assert np.all(late < 0.05) and np.all(W[300] > 2 * W[0] * 0.7)


@claim("19775072", r"the gradient shrinks as the loss flattens ($\lVert \nabla W_1\rVert$ from 0.44 to 0.003)")
def test_the_healthy_gradient_shrinks():
    h = history(lr=0.3)
    g = h.grad_norm[:, 0]
    assert g[0] == pytest.approx(0.44, abs=0.005) and g[300] == pytest.approx(0.003, abs=0.0005)
    assert h.loss[300] < h.loss[0] and abs(h.loss[300] - h.loss[200]) < 0.01     # the loss has flattened


@claim("19775072", "the update ratio starts large (0.23 for $W_1$")
@claim("19775072", r"falls through $10^{-3}$ at step 129")
def test_the_healthy_update_ratio_falls_through_the_rule():
    r = history(lr=0.3).update_ratio[:, 0]
    assert r[0] == pytest.approx(0.23, abs=0.005)
    assert np.flatnonzero(r < 1e-3)[0] == 129 and r[-1] < 1e-3


@claim("4304bad6", "$W_1$ starts at 0.23 and stays above $10^{-2}$ for its first 39 steps")
@claim("4304bad6", "ratios of $10^{-2}$ and more in the first few dozen steps are normal, as in our healthy run")
def test_early_ratios_of_the_healthy_run():
    h = history(lr=0.3)
    r = h.update_ratio[:, 0]
    assert np.all(r[:39] > 1e-2) and r[39] <= 1e-2
    assert health.diagnose(h, "tanh") == []                  # and the diagnosis calls the run healthy


# ---- the explorer's predict prompt and what it shows at lr 10 ------------------------------------
@claim("ecbea841", "the first step changes $W_1$ by 7.5 times its own size")
@claim("ecbea841", "against 0.24 at the default 0.32")
def test_the_update_ratio_tells_first():
    assert history(lr=10.0).update_ratio[0, 0] == pytest.approx(7.5, abs=0.05)
    assert history(lr=DEFAULT_LR).update_ratio[0, 0] == pytest.approx(0.24, abs=0.005)


@claim("ecbea841", "In the same step $\\lVert W_1\\rVert$ jumps from 0.59 to 4.5")
@claim("ecbea841", "The loss bumps in the first ten steps (from 0.36 at step 5 up to 0.60 at step 8) and then ends lower than at the default: it is the last of the three to tell")
def test_the_norm_jumps_too_and_the_loss_bumps_then_ends_lower():
    h = history(lr=10.0)
    assert h.weight_norm[0, 0] == pytest.approx(0.59, abs=0.005) and h.weight_norm[1, 0] == pytest.approx(4.5, abs=0.05)
    loss = h.loss
    assert loss[5] == pytest.approx(0.36, abs=0.005) and loss[8] == pytest.approx(0.60, abs=0.005)
    assert np.argmax(loss[1:11]) + 1 == 8 and np.all(loss[11:] < loss[8])
    assert loss[-1] < history(lr=DEFAULT_LR).loss[-1]


@claim("ecbea841", "At lr = 10 the training loss ends *lower* (0.003 against 0.30 at the default 0.32)")
@claim("ecbea841", "the weight norms climb without settling (from 1.4 to 17, and still climbing)")
@claim("ecbea841", "in the first steps the update ratio is far above the band")
def test_lr_10_looks_better_by_the_loss_alone():
    h, h0 = history(lr=10.0), history(lr=DEFAULT_LR)
    assert h.loss[-1] == pytest.approx(0.003, abs=0.0005) and h0.loss[-1] == pytest.approx(0.30, abs=0.005)
    norm = total_norm(h)
    assert norm[0] == pytest.approx(1.4, abs=0.05) and norm[-1] == pytest.approx(17, abs=0.5)
    assert norm[-1] > norm[-76] * 1.05                      # still rising over the last quarter
    assert np.all(h.update_ratio[:3].max(axis=1) > 10 * 1e-2)


# ---- things to try ----------------------------------------------------------------------------
@claim("ecbea841", r"the ratio sits below $10^{-4}$, the weights barely move; *updates too small*")
def test_a_tiny_learning_rate():
    h = history(lr=1e-4)
    assert np.nanmax(h.update_ratio) < 1e-4
    assert any(w.startswith("Updates are too small") for w in health.diagnose(h, "tanh"))


@claim("ecbea841", "the loss explodes within two steps; the run stops and says why")
@claim("ecbea841", "the trainer calls a run diverged once its loss is more than 100 times both its start and the loss of always giving the same answer ($\\log 2$ here)")
def test_relu_at_lr_100_diverges_and_says_why():
    tr, (X, y) = run(lr=100.0, activation="relu")
    h = tr.history
    assert h.diverged_step[0] == 2 and "diverged at step 2" in h.reason
    assert "over 100 times both its start" in h.reason
    loss = h.loss[-1]
    assert np.isfinite(loss) and loss > 100 * max(h.loss[0], np.log(2)) and np.mean(y) == 0.5


@claim("ecbea841", "two of the three units are dead at step 4 and all three at step 6 (the dead share jumps to 1), for good")
def test_relu_at_lr_10_kills_its_units():
    h = history(lr=10.0, activation="relu")
    dead = h.dead
    assert np.all(dead[:4] == 0) and dead[4] == pytest.approx(2 / 3) and dead[5] == pytest.approx(2 / 3)
    assert np.all(dead[6:] == 1)


@claim("ecbea841", "two of the three units start deep in the flat tails of tanh and stay there; *saturated*")
def test_a_huge_initial_scale_saturates_two_units():
    h = history(scale=100.0)
    assert h.saturated[0] == pytest.approx(2 / 3) and h.saturated[-1] == pytest.approx(2 / 3)
    assert any("saturated" in w for w in health.diagnose(h, "tanh"))


@claim("ecbea841", "a network that answers 0.5 everywhere (to 4 decimals) and learns slowly at first (loss 0.52 at step 50, against 0.32 from the default start)")
def test_a_tiny_initial_scale_answers_one_half():
    tr, (X, y) = run(lr=DEFAULT_LR, scale=0.01)
    p = network.predict(network.unflatten(tr.history.params[0]), X)
    assert np.all(np.round(p, 4) == 0.5)
    assert tr.history.loss[50] == pytest.approx(0.52, abs=0.005)
    assert history(lr=DEFAULT_LR).loss[50] == pytest.approx(0.32, abs=0.005)


@claim("ecbea841", "from step 50 on they stay between 3 and 4.5 (about 4 at the end instead of 17)")
def test_l2_holds_the_norms_at_lr_10():
    norm = total_norm(history(lr=10.0, lam=0.01))
    assert 3 <= norm[50:].min() and norm[50:].max() <= 4.5
    assert norm[-1] == pytest.approx(4, abs=0.3) and total_norm(history(lr=10.0))[-1] == pytest.approx(17, abs=0.5)


def test_every_value_the_text_tries_is_declared():
    tries = MonitoringExplorer.TRIES
    assert {1e-4, 10.0, 100.0} <= set(tries["lr"]) and {0.01, 100.0} <= set(tries["scale"])
    assert 0.01 in tries["lam"] and "relu" in tries["activation"]


# ---- warnings, units ----------------------------------------------------------------------------
@claim("ecbea841", "the last starts from all-zero weights, the symmetric start of notebook 07")
@claim("4304bad6", "Only a symmetric start makes them (zeros or a constant, notebook 07); `diagnose` says so")
def test_an_all_zero_start_is_diagnosed_as_identical_units():
    h = history(init="zeros")
    W = network.unflatten(h.params[-1])
    assert not np.any(W["W1"]) and not np.any(W["W2"])
    assert health.diagnose(h, "tanh")[0].startswith("The hidden units are identical (all 3)")
    for init in ("constant",):
        assert "identical" in health.diagnose(history(init=init, scale=0.5), "tanh")[0]
    assert not any("identical" in w for w in health.diagnose(history(lr=0.3), "tanh"))


@claim("7d873973", r"$\tanh'(z) = 1 - \tanh^2 z < 0.05$ once $|z| > 2.2$")
def test_where_tanh_is_flat():
    z = np.linspace(2.2, 20, 1000)
    assert np.all(1 - np.tanh(z) ** 2 < 0.05) and 1 - np.tanh(2.1) ** 2 > 0.05


@claim("7d873973", "Leaky ReLU (notebook 02) keeps a small slope for $z < 0$, so its units cannot die")
def test_leaky_relu_units_never_die():
    h = history(lr=10.0, activation="leaky_relu")
    assert np.all(h.dead == 0) and np.all(history(lr=10.0, activation="relu").dead[6:] == 1)


@claim("7d873973", "saturated* when $f'(z)$ is below 5% of its peak on at least 90% of the samples")
def test_the_thresholds_are_the_ones_the_text_names():
    assert health.SATURATED_SLOPE == 0.05 and health.SATURATED_SHARE == 0.9


# ---- what large and tiny weights tell you ---------------------------------------------------------
@claim("4304bad6", "at lr = 10 it gains about 2 with every doubling of the steps (15.1, 17.3, 19.3, 21.2, 23.0 at steps 150, 300, 600, 1200, 2400)")
def test_growing_weights_climb_like_log_t():
    norm = total_norm(history(lr=10.0, steps=2401))
    at = norm[[150, 300, 600, 1200, 2400]]
    np.testing.assert_allclose(at, [15.1, 17.3, 19.3, 21.2, 23.0], atol=0.05)
    gains = np.diff(at)
    assert np.all((gains > 1.5) & (gains < 2.5))


@claim("4304bad6", r"With ReLU at lr = 100, $\lVert W_1\rVert$ goes 0.6, 22, 176 and the run stops at step 2")
def test_exploding_weights_before_divergence():
    h = history(lr=100.0, activation="relu")
    np.testing.assert_allclose(h.weight_norm[:3, 0], [0.6, 22, 176], atol=0.5)
    assert h.diverged_step[0] == 2


@claim("4304bad6", "with initial scale 0.01 the median ratio of $W_1$ over the first quarter of the run is 0.099, against 0.010 in the healthy run")
@claim("4304bad6", "the output is near 0.5, and the gradient of $W_1$ is proportional to $W_2$, so it is tiny too")
def test_tiny_weights_take_large_relative_steps():
    tiny, healthy = history(lr=DEFAULT_LR, scale=0.01), history(lr=0.3)
    assert np.median(tiny.update_ratio[:75, 0]) == pytest.approx(0.099, abs=0.001)
    assert np.median(healthy.update_ratio[:75, 0]) == pytest.approx(0.010, abs=0.001)
    assert tiny.grad_norm[0, 0] < healthy.grad_norm[0, 0] / 50
