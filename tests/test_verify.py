"""gradspec verify, against the reference, broken copies of it, other correct styles, the
seeds' own code, and targets that misbehave."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gradspec.conformance.api import NAMES, VERSIONS
from gradspec.conformance.sandbox import bwrap_problem
from gradspec.conformance.verify import UsageError, verify

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "targets"))
sys.path.insert(0, str(HERE))
from mutants import MUTANTS, header  # noqa: E402
from seed_code import seed000_module, seed002_adam_module, seeds_dir  # noqa: E402

ALL = set(NAMES)


def gradspec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gradspec", *args], capture_output=True, text=True,
                          check=False)


@pytest.fixture(scope="module")
def reference_report():
    return verify("reference", profile="quick")


def test_every_version_of_every_function_has_a_realistic_bug():
    assert set(MUTANTS) == {v.id for v in VERSIONS}
    assert len(ALL) == 47 and len(VERSIONS) == 61


def test_the_reference_conforms_in_every_version(reference_report):
    assert reference_report.summary == {"pass": 61, "fail": 0, "error": 0, "missing": 0}
    assert [f.version for f in reference_report.functions] == [v.id for v in VERSIONS]
    by_version = {f.version: f for f in reference_report.functions}
    assert by_version["optimization:update_parameters_with_adam"].dialects == ["adam/eps-outside"]
    assert by_version["optimization:update_parameters_with_momentum"].dialects == ["momentum/ema"]
    assert by_version["optimization:update_parameters_with_rmsprop"].dialects == ["rmsprop/eps-inside"]
    assert by_version["deep:relu_backward"].dialects == ["relu-grad/zero-at-zero"]
    assert by_version["deep:compute_cost"].dialects == ["cost/mean"]
    assert by_version["shallow:initialize_parameters/seed-2"].dialects == ["rng/seeded"]
    checks = {c.id for c in by_version["optimization:update_parameters_with_adam"].checks}
    assert {"differential", "pinned:adam-000", "pinned:adam-001", "invariant:first-step-bounded"} <= checks


def _broken(tmp_path: Path, version_id: str) -> Path:
    """The reference's API of the version's assignment with the one broken function."""
    module = tmp_path / "broken.py"
    module.write_text(header(version_id) + MUTANTS[version_id])
    return module


COURSE = HERE / "targets" / "course"


def _in_notebook(tmp_path: Path, version_id: str) -> Path:
    """The broken function in a whole notebook of its assignment (tests/targets/course): where
    two versions share a signature, the notebook's other functions say which assignment it is."""
    assignment = version_id.split(":", 1)[0]
    notebook = "optimization_no_seed.py" if version_id.endswith("/no-seed") else f"{assignment}.py"
    module = tmp_path / "notebook.py"
    module.write_text((COURSE / notebook).read_text() + "\n\n# the student's broken version\n" + MUTANTS[version_id])
    return module


@pytest.mark.parametrize("version_id", sorted(MUTANTS))
def test_each_broken_function_is_caught_in_its_own_version(tmp_path, version_id):
    name = version_id.split(":", 1)[1].split("/", 1)[0]
    (result,) = verify(str(_in_notebook(tmp_path, version_id)), profile="quick", functions=[name]).functions
    assert result.status in {"fail", "error"}, result
    assert result.version == version_id, result.notes
    failing = result.first_failure
    assert failing is not None and failing.message
    if failing.id == "differential" and failing.counterexample:
        assert f"= target.{name}(*copy.deepcopy(args))" in failing.counterexample["snippet"]
    if version_id == "deep:relu_backward":  # a known other convention, named as such
        assert result.status == "fail"
        assert result.dialects == ["relu-grad/one-at-zero"]
        assert "--dialect relu-grad=one-at-zero" in failing.message


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
    # error: it raised, hung or crashed
    assert {name: by_name[name].status for name in ("relu", "update_lr", "schedule_lr_decay", "tanh_backward")} \
        == dict.fromkeys(("relu", "update_lr", "schedule_lr_decay", "tanh_backward"), "error"), messages
    assert "did not return within 1 s" in messages["relu"]
    assert "sys.exit(3)" in messages["update_lr"]
    assert "exited with status 7" in messages["schedule_lr_decay"]
    assert "MemoryError" in messages["tanh_backward"] or "allocate" in messages["tanh_backward"]
    # fail: it returned a wrong value, type, shape or length
    assert {name: by_name[name].status for name in ("sigmoid_backward", "compute_cost", "initialize_velocity")} \
        == dict.fromkeys(("sigmoid_backward", "compute_cost", "initialize_velocity"), "fail"), messages
    assert "lost precision: float64 in, float32 out" in messages["sigmoid_backward"]
    assert "NaN" in messages["compute_cost"]
    assert "result['dW1'] has shape (), expected (1, 1)" in messages["initialize_velocity"]
    for function in report.functions:
        for check in function.checks:
            assert "null" not in check.message and "Traceback" not in check.message, check


def test_same_target_same_verdict_and_counterexample(tmp_path):
    broken = _broken(tmp_path, "optimization:update_parameters_with_momentum")
    runs = [verify(str(broken), profile="quick", functions=["update_parameters_with_momentum"]).to_json()
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0]["functions"][0]["checks"][0]["counterexample"]["args"]


def test_a_dialect_written_as_the_report_writes_it_gets_the_spelling_to_use():
    from gradspec.conformance.verify import parse_dialects

    assert parse_dialects(["adam=eps-inside"]) == {"adam": "eps-inside"}
    with pytest.raises(UsageError, match=r"write RULE=NAME, as in --dialect adam=eps-inside$"):
        parse_dialects(["adam/eps-inside"])
    with pytest.raises(UsageError, match=r"adam has dialects \['eps-outside', 'eps-inside', 'eps-hat'"):
        parse_dialects(["adam=eps-inner"])


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
    assert "61 pass, 0 fail, 0 error, 0 missing" in ok.stdout
    report = json.loads(out.read_text())
    assert set(report) == {"gradspec_version", "target", "profile", "sandbox", "versions", "load_problems",
                           "functions", "summary"}
    assert report["target"] == "reference" and report["profile"] == "quick" and report["versions"] == {}
    assert report["sandbox"] == ("bwrap" if bwrap_problem() is None else "none")  # --sandbox auto
    assert f"(profile quick, sandbox {report['sandbox']})" in ok.stdout
    assert report["summary"] == {"pass": 61, "fail": 0, "error": 0, "missing": 0}
    for function in report["functions"]:
        assert set(function) == {"name", "rule", "status", "dialects", "checks", "version", "notes"}
        assert function["status"] in {"pass", "fail", "error", "missing"}
        for check in function["checks"]:
            assert set(check) == {"id", "status", "message", "counterexample", "probes"}
            assert check["probes"] is None  # framework checks only
            assert check["status"] in {"pass", "fail", "error", "skip"}

    broken = _broken(tmp_path, "optimization:update_parameters_with_adam")
    failed = gradspec("verify", str(broken), "--profile", "quick", "--json", str(out))
    assert failed.returncode == 1
    assert "minimal counterexample" in failed.stdout
    adam = next(f for f in json.loads(out.read_text())["functions"] if f["name"] == "update_parameters_with_adam")
    assert adam["status"] == "fail" and adam["version"] == "optimization:update_parameters_with_adam"
    counterexample = adam["checks"][0]["counterexample"]
    expected_keys = {"function", "version", "args", "path", "expected", "actual", "max_abs_error", "max_rel_error",
                     "snippet"}
    assert expected_keys == set(counterexample)

    assert gradspec("verify", "reference", "--no-such-option").returncode == 2
    missing = gradspec("verify", str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "cannot import" in missing.stderr
    dialect = gradspec("verify", "reference", "--dialect", "adam=eps-sideways")
    assert dialect.returncode == 2 and "adam has dialects" in dialect.stderr
    assert gradspec("verify", "reference", "--timeout", "0").returncode == 2


def test_counterexample_snippet_runs(tmp_path):
    broken = _broken(tmp_path, "optimization:update_lr")
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
    # one test per notebook function name; the example defines 8, one of them wrong
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == (str(len(NAMES)), "1",
                                                                                  str(len(NAMES) - 8))
    failed = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == ["test_student[update_parameters_with_adam]"]
    assert "args = (" in failed[0].find("failure").get("message", "") + (failed[0].find("failure").text or "")


def test_examples_pass_and_fail_as_documented():
    examples = HERE.parent / "examples"
    if not examples.is_dir():
        pytest.skip("not running from a source checkout")
    correct = verify(str(examples / "notebook_correct.py"), profile="quick")
    # it defines every function of the optimization assignment but the optional ones (RMSProp,
    # the averages, the helper file's initialization), which are not reported missing
    assert correct.summary == {"pass": 8, "fail": 0, "error": 0, "missing": 0}
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
    assert "1, 0.01, 0.999, 0.9, 1e-12)\n" in printed
    assert "1, 0.01, 0.999, 0.9, 1e-12)" in guide


def test_every_pinned_case_is_checked_by_a_version_of_each_function_it_names():
    from gradspec.conformance.seeds import CASES

    for case in CASES:
        for name in case.functions:
            assert any(case.id in v.pinned for v in VERSIONS if v.name == name), (case.id, name)
    for version in VERSIONS:
        for case_id in version.pinned:
            assert version.name in next(c for c in CASES if c.id == case_id).functions, (version.id, case_id)
