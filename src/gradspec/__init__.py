"""gradspec: an executable specification of the math of training neural networks.

* :mod:`gradspec.spec` -- the formulas, in SymPy: the single source of truth.
* :mod:`gradspec.reference` -- the NumPy reference generated from the spec, and the
  notebook-compatible API (:mod:`gradspec.reference.notebook`).
* :mod:`gradspec.conformance` -- the seeds' printed numbers, pinned, and the checks that
  verify third-party implementations.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("gradspec")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
