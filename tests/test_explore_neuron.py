"""Notebook 01's explorer: one neuron's sliders, its decision line and output surface,
checked against independent computations."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import activations, datasets, explore
from weightlab.explore import neuron
from explorer_helpers import every_change_redraws_a_new_picture, explorer_fixture


ex = explorer_fixture(neuron.neuron_explorer)


def test_every_control_at_min_middle_max_redraws_and_changes_the_image(ex, monkeypatch):
    monkeypatch.setattr(ex.fig.canvas, "draw_idle", lambda: None)   # each render below is a real draw
    every_change_redraws_a_new_picture(ex)


def test_moving_a_weight_changes_the_picture(ex):
    before = explore.render(ex.fig)
    ex.set(w1=-3.0)
    assert not np.array_equal(before, explore.render(ex.fig))


def test_every_slider_corner_and_activation_is_safe(ex, monkeypatch):
    monkeypatch.setattr(ex.fig.canvas, "draw_idle", lambda: None)   # draw explicitly below
    for act in neuron.ACTIVATIONS:
        for w1 in (-5, 5):
            for w2 in (-5, 5):
                for b in (-5, 5):
                    ex.set(w1=w1, w2=w2, b=b, activation=act)
                    assert "Traceback" not in ex.status.value
                    explore.render(ex.fig)


def test_zero_weights_are_explained_in_words(ex):
    ex.set(w1=0.0, w2=0.0, b=1.0)
    assert "no decision line" in ex.status.value
    line = ex.fig.axes[0].lines[0]
    assert len(line.get_xdata()) == 0


def test_decision_line_is_where_z_is_zero():
    rng = np.random.default_rng(0)
    for _ in range(50):
        w1, w2, b = rng.uniform(-5, 5, 3)
        pts = neuron.line_points(w1, w2, b)
        mid = pts.mean(axis=0)
        for p in (pts[0], pts[1], mid):
            assert abs(w1 * p[0] + w2 * p[1] + b) < 1e-9 * max(1, np.abs(p).max())
    assert neuron.line_points(0.0, 0.0, 2.0) is None


def test_status_accuracy_and_probe_point_match_a_loop():
    X, y = datasets.make("blobs", 100, 0.1, 0)
    ex = neuron.neuron_explorer(w1=1.2, w2=-0.7, b=0.3, activation="tanh")
    try:
        correct = sum(((1.2 * x1 - 0.7 * x2 + 0.3) > 0) == (t == 1) for (x1, x2), t in zip(X, y))
        assert f"right for {round(100 * correct / len(y))}%" in ex.status.value
        z0 = 1.2 * X[0, 0] - 0.7 * X[0, 1] + 0.3
        assert f"= {z0:.2f}, a = f(z) = {np.tanh(z0):.3f}" in ex.status.value
    finally:
        plt.close(ex.fig)


def test_output_surface_is_f_of_the_weighted_sum_pointwise():
    ex = neuron.neuron_explorer(w1=2.0, w2=-1.0, b=0.5, activation="sigmoid")
    try:
        image = ex.fig.axes[0].images[0]
        A = np.asarray(image.get_array())
        G, xs, ys = explore.grid(neuron.EXTENT, 60)
        i, j = 7, 41
        z = 2.0 * xs[j] - 1.0 * ys[i] + 0.5
        assert A[i, j] == pytest.approx(1 / (1 + np.exp(-z)), abs=1e-12)
        assert image.get_clim() == (0.0, 1.0)
    finally:
        plt.close(ex.fig)


def test_activation_curve_passes_through_every_data_point():
    ex = neuron.neuron_explorer(activation="relu")
    try:
        ax2 = ex.fig.axes[2]
        dots = ax2.collections[0].get_offsets()
        f, _ = activations.get("relu")
        np.testing.assert_allclose(dots[:, 1], f(dots[:, 0]))
    finally:
        plt.close(ex.fig)


def test_colour_range_is_the_activations_own_range_where_it_has_one():
    a = np.array([-3.0, 0.5, 2.0])
    assert neuron.colour_range("sigmoid", a) == (0.0, 1.0)
    assert neuron.colour_range("tanh", a) == (-1.0, 1.0)
    assert neuron.colour_range("relu", a) == (0.0, 3.0)            # unbounded above: up to max |a|
    assert neuron.colour_range("identity", a) == (-3.0, 3.0)
    assert neuron.colour_range("identity", 0.1 * a) == (-1.0, 1.0)  # at least ±1


def _legend_consistent(ax):
    """No legend entry for an artist that is not visible (and no visible legend without a visible entry)."""
    legend = ax.get_legend()
    if legend is None or not legend.get_visible():
        return True
    shown = {line.get_label() for line in ax.lines if line.get_visible() and len(line.get_xdata())}
    return all(t.get_text() in shown for t in legend.get_texts())


@pytest.mark.parametrize("b", [-5.0, 5.0])
def test_a_line_outside_the_picture_is_not_drawn_and_the_status_says_so(ex, b):
    ex.set(b=b)
    ax = ex.fig.axes[0]
    assert not ex.line.get_visible() and not ex.arrow.get_visible() and not ex.arrow_label.get_visible()
    assert not ex.legend.get_visible()
    assert "outside the picture" in ex.status.value and "Rule" not in ex.status.value
    z = ex.X @ [1.5, 0.5] + b
    expected = np.mean((z > 0) == (ex.y == 1))
    assert f"right for {100 * expected:.0f}%" in ex.status.value
    assert ("class 1" if b > 0 else "class 0") in ex.status.value
    assert _legend_consistent(ax)


def test_status_line_and_figure_agree_at_every_slider_corner_and_between(ex):
    """The line, its arrow and its legend entry are drawn exactly when the line crosses the picture;
    the arrow starts on the line, inside the picture; the status line says which case it is."""
    x0, x1, y0, y1 = neuron.EXTENT
    for w1 in (-5.0, -0.3, 0.0, 1.5, 5.0):
        for w2 in (-5.0, 0.0, 0.2, 5.0):
            for b in (-5.0, -1.9, -0.5, 0.0, 2.3, 5.0):
                ex.set(w1=w1, w2=w2, b=b)
                ax = ex.fig.axes[0]
                assert _legend_consistent(ax)
                # does the line cross the picture? its z changes sign over the corners
                corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]]) @ [w1, w2] + b
                crosses = (w1, w2) != (0.0, 0.0) and corners.min() < 0 < corners.max()
                assert ex.line.get_visible() == crosses == ex.arrow.get_visible(), (w1, w2, b)
                if crosses:
                    xs, ys = ex.line.get_data()
                    assert np.all((np.asarray(xs) >= x0 - 1e-9) & (np.asarray(xs) <= x1 + 1e-9))
                    foot = ex.arrow.get_offsets()[0]
                    assert abs(w1 * foot[0] + w2 * foot[1] + b) < 1e-9 * max(1.0, abs(b))
                    assert x0 <= foot[0] <= x1 and y0 <= foot[1] <= y1
                    assert "Rule" in ex.status.value
                else:
                    assert ("no decision line" in ex.status.value) or ("outside the picture" in ex.status.value)


def test_clip_segment_keeps_exactly_the_points_inside_the_box():
    rng = np.random.default_rng(1)
    box = (-1.0, 2.0, -0.5, 0.5)
    for _ in range(200):
        pts = rng.uniform(-3, 3, (2, 2))
        seg = neuron.clip_segment(pts, box)
        t = np.linspace(0, 1, 2001)[:, None]
        along = pts[0] + t * (pts[1] - pts[0])
        inside = (along[:, 0] >= box[0]) & (along[:, 0] <= box[1]) & (along[:, 1] >= box[2]) & (along[:, 1] <= box[3])
        if seg is None:
            assert inside.sum() <= 1
            continue
        assert inside.any()
        for p in seg:                      # the ends lie in the box and on the segment
            assert box[0] - 1e-9 <= p[0] <= box[1] + 1e-9 and box[2] - 1e-9 <= p[1] <= box[3] + 1e-9
            cross = (p - pts[0])[0] * (pts[1] - pts[0])[1] - (p - pts[0])[1] * (pts[1] - pts[0])[0]
            assert abs(cross) < 1e-9
        length = np.linalg.norm(seg[1] - seg[0]) / np.linalg.norm(pts[1] - pts[0])
        assert length == pytest.approx(inside.mean(), abs=2e-3)
