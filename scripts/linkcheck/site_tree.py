"""The built site: its files, the ids of its pages, and URL-path arithmetic that a browser does."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from .docs_tree import list_files
from .html_pages import HtmlPage, parse_page


def join_relative(base_dir: str, path: str) -> str | None:
    """Resolve ``path`` against ``base_dir`` ("" or "a/b/") like a browser; None if it climbs above root.

    The result is relative to the root and keeps a trailing slash: ``("a/b/", "../c/")`` -> ``"a/c/"``.
    """
    segments = [s for s in base_dir.split("/") if s]
    parts = path.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part in ("", "."):
            continue
        if part == "..":
            if not segments:
                return None
            segments.pop()
            continue
        if last:
            segments.append(part)
            return "/".join(segments)
        segments.append(part)
    return "/".join(segments) + "/" if segments else ""


def site_key(rel: str) -> str:
    """The file that serves a site-relative URL path: ``a/`` and ``a`` (a folder) -> ``a/index.html``."""
    if rel == "" or rel.endswith("/"):
        return rel + "index.html"
    return rel


def page_base_dir(page_url: str) -> str:
    """Folder a page's relative links resolve against: ``a/b/`` -> ``a/b/``, ``a/b.html`` -> ``a/``."""
    if page_url == "" or page_url.endswith("/"):
        return page_url
    directory = posixpath.dirname(page_url)
    return f"{directory}/" if directory else ""


@dataclass
class SiteTree:
    """Files of the built site; pages are parsed on first use and kept."""

    root: Path
    display_root: str
    files: set[str] = field(default_factory=set)
    _pages: dict[str, HtmlPage | None] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path, display_root: str) -> SiteTree:
        return cls(root, display_root, list_files(root))

    def display(self, rel: str) -> str:
        return posixpath.join(self.display_root, rel) if self.display_root else rel

    def html_files(self) -> list[str]:
        return sorted(f for f in self.files if f.endswith((".html", ".htm")))

    def resolve_file(self, rel: str) -> str | None:
        """The site file serving ``rel`` (folder URLs with or without slash), or None if nothing does."""
        key = site_key(rel)
        if key in self.files:
            return key
        if not rel.endswith("/") and f"{rel}/index.html" in self.files:
            return f"{rel}/index.html"
        return None

    def page(self, rel: str) -> HtmlPage | None:
        """Parsed page (ids and links); None when it cannot be read."""
        if rel not in self._pages:
            try:
                self._pages[rel] = parse_page((self.root / rel).read_bytes())
            except OSError:
                self._pages[rel] = None
        return self._pages[rel]

    def ids(self, rel: str) -> set[str] | None:
        page = self.page(rel)
        return None if page is None else page.ids
