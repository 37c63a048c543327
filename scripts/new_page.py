"""Create a new topic page or notebook in a chapter and add it to the nav, so nobody edits mkdocs.yml by hand.

Usage:
    python scripts/new_page.py CHAPTER SLUG "标题"              # docs/CHAPTER/SLUG.md, before the chapter's 小结
    python scripts/new_page.py CHAPTER nb-SLUG "实验：标题" --notebook   # docs/CHAPTER/nb-SLUG.ipynb, under 动手实验

CHAPTER is a folder such as ch03-algorithms. Exit 2 on bad input (unknown chapter, existing file, bad slug).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOTEBOOK_SECTION = "动手实验"

PAGE_TEMPLATE = """# {title}

（用几段话讲清这一主题：先说明要解决的问题，再引入概念与公式，逐个解释符号，最后给一个带具体数字的小例子。）

## 参考文献

- （作者（年份）：*标题*，arXiv 编号 / DOI / 官方网址，链接到 ../reference/bibliography.md 中的条目。）
"""


def notebook_json(title: str) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [f"# {title}\n", "\n", "（这个实验要让读者看到什么。）"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["import numpy as np\n", "\n", "rng = np.random.default_rng(0)"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["## 结论\n"]},
    ]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                                      "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def insert_into_nav(config: str, chapter: str, entry: str, notebook: bool) -> str:
    lines = config.splitlines(keepends=True)
    index = f"      - {chapter}/index.md\n"
    if index not in lines:
        raise ValueError(f"mkdocs.yml: chapter '{chapter}' has no nav entry '{index.strip()}'")
    start = lines.index(index)
    end = start + 1
    while end < len(lines) and lines[end].startswith("      "):
        end += 1
    block = lines[start:end]
    if notebook:
        header = f"      - {NOTEBOOK_SECTION}:\n"
        if header in block:
            position = start + block.index(header) + 1
            while position < end and lines[position].startswith("          - "):
                position += 1
            new = f"          - {chapter}/{entry}\n"
        else:
            position = start + block.index(f"      - {chapter}/summary.md\n")
            new = header + f"          - {chapter}/{entry}\n"
    else:
        stops = [i for i, line in enumerate(block) if line in (f"      - {NOTEBOOK_SECTION}:\n",
                                                                f"      - {chapter}/summary.md\n")]
        position = start + (stops[0] if stops else len(block))
        new = f"      - {chapter}/{entry}\n"
    lines.insert(position, new)
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chapter", help="chapter folder under docs/, e.g. ch03-algorithms")
    parser.add_argument("slug", help="file name without extension: lowercase words joined by '-'")
    parser.add_argument("title", help="the page's H1 title")
    parser.add_argument("--notebook", action="store_true", help="create a notebook instead of a Markdown page")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    docs, config_path = args.root / "docs", args.root / "mkdocs.yml"
    chapter_dir = docs / args.chapter
    if not re.fullmatch(r"ch\d\d-[a-z0-9-]+", args.chapter) or not (chapter_dir / "index.md").exists():
        parser.error(f"unknown chapter '{args.chapter}': expected a folder like docs/ch03-algorithms")
    if not SLUG.fullmatch(args.slug) or (args.notebook and not args.slug.startswith("nb-")):
        parser.error(f"bad slug '{args.slug}': use lowercase words joined by '-'"
                     + (", starting with 'nb-' for a notebook" if args.notebook else ""))
    name = f"{args.slug}.ipynb" if args.notebook else f"{args.slug}.md"
    target = chapter_dir / name
    if target.exists():
        parser.error(f"{target.relative_to(args.root)} exists already")
    try:
        config = insert_into_nav(config_path.read_text(encoding="utf-8"), args.chapter, name, args.notebook)
    except ValueError as exc:
        parser.error(str(exc))
    target.write_text(notebook_json(args.title) if args.notebook else PAGE_TEMPLATE.format(title=args.title),
                      encoding="utf-8")
    config_path.write_text(config, encoding="utf-8")
    print(f"created {target.relative_to(args.root)} and added it to the nav in mkdocs.yml")
    if args.notebook:
        print(f"next: write the notebook, then `python scripts/notebooks.py run {target.relative_to(args.root)}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
