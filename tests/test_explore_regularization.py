"""Notebook 09's explorers: the running model keeps training through changes of
penalty, the U curve comes from a population, and the geometry says where L1 lands
(the sweep and the two-weight optima are tests/test_experiments.py's and
tests/test_quadratic.py's)."""
import inspect

import matplotlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection

from explorer_helpers import explorer_fixture, move_controls
from weightlab import experiments, explore, problems, regularization
from weightlab.explore import regularization as reg
from weightlab.training import Trainer

STEPS = inspect.signature(reg.RegularisationExplorer).parameters["steps_per_change"].default
SWEEP = {k: p.default for k, p in inspect.signature(reg.StrengthSweepExplorer).parameters.items()}


running = explorer_fixture(reg.regularisation_explorer)
sweep_ex = explorer_fixture(reg.strength_sweep_explorer, scope="module")
geometry = explorer_fixture(reg.penalty_geometry_explorer)


def zeros(ex):
    return int(regularization.count_zeros(ex.trainer.current))


# 1. The running model ------------------------------------------------------------------
def test_running_model_every_control_redraws_and_changes_the_picture(running):
    # every change trains more steps, so the loss curve always moves
    for name, changes in move_controls(running, one_redraw=True).items():
        assert all(changes), f"a move of {name} did not change the figure"


def test_a_change_continues_from_the_current_weights(running):
    tr = running.trainer
    t0, w0 = tr.t, tr.current
    running.set(penalty="l2", lam=0.01)
    assert running.trainer is tr, "changing the penalty must not make a new trainer"
    assert tr.t == t0 + STEPS
    assert (tr.penalty, tr.lam) == ("l2", 0.01)
    assert running.marks[-1] == (t0, "L2, λ=0.01")
    # the same STEPS steps from the same weights, done by hand, give the same weights
    d = problems.noisy_moons()
    by_hand = Trainer(w0, d.X, d.y, lr=0.5, penalty="l2", lam=0.01)
    by_hand.step(STEPS)
    for k, v in by_hand.current.items():
        np.testing.assert_allclose(tr.current[k], v, rtol=1e-12, atol=1e-14)


def test_l1_gives_exact_zeros_and_l2_only_shrinks(running):
    running.set(penalty="l2", lam=0.03)
    l2_zeros = zeros(running)
    assert l2_zeros == 0
    assert "0 of 48 weights are exactly zero" in running.status.value
    running.set(penalty="l1", lam=0.03)
    l1_zeros = zeros(running)
    assert l1_zeros > 20
    assert f"{l1_zeros} of 48 weights are exactly zero" in running.status.value


def test_zero_penalty_is_reachable_and_said_in_words(running):
    running.set(penalty="none")
    assert running.trainer.penalty == "none"
    assert running.trainer.lam == 0.0
    assert "No penalty" in running.status.value
    assert running.marks[-1][1] == "off"


def test_a_network_with_every_weight_zero_is_explained(running):
    running.set(penalty="l1", lam=1.0)
    assert zeros(running) == 48
    status = running.status.value
    assert "the network stays here" in status and "saddle point" in status
    running.set(penalty="l1", lam=1e-4)           # lowering λ does not revive it under L1 ...
    assert zeros(running) == 48
    running.set(penalty="none")                   # ... switching the penalty off does, after a pause
    assert zeros(running) == 0
    for _ in range(4):                            # it leaves the saddle within a few presses
        running.buttons["train_more"].click()
    assert running.trainer.history.loss[-1] < 0.3


def test_train_more_button_continues_and_reset_starts_over(running):
    t0 = running.trainer.t
    redraws = running.redraws
    running.buttons["train_more"].click()
    assert running.trainer.t == t0 + STEPS
    assert running.redraws == redraws + 1
    assert "more steps from the current weights" in running.status.value
    running.set(penalty="l2", lam=0.1)
    running.buttons["reset"].click()              # every control back, and training from the start
    tr = running.trainer
    assert running.values() == {"penalty": "none", "lam": 0.01}
    assert tr.t == 1200 and tr.penalty == "none" and tr.lam == 0.0
    assert running.marks == [(0, "off")]
    assert "trained 1200 steps from the initial random weights" in running.status.value
    assert "current weights" not in running.status.value


def test_the_strength_trains_when_released_not_while_dragged(running):
    assert running.TRAINING_CONTROLS == ("penalty", "lam")
    assert running.controls["lam"].continuous_update is False
    for name, values in running.TRIES.items():
        c = running.controls[name]
        for v in values:
            if name == "lam":
                assert 10 ** c.min <= v <= 10 ** c.max
            else:
                assert v in c._options_values


def test_a_nan_strength_set_from_python_neither_raises_nor_shows(running):
    running.set(penalty="l2")
    running.controls["lam"].value = float("nan")
    assert running.trainer.lam == 0.01 and "nan" not in running.status.value.lower()


def test_loss_colours_come_from_the_palette_with_line_styles(running):
    from weightlab.plots import OKABE_ITO
    assert running.curves.train.get_color() == OKABE_ITO["black"] and running.curves.train.get_linestyle() == "--"
    assert running.curves.val.get_color() == OKABE_ITO["orange"] and running.curves.val.get_linestyle() == "-"


def test_zero_edges_are_drawn_grey_and_dotted(running):
    running.set(penalty="l1", lam=0.03)
    w = regularization.weight_vector(running.trainer.current)
    diagram_edges = [a for a in running.fig.axes[3].collections if isinstance(a, LineCollection)][0]
    colours = diagram_edges.get_colors()
    grey = matplotlib.colors.to_rgba("#b0b0b0")
    assert all(np.allclose(colours[i], grey) == (w[i] == 0) for i in range(w.size))


def test_the_histogram_counts_exact_zeros_apart(running):
    running.set(penalty="l1", lam=0.03)
    w = regularization.weight_vector(running.trainer.current)
    ax = running.fig.axes[2]
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights[:-1].sum() == np.count_nonzero(w)       # the grey histogram: weights that are not 0
    assert heights[-1] == np.count_nonzero(w == 0) > 0     # the red bar: weights that are exactly 0


# 2. The U curve ------------------------------------------------------------------------
def test_sweep_every_control_redraws(sweep_ex):
    for name, changes in move_controls(sweep_ex, one_redraw=True).items():
        assert any(changes), name
    sweep_ex.set(step=0)
    assert "λ has not acted yet" in sweep_ex.status.value
    a = explore.render(sweep_ex.fig)
    sweep_ex.set(step=SWEEP["steps"])
    assert not np.array_equal(a, explore.render(sweep_ex.fig))


def test_sweep_legend_names_only_the_penalties_drawn(sweep_ex):
    for show, names in (("l2", ["L2"]), ("l1", ["L1"]), ("both", ["L2", "L1"])):
        sweep_ex.set(show=show)
        assert [t.get_text() for t in sweep_ex.ax_u.get_legend().get_texts()] == names
        for kind, lines in sweep_ex.lines.items():
            assert lines["val"].get_visible() == (show in ("both", kind))


def test_sweep_and_geometry_reset_every_control(sweep_ex, geometry):
    for ex, change in ((sweep_ex, dict(step=0, show="l1")), (geometry, dict(lam=0.3))):
        start = ex.values()
        ex.set(**change)
        ex.reset()
        assert ex.values() == start


def test_u_curve_shape_and_best_strength(sweep_ex):
    sweep_ex.set(step=SWEEP["steps"], show="both")
    status = sweep_ex.status.value
    assert f"After {SWEEP['steps']} steps" in status and "best λ" in status
    for kind in ("l2", "l1"):
        run = reg._cached_sweep(kind, SWEEP["n_lams"], SWEEP["sizes"], SWEEP["lr"], SWEEP["steps"], SWEEP["seed"])
        val = run.history.val_loss[-1]
        lam, i = experiments.best_strength(experiments.strength_grid(SWEEP["n_lams"]), val)
        assert 0 < i < len(val) - 1, "the best λ should be inside the range: a U, not a slope"
        assert val[i] < val[0] - 0.2            # the penalty helps a lot on this noisy data
        assert val[-1] == pytest.approx(np.log(2), abs=0.01)  # too strong: a coin flip


# 3. The geometry -------------------------------------------------------------------------
def test_geometry_every_control_redraws(geometry):
    assert all(move_controls(geometry, one_redraw=True)["lam"])
    geometry.set(lam=0.0)
    assert "no penalty" in geometry.status.value
    geometry.set(lam=1.0)
    assert "w2 is exactly 0" in geometry.status.value
    geometry.controls["lam"].value = float("nan")          # read as the starting value, never shown
    assert "nan" not in geometry.status.value.lower() and "λ = 1.00" in geometry.status.value


def test_divergence_is_reported_in_words_and_the_figure_still_draws():
    ex = reg.regularisation_explorer(lr=1e6)
    try:
        assert ex.trainer.diverged
        assert "Training stopped: diverged at step" in ex.status.value
        for value in explore.positions(ex.controls["lam"]):
            ex.set(penalty="l2", lam=value)          # further changes neither raise nor hide the reason
            assert "diverged" in ex.status.value
        explore.render(ex.fig)
    finally:
        plt.close(ex.fig)


def test_strength_position_is_log10_with_zero_apart():
    np.testing.assert_allclose(reg.strength_position([1e-4, 1e-2, 1.0]), [-4, -2, 0])
    assert reg.strength_position(0.0) == -5.0
    x = reg.strength_position(experiments.strength_grid(20))
    assert np.all(np.diff(x) > 0)                 # the order of λ is kept, 0 first
