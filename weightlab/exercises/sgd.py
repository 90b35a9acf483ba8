"""Exercises of notebook 06: one epoch of mini-batch gradient descent, a momentum update, the spread
of mini-batch gradients.

Each reference solution uses only what the notebook imports (``np``, ``network``, ``losses``), so
the text ``show_solution()`` prints passes the checker when pasted into the notebook.
"""
import numpy as np

from .. import losses, network
from . import Exercise


# ---- exercise 1: one epoch ----------------------------------------------------------------------
def sgd_epoch(params, X, y, lr, batch_size, order):
    """One epoch: for each batch of batch_size consecutive entries of order (the last may be smaller),
    θ ← θ − lr ∇L_batch(θ), with L_batch the mean squared error on that batch; returns the new θ"""
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        z, cache = network.forward(params, X[idx])
        grads = network.backward(params, cache, losses.mse_grad(z, y[idx]))
        params = {name: params[name] - lr * grads[name] for name in params}
    return params


_sgd_epoch = sgd_epoch


def _grads(params, X, y):
    z, cache = network.forward(params, X)
    return network.backward(params, cache, losses.mse_grad(z, y))


def _epoch_with(params, X, y, lr, batches, grad_at=None, sign=-1.0):
    """The epoch over the given index batches; the gradient taken at ``grad_at`` (default: the current θ)."""
    for idx in batches:
        g = _grads(params if grad_at is None else grad_at, X[idx], y[idx])
        params = {k: params[k] + sign * lr * g[k] for k in params}
    return params


def _batches(order, B):
    return [order[s:s + B] for s in range(0, len(order), B)]


def _full_batch_steps(params, X, y, lr, B, order):
    return _epoch_with(params, X, y, lr, [np.arange(len(X))] * len(_batches(order, B)))


def _ignores_order(params, X, y, lr, B, order):
    return _epoch_with(params, X, y, lr, _batches(np.arange(len(order)), B))


def _drops_last_batch(params, X, y, lr, B, order):
    return _epoch_with(params, X, y, lr, [b for b in _batches(order, B) if len(b) == B])


def _gradients_at_the_start(params, X, y, lr, B, order):
    return _epoch_with(params, X, y, lr, _batches(order, B), grad_at=params)


def _uphill(params, X, y, lr, B, order):
    return _epoch_with(params, X, y, lr, _batches(order, B), sign=1.0)


def _one_batch_only(params, X, y, lr, B, order):
    return _epoch_with(params, X, y, lr, _batches(order, B)[:1])


def _epoch_case(seed, n, B, lr):
    r = np.random.default_rng(seed)
    params = network.init_params(seed=seed)
    X = r.normal(size=(n, 2))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
    return (params, X, y, lr, B, r.permutation(n))


sgd_epoch = Exercise(
    "sgd_epoch",
    _sgd_epoch,
    cases=[_epoch_case(0, 10, 3, 0.1), _epoch_case(1, 12, 5, 0.2), _epoch_case(2, 8, 1, 0.05),
           _epoch_case(3, 9, 9, 0.3)],
    mistakes=[
        (_full_batch_steps, "every step used all the examples: take the gradient on the batch only, "
                            "the rows of X and y whose indices are in this slice of `order`."),
        (_ignores_order, "the batches should follow `order` (the shuffled indices): take a slice of `order` "
                         "and use the rows it names, not the rows start to start + batch_size of X."),
        (_drops_last_batch, "the last, smaller batch is missing: step the start through range(0, len(order), batch_size) "
                            "so it gets a start too; its slice of `order` simply holds fewer indices."),
        (_gradients_at_the_start, "every gradient was taken at the weights the epoch started with: compute each "
                                  "batch's gradient at the weights after the previous step (update params inside "
                                  "the loop and use the new ones)."),
        (_uphill, "you added the gradient: that climbs uphill. Step against it: params - lr * grads."),
        (_one_batch_only, "only the first batch was used: is the `return` inside the loop? Return after the "
                          "loop has visited every batch."),
    ],
    hint="walk through `order` in slices of batch_size (the last slice may be shorter); for each slice, "
         "forward and backward on those rows of X and y, then one gradient step.",
)


# ---- exercise 2: a momentum update --------------------------------------------------------------
def momentum_update(w, v, g, lr, beta):
    """v ← beta v + g, then w ← w − lr v with the new v; returns (new w, new v)"""
    v = beta * v + g
    return w - lr * v, v


_momentum_update = momentum_update


def _momentum_case(seed, shape, lr, beta, first_step=False):
    r = np.random.default_rng(seed)
    v = np.zeros(shape) if first_step else r.normal(size=shape)
    return (r.normal(size=shape), v, r.normal(size=shape), lr, beta)


momentum_update = Exercise(
    "momentum_update",
    _momentum_update,
    cases=[_momentum_case(0, (3,), 0.1, 0.9), _momentum_case(1, (2, 3), 0.5, 0.5),
           _momentum_case(2, (4,), 0.2, 0.0), _momentum_case(3, (3, 1), 0.05, 0.99, first_step=True)],
    mistakes=[
        (lambda w, v, g, lr, b: (w - lr * v, b * v + g),
         "the step used the old velocity: first compute the new velocity, then move w with it."),
        (lambda w, v, g, lr, b: (w - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g),
         "you averaged: v ← beta·v + (1 − beta)·g is another convention (dampening). Here, as in PyTorch's "
         "SGD, the gradient enters whole, not scaled by (1 − beta)."),
        (lambda w, v, g, lr, b: (w + (b * v - lr * g), b * v - lr * g),
         "you kept the learning rate inside the velocity (v ← beta·v − lr·g, w ← w + v). Here v is the "
         "running sum of gradients (no lr inside), and lr scales only the step along it."),
        (lambda w, v, g, lr, b: (w + lr * (b * v + g), b * v + g),
         "the velocity is right but w moved uphill: w − lr·v, not w + lr·v."),
        (lambda w, v, g, lr, b: (w - lr * (v + b * g), v + b * g),
         "beta multiplies the old velocity (the memory), not the new gradient."),
    ],
    hint="two lines: first the new velocity (the old one, kept in part by beta, plus the gradient), then a "
         "step of size lr along the new velocity; return both.",
)


# ---- exercise 3: the spread of a mini-batch gradient --------------------------------------------
def gradient_spread(G, batches):
    """sqrt(mean_k |g_k − g|²): g_k the mean of the rows of G (one per-example gradient per row) in
    batch k, g the mean of all rows of G"""
    g = G.mean(axis=0)
    squared = [np.sum((G[idx].mean(axis=0) - g) ** 2) for idx in batches]
    return np.sqrt(np.mean(squared))


_gradient_spread = gradient_spread


def _spread_of(G, batches, batch_mean=lambda rows: rows.mean(axis=0), centre=None):
    g = G.mean(axis=0) if centre is None else centre
    return np.array([np.linalg.norm(batch_mean(G[idx]) - g) for idx in batches])


def _spread_case(seed, n, d, B, k):
    r = np.random.default_rng(seed)
    G = r.normal(size=(n, d)) + r.normal(size=d)
    return (G, [r.permutation(n)[:B] for _ in range(k)])


gradient_spread = Exercise(
    "gradient_spread",
    _gradient_spread,
    cases=[_spread_case(0, 20, 3, 4, 6), _spread_case(1, 30, 5, 10, 8), _spread_case(2, 15, 13, 1, 5)],
    mistakes=[
        (lambda G, bs: np.mean(_spread_of(G, bs) ** 2),
         "that is the mean squared distance: take its square root, so the spread has the units of a gradient."),
        (lambda G, bs: np.mean(_spread_of(G, bs)),
         "you averaged the distances; the spread here is their root mean square: sqrt(mean of squared distances)."),
        (lambda G, bs: np.sqrt(np.mean(_spread_of(G, bs, lambda rows: rows.sum(axis=0)) ** 2)),
         "a batch's gradient is the mean of its examples' gradients, not their sum (the loss is a mean)."),
        (lambda G, bs: np.sqrt(np.mean(_spread_of(G, bs, centre=0.0) ** 2)),
         "that measures the length of the batch gradients; measure their distance from the full gradient "
         "(the mean of all rows of G)."),
        (lambda G, bs: _spread_of(G, bs[:1])[0],
         "only the first batch counted: average the squared distances over every batch in `batches`."),
    ],
    hint="first the full gradient (the mean of all rows of G); then for each batch the squared length of "
         "(its rows' mean − the full gradient); the answer is the square root of the mean of those.",
)
