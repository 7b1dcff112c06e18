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
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

__all__ = ["through_overflow"]

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


def _largest(function: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> str:
    """The argument with the largest entries, as ``g has entries up to 1e+20``."""
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError:
        return "see the arguments"
    sizes = {}
    for name, value in bound.arguments.items():
        items = (zip((f"{name}.{f}" for f in value._fields), value, strict=True)
                 if isinstance(value, tuple) and hasattr(value, "_fields") else
                 ((f"{name}[{i}]", v) for i, v in enumerate(value)) if isinstance(value, list | tuple) else
                 ((name, value),))
        for label, item in items:
            if isinstance(item, np.ndarray) and item.dtype.kind == "f" and item.size:
                with np.errstate(invalid="ignore"):
                    sizes[label] = float(np.max(np.abs(item)))
    if not sizes:
        return "see the arguments"
    label = max(sizes, key=sizes.__getitem__)
    return f"{label} has entries up to {sizes[label]:.3g}"


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
                dtype = "float32" if float32 else "float64"
                raise ValueError(
                    f"{function.__name__}: {what} is past {dtype}'s largest number "
                    f"({np.finfo(dtype).max:.3g}) for these inputs ({_largest(function, args, kwargs)}), so it "
                    f"cannot be returned in {dtype}"
                    f"{'' if float32 else ' or any wider NumPy float'}; scale the inputs down (a smaller "
                    f"loss, learning rate or initialization){', or compute in float64' if float32 else ''}."
                ) from None
        return wrapper  # type: ignore[return-value]
    return decorate
