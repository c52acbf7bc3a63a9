"""Tables pasted into a message, read by their header.

People paste a report as text: a header line naming the measures, then one row per channel or
version ("channel | spend | conv | CPA" then "Google | 12.4k | 310 | 40"). Each row alone reads as
bare numbers; the header says what each column measures. The corpus labels such figures by their
column (``figures.jsonl``: pasted text tables). The reader (graph.understanding.reader) keeps the
header of the lines it reads and gives each figure of a following row its column's measure and
the row's channel.
"""

from __future__ import annotations

from graph.text import fold
from graph.understanding.lexicon import lexicon, measure_index, words
from graph.understanding.slots import Slot

_SEPARATORS = ("|", "\t", ";")
_KINDS = ("money", "count", "percent", "ratio")


def _measure(cell: str) -> str | None:
    """The lexicon measure a header cell names as a whole ('conv' → conversions), or None."""
    tokens = words(cell)
    for kind in _KINDS:
        hit = measure_index(kind).prefix(tokens)
        if tokens and hit and hit[1] == len(tokens):
            return str(hit[0])
    return None


def header_of(line: str) -> tuple[str, list[str | None]] | None:
    """(separator, the measure of each column or None) of a pasted table's header line: three
    cells or more split by '|', a tab or ';', no digit, two cells or more naming a measure; None
    for any other line."""
    folded = fold(line).strip()
    if any(c.isdigit() for c in folded):
        return None
    for sep in _SEPARATORS:
        cells = [c.strip() for c in folded.strip(sep).split(sep)]
        if len(cells) >= 3:
            measures = [_measure(c) for c in cells]
            if sum(m is not None for m in measures) >= 2:
                return sep, measures
    return None


def type_row(line: str, slots: list[Slot], header: tuple[str, list[str | None]]) -> bool:
    """Give the figures of a table row (``slots``, read from ``line``, positions in the folded
    line) the measure of their column and the channel its first cell names; False, changing
    nothing, when ``line`` is no row of ``header`` (another number of cells)."""
    sep, measures = header
    folded = fold(line)
    lead = len(folded) - len(folded.lstrip())
    body = folded.strip()
    if body.startswith(sep):
        lead, body = lead + 1, body[1:]
    cells = body.rstrip(sep).split(sep)
    if len(cells) != len(measures):
        return False
    spans, at = [], lead
    for cell in cells:
        spans.append((at, at + len(cell)))
        at += len(cell) + len(sep)
    channel = next(
        (s.value for s in slots if s.type == "channel" and spans[0][0] <= s.start < spans[0][1]),
        None,
    )
    for slot in slots:
        column = next((i for i, (a, b) in enumerate(spans) if a <= slot.start < b), None)
        if column is None or not isinstance(slot.value, (int, float)) or slot.type == "channel":
            continue
        if measure := measures[column]:
            slot.type = measure
            if lexicon().measures[measure].unit == "money":
                slot.unit = "€"
        if channel and column:
            slot.channel = str(channel)
    return True
