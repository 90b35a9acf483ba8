"""Exercises of notebooks 06 and 07: each reference passes, each typical mistake gets its own hint,
an untouched stub says "not attempted", a function that raises is reported, never raised."""
import numpy as np
import pytest

from weightlab.exercises import initialisation as ex06
from weightlab.exercises import overfitting as ex07

EXERCISES = {
    "xavier_std": ex06.xavier_std,
    "he_std": ex06.he_std,
    "identical_units": ex06.identical_units,
    "split_data": ex07.split_data,
    "max_width": ex07.max_width,
    "best_stopping_step": ex07.best_stopping_step,
}


@pytest.mark.parametrize("name", EXERCISES)
def test_reference_is_correct(name):
    assert EXERCISES[name].check(EXERCISES[name].reference).status == "correct"


@pytest.mark.parametrize("name", EXERCISES)
def test_untouched_stub_is_not_attempted(name):
    def stub(*args):
        ...
    feedback = EXERCISES[name].check(stub)
    assert feedback.status == "not attempted"
    assert "not attempted" in repr(feedback)


@pytest.mark.parametrize("name", EXERCISES)
def test_a_function_that_raises_is_reported_not_raised(name):
    def broken(*args):
        raise ZeroDivisionError("oops")
    feedback = EXERCISES[name].check(broken)
    assert feedback.status == "error"
    assert "ZeroDivisionError" in feedback.message


@pytest.mark.parametrize("name", EXERCISES)
def test_each_typical_mistake_gets_its_own_hint(name):
    ex = EXERCISES[name]
    assert ex.mistakes
    for wrong, hint in ex.mistakes:
        feedback = ex.check(wrong)
        assert feedback.status == "wrong", (name, wrong.__name__)
        assert hint in feedback.message, (name, wrong.__name__, feedback.message)


@pytest.mark.parametrize("name", EXERCISES)
def test_solution_source_is_shown(name):
    text = EXERCISES[name].solution()
    assert text.startswith("def ") and "return" in text


def test_identical_units_cases_cover_both_answers():
    answers = [ex06.identical_units.reference(*case) for case in ex06.identical_units.cases]
    assert True in answers and False in answers


def test_xavier_and_he_agree_with_the_package_initialisers():
    from weightlab import initializers
    for fi, fo in [(2, 3), (50, 50), (400, 100)]:
        xavier = initializers.VARIANCE["xavier_normal"](fi, fo, 1.0)
        assert ex06.xavier_std.reference(fi, fo) ** 2 == pytest.approx(xavier)
        assert ex06.he_std.reference(fi, fo) ** 2 == pytest.approx(initializers.VARIANCE["he_normal"](fi, fo, 1.0))


def test_max_width_is_the_widest_net_with_no_more_parameters_than_points():
    from weightlab.explore.overfitting import n_parameters
    for n in range(1, 200):
        h = ex07.max_width.reference(n)
        assert (h == 0 or n_parameters((2, h, 1)) <= n) and n_parameters((2, h + 1, 1)) > n


def test_split_data_sets_do_not_overlap_and_cover_every_row():
    X, y, n_val = ex07.split_data.cases[0]
    Xt, yt, Xv, yv = ex07.split_data.reference(X, y, n_val)
    rows = {tuple(r) for r in Xt} | {tuple(r) for r in Xv}
    assert len(Xt) + len(Xv) == len(X) == len(rows) and len(Xv) == n_val


def test_best_stopping_cases_are_not_at_the_last_record():
    for steps, train, val in ex07.best_stopping_step.cases:
        assert 0 < np.argmin(val) < len(val) - 1 and np.argmin(train) != np.argmin(val)
