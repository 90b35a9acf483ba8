"""Notebook 09's exercises: each reference passes, each typical mistake gets its
own hint, an untouched stub is 'not attempted', a crash is reported, not raised."""
import numpy as np
import pytest

from weightlab import regularization
from weightlab.exercises import regularization as ex08

def test_references_agree_with_the_package():
    """The solutions agree with weightlab.regularization, an independent implementation."""
    for params, lam in ex08.l2_penalty_and_grad.cases:
        pen, grads = ex08.l2_penalty_and_grad.reference(params, lam)
        assert pen == pytest.approx(float(regularization.penalty(params, "l2", lam)))
        for k, g in regularization.penalty_grads(params, "l2", lam).items():
            np.testing.assert_allclose(grads[k], g)
    for w, t in ex08.soft_threshold.cases:
        np.testing.assert_array_equal(ex08.soft_threshold.reference(w, t), regularization.soft_threshold(w, t))


def test_l2_gradient_matches_central_differences():
    params, lam = ex08.l2_penalty_and_grad.cases[0]
    _, grads = ex08.l2_penalty_and_grad.reference(params, lam)
    eps = 1e-6
    for k, v in params.items():
        for idx in np.ndindex(v.shape):
            plus = {n: a.copy() for n, a in params.items()}
            minus = {n: a.copy() for n, a in params.items()}
            plus[k][idx] += eps
            minus[k][idx] -= eps
            num = (ex08.l2_penalty_and_grad.reference(plus, lam)[0]
                   - ex08.l2_penalty_and_grad.reference(minus, lam)[0]) / (2 * eps)
            assert grads[k][idx] == pytest.approx(num, abs=1e-8)


def test_soft_threshold_is_the_proximal_operator():
    """S(w, t) minimises ½(x − w)² + t|x|: check against a fine grid search per entry."""
    xs = np.linspace(-4, 4, 80001)
    for w in (-3.0, -0.4, 0.0, 0.05, 1.2):
        for t in (0.1, 0.5, 1.0):
            best = xs[np.argmin(0.5 * (xs - w) ** 2 + t * np.abs(xs))]
            assert ex08.soft_threshold.reference(np.array(w), t) == pytest.approx(best, abs=2e-4)


def test_cases_are_not_changed_by_a_learner_that_writes_in_place():
    def in_place(params, lam):
        for v in params.values():
            v *= 0
        return ex08.l2_penalty_and_grad.reference(params, lam)
    ex08.l2_penalty_and_grad.check(in_place)
    assert ex08.l2_penalty_and_grad.check(ex08.l2_penalty_and_grad.reference).status == "correct"
    pen, _ = ex08.l2_penalty_and_grad.reference(*ex08.l2_penalty_and_grad.cases[0])
    assert pen > 0
