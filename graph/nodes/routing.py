"""Routing nodes: ``triage`` (entry: language, hand-off, ambiguity, re-routing) and one node per orchestrator."""

from __future__ import annotations

import re

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.brains import merged, think
from graph.configuration import Context
from graph.extract import extract_inputs
from graph.router import OUT_OF_SCOPE, RouteDecision
from graph.state import State
from graph.text import detect_language, fold

MAX_TEXT = 4000  # characters routed and parsed; longer messages are cut (the thread is told)
# Messages saying the bot picked the wrong specialist: explicit ("wrong agent") or soft cues
# ("non, c'est plutôt une question de budget") that only count when the message names another topic.
_WRONG = re.compile(r"\b(wrong (agent|specialist|one|person|bot)|mauvais (agent|specialiste|interlocuteur)|pas le bon|"
                    r"not the right|not what i (meant|asked)|c'?est pas ca|ce n'est pas (ca|ce que))\b")
_SOFT = re.compile(r"^\s*(non|no|nope|en fait|actually)\b|\b(plutot|rather|question de|c'est pour|this is about|"
                   r"it'?s about|it is about|i meant|je voulais dire|je parlais de)\b")
REDIRECT_CONFIDENCE = 0.5  # in answer to a question, a soft cue redirects only to a confident route


def redirect_target(message: str, current: str, request: str, ctx: Context, strict: bool = False) -> RouteDecision | None:
    """Where a redirect goes: the specialist ``message`` names, else (explicit cue only) the original
    request's best specialist other than ``current``. None when ``message`` is not a redirect.

    ``strict`` (an answer to a question, where "plutôt 3 %" is an answer): a soft cue needs a route
    of at least REDIRECT_CONFIDENCE to another specialist."""
    folded = fold(message)
    wrong, soft = bool(_WRONG.search(folded)), bool(_SOFT.search(folded))
    if not (wrong or soft):
        return None
    decision = ctx.router.route(message)
    if decision.agent and decision.agent != current and (wrong or not strict or decision.confidence >= REDIRECT_CONFIDENCE):
        return decision
    if not wrong:
        return None
    previous = [c for c in ctx.router.score(request) if not c.handoff and c.id != current]
    return RouteDecision(previous[0].id, ctx.hierarchy.path_to(previous[0].id), previous[0].score) if previous else None


def triage(state: State, runtime: Runtime[Context]) -> Command:
    """Route the latest message: a hand-off, a choice between two close specialists, or the tree.

    In a thread: a redirect ("wrong agent, this is about attribution") moves to the other
    specialist keeping the inputs and the request already given; a follow-up for the current
    specialist (or one that matches nothing but gives it new values) keeps its inputs, the new
    values overriding the old; any other message is a new request."""
    ctx = runtime.context or Context()
    message = state["message"][:MAX_TEXT]
    lang = detect_language(message, state.get("lang") or "fr")
    current, request, inputs = state.get("agent"), state.get("text") or "", state.get("inputs") or {}
    base = {"lang": lang, "handoff": None, "facts": {}}
    follow_up = {"inputs": inputs, "text": f"{request}\n{message}"}
    forced, scope, brief = state.get("forced"), state.get("scope"), dict(state.get("brief") or {})
    if forced:  # a modal or a button chose the specialist, with its inputs
        root = ctx.hierarchy.path_to(forced)[0]
        return Command(goto="escalate", update={**base, "text": message, "inputs": brief, "forced": None,
                                                "agent": forced, "path": [root], "then": root})
    redirect = redirect_target(message, current, request, ctx) if current else None
    decision, extra = (redirect, {}) if redirect else think(ctx, {**state, "lang": lang}, "route", message, scope, lang)
    if decision.agent is None and current and decision.handoff == OUT_OF_SCOPE:
        given = extract_inputs(message, ctx.hierarchy.nodes[current].inputs)
        only_files = set(message.split()) <= {f["name"] for f in state.get("files") or []}
        if given or only_files:
            decision, follow_up["inputs"] = RouteDecision(current, [], 1.0), {**inputs, **given}
    if decision.agent is None:
        return Command(goto="handoff", update=merged({**base, "text": message, "inputs": {}, "agent": None, "path": [],
                                                     "handoff": decision.handoff, "then": END}, extra))
    agent = decision.agent
    if decision.ambiguous:
        agent = current if current in decision.ambiguous and not redirect else _choose(decision.ambiguous, lang, ctx)
    if agent == current and not redirect:
        follow_up["inputs"] = {**follow_up["inputs"], **extract_inputs(message, ctx.hierarchy.nodes[agent].inputs)}
    kept = follow_up if redirect or agent == current else {"inputs": brief, "text": message}
    root = ctx.hierarchy.path_to(agent)[0]
    return Command(goto="escalate", update=merged({**base, **kept, "agent": agent, "path": [root], "then": root}, extra))


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
    """A node for orchestrator ``node_id``: goes to its child on the way to the chosen specialist."""

    def orchestrator(state: State, runtime: Runtime[Context]) -> Command:
        ctx = runtime.context or Context()
        child = ctx.router.choose_child(node_id, state["agent"])
        return Command(goto=child, update={"path": state["path"] + [child]})

    orchestrator.__name__ = node_id.replace("-", "_")
    orchestrator.__doc__ = f"Orchestrator {node_id}: routes to the child on the way to the chosen specialist."
    return orchestrator


def handoff(state: State, runtime: Runtime[Context]) -> Command:
    """Out-of-scope request: say which team handles it (seed "Tu NE fais PAS" lists)."""
    return Command(goto="escalate", update={"outbox": [{"kind": "handoff", "lang": state["lang"], "team": state["handoff"]}]})
