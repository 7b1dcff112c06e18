"""Sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s conformance``, ``nox -s replay``,
``nox -s codegen``, ``nox -s frameworks``, ``nox -s docs``, ``nox -s bench``.
"""

from __future__ import annotations

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


@nox.session
def replay(session: nox.Session) -> None:
    """The seeds' ten training runs in full, each printed value compared digit for digit;
    the JSON report and the plots go to build/replay/. ``-- RUN ... [--epochs N]`` narrows it."""
    session.install("-e", ".[replay]")
    session.run("gradspec", "replay", "--json", "build/replay/replay.json", "--plot", "build/replay",
                *session.posargs)


@nox.session
def frameworks(session: nox.Session) -> None:
    """Install PyTorch, JAX + Optax and Keras, verify all three (``gradspec verify torch``,
    ``optax``, ``keras``; a framework that departs from its declared dialect fails the session)
    and write the reports and the verdict table to build/frameworks/. ``-- --profile thorough``
    passes options to every verify."""
    # The pinned CPU build first: on machines that carry it locally (these do), the extra's
    # range is then satisfied without fetching CUDA wheels from the index.
    session.install("torch==2.13.0")
    session.install("-e", ".[torch,jax,keras]")
    Path("build/frameworks").mkdir(parents=True, exist_ok=True)
    reports = []
    for name in ("torch", "optax", "keras"):
        reports.append(f"build/frameworks/{name}.json")
        session.run("gradspec", "verify", name, "--json", reports[-1], *session.posargs)
    session.run("python", "-m", "gradspec.conformance.frameworks", *reports, "-o", "build/frameworks/table.md")
    session.log("verdict table: build/frameworks/table.md")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into build/site with ``mkdocs build --strict``, then open every
    page in headless Chromium (``pytest tests/site``): math typeset, images loaded, no request to
    another host. Screenshots go to build/site-screenshots/. ``-- --no-browser`` only builds.

    Needs npm (KaTeX, served by the site itself) and, for the browser test, Debian's ``chromium``
    (or ``GRADSPEC_CHROMIUM=/path/to/chrome``). The replays page shows ``gradspec replay``'s plots
    from build/replay/, made here first if they are missing (about two minutes); the frameworks
    page shows build/frameworks/table.md when ``nox -s frameworks`` has written it.
    """
    # Not editable: mkdocstrings reads the installed package, where spec/, reference/ and
    # conformance/ sit inside gradspec/ (in the source tree they are mapped from the root).
    session.install(".[docs]")  # pip reinstalls a local folder every time, so the site sees this tree
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    if not Path("build/replay/replay.json").is_file():
        session.run("gradspec", "replay", "--json", "build/replay/replay.json", "--plot", "build/replay")
    start = time.perf_counter()
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
    session.log(f"site built in {time.perf_counter() - start:.1f} s: build/site")
    if "--no-browser" not in session.posargs:
        session.run("python", "-m", "pytest", "tests/site", "--site", "build/site",
                    "--screenshots", "build/site-screenshots", "-p", "no:cacheprovider")


@nox.session
def codegen(session: nox.Session) -> None:
    """Check that reference/_kernels.py matches the spec (``-- --write`` regenerates it)."""
    session.install("-e", ".")
    write = "--write" in session.posargs
    session.run("python", "-m", "gradspec.spec.codegen", *([] if write else ["--check"]))


@nox.session
def bench(session: nox.Session) -> None:
    """Import time of gradspec.reference; wall time of gradspec verify for each profile; the
    full replay of the ten runs against a plain transcription of the notebooks' loop (about
    six minutes in all)."""
    session.install("-e", ".[replay]")
    session.run("python", "benchmarks/import_time.py")
    session.run("python", "benchmarks/verify_time.py")
    session.run("python", "benchmarks/replay_time.py")
