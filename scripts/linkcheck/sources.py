"""Reading the documentation sources (Markdown pages and notebooks) into links, anchors and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .markdown_links import MarkdownExtractor
from .models import Kind, Link, Location, Problem
from .notebook_links import extract_notebook
from .slugs import Slugify


@dataclass
class SourceResult:
    src_uri: str
    display: str
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    cells: dict[Link, int] = field(default_factory=dict)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """File text; a non-UTF-8 file is reported at its first bad byte and read with replacements."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        return None, [Problem(Location(display, 1, 1), "", Kind.UNREADABLE_FILE, message)]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        message = f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); read with replacement characters"
        problem = Problem(Location(display, line, column), "", Kind.UNREADABLE_FILE, message)
        return data.decode("utf-8", errors="replace"), [problem]


_EXTRACTORS: dict[int, MarkdownExtractor] = {}


def _extractor(slugify: Slugify) -> MarkdownExtractor:
    key = id(slugify)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = MarkdownExtractor(slugify)
    return _EXTRACTORS[key]


def extract_source(path: Path, src_uri: str, display: str, slugify: Slugify) -> SourceResult:
    result = SourceResult(src_uri, display)
    text, problems = read_text(path, display)
    result.problems.extend(problems)
    if text is None:
        return result
    extractor = _extractor(slugify)
    if src_uri.endswith(".ipynb"):
        notebook = extract_notebook(text, display, extractor)
        result.links, result.anchors, result.cells = notebook.links, notebook.anchors, notebook.cells
        result.problems.extend(notebook.problems)
    else:

        def mapper(line: int, column: int) -> Location:
            return Location(display, line + 1, column + 1)

        markdown = extractor.extract(text, mapper)
        result.links, result.anchors = markdown.links, markdown.anchors
        result.problems.extend(markdown.problems)
    return result


def extract_all(items: list[tuple[Path, str, str]], slugify: Slugify) -> list[SourceResult]:
    """Extract every source (``(path, src_uri, display)``); about 3 ms for a typical page."""
    return [extract_source(path, src, display, slugify) for path, src, display in items]
