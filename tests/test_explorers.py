"""Every explorer in the package, driven like a learner would: each control to its
ends and its middle (every option of a drop-down), checking that nothing raises,
that the figure is redrawn, and that the status line never shows an error."""
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import explore

FACTORIES = explore.all_explorers()


def test_every_notebook_module_has_an_explorer():
    if not FACTORIES:
        pytest.skip("no explorer modules in weightlab.explore yet")
    assert all(callable(f) for f in FACTORIES.values())


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_control_at_its_ends_redraws_without_error(name):
    ex = FACTORIES[name]()
    assert isinstance(ex, explore.Explorer)
    assert ex.controls, f"{name} has no controls"
    try:
        driven = 0
        for cname, control in ex.controls.items():
            values = explore.positions(control)
            if not values:
                continue
            driven += 1
            changed_image = False
            before = explore.render(ex.fig)
            for value in values + [values[0]]:
                if control.value == value:
                    continue
                redraws = ex.redraws
                control.value = value
                assert ex.redraws > redraws, f"{name}: {cname}={value!r} did not redraw"
                assert "Traceback" not in ex.status.value
                after = explore.render(ex.fig)
                changed_image |= not np.array_equal(before, after)
                before = after
            assert changed_image, f"{name}: moving {cname} never changed the figure"
        assert driven, f"{name} has no control that can be driven"
    finally:
        plt.close(ex.fig)


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
        # No page yet (a notebook run headless): only tell it the figure is stale.
        sent.clear()
        ex.controls["y"].value = 0.8
        assert "binary" not in sent and "draw" in sent
        # The page's canvas is connected: draw and send the changed pixels at once,
        # with no 'draw' request for the page to answer.
        canvas._handle_message(canvas, {"type": "initialized"}, [])
        sent.clear()
        ex.controls["y"].value = 0.2
        assert sent.count("binary") == 1 and "draw" not in sent, sent
    finally:
        plt.close("all")
        plt.switch_backend(backend)
        plt.interactive(interactive)
