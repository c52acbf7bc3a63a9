"""Escalation nodes: apply the seeds' escalation rules, notify, and wait where a rule is blocking.

A blocking rule's decision comes back only as ``Command(resume={"decision", "by", "reason",
"rule"})``, sent by the bot once it has checked that the decider holds the rule's role
(bot/escalations.py): the text of a message never decides.
"""

from __future__ import annotations

import re

from langgraph.config import get_config
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.brains import merged, think
from graph.configuration import Context
from graph.escalation import DECISIONS, LEAD_SITUATIONS, evaluate, possible
from graph.hierarchy import OUT_OF_SCOPE, EscalationRule
from graph.i18n import t
from graph.messages import (
    Decision,
    DecisionPending,
    Escalated,
    Handoff,
    Note,
    Possible,
    Revision,
    dump,
)
from graph.state import State
from graph.text import fold
from graph.understanding.reading import Reading
from graph.understanding.structures import yes_or_no


def in_language(evidence: str, lang: str) -> str:
    """``evidence`` with the decimals the rules computed written as ``lang`` writes them ("12.1 %"
    is "12,1 %" in French); a quote of the user's message (« … ») stays as written."""
    if lang != "fr":
        return evidence
    parts = re.split(r"(«[^»]*»)", evidence)
    return "".join(p if p.startswith("«") else re.sub(r"(?<=\d)\.(?=\d)", ",", p) for p in parts)


def _raise(ctx: Context, fired: list, lang: str, done: list[str]) -> dict:
    """Notify every (rule, evidence) of ``fired`` and tell the thread: the state update
    (``escalated``, ``outbox``, ``awaiting`` the blocking ones)."""
    outbox = []
    for rule, shown in fired:
        evidence = in_language(shown, lang)
        ctx.notifier.notify(rule, evidence, lang)
        said = Escalated(
            lang=lang,
            rule=rule.id,
            evidence=evidence,
            blocking=rule.blocking,
            answer_first=rule.answer_first,
        )
        outbox.append(dump(said))
    return {
        "escalated": done + [r.id for r, _ in fired],
        "outbox": outbox,
        "awaiting": [r.id for r, _ in fired if r.blocking],
    }


def escalate(state: State, runtime: Runtime[Context]) -> Command:
    """Raise every rule that fires and was not raised yet in this thread, then go on to ``then``,
    or to ``await_decision`` when a newly raised rule is blocking. Notices are idempotent per rule.
    Once a specialist has answered a new request, a situation read just under its rule's
    confidence goes to ``confirm`` (graph.escalation.possible), else figures it read without a word naming them go to
    ``check_reading`` (graph.nodes.specialists)."""
    ctx = runtime.context or Context()
    lang, facts = state["lang"], state.get("facts") or {}
    done = list(state.get("escalated") or [])
    settled = (
        state.get("then", END) == END
    )  # a specialist answered: the figures it computed are in facts
    reading, extra = think(ctx, state, "read", state["text"], state.get("situated"))
    fired = [
        (r, e)
        for r, e in evaluate(ctx.hierarchy.escalations, reading, state["text"], facts, settled)
        if r.id not in done
    ]
    imagined = [(r, e) for r, e in fired if _imagined(r, state.get("situated"))]
    fired = [f for f in fired if f not in imagined]
    update = _raise(ctx, fired, lang, done)
    if imagined and settled:  # "what if she also requested a demo?": said once, nothing sent
        said = "; ".join(
            f"{r.situation(lang)} ({in_language(e, lang)}) → {r.action(lang)}" for r, e in imagined
        )
        update["outbox"].append(
            dump(Note(lang=lang, text=t(lang, "escalations.hypothetical", rules=said)))
        )
    update["awaiting"] = (
        list(state.get("awaiting") or []) + update["awaiting"]
    )  # answer-first rules raised before the answer
    unanswered = state.get("handoff") == OUT_OF_SCOPE  # no specialist covers the request
    stops = [r for r, _ in fired if (unanswered and r.now) or (not settled and _stops(r, reading))]
    if (
        stops and not update["awaiting"]
    ):  # the notice and what to do now are the answer, not a deliverable
        update["outbox"] += [dump(Note(lang=lang, text=r.now(lang))) for r in stops if r.now]
        return Command(goto=END, update=merged({**update, "then": END}, extra))
    if unanswered and not fired:
        update["outbox"] += [dump(Handoff(lang=lang, team=OUT_OF_SCOPE))]
    skip = set(update["escalated"]) | set(state.get("declined") or [])
    # a follow-up to a deliverable (``situated`` set: "oops B had 486 not 468") mostly adjusts
    # figures: only a situation read surely is raised there, none is offered as possible
    maybe = (
        possible(ctx.hierarchy.escalations, reading, state["text"], facts, skip)
        if settled and not update["awaiting"] and state.get("situated") is None
        else None
    )
    if maybe:
        return Command(
            goto="confirm",
            update=merged(
                {**update, "possible": {"rule": maybe[0].id, "evidence": maybe[1]}}, extra
            ),
        )
    rules = {r.id: r for r in ctx.hierarchy.escalations}
    wait = [
        a for a in update["awaiting"] if settled or not rules[a].answer_first
    ]  # the deciders decide on the answer
    then = "check_reading" if settled and state.get("doubts") else state.get("then", END)
    return Command(goto="await_decision" if wait else then, update=merged(update, extra))


def confirm(state: State, runtime: Runtime[Context]) -> Command:
    """A possible situation (``possible``: its rule id and evidence) is named after the answer, and
    the thread waits: a yes (the "Escalate" button, or "oui" / "yes, escalate" typed) raises its
    rule (and waits for the decision when it is blocking), a no records it as declined; either is
    kept as a labelled example for the next training run (``Context.examples``). Any other
    message is a new message of the thread (back to ``triage``)."""
    ctx = runtime.context or Context()
    lang, chosen = state["lang"], state["possible"]
    assert chosen is not None  # routed here only with a possible situation
    answer = interrupt(dump(Possible(lang=lang, rule=chosen["rule"], evidence=chosen["evidence"])))
    said = answer.get("escalate") if isinstance(answer, dict) else yes_or_no(str(answer))
    if said is None:
        return Command(goto="triage", update={"message": str(answer), "possible": None})
    if ctx.examples is not None:
        ctx.examples.add(
            get_config()["configurable"]["thread_id"], state["text"], chosen["rule"], said
        )
    if not said:
        return Command(
            goto=END,
            update={
                "possible": None,
                "declined": [*(state.get("declined") or []), chosen["rule"]],
                "outbox": [dump(Note(lang=lang, text=t(lang, "render.possible_declined")))],
            },
        )
    rule = next(r for r in ctx.hierarchy.escalations if r.id == chosen["rule"])
    update = {
        **_raise(ctx, [(rule, chosen["evidence"])], lang, list(state.get("escalated") or [])),
        "possible": None,
        "then": END,
    }
    return Command(goto="await_decision" if rule.blocking else END, update=update)


def await_decision(state: State, runtime: Runtime[Context]) -> Command:
    """Wait until every blocking rule in ``awaiting`` is decided.

    The resume value must be {"decision": approved | rejected | changes_requested, "by": user id,
    "reason": text, "rule": a rule id in ``awaiting``}; anything else (a typed message) decides
    nothing and the thread keeps waiting, except {"correction": text}, a figure the requester
    corrects (:func:`_corrected`), and {"aside": text}, a what-if or a question on the
    deliverable (graph.understanding.followups.is_aside), answered from ``triage`` while the
    decision stays awaited (the escalation node comes back here). Approved: the next rule is awaited, or the graph goes on
    to ``then``. Rejected: the thread stops with the reason. Changes requested: ``revise`` asks the
    requester for the change with the reviewer's note."""
    lang, awaiting = state["lang"], list(state.get("awaiting") or [])
    answer = interrupt(dump(DecisionPending(lang=lang, rules=awaiting)))
    decision = answer if isinstance(answer, dict) else {}
    if isinstance(decision.get("correction"), str):  # "non en fait B c'est 189 ventes"
        return _corrected(state, runtime, decision["correction"])
    if isinstance(decision.get("aside"), str):
        return Command(goto="triage", update={"message": decision["aside"]})
    if decision.get("decision") not in DECISIONS or decision.get("rule") not in awaiting:
        return Command(goto="await_decision")
    note = dump(
        Decision(
            lang=lang,
            rule=decision["rule"],
            decision=decision["decision"],
            by=str(decision.get("by") or ""),
            reason=str(decision.get("reason") or ""),
        )
    )
    left = [r for r in awaiting if r != decision["rule"]]
    if decision["decision"] == "approved":
        return Command(
            goto="await_decision" if left else state.get("then", END),
            update={"outbox": [note], "awaiting": left},
        )
    if decision["decision"] == "rejected":
        return Command(goto=END, update={"outbox": [note], "awaiting": []})
    escalated = [
        r for r in state.get("escalated") or [] if r not in awaiting
    ]  # raised again on the revised request
    return Command(
        goto="revise",
        update={
            "outbox": [note],
            "awaiting": [],
            "escalated": escalated,
            "review": {"by": note["by"], "reason": note["reason"]},
        },
    )


def _corrected(state: State, runtime: Runtime[Context], correction: str) -> Command:
    """The requester corrects a figure while a decision is awaited: the decision was asked on
    figures that no longer hold, so nothing is awaited any more and the request starts over with
    the correction (:func:`_start_over`); the rules that were awaited are raised again when they
    still fire."""
    awaiting = list(state.get("awaiting") or [])
    update = {
        "awaiting": [],
        "escalated": [r for r in state.get("escalated") or [] if r not in awaiting],
    }
    return _start_over(state, runtime, correction, update)


def revise(state: State, runtime: Runtime[Context]) -> Command:
    """Changes requested: ask the requester what changes, with the reviewer's note, and wait;
    the request starts over with the answer (:func:`_start_over`)."""
    agent, review = state.get("agent"), state.get("review") or {}
    answer = str(
        interrupt(
            dump(
                Revision(
                    lang=state["lang"],
                    agent=agent,
                    by=review.get("by", ""),
                    reason=review.get("reason", ""),
                )
            )
        )
    )
    return _start_over(state, runtime, answer, {})


def _start_over(state: State, runtime: Runtime[Context], added: str, update: dict) -> Command:
    """``added`` (a correction, a requested change) joins the request and the specialist starts
    over from its orchestrator, the escalation rules checked again on the new request; without a
    specialist (a hand-off) ``added`` is routed as a new message. ``update``: more state to set."""
    ctx = runtime.context or Context()
    agent = state.get("agent")
    if not agent:
        return Command(goto="triage", update={**update, "message": added})
    root = ctx.hierarchy.path_to(agent)[0]
    return Command(
        goto="escalate",
        update={
            **update,
            "text": f"{state['text']}\n{added}",
            "message": added,
            "path": [root],
            "then": root,
            "facts": {},
        },
    )


# a follow-up that imagines: "what if she also requested a demo?", "et si elle demandait une démo ?"
_WHAT_IF = re.compile(
    r"^\W*(?:(?:and|et|mais|but|ok|so)\W+)?(?:what if|what about if|suppose|imagine|say|"
    r"et si|si jamais|imaginons|supposons|admettons|mettons)(?![a-z])"
)


def _imagined(rule: EscalationRule, situated: str | None) -> bool:
    """Whether ``rule`` is a lead's rule (hot lead, demo or pricing asked, large account) read on
    a follow-up that imagines the lead's action ("what if she also requested a demo?"): the lead
    has done nothing yet, so nobody is alerted; the answer says what would be raised."""
    return (
        rule.id in LEAD_SITUATIONS
        and situated is not None
        and bool(_WHAT_IF.search(fold(situated)))
    )


def _stops(rule: EscalationRule, reading: Reading) -> bool:
    """Whether ``rule``, fired, stops the turn with what to do now (``stops``, ``now``): at once,
    or only when its situation is read with ``stops_from`` or more (graph.hierarchy)."""
    if not (rule.stops and rule.now):
        return False
    situation = reading.situations.get(rule.id)
    return rule.stops_from is None or (
        situation is not None and situation.probability >= rule.stops_from
    )
