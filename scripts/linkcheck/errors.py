"""Errors that stop the run with exit status 2."""


class UsageError(Exception):
    """A bad command-line option or a missing input directory."""


class ConfigError(UsageError):
    """An invalid setting in pyproject.toml or mkdocs.yml; the message names the file and key."""
