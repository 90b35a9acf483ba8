"""Claims of notebook 11: what each control does and when, the predict prompt on L2 mid-run, the things to
try (each from the playground's defaults: XOR, 2-4-1 tanh, learning rate 0.32, Xavier, seed 0), settings
strings and weight files from strangers, and the bounds that keep a long session small."""
import gc
import html
import re
import tracemalloc
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pytest

from register import claim
from weightlab import network, runs, storage
from weightlab.explore import playground as pg

NOTEBOOK = "11_playground.ipynb"
LR = 10 ** -0.5                  # the playground's learning rate at its start (the slider's 0.32)


def fresh(**settings):
    """A run with the playground's defaults and ``settings`` (as after 'reset all', then moving controls)."""
    s = dict(storage.defaults(), hidden=[4], lr=LR)
    s.update(settings)
    return runs.Run(s)


def norm(run):
    return np.sqrt(np.sum(np.asarray(run.trainer.history.weight_norm) ** 2, axis=1))


@lru_cache(maxsize=None)
def l2_from_1200(lam, more=600):
    """The predict prompt: 1200 steps without a penalty, then L2 at ``lam`` (None: no penalty) for ``more``."""
    run = fresh()
    run.step(1200)
    if lam is not None:
        run.change("penalty", "l2")
        run.change("lam", lam)
    run.step(more)
    return run


def said(ex):
    return html.unescape(re.sub(r"<[^>]+>", "", ex.status.value))


@pytest.fixture
def playground():
    ex = pg.playground_explorer()
    yield ex
    plt.close(ex.fig)


# ---- the controls ----------------------------------------------------------------------------
@claim("d8000622", "(200 points, 30% kept for validation)")
@claim("d8000622", "1 or 2 hidden layers of 1 to 8 units")
@claim("d8000622", "about five times a second")
def test_what_the_controls_offer(playground):
    run = playground.run
    assert run.base["n"] == 200 and len(run.data.X_val) == 60 and len(run.data.X) == 140
    assert playground.controls["layers"].options == (1, 2) and playground.controls["width"].max == 8
    assert playground.controls["play"].interval == 200


@claim("d8000622", "**at the next step**, weights kept")
@claim("d8000622", "λ acts only while a penalty is on")
@claim("d8000622", "rebuilds: new data, fresh weights, step 0")
def test_which_controls_rebuild_and_which_apply_mid_run(playground):
    playground.step(20)
    run, w = playground.run, playground.run.params
    playground.set(activation="relu", lr=1.0, momentum=0.5, batch_size=10, penalty="l1", lam=0.01)
    assert playground.run is run and run.t == 20 and all(np.array_equal(w[k], run.params[k]) for k in w)
    assert (run.trainer.momentum, run.trainer.batch_size, run.trainer.lam) == (0.5, 10, 0.01)
    playground.set(penalty="none")
    playground.set(lam=0.1)                                  # no penalty: the strength waits
    assert run.trainer.penalty == "none" and run.trainer.lam == 0.01
    playground.set(dataset="moons")
    assert playground.run is not run and playground.run.t == 0


@claim("d8000622", "with mini-batches the training curve is the loss of each step's batch")
def test_with_mini_batches_the_curve_is_the_batch_loss():
    run = fresh(batch_size=10)
    run.step(1)
    order = np.random.default_rng(0).permutation(140)        # the first epoch's order, from the seed 0
    X, y = run.data.X[order[:10]], run.data.y[order[:10]]
    z, _ = network.forward(network.init_params((2, 4, 1), "xavier_normal", 1.0, 0), X)
    batch_loss = np.mean(np.logaddexp(0, z[:, 0]) - y * z[:, 0])        # cross-entropy from the logit
    assert run.trainer.history.loss[0] == pytest.approx(batch_loss, rel=1e-12)
    assert abs(batch_loss - fresh().trainer.evaluate()) > 0.01              # not the loss on all 140 points


@claim("d8000622", "red positive, blue negative, grey exactly 0")
def test_the_diagram_colours(playground):
    from matplotlib.colors import to_rgba
    from weightlab import plots
    playground.set(width=8, penalty="l1", lam=0.01)
    playground.step(600)
    w = np.concatenate([playground.run.params["W1"].ravel(), playground.run.params["W2"].ravel()])
    colours = playground.views["diagram"].edges.get_colors()
    for v, c in zip(w, colours):
        want = plots.POS if v > 0 else plots.NEG if v < 0 else plots.ZERO
        assert np.allclose(c, to_rgba(want))
    assert np.all(w == 0)


# ---- the predict prompt -------------------------------------------------------------------------
@claim("d8000622", "its validation loss has been creeping up since about step 830")
def test_the_validation_loss_creeps_up_from_step_830():
    val = l2_from_1200(None, 0).trainer.history.val_loss
    assert np.argmin(val) == pytest.approx(830, abs=10)
    assert np.all(np.diff(val[900:]) > 0)


@claim("1713cc3f", "the weight norms turn and fall, from 10.6 to 8.7 after 600 steps (without a penalty they climb to 12.1)")
@claim("1713cc3f", "0.243 after 600 steps against 0.253 without a penalty, and still 0.247 after 1,800, while without a penalty it keeps climbing (0.289)")
def test_l2_at_0003_mid_run():
    lam = 10 ** -2.5                                         # the slider's 0.0032
    on, off = l2_from_1200(lam), l2_from_1200(None)
    n = norm(on)
    assert n[1200] == pytest.approx(10.6, abs=0.05) and n[-1] == pytest.approx(8.7, abs=0.05)
    assert np.all(np.diff(n[1200:]) < 0) and norm(off)[-1] == pytest.approx(12.1, abs=0.05)
    assert on.trainer.history.val_loss[-1] == pytest.approx(0.243, abs=0.0005)
    assert off.trainer.history.val_loss[-1] == pytest.approx(0.253, abs=0.0005)
    long_on, long_off = l2_from_1200(lam, 1800), l2_from_1200(None, 1800)
    assert long_on.trainer.history.val_loss[-1] == pytest.approx(0.247, abs=0.0005)
    assert long_off.trainer.history.val_loss[-1] == pytest.approx(0.289, abs=0.0005)
    assert np.all(np.diff(long_off.trainer.history.val_loss[1200:]) > 0)


@claim("1713cc3f", "With λ = 0.01 the norms fall further (to 5.9) but the validation loss goes *up*, to 0.30, while the accuracy stays at 90%")
def test_l2_at_001_mid_run():
    run = l2_from_1200(0.01)
    h = run.trainer.history
    assert norm(run)[-1] == pytest.approx(5.9, abs=0.05)
    assert h.val_loss[-1] == pytest.approx(0.30, abs=0.005) and h.val_loss[-1] > h.val_loss[1199]
    assert run.accuracy() == pytest.approx(0.9) and l2_from_1200(None, 0).accuracy() == pytest.approx(0.9)


# ---- things to try ----------------------------------------------------------------------------
@claim("1713cc3f", "one hidden layer of 8 units reaches 68% and 70% validation accuracy, two layers of 8 reach 80% and 85%")
@claim("1713cc3f", "(At learning rate 10 two layers fail: 50%.)")
def test_the_spiral_needs_a_second_layer():
    got = {}
    for hidden in ([8], [8, 8]):
        for lr in (1.0, 10 ** 0.5, 10.0):
            run = fresh(dataset="spiral", hidden=hidden, lr=lr)
            run.step(2000)
            got[len(hidden), lr] = round(run.accuracy(), 2)
    assert (got[1, 1.0], got[1, 10 ** 0.5]) == (0.68, 0.70)
    assert (got[2, 1.0], got[2, 10 ** 0.5]) == (0.80, 0.85) and got[2, 10.0] == 0.5


@claim("1713cc3f", "the dead share in the health panel jumps to 1 by step 5 and the status explains why")
def test_relu_at_lr_10_dies_by_step_5(playground):
    playground.set(activation="relu", lr=10.0)
    playground.step(20)
    dead = playground.run.trainer.history.dead
    assert dead[4] < 1 and np.all(dead[5:] == 1)
    assert "4 of 4 hidden units are dead" in said(playground)


@claim("1713cc3f", "the run diverges at step 5 and stops; it says so")
def test_identity_at_lr_10_diverges_at_step_5(playground):
    playground.set(activation="identity", lr=10.0)
    playground.step(50)
    assert playground.run.t == 6 and "diverged at step 5" in said(playground)


@claim("1713cc3f", "every weight stays exactly 0 (grey hairlines in the diagram) — the hidden units are identical and get no gradient (notebook 07); the status line says so, and the norm panels say in words what a log scale cannot draw")
def test_the_zeros_initialiser(playground):
    playground.set(init="zeros")
    playground.step(300)
    p = playground.run.params
    assert not np.any(p["W1"]) and not np.any(p["W2"]) and not np.any(p["b1"])
    assert "hidden units are identical" in said(playground)
    assert "‖W‖ = 0 throughout" in playground.views["panel"].notes["norms"].get_text()
    assert np.all(np.asarray(playground.views["diagram"].edges.get_linewidths()) <= 0.31)   # hairlines


@claim("1713cc3f", "after 1200 steps half of the 24 weights are exactly 0")
@claim("1713cc3f", "and the accuracy is 88%; at λ = 0.01 all of them are 0 by step 600 and the network answers the same everywhere (50%)")
def test_l1_makes_exact_zeros():
    def zeros(run):
        return int(np.sum(run.params["W1"] == 0) + np.sum(run.params["W2"] == 0))
    small = fresh(hidden=[8], penalty="l1", lam=10 ** -2.5)
    small.step(1200)
    assert zeros(small) == 12 and round(small.accuracy(), 2) == 0.88
    strong = fresh(hidden=[8], penalty="l1", lam=0.01)
    strong.step(600)
    assert zeros(strong) == 24 and strong.accuracy() == 0.5
    p = network.predict(strong.params, strong.data.X_val)
    assert np.ptp(p) == 0


@claim("1713cc3f", "the training loss falls below 0.2 in 216 steps instead of 794, but the validation loss never gets below 0.33 (0.22 without momentum)")
def test_momentum_09_fits_faster_and_generalises_worse():
    def first_below(run, level):
        return int(np.argmax(run.trainer.history.loss < level))
    heavy, plain = fresh(momentum=0.9), fresh()
    heavy.step(1200)
    plain.step(1200)
    assert first_below(heavy, 0.2) == 216 and first_below(plain, 0.2) == 794
    assert heavy.trainer.history.val_loss.min() == pytest.approx(0.33, abs=0.005)
    assert plain.trainer.history.val_loss.min() == pytest.approx(0.22, abs=0.005)


@claim("1713cc3f", "(spread 0.08 over the last 100 of 1200 steps, against 0.002 with the full batch)")
@claim("1713cc3f", "yet the validation loss gets lower on the way (0.19 at its best, against 0.22), in 85.7 epochs (1200 steps of 10 out of 140 points) instead of 1200")
def test_batch_size_10():
    batch, full = fresh(batch_size=10), fresh()
    batch.step(1200)
    full.step(1200)
    hb, hf = batch.trainer.history, full.trainer.history
    assert np.std(hb.loss[-100:]) == pytest.approx(0.08, abs=0.005) and np.std(hf.loss[-100:]) == pytest.approx(0.002, abs=0.0005)
    assert hb.val_loss.min() == pytest.approx(0.19, abs=0.005) and hf.val_loss.min() == pytest.approx(0.22, abs=0.005)
    assert hb.epochs[-1] + 10 / 140 == pytest.approx(85.7, abs=0.05) and hf.epochs[-1] + 1 == 1200   # after the last step


def test_the_values_the_text_asks_to_try_are_declared():
    tries = pg.Playground.TRIES
    assert {1.0, 10 ** 0.5, 10.0} <= set(tries["lr"]) and {10 ** -2.5, 0.01} <= set(tries["lam"])
    assert 0.9 in tries["momentum"] and 10 in tries["batch_size"] and "zeros" in tries["init"]


# ---- strings and files from strangers --------------------------------------------------------------
@claim("376cee44", "with mini-batches, the same batches: they are drawn from `seed` too")
def test_mini_batch_runs_replay_bit_for_bit():
    run = fresh(batch_size=7, momentum=0.5, seed=3)
    run.step(60)
    run.change("batch_size", 20)
    run.step(40)
    again = runs.replay(storage.settings_to_json(run.settings))
    assert all(np.array_equal(again.params[k], run.params[k]) for k in run.params)
    other = runs.replay(storage.settings_to_json(dict(run.settings, seed=4)))
    assert not np.array_equal(other.params["W1"], run.params["W1"])


@claim("376cee44", "A string with a mistake is refused with a message that names the setting and what is allowed, and the current network is left exactly as it was")
@claim("376cee44", "So is a string the sliders cannot show (a learning rate below 0.0001, say)")
@claim("376cee44", "Whatever a string holds is shown as text, never run as part of the page")
def test_refused_strings_change_nothing(playground):
    playground.step(30)
    run, w, values = playground.run, playground.run.params, playground.values()
    for text, words in (('{"lr": -0.3}', "'lr' has the value -0.3; allowed"),
                        ('{"lr": 1e-05, "hidden": [4]}', "learning rate 1e-05 is outside the range"),
                        ('{"dataset": "<img src=x onerror=alert(1)>"}', "'dataset' has the value")):
        assert playground.apply_settings(text) is False
        assert playground.run is run and playground.values() == values and run.t == 30
        assert all(np.array_equal(w[k], run.params[k]) for k in w)
        assert words in said(playground) and "<img" not in playground.status.value


@claim("376cee44", "A string may ask for at most 20,000 steps, so a run in the playground stops there and says so")
def test_the_step_bound():
    with pytest.raises(ValueError, match="an integer from 0 to 20000"):
        storage.settings_from_json('{"steps": 20001}')
    run = fresh()
    run.step(25_000)
    assert run.t == 20_000 and run.at_limit


@claim("376cee44", "at the defaults about 2 kB once the panels have drawn it, 20 MB per 10,000 steps")
def test_memory_per_recorded_step():
    run = fresh()
    run.step(10)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run.step(4000)
        h = run.trainer.history
        kept = (h.weight_norm, h.update_ratio, h.params, h.dead, h.loss, h.val_loss)   # what the panels read
        gc.collect()
        per_step = (tracemalloc.get_traced_memory()[0] - before) / 4000
    finally:
        tracemalloc.stop()
    assert kept and 1500 < per_step < 2500


@claim("376cee44", "The playground keeps at most 2,000 records")
@claim("376cee44", "so a run of 20,000 steps holds 1,250 records")
@claim("376cee44", "the curves stay evenly spaced, the weights are exactly the same")
def test_the_bounded_history():
    assert pg.MAX_RECORDS == 2000
    bounded, full = runs.Run(fresh().settings, pg.MAX_RECORDS), fresh()
    bounded.step(20_000)
    full.step(3000)
    h = bounded.trainer.history
    assert len(h) == 1250 and set(np.diff(h.steps)) == {16}
    check = runs.Run(fresh().settings, pg.MAX_RECORDS)
    check.step(3000)
    assert all(np.array_equal(check.params[k], full.params[k]) for k in full.params)


@claim("d04491e3", "so does a file whose settings describe another network than its arrays (a 2-4-1 string with 2-8-1 weights)")
def test_a_mismatched_file_is_refused(playground, tmp_path):
    path = storage.save_weights(tmp_path / "mismatch", network.init_params((2, 8, 1), seed=1))
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["settings"] = np.array(storage.settings_to_json({"hidden": [4]}))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="its settings describe a 2-4-1 network but its arrays are 2-8-1"):
        storage.load_weights(path)
    run = playground.run
    assert playground.load(path) is False and playground.run is run
    assert "its settings describe a 2-4-1 network" in said(playground)
