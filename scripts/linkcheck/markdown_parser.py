"""A markdown-it parser configured like the site's Python-Markdown, which records source positions.

markdown-it gives block tokens a line map but inline tokens no columns. The parser here wraps the inline
rules so that every link, image and raw HTML tag remembers where it starts in its inline block
(``token.meta["start"]``), and each inline block remembers which of its characters some rule consumed
(code spans, math, escapes, links …): what is left is plain text, where an undefined reference such as
``[text][missing]`` can be looked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

InlineRule = Callable[[StateInline, bool], bool]

CONSUMED = "consumed"  # inline token meta: list of (start, end) offsets taken by rules other than text
START = "start"  # link_open / image / html_inline meta: offset in the inline block's content
END = "end"

# Inline rules whose matches are not plain text (emphasis and text runs are left out on purpose).
# Only these are wrapped; the links, images and raw HTML among them also get their offsets recorded.
_MASKING_RULES = {
    "escape",
    "backticks",
    "link",
    "image",
    "autolink",
    "html_inline",
    "entity",
    "math_inline",
    "math_inline_double",
    "footnote_ref",
    "footnote_inline",
}
_CURRENT = "_linkcheck_current"
_POSITIONED = frozenset({"link_open", "image", "html_inline"})

# Python-Markdown block extensions whose body is indented by four spaces: admonition, details, tabbed.
_CONTAINER_MARKERS = ("???+", "===+", "!!!", "???", "===")


def _wrap_inline_rule(rule: InlineRule) -> InlineRule:
    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        first_new = len(state.tokens)
        matched = rule(state, silent)
        if not matched or silent:
            return matched
        for token in state.tokens[first_new:]:
            # A flushed run of pending text may come first; the rule's own token follows it.
            if token.type in _POSITIONED and START not in token.meta:
                token.meta[START] = start
                token.meta[END] = state.pos
                break
        current = state.env.get(_CURRENT)
        if current is not None and current[0] is state.src:
            current[1].append((start, state.pos))
        return matched

    return wrapped


def _inline_core(state: StateCore) -> None:
    """Replacement of the core ``inline`` rule that also collects consumed ranges per inline token."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        consumed: list[tuple[int, int]] = []
        state.env[_CURRENT] = (token.content, consumed)
        children = token.children if token.children is not None else []
        state.md.inline.parse(token.content, state.md, state.env, children)
        token.children = children
        token.meta[CONSUMED] = consumed
    state.env.pop(_CURRENT, None)


def _container_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """``!!! note``, ``??? note``, ``=== "Tab"``: the indented body is Markdown, not a code block."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    line_end = state.eMarks[start_line]
    text = state.src[pos:line_end]
    marker = next((m for m in _CONTAINER_MARKERS if text.startswith(m)), None)
    if marker is None:
        return False
    params = text[len(marker) :]
    if not params.startswith(" ") or not params.strip():
        return False
    if marker.startswith("=") and not params.strip().startswith('"'):
        return False
    if silent:
        return True

    body_indent = state.sCount[start_line] + 4
    next_line = start_line + 1
    while next_line < end_line:
        is_blank = state.bMarks[next_line] + state.tShift[next_line] >= state.eMarks[next_line]
        if not is_blank and state.sCount[next_line] < body_indent:
            break
        next_line += 1

    old_parent, old_line_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "container"  # type: ignore[assignment]
    state.lineMax = next_line
    state.blkIndent = body_indent
    token = state.push("container_open", "div", 1)
    token.markup = marker
    token.info = params.strip()
    token.map = [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    state.push("container_close", "div", -1).markup = marker
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_line_max, old_indent
    state.line = next_line
    return True


def _identity(url: str) -> str:
    return url


def _accept_all(url: str) -> bool:
    del url
    return True


def build_parser() -> MarkdownIt:
    """The parser: CommonMark + tables, footnotes, definition lists, ``$`` math, front matter, containers."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    # Keep destinations as written (no percent-encoding), and let every scheme through.
    md.normalizeLink = _identity  # type: ignore[method-assign]
    md.validateLink = _accept_all  # type: ignore[method-assign]
    front_matter_plugin(md)
    footnote_plugin(md)
    deflist_plugin(md)
    dollarmath_plugin(md, allow_space=True, allow_digits=True, double_inline=True)
    md.block.ruler.before("fence", "linkcheck_container", _container_rule)
    for name in md.inline.ruler.get_all_rules():
        if name in _MASKING_RULES:
            rule: Any = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)].fn
            md.inline.ruler.at(name, _wrap_inline_rule(rule))
    md.core.ruler.at("inline", _inline_core)
    return md
