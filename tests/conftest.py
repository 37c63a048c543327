"""Shared fixtures: one strict build of the real handbook, a real HTTP server on 127.0.0.1, a real browser."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))  # the project's scripts are importable in tests
from local_server import serve  # noqa: E402

SETTINGS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["handbook"]


@dataclass(frozen=True)
class Build:
    site: Path
    output: str
    returncode: int


def mkdocs_build(config: Path, site_dir: Path, *extra: str) -> Build:
    """Run a real `mkdocs build --strict` and capture everything it prints."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir), *extra],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return Build(site_dir, proc.stdout + proc.stderr, proc.returncode)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    reuse = os.environ.get("HANDBOOK_SITE_DIR")  # developers: test an existing build instead of building
    if reuse:
        return Build(Path(reuse), "", 0)
    build = mkdocs_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site") / "site")
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output}"
    warnings = [line for line in build.output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    return build


@pytest.fixture(scope="session")
def base_url(site: Build) -> Iterator[str]:
    with serve(site.site) as url:
        yield url


@pytest.fixture(scope="module")  # not "session": a live sync Playwright keeps an event loop running in this thread
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROME_PATH", SETTINGS["browser"]["executable"])
    if not Path(executable).exists():
        pytest.fail(f"{executable} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=SETTINGS["browser"]["args"])
        yield browser
        browser.close()


def built_pages(site_dir: Path) -> list[Path]:
    """Every HTML page of the built site (not the 404 page, not assets)."""
    return sorted(
        p for p in site_dir.rglob("index.html") if "assets" not in p.relative_to(site_dir).parts
    )
