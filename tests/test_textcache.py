"""The text cache behind faster redraws must not change a single pixel, and where the
matplotlib internals it relies on are gone or behave otherwise it must stay out of the way."""
import io
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from weightlab import explore, textcache
from weightlab.textcache import cache_text

# (colour, text, x) of a label changed between redraws, as a slider would change it
CHANGES = [("red", "weight +1.25", 0.2), ("blue", "weight +1.25", 0.2),
           ("blue", "weight -0.50", 0.2), ("green", "weight -0.50", 0.31), ("green", "weight -0.50", 0.31)]


def pictures(cached):
    """A figure with plain, rotated, math and boxed text, redrawn after each change of CHANGES:
    its renderer and the pixels of each redraw."""
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1, 2], [1.0, -0.5, 2.0])
    ax.set_title("loss after 0 steps")
    ax.set_xlabel("$\\lambda$ (math text is drawn without the cache)")
    ax.text(1.5, 1.5, "boxed", bbox=dict(boxstyle="round", fc="w"))
    label = ax.text(0.2, 0.5, "", rotation=30)
    if cached:
        assert cache_text(fig) is fig
    out = []
    for colour, text, x in CHANGES:
        label.set(color=colour, text=text, x=x)
        fig.canvas.draw()
        out.append(np.asarray(fig.canvas.buffer_rgba()).copy())
    return fig.canvas.renderer, out


def installed(renderer):
    """Whether the cache took over this renderer's text drawing."""
    return "draw_text" in vars(renderer) and hasattr(renderer, "_weightlab_text_cache")


def same_pictures(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.fixture(scope="module")
def plain_pictures():
    """What this matplotlib draws without the cache."""
    return pictures(cached=False)[1]


def test_with_the_internals_present_the_cache_is_installed_and_changes_no_pixel(plain_pictures):
    renderer, cached = pictures(cached=True)
    assert installed(renderer)
    assert same_pictures(cached, plain_pictures)
    assert not np.array_equal(plain_pictures[0], plain_pictures[1])   # the changes do show


def test_unchanged_plain_text_is_not_rendered_again(monkeypatch):
    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    fig.add_subplot(1, 1, 1).set_title("same text every time")
    cache_text(fig)
    rendered = []
    original = RendererAgg._draw_text_glyphs_and_boxes

    def counting(self, *args, **kwargs):
        rendered.append(1)
        return original(self, *args, **kwargs)
    monkeypatch.setattr(RendererAgg, "_draw_text_glyphs_and_boxes", counting)
    fig.canvas.draw()
    first = len(rendered)
    fig.canvas.draw()
    assert first > 5                      # title and tick labels were rendered once ...
    assert len(rendered) == first         # ... and replayed from the cache the second time


def test_the_probe_runs_once_per_kind_of_renderer(monkeypatch):
    monkeypatch.setattr(textcache, "_PROBED", {})
    probes = []
    original = textcache._same_pixels
    monkeypatch.setattr(textcache, "_same_pixels", lambda *a: probes.append(a) or original(*a))
    for _ in range(3):
        assert installed(pictures(cached=True)[0])
    assert len(probes) == 1 and probes[0][0] is RendererAgg


def test_a_canvas_without_an_agg_renderer_is_left_alone():
    def svg(cached):
        fig = Figure(figsize=(2, 1))
        fig.text(0.1, 0.5, "weight +1.25")
        if cached:
            cache_text(fig)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue(), fig
    text, fig = svg(cached=True)
    assert "get_renderer" not in vars(fig.canvas)
    assert text == svg(cached=False)[0]


# ---- a later matplotlib: the private API changed -------------------------------------------------
def _called_from_matplotlib():
    """Whether the code that asks for an attribute (the caller of the descriptor) is matplotlib's own."""
    return sys._getframe(2).f_globals.get("__name__", "").startswith("matplotlib")


class _PrivateRenderer:
    """``renderer._renderer`` as a later matplotlib might have it: its own code still reaches
    the C++ renderer; code outside matplotlib sees ``outside(real)``, or nothing if outside is None."""

    def __init__(self, outside):
        self.outside = outside

    def __get__(self, renderer, owner=None):
        if renderer is None:
            return self
        real = renderer.__dict__["_renderer"]
        if _called_from_matplotlib():
            return real
        if self.outside is None:
            raise AttributeError("_renderer")
        return self.outside(real)

    def __set__(self, renderer, value):
        renderer.__dict__["_renderer"] = value.real if isinstance(value, _Changed) else value


class _Changed:
    """The C++ renderer with ``draw_text_image`` replaced, as seen from outside matplotlib."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)


class _OtherSignature(_Changed):
    def draw_text_image(self, image, x, y, gc):              # no angle any more
        return self.real.draw_text_image(image, x, y, 0.0, gc)


class _Raising(_Changed):
    def draw_text_image(self, image, x, y, angle, gc):
        raise RuntimeError("draw_text_image is not for outside use any more")


class _OnePixelLower(_Changed):
    def draw_text_image(self, image, x, y, angle, gc):       # same signature, other meaning of y
        return self.real.draw_text_image(image, x, y + 1, angle, gc)


class _HiddenOutsideMatplotlib:
    """A class attribute that matplotlib's own code finds and code outside matplotlib does not."""

    def __init__(self, name, original):
        self.name, self.original = name, original

    def __get__(self, obj, owner=None):
        if not _called_from_matplotlib():
            raise AttributeError(self.name)
        return self.original.__get__(obj, owner)


def _later_renderer(monkeypatch, outside):
    later = type("LaterRendererAgg", (RendererAgg,), {"_renderer": _PrivateRenderer(outside)})
    monkeypatch.setattr(backend_agg, "RendererAgg", later)   # what FigureCanvasAgg.get_renderer makes


def _off_by_one_font_heights(monkeypatch):
    original = textcache._font_height_metrics

    def off(prop, dpi):
        ascent, descent, gap = original(prop, dpi)
        return ascent + 1, descent, gap
    monkeypatch.setattr(textcache, "_font_height_metrics", off)
    monkeypatch.setattr(textcache, "_PROBED", {})


LATER = {
    "renderer._renderer is gone": lambda mp: _later_renderer(mp, None),
    "draw_text_image takes other arguments": lambda mp: _later_renderer(mp, _OtherSignature),
    "draw_text_image raises": lambda mp: _later_renderer(mp, _Raising),
    "draw_text_image draws elsewhere": lambda mp: _later_renderer(mp, _OnePixelLower),
    "fontManager._find_fonts_by_props is gone": lambda mp: mp.setattr(
        font_manager.FontManager, "_find_fonts_by_props",
        _HiddenOutsideMatplotlib("_find_fonts_by_props", font_manager.FontManager._find_fonts_by_props)),
    "Text lays out lines from other font heights": _off_by_one_font_heights,
}


@pytest.mark.parametrize("change", list(LATER))
def test_without_the_internals_it_relies_on_the_figure_draws_as_without_the_cache(
        monkeypatch, plain_pictures, change):
    LATER[change](monkeypatch)
    renderer, cached = pictures(cached=True)
    assert not installed(renderer), f"{change}: the cache was installed"
    assert same_pictures(cached, plain_pictures), f"{change}: pixels differ from matplotlib's own drawing"
    assert same_pictures(pictures(cached=False)[1], plain_pictures)   # the later matplotlib draws the same


# ---- every explorer ------------------------------------------------------------------------------
def render_uncached(fig):
    """Render with matplotlib's own renderer, bypassing the cache, then restore the cache."""
    canvas = fig.canvas
    cached = canvas.__dict__.pop("get_renderer")
    canvas._lastKey = None
    try:
        return explore.render(fig)
    finally:
        canvas.get_renderer = cached
        canvas._lastKey = None


@pytest.mark.parametrize("name", sorted(explore.all_explorers()))
def test_every_explorer_looks_the_same_with_the_cache(name):
    ex = explore.all_explorers()[name]()
    try:
        assert installed(ex.fig.canvas.get_renderer())
        for control in list(ex.controls.values())[:4]:
            for value in explore.positions(control)[::2][:2]:
                control.value = value
                cached = explore.render(ex.fig)
                assert np.array_equal(cached, render_uncached(ex.fig)), f"{name}: pixels differ"
    finally:
        plt.close(ex.fig)
