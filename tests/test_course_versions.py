"""Correct notebook code for every assignment of the course, written the way students write it
(tests/targets/course/: plain NumPy, np.random.seed inside the functions, loops over the
layers' dict keys), verified against the registry of API versions.

For each file: every function it defines passes, each is checked as the version it implements,
and nothing else is reported missing; across the files, every version in the registry has an
example target (a new version without one fails here).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from gradspec.conformance.api import VERSIONS
from gradspec.conformance.verify import Report, verify

COURSE = Path(__file__).resolve().parent / "targets" / "course"

#: For each target file, the notebook functions it defines and the API version each implements.
EXPECTED: dict[str, dict[str, str]] = {
    "logistic.py": {
        "sigmoid": "logistic:sigmoid",
        "initialize_with_zeros": "logistic:initialize_with_zeros",
        "propagate": "logistic:propagate",
        "optimize": "logistic:optimize",
        "predict": "logistic:predict",
    },
    "shallow.py": {
        "sigmoid": "logistic:sigmoid",  # planar_utils' bare sigmoid
        "layer_sizes": "shallow:layer_sizes",
        "initialize_parameters": "shallow:initialize_parameters/seed-2",
        "forward_propagation": "shallow:forward_propagation",
        "compute_cost": "shallow:compute_cost/with-parameters",
        "backward_propagation": "shallow:backward_propagation",
        "predict": "shallow:predict",
        "tanh_backward": "shallow:tanh_backward",
        "update_parameters": "shallow:update_parameters",
    },
    "deep.py": {
        "sigmoid": "deep:sigmoid/with-cache",
        "relu": "deep:relu/with-cache",
        "sigmoid_backward": "deep:sigmoid_backward",
        "relu_backward": "deep:relu_backward",
        "initialize_parameters": "deep:initialize_parameters/two-layer",
        "initialize_parameters_deep": "deep:initialize_parameters_deep",
        "linear_forward": "deep:linear_forward",
        "linear_activation_forward": "deep:linear_activation_forward",
        "L_model_forward": "deep:L_model_forward",
        "compute_cost": "deep:compute_cost",
        "linear_backward": "deep:linear_backward",
        "linear_activation_backward": "deep:linear_activation_backward",
        "L_model_backward": "deep:L_model_backward",
        "update_parameters": "deep:update_parameters",
    },
    "initialization.py": {
        "initialize_parameters_zeros": "initialization:initialize_parameters_zeros",
        "initialize_parameters_random": "initialization:initialize_parameters_random",
        "initialize_parameters_he": "initialization:initialize_parameters_he",
    },
    "regularization.py": {
        "sigmoid": "logistic:sigmoid",  # reg_utils' bare sigmoid
        "relu": "regularization:relu",
        "initialize_parameters": "regularization:initialize_parameters/scaled",
        "forward_propagation": "regularization:forward_propagation",
        "backward_propagation": "regularization:backward_propagation",
        "predict": "regularization:predict",
        "compute_cost": "deep:compute_cost",  # reg_utils' compute_cost(a3, Y)
        "compute_cost_with_regularization": "regularization:compute_cost_with_regularization",
        "backward_propagation_with_regularization": "regularization:backward_propagation_with_regularization",
        "forward_propagation_with_dropout": "regularization:forward_propagation_with_dropout",
        "backward_propagation_with_dropout": "regularization:backward_propagation_with_dropout",
    },
    "gradient_checking.py": {
        "sigmoid": "logistic:sigmoid",  # gc_utils' bare sigmoid and relu
        "relu": "regularization:relu",
        "forward_propagation": "gradient_checking:forward_propagation/1-D",
        "backward_propagation": "gradient_checking:backward_propagation/1-D",
        "gradient_check": "gradient_checking:gradient_check",
        "forward_propagation_n": "gradient_checking:forward_propagation_n",
        "backward_propagation_n": "gradient_checking:backward_propagation_n",
        "gradient_check_n": "gradient_checking:gradient_check_n",
        "dictionary_to_vector": "gradient_checking:dictionary_to_vector",
        "vector_to_dictionary": "gradient_checking:vector_to_dictionary",
        "gradients_to_vector": "gradient_checking:gradients_to_vector",
    },
    "optimization.py": {
        "initialize_parameters": "optimization:initialize_parameters/he",
        "update_parameters_with_gd": "optimization:update_parameters_with_gd",
        "random_mini_batches": "optimization:random_mini_batches",
        "initialize_velocity": "optimization:initialize_velocity",
        "update_parameters_with_momentum": "optimization:update_parameters_with_momentum",
        "initialize_adam": "optimization:initialize_adam",
        "update_parameters_with_adam": "optimization:update_parameters_with_adam",
        "initialize_rmsprop": "optimization:initialize_rmsprop",
        "update_parameters_with_rmsprop": "optimization:update_parameters_with_rmsprop",
        "update_lr": "optimization:update_lr",
        "schedule_lr_decay": "optimization:schedule_lr_decay",
        "exponentially_weighted_averages": "optimization:exponentially_weighted_averages",
    },
    "optimization_no_seed.py": {
        "random_mini_batches": "optimization:random_mini_batches/no-seed",
        "update_parameters_with_gd": "optimization:update_parameters_with_gd",
        "initialize_velocity": "optimization:initialize_velocity",
        "update_parameters_with_momentum": "optimization:update_parameters_with_momentum",
        "initialize_adam": "optimization:initialize_adam",
        "update_parameters_with_adam": "optimization:update_parameters_with_adam",
    },
}

#: The functions of its own assignment a file leaves out on purpose (reported "missing"). The
#: older notebook's file leaves out only functions not every notebook has (the assignment's
#: OPTIONAL ones), which are not reported.
MISSING: dict[str, set[str]] = {}


@cache
def report(file: str) -> Report:
    return verify(str(COURSE / file), profile="quick")


def _failures(result) -> str:
    return "; ".join(f"{c.id} {c.status}: {c.message}" for c in result.checks if c.status in ("fail", "error"))


@pytest.mark.parametrize(("file", "name"), [
    pytest.param(file, name, id=f"{file}::{name}")
    for file, functions in EXPECTED.items() for name in functions])
def test_each_function_passes(file, name):
    results = {f.name: f for f in report(file).functions}
    assert name in results, f"{file}: {name} is not in the report ({sorted(results)})"
    result = results[name]
    assert result.status == "pass", f"{file}: {name} [{result.version}] {result.status}: {_failures(result)}"


@pytest.mark.parametrize("file", list(EXPECTED))
def test_every_function_in_the_report_passes(file):
    """Nothing in the report fails, and nothing is
    reported missing except what the file leaves out of its own assignment on purpose."""
    functions = report(file).functions
    failing = {f.name: f"[{f.version}] {f.status}: {_failures(f)}" for f in functions
               if f.status not in ("pass", "missing")}
    assert not failing, f"{file}: {failing}"
    missing = {f.name for f in functions if f.status == "missing"}
    assert missing == MISSING.get(file, set()), (
        f"{file}: reported missing {sorted(missing)}, expected {sorted(MISSING.get(file, set()))}")


@pytest.mark.parametrize("file", list(EXPECTED))
def test_each_function_is_checked_as_its_version(file):
    checked = {f.name: f.version for f in report(file).functions if f.status != "missing"}  # missing: no version
    assert set(checked.values()) == set(EXPECTED[file].values()), f"{file}: {checked}"
    assert checked == EXPECTED[file]


def test_every_version_has_an_example_target():
    ids = {v.id for v in VERSIONS}
    expected = {version for functions in EXPECTED.values() for version in functions.values()}
    assert expected <= ids, f"not in the registry: {sorted(expected - ids)}"
    covered = {f.version for file in EXPECTED for f in report(file).functions if f.status != "missing"}
    assert not ids - covered, f"no target under {COURSE} implements {sorted(ids - covered)}"
