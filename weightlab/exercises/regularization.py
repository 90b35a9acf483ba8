"""Exercises of notebook 09: the L2 penalty and its gradient, the soft threshold, choosing λ.

Each name (``l2_penalty_and_grad``, ``soft_threshold``, ``best_lam``) is an
Exercise: ``.check(your_function)`` and ``.show_solution()``.
"""
import numpy as np

from . import Exercise


def _params(seed, sizes=(2, 3, 1)):
    rng = np.random.default_rng(seed)
    out = {}
    for l in range(1, len(sizes)):
        out[f"W{l}"] = rng.normal(0, 1, (sizes[l - 1], sizes[l]))
        out[f"b{l}"] = rng.normal(0, 1, sizes[l])      # non-zero biases, to catch penalised biases
    return out


# 1. L2 penalty and its gradient --------------------------------------------------------
def l2_penalty_and_grad(params, lam):
    """penalty = lam/2 * sum of W**2 over every weight matrix; grads: lam * W for weights, 0 for biases."""
    penalty = 0.0
    grads = {}
    for name, value in params.items():
        if name.startswith("W"):
            penalty += lam / 2 * np.sum(value ** 2)
            grads[name] = lam * value
        else:
            grads[name] = np.zeros_like(value)
    return penalty, grads


def _squares(params, weights_only=True):
    return sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W") or not weights_only)


def _per_weight(params, f):
    """A gradient dict: f(W) for the weights, zeros for the biases."""
    return {k: (f(v) if k.startswith("W") else np.zeros_like(v)) for k, v in params.items()}


# The two halves of an answer go wrong separately: each penalty (and each gradient) below is
# right (hint None) or a typical slip with its own hint; every wrong pair is a mistake.
_PENALTIES = [
    (lambda p, lam: lam / 2 * _squares(p), None),
    (lambda p, lam: lam * _squares(p), "it needs the ½, λ/2·ΣW²: then its derivative is λ·W."),
    (lambda p, lam: lam / 2 * _squares(p, weights_only=False),
     "it includes the biases; biases are never penalised: sum over W1, W2, ... only."),
    (lambda p, lam: _squares(p) / 2, "it forgets λ: the penalty is λ/2·ΣW², λ sets its strength."),
    (lambda p, lam: lam * sum(np.sum(np.abs(v)) for k, v in p.items() if k.startswith("W")),
     "λ·Σ|W| is the L1 penalty; L2 uses the squares, λ/2·ΣW²."),
]
_GRADIENTS = [
    (lambda p, lam: _per_weight(p, lambda W: lam * W), None),
    (lambda p, lam: _per_weight(p, lambda W: 2 * lam * W),
     "2λ·W is the derivative of λ·W²; the ½ in λ/2·W² cancels the 2, so it is λ·W."),
    (lambda p, lam: {k: lam * v for k, v in p.items()},
     "the biases are not penalised, so their gradient from the penalty is 0 (np.zeros_like(b))."),
    (lambda p, lam: _per_weight(p, lambda W: W), "it forgets λ: the derivative of λ/2·W² is λ·W."),
    (lambda p, lam: _per_weight(p, lambda W: lam / 2 * W),
     "the ½ and the 2 from differentiating the square cancel: the derivative of λ/2·W² is λ·W."),
    (lambda p, lam: _per_weight(p, lambda W: lam * np.sign(W)), "λ·sign(W) is the L1 gradient; L2's is λ·W."),
    (lambda p, lam: {k: lam * v for k, v in p.items() if k.startswith("W")},
     "give every parameter a gradient, the biases too: theirs is 0 (np.zeros_like(b))."),
]


def _pair(penalty, grads):
    return lambda params, lam: (penalty(params, lam), grads(params, lam))


def _l2_hint(penalty_hint, grads_hint):
    if penalty_hint and grads_hint:
        return f"The penalty: {penalty_hint} The gradient: {grads_hint}"
    return (f"your gradients are right; the penalty: {penalty_hint}" if penalty_hint else
            f"your penalty is right; the gradient: {grads_hint}")


# The name now holds the Exercise; the Exercise keeps the function above as its reference solution.
l2_penalty_and_grad = Exercise(
    "l2_penalty_and_grad",
    l2_penalty_and_grad,
    cases=[(_params(0), 0.1), (_params(1), 0.5), (_params(2, (2, 4, 1)), 0.01)],
    results=("penalty", "grads"),
    mistakes=[(_pair(pf, gf), _l2_hint(ph, gh)) for pf, ph in _PENALTIES for gf, gh in _GRADIENTS
              if ph or gh],
    hint="return (penalty, grads): the penalty sums the squares of the weight matrices only, times λ/2; "
         "grads has one array per parameter, shaped like it: the derivative of the penalty, which is 0 "
         "for the biases.",
)


# 2. Soft threshold ----------------------------------------------------------------------
def soft_threshold(w, t):
    """sign(w) * max(|w| - t, 0): shrink every entry towards 0 by t, and stop at exactly 0."""
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def _st_no_sign(w, t):
    return np.maximum(w - t, 0.0)


def _st_clip(w, t):
    return np.clip(w, -t, t)


def _st_hard(w, t):
    return np.where(np.abs(w) > t, w, 0.0)


def _st_no_max(w, t):
    return np.sign(w) * (np.abs(w) - t)


def _st_minus_t(w, t):
    return np.where(np.abs(w) > t, w - t, 0.0)


_W = np.array([[1.5, -0.2, 0.05], [-2.0, 0.3, 0.0], [0.1, -0.09, 0.7]])
soft_threshold = Exercise(
    "soft_threshold",
    soft_threshold,
    cases=[(_W, 0.1), (_W, 0.5), (np.array([-3.0, -1.0, -0.4, 0.4, 1.0, 3.0]), 1.0)],
    mistakes=[
        (_st_no_sign, "max(w − t, 0) sets every negative weight to 0. Work on the size |w|, then put each "
                      "entry's sign back (np.sign)."),
        (_st_clip, "clipping to [−t, t] caps the large weights instead of shrinking them. Every weight moves "
                   "t towards 0; only those within t of 0 become exactly 0."),
        (_st_hard, "you set the small weights to 0 but left the large ones unchanged (a hard threshold). "
                   "The soft threshold also moves every large weight t towards 0."),
        (_st_no_max, "sign(w)·(|w| − t) flips small weights past 0 (−0.05 instead of 0). Stop at 0: the size "
                     "|w| − t must not go below 0 (np.maximum)."),
        (_st_minus_t, "the positive weights are right, but a negative weight moves towards 0 by ADDING t: "
                      "−2 with t = 0.5 becomes −1.5, not −2.5."),
    ],
    hint="work on the size |w| first: shrink it by t and stop at 0 (np.maximum), then give each entry its "
         "sign back (np.sign).",
)


# 3. Choosing the strength -----------------------------------------------------------------
def best_lam(lams, val_losses):
    """The λ whose network has the smallest validation loss (the value of λ, not its index)."""
    return lams[np.argmin(val_losses)]


def _best_index(lams, val_losses):
    return np.argmin(val_losses)


def _best_argmax(lams, val_losses):
    return lams[np.argmax(val_losses)]


def _best_loss(lams, val_losses):
    return np.min(val_losses)


def _best_largest(lams, val_losses):
    return np.max(lams)


_LAMS = np.concatenate([[0.0], np.logspace(-4, 0, 9)])
_U1 = np.array([0.84, 0.81, 0.76, 0.66, 0.55, 0.48, 0.47, 0.52, 0.69, 0.69])
_U2 = np.array([0.52, 0.52, 0.51, 0.50, 0.49, 0.50, 0.55, 0.62, 0.69, 0.69])
best_lam = Exercise(
    "best_lam",
    best_lam,
    cases=[(_LAMS, _U1), (_LAMS, _U2), (np.array([0.0, 0.1, 1.0]), np.array([0.3, 0.2, 0.25]))],
    mistakes=[
        (_best_index, "you returned the position of the best λ; return the value itself: lams[...]."),
        (_best_argmax, "argmax picks the worst λ; the best has the smallest validation loss (argmin)."),
        (_best_loss, "you returned the smallest validation loss; return the λ that gives it."),
        (_best_largest, "more penalty is not always better: pick the λ with the smallest validation loss."),
    ],
    hint="two steps: find the position of the smallest validation loss (np.argmin gives positions), then "
         "look up the λ at that position.",
)
