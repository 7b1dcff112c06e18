"""Gradient checking (seed 002, course 2, week 1): the 1-D model :math:`J(\\theta) = \\theta x`,
and the N-dimensional check of the 3-layer network's backward pass, with the assignment's
vector helpers (``gc_utils``).

The check compares the gradient with two-sided differences,
:math:`\\hat g_i = (J(\\theta + \\varepsilon e_i) - J(\\theta - \\varepsilon e_i))/2\\varepsilon`, by
:math:`\\lVert g - \\hat g\\rVert_2/(\\lVert g\\rVert_2 + \\lVert \\hat g\\rVert_2)`
(:mod:`gradspec.spec.gradcheck`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import ArrayLike

from .. import notebook as nb
from .._validate import float_array, hyperparameter, integer, labels_shaped, real_number
from ..gradcheck import relative_difference, two_sided_difference
from ..notebook import gradient_check

__all__ = ["backward_propagation", "backward_propagation_n", "dictionary_to_vector", "forward_propagation",
           "forward_propagation_n", "gradient_check", "gradient_check_n", "gradients_to_vector",
           "vector_to_dictionary"]

#: The assignment's network: 4 inputs, layers of 5, 3 and 1 units.
LAYER_DIMS = (4, 5, 3, 1)
_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


def forward_propagation(x: float, theta: float) -> float:
    r""":math:`J(\theta) = \theta x`."""
    theta_value = real_number("theta", theta)
    return nb._theta_x("forward_propagation", real_number("x", x), theta_value)


def backward_propagation(x: float, theta: float) -> float:
    r""":math:`\partial J/\partial\theta = x` for :math:`J = \theta x`."""
    real_number("theta", theta)
    return real_number("x", x)


def forward_propagation_n(X: ArrayLike, Y: ArrayLike, parameters: Mapping[str, ArrayLike]
                          ) -> tuple[float, tuple[np.ndarray, ...]]:
    """``(cost, cache)``: the 3-layer network's mean cross-entropy and its 12-tuple cache
    ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``."""
    layers = nb._three_layers(parameters)
    checked = nb._network(X, layers)
    labels_shaped("Y", Y, (layers[4].shape[0], checked.shape[1]), "the network's output A3")
    A3, cache = nb._forward_pass("forward_propagation_n", checked, parameters)
    return nb._cross_entropy(A3, Y, "mean", "A3"), cache


_UPPER = {"dz3": "dZ3", "da2": "dA2", "dz2": "dZ2", "da1": "dA1", "dz1": "dZ1"}


def backward_propagation_n(X: ArrayLike, Y: ArrayLike, cache: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """The 3-layer network's gradients, keys ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``
    (the right ones: the assignment hands out a version with two deliberate bugs, in ``dW2``
    and ``db1``, for gradient checking to find)."""
    return {_UPPER.get(k, k): v for k, v in nb.backward_propagation(X, Y, cache).items()}


def dictionary_to_vector(parameters: Mapping[str, ArrayLike]) -> tuple[np.ndarray, list[str]]:
    """``(theta, keys)``: W1, b1, W2, b2, W3, b3 raveled (C order) into one column, and the
    parameter name of each entry."""
    columns = [layer.reshape(-1, 1) for layer in nb._three_layers(parameters)]
    keys = [k for k, column in zip(_KEYS, columns, strict=True) for _ in range(column.shape[0])]
    return np.concatenate(columns, axis=0), keys


def gradients_to_vector(gradients: Mapping[str, ArrayLike]) -> np.ndarray:
    """dW1, db1, dW2, db2, dW3, db3 raveled (C order) into one column (other keys, such as
    backward_propagation_n's dZ3 and dA2, are not gradients of parameters: they are left out)."""
    if not isinstance(gradients, Mapping):
        raise TypeError(f"gradients must be a dict like {{'dW1': ..., 'db1': ...}}; got {type(gradients).__name__}.")
    missing = [f"d{k}" for k in _KEYS if f"d{k}" not in gradients]
    if missing:
        raise ValueError(f"gradients has no {missing}: it must hold the 3-layer network's dW1, db1, dW2, db2, dW3 "
                         f"and db3, as backward_propagation_n returns them.")
    return np.concatenate([float_array(f"gradients['d{k}']", gradients[f"d{k}"]).reshape(-1, 1)
                           for k in _KEYS], axis=0)


def _shapes(layer_dims: Sequence[int]) -> list[tuple[int, int]]:
    return [shape for n_prev, n in pairwise(layer_dims) for shape in ((n, n_prev), (n, 1))]


def vector_to_dictionary(theta: ArrayLike, *, layer_dims: Sequence[int] = LAYER_DIMS) -> dict[str, np.ndarray]:
    """The inverse of :func:`dictionary_to_vector` for the assignment's layer sizes (4, 5, 3, 1)."""
    theta = float_array("theta", theta)
    if isinstance(layer_dims, str) or not isinstance(layer_dims, Sequence | np.ndarray) or len(layer_dims) != 4:
        raise ValueError(f"layer_dims must list the 3-layer network's sizes (n0, n1, n2, n3), such as {LAYER_DIMS}; "
                         f"got {layer_dims!r}.")
    layer_dims = [integer(f"layer_dims[{i}]", n, domain="n_in") for i, n in enumerate(layer_dims)]
    shapes = _shapes(layer_dims)
    sizes = [a * b for a, b in shapes]
    if theta.size != sum(sizes):
        raise ValueError(f"theta must hold {sum(sizes)} values for layers {tuple(layer_dims)}; got {theta.size}.")
    flat, out, start = theta.reshape(-1), {}, 0
    for key, shape, size in zip(_KEYS, shapes, sizes, strict=True):
        out[key] = flat[start:start + size].reshape(shape)
        start += size
    return out


def gradient_check_n(parameters: Mapping[str, ArrayLike], gradients: Mapping[str, ArrayLike], X: ArrayLike,
                     Y: ArrayLike, epsilon: float = 1e-7) -> float:
    r"""The relative difference between ``gradients`` (dW1, ..., db3) and two-sided differences of
    :func:`forward_propagation_n`'s cost in every parameter: below about 1e-7 the backward pass
    is right."""
    layers = nb._three_layers(parameters)
    checked = nb._network(X, layers)
    nb._matching("gradients", gradients, parameters, nb._layer_keys(3), allow_intermediate=True)
    labels_shaped("Y", Y, (layers[4].shape[0], checked.shape[1]), "the network's output A3")
    hyperparameter("epsilon", epsilon)
    theta, names = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    if not np.isfinite(grad).all():
        key = next(f"d{k}" for k in _KEYS if not np.isfinite(np.asarray(gradients[f"d{k}"])).all())
        raise ValueError(f"gradients[{key!r}] holds inf or NaN: only a finite gradient can be compared with "
                         f"finite differences.")
    dims = [np.shape(parameters["W1"])[1], *(np.shape(parameters[f"W{k}"])[0] for k in (1, 2, 3))]

    def cost(values: np.ndarray) -> float:
        J = forward_propagation_n(X, Y, vector_to_dictionary(values, layer_dims=dims))[0]
        if not math.isfinite(J):
            raise ValueError(f"gradient_check_n: the cost is {J} with an entry of parameters moved by epsilon (the "
                             f"network's output A3 is 0 or 1 against a label of the other class), and differences "
                             f"of an infinite cost are not numbers: scale parameters or X down.")
        return J

    try:
        approx = two_sided_difference(cost, theta, epsilon=epsilon)
    except ValueError as exc:  # theta + epsilon, or the difference quotient, past theta's dtype
        found = re.search(r"theta\[(\d+)", str(exc))
        if found is None:
            raise
        raise ValueError(f"gradient_check_n: moving parameters[{names[int(found[1])]!r}] by epsilon: {exc}") from None
    return relative_difference(grad, approx)

