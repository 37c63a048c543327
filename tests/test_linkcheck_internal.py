"""Internal link checks on the fixture handbook: every problem's kind and exact source location."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from linkcheck_support import HANDBOOK, copy_handbook, problems_by_location, run_main
except ImportError:  # tests/ made a package
    from tests.linkcheck_support import HANDBOOK, copy_handbook, problems_by_location, run_main

from linkcheck.docs_tree import page_url
from linkcheck.markdown_links import MarkdownExtractor
from linkcheck.models import Location
from linkcheck.site_tree import join_relative
from linkcheck.slugs import default_slugify

# Every planted problem of tests/fixtures/linkcheck/handbook/docs, with its source position.
SOURCE_PROBLEMS = {
    ("missing-page", "docs/ch1/broken.md:3:1"),
    ("missing-anchor", "docs/ch1/broken.md:5:1"),  # page.md#不存在的锚点 (a Chinese anchor)
    ("missing-file", "docs/ch1/broken.md:7:1"),  # ![缺图](nofig.png)
    ("outside-site", "docs/ch1/broken.md:9:1"),  # ../../outside.md
    ("undefined-reference", "docs/ch1/broken.md:11:4"),  # [文本][missing]
    ("malformed-url", "docs/ch1/broken.md:19:1"),  # http://[bad
    ("unreadable-file", "docs/ch1/latin1.md:1:6"),  # byte 0xe9
    ("missing-page", "docs/ch1/latin1.md:3:1"),  # still checked after the bad byte
    ("missing-page", "docs/ch1/nb.ipynb:11:8"),  # Markdown cell: [坏链接](nowhere.md)
    ("missing-page", "docs/ch1/nb.ipynb:23:15"),  # HTML output: <a href="nothere.html">
    ("invalid-notebook", "docs/ch1/notjson.ipynb:4:1"),
}
# Found only in the built site: a theme link (not in any Markdown), reported with its source page.
SITE_PROBLEMS = {("missing-page", "site/ch1/page/index.html:23:1")}


def test_sources_only_exact_findings() -> None:
    result = run_main(["--docs", "docs", "--no-site", "--format", "json"], HANDBOOK)
    assert result.code == 1, result.stderr
    assert problems_by_location(result) == SOURCE_PROBLEMS


def test_sources_and_site_exact_findings_without_duplicates() -> None:
    result = run_main(["--docs", "docs", "--site", "site", "--format", "json"], HANDBOOK)
    assert result.code == 1, result.stderr
    assert problems_by_location(result) == SOURCE_PROBLEMS | SITE_PROBLEMS
    site_problem = next(p for p in result.json() if str(p["file"]).startswith("site/"))
    assert site_problem["source"] == "docs/ch1/page.md"
    assert site_problem["url"] == "../../ch9/"


def test_defaults_check_docs_and_site_when_present() -> None:
    result = run_main(["--format", "json"], HANDBOOK)
    assert problems_by_location(result) == SOURCE_PROBLEMS | SITE_PROBLEMS


def test_messages_name_the_target() -> None:
    by_location = {
        f"{p['file']}:{p['line']}:{p['column']}": p
        for p in run_main(["--no-site", "--format", "json"], HANDBOOK).json()
    }
    assert by_location["docs/ch1/broken.md:5:1"]["url"] == "page.md#不存在的锚点"
    assert "不存在的锚点" in str(by_location["docs/ch1/broken.md:5:1"]["message"])
    assert "(cell 1)" in str(by_location["docs/ch1/nb.ipynb:11:8"]["message"])
    assert "[missing]" in str(by_location["docs/ch1/broken.md:11:4"]["message"])


def test_anchor_checked_against_built_html_when_site_given(tmp_path: Path) -> None:
    book = copy_handbook(tmp_path)
    page = book / "site/ch1/page/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace('id="custom-id"', 'id="renamed"'), encoding="utf-8")
    with_site = problems_by_location(run_main(["--format", "json"], book))
    assert ("missing-anchor", "docs/index.md:5:3") in with_site  # [自定义锚点](ch1/page.md#custom-id)
    without_site = problems_by_location(run_main(["--no-site", "--format", "json"], book))
    assert ("missing-anchor", "docs/index.md:5:3") not in without_site


def test_site_only_mode_reports_built_files(tmp_path: Path) -> None:
    result = run_main(["--no-docs", "--site", "site", "--format", "json"], HANDBOOK)
    found = problems_by_location(result)
    assert ("missing-page", "site/ch1/page/index.html:23:1") in found
    assert ("missing-page", "site/ch1/broken/index.html:17:4") in found  # missing.md
    assert ("missing-anchor", "site/ch1/broken/index.html:18:4") in found
    assert ("missing-file", "site/ch1/broken/index.html:19:4") in found  # nofig.png
    assert ("missing-page", "site/ch1/broken/index.html:20:4") in found  # ../../outside.md -> /outside.md
    assert ("malformed-url", "site/ch1/broken/index.html:22:4") in found
    assert all(str(p["file"]).startswith("site/") for p in result.json())


def test_clean_tree_passes(tmp_path: Path) -> None:
    book = copy_handbook(tmp_path)
    for name in ("broken.md", "latin1.md", "notjson.ipynb", "nb.ipynb"):
        (book / "docs/ch1" / name).unlink()
    for name in ("broken", "latin1"):
        for file in (book / "site/ch1" / name).iterdir():
            file.unlink()
        (book / "site/ch1" / name).rmdir()
    nb_page = book / "site/ch1/page/index.html"
    nb_page.write_text(nb_page.read_text(encoding="utf-8").replace("../../ch9/", "../../"), encoding="utf-8")
    (book / "docs/index.md").write_text(
        (book / "docs/index.md").read_text(encoding="utf-8").replace("(ch1/nb.ipynb)", "(ch1/page.md)"),
        encoding="utf-8",
    )
    (book / "docs/ch1/index.md").write_text("# 第一章\n\n[页面](page.md)\n", encoding="utf-8")
    result = run_main(["--no-site"], book)
    assert result.code == 0, result.stdout
    assert "0 errors" in result.stdout


# -- extraction details ------------------------------------------------------------------------------


def _extract(text: str) -> tuple[list[tuple[str, str]], set[str], list[tuple[str, str]]]:
    extractor = MarkdownExtractor(default_slugify())
    result = extractor.extract(text, lambda line, col: Location("x.md", line + 1, col + 1))
    links = [(link.url, str(link.location)) for link in result.links]
    problems = [(p.kind.value, str(p.location)) for p in result.problems]
    return links, result.anchors, problems


def test_links_in_code_and_math_are_ignored() -> None:
    text = "`[a](code.md)` $[b](math.md)$ and $$x[i][j]$$\n\n```\n[c](fence.md)\n```\n\n    [d](indented.md)\n"
    links, _, problems = _extract(text)
    assert links == []
    assert problems == []


def test_admonitions_tabs_and_md_in_html_are_markdown() -> None:
    text = (
        '!!! note "标题"\n    [a](a.md)\n\n'
        "??? tip\n    [b](b.md)\n\n"
        '=== "标签"\n    [c](c.md)\n\n'
        '<div class="grid" markdown>\n- [d](d.md)\n</div>\n'
    )
    links, anchors, _ = _extract(text)
    assert links == [("a.md", "x.md:2:5"), ("b.md", "x.md:5:5"), ("c.md", "x.md:8:5"), ("d.md", "x.md:11:3")]
    assert "标签" in anchors


def test_link_kinds_and_positions() -> None:
    text = (
        '正文[内联](a.md)、<https://example.org/auto>、![图](i.png)、<a href="h.md">x</a>、[引用][r]。\n\n'
        "| 表 | 格 |\n|---|---|\n| [t1](t1.md) | [t2](t2.md) |\n\n"
        "[r]: ref.md#frag\n"
    )
    links, _, _ = _extract(text)
    assert ("a.md", "x.md:1:3") in links
    assert ("https://example.org/auto", "x.md:1:14") in links
    assert ("i.png", "x.md:1:41") in links
    assert ("h.md", "x.md:1:53") in links
    assert ("t1.md", "x.md:5:3") in links
    assert ("t2.md", "x.md:5:17") in links
    assert ("ref.md#frag", "x.md:7:1") in links  # a reference is checked once, at its definition


def test_heading_ids_follow_toc_rules() -> None:
    text = (
        "# 梯度下降\n\n## 梯度下降\n\n## Adam 优化器 {#adam}\n\n## $\\eta$ 学习率\n\n## `code` 与 *强调*\n\n[^1]: 注\n"
    )
    _, anchors, _ = _extract(text)
    assert {"梯度下降", "梯度下降_1", "adam", "eta-学习率", "code-与-强调"} <= anchors


def test_undefined_references_only_for_full_and_collapsed_forms() -> None:
    text = "[a][nope] [b][] [shortcut] [x][ok] \\[e\\]\\[f\\] `[c][d]` a[i][j]\n\n[ok]: ok.md\n"
    _, _, problems = _extract(text)
    assert problems == [("undefined-reference", "x.md:1:1"), ("undefined-reference", "x.md:1:11")]


@pytest.mark.parametrize(
    ("src", "url"),
    [("index.md", ""), ("a/index.md", "a/"), ("a/b.md", "a/b/"), ("a/nb.ipynb", "a/nb/"), ("a/img.png", "a/img.png")],
)
def test_page_urls_like_mkdocs(src: str, url: str) -> None:
    assert page_url(src, use_directory_urls=True) == url


def test_browser_path_resolution() -> None:
    assert join_relative("a/b/", "../c/") == "a/c/"
    assert join_relative("a/b/", "x.png") == "a/b/x.png"
    assert join_relative("a/", "../../x") is None
    assert join_relative("", ".") == ""
