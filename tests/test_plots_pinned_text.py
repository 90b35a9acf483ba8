"""plots.pin_titles_and_labels: the same pixels as matplotlib's own layout, without measuring the tick
labels again at every redraw."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from weightlab import plots  # noqa: E402


def _figure():
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    for ax, scale in zip(axes, ("linear", "log")):
        ax.plot([1, 10, 100], [0.01, 1, 3])
        ax.set_yscale(scale)
        ax.set_title("a title")
        ax.set_xlabel("x label")
        ax.set_ylabel("y label")
    return fig


def _pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_pinned_text_draws_the_same_pixels_and_stays_put():
    fig = _figure()
    try:
        before = _pixels(fig)
        plots.pin_titles_and_labels(fig)
        assert np.array_equal(before, _pixels(fig))
        ax = fig.axes[0]
        ax.set_ylim(0.001, 1000)             # wider tick labels: the pinned label does not move
        x_before = ax.yaxis.label.get_position()[0]
        fig.canvas.draw()
        assert ax.yaxis.label.get_position()[0] == x_before
    finally:
        plt.close(fig)


def test_room_for_y_labels_can_be_given():
    fig = _figure()
    try:
        plots.pin_titles_and_labels(fig, ylabel_room=0.3)
        for ax in fig.axes:
            x, _ = ax.transAxes.inverted().transform(
                ax.yaxis.label.get_transform().transform(ax.yaxis.label.get_position()))
            assert abs(x + 0.3) < 1e-9
    finally:
        plt.close(fig)
