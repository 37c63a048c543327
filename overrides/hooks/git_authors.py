"""Authors of every page from the local git history (no network), shown beside the last-updated date.

One `git log` over docs/ per build. Without git or history (a tarball, a new uncommitted page) a page simply
has no authors listed; the build never fails or warns for that.
"""

from __future__ import annotations

import logging
import subprocess
from collections import Counter
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.git_authors")
_authors: dict[str, list[str]] = {}


def read_history(docs_dir: Path) -> dict[str, list[str]]:
    """Map each file (relative to docs_dir) to its authors, most commits first."""
    try:
        out = subprocess.run(
            ["git", "log", "--no-merges", "--format=%x1e%aN", "--name-only", "--relative", "--", "."],
            cwd=docs_dir, capture_output=True, text=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        log.info("git_authors: no git history here; pages are shown without authors")
        return {}
    counts: dict[str, Counter[str]] = {}
    for commit in out.split("\x1e")[1:]:
        author, *files = commit.strip().splitlines()
        for name in filter(None, files):
            counts.setdefault(name, Counter())[author] += 1
    return {name: [a for a, _ in c.most_common()] for name, c in counts.items()}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _authors.clear()
    _authors.update(read_history(Path(config.docs_dir)))
    return config


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    context["page_authors"] = _authors.get(page.file.src_uri, [])
    return context
