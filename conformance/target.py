"""A verified implementation, running in its own process, contained.

:class:`Target` starts ``gradspec.conformance._worker`` on the target, under the disposable
supervisor (:mod:`gradspec.conformance._supervisor`) and, where bubblewrap works, in a sandbox
(:mod:`gradspec.conformance.sandbox`), and forwards calls to it. What the verifier promises:

* **Data only.** Requests and replies are data (:mod:`gradspec.conformance._wire`): nothing the
  target returns is unpickled or executed here. A reply that is not data, or is larger than
  ``max_reply_bytes`` (checked from its header, before anything is read), is a
  :class:`TargetNotDataError` naming the type or the size. A reply must carry the call's id and the
  worker's pid: anything else on the channel (a forked child's answer) is not taken for it.
* **Contained.** The worker runs in its own session below the supervisor, in a scratch working
  directory (removed when the target is closed) with a minimal environment (:data:`PASSED_ENV`,
  plus ``HOME`` and ``TMPDIR`` in the scratch directory). When a call hangs past the timeout,
  the worker crashes, or the target is closed, the supervisor kills everything the worker
  started (double forks and new sessions included: it is their subreaper).
* **Bounded.** ``timeout`` bounds every call; the import may take :data:`IMPORT_TIMEOUT_FACTOR`
  times as long. A call that raises, hangs, kills the process or sends garbage raises
  :class:`TargetError` here, with what happened; the worker is restarted for the next call, so
  one bad function cannot take the others down.

Without a sandbox the worker still runs as you: it can read your files and, by absolute path,
write them, and a target set on it can find and signal your processes. With ``bwrap`` the file
system is read-only but for the scratch directory, the network is gone, and the worker sees and
can signal only its own processes.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from . import _wire
from ._worker import MEMORY_LIMIT_BYTES
from .sandbox import bwrap_command, resolve

__all__ = ["IMPORT_TIMEOUT_FACTOR", "PASSED_ENV", "Supervised", "Target", "TargetError", "TargetLoadError",
           "TargetNotDataError", "TargetTimeoutError", "on_shutdown", "shutdown"]

#: The import of a target may take this many times ``timeout``.
IMPORT_TIMEOUT_FACTOR = 10
#: The variables of your environment the worker gets (where set); nothing else of it.
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "KERAS_BACKEND", "JAX_PLATFORMS",
              "CUDA_VISIBLE_DEVICES")
_SUPERVISOR = Path(__file__).with_name("_supervisor.py")


#: What :func:`shutdown` undoes: the live workers and clients, and temporary directories, by key.
_CLEANUP: dict[int, Callable[[], None]] = {}


def on_shutdown(key: object, undo: Callable[[], None] | None) -> None:
    """Register ``undo`` (None: unregister) to run if the verifier is told to stop (:func:`shutdown`)."""
    if undo is None:
        _CLEANUP.pop(id(key), None)
    else:
        _CLEANUP[id(key)] = undo


def shutdown() -> None:
    """Stop every worker and client still running and remove their scratch directories: what the
    ``gradspec`` command does on SIGTERM, before it exits (a Hypothesis search in progress would
    otherwise retry the call it was in)."""
    for undo in list(_CLEANUP.values()):
        with contextlib.suppress(Exception):
            undo()
    _CLEANUP.clear()


class TargetError(Exception):
    """A call into the target failed; ``str(error)`` says how."""


class TargetTimeoutError(TargetError):
    """A call did not return within the timeout (the worker was stopped)."""


class TargetNotDataError(TargetError):
    """The call returned something that is not data gradspec checks (a type it cannot send, or more
    than the reply limit): a failure of the function, not an error of the run."""


class TargetLoadError(Exception):
    """The target could not be imported (a usage error); the message is the traceback's last line."""


def _spawn(command: list[str], *, scratch: Path, env: dict[str, str], sandbox: str,
           stderr: Any) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``command`` below the supervisor (and bubblewrap, for ``sandbox="bwrap"``) in ``scratch``
    with ``env``, its stdin and stdout unbuffered pipes: the process and the lifeline's writing end."""
    if sandbox == "bwrap":
        command = [*bwrap_command(scratch=scratch, env=env), *command]
    lifeline_read, lifeline = os.pipe()
    try:
        process = subprocess.Popen([sys.executable, "-I", "-S", str(_SUPERVISOR), str(lifeline_read), "--", *command],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=scratch,
                                   pass_fds=(lifeline_read,), bufsize=0)
    except BaseException:
        os.close(lifeline)
        raise
    finally:
        os.close(lifeline_read)
    return process, lifeline


def _end(process: subprocess.Popen[bytes] | None, lifeline: int | None) -> None:
    """Close the lifeline (the supervisor then ends everything below it) and the pipes, and wait for
    the supervisor; one that is stuck is killed."""
    if lifeline is not None:
        os.close(lifeline)
    if process is None:
        return
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def write_all(fd: int, data: bytes, deadline: float) -> None:
    """Write ``data`` to the pipe ``fd`` by ``deadline``: TimeoutError if the reader does not take it
    in time, BrokenPipeError if it is gone."""
    view = memoryview(data)
    while view:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([], [fd], [], left)[1]:
            raise TimeoutError
        view = view[os.write(fd, view[:1 << 16]):]


class Supervised:
    """A process gradspec runs below its supervisor, with what it needs around it: a scratch working
    directory (removed at the end), a log of its stderr, its sandbox mode (resolved by
    :func:`gradspec.conformance.sandbox.resolve`), registration with :func:`shutdown`, and what to
    say when it dies. :class:`Target` (a Python target's worker) and
    :class:`gradspec.conformance.exec.ExecClient` (a protocol v1 client) are its two kinds: each
    defines ``_start``, which starts the process with :meth:`_start_process`, and each is used as
    a context manager."""

    #: What the process is called in messages ("the process", "the client").
    noun = "the process"

    def __init__(self, *, sandbox: str, scratch_prefix: str) -> None:
        self.sandbox = resolve(sandbox)
        self._process: subprocess.Popen[bytes] | None = None
        self._lifeline: int | None = None
        self._scratch = Path(tempfile.mkdtemp(prefix=scratch_prefix))
        #: The process's stderr (the target's prints, a client's diagnostics), for the report.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _discard
        self._log_mark = 0
        on_shutdown(self, self._discard)

    def _launch(self) -> None:
        """Start the process for the first time; on any failure, undo everything :meth:`__init__` made."""
        try:
            self._start()
        except BaseException:
            self._discard()
            raise

    def _start(self) -> None:  # pragma: no cover - every kind defines it
        raise NotImplementedError

    def _start_process(self, command: list[str], env: dict[str, str]) -> None:
        self._process, self._lifeline = _spawn(command, scratch=self._scratch, env=env, sandbox=self.sandbox,
                                               stderr=self.log)

    def _discard(self) -> None:
        on_shutdown(self, None)
        self.close()
        self.log.close()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def close(self) -> None:
        """Stop the process and everything it started (the supervisor does, when the lifeline closes)."""
        _end(self._process, self._lifeline)
        self._process = self._lifeline = None

    def __enter__(self) -> Supervised:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._discard()

    def _mark_log(self) -> None:
        """What the process writes to stderr from here on is what :meth:`_died` quotes."""
        self._log_mark = self.log.seek(0, os.SEEK_END)

    def _died(self, what: str) -> None:
        """Raise the :class:`TargetError` of a process that exited or was killed during ``what``, with the
        last line it wrote to stderr since :meth:`_mark_log`."""
        process = self._process
        assert process is not None
        self.close()
        code = process.returncode
        self.log.seek(self._log_mark)
        tail = self.log.read().decode(errors="replace").strip().splitlines()[-1:]
        if code < 0 or (self.sandbox == "bwrap" and code > 128):  # bubblewrap reports a signal as 128 + it
            how = f"was killed by signal {-code if code < 0 else code - 128}"
        else:
            how = f"exited with status {code}"
        detail = f": {tail[0]}" if tail else ""
        raise TargetError(f"{self.noun} {how} during {what}{detail}")


class Target(Supervised):
    """Calls into ``target`` (a ``.py`` or ``.ipynb`` path, or a module name), out of process.

    ``memory_limit`` caps the worker's address space in bytes (None: no cap; the frameworks
    reserve more address space than they use). ``sandbox`` is ``"auto"``, ``"bwrap"`` or
    ``"none"`` (:func:`gradspec.conformance.sandbox.resolve`); :attr:`sandbox` is the mode that runs.
    ``import_timeout`` defaults to :data:`IMPORT_TIMEOUT_FACTOR` × ``timeout``.
    """

    def __init__(self, target: str, *, timeout: float = 5.0, import_timeout: float | None = None,
                 memory_limit: int | None = MEMORY_LIMIT_BYTES, sandbox: str = "auto",
                 max_reply_bytes: int = _wire.DEFAULT_MAX_BYTES) -> None:
        super().__init__(sandbox=sandbox, scratch_prefix="gradspec-worker-")
        self.target = target
        self.memory_limit = memory_limit
        self.timeout = timeout
        self.import_timeout = IMPORT_TIMEOUT_FACTOR * timeout if import_timeout is None else import_timeout
        self.max_reply_bytes = max_reply_bytes
        path = Path(target)
        self._path = path.resolve() if path.suffix in (".py", ".ipynb") or path.exists() else None
        #: For each callable of the target: ``signature`` (``params``, ``required``, ``varargs``;
        #: None where it cannot be read), ``defined`` (the target defines it, rather than
        #: importing it) and ``calls`` (the target's other callables its code names).
        self.functions: dict[str, dict[str, Any]] = {}
        #: Notebook cells that failed while the target loaded (skipped): cell, line, first_line, error.
        self.load_problems: list[dict[str, Any]] = []
        self._worker_pid: int | None = None
        self._next_id = 0
        self._module_dir = os.getcwd()  # a module named by name is looked for here too, as `python -m` would
        self._launch()

    # --- lifecycle ------------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        if self._path is None:
            env["PYTHONPATH"] = os.pathsep.join(p for p in (self._module_dir, env.get("PYTHONPATH")) if p)
        env.update(HOME=str(self._scratch), TMPDIR=str(self._scratch / "tmp"), MPLBACKEND="Agg",
                   MPLCONFIGDIR=str(self._scratch / "matplotlib"), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   PYTHONDONTWRITEBYTECODE="1")
        return env

    def _start(self) -> None:
        for folder in ("tmp", "matplotlib"):
            (self._scratch / folder).mkdir(exist_ok=True)
        env = self._environment()
        worker = [sys.executable, "-m", "gradspec.conformance._worker", str(self._path or self.target),
                  str(self.memory_limit or 0)]
        if self.sandbox == "bwrap" and self._path is not None:
            self._link_beside(self._path.parent)
        self.log.seek(0)
        self.log.truncate()
        self._log_mark = 0
        self._start_process(worker, env)
        try:
            reply = self._read(0, self.import_timeout, what="importing the target", pid=None)
        except TargetError as exc:
            self.close()
            raise TargetLoadError(str(exc)) from None
        if reply["kind"] == "import-error":
            self.close()
            raise TargetLoadError(str(reply["payload"]))
        if reply["kind"] != "ready":
            self.close()
            raise TargetLoadError(f"the worker did not start (it sent {reply['kind']!r})")
        self._worker_pid = reply["pid"]
        self.functions = dict(reply["payload"]["functions"])
        self.load_problems = list(reply["payload"]["problems"])

    def _link_beside(self, folder: Path) -> None:
        """In the sandbox, the scratch directory links to the files beside the target, so that a
        notebook opening ``data.h5`` by a relative path reads it (the links lead into the read-only
        file system: writing through one fails)."""
        with contextlib.suppress(OSError):
            for entry in itertools.islice(sorted(folder.iterdir()), 2000):
                link = self._scratch / entry.name
                if not link.exists() and not link.is_symlink():
                    link.symlink_to(entry)

    def __enter__(self) -> Target:
        return self

    # --- calls ----------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.functions

    def call(self, name: str, *args: Any, stand_ins: dict[str, tuple[str, str, dict[str, Any]]] | None = None,
             **kwargs: Any) -> Any:
        """``target.name(*args, **kwargs)`` in the worker; the arguments travel as copies (data:
        arrays, numbers, strings, lists, tuples, dicts with str keys). ``stand_ins`` replaces other
        functions of the target with reference functions ``(module, name, kwargs)`` while this call runs."""
        if self._process is None:
            self._start()
        assert self._process is not None
        self._next_id += 1
        request = {"id": self._next_id, "call": name, "args": list(args), "kwargs": kwargs,
                   "stand_ins": stand_ins or {}}
        data = _wire.encode(request)
        self._mark_log()
        deadline = time.monotonic() + self.timeout
        self._write(data, deadline, what=name)
        reply = self._read(self._next_id, deadline - time.monotonic(), what=name, pid=self._worker_pid)
        kind, payload = reply["kind"], reply["payload"]
        if kind == "ok":
            return payload
        if kind == "raised":
            raise TargetError(f"raised {payload}")
        if kind == "unencodable":
            raise TargetNotDataError(f"returned {payload}")
        raise TargetError(f"sent a reply of an unknown kind ({kind!r:.40})")

    def _write(self, data: bytes, deadline: float, *, what: str) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            write_all(self._process.stdin.fileno(), data, deadline)
        except TimeoutError:
            self._timed_out(what)
        except BrokenPipeError:
            self._died(f"{what} could not be called")

    def _read(self, request_id: int, timeout: float, *, what: str, pid: int | None) -> dict[str, Any]:
        """The reply to ``request_id`` from the worker ``pid`` (None: the first message); messages
        that are not that reply are passed over, until ``timeout``."""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + max(timeout, 0)
        while True:
            header = self._exactly(fd, _wire.HEADER.size, deadline, what)
            magic, text_size, binary_size = _wire.HEADER.unpack(header)
            if magic != _wire.MAGIC:
                self.close()
                raise TargetError(f"the worker's channel carried something that is not a gradspec message during "
                                  f"{what} (the target wrote to it); the process was stopped")
            size = text_size + binary_size
            if size > self.max_reply_bytes:
                self.close()
                raise TargetNotDataError(str(_wire.MessageTooLargeError(size, self.max_reply_bytes)))
            body = self._exactly(fd, size, deadline, what)
            try:
                reply = _wire.decode(body[:text_size], body[text_size:])
            except _wire.WireError as exc:
                self.close()
                raise TargetError(f"sent a reply that is not gradspec data during {what} ({exc}); the process "
                                  "was stopped") from None
            if (isinstance(reply, dict) and reply.get("id") == request_id and isinstance(reply.get("kind"), str)
                    and (pid is None or reply.get("pid") == pid)):
                return reply

    def _exactly(self, fd: int, size: int, deadline: float, what: str) -> bytes:
        chunks, left = [], size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                self._timed_out(what)
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                self._died(what)
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _timed_out(self, what: str) -> None:
        self.close()
        raise TargetTimeoutError(f"did not return within {self._limit_for(what):g} s ({what}); the process was "
                                 "stopped")

    def _limit_for(self, what: str) -> float:
        return self.import_timeout if what == "importing the target" else self.timeout
