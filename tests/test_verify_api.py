"""Which version of the course's API a function is checked as, whose fault a failure is,
what the statuses mean, and notebooks as targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradspec.conformance.verify import UsageError, format_report, verify


def _target(tmp_path: Path, source: str, name: str = "notebook.py") -> str:
    path = tmp_path / name
    path.write_text(source)
    return str(path)


def _by_name(report):
    return {f.name: f for f in report.functions if f.status != "missing"}


TWO_LAYER_INIT = '''
import numpy as np

def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(SEED)
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
'''


@pytest.mark.parametrize(("seed", "version", "other"), [(1, "deep:initialize_parameters/two-layer",
                                                         "shallow:initialize_parameters/seed-2"),
                                                        (2, "shallow:initialize_parameters/seed-2",
                                                         "deep:initialize_parameters/two-layer")])
def test_two_versions_with_one_signature_are_told_apart_by_their_results(tmp_path, seed, version, other):
    report = verify(_target(tmp_path, TWO_LAYER_INIT.replace("SEED", str(seed))), profile="quick")
    result = _by_name(report)["initialize_parameters"]
    assert result.status == "pass" and result.version == version
    assert result.notes == [f"{version} chosen over {other}, which share its signature: its results match"]


PREDICTS = {
    "logistic:predict": '''
def predict(w, b, X):
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    return (A > 0.5).astype(float)
''',
    "shallow:predict": '''
def predict(parameters, X):
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    A2 = 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
    return np.round(A2)
''',
    "gradient_checking:forward_propagation/1-D": '''
def forward_propagation(x, theta):
    return np.multiply(theta, x)
''',
}


@pytest.mark.parametrize("version", sorted(PREDICTS))
def test_the_signature_picks_the_version(tmp_path, version):
    report = verify(_target(tmp_path, "import numpy as np\n" + PREDICTS[version]), profile="quick")
    (result,) = _by_name(report).values()
    assert result.version == version and result.status == "pass", result
    assert result.notes == []


def test_a_signature_no_version_has_is_an_error(tmp_path):
    report = verify(_target(tmp_path, "def predict(a, b, c, d):\n    return a\n"), profile="quick")
    result = _by_name(report)["predict"]
    assert result.status == "error"
    assert result.first_failure.message == (
        "predict(a, b, c, d) cannot be called as any of the course's versions: predict(w, b, X), "
        "predict(parameters, X), predict(X, y, parameters)")


DEEP_WITH_A_WRONG_SIGMOID = '''
import numpy as np

def sigmoid(Z):
    A = 1 / (1 + np.exp(Z))  # the sign of the exponent is wrong
    return A, Z

def relu(Z):
    return np.maximum(0, Z), Z

def sigmoid_backward(dA, cache):
    s, _ = sigmoid(cache)
    return dA * s * (1 - s)

def linear_forward(A, W, b):
    return W.dot(A) + b, (A, W, b)

def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, activation_cache)
'''


def test_blame_falls_on_the_function_that_is_wrong(tmp_path):
    report = verify(_target(tmp_path, DEEP_WITH_A_WRONG_SIGMOID), profile="quick")
    functions = _by_name(report)
    assert functions["sigmoid"].status == "fail" and functions["sigmoid"].version == "deep:sigmoid/with-cache"
    for name in ("sigmoid_backward", "linear_activation_forward"):
        assert functions[name].status == "pass", functions[name]
        assert functions[name].notes == ["calls sigmoid, which fails: judged with gradspec's sigmoid standing in, "
                                         "it passes"]
    assert functions["linear_forward"].notes == []
    text = format_report(report)
    assert "sigmoid_backward [deep:sigmoid_backward]:\n  calls sigmoid, which fails" in text


NO_BATCHES = '''
import numpy as np

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    return []
'''


def test_a_wrong_result_is_a_failure_with_its_numbers(tmp_path):
    result = _by_name(verify(_target(tmp_path, NO_BATCHES), profile="quick"))["random_mini_batches"]
    assert result.status == "fail"
    messages = {c.id: c.message for c in result.checks}
    assert messages["pinned:mini-batches"] == (
        "X1.shape differs from what seed 000 printed (random_mini_batches on 148 examples in batches of 64, "
        "seed 0): printed (12288, 64), computed nothing")
    assert messages["invariant:partition"].startswith("the batches partition the examples")
    assert "has 0 batches of sizes []" in messages["invariant:partition"]
    for message in messages.values():
        assert "KeyError" not in message and "null" not in message


NOTEBOOK_CELLS = [
    "!pip install numpy",
    "import numpy as np\nfrom testCases_v2 import *  # a course helper that is not here",
    "%matplotlib inline\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
    "train_set_x, train_set_y = load_dataset()",
    "%%time\nprint('a long training run')",
    "def initialize_with_zeros(dim):\n    w = np.zeros((dim, 1))\n    b = 0\n    return w, b",
]


def test_a_notebook_is_a_target_and_its_failing_cells_are_reported(tmp_path):
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": cell} for cell in NOTEBOOK_CELLS]}
    path = tmp_path / "Logistic Regression.ipynb"
    path.write_text(json.dumps(notebook))
    report = verify(str(path), profile="quick")
    assert {f.name: f.status for f in report.functions if f.status != "missing"} == {
        "sigmoid": "pass", "initialize_with_zeros": "pass"}
    assert [(p["cell"], p["error"]) for p in report.load_problems] == [
        (2, "ModuleNotFoundError: No module named 'testCases_v2'"),
        (4, "NameError: name 'load_dataset' is not defined")]
    assert "skipped cell 2 (import numpy as np): ModuleNotFoundError" in format_report(report)


def test_a_script_exported_from_jupyter_loads(tmp_path):
    script = ("#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\nimport numpy as np\n"
              "get_ipython().run_line_magic('matplotlib', 'inline')\n\n\n# In[2]:\n\n\n"
              "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n")
    report = verify(_target(tmp_path, script), profile="quick")
    assert _by_name(report)["sigmoid"].status == "pass"


def test_a_syntax_error_names_the_file_and_line(tmp_path):
    path = _target(tmp_path, "import numpy as np\n\ndef sigmoid(z)\n    return z\n")
    with pytest.raises(UsageError, match=r"notebook\.py, line 3: .*expected ':'"):
        verify(path)


def test_gradient_check_n_is_not_asked_for_the_undefined_zero_over_zero():
    """The course's ||g - g'|| / (||g|| + ||g'||) is 0/0 where every gradient is 0 (a found
    false alarm: a notebook's gradient_check_n returned NaN there, as the formula says)."""
    import numpy as np

    from gradspec.conformance.api.gradient_checking import _well_conditioned

    zero = {"W1": np.zeros((5, 4)), "b1": np.full((5, 1), 2.0), "W2": np.zeros((3, 5)), "b2": np.full((3, 1), 2.0),
            "W3": np.zeros((1, 3)), "b3": np.zeros((1, 1))}
    X, Y = np.zeros((4, 2)), np.array([[0, 1]])
    assert not _well_conditioned((X, Y, zero))
    rng = np.random.RandomState(0)
    some = {k: rng.randn(*v.shape) * 0.5 for k, v in zero.items()}
    assert _well_conditioned((rng.randn(4, 2), Y, some))
