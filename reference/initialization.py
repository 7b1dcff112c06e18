"""Weight initialization: ``W[l] = sqrt(variance) * N(0, 1)``, ``b[l] = 0``.

``rng`` is a ``np.random.RandomState`` (``RandomState(3)`` draws what the seeds' ``np.random.seed(3)``
then ``np.random.randn`` draws) or a ``np.random.Generator``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Literal

import numpy as np

from . import _kernels as K
from ._validate import integer

__all__ = ["Scheme", "initialize_dense", "variance"]

Scheme = Literal["zeros", "he", "xavier", "glorot", "random-x10", "random-x0.01"]
RandomSource = np.random.RandomState | np.random.Generator


def variance(scheme: Scheme, n_in: int, n_out: int) -> float:
    r"""The variance of a scheme's weights: He :math:`2/n_{in}`, Xavier :math:`1/n_{in}`,
    Glorot :math:`2/(n_{in} + n_{out})`, seed 002's "random" 100 and course 1's small random
    :math:`10^{-4}` (randn * 0.01), zeros 0."""
    n_in = integer("n_in", n_in)
    n_out = integer("n_out", n_out)
    if scheme == "zeros":
        return 0.0
    if scheme == "he":
        return float(K.he_variance(n_in))
    if scheme == "xavier":
        return float(K.xavier_variance(n_in))
    if scheme == "glorot":
        return float(K.glorot_variance(n_in, n_out))
    if scheme == "random-x10":
        return float(K.random_x10_variance())
    if scheme == "random-x0.01":
        return float(K.random_x001_variance())
    raise ValueError(f"scheme must be one of 'zeros', 'he', 'xavier', 'glorot', 'random-x10', 'random-x0.01'; "
                     f"got {scheme!r}.")


def _normal(rng: RandomSource, shape: tuple[int, int]) -> np.ndarray:
    """Standard normal draws from a checked ``rng``: a RandomState's ``randn``, as the seeds draw."""
    return rng.randn(*shape) if isinstance(rng, np.random.RandomState) else rng.standard_normal(shape)


def initialize_dense(layer_dims: Sequence[int], *, scheme: Scheme,
                     rng: RandomSource | None = None) -> dict[str, np.ndarray]:
    """``{"W1": ..., "b1": ..., "WL": ..., "bL": ...}`` for ``layer_dims = [n0, n1, ..., nL]``:
    ``W[l]`` is ``n[l] x n[l-1]``, drawn as ``normal * sqrt(variance)``; ``b[l]`` is a zero
    column. ``rng`` is needed unless ``scheme="zeros"``.
    """
    if isinstance(layer_dims, str | np.ndarray) or not isinstance(layer_dims, Sequence):
        raise TypeError(f"layer_dims must be a list of layer sizes such as [2, 4, 1]; got {type(layer_dims).__name__}.")
    dims = [integer(f"layer_dims[{i}]", n, domain="n_in") for i, n in enumerate(layer_dims)]
    if len(dims) < 2:
        raise ValueError(f"layer_dims must list the input size and at least one layer; got "
                         f"{list(layer_dims)!r}.")
    if scheme != "zeros" and rng is None:
        raise TypeError(f"scheme {scheme!r} draws random weights: pass rng, e.g. "
                        "np.random.RandomState(3).")
    if rng is not None and not isinstance(rng, np.random.RandomState | np.random.Generator):  # zeros too
        raise TypeError(f"rng must be a np.random.RandomState or np.random.Generator (or None for "
                        f"scheme='zeros'); got {type(rng).__name__}.")
    parameters: dict[str, np.ndarray] = {}
    for layer, (n_prev, n) in enumerate(pairwise(dims), start=1):
        var = variance(scheme, n_prev, n)
        if scheme == "zeros":
            parameters[f"W{layer}"] = np.zeros((n, n_prev))
        else:
            parameters[f"W{layer}"] = _normal(rng, (n, n_prev)) * np.sqrt(var)
        parameters[f"b{layer}"] = np.zeros((n, 1))
    return parameters
