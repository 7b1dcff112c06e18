"""The built site as a reader sees it: served from localhost, opened in headless Chromium.

Run by ``nox -s docs`` after the build (``pytest tests/site --site build/site``); without
``--site`` these tests are skipped. Every page is checked for math that KaTeX typeset (no raw
TeX left, no KaTeX error), images that loaded, no failed request and no request to any host
but localhost.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gradspec.conformance.frameworks import FRAMEWORKS, RULES

#: Debian's Chromium (apt-get install chromium); GRADSPEC_CHROMIUM names another binary.
CHROMIUM = os.environ.get("GRADSPEC_CHROMIUM", "/usr/bin/chromium")
#: Headless, as root, and quiet: no background requests of the browser's own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Text outside code, outside typeset math, that still looks like TeX or like a docstring role.
_FIND_RAW_TEX = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("article") || document.body,
    NodeFilter.SHOW_TEXT, {acceptNode: (node) =>
      node.parentElement.closest("code, pre, script, style, .katex")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    if (/\\\\[A-Za-z]+|\\$\\S|\\S\\$|:math:`|\\\\\\(|\\\\\\[/.test(text)) found.push(text.trim().slice(0, 120));
  }
  return found;
}"""

_FACTS = """() => ({
  math: document.querySelectorAll(".arithmatex").length,
  typeset: document.querySelectorAll(".arithmatex .katex").length,
  errors: [...document.querySelectorAll(".katex-error")].map((e) => e.textContent.slice(0, 120)),
  images: [...document.querySelectorAll("article img")].map((img) =>
    ({src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0})),
  title: document.title,
})"""


def _site(config: pytest.Config) -> Path | None:
    site = config.getoption("--site")
    return None if site is None else Path(site)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        site = _site(metafunc.config)
        pages = [] if site is None else sorted(
            p.relative_to(site).as_posix() for p in site.rglob("index.html"))
        metafunc.parametrize("page_path", pages or [pytest.param(None, marks=pytest.mark.skip(
            reason="the built site is checked by `nox -s docs` (pytest tests/site --site build/site)"))])


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    path = _site(request.config)
    if path is None:
        pytest.skip("the built site is checked by `nox -s docs` (pytest tests/site --site build/site)")
    if not (path / "index.html").is_file():
        pytest.fail(f"--site {path}: no index.html there; build the site first (mkdocs build)")
    return path


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (nox -s docs does)")
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set GRADSPEC_CHROMIUM")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def visit(browser: object, base_url: str, request: pytest.FixtureRequest) -> Callable[[str], dict[str, object]]:
    """``visit(path)``: what a page showed and requested, each page loaded once per run."""
    screenshots = request.config.getoption("--screenshots")
    seen: dict[str, dict[str, object]] = {}

    def visit(path: str) -> dict[str, object]:
        if path not in seen:
            name = path.removesuffix("index.html").strip("/").replace("/", "__") or "home"
            seen[path] = _open(browser, base_url + path, screenshots, name)
        return seen[path]

    return visit


def _open(browser: object, url: str, screenshots: str | None, name: str) -> dict[str, object]:
    """Load ``url`` with every request recorded (and any to another host refused)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside, failed, console = [], [], []

    def route(r: object) -> None:
        if urlsplit(r.request.url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    page.on("console", lambda message: message.type == "error" and console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("body[data-math-rendered]", timeout=15_000)
    page.evaluate("document.fonts.ready")
    facts = page.evaluate(_FACTS)
    facts.update(raw_tex=page.evaluate(_FIND_RAW_TEX), outside=outside, failed=failed, console=console,
                 text=page.inner_text("article"))
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(screenshots) / f"{name}.png"), full_page=True)
    page.close()
    return facts


def test_page_renders_as_a_reader_sees_it(visit: Callable[[str], dict[str, object]], page_path: str) -> None:
    facts = visit(page_path)
    assert facts["outside"] == [], "requests to other hosts"
    assert facts["failed"] == [], "requests that failed"
    assert facts["console"] == [], "errors in the console"
    assert facts["errors"] == [], "KaTeX could not typeset these"
    assert facts["typeset"] == facts["math"], "math left untypeset"
    assert facts["raw_tex"] == [], "raw TeX (or an RST role) left in the text"
    assert all(image["ok"] for image in facts["images"]), facts["images"]


def test_the_spec_pages_carry_the_spec(visit: Callable[[str], dict[str, object]]) -> None:
    from gradspec import spec

    facts = visit("spec/optimizers/index.html")
    # One display per formula, per dialect step, per identity (and two per identity's sides).
    assert facts["math"] >= len(spec.optimizers.FORMULAS) + len(spec.optimizers.IDENTITIES) * 3
    for dialect in spec.dialects_of("adam"):
        assert dialect.id in facts["text"]
    assert {image["src"] for image in facts["images"]} == {"../../img/dialects.png"}


def test_the_replays_page_shows_the_ten_runs(visit: Callable[[str], dict[str, object]]) -> None:
    from gradspec.conformance.replays import RUNS

    facts = visit("replays/index.html")
    shown = {Path(image["src"]).stem for image in facts["images"] if image["ok"]}
    assert shown == {run.id for run in RUNS} | {"optimizers"}
    assert "✗" not in facts["text"]


def test_the_frameworks_page_has_the_verdict_table(visit: Callable[[str], dict[str, object]]) -> None:
    facts = visit("frameworks/index.html")
    objects = [obj for framework in FRAMEWORKS.values() for obj in framework.objects]
    cells = [line.split("\t") for line in str(facts["text"]).splitlines() if "\t" in line]
    rows = {row[k]: row[k + 1:] for row in cells for k in range(len(row) - 4)}  # object -> the cells after it
    for obj in objects:  # from the committed verdicts, docs/data/frameworks.json
        declared = obj.declared or "-"  # gd has no dialects
        rule = f"{obj.rule} over {RULES[obj.rule].base}/{obj.base}" if obj.base else obj.rule
        shown_rule, shown_declared, matched, verdict = rows[obj.name][:4]
        assert (shown_rule, shown_declared, verdict) == (rule, declared, "fail" if obj.finding else "pass"), obj.name
        assert obj.finding or declared in matched.split(", "), obj.name  # TensorFlow.js's Adagrad matches two
