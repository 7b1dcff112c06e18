"""Protocol v1: the public per-array functions of :mod:`gradspec.reference` as language-neutral
*ops*, and how their arguments and results are written in JSON.

An op is named as the reference function and takes its parameters by name; a rule's state is
passed flat by its fields (``adam_step {w, g, v, s, t, learning_rate, beta1, beta2, epsilon}`` →
``{"w", "v", "s"}``). Values in JSON:

* an array is ``{"dtype": "float64" | "float32", "shape": [...], "data": [...]}``, ``data``
  flattened in C order, each number written so that it reads back exactly (the shortest ``repr``
  of the float64 value; a float32 value is exactly a float64 one), and the non-finite ones as
  ``"nan"``, ``"inf"``, ``"-inf"``;
* a hyperparameter or a scalar result is a JSON number; ``t`` and the schedules' epochs are
  integers or numbers as the op says; a list of arrays is a JSON list.

:data:`OPS` lists them; :func:`evaluate` runs one on the reference, in any dialect the op has.
The test vectors (:mod:`gradspec.conformance.vectors`) are written with these functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gradspec import reference as R
from gradspec.spec import dialects_of

__all__ = ["DTYPES", "OPS", "PROTOCOL", "SCHEMA_PATH", "Op", "decode", "encode", "evaluate"]

PROTOCOL = 1
#: The JSON Schema of one message, request or reply (``protocol.schema.json``, beside this module).
SCHEMA_PATH = Path(__file__).with_name("protocol.schema.json")
DTYPES = ("float64", "float32")


def encode(value: Any) -> Any:
    """A reference value (array, number, list or dict of them) as protocol JSON."""
    if isinstance(value, np.ndarray):
        if value.dtype.name not in DTYPES:
            raise TypeError(f"protocol v1 carries float64 and float32 arrays; got {value.dtype}")
        return {"dtype": value.dtype.name, "shape": list(value.shape),
                "data": [_number(float(x)) for x in value.ravel(order="C")]}
    if isinstance(value, np.floating | float):
        return _number(float(value))
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, str):
        return value
    raise TypeError(f"protocol v1 cannot carry a {type(value).__name__}")


def _number(x: float) -> float | str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _float(x: Any) -> float:
    if isinstance(x, str) and x in ("nan", "inf", "-inf"):
        return float(x)
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ValueError(f"not a protocol number: {x!r:.40}")
    return float(x)


def decode(value: Any) -> Any:
    """Protocol JSON back to NumPy: arrays as arrays of their dtype, numbers as floats (or ints)."""
    if isinstance(value, dict) and set(value) == {"dtype", "shape", "data"}:
        if value["dtype"] not in DTYPES:
            raise ValueError(f"an array's dtype must be one of {DTYPES}; got {value['dtype']!r:.40}")
        shape = value["shape"]
        if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
            raise ValueError("an array's shape must be a list of sizes")
        data = value["data"]
        if not isinstance(data, list) or len(data) != math.prod(shape):
            raise ValueError(f"an array of shape {shape} needs {math.prod(shape)} numbers in data")
        return np.array([_float(x) for x in data], dtype=np.float64).astype(value["dtype"]).reshape(shape)
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    return value


@dataclass(frozen=True)
class Op:
    """One op: its parameters (by name, in order), the fields of its result (``()``: the result is
    one value, an array or a number), the rule whose dialects it has (None: none), and how the
    reference computes it from decoded arguments in a dialect."""

    name: str
    params: tuple[str, ...]
    fields: tuple[str, ...]
    rule: str | None
    compute: Callable[[Mapping[str, Any], str | None], Any]

    @property
    def dialects(self) -> tuple[str, ...]:
        """The rule's dialects, canonical first (empty without a rule)."""
        return tuple(d.name for d in dialects_of(self.rule)) if self.rule else ()

    def rule_of(self, args: Mapping[str, Any]) -> str | None:
        """The rule with dialects that a call with ``args`` is judged on: ``trajectory``'s is the one
        its ``rule`` argument names (None for ``gd``, which has none), every other op's its own."""
        if self.name == "trajectory":
            return None if args["rule"] == "gd" else args["rule"]
        return self.rule


def _plain(function: Callable[..., Any], *positional: str) -> Callable[[Mapping[str, Any], str | None], Any]:
    def compute(args: Mapping[str, Any], dialect: str | None) -> Any:
        keywords = {k: v for k, v in args.items() if k not in positional}
        return function(*(args[p] for p in positional), **keywords)
    return compute


def _with_dialect(function: Callable[..., Any], *positional: str) -> Callable[[Mapping[str, Any], str | None], Any]:
    def compute(args: Mapping[str, Any], dialect: str | None) -> Any:
        keywords = {k: v for k, v in args.items() if k not in positional}
        if dialect is not None:
            keywords["dialect"] = dialect
        return function(*(args[p] for p in positional), **keywords)
    return compute


def _gd(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    return {"w": R.gd_step(args["w"], args["g"], learning_rate=args["learning_rate"])}


def _momentum(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.momentum_step(args["w"], args["g"], R.MomentumState(args["v"]), beta=args["beta"],
                               learning_rate=args["learning_rate"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "v": state.v}


def _rmsprop(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.rmsprop_step(args["w"], args["g"], R.RMSPropState(args["s"]), beta2=args["beta2"],
                              learning_rate=args["learning_rate"], epsilon=args["epsilon"],
                              **({"dialect": dialect} if dialect else {}))
    return {"w": w, "s": state.s}


def _adam(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.adam_step(args["w"], args["g"], R.AdamState(args["v"], args["s"]), t=args["t"],
                           learning_rate=args["learning_rate"], beta1=args["beta1"], beta2=args["beta2"],
                           epsilon=args["epsilon"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "v": state.v, "s": state.s}


def _nesterov(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.nesterov_step(args["w"], args["g"], R.MomentumState(args["v"]), beta=args["beta"],
                               learning_rate=args["learning_rate"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "v": state.v}


def _amsgrad(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.amsgrad_step(args["w"], args["g"], R.AMSGradState(args["v"], args["s"], args["s_max"]), t=args["t"],
                              learning_rate=args["learning_rate"], beta1=args["beta1"], beta2=args["beta2"],
                              epsilon=args["epsilon"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "v": state.v, "s": state.s, "s_max": state.s_max}


def _rmsprop_centered(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.rmsprop_centered_step(args["w"], args["g"], R.CenteredRMSPropState(args["s"], args["g_bar"]),
                                       beta2=args["beta2"], learning_rate=args["learning_rate"],
                                       epsilon=args["epsilon"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "s": state.s, "g_bar": state.g_bar}


def _rmsprop_momentum(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.rmsprop_momentum_step(args["w"], args["g"], R.RMSPropMomentumState(args["s"], args["v"]),
                                       beta2=args["beta2"], beta=args["beta"], learning_rate=args["learning_rate"],
                                       epsilon=args["epsilon"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "s": state.s, "v": state.v}


def _adagrad(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.adagrad_step(args["w"], args["g"], R.AdagradState(args["s"]), learning_rate=args["learning_rate"],
                              epsilon=args["epsilon"], **({"dialect": dialect} if dialect else {}))
    return {"w": w, "s": state.s}


def _adam_weight_decay(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    w, state = R.weight_decay_step(R.adam_step, args["w"], args["g"], R.AdamState(args["v"], args["s"]),
                                   weight_decay=args["weight_decay"], learning_rate=args["learning_rate"],
                                   schedule_multiplier=args["schedule_multiplier"], t=args["t"], beta1=args["beta1"],
                                   beta2=args["beta2"], epsilon=args["epsilon"],
                                   **({"weight_decay_dialect": dialect} if dialect else {}))
    return {"w": w, "v": state.v, "s": state.s}


#: protocol v1's trajectory: the course's four rules.
_TRAJECTORY_HYPERPARAMETERS = {rule: R.HYPERPARAMETERS[rule] for rule in ("gd", "momentum", "rmsprop", "adam")}


def _trajectory(args: Mapping[str, Any], dialect: str | None) -> dict[str, Any]:
    rule = args["rule"]
    hyperparameters = {k: args[k] for k in _TRAJECTORY_HYPERPARAMETERS[rule]}
    path = R.trajectory(rule, args["w"], args["grads"], learning_rate=args["learning_rate"], dialect=dialect,
                        **hyperparameters)
    return {"w": path}


def _op(name: str, params: str, fields: str, compute: Callable[[Mapping[str, Any], str | None], Any],
        rule: str | None = None) -> Op:
    return Op(name, tuple(params.split()), tuple(fields.split()), rule, compute)


#: Every op of protocol v1, by name.
OPS: dict[str, Op] = {op.name: op for op in (
    _op("gd_step", "w g learning_rate", "w", _gd),
    _op("momentum_step", "w g v beta learning_rate", "w v", _momentum, "momentum"),
    _op("rmsprop_step", "w g s beta2 learning_rate epsilon", "w s", _rmsprop, "rmsprop"),
    _op("adam_step", "w g v s t learning_rate beta1 beta2 epsilon", "w v s", _adam, "adam"),
    _op("trajectory", "rule w grads learning_rate", "w", _trajectory),
    # beyond the course
    _op("nesterov_step", "w g v beta learning_rate", "w v", _nesterov, "nesterov"),
    _op("amsgrad_step", "w g v s s_max t learning_rate beta1 beta2 epsilon", "w v s s_max", _amsgrad, "amsgrad"),
    _op("rmsprop_centered_step", "w g s g_bar beta2 learning_rate epsilon", "w s g_bar", _rmsprop_centered,
        "rmsprop-centered"),
    _op("rmsprop_momentum_step", "w g s v beta2 beta learning_rate epsilon", "w s v", _rmsprop_momentum,
        "rmsprop-momentum"),
    _op("adagrad_step", "w g s learning_rate epsilon", "w s", _adagrad, "adagrad"),
    _op("adam_weight_decay_step", "w g v s t learning_rate beta1 beta2 epsilon weight_decay schedule_multiplier",
        "w v s", _adam_weight_decay, "weight-decay"),
    _op("sigmoid", "z", "", _plain(R.sigmoid, "z")),
    _op("sigmoid_backward", "dA Z", "", _plain(R.sigmoid_backward, "dA", "Z")),
    _op("tanh", "z", "", _plain(R.tanh, "z")),
    _op("tanh_backward", "dA Z", "", _plain(R.tanh_backward, "dA", "Z")),
    _op("relu", "z", "", _plain(R.relu, "z")),
    _op("relu_grad", "z", "", _with_dialect(R.relu_grad, "z"), "relu-grad"),
    _op("relu_backward", "dA Z", "", _with_dialect(R.relu_backward, "dA", "Z"), "relu-grad"),
    _op("leaky_relu", "z alpha", "", _plain(R.leaky_relu, "z")),
    _op("leaky_relu_grad", "z alpha", "", _plain(R.leaky_relu_grad, "z")),
    _op("softmax", "z", "", _plain(R.softmax, "z")),
    _op("binary_cross_entropy", "a y", "", _plain(R.binary_cross_entropy, "a", "y")),
    _op("binary_cross_entropy_with_logits", "z y", "", _plain(R.binary_cross_entropy_with_logits, "z", "y")),
    _op("categorical_cross_entropy", "y_hat y", "", _plain(R.categorical_cross_entropy, "y_hat", "y")),
    _op("mean_squared_error", "y_hat y", "", _plain(R.mean_squared_error, "y_hat", "y")),
    _op("softmax_cross_entropy_grad", "y_hat y", "", _plain(R.softmax_cross_entropy_grad, "y_hat", "y")),
    _op("ewa_step", "v theta beta", "", _plain(R.ewa_step, "v", "theta")),
    _op("bias_correction", "v beta t", "", _plain(R.bias_correction, "v")),
    _op("inverse_time_decay", "learning_rate0 epoch_num decay_rate", "",
        _plain(R.inverse_time_decay, "learning_rate0", "epoch_num")),
    _op("staircase_decay", "learning_rate0 epoch_num decay_rate time_interval", "",
        _plain(R.staircase_decay, "learning_rate0", "epoch_num")),
    _op("exponential_decay", "learning_rate0 epoch_num k", "",
        _plain(R.exponential_decay, "learning_rate0", "epoch_num")),
    _op("exponential_staircase_decay", "learning_rate0 epoch_num k time_interval", "",
        _plain(R.exponential_staircase_decay, "learning_rate0", "epoch_num")),
    _op("inverse_sqrt_decay", "learning_rate0 epoch_num k", "",
        _plain(R.inverse_sqrt_decay, "learning_rate0", "epoch_num")),
)}


def evaluate(op: str, args: Mapping[str, Any], *, dialect: str | None = None) -> Any:
    """The reference's result of ``op`` on protocol ``args`` (JSON, as a client receives them), in
    ``dialect`` (the op's rule's; None: the canonical one), as protocol JSON."""
    spec = OPS[op]
    decoded = {name: decode(value) for name, value in args.items()}
    rule = spec.rule_of(decoded)
    if op == "trajectory" and dialect is None and rule is not None:
        dialect = dialects_of(rule)[0].name
    return encode(spec.compute(decoded, dialect))
