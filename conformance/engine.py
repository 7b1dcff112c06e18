"""The engine of ``gradspec verify``: it picks each function's API version, runs the checks,
classifies dialects, and puts blame on the function that is wrong.

It knows no notebook function by name: everything it checks comes from the versions the
assignment modules declare (:mod:`gradspec.conformance.api`).

* **Versions.** A target function's signature (parameter count, names, defaults) selects
  the versions it can be called as; where several fit equally well, the one whose results
  it matches.
* **Blame.** Each function is judged alone: while it runs, the reference (in the version and
  dialects in force) stands in for the target's other notebook functions that it calls, so
  a wrong ``sigmoid`` fails ``sigmoid`` and not everything that calls it.
* **Checks.** ``differential`` (Hypothesis-generated inputs, every dialect of the rule
  classified at once, shrunk counterexamples), ``pinned:<case>`` (the seeds' printed
  numbers), ``invariant:<id>`` (the spec's properties), and for stochastic functions
  ``unseeded:<id>`` (what must hold whatever stream the target draws from: dialect rng).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.reporting import with_reporter

from gradspec.reference._kernels import DIALECT_KERNELS

from .api import NAMES, Dialects, FunctionVersion, Invariant, canonical, dialects_of, helper_version
from .api._strategies import uses_float32
from .compare import Mismatch, compare, input_scale
from .pinned import mismatches
from .report import CheckResult, FunctionResult, jsonable, snippet
from .seeds import CASES
from .target import Target, TargetError, TargetNotDataError, TargetTimeoutError

__all__ = ["PROFILES", "SHRINK_CALLS", "Caller", "candidates", "choose_version", "classify", "describe", "fits",
           "judge", "search"]

#: Hypothesis examples per check.
PROFILES = {"quick": 6, "default": 40, "thorough": 400}
#: Calls a check may spend shrinking a failure; the smallest failure found by then is reported.
#: A count, not a time, so that the same target always gets the same counterexample.
SHRINK_CALLS = 400
#: Generated examples each candidate version gets when two versions fit one signature.
PROBE_EXAMPLES = 4

StandIns = dict[str, tuple[str, str, dict[str, Any]]]
_CASES = {case.id: case for case in CASES}


class Caller:
    """Calls the target's functions, each with the reference standing in for the other
    notebook functions it calls; records the calls a check makes; a function that hung once
    is not called again (its later calls fail at once with the same message)."""

    def __init__(self, target: Target, target_name: str) -> None:
        self.target = target
        self.target_name = target_name
        self.hung: dict[str, tuple[str, tuple]] = {}
        self.versions: dict[str, FunctionVersion] = {}
        self.dialects: Dialects = Dialects()
        self.alone = True
        self.record: list[tuple[str, tuple]] | None = None
        #: The target's own name for a notebook function, where it differs (the reference's
        #: variants: ``random_mini_batches_no_seed`` is the seedless ``random_mini_batches``).
        self.aliases: dict[str, str] = {}

    def has(self, name: str) -> bool:
        return self.target.has(name)

    def stand_ins(self, name: str) -> StandIns:
        """The reference functions that replace ``name``'s helpers while it is judged alone."""
        if not self.alone:
            return {}
        info = self.target.functions.get(name, {})
        helpers = {h: self.versions.get(h) for h in info.get("calls", ()) if h != name}
        own = self.versions.get(name)
        if own is not None:  # course helpers it uses but could not import: the assignment's versions
            helpers.update({h: helper_version(h, own.assignment) for h in info.get("unresolved", ()) if h in NAMES})
        out = {}
        for helper, version in helpers.items():
            if version is not None:
                module, attribute = version.oracle_path
                out[helper] = (module, attribute, version.oracle_kwargs(self.dialects))
        return out

    def missing_helpers(self, name: str) -> list[str]:
        """The course helpers ``name`` uses that the target lacks, and gradspec supplies."""
        return sorted(set(self.stand_ins(name)) & set(self.target.functions.get(name, {}).get("unresolved", ())))

    def __call__(self, name: str, *args: Any) -> Any:
        if name in self.hung:
            raise TargetError(self.hung[name][0])
        if self.record is not None:
            self.record.append((name, args))
        try:
            return self.target.call(self.aliases.get(name, name), *args, stand_ins=self.stand_ins(name))
        except TargetTimeoutError as exc:
            self.hung[name] = (f"{exc} (not called again)", args)
            raise


# --- versions -------------------------------------------------------------------------------------

def fits(version: FunctionVersion, signature: Mapping[str, Any] | None) -> float | None:
    """How well a target signature fits ``version`` (higher is better), or None if the
    target cannot be called with the version's arguments. Each parameter named as the
    course names it (any case) counts 1; the same number of parameters counts 0.5."""
    if signature is None:
        return 0.0
    params, n = signature["params"], len(version.params)
    if signature["required"] > n or (n > len(params) and not signature["varargs"]):
        return None
    named = sum(a.lower() == b.lower() for a, b in zip(params, version.params, strict=False))
    return named + (0.5 if len(params) == n else 0.0)


def candidates(name: str, signature: Mapping[str, Any] | None, versions: Iterable[FunctionVersion]
               ) -> tuple[list[FunctionVersion], str]:
    """The versions of ``name`` whose signatures fit the target's best, or ``([], why not)``."""
    of_name = [v for v in versions if v.name == name]
    scored = [(score, v) for v in of_name if (score := fits(v, signature)) is not None]
    if not scored:
        found = ", ".join(v.signature for v in of_name)
        params = ", ".join(signature["params"]) if signature else "?"
        return [], f"{name}({params}) cannot be called as any of the course's versions: {found}"
    best = max(score for score, _ in scored)
    return [v for score, v in scored if score == best], ""


def choose_version(name: str, signature: Mapping[str, Any] | None, versions: Iterable[FunctionVersion],
                   caller: Caller, assignments: Mapping[str, int] | None = None
                   ) -> tuple[FunctionVersion | None, str]:
    """The version of ``name`` the target implements, and how it was chosen: the one its
    signature fits best; where several fit as well, the one whose results the target comes
    closest to, then the one of the assignment most of the target's other functions belong to
    (``assignments``: how many belong to each)."""
    top, why = candidates(name, signature, versions)
    if len(top) <= 1:
        return (top[0] if top else None), why
    closeness = [_closeness(version, caller) for version in top]
    counts = assignments or {}
    ranked = sorted(range(len(top)), key=lambda i: (-closeness[i], -counts.get(top[i].assignment, 0), i))
    chosen, best = top[ranked[0]], closeness[ranked[0]]
    others = ", ".join(v.id for v in top if v is not chosen)
    if best == _AGREES:
        return chosen, f"{chosen.id} chosen over {others}, which share its signature: its results match"
    return chosen, (f"{chosen.id} assumed (it shares its signature with {others}): the results match none; "
                    "this version's come closest")


_AGREES = 3


def _closeness(version: FunctionVersion, caller: Caller) -> int:
    """How close the target comes to ``version`` on its probes and a few inputs: 3 it agrees,
    2 its numbers differ, 1 its results have another structure (type, shape, keys), 0 it raises."""
    caller.versions[version.name] = version  # for stand-ins of the course helpers it could not import
    found = search(version.inputs, PROBE_EXAMPLES, lambda args: _differential_probe(version, caller, args),
                   caller, version.probes, shrink=False)
    caller.versions.pop(version.name)
    if found is None:
        return _AGREES
    mismatch = found[1]
    if mismatch.kind == "error":
        return 0
    return 2 if mismatch.max_abs_error is not None else 1


def call_failed(exc: TargetError) -> Mismatch:
    """A call that did not give a value: an ``error`` (raised, hung, crashed), or a ``fail`` when
    it returned something that is not data (:class:`TargetNotDataError`: the wrong type, too large)."""
    return Mismatch("fail" if isinstance(exc, TargetNotDataError) else "error", "call", str(exc))


def _differential_probe(version: FunctionVersion, caller: Caller, args: tuple) -> Mismatch | None:
    try:
        raw = caller(version.name, *args)
    except TargetError as exc:
        return call_failed(exc)
    actual, prefix = version.read(raw)
    expected = version.read(version.expected(args, caller.dialects))[0]
    return _rooted(compare(expected, actual, float32=uses_float32(args), scale=input_scale(args)), prefix)


# --- search ---------------------------------------------------------------------------------------

class _FoundError(Exception):
    """Raised inside a Hypothesis test to mark an example as failing (and shrink it)."""


def _settings(examples: int, shrink: bool) -> settings:
    phases = (Phase.explicit, Phase.generate, Phase.shrink) if shrink else (Phase.explicit, Phase.generate)
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None, phases=phases,
                    print_blob=False, suppress_health_check=list(HealthCheck))


Found = tuple[tuple, Mismatch, list[tuple[str, tuple]]]


def search(strategy, examples: int, probe: Callable[[tuple], Mismatch | None], caller: Caller,
           explicit: Iterable[tuple] = (), *, shrink: bool = True) -> Found | None:
    """Run ``probe`` on the explicit inputs, then on generated ones; the failure to report
    (a shrunk generated one if there is any, else the first failing explicit input), with the
    calls its probe made to the target."""

    def attempt(args: tuple) -> tuple[Mismatch | None, list[tuple[str, tuple]]]:
        caller.record = []
        try:
            return probe(args), caller.record
        except TargetError as exc:
            return call_failed(exc), caller.record
        finally:
            caller.record = None

    explicit_failure = None
    for args in explicit:
        found, calls = attempt(args)
        if found:
            explicit_failure = (args, found, calls)
            if not shrink:
                return explicit_failure
            break
    last: list[Found] = []
    calls_since_failure: list[int] = []

    @_settings(examples, shrink)
    @given(strategy)
    def run(args: tuple) -> None:
        if calls_since_failure:
            if calls_since_failure[0] >= SHRINK_CALLS:
                return  # out of shrinking budget: keep the smallest failure found so far
            calls_since_failure[0] += 1
        found, calls = attempt(args)
        if found:
            calls_since_failure[:1] = calls_since_failure[:1] or [0]
            last.append((args, found, calls))
            raise _FoundError

    try:
        with with_reporter(lambda _message: None):
            run()
    except _FoundError:
        pass
    except Exception as exc:  # a Hypothesis or checker problem, reported as such
        if not last and explicit_failure is None:
            return (), Mismatch("error", "check", f"the check itself failed: {type(exc).__name__}: {exc}"), []
    return last[-1] if last else explicit_failure


# --- classification --------------------------------------------------------------------------------

def classify(expected_in: Callable[[str | None], Any], actual: Any, candidates: list[str], alive: set[str],
             accepted: str | None, *, float32: bool, scale: float) -> Mismatch | None:
    """Drop from ``alive`` the dialects ``actual`` differs from; the mismatch with ``accepted``.
    Each dialect's expectation is computed once."""
    wanted = [d for d in candidates if d in alive or d == accepted] or [accepted]
    expected = {d: expected_in(d) for d in wanted}
    for dialect in wanted:
        if dialect in alive and compare(expected[dialect], actual, float32=float32, scale=scale):
            alive.discard(dialect)
    return compare(expected[accepted], actual, float32=float32, scale=scale)


def _rooted(mismatch: Mismatch | None, prefix: str) -> Mismatch | None:
    """A mismatch found in the read value, with its path into the raw return value."""
    if mismatch is None or not prefix:
        return mismatch
    rest = mismatch.path[len("result"):] if mismatch.path.startswith("result") else ""
    return dataclasses.replace(mismatch, path=f"result{prefix}{rest}", read=prefix)


def describe(mismatch: Mismatch) -> str:
    text = f"{mismatch.path} {mismatch.message}" if mismatch.path not in ("call", "check") else mismatch.message
    errors = [f"max {kind} error {value:.3g}" for kind, value in (("abs", mismatch.max_abs_error),
                                                                  ("rel", mismatch.max_rel_error)) if value is not None]
    return f"{text} ({', '.join(errors)})" if errors else text


# --- the checks -------------------------------------------------------------------------------------

def _candidates(version: FunctionVersion, accepted: str | None) -> list[str]:
    rule = version.dialect_rule
    if rule is None:
        return []
    if rule == "rng":
        return ["seeded"]  # the unseeded dialect is a property check, not an oracle
    return [d for d in dialects_of(rule) if d in (accepted, canonical(rule)) or not version.steps
            or set(DIALECT_KERNELS[f"{rule}/{d}"]) & set(version.steps)]


def _differential(version: FunctionVersion, caller: Caller, profile: str) -> tuple[CheckResult, list[str]]:
    rule = version.dialect_rule
    dialects = caller.dialects
    accepted = dialects[rule] if rule else None
    oracle_accepted = "seeded" if rule == "rng" else accepted
    candidates = _candidates(version, accepted)
    alive = set(candidates)

    def expected_in(args: tuple) -> Callable[[str | None], Any]:
        def of(dialect: str | None) -> Any:
            chosen = dialects if rule in (None, "rng") else Dialects({**dialects, rule: dialect})
            return version.read(version.expected(args, chosen))[0]
        return of

    def check(args: tuple) -> Mismatch | None:
        actual, prefix = version.read(caller(version.name, *args))
        found = classify(expected_in(args), actual, candidates, alive, oracle_accepted,
                         float32=uses_float32(args), scale=input_scale(args))
        return _rooted(found, prefix)

    found = search(version.inputs, PROFILES[profile], check, caller, version.probes)
    matched = [f"{rule}/{d}" for d in candidates if d in alive]
    if found is None:
        return CheckResult("differential", "pass"), matched
    args, mismatch, calls = found
    if mismatch.path == "check":
        matched = []  # nothing was classified
    message = describe(mismatch)
    if mismatch.kind == "fail" and matched and rule != "rng":
        message += (f"; it matches {', '.join(matched)} rather than {rule}/{accepted}: pass --dialect "
                    f"{rule}={matched[0].split('/', 1)[1]} if that is the convention you mean")
    return _result("differential", version, args, mismatch, calls, caller, message, oracle=True), matched


def _stochastic(version: FunctionVersion, caller: Caller, profile: str, differential: CheckResult,
                matched: list[str]) -> list[CheckResult]:
    """Dialect rng: the differential check compared the target with the notebook's seeded
    stream; the unseeded check asks what must hold whatever the stream."""
    unseeded = version.unseeded
    assert unseeded is not None
    accepted = caller.dialects["rng"]
    seeded = differential.status == "pass"
    if seeded and accepted == "seeded":
        return [differential]
    (result,) = _invariants(version, caller, profile, (unseeded,), prefix="unseeded")
    if result.status == "pass":
        matched.append("rng/unseeded")
    if accepted == "unseeded":
        differential = CheckResult("differential", "skip", "rng/unseeded is declared: not compared with the "
                                   "notebook's np.random.seed stream" + (" (it reproduces it, too)" if seeded else ""))
        return [differential, result]
    if differential.status == "fail" and result.status == "pass":
        differential.message = (
            f"{differential.message}. The draws are not the notebook's np.random.seed stream; what must hold "
            f"for any stream holds ({unseeded.description}): it matches rng/unseeded rather than rng/seeded: "
            "seed as the notebook does, or pass --dialect rng=unseeded if another stream is what you mean")
    return [differential, result]


def _pinned(version: FunctionVersion, caller: Caller) -> list[CheckResult]:
    results = []
    for case_id in version.pinned:
        case = _CASES[case_id]
        check_id = f"pinned:{case.id}"
        off = {rule: name for rule, name in case.assumes.items() if caller.dialects[rule] != name}
        if off:
            printed = ", ".join(f"{rule}/{name}" for rule, name in off.items())
            declared = ", ".join(f"{rule}/{caller.dialects[rule]}" for rule in off)
            results.append(CheckResult(check_id, "skip", f"seed {case.sources[0][0]} printed {printed} numbers; "
                                                         f"{declared} is declared"))
            continue
        try:
            bad = mismatches(case, _Api(caller, version, importlib.import_module(case.api)))
        except TargetError as exc:
            results.append(CheckResult(check_id, call_failed(exc).kind, str(exc)))
            continue
        except Exception as exc:  # the target's value is not the shape the printout needs
            results.append(CheckResult(check_id, "fail", f"what {version.name} returned cannot be read as seed "
                                       f"{case.sources[0][0]}'s printout ({case.description}): "
                                       f"{type(exc).__name__}: {exc}"))
            continue
        if not bad:
            results.append(CheckResult(check_id, "pass"))
            continue
        name, (printed, computed) = next(iter(bad.items()))
        got = "nothing" if computed is None else numbers_text(computed)
        results.append(CheckResult(
            check_id, "fail", f"{name} differs from what seed {case.sources[0][0]} printed ({case.description}): "
            f"printed {' '.join(case.printed[name].text.split())}, computed {got}",
            {"entry": name, "printed": jsonable(printed), "computed": jsonable(computed)}))
    return results


def numbers_text(value: Any) -> str:
    text = np.array2string(np.asarray(value), precision=8, separator=", ", threshold=12).replace("\n", "")
    return text if len(text) <= 160 else text[:157] + "..."


class _Api:
    """The API the pinned case computes with (``case.api``), with the function under test
    taken from the target."""

    def __init__(self, caller: Caller, version: FunctionVersion, reference: ModuleType) -> None:
        self._caller, self._version, self._reference = caller, version, reference

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name == self._version.name:
            return lambda *args: self._version.read(self._caller(name, *args))[0]
        return getattr(self._reference, name)


def _invariants(version: FunctionVersion, caller: Caller, profile: str, invariants: Iterable[Invariant],
                prefix: str = "invariant") -> list[CheckResult]:
    results = []
    for invariant in invariants:
        check_id = f"{prefix}:{invariant.id}"
        off = {rule: names for rule, names in invariant.holds_for.items() if caller.dialects[rule] not in names}
        if off:
            rule = next(iter(off))
            results.append(CheckResult(check_id, "skip", f"{invariant.description}: holds for {rule} dialects "
                                       f"{', '.join(off[rule])}, not the declared {rule}/{caller.dialects[rule]}"))
            continue
        found = search(invariant.inputs, PROFILES[profile],
                       lambda args, inv=invariant: inv.check(caller, args, caller.dialects), caller)
        if found is None:
            results.append(CheckResult(check_id, "pass", invariant.description))
        else:
            args, mismatch, calls = found
            results.append(_result(check_id, version, args, mismatch, calls, caller,
                                   f"{invariant.description}: {describe(mismatch)}", comment=invariant.description))
    return results


def _named(calls: list[tuple[str, tuple]], caller: Caller) -> list[tuple[str, tuple]]:
    return [(caller.aliases.get(name, name), args) for name, args in calls]


def _result(check_id: str, version: FunctionVersion, args: tuple, mismatch: Mismatch,
            calls: list[tuple[str, tuple]], caller: Caller, message: str, *, oracle: bool = False,
            comment: str = "") -> CheckResult:
    name = version.name
    status = "error" if mismatch.kind == "error" else "fail"
    if name in caller.hung:  # report the input that hung, not a shrunk stand-in
        args, calls = caller.hung[name][1], [(name, caller.hung[name][1])]
    if not calls:
        return CheckResult(check_id, status, message)
    stand_ins = caller.stand_ins(name)
    if oracle:
        module, attribute = version.oracle_path
        expected_raw = version.expected(args, caller.dialects)
        _, expected_prefix = version.read(expected_raw)
        rest = mismatch.path[len("result") + len(mismatch.read):]
        code = snippet(caller.target_name, _named(calls, caller), path=mismatch.path, stand_ins=stand_ins,
                       oracle=(module, attribute, version.oracle_kwargs(caller.dialects)),
                       expected_path=f"expected{expected_prefix}{rest}", random_streams=version.dialect_rule == "rng")
    else:
        code = snippet(caller.target_name, _named(calls, caller), path=mismatch.path, source=mismatch.source,
                       stand_ins=stand_ins, expected=mismatch.expected, comment=comment,
                       random_streams=version.dialect_rule == "rng")
    counterexample = {
        "function": name, "version": version.id, "args": jsonable(list(args)), "path": mismatch.path,
        "expected": jsonable(mismatch.expected), "actual": jsonable(mismatch.actual),
        "max_abs_error": mismatch.max_abs_error, "max_rel_error": mismatch.max_rel_error, "snippet": code,
    }
    return CheckResult(check_id, status, message, counterexample)


# --- one function -----------------------------------------------------------------------------------

def judge(version: FunctionVersion, caller: Caller, profile: str) -> FunctionResult:
    """Run every check of ``version`` on the target's function, judged alone; if it fails
    alone, it is judged again as written (a stand-in of the wrong version must not blame it)."""
    result = _judge(version, caller, profile)
    absent = caller.missing_helpers(version.name)
    if absent:
        names = ", ".join(absent)
        result.notes.append(f"calls {names}, which the target does not define (a course helper it could not "
                            f"import?): gradspec's {names} stood in")
    stand_ins = caller.stand_ins(version.name)
    if result.status != "pass" and stand_ins:
        caller.alone = False
        try:
            as_written = _judge(version, caller, profile)
        finally:
            caller.alone = True
        if as_written.status == "pass":
            as_written.notes.append(f"passes as written, calling its own {', '.join(sorted(stand_ins))}")
            return as_written
    return result


def _judge(version: FunctionVersion, caller: Caller, profile: str) -> FunctionResult:
    checks: list[CheckResult] = []
    matched: list[str] = []
    if version.differential:
        check, matched = _differential(version, caller, profile)
        checks += _stochastic(version, caller, profile, check, matched) if version.unseeded else [check]
    checks += _pinned(version, caller)
    checks += _invariants(version, caller, profile, version.invariants)
    statuses = {c.status for c in checks}
    status = "error" if "error" in statuses else "fail" if "fail" in statuses else "pass"
    return FunctionResult(version.name, version.rule, status, matched, checks, version.id)
