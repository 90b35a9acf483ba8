"""Every explorer in the package, driven like a learner would: each control to its
ends and its middle (every option of a drop-down), checking that nothing raises,
that the figure is redrawn, and that the status line never shows an error.

One test per class of defect found in explorers, each reading what the explorers declare:
every value in ``TRIES`` is reachable on its control; every control in ``TRAINING_CONTROLS``
waits for the release of a drag; ``reset()`` restores every control; no legend lists an
artist the figure does not show. An explorer that declares nothing passes the first two."""
import io
import math
import warnings
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import pytest

from explorer_helpers import move_controls
from figure_reading import glyphs_missing, hidden_legend_entries, string_constants
from weightlab import explore, training

FACTORIES = explore.all_explorers()
EXPECTED = ["descent.bowl_explorer", "descent.descent_explorer", "gradients.gradients_explorer", "initialization.deep_stack_explorer",
            "initialization.initialisation_explorer", "initialization.symmetry_explorer", "loss.loss_explorer",
            "monitoring.monitoring_explorer", "network.network_explorer", "neuron.neuron_explorer",
            "overfitting.overfitting_explorer", "playground.playground_explorer",
            "regularization.penalty_geometry_explorer", "regularization.regularisation_explorer",
            "regularization.strength_sweep_explorer", "sgd.bowl_momentum_explorer", "sgd.momentum_explorer",
            "sgd.sgd_explorer", "welcome.welcome_explorer"]


def test_all_explorers_finds_every_explorer_of_the_series():
    assert list(FACTORIES) == EXPECTED


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_control_at_its_ends_redraws_without_error(name):
    ex = FACTORIES[name]()
    assert isinstance(ex, explore.Explorer)
    assert ex.controls, f"{name} has no controls"
    try:
        moved = move_controls(ex)
        assert moved, f"{name} has no control that can be driven"
        for cname, changes in moved.items():
            assert any(changes), f"{name}: moving {cname} never changed the figure"
    finally:
        plt.close(ex.fig)


class Doubler(explore.Explorer):
    """The smallest subclass: one slider y, a line at height 2y."""

    def __init__(self):
        fig = explore.figure(2.0, 1.5)
        (self.line,) = fig.add_subplot().plot([0, 1], [0, 0])
        super().__init__(fig, {"y": explore.slider("y", 0.0, 1.0, 0.5)}, title="double it")

    def update(self):
        y = self.controls["y"].value
        self.line.set_ydata([2 * y, 2 * y])
        return explore.words(f"2y = {2 * y:g}")


def test_a_subclass_overrides_update_and_gets_its_first_picture():
    ex = Doubler()
    try:
        assert ex.redraws == 1 and "2y = 1<" in ex.status.value
        assert list(ex.line.get_ydata()) == [1.0, 1.0]
        ex.controls["y"].value = 0.25                   # as the learner moves the slider
        assert ex.redraws == 2 and "2y = 0.5<" in ex.status.value
    finally:
        plt.close(ex.fig)


def test_holding_changes_controls_without_redrawing_until_refresh():
    ex = Doubler()
    try:
        with ex.holding():
            ex.controls["y"].value = 0.1
            with ex.holding():                          # holding nests
                ex.controls["y"].value = 0.2
            ex.controls["y"].value = 0.3
        assert ex.redraws == 1 and list(ex.line.get_ydata()) == [1.0, 1.0]
        ex.controls["y"].value = 0.4                    # outside: every change redraws again
        assert ex.redraws == 2 and list(ex.line.get_ydata()) == [0.8, 0.8]
        ex.set(y=0.0)
        assert ex.redraws == 3 and ex.values() == {"y": 0.0}
        with pytest.raises(ValueError, match="no control named"):
            ex.set(z=1.0)
    finally:
        plt.close(ex.fig)


def test_added_rows_sit_between_the_controls_and_the_status_line():
    ex = Doubler()
    try:
        one, two, three = (widgets.Button(description=str(k)) for k in range(3))
        ex.add_row(one)
        ex.add_row(two, three)
        heading, slider, row1, row2, status = ex.widget.children
        assert (heading, slider, row1, status) == (ex.heading, ex.controls["y"], one, ex.status)
        assert row2.children == (two, three)
    finally:
        plt.close(ex.fig)


def test_an_explorer_needs_an_update():
    fig = explore.figure(2.0, 1.5)
    try:
        with pytest.raises(NotImplementedError, match="update"):
            explore.Explorer(fig, {"y": explore.slider("y", 0.0, 1.0, 0.5)})
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_descriptions_are_not_cut(name):
    ex = FACTORIES[name]()
    try:
        for cname, control in ex.controls.items():
            desc = getattr(control, "description", "")
            if desc and len(desc) > 8:
                width = control.style.description_width if hasattr(control, "style") else ""
                assert width == "initial" or width.endswith("px"), (
                    f"{name}: the label {desc!r} of {cname} would be cut (set description_width)")
    finally:
        plt.close(ex.fig)


def _ipympl_explorer():
    """A one-line explorer on an ipympl canvas, recording what the canvas sends to the page."""
    backend = pytest.importorskip("ipympl.backend_nbagg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2.0, 1.5))
    canvas = backend.Canvas(fig)
    with warnings.catch_warnings():  # ipympl's toolbar passes traitlets an argument it deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        backend.FigureManager(canvas, 0)
    fig.stale_callback = plt._auto_draw_if_interactive  # as pyplot does for its figures
    (line,) = fig.add_subplot().plot([0, 1], [0, 0.5])
    controls = {"y": explore.slider("y", 0.0, 1.0, 0.5)}
    sent = []
    canvas.send_json = lambda content: sent.append(content["type"])
    canvas.send_binary = lambda data: sent.append("binary")
    ex = explore.Explorer(fig, controls, lambda: line.set_ydata([0, controls["y"].value]))
    return ex, canvas, sent


def test_a_connected_ipympl_canvas_gets_the_new_picture_without_a_round_trip():
    interactive, backend = plt.isinteractive(), matplotlib.get_backend()  # importing ipympl switches to it
    plt.ion()  # as under %matplotlib widget: every artist change would ask for a redraw
    try:
        ex, canvas, sent = _ipympl_explorer()
        explore.show(ex.fig)
        # No page yet (a notebook run headless): only tell it the figure is stale.
        sent.clear()
        ex.controls["y"].value = 0.8
        assert "binary" not in sent and "draw" in sent
        # The page's canvas is connected: draw and send the changed pixels at once,
        # with no 'draw' request for the page to answer.
        canvas._handle_custom_msg({"type": "initialized"}, [])  # as the comm delivers the page's message
        sent.clear()
        ex.controls["y"].value = 0.2
        assert sent.count("binary") == 1 and "draw" not in sent, sent
    finally:
        plt.close("all")
        plt.switch_backend(backend)
        plt.interactive(interactive)


def test_the_picture_a_page_starts_from_stays_a_valid_image():
    """ipympl copies drawings made before the page connects into ``_data_url`` as bare base64;
    a page built from that state holds a broken image. After ``show`` the state keeps the
    display's picture, a data URL, whatever is drawn before and after the page connects."""
    interactive, backend = plt.isinteractive(), matplotlib.get_backend()
    try:
        ex, canvas, _ = _ipympl_explorer()
        del canvas.send_binary  # ipympl's own, which writes _data_url while it syncs it
        canvas.send = lambda *args, **kwargs: None
        explore.show(ex.fig)
        first = canvas._data_url
        assert first.startswith("data:image/png;base64,")
        ex.controls["y"].value = 0.8
        canvas.draw()  # a drawing before the page connects (the page's "refresh" asks for one)
        assert canvas._data_url == first
        assert canvas.page_connected is False
        canvas._handle_custom_msg({"type": "initialized"}, [])
        assert canvas.page_connected is True
        canvas.draw()
        assert canvas._data_url == first
    finally:
        plt.close("all")
        plt.switch_backend(backend)
        plt.interactive(interactive)


def test_the_page_gets_the_picture_itself_when_it_asks_for_a_refresh():
    """A connecting page sends "refresh" then "initialized"; the picture must reach it before the
    "resize" that answers "initialized" (which redraws the page's picture and fails without one)."""
    interactive, backend = plt.isinteractive(), matplotlib.get_backend()
    try:
        ex, canvas, sent = _ipympl_explorer()
        explore.show(ex.fig)
        sent.clear()
        canvas._handle_custom_msg({"type": "refresh"}, [])
        canvas._handle_custom_msg({"type": "initialized"}, [])
        assert "binary" in sent and "resize" in sent, sent
        assert sent.index("binary") < sent.index("resize"), sent
    finally:
        plt.close("all")
        plt.switch_backend(backend)
        plt.interactive(interactive)


def test_every_picture_the_page_gets_is_the_whole_figure():
    """Pictures of the changed pixels only leave the page's canvas wrong when one is lost or comes
    before the message that says whether to clear: every picture is the whole figure, and the
    page clears its canvas before each."""
    interactive, backend = plt.isinteractive(), matplotlib.get_backend()
    plt.ion()
    try:
        ex, canvas, sent = _ipympl_explorer()
        pictures = []
        canvas.send_binary = pictures.append
        explore.show(ex.fig)
        canvas._handle_custom_msg({"type": "refresh"}, [])
        canvas._handle_custom_msg({"type": "initialized"}, [])
        for y in (0.3, 0.31, 0.9):            # small and large changes, drawn at once (connected)
            ex.controls["y"].value = y
            shown = np.asarray(PIL.Image.open(io.BytesIO(pictures[-1])).convert("RGBA"))
            figure = np.asarray(canvas.get_renderer().buffer_rgba())   # as drawn, without drawing again
            assert np.array_equal(shown, figure), f"y = {y}: the picture is not the whole figure"
        assert len(pictures) == 4 and canvas._current_image_mode == "full" and "image_mode" not in sent, sent
    finally:
        plt.close("all")
        plt.switch_backend(backend)
        plt.interactive(interactive)


# ---- declarations the notebooks rely on: TRIES, TRAINING_CONTROLS, reset -----------------------------
def _on_grid(value, lo, hi, step):
    """Whether ``value`` is lo + k*step for a whole k, within [lo, hi] (what a slider can stop at)."""
    if not lo - 1e-9 * max(1.0, abs(lo)) <= value <= hi + 1e-9 * max(1.0, abs(hi)):
        return False
    k = (value - lo) / step
    return abs(k - round(k)) < 1e-6


def reachable(control, value):
    """Whether a learner can set ``control`` to ``value`` with the control itself (not from Python)."""
    if isinstance(control, widgets.FloatLogSlider):
        return value > 0 and _on_grid(math.log(value, control.base), control.min, control.max, control.step)
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        return _on_grid(value, control.min, control.max, control.step)
    if isinstance(control, (widgets.BoundedFloatText, widgets.BoundedIntText)):
        return control.min <= value <= control.max        # typed in: any value within the bounds
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons,
                            widgets.SelectionSlider)):
        return value in control._options_values
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return isinstance(value, bool)
    return isinstance(control, (widgets.Text, widgets.Textarea, widgets.FloatText, widgets.IntText))


def test_reachable_reads_the_slider_grid():
    lr = explore.slider("lr", 0.05, 1.5, 0.3, step=0.05)
    assert reachable(lr, 0.75) and reachable(lr, 0.85) and reachable(lr, 1.5)
    assert not reachable(lr, 0.79) and not reachable(lr, 1.6) and not reachable(lr, 0.0)
    lam = explore.slider("λ", -4, 0, 1e-2, log=True, step=0.5)
    assert reachable(lam, 1e-2) and reachable(lam, 10 ** -3.5) and not reachable(lam, 0.05)
    choice = explore.dropdown("f", ["tanh", "relu"])
    assert reachable(choice, "relu") and not reachable(choice, "sigmoid")


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_value_the_text_asks_to_try_is_reachable(name):
    """TRIES names, by control, the values the notebook's text tells the learner to try."""
    ex = FACTORIES[name]()
    try:
        for cname, values in ex.TRIES.items():
            assert cname in ex.controls, f"{name}: TRIES names {cname!r}, which is not a control"
            control = ex.controls[cname]
            for value in values:
                assert reachable(control, value), (
                    f"{name}: the text asks to try {cname} = {value!r}, which the control cannot reach "
                    f"({type(control).__name__} min={getattr(control, 'min', None)} max={getattr(control, 'max', None)} "
                    f"step={getattr(control, 'step', None)})")
    finally:
        plt.close(ex.fig)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_controls_that_train_wait_for_the_release(name):
    """A control whose change trains a network must not train on every position of a drag."""
    ex = FACTORIES[name]()
    try:
        for cname in ex.TRAINING_CONTROLS:
            assert cname in ex.controls, f"{name}: TRAINING_CONTROLS names {cname!r}, which is not a control"
            control = ex.controls[cname]
            assert getattr(control, "continuous_update", False) is False, (
                f"{name}: {cname} trains on every intermediate value of a drag (set continuous_update=False)")
    finally:
        plt.close(ex.fig)


def _elsewhere(control, value):
    """A position of ``control`` other than ``value`` (None if it has none)."""
    return next((v for v in explore.positions(control) if v != value), None)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_reset_restores_every_control(name):
    ex = FACTORIES[name]()
    try:
        if not callable(getattr(ex, "reset", None)):
            return                                         # nothing to reset: no button promises it
        start = ex.values()
        moved = {k: v for k, v in ((k, _elsewhere(ex.controls[k], v)) for k, v in start.items()) if v is not None}
        ex.set(**moved)
        assert ex.values() != start, f"{name}: no control could be moved"
        ex.reset()
        after = ex.values()
        wrong = {k: (after[k], v) for k, v in start.items()
                 if not (after[k] == v or (isinstance(v, float) and math.isclose(after[k], v, rel_tol=1e-9)))}
        assert not wrong, f"{name}: after reset these controls are not back (now, at the start): {wrong}"
    finally:
        plt.close(ex.fig)


# ---- the status line and the legend agree with the figure --------------------------------------------
def _legend_lists_only_what_is_shown(ex):
    hidden = hidden_legend_entries(ex.fig)
    assert not hidden, f"the legend lists {', '.join(hidden)}, which the figure does not show ({ex.values()})"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_no_legend_entry_for_an_artist_that_is_not_shown(name):
    """At the defaults, and with each control in turn at its ends and middle (every option) while the
    others keep their defaults, each legend entry stands for an artist that is visible, has data, and
    lies at least partly inside its panel."""
    ex = FACTORIES[name]()
    try:
        _legend_lists_only_what_is_shown(ex)
        for cname, control in ex.controls.items():
            start = control.value if hasattr(control, "value") else None
            for value in explore.positions(control):
                if value != start:
                    ex.set(**{cname: value})
                    _legend_lists_only_what_is_shown(ex)
            if start is not None and control.value != start:
                ex.set(**{cname: start})
    finally:
        plt.close(ex.fig)


def _a_new_position(control):
    """A slider position next to its minimum, one no other test visits (so no cached run answers it)."""
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** (control.min + control.step)
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        return control.min + control.step if control.value != control.min + control.step else control.max - control.step
    return None


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_a_slider_that_trains_waits_for_the_release(name, monkeypatch):
    """Found without the declarations: a slider whose move runs gradient-descent steps (any
    Trainer step) must have continuous_update=False, and be listed in TRAINING_CONTROLS."""
    steps = []
    one_step = training.Trainer._one_step
    monkeypatch.setattr(training.Trainer, "_one_step", lambda self: (steps.append(1), one_step(self))[1])
    ex = FACTORIES[name]()
    problems = []
    try:
        for cname, control in ex.controls.items():
            value = _a_new_position(control)
            if value is None:
                continue
            before = len(steps)
            ex.set(**{cname: value})
            if len(steps) == before:
                continue
            if control.continuous_update is not False:
                problems.append(f"{cname} trains ({len(steps) - before} steps) on every position of a drag: "
                                "set continuous_update=False")
            if cname not in ex.TRAINING_CONTROLS:
                problems.append(f"{cname} trains but is not in TRAINING_CONTROLS")
    finally:
        plt.close(ex.fig)
    assert not problems, f"{name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", sorted(Path(explore.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_every_character_an_explorer_shows_has_a_glyph(path):
    """Status lines, titles and labels use only characters DejaVu Sans draws: an emoji (⏸, ✅) is an empty
    box in a figure, and in a browser without an emoji font."""
    missing = {ch: text[:60] for text in string_constants(path) for ch in glyphs_missing(text)}
    assert not missing, f"{path.name}: characters with no glyph in DejaVu Sans: {missing}"
