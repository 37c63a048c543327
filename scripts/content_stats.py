"""Count the Chinese prose of the handbook: Han characters outside code and math.

Usage: python scripts/content_stats.py [CHAPTER_DIR ...]
Prints characters per page and per chapter.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCED_CODE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$", re.S | re.M)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]", re.S)
INLINE_MATH = re.compile(r"\$[^$\n]+\$|\\\(.*?\\\)")
INLINE_CODE = re.compile(r"`[^`\n]+`")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def prose(markdown: str) -> str:
    """The Markdown text with front matter, code and math removed."""
    text = FRONT_MATTER.sub("", markdown)
    for pattern in (FENCED_CODE, DISPLAY_MATH, INLINE_MATH, INLINE_CODE):
        text = pattern.sub(" ", text)
    return text


def han_count(markdown: str) -> int:
    return len(HAN.findall(prose(markdown)))


def main(argv: list[str]) -> int:
    chapters = [Path(a).resolve() for a in argv] or sorted(p for p in DOCS.glob("ch*") if p.is_dir())
    for chapter in chapters:
        total = 0
        for page in sorted(chapter.glob("*.md")):
            n = han_count(page.read_text(encoding="utf-8"))
            total += n
            shown = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
            print(f"{n:7d}  {shown}")
        print(f"{total:7d}  total {chapter.name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
