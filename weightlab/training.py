"""Gradient descent with a history you can watch.

``Trainer`` keeps the parameters and takes steps; its learning rate, penalty
and penalty strength may change between steps without resetting the run. A
population of P networks (a leading axis on every parameter) trains at once;
``lr`` and ``lam`` may then hold one value per network.

Divergence is not an exception: when a network's loss becomes inf or NaN (or
passes ``max_loss``) that network stops, and the history records the step
and the reason in words.
"""
import inspect
from collections import namedtuple

import numpy as np

from . import activations, checks, engine, health, losses, network, optim, regularization
from .initializers import make_rng


Record = namedtuple("Record", "step epoch loss objective val_loss old new grad norms flat_count n_samples relu")
Record.__doc__ = "What one recorded step stores (parameters before and after, the gradient, per-unit counts)."


class History:
    """What happened at each recorded step, as arrays with time first.

    With a single network the population axis is dropped: ``loss`` is (T,),
    ``params`` (T, n_params), ``grad_norm`` (T, layers). With a population they
    are (T, P), (T, P, n_params), (T, P, layers). ``params[t]`` holds the
    parameters *before* step ``steps[t]``, ``loss[t]`` their loss.

    Each step stores only what it already computed (parameters before and
    after, the gradient, per-unit slope counts); norms, ratios and unit health
    are derived from them, for all steps at once, when first read.
    """

    def __init__(self, sizes, P, single):
        self.sizes, self.P, self.single = tuple(sizes), P, single
        self.param_names = network.flat_names(sizes)
        self.layer_names = [f"W{l}" for l in range(1, len(sizes))]
        names = network.param_names(sizes)
        counts = [sizes[int(k[1:]) - 1] * sizes[int(k[1:])] if k[0] == "W" else sizes[int(k[1:])] for k in names]
        self._starts = np.cumsum([0] + counts[:-1])          # where each parameter array begins, flat
        self._wseg = np.array([k[0] == "W" for k in names])
        self._records = []
        self._cache = {}
        self.diverged_step = np.full(P, -1)
        self.reasons = [None] * P

    def __len__(self):
        return len(self._records)

    def append(self, record):
        """Add one step's Record."""
        self._records.append(record)

    def thin(self, every=2):
        """Keep every ``every``-th record (the first one included) and drop the rest, to bound memory."""
        every = checks.integer("every", every, 1, what="keep one record in this many")
        self._records[:] = self._records[::every]
        self._cache.clear()

    # ---- the stored columns, stacked once per length ------------------------------------
    def _stacked(self, key):
        if not self._records or getattr(self._records[0], key) is None:
            return None
        hit = self._cache.get(key)
        if hit is None or len(hit) != len(self._records):
            hit = np.array([getattr(r, key) for r in self._records])
            self._cache[key] = hit
        return hit

    def _shown(self, arr):
        """Drop the population axis of a single network's array; an empty history gives (0,)."""
        if arr is None:
            return None
        return arr[:, 0] if self.single else arr

    def _norms(self):
        """(T, P, 3, layers): norms of W, of its gradient and of its update, per weight layer."""
        stored = self._stacked("norms")
        if stored is not None:
            return stored
        old, new, grad = self._stacked("old"), self._stacked("new"), self._stacked("grad")
        with np.errstate(all="ignore"):
            return np.stack([layer_norms(old, self._starts, self._wseg), layer_norms(grad, self._starts, self._wseg),
                             layer_norms(new - old, self._starts, self._wseg)], axis=-2)

    def _units(self):
        """(dead, saturated): (T, P) shares of hidden units, from the stored slope counts.

        dead = f'(z) is 0 on every sample (only a ReLU can die); saturated = f'(z) below
        5% of its largest value on at least 90% of the samples, and not dead.
        """
        flat = self._stacked("flat_count")
        if flat is None:
            zero = np.zeros((len(self._records), self.P))
            return zero, zero
        n = self._stacked("n_samples")[:, None, None]
        dead = (flat == n) & self._stacked("relu")[:, None, None]   # a ReLU's slope is 0 or 1
        saturated = (flat >= health.SATURATED_SHARE * n) & ~dead
        return dead.mean(axis=-1), saturated.mean(axis=-1)

    def _column(self, key):
        """A stored field, time first, without a single network's population axis; (0,) when empty."""
        return self._shown(self._stacked(key)) if self._records else np.zeros(0)

    def _norm(self, i):
        """Norm i of ``_norms`` (0: W, 1: its gradient, 2: its update) per layer; (0,) when empty."""
        return self._shown(self._norms()[..., i, :]) if self._records else np.zeros(0)

    # ---- one property per field ----------------------------------------------------------
    @property
    def steps(self):
        """The recorded step numbers (T,)."""
        return np.array([r.step for r in self._records], dtype=int)

    @property
    def epochs(self):
        """Passes through the training data before each recorded step (T,): steps x batch / N.

        With the full batch it equals ``steps``; with mini-batches of B out of N samples each
        step adds B / N (the last, smaller batch of an epoch adds the rest)."""
        return np.array([r.epoch for r in self._records], dtype=float)

    @property
    def loss(self):
        """Mean data loss before each recorded step: (T,) or (T, P)."""
        return self._column("loss")

    @property
    def objective(self):
        """Data loss plus penalty: (T,) or (T, P)."""
        return self._column("objective")

    @property
    def val_loss(self):
        """Validation loss (None without validation data): (T,) or (T, P)."""
        return self._column("val_loss")

    @property
    def params(self):
        """Every parameter before each recorded step (None with ``record_params=False``): (T, [P,] n_params)."""
        return self._column("old")

    @property
    def weight_norm(self):
        """Frobenius norm of each weight matrix: (T, [P,] layers)."""
        return self._norm(0)

    @property
    def grad_norm(self):
        """Norm of the gradient of each weight matrix: (T, [P,] layers)."""
        return self._norm(1)

    @property
    def update_ratio(self):
        """|update| / |W| per weight matrix (NaN where W is 0): (T, [P,] layers)."""
        if not self._records:
            return np.zeros(0)
        n = self._norms()
        w = n[..., 0, :]
        with np.errstate(all="ignore"):
            return self._shown(np.where(w > 0, n[..., 2, :] / np.where(w > 0, w, 1.0), np.nan))

    @property
    def dead(self):
        """Share of hidden units that are dead: (T,) or (T, P)."""
        return self._shown(self._units()[0]) if self._records else np.zeros(0)

    @property
    def saturated(self):
        """Share of hidden units that are saturated (and not dead): (T,) or (T, P)."""
        return self._shown(self._units()[1]) if self._records else np.zeros(0)

    # ---- divergence ----------------------------------------------------------------------
    @property
    def diverged(self):
        """True if every network diverged (for a single network: it diverged)."""
        return bool(np.all(self.diverged_step >= 0))

    @property
    def any_diverged(self):
        """True if at least one network of the population diverged."""
        return bool(np.any(self.diverged_step >= 0))

    @property
    def reason(self):
        """Why the single network stopped, in words, or None (the first diverged member for a population)."""
        return next((r for r in self.reasons if r), None)


def layer_norms(flat, starts, is_weight):
    """Per weight layer, the norm of the flat parameter rows ``flat`` (..., n_params)."""
    return np.sqrt(np.add.reduceat(flat * flat, starts, axis=-1)[..., is_weight])


class Trainer:
    """Full-batch (or seeded mini-batch) gradient descent on one network or a population.

    Each step is ``optim.gd_step`` with the gradient of ``network.backward``, computed
    for all networks at once by ``engine.Engine``. For example::

        data = datasets.load("xor")
        t = Trainer(network.init_params(seed=0), data.X, data.y, lr=0.5)
        t.step(100)
        t.history.loss[-1]          # 0.4895...

    ``lr``, ``momentum``, ``lam``, ``penalty``, ``activation``, ``l1_step``, ``batch_size``,
    ``record_every`` and ``max_loss`` may change between steps; nothing is reset.

    **Momentum** (heavy ball, ``optim.momentum_step``): v <- momentum * v + g, theta <- theta - lr * v,
    the convention of ``torch.optim.SGD(momentum=beta, dampening=0, nesterov=False)``. The L2
    gradient lam * W is part of g (it enters the velocity, like PyTorch's weight_decay); a proximal
    L1 step stays a proximal step, applied after the move. The velocity starts at 0, is kept when
    any setting changes, and is reset to 0 by ``set_params``.

    **Mini-batches** (``batch_size=B``): each epoch is a fresh permutation of the N training
    samples, drawn from the Trainer's ``seed``, cut into batches of B; the last batch of an epoch
    holds the N mod B samples left over, so every sample is used exactly once per epoch. All
    networks of a population see the same batches, so network k of a population gets exactly
    the batches (and numbers) it gets when trained alone with the same seed.

    **Divergence**: a network stops, and ``history.reasons`` says why in words, when its
    objective becomes NaN or inf; or rises above ``max_loss`` and above its start; or grows to
    ``RUNAWAY`` (100) times both its value at the start and the loss of the best constant
    answer (log 2-like chance level for cross-entropy, the variance of y for MSE). The last
    rule catches cross-entropy, which grows only in proportion to the weights and so stays
    finite while the weights explode.
    """

    def __init__(self, params, X, y, *, activation="tanh", loss="bce", lr=0.1, momentum=0.0, penalty="none",
                 lam=0.0, X_val=None, y_val=None, batch_size=None, seed=0, l1_step="proximal",
                 record_every=1, record_params=True, max_loss=1e6):
        params = network.check_params(params)
        self.single = params["W1"].ndim == 2
        self.sizes = sizes = network.sizes_of(params)
        if sizes[-1] != 1:
            raise ValueError(f"sizes={sizes} ends in {sizes[-1]} outputs; allowed: sizes ending in 1 "
                             "(one output: the prediction for mse, the logit for bce)")
        self._names = network.param_names(sizes)
        lead = {k: (v[None] if self.single else v) for k, v in params.items()}
        self.P = lead["W1"].shape[0]
        # All parameters live in one (P, n_params) buffer; self.params holds views into it.
        self._theta = np.concatenate([lead[k].reshape(self.P, -1) for k in self._names], axis=1)
        self._wmask = network.weight_mask(sizes).astype(np.float64)
        self._wcols = np.flatnonzero(self._wmask)
        ends = np.cumsum([lead[k][0].size for k in self._names])
        self._layout = [(k, int(e - lead[k][0].size), int(e), lead[k].shape) for k, e in zip(self._names, ends)]
        self.params = self._views(self._theta)
        self.loss_name = losses.check_name(loss)
        self.X = network.check_inputs(X, params)
        self.y = self._check_targets(y, self.X, "y")
        if (X_val is None) != (y_val is None):
            raise ValueError("X_val and y_val must be given together; got only one of them")
        self.X_val = None if X_val is None else network.check_inputs(X_val, params, "X_val")
        self.y_val = None if y_val is None else self._check_targets(y_val, self.X_val, "y_val")
        self.lr, self.momentum, self.penalty, self.lam, self.l1_step = lr, momentum, penalty, lam, l1_step
        self._velocity = None                   # (P, n_params), made at the first step with momentum
        self._baseline = constant_loss(self.loss_name, self.y)
        self._start = None                      # each network's objective at its first step
        self.batch_size, self.record_every, self.max_loss = batch_size, record_every, max_loss
        self.rng = make_rng(seed)
        self._order, self._pos = None, 0
        if not isinstance(record_params, (bool, np.bool_)):
            raise ValueError(f"record_params={checks.shown(record_params)} is not allowed; allowed: True or False")
        self.record_params = bool(record_params)
        self.t, self._seen = 0, 0
        self.active = np.ones(self.P, dtype=bool)
        self._all_active = self._any_active = True
        self._lossf = losses.get(self.loss_name)[0]
        self._engine = engine.Engine(sizes, activation, self.loss_name)
        self.activation = activation
        self._n_hidden = sum(sizes[1:-1])
        self.history = History(sizes, self.P, self.single)

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
        self._velocity, self._start = None, None      # a new starting point

    def _check_targets(self, y, X, name):
        return losses.check_targets(self.loss_name, y, X.shape[0], name)

    # Settings that may change between steps -------------------------------------------
    @property
    def lr(self):
        """The learning rate (one value, or one per network)."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr, self._lr_col = self._per_network(value, "lr")

    @property
    def momentum(self):
        """The momentum beta in [0, 1) (one value, or one per network); 0 is plain gradient descent."""
        return self._momentum

    @momentum.setter
    def momentum(self, value):
        optim.check_momentum(value, self.P if not self.single else None)
        value, col = self._per_network(value, "momentum")
        self._momentum, self._momentum_col = value, col
        self._uses_momentum = bool(np.any(np.asarray(value) > 0))

    @property
    def lam(self):
        """The penalty strength (one value, or one per network)."""
        return self._lam

    @lam.setter
    def lam(self, value):
        self._lam, self._lam_col = self._per_network(value, "lam")
        self._lam_w = self._lam_col * self._wmask       # lam on weights, 0 on biases

    def _per_network(self, value, name):
        """A checked setting (a read-only copy), and the same shaped (P, 1) to scale rows of the buffer."""
        value = regularization.check_strength(value, name, self.P if not self.single else None)
        if np.ndim(value):
            value.flags.writeable = False        # change it by assigning a new value, which is checked
            return value, value.reshape(-1, 1)
        return value, value

    @property
    def activation(self):
        """The hidden layers' activation (may change between steps)."""
        return self._engine.activation

    @activation.setter
    def activation(self, name):
        self._engine.activation = name
        self._low_slope = health.SATURATED_SLOPE * activations.info(name).max_slope

    @property
    def penalty(self):
        """'none', 'l2' or 'l1'."""
        return self._penalty

    @penalty.setter
    def penalty(self, kind):
        self._penalty = regularization.check_kind(kind)

    @property
    def l1_step(self):
        """How L1 is applied: 'proximal' (soft threshold, exact zeros) or 'subgradient'."""
        return self._l1_step

    @l1_step.setter
    def l1_step(self, value):
        self._l1_step = checks.choice("l1_step", value, optim.L1_STEPS)

    @property
    def batch_size(self):
        """None for the full batch, else the number of samples per step."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        if value is not None:
            value = checks.integer("batch_size", value, 1, len(self.X),
                                   "or None for the full batch; at most the number of samples")
        self._batch_size, self._order, self._pos = value, None, 0

    @property
    def record_every(self):
        """Record one step in this many."""
        return self._record_every

    @record_every.setter
    def record_every(self, value):
        self._record_every = checks.integer("record_every", value, 1)

    @property
    def max_loss(self):
        """A loss above this counts as diverged."""
        return self._max_loss

    @max_loss.setter
    def max_loss(self, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == float("inf"):
            self._max_loss = float(value)          # never stop for a large loss, only for NaN or inf
        else:
            self._max_loss = checks.number("max_loss", value, 0, lo_open=True, what="or inf")
        self._limits = None

    @property
    def current(self):
        """The current parameters, in the shape they were given (with or without population axis)."""
        return {k: (v[0] if self.single else v).copy() for k, v in self.params.items()}

    @property
    def diverged(self):
        """True if every network has stopped because it diverged."""
        return not self.active.any()

    @property
    def any_diverged(self):
        """True if at least one network has stopped because it diverged."""
        return not self.active.all()

    # Training --------------------------------------------------------------------------
    def _batch(self):
        """The next mini-batch: consecutive slices of a fresh permutation per epoch (the last may be smaller)."""
        n = len(self.X)
        if self._order is None or self._pos >= n:
            self._order, self._pos = self.rng.permutation(n), 0
        idx = self._order[self._pos:self._pos + self.batch_size]
        self._pos += len(idx)
        return self.X[idx], self.y[idx]

    def evaluate(self, X=None, y=None):
        """Mean data loss of the current parameters on (X, y) (the training set by default)."""
        X = self.X if X is None else network.check_inputs(X, self.params)
        y = self.y if y is None else self._check_targets(y, X, "y")
        with np.errstate(all="ignore"):        # as in step(): overflow is divergence, not a warning
            z, _ = network.forward(self.params, X, self.activation)
            out = self._lossf(z, y)
        return float(out[0]) if self.single else out

    def step(self, n=1):
        """Take ``n`` gradient-descent steps (fewer if every network diverges). Returns the history.

        At most ``MAX_STEPS`` per call (the history of a 2-3-1 network grows by about 3 MB per
        1,000 recorded steps): call again to train longer.
        """
        n = checks.integer("n", n, 0, what="the number of steps")
        if n > MAX_STEPS:
            raise ValueError(f"n={n} is not allowed; allowed: an int >= 0, at most {MAX_STEPS:,} per call "
                             "(call step again to train longer)")
        with np.errstate(all="ignore"):        # overflow is reported as divergence, not warned
            for _ in range(n):
                if not self._any_active:
                    break
                self._one_step()
        return self.history

    def _one_step(self):
        """``optim.gd_step`` (or ``momentum_step``) on the flat buffer: the same operations, in the same
        order, on all rows."""
        theta = self._theta
        Xb, yb = (self.X, self.y) if self.batch_size is None else self._batch()
        record = self.t % self.record_every == 0
        flat = np.empty((self.P, self._n_hidden)) if record else None
        data_loss = self._engine.loss_and_grad(theta, Xb, yb, self._low_slope, flat)
        objective = data_loss
        if self._penalty != "none":
            objective = data_loss + regularization.penalty_of(theta.take(self._wcols, axis=1), self._penalty, self._lam, False)
        self._watch(objective)
        proximal = self._penalty == "l1" and self.l1_step == "proximal"
        g = self._engine.grad                         # the gradient of every parameter, flat
        if self._penalty == "l2":
            g = g + self._lam_w * theta
        elif self._penalty == "l1" and not proximal:
            g = g + self._lam_w * np.sign(theta)
        elif record:
            g = g.copy()                              # the history keeps its own copy
        direction = g
        if self._uses_momentum or self._velocity is not None:
            v = g.copy() if self._velocity is None else self._momentum_col * self._velocity + g
            self._velocity = direction = v
        old = theta.copy() if record else None
        new = theta - self._lr_col * direction
        if proximal:
            new = regularization.shrink(new, self._lr_col * self._lam_w)
        if not self._all_active:
            new = np.where(self.active[:, None], new, theta)
        theta[...] = new
        if record:
            self._record(data_loss, objective, old, new, g, flat, len(Xb))
        self.t += 1
        self._seen += len(Xb)

    def _watch(self, objective):
        """Stop every active network whose objective broke one of the divergence rules (see the class).

        The rules come down to one limit per network: the objective must stay at or below both
        max(max_loss, start) and RUNAWAY * max(start, constant loss); NaN is never at or below it.
        """
        if self._start is None:
            self._start = np.where(np.isfinite(objective), objective, np.inf)
            self._limits = None
        if self._limits is None:
            scale = RUNAWAY * np.maximum(self._start, self._baseline)
            self._limits = (np.minimum(np.maximum(self.max_loss, self._start), scale), scale)
        if (objective <= self._limits[0]).all():
            return
        bad = ~(objective <= self._limits[0]) & self.active
        if bad.any():
            self._stop(bad, objective, self._limits[1])

    def _stop(self, bad, objective, scale):
        for k in np.flatnonzero(bad):
            v = objective[k]
            lr = self._lr if np.ndim(self._lr) == 0 else self._lr[k]
            if not np.isfinite(v):
                what = f"the loss became {'NaN' if np.isnan(v) else 'inf'}"
            elif v > scale[k]:
                what = (f"the loss reached {v:.3g}, over {RUNAWAY:g} times both its start ({self._start[k]:.3g}) "
                        f"and the {self._baseline:.3g} of always giving the same answer")
            else:
                what = f"the loss reached {v:.3g}, above the limit {self.max_loss:g} and still rising"
            if self.batch_size is not None:
                what += f" (on that step's batch of {self.batch_size} examples)"
            self.history.reasons[k] = f"diverged at step {self.t}: {what}. {self._cause(k, lr)}"
            self.history.diverged_step[k] = self.t
        self.active &= ~bad
        self._all_active, self._any_active = bool(self.active.all()), bool(self.active.any())

    def _cause(self, k, lr):
        """Why network k's steps grew, in words: the penalty's own step, or overshooting (with momentum)."""
        lam = float(self._lam if np.ndim(self._lam) == 0 else self._lam[k])
        beta = float(self._momentum if np.ndim(self._momentum) == 0 else self._momentum[k])
        if self.penalty == "l2" and lr * lam > 2:
            return (f"With learning rate {lr:g} and λ {lam:g}, lr·λ = {lr * lam:.3g} is above 2: the penalty's own "
                    f"step multiplies each weight by 1 − lr·λ = {1 - lr * lam:.3g}, which flips its sign and makes it "
                    "larger, so the weights grow without bound. Try a smaller learning rate or a smaller λ.")
        settings = f"learning rate {lr:g}" + (f" and momentum {beta:g}" if beta > 0 else "")
        return (f"With {settings} each step overshoots the minimum by more than it corrects, so the weights grow "
                "without bound. Try a smaller learning rate" + (" or less momentum." if beta > 0 else "."))

    def _record(self, data_loss, objective, old, new, g, flat, n_samples):
        val = None
        if self.X_val is not None:                 # checked once, in __init__
            z, _ = network.forward(self._views(old), self.X_val, self.activation, check=False)
            val = self._lossf(z, self.y_val, check=False)
        norms = None
        if not self.record_params:        # keep only per-layer norms, not (P, n_params) arrays
            h = self.history
            norms = np.stack([layer_norms(old, h._starts, h._wseg), layer_norms(g, h._starts, h._wseg),
                              layer_norms(new - old, h._starts, h._wseg)], axis=-2)
            old = new = g = None
        self.history.append(Record(self.t, self._seen / len(self.X), data_loss, objective, val, old, new, g, norms,
                                   flat if self._n_hidden else None, n_samples, self.activation == "relu"))


RUNAWAY = 100.0     # a loss this many times its start (and the constant answer's) counts as diverged
MAX_STEPS = 100_000  # steps in one call of Trainer.step: minutes of training, hundreds of MB of history


def constant_loss(loss, y):
    """The loss of the best answer that ignores the inputs: for cross-entropy the entropy of the
    labels' mean (log 2 for balanced classes), for MSE the variance of the targets."""
    if loss == "mse":
        return float(np.var(y))
    p = float(np.mean(y))
    return 0.0 if p in (0.0, 1.0) else float(-(p * np.log(p) + (1 - p) * np.log(1 - p)))


def train(params, X, y, steps=100, **settings):
    """Train a copy of ``params`` for ``steps`` steps; returns (final parameters, history).

    ``settings`` are the Trainer's keyword arguments (lr, momentum, penalty, lam, ...).
    """
    allowed = [p.name for p in inspect.signature(Trainer).parameters.values() if p.kind == p.KEYWORD_ONLY]
    unknown = sorted(set(settings) - set(allowed))
    if unknown:
        raise ValueError(f"{unknown[0]}={checks.shown(settings[unknown[0]])} is not a setting of the Trainer; "
                         f"allowed: {', '.join(allowed)}")
    t = Trainer(params, X, y, **settings)
    t.step(steps)
    return t.current, t.history
