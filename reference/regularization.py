"""L2 regularization and inverted dropout."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._overflow import through_overflow
from ._validate import float_array, hyperparameter, integer, same_shape

__all__ = ["dropout_mask", "inverted_dropout", "l2_cost", "l2_grad"]

RandomSource = np.random.RandomState | np.random.Generator


@through_overflow("the sum of squared weights")
def l2_cost(weights: Sequence[ArrayLike], *, lambd: float, m: int) -> float:
    r""":math:`\frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2` over the weight matrices."""
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
        raise TypeError(f"weights must be a list of the weight matrices [W1, W2, ...]; got {type(weights).__name__}.")
    arrays = [float_array(f"weights[{i}]", w) for i, w in enumerate(weights)]
    sum_sq = sum(float(np.sum(np.square(w))) for w in arrays)
    return float(K.l2_cost(sum_sq, hyperparameter("lambd", lambd),
                           integer("m", m)))


@through_overflow("lambda / m W")
def l2_grad(W: ArrayLike, *, lambd: float, m: int) -> np.ndarray:
    r""":math:`\frac{\lambda}{m} W`, added to each :math:`dW^{[l]}` from backpropagation."""
    return K.l2_grad(float_array("W", W), hyperparameter("lambd", lambd),
                     integer("m", m))


def dropout_mask(shape: tuple[int, ...], *, keep_prob: float, rng: RandomSource) -> np.ndarray:
    r"""A 0/1 float64 mask with :math:`P(d = 1) = p`, drawn as ``uniform < keep_prob``.

    With a ``np.random.RandomState`` this draws exactly what the seeds'
    ``np.random.rand(*shape) < keep_prob`` draws from the same state.
    """
    p = hyperparameter("keep_prob", keep_prob)
    if not isinstance(shape, tuple | list) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise TypeError(f"shape must be a tuple of non-negative integers, e.g. A1.shape; got {shape!r}.")
    if isinstance(rng, np.random.RandomState):
        uniform = rng.rand(*shape)
    elif isinstance(rng, np.random.Generator):
        uniform = rng.random(shape)
    else:
        raise TypeError(f"rng must be a np.random.RandomState or np.random.Generator; got "
                        f"{type(rng).__name__}.")
    return (uniform < p).astype(np.float64)


def inverted_dropout(a: ArrayLike, mask: ArrayLike, *, keep_prob: float) -> np.ndarray:
    r""":math:`\tilde a = a \cdot d / p`: drops units and rescales the rest so that
    :math:`\mathbb{E}[\tilde a] = a`. Use the same mask on the backward pass."""
    a = float_array("a", a)
    mask = float_array("mask", mask)
    same_shape("mask", mask, "a", a)
    p = hyperparameter("keep_prob", keep_prob)
    return K.inverted_dropout(a, mask.astype(a.dtype, copy=False), p)
