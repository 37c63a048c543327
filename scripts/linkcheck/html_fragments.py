"""Raw HTML snippets written inside Markdown or notebook outputs: their ``href``/``src`` and ``id``/``name``.

Snippets are scanned with regular expressions because they are pieces, not documents, and the offsets
of the matches give exact source positions. Built pages and downloaded pages go through lxml instead
(see :mod:`linkcheck.html_pages`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

_TAG_RE = re.compile(r"<[a-zA-Z][\w:-]*\b[^>]*>")
_URL_ATTR_RE = re.compile(r"""(?<![\w-])(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_ID_ATTR_RE = re.compile(r"""(?<![\w-])(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def _value(match: re.Match[str]) -> str:
    return html.unescape(next(group for group in match.groups() if group is not None))


def html_urls(snippet: str) -> Iterator[tuple[int, str]]:
    """``(offset of the tag, url)`` for every ``href``/``src`` attribute in the snippet."""
    if "<" not in snippet:
        return
    for tag in _TAG_RE.finditer(snippet):
        for attr in _URL_ATTR_RE.finditer(tag.group(0)):
            yield tag.start(), _value(attr)


def html_ids(snippet: str) -> Iterator[str]:
    """Every ``id`` and ``name`` value in the snippet."""
    if "<" not in snippet:
        return
    for tag in _TAG_RE.finditer(snippet):
        for attr in _ID_ATTR_RE.finditer(tag.group(0)):
            yield _value(attr)
