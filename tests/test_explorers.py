"""Every explorer in the package, driven like a learner would: each control to its
ends and its middle (every option of a drop-down), checking that nothing raises,
that the figure is redrawn, and that the status line never shows an error."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from weightlab import explore  # noqa: E402

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
