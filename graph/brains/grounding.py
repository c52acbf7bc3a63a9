"""Figures in a text and whether each one comes from a tool result.

A Claude-written deliverable may only state numbers the calculators produced (or the user gave,
which the tools echo). Numbers are read in French and English formats ("19 716", "19,716",
"5,60", "0.0583"); a token such as "1,234" counts as either reading.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?:[.,]\d+)?(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?(?![\d])"
)
_LIST_MARKER = re.compile(
    r"^\s*(?:[-*•]\s*|#+\s*)?\d{1,2}[.)]\s", re.M
)  # "1. " / "## 2) " numbering is not a figure


def readings(token: str) -> set[tuple[float, int]]:
    """Every (value, decimals) a number token can mean, English then French separators:
    '19 716' -> {(19716, 0)}; '1,234' -> {(1234, 0), (1.234, 3)}; '5,60' -> {(560, 0), (5.6, 2)}."""
    compact = re.sub(r"[ \u00a0\u202f]", "", token)
    out = set()
    for thousands, decimal in ((",", "."), (".", ",")):
        text = compact.replace(thousands, "").replace(decimal, ".")
        decimals = len(text.split(".")[1]) if "." in text else 0
        try:
            out.add((float(text), decimals))
        except ValueError:
            pass
    return out


def figures(text: str) -> list[tuple[str, set[tuple[float, int]]]]:
    """The number tokens of ``text`` (list numbering excluded), each with its possible readings."""
    text = _LIST_MARKER.sub(" ", text)
    return [(m.group(0), readings(m.group(0))) for m in _NUMBER.finditer(text)]


def source_values(sources: Iterable[Any]) -> list[float]:
    """Every number in ``sources`` (tool results: dicts, lists, numbers, strings with figures)."""
    out: list[float] = []
    for source in sources:
        if isinstance(source, bool):
            continue
        if isinstance(source, (int, float)):
            out.append(float(source))
        elif isinstance(source, dict):
            out += source_values(source.values())
        elif isinstance(source, (list, tuple)):
            out += source_values(source)
        elif isinstance(source, str):
            out += [v for _, values in figures(source) for v, _ in values]
    return out


def _matches(value: float, decimals: int, known: list[float]) -> bool:
    """True when a source value rounds to ``value`` at its precision (5,60 matches 5.6034)."""
    return any(abs(v - value) <= 0.5 * 10**-decimals + 1e-9 for v in known)


def ungrounded(text: str, sources: Iterable[Any]) -> list[str]:
    """The number tokens of ``text`` that no value of ``sources`` accounts for, in order."""
    known = source_values(sources)
    return [
        token
        for token, values in figures(text)
        if values and not any(_matches(v, d, known) for v, d in values)
    ]


def dumps(result: Any) -> str:
    """A tool result as the JSON string the model reads and the store keeps."""
    return json.dumps(result, ensure_ascii=False, default=str)
