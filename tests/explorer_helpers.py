"""Shared by the explorer tests: move controls like a learner would, one driver for all."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import explore


def explorer_fixture(factory, scope="function"):
    """A fixture that builds an explorer with ``factory()`` and closes its figure afterwards;
    its name is the name it is assigned to in the test module."""
    @pytest.fixture(scope=scope)
    def made():
        e = factory()
        yield e
        plt.close(e.fig)
    return made


def move_controls(ex, names=None, limit=None, after=None, one_redraw=False):
    """Move each control named in ``names`` (default: every control that has positions) through its
    positions (``explore.positions``, at most ``limit``) and back to the first, as a learner would:
    by setting ``control.value``, which the explorer observes.

    Each move must redraw (exactly once with ``one_redraw``) and leave a status line with no
    traceback. ``after(ex)``, if given, runs after each move (e.g. train a few steps). Returns
    {name: [whether each move changed the picture]} for every control that was moved.
    """
    moved = {}
    for name in list(ex.controls) if names is None else names:
        control = ex.controls[name]
        values = explore.positions(control)[:limit]
        if names is not None:
            assert values, f"{name} has no positions to drive"
        if not values:
            continue
        before = explore.render(ex.fig)
        changed = moved[name] = []
        for value in values + [values[0]]:
            if control.value == value:
                continue
            redraws = ex.redraws
            control.value = value
            assert (ex.redraws == redraws + 1) if one_redraw else (ex.redraws > redraws), \
                f"{name}={value!r}: {ex.redraws - redraws} redraws"
            assert ex.status.value and "Traceback" not in ex.status.value, f"{name}={value!r}: {ex.status.value}"
            if after is not None:
                after(ex)
            now = explore.render(ex.fig)
            changed.append(not np.array_equal(before, now))
            before = now
    return moved


def drive(ex, name, limit=5):
    """Move one control through its positions (at most ``limit``) and back; returns how many moves
    changed the picture (every option of every control is driven by tests/test_explorers.py)."""
    return sum(move_controls(ex, [name], limit=limit)[name])


def every_change_redraws_a_new_picture(ex):
    """Every move of every control redraws exactly once and changes the picture.
    (Call with ``draw_idle`` switched off so each render is one real draw.)"""
    for name, changes in move_controls(ex, one_redraw=True).items():
        assert all(changes), f"a move of {name} changed nothing"
