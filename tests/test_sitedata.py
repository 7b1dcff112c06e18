"""The site's committed data and the check that a fresh run gives the same data (gradspec.sitedata)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradspec import sitedata
from gradspec.conformance.frameworks import FRAMEWORKS
from gradspec.conformance.replays import RUNS, Replay

ROOT = Path(__file__).resolve().parents[1]


def test_the_same_data_is_the_same_within_the_float_tolerance():
    committed = {"environment": {"numpy": "2.4"}, "runs": [{"id": "a", "costs": [0.5, 0.25], "n": 3, "ok": True}]}
    fresh = {"environment": {"numpy": "9.9"}, "runs": [{"id": "a", "costs": [0.5 * (1 + 1e-12), 0.25], "n": 3,
                                                        "ok": True}]}
    assert sitedata.differences(committed, fresh) == []


@pytest.mark.parametrize(("fresh", "expected"), [
    ({"x": [1.0, 2.0 * (1 + 1e-8)], "s": "a", "n": 1, "b": True}, ["$.x[1]: committed 2.0, now 2.00000002"]),
    ({"x": [1.0, 2.0], "s": "b", "n": 1, "b": True}, ['$.s: committed "a", now "b"']),
    ({"x": [1.0, 2.0], "s": "a", "n": 2, "b": True}, ["$.n: committed 1, now 2"]),
    ({"x": [1.0, 2.0], "s": "a", "n": 1, "b": 1}, ["$.b: committed true, now 1"]),
    ({"x": [1.0], "s": "a", "n": 1, "b": True}, ["$.x: committed 2 items, now 1"]),
    ({"x": [1.0, 2.0], "s": "a", "b": True, "new": None},
     ["$.n: committed 1, now missing", "$.new: not committed, now null"]),
])
def test_each_difference_is_named_by_its_path(fresh, expected):
    committed = {"x": [1.0, 2.0], "s": "a", "n": 1, "b": True}
    assert sitedata.differences(committed, fresh) == expected


def test_the_check_command_fails_on_stale_data_and_says_what_to_do(tmp_path, capsys):
    committed, fresh = tmp_path / "committed.json", tmp_path / "fresh.json"
    committed.write_text(json.dumps({"environment": {"numpy": "1"}, "costs": [0.5]}))
    fresh.write_text(json.dumps({"environment": {"numpy": "2"}, "costs": [0.5]}))
    assert sitedata.main(["check", str(committed), str(fresh)]) == 0
    out = capsys.readouterr().out
    assert 'note: environment differs (not compared): committed {"numpy": "1"}, now {"numpy": "2"}' in out
    assert "the same data as a fresh run" in out
    fresh.write_text(json.dumps({"environment": {"numpy": "1"}, "costs": [0.6]}))
    assert sitedata.main(["check", str(committed), str(fresh)]) == 1
    out = capsys.readouterr().out
    assert "$.costs[0]: committed 0.5, now 0.6" in out
    assert "is stale: 1 difference from a fresh run" in out and "Commit the fresh file" in out
    assert sitedata.main(["check", str(committed), str(tmp_path / "missing.json")]) == 2


def test_the_committed_replay_data_is_every_run_in_full_and_reads_back_exactly():
    report = json.loads((ROOT / "docs" / "data" / "replay.json").read_text())
    assert report["epochs_limit"] is None and report["match"] is True
    assert [r["id"] for r in report["runs"]] == [run.id for run in RUNS]
    assert set(report["environment"]) == {"gradspec", "python", "numpy", "scikit-learn"}
    for record, run in zip(report["runs"], RUNS, strict=True):
        assert record["epochs_run"] == run.epochs and record["accuracy_compared"] is True
        assert all(line["match"] for line in record["printed"])
        assert [line["seed"] for line in record["printed"]] == run.lines
        replay = Replay.from_record(record)
        assert replay.record() == record  # floats written as repr, read back bit for bit


def test_the_committed_verdicts_cover_every_framework_object_at_the_pinned_versions():
    data = json.loads((ROOT / "docs" / "data" / "frameworks.json").read_text())
    noxfile = (ROOT / "noxfile.py").read_text()
    npm_pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert data["profile"] == "default"
    assert [f["name"] for f in data["frameworks"]] == list(FRAMEWORKS)
    for framework in data["frameworks"]:
        declared = FRAMEWORKS[framework["name"]]
        assert [o["name"] for o in framework["objects"]] == [o.name for o in declared.objects]
        for name, version in framework["versions"].items():
            if declared.runtime == "node":  # npm packages: package.json pins them
                assert npm_pins[name] == version, (name, version)
            else:
                assert f'"{name}=={version}"' in noxfile, (name, version)  # FRAMEWORK_PINS
        for entry, obj in zip(framework["objects"], declared.objects, strict=True):
            # An object with a finding departs from what its framework documents, and fails.
            assert (entry["declared"], entry["status"]) == (obj.declared, "fail" if obj.finding else "pass")
            if not obj.finding:
                assert obj.declared in entry["matched"] if obj.declared else entry["matched"] == []  # gd: none
