"""Regularization (seed 002): L2 and inverted dropout on the 3-layer ReLU network, with the
assignment's helpers (``reg_utils``: its initialization, forward and backward passes,
``predict``, the bare ``relu``)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import (
    activations,
    linear_forward,
    regularization,
)
from gradspec.reference import notebook as nb
from gradspec.reference.course import regularization as ref

from ..compare import Mismatch
from ._model import Call, Dialects, FunctionVersion, Invariant, first, gradients
from ._strategies import DTYPES, arrays, close, cost_differences, no_ties, shapes_of, three_layer
from .initialization import initialization_unseeded

ASSIGNMENT = "regularization"
TITLE = "Regularization"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset({"relu", "initialize_parameters", "forward_propagation", "backward_propagation", "predict"})
#: The versions this assignment's helper files (planar_utils, reg_utils, gc_utils, opt_utils)
#: define, where they are another assignment's.
HELPERS = {"sigmoid": "logistic:sigmoid", "compute_cost": "deep:compute_cost"}

_z = st.tuples(DTYPES, st.lists(st.integers(1, 5), min_size=1, max_size=2).map(tuple)).flatmap(
    lambda ds: arrays(ds[1], ds[0], 30.0)).map(lambda z: (z,))
_KEEP = st.one_of(st.just(1.0), st.floats(0.05, 1.0))


def _backward_gradient_check(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    X, Y, parameters = args
    _, cache = nb.forward_propagation(X, parameters)
    if min(float(np.min(np.abs(cache[0]))), float(np.min(np.abs(cache[4])))) < 1e-3:
        return None  # too close to a ReLU kink for finite differences to mean anything
    result = call("backward_propagation", X, Y, cache)
    return cost_differences(result, parameters, Y, lambda p: nb.forward_propagation(X, p)[1][8])


def _dropout_keep_one(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    X, _, parameters = args
    a3, path = first(call("forward_propagation_with_dropout", X, parameters, 1.0))
    return close(nb.forward_propagation(X, parameters)[0], a3, args, path="result" + path)


#: Big enough hidden layers that the keep rate is measured to about a percent.
_DROPOUT_SIZES = (3, 40, 30, 250)  # n0, n1, n2, m
_DROPOUT_KEEP = 0.7


def _dropout_unseeded(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    X, parameters, keep_prob = args
    result = call("forward_propagation_with_dropout", X, parameters, keep_prob)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], tuple | list)
            and len(result[1]) == 14):
        return Mismatch("fail", "result", "is not (A3, cache) with the 14-entry cache "
                        "(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)")
    cache = result[1]
    masks = []
    for index, (name, like) in enumerate(((1, "A1"), (6, "A2"))):
        D = np.asarray(cache[name])
        n = (_DROPOUT_SIZES[1 + index], _DROPOUT_SIZES[3])
        if D.shape != n or not np.all((D == 0) | (D == 1)):
            return Mismatch("fail", f"result[1][{name}]", f"the mask for {like} is not a 0/1 array of shape {n}")
        rate, sd = float(D.mean()), float(np.sqrt(keep_prob * (1 - keep_prob) / D.size))
        if abs(rate - keep_prob) > 6 * sd:
            return Mismatch("fail", "result", f"keeps {rate:.4f} of {like}'s units (the mean of the mask "
                            f"result[1][{name}]), expected keep_prob = {keep_prob} (+/- {6 * sd:.3f}): keep a unit "
                            "where rand < keep_prob", keep_prob, rate,
                            source=f"float(np.mean(np.asarray({{call}}[1][{name}])))")
        masks.append(D.astype(X.dtype))
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    A1 = regularization.inverted_dropout(activations.relu(linear_forward(W1, b1, X)), masks[0], keep_prob=keep_prob)
    A2 = regularization.inverted_dropout(activations.relu(linear_forward(W2, b2, A1)), masks[1],
                                         keep_prob=keep_prob)
    expected = activations.sigmoid(linear_forward(W3, b3, A2))
    found = close(expected, result[0], args, path="result[0]")
    if found:
        return Mismatch(found.kind, found.path, f"is not the forward pass through the function's own masks, each "
                        f"kept unit scaled by 1/keep_prob: {found.message}", found.expected, found.actual,
                        found.max_abs_error, found.max_rel_error)
    return None


def _dropout_unseeded_inputs() -> st.SearchStrategy[tuple]:
    n0, n1, n2, m = _DROPOUT_SIZES
    rng = np.random.RandomState(0)
    parameters = {k: rng.randn(*s) for k, s in shapes_of([n0, n1, n2, 1]).items()}
    return st.just((rng.randn(n0, m), parameters, _DROPOUT_KEEP))


def _backward_args(with_lambd: bool) -> st.SearchStrategy[tuple]:
    def build(xyp_l: tuple) -> tuple:
        (X, Y, parameters), lambd = xyp_l
        cache = nb.forward_propagation(X, parameters)[1]
        return (X, Y, cache, lambd) if with_lambd else (X, Y, cache)
    return st.tuples(three_layer(), st.floats(0.0, 5.0)).map(build)


def _dropout_backward_args(xyp_k: tuple) -> tuple:
    (X, Y, parameters), keep_prob = xyp_k
    return (X, Y, nb.forward_propagation_with_dropout(X, parameters, keep_prob)[1], keep_prob)


_three = three_layer()


def _tie() -> dict[str, np.ndarray]:
    """A network whose output is 0.5 exactly (W3 = 0, b3 = 0): predicted 0, not 1."""
    rng = np.random.RandomState(0)
    return {"W1": rng.randn(3, 2), "b1": rng.randn(3, 1), "W2": rng.randn(2, 3), "b2": rng.randn(2, 1),
            "W3": np.zeros((1, 2)), "b3": np.zeros((1, 1))}
_predict_inputs = _three.filter(lambda t: no_ties(nb.forward_propagation(t[0], t[2])[0]))

VERSIONS: tuple[FunctionVersion, ...] = (
    FunctionVersion("relu", ASSIGNMENT, ("x",), "relu", _z, ref.relu, "max(0, x), elementwise"),
    FunctionVersion("initialize_parameters", ASSIGNMENT, ("layer_dims",), "initialization",
                    st.lists(st.integers(1, 6), min_size=2, max_size=5).map(lambda d: (d,)),
                    ref.initialize_parameters, "reg_utils: weights randn / sqrt(n[l-1]) from np.random.seed(3)",
                    variant="scaled", dialect_rule="rng",
                    unseeded=initialization_unseeded("initialize_parameters", "xavier")),
    FunctionVersion("forward_propagation", ASSIGNMENT, ("X", "parameters"), "network",
                    _three.map(lambda t: (t[0], t[2])), ref.forward_propagation,
                    "LINEAR-RELU-LINEAR-RELU-LINEAR-SIGMOID, returns (a3, 12-entry cache)", read=first),
    FunctionVersion("backward_propagation", ASSIGNMENT, ("X", "Y", "cache"), "network", _backward_args(False),
                    ref.backward_propagation, "the 3-layer network's gradients from its 12-entry cache",
                    read=gradients,
                    invariants=(Invariant("gradient-check", "agrees with finite differences of the cost",
                                          three_layer(), _backward_gradient_check),)),
    FunctionVersion("predict", ASSIGNMENT, ("X", "y", "parameters"), "network",
                    _predict_inputs.map(lambda t: (t[0], t[1], t[2])), ref.predict,
                    "0/1 predictions a3 > 0.5 of the 3-layer network",
                    probes=((np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[1, 0]]), _tie()),)),
    FunctionVersion("compute_cost_with_regularization", ASSIGNMENT, ("A3", "Y", "parameters", "lambd"), "cost",
                    st.tuples(three_layer(), st.floats(0.0, 5.0)).map(
                        lambda t: (nb.forward_propagation(t[0][0], t[0][2])[0], t[0][1], t[0][2], t[1])),
                    ref.compute_cost_with_regularization, "cross-entropy + lambd / (2 m) sum ||W||^2",
                    flows={"cost": "dialect"}),
    FunctionVersion("backward_propagation_with_regularization", ASSIGNMENT, ("X", "Y", "cache", "lambd"),
                    "regularization", _backward_args(True), ref.backward_propagation_with_regularization,
                    "gradients plus lambd / m W on each dW", read=gradients),
    FunctionVersion("forward_propagation_with_dropout", ASSIGNMENT, ("X", "parameters", "keep_prob"), "dropout",
                    st.tuples(three_layer(), _KEEP).map(lambda t: (t[0][0], t[0][2], t[1])),
                    ref.forward_propagation_with_dropout,
                    "inverted dropout on both hidden layers, masks from np.random.seed(1)", read=first,
                    dialect_rule="rng",
                    invariants=(Invariant("keep-prob-one", "dropout with keep_prob = 1 is the identity",
                                          three_layer(), _dropout_keep_one),),
                    unseeded=Invariant("masks", "0/1 masks keeping keep_prob of the units, the kept ones scaled "
                                       "by 1/keep_prob", _dropout_unseeded_inputs(), _dropout_unseeded)),
    FunctionVersion("backward_propagation_with_dropout", ASSIGNMENT, ("X", "Y", "cache", "keep_prob"), "dropout",
                    st.tuples(three_layer(), _KEEP).map(_dropout_backward_args),
                    ref.backward_propagation_with_dropout, "gradients through the forward pass's masks",
                    read=gradients),
)
