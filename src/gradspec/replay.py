"""``gradspec replay``: the seeds' ten training runs, replayed and checked digit for digit.

The runs and the loop are :mod:`gradspec.conformance.replays`; this module is the
command around them: the seeds' printout, the verdict per run, the JSON report, the
plots and a progress bar. Exit status: 0 when every printed value matched, 1 when one did
not, 2 for a usage error (unknown run, bad ``--epochs``, unwritable ``--plot`` directory,
missing extra), always raised before any training starts.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from gradspec import __version__
from gradspec.conformance.replays import (
    MissingExtraError,
    Replay,
    Run,
    UnknownRunError,
    moons,
    replay,
    runs,
)

__all__ = ["Progress", "ReplayUsageError", "check_plot_dir", "main", "report"]


class ReplayUsageError(Exception):
    """Bad arguments or a missing extra (exit status 2); raised before any training."""


class Progress:
    """A one-line progress bar on ``stream``, drawn only when it is a terminal and the run
    has lasted ``delay`` seconds, redrawn at most every ``interval`` seconds, and erased by
    :meth:`close`."""

    WIDTH = 30

    def __init__(self, label: str, total: int, *, stream: TextIO, delay: float = 0.5,
                 interval: float = 0.1) -> None:
        self.label, self.total, self.stream = label, total, stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.delay, self.interval = delay, interval
        self.start = self.last = time.monotonic()
        self.drawn = False

    def __call__(self, epoch: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        done = epoch + 1
        if now - self.start < self.delay or (now - self.last < self.interval and done < self.total):
            return
        self.last = now
        filled = self.WIDTH * done // self.total
        elapsed = now - self.start
        remaining = elapsed * (self.total - done) / done
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                          f"{done}/{self.total} epochs, {elapsed:.0f} s, ~{remaining:.0f} s left ")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


def check_plot_dir(path: str) -> Path:
    """``path`` as a directory we can write PNGs to (created if missing), or a
    :class:`ReplayUsageError` saying why not."""
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise ReplayUsageError(f"--plot: {str(directory)!r} is a file, not a directory. Pass a "
                               f"directory you can write to; it is created if missing.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReplayUsageError(f"--plot: cannot create the directory {str(directory)!r} "
                               f"({err.strerror or type(err).__name__}). Pass a directory you can "
                               f"write to; it is created if missing.") from err
    _check_writable("--plot", directory, "a directory you can write to")
    return directory


def _check_writable(option: str, directory: Path, fix: str) -> None:
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".gradspec-write-test-"):
            pass
    except OSError as err:
        raise ReplayUsageError(f"{option}: cannot write to {str(directory)!r} "
                               f"({err.strerror or type(err).__name__}). Pass {fix}.") from err


def _verdict(result: Replay) -> str:
    lines = result.compare()
    bad = [line for line in lines if not line.match]
    seed = f"seed {result.run.seed}"
    if bad:
        return f"-> MISMATCH with {seed}: " + "; ".join(
            f"{line.computed} (the seed printed {line.seed.rsplit(':', 1)[1].strip()})" for line in bad)
    values = f"{len(lines)} value{'' if len(lines) == 1 else 's'}"
    scope = (f"all {values} it printed" if result.complete else
             f"the {values} printed through epoch {result.epochs_run - 1} (the accuracy is printed "
             f"after all {result.run.epochs} epochs)")
    return f"-> matches {seed}: {scope}, digit for digit"


def report(results: Sequence[Replay], *, epochs: int | None) -> dict[str, Any]:
    """The JSON report: the versions it ran on, and per run :meth:`Replay.record` (the costs
    every 100 epochs, the accuracy, each printed line against ours, the verdict, the final
    parameters). No timings: the same code on the same data writes the same report."""
    entries = [result.record() for result in results]
    return {"environment": environment(), "epochs_limit": epochs, "runs": entries,
            "match": all(entry["match"] for entry in entries)}


def environment() -> dict[str, str]:
    """The versions a replay ran on: gradspec, Python, NumPy and scikit-learn (its data)."""
    import platform
    from importlib.metadata import version

    return {"gradspec": __version__, "python": platform.python_version(), "numpy": version("numpy"),
            "scikit-learn": version("scikit-learn")}


def main(ids: Sequence[str] = (), *, json_path: str | None = None, plot_dir: str | None = None,
         epochs: int | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Replay the runs ``ids`` (all ten when empty) and print as the seeds print."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        chosen = _prepare(ids, plot_dir=plot_dir, json_path=json_path, epochs=epochs)
    except (ReplayUsageError, UnknownRunError, MissingExtraError) as problem:
        print(f"gradspec replay: {problem}", file=err)
        return 2
    directory = Path(plot_dir) if plot_dir is not None else None
    results: list[Replay] = []
    for run in chosen:
        print(f"== {run.id}: {run.title}", file=out, flush=True)
        progress = Progress(f"   {run.id}", run.epochs_to_run(epochs), stream=err)
        start = time.perf_counter()
        try:
            result = replay(run, epochs=epochs, on_epoch=progress)
        finally:
            progress.close()
        results.append(result)
        print("\n".join(result.lines), file=out)
        print(f"{_verdict(result)} ({time.perf_counter() - start:.1f} s)", file=out)
        if directory is not None:
            from gradspec.plots import plot_run

            print(f"   plot: {plot_run(result, directory / f'{run.id}.png')}", file=out)
        print(file=out, flush=True)
    if directory is not None:
        from gradspec.plots import plot_optimizers

        print(f"plot: {plot_optimizers(results, directory / 'optimizers.png')}", file=out)
    matched = sum(result.match for result in results)
    print(f"{matched} of {len(results)} runs match the seeds' printed values", file=out)
    if json_path is not None:
        Path(json_path).write_text(json.dumps(report(results, epochs=epochs), indent=2) + "\n")
    return 0 if matched == len(results) else 1


def _prepare(ids: Sequence[str], *, plot_dir: str | None, json_path: str | None,
             epochs: int | None) -> list[Run]:
    """Every check that can fail, before any training: runs, epochs, extras, plot dir."""
    chosen = runs(ids)
    try:
        chosen[0].epochs_to_run(epochs)
    except ValueError as err:
        raise ReplayUsageError(f"--{err}") from err
    moons(chosen[0].n_samples)  # scikit-learn is there (MissingExtraError names the extra)
    if plot_dir is not None:
        from gradspec.plots import require_matplotlib

        require_matplotlib()
        check_plot_dir(plot_dir)
    if json_path is not None:
        _check_writable("--json", Path(json_path).parent, "a file in a directory you can write to")
    return chosen
