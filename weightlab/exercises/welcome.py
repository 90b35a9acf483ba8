"""Notebook 00 warm-up: how many numbers does a network with given layer sizes hold?"""
from . import Exercise


def count_parameters(sizes):
    """Weights a*b plus biases b for every pair of consecutive layers (a -> b)."""
    total = 0
    for a, b in zip(sizes[:-1], sizes[1:]):
        total += a * b + b
    return total


def _weights_only(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def _biases_on_inputs(sizes):
    return sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))


def _counted_units(sizes):
    return sum(sizes)


def _first_pair_only(sizes):
    return sizes[0] * sizes[1] + sizes[1]


def _all_biases_on_inputs_too(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) + sum(sizes)


count_parameters = Exercise(
    "count_parameters",
    count_parameters,
    cases=[((2, 3, 1),), ((2, 4, 1),), ((2, 8, 8, 1),), ((784, 128, 10),), ((3, 1),)],
    mistakes=[
        (_weights_only, "you counted the weights but not the biases: every unit of the next layer "
                        "has one bias too (b1 has 3 numbers in a 2-3-1 net)."),
        (_biases_on_inputs, "the biases belong to the receiving layer: a layer a -> b has b biases, not a."),
        (_counted_units, "you counted units (circles), not parameters: the weights are the edges "
                         "between two layers, a*b of them, plus one bias per receiving unit."),
        (_all_biases_on_inputs_too, "the inputs have no biases: they are the data. Count one bias for every "
                                    "unit of the hidden and output layers only."),
        (_first_pair_only, "you counted the first pair of layers only; a deeper net has one more pair of "
                           "layers for each extra layer: add up every pair a -> b."),
    ],
    hint="For each pair of consecutive layers a -> b: a*b weights and b biases. "
         "For (2, 3, 1) the answer is 2*3 + 3 + 3*1 + 1 = 13.",
)
