"""The network: hand-worked 2-3-1 examples with every intermediate value, the population
axis, flatten/unflatten and the parameter checks."""
import numpy as np
import pytest

from weightlab import losses, network


def _forward_backward(params, X, y, activation, loss):
    lossf, lossg = losses.get(loss)
    z, cache = network.forward(params, X, activation)
    dz = lossg(z, y)
    return z, cache, lossf(z, y), dz, network.backward(params, cache, dz)


def test_hand_worked_relu_mse_exact():
    """Worked by hand on paper; every number is a short binary fraction, so the match is exact.

    sample 1, x = (1, 2):  z1 = (0.5+1+0.25, -1+1+0.5, 0.25-1+0.25) = (1.75, 0.5, -0.5)
                           a1 = (1.75, 0.5, 0),  z2 = 1.75 - 0.5 + 0 + 0.5 = 1.75
    sample 2, x = (-1, 1): z1 = (-0.5+0.5+0.25, 1+0.5+0.5, -0.25-0.5+0.25) = (0.25, 2, -0.5)
                           a1 = (0.25, 2, 0),    z2 = 0.25 - 2 + 0 + 0.5 = -1.25
    loss = ((1.75-1)^2 + (-1.25+1)^2) / 2 = (0.5625 + 0.0625) / 2 = 0.3125
    dz2 = 2 (z2 - y) / 2 = (0.75, -0.25);  db2 = 0.5
    dW2 = a1^T dz2 = (1.75*0.75 + 0.25*(-0.25), 0.5*0.75 + 2*(-0.25), 0) = (1.25, -0.125, 0)
    da1 = dz2 W2^T = (0.75, -0.75, 1.5), (-0.25, 0.25, -0.5)
    dz1 = da1 * relu'(z1) with relu' = (1, 1, 0) for both samples
    dW1 = X^T dz1 = [(0.75+0.25, -0.75-0.25, 0), (1.5-0.25, -1.5+0.25, 0)];  db1 = (0.5, -0.5, 0)
    """
    X = np.array([[1.0, 2.0], [-1.0, 1.0]])
    y = np.array([1.0, -1.0])
    params = {"W1": np.array([[0.5, -1.0, 0.25], [0.5, 0.5, -0.5]]), "b1": np.array([0.25, 0.5, 0.25]),
              "W2": np.array([[1.0], [-1.0], [2.0]]), "b2": np.array([0.5])}
    z, cache, loss, dz, g = _forward_backward(params, X, y, "relu", "mse")
    assert np.array_equal(cache["z"][0], [[1.75, 0.5, -0.5], [0.25, 2.0, -0.5]])
    assert np.array_equal(cache["a"][1], [[1.75, 0.5, 0.0], [0.25, 2.0, 0.0]])
    assert np.array_equal(z[:, 0], [1.75, -1.25])
    assert loss == 0.3125
    assert np.array_equal(dz[:, 0], [0.75, -0.25])
    assert np.array_equal(g["W2"][:, 0], [1.25, -0.125, 0.0])
    assert np.array_equal(g["b2"], [0.5])
    assert np.array_equal(g["W1"], [[1.0, -1.0, 0.0], [1.25, -1.25, 0.0]])
    assert np.array_equal(g["b1"], [0.5, -0.5, 0.0])


# tanh / cross-entropy example: every value below was computed with plain Python floats
# and the math module (a loop over samples and units; no numpy, no weightlab):
#   z1[n][j] = X[n][0] W1[0][j] + X[n][1] W1[1][j] + b1[j];  a1 = math.tanh(z1)
#   z2[n] = sum_j a1[n][j] W2[j] + b2;  loss = mean(log(1 + exp(z2)) - y z2)
#   dz2 = (1/(1+exp(-z2)) - y) / N;  dW2 = sum_n a1 dz2;  db2 = sum_n dz2
#   da1 = dz2 W2;  dz1 = da1 (1 - a1^2);  dW1 = sum_n x dz1;  db1 = sum_n dz1
HAND = dict(
    z1=[[-0.20000000000000004, -0.7, 0.7999999999999999], [0.9500000000000001, 0.9, -1.1500000000000001]],
    a1=[[-0.19737532022490406, -0.6043677771171636, 0.6640367702678489],
        [0.7397830512740042, 0.7162978701990245, -0.8177540779702878]],
    z2=[1.1429645907773622, -0.5911688304406757],
    loss=0.35870159847998,
    dz2=[-0.12088823722126424, 0.17818335764516285],
    dW2=[0.15567738253795693, 0.20069331479516905, -0.22598440194855202],
    db2=0.057295120423898616,
    da1=[[-0.08462176605488496, 0.0967105897770114, -0.10879941349913781],
         [0.12472835035161399, -0.14254668611613028, 0.16036502188064658]],
    dz1=[[-0.08132515447324751, 0.06138604010202195, -0.06082487436293027],
         [0.05646714812043454, -0.06940845624410709, 0.05312544669046351]],
    dW1=[[-0.053091580413030234, 0.026681811979968405, -0.034262151017698514],
         [0.1942594507141166, -0.20020295259023613, 0.1670757677438573]],
    db1=[-0.02485800635281297, -0.00802241614208514, -0.007699427672466758],
)
HAND_PARAMS = {"W1": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "b1": [0.1, 0.0, -0.1],
               "W2": [[0.7], [-0.8], [0.9]], "b2": [0.2]}
HAND_X, HAND_Y = [[1.0, -1.0], [0.5, 2.0]], [1.0, 0.0]


def _approx(got, want):
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=0, atol=1e-12)


@pytest.mark.parametrize("population", [None, 1, 3])
def test_hand_worked_tanh_bce(population):
    params = {k: np.array(v) for k, v in HAND_PARAMS.items()}
    if population:  # the same example as every member of a population
        params = {k: np.stack([v] * population) for k, v in params.items()}
    X, y = np.array(HAND_X), np.array(HAND_Y)
    z, cache, loss, dz, g = _forward_backward(params, X, y, "tanh", "bce")
    for k in range(population or 1):
        pick = (lambda a: a[k]) if population else (lambda a: a)
        _approx(pick(cache["z"][0]), HAND["z1"])
        _approx(pick(cache["a"][1]), HAND["a1"])
        _approx(pick(z)[:, 0], HAND["z2"])
        _approx(pick(np.asarray(loss)), HAND["loss"])
        _approx(pick(dz)[:, 0], HAND["dz2"])
        _approx(pick(g["W2"])[:, 0], HAND["dW2"])
        _approx(pick(g["b2"]), [HAND["db2"]])
        _approx(pick(dz) @ pick(params["W2"]).T, HAND["da1"])  # the product backward() forms
        _approx(pick(dz) @ pick(params["W2"]).T * (1 - pick(cache["a"][1]) ** 2), HAND["dz1"])
        _approx(pick(g["W1"]), HAND["dW1"])
        _approx(pick(g["b1"]), HAND["db1"])


def test_population_of_one_equals_single_network_exactly():
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(50, 2)), (rng.random(50) > 0.5).astype(float)
    for act in ("tanh", "relu", "sigmoid"):
        single = network.init_params(seed=3)
        pop = network.init_params(seed=3, population=1)
        assert all(np.array_equal(pop[k][0], single[k]) for k in single)
        zs, cs, ls, dzs, gs = _forward_backward(single, X, y, act, "bce")
        zp, cp, lp, dzp, gp = _forward_backward(pop, X, y, act, "bce")
        assert np.array_equal(zp[0], zs) and np.array_equal(lp[0], ls)
        for k in gs:
            assert np.array_equal(gp[k][0], gs[k]), (act, k)


def test_population_members_are_the_single_networks():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(40, 2)), rng.normal(size=40)
    inits, scales, seeds = ["he_normal", "normal", "uniform", "xavier_uniform"], [1.0, 0.3, 2.0, 0.5], [4, 9, 0, 17]
    pop = network.init_params(init=inits, scale=scales, seed=seeds, population=4)
    zp, _, lp, _, gp = _forward_backward(pop, X, y, "tanh", "mse")
    for k in range(4):
        single = network.init_params(init=inits[k], scale=scales[k], seed=seeds[k])
        assert all(np.array_equal(pop[n][k], single[n]) for n in single)
        zs, _, ls, _, gs = _forward_backward(single, X, y, "tanh", "mse")
        assert np.array_equal(zp[k], zs) and lp[k] == ls
        assert all(np.array_equal(gp[n][k], gs[n]) for n in gs)
    # an int seed gives member k the seed seed + k
    pop = network.init_params(seed=10, population=3)
    for k in range(3):
        assert np.array_equal(pop["W1"][k], network.init_params(seed=10 + k)["W1"])


def test_shapes_names_and_sizes():
    p = network.init_params()
    assert {k: v.shape for k, v in p.items()} == {"W1": (2, 3), "b1": (3,), "W2": (3, 1), "b2": (1,)}
    assert all(v.dtype == np.float64 for v in p.values())
    assert np.array_equal(p["b1"], np.zeros(3)) and np.array_equal(p["b2"], np.zeros(1))
    assert network.sizes_of(p) == (2, 3, 1)
    assert network.param_names() == ["W1", "b1", "W2", "b2"]
    assert len(network.flat_names()) == 13
    assert network.flat_names()[:4] == ["W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]"]
    deep = network.init_params((2, 5, 4, 1), population=2)
    assert network.sizes_of(deep) == (2, 5, 4, 1) and network.population_size(deep) == 2
    assert network.population_size(p) is None


def test_flatten_unflatten_round_trip_in_flat_names_order():
    p = network.init_params((2, 4, 3, 1), init="normal", seed=2)
    v = network.flatten(p)
    assert v.shape == (2 * 4 + 4 + 4 * 3 + 3 + 3 + 1,)
    assert v[0] == p["W1"][0, 0] and v[1] == p["W1"][0, 1] and v[8] == p["b1"][0]
    back = network.unflatten(v, (2, 4, 3, 1))
    assert all(np.array_equal(back[k], p[k]) for k in p)
    pop = network.init_params(population=3, init="normal")
    vp = network.flatten(pop)
    assert vp.shape == (3, 13)
    assert all(np.array_equal(network.unflatten(vp)[k], pop[k]) for k in pop)


def test_predict():
    params = {k: np.array(v) for k, v in HAND_PARAMS.items()}
    p = network.predict(params, np.array(HAND_X), "tanh", "bce")
    _approx(p, [1 / (1 + np.exp(-v)) for v in HAND["z2"]])
    _approx(network.predict(params, np.array(HAND_X), "tanh", "mse"), HAND["z2"])


def test_linear_2_3_1_collapses_to_one_neuron():
    """With the identity activation the net is x (W1 W2) + (b1 W2 + b2)."""
    p = network.init_params(init="normal", seed=4)
    p["b1"] = np.array([0.3, -0.2, 0.1])
    X = np.random.default_rng(0).normal(size=(7, 2))
    z, _ = network.forward(p, X, "identity")
    np.testing.assert_allclose(z, X @ (p["W1"] @ p["W2"]) + (p["b1"] @ p["W2"] + p["b2"]), rtol=1e-14, atol=1e-15)


def test_check_params_accepts_lists_and_populations():
    out = network.check_params(HAND_PARAMS)
    assert out["W1"].dtype == np.float64
    network.check_params(network.init_params(population=2))


def test_n_parameters_against_the_package():
    for sizes in [(2, 1, 1), (2, 16, 1), (2, 64, 1), (2, 8, 8, 1)]:
        assert network.n_parameters(sizes) == network.flatten(network.init_params(sizes)).size


def test_weight_mask_picks_weights_only():
    for sizes in [(2, 3, 1), (2, 4, 5, 1)]:
        names = network.flat_names(sizes)
        mask = network.weight_mask(sizes)
        assert len(mask) == len(names) == network.n_parameters(sizes)
        assert all(n.startswith("W") == m for n, m in zip(names, mask))
    assert network.weight_mask((2, 3, 1)).sum() == 9


def test_get_and_set_value_address_every_single_parameter():
    params = network.init_params((2, 3, 1), seed=0)
    names = network.flat_names()
    for k, name in enumerate(names):
        network.set_value(params, name, 100.0 + k)
    np.testing.assert_array_equal(network.flatten(params), 100.0 + np.arange(13))
    assert [network.get_value(params, n) for n in names] == list(100.0 + np.arange(13))
    assert network.parse_name("W1[0,2]") == ("W1", (0, 2)) and network.parse_name("b1[1]") == ("b1", (1,))
    wide = network.init_params((2, 4, 1), seed=0)
    network.set_value(wide, "W1[1,3]", 7.0)
    assert wide["W1"][1, 3] == 7.0
    with pytest.raises(ValueError, match="W3"):
        network.get_value(params, "W3[0,0]")
    with pytest.raises(ValueError, match="W1\\[1,3\\]"):
        network.get_value(params, "W1[1,3]")          # a 2-3-1 net has no hidden unit 4


def test_accuracy_matches_a_loop_and_works_on_a_population():
    X = np.random.default_rng(1).normal(size=(50, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    pop = network.init_params((2, 3, 1), seed=2, population=3)
    acc = network.accuracy(pop, X, y)
    for k in range(3):
        z, _ = network.forward(network.member(pop, k), X)
        assert acc[k] == sum((zn > 0) == (yn == 1) for zn, yn in zip(z[:, 0], y)) / len(y)


def test_weighted_sum_matches_a_loop():
    X = np.random.default_rng(3).normal(size=(20, 2))
    z = network.weighted_sum(X, (0.3, -1.1), 0.7)
    assert np.allclose(z, [0.3 * a - 1.1 * b + 0.7 for a, b in X])
