"""The loss landscape of the real network: its loss as a function of one or two of its weights.

Hold every parameter fixed but one (or two), vary that one over a range, and the
loss L(θ) becomes a curve (or a surface) you can draw. Every point of a curve or a
grid is a network of its own; they are evaluated in one forward pass along the
population axis: P copies of the network that differ only in the chosen weights.

Weights are named as in ``network.flat_names``: 'W1[0,2]', 'b1[1]', 'W2[2,0]', 'b2[0]'.
The networks these notebooks look at are in ``problems``.
"""
import numpy as np

from . import checks, losses, network

MAX_POINTS = 40_000     # networks evaluated at once for a curve or a grid (200 x 200)


def index_of(name, sizes=network.DEFAULT_SIZES):
    """The position of the weight ``name`` (like 'W1[0,2]') in ``network.flatten``'s vector."""
    names = network.flat_names(sizes)
    if not isinstance(name, str) or name not in names:
        raise ValueError(f"weight {checks.shown(name)} is not known; allowed: {', '.join(names)}")
    return names.index(name)


def value_of(params, name):
    """The current value of the weight ``name`` in one network."""
    return float(network.flatten(params)[index_of(name, network.sizes_of(params))])


def population_with(params, names, values):
    """P copies of one network that differ only in the weights ``names``.

    ``values`` holds one array of length P per name: member k has
    ``names[i] = values[i][k]`` and every other parameter as in ``params``.
    """
    sizes = network.sizes_of(params)
    idx = [index_of(n, sizes) for n in check_names(names)]
    values = [checks.real_array("values", v, finite=True).ravel() for v in values]
    if len(values) != len(idx) or len({v.size for v in values}) != 1:
        raise ValueError(f"values hold {len(values)} array{'s' if len(values) != 1 else ''} of "
                         f"{sorted({v.size for v in values})} points; allowed: one array per name ({len(idx)}), "
                         "all of the same length")
    if values[0].size > MAX_POINTS:
        raise ValueError(f"values hold {values[0].size:,} points; allowed: at most {MAX_POINTS:,} (e.g. a 200 x 200 "
                         "grid): every point is a whole network evaluated on all the data")
    theta = network.flatten(params)
    pop = np.repeat(theta[None], values[0].size, axis=0)
    for i, v in zip(idx, values):
        pop[:, i] = v
    return network.unflatten(pop, sizes)


def check_names(names, count=None):
    """``names`` as a list of different weight names (``count`` of them if given)."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise ValueError(f"names={checks.shown(names)} is not allowed; allowed: a list of weight names, "
                         "e.g. ['W1[0,0]', 'W2[1,0]']")
    if count is not None and len(names) != count:
        raise ValueError(f"names holds {len(names)} name{'s' if len(names) != 1 else ''}; allowed: {count} "
                         "(two weights: one per axis of the grid)")
    if len(set(names)) != len(names):
        repeated = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"names holds {checks.shown(repeated)} twice; allowed: different weights")
    return list(names)


def _axis(name, values):
    """One axis of a grid: a 1-D array of finite numbers."""
    values = checks.real_array(name, values, finite=True)
    if values.ndim != 1:
        raise ValueError(f"{name} has shape {values.shape}; allowed: one axis of values, shape (n,)")
    return values


def _grid(names, xs, ys):
    """The two axes of a grid, checked, and its points (gx, gy): at most MAX_POINTS of them."""
    check_names(names, 2)
    xs, ys = _axis("xs", xs), _axis("ys", ys)
    if xs.size * ys.size > MAX_POINTS:
        raise ValueError(f"xs and ys make a grid of {xs.size * ys.size:,} points; allowed: at most {MAX_POINTS:,} "
                         "(e.g. 200 x 200): every point is a whole network evaluated on all the data")
    return np.meshgrid(xs, ys)


def _targets(X, y, loss):
    """y checked for the losses named ``loss`` (a name or a tuple of names): one target per row of X."""
    rows = network.check_inputs(X).shape[0]
    for name in ((loss,) if isinstance(loss, str) else loss):
        y = losses.check_targets(name, y, rows)
    return y


def _loss(name):
    """(value, gradient) of any loss of ``losses.LOSSES``, including the squared error of p."""
    return losses.get(name, allowed=tuple(losses.LOSSES))


def loss_of(params, X, y, activation="tanh", loss="bce"):
    """L(θ) = mean loss over (X, y); one value per member of a population (shape (P,)).

    ``loss`` may be a tuple of names: one forward pass, a tuple of results.
    """
    fns = [_loss(n)[0] for n in ((loss,) if isinstance(loss, str) else loss)]
    y = _targets(X, y, loss)
    z, _ = network.forward(params, X, activation)
    with np.errstate(over="ignore", invalid="ignore"):
        out = tuple(f(z, y) for f in fns)
    return out[0] if isinstance(loss, str) else out


def loss_and_grad(params, X, y, activation="tanh", loss="bce"):
    """The loss and its gradient dL/dθ (a dict like ``params``) by backpropagation."""
    lossf, lossgrad = _loss(loss)
    y = _targets(X, y, loss)
    z, cache = network.forward(params, X, activation)
    with np.errstate(over="ignore", invalid="ignore"):
        return lossf(z, y), network.backward(params, cache, lossgrad(z, y))


def span(params, name, half_width=3.0, n=121):
    """``n`` values of the weight ``name`` from its current value - half_width to + half_width."""
    half_width = checks.number("half_width", half_width, 0, lo_open=True, what="how far either side to go")
    n = checks.integer("n", n, 2, MAX_POINTS, "points along the weight")
    v = value_of(params, name)
    return np.linspace(v - half_width, v + half_width, n)


def loss_along(params, X, y, name, values, activation="tanh", loss="bce"):
    """L as a function of the one weight ``name``, at each of ``values`` (others fixed)."""
    return loss_of(population_with(params, [name], [values]), X, y, activation, loss)


def loss_grid(params, X, y, names, xs, ys, activation="tanh", loss="bce"):
    """L over a grid of two weights: ``out[i, j]`` has ``names[0] = xs[j]``, ``names[1] = ys[i]``.

    With a tuple of loss names, a tuple of grids (one forward pass).
    """
    gx, gy = _grid(names, xs, ys)
    pop = population_with(params, names, [gx.ravel(), gy.ravel()])
    out = loss_of(pop, X, y, activation, loss)
    if isinstance(loss, str):
        return out.reshape(gx.shape)
    return tuple(o.reshape(gx.shape) for o in out)


def grad_grid(params, X, y, names, xs, ys, activation="tanh", loss="bce"):
    """The two components (dL/d names[0], dL/d names[1]) of the gradient at every grid point,
    each of shape (len(ys), len(xs)); the other 11 components are not shown."""
    sizes = network.sizes_of(params)
    gx, gy = _grid(names, xs, ys)
    pop = population_with(params, names, [gx.ravel(), gy.ravel()])
    _, grads = loss_and_grad(pop, X, y, activation, loss)
    flat = network.flatten(grads)
    return tuple(flat[:, index_of(n, sizes)].reshape(gx.shape) for n in names)


def path(history, names):
    """The values of the weights ``names`` at every recorded step of a training run: shape (T, len(names)).

    ``history`` is a ``training.History`` of one network recorded with ``record_params=True``.
    """
    if not hasattr(history, "params") or not hasattr(history, "param_names"):
        raise ValueError(f"history={checks.shown(history)} is not a training History; allowed: trainer.history of "
                         "one network trained with record_params=True")
    names = check_names(names)
    P = history.params
    if P is None or len(P) == 0:
        raise ValueError("the history has no parameters; train with record_params=True")
    if P.ndim != 2:
        raise ValueError("the history is of a population; allowed: one network")
    unknown = [n for n in names if n not in history.param_names]
    if unknown:
        raise ValueError(f"weight {unknown[0]!r} is not known; allowed: {', '.join(history.param_names)}")
    return P[:, [history.param_names.index(n) for n in names]]
