"""Toy datasets: shapes, labels, seeds, noise, splits."""
import numpy as np
import pytest

from weightlab import datasets

CLASSIFICATION = ("xor", "moons", "circles", "blobs", "spiral")


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("n", [2, 7, 200])
def test_shapes_and_labels(name, n):
    X, y = datasets.make(name, n=n, noise=0.1, seed=0)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_both_classes_roughly_balanced(name):
    _, y = datasets.make(name, n=200, seed=1)
    assert 80 <= y.sum() <= 120


def test_sine_regression():
    X, y = datasets.make("sine", n=50, noise=0.0, seed=0)
    assert X.shape == (50, 1) and y.shape == (50,)
    np.testing.assert_allclose(y, np.sin(3 * X[:, 0]), rtol=0, atol=0)


@pytest.mark.parametrize("name", list(datasets.MAKERS))
def test_same_seed_same_data_and_different_seed_different_data(name):
    a, b, c = (datasets.make(name, n=50, noise=0.2, seed=s) for s in (4, 4, 5))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("name", list(datasets.MAKERS))
def test_noise_zero_versus_positive(name):
    X0, y0 = datasets.make(name, n=100, noise=0.0, seed=2)
    X1, y1 = datasets.make(name, n=100, noise=0.3, seed=2)
    assert np.array_equal(y0, y1) or name == "sine"
    moved = np.abs(X1 - X0).max() if name != "sine" else np.abs(y1 - y0).max()
    assert moved > 0.1


def test_noise_free_shapes_are_exact():
    X, y = datasets.make("circles", n=100, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 1], 0.5, rtol=1e-15)
    np.testing.assert_allclose(r[y == 0], 1.0, rtol=1e-15)
    X, y = datasets.make("xor", n=100, noise=0.0, seed=0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(float))
    assert np.abs(X).max() <= 1
    X, y = datasets.make("moons", n=100, noise=0.0, seed=0)
    upper = X[y == 0] + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-14)


@pytest.mark.parametrize("n,frac,n_val", [(200, 0.3, 60), (10, 0.25, 2), (3, 0.01, 1), (3, 0.99, 2)])
def test_split_sizes_and_disjointness(n, frac, n_val):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    y = (np.arange(n) % 2).astype(float)
    Xt, yt, Xv, yv = datasets.split(X, y, frac, seed=0)
    assert len(Xv) == len(yv) == n_val and len(Xt) == len(yt) == n - n_val
    rows = np.concatenate([Xt[:, 0], Xv[:, 0]])
    assert sorted(rows) == sorted(X[:, 0])  # every row exactly once
    assert np.array_equal(yt, (Xt[:, 0] / 2) % 2) and np.array_equal(yv, (Xv[:, 0] / 2) % 2)  # pairs kept


def test_load_with_and_without_validation():
    d = datasets.load("spiral", n=100, seed=3)
    assert d.X_val is None and d.y_val is None and d.name == "spiral" and d.X.shape == (100, 2)
    d2 = datasets.load("spiral", n=100, seed=3, val_fraction=0.2)
    assert d2.X.shape == (80, 2) and d2.X_val.shape == (20, 2)
    d3 = datasets.load("spiral", n=100, seed=3, val_fraction=0.2)
    assert np.array_equal(d2.X_val, d3.X_val)
    assert sorted(np.concatenate([d2.X, d2.X_val])[:, 0]) == sorted(d.X[:, 0])
