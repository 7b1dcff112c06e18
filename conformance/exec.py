"""``gradspec verify --exec "CMD ARGS"``: an implementation in any language, over protocol v1.

gradspec starts CMD (an argv, no shell) under the same supervisor, scratch directory, minimal
environment and sandbox as a Python target (:class:`gradspec.conformance.target.Target`), writes
one JSON object per line to its stdin and reads one per line from its stdout; its stderr is kept
for the report. One request at a time:

* hello: ``{"id": 0, "op": "hello", "protocol": 1}`` → ``{"id": 0, "ops": [...], "name": "..."}``;
* a call: ``{"id": N, "op": NAME, "args": {...}}`` → ``{"id": N, "result": ...}`` or
  ``{"id": N, "error": "text"}``.

Values are :mod:`gradspec.conformance.protocol`'s. Each op the client implements is checked as a
framework object is: the test vectors' cases (:mod:`gradspec.conformance.vectors`: the probes on
which the dialects part and the domains' edges), then Hypothesis-generated ones, every dialect of
the op's rule tried at once, and the smallest failing case shown as the JSON request to send. A
client that crashes, hangs, answers out of turn or writes garbage is an ``error`` of the op it was
asked, never a crash of gradspec; it is started again for the next call.
"""

from __future__ import annotations

import json
import os
import select
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .api._strategies import BETAS, EPSILONS, LEARNING_RATES, SCALES, STEPS, arrays
from .compare import compare, input_scale
from .engine import PROFILES, classify, describe, search
from .protocol import OPS, PROTOCOL, decode, encode, evaluate
from .report import CheckResult, FunctionResult, jsonable
from .target import PASSED_ENV, TargetError, TargetTimeoutError, _end, _spawn, _write_all, on_shutdown
from .vectors import cases

__all__ = ["ExecClient", "verify_exec"]


class ExecClient:
    """A protocol v1 implementation, run as ``argv`` (see the module's docstring)."""

    def __init__(self, argv: list[str], *, timeout: float = 5.0, sandbox: str = "none",
                 max_reply_bytes: int = 256 * 2**20) -> None:
        if not argv:
            raise ValueError("--exec needs a command")
        self.argv, self.timeout, self.sandbox, self.max_reply_bytes = argv, timeout, sandbox, max_reply_bytes
        self.ops: list[str] = []
        self.name = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._lifeline: int | None = None
        self._buffer = b""
        self._next_id = 0
        self._scratch = Path(tempfile.mkdtemp(prefix="gradspec-exec-"))
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        on_shutdown(self, self._discard)
        try:
            self._start()
        except BaseException:
            self._discard()
            raise

    def _discard(self) -> None:
        on_shutdown(self, None)
        self.close()
        self.log.close()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def _start(self) -> None:
        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        env.update(HOME=str(self._scratch), TMPDIR=str(self._scratch))
        # The client runs in the scratch directory: the files it names, relative to where you are, by absolute path.
        program = shutil.which(self.argv[0]) or self.argv[0]
        command = [str(Path(a).absolute()) if Path(a).exists() else a for a in (program, *self.argv[1:])]
        self._process, self._lifeline = _spawn(command, scratch=self._scratch, env=env, sandbox=self.sandbox,
                                               stderr=self.log)
        self._buffer = b""
        reply = self._request({"id": 0, "op": "hello", "protocol": PROTOCOL}, what="hello", request_id=0)
        ops = reply.get("ops")
        if not (isinstance(ops, list) and all(isinstance(op, str) for op in ops)):
            raise TargetError(f"answered hello without a list of ops ({json.dumps(reply)[:80]})")
        self.ops, self.name = ops, str(reply.get("name", ""))

    def close(self) -> None:
        """Stop the client and everything it started."""
        _end(self._process, self._lifeline)
        self._process = self._lifeline = None

    def __enter__(self) -> ExecClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._discard()

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
        deadline = time.monotonic() + self.timeout * (10 if what == "hello" else 1)
        data = (json.dumps(message, allow_nan=False) + "\n").encode()
        try:
            _write_all(self._process.stdin.fileno(), data, deadline)
        except TimeoutError:
            self.close()
            raise TargetTimeoutError(f"did not read {what} within {self.timeout:g} s; it was stopped") from None
        except BrokenPipeError:
            self._died(what)
        line = self._line(deadline, what)
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):
            self.close()
            raise TargetError(f"wrote a line that is not JSON during {what} ({line[:60]!r})") from None
        if not isinstance(reply, dict) or reply.get("id") != request_id:
            self.close()
            raise TargetError(f"answered out of turn during {what} (expected id {request_id}, got "
                              f"{json.dumps(reply.get('id') if isinstance(reply, dict) else reply)[:40]})")
        return reply

    def _line(self, deadline: float, what: str) -> bytes:
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            if len(self._buffer) > self.max_reply_bytes:
                self.close()
                raise TargetError(f"sent a reply line over {self.max_reply_bytes / 2**20:.1f} MiB during {what}")
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                self.close()
                raise TargetTimeoutError(f"did not answer within {self.timeout:g} s ({what}); it was stopped")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self._died(what)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _died(self, what: str) -> None:
        process = self._process
        assert process is not None
        self.close()
        code = process.returncode
        self.log.seek(0)
        tail = self.log.read().decode(errors="replace").strip().splitlines()[-1:]
        how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        raise TargetError(f"the client {how} during {what}" + (f": {tail[0]}" if tail else ""))


# --- what is generated ---------------------------------------------------------------------------

@st.composite
def _op_args(draw: st.DrawFn, op: str) -> dict[str, Any]:
    """Arguments for ``op`` over its domain (reference values: NumPy arrays and floats)."""
    dtype = draw(st.sampled_from(["float64", "float32"]))
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
        return {"z": arr(), "alpha": draw(st.floats(0.0, 1.0))}
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


def _check_op(client: ExecClient, op: str, profile: str, declared: dict[str, str]) -> FunctionResult:
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
            from .compare import Mismatch

            return Mismatch("fail", "result", f"is not a protocol value ({exc})")
        rule = args["rule"] if op == "trajectory" else spec.rule
        float32 = any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in _arrays(args))
        scale = input_scale(list(_arrays(args)))
        if rule in (None, "gd"):
            return compare(decode(evaluate(op, request)), actual, float32=float32, scale=scale)
        from gradspec.spec import dialects_of

        names = [d.name for d in dialects_of(rule)]
        alive = matched.setdefault(rule, set(names))
        return classify(lambda d: decode(evaluate(op, request, dialect=d)), actual, names, alive,
                        declared.get(rule, names[0]), float32=float32, scale=scale)

    explicit = [(args,) for _, _, args in cases(op)]
    found = search(_op_args(op).map(lambda a: (a,)), PROFILES[profile], probe, recorder, explicit)
    dialects = sorted(f"{rule}/{d}" for rule, alive in matched.items() for d in alive)
    if found is None:
        return FunctionResult(op, spec.rule or "", "pass", dialects, [CheckResult("differential", "pass", "")])
    (args,), mismatch, _ = found
    request = {"id": 1, "op": op, "args": encode(args)}
    counterexample = None
    if mismatch.path not in ("call", "check"):
        counterexample = {"function": op, "args": jsonable([args]), "path": mismatch.path,
                          "expected": jsonable(mismatch.expected), "actual": jsonable(mismatch.actual),
                          "max_abs_error": mismatch.max_abs_error, "max_rel_error": mismatch.max_rel_error,
                          "snippet": json.dumps(request)}
    message = describe(mismatch)
    if mismatch.kind == "fail" and dialects:
        message += f"; it matches {', '.join(dialects)}"
    elif mismatch.kind == "fail" and spec.rule:
        message += f"; it matches none of {spec.rule}'s dialects"
    if counterexample is None:  # an error: the request that met it (a failure's counterexample shows it)
        message += f". The request: {json.dumps(request)[:300]}"
    status = "error" if mismatch.kind == "error" else "fail"
    return FunctionResult(op, spec.rule or "", status, dialects, [CheckResult("differential", status, message,
                                                                              counterexample)])


def _arrays(args: dict[str, Any]) -> list[np.ndarray]:
    return [a for v in args.values() for a in (v if isinstance(v, list) else [v]) if isinstance(a, np.ndarray)]


def verify_exec(command: str, *, profile: str, options: dict[str, Any], dialects: dict[str, str],
                progress: Callable[[str], None] | None = None) -> tuple[list[FunctionResult], str]:
    """Every op of protocol v1 against the client ``command``: the results, and the client's name."""
    argv = shlex.split(command)
    with ExecClient(argv, timeout=options["timeout"], sandbox=options["sandbox"],
                    max_reply_bytes=options["max_reply_bytes"]) as client:
        results = []
        for op in OPS:
            if op not in client.ops:
                results.append(FunctionResult(op, OPS[op].rule or "", "missing", [], []))
                continue
            if progress:
                progress(op)
            results.append(_check_op(client, op, profile, dialects))
        return results, client.name
