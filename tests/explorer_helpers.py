"""Shared by the explorer tests: move one control like a learner would."""
import numpy as np

from weightlab import explore


def drive(ex, name, limit=5):
    """Move one control through its positions (at most ``limit``, then back to the first);
    each move must redraw with a status line and no traceback. Returns how many moves
    changed the picture."""
    control = ex.controls[name]
    values = explore.positions(control)[:limit]   # every option is driven by tests/test_explorers.py
    assert values
    before = explore.render(ex.fig)
    changed = 0
    for value in values + [values[0]]:
        if control.value == value:
            continue
        redraws = ex.redraws
        control.value = value
        assert ex.redraws > redraws
        assert "Traceback" not in ex.status.value and ex.status.value
        after = explore.render(ex.fig)
        changed += not np.array_equal(before, after)
        before = after
    return changed


def every_change_redraws_a_new_picture(ex):
    """Set every control to each of its positions through ``ex.set``: each call redraws
    once with a status line, and each call that changes a value changes the picture.
    (Call with ``draw_idle`` switched off so each render is one real draw.)"""
    before = explore.render(ex.fig)
    for name, control in ex.controls.items():
        for value in explore.positions(control):
            redraws = ex.redraws
            changes = control.value != value
            ex.set(**{name: value})
            assert ex.redraws == redraws + 1
            assert ex.status.value and "Traceback" not in ex.status.value
            if changes:
                after = explore.render(ex.fig)
                assert not np.array_equal(before, after), f"{name}={value} changed nothing"
                before = after
