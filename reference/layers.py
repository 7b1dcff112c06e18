"""The linear part of a fully connected layer, forward and backward. Examples are columns."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import float_array

__all__ = ["linear_backward", "linear_forward"]


def _check_layer(W: np.ndarray, b: np.ndarray, A_prev: np.ndarray) -> None:
    if W.ndim != 2 or A_prev.ndim != 2:
        raise ValueError(f"W and A_prev must be 2-D; got shapes {W.shape} and {A_prev.shape}.")
    if b.shape != (W.shape[0], 1):
        raise ValueError(f"b must be a column of shape {(W.shape[0], 1)} to match W {W.shape}; "
                         f"got {b.shape}. Reshape it with b.reshape({W.shape[0]}, 1).")
    if A_prev.shape[0] != W.shape[1]:
        raise ValueError(f"W has {W.shape[1]} columns but A_prev has {A_prev.shape[0]} rows; "
                         f"they must agree (W is n[l] x n[l-1], A_prev is n[l-1] x m).")


def linear_forward(W: ArrayLike, b: ArrayLike, A_prev: ArrayLike) -> np.ndarray:
    r""":math:`Z = W A_{prev} + b`, with the column ``b`` added to every example."""
    W, b, A_prev = float_array("W", W), float_array("b", b), float_array("A_prev", A_prev)
    _check_layer(W, b, A_prev)
    return np.dot(W, A_prev) + b


def linear_backward(dZ: ArrayLike, W: ArrayLike, A_prev: ArrayLike
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r""":math:`dW = dZ\,A_{prev}^T`, :math:`db = \sum_{\text{examples}} dZ`,
    :math:`dA_{prev} = W^T dZ`, for a ``dZ`` that already carries the cost's :math:`1/m`."""
    dZ, W, A_prev = float_array("dZ", dZ), float_array("W", W), float_array("A_prev", A_prev)
    if dZ.shape != (W.shape[0], A_prev.shape[1]):
        raise ValueError(f"dZ must have shape {(W.shape[0], A_prev.shape[1])} (n[l] x m); got "
                         f"{dZ.shape}.")
    dW = np.dot(dZ, A_prev.T)
    db = dZ.sum(axis=1, keepdims=True)
    return dW, db, np.dot(W.T, dZ)
