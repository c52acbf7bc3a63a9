"""A/B arms named by their price: "test de prix : 29 € vs 35 € … 126 abonnés à 29 €, 109 à 35 €".

In a pricing test people name each version by its price and then give each version's figures
"at" that price. The reader has made the two prices arms A and B ('X vs Y'); this pass gives a
figure written just before "à 29 €" / "at $29" / "@ 29" that price's arm, and drops the repeated
price, which names an arm and is no new figure. What they count is the test's conversions
(subscribers, buyers, trials, sales): a pricing test converts or not at each price. A price
followed by a colon ("$50: 9,800 visitors, 392 orders") heads that arm's figures.
"""

from __future__ import annotations

import re

from graph.understanding.numbers import Quantity

# "126 abonnés à 29 €", "109 à 35 €", "410 trials at $35": up to two words, then "at"
_AT = re.compile(r"\s*(?:[a-z']+\s+){0,2}?(?:a|at|@|for|pour|au prix de|at the price of)\s*")
_COUNTED = (None, "count", "list_size", "customers", "conversions", "orders", "signups")
_COLON = re.compile(r"\s*:")  # "$75: 9,750 visitors"
_HEAD = re.compile(
    r"\s*(?:/\s*(?:mois|month|mo|an|year|yr|semaine|week)\s*)?"
    r"(?::|→|->|=>|\s*(?:converti\w*|convert\w*)\s+(?:a|at)(?![a-z])"
    r"|\s*(?:got|gets|had|did|saw|gave|a fait|fait|a donne|donne)\s+(?=\d))"
)  # a price written once and heading its figures: "29 € → 3,1 %", "19 €/mois converti à 4,2 %",
# "$199 got 4.1% of 9,800 visitors"


def price_arms(folded: str, qs: list[Quantity]) -> list[Quantity]:
    """``qs`` (the quantities of ``folded`` in text order, arms assigned) with each figure
    written before one of the arms' prices given that arm, as conversions, and the price that
    named it left out; ``qs`` unchanged unless two arms are named by a price."""
    prices = {q.value: q.arm for q in qs if q.unit == "€" and q.arm and q.arm != "*"}
    if len(set(prices.values())) < 2:
        prices = _headed_prices(folded, qs)
    if len(set(prices.values())) < 2 and _PRICE_TEST.search(folded):
        prices = _counted_at(folded, qs)
        for q in _first_mentions(qs, prices):
            q.arm, q.measure = prices[q.value], "amount"  # "2 prix : 29 € et 35 €": the arms
    kept = False  # a price written once, heading its figures, stays: the arm's price
    if len(set(prices.values())) < 2 and _PRICE_TEST.search(folded):
        # "29 € → 3,1 % sur 8 200 visiteurs ; 35 € → 2,6 % sur 8 150": each price heads its own
        heading = [q for q in qs if q.unit == "€" and not q.arm and _HEAD.match(folded, q.end)]
        heads = list(dict.fromkeys(q.value for q in heading))[:5]
        prices = {v: "ABCDE"[i] for i, v in enumerate(heads)} if len(heads) >= 2 else {}
        for q in heading if prices else []:
            q.measure = "amount"  # each arm's price, not a budget nor an ARPU
        kept = True
    if len(set(prices.values())) < 2:
        _prices_alone(folded, qs)
        return qs
    dropped: set[int] = set()
    for figure, price in zip(qs, qs[1:]):
        arm = prices.get(price.value) if price.unit == "€" and not price.arm else None
        if (
            arm
            and figure.unit == ""
            and figure.arm in (None, arm)
            and figure.measure in _COUNTED
            and _AT.fullmatch(folded[figure.end : price.start])
        ):
            figure.arm, figure.measure = arm, "conversions"
            dropped.add(id(price))
    _price_headers(folded, qs, prices, set() if kept else dropped, _HEAD if kept else _COLON)
    return [q for q in qs if id(q) not in dropped]


def _price_headers(
    folded: str,
    qs: list[Quantity],
    prices: dict[float, str],
    dropped: set[int],
    head: re.Pattern = _COLON,
) -> None:
    """ "$50: 9,800 visitors, 392 orders. $75: 9,750 visitors …": an arm's price followed by a
    colon (``head``: or an arrow, for prices written only there) heads that arm's figures, up to
    the next such header; the header itself goes to ``dropped``."""
    arm = None
    for q in qs:
        header = _heads(folded, q, set(prices), head) and not q.arm
        if header:
            arm = prices[q.value]
            dropped.add(id(q))
        elif arm and q.arm is None:
            q.arm = arm


def _heads(folded: str, q: Quantity, prices: set[float], head: re.Pattern = _COLON) -> bool:
    """Whether ``q`` is one of ``prices`` followed by a colon (``head``), with its currency or
    bare ("$75: 9,750 visitors", "12,90 : 602 abonnements")."""
    return q.unit in ("€", "") and q.value in prices and bool(head.match(folded, q.end))


_PRICE_TEST = re.compile(r"(?<![a-z])(?:prix|price\w*|pricing|tarif\w*)(?![a-z])")


def _prices_alone(folded: str, qs: list[Quantity]) -> None:
    """Two prices a pricing test compares with no figure of either ("le plan à 49 € convertit
    mieux que celui à 39 €"): each price names an arm (A, B in order), not an ARPU nor a budget;
    the readout then asks for each arm's visitors and conversions."""
    if _PRICE_TEST.search(folded) and len(qs) == 2 and all(q.unit == "€" for q in qs):
        if qs[0].value != qs[1].value and not any(q.arm for q in qs):
            for q, arm in zip(qs, "AB"):
                q.arm, q.measure = arm, "amount"


def _counted_at(folded: str, qs: list[Quantity]) -> dict[float, str]:
    """{price: arm} of the prices a pricing test counts its figures at, each arm named by its
    price ("2 prix : 29 € et 35 € … 182 abonnements à 29 € et 161 à 35 €"): A is the price
    written first, B the next; {} unless two prices have a count written just before them."""
    counted = {
        price.value
        for figure, price in zip(qs, qs[1:])
        if price.unit == "€"
        and figure.unit == ""
        and figure.measure in _COUNTED
        and _AT.fullmatch(folded[figure.end : price.start])
    }
    named = list(dict.fromkeys(q.value for q in qs if q.value in counted and q.unit == "€"))[:5]
    return {v: "ABCDE"[i] for i, v in enumerate(named)} if len(named) >= 2 else {}


def _first_mentions(qs: list[Quantity], prices: dict[float, str]) -> list[Quantity]:
    """The first quantity in € of each of ``prices`` that a later one repeats: the price named
    before the arms' figures, the later mentions being where each arm's figures are counted."""
    seen: dict[float, list[Quantity]] = {}
    for q in qs:
        if q.unit == "€" and q.value in prices and not q.arm:
            seen.setdefault(q.value, []).append(q)
    return [found[0] for found in seen.values() if len(found) >= 2]


def _headed_prices(folded: str, qs: list[Quantity]) -> dict[float, str]:
    """{price: arm} of prices written first as amounts ("9,90 € -> 12,90 €") and later each
    heading its version's figures ("9,90 : 700 abonnements. 12,90 : 602 abonnements"): A is the
    first price written (the current one), B the next; {} unless two prices head figures."""
    amounts = list(dict.fromkeys(q.value for q in qs if q.unit == "€" and not q.arm))
    first = {q.value: id(q) for q in reversed(qs)}  # a price's first mention names it
    headers = {q.value for q in qs if first[q.value] != id(q) and _heads(folded, q, set(amounts))}
    named = [v for v in amounts if v in headers][:5]
    return {v: "ABCDE"[i] for i, v in enumerate(named)} if len(named) >= 2 else {}
