"""Explorers for notebook 08, overfitting: training and validation loss part ways.

A few noisy training points (``problems.noisy_data``), many validation points the
network never trains on, and networks 2-h-1 of every width h from 1 to 64, trained by
``experiments.width_runs``. Results are cached per noise level, so moving a slider
back is instant.
"""
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import network
from ..experiments import WIDTHS, width_runs
from ..plots import CLASS_COLOURS, BoundaryView, LossCurves
from ..problems import noisy_data
from . import LABEL_STYLE, SLIDER_LAYOUT, Explorer, figure, slider, words

NOISES = tuple(round(0.1 * k, 1) for k in range(6))         # 0, 0.1, ..., 0.5
EXTENT = (-2.0, 2.5, -1.6, 1.6)


def _width_slider(value=16):
    return widgets.FloatLogSlider(value=value, base=2, min=0, max=math.log2(max(WIDTHS)), step=1,
                                  description="hidden width h (log₂ scale)", readout_format=".0f",
                                  style=LABEL_STYLE, layout=SLIDER_LAYOUT)


class OverfittingExplorer(Explorer):
    """Hidden width, noise and training step: the boundary, training vs validation loss, and loss vs width."""

    def __init__(self, steps=600, lr=2.0, record_every=10, grid_n=60):
        self.steps, self.lr, self.record_every, self.cache = steps, lr, record_every, {}
        data0, _ = self.runs(0.3)
        fig = figure(9.5, 3.7)
        ax_b, self.ax_l, self.ax_w = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.15, 1.05]})
        fig.subplots_adjust(left=0.075, right=0.985, bottom=0.15, top=0.85, wspace=0.3)
        self._build_boundary(ax_b, data0, grid_n)
        self._build_curves(self.ax_l)
        self._build_widths(self.ax_w)
        self.head = fig.suptitle("", fontsize=10)
        controls = {
            "width": _width_slider(32),
            "noise": slider("noise on the inputs (std)", 0.0, 0.5, 0.3, step=0.1, readout_format=".1f"),
            "step": slider("training step shown", 0, steps - record_every, steps - record_every,
                           step=record_every, integer=True),
        }
        super().__init__(fig, controls, title="Overfitting: training and validation loss part ways")

    def runs(self, noise):
        """(data, WidthRuns) for this noise level: trained on first use, then kept."""
        if noise not in self.cache:
            data = noisy_data(noise)
            self.cache[noise] = (data, width_runs(data, WIDTHS, self.steps, self.lr, self.record_every))
        return self.cache[noise]

    def _build_boundary(self, ax_b, data0, grid_n):
        self.view = BoundaryView(ax_b, data0.X, data0.y, extent=EXTENT, n=grid_n)
        self.view.points.set_sizes([34])
        self.view.points.set_edgecolors("k")
        self.val_pts = ax_b.scatter(data0.X_val[:, 0], data0.X_val[:, 1], s=12, facecolors="none", linewidths=0.7,
                                    edgecolors=[CLASS_COLOURS[int(v)] for v in data0.y_val], zorder=2, alpha=0.8)
        ax_b.set_title("boundary; ● training, ○ validation", fontsize=9)
        ax_b.set_xticks([-1, 0, 1, 2])
        ax_b.set_yticks([-1, 0, 1])

    def _build_curves(self, ax_l):
        """Training and validation loss of the chosen width, with the best stopping step marked."""
        self.curves = LossCurves(ax_l, val=True, log=False, ylabel="loss (cross-entropy)")
        ax_l.set_xticks(np.linspace(0, self.steps, 4))
        ax_l.yaxis.set_major_locator(MaxNLocator(4))
        (self.best_dot,) = ax_l.plot([], [], "v", color="#e67e22", ms=9, zorder=5,
                                     label="best stop (lowest validation)")
        self.best_line = ax_l.axvline(0, color="#e67e22", lw=1, ls="--")
        ax_l.legend(loc="upper center", fontsize=7.5, ncol=3, handlelength=1.2, columnspacing=0.8,
                    labels=["training", "validation", "best stop"],
                    handles=[self.curves.train, self.curves.val, self.best_dot])
        ax_l.set_title("training vs validation loss", fontsize=9)

    def _build_widths(self, ax_w):
        """Training and validation loss of every width at the step shown."""
        xs = np.arange(len(WIDTHS))
        (self.w_train,) = ax_w.plot(xs, np.ones(len(xs)), "o-", color="#333", label="training")
        (self.w_val,) = ax_w.plot(xs, np.ones(len(xs)), "s-", color="#e67e22", label="validation")
        self.w_now = ax_w.axvline(0, color="#999", lw=6, alpha=0.3)
        ax_w.set_xticks(xs, [f"{h}\n{network.n_parameters((2, h, 1))}" for h in WIDTHS], fontsize=8)
        ax_w.set_xlabel("width h  /  parameters 4h+1", fontsize=9)
        ax_w.grid(alpha=0.3)
        ax_w.yaxis.set_major_locator(MaxNLocator(4))
        ax_w.legend(loc="upper center", fontsize=7.5, ncol=2)
        ax_w.set_title("loss at the step shown, every width", fontsize=9)

    def update(self):
        wanted = int(round(self.controls["width"].value))
        h = min(WIDTHS, key=lambda w: abs(w - wanted))
        k = WIDTHS.index(h)
        noise = min(NOISES, key=lambda v: abs(v - self.controls["noise"].value))
        data, hist = self.runs(noise)
        t = min(int(np.searchsorted(hist.steps, self.controls["step"].value)), len(hist) - 1)
        train, val = hist.loss[:, k], hist.val_loss[:, k]
        self.view.set_data(data.X, data.y)
        self.val_pts.set_offsets(data.X_val)
        self.val_pts.set_edgecolors([CLASS_COLOURS[int(v)] for v in data.y_val])
        self.view.update(network.predict(hist.params(t, k), self.view.grid))
        self.curves.update(hist.steps, train, val, now=int(hist.steps[t]))
        b = int(np.nanargmin(val))
        self.best_dot.set_data([hist.steps[b]], [val[b]])
        self.best_line.set_xdata([hist.steps[b]] * 2)
        self.ax_l.set_ylim(0, max(np.nanmax(val), np.nanmax(train)) * 1.25)
        self.w_train.set_ydata(hist.loss[t])
        self.w_val.set_ydata(hist.val_loss[t])
        self.w_now.set_xdata([k, k])
        both = np.concatenate([hist.loss[t], hist.val_loss[t]])
        self.ax_w.set_ylim(0, both.max() * 1.25)
        n_p, n_train = network.n_parameters((2, h, 1)), len(data.X)
        self.head.set_text(f"2-{h}-1: {n_p} parameters, {n_train} training points, noise {noise:.1f}")
        return _words(h, n_p, n_train, train, val, hist.steps, t)


def overfitting_explorer(**settings):
    """Overfitting: training and validation loss part ways (settings: see ``OverfittingExplorer``)."""
    return OverfittingExplorer(**settings)


def _words(h, n_p, n_train, train, val, steps, t):
    b = int(np.nanargmin(val))
    ratio = f"{n_p} parameters for {n_train} points"
    now = f"At step {steps[t]}: training loss {train[t]:.3f}, validation loss {val[t]:.3f}."
    best = f"Validation loss was lowest at step {steps[b]} ({val[b]:.3f})."
    if t == 0:
        return words(f"{now} Training has not started: the network guesses (log 2 ≈ 0.693).", "info")
    if h <= 2 and train[t] > 0.2:
        return words(f"{now} {best} The training loss stays high: {ratio} are too few to bend the "
                     "boundary around the moons (underfitting).", "info")
    if val[t] > 1.25 * val[b] + 0.02 and train[t] < train[b]:
        return words(f"{now} {best} Since then the training loss kept falling but the validation loss "
                     f"rose: the network is learning the noise of its {n_train} points ({ratio}). "
                     f"Stop at step {steps[b]}.", "warn")
    return words(f"{now} {best} Training and validation agree: no sign of overfitting yet ({ratio}).", "ok")


def snapshots_figure(noise=0.3, width=32, steps=600, lr=2.0, at=None):
    """Static figure: the boundary of one 2-h-1 network early, at the best step, and at the end."""
    data = noisy_data(noise)
    hist = width_runs(data, (width,), steps, lr)
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
