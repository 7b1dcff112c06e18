"""The documentation site, built from the spec.

``mkdocs.yml`` names this file under ``hooks:``. At build time it

* writes one page per rule family (:data:`gradspec.spec.FAMILIES`): each formula's LaTeX from
  its SymPy expression, the identities the tests prove (both sides as SymPy holds them), the
  dialects with their formulas and sources, the hyperparameters' domains, and a worked example
  that recomputes the seeds' printed numbers with the reference;
* writes the errata and conventions page from :data:`gradspec.spec.ERRATA` and the canonical
  dialects' reasons, and one API page per public module (rendered by mkdocstrings);
* draws the figures with the reference, and the replays' plots from the replay data
  committed in ``docs/data/replay.json`` (written by ``nox -s replay``); renders the
  frameworks' verdict table from ``docs/data/frameworks.json`` (``nox -s frameworks``);
* replaces the ``<!-- gradspec: NAME -->`` directives of the hand-written pages
  (:data:`DIRECTIVES`);
* lays the installed package's modules out under ``build/api-src/`` (links to the source
  tree, as ``pyproject.toml`` maps them), so that mkdocstrings finds ``gradspec.spec``,
  ``gradspec.reference`` and ``gradspec.conformance`` with an editable install too.

KaTeX is vendored in ``docs/assets/katex/`` (the npm package pinned in ``package.json``;
``nox -s katex`` checks the copy), so the site loads nothing from another host and a reader
needs no npm.

Nothing on a spec page is typed by hand: change an expression in the spec and the page
changes with it. The functions that return Markdown need neither MkDocs nor a browser, so the
tests call them directly.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import sympy as sp

from gradspec import spec
from gradspec.conformance.pinned import PinnedCase, mismatches
from gradspec.conformance.seeds import CASES
from gradspec.spec import Dialect, Formula, Identity

__all__ = [
    "API_MODULES",
    "DIRECTIVES",
    "FAMILY_TITLES",
    "WORKED_EXAMPLES",
    "RstToMarkdown",
    "api_page",
    "errata_page",
    "family_page",
    "family_path",
    "figures",
    "generated_pages",
    "render_directives",
    "rst_to_markdown",
]

#: Page titles of the rule families, in :data:`gradspec.spec.FAMILIES` order.
FAMILY_TITLES: dict[str, str] = {
    "activations": "Activations",
    "layers": "Linear layers",
    "losses": "Losses",
    "regularization": "Regularization and dropout",
    "averages": "Exponentially weighted averages",
    "optimizers": "Optimizers",
    "schedules": "Learning-rate schedules",
    "initialization": "Initialization",
    "gradient checking": "Gradient checking",
    "mini-batches": "Mini-batches",
}

#: The seeds' pinned cases (:data:`gradspec.conformance.seeds.CASES`) each family page works through.
WORKED_EXAMPLES: dict[str, tuple[str, ...]] = {
    "activations": (),
    "layers": (),
    "losses": ("softmax-example", "logistic-cost-at-zero"),
    "regularization": (),
    "averages": ("ewa-temperature",),
    "optimizers": ("gd", "momentum", "adam-000", "adam-001", "zero-initializations"),
    "schedules": ("learning-rate-prints", "inverse-time-table"),
    "initialization": ("parameter-counts",),
    "gradient checking": ("gradient-check-cube",),
    "mini-batches": ("mini-batches", "mini-batch-sanity-check"),
}

#: The modules the API reference documents, one page each, with their public names (``__all__``).
API_MODULES: tuple[str, ...] = (
    "gradspec.reference.activations",
    "gradspec.reference.losses",
    "gradspec.reference.regularization",
    "gradspec.reference.optimizers",
    "gradspec.reference.schedules",
    "gradspec.reference.initialization",
    "gradspec.reference.layers",
    "gradspec.reference.gradcheck",
    "gradspec.reference.minibatch",
    "gradspec.reference.notebook",
    *(f"gradspec.reference.course.{m}" for m in ("logistic", "shallow", "deep", "initialization", "regularization",
                                                  "gradient_checking", "optimization")),
    "gradspec.spec",
    "gradspec.conformance.verify",
    "gradspec.conformance.sandbox",
    "gradspec.conformance.api",
    "gradspec.conformance.testing",
    "gradspec.conformance.compare",
    "gradspec.conformance.pinned",
    "gradspec.conformance.frameworks",
    "gradspec.conformance.replays",
)

_FENCE = "$$"
#: Identities whose two sides are longer than this (in LaTeX characters) are folded away.
_LONG_LATEX = 400


# --------------------------------------------------------------------------------------------
# Small renderers
# --------------------------------------------------------------------------------------------

def family_path(family: str) -> str:
    """The site path of a family's page, e.g. ``spec/gradient-checking.md``."""
    if family not in spec.FAMILIES:
        raise KeyError(f"no rule family {family!r}; families: {list(spec.FAMILIES)}")
    return f"spec/{family.replace(' ', '-')}.md"


def _display(latex: str) -> str:
    return f"{_FENCE}\n{latex}\n{_FENCE}"


def _symbol_latex(name: str) -> str:
    return spec.LATEX_NAMES.get(name) or sp.latex(sp.Symbol(name))


def _sources(sources: Iterable[spec.Source]) -> str:
    return "; ".join(str(s) for s in sources) or "—"


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _rules_of(module: Any) -> dict[str, tuple[Dialect, ...]]:
    rules = dict.fromkeys(d.rule for d in getattr(module, "DIALECTS", ()))
    return {rule: spec.dialects_of(rule) for rule in rules}


def _family_of_rule(rule: str) -> str:
    for family, module in spec.FAMILIES.items():
        if any(d.rule == rule for d in getattr(module, "DIALECTS", ())):
            return family
    raise KeyError(f"rule {rule!r} belongs to no family")


def _formula_section(formula: Formula, level: int = 3) -> str:
    lines = [f"{'#' * level} `{formula.name}` {{#{_anchor(formula.name)}}}", "", _display(formula.latex), ""]
    if formula.note:
        lines += [formula.note, ""]
    facts = [f"*Sources:* {_sources(formula.sources)}."]
    if formula.specializes is not None:
        base = formula.specializes
        facts.append(f"*A special case of* [`{base.name}`]({_formula_link(base)}), evaluated by its kernel.")
    if formula.evaluated_by is not None:
        facts.append(f"*Evaluated by* the generated kernel `gradspec.reference._kernels.{formula.evaluated_by}`.")
    return "\n".join(lines) + "\n" + "  \n".join(facts) + "\n"


def _formula_link(formula: Formula) -> str:
    """A link to ``formula``'s section from a family page (they are all in ``spec/``)."""
    for family, module in spec.FAMILIES.items():
        if formula in module.FORMULAS:
            return f"{family_path(family).removeprefix('spec/')}#{_anchor(formula.name)}"
    raise KeyError(f"formula {formula.name!r} is in no family's FORMULAS")


def _identity_section(identity: Identity) -> str:
    """The statement, then the two expressions SymPy proves equal (a derivative is ``sympy.diff``'s)."""
    lhs, rhs = sp.latex(identity.lhs), sp.latex(identity.rhs)
    proof = (f"SymPy's two sides, whose difference `sympy.simplify` reduces to 0 "
             f"(`tests/test_spec.py::test_identity_is_proven`):\n\n{_display(lhs + ' = ' + rhs)}")
    if len(lhs) + len(rhs) > _LONG_LATEX:
        proof = '??? note "SymPy\'s two sides (long)"\n' + textwrap.indent(proof, "    ")
    return f"### {identity.name}\n\n{_display(identity.statement)}\n\n{proof}\n"


def _dialect_section(rule: str, dialects: tuple[Dialect, ...]) -> str:
    lines = [f"### `{rule}` {{#rule-{_anchor(rule)}}}", ""]
    for d in dialects:
        flag = " (canonical)" if d.canonical else ""
        lines += [f"#### `{d.id}`{flag} {{#{_anchor(d.id)}}}", "", d.summary + ".", ""]
        for step, formula in d.formulas.items():
            lines += [f"Step *{step}* (`{formula.name}`):", "", _display(formula.latex), ""]
            if formula.note:
                lines += [formula.note, ""]
        facts = [f"*Sources:* {_sources(d.sources)}."]
        if d.also_known_as:
            facts.append(f"*Also:* {', '.join(d.also_known_as)}.")
        if d.why:
            facts.append(f"*Why gradspec chose it:* {d.why}")
        lines += ["  \n".join(facts), ""]
    return "\n".join(lines)


def _domains_table(formulas: Iterable[Formula]) -> str:
    names = sorted({s.name for f in formulas for s in f.args if s.name in spec.DOMAINS})
    if not names:
        return "The formulas on this page take no hyperparameters.\n"
    rows = ["| symbol | argument | admissible values | what the error message suggests |", "|---|---|---|---|"]
    for name in names:
        domain = spec.DOMAINS[name]
        rows.append(f"| ${_symbol_latex(name)}$ | `{name}` | `{domain.text}` | {domain.hint} |")
    return "\n".join(rows) + "\n"


def _cell(value: object) -> str:
    """A value for a Markdown table cell: one code span per printed line."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, tuple):
        text = str(value)
    else:
        arr = np.asarray(value)
        text = np.array2string(arr, precision=10, floatmode="maxprec") if arr.ndim else repr(arr.item())
    return "<br>".join(f"`{line}`" for line in text.splitlines())


def _pinned_example(case: PinnedCase) -> str:
    import importlib

    bad = mismatches(case)  # the pinned tests' own rule: errata must differ, the rest reproduce
    if bad:
        raise AssertionError(f"pinned case {case.id!r} does not behave as pinned in {sorted(bad)}; "
                             "the tests fail too (tests/test_pinned.py)")
    computed = case.compute(importlib.import_module(case.api))
    sources = "; ".join(f"seed {seed}, {section}" for seed, section in case.sources)
    lines = [f"### {case.description}", "", f"*Printed in:* {sources}. *Pinned case* `{case.id}`.", "",
             "| entry | printed by the seed | the reference computes | |", "|---|---|---|---|"]
    for name, printed in case.printed.items():
        erratum = case.errata.get(name)
        verdict = (f"a misprint: [{erratum}](../errata.md#{_anchor(erratum)})" if erratum
                   else "reproduced at the printed precision")
        lines.append(f"| `{name}` | {_cell(printed.text)} | {_cell(computed[name])} | {verdict} |")
    return "\n".join(lines) + "\n"


def _reference_example(family: str) -> str:
    """For the families whose seeds print no numbers: the reference on small inputs."""
    from gradspec import reference as R

    if family == "activations":
        z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
        one = np.ones_like(z)
        rows = {
            "sigmoid(z)": R.sigmoid(z), "sigmoid_backward(1, z)": R.sigmoid_backward(one, z),
            "tanh(z)": R.tanh(z), "tanh_backward(1, z)": R.tanh_backward(one, z),
            "relu(z)": R.relu(z), "relu_grad(z)": R.relu_grad(z),
            "leaky_relu(z, alpha=0.01)": R.leaky_relu(z, alpha=0.01),
            "leaky_relu_grad(z, alpha=0.01)": R.leaky_relu_grad(z, alpha=0.01),
        }
        intro = "At z = (−2, −0.5, 0, 0.5, 2):"
    elif family == "layers":
        W, b = np.array([[1.0, -1.0, 2.0], [0.5, 0.0, -0.5]]), np.array([[0.1], [-0.2]])
        A_prev, dZ = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]]), np.array([[0.5, -1.0], [2.0, 1.0]])
        dW, db, dA_prev = R.linear_backward(dZ, W, A_prev, per_example=True)
        rows = {
            "linear_forward(W, b, A_prev)": R.linear_forward(W, b, A_prev),
            "linear_backward(dZ, W, A_prev, per_example=True): dW": dW,
            "linear_backward(dZ, W, A_prev, per_example=True): db": db,
            "linear_backward(dZ, W, A_prev, per_example=True): dA_prev": dA_prev,
        }
        intro = ("With W = [[1, −1, 2], [0.5, 0, −0.5]], b = [[0.1], [−0.2]], A_prev = [[1, 2], [0, −1], [3, 1]] "
                 "(two examples, as columns) and the per-example dZ = [[0.5, −1], [2, 1]]:")
    elif family == "regularization":
        W1, W2 = np.array([[1.0, -2.0], [3.0, 0.0]]), np.array([[0.5, -0.5]])
        a, mask = np.array([[0.2, 0.4, 0.6]]), np.array([[1.0, 0.0, 1.0]])
        rows = {
            "l2_cost([W1, W2], lambd=0.7, m=5)": R.l2_cost([W1, W2], lambd=0.7, m=5),
            "l2_grad(W1, lambd=0.7, m=5)": R.l2_grad(W1, lambd=0.7, m=5),
            "inverted_dropout(a, mask, keep_prob=0.8)": R.inverted_dropout(a, mask, keep_prob=0.8),
        }
        intro = ("With W1 = [[1, −2], [3, 0]], W2 = [[0.5, −0.5]], a = [[0.2, 0.4, 0.6]] and the mask "
                 "[[1, 0, 1]]:")
    else:
        raise KeyError(f"no reference example for {family!r}")
    lines = ["The seeds print no numbers for these functions. This is what the reference "
             "(`gradspec.reference`) computes, for checking your own against.", "", intro, "",
             "| call | result |", "|---|---|"]
    lines += [f"| `{call}` | {_cell(value)} |" for call, value in rows.items()]
    return "\n".join(lines) + "\n"


def _module_intro(module: Any) -> str:
    doc = (module.__doc__ or "").strip()
    return rst_to_markdown(doc.split("\n\n")[0].replace("\n", " "))


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------

def family_page(family: str) -> str:
    """The Markdown of one rule family's page, from the spec's objects."""
    module = spec.FAMILIES[family]
    title = FAMILY_TITLES[family]
    rules = _rules_of(module)
    parts = [f"# {title}", "", _module_intro(module), "",
             "Every formula on this page is rendered from the spec's SymPy expression when the site "
             "is built; the NumPy kernels are generated from the same expressions "
             "(`python -m gradspec.spec.codegen`).", ""]
    if family == "initialization":
        parts += ["Dropout is on the [regularization page](regularization.md#inverted-dropout), where "
                  "the spec (after seed 002) puts it.", ""]
    parts += ["## Formulas", ""]
    parts += [_formula_section(f) for f in module.FORMULAS]
    for path, figure in _FIGURES.items():
        if figure.family == family:
            parts += [f"![{figure.caption}](../{path})", "", f"*{figure.caption}*", ""]
    if rules:
        parts += ["## Dialects", "",
                  "Where the sources disagree, each convention is a named dialect; the canonical one is "
                  "what the reference computes by default, and `gradspec verify` names the one an "
                  "implementation follows.", ""]
        parts += [_dialect_section(rule, dialects) for rule, dialects in rules.items()]
    identities = module.IDENTITIES
    parts += ["## Proven identities", ""]
    if identities:
        parts += ["Each statement is checked symbolically by the test suite.", ""]
        parts += [_identity_section(i) for i in identities]
    else:
        parts += ["This family has no symbolic identities; its properties are checked on generated "
                  "inputs by `gradspec verify` (see [What is checked](../verifying.md#what-is-checked)).", ""]
    formulas = [*module.FORMULAS, *(f for ds in rules.values() for d in ds for f in d.formulas.values())]
    parts += ["## Hyperparameters", "", _domains_table(formulas), "## Worked example", ""]
    cases = [c for c in CASES if c.id in WORKED_EXAMPLES[family]]
    parts += [_pinned_example(c) for c in cases] if cases else [_reference_example(family)]
    return "\n".join(parts)


def errata_page() -> str:
    """Every misprint in the seeds, and every convention on which they disagree."""
    parts = ["# Errata and conventions", "",
             "The seeds disagree with each other, and a few misprint. A disagreement between two "
             "correct conventions is a *dialect*: gradspec names each one, picks a canonical one and "
             "says why. A misprint is an *erratum*: the printed text and the corrected one are below, "
             "and where a seed printed numbers from it, the tests check that the reference does "
             "*not* reproduce the misprint.", "", "## Conventions", "",
             "| rule | canonical dialect | the others | page |", "|---|---|---|---|"]
    rules = dict.fromkeys(d.rule for d in spec.DIALECTS)
    for rule in rules:
        canonical, *others = spec.dialects_of(rule)
        family = _family_of_rule(rule)
        parts.append(f"| `{rule}` | `{canonical.name}` | {', '.join(f'`{d.name}`' for d in others)} | "
                     f"[{FAMILY_TITLES[family]}]({family_path(family)}#rule-{_anchor(rule)}) |")
    parts.append("")
    for rule in rules:
        canonical = spec.CANONICAL[rule]
        parts += [f"### Why `{canonical.id}`", "", canonical.why or canonical.summary + ".", ""]
    parts += ["## Errata", ""]
    for erratum in spec.ERRATA:
        parts += [f"### `{erratum.id}` {{#{_anchor(erratum.id)}}}", "", f"*Where:* {erratum.source}.", "",
                  f"Printed: {_erratum_text(erratum.printed)}", "",
                  f"Correct: {_erratum_text(erratum.correct)}", "", erratum.explanation, ""]
    return "\n".join(parts)


def _erratum_text(text: str) -> str:
    if "\\" in text:  # LaTeX, as the seed typeset it
        return f"${text}$"
    return f"`{text}`"


def api_page(module: str) -> str:
    """An API page: mkdocstrings renders the module's public names (``__all__``) and docstrings."""
    return f"# `{module}`\n\n::: {module}\n"


def generated_pages() -> dict[str, str]:
    """Every page the build writes, by site path."""
    pages = {family_path(f): family_page(f) for f in spec.FAMILIES}
    pages["errata.md"] = errata_page()
    pages.update({f"api/{m.removeprefix('gradspec.')}.md": api_page(m) for m in API_MODULES})
    return pages


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------

def figures() -> dict[str, bytes]:
    """The figures as PNG bytes, by site path, computed with the reference."""
    from gradspec.plots import require_matplotlib

    require_matplotlib()
    from matplotlib.figure import Figure
    out = {}
    for path, figure in _FIGURES.items():
        fig = Figure(figsize=(11, 3.8), dpi=110, layout="constrained")
        figure.draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        out[path] = buffer.getvalue()
    return out


def _draw_ewa(fig: Any) -> None:
    from gradspec.reference import exponentially_weighted_average

    left, right = fig.subplots(1, 2)
    case = next(c for c in CASES if c.id == "ewa-temperature")
    theta = [40.0, 49.0, 45.0]
    days = np.arange(1, 4)
    plain = exponentially_weighted_average(theta, beta=0.9)
    corrected = exponentially_weighted_average(theta, beta=0.9, bias_correction=True)
    left.plot(days, theta, "ko", label="θ (temperature)")
    left.plot(days, plain, "s-", label="v, uncorrected")
    left.plot(days, corrected, "^-", label="v / (1 − βᵗ)")
    for day, value, printed in zip(days, plain, case.printed.values(), strict=True):
        left.annotate(f"{printed.text} (seed)", (day, value), textcoords="offset points", xytext=(6, -12))
    left.set(xlabel="day t", ylabel="°", title="seed 003: 40, 49, 45; β = 0.9", xticks=days)
    left.legend(loc="center right")
    rng = np.random.default_rng(3)
    t = np.arange(1, 61)
    synthetic = 45 + 8 * np.sin(t / 12) + rng.normal(0, 3, t.size)
    right.plot(t, synthetic, "k.", ms=4, label="θ (synthetic)")
    for beta in (0.9, 0.98):
        line, = right.plot(t, exponentially_weighted_average(synthetic, beta=beta), "--", label=f"β = {beta}")
        right.plot(t, exponentially_weighted_average(synthetic, beta=beta, bias_correction=True), "-",
                   color=line.get_color(), label=f"β = {beta}, corrected")
    right.set(xlabel="day t", title="dashed: uncorrected; solid: bias-corrected")
    right.legend(fontsize="small", ncols=2)


def _draw_schedules(fig: Any) -> None:
    from gradspec.reference import schedules as S

    ax = fig.subplots()
    epochs = np.linspace(0, 60, 601)
    curves = {
        "inverse-time, continuous": lambda e: S.inverse_time_decay(0.2, e, decay_rate=1 / 10),
        "inverse-time, staircase (T = 10)": lambda e: S.staircase_decay(0.2, e, decay_rate=1, time_interval=10),
        "exponential, continuous": lambda e: S.exponential_decay(0.2, e / 10, k=0.5),
        "exponential, staircase (T = 10)": lambda e: S.exponential_staircase_decay(0.2, e, k=0.5,
                                                                                   time_interval=10),
        "k α₀ / √epoch (k = 1, from epoch 1)": lambda e: S.inverse_sqrt_decay(0.2, e, k=1) if e >= 1 else np.nan,
    }
    for label, schedule in curves.items():
        ax.plot(epochs, [schedule(float(e)) for e in epochs], label=label)
    ax.set(xlabel="epoch", ylabel="α", ylim=(0, 0.21), title="α₀ = 0.2")
    ax.legend()


def _draw_dialects(fig: Any) -> None:
    from gradspec.reference import trajectory

    adam_ax, rms_ax, mom_ax = fig.subplots(1, 3)
    g = np.logspace(-4, 1, 200)
    w = np.zeros_like(g)
    for ax, rule, hp in ((adam_ax, "adam", {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-2}),
                         (rms_ax, "rmsprop", {"beta2": 0.999, "epsilon": 1e-2})):
        for d in spec.dialects_of(rule):
            w1 = trajectory(rule, w, [g], learning_rate=1.0, dialect=d.name, **hp)[-1]
            ax.loglog(g, np.abs(w1), label=d.name + (" (canonical)" if d.canonical else ""))
        ax.set(xlabel="g", ylabel="|Δw| / α, first step", title=rule)
        ax.legend(fontsize="small")
    steps = 20
    rates = [0.1 if i < 10 else 0.05 for i in range(steps)]
    for d in spec.dialects_of("momentum"):
        path = trajectory("momentum", np.zeros(1), [np.ones(1)] * steps, learning_rate=rates,
                          dialect=d.name, beta=0.9)
        label = d.name + (" (canonical)" if d.canonical else "")
        mom_ax.plot(range(steps + 1), [0.0, *(p[0] for p in path)], label=label)
    mom_ax.set(xlabel="step", ylabel="w", title="momentum")
    mom_ax.legend(fontsize="small")


class _Figure(NamedTuple):
    family: str  # the family page that shows it
    caption: str
    draw: Callable[[Any], None]  # fills a matplotlib Figure


#: The figures, by site path.
_FIGURES: dict[str, _Figure] = {
    "img/ewa-temperature.png": _Figure(
        "averages", "Seed 003's temperature example: the average without bias correction starts at 0 "
                    "and lags; divided by 1 − βᵗ it starts at the data. Right: the same on 60 synthetic "
                    "days, for β = 0.9 and 0.98.", _draw_ewa),
    "img/schedules.png": _Figure(
        "schedules", "The decay schedules from α₀ = 0.2: inverse-time, continuous (r = 0.1 per epoch) and "
                     "staircase (r = 1 every T = 10 epochs); exponential, continuous and staircase (k = 0.5 "
                     "every 10 epochs); and kα₀/√epoch (k = 1).", _draw_schedules),
    "img/dialects.png": _Figure(
        "optimizers", "Where the dialects part. Left and middle: the first step's size |Δw|/α against "
                      "the gradient g (ε = 10⁻², β₁ = 0.9, β₂ = 0.999); they agree for |g| ≫ √ε and part "
                      "below. Right: momentum from w = 0 with g = 1, β = 0.9 and α halved at step 10.", _draw_dialects),
}


# --------------------------------------------------------------------------------------------
# Directives in the hand-written pages
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    """Where a build reads what other commands wrote (the replay, the frameworks)."""

    root: Path


def _dialect_list(ctx: _Context) -> str:
    lines = []
    for rule in dict.fromkeys(d.rule for d in spec.DIALECTS):
        page = family_path(_family_of_rule(rule))
        names = ", ".join(f"`{d.name}`" + (" (canonical)" if d.canonical else "") for d in spec.dialects_of(rule))
        lines.append(f"- [`{rule}`]({page}#rule-{_anchor(rule)}): {names}")
    return "\n".join(lines) + "\n"


def _dialect(ctx: _Context, dialect_id: str) -> str:
    """One dialect's formulas, rendered from the spec, with a link to its section."""
    d = spec.dialect(dialect_id)
    page = family_path(_family_of_rule(d.rule))
    displays = "\n\n".join(_display(f.latex) for f in d.formulas.values())
    return f"{displays}\n\n([`{d.id}`]({page}#{_anchor(d.id)}) in the spec.)\n"


def _tolerances(ctx: _Context) -> str:
    from gradspec.conformance.compare import TOLERANCES

    lines = ["| inputs | rtol | atol | rtol in units in the last place |", "|---|---|---|---|"]
    for dtype, (rtol, atol) in TOLERANCES.items():
        ulps = rtol / np.finfo(dtype).eps
        lines.append(f"| {dtype} | {rtol:g} | {atol:g} | about {ulps:,.0f} |")
    return "\n".join(lines) + "\n"


#: The data the site shows, committed: ``nox -s replay`` and ``nox -s frameworks`` write them,
#: CI checks that running them again gives the same data (``python -m gradspec.sitedata check``).
REPLAY_DATA = "docs/data/replay.json"
FRAMEWORKS_DATA = "docs/data/frameworks.json"


def _data(ctx: _Context, path: str, session: str) -> Any:
    file = ctx.root / path
    if not file.is_file():
        raise FileNotFoundError(f"{file} is missing: it is committed data, written by `nox -s {session}`. "
                                f"Restore it with `git checkout -- {path}`, or run `nox -s {session}`.")
    return json.loads(file.read_text(encoding="utf-8"))


def _replay_runs(ctx: _Context) -> str:
    report = _data(ctx, REPLAY_DATA, "replay")
    versions = ", ".join(f"{k} {v}" for k, v in report["environment"].items())
    parts = [f"Replayed on {versions} (`{REPLAY_DATA}`, written by "
             "`nox -s replay`; CI replays the runs again and checks that it gets the same data).", ""]
    if report.get("epochs_limit") is not None:
        parts += [f'!!! warning "A partial replay"\n    These plots come from a replay limited to '
                  f"{report['epochs_limit']} epochs; `nox -s replay` writes the full one.", ""]
    parts += ["![The cost curves of all ten runs, one panel per seed](replays/optimizers.png)", ""]
    for run in report["runs"]:
        verdict = "every printed value reproduced" if run["match"] else "**a printed value differs**"
        parts += [f"### `{run['id']}` {{#{_anchor(run['id'])}}}", "",
                  f"Seed {run['seed']}, {run['section']}: {run['optimizer']}, learning rate "
                  f"{run['learning_rate']:g}, {run['epochs_run']} epochs; {verdict}.", "",
                  f"![{run['id']}: cost curve and decision boundary](replays/{run['id']}.png)", "",
                  "| the seed printed | gradspec computes | |", "|---|---|---|"]
        parts += [f"| `{line['seed']}` | `{line['computed']}` | {'✓' if line['match'] else '✗'} |"
                  for line in run["printed"]]
        parts.append("")
    return "\n".join(parts)


def _frameworks_table(ctx: _Context) -> str:
    from gradspec.conformance.frameworks import table

    return table(_data(ctx, FRAMEWORKS_DATA, "frameworks"))


def _api_versions(ctx: _Context) -> str:
    """Every version of the course's API, assignment by assignment, from the registry."""
    from gradspec.conformance.api import ASSIGNMENTS

    parts = []
    for name, module in ASSIGNMENTS.items():
        parts += [f"**{module.TITLE}** (`{name}`)", "", "| version | signature | what it computes |", "|---|---|---|"]
        parts += [f"| `{v.id}` | `{v.signature}` | {v.summary.replace('|', '/')} |" for v in module.VERSIONS]
        parts.append("")
    return "\n".join(parts)


def _protocol_ops(ctx: _Context) -> str:
    """Every op of protocol v1: its parameters, its result and the rule whose dialects it has."""
    from gradspec.conformance.protocol import OPS

    lines = ["| op | arguments | result | dialects of |", "|---|---|---|---|"]
    for op in OPS.values():
        result = "{" + ", ".join(f'"{f}"' for f in op.fields) + "}" if op.fields else "one value"
        rule = f"[`{op.rule}`]({family_path(_family_of_rule(op.rule))}#rule-{_anchor(op.rule)})" if op.rule else "-"
        lines.append(f"| `{op.name}` | {', '.join(f'`{p}`' for p in op.params)} | {result} | {rule} |")
    return "\n".join(lines) + "\n"


#: ``<!-- gradspec: NAME [ARGUMENT] -->`` in a hand-written page is replaced by
#: ``DIRECTIVES[NAME](context[, ARGUMENT])``.
DIRECTIVES: dict[str, Callable[..., str]] = {
    "dialect": _dialect,
    "dialect-list": _dialect_list,
    "api-versions": _api_versions,
    "tolerances": _tolerances,
    "replay-runs": _replay_runs,
    "frameworks-table": _frameworks_table,
    "protocol-ops": _protocol_ops,
}

_DIRECTIVE = re.compile(r"<!--\s*gradspec:\s*([\w-]+)(?:\s+(\S+))?\s*-->")


def render_directives(markdown: str, *, root: Path) -> str:
    """Replace each ``<!-- gradspec: NAME [ARGUMENT] -->`` in ``markdown``; ``root`` is the
    project's root."""
    ctx = _Context(root)

    def replace(match: re.Match[str]) -> str:
        name, argument = match.groups()
        if name not in DIRECTIVES:
            raise KeyError(f"unknown directive <!-- gradspec: {name} -->; known: {sorted(DIRECTIVES)}")
        return DIRECTIVES[name](ctx) if argument is None else DIRECTIVES[name](ctx, argument)

    return _DIRECTIVE.sub(replace, markdown)


# --------------------------------------------------------------------------------------------
# Docstrings: reStructuredText roles to the site's Markdown
# --------------------------------------------------------------------------------------------

_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_OTHER_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|data|attr|meth|obj|exc|const):`~?([^`]+)`")
_MATH_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*\n(?P<body>(?:(?P=indent)[ \t]+\S.*\n?|[ \t]*\n)+)",
                         re.MULTILINE)


def rst_to_markdown(text: str) -> str:
    r"""The docstrings are reStructuredText (``:math:`...```, ``.. math::``, ``:func:`...```); the
    site renders Markdown. Math becomes ``$...$`` and ``$$...$$``, cross-reference roles code."""

    def block(match: re.Match[str]) -> str:
        body = textwrap.dedent(match.group("body")).strip()
        indent = match.group("indent")
        return f"{indent}$$\n{textwrap.indent(body, indent)}\n{indent}$$\n\n"

    text = _MATH_BLOCK.sub(block, text)
    text = _MATH_ROLE.sub(lambda m: f"${m.group(1)}$", text)
    return _OTHER_ROLE.sub(lambda m: f"`{m.group(1)}`", text)


try:
    import griffe
except ImportError:  # the docs extra is not installed: only the page functions are usable
    griffe = None

if griffe is not None:
    class RstToMarkdown(griffe.Extension):
        """A griffe extension (``mkdocs.yml``, mkdocstrings' ``extensions``) applying :func:`rst_to_markdown`
        to every docstring."""

        def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
            if obj.docstring is not None:
                obj.docstring.value = rst_to_markdown(obj.docstring.value)
else:  # pragma: no cover
    RstToMarkdown = None  # type: ignore[assignment,misc]


# --------------------------------------------------------------------------------------------
# The MkDocs hooks
# --------------------------------------------------------------------------------------------

#: The files of the ``katex`` npm package (``package.json`` pins it) that the site serves, vendored
#: in :data:`KATEX_DIR`: paths in the package, and where they go.
_KATEX_FILES = {"LICENSE": "LICENSE", "dist/katex.min.js": "katex.min.js", "dist/katex.min.css": "katex.min.css",
                "dist/contrib/auto-render.min.js": "contrib/auto-render.min.js"}
KATEX_DIR = "docs/assets/katex"


def katex_files(package: Path) -> dict[str, Path]:
    """The vendored KaTeX's files (paths under :data:`KATEX_DIR`) and where each comes from in the
    npm package at ``package`` (``node_modules/katex``): the script, the style sheet, auto-render,
    the WOFF2 fonts the style sheet names first, and the licence."""
    files = {dest: package / src for src, dest in _KATEX_FILES.items()}
    files.update({f"fonts/{font.name}": font for font in sorted((package / "dist" / "fonts").glob("*.woff2"))})
    return files


def katex_drift(root: Path, *, write: bool = False) -> list[str]:
    """How :data:`KATEX_DIR` differs from the npm package in ``root/node_modules/katex`` (``npm ci``):
    one line per file that is missing, stale or extra. With ``write``, make the copy match first."""
    package = root / "node_modules" / "katex"
    if not (package / "package.json").is_file():
        raise FileNotFoundError(f"{package} is missing: run `npm ci` in {root} first (package.json pins KaTeX)")
    vendored = root / KATEX_DIR
    expected = katex_files(package)
    if write:
        for dest, src in expected.items():
            (vendored / dest).parent.mkdir(parents=True, exist_ok=True)
            (vendored / dest).write_bytes(src.read_bytes())
        for extra in sorted(p for p in vendored.rglob("*") if p.is_file()):
            if extra.relative_to(vendored).as_posix() not in expected:
                extra.unlink()
    drift = []
    for dest, src in expected.items():
        if not (vendored / dest).is_file():
            drift.append(f"{KATEX_DIR}/{dest}: missing (npm has {src})")
        elif (vendored / dest).read_bytes() != src.read_bytes():
            drift.append(f"{KATEX_DIR}/{dest}: differs from {src}")
    present = sorted(p.relative_to(vendored).as_posix() for p in vendored.rglob("*") if p.is_file())
    drift += [f"{KATEX_DIR}/{name}: not in the npm package" for name in present if name not in expected]
    return drift


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def api_source_tree(root: Path) -> Path:
    """``root/build/api-src``: the package ``gradspec`` as it is installed, made of links into the
    source tree (``pyproject.toml``'s ``package-dir``: ``spec/`` is ``gradspec.spec``, and so on).
    mkdocstrings (``paths`` in ``mkdocs.yml``) reads the modules there, so the API pages document
    this tree whether gradspec is installed editable or not."""
    import shutil
    import tomllib

    mapping = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    tree = root / "build" / "api-src"
    if tree.exists():
        shutil.rmtree(tree)
    for package, folder in sorted(mapping.items()):
        target = tree.joinpath(*package.split("."))
        if target.is_symlink():  # already inside a linked parent (conformance/adapters)
            continue
        if package.count(".") == 0:
            target.mkdir(parents=True)
            for entry in sorted((root / folder).iterdir()):
                if entry.name != "__pycache__":
                    (target / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
        elif not target.exists():
            target.symlink_to((root / folder).resolve(), target_is_directory=True)
    return tree


def on_config(config: Any) -> Any:
    """Lay out :func:`api_source_tree` before mkdocstrings looks for the modules (it resolves its
    ``paths`` in its own ``on_config``: this hook runs first, :data:`on_config.mkdocs_priority`)."""
    api_source_tree(_root(config))
    return config


on_config.mkdocs_priority = 100  # what mkdocs.plugins.event_priority(100) sets, without importing MkDocs here


def _replay_plots(root: Path) -> dict[str, bytes]:
    """The replays page's plots (PNG bytes by site path), drawn from the committed replay data."""
    from gradspec.conformance.replays import Replay
    from gradspec.plots import plot_optimizers, plot_run

    report = _data(_Context(root), REPLAY_DATA, "replay")
    replays = [Replay.from_record(record) for record in report["runs"]]
    out = {}
    for replay in replays:
        buffer = io.BytesIO()
        plot_run(replay, buffer)
        out[f"replays/{replay.run.id}.png"] = buffer.getvalue()
    buffer = io.BytesIO()
    plot_optimizers(replays, buffer)
    out["replays/optimizers.png"] = buffer.getvalue()
    return out


def on_files(files: Any, *, config: Any) -> Any:
    """Add the generated pages, the figures and the replays' plots to the site."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    root = _root(config)
    for path, markdown in generated_pages().items():
        files.append(File.generated(config, path, content=markdown))
    try:
        pictures = {**figures(), **_replay_plots(root)}
    except FileNotFoundError as missing:
        raise PluginError(str(missing)) from missing
    for path, png in pictures.items():
        files.append(File.generated(config, path, content=png))
    return files


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Fill in the hand-written pages' ``<!-- gradspec: NAME -->`` directives."""
    from mkdocs.exceptions import PluginError

    try:
        return render_directives(markdown, root=_root(config))
    except FileNotFoundError as missing:
        raise PluginError(str(missing)) from missing


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m gradspec.docsite katex [--write]``: check (or refresh) the vendored KaTeX
    against ``node_modules/katex`` (run ``npm ci`` first); exit status 1 when it differs."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gradspec.docsite", description=main.__doc__)
    parser.add_argument("what", choices=["katex"])
    parser.add_argument("--write", action="store_true", help="copy the npm package's files over the vendored ones")
    parser.add_argument("--root", default=".", help="the project's root (default: the current directory)")
    args = parser.parse_args(argv)
    drift = katex_drift(Path(args.root), write=args.write)
    for line in drift:
        print(line)
    print(f"{KATEX_DIR}: {'differs from' if drift else 'the same as'} node_modules/katex")
    return 1 if drift else 0


if __name__ == "__main__":
    raise SystemExit(main())
