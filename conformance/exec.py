"""``gradspec verify --exec "CMD ARGS"``: an implementation in any language, over protocol v1.

gradspec starts CMD (an argv, no shell) under the same supervisor, scratch directory, minimal
environment and sandbox as a Python target (:class:`gradspec.conformance.target.Target`), writes
one JSON object per line to its stdin and reads one per line from its stdout; its stderr is kept
for the report. One request at a time:

* hello: ``{"id": 0, "op": "hello", "protocol": 1}`` → ``{"id": 0, "ops": [...], "name": "..."}``;
* a call: ``{"id": N, "op": NAME, "args": {...}}`` → ``{"id": N, "result": ...}`` or
  ``{"id": N, "error": "text"}``.

Values are :mod:`gradspec.conformance.protocol`'s. Each op the client implements is checked as a
Python target's function is:

* ``differential``: the test vectors' cases (:mod:`gradspec.conformance.vectors`: the probes on
  which the dialects part and the domains' edges), then Hypothesis-generated ones, every dialect of
  the op's rule tried at once, and the smallest failing case shown as the JSON request to send;
* ``pinned:<case>``: the seeds' printed numbers, for the pinned cases whose notebook functions
  ops compute (:data:`gradspec.conformance.op_invariants.PINNED`), with the op under test from the
  client and the others from the reference;
* ``invariant:<id>``: the op's invariants (:mod:`gradspec.conformance.op_invariants`), Hypothesis
  searched and shrunk, a failure shown as the JSON requests to send.

A pinned case or invariant that assumes a dialect is skipped, with the reason, when the client was
classified in another one (or declared another with ``--dialect``); one that needs an op the
client does not list, or one whose differential check did not pass, is skipped too (each op is
judged alone). A client that crashes, hangs, answers out of turn or writes garbage is an ``error``
of the op it was asked, never a crash of gradspec; it is started again for the next call. The
pinned cases and invariants of an op that erred are not run.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import shlex
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .api._model import Dialects, canonical
from .api._strategies import BETAS, EPSILONS, LEARNING_RATES, SCALES, STEPS, WEIGHT_DECAYS, arrays
from .compare import Mismatch, compare, input_scale
from .engine import PROFILES, call_failed, classify, describe, numbers_text, search
from .op_invariants import PINNED, NotebookApi, OpCall, OpInvariant, invariants, pinned_needs
from .pinned import mismatches
from .protocol import OPS, PROTOCOL, decode, encode, evaluate
from .report import CheckResult, FunctionResult, jsonable
from .target import IMPORT_TIMEOUT_FACTOR, PASSED_ENV, Supervised, TargetError, TargetTimeoutError, write_all
from .vectors import cases

__all__ = ["ExecClient", "verify_exec"]


class ExecClient(Supervised):
    """A protocol v1 implementation, run as ``argv`` (see the module's docstring), under the supervisor
    and ``sandbox`` (``"auto"``, ``"bwrap"`` or ``"none"``) as a Python target is."""

    noun = "the client"

    def __init__(self, argv: list[str], *, timeout: float = 5.0, sandbox: str = "none",
                 max_reply_bytes: int = 256 * 2**20) -> None:
        if not argv:
            raise ValueError("--exec needs a command")
        super().__init__(sandbox=sandbox, scratch_prefix="gradspec-exec-")
        self.argv, self.timeout, self.max_reply_bytes = argv, timeout, max_reply_bytes
        self.ops: list[str] = []
        self.name = ""
        self._buffer = b""
        self._next_id = 0
        self._launch()

    def _start(self) -> None:
        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        env.update(HOME=str(self._scratch), TMPDIR=str(self._scratch))
        # The client runs in the scratch directory: the files it names, relative to where you are, by absolute path.
        program = shutil.which(self.argv[0]) or self.argv[0]
        command = [str(Path(a).absolute()) if Path(a).exists() else a for a in (program, *self.argv[1:])]
        self._start_process(command, env)
        self._buffer = b""
        reply = self._request({"id": 0, "op": "hello", "protocol": PROTOCOL}, what="hello", request_id=0)
        if "error" in reply:
            raise TargetError(f"answered hello with an error: {str(reply['error'])[:300]}")
        ops = reply.get("ops")
        if not (isinstance(ops, list) and all(isinstance(op, str) for op in ops)):
            raise TargetError(f"answered hello without a list of ops ({json.dumps(reply)[:200]})")
        self.ops, self.name = ops, str(reply.get("name", ""))

    def __enter__(self) -> ExecClient:
        return self

    def call(self, op: str, args: dict[str, Any]) -> Any:
        """The client's ``result`` for ``op`` on protocol ``args``; TargetError for an ``error``
        reply or anything that is not an answer."""
        if self._process is None:
            self._start()
        self._next_id += 1
        reply = self._request({"id": self._next_id, "op": op, "args": args}, what=op, request_id=self._next_id)
        if "error" in reply:
            raise TargetError(f"answered with an error: {str(reply['error'])[:200]}")
        if "result" not in reply:
            self.close()
            raise TargetError(f"answered {op} with neither result nor error ({json.dumps(reply)[:80]})")
        return reply["result"]

    def _request(self, message: dict[str, Any], *, what: str, request_id: int) -> dict[str, Any]:
        assert self._process is not None and self._process.stdin is not None
        self._mark_log()
        limit = self.timeout * (IMPORT_TIMEOUT_FACTOR if what == "hello" else 1)  # hello may load a framework
        deadline = time.monotonic() + limit
        data = (json.dumps(message, allow_nan=False) + "\n").encode()
        try:
            write_all(self._process.stdin.fileno(), data, deadline)
        except TimeoutError:
            self.close()
            raise TargetTimeoutError(f"did not read {what} within {limit:g} s; it was stopped") from None
        except BrokenPipeError:
            self._died(what)
        line = self._line(deadline, what, limit)
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):
            self.close()
            text = line.decode(errors="replace")
            raise TargetError(f"wrote a line that is not JSON during {what}: {json.dumps(text[:200])}"
                              + (" (and more)" if len(text) > 200 else "")) from None
        if not isinstance(reply, dict) or reply.get("id") != request_id:
            self.close()
            raise TargetError(f"answered out of turn during {what} (expected id {request_id}, got "
                              f"{json.dumps(reply.get('id') if isinstance(reply, dict) else reply)[:40]})")
        return reply

    def _line(self, deadline: float, what: str, limit: float) -> bytes:
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            if len(self._buffer) > self.max_reply_bytes:
                self.close()
                raise TargetError(f"sent a reply line over {self.max_reply_bytes / 2**20:.1f} MiB during {what}")
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                self.close()
                hints = []
                if what == "hello":
                    hints.append(f"hello may take {IMPORT_TIMEOUT_FACTOR} x --timeout: raise --timeout if it starts "
                                 "slowly")
                if not self._buffer:
                    hints.append("if it did answer, it must flush stdout after each reply")
                hint = f" ({'; '.join(hints)})" if hints else ""
                raise TargetTimeoutError(f"did not answer within {limit:g} s ({what}); it was stopped{hint}")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self._died(what)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line


# --- what is generated ---------------------------------------------------------------------------

@st.composite
def _op_args(draw: st.DrawFn, op: str, dtypes: tuple[str, ...] = ("float64", "float32")) -> dict[str, Any]:
    """Arguments for ``op`` over its domain (reference values: NumPy arrays and floats), their
    arrays of one of ``dtypes``."""
    dtype = draw(st.sampled_from(list(dtypes)))
    shape = draw(st.sampled_from([(1,), (3,), (2, 3)]))

    def arr(scale_strategy=SCALES, nonnegative: bool = False) -> np.ndarray:
        x = draw(arrays(shape, np.float64, draw(scale_strategy)))
        return (np.abs(x) if nonnegative else x).astype(dtype)

    if op == "gd_step":
        return {"w": arr(), "g": arr(), "learning_rate": draw(LEARNING_RATES)}
    if op == "momentum_step":
        return {"w": arr(), "g": arr(), "v": arr(), "beta": draw(BETAS), "learning_rate": draw(LEARNING_RATES)}
    if op == "rmsprop_step":
        return {"w": arr(), "g": arr(), "s": arr(nonnegative=True), "beta2": draw(BETAS),
                "learning_rate": draw(LEARNING_RATES), "epsilon": draw(EPSILONS)}
    if op == "adam_step":
        return {"w": arr(), "g": arr(), "v": arr(), "s": arr(nonnegative=True), "t": draw(STEPS),
                "learning_rate": draw(LEARNING_RATES), "beta1": draw(BETAS), "beta2": draw(BETAS),
                "epsilon": draw(EPSILONS)}
    if op == "nesterov_step":
        return {"w": arr(), "g": arr(), "v": arr(), "beta": draw(BETAS), "learning_rate": draw(LEARNING_RATES)}
    if op == "amsgrad_step":
        return {"w": arr(), "g": arr(), "v": arr(), "s": arr(nonnegative=True), "s_max": arr(nonnegative=True),
                "t": draw(STEPS), "learning_rate": draw(LEARNING_RATES), "beta1": draw(BETAS), "beta2": draw(BETAS),
                "epsilon": draw(EPSILONS)}
    if op == "rmsprop_centered_step":
        # A state the averages can reach: s is at least g_bar^2 (their difference is a variance).
        g_bar = arr()
        return {"w": arr(), "g": arr(), "s": (g_bar.astype(np.float64) ** 2 + arr(nonnegative=True)).astype(dtype),
                "g_bar": g_bar, "beta2": draw(BETAS), "learning_rate": draw(LEARNING_RATES),
                "epsilon": draw(EPSILONS)}
    if op == "rmsprop_momentum_step":
        return {"w": arr(), "g": arr(), "s": arr(nonnegative=True), "v": arr(), "beta2": draw(BETAS),
                "beta": draw(BETAS), "learning_rate": draw(LEARNING_RATES), "epsilon": draw(EPSILONS)}
    if op == "adagrad_step":
        return {"w": arr(), "g": arr(), "s": arr(nonnegative=True), "learning_rate": draw(LEARNING_RATES),
                "epsilon": draw(EPSILONS)}
    if op == "adam_weight_decay_step":
        return {"w": arr(), "g": arr(), "v": arr(), "s": arr(nonnegative=True), "t": draw(STEPS),
                "learning_rate": draw(LEARNING_RATES), "beta1": draw(BETAS), "beta2": draw(BETAS),
                "epsilon": draw(EPSILONS), "weight_decay": draw(WEIGHT_DECAYS),
                "schedule_multiplier": draw(st.floats(0.0, 1.0))}
    if op == "trajectory":
        rule = draw(st.sampled_from(["gd", "momentum", "rmsprop", "adam"]))
        steps = draw(st.integers(1, 4))
        rates = draw(st.one_of(LEARNING_RATES, st.lists(LEARNING_RATES, min_size=steps, max_size=steps)))
        extra = {"momentum": {"beta": BETAS}, "rmsprop": {"beta2": BETAS, "epsilon": EPSILONS},
                 "adam": {"beta1": BETAS, "beta2": BETAS, "epsilon": EPSILONS}}.get(rule, {})
        return {"rule": rule, "w": arr(), "grads": [arr() for _ in range(steps)], "learning_rate": rates,
                **{k: draw(v) for k, v in extra.items()}}
    if op in ("sigmoid", "tanh", "relu", "relu_grad", "softmax"):
        return {"z": arr(st.sampled_from([1e-3, 1.0, 30.0]))}
    if op in ("leaky_relu", "leaky_relu_grad"):
        return {"z": arr(), "alpha": draw(st.floats(0.0, 1.0, exclude_max=True))}  # the slope's domain, [0, 1)
    if op in ("sigmoid_backward", "tanh_backward", "relu_backward"):
        return {"dA": arr(), "Z": arr(st.sampled_from([1e-3, 1.0, 30.0]))}
    if op == "ewa_step":
        return {"v": arr(), "theta": arr(), "beta": draw(BETAS)}
    if op == "bias_correction":
        return {"v": arr(), "beta": draw(BETAS), "t": draw(STEPS)}
    if op in ("binary_cross_entropy", "mean_squared_error"):
        a = np.clip(np.abs(arr(st.just(1.0))), 1e-6, 1 - 1e-6).reshape(1, -1).astype(dtype)
        y = draw(arrays(a.shape, np.float64, 1.0)).__gt__(0).astype(dtype)
        return {"a": a, "y": y} if op == "binary_cross_entropy" else {"y_hat": a, "y": y}
    if op == "binary_cross_entropy_with_logits":
        z = arr(st.sampled_from([1.0, 30.0])).reshape(1, -1)
        return {"z": z, "y": (draw(arrays(z.shape, np.float64, 1.0)) > 0).astype(dtype)}
    if op in ("categorical_cross_entropy", "softmax_cross_entropy_grad"):
        from gradspec.reference import softmax

        z = draw(arrays((3, 2), np.float64, 3.0))
        y = np.eye(3)[:, [draw(st.integers(0, 2)), draw(st.integers(0, 2))]]
        return {"y_hat": softmax(z).astype(dtype), "y": y.astype(dtype)}
    args: dict[str, Any] = {"learning_rate0": draw(st.floats(1e-4, 1.0)), "epoch_num": draw(st.integers(1, 5000))}
    if op in ("inverse_time_decay", "staircase_decay"):
        args["decay_rate"] = draw(st.floats(0.0, 10.0))
    if op in ("exponential_decay", "exponential_staircase_decay", "inverse_sqrt_decay"):
        args["k"] = draw(st.floats(0.01, 1.0))
    if op in ("staircase_decay", "exponential_staircase_decay"):
        args["time_interval"] = draw(st.integers(1, 2000))
    return args


# --- the checks ------------------------------------------------------------------------------------

class _Recorder:
    record: list | None = None


def _check_op(client: ExecClient, op: str, profile: str, declared: dict[str, str],
              broken: dict[str, str] | None = None) -> FunctionResult:
    """Every check of ``op``: the differential check, then the pinned cases and the invariants.
    ``broken`` holds the ops whose differential checks did not pass (``{op: "failed" | "erred"}``):
    the other ops' checks do not rely on them (one that needs such an op is skipped; one that
    calls it where it can, calls the reference's); ``op`` is added to it when its check does not pass.
    The invariants and pinned cases of an op whose differential check erred are not run."""
    broken = {} if broken is None else broken
    differential, matched = _differential(client, op, profile, declared)
    checks = [differential]
    if differential.status != "pass":
        broken[op] = "erred" if differential.status == "error" else "failed"
    if differential.status == "error":
        why = f"not run: {op}'s differential check erred"
        checks += [CheckResult(f"pinned:{case.id}", "skip", why) for case in PINNED.get(op, ())]
        checks += [CheckResult(f"invariant:{inv.id}", "skip", why) for inv in _invariants_of(op)]
    else:
        follows = _follows(matched, declared)
        call = OpCall(client.call, {o for o in client.ops if o in OPS and o not in broken})
        checks += _pinned(call, op, follows, client.ops)
        checks += _invariants(call, op, profile, follows, declared, client.ops, broken)
    statuses = {c.status for c in checks}
    status = "error" if "error" in statuses else "fail" if "fail" in statuses else "pass"
    dialects = sorted(f"{rule}/{d}" for rule, alive in matched.items() for d in alive)
    return FunctionResult(op, OPS[op].rule or "", status, dialects, checks)


def _differential(client: ExecClient, op: str, profile: str, declared: dict[str, str]
                  ) -> tuple[CheckResult, dict[str, set[str]]]:
    """The vectors' cases and generated ones, every dialect classified: the check, and the
    dialects of each rule the client matched on every case (``{rule: names}``)."""
    spec = OPS[op]
    recorder = _Recorder()
    matched: dict[str, set[str]] = {}

    def probe(packed: tuple) -> Any:
        (args,) = packed
        request = encode(args)
        raw = client.call(op, request)
        try:
            actual = decode(raw)
        except (ValueError, TypeError) as exc:
            return Mismatch("fail", "result", f"is not a protocol value ({exc})")
        rule = spec.rule_of(args)
        float32 = any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in _arrays(args))
        scale = input_scale(list(_arrays(args)))
        if rule is None:
            return compare(decode(evaluate(op, request)), actual, float32=float32, scale=scale)
        from gradspec.spec import dialects_of

        names = [d.name for d in dialects_of(rule)]
        alive = matched.setdefault(rule, set(names))
        return classify(lambda d: decode(evaluate(op, request, dialect=d)), actual, names, alive,
                        declared.get(rule, names[0]), float32=float32, scale=scale)

    explicit = [(args,) for _, _, args in cases(op)]
    found = search(_op_args(op).map(lambda a: (a,)), PROFILES[profile], probe, recorder, explicit)
    if found is None:
        return CheckResult("differential", "pass", ""), matched
    (args,), mismatch, _ = found
    request = {"id": 1, "op": op, "args": encode(args)}
    counterexample = None
    if mismatch.path not in ("call", "check"):
        counterexample = {"function": op, "args": jsonable([args]), "path": mismatch.path,
                          "expected": _protocol_value(mismatch.expected), "actual": _protocol_value(mismatch.actual),
                          "max_abs_error": mismatch.max_abs_error, "max_rel_error": mismatch.max_rel_error,
                          "snippet": json.dumps(request), "label": "the request to send", "language": "json"}
    message = describe(mismatch)
    rule = spec.rule_of(args)  # the failing case's: a trajectory of Adam is not judged on momentum
    if mismatch.kind == "fail" and rule:
        found_in = sorted(matched.get(rule, ()))
        message += (f"; it matches {', '.join(f'{rule}/{d}' for d in found_in)}" if found_in
                    else f"; it matches none of {rule}'s dialects")
    if counterexample is None:  # an error: the request that met it (a failure's counterexample shows it)
        message += f". The request: {json.dumps(request)}"
    status = "error" if mismatch.kind == "error" else "fail"
    return CheckResult("differential", status, message, counterexample), matched


def _protocol_value(value: Any) -> Any:
    """A value of a counterexample as the protocol writes it (what the client sends and receives): a
    0-d array as the number it is."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    try:
        return encode(value)
    except TypeError:
        return jsonable(value)


def _arrays(args: dict[str, Any]) -> list[np.ndarray]:
    return [a for v in args.values() for a in (v if isinstance(v, list) else [v]) if isinstance(a, np.ndarray)]


# --- which dialects the client follows ---------------------------------------------------------------

def _follows(matched: dict[str, set[str]], declared: dict[str, str]) -> Callable[[str], tuple[set[str], bool]]:
    """``follows(rule)``: the dialects of ``rule`` the client is judged in, and whether they were
    declared. The declared one if there is one; else the canonical one, unless the op's differential
    check classified the client in other dialects of the rule (``matched``: it matched them on every
    case, and not the canonical one)."""
    def follows(rule: str) -> tuple[set[str], bool]:
        if rule in declared:
            return {declared[rule]}, True
        alive = matched.get(rule) or set()
        if alive and canonical(rule) not in alive:
            return set(alive), False
        return {canonical(rule)}, False
    return follows


def _dialect_names(rule: str, names: set[str]) -> str:
    return ", ".join(f"{rule}/{name}" for name in sorted(names))


def _usable(needs: dict[str, str] | tuple[str, ...], listed: list[str], broken: dict[str, str]) -> str:
    """Why a check that calls the client's ``needs`` (``{op: the notebook function it computes}``
    for a pinned case) cannot run ("" if it can)."""
    for needed in needs:
        of = f"calls {needs[needed]}: " if isinstance(needs, dict) else ""
        if needed not in listed:
            return f"{of}needs {needed}, which the client does not list"
        if needed in broken:
            return f"{of}needs {needed}, whose own differential check {broken[needed]}"
    return ""


# --- the seeds' pinned cases ---------------------------------------------------------------------------

def _pinned(call: OpCall, op: str, follows: Callable[[str], tuple[set[str], bool]], listed: list[str]
            ) -> list[CheckResult]:
    """The pinned cases ``op`` takes part in, computed with ``op`` from the client and the other
    notebook functions' ops from the reference (each op is judged alone); a case applies when
    the client lists the op of every notebook function it calls."""
    results = []
    for case in PINNED.get(op, ()):
        check_id, seed = f"pinned:{case.id}", case.sources[0][0]
        needs = pinned_needs(case)
        missing = _usable({k: v for k, v in needs.items() if k != op}, listed, {})
        if missing:
            results.append(CheckResult(check_id, "skip", f"seed {seed}'s printout {missing}"))
            continue
        off = {rule: name for rule, name in case.assumes.items() if follows(rule)[0] != {name}}
        if off:
            printed = ", ".join(f"{rule}/{name}" for rule, name in off.items())
            judged = [(rule, *follows(rule)) for rule in off]
            told = "; ".join(f"{_dialect_names(rule, names)} is declared" if was_declared
                             else f"the client follows {_dialect_names(rule, names)}"
                             for rule, names, was_declared in judged)
            results.append(CheckResult(check_id, "skip", f"seed {seed} printed {printed} numbers; {told}"))
            continue
        call.record = []
        try:
            bad = mismatches(case, NotebookApi(call, {op}, importlib.import_module(case.api)))
        except TargetError as exc:
            sent = call.record[-1] if call.record else None
            request = f". The request: {json.dumps({'id': 1, 'op': sent[0], 'args': sent[1]})}" if sent else ""
            results.append(CheckResult(check_id, call_failed(exc).kind, f"{exc}{request}"))
            continue
        except Exception as exc:  # what the client returned is not the shape the printout needs
            results.append(CheckResult(check_id, "fail", f"what {op} returned cannot be read as seed {seed}'s "
                                       f"printout ({case.description}): {type(exc).__name__}: {exc}"))
            continue
        finally:
            call.record = None
        if not bad:
            results.append(CheckResult(check_id, "pass", case.description))
            continue
        name, (printed, computed) = next(iter(bad.items()))
        got = "nothing" if computed is None else numbers_text(computed)
        what = f"matches a misprint ({case.errata[name]}) of" if name in case.errata else "differs from"
        results.append(CheckResult(
            check_id, "fail", f"{name} {what} what seed {seed} printed ({case.description}): "
            f"printed {' '.join(case.printed[name].text.split())}, computed {got}",
            {"entry": name, "printed": _protocol_value(printed), "computed": _protocol_value(computed)}))
    return results


# --- the invariants ---------------------------------------------------------------------------------

def _invariants_of(op: str) -> tuple[OpInvariant, ...]:
    return invariants(op, _op_args(op, ("float32",)).map(lambda a: (a,)))


def _invariants(call: OpCall, op: str, profile: str, follows: Callable[[str], tuple[set[str], bool]],
                declared: dict[str, str], listed: list[str], broken: dict[str, str]) -> list[CheckResult]:
    results = []
    for invariant in _invariants_of(op):
        check_id = f"invariant:{invariant.id}"
        missing = _usable(invariant.needs, listed, broken)
        if missing:
            results.append(CheckResult(check_id, "skip", f"{invariant.description}: {missing}"))
            continue
        off = [(rule, names, *follows(rule)) for rule, names in invariant.holds_for.items()
               if not follows(rule)[0] <= set(names)]
        if off:
            rule, names, judged, was_declared = off[0]
            which = (f"the declared {_dialect_names(rule, judged)}" if was_declared else
                     f"{_dialect_names(rule, judged)}, which the client follows")
            results.append(CheckResult(check_id, "skip", f"{invariant.description}: holds for {rule} dialects "
                                       f"{', '.join(names)}, not {which}"))
            continue

        def probe(args: tuple, invariant: OpInvariant = invariant) -> Mismatch | None:
            try:
                return invariant.check(call, args, Dialects(declared))
            except TargetError:
                raise
            except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
                return Mismatch("fail", "result", f"cannot be checked ({type(exc).__name__}: {exc})")

        found = search(invariant.inputs, PROFILES[profile], probe, call, invariant.probes)
        stood_in = [f"gradspec's {o}: " + (f"the client's {o} {broken[o]} its differential check" if o in broken
                                            else "the client does not list it")
                    for o in invariant.optional if not call.has(o)]
        note = f" (with {'; '.join(stood_in)})" if stood_in else ""
        if found is None:
            results.append(CheckResult(check_id, "pass", invariant.description + note))
            continue
        args, mismatch, sent = found
        results.append(_invariant_failure(check_id, op, f"{invariant.description}{note}", args, mismatch, sent))
    return results


def _invariant_failure(check_id: str, op: str, description: str, args: tuple, mismatch: Mismatch,
                       sent: list[tuple[str, dict[str, Any]]]) -> CheckResult:
    """A failed invariant: what was violated, and the requests that show it (the counterexample's
    ``snippet``: JSON lines to paste into the client's stdin, one reply each)."""
    status = "error" if mismatch.kind == "error" else "fail"
    message = f"{description}: {describe(mismatch)}"
    requests = [json.dumps({"id": i, "op": name, "args": request}) for i, (name, request) in enumerate(sent, 1)]
    if not requests:
        return CheckResult(check_id, status, message)
    if mismatch.path in ("call", "check"):  # an error, or a result that is not data: the request that met it
        return CheckResult(check_id, status, f"{message}. The request: {requests[-1]}")
    counterexample = {"function": op, "args": jsonable(list(args)), "path": mismatch.path,
                      "expected": _protocol_value(mismatch.expected), "actual": _protocol_value(mismatch.actual),
                      "max_abs_error": mismatch.max_abs_error, "max_rel_error": mismatch.max_rel_error,
                      "snippet": "\n".join(requests),
                      "label": "the request to send" if len(requests) == 1 else "the requests to send, one reply each",
                      "language": "json"}
    return CheckResult(check_id, status, message, counterexample)


def verify_exec(command: str, *, profile: str, options: dict[str, Any], dialects: dict[str, str],
                progress: Callable[[str], None] | None = None) -> tuple[list[FunctionResult], str]:
    """Every op of protocol v1 against the client ``command``: the results, and the client's name."""
    argv = shlex.split(command)
    with ExecClient(argv, timeout=options["timeout"], sandbox=options["sandbox"],
                    max_reply_bytes=options["max_reply_bytes"]) as client:
        results = []
        broken: dict[str, str] = {}
        for op in OPS:
            if op not in client.ops:
                results.append(FunctionResult(op, OPS[op].rule or "", "missing", [], []))
                continue
            if progress:
                progress(op)
            results.append(_check_op(client, op, profile, dialects, broken))
        return results, client.name
