"""What the graph and the bot say in a thread, as typed messages: one pydantic model per kind, and
:data:`Message`, their union discriminated by ``kind``.

Nodes emit these models (dumped to JSON in the LangGraph state and the outbox); the Slack side
reads them back with :func:`parse` and renders each kind with its own small function
(bot/render.py). Every message has ``lang``, the thread's language ('fr' or 'en').
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from graph.document import Deliverable


class Said(BaseModel):
    """Fields every message has: ``lang`` 'fr' or 'en'."""

    lang: str = "fr"


class Missing(BaseModel):
    """An input a question asks for: its ``name``, its ``label`` in the thread's language, and
    whether it has a stated default ("je ne sais pas" takes it)."""

    name: str
    label: str
    default: bool = False


class Question(Said):
    """The clarification node asks for every missing input of ``agent`` at once, saying what it
    understood (``understood``: phrases such as 'budget 80 000 €')."""

    kind: Literal["question"] = "question"
    agent: str
    path: list[str] = []
    understood: list[str] = []
    missing: list[Missing]


class Option(BaseModel):
    """A specialist offered in a choice: its id, its name and its description in the thread's
    language (a choice stored before names existed has no name: its id is shown)."""

    id: str
    description: str
    name: str = ""


class Choice(Said):
    """Two specialists could answer: the user picks one (buttons in Slack)."""

    kind: Literal["choice"] = "choice"
    options: list[Option]


class Handoff(Said):
    """The request belongs to another team (``team``: a prompts/handoffs.yaml id, or
    ``hors-perimetre``)."""

    kind: Literal["handoff"] = "handoff"
    team: str


class Escalated(Said):
    """A rule of prompts/escalations.yaml was raised (its notice went to the escalation channel):
    ``rule`` id, ``evidence`` (the figure or the clause), ``blocking`` (the thread waits for a
    decision), ``answer_first`` (the deciders decide on the answer, given first)."""

    kind: Literal["escalated"] = "escalated"
    rule: str
    evidence: str
    blocking: bool = False
    answer_first: bool = False


class Possible(Said):
    """A situation read under its rule's confidence: escalate it or not (graph.nodes.escalation.confirm)."""

    kind: Literal["possible"] = "possible"
    rule: str
    evidence: str


class Doubt(BaseModel):
    """One figure read without a word naming it (graph.understanding.doubts): where it was read
    (``start``/``end`` in the request's text, ``evidence`` as written, ``value``), the ``input`` it
    fed, the measure it was taken as (``type``, a slot type), the other measures it could be
    (``options``: slot types, the current one first and the role model's choice next, ``none``
    last), their names in the thread's language (``labels``) and the role model's measure and
    probability (0-1)."""

    start: int
    end: int
    evidence: str
    value: float
    input: str
    type: str
    options: list[str]
    labels: dict[str, str]
    role: str = ""
    role_probability: float = 0.0


class FigureCheck(Said):
    """Figures read without a word naming them, asked about after the deliverable
    (graph.nodes.specialists.check_reading)."""

    kind: Literal["reading"] = "reading"
    agent: str
    doubts: list[Doubt]


class Decision(Said):
    """A decider's decision on a blocking rule, ``by`` a Slack user id, with its ``reason``."""

    kind: Literal["decision"] = "decision"
    rule: str
    decision: Literal["approved", "rejected", "changes_requested"]
    by: str = ""
    reason: str = ""


class DecisionPending(Said):
    """The thread still waits for a decision on ``rules``."""

    kind: Literal["decision_pending"] = "decision_pending"
    rules: list[str]


class Revision(Said):
    """Changes were requested ``by`` a reviewer: the requester is asked what changes."""

    kind: Literal["revision"] = "revision"
    agent: str | None = None
    by: str = ""
    reason: str = ""


class Assigned(Said):
    """Someone (``by``, a Slack user id) took an escalation on (``action``: what the rule asks)."""

    kind: Literal["assigned"] = "assigned"
    by: str
    action: str


class Unparsed(Said):
    """An answer gave no usable value (``answer``, its first 200 characters)."""

    kind: Literal["unparsed"] = "unparsed"
    answer: str


class FileError(Said):
    """A shared file cannot be used: why (``error``, in the thread's language)."""

    kind: Literal["data_error"] = "data_error"
    error: str


class Error(Said):
    """A calculator refused the inputs: why."""

    kind: Literal["error"] = "error"
    error: str


class Truncated(Said):
    """A message was cut: its ``length`` and the characters ``kept``."""

    kind: Literal["truncated"] = "truncated"
    length: int
    kept: int


class Help(Said):
    """What the bot does (an empty mention)."""

    kind: Literal["help"] = "help"


class Note(Said):
    """A short text of the bot's own (Markdown)."""

    kind: Literal["note"] = "note"
    text: str


class ExperimentDue(Said):
    """A running test reached its planned end (``experiment``: its experiment log row)."""

    kind: Literal["experiment_due"] = "experiment_due"
    experiment: dict[str, Any]


class ExperimentDecided(Said):
    """The team decided a test's outcome (``by`` a Slack user id, ``note`` as typed)."""

    kind: Literal["experiment_decided"] = "experiment_decided"
    experiment: dict[str, Any]
    by: str
    note: str = ""


class Fallback(Said):
    """The Claude brain failed this turn (``reason``: overloaded, timeout, ungrounded, malformed,
    unavailable); the offline brain answers."""

    kind: Literal["fallback"] = "fallback"
    reason: str


Message = Annotated[
    Question
    | Choice
    | Deliverable
    | Handoff
    | Escalated
    | Possible
    | FigureCheck
    | Decision
    | DecisionPending
    | Revision
    | Assigned
    | Unparsed
    | FileError
    | Error
    | Truncated
    | Help
    | Note
    | ExperimentDue
    | ExperimentDecided
    | Fallback,
    Field(discriminator="kind"),
]
"""Any message of a thread, by its ``kind``."""

_ADAPTER: TypeAdapter[Message] = TypeAdapter(Message)


def parse(item: dict | BaseModel) -> Message:
    """The typed message of ``item`` (a model, or its JSON form from the state or the outbox).

    Raises pydantic.ValidationError for an unknown kind or a field missing."""
    return item if isinstance(item, BaseModel) else _ADAPTER.validate_python(item)  # type: ignore[return-value]


def dump(message: BaseModel) -> dict[str, Any]:
    """The JSON form of a message, as the graph's state and the outbox keep it."""
    return message.model_dump(mode="json")
