"""Notebook 09: the health panel, the diagnosis in words and the monitoring explorer."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import datasets, explore, network
from weightlab.explore import monitoring as mon
from weightlab.training import Trainer


def history(**kw):
    tr, _ = mon.run(steps=kw.pop("steps", 301), **kw)
    return tr.history


@pytest.fixture(scope="module")
def healthy():
    return history(lr=0.3, activation="tanh", scale=1.0)


# ---- the maths behind the panel ---------------------------------------------------------
def test_weight_histograms_match_numpy_histogram_step_by_step():
    rng = np.random.default_rng(0)
    P = rng.normal(0, 1.5, (12, 13))
    mask = mon.weight_mask((2, 3, 1))
    edges = np.linspace(-2, 2, 9)
    counts = mon.weight_histograms(P, mask, edges)
    for t in range(len(P)):
        w = np.clip(P[t, mask], edges[0], edges[-1])     # outside values land in the edge bins
        expected, _ = np.histogram(w, edges)
        np.testing.assert_array_equal(counts[:, t], expected)
    assert counts.sum() == len(P) * mask.sum()


def test_weight_mask_picks_weights_only():
    names = network.flat_names((2, 3, 1))
    mask = mon.weight_mask((2, 3, 1))
    assert mask.sum() == 9 and len(mask) == 13
    assert all(n.startswith("W") == m for n, m in zip(names, mask))


def test_history_update_ratio_agrees_with_a_direct_computation(healthy):
    """‖W(t+1) − W(t)‖ / ‖W(t)‖ from the recorded parameters, per layer, for every step."""
    P = healthy.params
    sizes = (2, 3, 1)
    for t in range(0, len(P) - 1, 37):
        a, b = network.unflatten(P[t], sizes), network.unflatten(P[t + 1], sizes)
        for i, k in enumerate(("W1", "W2")):
            expected = np.linalg.norm(b[k] - a[k]) / np.linalg.norm(a[k])
            assert healthy.update_ratio[t, i] == pytest.approx(expected, rel=1e-12)
            assert healthy.weight_norm[t, i] == pytest.approx(np.linalg.norm(a[k]), rel=1e-12)


def test_sizes_are_read_back_from_the_history():
    for sizes in [(2, 3, 1), (2, 5, 1), (2, 4, 6, 1)]:
        X, y = datasets.make("xor", 20, 0.1, 0)
        t = Trainer(network.init_params(sizes, seed=1), X, y)
        t.step(2)
        assert mon._sizes_from(t.history) == sizes


# ---- the panel --------------------------------------------------------------------------
def test_panel_shows_the_history_it_is_given(healthy):
    fig = plt.figure()
    panel = mon.HealthPanel(fig, (2, 3, 1))
    panel.update(healthy, now=100)
    steps = healthy.steps
    np.testing.assert_array_equal(panel.lines["loss"].get_xdata(), steps)
    np.testing.assert_array_equal(panel.lines["loss"].get_ydata(), healthy.loss)
    for i in range(2):
        np.testing.assert_array_equal(panel.lines["norms"][i].get_ydata(), healthy.weight_norm[:, i])
        np.testing.assert_array_equal(panel.lines["grads"][i].get_ydata(), healthy.grad_norm[:, i])
        np.testing.assert_array_equal(panel.lines["ratio"][i].get_ydata(), healthy.update_ratio[:, i])
    segs = panel.param_lines.get_segments()
    assert len(segs) == 13
    for j in (0, 6, 12):
        np.testing.assert_array_equal(segs[j][:, 1], healthy.params[:, j])
    np.testing.assert_array_equal(panel.lines["dead"].get_ydata(), healthy.dead)
    assert all(line.get_xdata()[0] == 100 for line in panel.now_lines)
    assert panel.hist_image.get_array().shape == (panel.nbins, len(healthy))
    # the legend names every one of the 13 parameters
    assert [t.get_text() for t in panel.param_labels] == network.flat_names()
    plt.close(fig)


def test_panel_on_given_axes_and_a_subset_of_panels(healthy):
    fig, axes = plt.subplots(1, 3)
    panel = mon.HealthPanel(list(axes), (2, 3, 1), panels=("ratio", "hist", "units"))
    panel.update(healthy)
    assert set(panel.axes) == {"ratio", "hist", "units"}
    with pytest.raises(ValueError, match="one per panel"):
        mon.HealthPanel(list(axes), panels=("ratio",))
    with pytest.raises(ValueError, match="not known"):
        mon.HealthPanel(fig, panels=("speed",))
    plt.close(fig)


def test_panel_on_a_subplotspec_and_a_wide_deep_net():
    fig = plt.figure()
    gs = fig.add_gridspec(1, 2)
    sizes = (2, 8, 8, 1)
    panel = mon.HealthPanel(gs[0, 1], sizes)
    X, y = datasets.make("spiral", 40, 0.1, 0)
    t = Trainer(network.init_params(sizes, seed=0), X, y, lr=0.1)
    panel.update(t.history)           # empty history: nothing to draw, nothing raised
    t.step(30)
    panel.update(t.history)
    assert len(panel.param_lines.get_segments()) == len(network.flat_names(sizes))
    assert len(panel.lines["norms"]) == 3
    explore.render(fig)
    plt.close(fig)


def test_panel_copes_with_a_diverged_run():
    h = history(lr=100.0, activation="relu")
    assert h.diverged
    fig = plt.figure()
    panel = mon.HealthPanel(fig)
    panel.update(h)
    explore.render(fig)
    plt.close(fig)


# ---- the diagnosis ----------------------------------------------------------------------
def test_a_healthy_run_has_no_warning(healthy):
    assert mon.diagnose(healthy, "tanh") == []
    assert "No warning" in mon.summary_sentence(healthy)


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
    warnings = mon.diagnose(history(**settings), settings["activation"])
    assert any(words in w for w in warnings), warnings


def test_warnings_name_their_numbers():
    h = history(lr=10.0, activation="relu")
    dead = [w for w in mon.diagnose(h, "relu") if "dead" in w][0]
    assert dead.startswith(f"{round(h.dead[-1] * 3)} of 3 hidden units are dead")
    # a zero update explained by dead units is not also called "too small"
    assert not any("too small" in w for w in mon.diagnose(h, "relu"))


def test_diagnose_handles_short_and_empty_histories():
    X, y = datasets.make("xor", 20, 0.1, 0)
    t = Trainer(network.init_params(seed=0), X, y)
    assert mon.diagnose(t.history) == []
    t.step(1)
    assert mon.diagnose(t.history) == []


# ---- the explorer -----------------------------------------------------------------------
def test_explorer_says_divergence_and_dead_units_in_words():
    ex = mon.monitoring_explorer()
    try:
        ex.set(lr=100.0, activation="relu")
        assert "diverged at step" in ex.status.value and "#b3261e" in ex.status.value
        assert "The run stopped at step" in ex.status.value
        ex.set(lr=10.0, activation="relu", step=150)
        assert "hidden units are dead" in ex.status.value
        ex.set(lr=0.3, activation="tanh", step=150)
        assert "No warning" in ex.status.value and "Step 150 of 300" in ex.status.value
    finally:
        plt.close(ex.fig)


def test_the_step_slider_only_replays():
    ex = mon.monitoring_explorer()
    try:
        runs = len(ex.cache)
        for s in (0, 10, 200):
            ex.set(step=s)
        assert len(ex.cache) == runs         # nothing retrained
        assert ex.panel.now_lines[0].get_xdata()[0] == 200
    finally:
        plt.close(ex.fig)
