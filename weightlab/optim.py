"""The gradient-descent update, as notebooks 05, 06 and 09 write it.

    theta <- theta - lr * (dL/dtheta + d penalty/dtheta)        (every weight and bias)

With the L1 penalty taken as a proximal step (the default), the weights first
step on the data loss alone and then move lr * lam towards 0, stopping at
exactly 0 (the soft threshold):

    W <- S(W - lr * dL/dW, lr * lam),   S(v, t) = sign(v) * max(|v| - t, 0)

``lr`` and ``lam`` are one number, or with a population one number per network.
``momentum_step`` adds heavy-ball momentum. The Trainer applies exactly these updates
to all parameters at once (tested bit for bit).
"""
import numpy as np

from . import checks, network, regularization
from .regularization import per_member, shrink

L1_STEPS = ("proximal", "subgradient")


def gd_step(params, grads, lr, penalty="none", lam=0.0, l1_step="proximal"):
    """A new parameter dict: one gradient-descent step from ``params`` with gradients ``grads``."""
    penalty, l1_step, lr, lam = _check(params, grads, lr, penalty, lam, l1_step)
    new = {}
    for name, value in params.items():
        direction = penalised(name, value, grads[name], penalty, lam, l1_step)
        new[name] = move(name, value, direction, lr, penalty, lam, l1_step)
    return new


def momentum_step(params, grads, velocity, lr, momentum, penalty="none", lam=0.0, l1_step="proximal"):
    """(new parameters, new velocity): heavy-ball momentum, v <- momentum * v + g;  theta <- theta - lr * v.

    ``g`` is the gradient with the L2 (or subgradient L1) term added before it enters the
    velocity, as PyTorch's ``SGD(momentum=..., weight_decay=...)`` does; a proximal L1 step is
    applied after the move, as in ``gd_step``. ``velocity`` None starts from zero. With
    momentum 0 this is ``gd_step``.
    """
    penalty, l1_step, lr, lam = _check(params, grads, lr, penalty, lam, l1_step)
    momentum = check_momentum(momentum, network.population_size(params))
    if velocity is not None:
        _same_shapes("velocity", velocity, params)
    new, vel = {}, {}
    for name, value in params.items():
        g = penalised(name, value, grads[name], penalty, lam, l1_step)
        v = np.array(g) if velocity is None else per_member(momentum, value.ndim) * velocity[name] + g
        vel[name] = v
        new[name] = move(name, value, v, lr, penalty, lam, l1_step)
    return new, vel


def penalised(name, value, g, penalty, lam, l1_step):
    """The gradient of the objective for one parameter: dL/dtheta, plus lam * W (L2) or lam * sign(W)
    (L1 as a subgradient) for a weight; a proximal L1 step adds nothing here."""
    if not name.startswith("W"):
        return g
    strength = per_member(lam, value.ndim)
    if penalty == "l2":
        return g + strength * value                       # d/dW of lam/2 * W^2
    if penalty == "l1" and l1_step == "subgradient":
        return g + strength * np.sign(value)              # d/dW of lam * |W| (0 at 0)
    return g


def move(name, value, direction, lr, penalty, lam, l1_step):
    """theta - lr * direction; for a weight under proximal L1, then the soft threshold at lr * lam."""
    rate = per_member(lr, value.ndim)
    out = value - rate * direction
    if name.startswith("W") and penalty == "l1" and l1_step == "proximal":
        out = shrink(out, rate * per_member(lam, value.ndim))
    return out


def check_momentum(value, population=None):
    """A momentum beta: a finite number from 0 to below 1, one value or one per network."""
    try:
        value = regularization.check_strength(value, "momentum", population)
    except ValueError as e:
        raise ValueError(str(e).replace("a finite number >= 0", "a finite number from 0 to below 1")) from None
    if np.any(np.asarray(value) >= 1):
        raise ValueError(f"momentum={checks.shown(value)} is not allowed; allowed: a number from 0 to "
                         "below 1 (at 1 or more the velocity never decays and the steps grow without bound)")
    return value


def _check(params, grads, lr, penalty, lam, l1_step):
    """The checked settings of a step (penalty, l1_step, lr, lam), after checking that ``params`` and
    ``grads`` hold the same names with the same shapes."""
    network.check_structure(params)
    _same_shapes("grads", grads, params)
    P = network.population_size(params)
    return (regularization.check_kind(penalty), checks.choice("l1_step", l1_step, L1_STEPS),
            regularization.check_strength(lr, "lr", P), regularization.check_strength(lam, "lam", P))


def _same_shapes(name, arrays, params):
    """Refuse ``arrays`` (gradients or velocities) unless it has one array per parameter, of its shape."""
    allowed = f"allowed: one array for each of {', '.join(sorted(params))}"
    if not isinstance(arrays, dict):
        raise ValueError(f"{name} is a {type(arrays).__name__}; {allowed}")
    missing, extra = sorted(set(params) - set(arrays)), sorted(map(str, set(arrays) - set(params)))
    if missing or extra:
        raise ValueError(f"{name} {'lacks ' + checks.shown(missing) if missing else ''}"
                         f"{' and ' if missing and extra else ''}{'has extra ' + checks.shown(extra) if extra else ''}; "
                         f"{allowed}")
    for key, value in params.items():
        shape = np.shape(arrays[key])
        if shape != np.shape(value):
            raise ValueError(f"{name}[{key!r}] has shape {shape}; allowed: {np.shape(value)}, the shape of {key}")
