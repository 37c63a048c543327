"""Unit tests of the build hooks' own logic (the full build is tested in test_build.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT
from mkdocs.exceptions import PluginError


def load_hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "overrides" / "hooks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as MkDocs does; dataclasses need it
    spec.loader.exec_module(module)
    return module


def material_worker() -> tuple[str, str]:
    import material

    worker = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))
    return worker.read_text(encoding="utf-8"), worker.name


def test_search_patch_applies_to_the_installed_material() -> None:
    hook = load_hook("search_zh")
    source, name = material_worker()
    patched = hook.patch_worker(source, name)
    for old, new in hook.PATCHES:
        assert new in patched and old not in patched
    assert hook.patch_worker(patched, name) == patched  # idempotent (mkdocs serve rebuilds)


def test_search_patch_fails_loudly_when_material_changes_the_code() -> None:
    hook = load_hook("search_zh")
    source, name = material_worker()
    changed = source.replace("o<t.length;o++", "o<t.length;o+=1")
    with pytest.raises(PluginError, match="Material's search worker changed"):
        hook.patch_worker(changed, name)


def test_glossary_parses_definition_lists_and_rejects_duplicates() -> None:
    hook = load_hook("glossary")
    text = "反向传播（backpropagation）\n:   用链式法则计算梯度的算法。它不更新参数。\n\nLLM\n:   大语言模型。\n"
    terms = hook.parse_glossary(text)
    assert terms["反向传播"].english == "backpropagation"
    assert terms["反向传播"].definition == "用链式法则计算梯度的算法。"
    assert "LLM" in terms
    with pytest.raises(PluginError, match="defined twice"):
        hook.parse_glossary(text + "\n反向传播（BP）\n:   重复。\n", "docs/reference/glossary.md")


def test_tooltips_mark_first_prose_use_only() -> None:
    hook = load_hook("glossary")
    terms = hook.parse_glossary("反向传播（backpropagation）\n:   算梯度。\n\nLLM\n:   大语言模型。\n")
    pattern = hook._pattern(terms)
    html = (
        '<h2 id="x">反向传播</h2><p>学习反向传播和反向传播。LLMs 与 LLM 不同。</p>'
        '<p><code>反向传播</code><a href="#">反向传播</a></p>'
    )
    out = hook.add_tooltips(html, terms, pattern)
    assert out.count('<abbr title="算梯度。">反向传播</abbr>') == 1
    assert '<h2 id="x">反向传播</h2>' in out and "<code>反向传播</code>" in out
    assert '<abbr title="大语言模型。">LLM</abbr> 不同' in out and "LLMs" in out


def test_front_matter_errors_name_file_and_line() -> None:
    hook = load_hook("checks")
    hook.check_front_matter("---\ntitle: ok\n---\n# x\n", "docs/a.md")
    with pytest.raises(PluginError, match=r"docs/a\.md:2: malformed front matter"):
        hook.check_front_matter("---\ntitle: [oops\n---\n# x\n", "docs/a.md")
    with pytest.raises(PluginError, match="never closed"):
        hook.check_front_matter("---\ntitle: x\n# x\n", "docs/a.md")


def test_formula_cache_is_reused_only_with_the_same_renderer(tmp_path: Path) -> None:
    hook = load_hook("math_prerender")
    cache = tmp_path / "formulas.json"
    first = hook._Typesetter(ROOT, cache)
    svg = first.render("x^2", False)
    first.close()
    saved = json.loads(cache.read_text(encoding="utf-8"))
    assert saved["formulas"] == {"inline:x^2": svg} and "<svg" in svg

    saved["formulas"]["inline:x^2"] = "<mjx-container>from the cache</mjx-container>"
    cache.write_text(json.dumps(saved), encoding="utf-8")
    second = hook._Typesetter(ROOT, cache)
    assert second.render("x^2", False) == "<mjx-container>from the cache</mjx-container>"
    assert second._mathjax is None, "MathJax should not even start when every formula is cached"
    with pytest.raises(ValueError):  # a broken formula is typeset (and fails), never taken from the cache
        second.render(r"\frac{1}{", False)
    second.close()
    assert r"inline:\frac{1}{" not in json.loads(cache.read_text(encoding="utf-8"))["formulas"]

    saved["fingerprint"] = "made by another renderer"
    cache.write_text(json.dumps(saved), encoding="utf-8")
    third = hook._Typesetter(ROOT, cache)
    assert third.render("x^2", False) == svg
    third.close()
