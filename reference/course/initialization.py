"""Initialization (seed 002, course 2, week 1): zeros, large random (x10) and He weights for
``layers_dims = [n0, n1, ..., nL]``, each random one drawn from ``np.random.RandomState(3)``."""

from __future__ import annotations

from ..notebook import initialize_parameters_he, initialize_parameters_random, initialize_parameters_zeros

__all__ = ["initialize_parameters_he", "initialize_parameters_random", "initialize_parameters_zeros"]
