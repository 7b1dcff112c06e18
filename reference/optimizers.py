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
from ._overflow import past_range, through_overflow
from ._validate import (
    callable_argument,
    caller_names,
    check_dialect,
    flag,
    float_array,
    hyperparameter,
    integer,
    same_shape,
    state_fields,
)

__all__ = [
    "HYPERPARAMETERS",
    "AMSGradState",
    "AdagradState",
    "AdamState",
    "CenteredRMSPropState",
    "MomentumState",
    "RMSPropMomentumState",
    "RMSPropState",
    "adagrad_init",
    "adagrad_step",
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
    "rmsprop_momentum_init",
    "rmsprop_momentum_step",
    "rmsprop_step",
    "trajectory",
    "weight_decay_step",
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


class RMSPropMomentumState(NamedTuple):
    """RMSProp-with-momentum's average of squared gradients ``s`` and its buffer ``v``."""

    s: np.ndarray
    v: np.ndarray


class AdagradState(NamedTuple):
    """Adagrad's sum of squared gradients ``s``."""

    s: np.ndarray


def _param_and_grad(w: ArrayLike, g: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    w, g = float_array("w", w), float_array("g", g)
    same_shape("g", g, "w", w)
    return w, g


def _unpack(state: object, kind: type, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """A rule's ``state`` as its arrays, each checked to be floating point and shaped like ``w``."""
    return tuple(_state(f"state.{name}", value, w) for name, value in zip(
        kind._fields, state_fields("state", state, kind), strict=True))  # type: ignore[attr-defined]


def _state(name: str, value: ArrayLike, w: np.ndarray) -> np.ndarray:
    arr = float_array(name, value)
    same_shape(name, arr, "w", w)
    return arr


#: Entries per block where a rule with many temporaries steps a large array block by block.
#: Adam makes ten temporaries the size of w: for 10^6 float32 entries that is 40 MB of fresh
#: memory a step, which the allocator hands back and faults in again on the next. A block's
#: temporaries (128 KB each in float32) stay in the cache instead.
_BLOCK = 1 << 15


def _blockwise(body: Callable[..., tuple], w: np.ndarray, *arrays: np.ndarray, **hyperparameters: object) -> tuple:
    """``body(w, *arrays, **hyperparameters)`` for an elementwise rule's ``body``, which returns
    ``(w', state')``: on arrays of more than :data:`_BLOCK` entries, computed block by block into
    the results. Each entry depends only on the same entry of each array, so the results are the
    whole-array call's, bit for bit; an error (an overflow, a refusal) is raised as it would be."""
    if w.size <= _BLOCK:
        return body(w, *arrays, **hyperparameters)
    flat = [arr.reshape(-1) for arr in (w, *arrays)]
    outs: list[np.ndarray] = []
    for start in range(0, w.size, _BLOCK):
        new_w, new_state = body(*(arr[start:start + _BLOCK] for arr in flat), **hyperparameters)
        if not outs:
            outs = [np.empty(w.size, result.dtype) for result in (new_w, *new_state)]
        for out, result in zip(outs, (new_w, *new_state), strict=True):
            out[start:start + _BLOCK] = result
    shaped = [out.reshape(w.shape) for out in outs]
    return shaped[0], type(new_state)(*shaped[1:])


def _adam_hyperparameters(*, t: int, learning_rate: float, beta1: float, beta2: float, epsilon: float
                          ) -> dict[str, float]:
    """Adam's (and AMSGrad's) step number and hyperparameters, each checked against its domain."""
    return {"t": integer("t", t), "learning_rate": hyperparameter("learning_rate", learning_rate),
            "beta1": hyperparameter("beta1", beta1), "beta2": hyperparameter("beta2", beta2),
            "epsilon": hyperparameter("epsilon", epsilon)}


@through_overflow("the average")
def ewa_step(v: ArrayLike, theta: ArrayLike, *, beta: float) -> np.ndarray:
    r""":math:`v_t = \beta v_{t-1} + (1 - \beta)\theta_t`."""
    v, theta = float_array("v", v), float_array("theta", theta)
    same_shape("theta", theta, "v", v)
    return K.ewa_step(v, theta, hyperparameter("beta", beta))


@through_overflow("the corrected average")
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
    corrected = flag("bias_correction", bias_correction)
    out = np.empty_like(values)
    v = values.dtype.type(0)
    for i, th in enumerate(values):
        v = K.ewa_step(v, th, b)
        out[i] = K.bias_correction(v, b, i + 1) if corrected else v
    return out


@through_overflow("the step")
def gd_step(w: ArrayLike, g: ArrayLike, *, learning_rate: float) -> np.ndarray:
    r"""Gradient descent: :math:`w' = w - \alpha g`."""
    w, g = _param_and_grad(w, g)
    return K.gd_update(w, g, hyperparameter("learning_rate", learning_rate))


def _gd(w: np.ndarray, g: np.ndarray, *, learning_rate: float) -> tuple[np.ndarray, tuple[()]]:
    """:func:`gd_step`'s update, from checked arguments (and no state)."""
    return K.gd_update(w, g, learning_rate), ()


def momentum_init(w: ArrayLike) -> MomentumState:
    """Zero velocity, the shape and dtype of ``w``."""
    return MomentumState(np.zeros_like(float_array("w", w)))


@through_overflow("the step or its velocity")
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
    (v,) = _unpack(state, MomentumState, w)
    if not isinstance(dialect, str):  # unhashable: the cache cannot say what is wrong
        check_dialect("momentum", dialect, "velocity")
    _momentum_kernels(dialect)  # refuses a dialect the spec does not name
    return _momentum(w, g, v, beta=hyperparameter("beta", beta),
                     learning_rate=hyperparameter("learning_rate", learning_rate), dialect=dialect)


def _momentum(w: np.ndarray, g: np.ndarray, v: np.ndarray, *, beta: float, learning_rate: float,
              dialect: str) -> tuple[np.ndarray, MomentumState]:
    """:func:`momentum_step`'s update, from checked arguments."""
    velocity, velocity_args, update, update_args = _momentum_kernels(dialect)
    available = {"v": v, "g": g, "theta": g, "beta": beta, "learning_rate": learning_rate}
    v_new = velocity(*(available[name] for name in velocity_args))
    available = {"w": w, "v": v_new, "learning_rate": learning_rate}
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


@through_overflow("the step or its average of squared gradients")
def rmsprop_step(w: ArrayLike, g: ArrayLike, state: RMSPropState, *, beta2: float = 0.9,
                 learning_rate: float, epsilon: float = 1e-8,
                 dialect: str = "eps-inside") -> tuple[np.ndarray, RMSPropState]:
    r"""RMSProp.

    .. math::
        s' = \beta_2 s + (1 - \beta_2) g^2, \qquad w' = w - \alpha \frac{g}{\sqrt{s' + \varepsilon}}

    ``dialect="eps-outside"`` uses :math:`w - \alpha g / (\sqrt{s'} + \varepsilon)`.
    """
    w, g = _param_and_grad(w, g)
    (s,) = _unpack(state, RMSPropState, w)
    if not isinstance(dialect, str):  # unhashable: the cache cannot say what is wrong
        check_dialect("rmsprop", dialect, "update")
    _rmsprop_kernel(dialect)  # refuses a dialect the spec does not name
    return _rmsprop(w, g, s, beta2=hyperparameter("beta2", beta2),
                    learning_rate=hyperparameter("learning_rate", learning_rate),
                    epsilon=hyperparameter("epsilon", epsilon), dialect=dialect)


@functools.cache
def _rmsprop_kernel(dialect: str) -> Callable[..., np.ndarray]:
    return getattr(K, check_dialect("rmsprop", dialect, "update"))


def _rmsprop(w: np.ndarray, g: np.ndarray, s: np.ndarray, *, beta2: float, learning_rate: float, epsilon: float,
             dialect: str) -> tuple[np.ndarray, RMSPropState]:
    """:func:`rmsprop_step`'s update, from checked arguments."""
    s_new = K.ewa_step(s, g * g, beta2)
    return _rmsprop_kernel(dialect)(w, g, s_new, learning_rate, epsilon), RMSPropState(s_new)


def adam_init(w: ArrayLike) -> AdamState:
    """Zero moments, the shape and dtype of ``w``."""
    zeros = np.zeros_like(float_array("w", w))
    return AdamState(zeros, zeros.copy())


@through_overflow("the step or its moments")
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
    v, s = _unpack(state, AdamState, w)
    if not isinstance(dialect, str):  # unhashable: the cache cannot say what is wrong
        check_dialect("adam", dialect, "update")
    _adam_kernel(dialect)  # refuses a dialect the spec does not name
    return _blockwise(_adam, w, g, v, s, **_adam_hyperparameters(t=t, learning_rate=learning_rate, beta1=beta1,
                                                                  beta2=beta2, epsilon=epsilon), dialect=dialect)


@functools.cache
def _adam_kernel(dialect: str) -> tuple[Callable[..., np.ndarray], tuple[str, ...]]:
    """The dialect's update kernel, with the names of the quantities it reads (the corrected
    moments, or the raw ones with t and the betas)."""
    kernel = getattr(K, check_dialect("adam", dialect, "update"))
    return kernel, _argument_names(kernel)


def _adam(w: np.ndarray, g: np.ndarray, v: np.ndarray, s: np.ndarray, *, t: int, learning_rate: float,
          beta1: float, beta2: float, epsilon: float, dialect: str) -> tuple[np.ndarray, AdamState]:
    """:func:`adam_step`'s update, from checked arguments."""
    kernel, arguments = _adam_kernel(dialect)
    v_new, s_new = K.ewa_step(v, g, beta1), K.ewa_step(s, g * g, beta2)
    available = {"w": w, "v": v_new, "s": s_new, "t": t, "learning_rate": learning_rate, "beta1": beta1,
                 "beta2": beta2, "epsilon": epsilon}
    if "v_hat" in arguments:
        available["v_hat"] = K.bias_correction(v_new, beta1, t)
        available["s_hat"] = K.bias_correction(s_new, beta2, t)
    return kernel(*(available[name] for name in arguments)), AdamState(v_new, s_new)


@through_overflow("the step or its velocity")
def nesterov_step(w: ArrayLike, g: ArrayLike, state: MomentumState, *, beta: float = 0.9,
                  learning_rate: float, dialect: str = "lr-outside") -> tuple[np.ndarray, MomentumState]:
    r"""Nesterov momentum (PyTorch's form).

    .. math::
        v' = \beta v + g, \qquad w' = w - \alpha (g + \beta v')

    ``dialect="lr-inside"`` (Keras): :math:`v' = \beta v - \alpha g,\ w' = w + \beta v' - \alpha g`,
    the velocity carrying the learning rate (the same steps while :math:`\alpha` is constant).
    """
    w, g = _param_and_grad(w, g)
    (v,) = _unpack(state, MomentumState, w)
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


@through_overflow("the step or its moments")
def amsgrad_step(w: ArrayLike, g: ArrayLike, state: AMSGradState, *, t: int, learning_rate: float,
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8,
                 dialect: str = "max-raw", adam_dialect: str = "eps-outside") -> tuple[np.ndarray, AMSGradState]:
    r"""AMSGrad, step number ``t``: Adam with the running max of the second moment.

    .. math::
        v' = \beta_1 v + (1-\beta_1) g, \quad s' = \beta_2 s + (1-\beta_2) g^2, \quad
        s_{\max}' = \max(s_{\max}, s'), \quad
        w' = w - \alpha \frac{v'/(1-\beta_1^t)}{\sqrt{s_{\max}'/(1-\beta_2^t)} + \varepsilon}

    ``dialect="max-corrected"`` (Optax) keeps the max of the corrected moment instead,
    :math:`\hat s_{\max}' = \max(\hat s_{\max}, s'/(1-\beta_2^t))`, and divides by
    :math:`\sqrt{\hat s_{\max}'} + \varepsilon`.

    ``adam_dialect`` is the form of Adam's step the max goes into (one of :func:`adam_step`'s
    dialects, with the max for :math:`s`): Keras's AMSGrad is ``max-raw`` over ``eps-hat``. Under
    ``max-corrected``, a form that reads the uncorrected moment gets :math:`\hat s_{\max}'(1-\beta_2^t)`.
    """
    w, g = _param_and_grad(w, g)
    v, s, s_max = _unpack(state, AMSGradState, w)
    kernel = check_dialect("amsgrad", dialect, "max")
    update = getattr(K, check_dialect("adam", adam_dialect, "update", argument="adam_dialect"))
    checked = _adam_hyperparameters(t=t, learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon)
    return _blockwise(_amsgrad, w, g, v, s, s_max, **checked, kernel=kernel, update=update)


def _amsgrad(w: np.ndarray, g: np.ndarray, v: np.ndarray, s: np.ndarray, s_max: np.ndarray, *, t: int,
             learning_rate: float, beta1: float, beta2: float, epsilon: float, kernel: str,
             update: Callable[..., np.ndarray]) -> tuple[np.ndarray, AMSGradState]:
    """:func:`amsgrad_step`'s update, from checked arguments (``kernel``: the dialect's max;
    ``update``: the Adam dialect's update kernel)."""
    v_new, s_new = K.ewa_step(v, g, beta1), K.ewa_step(s, g * g, beta2)
    if kernel == "amsgrad_max":
        s_max_new = s_raw = K.amsgrad_max(s_max, s_new)
        s_hat = K.bias_correction(s_max_new, beta2, t)
    else:
        s_max_new = s_hat = K.amsgrad_max_corrected(s_max, s_new, beta2, t)
        s_raw = s_hat * (1 - beta2**t)  # the uncorrected moment whose correction the max is
    available = {"w": w, "v": v_new, "s": s_raw, "v_hat": K.bias_correction(v_new, beta1, t), "s_hat": s_hat,
                 "t": t, "learning_rate": learning_rate, "beta1": beta1, "beta2": beta2, "epsilon": epsilon}
    w_new = update(*(available[name] for name in _argument_names(update)))
    return w_new, AMSGradState(v_new, s_new, s_max_new)


def _variance(variance: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Centered RMSProp's ``s - g_bar^2``, never negative in exact arithmetic: a few ulps below 0 from
    rounding (a gradient that does not change) is 0; further below, the state was not one the
    averages reach."""
    if not variance.size or variance.min() >= 0:  # one pass, no boolean temporary (NaN: left as it is)
        return variance
    rounding = 8 * np.finfo(variance.dtype).eps * s
    if (variance < -rounding).any():
        raise ValueError("state.s must be at least state.g_bar**2 (an average of squares is never below the square "
                         "of the average): start from rmsprop_centered_init(w) and pass each step's state to the "
                         "next.")
    return np.maximum(variance, 0)


def rmsprop_centered_init(w: ArrayLike) -> CenteredRMSPropState:
    """Zero averages, the shape and dtype of ``w``."""
    zeros = np.zeros_like(float_array("w", w))
    return CenteredRMSPropState(zeros, zeros.copy())


@through_overflow("the step or its averages")
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
    s, g_bar = _unpack(state, CenteredRMSPropState, w)
    kernel = getattr(K, check_dialect("rmsprop-centered", dialect, "update"))
    return _blockwise(_rmsprop_centered, w, g, s, g_bar, beta2=hyperparameter("beta2", beta2),
                      learning_rate=hyperparameter("learning_rate", learning_rate),
                      epsilon=hyperparameter("epsilon", epsilon), kernel=kernel)


def _rmsprop_centered(w: np.ndarray, g: np.ndarray, s: np.ndarray, g_bar: np.ndarray, *, beta2: float,
                      learning_rate: float, epsilon: float, kernel: Callable[..., np.ndarray]
                      ) -> tuple[np.ndarray, CenteredRMSPropState]:
    """:func:`rmsprop_centered_step`'s update, from checked arguments (``kernel``: the dialect's)."""
    s_new = K.ewa_step(s, g * g, beta2)
    g_bar_new = K.ewa_step(g_bar, g, beta2)
    variance = _variance(K.rmsprop_centered_variance(s_new, g_bar_new), s_new)
    with np.errstate(invalid="ignore", divide="ignore"):  # only eps-subtracted leaves the reals (see above)
        w_new = kernel(w, g, variance, learning_rate, epsilon)
    return w_new, CenteredRMSPropState(s_new, g_bar_new)


def rmsprop_momentum_init(w: ArrayLike) -> RMSPropMomentumState:
    """Zero average and zero buffer, the shape and dtype of ``w``."""
    zeros = np.zeros_like(float_array("w", w))
    return RMSPropMomentumState(zeros, zeros.copy())


@through_overflow("the step, its average or its buffer")
def rmsprop_momentum_step(w: ArrayLike, g: ArrayLike, state: RMSPropMomentumState, *, beta2: float = 0.9,
                          beta: float = 0.9, learning_rate: float, epsilon: float = 1e-8,
                          dialect: str = "eps-inside") -> tuple[np.ndarray, RMSPropMomentumState]:
    r"""RMSProp with momentum: a buffer of RMSProp's scaled gradients.

    .. math::
        s' = \beta_2 s + (1 - \beta_2) g^2, \quad v' = \beta v + \frac{g}{\sqrt{s' + \varepsilon}}, \quad
        w' = w - \alpha v'

    Other dialects: ``"eps-outside"`` (PyTorch: :math:`\sqrt{s'} + \varepsilon`),
    ``"eps-inside-lr-inside"`` (Optax, Keras, TensorFlow.js: :math:`v' = \beta v + \alpha g/\sqrt{s' +
    \varepsilon},\ w' = w - v'`, the buffer carrying the learning rate) and ``"eps-outside-lr-inside"``.
    """
    w, g = _param_and_grad(w, g)
    s, v = _unpack(state, RMSPropMomentumState, w)
    velocity = getattr(K, check_dialect("rmsprop-momentum", dialect, "velocity"))
    update = getattr(K, check_dialect("rmsprop-momentum", dialect, "update"))
    b2, b = hyperparameter("beta2", beta2), hyperparameter("beta", beta)
    lr = hyperparameter("learning_rate", learning_rate)
    eps = hyperparameter("epsilon", epsilon)
    s_new = K.ewa_step(s, g * g, b2)
    available = {"v": v, "g": g, "s": s_new, "beta": b, "learning_rate": lr, "epsilon": eps}
    v_new = velocity(*(available[name] for name in _argument_names(velocity)))
    available = {"w": w, "v": v_new, "learning_rate": lr}
    return update(*(available[name] for name in _argument_names(update))), RMSPropMomentumState(s_new, v_new)


def adagrad_init(w: ArrayLike, *, dialect: str = "eps-outside") -> AdagradState:
    """The dialect's starting sum, :math:`s_0 = 0` (``"eps-outside"``, ``"eps-inside"``) or
    :math:`s_0 = 0.1` (the ``"start-tenth-..."`` dialects), the shape and dtype of ``w``."""
    w = float_array("w", w)
    start = getattr(K, check_dialect("adagrad", dialect, "start"))
    return AdagradState(np.full_like(w, start()))


@through_overflow("the step or its sum of squared gradients")
def adagrad_step(w: ArrayLike, g: ArrayLike, state: AdagradState, *, learning_rate: float, epsilon: float = 1e-10,
                 dialect: str = "eps-outside") -> tuple[np.ndarray, AdagradState]:
    r"""Adagrad: the squared gradients summed, not averaged.

    .. math::
        s' = s + g^2, \qquad w' = w - \alpha \frac{g}{\sqrt{s'} + \varepsilon}

    ``dialect="eps-inside"`` divides by :math:`\sqrt{s' + \varepsilon}` (Optax, Keras, TensorFlow.js).
    The ``"start-tenth-..."`` dialects take the same steps from :math:`s_0 = 0.1` (:func:`adagrad_init`).
    """
    w, g = _param_and_grad(w, g)
    (s,) = _unpack(state, AdagradState, w)
    kernel = getattr(K, check_dialect("adagrad", dialect, "update"))
    lr = hyperparameter("learning_rate", learning_rate)
    eps = hyperparameter("epsilon", epsilon)
    s_new = K.adagrad_accumulator(s, g)
    return kernel(w, g, s_new, lr, eps), AdagradState(s_new)


#: The hyperparameters of each rule's step, besides the learning rate: what :func:`trajectory` takes.
HYPERPARAMETERS: dict[str, tuple[str, ...]] = {"gd": (), "momentum": ("beta",), "rmsprop": ("beta2", "epsilon"),
                    "adam": ("beta1", "beta2", "epsilon"), "nesterov": ("beta",),
                    "amsgrad": ("beta1", "beta2", "epsilon"), "rmsprop-centered": ("beta2", "epsilon"),
                    "rmsprop-momentum": ("beta2", "beta", "epsilon"), "adagrad": ("epsilon",)}
_INITS: dict[str, Callable[[np.ndarray], object] | None] = {
    "gd": None, "momentum": momentum_init, "rmsprop": rmsprop_init, "adam": adam_init, "nesterov": momentum_init,
    "amsgrad": amsgrad_init, "rmsprop-centered": rmsprop_centered_init, "rmsprop-momentum": rmsprop_momentum_init}
_STEPS: dict[str, Callable[..., tuple[np.ndarray, object]]] = {
    "momentum": momentum_step, "rmsprop": rmsprop_step, "adam": adam_step, "nesterov": nesterov_step,
    "amsgrad": amsgrad_step, "rmsprop-centered": rmsprop_centered_step, "rmsprop-momentum": rmsprop_momentum_step,
    "adagrad": adagrad_step}
_COUNTS_STEPS = ("adam", "amsgrad")


def trajectory(rule: str, w: ArrayLike, grads: Sequence[ArrayLike], *,
               learning_rate: float | Sequence[float], dialect: str | None = None, weight_decay: float = 0.0,
               weight_decay_dialect: str = "l2", schedule_multiplier: float | Sequence[float] = 1.0,
               adam_dialect: str | None = None, **hyperparameters: float) -> list[np.ndarray]:
    r"""The parameters after each step of ``rule`` from its initial state: what a freshly made
    optimizer does with the gradients ``grads[0], grads[1], ...`` (one per step).

    ``rule`` is ``"gd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``, or beyond the course
    ``"nesterov"``, ``"amsgrad"``, ``"rmsprop-centered"``, ``"rmsprop-momentum"``, ``"adagrad"``;
    ``hyperparameters`` are that rule's step's (``beta``; ``beta2, epsilon``; ``beta1, beta2,
    epsilon``; ``beta2, beta, epsilon``; ``epsilon``) and ``learning_rate`` is one value, or one per
    step (a schedule's values). Adam and AMSGrad count :math:`t = 1, 2, \dots`. For momentum's
    ``"first-gradient"`` dialect the first velocity is the first gradient, :math:`v_1 = g_1`, and
    later steps are the EMA; Adagrad starts from its dialect's :math:`s_0`. ``adam_dialect`` is
    AMSGrad's form of Adam's step (:func:`amsgrad_step`).

    With ``weight_decay`` :math:`\lambda > 0`, each step decays :math:`w` in the spec's
    ``weight_decay_dialect``: ``"l2"`` runs the rule on :math:`g + \lambda w`; ``"lr-scaled"`` takes the
    rule's step :math:`\tilde w` and returns :math:`\tilde w - \alpha_t\lambda w`; ``"paper"`` returns
    :math:`\tilde w - \eta_t\lambda w`, where ``schedule_multiplier`` is :math:`\eta_t` (one value, or one
    per step) and ``learning_rate`` the rate :math:`\eta_t\alpha` the rule's step runs at. The result is
    a list of ``len(grads)`` arrays, :math:`w_1, w_2, \dots`.
    """
    if rule not in HYPERPARAMETERS:
        raise ValueError(f"rule must be one of {sorted(HYPERPARAMETERS)}; got {rule!r}.")
    names = HYPERPARAMETERS[rule]
    if set(hyperparameters) != set(names):
        raise TypeError(f"{rule} takes the hyperparameters {list(names)} (and learning_rate=); "
                        f"got {sorted(hyperparameters)}.")
    for name, value in hyperparameters.items():
        hyperparameter(name, value)
    if isinstance(grads, np.ndarray) or not isinstance(grads, Sequence) or not grads:
        raise ValueError("grads must be a non-empty list of gradients, one per step, each the shape of w; "
                         f"got {type(grads).__name__}.")
    rates = _per_step("learning_rate", learning_rate, len(grads))
    multipliers = _per_step("schedule_multiplier", schedule_multiplier, len(grads))
    hyperparameter("weight_decay", weight_decay)
    check_dialect("weight-decay", weight_decay_dialect, "update", argument="weight_decay_dialect")
    if rule == "gd" and dialect is not None:
        raise ValueError("gd has no dialects; leave dialect unset.")
    if adam_dialect is not None and rule != "amsgrad":
        raise ValueError(f"adam_dialect is AMSGrad's form of Adam's step; {rule} has none: leave it unset.")
    options = dict(hyperparameters) if dialect is None else dict(hyperparameters, dialect=dialect)
    if adam_dialect is not None:
        options["adam_dialect"] = adam_dialect
    first_velocity = rule == "momentum" and check_dialect("momentum", dialect or "ema", "first_velocity")
    w = float_array("w", w)
    if rule == "adagrad":
        state = adagrad_init(w, dialect=dialect or "eps-outside")
    else:
        init = _INITS[rule]
        state = init(w) if init else None
    start, out = w, []
    # A step past the dtype's range is refused naming trajectory's own arguments, not the state's.
    with past_range("trajectory", "a step's parameters or its optimizer state",
                    lambda: {"w": start, "grads": grads[:len(out) + 1]}):
        for t, (g, lr, eta) in enumerate(zip(grads, rates, multipliers, strict=True), start=1):
            if rule == "gd":
                step = gd_step
            elif rule == "momentum" and t == 1 and first_velocity:
                step = functools.partial(_first_velocity_step, getattr(K, first_velocity))
            else:
                step = functools.partial(_STEPS[rule], t=t) if rule in _COUNTS_STEPS else _STEPS[rule]
            with caller_names(g=f"grads[{t - 1}]"):
                result = weight_decay_step(step, w, g, state, weight_decay=weight_decay, learning_rate=lr,
                                           weight_decay_dialect=weight_decay_dialect, schedule_multiplier=eta,
                                           **({} if rule == "gd" else options))
            w, state = (result, None) if rule == "gd" else result
            out.append(w)
    return out


def _first_velocity_step(first_velocity: Callable[[np.ndarray], np.ndarray], w: np.ndarray, g: np.ndarray,
                         state: object, *, learning_rate: float, **_: object) -> tuple[np.ndarray, MomentumState]:
    """Momentum's first step in a dialect whose first velocity is not the EMA's (``v_1 = g_1``)."""
    first = MomentumState(np.array(first_velocity(g)))
    return K.momentum_update(w, first.v, hyperparameter("learning_rate", learning_rate)), first


@through_overflow("the decayed step")
def weight_decay_step(step: Callable[..., object], w: ArrayLike, g: ArrayLike, state: object = None, *,
                      weight_decay: float, learning_rate: float, weight_decay_dialect: str = "l2",
                      schedule_multiplier: float = 1.0, **hyperparameters: object) -> object:
    r"""One step of the rule ``step`` (:func:`adam_step`, :func:`momentum_step`, ... with its ``state``
    and ``hyperparameters``, its ``dialect`` among them; :func:`gd_step` without a state) with weight
    decay :math:`\lambda` in the spec's ``weight_decay_dialect``; it returns what ``step`` returns.

    .. math::
        \text{l2:}\ g' = g + \lambda w \text{ before the rule}; \qquad
        \text{lr-scaled:}\ w' = \tilde w - \alpha\lambda w; \qquad
        \text{paper:}\ w' = \tilde w - \eta\lambda w

    where :math:`\tilde w` is the rule's own step from :math:`w` (:math:`w - \alpha u`, so lr-scaled is
    :math:`w - \alpha(u + \lambda w)`), and :math:`\eta` the ``schedule_multiplier``: for the paper's
    form (Loshchilov & Hutter, Algorithm 2) ``learning_rate`` is the rate :math:`\eta\alpha` the rule
    runs at, and the decay is scaled by :math:`\eta` alone.
    """
    callable_argument("step", step, "a rule's step function, such as adam_step or gd_step")
    if step is gd_step and state is not None:
        raise TypeError(f"state must be None with gd_step, which keeps no state; got {type(state).__name__}.")
    w, g = _param_and_grad(w, g)
    decay = hyperparameter("weight_decay", weight_decay)
    decoupled = check_dialect("weight-decay", weight_decay_dialect, "update", argument="weight_decay_dialect")
    eta = hyperparameter("schedule_multiplier", schedule_multiplier)
    if decay and not decoupled:  # l2: the rule runs on the decayed gradient
        g = K.weight_decay_l2_gradient(g, w, decay)
    result = (step(w, g, learning_rate=learning_rate, **hyperparameters) if state is None else
              step(w, g, state, learning_rate=learning_rate, **hyperparameters))
    w_step, new_state = (result, None) if state is None else result
    if decay and decoupled == "weight_decay_lr_scaled_update":
        w_step = K.weight_decay_lr_scaled_update(w_step, w, hyperparameter("learning_rate", learning_rate), decay)
    elif decay and decoupled:
        w_step = K.weight_decay_paper_update(w_step, w, decay, eta)
    return w_step if state is None else (w_step, new_state)


def _per_step(name: str, value: float | Sequence[float], steps: int) -> list[float]:
    """``value`` for each of ``steps`` steps: one number repeated, or a list of one per step."""
    if not isinstance(value, numbers.Real) and (isinstance(value, str) or not isinstance(value, Sequence)):
        raise TypeError(f"{name} must be a number, or a list of one per step; got {type(value).__name__}.")
    values = [value] * steps if isinstance(value, numbers.Real) else list(value)
    if len(values) != steps:
        raise ValueError(f"{name} must be one number or one per step: {steps} gradients, {len(values)} "
                         f"{name.replace('_', ' ')}s.")
    return values


def _argument_names(kernel: Callable[..., object]) -> tuple[str, ...]:
    code = kernel.__code__
    return code.co_varnames[: code.co_argcount]

