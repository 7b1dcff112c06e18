"""What ``gradspec verify --exec`` checks of an op besides the differential check: the ops'
invariants, and the seeds' pinned cases computed with ops.

**Invariants.** :data:`INVARIANTS` holds, for each protocol v1 op, the properties its results
must have whatever the reference says: identities of the math (``sigmoid(-z) = 1 - sigmoid(z)``,
``softmax(z + c) = softmax(z)``), agreement with finite differences of the forward function,
what a zero gradient from a fresh state does, how ops relate (``momentum_step`` with ``beta = 0``
is ``gd_step``; a one-step ``trajectory`` is the rule's ``*_step`` from a fresh state), and what
a schedule does over the epochs. :func:`invariants` adds the one every op with arrays in its
result has: ``dtype-shape``, the result's arrays keep the inputs' dtype (float32 in, float32 out)
and have the reference's shape. Each is true in every dialect of its rule, or says in
``holds_for`` which dialects it holds for; one that calls another op of the client names it in
``needs`` (it is skipped when the client does not list that op, or that op's own differential
check did not pass: each op is judged alone), one that calls another op of the client where it
can, gradspec's reference otherwise, in ``optional``.

A check calls the client through an :class:`OpCall`: ``call(op, *args, **named)`` with the op's
parameters by position (:data:`gradspec.conformance.protocol.OPS` order) or name, reference
values in and out (arrays, numbers; a result with fields as a dict). The checks written for the
notebook functions (:func:`gradspec.conformance.api.deep.sigmoid_symmetry`, the schedules'
monotonicity of :mod:`gradspec.conformance.api.optimization`) run on it unchanged.

**Pinned cases.** :data:`NOTEBOOK_OPS` says which op computes each notebook function a pinned
case of :data:`gradspec.conformance.seeds.CASES` can call; :data:`PINNED` lists, for each op, the
cases whose notebook functions all have one. :class:`NotebookApi` is the API
``PinnedCase.compute`` calls: those functions computed with ops (per parameter, per step), the
op under test from the client and the others from the reference, so that each op is judged alone.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from types import ModuleType
from typing import Any

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import activations
from gradspec.reference import notebook as nb

from .api._model import Dialects, Invariant
from .api._strategies import BETAS, EPSILONS, LEARNING_RATES, SCALES, STEPS, arrays
from .api.deep import finite_differences, sigmoid_symmetry
from .api.optimization import decay_monotone
from .compare import TOLERANCES, Mismatch, compare, input_scale, leaves
from .pinned import PinnedCase
from .protocol import OPS, decode, encode, evaluate
from .seeds import CASES
from .target import TargetNotDataError, TargetTimeoutError

__all__ = ["INVARIANTS", "NOTEBOOK_OPS", "PINNED", "SCALAR_RESULTS", "NotebookApi", "OpCall", "OpInvariant",
           "dtype_shape", "invariants", "pinned_needs"]

#: The ops whose result is one number (the losses, the schedules); every other op returns arrays.
SCALAR_RESULTS = frozenset({"binary_cross_entropy", "binary_cross_entropy_with_logits", "categorical_cross_entropy",
                            "mean_squared_error", "inverse_time_decay", "staircase_decay", "exponential_decay",
                            "exponential_staircase_decay", "inverse_sqrt_decay"})


@dataclass(frozen=True)
class OpInvariant(Invariant):
    """An :class:`~gradspec.conformance.api.Invariant` of an op: ``check(call, args, dialects)``
    with ``call`` an :class:`OpCall`. ``needs``: the other ops of the client it calls (skipped,
    with that reason, when the client does not list one, or one did not pass its differential check);
    ``optional``: the other ops it calls on the client when it lists them, on the reference otherwise;
    ``probes``: inputs tried before the generated ones (typical hyperparameters, where the
    generated ones are mostly the domain's edges)."""

    needs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    probes: tuple[tuple, ...] = ()


# --- calling the client ----------------------------------------------------------------------------

class OpCall:
    """The client's ops as functions of reference values, for the checks.

    ``send(op, request)`` sends one call (protocol JSON arguments) and returns its ``result``
    (raising :class:`~gradspec.conformance.target.TargetError` otherwise); ``usable`` are the ops
    the client lists that passed their differential checks (:meth:`client_or_reference` calls the
    client for those only). Every request sent while ``record`` is a list is
    appended to it, as ``(op, request)``. An op that hung is not called again: its later calls fail
    at once with the same message.
    """

    def __init__(self, send: Callable[[str, dict[str, Any]], Any], usable: set[str]) -> None:
        self._send, self.usable = send, usable
        self.record: list[tuple[str, dict[str, Any]]] | None = None
        self.hung: dict[str, str] = {}

    def has(self, op: str) -> bool:
        return op in self.usable

    def __call__(self, op: str, *args: Any, **named: Any) -> Any:
        arguments = {**dict(zip(OPS[op].params, args, strict=False)), **named}
        request = encode(arguments)
        if self.record is not None:
            self.record.append((op, request))
        if op in self.hung:
            raise TargetTimeoutError(self.hung[op])
        try:
            raw = self._send(op, request)
        except TargetTimeoutError as exc:
            self.hung[op] = f"{exc} (not called again)"
            raise
        return _read(op, raw)

    def reference(self, op: str, *args: Any, **named: Any) -> Any:
        """The reference's result of ``op`` (the canonical dialect), read as the client's is. An
        argument the reference refuses is the check's problem, not the client's: a RuntimeError."""
        arguments = {**dict(zip(OPS[op].params, args, strict=False)), **named}
        try:
            raw = evaluate(op, encode(arguments))
        except (TypeError, ValueError) as exc:
            raise RuntimeError(f"gradspec's reference {op} refused the check's arguments: {exc}") from exc
        return _read(op, raw)

    def client_or_reference(self, op: str, *args: Any, **named: Any) -> Any:
        """``op`` on the client if it can be used, else on the reference."""
        return (self if self.has(op) else self.reference)(op, *args, **named)


def _read(op: str, raw: Any) -> Any:
    """A result as protocol JSON, decoded and checked to have the op's structure (a dict of its
    fields, the arrays, the number); anything else is the op's failure (TargetNotDataError)."""
    try:
        value = decode(raw)
    except (ValueError, TypeError) as exc:
        raise TargetNotDataError(f"answered {op} with something that is not a protocol value ({exc})") from None
    fields = OPS[op].fields
    if fields:
        if not isinstance(value, dict) or any(name not in value for name in fields):
            got = sorted(value) if isinstance(value, dict) else type(value).__name__
            raise TargetNotDataError(f"answered {op} without the fields {list(fields)} (got {got})")
        for name in fields:
            item = value[name]
            ok = (isinstance(item, list) and all(isinstance(x, np.ndarray) for x in item)) if op == "trajectory" \
                else isinstance(item, np.ndarray)
            if not ok:
                raise TargetNotDataError(f"answered {op} with a {name} that is not "
                                         f"{'a list of arrays' if op == 'trajectory' else 'an array'}")
        return value
    if op in SCALAR_RESULTS:
        if isinstance(value, np.ndarray) and value.size == 1:
            return float(value.reshape(-1)[0])
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TargetNotDataError(f"answered {op} with a {type(value).__name__}, not a number")
        return float(value)
    if not isinstance(value, np.ndarray):
        raise TargetNotDataError(f"answered {op} with a {type(value).__name__}, not an array")
    return value


# --- helpers of the checks -------------------------------------------------------------------------

def _float32(*values: Any) -> bool:
    return any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in leaves(list(values)))


def _same(expected: Any, actual: Any, args: tuple, what: str, path: str = "result", *,
          scale: float | None = None) -> Mismatch | None:
    """:func:`compare` at the tolerances of ``args`` (float32's if any array is), where the
    expected value is ``what`` rather than the reference's."""
    found = compare(expected, actual, float32=_float32(*args), scale=input_scale(args) if scale is None else scale,
                    path=path)
    if found is not None and found.message == "differs from the reference":
        found = dataclasses.replace(found, message=f"differs from {what}")
    return found


_DTYPE_NAMES = ("float64", "float32")
_SHAPES = st.sampled_from([(1,), (3,), (2, 3)])


@st.composite
def _tensors(draw: st.DrawFn, n: int, *, dtypes: tuple[str, ...] = _DTYPE_NAMES, scales: Any = SCALES
             ) -> list[np.ndarray]:
    """``n`` arrays of one shape and dtype, each of its own magnitude."""
    dtype, shape = draw(st.sampled_from(dtypes)), draw(_SHAPES)
    return [draw(arrays(shape, np.float64, draw(scales))).astype(dtype) for _ in range(n)]


_Z = st.sampled_from([1e-3, 1.0, 30.0])


def _odd(op: str, factor: Callable[[tuple], float] = lambda args: 1.0, label: str = "z"
         ) -> Callable[..., Mismatch | None]:
    """``op(z) - op(-z) = factor * z`` (factor 1: relu; 1 + alpha: leaky_relu)."""
    def check(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
        z, *rest = args
        plus, minus = call(op, z, *rest), call(op, -z, *rest)
        for i, value in enumerate((plus, minus)):
            if value.shape != z.shape:
                return Mismatch("fail", "result", f"has shape {value.shape}, expected {z.shape}", None, value, source=i)
        difference = plus.astype(np.float64) - minus.astype(np.float64)
        return _same(factor(args) * z.astype(np.float64), difference, args, label, path=f"{op}(z) - {op}(-z)")
    return check


def _tanh_odd(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    """tanh(-z) = -tanh(z), to 4 ulps of 1 (as sigmoid's symmetry)."""
    (z,) = args
    left = np.asarray(call("tanh", -z), dtype=np.float64)
    right = -np.asarray(call("tanh", z), dtype=np.float64)
    atol = 4 * float(np.finfo(z.dtype).eps)
    for i, value in enumerate((left, right)):
        if value.shape != z.shape:
            return Mismatch("fail", "result", f"has shape {value.shape}, expected {z.shape}", None, value, source=i)
    if np.any(np.abs(left - right) > atol):
        worst = float(np.max(np.abs(left - right)))
        return Mismatch("fail", "result", f"tanh(-z) differs from -tanh(z) by {worst:.3g} (more than {atol:.2g})",
                        right, left, source=0)
    return None


_FD_Z = arrays((3, 2), np.float64, 5.0).map(lambda z: (z,))
_FD_Z_AWAY = arrays((3, 2), np.float64, 5.0).filter(lambda z: bool(np.all(np.abs(z) > 1e-3))).map(lambda z: (z,))
_ALPHAS = st.one_of(st.just(0.01), st.floats(0.0, 1.0, exclude_max=True))  # the slope's domain, [0, 1)


# --- the optimizers' steps ------------------------------------------------------------------------

_STATE = {"gd_step": (), "momentum_step": ("v",), "rmsprop_step": ("s",), "adam_step": ("v", "s"),
          "nesterov_step": ("v",), "amsgrad_step": ("v", "s", "s_max"), "rmsprop_centered_step": ("s", "g_bar"),
          "rmsprop_momentum_step": ("s", "v"), "adagrad_step": ("s",)}


def _hyperparameters(op: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "gd_step": {}, "momentum_step": {"beta": BETAS}, "rmsprop_step": {"beta2": BETAS, "epsilon": EPSILONS},
        "adam_step": {"t": STEPS, "beta1": BETAS, "beta2": BETAS, "epsilon": EPSILONS},
        "nesterov_step": {"beta": BETAS},
        "amsgrad_step": {"t": STEPS, "beta1": BETAS, "beta2": BETAS, "epsilon": EPSILONS},
        "rmsprop_centered_step": {"beta2": BETAS, "epsilon": EPSILONS},
        "rmsprop_momentum_step": {"beta2": BETAS, "beta": BETAS, "epsilon": EPSILONS},
        "adagrad_step": {"epsilon": EPSILONS}}[op])


def _zero_gradient_inputs(op: str) -> st.SearchStrategy[tuple]:
    return st.tuples(_tensors(1).map(lambda ws: ws[0]), LEARNING_RATES, _hyperparameters(op))


def _zero_gradient(op: str) -> Callable[[OpCall, tuple, Dialects], Mismatch | None]:
    """A zero gradient from a zero state leaves w unchanged, and the state zero."""
    def check(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
        w, lr, hyperparameters = args
        zero = np.zeros_like(w)
        state = {name: zero for name in _STATE[op]}
        result = call(op, w=w, g=zero, learning_rate=lr, **state, **hyperparameters)
        return _same({"w": w, **state}, result, args, "the value before the step")
    return check


def _no_decay_is_adam(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    """Weight decay 0 is Adam's own step, in every form of the decay."""
    (w, g), lr, hyperparameters, multiplier = args
    zero = np.zeros_like(w)
    step = {"w": w, "g": g, "v": zero, "s": zero, "learning_rate": lr, **hyperparameters}
    result = call("adam_weight_decay_step", **step, weight_decay=0.0, schedule_multiplier=multiplier)
    expected = call.client_or_reference("adam_step", **step)
    return _same(expected["w"], result["w"], args, "adam_step's w", path="result['w']")


def _momentum_beta_zero(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    (w, g, v), lr = args
    result = call("momentum_step", w=w, g=g, v=v, beta=0.0, learning_rate=lr)
    expected = call.client_or_reference("gd_step", w=w, g=g, learning_rate=lr)
    return _same(expected["w"], result["w"], args, "gd_step's w", path="result['w']")


def _adam_first_step_bounded(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    """Adam's first step from a fresh state moves each coordinate by at most the learning rate
    (its size is lr |g| / (|g| + eps) in the bias-corrected dialects)."""
    (w, g), lr, beta1, beta2, epsilon = args
    zero = np.zeros_like(w)
    new = call("adam_step", w=w, g=g, v=zero, s=zero, t=1, learning_rate=lr, beta1=beta1, beta2=beta2,
               epsilon=epsilon)["w"]
    rtol, atol = TOLERANCES["float32" if _float32(w) else "float64"]
    step = np.abs(np.asarray(new, dtype=np.float64) - w)
    if step.shape != w.shape:
        return Mismatch("fail", "result['w']", f"has shape {step.shape}, expected {w.shape}", None, new)
    limit = lr + rtol * (lr + np.abs(w)) + atol * input_scale(args)  # the comparisons' tolerances
    if np.any(step > limit):
        worst = np.unravel_index(int(np.argmax(step - limit)), step.shape)
        return Mismatch("fail", "result['w']", f"moved a coordinate by {float(step[worst]):.6g}, more than the "
                        f"learning rate {lr:g}", None, new)
    return None


_RULE_HYPERPARAMETERS = {"gd": {}, "momentum": {"beta": BETAS}, "rmsprop": {"beta2": BETAS, "epsilon": EPSILONS},
                         "adam": {"beta1": BETAS, "beta2": BETAS, "epsilon": EPSILONS}}
_FRESH = {"gd": {}, "momentum": {"v": None}, "rmsprop": {"s": None}, "adam": {"v": None, "s": None, "t": 1}}


def _one_step_inputs(rule: str) -> st.SearchStrategy[tuple]:
    return st.tuples(_tensors(2), LEARNING_RATES, st.fixed_dictionaries(_RULE_HYPERPARAMETERS[rule]))


#: w and g of the probes: typical values, where the generated ones are mostly the domains' edges.
_TYPICAL = (np.array([0.5, -2.0]), np.array([1.0, -0.1]))
_TYPICAL_HYPERPARAMETERS = {"gd": {}, "momentum": {"beta": 0.9}, "rmsprop": {"beta2": 0.999, "epsilon": 1e-8},
                            "adam": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}}


def _one_step(rule: str) -> Callable[[OpCall, tuple, Dialects], Mismatch | None]:
    """``trajectory`` with one gradient is the client's ``<rule>_step`` from a fresh state."""
    step = f"{rule}_step"

    def check(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
        (w, g), lr, hyperparameters = args
        path = call("trajectory", rule=rule, w=w, grads=[g], learning_rate=lr, **hyperparameters)["w"]
        if len(path) != 1:
            return Mismatch("fail", "result['w']", f"has {len(path)} items for 1 gradient", None, path)
        fresh = {k: np.zeros_like(w) if v is None else v for k, v in _FRESH[rule].items()}
        one = call(step, w=w, g=g, learning_rate=lr, **fresh, **hyperparameters)["w"]
        return _same(one, path[0], args, f"the client's {step} from a fresh state", path="result['w'][0]")
    return check


# --- activations and losses -----------------------------------------------------------------------

def _softmax_sums(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    (z,) = args
    probabilities = call("softmax", z)
    if probabilities.shape != z.shape:
        return Mismatch("fail", "result", f"has shape {probabilities.shape}, expected {z.shape}", None, probabilities)
    sums = np.sum(probabilities.astype(np.float64), axis=0)
    return _same(np.ones_like(sums), sums, args, "1", path="np.sum(result, axis=0)", scale=1.0)


def _softmax_shift(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    z, c = args
    return _same(call("softmax", z), call("softmax", (z + z.dtype.type(c)).astype(z.dtype)), args,
                 "softmax(z)", path=f"softmax(z + {c:g})", scale=1.0)


def _label_flip(op: str) -> Callable[[OpCall, tuple, Dialects], Mismatch | None]:
    """``op(a, y) = op(1 - a, 1 - y)`` (``op(z, y) = op(-z, 1 - y)`` for logits)."""
    def check(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
        x, y = args
        flipped = -x if op == "binary_cross_entropy_with_logits" else (1 - x).astype(x.dtype)
        unflipped = f"{op}({'z' if op == 'binary_cross_entropy_with_logits' else 'a'}, y)"
        return _same(call(op, x, y), call(op, flipped, (1 - y).astype(y.dtype)), args, unflipped,
                     path="the flipped cost")
    return check


@st.composite
def _probabilities_and_labels(draw: st.DrawFn, dtypes: tuple[str, ...] = _DTYPE_NAMES) -> tuple:
    dtype, m = draw(st.sampled_from(dtypes)), draw(st.integers(1, 4))
    a = np.clip(np.abs(draw(arrays((1, m), np.float64, 1.0))), 1e-6, 1 - 1e-6).astype(dtype)
    return a, (draw(arrays((1, m), np.float64, 1.0)) > 0).astype(dtype)


@st.composite
def _logits_and_labels(draw: st.DrawFn) -> tuple:
    dtype, m = draw(st.sampled_from(_DTYPE_NAMES)), draw(st.integers(1, 4))
    z = draw(arrays((1, m), np.float64, draw(st.sampled_from([1.0, 30.0])))).astype(dtype)
    return z, (draw(arrays((1, m), np.float64, 1.0)) > 0).astype(dtype)


@st.composite
def _softmax_and_one_hot(draw: st.DrawFn) -> tuple:
    from gradspec.reference import softmax

    dtype = draw(st.sampled_from(_DTYPE_NAMES))
    z = draw(arrays((3, 2), np.float64, 3.0))
    y = np.eye(3)[:, [draw(st.integers(0, 2)), draw(st.integers(0, 2))]]
    return softmax(z).astype(dtype), y.astype(dtype)


def _cce_non_negative(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    cost = call("categorical_cross_entropy", *args)
    _, atol = TOLERANCES["float32" if _float32(*args) else "float64"]
    if cost < -atol:
        return Mismatch("fail", "result", f"is {cost!r}: a cross-entropy of probabilities is never negative",
                        None, cost)
    return None


def _grad_columns(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    grad = call("softmax_cross_entropy_grad", *args)
    if grad.shape != args[0].shape:
        return Mismatch("fail", "result", f"has shape {grad.shape}, expected {args[0].shape}", None, grad)
    sums = np.sum(grad.astype(np.float64), axis=0)
    return _same(np.zeros_like(sums), sums, args, "0", path="np.sum(result, axis=0)", scale=1.0)


def _mse_at_target(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    a, _ = args
    return _same(0.0, call("mean_squared_error", a, a), args, "0")


# --- averages -------------------------------------------------------------------------------------

def _ewa_constant(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    (c,), beta = args
    return _same(c, call("ewa_step", c, c, beta), args, "the constant")


def _ewa_beta_zero(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    (v, theta), _ = args
    return _same(theta, call("ewa_step", v, theta, 0.0), args, "theta")


def _bias_correction_beta_zero(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    (v,), t = args
    return _same(v, call("bias_correction", v, 0.0, t), args, "v (1 - 0^t = 1)")


def _constant_sequence(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    """The client's ewa_step run from v = 0 over T copies of c, then its bias_correction at t = T,
    is c (to the tolerance of :mod:`gradspec.conformance.api.optimization`'s constant-sequence)."""
    c, beta, length = args
    v = np.zeros_like(c)
    for _ in range(length):
        v = call("ewa_step", v, c, beta)
    corrected = np.asarray(call("bias_correction", v, beta, length), dtype=np.float64)
    if corrected.shape != c.shape:
        return Mismatch("fail", "result", f"has shape {corrected.shape}, expected {c.shape}", c, corrected)
    tolerance = 1e-9 * (1 + beta**length / (1 - beta**length)) * max(float(np.max(np.abs(c))), 1.0)
    if np.any(np.abs(corrected - c) > tolerance):
        worst = float(np.max(np.abs(corrected - c)))
        return Mismatch("fail", "result", f"the bias-corrected average of {length} copies of c is off c by "
                        f"{worst:.3g} (more than {tolerance:.2g})", c, corrected)
    return None


# --- schedules ------------------------------------------------------------------------------------

_EPOCH_LISTS = st.lists(st.integers(0, 100_000), min_size=2, max_size=5).map(sorted)
_RATE0 = st.floats(0.0, 1.0)
_K = st.floats(0.01, 1.0)


def _schedule_inputs(op: str) -> st.SearchStrategy[tuple]:
    """(learning_rate0, decay_rate or k, epochs[, time_interval]), as the monotonicity check takes them."""
    rate = _K if "exponential" in op else st.floats(0.0, 5.0)
    interval = (st.integers(2, 2000),) if "staircase" in op else ()
    return st.tuples(_RATE0, rate, _EPOCH_LISTS, *interval)


def _inverse_sqrt_monotone(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
    lr0, k, epochs = args
    at_one = call("inverse_sqrt_decay", lr0, 1, k)
    if not np.isclose(at_one, k * lr0, rtol=1e-12, atol=0):
        return Mismatch("fail", "result", f"is {at_one!r} at epoch 1, not k * learning_rate0 = {k * lr0!r}",
                        k * lr0, at_one)
    values = [call("inverse_sqrt_decay", lr0, e, k) for e in epochs]
    for (e1, a), (e2, b) in pairwise(zip(epochs, values, strict=True)):
        if b > a * (1 + 1e-12):
            return Mismatch("fail", "result", f"increases from {a!r} at epoch {e1} to {b!r} at epoch {e2}",
                            None, values)
    return None


# --- the table ------------------------------------------------------------------------------------

def _inv(id: str, description: str, inputs: st.SearchStrategy[tuple], check: Callable[..., Mismatch | None],
         **more: Any) -> OpInvariant:
    return OpInvariant(id, description, inputs, check, **more)


_BIAS_CORRECTED = ("eps-outside", "eps-inside", "eps-hat")
_MONOTONE = "equal to learning_rate0 at epoch 0 and non-increasing"

#: Each op's invariants (besides ``dtype-shape``, which :func:`invariants` adds).
INVARIANTS: dict[str, tuple[OpInvariant, ...]] = {
    "gd_step": (
        _inv("zero-gradient", "a zero gradient leaves w unchanged", _zero_gradient_inputs("gd_step"),
             _zero_gradient("gd_step")),),
    "momentum_step": (
        _inv("zero-gradient", "a zero gradient from zero velocity leaves w unchanged and v zero",
             _zero_gradient_inputs("momentum_step"), _zero_gradient("momentum_step")),
        _inv("beta-zero-is-gd", "momentum with beta = 0 is gradient descent: w as gd_step gives it",
             st.tuples(_tensors(3), LEARNING_RATES), _momentum_beta_zero, optional=("gd_step",),
             probes=(((*_TYPICAL, np.array([0.3, 0.2])), 0.01),)),),
    "rmsprop_step": (
        _inv("zero-gradient", "a zero gradient from s = 0 leaves w unchanged and s zero",
             _zero_gradient_inputs("rmsprop_step"), _zero_gradient("rmsprop_step")),),
    "adam_step": (
        _inv("zero-gradient", "a zero gradient from zero moments leaves w unchanged and v, s zero",
             _zero_gradient_inputs("adam_step"), _zero_gradient("adam_step")),
        _inv("first-step-bounded", "Adam's first step moves each coordinate by at most the learning rate",
             st.tuples(_tensors(2), LEARNING_RATES, BETAS, BETAS, EPSILONS), _adam_first_step_bounded,
             holds_for={"adam": _BIAS_CORRECTED},
             probes=((_TYPICAL, 0.01, 0.9, 0.999, 1e-8),)),),
    "nesterov_step": (
        _inv("zero-gradient", "a zero gradient from zero velocity leaves w unchanged and v zero",
             _zero_gradient_inputs("nesterov_step"), _zero_gradient("nesterov_step")),),
    "amsgrad_step": (
        _inv("zero-gradient", "a zero gradient from zero moments leaves w unchanged and v, s, s_max zero",
             _zero_gradient_inputs("amsgrad_step"), _zero_gradient("amsgrad_step")),),
    "rmsprop_centered_step": (
        # eps-subtracted takes the root of -epsilon there: no step at all.
        _inv("zero-gradient", "a zero gradient from rest leaves w unchanged and s, g_bar zero",
             _zero_gradient_inputs("rmsprop_centered_step"), _zero_gradient("rmsprop_centered_step"),
             holds_for={"rmsprop-centered": ("eps-inside", "eps-outside")}),),
    "rmsprop_momentum_step": (
        _inv("zero-gradient", "a zero gradient from rest leaves w unchanged and s, v zero",
             _zero_gradient_inputs("rmsprop_momentum_step"), _zero_gradient("rmsprop_momentum_step")),),
    "adagrad_step": (
        _inv("zero-gradient", "a zero gradient from s = 0 leaves w unchanged and s zero",
             _zero_gradient_inputs("adagrad_step"), _zero_gradient("adagrad_step")),),
    "adam_weight_decay_step": (
        _inv("no-decay-is-adam", "with weight decay 0, w is adam_step's in every form of the decay",
             st.tuples(_tensors(2), LEARNING_RATES, _hyperparameters("adam_step"), st.floats(0.0, 1.0)),
             _no_decay_is_adam, optional=("adam_step",),
             probes=((_TYPICAL, 0.01, {"t": 1, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, 0.5),)),),
    "trajectory": tuple(
        _inv(f"one-step-is-{rule}_step", f"a one-step {rule} trajectory is {rule}_step from a fresh state",
             _one_step_inputs(rule), _one_step(rule), needs=(f"{rule}_step",),
             probes=((_TYPICAL, 0.01, _TYPICAL_HYPERPARAMETERS[rule]),),
             holds_for={"momentum": ("ema", "heavy-ball", "lr-inside")} if rule == "momentum" else {})
        for rule in ("gd", "momentum", "rmsprop", "adam")),
    "sigmoid": (
        _inv("symmetry", "sigmoid(-z) = 1 - sigmoid(z)", _tensors(1, scales=_Z).map(tuple), sigmoid_symmetry),),
    "sigmoid_backward": (
        _inv("finite-differences", "agrees with finite differences of sigmoid", _FD_Z,
             finite_differences("sigmoid_backward", activations.sigmoid, with_dA=True)),),
    "tanh": (_inv("odd", "tanh(-z) = -tanh(z)", _tensors(1, scales=_Z).map(tuple), _tanh_odd),),
    "tanh_backward": (
        _inv("finite-differences", "agrees with finite differences of tanh", _FD_Z,
             finite_differences("tanh_backward", activations.tanh, with_dA=True)),),
    "relu": (_inv("odd-part", "relu(z) - relu(-z) = z", _tensors(1).map(tuple), _odd("relu")),),
    "relu_grad": (
        _inv("finite-differences", "agrees with finite differences of relu away from 0", _FD_Z_AWAY,
             finite_differences("relu_grad", activations.relu, with_dA=False)),),
    "relu_backward": (
        _inv("finite-differences", "agrees with finite differences of relu away from 0", _FD_Z_AWAY,
             finite_differences("relu_backward", activations.relu, with_dA=True)),),
    "leaky_relu": (
        _inv("odd-part", "leaky_relu(z) - leaky_relu(-z) = (1 + alpha) z",
             st.tuples(_tensors(1).map(lambda zs: zs[0]), _ALPHAS),
             _odd("leaky_relu", lambda args: 1 + args[1], "(1 + alpha) z")),),
    "leaky_relu_grad": (
        _inv("finite-differences", "agrees with finite differences of leaky_relu away from 0",
             st.tuples(_FD_Z_AWAY.map(lambda t: t[0]), _ALPHAS),
             finite_differences("leaky_relu_grad", lambda x, alpha: activations.leaky_relu(x, alpha=alpha),
                                with_dA=False)),),
    "softmax": (
        _inv("columns-sum-to-one", "each column of softmax(z) sums to 1", _tensors(1, scales=_Z).map(tuple),
             _softmax_sums),
        _inv("shift-invariance", "softmax(z + c) = softmax(z)",
             st.tuples(_tensors(1, scales=_Z).map(lambda zs: zs[0]), st.sampled_from([-3.0, 0.5, 10.0])),
             _softmax_shift),),
    "binary_cross_entropy": (
        _inv("label-flip", "binary_cross_entropy(a, y) = binary_cross_entropy(1 - a, 1 - y) (float64)",
             _probabilities_and_labels(("float64",)), _label_flip("binary_cross_entropy")),),
    "binary_cross_entropy_with_logits": (
        _inv("label-flip", "binary_cross_entropy_with_logits(z, y) = binary_cross_entropy_with_logits(-z, 1 - y)",
             _logits_and_labels(), _label_flip("binary_cross_entropy_with_logits")),),
    "categorical_cross_entropy": (
        _inv("non-negative", "the cross-entropy of probabilities is never negative", _softmax_and_one_hot(),
             _cce_non_negative),),
    "mean_squared_error": (
        _inv("zero-at-target", "mean_squared_error(y, y) = 0", _probabilities_and_labels(), _mse_at_target),),
    "softmax_cross_entropy_grad": (
        _inv("columns-sum-to-zero", "each column of the gradient sums to 0 (softmax columns and one-hot labels "
             "both sum to 1)", _softmax_and_one_hot(), _grad_columns),),
    "ewa_step": (
        _inv("constant", "the average of a constant stays that constant: ewa_step(c, c, beta) = c",
             st.tuples(_tensors(1), BETAS), _ewa_constant),
        _inv("beta-zero", "with beta = 0 the average is the observation: ewa_step(v, theta, 0) = theta",
             st.tuples(_tensors(2), st.just(0.0)), _ewa_beta_zero),),
    "bias_correction": (
        _inv("beta-zero", "with beta = 0 there is nothing to correct: bias_correction(v, 0, t) = v",
             st.tuples(_tensors(1), STEPS), _bias_correction_beta_zero),
        _inv("constant-sequence", "the bias-corrected average of a constant sequence is that constant",
             st.tuples(_tensors(1, dtypes=("float64",), scales=st.just(100.0)).map(lambda cs: cs[0]),
                       BETAS.filter(lambda b: b < 1), st.integers(1, 8)),
             _constant_sequence, needs=("ewa_step",)),),
    "inverse_time_decay": (
        _inv("non-increasing", _MONOTONE, _schedule_inputs("inverse_time_decay"),
             decay_monotone("inverse_time_decay", False)),),
    "staircase_decay": (
        _inv("non-increasing", f"{_MONOTONE}, constant within each interval", _schedule_inputs("staircase_decay"),
             decay_monotone("staircase_decay", True)),),
    "exponential_decay": (
        _inv("non-increasing", _MONOTONE, _schedule_inputs("exponential_decay"),
             decay_monotone("exponential_decay", False)),),
    "exponential_staircase_decay": (
        _inv("non-increasing", f"{_MONOTONE}, constant within each interval",
             _schedule_inputs("exponential_staircase_decay"), decay_monotone("exponential_staircase_decay", True)),),
    "inverse_sqrt_decay": (
        _inv("non-increasing", "equal to k * learning_rate0 at epoch 1 and non-increasing",
             st.tuples(_RATE0, _K, st.lists(st.integers(1, 100_000), min_size=2, max_size=5).map(sorted)),
             _inverse_sqrt_monotone),),
}


def _layout(expected: Any, actual: Any, path: str) -> Mismatch | None:
    """Where ``actual``'s arrays differ from ``expected``'s in dtype or shape (or structure)."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            found = _layout(value, actual[key], f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(actual) != len(expected):
            return Mismatch("fail", path, f"has {len(actual)} items, expected {len(expected)}", None, actual)
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = _layout(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if actual.dtype != expected.dtype:
        return Mismatch("fail", path, f"is {actual.dtype} for {expected.dtype} inputs", expected, actual)
    if actual.shape != expected.shape:
        return Mismatch("fail", path, f"has shape {actual.shape}, expected {expected.shape}", expected, actual)
    return None


def dtype_shape(op: str, inputs: st.SearchStrategy[tuple]) -> OpInvariant:
    """The ``dtype-shape`` invariant of ``op`` on ``inputs`` (``(args,)``, the op's arguments by
    name, in float32: a float64 result of float32 inputs passes the differential check, which
    allows promotion)."""
    def check(call: OpCall, args: tuple, dialects: Dialects) -> Mismatch | None:
        (named,) = args
        return _layout(call.reference(op, **named), call(op, **named), "result")
    return OpInvariant("dtype-shape", "the result's arrays keep the inputs' dtype (float32 in, float32 out) and "
                       "have the reference's shape", inputs, check)


def invariants(op: str, float32_inputs: st.SearchStrategy[tuple]) -> tuple[OpInvariant, ...]:
    """Every invariant of ``op``: :data:`INVARIANTS`' and, for an op with arrays in its result,
    ``dtype-shape`` on ``float32_inputs`` (the op's generated arguments in float32)."""
    own = INVARIANTS.get(op, ())
    return own if op in SCALAR_RESULTS else (*own, dtype_shape(op, float32_inputs))


# --- the seeds' pinned cases over ops -------------------------------------------------------------

#: The op that computes each notebook function a pinned case calls (per parameter or per step).
NOTEBOOK_OPS = {"update_parameters_with_gd": "gd_step", "update_parameters_with_momentum": "momentum_step",
                "update_parameters_with_adam": "adam_step", "update_lr": "inverse_time_decay",
                "schedule_lr_decay": "staircase_decay", "exponentially_weighted_averages": "ewa_step"}


def pinned_needs(case: PinnedCase) -> dict[str, str]:
    """``{op: notebook function}`` for the functions ``case`` calls, or ``{}`` when one of them
    has no op (then the case does not apply to a client)."""
    if not case.functions or any(f not in NOTEBOOK_OPS for f in case.functions):
        return {}
    return {NOTEBOOK_OPS[f]: f for f in case.functions}


#: The pinned cases each op takes part in.
PINNED: dict[str, tuple[PinnedCase, ...]] = {
    op: tuple(case for case in CASES if op in pinned_needs(case)) for op in dict.fromkeys(NOTEBOOK_OPS.values())}


def _bound(function: Callable[..., Any], args: tuple, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's arguments by name, defaults filled in (``function`` is the reference's)."""
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _layer_keys(parameters: Mapping[str, Any]) -> list[str]:
    return [k for k in parameters if k[:1] in ("W", "b")]


class NotebookApi:
    """The notebook functions of :data:`NOTEBOOK_OPS`, computed with ops: those in ``from_client``
    on the client (through ``call``), the others on the reference; any other name is
    ``reference``'s (the module the pinned case computes with). The signatures and defaults are the
    reference notebook's (:mod:`gradspec.reference.notebook`); Adam returns ``(parameters, v, s)``."""

    def __init__(self, call: OpCall, from_client: set[str], reference: ModuleType) -> None:
        self._call, self._from_client, self._reference = call, from_client, reference

    def _op(self, op: str, **named: Any) -> Any:
        return (self._call if op in self._from_client else self._call.reference)(op, **named)

    def update_parameters_with_gd(self, *args: Any, **kwargs: Any) -> dict[str, np.ndarray]:
        a = _bound(nb.update_parameters_with_gd, args, kwargs)
        return {k: self._op("gd_step", w=a["parameters"][k], g=a["grads"][f"d{k}"],
                            learning_rate=a["learning_rate"])["w"] for k in _layer_keys(a["parameters"])}

    def update_parameters_with_momentum(self, *args: Any, **kwargs: Any) -> tuple[dict, dict]:
        a = _bound(nb.update_parameters_with_momentum, args, kwargs)
        new, v = {}, {}
        for k in _layer_keys(a["parameters"]):
            out = self._op("momentum_step", w=a["parameters"][k], g=a["grads"][f"d{k}"], v=a["v"][f"d{k}"],
                           beta=a["beta"], learning_rate=a["learning_rate"])
            new[k], v[f"d{k}"] = out["w"], out["v"]
        return new, v

    def update_parameters_with_adam(self, *args: Any, **kwargs: Any) -> tuple[dict, dict, dict]:
        a = _bound(nb.update_parameters_with_adam, args, kwargs)
        new, v, s = {}, {}, {}
        for k in _layer_keys(a["parameters"]):
            out = self._op("adam_step", w=a["parameters"][k], g=a["grads"][f"d{k}"], v=a["v"][f"d{k}"],
                           s=a["s"][f"d{k}"], t=a["t"], learning_rate=a["learning_rate"], beta1=a["beta1"],
                           beta2=a["beta2"], epsilon=a["epsilon"])
            new[k], v[f"d{k}"], s[f"d{k}"] = out["w"], out["v"], out["s"]
        return new, v, s

    def update_lr(self, *args: Any, **kwargs: Any) -> float:
        return self._op("inverse_time_decay", **_bound(nb.update_lr, args, kwargs))

    def schedule_lr_decay(self, *args: Any, **kwargs: Any) -> float:
        return self._op("staircase_decay", **_bound(nb.schedule_lr_decay, args, kwargs))

    def exponentially_weighted_averages(self, *args: Any, **kwargs: Any) -> np.ndarray:
        """v_1 .. v_T, one ewa_step per observation from v = 0 (and bias_correction at each t when
        asked), each observation a float64 array of one entry."""
        a = _bound(nb.exponentially_weighted_averages, args, kwargs)
        v, out = np.zeros(1), []
        for t, theta in enumerate(a["theta"], start=1):
            v = self._op("ewa_step", v=v, theta=np.array([float(theta)]), beta=a["beta"])
            value = self._op("bias_correction", v=v, beta=a["beta"], t=t) if a["bias_correction"] else v
            out.append(float(np.asarray(value).reshape(-1)[0]))
        return np.array(out)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reference, name)
