"""The real handbook, built once with `mkdocs build --strict`: structure, anchors, math, privacy."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import DOCS, ROOT, Build, built_pages
from mkdocs.config import load_config

# The seed article's eight section titles, in order: the handbook's chapters carry them.
CHAPTER_TITLES = [
    "第 1 章 背景介绍",
    "第 2 章 核心概念与联系",
    "第 3 章 核心算法原理和具体操作步骤以及数学模型公式详细讲解",
    "第 4 章 具体最佳实践：代码实例和详细解释说明",
    "第 5 章 实际应用场景",
    "第 6 章 工具和资源推荐",
    "第 7 章 总结：未来发展趋势与挑战",
    "第 8 章 附录：常见问题与解答",
]
H1 = re.compile(r"<h1[\s>]")
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
ID = re.compile(r'\sid="([^"]*)"')
# The text a reader sees (not code, scripts, styles or typeset formulas), and TeX that would be left in it.
VISIBLE_TEXT = re.compile(r"<(pre|code|script|style|textarea|mjx-container)\b.*?</\1>|<[^>]*>", re.S)
RAW_TEX = re.compile(r"\$[^$\s<][^$<]*\$|\\\(|\\\[")
# <link rel="canonical"> names the page's public address and loads nothing; every other <link> loads something.
EXTERNAL_RESOURCE = re.compile(
    r'<(?:script|img|iframe|source|video|audio)\b[^>]*\ssrc="(?:https?:)?//'
    r'|<link\b(?![^>]*\srel="canonical")[^>]*\shref="(?:https?:)?//'
)


def nav_titles() -> list[str]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return [next(iter(item)) for item in config.nav]


def article(html: str) -> str:
    match = ARTICLE.search(html)
    assert match, "page has no article element"
    return match.group(1)


def test_nav_has_home_eight_chapters_in_article_order_and_reference() -> None:
    assert nav_titles() == ["首页", *CHAPTER_TITLES, "参考资料"]


def test_each_chapter_index_is_titled_like_its_nav_section() -> None:
    folders = sorted(p for p in DOCS.glob("ch0*") if p.is_dir())
    assert len(folders) == 8
    for folder, title in zip(folders, CHAPTER_TITLES, strict=True):
        first_line = (folder / "index.md").read_text(encoding="utf-8").split("---\n")[-1].lstrip().splitlines()[0]
        assert first_line == f"# {title}", f"{folder}/index.md: H1 should be '# {title}'"


def test_every_page_has_exactly_one_h1(site: Build) -> None:
    pages = built_pages(site.site)
    assert len(pages) > 10
    for page in pages:
        count = len(H1.findall(article(page.read_text(encoding="utf-8"))))
        assert count == 1, f"{page.relative_to(site.site)} has {count} <h1>"


def test_heading_ids_are_readable_unicode_not_positional(site: Build) -> None:
    unicode_ids = 0
    for page in built_pages(site.site):
        ids = ID.findall(article(page.read_text(encoding="utf-8")))
        positional = [i for i in ids if re.fullmatch(r"_\d+", i) or i == ""]
        assert not positional, f"{page.relative_to(site.site)}: positional or empty ids {positional[:5]}"
        unicode_ids += sum(1 for i in ids if re.search(r"[\u4e00-\u9fff]", i))
    assert unicode_ids > 20


def test_heading_ids_are_stable_across_builds(site: Build, tmp_path: Path) -> None:
    from conftest import mkdocs_build

    again = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert again.returncode == 0, again.output
    for page in built_pages(site.site)[:40]:
        other = again.site / page.relative_to(site.site)
        first = ID.findall(article(page.read_text(encoding="utf-8")))
        second = ID.findall(article(other.read_text(encoding="utf-8")))
        assert first == second, f"{page.relative_to(site.site)}: heading ids changed between builds"


def test_every_formula_is_typeset_at_build_time_and_no_page_loads_mathjax(site: Build) -> None:
    assert not (site.site / "assets" / "mathjax").exists(), "MathJax should not be published: formulas are SVG"
    markdown_pages = notebook_pages = without_math = 0
    for page in built_pages(site.site):
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(site.site)
        assert "MathJax-script" not in html and "tex-chtml" not in html, f"{where}: loads MathJax in the browser"
        formulas = html.count('class="arithmatex">')
        assert ('id="mathjax-svg"' in html) == (formulas > 0), f"{where}: formula stylesheet wanted iff formulas"
        typeset = html.count('class="arithmatex"><mjx-container class="MathJax" jax="SVG"')
        assert formulas == typeset, f"{where}: {formulas - typeset} of {formulas} formulas were not typeset"
        assert html.count("<mjx-assistive-mml") == formulas, f"{where}: formulas without assistive MathML"
        text = VISIBLE_TEXT.sub(" ", html.split("<body", 1)[1])
        raw = RAW_TEX.findall(text)
        assert not raw, f"{where}: TeX left in the text: {raw[:3]}"
        is_notebook = page.parent.joinpath(page.parent.name + ".ipynb").exists()
        notebook_pages += is_notebook and formulas > 0
        markdown_pages += not is_notebook and formulas > 0
        without_math += not formulas
    assert markdown_pages > 20 and notebook_pages > 15 and without_math > 1


def test_no_page_loads_anything_from_another_host(site: Build) -> None:
    for page in [*built_pages(site.site), site.site / "404.html"]:
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(site.site)
        assert not EXTERNAL_RESOURCE.search(html), f"{where}: loads a resource from another host"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, f"{where}: web fonts"
        assert 'data-md-component="source"' not in html, f"{where}: fetches repository facts from GitHub"
        assert "text/x-mathjax-config" not in html, f"{where}: dead MathJax 2 block from mkdocs-jupyter"


def test_404_page_is_chinese(site: Build) -> None:
    html = (site.site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in html and 'lang="zh"' in html


def test_notebook_pages_have_working_toc_download_and_no_errors(site: Build) -> None:
    notebooks = sorted(DOCS.rglob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        page = site.site / notebook.relative_to(DOCS).with_suffix("") / "index.html"
        html = page.read_text(encoding="utf-8")
        ids = set(ID.findall(html))
        toc = re.search(r'data-md-component="toc".*?</ul>', html, re.S)
        links = re.findall(r'href="#([^"]+)"', toc.group(0)) if toc else []
        for link in links:
            assert link in ids, f"{page.relative_to(site.site)}: TOC link #{link} has no target"
        assert (page.parent / notebook.name).exists(), f"{notebook.name} is not downloadable"
        assert f'href="{notebook.name}" download' in html
        assert "jp-OutputArea-output" in html, f"{page.relative_to(site.site)} shows no outputs"
        unresolved = re.findall(r'href="([^"#:]*\.(?:md|ipynb)(?:#[^"]*)?)"', article(html))
        unresolved = [u for u in unresolved if not u.endswith(notebook.name)]
        assert not unresolved, f"{page.relative_to(site.site)}: unresolved page links {unresolved}"


def test_notebook_figures_are_sized_lazy_files_beside_the_page(site: Build) -> None:
    figures = 0
    for page in sorted(site.site.glob("ch0*/nb-*/index.html")):
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(site.site)
        assert "data:image/" not in html, f"{where}: a figure is still embedded as base64"
        for tag in re.findall(r"<img\b[^>]*>", article(html)):
            src = re.search(r'\ssrc="([^"]+)"', tag)
            assert src and (page.parent / src[1]).is_file(), f"{where}: figure file missing for {tag[:120]}"
            for attribute in (r'\swidth="\d+"', r'\sheight="\d+"', r'\sloading="lazy"'):
                assert re.search(attribute, tag), f"{where}: figure without {attribute}: {tag[:120]}"
            figures += 1
    assert figures >= 20


def test_notebook_pages_share_one_trimmed_stylesheet(site: Build) -> None:
    pages = sorted(site.site.glob("ch0*/nb-*/index.html"))
    link = re.compile(r'href="([^"]*jupyter\.[0-9a-f]+\.css)"')
    names = {Path(href).name for page in pages for href in link.findall(page.read_text(encoding="utf-8"))}
    assert len(names) == 1, f"notebook pages should link one shared stylesheet, not {names}"
    for page in pages:  # in <head>: a stylesheet met in the body restyles everything parsed before it
        head, body = page.read_text(encoding="utf-8").split("</head>", 1)
        assert link.search(head) and not link.search(body), f"{page}: the notebook stylesheet is not in <head>"
    css = (site.site / "assets" / "stylesheets" / names.pop()).read_text(encoding="utf-8")
    # JupyterLab's ~590 kB are trimmed to the rules the pages use; what the pages need is still there.
    assert len(css) < 60_000, f"the notebook stylesheet was not trimmed ({len(css)} bytes)"
    for needed in (".jp-OutputArea-output", ".jp-InputPrompt", ".highlight-ipynb .k", "[data-md-color-scheme=slate]",
                   "--jp-cell-editor-background:"):
        assert needed in css, f"the trimmed notebook stylesheet lost {needed}"
    assert "['" not in css, "mkdocs-jupyter's Python list repr is still in the stylesheet"


def test_search_index_is_segmented_and_worker_is_patched(site: Build) -> None:
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]  # a regular expression: ZWSP (jieba's word breaks) must split
    assert re.split(separator, "反向\u200b传播") == ["反向", "传播"]
    assert any("\u200b" in doc["text"] for doc in index["docs"])
    worker = next((site.site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    code = worker.read_text(encoding="utf-8")
    assert code.startswith("/* handbook: search worker patched")
    assert "o<=t.length" in code and '" "+[...fe(' in code
