"""The package's layers depend one way: each module imports only from its own layer or below.

Every import of every module under weightlab/ is read with ``ast`` (``import x``,
``from . import x``, ``from .x import y``, relative or absolute, at module level or
inside a function) and resolved to the weightlab module it names.
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "weightlab"

# Lowest first. A module not written yet may be listed; a module that exists must be listed.
LAYERS = {
    "maths": ("checks", "activations", "losses", "initializers", "network", "regularization", "optim",
              "quadratic"),
    "learning": ("training", "engine", "gradcheck", "curvature", "health"),
    "problems and files": ("datasets", "problems", "landscape", "storage", "runs", "experiments"),
    "pictures": ("plots", "textcache"),
    "explorers": ("explore",),      # weightlab/explore/ and everything in it
    "exercises": ("exercises",),    # weightlab/exercises/ and everything in it
}
ORDER = list(LAYERS)
# Each layer may import its own and the layers below it; exercises use maths, learning and
# problems, never pictures or explorers.
MAY_IMPORT = {layer: set(ORDER[:i + 1]) for i, layer in enumerate(ORDER)}
MAY_IMPORT["exercises"] = {"maths", "learning", "problems and files", "exercises"}
TOP = "the package itself"     # weightlab/__init__.py: may import anything, imported by nobody


def module_name(path, root):
    """weightlab/explore/descent.py -> 'weightlab.explore.descent'; a package's __init__.py -> the package."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name, root):
    """Whether ``name`` (e.g. 'weightlab.explore.loss') is a module or package, or one the table places."""
    inner = name.split(".")[1:]
    path = root.joinpath(*inner) if inner else root
    listed = len(inner) == 1 and any(inner[0] in names for names in LAYERS.values())
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file() or listed


def imports(path, root):
    """(line, weightlab module) for every import in the file, at any depth."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = root.name
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == top:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != top:
                continue
            for alias in node.names:           # from pkg import x: the module pkg.x if there is one
                sub = f"{base}.{alias.name}"
                yield node.lineno, sub if is_module(sub, root) else base


def layer_of(name):
    """The layer of a weightlab module name; None if the table does not place it."""
    inner = name.split(".")[1:]
    if not inner:
        return TOP
    for layer, names in LAYERS.items():
        if inner[0] in names:
            return layer
    return None


def modules(root):
    return sorted(root.rglob("*.py"))


def unplaced(root):
    """Modules that exist and that the table does not place in a layer."""
    return [module_name(p, root) for p in modules(root) if layer_of(module_name(p, root)) is None]


def violations(root, layer=None):
    """'module -> imported module (layer -> layer)' for every import that goes up or sideways."""
    found = []
    for path in modules(root):
        name = module_name(path, root)
        own = layer_of(name)
        if own in (TOP, None) or (layer is not None and own != layer):
            continue
        for _, target in imports(path, root):
            theirs = layer_of(target)
            if theirs not in MAY_IMPORT[own]:
                line = f"{name} -> {target} ({own} -> {theirs or 'no layer'})"
                if line not in found:
                    found.append(line)
    return found


def test_every_module_is_placed_in_a_layer():
    missing = unplaced(PACKAGE)
    assert not missing, ("modules missing from LAYERS in tests/test_layers.py (place each one "
                         "deliberately): " + ", ".join(missing))


@pytest.mark.parametrize("layer", ORDER)
def test_modules_import_only_from_their_own_layer_or_below(layer):
    found = violations(PACKAGE, layer)
    assert not found, (f"{len(found)} import(s) of the {layer} layer break the layering "
                       "(lowest first: " + ", ".join(ORDER) + "; exercises never import pictures "
                       "or explorers):\n" + "\n".join(found))



def test_the_package_docstring_lists_the_modules_that_exist_by_layer():
    doc = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text()))
    listed = {}
    for line in doc.splitlines():
        if line.startswith("- ") and ":" in line:
            layer, names = line[2:].split(":", 1)
            listed[layer] = sorted(n.strip() for n in names.split("(")[0].split(","))
    exists = [n for names in LAYERS.values() for n in names
              if (PACKAGE / f"{n}.py").is_file() or (PACKAGE / n / "__init__.py").is_file()]
    existing = {layer: sorted(f"{n}/" if (PACKAGE / n).is_dir() else n for n in names if n in exists)
                for layer, names in LAYERS.items()}
    assert listed == existing, "weightlab/__init__.py's docstring lists other modules than there are"

# ---- the checker itself, on a small package written here ---------------------------------------
FAKE = {
    "__init__.py": "from .plots import Diagram\nfrom . import explore\n",
    "network.py": "import numpy as np\nfrom . import checks\n",
    "checks.py": "",
    "training.py": "from .network import forward\n",
    "storage.py": "def load():\n    from . import plots\n    return plots\n",
    "plots.py": "import weightlab.training\nfrom weightlab import network\n",
    "widgets.py": "",
    "explore/__init__.py": "from ..plots import Diagram\n",
    "explore/loss.py": "from . import Explorer, figure\nfrom .. import exercises\nfrom ..exercises.loss import mse\n",
    "exercises/__init__.py": "",
    "exercises/loss.py": ("from . import Exercise\nfrom .. import network, storage\n"
                          "def check():\n    import weightlab.explore.loss\n    from ..explore import figure\n"
                          "    from .. import Trainer\n    from .. import quadratic\n"),
}


@pytest.fixture
def fake(tmp_path):
    root = tmp_path / "weightlab"
    for name, text in FAKE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_checker_resolves_every_kind_of_import(fake):
    found = {p.relative_to(fake).as_posix(): [m for _, m in imports(p, fake)] for p in modules(fake)}
    assert found["__init__.py"] == ["weightlab.plots", "weightlab.explore"]
    assert found["network.py"] == ["weightlab.checks"]
    assert found["storage.py"] == ["weightlab.plots"]                     # inside a function
    assert found["plots.py"] == ["weightlab.training", "weightlab.network"]  # absolute
    assert found["explore/loss.py"] == [
        "weightlab.explore", "weightlab.explore", "weightlab.exercises", "weightlab.exercises.loss"]
    assert sorted(found["exercises/loss.py"]) == sorted([
        "weightlab.exercises", "weightlab.network", "weightlab.storage", "weightlab.explore.loss",
        "weightlab.explore", "weightlab", "weightlab.quadratic"])


def test_the_checker_reports_each_import_that_goes_up_or_sideways(fake):
    assert unplaced(fake) == ["weightlab.widgets"]
    assert violations(fake) == [
        "weightlab.exercises.loss -> weightlab.explore.loss (exercises -> explorers)",
        "weightlab.exercises.loss -> weightlab.explore (exercises -> explorers)",
        "weightlab.exercises.loss -> weightlab (exercises -> the package itself)",
        "weightlab.explore.loss -> weightlab.exercises (explorers -> exercises)",
        "weightlab.explore.loss -> weightlab.exercises.loss (explorers -> exercises)",
        "weightlab.storage -> weightlab.plots (problems and files -> pictures)",
    ]
