"""Notebook 01 exercises: the weighted sum, the sigmoid, and a class prediction."""
import numpy as np

from . import Case, Exercise

_rng = np.random.default_rng(1)
_X = np.round(_rng.uniform(-2, 2, (5, 2)), 2)
_X4 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [-1.0, 2.0]])
_WB = [(np.array([0.5, -1.0]), 0.25), (np.array([2.0, 3.0]), -1.0), (np.array([-1.5, 0.7]), 0.4)]
_X0 = np.array([[0.5, 0.0], [1.0, 0.25], [0.0, -0.25], [2.0, 0.75]])   # z = 0 exactly on every row
_BORDER = Case(_X0, np.array([1.0, -2.0]), -0.5, label="4 points right on the decision line (z = 0, so "
               "sigmoid(z) = 0.5 exactly), w=[1, -2], b=-0.5")


# --- weighted_sum ----------------------------------------------------------------------------
def weighted_sum(X, w, b):
    """z = X w + b: one weighted sum per row of X (N, 2), for w (2,) and a number b; shape (N,)."""
    return X @ w + b


weighted_sum = Exercise(
    "weighted_sum",
    weighted_sum,
    cases=[(_X, w, b) for w, b in _WB] + [(_X4, np.array([1.0, -2.0]), 0.5)],
    mistakes=[
        (lambda X, w, b: X @ w, "you forgot the bias: add b after the weighted sum (z = w1 x1 + w2 x2 + b)."),
        (lambda X, w, b: np.sum(X * w) + b,
         "np.sum(X * w) adds up everything into one number; sum each row only: X @ w (or np.sum(X * w, axis=1))."),
        (lambda X, w, b: np.sum(X * w, axis=0) + b,
         "you summed down the columns (axis=0, shape (2,)); each sample is a row, so sum along axis=1 or use X @ w."),
        (lambda X, w, b: X * w + b,
         "X * w multiplies element by element (shape (N, 2)) but does not add x1 w1 + x2 w2: use X @ w."),
        (lambda X, w, b: np.sum(X * w, axis=1, keepdims=True) + b,
         "the result should have shape (N,), one number per sample, not a column (N, 1)."),
    ],
    hint="X has shape (N, 2) and w shape (2,): X @ w gives one number per row, shape (N,); then add b. "
         "(w @ X does not fit: the 2 must meet the 2.)",
)


# --- sigmoid -----------------------------------------------------------------------------------
def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), element by element."""
    return 1.0 / (1.0 + np.exp(-z))


sigmoid = Exercise(
    "sigmoid",
    sigmoid,
    cases=[(0.0,), (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),), (np.array([[1.0, -3.0], [4.0, 10.0]]),)],
    mistakes=[
        (lambda z: 1.0 / (1.0 + np.exp(z)),
         "you used exp(z) instead of exp(-z): your curve is mirrored, sigmoid(z) should grow with z "
         "(sigmoid(2) is about 0.88, not 0.12)."),
        (lambda z: np.exp(z), "1 / exp(-z) is just exp(z): the denominator needs the 1 + as well."),
        (lambda z: 1.0 / (1.0 - np.exp(-z)), "the denominator is 1 PLUS exp(-z), which is never 0."),
        (lambda z: 1.0 + np.exp(-z), "your result is the denominator 1 + exp(-z); the sigmoid is 1 divided by it. "
                                     "(If you wrote `1 / 1 + np.exp(-z)`: Python divides 1 by 1 first, then adds; "
                                     "put the denominator in brackets.)"),
        (lambda z: np.tanh(z), "that is tanh (outputs between -1 and 1); the sigmoid outputs between 0 and 1."),
    ],
    hint="Use np.exp (it works on whole arrays; math.exp only on single numbers), and mind the brackets: "
         "the whole 1 + exp(-z) is the denominator.",
)


# --- predict_class -------------------------------------------------------------------------------
def predict_class(X, w, b):
    """1 where sigmoid(X w + b) > 0.5 (that is, where z > 0), else 0."""
    z = X @ w + b
    return (1.0 / (1.0 + np.exp(-z)) > 0.5).astype(int)


predict_class = Exercise(
    "predict_class",
    predict_class,
    cases=[(_X, w, b) for w, b in _WB] + [(_X4, np.array([1.0, -2.0]), 0.5), _BORDER],
    mistakes=[
        (lambda X, w, b: (1.0 / (1.0 + np.exp(-(X @ w + b))) >= 0.5).astype(int),
         "on the decision line z = 0 the probability is exactly 0.5, which is not ABOVE 0.5: such points "
         "are class 0. Use > rather than >=."),
        (lambda X, w, b: 1.0 / (1.0 + np.exp(-(X @ w + b))),
         "you returned the probabilities; the task is the class: 1 where the probability is above 0.5, else 0."),
        (lambda X, w, b: (1.0 / (1.0 + np.exp(-(X @ w + b))) > 0).astype(int),
         "a sigmoid is always above 0, so every point became class 1: compare the probability with 0.5."),
        (lambda X, w, b: (X @ w + b > 0.5).astype(int),
         "you compared z (the weighted sum) with 0.5; compare the probability sigmoid(z) with 0.5, "
         "which is the same as z > 0."),
        (lambda X, w, b: (X @ w + b < 0).astype(int), "the classes are swapped: class 1 is where z > 0."),
    ],
    hint="three steps: the weighted sum z of each row, its probability sigmoid(z), then a comparison with "
         "0.5 that gives True/False per row, turned into 1/0 with .astype(int).",
)
