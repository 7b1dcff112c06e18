"""Protocol v1's values and ops (gradspec.conformance.protocol) and the test vectors written from them
(gradspec.conformance.vectors, ``gradspec vectors export``)."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from gradspec import reference as R
from gradspec.conformance import protocol, vectors
from gradspec.spec import dialects_of


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("vectors")
    done = subprocess.run([sys.executable, "-m", "gradspec", "vectors", "export", str(directory)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"wrote {len(protocol.OPS)} vector files (" in done.stdout
    return directory


def _files(directory: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))
            if not p.name.endswith(".schema.json")}


def test_arrays_are_written_exactly_and_read_back_with_their_dtype():
    for dtype in protocol.DTYPES:
        x = np.array([[0.1, -0.0, 1e-310 if dtype == "float64" else 1e-40], [np.nan, np.inf, -np.inf]], dtype=dtype)
        written = protocol.encode(x)
        assert written["dtype"] == dtype and written["shape"] == [2, 3]
        assert written["data"][3:] == ["nan", "inf", "-inf"]
        back = protocol.decode(json.loads(json.dumps(written)))
        assert back.dtype == x.dtype and back.tobytes() == x.tobytes()
    assert protocol.encode(np.float32(0.1)) == float(np.float32(0.1))  # exactly the float32 value
    with pytest.raises(ValueError, match=r"an array of shape \[2\] needs 2 numbers in data"):
        protocol.decode({"dtype": "float64", "shape": [2], "data": [1.0]})
    with pytest.raises(ValueError, match="dtype must be one of"):
        protocol.decode({"dtype": "int8", "shape": [1], "data": [1]})
    with pytest.raises(TypeError, match="protocol v1 carries float64 and float32 arrays; got int64"):
        protocol.encode(np.arange(3))


def test_an_op_is_its_reference_function_with_the_state_passed_flat():
    w, g, v, s = (np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([0.1, 0.0]), np.array([0.01, 0.04]))
    args = {"w": w, "g": g, "v": v, "s": s, "t": 2, "learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999,
            "epsilon": 1e-8}
    result = protocol.decode(protocol.evaluate("adam_step", protocol.encode(args), dialect="eps-inside"))
    w1, state = R.adam_step(w, g, R.AdamState(v, s), t=2, learning_rate=0.01, dialect="eps-inside")
    assert set(result) == {"w", "v", "s"} == set(protocol.OPS["adam_step"].fields)
    assert result["w"].tobytes() == w1.tobytes() and result["s"].tobytes() == state.s.tobytes()
    assert protocol.OPS["adam_step"].dialects == tuple(d.name for d in dialects_of("adam"))
    path = protocol.evaluate("trajectory", protocol.encode({"rule": "momentum", "w": w, "grads": [g, g],
                                                            "learning_rate": [0.5, 0.25], "beta": 0.5}))
    assert [protocol.decode(x).tolist() for x in path["w"]] == [
        a.tolist() for a in R.trajectory("momentum", w, [g, g], learning_rate=[0.5, 0.25], beta=0.5)]


def test_every_op_has_a_file_valid_against_the_schema(exported):
    schema = json.loads(vectors.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert (exported / vectors.SCHEMA_PATH.name).read_bytes() == vectors.SCHEMA_PATH.read_bytes()
    assert (exported / "protocol.schema.json").read_bytes() == protocol.SCHEMA_PATH.read_bytes()
    files = _files(exported)
    assert set(files) == set(protocol.OPS)
    for op, data in files.items():
        jsonschema.validate(data, schema)
        assert data["op"] == op and data["schema"] == "gradspec-vectors-v1" and data["tests"]
        assert [t["tcId"] for t in data["tests"]] == list(range(1, len(data["tests"]) + 1))
        arrays = [a for t in data["tests"] for a in t["args"].values() if isinstance(a, dict)]
        if not op.endswith("_decay"):  # schedules take numbers only
            assert {a["dtype"] for a in arrays} == {"float64", "float32"}, op
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**files["adam_step"], "schema": "v2"}, schema)


def test_the_same_version_writes_the_same_bytes(exported, tmp_path):
    vectors.export(tmp_path)
    for path in sorted(exported.glob("*.json")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_pair_of_dialects_is_told_apart_by_some_case(exported):
    files = _files(exported)
    for op, rule in (("adam_step", "adam"), ("rmsprop_step", "rmsprop"), ("relu_grad", "relu-grad"),
                     ("trajectory", "momentum"), ("trajectory", "adam"), ("trajectory", "rmsprop")):
        names = [d.name for d in dialects_of(rule)]
        tests = [t for t in files[op]["tests"] if op != "trajectory" or t["args"]["rule"] == rule]
        results = [{name: t["dialects"].get(f"{rule}/{name}", t["expected"]) for name in names} for t in tests]
        for first, second in itertools.combinations(names, 2):
            assert any(r[first] != r[second] for r in results), (op, first, second)
        assert set(files[op]["notes"]) >= {f"{rule}/{n}" for n in names}


def _adam_plain(args: dict, dialect: str) -> list[float]:
    """Adam written from the JSON alone, in plain Python: what a client in another language does."""
    b1, b2, eps, lr, t = (args[k] for k in ("beta1", "beta2", "epsilon", "learning_rate", "t"))
    out = []
    for w, g, v, s in zip(*(args[k]["data"] for k in ("w", "g", "v", "s")), strict=True):
        v, s = b1 * v + (1 - b1) * g, b2 * s + (1 - b2) * g * g
        v_hat, s_hat = v / (1 - b1**t), s / (1 - b2**t)
        if dialect == "eps-outside":
            out.append(w - lr * v_hat / (math.sqrt(s_hat) + eps))
        elif dialect == "eps-inside":
            out.append(w - lr * v_hat / math.sqrt(s_hat + eps))
        elif dialect == "eps-hat":
            out.append(w - lr * math.sqrt(1 - b2**t) / (1 - b1**t) * v / (math.sqrt(s) + eps))
        else:
            out.append(w - lr * v / (math.sqrt(s) + eps))
    return out


def test_a_client_reading_only_the_json_tells_the_dialects_apart(exported):
    data = _files(exported)["adam_step"]
    for test in data["tests"]:
        rtol, atol = test["tolerance"]["rtol"], test["tolerance"]["atol"]
        scale = max([1.0, *(abs(x) for k in ("w", "g", "v", "s") for x in test["args"][k]["data"])])
        entries = {name: test["dialects"].get(f"adam/{name}", test["expected"])["w"]["data"]
                   for name in protocol.OPS["adam_step"].dialects}

        for dialect in entries:
            mine = _adam_plain(test["args"], dialect)
            agreeing = [d for d, e in entries.items()
                        if all(abs(a - b) <= rtol * abs(b) + atol * scale for a, b in zip(mine, e, strict=True))]
            assert dialect in agreeing, (test["tcId"], dialect)  # each dialect, written from the JSON alone
            if test["tcId"] == 1:  # the probe: it matches its own dialect's entry and no other's
                assert agreeing == [dialect]


def test_the_protocol_schema_describes_every_message_both_ways(exported):
    schema = json.loads(protocol.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validate = jsonschema.Draft202012Validator(schema).validate
    validate({"id": 0, "op": "hello", "protocol": 1})
    validate({"id": 0, "ops": list(protocol.OPS), "name": "a client"})
    validate({"id": 3, "error": "not implemented"})
    for number in ("nan", "inf", "-inf"):  # a non-finite number is a number, not also a string
        validate({"id": 1, "result": number})
        validate({"id": 1, "op": "exponential_decay", "args": {"learning_rate0": number, "epoch_num": 1, "k": 0.5}})
    validate({"id": 1, "result": {"note": "a string"}})
    for data in _files(exported).values():
        for number, test in enumerate(data["tests"], start=1):
            validate({"id": number, "op": data["op"], "args": test["args"]})  # what gradspec sends
            validate({"id": number, "result": protocol.evaluate(data["op"], test["args"])})  # a correct reply
    bad_messages = ({"id": 1, "op": "hello", "protocol": 2},
                    {"id": 1, "result": {"dtype": "int8", "shape": [], "data": []}},
                    {"id": -1, "error": "x"}, {"id": 1, "result": 1, "error": "both"}, {"op": "sigmoid", "args": {}})
    for bad in bad_messages:
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)


CHECKER = Path(__file__).resolve().parents[1] / "examples" / "protocol" / "check_vectors.js"


def _check_with_node(node: str, exported: Path, *client: str) -> tuple[int, dict[str, str]]:
    done = subprocess.run([node, str(CHECKER), str(exported), "--", *client], capture_output=True, text=True,
                          timeout=120, check=False)
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    return done.returncode, lines


def test_a_node_script_reading_only_the_files_tells_the_dialects_apart(exported, node):
    # examples/protocol/check_vectors.js knows nothing of gradspec but the vectors' JSON.
    examples = CHECKER.parent
    code, lines = _check_with_node(node, exported, "node", str(examples / "client.js"))
    assert code == 0
    assert lines["adam_step"] == "ok 10 cases; matches adam/eps-outside"
    assert lines["rmsprop_step"] == "ok 8 cases; matches rmsprop/eps-inside"
    # One step from a given velocity cannot show first-gradient (it differs at a fresh start only).
    assert lines["momentum_step"] == "ok 8 cases; matches momentum/ema, momentum/first-gradient"
    code, lines = _check_with_node(node, exported, "node", str(examples / "client_adam_bug.js"))
    assert code == 1
    assert lines["adam_step"].startswith("FAIL 7 of 10, first: tcId 1 (probe: the four dialects part")
    assert lines["adam_step"].endswith("; matches none of adam's dialects")
    assert lines["rmsprop_step"] == "ok 8 cases; matches rmsprop/eps-inside"
    client = Path(__file__).resolve().parent / "targets" / "protocol" / "reference_client.py"
    for dialect in ("eps-hat", "eps-inside", "no-bias-correction"):
        code, lines = _check_with_node(node, exported, sys.executable, str(client), "--adam", dialect)
        assert code == 1 and lines["adam_step"].endswith(f"; matches adam/{dialect}"), lines["adam_step"]
        assert lines["trajectory"] == "ok 16 cases; matches adam/eps-outside; momentum/ema; rmsprop/eps-inside"


def test_vectors_check_says_what_differs_and_shows_the_values_whole(exported):
    from gradspec.conformance.verify import _check_options

    client = Path(__file__).resolve().parent / "targets" / "protocol" / "reference_client.py"
    options = _check_options("quick", 5.0, "none", 256.0)
    results = {r.name: r for r in vectors.check(exported, f"{sys.executable} {client} --misbehave wrong-shape",
                                                 options=options, dialects={})}
    relu = results["relu"]
    assert relu.status == "fail"
    message = relu.checks[0].message
    assert message.startswith("tcId 1 (")
    assert "): result has shape [1, 9, 1] where [1, 9] is expected; expected {" in message
    expected = _files(exported)["relu"]["tests"][0]["expected"]
    assert f"expected {json.dumps(expected)}, got " in message  # whole, not cut off
    assert all(r.status == "pass" for name, r in results.items() if name != "relu")


def test_non_finite_results_compare_as_themselves():
    from gradspec.conformance.compare import compare

    expected = np.array([-np.inf, np.inf, np.nan, 1.0])
    assert compare(expected, expected.copy(), float32=False, scale=1.0) is None
    for actual, message in (([-np.inf, np.inf, 0.0, 1.0], "is a number where the result is NaN"),
                            ([-np.inf, np.nan, np.nan, 1.0], "is NaN where the result is a number")):
        assert compare(expected, np.array(actual), float32=False, scale=1.0).message == message
    wrong = compare(expected, np.array([np.inf, np.inf, np.nan, 1.0]), float32=False, scale=1.0)
    assert wrong.message == "differs from the reference" and wrong.max_abs_error == np.inf
