"""Wrong answers written the way learners write them, each with the hint it must get (not the
generic one, not another mistake's), and answers that look right but are not, which must not pass.

The functions here are written independently of the mistakes the exercises list, so a mistake the
checker does not know, or knows under the wrong hint, shows up here."""
import numpy as np
import pytest

import weightlab.exercises.gradients
import weightlab.exercises.initialization
import weightlab.exercises.loss
import weightlab.exercises.monitoring
import weightlab.exercises.network
import weightlab.exercises.neuron
import weightlab.exercises.overfitting
import weightlab.exercises.regularization
import weightlab.exercises.welcome
from weightlab import exercises as ex


def _forget_lambda(params, lam):
    penalty = 0.5 * sum(np.sum(W ** 2) for name, W in params.items() if name.startswith("W"))
    return penalty, {name: (W if name.startswith("W") else np.zeros_like(W)) for name, W in params.items()}


def _two_lambda_w(params, lam):
    penalty = lam / 2 * sum(np.sum(W ** 2) for name, W in params.items() if name.startswith("W"))
    return penalty, {name: (2 * lam * W if name.startswith("W") else np.zeros_like(W)) for name, W in params.items()}


def _include_the_biases(params, lam):
    penalty = lam / 2 * sum(np.sum(v ** 2) for v in params.values())
    return penalty, {name: lam * v for name, v in params.items()}


def _biases_in_penalty_only(params, lam):
    penalty = lam / 2 * sum(np.sum(v ** 2) for v in params.values())
    return penalty, {name: (lam * W if name.startswith("W") else np.zeros_like(W)) for name, W in params.items()}


def _no_bias_keys(params, lam):
    penalty = lam / 2 * sum(np.sum(W ** 2) for name, W in params.items() if name.startswith("W"))
    return penalty, {name: lam * W for name, W in params.items() if name.startswith("W")}


def _forward_tanh(X, params, f):
    return np.tanh(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def _norms_of_two(params):
    return np.array([np.linalg.norm(params["W1"]), np.linalg.norm(params["W2"])])


# (exercise, the learner's answer, a phrase its hint must contain)
WRONG = {
    "max_width: round instead of floor": (
        ex.overfitting.max_width, lambda n_train: round((n_train - 1) / 4), "round() goes to the NEAREST"),
    "max_width: int of a rounded-up float": (
        ex.overfitting.max_width, lambda n_train: int(np.ceil((n_train - 1) / 4)), "rounding up"),
    "max_width: forgot the output bias": (
        ex.overfitting.max_width, lambda n_train: n_train // 4, "the output bias b2 counts"),
    "l2: forget lambda": (ex.regularization.l2_penalty_and_grad, _forget_lambda, "it forgets λ"),
    "l2: 2*lambda*W": (ex.regularization.l2_penalty_and_grad, _two_lambda_w, "2λ·W is the derivative of λ·W²"),
    "l2: include the biases": (ex.regularization.l2_penalty_and_grad, _include_the_biases, "it includes the biases"),
    "l2: biases in the penalty only": (
        ex.regularization.l2_penalty_and_grad, _biases_in_penalty_only, "your gradients are right; the penalty: "
                                                                        "it includes the biases"),
    "l2: no gradient for the biases": (
        ex.regularization.l2_penalty_and_grad, _no_bias_keys, "give every parameter a gradient"),
    "dead_fraction: Z < 0": (
        ex.monitoring.dead_fraction, lambda Z: np.mean(np.all(Z < 0, axis=0)), "Use z <= 0, not z < 0"),
    "dead_fraction: divided by the samples": (
        ex.monitoring.dead_fraction, lambda Z: np.all(Z <= 0, axis=0).sum() / len(Z), "number of samples N"),
    "forward_231: hard-wired tanh": (ex.network.forward_231, _forward_tanh, "f = relu"),
    "predict_class: >= 0.5": (
        ex.neuron.predict_class, lambda X, w, b: (1 / (1 + np.exp(-(X @ w + b))) >= 0.5).astype(int),
        "not ABOVE 0.5"),
    "bce: log(1 + exp(z)) written directly": (
        ex.loss.bce_from_logit, lambda z, y: np.mean(np.log(1 + np.exp(z)) - y * z), "exp(800) overflows"),
    "mse: the square of the mean": (ex.loss.mse, lambda pred, y: np.mean(pred - y) ** 2, "you squared the mean error"),
    "split_data: scikit-learn's order": (
        ex.overfitting.split_data, lambda X, y, n: (X[n:], X[:n], y[n:], y[:n]), "scikit-learn's order"),
    "split_data: a row left out": (
        ex.overfitting.split_data, lambda X, y, n: (X[n + 1:], y[n + 1:], X[:n], y[:n]), "row n_val is in neither set"),
    "soft_threshold: subtract t from negatives too": (
        ex.regularization.soft_threshold, lambda w, t: np.where(abs(w) > t, w - t, 0), "by ADDING t"),
    "weight_norms: two layers only": (ex.monitoring.weight_norms, _norms_of_two, "the deeper case has W3"),
    "hidden_backward: tanh applied to a1 again": (
        ex.gradients.hidden_backward, lambda dz2, W2, z1, a1: dz2 @ W2.T * (1 - np.tanh(a1) ** 2),
        "a1 is already tanh(z1)"),
    "best_stopping_step: the last step": (
        ex.overfitting.best_stopping_step, lambda steps, tr, va: steps[-1], "the last record"),
    "count_parameters: biases on the inputs too": (
        ex.welcome.count_parameters, lambda s: sum(a * b for a, b in zip(s, s[1:])) + sum(s), "the inputs have no biases"),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_a_typical_wrong_answer_gets_the_hint_for_its_mistake(case):
    exercise, answer, phrase = WRONG[case]
    with np.errstate(all="ignore"):
        feedback = exercise.check(answer)
    assert feedback.status == "wrong", f"{case}: {feedback!r}"
    assert phrase in feedback.message, f"{case}: got {feedback.message!r}"
    assert ("Hint: " + exercise.hint) not in feedback.message or not exercise.hint


def test_round_is_not_told_that_the_output_bias_is_missing():
    feedback = ex.overfitting.max_width.check(lambda n_train: round((n_train - 1) / 4))
    assert "output bias" not in feedback.message


ALTERNATIVE_RIGHT_ANSWERS = [
    (ex.loss.bce_from_logit, lambda z, y: np.mean(np.logaddexp(0, z) - y * z)),
    (ex.neuron.sigmoid, lambda z: 0.5 * (1 + np.tanh(z / 2))),
    (ex.overfitting.max_width, lambda n_train: int(np.floor((n_train - 1) / 4))),
    (ex.monitoring.dead_fraction, lambda Z: (Z <= 0).all(axis=0).sum() / Z.shape[1]),
    (ex.monitoring.weight_norms, lambda p: [np.sqrt((p[f"W{l}"] ** 2).sum()) for l in range(1, len(p) // 2 + 1)]),
    (ex.regularization.soft_threshold, lambda w, t: np.where(np.abs(w) > t, w - t * np.sign(w), 0.0)),
    (ex.initialization.xavier_std, lambda fan_in, fan_out: (2 / (fan_in + fan_out)) ** 0.5),
    (ex.overfitting.split_data, lambda X, y, n: [X[n:], y[n:], X[:n], y[:n]]),
]


@pytest.mark.parametrize("k", range(len(ALTERNATIVE_RIGHT_ANSWERS)))
def test_another_right_answer_is_accepted(k):
    exercise, answer = ALTERNATIVE_RIGHT_ANSWERS[k]
    assert exercise.check(answer).passed, exercise.check(answer)


LOOKS_RIGHT_BUT_IS_NOT = [
    # z = 0 exactly is dead too (ReLU's slope there is 0): a zero-initialised unit
    (ex.monitoring.dead_fraction, lambda Z: np.mean(np.all(Z < 0, axis=0))),
    # sigma(0) = 0.5 is not above 0.5
    (ex.neuron.predict_class, lambda X, w, b: (X @ w + b >= 0).astype(int)),
    # finite for moderate z, inf for z = 800
    (ex.loss.bce_from_logit, lambda z, y: np.mean(np.log(1 + np.exp(z)) - y * z)),
    # a string of the right number
    (ex.welcome.count_parameters, lambda sizes: str(sum(a * b + b for a, b in zip(sizes, sizes[1:])))),
    # right for one hidden layer... and the deeper case says so
    (ex.monitoring.weight_norms, _norms_of_two),
]


@pytest.mark.parametrize("k", range(len(LOOKS_RIGHT_BUT_IS_NOT)))
def test_an_answer_that_is_right_only_on_easy_inputs_does_not_pass(k):
    exercise, answer = LOOKS_RIGHT_BUT_IS_NOT[k]
    with np.errstate(all="ignore"):
        assert exercise.check(answer).status == "wrong"
