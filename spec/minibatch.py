"""Mini-batches: how m examples split into batches of a given size (seeds 000 §Mini-Batch
Gradient Descent, 001 §2, 002 §2.2.1)."""

from __future__ import annotations

import sympy as sp

from ._model import Formula, Identity, Source

__all__ = ["FORMULAS", "IDENTITIES"]

m = sp.Symbol("m", positive=True, integer=True)
size = sp.Symbol("mini_batch_size", positive=True, integer=True)

S001_MB = Source("001", "2 - Mini-Batch Gradient descent")
S002_MB = Source("002", "2.2.7 Programming Assignment (Optimization): random_mini_batches")

full_batches = sp.floor(m / size)
remainder = m - size * sp.floor(m / size)

# The partition property (every example in exactly one batch, labels kept with their
# columns) is about arrays, not algebra: the reference's tests check it numerically.
IDENTITIES: tuple[Identity, ...] = ()

FORMULAS = (
    Formula("full_batches", r"n_{\mathrm{full}}", full_batches, (m, size), (S001_MB, S002_MB)),
    Formula("last_batch", r"r", remainder, (m, size), (S001_MB, S002_MB),
            note=r"A last, smaller batch exists when $r > 0$."),
)
