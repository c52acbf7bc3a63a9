"""The Claude brain: langchain-anthropic's ChatAnthropic behind the same graph.

- route: structured output (a forced ``route`` tool) whose ``agent`` is one of the hierarchy's
  specialist ids or null with a hand-off team; the offline router's top candidates are in the
  prompt; a confidence below LOW_CONFIDENCE becomes the same two-option question as offline.
- extract: a forced ``inputs_<specialist>`` tool whose schema is the specialist's input model; a
  number the message does not contain is dropped (never guessed); structured kinds (A/B results,
  ICE lines, funnel steps, metrics) stay with the rule-based extractors.
- read: a forced ``reading`` tool that names the escalation situations a request describes (the
  situation part of graph.understanding.reading.Reading); figures and entities stay the scanner's.
- write: the specialist's prompt, seed and template in the system prompt, the calculators as tools;
  every figure of the text must be in a tool result of the turn (graph.brains.grounding), else one
  rewrite is asked, then BrainError.

Caching: every call sends the same tools (route, every inputs tool, the calculators) and the same
first system block (the team, its rules, the specialists), then a block for its task; both blocks
are marked ``cache_control`` (ephemeral) and built only from packaged files, so every request of
every turn starts with one byte-identical prefix, and a specialist's writing block is cached too.
Per-call usage goes to ``on_usage``. Retries with backoff (timeouts, 429, 5xx, 529) are the
anthropic client's (``max_retries``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from typing import Any, Literal, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import BaseModel, Field, ValidationError, create_model

from graph import progress
from graph.brains import BrainError, OfflineBrain, Written
from graph.brains.grounding import dumps, figures, ungrounded
from graph.calculators import abtest
from graph.calculators.kpi import compute_kpis
from graph.extras import require_extra
from graph.hierarchy import Hierarchy, InputSpec
from graph.router import OUT_OF_SCOPE, OfflineRouter, RouteDecision
from graph.understanding import quantities
from graph.understanding.reading import Reading
from graph.understanding.situations import Situation

COOL_DOWN = (
    60.0  # seconds without calling Claude after it failed for good (the offline brain answers)
)
LOW_CONFIDENCE = 0.5  # below this, the user chooses between the model's pick and the next candidate
MAX_MODEL_CALLS = 5  # per deliverable: tool rounds plus one rewrite
CACHE = {"type": "ephemeral"}
LANGUAGE = {"fr": "French", "en": "English"}
# Input kinds the model extracts; the others have structured rule-based extractors.
_KIND_TYPES: dict[str, Any] = {
    "rate": float,
    "amount": float,
    "count": int,
    "duration": int,
    "date": date,
    "text": str,
}
_MODEL_KINDS = (*_KIND_TYPES, "effect", "choice", "channels")
_KIND_UNITS = {
    "rate": "in %, e.g. 3 for 3 %",
    "amount": "in euros",
    "count": "a count",
    "duration": "in days",
    "date": "ISO date",
    "text": "free text",
    "effect": "minimum detectable effect",
    "choice": "one of the options",
    "channels": "marketing channels",
}


class Effect(BaseModel):
    """A minimum detectable effect: relative (%) or absolute (percentage points)."""

    value: float = Field(gt=0)
    unit: Literal["%", "pt"]


def _seed(name: str) -> str:
    return resources.files("seeds").joinpath(name).read_text(encoding="utf-8")


def _tool(name: str, description: str | None, model: type[BaseModel]) -> dict:
    """An Anthropic tool definition from a pydantic model (constant for a given model)."""
    schema = model.model_json_schema()
    schema.pop("title", None)
    return {"name": name, "description": description or "", "input_schema": schema}


def one_of(ids: list[str]) -> Any:
    """``Literal[*ids]``: a field whose JSON schema is an enum of ``ids``, made at run time from
    the hierarchy (a type the checker cannot see, hence Any)."""
    return Literal.__getitem__(tuple(ids))


def _reading_schema(rule_ids: list[str]) -> type[BaseModel]:
    """The ``reading`` tool's input: the situation part of graph.understanding.reading.Reading,
    each situation an escalation rule id of ``prompts/escalations.yaml``."""
    described = create_model(
        "DescribedSituation",
        __doc__="An escalation situation the request describes.",
        id=(one_of(rule_ids), Field(description="escalation situation id")),
        evidence=(
            str,
            Field(max_length=300, description="the words of the request that describe it"),
        ),
        probability=(float, Field(ge=0, le=1, description="0-1")),
    )
    return create_model(
        "ReadingTool",
        __doc__="The escalation situations a request describes (none: an empty list).",
        situations=(cast(Any, list)[described], Field(default_factory=list)),
    )


class _NoArguments(BaseModel):
    """No input."""


class _Kpis(BaseModel):
    """Named figures (visitors, conversions, revenue €, spend €, impressions, clicks…)."""

    metrics: dict[str, float]


CALCULATOR_TOOLS = [
    _tool(
        "compute_deliverable",
        "The figures of this deliverable, computed from the request's inputs by the "
        "specialist's calculators, and the reference deliverable filled with them. Call it first.",
        _NoArguments,
    ),
    _tool(
        "ab_sample_size",
        "Sample size per variant and duration of an A/B test (statsmodels NormalIndPower).",
        abtest.SampleSizeInput,
    ),
    _tool(
        "ab_significance",
        "Two-proportion z-test of A against B (statsmodels proportions_ztest) with the lift's CI.",
        abtest.ZTestInput,
    ),
    _tool("kpis", "Marketing KPIs from named figures, with the seeds' formulas.", _Kpis),
]


def _streamed(bound, prompt: list, on_delta: Callable[[str], None] | None):
    """Claude's reply to ``prompt``: streamed chunk by chunk to ``on_delta`` when given (a proxy
    that does not stream gets the request again, unstreamed), else in one call."""
    reply = None
    if on_delta is not None:
        try:
            for chunk in bound.stream(prompt):
                if chunk.text:
                    on_delta(chunk.text)
                reply = chunk if reply is None else reply + chunk
        except ValueError:  # no event came back: ask without streaming
            reply = None
    if reply is None:
        reply = bound.invoke(prompt)
        if on_delta is not None and reply.text:
            on_delta(reply.text)
    return reply


class ClaudeBrain:
    """Claude through ``model`` (a LangChain chat model: ChatAnthropic, or a fake one in tests).

    ``on_usage(record)`` receives each call's usage: {'call', 'agent', 'model', 'input_tokens',
    'output_tokens', 'cache_read', 'cache_write'}. A deliverable streams as {'delta': text} pieces,
    then {'reset': True} when a draft is rejected and rewritten, to ``write``'s ``on_delta`` (by
    default LangGraph's custom stream writer of the running graph)."""

    name = "claude"

    def __init__(
        self,
        model: BaseChatModel,
        hierarchy: Hierarchy,
        router: OfflineRouter,
        on_usage: Callable[[dict], None] = lambda record: None,
        model_id: str = "",
    ):
        self.model, self.hierarchy, self.router = model, hierarchy, router
        self.offline = OfflineBrain(router)
        self.on_usage, self.model_id = on_usage, model_id
        self.specialists = [n.id for n in hierarchy.nodes.values() if n.kind == "specialist"]
        self.teams = [t.id for t in hierarchy.handoffs]
        self.route_schema = create_model(
            "RouteChoice",
            __doc__="Which specialist answers the message, or which team it belongs to.",
            agent=(
                one_of(self.specialists) | None,
                Field(None, description="specialist id, null when out of scope"),
            ),
            handoff=(
                one_of(self.teams) | None,
                Field(None, description="team when agent is null"),
            ),
            confidence=(float, Field(ge=0, le=1, description="0-1")),
            reason=(str, Field(max_length=300, description="one line")),
        )
        self.input_models = {
            agent: self._input_schema(specs)
            for agent in self.specialists
            if (specs := [s for s in hierarchy.nodes[agent].inputs if s.kind in _MODEL_KINDS])
        }
        self.reading_schema = _reading_schema([r.id for r in hierarchy.escalations])
        self.readings: dict[
            tuple[str, str | None], Reading
        ] = {}  # escalate reads a request before and after its specialist
        self.tools = (
            [
                _tool("route", self.route_schema.__doc__, self.route_schema),
                _tool("reading", self.reading_schema.__doc__, self.reading_schema),
            ]
            + [
                _tool(
                    f"inputs_{agent.replace('-', '_')}",
                    f"The inputs of {agent} that the request states.",
                    model,
                )
                for agent, model in self.input_models.items()
            ]
            + CALCULATOR_TOOLS
        )
        self.common = self._common_system()
        self.paused_until, self.pause_reason = 0.0, "overloaded"

    # -- calls ---------------------------------------------------------------------------------
    def _call(
        self,
        call: str,
        agent: str | None,
        task: str,
        messages: list[BaseMessage],
        tool: str | None = None,
        on_delta: Callable[[str], None] | None = None,
    ) -> AIMessage:
        """One model call: every tool, the common system block, then ``task``'s block (both marked
        for caching); a forced ``tool`` for structured output. Raises BrainError, also without
        calling for COOL_DOWN seconds after a call failed for good."""
        if time.monotonic() < self.paused_until:  # failed for good a moment ago: do not hammer it
            raise BrainError(self.pause_reason, "cooling down")
        try:
            return self._send(call, agent, task, messages, tool, on_delta)
        except BrainError as err:
            if err.reason in ("overloaded", "timeout", "error"):
                self.paused_until, self.pause_reason = time.monotonic() + COOL_DOWN, err.reason
            raise

    def _send(
        self,
        call: str,
        agent: str | None,
        task: str,
        messages: list[BaseMessage],
        tool: str | None,
        on_delta: Callable[[str], None] | None,
    ) -> AIMessage:
        """The request itself (streamed when ``on_delta`` is given) and its usage record."""
        import anthropic
        import httpx

        bound = self.model.bind_tools(self.tools, tool_choice=tool)
        prompt = [
            SystemMessage(
                content=[
                    {"type": "text", "text": self.common, "cache_control": CACHE},
                    {"type": "text", "text": task, "cache_control": CACHE},
                ]
            ),
            *messages,
        ]
        try:
            reply = _streamed(bound, prompt, on_delta)
        except anthropic.APIStatusError as err:
            raise BrainError(
                "overloaded" if err.status_code in (429, 529) else "error",
                f"HTTP {err.status_code}",
            ) from err
        except (anthropic.APITimeoutError, httpx.TimeoutException) as err:
            raise BrainError("timeout") from err
        except Exception as err:  # any other API or transport error, or an unreadable answer
            raise BrainError("error", f"{type(err).__name__}: {str(err)[:100]}") from err
        usage = getattr(reply, "usage_metadata", None) or {}
        details = usage.get("input_token_details") or {}
        self.on_usage(
            {
                "call": call,
                "agent": agent or "",
                "model": self.model_id,
                "input_tokens": usage.get("input_tokens", 0),
                "output_tokens": usage.get("output_tokens", 0),
                "cache_read": details.get("cache_read") or 0,
                "cache_write": details.get("cache_creation") or 0,
            }
        )
        return AIMessage(content=reply.content, tool_calls=reply.tool_calls)

    def _structured(
        self,
        call: str,
        agent: str | None,
        task: str,
        human: str,
        schema: type[BaseModel],
        tool: str,
        check: Callable[[Any], None] = lambda v: None,
    ) -> Any:
        """A forced tool call parsed into ``schema`` (a model made at start-up from the hierarchy,
        hence typed Any) and checked; one repair, then BrainError('malformed')."""
        messages: list[BaseMessage] = [HumanMessage(human)]
        error = ""
        for _ in range(2):
            reply = self._call(call, agent, task, messages, tool)
            calls = [c for c in reply.tool_calls if c["name"] == tool]
            try:
                if not calls:
                    raise ValueError(f"no {tool} tool call")
                value = schema.model_validate(calls[0]["args"])
                check(value)
                return value
            except (ValidationError, ValueError) as err:
                error = str(err)[:300]
            retry = f"Invalid: {error}. Call {tool} again with valid arguments."
            messages.append(reply)
            messages += (
                [ToolMessage(retry, tool_call_id=c["id"], status="error") for c in reply.tool_calls]
                if reply.tool_calls
                else [HumanMessage(retry)]
            )
        raise BrainError("malformed", error)

    # -- routing -------------------------------------------------------------------------------
    def _common_system(self) -> str:
        """The system block every call starts with: the team, the rules, the specialists, the teams."""
        lines = [
            "You are the marketing-ops team of a Slack bot for marketing teams (seed documents in French). "
            "Depending on the task below you route a request to one specialist (route tool), read the "
            "inputs a specialist needs from a request (its inputs_… tool), read which escalation situations "
            "it describes (reading tool), or write a specialist's deliverable with the calculator tools. "
            "Figures always come from the calculators or the user: never estimate one. Whether a human is "
            "notified is decided by the bot's rules from what you read, not by you.",
            "",
            "Specialists (id — path — scope — keywords):",
        ]
        for agent in self.specialists:
            node = self.hierarchy.nodes[agent]
            lines.append(
                f"- {agent} — {' › '.join(self.hierarchy.path_to(agent))} — {node.description.fr} / "
                f"{node.description.en} — {', '.join(node.keywords[:15])}"
            )
        lines += ["", "Teams outside marketing-ops (handoff):"]
        lines += [f"- {t.id} — {t.team('fr')}" for t in self.hierarchy.handoffs]
        lines += ["", "Escalation situations (id — situation):"]
        lines += [f"- {r.id} — {r.situation.en}" for r in self.hierarchy.escalations]
        return "\n".join(lines)

    # -- reading -------------------------------------------------------------------------------
    def read(self, text: str, situated: str | None) -> Reading:
        """The scanner's figures and entities, with the situations Claude names through the forced
        ``reading`` tool in ``situated`` (``text`` when None; '' reads none). Raises BrainError."""
        if situated == "":
            return self.offline.read(text, "")
        key = (text, situated)
        if key not in self.readings:
            reading = self.offline.read(text, "")
            task = (
                "Task: read. Name every escalation situation (ids above) the request describes, with the words of "
                "the request that say it and your probability (0-1) that it is described; an empty list when "
                "none is. A negated or hypothetical mention ('leads qui n'ont pas demandé de démo') describes "
                "nothing. Answer with the reading tool only."
            )
            found = self._structured(
                "read", None, task, f"Request:\n{situated or text}", self.reading_schema, "reading"
            )
            situations = {
                s.id: Situation(id=s.id, probability=s.probability, evidence=s.evidence[:160])
                for s in found.situations
            }
            if len(self.readings) > 256:
                self.readings.clear()
            self.readings[key] = reading.model_copy(
                update={"situations": situations, "brain": "claude"}
            )
        return self.readings[key]

    def route(self, message: str, within: list[str] | None, lang: str) -> RouteDecision:
        """Claude's pick among the specialists (or a hand-off). Raises BrainError."""
        offline = self.router.route(message, within=within)
        allowed = (
            {s for node in within for s in self.hierarchy.subtree_specialists(node)}
            if within
            else set(self.specialists)
        )
        top = ", ".join(f"{c.id} ({c.score:.0%})" for c in offline.candidates[:5])
        human = f"Request:\n{message}\n\nKeyword router's candidates: {top}"
        if within:
            human += f"\nThis thread is limited to: {', '.join(sorted(allowed))} (or a handoff)."

        def check(choice) -> None:
            if choice.agent and choice.agent not in allowed:
                raise ValueError(
                    f"{choice.agent} is not allowed here; choose among {', '.join(sorted(allowed))}"
                )

        task = (
            "Task: route. Pick the specialist whose scope answers the request; if the request is not "
            "marketing-ops work, set agent to null and handoff to the team it belongs to "
            f"('{OUT_OF_SCOPE}' for anything else). Confidence is your probability (0-1) that the pick is "
            "right. Answer with the route tool only."
        )
        choice = self._structured("route", None, task, human, self.route_schema, "route", check)
        if choice.agent is None:
            return RouteDecision(
                None, [], choice.confidence, choice.handoff or OUT_OF_SCOPE, offline.candidates
            )
        decision = RouteDecision(
            choice.agent,
            self.hierarchy.path_to(choice.agent),
            choice.confidence,
            None,
            offline.candidates,
        )
        if choice.confidence < LOW_CONFIDENCE:
            other = next(
                (
                    c.id
                    for c in offline.candidates
                    if not c.handoff and c.id != choice.agent and c.id in allowed
                ),
                None,
            )
            decision.ambiguous = [choice.agent, other] if other else []
        return decision

    # -- extraction ----------------------------------------------------------------------------
    def _input_schema(self, specs: list[InputSpec]) -> type[BaseModel]:
        """The pydantic model of a specialist's inputs the model can read (``_MODEL_KINDS``), all optional."""
        fields: dict[str, Any] = {}
        for spec in specs:
            kind: Any = _KIND_TYPES.get(spec.kind)
            if spec.kind == "effect":
                kind = Effect
            elif spec.kind == "choice":
                kind = one_of(list(spec.options))
            elif spec.kind == "channels":
                kind = list[str]
            fields[spec.name] = (
                kind | None,
                Field(None, description=f"{spec.label.en} ({_KIND_UNITS[spec.kind]})"),
            )
        return create_model(
            "Inputs",
            __doc__="The values the request states; null for anything it does not state.",
            **fields,
        )

    def extract(self, text: str, specs: list[InputSpec], wanted: set[str] | None) -> dict[str, Any]:
        """Rule-based values, overridden by the model's where the model found a value whose numbers
        are in ``text``. Raises BrainError."""
        found = self.offline.extract(text, specs, wanted)
        asked = [
            s for s in specs if (wanted is None or s.name in wanted) and s.kind in _MODEL_KINDS
        ]
        agent = next(
            (
                a
                for a in self.input_models
                if all(s in self.hierarchy.nodes[a].inputs for s in asked)
            ),
            None,
        )
        if not asked or agent is None:
            return found
        task = (
            f"Task: read the inputs of {agent} from the request, in French or English, with the "
            f"inputs_{agent.replace('-', '_')} tool only. Give only values the request states, converted to "
            "the asked unit; null for anything it does not state."
        )
        tool = f"inputs_{agent.replace('-', '_')}"
        values = self._structured(
            "extract",
            agent,
            task,
            f"Today: {date.today().isoformat()}\nRequest:\n{text}",
            self.input_models[agent],
            tool,
        )
        stated = {round(q.value, 6) for q in quantities(text)} | {
            round(v, 6) for _, rs in figures(text) for v, _ in rs
        }
        for spec in asked:
            value = getattr(values, spec.name)
            if value is None or value == []:
                continue
            if isinstance(value, Effect):
                value = value.model_dump()
            number = (
                value["value"]
                if isinstance(value, dict)
                else value
                if isinstance(value, (int, float))
                else None
            )
            if number is not None and round(float(number), 6) not in stated:
                continue  # a number the user did not write: left to the rules or the question
            found[spec.name] = value.isoformat() if isinstance(value, date) else value
        return found

    # -- writing -------------------------------------------------------------------------------
    def write_task(self, agent: str) -> str:
        """The stable system block of ``agent``'s deliverables: rules, its prompt, its seed, its template."""
        node = self.hierarchy.nodes[agent]
        return "\n".join(
            [
                f"Task: write as {agent}, a specialist of the marketing-ops team ({' › '.join(self.hierarchy.path_to(agent))}).",
                "Write the deliverable the request asks for, in the user's language, following the output template.",
                "Rules: use only the calculator tools (compute_deliverable, ab_sample_size, ab_significance, kpis) and "
                "call compute_deliverable first; every figure you write (counts, %, €, p-values, dates, durations) "
                "must come from a tool result, written with the same rounding; never estimate or invent a figure; keep the "
                "method section's statement of how the figures were computed; no preamble.",
                "",
                "# Your prompt",
                node.prompt.strip(),
                "",
                f"# Your seed ({node.seed})",
                _seed(node.seed).strip(),
                "",
                "# Output template (French)",
                node.template.outline("fr") if node.template else "",
                "",
                "# Output template (English)",
                node.template.outline("en") if node.template else "",
            ]
        )

    def write(
        self,
        agent: str,
        lang: str,
        request: str,
        values: dict,
        markdown: str,
        on_delta: Callable[[Any], None] | None = None,
    ) -> Written:
        """The deliverable written by Claude from the calculators' results. Raises BrainError."""
        results: list[dict[str, Any]] = []
        task = self.write_task(agent)
        messages: list[BaseMessage] = [
            HumanMessage(
                f"Language: {LANGUAGE[lang]}\nRequest:\n{request}\n\nWrite the deliverable in {LANGUAGE[lang]}."
            )
        ]
        emit = on_delta or progress.writer()
        rewrites = repairs = 0
        for _ in range(MAX_MODEL_CALLS):
            reply = self._call("write", agent, task, messages, None, lambda t: emit({"delta": t}))
            messages.append(reply)
            if reply.tool_calls:
                for call in reply.tool_calls:
                    output, ok = self._run_tool(call["name"], call["args"], values, markdown)
                    repairs += not ok
                    if repairs > 1:
                        raise BrainError("malformed", f"tool {call['name']}")
                    results.append({"tool": call["name"], "input": call["args"], "output": output})
                    messages.append(
                        ToolMessage(
                            dumps(output),
                            tool_call_id=call["id"],
                            status="success" if ok else "error",
                        )
                    )
                continue
            text = reply.text.strip()
            missing = ungrounded(text, [r["output"] for r in results if "error" not in r["output"]])
            if text and not missing:
                return Written(text, results, streamed=True, brain=self.name)
            if rewrites:
                raise BrainError("ungrounded", ", ".join(missing[:5]))
            rewrites += 1
            emit({"reset": True})
            messages.append(
                HumanMessage(
                    f"These figures are in no tool result: {', '.join(missing[:10]) or 'the text is empty'}. Call the tools "
                    "you need and rewrite the whole deliverable using only figures from tool results."
                )
            )
        raise BrainError("malformed", "too many tool rounds")

    def _run_tool(self, name: str, args: dict, values: dict, markdown: str) -> tuple[dict, bool]:
        """(result, ok) of a calculator tool; bad arguments give {'error': ...} and ok False."""
        try:
            if name == "compute_deliverable":
                return {
                    "figures": {k: v for k, v in values.items() if not k.startswith("_")},
                    "reference": markdown,
                }, True
            if name == "ab_sample_size":
                return abtest.sample_size(
                    abtest.SampleSizeInput.model_validate(args)
                ).model_dump(), True
            if name == "ab_significance":
                return abtest.ztest(abtest.ZTestInput.model_validate(args)).model_dump(), True
            if name == "kpis":
                return {"kpis": compute_kpis(_Kpis.model_validate(args).metrics)}, True
        except (ValidationError, ValueError) as err:
            return {"error": str(err)[:300]}, False
        return {"error": f"unknown tool {name}"}, False


def chat_model(settings) -> BaseChatModel:
    """ChatAnthropic from the settings: MARKETING_BOT_MODEL, ANTHROPIC_BASE_URL, explicit timeout and
    retries (the anthropic client retries timeouts, 429, 5xx and 529 with exponential backoff).
    Raises graph.extras.MissingExtra when langchain-anthropic is not installed."""
    require_extra("claude", "ANTHROPIC_API_KEY")
    from langchain_anthropic import ChatAnthropic

    options: dict[str, Any] = {  # by alias, as langchain-anthropic's docs write them
        "model": settings.marketing_bot_model,
        "api_key": settings.anthropic_api_key.get_secret_value(),
        "timeout": settings.marketing_bot_llm_timeout,
        "max_retries": settings.marketing_bot_llm_retries,
        "max_tokens": 2048,
        "temperature": 0,
        "stream_usage": True,
    }
    if settings.anthropic_base_url:
        options["base_url"] = settings.anthropic_base_url
    return ChatAnthropic(**options)
