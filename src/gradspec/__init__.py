"""gradspec: an executable specification of the math of training neural networks.

* :mod:`gradspec.spec` -- the formulas, in SymPy: the single source of truth.
* :mod:`gradspec.reference` -- the NumPy reference generated from the spec, and the
  notebook-compatible API (:mod:`gradspec.reference.notebook`).
* :mod:`gradspec.conformance` -- the seeds' printed numbers, pinned, and the checks that
  verify third-party implementations.
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # The version is read from the installed metadata on first use only: importlib.metadata
    # costs ~35 ms, more than the whole reference, and most imports never ask for it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("gradspec")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    raise AttributeError(f"module 'gradspec' has no attribute {name!r}")
