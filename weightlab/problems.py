"""The fixed problems the notebooks study: their data, their networks and how they were trained.

One home for each recipe, so a notebook, its explorer, its exercises and its
claims tests all look at the same network.
"""
import functools

from . import datasets, network
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
