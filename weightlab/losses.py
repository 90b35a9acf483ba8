"""Losses, one implementation each: mean squared error and binary cross-entropy from the logit.

The network's last layer is linear. Its output ``z`` (shape (..., N, 1)) is the
prediction for MSE and the logit for cross-entropy. Every loss is the mean over
the N samples; with a population axis the result has shape (P,). Each loss and gradient
checks its arguments (``check_pair``); ``check=False`` skips that for a caller that checked
them once already (the Trainer, at every recorded step).

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


def mse(z, y, check=True):
    """L = mean_n (z_n - y_n)^2"""
    if check:
        z, y = check_pair(z, y, "mse")
    d = z[..., 0] - y
    return np.mean(d * d, axis=-1)


def mse_grad(z, y, check=True):
    """dL/dz_n = 2 (z_n - y_n) / N"""
    if check:
        z, y = check_pair(z, y, "mse")
    return (2.0 / y.shape[-1]) * (z - y[..., None])


def sign_of_label(y):
    """m = 1 - 2y: +1 for label 0, -1 for label 1"""
    return 1.0 - 2.0 * np.asarray(y, dtype=np.float64)


def bce(z, y, check=True):
    """L = mean_n softplus(m_n z_n), m_n = 1 - 2 y_n  (= mean_n -[y log p + (1-y) log(1-p)], p = sigmoid(z))"""
    if check:
        z, y = check_pair(z, y, "bce")
    return np.mean(softplus(z[..., 0] * sign_of_label(y)), axis=-1)


def bce_grad(z, y, check=True):
    """dL/dz_n = (sigmoid(z_n) - y_n) / N = m_n sigmoid(m_n z_n) / N, with sigmoid(u) = exp(u - softplus(u))"""
    if check:
        z, y = check_pair(z, y, "bce")
    m = sign_of_label(y)[..., None]
    u = z * m
    return (m / y.shape[-1]) * np.exp(u - softplus(u))


def mse_prob(z, y, check=True):
    """L = mean_n (sigmoid(z_n) - y_n)^2: the squared error of the predicted probability"""
    if check:
        z, y = check_pair(z, y, "mse_prob")
    return mse(sigmoid(z), y, check=False)


def mse_prob_grad(z, y, check=True):
    """dL/dz_n = 2 (p_n - y_n) p_n (1 - p_n) / N with p = sigmoid(z)"""
    if check:
        z, y = check_pair(z, y, "mse_prob")
    p = sigmoid(z)
    return mse_grad(p, y, check=False) * p * (1.0 - p)


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


def check_targets(name, y, n=None, label="y"):
    """``y`` as float64 targets for the loss ``name``: real and finite, labels 0 or 1 for cross-entropy
    (and the squared error of p), with ``n`` given one per row of X. ``label`` names y in messages."""
    name = check_name(name, tuple(LOSSES))
    y = checks.real_array(label, y)
    if n is not None and y.shape != (n,):
        raise ValueError(f"{label} has shape {y.shape}; allowed: ({n},), one target per row of X")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{label} contains NaN or inf; allowed: finite targets")
    if name in ("bce", "mse_prob"):
        bad = y[(y != 0.0) & (y != 1.0)]
        if bad.size:
            raise ValueError(
                f"{label} contains {float(bad.flat[0])!r}, but loss={name!r} needs labels 0 or 1; "
                "use loss='mse' for real-valued targets"
            )
    return y


def check_pair(z, y, name):
    """(z, y) for the loss ``name``: z the outputs (..., N, 1), y one target per row (see ``check_targets``).
    A mismatch is a ValueError that says so, not a numpy broadcasting error."""
    z = checks.real_array("z", z)
    if z.ndim < 2 or z.shape[-1] != 1:
        raise ValueError(f"z has shape {z.shape}; allowed: (..., N, 1), the network's output")
    y = check_targets(name, y)
    if y.shape[-1:] != z.shape[-2:-1]:
        raise ValueError(f"y has shape {y.shape}; allowed: (..., {z.shape[-2]}), one target per row of z")
    return z, y
