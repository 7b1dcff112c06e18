"""The data an assignment module declares: function versions, invariants, readers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from hypothesis import strategies as st

from gradspec.reference._kernels import DIALECT_KERNELS

from ..compare import Mismatch

__all__ = ["Call", "Dialects", "FunctionVersion", "Invariant", "Reader", "canonical", "dialects_of", "first",
           "first_three", "gradients", "whole"]


class Call(Protocol):
    """How checks call the target: ``call(name, *args)``; ``call.has(name)``."""

    def __call__(self, name: str, *args: Any) -> Any: ...

    def has(self, name: str) -> bool: ...


def dialects_of(rule: str | None) -> list[str]:
    """The dialect names of ``rule``, canonical first (the spec's order)."""
    if rule is None:
        return []
    return [d.split("/", 1)[1] for d in DIALECT_KERNELS if d.startswith(f"{rule}/")]


def canonical(rule: str) -> str:
    return dialects_of(rule)[0]


class Dialects(dict[str, str]):
    """The dialects in force: the declared ones, and the canonical one for every other rule."""

    def __missing__(self, rule: str) -> str:
        return canonical(rule)


#: Reads a target's (or the reference's) return value for comparison: ``(value, path)``,
#: where ``path`` indexes the raw return value to reach ``value`` (``"[0]"``, or ``""``).
Reader = Callable[[Any], tuple[Any, str]]


def whole(result: Any) -> tuple[Any, str]:
    return result, ""


def first(result: Any) -> tuple[Any, str]:
    """``(A, cache)`` -> ``A``; a bare ``A`` stays."""
    return (result[0], "[0]") if isinstance(result, tuple) and result else (result, "")


def first_three(result: Any) -> tuple[Any, str]:
    """Newer Adam versions return ``(parameters, v, s, v_corrected, s_corrected)``."""
    return (tuple(result[:3]), "") if isinstance(result, tuple) and len(result) == 5 else (result, "")


def gradients(result: Any) -> tuple[Any, str]:
    """Backward passes are compared on dW and db (intermediate keys vary by version)."""
    if isinstance(result, Mapping):
        return {k: v for k, v in result.items() if k[:2] in ("dW", "db") and k[2:].isdigit()}, ""
    return result, ""


@dataclass(frozen=True)
class Invariant:
    """A property of the target alone: ``check(call, args, dialects)`` returns a Mismatch or None.

    ``holds_for`` limits it to some dialects of a rule (``{"adam": ("eps-outside", ...)}``):
    with another one declared, it is skipped, and the report says why.
    """

    id: str
    description: str
    inputs: st.SearchStrategy[tuple]
    check: Callable[[Call, tuple, Dialects], Mismatch | None]
    holds_for: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionVersion:
    """One version of a notebook function, as one assignment defines it.

    ``params`` are the course's parameter names, in order; the target is called with all
    of them, by position. ``oracle`` is a public reference function with the same
    signature, called with ``**oracle_kwargs(dialects)``. ``unseeded`` (stochastic functions
    only) checks what must hold when the target draws its own random numbers.
    """

    name: str
    assignment: str
    params: tuple[str, ...]
    rule: str
    inputs: st.SearchStrategy[tuple]
    oracle: Callable[..., Any]
    summary: str
    variant: str = ""
    dialect_rule: str | None = None
    #: Other rules whose dialect the oracle takes, by keyword (``{"cost": "dialect"}``).
    flows: Mapping[str, str] = field(default_factory=dict)
    read: Reader = whole
    probes: tuple[tuple, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    differential: bool = True
    #: The rule's steps the function computes (empty: all). A dialect that changes none of
    #: them cannot be told apart by this function and is not a candidate.
    steps: tuple[str, ...] = ()
    #: The pinned cases (:data:`gradspec.conformance.seeds.CASES` ids) that call this version.
    pinned: tuple[str, ...] = ()
    unseeded: Invariant | None = None

    @property
    def id(self) -> str:
        """``assignment:name`` (``assignment:name/variant`` where one assignment has two)."""
        return f"{self.assignment}:{self.name}" + (f"/{self.variant}" if self.variant else "")

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"

    @property
    def oracle_path(self) -> tuple[str, str]:
        """Where the oracle is imported from: ``(module, name)``."""
        return self.oracle.__module__, self.oracle.__name__

    def oracle_kwargs(self, dialects: Mapping[str, str]) -> dict[str, str]:
        """The keywords that make the oracle compute in ``dialects`` (canonical ones omitted)."""
        kwargs = {}
        own = self.dialect_rule
        # The oracle of a stochastic function is the notebook's seeded stream: rng/unseeded is a
        # property check (``unseeded``), not a keyword.
        if own not in (None, "rng") and dialects.get(own, canonical(own)) != canonical(own):
            kwargs["dialect"] = dialects[own]
        for rule, keyword in self.flows.items():
            if dialects.get(rule, canonical(rule)) != canonical(rule):
                kwargs[keyword] = dialects[rule]
        return kwargs

    def expected(self, args: tuple, dialects: Mapping[str, str]) -> Any:
        """The reference's raw result for ``args`` in ``dialects``."""
        return self.oracle(*args, **self.oracle_kwargs(dialects))
