"""Classification of a link target: skipped scheme, external URL, internal path, or malformed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

# Schemes that are valid but not checked (mail, phone, scripts, inline data, other protocols).
SKIPPED_SCHEMES = frozenset(
    {"mailto", "tel", "sms", "javascript", "data", "ftp", "ftps", "file", "irc", "news", "git", "ssh", "xmpp"}
)
_HOST_RE = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[^\s/?#@:\[\]<>\"'`{}|\\^]+)$")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")


@dataclass(frozen=True, slots=True)
class Target:
    """What a link points at. ``category`` is one of skip, external, internal, malformed."""

    category: str
    url: str = ""  # external: URL without fragment; internal: unquoted path
    fragment: str = ""  # percent-decoded
    raw_fragment: str = ""
    message: str = ""


def classify(raw: str) -> Target:
    url = raw.strip()
    if not url:
        return Target("malformed", message="empty link target")
    if any(ch in url for ch in "\n\r\t"):
        return Target("malformed", message="link target contains a line break or tab")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return Target("malformed", message=f"cannot parse URL: {exc}")
    scheme = parts.scheme.lower()
    if scheme and not _SCHEME_RE.match(parts.scheme):
        return Target("malformed", message=f"invalid URL scheme {parts.scheme!r}")
    fragment = unquote(parts.fragment, errors="replace")
    if scheme in ("http", "https") or (not scheme and url.startswith("//")):
        return _external(url, scheme or "https", parts.netloc, fragment, parts.fragment)
    if scheme:
        if scheme in SKIPPED_SCHEMES or len(scheme) > 1:
            return Target("skip", message=f"{scheme}: links are not checked")
        # A one-letter "scheme" is a Windows drive letter such as C:\ - not a web link.
        return Target("malformed", message="absolute file system path")
    path = unquote(parts.path, errors="replace")
    return Target("internal", url=path, fragment=fragment, raw_fragment=parts.fragment)


def _external(url: str, scheme: str, netloc: str, fragment: str, raw_fragment: str) -> Target:
    if " " in url:
        return Target("malformed", message="URL contains a space")
    parts = urlsplit(url if not url.startswith("//") else f"{scheme}:{url}")
    host = parts.hostname
    if not netloc or not host:
        return Target("malformed", message="URL has no host name")
    if not _HOST_RE.match(netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0] if "]" not in netloc else host):
        return Target("malformed", message=f"invalid host name {host!r}")
    try:
        port = parts.port
    except ValueError:
        return Target("malformed", message="invalid port number")
    del port
    if host.startswith(".") or ".." in host:
        return Target("malformed", message=f"invalid host name {host!r}")
    without_fragment = urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))
    return Target("external", url=without_fragment, fragment=fragment, raw_fragment=raw_fragment)
