"""What every explorer gets from the Explorer base: a static view for pages without a kernel, values a
control cannot take refused in words (the picture kept), one live figure per re-run cell, and status
lines that never carry an unescaped tag from outside text."""
import gc
import html
import html.parser
import math
import warnings
import weakref

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import explore

FACTORIES = explore.all_explorers()
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


class Tags(html.parser.HTMLParser):
    """The tags of an HTML fragment, and whether any attribute is an event handler or a script URL."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.unsafe = set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.unsafe += [name for name, value in attrs if name.startswith("on") or "javascript:" in (value or "")]


def published(ex):
    """The mimebundles an explorer publishes when displayed."""
    shown = []
    original = explore.display
    explore.display = lambda data, raw=False, metadata=None: shown.append((data, metadata))
    try:
        ex._ipython_display_()
    finally:
        explore.display = original
    return shown


@pytest.fixture(params=sorted(FACTORIES))
def ex(request):
    made = FACTORIES[request.param]()
    yield made
    plt.close(made.fig)


# ---- the static view ----------------------------------------------------------------------------

def test_the_stored_output_is_settings_html_then_a_png(ex):
    (settings, _), (picture, meta) = published(ex)
    assert set(settings) == {"application/vnd.jupyter.widget-view+json", "text/plain", "text/html"}
    assert "JupyterLab" in settings["text/plain"] and "Binder" in settings["text/plain"]
    assert "\n" not in settings["text/plain"] and ex.title in settings["text/plain"]
    assert "text/html" not in picture and picture["image/png"]
    assert not picture["text/plain"].startswith(("<Figure", "Canvas(")), picture["text/plain"]
    assert meta is None                          # no width in the metadata: JupyterLab then leaves canvases blank


def test_the_settings_html_shows_every_setting_with_its_value_as_the_readout_does(ex):
    page = ex.static_html()
    tags = Tags(page)
    assert tags.tags <= {"div", "ul", "li", "b", "span", "br", "i", "sub", "sup"}, tags.tags
    assert not tags.unsafe and ex.status.value in page
    for name, control in ex.controls.items():
        if isinstance(control, (widgets.Button, widgets.Play)) or not hasattr(control, "value"):
            continue
        label = explore.escape((control.description or name).rstrip(": "))
        assert f"<li>{label}: <b>" in page, f"{name} ({label}) is not listed"
    for label, value in explore.settings_shown(ex.controls):
        assert f"{explore.escape(label)}: <b>{explore.escape(value)}</b>" in page


def test_values_are_shown_as_their_readout_shows_them():
    controls = {"lr": explore.slider("learning rate", -3, 1, 0.3, log=True),
                "w": explore.slider("weight", -5, 5, 2.4, readout_format=".1f"),
                "n": explore.slider("steps", 0, 100, 40, integer=True),
                "act": explore.dropdown("activation", [("hyperbolic tangent", "tanh"), ("ReLU", "relu")], "relu"),
                "on": widgets.Checkbox(value=True, description="penalty on")}
    assert explore.settings_shown(controls) == [("learning rate", "0.3"), ("weight", "2.4"), ("steps", "40"),
                                                ("activation", "ReLU"), ("penalty on", "on")]


def test_a_figure_shown_alone_keeps_its_png_and_loses_the_caption():
    before = matplotlib.get_backend()               # importing ipympl switches to it
    backend = pytest.importorskip("ipympl.backend_nbagg")
    from matplotlib.figure import Figure

    try:
        fig = Figure(figsize=(2.0, 1.5))
        canvas = backend.Canvas(fig)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            backend.FigureManager(canvas, 0)
        fig.add_subplot().set_title("a parabola")
        shown = []
        original = explore.display
        explore.display = lambda data, raw=False, metadata=None: shown.append(data)
        try:
            explore.show(fig)
        finally:
            explore.display = original
        (data,) = shown
        assert "application/vnd.jupyter.widget-view+json" in data and data["image/png"]
        assert "text/html" not in data                  # ipympl's HTML: the PNG again, under a "Figure" caption
        assert data["text/plain"] == "[picture: a parabola]"
    finally:
        plt.close("all")
        plt.switch_backend(before)


# ---- values a control cannot take ---------------------------------------------------------------

def _numeric(ex):
    return [name for name, c in ex.controls.items() if isinstance(c, explore.NUMERIC)
            and not isinstance(c, widgets.Play)]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")], ids=["nan", "inf", "-inf"])
def test_a_non_finite_value_set_from_python_is_refused_and_the_picture_stays(ex, bad):
    names = _numeric(ex)
    if not names:
        pytest.skip(f"{type(ex).__name__} has no numeric control")
    for name in names:
        before, value, redraws = explore.render(ex.fig), ex.controls[name].value, ex.redraws
        ex.set(**{name: bad})                            # does not raise
        assert ex.controls[name].value == value and ex.redraws == redraws
        assert np.array_equal(before, explore.render(ex.fig)), f"{name}: the picture changed"
        status = ex.status.value
        assert "not a finite number" in status and "picture is unchanged" in status, status
        assert "nan" not in status.lower().replace("not a finite number", ""), status


def test_nan_put_on_the_control_itself_is_put_back_with_a_status_line(ex):
    for name in _numeric(ex):
        control = ex.controls[name]
        if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText, widgets.IntText)):
            continue                                     # ipywidgets itself refuses NaN for an int (TraitError)
        before, value = explore.render(ex.fig), control.value
        control.value = float("nan")
        assert control.value == value and not math.isnan(control.value)
        assert np.array_equal(before, explore.render(ex.fig))
        assert "not a finite number" in ex.status.value


def test_set_refuses_text_out_of_range_values_and_unknown_options_but_sets_the_rest():
    ex = FACTORIES["playground.playground_explorer"]()
    try:
        lr, act = ex.controls["lr"].value, ex.controls["activation"].value
        ex.set(lr="fast", activation="swish", noise=0.3)
        assert ex.controls["lr"].value == lr and ex.controls["activation"].value == act
        assert ex.controls["noise"].value == 0.3                  # the good value is applied
        status = html.unescape(ex.status.value)
        assert "'fast'" in status and "'swish'" in status and "one of 'tanh'" in status
        ex.set(lr=1e9)                                            # ipywidgets would move it to the end
        assert ex.controls["lr"].value == lr and "from 0.0001 to 10" in ex.status.value
        with pytest.raises(ValueError, match="no control named"):
            ex.set(speed=1)
    finally:
        plt.close(ex.fig)


# ---- one live figure per cell --------------------------------------------------------------------

def test_25_re_runs_of_a_cell_leave_one_figure_open_and_no_warning(monkeypatch):
    monkeypatch.setattr(explore, "_cell", lambda: "cell-7")
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")                   # matplotlib warns at more than 20 open figures
        made = [FACTORIES["welcome.welcome_explorer"]() for _ in range(25)]
    try:
        assert plt.get_fignums() == [made[-1].fig.number]
        assert all(old.status.comm is None for old in made[:-1])
    finally:
        plt.close("all")


def test_25_re_runs_of_the_playground_leave_one_figure_open(monkeypatch):
    monkeypatch.setattr(explore, "_cell", lambda: "cell-3")
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(25):
            last = FACTORIES["playground.playground_explorer"]()
            assert len(plt.get_fignums()) == 1
    plt.close(last.fig)


def test_a_replaced_explorer_is_freed_with_its_runs(monkeypatch):
    """Closing takes every widget out of ipywidgets' registry: nothing keeps the old explorer (its
    figure, its training runs) in memory once the cell has made a new one."""
    monkeypatch.setattr(explore, "_cell", lambda: "cell-9")
    old = weakref.ref(FACTORIES["playground.playground_explorer"](steps=50))
    new = FACTORIES["playground.playground_explorer"]()
    gc.collect()
    try:
        assert old() is None, "the replaced playground is still referenced"
    finally:
        plt.close(new.fig)


def test_explorers_of_other_cells_or_kinds_stay_open(monkeypatch):
    plt.close("all")
    cell = {"id": "a"}
    monkeypatch.setattr(explore, "_cell", lambda: cell["id"])
    first = FACTORIES["welcome.welcome_explorer"]()
    cell["id"] = "b"
    second = FACTORIES["welcome.welcome_explorer"]()
    other_kind = FACTORIES["neuron.neuron_explorer"]()
    try:
        assert sorted(plt.get_fignums()) == sorted(e.fig.number for e in (first, second, other_kind))
    finally:
        plt.close("all")


def test_outside_a_kernel_no_explorer_is_closed_behind_your_back():
    plt.close("all")
    a, b = FACTORIES["welcome.welcome_explorer"](), FACTORIES["welcome.welcome_explorer"]()
    try:
        assert explore._cell() is None
        assert sorted(plt.get_fignums()) == sorted([a.fig.number, b.fig.number])
        explore.render(a.fig)                             # the first one still draws
    finally:
        plt.close("all")


def test_a_refused_explorer_leaves_no_figure_open():
    plt.close("all")
    with pytest.raises(ValueError, match="lr="):
        FACTORIES["playground.playground_explorer"](lr=1e9)      # refused by its slider, after its figure exists
    assert plt.get_fignums() == []


# ---- outside text in status lines ------------------------------------------------------------------

def test_escape_makes_hostile_text_inert_and_short():
    for text in (HOSTILE, "a" * 10**6 + HOSTILE, ValueError(HOSTILE), ["<b>", "</span>"]):
        safe = explore.escape(text)
        assert len(safe) < 1300 and "<" not in safe and ">" not in safe
        assert Tags(explore.words(safe, "error")).tags == {"span"}


def test_words_says_that_outside_text_goes_through_escape():
    assert "escape" in explore.words.__doc__ and "outside" in explore.words.__doc__


def test_a_status_built_from_hostile_text_holds_no_tag_of_it():
    ex = FACTORIES["playground.playground_explorer"]()
    try:
        ex.set(activation=HOSTILE, dataset=HOSTILE * 1000)      # refused: the status quotes the values
        tags = Tags(ex.status.value)
        assert tags.tags <= {"span", "br"} and not tags.unsafe, tags.tags
        assert len(ex.status.value) < 5000
        page = Tags(ex.static_html())
        assert "img" not in page.tags and "script" not in page.tags and not page.unsafe
    finally:
        plt.close(ex.fig)


def test_the_static_html_escapes_outside_text_in_a_setting():
    text = widgets.Text(value=HOSTILE, description="file name")
    fig = explore.figure(2.0, 1.5)
    ex = explore.Explorer(fig, {"name": text}, lambda: explore.words(f"file {explore.escape(text.value)}"),
                          title="A <i>title</i>")
    try:
        tags = Tags(ex.static_html())
        assert tags.tags <= {"div", "ul", "li", "b", "span"} and not tags.unsafe, tags.tags
    finally:
        plt.close(fig)
