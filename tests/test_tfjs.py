"""TensorFlow.js's own optimizers, run with Node.js through the protocol v1 adapter
(conformance/adapters/tfjs_adapter.js): ``gradspec verify tfjs``, a wrong declaration caught, the
counterexample's shell line, the adapter's answers, and the message when TensorFlow.js is absent.

The packages come from ``npm ci`` (package.json pins them). Without Node.js or them the tests
skip, unless GRADSPEC_REQUIRE_TFJS is set (CI sets it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace

import numpy as np
import pytest

from gradspec import cli
from gradspec.conformance import frameworks as fw
from gradspec.conformance.frameworks import FRAMEWORKS, RULES
from gradspec.conformance.protocol import decode, encode
from gradspec.conformance.verify import UsageError, verify, verify_framework
from gradspec.reference import trajectory

TFJS = FRAMEWORKS["tfjs"]


@pytest.fixture(scope="module")
def modules():
    problem = fw.missing_requirements(TFJS)
    if problem:
        if os.environ.get("GRADSPEC_REQUIRE_TFJS"):
            pytest.fail(f"GRADSPEC_REQUIRE_TFJS is set, but {problem}")
        pytest.skip(problem)
    return fw.node_modules(TFJS)


def _adapter(requests, modules):
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    out = subprocess.run(["node", str(fw.adapter_path(TFJS)), "--modules", str(modules)], input=lines,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_the_adapter_runs_tf_train_and_refuses_float64(modules):
    w, grads = np.float32([1.0, -2.0]), [np.float32([1.0, 0.5]), np.float32([-0.25, 2.0])]
    args = {"rule": "adam", "w": w, "grads": grads, "learning_rate": [0.5, 0.25], "beta1": 0.5, "beta2": 0.9,
            "epsilon": 0.25}
    hello, adam, wide, unknown, bad = _adapter([
        {"id": 0, "op": "hello", "protocol": 1},
        {"id": 1, "op": "trajectory", "args": encode(args)},
        {"id": 2, "op": "trajectory", "args": encode(dict(args, w=w.astype(np.float64)))},
        {"id": 3, "op": "adam_step", "args": {}},
        "not an object",
    ], modules)
    versions = fw.versions(TFJS)
    assert hello == {"id": 0, "ops": ["trajectory"],
                     "name": f"TensorFlow.js {versions['@tensorflow/tfjs-core']} (tfjs-core, cpu backend)"}
    got = decode(adam["result"])["w"]
    expected = trajectory("adam", w, grads, learning_rate=[0.5, 0.25], beta1=0.5, beta2=0.9, epsilon=0.25)
    assert [a.dtype for a in got] == [np.float32, np.float32]
    np.testing.assert_allclose(got, expected, rtol=2e-6)
    assert wide == {"id": 2, "error": "w is float64: TensorFlow.js's CPU backend computes in float32 only; "
                                      "send float32"}
    assert unknown["id"] == 3 and "this adapter serves trajectory" in unknown["error"]
    assert "error" in bad  # a JSON string, not a request: answered, not a crash


def test_the_versions_are_package_json_s_pins(modules):
    pins = json.loads((fw.adapter_path(TFJS).parents[2] / "package.json").read_text())["dependencies"]
    assert fw.versions(TFJS) == {name: pins[name] for name in TFJS.distributions}


def test_gradspec_verify_tfjs_finds_the_declared_dialects(modules, capsys):
    assert cli.main(["verify", "tfjs", "--profile", "quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gradspec ")
    report = verify("tfjs", profile="quick")
    assert [(f.name, f.status, f.dialects) for f in report.functions] == [
        ("tf.train.sgd", "pass", []),
        ("tf.train.momentum", "pass", ["momentum/heavy-ball"]),
        ("tf.train.rmsprop", "pass", ["rmsprop/eps-inside"]),
        ("tf.train.adam", "pass", ["adam/eps-outside"]),
        ("tf.train.momentum(useNesterov=true)", "pass", ["nesterov/lr-outside"]),
        ("tf.train.rmsprop(centered=true)", "pass", ["rmsprop-centered/eps-subtracted"]),
        ("tf.train.rmsprop(momentum=beta)", "pass", ["rmsprop-momentum/eps-inside-lr-inside"]),
        # Its epsilon is the backend's 1e-7, under float32's tolerance: where it goes does not show.
        ("tf.train.adagrad", "pass", ["adagrad/start-tenth-eps-outside", "adagrad/start-tenth-eps-inside"]),
    ]
    # The probes ran in float32 (the CPU backend's only dtype): the momentum probe's heavy-ball values.
    probe = report.functions[1].checks[0].probes[0]
    assert [x["array"] for x in probe["result"]] == [[0.5], [0.125]]


def test_centered_rmsprop_takes_the_root_of_a_negative_number_where_the_gradient_is_small(modules):
    # TensorFlow.js subtracts epsilon under the root (rmsprop-centered/eps-subtracted): |g| = 1e-4 on a
    # first step with the default epsilon 1e-7 gives s - g_bar^2 - epsilon < 0, and NaN.
    args = {"rule": "rmsprop-centered", "w": np.float32([1.0, 1.0]), "grads": [np.float32([1e-4, 1.0])],
            "learning_rate": 0.001, "beta2": 0.9, "epsilon": 1e-7}
    (reply,) = _adapter([{"id": 1, "op": "trajectory", "args": encode(args)}], modules)
    (got,) = decode(reply["result"])["w"]
    args.pop("rule")
    (expected,) = trajectory("rmsprop-centered", dialect="eps-subtracted", **args)
    assert np.isnan(got[0]) and np.isnan(expected[0])  # the dialect's reference value is NaN there too
    np.testing.assert_allclose(got[1], expected[1], rtol=2e-6)


def test_adagrad_starts_from_a_tenth_and_refuses_an_epsilon_it_cannot_take(modules):
    args = {"rule": "adagrad", "w": np.float32([1.0, 1.0]), "grads": [np.float32([1.0, 1e-3])],
            "learning_rate": 0.5, "epsilon": 1e-7}
    (reply,) = _adapter([{"id": 1, "op": "trajectory", "args": encode(args)}], modules)
    (got,) = decode(reply["result"])["w"]
    # From s = 0.1: 1 - 0.5 g / sqrt(0.1 + g^2 + 1e-7); from 0 the second element would step by 0.5.
    np.testing.assert_allclose(got, 1 - 0.5 * np.array([1.0, 1e-3]) / np.sqrt(0.1 + np.array([1.0, 1e-6]) + 1e-7),
                               rtol=2e-7)
    (reply,) = _adapter([{"id": 2, "op": "trajectory", "args": encode({**args, "epsilon": 1e-3})}], modules)
    assert reply["id"] == 2
    assert "tf.train.adagrad takes no epsilon" in reply["error"] and "send epsilon" in reply["error"]


def test_a_wrong_declaration_is_caught_with_a_shell_line_that_reproduces_it(modules, tmp_path):
    wrong = replace(TFJS, objects=(replace(TFJS.objects[1], declared="lr-inside"),))
    (result,) = verify_framework(wrong, profile="quick").functions
    assert result.status == "fail" and result.dialects == ["momentum/heavy-ball"]
    check = result.checks[0]
    assert "it matches momentum/heavy-ball instead" in check.message
    line = check.counterexample["snippet"]
    assert line.startswith("printf '%s\\n' ") and "tfjs_adapter.js --modules " in line
    out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path)
    (reply,) = [json.loads(x) for x in out.stdout.splitlines()]
    got = decode(reply["result"])["w"]
    path = check.counterexample["path"]  # result[k]
    step = int(path[len("result["):-1])
    assert np.array_equal(got[step], np.asarray(check.counterexample["actual"]["array"], dtype=np.float32))


def test_without_tensorflow_js_the_message_says_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GRADSPEC_NODE_MODULES", str(tmp_path))
    assert cli.main(["verify", "tfjs"]) == 2
    err = capsys.readouterr().err
    assert (f"verifying tfjs needs @tensorflow/tfjs-core and @tensorflow/tfjs-backend-cpu, which are not in "
            f"GRADSPEC_NODE_MODULES ({tmp_path}): npm ci in a gradspec checkout") in err
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on it
    assert shutil.which("node") is None
    with pytest.raises(UsageError, match=r"verifying tfjs needs Node\.js"):
        verify("tfjs")


def test_tfjs_gets_float32_cases_only():
    assert all(obj.dtypes == ("float32",) for obj in TFJS.objects)
    cast = fw.as_dtype(RULES["adam"].probes[0], "float32")
    assert cast["w"].dtype == np.float32 and {g.dtype for g in cast["grads"]} == {np.dtype(np.float32)}
    assert RULES["adam"].probes[0]["w"].dtype == np.float64  # the probe itself is untouched
