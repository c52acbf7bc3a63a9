"""Routing nodes: ``triage`` (entry: language, hand-off, ambiguity, re-routing) and one node per orchestrator."""

from __future__ import annotations

import re
from typing import Any

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.brains import evidence, merged, think
from graph.calculators.lead_scoring import load_model, score_lead
from graph.configuration import Context
from graph.data import kind_of
from graph.escalation import evaluate
from graph.hierarchy import OUT_OF_SCOPE
from graph.i18n import t
from graph.messages import Choice, Handoff, Note, Option, dump
from graph.router import AMBIGUITY_RATIO, RouteDecision
from graph.state import State, routed_agent
from graph.text import detect_language, fold
from graph.understanding import bind, understand
from graph.understanding.binding import names_period
from graph.understanding.corrections import corrected
from graph.understanding.followups import (
    DESIGN,
    OPERATION_CONFIDENCE,
    Operation,
    asks_summary,
    bullets_asked,
    read_operation,
    sets_a_rate,
)
from graph.understanding.lexicon import cue_pattern, lexicon
from graph.understanding.reader import is_correction
from graph.understanding.reading import read_message

MAX_TEXT = 4000  # characters routed and parsed; longer messages are cut (the thread is told)
# Messages saying the bot picked the wrong specialist: explicit ("wrong agent") or soft cues
# ("non, c'est plutôt une question de budget") that only count when the message names another topic.
_WRONG = re.compile(
    r"\b(wrong (agent|specialist|one|person|bot)|mauvais (agent|specialiste|interlocuteur)|pas le bon|"
    r"not the right|not what i (meant|asked)|c'?est pas ca|ce n'est pas (ca|ce que))\b"
)
_SOFT = re.compile(
    r"^\s*(non|no|nope|en fait|actually)\b|\b(plutot|rather|question de|c'est pour|this is about|"
    r"it'?s about|it is about|i meant|je voulais dire|je parlais de)\b"
)
_FOLLOW = cue_pattern(lexicon().follow_up["same"])
_LANGUAGE = {
    lang: cue_pattern(phrases) for lang, phrases in lexicon().follow_up["language"].items()
}
REDIRECT_CONFIDENCE = 0.5  # in answer to a question, a soft cue redirects only to a confident route


def redirect_target(
    message: str, current: str, request: str, ctx: Context, strict: bool = False
) -> RouteDecision | None:
    """Where a redirect goes: the specialist ``message`` names, else (explicit cue only) the original
    request's best specialist other than ``current``. None when ``message`` is not a redirect.

    ``strict`` (an answer to a question, where "plutôt 3 %" is an answer): a soft cue needs a route
    of at least REDIRECT_CONFIDENCE to another specialist."""
    folded = fold(message)
    wrong, soft = bool(_WRONG.search(folded)), bool(_SOFT.search(folded))
    if not (wrong or soft):
        return None
    decision = ctx.router.route(message)
    if (
        decision.agent
        and decision.agent != current
        and (wrong or not strict or decision.confidence >= REDIRECT_CONFIDENCE)
    ):
        return decision
    if not wrong:
        return None
    previous = [c for c in ctx.router.score(request) if not c.handoff and c.id != current]
    return (
        RouteDecision(previous[0].id, ctx.hierarchy.path_to(previous[0].id), previous[0].score)
        if previous
        else None
    )


def triage(state: State, runtime: Runtime[Context]) -> Command:
    """Route the latest message: a hand-off, a choice between two close specialists, or the tree.

    In a thread: a redirect ("wrong agent, this is about attribution") moves to the other
    specialist keeping the inputs and the request already given; a follow-up keeps the current
    specialist, its inputs and its request, the new message overriding what it restates (see
    :func:`follows_up`); "in English?" renders the same deliverable again in that language; a
    file shared in the thread goes to the specialist it fits; any other message is a new request."""
    ctx = runtime.context or Context()
    message = state["message"][:MAX_TEXT]
    asked_lang = requested_language(message)
    # the runner detected the language once (Studio runs may not)
    lang = asked_lang or state.get("lang") or detect_language(message)
    base: dict[str, Any] = dict(lang=lang, handoff=None, facts={}, situated=None, doubts=[])
    early = _set_aside(state, ctx, base, message, asked_lang)
    if early is not None:
        return early
    current, request = state.get("agent"), state.get("text") or ""
    shared = shared_files(state)
    corrects = bool(current) and is_correction(message) and bool(understand(message).slots)
    redirect = redirect_target(message, current, request, ctx) if current else None
    if corrects and redirect and redirect.confidence < NEW_ROUTE_CONFIDENCE:
        redirect = (
            None  # "non, 4 %" corrects; "non, c'est une question de budget : 30 k€…" redirects
        )
    decision, extra = (
        (redirect, {})
        if redirect
        else think(ctx, {**state, "lang": lang}, "route", message, state.get("scope"), lang)
    )
    acts = current and not (redirect or shared or corrects)
    operation = follow_up_of(state, message, decision, ctx) if acts else None
    if operation is not None:
        return apply_operation(state, operation, base, ctx)
    if not redirect:
        decision = _kept_or_file(decision, message, current, corrects, shared, ctx)
    if decision.agent is None:
        update = {
            **base,
            "text": message,
            "inputs": {},
            "agent": None,
            "path": [],
            "handoff": decision.handoff,
            "then": END,
        }
        return Command(goto="handoff", update=merged(update, extra))
    agent, said = _pick(decision, decision.agent, message, lang, current, bool(redirect), ctx)
    if redirect or agent == current:
        # "oops, carts were 3,600 not 3,100": the request with the right figure, read as one
        rewritten = corrected(message, request) if corrects and agent == current else None
        kept = {"inputs": state.get("inputs") or {}, "text": rewritten or f"{request}\n{message}"}
        if agent == current and not redirect and state.get("then", END) == END:
            kept["situated"] = message  # after a deliverable: its request's situations were read
    else:
        text = f"{message}\n{said}" if said else message
        kept = {"inputs": dict(state.get("brief") or {}), "text": text, "operations": []}
        if request and _thread_gives(ctx, agent, message, request):
            # "ok cool, and the budget split by channel?" after a plan: the plan's budget and
            # channels, with only the new message's own situations read
            kept.update(text=f"{request}\n{text}", situated=message)
    root = ctx.hierarchy.path_to(agent)[0]
    update = {**base, **kept, "agent": agent, "path": [root], "then": root}
    return Command(goto="escalate", update=merged(update, extra))


def _thread_gives(ctx: Context, agent: str, message: str, request: str) -> bool:
    """Whether the thread's previous request gives ``agent`` required inputs the new ``message``
    lacks: a new deliverable built on the one before (a split after a plan)."""
    required = [
        s for s in ctx.hierarchy.nodes[agent].inputs if not s.optional and s.default is None
    ]
    alone = bind(required, understand(message), message)
    together = f"{request}\n{message}"
    return len(alone) < len(required) and len(bind(required, understand(together), together)) > len(
        alone
    )


def _set_aside(
    state: State, ctx: Context, base: dict, message: str, asked_lang: str | None
) -> Command | None:
    """The turns that are not routed: a modal or a button chose the specialist (with its inputs);
    "et en anglais ?" renders the same deliverable in that language. None otherwise."""
    current, forced = state.get("agent"), state.get("forced")
    if forced:
        root = ctx.hierarchy.path_to(forced)[0]
        update = {
            **base,
            "text": message,
            "inputs": dict(state.get("brief") or {}),
            "forced": None,
            "operations": [],
            "agent": forced,
            "path": [root],
            "then": root,
        }
        return Command(goto="escalate", update=update)
    if current and asked_lang:
        root = ctx.hierarchy.path_to(current)[0]
        update = {
            **base,
            "inputs": state.get("inputs") or {},
            "text": state.get("text") or "",
            "agent": current,
            "path": [root],
            "then": root,
        }
        return Command(goto=root, update=update)
    return None


def _kept_or_file(
    decision: RouteDecision,
    message: str,
    current: str | None,
    corrects: bool,
    shared: list,
    ctx: Context,
) -> RouteDecision:
    """The thread's specialist for a correction or a follow-up; else the specialist a shared file
    fits, unless the words route surely to another that reads files; else ``decision``."""
    fits = file_agent(shared, ctx) if shared else None
    if current and (corrects or follows_up(message, current, decision, ctx, fits)):
        return RouteDecision(current, [], 1.0)
    agent = decision.agent
    reads_files = (
        agent is not None
        and decision.confidence >= FILE_ROUTE_CONFIDENCE
        and any(s.from_file for s in ctx.hierarchy.nodes[agent].inputs)
    )
    if fits and not reads_files:
        return RouteDecision(fits, ctx.hierarchy.path_to(fits), 1.0)
    return decision


def _pick(
    decision: RouteDecision,
    routed: str,
    message: str,
    lang: str,
    current: str | None,
    redirected: bool,
    ctx: Context,
) -> tuple[str, str]:
    """(specialist, the answer to a choice when it also gives figures) between two close
    specialists: the one the message gives everything to answers; a message that raises an
    escalation is not held back by a choice; the thread's specialist stays; else the user picks.
    ``routed``: the decision's specialist (a decision without one is a hand-off, never picked)."""
    ambiguous = decision.ambiguous or []
    # the specialists as close as the runner-up ("promo … orders went from 1,100 to 1,650, AOV
    # from $82 to $71": tracking, planning, KPIs): one that can answer now is not left out
    best = decision.candidates[0].score if decision.candidates else 0.0
    close = [
        c.id
        for c in decision.candidates
        if not c.handoff and c.id not in ambiguous and c.score >= AMBIGUITY_RATIO * best
    ]
    ready = answerable(ambiguous, message, ctx) or answerable(
        close if ambiguous else [], message, ctx
    )
    if ambiguous and ready:
        return ready[0], ""
    if ambiguous and not evaluate(ctx.hierarchy.escalations, read_message(message), message, {}):
        return (
            (current, "")
            if current in ambiguous and not redirected
            else _choose(ambiguous, lang, ctx)
        )
    return routed, ""


NEW_ROUTE_CONFIDENCE = (
    0.8  # a message the router sends this surely to another specialist is a new request…
)
LONG_REQUEST = 15  # words: a message this long carries its own request, not a tweak of the last
SURE_OPERATION = (
    0.7  # …unless it reads this surely as an operation ("et TikTok à 1,9 ?" routes alone to KPIs)
)
# Operations that act on the request's slots (graph.understanding.followups.apply): the request's
# text stays as it was and no situation is read in them; the others add the follow-up's own words
# (new figures, an item, a period), read for situations on their own.
ON_SLOTS = ("scale", "remove_item", "explain", "format", "constraint")
REPLAYED = ("scale", "remove_item", "constraint")  # kept in ``operations`` for the next turns


def follow_up_of(
    state: State, message: str, decision: RouteDecision, ctx: Context
) -> Operation | None:
    """The operation a message applies to the thread's last deliverable (graph.understanding.followups),
    or None: no deliverable yet, a new request, an uncertain reading, a message the router sends
    surely to another specialist or team, or figures that fit another specialist better (a test's
    results after its plan go to the readout)."""
    current = state.get("agent")
    if state.get("then", END) != END or state.get("inputs") is None:
        return None  # a specialist without inputs (lead scoring) still answered: {} is an answer
    request = understand(state.get("text") or "")
    operation = read_operation(message, request)
    short = len(fold(message).split()) < LONG_REQUEST
    if current == "lead-scoring" and short and score_lead(message, load_model())[1]:
        # "and she's at a competitor actually": one more criterion of the lead just scored
        return operation.model_copy(update={"op": "new_figures", "probability": 1.0})
    if operation.op == "new_request" or operation.probability < OPERATION_CONFIDENCE:
        return None
    # a comparison with another period ("et compare avec Q2 : …") is about the same deliverable,
    # and so is a new value of a figure the request gives ("on a finalement 50k de budget")
    kept = (
        operation.op in ("acknowledge", "translate", "explain", "format")
        or (operation.op == "compare" and names_period(fold(message)))
        # ("and if crea 1 had 190 clicks?": that arm's figure)
        or (
            operation.op == "scale"
            and bool(operation.target and request.first(operation.target, arm=operation.arm))
        )
        # an item with its own amount added to the whole ("add a Meta budget of $3k")
        or (operation.op == "add_item" and operation.add is not None)
        # the request asked again in other words ("same but for our 20k SMS base")
        or operation.rewritten is not None
        # "and if MQL→SQL goes to 50%?": a what-if on one of the request's rates
        or (operation.op == "new_figures" and sets_a_rate(message, request))
    )
    if not kept and fits_better(decision.agent, current, message, ctx):
        return None
    if (
        operation.op == "new_figures"
        and operation.rewritten is None
        and not kept
        and _taken_elsewhere(decision.agent, current, message, ctx)
    ):
        return None
    # out of scope for want of any likely specialist ("oh and she just requested a demo") is not
    # a sure route elsewhere: only a specialist or a hand-off the router itself scores so high is
    sure = (
        decision.confidence
        if decision.agent or not decision.candidates
        else decision.candidates[0].score
    )
    elsewhere = decision.agent != current and (
        sure >= NEW_ROUTE_CONFIDENCE
        # a request of its own, worded at length, that the router sends elsewhere more likely
        # than not ("Coordination lancement : email J-3, SMS J0 … ?" after a price test)
        or (sure >= 0.5 and len(fold(message).split()) >= LONG_REQUEST)
    )
    # a scale naming one of the request's funnel steps, or an item added with its own amount,
    # is about that request, wherever it routes
    anchored = operation.item is not None and (operation.op == "scale" or kept)
    sure_op = operation.probability >= SURE_OPERATION or anchored
    return None if elsewhere and not sure_op else operation


def apply_operation(state: State, operation: Operation, base: dict, ctx: Context) -> Command:
    """Run the thread's specialist again with ``operation`` applied to its previous request: an
    acknowledgement gets a short reply and nothing runs; a translation renders the same
    deliverable in the other language; "explain" answers from the method and the figures used."""
    current, request, lang = routed_agent(state), state.get("text") or "", base["lang"]
    if operation.op == "acknowledge":
        return Command(
            goto=END,
            update={
                **base,
                "outbox": [dump(Note(lang=lang, text=t(lang, "followups.acknowledged")))],
            },
        )
    root = ctx.hierarchy.path_to(current)[0]
    if operation.op == "translate":
        lang = operation.lang or ("fr" if state.get("lang") == "en" else "en")
        return Command(
            goto=root,
            update={
                **base,
                "lang": lang,
                "text": request,
                "agent": current,
                "path": [root],
                "then": root,
            },
        )
    # a period moved by a delay ("décale d'une semaine") shifts the request's dates
    on_slots = (operation.op in ON_SLOTS or bool(operation.shift)) and operation.target != DESIGN
    # "same for google: …" asks the request again with its own figures; a swap rewrites it
    text = operation.rewritten or (request if on_slots else f"{request}\n{operation.text}")
    operations = list(state.get("operations") or []) + (
        [operation.model_dump()]
        if operation.op in REPLAYED or operation.shift or operation.add
        else []
    )
    return Command(
        goto="escalate",
        update={
            **base,
            "inputs": state.get("inputs") or {},
            "text": text,
            "agent": current,
            "path": [root],
            "then": root,
            "operations": operations,
            "explain": operation.op == "explain",
            # "shorter please", "as 3 bullet points for Slack": the deliverable summed up
            "summary": operation.op == "format"
            and (asks_summary(operation.text) or bullets_asked(operation.text) is not None),
            "situated": "" if on_slots or operation.target == DESIGN else operation.text,
        },
    )


FOLLOW_UP_CONFIDENCE = (
    0.6  # a message giving the current specialist values stays with it below this route confidence
)
FILE_ROUTE_CONFIDENCE = 0.6  # a shared file goes to the specialist it fits unless words route this surely to another that reads files


def answerable(options: list[str], message: str, ctx: Context) -> list[str]:
    """The specialists among ``options`` (most probable first) whose required inputs ``message``
    gives them all, or inputs standing for them (``unless``: an event's date for a sequence's
    length): a choice between two close specialists is not asked when one can answer now.
    One that takes no input answers anything, so only when it is the most probable ("nos leads
    salons … tu me fais une séquence ?" is no scoring grid with no lead)."""
    understood, ready = understand(message), []
    for rank, option in enumerate(options):
        specs = ctx.hierarchy.nodes[option].inputs
        bound = bind(specs, understood, message)
        if (specs or not rank) and all(
            s.optional or s.name in bound or s.stood_for(bound) for s in specs
        ):
            ready.append(option)
    return ready


def requested_language(message: str) -> str | None:
    """'en' for "and in English?" / "en anglais ?", 'fr' for "en français ?", else None
    (``prompts/lexicon.yaml``, follow_up.language)."""
    folded = fold(message)
    if len(folded.split()) > 8:
        return None
    return next((lang for lang, cue in _LANGUAGE.items() if cue.search(folded)), None)


def follows_up(
    message: str, current: str, decision: RouteDecision, ctx: Context, fits: str | None
) -> bool:
    """True when a message in a thread goes on with the current specialist: a follow-up cue ("et
    pour Meta ?", "same for March"), a file that fits it, or values for its inputs that the router
    does not clearly send elsewhere and that do not fit another specialist better. (A correction,
    "pardon, c'est 4 %", always goes on: see :func:`triage`.)"""
    if decision.agent == current:
        return True
    node = ctx.hierarchy.nodes[current]
    if fits:
        return fits == current
    folded = fold(message)
    if _FOLLOW.search(folded) and (
        decision.agent is None or decision.confidence < 0.8 or len(folded.split()) <= 6
    ):
        return True
    if fits_better(decision.agent, current, message, ctx):
        return False
    given = bind(node.inputs, understand(message), message)
    return bool(given) and (decision.agent is None or decision.confidence < FOLLOW_UP_CONFIDENCE)


def _taken_elsewhere(other: str | None, current: str | None, message: str, ctx: Context) -> bool:
    """True when the router's specialist ``other`` can answer ``message`` whole and the thread's
    ``current`` one cannot use it ("Quels KPIs suivre ? visiteurs 20 100, …" after an A/B readout:
    figures with no arms are a KPI sheet, not the test's new figures)."""
    if other is None or current is None or other == current:
        return False
    return bool(answerable([other], message, ctx)) and not answerable([current], message, ctx)


def fits_better(other: str | None, current: str | None, message: str, ctx: Context) -> bool:
    """True when the figures of ``message`` fit specialist ``other`` better than ``current``
    (graph.brains.evidence): "A 25 000 visites 625 ventes" while a test is being planned."""
    if other is None or current is None or other == current:
        return False
    understood = understand(message)
    if not any(isinstance(s.value, (int, float)) for s in understood.slots):
        return False  # "il a aussi assisté au webinar de mardi": no figure to fit elsewhere
    return evidence(ctx.hierarchy.nodes[other], understood, message) > evidence(
        ctx.hierarchy.nodes[current], understood, message
    )


def shared_files(state: State) -> list[dict]:
    """The files shared with the latest message."""
    return [f for f in state.get("files") or [] if f["name"] in (state.get("shared") or [])]


def file_agent(files: list[dict], ctx: Context) -> str | None:
    """The specialist a shared table fits, from its columns (graph.data.kind_of), or None."""
    for file in reversed(files):
        agent = kind_of(file)
        if agent in ctx.hierarchy.nodes:
            return agent
    return None


def _choose(options: list[str], lang: str, ctx: Context) -> tuple[str, str]:
    """Ask the user to pick one of two specialists; accepts a button's {"choice": id}, or typed
    '1', '2', an id, or words of a description. Returns (specialist, the answer when it also gives
    figures for the request, else '')."""
    offered = [
        Option(
            id=o,
            name=ctx.hierarchy.nodes[o].name(lang),
            description=ctx.hierarchy.nodes[o].description(lang),
        )
        for o in options
    ]
    reply = interrupt(dump(Choice(lang=lang, options=offered)))
    if isinstance(reply, dict):
        return (reply["choice"] if reply.get("choice") in options else options[0]), ""
    answer = str(reply)
    folded = fold(answer).strip()
    content = answer if any(not s.generic for s in understand(answer).slots) else ""
    if not content and (m := re.search(r"\b([12])\b", folded)):
        return options[int(m.group(1)) - 1], ""
    for option in options:
        if option in folded:
            return option, content
    best = ctx.router.route(answer)
    return (best.agent if best.agent in options else options[0]), content


def make_orchestrator(node_id: str):
    """A node for orchestrator ``node_id``: goes to its child on the way to the chosen specialist."""

    def orchestrator(state: State, runtime: Runtime[Context]) -> Command:
        ctx = runtime.context or Context()
        child = ctx.router.choose_child(node_id, routed_agent(state))
        return Command(goto=child, update={"path": state["path"] + [child]})

    orchestrator.__name__ = node_id.replace("-", "_")
    orchestrator.__doc__ = (
        f"Orchestrator {node_id}: routes to the child on the way to the chosen specialist."
    )
    return orchestrator


def handoff(state: State, runtime: Runtime[Context]) -> Command:
    """A request for another team: say which team handles it (seed "Tu NE fais PAS" lists). A
    request no team covers goes on to ``escalate``, which says so unless a situation in it is
    escalated (the notice and what to do now are then the answer)."""
    if state["handoff"] == OUT_OF_SCOPE:
        return Command(goto="escalate")
    return Command(
        goto="escalate",
        update={"outbox": [dump(Handoff(lang=state["lang"], team=state["handoff"] or ""))]},
    )
