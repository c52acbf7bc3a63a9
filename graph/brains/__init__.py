"""Brains: what routes a message, extracts a specialist's inputs and writes its deliverable.

The offline brain (the router, the rule-based extractors, the templates) is the default and needs
no key. The Claude brain (:mod:`graph.brains.claude`) is used when ANTHROPIC_API_KEY is set; when
it fails after its retries, :func:`think` answers the rest of the turn with the offline brain and
puts a one-line note in the thread. Numbers always come from :mod:`graph.calculators`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from graph.calculators import kpi
from graph.calculators.lead_scoring import score_lead
from graph.hierarchy import OUT_OF_SCOPE, InputSpec
from graph.messages import Fallback, dump
from graph.router import (
    AMBIGUITY_RATIO,
    MIN_PROBABILITY,
    Candidate,
    OfflineRouter,
    RouteDecision,
)
from graph.text import fold
from graph.understanding import bind, extract_inputs, extract_steps, metrics, understand
from graph.understanding.binding import (
    CONVERTED,
    basket_and_rate_moved,
    channel_metrics,
    metric_slots,
    period_pairs,
    sector_rates,
    source_rates,
    stated_rates,
    stopped_early,
    volume_wanted,
)
from graph.understanding.changes import cost_move, moves_said, series_run
from graph.understanding.dates import PAST_PERIOD_WORDS
from graph.understanding.lexicon import channel_index, words
from graph.understanding.models_stated import one_model, stated_models
from graph.understanding.pipeline import is_goal, needed_volume, rate_chain
from graph.understanding.reading import Reading, read_message
from graph.understanding.structures import (
    blend,
    cohorts,
    event_messages_asked,
    growth_forecast,
    rate_steps,
    retention_curve,
)
from graph.understanding.timings import weekly_sends

log = logging.getLogger(__name__)


class BrainError(Exception):
    """The model could not answer (timeouts, 429/5xx/529 after retries, output still malformed after
    one repair). ``reason`` is a short label for the thread note: 'overloaded', 'timeout', 'error',
    'malformed', 'ungrounded'."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass
class Written:
    """A deliverable's text: ``markdown``; the tool results its figures come from; ``streamed``
    when the text was sent piece by piece as it was written (the caller need not print it again)."""

    markdown: str
    tool_results: list[dict[str, Any]] = field(default_factory=list)
    streamed: bool = False
    brain: str = "offline"


class Brain(Protocol):
    """Routing, extraction and writing; ``name`` is 'offline' or 'claude'."""

    name: str

    def route(self, message: str, within: list[str] | None, lang: str) -> RouteDecision:
        """The specialist (with its path), a hand-off, or an ambiguity for ``message``."""

    def extract(self, text: str, specs: list[InputSpec], wanted: set[str] | None) -> dict[str, Any]:
        """Values for ``specs`` found in ``text`` (see graph.understanding.extract_inputs)."""

    def write(self, agent: str, lang: str, request: str, values: dict, markdown: str) -> Written:
        """The deliverable of ``agent``: ``values`` are the calculators' figures, ``markdown`` the
        specialist's template filled with them."""

    def read(self, text: str, situated: str | None) -> Reading:
        """What ``text`` says: figures, entities and escalation situations (see
        graph.understanding.reading.read_message for ``situated``)."""


class OfflineBrain:
    """Rules, seed tables, calculators and templates: no key, no network."""

    name = "offline"

    def __init__(self, router: OfflineRouter):
        self.router = router

    def route(self, message: str, within: list[str] | None, lang: str) -> RouteDecision:
        """The offline router's decision (graph.router), weighed by what the message gives: a
        specialist whose inputs or evidence slots are in the message gains (see :func:`evidence`)."""
        decision = self.router.route(message, within=within)
        if decision.handoff not in (None, OUT_OF_SCOPE) and decision.confidence >= SURE_HANDOFF:
            # "can you write 5 LinkedIn posts for our launch?": the words name another team's
            # work this surely; a date or a count in it does not make it a plan (a request merely
            # out of scope is still weighed: its figures may fit a specialist)
            return decision
        understood, nodes = _launched_is_no_plan(understand(message)), self.router.hierarchy.nodes
        given, ranked = _weighed(decision, understood, message, nodes)
        # the words chose a specialist, or the figures give one everything it takes ("trial-to-paid
        # 14% on 2,300 trials, ARPU $49, push it to 17%"): spread words do not make it out of scope
        fitted = given.get(ranked[0].id, 0.0) >= 1.0 and not _one_figure(understood)
        kept = (decision.agent or fitted) and not ranked[0].handoff
        if kept and ranked[0].score < MIN_PROBABILITY:
            ranked[0] = Candidate(ranked[0].id, MIN_PROBABILITY, False)
        weighed = self.router.decide(ranked)
        if decision.handoff == OUT_OF_SCOPE and weighed.agent and _one_figure(understood):
            # "un influenceur dit que notre produit l'a rendu malade, 200k vues en 3h": one
            # measured figure does not make a crisis a KPI sheet
            return decision
        if read_back := _read_back_instead(weighed, given, understood, message, nodes):
            path = self.router.hierarchy.path_to(read_back)
            return RouteDecision(read_back, path, weighed.confidence, None, weighed.candidates)
        if weighed.agent and not given.get(weighed.agent) and not weighed.ambiguous:
            # "long subject 12,000 sends 2,640 opens, short subject 12,000 sends 2,880 opens":
            # every figure one specialist needs and none the words' one takes: the figures decide
            full = [
                c.id
                for c in weighed.candidates
                if given.get(c.id, 0.0) >= 1.0
                and (
                    _figures_decide(nodes[c.id])
                    or _read_back(nodes[c.id], understood)
                    # "nos ads meta : 12k€ dépensés, 340 achats, panier 62 €. c rentable ?", when
                    # the words are unsure: a KPI asked that the figures compute
                    or (
                        weighed.confidence < READY
                        and "kpi_asked" in nodes[c.id].evidence
                        and _kpi_answered(understood, message)
                    )
                )
            ]
            if full:
                path = self.router.hierarchy.path_to(full[0])
                return RouteDecision(full[0], path, weighed.confidence, None, weighed.candidates)
        if (
            weighed.ambiguous
        ):  # close scores: the specialist the message gives (almost) everything to answers
            close = [
                c
                for c in weighed.candidates
                if c.id in nodes and c.score >= AMBIGUITY_RATIO * weighed.candidates[0].score
            ]
            # the one given the most of what it needs first (stable: then the words' order)
            given_most = sorted(close, key=lambda c: -given.get(c.id, 0))
            ready = [c for c in given_most if given.get(c.id, 0) >= READY] or [
                c  # "the variant increased AOV from €64 to €66": the one whose evidence is there
                for c in close
                if c.id in nodes and _evidence_slot(nodes[c.id], understood, message)
            ]
            if len(ready) == 1 or (ready and given.get(ready[0].id, 0) >= READY):
                agent = ready[0].id
                return RouteDecision(
                    agent,
                    self.router.hierarchy.path_to(agent),
                    weighed.confidence,
                    None,
                    weighed.candidates,
                )
        return weighed

    def extract(self, text: str, specs: list[InputSpec], wanted: set[str] | None) -> dict[str, Any]:
        """The understanding layer's slots bound to ``specs`` (graph.understanding)."""
        return extract_inputs(text, specs, wanted)

    def write(self, agent: str, lang: str, request: str, values: dict, markdown: str) -> Written:
        """The filled template, as is."""
        return Written(markdown)

    def read(self, text: str, situated: str | None) -> Reading:
        """The scanner's figures and the learned situation model's situations."""
        return read_message(text, situated)


def _read_back_instead(
    weighed: RouteDecision, given: dict[str, float], understood, message: str, nodes: dict
) -> str | None:
    """The specialist that reads the message's figures back (:func:`_read_back`: a goal
    through stage rates, a conversion rate and a basket that moved), or one close behind that
    the message gives everything and its evidence, when the words' one lacks a required input
    ("la conversion de 2,8 % à 3,3 % mais le panier de 64 € à 52 €" is no CRO strategy without
    the traffic); None otherwise."""
    agent = weighed.agent
    if not agent or agent not in nodes:
        return None
    specs = nodes[agent].inputs
    bound = bind(specs, understood, message)
    if all(s.optional or s.default is not None or s.name in bound for s in specs):
        return None
    top = weighed.candidates[0].score if weighed.candidates else 0.0
    return next(
        (
            c.id
            for c in weighed.candidates
            if c.id in nodes
            and given.get(c.id, 0.0) >= 1.0
            and (
                _read_back(nodes[c.id], understood)
                # "weekly: 25,000 sessions, 500 orders, €35,000 revenue": a close specialist
                # given all it needs, with its own evidence, answers now instead of asking
                or (
                    c.score >= ANSWERS_INSTEAD * top
                    and _evidence_slot(nodes[c.id], understood, message)
                )
            )
        ),
        None,
    )


ANSWERS_INSTEAD = 0.3  # of the top score: how close a specialist that can answer now must be


def _launched_is_no_plan(understood):
    """``understood`` without a start date already past ("on a lancé une campagne TikTok hier"):
    a campaign that runs is tracked, its start is no evidence for planning one."""
    today = date.today().isoformat()
    slots = [s for s in understood.slots if not (s.type == "start_date" and str(s.value) < today)]
    return understood.model_copy(update={"slots": slots})


def _read_back(node, understood) -> bool:
    """Whether ``node`` reads the message's figures back and the message gives them: a goal set
    through stage rates ("how many leads to close 10 deals? lead to SQL 15%, SQL to won 25%":
    'needed') or a conversion rate and a basket that moved apart, netted per visitor ("conversion
    from 3.4% to 2.6% but AOV from $58 to $71": 'periods'): the figures decide, whatever the
    words suggest."""
    return (
        "needed" in node.evidence
        and (
            needed_volume(understood) is not None
            or _short_of_sector(understood)
            or blend(understood) is not None  # two groups' rates, weighed by their shares
            or growth_forecast(understood) is not None  # last period's volume, grown by a rate
            or _margin_on_roas(understood)
            or bool(cohorts(understood))  # cohorts' sizes and users still active
        )
    ) or ("periods" in node.evidence and basket_and_rate_moved(understood))


def _margin_on_roas(understood) -> bool:
    """A ROAS and a gross margin with no budget to split ("ROAS Google 6,2 mais la marge est de
    18 %. est-ce qu'on est rentable ?"): profitability, read as a KPI, not an allocation."""
    return (
        understood.first("roas") is not None
        and understood.first("gross_margin") is not None
        and understood.first("budget") is None
        and any(word in fold(understood.text) for word in kpi.ROI_ASKED)
    )


def _short_of_sector(understood) -> bool:
    """A pipeline's conversion rate against the sector's, with the volume it converts ("MQL to
    SQL 13%, benchmark 20-30%, 900 MQLs a month"): what the gap costs, read back in volumes."""
    return (
        understood.first("conversion_rate") is not None
        and bool(sector_rates(understood, ("conversion_rate",)))
        and understood.first("conversions", "leads", "mqls", "sqls") is not None
    )


def _figures_decide(node) -> bool:
    """Whether figures alone can tell a message is for ``node``: a test readout's results, or two
    or more figure inputs (a date alone, or a count, is in many requests)."""
    kinds = [spec.kind for spec in node.inputs if spec.kind in _EVIDENCE_KINDS]
    return "ab_results" in kinds or len(kinds) >= 2


_EVIDENCE_KINDS = (
    "rate",
    "effect",
    "amount",
    "count",
    "duration",
    "date",
    "ab_results",
)  # lists and options are too loose to be evidence
READY = 0.75  # evidence that settles a choice between close specialists
SURE_HANDOFF = 0.5  # a hand-off the words choose this surely is not weighed by the figures
EVIDENCE_WEIGHT = 5.0  # a specialist whose inputs are all in the message weighs up to 6 times its text probability


def _weighed(
    decision: RouteDecision, understood, message: str, nodes: dict
) -> tuple[dict[str, float], list[Candidate]]:
    """({specialist: evidence}, the candidates ranked by text probability × (1 + EVIDENCE_WEIGHT
    × evidence), normalised to 1)."""
    given = {
        c.id: evidence(nodes[c.id], understood, message)
        for c in decision.candidates
        if c.id in nodes
    }
    weighted = [
        Candidate(c.id, c.score * (1 + EVIDENCE_WEIGHT * given.get(c.id, 0.0)), c.handoff)
        for c in decision.candidates
    ]
    total = sum(c.score for c in weighted) or 1.0
    ranked = sorted(
        (Candidate(c.id, c.score / total, c.handoff) for c in weighted), key=lambda c: -c.score
    )
    return given, ranked


def _one_figure(understood) -> bool:
    """Whether the message measures one thing only (durations and bare numbers aside; a bare
    number a channel is given, "140 from Facebook", is that channel's figure)."""
    measured = [
        s
        for s in understood.slots
        if isinstance(s.value, float)
        and (not s.generic or s.channel)
        and s.type not in ("duration", "delay")
    ]
    return len(measured) == 1


def evidence(node, understood, message: str) -> float:
    """How much of what ``node`` takes the message gives, 0-1: the share of its figure and date
    inputs whose first measure the message names (not bare numbers), one more when a slot of its
    ``evidence`` types is there ("CMO", "2,000 employees" for lead-scoring; "ROAS Google 4,2" for
    budget-allocation; 'sends_timed', a weekly rhythm of sends, counts only when there is one),
    one more for 'moved' when a CPA or ROAS moves; a required list or channel
    input the message lacks counts against it, an optional one that stands in for another
    (``unless``: "max 3 weeks" for the MDE) counts only when the message gives it. Figures given
    for a test's versions ("visuel 1 : 15 000 impressions, 210 clics") are evidence only for a
    specialist whose evidence is the 'arm': the others read no version's figures."""
    figures = understood  # the figures its inputs can take
    if "arm" not in node.evidence:
        figures = understood.model_copy(
            update={"slots": [s for s in understood.slots if s.arm in (None, "*")]}
        )
    stand_ins = {  # "max 3 weeks" stands for the MDE: an alternative, no evidence when absent
        name
        for s in node.inputs
        for name in ([s.unless] if isinstance(s.unless, str) else s.unless or [])
    }
    specs = [
        s.model_copy(update={"measures": s.measures[:1]})
        for s in node.inputs
        if s.kind in _EVIDENCE_KINDS
        and not (s.optional and s.name in stand_ins and not understood.first(*s.measures))
    ]
    others = [
        s
        for s in node.inputs
        if s.kind not in _EVIDENCE_KINDS and not s.optional and s.default is None
    ]
    lacking = len(others) - len(
        bind(others, understood, message)
    )  # required lists or channels the message lacks
    moved = "moved" in node.evidence and _cost_moved(understood)  # one more, when there is one
    found = _evidence_slot(node, understood, message)
    # evidence that is only a weekly rhythm of sends counts when there is one, never against
    counted = bool(node.evidence) and (found or set(node.evidence) != {"sends_timed"})
    total = len(specs) + counted + lacking + moved
    if not total:
        return 0.0
    hits = len(bind(specs, figures, message, strict=True)) + found
    return (hits + moved) / total


def _channels_in(text: str) -> list:
    """The channels a piece of ``text`` names (graph.understanding.lexicon), in order."""
    return channel_index().find_all(words(fold(text)))


def _chained(message: str) -> bool:
    """Three funnel steps or more in a chain: joined by arrows ("12 000 visiteurs -> 600 leads ->
    150 MQL"), or listed with each volume below the one before ("1,400 registrants, 520
    attended, 85 booked a demo") with no period to compare nor a definition asked; not counts
    named by channels."""
    steps = extract_steps(message) or []
    if len(steps) < 3 or sum(bool(_channels_in(name)) for name, _ in steps) >= 2:
        return False  # "240 sales from search, 130 from TikTok, 90 from affiliates": channels
    counts = [n for _, n in steps]
    falling = all(a > b for a, b in zip(counts, counts[1:]))
    folded = fold(message)
    return bool(re.search(r"->|→|>|;", message)) or (
        falling and not PAST_PERIOD_WORDS.search(folded) and not _DEFINITION.search(folded)
    )


# "c'est quoi la différence entre MQL et SQL ? chez nous 800 MQL, 200 SQL…": the words asked
# about, the figures an example of them
_DEFINITION = re.compile(
    r"(?<![a-z])(?:c'est quoi|qu'est-ce qu|difference (?:entre|between)|what(?: i|')s the difference|"
    r"what is an?|what's an?|definition)(?![a-z])"
)


def _kpi_answered(understood, message: str) -> bool:
    """Whether ``message`` asks a KPI by name that its figures compute, directly or through
    another one ("c'est rentable ?" with the spend, the orders and their basket; the revenue from
    the customers and their contract value); a budget stands for the spend (a salon's cost per
    SQL)."""
    slots, budget = metric_slots(understood), understood.value("budget")
    given = {  # "45k€ pour Q2 … objectif 1500 leads": a goal the budget must reach, no result
        m: v
        for m, v in (metrics(understood) or {}).items()
        if not (budget and m in slots and is_goal(understood, slots[m]))
    }
    if "spend" not in given and budget:
        given["spend"] = budget
    asked = kpi.requested(message) if given else []
    computed = kpi.compute_kpis(given, [k.id for k in asked]) if asked else {}
    # "CPC $2.65, conversion rate 4%. our CPA?": the CPA the CPC and the rate make answers it
    made = {kpi.MADE[c] for c in computed if c in kpi.MADE}
    return any(k.id not in given and (k.id in computed or k.id in made) for k in asked)


def _cost_moved(understood) -> bool:
    """A CPA or ROAS said to move or given period by period (graph.understanding.changes
    .cost_move): what campaign tracking diagnoses."""
    numbers = [s for s in understood.slots if isinstance(s.value, float)]
    return cost_move(understood.text, numbers)[0] is not None


def _evidence_slot(node, understood, message: str) -> bool:
    """A slot of one of ``node.evidence``'s types is in the message (a figure given period by
    period is no evidence of its type: a trend). Named evidence: 'lead' for a job title in a
    message about a lead (:func:`_a_lead`); 'arm' for any A/B arm figure (not a report's two
    periods); 'early_look' for a test someone wants to stop early on a lift
    (binding.stopped_early); 'kpi_asked' for a KPI asked by name whose figures the message gives ("CVR? 96 000
    sessions, 2 400 commandes"); 'channel_kpis' for a KPI every channel's figures give;
    'ice_scores' for two ideas or more given with their ICE scores; 'channel_costs' for a budget
    beside two channels' costs per conversion (:func:`_channel_costs`); 'event_messages' for the
    messages that promote an event (structures.event_messages_asked); 'bounce_rise' for a bounce
    rate said to rise (:func:`_bounce_rose`); 'off_target' for a CPA or
    ROAS beside its target (:func:`_off_target`); 'sends_timed' for channels sent on a day of
    each week (graph.understanding.timings.weekly_sends); 'model_counts' for conversions per channel
    under an attribution model (models_stated); 'channel_returns' for two
    channels' spend and revenue (:func:`_channel_returns`); 'periods' for a period's
    figures each beside the previous period's (binding.period_pairs), or a conversion rate and a
    basket that moved apart (:func:`_read_back`); 'needed' for a goal read backwards through
    stage rates (pipeline.needed_volume); 'report_figures' for three
    KPI inputs or more with the report's period; 'retention_curve' for a cohort's retention
    period by period (graph.understanding.structures.retention_curve); 'steps' for three funnel steps or more in a
    chain ("12 000 visiteurs -> 600 leads -> 150 MQL")."""
    if "lead" in node.evidence and _a_lead(understood, message):
        return True
    if "arm" in node.evidence and any(s.arm for s in understood.slots):
        return period_pairs(understood) is None  # "visites 120k vs 110k": two periods, no test
    if "early_look" in node.evidence and stopped_early(understood):
        return True  # "arrêter le test au bout de 4 jours, la variante est à +25 %": a readout
    if "steps" in node.evidence and (_chained(message) or len(rate_steps(message) or []) >= 3):
        return True  # "cart to order 50%, product to cart 8%, …": rates of the steps
    if "kpi_asked" in node.evidence and _kpi_answered(understood, message):
        return True
    if "channel_kpis" in node.evidence and _channel_kpis(understood):
        return True
    if "event_messages" in node.evidence and event_messages_asked(understood.text):
        return True  # "webinar on 14 January … build the email sequence to promote it"
    if "bounce_rise" in node.evidence and _bounce_rose(understood):
        return True  # "taux de rebond passé de 38 % à 61 % depuis la refonte": a page to fix
    if "off_target" in node.evidence and _off_target(understood):
        return True  # "CPA 48 €, le boss veut 35 €": today's cost against the one wanted
    if "channel_costs" in node.evidence and _channel_costs(understood):
        return True  # "45k€ pour Q2 : google (CPA 28€), meta (CPA 35€)…": a budget to split
    if "channel_returns" in node.evidence and _channel_returns(understood):
        return True  # "google $42k spend / $168k revenue, meta $31k / $77.5k…": money to move
    if "model_counts" in node.evidence and (one_model(understood) or stated_models(understood)):
        return True  # "last-click numbers: 320 orders from Google, 140 from Facebook": credits
    if "sends_timed" in node.evidence and weekly_sends(understood):
        return True  # "newsletter le mardi, SMS le jeudi, push le samedi": a week to line up
    if "source_rates" in node.evidence and source_rates(understood):
        return True  # "MQL to SQL rate by source: webinar 34%, ebook 9%, …": sources compared
    if _read_back(node, understood):  # "combien de leads pour signer 20 clients si 25 % des SQL …"
        return True
    if "periods" in node.evidence and period_pairs(understood) is not None:
        return True  # "septembre 142 000 € de CA pour 48 000 sessions, octobre 151 000 € …"
    if "retention_curve" in node.evidence and retention_curve(message):
        return True  # "month 1 100%, month 2 42%, month 3 31%": a cohort's retention
    if "rate_chain" in node.evidence and (chain := rate_chain(understood)) and chain.value:
        return True  # "2 200 leads, MQL→SQL 18 %, SQL→client 25 %, panier 4 800 €": its revenue
    if "ice_scores" in node.evidence:  # "exit-intent popup (impact 6, confidence 7, ease 9), …"
        scored = bind([s for s in node.inputs if s.kind == "ice"], understood, message)
        if len(next(iter(scored.values()), [])) >= 2:
            return True
    if "report_figures" in node.evidence and _report_figure_count(understood) >= 3:
        # the period's figures, with the period the report covers said ("monthly", "Q3")
        return bool(bind([s for s in node.inputs if s.kind == "choice"], understood, message))
    numbers = [s for s in understood.slots if isinstance(s.value, float)]
    series = series_run(understood.text, numbers)
    periods = {id(s) for s in series[1]} if series else set()  # "ROAS jan 3.8, feb 3.1": a trend
    # a version's figure ("visuel 1 : 210 clics") is evidence only of a test
    versions = "arm" not in node.evidence
    return any(
        s.type in node.evidence
        and id(s) not in periods
        and not (versions and s.arm not in (None, "*"))
        for s in understood.slots
    )


def _bounce_rose(understood) -> bool:
    """A bounce rate said to move up ("went from 38% to 61%")."""
    figures = [s for s in understood.slots if isinstance(s.value, float)]
    return any(
        c.measure == "bounce_rate" and c.after > c.before
        for c in moves_said(understood.text, figures)
    )


def _off_target(understood) -> bool:
    """A CPA given beside a target CPA, or a ROAS beside a target ROAS (any channel or arm), or
    more conversions wanted at the same budget (binding.volume_wanted)."""
    return volume_wanted(understood) is not None or any(
        understood.all(cost, any_arm=True) and understood.all(target, any_arm=True)
        for cost, target in (("cpa", "target_cpa"), ("roas", "target_roas"))
    )


def _channel_costs(understood) -> bool:
    """A budget beside a cost per conversion (CPA, CPL, CAC) for each of two channels or more."""
    costs = [understood.by_channel(m) for m in ("cpa", "cpl", "cac")]
    return bool(understood.value("budget")) and any(len(c) >= 2 for c in costs)


def _channel_returns(understood) -> bool:
    """The spend and the revenue (or what it bought: customers, leads…) of each of two channels
    or more, in a message that asks where the money should go ("where should we move money?",
    "where should next month's 40k go?", "on réalloue comment ?"): a split to make, not only
    each channel's ROAS or CPA."""
    per = channel_metrics(understood)
    paid = [c for c in per.values() if "spend" in c and set(c) & {"revenue", *CONVERTED}]
    return len(paid) >= 2 and bool(_MOVE_MONEY.search(understood.text))


_MOVE_MONEY = re.compile(
    r"(?<![a-z])(?:move|moving|shift\w*|realloc\w*|reallou\w*|reaffect\w*|repart\w*|split\w*|"
    r"where (?:should|do) we (?:put|spend|invest)|ou (?:mettre|investir)|put more|mettre plus|"
    r"where should [a-z0-9'$€£., ]{1,30} go|"
    r"invest\w*|scale)(?![a-z])"
)  # not "which one do we cut?": the lowest return, a KPI question


def _report_figure_count(understood) -> int:
    """How many KPI inputs a report's period gives: this period's of a comparison ("sessions
    124k (sept 118k)": binding.period_pairs), else those given (binding.metric_slots), with the
    rates given (binding.stated_rates) when the message names a report."""
    pairs = period_pairs(understood)
    if pairs:
        return len(pairs[0])
    # "monthly report: revenue …, orders …, conversion rate 1.8%": a report asked by name counts
    # its rates too
    slots = metric_slots(understood)
    rates = stated_rates(understood, slots) if _REPORT_NAMED.search(understood.text) else {}
    return len(slots | rates)


_REPORT_NAMED = re.compile(
    r"(?<![a-z])(?:rapports?|reports?|reporting|bilan|recap|dashboard|tableau de bord|comex|codir)"
    r"(?![a-z])"
)


def _channel_kpis(understood) -> bool:
    """Each of two channels or more has figures that compute a KPI ("CPL : Google 45 €, … taux
    lead→client : 4 %, …"), and no budget is given to split between them."""
    per = channel_metrics(understood)
    computed = [set(kpi.compute_kpis(m, kpi.PER_CHANNEL)) for m in per.values()]
    return len(per) >= 2 and bool(set.intersection(*computed)) and not understood.value("budget")


# "our head of sales insists…", "notre CEO veut…": a colleague, not a lead
_OWN = re.compile(r"(?<![a-z])(?:our|notre|nos|my|mon|ma|mes)\s+$")
_LEAD_WORDS = re.compile(r"(?<![a-z])(leads?|prospects?|scor\w*|mql|sql|inbound)(?![a-z])")


def _a_lead(understood, message: str) -> bool:
    """A job title in a message about a lead: beside a company size or a score, with the word
    lead, prospect or score, or meeting another criterion of the scoring model (a download, a
    personal address: prompts/lead_scoring.yaml); "the CEO wants to keep it" is no lead, nor is a
    title said as the team's own ("our head of sales")."""
    titles = [
        s
        for s in understood.slots
        if s.type == "job_title" and not _OWN.search(understood.text, 0, s.start)
    ]
    if not titles:
        return False
    types = {s.type for s in understood.slots}
    if types & {"company_size", "company_size_word", "lead_score"}:
        return True
    return bool(_LEAD_WORDS.search(understood.text)) or len(score_lead(message)[1]) >= 2


def think(ctx, state: Mapping[str, Any], task: str, *args) -> tuple[Any, dict]:
    """Run ``task`` ('route', 'extract', 'write' or 'read') on the context's brain.

    Returns (result, state update). When the brain is offline, or an earlier call of this turn
    failed (``offline_turn``), the offline brain answers. When the Claude brain raises BrainError,
    the offline brain answers and the update sets ``offline_turn`` and adds a ``fallback`` note."""
    offline = OfflineBrain(ctx.router)
    if ctx.brain.name == "offline" or state.get("offline_turn"):
        return getattr(offline, task)(*args), {}
    try:
        return getattr(ctx.brain, task)(*args), {}
    except BrainError as err:
        log.warning("claude brain failed (%s); offline brain answers this turn", err)
        note = dump(Fallback(lang=state.get("lang") or "fr", reason=err.reason))
        return getattr(offline, task)(*args), {"offline_turn": True, "outbox": [note]}


def merged(update: dict, extra: dict) -> dict:
    """``update`` plus ``extra`` (from :func:`think`), outbox items of ``extra`` first."""
    out = {**update, **{k: v for k, v in extra.items() if k != "outbox"}}
    if extra.get("outbox"):
        out["outbox"] = extra["outbox"] + update.get("outbox", [])
    return out
