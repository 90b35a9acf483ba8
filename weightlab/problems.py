"""The fixed problems the notebooks study: their data, their networks and how they were trained.

One home for each recipe, so a notebook, its explorer, its exercises and its
claims tests all look at the same network.
"""
import functools
from collections import namedtuple

import numpy as np

from . import checks, datasets, network, quadratic
from .initializers import make_rng
from .training import train

# The fixed network the loss and gradient notebooks look at: a 2-3-1 tanh net
# trained for a while (not to the end) on the XOR data.
REFERENCE = dict(dataset="xor", n=100, noise=0.1, data_seed=0, init_seed=0, steps=300, lr=0.5)

# Notebook 05: squared error on the XOR data (the output itself is the prediction): along the
# output weights the loss is an exact parabola, so a too-large learning rate diverges crisply.
DESCENT = dict(dataset="xor", n=100, noise=0.1, data_seed=0, init_seed=0, loss="mse")


@functools.lru_cache(maxsize=4)
def _reference(dataset, n, noise, data_seed, init_seed, steps, lr):
    X, y = datasets.make(dataset, n=n, noise=noise, seed=data_seed)
    params, _ = train(network.init_params(seed=init_seed), X, y, steps=steps, lr=lr, loss="bce")
    return params, X, y


def reference_problem(**changes):
    """(params, X, y): a 2-3-1 tanh network trained for 300 steps of cross-entropy on XOR data.

    Keyword arguments change the recipe in ``REFERENCE`` (dataset, n, noise, data_seed,
    init_seed, steps, lr). Returns fresh copies, so callers may change them.
    """
    unknown = set(changes) - set(REFERENCE)
    if unknown:
        raise ValueError(f"unknown setting {sorted(unknown)}; allowed: {sorted(REFERENCE)}")
    params, X, y = _reference(**{**REFERENCE, **changes})
    return network.copy(params), X.copy(), y.copy()


def descent_problem():
    """(params, X, y, loss): an untrained 2-3-1 tanh net (Xavier, seed 0), XOR data, squared error."""
    d = DESCENT
    X, y = datasets.make(d["dataset"], n=d["n"], noise=d["noise"], seed=d["data_seed"])
    return network.init_params(seed=d["init_seed"]), X, y, d["loss"]


# Notebook 02: a 2-3-1 tanh net that solves XOR (91% of the points; trained once with gradient
# descent and a small L2 penalty, then rounded to one decimal so it can be read).
XOR_PARAMS = {
    "W1": [[2.4, 1.7, -2.5], [2.2, -2.5, 1.3]],
    "b1": [-1.9, 1.4, 1.0],
    "W2": [[3.4], [3.8], [3.6]],
    "b2": [-1.2],
}


def xor_params():
    """A fresh copy of the hand-readable XOR solution ``XOR_PARAMS`` (float64 arrays)."""
    return {k: np.array(v, dtype=np.float64) for k, v in XOR_PARAMS.items()}


# Notebook 08: noisy moons dealt into three sets. The training set grows from 8 to 512 points, each
# larger set holding every smaller one; the validation and test sets stay the same.
Split = namedtuple("Split", "X y X_val y_val X_test y_test name")
Split.__doc__ = "Training (X, y), validation (X_val, y_val) and test (X_test, y_test) data of one problem."
# One sample of points is noisy: seed 3 is a sample whose learning curves follow the average over
# many samples (notebook 08 prints that average beside it, and its claims tests check both).
OVERFITTING = dict(name="moons", seed=3, n_max=512, n_val=200, n_test=1000)


def deal(X, y, n_val, n_test, seed=0):
    """(train, validation, test) index arrays: each class shuffled, then dealt in turn (0, 1, 0, 1, ...).

    The first ``n_test`` dealt points are the test set, the next ``n_val`` the validation set, the
    rest the training set, in that order: with balanced classes every set, and every even-length
    start of the training set, holds as many points of each class. No point is in two sets.
    """
    y = np.asarray(y)
    n_val = checks.integer("n_val", n_val, 1, what="validation points")
    n_test = checks.integer("n_test", n_test, 1, what="test points")
    rng = make_rng(seed)
    apart = [rng.permutation(np.flatnonzero(y == c)) for c in (0, 1)]
    k = min(len(a) for a in apart)
    order = np.concatenate([np.column_stack([apart[0][:k], apart[1][:k]]).ravel(), apart[0][k:], apart[1][k:]])
    if n_val + n_test >= len(order):
        raise ValueError(f"n_val={n_val} and n_test={n_test} leave no training point of {len(order)}; "
                         "allowed: n_val + n_test < the number of points")
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]


def noisy_data(noise=0.3, n_train=32, **changes):
    """The data of notebook 08 (a Split): ``n_train`` noisy moons to train on, 200 for validation, 1000 for test.

    One sample of n_max + n_val + n_test points (``OVERFITTING``; keyword arguments change it) is
    dealt into three sets (``deal``); training takes the first ``n_train`` of its n_max points, so
    a larger training set holds every smaller one. The same seed at another noise moves the same
    points by the same random directions, scaled.
    """
    unknown = set(changes) - set(OVERFITTING)
    if unknown:
        raise ValueError(f"unknown setting {sorted(unknown)}; allowed: {sorted(OVERFITTING)}")
    c = {**OVERFITTING, **changes}
    n_train = checks.integer("n_train", n_train, 2, c["n_max"], "training points")
    X, y = datasets.make(c["name"], c["n_max"] + c["n_val"] + c["n_test"], noise, c["seed"])
    train, val, test = deal(X, y, c["n_val"], c["n_test"], c["seed"])
    train = train[:n_train]
    return Split(X[train], y[train], X[val], y[val], X[test], y[test], c["name"])


TEST_SEED = 1000       # a held-out test set is drawn with the data's seed + TEST_SEED: independent points


def noisy_moons(n=80, noise=0.25, seed=1, val_fraction=0.5, n_test=1000):
    """The data of notebook 09 (a Split): few noisy moons, half kept aside for validation, and a test set
    of ``n_test`` more points drawn the same way (moons, same noise) from their own seed."""
    d = datasets.load("moons", n=n, noise=noise, seed=seed, val_fraction=val_fraction)
    n_test = checks.integer("n_test", n_test, 2, datasets.MAX_SAMPLES, "test points")
    X_test, y_test = datasets.make("moons", n_test, noise, seed + TEST_SEED)
    return Split(d.X, d.y, d.X_val, d.y_val, X_test, y_test, d.name)


# Notebook 06: a narrow two-weight bowl (strongly correlated inputs, curvatures about 0.12 and 2.17)
# and the point where gradient descent starts on it: far along the flat axis, off the steep one.
BOWL = dict(rho=0.9, start=(-1.5, 1.5))


def bowl_problem():
    """(A, b, c, w0): the bowl L(w) = ½ wᵀAw − bᵀw + c of ``quadratic.two_weight_problem(rho=0.9)`` and the
    start w0 of notebook 06."""
    A, b, c = quadratic.two_weight_problem(rho=BOWL["rho"])
    return A, b, c, np.array(BOWL["start"], dtype=np.float64)
