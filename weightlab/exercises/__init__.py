"""Exercises: the learner writes a small function, ``check`` says what is right or wrong.

An ``Exercise`` knows a reference solution, test cases and typical mistakes.
``check(fn)`` never raises: an untouched exercise (the function returns None
or raises NotImplementedError) reports "not attempted yet"; a wrong answer
names the case that failed (its inputs), the entry that is wrong, what was
expected and what came back, and gives the hint of the mistake it matches.
"""
import inspect
import textwrap

import numpy as np


class Feedback:
    """The outcome of a check: ``status`` is 'correct', 'wrong', 'error' or 'not attempted'.

    Its text starts with a plain-text marker such as ``[correct]``: it reads the same
    in every font (emoji show as empty boxes where no emoji font is installed)."""

    MARKERS = {"correct": "[correct]", "wrong": "[wrong]", "error": "[error]", "not attempted": "[to do]"}

    def __init__(self, name, status, message):
        self.name, self.status, self.message = name, status, message

    @property
    def passed(self):
        return self.status == "correct"

    def __repr__(self):
        return f"{self.MARKERS[self.status]} {self.name}: {self.message}"


class Case(tuple):
    """The arguments of one test case (a tuple) and a ``label`` that says what they are.

    ``Case(X, params, np.tanh, label="6 points, f = tanh")``; without a label, the
    feedback describes the arguments itself (``sizes=(2, 4, 1)``, ``X of shape (6, 2)``)."""

    def __new__(cls, *args, label=None):
        case = super().__new__(cls, args)
        case.label = label
        return case


NOT_ATTEMPTED = ("not attempted yet: replace the `...` or `raise NotImplementedError` with your code, "
                 "then run this cell again.")
RETURNS_NONE = "not attempted yet: your function returns None. Write the code and `return` the result."


class Exercise:
    """One exercise: a reference solution, cases (tuples of arguments, or ``Case``) and typical mistakes.

    ``mistakes`` is a list of (wrong_function, hint): when the learner's answer
    matches a wrong function's answer on every case, that hint is shown. Tests
    use them to prove each typical mistake gets its intended hint. ``results``
    names the parts of a tuple answer, so the feedback can say "b[0] is ..."
    rather than "result 2[0] is ...".
    """

    def __init__(self, name, reference, cases, mistakes=(), hint="", atol=1e-8, rtol=1e-6, results=None):
        self.name, self.reference, self.cases = name, reference, list(cases)
        self.mistakes, self.hint = list(mistakes), hint
        self.atol, self.rtol = atol, rtol
        self.results = results     # names of the parts of a tuple answer, e.g. ("W", "b"), for the feedback

    def label(self, k):
        """What case ``k`` is, in words: its label, or its arguments named as in the reference."""
        case = self.cases[k]
        words = case.label if getattr(case, "label", None) else describe(
            case, list(inspect.signature(self.reference).parameters))
        return f"case {k + 1} of {len(self.cases)} ({words})"

    def check(self, fn):
        """Run ``fn`` on every case and compare with the reference; returns Feedback (never raises)."""
        try:
            return self._check(fn)
        except Exception as e:  # noqa: BLE001 -- a checker answers in words, whatever it was given
            return Feedback(self.name, "error", f"your answer could not be checked ({type(e).__name__}: "
                            f"{_cut(e)}). Return {self._kind()} as the exercise asks.")

    def _check(self, fn):
        if not callable(fn):
            return Feedback(self.name, "error", f"check needs your function itself, got {type(fn).__name__} "
                            f"{_cut(repr(fn), 40)}: write its name without brackets, as in "
                            f"`.check({self.reference.__name__})`.")
        answers = []
        for k, args in enumerate(self.cases):
            try:
                answers.append(fn(*_copy(args)))
            except NotImplementedError:
                return Feedback(self.name, "not attempted", NOT_ATTEMPTED)
            except Exception as e:  # the learner's code failed: say how and on which case, never crash
                return Feedback(self.name, "error", f"your function raised {type(e).__name__}: {_cut(e)}, "
                                f"for {self.label(k)}. {_explain(e)}{self._hint()}".strip())
        if all(out is None for out in answers):
            return Feedback(self.name, "not attempted", RETURNS_NONE)
        for k, (args, out) in enumerate(zip(self.cases, answers)):
            if out is None:
                return Feedback(self.name, "wrong", f"for {self.label(k)} your function returned None (is a "
                                f"`return` missing on one of its paths?). {self._hint()}".strip())
            problem = _compare(out, self.reference(*_copy(args)), self.atol, self.rtol, names=self.results)
            if problem:
                right = sum(_compare(o, self.reference(*_copy(a)), self.atol, self.rtol) is None
                            for a, o in zip(self.cases, answers))
                return Feedback(self.name, "wrong", f"{right} of {len(self.cases)} cases right. For "
                                f"{self.label(k)}: {problem} {self._diagnose(answers)}".strip())
        return Feedback(self.name, "correct", f"well done, all {len(self.cases)} cases match.")

    def _hint(self):
        return ("Hint: " + self.hint) if self.hint else ""

    def _kind(self):
        out = self.reference(*_copy(self.cases[0]))
        return "a dict" if isinstance(out, dict) else (
            f"{len(out)} results" if isinstance(out, tuple) else "a number or an array")

    def _diagnose(self, answers):
        for wrong, hint in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    if all(_compare(out, wrong(*_copy(args)), self.atol, self.rtol) is None
                           for args, out in zip(self.cases, answers)):
                        return "Hint: " + hint
            except Exception:  # noqa: BLE001 -- a mistake that does not apply to these answers
                continue
        return self._hint()

    def solution(self):
        """The reference solution's source code, as text."""
        return textwrap.dedent(inspect.getsource(self.reference))

    def show_solution(self):
        """Print the reference solution."""
        print(self.solution())


def describe(args, names):
    """The arguments of a case in words: 'sizes=(2, 4, 1)', 'X of shape (6, 2), f=relu'."""
    parts = []
    for name, value in zip(names, args):
        brief = _brief(value)
        parts.append(f"{name} {brief}" if brief.startswith(("of ", "with ")) else f"{name}={brief}")
    return ", ".join(parts)


def _brief(value):
    """One argument in a few words: small values in full, arrays by shape, dicts by their arrays' shapes."""
    if isinstance(value, dict):
        return "with " + ", ".join(f"{k} {np.shape(v)}" for k, v in value.items())
    if callable(value):
        name = getattr(value, "__name__", "a function").lstrip("_")
        return "a function" if name == "<lambda>" else name
    if isinstance(value, np.ndarray) and (value.ndim > 1 or value.size > 6):
        return f"of shape {value.shape}"
    if isinstance(value, np.ndarray):
        return "[" + ", ".join(f"{x:g}" for x in value.ravel()) + "]" if value.ndim else f"{value:g}"
    if isinstance(value, float):
        return f"{value:g}"
    return _cut(repr(value))


def _cut(value, limit=160):
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _explain(error):
    """A sentence on a Python or numpy error learners often meet, or ''."""
    text = str(error)
    if isinstance(error, NameError):
        return ("A name your function uses is not defined in this notebook: import it in a cell above, or "
                "use numpy, imported here as np (np.sqrt, np.exp, ...). ")
    if "truth value of an array" in text:
        return ("`if`, `and`, `or`, max() and min() need one True or False, but comparing arrays gives one per "
                "entry: compare whole arrays with np.array_equal(a, b) or (a == b).all(), and take the "
                "larger or smaller of each pair of entries with np.maximum or np.minimum. ")
    return ""


def _copy(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else
                 ({k: v.copy() for k, v in a.items()} if isinstance(a, dict) else a) for a in args)


def _compare(out, expected, atol, rtol, where="", names=None):
    """None if ``out`` matches ``expected``, else a sentence saying what differs (``names``: of a tuple's parts)."""
    if isinstance(expected, dict):
        if not isinstance(out, dict):
            return f"{where or 'your result'} should be a dict with keys {sorted(expected)}, got {type(out).__name__}."
        for k in expected:
            if k not in out:
                return f"{where or 'your result'} has no key {k!r}."
            problem = _compare(out[k], expected[k], atol, rtol, where=f"{where}[{k!r}]" if where else k)
            if problem:
                return problem
        return None
    if isinstance(expected, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(expected):
            return f"expected {len(expected)} results, got {_cut(repr(out), 60)}."
        for i, (o, e) in enumerate(zip(out, expected)):
            problem = _compare(o, e, atol, rtol, where=names[i] if names else f"result {i + 1}")
            if problem:
                return problem
        return None
    return _compare_numbers(out, expected, atol, rtol, where or "your result")


def _compare_numbers(out, expected, atol, rtol, label):
    """None if the numbers ``out`` match ``expected``, else where they differ and by how much."""
    try:
        if isinstance(out, (str, bytes)) or np.iscomplexobj(out):
            return f"{label} should be real numbers, got {type(out).__name__} {_cut(repr(out), 60)}."
        o = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{label} should be a number or array, got {type(out).__name__}."
    if isinstance(expected, (bool, np.bool_)):
        if o.shape == () and bool(o) == bool(expected) and o in (0.0, 1.0):
            return None
        return f"{label} is {_cut(repr(out), 60)}, expected {bool(expected)}."
    e = np.asarray(expected, dtype=np.float64)
    if o.shape != e.shape:
        if o.size == e.size:
            return f"{label} has shape {o.shape}, expected {e.shape} (same numbers, wrong shape?)."
        return f"{label} has shape {o.shape}, expected {e.shape}."
    bad = ~np.isclose(o, e, atol=atol, rtol=rtol, equal_nan=True)
    if not bad.any():
        return None
    idx = np.unravel_index(np.argmax(bad), bad.shape) if bad.ndim else ()
    at = f"{label}[{', '.join(map(str, idx))}]" if idx else label
    off = float(o[idx] - e[idx])
    by = f" (off by {off:+.3g})" if np.isfinite(off) else ""
    return f"{at} is {float(o[idx]):.6g}, expected {float(e[idx]):.6g}{by}."


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
