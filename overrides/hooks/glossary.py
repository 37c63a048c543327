"""One glossary, used three ways.

``docs/reference/glossary.md`` is the single source of the handbook's terms, written as a definition list::

    反向传播（backpropagation）
    :   用链式法则高效计算损失对全部参数的梯度的算法。……

This hook parses it once per build and
1. fails the build on a duplicated term;
2. adds every Chinese term to jieba's dictionary, so the search index keeps the handbook's terms whole
   (the user dictionary of Chinese search);
3. marks the first use of each term on every other page as ``<abbr title="definition">``, which Material's
   ``content.tooltips`` shows on hover (terms of three or more characters, or with Latin letters).
   (Python-Markdown's ``abbr`` cannot do this for Chinese: it needs word
   boundaries, and Han text has none.)
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

GLOSSARY = "reference/glossary.md"
ENTRY = re.compile(r"^(?P<term>[^\s:>#*\-|!<][^\n]*?)\n:[ \t]+(?P<definition>[^\n]+)", re.M)
TERM_NAME = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<english>[^）)]*)[）)])?\s*$")
MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
SKIP_TAGS = {"a", "abbr", "code", "pre", "kbd", "script", "style", "svg", "button", "textarea", "title",
             "h1", "h2", "h3", "h4", "h5", "h6", "summary", "figcaption", "label"}
SKIP_CLASSES = re.compile(r'class="[^"]*\b(?:arithmatex|admonition-title|md-button|jp-InputArea|jp-OutputArea)\b')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")


@dataclass(frozen=True)
class Term:
    name: str
    english: str
    definition: str


def parse_glossary(text: str, source: str = GLOSSARY) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for match in ENTRY.finditer(text):
        head = TERM_NAME.match(match.group("term").strip())
        if not head:
            continue
        name = head.group("name").strip()
        if name in terms:
            line = text.count("\n", 0, match.start()) + 1
            raise PluginError(f"{source}:{line}: glossary term '{name}' is defined twice")
        definition = MD_LINK.sub(r"\1", match.group("definition")).strip()
        definition = definition.replace("**", "").replace("`", "")
        first_sentence = definition.split("。")[0] + ("。" if "。" in definition else "")
        terms[name] = Term(name, (head.group("english") or "").strip(), first_sentence)
    return terms


def tooltip_worthy(name: str) -> bool:
    """Two-character Chinese words (效率, 安全) are too common to underline everywhere."""
    return len(name) >= 3 or bool(re.search(r"[A-Za-z]", name))


def _pattern(terms: dict[str, Term]) -> re.Pattern[str] | None:
    names = [name for name in terms if tooltip_worthy(name)]
    if not names:
        return None
    parts = []
    for name in sorted(names, key=len, reverse=True):
        escaped = re.escape(name)
        if re.match(r"[A-Za-z0-9]", name):
            escaped = r"(?<![A-Za-z0-9])" + escaped
        if re.search(r"[A-Za-z0-9]$", name):
            escaped += r"(?![A-Za-z0-9])"
        parts.append(escaped)
    return re.compile("|".join(parts))


def add_tooltips(content: str, terms: dict[str, Term], pattern: re.Pattern[str]) -> str:
    """Wrap the first prose occurrence of each term in an <abbr> with its definition."""
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = []
    out: list[str] = []
    pos = 0

    def tooltip(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in seen:
            return name
        seen.add(name)
        title = html_lib.escape(terms[name].definition, quote=True)
        return f'<abbr title="{title}">{name}</abbr>'

    for tag in TAG.finditer(content):
        text = content[pos:tag.start()]
        skipping = bool(stack) and stack[-1][1]
        out.append(text if skipping or not text.strip() else pattern.sub(tooltip, text))
        out.append(tag.group(0))
        pos = tag.end()
        closing, name, attrs = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            while stack:
                if stack.pop()[0] == name:
                    break
        elif name not in VOID and not attrs.rstrip().endswith("/"):
            parent_skip = bool(stack) and stack[-1][1]
            stack.append((name, parent_skip or name in SKIP_TAGS or bool(SKIP_CLASSES.search(attrs))))
    tail = content[pos:]
    out.append(tail if (stack and stack[-1][1]) else pattern.sub(tooltip, tail))
    return "".join(out)


_state: dict[str, object] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path = Path(config.docs_dir) / GLOSSARY
    terms = parse_glossary(path.read_text(encoding="utf-8"), f"docs/{GLOSSARY}") if path.exists() else {}
    _state["terms"] = terms
    _state["pattern"] = _pattern(terms)
    import jieba

    for name in terms:
        for run in HAN_RUN.findall(name):
            jieba.add_word(run, freq=200000)
    return config


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    pattern = _state.get("pattern")
    if pattern is None or page.file.src_uri == GLOSSARY or page.file.src_uri.endswith(".ipynb"):
        return html
    return add_tooltips(html, _state["terms"], pattern)  # type: ignore[arg-type]
