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
