"""Curvature of the loss: the Hessian of the real network and the learning rate it predicts.

Near a point θ the loss is close to a quadratic bowl,
L(θ + δ) ≈ L(θ) + ∇L·δ + ½ δᵀHδ, with H the matrix of second derivatives.
Along each eigenvector of H the bowl is a parabola whose curvature is the
eigenvalue; gradient descent is stable along all of them only for
lr < 2 / λmax, the largest eigenvalue (the *sharpness*).
"""
import math

import numpy as np

from . import network
from .gradcheck import objective_and_grad


def hessian(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0, eps=1e-5):
    """The (n_params, n_params) Hessian of the objective, by central differences of the backprop gradient."""
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
