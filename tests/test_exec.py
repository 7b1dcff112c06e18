"""gradspec verify --exec: implementations in other languages over protocol v1 (gradspec.conformance.exec).

The clients: tests/targets/protocol/reference_client.py (every op, answered by gradspec's reference,
and made to misbehave on request) and the shipped Node.js examples (examples/protocol/), which CI
verifies (it installs Node.js where it is missing; GRADSPEC_REQUIRE_NODE makes its absence a failure).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradspec.conformance.protocol import OPS, decode, evaluate

ROOT = Path(__file__).resolve().parents[1]
CLIENT = f"{sys.executable} {ROOT / 'tests' / 'targets' / 'protocol' / 'reference_client.py'}"


def verify(command: str, *options: str, cwd: Path = ROOT) -> tuple[int, dict, str]:
    report = cwd / ".." / f"exec-report-{os.getpid()}.json"
    done = subprocess.run([sys.executable, "-m", "gradspec", "verify", "--exec", command, "--profile", "quick",
                           "--json", str(report), *options], capture_output=True, text=True, cwd=cwd, timeout=600)
    data = json.loads(report.read_text()) if report.exists() else {}
    report.unlink(missing_ok=True)
    return done.returncode, data, done.stdout + done.stderr


def _statuses(report: dict) -> dict[str, str]:
    return {f["name"]: f["status"] for f in report["functions"]}



def test_a_complete_correct_client_passes_every_op(tmp_path):
    code, report, out = verify(CLIENT, "--sandbox", "none", cwd=tmp_path)
    assert code == 0, out
    assert _statuses(report) == dict.fromkeys(OPS, "pass")
    assert report["target"].endswith("(reference client)") and report["sandbox"] == "none"
    dialects = {f["name"]: f["dialects"] for f in report["functions"]}
    assert dialects["adam_step"] == ["adam/eps-outside"] and dialects["rmsprop_step"] == ["rmsprop/eps-inside"]
    assert "momentum/first-gradient" not in dialects["trajectory"]  # a trajectory tells it from the EMA


def test_a_client_in_another_dialect_is_named_and_passes_when_it_is_declared(tmp_path):
    command = f"{CLIENT} --adam eps-inside"
    code, report, out = verify(command, cwd=tmp_path)
    assert code == 1, out
    adam = next(f for f in report["functions"] if f["name"] == "adam_step")
    assert adam["status"] == "fail" and adam["dialects"] == ["adam/eps-inside"]
    assert "; it matches adam/eps-inside" in adam["checks"][0]["message"]
    code, report, out = verify(command, "--dialect", "adam=eps-inside", cwd=tmp_path)
    statuses = _statuses(report)
    assert statuses["adam_step"] == "pass"
    assert statuses["trajectory"] == "fail"  # its Adam is the canonical one: the declared dialect holds everywhere


@pytest.mark.parametrize(("kind", "op", "status", "message"), [
    ("garbage", "relu", "error", 'wrote a line that is not JSON during relu: "this is not JSON"'),
    ("out-of-turn", "tanh", "error", "answered out of turn during tanh"),
    ("hang", "sigmoid", "error", "did not answer within 1 s (sigmoid); it was stopped"),
    ("exit-on-adam", "adam_step", "error", "the client exited with status 9 during adam_step"),
    ("error-on-sigmoid", "sigmoid", "error", "answered with an error: sigmoid is not implemented yet"),
    ("wrong-shape", "relu", "fail", "result has shape (1, 1), expected (1,)"),
])
def test_a_bad_client_is_an_error_of_that_op_never_a_crash(tmp_path, kind, op, status, message):
    code, report, out = verify(f"{CLIENT} --misbehave {kind}", "--timeout", "1", cwd=tmp_path)
    assert code == 1, out
    statuses = _statuses(report)
    assert statuses.pop(op) == status
    assert set(statuses.values()) == {"pass"}, out  # it is started again for the others
    entry = next(f for f in report["functions"] if f["name"] == op)
    assert message in entry["checks"][0]["message"]


def test_a_client_that_dies_at_hello_is_a_usage_error(tmp_path):
    code, _, out = verify(f"{CLIENT} --misbehave crash-at-hello", cwd=tmp_path)
    assert code == 2
    assert "the client exited with status 3 during hello" in out


def test_hello_refused_or_never_flushed_is_a_usage_error_that_says_why(tmp_path):
    refusing = tmp_path / "refusing.py"
    refusing.write_text("import json, sys\n"
                        "for line in sys.stdin:\n"
                        "    print(json.dumps({'id': 0, 'error': 'I speak protocol 2'}), flush=True)\n")
    code, _, out = verify(f"{sys.executable} {refusing}", cwd=tmp_path)
    assert code == 2 and "answered hello with an error: I speak protocol 2" in out
    buffered = tmp_path / "buffered.py"  # answers, but into a buffer it never flushes
    buffered.write_text("import json, sys\n"
                        "out = open(sys.stdout.fileno(), 'w', buffering=1 << 16, closefd=False)\n"
                        "for line in sys.stdin:\n"
                        "    out.write(json.dumps({'id': 0, 'ops': []}) + '\\n')\n")
    code, _, out = verify(f"{sys.executable} {buffered}", "--timeout", "0.2", cwd=tmp_path)
    assert code == 2
    assert ("did not answer within 2 s (hello); it was stopped (hello may take 10 x --timeout: raise --timeout if "
            "it starts slowly; if it did answer, it must flush stdout after each reply)") in out


def test_a_failing_trajectory_is_judged_on_its_own_rule_s_dialects(tmp_path):
    # The bug is Adam's: the momentum and RMSProp dialects it matched elsewhere are not named.
    bug = ROOT / "tests" / "targets" / "protocol" / "buggy_client.py"
    code, report, out = verify(f"{sys.executable} {bug} --ops trajectory --trajectory-adam eps-hat", cwd=tmp_path)
    assert code == 1, out
    (trajectory,) = [f for f in report["functions"] if f["status"] != "missing"]
    message = trajectory["checks"][0]["message"]
    assert message.endswith("; it matches adam/eps-hat"), message
    assert trajectory["checks"][0]["counterexample"]["label"] == "the request to send"


def test_the_node_example_passes_and_its_adam_bug_fails_with_a_request_that_reproduces(tmp_path, node):
    code, report, out = verify(f"{node} examples/protocol/client.js")
    assert code == 0, out
    statuses = _statuses(report)
    assert {op for op, s in statuses.items() if s == "pass"} == {
        "gd_step", "momentum_step", "rmsprop_step", "adam_step", "sigmoid", "tanh", "relu", "ewa_step",
        "bias_correction", "inverse_time_decay", "exponential_decay"}
    assert {s for s in statuses.values()} == {"pass", "missing"}
    code, report, out = verify(f"{node} examples/protocol/client_adam_bug.js")
    assert code == 1, out
    adam = next(f for f in report["functions"] if f["name"] == "adam_step")
    assert adam["status"] == "fail" and adam["dialects"] == []
    counterexample = adam["checks"][0]["counterexample"]
    request = json.loads(counterexample["snippet"])  # the JSON request to send, as the report shows it
    sent = subprocess.run([node, "examples/protocol/client_adam_bug.js"], input=json.dumps(request) + "\n",
                          capture_output=True, text=True, cwd=ROOT, check=True)
    reply = json.loads(sent.stdout)
    assert reply["id"] == 1
    got = decode(reply["result"])["w"]
    assert got.tolist() == counterexample["actual"]["data"]
    assert decode(evaluate("adam_step", request["args"]))["w"].tolist() == counterexample["expected"]["data"]


def _vectors_check(directory: Path, command: str, *options: str) -> tuple[int, dict, str]:
    report = directory.parent / "vectors-report.json"
    done = subprocess.run([sys.executable, "-m", "gradspec", "vectors", "check", str(directory), "--exec", command,
                           "--json", str(report), *options], capture_output=True, text=True, timeout=600)
    data = json.loads(report.read_text()) if report.exists() else {}
    report.unlink(missing_ok=True)
    return done.returncode, data, done.stdout + done.stderr


def test_vectors_check_runs_the_files_against_a_client_without_hypothesis(tmp_path):
    directory = tmp_path / "vectors"
    assert subprocess.run([sys.executable, "-m", "gradspec", "vectors", "export", str(directory)],
                          check=False).returncode == 0
    code, report, out = _vectors_check(directory, CLIENT)
    assert code == 0, out
    assert _statuses(report) == dict.fromkeys(OPS, "pass")
    code, report, out = _vectors_check(directory, f"{CLIENT} --adam eps-inside")
    assert code == 1
    adam = next(f for f in report["functions"] if f["name"] == "adam_step")
    assert adam["status"] == "fail" and adam["dialects"] == ["adam/eps-inside"]
    assert adam["checks"][0]["message"].startswith("tcId 1 (probe: the four dialects part")
    assert "; it matches adam/eps-inside" in adam["checks"][0]["message"]
    code, report, out = _vectors_check(directory, f"{CLIENT} --adam eps-inside", "--dialect", "adam=eps-inside")
    assert _statuses(report)["adam_step"] == "pass"
    code, _, out = _vectors_check(tmp_path / "nothing-here", CLIENT)
    assert code == 2 and "holds no vectors files (write them with gradspec vectors export)" in out
