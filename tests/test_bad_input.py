"""Bad input fails the build with a message that names the file: a real build of a tiny site that uses the
handbook's own configuration (theme, hooks, extensions, validation), with one planted problem each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build

GOOD_PAGE = "# 第一页\n\n## 梯度下降\n\n正文，公式 $x^2$。\n"


def tiny_site(tmp_path: Path, pages: dict[str, str], nav: list[str], extra_extension: str | None = None) -> Path:
    """Write docs and a config that is the project's mkdocs.yml with another docs_dir and nav."""
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nnav:\n")[0]
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = re.sub(r"^  - overrides/hooks/", f"  - {ROOT}/overrides/hooks/", config, flags=re.M)
    config = config.replace("extra_css:\n  - assets/stylesheets/extra.css\n", "")
    if extra_extension:
        config = config.replace("markdown_extensions:\n", f"markdown_extensions:\n  - {extra_extension}\n")
    config += f"\ndocs_dir: {docs}\nnav:\n" + "".join(f"  - {p}\n" for p in nav)
    path = tmp_path / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path


def test_tiny_site_builds_cleanly(tmp_path: Path) -> None:
    config = tiny_site(tmp_path, {"index.md": GOOD_PAGE, "b.md": "# 第二页\n\n见[梯度下降](index.md#梯度下降)。\n"},
                       ["index.md", "b.md"])
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode == 0, build.output


# A notebook whose only figure has no alt text in its cell metadata (a 1×1 PNG).
FIGURE_NOTEBOOK = json.dumps({
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# 图\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["plot()"], "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {
                "text/plain": ["<Figure>"],
                "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
                             "AAAABJRU5ErkJggg==",
            }}]},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
})


@pytest.mark.parametrize(
    ("pages", "nav", "extension", "expected"),
    [
        pytest.param({"index.md": GOOD_PAGE, "b.md": "# 二\n\n[坏链接](missing.md)\n"}, ["index.md", "b.md"],
                     None, r"b\.md.*missing\.md", id="broken-link"),
        pytest.param({"index.md": GOOD_PAGE, "b.md": "# 二\n\n[坏锚点](index.md#反向传播)\n"}, ["index.md", "b.md"],
                     None, r"b\.md.*反向传播", id="broken-anchor"),
        pytest.param({"index.md": GOOD_PAGE, "orphan.md": "# 孤儿\n"}, ["index.md"],
                     None, r"orphan\.md", id="page-missing-from-nav"),
        pytest.param({"index.md": "---\ntitle: [oops\n---\n# 一\n"}, ["index.md"],
                     None, r"docs/index\.md:2: malformed front matter", id="malformed-front-matter"),
        pytest.param({"index.md": GOOD_PAGE}, ["index.md"],
                     "no_such_extension", r"no_such_extension", id="unknown-markdown-extension"),
        pytest.param({"index.md": GOOD_PAGE, "b.md": "# 二\n\n损失 $\\frac{1}{$ 写坏了。\n"}, ["index.md", "b.md"],
                     None, r"b\.md: formula .*does not typeset", id="formula-that-does-not-typeset"),
        pytest.param({"index.md": GOOD_PAGE, "nb-figure.ipynb": FIGURE_NOTEBOOK}, ["index.md", "nb-figure.ipynb"],
                     None, r"nb-figure\.ipynb: cell 1 draws 1 figure\(s\) but .*\"alt\"", id="figure-without-alt"),
    ],
)
def test_bad_input_fails_the_build_and_names_it(
    tmp_path: Path, pages: dict[str, str], nav: list[str], extension: str | None, expected: str
) -> None:
    config = tiny_site(tmp_path, pages, nav, extension)
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode != 0, f"the build passed although it should not:\n{build.output}"
    assert re.search(expected, build.output), build.output
