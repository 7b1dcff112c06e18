"""How a target's result is compared with the reference's.

**Tolerances.** An entry passes when ``|actual - expected| <= rtol * |expected| + atol * scale``,
where ``scale`` is the largest magnitude among the call's inputs (at least 1): results such as
``W - lr * update`` can cancel, and their rounding error is relative to the inputs, not to
the result.

============  ===========  ============  ==================================================
inputs        rtol         atol          why
============  ===========  ============  ==================================================
float64       1e-9         1e-12         ~4500 ulps relative: any correct operation order
                                         passes; a one-term bug moves results by far more
float32       2e-5         2e-6          ~170 float32 ulps: float32 and float64 evaluations
                                         of the same formula both pass
============  ===========  ============  ==================================================

**Wrong results** are failures, whatever their kind: a wrong number, a result of the wrong
type, shape or length, a missing key, NaN where the reference is finite, a float32 result from
float64 inputs (precision lost). Promotion (float32 in, float64 out) is allowed: the notebooks
create their state with ``np.zeros(shape)``, which is float64. (A target that raises, hangs
or crashes is an ``error``; that is decided where it is called, not here.)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["TOLERANCES", "Mismatch", "compare", "input_scale", "leaves"]

TOLERANCES = {"float64": (1e-9, 1e-12), "float32": (2e-5, 2e-6)}


@dataclass(frozen=True)
class Mismatch:
    """Where and how a result differs: ``kind`` is "fail" (a wrong result) or "error" (the
    target raised, hung or crashed). ``path`` indexes the result (``result[0]['W1']``).

    ``source`` says which of the check's calls to the target returned ``actual`` (an index into
    the calls it made; -1: the last), or how ``actual`` is computed from the last call's value
    ``{call}`` (``"len({call})"``), for the counterexample's code. ``read`` is the part of
    ``path`` that reaches the value the comparison read (``"[0]"`` of an ``(A, cache)`` pair),
    before the compared value's own path."""

    kind: Literal["fail", "error"]
    path: str
    message: str
    expected: object = None
    actual: object = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    source: int | str = -1
    read: str = ""


def leaves(value: object) -> Iterator[object]:
    """The non-container values inside nested dicts, lists and tuples."""
    if isinstance(value, Mapping):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def input_scale(args: object) -> float:
    """The largest finite magnitude among the floats in ``args`` (at least 1)."""
    largest = 1.0
    for item in leaves(args):
        if isinstance(item, np.ndarray | float | np.floating) and not isinstance(item, bool):
            arr = np.asarray(item, dtype=np.float64)
            finite = np.abs(arr[np.isfinite(arr)])
            if finite.size:
                largest = max(largest, float(finite.max()))
    return largest


def compare(expected: object, actual: object, *, float32: bool, scale: float,
            path: str = "result") -> Mismatch | None:
    """The first difference between ``actual`` and ``expected``, or None."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return Mismatch("fail", path, f"is a {type(actual).__name__}, expected a dict", expected, actual)
        for key, value in expected.items():
            if key not in actual:
                return Mismatch("fail", path, f"has no key {key!r} (keys: {sorted(map(str, actual))})")
            found = compare(value, actual[key], float32=float32, scale=scale, path=f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(expected, list | tuple):
        if not isinstance(actual, Sequence) or isinstance(actual, str | bytes | np.ndarray):
            return Mismatch("fail", path, f"is a {type(actual).__name__}, expected a "
                                          f"{type(expected).__name__} of {len(expected)}", expected, actual)
        if len(actual) != len(expected):
            return Mismatch("fail", path, f"has {len(actual)} items, expected {len(expected)}", expected, actual)
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = compare(e, a, float32=float32, scale=scale, path=f"{path}[{i}]")
            if found:
                return found
        return None
    return _compare_numbers(np.asarray(expected), actual, float32=float32, scale=scale, path=path)


def _compare_numbers(expected: np.ndarray, actual: object, *, float32: bool, scale: float,
                     path: str) -> Mismatch | None:
    try:
        got = np.asarray(actual)
    except Exception:  # pragma: no cover - asarray accepts nearly anything
        got = np.asarray(None)
    if got.dtype.kind not in "biuf":
        return Mismatch("fail", path, f"is a {type(actual).__name__}, expected numbers", expected, actual)
    if got.shape != expected.shape and not (got.size == expected.size == 1 and expected.ndim == 0):
        return Mismatch("fail", path, f"has shape {got.shape}, expected {expected.shape}", expected, actual)
    if not float32 and got.dtype.kind == "f" and got.dtype.itemsize < 8 and expected.dtype.kind == "f":
        return Mismatch("fail", path, f"lost precision: float64 in, {got.dtype} out", expected, actual)
    e = expected.astype(np.float64).reshape(expected.shape)
    a = got.astype(np.float64).reshape(expected.shape)
    if np.any(np.isnan(a) & ~np.isnan(e)):
        return Mismatch("fail", path, "is NaN where the result is a number", expected, actual)
    if np.any(np.isnan(e) & ~np.isnan(a)):
        return Mismatch("fail", path, "is a number where the result is NaN", expected, actual)
    rtol, atol = TOLERANCES["float32" if float32 else "float64"]
    with np.errstate(invalid="ignore", over="ignore"):
        # Equal entries (an infinity included) and NaN where NaN is expected differ by nothing.
        same = (a == e) | (np.isnan(a) & np.isnan(e))
        diff = np.where(same, 0.0, np.abs(a - e))
        bad = ~same & (np.isinf(e) | np.isinf(a) | ~(diff <= rtol * np.abs(e) + atol * scale))
    if not np.any(bad):
        return None
    with np.errstate(invalid="ignore"):  # an infinity missed is infinitely far off, relatively too
        rel = np.where(np.isinf(e), np.where(same, 0.0, np.inf), diff / np.where(e == 0, 1.0, np.abs(e)))
    return Mismatch("fail", path, "differs from the reference", expected, actual,
                    float(np.max(diff)), float(np.max(rel)))
