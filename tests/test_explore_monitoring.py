"""Notebook 10: the health panel and the monitoring explorer (the diagnosis is tests/test_health.py)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from test_health import healthy, history  # noqa: F401  (the runs of notebook 10, and a fixture)
from weightlab import datasets, explore, network
from weightlab.explore import monitoring as mon
from weightlab.training import Trainer


# ---- the maths behind the panel ---------------------------------------------------------
def test_weight_histograms_match_numpy_histogram_step_by_step():
    rng = np.random.default_rng(0)
    P = rng.normal(0, 1.5, (12, 13))
    mask = network.weight_mask((2, 3, 1))
    edges = np.linspace(-2, 2, 9)
    counts = mon.weight_histograms(P, mask, edges)
    for t in range(len(P)):
        w = np.clip(P[t, mask], edges[0], edges[-1])     # outside values land in the edge bins
        expected, _ = np.histogram(w, edges)
        np.testing.assert_array_equal(counts[:, t], expected)
    assert counts.sum() == len(P) * mask.sum()


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
