"""Data types shared by the extractors, the checkers and the reporters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Classification of a problem. ``kind`` in the JSON output."""

    MISSING_PAGE = "missing-page"
    MISSING_ANCHOR = "missing-anchor"
    MISSING_FILE = "missing-file"
    OUTSIDE_SITE = "outside-site"
    UNDEFINED_REFERENCE = "undefined-reference"
    MALFORMED_URL = "malformed-url"
    UNREADABLE_FILE = "unreadable-file"
    INVALID_NOTEBOOK = "invalid-notebook"
    CONFIG_ERROR = "config-error"
    HTTP_ERROR = "http-error"
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection-error"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    PERMANENT_REDIRECT = "permanent-redirect"
    MISSING_EXTERNAL_ANCHOR = "missing-external-anchor"


# Kinds that are reported but do not make the run fail.
WARNING_KINDS = frozenset({Kind.PERMANENT_REDIRECT})


class LinkType(StrEnum):
    """How a link was written in its source."""

    INLINE = "inline"
    REFERENCE = "reference"
    AUTOLINK = "autolink"
    IMAGE = "image"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Location:
    """A position in a file: 1-based line and column (column counted in characters)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Link:
    """One link found in a source file or a built page."""

    url: str
    location: Location
    link_type: LinkType = LinkType.INLINE
    # For links found in the built site: the documentation source the page was built from.
    source_page: str | None = None


@dataclass(slots=True)
class Problem:
    """A finding. ``status`` is the HTTP status for external links, else ``None``."""

    location: Location
    url: str
    kind: Kind
    message: str
    status: int | None = None
    source_page: str | None = None

    @property
    def is_warning(self) -> bool:
        return self.kind in WARNING_KINDS

    @property
    def severity(self) -> str:
        return "warning" if self.is_warning else "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.kind.value, self.url)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "url": self.url,
            "kind": self.kind.value,
            "severity": self.severity,
            "status": self.status,
            "message": self.message,
            "source": self.source_page,
        }
