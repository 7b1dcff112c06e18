"""gradspec.conformance: the seeds' printed numbers, pinned, for checking implementations.

:data:`CASES` lists every deterministic number the seeds print for the formulas in the
spec, each with the reference computation that reproduces it at the printed precision.
(The ``gradspec verify`` suite for third-party code builds on these.)
"""

from __future__ import annotations

from types import ModuleType

from ._loading import CellProblem, TargetSyntaxError
from .pinned import NUMBER, PinnedCase, Printed, mismatches
from .seeds import CASES, mini_batch_test_case, optimizer_test_case

__all__ = ["CASES", "NUMBER", "CellProblem", "PinnedCase", "Printed", "TargetSyntaxError", "load_target",
           "mini_batch_test_case", "mismatches", "optimizer_test_case"]


def load_target(path: str) -> ModuleType:
    """Load a target file (``.py``, a script exported from Jupyter, or ``.ipynb``) the way
    ``gradspec verify`` does, in this process: a notebook's cells run in order, and a cell that
    fails is skipped with a warning. The counterexamples ``gradspec verify`` prints start with
    this call."""
    import warnings

    from ._loading import load_file

    module, problems = load_file(path)
    for problem in problems:
        warnings.warn(f"{path}: skipped cell {problem.cell} ({problem.first_line}): {problem.error}",
                      stacklevel=2)
    return module
