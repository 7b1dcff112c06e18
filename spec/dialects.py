"""Every named dialect, as data the conformance suite and the docs read.

A dialect id is ``rule/name``; exactly one dialect of each rule is canonical.
"""

from __future__ import annotations

import sympy as sp

from . import activations, averages, optimizers, schedules
from ._model import Dialect, Formula, Source

__all__ = ["CANONICAL", "DIALECTS", "dialect", "dialects_of"]

_total = sp.Symbol("total", real=True)  # sum over the examples of the per-example loss
_m = sp.Symbol("m", positive=True, integer=True)

S000_COST = Source("000", "Hands-on examples: compute_cost ('without dividing by number of training examples')")
S002_COST = Source("002", "2.1.8 Programming Assignment (Regularization): J = -(1/m) sum ...")

_relu_zero = activations.RELU_GRAD
_relu_one = Formula("relu_grad_one_at_zero", r"\mathrm{ReLU}'(z)", activations.relu_grad_one_at_zero,
                    (activations.z,), (Source("SymPy/others", "Heaviside(z, 1): a >= 0 masks"),),
                    kernel="relu_grad_one_at_zero")
_cost_mean = Formula("cost_mean", "J", _total / _m, (_total, _m), (S002_COST,), kernel="cost_mean")
_cost_sum = Formula("cost_sum", "J", _total, (_total,), (S000_COST,))

DIALECTS: tuple[Dialect, ...] = (
    *optimizers.DIALECTS,
    *schedules.DIALECTS,
    *averages.DIALECTS,
    Dialect("relu-grad", "zero-at-zero", True, "ReLU'(0) = 0", {"grad": _relu_zero},
            _relu_zero.sources,
            why="The seeds' backward passes mask with a > 0 (equivalently z > 0), so a unit "
                "exactly at 0 passes no gradient."),
    Dialect("relu-grad", "one-at-zero", False, "ReLU'(0) = 1", {"grad": _relu_one},
            _relu_one.sources),
    Dialect("cost", "mean", True, "J = (1/m) sum_i L_i", {"reduction": _cost_mean},
            (S002_COST,),
            why="Every seed's formula for J is a mean, and the gradient (a - y)/m that all "
                "seeds' backward passes compute is the gradient of the mean."),
    Dialect("cost", "sum", False, "J = sum_i L_i (the caller divides later)", {"reduction": _cost_sum},
            (S000_COST,)),
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
