"""Exercises of notebook 05: one gradient-descent step, choosing a learning rate, the stability limit.

``gd_step`` and ``largest_stable_lr`` are ``Exercise`` objects; ``learning_rate`` trains the
network with the learner's learning rate and reports how it went.
"""
import numpy as np

from .. import checks, experiments, network, problems
from . import Exercise, Feedback


def gd_step(params, grads, lr):
    """θ_new = θ - lr * dL/dθ for every parameter (weights and biases alike); a new dict"""
    return {name: params[name] - lr * grads[name] for name in params}


_gd_step = gd_step


def _step_case(seed, lr):
    r = np.random.default_rng(seed)
    vector = lambda: r.normal(size=len(network.flat_names()))   # noqa: E731
    return (network.unflatten(vector()), network.unflatten(vector()), lr)


def _biases_wrong(params, grads, lr):
    return {k: v - lr * grads[k] if k[0] == "W" else v + lr * grads[k] for k, v in params.items()}


def _weights_only(params, grads, lr):
    return {k: v - lr * grads[k] if k[0] == "W" else v.copy() for k, v in params.items()}


gd_step = Exercise(
    "gd_step",
    _gd_step,
    cases=[_step_case(0, 0.1), _step_case(1, 0.5), _step_case(2, 2.0)],
    mistakes=[
        (lambda p, g, lr: {k: v + lr * g[k] for k, v in p.items()},
         "you added the gradient: that climbs uphill. The gradient points to where the loss grows, "
         "so step against it: params - lr * grads."),
        (_biases_wrong, "the weights are right but the biases move the wrong way: every parameter, "
                        "bias or weight, steps against its own gradient."),
        (_weights_only, "the biases did not move: they are parameters too and need the same update."),
        (lambda p, g, lr: {k: v - g[k] for k, v in p.items()},
         "you forgot the learning rate: multiply the gradient by lr before subtracting it."),
        (lambda p, g, lr: {k: v - g[k] / lr for k, v in p.items()},
         "multiply the gradient by lr, do not divide by it."),
    ],
    hint="for each name in params: new[name] = params[name] - lr * grads[name].",
)


def largest_stable_lr(a):
    """For f(w) = a w^2 / 2, gradient descent w <- (1 - lr a) w converges when |1 - lr a| < 1: lr < 2 / a"""
    return 2.0 / a


_largest_stable_lr = largest_stable_lr

largest_stable_lr = Exercise(
    "largest_stable_lr",
    _largest_stable_lr,
    cases=[(1.0,), (4.0,), (0.5,), (100.0,)],
    mistakes=[
        (lambda a: 1.0 / a, "1/a is the best learning rate: it lands on the minimum in one step (1 - lr a = 0). "
                            "Larger ones overshoot but still shrink w while |1 - lr a| < 1: solve that for the limit."),
        (lambda a: 2.0 * a, "the limit gets SMALLER when the curvature a is larger: a steep valley needs "
                            "small steps. Solve |1 - lr a| < 1 for lr."),
        (lambda a: a / 2.0, "upside down: a steeper valley (larger a) needs a smaller limit. Solve |1 - lr a| < 1 for lr."),
    ],
    hint="one step multiplies w by (1 - lr a); the steps shrink w while |1 - lr a| < 1.",
)


class LearningRateChallenge:
    """Pick a learning rate that brings the loss below ``target`` within ``steps`` steps."""

    name = "learning_rate"

    def __init__(self, target=0.12, steps=100):
        self.target, self.steps = target, steps
        self._problem = problems.descent_problem

    def check(self, lr):
        """Train the 2-3-1 net of this notebook with ``lr`` and say how it went (never raises)."""
        if lr is None or lr is Ellipsis:
            return Feedback(self.name, "not attempted", "not attempted yet: set `my_lr` to a number, "
                            "then run this cell again.")
        try:
            lr = checks.number("my_lr", lr, 0, lo_open=True)
        except ValueError:
            return Feedback(self.name, "error", f"my_lr = {checks.shown(lr)} is not a learning rate; use a "
                            "positive number such as 0.05.")
        try:
            params, X, y, loss = self._problem()
            run = experiments.Trajectory(params, X, y, lr, self.steps, loss)
        except Exception as e:          # a safety net: the checker never stops the notebook
            return Feedback(self.name, "error", f"training with learning rate {lr:g} failed "
                            f"({type(e).__name__}); try a learning rate between 0.001 and 10.")
        return self._verdict(lr, run)

    def _verdict(self, lr, run):
        """Correct below the target; otherwise diverged, overshooting (the loss went up) or too slow."""
        if run.reason is not None:
            return Feedback(self.name, "wrong", f"with learning rate {lr:g} training {run.reason}")
        L = run.loss
        final, ups = float(L[-1]), int(np.sum(np.diff(L) > 0))
        if final < self.target:
            extra = f" (the loss went up in {ups} of the steps: some steps overshoot)" if ups else ""
            return Feedback(self.name, "correct", f"correct: with learning rate {lr:g} the loss reached "
                            f"{final:.4f} < {self.target} in {self.steps} steps{extra}.")
        if ups:
            low = int(np.argmin(L))
            why = (f"the loss went up in {ups} of {self.steps} steps (its lowest, {L[low]:.4f}, was at step "
                   f"{low}): the steps overshoot. Try a smaller one")
        else:
            why = "the loss fell at every step, but not far enough: too slow. Try a larger one"
        return Feedback(self.name, "wrong", f"with learning rate {lr:g} the loss is {final:.4f} after "
                        f"{self.steps} steps, not below {self.target}: {why}.")

    def solution(self):
        return ("Learning rates from about 0.18 to 0.55 work, and most up to 0.62 (0.56 and 0.565 do not: "
                "at step 100 they are in the middle of a spike of the loss, which passes a few steps later). The sweep in this notebook shows "
                "the loss after 100 steps for 60 learning rates: the best ones (0.5 to 0.6) sit well below "
                "the start-point prediction 2/λmax ≈ 0.79, because λmax grows during training, to about 4, "
                "where 2/λmax is about 0.5. Smaller learning rates are too slow; from about 0.63 the loss "
                "goes up and down at the edge of stability and ends higher; from 0.825 most runs diverge.")

    def show_solution(self):
        print(self.solution())


learning_rate = LearningRateChallenge()
