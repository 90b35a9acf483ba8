"""What Binder builds from binder/ alone runs every notebook without error.

repo2docker reads only binder/ when it exists: it installs
binder/requirements.txt, then runs binder/postBuild from the repository root.
This test does the same in a fresh virtual environment and executes each
notebook top to bottom in a kernel of that environment (not pytest's).
"""
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
REQUIRED = os.environ.get("WEIGHTLAB_REQUIRE_BROWSER", "") not in ("", "0") or bool(os.environ.get("CI"))

RUNNER = textwrap.dedent(
    '''
    """Execute notebooks with nbclient in this interpreter's own kernel."""
    import json, sys, time
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    PROBE = "import sys, json, weightlab\\nprint(json.dumps([sys.prefix, weightlab.__file__]))"
    results = []
    for name in sys.argv[1:]:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        start = time.perf_counter()
        error = None
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except CellExecutionError as exc:
            error = str(exc)[-3000:]
        except Exception as exc:  # kernel died, timeout, ...
            error = f"{type(exc).__name__}: {exc}"[-3000:]
        probe = None
        outputs = nb.cells[-1].get("outputs", [])
        if not error and outputs and outputs[0].get("output_type") == "stream":
            probe = json.loads(outputs[0]["text"].strip().splitlines()[-1])
        results.append({"notebook": path.name, "seconds": time.perf_counter() - start,
                        "error": error, "probe": probe})
    print("RESULTS " + json.dumps(results))
    '''
)


def _run(cmd, log, **kwargs):
    """Run a command, keep its output in the log, fail with the tail of it."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    log.write_text(log.read_text() + f"$ {' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}\n")
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {proc.returncode} after {elapsed:.0f} s:\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        )
    return proc, elapsed


def test_runtime_txt_names_a_python_version():
    text = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", text), f"binder/runtime.txt should read like 'python-3.11', got {text!r}"


def test_requirements_pin_exact_versions():
    lines = [
        line.split("#", 1)[0].strip()
        for line in (BINDER / "requirements.txt").read_text().splitlines()
    ]
    pins = [line for line in lines if line]
    assert pins, "binder/requirements.txt pins nothing"
    loose = [line for line in pins if not re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[0-9][\w.]*", line)]
    assert not loose, f"pin exact versions (name==x.y.z); a local path like '-e .' also disables Binder's cache: {loose}"
    names = {re.split(r"[=\[]", p)[0].lower() for p in pins}
    assert "weightlab" not in names, "weightlab is installed by postBuild, not requirements.txt"


@pytest.mark.binder
def test_binder_environment_runs_every_notebook(tmp_path):
    if not NOTEBOOKS:
        pytest.skip("no notebooks in notebooks/ yet: nothing for Binder to run")
    venv = tmp_path / "binder-venv"
    log = tmp_path / "binder.log"
    log.write_text("")
    created = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if created.returncode != 0:
        message = f"cannot create a virtual environment: {created.stderr.strip()[-500:]}"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    # A private Jupyter data dir, so a user-level 'python3' kernelspec cannot
    # send the notebooks to some other interpreter.
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter-config")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "jupyter-runtime")
    env.pop("JUPYTER_PATH", None)
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")

    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    _, t_req = _run(pip + ["install", "-q", "-r", str(BINDER / "requirements.txt")], log, env=env)
    # postBuild, as repo2docker runs it: from the repository root.
    _, t_post = _run(["bash", str(BINDER / "postBuild")], log, env=env, cwd=REPO)
    # The notebook runner; jupyterlab normally brings both already.
    missing = subprocess.run(
        [str(python), "-c", "import nbclient, ipykernel"], capture_output=True, env=env
    ).returncode
    if missing:
        _run(pip + ["install", "-q", "nbclient", "ipykernel"], log, env=env)

    runner = tmp_path / "run_notebooks.py"
    runner.write_text(RUNNER)
    proc, t_run = _run([str(python), str(runner)] + [str(p) for p in NOTEBOOKS], log, env=env, cwd=tmp_path)
    line = [l for l in proc.stdout.splitlines() if l.startswith("RESULTS ")][-1]
    results = json.loads(line[len("RESULTS "):])

    print(f"\nBinder environment: requirements {t_req:.0f} s, postBuild {t_post:.0f} s, notebooks {t_run:.0f} s")
    for r in results:
        print(f"  {r['notebook']:<40} {r['seconds']:6.1f} s  {'ERROR' if r['error'] else 'ok'}")

    failures = [f"{r['notebook']}:\n{r['error']}" for r in results if r["error"]]
    assert not failures, "notebooks fail in the Binder environment:\n" + "\n\n".join(failures)
    assert len(results) == len(NOTEBOOKS)
    for r in results:
        prefix, module = r["probe"]
        assert Path(prefix).resolve() == venv.resolve(), f"{r['notebook']} ran in {prefix}, not the Binder venv"
        assert Path(module).resolve().is_relative_to(venv.resolve()), (
            f"{r['notebook']} imported weightlab from {module}, not the copy postBuild installed"
        )
