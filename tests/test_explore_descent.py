"""The explorers and figures of notebook 05: the bowl, the descent explorer (controls, replay, the
sharpness panel, divergence in words), the sweep and the sharpening figures (the experiments
themselves are tests/test_experiments.py's and tests/test_curvature.py's)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from explorer_helpers import drive, explorer_fixture
from weightlab import curvature, experiments, explore, landscape, network, problems, quadratic, training
from weightlab.explore import descent


ex = explorer_fixture(descent.descent_explorer)


@pytest.mark.parametrize("name", ["lr", "step", "xweight", "yweight"])
def test_every_control_redraws_and_changes_the_picture(ex, name):
    assert drive(ex, name) >= 2


def reachable(control, value):
    """A slider reaches ``value`` by dragging: inside its range and on its grid of steps."""
    k = (value - control.min) / control.step
    return control.min - 1e-12 <= value <= control.max + 1e-12 and abs(k - round(k)) < 1e-6


@pytest.mark.parametrize("factory", [descent.descent_explorer, descent.bowl_explorer])
def test_every_value_the_text_asks_to_try_is_reachable(factory):
    ex = factory()
    try:
        assert ex.TRIES
        for name, values in ex.TRIES.items():
            for v in values:
                assert reachable(ex.controls[name], v), (name, v)
        for name in ex.TRAINING_CONTROLS:
            assert ex.controls[name].continuous_update is False
    finally:
        plt.close(ex.fig)


def test_learning_rate_slider_spans_slow_to_divergent(ex):
    lr = ex.controls["lr"]
    assert lr.min == 0.01 and lr.max == 2.0 and lr.step == 0.01
    assert "lr" in ex.TRAINING_CONTROLS


@pytest.mark.parametrize("lr, words, kind", [
    (0.01, ("Slow", "stayed near 2.54"), "#9a6700"),
    (0.3, ("Converging", "rose from 2.54 to 4.08 (progressive sharpening)", "below 2/η = 6.67"), "#1a7f37"),
    (0.5, ("Converging", "reached 2/η = 4 at step", "the edge of stability"), "#1a7f37"),
    (0.6, ("Fast, but some steps overshoot", "the edge of stability"), "#1a7f37"),
    (0.75, ("Oscillating", "the edge of stability"), "#9a6700"),
    (0.85, ("diverged at step 67",), "#b3261e"),
    (2.0, ("diverged at step",), "#b3261e")])
def test_each_regime_is_said_in_words(ex, lr, words, kind):
    ex.set(lr=lr)
    for w in words:
        assert w in ex.status.value, (w, ex.status.value)
    assert kind in ex.status.value and "nan" not in ex.status.value.lower()


def test_the_sharpness_panel_shows_lambda_max_of_the_real_hessian_and_the_limit(ex):
    params, X, y, loss = problems.descent_problem()
    ex.set(lr=0.5, step=40)
    run = experiments.Trajectory(params, X, y, 0.5, 100, loss)
    line = [ln for ln in ex.ax_sharp.lines if ln.get_gid() == "sharpness"][0]
    for t in (0, 50, 100):
        expected = curvature.sharpness(network.unflatten(run.params[t]), X, y, loss=loss)
        assert line.get_ydata()[t] == pytest.approx(expected, rel=1e-6)
    limit = [ln for ln in ex.ax_sharp.lines if ln.get_gid() == "limit"][0]
    assert list(limit.get_ydata()) == [4.0, 4.0]
    assert "2/η = 4 (dashed)" in ex.ax_sharp.get_title()
    assert ex.sharp_dot.get_ydata()[0] == pytest.approx(line.get_ydata()[40])
    ex.set(lr=0.01)
    assert "off the panel" in ex.ax_sharp.get_title() and ex.ax_sharp.get_ylim()[1] < 200


def test_a_learning_rate_seen_before_is_not_trained_again(ex, monkeypatch):
    ex.set(lr=0.4)
    ex.set(lr=0.3)
    calls = []
    monkeypatch.setattr(experiments, "sharpness_run", lambda *a: calls.append(a))
    ex.set(lr=0.4)
    assert not calls
    assert ex.run is ex.runs[0.4] and "Converging" in ex.status.value


def test_divergence_uses_the_history_reason_and_the_replay_stops_there(ex):
    params, X, y, loss = problems.descent_problem()
    _, h = training.train(params, X, y, steps=100, lr=2.0, loss=loss)
    ex.set(lr=2.0, step=100)
    assert h.reason in ex.status.value
    assert "Training stopped at step" in ex.status.value
    assert "left the map" in ex.status.value


def artist(ex, gid):
    return [ln for ln in ex.ax2.lines if ln.get_gid() == gid][0]


def test_replay_only_indexes_the_run(ex, monkeypatch):
    ex.set(lr=0.5, step=100)
    path_line = artist(ex, "path")
    full = np.asarray(path_line.get_xdata()).copy()
    trained = []
    monkeypatch.setattr(experiments, "sharpness_run", lambda *a: trained.append(a))
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
        assert any(lbl.startswith("2/λmax at the start = 0.79") for lbl in labels)
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


def test_sharpening_figure_one_column_per_learning_rate():
    fig = descent.sharpening_figure(lrs=(0.1, 0.5), steps=30)
    try:
        top, bottom = fig.axes[:2], fig.axes[2:]
        assert [ax.get_title() for ax in top] == ["η = 0.1: 2/η = 20 (off)", "η = 0.5: 2/η = 4"]
        params, X, y, loss = problems.descent_problem()
        run = experiments.sharpness_run(params, X, y, 0.5, 30, loss)
        np.testing.assert_allclose(top[1].lines[0].get_ydata(), run.sharpness)
        np.testing.assert_allclose(bottom[1].lines[0].get_ydata(), run.loss)
        explore.render(fig)
    finally:
        plt.close(fig)


# ---- the bowl -------------------------------------------------------------------------------
bowl = explorer_fixture(descent.bowl_explorer)


def test_bowl_axes_are_the_eigenvectors_labelled_with_their_curvatures(bowl):
    A, b, _ = quadratic.two_weight_problem()
    vals, vecs = np.linalg.eigh(A)
    texts = [t.get_text() for t in bowl.ax.texts]
    assert f"shallow axis\nλ = {vals[0]:.2f}" in texts and f"steep axis\nλ = {vals[1]:.2f}" in texts
    arrows = [a for a in bowl.ax.texts if a.get_text() == "" and hasattr(a, "xy")]
    assert len(arrows) == 2
    for arrow, v in zip(arrows, vecs.T):
        d = np.subtract(arrow.xy, arrow.xyann)
        assert abs(np.dot(d / np.linalg.norm(d), v)) == pytest.approx(1.0)


@pytest.mark.parametrize("lr", [0.3, 0.88, 1.1, 1.15])
def test_bowl_distances_shrink_by_one_minus_lr_lambda_per_step(bowl, lr):
    bowl.set(lr=lr, steps=20)
    A, b, _ = quadratic.two_weight_problem()
    vals = np.linalg.eigvalsh(A)
    for i in range(2):
        measured = np.asarray(bowl.dist[i].get_ydata(), dtype=float)
        ok = np.isfinite(measured)
        np.testing.assert_allclose(measured[ok], bowl.law[i].get_ydata()[ok], rtol=1e-6, atol=1e-12)
        ratio = measured[1:][ok[1:] & ok[:-1]] / measured[:-1][ok[1:] & ok[:-1]]
        np.testing.assert_allclose(ratio, abs(1 - lr * vals[i]), rtol=1e-6)


@pytest.mark.parametrize("lr, words, kind", [
    (0.3, ("+0.46", "+0.85", "the shallow axis is the slow one"), "#1a7f37"),
    (0.88, ("-0.58", "+0.57", "zigzags"), "#1a7f37"),
    (1.1, ("-0.97", "the steep axis is the slow one"), "#1a7f37"),
    (1.12, ("-1.01", "diverges", "2/λmax = 1.116"), "#b3261e"),
    (1.3, ("diverges",), "#b3261e")])
def test_bowl_says_what_each_axis_does(bowl, lr, words, kind):
    bowl.set(lr=lr)
    for w in words:
        assert w in bowl.status.value, (w, bowl.status.value)
    assert kind in bowl.status.value and "nan" not in bowl.status.value.lower()


@pytest.mark.parametrize("factory, moves", [(descent.descent_explorer, dict(lr=0.85, step=20, xweight="W1[0,0]")),
                                            (descent.bowl_explorer, dict(lr=1.15, steps=3))])
def test_reset_restores_every_control(factory, moves):
    ex = factory()
    try:
        start, status = ex.values(), ex.status.value
        ex.set(**moves)
        assert ex.values() != start
        ex.reset()
        assert ex.values() == start and ex.status.value == status
    finally:
        plt.close(ex.fig)


@pytest.mark.parametrize("factory", [descent.descent_explorer, descent.bowl_explorer])
def test_a_learning_rate_that_is_not_a_number_is_said_in_words(factory):
    ex = factory()
    try:
        before = explore.render(ex.fig)
        ex.set(lr=float("nan"))
        assert "not a finite number" in ex.status.value
        assert "nan" not in ex.status.value.lower()
        assert np.array_equal(explore.render(ex.fig), before)          # the last good picture stays
        ex.set(lr=0.5)
        assert "not a finite number" not in ex.status.value and "nan" not in ex.status.value.lower()
    finally:
        plt.close(ex.fig)


def test_edge_words_follow_the_report():
    from weightlab.curvature import EdgeReport
    hover = descent.edge_words(EdgeReport(4.0, 2.5, 4.3, 20, 12, 4.1))
    assert "reached 2/η = 4 at step 12" in hover and "1.02 × 2/η: the edge of stability" in hover
    early = descent.edge_words(EdgeReport(2.0, 2.5, 3.0, 5, 0, 2.2))
    assert "was above 2/η = 2 from the start" in early
    away = descent.edge_words(EdgeReport(4.0, 2.5, 4.3, 20, 12, 2.0))
    assert "did not stay at the edge" in away
    below = descent.edge_words(EdgeReport(6.67, 2.54, 4.08, 100, -1, 4.04))
    assert "rose from 2.54 to 4.08 (progressive sharpening), below 2/η = 6.67" in below
    assert descent.edge_words(EdgeReport(4.0, np.nan, np.nan, -1, -1, np.nan)) == ""
