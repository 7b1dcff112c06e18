"""Every named dialect, as data the conformance suite and the docs read.

A dialect id is ``rule/name``; exactly one dialect of each rule is canonical.
"""

from __future__ import annotations

from . import activations, averages, initialization, losses, optimizers, schedules
from ._model import Dialect

__all__ = ["CANONICAL", "DIALECTS", "dialect", "dialects_of"]

DIALECTS: tuple[Dialect, ...] = (
    *optimizers.DIALECTS,
    *schedules.DIALECTS,
    *averages.DIALECTS,
    *activations.DIALECTS,
    *losses.DIALECTS,
    *initialization.DIALECTS,
)

CANONICAL: dict[str, Dialect] = {d.rule: d for d in DIALECTS if d.canonical}


def dialects_of(rule: str) -> tuple[Dialect, ...]:
    """The dialects of ``rule``, canonical first."""
    found = tuple(sorted((d for d in DIALECTS if d.rule == rule), key=lambda d: not d.canonical))
    if not found:
        known = sorted({d.rule for d in DIALECTS})
        raise KeyError(f"no rule {rule!r} has dialects; rules with dialects: {known}")
    return found


def dialect(dialect_id: str) -> Dialect:
    """Look a dialect up by its id, e.g. ``"adam/eps-inside"``."""
    for d in DIALECTS:
        if d.id == dialect_id:
            return d
    raise KeyError(f"unknown dialect {dialect_id!r}; known: {sorted(d.id for d in DIALECTS)}")
