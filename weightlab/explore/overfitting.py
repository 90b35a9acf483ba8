"""Explorers for notebook 07, overfitting: training and validation loss part ways.

A few noisy training points, many validation points the network never trains on,
and networks 2-h-1 of every width h from 1 to 64. Networks of similar widths train
at once: a 2-h-1 net is a 2-H-1 net (H > h) whose other H - h hidden units have
all-zero weights (such a unit outputs tanh(0) = 0 and gets a gradient of exactly 0,
so it stays 0: it is not there). Results are cached per noise level, so moving a
slider back is instant.
"""
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import datasets, network
from ..plots import CLASS_COLOURS, BoundaryView, LossCurves
from ..training import Trainer
from . import LABEL_STYLE, SLIDER_LAYOUT, Explorer, figure, slider, words

WIDTHS = (1, 2, 4, 8, 16, 32, 64)
NOISES = tuple(round(0.1 * k, 1) for k in range(6))         # 0, 0.1, ..., 0.5
DATA = dict(name="moons", n=150, seed=0, val_fraction=0.8)   # 30 training points, 120 for validation


def noisy_data(noise=0.3, **changes):
    """The data of notebook 07: 30 noisy training points (two moons) and 120 validation points."""
    return datasets.load(noise=noise, **{**DATA, **changes})


def n_parameters(sizes):
    """Weights and biases of a network with these layer sizes: sum of a*b + b over layers a -> b."""
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


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


def width_runs(data, widths=WIDTHS, steps=600, lr=2.0, record_every=10, seed=0):
    """Train one 2-h-1 tanh network per width h; returns a WidthRuns.

    Network k starts from ``init_params((2, widths[k], 1), seed=seed)`` and is trained exactly as it
    would be alone. Widths of a group train at once, embedded in the group's largest width (the
    extra hidden units are all 0 and stay 0).
    """
    loss, val, params, steps_ = {}, {}, {}, None
    for group in width_groups(widths):
        top = max(group)
        members = [embed(network.init_params((2, h, 1), seed=seed), top) for h in group]
        t = Trainer(network.stack(members), data.X, data.y, lr=lr, X_val=data.X_val, y_val=data.y_val,
                    record_every=record_every)
        t.step(steps)
        h = t.history
        steps_ = h.steps
        for i, w in enumerate(group):
            loss[w], val[w], params[w] = h.loss[:, i], h.val_loss[:, i], h.params[:, i]
    return WidthRuns(widths, steps_, np.column_stack([loss[w] for w in widths]),
                     np.column_stack([val[w] for w in widths]), [params[w] for w in widths])


def best_step(steps, val_losses):
    """The recorded step with the smallest validation loss (the best moment to stop)."""
    return int(np.asarray(steps)[int(np.nanargmin(val_losses))])


def _width_slider(value=16):
    return widgets.FloatLogSlider(value=value, base=2, min=0, max=math.log2(max(WIDTHS)), step=1,
                                  description="hidden width h (log₂ scale)", readout_format=".0f",
                                  style=LABEL_STYLE, layout=SLIDER_LAYOUT)


def overfitting_explorer(steps=600, lr=2.0, record_every=10, grid_n=60):
    """Hidden width, noise and training step: the boundary, training vs validation loss, and loss vs width."""
    cache = {}

    def runs(noise):
        if noise not in cache:
            data = noisy_data(noise)
            cache[noise] = (data, width_runs(data, WIDTHS, steps, lr, record_every))
        return cache[noise]

    data0, _ = runs(0.3)
    fig = figure(9.5, 3.7)
    ax_b, ax_l, ax_w = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.15, 1.05]})
    fig.subplots_adjust(left=0.075, right=0.985, bottom=0.15, top=0.85, wspace=0.3)
    extent = (-2.0, 2.5, -1.6, 1.6)
    view = BoundaryView(ax_b, data0.X, data0.y, extent=extent, n=grid_n)
    view.points.set_sizes([34])
    view.points.set_edgecolors("k")
    val_pts = ax_b.scatter(data0.X_val[:, 0], data0.X_val[:, 1], s=12, facecolors="none", linewidths=0.7,
                           edgecolors=[CLASS_COLOURS[int(v)] for v in data0.y_val], zorder=2, alpha=0.8)
    ax_b.set_title("boundary; ● training, ○ validation", fontsize=9)
    ax_b.set_xticks([-1, 0, 1, 2])
    ax_b.set_yticks([-1, 0, 1])
    curves = LossCurves(ax_l, val=True, log=False, ylabel="loss (cross-entropy)")
    ax_l.set_xticks(np.linspace(0, steps, 4))
    ax_l.yaxis.set_major_locator(MaxNLocator(4))
    (best_dot,) = ax_l.plot([], [], "v", color="#e67e22", ms=9, zorder=5, label="best stop (lowest validation)")
    best_line = ax_l.axvline(0, color="#e67e22", lw=1, ls="--")
    ax_l.legend(loc="upper center", fontsize=7.5, ncol=3, handlelength=1.2, columnspacing=0.8,
                labels=["training", "validation", "best stop"], handles=[curves.train, curves.val, best_dot])
    ax_l.set_title("training vs validation loss", fontsize=9)
    xs = np.arange(len(WIDTHS))
    (w_train,) = ax_w.plot(xs, np.ones(len(xs)), "o-", color="#333", label="training")
    (w_val,) = ax_w.plot(xs, np.ones(len(xs)), "s-", color="#e67e22", label="validation")
    w_now = ax_w.axvline(0, color="#999", lw=6, alpha=0.3)
    ax_w.set_xticks(xs, [f"{h}\n{n_parameters((2, h, 1))}" for h in WIDTHS], fontsize=8)
    ax_w.set_xlabel("width h  /  parameters 4h+1", fontsize=9)
    ax_w.grid(alpha=0.3)
    ax_w.yaxis.set_major_locator(MaxNLocator(4))
    ax_w.legend(loc="upper center", fontsize=7.5, ncol=2)
    ax_w.set_title("loss at the step shown, every width", fontsize=9)
    head = fig.suptitle("", fontsize=10)

    controls = {
        "width": _width_slider(32),
        "noise": slider("noise on the inputs (std)", 0.0, 0.5, 0.3, step=0.1, readout_format=".1f"),
        "step": slider("training step shown", 0, steps - record_every, steps - record_every,
                       step=record_every, integer=True),
    }

    def update():
        h = int(round(controls["width"].value))
        k = WIDTHS.index(min(WIDTHS, key=lambda w: abs(w - h)))
        h = WIDTHS[k]
        noise = min(NOISES, key=lambda v: abs(v - controls["noise"].value))
        data, hist = runs(noise)
        t = int(np.searchsorted(hist.steps, controls["step"].value))
        t = min(t, len(hist) - 1)
        step = int(hist.steps[t])
        train, val = hist.loss[:, k], hist.val_loss[:, k]
        params = hist.params(t, k)
        view.set_data(data.X, data.y)
        val_pts.set_offsets(data.X_val)
        val_pts.set_edgecolors([CLASS_COLOURS[int(v)] for v in data.y_val])
        view.update(network.predict(params, view.grid))
        curves.update(hist.steps, train, val, now=step)
        b = int(np.nanargmin(val))
        best_dot.set_data([hist.steps[b]], [val[b]])
        best_line.set_xdata([hist.steps[b]] * 2)
        ax_l.set_ylim(0, max(np.nanmax(val), np.nanmax(train)) * 1.25)
        w_train.set_ydata(hist.loss[t])
        w_val.set_ydata(hist.val_loss[t])
        w_now.set_xdata([k, k])
        both = np.concatenate([hist.loss[t], hist.val_loss[t]])
        ax_w.set_ylim(0, both.max() * 1.25)
        n_p, n_train = n_parameters((2, h, 1)), len(data.X)
        head.set_text(f"2-{h}-1: {n_p} parameters, {n_train} training points, noise {noise:.1f}")
        return _words(h, n_p, n_train, train, val, hist.steps, t)

    return Explorer(fig, controls, update, title="Overfitting: training and validation loss part ways")


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
        view = BoundaryView(ax, data.X, data.y, extent=(-2.0, 2.5, -1.6, 1.6), n=60)
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
