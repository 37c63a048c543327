"""Whole HTML documents (built pages, downloaded pages) parsed with lxml: ids and links with positions."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from lxml import etree

# Elements and attributes that point somewhere a reader's browser will go or load from.
_LINK_XPATH = etree.XPath(
    "//a[@href] | //area[@href] | //link[@href] | //img[@src] | //script[@src] | //iframe[@src]"
    " | //source[@src] | //video[@src] | //audio[@src] | //embed[@src] | //track[@src]"
)
_ID_XPATH = etree.XPath("//@id | //a/@name")
# <link rel=...> values that name the page itself or a hint, not a resource to check.
_SKIPPED_LINK_RELS = {"canonical", "alternate", "preconnect", "dns-prefetch", "prefetch", "prerender"}


@dataclass
class PageLink:
    url: str
    line: int
    column: int
    tag: str


@dataclass
class HtmlPage:
    ids: set[str] = field(default_factory=set)
    links: list[PageLink] = field(default_factory=list)


def _decode(data: bytes, charset: str | None) -> str:
    encoding = "utf-8"
    if charset:
        try:
            encoding = codecs.lookup(charset).name
        except LookupError:
            encoding = "utf-8"
    return data.decode(encoding, errors="replace")


def _parse(text: str) -> etree._Element | None:
    if not text.strip():
        return None
    parser = etree.HTMLParser(recover=True, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(text, parser)
    except (etree.ParserError, ValueError):
        return None


def page_ids(data: bytes, charset: str | None = None) -> set[str]:
    """The ``id`` and ``<a name>`` values of a page whose bytes may be in any (or a wrong) encoding."""
    root = _parse(_decode(data, charset))
    if root is None:
        return set()
    return {str(value) for value in _ID_XPATH(root)}


def parse_page(data: bytes, *, with_links: bool = True) -> HtmlPage:
    """Ids and (optionally) links of a built page, each link with its line and column."""
    text = _decode(data, "utf-8")
    root = _parse(text)
    page = HtmlPage()
    if root is None:
        return page
    page.ids = {str(value) for value in _ID_XPATH(root)}
    if not with_links:
        return page
    lines = text.split("\n")
    cursors: dict[int, int] = {}
    for element in _LINK_XPATH(root):
        tag = str(element.tag)
        attribute = "src" if element.get("href") is None else "href"
        if tag == "link" and set((element.get("rel") or "").lower().split()) & _SKIPPED_LINK_RELS:
            continue
        line = element.sourceline or 1
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        found = source.find(f"<{tag}", cursors.get(line, 0))
        cursors[line] = found + 1 if found >= 0 else cursors.get(line, 0)
        page.links.append(PageLink(str(element.get(attribute)), line, found + 1 if found >= 0 else 1, tag))
    return page
