"""The documentation site's pages come from the spec (gradspec.docsite; no MkDocs needed here).

The built site itself, in a browser, is tests/site (nox -s docs).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import sympy as sp

from gradspec import docsite, spec
from gradspec.conformance.replays import RUNS
from gradspec.conformance.seeds import CASES

REPLAY_IDS = tuple(run.id for run in RUNS)

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
    with pytest.raises(FileNotFoundError, match=r"frameworks.json is missing: it is committed data, written by "
                                                 r"`nox -s frameworks`. Restore it with `git checkout -- docs/data"):
        docsite.render_directives("<!-- gradspec: frameworks-table -->", root=tmp_path)
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


def test_the_committed_data_fills_the_replays_and_frameworks_pages():
    from gradspec.conformance.frameworks import FRAMEWORKS, RULES, table

    frameworks = docsite.render_directives("<!-- gradspec: frameworks-table -->", root=ROOT)
    data = json.loads((ROOT / docsite.FRAMEWORKS_DATA).read_text())
    assert frameworks == table(data)
    for framework in FRAMEWORKS.values():
        for obj in framework.objects:
            declared = obj.declared or "-"  # gd has no dialects
            rule = f"{obj.rule} over {RULES[obj.rule].base}/{obj.base}" if obj.base else obj.rule
            start = f"| {framework.name} | `{obj.name}` |"
            (row,) = [line for line in frameworks.splitlines() if line.startswith(start)]
            _, _, _, shown_rule, shown_declared, matched, verdict, _ = (cell.strip() for cell in row.split("|"))
            assert (shown_rule, shown_declared, verdict) == (rule, declared, "fail" if obj.finding else "pass"), row
            assert obj.finding or declared in matched.split(", "), row  # TensorFlow.js's Adagrad matches two
    replays = docsite.render_directives("<!-- gradspec: replay-runs -->", root=ROOT)
    assert replays.count("every printed value reproduced") == 10 and "✗" not in replays
    assert replays.count("| ✓ |") == 120  # every value the ten runs printed
    assert "![blog-adam: cost curve and decision boundary](replays/blog-adam.png)" in replays


def test_the_replays_plots_are_drawn_from_the_committed_data():
    plots = docsite._replay_plots(ROOT)
    assert set(plots) == {f"replays/{run_id}.png" for run_id in (*REPLAY_IDS, "optimizers")}
    for png in plots.values():
        assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_the_api_source_tree_maps_the_packages_as_pyproject_does(tmp_path):
    tree = docsite.api_source_tree(ROOT)
    assert tree == ROOT / "build" / "api-src"
    assert (tree / "gradspec" / "__init__.py").resolve() == ROOT / "src" / "gradspec" / "__init__.py"
    assert (tree / "gradspec" / "spec" / "optimizers.py").resolve() == ROOT / "spec" / "optimizers.py"
    course = tree / "gradspec" / "reference" / "course"
    assert (course / "deep.py").resolve() == ROOT / "reference" / "course" / "deep.py"
    assert (tree / "gradspec" / "conformance" / "adapters").resolve() == ROOT / "conformance" / "adapters"


def test_the_vendored_katex_is_the_pinned_version_with_every_font_its_css_names():
    pin = json.loads((ROOT / "package.json").read_text())["dependencies"]["katex"]
    katex = ROOT / docsite.KATEX_DIR
    assert f'version:"{pin}"' in (katex / "katex.min.js").read_text(encoding="utf-8")
    named = set(re.findall(r"url\(fonts/([\w-]+\.woff2)\)", (katex / "katex.min.css").read_text(encoding="utf-8")))
    assert len(named) == 20 and named == {p.name for p in (katex / "fonts").glob("*.woff2")}
    assert "MIT License" in (katex / "LICENSE").read_text(encoding="utf-8")


def test_katex_drift_names_each_stale_missing_or_extra_file(tmp_path):
    package = tmp_path / "node_modules" / "katex"
    files = {"package.json": "{}", "LICENSE": "MIT License", "dist/katex.min.js": "js", "dist/katex.min.css": "css",
             "dist/contrib/auto-render.min.js": "auto", "dist/fonts/KaTeX_Main-Regular.woff2": "font",
             "dist/fonts/KaTeX_Main-Regular.ttf": "ttf"}
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    with pytest.raises(FileNotFoundError, match="run `npm ci`"):
        docsite.katex_drift(tmp_path / "elsewhere")
    assert docsite.katex_drift(tmp_path, write=True) == []
    vendored = tmp_path / docsite.KATEX_DIR
    assert sorted(p.relative_to(vendored).as_posix() for p in vendored.rglob("*") if p.is_file()) == [
        "LICENSE", "contrib/auto-render.min.js", "fonts/KaTeX_Main-Regular.woff2", "katex.min.css", "katex.min.js"]
    (vendored / "katex.min.js").write_text("old")
    (vendored / "fonts" / "KaTeX_Main-Regular.woff2").unlink()
    (vendored / "extra.js").write_text("x")
    assert docsite.katex_drift(tmp_path) == [
        f"{docsite.KATEX_DIR}/katex.min.js: differs from {package / 'dist/katex.min.js'}",
        f"{docsite.KATEX_DIR}/fonts/KaTeX_Main-Regular.woff2: missing (npm has "
        f"{package / 'dist/fonts/KaTeX_Main-Regular.woff2'})",
        f"{docsite.KATEX_DIR}/extra.js: not in the npm package"]
    assert docsite.main(["katex", "--root", str(tmp_path)]) == 1
    assert docsite.main(["katex", "--root", str(tmp_path), "--write"]) == 0
