"""Notebook 06 explorers: the maths behind each figure against independent computations, and every
control driven to its ends with the figure redrawn and the status said in words."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import weightlab as wl  # noqa: E402
from weightlab import datasets, explore, network  # noqa: E402
from weightlab.explore import initialization as ini  # noqa: E402

XOR = datasets.make("xor", n=60, noise=0.1, seed=0)


# --- maths -----------------------------------------------------------------------------------------

def test_unit_gaps_against_a_loop():
    p = wl.init_params((2, 4, 1), seed=3)
    gaps = ini.unit_gaps(p)
    expected = []
    for i in range(4):
        for j in range(i + 1, 4):
            d = [abs(p["W1"][r, i] - p["W1"][r, j]) for r in range(2)]
            d += [abs(p["b1"][i] - p["b1"][j]), abs(p["W2"][i, 0] - p["W2"][j, 0])]
            expected.append(max(d))
    assert np.allclose(gaps, expected, rtol=0, atol=0)
    pop = wl.init_params((2, 4, 1), seed=3, population=2)
    assert np.array_equal(ini.unit_gaps(pop)[0], gaps)


def test_nudge_one_and_every():
    p = wl.init_params(init="zeros")
    one = ini.nudge(p, 1e-3, "one")
    assert one["W1"][0, 0] == 1e-3 and np.count_nonzero(network.flatten(one)) == 1
    every = ini.nudge(p, 1e-3, "every")
    assert np.count_nonzero(every["W1"]) == 6 and np.count_nonzero(every["W2"]) == 3
    assert not every["b1"].any() and not p["W1"].any()          # biases untouched, input not changed
    with pytest.raises(ValueError, match="pattern"):
        ini.nudge(p, 1.0, "some")


@pytest.mark.parametrize("start", list(ini.SYMMETRY_STARTS))
def test_without_a_nudge_the_hidden_units_stay_identical_at_every_step(start):
    h = ini.symmetry_runs(start, "every", [0.0, 1e-3], *XOR, steps=300)
    P = h.params                                                   # (T, 2, 13)
    gaps = ini.unit_gaps(network.unflatten(P, (2, 3, 1)))          # (T, 2, 3)
    assert not gaps[:, 0].any()                                    # ε = 0: exactly identical
    assert gaps[-1, 1].min() > 1e-3                                # ε = 1e-3: they separate (grow)


def test_from_zeros_only_the_output_bias_learns():
    h = ini.symmetry_runs("zeros", "one", [0.0], *XOR, steps=100)
    names = network.flat_names()
    moved = np.abs(h.params[-1, 0] - h.params[0, 0]) > 0
    assert [n for n, m in zip(names, moved) if m] == ["b2[0]"]


def test_one_nudge_leaves_two_twins():
    h = ini.symmetry_runs("constant 0.5", "one", [1e-2], *XOR, steps=200)
    gaps = ini.unit_gaps(network.unflatten(h.params[:, 0], (2, 3, 1)))
    assert not gaps[:, 2].any() and gaps[-1, 0] > 0                # units 1 and 2 twins, unit 0 apart


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_layer_signals_give_backprop_weight_gradients(activation, loss):
    X, y = datasets.make("moons", n=30, noise=0.1, seed=1)
    p = wl.init_params((2, 5, 4, 1), "he_normal", seed=2)
    acts, deltas = ini.layer_signals(p, X, y, activation, loss)
    z, cache = network.forward(p, X, activation)
    from weightlab import losses
    grads = network.backward(p, cache, losses.get(loss)[1](z, y))
    inputs = [X] + acts
    for l, d in enumerate(deltas, start=1):
        assert np.allclose(inputs[l - 1].T @ d / len(X), grads[f"W{l}"], rtol=1e-12, atol=1e-15)
    assert [a.shape for a in acts] == [(30, 5), (30, 4)]


def test_layer_signals_on_a_population_match_each_member():
    X, y = datasets.make("moons", n=20, noise=0.1, seed=1)
    pop = wl.init_params((2, 4, 4, 1), seed=0, population=3)
    acts, deltas = ini.layer_signals(pop, X, y)
    a1, d1 = ini.layer_signals(network.member(pop, 1), X, y)
    assert np.allclose(acts[1][1], a1[1]) and np.allclose(deltas[0][1], d1[0])


def test_layer_stds_and_per_layer_factor():
    values = [np.full((3, 2), 1.0) * [1, -1], np.array([0.0, 4.0])]
    assert np.allclose(ini.layer_stds(values), [1.0, 2.0])
    assert ini.per_layer_factor([1.0, 0.5, 0.25, 0.125]) == pytest.approx(0.5)
    assert np.isnan(ini.per_layer_factor([0.0, 1.0]))


@pytest.mark.parametrize("init,activation,lo,hi", [
    ("xavier_normal", "tanh", 0.85, 1.15),
    ("he_normal", "relu", 0.85, 1.15),
    ("xavier_normal", "identity", 0.85, 1.15),
    ("xavier_normal", "relu", 0.6, 0.8),        # ReLU halves the second moment: about 1/sqrt(2) per layer
    ("normal", "relu", 4.0, 6.0),               # sigma = 1, fan_in 50: about sqrt(50 / 2) = 5 per layer
])
def test_deep_stack_growth_per_layer(init, activation, lo, hi):
    acts, deltas = ini.deep_stack_signals(init, activation, 1.0, seed=0)
    assert len(acts) == 10 and acts[0].shape == (500, 50)
    assert lo < ini.per_layer_factor(ini.layer_stds(acts)) < hi
    assert lo < ini.per_layer_factor(ini.layer_stds(deltas)[::-1]) < hi


def test_seed_runs_member_k_is_the_network_of_seed_k():
    X, y = datasets.make("moons", n=40, noise=0.15, seed=0)
    params, h = ini.seed_runs("xavier_normal", 1.0, X, y, seeds=4, steps=30)
    single = wl.init_params((2, 8, 8, 1), "xavier_normal", 1.0, seed=2)
    assert all(np.array_equal(params[k][2], single[k]) for k in single)
    _, hs = wl.train(single, X, y, steps=30, lr=0.5, record_every=5)
    assert np.allclose(h.loss[:, 2], hs.loss, rtol=1e-12)


# --- explorers -------------------------------------------------------------------------------------

FACTORIES = [ini.symmetry_explorer, ini.initialisation_explorer, ini.deep_stack_explorer]


def test_symmetry_explorer_says_what_happens():
    ex = ini.symmetry_explorer()
    try:
        ex.set(no_nudge=True, start="zeros")
        assert "identical at every step" in ex.status.value and "only the output bias" in ex.status.value
        ex.set(start="constant 0.5")
        assert "lockstep" in ex.status.value
        ex.set(no_nudge=False, pattern="one", start="zeros", eps=1e-3)
        assert "twins" in ex.status.value
        ex.set(pattern="every")
        assert "different feature detectors" in ex.status.value
    finally:
        plt.close(ex.fig)


def test_initialisation_explorer_words_and_cache():
    ex = ini.initialisation_explorer(seeds=6, steps=40)
    try:
        ex.set(init="zeros")
        assert "same network" in ex.status.value
        ex.set(init="xavier_normal", scale=0.01)
        assert "coin toss" not in ex.status.value and "still above 0.5" in ex.status.value
        ex.set(scale=1.0)
        hist_before = explore.render(ex.fig)
        ex.set(seed=3)                               # only the histograms and the highlighted curve change
        assert not np.array_equal(hist_before, explore.render(ex.fig))
    finally:
        plt.close(ex.fig)


def test_deep_stack_explorer_words():
    ex = ini.deep_stack_explorer()
    try:
        ex.set(init="he_normal", activation="relu", scale=1.0)
        assert "about constant" in ex.status.value
        ex.set(init="xavier_normal")
        assert "vanish" in ex.status.value
        ex.set(init="normal")
        assert "explode" in ex.status.value
        ex.set(activation="tanh", init="xavier_normal", scale=10.0)
        assert "saturated" in ex.status.value
    finally:
        plt.close(ex.fig)
