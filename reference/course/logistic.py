"""Logistic regression with a neural-network mindset (seed 002, course 1, week 2).

The model is one sigmoid unit: :math:`A = \\sigma(w^T X + b)` with ``w`` a column of
``n`` weights, ``b`` a number, examples as the columns of ``X``. Its gradients are the
linear layer's backward pass with :math:`dZ = A - Y` (the spec's ``layers`` family):
:math:`dw = \\frac{1}{m} X (A - Y)^T`, :math:`db = \\frac{1}{m}\\sum_i (a_i - y_i)`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .. import activations, losses, optimizers
from .._overflow import past_range
from .._validate import flag, float_array, hyperparameter, integer, labels_shaped, real_number
from ..layers import linear_backward, linear_forward

__all__ = ["initialize_with_zeros", "optimize", "predict", "propagate", "sigmoid"]

#: The notebook records the cost every this many iterations.
RECORD_EVERY = 100


def sigmoid(z: ArrayLike) -> np.ndarray:
    r""":math:`\sigma(z) = 1/(1 + e^{-z})`, elementwise."""
    return activations.sigmoid(z)


def initialize_with_zeros(dim: int) -> tuple[np.ndarray, float]:
    """``(w, b)``: a zero column of shape ``(dim, 1)`` and ``b = 0.0``."""
    dim = integer("dim", dim, domain="n_in")
    return np.zeros((dim, 1)), 0.0


def _weights(w: ArrayLike, b: float, X: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``w`` as a row (the linear layer's ``W``), ``b`` as its 1x1 bias, ``X`` checked."""
    w, X = float_array("w", w), float_array("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (features x examples); got shape {X.shape}.")
    if w.size != X.shape[0] or w.ndim not in (1, 2) or (w.ndim == 2 and w.shape[1] != 1):
        raise ValueError(f"w must be a column of X.shape[0] = {X.shape[0]} weights, shape "
                         f"({X.shape[0]}, 1); got shape {w.shape}.")
    bias = real_number("b", np.asarray(b).reshape(()) if np.size(b) == 1 else b)
    if abs(bias) > float(np.finfo(w.dtype).max):
        raise ValueError(f"b = {bias!r} is past {w.dtype}'s largest number ({np.finfo(w.dtype).max:.3g}), the dtype "
                         f"of w it is added in: pass a smaller b, or w and X in float64.")
    return w.reshape(1, -1), np.full((1, 1), bias, dtype=w.dtype), X


def _forward(W: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    return activations.sigmoid(linear_forward(W, b, X))


def _labels(Y: ArrayLike, X: np.ndarray) -> None:
    """``Y`` holds one 0/1 label per column of ``X``, as a row."""
    labels_shaped("Y", Y, (1, X.shape[1]), "the predictions w^T X + b")


def propagate(w: ArrayLike, b: float, X: ArrayLike, Y: ArrayLike) -> tuple[dict[str, object], float]:
    r"""The cost and its gradient: returns ``({"dw": dw, "db": db}, cost)`` with

    .. math::
        A = \sigma(w^T X + b),\quad J = -\frac{1}{m}\sum_i y_i\log a_i + (1-y_i)\log(1-a_i),\quad
        dw = \frac{1}{m} X (A - Y)^T,\quad db = \frac{1}{m}\sum_i (a_i - y_i)
    """
    W, bias, X = _weights(w, b, X)
    _labels(Y, X)
    with past_range("propagate", "w^T X + b or the gradient", {"w": w, "b": b, "X": X}):
        A = _forward(W, bias, X)
        cost = losses.binary_cross_entropy(A, Y)
        dZ = losses.binary_cross_entropy_logit_grad(A, Y, per_example=True)
        dW, db, _ = linear_backward(dZ, W, X, per_example=True)
    return {"dw": dW.T, "db": float(db[0, 0])}, cost


def optimize(w: ArrayLike, b: float, X: ArrayLike, Y: ArrayLike, num_iterations: int,
             learning_rate: float, print_cost: bool = False
             ) -> tuple[dict[str, object], dict[str, object], list[float]]:
    r"""``num_iterations`` gradient-descent steps :math:`w \leftarrow w - \alpha\,dw`,
    :math:`b \leftarrow b - \alpha\,db`. Returns ``(params, grads, costs)``: the final
    ``{"w", "b"}``, the last step's ``{"dw", "db"}``, and the cost before every 100th step
    (iterations 0, 100, ...). ``print_cost`` is accepted for the notebook's signature; gradspec
    never prints.
    """
    steps = integer("num_iterations", num_iterations, domain="t")
    learning_rate = hyperparameter("learning_rate", learning_rate)
    flag("print_cost", print_cost)
    w = float_array("w", w)
    _labels(Y, _weights(w, b, X)[2])  # every argument checked before the first step
    costs: list[float] = []
    with past_range("optimize", "a step", lambda: {"w": w, "b": b, "X": X}):
        for i in range(steps):
            grads, cost = propagate(w, b, X, Y)
            w = optimizers.gd_step(w, grads["dw"], learning_rate=learning_rate)
            b = float(optimizers.gd_step(np.float64(b), np.float64(grads["db"]), learning_rate=learning_rate))
            if i % RECORD_EVERY == 0:
                costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def predict(w: ArrayLike, b: float, X: ArrayLike) -> np.ndarray:
    r"""0/1 predictions :math:`a_i > 0.5`, as floats of shape ``(1, m)`` (in the inputs' dtype:
    float32 for float32 ``w`` and ``X``)."""
    W, bias, X = _weights(w, b, X)
    with past_range("predict", "w^T X + b", {"w": w, "b": b, "X": X}):
        A = _forward(W, bias, X)
    return (A > 0.5).astype(A.dtype)
