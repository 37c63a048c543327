"""Every notebook really runs (real kernel, offline, CPU), its saved outputs came from its code, and bad
notebooks are reported with their path and cell number."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import notebooks
import pytest
from conftest import DOCS, ROOT
from mkdocs.config import load_config

ALL = sorted(DOCS.rglob("*.ipynb"))


def nav_files(items: list) -> set[str]:
    found: set[str] = set()
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found |= nav_files(value)
        elif isinstance(value, str):
            found.add(value)
    return found


def test_there_are_enough_notebooks_and_every_chapter_has_one() -> None:
    assert len(ALL) >= 16
    chapters = {p.parent.name for p in ALL}
    assert chapters == {p.name for p in DOCS.glob("ch0*")}


def test_every_notebook_is_in_the_nav() -> None:
    listed = nav_files(load_config(str(ROOT / "mkdocs.yml")).nav)
    missing = [str(p.relative_to(DOCS)) for p in ALL if str(p.relative_to(DOCS)) not in listed]
    assert not missing, f"notebooks missing from the nav in mkdocs.yml: {missing}"


def test_saved_outputs_come_from_the_current_code() -> None:
    problems = [problem for path in ALL for problem in notebooks.check(path)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    notebooks.execute(copy, notebooks.Settings.load())
    executed = json.loads(copy.read_text(encoding="utf-8"))
    assert notebooks.check(copy) == []
    assert executed["metadata"]["handbook"]["code_sha256"] == notebooks.code_hash(json.loads(path.read_text()))


def write(path: Path, *cells: str, kernel: str = "python3") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 测试")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def test_a_failing_cell_names_the_notebook_and_the_cell(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.ipynb", "x = 1", "raise ValueError('boom')")
    with pytest.raises(notebooks.NotebookError, match=r"bad\.ipynb: cell 2 raised:(.|\n)*boom"):
        notebooks.execute(path, notebooks.Settings.load())


def test_a_notebook_that_reads_the_network_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "net.ipynb", "import urllib.request\nurllib.request.urlopen('http://example.com')")
    with pytest.raises(notebooks.NotebookError, match="must not use the network"):
        notebooks.execute(path, notebooks.Settings.load())


def test_an_unknown_kernel_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "kernel.ipynb", "1", kernel="julia-1.9")
    with pytest.raises(notebooks.NotebookError, match=r"kernel\.ipynb: unknown kernel 'julia-1\.9'"):
        notebooks.execute(path, notebooks.Settings.load())


def test_invalid_json_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(notebooks.NotebookError, match=r"broken\.ipynb:1:\d+: invalid JSON"):
        notebooks.check(path)


def test_stale_outputs_and_missing_images_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "stale.ipynb", "print(1)")
    notebooks.execute(path, notebooks.Settings.load())
    data = json.loads(path.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = ["print(2)"]
    data["cells"][1]["outputs"].append({"output_type": "display_data", "data": {"image/png": ""}, "metadata": {}})
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = "\n".join(notebooks.check(path))
    assert "stale.ipynb: outputs are stale" in problems and "scripts/notebooks.py run" in problems
    assert "stale.ipynb: cell 1 has an empty image/png output" in problems
