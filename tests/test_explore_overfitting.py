"""Notebook 08 explorer: what it says in words, what it draws, its cache per noise level, its reset,
and the snapshots figure (the width population and the learning curves are tests/test_experiments.py's)."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from explorer_helpers import explorer_fixture, move_controls
from weightlab import experiments
from weightlab.explore import overfitting as of


ex = explorer_fixture(of.overfitting_explorer, scope="module")


def test_status_says_overfitting_underfitting_and_over_confidence(ex):
    ex.set(width=64, noise=0.3, n_train=32, step=500)
    status = ex.status.value
    assert "learning the noise" in status and "257 parameters for 32 points" in status
    assert "over-confident" in status and "Stop at step 80" in status
    ex.set(width=1)
    assert "underfitting" in ex.status.value
    ex.set(step=0)
    assert "has not started" in ex.status.value
    ex.set(noise=0.0, step=500, width=64)
    assert "no sign of overfitting" in ex.status.value
    ex.set(noise=0.3, n_train=512, width=32)
    assert "no sign of overfitting" in ex.status.value and "129 parameters for 512 points" in ex.status.value


def test_the_status_numbers_are_the_figure_numbers(ex):
    ex.set(noise=0.3, n_train=32, width=16, step=200)
    lc = of.cached_curves(0.3, *ex.recipe)
    r, k = lc.runs[32], experiments.WIDTHS.index(16)
    t = list(r.steps).index(200)
    assert f"training loss {r.loss[t, k]:.3f}, validation loss {r.val_loss[t, k]:.3f}" in ex.status.value
    x, y = ex.loss_curves.val.get_data()
    np.testing.assert_array_equal(y, r.val_loss[:, k])
    bx, by = ex.best_dot.get_data()
    assert bx[0] == experiments.best_step(r.steps, r.val_loss[:, k])
    # the log-log panels draw log10 of the values on linear axes, with ticks labelled as the values
    np.testing.assert_allclose(ex.r_val.get_data()[0], np.log10(lc.ratio[lc.sizes.index(32)]))   # at (4h+1)/N
    np.testing.assert_allclose(ex.r_val.get_data()[1], np.log10(r.val_loss[t]))
    for h, (line_t, line_v) in ex.c_lines.items():                                        # the learning curves
        np.testing.assert_allclose(line_v.get_ydata(), np.log10(lc.final_val[:, experiments.WIDTHS.index(h)]))
        np.testing.assert_allclose(line_t.get_xdata(), np.log2(experiments.TRAIN_SIZES))
    labels = {t.get_text() for t in ex.ax_c.get_xticklabels()}
    assert labels == {str(n) for n in experiments.TRAIN_SIZES}
    assert "2-16-1: 65 parameters, 32 training points (2.03 per point)" in ex.head.get_text()


def test_best_stop_marker_stays_inside_the_axes_at_either_end(ex):
    ex.set(noise=0.3, n_train=8, width=64, step=500)            # the best stop is step 0
    lo, hi = ex.ax_l.get_xlim()
    assert ex.best_dot.get_data()[0][0] == 0 and lo < 0
    ex.set(noise=0.0, n_train=32, width=16)                     # the best stop is the last step
    assert ex.best_dot.get_data()[0][0] == 500 and hi > 500


def test_every_control_redraws_once_and_changes_the_picture(ex):
    for name, changes in move_controls(ex, one_redraw=True).items():
        assert all(changes), f"a move of {name} changed nothing"


def test_noise_trains_once_then_replays_from_a_bounded_cache(ex):
    ex.set(noise=0.2)
    ex.set(noise=0.3)
    before = of.cached_curves.cache_info()
    ex.set(noise=0.2)                                 # trained before: replayed from the cache
    ex.set(noise=0.3)
    after = of.cached_curves.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert of.cached_curves.cache_info().maxsize == len(of.NOISES)


def test_declarations_reachable_and_training_controls_not_continuous(ex):
    for name, values in ex.TRIES.items():
        c = ex.controls[name]
        for v in values:
            lo, hi = (c.base ** c.min, c.base ** c.max) if isinstance(c, widgets.FloatLogSlider) else (c.min, c.max)
            assert lo <= v <= hi, (name, v)
    for name in ex.TRAINING_CONTROLS:
        assert ex.controls[name].continuous_update is False, name


def test_reset_restores_every_control(ex):
    start = dict(ex.defaults)
    ex.set(width=2, noise=0.1, n_train=128, step=100)
    ex.reset()
    assert ex.values() == start


def test_controls_snap_to_the_trained_grid(ex):
    ex.set(width=5.0, n_train=40.0, noise=0.33)
    assert ex.chosen() == (4, experiments.WIDTHS.index(4), 32, 0.3)


def test_learning_curve_colours_come_from_the_palette_and_legends_are_short(ex):
    from weightlab.plots import OKABE_ITO
    palette = set(OKABE_ITO.values())
    for line_t, line_v in ex.c_lines.values():
        assert line_t.get_color() in palette and line_t.get_color() == line_v.get_color()
        assert line_t.get_linestyle() != line_v.get_linestyle()     # training and validation apart without colour
    for ax in ex.fig.axes:
        legend = ax.get_legend()
        assert legend is None or len(legend.get_texts()) <= 6


def test_log_ticks_are_powers_of_ten_or_one_two_five():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    try:
        of.log_ticks(ax.yaxis, -3.3, 1.2)                   # more than two decades: powers of ten
        assert [t.get_text() for t in ax.get_yticklabels()] == ["0.001", "0.01", "0.1", "1", "10"]
        of.log_ticks(ax.yaxis, np.log10(0.09), np.log10(0.7))
        assert [t.get_text() for t in ax.get_yticklabels()] == ["0.1", "0.2", "0.5"]
        np.testing.assert_allclose(ax.get_yticks(), np.log10([0.1, 0.2, 0.5]))
    finally:
        plt.close(fig)


def test_snapshots_figure_has_three_boundaries():
    fig = of.snapshots_figure()
    try:
        titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
        assert len(titles) == 3 and "(best)" in titles[1] and titles[1].startswith("step 50")
    finally:
        plt.close(fig)
