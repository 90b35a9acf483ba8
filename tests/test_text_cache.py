"""The text cache behind faster redraws must not change a single pixel."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from weightlab import explore  # noqa: E402


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


def test_text_changes_colour_position_and_content_like_without_cache():
    fig = explore.figure(4, 3)
    ax = fig.add_subplot(1, 1, 1)
    label = ax.text(0.2, 0.5, "weight +1.25", rotation=30, color="red")
    ax.set_title("a $\\lambda$ title")                 # math text is drawn without the cache
    for colour, text, x in [("red", "weight +1.25", 0.2), ("blue", "weight +1.25", 0.2),
                            ("blue", "weight -0.50", 0.2), ("green", "weight -0.50", 0.31)]:
        label.set_color(colour)
        label.set_text(text)
        label.set_x(x)
        first, again = explore.render(fig), explore.render(fig)
        assert np.array_equal(first, render_uncached(fig))
        assert np.array_equal(again, first)
    plt.close(fig)


def test_unchanged_plain_text_is_not_rendered_again(monkeypatch):
    from matplotlib.backends.backend_agg import RendererAgg
    fig = explore.figure(3, 2)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_title("same text every time")
    rendered = []
    original = RendererAgg._draw_text_glyphs_and_boxes

    def counting(self, *args, **kwargs):
        rendered.append(1)
        return original(self, *args, **kwargs)
    monkeypatch.setattr(RendererAgg, "_draw_text_glyphs_and_boxes", counting)
    explore.render(fig)
    first = len(rendered)
    explore.render(fig)
    assert first > 5                      # title and tick labels were rendered once ...
    assert len(rendered) == first         # ... and replayed from the cache the second time
    plt.close(fig)


@pytest.mark.parametrize("name", sorted(explore.all_explorers()))
def test_every_explorer_looks_the_same_with_the_cache(name):
    ex = explore.all_explorers()[name]()
    try:
        for control in list(ex.controls.values())[:4]:
            for value in explore.positions(control)[::2][:2]:
                control.value = value
                cached = explore.render(ex.fig)
                assert np.array_equal(cached, render_uncached(ex.fig)), f"{name}: pixels differ"
    finally:
        plt.close(ex.fig)
