"""Typed state of one conversation thread (one LangGraph thread per Slack thread)."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

NEW_TURN = {"new_turn": True}  # written to ``outbox`` when a turn starts: it empties the list


def turn_outbox(left: list | None, right: list | dict) -> list:
    """The outbox reducer: nodes' items are appended; ``NEW_TURN`` starts an empty list."""
    return [] if right == NEW_TURN else (left or []) + list(right)


class State(TypedDict, total=False):
    """What the graph knows about a thread.

    message: the latest user message, as received (the graph's input);
    forced: a specialist id chosen by the caller (a modal, a button), used once instead of routing;
    scope: orchestrator or specialist ids that bound routing in this thread (slash commands);
    brief: inputs every new request of the thread starts from (a campaign brief, A/B results);
    files: tables shared in the thread, as {"name", "text"} CSV text (graph/data.py);
    shared: names of the files shared with the latest message;
    text: the request the current specialist works from (the message, plus the answers to its
    questions, plus the earlier request when the user redirected or followed up);
    lang: 'fr' or 'en', detected per message; agent: the specialist id; path: orchestrators walked
    and the agent; handoff: out-of-scope team id;
    inputs: the specialist's inputs gathered so far; facts: computed values the escalation rules read;
    escalated: ids of rules already raised in this thread; awaiting: blocking rule ids still waiting
    for a decision; review: the reviewer's {"by", "reason"} when changes were requested;
    then: the node escalation goes on to;
    offline_turn: the Claude brain failed earlier in this turn, the offline brain answers the rest;
    outbox: this turn's messages for the thread, appended by nodes and emptied when a turn starts
    (``NEW_TURN``), so a checkpoint never carries the thread's history; the caller writes them to
    the database outbox (bot/outbox.py);
    operations: follow-up operations applied to the current request (graph.understanding.followups:
    a scale, a removed channel), replayed on its slots each time it is read; emptied by a new request;
    situated: what the situation model reads this turn when it is not ``text``: a follow-up's own
    message (its request was read when it came);
    explain: the current turn answers "why / how" about the last deliverable, not with a new one;
    summary: the current turn asks the last deliverable shorter ("plus court, juste les chiffres
    clés"): its overview and first section only;
    possible: a situation read under its rule's confidence that the thread asks about ({"rule",
    "evidence"}: graph.nodes.escalation.confirm); declined: rule ids the user said not to escalate;
    doubts: figures of the last deliverable read without a word naming them and not confirmed by
    the role model (graph.understanding.doubts.Doubt, dumped), asked about by ``check_reading``;
    turn_key: the Slack message or action this turn answers: a turn found checkpointed under the
    same key after a crash is delivered, not run again.
    """

    message: str
    forced: str | None
    scope: list[str] | None
    brief: dict[str, Any]
    files: list[dict[str, str]]
    shared: list[str]
    text: str
    lang: str
    agent: str | None
    path: list[str]
    handoff: str | None
    inputs: dict[str, Any]
    facts: dict[str, Any]
    escalated: list[str]
    awaiting: list[str]
    review: dict[str, str]
    then: str
    offline_turn: bool
    operations: list[dict[str, Any]]
    explain: bool
    summary: bool
    situated: str | None
    possible: dict[str, str] | None
    declined: list[str]
    doubts: list[dict[str, Any]]
    turn_key: str
    outbox: Annotated[list[dict[str, Any]], turn_outbox]


def routed_agent(state: State) -> str:
    """The thread's specialist, for the nodes that run once the request is routed (a question, a
    reading check, a specialist). Raises ValueError when the state has none: a node reached
    before routing."""
    agent = state.get("agent")
    if not agent:
        raise ValueError("no specialist chosen yet: this node runs after routing")
    return agent
