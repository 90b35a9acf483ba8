"""L1 and L2 penalties on the weights (never the biases), their gradients,
and the proximal L1 step that gives exact zeros.

``lam`` is one number, or with a population one number per network.
"""
import numpy as np

from . import checks, network

PENALTIES = ("none", "l2", "l1")


def check_kind(kind):
    """Return ``kind`` if it is a known penalty, else raise ValueError."""
    return checks.choice("penalty", kind, PENALTIES)


def check_strength(value, name="lam", population=None):
    """A penalty strength or learning rate: finite and >= 0, one value or one per network.

    Returns a float, or a new float64 array (P,) that the caller owns.
    """
    arr = np.array(value, dtype=np.float64) if _numeric(value) else None
    if arr is None or arr.ndim > 1:
        raise ValueError(f"{name}={checks.shown(value)} is not a number; allowed: a finite number >= 0")
    if arr.ndim == 1 and (population is None or arr.shape[0] != population):
        raise ValueError(
            f"{name} has {arr.shape[0]} values; allowed: one value, or one per network (population={population})"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        bad = float(arr.flat[int(np.argmax(~np.isfinite(arr) | (arr < 0)))])
        raise ValueError(f"{name}={bad!r} is not allowed; allowed: a finite number >= 0")
    return float(arr) if arr.ndim == 0 else arr


def _numeric(value):
    try:
        arr = np.asarray(value)
    except Exception:  # ragged input and the like
        return False
    return arr.dtype.kind in "iuf"


def per_member(lam, ndim):
    """Shape a per-network array (P,) so it broadcasts against a (P, ...) array of ``ndim`` dims."""
    lam = np.asarray(lam, dtype=np.float64)
    return lam.reshape(lam.shape + (1,) * (ndim - lam.ndim)) if lam.ndim else lam


def weights(params):
    """The weight matrices W1, W2, ... in layer order (biases are never penalised)."""
    return [params[f"W{l}"] for l in range(1, network.check_structure(params) + 1)]


def weight_vector(params):
    """Every weight in one vector per network, W1 row by row, then W2, ...: shape (..., n_weights)."""
    W = weights(params)
    lead = W[0].shape[:-2]
    return np.concatenate([w.reshape(lead + (-1,)) for w in W], axis=-1)


def penalty_of(w, kind, lam, check=True):
    """The penalty of a weight vector w (..., n): l2: lam/2 * sum(w**2); l1: lam * sum(|w|); none: 0.

    ``check=False`` skips the checks of kind, w and lam (the Trainer's step, which made them itself)."""
    if check:
        kind = check_kind(kind)
        w = checks.real_array("w", w, finite=True)
        if w.ndim < 1:
            raise ValueError(f"w has shape {w.shape}; allowed: (..., n), the weights of each network in one vector")
        lam = check_strength(lam, "lam", w.shape[0] if w.ndim == 2 else None)
    if kind == "none":
        return np.zeros(w.shape[:-1])
    if kind == "l2":
        return lam * (0.5 * in_order_sum(w * w))
    return lam * in_order_sum(np.abs(w))


def in_order_sum(x):
    """The sum over the last axis, added left to right: the same number for a network alone or in a
    population (``np.sum`` may add in another order, and differ in the last bit, for other shapes)."""
    return np.add.accumulate(x, axis=-1)[..., -1]


def penalty(params, kind, lam):
    """l2: lam/2 * sum(W**2);  l1: lam * sum(|W|);  none: 0, over every weight.  Shape () or (P,)."""
    w = weight_vector(network.check_params(params))
    return penalty_of(w, kind, check_strength(lam, "lam", w.shape[0] if w.ndim == 2 else None))


def penalty_grads(params, kind, lam):
    """d penalty / d W: lam * W for l2, lam * sign(W) for l1 (a subgradient, 0 at 0); biases 0."""
    kind = check_kind(kind)
    params = network.check_params(params)
    W1 = params["W1"]
    lam = check_strength(lam, "lam", W1.shape[0] if W1.ndim == 3 else None)
    grads = {}
    for k, v in params.items():
        if k.startswith("b") or kind == "none":
            grads[k] = np.zeros_like(v)
        else:
            grads[k] = per_member(lam, v.ndim) * (v if kind == "l2" else np.sign(v))
    return grads


def soft_threshold(W, t):
    """prox of t*|W|: sign(W) * max(|W| - t, 0); entries with |W| <= t become exactly 0 (t broadcasts, t >= 0)."""
    W = checks.real_array("W", W, finite=True)
    allowed = "a finite threshold >= 0 (lr * lam)"
    t_arr = np.asarray(t) if _numeric(t) else None
    if t_arr is None:
        raise ValueError(f"t={checks.shown(t)} is not a number; allowed: {allowed}")
    if not np.all(np.isfinite(t_arr)) or np.any(t_arr < 0):
        raise ValueError(f"t={checks.shown(t)} is not allowed; allowed: {allowed}")
    try:
        np.broadcast_shapes(W.shape, t_arr.shape)
    except ValueError:
        raise ValueError(f"t has shape {t_arr.shape} and W {W.shape}; allowed: one threshold, or one that "
                         "broadcasts against W") from None
    return shrink(W, t_arr)


def shrink(W, t):
    """sign(W) * max(|W| - t, 0), for a t already checked (the Trainer's step)."""
    return np.sign(W) * np.maximum(np.abs(W) - t, 0.0)


def count_zeros(params):
    """Number of weights that are exactly 0, per network."""
    return np.sum(weight_vector(params) == 0, axis=-1)
