"""Optimization methods (seeds 000, 001, 002): mini-batches, gradient descent, momentum,
RMSProp, Adam, learning-rate decay, exponentially weighted averages, He initialization."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradspec.reference import notebook as nb
from gradspec.reference.course import optimization as ref

from ..compare import TOLERANCES, Mismatch, input_scale
from ..seeds import optimizer_test_case
from ._model import Call, Dialects, FunctionVersion, Invariant, first, first_three
from ._strategies import BETAS, EPSILONS, LEARNING_RATES, STEPS, close, network, uses_float32
from .initialization import dims_strategy, initialization_unseeded

ASSIGNMENT = "optimization"
TITLE = "Optimization methods"
#: Functions not every notebook of the assignment defines (the course's helper files, the
#: seeds' extras, functions of later course versions): never reported missing.
OPTIONAL = frozenset({"initialize_parameters", "exponentially_weighted_averages", "initialize_rmsprop",
                      "update_parameters_with_rmsprop", "update_lr", "schedule_lr_decay"})
#: The versions this assignment's helper files (planar_utils, reg_utils, gc_utils, opt_utils)
#: define, where they are another assignment's.
HELPERS = {"sigmoid": "logistic:sigmoid", "relu": "regularization:relu", "compute_cost": "deep:compute_cost",
           "forward_propagation": "regularization:forward_propagation",
           "backward_propagation": "regularization:backward_propagation", "predict": "regularization:predict"}


def _zero_gradient_gd(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    parameters, grads, lr = args
    zero = {k: np.zeros_like(g) for k, g in grads.items()}
    return close(parameters, call("update_parameters_with_gd", parameters, zero, lr), args)


def _momentum_beta_zero_is_gd(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    parameters, grads, v, lr = args
    result = call("update_parameters_with_momentum", parameters, grads, v, 0.0, lr)
    return close(nb.update_parameters_with_gd(parameters, grads, lr), first(result)[0], args,
                 path="result" + first(result)[1])


def _momentum_zero_gradient(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    parameters, grads, beta, lr = args
    zero = {k: np.zeros_like(g) for k, g in grads.items()}
    result = call("update_parameters_with_momentum", parameters, zero, nb.initialize_velocity(parameters),
                  beta, lr)
    return close(parameters, first(result)[0], args, path="result" + first(result)[1])


def _adam_first_step_bounded(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    parameters, grads, lr, beta1, beta2, epsilon = args
    v, s = nb.initialize_adam(parameters)
    result = call("update_parameters_with_adam", parameters, grads, v, s, 1, lr, beta1, beta2, epsilon)
    new, prefix = first(result)
    rtol, atol = TOLERANCES["float32" if uses_float32(args) else "float64"]
    scale = input_scale(args)
    for key, w in parameters.items():
        step = np.abs(np.asarray(new[key], dtype=np.float64) - w)
        limit = lr + rtol * (lr + np.abs(w)) + atol * scale  # the comparisons' tolerances
        if np.any(step > limit):
            worst = np.unravel_index(int(np.argmax(step - limit)), step.shape)
            return Mismatch("fail", f"result{prefix}[{key!r}]",
                            f"moved a coordinate by {float(step[worst]):.6g}, more than the learning rate "
                            f"{lr:g}", None, new[key])
    return None


def _rmsprop_beta2_zero(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    parameters, grads, lr, epsilon = args
    s = nb.initialize_rmsprop(parameters)
    result = call("update_parameters_with_rmsprop", parameters, grads, s, 0.0, lr, epsilon)
    expected, _ = nb.update_parameters_with_rmsprop(parameters, grads, s, 0.0, lr, epsilon,
                                                    dialect=dialects["rmsprop"])
    return close(expected, first(result)[0], args, path="result" + first(result)[1])


def _ewa_constant(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    c, beta, length = args
    result = np.asarray(call("exponentially_weighted_averages", [c] * length, beta, True), dtype=float)
    steps = np.arange(1, length + 1)
    tolerance = 1e-9 * (1 + beta**steps / (1 - beta**steps)) * max(abs(c), 1.0)
    if result.shape != (length,):
        return Mismatch("fail", "result", f"has shape {result.shape}, expected ({length},)", [c] * length, result)
    if np.any(np.abs(result - c) > tolerance):
        worst = int(np.argmax(np.abs(result - c)))
        return Mismatch("fail", "result", f"the bias-corrected average of {length} copies of {c!r} is not that "
                                          f"constant: entry {worst} is {result[worst]!r}", [c] * length, result)
    return None


def decay_monotone(name: str, interval: bool):
    def check(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
        lr0, rate, epochs = args[:3]
        extra = args[3:]
        at_zero = float(call(name, lr0, 0, rate, *extra))
        if not np.isclose(at_zero, lr0, rtol=1e-12, atol=0):
            return Mismatch("fail", "result", f"is {at_zero!r} at epoch 0, not learning_rate0 = {lr0!r}",
                            lr0, at_zero, source="float({call})")
        values = [float(call(name, lr0, e, rate, *extra)) for e in epochs]
        every = "[" + ", ".join(f"float(call_{i})" for i in range(2, len(epochs) + 2)) + "]"  # calls 2 .. n + 1
        for (e1, a), (e2, b) in pairwise(zip(epochs, values, strict=True)):
            if b > a * (1 + 1e-12):
                return Mismatch("fail", "result", f"increases from {a!r} at epoch {e1} to {b!r} at epoch {e2}",
                                None, values, source=every)
        if interval:
            (time_interval,) = extra
            start = (epochs[0] // time_interval) * time_interval
            inside = sorted({float(call(name, lr0, e, rate, time_interval))
                             for e in (start, start + time_interval // 2, start + time_interval - 1)})
            if len(inside) != 1:
                last = len(epochs) + 2  # the interval's three calls come after those
                gathered = "sorted(set([" + ", ".join(f"float(call_{i})" for i in range(last, last + 3)) + "]))"
                return Mismatch("fail", "result", f"changes within the interval of {time_interval} epochs "
                                f"starting at epoch {start}: {inside}", None, inside, source=gathered)
        return None
    return check


def mini_batch_partition(call: Call, args: tuple, dialects: Dialects) -> Mismatch | None:
    """The batches partition the examples: floor(m/size) full batches, then the remainder."""
    X, Y, size = args[:3]
    m = X.shape[1]
    batches = call("random_mini_batches", *args)
    try:
        xs = [np.asarray(b[0]) for b in batches]
        ys = [np.asarray(b[1]) for b in batches]
    except Exception:
        return Mismatch("fail", "result", f"is a {type(batches).__name__}, not a list of (mini_batch_X, "
                                          "mini_batch_Y) pairs")
    sizes = [x.shape[1] if x.ndim == 2 else -1 for x in xs]
    expected_sizes = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected_sizes:
        return Mismatch("fail", "result", f"has {len(sizes)} batches of sizes {sizes}; m = {m} examples in "
                        f"batches of {size} make floor(m/size) = {m // size} full batches and the remainder: "
                        f"{expected_sizes}", expected_sizes, sizes,
                        source="[np.shape(batch[0])[1] if np.ndim(batch[0]) == 2 else -1 for batch in {call}]")
    columns = np.concatenate(xs, axis=1)[0].astype(int)
    labels = np.concatenate(ys, axis=1)[0]
    if sorted(columns) != list(range(m)):
        return Mismatch("fail", "result", f"does not partition the {m} examples: {m - len(set(columns))} "
                                          "are missing or repeated")
    if not np.array_equal(labels, Y[0, columns]):
        return Mismatch("fail", "result", "separates an example's X column from its Y label")
    return None


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


def _mini_batch_inputs(seeded: bool) -> st.SearchStrategy[tuple]:
    return st.integers(1, 150).flatmap(lambda m: st.tuples(
        st.just(np.arange(2 * m, dtype=np.float64).reshape(2, m)),
        hnp.arrays(np.int64, (1, m), elements=st.integers(0, 1)),
        st.integers(1, 70), *([st.integers(0, 2**32 - 1)] if seeded else [])))


def _mini_batches_version(seeded: bool) -> FunctionVersion:
    inputs = _mini_batch_inputs(seeded)
    params = ("X", "Y", "mini_batch_size", "seed") if seeded else ("X", "Y", "mini_batch_size")
    summary = ("shuffled by np.random.seed(seed)'s permutation" if seeded else
               "no seed parameter: shuffled by np.random.seed(0)'s permutation")
    partition = Invariant("partition", "the batches partition the examples, each X column keeps its Y label, "
                          "floor(m/size) full batches plus the remainder", inputs, mini_batch_partition)
    return FunctionVersion(
        "random_mini_batches", ASSIGNMENT, params, "mini-batches", inputs,
        ref.random_mini_batches if seeded else ref.random_mini_batches_no_seed, summary,
        variant="" if seeded else "no-seed", dialect_rule="rng", invariants=(partition,),
        pinned=("mini-batches", "mini-batch-sanity-check"), unseeded=partition)


_gd_inputs = st.tuples(network(), LEARNING_RATES).map(lambda t: (*t[0], t[1]))
_network_param = network().map(lambda t: (t[0],))
_schedules = st.tuples(st.floats(0.0, 1.0), st.integers(0, 100_000), st.floats(0.0, 5.0))

VERSIONS: tuple[FunctionVersion, ...] = (
    FunctionVersion("update_parameters_with_gd", ASSIGNMENT, ("parameters", "grads", "learning_rate"), "gd",
                    _gd_inputs, ref.update_parameters_with_gd, "one gradient-descent step on every layer",
                    pinned=("gd",),
                    invariants=(Invariant("zero-gradient", "a zero gradient leaves the parameters unchanged",
                                          _gd_inputs, _zero_gradient_gd),)),
    _mini_batches_version(seeded=True),
    _mini_batches_version(seeded=False),
    FunctionVersion("initialize_velocity", ASSIGNMENT, ("parameters",), "momentum", _network_param,
                    ref.initialize_velocity, "zero velocities like the parameters", pinned=("zero-initializations",)),
    FunctionVersion("update_parameters_with_momentum", ASSIGNMENT,
                    ("parameters", "grads", "v", "beta", "learning_rate"), "momentum",
                    st.tuples(network(states=1), BETAS, LEARNING_RATES).map(lambda t: (*t[0], *t[1:])),
                    ref.update_parameters_with_momentum, "one momentum step, returns (parameters, v)",
                    dialect_rule="momentum", probes=(_probe_momentum(),), pinned=("momentum",),
                    steps=("velocity", "update"),  # not a fresh optimizer's first velocity
                    invariants=(
                        Invariant("beta-zero-is-gd", "momentum with beta = 0 is gradient descent",
                                  st.tuples(network(states=1), LEARNING_RATES).map(lambda t: (*t[0], t[1])),
                                  _momentum_beta_zero_is_gd),
                        Invariant("zero-gradient", "a zero gradient from zero velocity leaves the parameters",
                                  st.tuples(network(), BETAS, LEARNING_RATES).map(lambda t: (*t[0], *t[1:])),
                                  _momentum_zero_gradient),
                    )),
    FunctionVersion("initialize_adam", ASSIGNMENT, ("parameters",), "adam", _network_param, ref.initialize_adam,
                    "zero first and second moments (v, s)", pinned=("zero-initializations",)),
    FunctionVersion("update_parameters_with_adam", ASSIGNMENT,
                    ("parameters", "grads", "v", "s", "t", "learning_rate", "beta1", "beta2", "epsilon"), "adam",
                    _adam_inputs, ref.update_parameters_with_adam,
                    "one Adam step, returns (parameters, v, s) (newer versions add v_corrected, s_corrected)",
                    dialect_rule="adam", read=first_three, probes=(_probe_adam_000(), _probe_adam_hat()),
                    pinned=("adam-000", "adam-001"),
                    invariants=(Invariant("first-step-bounded", "Adam's first step moves each coordinate by at "
                                          "most the learning rate",
                                          st.tuples(network(), LEARNING_RATES, BETAS, BETAS, EPSILONS).map(
                                              lambda t: (*t[0], *t[1:])), _adam_first_step_bounded,
                                          holds_for={"adam": ("eps-outside", "eps-inside", "eps-hat")}),)),
    FunctionVersion("initialize_rmsprop", ASSIGNMENT, ("parameters",), "rmsprop", _network_param,
                    ref.initialize_rmsprop, "zero averages of squared gradients"),
    FunctionVersion("update_parameters_with_rmsprop", ASSIGNMENT,
                    ("parameters", "grads", "s", "beta2", "learning_rate", "epsilon"), "rmsprop",
                    st.tuples(network(states=1, nonnegative_states=(0,)), BETAS, LEARNING_RATES, EPSILONS).map(
                        lambda t: (*t[0], *t[1:])),
                    ref.update_parameters_with_rmsprop, "one RMSProp step, returns (parameters, s)",
                    dialect_rule="rmsprop", probes=(_probe_rmsprop(),),
                    invariants=(Invariant("beta2-zero", "RMSProp with beta2 = 0 steps by lr g / sqrt(g^2 + eps) "
                                          "(eps-outside: lr g / (|g| + eps))",
                                          st.tuples(network(), LEARNING_RATES, EPSILONS).map(
                                              lambda t: (*t[0], *t[1:])), _rmsprop_beta2_zero),)),
    FunctionVersion("update_lr", ASSIGNMENT, ("learning_rate0", "epoch_num", "decay_rate"), "inverse-time decay",
                    _schedules, ref.update_lr, "inverse-time decay, learning_rate0 / (1 + decay_rate epoch)",
                    pinned=("learning-rate-prints", "inverse-time-table"),
                    invariants=(Invariant("non-increasing", "equal to learning_rate0 at epoch 0 and non-increasing",
                                          st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 5.0),
                                                    st.lists(st.integers(0, 100_000), min_size=2,
                                                             max_size=5).map(sorted)),
                                          decay_monotone("update_lr", False)),)),
    FunctionVersion("schedule_lr_decay", ASSIGNMENT,
                    ("learning_rate0", "epoch_num", "decay_rate", "time_interval"), "staircase decay",
                    st.tuples(st.floats(0.0, 1.0), st.integers(0, 100_000), st.floats(0.0, 5.0),
                              st.integers(1, 2000)), ref.schedule_lr_decay,
                    "staircase decay, learning_rate0 / (1 + decay_rate floor(epoch / time_interval))",
                    pinned=("learning-rate-prints",),
                    invariants=(Invariant("non-increasing", "equal to learning_rate0 at epoch 0, non-increasing, "
                                          "constant within each interval",
                                          st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 5.0),
                                                    st.lists(st.integers(0, 100_000), min_size=2,
                                                             max_size=5).map(sorted), st.integers(2, 2000)),
                                          decay_monotone("schedule_lr_decay", True)),)),
    FunctionVersion("exponentially_weighted_averages", ASSIGNMENT, ("theta", "beta", "bias_correction"),
                    "averages", st.tuples(st.lists(st.floats(-100, 100), min_size=1, max_size=30), BETAS,
                                          st.booleans()),
                    ref.exponentially_weighted_averages, "v_1 .. v_T of an exponentially weighted average",
                    pinned=("ewa-temperature",),
                    invariants=(Invariant("constant-sequence", "the bias-corrected average of a constant "
                                          "sequence is that constant",
                                          st.tuples(st.floats(-1e3, 1e3).filter(lambda c: c == 0 or abs(c) > 1e-30),
                                                    BETAS, st.integers(1, 40)), _ewa_constant),)),
    FunctionVersion("initialize_parameters", ASSIGNMENT, ("layer_dims",), "initialization",
                    dims_strategy, ref.initialize_parameters,
                    "He weights randn * sqrt(2 / n[l-1]) from np.random.seed(3)", variant="he",
                    dialect_rule="rng", unseeded=initialization_unseeded("initialize_parameters", "he")),
)
