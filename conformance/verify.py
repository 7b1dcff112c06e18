"""``gradspec verify``: check a third-party implementation of the course's notebook API.

For every notebook function the target defines, :mod:`gradspec.conformance.engine` picks the
API version its signature fits (and where two fit, the one whose results it matches) and
runs that version's checks, each reported on its own:

* ``differential``: the target against the reference on Hypothesis-generated inputs (with
  deterministic probes first, chosen so the rule's dialects give different answers). Every
  dialect of the rule is tried at the same time; the report lists the ones the target
  matched. The function passes if it matches the canonical dialect, or the one declared
  with ``dialects={"adam": "eps-inside"}`` (``--dialect adam=eps-inside``).
* ``pinned:<case>``: the seeds' printed numbers, computed with the target's function.
* ``invariant:<id>``: properties from the spec (momentum with beta = 0 is gradient descent,
  backward passes agree with finite differences, ...).
* ``unseeded:<id>``: for stochastic functions that do not draw the notebook's
  ``np.random.seed(k)`` stream, what must hold anyway (dialect ``rng/unseeded``).

Declared dialects flow into every check: the reference computes in them, pinned cases and
invariants that assume another one are skipped (the report says so). Each function is
judged alone, with the reference standing in for the target's other notebook functions it
calls. A failing check carries its minimal counterexample, shrunk by Hypothesis, and code
that reproduces it. Hypothesis runs derandomized: the same target gets the same verdict.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shlex
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as _strategies

from gradspec.reference._kernels import DIALECT_KERNELS
from gradspec.reference.course import MODULES as REFERENCE_MODULES

from ._wire import DEFAULT_MAX_BYTES
from .api import ASSIGNMENTS, NAMES, VERSIONS, Dialects, FunctionVersion, dialects_of
from .api._strategies import uses_float32
from .compare import Mismatch, input_scale, leaves
from .engine import PROFILES, Caller, candidates, choose_version, classify, describe, judge, search
from .frameworks import FRAMEWORKS, RULES, Framework, FrameworkObject, as_dtype, missing_requirements, versions
from .report import CheckResult, FunctionResult, Report, format_report, jsonable, literal, write_json
from .sandbox import resolve as resolve_sandbox
from .target import Target, TargetError, TargetLoadError, on_shutdown

__all__ = ["PROFILES", "CheckResult", "FunctionResult", "Report", "UsageError", "format_report", "main",
           "parse_dialects", "verify", "verify_framework", "write_json"]


class UsageError(Exception):
    """Bad options, an unloadable target, or nothing to verify (exit status 2)."""


def parse_dialects(pairs: Iterable[str]) -> dict[str, str]:
    """``["adam=eps-inside"]`` -> ``{"adam": "eps-inside"}``, checked against the spec."""
    chosen = {}
    for pair in pairs:
        if "=" not in pair and "/" in pair:  # the report's spelling, adam/eps-inside
            raise UsageError(f"--dialect {pair}: write RULE=NAME, as in --dialect {pair.replace('/', '=', 1)}")
        rule, _, name = pair.partition("=")
        known = dialects_of(rule)
        if not known:
            rules = sorted({d.split("/", 1)[0] for d in DIALECT_KERNELS})
            raise UsageError(f"--dialect {pair}: no rule {rule!r} has dialects; rules with dialects: {rules}")
        if name not in known:
            raise UsageError(f"--dialect {pair}: {rule} has dialects {known}")
        chosen[rule] = name
    return chosen


def _check_options(profile: str, timeout: float, sandbox: str, max_reply_mb: float) -> dict[str, Any]:
    """The worker's options (:class:`Target`'s keywords), or a UsageError naming the bad one."""
    if profile not in PROFILES:
        raise UsageError(f"profile must be one of {sorted(PROFILES)}; got {profile!r}")
    if not timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds; got {timeout!r}")
    if not max_reply_mb > 0:
        raise UsageError(f"--max-reply-mb must be a positive number of MiB; got {max_reply_mb!r}")
    try:
        mode = resolve_sandbox(sandbox)
    except ValueError as exc:  # SandboxUnavailableError too: its message says what to install
        raise UsageError(str(exc)) from None
    return {"timeout": timeout, "sandbox": mode, "max_reply_bytes": int(max_reply_mb * 2**20)}


@contextlib.contextmanager
def _hypothesis_home() -> Iterator[None]:
    """Hypothesis's cache (``.hypothesis/``) in a temporary directory for the run, not in the
    user's working directory; removed after."""
    import hypothesis.configuration as configuration

    before = getattr(configuration, "__hypothesis_home_directory", None)
    with tempfile.TemporaryDirectory(prefix="gradspec-hypothesis-") as home:
        configuration.set_hypothesis_home_dir(home)
        on_shutdown(home, lambda: shutil.rmtree(home, ignore_errors=True))
        try:
            yield
        finally:
            on_shutdown(home, None)
            configuration.set_hypothesis_home_dir(before)


def _is_file(target: str) -> bool:
    return Path(target).suffix in (".py", ".ipynb") or Path(target).exists()


def verify(target: str, *, profile: str = "default", dialects: Mapping[str, str] | None = None,
           timeout: float = 5.0, functions: Iterable[str] | None = None,
           progress: Callable[[str], None] | None = None, sandbox: str = "auto",
           max_reply_mb: float = DEFAULT_MAX_BYTES / 2**20, exec_command: str | None = None) -> Report:
    """Verify ``target``: a ``.py`` or ``.ipynb`` path, a module name, ``reference`` (every
    assignment's reference module), or a framework (``torch``, ``optax``, ``keras``, ``tfjs``); see the
    module doc. The target runs in a worker process (``sandbox``: ``auto``, ``bwrap`` or ``none``,
    :mod:`gradspec.conformance.sandbox`); each call, and its reply of at most ``max_reply_mb`` MiB,
    is bounded by ``timeout`` seconds, its import by :data:`IMPORT_TIMEOUT_FACTOR` times that."""
    if exec_command is not None:
        from .exec import verify_exec

        options = _check_options(profile, timeout, sandbox, max_reply_mb)
        with _hypothesis_home():
            try:
                results, name = verify_exec(exec_command, profile=profile, options=options,
                                            dialects=dict(Dialects(dialects or {})), progress=progress)
            except TargetError as exc:
                raise UsageError(f"--exec {exec_command}: {exc}") from None
        from gradspec import __version__

        return Report(__version__, f"--exec {exec_command}" + (f" ({name})" if name else ""), profile, results,
                      sandbox=options["sandbox"], missing_means="not listed in the client's hello")
    if target in FRAMEWORKS:
        if dialects or functions is not None:
            raise UsageError(f"{target} is checked against the dialect its documentation declares; "
                             "--dialect and a function list apply to notebook targets only")
        return verify_framework(FRAMEWORKS[target], profile=profile, timeout=timeout, progress=progress,
                                sandbox=sandbox, max_reply_mb=max_reply_mb)
    options = _check_options(profile, timeout, sandbox, max_reply_mb)
    with _hypothesis_home():
        return _verify(target, profile, dialects, functions, progress, options)


def _verify(target: str, profile: str, dialects: Mapping[str, str] | None, functions: Iterable[str] | None,
            progress: Callable[[str], None] | None, options: dict[str, Any]) -> Report:
    wanted = None if functions is None else list(functions)
    if wanted is not None:
        unknown = sorted(set(wanted) - set(NAMES))
        if unknown:
            raise UsageError(f"unknown notebook functions {unknown}; known: {', '.join(NAMES)}")
    declared = Dialects(dialects or {})
    from gradspec import __version__

    if target == "reference":
        results: list[FunctionResult] = []
        for module in REFERENCE_MODULES:
            versions = [v for v in ASSIGNMENTS[module].VERSIONS if wanted is None or v.name in wanted]
            if versions:
                results += _verify_reference(f"gradspec.reference.course.{module}", versions, declared, profile,
                                             options, progress)
        return Report(__version__, target, profile, results, sandbox=options["sandbox"])
    results, problems = _verify_target(target, VERSIONS, declared, profile, options, wanted, progress,
                                       everything=not _is_file(target))
    return Report(__version__, target, profile, results, load_problems=problems, sandbox=options["sandbox"])


def _verify_target(target: str, versions: Iterable[FunctionVersion], dialects: Dialects, profile: str,
                   options: dict[str, Any], wanted: list[str] | None, progress: Callable[[str], None] | None, *,
                   everything: bool) -> tuple[list[FunctionResult], list[dict[str, Any]]]:
    """Check the functions ``target`` defines (``everything``: every callable it holds, for a
    module; a file's imported helpers are not its author's code and are not checked)."""
    versions = tuple(versions)
    names = [n for n in dict.fromkeys(v.name for v in versions) if wanted is None or n in wanted]
    try:
        process = Target(target, **options)
    except TargetLoadError as exc:
        raise UsageError(f"cannot import {target}: {exc}") from None
    with process:
        defined = _defined(process, versions, everything)
        found = [n for n in defined if n in names]
        if not found:
            skipped = "".join(f"; {p['kind']} {p['cell']} failed: {p['error']}" for p in process.load_problems)
            raise UsageError(f"{target} defines none of the notebook functions ({', '.join(names)}){skipped}")
        caller = Caller(process, target)
        caller.dialects = dialects
        chosen: dict[str, tuple[FunctionVersion | None, str]] = {}
        assignments: Counter[str] = Counter()
        for name in defined:  # the names whose signature decides:
            top, why = candidates(name, process.functions[name]["signature"], versions)  # which assignment
            if len(top) == 1:  # this is (all of them, not only the ones asked for)
                assignments[top[0].assignment] += 1
            if len(top) <= 1 and name in found:
                chosen[name] = (top[0] if top else None), why
        for name in found:
            if name not in chosen:
                chosen[name] = choose_version(name, process.functions[name]["signature"], versions, caller,
                                              assignments)
        caller.versions = {name: version for name, (version, _) in chosen.items() if version is not None}
        results = []
        for name in found:
            version, how = chosen[name]
            if progress:
                progress(name)
            if version is None:
                results.append(FunctionResult(name, "-", "error", checks=[CheckResult("signature", "error", how)]))
                continue
            result = judge(version, caller, profile)
            if how:
                result.notes.append(how)
            results.append(result)
        _blame(results, process.functions)
        missing = _missing(names, found, caller.versions.values(), versions)
        results += [FunctionResult(n, next(v.rule for v in versions if v.name == n), "missing") for n in missing]
        return results, process.load_problems


def _defined(process: Target, versions: tuple[FunctionVersion, ...], everything: bool) -> list[str]:
    """The notebook functions ``process`` holds that are its own (every one, for a module)."""
    return [n for n in dict.fromkeys(v.name for v in versions)
            if n in process.functions and (everything or process.functions[n]["defined"])]


def _missing(names: list[str], found: list[str], chosen: Iterable[FunctionVersion],
             versions: tuple[FunctionVersion, ...]) -> list[str]:
    """The functions of the target's assignment (the one most of its functions belong to) that
    it does not define, leaving out the ones not every notebook has (an assignment's ``OPTIONAL``)."""
    counts = Counter(v.assignment for v in chosen)
    if not counts:
        return []
    most = max(counts.values())
    main = {a for a, n in counts.items() if n == most}
    return [n for n in names if n not in found and any(
        v.name == n and v.assignment in main and n not in ASSIGNMENTS[v.assignment].OPTIONAL for v in versions)]


def _verify_reference(module: str, versions: list[FunctionVersion], dialects: Dialects, profile: str,
                      options: dict[str, Any], progress: Callable[[str], None] | None) -> list[FunctionResult]:
    """Every version of one assignment against its own oracle, the reference function itself."""
    with Target(module, **options) as process:
        caller = Caller(process, module)
        caller.dialects = dialects  # no stand-ins: the reference's functions call the reference
        results = []
        for version in versions:
            if progress:
                progress(version.id)
            caller.aliases = {version.name: version.oracle.__name__}
            results.append(judge(version, caller, profile))
        return results


def _blame(results: list[FunctionResult], functions: Mapping[str, Mapping[str, Any]]) -> None:
    """Note, on each function that passes, the failing notebook functions it calls: it was
    judged with the reference standing in for them."""
    failing = {r.name for r in results if r.status in ("fail", "error")}
    for result in results:
        bad = [n for n in functions.get(result.name, {}).get("calls", ()) if n in failing]
        if bad and result.status == "pass":
            names = ", ".join(bad)
            result.notes.append(f"calls {names}, which fail{'s' if len(bad) == 1 else ''}: judged with gradspec's "
                                f"{names} standing in, it passes")


# --- frameworks --------------------------------------------------------------------------------------

def verify_framework(framework: Framework, *, profile: str = "default", timeout: float = 5.0,
                     progress: Callable[[str], None] | None = None, sandbox: str = "auto",
                     max_reply_mb: float = DEFAULT_MAX_BYTES / 2**20) -> Report:
    """Run each of ``framework``'s objects against every dialect of its rule (see
    :mod:`gradspec.conformance.frameworks`)."""
    options = _check_options(profile, timeout, sandbox, max_reply_mb)
    missing = missing_requirements(framework)
    if missing:
        raise UsageError(missing)
    with _hypothesis_home():
        return _verify_framework(framework, profile, progress, options)


def _verify_framework(framework: Framework, profile: str, progress: Callable[[str], None] | None,
                      options: dict[str, Any]) -> Report:
    with _framework_caller(framework, options) as caller:
        results = []
        for obj in framework.objects:
            if progress:
                progress(obj.name)
            results.append(_verify_object(framework, obj, caller, profile))
    from gradspec import __version__

    return Report(__version__, framework.name, profile, results, versions(framework), sandbox=options["sandbox"])


@contextlib.contextmanager
def _framework_caller(framework: Framework, options: dict[str, Any]) -> Iterator[Callable[..., Any]]:
    """``caller(obj.function, case)``: the framework object's results on a case, from the Python
    adapter in a worker, or over protocol v1 from a Node.js adapter."""
    if framework.runtime == "node":
        from .exec import ExecClient
        from .frameworks import TrajectoryCaller, adapter_path, node_modules

        argv = ["node", str(adapter_path(framework)), "--modules", str(node_modules(framework))]
        try:
            client = ExecClient(argv, timeout=options["timeout"], sandbox=options["sandbox"],
                                max_reply_bytes=options["max_reply_bytes"])
        except TargetError as exc:
            raise UsageError(f"cannot start {framework.name}'s adapter ({' '.join(argv)}): {exc}") from None
        with client:
            if "trajectory" not in client.ops:
                raise UsageError(f"{framework.name}'s adapter does not serve trajectory (it lists {client.ops})")
            yield TrajectoryCaller(client)
        return
    try:
        target_process = Target(framework.module, memory_limit=None, **options)
    except TargetLoadError as exc:
        note = f" ({framework.install_note})" if framework.install_note else ""
        raise UsageError(f"cannot import {framework.name}: {exc}{note}") from None
    with target_process:
        if target_process.load_problems:  # an adapter is a module: it loads whole, or not at all
            note = f" ({framework.install_note})" if framework.install_note else ""
            raise UsageError(f"cannot import {framework.name}: {target_process.load_problems[0]['error']}{note}")
        yield Caller(target_process, framework.module)


def _verify_object(framework: Framework, obj: FrameworkObject, caller: Caller, profile: str) -> FunctionResult:
    rule = RULES[obj.rule]
    candidates = dialects_of(rule.spec_rule)  # none for gd
    alive = set(candidates)
    schedule = "steps" in rule.probes[0]
    expected = functools.partial(rule.expected, base=obj.base) if obj.base else rule.expected

    def own(case: dict[str, Any]) -> dict[str, Any]:
        """The case in the object's own dtype where it has no float64 (TensorFlow.js computes in float32),
        with the hyperparameters it does not take at the values it uses."""
        case = case if "float64" in obj.dtypes else as_dtype(case, obj.dtypes[0])
        return {**case, **obj.fixed} if obj.fixed else case

    cases = tuple(own(case) for case in rule.probes)

    def check(case: dict[str, Any]) -> Mismatch | None:
        actual = caller(obj.function, case)
        float32 = uses_float32(case) or (schedule and any(
            isinstance(x, np.ndarray | np.floating) and x.dtype == np.float32 for x in leaves(actual)))
        return classify(lambda d: expected(case, d), actual, candidates, alive, obj.declared or None,
                        float32=float32, scale=input_scale(case))

    probes = []
    for case in cases:
        try:
            probes.append({"case": jsonable(case), "result": jsonable(caller(obj.function, case))})
        except TargetError as exc:
            probes.append({"case": jsonable(case), "error": str(exc)})
    inputs = _strategies.sampled_from(obj.dtypes).flatmap(rule.inputs)
    if obj.fixed:
        inputs = inputs.map(lambda case: {**case, **obj.fixed})
    found = search(inputs, PROFILES[profile], check, caller, cases)
    matched = [f"{rule.spec_rule}/{d}" for d in candidates if d in alive]
    declared = f"{rule.spec_rule}/{obj.declared}" if obj.declared else f"{obj.rule} (no dialects)"
    if obj.base:
        declared += f" over {rule.base}/{obj.base}"
    if found is None:
        result = CheckResult("differential", "pass", f"declared {declared}: {obj.source}", probes=probes)
        return FunctionResult(obj.name, obj.rule, "pass", matched, [result])
    case, mismatch, _ = found
    message = f"declared {declared} ({obj.source}): {describe(mismatch)}"
    if mismatch.kind == "fail":
        message += (f"; it matches {', '.join(matched)} instead" if matched else
                    f"; it matches none of the spec's dialects ({', '.join(candidates)}): the "
                    "counterexample shows where it departs from the declared one")
    counterexample = {
        "function": obj.function, "args": jsonable([case]), "path": mismatch.path,
        "expected": jsonable(mismatch.expected), "actual": jsonable(mismatch.actual),
        "max_abs_error": mismatch.max_abs_error, "max_rel_error": mismatch.max_rel_error,
        "snippet": _framework_snippet(framework, obj, case, mismatch.path),
        **({"label": "the shell line that reproduces it", "language": "shell"} if framework.runtime == "node" else {})}
    check_result = CheckResult("differential", "error" if mismatch.kind == "error" else "fail", message,
                               counterexample if mismatch.path not in ("call", "check") else None, probes)
    return FunctionResult(obj.name, obj.rule, check_result.status, matched, [check_result])


def _framework_snippet(framework: Framework, obj: FrameworkObject, case: dict[str, Any], path: str) -> str:
    """Code that runs the framework object on ``case`` and ends with ``result`` and ``expected``
    (the declared dialect's value) at ``path``."""
    at = path[len("result"):] if path.startswith("result") else ""
    if framework.runtime == "node":
        from .frameworks import adapter_path, node_modules, trajectory_request

        request = json.dumps({"id": 1, "op": "trajectory", "args": trajectory_request(obj.function, case)})
        return (f"printf '%s\\n' {shlex.quote(request)} | node {shlex.quote(str(adapter_path(framework)))} "
                f"--modules {shlex.quote(str(node_modules(framework)))}\n")
    if _is_file(framework.module):
        load = (f"from gradspec.conformance import load_target\n\n"
                f"{obj.function} = load_target({str(Path(framework.module).resolve())!r}).{obj.function}  # {obj.name}")
    else:
        load = f"from {framework.module} import {obj.function}  # {obj.name}"
    return (f"import numpy as np\n{load}\n"
            f"from gradspec.conformance.frameworks import RULES\n\ncase = {literal(case)}\n"
            f"result = {obj.function}(case){at}\nexpected = RULES[{obj.rule!r}].expected(case, {obj.declared!r}"
            f"{f', base={obj.base!r}' if obj.base else ''}){at}\n")


# --- the command ---------------------------------------------------------------------------------------

def main(target: str | None, *, json_path: str | None, dialect_pairs: Iterable[str], profile: str,
         timeout: float, sandbox: str = "auto", max_reply_mb: float = DEFAULT_MAX_BYTES / 2**20,
         exec_command: str | None = None) -> int:
    """The ``gradspec verify`` command: 0 all conform, 1 a function failed or errored, 2 usage."""
    try:
        dialects = parse_dialects(dialect_pairs)
        progress = (lambda name: print(f"  verifying {name} ...", file=sys.stderr)) \
            if sys.stderr.isatty() else None
        if (target is None) == (exec_command is None):
            raise UsageError("name a TARGET, or pass --exec \"CMD ARGS\" for an implementation in another "
                             "language (not both)")
        report = verify(target or "", profile=profile, dialects=dialects, timeout=timeout, progress=progress,
                        sandbox=sandbox, max_reply_mb=max_reply_mb, exec_command=exec_command)
    except UsageError as exc:
        print(f"gradspec verify: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if json_path:
        write_json(report, json_path)
    return 0 if report.ok else 1
