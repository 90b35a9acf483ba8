"""Gradient checking: backpropagation against central differences.

    dL/dθ_i ≈ (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε)

and for each parameter the error |a − n| / max(|a|, |n|, FLOOR).

Why the floor: a central difference subtracts two nearly equal losses, so it carries a
rounding error of about (machine epsilon × |L|) / ε ≈ 1e-16 / 1e-6 = 1e-10, whatever the
size of the gradient (measured: up to 4e-10 on nets from 2-3-1 to 2-16-16-1). Divided by a
tiny gradient (an entry of 1e-5 in a wide network) that error would look like a large
relative error although backprop is right. Entries below FLOOR = 1e-3 are therefore
compared in absolute terms: a correct gradient stays below 4e-10 / 1e-3 = 4e-7, under the
default tolerance 1e-6, while a wrong derivative is far above.
"""

import numpy as np

from . import checks, losses, network, regularization

FLOOR = 1e-3
MAX_PARAMETERS = 2_000      # a check runs two forward passes per parameter: seconds for this many


def checked(params, X, y, loss="bce"):
    """(params, X, y) of one network, checked: names, shapes and finite values, one target per row of X."""
    losses.check_name(loss)
    params = network.check_params(params)
    if params["W1"].ndim != 2:
        raise ValueError("params has a population axis; allowed: one network (use network.member(params, k))")
    X = network.check_inputs(X, params)
    return params, X, losses.check_targets(loss, y, len(X))


def objective_and_grad(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0):
    """The objective (mean loss + penalty) and its gradient by backprop, for one network."""
    params, X, y = checked(params, X, y, loss)
    return _objective_and_grad(params, X, y, activation, loss, penalty, lam)


def _objective_and_grad(params, X, y, activation, loss, penalty, lam):
    lossf, lossgrad = losses.get(loss)
    z, cache = network.forward(params, X, activation)
    grads = network.backward(params, cache, lossgrad(z, y))
    for k, g in regularization.penalty_grads(params, penalty, lam).items():
        grads[k] = grads[k] + g
    return lossf(z, y) + regularization.penalty(params, penalty, lam), grads


def numerical_grad(f, params, eps=1e-6):
    """Central differences of the scalar function f(params) for every parameter."""
    eps = checks.number("eps", eps, 0, lo_open=True, what="the step of the central difference, e.g. 1e-6")
    out = {}
    for k, v in params.items():
        g = np.zeros_like(v)
        for idx in np.ndindex(v.shape):
            old = v[idx]
            v[idx] = old + eps
            fp = float(f(params))
            v[idx] = old - eps
            fm = float(f(params))
            v[idx] = old
            g[idx] = (fp - fm) / (2 * eps)
        out[k] = g
    return out


def relative_error(a, b, floor=FLOOR):
    """|a - b| / max(|a|, |b|, floor): relative for entries above ``floor``, absolute (over floor) below."""
    a, b = checks.real_array("a", a), checks.real_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"b has shape {b.shape}; allowed: {a.shape}, the shape of a")
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)


class GradCheck:
    """The result of a gradient check: one row per parameter."""

    def __init__(self, names, backprop, numeric):
        self.names, self.backprop, self.numeric = names, backprop, numeric
        self.rel_error = relative_error(backprop, numeric)

    @property
    def max_error(self):
        return float(np.max(self.rel_error))

    def passed(self, tol=1e-6):
        """True if every entry's error is below ``tol`` (and no entry is NaN)."""
        return bool(np.all(self.rel_error < tol))

    def table(self):
        """A text table: parameter, backprop, central difference, relative error."""
        lines = [f"{'parameter':>10} {'backprop':>14} {'central diff':>14} {'rel. error':>10}"]
        for n, a, b, r in zip(self.names, self.backprop, self.numeric, self.rel_error):
            lines.append(f"{n:>10} {a:>14.8f} {b:>14.8f} {r:>10.1e}")
        lines.append(f"largest relative error: {self.max_error:.1e}")
        return "\n".join(lines)

    def __repr__(self):
        return self.table()


def check_gradients(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0, eps=1e-6):
    """Compare backprop with central differences for every parameter of one network."""
    eps = checks.number("eps", eps, 0, 1e-2, lo_open=True, what="the step of the central difference, e.g. 1e-6")
    lam = checks.number("lam", lam, 0, what="the penalty strength")
    regularization.check_kind(penalty)
    params, X, y = checked(params, X, y, loss)
    count = network.n_parameters(network.sizes_of(params))
    if count > MAX_PARAMETERS:
        raise ValueError(f"params has {count:,} parameters; allowed: at most {MAX_PARAMETERS:,} (a gradient check "
                         "runs two forward passes per parameter)")
    work = network.copy(params)
    _, grads = _objective_and_grad(work, X, y, activation, loss, penalty, lam)
    numeric = numerical_grad(
        lambda p: _objective_and_grad(p, X, y, activation, loss, penalty, lam)[0], work, eps)
    return GradCheck(network.flat_names(network.sizes_of(params)),
                     network.flatten(grads), network.flatten(numeric))
