"""Gradient checking: compare a gradient with two-sided differences of its function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._validate import callable_argument, float_array, hyperparameter, same_shape

__all__ = ["one_sided_difference", "relative_difference", "two_sided_difference"]


def two_sided_difference(f: Callable[[np.ndarray], float], theta: ArrayLike, *,
                         epsilon: float = 1e-7) -> np.ndarray:
    r""":math:`\hat g_i = \frac{J(\theta + \varepsilon e_i) - J(\theta - \varepsilon e_i)}{2\varepsilon}`
    for every coordinate of ``theta`` (error :math:`O(\varepsilon^2)`).

    ``f`` maps an array shaped like ``theta`` to a number; it receives fresh copies.
    """
    return _differences(f, theta, epsilon, two_sided=True)


def one_sided_difference(f: Callable[[np.ndarray], float], theta: ArrayLike, *,
                         epsilon: float = 1e-7) -> np.ndarray:
    r""":math:`\hat g_i = \frac{J(\theta + \varepsilon e_i) - J(\theta)}{\varepsilon}`
    (error :math:`O(\varepsilon)`; shown for comparison, use the two-sided one)."""
    return _differences(f, theta, epsilon, two_sided=False)


def _differences(f: Callable[[np.ndarray], float], theta: ArrayLike, epsilon: float,
                 *, two_sided: bool) -> np.ndarray:
    callable_argument("f", f, "a function of theta that returns the cost")
    theta = float_array("theta", theta)
    eps = hyperparameter("epsilon", epsilon)
    approx = np.empty(theta.shape, dtype=theta.dtype)
    j0 = None if two_sided else float(f(theta.copy()))
    for index in np.ndindex(theta.shape):
        plus, minus = theta.copy(), theta.copy()
        try:
            with np.errstate(over="raise"):
                plus[index] += eps
                minus[index] -= eps
        except FloatingPointError:
            raise ValueError(f"theta + epsilon is past {theta.dtype}'s range (epsilon = {eps!r}, theta{list(index)} "
                             f"= {theta[index]!r}): epsilon must be a small step, such as 1e-7.") from None
        j_plus = float(f(plus))
        difference = (K.two_sided_difference(j_plus, float(f(minus)), eps) if two_sided else
                      K.one_sided_difference(j_plus, j0, eps))
        try:
            with np.errstate(over="raise"):
                approx[index] = difference
        except FloatingPointError:
            raise ValueError(f"the difference quotient at theta{list(index)} is {difference!r}, past {theta.dtype}'s "
                             "range: the cost changes too fast for this epsilon (or compute in float64).") from None
    return approx


def relative_difference(grad: ArrayLike, grad_approx: ArrayLike) -> float:
    r""":math:`\lVert g - \hat g\rVert_2 / (\lVert g\rVert_2 + \lVert \hat g\rVert_2)`; 0 when
    both are zero. Below about 1e-7 the gradient is right; above 1e-3 it is wrong."""
    grad, grad_approx = float_array("grad", grad), float_array("grad_approx", grad_approx)
    same_shape("grad_approx", grad_approx, "grad", grad)
    with np.errstate(over="ignore"):
        grad_norm = float(np.linalg.norm(grad))
        approx_norm = float(np.linalg.norm(grad_approx))
        diff_norm = float(np.linalg.norm(grad - grad_approx))
    if grad_norm + approx_norm == 0.0:
        return 0.0
    if not np.isfinite(grad_norm + approx_norm + diff_norm):
        # Past about 1e154 (float64) or 1e19 (float32) the squares overflow; the ratio does not
        # change when both are divided by their largest entry, which brings them near 1.
        scale = max(float(np.max(np.abs(grad))), float(np.max(np.abs(grad_approx))))
        if not np.isfinite(scale):
            raise ValueError("grad and grad_approx must be finite to be compared; got inf or NaN.")
        grad, grad_approx = grad.astype(np.float64) / scale, grad_approx.astype(np.float64) / scale
        grad_norm, approx_norm = float(np.linalg.norm(grad)), float(np.linalg.norm(grad_approx))
        diff_norm = float(np.linalg.norm(grad - grad_approx))
    return float(K.relative_difference(diff_norm, grad_norm, approx_norm))
