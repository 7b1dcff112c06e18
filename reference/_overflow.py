"""Computing through float32's overflow, and saying so where no dtype can hold the result.

A reference function wrapped in :func:`through_overflow` computes as before, with NumPy told to
raise on overflow instead of warning. Where a float32 computation overflows in an intermediate
(``g**2`` of a gradient of 1e20, a dot product of large entries) it is computed again in float64
and the result rounded back to float32: the mathematically right float32 result, where it is
representable. Where the result itself is past the dtype's range (or an intermediate is past
float64's), the caller gets a ValueError that says which function and what to do, never inf or
NaN with a RuntimeWarning. Results that do not overflow are untouched, bit for bit.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import numpy as np

__all__ = ["largest_entries", "past_range", "through_overflow"]

F = TypeVar("F", bound=Callable[..., Any])


def _cast(value: Any, source: type, target: type) -> Any:
    """``value`` with its ``source`` arrays (in tuples, named tuples, lists) cast to ``target``: float32
    to float64 to compute, float64 back to float32 (where a value does not fit, NumPy raises)."""
    if isinstance(value, np.ndarray) and value.dtype == source:
        return value.astype(target)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_cast(v, source, target) for v in value))
    if isinstance(value, tuple | list):
        return type(value)(_cast(v, source, target) for v in value)
    return value


def _has_float32(values: Any) -> bool:
    if isinstance(values, np.ndarray):
        return values.dtype == np.float32
    if isinstance(values, tuple | list):
        return any(_has_float32(v) for v in values)
    return False


def largest_entries(arguments: Mapping[str, object]) -> str:
    """``"parameters['W2'] has entries up to 1.4e+200"``: of ``arguments`` (arrays and floats, and
    dicts, named tuples, tuples and lists of them, by the names the caller wrote), the one with the
    largest magnitude."""
    sizes: dict[str, float] = {}

    def visit(label: str, value: object) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                visit(f"{label}[{key!r}]", item)
        elif isinstance(value, tuple) and hasattr(value, "_fields"):
            for field, item in zip(value._fields, value, strict=True):
                visit(f"{label}.{field}", item)
        elif isinstance(value, tuple | list):
            for i, item in enumerate(value):
                visit(f"{label}[{i}]", item)
        elif isinstance(value, np.ndarray | float | np.floating) and np.size(value):
            magnitude = np.abs(np.asarray(value))
            if magnitude.dtype.kind == "f" and not np.isnan(magnitude).all():
                sizes[label] = float(np.nanmax(magnitude))

    for name, value in arguments.items():
        visit(name, value)
    if not sizes:
        return "see the arguments"
    label = max(sizes, key=sizes.__getitem__)
    return f"{label} has entries up to {sizes[label]:.3g}"


def _past_range(caller: str, what: str, dtype: str, arguments: Mapping[str, object]) -> ValueError:
    """The refusal of a result past ``dtype``'s range, naming the argument with the largest entries."""
    float32 = dtype == "float32"
    return ValueError(
        f"{caller}: {what} is past {dtype}'s largest number ({np.finfo(dtype).max:.3g}) for these inputs "
        f"({largest_entries(arguments)}), so it cannot be returned in {dtype}"
        f"{'' if float32 else ' or any wider NumPy float'}; scale the inputs down (a smaller loss, learning "
        f"rate or initialization){', or compute in float64' if float32 else ''}."
    )


def through_overflow(what: str) -> Callable[[F], F]:
    """Wrap a function whose float32 intermediates may overflow; ``what`` names what is computed
    (for the message where the result cannot be represented)."""
    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                with np.errstate(over="raise"):
                    return function(*args, **kwargs)
            except FloatingPointError:
                pass
            float32 = _has_float32(args) or _has_float32(list(kwargs.values()))
            try:
                if not float32:
                    raise FloatingPointError
                with np.errstate(over="raise"):
                    wide = function(*_cast(args, np.float32, np.float64),
                                    **{k: _cast(v, np.float32, np.float64) for k, v in kwargs.items()})
                    return _cast(wide, np.float64, np.float32)
            except FloatingPointError:
                try:
                    arguments = inspect.signature(function).bind(*args, **kwargs).arguments
                except TypeError:
                    arguments = {}
                raise _past_range(function.__name__, what, "float32" if float32 else "float64", arguments) from None
        return wrapper  # type: ignore[return-value]
    return decorate


class past_range:  # noqa: N801 - a context manager, named like contextlib's
    """Inside, a result past its dtype's range is refused in the caller's terms.

    For a computation whose arguments are checked already, so that what can still go wrong is the
    range: a reference function it calls refuses a result past its dtype (:func:`through_overflow`'s
    ValueError, which names that function's own arguments: ``W``, ``A_prev``, ``g``), or, with
    ``numpy_overflow``, NumPy overflows in plain arithmetic. Either becomes the same refusal for
    ``caller``'s ``what``, naming the caller's argument with the largest entries (``arguments``: the
    caller's names for what it was given, or a function that makes them, called only then).
    """

    __slots__ = ("arguments", "caller", "errstate", "what")

    def __init__(self, caller: str, what: str, arguments: Mapping[str, object] | Callable[[], Mapping[str, object]],
                 *, numpy_overflow: bool = False) -> None:
        self.caller, self.what, self.arguments = caller, what, arguments
        self.errstate = np.errstate(over="raise") if numpy_overflow else None

    def __enter__(self) -> None:
        if self.errstate is not None:
            self.errstate.__enter__()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.errstate is not None:
            self.errstate.__exit__(kind, exc, traceback)
        found = re.search(r"past (float\d+)'s", str(exc)) if isinstance(exc, ValueError) else None
        if found is None and not isinstance(exc, FloatingPointError):
            return
        arguments = self.arguments() if callable(self.arguments) else self.arguments
        raise _past_range(self.caller, self.what, found[1] if found else _widest(arguments), arguments) from None


def _widest(arguments: Mapping[str, object]) -> str:
    """The float dtype a computation on ``arguments`` runs in: float32 only if every float array is."""
    found = set()

    def visit(value: object) -> None:
        if isinstance(value, Mapping):
            value = list(value.values())
        if isinstance(value, tuple | list):
            for item in value:
                visit(item)
        elif isinstance(value, np.ndarray) and value.dtype.kind == "f":
            found.add(value.dtype.name)

    visit(list(arguments.values()))
    return "float32" if found == {"float32"} else "float64"
