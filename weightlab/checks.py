"""Checks of arguments, one home for each kind: whole numbers, real numbers, choices.

Every check returns the value in its plain Python form (an array for ``real_array``) or raises ValueError
that names the parameter, the value it got and what is allowed, e.g.
``n=-3 is not allowed; allowed: an int from 2 to 100000``. Text copied from
the caller is cut to ``SHOWN`` characters, so a huge value never makes a huge
message.
"""
import math
import numbers

import numpy as np

SHOWN = 80


def shown(value, limit=SHOWN):
    """repr(value), cut to ``limit`` characters with '…' (for messages)."""
    try:
        text = repr(value)
    except Exception:           # a repr that fails must not hide the real problem
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _range_words(lo, hi, kind):
    if lo is not None and hi is not None:
        return f"{kind} from {lo:g} to {hi:g}" if kind == "a number" else f"{kind} from {lo} to {hi}"
    if lo is not None:
        return f"{kind} >= {lo:g}" if kind == "a number" else f"{kind} >= {lo}"
    if hi is not None:
        return f"{kind} <= {hi:g}" if kind == "a number" else f"{kind} <= {hi}"
    return kind


def integer(name, value, lo=None, hi=None, what=""):
    """``value`` as an int in [lo, hi] (bools are not ints here); ``what`` explains it in the message."""
    allowed = _range_words(lo, hi, "an int") + (f" ({what})" if what else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}={shown(value)} is not allowed; allowed: {allowed}")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{name}={shown(value)} is not allowed; allowed: {allowed}")
    return v


def number(name, value, lo=None, hi=None, lo_open=False, what=""):
    """``value`` as a finite float in [lo, hi] (or (lo, hi] with ``lo_open``)."""
    kind = "a finite number"
    if lo is not None and lo_open:
        allowed = f"{kind} > {lo:g}" + (f" and <= {hi:g}" if hi is not None else "")
    else:
        allowed = _range_words(lo, hi, kind)
    allowed += f" ({what})" if what else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}={shown(value)} is not a number; allowed: {allowed}")
    v = float(value)
    bad = (not math.isfinite(v) or (hi is not None and v > hi)
           or (lo is not None and (v <= lo if lo_open else v < lo)))
    if bad:
        raise ValueError(f"{name}={shown(value)} is not allowed; allowed: {allowed}")
    return v


def choice(name, value, options):
    """``value`` if it is one of ``options`` (equal and of the same type: 1 is not True), else ValueError."""
    options = tuple(options)
    if not any(type(value) is type(o) and value == o for o in options):
        raise ValueError(f"{name}={shown(value)} is not known; allowed: {', '.join(map(str, options))}")
    return value


def real_array(name, value, finite=False):
    """``value`` as a float64 array of real numbers (complex, text or objects refused: numpy would drop an
    imaginary part with only a warning, or fail deep inside); with ``finite``, NaN and inf refused too."""
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):             # ragged nested lists and the like
        raise ValueError(f"{name}={shown(value)} is not an array of numbers; allowed: real numbers") from None
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} holds {arr.dtype} values; allowed: real numbers")
    arr = arr.astype(np.float64, copy=False)
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf; allowed: finite numbers")
    return arr
