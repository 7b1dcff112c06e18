"""``gradspec verify``: check a third-party implementation of the notebook API.

For every notebook function the target defines, three kinds of check run against it, each
reported on its own:

* ``differential``: the target against the reference on Hypothesis-generated inputs (with
  deterministic probes first, chosen so the rule's dialects give different answers). Every
  dialect of the rule is tried at the same time; the report lists the ones the target
  matched. The function passes if it matches the canonical dialect, or the one declared
  with ``dialects={"adam": "eps-inside"}`` (``--dialect adam=eps-inside``).
* ``pinned:<case>``: the seeds' printed numbers, computed with the target's function.
* ``invariant:<id>``: properties from the spec (momentum with beta = 0 is gradient descent,
  backward passes agree with finite differences, ...).

A failing check carries its minimal counterexample, shrunk by Hypothesis. Hypothesis runs
derandomized: the same target gets the same verdict every run.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as _strategies
from hypothesis.reporting import with_reporter

from gradspec.reference import notebook as nb
from gradspec.reference._kernels import DIALECT_KERNELS

from .compare import Mismatch, compare, input_scale, leaves
from .frameworks import FRAMEWORKS, RULES, Framework, FrameworkObject, missing_requirements, versions
from .pinned import mismatches
from .seeds import CASES
from .suite import FUNCTIONS, FunctionSpec, uses_float32
from .target import Target, TargetError, TargetLoadError, TargetTimeoutError

__all__ = ["PROFILES", "CheckResult", "FunctionResult", "Report", "UsageError", "verify", "verify_framework"]

Status = Literal["pass", "fail", "error", "missing"]

#: Hypothesis examples per check.
PROFILES = {"quick": 6, "default": 40, "thorough": 400}
#: Calls a check may spend shrinking a failure; the smallest failure found by then is reported.
#: A count, not a time, so that the same target always gets the same counterexample.
SHRINK_CALLS = 400


class UsageError(Exception):
    """Bad options, an unloadable target, or nothing to verify (exit status 2)."""


@dataclass
class CheckResult:
    id: str
    status: Literal["pass", "fail", "error"]
    message: str = ""
    counterexample: dict[str, Any] | None = None
    #: Framework checks only: the probes' cases and what the framework returned for them.
    probes: list[dict[str, Any]] | None = None


@dataclass
class FunctionResult:
    name: str
    rule: str
    status: Status
    dialects: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if c.status != "pass"), None)


@dataclass
class Report:
    gradspec_version: str
    target: str
    profile: str
    functions: list[FunctionResult]
    #: The versions of the packages a framework target ran on (empty for other targets).
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        counts = {"pass": 0, "fail": 0, "error": 0, "missing": 0}
        for f in self.functions:
            counts[f.status] += 1
        return counts

    @property
    def ok(self) -> bool:
        return self.summary["fail"] == 0 and self.summary["error"] == 0

    def to_json(self) -> dict[str, Any]:
        return {"gradspec_version": self.gradspec_version, "target": self.target,
                "profile": self.profile, "versions": self.versions,
                "functions": [asdict(f) for f in self.functions], "summary": self.summary}


# --- calling the target -------------------------------------------------------------------------

class Caller:
    """Calls the target's notebook functions, normalizing their returns; a function that hung
    once is not called again (its later calls fail at once with the same message)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.hung: dict[str, tuple[str, tuple]] = {}
        self.normalizers = {f.name: f.normalize for f in FUNCTIONS}

    def has(self, name: str) -> bool:
        return self.target.has(name)

    def __call__(self, name: str, *args: Any) -> Any:
        if name in self.hung:
            raise TargetError(self.hung[name][0])
        try:
            result = self.target.call(name, *args)
        except TargetTimeoutError as exc:
            self.hung[name] = (f"{exc} (not called again)", args)
            raise
        return self.normalizers.get(name, lambda r: r)(result)


class _Api:
    """The reference's notebook API, with ``names`` taken from the target instead."""

    def __init__(self, caller: Caller, names: Iterable[str]) -> None:
        self._caller, self._names = caller, set(names)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name in self._names:
            return lambda *args: self._caller(name, *args)
        return getattr(nb, name)


class _FoundError(Exception):
    """Raised inside a Hypothesis test to mark an example as failing (and shrink it)."""


def _dialects_of(rule: str | None) -> list[str]:
    if rule is None:
        return []
    return [d.split("/", 1)[1] for d in DIALECT_KERNELS if d.startswith(f"{rule}/")]


def _canonical(rule: str) -> str:
    return _dialects_of(rule)[0]  # the spec lists the canonical dialect first


def _settings(profile: str) -> settings:
    return settings(max_examples=PROFILES[profile], derandomize=True, database=None, deadline=None,
                    phases=(Phase.explicit, Phase.generate, Phase.shrink), print_blob=False,
                    suppress_health_check=list(HealthCheck))


def _attempt(call: Callable[[], Mismatch | None]) -> Mismatch | None:
    try:
        return call()
    except TargetError as exc:
        return Mismatch("error", "call", str(exc))


def _search(strategy, profile: str, probe: Callable[[tuple], Mismatch | None],
            explicit: Iterable[tuple] = ()) -> tuple[tuple, Mismatch] | None:
    """Run ``probe`` on the explicit inputs, then on generated ones; the failure to report
    (a shrunk generated one if there is any, else the first failing explicit input)."""
    explicit_failure = None
    for args in explicit:
        found = probe(args)
        if found and explicit_failure is None:
            explicit_failure = (args, found)
    last: list[tuple[tuple, Mismatch]] = []
    calls_since_failure: list[int] = []

    @_settings(profile)
    @given(strategy)
    def run(args: tuple) -> None:
        if calls_since_failure:
            if calls_since_failure[0] >= SHRINK_CALLS:
                return  # out of shrinking budget: keep the smallest failure found so far
            calls_since_failure[0] += 1
        found = probe(args)
        if found:
            calls_since_failure[:1] = calls_since_failure[:1] or [0]
            last.append((args, found))
            raise _FoundError

    try:
        with with_reporter(lambda _message: None):
            run()
    except _FoundError:
        pass
    except Exception as exc:  # a Hypothesis or checker problem, reported as such
        if not last and explicit_failure is None:
            return (), Mismatch("error", "check", f"the check itself failed: {type(exc).__name__}: {exc}")
    return last[-1] if last else explicit_failure


# --- the checks ---------------------------------------------------------------------------------

def _differential(spec: FunctionSpec, caller: Caller, accepted: str | None,
                  profile: str) -> tuple[CheckResult, list[str]]:
    rule = spec.dialect_rule
    candidates = [d for d in _dialects_of(rule) if d in (accepted, _canonical(rule)) or not spec.steps
                  or set(DIALECT_KERNELS[f"{rule}/{d}"]) & set(spec.steps)] if rule else []
    alive = set(candidates)

    def check(args: tuple) -> Mismatch | None:
        actual = caller(spec.name, *args)
        return _classify(lambda d: spec.expected(args, d), actual, candidates, alive, accepted,
                         float32=uses_float32(args), scale=input_scale(args))

    found = _search(spec.inputs, profile, lambda args: _attempt(lambda: check(args)), spec.probes)
    matched = [f"{spec.dialect_rule}/{d}" for d in candidates if d in alive]
    if found is None:
        return CheckResult("differential", "pass"), matched
    args, mismatch = found
    message = _describe(mismatch)
    if mismatch.kind == "fail" and matched:
        declared = f"{spec.dialect_rule}/{accepted}"
        message += (f"; it matches {', '.join(matched)} rather than {declared}: pass --dialect "
                    f"{spec.dialect_rule}={matched[0].split('/', 1)[1]} if that is the convention you mean")
    return _result("differential", spec.name, args, mismatch, message, caller), matched


def _classify(expected_in: Callable[[str | None], Any], actual: Any, candidates: list[str], alive: set[str],
              accepted: str | None, *, float32: bool, scale: float) -> Mismatch | None:
    """Drop from ``alive`` the dialects ``actual`` differs from; the mismatch with ``accepted``.
    Each dialect's expectation is computed once."""
    wanted = [d for d in candidates if d in alive or d == accepted] or [accepted]
    expected = {d: expected_in(d) for d in wanted}
    for dialect in wanted:
        if dialect in alive and compare(expected[dialect], actual, float32=float32, scale=scale):
            alive.discard(dialect)
    return compare(expected[accepted], actual, float32=float32, scale=scale)


def _pinned(spec: FunctionSpec, caller: Caller, accepted: Mapping[str, str]) -> list[CheckResult]:
    results = []
    for case in CASES:
        if spec.name not in case.functions:
            continue
        if any(accepted.get(rule, _canonical(rule)) != name for rule, name in case.assumes.items()):
            continue  # the seed printed another dialect's numbers
        try:
            bad = mismatches(case, _Api(caller, [spec.name]))
        except TargetError as exc:
            results.append(CheckResult(f"pinned:{case.id}", "error", str(exc)))
            continue
        except Exception as exc:
            results.append(CheckResult(f"pinned:{case.id}", "error",
                                       f"could not be computed: {type(exc).__name__}: {exc}"))
            continue
        if bad:
            name, (printed, computed) = next(iter(bad.items()))
            results.append(CheckResult(
                f"pinned:{case.id}", "fail",
                f"{name} differs from what seed {case.sources[0][0]} printed ({case.description})",
                {"entry": name, "printed": _jsonable(printed), "actual": _jsonable(computed)}))
        else:
            results.append(CheckResult(f"pinned:{case.id}", "pass"))
    return results


def _invariants(spec: FunctionSpec, caller: Caller, profile: str) -> list[CheckResult]:
    results = []
    for invariant in spec.invariants:
        found = _search(invariant.inputs, profile, lambda args, inv=invariant: _attempt(
            lambda: inv.check(caller, args)))
        check_id = f"invariant:{invariant.id}"
        if found is None:
            results.append(CheckResult(check_id, "pass", invariant.description))
        else:
            args, mismatch = found
            message = f"{invariant.description}: {_describe(mismatch)}"
            results.append(_result(check_id, spec.name, args, mismatch, message, caller))
    return results


def _describe(mismatch: Mismatch) -> str:
    text = f"{mismatch.path} {mismatch.message}"
    if mismatch.max_abs_error is not None:
        text += f" (max abs error {mismatch.max_abs_error:.3g}, max rel error {mismatch.max_rel_error:.3g})"
    return text


def _result(check_id: str, name: str, args: tuple, mismatch: Mismatch, message: str,
            caller: Caller) -> CheckResult:
    if name in caller.hung:  # report the input that hung, not a shrunk stand-in
        args = caller.hung[name][1]
    counterexample = {
        "function": name, "args": _jsonable(list(args)), "path": mismatch.path,
        "expected": _jsonable(mismatch.expected), "actual": _jsonable(mismatch.actual),
        "max_abs_error": mismatch.max_abs_error, "max_rel_error": mismatch.max_rel_error,
        "snippet": _snippet(caller.target.target, name, args),
    }
    status = "error" if mismatch.kind == "error" else "fail"
    return CheckResult(check_id, status, message, counterexample)


# --- counterexamples as data and as code ----------------------------------------------------------

def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def _code(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype=np.{value.dtype})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {_code(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_code(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_code(v) for v in value) + "]"
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def _import_line(target: str, name: str) -> str:
    if target == "reference":
        return f"from gradspec.reference.notebook import {name}"
    if target.endswith(".py"):
        return (f"import sys; sys.path.insert(0, {str(Path(target).resolve().parent)!r})\n"
                f"from {Path(target).stem} import {name}")
    return f"from {target} import {name}"


def _snippet(target: str, name: str, args: tuple) -> str:
    return (f"import numpy as np\n{_import_line(target, name)}\n\nargs = {_code(tuple(args))}\n"
            f"result = {name}(*args)\n\nfrom gradspec.reference.notebook import {name} as reference\n"
            f"expected = reference(*args)\n")


# --- the run ---------------------------------------------------------------------------------------

def parse_dialects(pairs: Iterable[str]) -> dict[str, str]:
    """``["adam=eps-inside"]`` -> ``{"adam": "eps-inside"}``, checked against the spec."""
    chosen = {}
    for pair in pairs:
        rule, _, name = pair.partition("=")
        known = _dialects_of(rule)
        if not known:
            rules = sorted({d.split("/", 1)[0] for d in DIALECT_KERNELS})
            raise UsageError(f"--dialect {pair}: no rule {rule!r} has dialects; rules with dialects: {rules}")
        if name not in known:
            raise UsageError(f"--dialect {pair}: {rule} has dialects {known}")
        chosen[rule] = name
    return chosen


def _check_options(profile: str, timeout: float) -> None:
    if profile not in PROFILES:
        raise UsageError(f"profile must be one of {sorted(PROFILES)}; got {profile!r}")
    if not timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds; got {timeout!r}")


def verify(target: str, *, profile: str = "default", dialects: Mapping[str, str] | None = None,
           timeout: float = 5.0, functions: Iterable[str] | None = None,
           progress: Callable[[str], None] | None = None) -> Report:
    """Verify ``target`` (a ``.py`` path, a module name, ``reference``, or a framework: ``torch``,
    ``optax``, ``keras``); see the module doc."""
    if target in FRAMEWORKS:
        if dialects or functions is not None:
            raise UsageError(f"{target} is checked against the dialect its documentation declares; "
                             "--dialect and a function list apply to notebook targets only")
        return verify_framework(FRAMEWORKS[target], profile=profile, timeout=timeout, progress=progress)
    _check_options(profile, timeout)
    declared = dict(dialects or {})
    specs = list(FUNCTIONS)
    if functions is not None:
        wanted = list(functions)
        unknown = sorted(set(wanted) - {s.name for s in specs})
        if unknown:
            raise UsageError(f"unknown notebook functions {unknown}")
        specs = [s for s in specs if s.name in wanted]
    try:
        target_process = Target(target, timeout=timeout)
    except TargetLoadError as exc:
        raise UsageError(f"cannot import {target}: {exc}") from None
    with target_process:
        if not any(target_process.has(s.name) for s in specs):
            raise UsageError(f"{target} defines none of the notebook functions "
                             f"({', '.join(s.name for s in FUNCTIONS)})")
        caller = Caller(target_process)
        results = []
        for spec in specs:
            if progress:
                progress(spec.name)
            results.append(_verify_function(spec, caller, declared, profile))
    from gradspec import __version__

    return Report(__version__, target, profile, results)


def _verify_function(spec: FunctionSpec, caller: Caller, declared: Mapping[str, str],
                     profile: str) -> FunctionResult:
    if not caller.has(spec.name):
        return FunctionResult(spec.name, spec.rule, "missing")
    accepted = None
    if spec.dialect_rule is not None:
        accepted = declared.get(spec.dialect_rule, _canonical(spec.dialect_rule))
    checks, matched = [], []
    if spec.differential:
        check, matched = _differential(spec, caller, accepted, profile)
        checks.append(check)
    checks += _pinned(spec, caller, declared)
    checks += _invariants(spec, caller, profile)
    statuses = {c.status for c in checks}
    status: Status = "error" if "error" in statuses else "fail" if "fail" in statuses else "pass"
    return FunctionResult(spec.name, spec.rule, status, matched, checks)


# --- frameworks --------------------------------------------------------------------------------------

def verify_framework(framework: Framework, *, profile: str = "default", timeout: float = 5.0,
                     progress: Callable[[str], None] | None = None) -> Report:
    """Run each of ``framework``'s objects against every dialect of its rule (see
    :mod:`gradspec.conformance.frameworks`)."""
    _check_options(profile, timeout)
    missing = missing_requirements(framework)
    if missing:
        raise UsageError(missing)
    try:
        target_process = Target(framework.module, timeout=timeout, memory_limit=None)
    except TargetLoadError as exc:
        raise UsageError(f"cannot import {framework.name}: {exc}") from None
    with target_process:
        caller = Caller(target_process)
        results = []
        for obj in framework.objects:
            if progress:
                progress(obj.name)
            results.append(_verify_object(framework, obj, caller, profile))
    from gradspec import __version__

    return Report(__version__, framework.name, profile, results, versions(framework))


def _verify_object(framework: Framework, obj: FrameworkObject, caller: Caller, profile: str) -> FunctionResult:
    rule = RULES[obj.rule]
    candidates = _dialects_of(obj.rule)
    alive = set(candidates)
    schedule = "steps" in rule.probes[0]

    def check(case: dict[str, Any]) -> Mismatch | None:
        actual = caller(obj.function, case)
        float32 = uses_float32(case) or (schedule and any(
            isinstance(x, np.ndarray | np.floating) and x.dtype == np.float32 for x in leaves(actual)))
        return _classify(lambda d: rule.expected(case, d), actual, candidates, alive, obj.declared,
                         float32=float32, scale=input_scale(case))

    probes = []
    for case in rule.probes:
        try:
            probes.append({"case": _jsonable(case), "result": _jsonable(caller(obj.function, case))})
        except TargetError as exc:
            probes.append({"case": _jsonable(case), "error": str(exc)})
    inputs = _strategies.sampled_from(obj.dtypes).flatmap(rule.inputs)
    found = _search(inputs, profile, lambda case: _attempt(lambda: check(case)), rule.probes)
    matched = [f"{obj.rule}/{d}" for d in candidates if d in alive]
    declared = f"{obj.rule}/{obj.declared}"
    if found is None:
        result = CheckResult("differential", "pass", f"declared {declared}: {obj.source}", probes=probes)
        return FunctionResult(obj.name, obj.rule, "pass", matched, [result])
    case, mismatch = found
    message = f"declared {declared} ({obj.source}): {_describe(mismatch)}"
    if mismatch.kind == "fail":
        message += (f"; it matches {', '.join(matched)} instead" if matched else
                    f"; it matches none of the spec's dialects ({', '.join(candidates)}): the "
                    "counterexample shows where it departs from the declared one")
    check_result = _result("differential", obj.function, (case,), mismatch, message, caller)
    check_result.probes = probes
    if check_result.counterexample is not None:
        check_result.counterexample["snippet"] = _framework_snippet(framework, obj, case)
    return FunctionResult(obj.name, obj.rule, check_result.status, matched, [check_result])


def _framework_snippet(framework: Framework, obj: FrameworkObject, case: dict[str, Any]) -> str:
    return (f"import numpy as np\n{_import_line(framework.module, obj.function)}  # {obj.name}\n"
            f"from gradspec.conformance.frameworks import RULES\n\ncase = {_code(case)}\n"
            f"result = {obj.function}(case)\nexpected = RULES[{obj.rule!r}].expected(case, {obj.declared!r})\n")


# --- output ------------------------------------------------------------------------------------------

def format_report(report: Report) -> str:
    rows = [("function", "status", "dialects", "first failing check")]
    for f in report.functions:
        if f.status == "missing":
            continue
        failure = f.first_failure
        rows.append((f.name, f.status, ", ".join(f.dialects) or "-",
                     f"{failure.id}: {failure.message}" if failure else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"gradspec {report.gradspec_version} verify {report.target} (profile {report.profile})", ""]
    for i, row in enumerate(rows):
        head = "  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row[:3]))
        last = row[3] if len(row[3]) <= 100 else row[3][:97] + "..."
        lines.append(f"{head}  {last}")
        if i == 0:
            lines.append("-" * (sum(widths) + 6 + 19))
    for f in report.functions:
        for check in f.checks:
            if check.status == "pass":
                continue
            lines += ["", f"{f.name}: {check.id} {check.status.upper()}", f"  {check.message}"]
            example = check.counterexample or {}
            if "snippet" in example:
                lines += ["  minimal counterexample:", *("    " + s for s in example["snippet"].splitlines())]
                if example.get("max_abs_error") is not None:
                    lines.append(f"  max abs error {example['max_abs_error']:.3g}, "
                                 f"max rel error {example['max_rel_error']:.3g}")
                lines += [f"  expected {_short(example['expected'])}", f"  got      {_short(example['actual'])}"]
    missing = [f.name for f in report.functions if f.status == "missing"]
    if missing:
        lines += ["", "missing (not defined by the target): " + ", ".join(missing)]
    s = report.summary
    lines += ["", f"{s['pass']} pass, {s['fail']} fail, {s['error']} error, {s['missing']} missing"]
    return "\n".join(lines)


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 300 else text[:297] + "..."


def write_json(report: Report, path: str | os.PathLike[str]) -> None:
    Path(path).write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")


def main(target: str, *, json_path: str | None, dialect_pairs: Iterable[str], profile: str,
         timeout: float) -> int:
    """The ``gradspec verify`` command: 0 all conform, 1 a function failed or errored, 2 usage."""
    try:
        dialects = parse_dialects(dialect_pairs)
        progress = (lambda name: print(f"  verifying {name} ...", file=sys.stderr)) \
            if sys.stderr.isatty() else None
        report = verify(target, profile=profile, dialects=dialects, timeout=timeout, progress=progress)
    except UsageError as exc:
        print(f"gradspec verify: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if json_path:
        write_json(report, json_path)
    return 0 if report.ok else 1
