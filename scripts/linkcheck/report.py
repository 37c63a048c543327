"""Output formats: text summary grouped by file, JSON (one object per problem), GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from .models import Problem


@dataclass
class RunStats:
    files: int = 0
    links: int = 0
    external_urls: int = 0
    external_requests: int = 0
    cached_urls: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def _counts(problems: list[Problem]) -> tuple[int, int]:
    warnings = sum(1 for p in problems if p.is_warning)
    return len(problems) - warnings, warnings


def format_text(problems: list[Problem], stats: RunStats) -> str:
    lines: list[str] = []
    ordered = sorted(problems, key=Problem.sort_key)
    for file, group in groupby(ordered, key=lambda p: p.location.file):
        items = list(group)
        sources = sorted({p.source_page for p in items if p.source_page})
        header = f"{file} (built from {', '.join(sources)})" if sources else file
        lines.append(header)
        for problem in items:
            loc = problem.location
            status = f" [{problem.status}]" if problem.status is not None else ""
            lines.append(
                f"  {loc.line}:{loc.column}  {problem.severity:<7} {problem.kind.value:<24} "
                f"{problem.url}{status}\n      {problem.message}"
            )
        lines.append("")
    errors, warnings = _counts(problems)
    files_with = len({p.location.file for p in problems})
    summary = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        f" in {files_with} file{'s' * (files_with != 1)}"
        f" (checked {stats.files} files, {stats.links} links"
    )
    if stats.external_urls:
        summary += (
            f", {stats.external_urls} external URLs: {stats.external_requests} requests, {stats.cached_urls} from cache"
        )
    summary += f"; {stats.seconds:.2f} s)"
    lines.extend(stats.notes)
    lines.append(summary)
    return "\n".join(lines) + "\n"


def format_json(problems: list[Problem]) -> str:
    items = [p.to_dict() for p in sorted(problems, key=Problem.sort_key)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Iterable[Problem]) -> str:
    lines = []
    for problem in sorted(problems, key=Problem.sort_key):
        loc = problem.location
        level = "warning" if problem.is_warning else "error"
        message = f"{problem.url}: {problem.message}" if problem.url else problem.message
        if problem.source_page:
            message += f" (source: {problem.source_page})"
        props = (
            f"file={_escape_property(loc.file)},line={loc.line},col={loc.column},"
            f"title={_escape_property(problem.kind.value)}"
        )
        lines.append(f"::{level} {props}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
