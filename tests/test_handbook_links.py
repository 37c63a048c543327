"""The handbook itself passes the offline link check: its sources and the built site."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, Build


def test_sources_and_built_site_have_no_broken_links(site: Build) -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/check_links.py", "--docs", "docs", "--site", str(site.site), "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    problems = json.loads(proc.stdout or "[]")
    listing = "\n".join(f"{p['file']}:{p['line']}:{p['column']}: {p['kind']}: {p['url']}" for p in problems)
    assert proc.returncode == 0 and not problems, f"broken links (exit {proc.returncode}):\n{listing}{proc.stderr}"
