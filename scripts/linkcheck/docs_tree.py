"""The documentation tree: which files exist, which are pages, and the URL each page gets (MkDocs 1.6)."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SUFFIXES = (".md", ".ipynb")


def list_files(root: Path) -> set[str]:
    """Relative POSIX paths of every file under root, skipping hidden files and folders as MkDocs does."""
    found: set[str] = set()
    root_str = str(root)
    for directory, subdirs, files in os.walk(root_str):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        rel_dir = os.path.relpath(directory, root_str)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in files if not name.startswith("."))
    return found


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """``File.url`` of MkDocs: ``a/b.md`` -> ``a/b/``, ``a/index.md`` -> ``a/``, ``index.md`` -> ``""``."""
    stem, suffix = posixpath.splitext(src_uri)
    if suffix not in PAGE_SUFFIXES:
        return src_uri
    directory, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{directory}/" if directory else ""
    if use_directory_urls:
        return f"{stem}/"
    return f"{stem}.html"


@dataclass
class DocsTree:
    """Files of ``docs/`` and the page URLs they produce."""

    root: Path
    display_root: str
    use_directory_urls: bool = True
    files: set[str] = field(default_factory=set)
    url_to_src: dict[str, str] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path, display_root: str, use_directory_urls: bool) -> DocsTree:
        tree = cls(root, display_root, use_directory_urls, list_files(root))
        # README.md is the index only where there is no index.md; .md wins over .ipynb of the same name.
        for src in sorted(tree.files, key=lambda s: (s.endswith("README.md"), s.endswith(".ipynb"))):
            if src.endswith(PAGE_SUFFIXES):
                tree.url_to_src.setdefault(page_url(src, use_directory_urls), src)
        return tree

    def display(self, src_uri: str) -> str:
        return posixpath.join(self.display_root, src_uri) if self.display_root else src_uri

    def pages(self) -> list[str]:
        return sorted(f for f in self.files if f.endswith(PAGE_SUFFIXES))

    def url_of(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def source_for_url(self, url: str) -> str | None:
        """The page built at a URL path (``a/b/``, ``a/b``, ``a/b/index.html``), or None."""
        if url in self.url_to_src:
            return self.url_to_src[url]
        if url.endswith("index.html"):
            return self.url_to_src.get(url[: -len("index.html")])
        if not url.endswith("/"):
            return self.url_to_src.get(url + "/")
        return None
