"""Where the worker that runs a target is confined: ``gradspec verify --sandbox auto|bwrap|none``.

``bwrap`` runs the worker under bubblewrap (``apt-get install bubblewrap``): the whole file system
read-only but for a private scratch directory, a new PID namespace (the worker sees no process
of yours and can signal none), no network, a new session, and the sandbox dies with the process
that started it. ``none`` runs it as a plain process, still contained as far as an ordinary
process can be (:class:`gradspec.conformance.target.Target`: its own session under a disposable
supervisor, a scratch working directory, a minimal environment, everything it starts killed when
the run ends), but with your permissions. ``auto`` is ``bwrap`` where bubblewrap is installed
and works, else ``none``.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

__all__ = ["MODES", "SandboxUnavailableError", "bwrap_command", "bwrap_problem", "resolve"]

#: The values of ``--sandbox``.
MODES = ("auto", "bwrap", "none")


class SandboxUnavailableError(ValueError):
    """``--sandbox bwrap`` where bubblewrap is missing or cannot run; the message says why and the fix."""


@functools.cache
def bwrap_problem() -> str | None:
    """Why bubblewrap cannot confine a worker here (None when it can): tried once per process."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        probe = subprocess.run([bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all",
                                "--die-with-parent", "--new-session", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap did not run ({err})"
    if probe.returncode != 0:
        last = (probe.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        return (f"bubblewrap is installed but cannot make a sandbox here ({last}); it needs unprivileged user "
                "namespaces (sysctl kernel.unprivileged_userns_clone=1) or root")
    return None


def resolve(mode: str) -> str:
    """``"bwrap"`` or ``"none"`` for ``--sandbox mode``; :class:`SandboxUnavailableError` for ``bwrap`` when
    it cannot run, ValueError for an unknown mode."""
    if mode not in MODES:
        raise ValueError(f"--sandbox must be one of {', '.join(MODES)}; got {mode!r}")
    if mode == "none":
        return "none"
    problem = bwrap_problem()
    if problem is None:
        return "bwrap"
    if mode == "bwrap":
        raise SandboxUnavailableError(f"--sandbox bwrap: {problem}. Install it, or pass --sandbox none (or auto) "
                                      "to run the target without a sandbox.")
    return "none"


def bwrap_command(*, scratch: Path, env: dict[str, str]) -> list[str]:
    """The bubblewrap prefix for a worker: the whole file system read-only (so the target's folder is
    readable at its own path), ``scratch`` writable and the working directory, a fresh /dev, /proc
    and PID namespace, no network, a new session, ``env`` and nothing else in the environment."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:  # resolve() said it was there
        raise SandboxUnavailableError("--sandbox bwrap: bubblewrap is not installed (apt-get install bubblewrap)")
    command = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/dev/shm",
               "--bind", str(scratch), str(scratch),
               "--unshare-all", "--die-with-parent", "--new-session", "--chdir", str(scratch), "--clearenv"]
    for key, value in env.items():
        command += ["--setenv", key, value]
    return [*command, "--"]
