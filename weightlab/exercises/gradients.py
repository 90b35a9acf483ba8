"""Exercises of notebook 04: the gradient of the loss, one step of backpropagation, a numerical derivative.

Each name is an ``Exercise``: ``exercises.gradients.mse_grad.check(my_mse_grad)``.
"""
import numpy as np

from . import Case, Exercise

_rng = np.random.default_rng(4)


def mse_grad(pred, y):
    """dL/dpred_n = 2 (pred_n - y_n) / N  for  L = mean_n (pred_n - y_n)^2"""
    return 2 * (pred - y) / len(y)


_mse_grad = mse_grad

mse_grad = Exercise(
    "mse_grad",
    _mse_grad,
    cases=[
        (np.array([0.5, 2.0, -1.0]), np.array([1.0, 1.0, 0.0])),
        (np.array([0.9, 0.2, 0.4, 0.7, 0.0]), np.array([1.0, 0.0, 1.0, 1.0, 0.0])),
        (_rng.normal(size=8), _rng.normal(size=8)),
    ],
    mistakes=[
        (lambda p, y: p - y, "you forgot the factor 2/N: the derivative of (pred_n - y_n)^2 is 2 (pred_n - y_n), "
                             "and the mean divides every term by N."),
        (lambda p, y: (p - y) / len(y), "you forgot the 2 from differentiating the square: "
                                        "d/dp (p - y)^2 = 2 (p - y)."),
        (lambda p, y: 2 * (p - y), "you forgot the 1/N: the loss is a mean, so each sample's term is divided by N."),
        (lambda p, y: 2 * (y - p) / len(y), "the sign is flipped: the loss grows when pred moves away from y, "
                                            "so dL/dpred = 2 (pred - y) / N."),
        (lambda p, y: np.mean(2 * (p - y)), "you returned one number; the gradient has one entry per "
                                            "prediction: 2 (pred_n - y_n) / N for every n."),
    ],
    hint="differentiate mean_n (pred_n - y_n)^2 with respect to each pred_n.",
)


def hidden_backward(dz2, W2, z1, a1):
    """dL/dz1 = (dL/dz2 @ W2^T) * tanh'(z1),  with tanh'(z1) = 1 - a1^2 where a1 = tanh(z1)"""
    da1 = dz2 @ W2.T           # (N, 1) @ (1, 3) -> (N, 3): how the loss changes with each hidden output
    return da1 * (1 - a1 ** 2)  # through tanh: its slope at z1 is 1 - tanh(z1)^2 = 1 - a1^2


_hidden_backward = hidden_backward


def _hidden_case(seed, n):
    r = np.random.default_rng(seed)
    z1 = r.normal(size=(n, 3))
    return (r.normal(size=(n, 1)) / n, r.normal(size=(3, 1)), z1, np.tanh(z1))


hidden_backward = Exercise(
    "hidden_backward",
    _hidden_backward,
    cases=[_hidden_case(1, 4), _hidden_case(2, 6), _hidden_case(3, 1)],
    mistakes=[
        (lambda dz2, W2, z1, a1: (dz2 @ W2.T) * (1 - z1 ** 2),
         "you used z1 where the formula needs a1: tanh'(z1) = 1 - tanh(z1)^2 = 1 - a1^2, not 1 - z1^2."),
        (lambda dz2, W2, z1, a1: dz2 @ W2.T,
         "you stopped after the step back through W2, at dL/da1; the hidden layer applied tanh, so multiply "
         "by its slope at z1 (chain rule), which you can write with a1."),
        (lambda dz2, W2, z1, a1: (dz2 @ W2.T) * (1 - np.tanh(a1) ** 2),
         "a1 is already tanh(z1): its slope is 1 - a1**2 (or 1 - np.tanh(z1)**2), not 1 - tanh(a1)**2."),
        (lambda dz2, W2, z1, a1: (dz2 @ W2.T) * a1,
         "you multiplied by a1 = tanh(z1); the chain rule needs the slope of tanh, 1 - a1^2."),
        (lambda dz2, W2, z1, a1: (dz2 @ W2.T) * (1 - a1) ** 2,
         "brackets: the slope of tanh is 1 - a1**2 (one minus the square), not (1 - a1)**2."),
        (lambda dz2, W2, z1, a1: (dz2 @ W2.T) / np.cosh(z1),
         "the slope of tanh is 1/cosh(z1)^2 = 1 - a1^2; you divided by cosh once."),
    ],
    hint="two steps of the chain rule: back through W2 (a matrix product with W2 turned on its side gives "
         "one number per hidden unit, shape (N, 3)), then back through tanh: multiply entry by entry by "
         "tanh's slope at z1, written with a1.",
)


def central_difference(f, x, eps):
    """f'(x) ≈ (f(x + eps) - f(x - eps)) / (2 eps), with an error of order eps^2"""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


_central_difference = central_difference

central_difference = Exercise(
    "central_difference",
    _central_difference,
    cases=[
        (np.exp, 1.0, 1e-3),
        (np.sin, 0.7, 1e-2),
        Case(lambda w: w ** 3 - 2 * w, 1.5, 1e-2, label="f(w) = w**3 - 2w, x=1.5, eps=0.01"),
        (np.tanh, -0.4, 1e-3),
    ],
    mistakes=[
        (lambda f, x, eps: (f(x + eps) - f(x)) / eps,
         "that is the forward difference (f(x + eps) - f(x)) / eps: its error shrinks only like eps "
         "(here about eps/2 * f''(x)). Step to both sides, (f(x + eps) - f(x - eps)) / (2 eps): the "
         "eps-terms cancel and the error shrinks like eps^2."),
        (lambda f, x, eps: (f(x) - f(x - eps)) / eps,
         "that is the backward difference; its error is of order eps. Use both sides: "
         "(f(x + eps) - f(x - eps)) / (2 eps)."),
        (lambda f, x, eps: (f(x + eps) - f(x - eps)) / eps,
         "the two points are 2 eps apart, so divide by 2 * eps, not eps."),
        (lambda f, x, eps: (f(x + eps) - f(x - eps)) / 2 * eps,
         "operator precedence: `/ 2 * eps` divides by 2 and then MULTIPLIES by eps; write `/ (2 * eps)`."),
    ],
    hint="evaluate f a little to the right and a little to the left of x: (f(x + eps) - f(x - eps)) / (2 eps).",
)
