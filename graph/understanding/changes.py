"""Figures said to move from one value to another, and the revenue impact they imply.

"RPV 1,92 € -> 2,21 €", "les ventes de 84k€ a 112k€", "conv 2.4% vs 2.1%, AOV $68 vs $67",
"the price from $39 to $49 … 412 vs 380 units": two figures of one measure joined by an arrow,
"de X a Y" / "from X to Y" (before, after) or "X vs Y" / "X contre Y" (new, reference). The
measure is the first named one of the pair (the lexicon's type, else the learned role of
graph.understanding.roles). Revenue is value times volume, so the revenue impact of a message is
the change of a revenue measure (revenue, revenue per visitor, ARPU), else the product of a value
change (AOV, price) and a volume change (conversion rate, orders, conversions): +15 % conversion
with -12 % AOV is +1.2 %, flat (situations.jsonl's definition of ``revenue-impact``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from graph.understanding.dates import MONTHS
from graph.understanding.devices import devices_apart
from graph.understanding.lexicon import measure_index, words
from graph.understanding.slots import GENERIC_TYPES, Slot

REVENUE = frozenset({"revenue", "rpv", "arpu", "mrr"})
VALUE = frozenset({"aov", "other:price", "price"})
VOLUME = frozenset({"conversion_rate", "baseline_rate", "orders", "conversions", "customers"})

_ARROW = re.compile(r"^\s*(?:->|→|=>|>)\s*$")
_TO = re.compile(r"^\s*(?:a|à|to)\s*$")  # "de X a Y", "from X to Y": only after de/from
# the period a figure is of, said after it: now ("19% now vs 26% six months ago", "0,9 % ce
# mois-ci contre 1,4 % le mois dernier"), then the reference
NOW = (
    r"(?:now|today|currently|aujourd'hui|maintenant|actuellement|this (?:week|month|quarter)|"
    r"cette semaine|ce mois(?:-ci)?|ce trimestre)"
)
NOW_SAID = re.compile(rf"(?<![a-z]){NOW}(?![a-z])")
_VERSUS = re.compile(rf"^\s*(?:{NOW}\s+)?(?:vs\.?|versus|contre|v\.s\.?)\s*$")
_FROM = re.compile(r"(?:\bde|\bfrom|->|→|=>)\s*$")
_UNMOVED = re.compile(
    r"\b(?:same|flat|unchanged|pareil|identique|stables?|inchangee?s?|"
    r"n.a pas bouge|ont pas bouge)\b"
)  # "orders basically the same", "a panier moyen identique": the other factor held


_BEFORE_SALE = re.compile(
    r"\b(?:mql|sql|leads?|demos?|sign.?ups?|inscri\w*|opens?|ouvertures?|clicks?|clics?|ctr|"
    r"replies|reply|reponses?|unsub\w*|desinscri\w*|qualif\w*|activation|activated|trials?|essais?|"
    r"installs?|installations?|downloads?|telechargements?|engagement)\b"
)  # a rate before the sale (MQL to SQL, opens) moving alone does not move revenue by as much


class Change(BaseModel):
    """One figure said to move: its measure (a lexicon type such as revenue, rpv, aov,
    conversion_rate, or a learned role such as other:price), the value before and after (the
    figures' units: €, %, counts) and the words it was read from."""

    measure: str
    before: float
    after: float
    evidence: str
    subject: str = ""  # the clause's words before the figures: "our mql to sql rate dropped"

    @property
    def ratio(self) -> float:
        """after / before (1.15 for +15 %); 1.0 when ``before`` is 0."""
        return self.after / self.before if self.before else 1.0


def _clause(text: str, first: Slot) -> str:
    """The words of the clause just before ``first`` (at most 60 characters); the one before an
    opening bracket (at most 100) when the figures open it ("CPA on Meta is 3 times lower than
    LinkedIn ($38 vs $114)")."""
    opened = re.sub(r"(?:\b(?:de|from|du)\s*)?$", "", text[: first.start].rstrip()).endswith("(")
    reach = 100 if opened else 60  # "… taux d'ouverture a baissé … (de 34 % à 17 %)"
    pieces = re.split(r"[,;:.!?()\n]", text[max(0, first.start - reach) : first.start])
    return pieces[-2].strip() if len(pieces) > 1 and opened else pieces[-1].strip()


def _measure(text: str, first: Slot, second: Slot, roles: dict[int, str]) -> str:
    """The measure a pair of figures shares: a named type of either, else a measure named in the
    clause before them ("le CA du client est passé de 60k€ a 75k€"), else the first one's role."""
    for slot in (first, second):
        if slot.type not in GENERIC_TYPES:
            return slot.type
    clause = _clause(text, first)
    unit = "money" if first.currency else "percent" if first.unit == "%" else "count"
    named = measure_index(unit).find_all(words(clause))
    return str(named[-1][2]) if named else roles.get(id(first), first.type)


# "we want to grow MRR from 80k to 120k": a goal, nothing moved yet
_GOAL = re.compile(
    r"(?<![a-z])(want\w*|wanna|aim\w*|goal|target\w*|objecti\w*|vise\w*|visons|veu\w+|voudri\w+|souhait\w*|"
    r"plan to|planning to|need to|hope|esper\w*|il faut|doit)(?![a-z])"
)


# "on veut +15 % de CA au prochain trimestre", "goal: +20% revenue": a growth to reach
GROWTH_GOAL = re.compile(_GOAL.pattern + r"[^.!?]{0,30}?(?:\+\s?\d|\d+(?:[.,]\d+)?\s?%)")


def changes(text: str, figures: list[Slot], roles: dict[int, str]) -> list[Change]:
    """Every pair of consecutive ``figures`` (spans in the folded ``text``) the words between them
    join as a change, with the same unit and currency; not a goal ("we want to grow MRR from 80k
    to 120k"). ``roles``: id(slot) -> learned measure."""
    out = []
    for first, second in zip(figures, figures[1:]):
        if _GOAL.search(_clause(text, first)) or second.type == "target_rate":
            continue  # a rate to reach: nothing has moved yet
        between = _between(text, first.end, second.start)
        # "de 8k à 20k€": a currency written once, after the second figure, is both figures'
        said_once = not first.currency and first.type == second.type
        # words far apart join no move, but for "était de 20 €, maintenant 24 €"
        far = len(re.sub(rf"^\s*{NOW}", "", between)) > 12
        far = far and not was_now(text, first.start, first.end, second.start)
        other = (first.unit, first.currency) != (
            second.unit,
            first.currency if said_once else second.currency,
        )
        if far or other:
            continue
        if joined_as_move(text, first, second):
            before, after = first.value, second.value
        elif _VERSUS.match(between):
            if devices_apart(text, first, second):
                continue  # "1,1 % vs 2,9 % desktop": two devices side by side, nothing moved
            before, after = second.value, first.value
            if (
                (first.arm or "*").isalpha()
                and (second.arm or "*").isalpha()
                and first.arm != second.arm
            ):
                # two arms of a test: the control (A) is the reference, whichever is named first
                ordered = sorted((first, second), key=lambda s: str(s.arm))
                before, after = ordered[0].value, ordered[1].value
        else:
            continue
        out.append(
            Change(
                measure=_measure(text, first, second, roles),
                before=float(before),
                after=float(after),
                evidence=text[first.start : second.end],
                subject=_clause(text, first),
            )
        )
    return out


def relative_moves(text: str, figures: list[Slot], moves: list[Change]) -> list[Change]:
    """The sales volumes ``figures`` say moved by a share (:func:`relative_move`) beside a basket
    or a price ``moves`` (the before → after pairs of :func:`changes`) say moved: "12% more
    conversions but AOV dropped from €86 to €71" nets out at -7.5 % of revenue. Alone, a volume's
    share says nothing of revenue ("conversions up 18%"): []."""
    if not any(m.measure in VALUE for m in moves):
        return []
    return [
        c
        for s in figures
        if (c := relative_move(text, s)) and not any(s.evidence in m.evidence for m in moves)
    ]


_SALES = (
    r"(?P<what>conversions?|conv|orders?|commandes?|ventes?|sales|purchases?|achats?|customers?|"
    r"clients?|acheteurs?|buyers?)"
)
_MORE = r"more|fewer|less|de plus|de moins|en plus|en moins"
# "12% more conversions", "+12 % de conversions", "8 % de commandes en moins"
_MOVE_AFTER = re.compile(
    rf"\s*(?P<dir>{_MORE})?\s*(?:de\s+|d'|of\s+)?{_SALES}(?![a-z])(?:\s+(?P<late>en plus|en moins))?"
)
# "conversions up 12%", "les commandes en baisse de 8 %", "orders +12%"
_MOVE_BEFORE = re.compile(
    rf"{_SALES}\s*(?P<dir>up|down|en hausse|en baisse|hausse|baisse|grew|rose|fell|dropped)?"
    r"\s*(?:by|de|of)?\s*:?\s*$"
)
_FEWER = frozenset(
    {"fewer", "less", "de moins", "en moins", "down", "en baisse", "baisse", "fell", "dropped"}
)
_GREW = frozenset({"more", "de plus", "en plus", "up", "en hausse", "hausse", "grew", "rose"})


def relative_move(text: str, figure: Slot) -> Change | None:
    """A sales volume said to move by a share (``figure``: a % in the folded ``text``): "12% more
    conversions", "+12 % de commandes", "orders down 8%", as a change from 100 to 100 ± the share
    (measure 'conversions'); None unless a sign or a direction says which way it moved."""
    if figure.unit != "%" or not 0 < abs(float(figure.value)) < 100:
        return None
    after = _MOVE_AFTER.match(text, figure.end)
    before = None if after else _MOVE_BEFORE.search(text[max(0, figure.start - 40) : figure.start])
    found = after or before
    if found is None:
        return None
    said = found["dir"] or (after["late"] if after else None)
    sign = text[figure.start : figure.start + 1]
    if said in _FEWER or (sign and sign in "-−"):
        share = -abs(float(figure.value))
    elif said in _GREW or sign == "+":
        share = abs(float(figure.value))
    else:
        return None
    return Change(
        measure="conversions",
        before=100.0,
        after=100.0 + share,
        evidence=text[figure.start : found.end()]
        if after
        else text[figure.start - len(found[0]) : figure.end],
        subject=_clause(text, figure),
    )


def _between(text: str, first_end: int, second_start: int) -> str:
    """The words between two figures of the folded ``text``, less the first one's own per-period
    suffix ("from 1,100/week to 1,650/week")."""
    return re.sub(r"^\s*/\s*[a-z]+", "", text[first_end:second_start])


def joined_as_move(text: str, first: Slot, second: Slot) -> bool:
    """Whether the words around two figures of the folded ``text`` make the first one's value
    move to the second's: "de 8k à 20k€", "from 1,100 to 1,650", "4 % -> 5 %"."""
    between = _between(text, first.end, second.start)
    return bool(
        _ARROW.match(between)
        or (_TO.match(between) and _FROM.search(text[max(0, first.start - 6) : first.start]))
        or was_now(text, first.start, first.end, second.start)
    )


def was_now(text: str, first_start: int, first_end: int, second_start: int) -> bool:
    """Whether two figures of the folded ``text`` are one figure then and now ("ARPU was €45 now
    €54", "l'ARPU était de 20 €, maintenant 24 €"): 'was' before the first, 'now' between."""
    return bool(
        _NOW_AFTER.match(_between(text, first_end, second_start))
        and _WAS.search(text[max(0, first_start - 20) : first_start])
    )


# "ARPU was €45 now €54", "le panier était de 62 €, maintenant 58 €": then, and now
_WAS = re.compile(r"(?<![a-z])(?:was|were|used to be|etait|etaient)\s*(?:at|a|de|of)?\s*$")
_NOW_AFTER = re.compile(
    r"^\s*[,;]?\s*(?:and |et |but |mais )?(?:now|today|maintenant|desormais|aujourd'hui)"
    r"\s*(?:at|a|de|is|est|it's|c'est)?\s*$"
)


_PERIOD = (
    r"(?:"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r"|[qt][1-4]|[sw]\d{1,2}|(?:week|semaine|sem|month|mois|m)\s*\d{1,2})\.?"
)
_LABELLED_FIRST = re.compile(rf"(?<![a-z0-9]){_PERIOD}\s*[:=]?\s*$")
_LABELLED_NEXT = re.compile(rf"^\s*[,;/]?\s*(?:(?:et|and|puis|then)\s+)?{_PERIOD}\s*[:=]?\s*$")


_PERIOD_AFTER = re.compile(rf"\s*(?:in|en|au|for|pour|during|on)?\s*{_PERIOD}(?![a-z0-9])")
_JOINED = re.compile(r"\s*[,;/]?\s*(?:(?:et|and|puis|then|vs|versus|contre|against)\s+)?")


def _labelled_after(text: str, figures: list[Slot]) -> list[Slot]:
    """The first run of two or more ``figures`` of one unit each followed by its period ("CPA
    was $42 in September and $61 in October", "38 € en septembre, 52 € en octobre"), joined by
    a comma or 'and'; [] without one."""
    run: list[Slot] = []
    end = 0  # where the last figure's period label ends
    for figure in figures:
        label = _PERIOD_AFTER.match(text, figure.end)
        same = run and (figure.unit, figure.currency) == (run[-1].unit, run[-1].currency)
        if label and same and _JOINED.fullmatch(text, end, figure.start):
            run.append(figure)
        elif len(run) >= 2:
            break
        else:
            run = [figure] if label else []
        end = label.end() if label else end
    return run if len(run) >= 2 else []


def series_run(text: str, figures: list[Slot]) -> tuple[str, list[Slot]] | None:
    """A figure given period by period ("ROAS last 3 months: jan 3.8, feb 3.1, mar 2.4", "CPA S1
    42 €, S2 47 €, S3 55 €"): the first run of two or more ``figures`` (spans in the folded
    ``text``) of one unit, each after a period's label, with its measure (their named type, else
    the one the sentence names before them, else the first one's type); None without one."""
    run: list[Slot] = []
    for figure in figures:
        linked = run and _LABELLED_NEXT.match(text[run[-1].end : figure.start])
        if linked and (figure.unit, figure.currency) == (run[-1].unit, run[-1].currency):
            run.append(figure)
            continue
        if len(run) >= 2:
            break
        labelled = _LABELLED_FIRST.search(text[max(0, figure.start - 16) : figure.start])
        run = [figure] if labelled else []
    if len(run) < 2:
        run = _labelled_after(text, figures)
    if len(run) < 2:
        return None
    named = next((f.type for f in run if f.type not in GENERIC_TYPES), None)
    if named is None:
        opening = max(text.rfind(c, 0, run[0].start) for c in ".!?\n") + 1
        unit = "money" if run[0].currency else "percent" if run[0].unit == "%" else "ratio"
        found = measure_index(unit).find_all(words(text[opening : run[0].start]))
        named = str(found[-1][2]) if found else run[0].type
    return named, run


COSTS = ("cpa", "roas")  # what campaign tracking diagnoses when it moves


def cost_move(text: str, figures: list[Slot]) -> tuple[Change | None, list[Slot]]:
    """The CPA or ROAS move of ``figures`` (spans in the folded ``text``): the one said to move
    (:func:`changes`: "CPA went from $38 to $52"), else the one given period by period
    (:func:`series_run`: "ROAS jan 3.8, feb 3.1, mar 2.4", from the first period's value to the
    last one's, in the order written); and the slots of that trend ([] for a stated move).
    (None, []) without either."""
    stated = next((c for c in changes(text, figures, {}) if c.measure in COSTS), None)
    series = series_move(text, figures)
    if stated or not series or series[0].measure not in COSTS:
        return stated, []
    return series


def series_move(text: str, figures: list[Slot]) -> tuple[Change, list[Slot]] | None:
    """The move of a figure given period by period (:func:`series_run`: "ROAS jan 3.8, feb 3.1,
    mar 2.4", "taux d'ouverture : 24 % en septembre, 19 % en octobre, 16 % en novembre"), from
    the first period's value to the last one's, with the run's slots; None without a run."""
    series = series_run(text, figures)
    if series is None:
        return None
    measure, run = series
    move = Change(
        measure=measure,
        before=float(run[0].value),
        after=float(run[-1].value),
        evidence=text[run[0].start : run[-1].end],
        subject=text[max(0, run[0].start - 40) : run[0].start].strip(),
    )
    return move, run


def moves_said(text: str, figures: list[Slot]) -> list[Change]:
    """Every move ``figures`` (spans in the folded ``text``) are said to make: the before → after
    pairs (:func:`changes`), and a measure given period by period that no pair moves
    (:func:`series_move`), from its first period to its last."""
    moves = changes(text, figures, {})
    series = series_move(text, figures)
    if series and series[0].measure not in {m.measure for m in moves}:
        moves.append(series[0])
    return moves


_MOVED = re.compile(
    r"(?:pris|gagne|perdu|augmente\w*|baisse\w*|chute\w*|progresse\w*|recule\w*|grimpe\w*|"
    r"up|down|grew|rose|fell|dropped|jumped|increased|decreased|lifted|climbed)\W*(?:de|by|of)?\W*$"
)
_FELL = re.compile(
    r"(?:baisse|chute|perdu|recule|down|fell|dropped|decreased|-)\W*(?:de|by|of)?\W*$"
)


# "18% more revenue per visitor", "+12 % de CA en plus", "9% less MRR": the revenue measure right
# after the share, with the way it moved
_MORE_OF = re.compile(
    r"\s*(?P<dir>more|less|higher|lower|extra|additional|de plus|de moins|supplementaires?)?\s*"
    r"(?:(?:de|du|des|of|in)\s+|d')?"
)
_LESS = frozenset({"less", "lower", "de moins", "en moins"})


def _revenue_after(text: str, f: Slot) -> tuple[float, str] | None:
    """A % figure followed by the revenue measure it moves ("18% more revenue per visitor",
    "+12 % de CA", "9 % de MRR en moins"): (signed % change, evidence); None unless a sign or a
    word of direction says which way."""
    said = _MORE_OF.match(text, f.end)
    assert said is not None  # every part of the pattern is optional
    near = words(text[said.end() : said.end() + 40])[:4]
    named = measure_index("money").find_all(near)
    if not named or named[0][0] != 0 or named[0][2] not in REVENUE:
        return None
    late = re.match(r"[^,;.!?]{0,30}?\b(en plus|en moins)\b", text[said.end() :])
    way = said["dir"] or (late[1] if late else None)
    sign = text[f.start : f.start + 1]
    if not way and sign not in "+-−":
        return None
    value = -abs(f.value) if way in _LESS or sign in "-−" else abs(f.value)
    return float(value), f"{text[f.start : said.end()]}{' '.join(near[: named[0][1]])}"


def stated_revenue_moves(text: str, figures: Sequence[Slot]) -> list[tuple[float, str]]:
    """Revenue moves said in words: a % figure signed or after a verb of movement ("les ventes
    générées par la newsletter ont pris +27 %", "revenue per session fell 16%") whose clause names
    a revenue measure last (revenue, revenue per visitor, ARPU, MRR; an open rate or a basket
    named last is not revenue), or followed by the revenue measure it moves ("18% more revenue per
    visitor"). [(signed % change, evidence)] in text order; ``text`` is the folded request the
    figures' spans index."""
    out = []
    for f in figures:
        if f.unit != "%" or not isinstance(f.value, (int, float)):
            continue
        if after := _revenue_after(text, f):
            out.append(after)
            continue
        before = text[max(0, f.start - 80) : f.start]
        signed = text[f.start : f.start + 1] in "+-−" or before.rstrip().endswith(("+", "-"))
        if not (signed or _MOVED.search(before)):
            continue
        near = words(re.split(r"[,;:.!?()\n]", before)[-1])[-10:]
        named = measure_index("money").find_all(near)
        if named and named[-1][2] in REVENUE:
            value = -abs(f.value) if _FELL.search(before) else f.value
            out.append(
                (float(value), f"{' '.join(near[named[-1][0] : named[-1][1]])} {f.evidence}")
            )
    return out


def revenue_impact(moves: list[Change], text: str = "") -> tuple[float, str] | None:
    """The signed revenue change in % that ``moves`` imply, and the evidence: a revenue measure's
    change, else a value change times a volume change, else one of them alone when the folded
    ``text`` says the other held ("orders basically the same", "same ARPA") or it is the only
    move and no price (volume answers a price), never a figure before the sale ("MQL to SQL rate
    dropped from 31% to 19%", "demo requests went from 120 to 168"); None otherwise."""

    def largest(kinds: frozenset[str]) -> Change | None:
        found = [c for c in moves if c.measure in kinds and c.before > 0 and c.after >= 0]
        return max(found, key=lambda c: abs(math.log(c.ratio or 1e-9)), default=None)

    revenue = largest(REVENUE)
    if revenue:
        return round((revenue.ratio - 1) * 100, 1), revenue.evidence
    value, volume = largest(VALUE), largest(VOLUME)
    if value and volume:
        return (
            round((value.ratio * volume.ratio - 1) * 100, 1),
            f"{volume.evidence} ; {value.evidence}",
        )
    alone = value or volume
    if alone is None or _BEFORE_SALE.search(alone.subject):
        return None  # "demo requests went from 120 to 168 with the same traffic": no sale yet
    if _UNMOVED.search(text) or (len(moves) == 1 and "price" not in alone.measure):
        return round((alone.ratio - 1) * 100, 1), alone.evidence
    return None


def arm_prices(figures: list) -> list[Change]:
    """The price or basket each A/B arm sells at ("$49 plan vs $59 plan": an ARPU, a basket or a
    learned 'other:price' role given for arm A and for arm B), as one move from A's to B's
    (measure 'price', or 'aov' for a basket); [] unless both arms have one and they differ. A
    pricing test's conversions move with its price: the revenue moves by both."""
    by_arm: dict[str, Any] = {}
    for f in figures:
        priced = f.type in ("arpu", "price", "aov") or getattr(f, "role", "") == "other:price"
        if priced and f.arm in ("A", "B"):
            by_arm.setdefault(f.arm, f)
    a, b = by_arm.get("A"), by_arm.get("B")
    if a is None or b is None or a.value == b.value or not a.value:
        return []
    measure = "aov" if a.type == "aov" else "price"
    return [
        Change(
            measure=measure, before=a.value, after=b.value, evidence=f"{a.evidence} vs {b.evidence}"
        )
    ]


# "we raised prices by 15%", "on a augmenté nos prix de 15 %", "a 10% price cut", "hausse de
# tarif de 8 %": the price said to move by a share, the sign from the verb
_PRICE_MOVED = re.compile(
    r"(?P<verb>rais\w*|increas\w*|upp\w*|hik\w*|augment\w*|mont\w*|cut|lower\w*|reduc\w*|"
    r"dropp\w*|baiss\w*)\s+(?:our\s+|the\s+|nos\s+|les\s+|le\s+|notre\s+)?"
    r"(?:prices?|prix|tarifs?|pricing|abonnements?)\s+(?:by|de|of)\s*$"
    r"|(?:prices?|prix|tarifs?|pricing)\s+(?P<noun>increase|hike|rise|cut|drop|hausse|augmentation|"
    r"baisse)\s+(?:of|de)\s*$"
)
_PRICE_DOWN = re.compile(r"^(?:cut|lower|reduc|dropp|baiss|drop)")


def price_move(text: str, figures: list[Slot]) -> float | None:
    """The share (%) the folded ``text`` says the price moved by ("since we raised prices by
    15%": +15; "on a baissé nos prix de 10 %": -10), read from the first such percentage of
    ``figures``; None when no price is said to move by a share."""
    for s in figures:
        if s.unit != "%" or not 0 < abs(float(s.value)) < 100:
            continue
        said = _PRICE_MOVED.search(text[max(0, s.start - 50) : s.start])
        if said:
            down = _PRICE_DOWN.match(said["verb"] or said["noun"] or "")
            return -abs(float(s.value)) if down else abs(float(s.value))
    return None
