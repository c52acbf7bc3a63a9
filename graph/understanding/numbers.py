"""Numbers in French and English text, with their unit and where they were written.

"18 200 €", "18,200", "1,840", "51.5k", "$18k", "80 k€", "1,2 M€", "4,2", "+0,5 point", "3.5x",
"6 semaines", "2h", "2,000-employee" are all read; French decimals use a comma, English ones a
dot, thousands take a space, a narrow space, a comma or a dot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.text import fold


def fold_map(text: str) -> tuple[str, list[int]]:
    """(folded text, index in ``text`` of each folded character), so that a span found in the
    folded text can quote the user's own words."""
    out, where = [], []
    for i, ch in enumerate(text):
        for c in fold(ch):
            out.append(c)
            where.append(i)
    where.append(len(text))
    return "".join(out), where


_NUMBER = re.compile(
    r"(?P<cur>[$€£])?[ \t]?(?P<sign>[+\-−±~≈](?![ \t]))?(?P<cur2>[$€£])?[ \t]?"
    r"(?P<num>(?<![a-z])[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d.,]\d)"
    r"|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"
    r"|[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,]\d)"
    r"|\d+(?:[.,]\d+)?"
    r"|[.,]\d+)"
)
_AFTER = re.compile(
    r"[ \t]?-?(?P<mult>k(?![a-z])|mille\b|m(?![a-z€$])|mn\b|mio\b|millions?\b|mln\b|m(?=€|\$))?"
    r"[ \t]?(?P<unit>%|€|\$|£|eur(?:os?)?\b|usd\b|dollars?\b|bucks\b|gbp\b|pour ?cent\b|percent\b|pct\b|"
    r"percentage[ \t-]points?\b|points?[ \t]de[ \t]pourcentage\b|pts?\b|points?\b|pp\b|ppt\b|"
    r"x(?![a-z])|fois\b|times\b|jours?\b|jrs?\b|j(?!['a-z])|days?\b|d(?!['a-z])|semaines?\b|sem\b|weeks?\b|wks?\b|w(?![a-z])|"
    r"mois\b|months?\b|mo\b|h(?![a-z])|heures?\b|hours?\b|hrs?\b|minutes?\b|mins?\b)?"
)
_CURRENCY = {
    "€": "€",
    "eur": "€",
    "euro": "€",
    "euros": "€",
    "$": "$",
    "usd": "$",
    "dollar": "$",
    "dollars": "$",
    "bucks": "$",
    "£": "£",
    "gbp": "£",
}
DAYS = {  # a time unit as written -> its length in days
    "jour": 1,
    "jours": 1,
    "jr": 1,
    "jrs": 1,
    "j": 1,
    "day": 1,
    "days": 1,
    "d": 1,
    "semaine": 7,
    "semaines": 7,
    "sem": 7,
    "week": 7,
    "weeks": 7,
    "wk": 7,
    "wks": 7,
    "w": 7,
    "mois": 30,
    "month": 30,
    "months": 30,
    "mo": 30,
    "h": 1 / 24,
    "heure": 1 / 24,
    "heures": 1 / 24,
    "hour": 1 / 24,
    "hours": 1 / 24,
    "hr": 1 / 24,
    "hrs": 1 / 24,
    "minute": 1 / 1440,
    "minutes": 1 / 1440,
    "min": 1 / 1440,
    "mins": 1 / 1440,
}
_MULT = {
    "k": 1e3,
    "mille": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "mln": 1e6,
}


# a period counted back from this one: M-1 (month), N-1 / A-1 / Y-1 (year), S-1 / W-1 (week),
# T-1 / Q-1 (quarter); J-, D- and H- are delays before an event (graph.understanding.dates)
_PERIOD_BACK = re.compile(r"(?<![a-z0-9])[nmaswytq]-$")


@dataclass
class Quantity:
    """A number of a message. ``value`` has any k/M multiplier applied (durations are in days);
    ``unit``: '' (a count), '%', 'pt' (percentage points), '€' (money in any currency, the
    symbol in ``currency``), 'x' (a ratio or a number of times) or 'days'. ``start``/``end``
    index the folded text. The understanding layer fills ``measure``, ``arm`` and ``channel``."""

    value: float
    unit: str
    start: int
    end: int
    currency: str = ""
    signed: bool = False
    raw: str = ""
    measure: str | None = None
    arm: str | None = None
    channel: str | None = None
    negated: bool = False
    strength: int = 0
    paired: bool = False


def parse_number(raw: str) -> float:
    """'12 000' -> 12000, '12,000' -> 12000, '12.000' -> 12000, '1,2' -> 1.2, '3.5' -> 3.5.
    Raises ValueError when ``raw`` is not a number."""
    raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    return float(raw.replace(",", "."))


def scan(folded: str, masked: Sequence[tuple[int, int]] = ()) -> list[Quantity]:
    """Every number of ``folded`` text outside the ``masked`` spans (dates, delays, arm names),
    with its unit, multiplier and currency. A number glued to letters ("q4", "b2b") is skipped."""
    found = []
    # a masked label's digits are blanked first: "month 1 100%" is month 1, then 100 %
    blank = list(folded)
    for a, b in masked:
        blank[a:b] = [" " if c.isdigit() else c for c in folded[a:b]]
    for m in _NUMBER.finditer("".join(blank)):
        start = next(m.start(g) for g in ("cur", "sign", "cur2", "num") if m.group(g) is not None)
        if any(a <= m.start("num") < b for a, b in masked):
            continue
        if m.start("num") > 0 and (
            folded[m.start("num") - 1].isalpha() or folded[m.start("num") - 1] in "_"
        ):
            continue
        if _PERIOD_BACK.search(folded, 0, m.start("num")):
            continue  # "+8 % vs M-1", "CA N-1": the previous month or year, not a figure
        unit_m = _AFTER.match(folded, m.end())
        assert unit_m is not None  # every part of _AFTER is optional: it always matches
        mult, unit_raw = unit_m.group("mult"), (unit_m.group("unit") or "").strip()
        end = unit_m.end() if (mult or unit_raw) else m.end()
        if (
            end < len(folded)
            and folded[end - 1 : end].isalnum()
            and folded[end : end + 1].isalnum()
        ):
            continue  # "3eme", "4g": not a quantity
        try:
            value = parse_number(m.group("num"))
        except ValueError:
            continue
        value *= _MULT.get(mult or "", 1)
        currency = _CURRENCY.get(m.group("cur") or m.group("cur2") or "", "")
        unit = ""
        if unit_raw in _CURRENCY:
            currency = _CURRENCY[unit_raw]
        elif unit_raw in ("%", "pourcent", "pour cent", "percent", "pct"):
            unit = "%"
            if currency:  # "19€ 4 %": the € is the price's before it, a percentage is no money
                currency, start = "", m.start("sign") if m.group("sign") else m.start("num")
        elif unit_raw in ("pt", "pts", "point", "points", "pp", "ppt") or "point" in unit_raw:
            unit = "pt"
        elif unit_raw in ("x", "fois", "times"):
            unit = "x"
        elif unit_raw in DAYS:
            unit, value = "days", value * DAYS[unit_raw]
        if currency:
            unit = "€"
        sign = m.group("sign") or ""
        if sign and m.start("sign") > 0 and folded[m.start("sign") - 1].isalnum():
            sign, start = "", m.start("num")  # "10-24 mars": a range, not a negative number
        if sign in ("-", "−"):
            value = -value
        found.append(
            Quantity(value, unit, start, end, currency, sign in ("+", "-", "−"), folded[start:end])
        )
    spelled = [q for q in spelled_durations(folded) if not any(a <= q.start < b for a, b in masked)]
    return sorted(_ranges(folded, found) + spelled, key=lambda q: q.start)


_SPELLED = {"un": 1, "une": 1, "one": 1, "a": 1, "deux": 2, "two": 2, "trois": 3, "three": 3}
_SPELLED.update({"quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6})
# "3 mails sur une semaine", "over two weeks", "pendant un mois": a span of time in words, after
# a word that makes it a duration ("2 emails a week" is a cadence, not a week)
_SPELLED_DURATION = re.compile(
    r"(?<![a-z])(?:sur|over|within|pendant|durant|across|for)\s+(?:the\s+|l')?(?:(?:next|first|"
    r"prochaine?s?|premiere?s?)\s+)?(?P<n>"
    + "|".join(_SPELLED)
    + r")\s+(?:(?:full|whole|entiere?s?)\s+)?(?P<unit>semaines?|weeks?|jours?|days?|mois|months?)(?![a-z])"
)


def spelled_durations(folded: str) -> list[Quantity]:
    """Durations written in words after a word that makes them one ("sur une semaine", "over two
    weeks", "pendant un mois"), in days: 7, 14, 30."""
    return [
        Quantity(
            _SPELLED[m["n"]] * DAYS[m["unit"]],
            "days",
            m.start("n"),
            m.end("unit"),
            raw=folded[m.start("n") : m.end("unit")],
        )
        for m in _SPELLED_DURATION.finditer(folded)
    ]


_RANGE_JOIN = re.compile(r"[ \t]?[-–—][ \t]?|[ \t]+(?:to|a)[ \t]+")
_BETWEEN = re.compile(r"(?:entre|between)[ \t]+$")
_FROM = re.compile(r"(?<![a-z])(?:de|du|d'|from|entre|between|passe|went|gone)[ \t]*$")


def joined(folded: str, start: int, end: int, other: int) -> bool:
    """Whether the number at ``start``:``end`` of ``folded`` and the one starting at ``other``
    are the two ends of a range ("18-25 %", "2 to 3 weeks", "entre 8 et 12k")."""
    join = folded[end:other]
    return bool(
        _RANGE_JOIN.fullmatch(join)
        or (join.strip() in ("et", "and") and _BETWEEN.search(folded, 0, start))
    )


def _ranges(folded: str, found: list[Quantity]) -> list[Quantity]:
    """``found`` with the first end of each range given the unit, currency and multiplier written
    once after the second ("18-25%", "entre 8 et 12k€", "2 to 3 weeks"): 18 %, 8 000 €, 14 days.
    A multiplier applies only when the first end stays below the second and within a factor of 10
    of it ("de 500 à 2k" keeps 500); a unit alone, within a factor of 20 of the second end."""
    for first, second in zip(found, found[1:]):
        if first.unit or first.currency or not joined(folded, first.start, first.end, second.start):
            continue
        written = _NUMBER.search(second.raw)
        try:
            factor = abs(second.value) / parse_number(written.group("num")) if written else 1.0
        except (ValueError, ZeroDivisionError):
            continue
        value, other = first.value * factor, abs(second.value)
        if (factor == 1 and not (second.unit and other / 20 <= value <= other * 20)) or (
            factor != 1 and not other / 10 <= value <= other
        ):
            continue  # "3 000 - 4,2 %": a count then a rate, not a range
        worded = re.search(r"[a-z]", folded[first.end : second.start])  # "à", "to": no dash
        if (
            worded
            and second.currency
            and value > other
            and not _FROM.search(folded, 0, first.start)
        ):
            continue  # "161 à 35 €": 161 at €35, not down from €161 ("de 45 à 38 €" is)
        first.value, first.unit, first.currency = value, second.unit, second.currency
    return found


_TRIPLE = re.compile(r"(?<![\d.,])(?:10|\d),(?:10|\d),(?:10|\d)(?![\d.,])")


def split_triples(text: str) -> str:
    """``text`` with each comma-joined run of three scores ("chatbot (8,5,4)": impact,
    confidence, ease) written with spaces, the same length: three numbers, not 8.5 then 4."""
    return _TRIPLE.sub(lambda m: m.group(0).replace(",", " "), text)
