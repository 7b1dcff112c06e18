"""The disposable process between the verifier and the worker:
``python -m gradspec.conformance._supervisor LIFELINE_FD -- WORKER ARGV...``.

The verifier starts this process; it starts the worker (``WORKER ARGV``, the worker itself or
bubblewrap around it) in a session of its own, with this process's standard streams (the
request and reply pipes, the log), so that

* the worker's parent is this process, not the verifier: ``os.kill(os.getppid(), ...)`` and
  ``os.killpg(0, ...)`` from the target reach this process or the worker's own group, and this
  process shrugs off every signal but SIGKILL;
* on Linux this process is a *child subreaper* (``PR_SET_CHILD_SUBREAPER``): whatever the worker
  starts, double forks and new sessions included, is re-parented here when its parent exits, and
  the worker is killed if this process dies (``PR_SET_PDEATHSIG``, set by the worker);
* when the worker exits, or the verifier closes the lifeline (the pipe at ``LIFELINE_FD``: closed
  when the verifier ends a run, stops a call that hangs, or dies), every process below this one
  is stopped and killed, and then this process exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

__all__ = ["descendants", "kill_descendants", "main"]


def _become_subreaper() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (from ``/proc``), parents before their children."""
    parents: dict[int, int] = {}
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: only the worker's process group is ended (see main)
        return []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry.name)] = int(fields[1])
    below, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        below += children
        frontier += children
    return below


def kill_descendants(root: int | None = None) -> None:
    """Stop, then kill, every process below ``root`` (this one), until none is left; reap them."""
    root = os.getpid() if root is None else root
    for _ in range(200):
        found = descendants(root)
        if not found:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):  # stopped first: a fork loop cannot outrun us
            for pid in found:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, sig)
        _reap()


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(argv: list[str]) -> int:
    lifeline = int(argv[0])
    command = argv[argv.index("--") + 1:]
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGPIPE, signal.SIGALRM):
        signal.signal(sig, signal.SIG_IGN)
    _become_subreaper()
    try:
        worker = subprocess.Popen(command, stdin=0, stdout=1, stderr=2, start_new_session=True, close_fds=True)
    except OSError as err:
        print(f"gradspec: could not start the worker: {err}", file=sys.stderr)
        return 127
    # The pipes are the worker's now: when it dies, the verifier reads the end of them at once.
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)

    def end_all() -> None:
        with contextlib.suppress(OSError):  # the worker's session, where /proc cannot be read
            os.killpg(worker.pid, signal.SIGKILL)
        kill_descendants()

    def watch_lifeline() -> None:  # the verifier closed it (or died): end the worker, and all below
        with contextlib.suppress(OSError):
            while os.read(lifeline, 1):
                pass
        end_all()

    threading.Thread(target=watch_lifeline, daemon=True).start()
    code = worker.wait()
    end_all()
    return code


def _exit_as(code: int) -> None:
    """Exit with the worker's status: by the same signal when a signal ended it."""
    if code < 0:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    _exit_as(main(sys.argv[1:]))
