"""Command line: options, defaults from mkdocs.yml and pyproject.toml, exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ConfigError, UsageError
from .mkdocs_config import load_mkdocs_settings
from .models import Problem
from .progress import progress_wanted
from .report import RunStats, format_github, format_json, format_text
from .runner import RunOptions, run
from .settings import Settings, finalize, load_settings, parse_duration

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Check the handbook's links: Markdown pages and notebooks under the docs folder, and every href/src of
the built site. Internal links (pages, files, images, anchors, the site root, reference definitions)
are always checked, offline. External http(s) links are checked only with --external.

Defaults come from [tool.check-links] in pyproject.toml, then from mkdocs.yml (docs_dir, site_dir,
site_url, toc slugify). Both the docs folder and the site folder are checked when they exist.
"""

EPILOG = """\
exit status:
  0  no broken link (warnings such as permanent redirects do not count)
  1  at least one broken link or unreadable input
  2  usage or configuration error (bad option, invalid [tool.check-links] value, missing docs folder)

examples:
  python scripts/check_links.py                       # offline: docs/ and site/ (if built)
  python scripts/check_links.py --docs docs --site site --format json
  python scripts/check_links.py --docs docs --external --format github
"""


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text!r}")
    return value


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="check_links.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument("--docs", metavar="DIR", help="Markdown/notebook sources (default: docs_dir of mkdocs.yml)")
    inputs.add_argument("--site", metavar="DIR", help="built site to check (default: site_dir, if it exists)")
    inputs.add_argument("--no-docs", action="store_true", help="do not check the sources, only the site")
    inputs.add_argument("--no-site", action="store_true", help="do not check the built site")
    inputs.add_argument("--config", metavar="FILE", help="MkDocs configuration (default: mkdocs.yml)")
    inputs.add_argument(
        "--pyproject", metavar="FILE", help="where [tool.check-links] is read (default: ./pyproject.toml)"
    )

    ext = parser.add_argument_group("external links")
    ext.add_argument("--external", action="store_true", help="also check external http(s) links (network)")
    ext.add_argument(
        "--external-fragments",
        action="store_true",
        default=None,
        help="with --external: download HTML pages and check that #fragments exist in them",
    )
    ext.add_argument("--timeout", type=_positive_float, metavar="S", help="read timeout per request (default 10)")
    ext.add_argument("--connect-timeout", type=_positive_float, metavar="S", help="connect timeout (default 5)")
    ext.add_argument("--max-concurrency", type=_positive_int, metavar="N", help="requests in flight (default 64)")
    ext.add_argument("--max-per-host", type=_positive_int, metavar="N", help="requests per host (default 6)")
    ext.add_argument(
        "--retries",
        type=_non_negative_int,
        metavar="N",
        help="retries on 5xx/429/connection errors (default 3)",
    )
    ext.add_argument("--cache-file", metavar="FILE", help="result cache (default .cache/linkcheck/external.json)")
    ext.add_argument(
        "--cache-ttl",
        type=_duration,
        metavar="DURATION",
        help='how long good results are reused: 3600, "12h", "1d"',
    )
    ext.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")

    common = parser.add_argument_group("filtering and output")
    common.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="skip URLs matching REGEX (repeatable)",
    )
    common.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="report format (default text)"
    )
    common.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    bar = common.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show progress")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show progress")
    return parser


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _apply_cli(settings: Settings, args: argparse.Namespace) -> None:
    for name in ("timeout", "connect_timeout", "max_concurrency", "max_per_host", "retries", "cache_ttl"):
        value = getattr(args, name)
        if value is not None:
            setattr(settings, name, value)
    settings.exclude = [*settings.exclude, *args.exclude]
    if args.external_fragments:
        settings.external_fragments = True


def _options(args: argparse.Namespace) -> RunOptions:
    pyproject = Path(args.pyproject) if args.pyproject else Path("pyproject.toml")
    if args.pyproject and not pyproject.is_file():
        raise UsageError(f"--pyproject: file '{args.pyproject}' not found")
    settings = load_settings(pyproject)
    _apply_cli(settings, args)
    finalize(settings, "--exclude" if args.exclude else str(pyproject))
    base = pyproject.parent if pyproject.is_file() else Path()

    config_name = args.config or settings.mkdocs_config
    config_path = Path(config_name) if args.config else base / config_name
    if not config_path.is_file():
        if args.config:
            raise UsageError(f"--config: MkDocs configuration '{args.config}' not found")
        config_path = None
    mkdocs = load_mkdocs_settings(config_path)
    config_dir = config_path.parent if config_path is not None else base

    docs_explicit = args.docs or settings.docs
    docs: Path | None = None
    if not args.no_docs:
        docs = (
            Path(args.docs) if args.docs else (base / settings.docs if settings.docs else config_dir / mkdocs.docs_dir)
        )
        if not docs.is_dir():
            if docs_explicit:
                raise UsageError(f"docs directory '{docs_explicit}' not found")
            docs = None
    site: Path | None = None
    if not args.no_site:
        site = (
            Path(args.site) if args.site else (base / settings.site if settings.site else config_dir / mkdocs.site_dir)
        )
        if not site.is_dir():
            if args.site:
                raise UsageError(f"site directory '{args.site}' not found")
            site = None
    if docs is None and site is None:
        wanted = args.docs or settings.docs or mkdocs.docs_dir
        raise UsageError(f"docs directory '{wanted}' not found and no built site to check")

    cache_path = Path(args.cache_file) if args.cache_file else base / settings.cache_file
    return RunOptions(
        mkdocs=mkdocs,
        settings=settings,
        docs=docs,
        docs_display=_display(docs) if docs else "",
        site=site,
        site_display=_display(site) if site else "",
        external=args.external,
        external_fragments=bool(settings.external_fragments),
        use_cache=not args.no_cache,
        cache_path=cache_path,
        progress=progress_wanted(args.progress),
    )


def render(problems: list[Problem], stats: RunStats, fmt: str) -> str:
    if fmt == "json":
        return format_json(problems)
    if fmt == "github":
        return format_github(problems)
    return format_text(problems, stats)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.external_fragments and not args.external:
        parser.error("--external-fragments needs --external")
    try:
        options = _options(args)
    except ConfigError as exc:
        print(f"check_links.py: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"check_links.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problems, stats = run(options)
    output = render(problems, stats, args.format)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
        if args.format != "text":
            sys.stdout.write(format_text(problems, stats).splitlines()[-1] + "\n")
    else:
        sys.stdout.write(output)
    return EXIT_BROKEN if any(not p.is_warning for p in problems) else EXIT_OK
