"""Shared test settings.

Hypothesis runs derandomized in CI (reproducible, no flaky reruns) and without deadlines
everywhere: these machines are shared, and timing is the benchmarks' business.
HYPOTHESIS_PROFILE=thorough runs 2000 examples a property.
"""

from __future__ import annotations

import os

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
