"""Bad input gives a ValueError that names the parameter, the value and what is allowed."""
import re

import numpy as np
import pytest

from weightlab import activations, datasets, gradcheck, initializers, losses, network, regularization
from weightlab.training import Trainer

X = np.random.default_rng(0).normal(size=(20, 2))
Y = (np.arange(20) % 2).astype(float)


def P(**kw):
    return network.init_params(**kw)


def T(params=None, X_=X, y=Y, **kw):
    return Trainer(P() if params is None else params, X_, y, **kw)


def _bad_params(**change):
    p = P()
    p.update(change)
    return p


def _drop(key):
    p = P()
    del p[key]
    return p


def _x_with_nan():
    Z = X.copy()
    Z[3, 1] = np.nan
    return Z


# (id, call, parameter name, value as shown, what is allowed)
CASES = [
    ("negative lr", lambda: T(lr=-0.1), "lr", "-0.1", "finite number >= 0"),
    ("NaN lr", lambda: T(lr=float("nan")), "lr", "nan", "finite number >= 0"),
    ("inf lr", lambda: T(lr=np.inf), "lr", "inf", "finite number >= 0"),
    ("text lr", lambda: T(lr="fast"), "lr", "'fast'", "a finite number"),
    ("negative lam", lambda: T(lam=-1e-3), "lam", "-0.001", "finite number >= 0"),
    ("per-member lr of wrong length", lambda: T(P(population=3), lr=[0.1, 0.2]), "lr", "2 values",
     "one per network (population=3)"),
    ("per-member lam on one network", lambda: T(lam=[0.1, 0.2]), "lam", "2 values", "one value"),
    ("negative lr among members", lambda: T(P(population=3), lr=[0.1, -2.0, 0.3]), "lr", "-2.0", ">= 0"),
    ("unknown activation", lambda: T(activation="swish"), "activation", "'swish'", "relu"),
    ("unknown loss", lambda: T(loss="hinge"), "loss", "'hinge'", "bce, mse"),
    ("unknown init", lambda: P(init="glorot"), "init", "'glorot'", "xavier_uniform"),
    ("unknown penalty", lambda: T(penalty="l3"), "penalty", "'l3'", "none, l2, l1"),
    ("unknown l1_step", lambda: T(l1_step="ista"), "l1_step", "'ista'", "proximal, subgradient"),
    ("unknown dataset", lambda: datasets.load("moon"), "dataset", "'moon'", "moons"),
    ("X with 3 columns", lambda: T(X_=np.zeros((20, 3))), "X", "(20, 3)", "(N, 2)"),
    ("X one-dimensional", lambda: T(X_=np.zeros(20)), "X", "(20,)", "(N, inputs)"),
    ("X with no rows", lambda: network.check_inputs(np.zeros((0, 2))), "X", "0 rows", "at least one"),
    ("NaN in X", lambda: T(X_=_x_with_nan()), "X", "NaN", "finite"),
    ("y shape mismatch", lambda: T(y=Y[:-1]), "y", "(19,)", "(20,)"),
    ("labels outside 0/1 for bce", lambda: T(y=Y * 2), "y", "2.0", "labels 0 or 1"),
    ("NaN target for mse", lambda: T(y=np.full(20, np.nan), loss="mse"), "y", "NaN", "finite"),
    ("bad validation labels", lambda: T(X_val=X, y_val=Y + 0.5), "y_val", "0.5", "labels 0 or 1"),
    ("X_val without y_val", lambda: T(X_val=X), "y_val", "only one", "together"),
    ("two outputs", lambda: T(P(sizes=(2, 3, 2))), "sizes", "2 outputs", "sizes ending in 1"),
    ("zero-size layer", lambda: P(sizes=(2, 0, 1)), "sizes", "0", "ints from 1 to"),
    ("sizes with one layer", lambda: P(sizes=(2,)), "sizes", "(2,)", "from 2 (inputs, outputs)"),
    ("sizes not a sequence", lambda: P(sizes=3), "sizes", "3", "sequence"),
    ("float layer size", lambda: P(sizes=(2, 2.5, 1)), "sizes", "2.5", "ints from 1 to"),
    ("negative seed", lambda: P(seed=-1), "seed", "-1", "int >= 0"),
    ("non-int seed", lambda: P(seed=1.5), "seed", "1.5", "int >= 0"),
    ("bool seed", lambda: T(seed=True), "seed", "True", "int >= 0"),
    ("zero population", lambda: P(population=0), "population", "0", "an int from 1 to"),
    ("init list of wrong length", lambda: P(init=["normal", "zeros"], population=3), "init", "2 entries",
     "one per network (population=3)"),
    ("negative scale", lambda: P(init="normal", scale=-1.0), "scale", "-1.0", ">= 0"),
    ("NaN scale", lambda: initializers.check_scale(float("nan")), "scale", "nan", "finite"),
    ("batch_size zero", lambda: T(batch_size=0), "batch_size", "0", "from 1 to 20"),
    ("batch_size above N", lambda: T(batch_size=21), "batch_size", "21", "from 1 to 20"),
    ("float batch_size", lambda: T(batch_size=8.0), "batch_size", "8.0", "int"),
    ("record_every zero", lambda: T(record_every=0), "record_every", "0", "int >= 1"),
    ("record_every float", lambda: T(record_every=2.5), "record_every", "2.5", "int >= 1"),
    ("negative max_loss", lambda: T(max_loss=-1), "max_loss", "-1", "> 0"),
    ("negative step count", lambda: T().step(-3), "n", "-3", "int >= 0"),
    ("params with a wrong key", lambda: T(_bad_params(W3=np.zeros((3, 1)))), "params", "'W3'", "W1"),
    ("params missing a key", lambda: network.check_params(_drop("b2")), "params", "['W1', 'W2', 'b1']",
     "'W2', 'b2'"),
    ("params not a dict", lambda: network.check_params([1, 2]), "params", "list", "dict"),
    ("b1 of wrong shape", lambda: T(_bad_params(b1=np.zeros(4))), "b1", "(4,)", "(3,)"),
    ("W2 not matching W1", lambda: network.check_params(_bad_params(W2=np.zeros((4, 1)), b2=np.zeros(1))),
     "W2", "(4, 1)", "fan_in 3"),
    ("inf in params", lambda: network.check_params(_bad_params(W1=np.full((2, 3), np.inf))), "W1",
     "NaN or inf", "finite"),
    ("negative noise", lambda: datasets.load("xor", noise=-0.1), "noise", "-0.1", ">= 0"),
    ("text noise", lambda: datasets.make("xor", noise="lots"), "noise", "'lots'", "finite number"),
    ("too few samples", lambda: datasets.make("xor", n=1), "n", "1", "an int from 2 to"),
    ("val_fraction above 1", lambda: datasets.load("xor", val_fraction=1.5), "val_fraction", "1.5",
     "between 0 and 1"),
    ("negative val_fraction", lambda: datasets.split(X, Y, -0.2), "val_fraction", "-0.2", "between 0 and 1"),
    ("dataset seed", lambda: datasets.make("xor", seed=-5), "seed", "-5", "int >= 0"),
    ("unflatten too long", lambda: network.unflatten(np.zeros(14)), "vector", "14", "13"),
    ("unflatten too short", lambda: network.unflatten(np.zeros(5)), "vector", "5", "13"),
    ("gradient check on a population", lambda: gradcheck.check_gradients(P(population=2), X, Y),
     "params", "population", "one network"),
    ("penalty name in regularization", lambda: regularization.penalty(P(), "elastic", 0.1), "penalty",
     "'elastic'", "l2"),
    ("activation given as a non-string", lambda: activations.get(None), "activation", "None", "tanh"),
    ("loss given as a non-string", lambda: losses.get(2), "loss", "2", "bce"),
]


@pytest.mark.parametrize("call,name,value,allowed", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_value_error_saying_what_is_allowed(call, name, value, allowed):
    with pytest.raises(ValueError) as info:
        call()
    msg = str(info.value)
    assert re.search(rf"(^|\W){re.escape(name)}\W", msg), f"parameter {name!r} not named in: {msg}"
    assert value in msg, f"value {value!r} not shown in: {msg}"
    assert allowed in msg, f"{allowed!r} not said in: {msg}"
    assert "np.float64" not in msg and "array(" not in msg, f"unreadable value in: {msg}"


def test_setting_a_bad_learning_rate_mid_run_keeps_the_trainer_usable():
    t = T(lr=0.3)
    t.step(5)
    for bad in (-1, np.nan, np.inf, "x"):
        with pytest.raises(ValueError, match=r"lr="):
            t.lr = bad
    assert t.lr == 0.3
    t.step(5)
    ref = T(lr=0.3)
    ref.step(10)
    for k in ref.current:
        assert np.array_equal(ref.current[k], t.current[k])
    assert len(t.history) == 10
