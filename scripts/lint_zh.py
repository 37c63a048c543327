"""Chinese typography lint over docs/: spaces between CJK and Latin/digits, full-width punctuation.

Usage: python scripts/lint_zh.py [--fix] [PATH ...]   (default: every docs/**/*.md)
Backed by autocorrect (autocorrect-py), configured by .autocorrectrc. Exit 1 when something needs fixing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import autocorrect_py

ROOT = Path(__file__).resolve().parent.parent


def without_front_matter(text: str) -> str:
    """Blank out YAML front matter (data, not prose), keeping line numbers."""
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 4)
    if end < 0:
        return text
    return "\n" * text.count("\n", 0, end + 4) + text[end + 5:]


def lint(path: Path) -> list[str]:
    text = without_front_matter(path.read_text(encoding="utf-8"))
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return [
        f"{shown}:{line.line}:{line.col}: [autocorrect] Chinese typography: "
        f"“{line.old.strip()}” should be “{line.new.strip()}”"
        for line in autocorrect_py.lint_for(text, str(path)).lines
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fix", action="store_true", help="rewrite the files instead of reporting")
    parser.add_argument("paths", nargs="*", type=Path, help="Markdown files (default: docs/**/*.md)")
    args = parser.parse_args(argv)
    config = ROOT / ".autocorrectrc"
    if config.exists():
        autocorrect_py.load_config(config.read_text(encoding="utf-8"))
    paths = [p.resolve() for p in args.paths] or sorted((ROOT / "docs").rglob("*.md"))
    if args.fix:
        for path in paths:
            text = path.read_text(encoding="utf-8")
            body = without_front_matter(text)
            head = text[: len(text) - len(body.lstrip("\n"))] if body != text else ""
            fixed = autocorrect_py.format_for(body.lstrip("\n") if head else text, str(path))
            path.write_text(head + fixed, encoding="utf-8")
        return 0
    problems = [problem for path in paths for problem in lint(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} typography problems; `python scripts/lint_zh.py --fix` fixes them.",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
