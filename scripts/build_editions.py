"""Build the downloadable editions of the handbook.

Usage:
    python scripts/build_editions.py offline [--out build]   # zip that works from file://, search included
    python scripts/build_editions.py pdf [--out build]       # the whole handbook as one PDF

Files are named with the build date: ai-llm-handbook-offline-YYYYMMDD.zip, ai-llm-handbook-YYYYMMDD.pdf.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "ai-llm-handbook"


def build(config: str, site_dir: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config,
                           "-d", str(site_dir)], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"mkdocs build -f {config} failed:\n{proc.stdout}{proc.stderr}")


def offline(out: Path, stamp: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / f"{NAME}-offline-{stamp}"
        build("mkdocs-offline.yml", site)
        archive = shutil.make_archive(str(out / site.name), "zip", root_dir=tmp, base_dir=site.name)
    return Path(archive)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("edition", choices=["offline", "pdf"])
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="output folder (default: build/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.date.today().strftime("%Y%m%d")
    if args.edition == "offline":
        path = offline(args.out.resolve(), stamp)
    else:
        from pdf_edition import build_pdf

        path = build_pdf(args.out.resolve(), stamp)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
