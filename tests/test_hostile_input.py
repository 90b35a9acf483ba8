"""Hostile input, table-driven: every public entry point refuses a bad argument with a ValueError
that names the parameter, the value it got and what is allowed; at once (under a second), without
a warning or a raw numpy message, and without leaving a figure open.

Each row is (id, call, parameter, value as the message shows it, words of what is allowed). The
rows cover: network (init_params, forward, backward, predict, accuracy, flatten and friends), the
Trainer (its constructor, every setting that may change between steps, step, evaluate,
set_params) and train, gradient checking, datasets (make, split, load), losses, regularisation,
the loss landscape, initialisers, curvature, the update steps, settings strings and weight files
(as a caller), and every explorer factory with bad keyword arguments.
"""
import math
import re
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from weightlab import (curvature, datasets, explore, gradcheck, initializers, landscape, losses, network, optim,
                       regularization, storage)
from weightlab.training import Trainer, train

NAN, INF = float("nan"), math.inf
X = np.random.default_rng(0).normal(size=(20, 2))
Y = (np.arange(20) % 2).astype(float)
Z = np.zeros((20, 1))
RNG = np.random.default_rng(0)
E = explore.all_explorers()


def P(**kw):
    return network.init_params(**kw)


def T(params=None, X_=X, y=Y, **kw):
    return Trainer(P() if params is None else params, X_, y, **kw)


def with_(**change):
    p = P()
    p.update(change)
    return p


def drop(key):
    p = P()
    del p[key]
    return p


def x_with(value):
    bad = X.copy()
    bad[3, 1] = value
    return bad


def set_on(name, value, **kw):
    t = T(**kw)
    setattr(t, name, value)


def cache():
    return network.forward(P(), X)[1]


def history():
    t = T()
    t.step(3)
    return t.history


def grads():
    return {k: np.zeros_like(v) for k, v in P().items()}


W12 = ["W1[0,0]", "W1[0,1]"]

# (id, call, parameter, value as shown, what is allowed)
CASES = [
    # ---- network.init_params -----------------------------------------------------------------
    ("init_params sizes None", lambda: P(sizes=None), "sizes", "None", "a sequence like (2, 3, 1)"),
    ("init_params sizes text", lambda: P(sizes="231"), "sizes", "'2'", "ints from 1 to"),
    ("init_params sizes NaN", lambda: P(sizes=(2, NAN, 1)), "sizes", "nan", "ints from 1 to"),
    ("init_params a billion units", lambda: P(sizes=(2, 10**9, 1)), "sizes", "1000000000", "ints from 1 to 100,000"),
    ("init_params negative layer", lambda: P(sizes=(2, -3, 1)), "sizes", "-3", "ints from 1 to"),
    ("init_params nested sizes", lambda: P(sizes=((2, 3), 1)), "sizes", "(2, 3)", "ints from 1 to"),
    ("init_params 100 layers", lambda: P(sizes=(2,) * 100), "sizes", "100 layers", "to 64"),
    ("init_params too many numbers", lambda: P(sizes=(2, 5000, 5000, 1)), "sizes", "25,025,001", "at most 10,000,000"),
    ("init_params init None", lambda: P(init=None), "init", "None", "xavier_uniform"),
    ("init_params scale NaN", lambda: P(scale=NAN), "scale", "nan", "finite number >= 0"),
    ("init_params scale inf", lambda: P(scale=INF), "scale", "inf", "finite number >= 0"),
    ("init_params scale text", lambda: P(scale="big"), "scale", "'big'", "finite number >= 0"),
    ("init_params scale list, one net", lambda: P(scale=[1.0, 2.0]), "scale", "[1.0, 2.0]", "finite number >= 0"),
    ("init_params seed text", lambda: P(seed="0"), "seed", "'0'", "int >= 0"),
    ("init_params seed NaN", lambda: P(seed=NAN), "seed", "nan", "int >= 0"),
    ("init_params population NaN", lambda: P(population=NAN), "population", "nan", "an int from 1 to"),
    ("init_params population 2.5", lambda: P(population=2.5), "population", "2.5", "an int from 1 to"),
    ("init_params population 10**8", lambda: P(population=10**8), "population", "100000000", "from 1 to 10000000"),
    ("init_params population True", lambda: P(population=True), "population", "True", "an int from 1 to"),
    ("init_params seeds of wrong length", lambda: P(population=3, seed=[1, 2]), "seed", "2 entries",
     "one per network (population=3)"),
    ("init_params NaN among scales", lambda: P(population=2, scale=[1.0, NAN]), "scale", "nan", "finite number"),
    ("init_params unknown init among", lambda: P(population=2, init=["zeros", "glorot"]), "init", "'glorot'",
     "he_normal"),
    # ---- network.forward / predict / accuracy -------------------------------------------------
    ("forward params a list", lambda: network.forward([1], X), "params", "list", "dict with keys W1, b1"),
    ("forward params None", lambda: network.forward(None, X), "params", "NoneType", "dict with keys W1, b1"),
    ("forward without b2", lambda: network.forward(drop("b2"), X), "params", "['W1', 'W2', 'b1']", "b2"),
    ("forward with W3 alone", lambda: network.forward(with_(W3=np.zeros((1, 1))), X), "params", "'W3'", "b3"),
    ("forward X of 3 columns", lambda: network.forward(P(), np.zeros((5, 3))), "W1", "(2, 3)", "(..., 3, n_out)"),
    ("forward X one-dimensional", lambda: network.forward(P(), np.zeros(2)), "X", "(2,)", "(N, 2)"),
    ("forward complex X", lambda: network.forward(P(), X + 1j), "X", "complex128", "real numbers"),
    ("forward X of text", lambda: network.forward(P(), [["a", "b"]]), "X", "<U1", "real numbers"),
    ("forward NaN in X", lambda: network.forward(P(), x_with(NAN)), "X", "NaN", "finite numbers"),
    ("forward inf in X", lambda: network.forward(P(), x_with(INF)), "X", "inf", "finite numbers"),
    ("forward X with no rows", lambda: network.forward(P(), np.zeros((0, 2))), "X", "0 rows", "at least one"),
    ("forward W1 of wrong shape", lambda: network.forward(with_(W1=np.zeros((3, 3))), X), "W1", "(3, 3)", "(..., 2,"),
    ("forward b1 of wrong shape", lambda: network.forward(with_(b1=np.zeros(4)), X), "b1", "(4,)", "(..., n_out)"),
    ("forward W2 not chaining", lambda: network.forward(with_(W2=np.zeros((4, 1))), X), "W2", "(4, 1)", "(..., 3,"),
    ("forward unknown activation", lambda: network.forward(P(), X, "swish"), "activation", "'swish'", "tanh"),
    ("forward activation None", lambda: network.forward(P(), X, None), "activation", "None", "relu"),
    ("forward weights of text", lambda: network.forward(with_(W1=np.full((2, 3), "a")), X), "W1", "<U1", "real"),
    ("predict unknown loss", lambda: network.predict(P(), X, loss="hinge"), "loss", "'hinge'", "bce"),
    ("predict loss None", lambda: network.predict(P(), X, loss=None), "loss", "None", "mse"),
    ("predict NaN in X", lambda: network.predict(P(), x_with(NAN)), "X", "NaN", "finite numbers"),
    ("predict unknown activation", lambda: network.predict(P(), X, activation="gelu"), "activation", "'gelu'", "tanh"),
    ("accuracy labels too few", lambda: network.accuracy(P(), X, Y[:5]), "y", "(5,)", "(20,), one label per row"),
    ("accuracy NaN labels", lambda: network.accuracy(P(), X, np.full(20, NAN)), "y", "nan", "labels 0 or 1"),
    ("accuracy label 2", lambda: network.accuracy(P(), X, Y * 2), "y", "2.0", "labels 0 or 1"),
    # ---- network.backward ----------------------------------------------------------------------
    ("backward cache None", lambda: network.backward(P(), None, Z), "cache", "None", "network.forward"),
    ("backward empty cache", lambda: network.backward(P(), {}, Z), "cache", "{}", "network.forward"),
    ("backward dz of 5 rows", lambda: network.backward(P(), cache(), np.zeros((5, 1))), "dz", "(5, 1)", "(20, 1)"),
    ("backward dz one-dimensional", lambda: network.backward(P(), cache(), np.zeros(20)), "dz", "(20,)", "(20, 1)"),
    ("backward complex dz", lambda: network.backward(P(), cache(), Z + 1j), "dz", "complex128", "real numbers"),
    ("backward another network's cache", lambda: network.backward(P(sizes=(2, 5, 1)), cache(), Z), "cache",
     "(20, 3)", "(20, 5)"),
    # ---- flatten, unflatten, get_value, set_value ------------------------------------------------
    ("flatten empty dict", lambda: network.flatten({}), "params", "[]", "W1, b1"),
    ("flatten a list", lambda: network.flatten([1]), "params", "list", "dict with keys W1, b1"),
    ("unflatten text", lambda: network.unflatten("abc"), "vector", "<U3", "real numbers"),
    ("unflatten 14 numbers", lambda: network.unflatten(np.zeros(14)), "vector", "(14,)", "13 entries"),
    ("set_value NaN", lambda: network.set_value(P(), "W1[0,0]", NAN), "value", "nan", "a finite number"),
    ("set_value text", lambda: network.set_value(P(), "W1[0,0]", "x"), "value", "'x'", "a finite number"),
    ("set_value unknown weight", lambda: network.set_value(P(), "W1[5,5]", 1.0), "parameter", "'W1[5,5]'", "W1[0,0]"),
    ("get_value unknown weight", lambda: network.get_value(P(), "W9"), "parameter", "'W9'", "b2[0]"),
    ("get_value of a population", lambda: network.get_value(P(population=2), "W1[0,0]"), "params",
     "population", "one network"),
    ("n_parameters negative layer", lambda: network.n_parameters((2, -1, 1)), "sizes", "-1", "ints from 1"),
    ("parse_name an int", lambda: network.parse_name(3), "parameter", "3", "W1[0,0]"),
    # ---- Trainer: constructor -------------------------------------------------------------------
    ("Trainer lr NaN", lambda: T(lr=NAN), "lr", "nan", "finite number >= 0"),
    ("Trainer lr complex", lambda: T(lr=1j), "lr", "1j", "finite number >= 0"),
    ("Trainer lr None", lambda: T(lr=None), "lr", "None", "finite number >= 0"),
    ("Trainer lr a 2-D list", lambda: T(P(population=2), lr=[[0.1, 0.2]]), "lr", "[[0.1, 0.2]]", "finite number"),
    ("Trainer lr list for one net", lambda: T(lr=[0.1]), "lr", "1 values", "one value"),
    ("Trainer NaN among lr", lambda: T(P(population=2), lr=[0.1, NAN]), "lr", "nan", "finite number >= 0"),
    ("Trainer lr of text", lambda: T(P(population=2), lr=["a", "b"]), "lr", "['a', 'b']", "finite number"),
    ("Trainer lr a column", lambda: T(P(population=3), lr=np.zeros((3, 1))), "lr", "array(", "finite number"),
    ("Trainer lam inf", lambda: T(lam=INF), "lam", "inf", "finite number >= 0"),
    ("Trainer lam of wrong length", lambda: T(P(population=2), lam=[0.1, 0.2, 0.3]), "lam", "3 values",
     "one per network (population=2)"),
    ("Trainer momentum NaN", lambda: T(momentum=NAN), "momentum", "nan", "finite number from 0 to below 1"),
    ("Trainer momentum 1", lambda: T(momentum=1.0), "momentum", "1.0", "below 1"),
    ("Trainer momentum negative", lambda: T(momentum=-0.5), "momentum", "-0.5", "from 0 to below 1"),
    ("Trainer momentum 1.5 among", lambda: T(P(population=2), momentum=[0.5, 1.5]), "momentum", "1.5", "below 1"),
    ("Trainer penalty None", lambda: T(penalty=None), "penalty", "None", "none, l2, l1"),
    ("Trainer activation 3", lambda: T(activation=3), "activation", "3", "tanh"),
    ("Trainer loss mse_prob", lambda: T(loss="mse_prob"), "loss", "'mse_prob'", "bce, mse"),
    ("Trainer batch_size NaN", lambda: T(batch_size=NAN), "batch_size", "nan", "an int from 1 to 20"),
    ("Trainer batch_size text", lambda: T(batch_size="8"), "batch_size", "'8'", "an int from 1 to 20"),
    ("Trainer batch_size True", lambda: T(batch_size=True), "batch_size", "True", "an int from 1 to 20"),
    ("Trainer record_every NaN", lambda: T(record_every=NAN), "record_every", "nan", "int >= 1"),
    ("Trainer record_every -1", lambda: T(record_every=-1), "record_every", "-1", "int >= 1"),
    ("Trainer max_loss NaN", lambda: T(max_loss=NAN), "max_loss", "nan", "> 0 (or inf)"),
    ("Trainer max_loss 0", lambda: T(max_loss=0), "max_loss", "0", "> 0 (or inf)"),
    ("Trainer max_loss text", lambda: T(max_loss="big"), "max_loss", "'big'", "> 0 (or inf)"),
    ("Trainer max_loss -inf", lambda: T(max_loss=-INF), "max_loss", "-inf", "> 0 (or inf)"),
    ("Trainer record_params text", lambda: T(record_params="no"), "record_params", "'no'", "True or False"),
    ("Trainer record_params NaN", lambda: T(record_params=NAN), "record_params", "nan", "True or False"),
    ("Trainer l1_step None", lambda: T(l1_step=None), "l1_step", "None", "proximal, subgradient"),
    ("Trainer seed NaN", lambda: T(seed=NAN), "seed", "nan", "int >= 0"),
    ("Trainer X_val of 3 columns", lambda: T(X_val=np.zeros((5, 3)), y_val=np.zeros(5)), "X_val", "(5, 3)", "(N, 2)"),
    ("Trainer X_val one-dimensional", lambda: T(X_val=np.zeros(5), y_val=np.zeros(5)), "X_val", "(5,)", "(N, "),
    ("Trainer NaN in X_val", lambda: T(X_val=x_with(NAN), y_val=Y), "X_val", "NaN", "finite numbers"),
    ("Trainer complex X_val", lambda: T(X_val=X + 1j, y_val=Y), "X_val", "complex128", "real numbers"),
    ("Trainer y_val too short", lambda: T(X_val=X, y_val=Y[:3]), "y_val", "(3,)", "(20,), one target per row"),
    ("Trainer NaN in y_val", lambda: T(X_val=X, y_val=np.full(20, NAN)), "y_val", "NaN", "finite targets"),
    ("Trainer y_val a column", lambda: T(X_val=X, y_val=Y[:, None]), "y_val", "(20, 1)", "(20,)"),
    ("Trainer X_val without y_val", lambda: T(X_val=X), "y_val", "only one", "together"),
    ("Trainer y a column", lambda: T(y=Y[:, None]), "y", "(20, 1)", "(20,), one target per row"),
    ("Trainer y of text", lambda: T(y=np.array(["a"] * 20)), "y", "<U1", "real numbers"),
    ("Trainer complex y", lambda: T(y=Y + 1j), "y", "complex128", "real numbers"),
    ("Trainer complex X", lambda: T(X_=X + 1j), "X", "complex128", "real numbers"),
    ("Trainer labels 2 for bce", lambda: T(y=Y * 2), "y", "2.0", "labels 0 or 1"),
    ("Trainer two outputs", lambda: T(P(sizes=(2, 3, 2))), "sizes", "2 outputs", "sizes ending in 1"),
    # ---- Trainer: settings changed between steps ------------------------------------------------
    ("Trainer.lr = NaN", lambda: set_on("lr", NAN), "lr", "nan", "finite number >= 0"),
    ("Trainer.lr = a list", lambda: set_on("lr", [0.1, 0.2]), "lr", "2 values", "one value"),
    ("Trainer.lam = -1", lambda: set_on("lam", -1), "lam", "-1", "finite number >= 0"),
    ("Trainer.momentum = 2", lambda: set_on("momentum", 2), "momentum", "2", "below 1"),
    ("Trainer.penalty = 'L2'", lambda: set_on("penalty", "L2"), "penalty", "'L2'", "none, l2, l1"),
    ("Trainer.activation = 'swish'", lambda: set_on("activation", "swish"), "activation", "'swish'", "tanh"),
    ("Trainer.l1_step = 'ista'", lambda: set_on("l1_step", "ista"), "l1_step", "'ista'", "proximal"),
    ("Trainer.batch_size = 0", lambda: set_on("batch_size", 0), "batch_size", "0", "an int from 1 to 20"),
    ("Trainer.batch_size = 10**6", lambda: set_on("batch_size", 10**6), "batch_size", "1000000", "from 1 to 20"),
    ("Trainer.record_every = 0", lambda: set_on("record_every", 0), "record_every", "0", "int >= 1"),
    ("Trainer.max_loss = NaN", lambda: set_on("max_loss", NAN), "max_loss", "nan", "> 0 (or inf)"),
    # ---- Trainer: steps, evaluate, set_params, train ---------------------------------------------
    ("step NaN", lambda: T().step(NAN), "n", "nan", "int >= 0"),
    ("step text", lambda: T().step("10"), "n", "'10'", "int"),
    ("step 10**12", lambda: T().step(10**12), "n", "1000000000000", "at most 100,000 per call"),
    ("evaluate X of 3 columns", lambda: T().evaluate(np.zeros((5, 3))), "X", "(5, 3)", "(N, 2)"),
    ("evaluate y too short", lambda: T().evaluate(X, Y[:3]), "y", "(3,)", "(20,)"),
    ("evaluate NaN in X", lambda: T().evaluate(x_with(NAN), Y), "X", "NaN", "finite numbers"),
    ("set_params other sizes", lambda: T().set_params(P(sizes=(2, 4, 1))), "W1", "(2, 4)", "(2, 3)"),
    ("set_params NaN", lambda: T().set_params(with_(W1=np.full((2, 3), NAN))), "W1", "NaN", "finite numbers"),
    ("set_params a list", lambda: T().set_params([1]), "params", "list", "dict with keys W1"),
    ("train steps NaN", lambda: train(P(), X, Y, steps=NAN), "n", "nan", "int"),
    ("train steps 10**12", lambda: train(P(), X, Y, steps=10**12), "n", "1000000000000", "at most 100,000 per call"),
    ("train unknown setting", lambda: train(P(), X, Y, speed=1), "speed", "1", "lr, momentum"),
    ("train lr text", lambda: train(P(), X, Y, lr="x"), "lr", "'x'", "finite number"),
    # ---- gradient checking -----------------------------------------------------------------------
    ("check_gradients eps NaN", lambda: gradcheck.check_gradients(P(), X, Y, eps=NAN), "eps", "nan", "> 0"),
    ("check_gradients eps 0", lambda: gradcheck.check_gradients(P(), X, Y, eps=0), "eps", "0", "> 0"),
    ("check_gradients eps 1", lambda: gradcheck.check_gradients(P(), X, Y, eps=1.0), "eps", "1.0", "<= 0.01"),
    ("check_gradients lam NaN", lambda: gradcheck.check_gradients(P(), X, Y, lam=NAN), "lam", "nan", ">= 0"),
    ("check_gradients lam -1", lambda: gradcheck.check_gradients(P(), X, Y, lam=-1), "lam", "-1", ">= 0"),
    ("check_gradients penalty", lambda: gradcheck.check_gradients(P(), X, Y, penalty="l3"), "penalty", "'l3'", "l1"),
    ("check_gradients loss", lambda: gradcheck.check_gradients(P(), X, Y, loss="hinge"), "loss", "'hinge'", "bce"),
    ("check_gradients activation", lambda: gradcheck.check_gradients(P(), X, Y, activation="swish"), "activation",
     "'swish'", "tanh"),
    ("check_gradients y too short", lambda: gradcheck.check_gradients(P(), X, Y[:5]), "y", "(5,)",
     "(20,), one target per row"),
    ("check_gradients NaN y", lambda: gradcheck.check_gradients(P(), X, np.full(20, NAN)), "y", "NaN", "finite"),
    ("check_gradients label 2", lambda: gradcheck.check_gradients(P(), X, Y * 2), "y", "2.0", "labels 0 or 1"),
    ("check_gradients NaN in X", lambda: gradcheck.check_gradients(P(), x_with(NAN), Y), "X", "NaN", "finite"),
    ("check_gradients NaN weights", lambda: gradcheck.check_gradients(with_(W1=np.full((2, 3), NAN)), X, Y), "W1",
     "NaN", "finite numbers"),
    ("check_gradients a population", lambda: gradcheck.check_gradients(P(population=2), X, Y), "params",
     "population", "one network"),
    ("check_gradients 12,001 parameters", lambda: gradcheck.check_gradients(P(sizes=(2, 3000, 1)), X, Y), "params",
     "12,001 parameters", "at most 2,000"),
    ("objective_and_grad y too short", lambda: gradcheck.objective_and_grad(P(), X, Y[:5]), "y", "(5,)", "(20,)"),
    ("objective_and_grad lam NaN", lambda: gradcheck.objective_and_grad(P(), X, Y, penalty="l2", lam=NAN), "lam",
     "nan", ">= 0"),
    ("numerical_grad eps NaN", lambda: gradcheck.numerical_grad(lambda p: 0.0, P(), eps=NAN), "eps", "nan", "> 0"),
    ("relative_error shapes", lambda: gradcheck.relative_error([1, 2], [1, 2, 3]), "b", "(3,)", "the shape of a"),
    # ---- datasets ----------------------------------------------------------------------------------
    ("make n NaN", lambda: datasets.make(n=NAN), "n", "nan", "an int from 2 to"),
    ("make n text", lambda: datasets.make(n="100"), "n", "'100'", "an int from 2 to"),
    ("make n 10**10", lambda: datasets.make(n=10**10), "n", "10000000000", "from 2 to 1000000"),
    ("make n 0", lambda: datasets.make(n=0), "n", "0", "an int from 2 to"),
    ("make n True", lambda: datasets.make(n=True), "n", "True", "an int from 2 to"),
    ("make noise NaN", lambda: datasets.make(noise=NAN), "noise", "nan", "finite number"),
    ("make noise inf", lambda: datasets.make(noise=INF), "noise", "inf", "finite number"),
    ("make noise complex", lambda: datasets.make(noise=1j), "noise", "1j", "finite number"),
    ("make noise -1", lambda: datasets.make(noise=-1), "noise", "-1", "finite number >= 0"),
    ("make noise 1e300", lambda: datasets.make(noise=1e300), "noise", "1e+300", "at most 10 "),
    ("make name None", lambda: datasets.make(None), "dataset", "None", "moons"),
    ("make name a list", lambda: datasets.make(["xor"]), "dataset", "['xor']", "moons"),
    ("make seed NaN", lambda: datasets.make(seed=NAN), "seed", "nan", "int >= 0"),
    ("make seed text", lambda: datasets.make(seed="1"), "seed", "'1'", "int >= 0"),
    ("split val_fraction NaN", lambda: datasets.split(X, Y, NAN), "val_fraction", "nan", "between 0 and 1"),
    ("split val_fraction 0", lambda: datasets.split(X, Y, 0), "val_fraction", "0", "between 0 and 1"),
    ("split val_fraction 1", lambda: datasets.split(X, Y, 1), "val_fraction", "1", "between 0 and 1"),
    ("split val_fraction text", lambda: datasets.split(X, Y, "0.3"), "val_fraction", "'0.3'", "between 0 and 1"),
    ("split lengths differ", lambda: datasets.split(X[:5], Y), "X", "(5, 2)", "one label per row"),
    ("split y a column", lambda: datasets.split(X, Y[:, None]), "y", "(20, 1)", "one label per row"),
    ("split X a number", lambda: datasets.split(3, Y), "X", "()", "one label per row"),
    ("split NaN in X", lambda: datasets.split(x_with(NAN), Y), "X", "NaN", "finite numbers"),
    ("split complex X", lambda: datasets.split(X + 1j, Y), "X", "complex128", "real numbers"),
    ("split NaN labels", lambda: datasets.split(X, np.full(20, NAN)), "y", "NaN", "finite numbers"),
    ("split seed -1", lambda: datasets.split(X, Y, 0.3, seed=-1), "seed", "-1", "int >= 0"),
    ("split one row", lambda: datasets.split(X[:1], Y[:1]), "X", "(1, 2)", "at least 2 rows"),
    ("load val_fraction NaN", lambda: datasets.load(val_fraction=NAN), "val_fraction", "nan", "between 0 and 1"),
    ("load val_fraction -0.5", lambda: datasets.load(val_fraction=-0.5), "val_fraction", "-0.5", "between 0 and 1"),
    ("load val_fraction text", lambda: datasets.load(val_fraction="half"), "val_fraction", "'half'", "between 0"),
    ("load val_fraction 1", lambda: datasets.load(val_fraction=1.0), "val_fraction", "1.0", "between 0 and 1"),
    ("load n -1", lambda: datasets.load(n=-1), "n", "-1", "an int from 2 to"),
    ("load name 'Xor'", lambda: datasets.load("Xor"), "dataset", "'Xor'", "xor"),
    # ---- losses --------------------------------------------------------------------------------------
    ("mse z of 5 rows", lambda: losses.mse(np.zeros((5, 1)), Y), "y", "(20,)", "one target per row of z"),
    ("mse NaN targets", lambda: losses.mse(Z, np.full(20, NAN)), "y", "NaN", "finite targets"),
    ("mse z one-dimensional", lambda: losses.mse(np.zeros(20), Y), "z", "(20,)", "(..., N, 1)"),
    ("mse complex z", lambda: losses.mse(Z + 1j, Y), "z", "complex128", "real numbers"),
    ("bce label 2", lambda: losses.bce(Z, Y * 2), "y", "2.0", "labels 0 or 1"),
    ("bce z of 5 rows", lambda: losses.bce(np.zeros((5, 1)), Y), "y", "(20,)", "one target per row of z"),
    ("bce NaN targets", lambda: losses.bce(Z, np.full(20, NAN)), "y", "NaN", "finite targets"),
    ("bce_grad z of 5 rows", lambda: losses.bce_grad(np.zeros((5, 1)), Y), "y", "(20,)", "one target per row"),
    ("mse_grad z of 5 rows", lambda: losses.mse_grad(np.zeros((5, 1)), Y), "y", "(20,)", "one target per row"),
    ("mse_prob label 0.5", lambda: losses.mse_prob(Z, Y + 0.5), "y", "0.5", "labels 0 or 1"),
    ("losses.get 'hinge'", lambda: losses.get("hinge"), "loss", "'hinge'", "bce, mse"),
    ("losses.get mse_prob to train", lambda: losses.get("mse_prob"), "loss", "'mse_prob'", "bce, mse"),
    ("losses.get a list", lambda: losses.get(["bce"]), "loss", "['bce']", "bce, mse"),
    ("check_targets text", lambda: losses.check_targets("bce", ["a"]), "y", "<U1", "real numbers"),
    ("check_targets unknown loss", lambda: losses.check_targets("hinge", Y), "loss", "'hinge'", "bce"),
    # ---- regularisation ----------------------------------------------------------------------------
    ("penalty lam NaN", lambda: regularization.penalty(P(), "l2", NAN), "lam", "nan", "finite number >= 0"),
    ("penalty lam -1", lambda: regularization.penalty(P(), "l1", -1), "lam", "-1", "finite number >= 0"),
    ("penalty lam text", lambda: regularization.penalty(P(), "l2", "x"), "lam", "'x'", "finite number >= 0"),
    ("penalty lam list, one net", lambda: regularization.penalty(P(), "l2", [0.1, 0.2]), "lam", "2 values",
     "one value"),
    ("penalty kind None", lambda: regularization.penalty(P(), None, 0.1), "penalty", "None", "none, l2, l1"),
    ("penalty params a list", lambda: regularization.penalty([1], "l2", 0.1), "params", "list", "dict with keys"),
    ("penalty without W2", lambda: regularization.penalty(drop("W2"), "l2", 0.1), "params", "['W1', 'b1', 'b2']",
     "W2"),
    ("penalty NaN weights", lambda: regularization.penalty(with_(W1=np.full((2, 3), NAN)), "l2", 0.1), "W1", "NaN",
     "finite numbers"),
    ("penalty_of lam NaN", lambda: regularization.penalty_of(np.ones(3), "l2", NAN), "lam", "nan", ">= 0"),
    ("penalty_of lam -1", lambda: regularization.penalty_of(np.ones(3), "l1", -1), "lam", "-1", ">= 0"),
    ("penalty_of kind", lambda: regularization.penalty_of(np.ones(3), "l3", 0.1), "penalty", "'l3'", "l2"),
    ("penalty_of NaN weights", lambda: regularization.penalty_of(np.full(3, NAN), "l2", 0.1), "w", "NaN", "finite"),
    ("penalty_of a number", lambda: regularization.penalty_of(1.0, "l2", 0.1), "w", "()", "(..., n)"),
    ("penalty_grads lam NaN", lambda: regularization.penalty_grads(P(), "l2", NAN), "lam", "nan", ">= 0"),
    ("penalty_grads kind 'L2'", lambda: regularization.penalty_grads(P(), "L2", 0.1), "penalty", "'L2'", "l2"),
    ("penalty_grads one lam for two", lambda: regularization.penalty_grads(P(population=2), "l2", [0.1]), "lam",
     "1 values", "population=2"),
    ("penalty_grads params a list", lambda: regularization.penalty_grads([1], "l2", 0.1), "params", "list",
     "dict with keys"),
    ("soft_threshold t NaN", lambda: regularization.soft_threshold(np.ones(3), NAN), "t", "nan", ">= 0"),
    ("soft_threshold t -1", lambda: regularization.soft_threshold(np.ones(3), -1), "t", "-1", ">= 0"),
    ("soft_threshold t text", lambda: regularization.soft_threshold(np.ones(3), "x"), "t", "'x'", ">= 0"),
    ("soft_threshold NaN weights", lambda: regularization.soft_threshold(np.full(3, NAN), 0.1), "W", "NaN", "finite"),
    ("soft_threshold text weights", lambda: regularization.soft_threshold("abc", 0.1), "W", "<U3", "real numbers"),
    ("soft_threshold shapes", lambda: regularization.soft_threshold(np.ones(3), np.ones(2)), "t", "(2,)",
     "broadcasts against W"),
    ("count_zeros a list", lambda: regularization.count_zeros([1]), "params", "list", "dict with keys"),
    ("weight_vector empty dict", lambda: regularization.weight_vector({}), "params", "[]", "W1, b1"),
    ("check_strength 2-D", lambda: regularization.check_strength([[1.0]]), "lam", "[[1.0]]", "finite number"),
    # ---- the loss landscape --------------------------------------------------------------------------
    ("index_of unknown weight", lambda: landscape.index_of("W9[0,0]"), "weight", "'W9[0,0]'", "W1[0,0]"),
    ("index_of an int", lambda: landscape.index_of(3), "weight", "3", "W1[0,0]"),
    ("value_of unknown weight", lambda: landscape.value_of(P(), "x"), "weight", "'x'", "W1[0,0]"),
    ("population_with NaN", lambda: landscape.population_with(P(), ["W1[0,0]"], [[NAN, 1.0]]), "values", "NaN",
     "finite"),
    ("population_with too few arrays", lambda: landscape.population_with(P(), W12, [[1.0]]), "values", "1 array",
     "one array per name (2)"),
    ("population_with a million", lambda: landscape.population_with(P(), ["W1[0,0]"], [np.zeros(10**6)]), "values",
     "1,000,000 points", "at most 40,000"),
    ("population_with names a string", lambda: landscape.population_with(P(), "W1[0,0]", [[1.0]]), "names",
     "'W1[0,0]'", "a list of weight names"),
    ("population_with text values", lambda: landscape.population_with(P(), ["W1[0,0]"], [["a"]]), "values", "<U1",
     "real numbers"),
    ("population_with a weight twice", lambda: landscape.population_with(P(), ["W1[0,0]"] * 2, [[0.0], [1.0]]),
     "names", "'W1[0,0]'", "different weights"),
    ("span half_width NaN", lambda: landscape.span(P(), "W1[0,0]", half_width=NAN), "half_width", "nan", "> 0"),
    ("span half_width -1", lambda: landscape.span(P(), "W1[0,0]", half_width=-1), "half_width", "-1", "> 0"),
    ("span n 0", lambda: landscape.span(P(), "W1[0,0]", n=0), "n", "0", "an int from 2 to 40000"),
    ("span n 10**10", lambda: landscape.span(P(), "W1[0,0]", n=10**10), "n", "10000000000", "from 2 to 40000"),
    ("span n 2.5", lambda: landscape.span(P(), "W1[0,0]", n=2.5), "n", "2.5", "an int from 2 to 40000"),
    ("loss_along NaN value", lambda: landscape.loss_along(P(), X, Y, "W1[0,0]", [NAN]), "values", "NaN", "finite"),
    ("loss_along y too short", lambda: landscape.loss_along(P(), X, Y[:3], "W1[0,0]", [0.0]), "y", "(3,)",
     "(20,), one target per row of X"),
    ("loss_along loss 'hinge'", lambda: landscape.loss_along(P(), X, Y, "W1[0,0]", [0.0], loss="hinge"), "loss",
     "'hinge'", "mse_prob"),
    ("loss_grid NaN in xs", lambda: landscape.loss_grid(P(), X, Y, W12, [NAN, 1.0], [0.0]), "xs", "NaN", "finite"),
    ("loss_grid 10**10 points", lambda: landscape.loss_grid(P(), X, Y, W12, np.zeros(10**5), np.zeros(10**5)),
     "xs", "10,000,000,000 points", "at most 40,000"),
    ("loss_grid one name", lambda: landscape.loss_grid(P(), X, Y, ["W1[0,0]"], [0.0], [0.0]), "names", "1 name",
     "two weights"),
    ("loss_grid the same weight twice", lambda: landscape.loss_grid(P(), X, Y, ["W1[0,0]"] * 2, [0.0], [1.0]),
     "names", "'W1[0,0]'", "different weights"),
    ("loss_grid xs 2-D", lambda: landscape.loss_grid(P(), X, Y, W12, [[0.0, 1.0]], [0.0]), "xs", "(1, 2)",
     "one axis"),
    ("grad_grid loss 'hinge'", lambda: landscape.grad_grid(P(), X, Y, W12, [0.0], [0.0], loss="hinge"), "loss",
     "'hinge'", "bce"),
    ("grad_grid y too short", lambda: landscape.grad_grid(P(), X, Y[:4], W12, [0.0], [0.0]), "y", "(4,)", "(20,)"),
    ("loss_of y too short", lambda: landscape.loss_of(P(), X, Y[:3]), "y", "(3,)", "(20,), one target per row"),
    ("loss_of an unknown among", lambda: landscape.loss_of(P(), X, Y, loss=("bce", "hinge")), "loss", "'hinge'",
     "mse"),
    ("loss_of label 3", lambda: landscape.loss_of(P(), X, Y * 3), "y", "3.0", "labels 0 or 1"),
    ("loss_and_grad y too short", lambda: landscape.loss_and_grad(P(), X, Y[:3]), "y", "(3,)", "(20,)"),
    ("path of None", lambda: landscape.path(None, ["W1[0,0]"]), "history", "None", "record_params=True"),
    ("path unknown weight", lambda: landscape.path(history(), ["W9"]), "weight", "'W9'", "W1[0,0]"),
    ("path names a string", lambda: landscape.path(history(), "W1[0,0]"), "names", "'W1[0,0]'",
     "a list of weight names"),
    # ---- initialisers ----------------------------------------------------------------------------------
    ("init_weight fan_in 0", lambda: initializers.init_weight("xavier_normal", 0, 3, RNG), "fan_in", "0",
     "an int >= 1"),
    ("init_weight fan_in NaN", lambda: initializers.init_weight("normal", NAN, 3, RNG), "fan_in", "nan", "an int"),
    ("init_weight 10**12 weights", lambda: initializers.init_weight("normal", 10**6, 10**6, RNG), "fan_in",
     "1,000,000,000,000 weights", "at most 10,000,000"),
    ("init_weight rng text", lambda: initializers.init_weight("normal", 2, 3, "rng"), "rng", "'rng'",
     "numpy.random.Generator"),
    ("xavier_uniform fans 0", lambda: initializers.xavier_uniform(RNG, 0, 0, 1.0), "fan_in", "0", "an int >= 1"),
    ("he_normal fan_in -1", lambda: initializers.he_normal(RNG, -1, 3, 1.0), "fan_in", "-1", "an int >= 1"),
    ("normal scale NaN", lambda: initializers.normal(RNG, 2, 3, NAN), "scale", "nan", "finite number >= 0"),
    ("xavier_normal fan_in 2.5", lambda: initializers.xavier_normal(RNG, 2.5, 3, 1.0), "fan_in", "2.5", "an int"),
    ("uniform fan_out text", lambda: initializers.uniform(RNG, 2, "3", 1.0), "fan_out", "'3'", "an int"),
    ("make_rng NaN", lambda: initializers.make_rng(NAN), "seed", "nan", "int >= 0"),
    ("make_rng text", lambda: initializers.make_rng("x"), "seed", "'x'", "int >= 0"),
    ("check_scale complex", lambda: initializers.check_scale(1j), "scale", "1j", "finite number >= 0"),
    ("check_scale a list", lambda: initializers.check_scale([1.0]), "scale", "[1.0]", "finite number >= 0"),
    # ---- curvature ----------------------------------------------------------------------------------------
    ("hessian y too short", lambda: curvature.hessian(P(), X, Y[:3]), "y", "(3,)", "(20,), one target per row"),
    ("hessian NaN weights", lambda: curvature.hessian(with_(W1=np.full((2, 3), NAN)), X, Y), "W1", "NaN", "finite"),
    ("hessian NaN in X", lambda: curvature.hessian(P(), x_with(NAN), Y), "X", "NaN", "finite numbers"),
    ("sharpness loss 'hinge'", lambda: curvature.sharpness(P(), X, Y, loss="hinge"), "loss", "'hinge'", "bce"),
    ("sharpness lam NaN", lambda: curvature.sharpness(P(), X, Y, penalty="l2", lam=NAN), "lam", "nan", ">= 0"),
    ("edge_of_stability label 2", lambda: curvature.edge_of_stability(P(), X, Y * 2), "y", "2.0", "labels 0 or 1"),
    ("edge_of_stability penalty", lambda: curvature.edge_of_stability(P(), X, Y, penalty="L1"), "penalty", "'L1'",
     "l1"),
    # ---- the update steps ------------------------------------------------------------------------------
    ("gd_step penalty 'l3'", lambda: optim.gd_step(P(), grads(), 0.1, penalty="l3"), "penalty", "'l3'", "l2"),
    ("gd_step l1_step", lambda: optim.gd_step(P(), grads(), 0.1, l1_step="x"), "l1_step", "'x'", "proximal"),
    ("momentum_step penalty", lambda: optim.momentum_step(P(), grads(), None, 0.1, 0.5, penalty=3), "penalty", "3",
     "l1"),
    # ---- settings strings and weight files (as a caller) -----------------------------------------------
    ("settings not JSON", lambda: storage.settings_from_json("{"), "settings string", "not valid JSON", "line 1"),
    ("settings with NaN", lambda: storage.settings_from_json('{"lr": NaN}'), "settings string", "NaN",
     "finite numbers only"),
    ("settings nested 100,000 deep", lambda: storage.settings_from_json("[" * 40000 + "]" * 40000),
     "settings string", "nested too deeply", "one JSON object"),
    ("settings steps 10**7", lambda: storage.settings_from_json('{"steps": 10000000}'), "steps", "10000000",
     "from 0 to 20000"),
    ("settings three hidden layers", lambda: storage.settings_from_json('{"hidden": [8, 8, 8]}'), "hidden",
     "[8, 8, 8]", "1 to 2 layer widths"),
    ("settings n 10**7", lambda: storage.settings_from_json('{"n": 10000000}'), "n", "10000000", "from 10 to 2000"),
    ("settings unknown key", lambda: storage.settings_from_json('{"speed": 1}'), "setting", "'speed'", "lr"),
    ("settings a list", lambda: storage.settings_from_json("[1]"), "settings", "list", "JSON object"),
    ("settings bytes", lambda: storage.settings_from_json(b"{}"), "settings string", "bytes", "text"),
    ("settings 200,000 characters", lambda: storage.settings_from_json(" " * 200_000), "settings string",
     "200,000 characters", "at most 100,000"),
    ("check_settings lr text", lambda: storage.check_settings({"lr": "0.1"}), "lr", '"0.1"', "a number >= 0"),
    ("check_settings lr true", lambda: storage.check_settings({"lr": True}), "lr", "true", "a number >= 0"),
    ("check_settings hidden changed mid-run", lambda: storage.check_settings(
        {"steps": 10, "changes": [[5, "hidden", [4]]]}), "changes", '"hidden"', "lr, momentum, batch_size, penalty, lam, activation"),
    ("check_settings change after the end", lambda: storage.check_settings(
        {"steps": 10, "changes": [[50, "lr", 0.1]]}), "changes", "50", "to 10"),
    ("check_settings regression data", lambda: storage.check_settings({"dataset": "sine"}), "dataset", '"sine"',
     "xor, moons"),
    ("check_settings None", lambda: storage.check_settings(None), "settings", "NoneType", "JSON object"),
    ("load_weights no such file", lambda: storage.load_weights("no_such_file.npz"), "no_such_file.npz", "no such file",
     "no such file"),
    ("load_weights not an npz", lambda: storage.load_weights(__file__), "test_hostile_input.py", "not a .npz",
     "zip"),
]

# ---- every explorer factory, with bad keyword arguments -----------------------------------------------
EXPLORER_CASES = [
    ("descent.descent_explorer", dict(lr=NAN), "lr", "nan", "finite number >= 0"),
    ("descent.descent_explorer", dict(lr=-1), "lr", "-1", ">= 0"),
    ("descent.descent_explorer", dict(lr=1e9), "lr", "1000000000.0", "from 0.01 to 2"),
    ("descent.descent_explorer", dict(steps=10**9), "steps", "1000000000", "from 0 to 20000"),
    ("descent.descent_explorer", dict(steps=2.5), "steps", "2.5", "an int"),
    ("descent.descent_explorer", dict(xweight="W9[0,0]"), "xweight", "'W9[0,0]'", "W1[0,0]"),
    ("descent.descent_explorer", dict(bogus=1), "bogus", "1", "lr, steps"),
    ("gradients.gradients_explorer", dict(grid=10**6), "grid", "1000000", "from 2 to 200"),
    ("gradients.gradients_explorer", dict(loss="hinge"), "loss", "'hinge'", "bce"),
    ("gradients.gradients_explorer", dict(arrows=-1), "arrows", "-1", "from 1 to 40"),
    ("gradients.gradients_explorer", dict(yweight="b9"), "yweight", "'b9'", "W2[1,0]"),
    ("initialization.deep_stack_explorer", dict(n=10**9), "n", "1000000000", "from 2 to 10000"),
    ("initialization.deep_stack_explorer", dict(seed=-1), "seed", "-1", "from 0 to"),
    ("initialization.deep_stack_explorer", dict(sizes=(2, 10**5, 10**5, 1)), "sizes", "parameters",
     "at most 100,000"),
    ("initialization.initialisation_explorer", dict(seeds=10**7), "seeds", "10000000", "from 1 to 200"),
    ("initialization.initialisation_explorer", dict(steps=NAN), "steps", "nan", "from 0 to 20000"),
    ("initialization.initialisation_explorer", dict(noise=NAN), "noise", "nan", "finite number"),
    ("initialization.symmetry_explorer", dict(steps=10**9), "steps", "1000000000", "from 0 to 20000"),
    ("initialization.symmetry_explorer", dict(lr=INF), "lr", "inf", "finite number >= 0"),
    ("loss.loss_explorer", dict(grid=10**6), "grid", "1000000", "from 2 to 200"),
    ("loss.loss_explorer", dict(xweight="W9[0,0]"), "xweight", "'W9[0,0]'", "W1[0,0]"),
    ("monitoring.monitoring_explorer", dict(steps=-5), "steps", "-5", "from 0 to 20000"),
    ("monitoring.monitoring_explorer", dict(activation="swish"), "activation", "'swish'", "tanh"),
    ("monitoring.monitoring_explorer", dict(lam=NAN), "lam", "nan", "finite number >= 0"),
    ("monitoring.monitoring_explorer", dict(cache_size=-1), "cache_size", "-1", "from 1 to 1000"),
    ("monitoring.monitoring_explorer", dict(dataset="moon"), "dataset", "'moon'", "moons"),
    ("network.network_explorer", dict(pick="W9"), "pick", "'W9'", "W1[0,0]"),
    ("network.network_explorer", dict(n=10**9), "n", "1000000000", "from 2 to 10000"),
    ("network.network_explorer", dict(activation="swish"), "activation", "'swish'", "tanh"),
    ("neuron.neuron_explorer", dict(w1=NAN), "w1", "nan", "finite number"),
    ("neuron.neuron_explorer", dict(w1=1e9), "w1", "1000000000.0", "a finite number from"),
    ("neuron.neuron_explorer", dict(dataset="moon"), "dataset", "'moon'", "moons"),
    ("overfitting.overfitting_explorer", dict(steps=10**9), "steps", "1000000000", "from 0 to 20000"),
    ("overfitting.overfitting_explorer", dict(record_every=0), "record_every", "0", "from 1 to 1000"),
    ("overfitting.overfitting_explorer", dict(grid_n=10**5), "grid_n", "100000", "from 2 to 200"),
    ("playground.playground_explorer", dict(lr=-1), "lr", "-1", ">= 0"),
    ("playground.playground_explorer", dict(lr=1e9), "lr", "1000000000.0", "from 0.0001 to 10"),
    ("playground.playground_explorer", dict(lam=NAN), "lam", "nan", "finite number >= 0"),
    ("playground.playground_explorer", dict(width=10**6), "width", "1000000", "from 1 to 256"),
    ("playground.playground_explorer", dict(steps=2.5), "steps", "2.5", "an int"),
    ("playground.playground_explorer", dict(init="glorot"), "init", "'glorot'", "he_normal"),
    ("playground.playground_explorer", dict(layers=5), "layers", "5", "one of 1, 2"),
    ("playground.playground_explorer", dict(chunk=0), "chunk", "0", "from 1 to 500"),
    ("regularization.penalty_geometry_explorer", dict(lam=NAN), "lam", "nan", "finite number >= 0"),
    ("regularization.penalty_geometry_explorer", dict(lam=-1), "lam", "-1", ">= 0"),
    ("regularization.regularisation_explorer", dict(lam=-1), "lam", "-1", ">= 0"),
    ("regularization.regularisation_explorer", dict(penalty="l3"), "penalty", "'l3'", "l2"),
    ("regularization.regularisation_explorer", dict(warmup=10**9), "warmup", "1000000000", "from 0 to 20000"),
    ("regularization.strength_sweep_explorer", dict(n_lams=10**6), "n_lams", "1000000", "from 2 to 100"),
    ("regularization.strength_sweep_explorer", dict(steps=NAN), "steps", "nan", "from 0 to 20000"),
    ("welcome.welcome_explorer", dict(weight="b1[0]"), "weight", "'b1[0]'", "a weight such as"),
    ("welcome.welcome_explorer", dict(noise=NAN), "noise", "nan", "finite number"),
    ("welcome.welcome_explorer", dict(seed=-1), "seed", "-1", "from 0 to"),
]


def _settings_of(factory):
    """The keyword arguments an explorer factory takes, read from its refusal of one it does not take."""
    try:
        E[factory](no_such_setting=1)
    except ValueError as e:
        return re.findall(r"\w+", str(e).rpartition("allowed: ")[2])
    return []


# Every factory, including one added later: an unknown keyword, and NaN for each of its keywords
# that explore.SETTINGS checks the same way in every explorer.
for factory in sorted(E):
    EXPLORER_CASES.append((factory, dict(no_such_setting=1), "no_such_setting", "1", "allowed: "))
    EXPLORER_CASES += [(factory, {name: NAN}, name, "nan", "allowed: ") for name in _settings_of(factory)
                       if name in explore.SETTINGS]
CASES += [(f"{factory.split('.')[1]}({', '.join(f'{k}={v!r}' for k, v in kw.items())})",
           (lambda f=factory, k=kw: E[f](**k)), name, value, allowed)
          for factory, kw, name, value, allowed in EXPLORER_CASES]

# Once refused with a raw numpy or Python message, or not at all: optim, curvature and storage now
# check these themselves.
STEP_AND_FILE_CASES = [
    ("gd_step lr NaN", lambda: optim.gd_step(P(), grads(), NAN), "lr", "nan", "finite number >= 0"),
    ("gd_step lr -1", lambda: optim.gd_step(P(), grads(), -1), "lr", "-1", "finite number >= 0"),
    ("gd_step lam NaN", lambda: optim.gd_step(P(), grads(), 0.1, penalty="l2", lam=NAN), "lam", "nan", ">= 0"),
    ("gd_step gradient missing", lambda: optim.gd_step(P(), {"W1": np.zeros((2, 3))}, 0.1), "grads", "'b1'", "W1"),
    ("gd_step gradient shape", lambda: optim.gd_step(P(), dict(grads(), W1=np.zeros((3, 3))), 0.1), "W1", "(3, 3)",
     "(2, 3)"),
    ("momentum_step momentum NaN", lambda: optim.momentum_step(P(), grads(), None, 0.1, NAN), "momentum", "nan",
     "below 1"),
    ("momentum_step momentum 1", lambda: optim.momentum_step(P(), grads(), grads(), 0.1, 1.0), "momentum", "1.0",
     "below 1"),
    ("momentum_step velocity shape", lambda: optim.momentum_step(P(), grads(), dict(grads(), W1=np.zeros(4)), 0.1,
                                                                 0.5), "velocity", "(4,)", "(2, 3)"),
    ("hessian eps NaN", lambda: curvature.hessian(P(), X, Y, eps=NAN), "eps", "nan", "> 0"),
    ("hessian eps 0", lambda: curvature.hessian(P(), X, Y, eps=0), "eps", "0", "> 0"),
    ("hessian of a population", lambda: curvature.hessian(P(population=2), X, Y), "params", "population",
     "one network"),
    ("load_weights path an int", lambda: storage.load_weights(5), "path", "5", "a file name"),
]
CASES += STEP_AND_FILE_CASES

# What a message must never be: numpy's or Python's own words for a failure deep inside.
RAW = re.compile(r"operands could not be broadcast|matmul|gufunc|core dimension|index \d+ is out of bounds|"
                 r"could not convert|object is not subscriptable|has no attribute|unexpected keyword|"
                 r"Unable to allocate|math domain|division by zero|not enough values to unpack|Invalid selection")


def _params():
    out = []
    for id_, call, name, value, allowed in CASES:
        out.append(pytest.param(call, name, value, allowed, id=id_))
    return out


def test_the_table_holds_at_least_150_bad_inputs_across_the_package():
    assert len(CASES) >= 150, len(CASES)
    factories = {factory for factory, *_ in EXPLORER_CASES}
    assert factories == set(E), f"explorers with no bad-argument row: {sorted(set(E) - factories)}"


def _refusal(call):
    """How long ``call()`` takes to raise ValueError (with warnings as errors), and the error."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a warning instead of a refusal is a silent result
        with pytest.raises(ValueError) as info:
            call()
    return time.perf_counter() - start, info


@pytest.mark.parametrize("call,name,value,allowed", _params())
def test_bad_input_is_refused_at_once_with_a_clear_value_error(call, name, value, allowed):
    figures = set(plt.get_fignums())
    seconds, info = _refusal(call)
    if seconds >= 1.0:   # a work bomb is slow every time; a pause of a shared machine is not
        seconds = min(seconds, _refusal(call)[0], _refusal(call)[0])
    message = str(info.value)
    assert not RAW.search(message), f"a raw message: {message}"
    if name:
        assert re.search(rf"(^|\W){re.escape(name)}(\W|$)", message), f"{name!r} not named in: {message}"
    assert value in message, f"the value {value!r} not shown in: {message}"
    assert allowed in message, f"{allowed!r} not said in: {message}"
    assert len(message) < 1000, f"a message of {len(message)} characters"
    assert seconds < 1.0, f"took {seconds:.2f} s to refuse (the fastest of three tries)"
    assert set(plt.get_fignums()) == figures, "a refused explorer left a figure open"
