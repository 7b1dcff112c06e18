"""Update rules, one parameter array at a time, in the style of optax: each rule is a
pure function ``(w, g, state, *, hyperparameters) -> (new_w, new_state)`` with its state
a small named tuple. Nothing is modified in place.

The hyperparameters are keyword-only and checked against the spec's domains before
anything is computed; ``dialect=`` selects one of the spec's named conventions (the
canonical one by default). The arrays' dtype is kept: float32 in, float32 out (state
made with ``np.zeros(shape)`` is float64 and promotes, as NumPy does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._validate import check_dialect, float_array, hyperparameter, integer, same_shape

__all__ = [
    "AdamState",
    "MomentumState",
    "RMSPropState",
    "adam_init",
    "adam_step",
    "bias_correction",
    "ewa_step",
    "exponentially_weighted_average",
    "gd_step",
    "momentum_init",
    "momentum_step",
    "rmsprop_init",
    "rmsprop_step",
]


class MomentumState(NamedTuple):
    """Momentum's velocity ``v``, the same shape as the parameter."""

    v: np.ndarray


class RMSPropState(NamedTuple):
    """RMSProp's average of squared gradients ``s``."""

    s: np.ndarray


class AdamState(NamedTuple):
    """Adam's first and second moment averages ``v`` and ``s`` (uncorrected)."""

    v: np.ndarray
    s: np.ndarray


def _param_and_grad(w: ArrayLike, g: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    w, g = float_array("w", w), float_array("g", g)
    same_shape("g", g, "w", w)
    return w, g


def _state(name: str, value: ArrayLike, w: np.ndarray) -> np.ndarray:
    arr = float_array(name, value)
    same_shape(name, arr, "w", w)
    return arr


def ewa_step(v: ArrayLike, theta: ArrayLike, *, beta: float) -> np.ndarray:
    r""":math:`v_t = \beta v_{t-1} + (1 - \beta)\theta_t`."""
    v, theta = float_array("v", v), float_array("theta", theta)
    same_shape("theta", theta, "v", v)
    return K.ewa_step(v, theta, hyperparameter("beta", beta))


def bias_correction(v: ArrayLike, *, beta: float, t: int) -> np.ndarray:
    r""":math:`\hat v_t = v_t / (1 - \beta^t)`."""
    v = float_array("v", v)
    return K.bias_correction(v, hyperparameter("beta", beta), integer("t", t))


def exponentially_weighted_average(theta: Sequence[float] | ArrayLike, *, beta: float,
                                   bias_correction: bool = False) -> np.ndarray:
    r""":math:`v_1, \dots, v_T` for :math:`v_t = \beta v_{t-1} + (1-\beta)\theta_t`,
    :math:`v_0 = 0`; with ``bias_correction=True``, :math:`v_t / (1 - \beta^t)` instead.

    ``theta`` is a 1-D sequence (a float64 array is made of a list of numbers).
    """
    values = np.asarray(theta, dtype=np.float64) if isinstance(theta, list | tuple) else theta
    values = float_array("theta", values)
    if values.ndim != 1:
        raise ValueError(f"theta must be a 1-D sequence of observations; got shape {values.shape}.")
    b = hyperparameter("beta", beta)
    out = np.empty_like(values)
    v = values.dtype.type(0)
    for i, th in enumerate(values):
        v = K.ewa_step(v, th, b)
        out[i] = K.bias_correction(v, b, i + 1) if bias_correction else v
    return out


def gd_step(w: ArrayLike, g: ArrayLike, *, learning_rate: float) -> np.ndarray:
    r"""Gradient descent: :math:`w' = w - \alpha g`."""
    w, g = _param_and_grad(w, g)
    return K.gd_update(w, g, hyperparameter("learning_rate", learning_rate))


def momentum_init(w: ArrayLike) -> MomentumState:
    """Zero velocity, the shape and dtype of ``w``."""
    return MomentumState(np.zeros_like(float_array("w", w)))


def momentum_step(w: ArrayLike, g: ArrayLike, state: MomentumState, *, beta: float = 0.9,
                  learning_rate: float, dialect: str = "ema") -> tuple[np.ndarray, MomentumState]:
    r"""Momentum.

    .. math::
        v' = \beta v + (1 - \beta) g, \qquad w' = w - \alpha v'

    ``dialect="heavy-ball"`` uses :math:`v' = \beta v + g` instead.
    """
    w, g = _param_and_grad(w, g)
    v = _state("state.v", state.v, w)
    kernel = getattr(K, check_dialect("momentum", dialect, "velocity"))
    b = hyperparameter("beta", beta)
    lr = hyperparameter("learning_rate", learning_rate)
    v_new = kernel(v, g, b)
    return K.momentum_update(w, v_new, lr), MomentumState(v_new)


def rmsprop_init(w: ArrayLike) -> RMSPropState:
    """Zero average of squared gradients, the shape and dtype of ``w``."""
    return RMSPropState(np.zeros_like(float_array("w", w)))


def rmsprop_step(w: ArrayLike, g: ArrayLike, state: RMSPropState, *, beta2: float = 0.9,
                 learning_rate: float, epsilon: float = 1e-8,
                 dialect: str = "eps-inside") -> tuple[np.ndarray, RMSPropState]:
    r"""RMSProp.

    .. math::
        s' = \beta_2 s + (1 - \beta_2) g^2, \qquad w' = w - \alpha \frac{g}{\sqrt{s' + \varepsilon}}

    ``dialect="eps-outside"`` uses :math:`w - \alpha g / (\sqrt{s'} + \varepsilon)`.
    """
    w, g = _param_and_grad(w, g)
    s = _state("state.s", state.s, w)
    kernel = getattr(K, check_dialect("rmsprop", dialect, "update"))
    b2 = hyperparameter("beta2", beta2)
    lr = hyperparameter("learning_rate", learning_rate)
    eps = hyperparameter("epsilon", epsilon)
    s_new = K.ewa_step(s, g * g, b2)
    return kernel(w, g, s_new, lr, eps), RMSPropState(s_new)


def adam_init(w: ArrayLike) -> AdamState:
    """Zero moments, the shape and dtype of ``w``."""
    zeros = np.zeros_like(float_array("w", w))
    return AdamState(zeros, zeros.copy())


def adam_step(w: ArrayLike, g: ArrayLike, state: AdamState, *, t: int, learning_rate: float,
              beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8,
              dialect: str = "eps-outside") -> tuple[np.ndarray, AdamState]:
    r"""Adam, step number ``t`` (1 on the first update).

    .. math::
        v' = \beta_1 v + (1-\beta_1) g, \quad s' = \beta_2 s + (1-\beta_2) g^2, \quad
        \hat v = \frac{v'}{1-\beta_1^t}, \quad \hat s = \frac{s'}{1-\beta_2^t}, \quad
        w' = w - \alpha \frac{\hat v}{\sqrt{\hat s} + \varepsilon}

    Other dialects: ``"eps-inside"`` (:math:`\sqrt{\hat s + \varepsilon}`), ``"eps-hat"``
    (the paper's efficiency form, TF1 and Keras), ``"no-bias-correction"``.
    """
    w, g = _param_and_grad(w, g)
    v, s = _state("state.v", state.v, w), _state("state.s", state.s, w)
    kernel = getattr(K, check_dialect("adam", dialect, "update"))
    step = integer("t", t)
    lr = hyperparameter("learning_rate", learning_rate)
    b1, b2 = hyperparameter("beta1", beta1), hyperparameter("beta2", beta2)
    eps = hyperparameter("epsilon", epsilon)
    v_new = K.ewa_step(v, g, b1)
    s_new = K.ewa_step(s, g * g, b2)
    # Each dialect's update kernel names the quantities it reads (the corrected moments, or
    # the raw ones with t and the betas); pass it exactly those.
    available = {"w": w, "v": v_new, "s": s_new, "t": step, "learning_rate": lr, "beta1": b1,
                 "beta2": b2, "epsilon": eps}
    arguments = _argument_names(kernel)
    if "v_hat" in arguments:
        available["v_hat"] = K.bias_correction(v_new, b1, step)
        available["s_hat"] = K.bias_correction(s_new, b2, step)
    w_new = kernel(*(available[name] for name in arguments))
    return w_new, AdamState(v_new, s_new)


def _argument_names(kernel: Callable[..., object]) -> tuple[str, ...]:
    code = kernel.__code__
    return code.co_varnames[: code.co_argcount]
