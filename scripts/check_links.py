"""Check the handbook's links (Markdown sources, notebooks, built site; external links with --external).

Usage: python scripts/check_links.py --help
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
