"""Interface strings in the user's language: one YAML catalogue per language,
``prompts/locales/<lang>.yaml``, keyed by message id, ``{name}`` placeholders filled by :func:`t`.

YAML rather than gettext: the bot speaks two languages and its strings are keyed messages, not
source-language msgids; a YAML file ships as package data with no compile step (gettext's .mo),
and a marketer can review a language in one file. Numbers, percentages, currencies and dates are
formatted with Babel (:mod:`graph.formatting`). Deliverable labels live beside each specialist in
``prompts/specialists/<id>.yaml``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from graph.text import read_yaml

LANGUAGES = ("fr", "en")


@cache
def catalogue(lang: str) -> dict[str, str | list]:
    """The catalogue of ``lang`` ('fr' or 'en'): {message id: text}, the interface strings of
    ``prompts/locales/<lang>.yaml`` and each specialist's ``labels`` (keys '<agent id>.<key>').
    Raises FileNotFoundError for another language."""
    text = resources.files("prompts").joinpath(f"locales/{lang}.yaml").read_text(encoding="utf-8")
    out = _flat(read_yaml(text) or {})
    for spec in (
        resources.files("prompts").joinpath("specialists").iterdir()
    ):  # each deliverable's labels, under its agent id
        if spec.name.endswith(".yaml"):
            data = read_yaml(spec.read_text(encoding="utf-8"))
            out.update(_flat((data.get("labels") or {}).get(lang) or {}, f"{data['id']}."))
    return out


def _flat(tree: dict, prefix: str = "") -> dict[str, str | list]:
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value if isinstance(value, list) else str(value)
    return out


def t(lang: str, key: str, /, **values) -> str:
    """The message ``key`` in ``lang`` ('en', else French), its ``{name}`` placeholders filled from
    ``values``. Raises KeyError for an unknown key."""
    text = catalogue("en" if lang == "en" else "fr")[key]
    if not isinstance(text, str):
        raise KeyError(f"{key} is a list: read it with items()")
    return text.format(**values) if values else text


def items(lang: str, key: str) -> list:
    """The list ``key`` in ``lang`` (a checklist, a table's rows: lists of texts). Raises KeyError."""
    return list(catalogue("en" if lang == "en" else "fr")[key])
