"""When each channel goes out, as the user wrote it.

A coordination request often times its channels against the launch day, J0 ("email J-3, SMS J0
matin, push J0 soir, retargeting Meta J+1 à J+7", "email on D-2, push D0, SMS day 3"). These
timings are read right after each channel's name: a day relative to launch (J-3, J0, D+1, day 3),
an optional moment of the day (matin, soir, morning, evening) and an optional last day of a range
("J+1 à J+7"). Two channel names side by side ("retargeting Meta") time one send.

A channel can also be timed on a day of each week ("newsletter le mardi, SMS promo le jeudi",
"email every Tuesday") or all week ("Meta en continu", "always-on"): :func:`weekly_sends`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from graph.text import fold
from graph.understanding.dates import WEEKDAYS
from graph.understanding.entities import mentions
from graph.understanding.lexicon import channel_index
from graph.understanding.slots import Understanding


class Timing(BaseModel):
    """One channel's send: ``first`` and ``last`` day relative to launch (days, J0 = 0, J-3 =
    -3; equal for a one-day send), the ``moment`` of the day as written ('' when none), and the
    ``written`` text it was read from."""

    channel: str
    first: int
    last: int
    moment: str = ""
    written: str = ""


_DAY = r"(?:[jd]\s*(?:[+-]?\s*\d{1,2})?|(?:day|jour)\s*\d{1,2})(?![a-z0-9])"
_AT = re.compile(
    rf"\s*(?:[:(]\s*|(?:a|at|on|le|au)\s+)?(?P<day>{_DAY})"
    r"(?:\s+(?P<moment>matin|midi|soir|apres-midi|morning|noon|evening|afternoon|night))?"
    rf"(?:\s*(?:a|to|-|–|au|until|jusqu'a|->|→)\s*(?P<until>{_DAY}))?"
)


def _day(written: str) -> int:
    """The day a J/D form or 'day N' gives, relative to launch ('j-3' → -3, 'j0' → 0)."""
    digits = re.sub(r"[^\d+-]", "", written)
    return int(digits) if re.search(r"\d", digits) else 0


def channel_timings(u: Understanding) -> list[Timing]:
    """The channels ``u`` times against its launch day, in text order; [] when none is timed."""
    channels = sorted((s for s in u.slots if s.type == "channel"), key=lambda s: s.start)
    out: list[Timing] = []
    k = 0
    while k < len(channels):
        name, end, start = str(channels[k].value), channels[k].end, channels[k].start
        while k + 1 < len(channels) and not u.text[end : channels[k + 1].start].strip():
            k += 1  # "retargeting meta": one send on a channel of a platform
            name, end = f"{name} {channels[k].value}", channels[k].end
        found = _AT.match(u.text, end)
        if found:
            first = _day(found["day"])
            last = _day(found["until"]) if found["until"] else first
            moment = found["moment"] or ""
            out.append(
                Timing(
                    channel=name,
                    first=first,
                    last=max(first, last),
                    moment=moment,
                    written=u.text[start : found.end()].strip(),
                )
            )
        k += 1
    return out


class WeeklySend(BaseModel):
    """A channel sent on the same days each week: ``days`` are ISO weekdays (1 Monday … 7
    Sunday), all seven for a channel running all week ("Meta en continu")."""

    channel: str
    days: list[int]


# after a channel, a few words ("SMS promo", "email de relance"), then its day of each week
_ON_WEEKDAY = re.compile(
    r"[\s:(]*(?:[a-z']+\s+){0,3}?(?:(?:le|les|tous les|chaque|on|every|each)\s+)?"
    rf"(?P<day>{'|'.join(WEEKDAYS)})s?(?![a-z])"
)
_ALL_WEEK = re.compile(
    r"[\s:(]*(?:[a-z']+\s+){0,2}?(?:en continu|always[- ]on|tous les jours|chaque jour|every day|"
    r"daily|non[- ]stop|permanente?|all week)(?![a-z])"
)
_ALL_WEEK_BEFORE = re.compile(r"(?<![a-z])(?:always[- ]on|non[- ]stop)\s+$")
# the words that make a channel's weekday recur: a plural or "every", a weekly rhythm, or a
# question about the pressure the sends put on the same people
_RECURRING = re.compile(
    r"(?<![a-z])(?:tous les|chaque|every|each|weekly|hebdo\w*|par semaine|a week|per week|"
    r"sur-?sollicit\w*|surpression|over-?solicit\w*|fatigue|pression|pressure|saturer|spam\w*|"
    r"too many|trop de messages)(?![a-z])"
    rf"|(?<![a-z])(?:les |on )(?:{'|'.join(WEEKDAYS)})s(?![a-z])"
)


def weekly_sends(u: Understanding) -> list[WeeklySend]:
    """The channels ``u`` sends on a day of each week or all week, in text order, when two or
    more are and the request says the days recur (:data:`_RECURRING`); [] otherwise (a launch
    timed on weekdays: "email mardi, SMS jeudi" for one promo week)."""
    text = fold(u.text)
    # every mention, a channel named again included ("et si on ajoute un email le vendredi ?")
    named = mentions(text, channel_index())
    out: list[WeeklySend] = []
    for k, mention in enumerate(named):
        stop = named[k + 1].start if k + 1 < len(named) else len(text)
        segment = text[mention.end : stop]  # the words up to the next channel belong to this one
        before = _ALL_WEEK_BEFORE.search(text, max(0, mention.start - 20), mention.start)
        if before:  # "always-on Meta ads"
            out.append(WeeklySend(channel=mention.value[1], days=list(range(1, 8))))
            continue
        if _ALL_WEEK.match(segment):
            days = list(range(1, 8))
        elif found := _ON_WEEKDAY.match(segment):
            days = [WEEKDAYS.index(found["day"]) % 7 + 1]
        else:
            continue
        out.append(WeeklySend(channel=mention.value[1], days=days))
    timed = [x for x in out if len(x.days) < 7]
    return out if len(timed) >= 2 and _RECURRING.search(text) else []
