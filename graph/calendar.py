"""A campaign plan as an iCalendar file (RFC 5545, with the ``icalendar`` library): one all-day
event per milestone of the seed's 7-step process, importable in Google Calendar or Outlook."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from graph.text import fold


def campaign_ics(name: str, milestones: list[tuple[str, date]], end: date) -> str:
    """The .ics text: ``milestones`` (title, day) as all-day events, plus the campaign itself as an
    event from launch to ``end`` (inclusive). ``name`` prefixes every title."""
    cal = Calendar()
    cal.add("prodid", "-//marketing-bot//campagnes//FR")
    cal.add("version", "2.0")
    stamp = datetime.now(UTC)
    launch = next((day for title, day in milestones if "5." in title), milestones[-1][1])
    for n, (title, start, stop) in enumerate(
        [(t, d, d + timedelta(days=1)) for t, d in milestones]
        + [(name, launch, end + timedelta(days=1))]
    ):
        event = Event()
        event.add(
            "uid", f"{re.sub(r'[^a-z0-9]+', '-', fold(name))}-{n}-{start.isoformat()}@marketing-bot"
        )
        event.add("dtstamp", stamp)
        event.add("summary", title if title == name else f"{name} — {title}")
        event.add("dtstart", start)
        event.add("dtend", stop)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
