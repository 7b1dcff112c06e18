"""Gradient checking (seed 002): the 1-D model J = theta x, and the N-dimensional check of
the 3-layer network (layers 4, 5, 3, 1, as the assignment's vector helpers hard-code)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import notebook as nb
from gradspec.reference.course import gradient_checking as ref

from ..compare import Mismatch
from ._model import Call, Dialects, FunctionVersion, Invariant, first, gradients
from ._strategies import close, three_layer

ASSIGNMENT = "gradient_checking"
TITLE = "Gradient checking"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset({"forward_propagation_n", "backward_propagation_n", "dictionary_to_vector", "vector_to_dictionary",
                      "gradients_to_vector"})
#: The versions this assignment's helper files (planar_utils, reg_utils, gc_utils, opt_utils)
#: define, where they are another assignment's.
HELPERS = {"sigmoid": "logistic:sigmoid", "relu": "regularization:relu"}

_reals = st.tuples(st.floats(-10, 10), st.floats(-10, 10))
_net = three_layer(dims=ref.LAYER_DIMS)
#: The assignment's threshold: above it, gradient_check_n reports a mistake.
THRESHOLD = 2e-7


def _gradient_check_small(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    x, theta = args
    value = call("gradient_check", x, theta)
    try:
        number = float(np.asarray(value))
    except (TypeError, ValueError):
        return Mismatch("fail", "result", f"is a {type(value).__name__}, expected a number")
    if not (0 <= number < 1e-7):
        return Mismatch("fail", "result", f"is the relative difference {number!r} for J = theta x, whose gradient "
                                          "x is exact: expected a value in [0, 1e-7)", None, number)
    return None


def _well_conditioned(t: tuple) -> bool:
    """Away from ReLU kinks, from outputs near 0 or 1 (where the cost's finite differences are
    noise) and from all-zero gradients (where the course's ||g - g'|| / (||g|| + ||g'||) is
    0/0): where the exact gradients' relative difference is far below the threshold."""
    X, Y, parameters = t
    cache = nb.forward_propagation(X, parameters)[1]
    a3 = cache[9]
    grads = ref.gradients_to_vector(ref.backward_propagation_n(X, Y, cache))
    return (min(float(np.min(np.abs(cache[0]))), float(np.min(np.abs(cache[4])))) > 1e-3
            and bool(np.all((a3 > 0.01) & (a3 < 0.99)))
            and float(np.linalg.norm(grads)) > 1e-3)  # 0/0 where every gradient is 0: undefined


def _check_n_right(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    X, Y, parameters = args
    grads = ref.backward_propagation_n(X, Y, ref.forward_propagation_n(X, Y, parameters)[1])
    value = call("gradient_check_n", parameters, grads, X, Y)
    number = float(np.asarray(value))
    if not (0 <= number < THRESHOLD):
        return Mismatch("fail", "result", f"is {number!r} for the exact gradients: expected a relative difference "
                        f"in [0, {THRESHOLD:g}) (the reference computes "
                        f"{ref.gradient_check_n(parameters, grads, X, Y):.3g})", None, number)
    return None


def _check_n_wrong(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    X, Y, parameters = args
    grads = ref.backward_propagation_n(X, Y, ref.forward_propagation_n(X, Y, parameters)[1])
    grads = {**grads, "dW2": grads["dW2"] * 2 + 0.5}  # the assignment's kind of bug, made large
    value = call("gradient_check_n", parameters, grads, X, Y)
    expected = ref.gradient_check_n(parameters, grads, X, Y)
    found = close(expected, value, args)
    if found is None:
        return None
    return Mismatch("fail", "result", f"is {float(np.asarray(value))!r} for gradients with dW2 wrong: the relative "
                    f"difference ||grad - gradapprox|| / (||grad|| + ||gradapprox||) is {expected!r}",
                    expected, value, found.max_abs_error, found.max_rel_error)


def _backward_n_args(t: tuple) -> tuple:
    X, Y, parameters = t
    return X, Y, ref.forward_propagation_n(X, Y, parameters)[1]


_vector = st.builds(lambda seed: np.random.RandomState(seed).randn(47, 1), st.integers(0, 2**16))

VERSIONS: tuple[FunctionVersion, ...] = (
    FunctionVersion("forward_propagation", ASSIGNMENT, ("x", "theta"), "gradient checking", _reals,
                    ref.forward_propagation, "J = theta x", variant="1-D"),
    FunctionVersion("backward_propagation", ASSIGNMENT, ("x", "theta"), "gradient checking", _reals,
                    ref.backward_propagation, "dJ/dtheta = x", variant="1-D"),
    FunctionVersion("gradient_check", ASSIGNMENT, ("x", "theta"), "gradient checking",
                    st.tuples(st.just(1.0), st.just(1.0)), ref.gradient_check,
                    "the relative difference between x and two-sided differences of theta x", differential=False,
                    invariants=(Invariant("small-for-exact-gradient", "the relative difference is below 1e-7 "
                                          "for J = theta x",
                                          st.tuples(st.floats(-10, 10).filter(lambda x: abs(x) > 1e-3),
                                                    st.floats(-10, 10)), _gradient_check_small),)),
    FunctionVersion("forward_propagation_n", ASSIGNMENT, ("X", "Y", "parameters"), "gradient checking",
                    _net.map(lambda t: (t[0], t[1], t[2])), ref.forward_propagation_n,
                    "(cost, cache) of the 3-layer network"),
    FunctionVersion("backward_propagation_n", ASSIGNMENT, ("X", "Y", "cache"), "gradient checking",
                    _net.map(_backward_n_args), ref.backward_propagation_n,
                    "the 3-layer network's gradients (the assignment ships this one with two planted bugs)",
                    read=gradients),
    FunctionVersion("gradient_check_n", ASSIGNMENT, ("parameters", "gradients", "X", "Y"), "gradient checking",
                    _net, ref.gradient_check_n, "the relative difference of gradients and two-sided differences",
                    differential=False,
                    invariants=(
                        Invariant("exact-gradients-pass", f"below {THRESHOLD:g} for the exact gradients",
                                  _net.filter(_well_conditioned), _check_n_right),
                        Invariant("wrong-gradients-measured", "for wrong gradients, the relative difference the "
                                  "reference computes", _net.filter(_well_conditioned), _check_n_wrong),
                    )),
    FunctionVersion("dictionary_to_vector", ASSIGNMENT, ("parameters",), "gradient checking",
                    _net.map(lambda t: (t[2],)), ref.dictionary_to_vector,
                    "(theta, keys): W1, b1, ..., b3 raveled into one column", read=first),
    FunctionVersion("vector_to_dictionary", ASSIGNMENT, ("theta",), "gradient checking", _vector.map(lambda v: (v,)),
                    ref.vector_to_dictionary, "the column back into W1 (5, 4), b1 (5, 1), ..., b3 (1, 1)"),
    FunctionVersion("gradients_to_vector", ASSIGNMENT, ("gradients",), "gradient checking",
                    _net.map(lambda t: ({f"d{k}": v for k, v in t[2].items()},)), ref.gradients_to_vector,
                    "dW1, db1, ..., db3 raveled into one column"),
)
