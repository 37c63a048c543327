"""Accessibility, checked the way readers meet the handbook: Debian's Chromium on the built site (127.0.0.1).

- axe-core (node_modules/axe-core, pinned in package.json) on every built page in the light and the dark palette:
  no violation of impact "critical" or "serious";
- keyboard only: the skip link moves focus to the content; search opens, finds and opens a result with keys;
  on a phone-sized screen the navigation drawer opens and closes with the keyboard;
- every <img> has a meaningful alternative text; typeset formulas carry MathJax's assistive MathML.

Fixes live in overrides/ (main.html, partials/header.html, partials/search.html) and in the accessibility section
of docs/assets/stylesheets/extra.css.
"""

from __future__ import annotations

import html.parser
import json
import re
import time
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, Build, built_pages

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
PALETTES = {"light": "default", "dark": "slate"}  # Playwright color_scheme -> Material's data-md-color-scheme
TIMEOUT_MS = 20_000
PHONE = {"width": 390, "height": 844}

MATH_TYPESET = """() => [...document.querySelectorAll('article .arithmatex')]
  .every(el => el.querySelector('mjx-container'))"""
# Starts axe in the background (axe.run works synchronously for a long time before its first await), so that both
# palettes' tabs run at once; the result is read back later.
START_AXE = """(preload) => {
  window.__handbookAxe = new Promise(resolve => setTimeout(resolve, 0))  // return first, then run
    .then(() => axe.run(document, {resultTypes: ['violations'], preload})).then(r => r.violations
    .filter(v => BLOCKING.includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' '))})));
}""".replace("BLOCKING", json.dumps(list(BLOCKING)))
LAYOUT_ALL = """() => { document.documentElement.classList.add('handbook-layout-all');
  return new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))); }"""
STYLESHEETS = "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => new URL(l.href).pathname).join()"
ACTIVE = """() => { const el = document.activeElement; return el && el !== document.body ? {
  tag: el.tagName.toLowerCase(), cls: el.className || '', href: el.getAttribute('href'),
  inContent: !!el.closest('article.md-content__inner'), inDrawer: !!el.closest('.md-sidebar--primary'),
  isSkip: el.matches('a.md-skip'), isMenu: el.matches('[data-handbook-drawer-button]'),
  isSearch: el.matches('input.md-search__input'), isResult: el.matches('a.md-search-result__link'),
  inResults: !!el.closest('.md-search-result'),
  heading: /^H[1-6]$/.test(el.tagName)} : null; }"""


def page_url(base_url: str, site_dir: Path, path: Path) -> str:
    rel = path.parent.relative_to(site_dir).as_posix()
    return base_url if rel == "." else f"{base_url}{rel}/"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run `npm ci` (package.json pins axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


def empty_search_index(site_dir: Path) -> str:
    """The site's search configuration without documents: axe does not need results, and building the full
    index in every page's search worker would only slow the sweep down (search has its own tests)."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return json.dumps({"config": index["config"], "docs": []})


def test_axe_finds_nothing_serious_on_any_page_in_either_palette(browser, site: Build, base_url: str,
                                                                   axe_source: str) -> None:
    """Each page is loaded with the system preference light, checked, switched to a dark system preference (Material
    follows it live, as it does on a reader's device) and checked again. Two tabs work on alternate pages at the
    same time; on 2 cores the whole sweep takes about two minutes."""
    started = time.monotonic()
    pages = built_pages(site.site)
    assert len(pages) > 10
    index = empty_search_index(site.site)
    tabs = []
    for _ in range(2):
        context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
        context.route("**/search/search_index.json",
                      lambda route: route.fulfill(body=index, content_type="application/json"))
        tabs.append((context, context.new_page()))
    seen_stylesheets: set[str] = set()
    problems: list[str] = []
    checked = 0
    try:
        for first in range(0, len(pages), len(tabs)):
            work = [(page, page_url(base_url, site.site, path))
                    for (_, page), path in zip(tabs, pages[first:first + len(tabs)], strict=False)]
            for page, url in work:
                page.emulate_media(color_scheme="light")
                page.goto(url, wait_until="commit")
            for page, _ in work:
                page.wait_for_load_state("load")
                page.wait_for_function(MATH_TYPESET, timeout=TIMEOUT_MS)
                # Every block laid out, as each is once the reader is near it: extra.css leaves far-away blocks to
                # later (content-visibility), and axe, which never scrolls, would read their guessed positions and
                # their styles from before the palette changed. Material's size observers then run (two frames).
                page.evaluate(LAYOUT_ALL)
                page.add_script_tag(content=axe_source)
            for scheme, palette in PALETTES.items():
                for page, _ in work:
                    page.emulate_media(color_scheme=scheme)
                    page.wait_for_function("(p) => document.body.getAttribute('data-md-color-scheme') === p",
                                           arg=palette, timeout=TIMEOUT_MS)
                    # Stylesheets are parsed by axe (css-orientation-lock) once per distinct set, not every time.
                    sheets = page.evaluate(STYLESHEETS) + scheme
                    page.evaluate(START_AXE, sheets not in seen_stylesheets)
                    seen_stylesheets.add(sheets)
                for page, url in work:
                    checked += 1
                    for violation in page.evaluate("() => window.__handbookAxe"):
                        nodes = "\n      ".join(violation["nodes"][:5])
                        more = len(violation["nodes"]) - 5
                        problems.append(
                            f"{url} [{scheme}] {violation['id']} ({violation['impact']}): {violation['help']}\n      "
                            + nodes + (f"\n      … and {more} more" if more > 0 else "")
                        )
    finally:
        for context, _ in tabs:
            context.close()
    assert checked == len(pages) * len(PALETTES)
    print(f"axe: {len(pages)} pages x {len(PALETTES)} palettes in {time.monotonic() - started:.0f} s")
    assert not problems, f"{len(problems)} serious accessibility problems:\n" + "\n".join(problems)


# --- keyboard only ---------------------------------------------------------------------------------------------

@pytest.fixture
def keyboard_page(browser):
    contexts = []

    def open_page(viewport: dict[str, int] | None = None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors  # type: ignore[attr-defined]
        return page

    yield open_page
    for context in contexts:
        context.close()


def tab_until(page, predicate: str, limit: int = 15, key: str = "Tab") -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE)
        if active and active[predicate]:
            return active
    pytest.fail(f"{limit} presses of Tab never reached the element ({predicate}); last focus: {active}")


def test_skip_link_moves_focus_to_the_content(keyboard_page, base_url: str) -> None:
    page = keyboard_page()
    page.goto(base_url, wait_until="load")
    page.keyboard.press("Tab")
    active = page.evaluate(ACTIVE)
    assert active and active["isSkip"], f"the first Tab should reach the skip link, got {active}"
    assert page.locator("a.md-skip").is_visible(), "the focused skip link must be visible"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('article')")
    active = page.evaluate(ACTIVE)
    assert active["inContent"] and active["heading"], f"focus should be on the first heading, got {active}"
    page.keyboard.press("Tab")
    active = page.evaluate(ACTIVE)
    assert active and active["inContent"], f"the next Tab should stay in the content, got {active}"
    assert not page.errors, page.errors


def test_search_with_the_keyboard_only(keyboard_page, base_url: str) -> None:
    page = keyboard_page()
    page.goto(base_url, wait_until="load")
    page.keyboard.press("/")  # Material's shortcut (also "s" and "f")
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('input.md-search__input')")
    box = page.locator("input.md-search__input")
    box.fill("反向传播")
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function("() => document.querySelectorAll('a.md-search-result__link').length >= 2",
                           timeout=TIMEOUT_MS)
    page.keyboard.press("ArrowDown")
    first = page.evaluate(ACTIVE)
    assert first and first["isResult"], f"ArrowDown should move to the first result, got {first}"
    second = first
    for _ in range(6):  # results may have a "more matches" disclosure between them, also reached by the arrows
        page.keyboard.press("ArrowDown")
        second = page.evaluate(ACTIVE)
        assert second and second["inResults"], f"ArrowDown should stay in the results, got {second}"
        if second["isResult"] and second["href"] != first["href"]:
            break
    assert second["isResult"] and second["href"] != first["href"], "ArrowDown never reached a second result"
    page.keyboard.press("ArrowUp")
    back = page.evaluate(ACTIVE)
    assert back and back["inResults"] and back != second, "ArrowUp should move back through the results"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE) == second
    target = urlsplit(page.evaluate("document.activeElement.href")).path
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == target, timeout=TIMEOUT_MS)
    page.wait_for_load_state("load")
    assert "反向传播" in page.locator("article").inner_text(), f"{target} should be about the query"
    assert not page.errors, page.errors


def test_navigation_drawer_opens_and_closes_with_the_keyboard_on_a_phone(keyboard_page, base_url: str) -> None:
    page = keyboard_page(PHONE)
    page.goto(base_url + "ch03-algorithms/", wait_until="load")
    drawer_open = "document.getElementById('__drawer').checked"
    drawer_box = "() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().toJSON()"
    menu = page.locator("[data-handbook-drawer-button]")
    assert menu.evaluate("el => el.tagName") == "BUTTON", "the menu control must be a real button"

    tab_until(page, "isMenu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate(drawer_box)["right"] <= 0, "the closed drawer should be off-screen"
    for _ in range(6):  # with the drawer closed, Tab must not wander into its invisible links
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        assert not (active and active["inDrawer"]), f"Tab reached a link in the closed drawer: {active}"

    tab_until(page, "isMenu", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(drawer_open)
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.md-sidebar--primary')")
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    assert menu.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    active = page.evaluate(ACTIVE)
    assert active and active["inDrawer"], f"Tab in the open drawer should move through its links, got {active}"

    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !{drawer_open}")
    active = page.evaluate(ACTIVE)
    assert active and active["isMenu"], f"Escape should return focus to the menu button, got {active}"
    assert menu.get_attribute("aria-expanded") == "false"

    page.keyboard.press(" ")
    page.wait_for_function(drawer_open)
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !{drawer_open}")
    page.set_viewport_size({"width": 1400, "height": 900})  # wide screen: the sidebar is shown, no menu button
    assert not menu.is_visible(), "the menu button should be hidden where the navigation is a sidebar"
    assert not page.errors, page.errors


# --- images and formulas ---------------------------------------------------------------------------------------

# Texts that say nothing about the picture; nbconvert writes the last one for notebook outputs without alt text.
PLACEHOLDER_ALTS = {"image", "img", "picture", "photo", "figure", "graph", "chart", "plot", "icon", "logo",
                    "图", "图片", "图像", "插图", "示意图", "截图", "照片", "图标",
                    "no description has been provided for this image"}


class _Images(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def alt_problem(src: str, alt: str | None) -> str | None:
    if alt is None:
        return "no alt attribute"
    text = " ".join(alt.split())
    if not text:
        return "empty alt"
    name = PurePosixPath(unquote(urlsplit(src).path)).name.lower() if not src.startswith("data:") else ""
    if text.lower() in PLACEHOLDER_ALTS:
        return f"placeholder alt {text!r}"
    if name and text.lower() in {name, PurePosixPath(name).stem, PurePosixPath(name).stem.replace("-", " ")}:
        return f"alt is only the file name {text!r}"
    if len(text) < 4 or re.fullmatch(r"[\W\d_]+", text):
        return f"alt {text!r} says nothing about the picture"
    return None


def test_every_image_has_a_meaningful_alt_text(site: Build) -> None:
    problems: list[str] = []
    count = 0
    for path in sorted(site.site.rglob("*.html")):
        rel = path.relative_to(site.site)
        if "assets" in rel.parts:
            continue
        parser = _Images()
        parser.feed(path.read_text(encoding="utf-8"))
        for image in parser.images:
            count += 1
            src = image.get("src") or ""
            problem = alt_problem(src, image.get("alt"))
            if problem:
                where = "a notebook output (data: URL)" if src.startswith("data:") else src
                problems.append(f"{rel}: {where}: {problem}")
    assert count > 0
    hint = ("\nMarkdown: write what the figure shows, ![计算图：x 与 w 相乘……](figure.svg). Notebook figures: the "
            "alt text has to come from the notebook (nbconvert writes a placeholder).")
    assert not problems, f"{len(problems)} images without a meaningful alt text:\n" + "\n".join(problems) + hint


def most_math_page(site_dir: Path) -> Path:
    pages = [(p.read_text(encoding="utf-8").count('class="arithmatex"'), p) for p in built_pages(site_dir)]
    count, page = max(pages, key=lambda item: item[0])
    assert count > 0, "no page with math"
    return page


def test_typeset_math_carries_assistive_mathml(browser, site: Build, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    url = page_url(base_url, site.site, most_math_page(site.site))
    page.goto(url, wait_until="load")
    page.wait_for_function(MATH_TYPESET, timeout=TIMEOUT_MS)
    found = page.evaluate("""() => {
      const all = [...document.querySelectorAll('article mjx-container')];
      return {total: all.length,
              withMathml: all.filter(c => c.querySelector(':scope > mjx-assistive-mml > math')).length,
              visualHidden: all.filter(c => c.querySelector(
                ':scope > mjx-math[aria-hidden="true"], :scope > svg[aria-hidden="true"]')).length,
              sample: all.length ? all[0].querySelector('mjx-assistive-mml')?.innerHTML.slice(0, 200) : ''};
    }""")
    context.close()
    assert found["total"] > 0, f"{url}: no typeset math"
    assert found["withMathml"] == found["total"], (
        f"{url}: only {found['withMathml']} of {found['total']} formulas carry assistive MathML (mjx-assistive-mml)"
    )
    assert found["visualHidden"] == found["total"], f"{url}: the visual rendering should be hidden from screen readers"
