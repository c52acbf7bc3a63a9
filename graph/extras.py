"""Optional parts of the install: PostgreSQL and the Claude brain come with pip extras, so the
default install is what the offline chat and a single-workspace Slack app need."""

from __future__ import annotations

from importlib.util import find_spec

EXTRAS = {
    "postgres": ("psycopg", "psycopg_pool", "langgraph.checkpoint.postgres"),
    "claude": ("langchain_anthropic",),
}
"""The modules each extra of pyproject.toml brings."""


class MissingExtra(RuntimeError):
    """A setting asks for a part of the bot whose extra is not installed."""


def require_extra(extra: str, why: str) -> None:
    """Raise MissingExtra, saying ``why`` it is needed (the setting that asks for it) and the pip
    command that installs it, when a module of ``extra`` (a key of EXTRAS) is missing."""
    for module in EXTRAS[extra]:
        try:
            found = find_spec(module) is not None
        except ModuleNotFoundError:  # its parent package is missing
            found = False
        if not found:
            raise MissingExtra(
                f"{why} needs the '{extra}' extra: pip install 'marketing-bot[{extra}]'"
            )
