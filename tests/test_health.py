"""The diagnosis of a run in words: each warning in a run built to cause it, none in a healthy one,
and the numbers the sentences name."""
import numpy as np
import pytest

from weightlab import datasets, experiments, health, network
from weightlab.training import Trainer


def history(**kw):
    """The History of ``experiments.run`` (301 steps unless ``steps`` says otherwise)."""
    tr, _ = experiments.run(steps=kw.pop("steps", 301), **kw)
    return tr.history


@pytest.fixture(scope="module")
def healthy():
    return history(lr=0.3, activation="tanh", scale=1.0)


def test_a_healthy_run_has_no_warning(healthy):
    assert health.diagnose(healthy, "tanh") == []
    assert "No warning" in health.summary_sentence(healthy)


@pytest.mark.parametrize("settings,words", [
    (dict(lr=100.0, activation="relu"), "diverged at step"),
    (dict(lr=10.0, activation="tanh"), "growing without bound"),
    (dict(lr=10.0, activation="tanh"), "Updates are too large"),
    (dict(lr=1e-4, activation="tanh"), "Updates are too small"),
    (dict(lr=10.0, activation="relu"), "hidden units are dead"),
    (dict(lr=0.3, activation="tanh", scale=100.0), "hidden units are saturated"),
    (dict(lr=0.3, activation="tanh", scale=0.01), "weights themselves are tiny"),
])
def test_each_warning_triggers_in_a_run_built_to_cause_it(settings, words):
    warnings = health.diagnose(history(**settings), settings["activation"])
    assert any(words in w for w in warnings), warnings


def test_warnings_name_their_numbers():
    h = history(lr=10.0, activation="relu")
    dead = [w for w in health.diagnose(h, "relu") if "dead" in w][0]
    assert dead.startswith(f"{round(h.dead[-1] * 3)} of 3 hidden units are dead")
    # a zero update explained by dead units is not also called "too small"
    assert not any("too small" in w for w in health.diagnose(h, "relu"))


def test_diagnose_handles_short_and_empty_histories():
    X, y = datasets.make("xor", 20, 0.1, 0)
    t = Trainer(network.init_params(seed=0), X, y)
    assert health.diagnose(t.history) == []
    t.step(1)
    assert health.diagnose(t.history) == []


def test_the_update_rule_reads_the_median_of_the_first_quarter():
    """The 'too small' sentence names the median of ‖ΔW1‖/‖W1‖ over the first quarter, here recomputed
    from the recorded weights themselves."""
    h = history(lr=1e-4, activation="tanh")
    P = network.unflatten(h.params, (2, 3, 1))["W1"]               # (T, 2, 3)
    ratios = [np.linalg.norm(P[t + 1] - P[t]) / np.linalg.norm(P[t]) for t in range(len(P) // 4)]
    med = float(np.median(ratios))
    assert med < health.RATIO_TOO_SMALL
    small = [w for w in health.diagnose(h, "tanh") if w.startswith("Updates are too small for W1")][0]
    assert f"by only {med:.2g} of its size" in small


def test_dead_units_are_counted_over_every_hidden_layer():
    h = history(lr=10.0, activation="relu", sizes=(2, 4, 6, 1))
    dead = round(h.dead[-1] * 10)
    assert dead > 0
    sentence = [w for w in health.diagnose(h, "relu") if "dead" in w][0]
    assert sentence.startswith(f"{dead} of 10 hidden units are dead")


def test_the_most_serious_warning_comes_first():
    """Divergence, then dead units, then the rest (the update rule is checked before the units)."""
    warnings = health.diagnose(history(lr=100.0, activation="relu"), "relu")
    assert [w.split(":")[0] for w in warnings] == [
        "Training diverged at step 2", "2 of 3 hidden units are dead", "Updates are too large for W1",
        "Updates are too large for W2"]


def test_summary_of_an_empty_history():
    X, y = datasets.make("xor", 20, 0.1, 0)
    assert health.summary_sentence(Trainer(network.init_params(seed=0), X, y).history) == "Nothing trained yet."


def run_history(steps=200, **settings):
    from weightlab import runs, storage
    run = runs.Run(dict(storage.defaults(), **settings))
    run.step(steps)
    return run.trainer.history


@pytest.mark.parametrize("init,activation,zero", [("zeros", "tanh", True), ("zeros", "sigmoid", False),
                                                 ("constant", "tanh", False), ("constant", "relu", False)])
def test_a_symmetric_start_is_diagnosed_as_identical_units(init, activation, zero):
    h = run_history(init=init, activation=activation, hidden=[4], lr=1.0, init_scale=0.5)
    W = network.unflatten(h.params[-1], (2, 4, 1))
    assert np.all(W["W1"] == W["W1"][:, :1]) and np.all(W["b1"] == W["b1"][0])     # the units really are equal
    warnings = health.diagnose(h, activation)
    first = [w for w in warnings if not w.startswith("Training")][0]
    assert first.startswith("The hidden units are identical (all 4)"), warnings
    assert ("every weight is still exactly 0" in first) == zero


def test_a_random_start_has_no_identical_units():
    for init in ("xavier_normal", "he_uniform", "normal"):
        h = run_history(init=init, hidden=[4], lr=0.3)
        assert not any("identical" in w for w in health.diagnose(h, "tanh")), init


def test_identical_units_layer_by_layer():
    sizes = (2, 3, 2, 1)
    p = network.init_params(sizes, "constant", 0.5, 0)
    assert health.identical_units(network.flatten(p), sizes) == {1: True, 2: True}
    p["W2"][1, 0] += 1e-3                      # unit 0 of layer 2 differs now; layer 1's units still agree on
    got = health.identical_units(network.flatten(p), sizes)       # their incoming weights, not their outgoing
    assert got == {1: False, 2: False}
    p = network.init_params((2, 1, 3, 1), "zeros", 1.0, 0)
    assert health.identical_units(network.flatten(p), (2, 1, 3, 1)) == {2: True}   # one unit: nothing to compare


def test_both_hidden_layers_named_and_the_zero_cause_of_dead_relus():
    h = run_history(init="zeros", activation="relu", hidden=[4, 3], lr=1.0, steps=30)
    warnings = health.diagnose(h, "relu")
    assert warnings[0].startswith("The hidden units are identical (all 4 units of hidden layer 1 and all 3 units "
                                  "of hidden layer 2)")
    assert "each of these layers works like a single unit" in warnings[0]
    dead = [w for w in warnings if "dead" in w[:40]][0]
    assert dead.startswith("7 of 7 hidden units are dead") and "every weight is 0 and so is every bias" in dead
