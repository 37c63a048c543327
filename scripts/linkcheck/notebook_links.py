"""Links and anchors of a Jupyter notebook: Markdown cells and HTML/Markdown outputs.

Positions are reported in the ``.ipynb`` file itself (the JSON line holding the cell's source line), so
an editor can jump there; the message adds the cell number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .html_fragments import html_ids, html_urls
from .markdown_links import MarkdownExtractor, MarkdownResult, normalize_text
from .models import Kind, Link, LinkType, Location, Problem

_SOURCE_KEY_RE = re.compile(r'^\s*"source"\s*:')


@dataclass
class NotebookResult:
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    cells: dict[Link, int] = field(default_factory=dict)  # link -> 1-based cell number


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else ""


class _JsonLines:
    """Finds where strings of the notebook sit in its JSON text."""

    def __init__(self, raw: str) -> None:
        self.lines = raw.split("\n")
        self.source_keys = [i for i, line in enumerate(self.lines) if _SOURCE_KEY_RE.match(line)]

    def string_position(self, value: str, start_line: int) -> tuple[int, int, bool] | None:
        """(line, column of the opening quote, ensure_ascii) of a JSON string at or after start_line."""
        for ensure_ascii in (False, True):
            encoded = json.dumps(value, ensure_ascii=ensure_ascii)
            for line_no in range(start_line, min(start_line + 400, len(self.lines))):
                found = self.lines[line_no].find(encoded)
                if found >= 0:
                    return line_no, found, ensure_ascii
        return None


class _CellMapper:
    """Maps (line, column) in a cell's text to the notebook file's JSON line and column."""

    def __init__(self, path: str, items: list[str], json_lines: _JsonLines, key_line: int) -> None:
        self.path = path
        self.key_line = key_line
        self.rows: list[tuple[int, int, bool] | None] = []  # per cell line: JSON line, quote column, ascii
        search_from = key_line
        for item in items:
            found = json_lines.string_position(item, search_from)
            pieces = item.split("\n")
            if item.endswith("\n"):
                pieces.pop()
            for index, _ in enumerate(pieces or [""]):
                self.rows.append(found if index == 0 else (found[0], -1, found[2]) if found else None)
            if found:
                search_from = found[0]
        self.items = items

    def __call__(self, line: int, column: int) -> Location:
        row = self.rows[line] if line < len(self.rows) else None
        if row is None:
            return Location(self.path, self.key_line + 1, 1)
        json_line, quote, ensure_ascii = row
        if quote < 0:
            return Location(self.path, json_line + 1, 1)
        text_line = _line_text(self.items, line)
        prefix = json.dumps(text_line[:column], ensure_ascii=ensure_ascii)[1:-1]
        return Location(self.path, json_line + 1, quote + 2 + len(prefix))


def _line_text(items: list[str], line: int) -> str:
    lines = "".join(items).split("\n")
    return lines[line] if line < len(lines) else ""


def extract_notebook(raw: str, path: str, extractor: MarkdownExtractor) -> NotebookResult:
    result = NotebookResult()
    try:
        notebook = json.loads(raw)
    except json.JSONDecodeError as exc:
        location = Location(path, exc.lineno, exc.colno)
        result.problems.append(Problem(location, "", Kind.INVALID_NOTEBOOK, f"notebook is not valid JSON: {exc.msg}"))
        return result
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        result.problems.append(
            Problem(Location(path, 1, 1), "", Kind.INVALID_NOTEBOOK, "notebook has no list of cells")
        )
        return result
    json_lines = _JsonLines(raw)
    keys = json_lines.source_keys if len(json_lines.source_keys) == len(cells) else []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        key_line = keys[number - 1] if keys else 0
        source = cell.get("source", "")
        items = [str(part) for part in source] if isinstance(source, list) else [str(source)]
        if cell.get("cell_type") == "markdown":
            mapper = _CellMapper(path, items, json_lines, key_line)
            cell_result = extractor.extract(normalize_text("".join(items)), mapper, notebook=True)
            _merge(result, cell_result, number)
        elif cell.get("cell_type") == "code":
            # nbformat writes keys sorted, so a cell's outputs come before its source: search from the
            # previous cell's source on.
            cell_start = keys[number - 2] + 1 if keys and number > 1 else 0
            _scan_outputs(result, cell.get("outputs"), json_lines, path, cell_start, number, extractor)
    return result


def _merge(result: NotebookResult, cell_result: MarkdownResult, number: int) -> None:
    for link in cell_result.links:
        result.links.append(link)
        result.cells[link] = number
    for problem in cell_result.problems:
        problem.message += f" (cell {number})"
        result.problems.append(problem)
    result.anchors.update(cell_result.anchors)


def _scan_outputs(
    result: NotebookResult,
    outputs: object,
    json_lines: _JsonLines,
    path: str,
    cell_start: int,
    number: int,
    extractor: MarkdownExtractor,
) -> None:
    if not isinstance(outputs, list):
        return
    for output in outputs:
        data = output.get("data") if isinstance(output, dict) else None
        if not isinstance(data, dict):
            continue
        snippet = _as_text(data.get("text/html"))
        for offset, url in html_urls(snippet):
            line_text = snippet[: offset + 1].split("\n")[-1]
            line_start = offset + 1 - len(line_text)
            whole_line = snippet[line_start:].split("\n", 1)[0]
            found = json_lines.string_position(whole_line + "\n", cell_start) or json_lines.string_position(
                whole_line, cell_start
            )
            location = Location(path, cell_start + 1, 1)
            if found:
                prefix = json.dumps(snippet[line_start:offset], ensure_ascii=found[2])[1:-1]
                location = Location(path, found[0] + 1, found[1] + 2 + len(prefix))
            link = Link(url, location, LinkType.HTML)
            result.links.append(link)
            result.cells[link] = number
        result.anchors.update(html_ids(snippet))
        markdown = _as_text(data.get("text/markdown"))
        if markdown:
            mapper = _CellMapper(path, [markdown], json_lines, cell_start)
            _merge(result, extractor.extract(markdown, mapper, notebook=True), number)
