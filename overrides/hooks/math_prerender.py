"""Typeset the Markdown pages' formulas at build time: SVG for the eye, MathML for screen readers, no JavaScript.

Arithmatex leaves `<span class="arithmatex">\\(…\\)</span>` and `<div class="arithmatex">\\[…\\]</div>` in the page.
After the page is rendered (and indexed for search, which keeps the TeX), every formula is replaced by MathJax's
SVG output with assistive MathML, made by MathJax 3.2.2 from npm (`mathjax-full`) in one Node process per build
(overrides/hooks/mathjax_render.js). A formula MathJax cannot parse fails the build and names the page.
Notebook pages keep the browser-side MathJax (overrides/hooks/mathjax.py): their math is in notebook Markdown.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

RENDERER = Path(__file__).with_name("mathjax_render.js")
PROJECT = Path(__file__).resolve().parents[2]  # node resolves mathjax-full from the script's folder upwards
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>', re.S
)


class _Renderer:
    def __init__(self, root: Path) -> None:
        node = shutil.which("node")
        if node is None:
            raise PluginError("math: Node.js is needed to typeset formulas at build time (install nodejs)")
        if not (root / "node_modules" / "mathjax-full").is_dir():
            raise PluginError("math: mathjax-full is missing: run `npm ci` in the project folder")
        self.proc = subprocess.Popen([node, str(RENDERER)], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8")
        self.css = str(self._read().get("css", ""))

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


_renderer: _Renderer | None = None


def on_pre_build(config: MkDocsConfig) -> None:
    global _renderer
    if _renderer is None:
        _renderer = _Renderer(PROJECT)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if _renderer is None or 'class="arithmatex"' not in output or page.file.src_uri.endswith(".ipynb"):
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

    output = FORMULA.sub(typeset, output)
    return output.replace("</head>", f'<style id="mathjax-svg">{renderer.css}</style></head>', 1)


def on_post_build(config: MkDocsConfig) -> None:
    global _renderer
    if _renderer is not None:
        _renderer.close()
        _renderer = None
