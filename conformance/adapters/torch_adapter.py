"""PyTorch: ``torch.optim.SGD``, ``RMSprop``, ``Adam``, ``AdamW``, ``Adagrad`` and ``lr_scheduler.LambdaLR``.

The spec's names map to PyTorch's as ``learning_rate -> lr``, ``beta -> momentum`` (and
``dampening``), ``beta2 -> alpha`` (RMSprop) or ``betas[1]`` (Adam), ``beta1 -> betas[0]``,
``epsilon -> eps``, ``weight_decay -> weight_decay``. A per-step learning rate is set in
``param_groups[0]["lr"]`` before each step, as a scheduler does. Tensors keep the case's dtype (float32 or float64).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch

__all__ = ["adagrad", "adagrad_foreach", "adagrad_fused", "adam", "adam_amsgrad", "adam_amsgrad_foreach",
           "adam_amsgrad_fused", "adam_weight_decay", "adam_weight_decay_foreach", "adam_weight_decay_fused", "adamw",
           "adamw_foreach", "adamw_fused", "inverse_time_lambda_lr", "rmsprop", "rmsprop_centered",
           "rmsprop_centered_foreach", "rmsprop_momentum", "rmsprop_momentum_foreach", "sgd_dampened", "sgd_momentum",
           "sgd_nesterov", "sgd_nesterov_foreach", "sgd_nesterov_fused", "sgd_weight_decay", "sgd_weight_decay_foreach",
           "sgd_weight_decay_fused"]

torch.set_num_threads(1)


def _run(make: Callable[[list[torch.Tensor], float], torch.optim.Optimizer],
         case: Mapping[str, Any]) -> list[np.ndarray]:
    w = torch.tensor(case["w"], requires_grad=True)
    rates = case["learning_rates"]
    optimizer = make([w], rates[0])
    out = []
    for g, lr in zip(case["grads"], rates, strict=True):
        optimizer.param_groups[0]["lr"] = lr
        w.grad = torch.tensor(g)
        optimizer.step()
        out.append(w.detach().numpy().copy())
    return out


def sgd_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(lr, momentum=beta)``: dampening 0, nesterov off (the defaults)."""
    return _run(lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=case["beta"]), case)


def sgd_dampened(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(lr, momentum=beta, dampening=beta)``."""
    return _run(lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=case["beta"],
                                                   dampening=case["beta"]), case)


def rmsprop(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.RMSprop(lr, alpha=beta2, eps=epsilon)``: not centered, no momentum."""
    return _run(lambda params, lr: torch.optim.RMSprop(params, lr=lr, alpha=case["beta2"],
                                                       eps=case["epsilon"]), case)


def adam(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(lr, betas=(beta1, beta2), eps=epsilon)``."""
    return _run(lambda params, lr: torch.optim.Adam(params, lr=lr, betas=(case["beta1"], case["beta2"]),
                                                    eps=case["epsilon"]), case)


# --- beyond the course: each in the single-tensor, foreach and (where PyTorch has one on the CPU)
# fused implementation, which must agree ---------------------------------------------------------

def _sgd_nesterov(case: Mapping[str, Any], **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=case["beta"], nesterov=True,
                                                   **implementation), case)


def sgd_nesterov(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(lr, momentum=beta, nesterov=True, foreach=False)``: the single-tensor loop."""
    return _sgd_nesterov(case, foreach=False)


def sgd_nesterov_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(lr, momentum=beta, nesterov=True, foreach=True)``."""
    return _sgd_nesterov(case, foreach=True)


def sgd_nesterov_fused(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(lr, momentum=beta, nesterov=True, fused=True)``: the fused CPU kernel."""
    return _sgd_nesterov(case, fused=True)


def _adam_amsgrad(case: Mapping[str, Any], **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: torch.optim.Adam(params, lr=lr, betas=(case["beta1"], case["beta2"]),
                                                    eps=case["epsilon"], amsgrad=True, **implementation), case)


def adam_amsgrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(lr, betas=(beta1, beta2), eps=epsilon, amsgrad=True, foreach=False)``."""
    return _adam_amsgrad(case, foreach=False)


def adam_amsgrad_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(..., amsgrad=True, foreach=True)``."""
    return _adam_amsgrad(case, foreach=True)


def adam_amsgrad_fused(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(..., amsgrad=True, fused=True)``: the fused CPU kernel."""
    return _adam_amsgrad(case, fused=True)


def _rmsprop_centered(case: Mapping[str, Any], **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: torch.optim.RMSprop(params, lr=lr, alpha=case["beta2"], eps=case["epsilon"],
                                                       centered=True, **implementation), case)


def rmsprop_centered(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.RMSprop(lr, alpha=beta2, eps=epsilon, centered=True, foreach=False)`` (no fused
    RMSprop exists)."""
    return _rmsprop_centered(case, foreach=False)


def rmsprop_centered_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.RMSprop(..., centered=True, foreach=True)``."""
    return _rmsprop_centered(case, foreach=True)


def _rmsprop_momentum(case: Mapping[str, Any], **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: torch.optim.RMSprop(params, lr=lr, alpha=case["beta2"], eps=case["epsilon"],
                                                       momentum=case["beta"], **implementation), case)


def rmsprop_momentum(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.RMSprop(lr, alpha=beta2, eps=epsilon, momentum=beta, foreach=False)``."""
    return _rmsprop_momentum(case, foreach=False)


def rmsprop_momentum_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.RMSprop(..., momentum=beta, foreach=True)``."""
    return _rmsprop_momentum(case, foreach=True)


def _adagrad(case: Mapping[str, Any], **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: torch.optim.Adagrad(params, lr=lr, eps=case["epsilon"], **implementation), case)


def adagrad(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adagrad(lr, eps=epsilon, foreach=False)``: lr_decay 0, initial_accumulator_value 0
    (the defaults)."""
    return _adagrad(case, foreach=False)


def adagrad_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adagrad(lr, eps=epsilon, foreach=True)``."""
    return _adagrad(case, foreach=True)


def adagrad_fused(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adagrad(lr, eps=epsilon, fused=True)``: the fused CPU kernel."""
    return _adagrad(case, fused=True)


def _adam_decayed(case: Mapping[str, Any], optimizer: type[torch.optim.Optimizer],
                  **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: optimizer(params, lr=lr, betas=(case["beta1"], case["beta2"]), eps=case["epsilon"],
                                             weight_decay=case["weight_decay"], **implementation), case)


def adam_weight_decay(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(lr, betas=(beta1, beta2), eps=epsilon, weight_decay=weight_decay, foreach=False)``."""
    return _adam_decayed(case, torch.optim.Adam, foreach=False)


def adam_weight_decay_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(..., weight_decay=weight_decay, foreach=True)``."""
    return _adam_decayed(case, torch.optim.Adam, foreach=True)


def adam_weight_decay_fused(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.Adam(..., weight_decay=weight_decay, fused=True)``."""
    return _adam_decayed(case, torch.optim.Adam, fused=True)


def adamw(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.AdamW(lr, betas=(beta1, beta2), eps=epsilon, weight_decay=weight_decay, foreach=False)``."""
    return _adam_decayed(case, torch.optim.AdamW, foreach=False)


def adamw_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.AdamW(..., foreach=True)``."""
    return _adam_decayed(case, torch.optim.AdamW, foreach=True)


def adamw_fused(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.AdamW(..., fused=True)``."""
    return _adam_decayed(case, torch.optim.AdamW, fused=True)


def _sgd_decayed(case: Mapping[str, Any], **implementation: bool) -> list[np.ndarray]:
    return _run(lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=case["beta"],
                                                   weight_decay=case["weight_decay"], **implementation), case)


def sgd_weight_decay(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(lr, momentum=beta, weight_decay=weight_decay, foreach=False)``."""
    return _sgd_decayed(case, foreach=False)


def sgd_weight_decay_foreach(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(..., weight_decay=weight_decay, foreach=True)``."""
    return _sgd_decayed(case, foreach=True)


def sgd_weight_decay_fused(case: Mapping[str, Any]) -> list[np.ndarray]:
    """``torch.optim.SGD(..., weight_decay=weight_decay, fused=True)``."""
    return _sgd_decayed(case, fused=True)


def inverse_time_lambda_lr(case: Mapping[str, Any]) -> list[float]:
    """``LambdaLR(optimizer, lambda epoch: 1 / (1 + decay_rate * epoch / time_interval))`` with
    ``lr = learning_rate0``: the learning rate in use at each epoch of ``case["steps"]``, read
    from the optimizer after ``scheduler.step()`` was called that many times."""
    rate, interval = case["decay_rate"], case["time_interval"]
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=case["learning_rate0"])
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1 / (1 + rate * epoch / interval))
    out, epoch = [], 0
    for wanted in case["steps"]:
        while epoch < wanted:
            optimizer.step()
            scheduler.step()
            epoch += 1
        out.append(float(optimizer.param_groups[0]["lr"]))
    return out
