"""Drawings that explorers update in place: network diagram, decision boundary, loss curves.

Each view is built once on an Axes and has an ``update`` method that changes
its artists (``set_data``, ``set_array``, ...) instead of drawing anew, so a
slider redraw stays fast. Below them: tick labels for log axes and y-ranges
fitted to data, shared by every figure.
"""
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, NullLocator

from . import network

# One colour-blind-safe categorical palette for the whole package (Okabe and Ito, 2008), used for
# every categorical artist (lines, markers, bars); add line styles where colour alone would encode
# layers or series. Diverging maps for signed values (blue negative, red positive, grey 0) are apart.
OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
             "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000"}
POS, NEG, ZERO = OKABE_ITO["vermillion"], OKABE_ITO["blue"], "#a0a0a0"   # positive weights red, negative blue, exactly 0 grey
CLASS_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["orange"])                  # class 0 blue, class 1 orange
BOUNDARY_CMAP = "RdBu_r"


class NetworkDiagram:
    """Nodes in columns; each edge's width is |w| and its colour the sign of w (red +, blue -, grey 0)."""

    def __init__(self, ax, sizes=network.DEFAULT_SIZES, max_width=8.0, show_values=True, labels=None):
        """``labels``: names of the inputs (default x₁, x₂, ...). Hidden units are labelled h₁, h₂, ...
        above their circles (counting from 1, like the inputs: ``W1[i, j]`` joins input i+1 to h_(j+1))."""
        self.ax, self.sizes, self.max_width = ax, tuple(sizes), max_width
        ax.set_axis_off()
        L = len(self.sizes)
        self.xy = [np.column_stack([np.full(n, l / max(L - 1, 1)), _spread(n)]) for l, n in enumerate(self.sizes)]
        segs, self.mid = [], []
        for l in range(L - 1):
            for i in range(self.sizes[l]):
                for j in range(self.sizes[l + 1]):
                    a, b = self.xy[l][i], self.xy[l + 1][j]
                    segs.append([a, b])
                    self.mid.append(a + 0.32 * (b - a))
        self.edges = LineCollection(segs, zorder=1, capstyle="round")
        ax.add_collection(self.edges)
        allxy = np.vstack(self.xy)
        self.nodes = ax.scatter(allxy[:, 0], allxy[:, 1], s=600, c="white", edgecolors="#333",
                                linewidths=1.5, zorder=3)
        self.node_text = [ax.text(x, y, "", ha="center", va="center", fontsize=8, zorder=4)
                          for x, y in allxy]
        names = labels or (["$x_1$", "$x_2$"] if self.sizes[0] == 2 else [f"$x_{i+1}$" for i in range(self.sizes[0])])
        for (x, y), name in zip(self.xy[0], names):
            ax.text(x - 0.07, y, name, ha="right", va="center", fontsize=11)
        ax.text(self.xy[-1][0][0] + 0.07, self.xy[-1][0][1], "output", ha="left", va="center", fontsize=10)
        self.unit_labels = [ax.annotate(unit_label(j), (x, y), xytext=(0, 13), textcoords="offset points",
                                        ha="center", va="bottom", fontsize=8, color="#333", zorder=4)
                            for l in range(1, L - 1) if self.sizes[l] <= MAX_LABELLED_UNITS
                            for j, (x, y) in enumerate(self.xy[l])]
        self.values = [ax.text(x, y, "", fontsize=7, ha="center", va="center", zorder=2,
                               bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
                       for x, y in self.mid] if show_values else []
        ax.set_xlim(-0.22, 1.2)
        ax.set_ylim(-1.2, 1.2)

    def update(self, params, highlight=None):
        """Redraw edges for ``params`` (one network); ``highlight`` names a weight like 'W1[0,2]'."""
        w = np.concatenate([params[f"W{l}"].ravel() for l in range(1, len(self.sizes))])
        big = max(np.max(np.abs(w)), 1e-12)
        widths = 0.3 + self.max_width * np.abs(w) / max(big, 1.0)
        colours = np.where(w > 0, POS, np.where(w < 0, NEG, ZERO))     # NaN too is drawn grey
        if highlight is not None:
            names = [n for n in network.flat_names(self.sizes) if n.startswith("W")]
            if highlight in names:
                colours = colours.astype(object)
                colours[names.index(highlight)] = "#111"
        self.edges.set_linewidths(widths)
        self.edges.set_colors(list(colours))
        for t, v in zip(self.values, w):
            t.set_text(f"{v:+.2f}")
        biases = np.concatenate([params[f"b{l}"].ravel() for l in range(1, len(self.sizes))])
        for t, v in zip(self.node_text[self.sizes[0]:], biases):
            t.set_text(f"{v:+.2f}")


MAX_LABELLED_UNITS = 8          # wider hidden layers are drawn without unit labels (no room)
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def unit_label(j):
    """'h₁' for the hidden unit with code index j = 0 (diagrams and prose count from 1)."""
    return "h" + str(j + 1).translate(_SUBSCRIPT)


def _spread(n):
    return np.zeros(1) if n == 1 else np.linspace(0.8, -0.8, n) * min(1.0, 0.35 * n)


class BoundaryView:
    """The model's output over the input plane as a colour image, the 0.5 line, and the data."""

    def __init__(self, ax, X, y, extent=None, n=70, cmap=BOUNDARY_CMAP, label="P(class 1)"):
        if extent is None:
            lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
            extent = (lo[0], hi[0], lo[1], hi[1])
        self.ax, self.extent = ax, extent
        xs, ys = np.linspace(extent[0], extent[1], n), np.linspace(extent[2], extent[3], n)
        gx, gy = np.meshgrid(xs, ys)
        self.grid, self.shape, self.xs, self.ys = np.column_stack([gx.ravel(), gy.ravel()]), gx.shape, xs, ys
        self.image = ax.imshow(np.full(gx.shape, 0.5), origin="lower", extent=extent, cmap=cmap,
                               vmin=0, vmax=1, aspect="auto", interpolation="bilinear", alpha=0.85)
        self.line = None
        self.points = ax.scatter(X[:, 0], X[:, 1], c=[CLASS_COLOURS[int(v)] for v in y], s=14,
                                 edgecolors="white", linewidths=0.5, zorder=3)
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        self.label = label

    def set_data(self, X, y):
        """Show other data points (the image and line are kept)."""
        self.points.set_offsets(X)
        self.points.set_facecolors([CLASS_COLOURS[int(v)] for v in y])

    def update(self, values, level=0.5):
        """``values`` on the grid (n*n,) (e.g. from ``network.predict(params, view.grid)``)."""
        v = np.asarray(values, dtype=np.float64).reshape(self.shape)
        finite = np.where(np.isfinite(v), v, 0.5)
        self.image.set_data(np.clip(finite, 0, 1))
        if self.line is not None:
            self.line.remove()
            self.line = None
        if finite.min() < level < finite.max():
            self.line = self.ax.contour(self.xs, self.ys, finite, levels=[level], colors="k", linewidths=1.5)


class LossCurves:
    """Training (and validation) loss against step, on a log scale, with a marker for 'now'."""

    def __init__(self, ax, val=False, log=True, ylabel="loss"):
        self.ax = ax
        (self.train,) = ax.plot([], [], color=OKABE_ITO["black"], lw=1.6, label="training")
        self.val = ax.plot([], [], color=OKABE_ITO["orange"], lw=1.6, label="validation")[0] if val else None
        self.marker = ax.axvline(0, color="#999", lw=1, ls=":")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if val:
            ax.legend(loc="upper right", fontsize=8)

    def update(self, steps, train, val=None, now=None):
        """New curves; the y-range follows the finite values."""
        steps = np.asarray(steps)
        self.train.set_data(steps, train)
        ys = [np.asarray(train, dtype=float).ravel()]
        if self.val is not None and val is not None:
            self.val.set_data(steps, val)
            ys.append(np.asarray(val, dtype=float).ravel())
        self.marker.set_xdata([now if now is not None else (steps[-1] if len(steps) else 0)] * 2)
        legend = self.ax.get_legend()
        if legend is not None:              # no entries for curves not drawn yet (step 0, nothing trained)
            legend.set_visible(bool(np.isfinite(ys[0]).any()))
        fit_ylim(self.ax, np.concatenate(ys), log=self.ax.get_yscale() == "log")
        self.ax.set_xlim(0, max(float(steps[-1]) if len(steps) else 1.0, 1.0))


class Histogram:
    """A histogram with fixed bins whose bar heights are updated in place."""

    def __init__(self, ax, bins, color="#555", label=None):
        self.bins = np.asarray(bins, dtype=float)
        self.ax = ax
        _, _, self.bars = ax.hist([], bins=self.bins, color=color, alpha=0.8, label=label)

    def update(self, values):
        v = np.asarray(values, dtype=float).ravel()
        counts, _ = np.histogram(np.clip(v[np.isfinite(v)], self.bins[0], self.bins[-1]), self.bins)
        for bar, c in zip(self.bars, counts):
            bar.set_height(c)
        self.ax.set_ylim(0, max(1, counts.max()) * 1.1)
        return counts


# ---- log axes: plain tick labels ------------------------------------------------------------
# Tick labels are most of a redraw's cost; plain text (0.01, 10⁻³) lays out far faster than
# mathtext (10^{-3}), which matplotlib uses on log axes by default.
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_number(v, _=None):
    """A tick label as a plain number: 0.01, 2, 500, 1e+06."""
    return f"{v:g}"


def short_number(v, _=None):
    """A tick label as a plain number below 10⁴, and 1e4, 1e5, ... from there (a loss that blows up)."""
    return f"{v:g}" if v < 1e4 else f"1e{np.log10(v):.0f}"


def power_of_ten(v, _=None):
    """10⁻³ as plain text for a tick at a power of ten; '' for any other tick."""
    if v <= 0 or not np.isfinite(v):
        return ""
    k = np.log10(v)
    if abs(k - round(k)) > 1e-9:
        return ""
    return "10" + str(int(round(k))).translate(_SUPERSCRIPT)


def plain_log_axis(axis, label=plain_number):
    """Label a log axis (``ax.xaxis`` or ``ax.yaxis``) with ``label`` at the major ticks, none at the minor."""
    axis.set_major_formatter(FuncFormatter(label))
    axis.set_minor_formatter(NullFormatter())


def log_loss_axis(ax):
    """Ticks at 1, 2, 5 x 10^k written as plain numbers, no minor ticks (for a loss on a log y axis)."""
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    plain_log_axis(ax.yaxis)
    ax.yaxis.set_minor_locator(NullLocator())


def thin_log_ticks(ax):
    """Over more than two decades of y keep only the powers of ten (at most about 6 labels)."""
    lo, hi = ax.get_ylim()
    decades = np.log10(max(hi, 1e-300) / max(lo, 1e-300))
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)) if decades <= 2 else
                               LogLocator(subs=(1.0,), numticks=6))


# ---- y-ranges fitted to the data --------------------------------------------------------------
def finite_range(values, log=False):
    """(min, max) of the finite values (with ``log``, of the positive ones), or None if there are none."""
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    if log:
        v = v[v > 0]
    if not v.size:
        return None
    return float(v.min()), float(v.max())


def nice_limit(x):
    """The smallest of 1, 2, 5 x 10^k that is >= x (for symmetric axis limits)."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    k = np.floor(np.log10(x))
    for m in (1, 2, 5, 10):
        if m * 10 ** k >= x:
            return float(m * 10 ** k)
    return float(10 ** (k + 1))


def fit_ylim(ax, values, log=False, factor=1.5, min_ratio=None, lowest=None, floor=None, ceil=None,
             default=None):
    """Fit the y-range of ``ax`` to the finite values, reaching at least down to ``floor`` and up to ``ceil``.

    Log axis: (lo / factor, hi · factor), the top at least ``min_ratio`` · lo and lo at least
    ``lowest``. Linear axis: 5% of the span beyond each end. With no finite value: the range
    ``default``, or no change when it is None.
    """
    r = finite_range(values, log=log)
    if r is None and default is None:
        return
    lo, hi = default if r is None else r
    if floor is not None:
        lo = min(lo, floor)
    if ceil is not None:
        hi = max(hi, ceil)
    if log:
        lo = lo if lowest is None else max(lo, lowest)
        ax.set_ylim(lo / factor, hi * factor if min_ratio is None else max(hi * factor, lo * min_ratio))
    else:
        pad = 0.05 * (hi - lo) + 1e-9
        ax.set_ylim(lo - pad, hi + pad)


def centred_ylim(ax, values, pad=0.08, least=0.1):
    """Centre the y-range on the finite values, at least ±``least`` wide, with ``pad`` of its half-width added."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    lo, hi = (v.min(), v.max()) if v.size else (-1.0, 1.0)
    mid, half = (lo + hi) / 2, max((hi - lo) / 2, least)
    ax.set_ylim(mid - half * (1 + pad), mid + half * (1 + pad))


# ---- axes that show log10 of a value: ticks written as powers of ten --------------------------
def decade_axis(axis, ticks, lo=None, hi=None):
    """Label an axis whose data are log10|v| with 10ᵏ at each tick in ``ticks``; the tick at ``lo`` reads
    ≤10ᵏ and the one at ``hi`` ≥10ᵏ (the end bins that hold everything beyond)."""
    def label(x, _=None):
        text = power_of_ten(10.0 ** round(x))
        if lo is not None and round(x) <= lo:
            return "≤" + text
        if hi is not None and round(x) >= hi:
            return "≥" + text
        return text
    axis.set_ticks(list(ticks))
    axis.set_major_formatter(FuncFormatter(label))


# ---- faster redraws: titles and axis labels placed once ------------------------------------------
def pin_titles_and_labels(fig, ylabel_room=None):
    """Draw ``fig`` once and keep every axes' title and axis labels where matplotlib put them.

    matplotlib places a title above the tick labels and an axis label beside them at every
    draw, measuring each tick label to do it: a third of an explorer's redraw. Pinned, they stay
    put (``ylabel_room``, in axes widths, moves every y label that far left of its axes instead).
    """
    fig.canvas.draw()
    for ax in fig.axes:
        to_axes = ax.transAxes.inverted()
        if ax.get_title():
            x, y = to_axes.transform(ax.title.get_transform().transform(ax.title.get_position()))
            ax.set_title(ax.get_title(), fontsize=ax.title.get_fontsize(), y=y, pad=0)
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.label
            if label.get_text():
                x, y = to_axes.transform(label.get_transform().transform(label.get_position()))
                if axis is ax.yaxis and ylabel_room is not None:
                    x = -ylabel_room
                axis.set_label_coords(x, y)
    return fig
