"""Notebook 11: the playground explorer: controls, play/step/restart/reset, settings strings, files, words;
hostile strings and files, NaN from Python, bounded memory."""
import gc
import html
import re
import weakref

import ipywidgets as widgets
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest

from explorer_helpers import explorer_fixture, move_controls
from weightlab import explore, network, plots, runs, storage
from weightlab.explore import playground as pg


def same_weights(a, b):
    return all(np.array_equal(a[k], b[k]) for k in a) and set(a) == set(b)


def said(ex):
    """The status line as plain text (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", ex.status.value))


ex = explorer_fixture(pg.playground_explorer)


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
    assert "At step 100" in said(ex) and "weights kept" in said(ex)
    assert ex.run.trainer.lr == 1.0 and ex.run.trainer.penalty == "l2" and ex.run.trainer.activation == "relu"
    ex.step(10)
    assert ex.run.t == 110


@pytest.mark.parametrize("name,value", [("dataset", "circles"), ("noise", 0.3), ("width", 7), ("layers", 2),
                                        ("init", "he_normal"), ("init_scale", 2.0), ("seed", 5)])
def test_a_change_of_network_or_data_rebuilds_and_says_so(ex, name, value):
    ex.step(50)
    ex.set(**{name: value})
    assert ex.run.t == 0
    assert "rebuilt" in said(ex) and "fresh weights, step 0" in said(ex)


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
    before = pixels(switched)                 # a new playground closes this one: draw it first
    fresh = pg.playground_explorer(**changes)
    assert np.array_equal(before, pixels(fresh))
    plt.close(fresh.fig)


def test_restart_starts_again_at_step_zero_with_the_same_settings(ex):
    first = ex.run.params
    ex.set(lr=1.0, momentum=0.5)
    ex.step(60)
    ex.buttons["restart"].click()
    assert ex.run.t == 0 and same_weights(first, ex.run.params)
    assert ex.controls["lr"].value == 1.0 and ex.run.trainer.momentum == 0.5
    assert "Restarted" in said(ex)


def test_reset_puts_every_control_back_where_it_started(ex):
    start = ex.values()
    ex.step(30)
    ex.set(dataset="spiral", noise=0.3, layers=2, width=7, init="he_normal", init_scale=3.0, seed=9,
           activation="relu", lr=1.0, momentum=0.9, batch_size=10, penalty="l1", lam=0.1)
    ex.step(10)
    moved = ex.values()
    assert all(moved[k] != start[k] for k in start if k != "play"), moved
    ex.buttons["reset"].click()
    assert ex.values() == dict(start, play=moved["play"])
    assert ex.run.t == 0 and ex.run.sizes == (2, 4, 1) and ex.run.trainer.batch_size is None
    assert same_weights(ex.run.params, network.init_params((2, 4, 1), "xavier_normal", 1.0, 0))
    assert "Reset: every control back" in said(ex)


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
    assert "not applied" in said(ex) and "'lr' has the value -2" in said(ex)
    assert "#b3261e" in ex.status.value


def test_save_and_load_round_trip(ex, tmp_path):
    ex.step(70)
    path = str(tmp_path / "mine.npz")
    ex.filename.value = path
    ex.buttons["save"].click()
    assert "Saved the weights at step 70" in said(ex)
    w = ex.run.params
    ex.reset()
    ex.buttons["load"].click()
    assert same_weights(ex.run.params, w) and ex.run.t == 70
    assert "exactly these weights" in said(ex)


def test_loading_a_bad_file_leaves_the_network_untouched(ex, tmp_path):
    ex.step(20)
    run, w = ex.run, ex.run.params
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not weights at all")
    assert not ex.load(str(bad))
    assert ex.run is run and same_weights(w, ex.run.params)
    assert "Nothing loaded" in said(ex) and "bad.npz" in said(ex)


def test_loading_weights_without_settings(ex, tmp_path):
    p = storage.save_weights(tmp_path / "plain", network.init_params((2, 4, 1), seed=9))
    assert ex.load(p)
    assert same_weights(ex.run.params, network.init_params((2, 4, 1), seed=9))
    p = storage.save_weights(tmp_path / "wide", network.init_params((2, 8, 1), seed=9))
    run = ex.run
    assert not ex.load(p)
    assert ex.run is run and "2-8-1 network without settings" in said(ex)


def test_divergence_is_said_in_words(ex):
    ex.set(activation="identity", lr=10.0)
    ex.step(50)
    assert ex.run.trainer.diverged
    assert "diverged at step" in said(ex) and "Press restart" in said(ex)
    assert "over 100 times both its start" in said(ex)          # the runaway rule of cross-entropy, in words
    ex.controls["play"].playing = True
    ex.step(10)                              # stepping a diverged run says why nothing happens, and pauses
    assert "cannot train further" in said(ex) and not ex.controls["play"].playing
    explore.render(ex.fig)


def test_a_dead_relu_run_is_diagnosed(ex):
    ex.set(activation="relu", lr=10.0, width=3)
    ex.step(60)
    assert "hidden units are dead" in said(ex)


def test_wide_two_layer_network_draws(ex):
    ex.set(layers=2, width=8)
    ex.step(20)
    assert ex.run.sizes == (2, 8, 8, 1)
    explore.render(ex.fig)


def test_momentum_and_batch_size_apply_without_reset_and_replay_bit_for_bit(ex):
    ex.step(40)
    run, w = ex.run, ex.run.params
    ex.set(momentum=0.9, batch_size=10)
    assert ex.run is run and ex.run.t == 40 and same_weights(w, ex.run.params)
    assert "momentum → 0.9" in said(ex) and "batch size → 10" in said(ex)
    assert ex.run.trainer.momentum == 0.9 and ex.run.trainer.batch_size == 10
    ex.step(37)
    ex.set(batch_size=0, lr=1.0)                 # back to the full batch
    assert ex.run.trainer.batch_size is None and "batch size → the full batch" in said(ex)
    ex.step(23)
    text = ex.settings_string
    assert '"momentum": 0.0' in text and '[40, "momentum", 0.9]' in text and '[40, "batch_size", 10]' in text
    assert '[77, "batch_size", null]' in text
    again = runs.replay(text)
    assert again.t == 100 and same_weights(again.params, ex.run.params)


def test_a_string_with_a_batch_size_the_menu_lacks_adds_it():
    text = storage.settings_to_json(dict(storage.defaults(), hidden=[4], lr=0.3, batch_size=7, momentum=0.5,
                                         steps=30))
    ex = pg.playground_explorer()
    try:
        assert ex.apply_settings(text)
        assert ex.controls["batch_size"].value == 7 and ex.controls["momentum"].value == 0.5
        ex.step(5)                                   # the controls follow the run: nothing changes
        assert ex.run.changes == [] and ex.run.trainer.batch_size == 7
        assert same_weights(ex.run.params, runs.replay(ex.settings_string).params)
    finally:
        plt.close(ex.fig)


def test_a_batch_size_larger_than_the_data_is_refused_in_words():
    text = storage.settings_to_json(dict(storage.defaults(), n=20, hidden=[4], lr=0.3, steps=10))
    ex = pg.playground_explorer()
    try:
        assert ex.apply_settings(text)                 # 20 points: 14 for training
        run = ex.run
        ex.controls["batch_size"].value = 20           # the menu offers 20
        assert ex.run is run and ex.run.trainer.batch_size is None and ex.controls["batch_size"].value == 0
        assert "Not applied" in said(ex) and "at most the number of samples" in said(ex)
    finally:
        plt.close(ex.fig)


# ---- what the text asks to try, what trains, reset ----------------------------------------
def test_every_value_the_text_asks_to_try_is_on_its_control(ex):
    for name, values in pg.Playground.TRIES.items():
        control = ex.controls[name]
        for value in values:
            if isinstance(control, widgets.FloatLogSlider):
                k = (np.log10(value) - control.min) / control.step
                assert control.min <= np.log10(value) <= control.max and abs(k - round(k)) < 1e-9, (name, value)
            elif isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
                k = (value - control.min) / control.step
                assert control.min <= value <= control.max and abs(k - round(k)) < 1e-9, (name, value)
            else:
                assert value in control._options_values, (name, value)


def test_controls_that_rebuild_or_retrain_do_not_update_while_dragged(ex):
    for name in pg.Playground.TRAINING_CONTROLS:
        assert ex.controls[name].continuous_update is False, name
    sliders = [k for k, c in ex.controls.items() if isinstance(c, (widgets.FloatSlider, widgets.IntSlider,
                                                                    widgets.FloatLogSlider))]
    assert sorted(sliders) == sorted(pg.Playground.TRAINING_CONTROLS)


# ---- the zeros initialiser ------------------------------------------------------------------
def test_the_zeros_initialiser_is_drawn_grey_and_diagnosed_as_symmetric(ex):
    ex.set(init="zeros")
    ex.step(50)
    assert not any(np.any(ex.run.params[k]) for k in ("W1", "W2"))
    colours = ex.views["diagram"].edges.get_colors()
    grey = matplotlib_rgba(plots.ZERO)
    assert all(np.allclose(c, grey) for c in colours)
    assert "hidden units are identical (all 4)" in said(ex) and "every weight is still exactly 0" in said(ex)
    panel = ex.views["panel"]
    assert "‖W‖ = 0 throughout: W1, W2" in panel.notes["norms"].get_text()
    assert "no ratio for W1, W2" in panel.notes["ratio"].get_text()
    ex.set(init="xavier_normal")                     # a random start: no note, no warning
    ex.step(50)
    assert panel.notes["norms"].get_text() == "" and "identical" not in said(ex)


def matplotlib_rgba(colour):
    from matplotlib.colors import to_rgba
    return to_rgba(colour)


# ---- hostile text and files ---------------------------------------------------------------
INJECTION = "<img src=x onerror=alert(1)>"


def snapshot(ex):
    """Everything a refused string or file must leave as it was."""
    return dict(run=ex.run, t=ex.run.t, params=ex.run.params, records=len(ex.run.trainer.history),
                settings=ex.settings_string, box=ex.settings_box.value, paste=ex.paste_box.value,
                file=ex.filename.value, values=ex.values(), options=ex.controls["batch_size"].options,
                applied=dict(ex.applied))


def assert_unchanged(ex, before):
    after = snapshot(ex)
    assert after["run"] is before["run"]
    assert same_weights(after.pop("params"), before.pop("params"))
    for key in before:
        assert after[key] == before[key], key


@pytest.fixture
def trained(ex):
    ex.step(30)
    ex.set(lr=1.0, momentum=0.5)
    ex.step(20)
    return ex


@pytest.mark.parametrize("text,words", [
    ('{"dataset": "' + INJECTION + '"}', "'dataset' has the value"),
    ('{"' + INJECTION + '": 1}', "unknown setting"),
    ('{"lr": 1e-6, "hidden": [4]}', "learning rate 1e-06 is outside the range of the playground's slider (0.0001 to 10)"),
    ('{"penalty": "l2", "lam": 1e-7}', "strength λ 1e-07 is outside the range"),
    ('{"init_scale": 0.001}', "initial scale 0.001 is outside the range"),
    ('{"hidden": [8, 3]}', "its hidden layers have different widths (8 and 3)"),
    ('{"steps": 10, "changes": [[5, "lr", 0]]}', "learning rate 0 is outside the range"),
    ('{"batch_size": 500}', "an integer from 1 to 140, the number of training points"),
    ('{"momentum": 1.0}', "'momentum' has the value 1.0; allowed: a number >= 0 and <= 0.99"),
    ('{"steps": 10000000}', "an integer from 0 to 20000"),
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ('{"' + "k" * 10_000_000 + '": 1}', "allowed: at most 100,000"),
    ('{"' + "k" * 90_000 + '": 1}', "unknown setting 'kkk"),
    ("not json", "not valid JSON"),
    (None, "settings must be a JSON object"),
])
def test_a_refused_settings_string_leaves_the_playground_exactly_as_it_was(trained, text, words):
    ex = trained
    ex.paste_box.value = text if isinstance(text, str) and len(text) < 1000 else "pasted"
    before = snapshot(ex)
    assert ex.apply_settings(text) is False
    assert_unchanged(ex, before)
    assert words in said(ex), said(ex)[:500]
    assert "The current network is unchanged" in said(ex)
    assert "<img" not in ex.status.value and len(ex.status.value) < 2000


def test_outside_text_is_escaped_everywhere_it_is_shown(trained, tmp_path):
    ex = trained
    ex.apply_settings('{"dataset": "' + INJECTION + '"}')
    assert "&lt;img" in ex.status.value and "<img" not in ex.status.value
    name = str(tmp_path / (INJECTION + ".npz"))
    ex.load(name)                                       # no such file
    assert "&lt;img" in ex.status.value and "<img" not in ex.status.value
    assert ex.save(name)                                # a file may have such a name: saved, said safely
    assert "Saved the weights" in said(ex) and "<img" not in ex.status.value
    assert ex.load(name) and "Loaded" in said(ex) and "<img" not in ex.status.value
    long_name = str(tmp_path / ("n" * 10_000_000))
    ex.load(long_name)
    assert "Nothing loaded" in said(ex) and len(ex.status.value) < 2000
    ex.save(long_name)
    assert "Could not save" in said(ex) and len(ex.status.value) < 2000


def _file(tmp_path, name, params, settings=None, raw=None):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
        return str(path)
    return storage.save_weights(path, params, settings)


def test_refused_weight_files_leave_the_playground_exactly_as_it_was(trained, tmp_path):
    ex = trained
    p8 = network.init_params((2, 8, 1), seed=1)
    mismatched = _file(tmp_path, "mismatch", p8)
    with np.load(mismatched) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["settings"] = np.array(storage.settings_to_json(dict(storage.defaults(), hidden=[4])))
    np.savez(mismatched, **arrays)
    slow = dict(storage.defaults(), hidden=[8], lr=1e-6)
    cases = {
        mismatched: "its settings describe a 2-4-1 network but its arrays are 2-8-1",
        _file(tmp_path, "slow", p8, slow): "learning rate 1e-06 is outside the range",
        _file(tmp_path, "damaged.npz", p8, raw=b"PK\x03\x04 half a file"): "not a weightlab weight file",
        _file(tmp_path, "pickled.npz", p8, raw=b"\x80\x04K\x01."): "Python objects (a pickle)",
        _file(tmp_path, "wide", p8): "2-8-1 network without settings",
        str(tmp_path): "no such file",
        str(tmp_path / "missing.npz"): "no such file",
    }
    for path, words in cases.items():
        before = snapshot(ex)
        assert ex.load(path) is False, path
        assert_unchanged(ex, before)
        assert words in said(ex), (path, said(ex)[:400])


# ---- NaN and odd values set from Python ----------------------------------------------------
@pytest.mark.parametrize("name", ["noise", "init_scale", "lr", "momentum", "lam"])
def test_nan_set_from_python_never_raises_nor_shows_nan(trained, name):
    ex = trained
    before = snapshot(ex)
    ex.controls[name].value = float("nan")              # must not raise
    assert not re.search(r"\bnan\b", said(ex), re.I)
    assert "not a finite number" in said(ex)
    texts = [t.get_text() for t in ex.fig.findobj(matplotlib.text.Text)]
    assert not any(re.search(r"\bnan\b", t, re.I) for t in texts)
    assert_unchanged(ex, before)
    ex.step(5)                                          # and it keeps working
    assert ex.run.t == before["t"] + 5


# ---- bounds: steps, history, figures --------------------------------------------------------
def test_a_run_stops_at_the_step_bound_and_says_so(ex):
    ex.run.step(storage.MAX_STEPS - 10)
    ex.controls["play"].playing = True
    ex.step(25)
    assert ex.run.t == storage.MAX_STEPS
    assert "at most 20,000 steps" in said(ex) and not ex.controls["play"].playing
    assert runs.replay(ex.settings_string, pg.MAX_RECORDS).t == storage.MAX_STEPS   # the string is still valid
    ex.step(25)
    assert ex.run.t == storage.MAX_STEPS and "as far as a run goes" in said(ex)


def test_the_history_stays_bounded_and_evenly_spaced(ex, monkeypatch):
    monkeypatch.setattr(pg, "MAX_RECORDS", 64)
    ex.restart()
    for _ in range(12):
        ex.step(50)
        h = ex.run.trainer.history
        assert len(h) <= 64
        assert set(np.diff(h.steps)) == {ex.run.trainer.record_every}
    assert h.steps[0] == 0 and ex.run.t - h.steps[-1] < ex.run.trainer.record_every
    assert "the curves keep every 16th step" in said(ex)
    full = runs.replay(ex.settings_string)                # recording less changes no weight
    assert same_weights(full.params, ex.run.params)
    np.testing.assert_array_equal(full.trainer.history.loss[h.steps], h.loss)


def test_a_new_playground_closes_the_previous_one():
    first = pg.playground_explorer()
    figures = len(plt.get_fignums())
    live = len(widgets.widget._instances)
    ref = weakref.ref(first)
    ex = first
    for _ in range(5):                     # as when the learner re-runs the cell
        ex = pg.playground_explorer()
    assert len(plt.get_fignums()) == figures
    assert len(widgets.widget._instances) <= live
    assert first.controls["lr"].comm is None and first.widget.comm is None
    del first
    gc.collect()
    assert ref() is None                   # nothing keeps the old playground (its run, its figure) alive
    plt.close(ex.fig)
