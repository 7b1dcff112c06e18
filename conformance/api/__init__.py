"""The course's notebook API, version by version: what ``gradspec verify`` checks.

The course reuses names across its assignments with other signatures and conventions, so
the registry is keyed by version, not by name. Each assignment module declares, as data,
the versions of the functions it defines (:class:`FunctionVersion`: the signature, the
reference function that is the oracle, the input strategies, invariants and pinned
cases). The engine picks, for each function a target defines, the version its signature
fits (and where two fit, the one its results match); nothing else knows a function by name.
"""

from __future__ import annotations

from types import ModuleType

from . import deep, gradient_checking, initialization, logistic, optimization, regularization, shallow
from ._model import Call, Dialects, FunctionVersion, Invariant, canonical, dialects_of

__all__ = ["ASSIGNMENTS", "NAMES", "VERSIONS", "Call", "Dialects", "FunctionVersion", "Invariant", "canonical",
           "dialects_of", "helper_version", "versions_of"]

#: The assignments, in the course's order.
ASSIGNMENTS: dict[str, ModuleType] = {m.ASSIGNMENT: m for m in (
    logistic, shallow, deep, initialization, regularization, gradient_checking, optimization)}

#: Every version of every function, assignment by assignment.
VERSIONS: tuple[FunctionVersion, ...] = tuple(v for m in ASSIGNMENTS.values() for v in m.VERSIONS)

#: The notebook functions' names, each once, in the order of their first version.
NAMES: tuple[str, ...] = tuple(dict.fromkeys(v.name for v in VERSIONS))

_ids = [v.id for v in VERSIONS]
if len(set(_ids)) != len(_ids):
    raise RuntimeError(f"two versions share an id: {sorted({i for i in _ids if _ids.count(i) > 1})}")


_BY_ID = {v.id: v for v in VERSIONS}


def helper_version(name: str, assignment: str) -> FunctionVersion | None:
    """The version of ``name`` that ``assignment``'s notebooks get from the course's helper
    files (``dnn_utils``, ``reg_utils``, ...): the assignment's own ``HELPERS`` entry, else
    its own version of ``name``; None if the assignment has neither."""
    module = ASSIGNMENTS[assignment]
    helpers = getattr(module, "HELPERS", {})
    if name in helpers:
        return _BY_ID[helpers[name]]
    own = [v for v in module.VERSIONS if v.name == name]
    return own[0] if own else None


def versions_of(name: str) -> tuple[FunctionVersion, ...]:
    """Every version of the function ``name``, in the registry's order."""
    return tuple(v for v in VERSIONS if v.name == name)
