"""gradspec.conformance: the seeds' printed numbers, pinned, for checking implementations.

:data:`CASES` lists every deterministic number the seeds print for the formulas in the
spec, each with the reference computation that reproduces it at the printed precision.
(The ``gradspec verify`` suite for third-party code builds on these.)
"""

from __future__ import annotations

from .pinned import NUMBER, PinnedCase, Printed, mismatches
from .seeds import CASES, mini_batch_test_case, optimizer_test_case

__all__ = ["CASES", "NUMBER", "PinnedCase", "Printed", "mini_batch_test_case", "mismatches",
           "optimizer_test_case"]
