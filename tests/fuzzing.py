"""A fuzzer for the reference's public functions: every function of ``gradspec.reference``, and
every function of the notebook-compatible APIs (``gradspec.reference.notebook`` and the modules of
``gradspec.reference.course``), called with generated arguments, in-domain and hostile, each call's
outcome classified.

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
  but True or False for a flag; for the notebook APIs also a dict missing a key, or with an entry
  that is None, a string or a masked array, a cache of the wrong length, an unknown activation or
  dialect, and an extra layer or a wrong-shaped entry where the layers or shapes are fixed).

``python tests/fuzzing.py [--examples N] [--random]`` prints the counts per function and in all; the
test suite runs it with warnings as errors and asserts there is no problem (``tests/test_fuzz.py``).
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
    """Every public function of ``gradspec.reference`` by name, then every function of the notebook
    APIs by where it is first met (``notebook.predict``, ``course.deep.L_model_forward``)."""
    out = {}
    for name in R.__all__:
        value = getattr(R, name)
        if callable(value) and inspect.isfunction(value):
            out[name] = value
    return out | course_functions()


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


# --- the notebook-compatible APIs -------------------------------------------------------------------
#
# gradspec.reference.notebook and the modules of gradspec.reference.course take the notebooks'
# structures: dicts of layers ("W1", "b1", ...), of gradients and optimizer state ("dW1", "db1", ...),
# caches (tuples, lists, dicts) and layer_dims lists. Their in-domain arguments are built with the
# reference itself: parameters from the module's initialize function at small layer sizes, scaled to
# a magnitude from 0 to 1e200; caches from the module's forward pass, gradients from its backward
# pass or random arrays of the parameters' shapes; labels 0/1 of shape (1, m). One call in ten gets
# one hostile argument, or one hostile entry inside a dict or a cache.

#: The magnitudes parameters and states are scaled to (capped at a quarter of the dtype's largest).
_MAGNITUDES = (0.0, 1e-6, 1.0, 1e3, 1e20, 1e200)


def course_functions() -> dict[str, Callable[..., Any]]:
    """Every function of ``notebook.__all__`` and of each course module's ``__all__``, each function
    object once, named where it is first met: ``notebook.update_parameters_with_adam``,
    ``course.deep.L_model_forward``, ..."""
    out: dict[str, Callable[..., Any]] = {}
    seen: set[Any] = set()
    for prefix, module in _course_modules().items():
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name, None)
            if inspect.isfunction(value) and value not in seen and f"{prefix}.{name}" in _BUILDERS:
                seen.add(value)
                out[f"{prefix}.{name}"] = value
            elif inspect.isfunction(value) and value not in seen:
                raise AssertionError(f"the fuzzer does not know {prefix}.{name}: add a builder for it")
    return out


def _course_modules() -> dict[str, Any]:
    import importlib

    from gradspec.reference import notebook

    modules: dict[str, Any] = {"notebook": notebook}
    from gradspec.reference import course

    for name in getattr(course, "MODULES", ()):
        modules[f"course.{name}"] = importlib.import_module(f"gradspec.reference.course.{name}")
    return modules


@dataclass(eq=False)
class Kind:
    """What one argument of a notebook function is, for making it hostile.

    ``what`` is ``array``, ``labels``, ``hyper`` (a hyperparameter: NaN and infinity are refused),
    ``real`` (a plain number), ``int``, ``flag``, ``choice`` (one of ``choices``), ``dims`` (a
    layer_dims list), ``dict`` (of layers, gradients, state or a cache: ``keys`` are the entries
    the function reads), ``cache`` (a tuple or list, nested or not), ``caches`` (a list of
    per-layer caches) or ``ignored`` (accepted for a signature and not used: never made hostile).
    An extra layer (``extra``, the entries it adds) or a wrong-shaped entry must be refused where
    ``extra_refused`` / ``shape_refused`` say so: where the function's layers are fixed, or another
    argument says what the shapes are.
    """

    what: str
    shape: tuple[int, ...] = ()
    choices: tuple[Any, ...] = ()
    keys: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    extra_refused: bool = False
    shape_refused: bool = False


_IGNORED = Kind("ignored")
_HYPER = Kind("hyper")
_REAL = Kind("real")
_INT = Kind("int")
_FLAG = Kind("flag")
_DIMS = Kind("dims")


def _quiet() -> Any:
    """Building arguments: overflow in a forward pass is not this call's finding."""
    import contextlib

    stack = contextlib.ExitStack()
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    stack.enter_context(np.errstate(all="ignore"))
    return stack


class _Gen:
    """One call's arguments in the making: its dtype, number of examples and random numbers."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.dtype = draw(st.sampled_from(["float64", "float32"]))
        self.rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        self.m = draw(st.integers(1, 4))
        self.tame = False  # after a forward pass refused the drawn magnitudes: magnitude 1

    @property
    def limit(self) -> float:
        return float(np.finfo(self.dtype).max) / 4

    def magnitude(self, scales: tuple[float, ...] = _MAGNITUDES) -> float:
        return 1.0 if self.tame else min(self.draw(st.sampled_from(scales)), self.limit)

    def cast(self, values: Any, scale: float = 1.0) -> np.ndarray:
        wide = np.asarray(values, dtype=np.float64) * scale
        return np.clip(wide, -self.limit, self.limit).astype(self.dtype)

    def units(self, shape: tuple[int, ...]) -> np.ndarray:
        units = self.rng.uniform(-1.0, 1.0, shape)
        if self.draw(st.booleans()):  # exact zeros and ones: ReLU's kink, saturated units
            units[self.rng.random(shape) < 0.3] = 0.0
            units[self.rng.random(shape) < 0.2] = 1.0
        return units

    def array(self, shape: tuple[int, ...], scale: float | None = None) -> np.ndarray:
        return self.cast(self.units(shape), self.magnitude(_SCALES) if scale is None else scale)

    def probabilities(self, shape: tuple[int, ...]) -> np.ndarray:
        p = self.rng.uniform(0.0, 1.0, shape)
        if self.draw(st.booleans()):  # exactly right and exactly wrong predictions: log(0)
            p[self.rng.random(shape) < 0.3] = self.rng.integers(0, 2)
        return p.astype(self.dtype)

    def labels(self, shape: tuple[int, ...]) -> np.ndarray:
        dtype = self.draw(st.sampled_from([self.dtype, "int64", "uint8", "bool"]))
        return (self.rng.random(shape) < 0.5).astype(dtype)

    def real(self) -> float:
        return float(self.rng.uniform(-1.0, 1.0) * self.magnitude(_SCALES))

    def dims(self, layers: int, out: int | None = 1) -> list[int]:
        dims = [self.draw(st.integers(1, 4)) for _ in range(layers + 1)]
        if out is not None:
            dims[-1] = out
        return dims

    def layers(self) -> int:
        return self.draw(st.integers(1, 3))

    def hyper(self, name: str) -> Any:
        return self.draw(_NUMBERS[name] if name in _NUMBERS else _INTEGERS[name])

    def maybe(self) -> bool:
        """Whether to pass an optional argument (else its default is used)."""
        return self.draw(st.integers(0, 2)) > 0

    def parameters(self, init: Callable[..., dict[str, np.ndarray]], *dims: Any) -> dict[str, np.ndarray]:
        """``init(*dims)``'s layers (or random ones of its shapes, biases included), at one magnitude."""
        with _quiet():
            raw = init(*dims)
        if self.draw(st.booleans()):
            raw = {k: self.units(np.shape(v)) for k, v in raw.items()}
        scale = self.magnitude()
        return {k: self.cast(v, scale) for k, v in raw.items()}

    def like(self, parameters: dict[str, np.ndarray], *, nonnegative: bool = False) -> dict[str, np.ndarray]:
        """``{"dW1": ..., "db1": ...}``: random arrays of the parameters' shapes, at one magnitude."""
        if self.draw(st.integers(0, 3)) == 0:
            return {f"d{k}": np.zeros_like(v) for k, v in parameters.items()}
        scale = self.magnitude()
        return {f"d{k}": self.cast(np.abs(u) if nonnegative else u, scale)
                for k, v in parameters.items() for u in (self.units(np.shape(v)),)}

    def attempt(self, make: Callable[[], Any]) -> Any:
        """``make()``, or ``make()`` again at magnitude 1 where the reference refused the drawn one
        (a forward pass past the dtype's range has no cache to build on)."""
        try:
            with _quiet():
                return make()
        except (ValueError, TypeError, ArithmeticError):
            self.tame = True
            with _quiet():
                return make()

    def sequence(self, cache: Any) -> Any:
        """A tuple cache as returned, or as a list (notebook code builds either)."""
        return list(cache) if isinstance(cache, tuple) and self.draw(st.booleans()) else cache


def _layer_dict(parameters: dict[str, np.ndarray], prefix: str = "", *, extra_refused: bool,
                shape_refused: bool, keys: tuple[str, ...] | None = None) -> Kind:
    """The kind of a dict of layers (``prefix`` "d" for gradients and state): an extra layer is
    one more of the same dtype after the last, fed by its units."""
    n_layers = sum(1 for k in parameters if re.fullmatch(r"W\d+", k))
    last = np.asarray(parameters[f"W{n_layers}"])
    extra = {f"{prefix}W{n_layers + 1}": np.ones((1, last.shape[0]), last.dtype),
             f"{prefix}b{n_layers + 1}": np.zeros((1, 1), last.dtype)}
    keys = keys or tuple(f"{prefix}{k}" for k in parameters)
    return Kind("dict", keys=keys, extra=extra, extra_refused=extra_refused, shape_refused=shape_refused)


def _net(parameters: dict[str, np.ndarray], *, fixed: bool = False, paired: bool = False) -> Kind:
    """Parameters of a network whose layers are ``fixed`` (the 3-layer or the 2-layer one), or
    ``paired`` with gradients or state that say which layers and shapes there are."""
    return _layer_dict(parameters, extra_refused=fixed or paired, shape_refused=True)


def _grads(parameters: dict[str, np.ndarray], *, paired: bool = True) -> Kind:
    return _layer_dict(parameters, "d", extra_refused=paired, shape_refused=paired)


_Built = tuple[dict[str, Any], dict[str, Kind]]
_BUILDERS: dict[str, Callable[[_Gen, Any], _Built]] = {}


def _builds(*names: str) -> Callable[[Callable[[_Gen, Any], _Built]], Callable[[_Gen, Any], _Built]]:
    def register(builder: Callable[[_Gen, Any], _Built]) -> Callable[[_Gen, Any], _Built]:
        for name in names:
            _BUILDERS[name] = builder
        return builder
    return register


def _M(name: str) -> Any:
    return _course_modules()[name]


# The 3-layer network of the regularization and gradient-checking assignments and the seeds:
# LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

def _three_layer_init(g: _Gen) -> Callable[[list[int]], dict[str, np.ndarray]]:
    nb = _M("notebook")
    return g.draw(st.sampled_from([nb.initialize_parameters, nb.initialize_parameters_he,
                                   _M("course.regularization").initialize_parameters]))


def _three_layer(g: _Gen, dims: list[int] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    dims = dims or g.dims(3)
    return g.array((dims[0], g.m)), g.parameters(_three_layer_init(g), dims)


@_builds("notebook.forward_propagation", "course.gradient_checking.forward_propagation_n",
         "notebook.forward_propagation_with_dropout", "notebook.predict")
def _b_three_layer_forward(g: _Gen, function: Any) -> _Built:
    X, parameters = _three_layer(g)
    values: dict[str, Any] = {"X": X, "parameters": parameters}
    kinds = {"X": Kind("array", X.shape), "parameters": _net(parameters, fixed=True)}
    names = inspect.signature(function).parameters
    if "keep_prob" in names and g.maybe():
        values["keep_prob"], kinds["keep_prob"] = g.hyper("keep_prob"), _HYPER
    for label in ("Y", "y"):
        if label in names:
            values[label], kinds[label] = g.labels((1, g.m)), Kind("labels", (1, g.m))
    return values, kinds


def _cache_kind() -> Kind:
    return Kind("cache", shape_refused=True)


@_builds("notebook.backward_propagation", "notebook.backward_propagation_with_dropout",
         "notebook.backward_propagation_with_regularization", "course.gradient_checking.backward_propagation_n")
def _b_three_layer_backward(g: _Gen, function: Any) -> _Built:
    nb = _M("notebook")
    names = inspect.signature(function).parameters
    keep_prob = g.hyper("keep_prob")

    def make() -> tuple[np.ndarray, Any]:
        X, parameters = _three_layer(g)
        if "keep_prob" in names:
            return X, nb.forward_propagation_with_dropout(X, parameters, keep_prob)[1]
        return X, nb.forward_propagation(X, parameters)[1]

    X, cache = g.attempt(make)
    values: dict[str, Any] = {"X": X, "Y": g.labels((1, g.m)), "cache": g.sequence(cache)}
    kinds = {"X": Kind("array", X.shape), "Y": Kind("labels", (1, g.m)), "cache": _cache_kind()}
    if "keep_prob" in names:
        values["keep_prob"], kinds["keep_prob"] = keep_prob, _HYPER
    if "lambd" in names:
        values["lambd"], kinds["lambd"] = g.hyper("lambd"), _HYPER
    return values, kinds


@_builds("notebook.compute_cost", "course.deep.compute_cost", "course.shallow.compute_cost")
def _b_compute_cost(g: _Gen, function: Any) -> _Built:
    first, label = list(inspect.signature(function).parameters)[:2]
    rows = g.draw(st.integers(1, 2)) if first == "A2" else 1
    values: dict[str, Any] = {first: g.probabilities((rows, g.m)), label: g.labels((rows, g.m))}
    kinds = {first: Kind("array", (rows, g.m)), label: Kind("labels", (rows, g.m))}
    if first == "A2" and g.maybe():  # accepted for the notebook's older signature, not used
        values["parameters"] = g.parameters(_M("course.shallow").initialize_parameters, 2, 3, rows)
        kinds["parameters"] = _IGNORED
    if g.maybe():
        values["dialect"] = g.draw(st.sampled_from(["mean", "sum"]))
    kinds["dialect"] = Kind("choice", choices=("mean", "sum"))
    return values, kinds


@_builds("notebook.compute_cost_with_regularization")
def _b_cost_with_regularization(g: _Gen, function: Any) -> _Built:
    nb = _M("notebook")
    if g.draw(st.booleans()):
        def make() -> tuple[np.ndarray, dict[str, np.ndarray]]:
            X, parameters = _three_layer(g)
            return nb.forward_propagation(X, parameters)[0], parameters

        A3, parameters = g.attempt(make)
    else:  # any network's weights: the L2 term sums them all
        parameters = g.parameters(_three_layer_init(g), g.dims(g.layers()))
        A3 = g.probabilities((1, g.m))
    values: dict[str, Any] = {"A3": A3, "Y": g.labels((1, g.m)), "parameters": parameters, "lambd": g.hyper("lambd")}
    kinds = {"A3": Kind("array", (1, g.m)), "Y": Kind("labels", (1, g.m)),
             "parameters": _layer_dict(parameters, extra_refused=False, shape_refused=False), "lambd": _HYPER,
             "dialect": Kind("choice", choices=("mean", "sum"))}
    if g.maybe():
        values["dialect"] = g.draw(st.sampled_from(["mean", "sum"]))
    return values, kinds


@_builds("notebook.exponentially_weighted_averages")
def _b_ewa(g: _Gen, function: Any) -> _Built:
    steps = g.draw(st.integers(1, 5))
    theta = g.array((steps,))
    values: dict[str, Any] = {"theta": [float(x) for x in theta] if g.draw(st.booleans()) else theta,
                              "beta": g.hyper("beta")}
    if g.maybe():
        values["bias_correction"] = g.draw(st.booleans())
    return values, {"theta": Kind("array", (steps,)), "beta": _HYPER, "bias_correction": _FLAG}


@_builds("notebook.gradient_check", "course.gradient_checking.forward_propagation",
         "course.gradient_checking.backward_propagation")
def _b_one_dimensional(g: _Gen, function: Any) -> _Built:
    values: dict[str, Any] = {"x": g.real(), "theta": g.real()}
    kinds = {"x": _REAL, "theta": _REAL}
    if "epsilon" in inspect.signature(function).parameters:
        kinds["epsilon"] = _HYPER
        if g.maybe():
            values["epsilon"] = g.draw(st.sampled_from([1e-7, 1e-4, 1e-2, 1.0]))
    return values, kinds


def _any_network(g: _Gen) -> dict[str, np.ndarray]:
    return g.parameters(_three_layer_init(g), g.dims(g.layers(), out=None))


@_builds("notebook.initialize_adam", "notebook.initialize_rmsprop", "notebook.initialize_velocity")
def _b_initialize_state(g: _Gen, function: Any) -> _Built:
    parameters = _any_network(g)
    return {"parameters": parameters}, {"parameters": _layer_dict(parameters, extra_refused=False,
                                                                    shape_refused=False)}


@_builds("notebook.initialize_parameters", "notebook.initialize_parameters_he", "notebook.initialize_parameters_random",
         "notebook.initialize_parameters_zeros", "course.deep.initialize_parameters_deep",
         "course.regularization.initialize_parameters")
def _b_initialize(g: _Gen, function: Any) -> _Built:
    (name,) = inspect.signature(function).parameters
    dims = g.dims(g.layers(), out=None)
    return {name: tuple(dims) if g.draw(st.booleans()) else dims}, {name: _DIMS}


@_builds("course.shallow.initialize_parameters", "course.deep.initialize_parameters")
def _b_initialize_two_layer(g: _Gen, function: Any) -> _Built:
    return ({name: g.draw(st.integers(1, 4)) for name in ("n_x", "n_h", "n_y")},
            {name: _INT for name in ("n_x", "n_h", "n_y")})


@_builds("course.logistic.initialize_with_zeros")
def _b_initialize_with_zeros(g: _Gen, function: Any) -> _Built:
    return {"dim": g.draw(st.integers(1, 4))}, {"dim": _INT}


@_builds("notebook.random_mini_batches", "course.optimization.random_mini_batches_no_seed")
def _b_mini_batches(g: _Gen, function: Any) -> _Built:
    m = g.draw(st.integers(1, 8))
    X = g.array((g.draw(st.integers(1, 3)), m))
    values: dict[str, Any] = {"X": X, "Y": g.labels((1, m))}
    kinds = {"X": Kind("array", X.shape), "Y": Kind("labels", (1, m)), "mini_batch_size": _INT}
    if g.maybe():
        values["mini_batch_size"] = g.hyper("mini_batch_size")
    if "seed" in inspect.signature(function).parameters:
        kinds["seed"] = _INT
        if g.maybe():
            values["seed"] = g.draw(st.sampled_from([0, 1, 10, 2**32 - 1]))
    return values, kinds


@_builds("notebook.relu", "notebook.sigmoid", "course.logistic.sigmoid", "course.deep.relu", "course.deep.sigmoid")
def _b_activation(g: _Gen, function: Any) -> _Built:
    (name,) = inspect.signature(function).parameters
    shape = g.draw(st.sampled_from([(g.m,), (2, g.m), (1, 1)]))
    return {name: g.array(shape)}, {name: Kind("array", shape)}


@_builds("notebook.relu_backward", "notebook.sigmoid_backward", "notebook.tanh_backward", "course.deep.relu_backward",
         "course.deep.sigmoid_backward")
def _b_activation_backward(g: _Gen, function: Any) -> _Built:
    shape = g.draw(st.sampled_from([(g.m,), (2, g.m), (1, 1)]))
    values: dict[str, Any] = {"dA": g.array(shape), "cache": g.array(shape)}
    kinds = {"dA": Kind("array", shape), "cache": Kind("array", shape)}
    if "dialect" in inspect.signature(function).parameters:
        kinds["dialect"] = Kind("choice", choices=("zero-at-zero", "one-at-zero"))
        if g.maybe():
            values["dialect"] = g.draw(st.sampled_from(["zero-at-zero", "one-at-zero"]))
    return values, kinds


@_builds("notebook.schedule_lr_decay", "notebook.update_lr")
def _b_schedule(g: _Gen, function: Any) -> _Built:
    names = [n for n in inspect.signature(function).parameters if n != "time_interval" or g.maybe()]
    return {n: g.hyper(n) for n in names}, {n: _HYPER for n in inspect.signature(function).parameters}


def _gradients_of(g: _Gen, parameters: dict[str, np.ndarray], backward: Callable[[], dict[str, np.ndarray]] | None
                  ) -> dict[str, np.ndarray]:
    """The backward pass's gradients (intermediate keys and all), or random ones of the shapes."""
    if backward is not None and g.draw(st.booleans()):
        try:
            with _quiet():
                return backward()
        except (ValueError, TypeError, ArithmeticError):
            pass
    return g.like(parameters)


@_builds("notebook.update_parameters_with_gd", "notebook.update_parameters_with_momentum",
         "notebook.update_parameters_with_rmsprop", "notebook.update_parameters_with_adam")
def _b_update(g: _Gen, function: Any) -> _Built:
    nb = _M("notebook")
    names = inspect.signature(function).parameters
    if g.draw(st.booleans()):  # the seeds' loop: the 3-layer network's own gradients
        X, parameters = _three_layer(g)
        Y = g.labels((1, g.m))
        grads = _gradients_of(g, parameters, lambda: nb.backward_propagation(
            X, Y, nb.forward_propagation(X, parameters)[1]))
    else:
        parameters = _any_network(g)
        grads = g.like(parameters)
    values: dict[str, Any] = {"parameters": parameters, "grads": grads}
    kinds: dict[str, Kind] = {"parameters": _net(parameters, paired=True), "grads": _grads(parameters)}
    rule = function.__name__.removeprefix("update_parameters_with_")
    for state in ("v", "s"):
        if state in names:
            values[state] = (nb.initialize_velocity(parameters) if g.draw(st.integers(0, 2)) == 0 else
                             g.like(parameters, nonnegative=state == "s"))
            kinds[state] = _grads(parameters)
    for name, parameter in names.items():
        if name in values or name == "dialect":
            continue
        kinds[name] = _INT if name == "t" else _HYPER
        if parameter.default is parameter.empty or g.maybe():
            values[name] = g.hyper(name)
    if "dialect" in names:
        from gradspec.spec import dialects_of

        choices = tuple(d.name for d in dialects_of(rule))
        kinds["dialect"] = Kind("choice", choices=choices)
        if g.maybe():
            values["dialect"] = g.draw(st.sampled_from(choices))
    return values, kinds


# --- logistic regression: one sigmoid unit, w a column, b a number ---------------------------------

@_builds("course.logistic.propagate", "course.logistic.predict", "course.logistic.optimize")
def _b_logistic(g: _Gen, function: Any) -> _Built:
    n = g.draw(st.integers(1, 3))
    names = inspect.signature(function).parameters
    values: dict[str, Any] = {"w": g.cast(g.units((n, 1)), g.magnitude()), "b": g.real(), "X": g.array((n, g.m))}
    kinds = {"w": Kind("array", (n, 1)), "b": _REAL, "X": Kind("array", (n, g.m))}
    if "Y" in names:
        values["Y"], kinds["Y"] = g.labels((1, g.m)), Kind("labels", (1, g.m))
    if "num_iterations" in names:
        values["num_iterations"] = g.draw(st.sampled_from([1, 2, 5, 101]))
        values["learning_rate"] = g.hyper("learning_rate")
        kinds |= {"num_iterations": _INT, "learning_rate": _HYPER, "print_cost": _FLAG}
        if g.maybe():
            values["print_cost"] = g.draw(st.booleans())
    return values, kinds


# --- planar data: LINEAR -> TANH -> LINEAR -> SIGMOID, the cache a dict ---------------------------

def _two_layer(g: _Gen) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
    n_x, n_h, n_y = g.draw(st.integers(1, 3)), g.draw(st.integers(1, 4)), g.draw(st.integers(1, 2))
    return (g.array((n_x, g.m)), g.parameters(_M("course.shallow").initialize_parameters, n_x, n_h, n_y), n_y)


@_builds("course.shallow.forward_propagation", "course.shallow.predict")
def _b_shallow_forward(g: _Gen, function: Any) -> _Built:
    X, parameters, _ = _two_layer(g)
    return {"X": X, "parameters": parameters}, {"X": Kind("array", X.shape), "parameters": _net(parameters, fixed=True)}


@_builds("course.shallow.backward_propagation", "course.shallow.update_parameters")
def _b_shallow_backward(g: _Gen, function: Any) -> _Built:
    shallow = _M("course.shallow")

    def make() -> tuple[np.ndarray, dict[str, np.ndarray], int, dict[str, np.ndarray]]:
        X, parameters, n_y = _two_layer(g)
        return X, parameters, n_y, shallow.forward_propagation(X, parameters)[1]

    X, parameters, n_y, cache = g.attempt(make)
    Y = g.labels((n_y, g.m))
    if function.__name__ == "update_parameters":
        grads = _gradients_of(g, parameters, lambda: shallow.backward_propagation(parameters, cache, X, Y))
        values: dict[str, Any] = {"parameters": parameters, "grads": grads}
        kinds = {"parameters": _net(parameters, paired=True), "grads": _grads(parameters), "learning_rate": _HYPER}
        if g.maybe():
            values["learning_rate"] = g.hyper("learning_rate")
        return values, kinds
    extra = {"Z3": np.ones((1, g.m), cache["A2"].dtype)}
    return ({"parameters": parameters, "cache": cache, "X": X, "Y": Y},
            {"parameters": _net(parameters, fixed=True), "X": Kind("array", X.shape),
             "cache": Kind("dict", keys=("Z1", "A1", "Z2", "A2"), extra=extra, shape_refused=True),
             "Y": Kind("labels", (n_y, g.m))})


@_builds("course.shallow.layer_sizes")
def _b_layer_sizes(g: _Gen, function: Any) -> _Built:
    X, n_y = g.array((g.draw(st.integers(1, 3)), g.m)), g.draw(st.integers(1, 2))
    return {"X": X, "Y": g.labels((n_y, g.m))}, {"X": Kind("array", X.shape), "Y": Kind("labels", (n_y, g.m))}


# --- the L-layer network: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, caches per layer ------------

def _deep(g: _Gen) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    dims = g.dims(g.layers())
    return g.array((dims[0], g.m)), g.parameters(_M("course.deep").initialize_parameters_deep, dims)


@_builds("course.deep.L_model_forward")
def _b_deep_forward(g: _Gen, function: Any) -> _Built:
    X, parameters = _deep(g)
    # One more layer fed by the last one is a deeper network, not a mistake.
    return ({"X": X, "parameters": parameters},
            {"X": Kind("array", X.shape), "parameters": _layer_dict(parameters, extra_refused=False,
                                                                    shape_refused=True)})


def _deep_caches(g: _Gen) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray, list[Any]]:
    deep = _M("course.deep")

    def make() -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray, list[Any]]:
        X, parameters = _deep(g)
        AL, caches = deep.L_model_forward(X, parameters)
        return X, parameters, AL, caches

    return g.attempt(make)


@_builds("course.deep.L_model_backward", "course.deep.update_parameters")
def _b_deep_backward(g: _Gen, function: Any) -> _Built:
    deep = _M("course.deep")
    _, parameters, AL, caches = _deep_caches(g)
    Y = g.labels((1, g.m))
    if function.__name__ == "update_parameters":
        grads = _gradients_of(g, parameters, lambda: deep.L_model_backward(AL, Y, caches))
        return ({"parameters": parameters, "grads": grads, "learning_rate": g.hyper("learning_rate")},
                {"parameters": _net(parameters, paired=True), "grads": _grads(parameters), "learning_rate": _HYPER})
    if g.draw(st.integers(0, 3)) == 0:  # the notebook reshapes Y to AL's shape
        Y = Y.reshape(-1)
    caches = [g.sequence(cache) for cache in caches]
    values: dict[str, Any] = {"AL": AL, "Y": Y, "caches": caches if g.draw(st.integers(0, 3)) else tuple(caches)}
    kinds = {"AL": Kind("array", AL.shape), "Y": Kind("labels", Y.shape), "caches": Kind("caches", shape_refused=True),
             "dialect": Kind("choice", choices=("zero-at-zero", "one-at-zero"))}
    if g.maybe():
        values["dialect"] = g.draw(st.sampled_from(["zero-at-zero", "one-at-zero"]))
    return values, kinds


def _one_layer(g: _Gen) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_prev, n = g.draw(st.integers(1, 3)), g.draw(st.integers(1, 3))
    return g.array((n_prev, g.m)), g.array((n, n_prev), g.magnitude()), g.array((n, 1), g.magnitude())


@_builds("course.deep.linear_forward", "course.deep.linear_activation_forward")
def _b_linear_forward(g: _Gen, function: Any) -> _Built:
    first = next(iter(inspect.signature(function).parameters))
    A, W, b = _one_layer(g)
    values: dict[str, Any] = {first: A, "W": W, "b": b}
    kinds = {first: Kind("array", A.shape), "W": Kind("array", W.shape), "b": Kind("array", b.shape)}
    if "activation" in inspect.signature(function).parameters:
        values["activation"] = g.draw(st.sampled_from(["sigmoid", "relu"]))
        kinds["activation"] = Kind("choice", choices=("sigmoid", "relu"))
    return values, kinds


@_builds("course.deep.linear_backward", "course.deep.linear_activation_backward")
def _b_linear_backward(g: _Gen, function: Any) -> _Built:
    deep = _M("course.deep")
    activation = g.draw(st.sampled_from(["sigmoid", "relu"]))

    def make() -> tuple[Any, tuple[int, ...]]:
        A, W, b = _one_layer(g)
        if function.__name__ == "linear_backward":
            return deep.linear_forward(A, W, b)[1], (W.shape[0], A.shape[1])
        return deep.linear_activation_forward(A, W, b, activation)[1], (W.shape[0], A.shape[1])

    cache, shape = g.attempt(make)
    cache = g.sequence(cache)
    if function.__name__ == "linear_backward":
        return {"dZ": g.array(shape), "cache": cache}, {"dZ": Kind("array", shape), "cache": _cache_kind()}
    values: dict[str, Any] = {"dA": g.array(shape), "cache": (g.sequence(cache[0]), cache[1]),
                              "activation": activation}
    kinds = {"dA": Kind("array", shape), "cache": _cache_kind(),
             "activation": Kind("choice", choices=("sigmoid", "relu")),
             "dialect": Kind("choice", choices=("zero-at-zero", "one-at-zero"))}
    if g.maybe():
        values["dialect"] = g.draw(st.sampled_from(["zero-at-zero", "one-at-zero"]))
    return values, kinds


# --- gradient checking: the 3-layer network's parameters and gradients as one vector ---------------

def _checked_network(g: _Gen) -> list[int]:
    return [4, 5, 3, 1] if g.draw(st.integers(0, 3)) == 0 else g.dims(3)


@_builds("course.gradient_checking.dictionary_to_vector", "course.gradient_checking.gradients_to_vector",
         "course.gradient_checking.gradient_check_n")
def _b_gradient_check_n(g: _Gen, function: Any) -> _Built:
    nb = _M("notebook")
    checking = _M("course.gradient_checking")
    X, parameters = g.attempt(lambda: _three_layer(g, _checked_network(g)))
    Y = g.labels((1, g.m))
    if function.__name__ == "dictionary_to_vector":
        return {"parameters": parameters}, {"parameters": _layer_dict(parameters, extra_refused=False,
                                                                        shape_refused=False)}
    gradients = _gradients_of(g, parameters, lambda: checking.backward_propagation_n(
        X, Y, nb.forward_propagation(X, parameters)[1]))
    if function.__name__ == "gradients_to_vector":
        return {"gradients": gradients}, {"gradients": _grads(parameters, paired=False)}
    values: dict[str, Any] = {"parameters": parameters, "gradients": gradients, "X": X, "Y": Y}
    kinds = {"parameters": _net(parameters, fixed=True), "gradients": _grads(parameters), "X": Kind("array", X.shape),
             "Y": Kind("labels", (1, g.m)), "epsilon": _HYPER}
    if g.maybe():
        values["epsilon"] = g.draw(st.sampled_from([1e-7, 1e-5, 1e-3]))
    return values, kinds


@_builds("course.gradient_checking.vector_to_dictionary")
def _b_vector_to_dictionary(g: _Gen, function: Any) -> _Built:
    checking = _M("course.gradient_checking")
    dims = _checked_network(g)
    _, parameters = _three_layer(g, dims)
    theta, _ = checking.dictionary_to_vector(parameters)
    values: dict[str, Any] = {"theta": theta.reshape(-1) if g.draw(st.integers(0, 3)) == 0 else theta}
    if dims != [4, 5, 3, 1] or g.draw(st.booleans()):
        values["layer_dims"] = tuple(dims) if g.draw(st.booleans()) else dims
    return values, {"theta": Kind("array", theta.shape), "layer_dims": _DIMS}


# --- hostile arguments for the notebook APIs ---------------------------------------------------------

def _refusable(value: Any) -> bool:
    """None, a string or a masked array where a number or an array belongs: refused, always."""
    return value is None or isinstance(value, str | np.ma.MaskedArray)


def _masked(arr: np.ndarray) -> np.ndarray:
    mask = np.zeros(arr.shape, dtype=bool)
    mask.flat[0] = True
    return np.ma.masked_array(arr, mask=mask)


def _wrong_shape(arr: Any) -> np.ndarray:
    arr = np.asarray(arr)
    shape = (*arr.shape[:-1], arr.shape[-1] + 1) if arr.ndim else (2,)
    return np.ones(shape, dtype=arr.dtype if arr.dtype.kind == "f" else np.float64)


def _one_inf(arr: Any) -> np.ndarray:
    arr = np.array(arr, dtype=np.asarray(arr).dtype if np.asarray(arr).dtype.kind == "f" else np.float64)
    arr.flat[0] = np.inf
    return arr


#: What one entry of a dict or a cache is replaced by, and whether that must be refused (None:
#: ``shape_refused`` decides).
_ENTRY_OPS: dict[str, tuple[Callable[[Any], Any], bool | None]] = {
    "nan": (lambda a: np.full(np.shape(a), np.nan, dtype=np.asarray(a).dtype if np.asarray(a).dtype.kind == "f"
                              else np.float64), False),
    "inf": (_one_inf, False),
    "masked": (lambda a: _masked(np.asarray(a)), True),
    "none": (lambda a: None, True),
    "str": (lambda a: "W1", True),
    "int": (lambda a: np.ones(np.shape(a), dtype=np.int64), False),
    "shape": (_wrong_shape, None),
}


def _hostile_dict(draw: st.DrawFn, kind: Kind, value: dict[str, Any]) -> tuple[Any, bool]:
    op = draw(st.sampled_from(["missing", "extra", "whole", *_ENTRY_OPS]))
    if op == "whole":
        bad = draw(st.sampled_from([None, "parameters", {}, 3.0, [np.ones((1, 1))]]))
        return bad, bad is None or isinstance(bad, str) or bad == {}
    new = dict(value)
    if op == "extra":
        return new | kind.extra, kind.extra_refused
    key = draw(st.sampled_from(kind.keys))
    if op == "missing":
        del new[key]
        return new, True
    replace, refused = _ENTRY_OPS[op]
    new[key] = replace(value[key])
    return new, kind.shape_refused if refused is None else refused


def _paths(value: Any, path: tuple[int, ...] = ()) -> Iterator[tuple[int, ...]]:
    """The paths of the arrays inside nested tuples and lists."""
    if isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))
    else:
        yield path


def _containers(value: Any, path: tuple[int, ...] = ()) -> Iterator[tuple[int, ...]]:
    if isinstance(value, tuple | list):
        yield path
        for i, item in enumerate(value):
            yield from _containers(item, (*path, i))


def _at(value: Any, path: tuple[int, ...], change: Callable[[Any], Any]) -> Any:
    """``value`` with the item at ``path`` changed (tuples and lists rebuilt, types kept)."""
    if not path:
        return change(value)
    items = list(value)
    items[path[0]] = _at(items[path[0]], path[1:], change)
    return type(value)(items)


def _hostile_cache(draw: st.DrawFn, kind: Kind, value: Any) -> tuple[Any, bool]:
    op = draw(st.sampled_from(["length", "whole", *_ENTRY_OPS]))
    if op == "whole":
        bad = draw(st.sampled_from([None, "cache", 3.0, {}]))
        return bad, _refusable(bad)
    if op == "length":  # one entry short or one too many, at any depth
        path = draw(st.sampled_from(list(_containers(value))))
        shorter = draw(st.booleans())
        return _at(value, path, lambda c: type(c)(list(c)[:-1] if shorter else [*c, c[-1]])), True
    path = draw(st.sampled_from(list(_paths(value))))
    replace, refused = _ENTRY_OPS[op]
    return _at(value, path, replace), kind.shape_refused if refused is None else refused


def _hostile_caches(draw: st.DrawFn, kind: Kind, value: Any) -> tuple[Any, bool]:
    op = draw(st.sampled_from(["layer", "layer", "layer", "drop", "whole"]))
    if op == "whole":
        bad = draw(st.sampled_from([None, "caches", [], 3.0]))
        return bad, _refusable(bad) or bad == []
    if op == "drop":  # a shallower network's caches may still fit AL: refusing is not required
        return type(value)(list(value)[:-1]), False
    layer = draw(st.integers(0, len(value) - 1))
    bad, refused = _hostile_cache(draw, kind, value[layer])
    items = list(value)
    items[layer] = bad
    return type(value)(items), refused


def _hostile_dims(draw: st.DrawFn, value: Any) -> tuple[Any, bool]:
    bad = draw(st.sampled_from([None, "2, 3", [], "first", "None", "nan", "str", 0, -1, 2.5, True, 2**64, "array",
                                3]))
    dims = list(value)
    if bad == "first":
        return dims[:1], False
    if bad in ("None", "nan", "str", 0, -1, 2.5, True, 2**64):
        entry = {"None": None, "nan": float("nan"), "str": "3"}.get(bad, bad)  # type: ignore[call-overload]
        index = draw(st.integers(0, len(dims) - 1))
        dims[index] = entry
        return dims, bad in ("None", "nan", "str")
    if bad == "array":
        return np.array(dims), False
    return bad, _refusable(bad)


def hostile(draw: st.DrawFn, kind: Kind, value: Any, dtype: str) -> tuple[Any, bool]:
    """A hostile version of a notebook function's argument, and whether it must be refused."""
    if kind.what in ("array", "labels"):
        bad = draw(_hostile_array(kind.shape or np.shape(value) or (1,), dtype))
        return bad, _refusable(bad)
    if kind.what in ("hyper", "int", "real"):
        bad = draw(_hostile_number())
        nonfinite = isinstance(bad, float) and not math.isfinite(bad)
        return bad, _refusable(bad) or (nonfinite and kind.what != "real")
    if kind.what == "flag":
        return draw(st.sampled_from([None, "no", "", 0, 1, 1.5, "True", np.array(True)])), True
    if kind.what == "choice":
        bad = draw(st.sampled_from([None, "no", "", 0, 1.5, "mean ", "Relu", "tanh", "eps"]))
        return bad, bad not in kind.choices
    if kind.what == "dims":
        return _hostile_dims(draw, value)
    if kind.what == "dict":
        return _hostile_dict(draw, kind, value)
    if kind.what == "cache":
        return _hostile_cache(draw, kind, value)
    if kind.what == "caches":
        return _hostile_caches(draw, kind, value)
    raise AssertionError(f"no hostile value for a {kind.what}")


@st.composite
def course_calls(draw: st.DrawFn, name: str, function: Callable[..., Any]) -> tuple[list[Any], dict[str, Any], str]:
    """Positional and keyword arguments for a notebook function, built with the reference, one call
    in ten with one hostile argument (or entry); and the name of the argument it must refuse."""
    g = _Gen(draw)
    values, kinds = _BUILDERS[name](g, function)
    parameters = inspect.signature(function).parameters
    unknown = set(values) - set(parameters)
    if unknown:
        raise AssertionError(f"the builder of {name} makes arguments it does not take: {sorted(unknown)}")
    refuse = ""
    if draw(st.integers(0, 9)) == 0:
        bad = draw(st.sampled_from([p for p, k in kinds.items() if k.what != "ignored"]))
        default = parameters[bad].default
        current = values.get(bad, None if default is inspect.Parameter.empty else default)
        values[bad], must = hostile(draw, kinds[bad], current, g.dtype)
        refuse = bad if must else ""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for index, (pname, parameter) in enumerate(parameters.items()):
        if pname not in values:
            continue
        if parameter.kind is parameter.KEYWORD_ONLY or len(args) < index:
            kwargs[pname] = values[pname]  # keyword-only, or after a default left out
        else:
            args.append(values[pname])
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


def _python_floats(value: Any) -> bool:
    """Whether ``value`` is a list or tuple holding Python floats: float64 data, as NumPy reads it
    (where a Python float on its own, a hyperparameter, takes the arrays' dtype)."""
    if isinstance(value, (tuple, list)):
        return any(type(v) is float or _python_floats(v) for v in value)
    return False


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
    """NaN anywhere in a result: arrays, and numbers in tuples, lists and dicts (a list of costs)."""
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f" and bool(np.isnan(value).any())
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return any(_has_nan(v) for v in value)
    return False


def _names(message: str, function: Callable[..., Any]) -> bool:
    """Whether a refusal's message names one of the function's parameters as the caller wrote it:
    the parameter itself (``grads``, ``a3``, ``Y``) or something inside it (``parameters['W2']``,
    ``grads["dW1"]``, ``cache[3]``, ``state.v``). Not another function's name for it (``a``, ``y``,
    ``dZ``, ``A_prev``: names are case-sensitive and whole), not the letters of a word (``s`` in
    "float64's", ``t`` in "don't"), and a one-letter name only where the message speaks of it as an
    argument (``b must``, ``z is a masked array``, ``g has``, ``w[0]``, ``'x'``), not as prose ("a
    column", "W A_prev + b is past")."""
    parameters = [p for p in inspect.signature(function).parameters if p != "hyperparameters"]
    return any(re.search(_name_pattern(p), message) for p in parameters)


def _name_pattern(name: str) -> str:
    word = rf"(?<![\w.])(?<!\w['’]){re.escape(name)}(?!\w)"
    if len(name) > 1:
        return word
    as_argument = r"(?=\s(?:must|has|holds|is an?\b|is not|=)|\[|\.[A-Za-z_]|['\"`])"
    return rf"{word}{as_argument}|['\"`]{re.escape(name)}['\"`]"


def classify(name: str, function: Callable[..., Any], args: list[Any], kwargs: dict[str, Any],
             refuse: str = "") -> tuple[str, str]:
    """One call's outcome: ``ok``, ``refused`` or one of :data:`PROBLEMS`, and what it was."""
    inputs = [*args, *kwargs.values()]
    before = [(a, a.copy()) for a in _arrays(inputs)]
    finite = _finite(inputs)
    float32 = any(a.dtype == np.float32 for a in _arrays(inputs)) and not any(
        a.dtype == np.float64 for a in _arrays(inputs) if not isinstance(a, np.ma.MaskedArray)) and not any(
        _python_floats(v) for v in inputs)
    def shown() -> str:
        return f"{name}(*{args!r}, **{kwargs!r})"[:600]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = function(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        if isinstance(exc, Warning):
            return "warning", f"{shown()}: {type(exc).__name__}: {exc}"
        if not _names(str(exc), function):
            return "unnamed", f"{shown()}: {exc}"
        return "refused", ""
    except Warning as exc:
        if not finite:  # the promise is for finite input; inf and NaN in may warn
            return "non-finite-warned", ""
        return "warning", f"{shown()}: {type(exc).__name__}: {exc}"
    except Exception as exc:  # every other type is the finding
        return "crash", f"{shown()}: {type(exc).__name__}: {exc}"
    if refuse:
        return "accepted", f"{shown()}: {refuse} should have been refused"
    for original, copy in before:
        if not np.array_equal(original, copy, equal_nan=True):
            return "mutated", shown()
    # TensorFlow.js's centered RMSProp takes the root of a negative number: its dialect's NaN is the spec's.
    documented = name in ("rmsprop_centered_step", "trajectory") and "eps-subtracted" in kwargs.values()
    if finite and _has_nan(result) and not documented:
        return "nan", f"{shown()} -> {result!r}"[:800]
    if float32 and any(a.dtype == np.float64 for a in _arrays(result)):
        return "dtype", shown()
    return "ok", ""


def fuzz(examples: int = 100, names: list[str] | None = None, *, derandomize: bool = True) -> dict[str, Outcome]:
    """``examples`` generated calls of each function (all of them unless ``names``), classified;
    the same calls each run unless ``derandomize`` is false."""
    out: dict[str, Outcome] = {}
    for name, function in functions().items():
        if names and name not in names:
            continue
        out[name] = _fuzz_one(name, function, examples, derandomize)
    return out


def _fuzz_one(name: str, function: Callable[..., Any], examples: int, derandomize: bool = True) -> Outcome:
    outcome = Outcome()
    strategy = course_calls(name, function) if name in _BUILDERS else calls(name, function)

    @settings(max_examples=examples, derandomize=derandomize, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=["generate"])
    @given(strategy)
    def run(call: tuple[list[Any], dict[str, Any], str]) -> None:
        outcome.add(*classify(name, function, *call))

    run()
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="generated calls per function (default 100)")
    parser.add_argument("--function", action="append", help="only this function (repeat for more)")
    parser.add_argument("--show", action="store_true", help="print the first example of each problem")
    parser.add_argument("--random", action="store_true", help="new calls each run (default: the same ones)")
    args = parser.parse_args(argv)
    results = fuzz(args.examples, args.function, derandomize=not args.random)
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
