"""The seeds' notebook API, on top of the functional core.

Same names, signatures and return conventions as the course notebooks (seeds 000, 001
and 002), so notebook code can call gradspec instead, or be checked against it. Unlike
the notebooks' code these functions

* never modify the caller's dictionaries or arrays (they return new ones),
* never touch NumPy's global random state (a seeded ``np.random.RandomState`` draws
  the same numbers the notebooks' ``np.random.seed(n)`` calls lead to),
* never print (the notebooks' ``predict`` prints the accuracy: compute
  ``np.mean(p == y)`` yourself), and
* check their arguments first: missing or extra layers, mismatched shapes (an ``(n, 1)``
  against an ``(n,)`` array included), hyperparameters outside their domain.

Parameters are ``{"W1", "b1", ..., "WL", "bL"}``; gradients and optimizer state use the
keys ``"dW1", "db1", ...``. Gradients may carry the notebooks' intermediate keys
(``"dz3"``, ``"dA2"``, ...): they are ignored.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial
from itertools import accumulate
from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from . import activations, losses, optimizers, regularization, schedules
from ._overflow import past_range
from ._validate import (
    caller_names,
    check_dialect,
    float_array,
    hyperparameter,
    integer,
    labels,
    labels_like,
    real_number,
    same_shape,
)
from .gradcheck import relative_difference, two_sided_difference
from .initialization import initialize_dense
from .layers import linear_backward, linear_forward
from .minibatch import mini_batches

__all__ = [
    "backward_propagation",
    "backward_propagation_with_dropout",
    "backward_propagation_with_regularization",
    "compute_cost",
    "compute_cost_with_regularization",
    "exponentially_weighted_averages",
    "forward_propagation",
    "forward_propagation_with_dropout",
    "gradient_check",
    "initialize_adam",
    "initialize_parameters",
    "initialize_parameters_he",
    "initialize_parameters_random",
    "initialize_parameters_zeros",
    "initialize_rmsprop",
    "initialize_velocity",
    "predict",
    "random_mini_batches",
    "relu",
    "relu_backward",
    "schedule_lr_decay",
    "sigmoid",
    "sigmoid_backward",
    "tanh_backward",
    "update_lr",
    "update_parameters_with_adam",
    "update_parameters_with_gd",
    "update_parameters_with_momentum",
    "update_parameters_with_rmsprop",
]

Params = dict[str, np.ndarray]

_INTERMEDIATE = re.compile(r"d[aAzZ]\d+")
_T = TypeVar("_T")


# --- dictionaries of layers -----------------------------------------------------------------

@lru_cache(maxsize=32)
def _layer_keys(n_layers: int) -> tuple[str, ...]:
    return tuple(f"{p}{layer}" for layer in range(1, n_layers + 1) for p in ("W", "b"))


@lru_cache(maxsize=256)
def _keys_ok(keys: frozenset[str], expected: tuple[str, ...], allow_intermediate: bool) -> bool:
    """Whether a dict with ``keys`` holds exactly ``expected`` (and, if allowed, the
    notebooks' intermediate gradients). Cached: a training loop passes the same keys each step."""
    extra = keys.difference(expected)
    return len(keys) - len(extra) == len(expected) and (
        not extra or (allow_intermediate and all(_INTERMEDIATE.fullmatch(k) for k in extra)))


def _layers(parameters: Mapping[str, ArrayLike]) -> tuple[str, ...]:
    """The parameter keys ``W1, b1, ..., WL, bL``, checked; a ValueError names what is off."""
    if not isinstance(parameters, Mapping):
        raise TypeError(f"parameters must be a dict like {{'W1': ..., 'b1': ...}}; got "
                        f"{type(parameters).__name__}.")
    expected = _layer_keys(len(parameters) // 2)
    if not expected or not _keys_ok(frozenset(parameters), expected, False):
        n_layers = sum(1 for key in parameters if re.fullmatch(r"W\d+", key))
        expected = _layer_keys(n_layers)
        _same_keys("parameters", parameters, expected)
        if n_layers == 0:
            raise ValueError("parameters has no weights: expected keys 'W1', 'b1', ...")
    for key in expected:
        value = parameters[key]
        if type(value) is not np.ndarray or value.dtype.kind != "f":  # masked arrays too: float_array says why
            float_array(f"parameters[{key!r}]", value)
    return expected


def _same_keys(name: str, mapping: Mapping[str, object], expected: Sequence[str],
               ignore: re.Pattern[str] | None = None) -> None:
    keys = {k for k in mapping if ignore is None or not ignore.fullmatch(k)}
    missing = [k for k in expected if k not in keys]
    extra = sorted(keys - set(expected))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unexpected {extra}")
        raise ValueError(f"{name} does not match the parameters' layers: {'; '.join(parts)}. "
                         f"Expected exactly {list(expected)}.")


def _matching(name: str, mapping: Mapping[str, ArrayLike], parameters: Mapping[str, ArrayLike],
              keys: Sequence[str], *, allow_intermediate: bool = False) -> None:
    """``mapping`` holds ``d<key>`` for every parameter key, a float array shaped like the
    parameter. (The common case is checked in one pass; a failure is then explained.)"""
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{name} must be a dict like {{'dW1': ..., 'db1': ...}}; got "
                        f"{type(mapping).__name__}.")
    wanted = _gradient_keys(tuple(keys))
    if not _keys_ok(frozenset(mapping), wanted, allow_intermediate):
        _same_keys(name, mapping, wanted, _INTERMEDIATE if allow_intermediate else None)
    for key, dkey in zip(keys, wanted):  # noqa: B905 - the same length: wanted is made of keys
        arr, like = mapping[dkey], parameters[key]
        if type(arr) is not np.ndarray or arr.dtype.kind != "f" or arr.shape != _shape(like):
            arr = float_array(f"{name}[{dkey!r}]", arr)
            same_shape(f"{name}[{dkey!r}]", arr, f"parameters[{key!r}]", np.asarray(like))


def _shape(value: ArrayLike) -> tuple[int, ...]:
    return value.shape if type(value) is np.ndarray else np.shape(value)


@lru_cache(maxsize=32)
def _gradient_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"d{k}" for k in keys)


# --- optimizers -----------------------------------------------------------------------------

def update_parameters_with_gd(parameters: Mapping[str, ArrayLike], grads: Mapping[str, ArrayLike],
                              learning_rate: float) -> Params:
    r"""One gradient-descent step on every layer: :math:`W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}`,
    :math:`b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}`."""
    keys, groups, shapes = _update_arrays(parameters, grads, {})
    learning_rate = hyperparameter("learning_rate", learning_rate)
    new_params, _ = _step_layers(keys, groups, shapes, _GD, past_range(
        "update_parameters_with_gd", "the step", lambda: _named(keys, parameters=parameters, grads=grads)),
        learning_rate=learning_rate)
    return new_params


def _named(keys: tuple[str, ...], **dicts: Mapping[str, ArrayLike]) -> dict[str, dict[str, ArrayLike]]:
    """The caller's dicts of layers by their names, each with only its layers' entries (a refusal
    names ``grads['dW2']``, never an intermediate ``grads['dz3']`` the step does not read)."""
    dkeys = _gradient_keys(keys)
    return {name: {k: d[k] for k in (keys if name == "parameters" else dkeys)} for name, d in dicts.items()}


class _Rule(NamedTuple):
    """An update rule of :mod:`gradspec.reference.optimizers`, as the notebook steps it layer by layer."""

    state: Callable[..., tuple]  # its state NamedTuple, from the state dicts' arrays of one layer
    step: Callable[..., tuple]  # its checked step: (w, g, state, **hyperparameters) -> (w', state')
    body: Callable[..., tuple]  # its update from checked arguments: (w, g, *state's arrays, **...) -> (w', state')


def _gd_step(w: ArrayLike, g: ArrayLike, state: tuple[()], *, learning_rate: float
             ) -> tuple[np.ndarray, tuple[()]]:
    return optimizers.gd_step(w, g, learning_rate=learning_rate), state


_GD = _Rule(lambda: (), _gd_step, optimizers._gd)
_MOMENTUM = _Rule(optimizers.MomentumState, optimizers.momentum_step, optimizers._momentum)
_RMSPROP = _Rule(optimizers.RMSPropState, optimizers.rmsprop_step, optimizers._rmsprop)
_ADAM = _Rule(optimizers.AdamState, optimizers.adam_step, partial(optimizers._blockwise, optimizers._adam))


def _update_arrays(parameters: Mapping[str, ArrayLike], grads: Mapping[str, ArrayLike],
                   states: Mapping[str, Mapping[str, ArrayLike]]
                   ) -> tuple[tuple[str, ...], list[list], tuple[tuple[int, ...], ...] | None]:
    """The layer keys ``W1, b1, ...`` and the arrays an update steps, ``[parameters', grads', each
    state's]`` in the keys' order, once ``parameters`` holds the layers' float arrays and ``grads``
    (with, or without, intermediates such as ``dz3``) and each of the ``states`` a float array of
    each layer's shape; a refusal names the entry. Then the layers' shapes where every array is an
    ndarray of one dtype (None otherwise).

    The common case (plain dicts of ndarrays, as the notebook's functions return them) is checked
    in one pass; anything else is checked entry by entry, which says what is wrong.
    """
    if type(parameters) is dict and type(grads) is dict:
        keys = _layer_keys(len(parameters) // 2)
        try:
            groups = _groups(keys, parameters, grads, states)
        except (KeyError, TypeError):
            pass
        else:
            keys_ok = (len(parameters) == len(keys) and _keys_ok(frozenset(grads), _gradient_keys(keys), True)
                       and all(type(state) is dict and len(state) == len(keys) for state in states.values()))
            shapes = _plain_groups(groups, keys_ok)
            if shapes is not None:
                return keys, groups, shapes
    keys = _layers(parameters)
    _matching("grads", grads, parameters, keys, allow_intermediate=True)
    for name, state in states.items():
        _matching(name, state, parameters, keys)
    groups = _groups(keys, parameters, grads, states)
    return keys, groups, _plain_groups(groups, True)


def _groups(keys: tuple[str, ...], parameters: Mapping[str, ArrayLike], grads: Mapping[str, ArrayLike],
            states: Mapping[str, Mapping[str, ArrayLike]]) -> list[list]:
    """``[parameters', grads', each state's]`` entries for the layer ``keys``, in their order."""
    dkeys = _gradient_keys(keys)
    return [[parameters[k] for k in keys], [grads[dk] for dk in dkeys],
            *([state[dk] for dk in dkeys] for state in states.values())]


def _plain_groups(groups: list[list], keys_ok: bool) -> tuple[tuple[int, ...], ...] | None:
    """The layers' shapes, where every array of ``groups`` is an ndarray of one float dtype, each
    group's shaped like the first's (and ``keys_ok``: the dicts they come from hold no other keys);
    None otherwise."""
    if not keys_ok or not groups[0]:
        return None
    first = groups[0][0]
    dtype = first.dtype if type(first) is np.ndarray else None
    if dtype is None or dtype.kind != "f":
        return None
    shapes = []
    for arr in groups[0]:
        if type(arr) is not np.ndarray or arr.dtype is not dtype:
            return None
        shapes.append(arr.shape)
    for group in groups[1:]:
        for arr, shape in zip(group, shapes):  # noqa: B905 - the groups are made of the same keys
            if type(arr) is not np.ndarray or arr.dtype is not dtype or arr.shape != shape:
                return None
    return tuple(shapes)


def _step_layers(keys: tuple[str, ...], groups: list[list], shapes: tuple[tuple[int, ...], ...] | None,
                 rule: _Rule, refusal: past_range, **hyperparameters: object) -> tuple[Params, list[Params]]:
    """Step every layer with ``rule``: ``groups`` and ``shapes`` as :func:`_update_arrays` returns
    them, the new parameters and state dicts out. The hyperparameters are checked.

    Where every array is an ndarray of one dtype (``shapes`` given), the rules being elementwise, each
    quantity's layers are raveled into one flat array, the rule's body steps them in one call,
    NumPy raising on overflow, and the results are cut back into layers: every entry gets the
    bits a call per layer would give it, for the cost of one call. Anything else (lists, mixed
    dtypes, a float32 intermediate past its range) goes through the rule's checked step layer by
    layer, which computes through the overflow or refuses it (in the caller's terms: ``refusal``).
    """
    dkeys = _gradient_keys(keys)
    if shapes is not None:
        try:
            with np.errstate(over="raise"):
                new_w, new_state = rule.body(*[np.concatenate([arr.ravel() for arr in group]) for group in groups],
                                             **hyperparameters)
        except FloatingPointError:
            pass
        else:
            cuts = _cuts(shapes)
            return ({k: new_w[a:b].reshape(shape) for k, (a, b, shape) in zip(keys, cuts)},  # noqa: B905
                    [{dk: out[a:b].reshape(shape) for dk, (a, b, shape) in zip(dkeys, cuts)}  # noqa: B905
                     for out in new_state])
    with refusal:
        stepped = [rule.step(w, g, rule.state(*state), **hyperparameters)
                   for w, g, *state in zip(*groups, strict=True)]
    return ({k: w for k, (w, _) in zip(keys, stepped)},  # noqa: B905 - dkeys and the groups are made of keys
            [{dk: new[i] for dk, (_, new) in zip(dkeys, stepped)} for i in range(len(groups) - 2)])  # noqa: B905


@lru_cache(maxsize=64)
def _cuts(shapes: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """Where each layer of a flat array starts and ends, and its shape."""
    ends = list(accumulate(math.prod(shape) for shape in shapes))
    return tuple(zip([0, *ends[:-1]], ends, shapes, strict=True))


def _zeros_like_parameters(parameters: Mapping[str, ArrayLike]) -> Params:
    return {f"d{k}": np.zeros_like(np.asarray(parameters[k])) for k in _layers(parameters)}


def initialize_velocity(parameters: Mapping[str, ArrayLike]) -> Params:
    """Zero velocities ``{"dW1": 0, "db1": 0, ...}`` shaped (and typed) like the parameters."""
    return _zeros_like_parameters(parameters)


def update_parameters_with_momentum(parameters: Mapping[str, ArrayLike],
                                    grads: Mapping[str, ArrayLike], v: Mapping[str, ArrayLike],
                                    beta: float, learning_rate: float, *,
                                    dialect: str = "ema") -> tuple[Params, Params]:
    r"""One momentum step per layer: :math:`v \leftarrow \beta v + (1 - \beta)\,dW`,
    :math:`W \leftarrow W - \alpha v`. Returns ``(parameters, v)``. ``dialect="heavy-ball"``:
    :math:`v \leftarrow \beta v + dW`."""
    keys, groups, shapes = _update_arrays(parameters, grads, {"v": v})
    check_dialect("momentum", dialect, "velocity")
    beta, learning_rate = hyperparameter("beta", beta), hyperparameter("learning_rate", learning_rate)
    new_params, (new_v,) = _step_layers(keys, groups, shapes, _MOMENTUM, past_range(
        "update_parameters_with_momentum", "the step or its velocity",
        lambda: _named(keys, parameters=parameters, grads=grads, v=v)),
        beta=beta, learning_rate=learning_rate, dialect=dialect)
    return new_params, new_v


def initialize_rmsprop(parameters: Mapping[str, ArrayLike]) -> Params:
    """Zero averages of squared gradients ``{"dW1": 0, ...}``."""
    return _zeros_like_parameters(parameters)


def update_parameters_with_rmsprop(parameters: Mapping[str, ArrayLike],
                                   grads: Mapping[str, ArrayLike], s: Mapping[str, ArrayLike],
                                   beta2: float, learning_rate: float, epsilon: float = 1e-8, *,
                                   dialect: str = "eps-inside") -> tuple[Params, Params]:
    r"""One RMSProp step per layer: :math:`s \leftarrow \beta_2 s + (1-\beta_2)\,dW^2`,
    :math:`W \leftarrow W - \alpha\, dW/\sqrt{s + \varepsilon}`. Returns ``(parameters, s)``.
    ``dialect="eps-outside"``: :math:`W - \alpha\,dW/(\sqrt{s} + \varepsilon)`."""
    keys, groups, shapes = _update_arrays(parameters, grads, {"s": s})
    check_dialect("rmsprop", dialect, "update")
    beta2, learning_rate = hyperparameter("beta2", beta2), hyperparameter("learning_rate", learning_rate)
    epsilon = hyperparameter("epsilon", epsilon)
    new_params, (new_s,) = _step_layers(keys, groups, shapes, _RMSPROP, past_range(
        "update_parameters_with_rmsprop", "the step or its average of squared gradients",
        lambda: _named(keys, parameters=parameters, grads=grads, s=s)),
        beta2=beta2, learning_rate=learning_rate, epsilon=epsilon, dialect=dialect)
    return new_params, new_s


def initialize_adam(parameters: Mapping[str, ArrayLike]) -> tuple[Params, Params]:
    """Zero first and second moments ``(v, s)``, each ``{"dW1": 0, ...}``."""
    return _zeros_like_parameters(parameters), _zeros_like_parameters(parameters)


def update_parameters_with_adam(parameters: Mapping[str, ArrayLike],
                                grads: Mapping[str, ArrayLike], v: Mapping[str, ArrayLike],
                                s: Mapping[str, ArrayLike], t: int, learning_rate: float = 0.01,
                                beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8,
                                *, dialect: str = "eps-outside") -> tuple[Params, Params, Params]:
    r"""One Adam step per layer (step number ``t``, from 1), epsilon outside the root:

    .. math::
        v \leftarrow \beta_1 v + (1-\beta_1)\,dW,\quad s \leftarrow \beta_2 s + (1-\beta_2)\,dW^2,\quad
        W \leftarrow W - \alpha\,\frac{v/(1-\beta_1^t)}{\sqrt{s/(1-\beta_2^t)} + \varepsilon}

    Returns ``(parameters, v, s)`` (seed 001's convention; seed 000's version also
    returned the corrected moments). ``dialect`` selects another of the spec's conventions:
    ``"eps-inside"``, ``"eps-hat"``, ``"no-bias-correction"``.
    """
    keys, groups, shapes = _update_arrays(parameters, grads, {"v": v, "s": s})
    check_dialect("adam", dialect, "update")
    checked = optimizers._adam_hyperparameters(t=t, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
                                               epsilon=epsilon)
    new_params, (new_v, new_s) = _step_layers(keys, groups, shapes, _ADAM, past_range(
        "update_parameters_with_adam", "the step or its moments",
        lambda: _named(keys, parameters=parameters, grads=grads, v=v, s=s)), **checked, dialect=dialect)
    return new_params, new_v, new_s


# --- schedules and averages -------------------------------------------------------------------

def update_lr(learning_rate0: float, epoch_num: float, decay_rate: float) -> float:
    r"""Inverse-time decay, :math:`\alpha_0 / (1 + r\cdot\mathrm{epoch})`."""
    return schedules.inverse_time_decay(learning_rate0, epoch_num, decay_rate=decay_rate)


def schedule_lr_decay(learning_rate0: float, epoch_num: float, decay_rate: float,
                      time_interval: float = 1000) -> float:
    r"""Staircase decay, :math:`\alpha_0 / (1 + r\lfloor\mathrm{epoch}/T\rfloor)`."""
    return schedules.staircase_decay(learning_rate0, epoch_num, decay_rate=decay_rate,
                                     time_interval=time_interval)


def exponentially_weighted_averages(theta: Sequence[float] | ArrayLike, beta: float,
                                    bias_correction: bool = False) -> np.ndarray:
    r""":math:`v_1, \dots, v_T` with :math:`v_t = \beta v_{t-1} + (1-\beta)\theta_t`, :math:`v_0 = 0`
    (bias-corrected, :math:`v_t/(1-\beta^t)`, when ``bias_correction`` is true)."""
    return optimizers.exponentially_weighted_average(theta, beta=beta,
                                                     bias_correction=bias_correction)


# --- activations and costs ------------------------------------------------------------------

def sigmoid(x: ArrayLike) -> np.ndarray:
    r""":math:`1/(1 + e^{-x})`, stable for every finite ``x``."""
    with caller_names(z="x"):
        return activations.sigmoid(x)


def relu(x: ArrayLike) -> np.ndarray:
    r""":math:`\max(0, x)`."""
    with caller_names(z="x"):
        return activations.relu(x)


def sigmoid_backward(dA: ArrayLike, cache: ArrayLike) -> np.ndarray:
    r""":math:`dZ = dA\,\sigma(Z)(1-\sigma(Z))` with ``cache = Z``."""
    with caller_names(Z="cache"):
        return activations.sigmoid_backward(dA, cache)


def relu_backward(dA: ArrayLike, cache: ArrayLike, *, dialect: str = "zero-at-zero") -> np.ndarray:
    r""":math:`dZ = dA` where :math:`Z > 0`, 0 elsewhere (:math:`\mathrm{ReLU}'(0) = 0`; ``dialect=
    "one-at-zero"`` passes the gradient at 0); ``cache = Z``."""
    with caller_names(Z="cache"):
        return activations.relu_backward(dA, cache, dialect=dialect)


def tanh_backward(dA: ArrayLike, cache: ArrayLike) -> np.ndarray:
    r""":math:`dZ = dA\,(1 - \tanh^2 Z)` with ``cache = Z``."""
    with caller_names(Z="cache"):
        return activations.tanh_backward(dA, cache)


def compute_cost(a3: ArrayLike, Y: ArrayLike, *, dialect: losses.Reduction = "mean") -> float:
    r"""The mean binary cross-entropy, :math:`-\frac{1}{m}\sum_i y_i\log a_i + (1-y_i)\log(1-a_i)`.

    Seed 000's ``compute_cost`` returns the sum instead: ``dialect="sum"`` (cost/sum).
    """
    return _cross_entropy(a3, Y, dialect, "a3")


def _cross_entropy(A: ArrayLike, Y: ArrayLike, dialect: losses.Reduction, name: str) -> float:
    """The binary cross-entropy of the probabilities ``A``, which the caller calls ``name``."""
    with caller_names(a=name, y="Y", reduction="dialect"):
        return losses.binary_cross_entropy(A, Y, reduction=dialect)


def compute_cost_with_regularization(A3: ArrayLike, Y: ArrayLike,
                                     parameters: Mapping[str, ArrayLike], lambd: float, *,
                                     dialect: losses.Reduction = "mean") -> float:
    r""":math:`J + \frac{\lambda}{2m}\sum_l\lVert W^{[l]}\rVert_F^2`, with ``m = Y.shape[1]``
    (``dialect="sum"``: :math:`J` is :func:`compute_cost`'s sum, cost/sum)."""
    keys = _layers(parameters)
    hyperparameter("lambd", lambd)
    weights = {k: parameters[k] for k in keys if k.startswith("W")}
    cost = _cross_entropy(A3, Y, dialect, "A3")
    m = np.shape(Y)[-1]
    with past_range("compute_cost_with_regularization", "the L2 term lambd/(2m) sum ||W||^2",
                    {"parameters": weights}):
        return cost + regularization.l2_cost(list(weights.values()), lambd=lambd, m=m)


# --- the seeds' 3-layer network: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID -------

class _Ops(NamedTuple):
    """The layers a network pass is built from: the bare kernels, for inputs already checked as
    a whole, or the checked reference functions, called as the kernels are."""

    linear_forward: Callable[..., np.ndarray]  # (W, b, A_prev, m) -> Z
    relu: Callable[..., np.ndarray]
    sigmoid: Callable[..., np.ndarray]
    logit_grad: Callable[..., np.ndarray]  # (a, y, m) -> dJ/dz of the mean cost
    linear_backward: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]  # (dZ, W, A_prev) -> dW, db, dA_prev
    linear_param_grads: Callable[..., tuple[np.ndarray, np.ndarray]]  # (dZ, W, A_prev) -> dW, db (no dA_prev)
    relu_backward: Callable[..., np.ndarray]  # (dA, Z) -> dZ


_CHECKED = _Ops(
    lambda W, b, A_prev, m: linear_forward(W, b, A_prev),
    activations.relu,
    activations.sigmoid,
    lambda a, y, m: losses.binary_cross_entropy_logit_grad(a, y),
    linear_backward,
    lambda dZ, W, A_prev: linear_backward(dZ, W, A_prev)[:2],
    activations.relu_backward,
)
def _kernel_param_grads(dZ: np.ndarray, W: np.ndarray, A_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A linear layer's dW and db of the mean cost, from the bare kernels (W is not read)."""
    return K.linear_dW_mean(dZ, A_prev), K.linear_db_mean(dZ, A_prev.shape[1])


_KERNELS = _Ops(
    K.linear_forward,
    K.relu,
    K.sigmoid,
    lambda a, y, m: K.bce_logit_grad(a, y.astype(a.dtype, copy=False), m),  # y: labels, checked shaped like a
    lambda dZ, W, A_prev: (*_kernel_param_grads(dZ, W, A_prev), K.linear_dA_prev(dZ, W)),
    _kernel_param_grads,
    lambda dA, Z: dA * K.relu_grad(Z),
)


def _fast_or_checked(compute: Callable[..., _T], *args: object, fits: bool, refusal: past_range) -> _T:
    """``compute(*args)`` built from the bare kernels where ``fits`` (every argument is a float
    array and the shapes line up) and nothing overflows: the bits the checked functions give, at
    a fraction of their cost on a notebook's small arrays. Anything else is computed again from the
    checked functions, which refuse it naming what is wrong, or compute through float32's
    overflow (:mod:`gradspec.reference._overflow`); a result past the dtype's range is refused in
    the caller's terms (``refusal``)."""
    if fits:
        try:
            with np.errstate(over="raise"):
                return compute(*args, ops=_KERNELS)
        except FloatingPointError:
            pass
    with refusal:
        return compute(*args, ops=_CHECKED)


def _chain_fits(X: np.ndarray, layers: Sequence[np.ndarray]) -> bool:
    """Whether ``X`` and ``W1, b1, ..., WL, bL`` line up: each W 2-D, taking the rows before it,
    each b a column of W's rows."""
    if X.ndim != 2:
        return False
    rows = X.shape[0]
    for W, b in zip(layers[::2], layers[1::2], strict=True):
        if W.ndim != 2 or W.shape[1] != rows or b.shape != (W.shape[0], 1):
            return False
        rows = W.shape[0]
    return True


def _three_layers(parameters: Mapping[str, ArrayLike]) -> list[np.ndarray]:
    keys = _layers(parameters)
    if len(keys) != 6:
        raise ValueError(f"this is the seeds' 3-layer network: parameters must hold W1, b1, W2, "
                         f"b2, W3, b3; got {keys}.")
    return [np.asarray(parameters[k]) for k in keys]


_THREE_LAYERS = _layer_keys(3)


def _plain_network(X: ArrayLike, parameters: Mapping[str, ArrayLike]) -> list[np.ndarray] | None:
    """``W1, b1, W2, b2, W3, b3`` where ``parameters`` is a plain dict of exactly those, float
    ndarrays whose shapes line up from the float ndarray ``X`` (the common case, checked in one
    pass); None for anything else, which :func:`_three_layers` and :func:`_network` check entry
    by entry, saying what is wrong."""
    if (type(parameters) is not dict or len(parameters) != 6 or type(X) is not np.ndarray or X.dtype.kind != "f"
            or X.ndim != 2):
        return None
    layers = [parameters.get(k) for k in _THREE_LAYERS]
    rows = X.shape[0]
    for i in (0, 2, 4):
        W, b = layers[i], layers[i + 1]
        if (type(W) is not np.ndarray or type(b) is not np.ndarray or W.dtype.kind != "f" or b.dtype.kind != "f"
                or W.ndim != 2 or W.shape[1] != rows or b.shape != (W.shape[0], 1)):
            return None
        rows = W.shape[0]
    return layers


def _network(X: ArrayLike, layers: Sequence[np.ndarray]) -> np.ndarray:
    """``X`` as a float array whose shape lines up with the parameters' ``layers`` (W1, b1, ...,
    checked one by one by :func:`_layers`); a refusal names the entry that does not fit."""
    X = float_array("X", X)
    if not _chain_fits(X, layers):
        _explain_chain(X, layers)
    return X


def _explain_chain(X: np.ndarray, layers: Sequence[np.ndarray]) -> None:
    """Refuse ``X`` and ``W1, b1, ..., WL, bL`` whose shapes do not line up, naming the first entry
    that does not fit what comes before it."""
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, one example per column (n[0] features x m examples); got shape "
                         f"{X.shape}. A single example is a column: X.reshape(-1, 1).")
    rows, before = X.shape[0], "X"
    for layer, (W, b) in enumerate(zip(layers[::2], layers[1::2], strict=True), start=1):
        if W.ndim != 2 or W.shape[1] != rows:
            raise ValueError(f"parameters['W{layer}'] has shape {W.shape} but {before} has {rows} rows: "
                             f"W{layer} must be (n[{layer}], {rows}), one row per unit of layer {layer} and one "
                             f"column per row of {before}.")
        if b.shape != (W.shape[0], 1):
            raise ValueError(f"parameters['b{layer}'] has shape {b.shape} but parameters['W{layer}'] has shape "
                             f"{W.shape}: b{layer} must be a column of shape {(W.shape[0], 1)}, one bias per unit"
                             f"{f', e.g. .reshape({W.shape[0]}, 1)' if b.size == W.shape[0] else ''}.")
        rows, before = W.shape[0], f"parameters['W{layer}']"


#: The 3-layer network's caches, as the forward passes return them.
_CACHE = ("z1", "a1", "W1", "b1", "z2", "a2", "W2", "b2", "z3", "a3", "W3", "b3")
_DROPOUT_CACHE = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")


def _checked_cache(X: ArrayLike, Y: ArrayLike, cache: Sequence[np.ndarray], names: tuple[str, ...],
                   forward: str) -> tuple[np.ndarray, bool]:
    """``X`` as a float array, once ``cache`` is checked to be the tuple ``forward`` returns for
    it (every entry a float array, of its shape) and ``Y`` labels shaped like its output; a
    refusal names the entry (``cache[4]``, z2). The flag: ``X``, ``Y`` and every entry are
    ndarrays (the common case, checked in one pass), which the bare kernels can take."""
    if type(cache) is not tuple or len(cache) != len(names):
        _unpack_cache(cache, len(names), forward)
    if type(X) is not np.ndarray or X.dtype.kind != "f":
        X = float_array("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, one example per column (n[0] features x m examples); got shape "
                         f"{X.shape}. A single example is a column: X.reshape(-1, 1).")
    w1, w2, w3, output = _cache_layout(names)
    shapes = [entry.shape if type(entry) is np.ndarray and entry.dtype.kind == "f" else None for entry in cache]
    if None not in shapes and len(shapes[w1]) == len(shapes[w2]) == len(shapes[w3]) == 2:  # the common case
        rows = (X.shape[0], shapes[w1][0], shapes[w2][0], shapes[w3][0])
        if (shapes == _cache_shapes(names, rows, X.shape[1]) and type(Y) is np.ndarray
                and Y.dtype.kind in "biuf" and Y.shape == shapes[output]):
            return X, True
    entries = []
    for i, entry in enumerate(cache):
        entries.append(entry if type(entry) is np.ndarray and entry.dtype.kind == "f" else
                       float_array(f"cache[{i}]", entry))
    weights = (w1, w2, w3)
    rows = {0: X.shape[0]}
    for layer in (1, 2, 3):
        i = weights[layer - 1]
        W = entries[i]
        if W.ndim != 2 or W.shape[1] != rows[layer - 1]:
            raise ValueError(f"cache[{i}] (W{layer}) has shape {W.shape}, which does not take layer {layer - 1}'s "
                             f"{rows[layer - 1]} rows{' (X has them)' if layer == 1 else ''}: cache must be the "
                             f"{len(names)}-tuple {forward} returns for this X.")
        rows[layer] = W.shape[0]
    m = X.shape[1]
    for i, (name, entry) in enumerate(zip(names, entries, strict=True)):
        layer = int(name[1])
        shape = (rows[layer], 1) if name[0] == "b" else (rows[layer], m) if name[0] != "W" else entry.shape
        if entry.shape != shape:
            raise ValueError(f"cache[{i}] ({name}) has shape {entry.shape} but must be {shape} for X of shape "
                             f"{X.shape} and cache[{weights[layer - 1]}] (W{layer}) of shape "
                             f"{entries[weights[layer - 1]].shape}: cache must be the {len(names)}-tuple "
                             f"{forward} returns for this X.")
    if type(Y) is not np.ndarray or Y.dtype.kind not in "biuf" or Y.shape != entries[output].shape:
        labels_like("Y", Y, f"the output cache[{output}] ({names[output]})", entries[output])
    return X, False


@lru_cache(maxsize=4)
def _cache_layout(names: tuple[str, ...]) -> tuple[int, int, int, int]:
    """Where a cache holds W1, W2, W3 and the output a3."""
    return (*(names.index(f"W{layer}") for layer in (1, 2, 3)), names.index("a3" if "a3" in names else "A3"))


@lru_cache(maxsize=64)
def _cache_shapes(names: tuple[str, ...], rows: tuple[int, ...], m: int) -> list[tuple[int, int]]:
    """The shape of each entry of a cache of layers of ``rows`` units (``rows[0]``: X's) and ``m``
    examples: W is n[l] x n[l-1], b n[l] x 1, an activation's Z, A or D n[l] x m."""
    return [(rows[int(name[1])], rows[int(name[1]) - 1]) if name[0] == "W" else
            (rows[int(name[1])], 1) if name[0] == "b" else (rows[int(name[1])], m) for name in names]


def forward_propagation(X: ArrayLike, parameters: Mapping[str, ArrayLike]) -> tuple[np.ndarray, tuple]:
    """The forward pass; returns ``(a3, cache)`` with the seeds' 12-tuple cache
    ``(z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)``."""
    return _forward_pass("forward_propagation", X, parameters)


def _forward_pass(caller: str, X: ArrayLike, parameters: Mapping[str, ArrayLike]) -> tuple[np.ndarray, tuple]:
    layers = _plain_network(X, parameters)
    if layers is None:
        layers = _three_layers(parameters)
        X = _network(X, layers)
    return _fast_or_checked(_forward, X, *layers, fits=True, refusal=past_range(
        caller, "a layer's Z = W A + b", lambda: {"X": X, "parameters": parameters}))


def _forward(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray,
             W3: np.ndarray, b3: np.ndarray, *, ops: _Ops) -> tuple[np.ndarray, tuple]:
    m = X.shape[1]
    z1 = ops.linear_forward(W1, b1, X, m)
    a1 = ops.relu(z1)
    z2 = ops.linear_forward(W2, b2, a1, m)
    a2 = ops.relu(z2)
    z3 = ops.linear_forward(W3, b3, a2, m)
    a3 = ops.sigmoid(z3)
    return a3, (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)


def _backward(X: np.ndarray, Y: ArrayLike, z1, a1, W1, z2, a2, W2, a3, W3, *, ops: _Ops,
              masks: tuple[np.ndarray, np.ndarray] | None = None,
              keep_prob: float = 1.0) -> list[np.ndarray]:
    """dz3, dW3, db3, da2, dz2, dW2, db2, da1, dz1, dW1, db1 of the mean cost."""
    dz3 = ops.logit_grad(a3, Y, X.shape[1])
    dW3, db3, da2 = ops.linear_backward(dz3, W3, a2)
    if masks is not None:
        da2 = regularization.inverted_dropout(da2, masks[1], keep_prob=keep_prob)
    dz2 = ops.relu_backward(da2, z2)
    dW2, db2, da1 = ops.linear_backward(dz2, W2, a1)
    if masks is not None:
        da1 = regularization.inverted_dropout(da1, masks[0], keep_prob=keep_prob)
    dz1 = ops.relu_backward(da1, z1)
    dW1, db1 = ops.linear_param_grads(dz1, W1, X)
    return [dz3, dW3, db3, da2, dz2, dW2, db2, da1, dz1, dW1, db1]


def _unpack_cache(cache: Sequence[np.ndarray], size: int, forward: str = "the matching forward pass"
                  ) -> Sequence[np.ndarray]:
    if isinstance(cache, str) or not isinstance(cache, Sequence) or len(cache) != size:
        raise ValueError(f"cache must be the {size}-tuple returned by {forward}; got {type(cache).__name__}"
                         f"{f' of length {len(cache)}' if isinstance(cache, Sequence) else ''}.")
    return cache


def backward_propagation(X: ArrayLike, Y: ArrayLike, cache: Sequence[np.ndarray]) -> Params:
    r"""Gradients of the mean cost: :math:`dz^{[3]} = (a^{[3]} - y)/m`, then back through
    the layers. Keys as in seeds 000/001: ``dz3, dW3, db3, da2, dz2, dW2, db2, da1, dz1,
    dW1, db1``."""
    X, fits = _checked_cache(X, Y, cache, _CACHE, "forward_propagation")
    z1, a1, W1, _, z2, a2, W2, _, _, a3, W3, _ = cache
    values = _fast_or_checked(_backward, X, Y, z1, a1, W1, z2, a2, W2, a3, W3, fits=fits, refusal=past_range(
        "backward_propagation", "a gradient (dW, db or dA)", lambda: {"X": X, "cache": cache}))
    names = ["dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1"]
    return dict(zip(names, values, strict=True))


_UPPER_NAMES = ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]


def backward_propagation_with_regularization(X: ArrayLike, Y: ArrayLike,
                                             cache: Sequence[np.ndarray], lambd: float) -> Params:
    r"""As :func:`backward_propagation`, plus :math:`\frac{\lambda}{m}W^{[l]}` on each
    :math:`dW^{[l]}`. Keys as in seed 002: ``dZ3, dW3, db3, dA2, ...``."""
    X, _ = _checked_cache(X, Y, cache, _CACHE, "forward_propagation")
    z1, a1, W1, _, z2, a2, W2, _, _, a3, W3, _ = cache
    hyperparameter("lambd", lambd)
    with past_range("backward_propagation_with_regularization", "a gradient (dW, db or dA)",
                    lambda: {"X": X, "cache": cache}, numpy_overflow=True):
        grads = dict(zip(_UPPER_NAMES, _backward(X, Y, z1, a1, W1, z2, a2, W2, a3, W3, ops=_CHECKED),
                         strict=True))
        m = X.shape[1]
        for key, W in (("dW1", W1), ("dW2", W2), ("dW3", W3)):
            grads[key] = grads[key] + regularization.l2_grad(W, lambd=lambd, m=m)
    return grads


def forward_propagation_with_dropout(X: ArrayLike, parameters: Mapping[str, ArrayLike],
                                     keep_prob: float = 0.5) -> tuple[np.ndarray, tuple]:
    """The forward pass with inverted dropout on both hidden layers. The masks are drawn
    from ``np.random.RandomState(1)``, as the seeds' ``np.random.seed(1)`` inside the
    function does. Returns ``(A3, cache)`` with the 14-tuple cache
    ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``."""
    layers = _three_layers(parameters)
    X = _network(X, layers)
    W1, b1, W2, b2, W3, b3 = layers
    hyperparameter("keep_prob", keep_prob)
    with past_range("forward_propagation_with_dropout", "a layer's Z = W A + b or A / keep_prob",
                    lambda: {"X": X, "parameters": parameters}, numpy_overflow=True):
        rng = _seeded(1)
        Z1 = linear_forward(W1, b1, X)
        A1 = activations.relu(Z1)
        # The 0/1 masks in the activations' dtype: a float32 pass keeps float32 (what inverted_dropout uses).
        D1 = regularization.dropout_mask(A1.shape, keep_prob=keep_prob, rng=rng).astype(A1.dtype, copy=False)
        A1 = regularization.inverted_dropout(A1, D1, keep_prob=keep_prob)
        Z2 = linear_forward(W2, b2, A1)
        A2 = activations.relu(Z2)
        D2 = regularization.dropout_mask(A2.shape, keep_prob=keep_prob, rng=rng).astype(A2.dtype, copy=False)
        A2 = regularization.inverted_dropout(A2, D2, keep_prob=keep_prob)
        Z3 = linear_forward(W3, b3, A2)
        A3 = activations.sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X: ArrayLike, Y: ArrayLike, cache: Sequence[np.ndarray],
                                      keep_prob: float) -> Params:
    """Gradients through the dropout network, reusing the forward pass's masks (scaled by
    ``1/keep_prob`` again). Keys as in seed 002."""
    X, _ = _checked_cache(X, Y, cache, _DROPOUT_CACHE, "forward_propagation_with_dropout")
    Z1, D1, A1, W1, _, Z2, D2, A2, W2, _, _, A3, W3, _ = cache
    hyperparameter("keep_prob", keep_prob)
    with past_range("backward_propagation_with_dropout", "a gradient (dW, db or dA / keep_prob)",
                    lambda: {"X": X, "cache": cache}, numpy_overflow=True):
        values = _backward(X, Y, Z1, A1, W1, Z2, A2, W2, A3, W3, ops=_CHECKED, masks=(D1, D2),
                           keep_prob=keep_prob)
    return dict(zip(_UPPER_NAMES, values, strict=True))


def predict(X: ArrayLike, y: ArrayLike, parameters: Mapping[str, ArrayLike]) -> np.ndarray:
    """0/1 predictions ``a3 > 0.5`` of the 3-layer network, shape ``(1, m)``, dtype int.
    (``y`` is accepted for the seeds' signature; the accuracy is ``np.mean(p == y)``.)"""
    y = labels("y", y)
    a3, _ = _forward_pass("predict", X, parameters)
    same_shape("y", y, "the predictions", a3)
    return (a3 > 0.5).astype(int)


# --- initialization, mini-batches, gradient checking ------------------------------------------

_RANDOM = threading.local()


def _seeded(seed: int) -> np.random.RandomState:
    """A ``np.random.RandomState`` in the state ``np.random.RandomState(seed)`` starts in: this
    thread's own generator, reseeded (a hundred times cheaper than making one, a cost a training
    loop pays every epoch). Each function uses it up before returning."""
    rng = getattr(_RANDOM, "rng", None)
    if rng is None:
        rng = _RANDOM.rng = np.random.RandomState()
    rng.seed(seed)
    return rng


def initialize_parameters(layer_dims: Sequence[int]) -> Params:
    """He initialization from ``np.random.RandomState(3)`` (seeds 000/001's
    ``initialize_parameters``): ``W[l] = randn(n[l], n[l-1]) * sqrt(2/n[l-1])``, ``b[l] = 0``."""
    return initialize_dense(layer_dims, scheme="he", rng=_seeded(3))


def initialize_parameters_zeros(layers_dims: Sequence[int]) -> Params:
    """All weights and biases zero (seed 002: it fails to break symmetry)."""
    with caller_names(layer_dims="layers_dims"):
        return initialize_dense(layers_dims, scheme="zeros")


def initialize_parameters_random(layers_dims: Sequence[int]) -> Params:
    """``W[l] = randn(n[l], n[l-1]) * 10`` from ``np.random.RandomState(3)`` (seed 002)."""
    with caller_names(layer_dims="layers_dims"):
        return initialize_dense(layers_dims, scheme="random-x10", rng=_seeded(3))


def initialize_parameters_he(layers_dims: Sequence[int]) -> Params:
    """He initialization from ``np.random.RandomState(3)`` (seed 002)."""
    with caller_names(layer_dims="layers_dims"):
        return initialize_dense(layers_dims, scheme="he", rng=_seeded(3))


def random_mini_batches(X: ArrayLike, Y: ArrayLike, mini_batch_size: int = 64,
                        seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """The seeds' shuffled mini-batches: the permutation of ``np.random.RandomState(seed)``,
    then ``floor(m / mini_batch_size)`` full batches and the remainder."""
    integer("seed", seed)
    return mini_batches(X, Y, mini_batch_size=mini_batch_size, rng=_seeded(seed))


def gradient_check(x: float, theta: float, epsilon: float = 1e-7) -> float:
    r"""Seed 002's 1-D check for :math:`J(\theta) = \theta x`: the relative difference
    between the analytic gradient :math:`x` and the two-sided difference."""
    x_value, theta_value = real_number("x", x), real_number("theta", theta)
    eps = hyperparameter("epsilon", epsilon)
    _theta_x("gradient_check", x_value, abs(theta_value) + eps)  # J at theta +- epsilon is a float
    approx = two_sided_difference(lambda th: float(th * x_value), np.float64(theta_value),
                                  epsilon=epsilon)
    return relative_difference(np.float64(x_value), approx)


def _theta_x(caller: str, x: float, theta: float) -> float:
    """:math:`J = \\theta x` of two checked numbers, or a ValueError where it is past float64's range."""
    cost = theta * x
    if not math.isfinite(cost):
        raise ValueError(f"{caller}: J = theta x = {theta!r} * {x!r} is past float64's largest number "
                         f"({np.finfo(np.float64).max:.3g}): scale theta or x down.")
    return cost
