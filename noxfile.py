"""Sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s codegen``, ``nox -s bench``.

(``conformance`` and ``docs`` arrive with their issues.)
"""

from __future__ import annotations

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
def codegen(session: nox.Session) -> None:
    """Check that reference/_kernels.py matches the spec (``-- --write`` regenerates it)."""
    session.install("-e", ".")
    write = "--write" in session.posargs
    session.run("python", "-m", "gradspec.spec.codegen", *([] if write else ["--check"]))


@nox.session
def bench(session: nox.Session) -> None:
    """Print the import time of gradspec.reference (the reference must not import SymPy)."""
    session.install("-e", ".")
    session.run("python", "benchmarks/import_time.py")
