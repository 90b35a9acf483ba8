"""The gradient explorer of notebook 04: controls, arrows against backprop and against
central differences, the tangent's slope, and the words in its status line."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from explorer_helpers import drive, explorer_fixture
from weightlab import landscape, network, problems
from weightlab.explore.gradients import gradients_explorer


ex = explorer_fixture(gradients_explorer)


@pytest.mark.parametrize("name", ["xweight", "yweight", "dx", "dy"])
def test_every_control_redraws_and_changes_the_picture(ex, name):
    assert drive(ex, name) >= 2


def quivers(ex):
    from matplotlib.quiver import Quiver
    return [c for c in ex.fig.axes[1].collections if isinstance(c, Quiver)]


def test_field_arrows_point_against_the_gradient(ex):
    params, X, y = problems.reference_problem()
    ex.set(xweight="W1[1,1]", yweight="b1[0]")
    field = quivers(ex)[0]
    xy = field.get_offsets()
    gx, gy = landscape.grad_grid(params, X, y, ["W1[1,1]", "b1[0]"], np.unique(xy[:, 0]), np.unique(xy[:, 1]))
    U, V = field.U.ravel(), field.V.ravel()
    # same direction as -gradient: positive scale, zero cross product
    k = -U / gx.ravel()
    assert np.all(k > 0)
    np.testing.assert_allclose(k, k[0], rtol=1e-9)
    np.testing.assert_allclose(-V / gy.ravel(), k[0], rtol=1e-9)
    # the longest arrow fits in its grid cell
    cell = xy[1, 0] - xy[0, 0]
    assert np.max(np.hypot(U, V)) == pytest.approx(0.9 * cell)


def test_arrow_at_the_current_point_is_minus_the_gradient_by_central_differences(ex):
    params, X, y = problems.reference_problem()
    ex.set(xweight="W2[2,0]", yweight="W1[0,2]", dx=1.5, dy=-1.0)
    here = quivers(ex)[1]
    x = landscape.value_of(params, "W2[2,0]") + 1.5
    yv = landscape.value_of(params, "W1[0,2]") - 1.0
    np.testing.assert_allclose(here.get_offsets()[0], [x, yv])
    eps = 1e-6

    def L(a, b):
        pop = landscape.population_with(params, ["W2[2,0]", "W1[0,2]"], [[a], [b]])
        return float(landscape.loss_of(pop, X, y)[0])
    g = np.array([(L(x + eps, yv) - L(x - eps, yv)) / (2 * eps), (L(x, yv + eps) - L(x, yv - eps)) / (2 * eps)])
    arrow = np.array([here.U[0], here.V[0]])
    cos = -arrow @ g / (np.linalg.norm(arrow) * np.linalg.norm(g))
    assert cos == pytest.approx(1.0, abs=1e-6)
    assert f"({g[0]:+.3f}, {g[1]:+.3f})" in ex.status.value


def test_tangent_has_the_slope_of_the_curve(ex):
    ex.set(xweight="b2[0]", yweight="W2[1,0]", dx=-2.0, dy=0.0)
    ax1 = ex.fig.axes[0]
    curve, tangent = ax1.lines[0], ax1.lines[1]
    tx, ty = tangent.get_xdata(), tangent.get_ydata()
    slope = (ty[1] - ty[0]) / (tx[1] - tx[0])
    xs, ys = curve.get_xdata(), curve.get_ydata()
    x = (tx[0] + tx[1]) / 2
    i = np.searchsorted(xs, x)
    numeric = (ys[i + 1] - ys[i - 1]) / (xs[i + 1] - xs[i - 1])
    assert slope == pytest.approx(numeric, rel=0.02)
    assert slope < 0   # left of the valley the loss falls as b2 grows
    assert "increase b2[0]" in ex.status.value


def test_at_the_trained_point_the_gradient_is_almost_zero(ex):
    ex.set(dx=0.0, dy=0.0)
    assert "almost zero" in ex.status.value


def test_a_plateau_is_not_called_a_minimum(ex):
    ex.set(xweight="W1[0,1]", yweight="b1[1]", dx=5.0, dy=5.0)
    assert "plateau" in ex.status.value and "bottom" not in ex.status.value
    L = float(ex.status.value.split("loss ")[1].split(",")[0])
    assert L > 3 * 0.325


def test_same_weight_twice_is_never_shown(ex):
    ex.set(xweight="b1[1]", yweight="b1[1]")
    assert ex.values()["xweight"] != ex.values()["yweight"]
    assert "cannot show b1[1]" in ex.status.value


def test_works_for_another_problem_and_loss():
    params, X, y = problems.reference_problem(dataset="circles", steps=50)
    e = gradients_explorer(loss="mse", problem=(params, X, y), arrows=5, grid=20)
    try:
        assert len(quivers(e)[0].get_offsets()) == 25
        assert network.flat_names()[0] in e.controls["xweight"].options
    finally:
        plt.close(e.fig)


def test_direction_words_follow_the_sign_of_the_gradient():
    from weightlab.explore.gradients import direction_words
    assert direction_words(("a", "b"), (0.2, -0.3)) == "decrease a, increase b"
    assert direction_words(("a", "b"), (1e-5, -0.3)) == "a stays about where it is, increase b"


def test_status_names_the_downhill_move_of_each_weight(ex):
    ex.set(dx=-2.0, dy=2.0)
    pop = landscape.population_with(ex.params, ["W1[0,1]", "W2[1,0]"],
                                    [[landscape.value_of(ex.params, "W1[0,1]") - 2.0],
                                     [landscape.value_of(ex.params, "W2[1,0]") + 2.0]])
    _, grads = landscape.loss_and_grad(pop, ex.X, ex.y)
    g1, g2 = grads["W1"][0, 0, 1], grads["W2"][0, 1, 0]
    assert f"{'increase' if g1 < 0 else 'decrease'} W1[0,1]" in ex.status.value
    assert f"{'increase' if g2 < 0 else 'decrease'} W2[1,0]" in ex.status.value
