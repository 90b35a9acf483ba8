"""Shared test settings: the Agg backend, markers, and summary tables (browser latency, notebook times, time per part)."""
from collections import defaultdict

import matplotlib

# Every test draws off-screen. Set once, here, before any test module imports pyplot; a test
# that imports ipympl (which switches the backend) switches back to this one afterwards.
matplotlib.use("Agg")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "binder: builds a fresh environment from binder/ and runs every notebook in it"
    )
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless Chromium (needs /usr/bin/chromium)"
    )


def _part(path):
    """Which part of the test run a test file belongs to."""
    if path.endswith(".ipynb"):
        return "notebooks under strict nbval"
    if "/browser/" in path:
        return "JupyterLab in headless Chromium"
    if path.endswith("test_binder.py"):
        return "Binder environment"
    if path.endswith("test_notebook_hygiene.py"):
        return "notebook hygiene"
    return "unit tests"


def _time_by(terminalreporter, group):
    """Seconds (set-up, call and tear-down) and the set of tests, per ``group(test file)``; None leaves a test out."""
    seconds, tests = defaultdict(float), defaultdict(set)
    for reports in terminalreporter.stats.values():
        for report in reports:
            nodeid = getattr(report, "nodeid", "")
            key = group(nodeid.split("::", 1)[0]) if nodeid and hasattr(report, "duration") else None
            if key is not None:
                seconds[key] += report.duration
                tests[key].add(nodeid)
    return seconds, tests


def _print_parts(terminalreporter):
    """Time per part of the run, when the run has more than one part."""
    seconds, tests = _time_by(terminalreporter, _part)
    if len(seconds) < 2:
        return
    terminalreporter.section("time per part of the run")
    for part in sorted(seconds, key=seconds.get, reverse=True):
        terminalreporter.write_line(f"{part:<34} {seconds[part]:7.1f} s  ({len(tests[part])} tests)")
    terminalreporter.write_line(f"{'total':<34} {sum(seconds.values()):7.1f} s")


def _print_notebooks(terminalreporter):
    """How long each notebook took under nbval (sum over its cells)."""
    seconds, cells = _time_by(terminalreporter, lambda path: path if path.endswith(".ipynb") else None)
    if not seconds:
        return
    terminalreporter.section("notebook execution time (nbval)")
    width = max(len(p) for p in seconds)
    for path in sorted(seconds):
        terminalreporter.write_line(f"{path:<{width}}  {seconds[path]:7.1f} s  ({len(cells[path])} cells)")
    terminalreporter.write_line(f"{'total':<{width}}  {sum(seconds.values()):7.1f} s")


def pytest_terminal_summary(terminalreporter):
    """Print the tables: browser latency, each notebook's nbval time, and the time per part of the run."""
    for title, text in getattr(terminalreporter.config, "weightlab_sections", []):
        terminalreporter.section(title)
        terminalreporter.write_line(text)
    _print_notebooks(terminalreporter)
    _print_parts(terminalreporter)
