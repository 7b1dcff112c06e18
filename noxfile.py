"""Sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s conformance``, ``nox -s replay``,
``nox -s codegen``, ``nox -s frameworks``, ``nox -s katex``, ``nox -s docs``, ``nox -s bench``,
``nox -s fuzz``.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite: symbolic proofs, codegen drift, pinned seed values, properties."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over everything but the generated kernels."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")


@nox.session
def conformance(session: nox.Session) -> None:
    """``nox -s conformance -- TARGET [verify options]`` verifies TARGET; without a target it
    verifies gradspec's own reference and the shipped examples (the buggy one must fail)."""
    session.install("-e", ".")
    if session.posargs:
        session.run("gradspec", "verify", *session.posargs)
        return
    session.run("gradspec", "verify", "reference")
    session.run("gradspec", "verify", "examples/notebook_correct.py")
    session.run("gradspec", "verify", "examples/notebook_adam_bug.py", success_codes=[1])


#: The frameworks ``nox -s frameworks`` verifies, pinned: their verdicts are committed data
#: (docs/data/frameworks.json), so the same pins must give the same data. Raise a pin, run the
#: session, and commit the new data with it. TensorFlow.js is pinned in package.json (and its lock).
FRAMEWORK_PINS = ("torch==2.13.0", "jax==0.10.2", "jaxlib==0.10.2", "optax==0.2.8", "keras==3.15.1",
                  "tinygrad==0.14.0", "mlx==0.32.4", "mlx-cpu==0.32.4")
REPLAY_DATA = "docs/data/replay.json"
FRAMEWORKS_DATA = "docs/data/frameworks.json"


@nox.session
def replay(session: nox.Session) -> None:
    """The seeds' ten training runs in full, each printed value compared digit for digit. Writes
    the site's replay data, docs/data/replay.json (commit it), and the plots to build/replay/.
    ``-- --check`` writes build/replay/replay.json instead and fails if it is not the committed
    data; ``-- RUN ... [--epochs N]`` narrows the replay (written to build/replay/ only)."""
    session.install("-e", ".[replay]")
    check = "--check" in session.posargs
    args = [a for a in session.posargs if a != "--check"]
    output = REPLAY_DATA if not (check or args) else "build/replay/replay.json"
    Path("build/replay").mkdir(parents=True, exist_ok=True)
    session.run("gradspec", "replay", "--json", output, "--plot", "build/replay", *args)
    if check:
        session.run("python", "-m", "gradspec.sitedata", "check", REPLAY_DATA, output)


@nox.session
def frameworks(session: nox.Session) -> None:
    """Install PyTorch, JAX + Optax, Keras, tinygrad and MLX at FRAMEWORK_PINS and TensorFlow.js at
    package.json's pins (``npm ci``), verify all six (``gradspec verify torch``, ``optax``, ``keras``,
    ``tfjs``, ``tinygrad``, ``mlx``; a framework object that departs from its declared dialect fails
    the session, unless it is a documented finding), write the reports to
    build/frameworks/ and the verdicts the site shows to docs/data/frameworks.json (commit it).
    ``-- --check`` writes build/frameworks/verdicts.json instead and fails if it is not the
    committed data; other arguments go to every verify (``-- --profile thorough``)."""
    # The pinned CPU build first: on machines that carry it locally (these do), the extra's
    # range is then satisfied without fetching CUDA wheels from the index.
    session.install(*FRAMEWORK_PINS)
    session.install("-e", ".[torch,jax,keras,tinygrad,mlx]", *FRAMEWORK_PINS)
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    check = "--check" in session.posargs
    args = [a for a in session.posargs if a != "--check"]
    Path("build/frameworks").mkdir(parents=True, exist_ok=True)
    reports = []
    for name in ("torch", "optax", "keras", "tfjs", "tinygrad", "mlx"):
        reports.append(f"build/frameworks/{name}.json")
        session.run("gradspec", "verify", name, "--json", reports[-1], *args, success_codes=[0, 1])
        session.run("python", "-m", "gradspec.conformance.frameworks", "--expected", reports[-1])  # findings fail
    output = "build/frameworks/verdicts.json" if check or args else FRAMEWORKS_DATA
    session.run("python", "-m", "gradspec.conformance.frameworks", *reports, "-o", output,
                "--table", "build/frameworks/table.md")
    session.log(f"verdicts: {output}; the table: build/frameworks/table.md")
    if check:
        session.run("python", "-m", "gradspec.sitedata", "check", FRAMEWORKS_DATA, output)


@nox.session
def katex(session: nox.Session) -> None:
    """Check that the KaTeX vendored in docs/assets/katex/ is the npm package package.json pins
    (``npm ci``, then a byte-for-byte comparison); ``-- --write`` refreshes the copy."""
    session.install("-e", ".")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("python", "-m", "gradspec.docsite", "katex", *(["--write"] if "--write" in session.posargs else []))


def _chromium() -> str | None:
    """The browser tests/site drives (GRADSPEC_CHROMIUM, or Debian's chromium), if installed."""
    return shutil.which(os.environ.get("GRADSPEC_CHROMIUM", "/usr/bin/chromium"))


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into build/site with ``mkdocs build --strict``, then open every
    page in headless Chromium (``pytest tests/site``): math typeset, images loaded, no request to
    another host. Screenshots go to build/site-screenshots/.

    The build needs nothing but the docs extra: KaTeX is vendored, the replays and the verdicts
    are committed data. The browser test needs Debian's ``chromium`` (or
    ``GRADSPEC_CHROMIUM=/path/to/chrome``); without one the session says so once and only builds.
    ``-- --no-browser`` only builds; ``-- --require-browser`` (CI) fails without one.
    """
    session.install("-e", ".[docs]")
    start = time.perf_counter()
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
    session.log(f"site built in {time.perf_counter() - start:.1f} s: build/site")
    if "--no-browser" in session.posargs:
        return
    if _chromium() is None:
        message = ("no Chromium found (apt-get install chromium, or set GRADSPEC_CHROMIUM=/path/to/chrome): "
                   "the site is built, but its pages were not opened in a browser")
        if "--require-browser" in session.posargs:
            session.error(message)
        session.warn(message)
        return
    session.run("python", "-m", "pytest", "tests/site", "--site", "build/site",
                "--screenshots", "build/site-screenshots", "-p", "no:cacheprovider")


@nox.session
def codegen(session: nox.Session) -> None:
    """Check that reference/_kernels.py matches the spec (``-- --write`` regenerates it)."""
    session.install("-e", ".")
    write = "--write" in session.posargs
    session.run("python", "-m", "gradspec.spec.codegen", *([] if write else ["--check"]))


@nox.session
def fuzz(session: nox.Session) -> None:
    """The reference's public functions and the notebook APIs' (121), fuzzed with warnings as
    errors: each function with a problem (a warning, NaN, mutation, widened dtype, stray exception
    type, a refusal that does not name the caller's argument, hostile input accepted) is printed,
    then the counts; exit status 1 if there is any. ``-- --random --examples 300`` makes new calls
    (tests/test_fuzz.py runs the fixed ones)."""
    session.install("-e", ".[test]")
    session.run("python", "tests/fuzzing.py", "--show", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Import time of gradspec.reference; wall time of gradspec verify for each profile; the
    sandbox's overhead (``--sandbox bwrap`` against ``none`` on the reference); each rule's step
    at 10^6 entries against the same update in plain NumPy (goal 1.1x); the full replay
    of the ten runs against a plain transcription of the notebooks' loop (about ten minutes in all)."""
    session.install("-e", ".[replay]")
    session.run("python", "benchmarks/import_time.py")
    session.run("python", "benchmarks/verify_time.py")
    session.run("python", "benchmarks/sandbox_overhead.py")
    session.run("python", "benchmarks/exec_overhead.py")
    session.run("python", "benchmarks/hot_path.py")
    session.run("python", "benchmarks/replay_time.py")
