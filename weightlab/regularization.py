"""L1 and L2 penalties on the weights (never the biases), their gradients,
and the proximal L1 step that gives exact zeros.

``lam`` is one number, or with a population one number per network.
"""
import numpy as np

PENALTIES = ("none", "l2", "l1")


def check_kind(kind):
    """Return ``kind`` if it is a known penalty, else raise ValueError."""
    if not isinstance(kind, str) or kind not in PENALTIES:
        raise ValueError(f"penalty={kind!r} is not known; allowed: {', '.join(PENALTIES)}")
    return kind


def check_strength(value, name="lam", population=None):
    """A penalty strength or learning rate: finite and >= 0, one value or one per network."""
    arr = np.asarray(value, dtype=np.float64) if _numeric(value) else None
    if arr is None or arr.ndim > 1:
        raise ValueError(f"{name}={value!r} is not a number; allowed: a finite number >= 0")
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
    return arr.dtype.kind in "biuf" and arr.dtype.kind != "b"


def per_member(lam, ndim):
    """Shape a per-network array (P,) so it broadcasts against a (P, ...) array of ``ndim`` dims."""
    lam = np.asarray(lam, dtype=np.float64)
    return lam.reshape(lam.shape + (1,) * (ndim - lam.ndim)) if lam.ndim else lam


def weights(params):
    """The weight matrices W1, W2, ... (biases are never penalised)."""
    return [params[k] for k in sorted(params) if k.startswith("W")]


def penalty(params, kind, lam):
    """l2: lam/2 * sum(W**2);  l1: lam * sum(|W|);  none: 0.  Shape () or (P,)."""
    kind = check_kind(kind)
    lead = params["W1"].shape[:-2]
    total = np.zeros(lead)
    if kind == "none":
        return total
    for W in weights(params):
        total = total + (0.5 * (W * W) if kind == "l2" else np.abs(W)).sum(axis=(-2, -1))
    return np.asarray(lam) * total


def penalty_grads(params, kind, lam):
    """d penalty / d W: lam * W for l2, lam * sign(W) for l1 (a subgradient, 0 at 0); biases 0."""
    kind = check_kind(kind)
    grads = {}
    for k, v in params.items():
        if k.startswith("b") or kind == "none":
            grads[k] = np.zeros_like(v)
        else:
            grads[k] = per_member(lam, v.ndim) * (v if kind == "l2" else np.sign(v))
    return grads


def soft_threshold(W, t):
    """prox of t*|W|: sign(W) * max(|W| - t, 0); entries with |W| <= t become exactly 0."""
    t = per_member(t, np.ndim(W))
    return np.sign(W) * np.maximum(np.abs(W) - t, 0.0)


def count_zeros(params):
    """Number of weights that are exactly 0, per network."""
    return sum((W == 0).sum(axis=(-2, -1)) for W in weights(params))
