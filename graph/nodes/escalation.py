"""Escalation nodes: apply the seeds' escalation rules, notify, and wait where a rule is blocking."""

from __future__ import annotations

import re

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.configuration import Context
from graph.escalation import evaluate
from graph.state import State
from graph.text import fold

_APPROVE = re.compile(r"\b(approuve|approuvee|valide|validee|ok|go|accepte|approved?|accepted?|yes|oui)\b")
_REJECT = re.compile(r"\b(refuse|refusee|rejete|rejetee|non|no|rejected?|declined?|stop)\b")


def escalate(state: State, runtime: Runtime[Context]) -> Command:
    """Raise every rule that fires and was not raised yet in this thread, then go on to ``then``,
    or to ``await_decision`` when a newly raised rule is blocking. Notices are idempotent per rule."""
    ctx = runtime.context or Context()
    lang = state["lang"]
    done = list(state.get("escalated") or [])
    fired = [(r, e) for r, e in evaluate(ctx.hierarchy.escalations, state["text"], state.get("facts") or {}) if r.id not in done]
    outbox = []
    for rule, evidence in fired:
        ctx.notifier.notify(rule, evidence, lang)
        outbox.append({"kind": "escalated", "lang": lang, "rule": rule.id, "evidence": evidence, "blocking": rule.blocking})
    update = {"escalated": done + [r.id for r, _ in fired], "outbox": outbox}
    blocking = [r.id for r, _ in fired if r.blocking]
    return Command(goto="await_decision" if blocking else state.get("then", "__end__"), update=update)


def await_decision(state: State, runtime: Runtime[Context]) -> Command:
    """Wait for the human decision a blocking rule asks for; a reply approving or rejecting resumes.

    Rejected: the thread stops here. Approved: the graph goes on to ``then``."""
    lang = state["lang"]
    answer = fold(str(interrupt({"kind": "decision_pending", "lang": lang, "rules": state.get("escalated", [])})))
    rejected = bool(_REJECT.search(answer)) and not _APPROVE.search(answer)
    if not rejected and not _APPROVE.search(answer):
        return Command(goto="await_decision")  # not a decision: the pending notice is posted again
    note = {"kind": "decision", "lang": lang, "approved": not rejected}
    return Command(goto="__end__" if rejected else state.get("then", "__end__"), update={"outbox": [note]})
