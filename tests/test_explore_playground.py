"""Notebook 11: the playground explorer: controls, play/step/reset, settings strings, files, words."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from explorer_helpers import move_controls
from weightlab import explore, network, runs, storage
from weightlab.explore import playground as pg


def same_weights(a, b):
    return all(np.array_equal(a[k], b[k]) for k in a) and set(a) == set(b)


@pytest.fixture
def ex():
    e = pg.playground_explorer()
    yield e
    plt.close(e.fig)


# ---- the explorer -----------------------------------------------------------------------
def test_every_control_at_its_ends_redraws_and_changes_the_picture(ex):
    ex.step(30)
    for name, changes in move_controls(ex, after=lambda e: e.step(5)).items():
        assert any(changes), name


def test_play_ticks_train_one_chunk_each_and_stop_does_not(ex):
    chunk = ex.chunk.value
    play = ex.controls["play"]
    for k in range(3):
        play.value += 1
    assert ex.run.t == 3 * chunk
    play.value = 0                          # the stop button sets the value back: no training
    assert ex.run.t == 3 * chunk
    ex.chunk.value = 7
    ex.buttons["step"].click()
    assert ex.run.t == 3 * chunk + 7
    ex.step(0)
    assert ex.run.t == 3 * chunk + 7


def test_learning_rate_penalty_and_activation_apply_without_reset(ex):
    ex.step(100)
    w = ex.run.params
    run = ex.run
    ex.set(lr=1.0, penalty="l2", lam=0.01, activation="relu")
    assert ex.run is run and ex.run.t == 100 and same_weights(w, ex.run.params)
    assert "At step 100" in ex.status.value and "weights kept" in ex.status.value
    assert ex.run.trainer.lr == 1.0 and ex.run.trainer.penalty == "l2" and ex.run.trainer.activation == "relu"
    ex.step(10)
    assert ex.run.t == 110


@pytest.mark.parametrize("name,value", [("dataset", "circles"), ("noise", 0.3), ("width", 7), ("layers", 2),
                                        ("init", "he_normal"), ("init_scale", 2.0), ("seed", 5)])
def test_a_change_of_network_or_data_rebuilds_and_says_so(ex, name, value):
    ex.step(50)
    ex.set(**{name: value})
    assert ex.run.t == 0
    assert "rebuilt" in ex.status.value and "fresh weights, step 0" in ex.status.value


@pytest.mark.parametrize("changes", [dict(layers=2), dict(width=7), dict(dataset="spiral", noise=0.3),
                                     dict(layers=2, width=1)])
def test_a_rebuilt_figure_is_pixel_for_pixel_a_fresh_one(changes):
    """Rebuilding panels empties their axes but keeps the tick objects (explore.clear): nothing may be
    left over, so the picture must equal that of a playground built with those settings from the start."""
    def pixels(e):
        e.fig.canvas.draw()
        return np.asarray(e.fig.canvas.buffer_rgba()).copy()
    switched = pg.playground_explorer()
    pixels(switched)
    for name, value in changes.items():
        switched.controls[name].value = value
    fresh = pg.playground_explorer(**changes)
    assert np.array_equal(pixels(switched), pixels(fresh))
    plt.close(switched.fig)
    plt.close(fresh.fig)


def test_reset_starts_again_at_step_zero(ex):
    first = ex.run.params
    ex.step(60)
    ex.buttons["reset"].click()
    assert ex.run.t == 0 and same_weights(first, ex.run.params)
    assert "Reset" in ex.status.value


def test_the_settings_box_reproduces_the_run_exactly(ex):
    ex.step(40)
    ex.set(lr=0.1)
    ex.step(25)
    ex.set(penalty="l1", lam=0.01)
    ex.step(35)
    text = ex.settings_box.value
    assert text == ex.settings_string
    assert same_weights(runs.replay(text).params, ex.run.params)
    # and pasting it into a fresh playground gives the same network and the same controls
    other = pg.playground_explorer(dataset="moons", width=2)
    try:
        other.paste_box.value = text
        other.step(3)                               # the pasted text survives training (only 'apply' reads it)
        assert other.paste_box.value == text
        other.buttons["apply"].click()
        assert same_weights(other.run.params, ex.run.params) and other.run.t == 100
        assert other.controls["dataset"].value == "xor" and other.controls["penalty"].value == "l1"
        assert "Applied" in other.status.value
        other.step(5)                               # and it keeps running from there
        assert other.run.t == 105
    finally:
        plt.close(other.fig)


def test_a_bad_settings_string_changes_nothing(ex):
    ex.step(20)
    run, w = ex.run, ex.run.params
    assert not ex.apply_settings('{"lr": -2}')
    assert ex.run is run and same_weights(w, ex.run.params)
    assert "not applied" in ex.status.value and "'lr' has the value -2" in ex.status.value
    assert "#b3261e" in ex.status.value


def test_save_and_load_round_trip(ex, tmp_path):
    ex.step(70)
    path = str(tmp_path / "mine.npz")
    ex.filename.value = path
    ex.buttons["save"].click()
    assert "Saved the weights at step 70" in ex.status.value
    w = ex.run.params
    ex.reset()
    ex.buttons["load"].click()
    assert same_weights(ex.run.params, w) and ex.run.t == 70
    assert "exactly these weights" in ex.status.value


def test_loading_a_bad_file_leaves_the_network_untouched(ex, tmp_path):
    ex.step(20)
    run, w = ex.run, ex.run.params
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not weights at all")
    assert not ex.load(str(bad))
    assert ex.run is run and same_weights(w, ex.run.params)
    assert "Nothing loaded" in ex.status.value and "bad.npz" in ex.status.value


def test_loading_weights_without_settings(ex, tmp_path):
    p = storage.save_weights(tmp_path / "plain", network.init_params((2, 4, 1), seed=9))
    assert ex.load(p)
    assert same_weights(ex.run.params, network.init_params((2, 4, 1), seed=9))
    p = storage.save_weights(tmp_path / "wide", network.init_params((2, 8, 1), seed=9))
    run = ex.run
    assert not ex.load(p)
    assert ex.run is run and "2-8-1 network without settings" in ex.status.value


def test_divergence_is_said_in_words(ex):
    ex.set(activation="identity", lr=10.0)
    ex.step(50)
    assert ex.run.trainer.diverged
    assert "diverged at step" in ex.status.value and "Press reset" in ex.status.value
    ex.step(10)                              # stepping a diverged run says why nothing happens
    assert "cannot train further" in ex.status.value
    explore.render(ex.fig)


def test_a_dead_relu_run_is_diagnosed(ex):
    ex.set(activation="relu", lr=10.0, width=3)
    ex.step(60)
    assert "hidden units are dead" in ex.status.value


def test_wide_two_layer_network_draws(ex):
    ex.set(layers=2, width=8)
    ex.step(20)
    assert ex.run.sizes == (2, 8, 8, 1)
    explore.render(ex.fig)


def test_a_step_chunk_is_fast_enough():
    """Update (25 steps + all views) in the kernel, without the draw; generous bound for a busy machine."""
    e = pg.playground_explorer()
    try:
        times = []
        for _ in range(5):
            e.step(25)
            times.append(e.last_update_ms)
        assert np.median(times) < 400
    finally:
        plt.close(e.fig)
