"""Per-notebook execution time and the kernel's peak memory, and the totals, as a table.

Usage: python scripts/bench_notebooks.py [PATH ...]   (default: every docs/**/*.ipynb). Prints; asserts nothing.
Executes copies in a real kernel (the saved notebooks are not modified).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from notebooks import Settings, discover, display

PEAK_MEMORY = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def measure(path: Path, settings: Settings) -> tuple[float, float]:
    """Seconds to run the notebook top to bottom, and the kernel's peak resident memory in MB."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY))
    client = NotebookClient(nb, timeout=settings.timeout, kernel_name=settings.kernel,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    peak_kb = int(nb.cells[-1].outputs[0]["text"].strip())
    return elapsed, peak_kb / 1024


def main(argv: list[str]) -> int:
    settings = Settings.load()
    rows: list[tuple[str, float, float]] = []
    for path in discover(argv):
        seconds, megabytes = measure(path, settings)
        rows.append((display(path), seconds, megabytes))
        print(f"{seconds:7.1f} s {megabytes:8.0f} MB  {display(path)}", file=sys.stderr)
    width = max(len(r[0]) for r in rows)
    print(f"| {'notebook':<{width}} | time (s) | peak memory (MB) |")
    print(f"|{'-' * (width + 2)}|---------:|-----------------:|")
    for name, seconds, megabytes in rows:
        print(f"| {name:<{width}} | {seconds:8.1f} | {megabytes:16.0f} |")
    total = sum(r[1] for r in rows)
    peak = max(r[2] for r in rows)
    print(f"| {'total (' + str(len(rows)) + ' notebooks)':<{width}} | {total:8.1f} | {peak:16.0f} |")
    print(json.dumps({"total_seconds": round(total, 1), "max_peak_mb": round(peak)}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
