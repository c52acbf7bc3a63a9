"""Conversions per channel the user gives under two attribution models.

"last click: google 410, meta 220, email 180; in linear google 320, meta 290, email 200" is each
channel's credit under two models. A clause's figures belong to the model it names (after a
colon, when the clause opens with a header such as "attribution last click vs linear:").
"""

from __future__ import annotations

import re

from graph.understanding.slots import Understanding

MODEL_WORDS = {
    "last_touch": r"last[- ]?(?:click|touch|non[- ]direct click)|dernier[- ]?(?:clic|click|contact)",
    "first_touch": r"first[- ]?(?:click|touch)|premier[- ]?(?:clic|click|contact)",
    "linear": r"lin(?:ea|éa)(?:r|ire)",
    "position_based": r"position[- ]based|u[- ]shaped|en u",
    "time_decay": r"time[- ]decay",
    "markov": r"data[- ]driven|markov|dda",
}
_CLAUSES = re.compile(r"[;.\n]")
# "en dernier clic google 500": the word "clic" of the model names no click count
_COUNTED = ("conversions", "count", "orders", "leads", "signups", "clicks")


def stated_models(u: Understanding) -> dict[str, dict[str, float]]:
    """{model id: {channel as named: conversions}} of every model the request gives two channels
    or more for (model ids of graph.calculators.attribution: last_touch, linear…), in the order
    written; {} when fewer than two models are given that way."""
    out: dict[str, dict[str, float]] = {}
    start = 0
    for clause in [*_CLAUSES.split(u.text), ""]:
        end = start + len(clause)
        body = clause.rsplit(":", 1)[-1]  # "attribution last click vs linear: google 410 …"
        named = [
            m for m, words in MODEL_WORDS.items() if re.search(rf"(?<![a-z])(?:{words})", body)
        ]
        figures = {
            s.channel: float(s.value)
            for s in u.slots
            if start <= s.start < end and s.channel and s.type in _COUNTED and not s.arm
        }
        if len(named) == 1 and len(figures) >= 2:
            out.setdefault(named[0], figures)
        start = end + 1
    return out if len(out) >= 2 else {}
