"""Links, anchors and undefined references of one Markdown text, with their source positions."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from .html_fragments import html_ids, html_urls
from .markdown_parser import CONSUMED, START, build_parser
from .models import Kind, Link, LinkType, Location, Problem
from .slugs import Slugify, notebook_heading_ids, unique_id

# (0-based line, 0-based column) in the parsed text -> Location in the reported file.
PositionMapper = Callable[[int, int], Location]

_NEWLINES_RE = re.compile(r"\r\n?")
_HEADING_ATTRS_RE = re.compile(r"\s*\{:?\s*([^}\n]*)\}\s*$")
_ATTR_LIST_RE = re.compile(r"\{:?\s*([^}\n]*)\}")
_ATTR_ID_RE = re.compile(r"(?:^|\s)#([^\s}#.]+)")
_MARKDOWN_ATTR_RE = re.compile(r"""^\s*<[a-zA-Z][\w-]*\b[^>]*\smarkdown(?:\s*=\s*["']?[^\s>]*)?[\s/>]""")
_UNDEFINED_REF_RE = re.compile(r"(?<![A-Za-z0-9_\]\)\\])\[([^\[\]\x00]+)\]\[([^\[\]\x00]*)\]")
_TAB_TITLE_RE = re.compile(r'^\s*===\+?\s+"(.*)"\s*$')


def normalize_text(text: str) -> str:
    """Line endings and NUL as markdown-it normalizes them, so that line numbers agree."""
    return _NEWLINES_RE.sub("\n", text).replace("\x00", "\ufffd")


@dataclass
class MarkdownResult:
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


class _ContentMap:
    """Maps offsets in a token's content to (line, column) in the source lines it came from."""

    def __init__(self, content: str, first_line: int, lines: list[str], cursors: dict[int, int]) -> None:
        self.first_line = first_line
        self.starts: list[int] = []
        self.bases: list[int] = []
        offset = 0
        for index, part in enumerate(content.split("\n")):
            self.starts.append(offset)
            offset += len(part) + 1
            line_no = first_line + index
            source = lines[line_no] if line_no < len(lines) else ""
            cursor = cursors.get(line_no, 0)
            found = source.find(part, cursor) if part else -1
            if found < 0 and part:
                found = source.find(part)
            if found < 0:
                found = len(source) - len(source.lstrip())
            self.bases.append(found)
            cursors[line_no] = found + len(part)

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.first_line + index, self.bases[index] + offset - self.starts[index]


class MarkdownExtractor:
    """Extracts links and anchors; one instance (and one parser) is reused for many files."""

    def __init__(self, slugify: Slugify) -> None:
        self.slugify = slugify
        self.md: MarkdownIt = build_parser()

    def extract(self, text: str, mapper: PositionMapper, *, notebook: bool = False) -> MarkdownResult:
        text = normalize_text(text)
        lines = text.split("\n")
        blanked: list[int] = []
        env: dict[str, object] = {}
        tokens = self.md.parse(text, env)
        # md_in_html: ``<div markdown>`` bodies are Markdown. Blank the opening tag lines and parse again.
        for _ in range(8):
            opening = [
                t.map[0]
                for t in tokens
                if t.type == "html_block" and t.map and _MARKDOWN_ATTR_RE.match(lines[t.map[0]])
            ]
            if not opening:
                break
            blanked.extend(opening)
            work = list(lines)
            for line_no in blanked:
                work[line_no] = ""
            env = {}
            tokens = self.md.parse("\n".join(work), env)
        walker = _Walker(self, lines, mapper, env, notebook=notebook)
        for line_no in blanked:
            walker.scan_html(lines[line_no], _ContentMap(lines[line_no], line_no, lines, walker.cursors))
        walker.walk(tokens)
        walker.add_reference_definitions()
        walker.finish_anchors()
        return walker.result


class _Walker:
    def __init__(
        self,
        extractor: MarkdownExtractor,
        lines: list[str],
        mapper: PositionMapper,
        env: dict[str, object],
        *,
        notebook: bool,
    ) -> None:
        self.slugify = extractor.slugify
        self.lines = lines
        self.mapper = mapper
        self.env = env
        self.notebook = notebook
        self.cursors: dict[int, int] = {}
        self.result = MarkdownResult()
        self.explicit_ids: set[str] = set()
        self.headings: list[tuple[str, str | None]] = []  # (text, explicit id)
        references = env.get("references")
        self.references: dict[str, dict[str, object]] = references if isinstance(references, dict) else {}

    # -- traversal ---------------------------------------------------------------------------------
    def walk(self, tokens: list[Token]) -> None:
        heading_open = False
        for token in tokens:
            if token.type == "heading_open":
                heading_open = True
            elif token.type == "inline" and token.map is not None:
                content_map = _ContentMap(token.content, token.map[0], self.lines, self.cursors)
                self.scan_inline(token, content_map)
                if heading_open:
                    self.add_heading(token)
                    heading_open = False
            elif token.type == "html_block" and token.map is not None:
                self.scan_html(token.content, _ContentMap(token.content, token.map[0], self.lines, self.cursors))
            elif token.type == "container_open" and token.markup.startswith("="):
                match = _TAB_TITLE_RE.match("=== " + token.info)
                if match:
                    self.explicit_ids.add(self.slugify(match.group(1), "-"))
        footnotes = self.env.get("footnotes")
        if isinstance(footnotes, dict):
            for label in footnotes.get("refs", {}) or {}:
                name = str(label).lstrip(":")
                self.explicit_ids.update({f"fn:{name}", f"fnref:{name}"})

    def _location(self, content_map: _ContentMap, offset: int) -> Location:
        line, column = content_map.position(offset)
        return self.mapper(line, column)

    def scan_inline(self, token: Token, content_map: _ContentMap) -> None:
        content = token.content
        for child in token.children or []:
            start = child.meta.get(START)
            if start is None:
                continue
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                raw = content[start : child.meta.get("end", start)]
                if child.markup == "autolink":
                    link_type = LinkType.AUTOLINK
                elif raw.endswith(")"):
                    link_type = LinkType.INLINE
                else:
                    continue  # reference-style: checked once, at its definition
                self.result.links.append(Link(href, self._location(content_map, start), link_type))
            elif child.type == "image":
                raw = content[start : child.meta.get("end", start)]
                if raw.endswith(")"):
                    src = str(child.attrs.get("src", ""))
                    self.result.links.append(Link(src, self._location(content_map, start), LinkType.IMAGE))
            elif child.type == "html_inline":
                self.scan_html(child.content, content_map, base=start)
        for match in _ATTR_LIST_RE.finditer(content):
            self.explicit_ids.update(_ATTR_ID_RE.findall(match.group(1)))
        self._find_undefined_references(token, content_map)

    def scan_html(self, content: str, content_map: _ContentMap, base: int = 0) -> None:
        for offset, url in html_urls(content):
            self.result.links.append(Link(url, self._location(content_map, base + offset), LinkType.HTML))
        self.explicit_ids.update(html_ids(content))

    def _find_undefined_references(self, token: Token, content_map: _ContentMap) -> None:
        content = token.content
        if "][" not in content:
            return
        masked = list(content)
        for start, end in token.meta.get(CONSUMED, ()):
            masked[start:end] = "\x00" * (end - start)
        plain = "".join(masked)
        for match in _UNDEFINED_REF_RE.finditer(plain):
            label = match.group(2) or match.group(1)
            if label.startswith("^") or not label.strip():
                continue
            if normalizeReference(label) in self.references:
                continue
            self.result.problems.append(
                Problem(
                    self._location(content_map, match.start()),
                    match.group(0),
                    Kind.UNDEFINED_REFERENCE,
                    f"reference [{label}] is not defined",
                )
            )

    # -- anchors -----------------------------------------------------------------------------------
    def add_heading(self, token: Token) -> None:
        parts: list[str] = []
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("math_inline", "math_inline_double"):
                parts.append(f"\\({child.content}\\)")
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        text = "".join(parts)
        explicit: str | None = None
        match = _HEADING_ATTRS_RE.search(text)
        if match:
            text = text[: match.start()]
            ids = _ATTR_ID_RE.findall(match.group(1))
            explicit = ids[-1] if ids else None
        self.headings.append((text, explicit))

    def finish_anchors(self) -> None:
        used = set(self.explicit_ids)
        for text, explicit in self.headings:
            if explicit:
                used.add(explicit)
                continue
            unique_id(self.slugify(text, "-"), used)
            if self.notebook:
                used.update(notebook_heading_ids(text))
        self.result.anchors = used

    # -- reference definitions ---------------------------------------------------------------------
    def add_reference_definitions(self) -> None:
        for definition in self.references.values():
            line_range = definition.get("map")
            href = str(definition.get("href", ""))
            if not isinstance(line_range, list) or not line_range:
                continue
            first = int(line_range[0])
            source = self.lines[first] if first < len(self.lines) else ""
            column = source.find("[")
            self.result.links.append(Link(href, self.mapper(first, max(column, 0)), LinkType.REFERENCE))
