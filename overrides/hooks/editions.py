"""Publish the downloadable editions (offline zip, PDF) with the site and list them on the home page.

The deploy workflow first builds the editions (`python scripts/build_editions.py offline|pdf --out build`), then the
site with `HANDBOOK_EDITIONS_DIR=build` (read in mkdocs.yml as `extra.editions.dir`). This hook then:

- adds every `ai-llm-handbook-*.zip|pdf` in that folder to the site under `downloads/`, so the files are published
  and links to them are validated like any other link;
- replaces the marker `<!-- editions -->` on the home page with a download link to the newest file of each
  edition, with its date and size. Without editions (a local build or `mkdocs serve`) the marker becomes a note
  on how to build them.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

MARKER = "<!-- editions -->"
EDITION = re.compile(r"^ai-llm-handbook-(?P<kind>offline-)?(?P<stamp>\d{8})\.(?P<ext>zip|pdf)$")
LABELS = {"zip": "离线版（zip，解压后用浏览器打开 index.html，搜索可用）", "pdf": "PDF 版（含目录、书签和页码）"}
NOTE = (
    "这份站点构建时没有附带下载文件。在仓库里运行 `make offline` 生成离线版 zip，运行 `make pdf` 生成 PDF；"
    "正式发布的站点由部署流程自动附带这两个文件。"
)

_editions: list[File] = []


def _editions_dir(config: MkDocsConfig) -> Path | None:
    folder = (config.extra.get("editions") or {}).get("dir") or ""
    if not folder:
        return None
    path = Path(folder)
    if not path.is_absolute():
        path = Path(config.config_file_path).parent / path
    if not path.is_dir():
        raise PluginError(f"editions: HANDBOOK_EDITIONS_DIR={folder!r} is not a folder")
    return path


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _editions.clear()
    folder = _editions_dir(config)
    if folder is None:
        return files
    newest: dict[str, Path] = {}  # per kind; the date in the name orders them
    for path in sorted(p for p in folder.iterdir() if EDITION.match(p.name)):
        newest[path.suffix] = path
    if not newest:
        raise PluginError(f"editions: no ai-llm-handbook-*.zip or *.pdf in {folder}")
    for path in sorted(newest.values(), key=lambda p: p.suffix, reverse=True):  # zip first, then pdf
        file = File.generated(config, f"downloads/{path.name}", abs_src_path=str(path))
        files.append(file)
        _editions.append(file)
    return files


def _size(file: File) -> str:
    return f"{Path(file.abs_src_path or '').stat().st_size / 1e6:.1f} MB"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    if not page.is_homepage:
        raise PluginError(f"editions: {page.file.src_path} uses {MARKER}, which only the home page may use")
    if not _editions:
        return markdown.replace(MARKER, NOTE)
    lines = []
    for file in _editions:
        match = EDITION.match(Path(file.src_uri).name)
        assert match is not None  # only matching files were added
        stamp = match["stamp"]
        date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:]}"
        lines.append(f"- [{LABELS[match['ext']]}]({file.src_uri}){{ download }}：{date} 构建，{_size(file)}")
    return markdown.replace(MARKER, "\n".join(lines))
