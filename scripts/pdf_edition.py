"""The PDF edition: the whole handbook in one A4 PDF, printed by Chromium from the built site.

    python scripts/build_editions.py pdf      # -> build/ai-llm-handbook-YYYYMMDD.pdf

How it works:
1. a strict build of the real site (mkdocs.yml) into a temporary folder, so the PDF shows exactly what the site
   shows (every hook applied: notebook pages, glossary tooltips, math markup);
2. the articles of all pages in navigation order are combined into one print page: ids get a per-page prefix,
   links between pages become links inside the document (PDF link annotations), other links to the site become
   absolute site URLs, relative image and stylesheet URLs become root-relative, per-page scripts are dropped,
   folded answers are opened, and a cover and a table of contents are added; formulas are already SVG (typeset
   at build time by overrides/hooks/math_prerender.py), so the print page needs only their stylesheet;
3. the print page is served on 127.0.0.1;
4. Chromium prints it (page numbers in the footer, bookmarks from the headings, a tagged PDF).

Chinese text needs a CJK font in the system (Debian: fonts-noto-cjk); the build fails without one.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from build_editions import build
from local_server import serve
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
NAME = "ai-llm-handbook"
PRINT_PAGE = "print-edition.html"
LOAD_TIMEOUT_S = 240
FOOTER = (
    '<div style="width:100%;font-size:8px;color:#555;padding:0 16mm;display:flex;justify-content:space-between;'
    'font-family:\'Noto Sans CJK SC\',sans-serif"><span>{title}</span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 112.5%; }
body { background: #fff; }
.md-typeset { font-size: 0.72rem; line-height: 1.7; }
.print-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.print-cover h1 { font-size: 2.4rem; margin: 0 0 1rem; color: #283593; }
.print-cover p { font-size: 0.9rem; color: #333; }
.md-typeset.print-toc ol { list-style: none; padding: 0 0 0 1.4em; margin: 0.1em 0; }
.md-typeset.print-toc > ol { padding-left: 0; }
.md-typeset.print-toc li { list-style: none; margin: 0.1em 0; }
.md-typeset.print-toc a { color: inherit; text-decoration: none; }
.md-typeset.print-toc .print-toc__chapter { margin-top: 0.5em; }
.md-typeset.print-toc .print-toc__chapter > a { font-weight: 700; }
.print-page, .print-toc { break-before: page; }
.md-typeset h1, .md-typeset h2, .md-typeset h3 { break-after: avoid; }
.md-typeset pre, .md-typeset pre > code, .jupyter-wrapper pre {
  white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; max-height: none;
}
.md-typeset .arithmatex, .jupyter-wrapper .jp-RenderedMarkdown { overflow: visible; }
.md-typeset img, .jupyter-wrapper img { max-width: 100%; height: auto; break-inside: avoid; }
.md-typeset table:not([class]) { display: table; font-size: 0.9em; }
.md-typeset details { break-inside: auto; }
.md-typeset .md-button { display: none; }
.md-typeset abbr { text-decoration: none; border-bottom: none; }
.jupyter-wrapper .jp-InputPrompt, .jupyter-wrapper .jp-OutputPrompt { display: none; }
"""
@dataclass
class Entry:
    url: str          # the page's site URL, e.g. "ch03-algorithms/losses/"
    level: int        # 1 for the home page and section index pages, 2 for the other pages of a section
    section: str      # the navigation section ("" for top-level pages)

    @property
    def key(self) -> str:
        return "p-" + (self.url.strip("/").replace("/", "-") or "home")


def _settings() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["handbook"]


def _page_url(src: str) -> str:
    """MkDocs' directory URL of a documentation file (use_directory_urls)."""
    stem = re.sub(r"\.(md|ipynb)$", "", src)
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def nav_entries(config_file: Path) -> tuple[list[Entry], dict]:
    """The pages of mkdocs.yml's nav in reading order, and the loaded configuration."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    entries: list[Entry] = []

    def walk(items: list, section: str, depth: int) -> None:
        for item in items:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, list):
                walk(value, section if depth else title or "", depth + 1)
            elif isinstance(value, str) and not re.match(r"^[a-z]+://", value):
                url = _page_url(value)
                index = depth > 0 and value.endswith("index.md") and not entries_in(section)
                entries.append(Entry(url, 1 if depth == 0 or index else 2, section))

    def entries_in(section: str) -> bool:
        return any(e.section == section for e in entries)

    walk(config["nav"], "", 0)
    return entries, config


def _shift_headings(article, by: int) -> None:
    if not by:
        return
    for heading in article.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
        heading.tag = f"h{min(6, int(heading.tag[1]) + by)}"


class Combiner:
    """Turns built pages into sections of one print document."""

    def __init__(self, site_dir: Path, entries: list[Entry], site_url: str) -> None:
        self.site_dir = site_dir
        self.entries = entries
        self.site_url = site_url.rstrip("/") + "/"
        self.keys = {e.url: e.key for e in entries}
        self.stylesheets: list[str] = []
        self.titles: dict[str, str] = {}

    def _target(self, page_url: str, href: str) -> str | None:
        """The new href of a link found on page_url, or None to leave it alone."""
        if href.startswith(("mailto:", "javascript:", "data:")):
            return None
        base = "http://site.invalid/" + page_url
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        if parts.netloc != "site.invalid":
            return None  # another site
        path = unquote(parts.path.lstrip("/"))
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        fragment = unquote(parts.fragment)
        if path in self.keys:
            key = self.keys[path]
            return f"#{key}--{fragment}" if fragment else f"#{key}"
        return self.site_url + parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")

    def section(self, entry: Entry) -> str:
        path = self.site_dir / entry.url / "index.html"
        document = lxml_html.fromstring(path.read_bytes().decode("utf-8"))
        articles = document.xpath("//article[contains(@class, 'md-content__inner')]")
        if not articles:
            raise SystemExit(f"{path}: no article")
        article = articles[0]
        for element in article.xpath(".//script|.//a[contains(@class,'headerlink')]"
                                     "|.//a[contains(@class,'md-content__button')]"
                                     "|.//aside[contains(@class,'md-source-file')]"):
            element.drop_tree()
        # The page's own stylesheets (notebook pages link theirs in <head>; the theme's are added once anyway).
        for link in document.xpath("//head/link[@rel='stylesheet']") + article.xpath(".//link[@rel='stylesheet']"):
            href = "/" + posixpath.normpath(posixpath.join(entry.url, link.get("href"))).lstrip("/")
            if href not in self.stylesheets:
                self.stylesheets.append(href)
            link.drop_tree()
        for element in article.xpath(".//*[@id]"):
            element.set("id", f"{entry.key}--{element.get('id')}")
        for element in article.xpath(".//*[@for]"):
            element.set("for", f"{entry.key}--{element.get('for')}")
        for anchor in article.xpath(".//a[@href]"):
            target = self._target(entry.url, anchor.get("href"))
            if target is not None:
                anchor.set("href", target)
        for image in article.xpath(".//img[@src]"):
            image.attrib.pop("loading", None)  # the printout needs every figure, not only those on screen
            src = image.get("src")
            if not src.startswith(("data:", "http:", "https:", "/")):
                image.set("src", "/" + posixpath.normpath(posixpath.join(entry.url, src)).lstrip("/"))
            image.set("loading", "eager")
        for details in article.xpath(".//details"):
            details.set("open", "open")
        h1 = article.xpath(".//h1")
        self.titles[entry.url] = " ".join(h1[0].text_content().split()) if h1 else entry.url
        _shift_headings(article, entry.level - 1)
        inner = "".join(lxml_html.tostring(child, encoding="unicode") for child in article)
        lead = html.escape(article.text or "")
        return (f'<section class="print-page md-typeset" id="{entry.key}" data-url="{html.escape(entry.url)}">'
                f"{lead}{inner}</section>")

    def toc(self) -> str:
        items: list[str] = []
        open_chapter = False
        for entry in self.entries:
            link = f'<a href="#{entry.key}">{html.escape(self.titles.get(entry.url, entry.url))}</a>'
            if entry.level == 1:
                if open_chapter:
                    items.append("</ol></li>")
                items.append(f'<li class="print-toc__chapter">{link}<ol>')
                open_chapter = True
            else:
                items.append(f"<li>{link}</li>")
        if open_chapter:
            items.append("</ol></li>")
        return ('<nav class="print-toc md-typeset" aria-label="目录"><h1 id="print-toc">目录</h1><ol>'
                + "".join(items) + "</ol></nav>")


def _theme_stylesheets(site_dir: Path) -> list[str]:
    document = lxml_html.fromstring((site_dir / "index.html").read_bytes().decode("utf-8"))
    return [urlsplit(link.get("href")).path if link.get("href", "").startswith("http") else
            "/" + posixpath.normpath(link.get("href")).lstrip("/")
            for link in document.xpath("//head/link[@rel='stylesheet']")]


def _formula_stylesheet(site_dir: Path, entries: list[Entry]) -> str:
    """MathJax's stylesheet for the SVG formulas, which every page with formulas carries inline."""
    for entry in entries:
        page = (site_dir / entry.url / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<style id="mathjax-svg">(.*?)</style>', page, re.S)
        if found:
            return found[1]
    raise SystemExit('no page of the built site carries the formulas\' stylesheet (<style id="mathjax-svg">)')


def write_print_page(site_dir: Path, config: dict, entries: list[Entry], stamp: str) -> Path:
    combiner = Combiner(site_dir, entries, config["site_url"] or "")
    sections = [combiner.section(entry) for entry in entries]
    styles = list(dict.fromkeys(_theme_stylesheets(site_dir) + combiner.stylesheets))
    formula_css = _formula_stylesheet(site_dir, entries)
    date = dt.datetime.strptime(stamp, "%Y%m%d").date() if re.fullmatch(r"\d{8}", stamp) else dt.date.today()
    name, description = html.escape(config["site_name"]), html.escape(config["site_description"] or "")
    online = html.escape(config["site_url"] or "")
    cover = (
        f'<section class="print-cover md-typeset"><h1 id="print-cover">{name}</h1><p>{description}</p>'
        f"<p>PDF 版，生成于 {date.year} 年 {date.month} 月 {date.day} 日。在线版：{online}</p>"
        f"<p>{html.escape(config['copyright'] or '')}</p></section>"
    )
    links = "".join(f'<link rel="stylesheet" href="{html.escape(href)}">' for href in styles)
    page = (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{name}</title>{links}<style>{formula_css}</style><style>{PRINT_CSS}</style></head>"
        '<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        f"<main>{cover}{combiner.toc()}{''.join(sections)}</main></body></html>"
    )
    target = site_dir / PRINT_PAGE
    target.write_text(page, encoding="utf-8")
    return target


def _require_cjk_font() -> None:
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        found = ""
    if not found.strip():
        raise SystemExit("no Chinese font found (fc-list :lang=zh): install Debian's fonts-noto-cjk")


def print_pdf(url: str, target: Path, title: str) -> None:
    from playwright.sync_api import sync_playwright

    settings = _settings()["browser"]
    executable = os.environ.get("CHROME_PATH", settings["executable"])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=settings["args"])
        try:
            context = browser.new_context()
            # The handbook is offline: nothing but the local server may be reached.
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
                          or route.request.url.startswith("data:") else route.abort())
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + PRINT_PAGE, wait_until="load", timeout=LOAD_TIMEOUT_S * 1000)
            if errors:
                raise SystemExit(f"the print page has errors: {errors}")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            page.emulate_media(media="print")
            page.pdf(
                path=str(target), format="A4", print_background=True, prefer_css_page_size=True,
                display_header_footer=True, header_template="<span></span>",
                footer_template=FOOTER.format(title=html.escape(title)),
                margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                outline=True, tagged=True,
            )
        finally:
            browser.close()


def _in_own_thread(function, *args) -> None:
    """Run function in a fresh thread: Playwright's sync API refuses a thread whose event loop is already
    running (as in a test session that drives a browser itself)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            function(*args)
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name="pdf-print")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def build_pdf(out_dir: Path, stamp: str) -> Path:
    """Build the site, combine it into one print page and print it to out_dir/ai-llm-handbook-STAMP.pdf."""
    _require_cjk_font()
    started = time.monotonic()
    config_file = ROOT / "mkdocs.yml"
    entries, config = nav_entries(config_file)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{NAME}-{stamp}.pdf"
    with tempfile.TemporaryDirectory(prefix="handbook-pdf-") as tmp:
        site_dir = Path(tmp) / "site"
        build(str(config_file), site_dir)
        built = time.monotonic()
        write_print_page(site_dir, config, entries, stamp)
        with serve(site_dir) as url:
            partial = target.with_suffix(".pdf.part")
            _in_own_thread(print_pdf, url, partial, config["site_name"])
            shutil.move(partial, target)
    print(f"PDF: build {built - started:.0f} s, print {time.monotonic() - built:.0f} s", file=sys.stderr)
    return target


if __name__ == "__main__":
    path = build_pdf(ROOT / "build", dt.date.today().strftime("%Y%m%d"))
    print(path)
