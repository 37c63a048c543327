"""The few settings of mkdocs.yml the checker needs, read without executing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError
from .slugs import Slugify, default_slugify, make_slugify


@dataclass(frozen=True)
class _PythonObject:
    """A ``!!python/...`` tag, kept as data: its name and keyword arguments."""

    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    factory: bool = False


class _Loader(yaml.SafeLoader):
    """Safe loader that understands the tags MkDocs configs use, as plain values."""


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _PythonObject:
    kind, _, name = suffix.partition(":")
    kwargs: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        mapping = loader.construct_mapping(node, deep=True)
        raw_kwargs = mapping.get("kwds", {})
        kwargs = dict(raw_kwargs) if isinstance(raw_kwargs, dict) else {}
    return _PythonObject(name=name, kwargs=kwargs, factory=kind == "object/apply")


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # ``!ENV [NAME, default]`` or ``!ENV NAME``: the default (or None) is good enough here.
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    del loader, suffix, node
    return None


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_Loader.add_constructor("!ENV", _env_tag)
_Loader.add_multi_constructor("!", _unknown_tag)


@dataclass
class MkDocsSettings:
    """What the checker takes from mkdocs.yml (MkDocs defaults when there is no file)."""

    docs_dir: str = "docs"
    site_dir: str = "site"
    site_url: str = ""
    use_directory_urls: bool = True
    slugify: Slugify = field(default_factory=default_slugify)

    @property
    def base_path(self) -> str:
        """Path part of ``site_url`` ending in ``/`` (``/handbook/``), or ``/``."""
        path = urlsplit(self.site_url).path if self.site_url else "/"
        return path if path.endswith("/") else path + "/"


def _toc_slugify(extensions: Any, where: str) -> Slugify | None:
    entries = extensions if isinstance(extensions, list) else [extensions] if extensions else []
    for entry in entries:
        if not isinstance(entry, dict) or "toc" not in entry:
            continue
        options = entry["toc"] or {}
        value = options.get("slugify") if isinstance(options, dict) else None
        if value is None:
            return None
        if not isinstance(value, _PythonObject):
            raise ConfigError(f"{where}: markdown_extensions.toc.slugify must be a !!python tag, got {value!r}")
        try:
            return make_slugify(value.name, value.kwargs, factory=value.factory)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{where}: markdown_extensions.toc.slugify: {exc}") from exc
    return None


def load_mkdocs_settings(path: Path | None) -> MkDocsSettings:
    """Read mkdocs.yml; ``None`` or a missing default file gives MkDocs' defaults."""
    settings = MkDocsSettings()
    if path is None:
        return settings
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the MkDocs configuration: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if data is None:
        return settings
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the MkDocs configuration must be a mapping")
    for key in ("docs_dir", "site_dir", "site_url"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be a string, got {value!r}")
        if value:
            setattr(settings, key, value)
    use_dir = data.get("use_directory_urls")
    if use_dir is not None:
        if not isinstance(use_dir, bool):
            raise ConfigError(f"{path}: use_directory_urls must be true or false, got {use_dir!r}")
        settings.use_directory_urls = use_dir
    slugify = _toc_slugify(data.get("markdown_extensions"), str(path))
    if slugify is not None:
        settings.slugify = slugify
    return settings
