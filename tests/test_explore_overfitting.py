"""Notebook 08 explorer: what it says in words, its cache per noise level, and the snapshots figure
(the width population is tests/test_experiments.py's)."""
import matplotlib.pyplot as plt

from weightlab.explore import overfitting as of


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
