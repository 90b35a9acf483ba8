"""Notebook 02 exercises: the forward pass of a 2-3-1 net, ReLU, and the collapse of a linear net."""
import numpy as np

from . import Exercise

_rng = np.random.default_rng(2)
_X = np.round(_rng.uniform(-1.5, 1.5, (6, 2)), 2)
_PARAMS = [
    {"W1": np.round(_rng.normal(0, 1, (2, 3)), 2), "b1": np.round(_rng.normal(0, 0.5, 3), 2),
     "W2": np.round(_rng.normal(0, 1, (3, 1)), 2), "b2": np.round(_rng.normal(0, 0.5, 1), 2)}
    for _ in range(3)
]


def _relu(z):
    return np.maximum(z, 0.0)


# --- forward_231 ---------------------------------------------------------------------------------
def forward_231(X, params, f):
    """Z1 = X W1 + b1,  A1 = f(Z1),  z2 = A1 W2 + b2 (no activation on the output); shape (N, 1)."""
    Z1 = X @ params["W1"] + params["b1"]
    A1 = f(Z1)
    return A1 @ params["W2"] + params["b2"]


forward_231 = Exercise(
    "forward_231",
    forward_231,
    cases=[(_X, p, f) for p in _PARAMS for f in (np.tanh, _relu)],
    mistakes=[
        (lambda X, p, f: f(X @ p["W1"]) @ p["W2"] + p["b2"],
         "you forgot b1: the hidden layer is Z1 = X @ W1 + b1, then A1 = f(Z1)."),
        (lambda X, p, f: f(X @ p["W1"] + p["b1"]) @ p["W2"],
         "you forgot b2: the output is z2 = A1 @ W2 + b2."),
        (lambda X, p, f: f(f(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
         "you applied the activation to the output too; the output layer is linear: z2 = A1 @ W2 + b2."),
        (lambda X, p, f: (X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"],
         "you left out the activation: A1 = f(Z1) must sit between the two layers."),
        (lambda X, p, f: f(X @ p["W1"] + p["b1"]),
         "you returned the hidden activations A1 (shape (N, 3)); one more layer: A1 @ W2 + b2 (shape (N, 1))."),
        (lambda X, p, f: np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"],
         "your answer is right for tanh but not for the cases with f = relu: you used np.tanh where the "
         "activation passed in as f belongs. Call f(Z1)."),
        (lambda X, p, f: (f(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])[:, 0],
         "the numbers are right; return them as a column of shape (N, 1), as A1 @ W2 + b2 gives them "
         "(no [:, 0] or .ravel())."),
    ],
    hint="Shapes: X (N, 2) @ W1 (2, 3) -> (N, 3); + b1 (3,); f; @ W2 (3, 1) -> (N, 1); + b2 (1,). "
         "No transposes are needed (W1.T has shape (3, 2) and does not fit X).",
)


# --- relu ----------------------------------------------------------------------------------------
def relu(z):
    """relu(z) = max(0, z), element by element (same shape as z)."""
    return np.maximum(z, 0.0)


relu = Exercise(
    "relu",
    relu,
    cases=[(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),), (np.array([[1.5, -1.0, 0.2], [-3.0, 2.0, -0.1]]),),
           (np.array([-1.0, -4.0]),)],
    mistakes=[
        (lambda z: np.max(z, 0),
         "np.max(z, 0) is the largest entry of z (along axis 0), not a comparison with 0: "
         "numpy's element-by-element maximum of two things is np.maximum."),
        (lambda z: np.max(z), "np.max(z) returns the single largest entry; relu keeps every entry and "
                              "compares each one with 0 (np.maximum works element by element)."),
        (lambda z: z > 0,
         "z > 0 gives True/False (that is relu's slope, 1 or 0); relu keeps the value itself where z > 0."),
        (lambda z: np.abs(z), "abs(z) flips negatives to positive; relu sets them to 0."),
        (lambda z: np.minimum(z, 0), "np.minimum keeps the negative part; relu keeps the positive part."),
    ],
    hint="relu(z) = max(0, z) for each entry: np.maximum compares element by element (max and np.max "
         "return one number).",
)


# --- collapse ------------------------------------------------------------------------------------
def collapse(params):
    """With f(z) = z: (X W1 + b1) W2 + b2 = X (W1 W2) + (b1 W2 + b2), so W = W1 @ W2, b = b1 @ W2 + b2."""
    W = params["W1"] @ params["W2"]
    b = params["b1"] @ params["W2"] + params["b2"]
    return W, b


collapse = Exercise(
    "collapse",
    collapse,
    cases=[(p,) for p in _PARAMS],
    results=("W", "b"),
    mistakes=[
        (lambda p: (p["W1"] @ p["W2"], p["b2"]),
         "W is right, but the bias forgets b1 @ W2: the hidden biases pass through W2 too, "
         "so b = b1 @ W2 + b2."),
        (lambda p: (p["W1"] @ p["W2"], p["b1"] @ p["W2"]),
         "W is right; the bias is b1 @ W2 + b2 (you forgot b2)."),
        (lambda p: (p["W1"] @ p["W2"], p["b1"] + p["b2"]),
         "b1 + b2 mixes a (3,) and a (1,) array; the hidden biases reach the output through W2: "
         "b = b1 @ W2 + b2."),
        (lambda p: (p["W1"] @ p["W2"], np.sum(p["b1"]) + p["b2"]),
         "the hidden biases are weighted by W2 on their way out: b = b1 @ W2 + b2, not sum(b1) + b2."),
    ],
    hint="Expand (X @ W1 + b1) @ W2 + b2 = X @ (W1 @ W2) + (b1 @ W2 + b2). Return (W, b) with "
         "W of shape (2, 1) and b of shape (1,).",
)
