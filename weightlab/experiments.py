"""The experiments the notebooks run, each a function that returns its results.

Explorers draw these results and tests check the notebooks' sentences against
them, so a number shown on a figure and the number a test asserts come from one
place. Every experiment is seeded: the same call gives the same numbers.

* notebook 05: ``lr_sweep`` (final loss per learning rate), ``Trajectory`` (one run, every step),
  ``sharpness_run`` (a run with λmax at every step), ``first_diverging`` (the smallest learning rate that diverges)
* notebook 07: ``nudge``, ``unit_vectors``, ``unit_gaps``, ``symmetry_runs``; ``layer_signals``,
  ``layer_stds``, ``seed_runs``, ``deep_stack_signals``, ``per_layer_factor``,
  ``saturated_shares``, ``rms_slopes``, ``weight_gain``, ``DeepStack``
* notebook 08: ``embed``, ``width_groups``, ``width_runs`` (a ``WidthRuns``), ``best_step``, ``loss_on``,
  ``stopped_on_validation``, ``learning_curves`` (a ``LearningCurves``)
* notebook 09: ``strength_grid``, ``sweep``, ``best_strength``, ``chosen_strength``
* notebook 10: ``run``
"""
import math

import numpy as np

from . import activations, checks, curvature, datasets, health, initializers, losses, network, problems
from .training import Trainer


# ---- notebook 05: the learning rate ----------------------------------------------------------
def lr_sweep(params, X, y, lrs, steps=100, loss="mse", activation="tanh"):
    """Train one copy of ``params`` per learning rate, all at once (population axis).

    Returns (final loss per lr, NaN where training diverged; step at which each diverged, -1 if not).
    """
    lrs = np.asarray(lrs, dtype=np.float64)
    pop = network.stack([params] * lrs.size)
    t = Trainer(pop, X, y, lr=lrs, loss=loss, activation=activation, record_params=False)
    t.step(steps)
    final = np.asarray(t.evaluate(), dtype=np.float64)
    diverged = t.history.diverged_step.copy()
    return np.where(diverged >= 0, np.nan, final), diverged


class Trajectory:
    """One training run with every step kept: ``params`` (T+1, n_params) and ``loss`` (T+1,) at steps 0..T.

    Row t holds the parameters before step t; the last row those after the last step (a
    diverged run ends at the step where it stopped). ``reason`` says why it stopped, or None.
    """

    def __init__(self, params, X, y, lr, steps, loss):
        t = Trainer(params, X, y, lr=lr, loss=loss)
        t.step(steps)
        h = self.history = t.history
        self.reason = h.reason
        self.params = h.params                          # (T, 13): before each step
        self.loss = np.asarray(h.loss, dtype=np.float64)
        if self.reason is None:                         # add the weights after the last step
            self.params = np.vstack([self.params, network.flatten(t.current)[None]])
            self.loss = np.append(self.loss, t.evaluate())
        self.steps = np.arange(len(self.loss))

    def weights(self, names):
        """The columns of the named parameters ('W1[0,0]', ...): (T+1, len(names))."""
        idx = [self.history.param_names.index(n) for n in names]
        return self.params[:, idx]


def sharpness_run(params, X, y, lr, steps, loss):
    """A ``Trajectory`` with ``run.sharpness`` (T+1,): λmax of the Hessian at every step (NaN once not finite)."""
    run = Trajectory(params, X, y, lr, steps, loss)
    run.sharpness = curvature.sharpness_along(run.params, X, y, network.sizes_of(params), loss=loss)
    return run


def first_diverging(params, X, y, lrs, steps=100, loss="mse"):
    """The smallest of ``lrs`` whose run diverges within ``steps`` steps (None if none does)."""
    lrs = np.sort(np.asarray(lrs, dtype=np.float64))
    _, diverged = lr_sweep(params, X, y, lrs, steps, loss)
    return float(lrs[diverged >= 0].min()) if (diverged >= 0).any() else None


# ---- notebook 07: symmetry ---------------------------------------------------------------------
SYMMETRY_STARTS = {"zeros": ("zeros", 1.0), "constant 0.5": ("constant", 0.5)}


def unit_vectors(params):
    """Each hidden unit of a one-hidden-layer net as one vector (W1[:, j], b1[j], W2[j, :]): (..., H, n)."""
    W1, b1, W2 = params["W1"], params["b1"], params["W2"]
    return np.concatenate([np.swapaxes(W1, -1, -2), b1[..., None], W2], axis=-1)


def unit_gaps(params):
    """max |θ_i - θ_j| over the weights of hidden units i < j: (..., pairs), pairs in order (0,1), (0,2), (1,2)..."""
    u = unit_vectors(params)
    H = u.shape[-2]
    return np.stack([np.abs(u[..., i, :] - u[..., j, :]).max(axis=-1)
                     for i in range(H) for j in range(i + 1, H)], axis=-1)


def nudge(params, eps, pattern="one", seed=1):
    """A copy of ``params`` with W1[0,0] += eps ('one') or every weight += eps * N(0, 1) ('every')."""
    checks.choice("pattern", pattern, ("one", "every"))
    out = network.copy(params)
    if pattern == "one":
        out["W1"][..., 0, 0] += eps
        return out
    rng = np.random.default_rng(seed)
    for k in sorted(out):
        if k.startswith("W"):
            out[k] = out[k] + eps * rng.standard_normal(out[k].shape[-2:])
    return out


def symmetry_runs(start="zeros", pattern="one", eps_values=(0.0, 1e-3), X=None, y=None,
                  steps=600, lr=1.0, record_every=2):
    """Train one 2-3-1 tanh network per ε, all started from ``start`` nudged by ε; returns the History.

    ``start`` is a key of ``SYMMETRY_STARTS``: every weight 0, or every weight 0.5.
    history.params has shape (T, len(eps_values), 13): every weight at every recorded step.
    """
    init, scale = SYMMETRY_STARTS[checks.choice("start", start, tuple(SYMMETRY_STARTS))]
    base = network.init_params(init=init, scale=scale)
    members = [nudge(base, float(e), pattern) for e in eps_values]
    t = Trainer(network.stack(members), X, y, lr=lr, record_every=record_every)
    t.step(steps)
    return t.history


# ---- notebook 07: signals through the layers -----------------------------------------------------
def layer_signals(params, X, y=None, activation="tanh", loss="bce"):
    """Forward and backward signals of every hidden layer, for one network or a population.

    Returns (acts, deltas): acts[l] = a_{l+1} = f(z_{l+1}) and deltas[l] = ∂ℓ_n/∂z_{l+1}, the
    per-sample gradient at the pre-activation of hidden layer l+1, by backpropagation
    δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ f'(z_l), starting from δ_L = ∂ℓ_n/∂z_L (the loss of sample n,
    or 1 when ``y`` is None: the gradient of the output itself).
    """
    z_out, cache = network.forward(params, X, activation)
    if y is None:
        delta = np.ones_like(z_out)
    else:
        delta = losses.get(loss)[1](z_out, y) * X.shape[0]     # per sample, not divided by N
    _, deltas = network.backward(params, cache, delta, deltas=True)
    return cache["a"][1:], deltas[:-1]


def layer_stds(values):
    """The standard deviation of each layer's values (over samples and units): list -> array (layers,)."""
    return np.array([float(np.std(v)) for v in values])


def seed_runs(init="xavier_normal", scale=1.0, X=None, y=None, sizes=(2, 8, 8, 1), seeds=20,
              steps=150, lr=0.5, record_every=5, activation="tanh"):
    """Train ``seeds`` networks (seeds 0, 1, ...) from one initialiser at once; returns (params0, History)."""
    params = network.init_params(sizes, init, scale, seed=0, population=seeds)
    t = Trainer(params, X, y, lr=lr, activation=activation, record_every=record_every, record_params=False)
    t.step(steps)
    return params, t.history


DEEP_SIZES = (2,) + (50,) * 10 + (1,)


def deep_stack_signals(init="xavier_normal", activation="tanh", scale=1.0, sizes=DEEP_SIZES, n=500, seed=0):
    """Activations and backprop signals of every hidden layer of a deep stack on standard-normal inputs."""
    X = np.random.default_rng(seed + 1000).standard_normal((n, sizes[0]))
    params = network.init_params(sizes, init, scale, seed=seed)
    with np.errstate(all="ignore"):
        return layer_signals(params, X, None, activation)


def per_layer_factor(stds):
    """The geometric-mean factor by which a std changes from one layer to the next: (s_last / s_first)^(1/(L-1))."""
    stds = np.asarray(stds, dtype=float)
    if len(stds) < 2 or not np.all(np.isfinite(stds)) or stds[0] <= 0 or stds[-1] <= 0:
        return float("nan")
    return float((stds[-1] / stds[0]) ** (1.0 / (len(stds) - 1)))


def saturated_shares(acts, activation):
    """Per layer, the share of slopes f'(z) below ``health.SATURATED_SLOPE`` of their peak, for a bounded f
    (tanh, sigmoid); 0 for an unbounded one (a ReLU's zeros are 'off', not saturated)."""
    info = activations.info(activation)
    if info.lo is None or info.hi is None:
        return np.zeros(len(acts))
    limit = health.SATURATED_SLOPE * info.max_slope
    with np.errstate(all="ignore"):
        return np.array([float(np.mean(info.slope(np.asarray(a)) < limit)) for a in acts])


def rms_slopes(acts, activation):
    """Per layer, the root-mean-square slope sqrt(E[f'(z)^2]), computed from the activations a = f(z)."""
    slope = activations.info(activation).slope
    with np.errstate(all="ignore"):
        return np.array([float(np.sqrt(np.mean(slope(np.asarray(a)) ** 2))) for a in acts])


def weight_gain(init, scale, sizes=DEEP_SIZES):
    """sqrt(n_out Var W) of the hidden-to-hidden layers (their geometric mean): the factor by which the
    weights alone change the spread of a gradient going back one layer."""
    pairs = list(zip(sizes[1:-2], sizes[2:-1]))
    if not pairs:
        raise ValueError(f"sizes={tuple(sizes)!r} is not allowed; allowed: at least two hidden layers")
    gains = [math.sqrt(fo * initializers.VARIANCE[initializers.check_name(init)](fi, fo, scale)) for fi, fo in pairs]
    return float(np.prod(gains) ** (1.0 / len(gains)))


class DeepStack:
    """What a deep stack shows at the start: ``acts``, ``deltas`` (per hidden layer), their stds
    ``act_stds`` and ``grad_stds``, the per-layer factors ``forward`` (activations, layer 1 -> L) and
    ``backward`` (gradients, layer L -> 1), ``saturated`` and ``rms_slope`` per layer, ``gain`` =
    sqrt(n_out Var W) and ``zeros``, the share of activations exactly 0.

    ``predicted_backward`` = gain x (geometric mean of the rms slopes of layers 1 .. L-1): going back one
    layer, delta_l = (delta_{l+1} W^T) * f'(z_l), so Var delta_l = n_out Var W E[f'(z_l)^2] Var delta_{l+1}.
    """

    def __init__(self, init="xavier_normal", activation="tanh", scale=1.0, sizes=DEEP_SIZES, n=500, seed=0):
        self.init, self.activation, self.scale = init, activation, scale
        self.acts, self.deltas = deep_stack_signals(init, activation, scale, sizes, n, seed)
        self.act_stds, self.grad_stds = layer_stds(self.acts), layer_stds(self.deltas)
        self.forward = per_layer_factor(self.act_stds)
        self.backward = per_layer_factor(self.grad_stds[::-1])
        self.saturated = saturated_shares(self.acts, activation)
        self.rms_slope = rms_slopes(self.acts, activation)
        self.gain = weight_gain(init, scale, sizes)
        self.zeros = float(np.mean([np.mean(np.asarray(a) == 0) for a in self.acts]))

    @property
    def predicted_backward(self):
        """gain x geometric mean of the rms slopes met going back (layers 1 .. L-1)."""
        r = self.rms_slope[:-1]
        if not np.all(np.isfinite(r)) or np.any(r <= 0):
            return 0.0 if np.all(np.isfinite(r)) else float("nan")
        return float(self.gain * np.exp(np.mean(np.log(r))))

    def over_stack(self, factor):
        """factor^(L-1): the change from layer 1 to layer L (or back) at this factor per layer."""
        return factor ** (len(self.act_stds) - 1)


# ---- notebook 08: width and overfitting --------------------------------------------------------
WIDTHS = (1, 2, 4, 8, 16, 32, 64)


def embed(params, width):
    """A (2, h, 1) network as a (2, width, 1) one whose extra hidden units have all-zero weights."""
    h = params["W1"].shape[-1]
    if width < h:
        raise ValueError(f"width={width!r} is not allowed; allowed: at least the network's own width {h}")
    out = {"W1": np.zeros((params["W1"].shape[0], width)), "b1": np.zeros(width),
           "W2": np.zeros((width, params["W2"].shape[1])), "b2": params["b2"].copy()}
    out["W1"][:, :h], out["b1"][:h], out["W2"][:h] = params["W1"], params["b1"], params["W2"]
    return out


class WidthRuns:
    """Training records of one network per width: steps (T,), loss and val_loss (T, widths),
    and ``params(t, k)``, the weights of network k at record t (its own width)."""

    def __init__(self, widths, steps, loss, val_loss, params):
        self.widths, self.steps, self.loss, self.val_loss = tuple(widths), steps, loss, val_loss
        self._params = params                       # per network: (T, n_params) embedded in its group

    def __len__(self):
        return len(self.steps)

    def params(self, t, k):
        """Network k at record t, as a (2, widths[k], 1) parameter dict."""
        theta = self._params[k][t]
        group = (len(theta) - 1) // 4
        full = network.unflatten(theta, (2, group, 1))
        h = self.widths[k]
        return {"W1": full["W1"][:, :h].copy(), "b1": full["b1"][:h].copy(),
                "W2": full["W2"][:h].copy(), "b2": full["b2"].copy()}


def width_groups(widths, small=8):
    """Widths trained together: all widths up to ``small`` in one population, the others in pairs."""
    ws = sorted(widths)
    groups = [[w for w in ws if w <= small]]
    big = [w for w in ws if w > small]
    groups += [big[i:i + 2] for i in range(0, len(big), 2)]
    return [g for g in groups if g]


# How notebook 08 trains every network: gradient descent with momentum (notebook 06), long enough
# for the wide networks to fit all their training points.
RECIPE = dict(steps=500, lr=0.5, momentum=0.9, record_every=10)
TRAIN_SIZES = (8, 16, 32, 64, 128, 256, 512)


def width_runs(data, widths=WIDTHS, steps=500, lr=0.5, record_every=10, seed=0, momentum=0.9):
    """Train one 2-h-1 tanh network per width h; returns a WidthRuns.

    Network k starts from ``init_params((2, widths[k], 1), seed=seed)`` and is trained exactly as it
    would be alone. Widths of a group train at once, embedded in the group's largest width (the
    extra hidden units are all 0 and stay 0: such a unit outputs tanh(0) = 0 and gets a
    gradient of exactly 0, so its velocity stays 0 too). Records run from step 0 to step ``steps``
    (the weights after the last step), every ``record_every`` steps.
    """
    loss, val, params, steps_ = {}, {}, {}, None
    for group in width_groups(widths):
        top = max(group)
        members = [embed(network.init_params((2, h, 1), seed=seed), top) for h in group]
        t = Trainer(network.stack(members), data.X, data.y, lr=lr, momentum=momentum, X_val=data.X_val,
                    y_val=data.y_val, record_every=record_every)
        t.step(steps + 1)           # the last record holds the weights after ``steps`` steps
        h = t.history
        steps_ = h.steps
        for i, w in enumerate(group):
            loss[w], val[w], params[w] = h.loss[:, i], h.val_loss[:, i], h.params[:, i]
    return WidthRuns(widths, steps_, np.column_stack([loss[w] for w in widths]),
                     np.column_stack([val[w] for w in widths]), [params[w] for w in widths])


def best_step(steps, val_losses):
    """The recorded step with the smallest validation loss (the best moment to stop)."""
    return int(np.asarray(steps)[int(np.nanargmin(val_losses))])


def loss_on(params, X, y):
    """Mean cross-entropy of a tanh network (or a population: one value each) on (X, y)."""
    z, _ = network.forward(params, X)
    return losses.bce(z, np.asarray(y, dtype=np.float64))


def stopped_on_validation(runs, k, data):
    """Early stopping of network k of a WidthRuns: (step, validation loss, test loss) at the record
    with the smallest validation loss. The step is chosen on validation only; the test set is
    looked at once, for the weights chosen."""
    t = int(np.nanargmin(runs.val_loss[:, k]))
    return int(runs.steps[t]), float(runs.val_loss[t, k]), float(loss_on(runs.params(t, k), data.X_test, data.y_test))


class LearningCurves:
    """``width_runs`` for every training-set size at one noise level.

    ``sizes`` (S,), ``widths`` (W,); ``data[n]`` and ``runs[n]`` per size n; ``final_loss`` and
    ``final_val`` (S, W): training and validation loss after the last recorded step;
    ``ratio`` (S, W): parameters per training point, (4h + 1) / n.
    """

    def __init__(self, sizes, widths, data, runs):
        self.sizes, self.widths, self.data, self.runs = tuple(sizes), tuple(widths), data, runs
        self.final_loss = np.array([runs[n].loss[-1] for n in self.sizes])
        self.final_val = np.array([runs[n].val_loss[-1] for n in self.sizes])
        params = np.array([network.n_parameters((2, h, 1)) for h in self.widths])
        self.ratio = params[None, :] / np.array(self.sizes, dtype=float)[:, None]


def learning_curves(noise=0.3, sizes=TRAIN_SIZES, widths=WIDTHS, seed=0, **recipe):
    """Train every width on every training-set size of ``problems.noisy_data(noise, n)``; a LearningCurves.

    The widths of one size train at once (``width_runs``); ``recipe`` changes ``RECIPE``."""
    settings = {**RECIPE, **recipe}
    data = {n: problems.noisy_data(noise, n) for n in sizes}
    runs = {n: width_runs(data[n], widths, seed=seed, **settings) for n in sizes}
    return LearningCurves(sizes, widths, data, runs)


def sample_average(noise=0.3, seeds=range(6), sizes=TRAIN_SIZES, widths=(1, 8, 64), **recipe):
    """Final training and validation loss averaged over samples of points (one data seed each):
    (mean final loss, mean final validation loss), each (sizes, widths). One sample is noisy;
    the average shows what does not depend on which points were drawn."""
    settings = {**RECIPE, **recipe}
    settings["record_every"] = settings["steps"]          # only the start and the end are needed
    train, val = [], []
    for seed in seeds:
        runs = [width_runs(problems.noisy_data(noise, n, seed=seed), widths, **settings) for n in sizes]
        train.append([r.loss[-1] for r in runs])
        val.append([r.val_loss[-1] for r in runs])
    return np.mean(train, axis=0), np.mean(val, axis=0)


# ---- notebook 09: the penalty strength ---------------------------------------------------------
def strength_grid(n=20, lo=-4, hi=0):
    """λ = 0 followed by n values log-spaced from 10**lo to 10**hi."""
    return np.concatenate([[0.0], np.logspace(lo, hi, n)])


def sweep(kind, lams, sizes=(2, 16, 1), lr=0.5, steps=1500, record_every=25, seed=0, data=None):
    """Train one network per λ at once (same initial weights, same data); returns the Trainer.

    ``data`` defaults to ``problems.noisy_moons()``. Its history holds training and
    validation loss, and the parameters, every ``record_every`` steps, with one column per λ.
    """
    d = problems.noisy_moons() if data is None else data
    lams = np.asarray(lams, dtype=np.float64)
    one = network.init_params(sizes, seed=seed)
    pop = {k: np.repeat(v[None], len(lams), axis=0) for k, v in one.items()}
    tr = Trainer(pop, d.X, d.y, lr=lr, penalty=kind, lam=lams, X_val=d.X_val, y_val=d.y_val,
                 record_every=record_every)
    tr.step(steps + 1)              # the last record holds the weights after ``steps`` steps
    return tr


def best_strength(lams, val_loss):
    """The λ with the smallest validation loss (diverged networks, NaN, are skipped), and its index."""
    val_loss = np.asarray(val_loss, dtype=np.float64)
    if not np.isfinite(val_loss).any():
        return None, None
    i = int(np.nanargmin(np.where(np.isfinite(val_loss), val_loss, np.nan)))
    return float(np.asarray(lams)[i]), i


def chosen_strength(run, lams, data):
    """λ chosen on validation at the last record of a ``sweep`` run, and reported once on test:
    (λ, its validation loss, the test loss of its network), or (None, nan, nan) if every network diverged.
    A network that diverged (and stopped) is never chosen."""
    h = run.history
    lam, i = best_strength(lams, np.where(h.diverged_step >= 0, np.nan, h.val_loss[-1]))
    if lam is None:
        return None, float("nan"), float("nan")
    chosen = network.member(network.unflatten(h.params[-1], run.sizes), i)
    return lam, float(h.val_loss[-1][i]), float(loss_on(chosen, data.X_test, data.y_test))


# ---- notebook 10: a run to monitor -------------------------------------------------------------
def run(lr=0.3, activation="tanh", scale=1.0, lam=0.0, steps=300, sizes=(2, 3, 1), dataset="moons",
        noise=0.15, n=120, seed=0, init="xavier_normal"):
    """Train one network with these settings (penalty L2 if lam > 0); returns (Trainer, (X, y))."""
    X, y = datasets.make(dataset, n, noise, seed)
    params = network.init_params(sizes, init=init, scale=scale, seed=seed)
    tr = Trainer(params, X, y, lr=lr, activation=activation, penalty="l2" if lam > 0 else "none", lam=lam)
    tr.step(steps)
    return tr, (X, y)


# ---- notebook 02: the best straight line ---------------------------------------------------------
def line_accuracy(X, y, w, b):
    """The share of points on their own side of the line w·x + b = 0 (class 1 where w·x + b > 0)."""
    z = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b
    return float(np.mean((z > 0) == (np.asarray(y) == 1)))


def best_line(X, y):
    """The straight line that classifies the most points: (accuracy, w (2,), b), by exhaustive search.

    A best line can always be turned and shifted until it passes through two of the points, so
    it is found among the lines through every pair (i, j), each with either side called class 1;
    a tiny turn then puts i and j on their own sides as well. O(N^3) arithmetic: fine for a few
    hundred points. The returned (w, b) reaches the returned accuracy (``line_accuracy``).
    """
    X = network.check_inputs(X)
    y1 = np.asarray(y) == 1
    n = len(X)
    if n < 3:
        raise ValueError(f"X has {n} points; allowed: at least 3 (a line through two of them, one more to judge)")
    best = (-1, 0, 1, 1.0)                                   # (points right, i, j, side)
    for i in range(n - 1):
        d = X[i + 1:] - X[i]                                  # (m, 2): the lines through i and each j > i
        normals = np.column_stack([-d[:, 1], d[:, 0]])
        z = (X - X[i]) @ normals.T                            # (n, m): which side each point is on
        z[i] = 0.0
        z[i + 1 + np.arange(len(d)), np.arange(len(d))] = 0.0
        right = ((z > 0) == y1[:, None]) & (z != 0)
        wrong_side = ((z < 0) == y1[:, None]) & (z != 0)
        for side, count in ((1.0, right.sum(axis=0)), (-1.0, wrong_side.sum(axis=0))):
            k = int(np.argmax(count))
            if count[k] > best[0]:
                best = (int(count[k]), i, i + 1 + k, side)
    _, i, j, side = best
    w, b = _tilted(X, y1, i, j, side)
    return line_accuracy(X, y, w, b), w, b


def _tilted(X, y1, i, j, side):
    """The line through points i and j (class 1 on ``side``), turned a little so i and j are right too."""
    d = X[j] - X[i]
    w = side * np.array([-d[1], d[0]])
    b = -w @ X[i]
    z = X @ w + b
    others = np.abs(np.delete(z, [i, j]))
    eta = 0.25 * float(others[others > 0].min()) if np.any(others > 0) else 1e-6
    # a change (dw, db) with z_i = ±eta and z_j = ±eta, each on its own side: smallest such change
    A = np.array([[X[i, 0], X[i, 1], 1.0], [X[j, 0], X[j, 1], 1.0]])
    target = eta * np.array([1.0 if y1[i] else -1.0, 1.0 if y1[j] else -1.0])
    delta = np.linalg.lstsq(A, target, rcond=None)[0]
    scale = min(1.0, 0.5 * eta / max(np.max(np.abs(X @ delta[:2] + delta[2])), 1e-300))
    # scaling keeps every other point's side (its z moves by less than eta / 2); i and j keep their sign
    return w + scale * delta[:2], float(b + scale * delta[2])


# ---- notebook 06: one example, a batch, the whole set; momentum --------------------------------
def per_example_grads(params, X, y, loss="mse", activation="tanh"):
    """The gradient of each example's own loss ℓ_n, one forward and backward pass per example:
    (N, n_params), rows in the order of ``network.flat_names``. Their mean is the full gradient ∇L."""
    _, lossgrad = losses.get(loss)
    rows = []
    for n in range(len(X)):
        z, cache = network.forward(params, X[n:n + 1], activation)
        rows.append(network.flatten(network.backward(params, cache, lossgrad(z, y[n:n + 1]))))
    return np.array(rows)


def spread_law(sigma, batch_sizes, n=None):
    """The RMS distance of a mean of B per-example gradients from the full gradient: σ/√B when the B
    examples are drawn with replacement; σ/√B · √((N − B)/(N − 1)) without (``n`` = N given)."""
    B = np.asarray(batch_sizes, dtype=np.float64)
    law = sigma / np.sqrt(B)
    return law if n is None else law * np.sqrt(np.clip((n - B) / (n - 1), 0.0, None))


def measured_spread(G, batch_size, batches=1000, seed=0):
    """sqrt(mean_k |g_k − g|²) over ``batches`` random batches of ``batch_size`` different examples:
    g_k the mean of the rows of G (per-example gradients, (N, d)) in batch k, g the mean of all rows."""
    N = len(G)
    B = checks.integer("batch_size", batch_size, 1, N)
    rng = np.random.default_rng(seed)
    idx = rng.permuted(np.tile(np.arange(N), (int(batches), 1)), axis=1)[:, :B]   # each row: B distinct examples
    d = G[idx].mean(axis=1) - G.mean(axis=0)
    return float(np.sqrt(np.mean(np.sum(d * d, axis=-1))))


class GradientNoise:
    """How far mini-batch gradients fall from the full gradient at one point: per-example gradients
    ``G`` (N, n_params), the full gradient ``g`` (their mean), its length, and σ, the RMS distance
    of one example's gradient from ``g``: σ² = 1/N Σ_n |∇ℓ_n − ∇L|²."""

    def __init__(self, params, X, y, loss="mse"):
        self.G = per_example_grads(params, X, y, loss)
        self.n = len(X)
        self.g = self.G.mean(axis=0)
        self.full_norm = float(np.linalg.norm(self.g))
        self.sigma = float(np.sqrt(np.mean(np.sum((self.G - self.g) ** 2, axis=1))))

    def measured(self, batch_sizes, batches=1000, seed=0):
        """The measured spread (``measured_spread``) for each batch size, the k-th drawn with seed + k:
        (len(batch_sizes),)."""
        return np.array([measured_spread(self.G, int(B), batches, seed + k) for k, B in enumerate(batch_sizes)])

    def law(self, batch_sizes, corrected=True):
        """σ/√B, times √((N − B)/(N − 1)) when ``corrected`` (batches of distinct examples)."""
        return spread_law(self.sigma, batch_sizes, self.n if corrected else None)


class Runs:
    """A population trained together with every step kept (see ``population_runs``).

    ``params`` (T+1, P, n_params): row t before step t, the last row after the last step;
    ``steps`` (T+1,) and ``epochs`` (T+1,) the step number and the passes through the data at
    each row. Network k stopped at ``diverged_step[k]`` (-1: it did not) for ``reasons[k]``.
    """

    def __init__(self, trainer):
        h, n, B = trainer.history, len(trainer.X), trainer.batch_size or len(trainer.X)
        self.X, self.y, self.loss_name = trainer.X, trainer.y, trainer.loss_name
        self.params = np.concatenate([h.params, network.flatten(trainer.current)[None]])
        self.steps = np.append(h.steps, trainer.t)
        per_epoch = -(-n // B)                                   # ⌈N / B⌉ steps, the last batch smaller
        seen = (trainer.t // per_epoch) * n + (trainer.t % per_epoch) * B
        self.epochs = np.append(h.epochs, seen / n)
        self.diverged_step = h.diverged_step.copy()
        self.reasons = list(h.reasons)
        self.param_names = h.param_names
        self._full = {}

    def end(self, k):
        """How many rows of network k to show: all, or up to the step at which it diverged."""
        d = int(self.diverged_step[k])
        return len(self.steps) if d < 0 else d + 1

    def full_loss(self, k):
        """The loss over all training examples at each row up to ``end(k)`` (cached)."""
        if k not in self._full:
            theta = self.params[:self.end(k), k]
            with np.errstate(all="ignore"):
                z, _ = network.forward(network.unflatten(theta), self.X)
                self._full[k] = losses.get(self.loss_name)[0](z, self.y)
        return self._full[k]

    def weights(self, k, names):
        """The named parameters of network k at each row up to ``end(k)``: (rows, len(names))."""
        return self.params[:self.end(k), k][:, [self.param_names.index(n) for n in names]]


def population_runs(params, X, y, steps, lr, momentum=0.0, batch_size=None, loss="mse", seed=0):
    """Train copies of ``params``, one per entry of ``lr`` and ``momentum`` (numbers or arrays of one
    length), at once for ``steps`` steps; mini-batches of ``batch_size`` drawn from ``seed`` (every
    network sees the same batches; None or N: the full batch, all examples in their order). Returns ``Runs``."""
    if batch_size is not None and batch_size == len(X):
        batch_size = None
    size = max(np.size(lr), np.size(momentum))
    lr, momentum = (np.broadcast_to(np.asarray(v, dtype=np.float64), (size,)).copy() for v in (lr, momentum))
    t = Trainer(network.stack([params] * size), X, y, lr=lr, momentum=momentum, loss=loss,
                batch_size=batch_size, seed=seed)
    t.step(steps)
    return Runs(t)


def steps_for(epochs, n, batch_size=None):
    """Steps in ``epochs`` passes through n examples: epochs · ⌈n / B⌉ (B = n for the full batch)."""
    return int(epochs) * -(-n // (n if batch_size is None else batch_size))
