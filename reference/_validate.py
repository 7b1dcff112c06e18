"""Argument checks shared by the reference.

Every public function checks its arguments here *before* computing anything, and every
message names the argument, says what was wrong and how to fix it.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
from collections.abc import Iterator

import numpy as np

from ._kernels import DIALECT_KERNELS, DOMAINS

__all__ = [
    "callable_argument",
    "caller_names",
    "check_dialect",
    "flag",
    "float_array",
    "hyperparameter",
    "integer",
    "labels",
    "labels_like",
    "labels_shaped",
    "real_number",
    "same_shape",
    "state_fields",
    "unmasked",
]


def float_array(name: str, value: object) -> np.ndarray:
    """``value`` as a floating-point ndarray (not copied), or a TypeError naming ``name``."""
    if type(value) is np.ndarray and value.dtype.kind == "f":
        return value
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, and gradspec would ignore its mask: pass {name}.filled(...) "
                        f"with the value the masked entries stand for, or {name}.compressed() for the others.")
    arr = np.asarray(value)
    if arr.dtype.kind != "f":
        if arr.dtype.kind in "biu":
            fix = f"convert it first, e.g. {name}.astype(np.float64)"
        else:
            fix = "pass a floating-point NumPy array"
        raise TypeError(
            f"{name} must be a floating-point array; got dtype {arr.dtype}. gradspec computes "
            f"in the precision it is given and never guesses one: {fix}."
        )
    return arr


@contextlib.contextmanager
def caller_names(**names: str) -> Iterator[None]:
    """Refusals raised inside, with the argument names the reference uses (``a``, ``reduction``)
    replaced by the caller's (``caller_names(a="A2", reduction="dialect")``): a function that calls
    another tells its user about the arguments the user wrote."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        message = str(exc)
        for ours, theirs in names.items():
            # The name where a message names an argument: "a must ...", "y has shape", "state.v", "W[0]".
            message = re.sub(rf"(?<![\w.'\"]){re.escape(ours)}(?=(?: (?:must|has|holds|is)\b)|\[|\.[a-z_])",
                             theirs, message)
        if message == str(exc):
            raise
        raise type(exc)(message) from None


def flag(name: str, value: object) -> bool:
    """A True/False switch, or a TypeError (a string such as "no" is not False)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__}).")
    return bool(value)


def callable_argument(name: str, value: object, what: str) -> None:
    """Refuse a ``value`` that cannot be called, saying what ``name`` is for."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}.")


def same_shape(name: str, arr: np.ndarray, like_name: str, like: np.ndarray) -> None:
    """Refuse arrays that would only line up by broadcasting."""
    if arr.shape == like.shape:
        return
    hint = ""
    if arr.size == like.size:
        hint = (f" They hold the same number of entries: reshape with "
                f"{name}.reshape({like.shape}) if that is what you meant.")
    raise ValueError(
        f"{name} has shape {arr.shape} but {like_name} has shape {like.shape}; gradspec does not "
        f"broadcast one against the other (an (n, 1) column against an (n,) vector would "
        f"silently make an (n, n) result).{hint}"
    )


def labels_like(name: str, value: object, like_name: str, like: np.ndarray) -> np.ndarray:
    """Labels (bool, integer or float) in ``like``'s dtype and shape."""
    arr = labels(name, value)
    same_shape(name, arr, like_name, like)
    return arr.astype(like.dtype, copy=False)


def labels(name: str, value: object) -> np.ndarray:
    """Labels (bool, integer or float) as an array, not converted, or a TypeError naming ``name``."""
    unmasked(name, value, "the labels the masked entries stand for")
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numeric or boolean labels; got dtype {arr.dtype}.")
    return arr


def labels_shaped(name: str, value: object, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Labels (as :func:`labels`, not converted) of ``shape``: one for each column of ``what``."""
    arr = labels(name, value)
    if arr.shape != shape:
        hint = (f" They hold the same number of entries: reshape with {name}.reshape({shape}) if that is what you "
                f"meant." if arr.size == math.prod(shape) else "")
        raise ValueError(f"{name} has shape {arr.shape} but {what} has shape {shape}: one label per example, in the "
                         f"example's column.{hint}")
    return arr


def unmasked(name: str, value: object, stands_for: str = "") -> None:
    """Refuse a masked array, whose mask gradspec would ignore (``np.asarray`` drops it)."""
    if isinstance(value, np.ma.MaskedArray):
        fix = (f"with {stands_for}." if stands_for else
               f"with the value the masked entries stand for, or {name}.compressed() for the others.")
        raise TypeError(f"{name} is a masked array, and gradspec would ignore its mask: pass {name}.filled(...) "
                        f"{fix}")


def _domain_error(name: str, value: object, domain: dict[str, object]) -> ValueError:
    return ValueError(f"{name} must be {domain['text']}; got {value!r}. {domain['hint']}.")


def hyperparameter(name: str, value: object, *, domain: str | None = None) -> float:
    """A real hyperparameter, checked against its domain in the spec, as a Python float.

    Returning a Python float keeps float32 arrays float32 (NumPy treats Python scalars as
    weakly typed).
    """
    spec = DOMAINS[domain or name]
    if type(value) is not float and (isinstance(value, bool | np.bool_) or not _is_real_scalar(value)):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__}).")
    number = _as_float(name, value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite; got {value!r}. {spec['hint']}.")
    low, high = spec["low"], spec["high"]
    if low is not None and (number < low or (number == low and not spec["low_closed"])):
        raise _domain_error(name, value, spec)
    if high is not None and (number > high or (number == high and not spec["high_closed"])):
        raise _domain_error(name, value, spec)
    return number


def real_number(name: str, value: object) -> float:
    """A finite real number (a plain value, not a hyperparameter with a domain)."""
    if isinstance(value, bool | np.bool_) or not _is_real_scalar(value):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__}).")
    number = _as_float(name, value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    return number


def _as_float(name: str, value: object) -> float:
    """``float(value)``, or a ValueError where it has no float (an integer past 2**1024)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise ValueError(f"{name} must be finite; got an integer too large for a float ({str(value)[:20]}..., "
                         f"{value.bit_length()} bits).") from None  # type: ignore[union-attr]


def state_fields(name: str, state: object, kind: type) -> tuple:
    """The fields of a rule's ``state`` (a ``kind`` named tuple, or one with its fields), or a
    TypeError that says how to make one."""
    fields = kind._fields  # type: ignore[attr-defined]
    if not all(hasattr(state, f) for f in fields):
        maker = kind.__name__.replace("State", "").lower()
        raise TypeError(f"{name} must be a {kind.__name__} (fields {', '.join(fields)}: the rule's *_init(w) "
                        f"makes one, e.g. the one for {maker}); got {type(state).__name__}.")
    return tuple(getattr(state, f) for f in fields)


def integer(name: str, value: object, *, domain: str | None = None) -> int:
    """An integer hyperparameter (``t``, ``mini_batch_size``), checked against its domain."""
    spec = DOMAINS[domain or name]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer; got {value!r} ({type(value).__name__}). "
            f"{spec['hint']}."
        )
    number = int(value)
    if abs(number) >= 2**63:
        raise ValueError(f"{name} must be below 2**63 (a count); got {str(value)[:20]}... "
                         f"({number.bit_length()} bits).")
    low, high = spec["low"], spec["high"]
    if (low is not None and number < low) or (high is not None and number > high):
        raise _domain_error(name, value, spec)
    return number


def check_dialect(rule: str, dialect: object, step: str, *, argument: str = "dialect") -> str | None:
    """The kernel for ``rule/dialect``'s ``step`` (None: no kernel, e.g. a plain sum).

    A step the dialect does not define is the canonical dialect's (listed first), and a step
    neither defines has no kernel of its own (None). A dialect that is not in the spec is a
    ValueError listing the rule's dialects, naming the caller's ``argument``.
    """
    kernels = DIALECT_KERNELS.get(f"{rule}/{dialect}") if isinstance(dialect, str) else None
    if kernels is None:
        known = [d.split("/", 1)[1] for d in DIALECT_KERNELS if d.startswith(f"{rule}/")]
        raise ValueError(f"{argument} must be one of {known} for {rule}; got {dialect!r}.")
    if step in kernels:
        return kernels[step]
    canonical = next(k for d, k in DIALECT_KERNELS.items() if d.startswith(f"{rule}/"))
    return canonical.get(step)


def _is_real_scalar(value: object) -> bool:
    if isinstance(value, numbers.Real):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
