"""Planar data classification with one hidden layer (seed 002): LINEAR-TANH-LINEAR-SIGMOID."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import activations
from gradspec.reference.course import shallow as ref

from ..seeds import optimizer_test_case
from ._model import FunctionVersion, Invariant, gradients
from ._strategies import DTYPES, LEARNING_RATES, arrays, labels, network, no_ties, shapes_of
from .deep import costs, finite_differences
from .initialization import initialization_unseeded

ASSIGNMENT = "shallow"
TITLE = "Planar data classification with one hidden layer"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset({"tanh_backward"})
#: The versions this assignment's helper files (planar_utils, reg_utils, gc_utils, opt_utils)
#: define, where they are another assignment's.
HELPERS = {"sigmoid": "logistic:sigmoid"}


@st.composite
def _network(draw) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(X, Y, parameters) of a 2-layer tanh network with one output unit."""
    dtype = draw(DTYPES)
    n_x, n_h, m = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    parameters = {k: draw(arrays(s, dtype, 1.5)) for k, s in shapes_of([n_x, n_h, 1]).items()}
    return draw(arrays((n_x, m), dtype, 2.0)), draw(labels(m)), parameters


def _backward_args(t: tuple) -> tuple:
    X, Y, parameters = t
    return parameters, ref.forward_propagation(X, parameters)[1], X, Y


_nets = _network()


def _tie() -> dict[str, np.ndarray]:
    """A network whose output is 0.5 exactly (W2 = 0, b2 = 0): predicted 0, not 1."""
    return {"W1": np.array([[0.5, -1.0], [2.0, 0.25]]), "b1": np.array([[0.1], [-0.2]]),
            "W2": np.zeros((1, 2)), "b2": np.zeros((1, 1))}
_dA_Z = st.tuples(DTYPES, st.lists(st.integers(1, 5), min_size=1, max_size=2).map(tuple)).flatmap(
    lambda ds: st.tuples(arrays(ds[1], ds[0], 5.0), arrays(ds[1], ds[0], 5.0)))
_sizes = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 6)).flatmap(
    lambda s: st.tuples(arrays((s[0], s[2])), arrays((s[1], s[2]))))

VERSIONS: tuple[FunctionVersion, ...] = (
    FunctionVersion("layer_sizes", ASSIGNMENT, ("X", "Y"), "network", _sizes, ref.layer_sizes,
                    "(n_x, n_h, n_y) = (X.shape[0], 4, Y.shape[0])"),
    FunctionVersion("initialize_parameters", ASSIGNMENT, ("n_x", "n_h", "n_y"), "initialization",
                    st.tuples(*(st.integers(1, 6),) * 3), ref.initialize_parameters,
                    "weights randn * 0.01 from np.random.seed(2)", variant="seed-2", dialect_rule="rng",
                    unseeded=initialization_unseeded("initialize_parameters", "random-x0.01", as_args=tuple)),
    FunctionVersion("forward_propagation", ASSIGNMENT, ("X", "parameters"), "network",
                    _nets.map(lambda t: (t[0], t[2])), ref.forward_propagation,
                    "LINEAR-TANH-LINEAR-SIGMOID, returns (A2, {'Z1', 'A1', 'Z2', 'A2'})"),
    FunctionVersion("compute_cost", ASSIGNMENT, ("A2", "Y", "parameters"), "cost",
                    st.tuples(costs, _nets).map(lambda t: (*t[0], t[1][2])), ref.compute_cost,
                    "the mean cross-entropy (parameters unused)", variant="with-parameters",
                    dialect_rule="cost"),
    FunctionVersion("backward_propagation", ASSIGNMENT, ("parameters", "cache", "X", "Y"), "network",
                    _nets.map(_backward_args), ref.backward_propagation,
                    "{'dW1', 'db1', 'dW2', 'db2'} of the mean cost, tanh' = 1 - A1^2", read=gradients),
    FunctionVersion("predict", ASSIGNMENT, ("parameters", "X"), "network",
                    _nets.filter(lambda t: no_ties(ref.forward_propagation(t[0], t[2])[0])).map(
                        lambda t: (t[2], t[0])), ref.predict, "predictions A2 > 0.5",
                    probes=((_tie(), np.array([[1.0, -2.0], [0.5, 3.0]])),)),
    FunctionVersion("update_parameters", ASSIGNMENT, ("parameters", "grads", "learning_rate"), "gd",
                    st.tuples(network(layers=2), LEARNING_RATES).map(lambda t: (*t[0], t[1])), ref.update_parameters,
                    "one gradient-descent step on W1, b1, W2, b2 (the notebook's default learning_rate = 1.2)",
                    probes=((*optimizer_test_case(), 0.01),)),
    FunctionVersion("tanh_backward", ASSIGNMENT, ("dA", "cache"), "tanh", _dA_Z, ref.tanh_backward,
                    "dZ = dA (1 - tanh(Z)^2) with cache = Z",
                    invariants=(Invariant("finite-differences", "agrees with finite differences of tanh",
                                          arrays((3, 2), np.float64, 3.0).map(lambda z: (z,)),
                                          finite_differences("tanh_backward", activations.tanh)),)),
)
