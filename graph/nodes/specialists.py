"""Specialist nodes and the clarification node.

A specialist reads its inputs from the request through the understanding layer
(:mod:`graph.understanding`), sends what is missing to ``clarify``, and otherwise renders its
deliverable: the builder in :mod:`graph.deliverables` computes the values and the template of
``prompts/specialists/<id>.yaml`` lays them out.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from langgraph.config import get_config
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graph.brains import merged, think
from graph.configuration import Context
from graph.data import DataError
from graph.deliverables import BUILDERS, unused
from graph.document import Deliverable, Section, Table
from graph.formatting import bullets
from graph.hierarchy import InputSpec
from graph.i18n import t
from graph.messages import Error, FigureCheck, FileError, Missing, Note, Question, Unparsed, dump
from graph.nodes.routing import file_agent, fits_better, redirect_target, shared_files
from graph.state import State, routed_agent
from graph.text import fold
from graph.understanding import bind, is_skip, next_monday, understand
from graph.understanding.describe import describe
from graph.understanding.doubts import IGNORED, NONE_OPTION, Doubt, doubtful, measure_of, typed_fix
from graph.understanding.followups import Operation, apply, bullets_asked
from graph.understanding.lexicon import words
from graph.understanding.slots import Understanding
from graph.understanding.structures import asks_timing, yes_or_no


def missing_inputs(
    specs: list[InputSpec], inputs: dict, files: list | None = None
) -> list[InputSpec]:
    """The specs with no value yet in ``inputs`` (a default accepted counts as a value); optional
    specs are never missing, nor those whose ``unless`` input is given; with a shared file, the
    specs a file can stand for are not missing; specs not ``asked_alone`` are missing only beside
    another missing spec."""
    missing = [
        s
        for s in specs
        if s.name not in inputs
        and not s.optional
        and not (files and s.from_file)
        and not s.stood_for(inputs)
    ]
    return missing if any(s.asked_alone for s in missing) else []


def default_value(spec: InputSpec):
    """The stated default of an input: 'next_monday' becomes a date, 'unknown' becomes None."""
    if spec.default == "next_monday":
        return next_monday(date.today()).isoformat()
    return None if spec.default == "unknown" else spec.default


def reading(state: State) -> Understanding:
    """The thread's request as understood, with its follow-up operations replayed (a doubled
    budget, a channel removed: graph.understanding.followups.apply)."""
    return apply(
        understand(state["text"]),
        [Operation.model_validate(o) for o in state.get("operations") or []],
    )


def constraints(state: State) -> list[str]:
    """The constraints the user added in the thread ("min 10k sur Meta", "garde 10 % de réserve")."""
    return [o["text"] for o in state.get("operations") or [] if o["op"] == "constraint"]


def read_inputs(
    ctx: Context,
    state: State,
    agent: str,
    request: Understanding | None = None,
    guessed: dict | None = None,
    sources: dict | None = None,
) -> tuple[dict, dict]:
    """The inputs of ``agent`` from the thread's request (``request``: :func:`reading`, read here
    when not given): the inputs already known (a brief, a default accepted), overridden by what the
    request's text states (later messages and corrections win); what is still missing is asked of
    the Claude brain when it is on. ``guessed`` and ``sources`` receive the inputs filled by a
    number no word names and the figure of every numeric input (graph.understanding.binding.bind).
    Returns (inputs, state update from the brain)."""
    node = ctx.hierarchy.nodes[agent]
    inputs = dict(state.get("inputs") or {})
    inputs.update(
        bind(
            node.inputs, request or reading(state), state["text"], guessed=guessed, sources=sources
        )
    )
    if asks_timing(state["text"]):  # "3 emails … What timing?": the default timing, proposed
        timing = [s for s in missing_inputs(node.inputs, inputs) if s.kind == "duration"]
        inputs.update({s.name: default_value(s) for s in timing if s.default is not None})
    wanted = {s.name for s in missing_inputs(node.inputs, inputs)}
    if not wanted or ctx.brain.name == "offline":
        return inputs, {}
    found, extra = think(ctx, state, "extract", state["text"], node.inputs, wanted)
    return {**inputs, **found}, extra


MADE: tuple[tuple[str, Any], ...] = (  # what a builder gives beside its values, and its default
    ("_charts", []),
    ("_files", []),
    ("_experiment", None),
    ("_launch_date", None),
    ("_alerts", []),
    ("_used", []),  # slots the builder computed with beyond its inputs (spend and revenue for ROAS)
    ("_why", ""),  # the result in plain words, for "why?" in the thread (:func:`explanation`)
)


def make_specialist(agent: str):
    """The node for specialist ``agent``."""

    def specialist(state: State, runtime: Runtime[Context]) -> Command:
        ctx = runtime.context or Context()
        node = ctx.hierarchy.nodes[agent]
        files, request = state.get("files") or [], reading(state)
        guessed: dict[str, Any] = {}
        sources: dict[str, Any] = {}
        inputs, extra = read_inputs(ctx, state, agent, request, guessed, sources)
        if missing_inputs(node.inputs, inputs, files):
            if state.get("awaiting"):  # a blocking rule raised first: decided, then the questions
                update = merged({"inputs": inputs, "then": agent}, extra)
                return Command(goto="await_decision", update=update)
            return Command(goto="clarify", update=merged({"inputs": inputs}, extra))
        state = {**state, **extra}
        built = _build(ctx, agent, state, inputs, request)
        if isinstance(built, Command):
            return built
        values, facts = built
        lang = state["lang"]
        made = {k: values.pop(k, default) for k, default in MADE}
        memory = remember(ctx, agent, values, made["_experiment"], lang)
        if node.template is None:
            raise ValueError(f"{agent} has no output template (prompts/specialists/)")
        document = node.template.fill(agent, lang, values, state["path"])
        done = {"inputs": inputs, "facts": facts, "then": "__end__"}
        if state.get("explain"):  # "pourquoi Meta a moins ?": the method and figures, not again
            asked, why = state.get("message") or "", made["_why"]
            note = explanation(document, request, lang, asked, why)
            return Command(goto="escalate", update={**done, "explain": False, "outbox": [note]})
        used = list(sources.values()) + made["_used"]
        document.note = unused(request, document.markdown(), lang, agent, used)
        if state.get("summary"):
            shorter = _summary(document, bullets_asked(state.get("message") or ""))
            document, memory, done = shorter, [], {**done, "summary": False}
        document, more = _written(ctx, state, agent, document, values)
        document = document.model_copy(
            update={
                "charts": made["_charts"],
                "files": made["_files"],
                "experiment": made["_experiment"],
                "launch_date": made["_launch_date"],
                "alerts": made["_alerts"],
                "sections": document.sections + memory,
            }
        )
        doubts = [d.model_dump() for d in doubtful(node.inputs, request, guessed, lang)]
        update = {**done, "outbox": [document.model_dump()], "doubts": doubts}
        return Command(goto="escalate", update=merged(merged(update, more), extra))

    specialist.__name__ = agent.replace("-", "_")
    specialist.__doc__ = f"Specialist {agent}: gathers its inputs and renders its deliverable."
    return specialist


def _summary(document: Deliverable, count: int | None = None) -> Deliverable:
    """The deliverable shorter, as "plus court, juste les chiffres clés" asks: its overview, its
    first section and the first one with a table of figures when that is another (a campaign
    status's KPIs after its reading), its method; no closing note. With a ``count`` of bullets
    ("a 3 bullet summary"): that many bullets of its figures, the first table's computed rows
    first (a label and its value each), then the overview's, then the other rows; and its
    method."""
    tabled = next(
        (s for s in document.sections if any(isinstance(p, Table) for p in s.parts)), None
    )
    if count:
        fields = [(k, v) for k, v in document.fields if re.search(r"\d", v)]
        table = next((p for p in tabled.parts if isinstance(p, Table)), None) if tabled else None
        rows = [r for r in (table.rows if table else []) if len(r) > 1]
        # what was computed (a formula beside it) says more than the overview or the figures
        # given back ("KPIs computed: 5" is no key figure)
        computed = [(r[0], r[1]) for r in rows if re.search(r"[/×÷]", r[-1])]
        pairs = computed + fields + [(r[0], r[1]) for r in rows if (r[0], r[1]) not in computed]
        lines = [t(document.lang, "deliverables.summary_line", label=k, value=v) for k, v in pairs]
        heading = t(document.lang, "deliverables.summary_heading", n=count)
        section = Section(heading=heading, parts=[bullets(lines[:count])])
        return document.model_copy(update={"fields": [], "sections": [section], "note": ""})
    kept = document.sections[:1] + [s for s in [tabled] if s and s not in document.sections[:1]]
    return document.model_copy(update={"sections": kept, "note": ""})


def _build(ctx: Context, agent: str, state: State, inputs: dict, request: Understanding):
    """The specialist's builder (graph.deliverables.BUILDERS) run on its inputs: (values, facts),
    or the Command that says why it cannot run: a shared file that cannot be used is forgotten (the
    specialist goes on without it), inputs a calculator refuses are asked again."""
    lang, node, files = state["lang"], ctx.hierarchy.nodes[agent], state.get("files") or []
    given = {**inputs, "files": files, "constraints": constraints(state), **planned(ctx, agent)}
    try:
        return BUILDERS[agent](given, lang, request)
    except DataError as err:
        goto = "clarify" if missing_inputs(node.inputs, inputs) else agent
        said = dump(FileError(lang=lang, error=err.message(lang)))
        return Command(goto=goto, update={"inputs": inputs, "files": [], "outbox": [said]})
    except ValueError as err:
        return Command(
            goto="clarify",
            update={"inputs": {}, "outbox": [dump(Error(lang=lang, error=str(err)))]},
        )


def _written(
    ctx: Context, state: State, agent: str, document: Deliverable, values: dict
) -> tuple[Deliverable, dict]:
    """The deliverable as the brain writes it: the template's (offline), or Claude's text under the
    computed title (its figures checked by grounding); with the state update of the brain's call."""
    lang = state["lang"]
    written, more = think(
        ctx, state, "write", agent, lang, state["text"], values, document.markdown()
    )
    if written.brain != "offline":
        document = Deliverable(
            agent=agent,
            lang=lang,
            title=document.title,
            path=document.path,
            sections=[Section(parts=[written.markdown])],
            document=document.document,
        )
    said = {
        "brain": written.brain,
        "streamed": written.streamed,
        "tool_results": written.tool_results,
    }
    return document.model_copy(update=said), more


def explanation(
    document: Deliverable, request: Understanding, lang: str, asked: str = "", why: str = ""
) -> dict:
    """A note answering "why / how" about a deliverable: the figures it used and its method, led
    by the row of its tables that the question ``asked`` names ("pourquoi TikTok a si peu ?": the
    TikTok row of the split, each cell with its column), and by the result in plain words when
    the builder gave it (``why``: what a p-value and an interval mean for this test)."""
    # figures no word named ("8, 7, 6" of an ICE list) say nothing read back alone: their row does
    named = {s.type for s in request.slots if not s.generic}
    used = "; ".join(describe(request, lang, named))
    head = t(lang, "followups.explain", used=used) if used else t(lang, "followups.explain_method")
    text = head + "\n\n" + document.method
    # "why is it significant?": the result itself (verdict, p-value…) first, else the row asked
    overview = " · ".join(f"{k} {v}" for k, v in document.fields)
    # the row asked about beside the overview: "why is activation the weak point?" when the
    # overview names another step as the biggest leak
    lead = "\n".join(x for x in (named_row(document, asked), overview) if x)
    lead = "\n\n".join(x for x in (lead, why) if x)
    if lead:
        text = lead + "\n\n" + text
    return dump(Note(lang=lang, text=text))


def named_row(document: Deliverable, asked: str) -> str:
    """The table row the question names, as "label — column value · …" ("TikTok — Budget
    10 435 € · Part 17,4 % · ROAS 2,00x"). A row's label is its first cell with letters (an ICE
    row's idea after its rank); a word of the label counts as named by a word of the question that
    starts the same way ("activation" names the step "activated"). A row whose whole label is
    named comes first (the one the question names first: "pourquoi Meta a moins que Google ?" is
    about Meta), else the row with the most label words named, one of them at least ``NAMED``
    letters long ("le quiz" names "quiz onboarding"); '' when none is."""
    said = words(fold(asked))
    tables = [p for section in document.sections for p in section.parts if isinstance(p, Table)]
    best, most, whole = "", 0, []
    for table in tables:
        for row in table.rows:
            at = next((i for i, c in enumerate(row) if re.search(r"[^\W\d_]", str(c))), 0)
            name = words(fold(str(row[at])))
            hits = [w for w in name if any(_same_word(w, x) for x in said)]
            if not name or not any(len(w) >= NAMED for w in hits):
                continue
            cells = [
                f"{c} {v}" for c, v in zip(table.columns, row) if str(v).strip() and v != row[at]
            ]
            line = f"{row[at]} — " + " · ".join(cells)
            if len(hits) == len(name):  # where the question names it: its subject first
                whole.append((min(i for i, x in enumerate(said) if _same_word(hits[0], x)), line))
            elif len(hits) > most:
                best, most = line, len(hits)
    return min(whole)[1] if whole else best


NAMED = 4  # letters of the shortest label word that names a row alone ("quiz", not "ads")


STEM = 6  # letters two words share to be one word in two forms ("activated", "activation")


def _same_word(word: str, other: str) -> bool:
    """Whether two folded words are one: equal, or sharing their first STEM letters."""
    return word == other or (min(len(word), len(other)) >= STEM and word[:STEM] == other[:STEM])


def _thread_key() -> str:
    """The running LangGraph thread: 'team:channel:thread_ts' (graph.threads.Thread.key)."""
    return get_config().get("configurable", {}).get("thread_id", "")


def planned(ctx: Context, agent: str) -> dict:
    """For an ab-testing readout, the plan of the thread's running test ({"planned_n"}: visitors
    per variant), so that a result read early is called provisional; {} otherwise or without a log."""
    return (
        ctx.experiments.planned(_thread_key())
        if ctx.experiments is not None and agent == "ab-testing"
        else {}
    )


def remember(
    ctx: Context, agent: str, values: dict, experiment: dict | None, lang: str
) -> list[Section]:
    """What the team's experiment log adds to this deliverable (graph.experiments.ExperimentLog.recall:
    similar tests, a test running on the same page, ideas already tested, the backlog), for the
    Slack workspace of the running thread; [] without a log (LangGraph Studio)."""
    if ctx.experiments is None:
        return []
    thread_key = _thread_key()
    return ctx.experiments.recall(
        thread_key.split(":", 1)[0], thread_key, agent, values, experiment, lang
    )


def _label(spec: InputSpec, request, lang: str) -> str:
    """How to ask for ``spec``: A/B results name the arm still missing once one arm has figures
    (a price alone is none), or the visitors when each arm's rate is known."""
    # an arm named by its price alone ("le plan à 49 € … celui à 39 €") gave no figure yet
    known = {s.arm for s in request.slots if s.arm and s.arm != "*" and s.type != "amount"}
    if spec.kind != "ab_results" or not known:
        return spec.label(lang)
    rates = {
        s.arm for s in request.slots if s.type in ("conversion_rate", "rate", "open_rate", "ctr")
    }
    if len(known) >= 2 and known <= rates:
        return t(lang, "nodes.specialists.number_visitors_each_version")
    wanted = ["A"] if "A" not in known else ["B"]
    names = ", ".join(t(lang, "nodes.specialists.control") if a == "A" else a for a in wanted)
    return t(lang, "nodes.specialists.visitors_conversions_names_e", names=names, value=wanted[0])


def clarify(state: State, runtime: Runtime[Context]) -> Command:
    """Ask for every missing input in one message, saying what was understood, and wait
    (``interrupt``) for the answer.

    The answer may give the values in any form, correct an earlier one ("non, c'est 4 %"), or
    say "je ne sais pas" / "skip" (the stated defaults); the default-assumption button resumes with
    {"use_defaults": true}; an answer that changes nothing is asked again after a note. Goes back to the specialist with the answer added to the request."""
    ctx = runtime.context or Context()
    agent, lang = routed_agent(state), state["lang"]
    node = ctx.hierarchy.nodes[agent]
    inputs = dict(state.get("inputs") or {})
    missing, request = missing_inputs(node.inputs, inputs), reading(state)
    labels = [
        Missing(name=s.name, label=_label(s, request, lang), default=s.default is not None)
        for s in missing
    ]
    asked = Question(
        lang=lang,
        agent=agent,
        path=state.get("path", []),
        understood=describe(request, lang),
        missing=labels,
    )
    reply = interrupt(dump(asked))
    if isinstance(reply, dict):  # a button: {"use_defaults": true} takes every stated default
        if reply.get("use_defaults"):
            inputs.update({s.name: default_value(s) for s in missing if s.default is not None})
        return Command(goto=agent, update={"inputs": inputs})
    answer = str(reply)
    elsewhere = file_agent(shared_files(state), ctx) not in (None, agent)
    if elsewhere or redirect_target(answer, agent, state["text"], ctx, strict=True):
        return Command(goto="triage", update={"message": answer})
    text = state["text"] + "\n" + answer
    if state.get("files") and not missing_inputs(
        node.inputs, inputs, state["files"]
    ):  # a file answered
        return Command(goto=agent, update={"text": text})
    found, extra = _answered(ctx, state, missing, request, answer, text)
    if found is None:  # figures for another specialist go there
        return Command(goto="triage", update={"message": answer})
    progressed = len(understand(text).slots) > len(
        request.slots
    )  # "control 3.4% and variant 3.9%": part of the results
    if not found and not progressed:  # nothing usable: say so, then ask again
        said = dump(Unparsed(lang=lang, answer=answer[:200]))
        return Command(goto="clarify", update=merged({"outbox": [said]}, extra))
    inputs.update(found)
    return Command(goto=agent, update=merged({"inputs": inputs, "text": text}, extra))


def _answered(
    ctx: Context,
    state: State,
    missing: list[InputSpec],
    request: Understanding,
    answer: str,
    text: str,
) -> tuple[dict | None, dict]:
    """The inputs an answer to the question gives ({name: value}: the values it changes, Claude's
    extraction when it is on, the stated defaults for "je ne sais pas", the answer itself for a
    single text input), with the brain's state update; None when it gives nothing and fits another
    specialist better. ``text``: the request with the answer added."""
    agent = routed_agent(state)
    node = ctx.hierarchy.nodes[agent]
    before, after = (
        bind(node.inputs, request, state["text"]),
        bind(node.inputs, understand(text), text),
    )
    found = {k: v for k, v in after.items() if before.get(k) != v}
    extra: dict[str, Any] = {}
    if not found and ctx.brain.name != "offline":
        found, extra = think(ctx, state, "extract", answer, missing, None)
    skipped = is_skip(answer)
    if not found and not skipped:
        other, _ = think(ctx, state, "route", answer, state.get("scope"), state["lang"])
        if fits_better(other.agent, agent, answer, ctx):
            return None, extra
    if skipped:
        found.update(
            {
                s.name: default_value(s)
                for s in missing
                if s.default is not None and s.name not in found
            }
        )
    if (
        len(missing) == 1
        and missing[0].kind == "text"
        and not found
        and answer.strip()
        and not skipped
    ):
        found[missing[0].name] = answer.strip()[:500]
    return found, extra


def check_reading(state: State, runtime: Runtime[Context]) -> Command:
    """After a deliverable built on figures no word named (``doubts``: graph.understanding.doubts),
    say how each was read and wait. The reading form's answer ({"figure": start, "type": measure},
    a Slack select, or typed: graph.understanding.doubts.typed_fix) confirms a figure, or retypes
    it and runs the specialist again with it; "oui" /
    "yes" confirms them all, "non" asks which; any other message is a new message of the thread
    (back to ``triage``). Every confirmation or correction is kept as a labelled example for the
    role model's next training run (``Context.examples``)."""
    ctx = runtime.context or Context()
    lang, doubts = state["lang"], [Doubt.model_validate(d) for d in state.get("doubts") or []]
    answer = interrupt(dump(FigureCheck(lang=lang, agent=routed_agent(state), doubts=doubts)))
    fix = typed_fix(str(answer), doubts) if not isinstance(answer, dict) else None
    if fix is not None:  # "12000, c'est visiteurs/mois": the form's answer, typed
        answer = {"figure": fix[0].start, "type": fix[1]}
    if not isinstance(answer, dict):
        said = yes_or_no(str(answer))
        if said is None:
            return Command(goto="triage", update={"message": str(answer), "doubts": []})
        if not said:
            return Command(
                goto="check_reading",
                update={"outbox": [dump(Note(lang=lang, text=t(lang, "doubts.which")))]},
            )
        for each in doubts:
            _keep_example(ctx, state, each, each.input)
        return Command(
            goto=END,
            update={
                "doubts": [],
                "outbox": [dump(Note(lang=lang, text=t(lang, "doubts.confirmed")))],
            },
        )
    doubt = next((d for d in doubts if d.start == answer.get("figure")), None)
    if doubt is None or answer.get("type") not in doubt.options:
        return Command(goto="check_reading")  # a stale form: keep waiting
    _keep_example(ctx, state, doubt, answer["type"])
    left = [d.model_dump() for d in doubts if d is not doubt]
    if answer["type"] == doubt.type:
        return Command(goto="check_reading" if left else END, update={"doubts": left})
    target = IGNORED if answer["type"] == NONE_OPTION else answer["type"]
    correction = Operation(
        op="correct",
        probability=1.0,
        start=doubt.start,
        target=target,
        text=f"{doubt.evidence} = {doubt.labels[answer['type']]}",
    )
    root = ctx.hierarchy.path_to(routed_agent(state))[0]
    return Command(
        goto="escalate",
        update={
            "operations": [*(state.get("operations") or []), correction.model_dump()],
            "doubts": [],
            "path": [root],
            "then": root,
            "situated": "",
            "explain": False,
        },
    )


def _keep_example(ctx: Context, state: State, doubt: Doubt, chosen: str) -> None:
    """Keep the user's reading of ``doubt`` (a slot type, or ``none``) with the request."""
    if ctx.examples is not None:
        measure = None if chosen == NONE_OPTION else measure_of(chosen)
        ctx.examples.add_figure(
            get_config()["configurable"]["thread_id"],
            state["text"],
            doubt.evidence,
            doubt.value,
            measure,
        )
