"""Execute, normalise and verify the handbook's notebooks.

Usage:
    python scripts/notebooks.py run   [PATH ...]   # execute in a real kernel and save outputs
    python scripts/notebooks.py check [PATH ...]   # verify saved outputs match the code (no execution)

Without PATH, every ``docs/**/*.ipynb`` is processed. Settings live in
``[tool.handbook.notebooks]`` of ``pyproject.toml``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METADATA_KEY = "handbook"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# Executed in the kernel before the notebook's own cells (and removed again):
# any connection to a host other than the loopback interface raises.
NETWORK_GUARD = """
import socket as _socket
def _handbook_guard(address):
    host = address[0] if isinstance(address, tuple) else address
    if str(host) not in ("127.0.0.1", "::1", "localhost"):
        raise RuntimeError(f"notebooks must not use the network (tried {host!r})")
_orig_connect = _socket.socket.connect
def _guarded_connect(self, address):
    _handbook_guard(address)
    return _orig_connect(self, address)
_socket.socket.connect = _guarded_connect
_orig_gai = _socket.getaddrinfo
def _guarded_getaddrinfo(host, *args, **kwargs):
    _handbook_guard((host,))
    return _orig_gai(host, *args, **kwargs)
_socket.getaddrinfo = _guarded_getaddrinfo
del _guarded_connect, _guarded_getaddrinfo
"""


class NotebookError(Exception):
    """A notebook that cannot be executed or verified, with its location."""


@dataclass(frozen=True)
class Settings:
    timeout: int
    kernel: str
    budget_seconds: float

    @classmethod
    def load(cls) -> Settings:
        data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        cfg = data["tool"]["handbook"]["notebooks"]
        return cls(
            timeout=int(cfg["cell_timeout_seconds"]),
            kernel=str(cfg["kernel"]),
            budget_seconds=float(cfg["budget_seconds"]),
        )


def code_hash(nb: dict) -> str:
    """Hash of the code cells' sources: what the outputs must have come from."""
    sources = [cell_source(c) for c in nb["cells"] if c["cell_type"] == "code"]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode()).hexdigest()


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def read_notebook(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError(f"{path}: cannot read: {exc}") from exc
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{path}: not a notebook (no 'cells' list)")
    return nb


def normalise(nb: dict, runtime: float | None) -> dict:
    """Make re-execution of unchanged code give a minimal, readable diff."""
    count = 0
    for index, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{index:02d}"
        cell["source"] = cell_source(cell).splitlines(keepends=True)
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        meta.pop("collapsed", None)
        meta.pop("scrolled", None)
        cell["metadata"] = meta
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
                output.get("metadata", {}).pop("execution", None)
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    nb["metadata"] = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        METADATA_KEY: {
            "code_sha256": code_hash(nb),
            **({"runtime_seconds": round(runtime)} if runtime is not None else {}),
        },
    }
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def execute(path: Path, settings: Settings) -> float:
    """Execute a notebook in a real kernel, save its outputs, return seconds taken."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb_dict = read_notebook(path)
    kernel = nb_dict.get("metadata", {}).get("kernelspec", {}).get("name", settings.kernel)
    if kernel != settings.kernel:
        raise NotebookError(f"{path}: unknown kernel {kernel!r}; use {settings.kernel!r}")
    nb = nbformat.reads(json.dumps(nb_dict), as_version=4)
    guard = nbformat.v4.new_code_cell(NETWORK_GUARD)
    nb.cells.insert(0, guard)
    client = NotebookClient(
        nb,
        timeout=settings.timeout,
        kernel_name=settings.kernel,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        failed = _failed_cell_index(nb) - 1  # minus the guard cell
        raise NotebookError(f"{path}: cell {failed} raised:\n{exc}") from exc
    except Exception as exc:  # kernel death, timeout, unknown kernel
        raise NotebookError(f"{path}: execution failed: {type(exc).__name__}: {exc}") from exc
    elapsed = time.perf_counter() - start
    nb.cells.pop(0)
    out = normalise(json.loads(nbformat.writes(nb)), elapsed)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return elapsed


def _failed_cell_index(nb) -> int:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index
    return -1


def check(path: Path) -> list[str]:
    """Problems with a saved notebook: stale or missing outputs, errors, wrong kernel."""
    nb = read_notebook(path)
    problems: list[str] = []
    meta = nb.get("metadata", {})
    recorded = meta.get(METADATA_KEY, {}).get("code_sha256")
    fix = f"run `python scripts/notebooks.py run {display(path)}`"
    where = display(path)
    if recorded != code_hash(nb):
        problems.append(f"{where}: outputs are stale (code changed since last execution); {fix}")
    kernel = meta.get("kernelspec", {}).get("name")
    if kernel != KERNELSPEC["name"]:
        problems.append(f"{where}: unknown kernel {kernel!r}; {fix}")
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for number, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{where}: cell {number} has an error output ({output.get('ename')})")
            data = output.get("data", {})
            for mime in ("image/png", "image/jpeg"):
                if mime in data and not str(data[mime]).strip():
                    problems.append(f"{where}: cell {number} has an empty {mime} output")
    if code_cells and not any(c.get("outputs") for c in code_cells):
        problems.append(f"{where}: no outputs saved; {fix}")
    return problems


def display(path: Path) -> str:
    """A path as the reader typed it: relative to the repository when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def discover(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p).resolve() for p in paths]
    return sorted((ROOT / "docs").rglob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "check"])
    parser.add_argument("paths", nargs="*", help="notebooks (default: all under docs/)")
    args = parser.parse_args(argv)
    notebooks = [p for p in discover(args.paths) if ".ipynb_checkpoints" not in p.parts]
    failures = 0
    if args.command == "check":
        for path in notebooks:
            try:
                problems = check(path)
            except NotebookError as exc:
                problems = [str(exc)]
            for problem in problems:
                print(problem, file=sys.stderr)
            failures += bool(problems)
        print(f"checked {len(notebooks)} notebooks, {failures} with problems")
        return 1 if failures else 0
    settings = Settings.load()
    total = 0.0
    for path in notebooks:
        try:
            elapsed = execute(path, settings)
        except NotebookError as exc:
            print(exc, file=sys.stderr)
            failures += 1
            continue
        total += elapsed
        flag = "  (over budget)" if elapsed > settings.budget_seconds else ""
        print(f"{elapsed:6.1f} s  {display(path)}{flag}")
    print(f"{total:6.1f} s  total for {len(notebooks) - failures} notebooks, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
