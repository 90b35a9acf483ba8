"""Losses, one implementation each: mean squared error and binary cross-entropy from the logit.

The network's last layer is linear. Its output ``z`` (shape (..., N, 1)) is the
prediction for MSE and the logit for cross-entropy. Every loss is the mean over
the N samples; with a population axis the result has shape (P,).

Cross-entropy of a label y in {0, 1} and a logit z, with p = sigmoid(z):

    -[y log p + (1 - y) log(1 - p)] = softplus(m z),   m = 1 - 2y,

because -log sigmoid(z) = softplus(-z) (y = 1, m = -1) and -log(1 - sigmoid(z)) =
softplus(z) (y = 0, m = +1). Its derivative is dL/dz = (p - y) / N = m sigmoid(m z) / N,
and sigmoid(u) = exp(log sigmoid(u)) = exp(u - softplus(u)): computed that way, nothing
overflows and no digit is lost where p is close to y.
The training engine computes the same expressions (``engine.LossPass``).
"""
from collections import namedtuple

import numpy as np

from . import checks
from .activations import sigmoid, softplus

Loss = namedtuple("Loss", "name value grad label")


def mse(z, y):
    """L = mean_n (z_n - y_n)^2"""
    d = z[..., 0] - y
    return np.mean(d * d, axis=-1)


def mse_grad(z, y):
    """dL/dz_n = 2 (z_n - y_n) / N"""
    return (2.0 / y.shape[-1]) * (z - y[..., None])


def sign_of_label(y):
    """m = 1 - 2y: +1 for label 0, -1 for label 1"""
    return 1.0 - 2.0 * np.asarray(y, dtype=np.float64)


def bce(z, y):
    """L = mean_n softplus(m_n z_n), m_n = 1 - 2 y_n  (= mean_n -[y log p + (1-y) log(1-p)], p = sigmoid(z))"""
    return np.mean(softplus(z[..., 0] * sign_of_label(y)), axis=-1)


def bce_grad(z, y):
    """dL/dz_n = (sigmoid(z_n) - y_n) / N = m_n sigmoid(m_n z_n) / N, with sigmoid(u) = exp(u - softplus(u))"""
    m = sign_of_label(y)[..., None]
    u = z * m
    return (m / y.shape[-1]) * np.exp(u - softplus(u))


def mse_prob(z, y):
    """L = mean_n (sigmoid(z_n) - y_n)^2: the squared error of the predicted probability"""
    return mse(sigmoid(z), y)


def mse_prob_grad(z, y):
    """dL/dz_n = 2 (p_n - y_n) p_n (1 - p_n) / N with p = sigmoid(z)"""
    p = sigmoid(z)
    return mse_grad(p, y) * p * (1.0 - p)


LOSSES = {
    "mse": Loss("mse", mse, mse_grad, "mean squared error"),
    "bce": Loss("bce", bce, bce_grad, "cross-entropy"),
    # squared error on the probability: to compare with cross-entropy on one classifier (not for training)
    "mse_prob": Loss("mse_prob", mse_prob, mse_prob_grad, "squared error of p"),
}
TRAINING = ("bce", "mse")              # the losses a network trains with
LABELS = {name: loss.label for name, loss in LOSSES.items()}


def check_name(name, allowed=TRAINING):
    """Return ``name`` if it is a known loss (by default one a network trains with), else ValueError."""
    return checks.choice("loss", name, allowed)


def get(name, allowed=TRAINING):
    """(loss, gradient with respect to the output) for the loss called ``name``."""
    loss = LOSSES[check_name(name, allowed)]
    return loss.value, loss.grad


def check_targets(name, y):
    """Cross-entropy needs 0/1 labels; MSE takes any finite target."""
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError("y contains NaN or inf; allowed: finite targets")
    if name in ("bce", "mse_prob"):
        bad = y[(y != 0.0) & (y != 1.0)]
        if bad.size:
            raise ValueError(
                f"y contains {float(bad.flat[0])!r}, but loss={name!r} needs labels 0 or 1; "
                "use loss='mse' for real-valued targets"
            )
    return y
