"""Benchmark the external link check against linkchecker and lychee on a local corpus with planted faults.

Everything runs on this machine: a fault server listens on many ports of 127.0.0.1 (each port is one
"host"), answers after ``--latency`` seconds, and plants the faults of ``linkcheck.fault_server``. The
corpus is a folder of HTML pages holding the links; each tool checks it, and the table shows wall time,
peak memory (max RSS), and how many planted faults each found, missed, and how many good links it
reported as broken (false positives).

    python scripts/bench_linkcheck.py                    # 2,000 links over 50 hosts, 100 ms latency
    python scripts/bench_linkcheck.py --links 500 --skip-linkchecker

Not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from linkcheck.fault_server import FaultServer  # noqa: E402

# behaviour -> (weight per 100 links, is a fault that must be reported as broken)
MIX: dict[str, tuple[float, bool]] = {
    "ok": (38, False),
    "ok#intro": (8, False),
    "ok#%E6%A2%AF%E5%BA%A6%E4%B8%8B%E9%99%8D": (3, False),
    "flaky": (5, False),
    "ratelimit": (3, False),
    "chain": (5, False),
    "moved": (5, False),  # a permanent redirect: a warning, not a failure
    "headrefused": (5, False),
    "headforbidden": (3, False),
    "latin1#café": (3, False),
    "badbytes#ok-id": (3, False),
    "huge": (0.5, False),
    "notfound": (6, True),
    "gone": (2, True),
    "error": (2, True),
    "loop": (2, True),
    "reset": (2, True),
    "ok#nope": (3, True),  # missing fragment
    "slow": (0.5, True),
    "refused": (1, True),  # nothing listens on that port
}
PAGE_SIZE = 100


@dataclass
class Corpus:
    root: Path
    site: Path
    urls: list[str] = field(default_factory=list)
    faults: set[str] = field(default_factory=set)
    hosts: int = 0


@dataclass
class Outcome:
    tool: str
    seconds: float
    peak_mb: float
    reported: set[str]
    note: str = ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _normalize(url: str) -> str:
    return unquote(url).rstrip("/")


def build_corpus(root: Path, server: FaultServer, links: int, seed: int) -> Corpus:
    rng = random.Random(seed)
    site = root / "site"
    site.mkdir(parents=True)
    corpus = Corpus(root, site, hosts=len(server.bound_ports))
    refused_ports = [_free_port() for _ in range(3)]
    behaviours = list(MIX)
    weights = [MIX[b][0] for b in behaviours]
    for index in range(links):
        if index and rng.random() < 0.03:  # some links repeat an earlier URL
            corpus.urls.append(corpus.urls[rng.randrange(len(corpus.urls))])
            continue
        behaviour = rng.choices(behaviours, weights)[0]
        name, _, fragment = behaviour.partition("#")
        suffix = f"#{fragment}" if fragment else ""
        if name == "refused":
            url = f"http://127.0.0.1:{refused_ports[index % len(refused_ports)]}/ok/{index}"
        else:
            url = server.url(f"{name}/{index}", port_index=index % len(server.bound_ports)) + suffix
        corpus.urls.append(url)
        if MIX[behaviour][1]:
            corpus.faults.add(_normalize(url))
    pages = []
    for start in range(0, len(corpus.urls), PAGE_SIZE):
        name = f"page{start // PAGE_SIZE:03d}.html"
        chunk = corpus.urls[start : start + PAGE_SIZE]
        items = "\n".join(f'<li><a href="{url}">link {start + i}</a></li>' for i, url in enumerate(chunk))
        (site / name).write_text(
            f"<!doctype html><html><head><meta charset='utf-8'><title>{name}</title></head>"
            f"<body><ul>\n{items}\n</ul></body></html>\n",
            encoding="utf-8",
        )
        pages.append(name)
    index_items = "\n".join(f'<li><a href="{p}">{p}</a></li>' for p in pages)
    (site / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>bench</title></head><body><ul>{index_items}</ul>"
        "</body></html>\n",
        encoding="utf-8",
    )
    return corpus


def _measure(command: list[str], cwd: Path, timeout: float) -> tuple[float, float, str]:
    """Run command; return wall seconds, peak RSS in MB (largest process), and stdout."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    )
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.monotonic() - started
    peak_kb = float(completed.stderr.strip().splitlines()[-1]) if completed.stderr.strip() else 0.0
    return seconds, peak_kb / 1024, completed.stdout


def run_ours(corpus: Corpus, timeout: float, limit: float) -> Outcome:
    pyproject = corpus.root / "pyproject.toml"
    pyproject.write_text(f"[tool.check-links]\ntimeout = {timeout}\n", encoding="utf-8")
    report = corpus.root / "ours.json"
    command = [
        sys.executable,
        str(SCRIPTS / "check_links.py"),
        "--no-docs",
        "--site",
        str(corpus.site),
        "--pyproject",
        str(pyproject),
        "--external",
        "--external-fragments",
        "--no-cache",
        "--no-progress",
        "--format",
        "json",
        "--output",
        str(report),
    ]
    seconds, peak, _ = _measure(command, corpus.root, limit)
    problems = json.loads(report.read_text(encoding="utf-8"))
    reported = {_normalize(str(p["url"])) for p in problems if p["severity"] == "error"}
    return Outcome("check_links.py (this)", seconds, peak, reported)


def run_linkchecker(corpus: Corpus, timeout: float, limit: float) -> Outcome:
    binary = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    config = corpus.root / "linkcheckerrc"
    config.write_text("[AnchorCheck]\n", encoding="utf-8")  # fragment checks, like the others
    command = [
        binary,
        "-f",
        str(config),
        "--check-extern",
        "--no-robots",
        "--no-status",
        "--timeout",
        str(int(timeout)),
        "-o",
        "csv",
        str(corpus.site / "index.html"),
    ]
    seconds, peak, stdout = _measure(command, corpus.root, limit)
    reported: set[str] = set()
    lines = [line for line in stdout.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
        url = row.get("urlname") or ""
        broken = row.get("valid") == "False" or "anchor" in (row.get("warningstring") or "").lower()
        if url.startswith("http") and broken:
            reported.add(_normalize(url))
    return Outcome("linkchecker 10.6.0", seconds, peak, reported, "10 threads (default)")


def run_lychee(corpus: Corpus, timeout: float, limit: float) -> Outcome | None:
    binary = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not Path(binary).exists():
        return None
    report = corpus.root / "lychee.json"
    command = [
        binary,
        "--include-fragments",
        "--no-progress",
        "--timeout",
        str(int(timeout)),
        "--format",
        "json",
        "--output",
        str(report),
        str(corpus.site),
    ]
    seconds, peak, _ = _measure(command, corpus.root, limit)
    reported: set[str] = set()
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    broken = [*(data.get("error_map") or {}).values(), *(data.get("timeout_map") or {}).values()]
    for entries in broken:
        for entry in entries:
            url = str(entry.get("url", ""))
            if url.startswith("http"):
                reported.add(_normalize(url))
    return Outcome("lychee 0.24.2", seconds, peak, reported, "--include-fragments, defaults otherwise")


def _row(outcome: Outcome, corpus: Corpus) -> list[str]:
    found = len(outcome.reported & corpus.faults)
    missed = len(corpus.faults - outcome.reported)
    false_positive = len(outcome.reported - corpus.faults)
    return [
        outcome.tool,
        f"{outcome.seconds:.1f}",
        f"{outcome.peak_mb:.0f}",
        f"{found}/{len(corpus.faults)}",
        str(missed),
        str(false_positive),
        outcome.note,
    ]


def print_table(rows: list[list[str]]) -> None:
    header = ["tool", "wall s", "peak MB", "found", "missed", "false +", "notes"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", type=int, default=2000, help="number of external links (default 2000)")
    parser.add_argument("--hosts", type=int, default=50, help="ports on 127.0.0.1 acting as hosts (default 50)")
    parser.add_argument("--latency", type=float, default=0.1, help="server latency per request, s (default 0.1)")
    parser.add_argument("--timeout", type=float, default=5, help="request timeout given to every tool (default 5)")
    parser.add_argument("--limit", type=float, default=600, help="give up on a tool after this many seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--skip-lychee", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder and print its path")
    args = parser.parse_args(argv)

    server = FaultServer(ports=args.hosts, latency=args.latency, slow_seconds=args.timeout + 5).start()
    root = Path(tempfile.mkdtemp(prefix="bench-linkcheck-"))
    root.chmod(0o755)  # linkchecker run as root drops to "nobody", which must read the corpus
    try:
        corpus = build_corpus(root, server, args.links, args.seed)
        unique = len(set(corpus.urls))
        print(
            f"corpus: {len(corpus.urls)} links ({unique} unique) over {corpus.hosts} hosts + 3 refused ports, "
            f"{len(corpus.faults)} planted faults, latency {args.latency * 1000:.0f} ms, timeout {args.timeout:g} s, "
            f"{os.cpu_count()} cores\n"
        )
        runners = [run_ours]
        if not args.skip_lychee:
            runners.append(run_lychee)  # type: ignore[arg-type]
        if not args.skip_linkchecker:
            runners.append(run_linkchecker)
        rows = []
        for runner in runners:
            server.reset_counts()
            try:
                outcome = runner(corpus, args.timeout, args.limit)
            except subprocess.TimeoutExpired:
                rows.append([runner.__name__, f">{args.limit:.0f}", "?", "?", "?", "?", "timed out"])
                continue
            if outcome is None:
                continue
            outcome.note = f"{outcome.note}; {server.total_requests} requests".lstrip("; ")
            rows.append(_row(outcome, corpus))
            print(f"  {outcome.tool}: {outcome.seconds:.1f} s", file=sys.stderr)
        print_table(rows)
    finally:
        server.stop()
        if args.keep:
            print(f"corpus kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
