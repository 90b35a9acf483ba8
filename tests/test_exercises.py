"""Every exercise of the series, as a class of defects each:

- its reference passes its checker, and the solution it prints, pasted into its notebook
  (with only that notebook's imports), passes too;
- a wrong answer is told which case failed (the inputs, in words), what was expected and what
  came back;
- each typical mistake gets its own hint, and no hint prints the solution's code;
- the checker never raises: an untouched stub is "not attempted", a function that raises or
  returns the wrong kind of thing (a string, NaN, None on one path, ...) is reported in words;
- the feedback's markers are plain text (emoji show as empty boxes where no emoji font is installed).
"""
import ast
import contextlib
import inspect
import io
import re
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

from figure_reading import glyphs_missing, string_constants
from weightlab import exercises
from weightlab.exercises import Exercise, Feedback, all_exercises

EXERCISES = all_exercises()
MISTAKES = [(name, k) for name, ex in EXERCISES.items() for k in range(len(ex.mistakes))]
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_every_notebook_from_01_has_two_or_three_exercises():
    per_module = {}
    for name in EXERCISES:
        per_module.setdefault(name.split(".")[0], []).append(name)
    assert len(per_module) >= 10
    for module, names in per_module.items():
        if module != "welcome":
            assert len(names) >= 2, f"{module} has only {names}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_is_correct(name):
    exercise = EXERCISES[name]
    feedback = exercise.check(exercise.reference)
    assert feedback.status == "correct", repr(feedback)
    assert feedback.passed


# ---- a printed solution always passes, in its own notebook ---------------------------------------
CHECK_CELL = re.compile(r"^\s*([\w.]+)\.check\((\w+)\)\s*$")


def _notebook_exercises():
    """(notebook, import cell, answer cell, exercise expression, answer name, check cell) for each check cell."""
    found = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        imports = next((c for c in code if re.search(r"^(import|from) ", c, re.M)), "")
        for i, source in enumerate(code):
            match = CHECK_CELL.match(source)
            if match:
                found.append((path.name, imports, code[i - 1], match.group(1), match.group(2), source))
    return found


NOTEBOOK_EXERCISES = _notebook_exercises()


def _run_cell(source, namespace):
    """Run a notebook cell's code as the kernel would, leaving out IPython magics (``%matplotlib widget``)."""
    exec(compile("\n".join(l for l in source.splitlines() if not l.lstrip().startswith("%")), "<cell>", "exec"),
         namespace)


def _paste(answer_cell, name, printed):
    """The answer cell after the learner pastes ``printed``: a printed function replaces the stub; printed
    text (a settings string) goes between the quotes of ``name = ""``, as the notebook asks."""
    if re.search(rf"^def {name}\(", answer_cell, re.M):
        return printed
    quotes = re.search(rf"^{name}\s*=\s*(\"\"|'')", answer_cell, re.M)
    assert quotes, f"the answer cell of {name} is neither a function nor a quoted string:\n{answer_cell}"
    at = quotes.end(1) - 1
    return answer_cell[:at] + printed.strip() + answer_cell[at:]


def test_the_notebooks_have_check_cells():
    assert len(NOTEBOOK_EXERCISES) >= 25
    assert {nb for nb, *_ in NOTEBOOK_EXERCISES} >= {"00_welcome.ipynb", "07_initialisation.ipynb",
                                                     "11_playground.ipynb"}


@pytest.mark.parametrize("notebook,imports,answer_cell,expression,name,check_cell", NOTEBOOK_EXERCISES,
                         ids=[f"{nb[:2]}-{name}" for nb, _, _, _, name, _ in NOTEBOOK_EXERCISES])
def test_the_printed_solution_passes_in_its_notebook(notebook, imports, answer_cell, expression, name,
                                                     check_cell):
    namespace = {}
    _run_cell(imports, namespace)
    exercise = eval(expression, namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exercise.show_solution()
    if re.fullmatch(rf"\s*{name}\s*=\s*\.\.\.\s*(#.*)?", answer_cell.strip().splitlines()[0]):
        pytest.skip(f"{notebook}: {expression} asks for a value and its solution is advice, not code to paste")
    try:
        _run_cell(_paste(answer_cell, name, printed.getvalue()), namespace)
    except SyntaxError as e:
        pytest.fail(f"{notebook}: the solution of {expression}, pasted as asked, is not valid Python: {e}")
    feedback = eval(check_cell, namespace)
    assert feedback.status == "correct", f"{notebook}: the printed solution of {expression} gets {feedback!r}"


# ---- feedback names the case that failed -------------------------------------------------------
def _off(value):
    """A wrong answer near ``value``: every number moved by 1 (a flag flipped); dicts and tuples in their first part."""
    if isinstance(value, dict):
        first = next(iter(value))
        return {**value, first: _off(value[first])}
    if isinstance(value, tuple):
        return (_off(value[0]),) + value[1:]
    if isinstance(value, (bool, np.bool_)):
        return not value
    return np.asarray(value, dtype=float) + 1.0


def _wrong_on(exercise, k):
    """A learner's function that is right on every case but case ``k`` (the checker runs the cases in order)."""
    calls = []

    def answer(*args):
        calls.append(1)
        out = exercise.reference(*args)
        return _off(out) if len(calls) == k + 1 else out
    return answer


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_wrong_case_is_named_with_its_inputs_and_both_values(name):
    exercise = EXERCISES[name]
    labels = [exercise.label(k) for k in range(len(exercise.cases))]
    for k, label in enumerate(labels):
        feedback = exercise.check(_wrong_on(exercise, k))
        assert feedback.status == "wrong", f"{name}, case {k}: {feedback!r}"
        assert label in feedback.message, f"{name}: the feedback does not name {label!r}: {feedback.message}"
        assert f"{len(labels) - 1} of {len(labels)} cases right" in feedback.message
        assert re.search(r"is \S+, expected \S+", feedback.message), feedback.message


def test_the_listed_cases_name_sizes_activation_and_values():
    fb = exercises.welcome.count_parameters.check(lambda sizes: 13)
    assert "sizes=(2, 4, 1)" in fb.message and "is 13, expected 17" in fb.message

    def tanh_only(X, params, f):
        return np.tanh(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    fb = exercises.network.forward_231.check(tanh_only)
    assert fb.status == "wrong" and "f=relu" in fb.message and "expected" in fb.message
    assert "np.tanh where the activation passed in as f belongs" in fb.message


def test_an_error_names_the_case_it_happened_on():
    fb = exercises.welcome.count_parameters.check(lambda sizes: sizes[3])
    assert fb.status == "error" and "IndexError" in fb.message and "(sizes=(2, 3, 1))" in fb.message


# ---- a hint matches the mistake, and never prints the solution -----------------------------------
@pytest.mark.parametrize("name,k", MISTAKES, ids=[f"{n}-{k}" for n, k in MISTAKES])
def test_each_typical_mistake_gets_its_own_hint(name, k):
    exercise = EXERCISES[name]
    wrong, hint = exercise.mistakes[k]
    with np.errstate(all="ignore"):
        feedback = exercise.check(wrong)
    assert feedback.status == "wrong", f"{name}: mistake {k} was not caught"
    assert "Hint: " + hint in feedback.message, f"{name}: mistake {k} got {feedback.message!r}"


def _normalised(text):
    """Code or hint text with the differences that do not matter taken out: spaces, `np.`/`math.`,
    2.0 vs 2, typographic minus and dot."""
    text = text.replace("−", "-").replace("·", "*").replace("`", "")
    text = re.sub(r"\b(np|numpy|math)\.(linalg\.)?", "", text)
    text = re.sub(r"(\d)\.0\b", r"\1", text)
    return re.sub(r"\s+", "", text)


def key_expressions(function):
    """What the solution computes, as code: the value of each return and assignment in its body
    (a bare name or constant, or a tuple of them, says nothing and is left out)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    found = []
    for node in ast.walk(tree.body[0]):
        if not isinstance(node, (ast.Return, ast.Assign, ast.AugAssign)) or node.value is None:
            continue
        parts = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        if all(isinstance(p, (ast.Name, ast.Constant)) for p in parts):
            continue
        found.append(",".join(_normalised(ast.unparse(p)) for p in parts))
    return found


def test_key_expressions_read_the_solution():
    def solution(X, y, n_val):
        total = 0
        total += X.sum() * 2.0
        return X[n_val:], y[n_val:], total
    assert key_expressions(solution) == ["X.sum()*2", "X[n_val:],y[n_val:],total"]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_no_hint_prints_the_solution(name):
    """No hint, generic or for a mistake, holds an expression of the solution's code: the whole
    computation of a one-line solution, or any line of 8 or more characters of a longer one."""
    exercise = EXERCISES[name]
    keys = key_expressions(exercise.reference)
    telling = [k for k in keys if len(keys) == 1 or len(k) >= 8]
    assert keys, f"{name}: no expression found in the solution"
    hints = [("the generic hint", exercise.hint)] + [(f"mistake {k}'s hint", h) for k, (_, h) in
                                                     enumerate(exercise.mistakes)]
    for where, hint in hints:
        for key in telling:
            assert key not in _normalised(hint), f"{name}: {where} prints the solution's {key!r}: {hint!r}"


# ---- the checker never raises -------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_untouched_stub_is_not_attempted(name):
    def stub(*args):
        # your code here
        ...
    feedback = EXERCISES[name].check(stub)
    assert feedback.status == "not attempted"
    assert "not attempted yet" in repr(feedback)

    def placeholder(*args):
        raise NotImplementedError
    assert EXERCISES[name].check(placeholder).status == "not attempted"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_function_that_raises_is_reported_not_raised(name):
    def broken(*args):
        raise KeyError("W3")
    feedback = EXERCISES[name].check(broken)
    assert feedback.status == "error"
    assert "KeyError" in feedback.message and "case 1 of" in feedback.message


ODD_ANSWERS = {
    "a string": lambda ref: "13",
    "NaN": lambda ref: float("nan"),
    "inf": lambda ref: float("inf"),
    "a complex number": lambda ref: 1 + 2j,
    "an empty list": lambda ref: [],
    "a list of the wrong length": lambda ref: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    "a dict": lambda ref: {"W1": 1.0},
    "an object": lambda ref: object(),
    "a ragged list": lambda ref: [[1.0], [1.0, 2.0]],
    "NaN where the answer has numbers": lambda ref: _off(ref) * np.nan if not isinstance(ref, (dict, tuple))
    else float("nan"),
}


@pytest.mark.parametrize("odd", sorted(ODD_ANSWERS))
@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_an_answer_of_the_wrong_kind_is_wrong_in_words(name, odd):
    exercise = EXERCISES[name]
    make = ODD_ANSWERS[odd]
    with np.errstate(all="ignore"):
        feedback = exercise.check(lambda *args: make(exercise.reference(*args)))
    assert isinstance(feedback, Feedback) and feedback.status in ("wrong", "error"), f"{odd}: {feedback!r}"
    assert "case 1 of" in feedback.message and "Traceback" not in feedback.message


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_none_on_one_path_is_not_called_untouched(name):
    """A function that returns on some cases only (a `return` missing in one branch) was attempted."""
    exercise = EXERCISES[name]
    calls = []

    def half_done(*args):
        calls.append(1)
        return exercise.reference(*args) if len(calls) == 1 else None
    feedback = exercise.check(half_done)
    assert feedback.status == "wrong" and "returned None" in feedback.message and "case 2 of" in feedback.message


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_function_with_the_wrong_arguments_is_reported(name):
    feedback = EXERCISES[name].check(lambda: 1.0)
    assert feedback.status == "error" and "TypeError" in feedback.message


def test_a_name_the_notebook_did_not_import_is_explained():
    fb = exercises.initialization.xavier_std.check(lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)))  # noqa: F821
    assert fb.status == "error" and "NameError" in fb.message and "import it in a cell above" in fb.message


def test_an_answer_that_breaks_the_comparison_itself_is_reported():
    class Hostile:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no")
    fb = exercises.network.relu.check(lambda z: Hostile())
    assert fb.status in ("wrong", "error") and "relu" in repr(fb)


# ---- what the learner sees ------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["correct", "wrong", "error", "not attempted"])
def test_feedback_markers_are_plain_text(status):
    text = repr(Feedback("f", status, "message"))
    assert text.isascii(), text
    assert re.match(r"\[[a-z ]+\] f: message$", text)


def test_cases_may_carry_labels_and_stay_tuples():
    case = exercises.Case(1.0, 2.0, label="x=1, y=2")
    assert case == (1.0, 2.0) and case.label == "x=1, y=2"
    ex = Exercise("add", lambda x, y: x + y, cases=[(1.0, 2.0), case])
    assert ex.label(0) == "case 1 of 2 (x=1, y=2)" and ex.label(1) == "case 2 of 2 (x=1, y=2)"
    assert "For case 1 of 2 (x=1, y=2): your result is 0, expected 3" in ex.check(lambda x, y: 0.0).message


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_solution_can_be_shown(name, capsys):
    exercise = EXERCISES[name]
    exercise.show_solution()
    shown = capsys.readouterr().out
    assert shown.startswith(f"def {exercise.name}(") and "return" in shown


@pytest.mark.parametrize("path", sorted(Path(exercises.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_exercises_never_import_explorers_or_pictures(path):
    """Checkers use the maths, learning and problem modules; the explorers and plots are for notebooks."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module or ''}.{a.name}".lstrip(".") for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            assert "explore" not in parts and "plots" not in parts, f"{path.name}:{node.lineno} imports {name}"


@pytest.mark.parametrize("path", sorted(Path(exercises.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_every_character_of_the_feedback_has_a_glyph(path):
    """Hints, messages and markers use only characters DejaVu Sans draws (no emoji)."""
    missing = {ch: text[:60] for text in string_constants(path) for ch in glyphs_missing(text)}
    assert not missing, f"{path.name}: characters with no glyph in DejaVu Sans: {missing}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
@pytest.mark.parametrize("given", [None, 13, "count_parameters", (1, 2)])
def test_something_other_than_a_function_is_explained(name, given):
    """`.check(f())` or `.check("f")` instead of `.check(f)`: say to pass the function itself."""
    feedback = EXERCISES[name].check(given)
    assert feedback.status == "error" and "without brackets" in feedback.message
