"""Exercises of notebooks 03-05: each reference passes, each typical mistake gets its own hint,
an untouched stub is 'not attempted', and a function that raises is an 'error' (never raised)."""
import numpy as np
import pytest

from weightlab import experiments, losses, problems
from weightlab.exercises import descent, gradients, loss

EXERCISES = [loss.mse, loss.bce_from_logit, gradients.mse_grad, gradients.hidden_backward,
             gradients.central_difference, descent.gd_step, descent.largest_stable_lr]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.name)
def test_solution_is_printable_source(ex, capsys):
    ex.show_solution()
    out = capsys.readouterr().out
    assert out.startswith("def " + ex.name + "(")


def test_references_agree_with_the_package():
    z = np.array([3.0, -2.0, 40.0, -40.0, 0.1])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    assert loss.bce_from_logit.reference(z, y) == pytest.approx(losses.bce(z[:, None], y))
    assert loss.mse.reference(z, y) == pytest.approx(losses.mse(z[:, None], y))
    np.testing.assert_allclose(gradients.mse_grad.reference(z, y), losses.mse_grad(z[:, None], y)[:, 0])


def test_bce_cases_include_a_logit_where_the_naive_formula_gives_inf():
    z, y = loss.bce_from_logit.cases[2]
    with np.errstate(all="ignore"):
        assert not np.isfinite(loss._bce_naive(z, y))
    assert np.isfinite(loss.bce_from_logit.reference(z, y))


def test_in_place_update_that_returns_params_is_accepted():
    def in_place(params, grads, lr):
        for k in params:
            params[k] -= lr * grads[k]
        return params
    assert descent.gd_step.check(in_place).status == "correct"


def test_gd_step_learner_style_answer():
    def mine(params, grads, lr):
        new = {}
        for name in params:
            new[name] = params[name] - lr * grads[name]
        return new
    assert descent.gd_step.check(mine).passed


def test_learning_rate_challenge():
    ch = descent.learning_rate
    assert ch.check(...).status == "not attempted"
    assert ch.check(None).status == "not attempted"
    assert ch.check("fast").status == "error"
    assert ch.check(-0.1).status == "error"
    assert ch.check(float("nan")).status == "error"
    assert ch.check(True).status == "error"
    good = ch.check(0.4)
    assert good.status == "correct" and "0.4" in good.message
    slow = ch.check(0.005)
    assert slow.status == "wrong" and "too slow" in slow.message and "larger" in slow.message
    wobbly = ch.check(0.78)
    assert wobbly.status == "wrong" and "overshoot" in wobbly.message and "smaller" in wobbly.message
    boom = ch.check(10)
    assert boom.status == "wrong" and "diverged at step" in boom.message


@pytest.mark.parametrize("lr", [1e-300, 1e300, np.float32(0.3), np.int64(1), 3, [0.3], np.array([0.3]), 1j,
                                "0.3", float("inf"), 0])
def test_learning_rate_checker_never_raises(lr):
    with np.errstate(all="raise"):
        fb = descent.learning_rate.check(lr)
    assert fb.status in ("correct", "wrong", "error") and fb.message


def _final_losses(lrs):
    params, X, y, loss = problems.descent_problem()
    return experiments.lr_sweep(params, X, y, lrs, 100, loss)[0]


def test_the_solution_text_agrees_with_what_is_measured():
    text = descent.learning_rate.solution()
    assert "0.18 to 0.55" in text and "up to 0.62" in text and "0.56 and 0.565 do not" in text
    lrs = np.round(np.arange(0.005, 0.8301, 0.005), 3)
    final = _final_losses(lrs)
    passing = lrs[final < 0.12]
    assert passing.min() == pytest.approx(0.175) and passing.max() == pytest.approx(0.62)
    assert np.all(final[(lrs >= 0.18) & (lrs <= 0.55)] < 0.12)
    assert set(lrs[(lrs > 0.55) & (lrs <= 0.62) & ~(final < 0.12)]) == {0.56, 0.565}
    assert "from 0.825 most runs diverge" in text
    assert np.isnan(final[lrs == 0.825]).all() and not np.isnan(final[lrs < 0.825]).any()


@pytest.mark.parametrize("lr", np.round(np.arange(0.005, 0.8301, 0.015), 3))
def test_the_advice_points_the_right_way(lr):
    fb = descent.learning_rate.check(float(lr))
    if fb.passed:
        return
    if lr < 0.175:
        assert "larger" in fb.message, (lr, fb.message)
    else:
        assert "smaller" in fb.message or "Try a smaller" in fb.message, (lr, fb.message)


@pytest.mark.parametrize("lr", [0.2, 0.3, 0.5, 0.55, 0.6])
def test_the_solution_range_really_works(lr):
    assert descent.learning_rate.check(lr).passed
