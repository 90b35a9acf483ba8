"""weightlab: a 2-3-1 neural network in numpy, small enough to hold in your hands.

Modules, one idea each, in layers that import only downwards:
maths (checks, activations, losses, initializers, network, regularization, optim, quadratic),
learning (training, engine, gradcheck, curvature, health), problems and files (datasets,
problems, landscape, storage, runs, experiments), pictures (plots), explore, exercises.
"""
from .network import init_params, forward, backward, predict, flatten, unflatten, flat_names
from .training import Trainer, train
from .gradcheck import check_gradients
from .datasets import load

__all__ = ["init_params", "forward", "backward", "predict", "flatten", "unflatten", "flat_names",
           "Trainer", "train", "check_gradients", "load"]
__version__ = "0.1.0"
