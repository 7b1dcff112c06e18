"""The framework checks (``gradspec verify torch|optax|keras``) without the frameworks: the
spec's new dialects, the reference's trajectories, the probes, the verdict machinery on a
pretend framework, the table, and the message when a framework is not installed. The real
frameworks are verified by ``nox -s frameworks`` (CI runs it)."""

from __future__ import annotations

import importlib.util
import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from gradspec import cli
from gradspec.conformance import frameworks as fw
from gradspec.conformance.api import dialects_of as _dialects_of
from gradspec.conformance.frameworks import FRAMEWORKS, RULES, Framework, FrameworkObject
from gradspec.conformance.verify import UsageError, format_report, verify, verify_framework
from gradspec.reference import exponential_staircase_decay, momentum_step, trajectory
from gradspec.reference.optimizers import MomentumState

FAKE = str(Path(__file__).resolve().parent / "targets" / "fake_framework.py")


# --- the reference's trajectories ------------------------------------------------------------------

def test_momentum_dialects_by_hand():
    # w = 1, g = 1 twice, learning rates 0.5 then 0.25, beta = 0.5.
    def run(dialect):
        return [float(w[0]) for w in trajectory("momentum", np.array([1.0]), [np.array([1.0])] * 2,
                                                learning_rate=[0.5, 0.25], beta=0.5, dialect=dialect)]
    assert run("ema") == [0.75, 0.5625]          # v = 0.5, 0.75
    assert run("heavy-ball") == [0.5, 0.125]     # v = 1, 1.5
    assert run("first-gradient") == [0.5, 0.25]  # v = 1 (the gradient), then 0.5 + 0.5
    assert run("lr-inside") == [0.5, 0.0]        # v = -0.5, then -0.25 - 0.25


def test_lr_inside_is_heavy_ball_while_the_learning_rate_is_constant():
    rng = np.random.default_rng(5)
    w, grads = rng.normal(size=4), [rng.normal(size=4) for _ in range(6)]
    inside = trajectory("momentum", w, grads, learning_rate=0.3, beta=0.8, dialect="lr-inside")
    heavy = trajectory("momentum", w, grads, learning_rate=0.3, beta=0.8, dialect="heavy-ball")
    np.testing.assert_allclose(inside, heavy, rtol=1e-14, atol=1e-14)
    varying = trajectory("momentum", w, grads, learning_rate=[0.3, 0.1] * 3, beta=0.8, dialect="lr-inside")
    assert not np.allclose(varying[-1], trajectory("momentum", w, grads, learning_rate=[0.3, 0.1] * 3,
                                                   beta=0.8, dialect="heavy-ball")[-1])


def test_first_gradient_is_the_ema_after_its_first_step():
    rng = np.random.default_rng(6)
    w, grads = rng.normal(size=3), [rng.normal(size=3) for _ in range(4)]
    got = trajectory("momentum", w, grads, learning_rate=0.1, beta=0.9, dialect="first-gradient")
    state, expected = MomentumState(grads[0].copy()), [w - 0.1 * grads[0]]
    for g in grads[1:]:
        step, state = momentum_step(expected[-1], g, state, beta=0.9, learning_rate=0.1, dialect="ema")
        expected.append(step)
    np.testing.assert_array_equal(got, expected)


def test_trajectory_does_not_touch_its_inputs():
    w, grads = np.array([1.0, 2.0]), [np.array([0.5, -0.5])]
    first = trajectory("momentum", w, grads, learning_rate=0.1, beta=0.9, dialect="first-gradient")
    first[0][0] = 99.0
    assert w.tolist() == [1.0, 2.0] and grads[0].tolist() == [0.5, -0.5]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"rule": "lion"},
     r"rule must be one of \['adagrad', 'adam', 'amsgrad', 'gd', 'momentum', 'nesterov', 'rmsprop', "
     r"'rmsprop-centered', 'rmsprop-momentum'\]"),
    ({"grads": []}, "grads must be a non-empty list"),
    ({"learning_rate": [0.1, 0.2]}, "one number or one per step: 1 gradients, 2 learning rates"),
    ({"beta": 1.5}, "beta"),
    ({"dialect": "nesterov"}, "dialect must be one of"),
])
def test_trajectory_refuses_bad_input(kwargs, match):
    args = {"rule": "momentum", "w": np.zeros(2), "grads": [np.ones(2)], "learning_rate": 0.1, "beta": 0.9}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        trajectory(args.pop("rule"), args.pop("w"), args.pop("grads"), **args)


def test_trajectory_names_the_hyperparameters_a_rule_takes():
    with pytest.raises(TypeError, match=r"adam takes the hyperparameters \['beta1', 'beta2', 'epsilon'\]"):
        trajectory("adam", np.zeros(1), [np.ones(1)], learning_rate=0.1, beta=0.9)


def test_exponential_staircase_decay():
    values = [exponential_staircase_decay(0.5, n, k=0.5, time_interval=4) for n in (0, 3, 4, 7, 8, 12)]
    assert values == [0.5, 0.5, 0.25, 0.25, 0.125, 0.0625]
    with pytest.raises(ValueError, match="time_interval"):
        exponential_staircase_decay(0.5, 1, k=0.5, time_interval=0)


# --- the probes tell every dialect apart --------------------------------------------------------------

@pytest.mark.parametrize("rule", sorted(r for r in RULES if r != "gd"))
def test_each_probe_separates_all_dialects_of_its_rule(rule):
    spec = RULES[rule]
    dialects = _dialects_of(spec.spec_rule)
    assert len(dialects) >= 2
    values = {d: np.asarray(spec.expected(spec.probes[0], d), dtype=float).ravel() for d in dialects}
    for a, b in itertools.combinations(dialects, 2):
        assert not np.allclose(values[a], values[b], rtol=1e-6, atol=0), (a, b)


def test_gd_has_no_dialects_and_its_probe_is_plain_descent():
    assert _dialects_of("gd") == [] and RULES["gd"].hyperparameters == ()
    # w = 1, g = 1 twice, learning rates 0.5 then 0.25: w = 1 - 0.5, then 0.5 - 0.25.
    assert [float(w[0]) for w in RULES["gd"].expected(RULES["gd"].probes[0], None)] == [0.5, 0.25]


def test_every_framework_object_declares_a_dialect_of_its_rule_and_cites_a_file():
    for framework in FRAMEWORKS.values():
        functions = set()
        for obj in framework.objects:
            rule = RULES[obj.rule]
            if _dialects_of(rule.spec_rule):
                assert obj.declared in _dialects_of(rule.spec_rule), obj.name
                assert not obj.base or obj.base in _dialects_of(rule.base), obj.name
            else:
                assert obj.declared == "", obj.name
            prefix, extension = ("tf.", ".ts, ") if framework.name == "tfjs" else (framework.name, ".py, ")
            assert obj.name.startswith(prefix) and extension in obj.source, obj.name
            functions.add(obj.function)
        if framework.runtime == "node":  # the adapter's trajectory serves each object's rule
            source = fw.adapter_path(framework).read_text(encoding="utf-8")
            assert functions == {o.rule for o in framework.objects}
            for function in functions:
                key = function if function.isidentifier() else f'"{function}"'
                assert f"\n  {key}: {{ make: " in source, (framework.name, function)
            continue
        spec = importlib.util.find_spec(framework.module)
        assert spec is not None and spec.origin is not None
        source = Path(spec.origin).read_text(encoding="utf-8")
        for function in functions:
            assert f"\ndef {function}(" in source, (framework.name, function)


def test_the_docs_table_of_objects_agrees_with_the_declarations():
    docs = Path(__file__).resolve().parents[1] / "docs" / "frameworks.md"
    rows = [line.split("|")[1:-1] for line in docs.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")]
    declared = {}
    for obj in (o for f in FRAMEWORKS.values() for o in f.objects):
        declared.setdefault(obj.name.split("(")[0], set()).add((obj.rule, obj.declared))
    seen = set()
    for cells in rows:
        name = cells[0].strip().split("`")[1].split("(")[0]
        dialects = {d.strip() for d in cells[3].split("(")[0].split(",")} - {"-"} or {""}
        assert {(cells[1].strip(), d) for d in dialects} <= declared[name], cells
        seen.add(name)
    assert seen == set(declared)


def test_the_issue_s_objects_are_all_covered():
    names = {o.name for f in FRAMEWORKS.values() for o in f.objects}
    for wanted in ("torch.optim.SGD(momentum=beta)", "torch.optim.SGD(momentum=beta, dampening=beta)",
                   "torch.optim.RMSprop", "torch.optim.Adam", "optax.sgd(momentum=beta)", "optax.rmsprop",
                   "optax.adam", "optax.ema(decay=beta, debias=True)", "optax.exponential_decay(staircase=True)",
                   "keras.optimizers.SGD(momentum=beta)", "keras.optimizers.RMSprop", "keras.optimizers.Adam",
                   "keras.optimizers.schedules.InverseTimeDecay(staircase=False)",
                   "keras.optimizers.schedules.InverseTimeDecay(staircase=True)"):
        assert wanted in names
    assert {"tf.train.sgd", "tf.train.momentum", "tf.train.rmsprop", "tf.train.adam"} <= names
    assert any(n.startswith("torch.optim.lr_scheduler.LambdaLR") for n in names)


# --- the verdicts, on a pretend framework -------------------------------------------------------------

def _fake(*objects: FrameworkObject) -> Framework:
    return Framework("fake", FAKE, "fake", ("numpy",), objects)


@pytest.fixture(scope="module")
def fake_report():
    objects = (
        FrameworkObject("fake.SGD(dampening)", "sgd_dampened", "momentum", "first-gradient", "fake.py, sgd"),
        FrameworkObject("fake.SGD(dampening) declared as the EMA", "sgd_dampened", "momentum", "ema",
                        "fake.py, sgd"),
        FrameworkObject("fake.SGD(beta squared)", "sgd_beta_squared", "momentum", "ema", "fake.py, sgd"),
        FrameworkObject("fake.Adam", "adam_eps_inside", "adam", "eps-outside", "fake.py, adam"),
        FrameworkObject("fake.ema", "ema", "ewa", "bias-corrected", "fake.py, ema"),
        FrameworkObject("fake.staircase", "staircase", "inverse-time-decay", "staircase", "fake.py, staircase"),
    )
    return verify_framework(_fake(*objects), profile="default")


def test_a_framework_matching_its_declared_dialect_passes(fake_report):
    results = {f.name: f for f in fake_report.functions}
    for name, dialect in (("fake.SGD(dampening)", "momentum/first-gradient"), ("fake.ema", "ewa/bias-corrected"),
                          ("fake.staircase", "inverse-time-decay/staircase")):
        assert results[name].status == "pass", format_report(fake_report)
        assert results[name].dialects == [dialect]
        assert results[name].checks[0].message.startswith(f"declared {dialect}: fake.py")


def test_another_dialect_is_named_with_a_first_step_counterexample(fake_report):
    result = next(f for f in fake_report.functions if f.name == "fake.SGD(dampening) declared as the EMA")
    assert result.status == "fail" and result.dialects == ["momentum/first-gradient"]
    check = result.checks[0]
    assert "it matches momentum/first-gradient instead" in check.message
    assert check.counterexample["path"] == "result[0]"  # they part at the first step


def test_matching_no_dialect_is_a_failure_with_a_runnable_counterexample(fake_report):
    result = next(f for f in fake_report.functions if f.name == "fake.SGD(beta squared)")
    assert result.status == "fail" and result.dialects == []
    check = result.checks[0]
    assert "matches none of the spec's dialects (ema, heavy-ball, first-gradient, lr-inside)" in check.message
    scope: dict = {}
    exec(check.counterexample["snippet"], scope)  # the snippet reproduces the difference
    assert not np.allclose(np.asarray(scope["result"]), np.asarray(scope["expected"]), rtol=1e-9, atol=1e-12)
    adam = next(f for f in fake_report.functions if f.name == "fake.Adam")
    assert adam.status == "fail" and adam.dialects == ["adam/eps-inside"]


def test_the_json_entries_name_the_object_and_the_spec_rule(fake_report, tmp_path):
    data = json.loads(json.dumps(fake_report.to_json()))
    assert set(data) == {"gradspec_version", "target", "profile", "sandbox", "versions", "load_problems",
                         "functions", "summary"}
    assert data["target"] == "fake" and set(data["versions"]) == {"numpy"}
    assert data["summary"] == {"pass": 3, "fail": 3, "error": 0, "missing": 0}
    for function in data["functions"]:
        assert set(function) == {"name", "rule", "status", "dialects", "checks", "version", "notes"}
        assert (function["version"], function["notes"]) == ("", [])  # notebook targets only
        assert all(set(c) == {"id", "status", "message", "counterexample", "probes"} for c in function["checks"])
    entry = data["functions"][0]
    assert (entry["name"], entry["rule"], entry["status"]) == ("fake.SGD(dampening)", "momentum", "pass")
    probe = entry["checks"][0]["probes"][0]
    assert [x["array"] for x in probe["result"]] == [[0.5], [0.25]]  # the momentum probe, first-gradient


def test_the_verdicts_and_the_table_are_generated_from_the_reports(fake_report, monkeypatch, tmp_path):
    objects = {o.name: o for o in (
        FrameworkObject(f.name, "x", f.rule, "first-gradient" if "dampening)" in f.name else "ema", "fake.py, x")
        for f in fake_report.functions)}
    monkeypatch.setattr(fw, "FRAMEWORKS", {"fake": _fake(*objects.values())})
    report = tmp_path / "fake.json"
    report.write_text(json.dumps(fake_report.to_json()))
    assert fw.main([str(report), "-o", str(tmp_path / "verdicts.json"), "--table", str(tmp_path / "table.md")]) == 0
    data = json.loads((tmp_path / "verdicts.json").read_text())
    assert set(data) == {"environment", "profile", "frameworks"} and data["profile"] == "default"
    (fake,) = data["frameworks"]
    assert fake["name"] == "fake" and set(fake["versions"]) == {"numpy"}
    entry = fake["objects"][0]
    assert {k: entry[k] for k in ("name", "rule", "declared", "matched", "status")} == {
        "name": "fake.SGD(dampening)", "rule": "momentum", "declared": "first-gradient",
        "matched": ["first-gradient"], "status": "pass"}
    assert [x["array"] for x in entry["probe"]["result"]] == [[0.5], [0.25]]
    text = fw.table(data)
    assert (tmp_path / "table.md").read_text() == text
    assert "| fake | `fake.SGD(dampening)` | momentum | first-gradient | first-gradient | pass |" in text
    assert "| fake | `fake.SGD(beta squared)` | momentum | ema | none | fail |" in text
    assert "**momentum** probe: w = 1, grads = [1, 1], learning_rates = [0.5, 0.25], beta = 0.5" in text
    assert "| dialect lr-inside | 0.5, 0 |" in text
    assert "| `fake.SGD(dampening)` | 0.5, 0.25 |" in text


# --- usage ----------------------------------------------------------------------------------------------

def test_a_missing_framework_names_the_extra(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("torch", "optax") else real(name, *a))
    assert cli.main(["verify", "torch"]) == 2
    err = capsys.readouterr().err
    assert "verifying torch needs torch, which is not installed: pip install 'gradspec[torch]'" in err
    assert "Traceback" not in err
    assert cli.main(["verify", "optax"]) == 2
    assert "pip install 'gradspec[jax]'" in capsys.readouterr().err


def test_framework_targets_take_no_dialect_options():
    with pytest.raises(UsageError, match="--dialect and a function list apply to notebook targets only"):
        verify("keras", dialects={"adam": "eps-hat"})


def test_a_framework_that_fails_to_import_is_a_usage_error(tmp_path):
    broken = tmp_path / "broken_framework.py"
    broken.write_text("raise ImportError('no backend')\n")
    with pytest.raises(UsageError, match="cannot import fake: ImportError: no backend"):
        verify_framework(replace(_fake(), module=str(broken)))


# --- a rule over another's dialect, a hyperparameter the object lacks, a finding --------------------------

def test_a_rule_is_checked_over_the_base_dialect_the_object_computes():
    keras_like = FrameworkObject("fake.AdamW", "adamw_eps_hat", "adam+weight-decay", "lr-scaled", "fake.py, adamw",
                                 base="eps-hat")
    over_canonical = FrameworkObject("fake.AdamW over the canonical Adam", "adamw_eps_hat", "adam+weight-decay",
                                     "lr-scaled", "fake.py, adamw")
    results = {f.name: f for f in verify_framework(_fake(keras_like, over_canonical), profile="quick").functions}
    assert (results["fake.AdamW"].status, results["fake.AdamW"].dialects) == ("pass", ["weight-decay/lr-scaled"])
    assert results["fake.AdamW"].checks[0].message.startswith("declared weight-decay/lr-scaled over adam/eps-hat")
    # Over Adam's canonical eps-outside no form of the decay fits: the base matters.
    assert results["fake.AdamW over the canonical Adam"].status == "fail"
    snippet = results["fake.AdamW over the canonical Adam"].checks[0].counterexample["snippet"]
    assert "RULES['adam+weight-decay'].expected(case, 'lr-scaled')" in snippet
    assert "base='eps-hat'" in verify_framework(_fake(replace(keras_like, declared="l2")), profile="quick") \
        .functions[0].checks[0].counterexample["snippet"]


def test_a_hyperparameter_the_object_lacks_is_sent_at_the_value_it_uses():
    fixed = FrameworkObject("fake.Adagrad", "adagrad_fixed_eps", "adagrad", "start-tenth-eps-inside",
                            "fake.py, adagrad", fixed={"epsilon": 1e-3})
    (result,) = verify_framework(_fake(fixed), profile="quick").functions
    assert (result.status, result.dialects) == ("pass", ["adagrad/start-tenth-eps-inside"])
    assert all(probe["case"]["epsilon"] == 1e-3 for probe in result.checks[0].probes)
    (unfixed,) = verify_framework(_fake(replace(fixed, fixed={})), profile="quick").functions
    assert unfixed.status == "fail"  # drawn epsilons it ignores


def test_an_object_with_a_finding_is_expected_to_fail(monkeypatch, tmp_path, capsys):
    finding = FrameworkObject("fake.SGD(beta squared)", "sgd_beta_squared", "momentum", "ema", "fake.py, sgd",
                              finding="it decays the velocity by beta twice")
    passing = FrameworkObject("fake.SGD(dampening)", "sgd_dampened", "momentum", "first-gradient", "fake.py, sgd")
    monkeypatch.setattr(fw, "FRAMEWORKS", {"fake": _fake(finding, passing)})
    report = verify_framework(fw.FRAMEWORKS["fake"], profile="quick").to_json()
    assert fw.unexpected(report) == []
    path = tmp_path / "fake.json"
    path.write_text(json.dumps(report))
    assert fw.main([str(path), "--expected"]) == 0
    data = fw.verdicts([report])
    entry = data["frameworks"][0]["objects"][0]
    assert entry["status"] == "fail" and entry["counterexample"]["path"].startswith("result[")
    text = fw.table(data)
    assert "- `fake.SGD(beta squared)` (declared ema): it decays the velocity by beta twice. The smallest case" in text
    # The same verdict without the finding is unexpected, and so is a finding that passes.
    monkeypatch.setattr(fw, "FRAMEWORKS", {"fake": _fake(replace(finding, finding=""), replace(passing, finding="x"))})
    assert fw.unexpected(report) == ["fake.SGD(beta squared): fail, where pass is expected",
                                     "fake.SGD(dampening): pass, where fail is expected"]
    assert fw.main([str(path), "--expected"]) == 1
    assert "unexpected verdict: fake.SGD(beta squared): fail, where pass is expected" in capsys.readouterr().err
