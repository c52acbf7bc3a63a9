"""Figures listed with their channels: a unit written once for a list of numbers,
"respectivement" lists, "Meta 9k, Google 6k, TikTok 3k" allocations, two channels compared
("CPA on Meta is 3 times lower than LinkedIn ($38 vs $114)"), the shares of a split ("50/50") and
pairs under a header that names their two measures ("spend / conversions: Google $18k / 350").

People write a budget split the short way: the multiplier and currency once for the whole list
("30, 20 et 10 k€"), the channels after the amounts ("… sur respectivement Meta, Google et
TikTok"), or each channel with its amount ("Current split: Meta 9k, Google 6k, TikTok 3k", with
the currency given elsewhere in the message). The corpus labels each of these amounts as the
channel's budget (``figures.jsonl``: "When a multiplier or currency is written only once, it
applies to every amount it covers"); these passes read them so, on the quantities of
graph.understanding.numbers, before the reader's other channel rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.understanding.entities import Mention
from graph.understanding.lexicon import measure_index, words
from graph.understanding.numbers import Quantity

_LIST_LINK = re.compile(r"\s*(?:,|et|and|&|ou|or)\s*")
_CONJUNCTION = re.compile(r"(?<![a-z])(?:et|and|ou|or)(?![a-z])|&")
_BARE = re.compile(r"[\d\s.,]+")
_RESPECTIVELY = re.compile(r"(?<![a-z])(?:respectiv\w*|resp)(?![a-z])")
# "SEA 420k€ → 1,9 M€", "Google 5 400 € pour 32 400 €": what was spent for a revenue, no allocation
_FOR_AMOUNT = re.compile(r"\s*(?:→|->|=>|pour|for)\s*[$€£]?\s*\d")
_PAIR_LINK = re.compile(r"\s*[:=(]?\s*")  # "Meta 9k", "Meta: 9k", "Meta (9k)"
_AFTER_LINK = re.compile(r"\s*(?:(?:sur|pour|on|for|en|in|to|a|à)\s+)?")  # "12k (sur) Meta"
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
ALLOCATED = (None, "amount", "budget", "count")  # measures an allocation list may rename
# "email (60k)", "emailing (90k)", "email (base 120k)": the contacts of a list, not a budget
LIST_OF = re.compile(
    r"(?<![a-z])(?:e-?mail\w*|sms|push|newsletters?|crm)\s*[(:]\s*(?:[a-z']+\s+){0,2}$"
    r"|(?<![a-z])(?:bases?|list|lists|listes?|fichiers?)\s+(?:e-?mails?|sms|push|newsletter)\s*:?\s*$"
)  # "email (base 120k)", "sms: 35k", "base email 90k": a list's size, no money


def shared_unit(folded: str, qs: list[Quantity]) -> None:
    """'30, 20 et 10 k€', '3, 4 et 5 %': the multiplier, unit and currency written once after a
    list of bare numbers apply to each of them (in place on ``qs``, the quantities of ``folded``
    in text order)."""
    run: list[Quantity] = []
    for q in qs:
        link = folded[run[-1].end : q.start] if run else ""
        if run and _LIST_LINK.fullmatch(link):
            run.append(q)
            if _CONJUNCTION.search(link):  # "… et 10 k€": the list ends here
                _spread(run)
                run = []
            continue
        run = [q]


_TRAFFIC = re.compile(
    r"(?<![a-z])(?:trafic|traffic|versions?|variantes?|variants?|arms?|bras)(?![a-z])"
)


def split_shares(folded: str, qs: list[Quantity]) -> None:
    """'50/50', '25/25/25/25', '60/30/10': bare numbers joined by slashes that add up to 100 are
    the shares of a split (%): of the traffic in a message about versions or traffic
    (traffic_share), else of the budget (budget_share). Runs after the words named the numbers
    (a slash reads as conversions over visitors there)."""
    runs: list[list[Quantity]] = []
    for q in qs:
        if runs and folded[runs[-1][-1].end : q.start] == "/":
            runs[-1].append(q)
        else:
            runs.append([q])
    measure = "traffic_share" if _TRAFFIC.search(folded) else "budget_share"
    for run in runs:
        # bare numbers whatever the words made of them: 25 conversions of 25 visitors is no ratio
        if (
            len(run) >= 2
            and all(_BARE.fullmatch(q.raw.strip()) and not q.currency for q in run)
            and abs(sum(q.value for q in run) - 100) <= 1
        ):
            for q in run:
                q.unit, q.measure, q.arm = "%", measure, None


def _spread(run: list[Quantity]) -> None:
    """The last quantity's unit and multiplier on the bare numbers before it in ``run``, when
    they are of one order of magnitude ("30, 20 et 10 k€", not "n=6150, 2.1 % et 2.6 %")."""
    last, number = run[-1], _BARE.match(run[-1].raw)
    if not number:
        return
    try:
        factor = last.value / float(number.group(0).replace(" ", "").replace(",", "."))
    except (ValueError, ZeroDivisionError):
        return
    bare = run[:-1]
    numbers = [q.value for q in bare] + [last.value / factor]
    if min(numbers) <= 0 or max(numbers) / min(numbers) > 20:
        return
    if (last.unit not in ("€", "%", "pt") and factor == 1) or not all(
        _BARE.fullmatch(q.raw.strip()) and q.unit == "" for q in bare
    ):
        return
    for q in bare:
        q.value, q.unit, q.currency = q.value * factor, last.unit, last.currency
        q.raw = q.raw.strip() + last.raw[number.end() :]  # "30" of "30, 20 et 10 k€" reads "30 k€"


def allocations(
    folded: str, qs: list[Quantity], channels: Sequence[Mention], money_context: bool
) -> None:
    """Each channel's budget when amounts are listed with two or more channels: a channel named
    right before its amount ('Meta 9k, Google 6k'), or amounts followed by 'respectivement' and
    as many channels ('30, 20 et 10 k€ sur respectivement Meta, Google et TikTok'; also channels,
    amounts, then 'respectively'). An amount is money when it has a currency, or is 1 000 or more
    written in k or M in a message about money (``money_context``: a budget, a split, or a
    currency elsewhere); it takes the message's currency."""
    currency = next((q.currency for q in qs if q.unit == "€" and q.currency), "")
    money = [
        q
        for q in qs
        if _money(q, money_context)
        and not q.arm
        and not _FOR_AMOUNT.match(folded, q.end)
        and not (q.unit == "" and LIST_OF.search(folded, 0, q.start))
    ]
    pairs = (
        _respectively(folded, money, channels)
        or _named_pairs(folded, money, channels)
        or _named_pairs(folded, money, channels, after=True)
    )
    if len({c.value[0] for _, c in pairs}) < 2 or any(q.measure not in ALLOCATED for q, _ in pairs):
        return  # "dépense SEA 2 000 €, email 300 €": the list is of what its first word names
    if _headed(folded, min(c.start for _, c in pairs)) not in ALLOCATED:
        return  # "CPL par canal ce trimestre : Google 45 €, …": costs per lead, not budgets
    for q, channel in pairs:
        q.channel, q.measure = channel.value[0], "budget"
        q.unit, q.currency = "€", q.currency or currency


def _headed(folded: str, at: int) -> str | None:
    """The money measure the sentence names before a list that starts at ``at`` (the last one),
    or None."""
    start = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, at)), default=0)
    named = measure_index("money").find_all(words(folded[start:at]))
    return str(named[-1][2]) if named else None


def _money(q: Quantity, money_context: bool) -> bool:
    if q.unit == "€":
        return True
    return (
        money_context
        and q.unit == ""
        and q.value >= 1000
        and bool(re.search(r"\d\s?[km]\b", q.raw))
    )


def _named_pairs(
    folded: str, money: list[Quantity], channels: Sequence[Mention], after: bool = False
) -> list[tuple[Quantity, Mention]]:
    """(amount, channel) for every amount written right after a channel's name ('Meta 9k'), or
    with ``after``, right before it ('12k Meta, 10,5k sur Google')."""
    pairs = []
    for q in money:
        named = next(
            (
                c
                for c in channels
                if (
                    q.end <= c.start and _AFTER_LINK.fullmatch(folded[q.end : c.start])
                    if after
                    else c.end <= q.start and _PAIR_LINK.fullmatch(folded[c.end : q.start])
                )
            ),
            None,
        )
        if named:
            pairs.append((q, named))
    return pairs


def _respectively(
    folded: str, money: list[Quantity], channels: Sequence[Mention]
) -> list[tuple[Quantity, Mention]]:
    """(amount, channel) in order when 'respectivement' ties a list of amounts to as many
    channels in the same sentence; [] otherwise."""
    word = _RESPECTIVELY.search(folded)
    if not word:
        return []
    start = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, word.start())), default=0)
    stop = next((m.start() for m in _SENTENCE_END.finditer(folded, word.end())), len(folded))
    amounts = [q for q in money if start <= q.start < stop and not q.channel]
    named = list({c.value[0]: c for c in channels if start <= c.start < stop}.values())
    if len(amounts) >= 2 and len(amounts) == len(named):
        return list(zip(amounts, sorted(named, key=lambda c: c.start)))
    return []


def channels_compared(
    folded: str, first: Quantity, second: Quantity, channels: Sequence[Mention]
) -> bool:
    """Whether a pair 'X vs Y' compares two channels rather than two A/B arms: a channel named
    between them ('Meta CPA $38 vs LinkedIn $114'), or the two channels its sentence names before
    it ('CPA on Meta is 3 times lower than LinkedIn ($38 vs $114)'), or each figure followed by
    its channel ('un ROAS de 0,9 sur TikTok vs 3,8 sur Google'), or the first's before it and the
    second's after it ('TikTok a un ROAS de 0,9 contre 3,4 pour Google'). When it does, each figure
    takes its channel, in order, and the measure the sentence names last for their unit."""
    start = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, first.start)), default=0)
    before = list(
        dict.fromkeys(c.value[0] for c in channels if start <= c.start and c.end <= first.start)
    )
    between = [c.value[0] for c in channels if first.end <= c.start and c.end <= second.start]
    after = [_put_on(folded, q, channels) for q in (first, second)]
    if after[0] and after[1]:  # "un ROAS de 0,9 sur TikTok vs 3,8 sur Google"
        names = (after[0], after[1])
    elif before and after[1] and not between:  # "TikTok a un ROAS de 0,9 contre 3,4 pour Google"
        names = (before[-1], after[1])
    elif before and between:
        names = (before[-1], between[0])
    elif len(before) == 2 and not between:
        names = (before[0], before[1])
    else:
        return False
    if names[0] == names[1]:
        return False
    first.channel, second.channel = names
    if first.measure is None:
        kind = "money" if first.unit == "€" else "percent" if first.unit == "%" else "count"
        named = measure_index(kind).find_all(words(folded[start : first.start]))
        first.measure = str(named[-1][2]) if named else None
    second.measure = second.measure or first.measure
    return True


_ON = re.compile(r"\s*(?:sur|on|for|pour|chez|via|in|en)\s+")


def _put_on(folded: str, q: Quantity, channels: Sequence[Mention]) -> str | None:
    """The channel named right after ``q`` ("0,9 sur TikTok"), or None."""
    return next(
        (c.value[0] for c in channels if _ON.fullmatch(folded[q.end : c.start])),
        None,
    )


_SLASH_HEADER = re.compile(r"([a-z][a-z' ]{1,24}?)\s*/\s*([a-z][a-z' ]{1,24}?)\s*[:(-]\s")
_KIND_OF_UNIT = {"": ("count", "ratio"), "€": ("money",), "%": ("percent",)}


def slash_pairs(folded: str, qs: list[Quantity]) -> None:
    """'spend / conversions: Google $18k / 350, Meta $12k / 190': figures written 'X / Y' after a
    header that names two measures the same way, in that sentence, take those measures in order
    (when their units fit) and the second takes the first's channel."""
    for header in _SLASH_HEADER.finditer(folded):
        stop = next((m.start() for m in _SENTENCE_END.finditer(folded, header.end())), len(folded))
        for q1, q2 in zip(qs, qs[1:]):
            if not (header.end() <= q1.start and q2.end <= stop):
                continue
            if not re.fullmatch(r"\s*/\s*", folded[q1.end : q2.start]):
                continue
            first, second = _named_for(header[1], q1, -1), _named_for(header[2], q2, 0)
            if first and second:
                for q, (measure, kind) in ((q1, first), (q2, second)):
                    q.measure = measure
                    if kind != "money" and q.unit == "€":  # "$18k / 350": the $ is the spend's
                        q.unit, q.currency = "", ""
                q2.channel = q2.channel or q1.channel


_BARE_SLASH = re.compile(r"\s*/\s*")
_NAMED_SLASH = re.compile(r"\s*[a-z][a-z' ]{1,24}?\s*/\s*")


def slash_pairs_named_once(folded: str, qs: list[Quantity]) -> None:
    """'Google €48k spend / 1,150 conversions, Meta €36k / 620, Microsoft Ads €9k / 240': the
    first 'X / Y' pair of a sentence names its two measures; the later bare pairs of that
    sentence take them in order (the count after the slash is no amount, whatever currency the
    list carried), and each second figure its first's channel. Not for A/B arms' pairs."""
    for q1, q2 in zip(qs, qs[1:]):
        named = q1.measure and q2.measure and _NAMED_SLASH.fullmatch(folded[q1.end : q2.start])
        if not named or q1.arm or q2.arm:  # an A/B arm's pair: the arms have their own rules
            continue
        stop = next((m.start() for m in _SENTENCE_END.finditer(folded, q2.end)), len(folded))
        later = [q for q in qs if q2.end < q.start and q.end <= stop]
        for a, b in zip(later, later[1:]):
            if _BARE_SLASH.fullmatch(folded[a.end : b.start]) and a.unit == q1.unit:
                a.measure, b.measure, b.channel = q1.measure, q2.measure, b.channel or a.channel
                if q2.unit == "" and b.unit == "€" and not re.search(r"[$€£]", b.raw):
                    b.unit, b.currency = "", ""
        return


def _named_for(phrase: str, q: Quantity, which: int) -> tuple[str, str] | None:
    """(measure, kind of unit) ``phrase`` names (its last one for ``which`` -1, its first for 0)
    among those that take ``q``'s unit (a count too when the currency was not written on it), or
    None."""
    kinds = _KIND_OF_UNIT.get(q.unit, ())
    if q.unit == "€" and not re.search(r"[$€£]|eur|usd|gbp", q.raw):
        kinds += _KIND_OF_UNIT[""]
    for kind in kinds:
        named = measure_index(kind).find_all(words(phrase))
        if named:
            return str(named[which][2]), kind
    return None


_PER_UNIT = re.compile(
    r"\s*(?:par|per|le|la|l'|the|a|an|/|each|chaque|pour un|pour une|for a|for an)\s*"
    r"(?:lead|conversion|vente|sale|client|customer|inscription|signup|sign-up|inscrit|install|"
    r"acquisition|commande|order|achat|purchase|mql|sql|demo|rdv)s?(?![a-z])"
)


def unit_costs(folded: str, qs: list[Quantity]) -> None:
    """An amount followed by what it buys one of ("google me coûte 22€ le lead", "$40 per
    signup", "31 € par vente") is a cost per acquisition (a CPL, a CPA), not a budget."""
    marked = None
    for q in qs:
        costs = q.unit == "€" and q.measure in (None, "budget", "amount", "spend")
        if costs and _PER_UNIT.match(folded, q.end):
            q.measure, marked = "cpa", q
        elif costs and marked and _listed_after(folded, marked, q):
            q.measure, marked = "cpa", q  # "…22€ le lead, linkedin 65€, meta 31€": the same costs
        else:
            marked = None


def _listed_after(folded: str, before: Quantity, q: Quantity) -> bool:
    """Whether ``q`` continues a list after ``before`` in its sentence: a comma or 'et'/'and',
    at most four words between them."""
    gap = folded[before.end : q.start]
    return (
        not _SENTENCE_END.search(gap)
        and bool(re.search(r",|(?<![a-z])(?:et|and)(?![a-z])", gap))
        and len(words(gap)) <= 4
    )
