"""Faster redraws: an Agg renderer that remembers the text it drew.

Most of an explorer's redraw is text (tick labels, titles, values) that did not
change. ``cache_text(fig)`` makes the figure's Agg renderer remember, for each
plain (non-math) string at a given place, font and angle, its measured size and
the glyph images it drew, and replay them. Colour, alpha and clipping still come
from the current drawing state, so the pixels are those matplotlib draws.

The cache leans on matplotlib internals that are not public API: the Agg
renderer's C++ object ``renderer._renderer`` and its ``draw_text_image``, the
``_get_font_height_metrics`` hook that ``Text`` looks for on a renderer, and
``matplotlib.font_manager.fontManager._find_fonts_by_props``. So it is guarded:
before it is installed on a kind of renderer, each of these is looked up, and a
small figure with every kind of text is drawn plainly and with the cache (once
recorded, once replayed). If anything is missing, raises or differs by one
pixel, nothing is installed and the figure is drawn exactly as matplotlib draws it.
"""
import inspect
import numbers

import matplotlib as mpl
import numpy as np

_TEXT_CACHE_LIMIT = 4000     # entries per table before it is emptied
_PROBED = {}                 # renderer class -> the cache draws there exactly what matplotlib draws


def cache_text(fig):
    """Make redraws of ``fig`` on an Agg canvas (Agg, ipympl) reuse unchanged text. Returns fig.

    Where the matplotlib internals the cache relies on are missing or behave
    otherwise, the figure is left to draw as usual.
    """
    canvas = fig.canvas
    get_renderer = getattr(canvas, "get_renderer", None)
    if get_renderer is None or getattr(canvas, "_weightlab_text_cache", False) or _font_api_missing():
        return fig

    def get_cached_renderer(*args, **kwargs):
        renderer = get_renderer(*args, **kwargs)
        if not hasattr(renderer, "_weightlab_text_cache") and _usable(renderer):
            _TextCache(renderer).install()
        return renderer

    canvas.get_renderer = get_cached_renderer
    canvas._weightlab_text_cache = True
    return fig


# ---- the guard -------------------------------------------------------------------------------
def _font_api_missing():
    """The font-manager internals and settings the cache uses that this matplotlib lacks."""
    from matplotlib import font_manager
    missing = []
    if not callable(getattr(getattr(font_manager, "fontManager", None), "_find_fonts_by_props", None)):
        missing.append("matplotlib.font_manager.fontManager._find_fonts_by_props")
    if not callable(getattr(font_manager, "get_font", None)):
        missing.append("matplotlib.font_manager.get_font")
    missing += [f"rcParams[{key!r}]" for key in ("text.hinting", "text.hinting_factor") if key not in mpl.rcParams]
    return missing


def _renderer_missing(renderer):
    """What the cache needs of a renderer and does not find there (the C++ Agg object, method signatures)."""
    missing = []
    if not callable(getattr(getattr(renderer, "_renderer", None), "draw_text_image", None)):
        missing.append("renderer._renderer.draw_text_image")
    if not _accepts(getattr(renderer, "draw_text", None), None, 0.0, 0.0, "", None, 0.0, ismath=False, mtext=None):
        missing.append("renderer.draw_text(gc, x, y, s, prop, angle, ismath=, mtext=)")
    if not _accepts(getattr(renderer, "get_text_width_height_descent", None), "", None, False):
        missing.append("renderer.get_text_width_height_descent(s, prop, ismath)")
    if not isinstance(getattr(renderer, "dpi", None), numbers.Real):
        missing.append("renderer.dpi")
    return missing


def _accepts(method, *args, **kwargs):
    """Whether ``method`` exists and its signature takes these arguments."""
    try:
        inspect.signature(method).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return False
    return True


def _usable(renderer):
    """Whether the cache may be installed on this renderer: decided once per renderer class."""
    kind = type(renderer)
    if kind not in _PROBED:
        try:
            _PROBED[kind] = not _renderer_missing(renderer) and _same_pixels(kind, renderer.dpi)
        except Exception:     # any surprise from the internals: draw plainly
            _PROBED[kind] = False
    return _PROBED[kind]


def _same_pixels(kind, dpi):
    """Draw a small figure with every kind of text plainly, then twice with the cache
    (recorded, then replayed): True if the three pictures are identical."""
    fig = _probe_figure(dpi)
    width, height = (int(round(v)) for v in fig.bbox.size)
    plain = _draw(fig, kind(width, height, dpi))
    cached = kind(width, height, dpi)
    _TextCache(cached).install()
    recorded, replayed = _draw(fig, cached), _draw(fig, cached)
    return np.array_equal(plain, recorded) and np.array_equal(plain, replayed)


def _probe_figure(dpi):
    """Tick labels, a title, rotated, coloured, translucent, multi-line, boxed, math,
    blank and non-antialiased text on one small figure."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(3.0, 1.6), dpi=dpi)
    ax = fig.add_axes((0.42, 0.32, 0.55, 0.45))
    ax.plot([0.0, 1.0], [-1.0, 2.5])
    ax.set_title("title +0.25", fontsize=9)
    ax.set_xlabel("step", fontsize=8)
    fig.text(0.02, 0.05, "weight -1.5", rotation=30, color="#c0392b", alpha=0.6, fontsize=8)
    fig.text(0.15, 0.55, "two\nlines", ha="center", va="center", fontsize=7)
    fig.text(0.02, 0.88, "boxed", fontsize=7, bbox=dict(boxstyle="round", fc="w"))
    fig.text(0.02, 0.3, r"$\lambda = 0.1$", fontsize=8)
    fig.text(0.3, 0.9, " ", fontsize=8)
    fig.text(0.8, 0.9, "plain", fontsize=8, antialiased=False)
    return fig


def _draw(fig, renderer):
    renderer.clear()
    fig.draw(renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


# ---- the cache -------------------------------------------------------------------------------
class _TextCache:
    """One renderer's text methods, remembering sizes, glyph images and font heights by key."""

    def __init__(self, renderer):
        self.renderer = renderer
        self.draw_text_plainly = renderer.draw_text
        self.measure_plainly = renderer.get_text_width_height_descent
        self.drawn, self.sizes, self.heights = {}, {}, {}

    def install(self):
        renderer = self.renderer
        renderer.draw_text = self.draw_text
        renderer.get_text_width_height_descent = self.measure
        if not hasattr(renderer, "_get_font_height_metrics"):   # Text asks a renderer that has it
            renderer._get_font_height_metrics = self.font_height_metrics
        renderer._weightlab_text_cache = self

    def measure(self, s, prop, ismath):
        if ismath:
            return self.measure_plainly(s, prop, ismath)
        key = (s, _font_key(prop, None))
        if key not in self.sizes:
            _remember(self.sizes, key, self.measure_plainly(s, prop, ismath))
        return self.sizes[key]

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return self.draw_text_plainly(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        key = (s, x, y, angle, gc.get_antialiased(), _font_key(prop, mtext))
        images = self.drawn.get(key)
        if images is None:
            images = self._record(gc, x, y, s, prop, angle, mtext)
            if images is not None:
                _remember(self.drawn, key, images)
            return None
        agg = self.renderer._renderer
        for image, ix, iy, a in images:
            agg.draw_text_image(image, ix, iy, a, gc)
        return None

    def _record(self, gc, x, y, s, prop, angle, mtext):
        """Draw the string, noting its glyph images; None if it also drew something else (a box)."""
        renderer = self.renderer
        real = renderer._renderer
        recorder = renderer._renderer = _Recorder(real)
        try:
            self.draw_text_plainly(gc, x, y, s, prop, angle, ismath=False, mtext=mtext)
        finally:
            renderer._renderer = real
        if recorder.other or not (recorder.images or not s.strip()):
            return None
        return recorder.images

    def font_height_metrics(self, prop):
        key = _font_key(prop, None)
        if key not in self.heights:
            self.heights[key] = _font_height_metrics(prop, self.renderer.dpi)
        return self.heights[key]


class _Recorder:
    """Stands in for the C++ Agg renderer while a string is drawn, noting each glyph image."""

    def __init__(self, real):
        self.real, self.images, self.other = real, [], False

    def draw_text_image(self, image, x, y, angle, gc):
        self.images.append((np.array(image, copy=True), x, y, angle))
        return self.real.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):       # anything else (e.g. draw_path for boxes): not cacheable
        self.other = True
        return getattr(self.real, name)


def _remember(table, key, value):
    if len(table) > _TEXT_CACHE_LIMIT:
        table.clear()
    table[key] = value


def _font_key(prop, mtext):
    extra = ()
    if mtext is not None and hasattr(mtext, "get_fontfeatures"):
        extra = (tuple(mtext.get_fontfeatures() or ()), mtext.get_language())
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
            prop.get_math_fontfamily(), mpl.rcParams["text.hinting"],
            mpl.rcParams["text.hinting_factor"]) + extra


def _font_height_metrics(prop, dpi):
    """(ascent, descent, line gap) in pixels from the font's tables, as matplotlib's
    Text layout computes them; (None, None, None) lets matplotlib measure instead."""
    from matplotlib.font_manager import fontManager, get_font
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap_key, ascent_key, descent_key in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None
