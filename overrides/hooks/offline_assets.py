"""Self-host iframe-worker for the offline edition (mkdocs-offline.yml).

Material's offline plugin makes search work from file:// with the iframe-worker polyfill, which it would
load from a CDN unless a polyfill with that name is configured. This hook copies the polyfill from the
npm package pinned in package.json (`npm ci` installs it) into the site, where extra.polyfills points.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

SOURCE = Path("node_modules/iframe-worker/shim/index.js")
TARGET = "assets/javascripts/iframe-worker/shim.js"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if TARGET not in config.extra.get("polyfills", []):
        raise PluginError(f"{config.config_file_path}: extra.polyfills must list {TARGET}")
    return config


def on_post_build(config: MkDocsConfig) -> None:
    source = Path(config.config_file_path).parent / SOURCE
    if not source.exists():
        raise PluginError(f"{SOURCE} is missing: run `npm ci` (package.json pins iframe-worker)")
    target = Path(config.site_dir) / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
