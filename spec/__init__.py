"""gradspec.spec: the single source of truth, written in SymPy.

Each formula is written once (:class:`Formula`), derivatives are derived with
``sympy.diff`` and proven equal to their textbook closed forms (:class:`Identity`),
hyperparameters have domains (:data:`DOMAINS`), conventions on which sources disagree
are named dialects (:data:`DIALECTS`), and the seeds' misprints are listed
(:data:`ERRATA`). The NumPy reference is generated from :data:`FORMULAS` by
:mod:`gradspec.spec.codegen`.
"""

from __future__ import annotations

from . import (
    activations,
    averages,
    gradcheck,
    initialization,
    layers,
    losses,
    minibatch,
    optimizers,
    regularization,
    schedules,
)
from ._model import LATEX_NAMES, Dialect, Domain, Erratum, Formula, Identity, Source
from .dialects import CANONICAL, DIALECTS, dialect, dialects_of
from .errata import ERRATA
from .hyperparameters import DOMAINS

__all__ = [
    "CANONICAL",
    "DIALECTS",
    "DOMAINS",
    "ERRATA",
    "FAMILIES",
    "FORMULAS",
    "IDENTITIES",
    "LATEX_NAMES",
    "Dialect",
    "Domain",
    "Erratum",
    "Formula",
    "Identity",
    "Source",
    "dialect",
    "dialects_of",
]

#: The rule families, in the order the documentation presents them.
FAMILIES = {
    "activations": activations,
    "layers": layers,
    "losses": losses,
    "regularization": regularization,
    "averages": averages,
    "optimizers": optimizers,
    "schedules": schedules,
    "initialization": initialization,
    "gradient checking": gradcheck,
    "mini-batches": minibatch,
}

#: Every formula, by name.
FORMULAS: dict[str, Formula] = {}
for _family in FAMILIES.values():
    for _formula in _family.FORMULAS:
        if _formula.name in FORMULAS:
            raise RuntimeError(f"formula {_formula.name!r} is defined twice")
        FORMULAS[_formula.name] = _formula

#: Every identity the tests prove, by family.
IDENTITIES: dict[str, tuple[Identity, ...]] = {
    name: family.IDENTITIES for name, family in FAMILIES.items()
}
