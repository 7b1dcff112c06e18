"""The process a verified target runs in: ``python -m gradspec.conformance._worker TARGET``.

It imports the target once and describes its functions (signature, whether the target
defines it or imports it, the other functions its code names), then answers calls read from
stdin. Both ways the messages are data only (:mod:`gradspec.conformance._wire`, never a
pickle): a request ``{"id", "call", "args", "kwargs", "stand_ins"}``, a reply ``{"id", "pid",
"kind", "payload"}``. A reply carries the request's id and this process's pid, and only this
process sends replies: a child the target forks, which returns into this loop, exits instead
of answering. ``stand_ins`` maps names the target's module uses to reference functions
``(module, name, kwargs)`` that replace them for the duration of the call, so that a function
is judged with correct helpers. The target's own printing goes to stderr, never into the
replies. Whatever the target does (raise, ``sys.exit``, allocate without bound, return
something that is not data) is caught here or kills only this process; the verifier reports it.

The worker runs under :mod:`gradspec.conformance._supervisor`, in its own session, in a
scratch directory, with a minimal environment (and, where bubblewrap is installed, in a
sandbox): see :class:`gradspec.conformance.target.Target`.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import importlib
import importlib.util
import inspect
import os
import random
import sys
import traceback
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from . import _wire
from ._loading import CellProblem, TargetSyntaxError, load_file

#: The global random streams (NumPy's and Python's) are reset to this seed before every call,
#: so that a function that draws from them without seeding returns the same values each time,
#: and its counterexample reproduces (the snippet resets them the same way). No notebook
#: seeds with it, so an unseeded function does not reproduce a notebook's stream by chance.
STREAM_SEED = 20_171_017
MEMORY_LIMIT_BYTES = 4 * 2**30


def load_target(target: str) -> tuple[ModuleType, list[CellProblem]]:
    """A ``.py`` or ``.ipynb`` path (:func:`gradspec.conformance._loading.load_file`: a
    notebook's failing cells are skipped and reported), or an importable module name."""
    path = Path(target)
    if path.suffix in (".py", ".ipynb") or path.exists():
        return load_file(path)
    return importlib.import_module(target), []


def last_line(exc: BaseException) -> str:
    """The traceback's last line, ``Type: message``, cut to the message's first line."""
    lines = traceback.format_exception_only(type(exc), exc)
    text = "".join(lines).strip() if lines else type(exc).__name__
    return text.splitlines()[0]


#: The pid of the worker itself: a forked child (same memory) must not answer for it.
_WORKER_PID = os.getpid()


def _send(stream, request_id: int, kind: str, payload: object) -> None:
    if os.getpid() != _WORKER_PID:  # a child the target forked came back here: it has no answer to give
        os._exit(0)
    message = {"id": request_id, "pid": _WORKER_PID, "kind": kind, "payload": payload}
    try:
        data = _wire.encode(message, paths={"payload": "result"})
    except _wire.UnencodableError as exc:  # the target returned something that is not data
        data = _wire.encode({**message, "kind": "unencodable", "payload": str(exc)})
    except Exception as exc:
        data = _wire.encode({**message, "kind": "unencodable", "payload": f"{type(payload).__name__}: "
                                                                         f"{last_line(exc)}"})
    stream.write(data)
    stream.flush()


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent (the supervisor) dies."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _names_in(code: CodeType) -> set[str]:
    """The global names ``code`` and the functions, lambdas and comprehensions inside it use."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_in(const)
    return names


def _signature(function: Any) -> dict[str, Any] | None:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return {
        "params": [p.name for p in positional],
        "required": sum(p.default is p.empty for p in positional),
        "varargs": any(p.kind is p.VAR_POSITIONAL for p in parameters),
    }


def describe(module: ModuleType) -> dict[str, dict[str, Any]]:
    """For each callable the module holds: its signature, whether the module defines it
    (``defined``: its ``__module__`` is the module's), the module's other callables its code
    names (``calls``), and the global names its code uses that nothing defines
    (``unresolved``: a course helper whose import failed, say)."""
    callables = {n: getattr(module, n) for n in dir(module) if callable(getattr(module, n, None))}
    out = {}
    for name, function in sorted(callables.items()):
        code = getattr(function, "__code__", None)
        names = _names_in(code) if isinstance(code, CodeType) else set()
        unresolved = {n for n in names if n not in module.__dict__ and not hasattr(builtins, n)}
        out[name] = {"signature": _signature(function), "calls": sorted((names & set(callables)) - {name}),
                     "unresolved": sorted(unresolved),
                     "defined": getattr(function, "__module__", None) == module.__name__}
    return out


def _reset_streams() -> None:
    random.seed(STREAM_SEED)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(STREAM_SEED)


@contextlib.contextmanager
def _standing_in(function: Any, stand_ins: dict[str, tuple[str, str, dict[str, Any]]]) -> Iterator[None]:
    """Replace names in ``function``'s globals with reference functions while it runs."""
    namespace = getattr(function, "__globals__", None)
    if not stand_ins or namespace is None:
        yield
        return
    saved = {name: namespace[name] for name in stand_ins if name in namespace}
    for name, (module_name, attribute, kwargs) in stand_ins.items():
        reference = getattr(importlib.import_module(module_name), attribute)
        namespace[name] = functools.partial(reference, **kwargs) if kwargs else reference
    try:
        yield
    finally:
        for name in stand_ins:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)


def main(target: str, memory_limit: int = MEMORY_LIMIT_BYTES) -> None:
    global _WORKER_PID
    _WORKER_PID = os.getpid()
    _die_with_parent()
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the target's prints go to stderr
    sys.stdout = sys.stderr
    requests = os.fdopen(os.dup(0), "rb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the target reads nothing of the requests
    sys.stdin = open(os.devnull)  # noqa: SIM115 - for the process's life
    try:
        import resource

        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass
    try:
        module, problems = load_target(target)
    except TargetSyntaxError as exc:
        _send(replies, 0, "import-error", str(exc))
        return
    except BaseException as exc:
        _send(replies, 0, "import-error", last_line(exc))
        return
    _send(replies, 0, "ready", {"functions": describe(module), "problems": [asdict(p) for p in problems]})
    while True:
        try:
            request = _wire.read(requests, limit=2**40)
        except EOFError:
            return
        request_id = request["id"]
        try:
            function = getattr(module, request["call"])
            _reset_streams()
            with _standing_in(function, {k: tuple(v) for k, v in request["stand_ins"].items()}):
                result = function(*request["args"], **request["kwargs"])
        except SystemExit as exc:
            _send(replies, request_id, "raised", f"called sys.exit({exc.code!r})")
        except BaseException as exc:
            _send(replies, request_id, "raised", last_line(exc))
        else:
            _send(replies, request_id, "ok", result)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else MEMORY_LIMIT_BYTES)
