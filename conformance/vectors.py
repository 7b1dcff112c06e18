"""Test vectors: ``gradspec vectors export DIR`` writes ``DIR/<op>.json`` for every protocol op.

For implementations where starting a subprocess is awkward (a GPU kernel's unit tests, an embedded
target), the cases gradspec would send through ``--exec`` are written down, in the spirit of
Project Wycheproof: language-neutral JSON, a schema (``vectors.schema.json``, shipped beside this
module), a generator version, an id per case and a comment saying why the case exists. Each file::

    {"op": ..., "schema": "gradspec-vectors-v1", "generatorVersion": ..., "gradspecVersion": ...,
     "notes": {"rule/name": description, ...},
     "tests": [{"tcId": 1, "comment": ..., "args": {...}, "expected": ...,
                "dialects": {"rule/name": result, ...}, "tolerance": {"rtol": ..., "atol": ...}}]}

``args``, ``expected`` and the results are protocol v1 values (:mod:`gradspec.conformance.protocol`);
``expected`` is the canonical dialect's result, and ``dialects`` holds each other dialect's result
where it is told apart from ``expected`` (beyond the tolerance). The cases are the ones that matter:
a probe on which the rule's dialects part, the edges of the hyperparameters' domains, a typical
call, each in float64 and float32. An entry passes when ``|actual - expected| <= rtol * |expected| +
atol * scale``, ``scale`` being the largest magnitude among the case's array inputs, at least 1 (as
``gradspec verify`` compares). The files are deterministic: the same gradspec version writes the
same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from gradspec.spec import dialect as spec_dialect
from gradspec.spec import dialects_of

from .compare import TOLERANCES
from .protocol import DTYPES, OPS, encode, evaluate
from .protocol import SCHEMA_PATH as PROTOCOL_SCHEMA_PATH

__all__ = ["GENERATOR_VERSION", "SCHEMA", "SCHEMA_PATH", "cases", "check", "export", "vectors"]

SCHEMA = "gradspec-vectors-v1"
#: Raised whenever the cases change, so that a file says which set it holds.
GENERATOR_VERSION = "3"
SCHEMA_PATH = Path(__file__).with_name("vectors.schema.json")

Case = tuple[str, dict[str, Any]]  # (comment, args as reference values)


def _a(values: Any, dtype: str) -> np.ndarray:
    return np.array(values, dtype=np.float64).astype(dtype)


_W = [[0.5, -1.25, 2.0], [-0.75, 0.0, 3.5]]
_G = [[0.1, -0.2, 0.3], [-0.4, 0.05, 0.6]]
_V = [[0.01, -0.02, 0.03], [-0.04, 0.005, 0.06]]
_S = [[0.001, 0.004, 0.009], [0.016, 0.0025, 0.036]]


def _optimizer_cases(op: str, dtype: str) -> Iterator[Case]:
    w, g, v, s = (_a(x, dtype) for x in (_W, _G, _V, _S))
    one, zero = _a([1.0], dtype), _a([0.0], dtype)
    if op == "gd_step":
        yield "a typical step", {"w": w, "g": g, "learning_rate": 0.01}
        yield "learning rate 0: w is unchanged", {"w": w, "g": g, "learning_rate": 0.0}
        yield "large gradients", {"w": w, "g": g * 1e6, "learning_rate": 0.5}
    elif op == "momentum_step":
        yield ("probe: ema, heavy-ball and lr-inside part (beta 0.5, g 1, v 0.5)",
               {"w": one, "g": one, "v": _a([0.5], dtype), "beta": 0.5, "learning_rate": 0.5})
        yield "a typical step", {"w": w, "g": g, "v": v, "beta": 0.9, "learning_rate": 0.01}
        yield "beta 0 (the domain's edge): the velocity is the gradient", {
            "w": w, "g": g, "v": v, "beta": 0.0, "learning_rate": 0.01}
        yield "the first step, from v = 0", {"w": w, "g": g, "v": np.zeros_like(w), "beta": 0.9,
                                              "learning_rate": 0.01}
    elif op == "rmsprop_step":
        yield ("probe: eps inside and outside the root part (beta2 0.5, eps 0.25, g 1)",
               {"w": one, "g": one, "s": zero, "beta2": 0.5, "learning_rate": 0.5, "epsilon": 0.25})
        yield "a typical step", {"w": w, "g": g, "s": s, "beta2": 0.9, "learning_rate": 0.01, "epsilon": 1e-8}
        yield "tiny gradients from s = 0: epsilon decides the step", {
            "w": w, "g": g * 1e-6, "s": np.zeros_like(w), "beta2": 0.9, "learning_rate": 0.01, "epsilon": 1e-8}
        yield "beta2 0 (the domain's edge)", {"w": w, "g": g, "s": s, "beta2": 0.0, "learning_rate": 0.01,
                                               "epsilon": 1e-8}
    elif op == "adam_step":
        yield ("probe: the four dialects part (t 1, beta1 0.5, beta2 0.9, eps 0.25, g 1)",
               {"w": one, "g": one, "v": zero, "s": zero, "t": 1, "learning_rate": 0.5, "beta1": 0.5,
                "beta2": 0.9, "epsilon": 0.25})
        yield "a typical step at t = 3", {"w": w, "g": g, "v": v, "s": s, "t": 3, "learning_rate": 0.001,
                                          "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
        yield "the first step, tiny gradients: epsilon decides the step", {
            "w": w, "g": g * 1e-6, "v": np.zeros_like(w), "s": np.zeros_like(w), "t": 1, "learning_rate": 0.001,
            "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
        yield "betas 0 (the domain's edge): v = g, s = g squared", {
            "w": w, "g": g, "v": v, "s": s, "t": 1, "learning_rate": 0.01, "beta1": 0.0, "beta2": 0.0,
            "epsilon": 1e-8}
        yield "a late step (t = 10000): the bias corrections are almost 1", {
            "w": w, "g": g, "v": v, "s": s, "t": 10000, "learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999,
            "epsilon": 1e-8}
    elif op == "nesterov_step":
        yield ("probe: lr-outside and lr-inside part (beta 0.5, g 1, v 0.5)",
               {"w": one, "g": one, "v": _a([0.5], dtype), "beta": 0.5, "learning_rate": 0.5})
        yield "a typical step", {"w": w, "g": g, "v": v, "beta": 0.9, "learning_rate": 0.01}
        yield "beta 0 (the domain's edge): gradient descent", {"w": w, "g": g, "v": v, "beta": 0.0,
                                                               "learning_rate": 0.01}
    elif op == "amsgrad_step":
        yield ("probe: the two maxima part where s falls (t 2, s_max 0.1, g 0.1)",
               {"w": one, "g": _a([0.1], dtype), "v": _a([0.5], dtype), "s": _a([0.1], dtype),
                "s_max": _a([0.1], dtype), "t": 2, "learning_rate": 0.5, "beta1": 0.5, "beta2": 0.9, "epsilon": 0.25})
        yield "the first step, from zero: Adam's", {
            "w": w, "g": g, "v": np.zeros_like(w), "s": np.zeros_like(w), "s_max": np.zeros_like(w), "t": 1,
            "learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
        yield "a typical step at t = 3", {"w": w, "g": g, "v": v, "s": s, "s_max": s * 2, "t": 3,
                                          "learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    elif op == "rmsprop_centered_step":
        yield ("probe: the three epsilons part (beta2 0.5, eps 0.25, g 2 from rest: s - g_bar^2 = 1)",
               {"w": one, "g": _a([2.0], dtype), "s": zero, "g_bar": zero, "beta2": 0.5, "learning_rate": 0.5,
                "epsilon": 0.25})
        yield "a typical step", {"w": w, "g": g, "s": s * 10, "g_bar": v, "beta2": 0.9, "learning_rate": 0.01,
                                 "epsilon": 1e-8}
    elif op == "rmsprop_momentum_step":
        yield ("probe: the four forms part (beta2 0.5, beta 0.5, eps 0.25, g 1, v 0.5, learning rate 0.5)",
               {"w": one, "g": one, "s": zero, "v": _a([0.5], dtype), "beta2": 0.5, "beta": 0.5, "learning_rate": 0.5,
                "epsilon": 0.25})
        yield "a typical step", {"w": w, "g": g, "s": s, "v": v, "beta2": 0.9, "beta": 0.9, "learning_rate": 0.01,
                                 "epsilon": 1e-8}
        yield "beta 0 (the domain's edge): RMSProp's step", {
            "w": w, "g": g, "s": s, "v": v, "beta2": 0.9, "beta": 0.0, "learning_rate": 0.01, "epsilon": 1e-8}
    elif op == "adagrad_step":
        # One step cannot show where the sum started (the start-tenth dialects take the same steps):
        # trajectory or a fresh optimizer does.
        yield ("probe: epsilon inside and outside the root part (eps 0.25, g 1 from s = 0)",
               {"w": one, "g": one, "s": zero, "learning_rate": 0.5, "epsilon": 0.25})
        yield "a typical step", {"w": w, "g": g, "s": s, "learning_rate": 0.01, "epsilon": 1e-10}
        yield "the first step from s = 0: almost a sign step", {
            "w": w, "g": g, "s": np.zeros_like(w), "learning_rate": 0.01, "epsilon": 1e-10}
    elif op == "adam_weight_decay_step":
        yield ("probe: l2, lr-scaled and the paper's form part (t 1, lambda 0.1, multiplier 0.5, g 1)",
               {"w": one, "g": one, "v": zero, "s": zero, "t": 1, "learning_rate": 0.5, "beta1": 0.5, "beta2": 0.9,
                "epsilon": 0.25, "weight_decay": 0.1, "schedule_multiplier": 0.5})
        yield "a typical step at t = 3", {"w": w, "g": g, "v": v, "s": s, "t": 3, "learning_rate": 0.001,
                                          "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 0.01,
                                          "schedule_multiplier": 1.0}
        yield "weight decay 0: Adam's step in every form", {
            "w": w, "g": g, "v": v, "s": s, "t": 3, "learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999,
            "epsilon": 1e-8, "weight_decay": 0.0, "schedule_multiplier": 0.5}


_HYPERPARAMETERS = {"gd": {}, "momentum": {"beta": 0.5}, "rmsprop": {"beta2": 0.5, "epsilon": 0.25},
                    "adam": {"beta1": 0.5, "beta2": 0.9, "epsilon": 0.25}}


def _trajectory_cases(dtype: str) -> Iterator[Case]:
    w = _a([1.0, -2.0], dtype)
    grads = [_a([1.0, 0.5], dtype), _a([1.0, -0.25], dtype), _a([-0.5, 2.0], dtype)]
    for rule, hyperparameters in _HYPERPARAMETERS.items():
        yield (f"{rule}: three steps from a fresh state, one learning rate",
               {"rule": rule, "w": w, "grads": grads, "learning_rate": 0.5, **hyperparameters})
        why = " (where momentum's lr-inside parts from heavy-ball)" if rule == "momentum" else ""
        yield (f"{rule}: three steps from a fresh state, the learning rate halved at each step{why}",
               {"rule": rule, "w": w, "grads": grads, "learning_rate": [0.5, 0.25, 0.125], **hyperparameters})


_Z = [-1000.0, -20.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 20.0, 1000.0]
_DA = [0.5, -1.0, 2.0, 1.0, -0.5, 0.25, 1.5, -2.0, 1.0]


def _elementwise_cases(op: str, dtype: str) -> Iterator[Case]:
    z, dA = _a([_Z], dtype), _a([_DA], dtype)
    edges = "from -1000 to 1000, through 0 and ±1e-8 (overflow and cancellation)"
    # The limits at -inf and inf, and nan carried through (the activations themselves: a gradient
    # at nan is not a limit of anything).
    infinite, nan = _a([[-np.inf, np.inf]], dtype), _a([[-np.inf, np.inf, np.nan]], dtype)
    limits, carried = "-inf and inf: the limits", "-inf, inf and nan: the limits, and nan carried through"
    if op in ("sigmoid", "tanh", "relu"):
        yield f"z {edges}", {"z": z}
        yield f"z = {carried}", {"z": nan}
    elif op == "relu_grad":
        yield f"z {edges}", {"z": z}
        yield f"z = {limits}", {"z": infinite}
    elif op in ("leaky_relu", "leaky_relu_grad"):
        yield f"z {edges}, alpha 0.01", {"z": z, "alpha": 0.01}
        yield "alpha 0 (ReLU) and 1 (the identity), the domain's edges", {"z": z, "alpha": 0.0}
        if op == "leaky_relu":
            yield f"z = {carried}, alpha 0.01", {"z": nan, "alpha": 0.01}
        else:
            yield f"z = {limits}, alpha 0.01", {"z": infinite, "alpha": 0.01}
    elif op in ("sigmoid_backward", "tanh_backward", "relu_backward"):
        yield f"Z {edges}", {"dA": dA, "Z": z}
        yield f"Z = {limits}", {"dA": _a([[0.5, -2.0]], dtype), "Z": infinite}
    elif op == "softmax":
        yield "columns with large entries (1000) and ties", {"z": _a([[1000.0, 1.0, 0.0], [999.0, 1.0, 0.0],
                                                                       [0.0, 1.0, 0.0]], dtype)}
        yield "seed 003's example (1.2, 0.9, 0.4)", {"z": _a([[1.2], [0.9], [0.4]], dtype)}


def _loss_cases(op: str, dtype: str) -> Iterator[Case]:
    if op == "binary_cross_entropy":
        yield "a near 0 and 1, where the log is steep", {"a": _a([[1e-7, 0.5, 1 - 1e-7, 0.9]], dtype),
                                                         "y": _a([[0.0, 1.0, 1.0, 0.0]], dtype)}
        yield "seed 001's cost at zero parameters (a = 0.5)", {"a": _a([[0.5, 0.5, 0.5]], dtype),
                                                               "y": _a([[1.0, 0.0, 1.0]], dtype)}
    elif op == "binary_cross_entropy_with_logits":
        yield "logits from -1000 to 1000 (no overflow)", {"z": _a([[-1000.0, -1.0, 0.0, 1.0, 1000.0]], dtype),
                                                          "y": _a([[0.0, 1.0, 1.0, 0.0, 1.0]], dtype)}
    elif op in ("categorical_cross_entropy", "softmax_cross_entropy_grad"):
        yield "two examples over three classes", {"y_hat": _a([[0.7, 0.1], [0.2, 0.3], [0.1, 0.6]], dtype),
                                                  "y": _a([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]], dtype)}
    elif op == "mean_squared_error":
        yield "four examples", {"y_hat": _a([[0.5, 1.0, -2.0, 3.0]], dtype), "y": _a([[0.0, 1.0, 2.0, 2.5]], dtype)}


def _average_cases(op: str, dtype: str) -> Iterator[Case]:
    v, theta = _a([0.0, 4.0, 8.5], dtype), _a([40.0, 49.0, 45.0], dtype)
    if op == "ewa_step":
        yield "seed 003's temperatures, beta 0.9", {"v": v, "theta": theta, "beta": 0.9}
        yield "beta 0 (the domain's edge): v is theta", {"v": v, "theta": theta, "beta": 0.0}
    elif op == "bias_correction":
        yield "t = 1, where the correction is largest", {"v": _a([4.0, 0.1], dtype), "beta": 0.9, "t": 1}
        yield "t = 50 with beta 0.98", {"v": _a([4.0, 0.1], dtype), "beta": 0.98, "t": 50}


def _schedule_cases(op: str) -> Iterator[Case]:
    for epoch in (0, 1, 999, 1000, 1500, 2000):
        args: dict[str, Any] = {"learning_rate0": 0.2, "epoch_num": epoch}
        if op == "inverse_time_decay":
            args["decay_rate"] = 1.0
        elif op == "staircase_decay":
            args.update(decay_rate=1.0, time_interval=1000)
        elif op == "exponential_decay":
            args["k"] = 0.95
        elif op == "exponential_staircase_decay":
            args.update(k=0.5, time_interval=1000)
        elif op == "inverse_sqrt_decay":
            if epoch == 0:
                continue  # k / sqrt(0) is outside the domain
            args["k"] = 1.0
        yield f"epoch {epoch}" + (" (a step of the staircase)" if epoch in (1000, 2000) else ""), args


def cases(op: str) -> list[tuple[str, str, dict[str, Any]]]:
    """``(dtype, comment, args)`` for ``op``: every case its vectors hold, float64 then float32
    (the schedules take no arrays: they are listed once, as float64)."""
    out = []
    if op.endswith("_decay"):
        return [("float64", comment, args) for comment, args in _schedule_cases(op)]
    for dtype in DTYPES:
        if op == "trajectory":
            found = _trajectory_cases(dtype)
        elif op.endswith("_step") and op != "ewa_step":
            found = _optimizer_cases(op, dtype)
        elif op in ("ewa_step", "bias_correction"):
            found = _average_cases(op, dtype)
        elif op in ("binary_cross_entropy", "binary_cross_entropy_with_logits", "categorical_cross_entropy",
                    "mean_squared_error", "softmax_cross_entropy_grad"):
            found = _loss_cases(op, dtype)
        else:
            found = _elementwise_cases(op, dtype)
        out += [(dtype, f"{comment} ({dtype})", args) for comment, args in found]
    return out


def _scale(args: dict[str, Any]) -> float:
    arrays = [a for v in args.values() for a in (v if isinstance(v, list) else [v]) if isinstance(a, np.ndarray)]
    return max([1.0, *(float(np.max(np.abs(a))) for a in arrays if a.size)])


def _told_apart(expected: Any, other: Any, rtol: float, atol: float, scale: float) -> bool:
    if isinstance(expected, dict) and "data" in expected:
        return expected["shape"] != other["shape"] or _told_apart(expected["data"], other["data"], rtol, atol, scale)
    if isinstance(expected, dict) and isinstance(other, dict):
        return any(_told_apart(expected[k], other[k], rtol, atol, scale) for k in expected)
    if isinstance(expected, list) and isinstance(other, list):
        return len(expected) != len(other) or any(_told_apart(a, b, rtol, atol, scale)
                                                  for a, b in zip(expected, other, strict=True))
    a, b = float(expected), float(other)
    if a != a or b != b:  # nan
        return (a != a) != (b != b)
    if math.isinf(a) or math.isinf(b):  # an infinity is only itself
        return a != b
    return not abs(a - b) <= rtol * abs(a) + atol * scale


def _dialects_of_case(op: str, args: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    rule = OPS[op].rule_of(args)
    return (rule, tuple(d.name for d in dialects_of(rule))) if rule else (None, ())


def vectors(op: str) -> dict[str, Any]:
    """The vectors file of ``op``, as a dict (see the module's docstring)."""
    from gradspec import __version__

    tests, notes = [], {}
    for number, (dtype, comment, args) in enumerate(cases(op), start=1):
        protocol_args = encode(args)
        expected = evaluate(op, protocol_args)
        rtol, atol = TOLERANCES[dtype]
        rule, names = _dialects_of_case(op, args)
        others = {}
        for name in names[1:]:
            result = evaluate(op, protocol_args, dialect=name)
            if _told_apart(expected, result, rtol, atol, _scale(args)):
                others[f"{rule}/{name}"] = result
        for name in names:
            dialect = spec_dialect(f"{rule}/{name}")
            notes[dialect.id] = dialect.summary + (" (canonical: expected)" if dialect.canonical else "")
        tests.append({"tcId": number, "comment": comment, "args": protocol_args, "expected": expected,
                      "dialects": others, "tolerance": {"rtol": rtol, "atol": atol}})
    return {"op": op, "schema": SCHEMA, "generatorVersion": GENERATOR_VERSION, "gradspecVersion": __version__,
            "notes": dict(sorted(notes.items())), "tests": tests}


def export(directory: Path) -> list[Path]:
    """Write ``directory/<op>.json`` for every op, and beside them the vectors' schema and protocol v1's
    (``vectors.schema.json``, ``protocol.schema.json``); the paths written, the schemas last."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for op in OPS:
        path = directory / f"{op}.json"
        path.write_text(json.dumps(vectors(op), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    schemas = []
    for source in (SCHEMA_PATH, PROTOCOL_SCHEMA_PATH):  # the files' schema, and the messages'
        schemas.append(directory / source.name)
        schemas[-1].write_bytes(source.read_bytes())
    return [*written, *schemas]


# --- checking a client against the files -------------------------------------------------------------

def _agrees(expected: Any, actual: Any, rtol: float, atol: float, scale: float) -> bool:
    """``actual`` is ``expected`` within the vectors' tolerance (same structure, shapes and dtypes)."""
    if isinstance(expected, dict) and "data" in expected:
        return (isinstance(actual, dict) and actual.get("dtype") == expected["dtype"]
                and actual.get("shape") == expected["shape"] and isinstance(actual.get("data"), list)
                and len(actual["data"]) == len(expected["data"])
                and not _told_apart(expected["data"], actual["data"], rtol, atol, scale))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _agrees(v, actual[k], rtol, atol, scale)
                                                for k, v in expected.items())
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(_agrees(e, a, rtol, atol, scale) for e, a in zip(expected, actual, strict=True)))
    try:
        return not _told_apart(expected, actual, rtol, atol, scale)
    except (TypeError, ValueError):
        return False


def _json_scale(args: dict[str, Any]) -> float:
    numbers = [abs(float(x)) for v in args.values() for a in (v if isinstance(v, list) else [v])
               if isinstance(a, dict) and "data" in a for x in a["data"] if not isinstance(x, str)]
    return max([1.0, *numbers])


def _difference(expected: Any, actual: Any, path: str) -> str:
    """Where ``actual`` first departs from ``expected`` in kind, dtype or shape, else that its values do."""
    if isinstance(expected, dict) and "data" in expected:
        if not isinstance(actual, dict) or "data" not in actual:
            return f"{path} is not an array"
        for key in ("dtype", "shape"):
            if actual.get(key) != expected[key]:
                return f"{path} has {key} {json.dumps(actual.get(key))} where {json.dumps(expected[key])} is expected"
        return f"{path}'s values differ"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path} is not an object"
        for key in expected:
            if key not in actual:
                return f"{path} has no {key!r}"
        for key, value in expected.items():
            why = _difference(value, actual[key], f"{path}[{key!r}]")
            if not why.endswith("values differ"):
                return why
        return f"{path}'s values differ"
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path} is not a list of {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            why = _difference(e, a, f"{path}[{i}]")
            if not why.endswith("values differ"):
                return why
    return f"{path}'s values differ"


def data_rules(data: dict[str, Any]) -> set[str]:
    """The rules whose dialects a vectors file names (its ``notes``)."""
    return {d.split("/", 1)[0] for d in data["notes"]}


def check(directory: Path, command: str, *, options: dict[str, Any], dialects: dict[str, str]) -> list[Any]:
    """Run every vectors file in ``directory`` against the protocol v1 client ``command`` (no
    Hypothesis): one :class:`~gradspec.conformance.report.FunctionResult` per op, ``pass`` when
    every case matches ``expected`` (or the ``--dialect`` declared for its rule), with the dialects
    the client matched throughout."""
    import shlex

    from .exec import ExecClient
    from .report import CheckResult, FunctionResult
    from .target import TargetError

    files = sorted(p for p in directory.glob("*.json") if not p.name.endswith(".schema.json"))
    if not files:
        raise FileNotFoundError(f"{directory} holds no vectors files (write them with gradspec vectors export)")
    results = []
    with ExecClient(shlex.split(command), timeout=options["timeout"], sandbox=options["sandbox"],
                    max_reply_bytes=options["max_reply_bytes"]) as client:
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            op = data["op"]
            rule = OPS[op].rule if op in OPS else None
            if op not in client.ops:
                results.append(FunctionResult(op, rule or "", "missing", [], []))
                continue
            alive: dict[str, set[str]] = {}  # per rule (a trajectory's cases have several)
            failure = None
            for test in data["tests"]:
                rtol, atol = test["tolerance"]["rtol"], test["tolerance"]["atol"]
                scale = _json_scale(test["args"])
                try:
                    actual = client.call(op, test["args"])
                except TargetError as exc:
                    failure = failure or ("error", f"tcId {test['tcId']} ({test['comment']}): {exc}")
                    continue
                test_rule = OPS[op].rule_of(test["args"]) if op in OPS else None
                entries = {"canonical": test["expected"], **test["dialects"]}
                matching = {name for name, result in entries.items() if _agrees(result, actual, rtol, atol, scale)}
                if "canonical" in matching and test_rule:  # every dialect of the rule not listed gives expected too
                    matching |= {d for d in data["notes"]
                                 if d.startswith(f"{test_rule}/") and d not in test["dialects"]}
                matching.discard("canonical")
                if test_rule in data_rules(data):
                    alive[test_rule] = alive.get(test_rule, matching) & matching
                accepted = f"{test_rule}/{dialects[test_rule]}" if test_rule in dialects else None
                wanted = (accepted in matching) if accepted else _agrees(test["expected"], actual, rtol, atol, scale)
                if not wanted and failure is None:
                    failure = ("fail", f"tcId {test['tcId']} ({test['comment']}): "
                                       f"{_difference(test['expected'], actual, 'result')}; expected "
                                       f"{json.dumps(test['expected'])}, got {json.dumps(actual)}"
                                       + (f"; it matches {', '.join(sorted(matching))}" if matching else ""))
            matched = sorted(d for found in alive.values() for d in found)
            if failure is None:
                results.append(FunctionResult(op, rule or "", "pass", matched,
                                              [CheckResult("vectors", "pass", f"{len(data['tests'])} cases")]))
            else:
                results.append(FunctionResult(op, rule or "", failure[0], matched,
                                              [CheckResult("vectors", failure[0], failure[1])]))
    return results
