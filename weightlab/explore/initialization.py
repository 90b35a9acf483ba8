"""Explorers for notebook 06, initialisation: symmetry, many seeds at once, a deep stack.

- ``symmetry_explorer``: start from all-equal weights, nudge by ε, watch the hidden units
  stay twins (ε = 0) or separate.
- ``initialisation_explorer``: pick an initialiser and its scale; see each layer's
  activations and backprop signals at the start, and the loss curves of 20 seeds.
- ``deep_stack_explorer``: a 10-layer stack; the spread of activations and gradients
  layer by layer shows them vanish, explode or stay put.

The maths the figures show lives in plain functions (``unit_gaps``, ``layer_signals``,
``layer_stds``, ``symmetry_runs``, ``seed_runs``), tested on their own.
"""
import math

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import PowerNorm
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from .. import datasets, losses, network
from ..plots import Histogram
from ..training import Trainer
from . import Explorer, dropdown, figure, slider, words

UNIT_COLOURS = ("#1b9e77", "#d95f02", "#7570b3")
UNIT_WIDTHS = (6.0, 3.5, 1.4)        # drawn widest first, so identical units show as nested stripes


def plain_log_axis(axis):
    """Label a log axis with plain numbers (0.1, 1e-06) and no minor labels: cheaper to draw than 10^x."""
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


INIT_LABELS = {
    "zeros": "zeros",
    "constant": "constant (W = scale)",
    "normal": "normal (σ = scale)",
    "uniform": "uniform (±scale)",
    "xavier_normal": "Xavier/Glorot normal",
    "xavier_uniform": "Xavier/Glorot uniform",
    "he_normal": "He/Kaiming normal",
    "he_uniform": "He/Kaiming uniform",
}


# --- Symmetry ---------------------------------------------------------------------------------

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
    out = network.copy(params)
    if pattern == "one":
        out["W1"][..., 0, 0] += eps
    elif pattern == "every":
        rng = np.random.default_rng(seed)
        for k in sorted(out):
            if k.startswith("W"):
                out[k] = out[k] + eps * rng.standard_normal(out[k].shape[-2:])
    else:
        raise ValueError(f"pattern={pattern!r} is not known; allowed: 'one', 'every'")
    return out


SYMMETRY_STARTS = {"zeros": ("zeros", 1.0), "constant 0.5": ("constant", 0.5)}


def symmetry_runs(start="zeros", pattern="one", eps_values=(0.0, 1e-3), X=None, y=None,
                  steps=600, lr=1.0, record_every=2):
    """Train one 2-3-1 tanh network per ε, all started from ``start`` nudged by ε; returns the History.

    history.params has shape (T, len(eps_values), 13): every weight at every recorded step.
    """
    init, scale = SYMMETRY_STARTS[start]
    base = network.init_params(init=init, scale=scale)
    members = [nudge(base, float(e), pattern) for e in eps_values]
    t = Trainer(network.stack(members), X, y, lr=lr, record_every=record_every)
    t.step(steps)
    return t.history


def symmetry_explorer(steps=600, lr=1.0, n=60, noise=0.1, seed=0):
    """The three hidden units' weights over training from all-equal weights, nudged by ε (or not)."""
    X, y = datasets.make("xor", n=n, noise=noise, seed=seed)
    exps = np.arange(-8, 0)                            # ε = 1e-8 ... 1e-1
    eps_values = np.concatenate([[0.0], 10.0 ** exps])
    cache = {}

    def runs(start, pattern):                          # trained on first use, then replayed
        if (start, pattern) not in cache:
            cache[(start, pattern)] = symmetry_runs(start, pattern, eps_values, X, y, steps, lr)
        return cache[(start, pattern)]

    names = network.flat_names((2, 3, 1))
    iw = {(i, j): names.index(f"W1[{i},{j}]") for i in range(2) for j in range(3)}
    ow = [names.index(f"W2[{j},0]") for j in range(3)]

    fig = figure(9.5, 3.6)
    ax_in, ax_out, ax_gap = fig.subplots(1, 3)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.15, top=0.86, wspace=0.32)
    lines_in, lines_out = [], []
    for j in range(3):
        for i, ls in ((0, "-"), (1, "--")):
            lines_in.append(ax_in.plot([], [], ls, color=UNIT_COLOURS[j], lw=UNIT_WIDTHS[j],
                                       alpha=0.85, label=f"unit {j}" if i == 0 else None)[0])
        lines_out.append(ax_out.plot([], [], color=UNIT_COLOURS[j], lw=UNIT_WIDTHS[j], alpha=0.85,
                                     label=f"unit {j}")[0])
    ax_in.set_title("incoming weights W1[0,j] (solid), W1[1,j] (dashed)", fontsize=9)
    ax_out.set_title("outgoing weights W2[j,0]", fontsize=9)
    pair_names = ["units 0 and 1", "units 0 and 2", "units 1 and 2"]
    (gap_line,) = ax_gap.plot([], [], color="#333", lw=1.8)
    gap_text = ax_gap.text(0.5, 0.5, "", transform=ax_gap.transAxes, ha="center", va="center",
                           fontsize=9, color="#b3261e")
    ax_gap.set_yscale("log")
    ax_gap.set_ylim(1e-10, 1e1)
    ax_gap.set_title("largest gap between two units", fontsize=9)
    for ax in (ax_in, ax_out, ax_gap):
        ax.set_xlabel("step")
        ax.set_xlim(0, steps)
        ax.set_xticks(np.linspace(0, steps, 4))
        ax.grid(alpha=0.3)
    for ax in (ax_in, ax_out):
        ax.yaxis.set_major_locator(MaxNLocator(5))
    ax_gap.set_yticks([1e-10, 1e-7, 1e-4, 1e-1])
    plain_log_axis(ax_gap.yaxis)
    ax_out.legend(loc="upper left", fontsize=8)
    loss_text = fig.suptitle("", fontsize=10)

    controls = {
        "start": dropdown("start from", list(SYMMETRY_STARTS), "zeros"),
        "pattern": dropdown("nudge", [("one weight, W1[0,0]", "one"), ("every weight (random)", "every")],
                            "one"),
        "eps": slider("ε, size of the nudge (log scale)", -8, -1, 1e-4, step=1, log=True, readout_format=".0e"),
        "no_nudge": _checkbox("ε = 0 (no nudge at all)", False),
    }

    def update():
        v = {k: c.value for k, c in controls.items()}
        k = 0 if v["no_nudge"] else 1 + int(np.clip(round(math.log10(v["eps"])) - exps[0], 0, len(exps) - 1))
        eps = eps_values[k]
        h = runs(v["start"], v["pattern"])
        steps_ = h.steps
        P = h.params[:, k]                                     # (T, 13)
        for j in range(3):
            for i in range(2):
                lines_in[2 * j + i].set_data(steps_, P[:, iw[(i, j)]])
            lines_out[j].set_data(steps_, P[:, ow[j]])
        _fit_y(ax_in, P[:, [iw[key] for key in iw]])
        _fit_y(ax_out, P[:, ow])
        gaps = unit_gaps(network.unflatten(P, (2, 3, 1)))      # (T, 3)
        zero = [pn for pn, g in zip(pair_names, gaps.T) if not g.any()]
        largest = gaps.max(axis=1)
        gap_line.set_data(steps_, np.where(largest > 0, largest, np.nan))
        gap_text.set_text("gap exactly 0 at every step:\n" + "\n".join(zero) if zero else "")
        loss = float(h.loss[-1, k])
        loss_text.set_text(f"ε = {eps:.0e}: loss {loss:.3f} after {steps} steps" if eps else
                           f"ε = 0: loss {loss:.3f} after {steps} steps")
        return _symmetry_words(v["start"], v["pattern"], eps, gaps, steps_, loss)

    return Explorer(fig, controls, update, title="Symmetry: identical hidden units stay identical")


def _symmetry_words(start, pattern, eps, gaps, steps, loss):
    if eps == 0:
        if start == "zeros":
            return words("ε = 0: the three hidden units are identical at every step. From all zeros, "
                         "tanh(0) = 0 and W2 = 0, so every hidden weight gets a gradient of exactly 0: "
                         f"only the output bias learns. Loss {loss:.3f} (log 2 ≈ 0.693 is a coin toss).", "warn")
        return words("ε = 0: the hidden units learn, but in lockstep: they get the same gradient at every "
                     "step, so they stay identical and the 2-3-1 net is no better than a 2-1-1 net "
                     f"(loss {loss:.3f}; XOR needs two different hidden units).", "warn")
    apart = np.flatnonzero(gaps.max(axis=1) > 0.01)
    total = steps[-1] + steps[1] - steps[0] if len(steps) > 1 else 1
    twins = not gaps[:, 2].any()
    who = "unit 0 and the others" if pattern == "one" and twins else "the units"
    if not apart.size:
        return words(f"ε = {eps:.0e}: the gap between {who} grows, but slowly: after {total} steps they are "
                     f"still less than 0.01 apart, so the net still acts like a single hidden unit "
                     f"(loss {loss:.3f}).", "warn")
    when = "at once" if apart[0] == 0 else f"from step {steps[apart[0]]}"
    if pattern == "one" and twins:
        return words(f"ε = {eps:.0e} on W1[0,0] only: unit 0 separates (more than 0.01 away {when}), but "
                     f"units 1 and 2 stay identical twins: nothing told them apart. Loss {loss:.3f}.", "info")
    return words(f"ε = {eps:.0e}: the tiny difference grows step after step and the units become "
                 f"different feature detectors (more than 0.01 apart {when}). Loss {loss:.3f}.", "ok")


def _checkbox(description, value):
    import ipywidgets as widgets
    from . import LABEL_STYLE
    return widgets.Checkbox(value=value, description=description, style=LABEL_STYLE, indent=False)


def _fit_y(ax, values, pad=0.08, least=0.1):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    lo, hi = (v.min(), v.max()) if v.size else (-1.0, 1.0)
    mid, half = (lo + hi) / 2, max((hi - lo) / 2, least)
    ax.set_ylim(mid - half * (1 + pad), mid + half * (1 + pad))


# --- Layer signals: activations forward, gradients backward --------------------------------------

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


SEED_INITS = ("xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "normal", "uniform",
              "constant", "zeros")


def seed_runs(init="xavier_normal", scale=1.0, X=None, y=None, sizes=(2, 8, 8, 1), seeds=20,
              steps=150, lr=0.5, record_every=5, activation="tanh"):
    """Train ``seeds`` networks (seeds 0, 1, ...) from one initialiser at once; returns (params0, History)."""
    params = network.init_params(sizes, init, scale, seed=0, population=seeds)
    t = Trainer(params, X, y, lr=lr, activation=activation, record_every=record_every, record_params=False)
    t.step(steps)
    return params, t.history


def initialisation_explorer(sizes=(2, 8, 8, 1), seeds=20, steps=150, lr=0.5, n=40, noise=0.15):
    """Initialiser, scale (log) and seed: per-layer histograms at the start and the loss curves of many seeds."""
    X, y = datasets.make("moons", n=n, noise=noise, seed=0)
    hidden = len(sizes) - 2
    cache = {}

    fig = figure(9.5, 4.6)
    gs = fig.add_gridspec(2, hidden + 1, width_ratios=[1] * hidden + [1.5], left=0.06, right=0.98,
                          bottom=0.1, top=0.88, wspace=0.3, hspace=0.65)
    act_bins = np.linspace(-1, 1, 26)
    grad_bins = np.linspace(-10, 1, 23)
    act_hists, grad_hists = [], []
    for l in range(hidden):
        ax = fig.add_subplot(gs[0, l])
        act_hists.append(Histogram(ax, act_bins, color="#2e6fba"))
        ax.set_xlim(-1.05, 1.05)
        ax.set_xticks([-1, 0, 1])
        ax.set_xlabel(f"activation a = tanh(z), layer {l + 1}", fontsize=8.5)
        ax.set_yticks([])
        ax = fig.add_subplot(gs[1, l])
        grad_hists.append(Histogram(ax, grad_bins, color="#c0392b"))
        ax.set_xlim(grad_bins[0], grad_bins[-1])
        ax.set_xticks([-10, -5, 0], ["≤−10", "−5", "0"])
        ax.set_xlabel(f"gradient log₁₀|∂ℓ/∂z|, layer {l + 1}", fontsize=8.5)
        ax.set_yticks([])
    ax_loss = fig.add_subplot(gs[:, hidden])
    curves = LineCollection([], colors="#999", linewidths=0.9, alpha=0.7)
    ax_loss.add_collection(curves)
    (chosen,) = ax_loss.plot([], [], color="#e67e22", lw=2.4, label="the seed shown left")
    (median,) = ax_loss.plot([], [], color="#111", lw=1.4, ls="--", label="median of the seeds")
    ax_loss.plot([], [], color="#999", lw=0.9, label=f"each of {seeds} seeds")
    ax_loss.set_yscale("log")
    plain_log_axis(ax_loss.yaxis)
    ax_loss.set_xlim(0, steps)
    ax_loss.set_xticks(np.linspace(0, steps, 4))
    ax_loss.set_ylim(0.01, 10)
    ax_loss.set_yticks([0.01, 0.1, 1, 10])
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("training loss (cross-entropy)")
    ax_loss.set_title(f"{seeds} seeds trained at once", fontsize=9)
    ax_loss.axhline(math.log(2), color="#b3261e", lw=0.8, ls=":")
    ax_loss.text(0.98 * steps, math.log(2) * 1.08, "log 2: a coin toss", ha="right", fontsize=7.5,
                 color="#b3261e")
    ax_loss.grid(alpha=0.3)
    ax_loss.legend(loc="lower left", fontsize=7.5)
    head = fig.suptitle("", fontsize=10)

    controls = {
        "init": dropdown("initialiser", [(INIT_LABELS[k], k) for k in SEED_INITS], "xavier_normal"),
        "scale": slider("scale (log scale)", -2, 1, 1.0, step=0.25, log=True),
        "seed": slider("seed of the network shown", 0, seeds - 1, 0, integer=True),
    }

    def runs(init, scale):
        key = (init, round(math.log10(scale), 3))
        if key not in cache:
            cache[key] = seed_runs(init, scale, X, y, sizes, seeds, steps, lr)
        return cache[key]

    def update():
        init, scale, k = controls["init"].value, controls["scale"].value, controls["seed"].value
        params0, h = runs(init, scale)
        member = network.member(params0, k)
        acts, deltas = layer_signals(member, X, y)
        for l in range(hidden):
            act_hists[l].update(acts[l])
            a = np.abs(deltas[l])
            logs = np.log10(np.where(a > 0, a, 10.0 ** grad_bins[0]))
            grad_hists[l].update(logs)
            act_hists[l].ax.set_title(f"std {np.std(acts[l]):.2g}, saturated (|a| > 0.99): "
                                      f"{np.mean(np.abs(acts[l]) > 0.99):.0%}", fontsize=8.5)
            grad_hists[l].ax.set_title("all exactly 0" if not a.any() else
                                       f"std {np.std(deltas[l]):.2g}, below 1e-6: {np.mean(a < 1e-6):.0%}",
                                       fontsize=8.5)
        loss = h.loss                                   # (T, seeds)
        t = h.steps
        curves.set_segments([np.column_stack([t, np.clip(loss[:, s], 1e-3, 1e3)]) for s in range(seeds)])
        chosen.set_data(t, np.clip(loss[:, k], 1e-3, 1e3))
        median.set_data(t, np.median(loss, axis=1))
        scale_txt = "" if init == "zeros" else f", scale {scale:.2g}"
        head.set_text(f"{INIT_LABELS[init]}{scale_txt}; left: seed {k} at step 0")
        return _seed_words(init, loss, h, steps)

    return Explorer(fig, controls, update, title="Initialisation: one network's layers, and many seeds")


def _seed_words(init, loss, h, steps):
    final = loss[-1]
    if h.any_diverged:
        return words(f"Some seeds stopped: {h.reason}", "error")
    stuck = int(np.sum(final > 0.5))
    spread = f"median {np.median(final):.3f}, best {final.min():.3f}, worst {final.max():.3f}"
    same = np.ptp(final) < 1e-12
    if same:
        why = ("zeros has no randomness" if init == "zeros" else "every weight gets the same value")
        return words(f"All seeds give the same network ({why}): one curve, loss {final[0]:.3f} after "
                     f"{steps} steps. Its hidden units are all alike (see the symmetry experiment).", "warn")
    kind = "ok" if stuck == 0 else "warn"
    return words(f"After {steps} steps: {spread}; {stuck} of {len(final)} seeds are still above 0.5.", kind)


# --- A deep stack -----------------------------------------------------------------------------------

DEEP_SIZES = (2,) + (50,) * 10 + (1,)


def deep_stack_signals(init="xavier_normal", activation="tanh", scale=1.0, sizes=DEEP_SIZES, n=500, seed=0):
    """Activations and backprop signals of every hidden layer of a deep stack on standard-normal inputs."""
    X = np.random.default_rng(seed + 1000).standard_normal((n, sizes[0]))
    params = network.init_params(sizes, init, scale, seed=seed)
    with np.errstate(all="ignore"):
        return layer_signals(params, X, None, activation)


DEEP_INITS = ("normal", "xavier_normal", "he_normal", "xavier_uniform", "he_uniform", "uniform")


def per_layer_factor(stds):
    """The geometric-mean factor by which a std changes from one layer to the next: (s_last / s_first)^(1/(L-1))."""
    stds = np.asarray(stds, dtype=float)
    if len(stds) < 2 or not np.all(np.isfinite(stds)) or stds[0] <= 0 or stds[-1] <= 0:
        return float("nan")
    return float((stds[-1] / stds[0]) ** (1.0 / (len(stds) - 1)))


def deep_stack_explorer(sizes=DEEP_SIZES, n=256, seed=0):
    """Histograms and std of activations and gradients, layer by layer, through a 10-layer stack."""
    layers = len(sizes) - 2
    fig = figure(9.5, 3.8)
    ax_a, ax_g, ax_s = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 1.1]})
    fig.subplots_adjust(left=0.05, right=0.985, bottom=0.15, top=0.86, wspace=0.3)
    bins = np.linspace(-15, 15, 61)
    ext = (bins[0], bins[-1], 0.5, layers + 0.5)
    norm_a, norm_g = PowerNorm(0.5, vmin=0, vmax=1), PowerNorm(0.5, vmin=0, vmax=1)
    img_a = ax_a.imshow(np.zeros((layers, len(bins) - 1)), origin="lower", aspect="auto", cmap="Blues",
                        extent=ext, norm=norm_a, interpolation="nearest")
    img_g = ax_g.imshow(np.zeros((layers, len(bins) - 1)), origin="lower", aspect="auto", cmap="Reds",
                        extent=ext, norm=norm_g, interpolation="nearest")
    ax_a.set_xlabel("size of the activations  log₁₀|a|")
    ax_g.set_xlabel("size of the gradients  log₁₀|∂out/∂z|")
    ax_a.set_ylabel("layer")
    for ax in (ax_a, ax_g):
        ax.set_yticks(range(1, layers + 1), [str(l) if ax is ax_a and l in (1, 5, 10) else ""
                                             for l in range(1, layers + 1)])
        ax.set_xticks([-10, 0, 10])
        ax.axvline(0, color="#777", lw=0.6, ls=":")
    ax_a.set_title("histogram per layer (forward →)", fontsize=9)
    ax_g.set_title("histogram per layer (backward ←)", fontsize=9)
    xs = np.arange(1, layers + 1)
    (s_act,) = ax_s.plot(xs, np.ones(layers), "o-", color="#2e6fba", label="activations a")
    (s_grad,) = ax_s.plot(xs, np.ones(layers), "s--", color="#c0392b", label="gradients ∂out/∂z")
    ax_s.set_yscale("log")
    plain_log_axis(ax_s.yaxis)
    ax_s.set_xlabel("layer")
    ax_s.set_xticks(xs)
    ax_s.set_title("std per layer (log scale): flat is healthy", fontsize=9)
    ax_s.grid(alpha=0.3)
    ax_s.legend(loc="upper center", fontsize=8, ncol=2, bbox_to_anchor=(0.5, 1.0), frameon=False)
    head = fig.suptitle("", fontsize=10)

    controls = {
        "init": dropdown("initialiser", [(INIT_LABELS[k], k) for k in DEEP_INITS], "xavier_normal"),
        "activation": dropdown("activation", ["tanh", "relu", "sigmoid", "identity"], "tanh"),
        "scale": slider("scale (log scale)", -1, 1, 1.0, step=0.1, log=True),
    }

    cache = {}

    def summary(init, act, scale):                     # computed once per setting, then replayed
        key = (init, act, round(math.log10(scale), 6))
        if key not in cache:
            acts, deltas = deep_stack_signals(init, act, scale, sizes, n, seed)
            cache[key] = (_row_histograms(_log_sizes(acts), bins), _row_histograms(_log_sizes(deltas), bins),
                          layer_stds(acts), layer_stds(deltas), np.mean([np.mean(a == 0) for a in acts]),
                          _deep_words(layer_stds(acts), layer_stds(deltas), acts, act))
        return cache[key]

    def update():
        init, act, scale = (controls[k].value for k in ("init", "activation", "scale"))
        hist_a, hist_g, sa, sg, zeros, message = summary(init, act, scale)
        img_a.set_data(hist_a)
        img_g.set_data(hist_g)
        s_act.set_ydata(np.clip(sa, 1e-30, 1e30))
        s_grad.set_ydata(np.clip(sg, 1e-30, 1e30))
        both = np.concatenate([sa, sg])
        both = both[np.isfinite(both) & (both > 0)]
        lo, hi = (both.min(), both.max()) if both.size else (1.0, 1.0)
        top = max(hi, 10.0)
        ax_s.set_ylim(min(lo, 0.1) / 3, top * (top / min(lo, 0.1)) ** 0.25)     # headroom for the legend
        ax_s.yaxis.set_major_locator(LogLocator(numticks=5))
        plain_log_axis(ax_s.yaxis)
        extra = f"; {zeros:.0%} of the activations are exactly 0 (left out)" if zeros > 0.01 else ""
        head.set_text(f"{INIT_LABELS[init]} × {act}, scale {scale:.2g}" + extra)
        return message

    return Explorer(fig, controls, update, title="A deep stack: do the signals survive 10 layers?")


def _log_sizes(values):
    """log10 |v| of the non-zero entries of each array."""
    out = []
    for v in values:
        a = np.abs(np.ravel(v))
        out.append(np.log10(a[(a > 0) & np.isfinite(a)]))
    return out


def _row_histograms(values, bins):
    """One histogram per layer, each scaled to its own maximum (layers, bins - 1)."""
    rows = []
    for v in values:
        v = np.ravel(v)
        v = np.clip(v[np.isfinite(v)], bins[0], bins[-1])
        c, _ = np.histogram(v, bins)
        rows.append(c / max(c.max(), 1))
    return np.array(rows)


def _deep_words(sa, sg, acts, act):
    if not (np.all(np.isfinite(sa)) and np.all(np.isfinite(sg))):
        return words("The numbers overflowed to inf or NaN somewhere in the stack: the signal exploded.", "error")
    fa, fg = per_layer_factor(sa), per_layer_factor(sg[::-1])
    if not (np.isfinite(fa) and np.isfinite(fg)):
        return words("Every activation is exactly 0 somewhere in the stack: no signal gets through.", "error")
    L = len(sa)
    msg = (f"Per layer, the spread of the activations changes ×{fa:.2f} going forward and that of the "
           f"gradients ×{fg:.2f} going back (×{fa ** (L - 1):.2g} and ×{fg ** (L - 1):.2g} over {L} layers).")
    saturated = np.mean(np.abs(acts[-1]) > 0.99) if act == "tanh" else 0.0
    sat = (f" {saturated:.0%} of the last layer's tanh units are saturated (|a| > 0.99), where f'(z) ≈ 0."
           if saturated > 0.3 else "")
    worst = max(abs(math.log(fa)), abs(math.log(fg)))
    if worst > math.log(1.25):
        if min(fa, fg) < 1 / 1.25 and max(fa, fg) <= 1.25:
            return words(msg + " They vanish: the first layers get almost no gradient and hardly learn." + sat,
                         "warn")
        return words(msg + " They explode: the first layers would take far too large steps." + sat, "error")
    if sat:
        return words(msg + sat, "warn")
    if worst > math.log(1.1):
        return words(msg + " Nearly flat: fine at this depth, a much deeper stack would drift.", "info")
    return words(msg + " Both stay about constant: what a good initialiser is designed for.", "ok")
