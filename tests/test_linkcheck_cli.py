"""The command line: exit codes, output formats, --help, configuration errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

try:
    from linkcheck_support import HANDBOOK, run_main, run_script
except ImportError:  # tests/ made a package
    from tests.linkcheck_support import HANDBOOK, run_main, run_script

from linkcheck.cli import build_parser


def _clean_project(root: Path, settings: str = "") -> Path:
    (root / "docs/a").mkdir(parents=True)
    (root / "docs/index.md").write_text("# 首页\n\n[A](a/b.md#小节)\n", encoding="utf-8")
    (root / "docs/a/b.md").write_text("# B\n\n## 小节\n\n[回到首页](../index.md)\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(f"[tool.check-links]\n{settings}", encoding="utf-8")
    return root


def test_exit_0_when_clean_via_the_script(tmp_path: Path) -> None:
    result = run_script(["--docs", "docs"], _clean_project(tmp_path))
    assert result.code == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout
    assert "\x1b[" not in result.stdout + result.stderr  # no progress bar when not a terminal


def test_exit_1_when_broken_via_the_script() -> None:
    result = run_script(["--docs", "docs", "--no-site"], HANDBOOK)
    assert result.code == 1
    assert "docs/ch1/broken.md\n  3:1  error   missing-page" in result.stdout


def test_json_format_has_one_object_per_problem() -> None:
    result = run_main(["--no-site", "--format", "json"], HANDBOOK)
    report = json.loads(result.stdout)
    assert len(report) == 11
    assert {"file", "line", "column", "url", "kind", "status", "message"} <= set(report[0])
    first = next(p for p in report if p["file"] == "docs/ch1/broken.md" and p["line"] == 3)
    assert first == {
        "file": "docs/ch1/broken.md",
        "line": 3,
        "column": 1,
        "url": "missing.md",
        "kind": "missing-page",
        "severity": "error",
        "status": None,
        "message": "page 'ch1/missing.md' not found in docs",
        "source": None,
    }


def test_github_format_annotations() -> None:
    result = run_main(["--no-site", "--format", "github"], HANDBOOK)
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert all(re.match(r"^::error file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+", line) for line in lines)
    assert "::error file=docs/ch1/broken.md,line=5,col=1,title=missing-anchor::page.md#不存在的锚点: " in result.stdout


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run_main(["--no-site", "--format", "json", "--output", str(target)], HANDBOOK)
    assert result.code == 1
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 11
    assert "11 errors" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--timeout", "-1"], "--timeout: must be greater than 0"),
        (["--docs", "nowhere"], "docs directory 'nowhere' not found"),
        (["--site", "nowhere"], "site directory 'nowhere' not found"),
        (["--config", "nowhere.yml"], "--config: MkDocs configuration 'nowhere.yml' not found"),
        (["--exclude", "("], "is not a valid regular expression"),
        (["--external-fragments"], "--external-fragments needs --external"),
    ],
)
def test_exit_2_on_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_main(args, _clean_project(tmp_path))
    assert result.code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('timeout = "soon"\n', "pyproject.toml:2: [tool.check-links] timeout: expected a non-negative number"),
        ("max-per-host = 0\n", "max-per-host: must be at least 1"),
        ('cache-ttl = "forever"\n', "cache-ttl: expected a duration"),
        ('exclude = ["["]\n', "exclude[0]: '[' is not a valid regular expression"),
        ("colour = true\n", "unknown key 'colour'"),
        ('[tool.check-links.accept]\n"example.org" = [999]\n', "accept: host 'example.org': expected a list"),
        ('docs = "missing-dir"\n', "docs directory 'missing-dir' not found"),
    ],
)
def test_exit_2_on_invalid_configuration(tmp_path: Path, settings: str, message: str) -> None:
    result = run_main([], _clean_project(tmp_path, settings))
    assert result.code == 2, result.stdout
    assert message in result.stderr


def test_exit_2_when_no_docs_directory(tmp_path: Path) -> None:
    result = run_script([], tmp_path)
    assert result.code == 2
    assert "docs directory 'docs' not found" in result.stderr


def test_invalid_mkdocs_yml_names_the_line(tmp_path: Path) -> None:
    root = _clean_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: x\nnav: [\n", encoding="utf-8")
    result = run_main([], root)
    assert result.code == 2
    assert "mkdocs.yml:3:1: invalid YAML" in result.stderr


def test_configuration_in_pyproject_is_used(tmp_path: Path) -> None:
    root = _clean_project(tmp_path, 'exclude = ["missing"]\n')
    (root / "docs/index.md").write_text("# 首页\n\n[x](missing.md) [y](gone.md)\n", encoding="utf-8")
    result = run_main(["--format", "json"], root)
    assert [p["url"] for p in result.json()] == ["gone.md"]


def test_help_explains_every_option() -> None:
    parser = build_parser()
    text = parser.format_help()
    for action in parser._actions:  # the list of options argparse knows
        for option in action.option_strings:
            assert option in text
        assert action.help, action.option_strings
    for word in ("exit status", "0  no broken link", "1  at least one", "2  usage or configuration"):
        assert word in text
