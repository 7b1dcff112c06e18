"""Gradient checking: compare a gradient with two-sided differences of its function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._validate import float_array, hyperparameter, same_shape

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
    theta = float_array("theta", theta)
    eps = hyperparameter("epsilon", epsilon)
    approx = np.empty(theta.shape, dtype=theta.dtype)
    j0 = None if two_sided else float(f(theta.copy()))
    for index in np.ndindex(theta.shape):
        plus, minus = theta.copy(), theta.copy()
        plus[index] += eps
        minus[index] -= eps
        j_plus = float(f(plus))
        if two_sided:
            approx[index] = K.two_sided_difference(j_plus, float(f(minus)), eps)
        else:
            approx[index] = K.one_sided_difference(j_plus, j0, eps)
    return approx


def relative_difference(grad: ArrayLike, grad_approx: ArrayLike) -> float:
    r""":math:`\lVert g - \hat g\rVert_2 / (\lVert g\rVert_2 + \lVert \hat g\rVert_2)`; 0 when
    both are zero. Below about 1e-7 the gradient is right; above 1e-3 it is wrong."""
    grad, grad_approx = float_array("grad", grad), float_array("grad_approx", grad_approx)
    same_shape("grad_approx", grad_approx, "grad", grad)
    grad_norm = float(np.linalg.norm(grad))
    approx_norm = float(np.linalg.norm(grad_approx))
    if grad_norm + approx_norm == 0.0:
        return 0.0
    return float(K.relative_difference(float(np.linalg.norm(grad - grad_approx)), grad_norm,
                                       approx_norm))
