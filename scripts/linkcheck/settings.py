"""``[tool.check-links]`` of pyproject.toml: every key, its default, and validation with locations."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

SECTION = "tool.check-links"
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass
class Settings:
    """All settings; the TOML key is the field name with ``-`` for ``_``."""

    docs: str | None = None  # default: docs_dir of mkdocs.yml
    site: str | None = None  # default: site_dir of mkdocs.yml, when it exists
    mkdocs_config: str = "mkdocs.yml"
    exclude: list[str] = field(default_factory=list)  # regular expressions matched against URLs
    timeout: float = 10.0  # read timeout, seconds
    connect_timeout: float = 5.0
    max_concurrency: int = 64
    max_per_host: int = 6
    retries: int = 3  # extra attempts on 5xx, 429, connection errors
    timeout_retries: int = 0  # extra attempts after a timeout (a timeout is already slow)
    backoff: float = 0.5  # first retry delay, doubled each time, plus jitter
    backoff_max: float = 8.0
    retry_after_max: float = 30.0  # cap on a server's Retry-After
    max_redirects: int = 10
    max_body_bytes: int = 5 * 1024 * 1024  # read at most this much of a page for fragment checks
    cache_file: str = ".cache/linkcheck/external.json"
    cache_ttl: float = 86400.0  # seconds; "12h", "1d" … accepted in TOML
    external_fragments: bool = False
    user_agent: str = "handbook-linkcheck/1.0 (+https://github.com/ai-llm-handbook/handbook)"
    accept: dict[str, list[int]] = field(default_factory=dict)  # host (or "*") -> accepted statuses
    skip_fragments: list[str] = field(default_factory=list)  # regexes: fragments never checked

    compiled_exclude: list[re.Pattern[str]] = field(default_factory=list, repr=False)
    compiled_skip_fragments: list[re.Pattern[str]] = field(default_factory=list, repr=False)

    def accepted(self, host: str, status: int) -> bool:
        if 200 <= status < 300:
            return True
        return any(status in self.accept.get(key, ()) for key in (host.lower(), "*"))

    def excluded(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.compiled_exclude)

    def skip_fragment(self, fragment: str) -> bool:
        return fragment.startswith(":~:") or any(p.search(fragment) for p in self.compiled_skip_fragments)


_INTERNAL_FIELDS = {"compiled_exclude", "compiled_skip_fragments"}
KEYS = {f.name.replace("_", "-"): f for f in fields(Settings) if f.name not in _INTERNAL_FIELDS}


def _key_line(text: str, key: str) -> int | None:
    """Line of ``key = …`` inside the [tool.check-links] section (or its sub-tables)."""
    in_section = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.strip("[]").strip().startswith(SECTION)
            if in_section and stripped.strip("[]").strip() == f"{SECTION}.{key}":
                return number
            continue
        if in_section and re.match(rf"""^["']?{re.escape(key)}["']?\s*=""", stripped):
            return number
    return None


def parse_duration(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError('expected a duration such as 3600, "30m", "12h" or "1d"')
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("must not be negative")
        return float(value)
    if isinstance(value, str):
        match = _DURATION_RE.match(value)
        if match:
            return float(match.group(1)) * _DURATION_UNITS[match.group(2)]
    raise ValueError(f'expected a duration such as 3600, "30m", "12h" or "1d", got {value!r}')


def _convert(name: str, value: Any) -> Any:
    spec = KEYS[name]
    kind = str(spec.type)
    if name == "cache-ttl":
        return parse_duration(value)
    if name == "accept":
        return _convert_accept(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"expected a non-negative integer, got {value!r}")
        if name in ("max-concurrency", "max-per-host", "max-body-bytes") and value == 0:
            raise ValueError("must be at least 1")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"expected a non-negative number, got {value!r}")
        if name in ("timeout", "connect-timeout") and value == 0:
            raise ValueError("must be greater than 0")
        return float(value)
    if kind in ("str", "str | None"):
        if not isinstance(value, str) or not value:
            raise ValueError(f"expected a non-empty string, got {value!r}")
        return value
    if kind == "list[str]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of strings, got {value!r}")
        return list(value)
    raise ValueError(f"unsupported setting type {kind}")  # pragma: no cover - a programming error


def _convert_accept(value: object) -> dict[str, list[int]]:
    if not isinstance(value, dict):
        raise ValueError('expected a table of host = [status, …], e.g. accept = { "example.com" = [403] }')
    result: dict[str, list[int]] = {}
    for host, codes in value.items():
        if not isinstance(codes, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) and 100 <= c <= 599 for c in codes
        ):
            raise ValueError(f"host {host!r}: expected a list of HTTP status codes (100-599), got {codes!r}")
        result[str(host).lower()] = list(codes)
    return result


def compile_patterns(patterns: list[str], where: str) -> list[re.Pattern[str]]:
    compiled = []
    for index, pattern in enumerate(patterns):
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{where}[{index}]: {pattern!r} is not a valid regular expression: {exc}") from exc
    return compiled


def load_settings(pyproject: Path | None) -> Settings:
    """Settings from pyproject.toml (defaults when the file or the section is absent)."""
    settings = Settings()
    if pyproject is None or not pyproject.is_file():
        return settings
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from exc
    section = data.get("tool", {}).get("check-links", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: [{SECTION}] must be a table")
    for key, value in section.items():
        line = _key_line(text, key)
        where = f"{pyproject}:{line}" if line else str(pyproject)
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{where}: [{SECTION}] unknown key '{key}' (known keys: {known})")
        try:
            converted = _convert(key, value)
        except ValueError as exc:
            raise ConfigError(f"{where}: [{SECTION}] {key}: {exc}") from exc
        setattr(settings, KEYS[key].name, converted)
        if key in ("exclude", "skip-fragments"):
            compile_patterns(converted, f"{where}: [{SECTION}] {key}")
    finalize(settings, str(pyproject))
    return settings


def finalize(settings: Settings, where: str) -> None:
    """Compile the regular expressions (after command-line options were merged in)."""
    settings.compiled_exclude = compile_patterns(settings.exclude, f"{where}: exclude")
    settings.compiled_skip_fragments = compile_patterns(settings.skip_fragments, f"{where}: skip-fragments")
