"""What both browser tests share: where the notebooks and Chromium are, and how a missing browser
is reported (a failure when WEIGHTLAB_REQUIRE_BROWSER=1, as in CI; else a skip with the reason)."""
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CHROMIUM = Path(os.environ.get("WEIGHTLAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
REQUIRED = os.environ.get("WEIGHTLAB_REQUIRE_BROWSER", "") not in ("", "0")


def unavailable(reason):
    """Fail (browser tests required) or skip, saying ``reason``."""
    if REQUIRED:
        pytest.fail(f"{reason} (WEIGHTLAB_REQUIRE_BROWSER=1: browser tests must run)")
    pytest.skip(reason)


def notebook_params():
    """One pytest parameter per notebook, named after its file."""
    if not NOTEBOOKS:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks in notebooks/ yet"))]
    return [pytest.param(p, id=p.name) for p in NOTEBOOKS]
