"""Figures the user composes from others: a sum of amounts, a share of a count, a count per arm.

"18k€ stand + 6k€ déplacements + 4k€ goodies" is one budget of 28 000 € (its parts are how it is
made, no figure of their own), and "300 leads dont 15 % de SQL" / "400 leads, of which 20%
become SQLs" are 45 and 80 SQLs: the count the question is about (a cost per SQL). In a test,
"2 x 15 000 envois" is 15 000 sends for each of the two versions, and "620 sales at €45
average" is 620 orders of a €45 basket. The passes work on the quantities of
graph.understanding.numbers.
"""

from __future__ import annotations

import re

from graph.understanding.lexicon import measure_index, words
from graph.understanding.numbers import Quantity

_PLUS = re.compile(r"\s*(?:[a-z'éèàç-]+\s+){0,3}?\+\s*")  # "18k€ stand + 6k€", "6k€ + 4k€"
_OF_WHICH = re.compile(
    r"\s*(?:[a-z]+)?\s*,?\s*(?:dont|of which|including|incl\.?|soit)\s+(?:environ\s+|about\s+|~\s*)?$"
)
_LISTED = re.compile(r"\s*[a-z']*\s*(?:,|et|and)\s*")
_BECOME = re.compile(
    r"\s*(?:d'entre eux\s+|of them\s+)?(?:deviennent|become|became|turn into|passent|convert\w*|"
    r"sont devenus|signent|sign)\b"
)
_AFTER_SHARE = 30  # characters after "15 %" where the share's count is named ("de SQL")


def summed(folded: str, qs: list[Quantity]) -> list[Quantity]:
    """``qs`` with amounts written with '+' between them ("18k€ stand + 6k€ déplacements + 4k€
    goodies") replaced by one amount, their sum, spanning them all, with the first one's measure
    (or budget); other quantities as they were."""
    out: list[Quantity] = []
    for q in qs:
        last = out[-1] if out else None
        if (
            last is not None
            and q.unit == last.unit == "€"
            and q.currency in ("", last.currency)
            and _PLUS.fullmatch(folded[last.end : q.start])
        ):
            last.value += q.value
            last.end, last.raw = q.end, folded[last.start : q.end]
            last.measure = last.measure if last.measure not in (None, "amount") else "budget"
            continue
        out.append(q)
    return out


def shares_of_counts(folded: str, qs: list[Quantity]) -> None:
    """A percentage written as a part of the count before it ("300 leads dont 15 % de SQL", "400
    leads, of which 20% become SQLs") becomes that many of what is named after it (a count of the
    measure named, 45 SQLs), when a count measure is named there and no rate ("dont 3 % de
    conversion" stays a conversion rate); in place on ``qs``."""
    for count, share in zip(qs, qs[1:]):
        between = folded[count.end : share.start]
        # "340 leads, 12 % deviennent clients": a share that becomes something after a comma
        becomes = _LISTED.fullmatch(between) and _BECOME.match(folded, share.end)
        if not (
            count.unit == ""
            and share.unit == "%"
            and 0 < share.value <= 100
            and (_OF_WHICH.search(between) or becomes)
        ):
            continue
        after = words(re.split(r"[.;:!?,\n]", folded[share.end : share.end + _AFTER_SHARE])[0])
        named = measure_index("count").find_all(after)
        # "dont 3 % de conversion" is a rate the request may need as one: left as it is
        if named and not measure_index("percent").find_all(after):
            share.value = round(count.value * share.value / 100, 2)
            share.unit, share.measure = "", str(named[0][2])


def per_arm_product(folded: str, qs: list[Quantity], armed: bool) -> list[Quantity]:
    """``qs`` with "2 x 15 000 envois" read as 15 000 for each arm (arm '*') when the message
    names arms (``armed``): the multiplier is the number of versions, no figure of its own."""
    if not armed:
        return qs
    out: list[Quantity] = []
    for q in qs:
        last = out[-1] if out else None
        if (
            last is not None
            and last.unit == "x"
            and last.value in (2, 3, 4, 5, 6)
            and q.unit == ""
            and not folded[last.end : q.start].strip()
        ):
            out[-1] = q
            q.arm = "*"
            continue
        out.append(q)
    return out


_AT_AVERAGE = re.compile(r"\s*(?:[a-z]+\s+){0,3}?(?:at|a|@|for|pour)\s*$")
_ORDERED = ("conversions", "orders", "customers")
# leads bought, not sales: the amount "at" them is their cost ("300 leads/mois à 50 €")
_LEADS_AT = re.compile(
    r"\s*(?:leads?|demos?|demandes de demo|mqls?|sqls?|rdv|rendez-vous|meetings?|prospects?)"
    r"\s*(?:/\s*(?:mois|month|mo|semaine|week)|par mois|a month|per month)?\s*(?:at|a|@|for|pour)\s*$"
)


def average_basket(folded: str, qs: list[Quantity]) -> None:
    """An amount right after a count of leads "at" it is their cost per lead ("300 leads/mois à
    50 €", "160 demos at $125 each"); an average amount right after a count of sales "at" it
    ("620 sales at €45 average", "620 ventes à 45 € en moyenne", "4 deals won at €12k each") is
    the average basket (AOV) of those sales, in place; a value each of open opportunities ("9
    opportunities worth €15k each") makes their pipeline (count × value, €)."""
    for count, q in zip(qs, qs[1:]):
        each = _EACH.match(folded, q.end)
        between = folded[count.end : q.start]
        if (
            q.unit == "€"
            and q.measure in (None, "amount", "mean")
            and count.measure == "conversions"
            and _LEADS_AT.match(between)
        ):  # "300 leads/mois à 50 €", "160 demos at $125 each": what each one costs
            q.measure, q.arm = "cpa", None
        elif (
            (q.measure == "mean" or each)
            and q.unit == "€"
            and count.measure in _ORDERED
            and _AT_AVERAGE.fullmatch(folded[count.end : q.start])
        ):
            q.measure = "aov"
            if each:  # "4 deals won at €12k each": each sale's value, not a figure of every A/B arm
                q.arm = None
        elif (
            each
            and q.unit == "€"
            and _OPPORTUNITIES.search(folded[count.end : q.start])
            and _WORTH.search(folded[count.end : q.start])
        ):  # "9 opportunities worth €15k each": a pipeline of 9 × €15k
            q.value, q.measure, q.arm = count.value * q.value, "pipeline", None


_OPPORTUNITIES = re.compile(r"(?<![a-z])(?:opportunit\w*|opps?|deals?|affaires?|devis)(?![a-z])")
_WORTH = re.compile(r"(?<![a-z])(?:worth|valued at|d'une valeur de|valant|de)\s*$")
_EACH = re.compile(r"\s*(?:each|apiece|a piece|chacun\w*|piece|l'unite|per deal|par contrat)\b")
