"""weightlab: a 2-3-1 neural network in numpy, small enough to hold in your hands.

Modules, one idea each, in layers; a module imports only from its own layer or
the ones above it in this list (tests/test_layers.py keeps it so):

- maths: checks, activations, losses, initializers, network, regularization, optim, quadratic
- learning: training, engine, gradcheck, curvature, health
- problems and files: datasets, problems, landscape, storage, runs, experiments
- pictures: plots, textcache
- explorers: explore/ (one module per notebook)
- exercises: exercises/ (the checkers; they use maths, learning, problems and files)
"""
from .network import init_params, forward, backward, predict, flatten, unflatten, flat_names
from .training import Trainer, train
from .gradcheck import check_gradients
from .datasets import load

__all__ = ["init_params", "forward", "backward", "predict", "flatten", "unflatten", "flat_names",
           "Trainer", "train", "check_gradients", "load"]
__version__ = "0.1.0"
