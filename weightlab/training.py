"""Gradient descent with a history you can watch.

``Trainer`` keeps the parameters and takes steps; its learning rate, penalty
and penalty strength may change between steps without resetting the run. A
population of P networks (a leading axis on every parameter) trains at once;
``lr`` and ``lam`` may then hold one value per network.

Divergence is not an exception: when a network's loss becomes inf or NaN (or
passes ``max_loss``) that network stops, and the history records the step
and the reason in words.
"""
import math

import numpy as np

from . import engine, losses, network, regularization
from .initializers import make_rng

# f'(z) at its largest, to call a unit saturated when f'(z) is a small part of it
_MAX_SLOPE = {"relu": 1.0, "leaky_relu": 1.0, "sigmoid": 0.25, "tanh": 1.0, "identity": 1.0}
SATURATED_SLOPE = 0.05   # f'(z) below 5% of its largest value ...
SATURATED_SHARE = 0.9    # ... on at least 90% of the samples
L1_STEPS = ("proximal", "subgradient")


class History:
    """What happened at each recorded step, as arrays with time first.

    With a single network the population axis is dropped: ``loss`` is (T,),
    ``params`` (T, n_params), ``grad_norm`` (T, layers). With a population they
    are (T, P), (T, P, n_params), (T, P, layers). ``params[t]`` holds the
    parameters *before* step ``steps[t]``, ``loss[t]`` their loss.

    Each step stores only what it already computed (parameters before and
    after, the gradient, per-unit slope summaries); norms, ratios and unit
    health are derived from them, for all steps at once, when first read.
    """

    FIELDS = ("loss", "objective", "val_loss", "params", "weight_norm", "grad_norm",
              "update_ratio", "dead", "saturated")
    # what each step stores, one tuple per step in this order
    RECORD = ("step", "loss", "objective", "val_loss", "old", "new", "grad", "norms", "flat_count",
              "n_samples", "relu")

    def __init__(self, P, single, names, starts=None, wseg=None):
        self.P, self.single, self.param_names = P, single, names
        self._starts, self._wseg = starts, wseg
        self._records = []
        self._cache = {}
        self.diverged_step = np.full(P, -1)
        self.reasons = [None] * P

    def _column(self, key):
        i = History.RECORD.index(key)
        return [r[i] for r in self._records]

    @property
    def step(self):
        """The recorded step numbers, as a list."""
        return self._column("step")

    def _stacked(self, key):
        if not self._records or self._records[0][History.RECORD.index(key)] is None:
            return None
        hit = self._cache.get(key)
        if hit is None or len(hit) != len(self._records):
            hit = np.array(self._column(key))
            self._cache[key] = hit
        return hit

    def _norms(self):
        """(T, P, 3, layers): norms of W, of its gradient and of its update, per weight layer."""
        stored = self._stacked("norms")
        if stored is not None:
            return stored
        old, new, grad = self._stacked("old"), self._stacked("new"), self._stacked("grad")
        def per_layer(a):
            return np.sqrt(np.add.reduceat(a * a, self._starts, axis=-1)[..., self._wseg])
        with np.errstate(all="ignore"):
            return np.stack([per_layer(old), per_layer(grad), per_layer(new - old)], axis=-2)

    def _field(self, name):
        if name in ("loss", "objective", "val_loss"):
            return self._stacked(name)
        if name == "params":
            return self._stacked("old")
        if name in ("weight_norm", "grad_norm", "update_ratio"):
            n = self._norms()
            if name == "weight_norm":
                return n[..., 0, :]
            if name == "grad_norm":
                return n[..., 1, :]
            w = n[..., 0, :]
            with np.errstate(all="ignore"):
                return np.where(w > 0, n[..., 2, :] / np.where(w > 0, w, 1.0), np.nan)
        # unit health: dead = f'(z) is 0 on every sample (only a ReLU can die);
        # saturated = f'(z) below 5% of its largest value on at least 90% of samples, and not dead
        flat = self._stacked("flat_count")
        if flat is None:
            return np.zeros((len(self._records), self.P))
        n = self._stacked("n_samples")[:, None, None]
        # a ReLU's slope is 0 or 1, so it is dead exactly when its slope is small on every sample
        dead = (flat == n) & self._stacked("relu")[:, None, None]
        if name == "dead":
            return dead.mean(axis=-1)
        return ((flat >= SATURATED_SHARE * n) & ~dead).mean(axis=-1)

    def __getattr__(self, name):
        if name in History.FIELDS:
            if not self._records:
                return np.zeros((0,))
            arr = self._field(name)
            if arr is None:
                return None
            return arr[:, 0] if self.single else arr
        raise AttributeError(name)

    def __len__(self):
        return len(self._records)

    @property
    def steps(self):
        """The recorded step numbers (T,)."""
        return np.array(self.step, dtype=int)

    @property
    def diverged(self):
        """True if the network (any network of a population) diverged."""
        return bool(np.any(self.diverged_step >= 0))

    @property
    def reason(self):
        """Why the single network stopped, in words, or None (the first diverged member for a population)."""
        return next((r for r in self.reasons if r), None)


class Trainer:
    """Full-batch (or seeded mini-batch) gradient descent on one network or a population.

    >>> t = Trainer(init_params(seed=0), X, y, lr=0.5)
    >>> t.step(100); t.history.loss[-1]
    """

    def __init__(self, params, X, y, *, activation="tanh", loss="bce", lr=0.1, penalty="none",
                 lam=0.0, X_val=None, y_val=None, batch_size=None, seed=0, l1_step="proximal",
                 record_every=1, record_params=True, max_loss=1e6):
        params = network.check_params(params)
        self.single = params["W1"].ndim == 2
        sizes = network.sizes_of(params)
        if sizes[-1] != 1:
            raise ValueError(f"sizes={sizes} ends in {sizes[-1]} outputs; allowed: sizes ending in 1 "
                             "(one output: the prediction for mse, the logit for bce)")
        self._names = network.param_names(sizes)
        lead = {k: (v[None] if self.single else v) for k, v in params.items()}
        self.P = lead["W1"].shape[0]
        # All parameters live in one (P, n_params) buffer; self.params holds views into it.
        self._theta = np.concatenate([lead[k].reshape(self.P, -1) for k in self._names], axis=1)
        counts = [lead[k][0].size for k in self._names]
        self._starts = np.cumsum([0] + counts[:-1])
        self._wseg = np.array([k[0] == "W" for k in self._names])
        self._wmask = np.concatenate([np.full(c, float(k[0] == "W")) for k, c in zip(self._names, counts)])
        ends = np.cumsum(counts)
        self._layout = [(k, int(e - c), int(e), lead[k].shape)
                        for k, c, e in zip(self._names, counts, ends)]
        self.params = self._views(self._theta)
        self.loss_name = losses.check_name(loss)
        self.X = network.check_inputs(X, params)
        self.y = self._check_targets(y, self.X, "y")
        if (X_val is None) != (y_val is None):
            raise ValueError("X_val and y_val must be given together; got only one of them")
        self.X_val = None if X_val is None else network.check_inputs(X_val, params)
        self.y_val = None if y_val is None else self._check_targets(y_val, self.X_val, "y_val")
        self.lr, self.penalty, self.lam = lr, penalty, lam
        if l1_step not in L1_STEPS:
            raise ValueError(f"l1_step={l1_step!r} is not known; allowed: {', '.join(L1_STEPS)}")
        self.l1_step = l1_step
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
                                       or not 1 <= batch_size <= len(self.X)):
            raise ValueError(f"batch_size={batch_size!r} is not allowed; allowed: None (full batch) "
                             f"or an int from 1 to {len(self.X)} (the number of samples)")
        self.batch_size = batch_size
        self.rng = make_rng(seed)
        self._order, self._pos = None, 0
        if isinstance(record_every, bool) or not isinstance(record_every, (int, np.integer)) or record_every < 1:
            raise ValueError(f"record_every={record_every!r} is not allowed; allowed: an int >= 1")
        self.record_every, self.record_params = int(record_every), bool(record_params)
        if not (isinstance(max_loss, (int, float)) and max_loss > 0):
            raise ValueError(f"max_loss={max_loss!r} is not allowed; allowed: a number > 0")
        self.max_loss = float(max_loss)
        self.t = 0
        self.active = np.ones(self.P, dtype=bool)
        self._all_active = self._any_active = True
        self._lossf = losses.get(self.loss_name)[0]
        self._engine = engine.Engine(sizes, activation, self.loss_name)
        self.activation = activation
        self._n_hidden = sum(sizes[1:-1])
        self.history = History(self.P, self.single, network.flat_names(sizes), self._starts, self._wseg)

    def _views(self, theta):
        """Each parameter's array as a view into a flat (P, n_params) buffer."""
        return {k: theta[:, i:j].reshape(shape) for k, i, j, shape in self._layout}

    def set_params(self, params):
        """Replace the weights of the running model (same shapes), keeping history and settings."""
        params = network.check_params(params)
        for k in self._names:
            v = params[k][None] if self.single else params[k]
            if v.shape != self.params[k].shape:
                raise ValueError(f"{k} has shape {params[k].shape}; allowed: "
                                 f"{self.params[k].shape[1:] if self.single else self.params[k].shape}")
        for k in self._names:
            self.params[k][...] = params[k][None] if self.single else params[k]
        self.active[:] = True
        self._all_active = self._any_active = True

    def _check_targets(self, y, X, name):
        y = np.asarray(y, dtype=np.float64)
        if y.shape != (X.shape[0],):
            raise ValueError(f"{name} has shape {y.shape}; allowed: ({X.shape[0]},), one target per row of X")
        try:
            return losses.check_targets(self.loss_name, y)
        except ValueError as e:
            raise ValueError(str(e).replace("y ", f"{name} ", 1)) from None

    # Settings that may change between steps -------------------------------------------
    @property
    def lr(self):
        """The learning rate (one value, or one per network)."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr, self._lr_col = self._per_network(value, "lr")

    @property
    def lam(self):
        """The penalty strength (one value, or one per network)."""
        return self._lam

    @lam.setter
    def lam(self, value):
        self._lam, self._lam_col = self._per_network(value, "lam")
        self._lam_w = self._lam_col * self._wmask       # lam on weights, 0 on biases

    def _per_network(self, value, name):
        """A checked setting, and the same shaped (P, 1) to scale rows of the parameter buffer."""
        value = regularization.check_strength(value, name, self.P if not self.single else None)
        return value, (np.reshape(value, (-1, 1)) if np.ndim(value) else value)

    @property
    def activation(self):
        """The hidden layers' activation (may change between steps)."""
        return self._engine.activation

    @activation.setter
    def activation(self, name):
        self._engine.activation = name
        self._low_slope = SATURATED_SLOPE * _MAX_SLOPE[name]

    @property
    def penalty(self):
        """'none', 'l2' or 'l1'."""
        return self._penalty

    @penalty.setter
    def penalty(self, kind):
        self._penalty = regularization.check_kind(kind)

    @property
    def current(self):
        """The current parameters, in the shape they were given (with or without population axis)."""
        return {k: (v[0] if self.single else v).copy() for k, v in self.params.items()}

    @property
    def diverged(self):
        """True if every network has stopped because it diverged."""
        return not self.active.any()

    # Training --------------------------------------------------------------------------
    def _batch(self):
        n = len(self.X)
        if self._order is None or self._pos + self.batch_size > n:
            self._order, self._pos = self.rng.permutation(n), 0
        idx = self._order[self._pos:self._pos + self.batch_size]
        self._pos += self.batch_size
        return self.X[idx], self.y[idx]

    def evaluate(self, X=None, y=None):
        """Mean data loss of the current parameters on (X, y) (the training set by default)."""
        X = self.X if X is None else network.check_inputs(X, self.params)
        y = self.y if y is None else self._check_targets(y, X, "y")
        z, _ = network.forward(self.params, X, self.activation)
        out = self._lossf(z, y)
        return float(out[0]) if self.single else out

    def step(self, n=1):
        """Take ``n`` gradient-descent steps (fewer if every network diverges). Returns the history."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n={n!r} is not allowed; allowed: an int >= 0 (the number of steps)")
        with np.errstate(all="ignore"):        # overflow is reported as divergence, not warned
            for _ in range(int(n)):
                if not self._any_active:
                    break
                self._one_step()
        return self.history

    def _one_step(self):
        theta = self._theta
        Xb, yb = (self.X, self.y) if self.batch_size is None else self._batch()
        record = self.t % self.record_every == 0
        flat = np.empty((self.P, self._n_hidden)) if record else None
        data_loss = self._engine.loss_and_grad(theta, Xb, yb, self._low_slope, flat)
        if self._penalty == "l2":
            objective = data_loss + self._lam * 0.5 * engine.row_dot(theta * theta, self._wmask)
        elif self._penalty == "l1":
            objective = data_loss + self._lam * engine.row_dot(np.abs(theta), self._wmask)
        else:
            objective = data_loss
        ok = objective <= self.max_loss                        # NaN compares False
        if not ok.all():
            bad = self.active & ~ok
            if bad.any():
                self._stop(bad, objective)
        proximal = self._penalty == "l1" and self.l1_step == "proximal"
        g = self._engine.grad                         # the gradient of every parameter, flat
        if self._penalty == "l2":
            g = g + self._lam_w * theta
        elif self._penalty == "l1" and not proximal:
            g = g + self._lam_w * np.sign(theta)
        elif record:
            g = g.copy()                              # the history keeps its own copy
        old = theta.copy() if record else None
        new = theta - self._lr_col * g
        if proximal:
            t = self._lr_col * self._lam_w
            new = np.sign(new) * np.maximum(np.abs(new) - t, 0.0)
        if not self._all_active:
            new = np.where(self.active[:, None], new, theta)
        theta[...] = new
        if record:
            self._record(data_loss, objective, old, new, g, flat, len(Xb))
        self.t += 1

    def _stop(self, bad, objective):
        for k in np.flatnonzero(bad):
            v = objective[k]
            what = ("became NaN" if np.isnan(v) else "became inf" if np.isinf(v)
                    else f"reached {v:.3g}, above the limit {self.max_loss:g}")
            lr = self._lr if np.ndim(self._lr) == 0 else self._lr[k]
            self.history.reasons[k] = (
                f"diverged at step {self.t}: the loss {what}. With learning rate {lr:g} each step "
                "overshoots the minimum by more than it corrects, so the weights grow without bound. "
                "Try a smaller learning rate."
            )
            self.history.diverged_step[k] = self.t
        self.active &= ~bad
        self._all_active, self._any_active = bool(self.active.all()), bool(self.active.any())

    def _record(self, data_loss, objective, old, new, g, flat, n_samples):
        val = None
        if self.X_val is not None:
            z, _ = network.forward(self._views(old), self.X_val, self.activation)
            val = self._lossf(z, self.y_val)
        norms = None
        if not self.record_params:        # keep only per-layer norms, not (P, n_params) arrays
            def per_layer(a):
                return np.sqrt(np.add.reduceat(a * a, self._starts, axis=1)[:, self._wseg])
            norms = np.stack([per_layer(old), per_layer(g), per_layer(new - old)], axis=-2)
            old = new = g = None
        self.history._records.append((self.t, data_loss, objective, val, old, new, g, norms,
                                      flat if self._n_hidden else None, n_samples,
                                      self._engine.activation == "relu"))


def train(params, X, y, steps=100, **settings):
    """Train a copy of ``params`` for ``steps`` steps; returns (final parameters, history)."""
    t = Trainer(params, X, y, **settings)
    t.step(steps)
    return t.current, t.history


def edge_of_stability(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0, eps=1e-5):
    """2 / largest eigenvalue of the loss Hessian at ``params`` (a single network).

    Plain gradient descent on a quadratic diverges for learning rates above this;
    the Hessian is built from central differences of the backprop gradient.
    """
    H = hessian(params, X, y, activation, loss, penalty, lam, eps)
    top = float(np.max(np.linalg.eigvalsh(H)))
    return math.inf if top <= 0 else 2.0 / top


def hessian(params, X, y, activation="tanh", loss="bce", penalty="none", lam=0.0, eps=1e-5):
    """The (n_params, n_params) Hessian of the objective, by central differences of the gradient."""
    from .gradcheck import objective_and_grad
    sizes = network.sizes_of(params)
    theta = network.flatten(params)
    n = theta.size
    H = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = eps
        _, gp = objective_and_grad(network.unflatten(theta + e, sizes), X, y, activation, loss, penalty, lam)
        _, gm = objective_and_grad(network.unflatten(theta - e, sizes), X, y, activation, loss, penalty, lam)
        H[i] = (network.flatten(gp) - network.flatten(gm)) / (2 * eps)
    return 0.5 * (H + H.T)
