"""Notebook 07 explorer: the width population against networks trained alone, the best stopping step,
parameter counts, and every control driven to its ends with the figure redrawn."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import weightlab as wl
from weightlab import network
from weightlab.explore import overfitting as of


def test_data_is_few_training_points_and_many_validation_points():
    d = of.noisy_data(0.3)
    assert d.X.shape == (30, 2) and d.X_val.shape == (120, 2)
    rows = {tuple(r) for r in d.X} & {tuple(r) for r in d.X_val}
    assert not rows                                         # no point in both sets


def test_n_parameters_against_the_package():
    for sizes in [(2, 1, 1), (2, 16, 1), (2, 64, 1), (2, 8, 8, 1)]:
        assert of.n_parameters(sizes) == network.flatten(wl.init_params(sizes)).size


def test_embed_keeps_the_function_and_rejects_a_smaller_width():
    X = of.noisy_data(0.1).X
    p = wl.init_params((2, 5, 1), seed=4)
    big = of.embed(p, 64)
    assert np.allclose(network.predict(big, X), network.predict(p, X), rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="width"):
        of.embed(p, 3)


def test_each_width_in_the_population_trains_exactly_as_alone():
    d = of.noisy_data(0.3)
    widths = (1, 4, 16, 32, 64)
    h = of.width_runs(d, widths, steps=120, lr=2.0, record_every=10)
    for k, w in enumerate(widths):
        alone = wl.Trainer(wl.init_params((2, w, 1), seed=0), d.X, d.y, lr=2.0, X_val=d.X_val,
                           y_val=d.y_val, record_every=10)
        alone.step(120)
        assert np.allclose(h.loss[:, k], alone.history.loss, rtol=1e-10, atol=1e-12)
        assert np.allclose(h.val_loss[:, k], alone.history.val_loss, rtol=1e-10, atol=1e-12)
        assert np.allclose(network.flatten(h.params(len(h) - 1, k)), alone.history.params[-1],
                           rtol=1e-10, atol=1e-12)
        theta = h._params[k][-1]                                   # embedded in its group's width
        P = network.unflatten(theta, (2, (len(theta) - 1) // 4, 1))
        assert not P["W1"][:, w:].any() and not P["W2"][w:].any()   # the unused units stayed exactly 0


def test_width_groups_cover_every_width_once():
    groups = of.width_groups(of.WIDTHS)
    assert sorted(w for g in groups for w in g) == sorted(of.WIDTHS)
    assert groups[0] == [1, 2, 4, 8]


def test_best_step_is_the_step_of_the_smallest_validation_loss():
    steps = np.arange(0, 100, 10)
    val = np.array([0.7, 0.5, 0.4, 0.35, 0.36, 0.4, 0.5, 0.6, 0.7, 0.8])
    assert of.best_step(steps, val) == 30


def test_wide_networks_overfit_noisy_data_and_not_clean_data():
    noisy = of.width_runs(of.noisy_data(0.3), (64,), steps=600)
    clean = of.width_runs(of.noisy_data(0.0), (64,), steps=600)
    b = int(np.argmin(noisy.val_loss[:, 0]))
    assert noisy.val_loss[-1, 0] > 1.5 * noisy.val_loss[b, 0] and noisy.loss[-1, 0] < noisy.loss[b, 0]
    assert clean.val_loss[-1, 0] < 0.05


def test_explorer_says_overfitting_underfitting_and_caches_per_noise():
    ex = of.overfitting_explorer()
    try:
        ex.set(width=64, noise=0.3)
        assert "learning the noise" in ex.status.value and "257 parameters for 30 points" in ex.status.value
        ex.set(width=1)
        assert "underfitting" in ex.status.value
        ex.set(step=0)
        assert "has not started" in ex.status.value
        ex.set(noise=0.0, step=590, width=64)
        assert "no sign of overfitting" in ex.status.value
        import time
        t0 = time.perf_counter()
        ex.set(noise=0.3)                        # trained before: replayed from the cache
        assert time.perf_counter() - t0 < 2.0
    finally:
        plt.close(ex.fig)


def test_snapshots_figure_has_three_boundaries():
    fig = of.snapshots_figure()
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert len(titles) == 3 and "(best)" in titles[1]
    finally:
        plt.close(fig)
