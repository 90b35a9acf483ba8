"""Losses: mean squared error and binary cross-entropy from the logit.

The network's last layer is linear. Its output ``z`` (shape (..., N, 1)) is the
prediction for MSE and the logit for cross-entropy. Every loss is the mean over
the N samples; with a population axis the result has shape (P,).
"""
import numpy as np

from .activations import sigmoid


def mse(z, y):
    """L = mean_n (z_n - y_n)^2"""
    d = z[..., 0] - y
    return np.mean(d * d, axis=-1)


def mse_grad(z, y):
    """dL/dz_n = 2 (z_n - y_n) / N"""
    return (2.0 / y.shape[-1]) * (z - y[..., None])


def bce(z, y):
    """L = mean_n [log(1 + exp(z_n)) - y_n z_n], finite for any logit"""
    z = z[..., 0]
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return np.mean(softplus - y * z, axis=-1)


def bce_grad(z, y):
    """dL/dz_n = (sigmoid(z_n) - y_n) / N"""
    return (sigmoid(z) - y[..., None]) / y.shape[-1]


def mse_value_and_grad(z, y):
    """(mse(z, y), mse_grad(z, y)) in one pass"""
    d = z - y[..., None]
    return (d[..., 0] * d[..., 0]).sum(axis=-1) / y.shape[-1], (2.0 / y.shape[-1]) * d


def bce_value_and_grad(z, y):
    """(bce(z, y), bce_grad(z, y)) sharing exp(-|z|)"""
    e = np.exp(-np.abs(z))
    pos = np.maximum(z, 0.0)
    value = (pos + np.log1p(e) - y[..., None] * z)[..., 0].sum(axis=-1) / y.shape[-1]
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return value, (s - y[..., None]) / y.shape[-1]


def prepare(name, y):
    """One function ``z -> (loss, dL/dz)`` for fixed targets ``y``, for a training loop.

    Here ``z`` holds the outputs with the samples along the last axis, (..., 1, N).
    Everything that depends on ``y`` alone is worked out once. Cross-entropy uses
    that for a label y in {0, 1}, log(1 + e^z) - y z = softplus(m z) with m = 1 - 2y,
    and dL/dz = (sigmoid(z) - y) / N = m sigmoid(m z) / N = m exp(m z - softplus(m z)) / N:
    one softplus serves both, nothing overflows, and sigmoid(z) - y loses no digits
    when sigmoid(z) is close to y.
    """
    y = check_targets(name, y)
    N = y.shape[-1]
    # z @ mean: the mean over the samples, one product per network (a stacked product
    # treats every network alike, whatever the population size)
    mean = np.full((N, 1), 1.0 / N)
    if name == "mse":
        def mse_prepared(z):
            d = z - y
            value = np.matmul(d * d, mean)[..., 0, 0]
            d *= 2.0 / N
            return value, d
        return mse_prepared

    m = 1.0 - 2.0 * y
    scale = m / N

    def bce_prepared(z):
        u = z * m
        sp = np.abs(u)
        np.negative(sp, out=sp)
        np.exp(sp, out=sp)
        np.log1p(sp, out=sp)
        sp += np.maximum(u, 0.0)            # softplus(u) = max(u, 0) + log(1 + e^-|u|)
        value = np.matmul(sp, mean)[..., 0, 0]
        np.subtract(u, sp, out=u)
        np.exp(u, out=u)                    # sigmoid(u)
        u *= scale
        return value, u
    return bce_prepared


VALUE_AND_GRAD = {"mse": mse_value_and_grad, "bce": bce_value_and_grad}

LOSSES = {"mse": (mse, mse_grad), "bce": (bce, bce_grad)}


def check_name(name):
    """Return ``name`` if it is a known loss, else raise ValueError."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"loss={name!r} is not known; allowed: {', '.join(sorted(LOSSES))}")
    return name


def check_targets(name, y):
    """Cross-entropy needs 0/1 labels; MSE takes any finite target."""
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError("y contains NaN or inf; allowed: finite targets")
    if name == "bce":
        bad = y[(y != 0.0) & (y != 1.0)]
        if bad.size:
            raise ValueError(
                f"y contains {float(bad.flat[0])!r}, but loss='bce' needs labels 0 or 1; "
                "use loss='mse' for real-valued targets"
            )
    return y


def get(name):
    """(loss, gradient with respect to the output) for the loss called ``name``."""
    return LOSSES[check_name(name)]


def value_and_grad(name):
    """One function giving (loss, gradient) for the loss called ``name``."""
    return VALUE_AND_GRAD[check_name(name)]
