"""Activations and their backward passes.

Each forward function and its derivative sit side by side; both are the generated
kernels of :mod:`gradspec.spec.activations`, wrapped with argument checks. Every
function keeps its input's floating dtype and never modifies its arguments.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._validate import check_dialect, float_array, hyperparameter, same_shape

__all__ = [
    "leaky_relu",
    "leaky_relu_backward",
    "leaky_relu_grad",
    "relu",
    "relu_backward",
    "relu_grad",
    "sigmoid",
    "sigmoid_backward",
    "tanh",
    "tanh_backward",
]


def sigmoid(z: ArrayLike) -> np.ndarray:
    r"""The logistic function, :math:`\sigma(z) = 1/(1 + e^{-z})`.

    Evaluated as :math:`1/(1 + e^{-|z|})` for :math:`z \ge 0` and
    :math:`e^{-|z|}/(1 + e^{-|z|})` below, so no finite ``z`` overflows or warns.
    """
    z = float_array("z", z)
    return K.sigmoid(z)


def sigmoid_backward(dA: ArrayLike, Z: ArrayLike) -> np.ndarray:
    r""":math:`dZ = dA \cdot \sigma(Z)(1 - \sigma(Z))`, the chain rule through a sigmoid."""
    dA, Z = float_array("dA", dA), float_array("Z", Z)
    same_shape("dA", dA, "Z", Z)
    return K.sigmoid_backward(dA, K.sigmoid(Z))


def tanh(z: ArrayLike) -> np.ndarray:
    r""":math:`\tanh(z)`."""
    return K.tanh(float_array("z", z))


def tanh_backward(dA: ArrayLike, Z: ArrayLike) -> np.ndarray:
    r""":math:`dZ = dA \cdot (1 - \tanh^2(Z))`."""
    dA, Z = float_array("dA", dA), float_array("Z", Z)
    same_shape("dA", dA, "Z", Z)
    return K.tanh_backward(dA, K.tanh(Z))


def relu(z: ArrayLike) -> np.ndarray:
    r""":math:`\mathrm{ReLU}(z) = \max(0, z)`."""
    return K.relu(float_array("z", z))


def relu_grad(z: ArrayLike, *, dialect: str = "zero-at-zero") -> np.ndarray:
    r""":math:`\mathrm{ReLU}'(z)`: 1 for :math:`z > 0`, 0 for :math:`z < 0`.

    At :math:`z = 0` the derivative is a convention: 0 in the canonical dialect
    ``"zero-at-zero"`` (the seeds' ``a > 0`` masks), 1 in ``"one-at-zero"``.
    """
    z = float_array("z", z)
    kernel = getattr(K, check_dialect("relu-grad", dialect, "grad"))
    return kernel(z)


def relu_backward(dA: ArrayLike, Z: ArrayLike, *, dialect: str = "zero-at-zero") -> np.ndarray:
    r""":math:`dZ = dA \cdot \mathrm{ReLU}'(Z)` (see :func:`relu_grad` for the convention at 0)."""
    dA, Z = float_array("dA", dA), float_array("Z", Z)
    same_shape("dA", dA, "Z", Z)
    return dA * relu_grad(Z, dialect=dialect)


def leaky_relu(z: ArrayLike, *, alpha: float = 0.01) -> np.ndarray:
    r""":math:`\max(\alpha z, z)` for a slope :math:`0 \le \alpha < 1`."""
    z = float_array("z", z)
    return K.leaky_relu(z, hyperparameter("alpha", alpha))


def leaky_relu_grad(z: ArrayLike, *, alpha: float = 0.01) -> np.ndarray:
    r"""1 for :math:`z > 0`, :math:`\alpha` otherwise (the slope :math:`\alpha` at 0)."""
    z = float_array("z", z)
    grad = K.leaky_relu_grad(z, hyperparameter("alpha", alpha))
    return np.asarray(grad, dtype=z.dtype)


def leaky_relu_backward(dA: ArrayLike, Z: ArrayLike, *, alpha: float = 0.01) -> np.ndarray:
    r""":math:`dZ = dA \cdot \mathrm{LeakyReLU}_\alpha'(Z)`."""
    dA, Z = float_array("dA", dA), float_array("Z", Z)
    same_shape("dA", dA, "Z", Z)
    return dA * leaky_relu_grad(Z, alpha=alpha)
