"""Losses and their gradients with respect to the logits.

Examples are columns, as in the seeds: ``a`` and ``y`` have shape ``(1, m)`` (or
``(C, m)`` for softmax), and ``m`` is the size of the last axis.

**log(0) policy.** The probability forms use :math:`0 \\log 0 = 0`, the limit: a
prediction that is exactly right costs 0, and one that is exactly wrong (``a = 0`` where
``y = 1``) costs ``+inf``, without a warning and never NaN. The logit forms
(:func:`binary_cross_entropy_with_logits`) are finite for every finite logit; prefer them.
"""

from __future__ import annotations

import numbers
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._overflow import through_overflow
from ._validate import check_dialect, flag, float_array, labels_like

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_logit_grad",
    "binary_cross_entropy_with_logits",
    "categorical_cross_entropy",
    "mean_squared_error",
    "reduce_cost",
    "softmax",
    "softmax_cross_entropy_grad",
]

Reduction = Literal["mean", "sum"]


def _examples(arr: np.ndarray) -> int:
    return int(arr.shape[-1]) if arr.ndim else 1


@through_overflow("the summed cost")
def reduce_cost(losses: np.ndarray, *, reduction: Reduction = "mean") -> float:
    r"""Sum per-entry losses into a cost: :math:`J = \frac{1}{m}\sum_i L_i` (``"mean"``,
    the canonical dialect cost/mean) or :math:`\sum_i L_i` (``"sum"``, seed 000's
    ``compute_cost``)."""
    kernel = check_dialect("cost", reduction, "reduction", argument="reduction")
    losses = float_array("losses", losses)
    total = losses.sum()
    value = total if kernel is None else getattr(K, kernel)(total, _examples(losses))
    return float(value)


def binary_cross_entropy(a: ArrayLike, y: ArrayLike, *, reduction: Reduction = "mean") -> float:
    r""":math:`J = -\frac{1}{m}\sum_i \big(y_i \log a_i + (1 - y_i)\log(1 - a_i)\big)`.

    ``a`` holds probabilities in [0, 1]; labels ``y`` may be bool, integer or float. See
    the module's log(0) policy.
    """
    a = float_array("a", a)
    y = labels_like("y", y, "a", a)
    low, high = (a.min(), a.max()) if a.size else (0.5, 0.5)
    if low < 0 or high > 1:
        raise ValueError("a must hold probabilities in [0, 1]; pass logits to "
                         "binary_cross_entropy_with_logits instead.")
    if low > 0 and high < 1:  # no log(0) can occur: skip the (costly) errstate
        return reduce_cost(K.bce(a, y), reduction=reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = K.bce(a, y)
    return reduce_cost(losses, reduction=reduction)


def binary_cross_entropy_with_logits(z: ArrayLike, y: ArrayLike, *,
                                     reduction: Reduction = "mean") -> float:
    r""":math:`J = \frac{1}{m}\sum_i \big(\mathrm{softplus}(z_i) - y_i z_i\big)`, the
    binary cross-entropy of :math:`\sigma(z)`, finite for every finite logit."""
    z = float_array("z", z)
    y = labels_like("y", y, "z", z)
    return reduce_cost(K.bce_logits(z, y), reduction=reduction)


def binary_cross_entropy_logit_grad(a: ArrayLike, y: ArrayLike, *, per_example: bool = False) -> np.ndarray:
    r""":math:`\partial J/\partial z = (a - y)/m` for the mean cost, with :math:`a = \sigma(z)`.

    ``per_example=True`` gives each example's own :math:`\partial L/\partial z = a - y`
    (the course's ``dZ``, which the linear layer's backward pass then averages)."""
    each = flag("per_example", per_example)
    a = float_array("a", a)
    y = labels_like("y", y, "a", a)
    return K.bce_logit_grad(a, y, 1 if each else _examples(a))


def mean_squared_error(y_hat: ArrayLike, y: ArrayLike) -> float:
    r""":math:`\mathrm{MSE} = \frac{1}{m}\sum_i (y_i - \hat y_i)^2`."""
    y_hat = float_array("y_hat", y_hat)
    y = labels_like("y", y, "y_hat", y_hat)
    return reduce_cost(K.squared_error(y, y_hat))


def softmax(z: ArrayLike, *, axis: int = 0) -> np.ndarray:
    r""":math:`\hat y_j = e^{z_j - k}/\sum_i e^{z_i - k}` along ``axis`` (the classes; 0
    for the seeds' ``(C, m)`` layout), with :math:`k = \max_i z_i`: the same value as
    without the shift, and no overflow."""
    z = float_array("z", z)
    if z.ndim == 0:
        raise ValueError("z must have at least one axis holding the classes; got a scalar.")
    if isinstance(axis, bool | np.bool_) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, the axis that holds the classes; got {axis!r}.")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim}) for z of shape {z.shape}; got {axis}.")
    t = K.softmax_numerator(z, np.max(z, axis=axis, keepdims=True))
    return t / np.sum(t, axis=axis, keepdims=True)


def categorical_cross_entropy(y_hat: ArrayLike, y: ArrayLike, *,
                              reduction: Reduction = "mean") -> float:
    r""":math:`J = -\frac{1}{m}\sum_i \sum_j y_{ji} \log \hat y_{ji}` for one-hot (or soft)
    labels ``y`` of shape ``(C, m)``."""
    y_hat = float_array("y_hat", y_hat)
    y = labels_like("y", y, "y_hat", y_hat)
    if y_hat.size and (np.min(y_hat) < 0 or np.max(y_hat) > 1):
        raise ValueError(f"y_hat must hold probabilities in [0, 1]; got values from {np.min(y_hat)!r} to "
                         f"{np.max(y_hat)!r}. Pass softmax's output, not the logits.")
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = K.cross_entropy_term(y, y_hat)
    return reduce_cost(losses, reduction=reduction)


def softmax_cross_entropy_grad(y_hat: ArrayLike, y: ArrayLike) -> np.ndarray:
    r""":math:`\partial J/\partial z = (\hat y - y)/m` for the mean softmax cross-entropy."""
    y_hat = float_array("y_hat", y_hat)
    y = labels_like("y", y, "y_hat", y_hat)
    return K.cost_mean(K.softmax_ce_grad(y_hat, y), _examples(y_hat))
