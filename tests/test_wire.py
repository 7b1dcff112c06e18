"""The data-only messages between the verifier and the worker (gradspec.conformance._wire), and the
choice of sandbox (gradspec.conformance.sandbox)."""

from __future__ import annotations

import io
import json
import math
import struct

import numpy as np
import pytest

from gradspec.conformance import _wire, sandbox
from gradspec.conformance.verify import UsageError, verify


def _round_trip(value):
    stream = io.BytesIO(_wire.encode(value))
    return _wire.read(stream)


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b and (not isinstance(a, float) or math.copysign(1, a) == math.copysign(1, b))


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**200, 0.1, -0.0, float("nan"), float("inf"), float("-inf"), 5e-324, "", "θ ✓",
    [1, [2.5, "x"]], (1, (2,)), (), {"W1": 1.0, "b1": [None]}, {},
    np.zeros((2, 3)), np.arange(6, dtype=np.int64).reshape(3, 2), np.array(1.5, dtype=np.float32),
    np.array([True, False]), np.zeros((0, 3), dtype=np.float32), np.array([1 + 2j]), np.arange(10)[::3],
    np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.array([np.nan, -np.inf, -0.0]),
    np.float32(0.1), np.float64(2.5), np.int64(-3), np.bool_(True), np.uint8(255),
    ({"W1": np.ones((2, 1), dtype=np.float32)}, [np.float32(3.0)], (np.zeros(1),)),
])
def test_data_round_trips_exactly_with_its_types_and_dtypes(value):
    assert _same(_round_trip(value), value)


@pytest.mark.parametrize(("value", "message"), [
    (range(6 * 10**8), "a range, which is not data gradspec can check"),
    ({1, 2}, "a set, which is not data"),
    ([1, object()], "a object at result[1], which is not data"),
    ({"W1": 1, 2: 3}, "a dict with a key of type int (2); gradspec checks dicts whose keys are all str"),
    (np.array([1, "a"], dtype=object), "an array of dtype object; gradspec checks arrays of numbers or booleans"),
    (np.array(["abc"]), "an array of dtype <U3"),
    (np.eye(2).view(np.recarray), "a numpy.rec.recarray (a subclass of numpy.ndarray); return a plain numpy.ndarray"),
    (np.ma.masked_array([1.0], mask=[True]), "a numpy.ma.MaskedArray (a subclass of numpy.ndarray)"),
    (type("F", (float,), {})(1.0), "a tests.test_wire.F, which is not data"),
    (np.datetime64("2026-12-01"), "a numpy.datetime64, which is not data"),
    (np.zeros(2, dtype=[("a", "f8")]), "an array of dtype [('a', '<f8')]"),
])
def test_what_is_not_data_is_refused_naming_its_type_and_place(value, message):
    with pytest.raises(_wire.UnencodableError) as refused:
        _wire.encode(value)
    assert message in str(refused.value)


def test_nesting_is_bounded_and_the_reply_path_names_the_functions_result():
    deep: list = []
    for _ in range(_wire.MAX_DEPTH + 1):
        deep = [deep]
    with pytest.raises(_wire.UnencodableError, match=f"nested deeper than {_wire.MAX_DEPTH} levels"):
        _wire.encode(deep)
    with pytest.raises(_wire.UnencodableError, match=r"a range at result\[1\]\['x'\]"):
        _wire.encode({"id": 1, "payload": (0, {"x": range(3)})}, paths={"payload": "result"})


def _message(tree, binary: bytes = b"") -> bytes:
    text = json.dumps(tree).encode()
    return _wire.HEADER.pack(_wire.MAGIC, len(text), len(binary)) + text + binary


@pytest.mark.parametrize(("data", "message"), [
    (b"garbage!" * 3, "does not start as a gradspec message"),
    (_message(["pickle", "cos\nsystem\n"]), "not gradspec data"),
    (_message({"not": "a list"}), "not gradspec data"),
    (_message(["array", "<f8", [2, 2], 0, 8], b"\0" * 8), "cannot hold 8 bytes"),
    (_message(["array", "<f8", [1], 0, 8], b""), "an array's bytes are not in the message"),
    (_message(["array", "|O", [1], 0, 8], b"\0" * 8), "an array of dtype object is not data"),
    (_message(["scalar", "<f8", 0, 4], b"\0" * 4), "a float64 scalar cannot be 4 bytes"),
    (_message(["dict", [[1, ["none"]]]]), "not a (str, value) pair"),
    (_wire.HEADER.pack(_wire.MAGIC, 3, 0) + b"[[[", "not valid JSON"),
])
def test_garbage_is_a_wire_error_never_anything_else(data, message):
    with pytest.raises(_wire.WireError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _wire.read(io.BytesIO(data))


class _Guarded(io.BytesIO):
    """A stream that fails the test if more than its header is read."""

    def read(self, size=-1):
        if self.tell() >= _wire.HEADER.size:
            raise AssertionError("read past the header of a message over the limit")
        return super().read(size)


def test_a_message_over_the_limit_is_refused_from_its_header_alone():
    header = struct.pack("!4sQQ", _wire.MAGIC, 10, 2**60)
    with pytest.raises(_wire.MessageTooLargeError, match=r"over the limit of 256\.0 MiB") as refused:
        _wire.read(_Guarded(header), limit=_wire.DEFAULT_MAX_BYTES)
    assert refused.value.size == 2**60 + 10
    with pytest.raises(EOFError):
        _wire.read(io.BytesIO(header[:10]))


def test_the_sandbox_modes(monkeypatch):
    assert sandbox.resolve("none") == "none"
    with pytest.raises(ValueError, match="--sandbox must be one of auto, bwrap, none; got 'docker'"):
        sandbox.resolve("docker")
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap is not installed (apt-get install bubblewrap)")
    assert sandbox.resolve("auto") == "none"
    with pytest.raises(sandbox.SandboxUnavailableError, match=r"--sandbox bwrap: bubblewrap is not installed "
                                                              r"\(apt-get install bubblewrap\)\. Install it, or pass "
                                                              r"--sandbox none"):
        sandbox.resolve("bwrap")
    with pytest.raises(UsageError, match="--sandbox bwrap: bubblewrap is not installed"):
        verify("reference", sandbox="bwrap")
    with pytest.raises(UsageError, match="--max-reply-mb must be a positive number of MiB; got 0"):
        verify("reference", max_reply_mb=0)
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: None)
    assert sandbox.resolve("auto") == "bwrap"
