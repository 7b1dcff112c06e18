"""Building your deep neural network, step by step (seed 002), with the course's ``dnn_utils``
activations (which return ``(A, cache)``) and their backward functions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import activations, two_sided_difference
from gradspec.reference.course import deep as ref

from ..compare import Mismatch
from ..seeds import optimizer_test_case
from ._model import Call, Dialects, FunctionVersion, Invariant, first, gradients
from ._strategies import DTYPES, LEARNING_RATES, arrays, cost_differences, disagreement, labels, network, shapes_of
from .initialization import initialization_unseeded

ASSIGNMENT = "deep"
TITLE = "Building your deep neural network, step by step"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset({"sigmoid", "relu", "sigmoid_backward", "relu_backward"})

_shapes = st.lists(st.integers(1, 5), min_size=1, max_size=2).map(tuple)
_z = st.tuples(DTYPES, _shapes).flatmap(lambda ds: arrays(ds[1], ds[0], 30.0)).map(lambda z: (z,))
_dA_Z = st.tuples(DTYPES, _shapes).flatmap(lambda ds: st.tuples(arrays(ds[1], ds[0], 5.0),
                                                                arrays(ds[1], ds[0], 5.0)))
_with_zero_z = st.tuples(DTYPES, _shapes).flatmap(
    lambda ds: st.tuples(arrays(ds[1], ds[0], 5.0), arrays(ds[1], ds[0], 5.0).map(
        lambda z: np.where(np.abs(z) < 1.0, 0.0, z).astype(z.dtype))))
costs = st.integers(1, 8).flatmap(lambda m: st.tuples(
    arrays((1, m), np.float64, 8.0).map(activations.sigmoid).filter(lambda a: bool(np.all((a > 0) & (a < 1)))),
    labels(m)))


def sigmoid_symmetry(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    """sigmoid(-z) = 1 - sigmoid(z), for the bare and the ``(A, cache)`` sigmoid alike."""
    (z,) = args
    left, path = first(call("sigmoid", -z))
    right = 1 - np.asarray(first(call("sigmoid", z))[0], dtype=np.float64)
    left = np.asarray(left, dtype=np.float64)
    atol = 4 * float(np.finfo(z.dtype).eps)
    if left.shape != z.shape:
        return Mismatch("fail", "result" + path, f"has shape {left.shape}, expected {z.shape}", right, left, source=0)
    if np.any(np.abs(left - right) > atol):
        worst = float(np.max(np.abs(left - right)))
        return Mismatch("fail", "result" + path, f"sigmoid(-z) differs from 1 - sigmoid(z) by {worst:.3g} "
                        f"(more than {atol:.2g})", right, left, source=0)
    return None


def finite_differences(name: str, forward: Callable[..., np.ndarray], *, with_dA: bool = True
                       ) -> Callable[[Call, tuple, Dialects], Mismatch | None]:
    """``name(dA = 1, Z)`` (``name(Z)`` for a gradient without ``dA``) agrees with two-sided
    differences of the reference's ``forward`` at relative difference 1e-6 (never the target's own
    forward function: a wrong one would be blamed on this one). ``args`` are ``(Z, *extra)``, the
    extra ones (leaky ReLU's alpha) passed to both. ``call`` is a notebook target's or a protocol
    client's (:class:`gradspec.conformance.op_invariants.OpCall`)."""
    def check(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
        Z, *extra = args
        got = call(name, np.ones_like(Z), Z, *extra) if with_dA else call(name, Z, *extra)
        dZ = np.asarray(got, dtype=np.float64)
        approx = two_sided_difference(lambda x: float(np.sum(forward(x, *extra))), Z, epsilon=1e-6)
        if dZ.shape != Z.shape:
            return Mismatch("fail", "result", f"has shape {dZ.shape}, expected {Z.shape}", approx, dZ)
        difference = disagreement(dZ, approx, 1e-6)
        if difference is not None:
            return Mismatch("fail", "result", f"disagrees with finite differences of the forward function: "
                            f"relative difference {difference:.3g} > 1e-6 (gradient checking)", approx, dZ)
        return None
    return check


@st.composite
def _layer(draw, dtype=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A_prev, W, b) of one layer."""
    dtype = dtype or draw(DTYPES)
    n_prev, n, m = (draw(st.integers(1, 4)) for _ in range(3))
    return (draw(arrays((n_prev, m), dtype, 3.0)), draw(arrays((n, n_prev), dtype, 2.0)),
            draw(arrays((n, 1), dtype, 2.0)))


_ACTIVATION = st.sampled_from(["relu", "sigmoid"])


def _activation_cache(layer_and_activation: tuple) -> tuple:
    (A_prev, W, b), activation = layer_and_activation
    _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
    return cache, activation


@st.composite
def _activation_backward_args(draw) -> tuple:
    cache, activation = _activation_cache((draw(_layer()), draw(_ACTIVATION)))
    Z = cache[1]
    return draw(arrays(Z.shape, Z.dtype, 3.0)), cache, activation


@st.composite
def _deep_network(draw) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(X, Y, parameters) of an L-layer network whose output stays inside [0.01, 0.99]."""
    dtype = draw(DTYPES)
    dims = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 4)))] + [1]
    m = draw(st.integers(1, 4))
    parameters = {k: draw(arrays(s, dtype, 0.7)) for k, s in shapes_of(dims).items()}
    X = draw(arrays((dims[0], m), dtype, 1.5))
    return X, draw(labels(m)), parameters


def _backward_inputs(t: tuple) -> tuple:
    X, Y, parameters = t
    AL, caches = ref.L_model_forward(X, parameters)
    return AL, Y, caches


def _inside(t: tuple) -> bool:
    return bool(np.all((t[0] > 0.01) & (t[0] < 0.99)))


def _l_model_gradient_check(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    X, Y, parameters = args
    X, parameters = X.astype(np.float64), {k: v.astype(np.float64) for k, v in parameters.items()}
    AL, caches = ref.L_model_forward(X, parameters)
    if any(float(np.min(np.abs(cache[1]))) < 1e-3 for cache in caches[:-1]):
        return None  # too close to a ReLU kink for finite differences to mean anything
    result = call("L_model_backward", AL, Y, caches)
    return cost_differences(result, parameters, Y, lambda p: ref.L_model_forward(X, p)[1][-1][1])


_deep = _deep_network().filter(lambda t: _inside(ref.L_model_forward(t[0], t[2])))
_gd_inputs = st.tuples(network(), LEARNING_RATES).map(lambda t: (*t[0], t[1]))
_relu_probe = ((np.array([[1.0, -2.0, 3.0]]), np.array([[0.0, 1.0, -1.0]])),)

VERSIONS: tuple[FunctionVersion, ...] = (
    FunctionVersion("sigmoid", ASSIGNMENT, ("Z",), "sigmoid", _z, ref.sigmoid,
                    "dnn_utils: returns (A, cache) with A = 1/(1 + exp(-Z)), cache = Z", variant="with-cache",
                    invariants=(Invariant("symmetry", "sigmoid(-z) = 1 - sigmoid(z)", _z, sigmoid_symmetry),)),
    FunctionVersion("relu", ASSIGNMENT, ("Z",), "relu", _z, ref.relu,
                    "dnn_utils: returns (A, cache) with A = max(0, Z), cache = Z", variant="with-cache"),
    FunctionVersion("sigmoid_backward", ASSIGNMENT, ("dA", "cache"), "sigmoid", _dA_Z, ref.sigmoid_backward,
                    "dZ = dA sigmoid(Z) (1 - sigmoid(Z)) with cache = Z",
                    invariants=(Invariant("finite-differences", "agrees with finite differences of sigmoid",
                                          arrays((3, 2), np.float64, 5.0).map(lambda z: (z,)),
                                          finite_differences("sigmoid_backward", activations.sigmoid)),)),
    FunctionVersion("relu_backward", ASSIGNMENT, ("dA", "cache"), "relu", _with_zero_z, ref.relu_backward,
                    "dZ = dA where Z > 0, else 0", dialect_rule="relu-grad", probes=_relu_probe,
                    invariants=(Invariant("finite-differences", "agrees with finite differences of relu away "
                                          "from 0", arrays((3, 2), np.float64, 5.0).filter(
                                              lambda z: bool(np.all(np.abs(z) > 1e-3))).map(lambda z: (z,)),
                                          finite_differences("relu_backward", activations.relu)),)),
    FunctionVersion("initialize_parameters", ASSIGNMENT, ("n_x", "n_h", "n_y"), "initialization",
                    st.tuples(*(st.integers(1, 6),) * 3), ref.initialize_parameters,
                    "two-layer model: weights randn * 0.01 from np.random.seed(1)", variant="two-layer",
                    dialect_rule="rng", unseeded=initialization_unseeded(
                        "initialize_parameters", "random-x0.01", as_args=tuple)),
    FunctionVersion("initialize_parameters_deep", ASSIGNMENT, ("layer_dims",), "initialization",
                    st.lists(st.integers(1, 6), min_size=2, max_size=5).map(lambda d: (d,)),
                    ref.initialize_parameters_deep, "weights randn * 0.01 from np.random.seed(3)",
                    dialect_rule="rng",
                    unseeded=initialization_unseeded("initialize_parameters_deep", "random-x0.01")),
    FunctionVersion("linear_forward", ASSIGNMENT, ("A", "W", "b"), "layers", _layer(), ref.linear_forward,
                    "(Z, (A, W, b)) with Z = W A + b"),
    FunctionVersion("linear_activation_forward", ASSIGNMENT, ("A_prev", "W", "b", "activation"), "layers",
                    st.tuples(_layer(), _ACTIVATION).map(lambda t: (*t[0], t[1])), ref.linear_activation_forward,
                    "(A, ((A_prev, W, b), Z)) with A = g(W A_prev + b)"),
    FunctionVersion("L_model_forward", ASSIGNMENT, ("X", "parameters"), "layers",
                    _deep_network().map(lambda t: (t[0], t[2])), ref.L_model_forward,
                    "[LINEAR-RELU] x (L-1), LINEAR-SIGMOID; returns (AL, caches)"),
    FunctionVersion("compute_cost", ASSIGNMENT, ("AL", "Y"), "cost", costs, ref.compute_cost,
                    "the mean cross-entropy of AL against Y", dialect_rule="cost",
                    probes=((np.array([[0.8, 0.4, 0.9]]), np.array([[1, 0, 1]])),)),
    FunctionVersion("linear_backward", ASSIGNMENT, ("dZ", "cache"), "layers",
                    _layer().flatmap(lambda c: st.tuples(arrays((c[1].shape[0], c[0].shape[1]), c[0].dtype, 3.0),
                                                         st.just(c))),
                    ref.linear_backward, "(dA_prev, dW, db): dW = dZ A_prev^T / m, db = mean of dZ, "
                    "dA_prev = W^T dZ"),
    FunctionVersion("linear_activation_backward", ASSIGNMENT, ("dA", "cache", "activation"), "layers",
                    _activation_backward_args(), ref.linear_activation_backward,
                    "(dA_prev, dW, db) through g' and the linear layer", dialect_rule="relu-grad"),
    FunctionVersion("L_model_backward", ASSIGNMENT, ("AL", "Y", "caches"), "layers", _deep.map(_backward_inputs),
                    ref.L_model_backward, "the L-layer network's gradients, dW1 .. dWL and db1 .. dbL",
                    read=gradients, dialect_rule="relu-grad",
                    invariants=(Invariant("gradient-check", "agrees with finite differences of the cost", _deep,
                                          _l_model_gradient_check),)),
    FunctionVersion("update_parameters", ASSIGNMENT, ("parameters", "grads", "learning_rate"), "gd", _gd_inputs,
                    ref.update_parameters, "one gradient-descent step on every layer",
                    probes=((*optimizer_test_case(), 0.01),)),
)

__all__ = ["ASSIGNMENT", "TITLE", "VERSIONS", "costs", "finite_differences", "sigmoid_symmetry"]
