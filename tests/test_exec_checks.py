"""gradspec verify --exec beyond the differential check: the ops' invariants
(gradspec.conformance.op_invariants) and the seeds' pinned cases computed with ops, skipped with a
reason where a dialect, a missing op or an op that erred rules them out.

The clients: tests/targets/protocol/reference_client.py (correct), tests/targets/protocol/buggy_client.py
(the reference with the bugs and dialects it is told to have; --ops limits what it lists, which keeps
these runs short) and the shipped Node.js examples. The checks run in this process, quick profile
(no Report is made here: the snippets of an --exec report are JSON requests, not Python).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gradspec.conformance.exec import verify_exec
from gradspec.conformance.protocol import OPS, decode
from gradspec.conformance.report import FunctionResult
from gradspec.conformance.seeds import CASES, optimizer_test_case

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = ROOT / "tests" / "targets" / "protocol"
REFERENCE = f"{sys.executable} {CLIENTS / 'reference_client.py'}"
BUGGY = f"{sys.executable} {CLIENTS / 'buggy_client.py'}"
OPTIONS = {"timeout": 5.0, "sandbox": "none", "max_reply_bytes": 256 * 2**20}
PINNED_CASES = {case.id: case for case in CASES}

#: Every check a complete, correct client gets, after the differential check, op by op.
EXPECTED = {
    "gd_step": ["pinned:gd", "invariant:zero-gradient", "invariant:dtype-shape"],
    "momentum_step": ["pinned:momentum", "invariant:zero-gradient", "invariant:beta-zero-is-gd",
                      "invariant:dtype-shape"],
    "rmsprop_step": ["invariant:zero-gradient", "invariant:dtype-shape"],
    "adam_step": ["pinned:adam-000", "pinned:adam-001", "invariant:zero-gradient", "invariant:first-step-bounded",
                  "invariant:dtype-shape"],
    "nesterov_step": ["invariant:zero-gradient", "invariant:dtype-shape"],
    "amsgrad_step": ["invariant:zero-gradient", "invariant:dtype-shape"],
    "rmsprop_centered_step": ["invariant:zero-gradient", "invariant:dtype-shape"],
    "rmsprop_momentum_step": ["invariant:zero-gradient", "invariant:dtype-shape"],
    "adagrad_step": ["invariant:zero-gradient", "invariant:dtype-shape"],
    "adam_weight_decay_step": ["invariant:no-decay-is-adam", "invariant:dtype-shape"],
    "trajectory": ["invariant:one-step-is-gd_step", "invariant:one-step-is-momentum_step",
                   "invariant:one-step-is-rmsprop_step", "invariant:one-step-is-adam_step", "invariant:dtype-shape"],
    "sigmoid": ["invariant:symmetry", "invariant:dtype-shape"],
    "sigmoid_backward": ["invariant:finite-differences", "invariant:dtype-shape"],
    "tanh": ["invariant:odd", "invariant:dtype-shape"],
    "tanh_backward": ["invariant:finite-differences", "invariant:dtype-shape"],
    "relu": ["invariant:odd-part", "invariant:dtype-shape"],
    "relu_grad": ["invariant:finite-differences", "invariant:dtype-shape"],
    "relu_backward": ["invariant:finite-differences", "invariant:dtype-shape"],
    "leaky_relu": ["invariant:odd-part", "invariant:dtype-shape"],
    "leaky_relu_grad": ["invariant:finite-differences", "invariant:dtype-shape"],
    "softmax": ["invariant:columns-sum-to-one", "invariant:shift-invariance", "invariant:dtype-shape"],
    "binary_cross_entropy": ["invariant:label-flip"],
    "binary_cross_entropy_with_logits": ["invariant:label-flip"],
    "categorical_cross_entropy": ["invariant:non-negative"],
    "mean_squared_error": ["invariant:zero-at-target"],
    "softmax_cross_entropy_grad": ["invariant:columns-sum-to-zero", "invariant:dtype-shape"],
    "ewa_step": ["pinned:ewa-temperature", "invariant:constant", "invariant:beta-zero", "invariant:dtype-shape"],
    "bias_correction": ["invariant:beta-zero", "invariant:constant-sequence", "invariant:dtype-shape"],
    "inverse_time_decay": ["pinned:learning-rate-prints", "pinned:inverse-time-table", "invariant:non-increasing"],
    "staircase_decay": ["pinned:learning-rate-prints", "invariant:non-increasing"],
    "exponential_decay": ["invariant:non-increasing"],
    "exponential_staircase_decay": ["invariant:non-increasing"],
    "inverse_sqrt_decay": ["invariant:non-increasing"],
}


def run(command: str, **dialects: str) -> dict[str, FunctionResult]:
    results, _ = verify_exec(command, profile="quick", options=OPTIONS, dialects=dialects)
    return {r.name: r for r in results if r.status != "missing"}


def checks(result: FunctionResult) -> dict[str, tuple[str, str]]:
    return {c.id: (c.status, c.message) for c in result.checks}


def check(result: FunctionResult, check_id: str):
    return next(c for c in result.checks if c.id == check_id)


def send(command: str, requests: list[str]) -> list:
    """What the client answers to these JSON lines, in order (decoded results)."""
    done = subprocess.run(command.split(), input="\n".join(['{"id": 0, "op": "hello", "protocol": 1}', *requests])
                          + "\n", capture_output=True, text=True, check=True, cwd=ROOT)
    return [decode(json.loads(line)["result"]) for line in done.stdout.splitlines()[1:]]


def test_a_correct_client_passes_every_invariant_and_every_pinned_case_that_applies():
    results = run(REFERENCE)
    assert list(results) == list(OPS)
    got = {op: [c.id for c in r.checks] for op, r in results.items()}
    assert got == {op: ["differential", *ids] for op, ids in EXPECTED.items()}
    failing = [(op, c.id, c.message) for op, r in results.items() for c in r.checks if c.status != "pass"]
    assert failing == []
    assert {r.status for r in results.values()} == {"pass"}
    # a passing pinned case or invariant says what it checked
    assert check(results["gd_step"], "pinned:gd").message == PINNED_CASES["gd"].description
    assert check(results["sigmoid"], "invariant:symmetry").message == "sigmoid(-z) = 1 - sigmoid(z)"
    assert check(results["momentum_step"], "invariant:beta-zero-is-gd").message == (
        "momentum with beta = 0 is gradient descent: w as gd_step gives it")  # the client's own gd_step


def test_a_sigmoid_off_for_negative_z_within_the_tolerance_breaks_its_symmetry():
    sigmoid = run(f"{BUGGY} --ops sigmoid --bug sigmoid-negative")["sigmoid"]
    assert checks(sigmoid)["differential"][0] == "pass"  # 3e-10 relative is inside the 1e-9 tolerance
    assert sigmoid.status == "fail"
    symmetry = check(sigmoid, "invariant:symmetry")
    assert symmetry.status == "fail"
    assert symmetry.message.startswith(
        "sigmoid(-z) = 1 - sigmoid(z): result sigmoid(-z) differs from 1 - sigmoid(z) by ")
    assert symmetry.message.endswith("(more than 8.9e-16)")
    # the counterexample is the two requests to send; sent again, they reproduce it
    requests = symmetry.counterexample["snippet"].splitlines()
    assert [json.loads(r)["op"] for r in requests] == ["sigmoid", "sigmoid"]
    minus, plus = (decode(json.loads(r)["args"]["z"]) for r in requests)
    np.testing.assert_array_equal(minus, -plus)
    left, right = send(f"{BUGGY} --ops sigmoid --bug sigmoid-negative", requests)
    assert left.tolist() == symmetry.counterexample["actual"]["data"]
    assert (1 - right).tolist() == symmetry.counterexample["expected"]["data"]
    assert np.max(np.abs(left - (1 - right))) > 1e-11
    assert checks(sigmoid)["invariant:dtype-shape"][0] == "pass"


def test_float32_results_that_come_back_as_float64_pass_the_differential_check_and_fail_dtype_shape():
    results = run(f"{BUGGY} --ops gd_step,sigmoid,trajectory --bug float64-out")
    for op, path in (("gd_step", "result['w']"), ("sigmoid", "result"), ("trajectory", "result['w'][0]")):
        assert checks(results[op])["differential"][0] == "pass"
        layout = check(results[op], "invariant:dtype-shape")
        assert layout.status == "fail" and results[op].status == "fail"
        assert layout.message == ("the result's arrays keep the inputs' dtype (float32 in, float32 out) and have "
                                  f"the reference's shape: {path} is float64 for float32 inputs")
        (request,) = layout.counterexample["snippet"].splitlines()
        assert json.loads(request)["op"] == op and '"dtype": "float64"' not in request
    assert checks(results["gd_step"])["invariant:zero-gradient"][0] == "pass"
    assert checks(results["gd_step"])["pinned:gd"][0] == "pass"


def _buggy_adam_w1(t: int, lr: float, beta1: float, beta2: float, epsilon: float) -> np.ndarray:
    """W1 after Adam with the second moment corrected by beta1, from zero moments (buggy_client.py's bug)."""
    parameters, grads = optimizer_test_case()
    w, g = parameters["W1"], grads["dW1"]
    v, s = (1 - beta1) * g, (1 - beta2) * g * g
    return w - lr * (v / (1 - beta1**t)) / (np.sqrt(s / (1 - beta1**t)) + epsilon)


def test_an_adam_bug_fails_the_seeds_printed_numbers_and_the_first_step_bound():
    adam = run(f"{BUGGY} --ops adam_step --bug adam-beta1")["adam_step"]
    assert adam.status == "fail" and checks(adam)["differential"][0] == "fail"
    for case_id, seed, hyperparameters in (("adam-000", "000", (2, 0.02, 0.8, 0.888, 1e-2)),
                                           ("adam-001", "001", (2, 0.01, 0.9, 0.999, 1e-8))):
        pinned = check(adam, f"pinned:{case_id}")
        case = PINNED_CASES[case_id]
        assert pinned.status == "fail"
        assert pinned.message.startswith(f"W1 differs from what seed {seed} printed ({case.description}): printed "
                                         f"{' '.join(case.printed['W1'].text.split())}, computed [[")
        assert pinned.counterexample["entry"] == "W1"
        printed, computed = pinned.counterexample["printed"], pinned.counterexample["computed"]  # protocol values
        assert printed["shape"] == [2, 3] and printed["data"] == case.printed["W1"].values.ravel().tolist()
        np.testing.assert_allclose(np.reshape(computed["data"], computed["shape"]), _buggy_adam_w1(*hyperparameters),
                                   rtol=1e-12)
    bounded = check(adam, "invariant:first-step-bounded")
    assert bounded.status == "fail"
    assert bounded.message == ("Adam's first step moves each coordinate by at most the learning rate: result['w'] "
                               "moved a coordinate by 0.1, more than the learning rate 0.01")
    assert checks(adam)["invariant:zero-gradient"][0] == "pass"  # no gradient, no step, whatever the correction


def test_a_pinned_case_of_two_ops_blames_the_one_that_is_wrong():
    results = run(f"{BUGGY} --ops inverse_time_decay,staircase_decay --bug staircase-ceil")
    assert results["inverse_time_decay"].status == "pass"  # judged with gradspec's staircase_decay
    assert checks(results["inverse_time_decay"])["pinned:learning-rate-prints"][0] == "pass"
    staircase = results["staircase_decay"]
    pinned = check(staircase, "pinned:learning-rate-prints")
    assert pinned.status == "fail"
    assert pinned.message == ("schedule_lr_decay(0.5, 10, 0.3, 100) differs from what seed 000 printed "
                              f"({PINNED_CASES['learning-rate-prints'].description}): printed 0.5, computed 0.38461538")
    assert pinned.counterexample == {"entry": "schedule_lr_decay(0.5, 10, 0.3, 100)",
                                     "printed": 0.5,
                                     "computed": 0.5 / 1.3}
    monotone = check(staircase, "invariant:non-increasing")
    assert monotone.status == "fail"
    assert "changes within the interval of" in monotone.message


@pytest.mark.parametrize("declared", [False, True])
def test_a_client_following_momentum_lr_inside_skips_the_printed_ema_numbers(declared):
    dialects = {"momentum": "lr-inside"} if declared else {}
    momentum = run(f"{BUGGY} --ops momentum_step --momentum lr-inside", **dialects)["momentum_step"]
    assert momentum.dialects == ["momentum/lr-inside"]
    assert momentum.status == ("pass" if declared else "fail")
    told = "momentum/lr-inside is declared" if declared else "the client follows momentum/lr-inside"
    assert checks(momentum)["pinned:momentum"] == ("skip", f"seed 000 printed momentum/ema numbers; {told}")
    # true in every dialect: they run, and hold
    assert checks(momentum)["invariant:zero-gradient"][0] == "pass"
    assert checks(momentum)["invariant:beta-zero-is-gd"] == (
        "pass", "momentum with beta = 0 is gradient descent: w as gd_step gives it (with gradspec's gd_step: the "
        "client does not list it)")


@pytest.mark.parametrize("declared", [False, True])
def test_an_invariant_that_holds_for_some_dialects_is_skipped_for_the_others(declared):
    dialects = {"adam": "no-bias-correction"} if declared else {}
    adam = run(f"{BUGGY} --ops adam_step --adam no-bias-correction", **dialects)["adam_step"]
    which = ("the declared adam/no-bias-correction" if declared else
             "adam/no-bias-correction, which the client follows")
    assert checks(adam)["invariant:first-step-bounded"] == (
        "skip", f"Adam's first step moves each coordinate by at most the learning rate: holds for adam dialects "
        f"eps-outside, eps-inside, eps-hat, not {which}")
    told = "adam/no-bias-correction is declared" if declared else "the client follows adam/no-bias-correction"
    for seed in ("000", "001"):
        assert checks(adam)[f"pinned:adam-{seed}"] == ("skip", f"seed {seed} printed adam/eps-outside numbers; {told}")
    assert adam.status == ("pass" if declared else "fail")


def test_checks_that_need_an_op_the_client_does_not_list_are_skipped_with_that_reason():
    results = run(f"{BUGGY} --ops momentum_step,trajectory,bias_correction,inverse_time_decay")
    assert {r.status for r in results.values()} == {"pass"}
    trajectory = checks(results["trajectory"])
    for rule in ("gd", "rmsprop", "adam"):
        assert trajectory[f"invariant:one-step-is-{rule}_step"] == (
            "skip", f"a one-step {rule} trajectory is {rule}_step from a fresh state: needs {rule}_step, which the "
            "client does not list")
    assert trajectory["invariant:one-step-is-momentum_step"][0] == "pass"  # it lists momentum_step
    assert checks(results["bias_correction"])["invariant:constant-sequence"] == (
        "skip", "the bias-corrected average of a constant sequence is that constant: needs ewa_step, which the client "
        "does not list")
    decay = checks(results["inverse_time_decay"])
    assert decay["pinned:learning-rate-prints"] == (
        "skip", "seed 000's printout calls schedule_lr_decay: needs staircase_decay, which the client does not list")
    assert decay["pinned:inverse-time-table"][0] == "pass"


def test_an_op_that_errs_is_not_relied_on_by_the_others():
    results = run(f"{BUGGY} --ops adam_step,trajectory --bug error-on-adam")
    adam = results["adam_step"]
    assert adam.status == "error"
    assert [c.id for c in adam.checks] == ["differential", *EXPECTED["adam_step"]]
    assert {checks(adam)[i] for i in EXPECTED["adam_step"]} == {
        ("skip", "not run: adam_step's differential check erred")}
    trajectory = results["trajectory"]
    assert trajectory.status == "pass"
    assert checks(trajectory)["invariant:one-step-is-adam_step"] == (
        "skip", "a one-step adam trajectory is adam_step from a fresh state: needs adam_step, whose own differential "
        "check erred")
    assert checks(trajectory)["invariant:dtype-shape"][0] == "pass"



def _cli(command: str, tmp_path: Path) -> tuple[int, dict, str]:
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "gradspec", "verify", "--exec", command, "--profile", "quick",
                           "--sandbox", "none", "--json", str(report)], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    return done.returncode, json.loads(report.read_text()), done.stdout


def test_the_node_examples_reports(tmp_path, node):
    code, report, out = _cli(f"{node} examples/protocol/client.js", tmp_path)
    assert code == 0, out
    listed = {f["name"]: f for f in report["functions"] if f["status"] != "missing"}
    assert {name: [c["id"] for c in f["checks"]] for name, f in listed.items()} == {
        op: ["differential", *EXPECTED[op]] for op in listed}
    skipped = {(name, c["id"]): c["message"] for name, f in listed.items() for c in f["checks"]
               if c["status"] != "pass"}
    assert skipped == {("inverse_time_decay", "pinned:learning-rate-prints"): "seed 000's printout calls "
                       "schedule_lr_decay: needs staircase_decay, which the client does not list"}
    assert "FAIL" not in out and out.rstrip().endswith(f"11 pass, 0 fail, 0 error, {len(OPS) - 11} missing")
    code, report, out = _cli(f"{node} examples/protocol/client_adam_bug.js", tmp_path)
    assert code == 1, out
    adam = next(f for f in report["functions"] if f["name"] == "adam_step")
    assert [(c["id"], c["status"]) for c in adam["checks"]] == [
        ("differential", "fail"), ("pinned:adam-000", "fail"), ("pinned:adam-001", "fail"),
        ("invariant:zero-gradient", "pass"), ("invariant:first-step-bounded", "fail"),
        ("invariant:dtype-shape", "pass")]
    for heading in ("adam_step: differential FAIL", "adam_step: pinned:adam-000 FAIL",
                    "adam_step: pinned:adam-001 FAIL", "adam_step: invariant:first-step-bounded FAIL"):
        assert heading in out.splitlines()
    assert out.rstrip().endswith(f"10 pass, 1 fail, 0 error, {len(OPS) - 11} missing")
