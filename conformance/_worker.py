"""The process a verified target runs in: ``python -m gradspec.conformance._worker TARGET``.

It imports the target once and describes its functions (signature, whether the target
defines it or imports it, the other functions its code names), then answers calls read from
stdin: each request is a length-prefixed pickle ``(function_name, args, kwargs, stand_ins)``
and each reply a length-prefixed pickle ``(kind, payload)``. ``stand_ins`` maps names the
target's module uses to reference functions ``(module, name, kwargs)`` that replace them
for the duration of the call, so that a function is judged with correct helpers. The
target's own printing goes to stderr, never into the replies. Whatever the target does
(raise, ``sys.exit``, allocate without bound) is caught here or kills only this process;
the parent reports it.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import importlib
import importlib.util
import inspect
import os
import pickle
import random
import struct
import sys
import traceback
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from ._loading import CellProblem, TargetSyntaxError, load_file

HEADER = struct.Struct("!Q")
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
        module, problems = load_target(target)
    except TargetSyntaxError as exc:
        _send(replies, "import-error", str(exc))
        return
    except BaseException as exc:
        _send(replies, "import-error", last_line(exc))
        return
    _send(replies, "ready", {"functions": describe(module), "problems": [asdict(p) for p in problems]})
    requests = sys.stdin.buffer
    while True:
        try:
            name, args, kwargs, stand_ins = _receive(requests)
        except EOFError:
            return
        try:
            function = getattr(module, name)
            _reset_streams()
            with _standing_in(function, stand_ins):
                result = function(*args, **kwargs)
        except SystemExit as exc:
            _send(replies, "raised", f"called sys.exit({exc.code!r})")
        except BaseException as exc:
            _send(replies, "raised", last_line(exc))
        else:
            _send(replies, "ok", result)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else MEMORY_LIMIT_BYTES)
