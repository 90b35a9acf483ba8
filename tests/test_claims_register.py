"""The claims register is complete and points at real text: every notebook has its claims file,
every claim names a markdown cell that exists and still says the quoted phrase."""
import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CLAIMS = REPO / "tests" / "claims"
if str(CLAIMS) not in sys.path:
    sys.path.insert(0, str(CLAIMS))   # the claims files import their helpers (claim, answers) from there


def _claims_file(notebook):
    return CLAIMS / f"test_{notebook.stem}.py"


def _load(path):
    spec = importlib.util.spec_from_file_location(f"claims_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat(text):
    """Markdown source with runs of white space folded, for quoting across line breaks."""
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_notebook_has_a_claims_file_naming_it(notebook):
    path = _claims_file(notebook)
    assert path.exists(), f"{notebook.name} has no claims file {path.relative_to(REPO)}"
    module = _load(path)
    assert getattr(module, "NOTEBOOK", None) == notebook.name, f"{path.name}: NOTEBOOK should be {notebook.name!r}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_claim_names_a_cell_that_still_says_it(notebook):
    path = _claims_file(notebook)
    if not path.exists():
        pytest.fail(f"{notebook.name} has no claims file")
    module = _load(path)
    cells = {c.get("id"): c for c in nbformat.read(notebook, as_version=4).cells}
    problems, count = [], 0
    for name, test in vars(module).items():
        for cell, says in getattr(test, "claims", ()):
            count += 1
            if cell not in cells:
                problems.append(f"{name}: no cell with id {cell!r}")
            elif cells[cell].cell_type != "markdown":
                problems.append(f"{name}: cell {cell!r} is not a markdown cell")
            elif _flat(says) not in _flat(cells[cell].source):
                problems.append(f"{name}: cell {cell!r} no longer says {says!r}")
    assert not problems, f"{path.name}: " + "; ".join(problems)
    assert count, f"{path.name} holds no claim"


def test_no_claims_file_without_a_notebook():
    stems = {p.stem for p in NOTEBOOKS}
    orphans = [p.name for p in CLAIMS.glob("test_*.py") if p.stem[len("test_"):] not in stems]
    assert not orphans, f"claims files for notebooks that do not exist: {orphans}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_predict_prompt_has_its_answer_after_the_experiment(notebook):
    from answers import unanswered
    missing = unanswered(notebook.name)
    assert not missing, f"{notebook.name}: Predict prompts without an answer block after the experiment: {missing}"
