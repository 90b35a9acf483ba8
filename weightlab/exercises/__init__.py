"""Exercises: the learner writes a small function, ``check`` says what is right or wrong.

An ``Exercise`` knows a reference solution, test cases and typical mistakes.
``check(fn)`` never raises: an untouched exercise (the function returns None
or raises NotImplementedError) reports "not attempted yet"; a wrong answer
names the entry that is wrong, by how much, and gives a hint.
"""
import inspect
import textwrap

import numpy as np


class Feedback:
    """The outcome of a check: ``status`` is 'correct', 'wrong', 'error' or 'not attempted'."""

    ICONS = {"correct": "✅", "wrong": "❌", "error": "⚠️", "not attempted": "✏️"}

    def __init__(self, name, status, message):
        self.name, self.status, self.message = name, status, message

    @property
    def passed(self):
        return self.status == "correct"

    def __repr__(self):
        return f"{self.ICONS[self.status]} {self.name}: {self.message}"


class Exercise:
    """One exercise: a reference solution, cases (tuples of arguments) and typical mistakes.

    ``mistakes`` is a list of (wrong_function, hint): when the learner's answer
    matches a wrong function's answer on every case, that hint is shown. Tests
    use them to prove each typical mistake gets its intended hint.
    """

    def __init__(self, name, reference, cases, mistakes=(), hint="", atol=1e-8, rtol=1e-6):
        self.name, self.reference, self.cases = name, reference, list(cases)
        self.mistakes, self.hint = list(mistakes), hint
        self.atol, self.rtol = atol, rtol

    def check(self, fn):
        """Run ``fn`` on every case and compare with the reference; returns Feedback (never raises)."""
        answers = []
        for args in self.cases:
            try:
                out = fn(*_copy(args))
            except NotImplementedError:
                return Feedback(self.name, "not attempted", "not attempted yet: replace the `...` or "
                                "`raise NotImplementedError` with your code, then run this cell again.")
            except Exception as e:  # the learner's code failed: say how, never crash the notebook
                return Feedback(self.name, "error", f"your function raised {type(e).__name__}: {e}. "
                                f"{self.hint}".strip())
            if out is None:
                return Feedback(self.name, "not attempted", "not attempted yet: your function returns None. "
                                "Write the code and `return` the result.")
            answers.append(out)
        for args, out in zip(self.cases, answers):
            expected = self.reference(*_copy(args))
            problem = _compare(out, expected, self.atol, self.rtol)
            if problem:
                return Feedback(self.name, "wrong", f"{problem} {self._diagnose(answers)}".strip())
        return Feedback(self.name, "correct", "correct, well done!")

    def _diagnose(self, answers):
        for wrong, hint in self.mistakes:
            try:
                if all(_compare(out, wrong(*_copy(args)), self.atol, self.rtol) is None
                       for args, out in zip(self.cases, answers)):
                    return "Hint: " + hint
            except Exception:
                continue
        return ("Hint: " + self.hint) if self.hint else ""

    def solution(self):
        """The reference solution's source code, as text."""
        return textwrap.dedent(inspect.getsource(self.reference))

    def show_solution(self):
        """Print the reference solution."""
        print(self.solution())


def _copy(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else
                 ({k: v.copy() for k, v in a.items()} if isinstance(a, dict) else a) for a in args)


def _compare(out, expected, atol, rtol, where=""):
    """None if ``out`` matches ``expected``, else a sentence saying what differs."""
    if isinstance(expected, dict):
        if not isinstance(out, dict):
            return f"expected a dict with keys {sorted(expected)}, got {type(out).__name__}."
        for k in expected:
            if k not in out:
                return f"the result has no key {k!r}."
            problem = _compare(out[k], expected[k], atol, rtol, where=f"{k}")
            if problem:
                return problem
        return None
    if isinstance(expected, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(expected):
            return f"expected {len(expected)} results, got {out!r:.60}."
        for i, (o, e) in enumerate(zip(out, expected)):
            problem = _compare(o, e, atol, rtol, where=f"result {i + 1}")
            if problem:
                return problem
        return None
    try:
        o = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{where or 'the result'} should be a number or array, got {type(out).__name__}."
    e = np.asarray(expected, dtype=np.float64)
    label = where or "the result"
    if o.shape != e.shape:
        if o.size == e.size:
            return f"{label} has shape {o.shape}, expected {e.shape} (same numbers, wrong shape?)."
        return f"{label} has shape {o.shape}, expected {e.shape}."
    bad = ~np.isclose(o, e, atol=atol, rtol=rtol, equal_nan=True)
    if not bad.any():
        return None
    idx = np.unravel_index(np.argmax(bad), bad.shape) if bad.ndim else ()
    at = f"{label}[{', '.join(map(str, idx))}]" if idx else label
    return f"{at} is {float(o[idx]):.6g}, expected {float(e[idx]):.6g} (off by {float(o[idx] - e[idx]):+.3g})."


def all_exercises():
    """Every Exercise of the package, by 'module.name' (used by the tests)."""
    import importlib
    import pkgutil

    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Exercise):
                found[f"{info.name}.{name}"] = value
    return dict(sorted(found.items()))
