"""Link checker for the handbook: Markdown sources, notebooks, the built site and external URLs.

The command-line entry point is ``scripts/check_links.py``; :func:`linkcheck.cli.main` does the work.
"""

__all__ = ["__version__"]

__version__ = "1.0.0"
