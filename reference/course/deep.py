"""Building your deep neural network, step by step (seed 002, course 1, week 4), with the
course's ``dnn_utils`` activations.

[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, examples as columns. Each layer keeps a
cache ``((A_prev, W, b), Z)`` for its backward pass; the activations return ``(A, Z)``.
The linear backward pass takes the per-example :math:`dZ = \\partial L/\\partial Z` and
averages: :math:`dW = \\frac{1}{m}dZ\\,A_{prev}^T`, :math:`db = \\frac{1}{m}\\sum_i dZ_i`,
:math:`dA_{prev} = W^T dZ` (the spec's ``layers`` family).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .. import activations, losses
from .. import notebook as nb
from .._overflow import past_range
from .._validate import caller_names, check_dialect, float_array, integer, labels, same_shape
from ..initialization import initialize_dense
from ..layers import linear_backward as _linear_backward
from ..layers import linear_forward as _linear_forward

__all__ = ["L_model_backward", "L_model_forward", "compute_cost", "initialize_parameters",
           "initialize_parameters_deep", "linear_activation_backward", "linear_activation_forward",
           "linear_backward", "linear_forward", "relu", "relu_backward", "sigmoid", "sigmoid_backward",
           "update_parameters"]

LinearCache = tuple[np.ndarray, np.ndarray, np.ndarray]
Cache = tuple[LinearCache, np.ndarray]


# --- dnn_utils: activations that return (A, cache) ----------------------------------------

def sigmoid(Z: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""``(A, Z)`` with :math:`A = 1/(1 + e^{-Z})`; ``Z`` is the cache for :func:`sigmoid_backward`."""
    Z = float_array("Z", Z)
    return activations.sigmoid(Z), Z


def relu(Z: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""``(A, Z)`` with :math:`A = \max(0, Z)`."""
    Z = float_array("Z", Z)
    return activations.relu(Z), Z


def sigmoid_backward(dA: ArrayLike, cache: ArrayLike) -> np.ndarray:
    r""":math:`dZ = dA\,\sigma(Z)(1 - \sigma(Z))` with ``cache = Z``."""
    with caller_names(Z="cache"):
        return activations.sigmoid_backward(dA, cache)


def relu_backward(dA: ArrayLike, cache: ArrayLike, *, dialect: str = "zero-at-zero") -> np.ndarray:
    r""":math:`dZ = dA` where :math:`Z > 0`, else 0 (``dialect="one-at-zero"``: also at 0)."""
    with caller_names(Z="cache"):
        return activations.relu_backward(dA, cache, dialect=dialect)


# --- initialization -------------------------------------------------------------------------

def initialize_parameters(n_x: int, n_h: int, n_y: int) -> dict[str, np.ndarray]:
    r"""The two-layer model's :math:`W^{[l]} = 0.01\,\mathcal{N}(0, 1)` from
    ``np.random.RandomState(1)`` (W1, then W2), :math:`b^{[l]} = 0`."""
    dims = [integer(name, n, domain="n_in") for name, n in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y))]
    return initialize_dense(dims, scheme="random-x0.01", rng=np.random.RandomState(1))


def initialize_parameters_deep(layer_dims: Sequence[int]) -> dict[str, np.ndarray]:
    r""":math:`W^{[l]} = 0.01\,\mathcal{N}(0, 1)` of shape ``(n[l], n[l-1])`` from
    ``np.random.RandomState(3)``, layer by layer; :math:`b^{[l]} = 0`."""
    return initialize_dense(layer_dims, scheme="random-x0.01", rng=np.random.RandomState(3))


# --- forward --------------------------------------------------------------------------------

def linear_forward(A: ArrayLike, W: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, LinearCache]:
    r"""``(Z, (A, W, b))`` with :math:`Z = WA + b`."""
    return _linear("linear_forward", ("A", "W", "b"), A, W, b)


def _linear(caller: str, names: tuple[str, str, str], A: ArrayLike, W: ArrayLike, b: ArrayLike
            ) -> tuple[np.ndarray, LinearCache]:
    """``(Z, (A, W, b))`` for a ``caller`` that calls its arguments ``names``."""
    A, W, b = (float_array(name, value) for name, value in zip(names, (A, W, b), strict=True))
    _check_layer(names, A, W, b)
    with past_range(caller, f"Z = {names[1]} {names[0]} + {names[2]}", dict(zip(names, (A, W, b), strict=True))):
        return _linear_forward(W, b, A), (A, W, b)


def _check_layer(names: tuple[str, str, str], A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> None:
    """A layer's ``(A_prev, W, b)``, as the caller names them, line up: A_prev is n[l-1] x m, W is
    n[l] x n[l-1], b a column of n[l]."""
    a, w, bias = names
    if A_prev.ndim != 2:
        raise ValueError(f"{a} must be 2-D, n[l-1] x m with one example per column; got shape {A_prev.shape}. "
                         f"A single example is a column: reshape it with .reshape(-1, 1).")
    if W.ndim != 2:
        raise ValueError(f"{w} must be 2-D, n[l] x n[l-1]; got shape {W.shape}.")
    if W.shape[1] != A_prev.shape[0]:
        raise ValueError(f"{a} has {A_prev.shape[0]} rows but {w} has {W.shape[1]} columns; they must agree: {w} is "
                         f"n[l] x n[l-1] and {a} is n[l-1] x m (here {w} {W.shape}, {a} {A_prev.shape}).")
    if b.shape != (W.shape[0], 1):
        raise ValueError(f"{bias} must be a column of shape {(W.shape[0], 1)} to match {w} {W.shape}; got "
                         f"{b.shape}{f'. Reshape it with .reshape({W.shape[0]}, 1)' if b.size == W.shape[0] else ''}.")


def _described(value: object) -> str:
    return type(value).__name__ + (f" of length {len(value)}" if isinstance(value, Sequence) else "")


_ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu}


def _activation(activation: object) -> str:
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be 'sigmoid' or 'relu'; got {activation!r}.")
    return str(activation)


def linear_activation_forward(A_prev: ArrayLike, W: ArrayLike, b: ArrayLike,
                              activation: str) -> tuple[np.ndarray, Cache]:
    r"""``(A, ((A_prev, W, b), Z))`` with :math:`A = g(W A_{prev} + b)`, ``g`` the ``"sigmoid"`` or
    ``"relu"`` activation."""
    g = _ACTIVATIONS[_activation(activation)]
    Z, linear_cache = _linear("linear_activation_forward", ("A_prev", "W", "b"), A_prev, W, b)
    A, Z = g(Z)
    return A, (linear_cache, Z)


def L_model_forward(X: ArrayLike, parameters: Mapping[str, ArrayLike]) -> tuple[np.ndarray, list[Cache]]:
    """``(AL, caches)``: ReLU layers 1 to L-1, a sigmoid layer L; ``caches[l-1]`` is layer l's."""
    keys = nb._layers(parameters)
    L = len(keys) // 2
    A = nb._network(X, [np.asarray(parameters[k]) for k in keys])
    caches = []
    with past_range("L_model_forward", "a layer's Z = W A + b", lambda: {"X": X, "parameters": parameters}):
        for layer in range(1, L + 1):
            A, cache = linear_activation_forward(A, parameters[f"W{layer}"], parameters[f"b{layer}"],
                                                 "sigmoid" if layer == L else "relu")
            caches.append(cache)
    return A, caches


def compute_cost(AL: ArrayLike, Y: ArrayLike, *, dialect: losses.Reduction = "mean") -> float:
    r"""The cross-entropy cost :math:`-\frac{1}{m}\sum_i y_i\log a_i + (1-y_i)\log(1-a_i)`
    (``dialect="sum"``: without the :math:`1/m`)."""
    return nb._cross_entropy(AL, Y, dialect, "AL")


# --- backward -------------------------------------------------------------------------------

def _linear_cache(cache: Any, name: str) -> LinearCache:
    """A layer's ``(A_prev, W, b)`` cache, checked: float arrays that line up, with examples."""
    if isinstance(cache, str) or not isinstance(cache, Sequence) or len(cache) != 3:
        raise ValueError(f"{name} must be the (A_prev, W, b) tuple linear_forward returns; got {_described(cache)}.")
    parts = tuple(float_array(f"{name}[{i}]", part) for i, part in enumerate(cache))
    _check_layer((f"{name}[0]", f"{name}[1]", f"{name}[2]"), *parts)
    if parts[0].shape[1] == 0:
        raise ValueError(f"{name}[0] (A_prev) has no examples (0 columns): the gradients average over them.")
    return parts  # type: ignore[return-value]


def _layer_cache(cache: Any, name: str) -> tuple[LinearCache, np.ndarray]:
    """A layer's ``((A_prev, W, b), Z)`` cache, checked: Z is n[l] x m."""
    if isinstance(cache, str) or not isinstance(cache, Sequence) or len(cache) != 2:
        raise ValueError(f"{name} must be the ((A_prev, W, b), Z) pair linear_activation_forward returns; got "
                         f"{_described(cache)}.")
    linear_cache = _linear_cache(cache[0], f"{name}[0]")
    Z = float_array(f"{name}[1]", cache[1])
    shape = (linear_cache[1].shape[0], linear_cache[0].shape[1])
    if Z.shape != shape:
        raise ValueError(f"{name}[1] (Z) has shape {Z.shape} but must be {shape}: {name}[0][1] (W) has {shape[0]} "
                         f"rows and {name}[0][0] (A_prev) {shape[1]} columns.")
    return linear_cache, Z


def linear_backward(dZ: ArrayLike, cache: LinearCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(dA_prev, dW, db)`` for the per-example ``dZ``: :math:`dW = \frac{1}{m}dZ\,A_{prev}^T`,
    :math:`db = \frac{1}{m}\sum_i dZ_i`, :math:`dA_{prev} = W^T dZ`; ``cache = (A_prev, W, b)``."""
    A_prev, W, _ = _linear_cache(cache, "cache")
    dZ = float_array("dZ", dZ)
    if dZ.shape != (W.shape[0], A_prev.shape[1]):
        raise ValueError(f"dZ must have shape {(W.shape[0], A_prev.shape[1])}, cache[1] (W)'s rows by cache[0] "
                         f"(A_prev)'s columns; got {dZ.shape}.")
    with past_range("linear_backward", "a gradient (dA_prev, dW or db)", {"dZ": dZ, "cache": cache}):
        dW, db, dA_prev = _linear_backward(dZ, W, A_prev, per_example=True)
    return dA_prev, dW, db


def linear_activation_backward(dA: ArrayLike, cache: Cache, activation: str, *,
                               dialect: str = "zero-at-zero") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""``(dA_prev, dW, db)`` through :math:`dZ = dA \odot g'(Z)` then :func:`linear_backward`;
    ``dialect`` is ReLU's derivative at 0 (relu-grad)."""
    kind = _activation(activation)
    linear_cache, Z = _layer_cache(cache, "cache")
    check_dialect("relu-grad", dialect, "grad")
    dA = float_array("dA", dA)
    same_shape("dA", dA, "cache[1] (Z)", Z)
    with past_range("linear_activation_backward", "a gradient (dA_prev, dW or db)", {"dA": dA, "cache": cache}):
        dZ = sigmoid_backward(dA, Z) if kind == "sigmoid" else relu_backward(dA, Z, dialect=dialect)
        return linear_backward(dZ, linear_cache)


def L_model_backward(AL: ArrayLike, Y: ArrayLike, caches: Sequence[Cache], *,
                     dialect: str = "zero-at-zero") -> dict[str, np.ndarray]:
    r"""``{"dA0", ..., "dA{L-1}", "dW1", "db1", ..., "dWL", "dbL"}``. The sigmoid layer's
    :math:`dZ^{[L]} = A^{[L]} - Y` (the spec's dL/dz; the notebook reaches it through
    :math:`dA^{[L]} = -(Y/A - (1-Y)/(1-A))`, the same value less accurately near 0 and 1),
    then :func:`linear_activation_backward` with ReLU down to layer 1."""
    if isinstance(caches, str) or not isinstance(caches, Sequence) or not caches:
        raise ValueError(f"caches must be the non-empty list L_model_forward returns; got {_described(caches)}.")
    L = len(caches)
    layers = [_layer_cache(cache, f"caches[{i}]") for i, cache in enumerate(caches)]
    m = layers[0][0][0].shape[1]
    for i in range(1, L):
        A_prev, shape = layers[i][0][0], (layers[i - 1][0][1].shape[0], m)
        if A_prev.shape != shape:
            raise ValueError(f"caches[{i}][0][0] (layer {i + 1}'s A_prev) has shape {A_prev.shape} but layer {i}'s "
                             f"output has shape {shape}: caches must be the list L_model_forward returns, one cache "
                             f"per layer, in order.")
    check_dialect("relu-grad", dialect, "grad")
    AL = float_array("AL", AL)
    same_shape("AL", AL, f"caches[{L - 1}][1] (layer {L}'s Z)", layers[-1][1])
    labelled = labels("Y", Y)
    if labelled.size != AL.size:
        raise ValueError(f"Y has {labelled.size} labels but AL has {AL.size} entries: one label per example, "
                         f"Y of shape {AL.shape}.")
    Y = labelled.reshape(AL.shape)
    grads: dict[str, np.ndarray] = {}
    with past_range("L_model_backward", "a gradient (dA, dW or db)", {"AL": AL, "caches": caches}):
        dZ = losses.binary_cross_entropy_logit_grad(AL, Y, per_example=True)
        dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(dZ, caches[L - 1][0])
        grads[f"dA{L - 1}"] = dA
        for layer in range(L - 1, 0, -1):
            dA, grads[f"dW{layer}"], grads[f"db{layer}"] = linear_activation_backward(
                dA, caches[layer - 1], "relu", dialect=dialect)
            grads[f"dA{layer - 1}"] = dA
    return grads


def update_parameters(parameters: Mapping[str, ArrayLike], grads: Mapping[str, ArrayLike],
                      learning_rate: float) -> dict[str, np.ndarray]:
    r""":math:`W^{[l]} \leftarrow W^{[l]} - \alpha\,dW^{[l]}`, :math:`b^{[l]} \leftarrow b^{[l]} - \alpha\,db^{[l]}`
    for every layer (the gradients' ``dA`` entries are ignored)."""
    return nb.update_parameters_with_gd(parameters, grads, learning_rate)
