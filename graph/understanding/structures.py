"""Structured inputs written as lists: funnel steps, ICE backlogs, option choices, "skip" answers,
and tables pasted into a message; and what a message asks of them: an event's invitations, the
timing of a sequence."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from graph.hierarchy import InputSpec
from graph.i18n import t
from graph.text import fold, stem
from graph.understanding.dates import MONTHS
from graph.understanding.lexicon import SLIP_WORDS, TRAFFIC_NOUNS, words
from graph.understanding.numbers import fold_map, parse_number, scan, split_triples
from graph.understanding.slots import Slot, Understanding

SKIP_PATTERN = re.compile(
    r"\b(je (ne )?sais pas|j ?sais pas|jsp|sais pas|aucune idee|pas d.idee|par defaut|skip|idk|"
    r"i don.?t know|dont know|no idea|default|passe|pass|hypothese par defaut)\b"
)


_YES = re.compile(
    r"^(?:oui|yes|yep|ouais|vas-y|vas y|d'accord|bien sur|of course|escalade[rz]?|escalate(?: it)?)\b"
)  # not "ok": thanks
_NO = re.compile(r"^(?:non|no|nope|pas besoin|no need|inutile|c'est bon|ca va|not needed|nah)\b")


_INVITES = re.compile(r"(?<![a-z])(?:invit\w*|inscri\w*|registr\w*|rsvp|promo\w*)(?![a-z])")
_EVENT = re.compile(
    r"(?<![a-z])(?:webinar\w*|webinaire\w*|events?|evenement\w*|salon\w*|conferences?|live|"
    r"ateliers?|workshops?|meetups?|masterclass)(?![a-z])"
)
_MESSAGES = re.compile(
    r"(?<![a-z])(?:sequences?|series|suite d|drip|cadence|relances?|reminders?|rappels?|"
    r"e-?mails?|courriels?|invitations?)(?![a-z])"
)


def promotes_event(folded: str) -> bool:
    """Whether a folded message is about an event's invitations or registrations ("webinar on
    March 12, I need an email invite sequence", "promo du salon, objectif 300 inscrits")."""
    return bool(_EVENT.search(folded) and _INVITES.search(folded))


def event_messages_asked(folded: str) -> bool:
    """Whether a folded message asks for the messages that promote an event ("build the email
    sequence to promote our webinar", "séquence de relances pour les inscrits au salon")."""
    return promotes_event(folded) and bool(_MESSAGES.search(folded))


def yes_or_no(text: str) -> bool | None:
    """A short answer to a yes/no question of the bot ("oui, escalade", "non merci", "yes please"):
    True, False, or None for anything else (a message of more than six words is a new message)."""
    folded = fold(text).strip(" !.?")
    if len(folded.split()) > 6:
        return None
    return True if _YES.search(folded) else False if _NO.search(folded) else None


_TIMING_ASKED = re.compile(
    r"(?<![a-z])(?:(?:what|which|quel(?:le)?s?) (?:timing|cadence|rythme|spacing|espacement|"
    r"delais|delays?|intervals?|intervalles?)|how (?:far apart|long between|to space)|"
    r"a quel (?:rythme|intervalle)|combien de (?:temps|jours) entre|when (?:should|do) (?:we|i) send)"
)


def asks_timing(text: str) -> bool:
    """True when the message asks the bot for the timing ("What timing?", "quel espacement entre
    les emails ?"): the durations are ours to propose, not to ask back."""
    return bool(_TIMING_ASKED.search(fold(text)))


def is_skip(text: str) -> bool:
    """True when the user declines to give a value ("je ne sais pas", "skip", "idk", …)."""
    return bool(SKIP_PATTERN.search(fold(text)))


# "460 became SQLs and 92 closed": 'and' before a count of something starts the next step
# (not before an amount: "1 125 commandes et 78 750 € de CA" lists figures)
_STEP_SPLIT = re.compile(
    r"\s*(?:[;\n|>→]|(?<!\d),|,(?!\d)|->|=>|\bpuis\b|\bthen\b|\s/\s|\s(?:and|et)\s(?=\d[\d,.]*(?:\s\d{3})*\s*[^\W\d_]))\s*"
)
# a subject and its verb before a step's count: "our webinar had", "la campagne a généré"
_HAD = re.compile(
    r"(?<![a-z])(?:had|has|got|saw|brought|generated|drove|avait|a eu|a fait|a genere|a amene)\s*$"
)
_LEAD_WORDS = re.compile(
    r"^(?:(?:et|and|puis|then|les?|la|the|on a|we have|we had|we got|il y a|ya|etape|step|became|"
    r"sont devenus|devenus|dont|of which|including|among them)\s+)+",
    re.I,
)


_LABEL_PERIOD = re.compile(
    r"\s*\b(?:(?:last|this|the past|previous) (?:month|week|quarter|year)|(?:le |du )?mois dernier|"
    r"ce mois-ci|ce mois|cette semaine|ce trimestre|(?:le |du )?trimestre dernier|"
    r"(?:la |de la )?semaine derni[eè]re|(?:l')?ann[ée]e derni[eè]re|(?:de |d'|en |in |for )"
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre|january|february|march|april|may|june|july|august|september|october|november|"
    r"december))\b\s*|"
    r"\s*/\s*(?:mois|month|mo|semaine|week|wk|jour|day|j|d)\b\s*",  # "5200 paniers/mois"
    re.I,
)


_TRAILING_LINK = re.compile(r"\s+(?:et|and|puis|then|&)\s*$", re.I)
_NEXT_FIGURE = re.compile(r"\s+(?:pour|for|avec|with|at|à|a|@)?\s*[$€£]?\d")
# a step's count and the count it came from: "120 demos booked last month from 2,400 MQLs"
_FROM_COUNT = re.compile(
    r"(?P<a>(?<![\d.,])\d[\d,. ]*k?\s*[^\W\d_][^,;.!?\d\n]*?)\s+"
    r"(?:from|out of|among|parmi|issus? d[eu]s?|sur)\s+(?P<b>\d[\d,. ]*k?\s*[^\W\d_][^,;.!?\d\n]*)"
)
# a count taken back as the message goes: "4k product views... sorry 14k product views"
_TAKEN_BACK = re.compile(
    r"(?<![\d.,])\d[\d,. ]*k?(?:\s*[^\W\d_][^,;\d\n]*?)?[\s.…,]*"
    rf"(?:{SLIP_WORDS})\W*\s*(?=\d)",
    re.I,
)
# an amount written without its currency beside the steps ("revenue 43,000, ad spend 17,500"):
# money, nobody counted at a step
_AMOUNT_LABEL = re.compile(
    r"^(?:revenue|revenus?|ca|chiffre d'affaires|mrr|arr|(?:ad |ads |pub |marketing |media )?"
    r"(?:spend|budget|costs?)|depenses?(?: pub\w*| marketing| ads?| media)?|couts?|budget \w+)$"
)


def extract_steps(text: str) -> list[tuple[str, int]] | None:
    """Funnel steps as [(label, count), …] from 'visites 10000, panier 3000, achat 800' or
    '10k visits > 3k cart > 800 orders'; a question before the steps ('où est-ce que ça fuit ?
    landing 12k, …') is not part of the first label. Needs two steps with a label and a count,
    none above the step before it (a funnel only loses people)."""
    steps: list[tuple[str, int]] = []
    text = _FROM_COUNT.sub(r"\g<b>, \g<a>", text)  # "120 demos from 2,400 MQLs": MQLs first
    text = _TAKEN_BACK.sub("", text)  # "4k product views... sorry 14k product views": 14k
    # "what if we add a 'shipping info' step between checkout and orders with 700 people?"
    lines = [(line, added_step(line)) for line in text.split("\n")]
    added = [m for _, m in lines if m]
    text = "\n".join(line for line, m in lines if not m)
    for part in _STEP_SPLIT.split(text):
        # a question around the steps ("where's the leak?") is the request, not a step name
        pieces = re.split(r"[?!:]|\.\s|\s[—–-]\s", part)
        at = next((i for i, p in enumerate(pieces) if any(q.unit == "" for q in scan(fold(p)))), 0)
        part = pieces[at] if any(q.unit == "" for q in scan(fold(pieces[at]))) else ""
        if at and not re.search(r"[^\W\d_]", part):  # "les MQL de septembre : 340": its label
            part = pieces[at - 1] + " " + part
        folded, where = fold_map(part)
        qs = [q for q in scan(folded) if q.unit == ""]
        if len(qs) != 1:
            continue
        q = qs[0]
        if q.value < 1:  # "CVR 0.035": a rate written as a share, nobody counted at a step
            continue
        before, after = part[: where[q.start]], part[where[q.end] :]
        # "1 850 leads en novembre pour 41 000 €": the step's name stops at the next figure
        after = _NEXT_FIGURE.split(after)[0]
        after = _TRAILING_LINK.sub("", after)  # "1 125 commandes et 78 750 €": "commandes"
        if after.strip(" -:=()") and _HAD.search(fold(before)):
            before = ""  # "our webinar had 1,400 registrants": the step is what follows
        label = (before + " " + after).strip(" -:=()")
        label = _LEAD_WORDS.sub("", re.sub(r"\s+", " ", label)).strip(" -:=()")
        label = _LABEL_PERIOD.sub(" ", label).strip(" -:=()") or label  # "MQLs last month": MQLs
        label = re.sub(r"\s+", " ", label)
        step = (label[:40], int(q.value))
        if label and not label.isdigit() and not _AMOUNT_LABEL.match(fold(label)):
            steps += [step] if step not in steps[-1:] else []  # "1 200 leads, 300 sur 1 200 leads"
    for m in added:
        steps = _with_step(steps, m)
    if any(b[1] > a[1] for a, b in zip(steps, steps[1:])):
        return None  # "18,000 views, 540 signups; 17,800 views, 610 signups": two arms, no funnel
    return steps if len(steps) >= 2 else _lost_between(text) or rate_steps(text)


_BETWEEN = re.compile(
    r"(?:entre|between)\s+(?:les?\s+|la\s+|l'|the\s+)?(?P<a>[a-z][\w'-]*(?:\s[a-z][\w'-]*)?)\s+"
    r"(?:et|and)\s+(?:les?\s+|la\s+|l'|the\s+)?(?P<b>[a-z][\w'-]*(?:\s[a-z][\w'-]*)?)(?![\w'-])"
)
LOSS_WORDS = r"perd\w*|los[et]\w*|drop\w*|abandon\w*|fuite|leak\w*"  # "perd 68 %", "we lose 45%"
_LOSS = re.compile(rf"(?<![a-z])(?:{LOSS_WORDS}|churn\w*)(?![a-z])")


def _lost_between(text: str) -> list[tuple[str, int]] | None:
    """Two funnel steps from a loss stated between them ("notre tunnel perd 68 % des gens entre
    panier et paiement, sur 25 000 paniers par mois"): the first step's count as given, the next
    one's as what the loss leaves (25 000 × 32 % = 8 000); None without a loss in %, the two
    steps and the first one's count."""
    folded = fold(text)
    between, loss = _BETWEEN.search(folded), _LOSS.search(folded)
    percent = next((q for q in scan(folded) if q.unit == "%" and 0 < q.value < 100), None)
    if not (between and loss and percent):
        return None
    first = stem(words(between["a"])[-1])
    count = next(
        (
            q
            for q in scan(folded)
            if q.unit == ""
            and q.value >= 10
            and first in map(stem, words(folded[q.end : q.end + 20]))
        ),
        None,
    )
    if count is None:
        return None
    left = round(count.value * (1 - percent.value / 100))
    a, b = (" ".join(w for w in words(between[k]) if w not in _VERBS) for k in "ab")
    return [(a, int(count.value)), (b, int(left))] if a and b else None


# "panier→commande : 38 %", "home -> fiche 45%", "cart to order 38%": a step's rate by its two ends
_STEP_RATE = re.compile(
    r"([a-z][a-z' ]{0,24}?)\s*(?:->|→|>|\bvers\b|\bto\b)\s*([a-z][a-z' ]{0,24}?)\s*[:=]?\s*"
    r"(?:de\s+|of\s+|at\s+|a\s+)?(\d+(?:[.,]\d+)?)\s*%"
)
_RATE_NAME = re.compile(
    r"^(?:(?:taux de conversion|taux de passage|taux|conversion rate|rate|cvr|de|du|the)\s+)+"
)


def rate_steps(text: str) -> list[tuple[str, int]] | None:
    """Funnel steps from each step's rate and the traffic entering the first ("panier→commande :
    38 %, fiche produit→panier : 9 %, home→fiche : 45 %. 60 000 visites/mois"): the rates are
    chained end to start whatever their order (a step named by its first word, "fiche" for "fiche
    produit"), and each step's people are the entry traffic × the rates before it (60 000,
    27 000, 2 430, 923); None unless two rates or more chain from one step and a count enters."""
    folded = fold(text)

    def name(said: str) -> str:  # "cart to order is 50%": the step is "order"
        return " ".join(w for w in words(_RATE_NAME.sub("", said.strip())) if w not in _VERBS)

    pairs = [
        (name(m[1]), name(m[2]), float(m[3].replace(",", "."))) for m in _STEP_RATE.finditer(folded)
    ]
    key = {step: words(step)[0] for a, b, _ in pairs for step in (a, b) if words(step)}
    ends = {key.get(b) for _, b, _ in pairs}
    starts = [p for p in pairs if key.get(p[0]) not in ends]
    entry = [
        q
        for q in scan(folded)
        if q.unit == ""
        and q.value >= 10
        and (  # the traffic entering, or the first step's people ("2 200 leads" enter no MQL→SQL)
            _TRAFFIC_WORD.match(folded, q.end)
            or (starts and words(folded[q.end : q.end + 25])[:1] == [key.get(starts[0][0])])
        )
    ]
    if len(pairs) < 2 or len(starts) != 1 or not entry:
        return None
    chain: list[tuple[str, str, float]] = []
    step: tuple[str, str, float] | None = starts[0]
    while step and len(chain) < len(pairs):
        chain.append(step)
        end = key.get(step[1])
        step = next((p for p in pairs if key.get(p[0]) == end), None)
    if len(chain) != len(pairs) or not all(0 < rate <= 100 for _, _, rate in chain):
        return None
    longest = {k: max((n for n in key if key[n] == k), key=len) for k in key.values()}
    people = max(q.value for q in entry)
    steps = [(longest[key[chain[0][0]]], int(people))]
    for _, reached, rate in chain:
        people *= rate / 100
        steps.append((longest[key[reached]], round(people)))
    return steps


_TRAFFIC_WORD = re.compile(rf"\W*(?:[a-z]+\W+)?(?:{TRAFFIC_NOUNS})")


_VERBS = frozenset(
    {"is", "are", "was", "were", "est", "sont", "etait", "a", "ont"}
)  # "payment is huge"


class AddedStep(BaseModel):
    """A funnel step a follow-up adds: its name, its count (people) and where it goes, right
    after the step ``after`` names or right before the one ``before`` names (words as written)."""

    name: str
    count: int
    after: str | None = None
    before: str | None = None


_ADD_VERB = re.compile(r"(?<![a-z])(?:add\w*|ajout\w*|insert\w*|rajout\w*)(?![a-z])")
_STEP_NAME = r"(?:les?\s+|la\s+|l'|the\s+)?(?P<NAME>[a-z][\w'-]*(?:\s+(?!and\b|et\b|with\b|avec\b)[a-z][\w'-]*){0,2})"
_STEP_PLACE = re.compile(
    rf"(?<![a-z])(?:(?:between|entre)\s+{_STEP_NAME.replace('NAME', 'a')}\s+(?:and|et)\s+"
    rf"{_STEP_NAME.replace('NAME', 'b')}|(?P<side>after|apres|before|avant)\s+"
    rf"{_STEP_NAME.replace('NAME', 'x')})"
)
# words around an added step's name that are not its name: "ajoute l'étape X à 1 050", "a step at"
_NOT_NAME = frozenset(
    "a an un une le la les l the de des du of at with avec en et and si if what on we nous "
    "step etape stage people personnes users utilisateurs".split()
)
_QUOTED_NAME = re.compile(r"['\"«]\s*([a-z][\w' -]{1,30}?)\s*['\"»]")


def added_step(line: str) -> AddedStep | None:
    """The step a follow-up line adds, with where and its count ("add a 'shipping info' step
    between checkout and orders with 700 people", "add a step between trials and paid: 1,500
    activated", "et en ajoutant l'étape checkout à 1 050 entre panier et commande ?", "add
    checkout started 900 before paid"), or None: the line needs an add verb, a place (between,
    after, before) and one whole count."""
    folded = fold(line)
    verb = _ADD_VERB.search(folded)
    place = _STEP_PLACE.search(folded, verb.end()) if verb else None
    counts = [q for q in scan(folded) if q.unit == "" and q.value >= 1]
    if not (verb and place and len(counts) == 1 and float(counts[0].value).is_integer()):
        return None
    q = counts[0]
    rest = folded[verb.end() :]
    quoted = _QUOTED_NAME.search(rest)
    if quoted:
        name = quoted.group(1).strip()
    else:
        spans = ((place.start(), place.end()), (q.start, q.end))
        cut = "".join(
            " " if any(a <= i < b for a, b in spans) else c
            for i, c in enumerate(folded)
            if i >= verb.end()
        )
        name = " ".join(w for w in re.findall(r"[a-z][\w-]*", cut) if w not in _NOT_NAME)
    if not name:
        return None
    side = place["side"]
    after = place["a"] or (place["x"] if side in ("after", "apres") else None)
    before = place["x"] if side in ("before", "avant") else None
    return AddedStep(name=name, count=int(q.value), after=after, before=before)


def step_sharing(steps: list[tuple[str, int]], said: set[str]) -> int | None:
    """Index of the step of ``steps`` ([(label, count)]) whose label shares the most word stems
    with ``said`` (stems), the first of equals; None when none shares one."""
    shared = [
        (len(said & {stem(w) for w in words(fold(label))}), -i)
        for i, (label, _) in enumerate(steps)
    ]
    best = max(shared, default=(0, 0))
    return -best[1] if best[0] else None


def _step_at(steps: list[tuple[str, int]], named: str | None) -> int | None:
    """Index of the step of ``steps`` the words ``named`` name (:func:`step_sharing`), or None."""
    return step_sharing(steps, {stem(w) for w in words(fold(named or ""))})


def _with_step(steps: list[tuple[str, int]], added: AddedStep) -> list[tuple[str, int]]:
    """``steps`` with the step a follow-up adds ("add a 'shipping info' step between checkout and
    orders with 700 people") right after the step it names, or right before; unchanged when the
    named step is not one of them."""
    after = _step_at(steps, added.after)
    if after is None and (before := _step_at(steps, added.before)) is not None:
        after = before - 1
    if after is None or after < 0:
        return steps
    return steps[: after + 1] + [(added.name, added.count)] + steps[after + 1 :]


_EARLIER_PERIOD = re.compile(
    r"(?<![a-z])(mois dernier|semaine derniere|an dernier|annee derniere|last month|last week|last year|"
    r"previous|precedent\w*|avant|before|l'an passe|[nmsw]-1|c'etait|it was|was)(?![a-z0-9])"
)


_NAMED_MONTH = re.compile(  # "may" only after a preposition: "we may" is no month
    r"(?<![a-z])("
    + "|".join(m for m in MONTHS if len(m) >= 4 or m == "mai")
    + r"|(?<=for )may|(?<=in )may|(?<=of )may)(?![a-z])"
)


def month_before(earlier: str, later: str) -> bool:
    """Whether the later of two messages names a month before the one the earlier names ("nos
    chiffres d'octobre …", then "same for september: …"): at most six months back, so "janvier"
    after "décembre" is the next year's, not a month before."""
    months = [_NAMED_MONTH.search(fold(line)) for line in (earlier, later)]
    if not (months[0] and months[1]):
        return False
    gap = (MONTHS[months[1][1]] - MONTHS[months[0][1]]) % 12
    return gap > 6


def compared_steps(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None:
    """(this period's funnel steps, the compared period's) when two messages of the thread each
    list the same number of steps: a later message that names an earlier period ("et le mois
    dernier c'était 28 000 visites, …") is the compared one, else the later message is the new
    period. None unless two messages list steps."""
    lines = text.split("\n")
    read = [(n, steps) for n, line in enumerate(lines) if (steps := extract_steps(line))]
    listed = [steps for _, steps in read]
    bare = _bare_counts(lines[-1]) if listed and read[-1][0] != len(lines) - 1 else []
    if len(listed) == 1 and len(bare) == len(listed[0]):
        # "compare with last month: 190k, 17k, 4,900, 1,800, 1,000": the same steps, in order
        listed.append([(label, count) for (label, _), count in zip(listed[0], bare)])
        return (listed[0], listed[1]) if _EARLIER_PERIOD.search(fold(lines[-1])) else None
    if len(listed) < 2 or len(listed[-1]) != len(listed[-2]):
        return None
    if _EARLIER_PERIOD.search(fold(lines[read[-1][0]])) or month_before(
        lines[read[-2][0]], lines[read[-1][0]]
    ):
        return listed[-2], listed[-1]
    return listed[-1], listed[-2]


def _bare_counts(line: str) -> list[int]:
    """The counts of a line that lists numbers alone, no word between them ("last month: 190k,
    17k, 4,900, 1,800, 1,000"); [] otherwise."""
    folded = fold(line)
    counts = [q for q in scan(folded) if q.unit == ""]
    gaps = [folded[a.end : b.start] for a, b in zip(counts, counts[1:])]
    if len(counts) < 2 or any(not re.fullmatch(r"\s*(?:,|;|/|>|->|→|et|and)?\s*", g) for g in gaps):
        return []
    return [int(q.value) for q in counts]


_TOP_TYPES = ("visitors", "monthly_traffic", "daily_traffic", "sessions")
_END_TYPES = ("orders", "conversions", "signups")
_CART_ABANDON = re.compile(
    r"abandon\w*\W{0,3}(?:d[ue]s?\s+|of\s+|au\s+)?(?:panier|cart|basket)"
    r"|(?:panier|cart|basket)\W{0,3}abandon"
)


def steps_from_totals(u: Understanding, lang: str) -> list[tuple[str, int]] | None:
    """Funnel steps [(label, count), …] derived from totals when the message gives no list: the
    traffic (visitors or sessions) and the orders ("~30k sessions/mois et 900 commandes"), with the
    cart step between them when a cart abandonment rate is given: cart = orders / (1 − abandonment)
    (abandonment = carts not ordered / carts). None without both totals or when orders ≥ traffic."""
    top = next((s for s in u.slots if s.type in _TOP_TYPES and s.arm is None), None)
    end = next((s for s in u.slots if s.type in _END_TYPES and s.arm is None), None)
    if top is None or end is None or not 0 < float(end.value) < float(top.value):
        return None
    steps = [(_step_label(u.text, top), int(top.value))]
    for s in u.slots:
        near = u.text[max(0, s.start - 40) : s.end + 25]  # folded already
        if s.unit == "%" and 0 < float(s.value) < 100 and _CART_ABANDON.search(near):
            carts = float(end.value) / (1 - float(s.value) / 100)
            if carts < float(top.value):
                label = t(lang, "deliverables.derived_cart_step", rate=f"{s.value:g}")
                steps.append((label, round(carts)))
            break
    return [*steps, (_step_label(u.text, end), int(end.value))]


def noun_after(text: str, slot: Slot) -> str | None:
    """The word that names a figure, right after it in ``text`` ("30k sessions/mois" →
    'sessions', "4 320 ouvertures" → 'ouvertures'), or None."""
    word = re.match(r"\s*([^\W\d_]{3,})", text[slot.end :])
    return word.group(1) if word else None


def _step_label(text: str, slot: Slot) -> str:
    """A derived funnel step's label: the word after its figure, else its type, capitalised."""
    return (noun_after(text, slot) or slot.type.replace("_", " ")).capitalize()


_NUMBERING = re.compile(r"(?:^|(?<=[\s:]))(?:\(\d{1,2}\)|\d{1,2}\))(?=\s)")


_COHORT = re.compile(
    r"(?<![a-z])(month|mois|m|week|semaine|sem|w|day|jour|j|d)\s?(\d{1,3})\s*[:=]?\s*"
    r"(\d{1,3}(?:[.,]\d+)?)\s*%"
)


def retention_curve(text: str) -> tuple[str, list[tuple[int, float]]] | None:
    """A cohort's retention curve ("month 1 100%, month 2 62%, month 3 48%, month 6 31%", "M1
    100 %, M2 55 %"): ('month' | 'week' | 'day', [(period, % retained)]); None unless three
    points or more with periods rising and retention never rising."""
    found = _COHORT.findall(fold(text))
    points = [(int(n), float(r.replace(",", "."))) for _, n, r in found]
    rising = all(b[0] > a[0] and b[1] <= a[1] for a, b in zip(points, points[1:]))
    if len(points) < 3 or not rising or points[0][1] > 100:
        return None
    unit = found[0][0]
    return (
        "month" if unit in ("month", "mois", "m") else "week" if unit[0] in "sw" else "day"
    ), points


_ICE_LABEL = r"(?:[ICEice]|impact|confiance|confidence|facilit\w*|ease|effort)"


def extract_ice(text: str) -> list[dict] | None:
    """ICE backlog items [{'idea', 'impact', 'confidence', 'ease'}] from lines such as
    'Parrainage ; 8 ; 6 ; 5', 'Pop-up sortie I7 C5 E9', 'exit popup (I 5, C 7, E 9)' or 'Quiz:
    6/4/8' (scores 1-10; "2,400 referrers" is a count, no score)."""
    items = []
    text = split_triples(text)  # "chatbot (8,5,4)": three scores, not 8.5 then 4
    # a separator after a score starts the next idea, unless an I/C/E label follows ("I 8, C 6")
    # "1) exit popup (impact 6, confiance 7, facilité 9) 2) refonte …": a numbering starts one too
    for line in re.split(
        rf"\n|(?<=\))\s(?=\d{{1,2}}\)\s)|(?<=\d)\)?\s*[|;,]\s*(?=[^\d\s;,|])(?!{_ICE_LABEL}\s*[:=]?\s*\d)"
        r"|(?<=\d)\s*[|;,]\s*(?=\(?\d{1,2}\)\s+[^\W\d])",  # "… ease 9; 2) new onboarding …"
        text,
    ):
        line = _NUMBERING.sub(" ", line)  # "(1) quiz produit I8 C6 E5": the list's numbering
        # the last three scores are the idea's ("j'ai 3 idées : bandeau (impact 7, …)": not the 3)
        scores = list(
            re.finditer(
                rf"(?:\b{_ICE_LABEL}\s*[:=]?\s*)?(?<![\d.,])(10|[1-9])(?![.,]\d{{2}})(?:[.,]\d)?(?![\d%])",
                line,
                re.I,
            )
        )
        if len(scores) < 3:
            continue
        numbers = [m.group(1) for m in scores]
        idea = line[: scores[-3].start()].strip(" :;-–—,.(")
        idea = _SCORES_WORD.sub("", idea) or idea  # "progress bar (ICE 7/8/9)": the idea
        # "idées à prioriser : quiz produit", "…with ICE? referral program"
        idea = re.split(r"[:?]", idea)[-1].strip() or idea
        # "ajoute 'programme partenaires' avec 9, 4, 4": the idea, not the words adding it
        idea = _ADDING.sub("", idea).strip(" '\"«»‘’“”") or idea
        if idea:
            i, c, e = (int(n) for n in numbers[-3:])
            items.append({"idea": idea, "impact": i, "confidence": c, "ease": e})
    return _rescored(items, text) or None


_SCORES_WORD = re.compile(r"\s*[(:]?\s*(?:ice|scores?|notes?)\s*[:=]?$", re.I)
_ADDING = re.compile(
    r"^(?:(?:and|et|puis|then)\s+)?(?:ajoute[rsz]?|rajoute[rsz]?|add|plus)\s+(?:l'idee\s+|the idea\s+)?"
    r"|\s+(?:avec|with|at|a|à|scored|note\w*|:)\s*$",
    re.I,
)
_FIELDS = {  # a score's name, folded, and the ICE field it sets
    "impact": "impact",
    "confiance": "confidence",
    "confidence": "confidence",
    "facilite": "ease",
    "ease": "ease",
    "effort": "ease",
}
_RESCORE = re.compile(
    rf"(?<![a-z])(?P<field>{'|'.join(_FIELDS)})\s+"
    r"(?:du |de la |de l'|des |of the |of |for the |for )?(?P<idea>[a-z][\w' -]{1,40}?)\s+"
    r"(?:passe a|passait a|monte a|tombe a|goes to|went to|becomes|devient|is|est|=|to|a)\s*"
    r"(?P<score>10|[1-9])(?![\d.,])"
)


_GLUE = frozenset("and if what the our of et si la le les du de des notre nos".split())
# "and if the ROI calculator's ease goes to 7?": the idea first, its field after "'s"
_RESCORE_OWNED = re.compile(
    r"(?<![a-z])(?:the )?(?P<idea>[a-z][\w -]{1,40}?)'s?\s+"
    rf"(?P<field>{'|'.join(_FIELDS)})\s+"
    r"(?:goes to|went to|becomes|is|=|to)\s*(?P<score>10|[1-9])(?![\d.,])"
)


# "et si le chat passe à 9 en facilité ?": the idea first, its field after the score
_RESCORE_AFTER = re.compile(
    r"(?<![a-z])(?P<idea>[a-z][\w' -]{1,40}?)\s+"
    r"(?:passe a|passait a|monte a|tombe a|descend a|goes to|went to|gets|moves to)\s*"
    rf"(?P<score>10|[1-9])\s+(?:en|in|on|for|pour|de|d')\s*(?P<field>{'|'.join(_FIELDS)})(?![a-z])"
)


def ice_rescore(folded: str) -> list[tuple[str, str, int]]:
    """[(idea as written, 'impact' | 'confidence' | 'ease', new score)] a message sets ("et si la
    facilité du chatbot passe à 7 ?", "what if the ease of the quiz goes to 9?", "the ROI
    calculator's ease goes to 7", "et si le chat passe à 9 en facilité ?")."""
    patterns = (_RESCORE, _RESCORE_OWNED, _RESCORE_AFTER)
    found = [m for pattern in patterns for m in pattern.finditer(folded)]
    return [(m["idea"].strip(), _FIELDS[m["field"]], int(m["score"])) for m in found]


def _rescored(items: list[dict], text: str) -> list[dict]:
    """``items`` with the scores later lines of ``text`` set for an idea they name (the thread's
    follow-up "et si la facilité du chatbot passe à 7 ?")."""
    for idea, field, score in ice_rescore(fold(text)):
        for item in items:
            named = fold(item["idea"])
            # "if the roi calculator" names "free ROI calculator": its words, less the glue
            said = set(idea.split()) - _GLUE
            if named in idea or idea in named or (said and said <= set(named.split())):
                item[field] = score
    return items


def extract_choice(text: str, spec: InputSpec) -> str | None:
    """The option of ``spec`` whose synonym comes first in ``text``, or None. A synonym written
    with a leading '~' (a verb such as "on lance") counts only when no other synonym is in the
    text: "on lance un webinar" is an event, "on lance la nouvelle gamme" a launch. An option named
    as what the first one is for wins ("plan de lancement multicanal pour notre webinar": an event)."""
    f = f" {fold(text)} "
    hits: list[tuple[bool, int, str]] = []
    ends: dict[int, int] = {}
    for value, synonyms in spec.options.items():
        for syn in synonyms:
            word = fold(syn.removeprefix("~"))
            if m := re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", f):
                hits.append((syn.startswith("~"), m.start(), value))
                ends[m.start()] = max(ends.get(m.start(), 0), m.end())
    # "plan de lancement … pour notre webinar": what the first option is for names the type
    objects = {
        start: value
        for weak, start, value in hits
        if not weak and _FOR_WHAT.fullmatch(f, ends[min(ends)], start)
    }
    if hits and objects and objects[min(objects)] != min(hits)[2]:
        return objects[min(objects)]
    return min(hits)[2] if hits else None


_FOR_WHAT = re.compile(
    r"(?:\s+[a-z]+){0,2}?\s+(?:pour|for|de|du|of|d')\s*"
    r"(?:(?:notre|nos|le|la|l'|our|the|a|an|un|une|ce|cette|this)\s*)?"
)


_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")  # |---|---|


def _cells(line: str) -> list[str] | None:
    """The cells of a pasted table row (pipes or tabs between cells), or None."""
    if "|" in line:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
    elif "\t" in line:
        cells = [c.strip() for c in line.strip().split("\t")]
    else:
        return None
    return cells if len(cells) >= 2 and all(cells) else None


def flatten_tables(text: str) -> str:
    """``text`` with each table pasted in it (rows of cells between pipes or tabs, a header row
    without figures, then a row per item) written as one sentence the reader reads like a list:
    "| canal | dépense | conv |" over "| Google | 4 200 € | 120 |" gives "Google : dépense 4 200 €,
    conv 120 ; …"; a two-column table names its measure once ("users : visites 48 000 ; panier
    3 840"). Other lines are kept as they are."""
    lines = [line for line in text.split("\n") if not _RULE.match(line)]
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        rows: list[list[str]] = []
        while header and i + 1 + len(rows) < len(lines):
            row = _cells(lines[i + 1 + len(rows)])
            if row is None or len(row) != len(header):
                break
            rows.append(row)
        if not header or not rows or any(re.search(r"\d", c) for c in header[1:]):
            out.append(lines[i])
            i += 1
            continue
        if len(header) == 2:
            out.append(f"{header[1]} : " + " ; ".join(f"{a} {b}" for a, b in rows))
        else:
            items = [
                f"{row[0]} : " + ", ".join(f"{h} {c}" for h, c in zip(header[1:], row[1:]))
                for row in rows
            ]
            out.append(" ; ".join(items))
        i += 1 + len(rows)
    return "\n".join(out)


# where a count comes from: the ad platform that claims it, the analytics tool that measures the
# visits, or the shop, payment or CRM system that records the order (the business's own count)
SOURCE_KINDS = {
    "ads": r"meta(?: ads)?|facebook(?: ads)?|google ads|adwords|tiktok(?: ads)?|linkedin(?: ads)?|"
    r"snapchat|pinterest|criteo|bing ads|microsoft ads",
    "analytics": r"ga4|ga 4|google analytics|matomo|piwik|adobe analytics|mixpanel|amplitude|"
    r"plausible|piano",
    "records": r"shopify|woocommerce|magento|prestashop|bigcommerce|stripe|crm|hubspot|salesforce|"
    r"pipedrive|back-?office|backend|erp|notre base|our database|our db",
}
_SOURCE_SAYS = re.compile(
    r"(?<![a-z])(?P<name>" + "|".join(SOURCE_KINDS.values()) + r")(?![a-z])"
    r"\s*(?:en\s+)?(?:says|said|shows|reports|reported|counts|has|gives|dit|affiche|remonte|compte|"
    r"indique|donne|:|=)?\s*(?:about |around |environ |~)?$"
)


def source_counts(u: Understanding) -> list[tuple[str, str, Slot]]:
    """(source as written, its kind: 'ads', 'analytics' or 'records', the count) of each count a
    tool is said to give ("Meta says 410 purchases, GA4 says 265, Shopify says 298"), in text
    order, one per source; [] unless two sources or more give one, one of them no ad platform
    (two ad platforms are two channels, not two measures of the same orders)."""
    found: dict[str, tuple[str, str, Slot]] = {}
    for s in u.slots:
        if not isinstance(s.value, (int, float)) or s.unit not in ("", "€"):
            continue
        said = _SOURCE_SAYS.search(u.text, max(0, s.start - 30), s.start)
        if said is None:
            continue
        name = said["name"]
        kind = next(k for k, p in SOURCE_KINDS.items() if re.fullmatch(p, name))
        shown = name.upper() if name in ("ga4", "ga 4", "crm", "erp") else name.title()
        found.setdefault(name, (shown, kind, s))
    counts = list(found.values())
    return counts if len(counts) >= 2 and any(k != "ads" for _, k, _ in counts) else []


def weighted_rate(parts: list[tuple[float, float]]) -> float:
    """The rate (%) of a whole from its groups' [(share of the volume, %; rate, %)]: Σ share ×
    rate / 100 (a visit-weighted conversion rate over segments, devices or plans)."""
    return sum(share * rate for share, rate in parts) / 100


class Blend(BaseModel):
    """Two groups' rates (%) and the share (%) of the volume in the first: ``rates`` [(the
    group's words as written, its rate slot)] in the order said, ``share`` the slot of the share
    said for ``rates[shared]``'s group, and the ``volume`` slot the rates convert."""

    rates: list[tuple[str, Slot]]
    share: Slot
    shared: int
    volume: Slot

    @property
    def blended(self) -> float:
        """The volume-weighted rate (%): share × its group's rate + the rest × the other's."""
        own, other = self.rates[self.shared][1].value, self.rates[1 - self.shared][1].value
        return weighted_rate([(self.share.value, own), (100 - self.share.value, other)])


# "70% pick monthly", "60 % choisissent l'annuel", "40% are on annual": the share of one group
_PICK = re.compile(
    r"\s*(?:of (?:them|trials|users|customers|signups) )?(?:pick|choose|chose|go for|are on|take|"
    r"choisissent|prennent|sont sur|optent pour)\s+(?:the\s+|l'|le\s+|la\s+)?([a-z]+)"
)
# the group a rate is said for: "9% on the monthly plan", "14% on annual", "12 % sur l'annuel"
_ON_GROUP = re.compile(r"\s*(?:on|for|sur|pour|en)\s+(?:the\s+|l'|le\s+|la\s+)?([a-z]+)")


def blend(u: Understanding) -> Blend | None:
    """Two rates each said for a group and the share of the volume one group takes ("trial to
    paid is 9% on the monthly plan and 14% on annual. 3,000 trials a month, 70% pick monthly"),
    with the volume they convert; None unless all of them are there."""
    rates, share, group = [], None, ""
    for s in u.slots:
        if s.unit != "%" or s.arm or not isinstance(s.value, float) or not 0 < s.value < 100:
            continue
        if picked := _PICK.match(u.text, s.end):
            share, group = s, stem(picked[1])
        elif on := _ON_GROUP.match(u.text, s.end):
            rates.append((on[1], s))
    if share is None or len(rates) != 2:
        return None
    shared = next((i for i, (g, _) in enumerate(rates) if stem(g) == group), -1)
    volume = u.first("conversions", "signups", "leads", "visitors", "monthly_traffic")
    if shared < 0 or volume is None:
        return None
    return Blend(rates=rates, share=share, shared=shared, volume=volume)


class Forecast(BaseModel):
    """A volume of last period grown by a rate: ``base`` (orders, customers, revenue…), the
    growth ``rate`` slot (%), and the average order value that prices grown orders, if given."""

    base: Slot
    rate: Slot
    aov: Slot | None = None

    @property
    def grown(self) -> float:
        """The base × (1 + rate)."""
        return float(self.base.value) * (1 + float(self.rate.value) / 100)


# "we're growing 18% YoY", "croissance de 12 % par an", "+15% year over year"
_GROWING = re.compile(
    r"(?<![a-z])(?:growing|growth|grow|grows|croissance|croit|croissons|progress\w*)\W+(?:\w+\W+)?$"
)
_YEARLY = re.compile(r"^\s*(?:yoy|year over year|a/a|par an|sur un an|l'an|per year|a year)\b")
_FORECAST = re.compile(
    r"(?<![a-z])(?:forecast\w*|prevision\w*|projection\w*|prevoir|predict\w*|next (?:year|quarter)|"
    r"l'an prochain|annee prochaine|trimestre prochain)(?![a-z])"
)
GROWN_BASES = ("orders", "customers", "conversions", "revenue", "signups", "leads")


def growth_forecast(u: Understanding) -> Forecast | None:
    """Last period's volume grown by the growth rate said ("last Q1 we did 2,400 orders, we're
    growing 18% YoY, AOV €64. revenue forecast?"), when a forecast is asked; None otherwise."""
    text = fold(u.text)
    if not _FORECAST.search(text):
        return None
    rate = next(
        (
            s
            for s in u.slots
            if s.unit == "%"
            and isinstance(s.value, float)
            and (
                _GROWING.search(text[max(0, s.start - 30) : s.start]) or _YEARLY.match(text, s.end)
            )
        ),
        None,
    )
    base = next((s for s in u.slots if s.type in GROWN_BASES and not s.arm), None)
    if rate is None or base is None:
        return None
    return Forecast(base=base, rate=rate, aov=u.first("aov"))


_GROW_VERBS = r"(?:grows?|increases?|rises?|goes up|augmente|monte|progresse|grimpe|double)"
_GROW_ASKED = r"(?:grow|increase|boost|raise|augmenter|monter|booster|grossir)"
TRAFFIC_WORDS = (
    r"(?:trafic|traffic|organic|organique|seo|sessions|visits|visites|visitors|visiteurs)"
)
LIST_WORDS = r"(?:list|liste|base|subscribers|abonnes|contacts|database)"


@lru_cache(maxsize=8)
def _grows(nouns: str) -> re.Pattern:
    """What comes before a growth figure of ``nouns``: "if we grow organic 25%", "si le trafic
    augmente de 25 %", "grow the list 20%"."""
    return re.compile(
        rf"(?<![a-z]){nouns}(?:\s+\w+){{0,2}}?\s+{_GROW_VERBS}\s+(?:by\s+|de\s+)?(?:\+\s*)?$"
        rf"|(?<![a-z]){_GROW_ASKED}\s+(?:our\s+|the\s+|le\s+|la\s+|notre\s+|nos\s+)?"
        rf"{nouns}(?:\s+\w+)?\s+(?:by\s+|de\s+)?(?:\+\s*)?$"
    )


def growth_said(u: Understanding, nouns: str = TRAFFIC_WORDS) -> Slot | None:
    """The share (%) a volume of ``nouns`` (traffic by default, else a list) is said to grow by in
    a what-if ("if we grow organic 25%", "si le trafic augmente de 25 %", "what if we grow the
    list 20%?"), or None."""
    text, before = fold(u.text), _grows(nouns)
    return next(
        (
            s
            for s in u.slots
            if s.unit == "%"
            and isinstance(s.value, float)
            and s.value > 0
            and before.search(text[max(0, s.start - 40) : s.start])
        ),
        None,
    )


class Cohort(BaseModel):
    """A cohort as the user labels it ("jan", "cohorte de mars"), its size and the people still
    active at each period measured, in order (month 1, month 2…; one when a single period is
    compared)."""

    label: str
    size: Slot
    retained: list[Slot]

    def rate(self, period: int = 0) -> float:
        """The share still active (%) at ``period`` (0: the first measured)."""
        return float(self.retained[period].value) / float(self.size.value) * 100

    @property
    def slots(self) -> list[Slot]:
        """The size and every count still active."""
        return [self.size, *self.retained]


_RETAINED = re.compile(
    r"(?<![a-z])(?:cohort\w*|retention|retained|still active|encore actifs?|toujours actifs?|"
    r"actifs? a|active at|retenus?)(?![a-z])"
)
_MONTH_NAMES = (
    r"jan\w*|fe[bv]\w*|mar\w*|apr\w*|avr\w*|ma[iy]|jun\w*|juin|jul\w*|juil\w*|aug\w*|aou\w*|"
    r"sep\w*|oct\w*|nov\w*|dec\w*"
)
_MONTH_NAME = re.compile(rf"(?<![a-z])({_MONTH_NAMES})(?![a-z])")
# a cohort's label: a month, a quarter or a week
_MONTHS = re.compile(rf"(?<![a-z])({_MONTH_NAMES}|q[1-4]|t[1-4]|w\d+|s\d+)(?![a-z])")
_PEOPLE = ("conversions", "signups", "customers", "count", "visitors", "leads", "list_size")
_SENTENCE_END = re.compile(r"[.;!?]\s|\n")


def cohorts(u: Understanding) -> list[Cohort]:
    """Cohorts compared by how many of them are still active ("jan signups 1,000, still active
    month 3: 420. feb signups 1,300, month 3: 490"; "jan signups 1,200 → month1 540, month2 410;
    feb 1,450 → 610"): in a sentence, a count is a cohort's size and the smaller counts after it
    its users still active period by period, until a count as large or a month name starts the
    next cohort; each is labelled by the month (else its rank) before it. [] unless two cohorts
    or more and the message speaks of retention or cohorts."""
    text = fold(u.text)
    if not _RETAINED.search(text):
        return []
    counts = [s for s in u.slots if s.type in _PEOPLE and not (s.arm or s.channel)]
    raw = u.written  # the label as written, accents kept
    groups: list[tuple[str | None, list[Slot]]] = []
    start = 0
    for count in counts:
        before = text[start : count.start]
        if (
            not groups
            or _SENTENCE_END.search(before)
            or _MONTH_NAME.search(before)
            or count.value >= groups[-1][1][0].value
        ):
            month = list(_MONTHS.finditer(text, start, count.start))
            groups.append((raw[month[-1].start() : month[-1].end()] if month else None, [count]))
        else:
            groups[-1][1].append(count)
        start = count.end
    found = [(label, group) for label, group in groups if len(group) > 1]
    if len(found) < 2:
        return []
    return [
        Cohort(label=label or f"#{n + 1}", size=group[0], retained=group[1:])
        for n, (label, group) in enumerate(found)
    ]


def period_labels(u: Understanding, cohort: Cohort) -> list[str | None]:
    """The period each of ``cohort``'s counts still active is at, as written right before it
    ("month1 540" → 'month1', "M3 : 300" → 'M3'), or None where nothing names it."""
    text = u.written
    out: list[str | None] = []
    start = cohort.size.end
    for kept in cohort.retained:
        said = _PERIOD_SAID.search(fold(text[start : kept.start]))
        out.append(text[start + said.start() : start + said.end()].strip() if said else None)
        start = kept.end
    return out


_PERIOD_SAID = re.compile(
    r"(?<![a-z])(?:month|mois|m|week|semaine|sem|w|s|day|jour|j|d)\s*-?\s*\d+(?=\W*$)"
)


class ChannelRate(BaseModel):
    """A channel's conversion rate slot (%) and the slot of the sessions, visits or clicks it was
    measured on ("SEO 2,8 % (41 000 sessions)", "facebook 1.4% conversion on 38k clicks"); or a
    segment's (``channel``: its name) with its share of the traffic (``share_slot``, %) of the
    whole traffic (``base_slot``): "new visitors 58% of traffic converting at 0.9%"."""

    channel: str
    rate_slot: Slot
    base_slot: Slot
    share_slot: Slot | None = None

    @property
    def rate(self) -> float:
        """The conversion rate (%)."""
        return float(self.rate_slot.value)

    @property
    def sessions(self) -> float:
        """The sessions, visits or clicks the rate was measured on (a segment's share of them)."""
        share = float(self.share_slot.value) / 100 if self.share_slot else 1.0
        return float(self.base_slot.value) * share

    @property
    def base(self) -> str:
        """What the rate was measured on: 'clicks', else 'sessions' (sessions or visits)."""
        return "clicks" if self.base_slot.type == "clicks" else "sessions"

    @property
    def slots(self) -> list[Slot]:
        """The slots read."""
        return [self.rate_slot, self.base_slot] + ([self.share_slot] if self.share_slot else [])

    @property
    def conversions(self) -> float:
        """Conversions the rate makes of the sessions (sessions × rate / 100)."""
        return self.sessions * self.rate / 100


def channel_rates(request: Understanding) -> list[ChannelRate]:
    """Each channel's conversion rate with its sessions, in the order named ("taux de conversion
    par source : SEO 2,8 % (41 000 sessions), SEA 3,9 % (22 000)…"); [] unless two channels or
    more give both."""
    out = []
    for channel in request.channels():
        rates = [s for s in request.all("conversion_rate", channel=channel) if s.unit == "%"]
        visits = request.all("visitors", channel=channel) or request.all("clicks", channel=channel)
        if len(rates) == 1 and len(visits) == 1:
            out.append(ChannelRate(channel=channel, rate_slot=rates[0], base_slot=visits[0]))
    return out if len(out) >= 2 else []


def segment_rates(request: Understanding) -> list[ChannelRate]:
    """Each segment's conversion rate with its share of the traffic (:func:`_segment_shares`) or
    with its own sessions (:func:`_segment_sessions`), in the order listed; [] unless two
    segments or more."""
    return _segment_shares(request) or _segment_sessions(request)


def _segment_shares(request: Understanding) -> list[ChannelRate]:
    """Each segment's share of the traffic and conversion rate, listed one segment after the
    other ("new visitors 58% of traffic converting at 0.9%, returning 35% at 3.2%, loyal 7% at
    7.5%. monthly traffic 200k"): in each piece of the list, a name, then two percentages (the
    share, then the rate), on the monthly traffic given; [] unless two segments or more, shares
    adding up to 100 % (± 2) and a traffic."""
    traffic = request.first("monthly_traffic", "visitors")
    if traffic is None:
        return []
    text = request.text
    raw = request.written
    shares = [s for s in request.slots if s.unit == "%" and not (s.channel or s.arm)]
    out, start = [], 0
    for share, rate in zip(shares, shares[1:]):
        between = text[share.end : rate.start]
        if share.start < start or (re.search(r"[,;]", between) and not _CONVERTING.search(between)):
            continue  # "58% of traffic converting at 0.9%", "60 % du trafic, conversion 1,0 %"
        piece = re.split(r"[,;:]", raw[start : share.start])[-1]
        name = " ".join(
            w for w in re.findall(r"[^\W\d_][\w'-]*", piece) if fold(w) not in _NOT_A_NAME
        )
        if name:
            out.append(
                ChannelRate(channel=name, rate_slot=rate, base_slot=traffic, share_slot=share)
            )
            start = rate.end
    if len(out) < 2:
        return []
    return (
        out if abs(sum(float(c.share_slot.value) for c in out if c.share_slot) - 100) <= 2 else []
    )


def _segment_sessions(request: Understanding) -> list[ChannelRate]:
    """Each segment's conversion rate with the sessions it was measured on, one piece of a list
    each ("nouveaux visiteurs 1,2 % de conversion sur 30 000 sessions, récurrents 3,8 % sur 12 000,
    abonnés newsletter 6,1 % sur 4 000"): a name, one percentage, then one count of 100 or more;
    [] unless two segments or more, and no test arm."""
    if any(s.arm for s in request.slots):
        return []
    raw, out = request.written, []
    for piece in re.finditer(r"[^,;:.!?\n]+(?:[.,]\d[^,;:.!?\n]*)*", raw):
        inside = [
            s
            for s in request.slots
            if piece.start() <= s.start < piece.end() and isinstance(s.value, float)
        ]
        rates = [s for s in inside if s.unit == "%"]
        counts = [s for s in inside if s.unit == "" and float(s.value) >= 100]
        if len(rates) != 1 or len(counts) != 1 or counts[0].start < rates[0].start:
            continue
        words = re.findall(r"[^\W\d_][\w'-]*", raw[piece.start() : rates[0].start])
        name = " ".join(w for w in words if fold(w) not in _NOT_A_NAME)
        if name:
            out.append(ChannelRate(channel=name, rate_slot=rates[0], base_slot=counts[0]))
    return out if len(out) >= 2 else []


_CONVERTING = re.compile(r"(?<![a-z])(?:conv\w*|cvr|cr|taux)(?![a-z])")
_NOT_A_NAME = frozenset(
    "et and puis then les the des of du de la le a at sur on avec with qui who".split()
)


def mix_totals(mix: list[ChannelRate]) -> tuple[float, float, float]:
    """(the channels' sessions added up, their conversions added up, the overall conversion rate
    %: those conversions over those sessions) of ``mix`` (:func:`channel_rates`, not empty)."""
    sessions, conversions = sum(c.sessions for c in mix), sum(c.conversions for c in mix)
    return sessions, conversions, 100 * conversions / sessions


class EmailSegment(BaseModel):
    """One segment of a list given with its size and its open rate: "clients actifs 22 000
    (ouverture 34 %)" is ('clients actifs', 22000, 34.0); rate in %."""

    label: str
    size: float
    open_rate: float


_SEGMENT_RATE = r"\d+(?:[.,]\d+)?"
_SEGMENT = re.compile(
    r"(?P<label>[a-z][^,;:()\n]{1,40}?)\s+(?P<size>\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+|\d+(?:[.,]\d+)?\s?k)"
    r"\s*(?:contacts?|abonnes|subscribers|emails?|adresses)?\s*\(\s*(?:"
    rf"(?:taux d'\s?)?(?:ouverture|open rate|opens?|or)\s*:?\s*(?P<r1>{_SEGMENT_RATE})\s*%"
    rf"|(?P<r2>{_SEGMENT_RATE})\s*%\s*(?:d'ouverture|ouverture|open rate|opens?|or)?)\s*\)"
)


_SEGMENT_LEAD = re.compile(r"\s*(?:(?:on a|we have|with|avec|et|and)\s+)*")  # before a label


def email_segments(text: str) -> list[EmailSegment]:
    """The segments of a list each given with its size and open rate ("clients actifs 22 000
    (ouverture 34 %), inactifs 6 mois 15 000 (ouverture 9 %)", "lapsed 15,000 (9% open rate)"),
    in order; [] unless two or more are."""
    found = []
    folded, where = fold_map(text)  # the label as written: "clients actifs", "VIP"
    for m in _SEGMENT.finditer(folded):
        size = scan(m["size"])[0].value  # "22 000", "15,000", "5k": the scanner's reading
        rate = parse_number(m["r1"] or m["r2"])
        lead = _SEGMENT_LEAD.match(m["label"])
        start = m.start("label") + (lead.end() if lead else 0)
        label = text[where[start] : where[m.end("label") - 1] + 1]
        found.append(EmailSegment(label=label.strip(), size=size, open_rate=rate))
    return found if len(found) >= 2 else []


_OWN_EXIT = re.compile(
    r"(?i)\b(?:sortie|sortir|sort|exit\w*|stop\w*|arr[eê]t\w*|on arr[eê]te|retir\w*|remove\w*)\s+"
    r"(?:[^\s,.;!?]+\s+){0,3}?"  # what stops: "the sequence", "les relances", "emailing them"
    r"(?:si|s'ils?|quand|d[eè]s qu[e']|when|if|once|as soon as|on|upon|after|apr[eè]s|en cas d[e'])\s*"
    r"([^,.;!?\n]{2,60})"
)


def own_exits(raw: str) -> list[str]:
    """The exit conditions the user wrote for a sequence ("sortie si achat", "exit if they book a
    demo", "stop when they reply", "stop the sequence if they upgrade"), as written, first letter
    capitalised."""
    return [m.group(0)[0].upper() + m.group(0)[1:].strip() for m in _OWN_EXIT.finditer(raw)]
