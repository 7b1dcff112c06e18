"""gradspec verify, against the reference, broken copies of it, other correct styles, the
seeds' own code, and targets that misbehave."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gradspec.conformance.suite import FUNCTIONS
from gradspec.conformance.verify import UsageError, verify

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "targets"))
sys.path.insert(0, str(HERE))
from mutants import HEADER, MUTANTS  # noqa: E402
from seed_code import seed000_module, seed002_adam_module, seeds_dir  # noqa: E402

ALL = {f.name for f in FUNCTIONS}


def gradspec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gradspec", *args], capture_output=True, text=True,
                          check=False)


@pytest.fixture(scope="module")
def reference_report():
    return verify("reference", profile="quick")


def test_every_notebook_function_of_the_issue_is_checked():
    assert set(MUTANTS) == ALL
    assert len(ALL) == 29


def test_the_reference_conforms(reference_report):
    assert reference_report.summary == {"pass": 29, "fail": 0, "error": 0, "missing": 0}
    by_name = {f.name: f for f in reference_report.functions}
    assert by_name["update_parameters_with_adam"].dialects == ["adam/eps-outside"]
    assert by_name["update_parameters_with_momentum"].dialects == ["momentum/ema"]
    assert by_name["update_parameters_with_rmsprop"].dialects == ["rmsprop/eps-inside"]
    assert by_name["relu_backward"].dialects == ["relu-grad/zero-at-zero"]
    assert by_name["compute_cost"].dialects == ["cost/mean"]
    checks = {c.id for c in by_name["update_parameters_with_adam"].checks}
    assert {"differential", "pinned:adam-000", "pinned:adam-001", "invariant:first-step-bounded"} <= checks


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_each_broken_function_is_caught(tmp_path, name):
    module = tmp_path / "broken.py"
    module.write_text(HEADER + MUTANTS[name])
    (result,) = verify(str(module), profile="quick", functions=[name]).functions
    assert result.status in {"fail", "error"}, result
    failing = result.first_failure
    assert failing is not None and failing.message
    if failing.id == "differential" and failing.counterexample:
        assert "snippet" in failing.counterexample and f"{name}(*args)" in failing.counterexample["snippet"]
    if name == "relu_backward":  # a known other convention, named as such
        assert result.status == "fail"
        assert result.dialects == ["relu-grad/one-at-zero"]
        assert "--dialect relu-grad=one-at-zero" in failing.message


@pytest.mark.parametrize("name", ["update_parameters_with_adam", "backward_propagation", "random_mini_batches",
                                  "sigmoid"])
def test_one_broken_function_leaves_the_others_passing(tmp_path, name):
    module = tmp_path / "broken.py"
    module.write_text(HEADER + MUTANTS[name])
    report = verify(str(module), profile="quick")
    statuses = {f.name: f.status for f in report.functions}
    assert statuses.pop(name) in {"fail", "error"}
    if name == "sigmoid":  # the backward pass is checked against the target's own forward function
        assert statuses.pop("sigmoid_backward") == "fail"
    assert set(statuses.values()) == {"pass"}, statuses


def test_correct_implementations_in_other_styles_conform():
    report = verify(str(HERE / "targets" / "different_style.py"), profile="quick")
    assert report.summary["fail"] == report.summary["error"] == 0, [
        (f.name, f.first_failure) for f in report.functions if f.status in {"fail", "error"}]
    assert report.summary["pass"] == 23


SEEDS = seeds_dir()
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="the seed documents (../shared/seeds) are not here")


@needs_seeds
def test_seed_000_conforms_with_its_cost_as_a_sum(tmp_path):
    module = seed000_module(SEEDS, tmp_path / "seed000.py")
    report = verify(str(module), profile="quick", dialects={"cost": "sum"})
    statuses = {f.name: f.status for f in report.functions if f.status != "missing"}
    # predict calls np.int, which NumPy 1.24 removed: the seed's code cannot run today
    assert statuses.pop("predict") == "error"
    assert set(statuses.values()) == {"pass"}, statuses
    by_name = {f.name: f for f in report.functions}
    assert by_name["compute_cost"].dialects == ["cost/sum"]
    assert "np.int" in by_name["predict"].first_failure.message or "int" in by_name["predict"].first_failure.message
    undeclared = verify(str(module), profile="quick", functions=["compute_cost"])
    assert undeclared.functions[0].status == "fail"
    assert "--dialect cost=sum" in undeclared.functions[0].first_failure.message


@needs_seeds
def test_seed_002_adam_is_eps_inside(tmp_path):
    module = seed002_adam_module(SEEDS, tmp_path / "seed002.py")
    (adam,) = verify(str(module), profile="quick", functions=["update_parameters_with_adam"]).functions
    assert adam.status == "fail" and adam.dialects == ["adam/eps-inside"]
    declared = verify(str(module), profile="quick", dialects={"adam": "eps-inside"},
                      functions=["update_parameters_with_adam"])
    assert declared.functions[0].status == "pass"


MISBEHAVING = '''
import os, sys, time
import numpy as np
print("a target that prints on import")

def sigmoid(x):
    print("and prints when called")
    return 1 / (1 + np.exp(-x))

def relu(x):
    time.sleep(60)

def update_lr(learning_rate0, epoch_num, decay_rate):
    sys.exit(3)

def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    os._exit(7)

def tanh_backward(dA, cache):
    return np.zeros(10**12)

def sigmoid_backward(dA, cache):
    return (dA * 0).astype(np.float32)

def compute_cost(a3, Y):
    return float("nan")

def initialize_velocity(parameters):
    return {"dW1": 0}
'''


def test_misbehaving_functions_are_reported_and_the_run_carries_on(tmp_path):
    module = tmp_path / "misbehaving.py"
    module.write_text(MISBEHAVING)
    report = verify(str(module), profile="quick", timeout=1.0)
    by_name = {f.name: f for f in report.functions}
    assert by_name["sigmoid"].status == "pass"
    messages = {name: by_name[name].first_failure.message for name in
                ("relu", "update_lr", "schedule_lr_decay", "tanh_backward", "sigmoid_backward",
                 "compute_cost", "initialize_velocity")}
    assert all(by_name[name].status == "error" for name in messages), messages
    assert "did not return within 1 s" in messages["relu"]
    assert "sys.exit(3)" in messages["update_lr"]
    assert "exited with status 7" in messages["schedule_lr_decay"]
    assert "MemoryError" in messages["tanh_backward"] or "allocate" in messages["tanh_backward"]
    assert "lost precision: float64 in, float32 out" in messages["sigmoid_backward"]
    assert "NaN" in messages["compute_cost"]
    assert "has no key" in messages["initialize_velocity"] or "returned" in messages["initialize_velocity"]
    assert report.summary["missing"] == 29 - 8


def test_same_target_same_verdict_and_counterexample(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text(HEADER + MUTANTS["update_parameters_with_momentum"])
    runs = [verify(str(broken), profile="quick", functions=["update_parameters_with_momentum"]).to_json()
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0]["functions"][0]["checks"][0]["counterexample"]["args"]


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="profile must be one of"):
        verify("reference", profile="fast")
    (tmp_path / "empty.py").write_text("x = 1\n")
    with pytest.raises(UsageError, match="defines none of the notebook functions"):
        verify(str(tmp_path / "empty.py"))
    (tmp_path / "broken_import.py").write_text("import numpy\nraise RuntimeError('boom at import')\n")
    with pytest.raises(UsageError, match="RuntimeError: boom at import"):
        verify(str(tmp_path / "broken_import.py"))


def test_exit_codes_and_json(tmp_path):
    out = tmp_path / "report.json"
    ok = gradspec("verify", "reference", "--profile", "quick", "--json", str(out))
    assert ok.returncode == 0, ok.stderr
    assert "29 pass, 0 fail, 0 error, 0 missing" in ok.stdout
    report = json.loads(out.read_text())
    assert set(report) == {"gradspec_version", "target", "profile", "versions", "functions", "summary"}
    assert report["target"] == "reference" and report["profile"] == "quick" and report["versions"] == {}
    assert report["summary"] == {"pass": 29, "fail": 0, "error": 0, "missing": 0}
    for function in report["functions"]:
        assert set(function) == {"name", "rule", "status", "dialects", "checks"}
        assert function["status"] in {"pass", "fail", "error", "missing"}
        for check in function["checks"]:
            assert set(check) == {"id", "status", "message", "counterexample", "probes"}
            assert check["probes"] is None  # framework checks only
            assert check["status"] in {"pass", "fail", "error"}

    broken = tmp_path / "broken.py"
    broken.write_text(HEADER + MUTANTS["update_parameters_with_adam"])
    failed = gradspec("verify", str(broken), "--profile", "quick", "--json", str(out))
    assert failed.returncode == 1
    assert "minimal counterexample" in failed.stdout
    adam = next(f for f in json.loads(out.read_text())["functions"] if f["name"] == "update_parameters_with_adam")
    assert adam["status"] == "fail"
    counterexample = adam["checks"][0]["counterexample"]
    expected_keys = {"function", "args", "expected", "actual", "max_abs_error", "max_rel_error", "snippet"}
    assert expected_keys <= set(counterexample)

    assert gradspec("verify", "reference", "--no-such-option").returncode == 2
    missing = gradspec("verify", str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "cannot import" in missing.stderr
    dialect = gradspec("verify", "reference", "--dialect", "adam=eps-sideways")
    assert dialect.returncode == 2 and "adam has dialects" in dialect.stderr
    assert gradspec("verify", "reference", "--timeout", "0").returncode == 2


def test_counterexample_snippet_runs(tmp_path):
    broken = tmp_path / "broken_lr.py"
    broken.write_text(HEADER + MUTANTS["update_lr"])
    (result,) = verify(str(broken), profile="quick", functions=["update_lr"]).functions
    snippet = result.first_failure.counterexample["snippet"]
    namespace: dict[str, object] = {}
    exec(snippet, namespace)  # the snippet reproduces the failure: result != expected
    assert namespace["result"] != pytest.approx(namespace["expected"])


def test_the_pytest_route_gives_junit_xml(tmp_path):
    import xml.etree.ElementTree as ET

    example = HERE.parent / "examples" / "notebook_adam_bug.py"
    if not example.is_file():
        pytest.skip("not running from a source checkout")
    test_file = tmp_path / "test_student.py"
    test_file.write_text("from gradspec.conformance.testing import conformance_tests\n\n"
                         f"test_student = conformance_tests({str(example)!r}, profile='quick')\n")
    xml = tmp_path / "junit.xml"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file),
                          f"--junitxml={xml}", "--rootdir", str(tmp_path)],
                         capture_output=True, text=True, check=False, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    suite = ET.parse(xml).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("29", "1", "21")
    failed = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == ["test_student[update_parameters_with_adam]"]
    assert "args = (" in failed[0].find("failure").get("message", "") + (failed[0].find("failure").text or "")


def test_examples_pass_and_fail_as_documented():
    examples = HERE.parent / "examples"
    if not examples.is_dir():
        pytest.skip("not running from a source checkout")
    correct = verify(str(examples / "notebook_correct.py"), profile="quick")
    assert correct.summary == {"pass": 8, "fail": 0, "error": 0, "missing": 21}
    buggy = verify(str(examples / "notebook_adam_bug.py"), profile="quick")
    assert {f.name: f.status for f in buggy.functions if f.status == "fail"} == {
        "update_parameters_with_adam": "fail"}
    assert buggy.summary["pass"] == 7


def test_a_target_can_be_an_importable_module_name():
    report = verify("gradspec.reference.notebook", profile="quick", functions=["update_lr", "sigmoid"])
    assert [f.status for f in report.functions] == ["pass", "pass"]
    assert report.target == "gradspec.reference.notebook"
    with pytest.raises(UsageError, match="cannot import no_such_module_anywhere: ModuleNotFoundError"):
        verify("no_such_module_anywhere")


def test_the_guide_shows_the_bug_examples_real_counterexample():
    """docs/verifying.md quotes `gradspec verify examples/notebook_adam_bug.py`; keep it true.

    Run as users run it, in a fresh process: the shrunk counterexample (not the verdict) can
    differ in a process that has imported other modules first."""
    root = HERE.parent
    if not (root / "examples").is_dir():
        pytest.skip("not running from a source checkout")
    run = subprocess.run([sys.executable, "-m", "gradspec", "verify", "examples/notebook_adam_bug.py"],
                         capture_output=True, text=True, check=False, cwd=root)
    assert run.returncode == 1, run.stdout + run.stderr
    printed = run.stdout[run.stdout.index("update_parameters_with_adam: differential FAIL"):]
    where = printed.splitlines()[1]
    guide = (root / "docs" / "verifying.md").read_text()
    assert f"{where}\n" in guide
    assert "1, 0.01, 0.9, 0.999, 1e-12)\n" in printed
    assert "1, 0.01, 0.9, 0.999, 1e-12)" in guide
