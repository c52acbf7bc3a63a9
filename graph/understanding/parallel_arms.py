"""A/B arms told apart by their order: "subject with emoji 18,000 sends 4,140 opens, without emoji
18,000 sends 3,960 opens. significant?".

People often name the two versions of a test by what they are (with or without an emoji, the old
and the new page) and give each the same figures in the same order. When no arm marker was read
and the message is about a test, two runs of the same measures one after the other are the two
arms: the first run is A (the control), the second B.
"""

from __future__ import annotations

import re

from graph.understanding.dates import PAST_PERIOD_WORDS
from graph.understanding.numbers import Quantity

_TEST = re.compile(
    r"(?<![a-z])(test\w*|significa\w*|a/?b|split|variant\w*|versions?|vs|versus|winner|gagnant)(?![a-z])"
)


_SEEN = (
    "visitors",
    "impressions",
    "pageviews",
)  # who saw each version: "18,000 views, 540 signups"


def parallel_arms(folded: str, qs: list[Quantity]) -> None:
    """Give arms A and B, in place, to two runs of the same counts starting with who saw each
    version ("18,000 sends 4,140 opens, … 18,000 sends 3,960 opens", "18,000 views, 540
    signups") in a message about a test and no past period, when no quantity has an arm yet;
    ``qs`` unchanged otherwise."""
    if any(q.arm for q in qs) or not _TEST.search(folded) or PAST_PERIOD_WORDS.search(folded):
        return  # "… vs semaine dernière : …": two periods of a report, no test
    named = [q for q in qs if q.measure and q.unit == ""]  # counts: "2x more closes" is none
    half = len(named) // 2
    measures = [q.measure for q in named]
    if half < 2 or len(named) % 2 or measures[:half] != measures[half:]:
        return
    if measures[0] not in _SEEN:
        return
    for i, q in enumerate(named):
        q.arm = "A" if i < half else "B"
