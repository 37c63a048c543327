"""The offline check of a handbook-sized tree (about 100 pages, notebooks, built site) takes under 2 s."""

from __future__ import annotations

import json
import time
from pathlib import Path

try:
    from linkcheck_support import run_script
except ImportError:  # tests/ made a package
    from tests.linkcheck_support import run_script

HEADINGS = ["梯度下降", "链式法则", "学习率与收敛", "Adam 优化器", "小结"]
PARAGRAPH = "我们沿负梯度方向更新参数 $\\theta \\leftarrow \\theta - \\eta \\nabla L$，学习率决定步长。" * 6


def _page_markdown(index: int, pages: list[str], here: str) -> str:
    depth = here.count("/")
    up = "../" * depth
    parts = [f"# 第 {index} 页", ""]
    for number, heading in enumerate(HEADINGS):
        target = pages[(index * 7 + number) % len(pages)]
        parts += [f"## {heading}", "", PARAGRAPH, ""]
        parts += [
            f"见[相关内容]({up}{target}#{HEADINGS[number].lower().replace(' ', '-')})、"
            f"![插图]({up}assets/fig.svg)、`[代码](x.md)` 和[外部资料](https://example.org/p{index}/{number})。",
            "",
            '!!! note "提示"',
            f"    提示框里的[链接]({up}index.md)。",
            "",
            "```python",
            "print('[不是链接](y.md)')",
            "```",
            "",
        ]
    return "\n".join(parts)


def _site_page(title_ids: list[str], links: list[str]) -> str:
    nav = "\n".join(f'<li><a class="md-nav__link" href="{link}">导航</a></li>' for link in links)
    body = "\n".join(f'<h2 id="{i}">{i}</h2><p>{PARAGRAPH}</p>' for i in title_ids)
    filler = "<div class='md-sidebar'>" + "<span>侧边栏</span>" * 2000 + "</div>"
    return f"<!doctype html><html><head><meta charset='utf-8'></head><body><ul>{nav}</ul>{filler}{body}</body></html>"


def _make_handbook(root: Path, chapters: int = 8, per_chapter: int = 12) -> int:
    docs = root / "docs"
    pages = ["index.md"] + [f"ch{c:02d}/p{p:02d}.md" for c in range(chapters) for p in range(per_chapter)]
    (docs / "assets").mkdir(parents=True)
    (docs / "assets/fig.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    ids = [h.lower().replace(" ", "-") for h in HEADINGS]
    for index, page in enumerate(pages):
        path = docs / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page_markdown(index, pages, page), encoding="utf-8")
        url = "" if page == "index.md" else page[:-3] + "/"
        out = root / "site" / url / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        up = "../" * url.count("/")
        nav = [f"{up}{p[:-3]}/" if p != "index.md" else up or "./" for p in pages]
        out.write_text(_site_page(ids, nav), encoding="utf-8")
    (root / "site/assets").mkdir(parents=True)
    (root / "site/assets/fig.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    for chapter in range(chapters):
        cells = [
            {"cell_type": "markdown", "metadata": {}, "source": ["# 实验\n", "\n", "见[第一页](p00.md#小结)。\n"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["print(1)\n"], "outputs": []},
        ] * 10
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (docs / f"ch{chapter:02d}/nb-demo.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return len(pages) + chapters


def test_offline_check_of_a_handbook_sized_tree_is_fast(tmp_path: Path) -> None:
    files = _make_handbook(tmp_path)
    assert files >= 100
    started = time.monotonic()
    result = run_script(["--docs", "docs", "--site", "site"], tmp_path)
    elapsed = time.monotonic() - started
    assert result.code == 0, result.stdout[-2000:]
    assert elapsed < 2.0, f"{elapsed:.2f} s"
