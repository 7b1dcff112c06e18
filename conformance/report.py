"""What ``gradspec verify`` reports: the results as data, as text, as JSON, and each
counterexample as code that reproduces it when pasted into a fresh Python.

Nothing here checks anything; :mod:`gradspec.conformance.engine` fills these records.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ._worker import STREAM_SEED

__all__ = ["CheckResult", "FunctionResult", "Report", "format_report", "jsonable", "literal", "write_json"]

Status = Literal["pass", "fail", "error", "missing"]


@dataclass
class CheckResult:
    id: str
    #: ``skip``: the check does not apply under the declared dialects (``message`` says why).
    status: Literal["pass", "fail", "error", "skip"]
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
    #: The API version checked (``assignment:name``), and how it was chosen.
    version: str = ""
    #: What else the reader should know: helpers that fail, how the version was picked.
    notes: list[str] = field(default_factory=list)

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if c.status in ("fail", "error")), None)


@dataclass
class Report:
    gradspec_version: str
    target: str
    profile: str
    functions: list[FunctionResult]
    #: The versions of the packages a framework target ran on (empty for other targets).
    versions: dict[str, str] = field(default_factory=dict)
    #: Cells of a notebook (or top-level statements of a script) that failed while the target
    #: loaded, and were skipped: ``cell``, ``line``, ``first_line``, ``error``, ``kind``.
    load_problems: list[dict[str, Any]] = field(default_factory=list)
    #: Where the worker ran: ``"bwrap"`` (bubblewrap's sandbox) or ``"none"`` (a contained process).
    sandbox: str = "none"
    #: The command the text report's first line names, and what ``missing`` means for this kind of target.
    command: str = "verify"
    missing_means: str = "not defined by the target"

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
                "profile": self.profile, "sandbox": self.sandbox, "versions": self.versions,
                "load_problems": self.load_problems,
                "functions": [asdict(f) for f in self.functions], "summary": self.summary}


# --- values as data and as code ----------------------------------------------------------------

def jsonable(value: Any) -> Any:
    """``value`` as JSON data: arrays as ``{"array": nested lists, "dtype": ...}``."""
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def literal(value: Any) -> str:
    """Python source that rebuilds ``value`` exactly (arrays with their dtype)."""
    if isinstance(value, np.ndarray):
        return f"np.array({_floats(value.tolist())}, dtype=np.{value.dtype})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, np.generic):
        return literal(value.item())
    if isinstance(value, float) and not np.isfinite(value):
        return f"float({str(value)!r})"
    return repr(value)


def _floats(nested: Any) -> str:
    """``repr`` of nested lists, with non-finite floats written so that they evaluate."""
    if isinstance(nested, list):
        return "[" + ", ".join(_floats(v) for v in nested) + "]"
    return literal(nested)


# --- counterexamples as code ----------------------------------------------------------------------

def _load(target: str, stand_ins: Mapping[str, tuple[str, str, Mapping[str, Any]]]
          ) -> tuple[list[str], list[str]]:
    """Imports, and code that loads ``target`` as ``target`` with gradspec's functions standing
    in where the check judged a function alone."""
    if target.endswith((".py", ".ipynb")) or Path(target).exists():
        imports = ["from gradspec.conformance import load_target"]
        body = [f"target = load_target({str(Path(target).resolve())!r})"]
    else:
        imports, body = ["import importlib"], [f"target = importlib.import_module({target!r})"]
    for name, (module, attribute, kwargs) in sorted(stand_ins.items()):
        imports.append(f"import {module}")
        function = f"{module}.{attribute}"
        if kwargs:
            imports.append("import functools")
            function = f"functools.partial({function}, {', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
        body.append(f"target.{name} = {function}  # {name} is judged apart; gradspec's stands in")
    return imports, body


def snippet(target: str, calls: Sequence[tuple[str, tuple]], *, path: str, source: int | str = -1,
            stand_ins: Mapping[str, tuple[str, str, Mapping[str, Any]]] | None = None,
            oracle: tuple[str, str, Mapping[str, Any]] | None = None, expected_path: str = "expected",
            expected: Any = None, comment: str = "", random_streams: bool = False) -> str:
    """A script that makes the ``calls`` to the target and ends with ``result`` (what the target
    returned, at ``path``) and ``expected`` (the reference's ``oracle`` on the last call's
    arguments, at ``expected_path``; or the literal ``expected``). Inputs are deep-copied before
    every call, so that a function that changes its arguments cannot change the next call's;
    ``random_streams`` resets the global random streams before each call, as the verifier did."""
    imports, load = _load(target, stand_ins or {})
    if oracle is not None:
        imports.append(f"from {oracle[0]} import {oracle[1]} as reference")
    head = ["import copy", "import random"] if random_streams else ["import copy"]
    lines = [*head, "", "import numpy as np", *sorted(set(imports)), "", *load, ""]
    lines += [f"# {line}" for line in comment.splitlines()]
    single = len(calls) == 1
    for i, (name, args) in enumerate(calls, start=1):
        args_name, call_name = ("args", "result") if single else (f"args_{i}", f"call_{i}")
        lines.append(f"{args_name} = {literal(tuple(args))}")
        if random_streams:
            lines.append(f"np.random.seed({STREAM_SEED}); random.seed({STREAM_SEED})  # as gradspec verify "
                         "resets the global streams before every call")
        lines.append(f"{call_name} = target.{name}(*copy.deepcopy({args_name}))")
    suffix = path[len("result"):] if path.startswith("result") else ""
    if isinstance(source, str):  # an expression of the last call's value, ``{call}``
        lines.append(f"result = {source.format(call='result' if single else f'call_{len(calls)}')}")
    elif not single:
        lines.append(f"result = call_{(len(calls) - 1 if source == -1 else source) + 1}{suffix}")
    elif suffix:
        lines.append(f"result = result{suffix}")
    if oracle is not None:
        extra = "".join(f", {k}={v!r}" for k, v in oracle[2].items())
        args_name = "args" if single else f"args_{len(calls)}"
        lines.append(f"expected = reference(*copy.deepcopy({args_name}){extra}){expected_path[len('expected'):]}")
    elif expected is not None:
        lines.append(f"expected = {literal(expected)}")
    return "\n".join(lines) + "\n"


# --- text ---------------------------------------------------------------------------------------------

def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 300 else text[:297] + "..."


def format_report(report: Report) -> str:
    rows = [("function", "status", "dialects", "first failing check")]
    for f in report.functions:
        if f.status == "missing":
            continue
        failure = f.first_failure
        rows.append((f.name, f.status, ", ".join(f.dialects) or "-",
                     f"{failure.id}: {failure.message}" if failure else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"gradspec {report.gradspec_version} {report.command} {report.target} (profile {report.profile}, "
             f"sandbox {report.sandbox})", ""]
    for problem in report.load_problems:
        where = "line" if problem.get("kind") == "statement" else "cell"
        lines.append(f"skipped {where} {problem['cell']} ({problem['first_line']}): {problem['error']}")
    if report.load_problems:
        lines.append("")
    for i, row in enumerate(rows):
        head = "  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row[:3]))
        last = row[3] if len(row[3]) <= 100 else row[3][:97] + "..."
        lines.append(f"{head}  {last}")
        if i == 0:
            lines.append("-" * (sum(widths) + 6 + 19))
    for f in report.functions:
        shown = [c for c in f.checks if c.status in ("fail", "error")]
        if shown or (f.notes and f.status != "missing"):
            where = f" [{f.version}]" if f.version else ""
            if not shown:
                lines += ["", f"{f.name}{where}:", *(f"  {note}" for note in f.notes)]
        for check in shown:
            lines += ["", f"{f.name}: {check.id} {check.status.upper()}", f"  {check.message}"]
            if f.version:
                lines.append(f"  (API version {f.version})")
            lines += [f"  {note}" for note in f.notes if check is shown[0]]
            example = check.counterexample or {}
            if "snippet" in example:
                label = example.get("label", "minimal counterexample")  # code; or, over the protocol, requests
                lines += [f"  {label}:", *("    " + s for s in example["snippet"].splitlines())]
                errors = [f"max {kind} error {example[f'max_{kind}_error']:.3g}" for kind in ("abs", "rel")
                          if example.get(f"max_{kind}_error") is not None]
                if errors:
                    lines.append("  " + ", ".join(errors))
            if example.get("expected") is not None:
                lines.append(f"  expected {_short(example['expected'])}")
            if example.get("actual") is not None:
                lines.append(f"  got      {_short(example['actual'])}")
            if "printed" in example:
                lines += [f"  printed  {_short(example['printed'])}", f"  computed {_short(example['computed'])}"]
    missing = [f.name for f in report.functions if f.status == "missing"]
    if missing:
        lines += ["", f"missing ({report.missing_means}): " + ", ".join(missing)]
    s = report.summary
    lines += ["", f"{s['pass']} pass, {s['fail']} fail, {s['error']} error, {s['missing']} missing"]
    return "\n".join(lines)


def write_json(report: Report, path: str | os.PathLike[str]) -> None:
    Path(path).write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
