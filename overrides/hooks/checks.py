"""Fail the build on source problems that MkDocs would pass over silently.

MkDocs drops a page's front matter without a word when its YAML is malformed; here it is an error that
names the file and the line.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.S)


def check_front_matter(text: str, source: str) -> None:
    if not text.startswith("---"):
        return
    match = FRONT_MATTER.match(text)
    if not match:
        raise PluginError(f"{source}:1: front matter starts with '---' but is never closed")
    try:
        data = yaml.safe_load(match.group("body") or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        raise PluginError(f"{source}:{line}: malformed front matter: {exc}") from exc
    if data is not None and not isinstance(data, dict):
        raise PluginError(f"{source}:2: front matter must be a mapping of keys to values")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.abs_src_path and page.file.src_uri.endswith(".md"):
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        check_front_matter(text, f"docs/{page.file.src_uri}")
    return markdown
