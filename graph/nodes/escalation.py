"""Escalation nodes: apply the seeds' escalation rules, notify, and wait where a rule is blocking.

A blocking rule's decision comes back only as ``Command(resume={"decision", "by", "reason",
"rule"})``, sent by the bot once it has checked that the decider holds the rule's role
(bot/escalations.py): the text of a message never decides.
"""

from __future__ import annotations

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.brains import merged, think
from graph.configuration import Context
from graph.escalation import DECISIONS, evaluate
from graph.state import State


def escalate(state: State, runtime: Runtime[Context]) -> Command:
    """Raise every rule that fires and was not raised yet in this thread, then go on to ``then``,
    or to ``await_decision`` when a newly raised rule is blocking. Notices are idempotent per rule."""
    ctx = runtime.context or Context()
    lang = state["lang"]
    done = list(state.get("escalated") or [])
    settled = state.get("then", END) == END  # a specialist answered: the figures it computed are in facts
    reading, extra = think(ctx, state, "read", state["text"], state.get("situated"))
    fired = [(r, e) for r, e in evaluate(ctx.hierarchy.escalations, reading, state["text"], state.get("facts") or {}, settled)
             if r.id not in done]
    outbox = []
    for rule, evidence in fired:
        ctx.notifier.notify(rule, evidence, lang)
        outbox.append({"kind": "escalated", "lang": lang, "rule": rule.id, "evidence": evidence, "blocking": rule.blocking})
    blocking = [r.id for r, _ in fired if r.blocking]
    update = {"escalated": done + [r.id for r, _ in fired], "outbox": outbox, "awaiting": blocking}
    stops = [r for r, _ in fired if r.stops and r.now] if not settled else []
    if stops and not blocking:  # the notice and what to do now are the answer, not a deliverable
        update["outbox"] = outbox + [{"kind": "note", "lang": lang, "text": r.now(lang)} for r in stops]
        return Command(goto=END, update=merged({**update, "then": END}, extra))
    return Command(goto="await_decision" if blocking else state.get("then", END), update=merged(update, extra))


def await_decision(state: State, runtime: Runtime[Context]) -> Command:
    """Wait until every blocking rule in ``awaiting`` is decided.

    The resume value must be {"decision": approved | rejected | changes_requested, "by": user id,
    "reason": text, "rule": a rule id in ``awaiting``}; anything else (a typed message) decides
    nothing and the thread keeps waiting. Approved: the next rule is awaited, or the graph goes on
    to ``then``. Rejected: the thread stops with the reason. Changes requested: ``revise`` asks the
    requester for the change with the reviewer's note."""
    lang, awaiting = state["lang"], list(state.get("awaiting") or [])
    answer = interrupt({"kind": "decision_pending", "lang": lang, "rules": awaiting})
    decision = answer if isinstance(answer, dict) else {}
    if decision.get("decision") not in DECISIONS or decision.get("rule") not in awaiting:
        return Command(goto="await_decision")
    note = {"kind": "decision", "lang": lang, "rule": decision["rule"], "decision": decision["decision"],
            "by": str(decision.get("by") or ""), "reason": str(decision.get("reason") or "")}
    left = [r for r in awaiting if r != decision["rule"]]
    if decision["decision"] == "approved":
        return Command(goto="await_decision" if left else state.get("then", END), update={"outbox": [note], "awaiting": left})
    if decision["decision"] == "rejected":
        return Command(goto=END, update={"outbox": [note], "awaiting": []})
    escalated = [r for r in state.get("escalated") or [] if r not in awaiting]  # raised again on the revised request
    return Command(goto="revise", update={"outbox": [note], "awaiting": [], "escalated": escalated,
                                          "review": {"by": note["by"], "reason": note["reason"]}})


def revise(state: State, runtime: Runtime[Context]) -> Command:
    """Changes requested: ask the requester what changes, with the reviewer's note, and wait.

    The answer is added to the request and the specialist starts over from its orchestrator (the
    escalation rules are checked again on the revised request); without a specialist (a hand-off)
    the answer is routed as a new message."""
    ctx = runtime.context or Context()
    agent, review = state.get("agent"), state.get("review") or {}
    answer = str(interrupt({"kind": "revision", "lang": state["lang"], "agent": agent, "by": review.get("by", ""),
                            "reason": review.get("reason", "")}))
    if not agent:
        return Command(goto="triage", update={"message": answer})
    root = ctx.hierarchy.path_to(agent)[0]
    return Command(goto="escalate", update={"text": f"{state['text']}\n{answer}", "message": answer, "path": [root],
                                            "then": root, "facts": {}})
