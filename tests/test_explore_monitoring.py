"""Notebook 10: the health panel and the monitoring explorer (the diagnosis is tests/test_health.py)."""
import gc
import html
import re
import weakref

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from test_health import healthy, history  # noqa: F401  (the runs of notebook 10, and a fixture)
from weightlab import datasets, explore, network, runs, storage
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
    # the key names the four families of the 13 parameters, with how many each holds
    assert panel.param_families == ["W1 (6)", "b1 (3)", "W2 (3)", "b2 (1)"]
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


def said(ex):
    return html.unescape(re.sub(r"<[^>]+>", "", ex.status.value))


# ---- colours a colour-blind reader can tell apart -------------------------------------------
# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB; distances in CIELAB (ΔE*ab).
MACHADO = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal vision": np.eye(3),
}


def lab(colour, vision):
    c = np.asarray(to_rgb(colour))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    rgb = np.clip(np.asarray(MACHADO[vision]) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_layers_and_parameter_families_stay_apart_for_colour_blind_readers():
    """Every pair of things the panel tells apart by colour differs by at least 15 ΔE*ab under each simulated
    colour-vision deficiency (about 7 times a just-noticeable difference of 2.3), or else by line style too.
    The old palette failed: W2 red and W3 green were 7 apart under deuteranopia."""
    fig = plt.figure()
    panel = mon.HealthPanel(fig, (2, 8, 8, 1))
    things = {name: (line.get_color(), line.get_linestyle()) for name, line in zip(panel.layers,
                                                                                  panel.lines["norms"])}
    things.update({f: mon.family_style(f) for f in network.param_names((2, 8, 8, 1))})
    things.update({k: (line.get_color(), line.get_linestyle()) for k, line in panel.lines.items()
                   if k in ("dead", "saturated")})
    groups = [["W1", "W2", "W3"], ["W1", "b1", "W2", "b2", "W3", "b3"], ["dead", "saturated"]]
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                (ca, la), (cb, lb) = things[a], things[b]
                gap = min(np.linalg.norm(lab(ca, v) - lab(cb, v)) for v in MACHADO)
                assert gap >= 15 or (gap >= 10 and la != lb), (a, b, gap)
    assert len({things[k][1] for k in ("W1", "W2", "W3")}) == 3        # a line style per layer as well
    plt.close(fig)


def test_no_key_lists_more_than_six_entries():
    fig = plt.figure()
    panel = mon.HealthPanel(fig, (2, 8, 8, 1))
    assert len(panel.param_families) == 6
    for ax in panel.axes.values():
        assert ax.get_legend() is None
    plt.close(fig)


# ---- what a log scale cannot show is said ------------------------------------------------
def test_all_zero_weights_are_named_instead_of_a_blank_panel():
    run = runs.Run(dict(storage.defaults(), init="zeros", hidden=[4], lr=0.3))
    run.step(40)
    fig = plt.figure()
    panel = mon.HealthPanel(fig, (2, 4, 1))
    panel.update(run.trainer.history)
    assert panel.notes["norms"].get_text() == ("‖W‖ = 0 throughout: W1, W2\n‖∂L/∂W‖ = 0 throughout: W1, W2\n"
                                               "(0 is off a log scale)")
    assert panel.notes["ratio"].get_text() == "no ratio for W1, W2: ‖W‖ = 0"
    assert all(np.isnan(line.get_ydata()).all() for line in panel.lines["norms"])
    run = runs.Run(dict(storage.defaults(), hidden=[4], lr=0.3, activation="relu"))
    run.step(40)
    panel.update(run.trainer.history)
    assert panel.notes["norms"].get_text() == "" and panel.notes["ratio"].get_text() == ""
    plt.close(fig)


# ---- the explorer's declarations, reset, NaN, closing ---------------------------------------
def test_every_value_the_text_asks_to_try_is_on_its_control():
    ex = mon.monitoring_explorer()
    try:
        for name, values in mon.MonitoringExplorer.TRIES.items():
            control = ex.controls[name]
            for value in values:
                if isinstance(control, widgets.FloatLogSlider):
                    k = (np.log10(value) - control.min) / control.step
                    assert control.min <= np.log10(value) <= control.max and abs(k - round(k)) < 1e-9, (name, value)
                else:
                    assert value in control._options_values, (name, value)
        for name in mon.MonitoringExplorer.TRAINING_CONTROLS:
            assert getattr(ex.controls[name], "continuous_update", False) is False, name
    finally:
        plt.close(ex.fig)


def test_reset_puts_every_control_back():
    ex = mon.monitoring_explorer()
    try:
        start = ex.values()
        ex.set(lr=10.0, activation="relu", scale=100.0, lam=0.01, step=20)
        assert all(ex.values()[k] != start[k] for k in start)
        ex.reset()
        assert ex.values() == start
    finally:
        plt.close(ex.fig)


@pytest.mark.parametrize("name", ["lr", "scale"])
def test_nan_set_from_python_goes_back_and_says_so(name):
    ex = mon.monitoring_explorer()
    try:
        before = ex.values()
        ex.controls[name].value = float("nan")
        assert ex.values() == before
        assert "not a finite number" in said(ex) and not re.search(r"\bnan\b", said(ex), re.I)
    finally:
        plt.close(ex.fig)


def test_the_cache_of_runs_is_capped():
    ex = mon.monitoring_explorer(cache_size=5)
    try:
        for k in range(9):
            ex.set(lr=10 ** (-3 + 0.25 * k))
        assert len(ex.cache) == 5
    finally:
        plt.close(ex.fig)


def test_a_new_explorer_closes_the_previous_one():
    first = mon.monitoring_explorer()
    figures = len(plt.get_fignums())
    ref = weakref.ref(first)
    ex = mon.monitoring_explorer()
    assert len(plt.get_fignums()) == figures and first.widget.comm is None
    del first
    gc.collect()
    assert ref() is None
    plt.close(ex.fig)


def test_divergence_and_its_reason_in_words_at_every_replay_step():
    ex = mon.monitoring_explorer()
    try:
        ex.set(lr=100.0, activation="relu", step=1)
        assert "diverged at step 2" in said(ex) and "over 100 times both its start" in said(ex)
        ex.set(step=2)
        assert not re.search(r"\bnan\b|\binf\b", said(ex), re.I)
    finally:
        plt.close(ex.fig)


def test_a_figure_handed_on_to_the_new_explorer_stays_open(monkeypatch):
    """If explore.figure ever hands a re-run the same figure, closing the old explorer must not close it."""
    first = mon.monitoring_explorer()
    monkeypatch.setattr(mon, "figure", lambda *a, **k: first.fig)
    second = mon.monitoring_explorer()
    assert second.fig is first.fig and plt.fignum_exists(first.fig.number)
    assert first.widget.comm is None
    plt.close(second.fig)
