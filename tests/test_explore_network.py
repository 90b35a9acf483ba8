"""Notebooks 00 and 02: the welcome slider and the 13-parameter network explorer, checked
against independent computations (a loop over the hidden units)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import explore, network, problems
from weightlab.explore import network as netx
from weightlab.explore import welcome
from explorer_helpers import every_change_redraws_a_new_picture


@pytest.fixture
def ex():
    e = netx.network_explorer()
    yield e
    plt.close(e.fig)


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
    assert ex.controls["value"].value == pytest.approx(-1.2)


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
        assert [ax.get_title() for ax in fig.axes] == ["relu", "sigmoid", "tanh", "identity"]
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
