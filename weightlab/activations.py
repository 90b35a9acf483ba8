"""Activation functions, and every fact about each one, looked up by name.

``ACTIVATIONS[name]`` is an ``Activation``:

- ``f(z)`` and ``grad(z)``: the function and its derivative d f(z) / d z, element by element;
- ``slope(a, out=None)``: the same derivative written with the output a = f(z), which
  backpropagation already has (no second exp or tanh); same numbers as ``grad``;
- ``in_place(v)``: writes f(v) into v (a training loop reuses one buffer);
- ``max_slope``: the largest value of f'(z), to call a unit saturated when f'(z) is a small part of it;
- ``lo``, ``hi``: the range of f (None where it is unbounded).
"""
from collections import namedtuple

import numpy as np

from . import checks

LEAKY_SLOPE = 0.01

Activation = namedtuple("Activation", "name f grad slope in_place max_slope lo hi")


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


def softplus(z):
    """log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)), finite for any z (used by cross-entropy)"""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


# f'(z) from the output a = f(z), written into ``out`` when given.
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


def _through_copy(f):
    """An in-place version of ``f`` for functions numpy has no ``out=`` for."""
    def in_place(v):
        v[...] = f(v)
        return v
    return in_place


ACTIVATIONS = {
    "relu": Activation("relu", relu, relu_grad, _relu_slope,           # a > 0 exactly when z > 0
                       lambda v: np.maximum(v, 0.0, out=v), 1.0, 0.0, None),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_grad, _leaky_relu_slope,
                             _through_copy(leaky_relu), 1.0, None, None),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad, _sigmoid_slope,   # f' = f (1 - f)
                          _through_copy(sigmoid), 0.25, 0.0, 1.0),
    "tanh": Activation("tanh", tanh, tanh_grad, _tanh_slope,                  # f' = 1 - f^2
                       lambda v: np.tanh(v, out=v), 1.0, -1.0, 1.0),
    "identity": Activation("identity", identity, identity_grad, _identity_slope,
                           lambda v: v, 1.0, None, None),
}
NAMES = tuple(sorted(ACTIVATIONS))


def check_name(name):
    """Return ``name`` if it is a known activation, else raise ValueError."""
    return checks.choice("activation", name, NAMES)


def info(name):
    """Everything about the activation called ``name`` (an ``Activation``)."""
    return ACTIVATIONS[check_name(name)]


def get(name):
    """(f, f') for the activation called ``name``."""
    a = info(name)
    return a.f, a.grad
