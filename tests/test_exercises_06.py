"""Exercises of notebook 06: each reference passes and agrees with the package (the Trainer's epoch,
optim.momentum_step, the measured spread); each typical mistake gets its own hint; an untouched
stub is 'not attempted'; a raising function is reported, never raised; the solution that
show_solution() prints passes its checker when pasted into the notebook with only its imports."""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from weightlab import experiments, network, optim, problems
from weightlab.exercises import sgd
from weightlab.initializers import make_rng
from weightlab.training import Trainer

EXERCISES = [sgd.sgd_epoch, sgd.momentum_update, sgd.gradient_spread]
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_minibatch_momentum.ipynb"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.name)
def test_reference_passes_and_stub_and_errors_are_reported(ex):
    assert ex.check(ex.reference).passed

    def stub(*args):
        ...
    assert ex.check(stub).status == "not attempted"

    def broken(*args):
        raise ZeroDivisionError("oops")
    fb = ex.check(broken)
    assert fb.status == "error" and "ZeroDivisionError" in fb.message


@pytest.mark.parametrize("ex,k", [(ex, k) for ex in EXERCISES for k in range(len(ex.mistakes))],
                         ids=lambda v: v.name if hasattr(v, "name") else str(v))
def test_each_mistake_gets_its_own_hint(ex, k):
    wrong, hint = ex.mistakes[k]
    fb = ex.check(wrong)
    assert fb.status == "wrong" and "Hint: " + hint in fb.message


def notebook_namespace():
    """A namespace with the notebook's imports only (its first code cell, without the %magic line)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    namespace = {}
    exec("\n".join(line for line in first.source.splitlines() if not line.startswith("%")), namespace)
    return namespace


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.name)
def test_the_shown_solution_passes_when_pasted_into_the_notebook(ex, capsys):
    ex.show_solution()
    shown = capsys.readouterr().out
    assert shown.startswith(f"def {ex.name}(")
    namespace = notebook_namespace()
    exec(shown, namespace)
    assert ex.check(namespace[ex.name]).passed
    assert ex.name in re.findall(r"exercises\.sgd\.(\w+)\.show_solution", NOTEBOOK.read_text())


@pytest.mark.parametrize("B", [1, 7, 30, 100])
def test_one_epoch_of_the_reference_is_one_epoch_of_the_trainer(B):
    params, X, y, loss = problems.descent_problem()
    order = make_rng(3).permutation(len(X))               # the Trainer's first epoch with seed 3
    mine = sgd.sgd_epoch.reference(network.copy(params), X, y, 0.2, B, order)
    t = Trainer(params, X, y, lr=0.2, loss=loss, batch_size=B, seed=3)
    t.step(experiments.steps_for(1, len(X), B))
    for k in params:
        np.testing.assert_allclose(mine[k], t.current[k], rtol=1e-12, atol=1e-14)


def test_the_momentum_reference_is_optim_momentum_step():
    r = np.random.default_rng(0)
    params, grads, velocity = (network.unflatten(r.normal(size=13)) for _ in range(3))
    new, vel = optim.momentum_step(params, grads, velocity, 0.3, 0.8)
    for k in params:
        w, v = sgd.momentum_update.reference(params[k], velocity[k], grads[k], 0.3, 0.8)
        np.testing.assert_allclose(w, new[k], rtol=1e-15)
        np.testing.assert_allclose(v, vel[k], rtol=1e-15)


def test_the_spread_reference_is_the_measured_spread_on_the_same_batches():
    params, X, y, loss = problems.descent_problem()
    G = experiments.per_example_grads(params, X, y, loss)
    rng = np.random.default_rng(0)                       # as measured_spread draws them
    batches = rng.permuted(np.tile(np.arange(len(X)), (300, 1)), axis=1)[:, :10]
    mine = sgd.gradient_spread.reference(G, list(batches))
    assert mine == pytest.approx(experiments.measured_spread(G, 10, batches=300, seed=0), rel=1e-12)


def test_learner_style_answers_are_accepted():
    def epoch(params, X, y, lr, batch_size, order):
        p = {k: v.copy() for k, v in params.items()}
        for i in range(0, len(order), batch_size):
            rows = order[i:i + batch_size]
            z, cache = network.forward(p, X[rows])
            g = network.backward(p, cache, 2 * (z - y[rows, None]) / len(rows))
            for k in p:
                p[k] -= lr * g[k]
        return p

    def update(w, v, g, lr, beta):
        v_new = beta * v + g
        w_new = w - lr * v_new
        return [w_new, v_new]

    def spread(G, batches):
        full = np.mean(G, axis=0)
        return np.sqrt(sum(np.linalg.norm(np.mean(G[b], axis=0) - full) ** 2 for b in batches) / len(batches))

    assert sgd.sgd_epoch.check(epoch).passed
    assert sgd.momentum_update.check(update).passed
    assert sgd.gradient_spread.check(spread).passed
