"""Exercises of notebook 10: the update-to-weight ratio, dead ReLU units, weight norms per layer.

Each name (``update_ratio``, ``dead_fraction``, ``weight_norms``) is an
Exercise: ``.check(your_function)`` and ``.show_solution()``.
"""
import numpy as np

from . import Case, Exercise


def _W(seed, shape=(2, 3), scale=1.0):
    return scale * np.random.default_rng(seed).normal(0, 1, shape)


# 1. Update-to-weight ratio ----------------------------------------------------------------
def update_ratio(W_old, W_new):
    """‖W_new − W_old‖ / ‖W_old‖, with ‖·‖ the Frobenius norm (root of the sum of squares)."""
    return np.linalg.norm(W_new - W_old) / np.linalg.norm(W_old)


def _ratio_of_norms(W_old, W_new):
    return abs(np.linalg.norm(W_new) - np.linalg.norm(W_old)) / np.linalg.norm(W_old)


def _ratio_over_new(W_old, W_new):
    return np.linalg.norm(W_new - W_old) / np.linalg.norm(W_new)


def _ratio_no_sqrt(W_old, W_new):
    return np.sum((W_new - W_old) ** 2) / np.sum(W_old ** 2)


def _ratio_elementwise(W_old, W_new):
    return np.mean(np.abs(W_new - W_old) / np.abs(W_old))


# A rotation keeps the norm (so the difference of norms is 0, the update is not);
# a shrink by 5% changes both; a random small step is the usual case.
_R = np.array([[0.0, -1.0], [1.0, 0.0]])
update_ratio = Exercise(
    "update_ratio",
    update_ratio,
    cases=[(_W(0), _W(0) + 1e-3 * _W(1)), (_W(2, (2, 2)), _R @ _W(2, (2, 2))), (_W(3), 0.95 * _W(3)),
           (_W(4, (3, 1)), _W(4, (3, 1)) - 0.2 * _W(5, (3, 1)))],
    mistakes=[
        (_ratio_of_norms, "you compared the sizes of the two matrices, |‖W_new‖ − ‖W_old‖|. The update is the "
                          "matrix W_new − W_old: take its norm. (A step that turns the weights without changing "
                          "their size is still an update.)"),
        (_ratio_over_new, "divide by the size of the weights BEFORE the step, ‖W_old‖, not after it."),
        (_ratio_no_sqrt, "np.sum(x**2) is the squared norm: take its square root (np.linalg.norm does it)."),
        (_ratio_elementwise, "the ratio compares whole matrices, ‖ΔW‖ / ‖W‖, not each entry with itself."),
    ],
    hint="the update is the matrix W_new − W_old; its size is its Frobenius norm (np.linalg.norm of the "
         "whole matrix). Divide by the size of the weights before the step.",
)


# 2. Share of dead ReLU units ----------------------------------------------------------------
def dead_fraction(Z):
    """Z (N, H): pre-activations of H ReLU units on N samples. A unit is dead when z <= 0 on EVERY sample."""
    dead = np.all(Z <= 0, axis=0)
    return np.mean(dead)


def _dead_any(Z):
    return np.mean(np.any(Z <= 0, axis=0))


def _dead_entries(Z):
    return np.mean(Z <= 0)


def _dead_samples(Z):
    return np.mean(np.all(Z <= 0, axis=1))


def _dead_count(Z):
    return float(np.sum(np.all(Z <= 0, axis=0)))


def _dead_strict(Z):
    return np.mean(np.all(Z < 0, axis=0))


def _dead_over_samples(Z):
    return np.sum(np.all(Z <= 0, axis=0)) / Z.shape[0]


def _Z_zero_units(seed):
    """Six units on 8 samples: unit 1 is exactly 0 everywhere (all its weights and its bias are 0), unit 3
    is 0 on some samples and negative on the others, unit 5 is negative everywhere; the rest are alive."""
    Z = np.random.default_rng(seed).normal(0, 1, (8, 6))
    Z[:, 1] = 0.0
    Z[:, 3] = -np.abs(Z[:, 3]) * (np.arange(8) % 2)
    Z[:, 5] = -1.0 - np.abs(Z[:, 5])
    Z[0, [0, 2, 4]] = 1.0
    return Z


def _Z(seed, N, H, shift):
    return np.random.default_rng(seed).normal(0, 1, (N, H)) + np.asarray(shift, dtype=float)


dead_fraction = Exercise(
    "dead_fraction",
    dead_fraction,
    cases=[(_Z(0, 20, 3, [0.0, -9.0, 0.5]),), (_Z(1, 30, 4, [-9.0, -9.0, 0.0, 0.0]),),
           (_Z(2, 25, 5, [-9.0, 0.0, 9.0, 0.0, 0.0]),), (_Z(3, 7, 6, [9.0, -9.0, 0.0, -9.0, -9.0, 0.0]),),
           Case(_Z_zero_units(4), label="Z of shape (8, 6) in which unit 1 is exactly 0 on every sample and "
                                        "unit 3 is 0 on some samples, negative on the others")],
    mistakes=[
        (_dead_any, "a unit that is 0 on SOME samples is alive: it still passes gradient on the others. It is "
                    "dead only when z <= 0 on ALL samples: np.all(..., axis=0)."),
        (_dead_entries, "you counted entries of Z. Count units (columns): a unit is dead when its whole column "
                        "is <= 0, then take the share of such columns."),
        (_dead_samples, "axis=1 runs over the units of one sample. A unit is a column: use axis=0 (over the "
                        "samples)."),
        (_dead_count, "return the share of dead units (between 0 and 1), not their number: np.mean, not np.sum."),
        (_dead_strict, "a unit whose z is exactly 0 is dead too: a ReLU's slope at 0 is taken as 0, so no "
                       "gradient passes (a unit with all-zero weights and bias sits there). Use z <= 0, not "
                       "z < 0."),
        (_dead_over_samples, "you divided the number of dead units by the number of samples N (rows); the share "
                             "is out of the H units (columns)."),
    ],
    hint="a unit is a column of Z: it is dead when every entry of its column is <= 0 (np.all over the "
         "samples, that is along axis 0). Return the share of dead columns, a number between 0 and 1.",
)


# 3. Weight norms per layer ------------------------------------------------------------------
def weight_norms(params):
    """[‖W1‖, ‖W2‖, ...]: the Frobenius norm of each weight matrix, in layer order (biases left out)."""
    layers = len(params) // 2
    return np.array([np.sqrt(np.sum(params[f"W{l}"] ** 2)) for l in range(1, layers + 1)])


def _norms_with_bias(params):
    layers = len(params) // 2
    return np.array([np.sqrt(np.sum(params[f"W{l}"] ** 2) + np.sum(params[f"b{l}"] ** 2))
                     for l in range(1, layers + 1)])


def _norms_squared(params):
    layers = len(params) // 2
    return np.array([np.sum(params[f"W{l}"] ** 2) for l in range(1, layers + 1)])


def _norms_two_layers(params):
    return np.array([np.linalg.norm(params["W1"]), np.linalg.norm(params["W2"])])


def _norms_l1(params):
    layers = len(params) // 2
    return np.array([np.sum(np.abs(params[f"W{l}"])) for l in range(1, layers + 1)])


def _net(seed, sizes=(2, 3, 1)):
    rng = np.random.default_rng(seed)
    out = {}
    for l in range(1, len(sizes)):
        out[f"W{l}"] = rng.normal(0, 1, (sizes[l - 1], sizes[l]))
        out[f"b{l}"] = rng.normal(0, 1, sizes[l])
    return out


weight_norms = Exercise(
    "weight_norms",
    weight_norms,
    cases=[(_net(0),), (_net(1, (2, 5, 1)),), (_net(2, (2, 4, 4, 1)),)],
    mistakes=[
        (_norms_with_bias, "leave the biases out: the norms watched during training are those of W1, W2, ..."),
        (_norms_squared, "that is the squared norm: take the square root of the sum of squares."),
        (_norms_l1, "the sum of |w| is the L1 norm; the usual weight norm is the Frobenius norm, "
                    "the root of the sum of squares."),
        (_norms_two_layers, "your function handles two weight matrices; the deeper case has W3 as well. Loop "
                            "over every layer (a net with L layers of weights has 2L entries in params)."),
    ],
    hint="one number per weight matrix W1, W2, ... in order: the root of the sum of its squares "
         "(np.linalg.norm). Leave the biases out, and loop over the layers so deeper nets work too.",
)
