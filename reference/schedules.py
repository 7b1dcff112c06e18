"""Learning-rate schedules: ``epoch_num`` counts epochs from 0 and each function returns
the learning rate for that epoch as a Python float."""

from __future__ import annotations

from collections.abc import Callable

from . import _kernels as K
from ._validate import hyperparameter

__all__ = [
    "exponential_decay",
    "exponential_staircase_decay",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "staircase_decay",
]


def inverse_time_decay(learning_rate0: float, epoch_num: float, *, decay_rate: float) -> float:
    r""":math:`\alpha = \alpha_0 / (1 + r \cdot \mathrm{epoch})`."""
    return float(K.inverse_time_decay(hyperparameter("learning_rate0", learning_rate0),
                                      hyperparameter("epoch_num", epoch_num),
                                      hyperparameter("decay_rate", decay_rate)))


def staircase_decay(learning_rate0: float, epoch_num: float, *, decay_rate: float,
                    time_interval: float = 1000) -> float:
    r""":math:`\alpha = \alpha_0 / (1 + r \lfloor \mathrm{epoch} / T \rfloor)`: constant within
    each interval of ``time_interval`` epochs."""
    return float(K.staircase_decay(hyperparameter("learning_rate0", learning_rate0),
                                   hyperparameter("epoch_num", epoch_num),
                                   hyperparameter("decay_rate", decay_rate),
                                   hyperparameter("time_interval", time_interval)))


def exponential_decay(learning_rate0: float, epoch_num: float, *, k: float = 0.95) -> float:
    r""":math:`\alpha = k^{\mathrm{epoch}} \alpha_0` (seed 003's :math:`0.95^{\mathrm{epoch}}`)."""
    lr0, epoch, factor = (hyperparameter("learning_rate0", learning_rate0), hyperparameter("epoch_num", epoch_num),
                          hyperparameter("k", k))
    return _grown(lambda: K.exponential_decay(lr0, epoch, factor), lr0, factor, epoch)


def exponential_staircase_decay(learning_rate0: float, epoch_num: float, *, k: float,
                                time_interval: float) -> float:
    r""":math:`\alpha = k^{\lfloor \mathrm{epoch} / T \rfloor} \alpha_0`: exponential decay in steps
    of ``time_interval`` epochs (Optax's ``exponential_decay(..., staircase=True)``)."""
    lr0, epoch, factor = (hyperparameter("learning_rate0", learning_rate0), hyperparameter("epoch_num", epoch_num),
                          hyperparameter("k", k))
    interval = hyperparameter("time_interval", time_interval)
    return _grown(lambda: K.exponential_staircase_decay(lr0, epoch, factor, interval), lr0, factor, epoch)


def _grown(compute: Callable[[], float], learning_rate0: float, k: float, epoch: float) -> float:
    """An exponential schedule's value, or a ValueError where ``k > 1`` grows it past float64."""
    if learning_rate0 == 0:
        return 0.0
    try:
        return float(compute())
    except OverflowError:
        raise ValueError(f"k**epoch_num * learning_rate0 is past the largest float64 (k = {k!r} > 1 grows the "
                         f"rate; epoch_num = {epoch!r}): pass k <= 1 for a decay, or fewer epochs.") from None


def inverse_sqrt_decay(learning_rate0: float, epoch_num: float, *, k: float) -> float:
    r""":math:`\alpha = k \alpha_0 / \sqrt{\mathrm{epoch}}`, for ``epoch_num >= 1``."""
    epoch = hyperparameter("epoch_num", epoch_num)
    if epoch < 1:
        raise ValueError(f"epoch_num must be >= 1 for k/sqrt(epoch) decay (it divides by "
                         f"sqrt(epoch)); got {epoch_num!r}. Count epochs from 1 here.")
    return float(K.inverse_sqrt_decay(hyperparameter("learning_rate0", learning_rate0), epoch,
                                      hyperparameter("k", k)))
