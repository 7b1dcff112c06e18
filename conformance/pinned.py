"""Numbers as the seeds printed them, and what "reproduced at the precision printed" means.

A :class:`Printed` keeps the seed's text verbatim. Its tolerance is half a unit in the
last printed place: NumPy prints an array with one number of decimals for all entries
(dropping trailing zeros), so an array's precision is that of its longest entry; a
number printed by ``repr`` (all 17 significant digits) must match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["NUMBER", "PinnedCase", "Printed", "mismatches"]

#: A number as printed: not part of a name such as ``W1`` or ``dW2``.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Printed:
    """An array or scalar exactly as printed, e.g. ``"[[ 1.74604067]\\n [-0.75184921]]"``.

    ``exact`` marks a Python float printed in full (``repr``): it must match to the bit.
    """

    text: str
    exact: bool = False

    @property
    def tokens(self) -> list[str]:
        return NUMBER.findall(self.text)

    @property
    def values(self) -> np.ndarray:
        numbers = np.array([float(tok) for tok in self.tokens])
        rows = self.text.count("[") - 1 if self.text.lstrip().startswith("[[") else 0
        return numbers.reshape(rows, -1) if rows else numbers.reshape(self._flat_shape())

    def _flat_shape(self) -> tuple[int, ...]:
        scalar = len(self.tokens) == 1 and "[" not in self.text
        return () if scalar else (len(self.tokens),)

    @property
    def tolerance(self) -> np.ndarray:
        """Half a unit in the last printed place, per entry."""
        if self.exact:
            return np.zeros(self.values.shape)
        mantissas = [tok.lower().split("e") for tok in self.tokens]
        decimals = max(len(m[0].split(".")[1]) if "." in m[0] else 0 for m in mantissas)
        exponents = np.array([int(m[1]) if len(m) == 2 else 0 for m in mantissas], dtype=float)
        return (0.5 * 10.0 ** (exponents - decimals)).reshape(self.values.shape)

    def matches(self, computed: object) -> bool:
        try:
            arr = np.asarray(computed, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        if arr.shape != self.values.shape:
            return False
        return bool(np.all(np.abs(arr - self.values) <= self.tolerance * (1 + 1e-9)))


@dataclass(frozen=True)
class PinnedCase:
    """A seed's deterministic printout and the computation that reproduces it.

    ``compute(api)`` returns the computed values under the same names as ``printed``,
    calling the notebook functions through ``api`` (the reference's, or a target's for the
    ``functions`` under test: see :mod:`gradspec.conformance.verify`).
    ``errata`` names printed entries that are misprints (ids in
    :data:`gradspec.spec.ERRATA`); those are checked to *differ* from the computation.
    """

    id: str
    functions: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    description: str
    printed: Mapping[str, Printed]
    compute: Callable[[Any], Mapping[str, object]]
    errata: Mapping[str, str] = field(default_factory=dict)
    #: The dialects the printed numbers assume, e.g. {"adam": "eps-outside"}.
    assumes: Mapping[str, str] = field(default_factory=dict)
    #: The reference module whose API the computation calls when no other is given.
    api: str = "gradspec.reference.notebook"


def mismatches(case: PinnedCase, api: Any = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{name: (printed, computed)}`` for every entry that does not behave as pinned,
    computed through ``api`` (default: the reference module ``case.api``); ``computed`` is None for
    an entry the computation did not produce."""
    if api is None:
        import importlib

        api = importlib.import_module(case.api)
    computed = case.compute(api)
    bad: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for name, printed in case.printed.items():
        if name not in computed:  # the computation could not reach it (too few mini-batches, say)
            bad[name] = (printed.values, None)
            continue
        ok = printed.matches(computed[name])
        if ok == (name in case.errata):
            bad[name] = (printed.values, np.asarray(computed[name]))
    return bad
