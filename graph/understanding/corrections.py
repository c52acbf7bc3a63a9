"""A figure corrected in a thread, written into the request it corrects.

"oops, carts were 3,600 not 3,100" after a funnel, "pardon, 21 jours pas 14" after a sequence,
"typo: SEO content confidence is 9 not 7" after an ICE backlog: the request's own text is
rewritten with the right figure, so that every reading of it (the lexicon's slots, and the
structures read from the text itself: funnel steps, ICE triples, a sequence's length) sees one
request with the right figure, instead of the request and a correction line beside it.
"""

from __future__ import annotations

import re

from graph.text import fold, stem
from graph.understanding.lexicon import words
from graph.understanding.numbers import fold_map, scan
from graph.understanding.reader import read

# A clause of the request: between commas, semicolons, sentence ends and lines; a parenthesis
# stays with the words before it ("SEO content (6, 7, 5)": the 7 is SEO content's)
_CLAUSE_END = re.compile(r",\s|;|\.\s|\n|:\s")
_PARENS = re.compile(r"\([^()]*\)")
# the digits of a figure as written ("4 200", "3,5", "20k", "1.9M"), without its unit
_DIGITS = re.compile(r"\d(?:[\d.,]|\s(?=\d{3}\b))*(?:\s?[km](?![a-z]))?", re.I)


def corrected(message: str, request: str) -> str | None:
    """``request`` (the thread's request, as the user wrote it) with the figure ``message``
    corrects replaced by the right one, its digits only (the request keeps its unit and words):
    the figure the message names as wrong ("not 3,100", "pas 14", "au lieu de 5"), or else the
    only figure of the same unit whose clause shares a word with the message ("my bad, orders
    were 960" → "900 orders"). None when the message gives no single right figure or no single
    figure of the request is the one it corrects, or the message names a channel that clause does
    not (it changes more than a figure): the reader then merges the two messages."""
    slots, correction, olds = read(message)
    said = fold(message)
    new = [q for q in scan(said) if not any(abs(q.value - o) < 1e-9 for o in olds)]
    if not correction or len(new) != 1 or len(olds) > 1:
        return None
    folded, where = fold_map(request)
    figures = [q for q in scan(folded) if abs(q.value - new[0].value) > 1e-9]
    if olds:
        candidates = [q for q in figures if abs(q.value - olds[0]) < 1e-9]
    else:
        candidates = [q for q in figures if q.unit == new[0].unit]
    cues = {stem(w) for w in words(said) if not w[0].isdigit()}
    scores = [len(cues & _clause_stems(folded, q.start)) for q in candidates]
    best = [q for q, s in zip(candidates, scores) if s == max(scores, default=0)]
    if len(best) != 1 or (not olds and max(scores) == 0):
        return None
    named = _clause_stems(folded, best[0].start)
    if any(stem(s.unit) not in named for s in slots if s.type == "channel"):
        return None  # "plutôt 3 emails et un SMS à la fin": more than a figure changes
    right = _DIGITS.search(said[new[0].start : new[0].end])
    start, end = where[best[0].start], where[best[0].end]
    wrong = _DIGITS.search(request, start, end)
    if right is None or wrong is None:
        return None
    return request[: wrong.start()] + right.group().strip() + request[wrong.end() :]


def _clause_stems(folded: str, at: int) -> set[str]:
    """The stems of the clause of ``folded`` around position ``at``."""
    flat = _PARENS.sub(lambda m: m.group().replace(",", " ").replace(":", " "), folded)
    starts = [m.end() for m in _CLAUSE_END.finditer(flat, 0, at)]
    end = _CLAUSE_END.search(flat, at)
    clause = folded[starts[-1] if starts else 0 : end.start() if end else len(folded)]
    return {stem(w) for w in words(clause) if not w[0].isdigit()}
