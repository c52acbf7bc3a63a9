"""Escalation rules: the seeds' "Points d'Escalade Humaine" tables, decided on figures and on learned situations.

Rules live in ``prompts/escalations.yaml`` (performance-orchestrator.md and
automation-orchestrator.md). A rule fires on a numeric check over what the understanding layer
read, when the message states that figure: ``revenue_impact_above`` (a % the message ties to
revenue, "CA -15 %", above the threshold), ``lead_score_above`` (a stated or computed lead score
above the threshold), ``company_size_above`` (a company of more employees than the threshold,
called "grand compte" / "enterprise", or, in a message about a lead, named among the large
employers of prompts/lexicon.yaml, "chez Safran"); otherwise on the situation the brain read
(graph.understanding.reading.Reading: the offline model learned from the shared corpus, or
Claude's forced reading tool) with at least the rule's ``confidence``. No regex over the message
decides; a lead situation is left out when the lead's own scoring criterion for it is named only
under a negation ("n'a pas demandé de démo": graph.calculators.lead_scoring.denied_situations),
and a situation read under a probability of its rule's ``needs`` rows when the message does not
say what that row checks (a workflow named, a company's size stated: :data:`CUES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graph.calculators.lead_scoring import denied_situations, unmet_situations
from graph.hierarchy import EscalationRule
from graph.text import FUNCTION_WORDS, fold, without_that
from graph.understanding.changes import GROWTH_GOAL, arm_prices, stated_revenue_moves
from graph.understanding.changes import revenue_impact as implied_revenue_impact
from graph.understanding.entities import AUTOMATION
from graph.understanding.lexicon import lexicon
from graph.understanding.situations import Situation, overshadowed
from graph.understanding.structures import own_exits

if (
    TYPE_CHECKING
):  # the Reading's models load scikit-learn: storage imports this module without them
    from graph.understanding.reading import Reading

DECISIONS = (
    "approved",
    "rejected",
    "changes_requested",
)  # what a decider may answer a blocking rule
POSSIBLE = 0.6  # a situation at 60 % of its rule's confidence or more is named in the answer, with a button to
# escalate it; in 5-fold CV on the corpus train split, 36 % of those named are right at 0.6 (25 % at 0.5)


def revenue_impact(reading: Reading, text: str = "") -> tuple[float, str] | None:
    """Largest |%| the request ties to revenue ("le CA a baissé de 15 %", "revenue by 15%"), else
    the revenue change its before/after figures imply (graph.understanding.changes: "RPV 1,92 € ->
    2,21 €" is 15.1 %; ``text``, the request, says when a factor held), with how the evidence
    shows it; None when it states neither."""
    impacts = [abs(s.value) for s in reading.all("revenue_change")]
    if impacts:
        return max(impacts), f"{max(impacts):g} %"
    said = stated_revenue_moves(fold(text), reading.figures) if text else []
    if said:
        value, evidence = max(said, key=lambda m: abs(m[0]))
        return abs(value), f"{value:+g} % (« {evidence} »)"
    # "$49 plan vs $59 plan … 168 vs 139 purchases": the arms' prices move the revenue too
    implied = implied_revenue_impact(reading.changes + arm_prices(reading.figures), fold(text))
    return (abs(implied[0]), f"{implied[0]:+g} % ({implied[1]})") if implied else None


def measured(
    rule: EscalationRule, reading: Reading, text: str, facts: dict[str, Any]
) -> tuple[float | None, str]:
    """The value a numeric rule reads (revenue impact %, lead score, company size) and how the
    evidence shows it; (None, '') when the message states none, or for a rule without ``check``."""
    if rule.check == "revenue_impact_above":
        if facts.get("revenue_impact") is not None:
            return facts["revenue_impact"], f"{round(facts['revenue_impact'], 1):g} %"
        return revenue_impact(reading, text) or (None, "")
    if rule.check == "lead_score_above":
        value = (
            facts["lead_score"] if facts.get("lead_score") is not None else read_score(reading)
        )  # a lead scored 0 is scored
        return value, f"{value:g} pts" if value is not None else ""
    if (
        rule.check == "company_size_above" and facts.get("company_size") is not None
    ):  # a file's largest company, and every lead of the file above the threshold
        above = [
            said
            for said, size in facts.get("company_sizes") or []
            if rule.threshold is None or size > rule.threshold
        ]
        return facts["company_size"], ", ".join(above) or f"{facts['company_size']:g}"
    if rule.check == "company_size_above":
        sizes = reading.all("company_size")
        biggest = max(sizes, key=lambda s: s.value) if sizes else None
        return (biggest.value, f"« {biggest.evidence} »") if biggest else (None, "")
    return None, ""


SCORE_ROLE = 0.8  # a figure the role model reads as a lead's score this surely is one (0.8-1.0: 85 % right on dev)


def read_score(reading: Reading) -> float | None:
    """The highest lead score the message states: a figure the lexicon names a score ("score 88")
    or whose learned role (graph.understanding.roles) is ``lead_score`` with probability SCORE_ROLE
    or more ("un lead remonte à 93", "she's at 84"), not a grid's weight or threshold; None when
    there is none."""
    scores = [
        f.value
        for f in reading.figures
        if (f.type == "lead_score" or (f.role == "lead_score" and f.role_probability >= SCORE_ROLE))
        and 0 <= f.value <= 1000
    ]
    return max(scores) if scores else None


def _small_lift(rule: EscalationRule, facts: dict[str, Any]) -> bool:
    """A revenue rule not worth naming as possible: the readout measured a conversion lift
    (``conversion_lift``, %) no larger than the rule's threshold, its best estimate of the
    revenue moved at an unchanged basket."""
    lift = facts.get("conversion_lift")
    return (
        rule.check == "revenue_impact_above"
        and lift is not None
        and rule.threshold is not None
        and abs(lift) <= rule.threshold
    )


_TESTED = re.compile(
    r"(?<![a-z])(test\w*|a/?b|experi\w*|variant\w*|version\w*|rollout|deploy\w*)(?![a-z])"
)


_QUALIFYING = re.compile(
    r"(?<![a-z])(mqls?|sqls?|leads?|qualif\w*)(?![a-z])"
)  # a lead rate, no sale
_SELLING = ("revenue", "revenue_change", "rpv", "aov", "orders", "conversions", "conversion_rate")


def _nothing_moves(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """A revenue rule not worth naming as possible: no test, arm or change of what sells is read
    ("Our CAC is $420 and LTV $1,900", "our MQL to SQL rate dropped from 31% to 19%"): unit
    economics or lead qualification move no revenue to sign off. Nor a counter-intuitive result
    with no result: no test, arm or change read (a workflow to build, a plan)."""
    untested = not any(f.arm for f in reading.figures) and not _TESTED.search(fold(text))
    if rule.id == "counter-intuitive":
        return untested and not reading.changes
    return (
        rule.check == "revenue_impact_above"
        and not any(
            c.measure in _SELLING and not _QUALIFYING.search(c.subject) for c in reading.changes
        )
        and untested
    )


def _costs_moved(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """A revenue rule read in a message where only costs or engagement moved ("CPC went from
    €0.80 to €1.45 and CTR dropped from 1.2% to 0.7%"), with no test and no word of revenue: a
    campaign's health to diagnose (campaign tracking), not a decision that moves revenue."""
    return (
        bool(reading.changes)
        and _nothing_moves(rule, reading, text)
        and not _REVENUE_WORDS.search(fold(without_that(text)))
    )


_REVENUE_WORDS = re.compile(
    r"(?<![a-z])(revenue|revenu\w*|ca|chiffre d'affaires|mrr|arr|(?<!ajout )(?<!ajout au )panier\w*|"
    r"aov|baskets?|rpv|order value|valeur)(?![a-z])"
)  # "ajout panier" is a step (add to cart), not a basket's value


def _conversions_only(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """A revenue rule on a test's arms that give conversions alone ("variant B: 2,15 % de conv,
    A: 1,9 %, 40 000 visiteurs"): no amount and no word of revenue, so the model's reading of a
    revenue move is not raised; baskets or prices given make the readout measure revenue per
    visitor, which decides (``facts['revenue_impact']``)."""
    return (
        rule.check == "revenue_impact_above"
        and any(f.arm for f in reading.figures)
        and not any(f.currency for f in reading.figures)
        and not _REVENUE_WORDS.search(fold(without_that(text)))
    )


def _hypothetical(rule: EscalationRule, reading: Reading, facts: dict[str, Any]) -> bool:
    """A revenue rule about a test being planned (sized by its daily traffic): its effect is
    hypothetical, on conversion, so the revenue situation does not apply. Nor when the message's
    revenue percentage is a share of revenue ("la newsletter représente 14 % du CA") and nothing
    moved: what a channel weighs is not revenue moving. Nor a rate to reach outside a test ("if
    onboarding emails lift it to 11%, how much MRR?"): a what-if, nothing to sign off yet."""
    return rule.check == "revenue_impact_above" and bool(
        facts.get("planned_test")
        or reading.first("daily_traffic")
        or (reading.first("revenue_share") and not reading.changes)
        or (reading.first("target_rate") and not any(f.arm for f in reading.figures))
    )


def _held(rule: EscalationRule, reading: Reading) -> bool:
    """A revenue rule on a message whose figures all hold still ("quelle est la LTV si l'ARPU est
    de 60 € par mois, la marge 80 % et le churn 5 % ?"): no change, no A/B arm, no move stated,
    so no revenue moved, whatever the words suggest; a bare percentage (_MAY_MOVE) may be a move.
    A message without figures is left to the model ("the new checkout seems to hurt sales")."""
    numbers = [f for f in reading.figures if isinstance(f.value, float)]
    return (
        rule.check == "revenue_impact_above"
        and bool(numbers)
        and not reading.changes
        and not any(f.arm for f in numbers)
        and not any(f.type in _MAY_MOVE or f.unit == "pt" for f in numbers)
    )


_PERIOD_AGO = re.compile(
    r"(?<![a-z])(?:(?:depuis|vs|versus|par rapport a|compare a|contre|than|compared to|over)\s+"
    r"(?:l'an|l'annee|le mois|le trimestre|la semaine|last|the last|a)\s*(?:dernier|derniere|passe|"
    r"precedent|year|month|quarter|week|ago)|yoy|year over year|year-over-year|sur un an|en un an|"
    r"vs n-1|vs ly|mom|month over month)(?![a-z])|"
    # a move seen lately ("depuis lundi", "since yesterday", "this week"): the corpus's train
    # messages that say one name a change when revenue moved ("en prod depuis 10 jours")
    r"(?<![a-z])(?:(?:depuis|since)\s+(?:(?:ce |this )?(?:lundi|mardi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hier|yesterday|"
    r"matin|morning)|\d+\s*(?:jours?|days?|semaines?|weeks?)|(?:quelques|a few|few) (?:jours|days)|"
    r"(?:une|deux|trois|one|two|three) (?:semaines?|weeks?))|(?:this|cette|ce) (?:week|semaine|"
    r"weekend|week-end))(?![a-z])"
)
_CHANGE_MADE = re.compile(
    r"(?<![a-z])(?:refonte|redesign\w*|migr\w*|moved|nouve\w*|new|lanc\w*|launch\w*|killed|"
    r"removed|supprim\w*|chang\w*|switch\w*|depuis qu\w*|since we|after we|apres avoir|passage|"
    r"rebuil\w*)(?![a-z])"
)  # a change made, beside a test (_TESTED)


def _trend(text: str) -> bool:
    """Revenue compared with an earlier period, or a move seen lately ("le taux de conversion est
    passé de 2,8 % à 1,9 % depuis lundi"), and no test or change named ("notre CA a été
    multiplié par 2 depuis l'an dernier", "revenue down 7% yoy, easter shifting"): the business's
    course, not a decision that moves revenue (the corpus's hard negatives of revenue-impact)."""
    folded = fold(text)
    return bool(_PERIOD_AGO.search(folded)) and not (
        _TESTED.search(folded) or _CHANGE_MADE.search(folded)
    )


_MOVED = re.compile(
    r"(?<![a-z])(?:baiss\w*|hauss\w*|chut\w*|grew|grow\w*|dropp\w*|drops?|fell|fall\w*|increas\w*|"
    r"decreas\w*|rais\w*|rose|rises?|rising|jump\w*|plong\w*|augment\w*|diminu\w*|recul\w*|"
    r"progress\w*|gagn\w*|perd\w*|lost|lose|boost\w*|lift\w*|up|down|pass\w*|went|moved|crush\w*|"
    r"tank\w*|mont(?:e|es|ent|er|ee|ees|ait|aient)|explos\w*|doubl\w*|tripl\w*|halv\w*|divis\w*|multipli\w*|impact\w*|hurt\w*|"
    r"kill\w*|cannibal\w*|collab\w*|retir\w*|enlev\w*|ajout\w*|added|adding|introduc\w*|coup\w*|"
    r"cut|stopp\w*|arret\w*|activ\w*|desactiv\w*|replac\w*|remplac\w*)(?![a-z])|[+−→]|->|"
    r"(?<![a-z0-9])-\s?\d|(?<![a-z])(?:de|from)\s+[$€£]?\d[^,;.!?]{0,14}?\s(?:a|to)\s+[$€£]?\d"
)


def _goal_only(text: str) -> bool:
    """Revenue growth said as a goal, with no test or change named ("on veut +15 % de CA au
    prochain trimestre", "goal: +20% revenue this year"): a target to plan for, not a decision
    that moves revenue (no message of the corpus's train split with a revenue impact says one)."""
    folded = fold(text)
    return bool(GROWTH_GOAL.search(folded)) and not (
        _TESTED.search(folded) or _CHANGE_MADE.search(folded)
    )


def _nothing_done(text: str) -> bool:
    """No test, change or move in the words ("panier moyen membres 82 € vs 61 € non-membres", "54 €
    sur mobile contre 71 € sur desktop"): two groups compared, no revenue moved by anything. In
    the corpus every message with a revenue impact names a test, a change or a move."""
    folded = fold(text)
    return not (_TESTED.search(folded) or _CHANGE_MADE.search(folded) or _MOVED.search(folded))


# a bare percentage may say how much something moved ("a monté de 14 %"): not a level held
_MAY_MOVE = ("change", "revenue_change", "rate", "mde", "ratio")


# a hot lead is someone: a lead, a prospect, a score, a buyer ready to sign
_NAMES_A_LEAD = re.compile(
    r"(?<![a-z])(?:leads?|prospects?|scor\w*|mql|sql|inbound|hot|chaud|ready to buy|pret a|"
    r"decision[- ]maker|decideur|client potentiel|account)(?![a-z])",
    re.I,
)


def _no_lead(rule: EscalationRule, facts: dict[str, Any]) -> bool:
    """A lead rule when no lead is described: the lead-scoring specialist found none
    (``no_lead``: the team asked for a scoring model, "build a lead scoring model for companies of
    200-5000"), or a specialist planned a test (``planned_test``: "2,8 % de demandes de démo" is
    the rate a test moves, nobody asking for a demo)."""
    return bool(facts.get("no_lead") or facts.get("planned_test")) and rule.id in LEAD_SITUATIONS


# "le client Dupont", "our customer", "une cliente": someone who already buys
_CUSTOMER = re.compile(
    r"(?<![a-z])(?:(?:le|la|un|une|notre|nos|ce|cette|our|a|an|the|this|existing) "
    r"(?:clients?|clientes?|customers?)|(?:clients?|customers?) (?:existant|actuel|existing))(?![a-z])",
    re.I,
)


def _a_customer(reading: Reading, rule: EscalationRule, text: str) -> bool:
    """Whether the message is about an existing customer, not a lead ("le client Dupont (groupe
    de 15 000 salariés) menace de résilier"): a customer named, no lead word
    (:data:`_NAMES_A_LEAD`) and no lead situation read at POSSIBLE of ``rule``'s confidence."""
    folded = fold(text)
    return (
        bool(_CUSTOMER.search(folded))
        and not _NAMES_A_LEAD.search(folded)
        and not _about_a_lead(reading, rule, {})
    )


def evaluate(
    rules: list[EscalationRule],
    reading: Reading,
    text: str,
    facts: dict[str, Any],
    settled: bool = True,
) -> list[tuple[EscalationRule, str]]:
    """Rules that fire for a request and the facts computed by the specialists: [(rule, evidence)].

    A figure decides when the message states the one a rule's check reads (``measured``: a revenue
    impact over 10 %, a lead score over 80, a company over 1,000 employees, seed tables) in
    ``reading`` (graph.understanding.reading: what the brain read from ``text``); otherwise the
    situation the brain read decides (the offline model learned from the shared corpus, or Claude's
    reading tool): the rule fires when its probability reaches the rule's ``confidence``. ``facts``
    may hold ``lead_score`` (points), ``revenue_impact`` (%), ``planned_test`` (the
    experimentation specialist sized a test: no revenue moved yet), ``company_size`` (employees,
    the largest company of a shared leads file, with ``company_sizes``: [lead and size as
    shown, employees] of each lead), ``conversion_lift`` (an A/B readout's lift, %: see :func:`possible`),
    ``significant_loss`` (the readout's variant is significantly worse: a counter-intuitive result
    read just under its confidence is raised), ``situations``
    (rule id -> evidence: what a specialist read in a file's rows, a demo asked) and ``no_lead`` (a scoring model asked for, no lead described: no lead rule applies). Evidence quotes the value, or the clause the situation was read in. ``settled`` is False before a specialist has answered: a
    numeric rule then fires on a stated figure only, since the specialist may compute it (a lead
    described by title and company gets its score, which decides)."""
    fired = []
    for rule in rules:
        if rule.check == "revenue_impact_above" and (
            reading.compares_periods or _trend(text) or _nothing_done(text) or _goal_only(text)
        ):
            continue  # a report's week against the last, a year's growth, two segments compared
        if facts.get("revenue_impact") is None and _conversions_only(rule, reading, text):
            continue  # "conversions went up 18% (1,240 vs 1,050)": no revenue was said to move
        value, shown = measured(rule, reading, text, facts)
        if value is not None and rule.id in LEAD_SITUATIONS and _a_customer(reading, rule, text):
            continue  # "le client Dupont (groupe de 15 000 salariés) menace de résilier"
        if value is not None:
            # rounded: $7.70 against $7.00 is 10 % (float 10.000000000000009), not above 10 %
            if rule.threshold is not None and round(value, 9) > rule.threshold:
                fired.append((rule, shown))
            continue
        if rule.check and not settled and rule.check != "company_size_above":
            continue
        word = reading.first("company_size_word") if rule.check == "company_size_above" else None
        situation = reading.situations.get(rule.id)
        if rule.id in (
            facts.get("situations") or {}
        ):  # read by the specialist in a shared file's rows
            fired.append((rule, facts["situations"][rule.id]))
            continue
        if _hypothetical(rule, reading, facts) or _no_lead(rule, facts) or _held(rule, reading):
            continue
        if _costs_moved(rule, reading, text):
            continue
        if rule.id in LEAD_SITUATIONS and rule.id in denied_situations(text):
            continue  # "un compte qui n'a pas demandé de démo": the lead's criterion, negated
        if _unsupported(rule, situation, reading, text):
            continue
        if word and (
            word.value == "enterprise"
            or (word.value == "named" and _about_a_lead(reading, rule, facts))
        ):
            fired.append(
                (rule, f"« {word.evidence} »")
            )  # "campagne ABM grands comptes" is not about a lead
        elif situation and _read_clearly(rule, situation, reading, facts):
            fired.append((rule, f"« {situation.evidence} »"))
    return fired


# "create a welcome email series …", "peux-tu me préparer un plan …": a deliverable asked for
_MAKE = re.compile(
    r"^\W*(?:(?:hey|hi|salut|bonjour|yo)\W+)?(?:(?:can you|could you|peux-tu|tu peux|"
    r"pourrais-tu|please|stp)\s+)?(?:me\s+)?(?:create|plan|draft|build|set up|setup|write|design|"
    r"prepare|make|give me|propose|cree|creer|fais|faire|monte|redige|rediger|construis|"
    r"planifie|ecris)(?![a-z])"
)


def _criterion_named(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """Whether the lead's scoring criterion for ``rule``'s situation (prompts/lead_scoring.yaml)
    is named, even negated: "on le passe aux sales ?" names no demo, quote or pricing."""
    return rule.id not in unmet_situations(text)


def _size_stated(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """Whether a size word ("grand compte") or a large employer is read (employee counts decide
    through :func:`measured` before): "il bosse chez un concurrent direct" states no size."""
    return reading.first("company_size_word") is not None


def _workflow_named(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """Whether an automated send, sequence or workflow is named (AUTOMATION): "il menace de
    porter plainte … sa photo dans une pub" runs in none."""
    return bool(AUTOMATION.search(fold(text)))


def _activity_reported(rule: EscalationRule, reading: Reading, text: str) -> bool:
    """Whether the message does not open by asking for a deliverable ("create a welcome email
    series … with a 10% off code" is a plan to make, not an activity seen)."""
    return not _MAKE.search(fold(text))


# the cues a rule's ``needs`` rows name (graph.hierarchy.Support), each True when the message says it
CUES: dict[str, Callable[[EscalationRule, Reading, str], bool]] = {
    "criterion_named": _criterion_named,
    "size_stated": _size_stated,
    "workflow_named": _workflow_named,
    "activity_reported": _activity_reported,
}


def _unsupported(
    rule: EscalationRule, situation: Situation | None, reading: Reading, text: str
) -> bool:
    """Whether ``situation`` was read under the probability of one of ``rule``'s ``needs`` rows
    (prompts/escalations.yaml) in a message that does not say what that row's cue checks: the
    model alone does not raise it there, since the corpus's train messages with the situation
    say it. A situation read above every row's probability stands on the model alone."""
    return situation is not None and any(
        situation.probability < need.below and not CUES[need.cue](rule, reading, text)
        for need in rule.needs
    )


def _read_clearly(
    rule: EscalationRule, situation: Situation, reading: Reading, facts: dict[str, Any]
) -> bool:
    """Whether ``situation`` reaches ``rule``'s confidence, in a clause that names something and
    beside no near-certain situation it never comes with (graph.understanding.situations)."""
    return (
        situation.probability >= _confidence(rule, facts)
        and not names_nothing(situation.evidence)
        and not overshadowed(situation, reading.situations)
    )


def names_nothing(evidence: str, labels: bool = False) -> bool:
    """Whether a clause holds only figures, measure names and function words ("and on clicks:
    610 vs 655?"), or a list of three labelled figures or more ("visite fiche produit 48 000,
    ajout panier 5 300, …", with ``labels``: only to name a possible situation, since the labels
    of "même IP 3 200, emails jetables 900, …" say one): it names no situation, whatever a model
    trained on whole sentences reads in it."""
    parts = re.split(r"[,;:\n]", fold(evidence))
    labelled = [p for p in parts if _LABELLED.fullmatch(p)]
    if (
        labels and len(labelled) >= 3
    ):  # "visite fiche produit 48 000, ajout panier 5 300, …": labels of figures
        parts = [p for p in parts if p not in labelled]
    said = [w for w in re.findall(r"[a-z]+", " ".join(parts)) if len(w) > 1]
    return not [w for w in said if w not in _plain_words()]


# a list item that is a label and its figure ("ajout panier 5 300", "debut checkout 2 100")
_LABELLED = re.compile(r"\s*[a-z' -]{0,40}?\s*[$€£]?\d[\d\s.,]*\s*(?:k|%|€|[$£])?\s*\.?\s*")


@lru_cache(maxsize=1)
def _plain_words() -> frozenset[str]:
    """Words that name no situation: function words, the lexicon's measure names, its words of
    a test's arms ("versus", "groupe", "variante"), its channel names and the words that head a list of figures (REPORT_WORDS; built once:
    evaluate reads every rule of every turn)."""
    measured = {
        w for m in lexicon().measures.values() for phrase in m.words for w in phrase.split()
    }
    # "vs", and the words naming a test's arms ("groupe A", "version B", "holdout")
    versus = {w for forms in lexicon().arms.values() for phrase in forms for w in phrase.split()}
    # a channel's name says where figures come from ("… 290 conversions for meta"), no situation
    channels = {w for forms in lexicon().channels.values() for form in forms for w in form.split()}
    return frozenset(FUNCTION_WORDS | measured | versus | channels | REPORT_WORDS)


# words that head a list of figures ("monthly numbers: spend 8,000, …") and name nothing else
REPORT_WORDS = frozenset(
    "numbers figures stats statistics metrics kpi kpis chiffres recap bilan report rapport "
    "reporting dashboard funnel entonnoir".split()
)


def _confidence(rule: EscalationRule, facts: dict[str, Any]) -> float:
    """The probability a situation needs to raise ``rule``: its ``confidence``, or POSSIBLE of it
    for a counter-intuitive result the readout measured (``significant_loss``: the variant the
    team expected to win is significantly worse)."""
    confirmed = rule.id == "counter-intuitive" and facts.get("significant_loss")
    return rule.confidence * (POSSIBLE if confirmed else 1.0)


LEAD_SITUATIONS = ("enterprise-lead", "hot-lead", "demo-pricing-request")


def _about_a_lead(reading: Reading, rule: EscalationRule, facts: dict[str, Any]) -> bool:
    """True when the message reads as about a lead: the lead-scoring specialist scored one
    (``lead_score`` in ``facts``: "lead: CMO at Decathlon, …"), or one of the lead situations
    (LEAD_SITUATIONS) is read at POSSIBLE of ``rule``'s confidence or more; a large company named
    as an agency's client is not."""
    return facts.get("lead_score") is not None or any(
        (s := reading.situations.get(i)) and s.probability >= POSSIBLE * rule.confidence
        for i in LEAD_SITUATIONS
    )


def possible(
    rules: list[EscalationRule], reading: Reading, text: str, facts: dict[str, Any], skip: set[str]
) -> tuple[EscalationRule, str] | None:
    """The situation read with less than its rule's ``confidence`` but at least ``POSSIBLE`` of it
    (the closest to its threshold), with its evidence, for a rule not in ``skip`` (raised or
    declined in the thread) and not decided by a stated figure; None when there is none. The
    answer names it and lets the user escalate it (graph.nodes.escalation.confirm)."""
    best: tuple[float, EscalationRule, str] | None = None
    for rule in rules:
        situation = reading.situations.get(rule.id)
        if rule.id in skip or not situation or measured(rule, reading, text, facts)[0] is not None:
            continue
        if _hypothetical(rule, reading, facts) or _no_lead(rule, facts) or _small_lift(rule, facts):
            continue
        if rule.id in ("hot-lead", "enterprise-lead") and not _NAMES_A_LEAD.search(text):
            # "NPS : 310 promoteurs …", a campaign's audience "SaaS companies 50-500 employees":
            # no lead to call, however warm the words or large the companies
            continue
        if _nothing_moves(rule, reading, text):
            continue
        if rule.check == "revenue_impact_above" and (reading.compares_periods or _goal_only(text)):
            continue  # a report's period against another, a goal: no test or change to sign off
        if names_nothing(situation.evidence, labels=True):
            continue  # a clause of figures alone ("8", an ICE score) names no situation
        if rule.id == "workflow-complaint" and own_exits(situation.evidence):
            continue  # "on arrête si le client répond": a sequence's exit rule, no complaint
        share = situation.probability / rule.confidence
        if POSSIBLE <= share < 1 and (best is None or share > best[0]):
            best = (share, rule, f"« {situation.evidence} »")
    return (best[1], best[2]) if best else None
