"""The gradient-descent update, as notebooks 05 and 08 write it.

    theta <- theta - lr * (dL/dtheta + d penalty/dtheta)        (every weight and bias)

With the L1 penalty taken as a proximal step (the default), the weights first
step on the data loss alone and then move lr * lam towards 0, stopping at
exactly 0 (the soft threshold):

    W <- S(W - lr * dL/dW, lr * lam),   S(v, t) = sign(v) * max(|v| - t, 0)

``lr`` and ``lam`` are one number, or with a population one number per network.
The Trainer applies exactly this update to all parameters at once (tested bit for bit).
"""
import numpy as np

from . import checks, regularization
from .regularization import per_member, soft_threshold

L1_STEPS = ("proximal", "subgradient")


def gd_step(params, grads, lr, penalty="none", lam=0.0, l1_step="proximal"):
    """A new parameter dict: one gradient-descent step from ``params`` with gradients ``grads``."""
    penalty = regularization.check_kind(penalty)
    l1_step = checks.choice("l1_step", l1_step, L1_STEPS)
    new = {}
    for name, value in params.items():
        g, is_weight = grads[name], name.startswith("W")
        rate = per_member(lr, value.ndim)
        strength = per_member(lam, value.ndim)
        if is_weight and penalty == "l2":
            g = g + strength * value                          # d/dW of lam/2 * W^2
        elif is_weight and penalty == "l1" and l1_step == "subgradient":
            g = g + strength * np.sign(value)        # d/dW of lam * |W| (0 at 0)
        new[name] = value - rate * g
        if is_weight and penalty == "l1" and l1_step == "proximal":
            new[name] = soft_threshold(new[name], rate * strength)
    return new
