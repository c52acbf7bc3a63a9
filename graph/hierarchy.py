"""The seed hierarchy as data, loaded from the YAML files under ``prompts/``.

``prompts/orchestrators/*.yaml`` and ``prompts/specialists/*.yaml`` hold one node each (id, parent,
description, routing keywords, required inputs, output template, prompt); ``prompts/handoffs.yaml``
the teams the seeds send out-of-scope requests to; ``prompts/escalations.yaml`` the seeds'
"Points d'Escalade Humaine" tables.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.document import Template
from graph.i18n import t
from graph.text import read_yaml

OUT_OF_SCOPE = "hors-perimetre"  # the route of a request no specialist of the seeds covers

Lang = Literal["fr", "en"]
ROOTS = ("marketing-ops", "marketing-analytics")
BRIEF_FIELDS = (
    "objective",
    "target",
    "key_message",
)  # planning-campagne's inputs a /campaign brief gives beyond dates, budget and channels


class Localized(BaseModel):
    """A text in French (the seeds' language) and English."""

    fr: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


class InputSpec(BaseModel):
    """One input a specialist needs. ``kind`` selects the extractor in :mod:`graph.extract`.

    kinds: rate (%), effect (MDE, % relative or points absolute), amount (€), count, duration (days),
    date, choice (``options``: value -> synonyms), channels, steps, move (a measure's stated
    before → after), fall (a move to under 80 % of what it was), device_bounce (a bounce rate
    given for two devices), device_rates (conversion rates for two devices and the share of the
    weaker), rates_by_email (two open rates or more, one per email of a flow), judged (a rate the user asks to be judged: "quel est un bon taux
    d'ouverture ? on est à 18 %"), ice, metrics, text.
    ``measures``: the slot types of the understanding layer (``prompts/lexicon.yaml``) this input
    takes, best first ('monthly_traffic/30' converts). ``default`` is used when the user says
    "je ne sais pas" / "skip"; ``None`` means required. ``optional``: used when given, never asked.
    ``from_file``: a table shared in the thread (CSV/XLSX) can stand for this input.
    ``unless``: another input (or a list of them) that, when given, stands for this one (an
    interval between messages instead of a sequence's total duration; a CPA or the revenue
    instead of the conversions of a campaign check-in): this one is then not asked.
    ``asked_alone``: False for an input asked only together with another missing one: without it
    the deliverable still answers (a sample size without the daily traffic, which gives the duration).
    """

    name: str
    kind: str
    label: Localized
    measures: list[str] = []
    optional: bool = False
    options: dict[str, list[str]] = {}
    default: Any = None
    from_file: bool = False
    unless: str | list[str] | None = None
    asked_alone: bool = True

    def stood_for(self, inputs: dict) -> bool:
        """Whether an ``unless`` input (one of them, for a list) is in ``inputs``."""
        others = [self.unless] if isinstance(self.unless, str) else self.unless or []
        return any(other in inputs for other in others)

    @property
    def measure_types(self) -> list[str]:
        """The slot types of ``measures`` without their conversions ('monthly_traffic/30' ->
        'monthly_traffic'), in order."""
        return [m.partition("/")[0].partition("*")[0] for m in self.measures]


class Node(BaseModel):
    """An orchestrator or a specialist of the hierarchy."""

    id: str
    parent: str | None
    kind: Literal["orchestrator", "specialist"] = "specialist"
    seed: str
    name: Localized  # what users read ("Répartition budgétaire"), never the id
    description: Localized
    prompt: str
    children: list[str] = []
    keywords: list[str] = []
    routing: dict[str, list[str]] = {}
    examples: list[str] = []
    inputs: list[InputSpec] = []
    template: Template | None = None
    not_handled: list[dict] = []
    evidence: list[str] = []
    handoffs: list[str] = []
    delegates: dict[str, str] = {}


class Handoff(BaseModel):
    """A team outside marketing-ops that the seeds hand requests to."""

    id: str
    team: Localized
    keywords: list[str]
    examples: list[str] = []


class Support(BaseModel):
    """What a message must say for a situation the model read under ``below`` (a probability) to
    raise its rule: ``cue``, one of graph.escalation.CUES (the lead's scoring criterion named, a
    company's size stated, a workflow named, an activity reported rather than a deliverable
    asked). Each row is backed by the corpus's train split: the messages with that situation say
    it (prompts/escalations.yaml gives the counts)."""

    below: float
    cue: Literal["criterion_named", "size_stated", "workflow_named", "activity_reported"]


class EscalationRule(BaseModel):
    """A row of a seed's "Points d'Escalade Humaine" table, made a deterministic rule.

    ``role`` decides (blocking) or acknowledges (non-blocking); ``sla`` ("15 min", "1 h",
    "2 business days") is how long a notice may wait before a reminder; ``fallback`` is the role
    pinged, and allowed to act, after the configured number of reminders; ``self_approval`` lets a
    member of the role decide their own request; ``assign`` offers "Assign to me"
    ("Notification + assignation"); ``dm`` also sends the role's members a direct message;
    ``answer_first``: a blocking rule whose deciders decide on the specialist's answer (a test
    readout for a revenue sign-off): the answer is given, then the thread waits for the decision;
    ``stops``: raised before a specialist answers, the notice and what to do now are the answer
    (a customer complaining inside a running sequence is taken out of it, not asked about the
    sequence's length); ``stops_from``: a stopping rule stops only when its situation is read
    with this probability or more (else the specialist answers beside the notice); ``needs``:
    what the message must say for the situation read under a probability to raise the rule
    (:class:`Support`)."""

    id: str
    seed: str
    situation: Localized
    reason: Localized
    action: Localized
    role: str
    blocking: bool
    confidence: float = (
        0.2  # probability of the rule's situation (graph.understanding.situations) that fires it
    )
    check: str | None = None
    threshold: float | None = None
    sla: str = "1 business day"
    fallback: str | None = None
    self_approval: bool = False
    assign: bool = False
    dm: bool = False
    stops: bool = False
    stops_from: float | None = None
    answer_first: bool = False
    now: Localized | None = None
    needs: list[Support] = []

    def sla_text(self, lang: str) -> str:
        """The sla as a marketer reads it in ``lang``: "1 jour ouvré", "2 business days", "15 min"."""
        m = re.fullmatch(r"\s*(\d+)\s*business days?\s*", self.sla)
        if not m:
            return self.sla.strip()
        key = "escalations.business_day" if m[1] == "1" else "escalations.business_days"
        return t(lang, key, n=m[1])

    def due(self, start: datetime, override: float | None = None) -> datetime:
        """When a notice raised (or last reminded) at ``start`` is due for a reminder: ``override``
        seconds when given (ESCALATION_REMIND_AFTER), else the rule's sla, business days skipping
        Saturdays and Sundays. Raises ValueError for an sla it cannot read."""
        if override:
            return start + timedelta(seconds=override)
        m = re.fullmatch(
            r"\s*(\d+(?:\.\d+)?)\s*(min|minutes?|h|hours?|business days?|days?)\s*", self.sla
        )
        if not m:
            raise ValueError(f"escalation rule {self.id}: unreadable sla {self.sla!r}")
        amount, unit = float(m[1]), m[2]
        if unit.startswith("business"):
            due, left = start, int(amount)
            while left:
                due += timedelta(days=1)
                left -= due.weekday() < 5
            return due
        return start + timedelta(minutes=amount) * (
            1 if unit.startswith("min") else 60 if unit.startswith("h") else 1440
        )


class Hierarchy(BaseModel):
    """All nodes by id, plus hand-off teams and escalation rules."""

    nodes: dict[str, Node]
    handoffs: list[Handoff]
    escalations: list[EscalationRule] = Field(default_factory=list)

    def specialists(self) -> list[Node]:
        """Specialist nodes, in file order."""
        return [n for n in self.nodes.values() if n.kind == "specialist"]

    def path_to(self, node_id: str) -> list[str]:
        """Ids from the root orchestrator down to ``node_id`` (inclusive).

        Raises KeyError for an unknown id."""
        path = [node_id]
        while parent := self.nodes[path[0]].parent:
            path.insert(0, parent)
        return path

    def name_of(self, node_id: str | None, lang: str) -> str:
        """The name users read for a specialist or orchestrator id ("Répartition budgétaire"); an
        id the hierarchy does not know is shown as it is ('' for None)."""
        node = self.nodes.get(node_id or "")
        return node.name(lang) if node else str(node_id or "")

    def shown_path(self, path: list[str], lang: str) -> str:
        """A route as users read it: the nodes' names, "Campagnes › Répartition budgétaire" for
        ['marketing-ops', 'campagnes', 'budget-allocation'] (the root above other orchestrators
        names nothing a user asked for); an id the hierarchy does not know is left out."""
        shown = [self.nodes[i] for i in path if i in self.nodes]
        return " › ".join(
            n.name(lang) for n in shown if n.parent or not self._above_orchestrators(n)
        )

    def _above_orchestrators(self, node: Node) -> bool:
        return any(self.nodes[c].kind == "orchestrator" for c in node.children if c in self.nodes)

    def subtree_specialists(self, node_id: str) -> list[str]:
        """Ids of the specialists at or under ``node_id``."""
        node = self.nodes[node_id]
        if node.kind == "specialist":
            return [node_id]
        return [s for child in node.children for s in self.subtree_specialists(child)]


def _load_yaml(*parts: str) -> Any:
    return read_yaml(resources.files("prompts").joinpath(*parts).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_hierarchy() -> Hierarchy:
    """Read and validate every file under ``prompts/``. Raises pydantic.ValidationError on a bad file."""
    folder = resources.files("prompts")
    nodes: dict[str, Node] = {}
    kinds: tuple[tuple[str, Literal["orchestrator", "specialist"]], ...] = (
        ("orchestrators", "orchestrator"),
        ("specialists", "specialist"),
    )
    for sub, kind in kinds:
        for entry in sorted(folder.joinpath(sub).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml"):
                data = read_yaml(entry.read_text(encoding="utf-8"))
                nodes[data["id"]] = Node(
                    kind=kind, **{k: v for k, v in data.items() if k != "kind"}
                )
    return Hierarchy(
        nodes=nodes,
        handoffs=[Handoff(**h) for h in _load_yaml("handoffs.yaml")],
        escalations=[EscalationRule(**r) for r in _load_yaml("escalations.yaml")],
    )
