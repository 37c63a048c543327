"""One run: read the sources and the built site, check internal links, then (optionally) external ones."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import ResultCache
from .docs_tree import DocsTree
from .internal import InternalChecker
from .mkdocs_config import MkDocsSettings
from .models import Kind, Link, LinkType, Location, Problem
from .progress import Progress
from .report import RunStats
from .settings import Settings
from .site_tree import SiteTree
from .sources import SourceResult, extract_all, extract_source
from .urls import Target, classify

if TYPE_CHECKING:
    from .external import ExternalResult


@dataclass
class RunOptions:
    mkdocs: MkDocsSettings
    settings: Settings
    docs: Path | None = None
    docs_display: str = "docs"
    site: Path | None = None
    site_display: str = "site"
    external: bool = False
    external_fragments: bool = False
    use_cache: bool = True
    cache_path: Path | None = None
    progress: bool = False


@dataclass
class _ExternalUse:
    link: Link
    target: Target
    note: str = ""


def _site_file_url(rel: str) -> str:
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def _collapse_repeats(problems: list[Problem]) -> list[Problem]:
    """One report for a theme link that is broken the same way on many built pages (say, in the nav)."""
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[(problem.kind.value, problem.message)].append(problem)  # messages name the resolved target
    collapsed = []
    for group in groups.values():
        first = min(group, key=Problem.sort_key)
        if len(group) > 1:
            first.message += f" (the same link is broken on {len(group) - 1} more built pages)"
        collapsed.append(first)
    return collapsed


class Run:
    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.settings = options.settings
        self.problems: list[Problem] = []
        self.stats = RunStats()
        self.tree: DocsTree | None = None
        self.site: SiteTree | None = None
        self.sources: dict[str, SourceResult] = {}
        self.external_uses: dict[str, list[_ExternalUse]] = defaultdict(list)
        self.checker: InternalChecker | None = None

    def execute(self) -> tuple[list[Problem], RunStats]:
        started = time.perf_counter()
        opts = self.options
        if opts.docs is not None:
            self.tree = DocsTree.scan(opts.docs, opts.docs_display, opts.mkdocs.use_directory_urls)
        if opts.site is not None:
            self.site = SiteTree.scan(opts.site, opts.site_display)
        self.checker = InternalChecker(self.tree, self.site, opts.mkdocs.base_path, self._source_anchors)
        if self.tree is not None:
            self._check_sources()
        if self.site is not None:
            self._check_site()
        if opts.external:
            self._check_external()
        self.stats.seconds = time.perf_counter() - started
        return self.problems, self.stats

    # -- sources -----------------------------------------------------------------------------------
    def _source_anchors(self, src_uri: str) -> set[str] | None:
        result = self.sources.get(src_uri)
        if result is None and self.tree is not None and src_uri in self.tree.files:
            assert self.options.docs is not None
            result = extract_source(
                self.options.docs / src_uri, src_uri, self.tree.display(src_uri), self.options.mkdocs.slugify
            )
            self.sources[src_uri] = result
        return None if result is None else result.anchors

    def _check_sources(self) -> None:
        assert self.tree is not None and self.options.docs is not None and self.checker is not None
        items = [(self.options.docs / src, src, self.tree.display(src)) for src in self.tree.pages()]
        for result in extract_all(items, self.options.mkdocs.slugify):
            self.sources[result.src_uri] = result
        self.stats.files += len(items)
        for src_uri in sorted(self.sources):
            result = self.sources[src_uri]
            self.problems.extend(result.problems)
            self.stats.links += len(result.links)
            for link in result.links:
                cell = result.cells.get(link)
                note = f" (cell {cell})" if cell else ""
                problem = self._check_source_link(src_uri, link, note)
                if problem is not None:
                    problem.message += note
                    self.problems.append(problem)

    def _check_source_link(self, src_uri: str, link: Link, note: str) -> Problem | None:
        assert self.checker is not None
        if self.settings.excluded(link.url):
            return None
        target = classify(link.url)
        if target.category == "malformed":
            return Problem(link.location, link.url, Kind.MALFORMED_URL, target.message)
        if target.category == "external":
            self.external_uses[target.url].append(_ExternalUse(link, target, note))
            return None
        if target.category == "internal":
            return self.checker.check_source_link(src_uri, link, target)
        return None

    # -- built site --------------------------------------------------------------------------------
    def _check_site(self) -> None:
        assert self.site is not None and self.checker is not None
        site_url = self.options.mkdocs.site_url.rstrip("/") + "/" if self.options.mkdocs.site_url else ""
        collect_external = self.tree is None
        html_files = self.site.html_files()
        site_problems: list[Problem] = []
        self.stats.files += len(html_files)
        for rel in html_files:
            display = self.site.display(rel)
            page = self.site.page(rel)
            if page is None:
                site_problems.append(
                    Problem(Location(display, 1, 1), "", Kind.UNREADABLE_FILE, "cannot read built page")
                )
                continue
            source = self.tree.source_for_url(_site_file_url(rel)) if self.tree is not None else None
            self.stats.links += len(page.links)
            for page_link in page.links:
                url = page_link.url
                if not url.strip() or self.settings.excluded(url):
                    continue
                location = Location(display, page_link.line, page_link.column)
                if site_url and url.startswith(site_url):
                    url = self.options.mkdocs.base_path + url[len(site_url) :]
                target = classify(url)
                source_display = self.tree.display(source) if (self.tree and source) else None
                if target.category == "malformed" and source is None:  # else reported at the source
                    site_problems.append(
                        Problem(location, url, Kind.MALFORMED_URL, target.message, source_page=source_display)
                    )
                elif target.category == "internal":
                    problem = self.checker.check_site_link(rel, source, url, location, target)
                    if problem is not None:
                        site_problems.append(problem)
                elif target.category == "external" and collect_external:
                    link = Link(url, location, LinkType.HTML, source_display)
                    self.external_uses[target.url].append(_ExternalUse(link, target))
        self.problems.extend(_collapse_repeats(site_problems))

    # -- external ----------------------------------------------------------------------------------
    def _check_external(self) -> None:
        settings = self.settings
        fragments = self.options.external_fragments or settings.external_fragments
        wanted: dict[str, bool] = {}
        for url, uses in self.external_uses.items():
            wanted[url] = fragments and any(
                use.target.fragment and not settings.skip_fragment(use.target.fragment) for use in uses
            )
        from .external import ExternalChecker  # aiohttp is imported only for external checks

        cache_path = self.options.cache_path if self.options.use_cache else None
        cache = ResultCache.load(cache_path, settings.cache_ttl)
        with Progress(self.options.progress, "external links", len(wanted)) as bar:
            checker = ExternalChecker(settings, cache, on_done=lambda _result: bar.advance())
            results = checker.run(wanted)
        self.stats.external_urls = len(wanted)
        self.stats.external_requests = checker.request_count
        self.stats.cached_urls = sum(1 for r in results.values() if r.from_cache)
        for url, result in results.items():
            for use in self.external_uses[url]:
                problem = self._external_problem(result, use, fragments)
                if problem is not None:
                    problem.message += use.note
                    self.problems.append(problem)

    def _external_problem(self, result: ExternalResult, use: _ExternalUse, fragments: bool) -> Problem | None:
        link = use.link
        if result.kind is not None:
            return Problem(link.location, link.url, result.kind, result.message, result.status, link.source_page)
        fragment = use.target.fragment
        ids = result.ids if fragments and fragment and not self.settings.skip_fragment(fragment) else None
        if ids is not None and fragment not in ids and use.target.raw_fragment not in ids:
            message = f"anchor '#{fragment}' not found in {result.final_url}"
            return Problem(
                link.location,
                link.url,
                Kind.MISSING_EXTERNAL_ANCHOR,
                message,
                result.status,
                link.source_page,
            )
        if result.permanent_url:
            suggestion = result.permanent_url + (f"#{use.target.raw_fragment}" if use.target.raw_fragment else "")
            message = f"permanently redirected ({result.permanent_status}); use {suggestion}"
            return Problem(
                link.location,
                link.url,
                Kind.PERMANENT_REDIRECT,
                message,
                result.permanent_status,
                link.source_page,
            )
        return None


def run(options: RunOptions) -> tuple[list[Problem], RunStats]:
    return Run(options).execute()
