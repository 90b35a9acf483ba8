"""Notebook 08, L1 and L2 regularisation: explorers and the maths behind them.

* ``regularisation_explorer``: an L1/L2 switch and a penalty-strength slider
  applied to a RUNNING network (training continues from its current weights),
  with loss curves, decision boundary, weight histogram and network diagram.
* ``strength_sweep_explorer``: validation loss against penalty strength (the U
  curve) from a population of networks trained at once, one strength each.
* ``penalty_geometry_explorer``: a two-weight linear model; the L1 diamond and
  the L2 circle meet the elliptical loss contours, and L1 lands on an axis.
"""
import functools

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator, MultipleLocator, NullLocator

from .. import datasets, network, plots, regularization
from ..training import Trainer
from . import Explorer, figure, slider, toggle, words

L1_COLOUR, L2_COLOUR, ZERO_COLOUR = "#7b2cbf", "#1b9e77", "#d62728"
PENALTY_OPTIONS = [("off (λ = 0)", "none"), ("L2", "l2"), ("L1", "l1")]
PENALTY_WORDS = {"none": "no penalty", "l2": "L2", "l1": "L1"}


def noisy_moons(n=80, noise=0.25, seed=1, val_fraction=0.5):
    """The data of notebook 08: few noisy moons, half kept aside for validation."""
    return datasets.load("moons", n=n, noise=noise, seed=seed, val_fraction=val_fraction)


def all_weights(params):
    """Every weight (no biases) of one network as a flat vector."""
    return np.concatenate([W.ravel() for W in regularization.weights(params)])


def setting_label(kind, lam):
    """'L2, λ=0.01' or 'off' — used for the marks on the loss curve."""
    return "off" if kind == "none" else f"{PENALTY_WORDS[kind]}, λ={lam:.2g}"


# ---------------------------------------------------------------------------------------
# 1. The running model
# ---------------------------------------------------------------------------------------
def regularisation_explorer(sizes=(2, 16, 1), lr=0.5, steps_per_change=150, warmup=1200,
                            penalty="none", lam=0.01, seed=0, data=None):
    """Change the penalty and its strength while the network trains; nothing is reset.

    Every change sets ``trainer.penalty`` / ``trainer.lam`` and trains
    ``steps_per_change`` more steps from the current weights (L1 uses the
    proximal step, which can land on exactly 0). "reset" starts again from the
    random initial weights and trains ``warmup`` steps with the current setting.
    """
    d = noisy_moons() if data is None else data
    fig = figure(9.0, 6.0)
    gs = fig.add_gridspec(2, 2, width_ratios=[1.25, 1], hspace=0.35, wspace=0.22,
                          left=0.08, right=0.96, top=0.95, bottom=0.08)
    ax_loss, ax_boundary = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
    ax_hist, ax_net = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])

    curves = plots.LossCurves(ax_loss, val=True, log=False)
    ax_loss.set_title("loss: training (black), validation (orange)", fontsize=9)
    ax_loss.get_legend().remove()
    ax_loss.yaxis.set_major_locator(MaxNLocator(3))
    ax_loss.xaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax_loss.set_ylabel("")
    ax_loss.tick_params(labelsize=8)
    marks = LineCollection([], colors="#888", linestyles=":", linewidths=1.2)
    ax_loss.add_collection(marks)
    mark_text = [ax_loss.text(0, 0, "", rotation=90, fontsize=7, color="#444", va="top", ha="left",
                              bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.7),
                              transform=ax_loss.get_xaxis_transform()) for _ in range(3)]

    boundary = plots.BoundaryView(ax_boundary, d.X, d.y, n=50)
    ax_boundary.scatter(d.X_val[:, 0], d.X_val[:, 1], s=16, marker="x", linewidths=1,
                                     c=[plots.CLASS_COLOURS[int(v)] for v in d.y_val], zorder=3)
    ax_boundary.set_title("boundary (•: training, ×: validation)", fontsize=9)
    ax_boundary.set_xticks([])
    ax_boundary.set_yticks([])
    ax_boundary.set_xlabel("")
    ax_boundary.set_ylabel("")

    bins = np.linspace(-3.1, 3.1, 32)          # 31 bins of 0.2, one centred on 0
    hist = plots.Histogram(ax_hist, bins, color="#777", label="not zero")
    zero_bar = ax_hist.bar([0.0], [0], width=bins[1] - bins[0], color=ZERO_COLOUR, alpha=0.8,
                           label="exactly 0")[0]      # one bar: the weights that are exactly 0
    ax_hist.set_title(f"how many of the {sum(a * b for a, b in zip(sizes, sizes[1:]))} weights; "
                      "red: exactly 0", fontsize=9)
    ax_hist.set_xlabel("weight value", fontsize=9)
    ax_hist.set_xticks([-3, 0, 3])
    ax_hist.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax_hist.tick_params(labelsize=8)

    diagram = plots.NetworkDiagram(ax_net, sizes=sizes, show_values=False, max_width=4.0)
    diagram.nodes.set_sizes(np.full(sum(sizes), 40.0 if max(sizes) > 8 else 150.0))
    for t in diagram.node_text:
        t.set_visible(False)
    ax_net.set_title("width |w|; red +, blue −, grey: exactly 0", fontsize=9)

    controls = {
        "penalty": toggle("penalty", PENALTY_OPTIONS, value=penalty),
        "lam": slider("penalty strength λ (log scale)", -4, 0, lam, log=True),
    }
    train_more = widgets.Button(description=f"train {steps_per_change} more steps", layout={"width": "200px"})
    reset = widgets.Button(description="reset (new start)", layout={"width": "160px"})
    init = network.init_params(sizes, seed=seed)
    state = {}

    def start():
        state["trainer"] = Trainer(init, d.X, d.y, lr=lr, X_val=d.X_val, y_val=d.y_val,
                                   record_every=25, record_params=False)
        state["marks"] = []            # (step, label) of every change of setting
        state["applied"] = None
        state["pending"] = warmup
        state["before"] = None         # mean |w| when the current setting began

    def update():
        tr = state["trainer"]
        kind, strength = controls["penalty"].value, float(controls["lam"].value)
        setting = (kind, strength if kind != "none" else 0.0)
        if setting != state["applied"]:
            tr.penalty, tr.lam = kind, setting[1]
            state["marks"].append((tr.t, setting_label(*setting)))
            state["applied"] = setting
            state["before"] = float(np.mean(np.abs(all_weights(tr.current))))
        n = state.pop("pending", None) or steps_per_change
        start_step = tr.t
        tr.step(n)
        h = tr.history
        curves.update(h.steps, h.loss, h.val_loss, now=start_step)
        both = np.concatenate([h.loss, h.val_loss])
        both = both[np.isfinite(both)]
        ax_loss.set_ylim(0, 1.05 * max(float(both.max()) if both.size else 1.0, 0.75))
        marks.set_segments([[(s, 1e-9), (s, 1e9)] for s, _ in state["marks"]])
        shown = state["marks"][-len(mark_text):]
        for i, txt in enumerate(mark_text):
            if i < len(shown):
                txt.set_position((shown[i][0], 0.96))
                txt.set_text(" " + shown[i][1])
                txt.set_visible(True)
            else:
                txt.set_visible(False)

        params = tr.current
        boundary.update(network.predict(params, boundary.grid))
        w = all_weights(params)
        n_zero = int(regularization.count_zeros(params))
        c1 = hist.update(w[w != 0])
        zero_bar.set_height(n_zero)
        ax_hist.set_ylim(0, 1.1 * max(1, c1.max(), n_zero))
        diagram.update(params)
        zero_edges = w == 0
        diagram.edges.set_colors([("#b0b0b0" if z else plots.POS if v > 0 else plots.NEG)
                                  for z, v in zip(zero_edges, w)])
        diagram.edges.set_linewidths(np.where(zero_edges, 0.9, diagram.edges.get_linewidths()))
        diagram.edges.set_linestyles([":" if z else "-" for z in zero_edges])

        return words(status_text(tr, kind, setting[1], w, n_zero, n, state["before"]),
                     "error" if tr.diverged else "info")

    def on_train(_):
        ex.refresh()

    def on_reset(_):
        start()
        ex.refresh()

    start()
    ex = Explorer(fig, controls, update, title="Penalise the weights of a running network")
    train_more.on_click(on_train)
    reset.on_click(on_reset)
    ex.buttons = {"train_more": train_more, "reset": reset}
    ex.widget.children = ex.widget.children[:-1] + (widgets.HBox([train_more, reset]), ex.widget.children[-1])
    ex.state = state            # the running Trainer and the marks, for tests and curious learners
    return ex


def status_text(tr, kind, lam, w, n_zero, n_steps, before):
    """What happened, in words: steps, losses, exact zeros versus shrinkage."""
    h = tr.history
    if tr.diverged:
        return f"Training stopped: {h.reason}"
    total = w.size
    small = int(np.sum((w != 0) & (np.abs(w) < 0.01)))
    mean = float(np.mean(np.abs(w)))
    head = (f"Step {tr.t} (trained {n_steps} more steps from the current weights). "
            f"Training loss {h.loss[-1]:.3f}, validation loss {h.val_loss[-1]:.3f}. ")
    if n_zero == total:
        return head + ("Every weight is exactly zero: the network gives the same answer everywhere (about 0.5). "
                       "At W = 0 the hidden units all say the same thing and the output ignores them, so the "
                       "data gradient of every weight is almost 0, and L1's threshold wipes it out at any λ: "
                       "the network stays stuck. Switch to L2 or off and it escapes (this is a saddle point, "
                       "not a minimum), or press reset.")
    if kind == "none":
        what = (f"No penalty: the weights are free to grow (mean |w| = {mean:.2f}); "
                f"{n_zero} of {total} weights are exactly zero.")
    elif kind == "l2":
        what = (f"L2, λ = {lam:.2g}: every step multiplies each weight by 1 − lr·λ = {1 - tr.lr * lam:.4g} "
                f"before the data gradient acts; mean |w| went from {before:.2f} to {mean:.2f}. "
                f"{n_zero} of {total} weights are exactly zero ({small} {'is' if small == 1 else 'are'} "
                "smaller than 0.01: shrunk, not removed).")
    else:
        what = (f"L1, λ = {lam:.2g}: after each gradient step the proximal step moves every weight "
                f"lr·λ = {tr.lr * lam:.2g} towards 0, and those closer to 0 than that land on exactly 0; "
                f"{n_zero} of {total} weights are exactly zero now "
                f"(mean |w| went from {before:.2f} to {mean:.2f}).")
    return head + what


# ---------------------------------------------------------------------------------------
# 2. Choosing the strength: a population, one λ per network
# ---------------------------------------------------------------------------------------
def strength_grid(n=20, lo=-4, hi=0):
    """λ = 0 followed by n values log-spaced from 10**lo to 10**hi."""
    return np.concatenate([[0.0], np.logspace(lo, hi, n)])


def sweep(kind, lams, sizes=(2, 16, 1), lr=0.5, steps=1500, record_every=25, seed=0, data=None):
    """Train one network per λ at once (same initial weights, same data); returns the Trainer.

    Its history holds training and validation loss, and the parameters, every
    ``record_every`` steps, with one column per λ.
    """
    d = noisy_moons() if data is None else data
    lams = np.asarray(lams, dtype=np.float64)
    one = network.init_params(sizes, seed=seed)
    pop = {k: np.repeat(v[None], len(lams), axis=0) for k, v in one.items()}
    tr = Trainer(pop, d.X, d.y, lr=lr, penalty=kind, lam=lams, X_val=d.X_val, y_val=d.y_val,
                 record_every=record_every)
    tr.step(steps + 1)              # the last record holds the weights after ``steps`` steps
    return tr


@functools.lru_cache(maxsize=4)
def _cached_sweep(kind, n_lams, sizes, lr, steps, seed):
    # the explorer only reads the history, so a rebuilt explorer can reuse a finished run
    return sweep(kind, strength_grid(n_lams), sizes, lr, steps, seed=seed)


def strength_position(lams, zero_at=-5.0):
    """Where to plot each λ: log10(λ), and λ = 0 at ``zero_at`` (a log axis has no 0)."""
    lams = np.asarray(lams, dtype=np.float64)
    return np.where(lams > 0, np.log10(np.where(lams > 0, lams, 1.0)), zero_at)


def best_strength(lams, val_loss):
    """The λ with the smallest validation loss (diverged networks, NaN, are skipped), and its index."""
    val_loss = np.asarray(val_loss, dtype=np.float64)
    if not np.isfinite(val_loss).any():
        return None, None
    i = int(np.nanargmin(np.where(np.isfinite(val_loss), val_loss, np.nan)))
    return float(np.asarray(lams)[i]), i


def strength_sweep_explorer(n_lams=20, steps=850, lr=0.9, sizes=(2, 16, 1), seed=0):
    """Validation loss against λ (the U curve) for L2 and L1, from two populations trained at once.

    The step slider replays training: early on nothing overfits yet and the
    left side of the U is flat; later the unpenalised networks overfit.
    """
    lams = strength_grid(n_lams)
    runs = {kind: _cached_sweep(kind, n_lams, tuple(sizes), lr, steps, seed) for kind in ("l2", "l1")}
    steps_rec = runs["l2"].history.steps
    wmask = np.array([name.startswith("W") for name in network.flat_names(sizes)])
    zeros = {k: (r.history.params[:, :, wmask] == 0).sum(axis=2) for k, r in runs.items()}
    n_weights = int(wmask.sum())
    x = strength_position(lams)

    fig = figure(9.0, 3.6)
    ax_u, ax_z = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.4, 1], wspace=0.3,
                                                     left=0.08, right=0.98, top=0.9, bottom=0.16))
    colours = {"l2": L2_COLOUR, "l1": L1_COLOUR}
    lines = {}
    for kind in ("l2", "l1"):
        c = colours[kind]
        lines[kind] = dict(
            val=ax_u.plot(x, np.zeros_like(x), "-o", ms=3, color=c, lw=1.8, label=kind.upper())[0],
            train=ax_u.plot(x, np.zeros_like(x), "--", color=c, lw=1.1, alpha=0.8)[0],
            best=ax_u.plot([], [], "*", ms=17 if kind == "l2" else 10, color=c, markeredgecolor="k",
                           zorder=5 if kind == "l2" else 6)[0],
            zeros=ax_z.plot(x, np.zeros_like(x), "-o", ms=3, color=c, lw=1.8)[0],
        )
    for ax in (ax_u, ax_z):
        ax.set_xlim(-5.3, 0.2)
        ax.set_xticks(strength_position([0, 1e-4, 1e-2, 1]))
        ax.set_xticklabels(["0", "0.0001", "0.01", "1"])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.tick_params(labelsize=8)
        ax.set_xlabel("penalty strength λ (0, then log scale)")
        ax.grid(alpha=0.3)
    ax_u.yaxis.set_major_locator(MaxNLocator(4))
    ax_z.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax_u.axhline(np.log(2), color="#999", lw=0.8)
    ax_u.text(-5.2, np.log(2) - 0.01, "log 2 = 0.693: a coin flip", fontsize=7, color="#666", ha="left", va="top")
    ax_u.legend(fontsize=8, loc="upper center", ncol=2)
    ax_u.set_title("loss: validation (solid), training (dashed); ★ best", fontsize=9)
    ax_z.set_ylim(-1, n_weights + 2)
    ax_z.set_ylabel(f"weights exactly 0 (of {n_weights})")
    ax_z.set_title("exact zeros: L1 makes them, L2 does not", fontsize=9)

    controls = {
        "step": slider("after training step", int(steps_rec[0]), int(steps_rec[-1]), int(steps_rec[-1]),
                       step=int(steps_rec[1] - steps_rec[0]), integer=True),
        "show": toggle("show", [("L2 and L1", "both"), ("L2", "l2"), ("L1", "l1")], value="both"),
    }

    def update():
        t = int(np.searchsorted(steps_rec, controls["step"].value, side="right") - 1)
        t = max(t, 0)
        show = controls["show"].value
        hi = 0.0
        found = {}
        for kind, h in ((k, r.history) for k, r in runs.items()):
            val, train = h.val_loss[t], h.loss[t]
            L = lines[kind]
            L["val"].set_ydata(val)
            L["train"].set_ydata(train)
            L["zeros"].set_ydata(zeros[kind][t])
            lam, i = best_strength(lams, val)
            found[kind] = (lam, i, val, zeros[kind][t])
            mark = i is not None and steps_rec[t] > 0          # before training all networks are the same
            L["best"].set_data([x[i]] if mark else [], [val[i]] if mark else [])
            visible = show in ("both", kind)
            for artist in L.values():
                artist.set_visible(visible)
            if visible:
                hi = max(hi, np.nanmax(np.where(np.isfinite(val), val, np.nan)))
        ax_u.set_ylim(0, max(1.0, 1.05 * hi))
        return words(sweep_text(int(steps_rec[t]), found, show, n_weights), "info")

    return Explorer(fig, controls, update, title="Choose the penalty strength on validation data")


def sweep_text(step, found, show, n_weights):
    """The best λ for each penalty, in words."""
    if step == 0:
        return ("Before training every network has the same initial weights, so λ has not acted yet: "
                "move the step slider to the right.")
    parts = [f"After {step} steps:"]
    for kind in ("l2", "l1"):
        if show not in ("both", kind):
            continue
        lam, i, val, zeros = found[kind]
        if lam is None:
            parts.append(f"every {kind.upper()} network diverged.")
            continue
        parts.append(f"{kind.upper()}: best λ = {lam:.2g}, validation loss {val[i]:.3f} "
                     f"(no penalty: {val[0]:.3f}; {int(zeros[i])} of {n_weights} weights exactly 0).")
    parts.append("Left of the best λ the networks overfit the training points; right of it the penalty "
                 "wins and every weight is pulled to 0 (loss → log 2 ≈ 0.693, a coin flip).")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# 3. The geometry: two weights, an elliptical loss, a diamond and a circle
# ---------------------------------------------------------------------------------------
def two_weight_problem(n=60, rho=0.6, w_true=(1.5, 0.4), noise=0.5, seed=3):
    """A linear model y ≈ x1·w1 + x2·w2 on seeded data with correlated inputs.

    Its loss L(w) = 1/(2n)·|Xw − y|² = ½ wᵀAw − bᵀw + c is a quadratic bowl with
    elliptical contours. Returns (A, b, c) with A = XᵀX/n, b = Xᵀy/n, c = yᵀy/(2n).
    """
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, rho], [rho, 1.0]])
    X = rng.standard_normal((n, 2)) @ np.linalg.cholesky(cov).T
    y = X @ np.asarray(w_true, dtype=np.float64) + noise * rng.standard_normal(n)
    return X.T @ X / n, X.T @ y / n, float(y @ y) / (2 * n)


def quadratic_loss(A, b, c, w):
    """L(w) = ½ wᵀAw − bᵀw + c for w of shape (..., 2)."""
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * np.einsum("...i,ij,...j->...", w, A, w) - w @ b + c


def ridge(A, b, lam):
    """argmin L(w) + λ/2·|w|²  =  (A + λI)⁻¹ b  (closed form); λ may be an array (returns (..., 2))."""
    lam = np.asarray(lam, dtype=np.float64)
    eye = np.eye(len(b))
    return np.linalg.solve(A + lam[..., None, None] * eye, np.broadcast_to(b, lam.shape + b.shape)[..., None])[..., 0]


def lasso(A, b, lam, iters=200):
    """argmin L(w) + λ·|w|₁ by coordinate descent: w_j ← S(b_j − Σ_{k≠j} A_jk w_k, λ) / A_jj.

    S(v, t) = sign(v)·max(|v| − t, 0) is the soft threshold; each coordinate update
    is exact, so w_j lands on exactly 0 whenever |b_j − Σ_{k≠j} A_jk w_k| ≤ λ.
    λ may be an array (returns (..., 2)).
    """
    lam = np.asarray(lam, dtype=np.float64)
    w = np.zeros(lam.shape + b.shape)
    for _ in range(iters):
        for j in range(len(b)):
            r = b[j] - w @ A[j] + w[..., j] * A[j, j]
            w[..., j] = regularization.soft_threshold(r, lam) / A[j, j]
    return w


def ellipse_through(A, w_min, w_point, n=120):
    """Points of the loss contour {w : L(w) = L(w_point)} around the minimum w_min (an ellipse)."""
    d = np.asarray(w_point) - w_min
    level = float(d @ A @ d)                   # (w − w_min)ᵀ A (w − w_min), constant on a contour
    vals, vecs = np.linalg.eigh(A)
    t = np.linspace(0, 2 * np.pi, n)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1)
    return w_min + np.sqrt(max(level, 0.0)) * (circle / np.sqrt(vals)) @ vecs.T


def penalty_geometry_explorer(lam=1.0, problem=None):
    """Why L1 gives exact zeros and L2 does not, for two weights.

    Left: loss contours; the penalised solution is where a contour first touches
    the L1 diamond |w1|+|w2| = t (or the L2 circle |w| = r) that passes through it.
    Right: both solutions as λ grows; L1's w2 reaches exactly 0, L2's only shrinks.
    """
    A, b, c = two_weight_problem() if problem is None else problem
    w_min = np.linalg.solve(A, b)
    lam_max = float(np.max(np.abs(b)))          # from here on the L1 solution is (0, 0)
    top = float(np.ceil(12 * lam_max) / 10)         # a little past the point where L1 is all zeros
    path_lams = np.linspace(0, top, 231)
    path_l1, path_l2 = lasso(A, b, path_lams), ridge(A, b, path_lams)

    fig = figure(9.0, 4.0)
    ax, ax_path = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.15], wspace=0.28,
                                                      left=0.07, right=0.98, top=0.9, bottom=0.13))
    lo, hi = -1.0, max(2.0, float(w_min.max()) + 0.3)
    g = np.linspace(lo, hi, 90)
    gw = np.stack(np.meshgrid(g, g), axis=-1)
    Z = quadratic_loss(A, b, c, gw)
    levels = np.quantile(Z, np.linspace(0.0, 0.85, 12) ** 2)
    ax.contour(g, g, Z, levels=levels, colors="#bbb", linewidths=0.8)
    ax.axhline(0, color="#444", lw=0.8)
    ax.axvline(0, color="#444", lw=0.8)
    ax.plot(*w_min, "k+", ms=12, mew=2)
    ax.annotate("no penalty", w_min, xytext=(6, 6), textcoords="offset points", fontsize=8)
    ax.plot(path_l1[:, 0], path_l1[:, 1], color=L1_COLOUR, lw=0.8, alpha=0.5)
    ax.plot(path_l2[:, 0], path_l2[:, 1], color=L2_COLOUR, lw=0.8, alpha=0.5)
    diamond = ax.plot([], [], color=L1_COLOUR, lw=2, label="L1 diamond |w₁|+|w₂| = t")[0]
    circle = ax.plot([], [], color=L2_COLOUR, lw=2, label="L2 circle |w| = r")[0]
    touch1 = ax.plot([], [], color=L1_COLOUR, lw=1, ls="--")[0]
    touch2 = ax.plot([], [], color=L2_COLOUR, lw=1, ls="--")[0]
    sol1 = ax.plot([], [], "o", color=L1_COLOUR, ms=9, mec="k", zorder=5)[0]
    sol2 = ax.plot([], [], "s", color=L2_COLOUR, ms=8, mec="k", zorder=5)[0]
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.set_xticks(np.arange(np.ceil(lo), hi + 1e-9))
    ax.set_yticks(np.arange(np.ceil(lo), hi + 1e-9))
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("loss contours meet the penalty's shape", fontsize=9)

    for j in range(2):
        ax_path.plot(path_lams, path_l1[:, j], color=L1_COLOUR, lw=1.8, ls="-" if j == 0 else "-.",
                     label="L1" if j == 0 else None)
        ax_path.plot(path_lams, path_l2[:, j], color=L2_COLOUR, lw=1.8, ls="-" if j == 0 else "-.",
                     label="L2" if j == 0 else None)
    ax_path.axhline(0, color="#444", lw=0.8)
    now = ax_path.axvline(0, color="#333", lw=1, ls=":")
    dots = ax_path.plot([], [], "o", color="k", ms=4)[0]
    ax_path.set_xlim(0, path_lams[-1])
    ax_path.set_xlabel("penalty strength λ")
    ax_path.set_ylabel("weight at the optimum")
    ax_path.xaxis.set_major_locator(MultipleLocator(0.5))
    ax_path.yaxis.set_major_locator(MaxNLocator(4))
    ax_path.legend(fontsize=8, loc="upper right")
    ax_path.grid(alpha=0.3)
    ax_path.set_title("w₁ (solid) and w₂ (dash-dot) as λ grows", fontsize=9)

    controls = {"lam": slider("penalty strength λ", 0.0, top, lam, step=0.01)}

    def update():
        lam_now = float(controls["lam"].value)
        w1, w2 = lasso(A, b, lam_now), ridge(A, b, lam_now)
        t, r = np.abs(w1).sum(), np.hypot(*w2)
        diamond.set_data([t, 0, -t, 0, t], [0, t, 0, -t, 0])
        a = np.linspace(0, 2 * np.pi, 100)
        circle.set_data(r * np.cos(a), r * np.sin(a))
        touch1.set_data(*ellipse_through(A, w_min, w1).T)
        touch2.set_data(*ellipse_through(A, w_min, w2).T)
        sol1.set_data([w1[0]], [w1[1]])
        sol2.set_data([w2[0]], [w2[1]])
        now.set_xdata([lam_now, lam_now])
        dots.set_data([lam_now] * 4, [w1[0], w1[1], w2[0], w2[1]])
        return words(geometry_text(lam_now, w1, w2, w_min), "info")

    return Explorer(fig, controls, update, title="L1 lands on an axis, L2 does not")


def geometry_text(lam, w1, w2, w_min):
    """The two penalised solutions in words."""
    if lam == 0:
        return (f"λ = 0: no penalty, both solutions are the plain minimum w = ({w_min[0]:.2f}, {w_min[1]:.2f}). "
                "Move λ up.")
    zeros = [f"w{j + 1}" for j in range(2) if w1[j] == 0]
    l1 = (f"L1: w = ({w1[0]:.3f}, {w1[1]:.3f}), " +
          ("both weights are exactly 0: the diamond has shrunk to the origin."
           if len(zeros) == 2 else
           f"{zeros[0]} is exactly 0: the contour touches the diamond at its corner, on an axis."
           if zeros else "both weights still non-zero: the contour touches an edge of the diamond."))
    l2 = (f"L2: w = ({w2[0]:.3f}, {w2[1]:.3f}), both shrunk by the factor of (A + λI)⁻¹, "
          "neither exactly 0: a circle has no corners to land on.")
    return f"λ = {lam:.2f}. {l1} {l2}"
