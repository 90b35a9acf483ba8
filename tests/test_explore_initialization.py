"""Notebook 07 explorers: what each says in words, and that moving a seed changes only what it shows
(the experiments behind them are tests/test_experiments.py)."""
import matplotlib.pyplot as plt
import numpy as np

from weightlab import explore
from weightlab.explore import initialization as ini


def test_symmetry_explorer_says_what_happens():
    ex = ini.symmetry_explorer()
    try:
        ex.set(no_nudge=True, start="zeros")
        assert "identical at every step" in ex.status.value and "only the output bias" in ex.status.value
        ex.set(start="constant 0.5")
        assert "lockstep" in ex.status.value
        ex.set(no_nudge=False, pattern="one", start="zeros", eps=1e-3)
        assert "twins" in ex.status.value
        ex.set(pattern="every")
        assert "different feature detectors" in ex.status.value
    finally:
        plt.close(ex.fig)


def test_initialisation_explorer_words_and_cache():
    ex = ini.initialisation_explorer(seeds=6, steps=40)
    try:
        ex.set(init="zeros")
        assert "same network" in ex.status.value
        ex.set(init="xavier_normal", scale=0.01)
        assert "coin toss" not in ex.status.value and "still above 0.5" in ex.status.value
        ex.set(scale=1.0)
        hist_before = explore.render(ex.fig)
        ex.set(seed=3)                               # only the histograms and the highlighted curve change
        assert not np.array_equal(hist_before, explore.render(ex.fig))
    finally:
        plt.close(ex.fig)


def test_deep_stack_explorer_words():
    ex = ini.deep_stack_explorer()
    try:
        ex.set(init="he_normal", activation="relu", scale=1.0)
        assert "about constant" in ex.status.value
        ex.set(init="xavier_normal")
        assert "vanish" in ex.status.value
        ex.set(init="normal")
        assert "explode" in ex.status.value
        ex.set(activation="tanh", init="xavier_normal", scale=10.0)
        assert "saturated" in ex.status.value
    finally:
        plt.close(ex.fig)
