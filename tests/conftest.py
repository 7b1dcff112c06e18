"""Shared test settings.

Hypothesis runs derandomized in CI (reproducible, no flaky reruns) and without deadlines
everywhere: these machines are shared, and timing is the benchmarks' business.
HYPOTHESIS_PROFILE=thorough runs 2000 examples a property.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser) -> None:
    group = parser.getgroup("gradspec site", "the built documentation site, in headless Chromium (tests/site)")
    group.addoption("--site", metavar="DIR", default=None,
                    help="a site built by `mkdocs build` (nox -s docs builds build/site and passes it)")
    group.addoption("--screenshots", metavar="DIR", default=None,
                    help="save a full-page screenshot of every page checked here")


# --- the programs some tests need -----------------------------------------------------------------

def required_program(*names: str, require: str) -> str:
    """The path of the first of ``names`` on PATH; without one the test skips, or fails where the
    environment variable ``require`` is set (CI sets it: a missing install step is a failure there)."""
    import shutil

    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get(require, "") not in ("", "0"):
        pytest.fail(f"{require} is set but {' or '.join(names)} is not installed")
    pytest.skip(f"{' or '.join(names)} is not installed")


@pytest.fixture
def node() -> str:
    """Node.js, for the protocol examples (GRADSPEC_REQUIRE_NODE makes its absence a failure)."""
    return required_program("node", require="GRADSPEC_REQUIRE_NODE")


# --- every report the suite makes, for tests/test_snippets.py ------------------------------------

from gradspec.conformance.report import Report  # noqa: E402

#: Every gradspec verify report created in this test process, in order.
REPORTS: list[Report] = []
_report_init = Report.__init__


def _recording_init(self: Report, *args: object, **kwargs: object) -> None:
    _report_init(self, *args, **kwargs)
    REPORTS.append(self)


Report.__init__ = _recording_init  # type: ignore[method-assign]


def pytest_collection_modifyitems(config, items) -> None:
    """The snippet test reads the reports every other test made: it runs last."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/test_snippets.py"))


import pytest  # noqa: E402


@pytest.fixture
def suite_reports() -> list[Report]:
    return REPORTS
