"""Exercises of notebook 03: mean squared error and cross-entropy from the logit.

Each name is an ``Exercise``: ``exercises.loss.mse.check(my_mse)``.
"""
import numpy as np

from . import Exercise

_rng = np.random.default_rng(3)


def mse(pred, y):
    """L = mean_n (pred_n - y_n)^2"""
    return np.mean((pred - y) ** 2)


def _mse_sum(pred, y):
    return np.sum((pred - y) ** 2)


def _mse_no_square(pred, y):
    return np.mean(pred - y)


def _mse_abs(pred, y):
    return np.mean(np.abs(pred - y))


def _mse_sqrt(pred, y):
    return np.sqrt(np.mean((pred - y) ** 2))


def _mse_square_of_mean(pred, y):
    return np.mean(pred - y) ** 2


def _mse_half(pred, y):
    return np.mean((pred - y) ** 2) / 2


mse = Exercise(
    "mse",
    mse,
    cases=[
        (np.array([0.5, 2.0, -1.0]), np.array([1.0, 1.0, 0.0])),
        (np.array([0.9, 0.2, 0.4, 0.7]), np.array([1.0, 0.0, 1.0, 1.0])),
        (_rng.normal(size=10), _rng.normal(size=10)),
    ],
    mistakes=[
        (_mse_sum, "you added the squared errors up; the loss is their mean (divide by N, or use np.mean), "
                   "so it does not grow with the number of samples."),
        (_mse_no_square, "you averaged the errors pred - y without squaring them: positive and negative "
                         "errors then cancel out. Square each error first."),
        (_mse_abs, "that is the mean absolute error; the mean squared error squares each error instead."),
        (_mse_sqrt, "that is the root of the mean squared error (RMSE); leave out the square root."),
        (_mse_square_of_mean, "you squared the mean error; square each error first, then take the mean "
                              "(otherwise errors of opposite sign cancel before they are squared)."),
        (_mse_half, "some books put a ½ in front to tidy the derivative; this series' loss has none."),
    ],
    hint="compute the errors pred - y, square them, take their mean.",
)


def bce_from_logit(z, y):
    """L = mean_n [log(1 + exp(z_n)) - y_n z_n], written so it is finite for any logit z"""
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))   # log(1 + exp(z)) without overflow
    return np.mean(softplus - y * z)


_bce = bce_from_logit   # the reference; the module name ``bce_from_logit`` becomes the Exercise below


def _bce_naive(z, y):
    p = 1 / (1 + np.exp(-z))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _bce_direct(z, y):
    with np.errstate(over="ignore"):
        return np.mean(np.log(1 + np.exp(z)) - y * z)


def _bce_swapped(z, y):
    return _bce(z, 1 - y)


def _bce_swapped_naive(z, y):
    return _bce_naive(z, 1 - y)


def _bce_sign(z, y):
    return -_bce(z, y)


def _bce_sum(z, y):
    return _bce(z, y) * len(y)


bce_from_logit = Exercise(
    "bce_from_logit",
    _bce,
    cases=[
        (np.array([2.0, -1.0, 0.5]), np.array([1.0, 0.0, 1.0])),
        (np.array([0.3, -2.5, 1.7, -0.4]), np.array([0.0, 0.0, 1.0, 1.0])),
        # a confident, wrong answer: p = sigmoid(40) rounds to exactly 1.0, so log(1 - p) = log(0)
        (np.array([40.0, 1.0]), np.array([0.0, 1.0])),
        (np.array([-40.0, 0.0, 3.0]), np.array([1.0, 1.0, 0.0])),
        # exp(800) overflows to inf, so even log(1 + exp(z)) written directly is inf here
        (np.array([800.0, -800.0, 2.0]), np.array([1.0, 0.0, 1.0])),
    ],
    mistakes=[
        (_bce_naive, "right for moderate logits, but for z = 40 sigmoid(z) rounds to exactly 1.0 in floating "
                     "point and log(1 - p) = log(0) = -inf. Work with z instead of p: write p with exp and "
                     "simplify, -[y log p + (1-y) log(1-p)] = log(1 + exp(z)) - y z; then keep exp from "
                     "overflowing for large z (np.log1p or np.logaddexp help)."),
        (_bce_direct, "right for every z up to about 700, but exp(800) overflows to inf, and so does "
                      "log(1 + exp(z)) written directly. For large z, log(1 + exp(z)) is z plus a tiny "
                      "correction: split off the max(z, 0) and compute the small rest with np.log1p of "
                      "exp(-|z|), which never overflows (or use np.logaddexp(0, z))."),
        (_bce_swapped, "y and 1 - y are swapped: the term y log p should reward a large p when y = 1."),
        (_bce_swapped_naive, "y and 1 - y are swapped: the term y log p should reward a large p when y = 1 "
                             "(and watch out for log(0) when z is large)."),
        (_bce_sign, "the sign is flipped: log p is negative, so the loss is MINUS the mean of "
                    "y log p + (1 - y) log(1 - p), a positive number."),
        (_bce_sum, "you summed over the samples; the loss is the mean."),
    ],
    hint="the loss is mean(log(1 + exp(z)) - y z); for large |z| avoid log(0) and exp overflow "
         "(np.log1p, np.abs and np.maximum help).",
)
