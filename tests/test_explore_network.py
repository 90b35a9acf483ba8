"""Notebooks 00 and 02: the welcome slider and the 13-parameter network explorer, checked
against independent computations (a loop over the hidden units)."""
import matplotlib.pyplot as plt
import re

import numpy as np
import pytest

from weightlab import checks, explore, network, problems
from weightlab.explore import network as netx
from weightlab.explore import welcome
from explorer_helpers import every_change_redraws_a_new_picture, explorer_fixture


ex = explorer_fixture(netx.network_explorer)


def test_every_control_at_min_middle_max_redraws(ex, monkeypatch):
    monkeypatch.setattr(ex.fig.canvas, "draw_idle", lambda: None)   # each render below is a real draw
    every_change_redraws_a_new_picture(ex)


def test_picking_a_parameter_loads_its_value_and_changes_nothing_else(ex):
    start = network.flatten(ex.current()).copy()
    for name in network.flat_names():
        ex.set(parameter=name)
        assert ex.controls["value"].value == pytest.approx(network.get_value(problems.xor_params(), name))
        np.testing.assert_array_equal(network.flatten(ex.current()), start)


def test_the_slider_edits_only_the_picked_parameter(ex):
    ex.set(parameter="W2[1,0]")
    ex.set(value=-4.2)
    expected = problems.xor_params()
    expected["W2"][1, 0] = -4.2
    np.testing.assert_array_equal(network.flatten(ex.current()), network.flatten(expected))
    assert "W2[1,0] = -4.20" in ex.status.value
    ex.set(parameter="b1[2]")                     # moving on keeps the edit
    assert network.get_value(ex.current(), "W2[1,0]") == -4.2
    assert ex.controls["value"].value == pytest.approx(1.0)


def test_all_13_at_slider_max_then_min_never_raises(ex, monkeypatch):
    monkeypatch.setattr(ex.fig.canvas, "draw_idle", lambda: None)   # draw once per setting below
    for value in (5.0, -5.0):
        for name in network.flat_names():
            ex.set(parameter=name)
            ex.set(value=value)
        np.testing.assert_array_equal(network.flatten(ex.current()), np.full(13, value))
        for act in netx.ACTIVATIONS:
            ex.set(activation=act)
            assert "Traceback" not in ex.status.value
            explore.render(ex.fig)


def test_reset_restores_the_xor_solution(ex):
    ex.set(parameter="b2[0]")
    ex.set(value=4.0)
    ex.reset()
    np.testing.assert_array_equal(network.flatten(ex.current()), network.flatten(problems.xor_params()))
    assert ex.controls["parameter"].value == "W1[0,0]"          # the first pick, with its value
    assert ex.controls["value"].value == pytest.approx(2.4)


def test_identity_activation_is_reported_as_one_linear_neuron(ex):
    ex.set(activation="identity")
    assert "one linear neuron" in ex.status.value


def test_constant_output_is_reported_in_words(ex):
    ex.set(parameter="b2[0]")
    ex.set(value=5.0)
    ex.set(activation="relu")
    assert "everywhere" in ex.status.value and "no decision boundary" in ex.status.value


def test_hidden_heatmaps_match_a_loop_over_units():
    ex = netx.network_explorer(activation="sigmoid")
    try:
        params = problems.xor_params()
        G, xs, ys = explore.grid(netx.EXTENT, 40)
        images = [ax.images[0] for ax in ex.fig.axes[2:5]]
        for j, image in enumerate(images):
            A = np.asarray(image.get_array())
            for (r, c) in [(0, 0), (13, 27), (39, 5)]:
                z = xs[c] * params["W1"][0, j] + ys[r] * params["W1"][1, j] + params["b1"][j]
                assert A[r, c] == pytest.approx(1 / (1 + np.exp(-z)), abs=1e-12)
    finally:
        plt.close(ex.fig)


def test_welcome_slider_moves_one_edge_and_the_boundary():
    ex = welcome.welcome_explorer()
    try:
        control = ex.controls["weight"]
        assert control.value == pytest.approx(2.4)
        before = explore.render(ex.fig)
        edges_before = ex.fig.axes[0].collections[0].get_linewidths().copy()
        for value in explore.positions(control):
            redraws = ex.redraws
            ex.set(weight=value)
            assert ex.redraws == redraws + 1
            assert "Traceback" not in ex.status.value
        assert not np.array_equal(before, explore.render(ex.fig))
        widths = ex.fig.axes[0].collections[0].get_linewidths()
        assert widths[0] != edges_before[0]                     # W1[0,0] is the first edge
        assert "+5.0" in ex.status.value and "was +2.4" in ex.status.value
    finally:
        plt.close(ex.fig)


def test_welcome_refuses_a_bias():
    with pytest.raises(ValueError, match="bias"):
        welcome.welcome_explorer(weight="b1[0]")


def test_activations_figure_draws_each_function():
    from weightlab import activations
    fig = netx.activations_figure()
    try:
        assert [ax.get_title() for ax in fig.axes] == ["relu", "leaky_relu", "sigmoid", "tanh", "identity"]
        for ax in fig.axes:
            z, a = ax.lines[0].get_data()
            f, _ = activations.get(ax.get_title())
            np.testing.assert_allclose(a, f(z))
    finally:
        plt.close(fig)


def test_diagram_figure_shows_the_given_weights():
    params = network.init_params(seed=0)
    fig = welcome.diagram_figure(params)
    try:
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert f"{params['W1'][0, 0]:+.2f}" in texts and f"{params['W2'][2, 0]:+.2f}" in texts
        widths = fig.axes[0].collections[0].get_linewidths()
        w = np.concatenate([params["W1"].ravel(), params["W2"].ravel()])
        assert np.argmax(widths) == np.argmax(np.abs(w))
    finally:
        plt.close(fig)


def test_reset_restores_every_control_and_the_parameters(ex):
    start = ex.values()
    ex.set(activation="relu", parameter="b2[0]")
    ex.set(value=4.0)
    ex.set(parameter="W2[2,0]")
    assert ex.values() != start
    ex.reset()
    assert ex.values() == start
    np.testing.assert_array_equal(network.flatten(ex.current()), network.flatten(problems.xor_params()))
    assert "With tanh" in ex.status.value


def test_identity_shows_the_best_straight_line_and_its_score(ex):
    from weightlab import experiments
    assert not ex.best_artist.get_visible() and not ex.best_label.get_visible()
    ex.set(activation="identity")
    accuracy, w, b = experiments.best_line(ex.X, ex.y)
    assert ex.best_artist.get_visible() and ex.best_label.get_visible()
    assert f"{100 * accuracy:.0f}%" in ex.best_label.get_text() and f"gets {100 * accuracy:.0f}%" in ex.status.value
    xs, ys = ex.best_artist.get_data()
    assert np.allclose(w[0] * np.asarray(xs) + w[1] * np.asarray(ys) + b, 0, atol=1e-9)
    ex.set(activation="leaky_relu")
    assert not ex.best_artist.get_visible() and "best straight line" not in ex.status.value


def _hidden_label_positions(diagram):
    """Data positions of the h₁, h₂, h₃ labels of a NetworkDiagram."""
    return {t.get_text(): np.asarray(t.xy) for t in diagram.unit_labels}


@pytest.mark.parametrize("make", ["network", "welcome", "figure"])
def test_every_diagram_labels_its_hidden_units_from_one(make):
    if make == "network":
        owner = netx.network_explorer()
        fig, diagram = owner.fig, owner.diagram
    elif make == "welcome":
        owner = welcome.welcome_explorer()
        fig, diagram = owner.fig, owner.diagram
    else:
        fig = welcome.diagram_figure()
        diagram = None
    try:
        if diagram is None:
            texts = [t.get_text() for t in fig.axes[0].texts]
            assert {"h₁", "h₂", "h₃"} <= set(texts)
            return
        where = _hidden_label_positions(diagram)
        assert list(where) == ["h₁", "h₂", "h₃"]
        for j, name in enumerate(where):          # label h_(j+1) sits at hidden unit j, the end of W1[0, j]
            np.testing.assert_allclose(where[name], netx.edge_ends(diagram, f"W1[0,{j}]")[1])
    finally:
        plt.close(fig)


def _overlaps(texts, renderer):
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_visible() and t.get_text()]
    return [(a, c) for k, (a, b) in enumerate(boxes) for c, d in boxes[k + 1:] if b.overlaps(d)]


@pytest.mark.parametrize("value", [None, -5.0, 5.0])
@pytest.mark.parametrize("make", ["network", "welcome", "figure"])
def test_edge_labels_never_overlap_each_other_or_the_unit_labels(make, value):
    params = problems.xor_params()
    if value is not None:
        for name in network.flat_names():
            network.set_value(params, name, value)
    if make == "network":
        owner = netx.network_explorer(params=params)
        fig, diagram = owner.fig, owner.diagram
    elif make == "welcome":
        owner = welcome.welcome_explorer()
        fig, diagram = owner.fig, owner.diagram
        if value is not None:
            owner.diagram.update(params)
    else:
        fig = welcome.diagram_figure(params)
        diagram = None
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = list(fig.axes[0].texts)
        if diagram is not None:
            texts = diagram.values + diagram.unit_labels + diagram.node_text
        assert not _overlaps(texts, renderer)
    finally:
        plt.close(fig)


def test_welcome_says_when_there_is_no_decision_boundary():
    ex = welcome.welcome_explorer(weight="W2[1,0]")
    try:
        for value in (-5.0, 5.0, 0.0, 2.4):
            ex.set(weight=value)
            P = network.predict(ex.params, ex.boundary.grid)
            none = P.min() > 0.5 or P.max() < 0.5
            assert ("no decision boundary" in ex.status.value) == none
            assert (ex.boundary.line is None) == none
    finally:
        plt.close(ex.fig)


def _reachable(control, value):
    """Whether a learner can put ``control`` at ``value`` (a slider step or an option)."""
    if hasattr(control, "options"):
        return value in control._options_values
    if not control.min - 1e-9 <= value <= control.max + 1e-9:
        return False
    k = (value - control.min) / control.step
    return abs(k - round(k)) < 1e-6


@pytest.mark.parametrize("factory", ["welcome.welcome_explorer", "neuron.neuron_explorer", "network.network_explorer",
                                     "loss.loss_explorer", "gradients.gradients_explorer"])
def test_every_value_the_text_asks_to_try_is_reachable(factory):
    ex = explore.all_explorers()[factory]()
    try:
        assert ex.TRIES, f"{factory} declares no TRIES"
        assert ex.TRAINING_CONTROLS == ()            # nothing in notebooks 00-04 trains
        for name, values in ex.TRIES.items():
            for value in values:
                assert _reachable(ex.controls[name], value), f"{factory}: {name} = {value!r} is not reachable"
    finally:
        plt.close(ex.fig)


@pytest.mark.parametrize("factory", ["welcome.welcome_explorer", "neuron.neuron_explorer", "network.network_explorer",
                                     "loss.loss_explorer", "gradients.gradients_explorer"])
def test_nan_set_from_python_is_put_back_and_never_shown(factory):
    import ipywidgets as widgets
    ex = explore.all_explorers()[factory]()
    try:
        for name, control in ex.controls.items():
            if not isinstance(control, widgets.FloatSlider):
                continue
            before = control.value
            control.value = float("nan")
            assert control.value == before
            assert "was given a value that is not a finite number" in ex.status.value
            assert f"it stays at {checks.shown(before)}" in ex.status.value
            assert not re.search(r"\bnan\b", ex.status.value, re.I)
    finally:
        plt.close(ex.fig)


def test_nan_in_the_value_slider_keeps_the_picked_parameter(ex):
    ex.set(parameter="b2[0]")
    ex.controls["value"].value = float("nan")
    assert ex.controls["value"].value == pytest.approx(-1.2)
    np.testing.assert_array_equal(network.flatten(ex.current()), network.flatten(problems.xor_params()))


def test_linear_figure_titles_each_answer_with_its_own_share_of_points_right():
    from weightlab import datasets, experiments
    X, y = datasets.make("xor", 200, 0.1, 0)
    fig = netx.linear_figure(X, y, problems.xor_params())
    try:
        titles = [ax.get_title() for ax in fig.axes]
        best = experiments.best_line(X, y)[0]
        expected = [network.accuracy(problems.xor_params(), X, y, "identity"), best,
                    network.accuracy(problems.xor_params(), X, y, "tanh")]
        for title, acc in zip(titles, expected):
            assert title.endswith(f"{100 * acc:.1f}% right")
        # the middle panel's 0.5 line is the best line itself
        _, w, b = experiments.best_line(X, y)
        path = fig.axes[1].collections[-1].get_paths()[0].vertices
        assert np.allclose(path @ w + b, 0, atol=0.05 * np.hypot(*w))
    finally:
        plt.close(fig)
