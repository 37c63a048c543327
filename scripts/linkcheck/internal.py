"""Checks of links that stay inside the site: pages, files, anchors, the site root.

Markdown links to files are resolved as MkDocs 1.6 rewrites them (relative to the source file, with
``use_directory_urls``); links MkDocs leaves alone (raw HTML, folders, absolute paths) are resolved as
the browser will, relative to the page's URL. Anchors are looked up in the built page when the site is
given, else in the ids computed from the target's Markdown.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from .docs_tree import DocsTree
from .models import Kind, Link, LinkType, Location, Problem
from .site_tree import SiteTree, join_relative, page_base_dir, site_key
from .urls import Target

PAGE_LIKE_SUFFIXES = (".md", ".ipynb", ".html", ".htm")
ALWAYS_VALID_FRAGMENTS = frozenset({"", "top"})

# Dedupe key of a finding in the built site: (source page, site file, fragment).
SiteKey = tuple[str, str, str]


@dataclass
class Resolved:
    """Where an internal link lands: a page source (``src``) and/or a site file (``site_file``)."""

    src: str | None = None
    site_file: str | None = None
    problem: tuple[Kind, str] | None = None


def _fragment_ok(target: Target, ids: set[str]) -> bool:
    return target.fragment in ALWAYS_VALID_FRAGMENTS or target.fragment in ids or target.raw_fragment in ids


def _missing_kind(path: str, link_type: LinkType) -> Kind:
    if link_type == LinkType.IMAGE:
        return Kind.MISSING_FILE
    name = path.rstrip("/").rsplit("/", 1)[-1]
    suffix = posixpath.splitext(name)[1]
    if path.endswith("/") or not suffix or suffix in PAGE_LIKE_SUFFIXES:
        return Kind.MISSING_PAGE
    return Kind.MISSING_FILE


class InternalChecker:
    """Resolves internal links of source pages and built pages and reports what does not exist."""

    def __init__(
        self,
        tree: DocsTree | None,
        site: SiteTree | None,
        base_path: str,
        source_anchors: Callable[[str], set[str] | None],
    ) -> None:
        self.tree = tree
        self.site = site
        self.base_path = base_path
        self.source_anchors = source_anchors
        self.reported_keys: set[SiteKey] = set()

    # -- shared ------------------------------------------------------------------------------------
    def _absolute_to_rel(self, path: str) -> str | None:
        """``/handbook/a/`` -> ``a/`` when the site lives at ``/handbook/``; None when outside it."""
        if path.startswith(self.base_path):
            return join_relative("", path[len(self.base_path) :])
        if path + "/" == self.base_path:
            return ""
        return None

    def _resolve_url(self, rel: str, link_type: LinkType) -> Resolved:
        """A site-relative URL path, as the browser requests it."""
        if self.tree is not None:
            src = self.tree.source_for_url(rel)
            if src is not None:
                return Resolved(src=src, site_file=site_key(self.tree.url_of(src)))
            if rel in self.tree.files:
                return Resolved(site_file=rel)
        if self.site is not None:
            found = self.site.resolve_file(rel)
            if found is not None:
                return Resolved(site_file=found)
        return Resolved(problem=(_missing_kind(rel, link_type), f"'{rel or '/'}' does not exist in the site"))

    def _page_ids(self, resolved: Resolved) -> set[str] | None:
        site_file = resolved.site_file or ""
        if self.site is not None and site_file in self.site.files and site_file.endswith((".html", ".htm")):
            return self.site.ids(site_file)
        if resolved.src is not None:
            return self.source_anchors(resolved.src)
        return None

    def _anchor_problem(self, resolved: Resolved, target: Target, where: str) -> tuple[Kind, str] | None:
        if not target.fragment:
            return None
        ids = self._page_ids(resolved)
        if ids is None or _fragment_ok(target, ids):
            return None
        return Kind.MISSING_ANCHOR, f"anchor '#{target.fragment}' not found in {where}"

    # -- source pages ------------------------------------------------------------------------------
    def check_source_link(self, src_uri: str, link: Link, target: Target) -> Problem | None:
        """Check one internal link of a source page (``target.category == "internal"``)."""
        assert self.tree is not None
        page_url = self.tree.url_of(src_uri)
        path = target.url
        if not path:
            resolved = Resolved(src=src_uri, site_file=site_key(page_url))
            found = self._anchor_problem(resolved, target, "this page")
            self._remember(src_uri, resolved.site_file, target, found)
            return self._problem(link, target, found)

        mkdocs_style = link.link_type != LinkType.HTML and not path.startswith("/")
        if mkdocs_style:
            target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
            if target_uri == ".." or target_uri.startswith("../"):
                found = (Kind.OUTSIDE_SITE, f"'{link.url}' points outside the documentation folder")
                self._remember_browser(src_uri, page_url, path, target, found)
                return self._problem(link, target, found)
            if target_uri in self.tree.files:
                is_page = target_uri.endswith((".md", ".ipynb"))
                resolved = Resolved(
                    src=target_uri if is_page else None,
                    site_file=site_key(self.tree.url_of(target_uri)) if is_page else target_uri,
                )
                found = self._anchor_problem(resolved, target, self.tree.display(target_uri)) if is_page else None
                self._remember(src_uri, resolved.site_file, target, found)
                self._remember_browser(src_uri, page_url, path, target, found)
                return self._problem(link, target, found)
            if posixpath.splitext(path)[1]:
                kind = _missing_kind(path, link.link_type)
                what = "image" if link.link_type == LinkType.IMAGE else "page" if kind == Kind.MISSING_PAGE else "file"
                found = (kind, f"{what} '{target_uri}' not found in {self.tree.display_root or 'docs'}")
                self._remember_browser(src_uri, page_url, path, target, found)
                return self._problem(link, target, found)
            # No suffix: MkDocs leaves the link as written and the browser resolves it.

        if path.startswith("/"):
            rel = self._absolute_to_rel(path)
            if rel is None:
                message = f"absolute link '{link.url}' is outside the site's base path {self.base_path}"
                return self._problem(link, target, (Kind.OUTSIDE_SITE, message))
        else:
            rel = join_relative(page_base_dir(page_url), path)
            if rel is None:
                found = (Kind.OUTSIDE_SITE, f"'{link.url}' points above the site root")
                return self._problem(link, target, found)
        resolved = self._resolve_url(rel, link.link_type)
        found = resolved.problem
        if found is not None:
            found = (found[0], f"{found[1]} (a browser resolves '{link.url}' against /{page_url})")
        else:
            where = self.tree.display(resolved.src) if resolved.src else (resolved.site_file or rel)
            found = self._anchor_problem(resolved, target, where)
        self._remember(src_uri, site_key(rel), target, found)
        return self._problem(link, target, found)

    def _remember(self, src_uri: str, site_file: str | None, target: Target, found: tuple[Kind, str] | None) -> None:
        if found is not None and site_file is not None:
            self.reported_keys.add((src_uri, site_file, target.fragment))

    def _remember_browser(
        self, src_uri: str, page_url: str, path: str, target: Target, found: tuple[Kind, str] | None
    ) -> None:
        if found is not None:
            rel = join_relative(page_base_dir(page_url), path)
            if rel is not None:
                self.reported_keys.add((src_uri, site_key(rel), target.fragment))

    @staticmethod
    def _problem(link: Link, target: Target, found: tuple[Kind, str] | None) -> Problem | None:
        if found is None:
            return None
        del target
        kind, message = found
        return Problem(link.location, link.url, kind, message, source_page=link.source_page)

    # -- built pages -------------------------------------------------------------------------------
    def check_site_link(
        self, site_file: str, source: str | None, url: str, location: Location, target: Target
    ) -> Problem | None:
        """Check one internal link of a built page (``target.category == "internal"``)."""
        assert self.site is not None
        path = target.url
        source_display = self.tree.display(source) if (self.tree is not None and source) else None
        if not path:
            rel: str | None = site_file
        elif path.startswith("/"):
            rel = self._absolute_to_rel(path)
            if rel is None:
                message = f"absolute link '{url}' is outside the site's base path {self.base_path}"
                return Problem(location, url, Kind.OUTSIDE_SITE, message, source_page=source_display)
        else:
            rel = join_relative(posixpath.dirname(site_file) + "/" if "/" in site_file else "", path)
            if rel is None:
                message = f"'{url}' points above the site root"
                return Problem(location, url, Kind.OUTSIDE_SITE, message, source_page=source_display)
        assert rel is not None
        key = site_key(rel) if path else site_file
        if source is not None and (source, key, target.fragment) in self.reported_keys:
            return None  # already reported at its Markdown source
        found_file = self.site.resolve_file(rel) if path else site_file
        if found_file is None:
            kind = _missing_kind(rel, LinkType.HTML)
            message = f"'{rel or '/'}' does not exist in the built site"
            return Problem(location, url, kind, message, source_page=source_display)
        if target.fragment and found_file.endswith((".html", ".htm")):
            ids = self.site.ids(found_file)
            if ids is not None and not _fragment_ok(target, ids):
                message = f"anchor '#{target.fragment}' not found in {self.site.display(found_file)}"
                return Problem(location, url, Kind.MISSING_ANCHOR, message, source_page=source_display)
        return None
