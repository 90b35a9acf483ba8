"""Exercises of notebook 08: keeping validation data apart, counting weights against points, stopping early.

Each name (``split_data``, ``max_width``, ``best_stopping_step``) is an Exercise:
``.check(your_function)`` and ``.show_solution()``.
"""
import numpy as np

from . import Exercise


# 1. Keep the validation data apart ---------------------------------------------------------
def split_data(X, y, n_val):
    """The rows are already shuffled: the first n_val rows are for validation, the others for training."""
    return X[n_val:], y[n_val:], X[:n_val], y[:n_val]


def _split_overlap(X, y, n_val):
    return X[n_val - 1:], y[n_val - 1:], X[:n_val], y[:n_val]


def _split_train_all(X, y, n_val):
    return X, y, X[:n_val], y[:n_val]


def _split_swapped(X, y, n_val):
    return X[:n_val], y[:n_val], X[n_val:], y[n_val:]


def _split_last(X, y, n_val):
    return X[:-n_val], y[:-n_val], X[-n_val:], y[-n_val:]


def _split_gap(X, y, n_val):
    return X[n_val + 1:], y[n_val + 1:], X[:n_val], y[:n_val]


def _split_sklearn_order(X, y, n_val):
    return X[n_val:], X[:n_val], y[n_val:], y[:n_val]


def _data(n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, (n, 2)).round(3), (rng.uniform(size=n) > 0.5).astype(float)


split_data = Exercise(
    "split_data",
    split_data,
    cases=[(*_data(10, 0), 3), (*_data(20, 1), 5), (*_data(7, 2), 1)],
    results=("X_train", "y_train", "X_val", "y_val"),
    mistakes=[
        (_split_overlap, "row n_val − 1 is in both sets: a slice [:n_val] already stops before row n_val, so "
                         "the training rows start at n_val itself. A point in both sets makes the validation "
                         "loss look better than it is."),
        (_split_train_all, "your training set still holds the validation rows; the network would be checked "
                           "on points it has learned. Train on the rows after the first n_val only."),
        (_split_swapped, "the two sets are swapped: return (X_train, y_train, X_val, y_val), with the first "
                         "n_val rows as validation."),
        (_split_last, "you kept the last n_val rows for validation; the task asks for the first n_val rows."),
        (_split_gap, "row n_val is in neither set: a slice [a:b] stops just before b, so the validation rows "
                     "0 .. n_val - 1 and the training rows from n_val on meet without a gap."),
        (_split_sklearn_order, "the four arrays are in scikit-learn's order (X_train, X_val, y_train, y_val); "
                               "this exercise asks for X_train, y_train, X_val, y_val."),
    ],
    hint="slices do it: X[:k] holds the rows 0 .. k - 1 and X[k:] the rest. Return the training pair "
         "first, then the validation pair.",
)


# 2. Weights against points -------------------------------------------------------------------
def max_width(n_train):
    """The widest 2-h-1 network with no more parameters (4h + 1) than training points."""
    return (n_train - 1) // 4


def _width_no_biases(n_train):
    return n_train // 3


def _width_no_output_bias(n_train):
    return n_train // 4


def _width_float(n_train):
    return (n_train - 1) / 4


def _width_one_more(n_train):
    return (n_train - 1) // 4 + 1


def _width_first_layer(n_train):
    return n_train // 2


def _width_rounded(n_train):
    return round((n_train - 1) / 4)


def _width_ceil(n_train):
    return int(np.ceil((n_train - 1) / 4))


max_width = Exercise(
    "max_width",
    max_width,
    cases=[(30,), (100,), (5,), (4,), (1000,), (41,), (7,), (23,)],
    mistakes=[
        (_width_no_biases, "count the biases too: W1 has 2h weights, b1 has h biases, W2 has h weights and b2 "
                           "one bias: 4h + 1 parameters."),
        (_width_no_output_bias, "almost: the output bias b2 counts as well, so 4h + 1 ≤ n_train."),
        (_width_float, "a width is a whole number of units: round down with // ."),
        (_width_rounded, "you counted right (4h + 1 parameters), but round() goes to the NEAREST whole number, "
                         "which can be one unit too many: for n_train = 7, (7 − 1)/4 = 1.5 and round gives 2, "
                         "with 9 parameters. Round down instead (// or np.floor)."),
        (_width_ceil, "rounding up gives one unit too many whenever the division is not exact; the width must "
                      "keep 4h + 1 ≤ n_train, so round down."),
        (_width_one_more, "that width has more parameters than points: take the largest h with 4h + 1 ≤ n_train, "
                          "one unit less."),
        (_width_first_layer, "W1 alone has 2h weights; the whole 2-h-1 network has 2h + h + h + 1 = 4h + 1 "
                             "parameters."),
    ],
    hint="a 2-h-1 network has 2h + h + h + 1 = 4h + 1 parameters; find the largest whole h with "
         "4h + 1 ≤ n_train.",
)


# 3. Early stopping ---------------------------------------------------------------------------
def best_stopping_step(steps, train_losses, val_losses):
    """The training step (not its position in the list) with the smallest validation loss."""
    return steps[np.argmin(val_losses)]


def _stop_train(steps, train_losses, val_losses):
    return steps[np.argmin(train_losses)]


def _stop_index(steps, train_losses, val_losses):
    return np.argmin(val_losses)


def _stop_next(steps, train_losses, val_losses):
    return steps[np.argmin(val_losses) + 1]


def _stop_loss(steps, train_losses, val_losses):
    return np.min(val_losses)


def _stop_argmax(steps, train_losses, val_losses):
    return steps[np.argmax(val_losses)]


def _stop_last(steps, train_losses, val_losses):
    return steps[-1]


def _curves(T, every, best, seed):
    rng = np.random.default_rng(seed)
    steps = np.arange(T) * every
    train = 0.7 * np.exp(-np.arange(T) / (T / 4)) + 0.01 * rng.uniform(size=T)
    val = 0.3 + 0.4 * ((np.arange(T) - best) / T) ** 2 + 0.005 * rng.uniform(size=T)
    return steps, train.round(4), val.round(4)


best_stopping_step = Exercise(
    "best_stopping_step",
    best_stopping_step,
    cases=[_curves(60, 10, 12, 0), _curves(30, 5, 20, 1), _curves(100, 1, 40, 2)],
    mistakes=[
        (_stop_train, "you used the training loss, which keeps falling to the end; overfitting shows on the "
                      "validation loss: take np.argmin(val_losses)."),
        (_stop_index, "you returned the position in the list; with a loss recorded every few steps, the step "
                      "is steps[position]."),
        (_stop_next, "off by one: you returned the step of the record after the best one."),
        (_stop_loss, "you returned the smallest validation loss; return the step at which it happened."),
        (_stop_argmax, "argmax picks the worst moment; the best has the smallest validation loss (argmin)."),
        (_stop_last, "the last record is where training ended, not where it was best: find the record with "
                     "the smallest validation loss."),
    ],
    hint="two steps: find the position i of the smallest validation loss (np.argmin gives positions), then "
         "look up which training step record i was taken at.",
)
