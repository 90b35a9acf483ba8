"""A float control set to NaN from Python (``ex.controls["w1"].value = float("nan")``) goes back to its
last finite value, and the status line says so: an explorer never draws or prints "nan".
(Infinite values never arrive: a slider clamps them to its ends.)"""
import math

from . import escape, words


class FiniteControls:
    """Mixin for an ``Explorer``: before each redraw, NaN in a float control is put back to its last finite value."""

    def refresh(self):
        notes = self._restore_finite()
        super().refresh()
        self._restore_finite()          # remember the values as drawn (update may have moved a control)
        if notes:
            self.status.value = words("; ".join(notes) + ".", "warn") + " " + self.status.value

    def _restore_finite(self):
        last = self.__dict__.setdefault("_last_finite", {})
        notes = []
        for name, control in self.controls.items():
            value = getattr(control, "value", None)
            if not isinstance(value, float):
                continue
            if math.isfinite(value):
                last[name] = value
                continue
            back = last.get(name, getattr(control, "min", 0.0))
            with self.holding():
                control.value = back
            notes.append(f"{escape(name)} cannot be {escape(value)}: put back to {back:g}")
        return notes
