"""On-disk cache of good external results, so that a second run within the TTL sends no request."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

_VERSION = 1
_MAX_STORED_IDS = 20000


@dataclass
class CachedResult:
    checked_at: float
    status: int
    final_url: str
    permanent_url: str | None = None
    permanent_status: int | None = None
    ids: list[str] | None = None  # page ids, when the body was read for fragment checks


@dataclass
class ResultCache:
    path: Path | None
    ttl: float
    entries: dict[str, CachedResult] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def load(cls, path: Path | None, ttl: float) -> ResultCache:
        cache = cls(path, ttl)
        if path is None or ttl <= 0 or not path.is_file():
            return cache
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != _VERSION:
                return cache
            for url, entry in data.get("entries", {}).items():
                cache.entries[url] = CachedResult(**entry)
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            print(f"check_links: ignoring unreadable cache {path}: {exc}", file=sys.stderr)
            cache.entries.clear()
        return cache

    def get(self, url: str, need_ids: bool) -> CachedResult | None:
        entry = self.entries.get(url)
        if entry is None or time.time() - entry.checked_at > self.ttl:
            return None
        if need_ids and entry.ids is None:
            return None
        return entry

    def put(self, url: str, result: CachedResult) -> None:
        if self.path is None or self.ttl <= 0:
            return
        if result.ids is not None and len(result.ids) > _MAX_STORED_IDS:
            result.ids = None
        previous = self.entries.get(url)
        if result.ids is None and previous is not None and previous.ids is not None:
            result.ids = previous.ids if time.time() - previous.checked_at <= self.ttl else None
        self.entries[url] = result
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        now = time.time()
        entries = {url: asdict(e) for url, e in self.entries.items() if now - e.checked_at <= self.ttl}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".linkcheck-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": _VERSION, "entries": entries}, handle, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError as exc:
            print(f"check_links: cannot write cache {self.path}: {exc}", file=sys.stderr)
