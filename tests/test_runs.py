"""Runs built from settings: they match a plain Trainer loop, record their changes of setting,
and replay bit for bit from their settings string."""
import numpy as np
import pytest

from weightlab import datasets, network, runs, storage
from weightlab.training import Trainer


def same_weights(a, b):
    return all(np.array_equal(a[k], b[k]) for k in a) and set(a) == set(b)


def test_a_run_matches_a_plain_trainer_loop():
    s = dict(storage.defaults(), hidden=[3], lr=0.5)
    run = runs.Run(s)
    run.step(40)
    d = datasets.load("xor", 200, 0.1, 0, 0.3)
    t = Trainer(network.init_params((2, 3, 1), "xavier_normal", 1.0, 0), d.X, d.y, lr=0.5,
                X_val=d.X_val, y_val=d.y_val)
    t.step(40)
    assert same_weights(run.params, t.current)


def test_mid_run_changes_keep_the_weights_and_are_recorded():
    run = runs.Run(dict(storage.defaults(), hidden=[4]))
    run.step(30)
    before = run.params
    assert run.change("lr", 0.5) and run.change("penalty", "l2") and run.change("lam", 0.01)
    assert run.change("activation", "relu")
    assert not run.change("lr", 0.5)                    # no change, nothing recorded
    assert same_weights(before, run.params) and run.t == 30
    run.change("lr", 0.2)                                # same step, same name: the last one counts
    assert run.changes == [[30, "penalty", "l2"], [30, "lam", 0.01], [30, "activation", "relu"], [30, "lr", 0.2]]
    run.change("activation", "tanh")                     # back to the value before: no change recorded
    assert [c[1] for c in run.changes] == ["penalty", "lam", "lr"]
    assert run.trainer.lr == 0.2 and run.trainer.activation == "tanh"
    with pytest.raises(ValueError, match="cannot change during a run"):
        run.change("hidden", [3])
    with pytest.raises(ValueError, match="'lr' has the value -1"):
        run.change("lr", -1)


def test_changes_before_the_first_step_are_the_starting_settings():
    run = runs.Run(dict(storage.defaults(), hidden=[4]))
    run.change("penalty", "l2")
    run.change("lr", 0.5)
    assert run.changes == [] and run.settings["penalty"] == "l2" and run.settings["lr"] == 0.5
    run.step(5)
    assert same_weights(runs.replay(run.settings).params, run.params)


def test_the_same_string_gives_bit_identical_weights_whatever_the_chunks():
    """Reproduction covers: data, initial weights, every step and every change at its step."""
    run = runs.Run(dict(storage.defaults(), dataset="moons", hidden=[5, 3], activation="tanh", lr=0.2, seed=4))
    for n in (7, 13, 1, 29):
        run.step(n)
    run.change("lr", 0.6)
    run.step(17)
    run.change("penalty", "l1")
    run.change("lam", 0.003)
    run.step(11)
    run.change("activation", "leaky_relu")
    run.change("penalty", "l2")
    run.step(23)
    text = storage.settings_to_json(run.settings)
    again = runs.replay(text)
    assert again.t == run.t == 101
    assert same_weights(again.params, run.params)
    np.testing.assert_array_equal(again.trainer.history.loss, run.trainer.history.loss)
    assert storage.settings_to_json(again.settings) == text
    # a changed value in the string gives other weights
    other = runs.replay(text.replace('"lam", 0.003', '"lam", 0.004'))
    assert not same_weights(other.params, run.params)


def test_a_diverged_run_replays_to_the_same_stop():
    run = runs.Run(dict(storage.defaults(), activation="identity", lr=10.0, hidden=[4]))
    run.step(50)
    assert run.trainer.diverged
    run.change("lr", 0.1)                   # too late: the run has stopped, but the change is recorded
    again = runs.replay(run.settings)
    assert again.trainer.diverged and again.t == run.t
    assert again.trainer.history.reason == run.trainer.history.reason


def test_accuracy_counts_the_points_on_the_right_side_of_the_boundary():
    run = runs.Run(dict(storage.defaults(), dataset="moons", hidden=[5], lr=0.5))
    run.step(200)
    d = run.data
    for split, X, y in (("val", d.X_val, d.y_val), ("train", d.X, d.y)):
        z, _ = network.forward(run.params, X)             # p > 0.5 exactly where the logit z > 0
        right = sum((zn > 0) == (yn == 1) for zn, yn in zip(z[:, 0], y))
        assert run.accuracy(split) == right / len(y)
    assert run.accuracy() > 0.6                            # it has learned the moons, roughly


def test_describe_names_the_current_settings():
    run = runs.Run(dict(storage.defaults(), dataset="spiral", noise=0.2, hidden=[6, 3], activation="relu",
                        init="he_normal", lr=0.25, seed=7))
    run.step(12)
    run.change("penalty", "l1")
    run.change("lam", 0.002)
    line = runs.describe(run)
    for part in ("step 12", "spiral (200 points, noise 0.2)", "2-6-3-1 relu", "he_normal ×1",
                 "lr 0.25, momentum 0, full batch", "L1 λ 0.002", "seed 7"):
        assert part in line, (part, line)
    other = runs.Run(dict(storage.defaults(), val_fraction=0.5, data_seed=3, n=40, batch_size=4, momentum=0.9))
    assert "(40 points, noise 0.1, 50% held out, data seed 3)" in runs.describe(other)
    assert "momentum 0.9, batch 4" in runs.describe(other)


def test_momentum_and_mini_batches_match_a_plain_trainer_loop():
    s = dict(storage.defaults(), dataset="moons", hidden=[5], lr=0.2, momentum=0.8, batch_size=16, seed=3)
    run = runs.Run(s)
    run.step(45)
    d = datasets.load("moons", 200, 0.1, 0, 0.3)
    t = Trainer(network.init_params((2, 5, 1), "xavier_normal", 1.0, 3), d.X, d.y, lr=0.2, momentum=0.8,
                batch_size=16, seed=3, X_val=d.X_val, y_val=d.y_val)
    t.step(45)
    assert same_weights(run.params, t.current)
    assert run.trainer.history.epochs[-1] == (4 * 140 + 8 * 16) / 140    # 9 batches an epoch, the last of 12


def test_momentum_and_batch_size_changed_mid_run_replay_bit_for_bit():
    run = runs.Run(dict(storage.defaults(), hidden=[4], lr=0.3))
    run.step(20)
    run.change("momentum", 0.9)
    run.change("batch_size", 10)
    run.step(33)                             # 3 full epochs of 14 batches and 5 batches into the fourth
    run.change("batch_size", 7)              # a new permutation from the same generator
    run.change("lr", 0.1)
    run.step(17)
    run.change("batch_size", None)
    run.change("momentum", 0.0)
    run.step(9)
    assert run.changes == [[20, "momentum", 0.9], [20, "batch_size", 10], [53, "batch_size", 7], [53, "lr", 0.1],
                           [70, "batch_size", None], [70, "momentum", 0.0]]
    text = storage.settings_to_json(run.settings)
    again = runs.replay(text)
    assert again.t == 79 and same_weights(again.params, run.params)
    np.testing.assert_array_equal(again.trainer.history.loss, run.trainer.history.loss)
    other = runs.replay(text.replace('[53, "batch_size", 7]', '[53, "batch_size", 6]'))
    assert not same_weights(other.params, run.params)


def test_a_bounded_history_keeps_at_most_max_records_evenly_spaced_and_the_same_weights():
    s = dict(storage.defaults(), hidden=[4], lr=0.3, momentum=0.5)
    bounded = runs.Run(s, max_records=50)
    full = runs.Run(s)
    for n in (7, 60, 1, 200, 33):
        bounded.step(n)
        full.step(n)
        h = bounded.trainer.history
        assert len(h) <= 50
        assert h.steps[0] == 0 and set(np.diff(h.steps)) <= {bounded.trainer.record_every}
    assert bounded.t == full.t == 301 and bounded.trainer.record_every == 8
    assert same_weights(bounded.params, full.params)
    hf = full.trainer.history
    np.testing.assert_array_equal(h.loss, hf.loss[h.steps])
    np.testing.assert_array_equal(h.params, hf.params[h.steps])
    np.testing.assert_array_equal(h.update_ratio, hf.update_ratio[h.steps])
    assert same_weights(runs.replay(bounded.settings, max_records=50).params, full.params)


def test_a_run_stops_at_the_most_steps_a_settings_string_replays(monkeypatch):
    monkeypatch.setattr(storage, "MAX_STEPS", 120)
    run = runs.Run(dict(storage.defaults(), hidden=[2]))
    run.step(100)
    assert not run.at_limit
    run.step(50)
    assert run.t == 120 and run.at_limit
    run.step(5)
    assert run.t == 120
