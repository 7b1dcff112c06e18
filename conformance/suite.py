"""What is checked, function by function, for the notebook API.

Each :class:`FunctionSpec` says how to generate inputs (Hypothesis strategies over the
hyperparameters' whole domains, with their edges), what the reference returns for them in
each dialect of the function's rule, how to read the target's return value, and which
invariants must hold. Nothing here holds a number: expected values come from the reference,
which comes from the spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradspec.reference import binary_cross_entropy_with_logits, relative_difference, two_sided_difference
from gradspec.reference import notebook as nb

from .compare import TOLERANCES, Mismatch, compare, input_scale, leaves
from .seeds import optimizer_test_case

__all__ = ["FUNCTIONS", "FunctionSpec", "Invariant", "uses_float32"]

Call = Callable[..., Any]


@dataclass(frozen=True)
class Invariant:
    """A property of the target alone: ``check(call, args)`` returns a Mismatch or None."""

    id: str
    description: str
    inputs: st.SearchStrategy[tuple]
    check: Callable[[Call, tuple], Mismatch | None]


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    rule: str
    inputs: st.SearchStrategy[tuple]
    oracle: Callable[..., Any]
    dialect_rule: str | None = None
    normalize: Callable[[Any], Any] = field(default=lambda result: result)
    probes: tuple[tuple, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    differential: bool = True
    #: The rule's steps the function computes (empty: all). A dialect that changes none of
    #: them cannot be told apart by this function and is not a candidate.
    steps: tuple[str, ...] = ()

    def expected(self, args: tuple, dialect: str | None) -> Any:
        """The reference's result for ``args`` in ``dialect``, read the way the target's is."""
        result = self.oracle(*args) if dialect is None else self.oracle(*args, dialect=dialect)
        return self.normalize(result)


def uses_float32(args: object) -> bool:
    """Whether any float array among the arguments is float32 (then float32 tolerances)."""
    return any(isinstance(item, np.ndarray) and item.dtype == np.float32 for item in leaves(args))


def _close(expected: Any, actual: Any, args: tuple, path: str = "result") -> Mismatch | None:
    return compare(expected, actual, float32=uses_float32(args), scale=input_scale(args), path=path)


# --- strategies ---------------------------------------------------------------------------------

DTYPES = st.sampled_from([np.float64, np.float32])
#: Magnitudes for gradients and states: zero and huge included.
SCALES = st.sampled_from([0.0, 1e-6, 1e-3, 1.0, 1e3])
BETAS = st.one_of(st.just(0.0), st.just(0.9), st.just(0.999), st.floats(0.0, 0.999))
LEARNING_RATES = st.one_of(st.just(0.0), st.just(0.01), st.floats(0.0, 1.0))
#: Epsilon from tiny to comparable with sqrt(s): where the epsilon dialects part.
EPSILONS = st.one_of(st.sampled_from([1e-12, 1e-8, 1e-4, 1e-2, 1.0]), st.floats(1e-10, 10.0))
STEPS = st.one_of(st.just(1), st.integers(1, 10), st.integers(1, 10_000))


@st.composite
def arrays(draw, shape: tuple[int, ...], dtype=np.float64, scale: float = 1.0, *,
           nonnegative: bool = False) -> np.ndarray:
    low = 0.0 if nonnegative else -1.0
    values = draw(hnp.arrays(np.float64, shape, elements=st.floats(low, 1.0, width=32)))
    return (values * scale).astype(dtype)


@st.composite
def layer_dims(draw, min_layers: int = 1, max_layers: int = 4) -> list[int]:
    layers = draw(st.integers(min_layers, max_layers))
    return [draw(st.integers(1, 4)) for _ in range(layers + 1)]


def _shapes(dims: list[int]) -> dict[str, tuple[int, int]]:
    shapes = {}
    for layer in range(1, len(dims)):
        shapes[f"W{layer}"] = (dims[layer], dims[layer - 1])
        shapes[f"b{layer}"] = (dims[layer], 1)
    return shapes


@st.composite
def network(draw, *, states: int = 0, nonnegative_states: tuple[int, ...] = ()) -> tuple:
    """(parameters, grads, state_1, ..., state_n) with 1-4 layers and one dtype."""
    dtype, dims = draw(DTYPES), draw(layer_dims())
    shapes = _shapes(dims)
    parameters = {k: draw(arrays(s, dtype, draw(st.sampled_from([1.0, 10.0])))) for k, s in shapes.items()}
    grad_scale = draw(SCALES)
    grads = {f"d{k}": draw(arrays(s, dtype, grad_scale)) for k, s in shapes.items()}
    out = [parameters, grads]
    for i in range(states):
        scale = draw(SCALES)
        nonneg = i in nonnegative_states
        out.append({f"d{k}": draw(arrays(s, dtype, scale**2 if nonneg else scale, nonnegative=nonneg))
                    for k, s in shapes.items()})
    return tuple(out)


@st.composite
def three_layer(draw, *, dtype=np.float64) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(X, Y, parameters) for the seeds' LINEAR-RELU-LINEAR-RELU-LINEAR-SIGMOID network."""
    n0, n1, n2, m = (draw(st.integers(1, 4)) for _ in range(4))
    parameters = {k: draw(arrays(s, dtype, 2.0)) for k, s in _shapes([n0, n1, n2, 1]).items()}
    X = draw(arrays((n0, m), dtype, 3.0))
    Y = draw(hnp.arrays(np.int64, (1, m), elements=st.integers(0, 1)))
    return X, Y, parameters


def _first(result: Any) -> Any:
    """``(A, cache)`` -> ``A``; a bare ``A`` stays."""
    return result[0] if isinstance(result, tuple) else result


def _first_three(result: Any) -> Any:
    """Seed 000's Adam returns ``(parameters, v, s, v_corrected, s_corrected)``."""
    return tuple(result[:3]) if isinstance(result, tuple) and len(result) == 5 else result


def _gradients_only(result: Any) -> Any:
    """Backward passes are compared on dW and db (the intermediate keys vary by notebook)."""
    if isinstance(result, Mapping):
        return {k: v for k, v in result.items() if k[:2] in ("dW", "db") and k[2:].isdigit()}
    return result


# --- invariants ----------------------------------------------------------------------------------

def _zero_gradient_gd(call: Call, args: tuple) -> Mismatch | None:
    parameters, grads, lr = args
    zero = {k: np.zeros_like(g) for k, g in grads.items()}
    return _close(parameters, call("update_parameters_with_gd", parameters, zero, lr), args)


def _momentum_beta_zero_is_gd(call: Call, args: tuple) -> Mismatch | None:
    parameters, grads, v, lr = args
    result = call("update_parameters_with_momentum", parameters, grads, v, 0.0, lr)
    return _close(nb.update_parameters_with_gd(parameters, grads, lr), _first(result), args)


def _momentum_zero_gradient(call: Call, args: tuple) -> Mismatch | None:
    parameters, grads, beta, lr = args
    zero = {k: np.zeros_like(g) for k, g in grads.items()}
    result = call("update_parameters_with_momentum", parameters, zero, nb.initialize_velocity(parameters),
                  beta, lr)
    return _close(parameters, _first(result), args)


def _adam_first_step_bounded(call: Call, args: tuple) -> Mismatch | None:
    parameters, grads, lr, beta1, beta2, epsilon = args
    v, s = nb.initialize_adam(parameters)
    new = _first(call("update_parameters_with_adam", parameters, grads, v, s, 1, lr, beta1, beta2, epsilon))
    rtol, atol = TOLERANCES["float32" if uses_float32(args) else "float64"]
    scale = input_scale(args)
    for key, w in parameters.items():
        step = np.abs(np.asarray(new[key], dtype=np.float64) - w)
        limit = lr + rtol * (lr + np.abs(w)) + atol * scale  # the comparisons' tolerances
        if np.any(step > limit):
            return Mismatch("fail", f"result[{key!r}]", f"moved a coordinate by {float(step.max()):.6g}, "
                            f"more than the learning rate {lr:g}", None, new[key])
    return None


def _rmsprop_beta2_zero(call: Call, args: tuple) -> Mismatch | None:
    parameters, grads, lr, epsilon = args
    result = call("update_parameters_with_rmsprop", parameters, grads, nb.initialize_rmsprop(parameters),
                  0.0, lr, epsilon)
    expected = {k: w - lr * grads[f"d{k}"] / np.sqrt(grads[f"d{k}"] ** 2 + epsilon)
                for k, w in parameters.items()}
    return _close(expected, _first(result), args)


def _ewa_constant(call: Call, args: tuple) -> Mismatch | None:
    c, beta, length = args
    result = np.asarray(call("exponentially_weighted_averages", [c] * length, beta, True), dtype=float)
    steps = np.arange(1, length + 1)
    tolerance = 1e-9 * (1 + beta**steps / (1 - beta**steps)) * max(abs(c), 1.0)
    if result.shape != (length,) or np.any(np.abs(result - c) > tolerance):
        return Mismatch("fail", "result", f"the bias-corrected average of {length} copies of {c!r} is "
                                          "not that constant", [c] * length, result)
    return None


def _decay_monotone(name: str, interval: bool) -> Callable[[Call, tuple], Mismatch | None]:
    def check(call: Call, args: tuple) -> Mismatch | None:
        lr0, rate, epochs = args[:3]
        extra = args[3:]
        values = [float(call(name, lr0, e, rate, *extra)) for e in epochs]
        if not np.isclose(float(call(name, lr0, 0, rate, *extra)), lr0, rtol=1e-12, atol=0):
            return Mismatch("fail", "result", f"is not learning_rate0 = {lr0!r} at epoch 0")
        if any(b > a * (1 + 1e-12) for a, b in pairwise(values)):
            return Mismatch("fail", "result", f"increases between epochs {epochs}", None, values)
        if interval:
            (time_interval,) = extra
            start = (epochs[0] // time_interval) * time_interval
            inside = {float(call(name, lr0, e, rate, time_interval))
                      for e in (start, start + time_interval // 2, start + time_interval - 1)}
            if len(inside) != 1:
                return Mismatch("fail", "result", f"changes within the interval starting at epoch {start}",
                                None, sorted(inside))
        return None
    return check


def _mini_batch_partition(call: Call, args: tuple) -> Mismatch | None:
    X, Y, size, seed = args
    m = X.shape[1]
    batches = call("random_mini_batches", X, Y, size, seed)
    try:
        xs = [np.asarray(b[0]) for b in batches]
        ys = [np.asarray(b[1]) for b in batches]
    except Exception:
        return Mismatch("error", "result", "is not a list of (mini_batch_X, mini_batch_Y) pairs")
    sizes = [x.shape[1] if x.ndim == 2 else -1 for x in xs]
    expected_sizes = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected_sizes:
        return Mismatch("fail", "result", f"batch sizes {sizes}, expected floor(m/size) full batches "
                                          f"and the remainder: {expected_sizes}")
    columns = np.concatenate(xs, axis=1)[0].astype(int)
    labels = np.concatenate(ys, axis=1)[0]
    if sorted(columns) != list(range(m)):
        return Mismatch("fail", "result", "the batches are not a partition of the examples")
    if not np.array_equal(labels, Y[0, columns]):
        return Mismatch("fail", "result", "an X column lost its Y label")
    return None


def _sigmoid_symmetry(call: Call, args: tuple) -> Mismatch | None:
    (z,) = args
    left = np.asarray(call("sigmoid", -z), dtype=np.float64)
    right = 1 - np.asarray(call("sigmoid", z), dtype=np.float64)
    atol = 4 * float(np.finfo(z.dtype).eps)
    if left.shape != z.shape or np.any(np.abs(left - right) > atol):
        return Mismatch("fail", "result", "sigmoid(-z) != 1 - sigmoid(z)", right, left)
    return None


def _finite_differences(name: str, forward: Callable[[Call, np.ndarray], np.ndarray]
                        ) -> Callable[[Call, tuple], Mismatch | None]:
    def check(call: Call, args: tuple) -> Mismatch | None:
        (Z,) = args
        dZ = np.asarray(call(name, np.ones_like(Z), Z), dtype=np.float64)
        approx = two_sided_difference(lambda x: float(np.sum(forward(call, x))), Z, epsilon=1e-6)
        if dZ.shape != Z.shape or relative_difference(dZ, approx) > 1e-6:
            return Mismatch("fail", "result", "disagrees with finite differences of the forward "
                                              "function (gradient checking)", approx, dZ)
        return None
    return check


def _forward_of(name: str) -> Callable[[Call, np.ndarray], np.ndarray]:
    def forward(call: Call, x: np.ndarray) -> np.ndarray:
        if name == "tanh":
            return np.tanh(x)
        return np.asarray(call(name, x) if call.has(name) else getattr(nb, name)(x))
    return forward


def _backward_gradient_check(call: Call, args: tuple) -> Mismatch | None:
    X, Y, parameters = args
    _, cache = nb.forward_propagation(X, parameters)
    if min(float(np.min(np.abs(cache[0]))), float(np.min(np.abs(cache[4])))) < 1e-3:
        return None  # too close to a ReLU kink for finite differences to mean anything
    grads = _gradients_only(call("backward_propagation", X, Y, cache))
    keys = list(parameters)
    flat = np.concatenate([parameters[k].ravel() for k in keys])

    def cost(theta: np.ndarray) -> float:
        unflat, offset = {}, 0
        for k in keys:
            size = parameters[k].size
            unflat[k] = theta[offset:offset + size].reshape(parameters[k].shape)
            offset += size
        z3 = nb.forward_propagation(X, unflat)[1][8]  # the logit form: finite differences of
        return binary_cross_entropy_with_logits(z3, Y)  # log(1 - a) are noise once a rounds to 1

    try:
        got = np.concatenate([np.asarray(grads[f"d{k}"], dtype=np.float64).ravel() for k in keys])
    except (KeyError, TypeError, ValueError):
        return Mismatch("error", "result", f"does not hold dW and db for every layer (keys: {sorted(grads)})")
    approx = two_sided_difference(cost, flat, epsilon=1e-6)
    if relative_difference(got, approx) > 1e-5:
        return Mismatch("fail", "result", "disagrees with finite differences of the cost (gradient checking)",
                        approx, got)
    return None


def _dropout_keep_one(call: Call, args: tuple) -> Mismatch | None:
    X, _, parameters = args
    a3 = _first(call("forward_propagation_with_dropout", X, parameters, 1.0))
    return _close(nb.forward_propagation(X, parameters)[0], a3, args)


def _gradient_check_small(call: Call, args: tuple) -> Mismatch | None:
    x, theta = args
    value = call("gradient_check", x, theta)
    try:
        number = float(np.asarray(value))
    except (TypeError, ValueError):
        return Mismatch("error", "result", f"returned {type(value).__name__}, expected a number")
    if not (0 <= number < 1e-7):
        return Mismatch("fail", "result", f"relative difference {number!r} for J = theta x, whose "
                                          "gradient x is exact: expected a value in [0, 1e-7)", None, number)
    return None


# --- the functions ---------------------------------------------------------------------------------

def _probe_adam_000() -> tuple:
    parameters, grads = optimizer_test_case()
    v, s = nb.initialize_adam(parameters)
    return (parameters, grads, v, s, 2, 0.02, 0.8, 0.888, 1e-2)


def _probe_adam_hat() -> tuple:
    parameters, grads = optimizer_test_case()
    v = {k: 0.3 * g for k, g in grads.items()}
    s = {k: 0.01 * g * g for k, g in grads.items()}
    return (parameters, grads, v, s, 3, 0.05, 0.5, 0.6, 0.1)


def _probe_momentum() -> tuple:
    parameters, grads = optimizer_test_case()
    return (parameters, grads, nb.initialize_velocity(parameters), 0.9, 0.01)


def _probe_rmsprop() -> tuple:
    parameters, grads = optimizer_test_case()
    return (parameters, grads, {k: 0.01 * g * g for k, g in grads.items()}, 0.5, 0.1, 0.1)


_adam_inputs = st.tuples(network(states=2, nonnegative_states=(1,)), STEPS, LEARNING_RATES, BETAS,
                         BETAS, EPSILONS).map(lambda t: (*t[0], *t[1:]))
_mini_batch_inputs = st.integers(1, 150).flatmap(lambda m: st.tuples(
    st.just(np.arange(2 * m, dtype=np.float64).reshape(2, m)),
    hnp.arrays(np.int64, (1, m), elements=st.integers(0, 1)),
    st.integers(1, 70), st.integers(0, 2**32 - 1)))
_z = st.tuples(DTYPES, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)).flatmap(
    lambda ds: arrays(ds[1], ds[0], 30.0))
_dA_Z = st.tuples(DTYPES, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)).flatmap(
    lambda ds: st.tuples(arrays(ds[1], ds[0], 5.0), arrays(ds[1], ds[0], 5.0)))
_with_zero_z = st.tuples(DTYPES, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)).flatmap(
    lambda ds: st.tuples(arrays(ds[1], ds[0], 5.0), arrays(ds[1], ds[0], 5.0).map(
        lambda z: np.where(np.abs(z) < 1.0, 0.0, z).astype(z.dtype))))
_costs = st.integers(1, 8).flatmap(lambda m: st.tuples(
    arrays((1, m), np.float64, 8.0).map(nb.sigmoid).filter(lambda a: bool(np.all((a > 0) & (a < 1)))),
    hnp.arrays(np.int64, (1, m), elements=st.integers(0, 1))))
_dims = st.lists(st.integers(1, 6), min_size=2, max_size=5)
_schedules = st.tuples(st.floats(0.0, 1.0), st.integers(0, 100_000), st.floats(0.0, 5.0))


def _backward_args(with_lambd: bool) -> st.SearchStrategy[tuple]:
    def build(xyp_l: tuple) -> tuple:
        (X, Y, parameters), lambd = xyp_l
        cache = nb.forward_propagation(X, parameters)[1]
        return (X, Y, cache, lambd) if with_lambd else (X, Y, cache)
    return st.tuples(three_layer(), st.floats(0.0, 5.0)).map(build)


def _dropout_backward_args(xyp_k: tuple) -> tuple:
    (X, Y, parameters), keep_prob = xyp_k
    return (X, Y, nb.forward_propagation_with_dropout(X, parameters, keep_prob)[1], keep_prob)


_KEEP = st.one_of(st.just(1.0), st.floats(0.05, 1.0))
_gd_inputs = st.tuples(network(), LEARNING_RATES).map(lambda t: (*t[0], t[1]))

FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec("update_parameters_with_gd", "gd", _gd_inputs, nb.update_parameters_with_gd,
                 invariants=(Invariant("zero-gradient", "a zero gradient leaves the parameters unchanged",
                                       _gd_inputs, _zero_gradient_gd),)),
    FunctionSpec("random_mini_batches", "mini-batches", _mini_batch_inputs, nb.random_mini_batches,
                 invariants=(Invariant("partition", "the batches partition the examples, each X column "
                                       "keeps its Y label, floor(m/size) full batches plus the remainder",
                                       _mini_batch_inputs, _mini_batch_partition),)),
    FunctionSpec("initialize_velocity", "momentum", network().map(lambda t: (t[0],)), nb.initialize_velocity),
    FunctionSpec("update_parameters_with_momentum", "momentum",
                 st.tuples(network(states=1), BETAS, LEARNING_RATES).map(lambda t: (*t[0], *t[1:])),
                 nb.update_parameters_with_momentum, dialect_rule="momentum", probes=(_probe_momentum(),),
                 steps=("velocity", "update"),  # not a fresh optimizer's first velocity
                 invariants=(
                     Invariant("beta-zero-is-gd", "momentum with beta = 0 is gradient descent",
                               st.tuples(network(states=1), LEARNING_RATES).map(lambda t: (*t[0], t[1])),
                               _momentum_beta_zero_is_gd),
                     Invariant("zero-gradient", "a zero gradient from zero velocity leaves the parameters",
                               st.tuples(network(), BETAS, LEARNING_RATES).map(lambda t: (*t[0], *t[1:])),
                               _momentum_zero_gradient),
                 )),
    FunctionSpec("initialize_adam", "adam", network().map(lambda t: (t[0],)), nb.initialize_adam),
    FunctionSpec("update_parameters_with_adam", "adam", _adam_inputs, nb.update_parameters_with_adam,
                 dialect_rule="adam", normalize=_first_three, probes=(_probe_adam_000(), _probe_adam_hat()),
                 invariants=(Invariant("first-step-bounded", "Adam's first step moves each coordinate by at "
                                       "most the learning rate",
                                       st.tuples(network(), LEARNING_RATES, BETAS, BETAS, EPSILONS).map(
                                           lambda t: (*t[0], *t[1:])), _adam_first_step_bounded),)),
    FunctionSpec("initialize_rmsprop", "rmsprop", network().map(lambda t: (t[0],)), nb.initialize_rmsprop),
    FunctionSpec("update_parameters_with_rmsprop", "rmsprop",
                 st.tuples(network(states=1, nonnegative_states=(0,)), BETAS, LEARNING_RATES, EPSILONS).map(
                     lambda t: (*t[0], *t[1:])),
                 nb.update_parameters_with_rmsprop, dialect_rule="rmsprop", probes=(_probe_rmsprop(),),
                 invariants=(Invariant("beta2-zero", "RMSProp with beta2 = 0 steps by lr g / sqrt(g^2 + eps)",
                                       st.tuples(network(), LEARNING_RATES, EPSILONS).map(
                                           lambda t: (*t[0], *t[1:])), _rmsprop_beta2_zero),)),
    FunctionSpec("update_lr", "inverse-time decay", _schedules, nb.update_lr,
                 invariants=(Invariant("non-increasing", "equal to learning_rate0 at epoch 0 and "
                                       "non-increasing", st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 5.0),
                                       st.lists(st.integers(0, 100_000), min_size=2, max_size=5).map(sorted)),
                                       _decay_monotone("update_lr", False)),)),
    FunctionSpec("schedule_lr_decay", "staircase decay",
                 st.tuples(st.floats(0.0, 1.0), st.integers(0, 100_000), st.floats(0.0, 5.0),
                           st.integers(1, 2000)), nb.schedule_lr_decay,
                 invariants=(Invariant("non-increasing", "equal to learning_rate0 at epoch 0, non-increasing, "
                                       "constant within each interval",
                                       st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 5.0),
                                                 st.lists(st.integers(0, 100_000), min_size=2,
                                                          max_size=5).map(sorted), st.integers(2, 2000)),
                                       _decay_monotone("schedule_lr_decay", True)),)),
    FunctionSpec("sigmoid", "sigmoid", _z.map(lambda z: (z,)), nb.sigmoid,
                 invariants=(Invariant("symmetry", "sigmoid(-z) = 1 - sigmoid(z)", _z.map(lambda z: (z,)),
                                       _sigmoid_symmetry),)),
    FunctionSpec("relu", "relu", _z.map(lambda z: (z,)), nb.relu),
    FunctionSpec("sigmoid_backward", "sigmoid", _dA_Z, nb.sigmoid_backward,
                 invariants=(Invariant("finite-differences", "agrees with finite differences of sigmoid",
                                       arrays((3, 2), np.float64, 5.0).map(lambda z: (z,)),
                                       _finite_differences("sigmoid_backward", _forward_of("sigmoid"))),)),
    FunctionSpec("relu_backward", "relu", _with_zero_z, nb.relu_backward, dialect_rule="relu-grad",
                 probes=((np.array([[1.0, -2.0, 3.0]]), np.array([[0.0, 1.0, -1.0]])),),
                 invariants=(Invariant("finite-differences", "agrees with finite differences of relu away "
                                       "from 0", arrays((3, 2), np.float64, 5.0).filter(
                                           lambda z: bool(np.all(np.abs(z) > 1e-3))).map(lambda z: (z,)),
                                       _finite_differences("relu_backward", _forward_of("relu"))),)),
    FunctionSpec("tanh_backward", "tanh", _dA_Z, nb.tanh_backward,
                 invariants=(Invariant("finite-differences", "agrees with finite differences of tanh",
                                       arrays((3, 2), np.float64, 3.0).map(lambda z: (z,)),
                                       _finite_differences("tanh_backward", _forward_of("tanh"))),)),
    FunctionSpec("compute_cost", "cost", _costs, nb.compute_cost, dialect_rule="cost",
                 probes=((np.array([[0.8, 0.4, 0.9]]), np.array([[1, 0, 1]])),)),
    FunctionSpec("compute_cost_with_regularization", "cost",
                 st.tuples(three_layer(), st.floats(0.0, 5.0)).map(
                     lambda t: (nb.forward_propagation(t[0][0], t[0][2])[0], t[0][1], t[0][2], t[1])),
                 nb.compute_cost_with_regularization),
    FunctionSpec("forward_propagation", "network", three_layer().map(lambda t: (t[0], t[2])),
                 nb.forward_propagation, normalize=_first),
    FunctionSpec("backward_propagation", "network", _backward_args(False),
                 lambda X, Y, cache: _gradients_only(nb.backward_propagation(X, Y, cache)),
                 normalize=_gradients_only,
                 invariants=(Invariant("gradient-check", "agrees with finite differences of the cost",
                                       three_layer(), _backward_gradient_check),)),
    FunctionSpec("backward_propagation_with_regularization", "regularization", _backward_args(True),
                 lambda X, Y, cache, lambd: _gradients_only(
                     nb.backward_propagation_with_regularization(X, Y, cache, lambd)),
                 normalize=_gradients_only),
    FunctionSpec("forward_propagation_with_dropout", "dropout",
                 st.tuples(three_layer(), _KEEP).map(lambda t: (t[0][0], t[0][2], t[1])),
                 nb.forward_propagation_with_dropout, normalize=_first,
                 invariants=(Invariant("keep-prob-one", "dropout with keep_prob = 1 is the identity",
                                       three_layer(), _dropout_keep_one),)),
    FunctionSpec("backward_propagation_with_dropout", "dropout",
                 st.tuples(three_layer(), _KEEP).map(_dropout_backward_args),
                 lambda X, Y, cache, keep_prob: _gradients_only(
                     nb.backward_propagation_with_dropout(X, Y, cache, keep_prob)),
                 normalize=_gradients_only),
    FunctionSpec("initialize_parameters", "initialization", _dims.map(lambda d: (d,)), nb.initialize_parameters),
    FunctionSpec("initialize_parameters_zeros", "initialization", _dims.map(lambda d: (d,)),
                 nb.initialize_parameters_zeros),
    FunctionSpec("initialize_parameters_random", "initialization", _dims.map(lambda d: (d,)),
                 nb.initialize_parameters_random),
    FunctionSpec("initialize_parameters_he", "initialization", _dims.map(lambda d: (d,)),
                 nb.initialize_parameters_he),
    FunctionSpec("predict", "network", three_layer().map(lambda t: (t[0], t[1], t[2])), nb.predict),
    FunctionSpec("gradient_check", "gradient checking", st.tuples(st.just(1.0), st.just(1.0)),
                 nb.gradient_check, differential=False,
                 invariants=(Invariant("small-for-exact-gradient", "the relative difference is below 1e-7 "
                                       "for J = theta x", st.tuples(
                                           st.floats(-10, 10).filter(lambda x: abs(x) > 1e-3),
                                           st.floats(-10, 10)), _gradient_check_small),)),
    FunctionSpec("exponentially_weighted_averages", "averages",
                 st.tuples(st.lists(st.floats(-100, 100), min_size=1, max_size=30), BETAS, st.booleans()),
                 nb.exponentially_weighted_averages,
                 invariants=(Invariant("constant-sequence", "the bias-corrected average of a constant "
                                       "sequence is that constant",
                                       st.tuples(st.floats(-1e3, 1e3).filter(lambda c: c == 0 or abs(c) > 1e-30),
                                                 BETAS, st.integers(1, 40)), _ewa_constant),)),
)
