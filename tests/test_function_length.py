"""No function or method in weightlab/ is longer than 60 lines, counted from its ``def`` to the
last line of its body (docstring included); a nested function counts inside its parent and on
its own. Module-level data tables are not functions and are not counted."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "weightlab"
LIMIT = 60
MODULES = sorted(PACKAGE.rglob("*.py"))


def too_long(source, limit=LIMIT):
    """'name: N lines (lines a-b)' for each function of ``source`` longer than ``limit`` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = node.end_lineno - node.lineno + 1
            if n > limit:
                found.append(f"{node.name}: {n} lines (lines {node.lineno}-{node.end_lineno})")
    return found


@pytest.mark.parametrize("path", MODULES, ids=[p.relative_to(PACKAGE.parent).as_posix() for p in MODULES])
def test_no_function_is_longer_than_60_lines(path):
    found = too_long(path.read_text())
    where = path.relative_to(PACKAGE.parent).as_posix()
    assert not found, f"{where}: functions longer than {LIMIT} lines:\n" + "\n".join(found)


def test_the_count_runs_from_def_to_the_last_line_and_counts_nested_functions_too():
    body = "".join(f"    x{i} = {i}\n" for i in range(57))
    fits = f'@decorator\ndef fits():\n    """Doc."""\n{body}    return x0\n'                 # 60 lines
    over = f'def over():\n    """Doc\n    on two lines."""\n{body}    return x0\n'           # 61 lines
    nested = ("class A:\n    def method(self):\n        def inner():\n"
              + "".join(f"            y{i} = {i}\n" for i in range(60)) + "        return inner\n")
    assert too_long(fits) == []
    assert too_long(over) == ["over: 61 lines (lines 1-61)"]
    assert too_long(nested) == ["method: 63 lines (lines 2-64)", "inner: 61 lines (lines 3-63)"]
    assert too_long("TABLE = [\n" + "    1,\n" * 100 + "]\n") == []
