"""The explorers of notebook 06: every control to its ends, the curves and paths are the real runs
(recomputed here with a plain Trainer or the bowl's walk), divergence and odd values in words."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from explorer_helpers import drive, explorer_fixture
from weightlab import experiments, explore, losses, network, problems, quadratic
from weightlab.explore import sgd
from weightlab.training import Trainer


sgd_ex = explorer_fixture(sgd.sgd_explorer, scope="module")
bowl = explorer_fixture(sgd.bowl_momentum_explorer)
heavy = explorer_fixture(sgd.momentum_explorer)


@pytest.mark.parametrize("name", ["batch_size", "lr"])
def test_every_control_of_the_batch_explorer_changes_the_picture(sgd_ex, name):
    assert drive(sgd_ex, name) >= 2


@pytest.mark.parametrize("factory", ["bowl", "heavy"])
@pytest.mark.parametrize("name", ["momentum", "lr"])
def test_every_control_of_the_momentum_explorers_changes_the_picture(factory, name, request):
    assert drive(request.getfixturevalue(factory), name) >= 2


@pytest.mark.parametrize("factory", [sgd.SGDExplorer, sgd.BowlMomentumExplorer, sgd.MomentumExplorer])
def test_declarations(factory):
    assert set(factory.TRIES) <= {"batch_size", "lr", "momentum"}
    assert set(factory.TRAINING_CONTROLS) <= set(factory.TRIES)


@pytest.mark.parametrize("make", [sgd.sgd_explorer, sgd.bowl_momentum_explorer, sgd.momentum_explorer])
def test_tries_are_reachable_and_training_controls_wait_for_the_release(make):
    ex = make()
    try:
        for name, values in ex.TRIES.items():
            control = ex.controls[name]
            for v in values:
                assert control.min <= (np.log10(v) if hasattr(control, "base") else v) <= control.max, (name, v)
        for name in ex.TRAINING_CONTROLS:
            assert ex.controls[name].continuous_update is False
        before = ex.values()
        ex.set(**{name: values[-1] for name, values in ex.TRIES.items()})
        ex.reset()
        assert ex.values() == before
    finally:
        plt.close(ex.fig)


def full_loss_of_a_plain_trainer(B, lr, steps):
    params, X, y, loss = problems.descent_problem()
    t = Trainer(params, X, y, lr=lr, loss=loss, batch_size=None if B == len(X) else B, seed=0)
    t.step(steps)
    thetas = list(t.history.params) + [network.flatten(t.current)]
    return np.array([losses.mse(network.forward(network.unflatten(th), X)[0], y) for th in thetas]), t


@pytest.mark.parametrize("B", [1, 7, 100])
def test_the_batch_curves_and_path_are_those_of_a_plain_trainer(sgd_ex, B):
    sgd_ex.set(batch_size=B, lr=0.1)
    steps = experiments.steps_for(sgd.EPOCHS, 100, B)
    want, t = full_loss_of_a_plain_trainer(B, 0.1, steps)
    np.testing.assert_allclose(sgd_ex.lines["smini"].get_ydata(), want, rtol=1e-10)
    np.testing.assert_allclose(sgd_ex.lines["emini"].get_xdata()[-1], sgd.EPOCHS)
    np.testing.assert_allclose(sgd_ex.lines["emini"].get_xdata()[:-1], t.history.epochs)
    path = np.column_stack([sgd_ex.lines["pmini"].get_xdata(), sgd_ex.lines["pmini"].get_ydata()])
    np.testing.assert_allclose(path[-1], [t.current["W2"][1, 0], t.current["b2"][0]])
    assert f"{want[-1]:.3f}" in sgd_ex.status.value


def test_the_full_batch_reference_runs_as_many_steps_as_the_batch_run(sgd_ex):
    sgd_ex.set(batch_size=10, lr=0.1)
    want, _ = full_loss_of_a_plain_trainer(100, 0.1, 200)
    np.testing.assert_allclose(sgd_ex.lines["sfull"].get_ydata(), want, rtol=1e-10)
    np.testing.assert_allclose(sgd_ex.lines["efull"].get_ydata(), want[:sgd.EPOCHS + 1], rtol=1e-10)
    assert "0.227 after 20 epochs, 0.114 after the same 200 steps" in sgd_ex.status.value


def test_the_noise_panel_marks_the_measured_spread_of_the_chosen_batch_size(sgd_ex):
    sgd_ex.set(batch_size=20, lr=0.1)
    noise = sgd_ex.noise
    want = experiments.measured_spread(noise.G, 20, sgd.NOISE_BATCHES)
    assert sgd_ex.now_noise.get_ydata()[0] == pytest.approx(want)
    assert want == pytest.approx(noise.law([20])[0], rel=0.05)
    sgd_ex.set(batch_size=100)
    assert np.isnan(sgd_ex.now_noise.get_ydata()[0]) and "exact gradient" in sgd_ex.status.value


@pytest.mark.parametrize("B, words", [(1, "100 steps per epoch (batches of 1)"),
                                      (30, "4 steps per epoch (3 batches of 30 and a last one of 10)"),
                                      (57, "2 steps per epoch (one batch of 57 and a last one of 43)"),
                                      (100, "1 step per epoch (the full batch")])
def test_the_batches_are_said_in_words(sgd_ex, B, words):
    sgd_ex.set(batch_size=B, lr=0.1)
    assert words in sgd_ex.status.value


def test_divergence_is_said_in_words_with_the_step_and_the_epoch(sgd_ex):
    sgd_ex.set(batch_size=1, lr=1.0)
    runs = sgd_ex.runs[1]
    d = runs.diverged_step[-1]
    assert d >= 0
    assert f"Training diverged at step {d} (epoch {d / 100:.2f})" in sgd_ex.status.value
    assert "#b3261e" in sgd_ex.status.value and "nan" not in sgd_ex.status.value.lower()
    sgd_ex.set(batch_size=50, lr=1.0)
    assert "Training diverged at step" in sgd_ex.status.value


def test_what_the_full_batch_did_is_said_even_when_it_diverged(sgd_ex):
    k = sgd.lr_index(0.1)
    full = sgd_ex.full
    try:                                                     # as if it had diverged at step 12, then 150
        full.diverged_step[k], full._full = 12, {}
        sgd_ex.set(batch_size=10, lr=0.1)
        assert "The full batch with the same learning rate diverges, at step 12." in sgd_ex.status.value
        full.diverged_step[k], full._full = 150, {}
        sgd_ex.set(batch_size=20)
        sgd_ex.set(batch_size=10)
        assert "0.227 after 20 epochs, but it diverges at step 150, before the same 200 steps." in sgd_ex.status.value
        sgd_ex.set(batch_size=25)
        assert "0.227 after 20 epochs, 0.1" in sgd_ex.status.value and "after the same 80 steps" in sgd_ex.status.value
    finally:
        full.diverged_step[k], full._full = -1, {}


def test_learning_rates_off_the_grid_or_nan_use_the_nearest_trained_one(sgd_ex):
    sgd_ex.controls["lr"].value = 0.15
    assert "learning rate 0.158" in sgd_ex.status.value
    sgd_ex.controls["lr"].value = float("nan")
    assert "nan" not in sgd_ex.status.value.lower() and "Traceback" not in sgd_ex.status.value
    assert sgd.lr_index(0.0) == sgd.lr_index(0.1) and sgd.lr_index(1e9) == len(sgd.LR_EXPONENTS) - 1


def test_the_cache_of_batch_sizes_is_bounded_and_keeps_the_slow_ones(sgd_ex):
    for B in range(4, 20):
        sgd_ex.set(batch_size=B)
    assert len(sgd_ex.runs) <= sgd_ex.cache_size
    assert set(sgd.PRECOMPUTED) <= set(sgd_ex.runs)


# ---- momentum on the bowl -----------------------------------------------------------------------------
def test_the_bowl_paths_are_the_walks_with_and_without_momentum(bowl):
    bowl.set(momentum=0.5, lr=0.85)
    A, b, c, w0 = problems.bowl_problem()
    for line, beta in ((bowl.plain, 0.0), (bowl.heavy, 0.5)):
        want = quadratic.descent_path(A, b, w0, 0.85, sgd.BOWL_STEPS, beta)
        np.testing.assert_allclose(np.column_stack([line.get_xdata(), line.get_ydata()]), want)
    assert "within 0.001 of the minimum after 25 steps" in bowl.status.value
    assert "shrinks by 0.707 per step" in bowl.status.value and "circles in" in bowl.status.value


@pytest.mark.parametrize("beta, lr, word, colour", [(0.0, 1.2, "Diverges", "#b3261e"), (0.5, 1.4, "Diverges", "#b3261e"),
                                                    (0.5, 1.2, "within 0.001", "#1a7f37"),
                                                    (0.0, 0.85, "Plain gradient descent", "#1a7f37"),
                                                    (0.99, 0.85, "1.9 from the minimum", "#9a6700")])
def test_the_bowl_says_what_happened(bowl, beta, lr, word, colour):
    bowl.set(momentum=beta, lr=lr)
    assert word in bowl.status.value and colour in bowl.status.value


def test_a_diverging_walk_is_cut_where_it_leaves_the_map(bowl):
    bowl.set(momentum=0.0, lr=2.0)
    x = np.asarray(bowl.plain.get_xdata(), dtype=float)
    assert np.isnan(x).any() and np.isfinite(x[:3]).all()
    explore.render(bowl.fig)


def test_nan_on_the_bowl_is_never_shown(bowl):
    bowl.controls["momentum"].value = float("nan")
    assert "nan" not in bowl.status.value.lower()


# ---- momentum on the network --------------------------------------------------------------------------
def test_the_network_curves_are_two_plain_trainers(heavy):
    heavy.set(momentum=0.5, lr=0.75)
    params, X, y, loss = problems.descent_problem()
    for line, beta in ((heavy.l_plain, 0.0), (heavy.l_heavy, 0.5)):
        t = Trainer(params, X, y, lr=0.75, momentum=beta, loss=loss)
        t.step(sgd.NET_STEPS)
        want = np.append(t.history.loss, t.evaluate())
        np.testing.assert_allclose(line.get_ydata(), want, rtol=1e-10)
    assert "went up in 0 of 100 steps" in heavy.status.value and "went up in 41 of 100 steps" in heavy.status.value


def test_the_network_says_which_run_diverged(heavy):
    heavy.set(momentum=0.5, lr=0.85)
    assert "Without momentum training diverged at step 67." in heavy.status.value
    assert "#1a7f37" in heavy.status.value
    heavy.set(momentum=0.99, lr=1.5)
    assert "With momentum β = 0.99 training diverged at step" in heavy.status.value
    assert "#b3261e" in heavy.status.value
    heavy.controls["lr"].value = float("nan")
    assert "nan" not in heavy.status.value.lower()
