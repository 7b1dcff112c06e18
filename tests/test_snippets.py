"""Every counterexample the test suite's reports contain, pasted into a fresh Python, ends
with ``result`` and ``expected`` equal to the report's actual and expected values.

This module runs last (tests/conftest.py orders it) and reads every report the other
tests made in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

RUNNER = r'''
import json, math, os, sys, warnings
import numpy as np

warnings.simplefilter("ignore")
answers = os.fdopen(os.dup(1), "w")  # what the snippets' targets print goes to stderr
os.dup2(2, 1)
sys.stdout = sys.stderr

def plain(value):
    """Values as nested lists and dicts of Python numbers, however they were held."""
    if isinstance(value, dict) and set(value) == {"array", "dtype"}:
        return plain(value["array"])
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bool):
        return int(value)
    return value

def same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, list) and len(a) == 1 and not isinstance(b, list):  # a (1,) array read as a number
        return same(a[0], b)
    if isinstance(b, list) and len(b) == 1 and not isinstance(a, list):
        return same(a, b[0])
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b

outcomes = []
for case in json.load(sys.stdin):
    namespace = {}
    try:
        exec(compile(case["snippet"], "<snippet>", "exec"), namespace)
    except BaseException as exc:  # sys.exit too: the target under test may call it
        outcomes.append({"raised": f"{type(exc).__name__}: {exc}"})
        continue
    outcome = {}
    for name in ("result", "expected"):
        want = case[name]
        if want is not None:
            got = plain(namespace.get(name, "<not set>"))
            outcome[name] = "ok" if same(got, plain(want)) else f"{name} = {json.dumps(got)[:300]}"
    outcomes.append(outcome)
json.dump(outcomes, answers)
answers.close()
'''


def _cases(reports) -> list[dict]:
    cases, seen = [], set()
    for report in reports:
        for function in report.functions:
            for check in function.checks:
                example = check.counterexample or {}
                if "snippet" not in example or example["snippet"] in seen:
                    continue
                if example.get("language", "python") != "python":
                    continue  # a protocol request or a shell line: tests/test_exec*.py and test_tfjs.py replay them
                if any(word in check.message for word in ("did not return within", "was killed", "exited with")):
                    continue  # the snippet would hang or crash, as the target did
                seen.add(example["snippet"])
                cases.append({"where": f"{report.target} {function.name} {check.id}", "status": check.status,
                              "message": check.message, "snippet": example["snippet"],
                              "result": example.get("actual"), "expected": example.get("expected")})
    return cases


def test_every_counterexample_of_the_suite_reproduces_when_pasted(suite_reports):
    cases = _cases(suite_reports)
    if not cases:
        pytest.skip("no other test made a report with a counterexample in this run (run the whole suite)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE / "targets"), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(cases), capture_output=True, text=True,
                         check=False, env=env, cwd=HERE.parent, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    outcomes = json.loads(run.stdout)
    wrong = []
    for case, outcome in zip(cases, outcomes, strict=True):
        if "raised" in outcome:
            if case["status"] == "error":
                continue  # the target raises, and so does the snippet
            wrong.append(f"{case['where']}: the snippet raised {outcome['raised']}")
        else:
            wrong += [f"{case['where']}: {text}" for text in outcome.values() if text != "ok"]
    assert not wrong, "\n".join(wrong[:20])
    if len(suite_reports) >= 100:  # the whole suite ran: its many failing reports were all here
        assert len(cases) >= 50, len(cases)
