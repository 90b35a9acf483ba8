"""The experiments the notebooks run, each a function that returns its results.

Explorers draw these results and tests check the notebooks' sentences against
them, so a number shown on a figure and the number a test asserts come from one
place. Every experiment is seeded: the same call gives the same numbers.

* notebook 05: ``lr_sweep`` (final loss per learning rate), ``Trajectory`` (one run, every step)
* notebook 07: ``nudge``, ``unit_vectors``, ``unit_gaps``, ``symmetry_runs``; ``layer_signals``,
  ``layer_stds``, ``seed_runs``, ``deep_stack_signals``, ``per_layer_factor``
* notebook 08: ``embed``, ``width_groups``, ``width_runs`` (a ``WidthRuns``), ``best_step``, ``loss_on``,
  ``stopped_on_validation``, ``learning_curves`` (a ``LearningCurves``)
* notebook 09: ``strength_grid``, ``sweep``, ``best_strength``, ``chosen_strength``
* notebook 10: ``run``
"""
import numpy as np

from . import checks, datasets, losses, network, problems
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
