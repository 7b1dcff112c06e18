"""Logistic regression with a neural-network mindset (seed 002): one sigmoid unit."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from gradspec.reference.course import logistic as ref

from ._model import FunctionVersion, Invariant
from ._strategies import DTYPES, arrays, labels, no_ties
from .deep import sigmoid_symmetry

ASSIGNMENT = "logistic"
TITLE = "Logistic regression with a neural-network mindset"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset()

_z = st.tuples(DTYPES, st.lists(st.integers(1, 5), min_size=1, max_size=2).map(tuple)).flatmap(
    lambda ds: arrays(ds[1], ds[0], 30.0)).map(lambda z: (z,))


@st.composite
def _model(draw) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """(w, b, X, Y): n features, m examples, probabilities kept inside (0, 1)."""
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    w = draw(arrays((n, 1), np.float64, 1.0))
    b = draw(st.floats(-2.0, 2.0, width=32))
    return w, b, draw(arrays((n, m), np.float64, 2.0)), draw(labels(m))


def _probabilities(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    return ref.sigmoid(w.T @ X + b)


_inputs = _model()

VERSIONS: tuple[FunctionVersion, ...] = (
    FunctionVersion("sigmoid", ASSIGNMENT, ("z",), "sigmoid", _z, ref.sigmoid, "1/(1 + exp(-z)), elementwise",
                    invariants=(Invariant("symmetry", "sigmoid(-z) = 1 - sigmoid(z)", _z, sigmoid_symmetry),)),
    FunctionVersion("initialize_with_zeros", ASSIGNMENT, ("dim",), "initialization",
                    st.integers(1, 10).map(lambda d: (d,)), ref.initialize_with_zeros,
                    "(w, b): a zero column of dim weights and b = 0"),
    FunctionVersion("propagate", ASSIGNMENT, ("w", "b", "X", "Y"), "logistic regression", _inputs, ref.propagate,
                    "({'dw', 'db'}, cost): the mean cross-entropy and its gradient",
                    pinned=("logistic-cost-at-zero",)),
    FunctionVersion("optimize", ASSIGNMENT, ("w", "b", "X", "Y", "num_iterations", "learning_rate"),
                    "logistic regression",
                    st.tuples(_inputs, st.integers(1, 250), st.floats(0.0, 1.0)).map(lambda t: (*t[0], *t[1:])),
                    ref.optimize, "(params, grads, costs) after num_iterations gradient-descent steps, the cost "
                    "recorded every 100 iterations", pinned=("logistic-cost-at-zero",)),
    FunctionVersion("predict", ASSIGNMENT, ("w", "b", "X"), "logistic regression",
                    _inputs.map(lambda t: t[:3]).filter(lambda t: no_ties(_probabilities(*t))), ref.predict,
                    "0/1 predictions a > 0.5, shape (1, m)",
                    # zero weights (initialize_with_zeros) give a = 0.5 exactly: predicted 0, not 1
                    probes=((np.zeros((2, 1)), 0.0, np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])),)),
)
