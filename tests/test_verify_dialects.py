"""Declared dialects flow into every check, and randomness is a dialect (rng)."""

from __future__ import annotations

from pathlib import Path

from gradspec.conformance.verify import verify

HEAVY_BALL = '''
import numpy as np

def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = beta * v["d" + p + str(l)] + grads["d" + p + str(l)]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v["d" + p + str(l)]
    return parameters, v
'''

EPS_OUTSIDE_RMSPROP = '''
import numpy as np

def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for key in parameters:
        g = grads["d" + key]
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g ** 2
        parameters[key] = parameters[key] - learning_rate * g / (np.sqrt(s["d" + key]) + epsilon)
    return parameters, s
'''

SUM_COST = '''
import numpy as np

def compute_cost(a3, Y):
    return np.sum(-Y * np.log(a3) - (1 - Y) * np.log(1 - a3))

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    l2 = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
    return compute_cost(A3, Y) + l2
'''


def _target(tmp_path: Path, source: str, name: str = "notebook.py") -> str:
    path = tmp_path / name
    path.write_text(source)
    return str(path)


def _checked(report, name: str | None = None):
    """The one function the target defines (or ``name``), skipping the ones it does not."""
    (result,) = [f for f in report.functions if f.status != "missing" and name in (None, f.name)]
    return result


def _by_id(result):
    return {c.id: c for c in result.checks}


def test_a_declared_momentum_dialect_skips_the_pinned_case_printed_in_another(tmp_path):
    target = _target(tmp_path, HEAVY_BALL)
    undeclared = _checked(verify(target, profile="quick"))
    assert undeclared.status == "fail" and undeclared.dialects == ["momentum/heavy-ball"]
    assert _by_id(undeclared)["pinned:momentum"].status == "fail"
    declared = _checked(verify(target, profile="quick", dialects={"momentum": "heavy-ball"}))
    assert declared.status == "pass", declared
    pinned = _by_id(declared)["pinned:momentum"]
    assert pinned.status == "skip"
    assert pinned.message == "seed 000 printed momentum/ema numbers; momentum/heavy-ball is declared"
    assert _by_id(declared)["invariant:beta-zero-is-gd"].status == "pass"


def test_a_declared_rmsprop_dialect_reaches_the_invariants(tmp_path):
    target = _target(tmp_path, EPS_OUTSIDE_RMSPROP)
    undeclared = _checked(verify(target, profile="quick"))
    assert undeclared.status == "fail" and undeclared.dialects == ["rmsprop/eps-outside"]
    assert _by_id(undeclared)["invariant:beta2-zero"].status == "fail"
    declared = _checked(verify(target, profile="quick", dialects={"rmsprop": "eps-outside"}))
    assert declared.status == "pass", declared
    assert _by_id(declared)["invariant:beta2-zero"].status == "pass"


def test_a_declared_cost_dialect_flows_through_the_targets_own_helper(tmp_path):
    target = _target(tmp_path, SUM_COST)
    declared = {f.name: f for f in verify(target, profile="quick", dialects={"cost": "sum"}).functions}
    assert declared["compute_cost"].status == "pass" and declared["compute_cost"].dialects == ["cost/sum"]
    assert declared["compute_cost_with_regularization"].status == "pass", declared["compute_cost_with_regularization"]
    # Undeclared, the sum is compute_cost's failure, not the regularized cost's: judged with gradspec's
    # compute_cost standing in, it is right.
    undeclared = {f.name: f for f in verify(target, profile="quick").functions}
    assert undeclared["compute_cost"].status == "fail"
    regularized = undeclared["compute_cost_with_regularization"]
    assert regularized.status == "pass"
    assert regularized.notes == ["calls compute_cost, which fails: judged with gradspec's compute_cost standing "
                                 "in, it passes"]


UNSEEDED_HE = '''
import numpy as np

def initialize_parameters_he(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''


def test_an_unseeded_initialization_is_named_and_accepted_when_declared(tmp_path):
    target = _target(tmp_path, UNSEEDED_HE)
    result = _checked(verify(target, profile="quick"))
    assert result.status == "fail" and result.dialects == ["rng/unseeded"]
    message = result.first_failure.message
    assert "not the notebook's np.random.seed stream" in message
    assert "--dialect rng=unseeded" in message
    assert _by_id(result)["unseeded:distribution"].status == "pass"
    declared = _checked(verify(target, profile="quick", dialects={"rng": "unseeded"}))
    assert declared.status == "pass", declared
    assert _by_id(declared)["differential"].status == "skip"


def test_a_wrong_distribution_fails_whatever_the_stream(tmp_path):
    wrong_scale = UNSEEDED_HE.replace("np.sqrt(2 / layers_dims[l - 1])", "np.sqrt(1 / layers_dims[l - 1])")
    result = _checked(verify(_target(tmp_path, wrong_scale), profile="quick", dialects={"rng": "unseeded"}))
    assert result.status == "fail" and result.dialects == []
    assert "the scale is 0.06" in _by_id(result)["unseeded:distribution"].message
    uniform = UNSEEDED_HE.replace("np.random.randn(layers_dims[l], layers_dims[l - 1])",
                                  "(np.random.rand(layers_dims[l], layers_dims[l - 1]) - 0.5) * np.sqrt(12)")
    result = _checked(verify(_target(tmp_path, uniform, "uniform.py"), profile="quick",
                       dialects={"rng": "unseeded"}))
    assert result.status == "fail"
    assert "fourth moment" in _by_id(result)["unseeded:distribution"].message


DROPOUT = '''
import numpy as np

def relu(x):
    return np.maximum(0, x)

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = MASK(A1.shape) < keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = MASK(A2.shape) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
'''


def test_dropout_masks_from_another_stream_and_masks_drawn_wrong(tmp_path):
    rng = DROPOUT.replace("MASK(A1.shape)", "np.random.rand(*A1.shape)").replace("MASK(A2.shape)",
                                                                                 "np.random.rand(*A2.shape)")
    functions = {f.name: f for f in verify(_target(tmp_path, rng), profile="quick").functions}
    dropout = functions["forward_propagation_with_dropout"]
    assert dropout.status == "fail" and dropout.dialects == ["rng/unseeded"]
    # seeded as the notebook does, it passes
    seeded = rng.replace("    Z1 = np.dot", "    np.random.seed(1)\n    Z1 = np.dot")
    passing = _checked(verify(_target(tmp_path, seeded, "seeded.py"), profile="quick"),
                       "forward_propagation_with_dropout")
    assert passing.status == "pass" and passing.dialects == ["rng/seeded"]
    # a real submission's bug: the mask drawn with randn keeps about half the units, whatever keep_prob is
    randn = rng.replace("np.random.rand(", "np.random.randn(")
    wrong = _checked(verify(_target(tmp_path, randn, "randn.py"), profile="quick", dialects={"rng": "unseeded"}),
                     "forward_propagation_with_dropout")
    assert wrong.status == "fail"
    assert "keep a unit where rand < keep_prob" in _by_id(wrong)["unseeded:masks"].message


SEEDLESS_MINI_BATCHES = '''
import math
import numpy as np

def random_mini_batches(X, Y, mini_batch_size=64):
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    batches = []
    for k in range(math.floor(m / mini_batch_size)):
        batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                        shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        batches.append((shuffled_X[:, (m // mini_batch_size) * mini_batch_size:],
                        shuffled_Y[:, (m // mini_batch_size) * mini_batch_size:]))
    return batches
'''


def test_an_older_seedless_mini_batch_function_is_its_own_version(tmp_path):
    result = _checked(verify(_target(tmp_path, SEEDLESS_MINI_BATCHES), profile="quick"))
    assert result.version == "optimization:random_mini_batches/no-seed"
    assert result.status == "fail" and result.dialects == ["rng/unseeded"]
    checks = _by_id(result)
    assert checks["pinned:mini-batches"].status == "pass"  # shapes only: they hold for any stream
    assert checks["invariant:partition"].status == "pass"
    declared = _checked(verify(_target(tmp_path, SEEDLESS_MINI_BATCHES), profile="quick",
                         dialects={"rng": "unseeded"}))
    assert declared.status == "pass", declared
    assert _by_id(declared)["pinned:mini-batch-sanity-check"].status == "skip"
