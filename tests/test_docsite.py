"""The documentation site's pages come from the spec (gradspec.docsite; no MkDocs needed here).

The built site itself, in a browser, is tests/site (nox -s docs).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import sympy as sp

from gradspec import docsite, spec
from gradspec.conformance.seeds import CASES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("family", list(spec.FAMILIES))
def test_a_family_page_renders_every_formula_identity_dialect_and_domain(family):
    page = docsite.family_page(family)
    module = spec.FAMILIES[family]
    for formula in module.FORMULAS:
        assert formula.latex in page, formula.name
    for identity in module.IDENTITIES:
        assert identity.statement in page
        assert f"{sp.latex(identity.lhs)} = {sp.latex(identity.rhs)}" in page, identity.name
    for dialect in getattr(module, "DIALECTS", ()):
        assert f"`{dialect.id}`" in page
        for formula in dialect.formulas.values():
            assert formula.latex in page, (dialect.id, formula.name)
    for formula in module.FORMULAS:
        for symbol in formula.args:
            if symbol.name in spec.DOMAINS:
                assert f"`{symbol.name}` | `{spec.DOMAINS[symbol.name].text}`" in page
    assert "## Worked example" in page


def test_changing_a_spec_expression_changes_the_page(monkeypatch):
    gd = next(f for f in spec.optimizers.FORMULAS if f.name == "gd_update")
    w, g, lr = gd.args
    changed = dataclasses.replace(gd, expr=w - lr * g / 2)
    before = docsite.family_page("optimizers")
    monkeypatch.setattr(spec.optimizers, "FORMULAS",
                        tuple(changed if f is gd else f for f in spec.optimizers.FORMULAS))
    after = docsite.family_page("optimizers")
    assert gd.latex in before and gd.latex not in after
    assert changed.latex in after and changed.latex != gd.latex


def test_every_seed_case_is_worked_through_on_exactly_one_page():
    listed = [case_id for ids in docsite.WORKED_EXAMPLES.values() for case_id in ids]
    assert sorted(listed) == sorted(case.id for case in CASES)
    assert set(docsite.WORKED_EXAMPLES) == set(spec.FAMILIES) == set(docsite.FAMILY_TITLES)


def test_a_worked_example_shows_the_printed_and_the_computed_numbers():
    page = docsite.family_page("averages")
    # Seed 003 printed 4, 8.5, 12.15; the reference's float64 values (0.9 is not exact) follow.
    assert "| `V2` | `8.5` | `8.499999999999998` | reproduced at the printed precision |" in page
    schedules = docsite.family_page("schedules")
    assert "a misprint: [004-inverse-time-table](../errata.md#004-inverse-time-table)" in schedules


def test_the_errata_page_lists_every_erratum_and_every_convention():
    page = docsite.errata_page()
    for erratum in spec.ERRATA:
        assert f"### `{erratum.id}`" in page
        assert erratum.explanation in page
    for rule, canonical in spec.CANONICAL.items():
        assert f"| `{rule}` | `{canonical.name}` |" in page
        assert canonical.why in page


def test_the_nav_lists_every_generated_page_and_the_api_covers_the_reference():
    nav = set(re.findall(r"^\s*- (?:[^:\n]+: )?(\S+\.md)$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE))
    assert set(docsite.generated_pages()) <= nav
    hand_written = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert nav == set(docsite.generated_pages()) | hand_written
    public = {f"gradspec.reference.{p.stem}" for p in (ROOT / "reference").glob("[!_]*.py")}
    assert public <= set(docsite.API_MODULES)


def test_directives_fill_the_hand_written_pages(tmp_path):
    verifying = docsite.render_directives("<!-- gradspec: dialect-list -->", root=tmp_path)
    assert "- [`adam`](spec/optimizers.md#rule-adam): `eps-outside` (canonical), `eps-inside`" in verifying
    tolerances = docsite.render_directives("<!-- gradspec: tolerances -->", root=tmp_path)
    assert "| float64 | 1e-09 | 1e-12 | about 4,503,600 |" in tolerances
    coming = docsite.render_directives("<!-- gradspec: frameworks-table -->", root=tmp_path)
    assert "The verdict table is coming" in coming
    (tmp_path / "build" / "frameworks").mkdir(parents=True)
    (tmp_path / "build" / "frameworks" / "table.md").write_text("# Verdicts\n\n| a |\n|---|\n| b |\n")
    table = docsite.render_directives("<!-- gradspec: frameworks-table -->", root=tmp_path)
    assert table == "\n| a |\n|---|\n| b |\n"
    lr_inside = docsite.render_directives("<!-- gradspec: dialect momentum/lr-inside -->", root=tmp_path)
    for formula in spec.dialect("momentum/lr-inside").formulas.values():
        assert formula.latex in lr_inside
    assert "(spec/optimizers.md#momentum-lr-inside)" in lr_inside
    with pytest.raises(KeyError, match="unknown directive <!-- gradspec: nope -->; known:"):
        docsite.render_directives("<!-- gradspec: nope -->", root=tmp_path)


def test_every_directive_in_the_docs_is_known():
    for page in (ROOT / "docs").rglob("*.md"):
        for name, argument in re.findall(r"<!--\s*gradspec:\s*([\w-]+)(?:\s+(\S+))?\s*-->", page.read_text()):
            assert name in docsite.DIRECTIVES, (page, name)
            if name == "dialect":
                spec.dialect(argument)


def test_docstrings_become_the_sites_markdown():
    text = ("Momentum.\n\n    .. math::\n        v' = \\beta v + (1 - \\beta) g\n\n"
            "    See :func:`trajectory` and :math:`\\hat v_t`; ``code`` stays.\n")
    assert docsite.rst_to_markdown(text) == (
        "Momentum.\n\n    $$\n    v' = \\beta v + (1 - \\beta) g\n    $$\n\n"
        "    See `trajectory` and $\\hat v_t$; ``code`` stays.\n")


def test_the_figures_are_drawn():
    figures = docsite.figures()
    assert set(figures) == {"img/ewa-temperature.png", "img/schedules.png", "img/dialects.png"}
    for png in figures.values():
        assert png.startswith(b"\x89PNG") and len(png) > 20_000
