"""The descent explorer and the learning-rate sweep figure of notebook 05: controls, replay,
divergence in words (the sweep itself is tests/test_experiments.py's)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from explorer_helpers import drive
from weightlab import experiments, explore, landscape, problems, training
from weightlab.explore import descent


@pytest.fixture
def ex():
    e = descent.descent_explorer()
    yield e
    plt.close(e.fig)


@pytest.mark.parametrize("name", ["lr", "step", "xweight", "yweight"])
def test_every_control_redraws_and_changes_the_picture(ex, name):
    assert drive(ex, name) >= 2


def test_learning_rate_slider_spans_too_small_to_divergent(ex):
    lr = ex.controls["lr"]
    assert lr.min == -3 and lr.max == 2 and "log scale" in lr.description


@pytest.mark.parametrize("lr, word, kind", [(1e-3, "Slow", "#9a6700"), (0.01, "Slow", "#9a6700"),
                                            (0.2, "Converging", "#1a7f37"), (0.5, "Converging", "#1a7f37"),
                                            (0.6, "close to the edge", "#1a7f37"),
                                            (0.7, "Oscillating", "#9a6700"), (0.8, "Oscillating", "#9a6700"),
                                            (0.85, "diverged at step", "#b3261e"),
                                            (100.0, "diverged at step", "#b3261e")])
def test_each_regime_is_said_in_words(ex, lr, word, kind):
    ex.set(lr=lr)
    assert word in ex.status.value and kind in ex.status.value


def test_divergence_uses_the_history_reason_and_the_replay_stops_there(ex):
    params, X, y, loss = problems.descent_problem()
    _, h = training.train(params, X, y, steps=100, lr=100.0, loss=loss)
    ex.set(lr=100.0, step=100)
    assert h.reason in ex.status.value
    assert "Training stopped at step" in ex.status.value
    assert "left the map" in ex.status.value


def artist(ex, gid):
    return [ln for ln in ex.fig.axes[1].lines if ln.get_gid() == gid][0]


def test_replay_only_indexes_the_run(ex, monkeypatch):
    ex.set(lr=0.5, step=100)
    path_line = artist(ex, "path")
    full = np.asarray(path_line.get_xdata()).copy()
    trained = []
    monkeypatch.setattr(experiments, "Trajectory", lambda *a: trained.append(a))
    ex.set(step=10)
    assert not trained                     # moving the step slider does not train again
    assert len(path_line.get_xdata()) == 11
    np.testing.assert_array_equal(path_line.get_xdata(), full[:11])


def test_path_is_the_two_weights_of_the_real_training_run(ex):
    params, X, y, loss = problems.descent_problem()
    ex.set(lr=0.2, step=30, xweight="W1[0,0]", yweight="b1[2]")
    t = training.Trainer(params, X, y, lr=0.2, loss=loss)
    t.step(100)
    expected = landscape.path(t.history, ["W1[0,0]", "b1[2]"])[:31]
    line = artist(ex, "path")
    np.testing.assert_allclose(line.get_xdata(), expected[:, 0])
    np.testing.assert_allclose(line.get_ydata(), expected[:, 1])
    assert f"Step 30: loss {t.history.loss[30]:.3g}" in ex.status.value


def test_the_last_step_shows_the_trained_weights(ex):
    params, X, y, loss = problems.descent_problem()
    final, _ = training.train(params, X, y, steps=100, lr=0.3, loss=loss)
    ex.set(lr=0.3, step=100)
    point = artist(ex, "current")
    assert point.get_xdata()[0] == pytest.approx(final["W2"][1, 0])
    assert point.get_ydata()[0] == pytest.approx(final["b2"][0])


def test_sweep_figure_draws_the_edge_and_the_diverged_runs():
    fig = descent.sweep_figure(n=20, steps=60)
    try:
        ax = fig.axes[0]
        labels = [ln.get_label() for ln in ax.lines]
        assert any(lbl.startswith("2/λmax") for lbl in labels)
        crosses = [ln for ln in ax.lines if ln.get_label().startswith("diverged")][0]
        assert len(crosses.get_xdata()) > 0 and min(crosses.get_xdata()) > 0.8
        explore.render(fig)
    finally:
        plt.close(fig)


def test_same_weight_twice_is_never_shown(ex):
    ex.set(xweight="b2[0]", yweight="b2[0]")
    assert ex.values()["xweight"] != ex.values()["yweight"]
    assert "cannot show b2[0]" in ex.status.value


def test_sweep_figure_with_every_run_diverging_or_none():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lo, hi in ((1.0, 2.0), (-3.0, -2.0)):
            fig = descent.sweep_figure(lo, hi, n=4, steps=20)
            explore.render(fig)
            plt.close(fig)
