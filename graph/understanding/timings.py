"""When each channel goes out, as the user wrote it.

A coordination request often times its channels against the launch day, J0 ("email J-3, SMS J0
matin, push J0 soir, retargeting Meta J+1 à J+7", "email on D-2, push D0, SMS day 3"). These
timings are read right after each channel's name: a day relative to launch (J-3, J0, D+1, day 3),
an optional moment of the day (matin, soir, morning, evening) and an optional last day of a range
("J+1 à J+7"). Two channel names side by side ("retargeting Meta") time one send.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

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
