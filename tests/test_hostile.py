"""Hostile targets: whatever a target does, the verifier ends with a complete report (exit status 0
or 1), the correct functions beside the hostile one still pass, no process the target started is
left, and no file of the user's changes. Each target is a few lines, run by ``gradspec verify`` as a
user runs it (a subprocess, in a working directory holding the user's files), in both sandbox
modes: ``none`` (a contained process) and ``bwrap`` (bubblewrap; skipped where it is not installed,
except in CI, which installs it: ``GRADSPEC_REQUIRE_BWRAP=1`` makes its absence a failure).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from gradspec.conformance.sandbox import bwrap_problem

# A correct sigmoid (the logistic assignment's), beside which every hostile function sits.
CORRECT = '''
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))
'''

MODES = ["none", pytest.param("bwrap", marks=pytest.mark.bwrap)]


def pytest_bwrap_skip() -> str | None:
    problem = bwrap_problem()
    if problem and os.environ.get("GRADSPEC_REQUIRE_BWRAP"):
        pytest.fail(f"GRADSPEC_REQUIRE_BWRAP is set but {problem}")
    return problem


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    if request.param == "bwrap" and (problem := pytest_bwrap_skip()):
        pytest.skip(problem)
    return request.param


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    """The user's working directory, with files the target must not touch."""
    home = tmp_path / "user"
    home.mkdir()
    (home / "notes.txt").write_text("my notes\n")
    (home / "results.txt").write_text("42\n")
    (home / "data.csv").write_text("a,b\n1,2\n")
    return home


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def _processes_with(token: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if token in cmdline and str(os.getpid()) != entry.name:
                found.append(f"{entry.name}: {cmdline.strip()}")
    return found


def verify(user_dir: Path, mode: str, source: str, *options: str, token: str = "", timeout: float = 240,
           env: dict[str, str] | None = None) -> tuple[int, dict, str]:
    """Write the target beside the user's files (as a student's notebook sits in their folder),
    run ``gradspec verify`` on it from there, and check what the run must always leave behind:
    the user's files as they were, no .hypothesis/, no process carrying ``token``."""
    target = user_dir / "submission.py"
    target.write_text(CORRECT + textwrap.dedent(source))
    before = _snapshot(user_dir)
    report_path = user_dir.parent / "report.json"
    temporary = user_dir.parent / "verifier-tmp"  # the verifier's TMPDIR: what the run leaves there
    temporary.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "gradspec", "verify", str(target), "--profile", "quick",
                           "--sandbox", mode, "--json", str(report_path), *options], cwd=user_dir,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "TMPDIR": str(temporary), **(env or {})})
    assert _snapshot(user_dir) == before, "the target changed the user's files"
    assert list(temporary.iterdir()) == [], "the run left temporary files"
    if token:
        deadline = time.monotonic() + 5
        while _processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_with(token) == [], "processes the target started are still running"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return done.returncode, report, done.stdout + done.stderr


def _statuses(report: dict) -> dict[str, str]:
    return {f["name"]: f["status"] for f in report["functions"] if f["status"] != "missing"}


def _message(report: dict, name: str) -> str:
    entry = next(f for f in report["functions"] if f["name"] == name)
    return " ".join(c["message"] for c in entry["checks"] if c["status"] in ("fail", "error"))


def test_a_reply_that_would_run_code_when_unpickled_is_a_failure_naming_its_type(user_dir, mode, tmp_path):
    canary = tmp_path / "pwned"
    code, report, out = verify(user_dir, mode, f'''
        import os

        class Payload:
            def __reduce__(self):
                return (os.system, ("touch {canary}",))

        def initialize_with_zeros(dim):
            return Payload(), 0.0
    ''')
    assert code == 1, out
    assert report["sandbox"] == mode
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "fail"}
    assert "returned a Payload at result[0], which is not data gradspec can check" in _message(
        report, "initialize_with_zeros")
    assert not canary.exists()


@pytest.mark.parametrize("attack", ["os.kill(os.getppid(), signal.SIGTERM)",
                                    "os.kill(os.getppid(), signal.SIGKILL)",
                                    "os.killpg(0, signal.SIGKILL)"])
def test_signals_at_the_parent_or_the_group_do_not_reach_the_verifier(user_dir, mode, attack):
    code, report, out = verify(user_dir, mode, f'''
        import os, signal

        def initialize_with_zeros(dim):
            {attack}
            return np.zeros((dim, 1)), 0.0
    ''')
    assert code in (0, 1), out
    statuses = _statuses(report)
    assert statuses["sigmoid"] == "pass"
    # SIGTERM is shrugged off by the supervisor (the function is right), and in the sandbox the
    # parent is the namespace's init, which no signal from inside reaches; the others end the worker.
    survives = "SIGTERM" in attack or (mode == "bwrap" and "getppid" in attack)
    assert statuses["initialize_with_zeros"] == ("pass" if survives else "error"), out


def test_a_huge_range_is_refused_by_type_before_anything_is_built(user_dir, mode):
    code, report, out = verify(user_dir, mode, '''
        def initialize_with_zeros(dim):
            return range(6 * 10**8), 0.0
    ''')
    assert code == 1, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "fail"}
    assert "returned a range at result[0]" in _message(report, "initialize_with_zeros")


def test_a_reply_over_the_limit_fails_before_it_is_read(user_dir, mode):
    code, report, out = verify(user_dir, mode, '''
        def initialize_with_zeros(dim):
            return np.zeros((300_000, 1)), 0.0   # 2.3 MiB
    ''', "--max-reply-mb", "1")
    assert code == 1, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "fail"}
    assert "a reply of 2.3 MiB, over the limit of 1.0 MiB (raise it with --max-reply-mb)" in _message(
        report, "initialize_with_zeros")


def test_processes_the_target_starts_are_ended_with_the_run(user_dir, mode):
    token = f"gradspec-test-{uuid.uuid4().hex}"
    code, report, out = verify(user_dir, mode, f'''
        import os, subprocess, sys

        SLEEP = [sys.executable, "-c", "import time; time.sleep(600)", "{token}"]
        subprocess.Popen(SLEEP, start_new_session=True)          # at import, in a session of its own

        def initialize_with_zeros(dim):
            if os.fork() == 0:                                    # a double fork into a new session
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, SLEEP)
                os._exit(0)
            subprocess.Popen(SLEEP)
            return np.zeros((dim, 1)), 0.0
    ''', token=token)
    assert code == 0, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "pass"}


def test_a_fork_at_call_time_cannot_answer_for_the_worker(user_dir, mode):
    token = f"gradspec-test-{uuid.uuid4().hex}"
    code, report, out = verify(user_dir, mode, f'''
        import os

        def initialize_with_zeros(dim):
            os.fork()       # both processes return; only the worker may answer
            # "{token}"
            return np.zeros((dim, 1)), 0.0
    ''')
    assert code == 0, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "pass"}


def test_the_target_works_in_a_scratch_directory_and_cannot_touch_the_users_files(user_dir, mode):
    code, report, out = verify(user_dir, mode, '''
        import glob, os

        for name in glob.glob("*.txt"):                      # at import: overwrite and delete
            with open(name, "w") as f:
                f.write("overwritten")
        for name in os.listdir("."):
            if os.path.isfile(name) and not name.endswith(".py"):
                os.remove(name)
        with open("left-behind.txt", "w") as f:
            f.write("x")

        def initialize_with_zeros(dim):
            return np.zeros((dim, 1)), 0.0
    ''')
    assert code == 0, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "pass"}
    assert not (user_dir / ".hypothesis").exists()


def test_the_worker_gets_a_minimal_environment(user_dir, mode):
    code, report, out = verify(user_dir, mode, f'''
        import os

        def initialize_with_zeros(dim):
            leaked = "GRADSPEC_TEST_SECRET" in os.environ or os.environ.get("HOME") == {str(Path.home())!r}
            return np.zeros((dim, 1)) + leaked, 0.0
    ''', env={"GRADSPEC_TEST_SECRET": "hunter2"})
    assert code == 0, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "pass"}


def test_an_ndarray_subclass_and_a_dict_with_mixed_keys_fail_naming_the_type(user_dir, mode):
    code, report, out = verify(user_dir, mode, '''
        class Sneaky(np.ndarray):
            pass

        def initialize_with_zeros(dim):
            return np.zeros((dim, 1)).view(Sneaky), 0.0

        def initialize_parameters_zeros(layers_dims):
            return {"W1": np.zeros((layers_dims[1], layers_dims[0])), 1: "one"}
    ''')
    assert code == 1, out
    statuses = _statuses(report)
    assert statuses["sigmoid"] == "pass" and statuses["initialize_with_zeros"] == "fail", out
    assert "returned a Sneaky (a subclass of numpy.ndarray) at result[0]" in _message(report, "initialize_with_zeros")
    assert statuses["initialize_parameters_zeros"] == "fail"
    assert "a dict with a key of type int (1)" in _message(report, "initialize_parameters_zeros")


@pytest.mark.parametrize("garbage", ["b'garbage' * 10", "struct.pack('!4sQQ', b'GSW1', 2**60, 0)"])
def test_garbage_on_the_reply_channel_is_an_error_of_that_function(user_dir, mode, garbage):
    code, report, out = verify(user_dir, mode, f'''
        import os, stat, struct

        def initialize_with_zeros(dim):
            for fd in range(3, 20):   # the reply pipe is one of the worker's descriptors
                try:
                    if stat.S_ISFIFO(os.fstat(fd).st_mode):
                        os.write(fd, {garbage})
                except OSError:
                    pass
            return np.zeros((dim, 1)), 0.0
    ''')
    assert code == 1, out
    statuses = _statuses(report)
    assert statuses == {"sigmoid": "pass", "initialize_with_zeros": statuses["initialize_with_zeros"]}
    assert statuses["initialize_with_zeros"] in ("error", "fail"), out
    message = _message(report, "initialize_with_zeros")
    assert "not a gradspec message" in message or "over the limit" in message, message


def test_a_hanging_import_is_a_usage_error_within_the_import_bound(user_dir, mode):
    start = time.monotonic()
    code, _, out = verify(user_dir, mode, '''
        while True:
            pass
    ''', "--timeout", "0.5", token=str(user_dir / "submission.py"))  # the worker, running it
    assert code == 2, out
    assert "did not return within 5 s (importing the target)" in out
    assert time.monotonic() - start < 30


@pytest.mark.bwrap
def test_in_the_sandbox_the_files_are_read_only_and_the_network_is_gone(user_dir, tmp_path):
    if problem := pytest_bwrap_skip():
        pytest.skip(problem)
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    try:
        code, report, out = verify(user_dir, "bwrap", f'''
            import socket

            def _attack():
                hurt = 0
                try:
                    with open({str(user_dir / "notes.txt")!r}, "w") as f:
                        f.write("overwritten by absolute path")
                    hurt += 1
                except OSError:
                    pass
                try:
                    socket.create_connection(("127.0.0.1", {port}), timeout=1).close()
                    hurt += 1
                except OSError:
                    pass
                return hurt

            def initialize_with_zeros(dim):
                return np.zeros((dim, 1)) + _attack(), 0.0
        ''')
    finally:
        server.close()
    assert code == 0, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "pass"}


@pytest.mark.bwrap
def test_in_the_sandbox_the_target_sees_only_its_own_processes_and_reads_files_beside_it(user_dir):
    if problem := pytest_bwrap_skip():
        pytest.skip(problem)
    code, report, out = verify(user_dir, "bwrap", '''
        import os

        with open("data.csv") as f:            # beside the notebook, by a relative path
            HEADER = f.readline().strip()

        def initialize_with_zeros(dim):
            others = [p for p in os.listdir("/proc") if p.isdigit()]
            return np.zeros((dim, 1)) + (len(others) > 8) + (HEADER != "a,b"), 0.0
    ''')
    assert code == 0, out
    assert _statuses(report) == {"sigmoid": "pass", "initialize_with_zeros": "pass"}


def test_a_verifier_told_to_stop_leaves_no_worker_and_no_temporary_file(user_dir, mode):
    """SIGTERM to gradspec verify itself (a CI job cancelled): it unwinds, and the supervisor ends the worker."""
    target = user_dir / "submission.py"
    target.write_text(CORRECT + textwrap.dedent('''
        import time

        def initialize_with_zeros(dim):
            time.sleep(60)
    '''))
    temporary = user_dir.parent / "verifier-tmp"
    temporary.mkdir()
    verifier = subprocess.Popen([sys.executable, "-m", "gradspec", "verify", str(target), "--profile", "quick",
                                 "--sandbox", mode, "--timeout", "120"], cwd=user_dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(temporary)})
    deadline = time.monotonic() + 60
    while not _processes_with(str(target)) and time.monotonic() < deadline:  # the worker is up
        time.sleep(0.2)
    time.sleep(3)  # inside the sleeping call by now
    verifier.terminate()
    assert verifier.wait(timeout=30) == 128 + 15
    deadline = time.monotonic() + 10
    while _processes_with(str(target)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(str(target)) == []
    assert list(temporary.iterdir()) == []
