"""Planar data classification with one hidden layer (seed 002, course 1, week 3).

LINEAR -> TANH -> LINEAR -> SIGMOID, examples as columns:
:math:`Z^{[1]} = W^{[1]}X + b^{[1]}`, :math:`A^{[1]} = \\tanh Z^{[1]}`,
:math:`A^{[2]} = \\sigma(W^{[2]}A^{[1]} + b^{[2]})`. The backward pass is the linear
layer's (the spec's ``layers`` family) with :math:`dZ^{[2]} = A^{[2]} - Y` and
:math:`dZ^{[1]} = W^{[2]T}dZ^{[2]} \\odot (1 - \\tanh^2 Z^{[1]})`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from .. import activations, losses
from .. import notebook as nb
from .._overflow import past_range
from .._validate import caller_names, float_array, integer, labels_like, unmasked
from ..initialization import initialize_dense
from ..layers import linear_backward, linear_forward
from ..notebook import tanh_backward

__all__ = ["backward_propagation", "compute_cost", "forward_propagation", "initialize_parameters",
           "layer_sizes", "predict", "tanh_backward", "update_parameters"]

#: The notebook's hidden layer size.
HIDDEN_UNITS = 4
#: ``initialize_parameters`` calls ``np.random.seed(2)`` first.
SEED = 2

_CACHE_KEYS = ("Z1", "A1", "Z2", "A2")


def layer_sizes(X: ArrayLike, Y: ArrayLike) -> tuple[int, int, int]:
    """``(n_x, n_h, n_y)``: the input size ``X.shape[0]``, 4 hidden units, the output size ``Y.shape[0]``."""
    unmasked("X", X)
    unmasked("Y", Y, "the labels the masked entries stand for")
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(f"X and Y must be 2-D (size x examples); got shapes {X.shape} and {Y.shape}.")
    return X.shape[0], HIDDEN_UNITS, Y.shape[0]


def initialize_parameters(n_x: int, n_h: int, n_y: int) -> dict[str, np.ndarray]:
    r""":math:`W^{[l]} = 0.01\,\mathcal{N}(0, 1)` drawn from ``np.random.RandomState(2)`` (W1, then
    W2), :math:`b^{[l]} = 0`."""
    dims = [integer(name, n, domain="n_in") for name, n in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y))]
    return initialize_dense(dims, scheme="random-x0.01", rng=np.random.RandomState(SEED))


def _two_layers(parameters: Mapping[str, ArrayLike]) -> list[np.ndarray]:
    keys = nb._layers(parameters)
    if len(keys) != 4:
        raise ValueError(f"this is the one-hidden-layer network: parameters must hold W1, b1, W2, b2; "
                         f"got {list(keys)}.")
    return [np.asarray(parameters[k]) for k in keys]


def forward_propagation(X: ArrayLike, parameters: Mapping[str, ArrayLike]
                        ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(A2, cache)`` with ``cache = {"Z1", "A1", "Z2", "A2"}``."""
    return _forward("forward_propagation", X, parameters)


def _forward(caller: str, X: ArrayLike, parameters: Mapping[str, ArrayLike]
             ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    layers = _two_layers(parameters)
    X = nb._network(X, layers)
    W1, b1, W2, b2 = layers
    with past_range(caller, "a layer's Z = W A + b", lambda: {"X": X, "parameters": parameters}):
        Z1 = linear_forward(W1, b1, X)
        A1 = activations.tanh(Z1)
        Z2 = linear_forward(W2, b2, A1)
        A2 = activations.sigmoid(Z2)
    return A2, dict(zip(_CACHE_KEYS, (Z1, A1, Z2, A2), strict=True))


def compute_cost(A2: ArrayLike, Y: ArrayLike, parameters: Mapping[str, ArrayLike] | None = None, *,
                 dialect: losses.Reduction = "mean") -> float:
    r"""The mean cross-entropy :math:`-\frac{1}{m}\sum_i y_i\log a_i + (1-y_i)\log(1-a_i)`
    (``parameters`` is accepted for the notebook's older signature and not used;
    ``dialect="sum"``: without the :math:`1/m`)."""
    with caller_names(a="A2", y="Y", reduction="dialect"):
        return losses.binary_cross_entropy(A2, Y, reduction=dialect)


def backward_propagation(parameters: Mapping[str, ArrayLike], cache: Mapping[str, ArrayLike],
                         X: ArrayLike, Y: ArrayLike) -> dict[str, np.ndarray]:
    r"""``{"dW1", "db1", "dW2", "db2"}``: :math:`dZ^{[2]} = A^{[2]} - Y`, then the linear layer's
    :math:`dW = \frac{1}{m}dZ\,A_{prev}^T`, :math:`db = \frac{1}{m}\sum dZ` per layer and
    :math:`dZ^{[1]} = W^{[2]T}dZ^{[2]}\odot(1 - \tanh^2 Z^{[1]})`."""
    layers = _two_layers(parameters)
    W1, _, W2, _ = layers
    if not isinstance(cache, Mapping) or any(k not in cache for k in _CACHE_KEYS):
        found = (f"it has no {[k for k in _CACHE_KEYS if k not in cache]}" if isinstance(cache, Mapping) else
                 f"got {type(cache).__name__}")
        raise ValueError(f"cache must be the dict forward_propagation returns, with keys {list(_CACHE_KEYS)}; "
                         f"{found}.")
    X = nb._network(X, layers)
    Z1, A1, Z2, A2 = (float_array(f"cache[{k!r}]", cache[k]) for k in _CACHE_KEYS)
    for key, value, rows in (("Z1", Z1, W1.shape[0]), ("A1", A1, W1.shape[0]), ("Z2", Z2, W2.shape[0]),
                             ("A2", A2, W2.shape[0])):
        if value.shape != (rows, X.shape[1]):
            raise ValueError(f"cache[{key!r}] has shape {value.shape} but must be {(rows, X.shape[1])} for X of shape "
                             f"{X.shape} and these parameters: cache must be the dict forward_propagation returns "
                             f"for them.")
    labels_like("Y", Y, "cache['A2']", A2)
    with past_range("backward_propagation", "a gradient (dW, db or dA)",
                    lambda: {"parameters": parameters, "cache": cache, "X": X}):
        dZ2 = losses.binary_cross_entropy_logit_grad(A2, Y, per_example=True)
        dW2, db2, dA1 = linear_backward(dZ2, W2, A1, per_example=True)
        dZ1 = activations.tanh_backward(dA1, Z1)
        dW1, db1, _ = linear_backward(dZ1, W1, X, per_example=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters: Mapping[str, ArrayLike], grads: Mapping[str, ArrayLike],
                      learning_rate: float = 1.2) -> dict[str, np.ndarray]:
    r"""One gradient-descent step on every layer, :math:`W \leftarrow W - \alpha\,dW`,
    :math:`b \leftarrow b - \alpha\,db` (the notebook's default :math:`\alpha = 1.2`)."""
    return nb.update_parameters_with_gd(parameters, grads, learning_rate)


def predict(parameters: Mapping[str, ArrayLike], X: ArrayLike) -> np.ndarray:
    r"""Boolean predictions :math:`A^{[2]} > 0.5`, shape ``(1, m)``."""
    A2, _ = _forward("predict", X, parameters)
    return A2 > 0.5
