"""Every ```python listing in the chapters runs (blocks of a page in order, one process per page, offline).

A listing that cannot run here (it needs a GPU, model weights or the network, or is a fragment) must say so
in its title, which readers see too: ```python title="示意：需要 GPU 与预训练权重".
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DOCS, SETTINGS

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})[ \t]*(?:python|py)\b(?P<attrs>[^\n]*)\n"
    r"(?P<code>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.S | re.M,
)
ILLUSTRATIVE = re.compile(r'title="示意[：:]\s*\S')
RUNNER = """
import json, sys, traceback
blocks = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
for line, code in blocks:
    try:
        exec(compile(code, f"{sys.argv[1]}:{line}", "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        print(f"LISTING-FAILED {line}", file=sys.stderr)
        sys.exit(1)
"""


def listings(page: Path) -> list[tuple[int, str]]:
    source = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(source):
        attrs = match.group("attrs")
        if "title=" in attrs and "示意" in attrs and not ILLUSTRATIVE.search(attrs):
            pytest.fail(f"{page.relative_to(DOCS)}: an illustrative listing must give its reason: 示意：<reason>")
        if ILLUSTRATIVE.search(attrs):
            continue
        indent = match.group("indent")
        code = "\n".join(line.removeprefix(indent) for line in match.group("code").splitlines())
        found.append((source.count("\n", 0, match.start()) + 2, code))
    return found


PAGES = [p for p in sorted(DOCS.glob("ch0*/*.md")) if FENCE.search(p.read_text(encoding="utf-8"))]


def test_some_chapters_carry_runnable_listings() -> None:
    assert sum(len(listings(p)) for p in PAGES) >= 10
    assert any("ch04" in str(p) for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_listings_on_page_run(page: Path, tmp_path: Path) -> None:
    blocks = listings(page)
    if not blocks:
        pytest.skip("only illustrative listings on this page")
    name = str(page.relative_to(DOCS.parent))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, name],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=SETTINGS["content"]["code_listing_timeout_seconds"],
    )
    failed = re.search(r"LISTING-FAILED (\d+)", proc.stderr)
    where = f"{name}:{failed.group(1)}" if failed else name
    assert proc.returncode == 0, f"the listing at {where} fails:\n{proc.stderr[-3000:]}"
