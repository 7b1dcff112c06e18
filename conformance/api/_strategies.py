"""Hypothesis strategies shared by the assignments: arrays, networks, hyperparameters over
their whole domains with their edges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..compare import Mismatch, compare, input_scale, leaves

__all__ = [
    "BETAS",
    "DTYPES",
    "EPSILONS",
    "FINITE_DIFFERENCE_ATOL",
    "LEARNING_RATES",
    "SCALES",
    "STEPS",
    "arrays",
    "close",
    "disagreement",
    "labels",
    "layer_dims",
    "network",
    "no_ties",
    "shapes_of",
    "three_layer",
    "uses_float32",
]

DTYPES = st.sampled_from([np.float64, np.float32])
#: Magnitudes for gradients and states: zero and huge included.
SCALES = st.sampled_from([0.0, 1e-6, 1e-3, 1.0, 1e3])
BETAS = st.one_of(st.just(0.0), st.just(0.9), st.just(0.999), st.floats(0.0, 0.999))
LEARNING_RATES = st.one_of(st.just(0.0), st.just(0.01), st.floats(0.0, 1.0))
#: Epsilon from tiny to comparable with sqrt(s): where the epsilon dialects part.
EPSILONS = st.one_of(st.sampled_from([1e-12, 1e-8, 1e-4, 1e-2, 1.0]), st.floats(1e-10, 10.0))
WEIGHT_DECAYS = st.one_of(st.just(0.0), st.just(0.01), st.floats(0.0, 1.0))
STEPS = st.one_of(st.just(1), st.integers(1, 10), st.integers(1, 10_000))


def uses_float32(args: object) -> bool:
    """Whether any float array among the arguments is float32 (then float32 tolerances)."""
    return any(isinstance(item, np.ndarray) and item.dtype == np.float32 for item in leaves(args))


def close(expected: Any, actual: Any, args: tuple, path: str = "result") -> Mismatch | None:
    """:func:`compare` with the tolerances ``args`` call for."""
    return compare(expected, actual, float32=uses_float32(args), scale=input_scale(args), path=path)


@st.composite
def arrays(draw, shape: tuple[int, ...], dtype=np.float64, scale: float = 1.0, *,
           nonnegative: bool = False) -> np.ndarray:
    low = 0.0 if nonnegative else -1.0
    values = draw(hnp.arrays(np.float64, shape, elements=st.floats(low, 1.0, width=32)))
    return (values * scale).astype(dtype)


def labels(m: int) -> st.SearchStrategy[np.ndarray]:
    """0/1 labels of shape ``(1, m)``."""
    return hnp.arrays(np.int64, (1, m), elements=st.integers(0, 1))


@st.composite
def layer_dims(draw, min_layers: int = 1, max_layers: int = 4) -> list[int]:
    layers = draw(st.integers(min_layers, max_layers))
    return [draw(st.integers(1, 4)) for _ in range(layers + 1)]


def shapes_of(dims: list[int]) -> dict[str, tuple[int, int]]:
    """``{"W1": (n1, n0), "b1": (n1, 1), ...}``."""
    shapes = {}
    for layer in range(1, len(dims)):
        shapes[f"W{layer}"] = (dims[layer], dims[layer - 1])
        shapes[f"b{layer}"] = (dims[layer], 1)
    return shapes


@st.composite
def network(draw, *, states: int = 0, nonnegative_states: tuple[int, ...] = (), layers: int | None = None) -> tuple:
    """(parameters, grads, state_1, ..., state_n) with 1-4 layers (or ``layers``) and one dtype."""
    dtype = draw(DTYPES)
    dims = draw(layer_dims() if layers is None else layer_dims(layers, layers))
    shapes = shapes_of(dims)
    parameters = {k: draw(arrays(s, dtype, draw(st.sampled_from([1.0, 10.0])))) for k, s in shapes.items()}
    grad_scale = draw(SCALES)
    grads = {f"d{k}": draw(arrays(s, dtype, grad_scale)) for k, s in shapes.items()}
    out = [parameters, grads]
    for i in range(states):
        scale = draw(SCALES)
        nonneg = i in nonnegative_states
        out.append({f"d{k}": draw(arrays(s, dtype, scale**2 if nonneg else scale, nonnegative=nonneg))
                    for k, s in shapes.items()})
    return tuple(out)


@st.composite
def three_layer(draw, *, dtype=np.float64, dims: tuple[int, ...] | None = None
                ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(X, Y, parameters) for the LINEAR-RELU-LINEAR-RELU-LINEAR-SIGMOID network."""
    n0, n1, n2 = dims[:3] if dims else (draw(st.integers(1, 4)) for _ in range(3))
    m = draw(st.integers(1, 4))
    parameters = {k: draw(arrays(s, dtype, 2.0)) for k, s in shapes_of([n0, n1, n2, 1]).items()}
    X = draw(arrays((n0, m), dtype, 3.0))
    Y = draw(labels(m))
    return X, Y, parameters


def no_ties(a: np.ndarray) -> bool:
    """Whether no probability is within rounding of the 0.5 threshold: generated inputs keep
    away from it (a last-bit difference in a must not flip a prediction); the probes test a
    = 0.5 exactly, where the notebooks' ``a > 0.5`` predicts 0."""
    return bool(np.all(np.abs(np.asarray(a, dtype=np.float64) - 0.5) > 1e-9))


#: Finite differences with epsilon = 1e-6 carry rounding noise of about 1e-10 |J|: gradients
#: closer than this to the differences agree, whatever their relative difference (a zero
#: gradient against differences of 5e-11 is a relative difference of 1).
FINITE_DIFFERENCE_ATOL = 1e-7


def disagreement(got: np.ndarray, approx: np.ndarray, rtol: float) -> float | None:
    """The relative difference of a gradient and its finite differences where it exceeds
    ``rtol`` and the entries differ by more than :data:`FINITE_DIFFERENCE_ATOL`; else None."""
    from gradspec.reference import relative_difference

    difference = relative_difference(got, approx)
    if difference > rtol and float(np.max(np.abs(got - approx), initial=0.0)) > FINITE_DIFFERENCE_ATOL:
        return difference
    return None


def raveled(keys: list[str]) -> str:
    """The counterexample's expression for a backward pass's dW and db entries, raveled in
    the order of ``keys`` (its Mismatch's ``source``)."""
    parts = ", ".join(f"np.ravel({{call}}[{f'd{k}'!r}])" for k in keys)
    return f"np.concatenate([{parts}]).astype(float)"


def cost_differences(result: Any, parameters: dict[str, np.ndarray], Y: np.ndarray,
                     logits: Callable[[dict[str, np.ndarray]], np.ndarray]) -> Mismatch | None:
    """A backward pass's ``result`` against two-sided differences of the cost in every
    parameter: the logit form of the cross-entropy of ``logits(parameters)`` (finite
    differences of log(1 - a) are noise once a rounds to 1)."""
    from gradspec.reference import binary_cross_entropy_with_logits, two_sided_difference

    from ._model import gradients

    grads, _ = gradients(result)
    keys = list(parameters)
    missing = [f"d{k}" for k in keys if not isinstance(grads, dict) or f"d{k}" not in grads]
    if missing:
        found = sorted(map(str, result)) if isinstance(result, dict) else type(result).__name__
        return Mismatch("fail", "result", f"has no {', '.join(missing)} (keys: {found})")
    try:
        got = np.concatenate([np.asarray(grads[f"d{k}"], dtype=np.float64).ravel() for k in keys])
    except (TypeError, ValueError) as exc:
        return Mismatch("fail", "result", f"does not hold one array per parameter ({exc})")

    def cost(theta: np.ndarray) -> float:
        unflat, offset = {}, 0
        for k in keys:
            unflat[k] = theta[offset:offset + parameters[k].size].reshape(parameters[k].shape)
            offset += parameters[k].size
        return binary_cross_entropy_with_logits(logits(unflat), Y)

    approx = two_sided_difference(cost, np.concatenate([parameters[k].ravel() for k in keys]), epsilon=1e-6)
    if got.shape != approx.shape:
        return Mismatch("fail", "result", f"holds {got.size} gradient entries for {approx.size} parameters")
    difference = disagreement(got, approx, 1e-5)
    if difference is not None:
        return Mismatch("fail", "result", f"disagrees with finite differences of the cost: relative difference "
                        f"{difference:.3g} > 1e-5 (gradient checking)", approx, got, source=raveled(keys))
    return None
