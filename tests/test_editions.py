"""The downloadable editions and what link previews show.

- the offline edition (scripts/build_editions.py offline): the real zip, unzipped and opened from file:// in
  Chromium with every other request blocked: search, a result, a notebook page with a typeset equation;
- the PDF edition (scripts/pdf_edition.py): every chapter title, no raw TeX, a plausible page count, internal
  links, bookmarks, notebook figures (read back with poppler's pdftotext, pdfinfo and pdfimages);
- the social card and the link-preview metadata of the built site.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import DOCS, ROOT, Build

SEARCH_QUERY = "反向传播"
TIMEOUT_MS = 30_000
CARD = DOCS / "assets" / "images" / "social-card.png"
# The handbook has ~110 pages of content; printed on A4 with each page starting on a new sheet that is ~3 sheets
# per page on average (a stubbed draft of the book already printed 450). Far fewer means content went missing.
MIN_PDF_PAGES = 150
MAX_PDF_PAGES = 3000


def chapter_titles() -> list[str]:
    """The H1 of every docs/ch0*/index.md, after the front matter."""
    titles = []
    for index in sorted(DOCS.glob("ch0*/index.md")):
        text = index.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("\n---", 2)[-1]
        match = re.search(r"^# (.+)$", text, re.M)
        assert match, f"{index} has no H1"
        titles.append(match.group(1).strip())
    return titles


# --- offline edition -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from build_editions import offline

    out = tmp_path_factory.mktemp("offline")
    started = time.monotonic()
    try:
        archive = offline(out, "test")
    except SystemExit as exc:
        pytest.fail(f"the offline edition did not build: {exc}")
    assert archive.name == "ai-llm-handbook-offline-test.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert all(name.startswith("ai-llm-handbook-offline-test/") for name in names), "one top-level folder"
        zipped.extractall(out / "unzipped")
    print(f"offline edition: {archive.stat().st_size / 1e6:.1f} MB zip in {time.monotonic() - started:.0f} s")
    return out / "unzipped" / "ai-llm-handbook-offline-test"


def test_offline_edition_works_from_the_file_system(browser, offline_site: Path) -> None:
    index = offline_site / "index.html"
    assert index.exists()
    context = browser.new_context()
    blocked: list[str] = []
    errors: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("requestfailed", lambda r: r.url.startswith("file://") and errors.append(f"failed: {r.url} {r.failure}"))

    page.goto(index.as_uri(), wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(SEARCH_QUERY)
    box.press("End")  # Material reads the query on keyup
    first = page.locator("a.md-search-result__link").first
    first.wait_for(timeout=TIMEOUT_MS)
    target = first.get_attribute("href") or ""
    assert target.startswith("file://") or not re.match(r"^[a-z]+:", target), f"result link {target}"
    first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.split("?")[0].endswith(".html"), page.url
    assert SEARCH_QUERY in page.locator("article").inner_text(), f"{page.url} should be about {SEARCH_QUERY}"

    # The offline edition uses file URLs (ch03-algorithms/nb-attention.html), not folders.
    notebooks = sorted(p for p in offline_site.glob("ch0*/nb-*.html")
                       if "<mjx-container" in p.read_text(encoding="utf-8"))
    assert notebooks, "no notebook page with math in the offline edition"
    page.goto(notebooks[0].as_uri(), wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('article mjx-container').length > 0", timeout=TIMEOUT_MS)
    assert page.locator(".jp-OutputArea-output").count() > 0, "the notebook page shows no outputs"
    context.close()
    assert not blocked, "the offline edition requested other locations:\n" + "\n".join(blocked)
    assert not errors, "\n".join(errors)


# --- PDF edition -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [tool for tool in ("pdftotext", "pdfinfo", "pdfimages") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install Debian's poppler-utils")
    from pdf_edition import build_pdf

    started = time.monotonic()
    try:
        path = build_pdf(tmp_path_factory.mktemp("pdf"), "20250101")
    except SystemExit as exc:
        pytest.fail(f"the PDF edition did not build: {exc}")
    print(f"PDF edition: {path.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.0f} s")
    return path


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def test_pdf_is_named_by_date_and_has_a_plausible_size(pdf: Path) -> None:
    assert pdf.name == "ai-llm-handbook-20250101.pdf"
    info = pdf_info(pdf)
    pages = int(info["Pages"])
    print(f"PDF: {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")
    assert MIN_PDF_PAGES < pages < MAX_PDF_PAGES, f"{pages} pages"
    width, height = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert abs(width - 595) < 2 and abs(height - 842) < 2, f"not A4: {info['Page size']}"
    assert info.get("Tagged") == "yes", "the PDF should be tagged (structure for screen readers)"


def test_pdf_text_has_every_chapter_and_no_raw_tex(pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    compact = re.sub(r"\s+", "", text)
    titles = chapter_titles()
    assert len(titles) == 8, titles
    missing = [title for title in titles if re.sub(r"\s+", "", title) not in compact]
    assert not missing, f"chapter titles missing from the PDF text: {missing}"
    raw = [line.strip() for line in text.splitlines() if re.search(r"\\frac|\$\$|\\\(", line)]
    assert not raw, "raw TeX in the PDF (MathJax did not typeset it):\n" + "\n".join(raw[:20])


def test_pdf_has_internal_links_bookmarks_and_notebook_figures(pdf: Path) -> None:
    data = pdf.read_bytes()
    links = re.findall(rb"/Subtype\s*/Link\b(.{0,400})", data, re.S)
    internal = [link for link in links if b"/Dest" in link or b"/GoTo" in link]
    assert len(internal) >= len(chapter_titles()), f"{len(internal)} internal links (of {len(links)} links)"
    assert b"/Outlines" in data, "no bookmarks (document outline)"
    figures = 0
    for notebook in DOCS.glob("**/*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        figures += sum("image/png" in out.get("data", {}) for cell in cells for out in cell.get("outputs", []))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = len(listing.splitlines()) - 2
    assert images >= figures, f"{images} images in the PDF, but the notebooks have {figures} figure outputs"


# --- social card and link previews -----------------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_social_card_exists_is_small_and_reproducible(tmp_path: Path) -> None:
    assert CARD.exists(), "run `python scripts/make_social_card.py`"
    assert png_size(CARD) == (1200, 630)
    assert CARD.stat().st_size < 100_000
    from make_social_card import main

    main(["--out", str(tmp_path / "a.png")])
    main(["--out", str(tmp_path / "b.png")])
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes(), "drawing is not deterministic"
    assert png_size(tmp_path / "a.png") == (1200, 630)


def test_pages_carry_link_preview_metadata_canonical_links_and_a_sitemap(site: Build) -> None:
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert match, "mkdocs.yml has no site_url (canonical links, sitemap and og:url need it)"
    site_url = match.group(1).rstrip("/") + "/"
    card_url = site_url + "assets/images/social-card.png"
    assert (site.site / "assets" / "images" / "social-card.png").exists()
    problems = []
    for rel in ("index.html", "ch03-algorithms/index.html", "reference/glossary/index.html"):
        page = (site.site / rel).read_text(encoding="utf-8")
        url = site_url + rel.removesuffix("index.html")
        expected = {
            "og:title": None, "og:description": None, "og:image": card_url, "og:url": url,
            "twitter:card": "summary_large_image", "twitter:image": card_url,
        }
        for name, value in expected.items():
            match = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)"', page)
            if not match or not match.group(1).strip():
                problems.append(f"{rel}: no {name}")
            elif value is not None and match.group(1) != value:
                problems.append(f"{rel}: {name} is {match.group(1)!r}, expected {value!r}")
        if f'<link rel="canonical" href="{url}">' not in page:
            problems.append(f"{rel}: no canonical link to {url}")
        if '<html lang="zh"' not in page:
            problems.append(f"{rel}: no lang=zh")
    assert not problems, "\n".join(problems)
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{site_url}</loc>" in sitemap and f"<loc>{site_url}ch03-algorithms/</loc>" in sitemap
