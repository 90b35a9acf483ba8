"""Explorers for notebook 07, initialisation: symmetry, many seeds at once, a deep stack.

- ``symmetry_explorer``: start from all-equal weights, nudge by ε, watch the hidden units
  stay twins (ε = 0) or separate.
- ``initialisation_explorer``: pick an initialiser and its scale; see each layer's
  activations and backprop signals at the start, and the loss curves of 20 seeds.
- ``deep_stack_explorer``: a 10-layer stack; the spread of activations and gradients
  layer by layer, and how many units are saturated, show them vanish, explode or stay put.

The experiments the figures show (``unit_gaps``, ``layer_signals``, ``symmetry_runs``,
``seed_runs``, ``DeepStack``) live in ``weightlab.experiments``. Each explorer keeps the
results of at most a few dozen settings (``SettingsCache``), the least recently used dropped first.
"""
import contextlib
import math
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import PowerNorm
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from .. import activations, checks, datasets, experiments, health, network
from ..plots import (OKABE_ITO, Histogram, centred_ylim, decade_axis, fit_ylim, plain_log_axis, power_of_ten,
                     thin_log_ticks)
from . import LABEL_STYLE, Explorer, dropdown, figure, slider, words

UNIT_COLOURS = (OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["black"])
UNIT_WIDTHS = (6.0, 3.5, 1.4)        # drawn widest first, so identical units show as nested stripes
UNIT_NAMES = ("h₁", "h₂", "h₃")      # hidden unit h_{j+1} is column j of W1 (code counts from 0, prose from 1)
ACT_COLOUR, GRAD_COLOUR = OKABE_ITO["blue"], OKABE_ITO["vermillion"]      # the deep stack's two series
SHOWN = OKABE_ITO["orange"]          # the seed shown: its histograms and its loss curve
SEED_GREY = "#999999"                # the family of all seeds, behind the one shown and the median
REFERENCE_GREY = "#555555"           # the coin-toss line, labelled where it is drawn

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
SEED_INITS = ("xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "normal", "uniform",
              "constant", "zeros")
DEEP_INITS = ("normal", "xavier_normal", "he_normal", "xavier_uniform", "he_uniform", "uniform")
SATURATED_MENTION = 0.2      # a layer with at least this share of saturated slopes is named in the status


class SettingsCache:
    """At most ``size`` results by key; a new one pushes out the least recently used."""

    def __init__(self, size):
        self.size = checks.integer("size", size, 1)
        self._items = OrderedDict()

    def get(self, key, compute):
        """The result for ``key``: computed by ``compute()`` on first use, then kept (while recently used)."""
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = self._items[key] = compute()
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def __len__(self):
        return len(self._items)

    def __contains__(self, key):
        return key in self._items


class _Resettable(Explorer):
    """An Explorer that remembers its controls' first values: ``reset()`` puts every one back."""

    CACHE_SIZE = 32

    def __init__(self, fig, controls, **kwargs):
        self.defaults = {k: w.value for k, w in controls.items() if hasattr(w, "value")}
        self.cache = SettingsCache(self.CACHE_SIZE)
        super().__init__(fig, controls, **kwargs)

    def reset(self):
        """Every control back to its first value (one redraw)."""
        return self.set(**self.defaults)


# --- Symmetry ---------------------------------------------------------------------------------
class SymmetryExplorer(_Resettable):
    """The three hidden units' weights over training from all-equal weights, nudged by ε (or not)."""

    EXPONENTS = np.arange(-8, 0)                       # ε = 1e-8 ... 1e-1
    TRIES = {"eps": (1e-8, 1e-4), "start": ("zeros", "constant 0.5"), "pattern": ("one", "every"),
             "no_nudge": (True,)}
    TRAINING_CONTROLS = ("start", "pattern")           # a new start or nudge trains every ε at once
    CACHE_SIZE = 4                                     # every start and nudge: 2 x 2

    def __init__(self, steps=600, lr=1.0, n=60, noise=0.1, seed=0):
        self.X, self.y = datasets.make("xor", n=n, noise=noise, seed=seed)
        self.steps, self.lr = steps, lr
        self.eps_values = np.concatenate([[0.0], 10.0 ** self.EXPONENTS])
        names = network.flat_names((2, 3, 1))
        self.iw = {(i, j): names.index(f"W1[{i},{j}]") for i in range(2) for j in range(3)}
        self.ow = [names.index(f"W2[{j},0]") for j in range(3)]
        fig = figure(9.5, 3.6)
        self.ax_in, self.ax_out, ax_gap = fig.subplots(1, 3)
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.15, top=0.86, wspace=0.32)
        self._build_weights()
        self._build_gap(ax_gap)
        for ax in (self.ax_in, self.ax_out, ax_gap):
            ax.set_xlabel("step")
            ax.set_xlim(0, steps)
            ax.set_xticks(np.linspace(0, steps, 4))
            ax.grid(alpha=0.3)
        for ax in (self.ax_in, self.ax_out):
            ax.yaxis.set_major_locator(MaxNLocator(5))
        ax_gap.set_yticks([1e-10, 1e-7, 1e-4, 1e-1])
        plain_log_axis(ax_gap.yaxis, power_of_ten)
        self.ax_out.legend(loc="upper left", fontsize=8)
        self.loss_text = fig.suptitle("", fontsize=10)
        controls = {
            "start": dropdown("start from", list(experiments.SYMMETRY_STARTS), "zeros"),
            "pattern": dropdown("nudge", [("one weight, W1[0,0]", "one"), ("every weight (random)", "every")],
                                "one"),
            "eps": slider("ε, size of the nudge (log scale)", -8, -1, 1e-4, step=1, log=True, readout_format=".0e"),
            "no_nudge": widgets.Checkbox(value=False, description="ε = 0 (no nudge at all)", style=LABEL_STYLE,
                                         indent=False),
        }
        super().__init__(fig, controls, title="Symmetry: identical hidden units stay identical")

    def _build_weights(self):
        """Incoming weights of each hidden unit (solid, dashed) and its outgoing weight, one colour and width per unit."""
        self.lines_in, self.lines_out = [], []
        for j in range(3):
            for i, ls in ((0, "-"), (1, "--")):
                self.lines_in.append(self.ax_in.plot([], [], ls, color=UNIT_COLOURS[j], lw=UNIT_WIDTHS[j],
                                                     alpha=0.85, label=UNIT_NAMES[j] if i == 0 else None)[0])
            self.lines_out.append(self.ax_out.plot([], [], color=UNIT_COLOURS[j], lw=UNIT_WIDTHS[j], alpha=0.85,
                                                   label=UNIT_NAMES[j])[0])
        self.ax_in.set_title("incoming weights, from x₁ (solid) and x₂ (dashed)", fontsize=9)
        self.ax_out.set_title("outgoing weight, to the output", fontsize=9)

    def _build_gap(self, ax_gap):
        (self.gap_line,) = ax_gap.plot([], [], color=OKABE_ITO["black"], lw=1.8)
        self.gap_text = ax_gap.text(0.5, 0.5, "", transform=ax_gap.transAxes, ha="center", va="center",
                                    fontsize=9, color=OKABE_ITO["vermillion"])
        ax_gap.set_yscale("log")
        ax_gap.set_ylim(1e-10, 1e1)
        ax_gap.set_title("largest gap between two units", fontsize=9)

    def runs(self, start, pattern):
        """The History of every ε for this start and nudge: trained on first use, then replayed."""
        return self.cache.get((start, pattern), lambda: experiments.symmetry_runs(
            start, pattern, self.eps_values, self.X, self.y, self.steps, self.lr))

    def update(self):
        v = self.values()
        eps_value = self.controls["eps"].value
        for name in ("eps", "pattern"):                  # with ε = 0 neither the size nor the pattern counts
            self.controls[name].disabled = v["no_nudge"]
        exps = self.EXPONENTS
        k = 0 if v["no_nudge"] else 1 + int(np.clip(round(math.log10(eps_value)) - exps[0], 0, len(exps) - 1))
        eps = self.eps_values[k]
        h = self.runs(v["start"], v["pattern"])
        steps_ = h.steps
        P = h.params[:, k]                                     # (T, 13)
        for j in range(3):
            for i in range(2):
                self.lines_in[2 * j + i].set_data(steps_, P[:, self.iw[(i, j)]])
            self.lines_out[j].set_data(steps_, P[:, self.ow[j]])
        centred_ylim(self.ax_in, P[:, [self.iw[key] for key in self.iw]])
        centred_ylim(self.ax_out, P[:, self.ow])
        gaps = experiments.unit_gaps(network.unflatten(P, (2, 3, 1)))      # (T, 3)
        pair_names = ["h₁ and h₂", "h₁ and h₃", "h₂ and h₃"]
        zero = [pn for pn, g in zip(pair_names, gaps.T) if not g.any()]
        largest = gaps.max(axis=1)
        self.gap_line.set_data(steps_, np.where(largest > 0, largest, np.nan))
        self.gap_text.set_text("gap exactly 0 at every step:\n" + "\n".join(zero) if zero else "")
        loss = float(h.loss[-1, k])
        self.loss_text.set_text(f"ε = {eps:.0e}: loss {loss:.3f} after {self.steps} steps" if eps else
                                f"ε = 0: loss {loss:.3f} after {self.steps} steps")
        message = _symmetry_words(v["start"], v["pattern"], eps, gaps, steps_, loss)
        return message


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
    who = "h₁ and the others" if pattern == "one" and twins else "the units"
    if not apart.size:
        return words(f"ε = {eps:.0e}: the gap between {who} grows, but slowly: after {total} steps they are "
                     f"still less than 0.01 apart, so the net still acts like a single hidden unit "
                     f"(loss {loss:.3f}).", "warn")
    when = "at once" if apart[0] == 0 else f"from step {steps[apart[0]]}"
    if pattern == "one" and twins:
        return words(f"ε = {eps:.0e} on W1[0,0] only: h₁ separates (more than 0.01 away {when}), but "
                     f"h₂ and h₃ stay identical twins: nothing told them apart. Loss {loss:.3f}.", "info")
    return words(f"ε = {eps:.0e}: the tiny difference grows step after step and the units become "
                 f"different feature detectors (more than 0.01 apart {when}). Loss {loss:.3f}.", "ok")


def symmetry_explorer(**settings):
    """Identical hidden units stay identical (settings: see ``SymmetryExplorer``)."""
    return SymmetryExplorer(**settings)


# --- Many seeds ---------------------------------------------------------------------------------
class InitialisationExplorer(_Resettable):
    """Initialiser, scale (log) and seed: per-layer histograms at the start and the loss curves of many seeds."""

    TRIES = {"init": ("xavier_normal", "he_normal", "normal", "zeros", "constant"), "scale": (0.01, 1.0, 10.0)}
    TRAINING_CONTROLS = ("init", "scale")              # a new initialiser or scale trains every seed
    CACHE_SIZE = 32                                    # settings kept (each ~0.1 MB): a long session stays small
    LOSS_CLIP = (1e-4, 1e3)                            # curves drawn within this range (the status gives the values)

    def __init__(self, sizes=(2, 8, 8, 1), seeds=20, steps=150, lr=0.5, n=40, noise=0.15):
        self.X, self.y = datasets.make("moons", n=n, noise=noise, seed=0)
        self.sizes, self.seeds, self.steps, self.lr = sizes, seeds, steps, lr
        self.hidden = len(sizes) - 2
        fig = figure(9.5, 4.6)
        gs = fig.add_gridspec(2, self.hidden + 1, width_ratios=[1] * self.hidden + [1.5], left=0.06, right=0.98,
                              bottom=0.1, top=0.88, wspace=0.3, hspace=0.65)
        self._build_histograms(fig, gs)
        self._build_loss(fig.add_subplot(gs[:, self.hidden]))
        self.head = fig.suptitle("", fontsize=10)
        controls = {
            "init": dropdown("initialiser", [(INIT_LABELS[k], k) for k in SEED_INITS], "xavier_normal"),
            "scale": slider("scale (log scale)", -2, 1, 1.0, step=0.25, log=True, continuous_update=False),
            "seed": slider("seed of the network shown", 0, seeds - 1, 0, integer=True),
        }
        super().__init__(fig, controls, title="Initialisation: one network's layers, and many seeds")

    def _build_histograms(self, fig, gs):
        """Per hidden layer: the activations (top) and the size of the backprop signals (bottom) at step 0."""
        self.act_bins, self.grad_bins = np.linspace(-1, 1, 26), np.linspace(-10, 2, 25)
        self.act_hists, self.grad_hists = [], []
        for l in range(self.hidden):
            ax = fig.add_subplot(gs[0, l])
            self.act_hists.append(Histogram(ax, self.act_bins, color=SHOWN))
            ax.set_xlim(-1.05, 1.05)
            ax.set_xticks([-1, 0, 1])
            ax.set_xlabel(f"activation a = tanh(z), layer {l + 1}", fontsize=8.5)
            ax.set_yticks([])
            ax = fig.add_subplot(gs[1, l])
            self.grad_hists.append(Histogram(ax, self.grad_bins, color=SHOWN))
            ax.set_xlim(self.grad_bins[0], self.grad_bins[-1])
            decade_axis(ax.xaxis, [-10, -5, 0, 2], lo=-10, hi=2)
            ax.tick_params(axis="x", labelsize=8)
            ax.set_xlabel(f"gradient |∂ℓ/∂z|, layer {l + 1} (log scale)", fontsize=8.5)
            ax.set_yticks([])

    def _build_loss(self, ax_loss):
        """The training loss of every seed (grey), the one shown (orange, like its histograms) and their median."""
        steps, seeds = self.steps, self.seeds
        self.curves = LineCollection([], colors=SEED_GREY, linewidths=0.9, alpha=0.7)
        ax_loss.add_collection(self.curves)
        (self.chosen,) = ax_loss.plot([], [], color=SHOWN, lw=2.4, label="the seed shown left")
        (self.median,) = ax_loss.plot([], [], color=OKABE_ITO["black"], lw=1.4, ls="--", label="median of the seeds")
        ax_loss.plot([], [], color=SEED_GREY, lw=0.9, label=f"each of {seeds} seeds")
        ax_loss.set_yscale("log")
        ax_loss.set_xlim(0, steps)
        ax_loss.set_xticks(np.linspace(0, steps, 4))
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("training loss (cross-entropy)")
        ax_loss.set_title(f"{seeds} seeds trained at once", fontsize=9)
        ax_loss.axhline(math.log(2), color=REFERENCE_GREY, lw=0.8, ls=":")
        self.coin = ax_loss.text(0.98 * steps, math.log(2) * 1.08, "log 2: a coin toss", ha="right", fontsize=7.5,
                                 color=REFERENCE_GREY)
        ax_loss.grid(alpha=0.3)
        ax_loss.legend(loc="lower left", fontsize=7.5)
        self.ax_loss = ax_loss

    def runs(self, init, scale):
        """(initial parameters, History) of every seed for this initialiser and scale, trained once."""
        key = (init, round(math.log10(scale), 3))
        return self.cache.get(key, lambda: experiments.seed_runs(init, scale, self.X, self.y, self.sizes, self.seeds,
                                                                 self.steps, self.lr))

    def update(self):
        init, k = self.controls["init"].value, self.controls["seed"].value
        scale = self.controls["scale"].value
        self.controls["scale"].disabled = init == "zeros"     # zeros has no scale
        params0, h = self.runs(init, scale)
        acts, deltas = experiments.layer_signals(network.member(params0, k), self.X, self.y)
        for l in range(self.hidden):
            self._show_layer(l, acts[l], deltas[l])
        loss = h.loss                                   # (T, seeds)
        t = h.steps
        shown = np.clip(loss, *self.LOSS_CLIP)
        self.curves.set_segments([np.column_stack([t, shown[:, s]]) for s in range(self.seeds)])
        self.chosen.set_data(t, shown[:, k])
        self.median.set_data(t, np.median(shown, axis=1))
        fit_ylim(self.ax_loss, shown, log=True, factor=1.6, floor=0.1, ceil=1.0)
        thin_log_ticks(self.ax_loss)
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        plain_log_axis(self.ax_loss.yaxis)
        scale_txt = "" if init == "zeros" else f", scale {scale:.2g}"
        self.head.set_text(f"{INIT_LABELS[init]}{scale_txt}; left: seed {k} at step 0")
        message = _seed_words(init, loss, h, self.steps)
        return message

    def _show_layer(self, l, a, delta):
        """Histograms and titles of hidden layer l+1: its activations and the size of its gradients."""
        self.act_hists[l].update(a)
        size = np.abs(delta)
        self.grad_hists[l].update(np.log10(np.where(size > 0, size, 10.0 ** self.grad_bins[0])))
        saturated = experiments.saturated_shares([a], "tanh")[0]
        self.act_hists[l].ax.set_title(f"std {plain(np.std(a))}, saturated (f′ < 0.05): {saturated:.0%}", fontsize=8.5)
        self.grad_hists[l].ax.set_title("all exactly 0" if not size.any() else
                                        f"std {plain(np.std(delta))}, below 10⁻⁶: {np.mean(size < 1e-6):.0%}",
                                        fontsize=8.5)


def _seed_words(init, loss, h, steps):
    final = loss[-1]
    if h.any_diverged:
        return words(f"Some seeds stopped: {h.reason}", "error")
    stuck = int(np.sum(final > 0.5))
    spread = f"median {np.median(final):.3g}, best {final.min():.3g}, worst {final.max():.3g}"
    same = np.ptp(final) < 1e-12
    if same:
        why = ("zeros has no randomness" if init == "zeros" else "every weight gets the same value")
        return words(f"All seeds give the same network ({why}): one curve, loss {final[0]:.3f} after "
                     f"{steps} steps. Its hidden units are all alike (see the symmetry experiment).", "warn")
    if np.all(np.abs(final - math.log(2)) < 0.005):
        return words(f"After {steps} steps every one of the {len(final)} seeds is still at log 2 ≈ 0.693, a coin "
                     "toss: they sit on the plateau.", "warn")
    kind = "ok" if stuck == 0 else "warn"
    return words(f"After {steps} steps: {spread}; {stuck} of {len(final)} seeds are still above 0.5.", kind)


def initialisation_explorer(**settings):
    """One network's layers at the start, and many seeds trained (settings: see ``InitialisationExplorer``)."""
    return InitialisationExplorer(**settings)


# --- A deep stack -----------------------------------------------------------------------------------
def log_sizes(values):
    """log10 |v| of the non-zero entries of each array (for histograms of sizes over many decades)."""
    out = []
    for v in values:
        a = np.abs(np.ravel(v))
        out.append(np.log10(a[(a > 0) & np.isfinite(a)]))
    return out


def row_histograms(values, bins):
    """One histogram per layer, each scaled to its own maximum (layers, bins - 1)."""
    rows = []
    for v in values:
        v = np.ravel(v)
        v = np.clip(v[np.isfinite(v)], bins[0], bins[-1])
        c, _ = np.histogram(v, bins)
        rows.append(c / max(c.max(), 1))
    return np.array(rows)


def plain(x, digits=2):
    """x with ``digits`` significant digits, in powers of ten when far from 1: 0.95, 2.6, 31, 6000, 1.4·10¹⁵."""
    a = abs(x)
    if not np.isfinite(x):
        return "beyond any number"
    if a == 0:
        return "0"
    if 1e-2 <= a < 1e4:
        return f"{float(f'{x:.{digits}g}'):.0f}" if a >= 10 ** digits else f"{x:#.{digits}g}".rstrip(".")
    k = int(math.floor(math.log10(a)))
    m = f"{x / 10 ** k:.{digits}g}"
    if m.lstrip("-") == "10":
        k, m = k + 1, m[:-1]
    exponent = power_of_ten(10.0 ** k)
    return exponent if m == "1" else "−" + exponent if m == "-1" else f"{m}·{exponent}"


def times(x):
    """×x in words: ×0.68, ×2.60, ×31, ×6000, ×1.4·10¹⁵, ×3·10⁻⁸ (three digits from 1 to 10)."""
    if not np.isfinite(x):
        return "beyond any number"
    return "×" + plain(x, 3 if 0.995 <= abs(x) < 9.995 else 2)


class DeepStackExplorer(_Resettable):
    """Histograms and std of activations and gradients, layer by layer, through a 10-layer stack."""

    TRIES = {"init": ("xavier_normal", "he_normal", "normal"), "activation": ("tanh", "relu", "sigmoid"),
             "scale": (10 ** -0.3, 1.0, 10 ** 0.3, 10.0)}     # the slider's 0.5 and 2 (its readout shows them so)
    TRAINING_CONTROLS = ()                                     # nothing trains: one forward and backward pass
    CACHE_SIZE = 64                                            # settings kept (each a few kB)

    def __init__(self, sizes=experiments.DEEP_SIZES, n=500, seed=0):
        self.sizes, self.n, self.seed = sizes, n, seed
        self.layers = len(sizes) - 2
        fig = figure(9.5, 3.9)
        ax_a, ax_g, self.ax_s = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 1.05]})
        fig.subplots_adjust(left=0.055, right=0.985, bottom=0.16, top=0.86, wspace=0.42)
        self._build_histograms(fig, ax_a, ax_g)
        self._build_stds(self.ax_s)
        self.head = fig.suptitle("", fontsize=10)
        controls = {
            "init": dropdown("initialiser", [(INIT_LABELS[k], k) for k in DEEP_INITS], "xavier_normal"),
            "activation": dropdown("activation", ["tanh", "relu", "sigmoid", "identity"], "tanh"),
            "scale": slider("scale (log scale)", -1, 1, 1.0, step=0.1, log=True),
        }
        super().__init__(fig, controls, title="A deep stack: do the signals survive 10 layers?")

    def _build_histograms(self, fig, ax_a, ax_g):
        """One row per layer: how many activations (left) and gradients (right) have each size |v| (log scale);
        for tanh and sigmoid, whose |a| never passes 1, each row's share of saturated slopes on the right."""
        layers = self.layers
        self.bins = bins = np.linspace(-15, 15, 61)
        ext = (bins[0], bins[-1], 0.5, layers + 0.5)
        self.images = []
        for ax, cmap, what in ((ax_a, "Blues", "activations |a|"), (ax_g, "Reds", "gradients |∂out/∂z|")):
            img = ax.imshow(np.zeros((layers, len(bins) - 1)), origin="lower", aspect="auto", cmap=cmap,
                            extent=ext, norm=PowerNorm(0.5, vmin=0, vmax=1), interpolation="nearest")
            self.images.append(img)
            ax.set_xlabel(f"size of the {what}", fontsize=9)
            ax.set_yticks([1, 5, layers], ["1", "5", str(layers)])
            decade_axis(ax.xaxis, [-15, 0, 15], lo=-15, hi=15)
            ax.set_xticks([-10, -5, 5, 10], minor=True)
            ax.tick_params(axis="x", labelsize=8)
            ax.axvline(0, color="#777", lw=0.6, ls=":")
            bar = fig.colorbar(img, ax=ax, fraction=0.06, pad=0.03, ticks=[0, 0.1, 0.25, 0.5, 1])
            bar.ax.tick_params(labelsize=7)
            bar.ax.minorticks_off()
            bar.set_label("values per bin (1 = the layer's fullest bin)", fontsize=7)
        self.img_a, self.img_g = self.images
        self.sat_texts = [ax_a.text(8, l, "", ha="center", va="center", fontsize=7, color="#333")
                          for l in range(1, layers + 1)]
        ax_a.set_ylabel("layer")
        ax_a.set_title("histogram per layer (forward →)", fontsize=9)
        ax_g.set_title("histogram per layer (backward ←)", fontsize=9)

    def _build_stds(self, ax_s):
        xs = np.arange(1, self.layers + 1)
        (self.s_act,) = ax_s.plot(xs, np.ones(self.layers), "o-", color=ACT_COLOUR, label="activations")
        (self.s_grad,) = ax_s.plot(xs, np.ones(self.layers), "s--", color=GRAD_COLOUR, label="gradients")
        ax_s.set_yscale("log")
        ax_s.set_xlabel("layer")
        ax_s.set_xticks(xs)
        ax_s.set_title("spread (std) per layer, log scale", fontsize=9)
        ax_s.grid(alpha=0.3)
        ax_s.legend(loc="upper center", fontsize=8, ncol=2, bbox_to_anchor=(0.5, 1.0), frameon=False)

    def summary(self, init, act, scale):
        """(histograms of activations and of gradients, their stds, share of zero activations, saturated share
        per layer (None for an unbounded activation), words), computed once per setting."""
        def compute():
            with _one_blas_thread():
                d = experiments.DeepStack(init, act, scale, self.sizes, self.n, self.seed)
            bounded = activations.info(act).hi is not None
            return (row_histograms(log_sizes(d.acts), self.bins), row_histograms(log_sizes(d.deltas), self.bins),
                    d.act_stds, d.grad_stds, d.zeros, d.saturated if bounded else None, _deep_words(d))
        return self.cache.get((init, act, round(math.log10(scale), 6)), compute)

    def update(self):
        init, act = self.controls["init"].value, self.controls["activation"].value
        scale = self.controls["scale"].value
        hist_a, hist_g, sa, sg, zeros, saturated, message = self.summary(init, act, scale)
        for text, share in zip(self.sat_texts, [None] * self.layers if saturated is None else saturated):
            text.set_text("" if share is None else f"{share:.0%} saturated")
        self.img_a.set_data(hist_a)
        self.img_g.set_data(hist_g)
        self.s_act.set_ydata(np.clip(sa, 1e-30, 1e30))
        self.s_grad.set_ydata(np.clip(sg, 1e-30, 1e30))
        both = np.concatenate([sa, sg])
        both = both[np.isfinite(both) & (both > 0)]
        lo, hi = (both.min(), both.max()) if both.size else (1.0, 1.0)
        top = max(hi, 10.0)
        self.ax_s.set_ylim(min(lo, 0.1) / 3, top * (top / min(lo, 0.1)) ** 0.25)     # headroom for the legend
        self.ax_s.yaxis.set_major_locator(LogLocator(numticks=5))
        self.ax_s.yaxis.set_minor_locator(NullLocator())       # minor ticks: many lines to draw, no label
        plain_log_axis(self.ax_s.yaxis, power_of_ten)
        extra = f"; {zeros:.0%} of the activations are exactly 0 (left out)" if zeros > 0.01 else ""
        self.head.set_text(f"{INIT_LABELS[init]} × {act}, scale {scale:.2g}" + extra)
        return message


def _one_blas_thread():
    """Numpy's BLAS on one thread while a deep stack is computed, if threadpoolctl is installed: for these
    small matrices (500 x 50) a second thread costs more than it gives (28 ms on one, 110-220 ms on two
    busy cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _deep_words(d):
    """The deep stack's diagnosis: spreads forward and back, saturated units, and what follows (HTML)."""
    sa, sg = d.act_stds, d.grad_stds
    if not (np.all(np.isfinite(sa)) and np.all(np.isfinite(sg))):
        return words("The numbers overflowed to inf or NaN somewhere in the stack: the signal exploded.", "error")
    fa, fg = d.forward, d.backward
    if not (np.isfinite(fa) and np.isfinite(fg)):
        return words("Every activation is exactly 0 somewhere in the stack: no signal gets through.", "error")
    L = len(sa)
    msg = (f"Per layer, the activations' spread changes {times(fa)} going forward and the gradients' {times(fg)} "
           f"going back ({times(d.over_stack(fa))} over layers 1→{L}, {times(d.over_stack(fg))} over layers "
           f"{L}→1). ")
    k = int(np.argmax(d.saturated))
    sat = (f"{d.saturated[k]:.0%} of layer {k + 1}'s slopes f′(z) are under {health.SATURATED_SLOPE:.0%} of their "
           "peak: saturated units, which pass back almost nothing. " if d.saturated[k] >= SATURATED_MENTION else "")
    grows = [n for n, f in (("activations", fa), ("gradients", fg)) if f > 1.25]
    shrinks = [n for n, f in (("activations", fa), ("gradients", fg)) if f < 0.8]
    why = ""
    if d.gain > 0 and (sat or abs(math.log(fg)) > math.log(1.25)):
        why = (f"Going back, each layer multiplies the gradients' spread by √(n_out·Var W) = {d.gain:.2g} (weights) "
               f"× rms f′ ≈ {d.predicted_backward / d.gain:.2g} (slopes): {times(d.predicted_backward)} predicted. ")
    if grows:
        despite = " Saturation does not stop them." if sat and "gradients" in grows else ""
        return words(msg + sat + why + f"The {' and the '.join(grows)} explode: the first layers would take far "
                     "too large steps." + despite, "error")
    if shrinks:
        return words(msg + sat + why + f"The {' and the '.join(shrinks)} vanish: the first layers get almost no "
                     "gradient and hardly learn.", "warn")
    if sat:
        return words(msg + sat + why + "The spreads stay about constant only because weights this large make up "
                     "for the flat slopes: not what an initialiser is designed for.", "warn")
    if max(abs(math.log(fa)), abs(math.log(fg))) > math.log(1.1):
        return words(msg + "Nearly flat: fine at this depth, a much deeper stack would drift.", "info")
    top = d.saturated.max()
    few = ("" if activations.info(d.activation).hi is None else " and no slope is saturated" if top == 0 else
           f" and at most {max(top, 0.01):.0%} of any layer's slopes are saturated")
    return words(msg + f"Both stay about constant{few}: what a good initialiser is designed for.", "ok")


def deep_stack_explorer(**settings):
    """Do the signals survive 10 layers? (settings: see ``DeepStackExplorer``)."""
    return DeepStackExplorer(**settings)
