"""MLX: ``mlx.optimizers.SGD`` (with momentum, dampening, Nesterov and weight decay), ``RMSprop``,
``Adam`` (with and without bias correction), ``AdamW`` and ``Adagrad``.

The spec's names map to MLX's as ``beta -> momentum`` (and ``dampening``), ``beta2 -> alpha``
(RMSprop) or ``betas[1]`` (Adam), ``beta1 -> betas[0]``, ``epsilon -> eps``, ``weight_decay ->
weight_decay``. The gradient is given, so it is passed to ``optimizer.apply_gradients``; a
per-step learning rate is assigned to ``optimizer.learning_rate`` before each step, as an array
in the case's dtype (a Python float would become a float32 array). MLX runs on its CPU device,
the only one with float64; arrays keep the case's dtype. MLX's ``Adam(bias_correction=True)``
computes ``b1**step`` and ``b2**step`` in float32 whatever the dtype.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mlx.core as mx
import mlx.optimizers as optim
import numpy as np

__all__ = ["adagrad", "adam", "adam_bias_corrected", "adamw", "rmsprop", "sgd_dampened", "sgd_momentum",
           "sgd_nesterov", "sgd_weight_decay"]

mx.set_default_device(mx.cpu)


def _run(make: Callable[[float], optim.Optimizer], case: Mapping[str, Any]) -> list[np.ndarray]:
    dtype = getattr(mx, case["w"].dtype.name)  # mx.array would make float64 NumPy arrays float32
    params = {"w": mx.array(case["w"], dtype=dtype)}
    rates = case["learning_rates"]
    optimizer = make(rates[0])
    out = []
    for g, lr in zip(case["grads"], rates, strict=True):
        optimizer.learning_rate = mx.array(lr, dtype=dtype)
        params = optimizer.apply_gradients({"w": mx.array(g, dtype=dtype)}, params)
        out.append(np.array(params["w"]))
    return out


def sgd_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.SGD(learning_rate, momentum=beta)``: dampening 0, nesterov off (the defaults)."""
    return _run(lambda lr: optim.SGD(lr, momentum=case["beta"]), case)


def sgd_dampened(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.SGD(learning_rate, momentum=beta, dampening=beta)``: damped from the first step."""
    return _run(lambda lr: optim.SGD(lr, momentum=case["beta"], dampening=case["beta"]), case)


def sgd_nesterov(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.SGD(learning_rate, momentum=beta, nesterov=True)``."""
    return _run(lambda lr: optim.SGD(lr, momentum=case["beta"], nesterov=True), case)


def sgd_weight_decay(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.SGD(learning_rate, momentum=beta, weight_decay=weight_decay)``: the decay added
    to the gradient before the momentum."""
    return _run(lambda lr: optim.SGD(lr, momentum=case["beta"], weight_decay=case["weight_decay"]), case)


def rmsprop(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.RMSprop(learning_rate, alpha=beta2, eps=epsilon)``."""
    return _run(lambda lr: optim.RMSprop(lr, alpha=case["beta2"], eps=case["epsilon"]), case)


def adagrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.Adagrad(learning_rate, eps=epsilon)``."""
    return _run(lambda lr: optim.Adagrad(lr, eps=case["epsilon"]), case)


def adam(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.Adam(learning_rate, betas=[beta1, beta2], eps=epsilon)``: no bias correction
    (the default)."""
    return _run(lambda lr: optim.Adam(lr, betas=[case["beta1"], case["beta2"]], eps=case["epsilon"]), case)


def adam_bias_corrected(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.Adam(learning_rate, betas=[beta1, beta2], eps=epsilon, bias_correction=True)``."""
    return _run(lambda lr: optim.Adam(lr, betas=[case["beta1"], case["beta2"]], eps=case["epsilon"],
                                      bias_correction=True), case)


def adamw(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``mlx.optimizers.AdamW(learning_rate, betas=[beta1, beta2], eps=epsilon, weight_decay=weight_decay)``:
    no bias correction (the default)."""
    return _run(lambda lr: optim.AdamW(lr, betas=[case["beta1"], case["beta2"]], eps=case["epsilon"],
                                       weight_decay=case["weight_decay"]), case)
