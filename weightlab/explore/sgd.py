"""Notebook 06: one example, a batch, the whole set; momentum.

Three explorers: ``sgd_explorer`` (the batch size: loss against epochs and against steps, the
path on the loss surface, the noise of the gradient estimate), ``bowl_momentum_explorer``
(momentum on the two-weight bowl) and ``momentum_explorer`` (momentum on the real network).
"""
import collections

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, LogLocator, MaxNLocator, NullLocator

from .. import experiments, explore, landscape, losses, problems, quadratic
from ..plots import OKABE_ITO, fit_ylim, plain_log_axis, short_number, thin_log_ticks
from .loss import LossMap

EPOCHS = 20                                   # every batch size trains for this many passes through the data
LR_EXPONENTS = np.arange(-20, 1) / 10         # the learning rates 10^-2, 10^-1.9, ..., 10^0 (one population)
PATH = ("W2[1,0]", "b2[0]")                   # the two weights whose path is drawn (as in notebook 05)
MAP_HALF_WIDTH = 1.2
NOISE_SIZES = (1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 99)
NOISE_BATCHES = 2000                          # random batches per measured spread
PRECOMPUTED = (1, 2, 3)                       # the batch sizes with the most steps, trained when built
MINI, FULL = OKABE_ITO["vermillion"], "#555555"


def reset_button(explorer):
    """A 'reset' button under the controls that puts every control back to where it started."""
    button = widgets.Button(description="reset", tooltip="every control back to its first value")
    button.on_click(lambda _: explorer.reset())
    explorer.add_row(button)
    return button


def lr_index(value):
    """The index in ``LR_EXPONENTS`` of the learning rate nearest to ``value`` (on a log scale)."""
    v = float(value) if np.isfinite(value) and value > 0 else 0.1
    return int(np.clip(np.round(10 * np.log10(v)) + 20, 0, len(LR_EXPONENTS) - 1))


def loss_words(value):
    """'reached 92.4' for a number, 'became inf' or 'became NaN' for the others."""
    if np.isfinite(value):
        return f"reached {value:.3g}"
    return f"became {'NaN' if np.isnan(value) else 'inf'}"


def batch_words(n, B):
    """'10 steps per epoch' and the sizes of its batches, in words."""
    steps = -(-n // B)
    if B == n:
        return "1 step per epoch (the full batch: all examples in every step)"
    if n % B == 0:
        return f"{steps} steps per epoch (batches of {B})"
    whole = f"{steps - 1} batches of {B}" if steps > 2 else f"one batch of {B}"
    return f"{steps} steps per epoch ({whole} and a last one of {n % B})"


class SGDExplorer(explore.Explorer):
    """Mini-batch gradient descent on the 2-3-1 net of notebook 05 for ``EPOCHS`` epochs: the loss on
    all training examples against epochs and against steps (the full batch in grey), the path of
    two weights on the loss surface, and the spread of mini-batch gradients against 1/√B.

    Each batch size trains every learning rate of ``LR_EXPONENTS`` at once (one population, the
    same batches); the runs of the last ``cache_size`` batch sizes are kept.
    """

    TRIES = {"batch_size": (1, 10, 30, 50, 99, 100), "lr": (0.1, 10 ** -0.5, 10 ** -0.4, 10 ** -0.2)}
    TRAINING_CONTROLS = ("batch_size", "lr")

    def __init__(self, batch_size=10, lr=0.1, problem=None, cache_size=8):
        self.params, self.X, self.y, self.loss = problem if problem is not None else problems.descent_problem()
        self.n, self.lrs = len(self.X), 10.0 ** LR_EXPONENTS
        self.cache_size, self.runs = cache_size, collections.OrderedDict()
        self.noise = experiments.GradientNoise(self.params, self.X, self.y, self.loss)
        self.sizes = np.array([B for B in NOISE_SIZES if B < self.n])
        self.spread = self.noise.measured(self.sizes, NOISE_BATCHES)
        self.spreads = {}                             # batch size -> measured spread (at most N numbers)
        self.full = experiments.population_runs(self.params, self.X, self.y, experiments.steps_for(EPOCHS, self.n, 1),
                                                self.lrs, loss=self.loss)
        for B in PRECOMPUTED:
            self._runs(B)
        self.defaults = {"batch_size": batch_size, "lr": lr}
        self._build_figure()
        controls = {
            "batch_size": explore.slider("batch size B", 1, self.n, batch_size, integer=True, continuous_update=False),
            "lr": explore.slider("learning rate (log scale)", -2, 0, lr, step=0.1, log=True, readout_format=".3g",
                                 continuous_update=False),
        }
        super().__init__(self.fig, controls, title="One example, a batch, the whole set", columns=2)
        reset_button(self)

    def reset(self):
        """Every control back to its first value."""
        return self.set(**self.defaults)

    def _runs(self, B):
        """The population of every learning rate trained with batch size B (cached, at most ``cache_size``)."""
        if B not in self.runs:
            self.runs[B] = experiments.population_runs(self.params, self.X, self.y,
                                                       experiments.steps_for(EPOCHS, self.n, B), self.lrs,
                                                       batch_size=B, loss=self.loss)
            while len(self.runs) > self.cache_size:
                old = next(b for b in self.runs if b not in PRECOMPUTED)
                del self.runs[old]
        self.runs.move_to_end(B)
        return self.runs[B]

    def _build_figure(self):
        fig = self.fig = explore.figure(9.6, 6.6)
        self.ax_e = fig.add_axes([0.08, 0.58, 0.37, 0.34])
        self.ax_s = fig.add_axes([0.58, 0.58, 0.37, 0.34])
        self.ax_p = fig.add_axes([0.08, 0.08, 0.37, 0.36])
        self.ax_n = fig.add_axes([0.58, 0.08, 0.37, 0.36])
        self.lines = {}
        for ax, key, xlabel in ((self.ax_e, "e", "epochs (passes through the data)"), (self.ax_s, "s", "steps")):
            self.lines[key + "full"] = ax.plot([], [], color=FULL, lw=1.4, ls="--", label="full batch", zorder=3)[0]
            self.lines[key + "mini"] = ax.plot([], [], color=MINI, lw=1.0, label="batch size B")[0]
            ax.set_yscale("log")
            ax.set_xlabel(xlabel, fontsize=9)
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        self.ax_e.set_ylabel("loss on all examples")
        self.ax_e.legend(fontsize=8, loc="upper right", frameon=False)
        self.ax_e.set_title(f"against epochs ({EPOCHS} for every B)", fontsize=10, y=1.0)
        self._build_map()
        self._build_noise()

    def _build_map(self):
        ax = _loss_map(self)
        self.lines["pfull"] = ax.plot([], [], color="white", lw=1.4, ls="--", zorder=4)[0]
        self.lines["pmini"] = ax.plot([], [], color=MINI, lw=0.9, zorder=4, gid="path")[0]

    def _build_noise(self):
        ax, noise = self.ax_n, self.noise
        B = np.geomspace(1, self.n - 0.05, 200)
        ax.plot(B, noise.law(B, corrected=False), color=OKABE_ITO["blue"], lw=1.4, ls="--", label="σ/√B")
        ax.plot(B, noise.law(B), color=OKABE_ITO["orange"], lw=1.6, label="σ/√B · √((N−B)/(N−1))")
        ax.plot(self.sizes, self.spread, "o", color="black", ms=4, label=f"measured ({NOISE_BATCHES} batches each)")
        ax.axhline(noise.full_norm, color="#777", lw=1, ls=":")
        ax.text(self.n * 1.15, noise.full_norm * 1.08, f"length of the full gradient |∇L| = {noise.full_norm:.2f}",
                fontsize=7, color="#555", va="bottom", ha="right")
        self.now_noise = ax.plot([], [], "o", color=MINI, mec="black", ms=8, zorder=5)[0]
        self.now_line = ax.axvline(1, color=MINI, lw=1, alpha=0.7)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(0.8, self.n * 1.25)
        ax.set_ylim(noise.law(self.n - 1) / 2, max(noise.sigma, noise.full_norm) * 2.2)
        ax.xaxis.set_major_locator(FixedLocator([1, 2, 5, 10, 20, 50, 100]))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_locator(NullLocator())
        plain_log_axis(ax.xaxis)
        plain_log_axis(ax.yaxis)
        ax.set_xlabel("batch size B", fontsize=9)
        ax.set_ylabel("RMS distance from ∇L")
        ax.set_title("gradient noise at the start", fontsize=10, y=1.0)
        ax.grid(alpha=0.3, which="major")
        ax.legend(fontsize=7, loc="lower left", frameon=False)

    def update(self):
        B = int(self.controls["batch_size"].value)
        k = lr_index(self.controls["lr"].value)
        run, full = self._runs(B), self.full
        L, Lfull = run.full_loss(k), full.full_loss(k)
        T = len(L)
        self._draw_curves(B, run, full, k, L, Lfull)
        self._draw_path(run, full, k, T)
        spread = self._spread(B)
        self.now_noise.set_data([B], [spread] if spread > 0 else [np.nan])
        self.now_line.set_xdata([B, B])
        return self._status(B, k, run, L, Lfull, spread)

    def _spread(self, B):
        """The measured spread of batch gradients of size B at the start (0 for the full batch), kept once measured."""
        if B not in self.spreads:
            self.spreads[B] = experiments.measured_spread(self.noise.G, B, NOISE_BATCHES) if B < self.n else 0.0
        return self.spreads[B]

    def _draw_curves(self, B, run, full, k, L, Lfull):
        T = len(L)
        first = min(full.end(k), EPOCHS + 1)            # the full batch takes one step per epoch
        self.lines["efull"].set_data(full.epochs[:first], Lfull[:first])
        self.lines["emini"].set_data(run.epochs[:T], L)
        steps_shown = min(len(Lfull), len(run.steps))
        self.lines["sfull"].set_data(full.steps[:steps_shown], Lfull[:steps_shown])
        self.lines["smini"].set_data(run.steps[:T], L)
        values = np.concatenate([L, Lfull[:max(first, steps_shown)]])
        for ax in (self.ax_e, self.ax_s):
            fit_ylim(ax, values, log=True, factor=1.3, ceil=float(L[0]) * 1.05, min_ratio=3.0)
            thin_log_ticks(ax)
            plain_log_axis(ax.yaxis, short_number)
            ax.yaxis.set_minor_locator(NullLocator())
        self.ax_e.set_xlim(0, EPOCHS)
        self.ax_s.set_xlim(0, max(int(run.steps[-1]), 1))
        self.ax_s.set_title(f"against steps ({int(run.steps[-1])} for B = {B})", fontsize=10, y=1.0)

    def _draw_path(self, run, full, k, T):
        mini = _on_map(run.weights(k, PATH), self.ax_p)
        ref = _on_map(full.weights(k, PATH)[:len(run.steps)], self.ax_p)
        self.lines["pmini"].set_data(mini[:, 0], mini[:, 1])
        self.lines["pfull"].set_data(ref[:, 0], ref[:, 1])
        _end_point(self.lmap, run.weights(k, PATH)[-1])

    def _status(self, B, k, run, L, Lfull, spread):
        lr, T = self.lrs[k], int(run.steps[-1])
        head = (f"Batch size {B}{' (one example per step)' if B == 1 else ''}: {batch_words(self.n, B)}, "
                f"{T} steps in {EPOCHS} epochs; learning rate {lr:.3g}. ")
        if run.diverged_step[k] >= 0:
            d = int(run.diverged_step[k])
            return explore.words(head + f"Training diverged at step {d} (epoch {run.epochs[d]:.2f}): the loss on all "
                                 f"{self.n} examples {loss_words(L[d])} (it started at {L[0]:.3f}). With this learning "
                                 "rate the steps overshoot by more than they correct. Try a smaller learning rate.",
                                 "error")
        text = f"Loss on all {self.n} training examples: {L[0]:.3f} → {L[-1]:.3f}"
        if B < self.n:
            last = L[-(-(-self.n // B)):]
            text += f"; over the last epoch it moved between {last.min():.3f} and {last.max():.3f}"
        text += f". {self._full_words(k, T, B)} "
        if B < self.n:
            text += (f"Gradient noise at the start: {spread:.3f} from the full gradient (RMS over {NOISE_BATCHES} "
                     f"batches; the law σ/√B·√((N−B)/(N−1)) gives {float(self.noise.law([B])[0]):.3f}).")
        else:
            text += "Every step uses the exact gradient: no noise."
        return explore.words(head + text, "ok" if L[-1] < L[0] else "warn")

    def _full_words(self, k, T, B):
        """What the full batch did with the same learning rate, after as many epochs and as many steps."""
        Lfull, d = self.full.full_loss(k), int(self.full.diverged_step[k])
        if 0 <= d <= EPOCHS:
            return f"The full batch with the same learning rate diverges, at step {d}."
        text = f"The full batch with the same learning rate: {Lfull[EPOCHS]:.3f} after {EPOCHS} epochs"
        if B == self.n:
            return text + "."
        if 0 <= d <= T:
            return text + f", but it diverges at step {d}, before the same {T} steps."
        return text + f", {Lfull[T]:.3f} after the same {T} steps."


def sgd_explorer(**settings):
    """The batch size: one example, a mini-batch, the whole set (settings: see ``SGDExplorer``)."""
    return SGDExplorer(**settings)


# ---- momentum -----------------------------------------------------------------------------------
BOWL_STEPS = 60
NET_STEPS = 100


def _loss_map(ex):
    """The loss map of notebook 05 around the start, in ``ex.ax_p`` (kept as ``ex.lmap``), the start
    marked by a white square; returns the axes."""
    ax, (xn, yn) = ex.ax_p, PATH
    ex.lmap = LossMap(ax)
    x0, y0 = landscape.value_of(ex.params, xn), landscape.value_of(ex.params, yn)
    ex.lmap.fill(ex.params, ex.X, ex.y, (xn, yn), (x0, y0), MAP_HALF_WIDTH, loss=ex.loss)
    ex.lmap.set_point(np.nan, np.nan, trained=(np.nan, np.nan))
    ax.plot([x0], [y0], "s", color="white", mec="black", ms=6, zorder=5)
    ax.set_title("path of two weights (loss map at the start)", fontsize=10, y=1.0)
    return ax


def _path_lines(ax, colour, plain_colour=FULL):
    """Two paths on a map: plain gradient descent (dashed) and with momentum (``colour``), with dots."""
    plain = ax.plot([], [], "--", color=plain_colour, lw=1.3, marker=".", ms=3, zorder=4, label="β = 0")[0]
    heavy = ax.plot([], [], "-", color=colour, lw=1.3, marker=".", ms=3, zorder=4, gid="path")[0]
    return plain, heavy


def rates_words(rate, factor_word="per step"):
    """'shrinks by 0.71 per step' or 'grows by 1.6 per step' for a long-run factor per step."""
    return (f"grows by {rate:.3g} {factor_word}" if rate > 1 else f"shrinks by {rate:.3g} {factor_word}")


class BowlMomentumExplorer(explore.Explorer):
    """Heavy-ball momentum on the two-weight bowl of notebook 06 (``problems.bowl_problem``): the paths of
    plain gradient descent and of momentum β at the same learning rate, and their distance to the
    minimum at every step (log scale). The long-run factors come from ``quadratic.momentum_rates``."""

    TRIES = {"momentum": (0.0, 0.5, 0.9, 0.99), "lr": (0.05, 0.85, 1.2, 1.4)}
    TRAINING_CONTROLS = ()

    def __init__(self, momentum=0.5, lr=0.85, steps=BOWL_STEPS, problem=None):
        self.A, self.b, self.c, self.w0 = problem if problem is not None else problems.bowl_problem()
        self.steps = steps
        self.lams, self.vecs = quadratic.axes(self.A)
        self.w_min = np.linalg.solve(self.A, self.b)
        self.defaults = {"momentum": momentum, "lr": lr}
        fig = self.fig = explore.figure(9.6, 3.9)
        self.ax_m = fig.add_axes([0.07, 0.14, 0.38, 0.74])
        self.ax_d = fig.add_axes([0.57, 0.14, 0.38, 0.74])
        self._draw_bowl()
        self.plain, self.heavy = _path_lines(self.ax_m, MINI)
        self.d_plain = self.ax_d.plot([], [], "--", color=FULL, lw=1.4, label="plain gradient descent (β = 0)")[0]
        self.d_heavy = self.ax_d.plot([], [], "-", color=MINI, lw=1.6, label="with momentum β")[0]
        ax = self.ax_d
        ax.set_yscale("log")
        ax.set_xlim(0, steps)
        ax.set_xlabel("step", fontsize=9)
        ax.set_ylabel("distance to the minimum")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower left", frameon=False)
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_title("how fast it gets there", fontsize=10, y=1.0)
        controls = {
            "momentum": explore.slider("momentum β", 0.0, 0.99, momentum, step=0.01),
            "lr": explore.slider("learning rate η", 0.05, 2.0, lr, step=0.05),
        }
        super().__init__(fig, controls, title="Momentum on the two-weight bowl", columns=2)
        reset_button(self)

    def reset(self):
        """Every control back to its first value."""
        return self.set(**self.defaults)

    def _draw_bowl(self):
        ax, (x0, y0) = self.ax_m, self.w_min
        xs, ys = np.linspace(x0 - 3.4, x0 + 3.4, 80), np.linspace(y0 - 2.6, y0 + 2.6, 60)
        gx, gy = np.meshgrid(xs, ys)
        Z = quadratic.quadratic_loss(self.A, self.b, self.c, np.stack([gx, gy], axis=-1))
        levels = quadratic.quadratic_loss(self.A, self.b, self.c, self.w_min) + np.geomspace(0.01, 6, 9)
        ax.contour(xs, ys, Z, levels=levels, colors="#999", linewidths=0.7)
        ax.plot(*self.w_min, "x", color="black", ms=8, mew=2, zorder=5)
        ax.plot(*self.w0, "s", color="white", mec="black", ms=6, zorder=5)
        for lam, v, name in zip(self.lams, self.vecs.T, ("flat", "steep")):
            v = v if v[0] > 0 else -v                     # both axes labelled on their right-hand end
            ends = self.w_min + np.outer([-1, 1], v) * (3.0 if name == "flat" else 1.0)
            ax.plot(ends[:, 0], ends[:, 1], ":", color="#666", lw=0.9)
            ax.text(*ends[1], f" {name} axis\n λ = {lam:.2f}", fontsize=7, color="#444", va="center")
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylim(ys[0], ys[-1])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("w1", fontsize=9)
        ax.set_ylabel("w2", fontsize=9)
        ax.set_title("the bowl: start ■, minimum ×", fontsize=10, y=1.0)

    def update(self):
        beta, lr = float(self.controls["momentum"].value), float(self.controls["lr"].value)
        A, b, w0 = self.A, self.b, self.w0
        paths = [quadratic.descent_path(A, b, w0, lr, self.steps, m) for m in (0.0, beta)]
        with np.errstate(all="ignore"):
            dists = [np.linalg.norm(p - self.w_min, axis=1) for p in paths]
        for line, p in zip((self.plain, self.heavy), paths):
            line.set_data(*_on_map(p, self.ax_m).T)
        steps = np.arange(self.steps + 1)
        for line, d in zip((self.d_plain, self.d_heavy), dists):
            line.set_data(steps, np.where(np.isfinite(d), d, np.nan))
        fit_ylim(self.ax_d, np.concatenate(dists), log=True, factor=2.0, lowest=1e-12, ceil=float(dists[0][0]) * 2)
        self.ax_d.yaxis.set_major_locator(LogLocator(subs=(1.0,), numticks=6))
        return self._status(beta, lr, dists)

    def _status(self, beta, lr, dists):
        lam_max = self.lams[-1]
        plain_rate = quadratic.momentum_rates(self.lams, lr).max()
        rate = quadratic.momentum_rates(self.lams, lr, beta).max()
        edge = quadratic.momentum_edge(lam_max, beta)
        head = (f"β = {beta:.2f}, η = {lr:.2f}: stable for η below 2(1 + β)/λmax = {edge:.2f} "
                f"(without momentum 2/λmax = {quadratic.momentum_edge(lam_max):.2f}). ")
        if rate >= 1:
            return explore.words(head + f"Diverges: the distance along the steep axis {rates_words(rate)}, "
                                 "so each swing across the valley is wider than the last.", "error")
        within = np.flatnonzero(dists[1] < 1e-3)
        when = f"within 0.001 of the minimum after {within[0]} steps" if within.size else \
            f"{dists[1][-1]:.2g} from the minimum after {self.steps} steps"
        plain = (f"without momentum: {dists[0][-1]:.2g} after {self.steps} steps, it {rates_words(plain_rate)}"
                 if plain_rate < 1 else f"without momentum it diverges (grows by {plain_rate:.3g} per step)")
        slowest = int(np.argmax(quadratic.momentum_rates(self.lams, lr, beta)))
        spiral = (" (it circles in towards the minimum: |r| = √β)"
                  if (1 + beta - lr * self.lams[slowest]) ** 2 < 4 * beta else "")
        kind = "ok" if rate <= plain_rate or plain_rate >= 1 else "warn"
        if beta == 0:
            return explore.words(head + f"Plain gradient descent: {when}; the slowest axis {rates_words(rate)}.",
                                 kind)
        return explore.words(head + f"With momentum: {when}; the slowest axis {rates_words(rate)}{spiral}. "
                             f"{plain[0].upper() + plain[1:]}.", kind)


def _end_point(lmap, point):
    """The yellow dot at the last point of a path, hidden when that point lies outside the map."""
    (x0, x1), (y0, y1) = lmap.ax.get_xlim(), lmap.ax.get_ylim()
    inside = np.all(np.isfinite(point)) and x0 <= point[0] <= x1 and y0 <= point[1] <= y1
    lmap.set_point(*(point if inside else (np.nan, np.nan)))


def _on_map(path, ax):
    """The points of a path up to where it leaves the axes by more than the axes' size (then NaN)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    far = (np.abs(path[:, 0] - (x0 + x1) / 2) > 2 * (x1 - x0)) | (np.abs(path[:, 1] - (y0 + y1) / 2) > 2 * (y1 - y0))
    far |= ~np.all(np.isfinite(path), axis=1)
    if far.any():
        path = path.copy()
        path[np.argmax(far) + 1:] = np.nan
    return path


def bowl_momentum_explorer(**settings):
    """Momentum on the two-weight bowl (settings: see ``BowlMomentumExplorer``)."""
    return BowlMomentumExplorer(**settings)


def ups_words(loss):
    """How often a loss curve went up, in words: 'went up in 12 of 100 steps'."""
    ups = int(np.sum(np.diff(loss) > 0))
    return ups, f"went up in {ups} of {len(loss) - 1} steps"


class MomentumExplorer(explore.Explorer):
    """Heavy-ball momentum on the 2-3-1 net of notebook 05 (squared error, full batch, ``NET_STEPS`` steps):
    the loss at every step with momentum β and without (β = 0, same learning rate), and the paths of
    two weights on the loss surface. Both networks train at once (one population of two)."""

    TRIES = {"momentum": (0.0, 0.5, 0.9, 0.99), "lr": (0.01, 0.75, 0.85, 1.0)}
    TRAINING_CONTROLS = ("momentum", "lr")

    def __init__(self, momentum=0.5, lr=0.75, steps=NET_STEPS, problem=None):
        self.params, self.X, self.y, self.loss = problem if problem is not None else problems.descent_problem()
        self.steps = steps
        self.defaults = {"momentum": momentum, "lr": lr}
        fig = self.fig = explore.figure(9.6, 3.9)
        self.ax_l = fig.add_axes([0.08, 0.14, 0.37, 0.74])
        self.ax_p = fig.add_axes([0.57, 0.14, 0.38, 0.74])
        ax = self.ax_l
        self.l_plain = ax.plot([], [], "--", color=FULL, lw=1.4, label="β = 0 (notebook 05)")[0]
        self.l_heavy = ax.plot([], [], "-", color=MINI, lw=1.6, label="with momentum β")[0]
        ax.set_yscale("log")
        ax.set_xlim(0, steps)
        ax.set_xlabel("step", fontsize=9)
        ax.set_ylabel(f"loss ({losses.LABELS[self.loss]})")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right", frameon=False)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.set_title("the loss during training", fontsize=10, y=1.0)
        self._build_map()
        controls = {
            "momentum": explore.slider("momentum β", 0.0, 0.99, momentum, step=0.01, continuous_update=False),
            "lr": explore.slider("learning rate η", 0.01, 1.5, lr, step=0.01, continuous_update=False),
        }
        super().__init__(fig, controls, title="Momentum on the real network", columns=2)
        reset_button(self)

    def reset(self):
        """Every control back to its first value."""
        return self.set(**self.defaults)

    def _build_map(self):
        ax = _loss_map(self)
        self.p_plain, self.p_heavy = _path_lines(ax, MINI, plain_colour="white")

    def update(self):
        beta, lr = float(self.controls["momentum"].value), float(self.controls["lr"].value)
        runs = experiments.population_runs(self.params, self.X, self.y, self.steps, lr, momentum=[0.0, beta],
                                           loss=self.loss)
        curves = [runs.full_loss(k) for k in (0, 1)]
        for line, L in zip((self.l_plain, self.l_heavy), curves):
            line.set_data(runs.steps[:len(L)], L)
        fit_ylim(self.ax_l, np.concatenate(curves), log=True, factor=1.3, min_ratio=6.0)
        thin_log_ticks(self.ax_l)
        plain_log_axis(self.ax_l.yaxis, short_number)
        self.ax_l.yaxis.set_minor_locator(NullLocator())
        for line, k in zip((self.p_plain, self.p_heavy), (0, 1)):
            line.set_data(*_on_map(runs.weights(k, PATH), self.ax_p).T)
        _end_point(self.lmap, runs.weights(1, PATH)[-1])
        return self._status(beta, lr, runs, curves)

    def _status(self, beta, lr, runs, curves):
        words = []
        for k, name in ((1, f"With momentum β = {beta:.2f}" if beta > 0 else "Plain gradient descent (β = 0)"),
                        (0, "Without momentum")):
            if k == 0 and beta == 0:
                continue
            L = curves[k]
            if runs.diverged_step[k] >= 0 and k == 0:
                words.append(f"Without momentum training diverged at step {runs.diverged_step[k]}.")
            elif runs.diverged_step[k] >= 0:
                words.append(f"{name} training {runs.reasons[k]}")
            else:
                words.append(f"{name}: {L[0]:.3f} → {L[-1]:.3f} in {self.steps} steps; the loss "
                             f"{ups_words(L)[1]}.")
        kind = "error" if runs.diverged_step[1] >= 0 else ("warn" if ups_words(curves[1])[0] > 0.2 * self.steps
                                                             else "ok")
        return explore.words(f"Learning rate {lr:.3g}. " + " ".join(words), kind)


def momentum_explorer(**settings):
    """Momentum on the real network (settings: see ``MomentumExplorer``)."""
    return MomentumExplorer(**settings)
