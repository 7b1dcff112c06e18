"""Update rules, one parameter array at a time, in the style of optax: each rule is a
pure function ``(w, g, state, *, hyperparameters) -> (new_w, new_state)`` with its state
a small named tuple. Nothing is modified in place.

The hyperparameters are keyword-only and checked against the spec's domains before
anything is computed; ``dialect=`` selects one of the spec's named conventions (the
canonical one by default). The arrays' dtype is kept: float32 in, float32 out (state
made with ``np.zeros(shape)`` is float64 and promotes, as NumPy does).
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._validate import check_dialect, float_array, hyperparameter, integer, same_shape

__all__ = [
    "AMSGradState",
    "AdamState",
    "CenteredRMSPropState",
    "MomentumState",
    "RMSPropState",
    "adam_init",
    "adam_step",
    "amsgrad_init",
    "amsgrad_step",
    "bias_correction",
    "ewa_step",
    "exponentially_weighted_average",
    "gd_step",
    "momentum_init",
    "momentum_step",
    "nesterov_step",
    "rmsprop_centered_init",
    "rmsprop_centered_step",
    "rmsprop_init",
    "rmsprop_step",
    "trajectory",
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


class AMSGradState(NamedTuple):
    """AMSGrad's moments ``v`` and ``s`` (uncorrected) and the running max ``s_max``: of the
    uncorrected ``s`` (dialect ``max-raw``) or of the corrected one (``max-corrected``)."""

    v: np.ndarray
    s: np.ndarray
    s_max: np.ndarray


class CenteredRMSPropState(NamedTuple):
    """Centered RMSProp's average of squared gradients ``s`` and average gradient ``g_bar``."""

    s: np.ndarray
    g_bar: np.ndarray


def _param_and_grad(w: ArrayLike, g: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    w, g = float_array("w", w), float_array("g", g)
    same_shape("g", g, "w", w)
    return w, g


def _state(name: str, value: ArrayLike, w: np.ndarray) -> np.ndarray:
    arr = float_array(name, value)
    same_shape(name, arr, "w", w)
    return arr


def _adam_moments(w: np.ndarray, g: np.ndarray, v: np.ndarray, s: np.ndarray, *, t: int, learning_rate: float,
                  beta1: float, beta2: float, epsilon: float) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """Adam's updated moments ``v' = beta1 v + (1 - beta1) g`` and ``s' = beta2 s + (1 - beta2) g^2``
    (AMSGrad's too), and the step's hyperparameters, each checked against its domain."""
    checked = {"t": integer("t", t), "learning_rate": hyperparameter("learning_rate", learning_rate),
               "beta1": hyperparameter("beta1", beta1), "beta2": hyperparameter("beta2", beta2),
               "epsilon": hyperparameter("epsilon", epsilon)}
    return K.ewa_step(v, g, checked["beta1"]), K.ewa_step(s, g * g, checked["beta2"]), checked


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

    Other dialects: ``"heavy-ball"`` (:math:`v' = \beta v + g`), ``"lr-inside"``
    (:math:`v' = \beta v - \alpha g,\ w' = w + v'`: the velocity carries the learning rate, as
    in Keras) and ``"first-gradient"``, which is the EMA step here: it differs only in how a
    fresh optimizer makes its first velocity (see :func:`trajectory`).
    """
    w, g = _param_and_grad(w, g)
    v = _state("state.v", state.v, w)
    if not isinstance(dialect, str):  # unhashable: the cache cannot say what is wrong
        check_dialect("momentum", dialect, "velocity")
    velocity, velocity_args, update, update_args = _momentum_kernels(dialect)
    b = hyperparameter("beta", beta)
    lr = hyperparameter("learning_rate", learning_rate)
    available = {"v": v, "g": g, "theta": g, "beta": b, "learning_rate": lr}
    v_new = velocity(*(available[name] for name in velocity_args))
    available = {"w": w, "v": v_new, "learning_rate": lr}
    return update(*(available[name] for name in update_args)), MomentumState(v_new)


@functools.cache
def _momentum_kernels(dialect: str) -> tuple[Callable[..., np.ndarray], tuple[str, ...],
                                             Callable[..., np.ndarray], tuple[str, ...]]:
    """The dialect's velocity and update kernels, each with the names of its arguments."""
    velocity = getattr(K, check_dialect("momentum", dialect, "velocity"))
    update = getattr(K, check_dialect("momentum", dialect, "update") or "momentum_update")
    return velocity, _argument_names(velocity), update, _argument_names(update)


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
    v_new, s_new, checked = _adam_moments(w, g, v, s, t=t, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
                                          epsilon=epsilon)
    # Each dialect's update kernel names the quantities it reads (the corrected moments, or
    # the raw ones with t and the betas); pass it exactly those.
    available = {"w": w, "v": v_new, "s": s_new, **checked}
    arguments = _argument_names(kernel)
    if "v_hat" in arguments:
        available["v_hat"] = K.bias_correction(v_new, checked["beta1"], checked["t"])
        available["s_hat"] = K.bias_correction(s_new, checked["beta2"], checked["t"])
    w_new = kernel(*(available[name] for name in arguments))
    return w_new, AdamState(v_new, s_new)


def nesterov_step(w: ArrayLike, g: ArrayLike, state: MomentumState, *, beta: float = 0.9,
                  learning_rate: float, dialect: str = "lr-outside") -> tuple[np.ndarray, MomentumState]:
    r"""Nesterov momentum (PyTorch's form).

    .. math::
        v' = \beta v + g, \qquad w' = w - \alpha (g + \beta v')

    ``dialect="lr-inside"`` (Keras): :math:`v' = \beta v - \alpha g,\ w' = w + \beta v' - \alpha g`,
    the velocity carrying the learning rate (the same steps while :math:`\alpha` is constant).
    """
    w, g = _param_and_grad(w, g)
    v = _state("state.v", state.v, w)
    velocity = getattr(K, check_dialect("nesterov", dialect, "velocity"))
    update = getattr(K, check_dialect("nesterov", dialect, "update"))
    b = hyperparameter("beta", beta)
    lr = hyperparameter("learning_rate", learning_rate)
    available = {"v": v, "g": g, "beta": b, "learning_rate": lr}
    v_new = velocity(*(available[name] for name in _argument_names(velocity)))
    available = {"w": w, "g": g, "v": v_new, "beta": b, "learning_rate": lr}
    return update(*(available[name] for name in _argument_names(update))), MomentumState(v_new)


def amsgrad_init(w: ArrayLike) -> AMSGradState:
    """Zero moments and a zero running max, the shape and dtype of ``w``."""
    zeros = np.zeros_like(float_array("w", w))
    return AMSGradState(zeros, zeros.copy(), zeros.copy())


def amsgrad_step(w: ArrayLike, g: ArrayLike, state: AMSGradState, *, t: int, learning_rate: float,
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8,
                 dialect: str = "max-raw") -> tuple[np.ndarray, AMSGradState]:
    r"""AMSGrad, step number ``t``: Adam with the running max of the second moment.

    .. math::
        v' = \beta_1 v + (1-\beta_1) g, \quad s' = \beta_2 s + (1-\beta_2) g^2, \quad
        s_{\max}' = \max(s_{\max}, s'), \quad
        w' = w - \alpha \frac{v'/(1-\beta_1^t)}{\sqrt{s_{\max}'/(1-\beta_2^t)} + \varepsilon}

    ``dialect="max-corrected"`` (Optax) keeps the max of the corrected moment instead,
    :math:`\hat s_{\max}' = \max(\hat s_{\max}, s'/(1-\beta_2^t))`, and divides by
    :math:`\sqrt{\hat s_{\max}'} + \varepsilon`.
    """
    w, g = _param_and_grad(w, g)
    v, s = _state("state.v", state.v, w), _state("state.s", state.s, w)
    s_max = _state("state.s_max", state.s_max, w)
    kernel = check_dialect("amsgrad", dialect, "max")
    v_new, s_new, checked = _adam_moments(w, g, v, s, t=t, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
                                          epsilon=epsilon)
    step, lr, b1, b2, eps = (checked[k] for k in ("t", "learning_rate", "beta1", "beta2", "epsilon"))
    if kernel == "amsgrad_max":
        s_max_new = K.amsgrad_max(s_max, s_new)
        s_hat = K.bias_correction(s_max_new, b2, step)
    else:
        s_max_new = s_hat = K.amsgrad_max_corrected(s_max, s_new, b2, step)
    w_new = K.adam_update(w, K.bias_correction(v_new, b1, step), s_hat, lr, eps)
    return w_new, AMSGradState(v_new, s_new, s_max_new)


def rmsprop_centered_init(w: ArrayLike) -> CenteredRMSPropState:
    """Zero averages, the shape and dtype of ``w``."""
    zeros = np.zeros_like(float_array("w", w))
    return CenteredRMSPropState(zeros, zeros.copy())


def rmsprop_centered_step(w: ArrayLike, g: ArrayLike, state: CenteredRMSPropState, *, beta2: float = 0.9,
                          learning_rate: float, epsilon: float = 1e-8,
                          dialect: str = "eps-inside") -> tuple[np.ndarray, CenteredRMSPropState]:
    r"""Centered RMSProp: the squared gradients' average less the squared average gradient.

    .. math::
        s' = \beta_2 s + (1 - \beta_2) g^2, \quad \bar g' = \beta_2 \bar g + (1 - \beta_2) g, \quad
        w' = w - \alpha \frac{g}{\sqrt{s' - \bar g'^2 + \varepsilon}}

    ``dialect="eps-outside"`` (PyTorch) divides by :math:`\sqrt{s' - \bar g'^2} + \varepsilon`;
    ``"eps-subtracted"`` (TensorFlow.js) by :math:`\sqrt{s' - \bar g'^2 - \varepsilon}`, which is not
    real where :math:`s' - \bar g'^2 < \varepsilon`: there this dialect gives NaN, as TensorFlow.js does.
    """
    w, g = _param_and_grad(w, g)
    s, g_bar = _state("state.s", state.s, w), _state("state.g_bar", state.g_bar, w)
    kernel = getattr(K, check_dialect("rmsprop-centered", dialect, "update"))
    b2 = hyperparameter("beta2", beta2)
    lr = hyperparameter("learning_rate", learning_rate)
    eps = hyperparameter("epsilon", epsilon)
    s_new = K.ewa_step(s, g * g, b2)
    g_bar_new = K.ewa_step(g_bar, g, b2)
    with np.errstate(invalid="ignore", divide="ignore"):  # only eps-subtracted leaves the reals (see above)
        w_new = kernel(w, g, s_new, g_bar_new, lr, eps)
    return w_new, CenteredRMSPropState(s_new, g_bar_new)


#: The hyperparameters of each rule's step, besides the learning rate.
_HYPERPARAMETERS = {"gd": (), "momentum": ("beta",), "rmsprop": ("beta2", "epsilon"),
                    "adam": ("beta1", "beta2", "epsilon"), "nesterov": ("beta",),
                    "amsgrad": ("beta1", "beta2", "epsilon"), "rmsprop-centered": ("beta2", "epsilon")}


def trajectory(rule: str, w: ArrayLike, grads: Sequence[ArrayLike], *,
               learning_rate: float | Sequence[float], dialect: str | None = None,
               **hyperparameters: float) -> list[np.ndarray]:
    r"""The parameters after each step of ``rule`` from its initial state: what a freshly made
    optimizer does with the gradients ``grads[0], grads[1], ...`` (one per step).

    ``rule`` is ``"gd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``, or beyond the course
    ``"nesterov"``, ``"amsgrad"``, ``"rmsprop-centered"``; ``hyperparameters`` are that rule's
    step's (``beta``; ``beta2, epsilon``; ``beta1, beta2, epsilon``) and ``learning_rate`` is one
    value, or one per step (a schedule's values). Adam and AMSGrad count :math:`t = 1, 2, \dots`.
    For momentum's ``"first-gradient"`` dialect the first velocity is the first gradient,
    :math:`v_1 = g_1`, and later steps are the EMA. The result is a list of ``len(grads)`` arrays,
    :math:`w_1, w_2, \dots`.
    """
    if rule not in _HYPERPARAMETERS:
        raise ValueError(f"rule must be one of {sorted(_HYPERPARAMETERS)}; got {rule!r}.")
    names = _HYPERPARAMETERS[rule]
    if set(hyperparameters) != set(names):
        raise TypeError(f"{rule} takes the hyperparameters {list(names)} (and learning_rate=); "
                        f"got {sorted(hyperparameters)}.")
    for name, value in hyperparameters.items():
        hyperparameter(name, value)
    if isinstance(grads, np.ndarray) or not isinstance(grads, Sequence) or not grads:
        raise ValueError("grads must be a non-empty list of gradients, one per step, each the shape of w; "
                         f"got {type(grads).__name__}.")
    rates = [learning_rate] * len(grads) if isinstance(learning_rate, numbers.Real) else list(learning_rate)
    if len(rates) != len(grads):
        raise ValueError(f"learning_rate must be one number or one per step: {len(grads)} gradients, "
                         f"{len(rates)} learning rates.")
    if rule == "gd" and dialect is not None:
        raise ValueError("gd has no dialects; leave dialect unset.")
    options = dict(hyperparameters) if dialect is None else dict(hyperparameters, dialect=dialect)
    first_velocity = rule == "momentum" and check_dialect("momentum", dialect or "ema", "first_velocity")
    w = float_array("w", w)
    state = {"gd": None, "momentum": momentum_init, "rmsprop": rmsprop_init, "adam": adam_init,
             "nesterov": momentum_init, "amsgrad": amsgrad_init, "rmsprop-centered": rmsprop_centered_init}[rule]
    state = state(w) if state else None
    out = []
    for t, (g, lr) in enumerate(zip(grads, rates, strict=True), start=1):
        if rule == "gd":
            w = gd_step(w, g, learning_rate=lr)
        elif rule == "momentum" and t == 1 and first_velocity:
            _, g = _param_and_grad(w, g)
            state = MomentumState(np.array(getattr(K, first_velocity)(g)))
            w = K.momentum_update(w, state.v, hyperparameter("learning_rate", lr))
        elif rule == "momentum":
            w, state = momentum_step(w, g, state, learning_rate=lr, **options)
        elif rule == "rmsprop":
            w, state = rmsprop_step(w, g, state, learning_rate=lr, **options)
        elif rule == "adam":
            w, state = adam_step(w, g, state, t=t, learning_rate=lr, **options)
        elif rule == "nesterov":
            w, state = nesterov_step(w, g, state, learning_rate=lr, **options)
        elif rule == "amsgrad":
            w, state = amsgrad_step(w, g, state, t=t, learning_rate=lr, **options)
        else:
            w, state = rmsprop_centered_step(w, g, state, learning_rate=lr, **options)
        out.append(w)
    return out


def _argument_names(kernel: Callable[..., object]) -> tuple[str, ...]:
    code = kernel.__code__
    return code.co_varnames[: code.co_argcount]

