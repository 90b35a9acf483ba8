"""Explorers for notebook 08, overfitting: training and validation loss part ways.

Noisy training sets of 8 to 512 points (``problems.noisy_data``), a validation set of 200
points the networks never train on, and networks 2-h-1 of every width h from 1 to 64,
trained by ``experiments.learning_curves`` (every width on every training-set size).
Results are kept per noise level (a bounded cache), so moving a slider back is instant.
The test set is not used here: nothing a learner chooses with these sliders ever sees it.
"""
import functools
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import experiments, network
from ..experiments import TRAIN_SIZES, WIDTHS
from ..plots import CLASS_COLOURS, OKABE_ITO, BoundaryView, LossCurves, pin_titles_and_labels, plain_number
from ..problems import noisy_data
from . import LABEL_STYLE, SLIDER_LAYOUT, Explorer, figure, slider, words

NOISES = tuple(round(0.1 * k, 1) for k in range(6))         # 0, 0.1, ..., 0.5
EXTENT = (-2.0, 2.5, -1.6, 1.6)
TRAIN, VAL, BEST = OKABE_ITO["black"], OKABE_ITO["orange"], OKABE_ITO["vermillion"]
CURVE_WIDTHS = (1, 8, 64)                                  # the widths drawn on the learning curves
CURVE_COLOURS = dict(zip(CURVE_WIDTHS, (OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["purple"])))
CURVE_MARKERS = dict(zip(CURVE_WIDTHS, "os^"))                # a second cue besides colour


@functools.lru_cache(maxsize=len(NOISES))
def cached_curves(noise, steps, lr, momentum, record_every):
    """Every width trained on every training-set size at this noise (kept for the explorers to replay)."""
    return experiments.learning_curves(noise, steps=steps, lr=lr, momentum=momentum, record_every=record_every)


def _log2_slider(description, value, top, bottom=0):
    return widgets.FloatLogSlider(value=value, base=2, min=bottom, max=math.log2(top), step=1,
                                  description=description, readout_format=".0f",
                                  style=LABEL_STYLE, layout=SLIDER_LAYOUT)


class OverfittingExplorer(Explorer):
    """Width, noise, number of training points and step: the boundary, both losses over training,
    both losses against parameters per point, and the learning curves (loss against points)."""

    TRIES = {"width": (1, 4, 64), "noise": (0.0, 0.3, 0.5), "n_train": (8, 32, 512)}
    TRAINING_CONTROLS = ("noise",)

    def __init__(self, noise=0.3, n_train=32, width=32, steps=500, lr=0.5, momentum=0.9, record_every=10,
                 grid_n=50):
        self.recipe = (steps, lr, momentum, record_every)
        self.steps = steps
        data0 = noisy_data(noise, n_train)
        fig = figure(9.5, 6.9)
        gs = fig.add_gridspec(2, 2, width_ratios=[1, 1.1], hspace=0.42, wspace=0.27,
                              left=0.075, right=0.975, top=0.885, bottom=0.085)
        ax_b, self.ax_l = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
        self.ax_r, self.ax_c = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])
        self._build_boundary(ax_b, data0, grid_n)
        self._build_curves(self.ax_l)
        self._build_ratio(self.ax_r)
        self._build_learning(self.ax_c)
        self.head = fig.suptitle("", fontsize=10, y=0.99)
        controls = {
            "width": _log2_slider("hidden width h (log₂ scale)", width, max(WIDTHS)),
            "n_train": _log2_slider("training points N (log₂ scale)", n_train, max(TRAIN_SIZES),
                                    math.log2(min(TRAIN_SIZES))),
            "noise": slider("noise on the inputs (std)", 0.0, 0.5, noise, step=0.1, readout_format=".1f",
                            continuous_update=False),
            "step": slider("training step shown", 0, steps, steps, step=record_every, integer=True),
        }
        self.defaults = {k: c.value for k, c in controls.items()}
        super().__init__(fig, controls, title="Overfitting: too many weights for too little data")
        pin_titles_and_labels(fig)          # placed once: a third less work at every redraw

    def curves(self, noise):
        """The LearningCurves of this noise level (trained on first use, then kept)."""
        return cached_curves(noise, *self.recipe)

    def reset(self):
        """Every control back to where it started."""
        with self.holding():
            for name, value in self.defaults.items():
                self.controls[name].value = value
        self.refresh()

    def _build_boundary(self, ax_b, data0, grid_n):
        self.view = BoundaryView(ax_b, data0.X, data0.y, extent=EXTENT, n=grid_n)
        self.view.points.set_sizes([30])
        self.view.points.set_edgecolors("k")
        self.val_pts = ax_b.scatter(data0.X_val[:, 0], data0.X_val[:, 1], s=10, facecolors="none", linewidths=0.6,
                                    edgecolors=[CLASS_COLOURS[int(v)] for v in data0.y_val], zorder=2, alpha=0.7)
        ax_b.set_title("boundary; ● training, ○ validation", fontsize=9)
        ax_b.set_xticks([-1, 0, 1, 2])
        ax_b.set_yticks([-1, 0, 1])

    def _build_curves(self, ax_l):
        """Training and validation loss of the chosen width, with the best stopping step marked."""
        self.loss_curves = LossCurves(ax_l, val=True, log=False, ylabel="loss (cross-entropy)")
        self.loss_curves.train.set(color=TRAIN, ls="--")
        self.loss_curves.val.set(color=VAL)
        ax_l.grid(False)                          # grid lines cost a quarter of a redraw here
        ax_l.set_xticks(np.linspace(0, self.steps, 6))
        ax_l.yaxis.set_major_locator(MaxNLocator(4))
        (self.best_dot,) = ax_l.plot([], [], "v", color=BEST, ms=9, zorder=5, clip_on=False)
        self.best_line = ax_l.axvline(0, color=BEST, lw=1, ls=":")
        ax_l.get_legend().remove()
        ax_l.set_title("the chosen width: training (dashed), validation (solid),\n▼ best stop (lowest validation loss)",
                       fontsize=9)

    def _build_ratio(self, ax_r):
        """Both losses of every width at the step shown, against its parameters per training point (log-log)."""
        n = len(WIDTHS)
        (self.r_train,) = ax_r.plot(np.zeros(n), np.zeros(n), "o--", color=TRAIN, ms=4, lw=1.2)
        (self.r_val,) = ax_r.plot(np.zeros(n), np.zeros(n), "s-", color=VAL, ms=5, lw=1.6)
        (self.r_now,) = ax_r.plot([], [], "o", ms=13, mfc="none", mec="#555", mew=1.2)
        self.r_text = [ax_r.text(0, 0, f"{h}", fontsize=7, ha="center", va="bottom", color="#333")
                       for h in WIDTHS]
        ax_r.axvline(0.0, color="#777", lw=1, ls=":")                     # log10(1): one parameter per point
        params = [network.n_parameters((2, h, 1)) for h in WIDTHS]
        ax_r.set_xlim(np.log10(min(params) / max(TRAIN_SIZES) / 1.6), np.log10(max(params) / min(TRAIN_SIZES) * 1.6))
        log_ticks(ax_r.xaxis, -2, 1)
        ax_r.set_xlabel("parameters per training point, (4h + 1) / N  (dotted: 1)", fontsize=9)
        ax_r.set_title("every width h at the step shown: training (dashed),\nvalidation (solid); ○ the chosen width",
                       fontsize=9)

    def _build_learning(self, ax_c):
        """Final training (dashed) and validation (solid) loss against N for a few widths (log-log)."""
        x = np.log2(TRAIN_SIZES)
        self.c_lines = {}
        for h in CURVE_WIDTHS:
            c = CURVE_COLOURS[h]
            self.c_lines[h] = (ax_c.plot(x, np.zeros(len(x)), "--", color=c, lw=1.3)[0],
                               ax_c.plot(x, np.zeros(len(x)), "-" + CURVE_MARKERS[h], color=c, lw=1.8, ms=4)[0])
        self.c_text = {h: ax_c.text(x[-1] + 0.2, 0, f"h = {h}", color=CURVE_COLOURS[h], fontsize=8,
                                    va="center", ha="left") for h in CURVE_WIDTHS}
        self.c_now = ax_c.axvline(5, color="#777", lw=1, ls=":")
        ax_c.set_xticks(x, [str(v) for v in TRAIN_SIZES])
        ax_c.set_xlabel("training points N", fontsize=9)
        ax_c.set_xlim(x[0] - 0.3, x[-1] + 1.4)                  # room for the width labels
        ax_c.set_title(f"learning curves: loss after {self.steps} steps,\ntraining (dashed), validation (solid)",
                       fontsize=9)

    def chosen(self):
        """(width, k, N, noise): the control values snapped to the trained grid."""
        h = min(WIDTHS, key=lambda w: abs(math.log2(w) - math.log2(max(self.controls["width"].value, 1e-9))))
        n = min(TRAIN_SIZES, key=lambda v: abs(math.log2(v) - math.log2(max(self.controls["n_train"].value, 1e-9))))
        noise = min(NOISES, key=lambda v: abs(v - self.controls["noise"].value))
        return h, WIDTHS.index(h), n, noise

    def update(self):
        h, k, n, noise = self.chosen()
        lc = self.curves(noise)
        data, runs = lc.data[n], lc.runs[n]
        t = min(int(np.searchsorted(runs.steps, self.controls["step"].value)), len(runs) - 1)
        train, val = runs.loss[:, k], runs.val_loss[:, k]
        b = int(np.nanargmin(val))
        self._draw_boundary(data, runs.params(t, k))
        self._draw_curves(runs.steps, train, val, t, b)
        self._draw_ratio(runs, lc.ratio[lc.sizes.index(n)], t, k)
        self._draw_learning(lc, n)
        n_p = network.n_parameters((2, h, 1))
        self.head.set_text(f"2-{h}-1: {n_p} parameters, {n} training points ({n_p / n:.3g} per point), "
                           f"noise {noise:.1f}")
        acc = [float(network.accuracy(runs.params(i, k), data.X_val, data.y_val)) for i in (t, b)]
        fits = runs.loss[t].min()
        return _words(h, n_p, n, train, val, runs.steps, t, acc, fits)

    def _draw_boundary(self, data, params):
        self.view.set_data(data.X, data.y)
        self.val_pts.set_offsets(data.X_val)
        self.view.update(network.predict(params, self.view.grid))

    def _draw_curves(self, steps, train, val, t, b):
        self.loss_curves.update(steps, train, val, now=int(steps[t]))
        self.best_dot.set_data([steps[b]], [val[b]])
        self.best_line.set_xdata([steps[b]] * 2)
        top = max(np.nanmax(val), np.nanmax(train))
        self.ax_l.set_ylim(0, top * 1.25)
        self.ax_l.set_xlim(-0.02 * steps[-1], 1.02 * steps[-1])    # a best stop at either end stays in view

    def _draw_ratio(self, runs, ratio, t, k):
        x, tr, va = np.log10(ratio), np.log10(runs.loss[t]), np.log10(runs.val_loss[t])
        self.r_train.set_data(x, tr)
        self.r_val.set_data(x, va)
        self.r_now.set_data([x[k]], [va[k]])
        for txt, xi, yi in zip(self.r_text, x, va):
            txt.set_position((xi, yi + 0.07))
        lo, hi = max(min(tr.min(), va.min()), -3.0) - 0.3, max(tr.max(), va.max()) + 0.35
        self.ax_r.set_ylim(lo, hi)
        log_ticks(self.ax_r.yaxis, lo, hi)

    def _draw_learning(self, lc, n):
        for h, (line_t, line_v) in self.c_lines.items():
            j = lc.widths.index(h)
            line_t.set_ydata(np.log10(lc.final_loss[:, j]))
            line_v.set_ydata(np.log10(lc.final_val[:, j]))
        self.c_now.set_xdata([np.log2(n)] * 2)
        cols = [lc.widths.index(h) for h in CURVE_WIDTHS]
        both = np.log10(np.concatenate([lc.final_loss[:, cols].ravel(), lc.final_val[:, cols].ravel()]))
        lo, hi = max(both.min(), -3.0) - 0.3, both.max() + 0.8
        self.ax_c.set_ylim(lo, hi)
        log_ticks(self.ax_c.yaxis, lo, hi)
        self._place_labels(lc)

    def _place_labels(self, lc):
        """The width labels at the right end of the validation curves, nudged apart when they meet."""
        lo, hi = self.ax_c.get_ylim()
        line = 0.07 * (hi - lo)                            # a line of 8-point text, in decades of this axis
        ends = {h: np.log10(lc.final_val[-1, lc.widths.index(h)]) for h in CURVE_WIDTHS}
        placed = []
        for h in sorted(CURVE_WIDTHS, key=ends.get):
            y = max(ends[h], placed[-1] + line) if placed else ends[h]
            placed.append(y)
            self.c_text[h].set_y(y)


def log_ticks(axis, lo, hi):
    """Ticks for values drawn at their log10 (a linear axis is far quicker to draw than a log one): at 1, 2
    and 5 times the powers of ten over two decades or less, else at the powers of ten, labelled 0.01, 1, 10."""
    k = np.arange(np.floor(lo), np.ceil(hi) + 1)
    marks = np.log10(np.outer(10.0 ** k, (1, 2, 5) if hi - lo <= 2 else (1,)).ravel())
    marks = marks[(marks >= lo - 1e-9) & (marks <= hi + 1e-9)]
    axis.set_ticks(marks, [plain_number(10.0 ** m) for m in marks])


def overfitting_explorer(**settings):
    """Overfitting: too many weights for too little data (settings: see ``OverfittingExplorer``)."""
    return OverfittingExplorer(**settings)


def _words(h, n_p, n_train, train, val, steps, t, acc, fits):
    """The status line: the losses now, the best stop, and what they mean (``acc``: validation accuracy
    now and at the best step; ``fits``: the lowest training loss of any width at this step)."""
    b = int(np.nanargmin(val))
    ratio = f"{n_p} parameters for {n_train} points"
    now = (f"At step {steps[t]}: training loss {train[t]:.3f}, validation loss {val[t]:.3f}, "
           f"{100 * acc[0]:.0f}% of the validation points right.")
    best = f"Validation loss was lowest at step {steps[b]} ({val[b]:.3f}, {100 * acc[1]:.0f}% right)."
    if t == 0:
        return words(f"{now} Training has not started.", "info")
    if train[t] > 0.1 and train[t] > 2 * fits:
        return words(f"{now} {best} The training loss stays high: {ratio} cannot bend the boundary around "
                     "the moons, while wider networks fit these points (underfitting).", "info")
    if val[t] > 1.25 * val[b] + 0.02 and train[t] < train[b]:
        confident = (f" It still classifies {100 * acc[0]:.0f}% of them right: the validation loss rose because "
                     "it is sure of its mistakes (over-confident)." if acc[0] >= acc[1] - 0.02 else "")
        return words(f"{now} {best} Since then the training loss kept falling but the validation loss rose: "
                     f"the network is learning the noise of its {n_train} points ({ratio}).{confident} "
                     f"Stop at step {steps[b]}.", "warn")
    return words(f"{now} {best} Training and validation loss agree: no sign of overfitting ({ratio}).", "ok")


def snapshots_figure(noise=0.3, width=32, n_train=32, at=None):
    """Static figure: the boundary of one 2-h-1 network early, at the best step, and at the end."""
    data = noisy_data(noise, n_train)
    hist = experiments.width_runs(data, (width,))
    b = int(np.nanargmin(hist.val_loss[:, 0]))
    picks = at or [1, b, len(hist) - 1]
    fig = figure(9.5, 3.2)
    axes = fig.subplots(1, len(picks))
    fig.subplots_adjust(left=0.075, right=0.98, bottom=0.16, top=0.86, wspace=0.12)
    for i, (ax, t) in enumerate(zip(np.atleast_1d(axes), picks)):
        view = BoundaryView(ax, data.X, data.y, extent=EXTENT, n=60)
        view.points.set_sizes([34])
        view.points.set_edgecolors("k")
        view.update(network.predict(hist.params(t, 0), view.grid))
        if i:
            ax.set_ylabel("")
            ax.tick_params(labelleft=False)
        tag = " (best)" if t == b else ""
        ax.set_title(f"step {hist.steps[t]}{tag}: training {hist.loss[t, 0]:.2f}, "
                     f"validation {hist.val_loss[t, 0]:.2f}", fontsize=9)
    return fig
