"""Benchmark the site: build times, edit-to-reload time, sizes, and bytes a reader downloads.

Usage: python scripts/bench_site.py   (or `make bench`). Prints numbers; asserts nothing.
Talks only to 127.0.0.1. Budgets (for the closing note, not enforced here): warm build <= 10 s on
2 cores, edit-to-reload <= 2 s, a math-heavy page <= 1.0 MB transferred (compressed, cold cache).
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

from local_server import serve

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGES = {"home page": "", "math-heavy page": "ch03-algorithms/pretraining-and-alignment/",
         "notebook page": "ch03-algorithms/nb-attention/"}
EDITED_PAGE = ROOT / "docs" / "reference" / "index.md"


def timed_build(site_dir: Path, *, clear_cache: bool) -> float:
    if clear_cache:
        shutil.rmtree(ROOT / ".cache", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site_dir)],
                   cwd=ROOT, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_args() -> tuple[str, list[str]]:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["handbook"]["browser"]
    return cfg["executable"], cfg["args"]


def transferred_bytes(site_dir: Path) -> dict[str, tuple[int, int]]:
    """Raw and gzip-compressed bytes of every response a cold browser receives per page."""
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[int, int]] = {}
    executable, args = browser_args()
    with serve(site_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        for label, path in PAGES.items():
            context = browser.new_context()
            page = context.new_page()
            bodies: list[bytes] = []
            page.on("response", lambda r, bodies=bodies: bodies.append(r.body()) if r.ok else None)
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(1500)
            results[label] = (sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies))
            context.close()
        browser.close()
    return results


def edit_to_reload() -> float:
    """Seconds from saving a Markdown edit to the browser showing it, with `mkdocs serve`."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                             cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    original = EDITED_PAGE.read_text(encoding="utf-8")
    try:
        for line in serve.stderr:  # type: ignore[union-attr]
            if "Serving on" in line:
                break
        # keep reading its log, or a full pipe would block the server on its next rebuild
        threading.Thread(target=lambda: [None for _ in serve.stderr], daemon=True).start()  # type: ignore[union-attr]
        executable, args = browser_args()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=args)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/", wait_until="load")  # redirects to the site_url path
            page.goto(page.url.rstrip("/") + "/reference/", wait_until="load")
            time.sleep(1.0)
            marker = f"基准标记{int(time.time())}"
            start = time.perf_counter()
            EDITED_PAGE.write_text(original + f"\n{marker}\n", encoding="utf-8")
            page.wait_for_function(f"document.body.innerText.includes('{marker}')", timeout=120_000)
            elapsed = time.perf_counter() - start
            browser.close()
        return elapsed
    finally:
        EDITED_PAGE.write_text(original, encoding="utf-8")
        serve.terminate()
        serve.wait(timeout=30)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        cold = timed_build(site_dir, clear_cache=True)
        warm = min(timed_build(site_dir, clear_cache=False) for _ in range(2))
        index = (site_dir / "search" / "search_index.json").read_bytes()
        rows = [
            ("cold build (empty .cache: notebooks, formulas)", f"{cold:.1f} s"),
            ("warm build (best of 2)", f"{warm:.1f} s"),
            ("edit-to-reload (mkdocs serve)", f"{edit_to_reload():.1f} s"),
            ("site size", f"{tree_size(site_dir) / 1e6:.1f} MB"),
            ("search_index.json", f"{len(index) / 1e3:.0f} kB ({len(gzip.compress(index)) / 1e3:.0f} kB gzip)"),
        ]
        for label, (raw, packed) in transferred_bytes(site_dir).items():
            rows.append((f"{label} transferred", f"{raw / 1e3:.0f} kB ({packed / 1e3:.0f} kB gzip)"))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
