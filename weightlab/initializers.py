"""Weight initialisers, from a layer's fan-in and fan-out, seeded.

Every initialiser takes ``scale``: for ``constant`` it is the value, for
``normal`` the standard deviation, for ``uniform`` the limit, and for the
Glorot/Xavier and He/Kaiming schemes a gain multiplying their standard
deviation (1 gives the published scheme).
"""
import functools
import math

import numpy as np

from . import checks


MAX_WEIGHTS = 10_000_000     # weights in one matrix (80 MB): refused beyond, with a ValueError


def checked(rng, fan_in, fan_out, scale):
    """The arguments every initialiser takes, checked: a numpy Generator, fans that are whole numbers
    from 1 (at most MAX_WEIGHTS weights in all), a finite scale >= 0."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng={checks.shown(rng)} is not allowed; allowed: a numpy.random.Generator, e.g. "
                         "numpy.random.default_rng(0)")
    fan_in = checks.integer("fan_in", fan_in, 1, what="inputs of the layer")
    fan_out = checks.integer("fan_out", fan_out, 1, what="outputs of the layer")
    if fan_in * fan_out > MAX_WEIGHTS:
        raise ValueError(f"fan_in={fan_in} and fan_out={fan_out} make {fan_in * fan_out:,} weights; allowed: at most "
                         f"{MAX_WEIGHTS:,} in one matrix")
    return rng, fan_in, fan_out, check_scale(scale)


def initializer(rule):
    """An initialiser ``rule(rng, fan_in, fan_out, scale)`` that is called only with checked arguments."""
    @functools.wraps(rule)
    def checked_rule(rng, fan_in, fan_out, scale):
        return rule(*checked(rng, fan_in, fan_out, scale))
    return checked_rule


@initializer
def zeros(rng, fan_in, fan_out, scale):
    """W = 0"""
    return np.zeros((fan_in, fan_out))


@initializer
def constant(rng, fan_in, fan_out, scale):
    """W = scale"""
    return np.full((fan_in, fan_out), float(scale))


@initializer
def normal(rng, fan_in, fan_out, scale):
    """W ~ N(0, scale^2)"""
    return scale * rng.standard_normal((fan_in, fan_out))


@initializer
def uniform(rng, fan_in, fan_out, scale):
    """W ~ U(-scale, scale)"""
    return rng.uniform(-scale, scale, (fan_in, fan_out))


@initializer
def xavier_uniform(rng, fan_in, fan_out, scale):
    """W ~ U(-a, a), a = scale * sqrt(6 / (fan_in + fan_out)); Var W = scale^2 * 2 / (fan_in + fan_out)"""
    a = scale * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, (fan_in, fan_out))


@initializer
def xavier_normal(rng, fan_in, fan_out, scale):
    """W ~ N(0, scale^2 * 2 / (fan_in + fan_out))"""
    return scale * math.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))


@initializer
def he_uniform(rng, fan_in, fan_out, scale):
    """W ~ U(-a, a), a = scale * sqrt(6 / fan_in); Var W = scale^2 * 2 / fan_in"""
    a = scale * math.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, (fan_in, fan_out))


@initializer
def he_normal(rng, fan_in, fan_out, scale):
    """W ~ N(0, scale^2 * 2 / fan_in)"""
    return scale * math.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))


INITIALIZERS = {
    "zeros": zeros,
    "constant": constant,
    "normal": normal,
    "uniform": uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
}

# Theoretical variance of one weight, for tests and plots.
VARIANCE = {
    "zeros": lambda fi, fo, s: 0.0,
    "constant": lambda fi, fo, s: 0.0,
    "normal": lambda fi, fo, s: s * s,
    "uniform": lambda fi, fo, s: s * s / 3.0,
    "xavier_uniform": lambda fi, fo, s: s * s * 2.0 / (fi + fo),
    "xavier_normal": lambda fi, fo, s: s * s * 2.0 / (fi + fo),
    "he_uniform": lambda fi, fo, s: s * s * 2.0 / fi,
    "he_normal": lambda fi, fo, s: s * s * 2.0 / fi,
}


def check_name(name):
    """Return ``name`` if it is a known initialiser, else raise ValueError."""
    return checks.choice("init", name, tuple(INITIALIZERS))


def check_scale(scale):
    """Return ``scale`` as a float if finite and >= 0, else raise ValueError."""
    return checks.number("scale", scale, 0)


def make_rng(seed):
    """A numpy Generator from an int seed >= 0 or an existing Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(checks.integer("seed", seed, 0, what="or a numpy.random.Generator"))


def init_weight(name, fan_in, fan_out, rng, scale=1.0):
    """One (fan_in, fan_out) weight matrix from the initialiser ``name``."""
    return INITIALIZERS[check_name(name)](rng, fan_in, fan_out, scale)
