"""Content standards of the chapters: structure, depth, terms, references, errata, glossary, placeholders."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import DOCS, SETTINGS
from content_stats import han_count, prose

CONTENT = SETTINGS["content"]
CHAPTERS = sorted(p for p in DOCS.glob("ch0*") if p.is_dir())
SPECIAL = {"index.md", "summary.md", "exercises.md"}
BIB_LINK = re.compile(r"\]\((?:\.\./)*reference/bibliography\.md#([\w-]+)\)")
BIB_ENTRY = re.compile(r'<span id="([\w-]+)"></span>')
ARXIV = re.compile(r"arXiv:\s*\[?([A-Za-z0-9./-]+)")
ERRATA_BOX = re.compile(r'^!!! \w+ "勘误 (E\d\d)', re.M)
GLOSSARY_TERM = re.compile(r"^([^\s:>#*\-|!<][^\n]*?)\n:[ \t]+", re.M)


def chapter_ids() -> list[str]:
    return [c.name for c in CHAPTERS]


def pages(chapter: Path) -> list[Path]:
    return sorted(chapter.glob("*.md"))


def topic_pages(chapter: Path) -> list[Path]:
    return [p for p in pages(chapter) if p.name not in SPECIAL]


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def front_matter(path: Path) -> dict:
    match = re.match(r"\A---\n(.*?)\n---\n", text(path), re.S)
    return yaml.safe_load(match.group(1)) if match else {}


@cache
def glossary_terms() -> list[str]:
    names = []
    for head in GLOSSARY_TERM.findall(text(DOCS / "reference" / "glossary.md")):
        names.append(re.split(r"[（(]", head)[0].strip())
    return names


@cache
def bibliography_keys() -> list[str]:
    return BIB_ENTRY.findall(text(DOCS / "reference" / "bibliography.md"))


def test_there_are_eight_chapters() -> None:
    assert len(CHAPTERS) == 8


@pytest.mark.parametrize("chapter", CHAPTERS, ids=chapter_ids())
def test_chapter_has_index_summary_exercises_and_topic_pages(chapter: Path) -> None:
    for name in SPECIAL:
        assert (chapter / name).exists(), f"{chapter.name} lacks {name}"
    assert len(topic_pages(chapter)) >= 4, f"{chapter.name} has too few topic pages"
    exercises = text(chapter / "exercises.md")
    answers = exercises.count('??? success "参考答案"')
    assert answers >= CONTENT["min_exercises"], f"{chapter.name}/exercises.md has {answers} folded answers"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=chapter_ids())
def test_chapter_reaches_its_prose_floor(chapter: Path) -> None:
    total = sum(han_count(text(p)) for p in pages(chapter))
    floor = CONTENT["chapter_floors"][chapter.name]
    assert total >= floor, f"{chapter.name}: {total} Han characters of prose, the floor is {floor}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=chapter_ids())
def test_topic_pages_are_within_the_length_range(chapter: Path) -> None:
    low, high = CONTENT["topic_page_range"]
    outside = {p.name: han_count(text(p)) for p in topic_pages(chapter)}
    outside = {k: v for k, v in outside.items() if not low <= v <= high}
    assert not outside, f"{chapter.name}: topic pages outside {low}–{high} Han characters: {outside}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=chapter_ids())
def test_topic_pages_end_with_references_that_resolve(chapter: Path) -> None:
    keys = set(bibliography_keys())
    for page in topic_pages(chapter):
        body = text(page)
        assert "\n## 参考文献\n" in body, f"{page.relative_to(DOCS)} has no '## 参考文献' section"
        cited = BIB_LINK.findall(body)
        assert cited, f"{page.relative_to(DOCS)} cites nothing from the bibliography"
        unknown = sorted(set(cited) - keys)
        assert not unknown, f"{page.relative_to(DOCS)} cites keys missing from the bibliography: {unknown}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=chapter_ids())
def test_chapter_uses_all_its_required_terms_and_the_glossary_defines_them(chapter: Path) -> None:
    terms = front_matter(chapter / "index.md").get("required_terms")
    assert terms, f"{chapter.name}/index.md has no required_terms in its front matter"
    corpus = "\n".join(prose(text(p)) for p in pages(chapter))
    missing = [t for t in terms if str(t) not in corpus]
    assert not missing, f"{chapter.name}: required terms not used in the chapter: {missing}"
    undefined = [t for t in terms if str(t) not in glossary_terms()]
    assert not undefined, f"{chapter.name}: terms not defined in docs/reference/glossary.md: {undefined}"


def test_glossary_defines_each_term_once() -> None:
    names = glossary_terms()
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert len(names) > 100 and not duplicates, f"duplicated glossary terms: {duplicates}"


def test_every_bibliography_entry_is_cited_by_a_chapter() -> None:
    cited = {key for chapter in CHAPTERS for page in pages(chapter) for key in BIB_LINK.findall(text(page))}
    uncited = [k for k in bibliography_keys() if k not in cited]
    keys = bibliography_keys()
    assert len(keys) == len(set(keys)), "a bibliography key is defined twice"
    assert not uncited, f"bibliography entries no chapter cites: {uncited}"


def test_every_erratum_names_the_article_section_and_is_corrected_in_a_chapter() -> None:
    errata = text(DOCS / "reference" / "errata.md")
    entries = re.split(r"^## ", errata, flags=re.M)[1:]
    numbers = [re.match(r"(E\d\d)", e).group(1) for e in entries]
    assert numbers == [f"E{i:02d}" for i in range(34)]
    for entry in entries:
        assert "**原文位置**：第" in entry or "**原文位置**：文首" in entry, f"{entry[:3]} names no article section"
    boxes = {n for chapter in CHAPTERS for page in pages(chapter) for n in ERRATA_BOX.findall(text(page))}
    chapter_level = {"E07", "E13", "E23", "E26", "E28", "E30", "E31"}  # corrected by a whole chapter
    missing = [n for n in numbers if n not in boxes and n not in chapter_level]
    assert not missing, f"errata with no 勘误 box where the topic is taught: {missing}"


def test_arxiv_ids_have_the_right_form() -> None:
    for page in DOCS.rglob("*.md"):
        for ident in ARXIV.findall(text(page)):
            assert re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", ident), f"{page.relative_to(DOCS)}: bad arXiv id {ident}"


def test_no_placeholder_text() -> None:
    words = CONTENT["placeholders"]
    pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words), re.I)
    for page in [*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")]:
        found = pattern.search(prose(text(page)) if page.suffix == ".md" else text(page))
        assert not found, f"{page.relative_to(DOCS)}: placeholder text '{found.group(0)}'"
