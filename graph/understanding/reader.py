"""Reading one message into slots: numbers and what they measure, A/B arms, channels, dates,
delays, durations, job titles, company sizes, segments, triggers; then merging the messages of a
request, later ones overriding earlier ones and corrections ("pas 5 mais 4") replacing the
figure they name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache, partial
from itertools import takewhile

from graph.text import fold, without_that
from graph.understanding.changes import NOW_SAID, changes, series_run, was_now
from graph.understanding.channel_lists import (
    LIST_OF,
    allocations,
    channels_compared,
    shared_unit,
    slash_pairs,
    slash_pairs_named_once,
    split_shares,
    unit_costs,
)
from graph.understanding.composed import (
    average_basket,
    per_arm_product,
    shares_of_counts,
    summed,
)
from graph.understanding.dates import (
    DAY_LIST,
    JOINED,
    MONTHS,
    PAST_PERIOD,
    PAST_PERIOD_WORDS,
    find_dates,
    find_delays,
)
from graph.understanding.design import HOLDOUT, setting_spans
from graph.understanding.devices import devices_apart
from graph.understanding.entities import AUTOMATION, Mention, entity_slots, mentions
from graph.understanding.lexicon import (
    SLIP_WORDS,
    TRAFFIC_NOUNS,
    channel_index,
    cue_pattern,
    lexicon,
    measure_index,
    measure_words,
    verb_index,
    words,
)
from graph.understanding.models_stated import paired_models
from graph.understanding.numbers import Quantity, fold_map, scan, split_triples
from graph.understanding.parallel_arms import parallel_arms
from graph.understanding.pasted import header_of, type_row
from graph.understanding.priced_arms import price_arms
from graph.understanding.slots import GENERIC, GENERIC_TYPES, Slot, Understanding

_UNIT_KIND = {"": "count", "€": "money", "%": "percent", "pt": "pt", "x": "ratio", "days": "days"}
_FILLERS = frozenset(
    "de d' du des of the le la les l' l en in a at is est was were sont : = environ about around approx "
    "approximately ~ total soit avec with et and un une we on got had have eu j'ai we've ya y il "
    "for pour sur by par over ont our notre nos my mon ma mes "
    "nouveaux nouvelles new autres other respectifs respectives respectivement respective resp "
    "respectively trial qualified qualifies qualifiees paying paid free organic net unique "
    "additional extra stayed remained stays remains steady reste restee restes restent went moved grew from "
    "passe passee passes passees q1 q2 q3 q4 t1 t2 t3 t4 h1 h2 engaged engages active actifs "
    "actives valid valides them eux d'entre became become turned into devenus devenues "
    "recovered recuperes recuperees recupere recuperee won supplementaires additionnels "
    "inbound outbound entrants sortants raw bruts".split()
)  # "Budget Q3: 45k": the budget of that quarter; "2 nouvelles bannières", "400 trial signups": the noun names it; "ROAS respectifs 4,5" too;
# "spend stayed ~25k/month": the spend; "MRR went from 84k to 91k": MRR both; "30k engaged
# contacts": the list; "460 became SQLs": SQLs; "320 recovered orders", "1,500 inbound leads" too
# an arrow between two words is part of a name ("taux lead→client"), elsewhere a step's end
_BOUNDARY = re.compile(
    r"[,;!?()\[\]\n|]|\.(?:\s|$)|\s[-–—]\s|=>|(?<![a-z])(?:->|>|→)|(?:->|>|→)(?![a-z])"
)
_TAIL_STOP = re.compile(
    _BOUNDARY.pattern + r"|:|\s/\s"
)  # the words after a number also stop at ':' and ' / '
_RATIO_LINK = re.compile(
    r"^\s*(?:(?:[a-z'.]+\s+){0,2}?(?:/|sur|out of|of|from|parmi|over|on|pour|sur un total de|d'un total de)|for)\s*$"
)
_SIZE_WORDS = re.compile(
    r"(entreprise|boite|societe|company|firm|startup|start-up|scale-?up|pme|eti|organisation|org|groupe|retailer|corp|brand|"
    r"marque|enseigne|agence|agency|business|shop|saas|group|employeur|employer)"
)
_PER_DAY = re.compile(
    r"(?<![a-z])(par jour|per day|a day|/jour|/j|/day|/d|daily|quotidien\w*|journalier\w*)(?![a-z])"
)
_EVERY = re.compile(
    r"(?:^|\s)(?:tous les|toutes les|every|chaque|each|all|espaces de|espacees de|spaced|spaced by|"
    r"intervalle de)$"
)  # "un email tous les 3 jours", "3 emails espacés de 5 jours": an interval, not a total
_BETWEEN = re.compile(
    r"(?:between|entre)\s+(?:(?:each|every|chaque|deux|two|les|the|nos|our)\s+)*"
    r"(?:e-?mails?|mails?|messages?|sends?|envois?|touch\w*|relances?|steps?|etapes?|sms|each|chaque)"
    r"(?![a-z])(?!\s+(?:et|and|ou|or|&)\s)|apart\b|d'intervalle|d'ecart"
)  # "2 days between emails", "3 jours entre chaque mail", "two days apart": an interval; not
# "6 messages sur 4 semaines entre email et linkedin" (the channels it alternates)
_JOURNEY = re.compile(
    r"(?<![a-z])(?:attribution|parcours|journeys?|(?:sales|buying|b2b|decision) cycle|cycle de vente|"
    r"cycle d'achat|cycle b2b|before (?:a |the )?(?:purchase|conversion|sale|deal)|avant (?:l'|un |une |la )?"
    r"(?:achat|conversion|vente|signature))(?![a-z])"
)
_SEQUENCE = re.compile(
    r"(?<![a-z])(?:sequence|nurtur\w*|drip|relance\w*|cadence|series|serie|workflow|send\w*|envo\w*|"
    r"e-?mails?|mails?)(?![a-z])"
)  # with a journey named and no sequence, touchpoints are the journey's (attribution)
_PER_SEND = re.compile(
    r"^(?:per|par|/|each|chaque|a|l'|the)\s*(?:un |une |an? )?(?:sms|e-?mails?|mails?|envois?|sends?|"
    r"messages?|push|notifications?|contacts?|destinataires?|recipients?)(?![a-z])"
)
_PLANNED = re.compile(
    r"^(?:prevu\w*|planned|planifie\w*|plan(?:ned)? for)$"
)  # "on avait prévu 20 000 visiteurs par variante": the sample planned, not the visitors so far
_SHARE_OF = re.compile(
    r"^(?:represente\w*|represents?|accounts?|makes?|share|part|pese\w*|weighs?|drives?|brings?|"
    r"generates?|genere\w*|apporte\w*|rapporte\w*)$"
)  # "la newsletter représente 14 % du CA", "email drives 22% of revenue": a share, not a move
_OF_REVENUE = re.compile(
    r"(?:of|du|de|des)\s+(?:(?:our|the|total|notre|nos|all)\s+)?(?:(?:new|nouveau)\s+)?"
    r"(?:revenue|sales|mrr|arr|bookings|ca|chiffre d'affaires|ventes)(?![a-z])"
)  # "30% of our new MRR", "60 % du CA": a share of revenue, whatever the figure's own word
_PER_YEAR = re.compile(
    r"(?<![a-z])(par an|per year|a year|/an|/year|/yr|annuel\w*|yearly)(?![a-z])"
)
_PER_MONTH = re.compile(
    r"(?<![a-z])(par mois|per month|a month|/mois|/month|/mo|monthly|mensuel\w*)(?![a-z])"
)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    lx = lexicon()
    return {
        "control": cue_pattern(lx.arms["control"]),
        "variant": cue_pattern(lx.arms["variant"]),
        "shared": cue_pattern(lx.arms["shared"]),
        "versus": cue_pattern(lx.arms["versus"]),
        "correction": cue_pattern(lx.corrections["cues"]),
        "negation": cue_pattern(lx.corrections["negation"]),
    }


_LETTER = re.compile(
    r"(?<![\w/&'’.-])(?:(version|variante?|variant|var|groupe?|group|arm|bras|cohorte?)\s+)?([A-Ea-e])(?![\w/&'’-])"
)
_NUMBERED = re.compile(
    r"(?<![\w/])(?:version|variante?|variant|var|v|groupe?|group|bras|arm)\s*#?([1-5])(?![\d.,%]|[ \u00a0\u202f]\d{3}(?!\d))"
)

_NAMED_NUMBERED = re.compile(
    r"(?<![\w/])(?:lp|landing(?: page)?|option|crea|creative|visuel|visual|ad|annonce|headline|"
    r"hero|offre|offer|cta)\s*#?([1-5])(?![\d.,%]|[ \u00a0\u202f]\d{3}(?!\d))"
)  # versions named by what they are, numbered: arms when two numbers or more are named


def numbered_arm(folded: str, request: str) -> str | None:
    """The arm letter of a version a follow-up names by its number ("et si LP2 n'avait eu que
    270 leads ?": B) when the folded ``request`` named it too; None otherwise."""
    for m in (*_NUMBERED.finditer(folded), *_NAMED_NUMBERED.finditer(folded)):
        if re.search(rf"(?<![\w/]){re.escape(m[0])}(?!\d)", request):
            return "ABCDE"[int(m[1]) - 1]
    return None


# "control + 2)", "control and 3 variants": the design; not "control with 8k users"
_PLUS_VARIANTS = re.compile(
    r"\s*(?:\+|plus|and|et|with|avec)\s*\d+\s*(?:\)|$|(?:new |nouvelles? |autres? |other )?"
    r"(?:variant\w*|versions?|challengers?|arms?|bras|headlines?|designs?|titres?))"
)


def _arms(
    line: str, folded: str, where: list[int], earlier: bool = False
) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Arm markers of a line ('A :', 'version B', 'variante 2', 'contrôle', 'variant'), in folded
    coordinates, and the spans of the digits inside them (not quantities). A capital letter alone
    ('B converts at 3.3 %') names an arm only when another arm is named in the line; 'control'
    or 'variant' alone only when an earlier message of the request named arms (``earlier``)."""
    folded_at = {orig: i for i, orig in reversed(list(enumerate(where)))}
    sure, loose = [], []
    for m in _LETTER.finditer(line):
        keyword, letter = m.group(1), m.group(2)
        mention = Mention(
            folded_at[m.start()], folded_at[m.end() - 1] + 1, letter.upper(), m.group(0)
        )
        if keyword or (
            # "A (…)", "A « -20 % ce week-end » → 15 000 envois": a label then the arm's copy
            letter.isupper()
            and re.match(r"\s*(?:[:=)\-–(«“]|[$€£]?\d)", line[m.end() : m.end() + 4])
        ):
            sure.append(mention)
        elif letter.isupper():
            loose.append(mention)
    lettered = len({m.value for m in sure + loose}) >= 2 or (earlier and loose)
    found = sure + (loose if lettered else [])
    masks = []
    labelled = list(_NUMBERED.finditer(folded))
    named = list(_NAMED_NUMBERED.finditer(folded))
    if len({m.group(1) for m in named}) >= 2:  # "LP1 … LP2 …", "crea 1 … crea 2": one label each
        labelled += named
    for m in labelled:
        found.append(Mention(m.start(), m.end(), "ABCDE"[int(m.group(1)) - 1], m.group(0)))
        masks.append((m.start(1), m.end(1)))
    p = _patterns()
    taken = [(m.start, m.end) for m in found]
    words_found = []
    for kind, label in (("control", "A"), ("variant", "B")):
        for m in p[kind].finditer(folded):
            if any(a < m.end() + 3 and m.start() < b for a, b in taken):
                continue  # "variante B", "variant 2": the letter names it
            if m.group(0) == "test" and not re.match(
                r"\s*(?:[:=]\s*)?\d", folded[m.end() : m.end() + 6]
            ):
                continue  # "test" names an arm only as "test : 262/9100"
            if re.search(r"\d-$", folded[max(0, m.start() - 2) : m.start()]) or (
                kind == "control" and _PLUS_VARIANTS.match(folded, m.end())
            ):
                continue  # "a 3-variant test (control + 2)": the design, no arm's figures
            words_found.append(Mention(m.start(), m.end(), label, m.group(0)))
    if {m.value for m in words_found} == {"A"} and not found:
        # "the control converted at 4.2% … and the new pricing page at 3.6%": the new thing is B
        new = next((m for m in _NEW_THING.finditer(folded) if m.start() > words_found[0].end), None)
        if new is not None:
            words_found.append(Mention(new.start(), new.end(), "B", new.group(0)))
    # "variant" or "control" alone is a word of the request ("la variante fait +12 %"), not an arm
    if len({m.value for m in words_found + found}) >= 2 or (earlier and words_found):
        found += words_found
    elif not lettered and len({m.value for m in words_found + loose}) >= 2:
        found += loose + words_found  # "B converts at 1.2% vs 3.1% for control"
    return sorted(found or _with_and_without(folded), key=lambda m: m.start), masks


_WITH = re.compile(r"(?<![a-z])(?:with|avec)(?![a-z])")
_WITHOUT = re.compile(r"(?<![a-z])(?:without|sans)(?![a-z])")
_A_TEST = re.compile(r"(?<![a-z])(?:a/b|ab|tests?|testes?|significa\w*|split)(?![a-z])")


def _with_and_without(folded: str) -> list[Mention]:
    """The arms of a test named by what one has and the other lacks ("subject with emoji 18.4%
    open on 20k, without 17.9% on 20k", "avec vidéo … sans vidéo"): the version with it is
    the variant (B), the one without the control (A); [] unless the message is about a test and
    says both, each before a figure."""
    if not _A_TEST.search(folded):
        return []
    arms = []
    for pattern, label in ((_WITH, "B"), (_WITHOUT, "A")):
        said = next(
            (m for m in pattern.finditer(folded) if _FIGURE_AHEAD.match(folded, m.end())), None
        )
        if said is None:
            return []
        arms.append(Mention(said.start(), said.end(), label, said.group(0)))
    return arms


_FIGURE_AHEAD = re.compile(r"[^.;!?\d]{0,30}\d")  # "with emoji 18.4%": a figure follows soon


def _strip_fillers(tokens: list[str], front: bool) -> list[str]:
    """``tokens`` less their filler words at the front (or at the end): "revenue per trial is
    about" -> "revenue per"; the name before a number is looked for at each stage of that."""
    tokens = list(tokens)
    # "$59/mo plan": a per-period suffix ('/mo') before the noun is no name either
    while tokens and ((end := tokens[0] if front else tokens[-1]) in _FILLERS or end[0] == "/"):
        tokens.pop(0 if front else -1)
    return tokens


_PERIOD_NOUNS = frozenset("semaine mois trimestre annee jour week month quarter year day".split())
_PERIOD_QUALIFIERS = frozenset(
    "derniere dernier passee passe precedente precedent cette ce cet last previous prior this "
    "current courant courante en cours".split()
)


def _without_period(before: list[str]) -> list[list[str]]:
    """``before`` without the period that closes it ("CA de la semaine dernière 84 000 €",
    "revenue last month $84k"): the measure named before the period names the figure; [] when
    no period closes it."""
    tokens, nouns = list(before), 0
    while tokens and (tokens[-1] in _PERIOD_QUALIFIERS | _PERIOD_NOUNS or tokens[-1] in _FILLERS):
        nouns += tokens.pop() in _PERIOD_NOUNS
    return [_strip_fillers(tokens, False)] if nouns and tokens else []


_TRAFFIC_NOUN = re.compile(TRAFFIC_NOUNS)


def _bare_period(measure: str, used: list[str]) -> bool:
    """True when ``measure`` is traffic per day or month read from a period alone ('/mois', 'per
    month'), no traffic word with it: the words before the number name what it counts."""
    return measure in ("daily_traffic", "monthly_traffic") and not _TRAFFIC_NOUN.search(
        " ".join(used)
    )


_MODEL_CLICKS = {
    (a, b) for a in ("last", "first", "dernier", "premier") for b in ("click", "clic", "clics")
}  # attribution models named with a space ("last click"), not a count of clicks


def _name(
    q: Quantity, before: list[str], after: list[str], runs_on: bool
) -> tuple[str | None, int, int]:
    """(measure, strength, words used after the number) of a number, from the words after it
    ('312 conversions'), else before it ('CA 64 800 €', 'taux de conv de 3 %'), else a verb or a
    measure word among the few words before it ('dépensé 18 200 €'). When labels come first
    ('mean $52.40 sd $30.10 n=2100': ``runs_on``, the words after a number run into the next
    one), the word before wins. Strength 3, 2, 1; 0 when no word names it."""
    kinds = {
        "": ("count", "money", "ratio"),
        "€": ("money",),
        "%": ("percent",),
        "pt": ("percent",),
        "x": ("ratio",),
        "days": (),
    }[q.unit]
    after_hit = None
    before_hit: str | None = None
    before_len = 0
    # "churn 4 % et la marge brute de 70 %": words after a conjunction name the next figure
    linked = bool(after[:1]) and after[0] in ("et", "and", "ou", "or", "mais", "but")
    stripped = len(after) - len(_strip_fillers(after, True))
    after_cuts = [] if linked else [after[n:] for n in range(stripped + 1)]
    before_cuts = [
        before[:n] for n in range(len(before), len(_strip_fillers(before, False)) - 1, -1)
    ] + _without_period(before)
    for unit in kinds:
        for cut in after_cuts:
            hit = measure_index(unit).prefix(cut[:4])
            if hit and _introduces_next(after, len(after) - len(cut), hit[1], runs_on):
                continue  # "6 000 €/mois avec un CPA de 40 €": the CPA is the next figure's
            if hit and _plausible(hit[0], q) and after_hit is None:
                after_hit = hit[0], hit[1] + len(after) - len(cut)
        for cut in before_cuts:
            if tuple(cut[-2:]) in _MODEL_CLICKS:
                continue  # "conversions en last click : SEA 420": a model's name, not clicks
            hit = measure_index(unit).suffix(cut[-5:])
            # the longest name wins across units: "budget mensuel 40k" is a budget, not "mensuel" traffic
            if hit and _plausible(hit[0], q) and hit[1] > before_len:
                before_hit, before_len = hit[0], hit[1]
    if before_hit and after_hit and _bare_period(after_hit[0], after[: after_hit[1]]):
        return before_hit, 2, 0  # "budget 12k/mois": a monthly budget, not traffic
    if before_hit in _REVENUE_PER and after_hit and after_hit[0] == "revenue":
        return before_hit, 2, after_hit[1]  # "each trial is worth $90 in revenue": per trial
    if after_hit and not (before_hit and runs_on and after_hit[1] == len(after)):
        return after_hit[0], 3, after_hit[1]
    if before_hit:
        return before_hit, 2, 0
    for unit in kinds:
        for i in range(len(before) - 1, max(-1, len(before) - 5), -1):
            hit = verb_index(unit).prefix(before[i:]) or (
                measure_index(unit).prefix(before[i:])
                if unit in ("percent", "money") and q.unit
                else None
            )
            if hit and _plausible(hit[0], q):
                return hit[0], 1, 0
    return None, 0, 0


_ARTICLES = frozenset("un une a an the le la".split())
_LINKS = frozenset("de d' du of a at is est = :".split())


def _introduces_next(after: list[str], start: int, used: int, runs_on: bool) -> bool:
    """Whether a measure named after a number, with an article before it and only a link after
    it up to the next number ("… avec un CPA de 40 €", "with a CPA of $40"), names that next
    number rather than this one."""
    rest = after[start + used :]
    return (
        runs_on
        and 0 < start
        and after[start - 1] in _ARTICLES
        and 0 < len(rest) <= 1
        and all(w in _LINKS for w in rest)
    )


_REVENUE_PER = ("conversion_value", "arpu", "aov", "ltv")  # revenue of one unit, named before


_BARE_MONEY = (
    "spend",
    "budget",
    "revenue",
    "mrr",
    "new_mrr",
    "churned_mrr",
    "arpu",
    "ltv",
    "sd",
    "mean",
    "cpa",
    "cpc",
    "cpm",
)  # a bare number is money only for these ("CA 64 800", "sd 8.4", "google (cpa 35)")


def _plausible(name: str, q: Quantity) -> bool:
    """Whether ``q`` can be the measure ``name``: within its range, and money only with a
    currency unless the measure is one of _BARE_MONEY; a type the lexicon does not list (a change,
    an interval) is always plausible."""
    measure = lexicon().measures.get(name)
    if measure is None:
        return True
    if measure.range and not measure.range[0] <= abs(q.value) <= measure.range[1]:
        return False
    return not (
        measure.unit == "money" and q.unit == "" and (q.value < 1 or name not in _BARE_MONEY)
    )


def _contexts(
    folded: str, qs: list[Quantity], cuts: list[int], ignore: set[str]
) -> list[tuple[list[str], list[str], bool, bool]]:
    """For each number: the words before it (from its clause, after the previous number), the
    words after it (up to the next number or punctuation), whether the words before start right
    after the previous number, and whether the words after run into the next number. Channel
    names (``ignore``) are left out, except the first word after the number ("2 bannières")."""
    out = []
    for i, q in enumerate(qs):
        lo = max([qs[i - 1].end if i else 0] + [c for c in cuts if c <= q.start])
        clause = folded[lo : q.start]
        bound = list(_BOUNDARY.finditer(clause))
        joined = bool(i) and lo == qs[i - 1].end and not bound
        if bound:
            clause = clause[bound[-1].end() :]
        nxt = qs[i + 1].start if i + 1 < len(qs) else len(folded)
        hi = min([nxt] + [c for c in cuts if c > q.end])
        tail = folded[q.end : hi]
        stop = _TAIL_STOP.search(tail)
        before = [w for w in words(_MODEL_NAMES.sub(" ", clause)) if w not in ignore]
        said = words(_MODEL_NAMES.sub(" ", tail[: stop.start()] if stop else tail))
        head = next((w for w in said if w not in _FILLERS), None)
        # "2 nouvelles bannières": a channel word right after the number is what it counts
        after = [w for w in said if w not in ignore or w == head]
        out.append(
            (
                before[-6:] if not joined else before,
                after[:5],
                joined,
                stop is None and hi == nxt and i + 1 < len(qs),
            )
        )
    return out


# attribution models: "ROAS dernier clic 0,6" is a ROAS, "last-click" names no clicks
_MODEL_NAMES = re.compile(
    r"(?<![a-z])(?:last|first|dernier|premier)[ -]?(?:click|clic|touch)s?(?![a-z])"
)
# "demo page 80 MQL": a number a count noun follows counts them, it numbers no page
_COUNT_NOUN = r"(?:mqls?|sqls?|leads?|signups?|inscrits|orders?|commandes?|ventes?|sales)(?![a-z])"
_ORDINAL = re.compile(
    r"(?<![a-z/])(?:day|jour|semaine|week|mois|month|etape|step|niveau|level|top|fortune|cac|sbf|rang|rank|page|slide)\s?#?(\d{1,3})(?![\d%]|\s%|[,.]\d|\s?[km€$£](?![a-z])|\s\d{3}(?!\d|\s?%)|\s+"
    + _COUNT_NOUN
    + r")|(?<![\d/.,])(\d{1,2}/\d{1,2}/\d{1,2})(?![\d/])|\b[jd]\s?\+\s?(0)\b"
)  # "day 4", "Fortune 500", ICE "8/6/5", "D+0"; not "last week 79k", "week 41 000", "19€/mois 4 %"
# "email 1 open 58%", "mail 2 : 41 % d'ouverture": a flow's message by its number, then its rates
_ITEM_NUMBER = re.compile(
    r"(?<![a-z])(?:e-?mail|mail|relance|message|touch|etape|step)\s?#?([1-9]|1\d|20)(?!\d|[.,]\d)"
    r"(?=\s*[:(,-]?\s*(?:open\w*|ouvert\w*|click\w*|clic\w*|ctr|taux|rate|\d+(?:[.,]\d+)?\s*%))"
)


def _label_spans(folded: str, ages: list[re.Match]) -> list[tuple[int, int]]:
    """The spans of numbers that label something rather than measure it: ordinals ("day 4",
    "Fortune 500"), age ranges and a flow's messages by their number ("email 1 open 58%")."""
    spans = [(m.start(), m.end()) for m in [*_ORDINAL.finditer(folded), *ages]]
    return spans + [(m.start(1), m.end(1)) for m in _ITEM_NUMBER.finditer(folded)]


_YEAR = re.compile(r"20[1-4]\d")
_MOVED = re.compile(
    r"(?<![a-z])(up|down|lifted|dropped|rose|fell|grew|increased|decreased|hausse|baisse|augmente\w*|baisse\w*|"
    r"chute\w*|progresse\w*|recule\w*|gagne|perd|perdre|perdu|gagner|grimpe\w*)(?![a-z])"
)
_BUDGET_CONTEXT = re.compile(
    r"(?<![a-z])(budget|enveloppe|repart\w*|ventil\w*|allou\w*|allocat\w*|split|across|campagne|campaign|lancement|launch|"
    r"plan|planning|soldes|sale|promo|flash|trimestre|quarter|canaux|channels|flight|brief|kick-?off|"
    r"entre|between|mettre|put)(?![a-z])|(?:pour|for)\s+(?:le |la |the )?(?:[qt][1-4]|h[12])(?![a-z0-9])"
)  # "j'ai 45k€ pour Q2": money for a quarter is its budget


def read(
    line: str, today: date | None = None, context: str = "", earlier_arms: bool = False
) -> tuple[list[Slot], bool, list[float]]:
    """The slots of one message, whether it corrects an earlier figure, and the old values it
    names ('pas 5' -> [5.0]). ``context``: the folded request the message belongs to (what it is
    about: automation, personalisation, a campaign), the message itself by default;
    ``earlier_arms``: an earlier message named A/B arms."""
    folded, where = fold_map(without_that(line))  # the same length: ``where`` maps to ``line``
    folded = split_triples(folded)  # "(8,5,4)": three ICE scores
    context = context or folded
    p = _patterns()

    def evidence(a: int, b: int) -> str:
        return line[where[a] : where[min(b, len(where) - 1)]].strip()

    dates, delays = _dates_of(folded, today, context), find_delays(folded)
    arms, arm_masks = _arm_names(line, folded, where, earlier_arms)
    masked = [(h.start, h.end) for h in dates] + [(d.start, d.end) for d in delays] + arm_masks
    masked += [(m.start(), m.end()) for m in DAY_LIST.finditer(folded)]  # "day 0" of "day 0, 2, 5"
    masked += _copy_quoted(folded)
    ages = list(_ages(folded))
    masked += _label_spans(folded, ages)
    qs = per_arm_product(folded, scan(folded, masked), bool(arms))
    shared_unit(folded, qs)
    channels = _channels(folded)
    qs = _word_shares(
        folded, _echoes(folded, summed(folded, _named(folded, context, qs, arms, channels)))
    )
    shares_of_counts(folded, qs)
    split_shares(folded, qs)
    _ratios(folded, qs)
    _from_to(folded, qs)
    _planned_move(folded, qs)
    _bracketed_moves(folded, qs)
    _assign_arms(folded, qs, arms, channels)
    _pairs_to_arms(folded, qs, arms)
    _bracketed_previous(folded, qs)
    _arm_header(folded, qs, arms)
    _repeated_groups(folded, qs)
    qs = _whole_revenue(folded, _arms_by_form(folded, qs, arms))
    _holdout_split(folded, qs)
    _before_after(folded, qs)
    _money_by_channel(folded, context, qs, channels)
    _inherit(folded, qs, {c.start for c in channels})
    _labelled_groups(folded, qs, evidence)
    channels = _listed_names(folded, qs, evidence, channels)
    _measures_in_context(folded, qs)
    olds = _negated(folded, qs)
    correction = bool(olds) or bool(p["correction"].search(folded))
    slots = [
        Slot(
            type=q.measure or ("change" if q.unit == "%" and q.signed else GENERIC[q.unit]),
            value=q.value,
            unit=q.unit,
            arm=q.arm,
            channel=q.channel,
            currency=q.currency,
            start=q.start,
            end=q.end,
            evidence=evidence(q.start, q.end),
        )
        for q in qs
        if not q.negated
    ]
    _named_runs(folded, slots)
    slots += entity_slots(folded, context, channels, dates, delays, evidence)
    slots += _age_segments(ages, slots, evidence)
    return sorted(slots, key=lambda s: s.start), correction, olds


def _shared_noun(folded: str, qs: list[Quantity]) -> None:
    """Two numbers of one unit joined by "et"/"and", the second named by the noun after it and the
    first by none ("205 et 164 abonnements", "210 and 260 signups"): the noun names both."""
    for q1, q2 in zip(qs, qs[1:]):
        if (
            q1.measure is None
            and q2.measure
            and q2.strength == 3
            and q1.unit == q2.unit
            and JOINED.fullmatch(folded[q1.end : q2.start])
        ):
            q1.measure, q1.strength = q2.measure, q2.strength


def _pairs_to_arms(folded: str, qs: list[Quantity], arms: list[Mention]) -> None:
    """Two figures of one measure joined by "et"/"and" in a test of two arms ("A et B ont eu 5 000
    visiteurs chacun, 210 et 260 conversions", "19 €/mois vs 24 €/mois … 205 et 164
    abonnements"): the first is A's, the second B's, whatever arm was named last before them."""
    labels = sorted({str(m.value) for m in arms} | {q.arm for q in qs if q.arm not in (None, "*")})
    if len(labels) != 2:
        return
    for q1, q2 in zip(qs, qs[1:]):
        if (
            q1.measure
            and q1.measure == q2.measure
            and q1.arm == q2.arm != "*"
            and JOINED.fullmatch(folded[q1.end : q2.start])
        ):
            q1.arm, q2.arm = labels


_SHARE_WORDS = {
    "half": 50.0,
    "moitie": 50.0,
    "third": 100 / 3,
    "tiers": 100 / 3,
    "quarter": 25.0,
    "quart": 25.0,
}
_WORD_SHARE = re.compile(
    r"(?<![a-z])(?:(?:a|one|un|une|la)\s+)?(half|moitie|third|tiers|quarter|quart)\s+"
    r"(?:of\s+(?:the\s+|our\s+)?|du\s+|des\s+|de\s+(?:notre\s+|nos\s+)?)"
    r"(?=them|eux|traffic|trafic|visit\w*|users|sessions|utilisateurs)"
)


def _settings(folded: str, qs: list[Quantity]) -> None:
    """A figure that says how a test is computed ("80% power", "alpha 1 %", "à 99 % de
    confiance") is a ``test_setting``, never a rate of the page: a later "and with 90% power?"
    is not the level a what-if sets (graph.understanding.design reads its value)."""
    spans = setting_spans(folded)
    for q in qs:
        if any(a <= q.start < b for a, b in spans):
            q.measure, q.arm, q.channel = "test_setting", None, None


def _word_shares(folded: str, qs: list[Quantity]) -> list[Quantity]:
    """``qs`` with the shares of the traffic said in words beside a traffic figure ("9k
    visitors a day but only want to expose half of them", "la moitié du trafic"): traffic shares
    (50 %, 33.3 %, 25 %), in the order of the text."""
    if not any(q.measure in ("daily_traffic", "monthly_traffic", "visitors") for q in qs):
        return qs
    said = [
        Quantity(_SHARE_WORDS[m[1]], "%", m.start(), m.end(), measure="traffic_share")
        for m in _WORD_SHARE.finditer(folded)
    ]
    return sorted(qs + said, key=lambda q: q.start)


# the whole revenue said in words: "ça touche tout le CA e-commerce", "it affects all our revenue"
_WHOLE_REVENUE = re.compile(
    r"(?<![a-z])(?:tout|toute|toutes|l'ensemble d[ue]s?|la totalite d[ue]s?|all(?: of)?|the whole|"
    r"the entire|entire|whole)\s+(?:(?:le|la|les|l'|notre|nos|our|the)\s*)?(?:ca|chiffre d'affaires|"
    r"revenue|revenus?|sales|ventes|mrr|arr)(?![a-z])"
    r"(?!\s+(?:channels?|teams?|reps?|force|funnel|pages?|cycles?|calls?|canaux|equipes?))"
)  # "all sales channels", "toute l'équipe des ventes": no revenue named


def _whole_revenue(folded: str, qs: list[Quantity]) -> list[Quantity]:
    """``qs`` with a revenue share of 100 % when a test's message says what it changes carries the
    whole revenue ("on passe B en prod ? ça touche tout le CA e-commerce", "all our revenue goes
    through this checkout"): the conversion lift is then the revenue move the revenue-impact rule
    reads (performance seed). Unchanged without arms, or with a revenue share given as a figure."""
    said = _WHOLE_REVENUE.search(folded)
    if not any(q.arm for q in qs) or said is None or any(q.measure == "revenue_share" for q in qs):
        return qs
    whole = Quantity(100.0, "%", said.start(), said.end(), measure="revenue_share")
    return sorted([*qs, whole], key=lambda q: q.start)


# the count a rate was measured on: "2,8 % (41 000 sessions)", "3.9% on 22,000", "5 % sur 9 000"
_BASE_LINK = re.compile(r"\s*\(\s*|\s+(?:on|sur|of|de|out of|over)\s+")


def _rate_bases(folded: str, qs: list[Quantity]) -> None:
    """A count right after a rate, in brackets or after "on"/"sur", is what the rate was measured
    on: it takes the rate's channel, and the measure the first such count names ("SEO 2,8 %
    (41 000 sessions), SEA 3,9 % (22 000)": 22 000 sessions of SEA)."""
    bases = [
        (rate, base)
        for rate, base in zip(qs, qs[1:])
        if rate.unit == "%"
        and base.unit == ""
        and base.value >= 100
        and base.arm is None
        and _BASE_LINK.fullmatch(folded[rate.end : base.start])
    ]
    named = next((b.measure for _, b in bases if b.measure not in (None, "count")), None)
    if len(bases) < 2 or named is None:
        return
    for rate, base in bases:
        base.channel = base.channel or rate.channel
        if base.measure in (None, "count"):
            base.measure = named


def _measures_in_context(folded: str, qs: list[Quantity]) -> None:
    """The measures a figure's context settles once its arm and channel are known: the counts
    rates were measured on, an average basket, a goal, days out of a period, a subscription
    price, a rollout share, an inactivity, then each figure's last checks (:func:`_settle`); last,
    the test's settings (:func:`_settings`)."""
    _rate_bases(folded, qs)
    average_basket(folded, qs)
    _goals(folded, qs)
    _days_out_of(folded, qs)
    _subscription_price(folded, qs)
    _rollout(folded, qs)
    _inactivity(folded, qs)
    for q in qs:
        _settle(q)
    _settings(folded, qs)


def _echoes(folded: str, qs: list[Quantity]) -> list[Quantity]:
    """``qs`` less the bare numbers that name an amount given earlier ("29€/mois … 35€/mois … on
    passe à 35 ?": the price chosen, not 35 conversions)."""
    priced, kept = set(), []
    for q in qs:
        if q.unit == "€":
            priced.add(q.value)
        chosen = _CHOICE.search(folded[max(0, q.start - 25) : q.start])
        if not (chosen and q.unit == "" and q.measure in (None, "count") and q.value in priced):
            kept.append(q)
    return kept


# a choice between options named by their amount: "on passe à 35 ?", "should we go with 24?"
_CHOICE = re.compile(
    r"(?<![a-z])(?:pass\w*|go(?:ing)? (?:with|for)|switch\w* to|move to|pick|choos\w*|chois\w*|"
    r"gard\w*|keep|prend\w*|take|retien\w*|stay at|rest\w* a|opt for)\s+(?:a |à |to |at |the |le |la )?$"
)


def _named_runs(folded: str, slots: list[Slot]) -> None:
    """Figures no word names that take the measure their sentence or clause names: a series
    period by period (:func:`_named_series`), two figures said to move (:func:`_named_moves`)."""
    _named_series(folded, slots)
    _named_moves(folded, slots)


def _named_series(folded: str, slots: list[Slot]) -> None:
    """'ROAS last 3 months: jan 3.8, feb 3.1': a figure given period by period is the measure its
    sentence names, for each period (graph.understanding.changes.series_run)."""
    if series := series_run(folded, slots):
        for s in series[1]:
            s.type = series[0] if s.generic else s.type


def _named_moves(folded: str, slots: list[Slot]) -> None:
    """'désinscriptions multipliées par 5 (0,3 % → 1,6 %)': two figures no word names, said to
    move, are the measure their clause names (graph.understanding.changes)."""
    numeric = [s for s in slots if isinstance(s.value, float)]
    for move in changes(folded, numeric, {}):
        start = folded.find(move.evidence)
        if move.measure in GENERIC_TYPES or start < 0:
            continue
        for s in numeric:
            if s.generic and start <= s.start < start + len(move.evidence):
                s.type = move.measure


_TO_REACH = re.compile(
    r"(?<![a-z])(see|reach|hit|get to|target|goal|objectif|cible|voir|atteindre|passer a|viser|vise)\W*$"
)


def _fractions(folded: str, qs: list[Quantity]) -> None:
    """'CVR 0.035 on the checkout, we want to see 0.04': a rate written as a share (0-1, two
    decimals or more, no unit) after a rate's name is that rate in % (3.5 %); a share after it
    with a cue to reach it is the rate to reach (4 %). "CTR 0.8" stays as written: it is more
    likely 0.8 % with the sign left out than 80 %."""
    rate: Quantity | None = None
    for q in qs:
        # a fraction of a visitor is no traffic: "churn 0.02 per month" is a rate
        if q.unit or q.measure not in _BARE or not _SHARE.fullmatch(q.raw.strip()):
            continue
        before = _strip_fillers(words(folded[max(0, q.start - 30) : q.start]), False)
        named = measure_index("percent").suffix(before[-5:]) if before else None
        if named and named[0] != "mde":
            q.measure = str(named[0])
        elif rate is not None and _TO_REACH.search(folded[rate.end : q.start]):
            q.measure = "target_rate"
        else:
            continue
        q.value, q.unit = round(q.value * 100, 9), "%"
        rate = rate or q


_BARE = (None, "count", "daily_traffic", "monthly_traffic")
_SHARE = re.compile(r"0?[.,]\d{2,}")  # "0.035", ".04"


def _arms_by_form(folded: str, qs: list[Quantity], arms: list[Mention]) -> list[Quantity]:
    """Arms read from how the figures are written rather than from markers: a pair after a pair
    of arm names ("control vs variant: 3.1% vs 3.5%"), a rate that moves
    in a per-arm test (control then variant), arms named by their price, two runs of the same
    measures one after the other (graph.understanding.priced_arms, parallel_arms), another
    measure moving beside the arms' rates; none in
    counts paired under two attribution models (graph.understanding.models_stated)."""
    _named_pair(folded, qs, arms)
    _moved_arms(folded, qs)
    qs = price_arms(folded, qs)
    parallel_arms(folded, qs)
    _moved_beside_arms(folded, qs)
    if paired_models(folded):  # "meta 180 / 260" under two attribution models: no A/B arms
        for q in qs:
            q.arm = None
    return qs


def _named_pair(folded: str, qs: list[Quantity], arms: list[Mention]) -> None:
    """ "control vs variant: 3.1% vs 3.5%": two figures compared right after two arm names
    compared take the arms in the order named."""
    versus = _patterns()["versus"]
    for a1, a2 in zip(arms, arms[1:]):
        if a1.value == a2.value or not versus.fullmatch(folded[a1.end : a2.start].strip()):
            continue
        after = [q for q in qs if q.start >= a2.end][:2]
        if len(after) == 2 and folded[a2.end : after[0].start].strip() == ":":
            if versus.search(folded[after[0].end : after[1].start]):
                after[0].arm, after[1].arm = a1.value, a2.value


def _money_by_channel(
    folded: str, context: str, qs: list[Quantity], channels: list[Mention]
) -> None:
    """The budget and the figures of each channel: allocations listed with their channels
    (graph.understanding.channel_lists), a budget to split, then the channel each figure names."""
    money_context = bool(_BUDGET_CONTEXT.search(context)) or any(q.unit == "€" for q in qs)
    slash_pairs(folded, qs)
    slash_pairs_named_once(folded, qs)
    unit_costs(folded, qs)
    allocations(folded, qs, channels, money_context)
    _budget(folded, context, qs)
    _channel_budget(folded, qs, channels)
    _assign_channels(folded, qs, channels)
    _channel_header(folded, qs, channels)
    _respectively(folded, qs, channels)
    _spend_then_revenue(folded, qs)
    _spent_also(folded, qs)


_AGE_RANGE = re.compile(
    r"(?<![\d.,/-])(1[3-9]|[2-9]\d)\s*(?:-|–|a|to)\s*(1[4-9]|[2-9]\d)"
    r"(?:\s*(?:ans|years?(?:\s*old)?|yo|y/o)\b)?(?![\d%/-]|[.,]\d)"
)
_SIZE_RANGE = re.compile(
    r"(?<![\d.,/-])\d{1,3}(?:[ ,.]?\d{3})*k?\s*(?:-|–|a|to|and|et)\s*\d{1,3}(?:[ ,.]?\d{3})*k?\+?\s*"
    r"(?:salaries|employes|employees|collaborateurs|fte|people|personnes)(?![a-z])"
)
_AUDIENCE = re.compile(
    r"\b(?:cible\w*|target\w*|audience\w*|femmes|hommes|clientes?|clients|ages?|personnes|"
    r"people|users|women|men|adults|adultes|jeunes|seniors|professionals|professionnels|cadres|"
    r"parents|students|etudiants|millennials|shoppers|acheteu\w+|buyers)\W+(?:\w+\W+)?$"
)


def _age_segments(ages, slots: list[Slot], evidence) -> list[Slot]:
    """The segment slots of the age ranges ``ages`` (matches of _ages) that no segment of
    ``slots`` already holds ("cadres 30-45 ans": named with its ages)."""
    named = [s for s in slots if s.type == "segment"]
    return [
        _age_segment(m, evidence(m.start(), m.end()))
        for m in ages
        if not any(s.start <= m.start() and m.end() <= s.end for s in named)
    ]


def _age_segment(match: re.Match, written: str) -> Slot:
    """The segment slot of an age range found by _ages, as the user wrote it."""
    return Slot(
        type="segment", value=written, start=match.start(), end=match.end(), evidence=written
    )


def _ages(folded: str):
    """Age ranges ("clientes 25-45", "femmes 25-45 ans", "18-24 yo") and company size ranges
    ("companies of 200-5000 employees", "de 50 à 500 salariés"): a segment of the audience, not
    two figures (nor a lead's company size). A range counts as ages when years follow it or an
    audience word (cible, femmes, users…) comes just before it."""
    for m in _AGE_RANGE.finditer(folded):
        years = m.group(0).rstrip()[-1].isalpha()
        if int(m[1]) < int(m[2]) and (
            years or _AUDIENCE.search(folded[max(0, m.start() - 30) : m.start()])
        ):
            yield m
    yield from _SIZE_RANGE.finditer(folded)


def _named(
    folded: str, context: str, qs: list[Quantity], arms: list[Mention], channels: list[Mention]
) -> list[Quantity]:
    """``qs`` with the measure the words around each give it (graph.understanding.lexicon), years
    dropped, and '*' as the arm of a figure given for every arm ('15k visiteurs chacun')."""
    channel_words = {w for c in channels for w in words(c.text)}
    cuts = sorted({m.end for m in arms} | {m.start for m in arms})
    consumed, kept, priced = 0, [], False
    for i, (q, (before, after, joined, runs_on)) in enumerate(
        zip(qs, _contexts(folded, qs, cuts, channel_words))
    ):
        if joined:
            before = before[consumed:]
        if priced and before[:1] and before[0] in _PRICE_PERIODS:
            before = before[1:]  # "A à 29 €/mois 4 100 visiteurs": the month is the price's
        priced = q.unit == "€" and after[:1] != [] and after[0] in _PRICE_PERIODS
        before = before[-6:]
        q.measure, q.strength, consumed = _name(q, before, after, runs_on)
        if q.measure is None and not before:  # "open rate is dropping, 19% now vs 26% …"
            q.measure = _moving(folded, q)
        if q.measure is None and q.unit == "%" and _CONVERTS_AT.search(folded[: q.start]):
            q.measure = "conversion_rate"  # "converts visitors to demo requests at 2.5%"
        if q.measure is None and _AT_LEVEL.search(folded[max(0, q.start - 20) : q.start]):
            # "what's a good churn rate …? we're at 11% monthly": the measure asked about
            q.measure = _named_last(folded[max(0, q.start - 150) : q.start], q)
        if q.unit == "" and _YEAR.fullmatch(q.raw):
            if q.strength < 3 or _year_label(folded, q, qs[i + 1 :]):
                consumed = 0  # the year took no word: "revenue" names the €182k after it
                continue  # "budget 2027", "2025 revenue €182k": a year
        kept.append(q)
        _refine(q, before, after, folded, context)
        nxt = qs[i + 1].start if i + 1 < len(qs) else len(folded)
        clause = re.split(r"[,;.!?\n]", folded[q.end : min(nxt, q.end + 40)])[0]
        around = _EACH_PERIOD.sub(" ", clause + " " + " ".join(before[-2:]))
        # "3 jours entre chaque mail": each message, "3 more orders each": each customer
        if _patterns()["shared"].search(around) and q.measure not in _NOT_PER_ARM:
            q.arm = "*"
    _fractions(folded, kept)
    _shared_noun(folded, kept)
    return kept


_NOT_PER_ARM = frozenset({"planned_sample", "interval", "repeat_orders"})


def _year_label(folded: str, q: Quantity, later: list[Quantity]) -> bool:
    """Whether ``q`` stands before the figure its measure word names ("2025 revenue €182k",
    "2026 : CA 214 k€"): a label (a year), not that measure's figure."""
    return bool(later) and bool(_LABEL_GAP.fullmatch(folded[q.end : later[0].start]))


_LABEL_GAP = re.compile(r"\s*:?\s*[a-z][a-z' ]{0,24}?\s*(?:[:=]|de|of|at|a)?\s*[€$£]?\s*")
# a verb of converting, what converts into what, then the rate: "convertit les visiteurs en
# demandes de démo à 3 %"
_CONVERTS_AT = re.compile(
    r"(?<![a-z])conver(?:ts?|ting|tit|tissent)\s+(?:[a-z'-]+\s+){1,7}(?:at|a)\s*$"
)
_AT_LEVEL = re.compile(
    r"(?<![a-z])(?:we're|we are|on est|nous sommes|on tourne)\s+(?:at|a|autour de|around)\s*$"
)
_PRICE_PERIODS = frozenset({"/mois", "/month", "/mo", "/an", "/year", "/yr", "/semaine", "/week"})
# "on envoie à 45 000 contacts chaque semaine": every period, not every arm
_EACH_PERIOD = re.compile(
    r"(?<![a-z])(?:chaque|each|every)\s+(?:semaine|mois|jour|annee|trimestre|envoi|week|month|day|"
    r"year|quarter|send|campaign|campagne|newsletter)s?(?![a-z])"
)


_MOVING_CLAUSE = re.compile(
    r"(?:is|are|a|est|sont)?\s*(?:dropping|falling|declining|rising|climbing|going (?:up|down)|"
    r"en (?:baisse|hausse|chute)|baisse|chute|grimpe|monte|descend)\s*[,:]\s*$"
)


def _moving(folded: str, q: Quantity) -> str | None:
    """The measure a clause says is moving, when the number opens the next clause ("open rate is
    dropping, 19% now vs 26%", "le taux d'ouverture est en baisse : 19 %"), or None."""
    before = folded[max(0, q.start - 60) : q.start]
    moving = _MOVING_CLAUSE.search(before)
    if not moving:
        return None
    return _named_last(re.split(r"[.!?;,:\n]", before[: moving.start()])[-1], q)


def _named_last(clause: str, q: Quantity) -> str | None:
    """The measure of ``q``'s unit that ``clause`` names last, when plausible for ``q``; None
    otherwise."""
    if q.unit not in _UNIT_KIND:
        return None
    named = measure_index(_UNIT_KIND[q.unit]).find_all(words(clause))
    return str(named[-1][2]) if named and _plausible(str(named[-1][2]), q) else None


_ACTS = frozenset(
    "demandent achetent cliquent convertissent inscrivent commandent telechargent reservent "
    "souscrivent request requests buy buys click clicks convert converts sign signs order orders "
    "download downloads book books subscribe subscribes purchase purchases start starts "
    "register registers upgrade upgrades complete completes finalisent activent demarrent "
    "commencent essaient s'inscrivent s'abonnent".split()
)  # "3.8% of visitors start a trial": a conversion rate, not a share of the traffic


_PER_YEAR_AFTER = re.compile(
    r"^(?:achats?|commandes?|purchases?|orders?|fois|times)?\s*(?:par|per|a|an|/)\s*(?:an|year|annee|yr)\b"
)
_STAYS = re.compile(r"(?:duree de vie|lifetime|lifespan|stays?|restent|reste)(?:\s+[a-z']+){0,3}$")
_YEARS = ("an", "ans", "annee", "annees", "year", "years", "yr", "yrs")


_SAME_BASKET = re.compile(
    r"(?:average order value|avg order value|aov|panier moyen|basket)\s+(?:is\s+|est\s+)?"
    r"(?:the\s+)?(?:same|identique|inchange\w*|unchanged|pareil|le meme)\s*(?:\(|:|,|at|a)?\s*[$€£]?$"
)


def _per_customer(q: Quantity, before: list[str], after: list[str]) -> None:
    """What one customer does over time: purchases a year ("2,3 achats par an", "buy 3 times a
    year") and years a customer stays ("durée de vie client 3 ans", "they stay 4 years", "a
    36-month lifetime" counted in days by the scanner): the inputs of a purchase LTV."""
    if q.unit in ("", "x") and _PER_YEAR_AFTER.match(" ".join(after)):
        q.measure, q.unit = "purchase_frequency", ""
        return
    stays = q.measure == "customer_lifetime" or _STAYS.search(" ".join(before[-4:]))
    if stays and q.unit == "" and after[:1] and after[0] in _YEARS:
        q.measure = "customer_lifetime"
    elif stays and q.unit == "days":
        q.measure, q.unit, q.value = "customer_lifetime", "", round(q.value / 360, 2)
    elif q.measure == "customer_lifetime":
        q.measure = None  # "lifetime 12": no years said


# a count, a channel and the noun of a list: "20k SMS base", "12k email list", "8 000 sms contacts"
_A_LIST = re.compile(
    r"\s*(?:sms|email|e-mail|push|whatsapp|newsletter)\s+"
    r"(?:base|list|liste|contacts|subscribers|abonnes|opt-ins)(?![a-z])"
)


def _counted(q: Quantity, after: list[str], folded: str) -> None:
    """What a bare count counts from the noun after it: versions a test compares ("2 new pricing
    page layouts", "a 3-variant test"), a headcount ("a 700-person fintech", "120 personnes" in a
    company), a sequence's messages ("a 5-email welcome series")."""
    if q.unit != "":
        return
    if q.measure in (None, "count") and _A_LIST.match(folded, q.end):
        q.measure = "list_size"  # "our 20k SMS base": who gets the sends
    if q.measure in (None, "count") and 2 <= q.value <= 10:
        if any(measure_index("count").prefix([w]) == ("variants", 1) for w in after[1:4]):
            q.measure = "variants"
    people = after[:1] and after[0] in ("personnes", "people", "persons", "person", "pers")
    # the hyphen makes a headcount of whatever noun follows
    if re.match(r"-(?:person|people)\b", folded[q.end : q.end + 8]) or (
        people and _SIZE_WORDS.search(folded[max(0, q.start - 30) : q.end + 30])
    ):
        q.measure = "company_size"
    if 1 <= q.value <= 30 and _HYPHEN_TOUCH.match(folded, q.end):
        q.measure = "touches"
    if 2 <= q.value <= 10 and _HYPHEN_ARMS.match(folded, q.end):
        q.measure = "variants"


def _refine(q: Quantity, before: list[str], after: list[str], folded: str, context: str) -> None:
    """Correct the measure a word gave ``q`` from its surroundings: people in a company size, a
    count per day or month as traffic, a sequence's touches only about automation, points after
    'score', days as a duration or an interval, a target with a sign as the effect to detect,
    conversions that moved as a change, a share of revenue as such (not a revenue
    change); money measures get the € unit."""
    _counted(q, after, folded)
    per = " ".join(after)
    if q.measure in ("visitors", "count", None) and q.unit == "" and _PER_DAY.search(per):
        q.measure = "daily_traffic"
    elif q.measure in ("visitors", "count", None) and q.unit == "" and _PER_MONTH.search(per):
        q.measure = "monthly_traffic"
    elif q.measure == "visitors" and q.unit == "" and _PER_YEAR.search(per):
        q.measure = "yearly_traffic"  # "1,2M de visiteurs par an": a deliverable's month is /12
    _per_customer(q, before, after)
    if q.unit == "€" and _SAME_BASKET.search(folded, max(0, q.start - 45), q.start):
        q.measure, q.arm = "aov", "*"  # "avg order value same ($64)": both arms' basket
    if (
        q.measure == "ltv"
        and q.unit == "€"
        and _PER_MONTH.match(folded[q.end : q.end + 12].lstrip())
    ):
        q.measure = "arpu"  # "LTV at $25/mo": what a customer pays a month, not a lifetime's worth
    after_text = folded[q.end : q.end + 40].lstrip(" €$£")
    if (
        q.unit == "€"
        and q.measure in (None, "amount", "spend", "cpa")
        and _PER_SEND.match(after_text)
    ):
        q.measure = "cost_per_send"  # "cost 0.06€ per sms", "0,004 € par email envoyé"
    if q.measure == "traffic_share" and _ACTS.intersection(after):
        q.measure = "conversion_rate"  # "2,2 % des visiteurs demandent une démo": they convert
    _sends_and_touches(q, before, after, context)
    if q.unit == "pt" and any("scor" in w for w in before[-3:]):
        q.measure = "lead_score"
    if q.unit == "days":
        spaced = _EVERY.search(" ".join(before[-2:])) or _BETWEEN.match(
            folded[q.end : q.end + 40].lstrip()
        )
        q.measure = "interval" if spaced else "duration"
        if not spaced and "cycle" in before[-4:] + after[:3]:
            q.measure = "buying_cycle"  # "a 60-day B2B cycle", "cycle de vente de 90 jours"
    if q.measure == "target_rate" and (q.unit == "pt" or q.signed):
        q.measure = "mde"  # "on vise +0,7 pt": the lift to reach, not the rate
    if (
        q.measure == "revenue_change"
        and not q.signed
        and not _MOVED.search(" ".join(before[-3:]))
        # "22% of our revenue comes from email": "of" a revenue; "a fait perdre 12 % de CA" moved
        and (any(_SHARE_OF.match(w) for w in before[-3:]) or after[:1] in (["of"], ["du"], ["des"]))
    ):
        q.measure = "revenue_share"
    if (
        q.measure != "revenue_change"  # "a fait perdre 12 % de CA": a move (above)
        and q.unit == "%"
        and not q.signed
        and _OF_REVENUE.match(" ".join(after[:5]))
    ):
        q.measure = "revenue_share"  # "trials are about 30% of our new MRR": what they weigh
    if q.measure == "conversion_rate" and _MOVED.search(" ".join(before[-3:] + after[:2])):
        q.measure = "change"  # "conversions up 20 %": how much they moved, not a rate
    if q.measure == "mean":
        q.measure = _averaged(q, before, after)
    measure = lexicon().measures.get(q.measure or "")
    if measure and measure.unit == "money":
        q.unit = "€"  # "CA 64 800": an amount even without its currency


_SENDS_NOUN = re.compile(
    r"(?:envois?|sends?|e-?mails?|mails?|campagnes?|campaigns?|newsletters?|mailings?|blasts?)$"
)


def _recent_sends(before: list[str], after: list[str]) -> bool:
    """Whether a count names the latest sends a figure covers: "over the last 4 sends", "sur les
    3 derniers envois", "les 2 dernières campagnes"."""
    if before[-1:] in (["last"], ["past"], ["previous"], ["latest"]):
        return bool(after[:1]) and bool(_SENDS_NOUN.match(after[0]))
    return after[:1] in (["derniers"], ["dernieres"], ["precedents"], ["precedentes"]) and bool(
        after[1:2] and _SENDS_NOUN.match(after[1])
    )


def _sends_and_touches(q: Quantity, before: list[str], after: list[str], context: str) -> None:
    """What messages and people a count is: a sequence's touches only about automation (a
    journey's about attribution), a send's volume after a send verb, the sample a test planned."""
    if q.unit == "" and q.value <= 50 and _recent_sends(before, after):
        q.measure = "recent_sends"  # "sur les 3 derniers envois": when, not who or how many
        return
    if q.measure == "touches" and not AUTOMATION.search(context):
        q.measure = None  # "a ouvert 5 emails": emails of a lead, not the messages of a sequence
    elif q.measure == "touches" and _JOURNEY.search(context) and not _SEQUENCE.search(context):
        q.measure = "journey_touches"  # "attribution … 7 touchpoints on average": a journey's
    if (
        q.measure in (None, "count")
        and q.unit == ""
        and q.value >= 100
        and _SENT.search(" ".join(before[-3:]))
        and after[:1]
        in (["emails"], ["mails"], ["e-mails"], ["sms"], ["messages"], ["newsletters"])
    ):
        q.measure = "list_size"  # "on a envoyé 48 000 emails": the send's volume
    if q.measure == "visitors" and any(_PLANNED.match(w) for w in before[-3:]):
        q.measure = "planned_sample"


_ON_AVERAGE = (["en", "moyenne"], ["on", "average"])


def _averaged(q: Quantity, before: list[str], after: list[str]) -> str | None:
    """The measure of a figure read as a mean when "on average" is an adverb: none for a count
    ("invite en moyenne 2,5 amis"), a conversion's value for what one is worth ("each trial is
    worth $40 on average"), else 'mean'."""
    if q.currency == "" and before[-2:] in _ON_AVERAGE:
        return None
    worth = {"worth", "vaut", "valent", "rapporte", "rapportent"} & set(before[-4:])
    return "conversion_value" if worth and after[:2] in _ON_AVERAGE else "mean"


_SENT = re.compile(r"(?<![a-z])(?:envoye\w*|sent|sending|envoi de|routed|shipped|blasted)$")
_HYPHEN_ARMS = re.compile(r"-(?:variants?|arms?|way|cells?|versions?|variantes?|bras)(?![a-z])")
_HYPHEN_TOUCH = re.compile(r"-(?:e-?mail|mail|step|touch|message|etape|relance|sms)s?(?![a-z])")
_GOAL = re.compile(
    r"(?<![a-z])(objectifs?|target\w*|goals?|cible|visee?|vise|on vise|aim\w*)(?![a-z])"
)
_REACH = re.compile(
    r"(?<![a-z])(objectifs?|target\w*|goals?|cible|vise|aim\w*|hits?|reach\w*|atteint|atteindre|get to|"
    r"passer a|monter a|want\w*|veut|voudrait|voudrions)(?![a-z])"
)
_LOWER_TO = re.compile(
    r"(?<![a-z])(?:descendre|baisser|ramener|bring\w*(?: it)? down|get\w*(?: it)? down|cut it)"
    r"(?: (?:a|to))?\s*$"
)
_GOAL_OF = {"roas": "target_roas", "cpa": "target_cpa", "cpl": "target_cpa", "cac": "target_cpa"}


_WHAT_IF = re.compile(r"(?<![a-z])(?:if|si|what if|et si)\s[^.?!;]{0,50}(?<![a-z])(?:to|a|à)\s*$")


_DAYS_OUT_OF = re.compile(r"\s*(?:(?:jours?|days?|j)\s+)?(?:sur|out of|of|/)\s*")


def _days_out_of(folded: str, qs: list[Quantity]) -> None:
    """ "14 jours sur 21", "12 days out of 30": the second number is the days the campaign lasts,
    not a count of anything."""
    for q1, q2 in zip(qs, qs[1:]):
        gap = folded[q1.end : q2.start]
        days = q1.unit == "days" or re.match(r"\s*(?:jours?|days?)\s", gap)
        if days and q2.unit == "" and _DAYS_OUT_OF.fullmatch(gap):
            q2.measure, q2.unit = "duration", "days"


_TARGET_AFTER = re.compile(r"\s*x?\s*(?:target|goal|objective)(?![a-z])")
_COST_NAMED = re.compile(r"(?<![a-z])(roas|cpa|cpl|cac)(?![a-z])")


def _goal_after(folded: str, q: Quantity, before: str) -> str | None:
    """The target a bare figure is when "target" follows it and its clause named a ROAS or CPA
    before ("is our ROAS still above the 2.5 target?": target_roas); None otherwise."""
    if q.measure not in (None, "amount") or not _TARGET_AFTER.match(folded, q.end):
        return None
    named = _COST_NAMED.findall(before)
    return _GOAL_OF[named[-1]] if named else None


def _goals(folded: str, qs: list[Quantity]) -> None:
    """A ROAS or CPA the sentence calls a goal before it ("notre objectif c'est un ROAS de 3,5",
    "we aim for a CPA of 40 €") is the target, not a measure; a rate a condition brings somewhere
    ("if we push trial-to-paid to 17%") is the rate to reach."""
    for i, q in enumerate(qs):
        lo = qs[i - 1].end if i else 0
        before = re.split(r"[.!?;,\n]\s", folded[lo : q.start])[-1]
        if q.measure in _GOAL_OF and _GOAL.search(before):
            q.measure = _GOAL_OF[q.measure]
        elif (  # "cpa 48€, le boss veut descendre a 35€ de cpa": the same cost again, wanted
            q.measure in _GOAL_OF
            and any(p.measure == q.measure for p in qs[:i])
            and (_REACH.search(before) or _LOWER_TO.search(before))
        ):
            q.measure = _GOAL_OF[q.measure]
        elif named := _goal_after(folded, q, before):  # "is our ROAS above the 2.5 target?"
            q.measure = named
        elif (  # "CPA 41 € pour un objectif de 35 €": the goal of the cost just given
            q.unit == "€"
            and q.measure in (None, "amount")
            and i
            and (cost := qs[i - 1].measure) in _GOAL_OF
            and _GOAL.search(before)
        ):
            q.measure = _GOAL_OF[str(cost)]
        elif (  # "click 2.4%. want to hit 3% click", "cvr 2.4% -> want 2.8%" (not "want +10 %",
            # nor "want to detect a 15% relative lift")
            q.unit == "%"
            and _REACH.search(before)
            and not _LIFT_WORDS.search(folded, q.end, q.end + 20)
            and any(
                p.measure == q.measure
                or (q.measure in (None, "rate") and not q.signed and p.unit == "%" and p.measure)
                for p in qs[:i]
            )
        ):
            q.measure = "target_rate"  # "click 2.4%. want to hit 3% click": the rate to reach
        elif (
            q.unit == "%"
            and q.measure in _LEVELS
            and not q.signed
            and not _LIFT_WORDS.search(folded, q.end, q.end + 20)  # "a 15% relative lift"
        ):
            # "if onboarding emails lift it to 11%": a level after a rate given, not a lift of 11 %
            earlier = any(p.unit == "%" for p in qs[:i]) or q.measure != "mde"
            if earlier and _WHAT_IF.search(folded[max(0, q.start - 60) : q.start]):
                q.measure = "target_rate"
            elif q.measure == "mde" and _detects_a_level(folded, q, qs[:i]):
                q.measure = "target_rate"


def _detects_a_level(folded: str, q: Quantity, earlier: list[Quantity]) -> bool:
    """Whether an effect to detect is the rate to reach ("baseline is 12% and I want to detect
    13.5%"): unsigned, no word of a lift around it, above the baseline given before it and under
    1.5 times it (a 13.5 % lift of 12 % would be written as a lift)."""
    around = folded[max(0, q.start - 25) : q.end + 25]
    base = next(
        (p for p in reversed(earlier) if p.measure in ("conversion_rate", "baseline_rate")), None
    )
    return (
        base is not None
        and base.value < q.value < 1.5 * base.value
        and not _LIFT_WORDS.search(around)
    )


_LIFT_WORDS = re.compile(
    r"(?<![a-z])(lift|uplift|relati\w*|increase|improvement|hausse|amelioration|augmentation|"
    r"de plus|more|mde|effect|effet|gain|better|mieux)(?![a-z])"
)


_LEVELS = (
    None,
    "conversion_rate",
    "rate",
    "mde",
)  # what a rate brought "to" a level may be read as


_PRICED = re.compile(
    r"(?<![a-z])(?:abonnes|abonnements|subscribers|subscriptions|clients|customers|membres|members|"
    r"comptes|accounts|users|utilisateurs)\s+(?:a|at|@|paying|payant)\s*$"
)


# "3% upgrade to Pro ($29/month)", "passent sur l'offre Pro à 15 €/mois": the plan upgrades go to
_UPGRADED_TO = re.compile(
    r"(?<![a-z])(?:upgrad\w*|passent|passe|convert\w*|switch\w*)\s+(?:to|a|au|sur|vers|en)\s+"
    r"(?:[a-z'-]+\s+){0,3}?\(?\s*(?:a\s+|at\s+)?$"
)


# a message about paying subscribers: a monthly price in it is what each pays (the ARPU)
_PAYING = re.compile(r"(?<![a-z])(?:churn\w*|mrr|arr|saas|resili\w*)(?![a-z])")
_AT_PLAN = re.compile(
    r"(?<![a-z])(?:trials?|essais?|signups?|inscri\w*|users?|utilisateurs?|customers?|clients?|"
    r"abonn\w*|subscri\w*|members?|membres?|seats?|licen[cs]es?|plan|offre|formule)"
    r"(?:\s+[a-z]+){0,3}\s+(?:at|a|@)\s*$"
)


def _subscription_price(folded: str, qs: list[Quantity]) -> None:
    """An amount right after a number of subscribers ("5 200 abonnés à 39 €", "1,200 customers
    at $49/mo"), a monthly amount of the plan users upgrade to ("3% upgrade to Pro
    ($29/month)") or at which trials or users come ("3,000 trials a month at $79/month"), is what
    each pays: the ARPU."""
    for q in qs:
        if q.unit != "€" or q.measure not in (None, "amount", "budget", "spend"):
            continue  # "29€/mois" is no budget here
        upgraded = _UPGRADED_TO.search(folded[max(0, q.start - 40) : q.start]) and _PER_MONTH.match(
            folded[q.end : q.end + 12].lstrip()
        )
        # "3,000 trials a month at $79/month": the plan's price each of them would pay
        at_monthly = _AT_PLAN.search(folded[max(0, q.start - 40) : q.start]) and _PER_MONTH.match(
            folded[q.end : q.end + 12].lstrip()
        )
        # "1,200 trials a month, 18% convert to paid, $59/month, churn 3.5%": a monthly price in
        # a message about paying subscribers and their churn (no spend named)
        priced = (
            q.measure in (None, "amount")
            and _PER_MONTH.match(folded[q.end : q.end + 12].lstrip())
            and _PAYING.search(folded)
        )
        if _PRICED.search(folded[: q.start]) or upgraded or at_monthly or priced:
            q.measure = "arpu"


_ROLLOUT = re.compile(
    r"(?<![a-z])(?:passer|basculer|mettre|pousser|roll(?:ing)? out|ship|push|deploy\w*|go)\s+"
    r"(?:(?:la |le |the )?(?:variante?|variant|version|[a-e]|it|tout|everything)\s+)?"
    r"(?:a|à|to|at)\s*$"
)


_VERSIONED = re.compile(
    r"(?<![a-z0-9])(?:variante?s?|variants?|versions?|test\w*|a/b|b|trafic|traffic|roll(?:ing)? ?out|"
    r"deploy\w*|ship\w*|deploi\w*)(?![a-z0-9/])"  # "B", not "B2B"
)


def _rollout(folded: str, qs: list[Quantity]) -> None:
    """A share a version is rolled out to ("on peut passer B à 100 % ?", "ship it to 50%") is a
    traffic share, not that version's conversion rate; in a message about no version or traffic
    ("trial-to-paid 11 % … what if we push it to 14%?") it is the rate to reach."""
    if not _VERSIONED.search(folded):
        return
    for q in qs:
        if q.unit == "%" and _ROLLOUT.search(folded[max(0, q.start - 40) : q.start]):
            q.measure, q.arm = "traffic_share", None


_INACTIVE = re.compile(
    r"(?<![a-z])(?:inacti\w*|dormant\w*|sans (?:achat|commande|activite|ouverture|connexion)|"
    r"n'ont (?:pas|rien) \w+|no (?:purchase|order|activity|login)s?|(?:haven't|hasn't|have not|has not) "
    r"\w+(?: in)?|not (?:logged in|purchased|opened))[^.,;!?]{0,15}(?:depuis|for|since|de plus de|"
    r"over|in the last|en)?\s*(?:plus de |more than |over )?$"
)


_QUOTED = re.compile(
    r"(?<![a-z])'[^'\n]{3,80}'(?![a-z])|\"[^\"\n]{3,80}\"|«[^»\n]{3,80}»|“[^”\n]{3,80}”"
)


# what names a piece of copy right before its quotes: an arm ("A « … »", "version B : '…'") or
# the copy's kind ("objet « … »", "subject line \"…\"", "headline '…'")
_COPY_LABEL = re.compile(
    r"(?:(?<![a-z])(?:version|variante?|variant)?\s*[a-d]|(?<![a-z])(?:objet|subject(?: line)?|"
    r"headlines?|titres?|accroches?|cta|bouton|button|tagline|slogan|hook|wording))\s*[:=(-]?\s*$"
)


# "2 fields vs 5 fields", "3 étapes contre 1 étape": the versions a test compares, named by a
# count of what they have
_DESIGN_PAIR = re.compile(
    r"(?<![\d.,])(\d{1,2})[ -](?P<noun>[a-z]{3,}?)s?\s+(?:vs\.?|versus|contre|against)\s+"
    r"(\d{1,2})[ -](?P=noun)s?(?![a-z])"
)


def _arm_names(
    line: str, folded: str, where: list[int], earlier: bool
) -> tuple[list[Mention], list[tuple[int, int]]]:
    """The arms a line names (:func:`_arms`), else the versions it names by a count
    (:func:`_designs`: "2-field: 11,200 visitors …, 5-field: …"); with the spans of the digits in
    both, which are names, not figures."""
    arms, masks = _arms(line, folded, where, earlier)
    designs, spans = _designs(folded)
    return arms or designs, masks + spans


def _designs(folded: str) -> tuple[list[Mention], list[tuple[int, int]]]:
    """The versions a test compares by a count ("2 fields vs 5 fields"): (the labels that name
    them again, "2-field: 11,200 visitors, 1,456 signups. 5-field: …", as arm A for the first
    count and B for the second, from the first such pair; the spans of every one of those counts,
    in the pair and in the labels: names, not figures of the test)."""
    mentions: list[Mention] = []
    spans: list[tuple[int, int]] = []
    for k, pair in enumerate(_DESIGN_PAIR.finditer(folded)):
        spans += [pair.span(1), pair.span(3)]
        for n, arm in ((pair[1], "A"), (pair[3], "B")):
            label = rf"(?<![\d.,]){n}[ -]{pair['noun']}s?(?![a-z])"
            for m in re.finditer(label, folded):
                spans.append((m.start(), m.start() + len(n)))
                if k == 0 and m[0][len(n)] == "-":  # "2-field:": a label, not the pair's "2 fields"
                    mentions.append(Mention(m.start(), m.end(), arm, m[0]))
    return sorted(mentions, key=lambda m: m.start), spans


def _copy_quoted(folded: str) -> list[tuple[int, int]]:
    """The spans of quoted copy an arm or a copy noun names ("A « -20 % ce week-end » → 15 000
    envois", "subject line \"Save 20% today\""): the user's wording, whose figures are not the
    request's."""
    return [
        m.span()
        for m in _QUOTED.finditer(folded)
        if _COPY_LABEL.search(folded[max(0, m.start() - 25) : m.start()])
    ]


def _dates_of(folded: str, today: date | None, context: str) -> list:
    """The dates of the request in ``folded``: not an inactivity, not inside quotes."""
    dates = _not_inactive(folded, find_dates(folded, today, context))
    return _not_compared(folded, _not_quoted(folded, dates))


def _not_compared(folded: str, dates: list) -> list:
    """``dates`` less a month and a count in brackets after a figure when the message gives
    several ("closed deals 31 (sept 29)" among "sessions 124k (sept 118k), leads 1,480 (sept
    1,390)"): the month compared with and its figure, not the 29th of September."""
    brackets = list(_MONTH_BRACKET.finditer(folded))
    if len(brackets) < 2:
        return dates
    return [h for h in dates if not any(m.start(1) <= h.start < m.end() for m in brackets)]


_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
# "124k (sept 118k)": a figure, then in brackets a month and the figure it had then
_MONTH_BRACKET = re.compile(
    rf"\d[\d.,]*\s*[a-z%€$£]*\s*\((\s*(?:{_MONTH_WORDS})\.?\s*:?\s*[$€£]?\s*\d[^)]*)\)"
)


def _not_quoted(folded: str, dates: list) -> list:
    """``dates`` less those inside quotes: a subject line or a name ("A = 'Nos nouveautés de
    mars'") is the user's copy, not a date of the request."""
    quoted = [m.span() for m in _QUOTED.finditer(folded)]
    return [h for h in dates if not any(a < h.start < b for a, b in quoted)]


def _not_inactive(folded: str, dates: list) -> list:
    """``dates`` less those that say how long a segment has been inactive ("customers who haven't
    bought in 6 months": 180 days of inactivity, read by :func:`_inactivity`, not a date)."""
    return [h for h in dates if not _INACTIVE.search(folded[max(0, h.start - 50) : h.start + 3])]


def _inactivity(folded: str, qs: list[Quantity]) -> None:
    """A number of days a segment has been inactive ("clients inactifs depuis 90 jours", "users
    who haven't logged in for 7 days") is who the message targets (``inactivity``), not the
    length of the sequence or test it asks for; the people counted before it in its sentence are
    that segment's size."""
    for q in qs:
        if (
            q.unit == "days"
            and q.measure in (None, "duration")
            and _INACTIVE.search(folded[max(0, q.start - 50) : q.start])
        ):
            q.measure = "inactivity"
            # "12 000 leads dans le CRM qui n'ont rien ouvert depuis 6 mois": the base targeted
            for p in qs:
                if (
                    p.end <= q.start
                    and p.unit == ""
                    and p.measure in (None, "count", "conversions", "leads", "customers")
                    and not _sentence_break(folded, p.end, q.start)
                ):
                    p.measure = "list_size"


_PUSH_OF = re.compile(r"(?<![a-z])(?:e-?mail|sms|newsletter|marketing|sales)\s+$")
_SUBJECT = re.compile(r"(?:^|\s)(?:we|i|you|they|to|can|could|should|will|must|let's|on|va)\s+$")


def _no_channel(folded: str, channel: Mention) -> bool:
    """A channel word that names no channel: a verb ("if we push trial-to-paid to 17%": 'push'
    after a subject or 'to', or before what it moves: "push the launch"), an idiom ("last call
    before trial end", "final push": a final reminder) or a common word away from a figure ("the
    content of the email"; "content $6,000" is the channel)."""
    if channel.text in ("call", "push") and re.search(
        r"(?:last|final|big|dernier|grand)\s+$", folded[: channel.start]
    ):  # "last call", "final push": a closing effort
        return True
    # "en direct", "vente directe", "direct mail": the word, not the channel
    if channel.text in ("direct", "directe"):
        return not (
            _LISTED_AFTER.match(folded, channel.end)
            or _LISTED_BEFORE.search(folded[: channel.start])
        )
    if channel.text in ("content", "contenu"):  # "content $6,000 brought 20 customers" only
        return not _FIGURE_AFTER.match(folded, channel.end)
    if _PRODUCT_AFTER.match(folded, channel.end):  # "our new CRM integration": the product
        return True
    if channel.text == "crm" and _TOOL_BEFORE.search(folded[: channel.start]):
        return True  # "want them to connect their CRM": the customer's tool, not a channel
    if channel.text in ("emails", "e-mails"):  # "6 emails en 2 jours": counted, not a channel
        before = folded[: channel.start]
        return bool(_COUNTED_BEFORE.search(before)) or not (
            _LISTED_AFTER.match(folded, channel.end) or _LISTED_BEFORE.search(before)
        )
    return channel.text == "push" and bool(
        _SUBJECT.search(folded[: channel.start])
        or _PUSHED.match(folded, channel.end)
        or _PUSH_OF.search(folded[: channel.start])  # "our Cyber Monday email push": a drive
    )


# the tool a user connects or owns: "connect their CRM", "synchroniser votre CRM"
_TOOL_BEFORE = re.compile(
    r"(?<![a-z])(?:connect\w*|sync\w*|integrat\w*|int[eé]gr\w*|link|import\w*|brancher|relier|their|your|"
    r"leur|votre|son|sa)\s+(?:(?:own|propre)\s+)?$"
)
# what a product is called after the tool it works with: "CRM integration", "connecteur CRM"
_PRODUCT_AFTER = re.compile(
    r"\s+(?:integrations?|connectors?|plugins?|add-?ons?|extensions?)(?![a-z])"
)


def _channels(folded: str) -> list[Mention]:
    """The channels a message names, words that are no channel there left out (:func:`_no_channel`)
    and tactics folded into their channel (:func:`_tactics_apart`)."""
    found = [c for c in mentions(folded, channel_index()) if not _no_channel(folded, c)]
    return _tactics_apart(folded, _scope_apart(folded, found))


_PLATFORMS = frozenset(
    ("meta", "facebook", "instagram", "linkedin", "tiktok", "youtube", "snapchat", "pinterest")
)
_SCOPE_BUDGET = re.compile(r"(?:budgets?|spend|depenses?)\s+$")


def _scope_apart(folded: str, channels: list[Mention]) -> list[Mention]:
    """``channels`` without the word "social" naming a budget's scope when platforms follow it
    ("budget social Q1 : 45 000 € entre TikTok, Meta et Pinterest", "our social budget: Meta,
    TikTok"): the platforms are the channels, "social" is what they share."""
    platforms = [c for c in channels if c.value[0] in _PLATFORMS]
    return [
        c
        for c in channels
        if not (
            c.value[0] == "social"
            and len({p.value[0] for p in platforms if p.start > c.end}) >= 2
            and (
                _SCOPE_BUDGET.search(folded[max(0, c.start - 12) : c.start])
                or re.match(r"\s+budgets?(?![a-z])", folded[c.end :])
            )
        )
    ]


def _tactics_apart(folded: str, channels: list[Mention]) -> list[Mention]:
    """``channels`` with the words that qualify another one folded in: a tactic written against a
    channel ("Meta retargeting", "retargeting Meta") is one channel of that channel's group, named
    as written; the event a campaign promotes ("a LinkedIn campaign for our webinar") is its
    subject, not a channel."""
    kept: list[Mention] = []
    for c in channels:
        if c.value[0] == "events" and _PROMOTED.search(folded[: c.start]):
            continue
        if kept and _qualified(folded, kept[-1], c):
            kept[-1] = _joined(folded, kept[-1], c)
        else:
            kept.append(c)
    return kept


def _qualified(folded: str, a: Mention, b: Mention) -> bool:
    """Whether ``b`` follows ``a`` with only spaces between and one is a tactic of the other."""
    groups = {a.value[0], b.value[0]}
    return len(groups) == 2 and "retargeting" in groups and not folded[a.end : b.start].strip()


def _joined(folded: str, a: Mention, b: Mention) -> Mention:
    """One mention of a channel and its tactic: the channel's group, named as written."""
    channel = a if b.value[0] == "retargeting" else b
    second = b.value[1] if b is channel else b.value[1].lower()
    name = f"{a.value[1]} {second}"
    return Mention(a.start, b.end, (channel.value[0], name), folded[a.start : b.end])


# "for our webinar", "pour promouvoir notre salon": the event a campaign is about
_PROMOTED = re.compile(
    r"(?<![a-z])(?:for|pour|promote|promouvoir|autour)\s+(?:(?:de|du)\s+)?"
    r"(?:our|the|this|my|notre|le|la|ce|cette|mon|nos)\s+$"
)


# a channel word in a list of channels or beside its figure ("Email 150, Direct 250", "direct et SEO")
_LISTED_AFTER = re.compile(r"\s*(?:[:(=,/|;]|->|→|\d|(?:et|and|ou|or|&)\s)")
_LISTED_BEFORE = re.compile(r"(?:[,/|;(]|->|→|\d|(?<![a-z])(?:et|and|ou|or|&|vs))\s*$")
# a number or an amount word before a plural: a count of messages ("5 emails", "plusieurs emails")
_COUNTED_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:plusieurs|quelques|several|some|many|trop|too many)|\d+k?)\s*$"
)
# a channel's figure right after its name ("content $6,000", "contenu : 4 000 €")
_FIGURE_AFTER = re.compile(r"\s*[:=]?\s*[$€£]?\d")
# "push the launch to april 21", "push it back a week": the verb, with what it moves
_PUSHED = re.compile(
    r"\s+(?:it|back|them|everything)(?![a-z])|"
    r"\s+(?:the|our|this|that)\s+(?:[a-z]+\s+){1,2}(?:to|back|by|until)(?![a-z])"
)


def _settle(q: Quantity) -> None:
    """Last readings once arms and channels are known: '5x' alone is a number of times, an arm's
    bare percentage its conversion rate (a signed one a change, signed points an effect), a
    planned sample every arm's."""
    if q.unit == "x" and q.measure is None and float(q.value).is_integer() and not q.channel:
        q.measure = "times"  # "visited pricing 5x"
    if q.unit == "%" and q.arm and q.arm != "*" and q.measure is None:
        q.measure = "conversion_rate"  # an A/B arm's bare percentage is its conversion rate
    if q.unit == "%" and q.signed and q.measure == "conversion_rate":
        q.measure = "change"  # "+12 % de conv": a lift, not a rate
    if q.unit == "pt" and q.signed and q.measure in ("conversion_rate", "rate"):
        q.measure = "mde"  # "voir +0,5 pt sur un taux de 2 %": an effect in points, not a rate
    if q.measure == "planned_sample":
        q.arm = None  # "10 000 par variante": the plan for every arm


def _arm_header(folded: str, qs: list[Quantity], arms: list[Mention]) -> None:
    """'panier moyen A 48 € … B 51 €', 'Revenue per visitor: A 1.85€ …', 'et le CA ? A 41 600€, B
    47 300€': the measure named before the first arm (a question naming it counts) names the
    arms' unnamed figures of its unit."""
    if not arms:
        return
    header = words(re.split(r"[.!]\s", folded[: arms[0].start])[-1])
    for unit in ("money", "percent", "count"):
        named = [v for _, _, v in measure_index(unit).find_all(header)]
        if not named:
            continue
        for q in qs:
            if q.arm and q.measure is None and _UNIT_KIND[q.unit] == unit:
                _named_by_header(q, named[-1])
    for q in (q for q in qs if q.arm and q.measure is None):
        # "… variant 1,142 orders. AOV control $84, variant $79": a later run of the arms, named
        # by the words before its first label (not the noun of the figure before: "500
        # conversions ; B 10 000")
        for mention in reversed([m for m in arms if m.end <= q.start]):
            if _sentence_break(folded, mention.end, q.start):
                break
            lead = re.split(r"[.!?;,]|\d", folded[: mention.start])[-1]
            named = [v for _, _, v in measure_index(_UNIT_KIND[q.unit]).find_all(words(lead))]
            if named:
                _named_by_header(q, named[-1])
                break


def _named_by_header(q: Quantity, measure: str) -> None:
    """``q`` named by the ``measure`` written before its arm's label when plausible, or its
    revenue when that measure is money per head and ``q`` too large for it."""
    if _plausible(measure, q):
        q.measure = measure
    elif measure in _PER_VISITOR and _plausible("revenue", q):
        q.measure = "revenue"  # "revenue per visitor test: control 20,000 visitors $96,000"


_PER_VISITOR = ("rpv", "arpu", "aov")  # money per head: a larger amount is the arm's revenue


def _channel_header(folded: str, qs: list[Quantity], channels: list[Mention]) -> None:
    """ "ROAS l'an dernier : Google 5, Meta 3": the measure named just before a list of channels
    names the first channel's unnamed figure (the others follow it, see :func:`_inherit`)."""
    for q in qs:
        if q.measure or not q.channel:
            continue
        mention = next(
            (c for c in reversed(channels) if c.end <= q.start and c.value[0] == q.channel), None
        )
        if mention is None:
            continue
        lo = max(
            [0]
            + [c.end for c in channels if c.end <= mention.start]
            + [p.end for p in qs if p.end <= mention.start]
        )
        stretch = words(re.split(r"[.!?]\s|\n|[,;]", folded[lo : mention.start])[-1])
        kinds = {"": ("ratio", "money", "count"), "€": ("money",), "%": ("percent",)}.get(
            q.unit, ()
        )
        for unit in kinds:
            named = [
                v
                for i, _, v in measure_index(unit).find_all(stretch)
                if _plausible(v, q) and tuple(stretch[max(0, i - 1) : i + 1]) not in _MODEL_CLICKS
            ]
            if named:
                q.measure = named[-1]
                break


def _respectively(folded: str, qs: list[Quantity], channels: list[Mention]) -> None:
    """'Google Ads et LinkedIn, ROAS 3,6 et 1,4': as many figures of one measure as channels named
    before them go to the channels in order, when none is bound yet or the whole list was bound
    to the channel named just before it ("email 20%, Meta 50%, Google 30%, ROAS 8 / 2.5 / 4")."""
    for q1, q2 in zip(qs, qs[1:]):  # "ROAS 3,6 et 1,4": a list keeps its measure
        if (
            q2.measure is None
            and q1.measure
            and q1.unit == q2.unit
            and q2.channel in (None, q1.channel)
            and re.fullmatch(_LIST_LINK, folded[q1.end : q2.start])
        ):
            q2.measure = q1.measure
    for measure in {q.measure for q in qs if q.measure in _BY_POSITION}:
        of_measure = [q for q in qs if q.measure == measure and not q.arm]
        bound = {q.channel for q in of_measure}
        if len(of_measure) < 2 or len(bound) > 1:
            continue
        if bound != {None} and not _one_list(folded, of_measure):
            continue
        groups = list(dict.fromkeys(c.value[0] for c in channels if c.end <= of_measure[0].start))
        if len(of_measure) == len(groups):
            for q, group in zip(of_measure, groups):
                q.channel = group


_LIST_LINK = r"\s*(?:,|et|and|&|puis|then|/)\s*"


def _one_list(folded: str, qs: list[Quantity]) -> bool:
    """Whether figures follow one another joined only by list separators ("8 / 2.5 / 4")."""
    return all(re.fullmatch(_LIST_LINK, folded[a.end : b.start]) for a, b in zip(qs, qs[1:]))


# measures a list of figures gives channel by channel in the order the channels were named
_BY_POSITION = (
    "roas",
    "spend",
    "revenue",
    "conversions",
    "cpa",
    "customers",
    "leads",
    "orders",
    "lead_to_customer",
    "mql_rate",
)


# a direct channel right before or after a bare count: "SMS 40k", "push: 25 000", "15k SMS"
_DIRECT = r"(?:sms|push|whatsapp|e-?mails?|newsletter)"
_DIRECT_BEFORE = re.compile(rf"(?<![a-z]){_DIRECT}\s*:?\s*$")
_DIRECT_AFTER = re.compile(rf"\s*{_DIRECT}(?![a-z])")
# "60k abonnés email dont 18k aussi en SMS", "of which 18k", "18k of them": a part of the list
_PART_OF = re.compile(r"(?<![a-z])(?:dont|of which|of whom|including)\s*$")
_COMES_FROM = re.compile(
    r"\s*(?:(?:du|de notre|of|of our|of the)\s+(?:ca|chiffre d'affaires|revenue|sales|ventes)\s+)?"
    r"(?:vient|viennent|provient|comes?|is|came)\s+(?:du|de la|de l'|des|de|from|via)\s*"
)
_ALSO_ON = re.compile(
    r"[\s,]*(?:[a-z]+\s+){0,2}?(?:aussi|also|egalement)\s+(?:[a-z]+\s+)?(?:en|on|in|sur|par|via)\s+"
)
_OF_THEM = re.compile(r"\s*(?:of them|d'entre eux|d'entre elles)(?![a-z])")


def _lists_beside(folded: str, qs: list[Quantity]) -> None:
    """A bare count said as a list ("base email 90k", "email (base 120k)") is its size; beside a
    list's size ("email list 150k"), a bare count beside another direct channel ("SMS 40k", "15k
    SMS") or said as a part of it ("dont 18k aussi en SMS", "18k of them") is a list, not money."""
    for q in qs:
        if q.unit == "" and q.measure in (None, "count") and LIST_OF.search(folded, 0, q.start):
            q.measure = "list_size"
    if not any(q.measure == "list_size" for q in qs):
        return
    for q in qs:
        if (
            q.unit == ""
            and q.measure in (None, "count", "amount")
            and q.value >= 100  # "2 promos + 1 newsletter" counts sends
            and (
                _DIRECT_BEFORE.search(folded, max(0, q.start - 15), q.start)
                or _DIRECT_AFTER.match(folded, q.end)
                or _PART_OF.search(folded, max(0, q.start - 12), q.start)
                or _OF_THEM.match(folded, q.end)
            )
        ):
            q.measure = "list_size"


def _budget(folded: str, context: str, qs: list[Quantity]) -> None:
    """An unnamed amount in a request about a plan, a campaign or a split ('€22k across
    Instagram and TikTok', '15k' for a seasonal campaign) is its budget, unless the message
    reports spend or revenue; a count beside a list's size is a list (_lists_beside)."""
    _lists_beside(folded, qs)
    # after last period's figures, or beside each channel's budget ("Meta 18k€ … on a 10k de plus")
    if any(q.measure in ("spend", "revenue") for q in qs) or (
        sum(q.measure == "budget" for q in qs) >= 2
    ):
        _money_to_split(folded, qs)
    if not _BUDGET_CONTEXT.search(context) or any(
        q.measure in ("spend", "revenue", "budget") for q in qs
    ):
        return
    amounts = [
        q
        for q in qs
        if (q.measure in (None, "amount") or _money_a_month(folded, q))
        and not q.arm
        and (
            q.unit == "€"
            or (
                q.unit == ""
                and re.search(r"\d\s?(k|m)\b", q.raw)
                and q.value >= 1000
                and not LIST_OF.search(folded, 0, q.start)
            )
        )
    ]
    # "keep at least $5k on it", "max 40k sur Meta": a bound of the split, not the budget
    amounts = [
        q for q in amounts if not _BOUND_BEFORE.search(folded, max(0, q.start - 25), q.start)
    ]
    added = [q for q in amounts if _ADDED_WITH.search(folded, max(0, q.start - 50), q.start)]
    for q in added:  # the channel's own amount (graph.understanding.reader._assign_channels)
        q.measure, q.unit = "amount", "€"
    if len(amounts) - len(added) == 1:
        whole = next(q for q in amounts if q not in added)
        whole.measure, whole.unit = "budget", "€"


_MONEY_TALK = re.compile(r"(?<![a-z])(?:budget\w*|spend\w*|spent|depens\w*|invest\w*)(?![a-z])")
_A_MONTH_ONLY = re.compile(r"\s*(?:a|per|par|/)\s*(?:month|mois|mo)(?![a-z])")


def _money_a_month(folded: str, q: Quantity) -> bool:
    """Whether a figure read as monthly traffic from "a month" alone, no traffic word, is money
    in a message about spend or a budget ("we spend 40% of our budget on Meta …, total 50k a
    month")."""
    return (
        q.measure == "monthly_traffic"
        and bool(_A_MONTH_ONLY.match(folded, q.end))
        and bool(_MONEY_TALK.search(folded))
    )


# the words of a floor and of a cap on an amount ("min 10k sur Meta", "max £8k spend", "plafonné à")
FLOOR_WORDS = r"min(?:imum)?|au moins|at least|pas moins de|no less than|floor|plancher"
_AT_MOST = (
    r"max(?:imum)?|au plus|at most|pas plus de|no more than|not more than|cap(?:ped)?|plafon\w*"
)
# and what caps a figure in a clause ("ne pas dépasser 15k", "volume limité à 80 conversions");
# before an amount, "a budget limit of 50k" is the budget itself
CAP_WORDS = _AT_MOST + r"|above|au-dessus|depasse\w*|exceed\w*|limite\w*|limited|limit"
_BOUND_BEFORE = re.compile(
    rf"(?<![a-z])(?:{FLOOR_WORDS}|{_AT_MOST})\s*(?:de\s+|of\s+|at\s+|a\s+)?[$€£]?\s*$"
)
# "ajoute tiktok avec 5k€ (en plus)": the amount of the channel added, not the whole budget
_ADDED_WITH = re.compile(
    r"(?<![a-z])(?:ajout\w*|rajout\w*|add\w*|inclu\w*|integr\w*)\s+(?:l'|le |la |les |du |de |des |"
    r"un |une |an |the |some )?[a-z][\w' -]{0,25}?\s+(?:avec|with|at|a|pour|for|:)\s*(?:[a-z]+\s+){0,2}?[$€£]?\s*$"
)


_TO_SPLIT = re.compile(
    r"(?<![a-z])(?:money|budget|argent|enveloppe|to spend|a depenser|a repartir|to split|to allocate|"
    r"a allouer|(?:where|ou)\W+(?:\w+\W+){0,3}?(?:put|mettre|mets|met|place|placer|invest\w*|"
    r"spend|depenser))\b[^.;!?\d]{0,30}$"
)  # "where do I put next week's 6k?": the money a question asks where to put


def _money_to_split(folded: str, qs: list[Quantity]) -> None:
    """After last period's spend and revenue, the amount the question puts to split ("where
    should Q4 money go with 110k?", "comment répartir l'enveloppe de 110k") is the budget; an
    amount said to come on top ("where do I put the extra 10k?", "10k€ de plus") is money to
    place (``amount``)."""
    for q in qs:
        if q.measure in (None, "amount") and not (q.arm or q.channel) and q.value >= 1000:
            if said_extra(folded, q.start, q.end):  # "where do I put the extra 10k?"
                q.measure, q.unit = "amount", q.unit or "€"
            elif _TO_SPLIT.search(folded[max(0, q.start - 40) : q.start]):
                q.measure, q.unit = "budget", "€"


def said_extra(folded: str, start: int, end: int) -> bool:
    """Whether the figure at ``start``..``end`` of ``folded`` is said to come on top ("the extra
    10k", "10k€ de plus", "10 000 € supplémentaires")."""
    return bool(
        _EXTRA_BEFORE.search(folded[max(0, start - 25) : start]) or _EXTRA_AFTER.match(folded, end)
    )


def extra_amount(slots: list[Slot], folded: str) -> Slot | None:
    """The amount said to come on top of the split in place ("on a 10k de plus ce mois-ci",
    "where do I put the extra $8k?"): an amount no channel or arm holds (:func:`said_extra`), or
    None. ``folded``: the request's folded text the slots were read from."""
    return next(
        (
            s
            for s in slots
            if s.type == "amount"
            and not (s.channel or s.arm)
            and isinstance(s.value, float)
            and said_extra(folded, s.start, s.end)
        ),
        None,
    )


_EXTRA_BEFORE = re.compile(
    r"(?<![a-z])(?:extra|additional|another|an other|rallonge de)\s+[$€£]?\s*$"
)
_EXTRA_AFTER = re.compile(
    r"\s*(?:[$€£]|eur\w*|dollars?)?\s*(?:de plus|en plus|supplementaires?|additionnels?|more|extra)(?![a-z])"
)


_MOVED_WORDS = {
    "from",
    "de",
    "went",
    "gone",
    "has",
    "have",
    "moved",
    "grew",
    "rose",
    "fell",
    "dropped",
    "increased",
    "decreased",
    "jumped",
    "est",
    "sont",
    "passe",
    "passes",
    "passee",
    "ont",
    "a",
    "baisse",
    "baissee",
    "monte",
    "augmente",
    "diminue",
    "chute",
    "recule",
    "progresse",
    "up",
    "down",
    "declined",
    "climbed",
}
_FROM = re.compile(r"(?<![a-z])(?:from|de|passe de|passee de|est passe de)\s*[$€£]?\s*$")
_TO = re.compile(r"\s*(?:/\s*\w+\s*)?(?:to|a|à|->|→)\s*[$€£]?\s*")


_VARIANT_MOVES = re.compile(
    r"(?<![a-z])(?:variant\w*|version b|challenger|treatment)\s+(?:\w+\s+){0,2}?"
    r"(?:increas\w*|rais\w*|lift\w*|boost\w*|mov\w*|took|brought|push\w*|drov\w*|fait passer|"
    r"fait monter|fait baisser|augment\w*|amelior\w*|baiss\w*|lower\w*|decreas\w*|reduc\w*|"
    r"dropp\w*|cut)(?![a-z])"
)  # the variant as the subject of the move: its figures against control's
_ARMED_TEST = re.compile(
    r"(?<![a-z])(?:a/b|ab test|test\w*|experiment\w*|significan\w*|significati\w*|"
    r"(?:per|each|par|chaque) (?:arm|bras|variant|variante|version|groupe?))(?![a-z])"
)  # "is a 2.8% to 3.1% improvement significant with 6,000 users in each group?"
_RATE_OR_GOAL = (None, "rate", "conversion_rate", "mde", "target_rate")
# "old 31,000 sessions, 1,178 orders; new 30,800 sessions …": two versions set side by side
_OLD_AND_NEW = re.compile(
    r"(?<![a-z])(?:old|ancien\w*|current|actuel\w*|existing)(?:\s+[a-z]+){0,2}\s*:?\s*\d[^.!?]*?"
    r"(?<![a-z])(?:new|nouve\w*)(?:\s+[a-z]+){0,2}\s*:?\s*\d"
)


def _moved_arms(folded: str, qs: list[Quantity]) -> None:
    """In a test whose figures are given per arm ("conversion go from 2.8% to 3.3% on 9,000
    visitors per arm"), a rate said to move from one value to another is control (A) then
    variant (B): the readout's two arms, not a before/after of one page."""
    variant = _VARIANT_MOVES.search(folded)
    if variant and _ARMED_TEST.search(folded):
        # "the variant increased AOV from €64 to €66": control then variant, whatever the unit
        for q1, q2 in zip(qs, qs[1:]):
            if (
                q1.start > variant.start()
                and q1.unit == q2.unit
                and not (q1.arm or q2.arm)
                and _from_and_to(folded, q1, q2)
            ):
                q1.arm, q2.arm = "A", "B"
                if q1.unit == "%" and q1.measure in (None, "rate", "conversion_rate", "change"):
                    q1.measure = q2.measure = "conversion_rate"
    if not (_ARMED_TEST.search(folded) and any(q.arm == "*" for q in qs)):
        return
    for q1, q2 in zip(qs, qs[1:]):
        moved = (
            _from_and_to(folded, q1, q2)
            or (  # "a 2.8% to 3.1% improvement"
                q1.measure in _RATE_OR_GOAL
                and q2.measure in _RATE_OR_GOAL
                and _TO.fullmatch(folded[q1.end : q2.start]) is not None
            )
        )
        if (
            q1.unit == q2.unit == "%"
            and q1.measure in (None, "rate", "conversion_rate", "change")
            and q2.measure in (*_RATE_OR_GOAL, "change")  # "conversion went up from 2.4% to 2.9%"
            and not (q1.arm or q2.arm or q1.signed or q2.signed)
            and moved
        ):
            q1.arm, q2.arm = "A", "B"
            q1.measure = q2.measure = "conversion_rate"


_PREVIOUS_BRACKET = re.compile(
    r"\s*\(\s*(?:prev(?:ious)?|precedent\w*|prec\.?|last (?:month|week|year|quarter|period)|"
    r"le mois dernier|mois dernier|mois precedent|m-1|n-1|lm|ly|before|avant|vs\.?|versus|"
    rf"{_MONTH_WORDS})\s*:?\s*[$€£]?\s*"
)  # "(sept 118k)" after october's figure: the month compared with


def _bracketed_previous(folded: str, qs: list[Quantity]) -> None:
    """'sessions 184k (prev 171k), revenue €412k (prev €361k)': a figure in brackets after
    another, marked as the previous period's, is the same measure then (B, the period compared
    with, as "sessions 52k (vs 47k)" reads); the figure before it is this period's (A)."""
    for q1, q2 in zip(qs, qs[1:]):
        if (
            not (q1.arm or q2.arm)
            and q1.unit == q2.unit
            and _PREVIOUS_BRACKET.fullmatch(folded[q1.end : q2.start])
        ):
            q1.arm, q2.arm = "A", "B"
            q2.measure = q2.measure or q1.measure


def _moved_beside_arms(folded: str, qs: list[Quantity]) -> None:
    """Beside the conversion rates of A and B, another measure said to move from one value to
    another ("mais le panier moyen a baissé de 62€ à 51€") is control's then the variant's."""
    rated = {q.arm for q in qs if q.unit == "%" and q.measure in _RATE_OR_GOAL}
    if not {"A", "B"} <= rated:
        return
    for q1, q2 in zip(qs, qs[1:]):
        if (
            q1.unit == q2.unit != "%"
            and q1.measure == q2.measure
            and q1.arm == q2.arm != "B"
            and _from_and_to(folded, q1, q2)
        ):
            q1.arm, q2.arm = "A", "B"


def _repeated_groups(folded: str, qs: list[Quantity]) -> None:
    """'control 41,200 visitors 1,030 signups, green 40,900 visitors 1,145 signups, orange …':
    figures that repeat the measures of the first group, in the same order, are the next
    versions (B, C …), whether one arm name took them all or, in a message about a test, none
    did; the words naming those versions ("green") are none the lexicon knows."""
    tested = bool(_ARMED_TEST.search(folded) or _OLD_AND_NEW.search(folded))
    _echoed_half(qs, tested)
    pools: dict[str | None, list[Quantity]] = {}
    for q in qs:
        # "a 3-arm test": how many versions, none of their figures
        if q.arm != "*" and q.measure != "variants" and (q.arm or tested):
            pools.setdefault(q.arm, []).append(q)
    taken = {q.arm for q in qs if q.arm}
    for figures in pools.values():
        measures = [q.measure for q in figures]
        size = next((i for i in range(2, len(measures)) if measures[i] == measures[0]), 0)
        if not size or None in measures[:size]:
            continue
        # the groups that repeat the first; figures after them ("avg order €58 both") stay apart
        head = measures[:size]
        chunks = [figures[i : i + size] for i in range(0, len(figures), size)]
        groups = list(takewhile(partial(_measured_as, head), chunks))
        rest = figures[len(groups) * size :]
        if len(groups) < 2 or any(q.measure in head for q in rest):
            continue
        for group in _control_first(folded, groups) if figures[0].arm is None else groups[1:]:
            free = next((letter for letter in "ABCDE" if letter not in taken), None)
            if free is None:
                return
            for q in group:
                q.arm = free
            taken.add(free)


_GENERIC_MEASURES = (None, "rate", "count")


def _echoed_half(qs: list[Quantity], tested: bool) -> None:
    """In a message about a test (``tested``), figures in two halves of the same units, the
    second half's unnamed ("old subject line 24.1% opens on 15k sends, new one 26.3% on 15k"):
    the second version's figures are the first's measures, in the same order."""
    half = len(qs) // 2
    if not tested or half < 2 or len(qs) % 2 or any(q.arm for q in qs):
        return
    first, second = qs[:half], qs[half:]
    if any(a.measure in _GENERIC_MEASURES for a in first) or any(
        a.unit != b.unit or b.measure not in (a.measure, *_GENERIC_MEASURES)
        for a, b in zip(first, second)
    ):
        return
    for a, b in zip(first, second):
        b.measure = a.measure


def _measured_as(measures: list[str | None], group: list[Quantity]) -> bool:
    """True when ``group``'s figures have ``measures``, in that order."""
    return [q.measure for q in group] == measures


def _control_first(folded: str, groups: list[list[Quantity]]) -> list[list[Quantity]]:
    """``groups`` of a test's figures with the one its words call the control first ("bleu 9 000
    visiteurs 270 commandes, contrôle 9 100 visiteurs 246 commandes, …": the control is A; "no
    banner", "old page": the version that stays as it is)."""
    control, ends = _patterns()["control"], [0] + [g[-1].end for g in groups]

    def named_control(g: list[Quantity]) -> bool:
        label = folded[ends[groups.index(g)] : g[0].start]
        # "banner: …. no banner: …": the version without the change, named in its own clause
        return bool(control.search(label) or _STATUS_QUO.search(re.split(r"[.;!?]\s", label)[-1]))

    return sorted(groups, key=lambda g: not named_control(g))


# what names the version that stays as it is: "no banner", "sans bannière", "old page", "current"
_STATUS_QUO = re.compile(
    r"(?<![a-z])(?:no|without|sans|pas de|old|ancien\w*|current|actuel\w*|original\w*|existing)"
    r"(?![a-z])"
)


_BEFORE = re.compile(r"(?<![a-z])(?:avant|before)(?=\s*:?\s*[$€£]?\d)")
_AFTER = re.compile(r"(?<![a-z])(?:apres|after)(?=\s*:?\s*[$€£]?\d)")


def periods_named(folded: str) -> tuple[re.Match, re.Match] | None:
    """Where 'avant/before' and 'après/after' each open figures ("avant 2,8 % …, après 2,3 %
    …"), or each close a volume beside a rate's move ("from 6.2% to 4.1% … 9,800 visits before,
    10,300 after"), or a count moved on a traffic said to hold ("from 120/week to 165/week …
    traffic stayed flat"): a period before a change and the period after it; None otherwise."""
    before, after = _BEFORE.search(folded), _AFTER.search(folded)
    if before and after:
        return before, after
    moved, flat = _COUNT_FROM_TO.search(folded), _FLAT_BASE.search(folded)
    if moved and flat:  # "went from 120/week to 165/week … traffic stayed flat at ~9k/week"
        return moved, flat
    return _labelled_after(folded)


def _labelled_after(folded: str) -> tuple[re.Match, re.Match] | None:
    """The volumes labelled 'before' and 'after' once they are given ("9,800 visits before,
    10,300 after") beside a rate's move from one % to another; None otherwise."""
    labelled = {m["when"][:2]: m for m in _LABEL_AFTER.finditer(folded)}
    before = labelled.get("be") or labelled.get("av")
    after = labelled.get("af") or labelled.get("ap")
    return (before, after) if before and after and _MOVED_FROM_TO.search(folded) else None


def _before_after(folded: str, qs: list[Quantity]) -> None:
    """'avant 2,8 % de conversion sur 40k sessions, après 2,3 % sur 38k sessions. c'est
    significatif ?': in a message asking whether a change is real, the figures after 'avant' /
    'before' are the period before it (A) and those after 'après' / 'after' the period after it
    (B), compared like a test's arms (a comparison the readout says is not randomised)."""
    if any(q.arm for q in qs) or not (_ARMED_TEST.search(folded) or _ROLLBACK.search(folded)):
        return
    before, after = _BEFORE.search(folded), _AFTER.search(folded)
    if not (before and after and before.start() < after.start()):
        _labelled_after_periods(folded, qs)
        _moved_on_flat_base(folded, qs)
        return
    for q in qs:
        if q.unit in ("%", "") and q.start > before.start():
            q.arm = "A" if q.start < after.start() else "B"


_ROLLBACK = re.compile(
    r"(?<![a-z])(?:roll ?back|revert|go back|undo|revenir en arriere|on revient|retour arriere|"
    r"real drop|vraie baisse|vraie hausse|real (?:increase|gain|effect|lift|impact)|"
    r"(?:vrai|reel) (?:effet|impact)|effet reel|noise|bruit)(?![a-z])"
)  # "should we roll back?", "real effect?": whether the change after which figures moved is real
_LABEL_AFTER = re.compile(
    r"(?P<num>\d[\d,.\s]*k?)\s*(?:[a-z]+\s+){0,2}?(?P<when>avant|before|apres|after)(?![a-z])"
)
_MOVED_FROM_TO = re.compile(
    r"(?<![a-z])(?:from|de|passe de|went from)\s+(?P<a>\d[\d,.]*)\s?%\s*(?:to|a)\s+(?P<b>\d[\d,.]*)\s?%"
)


def _labelled_after_periods(folded: str, qs: list[Quantity]) -> None:
    """ "conversion dropped from 6.2% to 4.1% after we changed the hero image. 9,800 visits
    before, 10,300 after": each period's volume labelled after it, and the rate's move from the
    period before to the period after: arm A before, arm B after, read like a test's arms."""
    labelled, move = _labelled_after(folded), _MOVED_FROM_TO.search(folded)
    if labelled is None or move is None:
        return
    starts = {
        labelled[0].start("num"): "A",
        labelled[1].start("num"): "B",
        move.start("a"): "A",
        move.start("b"): "B",
    }
    hits = [q for q in qs if q.start in starts and q.unit in ("%", "")]
    if len(hits) != 4:
        return
    volume = next((q.measure for q in hits if q.unit == "" and q.measure != "count"), None)
    for q in hits:
        q.arm = starts[q.start]
        if q.unit == "%" and q.measure in (None, "change", "rate"):
            q.measure = "conversion_rate"  # the rate that moved between the two periods
        elif q.unit == "" and q.measure in (None, "count"):
            q.measure = volume or "visitors"  # "10,300 after": as many of the same


# "demo requests went from 120/week to 165/week", "les inscriptions sont passées de 80 à 112"
_COUNT_FROM_TO = re.compile(
    r"(?<![a-z])(?:from|de)\s+(?P<a>\d[\d,.\s]*k?)\s*(?:/\s*[a-z]+)?\s+(?:to|a)\s+"
    r"(?P<b>\d[\d,.\s]*k?)(?!\s*%)"
)
# "traffic stayed flat at ~9k/week", "trafic stable à 9 000 visites", "same traffic (9k)"
_FLAT_BASE = re.compile(
    rf"(?<![a-z])(?:{TRAFFIC_NOUNS})\w*\s+(?:\w+\s+){{0,2}}?(?:flat|stable|unchanged|the same|"
    r"inchange\w*|pareil|identique)\w*\s*(?:at|a|around|autour de|vers|:)?\s*~?\s*(?P<n>\d)"
)


def _moved_on_flat_base(folded: str, qs: list[Quantity]) -> None:
    """ "demo requests went from 120/week to 165/week. traffic stayed flat at ~9k/week. real
    effect?": a count that moved from one period to the next on a traffic said to hold, read like
    a test's arms: the count before (A) and after (B), each on that traffic (a comparison the
    readout says is not randomised)."""
    moved, flat = _COUNT_FROM_TO.search(folded), _FLAT_BASE.search(folded)
    if moved is None or flat is None:
        return

    def at(i: int) -> Quantity | None:  # the count read there ("~9k" starts at its tilde)
        return next((q for q in qs if q.start <= i < q.end and q.unit == ""), None)

    before, after, base = at(moved.start("a")), at(moved.start("b")), at(flat.start("n"))
    if before is None or after is None or base is None:
        return
    for q, arm in ((before, "A"), (after, "B")):
        q.arm, q.measure = arm, "conversions"
    base.arm, base.measure = "*", "visitors"


_OF_USERS = re.compile(
    r"\s*(?:of|de|des|du)\s+(?:the\s+|our\s+|la\s+|nos\s+|l')?(?:users|contacts|customers|"
    r"subscribers|audience|base|list|utilisateurs|clients|abonnes|liste)(?![a-z])"
)
# a group's share said before the group: "the 10% holdout", "90% got emails"
_SHARE_OF_ARM = re.compile(
    r"\s*(?:holdout|(?:got|received|recu\w*|ont recu|recoivent)\s+(?:the\s+|les\s+)?"
    r"(?:emails?|mails?|ads?|pubs?|messages?|campaigns?)|exposed|exposes)(?![a-z])"
)
_PEOPLE = re.compile(r"\s*(?:contacts|users|utilisateurs|clients|customers)(?![a-z])")
_IN_TOTAL = re.compile(
    r"\s*(?:[a-z]+\s+){0,2}?(?:in total|au total|en tout|overall|total)(?![a-z])"
)


def _holdout_split(folded: str, qs: list[Quantity]) -> None:
    """In a holdout test ("10% of users got no emails … holdout converted at 3.1%, emailed group
    at 3.6%, 200k users in total"; "90% got emails and converted at 4.2%, the 10% holdout at
    3.5%. 200k contacts"), a share of the users is a group's part of the traffic and a count of
    the people, or one said to be the total, is every user, neither one arm's figure, unless each
    group has its own count of people ("emailed group 50,000 users …, holdout 5,000 users")."""
    if not HOLDOUT.search(folded):
        return
    people = [q for q in qs if q.unit == "" and _PEOPLE.match(folded, q.end)]
    # "emailed group 50,000 users 2.9%, holdout 5,000 users 2.4%": each group's own count
    each = len({q.arm for q in people if q.arm in ("A", "B")}) == 2
    for q in qs:
        if q.unit == "%" and not q.signed and _OF_USERS.match(folded, q.end):
            q.measure, q.arm = "traffic_share", None
        elif q.unit == "%" and not q.signed and _SHARE_OF_ARM.match(folded, q.end):
            q.measure, q.arm = "traffic_share", None  # "the 10% holdout", "90% got emails"
        elif q.unit == "" and _IN_TOTAL.match(folded, q.end):
            q.measure, q.arm = "visitors", None
        elif q in people:
            q.measure, q.arm = "visitors", q.arm if each else None


def _from_and_to(folded: str, q1: Quantity, q2: Quantity) -> bool:
    """Whether ``q1`` comes after 'from' / 'de' and ``q2`` right after 'to' / 'à' ("went from
    1,100 to 1,650", "est passé de 54 € à 57 €")."""
    return bool(
        _FROM.search(folded[max(0, q1.start - 16) : q1.start])
        and _TO.fullmatch(folded[q1.end : q2.start])
    )


_TRAFFIC_PER = ("monthly_traffic", "daily_traffic", "yearly_traffic")


def _from_to(folded: str, qs: list[Quantity]) -> None:
    """'AOV dropped from $82 to $71', 'le panier est passé de 54 € à 57 €': the figure after
    'to' is the same measure as the one after 'from'; so is the figure 'now' after one that
    'was' ('ARPU was €45 now €54')."""
    for q1, q2 in zip(qs, qs[1:]):
        if q1.measure and q1.unit == q2.unit and was_now(folded, q1.start, q1.end, q2.start):
            q2.measure = q1.measure  # "ARPU was €45 now €54": the same figure, then and now
            continue
        if _labels(q1, q2) and q2.measure is None and _from_and_to(folded, q1, q2):
            _take_label(q2, q1)  # "MRR went from 84k to 91k": MRR, in the same currency
            continue
        # "from 120 to 168 per month": a per-period suffix on the second names no other measure
        free = q2.measure is None or (
            q2.measure in _TRAFFIC_PER and q1.measure not in _TRAFFIC_PER + ("visitors",)
        )
        if not (free and q1.unit == q2.unit and _from_and_to(folded, q1, q2)):
            continue
        if q1.measure is None:  # "orders went from 1,100 to 1,650": the measure before the verb
            said = [
                w for w in words(folded[max(0, q1.start - 40) : q1.start]) if w not in _MOVED_WORDS
            ]
            hit = measure_index(_UNIT_KIND[q1.unit]).suffix(said[-4:]) if said else None
            q1.measure = hit[0] if hit and _plausible(hit[0], q1) else _bracketed(folded, q1)
        q2.measure = q1.measure


_TO_DETECT = re.compile(
    r"(?<![a-z])(?:detect\w*|sample size|taille d'?echantillon|echantillon|how many (?:visitors|users)|"
    r"combien de (?:visiteurs|visites|utilisateurs)|how long|combien de temps)(?![a-z])"
)


def _planned_move(folded: str, qs: list[Quantity]) -> None:
    """'taille d'échantillon pour détecter un passage de 4 % à 4,5 %', 'sample size to detect a
    move from 4% to 4.5%': in a test plan, the rate after 'from' is today's and the one after
    'to' the rate to reach (not a 4 % effect on a 4.5 % rate)."""
    if not _TO_DETECT.search(folded):
        return
    for q1, q2 in zip(qs, qs[1:]):
        if (
            q1.unit == q2.unit == "%"
            and not (q1.arm or q2.arm or q1.signed or q2.signed)
            and q1.value != q2.value
            and _from_and_to(folded, q1, q2)
        ):
            if q1.measure in _RATE_OR_GOAL:  # a rate the words name stays that rate
                q1.measure = "conversion_rate"
            q2.measure = "target_rate"


def _bracketed(folded: str, q: Quantity) -> str | None:
    """The measure the sentence names last before a bracket ``q`` opens ("le taux d'ouverture a
    baissé depuis le changement de domaine (de 34 % à 17 %)"), or None."""
    before = folded[max(0, q.start - 100) : q.start]
    opened = re.search(r"\(\s*(?:de|from|du)?\s*$", before)
    if not opened:
        return None
    return _named_last(re.split(r"[.!?;\n]", before[: opened.start()])[-1], q)


def _bracketed_moves(folded: str, qs: list[Quantity]) -> None:
    """A signed % in brackets right after a revenue figure ("revenue $1.2M (+8% MoM)", "CA 1,2M€
    (+8 % vs M-1)") is how much that revenue moved: a revenue change, not a change of nothing."""
    for prev, q in zip(qs, qs[1:]):
        if (
            prev.measure == "revenue"
            and q.unit == "%"
            and q.signed
            and q.measure in (None, "change")
            and re.fullmatch(r"\s*\(\s*", folded[prev.end : q.start])
        ):
            q.measure = "revenue_change"


def _ratios(folded: str, qs: list[Quantity]) -> None:
    """'312 conversions sur 10 000', '1,840 orders / 52k visitors', '18 200 € sur 30 000': a count
    out of a count is conversions out of visitors (unless words say otherwise); money out of
    money is spend out of a budget, money 'pour' money spend and the revenue it brought."""
    for i, (q1, q2) in enumerate(zip(qs, qs[1:])):
        if (
            q1.unit not in ("", "€")
            or q2.unit not in ("", "€")
            or not _RATIO_LINK.match(folded[q1.end : q2.start])
        ):
            continue
        # "septembre 142 000 € de CA pour 48 000 sessions, octobre 151 000 € pour 55 000 sessions":
        # the same pair again is the same money
        said = [
            p.measure
            for p, n in zip(qs[:i], qs[1 : i + 1])
            if p.unit == "€" and p.measure in ("revenue", "spend") and n.measure == q2.measure
        ]
        if q1.measure in (None, "amount") and q2.measure and said:
            q1.measure = said[-1]
            continue
        if (
            q1.unit == "€"
            and q1.measure in (None, "amount", "cpm", "cpc", "cpa")
            and q2.unit == ""
            and q2.measure in ("impressions", "clicks", "conversions", "customers", "orders")
        ):
            q1.measure = "spend"  # "4 500 € pour 900 000 impressions": what was spent for them
            continue
        if q1.unit == "€" or q1.measure == "spend":
            q1.measure = q1.measure if q1.measure not in (None, "amount") else "spend"
            if q2.measure in (None, "amount", "budget"):
                # "5 400 € pour 32 400 €": what the spend brought in; "18 200 € sur 30 000": its budget
                brought = re.search(r"\bpour\b", folded[q1.end : q2.start])
                q2.measure = "revenue" if brought else "budget"
                q2.unit, q2.currency = "€", q2.currency or q1.currency
            continue
        if q1.unit == "" and q2.unit == "€" and q2.measure in (None, "amount"):
            q2.measure = "spend"  # "180 leads pour 9 000 €": what they cost, not who saw them
            continue
        # a fraction of a person is no count, and "8 / 2.5 / 4" is a list of three, not a ratio
        chained = i > 0 and folded[qs[i - 1].end : q1.start].strip() == "/"
        if q2.value < q1.value or not q1.value.is_integer() or chained:
            continue
        if q1.measure in (None, "conversions", "orders", "clicks") and q2.measure in (
            None,
            "visitors",
            "impressions",
            "clicks",
            "customers",
        ):
            q1.measure = q1.measure or "conversions"
            q2.measure = q2.measure or ("impressions" if q1.measure == "clicks" else "visitors")
            q1.paired = q2.paired = True


def _sentence_break(folded: str, a: int, b: int) -> bool:
    return bool(re.search(r"[.!?](?:\s|$)|\n", folded[a:b]))


def _assign_arms(
    folded: str, qs: list[Quantity], arms: list[Mention], channels: list[Mention]
) -> None:
    """Each number takes the arm named last before it in its sentence; without arm names,
    'X vs Y' pairs (unless they compare two ``channels``) and ratios in a row ('210/7000,
    245/7000, 230/7000') are A, B, C in order."""
    if arms:
        for q in qs:
            previous = [
                m
                for m in arms
                if m.end <= q.start + 1 and not _sentence_break(folded, m.end, q.start)
            ]
            if previous and q.arm != "*":
                q.arm = previous[-1].value
        # "… vs 690 from 26,800 on control": an arm named at the end of its clause names the figures before it
        clauses = (
            [0]
            + [
                m.end()
                for m in re.finditer(
                    r"[;!?\n]|[,.](?!\d)|\s(?:vs\.?|versus|contre|against|but|mais|while|whereas)\s",
                    folded,
                )
            ]
            + [len(folded)]
        )
        for lo, hi in zip(clauses, clauses[1:]):
            inside = [q for q in qs if lo <= q.start < hi and q.arm != "*"]
            last = [m for m in arms if lo <= m.start < hi]
            if not inside or not last or any(m.end <= inside[0].start for m in last):
                continue
            if len({m.value for m in last}) >= 2:  # "€80 for A and €74 for B": the arm after each
                for q in inside:
                    after = next((m for m in last if m.start >= q.end), None)
                    q.arm = after.value if after else q.arm
            elif last[-1].start > inside[-1].end:
                for q in inside:
                    q.arm = last[-1].value
        _described(folded, qs, arms)
        _pairs_like_the_first(folded, qs)
        # "control … 3.1%, variant … 3.4%. revenue per user $5.20 vs $6.10": a pair no arm names,
        # in a test whose arms are named, is A then B like any 'X vs Y'
        _versus_pairs(folded, [q for q in qs if q.arm is None], channels)
        return
    heads = [
        i
        for i, q in enumerate(qs)
        if q.paired
        and q.measure in ("conversions", "orders", "clicks")
        and i + 1 < len(qs)
        and qs[i + 1].paired
    ]
    if len(heads) >= 2:
        for n, i in enumerate(heads[:5]):
            qs[i].arm = qs[i + 1].arm = "ABCDE"[n]
        return
    if not _grouped_versus(folded, qs, channels):
        _versus_pairs(folded, qs, channels)


def _grouped_versus(folded: str, qs: list[Quantity], channels: list[Mention]) -> bool:
    """'29€ conv 3,1% (n=8 200) vs 35€ conv 2,7% (n=8 150)': in a sentence, two groups of two
    figures or more in the same units on each side of one 'vs' are the versions compared, A then
    B (the second group's figures take the first's measures when no word names them); not when a
    channel is named in the sentence (graph.understanding.channel_lists compares channels).
    Returns whether it assigned them."""
    versus = list(_patterns()["versus"].finditer(folded))
    if len(versus) != 1:
        return False
    at = versus[0]
    first = [
        q for q in qs if q.end <= at.start() and not _sentence_break(folded, q.end, at.start())
    ]
    second = [
        q for q in qs if q.start >= at.end() and not _sentence_break(folded, at.end(), q.start)
    ]
    if (
        len(first) < 2
        or len(first) != len(second)
        or any(q.arm for q in first + second)
        or [q.unit for q in first] != [q.unit for q in second]
    ):
        return False
    lo, hi = first[0].start, second[-1].end
    if any(lo <= c.start < hi for c in channels):
        return False
    for q1, q2 in zip(first, second):
        q1.arm, q2.arm = "A", "B"
        q2.measure = q2.measure or q1.measure
    return True


def _pairs_like_the_first(folded: str, qs: list[Quantity]) -> None:
    """A later 'X vs Y' pair that took one arm for both ("variant conv 3.3% vs 3.0% on control,
    AOV $52 vs $50": the control named last) is in the order of the first pair of two arms."""
    versus = _patterns()["versus"]
    pairs = [
        (q1, q2)
        for q1, q2 in zip(qs, qs[1:])
        if versus.search(folded[q1.end : q2.start]) and len(words(folded[q1.end : q2.start])) <= 4
    ]
    first = next(((a, b) for a, b in pairs if a.arm and b.arm and a.arm != b.arm), None)
    for q1, q2 in pairs:
        if first and q1.arm == q2.arm and q1.arm not in (None, "*") and q1.start > first[1].end:
            q1.arm, q2.arm = first[0].arm, first[1].arm


def _described(folded: str, qs: list[Quantity], arms: list[Mention]) -> None:
    """'variant C (3 tiers instead of 4): 9,900 / 318': a number in brackets just after an arm's
    name describes the variant when two figures of that arm (visitors, conversions) follow the
    brackets; it is none of the arm's figures."""
    for m in arms:
        opened = re.match(r"\s*\(([^()]*)\)", folded[m.end :])
        if not opened:
            continue
        lo, hi = m.end + opened.start(1), m.end + opened.end(1)
        if len([q for q in qs if q.start >= hi and q.arm == m.value]) >= 2:
            for q in qs:
                if lo <= q.start < hi and q.arm == m.value:
                    q.arm = None


def _versus_pairs(folded: str, qs: list[Quantity], channels: list[Mention]) -> None:
    """'X vs Y' (or a report's 'X (last week Y)', 'X (Y)') without arm names: A then B, the
    second figure the same measure as the first; each its channel's when they compare two
    (graph.understanding.channel_lists.channels_compared)."""
    versus = _patterns()["versus"]
    prior = bool(_PRIOR_PERIOD.search(folded))
    for q1, q2 in zip(qs, qs[1:]):
        between = folded[q1.end : q2.start]
        # "sessions 38,200 (last week 41,000), signups 612 (598)": the previous period in brackets
        bracketed = (
            prior
            and _BRACKET_OPEN.fullmatch(between) is not None
            and folded[q2.end : q2.end + 3].lstrip().startswith(")")
        )
        target = _GOAL.search(between) or _GOAL.match(folded[q2.end : q2.end + 10].strip())
        if (
            (q1.unit == q2.unit or (q2.unit == "" and q2.measure is None))  # "71k€ (vs 63k)"
            and not (q1.unit == "%" and q2.unit == "" and q2.value > 100)  # "3,9 % (22 000)"
            and q1.arm is None
            and not target  # "revenue €2.4M vs target €2.6M": a target, not another period
            and ((versus.search(between) and len(words(between)) <= 4) or bracketed)
            and not _sentence_break(folded, q1.end, q2.start)  # "… €39k. vs last week: €11.8k"
        ):
            if not bracketed and channels_compared(folded, q1, q2, channels):
                continue
            now_then = NOW_SAID.search(between) or _AGO.match(
                folded, q2.end
            )  # "19% now vs 26% 6 months ago", "0,9 % ce mois-ci contre 1,4 % le mois dernier"
            # "1.8% on mobile vs 3.9% on desktop", "mobile 1,1 % vs 2,9 % desktop"
            if now_then or _on_devices(folded, q1, q2) or devices_apart(folded, q1, q2):
                q2.measure = q2.measure or q1.measure
                continue
            moved = _moved_first(folded, qs, q1, q2)  # the stated move decides, else the words
            after_first = moved if moved is not None else _variant_first(folded, q1.start)
            q1.arm, q2.arm = ("B", "A") if after_first else ("A", "B")
            if q2.measure is None:  # the figure compared to is the same measure, in its unit
                q2.measure, q2.unit = q1.measure, q1.unit


_ON_DEVICE = re.compile(
    r"\s*(?:on|sur|en)?\s*(?:mobiles?|smartphones?|desktop|ordinateurs?|tablettes?|tablets?)\b"
)


def _on_devices(folded: str, q1: Quantity, q2: Quantity) -> bool:
    """Whether each of two figures compared is a device's ("1.8% on mobile vs 3.9% on desktop"):
    two segments of the same page, not two versions of a test."""
    return all(_ON_DEVICE.match(folded, q.end) for q in (q1, q2))


def _variant_first(folded: str, at: int) -> bool:
    """Whether the clause before a pair 'X vs Y' (up to ``at``) names the variant before, or
    without, the control: "la variante sans photo convertit mieux (4,1 % vs 3,6 %)", "variante à
    49 € vs 39 €" give the variant's figure first ("test" alone names no version)."""
    clause = re.split(r"[.;!?\n]", folded[:at])[-1]
    p = _patterns()
    variant = next((m for m in p["variant"].finditer(clause) if m.group(0).strip() != "test"), None)
    variant = variant or _NEW_THING.search(clause)  # "the new checkout converts better"
    control = p["control"].search(clause) or _OLD_THING.search(clause)
    return variant is not None and (control is None or variant.start() < control.start())


def _moved_first(folded: str, qs: list[Quantity], q1: Quantity, q2: Quantity) -> bool | None:
    """Whether the move stated before a pair 'X vs Y' in its sentence is X's against Y
    ("conversions went UP 18% (1,240 vs 1,050 …)": 1,240 / 1,050 − 1 = +18.1 %): X is then the
    variant, the figure after the change; False when it is Y's against X ("ventes +8 % … conv
    2,5 % vs 2,7 %"); None when no stated move is within 1.5 points of either."""
    if not q1.value or not q2.value:
        return None
    first, second = abs(q1.value / q2.value - 1) * 100, abs(q2.value / q1.value - 1) * 100
    for q in qs:
        if not (
            q.unit == "%"
            and (q.signed or q.measure in (None, "change", "rate", "mde"))  # "+11 % d'ouvertures"
            and q.end <= q1.start
            and not _sentence_break(folded, q.end, q1.start)
        ):
            continue
        off_first, off_second = abs(abs(q.value) - first), abs(abs(q.value) - second)
        if min(off_first, off_second) <= 1.5 and off_first != off_second:
            return off_first < off_second
    return None


_NEW_THING = re.compile(
    r"(?<![a-z])(?:new|nouvel|nouvelle|nouveau|redesigned|refait\w*)\s+"
    r"(?!(?:customers?|clients?|users?|subscribers?|leads?|visitors?|signups?|accounts?|abonnes|"
    r"utilisateurs|inscrits|visiteurs|comptes|acheteurs|buyers|mrr|business)(?![a-z]))[a-z]"
)  # "the new checkout", not "new customers 9,200 vs 8,100": a measure, not a version
_OLD_THING = re.compile(
    r"(?<![a-z])(?:old|ancien\w*|current|actuel\w*|existing|existant\w*)\s+[a-z]"
)


_AGO = re.compile(
    r"\s*(?:\d+|a|an|one|two|three|six|un|une|deux|trois|six)?\s*(?:days?|weeks?|months?|years?)\s+ago|"
    r"\s*il y a\s"
)
_PRIOR_PERIOD = re.compile(rf"(?<![a-z])({PAST_PERIOD}|[smw]-1|wow|mom)(?![a-z0-9])")
_BRACKET_OPEN = re.compile(
    rf"\s*\(\s*(?:(?:{PAST_PERIOD}|[smw]-1|vs\.?|previous|prev|precedent\w*)\s*:?\s*)?[$€£]?\s*"
)
_CHANNEL_FIGURES = (
    "roas",
    "spend",
    "revenue",
    "conversions",
    "orders",
    "cpa",
    "cpc",
    "cpm",
    "ctr",
    "clicks",
    "impressions",
    "amount",
    "ratio",
    "count",
    "conversion_rate",
    "leads",
    "rate",
    "list_size",  # "email 80k contacts, SMS 20k": each channel's list
    "customers",  # "42k on Google for 350 customers": that channel's customers
    "sqls",  # "$18k on LinkedIn for 45 SQLs": that channel's SQLs
    "mqls",
    "revenue_share",  # "38 % du CA vient du SEO", "email revenue share 28%": that channel's share
    None,
)


def _channel_budget(folded: str, qs: list[Quantity], channels: list[Mention]) -> None:
    """A budget named by its channel ("a Meta retargeting budget of $3k", "un budget Meta de
    5k€") is that channel's, not the budget to split."""
    for q in qs:
        if q.measure != "budget" or q.channel or q.unit != "€":
            continue
        named = [
            c
            for c in channels
            if c.end <= q.start and _BUDGET_OF.fullmatch(folded[c.end : q.start])
        ]
        if named:
            q.channel = named[-1].value[0]


# "<channel> [retargeting] budget of", "budget <channel> de": the words between a channel and its amount
_BUDGET_OF = re.compile(r"\s+(?:[a-z-]+\s+){0,2}budget\s+(?:of|de)\s+|\s+de\s+")


_PERIODS = ("duration", "start_date", "end_date")  # when, not what: no figure of the channel
_BASKETS = ("aov", "mean")  # "€95 avg" after a count of purchases: a basket, a mean spent

# "80k sur google", "$25 per signup on google": the channel an amount is put on
_PUT_ON = re.compile(
    r"\s*(?:/\s*[a-z]+\s+)?(?:(?:par|per|le|la|the|a|an|each|chaque)\s+[a-z-]+\s+)?"
    r"(?:(?:of|du|de)\s+(?:(?:our|the|notre|nos|le)\s+)?(?:total\s+)?(?:budget|spend|depenses?)\s+)?"
    r"(?:sur|on|pour|for|via|chez|into|in|dans|en)\s+"
)  # "$40k/month on Google Ads", "5 000 € par mois sur Meta", "40% of our budget on Meta"


def _assign_channels(folded: str, qs: list[Quantity], channels: list[Mention]) -> None:
    """A figure written after a channel in the same sentence ('ROAS Google 4,2', 'Google Ads :
    5 000 € de dépense, 21 000 € de CA') or right before 'sur/on/for' + a channel ('4,2 sur
    Google') belongs to that channel, as the user named it; a budget to split does not."""
    several = len({c.value[0] for c in channels}) >= 2
    # one basket for all is shared; "51 purchases at €95 avg … 44 purchases at €88 avg": each's
    baskets = several and sum(q.measure in _BASKETS for q in qs) >= 2
    for i, q in enumerate(qs):
        if (
            q.arm
            or q.channel
            or (q.measure not in _CHANNEL_FIGURES and not (baskets and q.measure in _BASKETS))
        ):
            continue
        if q.measure in ("list_size", "sqls", "mqls") and not several:
            continue  # "base email de 18 500 contacts": the list, no channel to tell apart
        lo = qs[i - 1].end if i else 0
        if own := _channel_after(folded, q, channels):
            q.channel = own.value[0]
            continue
        inside = [
            c for c in channels if c.end <= q.start and not _sentence_break(folded, c.end, q.start)
        ]
        if inside:
            last = inside[-1]
            close = len(words(folded[last.end : q.start])) <= 6 and not _BOUNDARY.search(
                re.sub(r"[:(]", " ", folded[max(lo, last.end) : q.start])
            )
            # a list is named by its own channel ("email 80k, SMS 20k"), not the figure's before it
            carried = (
                q.measure != "list_size"
                and i
                and qs[i - 1].channel == last.value[0]
                and last.end <= qs[i - 1].start
            )
            close = close and not any(
                last.end <= p.start < q.start and p.measure not in _PERIODS for p in qs
            )  # the first figure after the name ("Meta campaign last 30 days: spend 14 200€")
            if close or carried:
                q.channel = last.value[0]
                continue
        after = [
            c
            for c in channels
            if q.end <= c.start <= q.end + 30
            and re.fullmatch(
                r"\s*(?:(?:[a-z%']+\s+){0,2}?(?:sur|on|for|pour|via|de|from|chez|in|en|\(|avec|with)\s*)?",
                folded[q.end : c.start],
            )
        ]
        if after:
            q.channel = after[0].value[0]


def _channel_after(folded: str, q: Quantity, channels: list[Mention]) -> Mention | None:
    """The channel written right after ``q`` that ``q`` belongs to: glued to a bare count ("15k
    SMS"), the channel it is put on ("80k sur google et 20k sur meta"), or the one after its
    noun ("1 200 leads FB dont 24 clients"); None otherwise."""
    named = next((c for c in channels if 0 <= c.start - q.end <= 1), None)
    # "fb 3.2 google 4.8": a channel right before the figure labels it, not the next one
    labelled = any(0 <= q.start - c.end <= 2 for c in channels)
    if named and not labelled and q.measure in (None, "count", "list_size"):
        return named
    on = next(
        (
            c
            for c in channels
            if q.end <= c.start <= q.end + 30 and _PUT_ON.fullmatch(folded[q.end : c.start])
        ),
        None,
    )
    came = next(  # "38 % du CA vient du SEO": the channel a share of revenue comes from
        (
            c
            for c in channels
            if q.measure == "revenue_share" and _COMES_FROM.fullmatch(folded, q.end, c.start)
        ),
        None,
    )
    return (
        on or came or _part_also_on(folded, q, channels) or _named_after_noun(folded, q, channels)
    )


def _part_also_on(folded: str, q: Quantity, channels: list[Mention]) -> Mention | None:
    """The channel a part of a list is also on ("60k abonnés email dont 18k aussi en SMS", "18k
    of them also on SMS"), or None."""
    them = _OF_THEM.match(folded, q.end)
    if not (them or _PART_OF.search(folded, max(0, q.start - 12), q.start)):
        return None
    rest = them.end() if them else q.end
    return next((c for c in channels if _ALSO_ON.fullmatch(folded, rest, c.start)), None)


# "1 200 leads FB dont …": a figure, its noun, then the channel it is counted on
_NOUN_BETWEEN = re.compile(r"\s*[a-z]{3,}\s+")  # "60k abonnés email": the "k " read with the figure
# the channel heads the next figure instead ("300 leads Google : 200 leads", "clics Meta 4 000")
_HEADS_NEXT = re.compile(r"\s*(?:[:=(]|[$€£]?\d)")


def _named_after_noun(folded: str, q: Quantity, channels: list[Mention]) -> Mention | None:
    """The channel written right after ``q``'s noun ("1 200 leads FB dont 24 clients", "450
    leads Google, …") when it does not head the next figure: the channel the figure counts."""
    return next(
        (
            c
            for c in channels
            if _NOUN_BETWEEN.fullmatch(folded[q.end : c.start])
            and not _HEADS_NEXT.match(folded, c.end)
        ),
        None,
    )


def _spend_then_revenue(folded: str, qs: list[Quantity]) -> None:
    """'SEA 420k€ → 1,9 M€ de CA': an amount a channel's revenue follows through an arrow (or
    'pour') is what the channel spent to make it."""
    for q1, q2 in zip(qs, qs[1:]):
        if (
            q2.measure == "revenue"
            and q1.measure is None
            and q1.unit == "€"
            and q1.channel
            and q1.channel == q2.channel
            and re.fullmatch(
                r"\s*(?:→|->|=>|pour|for|gives?|donne|a rapporte)\s*", folded[q1.end : q2.start]
            )
        ):
            q1.measure = "spend"


_SPENT_ON_TOO = re.compile(
    r"\s*(?:(?:en|in|on|de|d'|for|pour|sur)\s*[a-z' -]{2,25}?\s+)?(?:et|and|\+|plus|,)\s*"
)


def _spent_also(folded: str, qs: list[Quantity]) -> None:
    """'dépensé 48 000 € en pub et 12 000 € en outils': an amount listed after a spend, each with
    what it went on, is spent too (a CAC adds them up: binding.acquisition_costs)."""
    for q1, q2 in zip(qs, qs[1:]):
        if (
            q1.measure == "spend"
            and q2.measure in (None, "amount")
            and q2.unit == "€"
            and not q2.channel
            and _SPENT_ON_TOO.fullmatch(folded[q1.end : q2.start])
        ):
            q2.measure = "spend"


_OWN_NOUN = re.compile(
    r"\s*(?!(?:pour|sur|avec|puis|then|dans|contre|versus|each|chacun\w*|pts?)\b)[a-z]{4,}"
)


def _inherit(folded: str, qs: list[Quantity], channel_starts: set[int]) -> None:
    """Lists keep their labels by position: 'A : 10000 visiteurs, 500 conversions ; B : 10000,
    580' (B's numbers are visitors then conversions), 'Google Ads : 5 000 € dépensés, 21 000 € de
    CA ; Meta : 3 000 €, 7 500 €' (Meta's are spend then revenue), 'ROAS Google 4,2, Meta 3,1'.
    A figure followed by a noun of its own ("6 creators"; not a channel: "5.1 google") counts
    that, and takes no label."""
    for attr in ("arm", "channel"):
        groups: dict[str, list[Quantity]] = {}
        for q in qs:
            key = getattr(q, attr)
            if key and key != "*":
                groups.setdefault(key, []).append(q)
        for key, members in groups.items():
            for pos, q in enumerate(members):
                own = _OWN_NOUN.match(folded, q.end)
                if (
                    q.measure
                    or q.negated
                    or (own and own.end() - len(own[0].lstrip()) not in channel_starts)
                ):
                    continue
                for other, template in groups.items():
                    if other != key and pos < len(template) and _labels(template[pos], q):
                        _take_label(q, template[pos])
                        break
                else:
                    prev = next(
                        (
                            p
                            for p in reversed(qs[: qs.index(q)])
                            if getattr(p, attr) not in (None, "*", key) and _labels(p, q)
                        ),
                        None,
                    )
                    if prev and attr == "channel":
                        _take_label(q, prev)
    # two bare counts left in one arm: the smaller converts out of the larger
    for arm in {q.arm for q in qs if q.arm and q.arm != "*"}:
        bare = [q for q in qs if q.arm == arm and q.unit == "" and q.measure is None]
        if len(bare) == 2:
            small, large = sorted(bare, key=lambda q: q.value)
            small.measure, large.measure = "conversions", "visitors"


_GROUP_LABEL = re.compile(
    r"(?:[,;:\n]|\s(?:et|and)\s)\s*(?:(?:the|les?|la|l')\s+)?([a-z][a-z' -]{1,30}?)\s*:?\s*$"
)


def _labelled_groups(folded: str, qs: list[Quantity], evidence: Callable[[int, int], str]) -> None:
    """'webinar 120 MQL / 30 SQL, ebook 400 MQL / 36 SQL, demo page 80 MQL / 52 SQL': groups of
    two figures or more with the same measures, each headed by a few words after a comma or a
    colon, break the figures down by those words (a source, a segment): each group's figures
    take its words as their channel, as written. Not for figures an arm or a channel holds, nor
    for words that name a measure ("sent 48,000, delivered 47,100")."""
    groups: list[tuple[str, list[Quantity]]] = []
    for i, q in enumerate(qs):
        head = _GROUP_LABEL.search(folded, qs[i - 1].end if i else 0, q.start)
        if head:
            groups.append((evidence(head.start(1), head.end(1)), [q]))
        elif groups:
            groups[-1][1].append(q)
    kept = [
        (label, figures)
        for label, figures in groups
        if len(figures) >= 2 and not any(q.arm or q.channel for q in figures)
    ]
    shapes = [[q.measure for q in figures] for _, figures in kept]
    if len(kept) < 2 or None in shapes[0] or any(m != shapes[0] for m in shapes):
        return
    if any(fold(label) in measure_words() for label, _ in kept):
        return
    if any(words(label)[-1:] and words(label)[-1] in MONTHS for label, _ in kept):
        return  # "septembre 142 000 € …, octobre 151 000 € …": periods, no channels
    for label, figures in kept:
        for q in figures:
            q.channel = label


# "ROAS par campagne :", "CPA by campaign:": a measure given for named things, listed next
_LIST_HEADER = re.compile(
    r"([a-z][a-z >→-]{1,25}?)\s+(?:par|per|by)\s+(?:campagnes?|campaigns?|sources?|pays|countries|"
    r"country|produits?|products?|ad ?sets?|ensembles? de pub\w*)"
    r"(?:\s+(?:sur|en|in|for|over|du|de)\s+[a-z0-9 ]{1,20}?)?\s*:"  # "ROAS par campagne sur novembre :"
)
_LIST_ITEM = re.compile(r"(?:^|[,;]|\s(?:et|and)\s)\s*([a-z][a-z' -]{1,30}?)\s*:?\s*$")


def _headed_list(folded: str, qs: list[Quantity], evidence: Callable[[int, int], str]) -> None:
    """'ROAS par campagne : brand 12, generic 2,1, shopping 3,4, pmax 2,8': a measure named per
    campaign (source, country, product, ad set) before a colon, then one figure after each name up
    to the end of the sentence: each figure is that measure (a stage's rate named by its stages,
    "MQL to SQL rate by source", a conversion rate), its name read like a channel. Not for
    figures an arm holds, nor when the header names no measure."""
    header = _LIST_HEADER.search(folded)
    if header is None:
        return
    said = words(header.group(1))
    listed = _listed_items(folded, qs, header.end())
    if listed is None or len(listed) < 2:
        return
    kinds = [_UNIT_KIND[listed[0][2].unit]] if listed[0][2].unit in _UNIT_KIND else []
    named = next(
        (
            hit
            for unit in kinds + list(_UNIT_KIND.values())
            if (hit := measure_index(unit).suffix(said[-3:]))
        ),
        None,
    )
    if kinds == ["percent"] and (said[-1:] == ["rate"] or said[:1] == ["taux"]):
        named = ("conversion_rate", 1)  # "MQL to SQL rate by source", "taux MQL→SQL par source"
    if named is None:
        return
    for start, label, q in listed:
        q.channel = evidence(start, start + len(label))
        if not _in_brackets(folded, q):  # "brand 9,4 (dépense 6 000 €)": the spend keeps its word
            q.measure = named[0]


def _in_brackets(folded: str, q: Quantity) -> bool:
    """Whether ``q`` is written inside an open parenthesis ("brand 9,4 (dépense 6 000 €)")."""
    before = folded[: q.start]
    return before.rfind("(") > before.rfind(")")


def _listed_items(
    folded: str, qs: list[Quantity], after: int
) -> list[tuple[int, str, Quantity]] | None:
    """[(where its item starts, the item as written, the figure)] for each figure of ``qs`` from
    ``after`` to the end of its sentence, the item being the words of the list written before it
    (_LIST_ITEM), or, for a figure in brackets after an item's figure ("brand 9,4 (dépense
    6 000 €)"), that item; None when a figure has no item before it or an A/B arm holds it."""
    stop = re.search(r"[!?\n]|\.(?!\d)", folded[after:])  # "9.4" is a figure, not a stop
    end = after + stop.start() if stop else len(folded)
    figures = [q for q in qs if after <= q.start < end]
    listed: list[tuple[int, str, Quantity]] = []
    for previous, q in zip([None, *figures], figures):
        lo = previous.end if previous else after
        item = _LIST_ITEM.search(folded[lo : q.start])
        if listed and _in_brackets(folded, q) and "(" in folded[lo : q.start]:
            listed.append((*listed[-1][:2], q))
            continue
        if item is None or q.arm:
            return None
        listed.append((lo + item.start(1), item.group(1), q))
    return listed


# "3 campagnes Google :", "our Meta campaigns:": campaigns listed next, each with its name
_CAMPAIGNS = re.compile(
    r"(?<![a-z])(?:campagnes?|campaigns?|ad ?sets?|ensembles? de pub\w*)(?:\s+[a-z]+){0,2}\s*:"
)


def _listed_names(
    folded: str, qs: list[Quantity], evidence: Callable[[int, int], str], channels: list[Mention]
) -> list[Mention]:
    """Figures given for named things (:func:`_headed_list`, :func:`_named_campaigns`) take their
    names; ``channels`` less the one a list of campaigns runs on, which names no item."""
    _headed_list(folded, qs, evidence)
    if within := _named_campaigns(folded, qs, evidence):
        return [c for c in channels if not within[0] <= c.start < within[1]]
    return channels


def _named_campaigns(
    folded: str, qs: list[Quantity], evidence: Callable[[int, int], str]
) -> tuple[int, int] | None:
    """'3 campagnes Google : brand CPA 8 €, generic CPA 46 €, shopping CPA 22 €': campaigns
    listed after a colon, each as its name, a measure and a figure, up to the end of the
    sentence: each figure is that campaign's, its name read like a channel (the channel in the
    header is where they all run: the header's span is returned, None when no list is read). Not
    for figures an arm holds, nor items that name no measure."""
    header = _CAMPAIGNS.search(folded)
    listed = _listed_items(folded, qs, header.end()) if header else None
    if header is None or listed is None:
        return None
    items = []
    for start, label, q in listed:
        said = words(label)
        hit = measure_index(_UNIT_KIND.get(q.unit, "count")).suffix(said)
        tokens = list(re.finditer(r"\S+", label))
        if hit is None or hit[1] >= len(said) or len(tokens) != len(said):
            return None
        # the name as written: the words before the measure's
        items.append((evidence(start, start + tokens[len(said) - hit[1] - 1].end()), hit[0], q))
    if len(items) < 2:
        return None
    for name, measure, q in items:
        q.channel, q.measure = name, measure
    return header.span()


def _labels(template: Quantity, q: Quantity) -> bool:
    """Whether ``template``'s measure can label ``q`` in a list: same unit, or an amount in
    currency heading bare numbers ("spend: google 18k, meta 12k": Meta's 12k are spent too)."""
    if not template.measure or not _plausible(template.measure, q):
        return False
    return template.unit == q.unit or (
        template.unit == "€" and q.unit == "" and template.measure in _BARE_MONEY
    )


def _take_label(q: Quantity, template: Quantity) -> None:
    """``q`` takes ``template``'s measure, and its currency when it had none."""
    q.measure = template.measure
    if template.unit == "€" and q.unit == "":
        q.unit, q.currency = "€", template.currency


def _negated(folded: str, qs: list[Quantity]) -> list[float]:
    """Values a correction names as wrong ('pas 5', 'not 5%', 'au lieu de 5'), when the message
    also gives the right one."""
    olds = []
    for q in qs:
        before = folded[max(0, q.start - 16) : q.start]
        last = list(_patterns()["negation"].finditer(before))
        if not last or not re.fullmatch(r"\s*(?:de\s|d')?", before[last[-1].end() :]):
            continue
        if any(
            o is not q and (o.unit == q.unit or q.unit == "")  # "21 jours pas 14": 14 days
            for o in qs
        ):
            q.negated = True
            olds.append(q.value)
    return olds + _taken_back(folded, qs)


_SORRY = re.compile(rf"(?<![a-z])(?:{SLIP_WORDS})(?![a-z])")  # a slip owned as the message goes


def _taken_back(folded: str, qs: list[Quantity]) -> list[float]:
    """Values a message takes back as it goes ("4k product views... sorry 14k product views",
    "budget 20 k€, pardon 25 k€"): the figure right before a correction cue, when the figure right
    after the cue has its unit; they are dropped (``negated``) and returned, the figure after the
    cue taking their measure when no word names its own."""
    olds = []
    for q1, q2 in zip(qs, qs[1:]):
        between = folded[q1.end : q2.start]
        cue = _SORRY.search(between)
        if cue and q1.unit == q2.unit and len(between) <= 40 and not q1.negated:
            q1.negated = True
            olds.append(q1.value)
            if q2.measure in (None, "amount", "count"):  # "budget 20 k€, pardon 25 k€": a budget
                q2.measure, q2.arm, q2.channel = q1.measure, q1.arm, q1.channel
    return olds


def is_correction(text: str) -> bool:
    """True when ``text`` corrects an earlier figure ("pardon", "je me suis trompé", "non c'est",
    "I meant", "pas 5 mais 4"; ``prompts/lexicon.yaml``, corrections)."""
    return read(text)[1]


_ACCUMULATE = ("channel", "segment", "job_title", "delay", "company_size_word", "trigger")


def understand(text: str, today: date | None = None) -> Understanding:
    """Every slot of ``text``, one message a line: later lines override the same slot (type, arm,
    channel) of earlier ones, and a correction ("pardon, c'est 4 % pas 5", "non, 4 %") replaces
    the figure it names, or the latest figure of the same unit. Dates are relative to ``today``
    (default: the current date). The result is shared between callers: read it, do not change it."""
    return _understand(text, today or date.today())


@lru_cache(
    maxsize=256
)  # a turn reads the same request several times (routing, inputs, deliverable)
def _understand(text: str, today: date) -> Understanding:
    merged: list[Slot] = []
    names: dict[str, str] = {}  # channel group -> the name the user first gave it
    offset = 0
    context = fold(text)
    header = None  # a pasted table's header: its rows' figures take their column's measure
    for n, line in enumerate(text.split("\n")):
        slots, correction, olds = read(line, today, context, any(s.arm for s in merged))
        if header is None or not type_row(line, slots, header):
            header = header_of(line)
        for s in slots:
            s.start, s.end, s.message = s.start + offset, s.end + offset, n
            if s.type == "channel":
                s.value = names.setdefault(s.unit, s.value)
        for s in slots:
            if s.channel:
                s.channel = names.get(s.channel, s.channel)
        _in_request_order(merged, slots, line)
        # "et le mois dernier c'était 5 900 €, 290 leads": another period's figures, beside these
        past = n > 0 and not correction and bool(PAST_PERIOD_WORDS.search(fold(line)))
        _merge(merged, slots, correction, olds, n, past)
        offset += len(fold(line)) + 1
    _spent_like_the_others(merged)
    currency = next((s.currency for s in merged if s.currency), None) or _said_currency(context)
    return Understanding(slots=merged, currency=currency, text=fold(text), raw=text)


def _in_request_order(merged: list[Slot], slots: list[Slot], line: str) -> None:
    """A later line's pair that names no arm ("what about clicks: 1.9% vs 2.3%?") is read in the
    order the request gave its arms: after "with emoji 18.4% …, without 17.9%" (B first), its
    first figure is B's."""
    earlier = [s for s in merged if s.arm in ("A", "B")]
    if not earlier or min(earlier, key=lambda s: s.start).arm != "B":
        return
    folded, where = fold_map(without_that(line))
    if _arms(line, folded, where, True)[0]:
        return  # the line names its arms
    for s in slots:
        if s.arm in ("A", "B"):
            s.arm = "A" if s.arm == "B" else "B"


def _spent_like_the_others(slots: list[Slot]) -> None:
    """A channel's bare amount beside its results, when the other channels' amounts are their
    spend ("Google: 12 000€ spend, 350 conversions" then "and LinkedIn: 5 000€, 60 conversions?")
    is its spend too; an amount with no result ("ajoute tiktok avec 5k€") stays the channel's
    budget."""
    spent = {s.channel for s in slots if s.type == "spend" and s.channel and not s.arm}
    results = {
        s.channel
        for s in slots
        if s.type in ("conversions", "revenue", "orders", "leads", "customers")
    }
    for s in slots:
        # "google: spent $24k, 310 new customers. meta: $18k, 150 new customers": spend too
        budget = s.type in ("amount", "budget") and s.channel and not s.arm
        if budget and s.channel in results - spent and spent:
            s.type = "spend"


_CURRENCY_SAID = re.compile(r"(?<![a-z])(usd|dollars?|gbp|pounds?|livres sterling)(?![a-z])")


def _said_currency(folded: str) -> str:
    """The currency a message names apart from its figures ("(all USD)"), else €."""
    said = _CURRENCY_SAID.search(folded)
    return "€" if said is None else ("$" if said[1] in ("usd", "dollar", "dollars") else "£")


def _merge(
    merged: list[Slot],
    new: list[Slot],
    correction: bool,
    olds: list[float],
    n: int,
    past: bool = False,
) -> None:
    """Merge a later line's ``new`` slots into ``merged``: a correction replaces the figure it
    names, a figure of the same slot replaces the earlier one, unless the line gives another
    (past) period's figures (``past``), which stand beside them for a comparison."""
    for s in new:
        if s.type in _ACCUMULATE:
            if not any(m.key == s.key for m in merged):
                merged.append(s)
            continue
        earlier = [m for m in merged if m.message < n and m.type not in _ACCUMULATE]
        target = None
        if correction and olds:
            target = next(
                (
                    m
                    for m in reversed(earlier)
                    if isinstance(m.value, float) and any(abs(m.value - o) < 1e-9 for o in olds)
                ),
                None,
            )
        if correction and target is None and s.generic:
            target = next(
                (
                    m
                    for m in reversed(earlier)
                    if m.unit == s.unit and (s.channel, s.arm) in ((m.channel, m.arm), (None, None))
                ),
                None,
            )
        if correction and target is None and (s.arm or s.channel):
            # "oops var was 10.4k users" after "var 3.7% on 11k": the arm's bare count, now named
            target = next(
                (
                    m
                    for m in reversed(earlier)
                    if m.generic and m.unit == s.unit and (m.arm, m.channel) == (s.arm, s.channel)
                ),
                None,
            )
        if target is not None:
            merged.remove(target)
            if s.generic:
                s.type = target.type
            s.arm, s.channel = s.arm or target.arm, s.channel or target.channel
        if s.generic and s.channel and target is None:
            _like_other_channels(merged, s, n)
        if s.generic and s.arm and target is None:
            _like_the_arms_count(merged, s, n)
        if s.generic and s.unit == "%" and not (s.arm or s.channel) and target is None:
            _like_the_what_if(merged, s, n)
        if s.type == "start_date":
            _shift_end(merged, s, n)
        if not s.generic and not past:
            merged[:] = [
                m
                for m in merged
                if not (m.message < n and m.key == s.key and m.type not in _ACCUMULATE)
            ]
        merged.append(s)


def _like_other_channels(merged: list[Slot], s: Slot, n: int) -> None:
    """A bare figure of a channel added in a later message ("et avec TikTok à 2,2 ?") takes the
    measure every earlier channel's figure has (their ROAS), when they all have one and the same."""
    earlier = [
        m
        for m in merged
        if m.message < n and m.channel and not m.generic and isinstance(m.value, (int, float))
    ]
    if any(m.channel == s.channel for m in earlier):
        return
    types = {(m.type, m.unit) for m in earlier}
    if len(types) == 1 and len({m.channel for m in earlier}) >= 2:
        ((type_, unit),) = types
        if unit == s.unit:  # another unit is another measure ("5 000 €" is not a ROAS)
            s.type = type_


def _like_the_arms_count(merged: list[Slot], s: Slot, n: int) -> None:
    """A bare count of an arm in a later message ("with 7-day retention instead: A 260, B 262")
    is that arm's new count of what it converted, when it is below the arm's visitors: the same
    readout on another outcome."""
    earlier = [m for m in merged if m.message < n and m.arm == s.arm]
    visitors = next((m.value for m in earlier if m.type == "visitors"), None)
    counted = next((m for m in earlier if m.type != "visitors" and m.unit == s.unit), None)
    if not (visitors and counted and isinstance(s.value, (int, float)) and s.value < visitors):
        return
    if counted.generic:  # a bare count replaces the arm's bare count ("400 activations")
        merged.remove(counted)
    else:
        s.type = counted.type


def _like_the_what_if(merged: list[Slot], s: Slot, n: int) -> None:
    """A bare percentage in a later message ("and at 12%?" after "if onboarding emails lift it to
    11%") is the level the request's what-if sets, when it has one."""
    if any(m.type == "target_rate" and m.message < n for m in merged):
        s.type = "target_rate"


def _shift_end(merged: list[Slot], start: Slot, n: int) -> None:
    """A later message moving the start ("la même chose pour mars") moves an earlier end date
    by as much, keeping the campaign's length, unless it gives its own end."""
    old_start = next(
        (m for m in reversed(merged) if m.type == "start_date" and m.message < n), None
    )
    old_end = next((m for m in reversed(merged) if m.type == "end_date" and m.message < n), None)
    if old_start and old_end:
        delta = date.fromisoformat(start.value) - date.fromisoformat(old_start.value)
        old_end.value = (date.fromisoformat(old_end.value) + delta).isoformat()
