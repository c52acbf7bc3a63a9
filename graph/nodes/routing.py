"""Routing nodes: ``triage`` (entry: language, hand-off, ambiguity) and one node per orchestrator."""

from __future__ import annotations

import re

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.configuration import Context
from graph.router import OUT_OF_SCOPE, Candidate
from graph.state import State
from graph.text import detect_language, fold

MAX_TEXT = 4000  # characters routed and parsed; longer messages are cut (the thread is told)


def triage(state: State, runtime: Runtime[Context]) -> Command:
    """Route the latest message: a hand-off, a choice between two close specialists, or the tree.

    A follow-up in a thread that matches no specialist stays with the thread's current one."""
    ctx = runtime.context or Context()
    text = state["text"][:MAX_TEXT]
    lang = detect_language(text, state.get("lang") or "fr")
    decision = ctx.router.route(text)
    current = state.get("agent")
    base = {"lang": lang, "handoff": None, "inputs": state.get("inputs") or {}, "facts": {}}
    if decision.agent is None and current and decision.handoff == OUT_OF_SCOPE:
        root = ctx.hierarchy.path_to(current)[0]
        return Command(goto="escalate", update={**base, "scores": {current: 1.0}, "then": root, "path": [root]})
    if decision.agent is None:
        return Command(goto="handoff", update={**base, "agent": None, "path": [], "handoff": decision.handoff, "then": END})
    agent = decision.agent
    if decision.ambiguous and current not in decision.ambiguous:
        agent = _choose(decision.ambiguous, lang, ctx)
    elif decision.ambiguous:
        agent = current
    if agent != current:
        base["inputs"] = {}
    root = ctx.hierarchy.path_to(agent)[0]
    return Command(goto="escalate", update={**base, "agent": agent, "scores": {agent: 1.0} if agent != decision.agent else
                                            {c.id: c.score for c in decision.candidates if not c.handoff},
                                            "path": [root], "then": root})


def _choose(options: list[str], lang: str, ctx: Context) -> str:
    """Ask the user to pick one of two specialists; accepts '1', '2', an id, or words of a description."""
    answer = interrupt({"kind": "choice", "lang": lang, "options": [
        {"id": o, "description": ctx.hierarchy.nodes[o].description(lang)} for o in options]})
    folded = fold(str(answer)).strip()
    if m := re.search(r"\b([12])\b", folded):
        return options[int(m.group(1)) - 1]
    for option in options:
        if option in folded:
            return option
    best = ctx.router.route(str(answer))
    return best.agent if best.agent in options else options[0]


def make_orchestrator(node_id: str):
    """A node for orchestrator ``node_id``: goes to the child whose subtree scores best."""

    def orchestrator(state: State, runtime: Runtime[Context]) -> Command:
        ctx = runtime.context or Context()
        scores = state.get("scores") or {}
        child = ctx.router.choose_child(node_id, [Candidate(k, v) for k, v in scores.items()])
        return Command(goto=child, update={"path": state["path"] + [child]})

    orchestrator.__name__ = node_id.replace("-", "_")
    orchestrator.__doc__ = f"Orchestrator {node_id}: routes to the child holding the best-scored specialist."
    return orchestrator


def handoff(state: State, runtime: Runtime[Context]) -> Command:
    """Out-of-scope request: say which team handles it (seed "Tu NE fais PAS" lists)."""
    return Command(goto="escalate", update={"outbox": [{"kind": "handoff", "lang": state["lang"], "team": state["handoff"]}]})
