"""Typeset every formula at build time: SVG for the eye, MathML for screen readers, no MathJax in the browser.

Arithmatex leaves `<span class="arithmatex">\\(…\\)</span>` and `<div class="arithmatex">\\[…\\]</div>` in Markdown
pages. Notebook pages carry their Markdown cells' math as `$…$` and `$$…$$` text (nbconvert protects it from
Markdown); it is first wrapped the same way, everywhere in the page body except code (`pre`, `code`, `script`…).
After the page is rendered (and indexed for search, which keeps the TeX), every formula is replaced by MathJax's
SVG output with assistive MathML, made by MathJax 3.2.2 from npm (`mathjax-full`) in one Node process per build
(overrides/hooks/mathjax_render.js). A formula MathJax cannot parse fails the build and names the page.
Pages with formulas get MathJax's small stylesheet inline (instant navigation carries it over to the new page).
Typeset formulas are kept in .cache/math/formulas.json, valid while the renderer and mathjax-full stay the same:
`mkdocs serve` rebuilds every page on every change, and about 3,600 formulas take ~5 s to typeset.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

RENDERER = Path(__file__).with_name("mathjax_render.js")
PROJECT = Path(__file__).resolve().parents[2]  # node resolves mathjax-full from the script's folder upwards
CACHE = PROJECT / ".cache" / "math" / "formulas.json"
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>', re.S
)
# Formulas outside arithmatex's markup: a paragraph that is one `$$…$$` formula (notebook Markdown), then
# markup and code to leave alone, then text in which `$…$`, `$$…$$` (notebooks) and `\(…\)` (Markdown headings
# repeated in the table of contents, where arithmatex does not reach) are formulas.
DISPLAY_PARAGRAPH = re.compile(r"<p>\s*\$\$(?P<tex>[^<]+?)\$\$\s*</p>")
SKIP_OR_TEXT = re.compile(
    r"(?P<skip><(?P<tag>pre|code|script|style|textarea|svg|mjx-container)\b.*?</(?P=tag)>|<[^>]*>)"
    r"|(?P<text>[^<]+)",
    re.S,
)
PAREN_MATH = re.compile(r"\\\((?P<inline>.+?)\\\)")
DOLLAR_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$]+?)\$|\\\((?P<paren>.+?)\\\)")


class _Renderer:
    def __init__(self, root: Path) -> None:
        node = shutil.which("node")
        if node is None:
            raise PluginError("math: Node.js is needed to typeset formulas at build time (install nodejs)")
        if not (root / "node_modules" / "mathjax-full").is_dir():
            raise PluginError("math: mathjax-full is missing: run `npm ci` in the project folder")
        self.proc = subprocess.Popen([node, str(RENDERER)], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8")
        css = str(self._read().get("css", ""))
        self.css = re.sub(r"\s*([{};,>])\s*", r"\1", re.sub(r"\s+", " ", css)).strip()  # one short line

    def _read(self) -> dict[str, str]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise PluginError("math: the MathJax renderer stopped (see overrides/hooks/mathjax_render.js)")
        return json.loads(line)

    def render(self, tex: str, display: bool) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        if "error" in answer:
            raise ValueError(answer["error"])
        return answer["html"]

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


class _Typesetter:
    """MathJax with a memory: formulas typeset by an earlier build with the same renderer are reused."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root, self.cache = root, cache
        digest = hashlib.sha256(RENDERER.read_bytes())
        package = root / "node_modules" / "mathjax-full" / "package.json"
        digest.update(package.read_bytes() if package.exists() else b"missing")
        self.fingerprint = digest.hexdigest()
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}
        self.css = ""
        self._mathjax: _Renderer | None = None
        try:
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved["fingerprint"] == self.fingerprint:
                self.known, self.css = dict(saved["formulas"]), str(saved["css"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache yet, or an unreadable one: typeset everything
        if not self.css:
            self.css = self.mathjax().css

    def mathjax(self) -> _Renderer:
        if self._mathjax is None:
            self._mathjax = _Renderer(self.root)
        return self._mathjax

    def render(self, tex: str, display: bool) -> str:
        key = ("display:" if display else "inline:") + tex
        svg = self.used.get(key) or self.known.get(key)
        if svg is None:
            svg = self.mathjax().render(tex, display)  # a formula that fails is never cached
        self.used[key] = svg
        return svg

    def close(self) -> None:
        if self._mathjax is not None:
            self._mathjax.close()
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        partial = self.cache.with_suffix(f".{os.getpid()}.tmp")
        saved = {"fingerprint": self.fingerprint, "css": self.css, "formulas": self.used}  # only what is in use
        partial.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.cache)


_renderer: _Typesetter | None = None


def _mark_text_math(body: str, dollars: bool) -> str:
    """Formulas in the body's text → arithmatex markup (the TeX stays HTML-escaped, as arithmatex leaves it)."""
    pattern = DOLLAR_MATH if dollars else PAREN_MATH

    def mark(m: re.Match[str]) -> str:
        if m.groupdict().get("display"):
            return f'<span class="arithmatex">\\[{m["display"]}\\]</span>'
        return f'<span class="arithmatex">\\({m["inline"] or m["paren"]}\\)</span>'

    if dollars:
        body = DISPLAY_PARAGRAPH.sub(lambda m: f'<div class="arithmatex">\\[{m["tex"]}\\]</div>', body)
    return SKIP_OR_TEXT.sub(lambda m: m[0] if m["skip"] else pattern.sub(mark, m[0]), body)


def on_pre_build(config: MkDocsConfig) -> None:
    global _renderer
    if _renderer is None:
        _renderer = _Typesetter(PROJECT, CACHE)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if _renderer is None or "<body" not in output:
        return output
    renderer = _renderer

    def typeset(match: re.Match[str]) -> str:
        display = match["display"] is not None
        tex = html.unescape(match["display"] if display else match["inline"])
        try:
            svg = renderer.render(tex, display)
        except ValueError as exc:
            raise PluginError(f"{page.file.src_uri}: formula ${tex}$ does not typeset: {exc}") from exc
        return f'<{match["tag"]} class="arithmatex">{svg}</{match["tag"]}>'

    head, body = output.split("<body", 1)
    body = FORMULA.sub(typeset, body)  # arithmatex's formulas first, so that their TeX is not marked again
    body = FORMULA.sub(typeset, _mark_text_math(body, dollars=page.file.src_uri.endswith(".ipynb")))
    if "<mjx-container" in body:
        head = head.replace("</head>", f'<style id="mathjax-svg">{renderer.css}</style></head>', 1)
    return f"{head}<body{body}"


def on_post_build(config: MkDocsConfig) -> None:
    global _renderer
    if _renderer is not None:
        _renderer.close()
        _renderer = None
