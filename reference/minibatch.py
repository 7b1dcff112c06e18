"""Shuffled mini-batches of examples stored as columns."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import integer, unmasked

__all__ = ["mini_batches"]

RandomSource = np.random.RandomState | np.random.Generator


def mini_batches(X: ArrayLike, Y: ArrayLike, *, mini_batch_size: int = 64,
                 rng: RandomSource) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""Shuffle the columns of ``X`` and ``Y`` together and cut them into
    :math:`\lfloor m/B \rfloor` batches of ``mini_batch_size`` columns plus, when
    :math:`r = m - B\lfloor m/B\rfloor > 0`, a last batch of :math:`r` columns.

    With ``rng = np.random.RandomState(seed)`` the shuffle is the seeds'
    ``np.random.seed(seed); np.random.permutation(m)``. Returns new arrays.
    """
    unmasked("X", X)
    unmasked("Y", Y, "the labels the masked entries stand for")
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(f"X and Y must be 2-D with one example per column; got shapes "
                         f"{X.shape} and {Y.shape}. Reshape a label vector with Y.reshape(1, -1).")
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ValueError(f"Y has {Y.shape[1]} columns but X has {m}; each column of X needs the "
                         f"label in the same column of Y.")
    size = integer("mini_batch_size", mini_batch_size)
    if isinstance(rng, np.random.RandomState | np.random.Generator):
        permutation = rng.permutation(m)
    else:
        raise TypeError(f"rng must be a np.random.RandomState or np.random.Generator; got "
                        f"{type(rng).__name__}.")
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    return [(shuffled_X[:, k:k + size], shuffled_Y[:, k:k + size]) for k in range(0, m, size)]
