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

from . import checks, regularization
from .regularization import per_member, shrink

L1_STEPS = ("proximal", "subgradient")


def gd_step(params, grads, lr, penalty="none", lam=0.0, l1_step="proximal"):
    """A new parameter dict: one gradient-descent step from ``params`` with gradients ``grads``."""
    penalty, l1_step = _check(penalty, l1_step)
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
    penalty, l1_step = _check(penalty, l1_step)
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


def _check(penalty, l1_step):
    return regularization.check_kind(penalty), checks.choice("l1_step", l1_step, L1_STEPS)
