"""Explorers for notebook 07, initialisation: symmetry, many seeds at once, a deep stack.

- ``symmetry_explorer``: start from all-equal weights, nudge by ε, watch the hidden units
  stay twins (ε = 0) or separate.
- ``initialisation_explorer``: pick an initialiser and its scale; see each layer's
  activations and backprop signals at the start, and the loss curves of 20 seeds.
- ``deep_stack_explorer``: a 10-layer stack; the spread of activations and gradients
  layer by layer shows them vanish, explode or stay put.

The experiments the figures show (``unit_gaps``, ``layer_signals``, ``layer_stds``,
``symmetry_runs``, ``seed_runs``, ``deep_stack_signals``) live in ``weightlab.experiments``.
"""
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import PowerNorm
from matplotlib.ticker import LogLocator, MaxNLocator

from .. import datasets, experiments, network
from ..plots import Histogram, centred_ylim, plain_log_axis
from . import LABEL_STYLE, Explorer, dropdown, figure, slider, words

UNIT_COLOURS = ("#1b9e77", "#d95f02", "#7570b3")
UNIT_WIDTHS = (6.0, 3.5, 1.4)        # drawn widest first, so identical units show as nested stripes

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


# --- Symmetry ---------------------------------------------------------------------------------
class SymmetryExplorer(Explorer):
    """The three hidden units' weights over training from all-equal weights, nudged by ε (or not)."""

    EXPONENTS = np.arange(-8, 0)                       # ε = 1e-8 ... 1e-1

    def __init__(self, steps=600, lr=1.0, n=60, noise=0.1, seed=0):
        self.X, self.y = datasets.make("xor", n=n, noise=noise, seed=seed)
        self.steps, self.lr, self.cache = steps, lr, {}
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
        plain_log_axis(ax_gap.yaxis)
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
        """Incoming weights of each hidden unit (solid, dashed) and its outgoing weight, one colour per unit."""
        self.lines_in, self.lines_out = [], []
        for j in range(3):
            for i, ls in ((0, "-"), (1, "--")):
                self.lines_in.append(self.ax_in.plot([], [], ls, color=UNIT_COLOURS[j], lw=UNIT_WIDTHS[j],
                                                     alpha=0.85, label=f"unit {j}" if i == 0 else None)[0])
            self.lines_out.append(self.ax_out.plot([], [], color=UNIT_COLOURS[j], lw=UNIT_WIDTHS[j], alpha=0.85,
                                                   label=f"unit {j}")[0])
        self.ax_in.set_title("incoming weights W1[0,j] (solid), W1[1,j] (dashed)", fontsize=9)
        self.ax_out.set_title("outgoing weights W2[j,0]", fontsize=9)

    def _build_gap(self, ax_gap):
        (self.gap_line,) = ax_gap.plot([], [], color="#333", lw=1.8)
        self.gap_text = ax_gap.text(0.5, 0.5, "", transform=ax_gap.transAxes, ha="center", va="center",
                                    fontsize=9, color="#b3261e")
        ax_gap.set_yscale("log")
        ax_gap.set_ylim(1e-10, 1e1)
        ax_gap.set_title("largest gap between two units", fontsize=9)

    def runs(self, start, pattern):
        """The History of every ε for this start and nudge: trained on first use, then replayed."""
        if (start, pattern) not in self.cache:
            self.cache[(start, pattern)] = experiments.symmetry_runs(start, pattern, self.eps_values, self.X, self.y,
                                                                     self.steps, self.lr)
        return self.cache[(start, pattern)]

    def update(self):
        v = self.values()
        exps = self.EXPONENTS
        k = 0 if v["no_nudge"] else 1 + int(np.clip(round(math.log10(v["eps"])) - exps[0], 0, len(exps) - 1))
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
        pair_names = ["units 0 and 1", "units 0 and 2", "units 1 and 2"]
        zero = [pn for pn, g in zip(pair_names, gaps.T) if not g.any()]
        largest = gaps.max(axis=1)
        self.gap_line.set_data(steps_, np.where(largest > 0, largest, np.nan))
        self.gap_text.set_text("gap exactly 0 at every step:\n" + "\n".join(zero) if zero else "")
        loss = float(h.loss[-1, k])
        self.loss_text.set_text(f"ε = {eps:.0e}: loss {loss:.3f} after {self.steps} steps" if eps else
                                f"ε = 0: loss {loss:.3f} after {self.steps} steps")
        return _symmetry_words(v["start"], v["pattern"], eps, gaps, steps_, loss)


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


def symmetry_explorer(**settings):
    """Identical hidden units stay identical (settings: see ``SymmetryExplorer``)."""
    return SymmetryExplorer(**settings)


# --- Many seeds ---------------------------------------------------------------------------------
class InitialisationExplorer(Explorer):
    """Initialiser, scale (log) and seed: per-layer histograms at the start and the loss curves of many seeds."""

    def __init__(self, sizes=(2, 8, 8, 1), seeds=20, steps=150, lr=0.5, n=40, noise=0.15):
        self.X, self.y = datasets.make("moons", n=n, noise=noise, seed=0)
        self.sizes, self.seeds, self.steps, self.lr, self.cache = sizes, seeds, steps, lr, {}
        self.hidden = len(sizes) - 2
        fig = figure(9.5, 4.6)
        gs = fig.add_gridspec(2, self.hidden + 1, width_ratios=[1] * self.hidden + [1.5], left=0.06, right=0.98,
                              bottom=0.1, top=0.88, wspace=0.3, hspace=0.65)
        self._build_histograms(fig, gs)
        self._build_loss(fig.add_subplot(gs[:, self.hidden]))
        self.head = fig.suptitle("", fontsize=10)
        controls = {
            "init": dropdown("initialiser", [(INIT_LABELS[k], k) for k in SEED_INITS], "xavier_normal"),
            "scale": slider("scale (log scale)", -2, 1, 1.0, step=0.25, log=True),
            "seed": slider("seed of the network shown", 0, seeds - 1, 0, integer=True),
        }
        super().__init__(fig, controls, title="Initialisation: one network's layers, and many seeds")

    def _build_histograms(self, fig, gs):
        """Per hidden layer: the activations (top) and the size of the backprop signals (bottom) at step 0."""
        self.act_bins, self.grad_bins = np.linspace(-1, 1, 26), np.linspace(-10, 1, 23)
        self.act_hists, self.grad_hists = [], []
        for l in range(self.hidden):
            ax = fig.add_subplot(gs[0, l])
            self.act_hists.append(Histogram(ax, self.act_bins, color="#2e6fba"))
            ax.set_xlim(-1.05, 1.05)
            ax.set_xticks([-1, 0, 1])
            ax.set_xlabel(f"activation a = tanh(z), layer {l + 1}", fontsize=8.5)
            ax.set_yticks([])
            ax = fig.add_subplot(gs[1, l])
            self.grad_hists.append(Histogram(ax, self.grad_bins, color="#c0392b"))
            ax.set_xlim(self.grad_bins[0], self.grad_bins[-1])
            ax.set_xticks([-10, -5, 0], ["≤−10", "−5", "0"])
            ax.set_xlabel(f"gradient log₁₀|∂ℓ/∂z|, layer {l + 1}", fontsize=8.5)
            ax.set_yticks([])

    def _build_loss(self, ax_loss):
        """The training loss of every seed (grey), the one shown (orange) and their median (dashed)."""
        steps, seeds = self.steps, self.seeds
        self.curves = LineCollection([], colors="#999", linewidths=0.9, alpha=0.7)
        ax_loss.add_collection(self.curves)
        (self.chosen,) = ax_loss.plot([], [], color="#e67e22", lw=2.4, label="the seed shown left")
        (self.median,) = ax_loss.plot([], [], color="#111", lw=1.4, ls="--", label="median of the seeds")
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

    def runs(self, init, scale):
        """(initial parameters, History) of every seed for this initialiser and scale, trained once."""
        key = (init, round(math.log10(scale), 3))
        if key not in self.cache:
            self.cache[key] = experiments.seed_runs(init, scale, self.X, self.y, self.sizes, self.seeds,
                                                    self.steps, self.lr)
        return self.cache[key]

    def update(self):
        init, scale, k = (self.controls[name].value for name in ("init", "scale", "seed"))
        params0, h = self.runs(init, scale)
        acts, deltas = experiments.layer_signals(network.member(params0, k), self.X, self.y)
        for l in range(self.hidden):
            self.act_hists[l].update(acts[l])
            a = np.abs(deltas[l])
            self.grad_hists[l].update(np.log10(np.where(a > 0, a, 10.0 ** self.grad_bins[0])))
            self.act_hists[l].ax.set_title(f"std {np.std(acts[l]):.2g}, saturated (|a| > 0.99): "
                                           f"{np.mean(np.abs(acts[l]) > 0.99):.0%}", fontsize=8.5)
            self.grad_hists[l].ax.set_title("all exactly 0" if not a.any() else
                                            f"std {np.std(deltas[l]):.2g}, below 1e-6: {np.mean(a < 1e-6):.0%}",
                                            fontsize=8.5)
        loss = h.loss                                   # (T, seeds)
        t = h.steps
        self.curves.set_segments([np.column_stack([t, np.clip(loss[:, s], 1e-3, 1e3)]) for s in range(self.seeds)])
        self.chosen.set_data(t, np.clip(loss[:, k], 1e-3, 1e3))
        self.median.set_data(t, np.median(loss, axis=1))
        scale_txt = "" if init == "zeros" else f", scale {scale:.2g}"
        self.head.set_text(f"{INIT_LABELS[init]}{scale_txt}; left: seed {k} at step 0")
        return _seed_words(init, loss, h, self.steps)


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


class DeepStackExplorer(Explorer):
    """Histograms and std of activations and gradients, layer by layer, through a 10-layer stack."""

    def __init__(self, sizes=experiments.DEEP_SIZES, n=256, seed=0):
        self.sizes, self.n, self.seed, self.cache = sizes, n, seed, {}
        self.layers = len(sizes) - 2
        fig = figure(9.5, 3.8)
        ax_a, ax_g, self.ax_s = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 1.1]})
        fig.subplots_adjust(left=0.05, right=0.985, bottom=0.15, top=0.86, wspace=0.3)
        self._build_histograms(ax_a, ax_g)
        self._build_stds(self.ax_s)
        self.head = fig.suptitle("", fontsize=10)
        controls = {
            "init": dropdown("initialiser", [(INIT_LABELS[k], k) for k in DEEP_INITS], "xavier_normal"),
            "activation": dropdown("activation", ["tanh", "relu", "sigmoid", "identity"], "tanh"),
            "scale": slider("scale (log scale)", -1, 1, 1.0, step=0.1, log=True),
        }
        super().__init__(fig, controls, title="A deep stack: do the signals survive 10 layers?")

    def _build_histograms(self, ax_a, ax_g):
        """One row per layer: how many activations (left) and gradients (right) have each size log₁₀|v|."""
        layers = self.layers
        self.bins = bins = np.linspace(-15, 15, 61)
        ext = (bins[0], bins[-1], 0.5, layers + 0.5)
        norm_a, norm_g = PowerNorm(0.5, vmin=0, vmax=1), PowerNorm(0.5, vmin=0, vmax=1)
        self.img_a = ax_a.imshow(np.zeros((layers, len(bins) - 1)), origin="lower", aspect="auto", cmap="Blues",
                                 extent=ext, norm=norm_a, interpolation="nearest")
        self.img_g = ax_g.imshow(np.zeros((layers, len(bins) - 1)), origin="lower", aspect="auto", cmap="Reds",
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

    def _build_stds(self, ax_s):
        xs = np.arange(1, self.layers + 1)
        (self.s_act,) = ax_s.plot(xs, np.ones(self.layers), "o-", color="#2e6fba", label="activations a")
        (self.s_grad,) = ax_s.plot(xs, np.ones(self.layers), "s--", color="#c0392b", label="gradients ∂out/∂z")
        ax_s.set_yscale("log")
        plain_log_axis(ax_s.yaxis)
        ax_s.set_xlabel("layer")
        ax_s.set_xticks(xs)
        ax_s.set_title("std per layer (log scale): flat is healthy", fontsize=9)
        ax_s.grid(alpha=0.3)
        ax_s.legend(loc="upper center", fontsize=8, ncol=2, bbox_to_anchor=(0.5, 1.0), frameon=False)

    def summary(self, init, act, scale):
        """(histograms of activations and of gradients, their stds, share of zero activations, words), once."""
        key = (init, act, round(math.log10(scale), 6))
        if key not in self.cache:
            acts, deltas = experiments.deep_stack_signals(init, act, scale, self.sizes, self.n, self.seed)
            sa, sg = experiments.layer_stds(acts), experiments.layer_stds(deltas)
            self.cache[key] = (row_histograms(log_sizes(acts), self.bins), row_histograms(log_sizes(deltas), self.bins),
                               sa, sg, np.mean([np.mean(a == 0) for a in acts]), _deep_words(sa, sg, acts, act))
        return self.cache[key]

    def update(self):
        init, act, scale = (self.controls[k].value for k in ("init", "activation", "scale"))
        hist_a, hist_g, sa, sg, zeros, message = self.summary(init, act, scale)
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
        plain_log_axis(self.ax_s.yaxis)
        extra = f"; {zeros:.0%} of the activations are exactly 0 (left out)" if zeros > 0.01 else ""
        self.head.set_text(f"{INIT_LABELS[init]} × {act}, scale {scale:.2g}" + extra)
        return message


def _deep_words(sa, sg, acts, act):
    if not (np.all(np.isfinite(sa)) and np.all(np.isfinite(sg))):
        return words("The numbers overflowed to inf or NaN somewhere in the stack: the signal exploded.", "error")
    fa, fg = experiments.per_layer_factor(sa), experiments.per_layer_factor(sg[::-1])
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


def deep_stack_explorer(**settings):
    """Do the signals survive 10 layers? (settings: see ``DeepStackExplorer``)."""
    return DeepStackExplorer(**settings)
