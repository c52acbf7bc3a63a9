"""Dates, date ranges and delays in French and English.

Read by rules: '2026-07-01', '01/07[/2026]', '1er juillet', 'July 1st', 'du 20 au 30 novembre',
'10-24 mars', 'Nov 20-30', 'from March 10 to 24', 'dans 2 semaines', 'in 10 days'; delays 'J+1',
'D+3', 'après 7 jours', 'after 48h', '2 jours après'. Relative day words the rules do not cover
('demain', 'vendredi prochain', 'next friday', 'mardi') are handed to ``dateparser`` (the
fallback: scrapinghub/dateparser). Dates without a year fall in the coming 12 months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

PAST_PERIOD = (
    r"(?:(?:la |le |the )?(?:semaine|mois|trimestre) (?:derniere?|precedente?|d'avant)|"
    r"(?:last|previous|prior) (?:week|month|quarter|year)|the (?:week|month|quarter|year) before|"
    r"l'an (?:dernier|passe)|l'annee (?:derniere|passee))"
)
"""A past period named in words, on folded text ("last week", "le mois d'avant", "previous
month"): the one pattern report comparisons and "last month was…" lines read (reader, binding)."""
PAST_PERIOD_WORDS = re.compile(rf"(?<![a-z]){PAST_PERIOD}(?![a-z])")
"""PAST_PERIOD as whole words, compiled once (reader, parallel_arms, followups)."""

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split()
    )
}
MONTHS.update(
    {
        m: i + 1
        for i, m in enumerate(
            "january february march april may june july august september october november december".split()
        )
    }
)
MONTHS.update(
    {
        "janv": 1,
        "jan": 1,
        "fev": 2,
        "feb": 2,
        "fevr": 2,
        "mar": 3,
        "avr": 4,
        "apr": 4,
        "jun": 6,
        "juil": 7,
        "jul": 7,
        "aug": 8,
        "sept": 9,
        "sep": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)
_M = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?:1er|1st|2nd|3rd|\d{1,2}(?:st|nd|rd|th|er)?)"
# Monday first, in French then English: index % 7 + 1 is the ISO weekday
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday".split()

_START_CUES = re.compile(
    r"(?<![a-z])(lancement|lance|lancer|launch(?:ing|es)?|start(?:s|ing)?|debut|debute|commence|demarr\w*|a partir du|"
    r"a partir de|from|go[- ]live|kick[- ]?off|des le|on lance|on demarre|le lancement)\W+(?:\w+\W+){0,3}$"
)
# In a request about a campaign, a launch or a go-live, a date without a cue is when it starts.
_CAMPAIGN = re.compile(
    r"(?<![a-z])(campagne|campaign|lancement|launch\w*|go-?live|diffusion|soldes|sale|vente|flash|coordin\w*|"
    r"sync|plan|planning|calendrier|webinar|webinaire|salon|event|evenement|conference|atelier|workshop|"
    r"meetup|masterclass|kick-?off)(?![a-z])"
)
_END_CUES = re.compile(  # whole words: "2 sends on Nov 29" is no end
    r"(?<![a-z])(jusqu.?au|jusqu.?a|until|till|through|fin(?:it)?|ends?|ending|se termine|termine|au plus tard|"
    r"deadline|cloture)\W+(?:\w+\W+){0,2}$"
)

# "objectif 5 000 abonnés d'ici juin", "by June", "avant fin mars": the date a goal is due by
_DEADLINE_CUES = re.compile(
    r"(?<![a-z])(?:d.?ici(?: a| au| le| la)?(?: fin(?: de)?)?|by(?: the end of| end of| early| mid| late)?|"
    r"avant(?: le| la)?(?: fin(?: de)?)?|before(?: the end of| end of)?|no later than)\W+$"
)
# "on a lancé une campagne le 3 nov", "launched on Nov 3", "depuis le 12 mars": a day gone by
_PAST_CUES = re.compile(
    r"(?<![a-z])(?:a lance|ont lance|avons lance|lancee?s? le|lancee?s? depuis|a demarre|a commence|"
    r"launched|started|went live|ran|depuis(?: le)?|since)\W+(?:\w+\W+){0,4}$"
)


@dataclass
class DateHit:
    """A date (or a range) written at ``start``:``end`` of the folded text. ``role``:
    'start_date', 'end_date' or 'date' (no cue); ``end_day`` is set for a range."""

    start: int
    end: int
    day: date
    role: str
    end_day: date | None = None


@dataclass
class Delay:
    """A delay after a trigger ('J+1', 'after 7 days', '1h après'), in days."""

    start: int
    end: int
    days: float
    text: str
    after_previous: bool = False  # "3 days later", "4 jours plus tard": after the touch before


# "the next day", "le lendemain": one day after; "3 days later", "4 days after that", "2 jours
# plus tard": counted from the touch before
NEXT_DAY = r"(?:the next day|next day|the day after|le lendemain|lendemain)"
_NEXT_DAY = re.compile(rf"(?<![a-z]){NEXT_DAY}(?![a-z])")
_AFTER_PREVIOUS = re.compile(
    r"\s*(?:later|plus tard|after that|apres ca|apres cela|ensuite)(?![a-z])"
)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dated(today: date, year: int | None, month: int, day: int) -> date | None:
    found = _safe(year or today.year, month, day)
    if found and year is None and found < today:
        found = _safe(today.year + 1, month, day)
    return found


def _range(
    today: date, given: int | None, first: tuple[int, int], last: tuple[int, int]
) -> tuple[date | None, date | None]:
    """A range of (month, day) pairs, the end after the start: in year ``given``, else this year
    unless the range is already over (then next year)."""
    year = given or today.year
    start, end = _safe(year, *first), _safe(year, *last)
    if start and end and end < start:
        end = _safe(year + 1, *last)
    if start and end and end < today and given is None:
        start, end = _safe(year + 1, *first), _safe(end.year + 1, *last)
    return start, end


def _day(raw: str) -> int:
    return int(re.findall(r"\d+", raw)[0])


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw) + (2000 if len(raw) == 2 else 0)


_PATTERNS = [
    # a yearly event the campaign is for ("plan de campagne pour Noël", "Black Friday"): its window
    (
        "event",
        re.compile(
            r"\b(?:noel|christmas|xmas|black friday|saint[- ]valentin|valentine'?s day|"
            r"fete des (?:meres|peres)|mother'?s day|father'?s day)\b"
        ),
    ),
    # ranges first: "du 20 au 30 novembre", "10-24 mars", "20 nov - 3 dec", "Nov 20-30", "from March 10 to 24", "between Nov 24 and Dec 1"
    (
        "range_dm",
        re.compile(
            rf"(?:du |from |entre le |between )?\b({_D})\s*({_M})?\s*(?:au|-|–|to|a|et le|and|through|jusqu.?au)\s*({_D})\s+({_M})(?:\s+(\d{{4}}))?"
        ),
    ),
    (
        "range_md",
        re.compile(
            rf"(?:from )?\b({_M})\s+({_D})\s*(?:-|–|to|through|until)\s*(?:({_M})\s+)?({_D})(?:,?\s+(\d{{4}}))?\b"
        ),
    ),
    (  # "and" joins a range only after "between": "on March 2 and 4" is two days
        "range_md",
        re.compile(
            rf"\bbetween\s+({_M})\s+({_D})\s*and\s*(?:({_M})\s+)?({_D})(?:,?\s+(\d{{4}}))?\b"
        ),
    ),
    (
        "range_num",
        re.compile(
            r"(?:du |from )?\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\s*(?:au|-|–|to|a)\s*(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b"
        ),
    ),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    (
        "num",
        re.compile(
            r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])(?!\s*(?:visit|sess|conv|%))"
        ),
    ),
    # a decimal is no day: "ROAS jan 3.8, feb 3.1" is a ROAS by month
    ("dm", re.compile(rf"(?<!\d[.,])\b({_D})\s+({_M})(?:\s+(\d{{4}}))?(?![a-z])")),
    # "janvier 2 000 inscrits": a count written with a space before its thousands, no date
    ("md", re.compile(rf"\b({_M})\s+({_D})(?![\d/]|[.,]\d|\s\d{{3}}(?!\d))(?:,?\s+(\d{{4}}))?\b")),
    (
        "month",
        re.compile(
            r"(?<![\d\w])(?:(?:en|pour|in|for|de|du mois de|au mois de|month of)\s+)?(janvier|fevrier|mars|avril|mai|juin|juillet|aout|"
            r"septembre|octobre|novembre|decembre|january|february|march|april|june|july|august|september|october|november|"
            r"december)(?:\s+(\d{4}))?(?![\w])"
        ),
    ),
    # "may" is a month only where a verb cannot be: "launch in May", "same for may?", "May 2027"
    (
        "month",
        re.compile(
            r"(?<![\w])(?:in|for|of|during|by|until|mid|early|late)[\s-]+(may)(?:\s+(\d{4}))?(?![\w])"
        ),
    ),
    ("month", re.compile(r"(?<![\w])(may)\s+(\d{4})(?![\w])")),
    ("next_month", re.compile(r"\b(?:le mois prochain|mois prochain|next month)\b")),
    (
        "relative",
        # "dans 3 semaines"; not "went from $210 to $340 in 6 weeks" (the time it took)
        re.compile(
            r"(?<!\d )(?<!\d)(?<![$€£%k] )(?<![$€£%k])\b(?:dans|in)\s+(\d+)\s*"
            r"(jours?|days?|semaines?|weeks?|mois|months?)\b"
        ),
    ),
    (
        "words",
        re.compile(
            rf"\b(?:apres[- ]demain|day after tomorrow|demain|tomorrow|avant[- ]hier|hier|yesterday|"
            rf"(?:(?:ce |this |next |le )?(?<!black )(?<!cyber )(?:{'|'.join(WEEKDAYS)})(?: prochain| next)?)|"
            r"la semaine prochaine|semaine prochaine|next week)\b"
        ),
    ),
]


_PLANNED_EVENT = re.compile(
    r"(?<![a-z])(plan\w*|prepar\w*|calendrier|calendar|lancer|lancement|launch\w*|jalons|"
    r"milestones|retroplanning|organis\w*|organiz\w*|timeline|schedule|coordon\w*|coordinat\w*|"
    r"synchronis\w*|synchroniz\w*|sync)(?![a-z])"
)  # an event's window is read only in a request that plans for it (or coordinates its sends)


def _event(name: str, today: date) -> tuple[date, date]:
    """(start, end) of the campaign window of a yearly event named (the next one not yet past):
    Christmas 1-24 December; Black Friday (the fourth Friday of November) a week before it to
    Cyber Monday; Valentine's Day 1-14 February; Mother's and Father's Day the two weeks up to the
    day (France's: last Sunday of May and third Sunday of June; "mother's day" the US second
    Sunday of May). Windows set here as defaults the plan shows."""
    for year in (today.year, today.year + 1):
        if day := _sunday_event(name, year):
            start, end = day - timedelta(days=13), day
        elif name.startswith(("noel", "christmas", "xmas")):
            start, end = date(year, 12, 1), date(year, 12, 24)
        elif name.startswith("black"):
            first = date(year, 11, 1)
            friday = first + timedelta(days=(4 - first.weekday()) % 7 + 21)
            start, end = friday - timedelta(days=7), friday + timedelta(days=3)
        else:
            start, end = date(year, 2, 1), date(year, 2, 14)
        if end >= today:
            return max(start, today), end
    return start, end


def _sunday_event(name: str, year: int) -> date | None:
    """The day of a Mother's or Father's Day named in ``year``, or None for another event."""
    if name.startswith("fete des meres"):  # last Sunday of May (France)
        last = date(year, 5, 31)
        return last - timedelta(days=(last.weekday() + 1) % 7)
    first = date(year, 6 if "pere" in name or "father" in name else 5, 1)
    first_sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    if "pere" in name or "father" in name:
        return first_sunday + timedelta(days=14)  # third Sunday of June
    return first_sunday + timedelta(days=7) if "mother" in name else None  # second of May (US)


def _parse(kind: str, m: re.Match, today: date) -> tuple[date | None, date | None]:
    g = m.groups()
    if kind == "event":
        return _event(m.group(0), today)
    if kind == "range_dm":
        month_end = MONTHS[g[3].rstrip(".")]
        return _range(
            today,
            _year(g[4]),
            (MONTHS[g[1].rstrip(".")] if g[1] else month_end, _day(g[0])),
            (month_end, _day(g[2])),
        )
    if kind == "range_md":
        return _range(
            today,
            _year(g[4]),
            (MONTHS[g[0].rstrip(".")], _day(g[1])),
            (MONTHS[(g[2] or g[0]).rstrip(".")], _day(g[3])),
        )
    if kind == "range_num":
        return _range(
            today, _year(g[2]) or _year(g[5]), (int(g[1]), int(g[0])), (int(g[4]), int(g[3]))
        )
    if kind == "iso":
        return _safe(int(g[0]), int(g[1]), int(g[2])), None
    if kind == "num":
        if int(g[1]) > 12 or int(g[0]) > 31:
            return None, None
        return _dated(today, _year(g[2]), int(g[1]), int(g[0])), None
    if kind == "dm":
        return _dated(today, _year(g[2]), MONTHS[g[1].rstrip(".")], _day(g[0])), None
    if kind == "md":
        return _dated(today, _year(g[2]), MONTHS[g[0].rstrip(".")], _day(g[1])), None
    if kind == "month":  # "pour mars": the first day of the coming March
        month, year = MONTHS[g[0]], _year(g[1])
        first = date(year or today.year, month, 1)
        return (
            first
            if year or (first.year, first.month) >= (today.year, today.month)
            else date(today.year + 1, month, 1)
        ), None
    if kind == "next_month":
        return (date(today.year + today.month // 12, today.month % 12 + 1, 1)), None
    if kind == "relative":
        unit = g[1]
        days = (
            7
            if unit.startswith(("sem", "week"))
            else 30
            if unit.startswith(("mois", "month"))
            else 1
        )
        return today + timedelta(days=int(g[0]) * days), None
    return _dateparser(m.group(0), today), None


def _dateparser(phrase: str, today: date) -> date | None:
    """The fallback for relative day words: dateparser, future dates preferred. 'prochain'/'next'
    with a weekday means the coming one (dateparser's French misses 'vendredi prochain')."""
    import dateparser  # imported on first use: start-up stays fast

    phrase = re.sub(r"^(?:ce|this|le)\s+|\s+prochain$", "", phrase)
    for lang in (["fr"], ["en"]):
        found = dateparser.parse(
            phrase,
            languages=lang,
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            },
        )
        if found:
            return found.date()
    return None


_FIGURE_GOES_ON = re.compile(r"\s?(?:%|€|\$|£|k(?![a-z])|[.,]\d{3}(?!\d))")
_COUNT_AND_NOUN_BEFORE = re.compile(r"\d[\d,.]*\s?k?\s+[a-z'-]+\s+$")


def find_dates(folded: str, today: date | None = None, context: str = "") -> list[DateHit]:
    """Dates and ranges of ``folded`` text, in order, none overlapping; each with its role from the
    words before it ('lancement le', 'from', 'jusqu'au', 'until'), or, in a request about a
    campaign (``context``, the text itself by default), a coming date is its start."""
    today = today or date.today()
    context = context or folded
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if kind == "event" and not _PLANNED_EVENT.search(context):
                continue  # "bilan de la campagne de Noël": a past one, no window to plan
            if kind == "relative" and _COUNT_AND_NOUN_BEFORE.search(folded[: m.start()]):
                continue  # "5,000 signups in 4 weeks": the time to get them, not a date
            if folded[m.end() - 1].isdigit() and _FIGURE_GOES_ON.match(folded, m.end()):
                continue  # "jan 31%", "feb 42,000": a month's figure, not a day of it
            start_day, end_day = _parse(kind, m, today)
            if start_day is None:
                continue
            before = folded[max(0, m.start() - 40) : m.start()]
            if _PAST_CUES.search(before) and not end_day and not re.search(r"\d{4}", m[0]):
                start_day = _gone_by(start_day, today)
            role = (
                "start_date"
                if end_day or _START_CUES.search(before)
                else "end_date"
                if _END_CUES.search(before) or _DEADLINE_CUES.search(before)
                else "start_date"
                if _CAMPAIGN.search(context) and start_day >= today
                else "date"
            )
            hits.append(DateHit(m.start(), m.end(), start_day, role, end_day))
            taken.append((m.start(), m.end()))
    return _paired(sorted(hits, key=lambda h: h.start), folded)


def _gone_by(day: date, today: date) -> date:
    """``day`` a year earlier when it is still to come: a day said to be gone by ("lancée le 3
    nov" on 6 December is last month's 3 November, not next year's)."""
    return _safe(day.year - 1, day.month, day.day) or day if day > today else day


JOINED = re.compile(r"\s*(?:and|et|&)\s*")  # "Nov 29 and Nov 30", "205 et 164"
PAIRED_DAYS = 14  # "on Nov 29 and Nov 30": two days of one window, not two campaigns


def _paired(hits: list[DateHit], folded: str) -> list[DateHit]:
    """``hits`` where a date joined to the start before it by "and"/"et", at most
    :data:`PAIRED_DAYS` later, ends that window ("2 sends on Nov 29 and Nov 30")."""
    for first, second in zip(hits, hits[1:]):
        joined = JOINED.fullmatch(folded[first.end : second.start])
        days = (second.day - first.day).days
        if (
            joined
            and first.role == "start_date"
            and second.role == "start_date"
            and not (first.end_day or second.end_day)
            and 0 < days <= PAIRED_DAYS
        ):
            second.role = "end_date"
    return hits


_BEFORE = re.compile(r"\b[jdh]\s?-\s?(\d+)\s*(h|j|d|jours?|days?)?\b")  # "J-21", "H-1": before
# "sales call day 10"; "J3 tuto, J7 étude de cas" (a day number without the plus)
_DAY_N = re.compile(r"(?<![a-z])(?:day|jour)\s?(\d+)(?![\d.,]\d|\s?%)|(?<![\w+-])[jd](\d{1,3})\b")
_RUN = re.compile(
    r"(?<![\w+-])\d+\s*(?:h|j|d)\b(?:\s*(?:/|,|;|puis|then|->|→)\s*\d+\s*(?:h|j|d)\b)+"
)  # "1h / 24h / 72h", "J1, J3, J7" without the plus: the delays of a sequence's messages
_DELAYS = [
    _BEFORE,
    re.compile(r"\b[jdh]\s?\+\s?(\d+)\s*(h|j|d|jours?|days?)?\b"),
    re.compile(r"(?<![a-z])(?:a|at)\s+(\d+(?:[.,]\d+)?)\s*(h|heures?|hours?|hrs?|min(?:utes?)?)\b"),
    re.compile(
        r"\b(?:(?:apres|after|au bout de|within|sous|later|plus tard|wait|attendre|attend|delay of|delai de|"
        r"delai)\s+|au bout d')(\d+(?:[.,]\d+)?)\s*(h|heures?|hours?|hrs?|min(?:utes?)?|j|d|jours?|days?|semaines?|weeks?)\b"
    ),
    re.compile(
        r"\b(\d+(?:[.,]\d+)?)\s*(h|heures?|hours?|hrs?|min(?:utes?)?|j|d|jours?|days?|semaines?|weeks?)\s+"
        r"(?:apres|after|later|plus tard|sans (?:achat|ouverture|reponse|activite|clic)|without)\b"
    ),
]


# "day 0, 2, 5, 9", "jours 1, 3 et 7": the days of a sequence's messages listed after one word
DAY_LIST = re.compile(
    r"(?<![a-z])(?:days?|jours?)\s*:?\s*\d{1,3}(?:\s*(?:,|/|;|et|and|&)\s*\d{1,3}(?![\d.,]\d|\s?(?!et |and )[%a-z€$]))+"
)


def find_delays(folded: str, schedule: bool = False) -> list[Delay]:
    """Delays of a workflow or sequence ('J+1', 'D+3', 'H+2', 'après 7 jours', '24h after', a run
    such as '1h / 24h / 72h', day numbers when two or more are given, 'day 2 … day 10', or in a
    piece of such a ``schedule``), in days; negative before the event ('J-21', 'D-7', 'H-1': the
    corpus's convention)."""
    found: list[Delay] = []
    for run in _RUN.finditer(folded):
        for m in re.finditer(r"(\d+)\s*(h|j|d)\b", run.group(0)):
            days = float(m.group(1)) / (24 if m.group(2) == "h" else 1)
            start = run.start() + m.start()
            found.append(Delay(start, run.start() + m.end(), days, m.group(0)))
    lists = list(DAY_LIST.finditer(folded))
    for listed in lists:  # "day 0, 2, 5, 9": each a message's day
        for m in re.finditer(r"\d+", listed.group(0)):
            start, end = listed.start() + m.start(), listed.start() + m.end()
            found += [Delay(start, end, float(m[0]), m[0])] if m[0] != "0" else []
    numbered = [
        m
        for m in _DAY_N.finditer(folded)
        if not any(o.start() <= m.start() and m.end() <= o.end() for o in lists)
    ]
    if schedule or len(numbered) >= 2:  # "email day 0, … call day 10" ("peeked at day 4": none)
        numbers = [(m, m[1] or m[2]) for m in numbered]
        found += [Delay(m.start(), m.end(), float(n), m[0]) for m, n in numbers if n != "0"]
    for pattern in _DELAYS:
        for m in pattern.finditer(folded):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            value = float(m.group(1).replace(",", "."))
            unit = m.group(2) or ("h" if m.group(0)[0] == "h" else "j")  # "H+2" counts hours
            days = (
                value / 24
                if unit.startswith("h")
                else value / 1440
                if unit.startswith("min")
                else value * 7
                if unit.startswith(("sem", "week"))
                else value
            )
            days = -days if pattern is _BEFORE else days
            if days:  # "D+0" is the start itself
                rel = _AFTER_PREVIOUS.match(folded, m.end(2) if m.group(2) else m.end())
                end = max(m.end(), rel.end()) if rel else m.end()
                found.append(Delay(m.start(), end, days, folded[m.start() : end], bool(rel)))
    found += [
        Delay(m.start(), m.end(), 1.0, m.group(0), True)
        for m in _NEXT_DAY.finditer(folded)
        if not any(d.start < m.end() and m.start() < d.end for d in found)
    ]
    return sorted(_before_trial_end(folded, found), key=lambda d: d.start)


_TRIAL_LENGTH = re.compile(
    r"(?:trial|essai)\D{0,12}?(\d{1,3})\s*(?:days|jours|j|d)\b|"
    r"(\d{1,3})[\s-]*(?:days?|jours?)[\s-]*(?:free\s+|gratuits?\s+)?(?:trial|essai)"
)
_BEFORE_END = re.compile(
    r"\s*(?:before|avant)\s+(?:the\s+|la\s+)?(?:end of (?:the\s+)?trial|trial(?:'s)? end|"
    r"fin (?:de l'|d'|du )(?:essai|trial)|trial expir\w*|(?:l')?expiration)"
)


def _before_trial_end(folded: str, delays: list[Delay]) -> list[Delay]:
    """``delays`` with one said before the end of a trial of stated length ("last call H-1 before
    trial end (trial 14 days)") counted from the start like the others: 14 days less 1 hour."""
    length = _TRIAL_LENGTH.search(folded)
    if not length:
        return delays
    days = float(length[1] or length[2])
    return [
        replace(d, days=days + d.days) if d.days < 0 and _BEFORE_END.match(folded, d.end) else d
        for d in delays
    ]


def next_monday(today: date | None = None) -> date:
    """The Monday after ``today`` (never today itself)."""
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


_ELAPSED = re.compile(
    r"(?:(?:day|jour|j)\s*\+?\s*(\d+)|(\d+)\s*(?:days?|jours?|j)(?:\s+in)?)\s*"
    r"(?:out of|sur|/|of|into|dans|d')\s*(?:(?:les|the|a|an|un|une|our|notre)\s+)?"
    r"(?:(?:campagne|campaign|test|operation)\s+(?:de\s+)?)?(?:j\s*)?(\d+)"
)  # "12 days in out of 30", "jour 12 sur 30", "J12/30", "5 jours sur les 21", "day 5 of a 21-day
# test", "12 days into a 30-day campaign", "à J12 d'une campagne de 30 jours"


_WEEK_OF = re.compile(r"(?<![a-z])(?:week|semaine|sem)\s*(\d+)\s*(?:of|sur|/)\s*(\d+)(?!\d)")
_WEEK_SAID = re.compile(r"(?<![a-z])(?:week|semaine)\s*(\d+)(?!\d)")
_WEEKS_LONG = re.compile(r"(?<![\d.,])(\d+)\s*(?:weeks?|semaines?)(?![a-z])")


def elapsed_days(folded: str) -> tuple[int, int] | None:
    """(days elapsed, days planned) of a campaign or test that says how far it is ("12 days in
    out of 30", "jour 12 sur 30", "5 jours sur les 21 prévus", "day 5 of a 21-day test", "12 days
    into a 30-day campaign"; in weeks,
    7 days each: "week 2 of 4", "semaine 2 sur 4", "week 2: … (4 weeks)"); None when the folded
    text says none, or more days elapsed than planned."""
    m = _ELAPSED.search(folded)
    if m is not None:
        elapsed, total = int(m[1] or m[2]), int(m[3])
    elif (week := _WEEK_OF.search(folded)) is not None:  # "week 2 of 4", "semaine 2 sur 4"
        elapsed, total = 7 * int(week[1]), 7 * int(week[2])
    elif (week := _WEEK_SAID.search(folded)) and (weeks := _WEEKS_LONG.search(folded)):
        elapsed, total = 7 * int(week[1]), 7 * int(weeks[1])  # "week 2: … (4 weeks)"
    else:
        return None
    return (elapsed, total) if 0 < elapsed <= total else None
