"""tinygrad: ``tinygrad.nn.optim.SGD`` (with momentum, Nesterov, classic momentum and weight decay),
``Adam`` and ``AdamW``.

The spec's names map to tinygrad's as ``learning_rate -> lr``, ``beta -> momentum``,
``beta1 -> b1``, ``beta2 -> b2``, ``epsilon -> eps``, ``weight_decay -> weight_decay``. The
gradient is given, so it is set as the parameter's ``grad``; each step runs under
``Context(TRAINING=1)``, which tinygrad's ``Optimizer.step`` requires. The optimizer keeps its
learning rate in a tensor, ``optimizer.lr``: a per-step rate is assigned to it before each step,
as the schedulers in tinygrad's repository (``extra/lr_scheduler.py``) do.

tinygrad runs on the device that ``DEV`` names; unless it is set, this module picks ``CPU``
(C kernels compiled with clang) where ``clang`` is on the PATH, else ``PYTHON`` (tinygrad's
pure-Python emulator, as fast for these tiny tensors). Parameters and gradients keep the case's
dtype and the learning rate is made in it (``DEFAULT_FLOAT``), but tinygrad keeps the optimizer
state in ``OPTIM_DTYPE`` (float32 unless that is set for the whole process) and Adam's
``b1**t`` and ``b2**t`` in float32: the objects with a state are float32 ones. Given float64
cases, the momentum objects raise (``assign dtype mismatch``), Adam and AdamW are
float32-accurate, and plain ``sgd`` (no state) is float64-accurate.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from typing import Any

os.environ.setdefault("DEV", "CPU" if shutil.which("clang") else "PYTHON")  # before tinygrad is imported

import numpy as np
from tinygrad import Context, Tensor
from tinygrad.nn import optim

__all__ = ["adam", "adamw", "sgd", "sgd_momentum", "sgd_momentum_classic", "sgd_nesterov", "sgd_nesterov_classic",
           "sgd_weight_decay"]


def _run(make: Callable[[list[Tensor], float], optim.Optimizer], case: Mapping[str, Any]) -> list[np.ndarray]:
    w = Tensor(case["w"])
    rates = case["learning_rates"]
    with Context(DEFAULT_FLOAT=str(case["w"].dtype)):
        optimizer = make([w], rates[0])
    out = []
    for g, lr in zip(case["grads"], rates, strict=True):
        optimizer.lr.assign([lr]).realize()
        w.grad = Tensor(g)
        with Context(TRAINING=1):
            optimizer.step()
        out.append(w.numpy().copy())
    return out


def sgd(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.SGD(params, lr)``: no momentum, no weight decay (the defaults)."""
    return _run(lambda params, lr: optim.SGD(params, lr=lr), case)


def sgd_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.SGD(params, lr, momentum=beta)``: nesterov and classic off."""
    return _run(lambda params, lr: optim.SGD(params, lr=lr, momentum=case["beta"]), case)


def sgd_momentum_classic(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.SGD(params, lr, momentum=beta, classic=True)``: the rate inside the momentum."""
    return _run(lambda params, lr: optim.SGD(params, lr=lr, momentum=case["beta"], classic=True), case)


def sgd_nesterov(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.SGD(params, lr, momentum=beta, nesterov=True)``."""
    return _run(lambda params, lr: optim.SGD(params, lr=lr, momentum=case["beta"], nesterov=True), case)


def sgd_nesterov_classic(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.SGD(params, lr, momentum=beta, nesterov=True, classic=True)``."""
    return _run(lambda params, lr: optim.SGD(params, lr=lr, momentum=case["beta"], nesterov=True, classic=True),
                case)


def sgd_weight_decay(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.SGD(params, lr, momentum=beta, weight_decay=weight_decay)``: the decay added
    to the gradient before the momentum."""
    return _run(lambda params, lr: optim.SGD(params, lr=lr, momentum=case["beta"],
                                             weight_decay=case["weight_decay"]), case)


def adam(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.Adam(params, lr, b1=beta1, b2=beta2, eps=epsilon)``."""
    return _run(lambda params, lr: optim.Adam(params, lr=lr, b1=case["beta1"], b2=case["beta2"],
                                              eps=case["epsilon"]), case)


def adamw(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``tinygrad.nn.optim.AdamW(params, lr, b1=beta1, b2=beta2, eps=epsilon, weight_decay=weight_decay)``."""
    return _run(lambda params, lr: optim.AdamW(params, lr=lr, b1=case["beta1"], b2=case["beta2"],
                                               eps=case["epsilon"], weight_decay=case["weight_decay"]), case)
