"""Builders of the automation orchestrator's specialists (seeds/automation-orchestrator.md):
workflow-builder, lead-scoring, triggers-actions, multi-touch-sequences.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

from graph import data
from graph.calculators import lead_scoring as scoring_calc
from graph.deliverables import NON_OPENERS, builder, pipeline_line
from graph.formatting import date_text, money, num, pct, table
from graph.hierarchy import load_hierarchy
from graph.i18n import catalogue, items, t
from graph.text import fold, stems
from graph.understanding import Understanding, understand
from graph.understanding.binding import period_of
from graph.understanding.changes import changes
from graph.understanding.dates import NEXT_DAY, find_delays
from graph.understanding.describe import day_text, delay_text
from graph.understanding.followups import (
    DAY_REMOVE,
    ORDINALS,
    RANKED_ADD,
    RANKED_REMOVE,
    RANKED_SWAP,
    RANKED_TOUCH,
    SPACING,
)
from graph.understanding.lexicon import channel_group
from graph.understanding.slots import Slot
from graph.understanding.structures import own_exits, promotes_event

# seed automation-orchestrator.md, "Types de Workflows": the names; goals and steps are the labels (type.<id>)
WORKFLOW_TYPES = {
    "lead-nurturing": "Lead Nurturing",
    "onboarding": "Onboarding",
    "re-engagement": "Re-engagement",
    "upsell-cross-sell": "Upsell/Cross-sell",
    "event-based": "Event-based",
    "sales-handoff": "Sales Handoff",
}


def _user_trigger(request: Understanding) -> str | None:
    """The trigger as the user wrote it ("abandon de panier"), or None."""
    slot = request.first("trigger")
    return slot.evidence if slot else None


@builder("workflow-builder")
def workflow_builder(inputs, lang, request):
    kind = inputs["workflow_type"]
    name, goal, steps = (
        WORKFLOW_TYPES[kind],
        t(lang, f"workflow-builder.type.{kind}.goal"),
        items(lang, f"workflow-builder.type.{kind}.steps"),
    )
    delays = [s.value for s in request.all("delay")]
    segments = [s.value for s in request.all("segment")]
    if trigger := _user_trigger(request):
        steps[0] = trigger
    elif (
        segments
    ):  # "for webinar no-shows": entering the audience starts it, not the seed's download
        steps[0] = str(segments[0])
    others = [WORKFLOW_TYPES[k] for k in WORKFLOW_TYPES if k != kind][:2]
    values = {
        "type_label": name,
        "platform": inputs.get("platform") or t(lang, "workflow-builder.be_chosen"),
        "objective": goal,
        "audience": ", ".join(segments)
        if segments
        else t(lang, "workflow-builder.segment_before_automating"),
        "workflows": table(
            ["Workflow", "Type", t(lang, "workflow-builder.priority")],
            [[name, goal, t(lang, "workflow-builder.high")]]
            + [[o, o, t(lang, "workflow-builder.medium")] for o in others],
        ),
        "steps": " → ".join(_workflow_path(steps, delays, request, lang)),
        "method": t(lang, "workflow-builder.workflow_type_example_journey"),
    }
    return values, {}


@builder("lead-scoring")
def lead_scoring(inputs, lang, request):
    if inputs.get("files"):
        return _score_leads(data.lead_rows(inputs["files"][-1]), lang)
    changes = scoring_calc.criterion_changes(request.raw)  # "ajoute un critère webinar à +15"
    model = scoring_calc.load_model().adjusted(changes)
    grid = scoring_calc.user_grid(request.raw)
    if grid is not None:
        return _score_with_user_grid(grid, model, request, lang)
    if scoring_calc.criterion_changes(request.raw.split("\n")[-1]):  # the grid changed, no lead
        return _model_to_adapt(model, request, lang, changes)
    if len(leads := described_leads(request.asked, model)) >= 2:
        values, facts = _score_leads(leads, lang, "each_lead_message_read")
        # each lead's figures and titles are read for that lead's score
        said = " ".join(fold(lead.description) for lead in leads)
        values["_used"] = [s for s in request.slots if fold(s.evidence) in said]
        return values, facts
    stated = scoring_calc.stated_score(request.raw)
    points, hits = scoring_calc.score_lead(request.raw, model, request)
    # one job title alone is a person named, not a lead described ("le directeur commercial veut…")
    described = len(hits) > 1 or stated is not None or _ONE_LEAD.search(request.text)
    if _designing(request.text) or not described:  # no lead to score: the model to review
        return _model_to_adapt(model, request, lang)
    score = stated if stated is not None else points
    breakdown = (
        _stated_with_penalties(stated, hits, model, lang)
        if stated is not None
        else table(
            [t(lang, "lead-scoring.criterion"), t(lang, "lead-scoring.read_message"), "Points"],
            [
                [c.label(lang), t(lang, "formats.quote", text=found), f"{c.points:+d}"]
                for c, found in hits
            ],
        )
        if hits
        else t(lang, "lead-scoring.no_criterion_found_description")
    )
    status = model.status(score)
    next_step = _next_step(status, lang)
    if status != "SQL" and any(c.situation == "demo-pricing-request" for c, _ in hits):
        next_step = t(lang, "lead-scoring.asked_sales_now")  # a lead who asked is not nurtured
    values = {
        "score": f"{score} pts",
        "status": status,
        "mql": str(model.mql),
        "sql": str(model.sql),
        "breakdown": breakdown,
        "model": table(
            [t(lang, "lead-scoring.criterion"), "Points"],
            [[c.label(lang), f"{c.points:+d}"] for c in model.criteria],
        ),
        "next_step": next_step,
        "method": t(lang, "lead-scoring.sum_configured_model_s", mql=model.mql, sql=model.sql),
        # the lead's headcount and counts ("60 personnes", "3 times", "2 visites page tarifs", "a
        # ouvert 4 emails") were checked by the model's criteria, points or not
        "_used": request.all("company_size", "times", "count", "visitors", "clicks"),
    }
    facts: dict = {"lead_score": score}
    asked = {c.situation: f"« {found} »" for c, found in hits if c.situation}
    if asked:  # "a demandé un devis": the lead asked, whatever the situation model read
        facts["situations"] = asked
    return values, facts


def _stated_with_penalties(stated: int, hits, model: scoring_calc.ScoringModel, lang: str) -> str:
    """The score the message states ("a lead scored 91 in hubspot"), and the model's negative
    criteria read beside it ("a student email": Student -20) with the score and status once they
    count: a tool's score may leave them out. ``hits``: (criterion, words read) of the model."""
    line = t(lang, "lead-scoring.score_stated_message_stated", stated=stated)
    penalties = [(c, found) for c, found in hits if c.points < 0]
    if not penalties:
        return line
    score = stated + sum(c.points for c, _ in penalties)
    criteria = ", ".join(
        f"{c.label(lang)} ({t(lang, 'formats.quote', text=found)}, {c.points:+d})"
        for c, found in penalties
    )
    return (
        line
        + "\n"
        + t(
            lang,
            "lead-scoring.stated_penalties",
            criteria=criteria,
            score=score,
            status=model.status(score),
        )
    )


_DESIGN = re.compile(
    r"(?<![a-z])(?:grille|modele|model|bareme|framework|systeme|system|criteres|criteria)\b[^.?!]{0,25}scor"
    r"|scor\w*\s+(?:grid|model|modele|system|framework|criteria|criteres|matrix)"
    r"|(?<![a-z])(?:definir|define|build|creer|create|mettre en place|set up|construire|design)\b[^.?!]{0,40}scor"
    r"|(?<![a-z])(?:construi\w*|monte\w*|concevoir|build\w*|design\w*|defini\w*)\s+(?:la |une |notre |the |a |our )?"
    r"(?:grille|bareme|modele|model|grid)"
    r"|(?:besoin d'un|need an?|want an?|il faut un|on veut un)\s+(?:lead\s+)?scor"
    # "how should we score them?", "comment les scorer ?": the grid is asked, no lead given
    r"|(?<![a-z])(?:how (?:should|do|can|would|to) (?:we |i |you )?|comment (?:on )?(?:les |le )?)"
    r"(?:score|scorer|noter|prioriti[sz]e)\b"
)
_ONE_LEAD = re.compile(
    r"(?<![a-z])(?:ce|cette|this|le|the|un|une|a|nouveau|new|inbound)\s+(?:lead|prospect|contact)\b(?!\s*scor)"
    r"|(?:lead|prospect)\s*:"
    # a pointer to one person: "a lead score for this one", "le score de celui-ci"
    r"|(?<![a-z])(?:this|that) (?:one|guy|person|account|contact)\b|celui-(?:ci|la)|cette personne"
)


def _designing(folded: str) -> bool:
    """Whether the request asks for a scoring model ("aide-moi à définir une grille de lead
    scoring", "build a lead scoring model") rather than a lead's score: no lead is described."""
    return bool(_DESIGN.search(folded)) and not _ONE_LEAD.search(folded)


def _model_to_adapt(
    model: scoring_calc.ScoringModel, request, lang: str, changes: Sequence[tuple[str, int]] = ()
):
    """The configured scoring model as a starting grid for a team that asks for one, for the
    target it names ("IT teams in companies of 200-5000 employees"), with the criteria the thread
    changed (``changes``: [(label, points)], said back); no lead score, no lead facts."""
    target = ", ".join(s.value for s in request.slots if s.type == "segment")
    chained = pipeline_line(request, lang)
    changed = "; ".join(f"{label} {points:+d}" for label, points in changes)
    values = {
        "score": t(lang, "lead-scoring.no_lead"),
        "status": "—",
        "mql": str(model.mql),
        "sql": str(model.sql),
        "breakdown": t(
            lang,
            "lead-scoring.model_to_adapt",
            target=t(lang, "lead-scoring.for_target", target=target) if target else "",
        )
        + (" " + t(lang, "lead-scoring.grid_changed", changes=changed) if changes else ""),
        "model": table(
            [t(lang, "lead-scoring.criterion"), "Points"],
            [[c.label(lang), f"{c.points:+d}"] for c in model.criteria],
        ),
        "next_step": "\n".join(
            _qualification_rates(request, lang)
            + _qualification_drop(request, lang)
            + [t(lang, "lead-scoring.agree_thresholds_sales", mql=model.mql, sql=model.sql)]
            + _calibration(request, lang)
            + ([chained[0]] if chained else [])  # "ça fait combien de CA ?": the chain's revenue
        ),
        "_used": request.all("mqls", "sqls", "count") + (chained[1] if chained else []),
        "method": t(lang, "lead-scoring.sum_configured_model_s", mql=model.mql, sql=model.sql),
    }
    return values, {"no_lead": True}


def _calibration(request: Understanding, lang: str) -> list[str]:
    """How many leads a month the SQL threshold should let through, from the leads a month and
    the share that becomes SQL the team gave ("1 800 leads/mois, 9 % deviennent SQL": 162); []
    without both."""
    leads = request.first("leads", "conversions", "count")
    share = _sql_share(request)
    if leads is None or share is None:
        return []
    sqls = leads.value * share / 100
    return [
        t(
            lang,
            "lead-scoring.calibrate_sql",
            leads=num(leads.value, lang),
            share=num(share, lang, 1),
            sqls=num(sqls, lang),
        )
    ]


_STAGE = re.compile(r"(?<![a-z])(mqls?|sqls?)(?![a-z])")


# what a share of leads sales keeps is said to be: "are any good", "sont exploitables"
_GOOD = re.compile(
    r"\s*(?:of (?:them|those|these|the leads) |d'entre eux |des leads )?(?:are|is|sont|est)?\s*"
    r"(?:any |vraiment |really |actually )?(?:good|bons?|qualifi\w*|valables?|exploitables?|"
    r"worth (?:calling|it|a call)|sales[- ]ready)(?![a-z])"
)


def _sql_share(request: Understanding) -> float | None:
    """The share of leads (%) that becomes SQL: the rate the team gives ("9 % deviennent SQL"),
    or the rates of a chain multiplied ("8 % deviennent MQL et 25 % des MQL deviennent SQL":
    8 % × 25 % = 2 %), each rate's stage the last MQL or SQL named in the words after it, or the
    share sales call good ("only 3% are any good", "seuls 5 % sont exploitables"); None without a
    rate between 0 and 100 % or when the rates lead to MQLs only."""
    good = next(
        (
            s
            for s in request.slots
            if s.unit == "%" and 0 < s.value < 100 and _GOOD.match(request.text, s.end)
        ),
        None,
    )
    if good is not None:  # "sales says only 3% are any good": the share worth sales' time
        return float(good.value)
    share = 1.0
    rates = [s for s in request.all("rate", "conversion_rate") if 0 < s.value < 100]
    for rate in rates:
        share *= rate.value / 100
        stages = _STAGE.findall(request.text[rate.end : rate.end + 35])
        if not stages or stages[-1].startswith("sql"):
            return share * 100
    return None  # every rate leads to MQLs: no SQL share given


def _qualification_rates(request: Understanding, lang: str) -> list[str]:
    """The team's own qualification funnel ("1,200 MQLs last quarter, 310 SQLs, 74 deals won"):
    MQL → SQL (%), and SQL → won (%) with the won deals when a count follows; [] without both
    MQLs and SQLs. Definitions: MQL and SQL thresholds of the automation seed's Lead Scoring."""
    mqls, sqls = request.first("mqls"), request.first("sqls")
    if not (mqls and sqls and mqls.value):
        return []
    lines = [
        t(
            lang,
            "lead-scoring.mql_to_sql",
            mqls=num(mqls.value, lang),
            sqls=num(sqls.value, lang),
            rate=pct(sqls.value / mqls.value * 100, lang),
        )
    ]
    won = next(
        (s for s in request.all("closed_won", "customers", "count") if s.start > sqls.start), None
    )
    if won and sqls.value and won.value <= sqls.value:
        lines.append(
            t(
                lang,
                "lead-scoring.sql_to_won",
                won=num(won.value, lang),
                rate=pct(won.value / sqls.value * 100, lang),
                overall=pct(won.value / mqls.value * 100, lang),
            )
        )
    return lines


_QUALIFICATION = re.compile(r"\b(?:mql|sql|qualif\w*|accept\w*)\b")


def _qualification_drop(request: Understanding, lang: str) -> list[str]:
    """What to do when the share of leads sales accepts fell ("our MQL to SQL rate dropped from
    31% to 19%"): compare accepted and refused MQLs and raise the MQL threshold until the rate
    is back (seed automation, Lead Scoring: thresholds agreed with sales); [] without such a drop."""
    figures = [s for s in request.slots if isinstance(s.value, (int, float)) and s.unit == "%"]
    for move in changes(request.text, figures, {}):
        if _QUALIFICATION.search(move.subject) and move.after < move.before:
            before, after = (
                num(v, lang, 0 if v.is_integer() else 1) for v in (move.before, move.after)
            )
            return [t(lang, "lead-scoring.qualification_fell", before=before, after=after)]
    return []


def _next_step(status: str, lang: str) -> str:
    """What to do with a lead of ``status`` ('SQL', 'MQL' or 'lead')."""
    return {
        "SQL": t(lang, "lead-scoring.hand_off_sales_sales"),
        "MQL": t(lang, "lead-scoring.targeted_nurturing_sequence_until"),
        "lead": t(lang, "lead-scoring.educational_nurturing_rescore_on"),
    }[status]


def _score_with_user_grid(
    grid: scoring_calc.UserGrid, model: scoring_calc.ScoringModel, request: Understanding, lang: str
):
    """A lead scored with the grid and MQL threshold the user gave (the configured model's where
    they gave none), each rule that counted shown with why."""
    score, hits = scoring_calc.score_with_grid(grid)
    mql = grid.mql if grid.mql is not None else model.mql
    status = model.model_copy(update={"mql": mql, "sql": max(model.sql, mql)}).status(score)
    values = {
        "score": f"{score} pts",
        "status": status,
        "mql": str(mql),
        "sql": str(max(model.sql, mql)),
        "next_step": _next_step(status, lang),
        "breakdown": table(
            [t(lang, "lead-scoring.criterion"), t(lang, "lead-scoring.read_message"), "Points"],
            [[item.label, why, f"{points:+d}"] for item, points, why in hits],
        )
        if hits
        else t(lang, "lead-scoring.no_criterion_found_description"),
        "model": table(
            [t(lang, "lead-scoring.criterion"), "Points"],
            [
                [i.label, f"{i.points:+d}" + (f" (max {i.cap})" if i.cap else "")]
                for i in grid.items
            ],
        ),
        "method": t(
            lang,
            "deliverables.automation.user_grid_method",
            score=score,
            threshold=t(
                lang,
                "deliverables.automation."
                + ("user_grid_threshold" if grid.mql is not None else "model_threshold"),
                mql=mql,
            ),
        ),
        # the lead's title, headcount and counts were checked against the grid, points or not
        "_used": request.all("job_title", "company_size", "times", "count"),
    }
    facts: dict = {"lead_score": score}
    asked = {  # "asked for pricing": the lead asked, whatever the grid weighs it
        c.situation: f"« {found} »"
        for c, found in scoring_calc.score_lead(grid.lead, model)[1]
        if c.situation
    }
    if asked:
        facts["situations"] = asked
    return values, facts


# a lead's name opening its description: at the start, after a colon or a dash ("3 leads — Marie, …")
_LEAD_NAME = re.compile(r"(?:^|:\s*|\s[—–-]\s*)([A-ZÀ-Ý][\w'-]+)\s*(?:,|\()")


def described_leads(raw: str, model) -> list[data.LeadRow]:
    """The leads a message describes one after the other ("Marc, CEO d'une startup de 12
    personnes, a ouvert 2 emails. Claire, VP Sales chez un éditeur de 2 300 salariés, …"): each
    sentence that opens with a name and a comma and meets a criterion of ``model`` starts a lead;
    a later sentence without a name that meets one adds to it. Company size in employees and a
    demo, quote or pricing request come from the lead's own words; [] when no sentence opens a lead."""
    leads: list[data.LeadRow] = []
    for sentence in re.split(r"(?<=[.!?;])\s+", raw):
        hits = scoring_calc.score_lead(sentence, model)[1]
        named = _LEAD_NAME.search(sentence[:50])
        if not hits or not (named or leads):
            continue
        if named:
            leads.append(data.LeadRow(name=named.group(1), description=""))
        lead = leads[-1]
        lead.description = f"{lead.description} {sentence}".strip()
        asked = [found for c, found in hits if c.situation == "demo-pricing-request"]
        lead.asked = lead.asked or (asked[0] if asked else None)
    for lead in leads:  # read once each lead's words are all in
        size = understand(lead.description).first("company_size")
        lead.company_size = size.value if size else None
    return leads


def _score_leads(leads: list[data.LeadRow], lang: str, read: str = "each_row_file_read"):
    """Every lead of a shared file (or described in the message, ``read`` naming how for the
    method) scored with the configured model, hottest first. Facts for the escalation rules: the
    top score, the largest company (employees) and whose it is, and a demo, quote or pricing
    request a row states (``situations``: rule id -> evidence)."""
    model = scoring_calc.load_model()
    results = [(lead, *scoring_calc.score_lead(lead.description, model)) for lead in leads]
    for lead, _, hits in results:
        # "demande: devis": the row's own words ask, not only a yes column
        asked = [found for c, found in hits if c.situation == "demo-pricing-request"]
        lead.asked = lead.asked or (asked[0] if asked else None)
    scored = sorted(
        ((lead.name, points, hits) for lead, points, hits in results), key=lambda r: -r[1]
    )
    rows = [
        [
            name,
            f"{points} pts",
            model.status(points),
            ", ".join(c.label(lang) for c, _ in hits) or "—",
        ]
        for name, points, hits in scored
    ]
    top = scored[0][1]
    values = {
        "score": t(lang, "deliverables.automation.top_pts_max_scored", top=top, scored=len(scored)),
        "status": ", ".join(
            f"{s} {sum(model.status(p) == s for _, p, _ in scored)}" for s in ("SQL", "MQL", "lead")
        ),
        "mql": str(model.mql),
        "sql": str(model.sql),
        "breakdown": table(
            [
                "Lead",
                "Score",
                t(lang, "deliverables.automation.status"),
                t(lang, "deliverables.automation.criteria"),
            ],
            rows,
        ),
        "model": table(
            [t(lang, "deliverables.automation.criterion"), "Points"],
            [[c.label(lang), f"{c.points:+d}"] for c in model.criteria],
        ),
        "next_step": t(lang, "deliverables.automation.sql_hand_off_sales"),
        "method": t(lang, f"deliverables.automation.{read}", mql=model.mql, sql=model.sql),
    }
    return values, _file_facts(leads, top, lang)


def _file_facts(leads: list[data.LeadRow], top: float, lang: str) -> dict:
    """What a scored leads file tells the escalation rules: the top score, the largest company
    (employees) and every lead's size as said, largest first (``company_sizes``), and the rows
    that ask for a demo, a quote or pricing."""
    facts: dict = {"lead_score": top}
    sized = sorted(
        (lead for lead in leads if lead.company_size is not None),
        key=lambda lead: -(lead.company_size or 0),
    )
    if sized:
        facts["company_size"] = sized[0].company_size
        facts["company_sizes"] = [
            [
                t(
                    lang,
                    "deliverables.automation.lead_of_size",
                    name=lead.name,
                    size=num(lead.company_size or 0, lang),
                ),
                lead.company_size,
            ]
            for lead in sized
        ]
    asked = [f"{lead.name} : {lead.asked.replace('_', ' ')}" for lead in leads if lead.asked]
    if asked:
        facts["situations"] = {"demo-pricing-request": ", ".join(asked)}
    return facts


# Seed examples per trigger: the workflow type each belongs to; names and rules are the labels (trigger.<id>)
TRIGGERS = {
    "visite-pricing": "event-based",
    "abandon-panier": "event-based",
    "abandon-navigation": "event-based",
    "telechargement": "lead-nurturing",
    "inscription": "onboarding",
    "inactivite": "re-engagement",
    "formulaire": "event-based",
}


@builder("triggers-actions")
def triggers_actions(inputs, lang, request):
    kind, used = inputs["trigger"], []
    days = num(request.value("inactivity") or 30, lang)  # the seed's 30 days unless one is given
    trigger, rows = (
        t(lang, f"triggers-actions.trigger.{kind}.name").replace("{days}", days),
        [
            [cell.replace("{days}", days) for cell in row]
            for row in items(lang, f"triggers-actions.trigger.{kind}.rules")
        ],
    )
    label_ = _user_trigger(request) or trigger
    if own := _user_rules(request, label_, lang):  # the actions the user listed, in their words
        rows, used = _with_added_rules(own, request, label_, lang), request.all("delay")
    elif request.all("delay"):  # the delays the user gave replace the seed example's timing
        rows = _delay_rules(request, label_, lang)
    elif (asked := request.first("touches")) and int(asked.value) > len(rows):
        rows, used = _more_rules(rows, int(asked.value), kind, lang), [asked]  # "a 3-email flow"
    rules = table(
        [t(lang, "triggers-actions.if_condition"), t(lang, "triggers-actions.then_action")], rows
    )
    gain = rate_gain(request, lang)
    values = {
        "trigger_label": _user_trigger(request) or trigger,
        "workflow_type": WORKFLOW_TYPES[TRIGGERS[kind]],
        "rules": [rules, gain[0]] if gain else rules,
        "method": t(lang, "triggers-actions.trigger_condition_action_measure"),
        "_used": (gain[1] if gain else []) + used,
    }
    return values, {}


def _more_rules(rows: list[list[str]], count: int, kind: str, lang: str) -> list[list[str]]:
    """``rows`` (the seed example's [condition, action]) grown to the ``count`` messages asked:
    the trigger's next rules in the catalogue ('more'), then one more message of the series every
    two days after the last."""
    more = catalogue(lang).get(f"triggers-actions.trigger.{kind}.more") or []
    rows = (rows + [list(row) for row in more])[:count]
    for n in range(len(rows) + 1, count + 1):
        rows.append(
            [
                t(lang, "triggers-actions.no_action_yet", day=2 * n - 1),
                t(lang, "triggers-actions.message_n_series_if", n=n),
            ]
        )
    return rows


_PERIODS = {"j": "jour", "d": "day", "sem": "semaine", "wk": "week", "mo": "month"}
_FLOWS = ("count", "conversions", "visitors", "monthly_traffic")  # what enters a flow a period


def rate_gain(request: Understanding, lang: str) -> tuple[str, list[Slot]] | None:
    """What raising the rate of a flow is worth ("2 300 paniers abandonnés par semaine, taux de
    récupération actuel 6 %, panier moyen 84 €. combien on gagne si on passe à 10 % ?"): the
    conversions it adds per period, count × (target − current rate) / 100, and with a basket the
    revenue, that × the basket (currency), with the slots used; without a rate to reach, what
    the flow brings today and what each point of rate adds; None unless the count per period
    and the rate are given."""
    target = request.first("target_rate")
    rates = [s for s in request.slots if s.type in ("conversion_rate", "rate") and not s.arm]
    # "68 % d'abandon panier": who left, not a rate of the flow
    lost = [r for r in rates if _ABANDON.search(request.text[max(0, r.start - 20) : r.end + 15])]
    rates = [r for r in rates if r not in lost]
    basket = next((s for s in request.slots if s.type == "aov" and not s.arm), None)
    counts = (s for s in request.slots if s.type in _FLOWS)
    flow, period = next(((s, per) for s in counts if (per := period_of(request, s))), (None, None))
    if not (flow and period):
        return None
    if abandoned := _abandoned(request, lost, (flow, period), basket, lang):
        return abandoned
    if not rates:
        return None
    worth = basket.value if basket else None
    shown = {"period": _PERIODS.get(period, period)}
    key = "rate_today" if basket else "rate_today_count"
    if target and target.value > rates[0].value:
        extra = flow.value * (target.value - rates[0].value) / 100
        shown |= {"now": pct(rates[0].value, lang), "target": pct(target.value, lang)}
        shown |= {"extra": num(round(extra), lang), "revenue": _worth(extra, worth, request, lang)}
        key, used = key.replace("today", "gain"), [target, rates[0], flow]
    else:  # no rate to reach: today's, and a point's
        won = flow.value * rates[0].value / 100
        shown |= {"flow": num(flow.value, lang), "now": pct(rates[0].value, lang)}
        shown |= {"won": num(round(won), lang), "point": num(flow.value / 100, lang)}
        shown |= {"revenue": _worth(won, worth, request, lang)}
        shown |= {"point_revenue": _worth(flow.value / 100, worth, request, lang)}
        used = [rates[0], flow]
    return t(lang, f"triggers-actions.{key}", **shown), used + ([basket] if basket else [])


# "68 % d'abandon panier", "12% checkout abandonment", "taux d'abandon de 70 %": who left
_ABANDON = re.compile(r"(?<![a-z])(?:abandon\w*|drop-?offs?)(?![a-z])")


def _abandoned(
    request: Understanding, lost: list[Slot], flowing: tuple[Slot, str], basket, lang: str
):
    """Of the rates said as abandonment (``lost``: "68 % d'abandon panier", "12 % d'abandon au
    paiement"), the one of the flow's count per period (``flowing``: "3 000 paniers par mois",
    its noun named right after the rate): the abandoned count and what each recovered point is
    worth, with the ``basket`` when given, (sentence, slots used); None when none matches."""
    flow, period = flowing
    noun = fold(request.text[flow.end : flow.end + 20]).split()[:1]
    stem = noun[0][:5] if noun else ""
    rate = next((r for r in lost if stem and stem in request.text[r.end : r.end + 25]), None)
    if rate is None:
        return None
    gone = flow.value * rate.value / 100
    worth = basket.value if basket else None
    shown = {
        "flow": num(flow.value, lang),
        "rate": pct(rate.value, lang),
        "gone": num(round(gone), lang),
        "period": _PERIODS.get(period, period),
        "point": num(gone / 100, lang),
        "point_revenue": _worth(gone / 100, worth, request, lang),
    }
    key = "abandoned" if basket else "abandoned_count"
    return t(lang, f"triggers-actions.{key}", **shown), [rate, flow] + ([basket] if basket else [])


def _worth(conversions: float, basket: float | None, request: Understanding, lang: str) -> str:
    """``conversions`` × the ``basket`` in the request's currency, '' without a basket."""
    return money(conversions * basket, lang, request.currency) if basket else ""


def _with_added_rules(rules: list[list[str]], request: Understanding, trigger: str, lang: str):
    """The user's rules [[condition, action]] with the timed touches the request's later sentences
    add ("je veux ajouter un SMS à H+2"), all in order of the delay each names (a rule that names
    none comes right after the rule before it)."""
    later = " ".join(re.split(r"[.?!](?:\s|$)", request.raw)[1:])
    # "if score above 60 → SDR call at day 5": the delay is in the condition or the action
    timed, previous = [], 0.0
    for when, a in rules:  # a step with no delay of its own ("puis …") follows the one before it
        d = find_delays(fold(when)) or find_delays(fold(a), True)
        previous = d[0].days if d else previous
        timed.append((previous, [when, a]))
    timed += [
        (when, [f"{trigger} — {delay_text(when, lang)}", what or channel])
        for when, channel, what in _added(later, lang)
    ]
    return [row for _, row in sorted(timed, key=lambda pair: pair[0])]


def _delay_rules(request: Understanding, trigger: str, lang: str) -> list[list[str]]:
    """[[condition, action]], one per delay the request gives, in order of delay: the message
    named right before its delay ("un SMS à H+2", with "if the email was not opened" when the
    words after its delay say so) or the series' next message."""
    rows, n, last = [], 0, None
    for slot in sorted(request.all("delay"), key=lambda d: d.value):
        before = fold(request.raw[max(0, slot.start - 25) : slot.start])
        named = [name for word, name in _MESSAGE_CHANNELS if word in before]
        if not named and last and _ORDINAL.search(before):  # "1er mail à H+1, 2e à J+1": a mail
            named = [last]
        n += not named  # the series' emails are numbered apart from the touches named
        action = named[-1] if named else t(lang, "triggers-actions.message_n_series_if", n=n)
        last = named[-1] if named else last
        clause = re.split(r"[.;!?\n]|, ", request.raw[slot.end : slot.end + 60])[0]
        folded = fold(clause)
        if named and NON_OPENERS.search(folded):  # "un sms à J+2 pour ceux qui ont pas ouvert"
            action = t(lang, "triggers-actions.if_not_opened", action=action)
        elif named and _OFFER_WITH.match(folded):  # "2e à J+1 avec code -10%": its offer
            action = f"{action} {clause.strip()}"
        rows.append([f"{trigger} — {delay_text(slot.value, lang)}", action])
    return rows


_ORDINAL = re.compile(r"(?<![a-z0-9])\d+\s?(?:e|eme|er|nd|rd|th)\s*(?:a|at|on)?\s*$")
_OFFER_WITH = re.compile(
    r"\s*(?:avec|with)\s+(?:un |une |a |an |le |la |the )?(?:code|coupon|remise|offre|offer|discount|"
    r"promo\w*|livraison|free shipping)"
)


_PIECES = re.compile(
    r"\s*(?:[,;]|\bpuis\b|\bthen\b|\bensuite\b|\b(?:and|et)\b(?=\s+(?:send|alert|notify|create|"
    r"assign|add|call|envoie\w*|alerte\w*|notifie\w*|cree\w*|ajoute\w*|assigne\w*|appelle\w*)\b))\s*",
    re.IGNORECASE,
)  # "alert the AE and send a case study email 1 hour later": two actions
_CONDITION = re.compile(r"\b(?:si|s'il|s'ils|if|sans|without|unless|sauf)\b", re.IGNORECASE)
_LINKING = re.compile(
    r"^\s*(?:à|a|at|and|et)\s+|\s+(?:à|a|at|on|le|au)\s*$", re.IGNORECASE
)  # "email à" J+1, ", and alert the sales team", "a push notification on" day 3
_TIMING = re.compile(
    r"\b(?:[JD]\s?[+-]\s?\d+|[HT]\s?[+-]\s?\d+\s?h?"
    r"|(?:(?:à|a|after|après|apres|au bout de)\s+|au bout d['’])\d+\s?(?:more\s+|autres\s+)?"
    r"(?:h|heures?|hours?|min|j|jours?|days?)\b(?:\s+(?:de plus|supplémentaires?|more))?"
    r"|\d+\s?(?:h|heures?|hours?|min|minutes?|jours?|days?)\s+(?:later|plus tard|après|apres|after)"
    # "1h après l'abandon", "2 days after signup": what the delay counts from, no content
    r"(?:\s+(?:that|ça|ca|cela|(?:l'|le |la |les |the )?(?:abandon|inscription|signup|sign-up|"
    r"achat|purchase|commande|order|checkout|t[ée]l[ée]chargement|download|d[ée]mo|demo)\w*))?"
    rf"|\b{NEXT_DAY})",
    re.IGNORECASE,
)  # "1 hour later", "2 jours après", "4 days after that", "the next day": a timing too
# where the action starts after a leading condition ("if still inactive after 3 days notify the CSM")
# "puis sortie du flux", "then exit the flow": leaving the workflow is its last action
_ACTION_VERB = re.compile(
    r"\b(?:notify|alert|send|email|create|assign|move|add|remove|tag|flag|mark|call|ping|escalate|"
    r"hand|route|envoie\w*|signale\w*|marque\w*|bascule\w*|transf[eè]re\w*|"
    r"envoy\w*|previen\w*|prévien\w*|alerte\w*|notifie\w*|cree\w*|crée\w*|assigne\w*|passe\w*|"
    r"ajoute\w*|retire\w*|tague\w*|appelle\w*|exit\w*|stop\w*|sortie|sortir|sort|arr[eê]te\w*)\b",
    re.IGNORECASE,
)


def _user_rules(request: Understanding, trigger: str, lang: str) -> list[list[str]]:
    """[[condition, action]] of the actions the user listed after the trigger, in their own words:
    "email J+0, relance J+3 si pas d'ouverture, alerte commercial si clic sur tarifs" gives three
    rules (the timing and the "si …" part go to the condition; an action with neither after
    another, "puis sortie du flux", comes next). [] unless two actions or more are listed after
    the trigger's own clause."""
    slot = request.first("trigger")
    raw = request.asked
    start = raw.lower().find(slot.evidence.lower()) if slot else -1
    if start < 0:
        return []
    first, *rest = _PIECES.split(re.split(r"[.?!](?:\s|$)", raw[start:])[0])
    # "abandon de panier : email à 1h, …": what follows the colon is the first action
    pieces = [p.strip(" .?!") for p in ([first.split(":", 1)[1]] if ":" in first else []) + rest]
    # "abandons checkout with more than €200 in cart": a figure in the trigger's clause conditions all
    scope = first.split(":", 1)[0][len(slot.evidence) :].strip(" ,") if slot else ""
    scope = scope if re.search(r"\d", scope) else ""
    rules: list[list[str]] = []
    pending = ""
    for piece in filter(None, pieces):
        action, condition, timing = _action_of(piece)
        condition = " ".join(filter(None, (pending, condition)))
        if not action:  # "puis si pas d'achat 7 jours après, SMS de rappel": a condition alone
            pending = condition
            continue
        pending = ""
        if not (timing or _ACTION_VERB.search(action) or _ACTION_WORD.search(fold(action))):
            continue  # "on a 4 200 paniers abandonnés par mois": a fact, not an action
        if rules and not (timing or condition):
            timing = t(lang, "triggers-actions.next")
        when = " — ".join(x.strip() for x in (trigger, scope, timing, condition) if x)
        rules.append([when, action[0].upper() + action[1:]])
    return rules if len(rules) >= 2 else []


# what names an action besides its verb: a message, a channel, an offer, a task for the team
_ACTION_WORD = re.compile(
    r"(?<![a-z])(e-?mails?|mails?|sms|push|notification\w*|whatsapp|linkedin|appel\w*|call\w*|relance\w*|"
    r"rappel\w*|reminder\w*|code|coupon|offre|offer|remise|discount|tache|task|alerte?|courrier|"
    r"retargeting|in-app|message\w*)(?![a-z])"
)


def _action_of(piece: str) -> tuple[str, str, str]:
    """(action, condition, timing) of one listed action: "relance J+3 si pas d'ouverture" gives
    ('relance', "si pas d'ouverture", 'J+3'); a leading condition ends at the action's verb ("if
    still inactive after 3 more days notify the CSM"); the action is '' when the piece has none."""
    cut = _CONDITION.search(piece)
    action, condition = (piece[: cut.start()], piece[cut.start() :]) if cut else (piece, "")
    verb = _ACTION_VERB.search(condition) if cut and not action.strip() else None
    if verb:
        action, condition = condition[verb.start() :], condition[: verb.start()]
    timing = _TIMING.search(action)
    if timing:
        action = " ".join((action[: timing.start()] + " " + action[timing.end() :]).split())
    action = _WISH.sub("", _LINKING.sub("", action)).strip()
    return action, condition.strip(), timing.group(0) if timing else ""


_MESSAGE_CHANNELS = (
    ("sms", "SMS"),
    ("mail", "Email"),
    ("linkedin", "LinkedIn"),
    ("connection request", "LinkedIn"),  # "day 1 connection request": a LinkedIn touch
    ("demande de connexion", "LinkedIn"),
    ("inmail", "LinkedIn"),
    ("push", "Push"),
    ("whatsapp", "WhatsApp"),
    ("in-app", "In-app"),
    ("in app", "In-app"),
)


_COUNTED = re.compile(
    r"(?<![a-z0-9])(\d+|une?|deux|trois|quatre|cinq|one|two|three|four|five|an?)\s+"
    r"(e-?mails?|mails?|sms|push|linkedin|appels?|calls?|whatsapp)(?![a-z])"
)
_SMALL = {"un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "deux": 2, "two": 2, "trois": 3}
_SMALL |= {"three": 3, "quatre": 4, "four": 4, "cinq": 5, "five": 5}


def _channel_mix(request: Understanding, lang: str) -> list[str]:
    """The messages of a sequence counted by channel in one message of the thread ("plutôt 3
    emails et un SMS à la fin", "2 emails then a LinkedIn message"), one channel per message in
    the order written, the latest such message first; [] unless it counts two channels or more."""
    for line in reversed(request.raw.split("\n")):
        counted = _COUNTED.findall(fold(line))
        named = [
            (int(n) if n.isdigit() else _SMALL[n], _channel_name(word, lang)) for n, word in counted
        ]
        if len({name for _, name in named}) >= 2 and sum(n for n, _ in named) <= 12:
            return [name for n, name in named for _ in range(n)]
    return []


def _channel_name(word: str, lang: str) -> str:
    """A message's channel as the sequence table names it ("emails" -> Email, "appel" -> Appel)."""
    if word.startswith(("appel", "call")):
        return t(lang, "multi-touch-sequences.call")
    return next(name for key, name in _MESSAGE_CHANNELS if key in word)


def _sequence_channels(request: Understanding) -> list[str]:
    """The channels a sequence's messages go out on, in turn: what names its messages ("5 emails",
    "3 SMS"), else the channels the request's first message names, else email with LinkedIn
    every third message."""
    for slot in request.all("touches", "count", any_arm=True):
        after = request.text[slot.end : slot.end + 12]
        named = [name for word, name in _MESSAGE_CHANNELS if word in after.split(",")[0]]
        if named:
            return named[:1]
    asked = len(request.asked)  # a touch a follow-up adds keeps its own channel
    named = [
        name
        for c in request.all("channel")
        if c.start < asked
        for word, name in _MESSAGE_CHANNELS
        if word in str(c.value).lower()
    ]
    if not named and _EMAILS_ONLY.search(request.asked.lower()):
        return ["Email"]  # "séquence d'emails", "email sequence": no LinkedIn message added
    return list(dict.fromkeys(named)) or ["Email", "Email", "LinkedIn"]


_EMAILS_ONLY = re.compile(
    r"(?:sequence|séquence|serie|série|suite|drip)s? (?:de |d'|of )?(?:e-?mails?|courriels?)"
    r"|(?:e-?mail|courriel) (?:sequence|drip|series|cadence|flow)"
)


def _workflow_path(steps: list[str], delays: list, request: Understanding, lang: str) -> list[str]:
    """The workflow's path, TRIGGER → CONDITION → ACTION → … → MEASURE: the actions the user listed
    with their timing ("email de bienvenue J0, call de kickoff J+2") in their words, else the seed
    example's with a follow-up at each delay given."""
    head = ["TRIGGER: " + steps[0], "CONDITION"]
    if len(own := _touches_in(request.raw, lang)) >= 2:
        when = [day_text(d, lang) for d, _, _ in own]
        return (
            head
            + [f"{w} : {what}" for w, (_, _, what) in zip(when, own)]
            + [t(lang, "workflow-builder.measure")]
        )
    follow = [f"{delay_text(d, lang)} : {t(lang, 'workflow-builder.follow_up')}" for d in delays]
    return head + ["ACTION: " + steps[1], *follow, steps[2], t(lang, "workflow-builder.measure")]


_TOUCH_PIECES = re.compile(r"\s*(?:[,;:]|\bpuis\b|\bthen\b|\bensuite\b|\bet\b|\band\b)\s*", re.I)
_DAY_ZERO = re.compile(
    r"(?<![a-z0-9])(?:[jd]\s?0|day 0|jour 0|immediat\w*|immediately|right away|tout de suite|"
    r"(?:at|on|upon) sign-?up|(?:a|des) l'inscription)(?![0-9a-z])",
    re.I,
)
# "last call before trial end" is a final reminder, not a phone call
_SEQUENCE_SIZE = re.compile(
    r"(?<![a-z0-9])\d+[- ]?(?:(?:e-?)?mails?|courriels?|sms|messages?|touch(?:es)?|relances?)\b"
)
_CALL = re.compile(r"(?<![a-z])(?<!last )(?<!final )(appel\w*|call|phone|telephon\w*)(?![a-z])")


def _touches_in(raw: str, lang: str, schedule: bool = False) -> list[tuple[float, str, str]]:
    """[(delay in days, channel, what the message is, in the user's words)] of the touches the
    text ``raw`` lists with their timing ("relance email à J+3, appel commercial à J+7, dernière
    relance J+14"), in order of delay; a piece without its own timing is not a touch, except a
    message named before the first timed one: it opens the sequence at J0. ``schedule``: a
    single day number times its touch ("add a push notification on day 3")."""
    out: list[tuple[float, str, str]] = []
    # "offre J+7. tu me fais ça ?": the touch is the sentence its timing is in
    # a thread's messages are sentences of their own ("… day 5" then "add an SMS at day 7")
    pieces = [
        p for sentence in re.split(r"[.?!](?:\s|$)|\n", raw) for p in _TOUCH_PIECES.split(sentence)
    ]
    timed = find_delays(fold(raw))
    schedule = schedule or len(timed) > 1  # "email day 0, in-app tip day 2, …"
    # "un email de bienvenue avec -10 %, un rappel à J+3…": the first goes at J0, unless the
    # schedule has its own day 0 ("a 3-email welcome sequence: day 0, day 2, day 5")
    opening = not any(_DAY_ZERO.search(fold(p)) for p in pieces)
    for piece in pieces:
        folded = fold(piece)
        timing = find_delays(folded, schedule)
        first = opening and bool(timed) and bool(_MESSAGE_WORD.search(folded))
        opening = opening and not timing
        zero = _DAY_ZERO.search(folded)  # "4 emails à J0, J+3…": the count, then the first at J0
        if not timing and (not zero and (not first or _SEQUENCE_SIZE.search(folded))):
            continue  # "plan a 3-email welcome sequence": what the sequence is, not a touch
        if timing and (moved := _moved_touch(out, piece)) is not None:
            out[moved] = (timing[0].days, *out[moved][1:])  # "move the case study to day 5"
            continue
        said = [name for word, name in _MESSAGE_CHANNELS if word in folded]
        channel = (t(lang, "multi-touch-sequences.call") if _CALL.search(folded) else None) or (
            said[0] if said else "Email"
        )
        # "email à J+1 avec code": the timing goes with the word that led to it ("à", "at")
        untimed = _TIMED_AT.sub(" ", _TIMING.sub("\x00", piece))
        what = _ADD_VERB.sub("", _POLITE.sub("", _DAY_ZERO.sub("", untimed)))
        what = _WISH.sub("", what.strip())
        for delay in timing:  # "1h / 24h / 72h": one touch at each; "J3 tuto" is a tutorial
            # "sales call task at day 7": the word that led to the timing goes with it
            said_at = r"(?:\s(?:à|a|at|on|au|by|le))?\s*" + re.escape(delay.text)
            what = re.sub(said_at, "", what, flags=re.I)
        what = " ".join(_LINKING.sub("", what).split()).strip(" .?!/,")
        # "J+10 après l'envoi du devis", "emails on day 1": no content of its own
        what = "" if _ANCHOR.fullmatch(fold(what)) or _BARE_TOUCH.fullmatch(fold(what)) else what
        # "3 emails à 1h / 24h / 72h": the count names the messages, not what they say
        what = channel if re.fullmatch(r"\d+\s+\S+", what) else what[:1].upper() + what[1:]
        what = what or channel
        last = out[-1][0] if out else 0.0  # "a case study 3 days later": after the touch before
        out += [(d.days + last * d.after_previous, channel, what) for d in timing] or [
            (0.0, channel, what)
        ]
    return sorted(out, key=lambda touch: touch[0])


# "après l'envoi du devis", "after signup": what the delays count from (the trigger), no content
_ANCHOR = re.compile(r"(?:apres|after|suite a|following|des|from)\s+(?:[\w']+\s+){0,3}[\w']+")
_BARE_TOUCH = re.compile(  # "emails", "le premier", "the second one": which touch, not what it says
    r"(?:des |les |the |le |la )?(?:(?:e-?mails?|mails?|messages?|relances?|sms|touches?)|"
    r"(?:premier|premiere|first|deuxieme|second|troisieme|third|suivant|next)"
    r"(?: one| e-?mail| mail| message| relance)?)"
)
_TIMED_AT = re.compile(r"(?:\s(?:à|a|at|on|au|by|le))?\s*\x00", re.I)
_MOVE_VERB = re.compile(
    r"^(?:.{0,20}?\b(?:can you|could you|please|peux-tu|tu peux|on)\s+)?"
    r"(?:move|shift|push|put|reschedule|d[ée]cal\w*|d[ée]plac\w*|met[st]?|avance\w*|recul\w*)\s+",
    re.I,
)


def _content(what: str) -> set[str]:
    """The stems that tell a touch's message apart ("case study"): no short word, no number."""
    return {w for w in stems(what) if len(w) > 2 and not w[0].isdigit()}


def _names_touch(item: str, touch: tuple[float, str, str]) -> bool:
    """Whether a removed item names a listed touch: its channel ("SMS" from "enlève le sms") or
    every content word of its message ("case study")."""
    said = set(stems(item))
    channel = {w for w in stems(touch[1]) if len(w) > 1}
    words = _content(touch[2])
    return bool(channel and channel <= said) or bool(words and words <= said)


def _moved_touch(touches: list[tuple[float, str, str]], piece: str) -> int | None:
    """The index of the listed touch a later sentence moves ("move the case study to day 5",
    "décale le tuto à J+2"): a moving verb and every content word of one touch's message, else
    None (the sentence adds or lists a touch)."""
    if not _MOVE_VERB.match(piece):
        return None
    said = set(stems(piece))
    for i, (_, _, what) in enumerate(touches):
        if (words := _content(what)) and words <= said:
            return i
    return None


# "on veut lui envoyer un sms": the action is "envoyer un sms"
_WISH = re.compile(
    r"^\s*(?:je veux|on veut|je voudrais|on voudrait|j'aimerais|il faut|i want|we want|we need)"
    r"(?:\s+(?:lui|leur|to))?\s+",
    re.I,
)
_MESSAGE_WORD = re.compile(r"(?<![a-z])(e-?mails?|mails?|sms|push|message|notification)(?![a-z])")
_POLITE = re.compile(r"(?<![a-z])(?:stp|svp|pls|please|merci|thanks)(?![a-z])", re.I)
_ADD_VERB = re.compile(
    r"^(?:.{0,30}?\b(?:veux|voudrais|want to|peux|pourrais|can you|could you|please|stp)\s+)?"
    r"(?:ajoute\w*|rajoute\w*|add|insert\w*|insère)\s+(?:un |une |a |an )?",
    re.I,
)


def _added(later: str, lang: str) -> list[tuple[float, str, str]]:
    """[(day, channel, content)] of the timed touches the text ``later`` adds ("ajoute un SMS à
    J+10", "je veux ajouter un SMS à H+2"): a timed touch that an adding verb starts."""
    pieces = [p.strip() for s in re.split(r"[.?!](?:\s|$)", later) for p in _TOUCH_PIECES.split(s)]
    return [touch for p in pieces if _ADD_VERB.match(p) for touch in _touches_in(p, lang, True)]


def _with_added(
    touches: list[tuple[float, str, str]], later: str, lang: str
) -> list[tuple[float, str, str]]:
    """The sequence's ``touches`` [(day, channel, content)] with the timed touches the thread's
    later messages add (``later``: their text), each at its day."""
    timed = sorted(touches + _added(later, lang), key=lambda touch: touch[0])
    return _ranked_removed(_swapped(_ranked_added(timed, later, lang), later), later)


def _ranked_added(
    touches: list[tuple[float, str, str]], later: str, lang: str
) -> list[tuple[float, str, str]]:
    """``touches`` [(day, channel, content)] with each touch a later message places by rank
    ("ajoute un sms entre le 2e et le 3e email", "add a call after the last email"): on the day
    halfway between the touch it follows and the next one (2 days after the last touch); the
    ranks count the touches of the kind named, or every touch for "message" / "relance"."""
    for add in RANKED_ADD.finditer(fold(later)):
        i = _ranked_touch(touches, add["what"], add.group(2) or add.group(4))
        if i is None:
            continue
        after = touches[i][0]
        day = (after + touches[i + 1][0]) / 2 if i + 1 < len(touches) else after + 2
        channel = _touch_channel(add["new"], lang)
        touches.insert(i + 1, (float(round(day)), channel, channel))
    return touches


def _touch_channel(said: str, lang: str | None) -> str:
    """The channel a message names for a touch ("un sms" → 'SMS'; "a call" → the call in
    ``lang``, unless None), else its words, capitalised ("Appel commercial")."""
    named = [name for word, name in _MESSAGE_CHANNELS if word in said]
    if lang and _CALL.search(said):
        return t(lang, "multi-touch-sequences.call")
    return named[0] if named else said.strip().capitalize()


def _swapped(touches: list[tuple[float, str, str]], later: str) -> list[tuple[float, str, str]]:
    """``touches`` [(day, channel, content)] with the channel of the one a later message swaps by
    its rank ("remplace le 2e email par un appel", "remplace l'email 3 par un SMS": that email
    becomes a call, same day and content); a rank counts that channel's touches, or every touch
    for "message" / "relance"."""
    for swap in RANKED_SWAP.finditer(fold(later)):
        i = _ranked_touch(touches, swap["what"] or swap["kind"], swap.group(1) or swap["n"])
        if i is not None:
            day, channel, content = touches[i]
            new = _touch_channel(swap["new"], None)  # "par un appel commercial": as written
            # a touch named by its channel alone stays so, for its theme
            touches[i] = (day, new, new if content == channel else content)
    return touches


def _ranked_removed(
    touches: list[tuple[float, str, str]], later: str
) -> list[tuple[float, str, str]]:
    """``touches`` [(day, channel, content)] without the one a later message removes by its rank
    ("remove the 3rd email", "supprime l'email 3") or its delay ("drop the day 5 one": every
    touch on that day); the others keep their days."""
    for drop in RANKED_REMOVE.finditer(fold(later)):
        i = _ranked_touch(touches, drop["what"] or drop["kind"], drop.group(1) or drop["n"])
        if i is not None:
            touches = touches[:i] + touches[i + 1 :]
    for drop in DAY_REMOVE.finditer(fold(later)):
        touches = [touch for touch in touches if touch[0] != float(drop["day"])]
    return touches


def _ranked_touch(touches: list[tuple[float, str, str]], what: str | None, rank: str) -> int | None:
    """The index in ``touches`` [(day, channel, content)] of the touch a message names by its rank
    ("le 2e email", "the last message": ``rank`` a key of ORDINALS): the rank counts the touches
    of the channel ``what`` names (email, SMS, push), every touch for "message" / "relance" or
    none said; None when there are fewer."""
    what = (what or "message").replace("-", "").replace("email", "mail")
    kind = next((c for c in ("mail", "sms", "push") if what.startswith(c)), None)
    ranked = [
        i
        for i, (_, channel, _) in enumerate(touches)
        if kind is None or kind in fold(channel).replace("-", "")
    ]
    n = ORDINALS[rank]
    return ranked[n - 1 if n > 0 else -1] if ranked and n <= len(ranked) else None


def _sequence_table(rows: list[list[str]], lang: str, dated: bool = False):
    """The sequence's table: step, delay, channel and content of each message (and its date
    before the content when ``dated``)."""
    headings = (
        ("step", "delay", "date", "channel", "content")
        if dated
        else ("step", "delay", "channel", "content")
    )
    return table([t(lang, f"multi-touch-sequences.{h}") for h in headings], rows)


def _respaced(touches: list[tuple[float, str, str]], raw: str) -> list[tuple[float, str, str]]:
    """``touches`` (delay in days, channel, message) with the spacing a later message of the thread
    sets ("make it 5 days between emails instead") applied to the touches of the channel it names
    (every touch when it names none): the first keeps its delay, each next one comes that many
    days later; the other touches keep theirs. Unchanged without such a message."""
    *earlier, last = raw.split("\n")
    spacing = SPACING.search(fold(last)) if earlier else None
    if not spacing:
        return touches
    gap = float(spacing[1] or spacing[2])
    named = [name for word, name in _MESSAGE_CHANNELS if word in fold(last)]
    picked = [i for i, (_, channel, _) in enumerate(touches) if not named or channel in named]
    out = list(touches)
    for k, i in enumerate(picked):
        out[i] = (touches[picked[0]][0] + k * gap, touches[i][1], touches[i][2])
    return sorted(out, key=lambda touch: touch[0])


def _listed_sequence(touches: list[tuple[float, str, str]], lang: str, request: Understanding):
    """The deliverable of a sequence the user listed touch by touch: their delays, channels and
    messages kept as given; the duration runs from the first touch to the last. Around an event
    with dates ("salon du 12 au 15 juin", "J-21 … J+7"), each touch gets its date: days before
    count from the event's first day, days after from its last."""
    first, last = min(touches[0][0], 0.0), touches[-1][0]
    start, end = request.first("start_date", "date"), request.first("end_date")
    rows = []
    for i, (when, channel, what) in enumerate(touches, 1):
        row = [str(i), day_text(when, lang)]
        if start is not None:
            anchor = end if when > 0 and end is not None else start
            row.append(date_text(date.fromisoformat(anchor.value) + timedelta(days=when), lang))
        rows.append(row + [channel, what])
    values = {
        "touches": str(len(touches)),
        "duration": t(lang, "multi-touch-sequences.days_days", days=num(last - first, lang)),
        "interval": t(
            lang,
            "multi-touch-sequences.interval_days",
            interval=num((last - first) / max(len(touches) - 1, 1), lang, 1),
        ),
        "sequence_table": _sequence_table(rows, lang, start is not None),
        "method": t(lang, "multi-touch-sequences.delays_given_request_d0"),
        # the touches' dates count from them; a delay moved in the thread was the touch's first day
        "_used": [s for s in (start, end) if s is not None] + request.all("delay"),
    }
    return values, {}


EVENT_INVITES_DAYS = 14  # invitations to an event with no length said: the two weeks before it


def _event_invites(inputs: dict, lang: str, request: Understanding) -> dict | None:
    """The invitations to an event on the date the request gives ("webinar on March 12, I need
    an email invite sequence, 3 emails max") when it times nothing else: the messages spread over
    the EVENT_INVITES_DAYS days before the event, the last one the day before, each dated; None
    otherwise."""
    event = inputs.get("event_date")
    if not event or "duration_days" in inputs or inputs.get("interval_days"):
        return None
    if request.all("delay") or not promotes_event(request.text):
        return None
    touches, days = max(2, int(inputs["touches"])), EVENT_INVITES_DAYS
    day = date.fromisoformat(str(event))
    invites = items(lang, "multi-touch-sequences.invites")
    channels = [c for c in _sequence_channels(request) if channel_group(c) != "events"] or ["Email"]
    rows = []
    for i in range(touches):
        when = -days + math.floor(i * (days - 1) / (touches - 1) + 0.5)
        theme = invites[0] if i == 0 else invites[-1] if i == touches - 1 else invites[1]
        moment = date_text(day + timedelta(days=when), lang)
        rows.append([str(i + 1), day_text(when, lang), moment, channels[i % len(channels)], theme])
    shown = {"days": days, "event": date_text(day, lang)}
    listed = request.first("list_size", "count")  # "list is 18k": who the invitations go to
    method = t(lang, "multi-touch-sequences.event_method", **shown) + (
        t(lang, "multi-touch-sequences.event_list", size=num(listed.value, lang)) if listed else ""
    )
    attendance = _attendance(request, lang)  # "300 registrations, show rate 35%": who comes
    return {
        **({"goal": attendance[0]} if attendance else {}),
        "touches": str(touches),
        "duration": t(lang, "multi-touch-sequences.days_days", days=days - 1),
        "interval": t(
            lang,
            "multi-touch-sequences.interval_days",
            interval=num((days - 1) / (touches - 1), lang, 1),
        ),
        "sequence_table": _sequence_table(rows, lang, True),
        "method": method,
        "_used": request.all("start_date")
        + ([listed] if listed else [])
        + (attendance[1] if attendance else []),
    }


_SHOW = re.compile(
    r"(?<![a-z])(?:show\w*|attend\w*|presen\w*|participation|participants?|venus?|en direct)(?![a-z])"
)


def _attendance(request: Understanding, lang: str) -> tuple[str, list[Slot]] | None:
    """The attendees an event's registration goal gives at the show rate the request names ("300
    registrations, show rate usually 35%": about 105 live), with the two slots; None without a
    count and a rate said of attendance."""
    rate = next(
        (
            s
            for s in request.all("conversion_rate", "rate", "target_rate", any_arm=True)
            if _SHOW.search(request.text[max(0, s.start - 40) : s.end + 25])
        ),
        None,
    )
    count = next(iter(request.all("signups", "conversions", "leads", "count", any_arm=True)), None)
    if rate is None or count is None or not 0 < rate.value < 100:
        return None
    shown = {
        "registrations": num(count.value, lang),
        "rate": pct(rate.value, lang, 0),
        "attendees": num(count.value * rate.value / 100, lang),
    }
    return t(lang, "multi-touch-sequences.attendance", **shown), [count, rate]


@builder("multi-touch-sequences")
def multi_touch_sequences(inputs, lang, request):
    if "touches" not in inputs:  # an event's invitations: the count is not asked, the default holds
        inputs = {**inputs, "touches": _sequence_default("touches")}
    invites = _event_invites(inputs, lang, request)
    values, facts = (invites, {}) if invites else _sequence(inputs, lang, request)
    # "for trial users (14-day trial)": who the sequence is for, as the user named them, and
    # who enters it ("clients inactifs depuis 90 jours")
    audience = [str(s.value) for s in request.all("segment")]
    if inactive := request.first("inactivity"):
        audience.append(
            t(lang, "multi-touch-sequences.entry_inactive", days=num(inactive.value, lang))
        )
        values["_used"] = values.get("_used", []) + [inactive]
    exits = "".join(
        t(lang, "multi-touch-sequences.own_exit", condition=c) + "\n"
        for c in own_exits(request.raw)
    )
    # an event's goal ("goal is 400 registrations") is the campaign's, no contact's exit
    if goal := None if invites else stated_goal(request.raw):
        exits = t(lang, "multi-touch-sequences.goal_exit", goal=goal) + "\n" + exits
    # a welcome series ends at the first order (seed: Achat → Recommandations), a cart reminder
    # at the order, a win-back at the customer's return, not with sales
    converted = {"welcome": "order_exit", "cart": "cart_exit", "winback": "winback_exit"}.get(
        inputs.get("purpose"), "registered_exit" if invites else "handoff_exit"
    )
    # the goal said ends a welcome series or a cart reminder ("goal first class booking")
    if goal and converted != "handoff_exit":
        converted_exit, exits = "", exits.rstrip("\n")
    else:
        converted_exit = t(lang, f"multi-touch-sequences.{converted}")
    return values | {
        "audience": ", ".join(audience),
        "exits": exits,
        "converted_exit": converted_exit,
    }, facts


# "goal is activation (connect their first integration)", "objectif : la première commande"
_GOAL = re.compile(
    r"(?i)\b(?:goal|objective|aim|objectif|le but)\s*(?:is|est|:|=|-|(?=[a-z]))\s*(?:to\s+|de\s+)?"
    r"([^,.;!?\n]{3,60}?(?:\([^)]{2,60}\))?)(?=\s*(?:[,.;!?\n]|$|\bdraft|\bcan|\btu\b))"
)


def stated_goal(raw: str) -> str | None:
    """What the user says the sequence is for ("goal is activation (connect their first
    integration)"), as written; None when they say none. Reaching it ends the sequence."""
    found = _GOAL.search(raw)
    return found[1].strip() if found else None


# "last one with a 15% code", "un code promo de 10 % dans le dernier email": the offer a touch makes
_OFFER = re.compile(r"(?:codes?|coupons?|discount|remise|reduction|promo|offre|offer|bon)\D{0,20}$")
_OFFER_AFTER = re.compile(r"\s*(?:off|de reduction|de remise|discount|code|coupon|promo)(?![a-z])")


# "offer free first class on email 2", "livraison offerte dans le 3e email": an offer in words
_WORDED_OFFER = re.compile(
    r"(?<![a-z])(?:(?:offer|offre)\s*:?\s*)?(?P<offer>(?:free|gratuit\w*)(?:\s+(?!on\b|in\b|at\b|with\b|dans\b|"
    r"au\b|sur\b|avec\b)[a-z][\w-]*){1,3}|(?:[a-z][\w-]*\s+){1,3}(?:offert\w*|gratuit\w*))"
    r"(?=\s+(?:on|in|at|with|dans|au|sur|avec|a|en)\s)"
)
# "… on email 2", "… dans le mail n°3": the touch an offer goes to, by its number after its channel
_NUMBERED_TOUCH = re.compile(
    r"\s*(?:on|in|at|dans|au|sur|en|for|pour|a)?\s*(?:the\s+|le\s+|l')?"
    r"(?:e-?mails?|mails?|messages?|sms|push)\s*(?:#|n°|no\.?)?\s*(\d)(?!\d)"
)


def _offered(planned: list, request: Understanding, lang: str) -> tuple[list, list]:
    """``planned`` (day, channel, content) with the offer the user gives a touch as its content:
    the touch named by its rank just before the offer ("le 2e email avec un code de 10 %") or by
    its number right after it ("free first class on email 2"), else the last, where an offer
    closes a sequence ("last one with a 15% code"); with the slot of that offer; (planned, [])
    when the request names none."""
    text = request.text
    for s in request.all("discount", "rate", "change", any_arm=True):
        before, after = text[max(0, s.start - 30) : s.start], text[s.end : s.end + 20]
        if s.unit == "%" and (
            s.type == "discount" or _OFFER.search(before) or _OFFER_AFTER.match(after)
        ):
            offer = t(lang, "multi-touch-sequences.offer_code", value=num(abs(s.value), lang, 0))
            at = _offer_touch(planned, text, s.start, s.end, fold(s.evidence).lstrip("+-−"))
            return _with_content(planned, at, offer), [s]
    if worded := _WORDED_OFFER.search(text):
        offer = t(lang, "multi-touch-sequences.offer_named", offer=worded["offer"])
        at = _offer_touch(planned, text, worded.start(), worded.end(), worded["offer"])
        return _with_content(planned, at, offer), []
    return planned, []


def _with_content(planned: list, at: int, content: str) -> list:
    """``planned`` [(day, channel, content)] with touch ``at`` saying ``content`` instead."""
    when, channel, _ = planned[at]
    return planned[:at] + [(when, channel, content)] + planned[at + 1 :]


def _offer_touch(planned: list, text: str, start: int, end: int, said: str) -> int:
    """The index in ``planned`` of the touch the offer read at ``text[start:end]`` goes to: the
    touch whose content says it ("email à J+1 avec code -10 %"), else the one its number names
    right after it ("… on email 2") or its rank ("a 10% off code in the second one"), else the
    rank nearest before it in its sentence ("5 emails, first one … with a 25% code"), else the
    last."""
    sentence = re.split(r"[.;!?\n]", text[max(0, start - 60) : start])[-1]
    ranked = RANKED_TOUCH.search(re.split(r"[.;!?\n]", text[end : end + 40])[0]) or next(
        reversed(list(RANKED_TOUCH.finditer(sentence))), None
    )
    numbered = _NUMBERED_TOUCH.match(text, end)
    rank = int(numbered[1]) if numbered else ORDINALS[ranked[1]] if ranked else -1
    at = len(planned) - 1 if rank == -1 else min(max(rank, 1), len(planned)) - 1
    return next((i for i, touch in enumerate(planned) if said in fold(touch[2])), at)


def _theme(contents: list[str], i: int, touches: int) -> str:
    """The theme of message ``i`` of ``touches``: the seed's themes come round again, the last
    message closes."""
    return contents[-1] if i == touches - 1 else contents[i % (len(contents) - 1)]


def _themed(touches: list, contents: list[str]) -> list:
    """``touches`` [(day, channel, content)] where a touch named by its channel alone ("3 emails:
    day 0, day 2, day 7", "ajoute un SMS à J+6") takes the theme of its place (:func:`_theme`)."""
    return [
        (when, channel, _theme(contents, i, len(touches)) if what == channel else what)
        for i, (when, channel, what) in enumerate(touches)
    ]


_FOR_WHOM = re.compile(r"^(?:pour|for)\s+(?:les?\s+|la\s+|l'|the\s+|our\s+|nos\s+)?")


def _own_sequence(own: list, contents: list[str], lang: str, request: Understanding):
    """The sequence of the touches the user listed (``own``: (day, channel, content)), with the
    thread's touches added, swapped, removed or respaced; a touch named by its channel alone ("3 emails:
    day 0, day 2, day 7") takes the seed's theme (``contents``), and the offer given its touch."""
    later = request.later  # "add a call after the 2nd email"
    # "J0, J+3 et J+7 pour les nouveaux inscrits": who the sequence is for, not the last touch's theme
    segments = {fold(str(s.value)) for s in request.all("segment")}
    own = [
        (day, channel, channel if _FOR_WHOM.sub("", fold(what)) in segments else what)
        for day, channel, what in own
    ]
    respaced = _respaced(own, request.raw)
    listed = _ranked_removed(_swapped(_ranked_added(respaced, later, lang), later), later)
    listed, offer = _offered(_themed(listed, contents), request, lang)
    values, facts = _listed_sequence(listed, lang, request)
    return values | {"_used": values["_used"] + offer}, facts


def _touch_days(
    touches: int, interval: float, delays: list[float], every, start: float = 0.0
) -> list[float]:
    """The day (float, 0 = the trigger) of each of ``touches`` messages: the user's ``delays``
    (days, sorted) when they time every message (the first at D0), else the first messages at
    the delays and the rest ``every`` days apart ("first one 1h after the webinar, then every 2
    days": 1 h, D+2, D+4, D+6), else evenly ``interval`` days apart from day ``start``."""
    if len(delays) + 1 >= touches:
        return ([0.0] + delays)[:touches]
    if delays and every:
        first = round(delays[-1])
        later = [first + k * float(every) for k in range(1, touches - len(delays) + 1)]
        return delays + later
    return [float(round(start + i * interval)) for i in range(touches)]


# "3 relances, la première à J+2", "the first one 2 days after": the first message's day only
_FIRST_AT = re.compile(
    r"(?<![a-z])(?:premi\w*|first|1st|1er|1re)(?:\s+[a-z]+){0,2}\s*"
    r"(?:a|at|on|after|apres|au bout de|dans|in|:)?\s*$"
)


def _first_day(request: Understanding, touches: int, every, days: int) -> tuple[float, int] | None:
    """(the first message's day, the sequence's length in days) when the one delay given is the
    first message's ("3 relances, la première à J+2"): the messages then run from that day to
    the duration asked, else to the default duration (the delay is not the sequence's length);
    None otherwise."""
    delays = request.all("delay")
    if len(delays) != 1 or touches <= 2 or every:
        return None
    first = delays[0]
    if not _FIRST_AT.search(fold(request.text[max(0, first.start - 30) : first.start])):
        return None
    if days <= first.value:  # the duration was read from that delay
        days = int(_sequence_default("duration_days"))
    return float(first.value), days


def _sequence_default(name: str):
    """The default of the multi-touch-sequences input ``name``
    (prompts/specialists/multi-touch-sequences.yaml)."""
    spec = load_hierarchy().nodes["multi-touch-sequences"].inputs
    return next(s.default for s in spec if s.name == name)


def _sequence_method(inputs: dict, timed: bool, start: float, days: int, lang: str) -> str:
    """How the sequence's days were set: the user's delays (``timed``), the first message's day
    asked then even spacing to day ``days`` (``start`` > 0), the interval asked, or even spacing
    over the duration."""
    every = inputs.get("interval_days")
    if timed:
        return t(lang, "multi-touch-sequences.delays_given_request_d0")
    if start:
        end = day_text(days, lang)
        return t(
            lang, "multi-touch-sequences.first_then_spread", start=day_text(start, lang), end=end
        )
    if every and "duration_days" not in inputs:
        shown = num(float(every), lang, 0 if float(every).is_integer() else 1)
        return t(lang, "multi-touch-sequences.every_interval", interval=shown)
    return t(lang, "multi-touch-sequences.messages_spread_evenly_over")


def _sequence(inputs, lang, request):
    """The sequence's values: the touches the user listed, else ``inputs['touches']`` messages
    over the duration or at the interval asked, timed by the user's delays when they time every
    message."""
    mix = _channel_mix(request, lang)  # "3 emails et un SMS à la fin": four messages, in order
    touches, every = max(2, len(mix) or int(inputs["touches"])), inputs.get("interval_days")
    days = max(
        1,
        round(float(every) * (touches - 1))
        if every and "duration_days" not in inputs
        else int(inputs["duration_days"]),
    )
    interval = days / (touches - 1)
    # the touches the user listed, in their words, less those a follow-up removed ("enlève le sms")
    own = [
        touch
        for touch in _touches_in(request.raw, lang)
        if not any(_names_touch(item, touch) for item in request.removed)
    ]
    # one theme per message, the last one closes; an onboarding sequence guides to activation,
    # a welcome series to a first order
    purpose = inputs.get("purpose")
    themes = f"{purpose}_contents" if purpose in ("onboarding", "welcome", "cart") else "contents"
    contents = items(lang, f"multi-touch-sequences.{themes}")
    # the request's own list, not a touch a follow-up adds to a sequence planned for it
    # ("3 messages sur 10 jours …" then "ajoute un SMS à J+5": four messages)
    if len(own) >= 2 and len(_touches_in(request.asked, lang)) >= 2:
        return _own_sequence(own, contents, lang, request)
    delays = sorted(s.value for s in request.all("delay"))
    start = 0.0
    if opened := _first_day(request, touches, every, days):  # "la première à J+2"
        (start, days), delays = opened, []
        interval = (days - start) / (touches - 1)
    timed = len(delays) + 1 >= touches  # the user's delays time every message
    channels = mix or _sequence_channels(request)
    planned = []
    for i, when in enumerate(_touch_days(touches, interval, delays, every, start)):
        channel = channels[i % len(channels)]
        # untimed touches take their theme after the thread's additions, by their final place
        planned.append((float(when), channel, _theme(contents, i, touches) if timed else channel))
    if timed:
        interval = delays[-1] / (touches - 1)
    # "ajoute un SMS à J+10", "drop the day 5 one": the touches a follow-up adds or removes
    edited = _themed(_with_added(planned, request.later, lang), contents)
    if edited != planned or not timed:
        planned = edited
        if len(planned) > 1:  # a touch added or removed: the average between those left
            interval = (planned[-1][0] - planned[0][0]) / (len(planned) - 1)
        days = max(days, round(planned[-1][0]))  # "ajoute un SMS à J+6" after 5 days
    planned, offer = _offered(planned, request, lang)
    rows = [[str(i), day_text(when, lang), c, what] for i, (when, c, what) in enumerate(planned, 1)]
    values = {
        "_used": offer,
        "touches": str(len(rows)),
        "duration": t(lang, "multi-touch-sequences.days_days", days=days),
        "interval": t(lang, "multi-touch-sequences.interval_days", interval=num(interval, lang, 1)),
        "sequence_table": _sequence_table(rows, lang),
        "method": _sequence_method(inputs, timed, start, days, lang),
    }
    return values, {}
