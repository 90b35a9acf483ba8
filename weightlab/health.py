"""Training health: the thresholds that call a hidden unit dead or saturated, and the
diagnosis of a run in words.

A hidden unit is *dead* when f'(z) is exactly 0 on every sample (only a ReLU can
die), *saturated* when f'(z) is below ``SATURATED_SLOPE`` of its largest value on
at least ``SATURATED_SHARE`` of the samples (and it is not dead).

``diagnose(history)`` gives the warnings a careful practitioner would raise about a
single network's run, as sentences (divergence, identical hidden units, weights
growing without bound, updates too large or too small, dead units, saturated
units); ``summary_sentence`` says a run with no warning is healthy.
"""
import numpy as np

from . import network

SATURATED_SLOPE = 0.05   # f'(z) below 5% of its largest value ...
SATURATED_SHARE = 0.9    # ... on at least 90% of the samples

RULE = 1e-3                        # CS231n: updates about a thousandth of the weights
RATIO_TOO_LARGE = 3e-2             # 30 times the rule of thumb
RATIO_TOO_SMALL = 1e-4             # a tenth of the rule of thumb
GROWTH_FACTOR, GROWTH_MIN_NORM, GROWTH_LATE = 3.0, 5.0, 0.05
SATURATED_WARN = 0.5               # warn when at least half the hidden units are saturated
TINY = 0.1                         # a layer norm below this counts as tiny weights
SAME_UNITS = 1e-9                  # hidden units this close (relative to the largest weight) count as identical
MOST_SERIOUS = ("Training", "identical", "dead", "saturated")   # the order of the warnings, the most serious first


def _window(T, part):
    """Indices of the first or last quarter of T records (at least 1 record)."""
    k = max(1, T // 4)
    return slice(0, k) if part == "first" else slice(T - k, T)


def diagnose(history, activation=None):
    """Warnings about a single network's run, as sentences, the most serious first; [] when nothing looks wrong.

    Rules: divergence (History.reason); every hidden unit of a layer identical to the others at
    the end (same incoming weights, bias and outgoing weights: a symmetric start such as the
    zeros or constant initialiser keeps them so); total weight norm at least 3x its
    start, above 5 and still rising by 5% over the last quarter; median update
    ratio ‖ΔW‖/‖W‖ of a layer over the first quarter above 3e-2 or below 1e-4
    (not reported when dead units explain a zero update)
    (the rule of thumb is about 1e-3); any dead hidden unit at the end;
    at least half the hidden units saturated at the end.
    """
    out = []
    T = len(history)
    if history.reason:
        out.append(f"Training {history.reason}")
    if T < 2:
        return out
    out += _symmetry_warnings(history)
    ok = np.isfinite(history.loss)
    weight_norm = np.asarray(history.weight_norm, dtype=float).reshape(T, -1)
    total = np.sqrt(np.sum(weight_norm ** 2, axis=1))
    good = np.flatnonzero(ok & np.isfinite(total))
    out += _growth_warnings(total[good])
    last = good[-1] if len(good) else T - 1
    dead = float(np.asarray(history.dead, dtype=float)[last])
    sat = float(np.asarray(history.saturated, dtype=float)[last])
    out += _ratio_warnings(history, ok, weight_norm, dead)
    out += _unit_warnings(dead, sat, sum(history.sizes[1:-1]), activation, _hidden_all_zero(history, last))
    return sorted(out, key=lambda w: next((k for k, word in enumerate(MOST_SERIOUS) if word in w[:60]),
                                          len(MOST_SERIOUS)))


def identical_units(params, sizes):
    """For each hidden layer l (1, 2, ...) with at least two units: True when all its units are identical,
    i.e. the columns of W_l, the entries of b_l and the rows of W_{l+1} agree up to ``SAME_UNITS``."""
    p = network.unflatten(params, sizes)
    out = {}
    for l in range(1, len(sizes) - 1):
        if sizes[l] < 2:
            continue
        units = np.column_stack([p[f"W{l}"].T, p[f"b{l}"], p[f"W{l + 1}"]])      # one row per unit
        if not np.isfinite(units).all():
            continue
        tol = SAME_UNITS * max(float(np.abs(units).max()), 1e-300)
        out[l] = bool(np.all(np.abs(units - units[0]) <= tol))
    return out


def _symmetry_warnings(history):
    """'The hidden units are identical' for each hidden layer whose units all agree at the last record."""
    params = history.params
    if params is None or np.ndim(params) != 2 or not len(params):
        return []
    sizes = history.sizes
    same = [l for l, yes in identical_units(params[-1], sizes).items() if yes]
    if not same:
        return []
    deep = len(sizes) > 3
    where = " and ".join(f"all {sizes[l]} units of hidden layer {l}" if deep else f"all {sizes[l]}" for l in same)
    layer = "each of these layers works" if len(same) > 1 else "the layer works"
    zero = not np.any(np.asarray(params[-1])[network.weight_mask(sizes)])
    why = " Here every weight is still exactly 0, so no gradient reaches them at all." if zero else ""
    return [f"The hidden units are identical ({where}): the same incoming weights, bias and outgoing weights. "
            "Identical units get identical gradients, so they stay identical whatever the training: "
            f"{layer} like a single unit.{why} A symmetric start (the zeros or constant initialiser) does "
            "this; a random initialiser breaks the symmetry (notebook 07)."]


def _hidden_all_zero(history, t):
    """True when, at record ``t``, every weight and every hidden bias is exactly 0 (so every hidden z is 0)."""
    params = history.params
    if params is None or np.ndim(params) != 2:
        return False
    p = network.unflatten(params[t], history.sizes)
    last = len(history.sizes) - 1
    return not any(np.any(v) for k, v in p.items() if k != f"b{last}")


def _growth_warnings(tot):
    """'Weights are growing without bound' when the total norm ``tot`` (finite steps) keeps rising."""
    if len(tot) < 8:
        return []
    late = tot[_window(len(tot), "last")]
    rising = late[-1] > late[0] * (1 + GROWTH_LATE)
    if not (tot[-1] >= GROWTH_FACTOR * max(tot[0], 1e-12) and tot[-1] >= GROWTH_MIN_NORM and rising):
        return []
    return [f"Weights are growing without bound: ‖W‖ went from {tot[0]:.2g} to {tot[-1]:.3g} and is still "
            f"rising ({100 * (late[-1] / late[0] - 1):.0f}% over the last quarter of the run). Nothing holds "
            "them back: when the classes can be separated, cross-entropy keeps rewarding larger weights. "
            "An L2 penalty (weight decay) or fewer steps would stop the growth."]


def _ratio_warnings(history, ok, weight_norm, dead):
    """Updates too large or too small, per layer, from the median update ratio over the first quarter."""
    T = len(history)
    ratio = np.asarray(history.update_ratio, dtype=float).reshape(T, -1)
    first = ratio[_window(T, "first")][ok[_window(T, "first")]]
    out = []
    for i, name in enumerate(history.layer_names):
        col = first[:, i] if len(first) else np.zeros(0)
        col = col[np.isfinite(col)]
        if not col.size:
            continue
        med = float(np.median(col))
        if med > RATIO_TOO_LARGE:
            w0 = float(weight_norm[0, i])
            why = (f"The weights themselves are tiny (‖{name}‖ = {w0:.2g} at the start), so even a modest step is "
                   "large next to them; a larger initial scale helps." if w0 < TINY else
                   "The learning rate is probably too high: the loss will jump around or diverge.")
            out.append(
                f"Updates are too large for {name}: each step changes it by {med:.2g} of its size (median over the "
                f"first quarter), about {med / RULE:.0f} times the rule of thumb of 1e-3. {why}")
        elif med < RATIO_TOO_SMALL and not dead:
            what = "not at all" if med == 0 else f"by only {med:.2g} of its size"
            out.append(
                f"Updates are too small for {name}: each step changes it {what} (median over the first quarter), "
                f"{'far' if med == 0 else f'about {RULE / med:.0f} times'} below the rule of thumb of 1e-3. "
                "The learning rate is probably too low: training will crawl.")
    return out


def _unit_warnings(dead, sat, hidden, activation, zero=False):
    """Dead hidden units (any, at the end) and saturated ones (at least ``SATURATED_WARN``, at the end);
    ``zero``: every weight is 0 at the end."""
    out = []
    if dead > 0:
        count = f"{round(dead * hidden)} of {hidden}" if hidden else f"{100 * dead:.0f}% of the"
        cause = ("Here every weight is 0 and so is every bias, so z = 0 for every input, where the ReLU's "
                 "slope is taken as 0; a random initialiser avoids it." if zero and activation in (None, "relu") else
                 "With ReLU this happens when a large step (a large learning rate) or a negative bias pushes "
                 "z below 0 for every input; a smaller learning rate, a small positive bias or leaky ReLU "
                 "avoids it." if activation in (None, "relu") else
                 "Its slope is exactly 0 only when the weights are extreme; a smaller learning rate or initial "
                 "scale avoids it.")
        out.append(
            f"{count} hidden units are dead: f′(z) = 0 on every sample, so no gradient reaches their "
            f"weights and they will never recover. {cause}")
    if sat >= SATURATED_WARN:
        count = f"{round(sat * hidden)} of {hidden}" if hidden else f"{100 * sat:.0f}% of the"
        out.append(
            f"{count} hidden units are saturated: their input z is so large that tanh or sigmoid is flat "
            "(f′(z) < 5% of its peak on 90% of the samples), so gradients through them nearly vanish. "
            "Large weights cause it: a smaller initial scale (Xavier) or an L2 penalty keeps z in the "
            "curved part.")
    return out


def summary_sentence(history):
    """One sentence for a run with no warning."""
    if not len(history):
        return "Nothing trained yet."
    ratio = np.asarray(history.update_ratio, dtype=float).reshape(len(history), -1)
    med = np.nanmedian(ratio[_window(len(history), "first")]) if np.isfinite(ratio).any() else float("nan")
    return (f"No warning: weights stay bounded, updates are about {med:.1g} of the weights early on "
            "(near the 1e-3 rule of thumb), no dead or saturated units.")
