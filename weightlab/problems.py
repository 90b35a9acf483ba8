"""The fixed problems the notebooks study: their data, their networks and how they were trained.

One home for each recipe, so a notebook, its explorer, its exercises and its
claims tests all look at the same network.
"""
import functools

import numpy as np

from . import datasets, network, quadratic
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


# Notebook 08: few noisy training points, many validation points.
OVERFITTING = dict(name="moons", n=150, seed=0, val_fraction=0.8)   # 30 training points, 120 for validation


def noisy_data(noise=0.3, **changes):
    """The data of notebook 08: 30 noisy training points (two moons) and 120 validation points.

    Keyword arguments change the recipe in ``OVERFITTING`` (name, n, seed, val_fraction).
    """
    return datasets.load(noise=noise, **{**OVERFITTING, **changes})


def noisy_moons(n=80, noise=0.25, seed=1, val_fraction=0.5):
    """The data of notebook 09: few noisy moons, half kept aside for validation."""
    return datasets.load("moons", n=n, noise=noise, seed=seed, val_fraction=val_fraction)


# Notebook 06: a narrow two-weight bowl (strongly correlated inputs, curvatures about 0.12 and 2.17)
# and the point where gradient descent starts on it: far along the flat axis, off the steep one.
BOWL = dict(rho=0.9, start=(-1.5, 1.5))


def bowl_problem():
    """(A, b, c, w0): the bowl L(w) = ½ wᵀAw − bᵀw + c of ``quadratic.two_weight_problem(rho=0.9)`` and the
    start w0 of notebook 06."""
    A, b, c = quadratic.two_weight_problem(rho=BOWL["rho"])
    return A, b, c, np.array(BOWL["start"], dtype=np.float64)
