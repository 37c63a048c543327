"""Lighthouse scores of the handbook on a phone, served the way a real host serves it (a benchmark: it prints, it
asserts nothing).

    python scripts/bench_lighthouse.py [--runs 3] [--site DIR] [--json results.json] [--reports DIR]

- builds the site (mkdocs.yml) with site_url pointing at the local server, so canonical links and the sitemap are
  what the real host has (Lighthouse's SEO audit rejects a canonical link to another domain);
- serves it on 127.0.0.1 with gzip (when the browser accepts it), Content-Length, ETag-free caching headers like
  GitHub Pages (Cache-Control: max-age=600);
- runs Lighthouse 12.2.3 (the last release for Node 20; benchmarks/lighthouse/package.json, installed there on first
  use with `npm install --no-package-lock`) with its default mobile preset (Moto G Power screen, slow 4G and 4x CPU
  slowdown, simulated) in Debian's Chromium (CHROME_PATH, default from pyproject.toml);
- pages: the home page, the page with the most formulas, and a notebook page;
- prints performance / accessibility / best-practices / SEO and LCP, TBT, CLS and bytes transferred (median of
  --runs). Goals: performance >= 95, the other three 100.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import posixpath
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import tomllib
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "benchmarks" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml",
                "text/xml", "application/manifest+json")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """A small static file server that compresses like a real host: gzip when Accept-Encoding allows it."""

    protocol_version = "HTTP/1.1"
    root: Path
    cache: ClassVar[dict[tuple[str, bool], tuple[bytes, str]]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _resolve(self) -> Path | None:
        path = posixpath.normpath(unquote(urlsplit(self.path).path))
        target = (self.root / path.lstrip("/")).resolve()
        if self.root not in target.parents and target != self.root:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _send(self, head_only: bool) -> None:
        target = self._resolve()
        status = 200
        if target is None:
            status, target = 404, self.root / "404.html"
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE)
        key = (str(target), wants_gzip)
        with self.lock:
            cached = self.cache.get(key)
        if cached is None:
            body = target.read_bytes() if target.exists() else b"not found"
            encoding = ""
            if wants_gzip:
                body, encoding = gzip.compress(body, compresslevel=9, mtime=0), "gzip"
            cached = (body, encoding)
            with self.lock:
                self.cache[key] = cached
        body, encoding = cached
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if ctype.startswith(COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(head_only=False)

    def do_HEAD(self) -> None:
        self._send(head_only=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (GzipHandler,), {"root": directory.resolve(), "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_site(site_dir: Path, site_url: str) -> None:
    """mkdocs build with site_url replaced: a config next to mkdocs.yml (relative paths resolve from there)."""
    config = ROOT / f".mkdocs-bench-{os.getpid()}.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_url: {site_url}\n", encoding="utf-8")
    try:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(f"mkdocs build failed:\n{proc.stdout}{proc.stderr}")
    finally:
        config.unlink(missing_ok=True)


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print("installing Lighthouse into benchmarks/lighthouse/ ...", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
                   cwd=LIGHTHOUSE_DIR, check=True)


def pick_pages(site_dir: Path) -> dict[str, str]:
    pages = sorted(p for p in site_dir.rglob("index.html") if "assets" not in p.relative_to(site_dir).parts)

    def rel(path: Path) -> str:
        folder = path.parent.relative_to(site_dir).as_posix()
        return "" if folder == "." else folder + "/"

    math = max(pages, key=lambda p: p.read_text(encoding="utf-8").count('class="arithmatex"'))
    notebooks = [p for p in pages if p.parent.name.startswith("nb-")]
    preferred = [p for p in notebooks if rel(p) == "ch03-algorithms/nb-attention/"]
    chosen = {"home": "", "most math": rel(math)}
    if notebooks:
        chosen["notebook"] = rel((preferred or notebooks)[0])
    return chosen


def run_lighthouse(url: str, chrome: str, flags: list[str], keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(flags)}"]
        proc = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True,
                              timeout=600)
        if proc.returncode or not report.exists():
            raise SystemExit(f"lighthouse failed for {url}:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(report, keep)
    audits = data["audits"]
    result = {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    result.update(
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        bytes=audits["total-byte-weight"]["numericValue"],
    )
    result["failed"] = sorted(
        f"{ref['id']}" for name in CATEGORIES for ref in data["categories"][name]["auditRefs"]
        if ref.get("weight") and (audits[ref["id"]].get("score") is not None) and audits[ref["id"]]["score"] < 1
        and name != "performance"
    )
    return result


def median(results: list[dict]) -> dict:
    merged = {key: statistics.median(r[key] for r in results) for key in results[0] if key != "failed"}
    merged["failed"] = sorted({item for r in results for item in r["failed"]})
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3,
                        help="Lighthouse runs per page, the median is printed (scores vary by several points per run)")
    parser.add_argument("--site", type=Path, help="serve this built site instead of building one")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--port", type=int, default=0, help="serve on this port (default: a free one); a site "
                        "passed with --site should be built with site_url http://127.0.0.1:PORT/")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's full JSON reports in this folder")
    parser.add_argument("--page", action="append", choices=["home", "most math", "notebook"],
                        help="measure only this page (repeatable; default: all three)")
    args = parser.parse_args(argv)

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["handbook"]["browser"]
    chrome = os.environ.get("CHROME_PATH", settings["executable"])
    ensure_lighthouse()
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site
        if site_dir is None:
            site_dir = Path(tmp) / "site"
            build_site(site_dir, base)
        server = serve(site_dir, port)
        try:
            results = {}
            for label, rel in pick_pages(site_dir).items():
                if args.page and label not in args.page:
                    continue
                keep = [args.reports / f"{label.replace(' ', '-')}-{i + 1}.json" if args.reports else None
                        for i in range(args.runs)]
                runs = [run_lighthouse(base + rel, chrome, settings["args"], k) for k in keep]
                results[label] = {"url": "/" + rel, **median(runs)}
        finally:
            server.shutdown()
            server.server_close()

    print(f"Lighthouse 12.2.3, mobile preset, gzip on 127.0.0.1, median of {args.runs} run(s)")
    header = f"{'page':<11} {'path':<44} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'LCP':>7} {'TBT':>6} " \
             f"{'CLS':>5} {'kB':>6}"
    print(header)
    print("-" * len(header))
    for label, r in results.items():
        print(f"{label:<11} {r['url']:<44} {r['performance']:>4.0f} {r['accessibility']:>4.0f} "
              f"{r['best-practices']:>4.0f} {r['seo']:>4.0f} {r['lcp_ms'] / 1000:>6.2f}s {r['tbt_ms']:>4.0f}ms "
              f"{r['cls']:>5.3f} {r['bytes'] / 1024:>6.0f}")
    for label, r in results.items():
        if r["failed"]:
            print(f"{label}: audits below 100 outside performance: {', '.join(r['failed'])}")
        below = [f"{name} {r[name]:.0f} < {goal}" for name, goal in GOALS.items() if r[name] < goal]
        if below:
            print(f"{label}: below goal: {'; '.join(below)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
