"""Curvature of the loss: the Hessian of the real network and the learning rate it predicts.

Near a point θ the loss is close to a quadratic bowl,
L(θ + δ) ≈ L(θ) + ∇L·δ + ½ δᵀHδ, with H the matrix of second derivatives.
Along each eigenvector of H the bowl is a parabola whose curvature is the
eigenvalue; gradient descent is stable along all of them only for
lr < 2 / λmax, the largest eigenvalue (the *sharpness*).

That bound is a prediction from the bowl at one point. During training the
weights move and λmax moves with them: ``sharpness_along`` measures it at every
recorded step (``hessians`` is ``hessian``'s fast twin for many points at once).
"""
import math
from collections import namedtuple

import numpy as np

from . import checks, network
from .engine import Engine
from .gradcheck import objective_and_grad


def hessian(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0, eps=1e-5):
    """The (n_params, n_params) Hessian of the objective, by central differences of the backprop gradient.

    ``params`` is one network (no population axis); ``eps`` the step of the differences, > 0."""
    eps = checks.number("eps", eps, 0.0, 1.0, lo_open=True, what="the step of the central differences")
    network.check_structure(params, X)
    if network.population_size(params) is not None:
        raise ValueError(f"params holds a population of {network.population_size(params)} networks; "
                         "allowed: one network (take one with network.member(params, k))")
    sizes = network.sizes_of(params)
    theta = network.flatten(params)
    n = theta.size
    H = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = eps
        _, gp = objective_and_grad(network.unflatten(theta + e, sizes), X, y, activation, loss, penalty, lam)
        _, gm = objective_and_grad(network.unflatten(theta - e, sizes), X, y, activation, loss, penalty, lam)
        H[i] = (network.flatten(gp) - network.flatten(gm)) / (2 * eps)
    return 0.5 * (H + H.T)


def sharpness(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0):
    """λmax: the largest eigenvalue of the Hessian at ``params`` (one network)."""
    return float(np.max(np.linalg.eigvalsh(hessian(params, X, y, activation, loss, penalty, lam))))


def edge_of_stability(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0):
    """2 / λmax at ``params``: on a quadratic, gradient descent diverges for learning rates above this."""
    top = sharpness(params, X, y, activation, loss, penalty, lam)
    return math.inf if top <= 0 else 2.0 / top


def hessians(thetas, X, y, sizes=network.DEFAULT_SIZES, activation="tanh", loss="bce", eps=1e-5):
    """H[t] of the mean data loss at every flat parameter vector thetas[t] (T, n) -> (T, n, n), no penalty.

    The same central differences of the backprop gradient as ``hessian``, row i of H[t] being
    (∇L(θ_t + ε e_i) − ∇L(θ_t − ε e_i)) / 2ε, with all 2nT gradients taken in one pass of the engine.
    """
    thetas = np.atleast_2d(np.asarray(thetas, dtype=np.float64))
    T, n = thetas.shape
    if thetas.ndim != 2 or n != network.n_parameters(sizes):
        raise ValueError(f"thetas has shape {thetas.shape}; allowed: (T, {network.n_parameters(sizes)}) "
                         f"flat parameter vectors for sizes {tuple(sizes)}")
    shifts = eps * np.eye(n)
    points = np.concatenate([thetas[:, None, :] + shifts, thetas[:, None, :] - shifts], axis=1)
    engine = Engine(sizes, activation, loss)
    with np.errstate(all="ignore"):
        engine.loss_and_grad(np.ascontiguousarray(points.reshape(-1, n)), X, y)
        g = engine.grad.reshape(T, 2, n, n)
        H = (g[:, 0] - g[:, 1]) / (2 * eps)
    return 0.5 * (H + np.swapaxes(H, -1, -2))


def sharpness_along(thetas, X, y, sizes=network.DEFAULT_SIZES, activation="tanh", loss="bce"):
    """λmax of the Hessian at every flat parameter vector thetas[t]: (T,), NaN where the Hessian is not finite."""
    H = hessians(thetas, X, y, sizes, activation, loss)
    out = np.full(H.shape[0], np.nan)
    ok = np.all(np.isfinite(H), axis=(1, 2))
    if ok.any():
        out[ok] = np.linalg.eigvalsh(H[ok])[:, -1]
    return out


EdgeReport = namedtuple("EdgeReport", "limit start peak peak_step first_above tail_mean")


def edge_report(sharpness, lr, tail=30):
    """λmax during a run against the stability limit 2/lr: its start, its peak and the step of the peak,
    the first step with λmax >= 2/lr (-1 if none) and its mean over the last ``tail`` finite steps."""
    limit = 2.0 / checks.number("lr", lr, 0, lo_open=True)
    s = np.asarray(sharpness, dtype=np.float64).ravel()
    s = s[:np.argmin(np.isfinite(s))] if not np.isfinite(s).all() else s     # up to the first NaN
    if not s.size:
        return EdgeReport(limit, np.nan, np.nan, -1, -1, np.nan)
    above = np.flatnonzero(s >= limit)
    return EdgeReport(limit, float(s[0]), float(s.max()), int(s.argmax()),
                      int(above[0]) if above.size else -1, float(s[-tail:].mean()))
