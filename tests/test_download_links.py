"""The home page offers the newest offline zip and PDF when the build is given them (overrides/hooks/editions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mkdocs_build
from test_bad_input import tiny_site

HOME = "# 首页\n\n## 下载离线版 / PDF\n\n<!-- editions -->\n"


def home_html(tmp_path: Path) -> tuple[Path, str]:
    config = tiny_site(tmp_path, {"index.md": HOME}, ["index.md"])
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode == 0, build.output
    return build.site, (build.site / "index.html").read_text(encoding="utf-8")


def test_newest_editions_are_published_and_linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    editions = tmp_path / "editions"
    editions.mkdir()
    files = {"ai-llm-handbook-offline-20261101.zip": 10, "ai-llm-handbook-offline-20261128.zip": 2_500_000,
             "ai-llm-handbook-20261128.pdf": 7_000_000, "notes.txt": 1}
    for name, size in files.items():
        (editions / name).write_bytes(b"x" * size)
    monkeypatch.setenv("HANDBOOK_EDITIONS_DIR", str(editions))
    site, html = home_html(tmp_path / "build")
    assert sorted(p.name for p in (site / "downloads").iterdir()) == [
        "ai-llm-handbook-20261128.pdf", "ai-llm-handbook-offline-20261128.zip"]
    assert '<a download href="downloads/ai-llm-handbook-offline-20261128.zip">' in html
    assert '<a download href="downloads/ai-llm-handbook-20261128.pdf">' in html
    assert "2026-11-28 构建，2.5 MB" in html and "2026-11-28 构建，7.0 MB" in html
    assert "20261101" not in html and "&lt;!-- editions" not in html


def test_without_editions_the_home_page_says_how_to_build_them(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDBOOK_EDITIONS_DIR", raising=False)
    site, html = home_html(tmp_path)
    assert "make offline" in html and "make pdf" in html
    assert not (site / "downloads").exists()


@pytest.mark.parametrize(("content", "message"), [(None, "is not a folder"), ([], "no ai-llm-handbook-")])
def test_a_wrong_editions_folder_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 content: list[str] | None, message: str) -> None:
    folder = tmp_path / "editions"
    if content is not None:
        folder.mkdir()
    monkeypatch.setenv("HANDBOOK_EDITIONS_DIR", str(folder))
    config = tiny_site(tmp_path, {"index.md": HOME}, ["index.md"])
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode != 0 and message in build.output
