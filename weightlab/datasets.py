"""Seeded toy data in numpy alone: two inputs and 0/1 labels, plus a 1-D regression set.

Every maker takes ``n`` (samples), ``noise`` (standard deviation of Gaussian
noise added to the inputs; for ``sine``, to the targets) and a random generator.
"""
from collections import namedtuple

import numpy as np

from . import checks
from .initializers import make_rng

Dataset = namedtuple("Dataset", "X y X_val y_val name")


def xor(n, noise, rng):
    """Points in [-1, 1]^2; label 1 where x1 and x2 have the same sign."""
    X = rng.uniform(-1, 1, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.float64)
    return X + noise * rng.standard_normal((n, 2)), y


def moons(n, noise, rng):
    """Two interleaving half circles (label 0: upper, 1: lower), centred near 0."""
    n0 = n // 2
    t = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], 1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
    y = (np.arange(n) >= n0).astype(np.float64)
    X = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    return X + noise * rng.standard_normal((n, 2)), y


def circles(n, noise, rng):
    """An inner disc (label 1, radius 0.5) inside a ring (label 0, radius 1)."""
    y = (np.arange(n) % 2).astype(np.float64)
    t = rng.uniform(0, 2 * np.pi, n)
    r = np.where(y == 1, 0.5, 1.0)
    X = r[:, None] * np.stack([np.cos(t), np.sin(t)], 1)
    return X + noise * rng.standard_normal((n, 2)), y


def blobs(n, noise, rng):
    """Two Gaussian clouds around (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1), spread 0.25 + noise."""
    y = (np.arange(n) % 2).astype(np.float64)
    centres = np.where(y[:, None] == 1, 0.5, -0.5)
    return centres + (0.25 + noise) * rng.standard_normal((n, 2)), y


def spiral(n, noise, rng):
    """Two interleaved spirals, one turn and a half each."""
    y = (np.arange(n) % 2).astype(np.float64)
    t = rng.uniform(0.1, 1.0, n)
    angle = 3 * np.pi * t + np.pi * y
    X = t[:, None] * np.stack([np.cos(angle), np.sin(angle)], 1)
    return X + noise * rng.standard_normal((n, 2)), y


def sine(n, noise, rng):
    """Regression: x in [-1, 1] (shape (n, 1)), target sin(3x) + noise."""
    x = rng.uniform(-1, 1, (n, 1))
    return x, np.sin(3 * x[:, 0]) + noise * rng.standard_normal(n)


MAX_SAMPLES = 1_000_000          # more than any notebook uses; refused beyond, with a ValueError
MAX_NOISE = 10.0                 # ten times the size of the data: beyond it no pattern is left to learn
MAKERS = {"xor": xor, "moons": moons, "circles": circles, "blobs": blobs, "spiral": spiral, "sine": sine}
CLASSIFICATION = ("xor", "moons", "circles", "blobs", "spiral")


def make(name="xor", n=200, noise=0.1, seed=0):
    """(X, y) from the maker ``name``: X (n, 2) (n, 1 for sine), y (n,)."""
    checks.choice("dataset", name, tuple(MAKERS))
    n = checks.integer("n", n, 2, MAX_SAMPLES, "the number of samples")
    value = checks.number("noise", noise, 0)
    if value > MAX_NOISE:
        raise ValueError(f"noise={checks.shown(noise)} is not allowed; allowed: a finite number >= 0 and at most "
                         f"{MAX_NOISE:g} (the standard deviation of the noise; the data span about [-1, 1])")
    return MAKERS[name](n, value, make_rng(seed))


def split(X, y, val_fraction=0.3, seed=0):
    """Shuffle and split into (X_train, y_train, X_val, y_val); val_fraction in (0, 1)."""
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float)) or not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction={checks.shown(val_fraction)} is not allowed; allowed: a number between 0 and 1")
    X, y = checks.real_array("X", X, finite=True), checks.real_array("y", y, finite=True)
    if X.ndim < 1 or y.ndim != 1 or len(X) != len(y) or len(X) < 2:
        raise ValueError(f"X has shape {X.shape} and y {y.shape}; allowed: one label per row of X, at least 2 rows")
    n = len(X)
    n_val = min(max(1, int(round(val_fraction * n))), n - 1)
    idx = make_rng(seed).permutation(n)
    v, t = idx[:n_val], idx[n_val:]
    return X[t], y[t], X[v], y[v]


def load(name="xor", n=200, noise=0.1, seed=0, val_fraction=0.0):
    """A Dataset (X, y, X_val, y_val, name); X_val and y_val are None when val_fraction is 0."""
    X, y = make(name, n, noise, seed)
    if val_fraction == 0:
        return Dataset(X, y, None, None, name)
    return Dataset(*split(X, y, val_fraction, seed), name)
