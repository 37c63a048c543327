"""Self-hosted MathJax in the browser, for notebook pages (Markdown pages are typeset at build time by
overrides/hooks/math_prerender.py) and for the print page of the PDF edition.

MathJax 3 comes from the Python package ``django-static-mathjax`` (pinned in requirements.txt), which ships
MathJax's ``es5/`` build. Only the files a reader needs are published (see ``extra.mathjax`` in mkdocs.yml).
Notebook pages with math get a small loader script inside their content; Material re-runs content scripts after
instant navigation, so the loader typesets again on every page change.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

SITE_DIR = "assets/mathjax"
LOADER = "assets/javascripts/mathjax-loader.js"
NOTEBOOK_MATH = re.compile(r"\$[^$\n]+\$|\$\$|\\\(|\\\[|\\begin\{")


def _source_dir() -> Path:
    try:
        import mathjax  # django-static-mathjax
    except ImportError as exc:  # pragma: no cover - an install problem, reported clearly
        raise PluginError("MathJax is missing: install requirements.txt (django-static-mathjax)") from exc
    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _settings(config: MkDocsConfig) -> dict:
    settings = config.extra.get("mathjax")
    if not isinstance(settings, dict) or "entry" not in settings or "include" not in settings:
        raise PluginError("mkdocs.yml: extra.mathjax needs 'entry' and 'include' (see overrides/hooks/mathjax.py)")
    return settings


def notebook_has_math(page: Page) -> bool:
    notebook = json.loads(Path(page.file.abs_src_path or "").read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown" and NOTEBOOK_MATH.search(source):
            return True
        if any("text/latex" in output.get("data", {}) for output in cell.get("outputs", [])):
            return True
    return False


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Markdown pages are typeset at build time (math_prerender.py); only notebook pages need MathJax in the browser.
    if not page.file.src_uri.endswith(".ipynb") or not notebook_has_math(page):
        return html
    settings = _settings(config)
    loader = get_relative_url(LOADER, page.url)
    entry = get_relative_url(f"{SITE_DIR}/{settings['entry']}", page.url)
    return html + f'\n<script src="{loader}" data-mathjax-src="{entry}"></script>\n'


def on_post_build(config: MkDocsConfig) -> None:
    settings = _settings(config)
    source = _source_dir()
    target = Path(config.site_dir) / SITE_DIR
    wanted = [settings["entry"], *settings["include"]]
    for name in wanted:
        src = source / name
        if not src.exists():
            raise PluginError(f"mkdocs.yml: extra.mathjax lists '{name}', which the MathJax package lacks")
        dst = target / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
