"""Shared Hypothesis strategies and independent reference computations for the unit tests."""
import numpy as np
from hypothesis import strategies as st

ACTIVATION_NAMES = ("relu", "leaky_relu", "sigmoid", "tanh", "identity")
LOSS_NAMES = ("mse", "bce")
PENALTY_NAMES = ("none", "l2", "l1")
KINKED = ("relu", "leaky_relu")

# Layer sizes the gradient tests draw from: the 2-3-1 net, no hidden layer, deeper and wider.
SIZES = ((2, 3, 1), (2, 1), (2, 4, 3, 1), (3, 2, 1))


def floats(lo=-2.0, hi=2.0):
    """Finite float64 in [lo, hi], no subnormals."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=64)


def arrays(shape, lo=-2.0, hi=2.0):
    """A float64 array of ``shape`` with entries in [lo, hi]."""
    n = int(np.prod(shape))
    return st.lists(floats(lo, hi), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=np.float64).reshape(shape))


@st.composite
def params_for(draw, sizes=(2, 3, 1), lo=-2.0, hi=2.0):
    """A parameter dict W1, b1, ... for ``sizes`` with entries in [lo, hi]."""
    out = {}
    for layer in range(1, len(sizes)):
        out[f"W{layer}"] = draw(arrays((sizes[layer - 1], sizes[layer]), lo, hi))
        out[f"b{layer}"] = draw(arrays((sizes[layer],), lo, hi))
    return out


@st.composite
def problems(draw, loss="bce", sizes=None, max_n=6):
    """(sizes, params, X, y, lam): a random network, data, targets that suit ``loss`` and a strength."""
    sizes = draw(st.sampled_from(SIZES)) if sizes is None else sizes
    params = draw(params_for(sizes))
    n = draw(st.integers(1, max_n))
    X = draw(arrays((n, sizes[0])))
    if loss == "bce":
        y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    else:
        y = draw(arrays((n,)))
    lam = draw(floats(0.0, 1.0))
    return sizes, params, X, y, lam


def pre_activations(params, X, f):
    """Every hidden pre-activation z_l of the net with hidden activation f, by a plain loop."""
    L = len(params) // 2
    a, zs = X, []
    for layer in range(1, L):
        z = a @ params[f"W{layer}"] + params[f"b{layer}"]
        zs.append(z)
        a = f(z)
    return zs


def central_difference(f, params, h=1e-3):
    """Fourth-order central difference of the scalar f(params) for every entry:
    (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / (12 h); error O(h^4)."""
    out = {}
    for k, v in params.items():
        g = np.zeros_like(v)
        for idx in np.ndindex(v.shape):
            old = v[idx]
            vals = []
            for step in (2, 1, -1, -2):
                v[idx] = old + step * h
                vals.append(float(f(params)))
            v[idx] = old
            g[idx] = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * h)
        out[k] = g
    return out


def close(a, n, rel=1e-6, abs_=1e-9):
    """|a - n| <= rel * max(|a|, |n|) + abs_, elementwise; robust where the gradient is ~0."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return np.abs(a - n) <= rel * np.maximum(np.abs(a), np.abs(n)) + abs_


def assert_close(a, n, rel=1e-6, abs_=1e-9, what=""):
    ok = close(a, n, rel, abs_)
    assert ok.all(), f"{what}: analytic {np.asarray(a)[~ok]} vs numeric {np.asarray(n)[~ok]}"
