"""The process a verified target runs in: ``python -m gradspec.conformance._worker TARGET``.

It imports the target once, then answers calls read from stdin: each request is a
length-prefixed pickle ``(function_name, args, kwargs)`` and each reply a length-prefixed
pickle ``(kind, payload)``. The target's own printing goes to stderr, never into the
replies. Whatever the target does (raise, ``sys.exit``, allocate without bound) is caught
here or kills only this process; the parent reports it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pickle
import struct
import sys
import traceback
from pathlib import Path
from types import ModuleType

HEADER = struct.Struct("!Q")
MEMORY_LIMIT_BYTES = 4 * 2**30


def load_target(target: str) -> ModuleType:
    """A ``.py`` path, an importable module name, or ``reference`` (gradspec's notebook API)."""
    if target == "reference":
        return importlib.import_module("gradspec.reference.notebook")
    path = Path(target)
    if path.suffix == ".py" or path.exists():
        spec = importlib.util.spec_from_file_location("gradspec_target", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {target}")
        module = importlib.util.module_from_spec(spec)
        sys.modules["gradspec_target"] = module
        sys.path.insert(0, str(path.resolve().parent))
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(target)


def last_line(exc: BaseException) -> str:
    """The traceback's last line, ``Type: message``, cut to the message's first line."""
    lines = traceback.format_exception_only(type(exc), exc)
    text = "".join(lines).strip() if lines else type(exc).__name__
    return text.splitlines()[0]


def _send(stream, kind: str, payload: object) -> None:
    try:
        data = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # the target returned something that cannot leave the process
        data = pickle.dumps(("unpicklable", f"{type(payload).__name__}: {last_line(exc)}"))
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream) -> object:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError
    (size,) = HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def main(target: str, memory_limit: int = MEMORY_LIMIT_BYTES) -> None:
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the target's prints go to stderr
    sys.stdout = sys.stderr
    try:
        import resource

        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass
    try:
        module = load_target(target)
    except BaseException as exc:
        _send(replies, "import-error", last_line(exc))
        return
    names = sorted(n for n in dir(module) if callable(getattr(module, n, None)))
    _send(replies, "ready", names)
    requests = sys.stdin.buffer
    while True:
        try:
            name, args, kwargs = _receive(requests)
        except EOFError:
            return
        try:
            result = getattr(module, name)(*args, **kwargs)
        except SystemExit as exc:
            _send(replies, "raised", f"called sys.exit({exc.code!r})")
        except BaseException as exc:
            _send(replies, "raised", last_line(exc))
        else:
            _send(replies, "ok", result)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else MEMORY_LIMIT_BYTES)
