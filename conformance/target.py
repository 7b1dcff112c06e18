"""A verified implementation, running in its own process.

:class:`Target` starts ``gradspec.conformance._worker`` on the target and forwards calls to
it. A call that raises, hangs past the timeout, kills the process or returns something
that cannot be sent back raises :class:`TargetError` here, with what happened; the worker
is restarted for the next call, so one bad function cannot take the others down.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import tempfile
from types import TracebackType
from typing import Any

from ._worker import HEADER, MEMORY_LIMIT_BYTES

__all__ = ["Target", "TargetError", "TargetLoadError", "TargetTimeoutError"]


class TargetError(Exception):
    """A call into the target failed; ``str(error)`` says how."""


class TargetTimeoutError(TargetError):
    """A call did not return within the timeout (the worker was stopped)."""


class TargetLoadError(Exception):
    """The target could not be imported (a usage error); the message is the traceback's last line."""


class Target:
    """Calls into ``target`` (a ``.py`` or ``.ipynb`` path, or a module name), out of process.

    ``memory_limit`` caps the worker's address space in bytes (None: no cap; the frameworks
    reserve more address space than they use).
    """

    def __init__(self, target: str, *, timeout: float = 5.0, import_timeout: float = 120.0,
                 memory_limit: int | None = MEMORY_LIMIT_BYTES) -> None:
        self.target = target
        self.memory_limit = memory_limit
        self.timeout = timeout
        self.import_timeout = import_timeout
        #: For each callable of the target: ``signature`` (``params``, ``required``, ``varargs``;
        #: None where it cannot be read), ``defined`` (the target defines it, rather than
        #: importing it) and ``calls`` (the target's other callables its code names).
        self.functions: dict[str, dict[str, Any]] = {}
        #: Notebook cells that failed while the target loaded (skipped): cell, line, first_line, error.
        self.load_problems: list[dict[str, Any]] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        self._stderr_mark = 0
        try:
            self._start()
        except BaseException:
            self._stderr.close()
            raise

    # --- lifecycle ------------------------------------------------------------------------
    def _start(self) -> None:
        env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   PYTHONDONTWRITEBYTECODE="1")
        self._stderr.seek(0)
        self._stderr.truncate()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "gradspec.conformance._worker", self.target, str(self.memory_limit or 0)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
        )
        try:
            kind, payload = self._read(self.import_timeout, what="importing the target")
        except TargetError as exc:
            self.close()
            raise TargetLoadError(str(exc)) from None
        if kind == "import-error":
            self.close()
            raise TargetLoadError(str(payload))
        self.functions = dict(payload["functions"])
        self.load_problems = list(payload["problems"])

    def close(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
            self._process = None

    def __enter__(self) -> Target:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
        self._stderr.close()

    # --- calls ----------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.functions

    def call(self, name: str, *args: Any, stand_ins: dict[str, tuple[str, str, dict[str, Any]]] | None = None,
             **kwargs: Any) -> Any:
        """``target.name(*args, **kwargs)`` in the worker; the arguments travel as copies.
        ``stand_ins`` replaces other functions of the target with reference functions
        ``(module, name, kwargs)`` while this call runs."""
        if self._process is None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        data = pickle.dumps((name, args, kwargs, stand_ins or {}), protocol=pickle.HIGHEST_PROTOCOL)
        self._stderr_mark = self._stderr.seek(0, os.SEEK_END)
        try:
            self._process.stdin.write(HEADER.pack(len(data)) + data)
            self._process.stdin.flush()
        except BrokenPipeError:
            self._died(f"{name} could not be called")
        kind, payload = self._read(self.timeout, what=f"{name}")
        if kind == "ok":
            return payload
        if kind == "raised":
            raise TargetError(f"raised {payload}")
        raise TargetError(f"returned a value that cannot be checked ({payload})")

    def _read(self, timeout: float, *, what: str) -> tuple[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        ready, _, _ = select.select([stdout], [], [], timeout)
        if not ready:
            self.close()
            raise TargetTimeoutError(f"did not return within {timeout:g} s ({what}); the process was stopped")
        header = stdout.read(HEADER.size)
        if len(header) < HEADER.size:
            self._died(what)
        (size,) = HEADER.unpack(header)
        return pickle.loads(stdout.read(size))

    def _died(self, what: str) -> None:
        assert self._process is not None
        code = self._process.wait()
        self._stderr.seek(self._stderr_mark)
        tail = self._stderr.read().decode(errors="replace").strip().splitlines()[-1:]
        self.close()
        how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        detail = f": {tail[0]}" if tail else ""
        raise TargetError(f"the process {how} during {what}{detail}")
