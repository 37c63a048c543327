"""Make mkdocs-jupyter's notebook pages behave like the handbook's Markdown pages.

mkdocs-jupyter 0.26.3 renders ``docs/**/*.ipynb`` but
- gives Chinese headings ``id=""`` while its table of contents points at ``#_1``, ``#_2`` (dead links, and
  every section shares one search location), and appends "¶" anchor links that end up in search titles;
- emits a MathJax 2 configuration block (which throws under instant navigation) and a Mermaid loader that
  would fetch Mermaid from a CDN;
- publishes a failing cell's traceback even in strict mode when outputs are saved;
- inlines about 0.6 MB of the same JupyterLab CSS into every notebook page (with a Python list's repr in it);
- leaves links to other pages (``[x](page.md)``) in Markdown cells as they are, so they break on the site;
- embeds every figure in the page as base64 (10-100 kB of the page's HTML that does not compress).
This hook gives headings the same Unicode ids as Markdown pages (pymdownx slugify), rebuilds the TOC from
them, removes the dead scripts, moves the CSS into one shared stylesheet that keeps only the rules notebook
pages use (purgecss from npm, run by overrides/hooks/purge_css.js after the build), resolves page links (a missing
target fails the build), fails the build on error outputs, and adds a header with the run time, what to
install and a download link (from the notebook metadata written by ``scripts/notebooks.py``). Figures become
files beside the page (``nb-name-1.png``) with their size and ``loading="lazy"``, so the text comes first.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from pymdownx.slugs import slugify

SLUGIFY = slugify(case="lower")
HEADING = re.compile(
    r'<h([1-6]) id="[^"]*">(?P<inner>.*?)(?:<a class="anchor-link" href="[^"]*">¶</a>)?</h\1>', re.S
)
DEAD_BLOCKS = [
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S),
    re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>', re.S),
    re.compile(r'<script src="">\s*</script>'),
]
TAG = re.compile(r"<[^>]+>")
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
SHARED_CSS = "assets/stylesheets/jupyter.{digest}.css"
_stylesheets: dict[str, str] = {}  # site path -> CSS, written once after the build
_stylesheet_pages: dict[str, set[str]] = {}  # site path of a stylesheet -> the pages (site paths) that link it
_head_links: dict[str, str] = {}  # notebook (src path) -> its stylesheet <link>, put into <head> by on_post_page
PURGE_CSS = Path(__file__).with_name("purge_css.js")
PYTHON_LIST_IN_CSS = re.compile(r"^\s*\['.*'\]\s*$", re.M)  # mkdocs-jupyter pastes a list repr of the Pygments CSS
REQUIREMENTS = "requirements-notebooks.txt"
SEARCH_BOOST = 0.2
PLACEHOLDER_ALT = 'alt="No description has been provided for this image"'  # what nbconvert writes
TEXT_OUTPUT = re.compile(r'(<div class="jp-RenderedText jp-OutputArea-output"[^>]*>\s*)<pre>')
DATA_IMAGE = re.compile(
    r'<img\b(?P<before>[^>]*?)\ssrc="data:image/(?P<kind>png|jpeg|gif|webp);base64,(?P<data>[^"]+)"(?P<after>[^>]*)>'
)
_figures: dict[str, bytes] = {}  # site path -> image, written after the build
PAGE_LINK = re.compile(r'href="(?P<path>[^":#?]+\.(?:md|ipynb))(?P<anchor>#[^"]*)?"')


def _notebook(page: Page) -> dict[str, Any]:
    path = Path(page.file.abs_src_path or "")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PluginError(f"{page.file.src_uri}: not a readable notebook: {exc}") from exc


def _check_outputs(notebook: dict[str, Any], src: str) -> None:
    for number, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise PluginError(
                    f"{src}: cell {number} has an error output ({output.get('ename')}); "
                    f"fix the code and run `python scripts/notebooks.py run docs/{src}`"
                )


def _figure_alts(notebook: dict[str, Any], src: str) -> list[str]:
    """Alt text of every figure, in page order: cell metadata "alt", a string (or a list, one per figure)."""
    alts: list[str] = []
    for number, cell in enumerate(notebook.get("cells", [])):
        figures = [o for o in cell.get("outputs", []) if any(k.startswith("image/") for k in o.get("data", {}))]
        if not figures:
            continue
        alt = cell.get("metadata", {}).get("alt")
        texts = [alt] if isinstance(alt, str) else alt if isinstance(alt, list) else []
        if len(texts) != len(figures) or not all(isinstance(a, str) and len(a.strip()) >= 10 for a in texts):
            raise PluginError(
                f"{src}: cell {number} draws {len(figures)} figure(s) but its metadata has no matching \"alt\" text; "
                'describe what each figure shows in the cell metadata, e.g. "alt": "折线图：横轴是…，纵轴是…"'
            )
        alts.extend(texts)
    return alts


def _describe_figures(html: str, alts: list[str], src: str) -> str:
    found = html.count(PLACEHOLDER_ALT)
    if found != len(alts):
        raise PluginError(f"{src}: {found} figures on the page but {len(alts)} alt texts in the notebook")
    for alt in alts:
        html = html.replace(PLACEHOLDER_ALT, f'alt="{html_lib.escape(alt)}"', 1)
    return html


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _extract_figures(html: str, page: Page) -> str:
    """Base64 figures → image files beside the page, with width, height and lazy loading."""
    stem = Path(page.file.src_uri).stem
    folder = posixpath.dirname(page.file.dest_uri)
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        data = base64.b64decode(match["data"])
        name = f"{stem}-{count}.{'jpg' if match['kind'] == 'jpeg' else match['kind']}"
        _figures[posixpath.join(folder, name)] = data
        size = _png_size(data)
        dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
        return f'<img{match["before"]} src="{name}"{dims} loading="lazy" decoding="async"{match["after"]}>'

    return DATA_IMAGE.sub(replace, html)


def _fix_headings(content: str) -> tuple[str, list[dict[str, Any]]]:
    used: dict[str, int] = {}
    flat: list[dict[str, Any]] = []

    def replace(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group("inner")
        text = html_lib.unescape(TAG.sub("", inner)).strip()
        base = SLUGIFY(text, "-") or "section"
        count = used.get(base, 0)
        used[base] = count + 1
        anchor = base if count == 0 else f"{base}_{count}"
        flat.append({"level": level, "id": anchor, "name": html_lib.escape(text), "children": []})
        return (
            f'<h{level} id="{anchor}">{inner}'
            f'<a class="headerlink" href="#{anchor}" title="本节链接">¶</a></h{level}>'
        )

    return HEADING.sub(replace, content), flat


def _nest(flat: list[dict[str, Any]], max_level: int) -> list[dict[str, Any]]:
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for token in (t for t in flat if t["level"] <= max_level):
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots


def _header(notebook: dict[str, Any], page: Page) -> str:
    meta = notebook.get("metadata", {}).get("handbook", {})
    runtime = meta.get("runtime_seconds")
    name = Path(page.file.src_uri).name
    when = f"在 2 核 CPU 上约 {max(1, int(runtime))} 秒跑完" if runtime is not None else "可在普通笔记本 CPU 上运行"
    return (
        '<div class="admonition info handbook-notebook-header">'
        '<p class="admonition-title">关于本实验</p>'
        f"<p>本页由可运行的 Jupyter notebook 生成，页面上的输出都来自这里的代码：{when}，"
        "全程离线、只用 CPU。在本地运行需要先安装依赖："
        f"<code>pip install -r {REQUIREMENTS}</code>，然后用 Jupyter 打开下载的文件。</p>"
        f'<p><a class="md-button" href="{name}" download>下载 notebook（{name}）</a></p>'
        "</div>"
    )


def _share_styles(html: str, page: Page) -> str:
    """Move the ~0.6 MB of JupyterLab CSS inlined in every notebook page into one cached stylesheet."""
    css = PYTHON_LIST_IN_CSS.sub("", "\n".join(STYLE.findall(html)))
    if not css.strip():
        return html
    path = SHARED_CSS.format(digest=hashlib.sha256(css.encode()).hexdigest()[:12])
    _stylesheets[path] = css
    _stylesheet_pages.setdefault(path, set()).add(page.file.dest_uri)
    _head_links[page.file.src_uri] = f'<link rel="stylesheet" href="{get_relative_url(path, page.url)}">'
    return STYLE.sub("", html)


def _purge(stylesheet: Path, pages: list[Path]) -> str:
    node = shutil.which("node")
    if node is None:
        raise PluginError("notebooks: Node.js is needed to trim the notebook stylesheet (install nodejs)")
    proc = subprocess.run([node, str(PURGE_CSS), str(stylesheet), *map(str, pages)], capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    if proc.returncode or not proc.stdout.strip():
        raise PluginError(f"notebooks: trimming {stylesheet.name} failed (run `npm ci`?): {proc.stderr.strip()}")
    return proc.stdout


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for path, data in _figures.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    for path, css in _stylesheets.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
        pages = sorted(site / page for page in _stylesheet_pages.get(path, ()) if (site / page).exists())
        if pages:
            target.write_text(_purge(target, pages), encoding="utf-8")


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The stylesheet goes into <head> (mkdocs-jupyter inlines it in the page body): a stylesheet that arrives in
    the body restyles everything parsed before it, on a phone a long task right after the first paint. Material's
    instant navigation adds and removes <head> stylesheets as pages change."""
    link = _head_links.get(page.file.src_uri)
    if link is None:
        return output
    if "</head>" not in output:
        raise PluginError(f"notebooks: {page.file.src_uri} has no </head> to put its stylesheet in")
    return output.replace("</head>", link + "</head>", 1)


def _rewrite_page_links(html: str, page: Page, files: Files) -> str:
    """Resolve links to other pages in Markdown cells the way MkDocs does for Markdown pages."""

    def replace(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), match["path"]))
        file = files.get_file_from_path(target)
        if file is None or not file.is_documentation_page():
            raise PluginError(f"{page.file.src_uri}: a Markdown cell links to '{match['path']}', which does not exist")
        return f'href="{get_relative_url(file.url, page.url)}{match["anchor"] or ""}"'

    return PAGE_LINK.sub(replace, html)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    notebook = _notebook(page)
    _check_outputs(notebook, page.file.src_uri)
    # A topic page explains a term; its notebook only demonstrates it: rank the explanation first in search.
    page.meta.setdefault("search", {"boost": SEARCH_BOOST})
    for block in DEAD_BLOCKS:
        html = block.sub("", html)
    html = _share_styles(html, page)
    html = _describe_figures(html, _figure_alts(notebook, page.file.src_uri), page.file.src_uri)
    html = _extract_figures(html, page)
    # Text outputs (numbers, logs) are shown, not searched: the index stays small and results stay relevant.
    # The attribute goes on the <pre>: Material's parser only honours it on an element without same-tag children.
    html = TEXT_OUTPUT.sub(r"\1<pre data-search-exclude>", html)
    html = _rewrite_page_links(html, page, files)
    html, flat = _fix_headings(html)
    if not flat or flat[0]["level"] != 1:
        raise PluginError(f"{page.file.src_uri}: the first cell must start with a '# ' heading (the page title)")
    depth = int(config.plugins["mkdocs-jupyter"].config["toc_depth"])
    page.toc = get_toc(_nest(flat, depth))  # type: ignore[arg-type]
    first_h1_end = html.find("</h1>") + len("</h1>")
    return html[:first_h1_end] + _header(notebook, page) + html[first_h1_end:]
