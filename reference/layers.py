"""The linear part of a fully connected layer, forward and backward. Examples are columns.

Both functions are the generated kernels of :mod:`gradspec.spec.layers` (proven there with
``sympy.diff``), wrapped with argument checks. They keep their inputs' floating dtype and never
modify their arguments.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._overflow import through_overflow
from ._validate import float_array

__all__ = ["linear_backward", "linear_forward"]

_SHAPES = "W is n[l] x n[l-1], b is n[l] x 1, A_prev is n[l-1] x m and dZ is n[l] x m"


def _two_d(name: str, arr: np.ndarray) -> None:
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (examples are columns: {_SHAPES}); got shape {arr.shape}. "
                         f"A single example is a column: {name}.reshape(-1, 1).")


def _check_inputs(W: np.ndarray, A_prev: np.ndarray) -> None:
    _two_d("W", W)
    _two_d("A_prev", A_prev)
    if A_prev.shape[0] != W.shape[1]:
        raise ValueError(f"A_prev has {A_prev.shape[0]} rows but W has {W.shape[1]} columns; they must "
                         f"agree ({_SHAPES}): A_prev must have shape ({W.shape[1]}, m), got {A_prev.shape}.")


@through_overflow("Z = W A_prev + b")
def linear_forward(W: ArrayLike, b: ArrayLike, A_prev: ArrayLike) -> np.ndarray:
    r""":math:`Z = W A_{prev} + b\,\mathbf{1}_m^T`: the column ``b`` is added to every example.

    ``W`` is :math:`n^{[l]} \times n^{[l-1]}`, ``b`` an :math:`n^{[l]} \times 1` column and
    ``A_prev`` :math:`n^{[l-1]} \times m`, one example per column; ``Z`` is
    :math:`n^{[l]} \times m`.
    """
    W, b, A_prev = float_array("W", W), float_array("b", b), float_array("A_prev", A_prev)
    _check_inputs(W, A_prev)
    if b.shape != (W.shape[0], 1):
        raise ValueError(f"b must be a column of shape {(W.shape[0], 1)} to match W {W.shape}; "
                         f"got {b.shape}. Reshape it with b.reshape({W.shape[0]}, 1).")
    return K.linear_forward(W, b, A_prev, A_prev.shape[1])


@through_overflow("a gradient (dW, db or dA_prev)")
def linear_backward(dZ: ArrayLike, W: ArrayLike, A_prev: ArrayLike, *, per_example: bool = False
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The gradients ``(dW, db, dA_prev)`` of a linear layer :math:`Z = W A_{prev} + b`.

    .. math::
        dW = \frac{1}{m} dZ\,A_{prev}^T, \quad
        db = \frac{1}{m} \sum_{i=1}^m dZ^{(i)}, \quad
        dA_{prev} = W^T dZ

    By default ``dZ`` is :math:`\partial J/\partial Z` of the mean cost, so it already carries
    the :math:`1/m` (as :func:`gradspec.reference.binary_cross_entropy_logit_grad`'s
    :math:`(a - y)/m` does), and :math:`m = 1` above: :math:`dW = dZ\,A_{prev}^T`,
    :math:`db = \sum_i dZ^{(i)}`, and :math:`dA_{prev}` carries the :math:`1/m` on.

    With ``per_example=True``, ``dZ`` is the course's :math:`\partial\mathcal{L}/\partial Z`, one
    column per example (seed 002's L-layer ``linear_backward``): :math:`m` is the number of
    examples, ``A_prev.shape[1]``, and :math:`dA_{prev}` is per example again.
    """
    if not isinstance(per_example, bool | np.bool_):
        raise TypeError(f"per_example must be True or False; got {per_example!r} "
                        f"({type(per_example).__name__}).")
    dZ, W, A_prev = float_array("dZ", dZ), float_array("W", W), float_array("A_prev", A_prev)
    _check_inputs(W, A_prev)
    _two_d("dZ", dZ)
    if dZ.shape != (W.shape[0], A_prev.shape[1]):
        raise ValueError(f"dZ must have shape {(W.shape[0], A_prev.shape[1])} (n[l] x m: W's rows by "
                         f"A_prev's columns); got {dZ.shape}.")
    m = A_prev.shape[1]
    if not per_example:  # dZ is G = dJ/dZ, which carries the 1/m
        return K.linear_dW_mean(dZ, A_prev), K.linear_db_mean(dZ, m), K.linear_dA_prev(dZ, W)
    if m == 0:
        raise ValueError("A_prev has no examples (0 columns): per_example=True divides by the "
                         "number of examples m.")
    return K.linear_dW(dZ, A_prev, m), K.linear_db(dZ, m), K.linear_dA_prev(dZ, W)
