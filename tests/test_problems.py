"""The fixed problems the notebooks study: the XOR network of notebooks 00 and 02 and the data of
notebooks 08 and 09 (the reference and descent problems are tests/test_landscape.py's)."""
import numpy as np

from weightlab import datasets, network, problems


def test_the_xor_network_solves_xor_and_a_straight_line_cannot():
    X, y = datasets.make("xor", 200, 0.1, 0)
    params = problems.xor_params()
    assert network.accuracy(params, X, y, "tanh") >= 0.9
    assert network.accuracy(params, X, y, "identity") < 0.6   # a straight line cannot do XOR
    assert sum(v.size for v in params.values()) == 13
    params["W1"][0, 0] = 100.0
    assert problems.xor_params()["W1"][0, 0] == 2.4            # every call gives a fresh copy


def test_data_is_few_training_points_and_many_validation_points():
    d = problems.noisy_data(0.3)
    assert d.X.shape == (30, 2) and d.X_val.shape == (120, 2)
    rows = {tuple(r) for r in d.X} & {tuple(r) for r in d.X_val}
    assert not rows                                         # no point in both sets


def test_noisy_moons_keeps_half_apart_for_validation():
    d = problems.noisy_moons()
    assert d.X.shape == (40, 2) and d.X_val.shape == (40, 2) and d.name == "moons"
    X, y = datasets.make("moons", 80, 0.25, 1)
    both = np.vstack([d.X, d.X_val])
    assert sorted(map(tuple, both)) == sorted(map(tuple, X))  # the same 80 points, split in two
