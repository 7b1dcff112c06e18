"""Run the conformance suite inside your own pytest run (and get JUnit XML for free).

In a test file of yours, for instance ``tests/test_conformance.py``::

    from gradspec.conformance.testing import conformance_tests

    test_my_notebook = conformance_tests("my_notebook.py", dialects={"cost": "sum"})

then ``pytest --junitxml=conformance.xml``: one test case per notebook function, named
``test_my_notebook[update_parameters_with_adam]``; a failure's message is the check that
failed and its minimal counterexample; functions the target does not define are skipped.
The target is verified once per pytest run, on the first test that needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from .api import NAMES
from .verify import FunctionResult, Report, verify

__all__ = ["conformance_tests"]


@cache
def _report(target: str, profile: str, dialects: tuple[tuple[str, str], ...], timeout: float) -> Report:
    return verify(target, profile=profile, dialects=dict(dialects), timeout=timeout)


def _explain(result: FunctionResult) -> str:
    lines = [f"{result.name}: {result.status}"]
    for check in result.checks:
        if check.status in ("fail", "error"):
            lines.append(f"{check.id} {check.status}: {check.message}")
            if check.counterexample and "snippet" in check.counterexample:
                lines.append(check.counterexample["snippet"])
    return "\n".join(lines)


def conformance_tests(target: str, *, profile: str = "default", dialects: Mapping[str, str] | None = None,
                      timeout: float = 5.0) -> Callable[[str], None]:
    """A pytest test function, parametrized over the notebook functions, that verifies
    ``target`` (a ``.py`` path, a module name, or ``reference``)."""
    import pytest

    key = tuple(sorted((dialects or {}).items()))

    @pytest.mark.parametrize("function", NAMES)
    def test(function: str) -> None:
        report = _report(target, profile, key, timeout)
        result = next((r for r in report.functions if r.name == function), None)
        if result is None or result.status == "missing":
            pytest.skip(f"{target} does not define {function}")
        if result.status != "pass":
            pytest.fail(_explain(result), pytrace=False)

    return test
