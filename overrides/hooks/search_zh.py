"""Chinese search for Material's built-in search plugin.

1. Requires jieba (Material segments Chinese at build time only when jieba imports; otherwise it silently
   does not), so a missing jieba fails the build instead of shipping a search that finds nothing.
2. Patches Material's search worker in the built site (``assets/javascripts/workers/search.*.min.js``):
   - its query segmentation stops one character early, so the last Han character of a query was dropped
     (梯度下降 was searched as 梯度*);
   - a query that mixes Latin letters or digits with Han characters without a space (Adam优化器, L2正则化)
     stayed one term and matched nothing: Han runs are now set apart by spaces before the query is parsed.
   Each patch must match the worker exactly; if a Material upgrade changes the code, the build fails here
   (and so do the tests) instead of silently shipping the bug again.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"

# (what Material 9.8.2 ships, what we ship instead)
PATCHES: list[tuple[str, str]] = [
    (  # look at every candidate word, including those that end at the last character of the query
        "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
        "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
    ),
    (  # continue segmenting when only the last character of the query is left
        "n[a]&&a<t.length-1&&(i[s++]=a)",
        "n[a]&&a<t.length&&(i[s++]=a)",
    ),
    (  # surround each segmented Han run with spaces so that "Adam优化器" becomes "Adam 优化* 器"
        'e=e.replace(new RegExp("\\\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "))',
        'e=e.replace(new RegExp("\\\\p{sc=Han}+","gu"),s=>" "+[...fe(s,this.index.invertedIndex)].join("* ")+" ")',
    ),
]
MARKER = "/* handbook: search worker patched for Chinese queries */\n"


def patch_worker(source: str, name: str) -> str:
    if source.startswith(MARKER):
        return source
    for old, new in PATCHES:
        if source.count(old) != 1:
            raise PluginError(
                f"search_zh: cannot patch {name}: expected code not found "
                f"({old[:40]}…). Material's search worker changed; update PATCHES in {__file__}."
            )
        source = source.replace(old, new)
    return MARKER + source


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        import jieba  # noqa: F401
    except ImportError as exc:
        raise PluginError("Chinese search needs jieba: install requirements.txt") from exc
    return config


def on_post_build(config: MkDocsConfig) -> None:
    workers = list(Path(config.site_dir).glob(WORKER_GLOB))
    if len(workers) != 1:
        raise PluginError(f"search_zh: expected one search worker, found {len(workers)} ({WORKER_GLOB})")
    worker = workers[0]
    worker.write_text(patch_worker(worker.read_text(encoding="utf-8"), worker.name), encoding="utf-8")
    # Material writes the index with every Han character escaped (\uXXXX, 6 bytes); plain UTF-8 is 3 bytes.
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
