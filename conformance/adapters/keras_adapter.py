"""Keras 3: ``keras.optimizers.SGD`` with momentum, ``RMSprop``, ``Adam``, ``AdamW``, ``Adagrad``
and ``keras.optimizers.schedules.InverseTimeDecay``.

Keras runs on the JAX backend unless ``KERAS_BACKEND`` names another one. The spec's names
map to Keras's as ``beta -> momentum``, ``beta2 -> rho`` (RMSprop) or ``beta_2`` (Adam),
``beta1 -> beta_1``, ``epsilon -> epsilon``, ``weight_decay -> weight_decay``, and for the schedule ``learning_rate0 ->
initial_learning_rate``, ``decay_rate -> decay_rate``, ``time_interval -> decay_steps``.
A per-step learning rate is assigned to ``optimizer.learning_rate`` before each step.
Variables keep the case's dtype (JAX's 64-bit mode is on, so float64 stays float64).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] == "jax":
    import jax

    jax.config.update("jax_enable_x64", True)

import keras
import numpy as np

__all__ = ["adagrad", "adam", "adam_amsgrad", "adamw", "inverse_time_decay", "inverse_time_decay_staircase", "rmsprop",
           "rmsprop_centered", "rmsprop_momentum", "sgd_momentum", "sgd_nesterov", "sgd_weight_decay"]


def _run(make: Callable[[float], keras.optimizers.Optimizer], case: Mapping[str, Any]) -> list[np.ndarray]:
    w = case["w"]
    variable = keras.Variable(w, dtype=str(w.dtype))
    rates = case["learning_rates"]
    optimizer = make(rates[0])
    optimizer.build([variable])
    out = []
    for g, lr in zip(case["grads"], rates, strict=True):
        optimizer.learning_rate = lr
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g), variable)])
        out.append(np.array(keras.ops.convert_to_numpy(variable.value)))
    return out


def sgd_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.SGD(learning_rate, momentum=beta)`` (nesterov off)."""
    return _run(lambda lr: keras.optimizers.SGD(lr, momentum=case["beta"]), case)


def rmsprop(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.RMSprop(learning_rate, rho=beta2, epsilon=epsilon)`` (no momentum,
    not centered)."""
    return _run(lambda lr: keras.optimizers.RMSprop(lr, rho=case["beta2"], epsilon=case["epsilon"]), case)


def adam(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.Adam(learning_rate, beta_1=beta1, beta_2=beta2, epsilon=epsilon)``."""
    return _run(lambda lr: keras.optimizers.Adam(lr, beta_1=case["beta1"], beta_2=case["beta2"],
                                                 epsilon=case["epsilon"]), case)


def sgd_nesterov(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.SGD(learning_rate, momentum=beta, nesterov=True)``."""
    return _run(lambda lr: keras.optimizers.SGD(lr, momentum=case["beta"], nesterov=True), case)


def rmsprop_centered(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.RMSprop(learning_rate, rho=beta2, epsilon=epsilon, centered=True)`` (no momentum)."""
    return _run(lambda lr: keras.optimizers.RMSprop(lr, rho=case["beta2"], epsilon=case["epsilon"], centered=True),
                case)


def rmsprop_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.RMSprop(learning_rate, rho=beta2, epsilon=epsilon, momentum=beta)`` (not centered)."""
    return _run(lambda lr: keras.optimizers.RMSprop(lr, rho=case["beta2"], epsilon=case["epsilon"],
                                                    momentum=case["beta"]), case)


def adagrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.Adagrad(learning_rate, epsilon=epsilon)``: initial_accumulator_value 0.1 (the
    default)."""
    return _run(lambda lr: keras.optimizers.Adagrad(lr, epsilon=case["epsilon"]), case)


def adam_amsgrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.Adam(learning_rate, beta_1=beta1, beta_2=beta2, epsilon=epsilon, amsgrad=True)``."""
    return _run(lambda lr: keras.optimizers.Adam(lr, beta_1=case["beta1"], beta_2=case["beta2"],
                                                 epsilon=case["epsilon"], amsgrad=True), case)


def adamw(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.AdamW(learning_rate, weight_decay=weight_decay, beta_1=beta1, beta_2=beta2,
    epsilon=epsilon)``."""
    return _run(lambda lr: keras.optimizers.AdamW(lr, weight_decay=case["weight_decay"], beta_1=case["beta1"],
                                                  beta_2=case["beta2"], epsilon=case["epsilon"]), case)


def sgd_weight_decay(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``keras.optimizers.SGD(learning_rate, momentum=beta, weight_decay=weight_decay)``."""
    return _run(lambda lr: keras.optimizers.SGD(lr, momentum=case["beta"], weight_decay=case["weight_decay"]), case)


def _schedule(case: Mapping[str, Any], *, staircase: bool) -> list[np.ndarray]:
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        case["learning_rate0"], decay_steps=case["time_interval"], decay_rate=case["decay_rate"],
        staircase=staircase)
    return [np.asarray(keras.ops.convert_to_numpy(schedule(step))) for step in case["steps"]]


def inverse_time_decay(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``InverseTimeDecay(initial_learning_rate=learning_rate0, decay_steps=time_interval,
    decay_rate=decay_rate)`` at each step of ``case["steps"]``."""
    return _schedule(case, staircase=False)


def inverse_time_decay_staircase(case: Mapping[str, Any]) -> list[np.ndarray]:
    """The same with ``staircase=True``."""
    return _schedule(case, staircase=True)
