"""Read a drawn matplotlib figure the way a reader sees it: which artists show, in which colour and
style, and what each legend lists. Shared by the generic explorer tests and the colour-vision test."""
from collections import namedtuple

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path

# One categorical mark: its axes, apparent colour (RGB, alpha blended over the axes), style, label
# (None when unlabelled) and the colour it was given (RGB, before alpha).
Mark = namedtuple("Mark", "ax colour style label raw", defaults=(None,))

# A collection with more distinct colours than this is a colour scale (a colormap), not categories.
MAX_CATEGORIES = 20


def _in_view(ax, points, transform, connected=False):
    """Whether any finite point (data of ``transform``) lands inside the axes' box; with ``connected``,
    whether any stretch of the polyline through them crosses the box (a line may run from outside
    to outside through the panel)."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    finite = np.isfinite(points).all(axis=1)
    if not finite.any():
        return False
    xy = transform.transform(np.where(finite[:, None], points, 0.0))
    box = ax.bbox.padded(1)
    if (finite & (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1) & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)).any():
        return True
    if not connected:
        return False
    runs = np.split(np.arange(len(xy)), np.flatnonzero(~finite))      # finite stretches between gaps
    return any(Path(xy[r[finite[r]]]).intersects_bbox(box, filled=False) for r in runs if finite[r].sum() > 1)


def shown(artist):
    """Whether a reader can see ``artist``: visible, not transparent, with some of it inside its axes."""
    if not artist.get_visible() or artist.get_alpha() == 0:
        return False
    ax = artist.axes
    if ax is None or not ax.get_visible():
        return False
    if isinstance(artist, Line2D):
        connected = _dash(artist.get_linestyle()) is not None
        return _in_view(ax, artist.get_xydata(), artist.get_transform(), connected)
    if isinstance(artist, LineCollection):
        return any(_in_view(ax, s, artist.get_transform(), connected=True) for s in artist.get_segments())
    if isinstance(artist, PathCollection):
        return _in_view(ax, artist.get_offsets(), artist.get_offset_transform())
    if isinstance(artist, PolyCollection):
        paths = [p.vertices for p in artist.get_paths() if len(p.vertices)]
        return bool(paths) and _in_view(ax, np.concatenate(paths), artist.get_transform())
    if isinstance(artist, Patch):
        extent = artist.get_window_extent()
        return extent.width > 0 and extent.height > 0 and extent.overlaps(ax.bbox)
    return True


def _rgb(colour, background):
    """The colour seen: RGBA blended over the background (RGB)."""
    r, g, b, a = to_rgba(colour)
    return tuple(round(float(c * a + bg * (1 - a)), 4) for c, bg in zip((r, g, b), background))


def _mark(ax, colour, style, label, background):
    return Mark(ax, _rgb(colour, background), style, label, tuple(round(float(c), 3) for c in to_rgba(colour)[:3]))


def _dash(linestyle):
    """'-', '--', ':', '-.', or None for no line; a dash pattern counts as dashed."""
    if linestyle in (None, "None", "none", "", " "):
        return None
    if isinstance(linestyle, tuple):
        return "-" if not linestyle[1] else "--"
    return linestyle


def _marker(marker):
    return None if marker in (None, "None", "none", "", " ") else str(marker)


def real_label(label):
    """A label a reader sees, or None (matplotlib names unlabelled artists '_child3', '_nolegend_')."""
    return None if not label or str(label).startswith("_") else str(label)


def _line_marks(ax, background):
    for line in ax.lines:
        if not shown(line):
            continue
        dash, marker = _dash(line.get_linestyle()), _marker(line.get_marker())
        colour = line.get_color()
        if dash is None and marker is not None:
            face = line.get_markerfacecolor()
            colour = line.get_markeredgecolor() if to_rgba(face)[3] == 0 else face
        yield _mark(ax, colour, ("line", dash, marker), real_label(line.get_label()), background)


def _marker_shape(coll):
    """What a scatter's marker looks like: its outline (rounded) and whether it is filled."""
    paths = coll.get_paths()
    outline = tuple(np.round(paths[0].vertices, 2).ravel()) if paths else ()
    faces = coll.get_facecolors()
    return outline, bool(len(faces) and faces[:, 3].max() > 0)


def _collection_marks(ax, background):
    for coll in ax.collections:
        if not shown(coll) or coll.get_array() is not None:        # colour from a colormap: a scale
            continue
        if isinstance(coll, PathCollection):
            outline, filled = _marker_shape(coll)
            colours = coll.get_facecolors() if filled else coll.get_edgecolors()
            style = ("marker", outline, filled)
        elif isinstance(coll, LineCollection):
            colours, style = coll.get_colors(), ("segment", tuple(map(str, coll.get_linestyles()[:1])))
        elif isinstance(coll, PolyCollection):
            colours, style = coll.get_facecolors(), ("area",)
        else:
            continue
        distinct = sorted({tuple(np.round(c, 4)) for c in colours})
        if not distinct or len(distinct) > MAX_CATEGORIES:
            continue
        label = real_label(coll.get_label())
        for k, colour in enumerate(distinct):
            # several colours in one collection tell its members apart: each is a category of its own
            name = label if len(distinct) == 1 or label is None else f"{label}, colour {k + 1}"
            yield _mark(ax, colour, style, name, background)


def _patch_marks(ax, background):
    container_label = {}
    for container in ax.containers:
        for patch in getattr(container, "patches", []):
            container_label[id(patch)] = real_label(container.get_label())
    for patch in ax.patches:
        if not shown(patch) or to_rgba(patch.get_facecolor())[3] == 0:
            continue
        label = container_label.get(id(patch)) or real_label(patch.get_label())
        yield _mark(ax, patch.get_facecolor(), ("patch",), label, background)


def categorical_marks(fig):
    """Every shown line, marker, segment collection, area and patch of ``fig`` coloured by category
    (images, meshes and colormapped collections are colour scales and left out), one Mark per colour."""
    fig.canvas.draw()                  # final layout: the axes' boxes are where the reader sees them
    marks = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        background = to_rgba(ax.get_facecolor())[:3]
        for reader in (_line_marks, _collection_marks, _patch_marks):
            marks.extend(reader(ax, background))
    return marks


def legend_entries(fig):
    """(where, label, the artists with that label) for each entry of each visible legend of ``fig``;
    an entry drawn with a stand-in handle (no artist of that label) lists no artists."""
    found = []
    legends = [(ax, ax.get_legend()) for ax in fig.axes] + [(None, legend) for legend in fig.legends]
    for ax, legend in legends:
        if legend is None or not legend.get_visible():
            continue
        axes = [ax] if ax is not None else fig.axes
        artists = [a for a_x in axes for a in (*a_x.lines, *a_x.collections, *a_x.patches, *a_x.containers)]
        for text in legend.get_texts():
            label = text.get_text()
            found.append((ax, label, [a for a in artists if a.get_label() == label]))
    return found


def _container_shown(container):
    return any(shown(p) for p in getattr(container, "patches", []))


def _empty(artist):
    """An artist with no data at all: a stand-in made only to give a legend entry its look."""
    if isinstance(artist, Line2D):
        return len(artist.get_xydata()) == 0
    if isinstance(artist, LineCollection):
        return not artist.get_segments()
    if isinstance(artist, PathCollection):
        return len(artist.get_offsets()) == 0
    return False


def _raw_colours(artist):
    """The colours an artist is drawn in, without alpha (RGB, rounded)."""
    if isinstance(artist, Line2D):
        colours = [artist.get_color(), artist.get_markerfacecolor()]
    elif isinstance(artist, Patch):
        colours = [artist.get_facecolor(), artist.get_edgecolor()]
    elif hasattr(artist, "get_facecolors"):
        colours = [*artist.get_facecolors(), *artist.get_edgecolors()]
    else:
        return set()
    return {tuple(np.round(to_rgba(c)[:3], 2)) for c in colours if to_rgba(c)[3] > 0}


def _stands_for_something_shown(proxy, ax):
    """A stand-in is honest when its panel shows something else in its colour (e.g. a family of curves)."""
    others = [a for a in (*ax.lines, *ax.collections, *ax.patches) if a is not proxy and shown(a)]
    return any(_raw_colours(proxy) & _raw_colours(a) for a in others)


def _entry_shown(artist, ax):
    if hasattr(artist, "patches") and not isinstance(artist, Patch):       # a bar container
        return _container_shown(artist)
    if _empty(artist) and ax is not None:
        return _stands_for_something_shown(artist, ax)
    return shown(artist)


def hidden_legend_entries(fig):
    """The labels of legend entries whose artists are all hidden, empty or outside their panel. An empty
    artist made only for its legend entry counts as shown when its panel shows something in its colour."""
    fig.canvas.draw()
    hidden = []
    for ax, label, artists in legend_entries(fig):
        if artists and not any(_entry_shown(a, ax if ax is not None else a.axes) for a in artists):
            hidden.append(f"{label!r} in {(ax.get_title() or 'a panel') if ax else 'the figure legend'}")
    return hidden


def glyphs_missing(text):
    """The characters of ``text`` that DejaVu Sans has no glyph for. DejaVu Sans is the font matplotlib
    ships and draws figures with, and a usual fallback font of Linux systems; a character outside it
    (an emoji such as ✅ or ⏸) shows as an empty box in a figure, and in a browser without an emoji font."""
    from matplotlib import font_manager, ft2font

    charmap = ft2font.FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    return sorted({ch for ch in text if ord(ch) > 127 and ord(ch) not in charmap and ch != "\ufe0f"})


def string_constants(path):
    """Every string literal in a Python file (the text a module can show)."""
    import ast

    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]
