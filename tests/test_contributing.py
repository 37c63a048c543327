"""The checks a contributor runs (and CI runs on every pull request): each passes on the handbook and fails,
naming file, line and rule, on a planted violation. Plus the page scaffold."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, mkdocs_build
from test_bad_input import tiny_site

BIN = Path(sys.executable).parent


def run(*cmd: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_chinese_typography_is_clean_on_the_handbook() -> None:
    proc = run(sys.executable, "scripts/lint_zh.py")
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_chinese_typography_lint_catches_a_half_width_comma(tmp_path: Path) -> None:
    page = tmp_path / "bad.md"
    page.write_text("# 标题\n\n第一句话,第二句话使用Adam优化器。\n", encoding="utf-8")
    proc = run(sys.executable, "scripts/lint_zh.py", page)
    assert proc.returncode == 1
    assert re.search(r"bad\.md:3:\d+: \[autocorrect\]", proc.stdout), proc.stdout
    assert "lint_zh.py --fix" in proc.stderr


def test_markdown_lint_is_clean_on_the_handbook() -> None:
    proc = run(BIN / "pymarkdown", "scan", "docs")
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_markdown_lint_catches_a_style_violation(tmp_path: Path) -> None:
    page = tmp_path / "bad.md"
    page.write_text("# 标题\n## 紧贴上一行的标题\n\n正文。\n", encoding="utf-8")
    proc = run(BIN / "pymarkdown", "scan", page)
    assert proc.returncode == 1 and re.search(r"bad\.md:2:1: MD022", proc.stdout), proc.stdout


def test_workflows_and_issue_forms_match_their_schemas() -> None:
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} >= {"ci.yml", "deploy.yml", "links.yml"}
    assert run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows).returncode == 0
    forms = [ROOT / ".github" / "ISSUE_TEMPLATE" / f for f in ("erratum.yml", "proposal.yml")]
    assert run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", *forms).returncode == 0


def test_workflow_check_catches_an_invalid_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n", encoding="utf-8")
    proc = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", bad)
    assert proc.returncode == 1 and "bad.yml" in proc.stdout + proc.stderr


def test_deploy_workflow_publishes_to_pages() -> None:
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    uses = [s.get("uses", "") for job in deploy["jobs"].values() for s in job.get("steps", [])]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_ruff_is_clean() -> None:
    proc = run(BIN / "ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_pre_commit_hooks_use_tools_the_project_installs() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert all(repo["repo"] == "local" for repo in config["repos"])
    for hook in hooks:
        tool = hook["entry"].split()[0]
        assert tool.startswith(".venv/bin/"), f"{hook['id']} does not use the project's environment"
        assert (ROOT / tool).exists() or (BIN / Path(tool).name).exists(), f"{hook['id']}: {tool} missing"


def test_scaffold_adds_a_page_that_builds_strictly_and_is_in_the_nav(tmp_path: Path) -> None:
    chapter = "ch09-example"
    pages = {f"{chapter}/index.md": "# 第 9 章 示例\n", f"{chapter}/summary.md": "# 本章小结\n",
             "index.md": "# 首页\n"}
    config = tiny_site(tmp_path, pages, ["index.md"])
    text = config.read_text(encoding="utf-8").replace(
        "nav:\n  - index.md\n",
        f"nav:\n  - index.md\n  - 第 9 章 示例:\n      - {chapter}/index.md\n      - {chapter}/summary.md\n",
    )
    config.write_text(text, encoding="utf-8")
    proc = run(sys.executable, ROOT / "scripts" / "new_page.py", chapter, "new-topic", "9.1 新主题",
               "--root", tmp_path)
    assert proc.returncode == 0, proc.stderr
    nav = yaml.safe_load("nav:\n" + config.read_text(encoding="utf-8").split("\nnav:\n", 1)[1])["nav"]
    assert nav[1]["第 9 章 示例"] == [f"{chapter}/index.md", f"{chapter}/new-topic.md", f"{chapter}/summary.md"]
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode == 0, build.output
    assert "9.1 新主题" in (tmp_path / "site" / chapter / "new-topic" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["ch99-nothing", "x", "标题"], "unknown chapter"),
    (["ch01-background", "Bad_Slug", "标题"], "bad slug"),
    (["ch01-background", "plain", "标题", "--notebook"], "starting with 'nb-'"),
])
def test_scaffold_rejects_bad_input(args: list[str], message: str) -> None:
    proc = run(sys.executable, "scripts/new_page.py", *args)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
