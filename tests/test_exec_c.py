"""The C example client (examples/protocol/client.c) under gradspec verify --exec, as tests/test_exec.py
checks the Node.js one.

It is compiled here, twice: as it is, and with -DADAM_BUG (the Node.js bug client's Adam bug: the
second moment corrected with beta1). Without a C compiler (cc or gcc) the tests are skipped;
GRADSPEC_REQUIRE_CC=1 makes its absence a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from gradspec.conformance.protocol import OPS, SCHEMA_PATH, decode, encode, evaluate

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "examples" / "protocol" / "client.c"
#: The build command of client.c's header, and -pedantic: it must compile without a warning.
FLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-pedantic"]
BUILDS = {"client": [], "client_adam_bug": ["-DADAM_BUG"]}


def _compiler() -> str:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        if os.environ.get("GRADSPEC_REQUIRE_CC", "") not in ("", "0"):
            pytest.fail("GRADSPEC_REQUIRE_CC is set but there is no C compiler (cc or gcc) on PATH")
        pytest.skip("no C compiler (cc or gcc) on PATH to build examples/protocol/client.c")
    return cc


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Both builds of client.c, compiled once for this module."""
    cc = _compiler()
    directory = tmp_path_factory.mktemp("c-client")
    binaries = {}
    for name, defines in BUILDS.items():
        binary = directory / name
        done = subprocess.run([cc, *FLAGS, *defines, "-o", str(binary), str(SOURCE), "-lm"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr, done.stderr
        binaries[name] = binary
    return binaries


def verify(command: str, cwd: Path, *options: str) -> tuple[int, dict, str]:
    report = cwd / "report.json"
    done = subprocess.run([sys.executable, "-m", "gradspec", "verify", "--exec", command, "--profile", "quick",
                           "--json", str(report), *options], capture_output=True, text=True, cwd=cwd, timeout=600)
    data = json.loads(report.read_text()) if report.exists() else {}
    report.unlink(missing_ok=True)
    return done.returncode, data, done.stdout + done.stderr


def _statuses(report: dict) -> dict[str, str]:
    return {f["name"]: f["status"] for f in report["functions"]}


def _entry(report: dict, op: str) -> dict:
    return next(f for f in report["functions"] if f["name"] == op)


def _talk(binary: Path, lines: list[str]) -> list[dict]:
    """The client's replies to ``lines``, written to its stdin over a pipe, one per line."""
    done = subprocess.run([str(binary)], input="".join(line + "\n" for line in lines), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(replies) == len(lines), done.stdout
    return replies


def _send(binary: Path, requests: list[dict]) -> list[dict]:
    replies = _talk(binary, [json.dumps(r) for r in requests])
    assert [r["id"] for r in replies] == [r["id"] for r in requests]
    return replies


def _a(dtype: str, data: list, shape: list[int] | None = None) -> dict:
    return {"dtype": dtype, "shape": shape if shape is not None else [len(data)], "data": data}


def test_the_c_client_implements_every_op_and_passes_them_all(builds, tmp_path):
    code, report, out = verify(str(builds["client"]), tmp_path)
    assert code == 0, out
    assert _statuses(report) == dict.fromkeys(OPS, "pass")
    assert report["target"].endswith("(gradspec example client (C))")
    dialects = {f["name"]: f["dialects"] for f in report["functions"]}
    assert dialects["adam_step"] == ["adam/eps-outside"] and dialects["rmsprop_step"] == ["rmsprop/eps-inside"]
    assert dialects["relu_grad"] == ["relu-grad/zero-at-zero"]
    assert "momentum/first-gradient" not in dialects["trajectory"]


def test_the_adam_bug_build_fails_adam_with_a_request_that_reproduces(builds, tmp_path):
    code, report, out = verify(str(builds["client_adam_bug"]), tmp_path)
    assert code == 1, out
    assert report["target"].endswith("(gradspec example client with an Adam bug (C))")
    statuses = _statuses(report)
    # adam_weight_decay_step runs the same Adam code, bug included.
    assert {op: s for op, s in statuses.items() if s != "pass"} == {"adam_step": "fail", "trajectory": "fail",
                                                                    "adam_weight_decay_step": "fail"}
    adam = _entry(report, "adam_step")
    assert adam["dialects"] == []  # beta1 in the second moment's correction is none of Adam's dialects
    assert "; it matches none of adam's dialects" in adam["checks"][0]["message"]
    counterexample = adam["checks"][0]["counterexample"]
    request = json.loads(counterexample["snippet"])  # the JSON request to send, as the report shows it
    (buggy,) = _send(builds["client_adam_bug"], [request])
    assert decode(buggy["result"])["w"].tolist() == counterexample["actual"]["data"]
    expected = decode(evaluate("adam_step", request["args"]))["w"]
    assert expected.tolist() == counterexample["expected"]["data"]
    (fixed,) = _send(builds["client"], [request])
    assert decode(fixed["result"])["w"].tolist() == expected.tolist()  # the same operations, the same bits
    trajectory = _entry(report, "trajectory")["checks"][0]["counterexample"]
    assert json.loads(trajectory["snippet"])["args"]["rule"] == "adam"


ADAM_PROBE = {"t": 1, "learning_rate": 0.5, "beta1": 0.5, "beta2": 0.9, "epsilon": 0.25}


def _adam_probe(dtype: str, request_id: int) -> dict:
    one, zero = _a(dtype, [1.0]), _a(dtype, [0.0])
    return {"id": request_id, "op": "adam_step", "args": {"w": one, "g": one, "v": zero, "s": zero, **ADAM_PROBE}}


def test_hand_checked_requests_get_the_references_results_exactly(builds):
    first_step = {"w": _a("float32", [1.0]), "g": _a("float32", [0.1]), "v": _a("float32", [0.0]),
                  "s": _a("float32", [0.0]), "t": 1, "learning_rate": 0.1, "beta1": 0.9, "beta2": 0.999,
                  "epsilon": 1e-8}
    requests = [
        _adam_probe("float64", 1),
        _adam_probe("float32", 2),
        {"id": 3, "op": "adam_step", "args": first_step},
        {"id": 4, "op": "relu", "args": {"z": _a("float64", [-1.0, 0.0, 2.5, "nan", "inf", "-inf"], [2, 3])}},
        {"id": 5, "op": "inverse_time_decay", "args": {"learning_rate0": 0.2, "epoch_num": 1, "decay_rate": 1.0}},
        {"id": 6, "op": "trajectory", "args": {"rule": "adam", "w": _a("float32", [1.0, -2.0]),
                                               "grads": [_a("float32", [1.0, 0.5]), _a("float32", [1.0, -0.25])],
                                               "learning_rate": [0.5, 0.25], "beta1": 0.5, "beta2": 0.9,
                                               "epsilon": 0.25}},
        {"id": 7, "op": "momentum_step", "args": {"w": _a("float64", [1.0]), "g": _a("float64", [1.0]),
                                                  "v": _a("float64", [0.5]), "beta": 0.5, "learning_rate": 0.5}},
    ]
    replies = _send(builds["client"], requests)
    for request, reply in zip(requests, replies, strict=True):
        assert reply == {"id": request["id"], "result": evaluate(request["op"], request["args"])}, request["op"]
    # The probe by hand: v = 0.5, s = 0.1, both corrections make them 1, w = 1 - 0.5 * 1 / (1 + 0.25) = 0.6.
    probe = decode(replies[0]["result"])
    assert probe["w"].tolist() == [0.6] and probe["v"].tolist() == [0.5] and probe["s"].tolist() == [1 - 0.9]
    probe32 = decode(replies[1]["result"])
    assert probe32["w"].dtype == np.float32 and probe32["w"].tolist() == [float(np.float32(0.6))]
    # Adam's first step in float32 arithmetic: 0.9 in float32, not the double result rounded to float32.
    w = decode(replies[2]["result"])["w"]
    assert w.dtype == np.float32 and w.tolist() == [float(np.float32(0.9))] == [0.8999999761581421]
    in_double = {k: encode(decode(v).astype(np.float64)) if isinstance(v, dict) else v for k, v in first_step.items()}
    assert np.float32(decode(evaluate("adam_step", in_double))["w"][0]) != w[0]
    # Non-finite numbers travel as strings, both ways; relu(-inf) = 0.
    assert replies[3]["result"] == _a("float64", [0.0, 0.0, 2.5, "nan", "inf", 0.0], [2, 3])
    assert replies[4]["result"] == 0.1  # 0.2 / (1 + 1 * 1)
    assert [x.dtype for x in decode(replies[5]["result"])["w"]] == [np.float32, np.float32]
    # Momentum's probe: v = 0.5 * 0.5 + 0.5 * 1 = 0.75, w = 1 - 0.5 * 0.75.
    assert decode(replies[6]["result"])["w"].tolist() == [0.625]


def test_hello_and_replies_follow_the_protocols_schema(builds):
    schema = json.loads(SCHEMA_PATH.read_text())
    hello, probe = _send(builds["client"], [{"id": 0, "op": "hello", "protocol": 1}, _adam_probe("float32", 1)])
    assert hello == {"id": 0, "ops": list(OPS), "name": "gradspec example client (C)"}
    for message in (hello, probe):
        jsonschema.validate(message, schema)
    (bug_hello,) = _send(builds["client_adam_bug"], [{"id": 0, "op": "hello", "protocol": 1}])
    assert bug_hello["name"] == "gradspec example client with an Adam bug (C)"


def test_a_malformed_line_gets_an_error_reply_and_the_client_keeps_serving(builds):
    relu = {"id": 9, "op": "relu", "args": {"z": _a("float64", [-1.0, 3.0])}}
    replies = _talk(builds["client"], [
        "not json",
        '{"id": 7, "op": "relu", "args": {"z": ',  # cut short: its id can still be read
        json.dumps({"id": 8, "op": "no_such_op", "args": {}}),
        json.dumps({"id": 10, "op": "relu", "args": {"z": _a("float16", [1.0])}}),
        json.dumps({"id": 11, "op": "gd_step", "args": {"w": _a("float64", [1.0, 2.0]), "g": _a("float64", [1.0]),
                                                         "learning_rate": 0.1}}),
        json.dumps(relu),
    ])
    assert replies[0]["id"] is None and replies[0]["error"].startswith("the line is not JSON")
    assert replies[1]["id"] == 7 and replies[1]["error"].startswith("the line is not JSON")
    assert replies[2] == {"id": 8, "error": "no op no_such_op"}
    assert replies[3]["id"] == 10 and "dtype must be \"float64\" or \"float32\"" in replies[3]["error"]
    assert replies[4]["id"] == 11 and "g has shape (1,) but w has shape (2,)" in replies[4]["error"]
    assert replies[5] == {"id": 9, "result": evaluate("relu", relu["args"])}
    assert replies[5]["result"]["data"] == [0.0, 3.0]


def test_vectors_check_passes_the_client_and_fails_the_bug(builds, tmp_path):
    directory = tmp_path / "vectors"
    subprocess.run([sys.executable, "-m", "gradspec", "vectors", "export", str(directory)], check=True,
                   capture_output=True, timeout=120)
    results = {}
    for name, binary in builds.items():
        report = tmp_path / f"{name}.json"
        done = subprocess.run([sys.executable, "-m", "gradspec", "vectors", "check", str(directory), "--exec",
                               str(binary), "--json", str(report)], capture_output=True, text=True, timeout=600)
        results[name] = done.returncode, json.loads(report.read_text()), done.stdout + done.stderr
    code, report, out = results["client"]
    assert code == 0, out
    assert _statuses(report) == dict.fromkeys(OPS, "pass")
    code, report, out = results["client_adam_bug"]
    assert code == 1, out
    assert {op for op, s in _statuses(report).items() if s != "pass"} == {"adam_step", "trajectory",
                                                                            "adam_weight_decay_step"}
    assert _entry(report, "adam_step")["checks"][0]["message"].startswith("tcId 1 (probe: the four dialects part")
