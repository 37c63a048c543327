"""The handbook as a reader sees it: Debian's Chromium (driven by Playwright) against the built site on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, Build, built_pages
from mkdocs.config import load_config

MATH_TIMEOUT_MS = 20_000
# True when every formula of the page is typeset (SVG from the build) and no raw TeX is left.
ALL_MATH_TYPESET = """() => {
  const spans = [...document.querySelectorAll('article .arithmatex')];
  const nb = [...document.querySelectorAll('article .jp-RenderedMarkdown')];
  const raw = nb.some(el => /\\$[^$\\s][^$]*\\$|\\\\\\(/.test(el.innerText));
  return spans.every(el => el.querySelector('mjx-container')) && !raw;
}"""


@dataclass
class Recorder:
    """Everything a page did that a reader would not want: errors, failed or foreign requests."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.console_errors + self.failed + self.foreign


def _reader(browser, base_url: str, public_url: str = "") -> tuple[object, object, Recorder]:
    """A browser page that may reach 127.0.0.1 only. With public_url, the site is also answered at its public
    address (site_url) from the local server: Material's instant navigation only follows links that its sitemap
    lists, and the sitemap names the public address."""
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    record = Recorder()

    def route(route) -> None:
        url = route.request.url
        if public_url and url.startswith(public_url):
            route.fulfill(response=route.fetch(url=base_url + url.removeprefix(public_url)))
        elif url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            record.foreign.append(f"request to another host: {url}")
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and record.console_errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: record.console_errors.append(f"page error: {e}"))
    # ERR_ABORTED is the browser cancelling a request because the test moved on to the next page.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
            and record.failed.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and record.failed.append(f"HTTP {r.status}: {r.url}"))
    return context, page, record


@pytest.fixture
def reader(browser, base_url: str) -> Iterator[tuple[object, Recorder]]:
    context, page, record = _reader(browser, base_url)
    yield page, record
    context.unroute_all(behavior="ignoreErrors")  # requests still in flight (prefetch) end quietly
    context.close()


@pytest.fixture
def public_reader(browser, base_url: str) -> Iterator[tuple[object, Recorder, str]]:
    site_url = load_config(str(ROOT / "mkdocs.yml"))["site_url"]
    context, page, record = _reader(browser, base_url, site_url)
    yield page, record, site_url
    context.unroute_all(behavior="ignoreErrors")  # requests still in flight (prefetch) end quietly
    context.close()


def test_every_page_loads_cleanly_and_typesets_all_math(reader, site: Build, base_url: str) -> None:
    page, record = reader
    pages = built_pages(site.site)
    math_pages = 0
    for path in pages:
        rel = path.parent.relative_to(site.site).as_posix()
        url = base_url if rel == "." else f"{base_url}{rel}/"
        page.goto(url, wait_until="load")
        page.wait_for_function(ALL_MATH_TYPESET, timeout=MATH_TIMEOUT_MS)
        if page.locator("article mjx-container").count():
            math_pages += 1
        assert not record.problems(), f"{url}: " + "; ".join(record.problems())
    assert math_pages > 5


def test_formulas_are_styled_after_instant_navigation_from_a_page_without_math(public_reader) -> None:
    page, record, site_url = public_reader
    page.goto(site_url, wait_until="networkidle")  # Material navigates instantly once it has read sitemap.xml
    page.evaluate("window.__samePage = true")  # survives instant navigation, not a full page load
    for target in ("ch03-algorithms/gradient-descent/", "ch03-algorithms/nb-attention/", "ch03-algorithms/losses/"):
        page.evaluate(f"document.querySelector('a[href$=\"{target}\"]').click()")
        page.wait_for_url(f"**/{target}")
        page.wait_for_function(ALL_MATH_TYPESET, timeout=MATH_TIMEOUT_MS)
        assert page.evaluate("window.__samePage === true"), f"{target} was a full page load, not instant navigation"
        assert page.locator("article mjx-container").count() > 0, f"no typeset math after navigating to {target}"
        # The screen readers' MathML copy must be clipped away, or every formula would show twice.
        shown = page.evaluate("""() => [...document.querySelectorAll('article mjx-assistive-mml')]
            .filter(el => getComputedStyle(el).position !== 'absolute').length""")
        assert shown == 0, f"{target}: {shown} assistive MathML copies are visible (formula stylesheet missing)"
        assert page.locator("mjx-container mjx-container").count() == 0
    page.go_back()
    page.wait_for_url("**/ch03-algorithms/nb-attention/")
    page.wait_for_function(ALL_MATH_TYPESET, timeout=MATH_TIMEOUT_MS)
    assert not record.problems(), "; ".join(record.problems())


def test_notebook_page_shows_outputs_and_typeset_math(reader, base_url: str) -> None:
    page, record = reader
    page.goto(base_url + "ch03-algorithms/nb-attention/", wait_until="load")
    page.wait_for_function(ALL_MATH_TYPESET, timeout=MATH_TIMEOUT_MS)
    assert page.locator(".jp-OutputArea-output").count() > 0
    assert page.locator(".jp-OutputArea-output img").count() > 0, "no figure output"
    assert page.get_by_text("下载 notebook").count() == 1
    assert not record.problems(), "; ".join(record.problems())


def test_dark_mode_follows_system_toggles_and_persists(browser, base_url: str) -> None:
    """The palette switcher (overrides/partials/javascripts/palette.html, in place of Material's component)."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(base_url, wait_until="load")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    metas = "[...document.querySelectorAll('meta[name=color-scheme], meta[name=theme-color]')].map(m => m.content)"
    assert page.evaluate(scheme) == "slate", "should start from the system preference (dark)"
    assert page.evaluate(metas) == ["#4051b5", "dark"], "theme-color and color-scheme as Material sets them"
    page.emulate_media(color_scheme="light")  # the system switches while the page is open
    page.wait_for_function(f"{scheme} === 'default'", timeout=5_000)
    assert page.evaluate(metas) == ["#4051b5", "light"]
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(f"{scheme} === 'slate'", timeout=5_000)
    # The toggle cycles system -> light -> dark -> system; one click from "system" selects light.
    toggle = page.locator("form[data-handbook-palette] label:visible")
    assert toggle.count() == 1
    toggle.click()
    assert page.evaluate(scheme) == "default"
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.endsWith('__palette'))")
    assert stored, "the choice should be stored"
    page.emulate_media(color_scheme="light")
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(scheme) == "default", "a chosen palette does not follow the system any more"
    page.reload(wait_until="load")
    assert page.evaluate(scheme) == "default", "the reader's choice should survive a reload"
    # Keyboard: Enter on the focused option moves on to the next one (light -> dark), as in Material.
    page.locator("form[data-handbook-palette] input:checked").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(scheme) == "slate"
    assert page.locator("form[data-handbook-palette] label:visible").get_attribute("title") == "跟随系统设置"
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')", timeout=5_000)  # a frame later
    context.close()


TOP_BLOCK = """() => { const blocks = [...document.querySelectorAll('article.md-typeset > *')];
  const i = blocks.findIndex(el => el.getBoundingClientRect().bottom > 80);  // the first below the header
  return i < 0 ? null : [i, blocks[i].textContent.trim().slice(0, 40)]; }"""


def test_lazily_laid_out_pages_keep_link_targets_and_scroll_positions(public_reader) -> None:
    """extra.css lets the browser lay out far-away blocks only when the reader comes near them (content-visibility),
    so their heights are guesses until then. A link to a heading far down must still land on the heading, and going
    back (Material's instant navigation restores the scroll offset) must show the same text as before."""
    page, record, site_url = public_reader
    page.set_viewport_size({"width": 412, "height": 823})  # a phone: the longest pages
    url = site_url + "ch03-algorithms/gradient-descent/"
    page.goto(url, wait_until="load")
    last = "getComputedStyle(document.querySelector('article.md-typeset > :last-child')).contentVisibility"
    assert page.evaluate(last) == "auto", "far-away blocks are not laid out lazily any more: drop this test?"
    headings = page.evaluate("[...document.querySelectorAll('article :is(h2, h3)[id]')].map(h => h.id)")
    target = headings[len(headings) // 2]
    page.goto(f"{url}#{target}", wait_until="load")  # on the same page: as a table of contents or footnote link
    page.wait_for_timeout(500)
    top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", target)
    assert 0 <= top <= 150, f"#{target} should be at the top of the screen, it is at {top:.0f} px"

    page.goto(url, wait_until="networkidle")  # Material navigates instantly once it has read sitemap.xml
    page.evaluate("window.__samePage = true")
    for _ in range(20):  # read on, as a reader scrolls
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    before = page.evaluate(TOP_BLOCK)
    assert before is not None and before[0] > 10, "the test meant to read far into the page"
    page.locator("a.md-footer__link--next").click()
    page.wait_for_function(f"location.pathname !== {urlsplit(url).path!r}")
    page.go_back()  # to the page, with the heading's #anchor that Material keeps in the address (navigation.tracking)
    page.wait_for_function(f"location.pathname === {urlsplit(url).path!r}")
    page.wait_for_function(f"(({TOP_BLOCK})() || [0])[0] > 10", timeout=10_000)  # Material scrolled back
    page.wait_for_timeout(500)
    assert page.evaluate("window.__samePage === true"), "the test meant to go back by instant navigation"
    assert page.evaluate(TOP_BLOCK) == before, "going back should return to the same text"
    assert not record.problems(), "; ".join(record.problems())


# Every content block with the containment that content-visibility applies once the block is laid out, then with
# none: the offsets and heights must be the same (a contained block keeps its children's margins inside, and
# extra.css gives them back to the block for the kinds of blocks the handbook has).
BLOCKS = ".md-typeset > :not(.jupyter-wrapper), .md-typeset .jp-Notebook > .jp-Cell"
BLOCK_BOXES = """(contain) => {
  const SELECTOR = 'BLOCKS';
  let style = document.getElementById('handbook-test-contain');
  if (!style) {
    style = Object.assign(document.createElement('style'), {id: 'handbook-test-contain'});
    document.head.append(style);
  }
  style.textContent = `${SELECTOR} { content-visibility: visible !important; contain: ${contain} !important; }`;
  return [...document.querySelectorAll(SELECTOR)].map(el => {
    const r = el.getBoundingClientRect();
    return [el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''),
            Math.round(r.top + scrollY), Math.round(r.height)];
  });
}""".replace("BLOCKS", BLOCKS)


def test_lazily_laid_out_blocks_take_the_same_room_as_plain_ones(reader, site: Build, base_url: str) -> None:
    page, _ = reader
    page.set_viewport_size({"width": 412, "height": 823})
    moved: list[str] = []
    for path in built_pages(site.site):
        rel = path.parent.relative_to(site.site).as_posix()
        url = base_url if rel == "." else f"{base_url}{rel}/"
        page.goto(url, wait_until="load")
        contained = page.evaluate(BLOCK_BOXES, "layout style paint")
        plain = page.evaluate(BLOCK_BOXES, "none")
        first = next(((a, b) for a, b in zip(contained, plain, strict=True) if a != b), None)
        if first:
            moved.append(f"{rel}: {first[0][0]} at {first[1][1]} px is {first[1][2]} px high, "
                         f"{first[0][2]} px when contained (at {first[0][1]} px)")
    assert not moved, "blocks change size when laid out lazily (see extra.css):\n" + "\n".join(moved)
