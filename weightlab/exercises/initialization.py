"""Exercises of notebook 07: the Xavier and He standard deviations, and spotting identical hidden units.

Each name (``xavier_std``, ``he_std``, ``identical_units``) is an Exercise:
``.check(your_function)`` and ``.show_solution()``.
"""
import numpy as np

from . import Case, Exercise

_FANS = [(2, 3), (3, 1), (50, 50), (400, 100), (784, 256)]


# 1. Xavier/Glorot ------------------------------------------------------------------------
def xavier_std(fan_in, fan_out):
    """σ = sqrt(2 / (fan_in + fan_out)): Var W = 2 / (fan_in + fan_out) (Glorot & Bengio, 2010)."""
    return np.sqrt(2.0 / (fan_in + fan_out))


def _xavier_no_two(fan_in, fan_out):
    return np.sqrt(1.0 / (fan_in + fan_out))


def _xavier_variance(fan_in, fan_out):
    return 2.0 / (fan_in + fan_out)


def _xavier_he(fan_in, fan_out):
    return np.sqrt(2.0 / fan_in)


def _xavier_fan_in_only(fan_in, fan_out):
    return np.sqrt(1.0 / fan_in)


def _xavier_uniform_limit(fan_in, fan_out):
    return np.sqrt(6.0 / (fan_in + fan_out))


xavier_std = Exercise(
    "xavier_std",
    xavier_std,
    cases=_FANS,
    mistakes=[
        (_xavier_no_two, "you forgot the 2: Xavier's variance is one over the AVERAGE fan, (fan_in + fan_out) / 2, "
                         "a compromise between 1/fan_in (steady forward pass) and 1/fan_out (steady backward "
                         "pass)."),
        (_xavier_variance, "that is the variance; the standard deviation is its square root."),
        (_xavier_he, "sqrt(2 / fan_in) is He's formula; Xavier's variance uses both fans, fan_in + fan_out."),
        (_xavier_fan_in_only, "sqrt(1 / fan_in) keeps only the forward pass steady (LeCun); Xavier also counts "
                              "fan_out: its variance is one over the average of the two fans."),
        (_xavier_uniform_limit, "sqrt(6 / (fan_in + fan_out)) is the limit a of the uniform version U(−a, a); the "
                                "standard deviation of U(−a, a) is a / sqrt(3), smaller than a."),
    ],
    hint="Xavier's variance is 2 / (fan_in + fan_out); the standard deviation is its square root (np.sqrt: "
         "numpy is imported as np in this notebook, math is not).",
)


# 2. He/Kaiming ---------------------------------------------------------------------------
def he_std(fan_in, fan_out):
    """σ = sqrt(2 / fan_in): ReLU zeroes half of its inputs, the 2 makes up for it (He et al., 2015)."""
    return np.sqrt(2.0 / fan_in)


def _he_no_two(fan_in, fan_out):
    return np.sqrt(1.0 / fan_in)


def _he_both_fans(fan_in, fan_out):
    return np.sqrt(2.0 / (fan_in + fan_out))


def _he_fan_out(fan_in, fan_out):
    return np.sqrt(2.0 / fan_out)


def _he_variance(fan_in, fan_out):
    return 2.0 / fan_in


he_std = Exercise(
    "he_std",
    he_std,
    cases=_FANS,
    mistakes=[
        (_he_no_two, "you forgot the 2: a ReLU sets about half of its inputs to 0, which halves the signal's "
                     "second moment; Var W = 2 / fan_in doubles it back."),
        (_he_both_fans, "that is Xavier's formula, with both fans; He's uses fan_in only (fan_out is not needed "
                        "here)."),
        (_he_fan_out, "use fan_in, the number of inputs each unit sums over, not fan_out."),
        (_he_variance, "that is the variance; the standard deviation is its square root."),
    ],
    hint="He's variance is 2 / fan_in (fan_out is not used); return its square root, the standard deviation.",
)


# 3. Identical hidden units -----------------------------------------------------------------
def identical_units(W1, b1, W2):
    """True if two hidden units j != k have exactly the same W1[:, j], b1[j] and W2[j, :]."""
    H = W1.shape[1]
    for j in range(H):
        for k in range(j + 1, H):
            if (np.array_equal(W1[:, j], W1[:, k]) and b1[j] == b1[k]
                    and np.array_equal(W2[j], W2[k])):
                return True
    return False


def _units_incoming_only(W1, b1, W2):
    H = W1.shape[1]
    return any(np.array_equal(W1[:, j], W1[:, k]) for j in range(H) for k in range(j + 1, H))


def _units_rows(W1, b1, W2):
    n = W1.shape[0]
    return any(np.array_equal(W1[i], W1[m]) for i in range(n) for m in range(i + 1, n))


def _units_all_equal(W1, b1, W2):
    return bool(np.all(W1 == W1[:, :1]) and np.all(b1 == b1[0]) and np.all(W2 == W2[:1]))


def _units_allclose(W1, b1, W2):
    H = W1.shape[1]
    return any(np.allclose(W1[:, j], W1[:, k]) and np.isclose(b1[j], b1[k]) and np.allclose(W2[j], W2[k])
               for j in range(H) for k in range(j + 1, H))


def _units_same_j(W1, b1, W2):
    H = W1.shape[1]
    return any(np.array_equal(W1[:, j], W1[:, j]) for j in range(H))


def _net(W1, b1, W2):
    return (np.array(W1, dtype=float), np.array(b1, dtype=float), np.array(W2, dtype=float))


_RANDOM = np.random.default_rng(6)
_CASES = [
    Case(*_net(np.zeros((2, 3)), np.zeros(3), np.zeros((3, 1))), label="every weight and bias 0"),
    Case(*_net(np.full((2, 3), 0.5), np.zeros(3), np.full((3, 1), 0.5)), label="every weight 0.5, biases 0"),
    Case(*_net(_RANDOM.normal(0, 0.8, (2, 3)), np.zeros(3), _RANDOM.normal(0, 0.8, (3, 1))),
         label="random weights, biases 0"),
    Case(*_net([[1e-6, 0, 0], [0, 0, 0]], np.zeros(3), np.zeros((3, 1))),
         label="W1[0, 0] = 1e-6, every other weight and bias 0"),
    Case(*_net([[0.5, 0.5, 0.5 + 1e-6], [0.3, 0.3, 0.3]], [0, 0.1, 0], [[1.0], [1.0], [1.0]]),
         label="W1 = [[0.5, 0.5, 0.5 + 1e-6], [0.3, 0.3, 0.3]], b1 = [0, 0.1, 0], W2 all 1"),
    Case(*_net([[0.2, 0.2, -1.0], [0.7, 0.7, 0.4]], [0.1, 0.1, 0.0], [[0.5], [-0.5], [2.0]]),
         label="units 1 and 2 with the same W1 column and bias, W2 = [0.5, -0.5, 2]"),
    Case(*_net([[0.3, -0.1, 0.9], [0.3, -0.1, 0.9]], [0.0, 0.0, 0.0], [[1.0], [-1.0], [0.5]]),
         label="the two rows of W1 equal, biases 0, W2 = [1, -1, 0.5]"),
]

identical_units = Exercise(
    "identical_units",
    identical_units,
    cases=_CASES,
    mistakes=[
        (_units_incoming_only, "two units with the same incoming weights may still differ in their bias b1[j] "
                               "or their outgoing weights W2[j, :]; then they get different gradients. Compare "
                               "all three."),
        (_units_rows, "hidden unit j is column j of W1 (W1[:, j]), not row j: rows belong to the inputs."),
        (_units_all_equal, "you asked whether all units are equal. Two identical units are enough to waste "
                           "one: they get the same gradient forever (try the case where only W1[0, 0] differs)."),
        (_units_allclose, "np.allclose calls weights 1e-6 apart equal, but such a tiny difference grows during "
                          "training (see the symmetry explorer). Compare exactly (np.array_equal, ==)."),
        (_units_same_j, "compare each unit with every other unit (j < k), not with itself."),
    ],
    hint="loop over every pair of hidden units j < k. Unit j is column j of W1, entry j of b1 and row j of "
         "W2; two units are identical when all three are exactly equal. Return False only after every pair.",
)
