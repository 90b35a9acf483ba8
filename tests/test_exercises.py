"""Every exercise of the series: its reference solution passes its checker, each typical
mistake gets its own hint, an untouched stub says "not attempted", a function that raises
is reported (never raised), and the solution can be shown."""
import ast
from pathlib import Path

import pytest

from weightlab import exercises
from weightlab.exercises import all_exercises

EXERCISES = all_exercises()
MISTAKES = [(name, k) for name, ex in EXERCISES.items() for k in range(len(ex.mistakes))]


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


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_untouched_stub_is_not_attempted(name):
    def stub(*args):
        # your code here
        ...
    feedback = EXERCISES[name].check(stub)
    assert feedback.status == "not attempted"
    assert "not attempted yet" in repr(feedback)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_function_that_raises_is_reported_not_raised(name):
    def broken(*args):
        raise KeyError("W3")
    feedback = EXERCISES[name].check(broken)
    assert feedback.status == "error"
    assert "KeyError" in feedback.message


@pytest.mark.parametrize("name,k", MISTAKES, ids=[f"{n}-{k}" for n, k in MISTAKES])
def test_each_typical_mistake_gets_its_own_hint(name, k):
    exercise = EXERCISES[name]
    wrong, hint = exercise.mistakes[k]
    feedback = exercise.check(wrong)
    assert feedback.status == "wrong", f"{name}: mistake {k} was not caught"
    assert "Hint: " + hint in feedback.message, f"{name}: mistake {k} got {feedback.message!r}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_solution_can_be_shown(name, capsys):
    exercise = EXERCISES[name]
    exercise.show_solution()
    shown = capsys.readouterr().out
    assert shown.startswith("def ") and "return" in shown


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
