"""Shared helpers of the tests/test_linkcheck_*.py modules: import path, fixture paths, CLI runners.

Not a conftest: the test modules import what they use from here.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "linkcheck"
HANDBOOK = FIXTURES / "handbook"
ENTRY_POINT = SCRIPTS / "check_links.py"

if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from linkcheck.cli import main  # noqa: E402
from linkcheck.fault_server import FaultServer  # noqa: E402


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> list[dict[str, object]]:
        data = json.loads(self.stdout)
        assert isinstance(data, list)
        return data


def run_main(args: list[str], cwd: Path) -> CliResult:
    """Run the checker in this process (fast), from ``cwd``, capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse errors
                code = int(exc.code or 0)
    finally:
        os.chdir(previous)
    return CliResult(code, out.getvalue(), err.getvalue())


def run_script(args: list[str], cwd: Path, timeout: float = 60) -> CliResult:
    """Run ``scripts/check_links.py`` as a separate process, as CI does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    completed = subprocess.run(
        [sys.executable, str(ENTRY_POINT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def copy_handbook(tmp_path: Path) -> Path:
    """A writable copy of the fixture handbook."""
    target = tmp_path / "handbook"
    shutil.copytree(HANDBOOK, target)
    return target


def problems_by_location(result: CliResult) -> set[tuple[str, str]]:
    """``{(kind, "file:line:col"), …}`` from a JSON report."""
    return {(str(p["kind"]), f"{p['file']}:{p['line']}:{p['column']}") for p in result.json()}


@pytest.fixture(scope="module")
def fault_server() -> Iterator[FaultServer]:
    """The planted-fault HTTP server on 127.0.0.1 (an ephemeral port), for one test module."""
    server = FaultServer(slow_seconds=3.0, retry_after=1).start()
    try:
        yield server
    finally:
        server.stop()
