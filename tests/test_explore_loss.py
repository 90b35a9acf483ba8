"""The loss explorer of notebook 03: every control at its ends and middle, the curves it
draws against the landscape module, and the words in its status line."""
import numpy as np
import pytest

from explorer_helpers import drive, explorer_fixture
from weightlab import landscape, problems
from weightlab.explore.loss import HALF_WIDTH, loss_explorer


ex = explorer_fixture(loss_explorer)


@pytest.mark.parametrize("name", ["xweight", "yweight", "dx", "dy", "surface"])
def test_every_control_redraws_and_changes_the_picture(ex, name):
    assert drive(ex, name) >= 2


def test_default_status_names_both_losses_at_the_trained_point(ex):
    assert "cross-entropy 0.325" in ex.status.value
    assert "(trained weights: 0.325" in ex.status.value


def test_the_curves_are_the_loss_along_the_x_weight(ex):
    params, X, y = problems.reference_problem()
    ex.set(xweight="b1[2]", yweight="W2[0,0]", dx=1.0, dy=-0.5)
    ax1 = ex.fig.axes[0]
    bce_line, sq_line = ax1.lines[0], ax1.lines[1]
    xs = bce_line.get_xdata()
    moved = landscape.population_with(params, ["W2[0,0]"], [[landscape.value_of(params, "W2[0,0]") - 0.5]])
    from weightlab import network
    base = network.member(moved, 0)
    np.testing.assert_allclose(bce_line.get_ydata(), landscape.loss_along(base, X, y, "b1[2]", xs, loss="bce"))
    np.testing.assert_allclose(sq_line.get_ydata(), landscape.loss_along(base, X, y, "b1[2]", xs, loss="mse_prob"))
    # the current point sits on the curve, at the slider's value
    dot = ax1.lines[2]
    x0 = landscape.value_of(params, "b1[2]")
    assert dot.get_xdata()[0] == pytest.approx(x0 + 1.0)
    assert dot.get_ydata()[0] == pytest.approx(np.interp(x0 + 1.0, xs, bce_line.get_ydata()), rel=1e-3)


def test_the_maps_show_the_grid_around_the_trained_point(ex):
    params, X, y = problems.reference_problem()
    ex.set(xweight="W1[1,0]", yweight="b2[0]")
    image = ex.fig.axes[1].images[0]
    x0, y0 = landscape.value_of(params, "W1[1,0]"), landscape.value_of(params, "b2[0]")
    np.testing.assert_allclose(image.get_extent(), [x0 - HALF_WIDTH, x0 + HALF_WIDTH, y0 - HALF_WIDTH, y0 + HALF_WIDTH])
    Z = image.get_array()
    corner = landscape.loss_grid(params, X, y, ["W1[1,0]", "b2[0]"], [x0 - HALF_WIDTH], [y0 + HALF_WIDTH])
    assert Z[-1, 0] == pytest.approx(corner[0, 0])


def test_the_toggle_switches_the_map_between_the_two_losses(ex):
    params, X, y = problems.reference_problem()
    image = ex.fig.axes[1].images[0]
    bce = np.asarray(image.get_array()).copy()
    ex.set(surface="mse_prob")
    sq = np.asarray(image.get_array())
    x0, y0 = landscape.value_of(params, "W1[0,1]"), landscape.value_of(params, "W2[1,0]")
    corner = landscape.loss_grid(params, X, y, ["W1[0,1]", "W2[1,0]"], [x0 - HALF_WIDTH], [y0 - HALF_WIDTH],
                                 loss=("bce", "mse_prob"))
    assert bce[0, 0] == pytest.approx(corner[0][0, 0]) and sq[0, 0] == pytest.approx(corner[1][0, 0])
    assert "squared error of p" in ex.fig.axes[1].get_title()
    ex.set(xweight="b1[0]")             # a new pair of weights keeps the chosen loss
    assert "squared error of p" in ex.fig.axes[1].get_title()


def test_choosing_the_other_axis_weight_swaps_the_axes(ex):
    ex.set(xweight="b1[0]", yweight="W2[0,0]")
    ex.controls["xweight"].value = "W2[0,0]"
    assert ex.values()["yweight"] == "b1[0]"
    assert "the y axis now shows b1[0]" in ex.status.value
    assert ex.fig.axes[1].get_xlabel() == "W2[0,0]" and ex.fig.axes[1].get_ylabel() == "b1[0]"
    ex.controls["yweight"].value = "W2[0,0]"
    assert ex.values()["xweight"] == "b1[0]"
    assert "the x axis now shows b1[0]" in ex.status.value


def test_moving_away_raises_the_loss_and_a_better_point_is_praised(ex):
    ex.set(dx=4.0, dy=-4.0)
    far = float(ex.status.value.split("cross-entropy ")[1].split(",")[0])
    assert far > 0.325
    # training had not finished: some nearby point along a weight is lower, and the status says so
    params, X, y = problems.reference_problem()
    for name in landscape.network.flat_names():
        v = landscape.value_of(params, name)
        values = v + np.arange(-20, 21) * 0.1
        L = landscape.loss_along(params, X, y, name, values)
        if L.min() < L[20] - 1e-3:
            break
    best = values[np.argmin(L)] - v
    ex.set(xweight=name, yweight="W2[0,0]" if name != "W2[0,0]" else "b2[0]", dx=round(best, 1), dy=0.0)
    assert "training had not finished" in ex.status.value


def test_two_apart_shows_enough_digits_to_see_a_difference():
    from weightlab.explore.loss import two_apart
    assert two_apart(0.32536, 0.32506) == ("0.3254", "0.3251")
    assert two_apart(0.325356, 0.325351, least=3) == ("0.32536", "0.32535")
    assert two_apart(0.5, 0.5) == ("0.500", "0.500")
    a, b = two_apart(1 / 3, 1 / 3 + 1e-9)
    assert a != b and float(a) < float(b)


def test_a_status_that_calls_a_loss_lower_prints_a_lower_number(ex):
    """Wherever the status says the cross-entropy is lower than the trained network's, the two printed
    numbers differ and the first is the smaller (it once printed 0.325 vs 0.325)."""
    import re
    seen = 0
    for name in ("W2[1,0]", "b2[0]", "W1[0,0]", "W1[0,2]"):
        other = "W2[0,0]"
        for dx in (-0.3, -0.2, -0.1, 0.1, 0.2, 0.3):
            ex.set(xweight=name, yweight=other, dx=dx, dy=0.0)
            now, trained = re.search(r"cross-entropy ([0-9.]+),.*trained weights: ([0-9.]+)", ex.status.value).groups()
            if "lower than the trained" in ex.status.value:
                seen += 1
                assert float(now) < float(trained), ex.status.value
            else:
                assert float(now) >= float(trained)
    assert seen, "no setting tried was lower than the trained network"
