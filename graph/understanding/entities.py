"""Entities of a message: channels, job titles, company sizes, segments and triggers, each with
the words it was read from; and what a request is about (automation, personalisation), which
decides whether a trigger or a segment list is read at all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from graph.understanding.lexicon import WORD, PhraseIndex, index_of, lexicon
from graph.understanding.slots import Slot

V = TypeVar("V")


@dataclass
class Mention(Generic[V]):
    """A lexicon phrase found at ``start``:``end`` of the folded text: its ``value`` and ``text``."""

    start: int
    end: int
    value: V
    text: str


def mentions(folded: str, index: PhraseIndex[V]) -> list[Mention[V]]:
    """Phrases of ``index`` in the folded text, with their character spans."""
    spans = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(folded)]
    toks = [t for _, _, t in spans]
    return [
        Mention(spans[i][0], spans[j - 1][1], value, folded[spans[i][0] : spans[j - 1][1]])
        for i, j, value in index.find_all(toks)
    ]


@lru_cache(maxsize=1)
def indexes() -> dict[str, PhraseIndex[str]]:
    lx = lexicon()
    return {
        "jobs": index_of(lx.job_titles),
        "sizes": index_of(lx.company_sizes),
        "segments": PhraseIndex({p: p for p in lx.segments["known"]}),
        "triggers": index_of(lx.triggers),
    }


_SEGMENT_CUE = re.compile(
    r"(?<![a-z])(segments?|audiences?|cibles?|personas?|target(?:ing)?(?!\s*:?\s*[$€£]?\d))(?![a-z])"
    r"\s*(?::|=|-|—|–)?\s*(?:suivants?\s*:?\s*)?"
)  # "target young professionals 25-34"; "target 150 SQLs" is a goal
# "young professionals 25-34", "cadres 30-45 ans": a segment named with its ages
_AGED = re.compile(
    r"[a-z]\s+(?:aged\s+|de\s+)?\d{2}\s*(?:-|–|a|to)\s*\d{2}(?:\s*(?:ans|years?(?: old)?|yo))?$"
)
_FOR_CUE = re.compile(r"(?<![a-z])(?:pour (?:les|nos|des)|for|aux)\s+(?:our\s+|the\s+|all\s+)?")

# A trigger is read in a request about automation; segments in one about personalisation or targeting.
AUTOMATION = re.compile(
    r"(?<![a-z])(workflow|automation|automatis\w*|sequence|relance\w*|rappel|reminder|nurturing|drip|trigger\w*|"
    r"declench\w*|regle|rule|send|envoy\w*|alerte?|alert sales|follow-?up|onboarding|win-?back|reactivation|cadence|nurture|"
    r"serie|series|quand (?:un|une|le|la|les|l'|on|quelqu\w*)|lorsqu\w*|when|whenever|des qu|as soon as|upon|si un|if a|"
    r"on cart|on inactivity|touchpoints?|flows?|welcome|bienvenue)(?![a-z])|[jd]\s?\+\s?\d"
)
# "our cart abandonment emails": messages a trigger sends, an automated flow however it is called
_MESSAGES_AFTER = re.compile(r"\s*(?:e-?mails?|mails?|sms|messages?|push)(?![a-z])")
PERSONALISATION = re.compile(
    r"(?<![a-z])(personnalis\w*|personali[sz]\w*|segment\w*|audiences?|experiences?|"
    r"(?:cibl\w*|target\w*)(?!\s*(?:of|de|:|=)?\s*[$€£]?\d)|"  # "target 150 SQLs": a goal
    r"contenu dynamique|dynamic content|message adapte|tailored)(?![a-z])"
)


def entity_slots(folded: str, context: str, channels, dates, delays, evidence) -> list[Slot]:
    """Channels (as named), dates, delays, job titles, company size words, segments, triggers.

    ``channels``, ``dates``, ``delays``: the mentions the reader found (value, start, end);
    ``evidence(start, end)``: the words of the message at that span."""
    ix = indexes()

    def slot(type_: str, value, start: int, end: int, unit: str = "") -> Slot:
        return Slot(
            type=type_, value=value, unit=unit, start=start, end=end, evidence=evidence(start, end)
        )

    out, seen = [], set()
    for c in channels:
        if c.value[0] not in seen:  # one slot per channel group, named as first written
            seen.add(c.value[0])
            out.append(slot("channel", c.value[1], c.start, c.end, unit=c.value[0]))
    for h in dates:
        if _vaguer(h, dates, evidence):
            continue  # "in March … launch date 10 March 2027": the day given wins
        if h.end_day:
            out += [
                slot("start_date", h.day.isoformat(), h.start, h.end),
                slot("end_date", h.end_day.isoformat(), h.start, h.end),
            ]
        else:
            out.append(slot(h.role, h.day.isoformat(), h.start, h.end))
    out += [slot("delay", round(d.days, 4), d.start, d.end, unit="days") for d in delays]
    out += [
        slot("job_title", evidence(m.start, m.end), m.start, m.end, unit=str(m.value))
        for m in mentions(folded, ix["jobs"])
        if not _TEAM_ROLE.search(folded[max(0, m.start - 25) : m.start])
    ]
    out += [  # "Microsoft Ads" is a channel, not a company
        slot("company_size_word", m.value, m.start, m.end)
        for m in mentions(folded, ix["sizes"])
        if not any(c.start <= m.start and m.end <= c.end for c in channels)
    ]
    out += [
        slot("trigger", m.value, m.start, m.end)
        for m in mentions(folded, ix["triggers"])
        if AUTOMATION.search(context) or _MESSAGES_AFTER.match(folded, m.end)
    ]
    return out + _segments(folded, context, evidence)


def _vaguer(hit, dates, evidence) -> bool:
    """Whether ``hit`` names only a month ("in March", "en mars") that another date of the
    message gives with its day, in the same month and role."""
    said = evidence(hit.start, hit.end)
    return not re.search(r"\d", said) and any(
        o is not hit
        and o.role == hit.role
        and (o.day.year, o.day.month) == (hit.day.year, hit.day.month)
        and re.search(r"\d", evidence(o.start, o.end))
        for o in dates
    )


# "tâche au commercial", "notify the account manager": the team's own people, not a lead's title
_TEAM_ROLE = re.compile(
    r"(?<![a-z])(?:au|aux|a la|to the|to|tache|task|notif\w*|alert\w*|previen\w*|prevenir|assign\w*|ping)"
    r"\s+(?:le |la |l'|un |une |our |the |a |an |son |sa |notre )?$"
)


def _segments(folded: str, context: str, evidence) -> list[Slot]:
    """Segments, as the user wrote them: the list after 'segments :' / 'audiences' / 'cibles', or,
    in a request about personalisation, after 'pour les' / 'for'; else the lexicon's segment
    phrases there."""
    personalisation = PERSONALISATION.search(context)
    if not (personalisation or AUTOMATION.search(context)):
        return []
    known = [
        Slot(
            type="segment",
            value=evidence(m.start, m.end),
            start=m.start,
            end=m.end,
            evidence=evidence(m.start, m.end),
        )
        for m in mentions(folded, indexes()["segments"])
        if not _PRODUCT_NOUN.match(folded, m.end)  # "our new mobile app feature": a product
    ]
    for cue in (_SEGMENT_CUE.search(folded), _FOR_CUE.search(folded)):
        found = _segment_list(folded, cue, evidence) if cue else []
        if found and cue is not None and known and known[0].end <= cue.start():
            # "les visiteurs récurrents … et les nouveaux …, personnaliser pour les nouveaux":
            # the segments named before, with the one the request is for
            return sorted(
                known + [f for f in found if not any(k.start <= f.start < k.end for k in known)],
                key=lambda seg: seg.start,
            )
        if found:
            return found
    return known if personalisation else []


# a segment named before its figure: "new visitors convert at 0.8%", "returning at 2.4%"
_RATED = re.compile(
    r"([a-z][a-z' -]{1,40}?)\s+(?:(?:convert\w*|converti\w*|is|are|est|sont)\s+)?(?:at|a|:|=)\s*\d"
)
_ITEM = re.compile(r"(?:(?!\s(?:et|and|ou|or|vs|versus)\s)[^,;/+])+")
_ARTICLE = re.compile(r"^(?:(?:et|and|ou|or|vs|les|la|le|l'|the|our|nos|des|aux|a)\s+|l')+")


def _bracketed_segments(body: str, start: int, evidence) -> list[Slot]:
    """The segments a bracket right after "segments" lists (``body`` from ``start`` in the
    message), each named before its figures ("nouveaux visiteurs 60 %"); [] when an item does not
    open with its name."""
    found = []
    for m in _ITEM.finditer(body):
        item = re.split(r"\s*[\d~≈]", _ARTICLE.sub("", m.group(0).strip(" -'\"")), maxsplit=1)[0]
        if not item or len(item) > 40 or len(item.split()) > 4:
            return []
        found.append(_segment_slot(start + m.start() + m.group(0).find(item), item, evidence))
    return found


def _segment_slot(at: int, item: str, evidence) -> Slot:
    """The segment ``item`` read at ``at`` in the message (its words as the user wrote them)."""
    return Slot(
        type="segment",
        value=evidence(at, at + len(item)),
        start=at,
        end=at + len(item),
        evidence=evidence(at, at + len(item)),
    )


def _segment_list(folded: str, cue: re.Match, evidence) -> list[Slot]:
    # "3 segments for personalisation: new visitors (60%), returning (30%)": the list after the
    # colon; after "pour les leads webinar :" what follows the colon is the request, not segments
    lead = re.match(r"[^.!?\n:(]{0,40}:\s*", folded[cue.end() :])
    if lead and cue.re is _FOR_CUE and not _SEGMENT_CUE.search(lead.group(0)):
        lead = None
    start = cue.end() + (lead.end() if lead else 0)
    rest = folded[start:]
    inside = re.match(r"\s*\(([^)]{3,200})\)", rest)
    if inside:  # "3 segments (nouveaux visiteurs 60 %, clients récurrents 25 %, …)"
        return _bracketed_segments(inside.group(1), start + inside.start(1), evidence)
    stop = re.search(
        r"\.(?!\d)|[!?\n:—–]|\s-\s|\s(?:avec|with|sur|on|qui|who|that|quel\w*|what|comment|how|pour|to|afin|depuis|since|de plus de|over|puis|then)\s"
        r"|,\s*(?:(?:le|la|the)\s+)?(?:premier|premiere|first|dernier|derniere|last)(?![a-z])",
        rest,
    )  # "pour les inscrits, le premier à J+1 puis …": the timing follows the segments
    body = rest[: stop.start()] if stop else rest
    if stop and stop.group(0) == ":" and "," in body:  # "…, goal: activate": a label
        body = body[: body.rfind(",")]
    # "new visitors (55%)", "fidèles (12 000, panier 85 €)": what brackets hold is the segment's
    # figures, not its name, and their commas do not split the list
    body = re.sub(r"\([^)]*\)?", lambda m: " " * len(m.group(0)), body)
    found = []
    for m in _ITEM.finditer(body):
        raw = m.group(0)
        item = _ARTICLE.sub("", raw.strip(" -'\""))
        if re.search(r"(?<![a-z])\d", item) and not _AGED.search(item):
            # "new visitors convert at 0.8%, returning at 2.4%": each segment then its rate
            named = _RATED.match(item)
            if named is None:
                break  # "new trial users, day 0, 2, 5": the list of segments has ended
            item = named[1]
        if _POINTED.match(item):
            break  # "ICE scoring for these ideas pls": what is pointed at is no audience
        if item and len(item) <= 40 and len(item.split()) <= 4:
            found.append(_segment_slot(start + m.start() + raw.find(item), item, evidence))
    return found


_PRODUCT_NOUN = re.compile(
    r"\s+(?:apps?|applications?|appli|features?|fonctionnalites?|sites?|versions?)(?![a-z])"
)
_POINTED = re.compile(r"(?:these|those|this|that|ces|cette|cet|ce|ceux-ci|celles-ci)(?![a-z'])")
