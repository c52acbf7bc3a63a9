"""What the understanding layer returns: typed slots, each with the words it was read from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

GENERIC = {"": "count", "€": "amount", "%": "rate", "pt": "mde", "x": "ratio", "days": "duration"}
GENERIC_TYPES = frozenset({"count", "amount", "rate", "change", "ratio"})  # types no word named
"""Type of a number no word names, by unit: a bare count, an amount, a rate, percentage points…"""


class Slot(BaseModel):
    """One thing the user said. ``type``: a measure of the lexicon (visitors, conversions, spend,
    revenue, roas, conversion_rate, …), a generic number (count, amount, rate, change, mde, ratio,
    duration) or an entity (channel, start_date, end_date, date, delay, segment, trigger,
    job_title, company_size_word). ``value``: a float (counts, € amounts, % in percent units,
    durations and delays in days), an ISO date or a string (entities, as the user named them).
    ``arm``: 'A', 'B', … or '*' (every arm) for A/B figures; ``channel``: the channel a figure
    belongs to, as named. ``start``/``end``/``evidence``: where in the text it was read, and those
    words; ``message``: the line of the thread it came from. ``currency``: '€', '$' or '£' for
    amounts; for a channel slot, ``unit`` holds the channel's group (Google and Google Ads are
    one channel, named as the user first named it)."""

    type: str
    value: Any
    unit: str = ""
    arm: str | None = None
    channel: str | None = None
    currency: str = ""
    start: int = 0
    end: int = 0
    evidence: str = ""
    message: int = 0

    @property
    def key(self) -> tuple:
        """What a later message overrides: same type, arm and channel (and value, for entities
        that accumulate such as channels and segments)."""
        if self.type in ("channel", "segment", "job_title", "delay"):
            return self.type, self.value
        return self.type, self.arm, self.channel

    @property
    def generic(self) -> bool:
        """True for a number no word named (a bare count, an amount, a rate…)."""
        return self.type in GENERIC_TYPES


class Understanding(BaseModel):
    """Every slot of a request (all its messages, later messages overriding earlier ones), the
    currency it uses (the first one written, € when none is), the text it was read from (``raw``)
    and that text folded (``text``), and the items the thread's follow-ups removed that are not
    slots (``removed``: funnel steps as the request labels them; ``improved``: {step: factor of
    its entry rate}, "et si on améliore le passage panier -> checkout de 20 %"), and whether a
    follow-up scaled an A/B arm's counts (``projected``: "et si on attend 20 000 visites par
    version avec les mêmes taux ?" is a what-if, not a result)."""

    slots: list[Slot] = []
    removed: list[str] = []
    projected: bool = False
    improved: dict[str, float] = {}
    currency: str = "€"
    text: str = ""
    raw: str = ""

    @property
    def asked(self) -> str:
        """The thread's first message: its request (``raw`` holds the messages one a line)."""
        return self.raw.split("\n")[0]

    @property
    def later(self) -> str:
        """The thread's messages after its first one, one a line ('' for a single message)."""
        return "\n".join(self.raw.split("\n")[1:])

    @property
    def written(self) -> str:
        """The text as the user wrote it (accents, capitals) when its positions are the folded
        ``text``'s, so that a slot's span quotes it; else the folded text."""
        return self.raw if len(self.raw) == len(self.text) else self.text

    def all(
        self, *types: str, arm: str | None = None, channel: str | None = None, any_arm: bool = False
    ) -> list[Slot]:
        """Slots of these types; only those without arm and channel unless given (``any_arm``: all)."""
        return [
            s
            for s in self.slots
            if s.type in types and (any_arm or (s.arm == arm and s.channel == channel))
        ]

    def first(self, *types: str, **where) -> Slot | None:
        """The first slot of one of ``types`` (in the order of ``types``, then of the text)."""
        for t in types:
            found = self.all(t, **where)
            if found:
                return found[0]
        return None

    def value(self, *types: str, **where) -> Any:
        """The value of :meth:`first`, or None."""
        slot = self.first(*types, **where)
        return slot.value if slot else None

    def channels(self) -> list[str]:
        """Channels as the user named them, in the order first named."""
        return [s.value for s in self.slots if s.type == "channel"]

    def arms(self) -> list[str]:
        """Arm labels with at least one figure, control (A) first."""
        return sorted({s.arm for s in self.slots if s.arm and s.arm != "*"})

    def by_channel(self, type_: str) -> dict[str, float]:
        """{channel as named: value} of a per-channel measure (roas, spend, revenue…)."""
        return {s.channel: s.value for s in self.slots if s.type == type_ and s.channel}
