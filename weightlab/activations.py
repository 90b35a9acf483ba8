"""Activation functions and their derivatives, looked up by name.

Each derivative takes the pre-activation ``z`` (not the output), so
``derivative(name)(z)`` is d f(z) / d z element by element.
"""
import numpy as np

LEAKY_SLOPE = 0.01


def relu(z):
    """f(z) = max(0, z)"""
    return np.maximum(z, 0.0)


def relu_grad(z):
    """f'(z) = 1 if z > 0 else 0"""
    return (z > 0).astype(np.float64)


def leaky_relu(z):
    """f(z) = z if z > 0 else 0.01 z"""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_grad(z):
    """f'(z) = 1 if z > 0 else 0.01"""
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def sigmoid(z):
    """f(z) = 1 / (1 + exp(-z)), computed without overflow for any z"""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """f'(z) = f(z) (1 - f(z))"""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """f(z) = tanh(z)"""
    return np.tanh(z)


def tanh_grad(z):
    """f'(z) = 1 - tanh(z)^2"""
    t = np.tanh(z)
    return 1.0 - t * t


def identity(z):
    """f(z) = z"""
    return np.asarray(z, dtype=np.float64)


def identity_grad(z):
    """f'(z) = 1"""
    return np.ones_like(z, dtype=np.float64)


# f'(z) written with the output a = f(z), which backprop already has: no second
# exp or tanh. Each gives exactly the same numbers as the derivative above, and
# writes them into ``out`` when given (so a training loop can reuse one buffer).
def _relu_slope(a, out=None):
    return (a > 0).astype(np.float64) if out is None else np.greater(a, 0.0, out=out)


def _leaky_relu_slope(a, out=None):
    s = np.where(a > 0, 1.0, LEAKY_SLOPE)
    if out is None:
        return s
    out[...] = s
    return out


def _sigmoid_slope(a, out=None):
    out = np.subtract(1.0, a, out=out)
    return np.multiply(a, out, out=out)


def _tanh_slope(a, out=None):
    out = np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def _identity_slope(a, out=None):
    if out is None:
        return np.ones_like(a, dtype=np.float64)
    out[...] = 1.0
    return out


SLOPE_FROM_OUTPUT = {
    "relu": _relu_slope,               # a > 0 exactly when z > 0
    "leaky_relu": _leaky_relu_slope,
    "sigmoid": _sigmoid_slope,         # f' = f (1 - f)
    "tanh": _tanh_slope,               # f' = 1 - f^2
    "identity": _identity_slope,
}

ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "identity": (identity, identity_grad),
}


def check_name(name):
    """Return ``name`` if it is a known activation, else raise ValueError."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"activation={name!r} is not known; allowed: {', '.join(sorted(ACTIVATIONS))}"
        )
    return name


def get(name):
    """(f, f') for the activation called ``name``."""
    return ACTIVATIONS[check_name(name)]
