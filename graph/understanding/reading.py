"""What a message says, as one typed contract both brains fill: :class:`Reading`.

The offline brain fills it with the number scanner and the lexicon (figures and entities,
graph.understanding.reader) and the situation model learned from the shared corpus
(graph.understanding.situations); the Claude brain fills the situations through its forced
``reading`` tool (graph.brains.claude) and keeps the scanner's figures, since numbers are never
read by a language model. The escalation rules (graph.escalation) read a Reading and nothing else.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from graph.understanding.binding import period_pairs, period_report
from graph.understanding.changes import Change, changes, relative_moves
from graph.understanding.reader import understand
from graph.understanding.roles import roles
from graph.understanding.situations import Situation, situations
from graph.understanding.slots import Slot

ENTITY_TYPES = frozenset(
    {
        "channel",
        "start_date",
        "end_date",
        "date",
        "delay",
        "segment",
        "trigger",
        "job_title",
        "company_size_word",
    }
)
"""Slot types that name things (a channel, a date, a delay, a segment…) rather than measure them."""


class Figure(Slot):
    """A number of the request: the slot the scanner and the lexicon read (``type`` is what
    deliverables bind it as), with ``role``, the measure the learned role model gives it in the
    shared corpus's vocabulary (signups, discount, budget_share, delay, other:…), and that
    role's probability (0-1; graph.understanding.roles)."""

    role: str = ""
    role_probability: float = 0.0


class Reading(BaseModel):
    """One request as read: ``figures`` (numbers with their role in ``Slot.type``: visitors,
    revenue_change in %, company_size in employees…, their A/B arm or channel and the span they were
    read from), ``entities`` (channels, dates, delays, segments, triggers, job titles, company size
    words), ``situations`` (escalation situations by rule id, each with its probability 0-1 and the
    clause that says it; empty when the request says nothing new), ``brain`` ('offline' or
    'claude': who read the situations) and ``compares_periods`` (a report giving each figure beside
    the previous period's, "sessions 52k (vs 47k)", or its change, "sessions 210k (+12% MoM)":
    graph.understanding.binding.period_pairs and period_report)."""

    figures: list[Figure] = []
    entities: list[Slot] = []
    changes: list[Change] = []
    situations: dict[str, Situation] = {}
    brain: str = "offline"
    compares_periods: bool = False

    def all(self, *types: str) -> list[Slot]:
        """Figures and entities of these types, whatever their arm or channel."""
        return [s for s in self.figures + self.entities if s.type in types]

    def first(self, *types: str) -> Slot | None:
        """The first figure or entity of one of ``types`` (in the order of ``types``), or None."""
        return next((found[0] for t in types if (found := self.all(t))), None)


def read_message(text: str, situated: str | None = None, today: date | None = None) -> Reading:
    """The offline brain's Reading of ``text`` (every message of a request, one a line).

    ``situated``: the words the situation model reads when they are not all of ``text`` (a
    follow-up's own message); '' reads no situation (a follow-up that only acts on the request,
    "et sans LinkedIn ?"). Figures and entities always come from all of ``text``."""
    understood = understand(text, today)
    found = situations(text if situated is None else situated) if situated != "" else {}
    role_of = {id(slot): (role, p) for slot, role, p in roles(understood)}
    numbers = [s for s in understood.slots if s.type not in ENTITY_TYPES]
    moves = changes(understood.text, numbers, {k: role for k, (role, _) in role_of.items()})
    moves += relative_moves(understood.text, numbers, moves)  # "12% more conversions"
    figures = [
        Figure(**s.model_dump(), role=role, role_probability=p)
        for s in numbers
        for role, p in [role_of.get(id(s), ("", 0.0))]
    ]
    return Reading(
        figures=figures,
        entities=[s for s in understood.slots if s.type in ENTITY_TYPES],
        changes=moves,
        situations=found,
        compares_periods=period_pairs(understood) is not None or period_report(understood),
    )
