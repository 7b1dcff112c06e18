"""A fuzzer for the reference's public functions: every function of ``gradspec.reference`` called
with generated arguments, in-domain and hostile, each call's outcome classified.

A call is **fine** when it returns finite values with the inputs untouched and float32 kept
float32, or when it refuses its input with a ValueError or TypeError whose message names one of
the caller's arguments. Everything else is a **problem**:

- ``warning``: a RuntimeWarning (or any warning) during a call whose inputs were all finite;
- ``nan``: NaN in the result of a call whose inputs were all finite;
- ``mutated``: an input array changed;
- ``dtype``: float32 in, something wider out;
- ``crash``: an exception other than ValueError or TypeError;
- ``unnamed``: a refusal whose message names none of the function's parameters;
- ``accepted``: an argument that must be refused was not (None or a string for a number or an
  array, a masked array, whose mask would be ignored, NaN or infinity for a hyperparameter, anything
  but True or False for a flag).

``python tests/fuzzing.py [--examples N]`` prints the counts per function and in all; the test
suite runs it with warnings as errors and asserts there is no problem (``tests/test_fuzz.py``).
"""

from __future__ import annotations

import argparse
import inspect
import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradspec import reference as R

PROBLEMS = ("warning", "nan", "mutated", "dtype", "crash", "unnamed", "accepted")

# --- values --------------------------------------------------------------------------------------

_SCALES = (0.0, 1e-6, 1e-3, 1.0, 1e3, 1e20, 1e200)


@st.composite
def _array(draw: st.DrawFn, shape: tuple[int, ...], dtype: str, *, low: float | None = None,
           high: float | None = None, scale: float | None = None) -> np.ndarray:
    """A finite array of ``shape``: values of one magnitude (or in ``[low, high]``), any sign."""
    size = math.prod(shape)
    if low is not None:
        values = draw(st.lists(st.floats(low, high, allow_nan=False), min_size=size, max_size=size))
        return np.array(values, dtype=np.float64).reshape(shape).astype(dtype)
    magnitude = draw(st.sampled_from(_SCALES)) if scale is None else scale
    limit = float(np.finfo(dtype).max) / 4
    magnitude = min(magnitude, limit)
    units = draw(st.lists(st.floats(-1.0, 1.0), min_size=size, max_size=size))
    return (np.array(units, dtype=np.float64).reshape(shape) * magnitude).astype(dtype)


def _hostile_array(shape: tuple[int, ...], dtype: str) -> st.SearchStrategy[Any]:
    """Arrays a caller should be refused for (or told how to fix)."""
    other = (*shape, 2) if len(shape) < 3 else shape[:-1]
    return st.sampled_from([
        np.full(shape, np.nan, dtype=dtype), np.full(shape, np.inf, dtype=dtype),
        np.ones(shape, dtype=np.int64), np.ones(other, dtype=dtype), np.ones(shape, dtype=bool),
        np.ma.masked_array(np.ones(shape, dtype=dtype), mask=np.eye(*shape[:2], dtype=bool).reshape(shape)
                           if len(shape) == 2 else True),
        None, "w", 3.0, [1.0, 2.0],
    ])


def _hostile_number() -> st.SearchStrategy[Any]:
    return st.sampled_from([None, "0.1", -1.0, float("nan"), float("inf"), 2**1024, True, np.array([0.1, 0.2]),
                            -(2**64), 1e308])


# --- what each parameter is --------------------------------------------------------------------------

#: Real hyperparameters: a typical value, the domain's edges, and the odd one out.
_NUMBERS: dict[str, st.SearchStrategy[float]] = {
    "learning_rate": st.sampled_from([0.0, 1e-3, 0.01, 0.5, 1.0]),
    "learning_rate0": st.sampled_from([0.0, 1e-3, 0.1, 1.0]),
    "beta": st.sampled_from([0.0, 0.5, 0.9, 0.999]),
    "beta1": st.sampled_from([0.0, 0.5, 0.9, 0.999]),
    "beta2": st.sampled_from([0.0, 0.5, 0.9, 0.999]),
    "epsilon": st.sampled_from([1e-12, 1e-8, 1e-4, 0.25, 1.0]),
    "weight_decay": st.sampled_from([0.0, 0.01, 0.5]),
    "schedule_multiplier": st.sampled_from([0.0, 0.5, 1.0]),
    "k": st.sampled_from([0.1, 0.5, 0.95, 1.0, 2.0]),
    "decay_rate": st.sampled_from([0.0, 0.5, 1.0, 100.0]),
    "time_interval": st.sampled_from([1, 10, 1000, 0.5]),
    "epoch_num": st.sampled_from([0, 1, 10, 1000, 1e6, 2000.0, 1e300]),
    "keep_prob": st.sampled_from([0.5, 0.8, 1.0]),
    "lambd": st.sampled_from([0.0, 0.1, 0.7]),
    "alpha": st.sampled_from([0.0, 0.01, 0.5]),
}
_INTEGERS: dict[str, st.SearchStrategy[int]] = {
    "t": st.sampled_from([1, 2, 10, 10_000, 2**31, 2**64]),
    "m": st.sampled_from([1, 5, 64]),
    "mini_batch_size": st.sampled_from([1, 2, 64]),
    "n_in": st.sampled_from([1, 3, 100]),
    "n_out": st.sampled_from([1, 3]),
    "axis": st.sampled_from([0, 1, -1]),
}
_CHOICES: dict[str, st.SearchStrategy[Any]] = {
    "reduction": st.sampled_from(["mean", "sum", "none"]),
    "per_example": st.booleans(),
    "bias_correction": st.booleans(),
    "scheme": st.sampled_from(["he", "xavier", "random", "zeros"]),
    "rule": st.sampled_from(sorted(R.HYPERPARAMETERS)),
    "weight_decay_dialect": st.sampled_from(["l2", "lr-scaled", "paper"]),
}
_BAD_CHOICES = st.sampled_from([None, "no", "", 0, "mean ", 1.5])
_FLAGS = ("per_example", "bias_correction")


def must_refuse(pname: str, value: Any) -> bool:
    """Whether ``value`` is one ``pname`` can only be refused for."""
    if pname in _FLAGS:
        return not isinstance(value, bool | np.bool_)
    if value is None or isinstance(value, str | np.ma.MaskedArray):
        return pname not in ("dialect", "state") or value is not None
    return isinstance(value, float) and not math.isfinite(value) and (pname in _NUMBERS or pname in _INTEGERS)

#: Probabilities and labels: the losses' inputs.
_PROBABILITY = ("a", "y_hat")
_LABELS = ("y", "Y")


@dataclass
class Outcome:
    """One function's calls, counted by outcome, with the first example of each problem."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, example: str = "") -> None:
        self.counts[kind] += 1
        if kind in PROBLEMS and kind not in self.examples:
            self.examples[kind] = example


# --- the calls -------------------------------------------------------------------------------------

def functions() -> dict[str, Callable[..., Any]]:
    """Every public function of ``gradspec.reference``, by name."""
    out = {}
    for name in R.__all__:
        value = getattr(R, name)
        if callable(value) and inspect.isfunction(value):
            out[name] = value
    return out


_STATES = {"adagrad_step": R.adagrad_init, "adam_step": R.adam_init, "amsgrad_step": R.amsgrad_init,
           "momentum_step": R.momentum_init, "nesterov_step": R.momentum_init, "rmsprop_step": R.rmsprop_init,
           "rmsprop_centered_step": R.rmsprop_centered_init, "rmsprop_momentum_step": R.rmsprop_momentum_init}
_DIALECTS = {"adagrad_init": "adagrad", "adagrad_step": "adagrad", "adam_step": "adam", "amsgrad_step": "amsgrad",
             "momentum_step": "momentum", "nesterov_step": "nesterov", "rmsprop_step": "rmsprop",
             "rmsprop_centered_step": "rmsprop-centered", "rmsprop_momentum_step": "rmsprop-momentum",
             "relu_grad": "relu-grad", "relu_backward": "relu-grad"}


def _shapes(name: str, k: int, n: int, m: int) -> dict[str, tuple[int, ...]]:
    """The shapes a call's arrays must have to fit one another."""
    if name == "linear_forward":
        return {"W": (k, n), "b": (k, 1), "A_prev": (n, m)}
    if name == "linear_backward":
        return {"dZ": (k, m), "W": (k, n), "A_prev": (n, m)}
    if name == "mini_batches":
        return {"X": (n, m), "Y": (1, m)}
    if name in ("binary_cross_entropy", "binary_cross_entropy_with_logits", "binary_cross_entropy_logit_grad"):
        return {"a": (1, m), "z": (1, m), "y": (1, m)}
    return {}


@st.composite
def calls(draw: st.DrawFn, name: str, function: Callable[..., Any]) -> tuple[list[Any], dict[str, Any], str]:
    """Positional and keyword arguments for ``function``, mostly in its domain, sometimes not, and
    the name of the argument it must refuse ("" if none)."""
    from gradspec.spec import dialects_of

    signature = inspect.signature(function)
    dtype = draw(st.sampled_from(["float64", "float32"]))
    k, n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    shapes = _shapes(name, k, n, m)
    common = draw(st.sampled_from([(m,), (k, m), (2, 3)]))
    hostile = draw(st.integers(0, 9)) == 0  # one call in ten gets one bad argument
    bad = draw(st.sampled_from([p for p in signature.parameters if p not in ("hyperparameters",)] or ["-"]))
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    values: dict[str, Any] = {}
    refuse = ""
    for pname, parameter in signature.parameters.items():
        if parameter.kind is parameter.VAR_KEYWORD:
            continue
        shape = shapes.get(pname, common)
        if hostile and pname == bad:
            value = draw(_hostile_number() if pname in _NUMBERS or pname in _INTEGERS else
                         _BAD_CHOICES if pname in _CHOICES or pname == "dialect" else _hostile_array(shape, dtype))
            optional = value is None and parameter.default is None  # None is this parameter's own default
            refuse = pname if must_refuse(pname, value) and not optional else ""
        elif pname in _NUMBERS:
            value = draw(_NUMBERS[pname])
        elif pname in _INTEGERS:
            value = draw(_INTEGERS[pname])
        elif pname in _CHOICES:
            value = draw(_CHOICES[pname])
        elif pname == "dialect":
            rule = _DIALECTS.get(name)
            if rule is None:
                continue
            value = draw(st.sampled_from([d.name for d in dialects_of(rule)]))
        elif pname == "state":
            init = _STATES.get(name)
            if init is None:
                continue
            w = values.get("w")
            value = init(w) if type(w) is np.ndarray and w.dtype.kind == "f" else init(np.zeros(shape, dtype))
            if draw(st.booleans()):  # a state from an earlier step: some mass in it
                value = type(value)(*(np.abs(draw(_array(x.shape, str(x.dtype)))) for x in value))
                if name == "rmsprop_centered_step":  # one the averages can reach: s at least g_bar^2
                    s, g_bar = value
                    with np.errstate(over="ignore"):
                        square = np.minimum(np.square(g_bar, dtype=np.float64), float(np.finfo(s.dtype).max))
                    value = type(value)(np.maximum(s, square).astype(s.dtype), g_bar)
        elif pname in _PROBABILITY:
            value = draw(_array(shape, dtype, low=0.0, high=1.0))
        elif pname in _LABELS:
            value = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=math.prod(shape), max_size=math.prod(shape)))
            value = np.array(value, dtype=dtype).reshape(shape)
        elif pname in ("grad", "grad_approx", "losses", "v", "theta", "z", "Z", "dA", "dZ", "w", "g", "W", "A_prev",
                       "b", "X", "mask"):
            value = draw(_array(shape, dtype))
        elif pname == "grads":
            value = [draw(_array(shape, dtype)) for _ in range(draw(st.integers(1, 3)))]
        elif pname == "weights":
            value = [draw(_array(s, dtype)) for s in ((k, n), (n, m))]
        elif pname == "shape":
            value = shape
        elif pname == "layer_dims":
            value = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
        elif pname == "rng":
            value = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        elif pname == "f":
            value = lambda theta: float(np.sum(np.sin(theta)))  # noqa: E731 - a cost that cannot overflow
        elif pname == "step":
            value = R.gd_step
        elif parameter.default is not parameter.empty:
            continue
        else:
            raise AssertionError(f"the fuzzer does not know {name}'s parameter {pname}")
        values[pname] = value
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[pname] = value
        else:
            args.append(value)
    if name == "trajectory" and args[0] in R.HYPERPARAMETERS:
        kwargs.update({h: draw(_NUMBERS[h]) for h in R.HYPERPARAMETERS[args[0]]})
        rule = {"rmsprop-centered": "rmsprop-centered"}.get(args[0], args[0])
        if rule != "gd" and refuse != "dialect" and draw(st.booleans()):
            kwargs["dialect"] = draw(st.sampled_from([d.name for d in dialects_of(rule)]))
    return args, kwargs, refuse


def _arrays(value: Any) -> Iterator[np.ndarray]:
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _arrays(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, np.ma.MaskedArray) or (isinstance(value, np.ndarray) and value.dtype.kind not in "fc"):
        return isinstance(value, np.ndarray)
    if isinstance(value, np.ndarray):
        return bool(np.isfinite(value).all())
    if isinstance(value, (tuple, list, dict)):
        return all(_finite(v) for v in (value.values() if isinstance(value, dict) else value))
    return not isinstance(value, float) or math.isfinite(value)  # ints are finite


def _has_nan(value: Any) -> bool:
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return any(bool(np.isnan(a).any()) for a in _arrays(value) if a.dtype.kind == "f")


def _names(message: str, function: Callable[..., Any]) -> bool:
    """Whether a refusal's message names one of the function's parameters."""
    parameters = [p for p in inspect.signature(function).parameters if p != "hyperparameters"]
    return any(re.search(rf"(?<![\w.]){re.escape(p)}(?!\w)", message) for p in parameters)


def classify(name: str, function: Callable[..., Any], args: list[Any], kwargs: dict[str, Any],
             refuse: str = "") -> tuple[str, str]:
    """One call's outcome: ``ok``, ``refused`` or one of :data:`PROBLEMS`, and what it was."""
    inputs = [*args, *kwargs.values()]
    before = [(a, a.copy()) for a in _arrays(inputs)]
    finite = _finite(inputs)
    float32 = any(a.dtype == np.float32 for a in _arrays(inputs)) and not any(
        a.dtype == np.float64 for a in _arrays(inputs) if not isinstance(a, np.ma.MaskedArray))
    shown = f"{name}(*{args!r}, **{kwargs!r})"[:600]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = function(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        if isinstance(exc, Warning):
            return "warning", f"{shown}: {type(exc).__name__}: {exc}"
        if not _names(str(exc), function):
            return "unnamed", f"{shown}: {exc}"
        return "refused", ""
    except Warning as exc:
        if not finite:  # the promise is for finite input; inf and NaN in may warn
            return "non-finite-warned", ""
        return "warning", f"{shown}: {type(exc).__name__}: {exc}"
    except Exception as exc:  # every other type is the finding
        return "crash", f"{shown}: {type(exc).__name__}: {exc}"
    if refuse:
        return "accepted", f"{shown}: {refuse} should have been refused"
    for original, copy in before:
        if not np.array_equal(original, copy, equal_nan=True):
            return "mutated", shown
    # TensorFlow.js's centered RMSProp takes the root of a negative number: its dialect's NaN is the spec's.
    documented = name in ("rmsprop_centered_step", "trajectory") and "eps-subtracted" in kwargs.values()
    if finite and _has_nan(result) and not documented:
        return "nan", f"{shown} -> {result!r}"[:800]
    if float32 and any(a.dtype == np.float64 for a in _arrays(result)):
        return "dtype", shown
    return "ok", ""


def fuzz(examples: int = 100, names: list[str] | None = None) -> dict[str, Outcome]:
    """``examples`` generated calls of each function (all of them unless ``names``), classified."""
    out: dict[str, Outcome] = {}
    for name, function in functions().items():
        if names and name not in names:
            continue
        out[name] = _fuzz_one(name, function, examples)
    return out


def _fuzz_one(name: str, function: Callable[..., Any], examples: int) -> Outcome:
    outcome = Outcome()

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=["generate"])
    @given(calls(name, function))
    def run(call: tuple[list[Any], dict[str, Any], str]) -> None:
        outcome.add(*classify(name, function, *call))

    run()
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="generated calls per function (default 100)")
    parser.add_argument("--function", action="append", help="only this function (repeat for more)")
    parser.add_argument("--show", action="store_true", help="print the first example of each problem")
    args = parser.parse_args(argv)
    results = fuzz(args.examples, args.function)
    total: Counter[str] = Counter()
    for name, outcome in results.items():
        total.update(outcome.counts)
        problems = {k: outcome.counts[k] for k in PROBLEMS if outcome.counts[k]}
        if problems:
            print(f"{name}: " + ", ".join(f"{v} {k}" for k, v in problems.items()))
            if args.show:
                for kind, example in outcome.examples.items():
                    print(f"    {kind}: {example}")
    calls_made = sum(total.values())
    print(f"{len(results)} functions, {calls_made} calls: {total['ok']} ok, {total['refused']} refused, "
          f"{total['non-finite-warned']} warned on non-finite input; "
          + ", ".join(f"{total[k]} {k}" for k in PROBLEMS))
    return 1 if any(total[k] for k in PROBLEMS) else 0


if __name__ == "__main__":
    raise SystemExit(main())
