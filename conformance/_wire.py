"""Data-only messages between the verifier and the worker that runs the target.

Nothing the target returns is unpickled or executed outside the worker: a message holds data
and nothing else. It is a header (``b"GSW1"``, the length of a JSON part, the length of a
binary part), then the JSON part, then the binary part holding the arrays' bytes. The JSON part
is one value, each value a list whose first item is its kind:

=================================  ===========================================================
``["none"]``, ``["bool", b]``      None, True, False
``["int", "123"]``                 a Python int (in decimal: any size)
``["float", "0.1"]``               a Python float, ``repr`` (exact), or ``"nan"``, ``"inf"``, ``"-inf"``
``["str", s]``                     a str
``["list", [...]]``,               a list, a tuple
``["tuple", [...]]``
``["dict", [[key, value], ...]]``  a dict whose keys are all str, in its order
``["array", dtype, shape, at, n]`` a ``numpy.ndarray`` (not a subclass) of a numeric or bool dtype
                                   (``dtype.str``, e.g. ``"<f4"``): ``n`` bytes from offset ``at``
                                   of the binary part, in C order
``["scalar", dtype, at, n]``       a NumPy scalar (``numpy.float32(1.5)``), likewise
=================================  ===========================================================

Anything else (another type, an ndarray subclass, an object array, a dict with a key that is
not a str, nesting deeper than :data:`MAX_DEPTH`) cannot be encoded: :class:`UnencodableError`
names what and where, and the verifier reports it as the function's failure. :func:`read`
checks the sizes in the header against a limit before it reads or allocates anything.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any, BinaryIO

import numpy as np

__all__ = ["DEFAULT_MAX_BYTES", "MAX_DEPTH", "MessageTooLargeError", "UnencodableError", "WireError", "decode",
           "encode", "read", "write"]

MAGIC = b"GSW1"
HEADER = struct.Struct("!4sQQ")
#: The largest message :func:`read` accepts by default (``gradspec verify --max-reply-mb``).
DEFAULT_MAX_BYTES = 256 * 2**20
#: Lists, tuples and dicts nested deeper than this are refused (no notebook returns such data).
MAX_DEPTH = 32
_KINDS = frozenset("biufc")  # bool, signed and unsigned integers, floats, complex


class WireError(Exception):
    """A message that is not a valid gradspec message (garbage, a wrong size, a bad dtype)."""


class MessageTooLargeError(WireError):
    """A message larger than the limit; ``size`` is what its header announced, in bytes."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"a reply of {_megabytes(size)}, over the limit of {_megabytes(limit)} "
                         "(raise it with --max-reply-mb)")
        self.size, self.limit = size, limit


class UnencodableError(TypeError):
    """A value that is not data gradspec can check; the message names its type and where it is."""


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _where(path: str) -> str:
    return "" if path == "result" else f" at {path}"


def encode(value: Any, *, paths: dict[str, str] | None = None) -> bytes:
    """``value`` as a message (see the module's docstring); :class:`UnencodableError` if it is not data,
    naming where, as ``result[0]['W1']``. ``paths`` names the entries of a top-level dict in those
    messages (``{"payload": "result"}``: the reply's payload is what the function returned)."""
    blobs: list[bytes] = []
    offset = 0

    def blob(data: bytes) -> tuple[int, int]:
        nonlocal offset
        blobs.append(data)
        at, offset = offset, offset + len(data)
        return at, len(data)

    def walk(x: Any, path: str, depth: int) -> list[Any]:
        kind = type(x)
        if x is None:
            return ["none"]
        if kind is bool:
            return ["bool", x]
        if kind is int:
            return ["int", str(x)]
        if kind is float:
            return ["float", repr(x) if math.isfinite(x) else str(x)]
        if kind is str:
            return ["str", x]
        if kind in (list, tuple, dict):
            if depth >= MAX_DEPTH:
                raise UnencodableError(f"data nested deeper than {MAX_DEPTH} levels{_where(path)}")
            if kind is dict:
                bad = next((k for k in x if type(k) is not str), None)
                if bad is not None:
                    raise UnencodableError(f"a dict with a key of type {type(bad).__name__} ({bad!r:.40})"
                                           f"{_where(path)}; gradspec checks dicts whose keys are all str")
                names = paths if depth == 0 and paths else {}
                return ["dict", [[k, walk(v, names.get(k, f"{path}[{k!r}]"), depth + 1)] for k, v in x.items()]]
            return [kind.__name__, [walk(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(x)]]
        if kind is np.ndarray:
            if x.dtype.kind not in _KINDS:
                raise UnencodableError(f"an array of dtype {x.dtype}{_where(path)}; gradspec checks arrays of numbers "
                                  "or booleans")
            return ["array", x.dtype.str, list(x.shape), *blob(np.ascontiguousarray(x).tobytes())]
        if isinstance(x, np.generic) and kind.__module__ == "numpy" and x.dtype.kind in _KINDS:
            return ["scalar", x.dtype.str, *blob(x.tobytes())]
        if isinstance(x, np.ndarray):
            raise UnencodableError(f"a {_type_name(kind)} (a subclass of numpy.ndarray){_where(path)}; return a plain "
                              "numpy.ndarray (numpy.asarray(x))")
        raise UnencodableError(f"a {_type_name(kind)}{_where(path)}, which is not data gradspec can check (arrays, "
                          "numbers, strings, lists, tuples, dicts with str keys)")

    tree = walk(value, "result", 0)
    text = json.dumps(tree, separators=(",", ":"), allow_nan=False).encode()
    binary = b"".join(blobs)
    return HEADER.pack(MAGIC, len(text), len(binary)) + text + binary


def _type_name(kind: type) -> str:
    """``range``, the target's own ``Payload``, or ``numpy.matrix``: qualified when it comes from a library."""
    module = kind.__module__
    own = module in ("builtins", "__main__") or module.startswith("gradspec_target")
    return kind.__qualname__ if own else f"{module}.{kind.__qualname__}"


def decode(text: bytes, binary: bytes) -> Any:
    """The value a message's JSON and binary parts hold; :class:`WireError` for anything else."""
    try:
        tree = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise WireError(f"the message is not valid JSON ({type(err).__name__})") from None

    def array_bytes(dtype_text: Any, at: Any, size: Any) -> tuple[np.dtype, bytes]:
        if not (isinstance(dtype_text, str) and type(at) is int and type(size) is int and at >= 0
                and size >= 0 and at + size <= len(binary)):
            raise WireError("an array's bytes are not in the message")
        try:
            dtype = np.dtype(dtype_text)
        except TypeError:
            raise WireError(f"not a dtype: {dtype_text!r:.40}") from None
        if dtype.kind not in _KINDS or dtype.fields is not None or dtype.subdtype is not None:
            raise WireError(f"an array of dtype {dtype} is not data")
        return dtype, binary[at:at + size]

    def walk(node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH + 1 or not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise WireError("the message is not gradspec data")
        kind, rest = node[0], node[1:]
        if kind == "none" and not rest:
            return None
        if kind == "bool" and len(rest) == 1 and isinstance(rest[0], bool):
            return rest[0]
        if kind == "int" and len(rest) == 1 and isinstance(rest[0], str) and len(rest[0]) <= 4300:
            try:
                return int(rest[0])
            except ValueError:
                pass
        if kind == "float" and len(rest) == 1 and isinstance(rest[0], str):
            try:
                return float(rest[0])
            except ValueError:
                pass
        if kind == "str" and len(rest) == 1 and isinstance(rest[0], str):
            return rest[0]
        if kind in ("list", "tuple") and len(rest) == 1 and isinstance(rest[0], list):
            items = [walk(item, depth + 1) for item in rest[0]]
            return items if kind == "list" else tuple(items)
        if kind == "dict" and len(rest) == 1 and isinstance(rest[0], list):
            out = {}
            for pair in rest[0]:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise WireError("a dict entry is not a (str, value) pair")
                out[pair[0]] = walk(pair[1], depth + 1)
            return out
        if kind == "array" and len(rest) == 4 and isinstance(rest[1], list):
            dtype, data = array_bytes(rest[0], rest[2], rest[3])
            shape = rest[1]
            if not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 64:
                raise WireError("an array's shape is not a list of sizes")
            if math.prod(shape) * dtype.itemsize != len(data):
                raise WireError(f"an array of shape {tuple(shape)} and dtype {dtype} cannot hold {len(data)} bytes")
            return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        if kind == "scalar" and len(rest) == 3:
            dtype, data = array_bytes(*rest)
            if len(data) != dtype.itemsize:
                raise WireError(f"a {dtype} scalar cannot be {len(data)} bytes")
            return np.frombuffer(data, dtype=dtype)[0]
        raise WireError(f"the message is not gradspec data (a {kind!r:.20} item)")

    return walk(tree, 0)


def write(stream: BinaryIO, value: Any) -> None:
    """Encode ``value`` and write it to ``stream`` (flushed)."""
    stream.write(encode(value))
    stream.flush()


def read(stream: BinaryIO, *, limit: int = DEFAULT_MAX_BYTES) -> Any:
    """The next message's value. :class:`MessageTooLargeError` when its header announces more than
    ``limit`` bytes (nothing more is read: the stream is then out of step, and its writer must be
    stopped); :class:`WireError` for garbage; :class:`EOFError` when the stream ends first."""
    header = _exactly(stream, HEADER.size)
    magic, text_size, binary_size = HEADER.unpack(header)
    if magic != MAGIC:
        raise WireError(f"the message does not start as a gradspec message ({magic!r})")
    if text_size + binary_size > limit:
        raise MessageTooLargeError(text_size + binary_size, limit)
    return decode(_exactly(stream, text_size), _exactly(stream, binary_size))


def _exactly(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
