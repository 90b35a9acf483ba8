"""Drawings that explorers update in place: network diagram, decision boundary, loss curves.

Each view is built once on an Axes and has an ``update`` method that changes
its artists (``set_data``, ``set_array``, ...) instead of drawing anew, so a
slider redraw stays fast.
"""
import numpy as np
from matplotlib.collections import LineCollection

from . import network

POS, NEG = "#c0392b", "#2e6fba"      # positive weights red, negative blue
CLASS_COLOURS = ("#2e6fba", "#e67e22")  # class 0 blue, class 1 orange
BOUNDARY_CMAP = "RdBu_r"


class NetworkDiagram:
    """Nodes in columns; each edge's width is |w| and its colour the sign of w (red +, blue -)."""

    def __init__(self, ax, sizes=network.DEFAULT_SIZES, max_width=8.0, show_values=True, labels=None):
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
        colours = np.where(w >= 0, POS, NEG)
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
        (self.train,) = ax.plot([], [], color="#333", lw=1.6, label="training")
        self.val = ax.plot([], [], color="#e67e22", lw=1.6, label="validation")[0] if val else None
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
        ys = [np.asarray(train, dtype=float)]
        if self.val is not None and val is not None:
            self.val.set_data(steps, val)
            ys.append(np.asarray(val, dtype=float))
        self.marker.set_xdata([now if now is not None else (steps[-1] if len(steps) else 0)] * 2)
        allv = np.concatenate([v[np.isfinite(v)] for v in ys]) if ys else np.zeros(0)
        if self.ax.get_yscale() == "log":
            allv = allv[allv > 0]
        if allv.size:
            lo, hi = allv.min(), allv.max()
            if self.ax.get_yscale() == "log":
                self.ax.set_ylim(lo / 1.5, hi * 1.5)
            else:
                pad = 0.05 * (hi - lo) + 1e-9
                self.ax.set_ylim(lo - pad, hi + pad)
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
