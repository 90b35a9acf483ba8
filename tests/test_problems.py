"""The fixed problems the notebooks study: the XOR network of notebooks 00 and 02 and the data of
notebooks 08 and 09 (the reference and descent problems are tests/test_landscape.py's)."""
import numpy as np
import pytest

from weightlab import datasets, network, problems


def test_the_xor_network_solves_xor_and_a_straight_line_cannot():
    X, y = datasets.make("xor", 200, 0.1, 0)
    params = problems.xor_params()
    assert network.accuracy(params, X, y, "tanh") >= 0.9
    assert network.accuracy(params, X, y, "identity") < 0.6   # a straight line cannot do XOR
    assert sum(v.size for v in params.values()) == 13
    params["W1"][0, 0] = 100.0
    assert problems.xor_params()["W1"][0, 0] == 2.4            # every call gives a fresh copy


def test_notebook_08_data_is_three_sets_with_nested_training_sets():
    d = problems.noisy_data(0.3)
    assert d.X.shape == (32, 2) and d.X_val.shape == (200, 2) and d.X_test.shape == (1000, 2)
    rows = [{tuple(r) for r in a} for a in (d.X, d.X_val, d.X_test)]
    assert not (rows[0] & rows[1] or rows[0] & rows[2] or rows[1] & rows[2])    # no point in two sets
    big = problems.noisy_data(0.3, 512)
    np.testing.assert_array_equal(big.X[:32], d.X)                          # a larger set holds the smaller
    np.testing.assert_array_equal(big.X_val, d.X_val)                       # validation and test stay the same
    np.testing.assert_array_equal(big.X_test, d.X_test)
    assert d.y.mean() == 0.5 and d.y_val.mean() == 0.5 and d.y_test.mean() == 0.5
    # another noise moves the same points: the offsets from the clean points scale with the noise
    clean, noisier = problems.noisy_data(0.0), problems.noisy_data(0.6)
    np.testing.assert_allclose(noisier.X - clean.X, 2 * (d.X - clean.X), atol=1e-12)


def test_deal_refuses_sets_that_leave_no_training_point():
    y = np.array([0, 1] * 5, dtype=float)
    train, val, test = problems.deal(np.zeros((10, 2)), y, 2, 4)
    assert sorted(np.concatenate([train, val, test])) == list(range(10))
    assert y[val].sum() == 1 and y[test].sum() == 2
    with pytest.raises(ValueError, match="n_val"):
        problems.deal(np.zeros((10, 2)), y, 6, 4)
    with pytest.raises(ValueError, match="n_train"):
        problems.noisy_data(0.3, 513)
    with pytest.raises(ValueError, match="unknown setting"):
        problems.noisy_data(0.3, 32, n_vals=3)


def test_noisy_moons_keeps_half_apart_for_validation():
    d = problems.noisy_moons()
    assert d.X.shape == (40, 2) and d.X_val.shape == (40, 2) and d.name == "moons"
    assert d.X_test.shape == (1000, 2) and 0.45 < d.y_test.mean() < 0.55       # a held-out test set
    X, y = datasets.make("moons", 80, 0.25, 1)
    both = np.vstack([d.X, d.X_val])
    assert sorted(map(tuple, both)) == sorted(map(tuple, X))  # the same 80 points, split in two
