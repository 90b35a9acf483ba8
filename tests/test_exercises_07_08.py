"""Exercises of notebooks 07 and 08: each reference passes, each typical mistake gets its own hint,
an untouched stub says "not attempted", a function that raises is reported, never raised."""
import numpy as np
import pytest

from weightlab.exercises import initialization as ex06
from weightlab.exercises import overfitting as ex07

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
    from weightlab.network import n_parameters
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
