"""Optimization methods (seeds 000, 001 and 002, course 2, week 2): mini-batches, gradient
descent, momentum, RMSProp, Adam, learning-rate decay, and the assignment's He
initialization; the seeds' notebook API, :mod:`gradspec.reference.notebook`."""

from __future__ import annotations

from numpy.typing import ArrayLike

from ..notebook import (
    exponentially_weighted_averages,
    initialize_adam,
    initialize_parameters,
    initialize_rmsprop,
    initialize_velocity,
    random_mini_batches,
    schedule_lr_decay,
    update_lr,
    update_parameters_with_adam,
    update_parameters_with_gd,
    update_parameters_with_momentum,
    update_parameters_with_rmsprop,
)

__all__ = ["exponentially_weighted_averages", "initialize_adam", "initialize_parameters", "initialize_rmsprop",
           "initialize_velocity", "random_mini_batches", "random_mini_batches_no_seed", "schedule_lr_decay",
           "update_lr",
           "update_parameters_with_adam", "update_parameters_with_gd", "update_parameters_with_momentum",
           "update_parameters_with_rmsprop"]


def random_mini_batches_no_seed(X: ArrayLike, Y: ArrayLike, mini_batch_size: int = 64) -> list:
    """The older notebooks' ``random_mini_batches(X, Y, mini_batch_size)``, without a ``seed``
    parameter: it shuffles with ``np.random.seed(0)``'s permutation, as the seeded version
    does by default."""
    return random_mini_batches(X, Y, mini_batch_size, 0)
