"""Optax: ``optax.sgd`` with momentum, ``rmsprop``, ``adam``, ``amsgrad``, ``adagrad``, ``adamw``,
``ema`` and ``exponential_decay``.

The spec's names map to Optax's as ``beta -> momentum`` (sgd), ``beta2 -> decay`` (rmsprop)
or ``b2`` (adam), ``beta1 -> b1``, ``epsilon -> eps``, and for the schedule
``learning_rate0 -> init_value``, ``k -> decay_rate``, ``time_interval -> transition_steps``.
A per-step learning rate is given as Optax takes one, a schedule (a function of the step
count), and a schedule multiplier likewise. JAX's 64-bit mode is turned on so that float64
cases are computed in float64; float32 cases stay float32.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402 - after the 64-bit switch
import numpy as np  # noqa: E402
import optax  # noqa: E402

__all__ = ["adagrad", "adam", "adamw", "adamw_paper", "amsgrad", "ema", "exponential_decay_staircase", "rmsprop",
           "rmsprop_centered", "rmsprop_momentum", "sgd_momentum", "sgd_momentum_l2", "sgd_nesterov"]


def _run(make: Callable[[Callable[[Any], Any]], optax.GradientTransformation],
         case: Mapping[str, Any]) -> list[np.ndarray]:
    rates = jnp.asarray(case["learning_rates"], dtype=case["w"].dtype)
    optimizer = make(lambda count: rates[count])
    params = jnp.asarray(case["w"])
    state = optimizer.init(params)
    out = []
    for g in case["grads"]:
        updates, state = optimizer.update(jnp.asarray(g), state, params)
        params = optax.apply_updates(params, updates)
        out.append(np.asarray(params))
    return out


def sgd_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.sgd(learning_rate, momentum=beta)`` (nesterov off)."""
    return _run(lambda lr: optax.sgd(lr, momentum=case["beta"]), case)


def rmsprop(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.rmsprop(learning_rate, decay=beta2, eps=epsilon)`` (the defaults otherwise)."""
    return _run(lambda lr: optax.rmsprop(lr, decay=case["beta2"], eps=case["epsilon"]), case)


def adam(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.adam(learning_rate, b1=beta1, b2=beta2, eps=epsilon)``."""
    return _run(lambda lr: optax.adam(lr, b1=case["beta1"], b2=case["beta2"], eps=case["epsilon"]), case)


def sgd_nesterov(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.sgd(learning_rate, momentum=beta, nesterov=True)``."""
    return _run(lambda lr: optax.sgd(lr, momentum=case["beta"], nesterov=True), case)


def amsgrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.amsgrad(learning_rate, b1=beta1, b2=beta2, eps=epsilon)`` (its bias corrections on,
    the defaults)."""
    return _run(lambda lr: optax.amsgrad(lr, b1=case["beta1"], b2=case["beta2"], eps=case["epsilon"]), case)


def rmsprop_centered(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.rmsprop(learning_rate, decay=beta2, eps=epsilon, centered=True)``."""
    return _run(lambda lr: optax.rmsprop(lr, decay=case["beta2"], eps=case["epsilon"], centered=True), case)


def rmsprop_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.rmsprop(learning_rate, decay=beta2, eps=epsilon, momentum=beta)``."""
    return _run(lambda lr: optax.rmsprop(lr, decay=case["beta2"], eps=case["epsilon"], momentum=case["beta"]), case)


def adagrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.adagrad(learning_rate, eps=epsilon)``: initial_accumulator_value 0.1 (the default)."""
    return _run(lambda lr: optax.adagrad(lr, eps=case["epsilon"]), case)


def adamw(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.adamw(learning_rate, b1=beta1, b2=beta2, eps=epsilon, weight_decay=weight_decay)``."""
    return _run(lambda lr: optax.adamw(lr, b1=case["beta1"], b2=case["beta2"], eps=case["epsilon"],
                                       weight_decay=case["weight_decay"]), case)


def sgd_momentum_l2(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.chain(optax.add_decayed_weights(weight_decay), optax.sgd(learning_rate, momentum=beta))``:
    L2 regularization through the optimizer, as Optax's documentation composes it."""
    return _run(lambda lr: optax.chain(optax.add_decayed_weights(case["weight_decay"]),
                                       optax.sgd(lr, momentum=case["beta"])), case)


def adamw_paper(case: Mapping[str, Any]) -> list[np.ndarray]:
    """Loshchilov & Hutter's Algorithm 2 composed: ``optax.chain(optax.scale_by_adam(b1=beta1, b2=beta2,
    eps=epsilon), optax.scale_by_schedule(alpha), optax.add_decayed_weights(weight_decay),
    optax.scale_by_schedule(lambda count: -eta[count]))``, with ``eta = case["schedule_multipliers"]``
    and ``alpha = learning_rate / eta`` (so ``eta alpha`` is the case's learning rate)."""
    dtype = case["w"].dtype
    rates = jnp.asarray(case["learning_rates"], dtype=dtype)
    etas = jnp.asarray(case["schedule_multipliers"], dtype=dtype)
    return _run(lambda lr: optax.chain(
        optax.scale_by_adam(b1=case["beta1"], b2=case["beta2"], eps=case["epsilon"]),
        optax.scale_by_schedule(lambda count: rates[count] / etas[count]),
        optax.add_decayed_weights(case["weight_decay"]),
        optax.scale_by_schedule(lambda count: -etas[count])), case)


def ema(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.ema(decay=beta, debias=True)``: the average it outputs after each value."""
    transform = optax.ema(case["beta"], debias=True)
    values = [jnp.asarray(theta) for theta in case["thetas"]]
    state = transform.init(values[0])
    out = []
    for theta in values:
        average, state = transform.update(theta, state)
        out.append(np.asarray(average))
    return out


def exponential_decay_staircase(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``optax.exponential_decay(init_value=learning_rate0, transition_steps=time_interval,
    decay_rate=k, staircase=True)`` at each step count of ``case["steps"]``."""
    schedule = optax.exponential_decay(case["learning_rate0"], transition_steps=case["time_interval"],
                                       decay_rate=case["k"], staircase=True)
    return [np.asarray(schedule(step)) for step in case["steps"]]
