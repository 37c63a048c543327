"""Heading ids the way the site computes them (Python-Markdown ``toc`` and the notebook renderer)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, MutableSet
from typing import Any
from urllib.parse import quote

Slugify = Callable[[str, str], str]

# Slug functions that may be named in mkdocs.yml. Only these are imported, nothing else is executed.
_ALLOWED_FACTORIES = {"pymdownx.slugs.slugify"}
_ALLOWED_FUNCTIONS = {
    "pymdownx.slugs.uslugify",
    "pymdownx.slugs.uslugify_encoded",
    "pymdownx.slugs.gfm",
    "pymdownx.slugs.gfm_encoded",
    "markdown.extensions.toc.slugify",
    "markdown.extensions.toc.slugify_unicode",
}

_RE_TAGS = re.compile(r"</?[^>]*>")
_RE_INVALID = re.compile(r"[^\w\- ]")
_IDCOUNT_RE = re.compile(r"^(.*)_([0-9]+)$")


def _fallback_uslugify(text: str, sep: str, case: str = "lower") -> str:
    """Same result as ``pymdownx.slugs.slugify(case=case)`` when pymdownx is not importable."""
    slug = _RE_TAGS.sub("", unicodedata.normalize("NFC", text)).strip()
    if case == "lower":
        slug = slug.lower()
    elif case == "fold":
        slug = slug.casefold()
    return _RE_INVALID.sub("", slug).replace(" ", sep)


def default_slugify() -> Slugify:
    """``pymdownx.slugs.slugify(case="lower")``, the handbook's setting."""
    return make_slugify("pymdownx.slugs.slugify", {"case": "lower"}, factory=True)


def make_slugify(name: str, kwargs: dict[str, Any] | None = None, *, factory: bool) -> Slugify:
    """Build the slug function named in mkdocs.yml. Raises ValueError for names not on the allow-list."""
    allowed = _ALLOWED_FACTORIES if factory else _ALLOWED_FUNCTIONS
    if name not in allowed:
        raise ValueError(f"unsupported slugify function {name!r} (supported: {', '.join(sorted(allowed))})")
    module_name, _, attr = name.rpartition(".")
    try:
        module = __import__(module_name, fromlist=[attr])
        func = getattr(module, attr)
    except ImportError:
        case = str((kwargs or {}).get("case", "none"))
        return lambda text, sep: _fallback_uslugify(text, sep, case)
    if factory:
        made: Slugify = func(**(kwargs or {}))
        return made
    plain: Slugify = func
    return plain


def unique_id(candidate: str, used: MutableSet[str]) -> str:
    """Python-Markdown's ``toc.unique``: append ``_1``, ``_2`` … until the id is free, then claim it."""
    while candidate in used or not candidate:
        match = _IDCOUNT_RE.match(candidate)
        candidate = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{candidate}_1"
    used.add(candidate)
    return candidate


def notebook_heading_ids(text: str) -> Iterable[str]:
    """Ids a notebook heading may get: mkdocs-jupyter lowercases an ASCII slug, nbconvert keeps the text."""
    ascii_slug = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_slug = re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", ascii_slug).strip().lower())
    raw = text.strip().replace(" ", "-")
    return {ascii_slug, raw, quote(raw, safe="?/:@!$&'()*+,;=")} - {""}
