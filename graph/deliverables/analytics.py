"""Builders of the marketing-analytics orchestrator's specialists (seeds/analytics-orchestrator.md):
funnel-analysis, kpi-tracking, ab-testing, reporting, attribution.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

import math
import re
from datetime import date
from itertools import accumulate

from graph import data
from graph.calculators import abtest, kpi
from graph.calculators import attribution as attribution_calc
from graph.deliverables import (
    against_targets,
    budget_used,
    builder,
    change,
    changes_after,
    figure_text,
    funnel_steps,
    funnel_values,
    kpi_sheet,
    kpi_table,
    kpi_value,
    needed_line,
    period_comparison,
    period_moves,
    period_slots,
    pipeline_line,
    report_flags,
    row_label,
    signed,
    target_table,
)
from graph.document import Alert, GroupedBars, Intervals
from graph.experiments import experiment_data
from graph.formatting import bullets, money, num, p_is, pct, pvalue, table
from graph.i18n import t
from graph.text import fold, stem
from graph.understanding import Understanding
from graph.understanding.binding import (
    MIN_TEST_DAYS,
    acquisition_costs,
    channel_metrics,
    headcount,
    holdout_split,
    improved_steps,
    metric_slots,
    period_metrics,
    said_significant,
    sector_rates,
    source_rates,
    stated_rates,
    stated_targets,
)
from graph.understanding.changes import GROWTH_GOAL
from graph.understanding.dates import elapsed_days
from graph.understanding.describe import day_text, label, show
from graph.understanding.design import HOLDOUT, asks_sample, requested_design
from graph.understanding.devices import LOWER_BETTER
from graph.understanding.followups import asked_outcome, improved_step, step_factor
from graph.understanding.lexicon import channel_group, words
from graph.understanding.models_stated import one_model, stated_models
from graph.understanding.pipeline import (
    bought_leads,
    chain_value,
    channel_chain,
    needed_volume,
    rate_chain,
    whole,
)
from graph.understanding.reader import periods_named
from graph.understanding.slots import Slot
from graph.understanding.structures import (
    Blend,
    Cohort,
    Forecast,
    blend,
    cohorts,
    compared_steps,
    extract_steps,
    growth_forecast,
    noun_after,
    period_labels,
    retention_curve,
    source_counts,
)


@builder("funnel-analysis")
def funnel_analysis(inputs, lang, request):
    hours: dict[str, float] = {}
    if inputs.get("files"):
        inputs["steps"], hours = data.funnel(inputs["files"][-1])
    rows, leak, overall, values = funnel_values(inputs, lang)
    values["timing"] = ""
    if hours:
        values["timing"] = t(lang, "funnel-analysis.median_time_from_previous") + ", ".join(
            f"{label} {num(h / 24, lang, 1)} j" if h >= 48 else f"{label} {num(h, lang, 1)} h"
            for label, h in hours.items()
        )
    values["_charts"] = [
        GroupedBars(
            title=t(lang, "funnel-analysis.people_at_each_funnel"),
            labels=[r["label"] for r in rows],
            series={t(lang, "funnel-analysis.people"): [r["count"] for r in rows]},
            filename="funnel",
        )
    ]
    lost = rows[rows.index(leak) - 1]["count"] - leak["count"]
    values["reading"] = (
        t(
            lang,
            "funnel-analysis.biggest_leak_at_label",
            label=leak["label"],
            lost=num(lost, lang),
            pct=pct(leak["drop"], lang),
        )
        + _most_people_lost(rows, lost, lang)
        + _funnel_worth(rows, request, lang, values)
        + _funnel_spend(rows, request, lang, values)
        + _point_more(rows, leak, request, lang)
    )
    values["method"] = t(lang, "funnel-analysis.step_conversion_step_volume")
    pair = None if inputs.get("files") else compared_steps(request.raw)
    if pair:
        values["reading"] = [values["reading"], _steps_compared(*pair, lang)]
        values["_used"] = [s for s in request.slots if not isinstance(s.value, str)]  # both lists
    elif not inputs.get("files") and (line := what_if_line(inputs["steps"], request, lang)):
        values["reading"] = [values["reading"], line]
        values["_used"] = [s for s in request.slots if not isinstance(s.value, str)]
    return values, {}


# the what-if up to its comma: "…, combien de commandes en plus ?" names the outcome, no step
_WHAT_IF = re.compile(r"(?<![a-z])(?:et si|si on|si nous|what if|if we|if you)\s[^.?!;,]*")


def what_if_line(steps: list, request: Understanding, lang: str) -> str:
    """The scenario of a step improved (:func:`improvement`), by the thread ("et si on améliore le
    passage panier -> checkout de 20 %": ``steps`` [(label, count)] are already improved) or by the
    request's first message ("si on améliore le passage panier→checkout de 10 points, ça donne
    combien de ventes en plus ?"); '' when no step is improved."""
    asked = _what_if_asked(request)
    if not asked.improved:
        return ""
    steps = steps if request.improved else improved_steps(steps, asked.improved)
    return improvement(steps, asked.improved, lang)


def _what_if_asked(request: Understanding) -> Understanding:
    """``request`` with the step improvement its first message asks about ("Si on améliore le
    passage panier→checkout de 10 points, ça donne combien de ventes en plus ?": checkout's entry
    rate × 50 / 40) in ``improved``, as a follow-up would set it (followups.step_factor);
    unchanged when the thread already improved a step or the message asks no what-if on one."""
    if request.improved:
        return request
    clause = _WHAT_IF.search(fold(request.asked))
    step = improved_step(clause.group(), request) if clause else None
    factor = step_factor(clause.group(), request, step) if clause and step else None
    return request.model_copy(update={"improved": {step: factor}}) if step and factor else request


def _most_people_lost(rows: list[dict], leak_lost: float, lang: str) -> str:
    """' …' naming the step that loses the most people when it is not the step with the largest
    drop-off rate ("attendees: 1,750 lost" before "closed deals: 80 % of 310"); '' otherwise."""
    losses = [(a["count"] - b["count"], b["label"]) for a, b in zip(rows, rows[1:])]
    most, label = max(losses, key=lambda pair: pair[0])
    if most <= leak_lost:
        return ""
    return " " + t(lang, "funnel-analysis.most_people_lost", label=label, lost=num(most, lang))


def _last_step_value(rows: list[dict], request: Understanding) -> tuple[float, Slot] | None:
    """The value of each of the funnel's last step (€) and the slot it comes from: the value of
    one given ("avg contract €9,600"), else the period's revenue over the last step's count ("CA
    46 500 €" over 310 paying customers: 150 €); None without either."""
    value = chain_value(request)
    if value is not None:
        return value.value, value
    revenue = next(iter(whole(request, "revenue")), None)
    if revenue is None or not rows[-1]["count"]:
        return None
    return revenue.value / rows[-1]["count"], revenue


def _funnel_worth(rows: list[dict], request: Understanding, lang: str, values: dict) -> str:
    """' …' with what the funnel's last step is worth at the value of each one given ("41 closed.
    avg contract €9,600": 41 × €9,600 = €393,600), or what each brings of the revenue given
    ("CA 46 500 €", 310 paying: 150 € each); the slot added to ``values['_used']``; '' without
    either (:func:`_last_step_value`)."""
    found = _last_step_value(rows, request)
    if found is None:
        return ""
    value, slot = found
    values["_used"] = values.get("_used", []) + [slot]
    last, cur = rows[-1], request.currency
    return " " + t(
        lang,
        "funnel-analysis.worth" if slot.type != "revenue" else "funnel-analysis.revenue_per",
        label=last["label"],
        count=num(last["count"], lang),
        value=money(value, lang, cur, 0 if slot.type != "revenue" else 2),
        revenue=money(last["count"] * value, lang, cur),
    )


def _funnel_spend(rows: list[dict], request: Understanding, lang: str, values: dict) -> str:
    """' …' with what each step cost at the spend given ("was it worth the €14k we spent?": €11.67
    per registrant … €636.36 per customer) and, at the value of each last step, the revenue over
    the spend; the spend's slot added to ``values['_used']``; '' without a spend."""
    # "le webinar a coûté 9 000 €": the one channel's spend is the funnel's
    spend = next(iter(whole(request, "spend", "budget")), None)
    if spend is None or not spend.value:
        return ""
    values["_used"] = values.get("_used", []) + [spend]
    cur, paid = request.currency, float(spend.value)
    costs = ", ".join(
        t(
            lang,
            "funnel-analysis.cost_per",
            cost=money(paid / r["count"], lang, cur, 2),
            label=r["label"],
        )
        for r in rows
        if r["count"]
    )
    value = _last_step_value(rows, request)
    back = (
        t(
            lang,
            "funnel-analysis.spend_back",
            roas=num(rows[-1]["count"] * value[0] / paid, lang, 1),
        )
        if value
        else ""
    )
    return (
        " "
        + t(lang, "funnel-analysis.spend_costs", spend=money(paid, lang, cur), costs=costs)
        + back
    )


def _point_more(rows: list[dict], leak: dict, request: Understanding, lang: str) -> str:
    """' …' with the upside of one more point of passage into the ``leak`` step: 1 % of the
    step before it enters, then flows through the later steps at today's rates (last step /
    leak step), worth the value of each last step when one is given; '' for a funnel of two
    steps (the leak is the last step: its point is the sentence's own figure)."""
    i = rows.index(leak)
    if leak is rows[-1] or not leak["count"]:
        return ""
    more = rows[i - 1]["count"] / 100 * rows[-1]["count"] / leak["count"]
    value = _last_step_value(rows, request)
    worth = (
        t(
            lang,
            "funnel-analysis.point_worth",
            worth=money(more * value[0], lang, request.currency),
        )
        if value
        else ""
    )
    return " " + t(
        lang,
        "funnel-analysis.point_more",
        label=leak["label"],
        rate=pct(leak["conversion"], lang),
        next=pct(leak["conversion"] + 1, lang),
        more=num(more, lang),
        last=rows[-1]["label"],
        worth=worth,
    )


def improvement(steps: list, improved: dict[str, float], lang: str) -> str:
    """What a better entry rate into a step changes ("et si on améliore le passage panier ->
    checkout de 20 %"): ``steps`` [(label, count)] as improved (graph.understanding.binding.
    improved_steps), ``improved`` {step: factor}; the step and the funnel's last step before and
    after, e.g. "checkout 3 100 → 3 720, achat 1 870 → 2 244 (+374)"; more traffic at the first
    step keeps every step's rate."""
    factor, before = 1.0, []
    for step, count in steps:
        factor *= improved.get(step, 1.0)
        before.append(count / factor)
    lines = []
    for step, rate in improved.items():
        i = next((k for k, (name, _) in enumerate(steps) if name == step), None)
        if i is None:
            continue
        moved = [(steps[i][0], before[i], steps[i][1])]
        if i < len(steps) - 1:
            moved.append((steps[-1][0], before[-1], steps[-1][1]))
        lines.append(
            t(
                lang,
                "funnel-analysis.improved_top" if i == 0 else "funnel-analysis.improved",
                step=step,
                change=signed(num((rate - 1) * 100, lang, 1)),
                rates=_rates(before, steps, i, lang),
                moved=", ".join(f"{name} {num(a, lang)} → {num(b, lang)}" for name, a, b in moved),
                gained=signed(num(steps[-1][1] - before[-1], lang)),
                last=steps[-1][0],
            )
        )
    return "\n".join(lines)


def _rates(before: list[float], steps: list, i: int, lang: str) -> str:
    """Step ``i``'s entry rate before and after an improvement, in % ("39.9% → 44.9%"); '' for
    the first step, which has none."""
    if i == 0 or not before[i - 1]:
        return ""
    return f"{pct(before[i] / before[i - 1] * 100, lang)} → {pct(steps[i][1] / steps[i - 1][1] * 100, lang)}"


def _steps_compared(now: list, before: list, lang: str):
    """Each step's passage rate this period and in the compared one, and the change in points."""
    ours, theirs = funnel_steps(now), funnel_steps(before)
    rows = [
        [
            a["label"],
            pct(a["conversion"], lang),
            pct(b["conversion"], lang),
            t(
                lang,
                "deliverables.points",
                value=signed(num(a["conversion"] - b["conversion"], lang, 1)),
            ),
        ]
        for a, b in zip(ours[1:], theirs[1:])
    ]
    rows.append(
        [
            t(lang, "funnel-analysis.overall"),
            pct(ours[-1]["count"] / ours[0]["count"] * 100, lang, 2),
            pct(theirs[-1]["count"] / theirs[0]["count"] * 100, lang, 2),
            change(
                ours[-1]["count"] / ours[0]["count"], theirs[-1]["count"] / theirs[0]["count"], lang
            ),
        ]
    )
    headings = ("step", "this_period", "previous_period", "change")
    return table([t(lang, f"deliverables.{h}") for h in headings], rows)


def stage_metrics(lang: str) -> list[list[str]]:
    """The metrics to track at each funnel stage (AARRR), rows [stage, metrics]: analytics seed."""
    return [
        ["Awareness", "Impressions, Reach, CPM"],
        ["Acquisition", t(lang, "kpi-tracking.traffic_clicks_cpc_ctr")],
        ["Activation", "Sign-ups, Leads, CPA"],
        ["Revenue", "Conversions, AOV, ROAS"],
        ["Retention", "Churn, LTV, Repeat rate"],
        ["Referral", "NPS, K-factor, Referrals"],
    ]


@builder("kpi-tracking")
def kpi_tracking(inputs, lang, request):
    cur = request.currency
    compared = period_metrics(request)
    metrics = _not_chained(request, dict(compared[0] if compared else inputs.get("metrics") or {}))
    metrics = _this_period(request, metrics)
    budget = request.value("budget")
    spent = budget is not None and "spend" not in metrics  # the budget stands for the spend
    if spent:
        metrics["spend"] = budget
    said_metrics = dict(metrics)
    metrics = _chain_customers(request, metrics)
    metrics = _curve_churn(request, _without_goal(request, metrics))
    real = _not_real(request, metrics, lang)  # "40% of our 'new customers' were test accounts"
    asked, names = [k.id for k in kpi.requested(request.raw)], kpi.said_names(request.raw)
    rows, done = kpi_table(metrics, lang, cur, asked, names)
    missing = _missing(request, metrics, done)
    given = ", ".join(
        f"{label(k, lang)} {figure_text(k, v, lang, cur)}"
        for k, v in said_metrics.items()
        if (k != "orders" or request.all("orders") or v != said_metrics.get("conversions"))
        and (k != "conversions" or request.all("conversions") or v != said_metrics.get("orders"))
    )  # orders standing for conversions and back (binding.aliased) are not a second figure given
    computed = _computed_part(compared, rows, lang, cur, asked)
    extra, used = _kpi_extras(request, metrics, done, lang, compared)
    if any(s.type in ("conversion_rate", "rate") for s in used):  # a scenario's rates are given
        missing = [(k, needs) for k, needs in missing if k.unit != "%"]
    if real:
        extra, used = [real[0], *extra], used + [real[1]]
    per_channel = channel_metrics(request)
    if not rows and not compared and (per_channel or used):
        # the KPIs are the channels' ("CAC par canal …, LTV 900 €") or a scenario's, shown below
        computed = []
    if compared and budget is not None and not request.all("spend", any_arm=True):
        extra.append(t(lang, "kpi-tracking.budgets_as_spend"))
    elif spent:
        extra.append(t(lang, "kpi-tracking.budget_as_spend", budget=money(budget, lang, cur)))
    elif budget and metrics.get("spend"):
        extra.append(budget_used(metrics["spend"], budget, lang, cur))
    by_channel = shared_kpis(per_channel)[1]
    # computed per channel, or answered by a KPI computed per channel (an LTV/CAC: worth it?)
    answered = {a for k in by_channel for a in _ANSWERED_BY.get(k.id, ())}
    missing = [(k, n) for k, n in missing if k not in by_channel and k.id not in answered]
    if missing:
        extra.append(bullets([_not_computed(k, needs, lang) for k, needs in missing]))
    if (
        not given and by_channel
    ):  # "CPL : Google 45 €, Facebook 32 €…": the figures are the channels'
        given = t(lang, "kpi-tracking.given_by_channel")
    if groups := cohorts(request):  # the first cohort's size is no period's conversions
        given = t(lang, "kpi-tracking.given_cohorts", n=len(groups))
    values = {
        "computed_count": str(len(rows) or len(by_channel) or sum(map(_periods, groups))),
        "given": given or t(lang, "kpi-tracking.none"),
        "computed": computed + extra,
        "plan": table(
            [t(lang, "kpi-tracking.stage"), t(lang, "kpi-tracking.metrics")],
            stage_metrics(lang),
        ),
        "method": t(lang, "kpi-tracking.formulas_from_performance_analytics"),
        "_used": period_slots(request) + used + ([] if compared else _computed_from(request)),
    }
    return values, _churn_impact(compared)


def _missing(
    request: Understanding, metrics: dict[str, float], done: dict
) -> list[tuple[kpi.Kpi, list[str]]]:
    """[(KPI, the metrics it lacks)] of the KPIs the request asks by name that are neither given,
    computed (``done``), answered by another one computed (_ANSWERED_BY), by a goal's budget
    read backwards through its rates nor, for an LTV, by a retention curve's (:func:`_months_paid`)."""
    missing = [(k, kpi.missing_for(k, metrics)) for k in kpi.requested(request.asked)]
    said = {s.type for s in request.slots}  # "ROAS 4.1 vs 4.5 target": a KPI given is not missing
    missing = [(k, needs) for k, needs in missing if needs and k.id not in set(done) | said]
    answered = {a for k in done for a in _ANSWERED_BY.get(k, ())}
    if needed := needed_volume(request):  # a goal read backwards: its stage rates are given
        answered |= {k.id for k, _ in missing if k.unit == "%"}
        if needed.cost:  # and its budget computed
            answered.add("spend_from_cpa")
    if (curve := retention_curve(request.raw)) and _months_paid(*curve, request):
        answered.add("ltv")  # "6-month LTV at $25/mo": the curve's LTV over that horizon
    return [(k, needs) for k, needs in missing if k.id not in answered]


_PROFIT_KPIS = ("roi", "margin_roi", "roas_margin_roi")  # each says whether the spend pays
# a KPI computed that answers another one asked: the rate per click answers "conversion rate?",
# the payback on revenue "payback?" when no margin is given
_ANSWERED_BY = {
    "click_conversion_rate": ("conversion_rate",),
    "cac_payback_revenue": ("cac_payback",),
    "purchase_ltv": ("ltv",),
    "cpa_from_cpc": ("cpa",),
    "roas_from_aov": ("roas",),
    # "quel ROAS minimum pour être rentable ?", "on gagne de l'argent ?": profitability answered
    "break_even_roas": _PROFIT_KPIS,
    "order_profit": _PROFIT_KPIS,
    "max_cac": ("ltv_cac",),  # "on veut un ratio LTV/CAC de 3. CAC max ?": the ratio is the target
    # the margin with repeat orders caps what a customer may cost
    "repeat_break_even_cpa": ("max_cac",),
    "roi": _PROFIT_KPIS,  # no margin given: the ROI on revenue answers
    "margin_roi": _PROFIT_KPIS,
    "roas_margin_roi": _PROFIT_KPIS,
    "ltv_cac": _PROFIT_KPIS,  # "are both channels worth it?" with an LTV and each CAC
}


def _blended(mixed: Blend, lang: str) -> str:
    """The sentence of a volume-weighted rate over two groups (graph.understanding.structures
    .blend): share × rate of each group, the blended rate (%) and what it converts of the
    volume."""
    (own_group, own), (other_group, other) = (
        mixed.rates[mixed.shared],
        mixed.rates[1 - mixed.shared],
    )
    return t(
        lang,
        "kpi-tracking.blended",
        share=pct(mixed.share.value, lang, 0),
        rest=pct(100 - mixed.share.value, lang, 0),
        own=pct(own.value, lang),
        other=pct(other.value, lang),
        own_group=own_group,
        other_group=other_group,
        blended=pct(mixed.blended, lang, 2),
        converted=num(mixed.volume.value * mixed.blended / 100, lang),
        volume=num(mixed.volume.value, lang),
    )


def _computed_part(
    compared: tuple[dict, dict] | None, rows: list, lang: str, cur: str, asked: list[str]
) -> list:
    """A KPI sheet's computed part: two periods compared (and a CPC's move read; ``asked``: the
    KPI ids the request names), else the KPI table, else why none can be computed."""
    if compared:
        return [
            t(lang, "deliverables.period_compared"),
            period_comparison(*compared, lang, cur, asked),
            *auction_reading(*compared, lang, cur),
            *basket_trade_off(*compared, lang, cur),
        ]
    return [kpi_sheet(rows, lang) if rows else t(lang, "kpi-tracking.no_kpi_can_be")]


def basket_trade_off(now: dict, before: dict, lang: str, cur: str) -> list[str]:
    """What a conversion rate and an average basket that moved in opposite ways net out to: the
    revenue per visitor (conversion rate × AOV, performance seed) on each side and its change,
    which the revenue follows at constant traffic. [] unless both moved, in opposite ways."""
    if not all(s.get("conversion_rate") and s.get("aov") for s in (now, before)):
        return []
    rate, aov = now["conversion_rate"], now["aov"]
    rate_was, aov_was = before["conversion_rate"], before["aov"]
    if (rate - rate_was) * (aov - aov_was) >= 0:
        return []
    rpv, rpv_was = kpi.revenue_per_visitor(rate, aov), kpi.revenue_per_visitor(rate_was, aov_was)
    return [
        t(
            lang,
            f"kpi-tracking.basket_{'wins' if rpv > rpv_was else 'loses'}",
            rpv=money(rpv, lang, cur, 2),
            was=money(rpv_was, lang, cur, 2),
            change=signed(pct((rpv / rpv_was - 1) * 100, lang)),
        )
    ]


def auction_reading(now: dict, before: dict, lang: str, cur: str) -> list[str]:
    """What a CPC that moved 10 % or more between two periods means, read through CPC = CPM /
    (1 000 × CTR) (analytics seed formulas): with both periods' CTR, how much the auction (CPM)
    and the creative (CTR) moved, and which one to look at; the clicks a constant budget buys
    (before / now − 1). [] without two CPCs that far apart."""
    cpc, was = now.get("cpc"), before.get("cpc")
    if not (cpc and was) or abs(cpc / was - 1) < 0.10:
        return []
    shown = {
        "was": money(was, lang, cur, 2),
        "cpc": money(cpc, lang, cur, 2),
        "change": signed(pct((cpc / was - 1) * 100, lang)),
        "clicks": signed(pct((was / cpc - 1) * 100, lang)),
    }
    ctr, ctr_was = now.get("ctr"), before.get("ctr")
    if not (ctr and ctr_was):
        return [t(lang, "kpi-tracking.cpc_moved", **shown)]
    cpm_change, ctr_change = (cpc * ctr) / (was * ctr_was) - 1, ctr / ctr_was - 1
    cause = "auction" if abs(cpm_change) >= abs(ctr_change) else "creative"
    return [
        t(
            lang,
            f"kpi-tracking.cpc_moved_{cause}",
            **shown,
            cpm=signed(pct(cpm_change * 100, lang)),
            ctr=signed(pct(ctr_change * 100, lang)),
        )
    ]


def _computed_from(request: Understanding) -> list[Slot]:
    """The slots a KPI sheet is computed from (binding.metric_slots), a single channel's
    included, with the channel they are that channel's figures for ("our Google Ads: spend …")."""
    slots = list(metric_slots(request).values())
    channels = {s.channel for s in slots if s.channel}
    return slots + [s for s in request.all("channel") if s.value in channels]


# a share of a count said not to be real ("40% of our new customers were test accounts")
_NOT_REAL = re.compile(
    r"(?<![a-z])(test accounts?|comptes? de test|comptes? test|fake|faux|bots?|spam|doublons?|"
    r"duplicates?|fraud\w*|frauduleu\w*|not real|pas (?:de )?vrais)(?![a-z])"
)
_COUNTED = {
    "customers": r"customers?|clients?",
    "leads": r"leads?",
    "conversions": r"signups?|sign-ups?|inscri\w*|conversions?",
    "orders": r"orders?|commandes?",
}


def _not_real(request: Understanding, metrics: dict[str, float], lang: str) -> tuple | None:
    """A share (%) of a count the sentence says is not real ("40% of our 'new customers' in
    October were actually test accounts"): the count in ``metrics`` is lowered by it, in place;
    (the line that says so, the share's slot), or None."""
    for slot in request.slots:
        if slot.unit != "%" or slot.arm or not 0 < slot.value < 100:
            continue
        after = re.split(r"[.!?\n]", request.text[slot.end :])[0]
        sentence = re.split(r"[.!?\n]", request.text[: slot.start])[-1] + after
        why = _NOT_REAL.search(after)
        measure = next(
            (
                m
                for m, w in _COUNTED.items()
                if m in metrics and re.search(rf"(?<![a-z])(?:{w})(?![a-z])", sentence)
            ),
            None,
        )
        if why and measure:
            given = metrics[measure]
            metrics[measure] = round(given * (1 - slot.value / 100))
            line = t(
                lang,
                "kpi-tracking.not_real",
                measure=row_label(measure, lang),
                given=num(given, lang),
                share=pct(slot.value, lang, 0),
                why=why.group(0),
                kept=num(metrics[measure], lang),
            )
            return line, slot
    return None


def _churn_impact(compared: tuple[dict, dict] | None) -> dict:
    """{'revenue_impact': %} of a churn rate that moved (binding.period_metrics): how much more or
    less MRR a month's churn takes now than before, in % of the MRR (4,4 % against 3,1 % of 5 200
    subscribers at 39 €: 1,3 % a month); {} without one. The escalation rules decide on it."""
    if not compared:
        return {}
    now, before = (kpi.compute_kpis(side) for side in compared)
    if not all("lost_mrr" in side and side.get("mrr") for side in (now, before)):
        return {}
    return {"revenue_impact": abs(now["lost_mrr"] - before["lost_mrr"]) / now["mrr"] * 100}


def _not_computed(k: kpi.Kpi, needs: list[str], lang: str) -> str:
    """Why a KPI asked for is not in the sheet: the figures it still needs."""
    return t(
        lang,
        "kpi-tracking.not_computed",
        kpi=k.name(lang),
        needs=", ".join(label(n, lang) for n in needs),
    )


def _not_chained(request: Understanding, metrics: dict[str, float]) -> dict[str, float]:
    """``metrics`` less the conversions and orders a pipeline's volume stands for ("2 200 leads,
    MQL→SQL 18 %…": people entering it, not orders; graph.understanding.pipeline)."""
    if rate_chain(request) is None:
        return metrics
    return {k: v for k, v in metrics.items() if k not in ("conversions", "orders")}


def _this_period(request: Understanding, metrics: dict[str, float]) -> dict[str, float]:
    """``metrics`` less an MRR set as a goal (:func:`mrr_goal`: "to add $20k MRR") and a KPI
    said of a past period ("last quarter NPS was 31") that the other figures compute for this
    one (promoters, detractors, respondents): it is the one to compare with
    (:func:`_previous_kpi`), not this period's."""
    slots, goal = metric_slots(request), mrr_goal(request)
    metrics = {k: v for k, v in metrics.items() if goal is None or slots.get(k) is not goal}
    past = {
        k
        for k in metrics
        if (slot := slots.get(k)) is not None
        and _LAST_PERIOD.search(request.text[max(0, slot.start - 40) : slot.start])
    }
    kept = {k: v for k, v in metrics.items() if k not in past}
    return kept if past and past <= set(kpi.compute_kpis(kept)) else metrics


def _without_goal(request: Understanding, metrics: dict[str, float]) -> dict[str, float]:
    """``metrics`` less the goal and the cost per entry of a goal read back through its stage
    rates ("150 démos … CPL 80 €": a goal, no period's conversions at a CPA)."""
    needed = needed_volume(request)
    if needed is None:
        return metrics
    taken = {id(s) for s in needed.slots}
    return {k: v for k, v in metrics.items() if id(metric_slots(request).get(k)) not in taken}


def _curve_churn(request: Understanding, metrics: dict[str, float]) -> dict[str, float]:
    """``metrics`` with, given an ARPU and a monthly retention curve but no churn ("M1 62%, M3
    41%, M6 29% — ARPU 39€/mois"), the churn the curve settles at (its last segment, geometric:
    1 − (r₂ / r₁)^(1 / months)) as the churn rate (%) the LTV divides by (ARPU / churn, seed
    analytics)."""
    curve = retention_curve(request.raw)
    if curve is None or curve[0] != "month" or "arpu" not in metrics or "churn_rate" in metrics:
        return metrics
    kept = _kept_per_period(*curve[1][-2:])
    return metrics if kept is None else {**metrics, "churn_rate": (1 - kept) * 100}


def _chain_customers(request: Understanding, metrics: dict[str, float]) -> dict[str, float]:
    """``metrics`` with, given a spend and a pipeline with a value per customer, the customers at
    its end: who the CAC, the revenue and the ROAS count ("$22k on LinkedIn for 61 SQLs, sales
    closes 20%, $14k ACV" makes 12.2 customers)."""
    chain = rate_chain(request)
    if chain is None or not chain.value or "spend" not in metrics or "customers" in metrics:
        return metrics
    out = {**metrics, "customers": chain.reached}
    if chain.volume == bought_leads(request):
        # "€12k/month, CPL €140, 6% become opportunities, 25% win rate": the leads the spend
        # buys make the customers, whose CAC is the spend over them, not the cost per lead
        out.pop("cpa", None)
    return out


def _revenue_goal(request: Understanding, known: dict[str, float], lang: str):
    """A revenue growth set as a goal ("on veut +15 % de CA au prochain trimestre", "goal is +20%
    revenue") on the revenue ``known`` gives or computes (metrics and KPIs: orders × AOV): the
    revenue to reach and what reaches it, each lever alone (the orders at the same AOV, the AOV
    at the same orders, with the conversion rate at the same traffic when visitors are known) or
    both by the square root of the growth (revenue = orders × AOV). (sentence, the goal's slot),
    or None without a goal, a revenue or orders."""
    said = GROWTH_GOAL.search(request.text)
    goal = next(
        (
            s
            for s in request.slots
            if said
            and s.type in ("revenue_change", "change")
            and said.start() <= s.start < said.end()
        ),
        None,
    )
    revenue = known.get("revenue") or known.get("revenue_from_aov")
    orders = known.get("orders") or known.get("conversions")
    if goal is None or not revenue or not orders or goal.value <= 0:
        return None
    cur, growth = request.currency, 1 + goal.value / 100
    aov, each = revenue / orders, growth**0.5
    line = t(
        lang,
        "kpi-tracking.revenue_goal",
        growth=signed(pct(goal.value, lang)),
        now=money(revenue, lang, cur),
        target=money(revenue * growth, lang, cur),
        more=money(revenue * (growth - 1), lang, cur),
        aov=money(aov, lang, cur, 2),
        orders=num(orders * growth, lang),
        more_orders=num(orders * (growth - 1), lang),
        aov_target=money(aov * growth, lang, cur, 2),
        each=signed(pct((each - 1) * 100, lang)),
    )
    if visitors := known.get("visitors"):
        line += " " + t(
            lang,
            "kpi-tracking.revenue_goal_rate",
            visitors=num(visitors, lang),
            rate=pct(orders / visitors * 100, lang, 2),
            target=pct(orders * growth / visitors * 100, lang, 2),
        )
    return line, goal


# "how many trials do we need to add $20k MRR?", "pour ajouter 10 k€ de MRR": MRR to gain
_TO_ADD = re.compile(
    r"(?<![a-z])(?:add|adding|ajouter|ajoute|gagner|gain|win|an extra|another|de plus de|"
    r"grow\w* (?:by|de)|augmenter (?:de|le mrr de))\s*$"
)


def mrr_goal(request: Understanding) -> Slot | None:
    """The MRR a request sets as a goal to add ("how many trials do we need to add $20k MRR?",
    "combien d'essais pour ajouter 10 k€ de MRR ?"), or None."""
    return next(
        (
            s
            for s in request.all("mrr", "new_mrr")
            if _TO_ADD.search(fold(request.text)[max(0, s.start - 20) : s.start])
        ),
        None,
    )


def _mrr_goal_line(request: Understanding, metrics: dict[str, float], lang: str):
    """An MRR to add (:func:`mrr_goal`) read back through the price and the conversion rate
    into paying customers (MRR ÷ ARPU) and entries (customers ÷ rate), and, with the entries a
    month given, how long the current pace takes (entries × rate × ARPU of new MRR a month,
    churn aside). (sentence, the goal's slot), or None without an ARPU and a rate."""
    goal, arpu = mrr_goal(request), metrics.get("arpu")
    rate = metrics.get("conversion_rate")
    if goal is None or not arpu or not rate or not 0 < rate < 100:
        return None
    cur, customers = request.currency, math.ceil(goal.value / arpu)
    slots = metric_slots(request)  # "1,200 trials a month": what enters, named
    counted = slots.get("visitors") or slots.get("conversions")
    said = re.match(r"\s*([^\W\d_]{3,})", request.text[counted.end :]) if counted else None
    noun = said[1] if said else t(lang, "kpi-tracking.entries")
    line = t(
        lang,
        "kpi-tracking.mrr_goal",
        goal=money(goal.value, lang, cur),
        arpu=money(arpu, lang, cur),
        customers=num(customers, lang),
        entries=num(math.ceil(customers / (rate / 100)), lang),
        noun=noun,
        rate=pct(rate, lang, 0 if rate % 1 == 0 else 1),
    )
    if volume := metrics.get("visitors"):  # "1,200 trials a month": the pace today
        gained = volume * rate / 100
        line += " " + t(
            lang,
            "kpi-tracking.mrr_goal_pace",
            volume=num(volume, lang),
            noun=noun,
            gained=num(gained, lang),
            mrr=money(gained * arpu, lang, cur),
            months=num(goal.value / (gained * arpu), lang, 1),
        )
    return line, goal


_UNIT_COSTS = ("cost_per_sql", "cost_per_mql", "cost_per_signup", "cost_per_conversion")


def _against_targets(
    request: Understanding, metrics: dict, kpis: dict[str, float], lang: str
) -> tuple[list, list]:
    """The CPA and ROAS against their targets ("l'objectif était un CPA de 15 €") and the figures
    against the targets given with them ("revenue €2.4M vs target €2.6M"), with the slots used."""
    cur = request.currency
    cost, name = metrics.get("cpa", kpis.get("cpa")), "CPA"
    if cost is None and (unit := next((k for k in _UNIT_COSTS if k in kpis), None)):
        # "Our target cost per SQL is $300": the cost per the stage computed is the one targeted
        cost, name = kpis[unit], next(k for k in kpi.KPIS if k.id == unit).name(lang)
    roas = metrics.get("roas", kpis.get("roas", kpis.get("roas_from_aov")))
    met, missed = against_targets(request, cost, roas, lang, cur, name)
    extra, used = met + missed, request.all("target_cpa", "target_roas") if met or missed else []
    targets = stated_targets(request)
    if against := target_table(targets, lang, cur):
        extra.append(against)
        used += [s for pair in targets.values() for s in pair]
    return extra, used


def _by_period(request: Understanding, lang: str) -> tuple[list, list]:
    """([heading, table, sentence], slots used) for revenue given period by period with the spend
    of each in the same order ("janvier 42 000 €, février 39 500 €, mars 47 800 €. On a dépensé
    6 200, 6 000 et 7 100 €"): each period's revenue, spend, ROAS (revenue / spend, performance
    seed) and revenue less spend, then the best ROAS and the most left; ([], []) otherwise."""
    revenue = [s for s in request.all("revenue") if not s.channel]
    spend = [s for s in request.all("spend") if not s.channel]
    labels = [
        d
        for d in request.all("date")
        if any(0 <= r.start - d.end <= 3 for r in revenue)  # "janvier 42 000 €", "mars : 47 800 €"
    ]
    if len(revenue) < 2 or not len(revenue) == len(spend) == len(labels):
        return [], []
    if not all(s.value for s in spend):  # no ROAS of a month with no spend
        return [], []
    cur = request.currency
    roas = [r.value / s.value for r, s in zip(revenue, spend)]
    left = [r.value - s.value for r, s in zip(revenue, spend)]
    rows = [
        [
            d.evidence,
            money(r.value, lang, cur),
            money(s.value, lang, cur),
            f"{num(x, lang, 2)}x",
            money(rest, lang, cur),
        ]
        for d, r, s, x, rest in zip(labels, revenue, spend, roas, left)
    ]
    best, most = roas.index(max(roas)), left.index(max(left))
    heads = [t(lang, "kpi-tracking.period"), row_label("revenue", lang), row_label("spend", lang)]
    return [
        t(lang, "kpi-tracking.by_period"),
        table([*heads, "ROAS", t(lang, "kpi-tracking.left_after_spend")], rows),
        t(
            lang,
            "kpi-tracking.best_period",
            best=labels[best].evidence,
            roas=f"{num(roas[best], lang, 2)}x",
            most=labels[most].evidence,
            left=money(left[most], lang, cur),
        ),
    ], revenue + spend


def _kpi_extras(
    request: Understanding,
    metrics: dict,
    kpis: dict[str, float],
    lang: str,
    compared: tuple[dict[str, float], dict[str, float]] | None,
) -> tuple[list, list]:
    """What a KPI sheet adds after its KPIs (``kpis``: those computed from ``metrics``), and the
    slots it uses: the rate to reach's scenario, the acquisition costs added up for a CAC, each
    channel's KPIs, the CPA and ROAS against their targets, the figures against theirs, and
    what moved (the two periods ``compared``, or the changes stated: :func:`_moved_lines`)."""
    cur = request.currency
    extra, used = _rate_lines(request, lang, metrics.get("spend"))
    costs = acquisition_costs(request)
    if costs and metrics.get("spend") == sum(c.value for c in costs):
        extra.append(  # "marketing $184k, sales team cost $96k": the CAC's costs added up
            t(
                lang,
                "kpi-tracking.costs_added",
                costs=" + ".join(money(c.value, lang, cur) for c in costs),
                total=money(metrics["spend"], lang, cur),
            )
        )
        heads = [(h.start, c.end) for c in costs if (h := headcount(request, c))]
        # "2 commerciaux à 4 500 €", "3 SDRs at $6k": the count, the people, the cost each
        used += costs + [s for s in request.slots if any(a <= s.start < b for a, b in heads)]
    series, in_series = _by_period(request, lang)
    extra, used = extra + series, used + in_series
    per = channel_metrics(request)
    more = next((s for s in request.all("amount") if not s.channel), None)
    named = kpi.said_names(request.raw)
    if by_channel := channel_kpis(per, lang, cur, more.value if more else None, named):
        extra += [
            t(lang, "kpi-tracking.by_channel"),
            *by_channel,
            *_to_cut(per, request, lang, cur),
            *_over_target(per, request, lang, cur),
        ]
        used += [s for s in request.slots if s.channel in per] + ([more] if more else [])
    if piped := _channel_pipeline(request, lang):  # "45 SQLs … SQL-to-close 20 %, ACV $24k"
        extra += piped[0]
        used += piped[1]
    targeted, on_target = _against_targets(request, metrics, kpis, lang)
    extra += targeted
    used += on_target
    benchmark, benchmarks = _against_channels(request, kpis, lang)
    extra += benchmark
    used += benchmarks
    per_count, counted = _costs_per_count(request, metrics.get("spend"), lang, used)
    extra += per_count
    used += counted
    for found in (  # "CPC passé de 1,20 € à 1,85 €", "on veut +15 % de CA": a line, a slot
        _previous_kpi(request, metrics, kpis, lang),
        _revenue_goal(request, {**metrics, **kpis}, lang),
        _mrr_goal_line(request, metrics, lang),
    ):
        if found:
            extra.append(found[0])
            used.append(found[1])
    curved = _curve_lines(request, kpis, lang)
    extra, used = extra + curved[0], used + curved[1]
    for line in (
        unit_economics(kpis, lang, metrics, cur),
        _repeat_ceiling(kpis, metrics, lang, cur),
    ):
        if line:
            extra.append(line)
    extra += first_order_verdict(kpis, lang, cur)
    moved, moves = _moved_lines(request, metrics, lang, compared)
    return extra + moved, used + moves


def _moved_lines(
    request: Understanding,
    metrics: dict,
    lang: str,
    compared: tuple[dict[str, float], dict[str, float]] | None,
) -> tuple[list, list]:
    """The lines a KPI sheet adds on what moved, with the slots they use: an NPS that moved, and
    figures given with their change ("revenue €1.2M (+18% QoQ), CAC €210 (-6%)") or for two
    periods (``compared``: binding.period_metrics; the measures both give), what moved the wrong
    way first (report_flags)."""
    lines, used = [], []
    if moved := _nps_moved(request, lang):
        lines.append(moved[0])
        used += moved[1]
    if stated := changes_after(request, metric_slots(request)):
        changes = {m: c.value for m, c in stated.items()}
        lines += report_flags(metrics, changes, lang, request.currency)
        used += list(stated.values())
    elif compared:  # "last year: …, better or worse?": what moved
        now, before = compared
        both = {m: v for m, v in now.items() if m in before}  # no move read on one side alone
        lines += report_flags(both, period_moves(both, before), lang, request.currency)
    return lines, used


def first_order_verdict(kpis: dict[str, float], lang: str, cur: str) -> list[str]:
    """Whether the first order pays for its acquisition ("c'est rentable ?"): the margin an order
    leaves after its CPA (``order_profit`` = AOV × margin − CPA, €), and, when lost, the ROAS (x)
    and the CPA (€) that would break even against today's (performance seed formulas): one
    sentence, [] without the order's profit."""
    if "order_profit" not in kpis or "break_even_cpa" not in kpis:
        return []
    profit, roas = kpis["order_profit"], kpis.get("roas")
    values = {
        "profit": money(abs(profit), lang, cur, 2),
        "cpa": money(kpis["break_even_cpa"] - profit, lang, cur, 2),
        "break_even_cpa": money(kpis["break_even_cpa"], lang, cur, 2),
    }
    if profit >= 0:
        return [t(lang, "kpi-tracking.first_order_pays", **values)]
    line = t(lang, "kpi-tracking.first_order_loses", **values)
    if roas is not None and "break_even_roas" in kpis:
        line += " " + t(
            lang,
            "kpi-tracking.roas_to_reach",
            roas=num(roas, lang, 2) + "x",
            needed=num(kpis["break_even_roas"], lang, 2) + "x",
        )
    return [line]


def _repeat_ceiling(kpis: dict[str, float], metrics: dict, lang: str, cur: str) -> str:
    """The two ceilings of a CPA (€) when the share of customers who buy again (%) and the orders
    they add are given: the first order's margin, and the margin with the repeat orders
    (graph.calculators.kpi, ``repeat_break_even_cpa``); "" without the second."""
    if "repeat_break_even_cpa" not in kpis or "break_even_cpa" not in kpis:
        return ""
    return t(
        lang,
        "kpi-tracking.repeat_ceiling",
        first=money(kpis["break_even_cpa"], lang, cur, 2),
        repeat=money(kpis["repeat_break_even_cpa"], lang, cur, 2),
        rate=pct(metrics["repeat_rate"], lang, 0),
        more=num(metrics["repeat_orders"], lang, 0 if metrics["repeat_orders"] % 1 == 0 else 1),
    )


def _rate_lines(request: Understanding, lang: str, spend: float | None) -> tuple[list, list]:
    """The sentences a KPI sheet reads from rates, with the slots they use: a pipeline chained
    or a goal read backwards through its stage rates, else a rate to reach's scenario; a rate
    blended over two groups; cohorts, a forecast, sources ranked; without any, counts of one
    journey step by step, costed with the ``spend`` (:func:`_step_chain`)."""
    # "2 200 leads, MQL→SQL 18 %, SQL→client 25 %", or a goal read backwards through its rates
    chained = pipeline_line(request, lang) or needed_line(request, lang)
    scenario, used = ("", []) if chained else rate_scenario(request, lang)
    if not (chained or scenario) and (churned := churn_scenario(request, lang)):
        scenario, used = churned  # "churn 4,5 % … si on le baisse à 3 %"
    extra: list = [scenario] if scenario else []
    if chained:  # a rate to reach moves its stage of the chain, not the volume's conversions
        extra.append(chained[0])
        used += chained[1] + request.all("target_rate")
    if mixed := blend(request):  # "9% on monthly, 14% on annual … 70% pick monthly"
        extra.append(_blended(mixed, lang))
        used += [mixed.share, mixed.volume, *(s for _, s in mixed.rates)]
    if compared := cohorts(request):  # "jan signups 1,000, still active month 3: 420. feb …"
        extra += _cohorts_lines(compared, period_labels(request, max(compared, key=_periods)), lang)
        used += [s for c in compared for s in c.slots]
    if grown := growth_forecast(request):  # "2,400 orders last Q1, growing 18% YoY, AOV €64"
        extra.append(_forecast(grown, lang, request.currency))
        used += [grown.base, grown.rate] + ([grown.aov] if grown.aov else [])
    if ranked := source_rates(request):  # "MQL to SQL rate by source: webinar 34%, ebook 9%, …"
        extra.append(_ranked_rates(ranked, lang))
        used += ranked
    if not extra and (chain := _step_chain(request, spend, lang)):
        return chain
    return extra, used


def _ranked_rates(ranked: list[Slot], lang: str) -> str:
    """The sources ranked by the rate each converts at (``ranked``: binding.source_rates, best
    first), how many times the weakest the best does, and where the effort goes."""
    best, worst = ranked[0], ranked[-1]
    return t(
        lang,
        "kpi-tracking.ranked_rates",
        ranked=", ".join(f"{s.channel} {pct(float(s.value), lang)}" for s in ranked),
        best=best.channel,
        worst=worst.channel,
        times=num(float(best.value) / float(worst.value), lang, 1) if worst.value else "—",
    )


def _periods(cohort: Cohort) -> int:
    """How many periods ``cohort`` was measured at."""
    return len(cohort.retained)


def _cohorts_lines(compared: list[Cohort], periods: list[str | None], lang: str) -> list[str]:
    """One line per period two cohorts or more were measured at (``periods``: each period's label
    as written, None where none was): each cohort's share still active, and the latest cohort
    against the oldest weighed against chance (:func:`_cohorts_line`)."""
    if all(_periods(c) == 1 for c in compared):
        return [_cohorts_line(compared, 0, "", lang)]
    out = []
    for k, said in enumerate(periods):
        measured = [c for c in compared if _periods(c) > k]
        if len(measured) >= 2:
            at = said or t(lang, "kpi-tracking.period_n", n=k + 1)
            out.append(
                _cohorts_line(measured, k, t(lang, "kpi-tracking.cohorts_at", period=at), lang)
            )
    return out


def _cohorts_line(compared: list[Cohort], k: int, scope: str, lang: str) -> str:
    """Each cohort's share still active at period ``k``, and the last against the first weighed
    against chance (two-proportion z-test, statsmodels proportions_ztest): a real move or noise.
    ``scope``: the period, as the line names it (" at month1"), or ''."""
    rates = ", ".join(
        f"{c.label} {pct(c.rate(k), lang, 1)} ({num(c.retained[k].value, lang)} / "
        f"{num(c.size.value, lang)})"
        for c in compared
    )
    first, last = compared[0], compared[-1]
    test = abtest.ztest(
        abtest.ZTestInput(
            visitors_a=int(first.size.value),
            conversions_a=int(first.retained[k].value),
            visitors_b=int(last.size.value),
            conversions_b=int(last.retained[k].value),
        )
    )
    key = "cohorts_real" if test.significant else "cohorts_noise"
    return t(
        lang,
        f"kpi-tracking.{key}",
        scope=scope,
        rates=rates,
        first=first.label,
        last=last.label,
        diff=signed(num(test.diff_pt, lang, 1)),
        p=p_is(test.p_value, lang),
        move={("fr", True): "baisse", ("fr", False): "hausse", ("en", True): "drop"}.get(
            (lang, test.diff_pt < 0), "rise"
        ),
    )


def _forecast(grown: Forecast, lang: str, cur: str) -> str:
    """The sentence of a forecast: last period's volume × (1 + growth rate), and the revenue
    it makes at the average order value when the volume is counted in orders."""
    base = grown.base

    def shown(value: float) -> str:  # "1 200 000 €", "2,400 orders"
        if base.type == "revenue":
            return money(value, lang, cur)
        return f"{num(value, lang)} {label(base.type, lang)}"

    line = t(
        lang,
        "kpi-tracking.forecast",
        base=shown(float(base.value)),
        rate=pct(float(grown.rate.value), lang, 0),
        grown=shown(grown.grown),
    )
    if grown.aov and base.type != "revenue":
        revenue = money(round(grown.grown) * float(grown.aov.value), lang, cur)
        aov = money(float(grown.aov.value), lang, cur)
        line += " " + t(lang, "kpi-tracking.forecast_revenue", aov=aov, revenue=revenue)
    return line


def _nps_moved(request: Understanding, lang: str) -> tuple[str, list] | None:
    """Two NPS scores of two periods with their respondents ("NPS passé de 42 à 31, 600
    réponses à chaque fois") weighed against chance with the widest variance an NPS allows
    (kpi.nps_change_bound); None without two scores and a count of respondents."""
    scores, counts = request.all("nps"), request.all("respondents", any_arm=True)
    if len(scores) != 2 or not counts or request.all("promoters"):
        return None
    (then, now), n = (s.value for s in scores), [c.value for c in counts]
    bound = kpi.nps_change_bound(then, now, n[0], n[-1])
    key = "nps_real" if bound.p_value < 0.05 else "nps_unsure"
    line = t(
        lang,
        f"kpi-tracking.{key}",
        then=num(then, lang),
        now=num(now, lang),
        change=signed(num(now - then, lang)),
        n=" / ".join(dict.fromkeys(num(v, lang) for v in n)),
        z=num(bound.z, lang, 2),
        p=p_is(bound.p_value, lang),
        margin=num(bound.margin, lang, 1),
    )
    return line, [*scores, *counts]


# LTV/CAC of 3 or more and a CAC paid back within 12 months: David Skok, "SaaS Metrics 2.0"
HEALTHY_LTV_CAC, HEALTHY_PAYBACK_MONTHS = 3.0, 12.0


def unit_economics(
    kpis: dict[str, float], lang: str, metrics: dict[str, float] | None = None, cur: str = "€"
) -> str:
    """What an LTV/CAC ratio (x) and a CAC payback (months, on margin or else on revenue) in
    ``kpis`` say against the usual SaaS benchmarks (LTV/CAC ≥ 3, payback ≤ 12 months: David
    Skok, "SaaS Metrics 2.0"), and, for an LTV given (€) beside a gross margin (%) in
    ``metrics`` (``cur``: its currency), the ratio on margin should that LTV be on revenue; ""
    when neither is computed."""
    parts, given = [], metrics or {}
    if (ratio := kpis.get("ltv_cac")) is not None:
        level = "high" if ratio >= HEALTHY_LTV_CAC else "thin" if ratio >= 1 else "losing"
        parts.append(t(lang, f"kpi-tracking.ltv_cac_{level}", ratio=num(ratio, lang, 2) + "x"))
        if {"ltv", "gross_margin"} <= set(given) and ratio and 0 < given["gross_margin"] < 100:
            # "LTV 420 €, CAC 150 €, marge brute 60 %": the LTV may be on revenue
            on_margin = given["ltv"] * given["gross_margin"] / 100
            parts.append(
                t(
                    lang,
                    "kpi-tracking.ltv_on_margin",
                    ltv=money(given["ltv"], lang, cur),
                    margin=pct(given["gross_margin"], lang, 0),
                    on_margin=money(on_margin, lang, cur),
                    ratio=num(ratio * given["gross_margin"] / 100, lang, 2) + "x",
                )
            )
    months = kpis.get("cac_payback", kpis.get("cac_payback_revenue"))
    if months is not None:
        key = "payback_fast" if months <= HEALTHY_PAYBACK_MONTHS else "payback_slow"
        parts.append(t(lang, f"kpi-tracking.{key}", months=num(months, lang, 1)))
    return t(lang, "kpi-tracking.unit_economics", parts=" ".join(parts)) if parts else ""


_COST_PER = re.compile(r"(?<![a-z])(?:cost per|cout par|cout d'un|cout du)\s+([a-z][a-z-]{2,})")


def _costs_per_count(
    request: Understanding, spend: float | None, lang: str, costed: list[Slot]
) -> tuple[list, list]:
    """The cost of each count the request asks a cost for ("$12k … 95 demos booked, 18 deals.
    cost per demo? cost per deal?"): spend / the count written right before that word (its stem),
    one line each, and the count slots used; ([], []) without a spend or such a question. Counts
    in ``costed`` (a chain of steps costed already) are not costed again."""
    if not spend:
        return [], []
    lines, counted = [], []
    for asked in dict.fromkeys(m[1] for m in _COST_PER.finditer(request.text)):
        slot = next(
            (
                s
                for s in request.slots
                if isinstance(s.value, float)
                and s.unit == ""
                and s.value
                # "rendez-vous" is read word by word: its first word names it
                and any(
                    stem(w) == stem(words(asked)[0])
                    for w in words(request.text[s.end : s.end + 20])[:2]
                )
            ),
            None,
        )
        if slot is not None:
            lines.append(_cost_per(asked, spend, slot.value, lang, request.currency))
            counted.append(slot)
    # "45 booked demos" beside a spend, unless a chain of steps costed it
    for slot, noun in _named_counts(request, counted + costed):
        lines.append(_cost_per(noun, spend, slot.value, lang, request.currency))
        counted.append(slot)
    return ([bullets(lines)] if lines else []), counted


# a score is no count of people at a step; a survey's groups are parts of its respondents, a
# post's interactions (kpi.INTERACTIONS) side by side, not one after the other
_SCORES = ("nps", "lead_score", "promoters", "passives", "detractors", *kpi.INTERACTIONS)
_SENTENCE_END = re.compile(r"(?<=[^\W\d])\.\s")
_PRICED = re.compile(r"\s+(?:at|a|à|@|for|pour)\s+[$€£]?\d")


def _step_chain(request: Understanding, spend: float | None, lang: str) -> tuple[list, list] | None:
    """Three counts or more of one journey, each a part of the one before ("1,240 registrations
    and 410 attendees. 38 booked a demo", graph.understanding.structures.extract_steps): a line
    with each step's rate from the step before and the share of the first that reaches the last,
    and with a spend, a line with each step's cost (spend / count); with the count slots used.
    None with fewer steps, a step no figure of the request gives, a score or a survey's group
    (promoters…), figures of several channels or arms, or later counts that add up to the first
    (parts of a whole)."""
    # the steps may come a sentence each ("… 410 attendees. 38 booked a demo afterwards.")
    steps = [
        (_PRICED.split(label)[0], n)  # "7 customers at €6k ACV": the customers
        for label, n in extract_steps(_SENTENCE_END.sub(", ", request.raw)) or []
    ]
    counts = [s for s in request.slots if s.unit == "" and isinstance(s.value, float)]
    slots = [next((s for s in counts if s.value == n), None) for _, n in steps]
    apart = len({s.channel for s in counts} - {None}) > 1 or any(s.arm for s in counts)
    # "420 réponses, 210 promoteurs, 130 passifs, 80 détracteurs": parts of a whole, no journey,
    # whatever figure follows them ("… last quarter we had 22")
    sums = list(accumulate(n for _, n in steps[1:]))
    parts = any(abs(total - steps[0][1]) <= 0.01 * steps[0][1] for total in sums[1:])
    if (
        len(steps) < 3
        or None in slots
        or apart
        or parts
        or any(s.type in _SCORES for s in slots if s)
    ):
        return None
    chain = f"{steps[0][0]} {num(steps[0][1], lang)}" + "".join(
        f" → {label} {num(n, lang)} ({pct(n / before * 100, lang)})"
        for (label, n), (_, before) in zip(steps[1:], steps)
        if before
    )
    overall = pct(steps[-1][1] / steps[0][1] * 100, lang) if steps[0][1] else "—"
    lines = [t(lang, "kpi-tracking.step_chain", chain=chain, overall=overall, first=steps[0][0])]
    if spend:
        costs = ", ".join(
            f"{label} {money(spend / n, lang, request.currency, 2)}" for label, n in steps if n
        )
        spent = money(spend, lang, request.currency)
        lines.append(t(lang, "kpi-tracking.step_costs", spend=spent, costs=costs))
    return [bullets(lines)], [s for s in slots if s]


def _cost_per(what: str, spend: float, count: float, lang: str, cur: str) -> str:
    """'Cost per demo: $311.11 ($14,000 / 45).'"""
    return t(
        lang,
        "kpi-tracking.cost_per_count",
        what=what,
        cost=money(spend / count, lang, cur, 2),
        spend=money(spend, lang, cur),
        count=num(count, lang),
    )


def _named_counts(request: Understanding, counted: list[Slot]) -> list[tuple[Slot, str]]:
    """The bare counts no measure names but a plural noun right after them does ("45 booked
    demos": 'demo', past one adjective), not yet costed: (slot, the noun in the singular)."""
    out = []
    for slot in (s for s in request.slots if s.type == "count" and not s.arm):
        if slot in counted or not slot.value:
            continue
        after = request.text[slot.end : slot.end + 30].split()
        noun = next((w.strip(",.;:") for w in after[:2] if w.strip(",.;:").endswith("s")), None)
        if noun and noun.isalpha() and len(noun) > 3:
            out.append((slot, noun[:-1]))  # "cost per demo"
    return out


def _against_channels(
    request: Understanding, kpis: dict[str, float], lang: str
) -> tuple[list[str], list]:
    """The sheet's ROAS (else CPA) computed from its totals against the same measure another
    channel is said to have ("worth it vs our meta ads at ROAS 2.1?"): one line per channel with
    the gap (%) and which brings more per € spent; and the slots compared with."""
    for measure, better_high in (("roas", True), ("cpa", False)):
        own, others = kpis.get(measure), request.all(measure, any_arm=True)
        others = [s for s in others if s.channel]
        if own is None or not others:
            continue
        lines = []
        for other in others:
            gap = (own - other.value) / other.value * 100
            better = (gap > 0) == better_high
            lines.append(
                t(
                    lang,
                    f"kpi-tracking.against_channel_{'better' if better else 'worse'}",
                    measure=label(measure, lang),
                    own=figure_text(measure, own, lang, request.currency),
                    other=figure_text(measure, other.value, lang, request.currency),
                    channel=other.channel,
                    gap=signed(pct(gap, lang)),
                )
            )
        return lines, others
    return [], []


def _kept_per_period(first: tuple[int, float], second: tuple[int, float]) -> float | None:
    """The share (0-1) of a retention curve's customers kept each period between two of its
    points (period, % retained), geometric: (r₂ / r₁)^(1 / periods); None when none was left
    at the first point."""
    (p1, r1), (p2, r2) = first, second
    return (r2 / r1) ** (1 / (p2 - p1)) if r1 else None


def _retention(unit: str, points: list[tuple[int, float]], lang: str) -> list:
    """A cohort's retention curve read period by period: what is retained, and the churn per
    period between two points (geometric: 1 − (r₂ / r₁)^(1 / periods)); then where the curve
    loses most and the churn it settles at, with the lifetime that churn implies (1 / churn)."""
    rows, churns = [[f"{unit[:1].upper()}{points[0][0]}", pct(points[0][1], lang, 0), "—"]], []
    for (p1, r1), (p2, r2) in zip(points, points[1:]):
        kept = _kept_per_period((p1, r1), (p2, r2))
        churn = (1 - kept) * 100 if kept is not None else 0.0
        churns.append(((p1, p2), churn))
        rows.append([f"{unit[:1].upper()}{p2}", pct(r2, lang, 0), pct(churn, lang, 1)])
    headings = [
        t(lang, f"kpi-tracking.retention_{h}", unit=t(lang, f"kpi-tracking.{unit}"))
        for h in ("period", "retained", "churn")
    ]
    (a, b), worst = max(churns, key=lambda c: c[1])
    last = churns[-1][1]
    reading = t(
        lang,
        "kpi-tracking.retention_reading_first"
        if (a, b) == churns[0][0]
        else "kpi-tracking.retention_reading",
        a=f"{unit[:1].upper()}{a}",
        b=f"{unit[:1].upper()}{b}",
        worst=pct(worst, lang, 1),
        last=pct(last, lang, 1),
        life=num(100 / last, lang, 0) if last else "—",
        unit=t(lang, f"kpi-tracking.{unit}"),
        units=t(lang, f"kpi-tracking.{unit}s"),
    )
    return [table(headings, rows), reading]


def _curve_lines(request: Understanding, kpis: dict[str, float], lang: str) -> tuple[list, list]:
    """What a retention curve adds to a KPI sheet, and the slots it uses: the curve read period
    by period, why an LTV computed (``kpis``) divides by its last churn when no churn is given
    (:func:`_curve_churn`), the LTV over a horizon asked; ([], []) without a curve."""
    curve = retention_curve(request.raw)
    if curve is None:
        return [], []
    extra, used = _retention(*curve, lang), [s for s in request.slots if s.unit == "%"]
    if "ltv" in kpis and request.first("churn_rate") is None:
        extra.append(t(lang, "kpi-tracking.curve_churn_ltv"))
    if horizon := _horizon_ltv(*curve, request, lang):  # "6-month LTV at $25/mo"
        extra.append(horizon[0])
        used += horizon[1]
    return extra, used


def _horizon_ltv(
    unit: str, points: list[tuple[int, float]], request: Understanding, lang: str
) -> tuple[str, list] | None:
    """The revenue a customer of a monthly retention curve brings over the horizon asked ("6-month
    LTV at $25/mo", :func:`_months_paid`) as a sentence, with the slots used; None without it."""
    paid = _months_paid(unit, points, request)
    if paid is None:
        return None
    months, kept, last, arpu, horizon = paid
    line = t(
        lang,
        "kpi-tracking.horizon_ltv",
        months=months,
        ltv=money(kept * float(arpu.value), lang, request.currency, 2),
        arpu=money(float(arpu.value), lang, request.currency, 0),
        paid=num(kept, lang, 2),
        churn=pct((1 - last) * 100, lang, 1),
        extended=t(lang, "kpi-tracking.horizon_extended") if months > points[-1][0] else "",
    )
    return line, [arpu, horizon]


def _months_paid(
    unit: str, points: list[tuple[int, float]], request: Understanding
) -> tuple[int, float, float, Slot, Slot] | None:
    """(months of the horizon, months paid on average = Σ of the share retained each month 1 …
    horizon, the last monthly retention factor, the ARPU slot, the horizon slot) of a monthly
    retention curve, months between two points at the churn between them and months after the
    last at the last churn; None without a month curve, an ARPU or a horizon (a duration, in
    days, of a month or more)."""
    arpu, horizon = request.first("arpu"), request.first("duration")
    if unit != "month" or arpu is None or horizon is None or horizon.value < 28:
        return None
    months = round(float(horizon.value) / 30)
    known = dict(points)
    p2 = points[-1][0]
    last = _kept_per_period(points[-2], points[-1]) or 0.0
    kept = []
    for m in range(1, months + 1):
        before = max((p for p in known if p <= m), default=None)
        after = min((p for p in known if p >= m), default=None)
        if before is None:
            kept.append(known[after] if after is not None else 100.0)
        elif after is None:
            kept.append(known[p2] * last ** (m - p2))
        else:
            span = (after - before) or 1
            kept.append(known[before] * (known[after] / known[before]) ** ((m - before) / span))
    return months, sum(kept) / 100, last, arpu, horizon


_KPI_IDS = frozenset(k.id for k in kpi.KPIS)
# "how does it compare to last quarter's 31?", "c'était 3,2 le mois précédent"
_LAST_PERIOD = re.compile(
    r"(?:(?:last|previous|prior)\s+(?:\w+\s+)?(?:quarter|month|year|week|period|survey|time)"
    r"(?:'s)?|(?:trimestre|mois|semestre|annee|semaine|periode|sondage|barometre)\s+"
    r"(?:precedent|dernier|d'avant|passe)e?s?|(?:c'etait|etait|it was|was)|"
    r"(?:vs\.?|versus|contre)(?: last| le dernier)?)\s*(?:of|de|d')?"
    r"(?:\s*[:,]?\s*(?:nps|csat|score|ca|roas|cpa|ctr|cac|was|etait|a|at))?\s*$"
)  # "last quarter NPS was 31", "trimestre précédent NPS 22", "le mois dernier : 4,1"


def _previous_kpi(request: Understanding, metrics: dict, kpis: dict[str, float], lang: str):
    """(sentence, slot) of a KPI given for the previous period, in the thread's last message
    ("and last quarter it was 31, is that a real improvement?") or after a past-period cue in
    the request ("how does it compare to last quarter's 31?"): the KPI it names, else the
    sheet's only one, now against then; for an NPS, whether the gap is beyond its 95 % margin
    (kpi.nps_margin). None unless one such figure is found."""
    *earlier, last = request.raw.split("\n")
    figures = [s for s in request.slots if s.message == len(earlier) and isinstance(s.value, float)]
    if not earlier:  # one message: a bare figure right after a past-period cue
        last, figures = (
            request.raw,
            [
                s
                for s in request.slots
                if (s.generic or s.type in _KPI_IDS)
                and isinstance(s.value, float)
                and _LAST_PERIOD.search(request.text[max(0, s.start - 40) : s.start])
            ],
        )
    named = kpi.requested(last) or [k for k in kpi.KPIS if k.id in kpis and len(kpis) == 1]
    if len(figures) != 1 or not named or named[0].id not in kpis:
        return None
    if not figures[0].generic and figures[0].type != named[0].id:
        return None  # "1,150 of them became paying, what's the CAC?": an input of it, not its value
    k, now, then = named[0], kpis[named[0].id], figures[0].value
    said = t(
        lang,
        "kpi-tracking.against_previous",
        kpi=k.name(lang),
        now=kpi_value(k, now, lang, request.currency),
        then=kpi_value(k, then, lang, request.currency),
        change=_kpi_change(k, now, then, lang),
    )
    if k.id == "nps" and {"promoters", "detractors", "respondents"} <= set(metrics):
        margin = kpi.nps_margin(metrics["promoters"], metrics["detractors"], metrics["respondents"])
        key = "kpi-tracking.nps_beyond" if abs(now - then) > margin else "kpi-tracking.nps_within"
        said += " " + t(lang, key, margin=num(margin, lang, 1), n=num(metrics["respondents"], lang))
    elif k.id == "nps" and {"promoters_share", "detractors_share"} <= set(metrics):
        said += " " + _nps_needs_count(
            metrics["promoters_share"], metrics["detractors_share"], lang
        )
    return said, figures[0]


def _nps_needs_count(promoters: float, detractors: float, lang: str) -> str:
    """What an NPS given as shares (``promoters`` and ``detractors``, % of the answers) lacks to
    say whether it moved beyond chance: the number of answers; the 95 % margin those shares give
    on 200 and on 1,000 answers (kpi.nps_margin), so the user sees the order of magnitude."""
    margins = {
        n: num(kpi.nps_margin(promoters / 100 * n, detractors / 100 * n, n), lang, 1)
        for n in (200, 1000)
    }
    return t(lang, "kpi-tracking.nps_needs_count", small=margins[200], large=margins[1000])


def _kpi_change(k: kpi.Kpi, now: float, then: float, lang: str) -> str:
    """How a KPI moved: in points for a score ('+4.7') or a rate ('+0.35 pt'), else in % of
    its earlier value ('+17.2%'); never "-0.0"."""
    if k.unit == "pts":
        return signed(num(round(now - then, 1) + 0.0, lang, 1))
    if k.unit == "%":
        return signed(num(round(now - then, 2) + 0.0, lang, 2)) + " pt"
    return signed(pct((now / then - 1) * 100, lang)) if then else "—"


def shared_kpis(per: dict[str, dict[str, float]]) -> tuple[dict[str, dict], list[kpi.Kpi]]:
    """The KPIs computed for each channel ({channel: {kpi id: value}}) and those every channel
    has, in the KPI table's order, the share of its leads that became customers included; none
    with fewer than two channels."""
    if len(per) < 2:
        return {}, []
    computed = {c: kpi.compute_kpis(m, kpi.PER_CHANNEL) for c, m in per.items()}
    return computed, [
        k
        for k in kpi.KPIS
        if all(k.id in v for v in computed.values())
        and not (  # the CPA of conversions (no new customers given) says it, once
            k.id == "cost_per_conversion"
            and all(v.get("cpa") == v[k.id] for v in computed.values())
        )
    ]


_RETURNS = ("roas", "ltv_cac", "won_to_spend", "pipeline_to_spend", "order_profit")  # best high
_RATES = ("lead_close_rate",)  # best high, when no return or cost says which channel pays
_COSTS = (  # best low
    "cost_per_mql_from_rate",
    "cpa",
    "cost_per_conversion",
    "cost_per_signup",
    "cost_per_mql",
    "cost_per_sql",
    "cac_from_cpl",
    "cpc",
    "cpm",
)


def _channel_pipeline(request: Understanding, lang: str) -> tuple[list, list] | None:
    """Each channel's SQLs, MQLs or leads carried through the pipeline's rates to customers and
    revenue at the value per customer ("$18k on LinkedIn for 45 SQLs … SQL-to-close is 20%, ACV
    $24k": 9 customers, $216,000, 12.00x on its spend), as a table and which channel returns the
    most per € spent; with the slots used. None without two channels' volumes, a joining rate
    and a value (graph.understanding.pipeline)."""
    chain = channel_chain(request)
    if chain is None:
        return None
    cur, roas = request.currency, chain.roas()
    rows = [
        [
            c,
            num(chain.customers(c), lang, 0 if chain.customers(c).is_integer() else 1),
            money(chain.revenue(c), lang, cur),
            f"{num(roas[c], lang, 2)}x" if c in roas else "—",
        ]
        for c in chain.volumes
    ]
    header = [t(lang, f"kpi-tracking.{k}") for k in ("channel", "customers", "revenue")] + ["ROAS"]
    lines: list = [table(header, rows)]
    if roas:
        best = max(roas, key=lambda c: roas[c])
        lines.append(
            t(
                lang,
                "kpi-tracking.best_return",
                kpi="ROAS",
                channel=best,
                value=f"{num(roas[best], lang, 2)}x",
            )
        )
    spent = [s for s in request.all("spend", "budget", any_arm=True) if s.channel in roas]
    return lines, [*chain.volumes.values(), *chain.rates, chain.value, *spent]


def _against_benchmark(ratios: dict[str, float], lang: str) -> str:
    """Which channels' LTV/CAC reaches the healthy 3:1 (David Skok, "SaaS Metrics 2.0")."""
    below = [c for c, r in ratios.items() if r < HEALTHY_LTV_CAC]
    if not below:
        return t(lang, "kpi-tracking.ltv_cac_all_healthy")
    return t(lang, "kpi-tracking.ltv_cac_below", channels=", ".join(below))


def channel_kpis(
    per: dict[str, dict[str, float]],
    lang: str,
    cur: str,
    extra: float | None = None,
    names: dict[str, str] | None = None,
) -> list:
    """The KPIs of each channel given with its own figures (``per``: binding.channel_metrics),
    the ones every channel has, as a table Channel | KPI… (each by the name the user gave it,
    ``names``: kpi.said_names), then which channel does best on a return (the highest ROAS or
    LTV/CAC), else on a cost (the lowest CPA), and what an ``extra`` amount (€) brings on it at
    a constant ROAS or CPA; [] with fewer than two channels or no KPI they all have."""
    names = names or {}
    computed, shown = shared_kpis(per)
    if not shown:
        return []
    # a profit after the CPA is shown beside that CPA, given for every channel (shared_kpis)
    given = (
        [k for k in kpi.KPIS if k.id == "cpa"] if any(k.id == "order_profit" for k in shown) else []
    )
    rows = [
        [c] + [kpi_value(k, {**per[c], **computed[c]}[k.id], lang, cur) for k in given + shown]
        for c in per
    ]
    header = [t(lang, "kpi-tracking.channel")] + [
        names.get(k.id) or k.name(lang) for k in given + shown
    ]
    out: list = [table(header, rows)]
    # a return first, else a cost: an average order value or an MRR says nothing of profitability
    first = next((k for i in _RETURNS + _COSTS + _RATES for k in shown if k.id == i), None)
    if first:  # a cost is best low, a return or a rate high
        pick = min if first.id in _COSTS else max
        best = pick(computed, key=lambda c: computed[c][first.id])
        value = kpi_value(first, computed[best][first.id], lang, cur)
        key = "best_cost" if first.id in _COSTS else "best_return"
        key = "best_rate" if first.id in _RATES else key
        name = names.get(first.id) or first.name(lang)  # "le ratio LTV/CAC", "le CAC"
        name = name if name[:2].isupper() else name[:1].lower() + name[1:]
        out.append(t(lang, f"kpi-tracking.{key}", kpi=name, channel=best, value=value))
        if first.id == "ltv_cac":  # "are both channels worth it?": each against the 3:1 benchmark
            out.append(_against_benchmark({c: v["ltv_cac"] for c, v in computed.items()}, lang))
        if extra and first.id in ("roas", "cpa", "cost_per_conversion"):
            # "where do I put the extra 10k?": on the best channel, at its return (constant)
            brings = (
                money(extra * computed[best][first.id], lang, cur)
                if first.id == "roas"
                else num(extra / computed[best][first.id], lang)
            )
            out.append(
                t(
                    lang,
                    f"kpi-tracking.extra_on_best_{key}",
                    amount=money(extra, lang, cur),
                    channel=best,
                    kpi=name,
                    value=value,
                    brings=brings,
                )
            )
    return out + _losing_channels(computed, lang, cur)


def _over_target(per: dict[str, dict[str, float]], request: Understanding, lang: str, cur: str):
    """["Over the €45 CPA target: Meta (€58.06, +29.0%)."] for the channels whose CPA (given, or
    spend / conversions) passes the target CPA the user gave ("who's over?"), or the line that
    none does; [] without a target or a CPA for each channel (campaigns seed, Suivi Performance:
    alerts on off-target KPIs)."""
    target = request.value("target_cpa")
    computed = shared_kpis(per)[0]
    costs: dict[str, float] = {}
    for c in per:
        cost = (computed.get(c) or {}).get("cpa", per[c].get("cpa"))
        if cost is None:
            return []
        costs[c] = float(cost)
    if not target:
        return []
    over = [
        f"{c} ({money(v, lang, cur, 2)}, {signed(pct((v / target - 1) * 100, lang))})"
        for c, v in costs.items()
        if v > target
    ]
    key = "kpi-tracking.over_target" if over else "kpi-tracking.none_over_target"
    return [t(lang, key, target=money(target, lang, cur), channels=", ".join(over))]


_CUT_VERBS = (
    r"(?:cut|cutting|drop|stop|kill|pause|couper|coupe|arreter|arrete|stopper|supprimer|lacher|"
    r"virer|turn off|shut down|defund)"
)
_CUT = re.compile(rf"(?<![a-z]){_CUT_VERBS}(?![a-z])")


def _to_cut(per: dict[str, dict[str, float]], request: Understanding, lang: str, cur: str) -> list:
    """Which channel to cut first when the request asks ("which one do we cut?"): the lowest ROAS
    of the channels (binding.channel_metrics), and what to check before; [] when nothing is
    asked to be cut, or with fewer than two channels' ROAS."""
    computed, shown = shared_kpis(per)
    if not _CUT.search(request.text) or not any(k.id == "roas" for k in shown):
        return []
    worst = min(computed, key=lambda c: computed[c]["roas"])
    roas = f"{num(computed[worst]['roas'], lang, 2)}x"
    return [t(lang, "kpi-tracking.cut_first", channel=worst, roas=roas)]


def _losing_channels(computed: dict[str, dict[str, float]], lang: str, cur: str) -> list[str]:
    """The channels whose CPA is above the break-even CPA (``computed``: each channel's KPIs,
    with ``order_profit`` = AOV × margin − CPA, €): each loses that much on a first order."""
    losing = {c: v["order_profit"] for c, v in computed.items() if v.get("order_profit", 0) < 0}
    if not losing:
        return []
    return [
        t(
            lang,
            "kpi-tracking.losing_channels",
            channels=", ".join(
                t(lang, "kpi-tracking.loses", channel=c, loss=money(-loss, lang, cur))
                for c, loss in losing.items()
            ),
        )
    ]


# the volumes a rate to reach is applied to: people entering the step the rate converts
SCENARIO_VOLUMES = ("conversions", "leads", "mqls", "sqls", "visitors", "monthly_traffic")


def rate_scenario(request: Understanding, lang: str) -> tuple[str, list]:
    """What reaching a rate would add ("trial-to-paid 14 %, 2 300 trials a month, ARPU $79: if we
    push it to 17 %?"), or reaching the sector's ("industry says 18-25%": each end of the range):
    volume × (target − current rate) more conversions a period, each worth the ARPU or average
    basket given (in conversions alone without one); ('', []) unless the current rate, the rate
    to reach and the volume are given. Returns (the sentences, the slots they used)."""
    current = request.first("conversion_rate", "rate")
    target = request.first("target_rate")
    sector = sector_rates(request, ("conversion_rate",))
    targets = sector if target is None or any(s is target for s in sector) else [target]
    volume = request.first(*SCENARIO_VOLUMES)
    value = request.first("arpu", "aov")
    targets = [s for s in targets if current is not None and s.value != current.value]
    if current is None or not targets or volume is None:
        return "", []
    # "taux d'abandon panier 74 % … si on le baisse à 65 %": those who do not abandon convert
    lower = bool(LOWER_BETTER.search(request.text[max(0, current.start - 40) : current.start]))
    lines = [
        _reaching(current.value, s.value, volume.value, value, request, lang, lower)
        for s in targets
    ]
    return "\n".join(lines), [current, *targets, volume, *([value] if value else [])]


# a churn to reach: "si on le baisse à 3 %", "what if we get churn down to 4%", "réduire à 3 %"
_CHURN_TO = re.compile(
    r"(?<![a-z])(?:si|if|et si|what if|baisse\w*|reduire|reduit\w*|reduce\w*|lower\w*|cut|"
    r"get\w*|bring\w*|passe\w*|drop\w*|down)(?![a-z])[^.?!]{0,40}$"
)


def churn_scenario(request: Understanding, lang: str) -> tuple[str, list] | None:
    """What a lower (or higher) monthly churn is worth ("churn mensuel 4,5 %, ARPU 29 € … si on le
    baisse à 3 %, ça rapporte combien sur un an avec 2 000 clients ?"): the customers lost the
    first month and the LTV (ARPU / churn, seed formula) at both rates, then over 12 months
    without new customers the customers left (customers × (1 − churn)^12) and the revenue kept
    (ARPU × the customers left each month, summed), the difference between the two. Returns
    (the sentence, the slots used); None without a churn, a churn to reach said in a what-if,
    the customers and the ARPU."""
    churn, arpu = request.first("churn_rate"), request.first("arpu")
    customers = request.first("customers", "list_size")
    if churn is None or arpu is None or customers is None:
        return None
    target = next(
        (
            s
            for s in request.all("target_rate", "churn_rate")
            if s is not churn
            and s.unit == "%"
            and s.start > churn.start
            and _CHURN_TO.search(fold(request.text[max(0, s.start - 45) : s.start]))
        ),
        None,
    )
    if target is None or not 0 < target.value < 100:
        return None
    rates = (churn.value / 100, target.value / 100)
    left = [round(customers.value * (1 - r) ** 12) for r in rates]
    kept = [arpu.value * customers.value * sum((1 - r) ** m for m in range(1, 13)) for r in rates]
    cur = request.currency
    line = t(
        lang,
        "kpi-tracking.churn_scenario",
        target=pct(target.value, lang),
        churn=pct(churn.value, lang),
        lost=num(customers.value * rates[1], lang),
        lost_now=num(customers.value * rates[0], lang),
        ltv=money(arpu.value / rates[1], lang, cur, 2),
        ltv_now=money(arpu.value / rates[0], lang, cur, 2),
        left=num(left[1], lang),
        left_now=num(left[0], lang),
        more=signed(num(left[1] - left[0], lang)),
        revenue=signed(money(kept[1] - kept[0], lang, cur)),
    )
    return line, [churn, arpu, customers, target]


def _reaching(
    current: float,
    target: float,
    volume: float,
    value: Slot | None,
    request: Understanding,
    lang: str,
    lower: bool = False,
) -> str:
    """The scenario sentence of :func:`rate_scenario` for one rate to reach (%, ``target``), in
    conversions alone without a ``value`` (an ARPU or a basket); a rate where less is better
    (``lower``: abandonment) converts its complement."""
    shown = {"current": pct(current, lang), "target": pct(target, lang)}
    if lower:
        current, target = 100 - current, 100 - target
    more = volume * (target - current) / 100
    cur = request.currency
    said = {
        **shown,
        "volume": num(volume, lang),
        "more": signed(num(more, lang)),
        "change": signed(pct((target / current - 1) * 100, lang)),
    }
    if value is None:  # "900 MQLs a month … benchmark 20-30%": the SQLs it misses
        return t(lang, "kpi-tracking.rate_scenario_count", **said)
    line = t(
        lang,
        "kpi-tracking.rate_scenario",
        **said,
        value=money(value.value, lang, cur, 2),
        added=signed(money(more * value.value, lang, cur)),
    )
    if _YEARLY.search(request.text):  # "what's that worth per year?": a month's gain, over 12
        line += " " + _a_year_of(more, value, lang, cur)
    return line


def _a_year_of(more: float, value: Slot, lang: str, cur: str) -> str:
    """A monthly gain of ``more`` customers over a year (the volume is taken per month): at an
    ARPU, each month's customers add recurring revenue, so 12 cohorts end the year at 12 ×
    more × ARPU of MRR (× 12 as ARR) and bring 78 × more × ARPU in the year (1 + 2 + … + 12
    months paid); at a basket, 12 × more orders."""
    if value.type != "arpu":
        return t(
            lang, "kpi-tracking.rate_year_once", added=money(12 * more * value.value, lang, cur)
        )
    return t(
        lang,
        "kpi-tracking.rate_year",
        customers=num(12 * more, lang),
        mrr=money(12 * more * value.value, lang, cur),
        arr=money(144 * more * value.value, lang, cur),
        collected=money(78 * more * value.value, lang, cur),
    )


def _planned_sample(request: Understanding) -> int | None:
    """The planned visitors per variant stated in the request ("taille prévue 20 000 par variante",
    "planned sample 20k"), or None."""
    planned = request.all("planned_sample", any_arm=True)
    return int(planned[0].value) if planned else None


@builder("ab-testing")
def ab_testing(inputs, lang, request):
    """A/B readout: A against B, or against the best of k > 2 variants with a Bonferroni-corrected
    alpha (0.05 / (k − 1)) and a chi-square over all versions; Bayesian chance, SRM, peeking. A
    conversion test's interval is at the confidence the user asks ("at 99% confidence?"), the
    others' at 95 %."""
    values, facts = _ab_readout(inputs, lang, request)
    return {"ci_level": pct(95, lang, 0), **values}, facts


def _ab_readout(inputs, lang, request):
    """The readout's values and facts (:func:`ab_testing`)."""
    res = inputs.get("results")
    if res is None or "means" in res or "revenue" in res:
        return _not_proportions(res, inputs, lang, request)
    arms = _asked_outcome(
        res.get("arms")
        or [
            {"label": "A", "visitors": res["visitors_a"], "conversions": res["conversions_a"]},
            {"label": "B", "visitors": res["visitors_b"], "conversions": res["conversions_b"]},
        ],
        request,
    )
    control, best = arms[0], max(arms[1:], key=lambda a: a["conversions"] / a["visitors"])
    design = requested_design(request.text)  # "alpha 1 %", "one-sided": the user's own setting
    alpha = design.get("alpha", 0.05) / (len(arms) - 1)
    r, chances = _compared(
        control, best, arms, design.get("two_sided", True), design.get("alpha", 0.05)
    )
    srm = abtest.srm([a["visitors"] for a in arms], _planned_shares(request, arms))
    # said in the request, else the thread's logged plan
    planned = _planned_sample(request) or inputs.get("planned_n")
    early = planned is not None and min(a["visitors"] for a in arms) < planned
    checks, alpha_text = _arm_checks(arms, chances, srm, design, lang)
    if periods_named(request.text) and len(arms) == 2:  # two periods: no split to check
        checks[0] = t(lang, "ab-testing.before_after")
    if early:
        checks.append(t(lang, "ab-testing.read_before_planned_sample", planned=num(planned, lang)))
    other, used, revenue_lift = _other_outcomes(arms, request, lang)
    checks += other
    significant = r.p_value < alpha  # the interval keeps the level asked; the decision is corrected
    # "is it big enough?", "how many sessions would we have needed?": what it would need
    if asks_sample(request.text) or not (significant or early or planned):
        checks += _sample_for_observed(control, best, arms, request, lang, significant)
    verdict, rec = _verdict(early, significant, best["label"], r.diff_pt > 0, planned, alpha, lang)
    verdict, rec, short = _decided(verdict, rec, request, planned, srm.mismatch, lang)
    used += [short] if short else []
    bayes = chances[best["label"]]
    values = _proportions_values(r, control, best, len(arms), bayes, lang, _outcome(request, best))
    values["ci_level"] = pct(100 - 100 * design.get("alpha", 0.05), lang, 0)  # "at 99%?"
    values.update(
        verdict=verdict,
        checks=bullets(checks),
        recommendation=rec,
        _used=used,
        method=t(
            lang,
            "ab-testing.method",
            test=r.method,
            alpha=alpha_text,
            bayes=bayes.method,
            srm=srm.method,
        ),
        _charts=[_intervals_chart(arms, lang)],
        _alerts=_alerts(srm, planned if early else None, lang),
        _experiment=_readout_record(
            request, arms, r, bayes, None if early or short else significant
        ),
    )
    facts = _readout_facts(srm.mismatch, r.lift_pct, significant and r.diff_pt < 0)
    if revenue_lift is not None:  # orders × basket per visitor: the revenue the test moves
        facts["revenue_impact"] = abs(revenue_lift)
    return values, facts


def _sample_for_observed(
    control: dict,
    best: dict,
    arms: list[dict],
    request: Understanding,
    lang: str,
    significant: bool,
) -> list[str]:
    """For a readout that is not significant: the visitors each version needs to detect the
    difference observed between ``control`` and ``best`` (abtest.sample_size: statsmodels
    NormalIndPower, 80 % power or the power and alpha asked, Bonferroni over the arms), and, when
    the request gives the days the test ran, about how many more days at its pace; asked of a
    ``significant`` readout, that the lift of a test too small for it is likely overstated (the
    winner's curse). [line], or [] when the rates are equal or the arms already hold that many
    visitors and the user did not ask (then the line says they had enough)."""
    a, b = (arm["conversions"] / arm["visitors"] * 100 for arm in (control, best))
    design = {k: v for k, v in requested_design(request.text).items() if k != "control_share"}
    if not 0 < a < 100 or a == b or not 0 < b < 100:
        return []
    need = abtest.sample_size(
        abtest.SampleSizeInput(
            baseline_rate=a, mde=abs(b - a), mde_unit="pt", variants=len(arms), **design
        )
    ).n_per_variant
    have = min(arm["visitors"] for arm in arms)
    if have >= need and not asks_sample(request.text):
        return []
    shown = {
        "need": num(need, lang),
        "have": num(have, lang),
        "a": pct(a, lang, 2),
        "b": pct(b, lang, 2),
    }
    shown["power"] = pct(100 * design.get("power", 0.8), lang, 0)
    if have >= need or significant:
        return [
            t(lang, "ab-testing.observed_" + ("enough" if have >= need else "overstated"), **shown)
        ]
    days = next((s.value for s in request.all("duration") if s.unit == "days" and s.value), None)
    if days:  # the arms fill at the pace they filled so far
        more = math.ceil((need - have) / (have / float(days)))
        return [t(lang, "ab-testing.observed_needs_days", **shown, days=num(more, lang))]
    return [t(lang, "ab-testing.observed_needs", **shown)]


def _other_outcomes(
    arms: list[dict], request: Understanding, lang: str
) -> tuple[list[str], list, float | None]:
    """The readout's check lines on what else the arms give (a second outcome, baskets), the
    slots the readout uses beyond visitors and conversions, and the revenue-per-visitor lift (%)
    when baskets give it."""
    other, counted = _secondary(arms, request, lang)
    if held := _holdout_lift(arms, request, lang):  # "emailed group at 3.6%, holdout 3.1%"
        other, counted = [*other, held[0]], counted + held[1]
    per_visitor, baskets, revenue_lift = _revenue_per_visitor(arms, request, lang)
    if revenue_lift is None and len(arms) == 2:  # no basket: what the conversions are worth
        per_visitor, baskets, revenue_lift = _valued_conversions(arms, request, lang)
    # "on peut passer B à 100 % ?": the recommendation is the answer; a price that names a
    # version ("$50 vs $75") is the arm's name, shown as A and B
    named = [
        s for s in request.slots if s.type == "traffic_share" or (s.type == "amount" and s.arm)
    ]
    return other + per_visitor, named + counted + baskets, revenue_lift


def _interim_readout(p_value: float, lang: str, request: Understanding):
    """A test read from its p-value alone: at an early look ("5 jours sur les 21 prévus", "day 5
    of a 21-day test") against the O'Brien-Fleming-type boundary of that look
    (graph.calculators.abtest.interim_look), else against alpha with what a final look needs;
    the lift said is shown as said, and the counts are asked for a full readout."""
    alpha = requested_design(request.text).get("alpha", 0.05)
    shown = {"p": p_is(p_value, lang), "alpha": num(alpha, lang, 2)}
    values, lift = {"label_b": "B", "p_value": pvalue(p_value, lang)}, _lift_said(request, lang)
    values.update(lift[0])
    elapsed = elapsed_days(request.text)
    if elapsed is None:
        key = "interim_final_significant" if p_value < alpha else "interim_final_not"
        return values | {
            "verdict": t(lang, f"ab-testing.{key}_verdict"),
            "reading": t(lang, f"ab-testing.{key}", **shown),
            "checks": "",
            "recommendation": t(lang, "ab-testing.interim_counts"),
            "method": t(lang, "ab-testing.interim_method_final"),
            "_used": [s for s in request.slots if s.type == "p_value"] + lift[1],
        }, {}
    look = abtest.interim_look(*elapsed, p_value, alpha)
    key = "interim_stop" if look.stop else "interim_wait"
    said = shown | _look_said(look, elapsed, lang)
    return values | {
        "verdict": t(lang, f"ab-testing.{key}_verdict"),
        "reading": t(lang, f"ab-testing.{key}", **said),
        "checks": t(lang, "ab-testing.interim_peeking", **said),
        "recommendation": t(lang, f"ab-testing.{key}_advice", **said),
        "method": look.method,
        "_used": [s for s in request.slots if s.type in ("p_value", "duration", "planned_sample")]
        + lift[1],
    }, {}


def _lift_said(request: Understanding, lang: str) -> tuple[dict, list]:
    """({'lift': the lift as said}, [its slot]) of an early look ("B est à +18 %", "lift de 8 %
    sur la variante"), or ({}, [])."""
    lift = next(
        (s for s in request.slots if s.type in ("change", "rate", "mde") and s.unit == "%"), None
    )
    if lift is None:  # "revenue per visitor from €3.10 to €3.30": the lift the two values make
        return _lift_between(request, lang)
    return {"lift": t(lang, "ab-testing.lift_said", lift=signed(pct(float(lift.value), lang)))}, [
        lift
    ]


def _lift_between(request: Understanding, lang: str) -> tuple[dict, list]:
    """({'lift': "+6.5% (€3.10 → €3.30)"}, [the two slots]) of a measure said before and after
    ("revenue per visitor from €3.10 to €3.30"), or ({}, [])."""
    for measure in ("rpv", "conversion_rate", "aov", "revenue"):
        pair = [s for s in request.all(measure) if isinstance(s.value, float) and s.value > 0]
        if len(pair) == 2:
            before, after = pair
            change = (float(after.value) / float(before.value) - 1) * 100
            moved = f"{signed(pct(change, lang, 1))} ({show(before, lang, request.currency)} → "
            moved += f"{show(after, lang, request.currency)})"
            return {"lift": t(lang, "ab-testing.lift_said", lift=moved)}, pair
    return {}, []


def _look_said(look, elapsed: tuple[int, int], lang: str) -> dict:
    """The figures of an early look (abtest.interim_look) as its sentences show them: the day,
    the planned days, the share of the test and the boundary."""
    return {
        "elapsed": elapsed[0],
        "planned": elapsed[1],
        "share": pct(look.information * 100, lang, 0),
        # two significant digits: 0.000059 early in a test, not "< 0.0001"
        "boundary": num(look.boundary, lang, max(4, 1 - math.floor(math.log10(look.boundary)))),
    }


def _not_proportions(res: dict | None, inputs: dict, lang: str, request: Understanding):
    """A readout of no two proportions: an early look ("5 jours sur 21, p = 0,03", or only
    "significative"), a continuous metric's means, or revenue and visitors alone."""
    if res is None and inputs.get("p_value") is None:
        return _said_significant(inputs["early_look"], lang, request)
    if res is None:
        return _interim_readout(inputs["p_value"], lang, request)
    if "means" in res:
        return _means_readout(res["means"], lang, request)
    return _revenue_readout(res["revenue"], lang, request)


def _said_significant(look: tuple[int, int], lang: str, request: Understanding):
    """A test said significant at an early look with no p-value nor counts ("9 jours sur 21, la
    variante est à +12 % et significative : on arrête ?"): the O'Brien-Fleming-type boundary of
    that look (graph.calculators.abtest.interim_look), which a p just under alpha does not pass;
    the p-value or the counts are asked for. A test only said to be ahead, to be stopped early
    ("au bout de 4 jours, la variante est à +25 %"), is read the same way at that lift."""
    alpha = requested_design(request.text).get("alpha", 0.05)
    bound = abtest.interim_look(*look, alpha, alpha)  # the boundary does not depend on p
    lift = _lift_said(request, lang)
    # "arrêter au bout de 4 jours, la variante est à +25 %": the lift said, over the seed's
    # two weekly cycles (binding.stopped_early)
    significant = said_significant(request.text) or not lift[1]
    said = _look_said(bound, look, lang) | {
        "alpha": num(alpha, lang, 2),
        "p": t(lang, "ab-testing.said_significant")
        if significant
        else signed(pct(float(lift[1][0].value), lang)),
    }
    return {
        "label_b": "B",
        "p_value": "—",
        **lift[0],
        "verdict": t(lang, "ab-testing.interim_wait_verdict"),
        "reading": t(
            lang, f"ab-testing.{'interim_said' if significant else 'interim_lift'}", **said
        ),
        "checks": t(lang, "ab-testing.interim_peeking", **said),
        "recommendation": t(lang, "ab-testing.interim_said_advice", **said),
        "method": bound.method,
        "_used": [s for s in request.slots if s.type in ("duration", "planned_sample")] + lift[1],
    }, {}


def _holdout_share(request: Understanding, arms: list[dict]):
    """The slot of the holdout's share of the users when the two arms were sized from a total
    and that share (binding.holdout_split: the arms had no visitors of their own), else None."""
    split = holdout_split(request)
    if len(arms) != 2 or split is None:
        return None
    total, share = split
    return (
        share
        if round(float(total.value) * float(share.value) / 100) == arms[0]["visitors"]
        else None
    )


def _planned_shares(request: Understanding, arms: list[dict]) -> list[float] | None:
    """The split a holdout test planned ([10, 90] for "10% of users got no emails") or the split
    said ([90, 10] for "a 90/10 split"); for two periods compared ("avant … après …"), the
    visitors each had (no split was planned); else None (an even split)."""
    share = _holdout_share(request, arms)
    if share is not None:
        return [float(share.value), 100 - float(share.value)]
    split = requested_design(request.text).get("control_share")
    if split is not None and len(arms) == 2:  # "a 90/10 test": 90 % of visitors on the control
        return [split, 100 - split]
    # two periods compared ("avant … après …"), or a holdout whose groups have their own sizes
    # (a 50,000 / 5,000 holdout is sized on purpose): no even split was planned
    planned = periods_named(request.text) or HOLDOUT.search(request.text)
    return [float(a["visitors"]) for a in arms] if planned else None


def _holdout_lift(arms: list[dict], request: Understanding, lang: str) -> tuple[str, list] | None:
    """A holdout test's incremental effect: the conversions the exposed group made beyond its
    size at the holdout's rate (exposed × (rate B − rate A)), with the slots of the split."""
    share = _holdout_share(request, arms)
    if share is None and not (len(arms) == 2 and HOLDOUT.search(request.text)):
        return None
    held, exposed = arms
    rates = [a["conversions"] / a["visitors"] for a in arms]
    extra = exposed["visitors"] * (rates[1] - rates[0])
    line = t(
        lang,
        "ab-testing.holdout_lift",
        exposed=num(exposed["visitors"], lang),
        extra=num(extra, lang),
        lift=signed(pct((rates[1] / rates[0] - 1) * 100, lang)) if rates[0] else "—",
    )
    basket = request.first("aov")
    if basket is not None:  # "what's the incremental revenue if AOV is €70?"
        worth = money(extra * float(basket.value), lang, request.currency)
        line += " " + t(lang, "ab-testing.holdout_revenue", revenue=worth, aov=show(basket, lang))
    return line, list(holdout_split(request) or ()) + ([basket] if basket else [])


_SECONDARY = ("clicks", "orders", "signups", "conversions", "leads")


def _asked_outcome(arms: list[dict], request: Understanding) -> list[dict]:
    """``arms`` read on the outcome the user asks about when each of two arms gives it besides
    the first one ("… 4 320 ouvertures, 312 clics … lequel gagne sur les clics ?": clicks over
    the same sends), else as they are."""
    counts = asked_outcome(request.text, request, {a["label"]: a["visitors"] for a in arms})
    if len(arms) != 2 or not counts or any(counts[a["label"]] > a["visitors"] for a in arms):
        return arms
    return [{**a, "conversions": counts[a["label"]]} for a in arms]


def _secondary(arms: list[dict], request: Understanding, lang: str) -> tuple[list[str], list]:
    """A check line for a second outcome each of two arms gives ("3 450 ouvertures, 412 clics"):
    its rate per arm over the same visitors and the two-proportion z-test between them
    (statsmodels), so that a subject line that wins on opens is not shipped on clicks it loses;
    with the two slots it read. ([], []) when the arms give none."""
    if len(arms) != 2:
        return [], []
    for type_ in _SECONDARY:
        counts = {s.arm: s for s in request.all(type_, any_arm=True) if s.arm in ("A", "B")}
        a, b = counts.get("A"), counts.get("B")
        if not (a and b) or {a.value, b.value} & {arms[0]["conversions"], arms[1]["conversions"]}:
            continue
        if a.value > arms[0]["visitors"] or b.value > arms[1]["visitors"]:
            continue
        r = abtest.ztest(
            abtest.ZTestInput(
                visitors_a=arms[0]["visitors"],
                conversions_a=a.value,
                visitors_b=arms[1]["visitors"],
                conversions_b=b.value,
            )
        )
        rates = [pct(s.value / arm["visitors"] * 100, lang, 2) for s, arm in zip((a, b), arms)]
        verdict = "chi_significant" if r.p_value < 0.05 else "chi_not_significant"
        line = t(
            lang,
            "ab-testing.secondary_check",
            measure=noun_after(request.text, a) or label(type_, lang),  # "4 320 ouvertures"
            a=rates[0],
            b=rates[1],
            p=p_is(r.p_value, lang),
            verdict=t(lang, f"ab-testing.{verdict}"),
        )
        return [line], [a, b]
    return [], []


def _revenue_per_visitor(
    arms: list[dict], request: Understanding, lang: str
) -> tuple[list[str], list, float | None]:
    """With each of two arms' revenue ("A : 372 commandes, 31 000 € de CA") or average basket
    ("392 orders, AOV $58"; one basket for both, "AOV is $89 for both"): a check line with revenue
    per visitor (revenue / visitors, else conversions × AOV / visitors) per arm and its lift (%),
    which a conversion test does not test (Welch's t-test needs per-visitor variance); the slots
    used and the lift; or each arm's revenue per visitor as given ("revenue per user $5.20 vs
    $6.10"). ([], [], None) without both revenues, baskets or revenues per visitor."""
    stated = {s.arm: s for s in request.all("rpv", any_arm=True) if s.arm in ("A", "B")}
    if len(arms) == 2 and len(stated) == 2 and stated["A"].value:
        lift = (stated["B"].value - stated["A"].value) / stated["A"].value * 100
        line = t(
            lang,
            "ab-testing.revenue_per_visitor_stated",
            a=money(stated["A"].value, lang, request.currency, 2),
            b=money(stated["B"].value, lang, request.currency, 2),
            lift=signed(pct(lift, lang)),
        )
        worth, traffic = _worth(stated["A"].value, stated["B"].value, arms, request, lang)
        return [line, *worth], [stated["A"], stated["B"], *traffic], lift
    revenues = {s.arm: s for s in request.all("revenue", any_arm=True) if s.arm in ("A", "B")}
    aovs = request.all("aov", any_arm=True)
    baskets = {s.arm: s for s in aovs if s.arm in ("A", "B")}
    shared = [s for s in aovs if s.arm in (None, "*")]
    if not baskets and len(shared) == 1:  # "AOV is $89 for both": each arm's basket
        baskets = {"A": shared[0], "B": shared[0]}
    if len(arms) != 2 or (len(baskets) != 2 and len(revenues) != 2):
        return [], [], None
    by_revenue = len(revenues) == 2
    rpv = [
        (revenues[a["label"]].value if by_revenue else a["conversions"] * baskets[a["label"]].value)
        / a["visitors"]
        for a in arms
    ]
    if not rpv[0]:
        return [], [], None
    lift = (rpv[1] - rpv[0]) / rpv[0] * 100
    cur = request.currency
    line = t(
        lang,
        f"ab-testing.revenue_per_visitor_{'given' if by_revenue else 'check'}",
        a=money(rpv[0], lang, cur, 2),
        b=money(rpv[1], lang, cur, 2),
        lift=signed(pct(lift, lang)),
    )
    used = revenues if by_revenue else baskets
    worth, traffic = _worth(rpv[0], rpv[1], arms, request, lang)
    return [line, *worth], list({id(s): s for s in used.values()}.values()) + traffic, lift


def _valued_conversions(
    arms: list[dict], request: Understanding, lang: str
) -> tuple[list[str], list, float | None]:
    """With one value for every conversion ("revenue per trial is about $140", "ARPU is $85/yr",
    "un lead vaut 50 €"): a check line with each arm's revenue per visitor (conversion rate ×
    value) and what shipping B is worth (:func:`_worth`), the slots used and the revenue lift (%,
    the conversion lift: the conversion test is then also the revenue test). Without a value:
    the conversions shipping B is worth, and no lift."""
    rates = [a["conversions"] / a["visitors"] for a in arms]
    value = next(  # "signups are worth €90 each": every arm's ("*"), or said apart from them
        (
            s
            for s in request.all("conversion_value", "arpu", "ltv", any_arm=True)
            if s.arm in (None, "*") and not s.channel
        ),
        None,
    )
    if value is None and rates[0] and (page := _page_revenue(request)):
        return _page_revenue_moved(page, rates, request, lang)
    # "la newsletter fait 30 % du CA": a channel's share is the share the test moves too
    if value is None and rates[0] and (share := request.first("revenue_share", any_arm=True)):
        moved_line, used, moved = _revenue_share_moved(share, rates, lang)
        worth, counted = _worth(rates[0], rates[1], arms, request, lang, "conversions")
        return moved_line + worth, used + counted, moved
    if value is None or not rates[0]:
        worth, used = _worth(rates[0], rates[1], arms, request, lang, "conversions")
        return worth, used, None
    paid, paid_words = _paid_share(request) or (None, "")  # "trial to paid is ~18%"
    worth_each = value.value * (paid.value / 100 if paid else 1)  # a conversion pays that often
    a, b = (rate * worth_each for rate in rates)
    lift = (b - a) / a * 100
    line = t(
        lang,
        "ab-testing.valued_conversions",
        value=money(value.value, lang, request.currency)
        + ("" if value.type == "conversion_value" else f" ({label(value.type, lang)})")
        + (f" × {pct(paid.value, lang, 0)} ({paid_words})" if paid else ""),
        a=money(a, lang, request.currency, 2),
        b=money(b, lang, request.currency, 2),
        lift=signed(pct(lift, lang)),
    )
    worth, used = _worth(a, b, arms, request, lang)
    return [line, *worth], [value, *used, *([paid] if paid else [])], lift


# the share of a test's conversions that later pay: "trial to paid is ~18%", "essai → payant 18 %"
_PAID_SHARE = re.compile(
    r"(?<![a-z])(?:trial[- ]to[- ](?:paid|paying)|essai\w*\s*(?:->|→|vers|en)\s*payant\w*|"
    r"lead[- ]to[- ](?:customer|sale)|close rate|win rate|taux de closing)(?![a-z])"
)


def _paid_share(request: Understanding) -> tuple[Slot, str] | None:
    """The rate (%) at which the test's conversions later pay, given for every arm, with the words
    that name it just before it ("trial to paid is ~18% on both": 18 %, 'trial to paid'), or
    None."""
    for s in request.all("rate", "conversion_rate", any_arm=True):
        if s.arm not in (None, "*") or s.channel:
            continue  # "~18% on both": every arm's
        named = _PAID_SHARE.search(request.text[max(0, s.start - 30) : s.start])
        if named and s.unit == "%" and 0 < s.value < 100:
            return s, named.group(0)
    return None


def _page_revenue(request: Understanding) -> Slot | None:
    """The revenue made where the test runs, given beside its arms and for none of them ("CA
    mensuel du checkout 1,2 M€"), or None."""
    return next((s for s in request.all("revenue") if not s.arm and not s.channel), None)


def _page_revenue_moved(
    page: Slot, rates: list[float], request: Understanding, lang: str
) -> tuple[list[str], list, float]:
    """What B's conversion lift moves of the revenue the page makes (``page``, € a period), the
    basket staying the same: (the line, [page], the revenue lift %: the conversion lift)."""
    lift = (rates[1] - rates[0]) / rates[0] * 100
    line = t(
        lang,
        "ab-testing.page_revenue_moved",
        revenue=money(page.value, lang, request.currency),
        lift=signed(pct(lift, lang)),
        moved=signed(money(page.value * lift / 100, lang, request.currency)),
    )
    return [line], [page], lift


def _revenue_share_moved(
    share: Slot, rates: list[float], lang: str
) -> tuple[list[str], list, float]:
    """What B's conversion lift moves of the whole revenue when the tested conversions make
    ``share`` of it ("trials are about 30% of our new MRR", "le CA du panier représente 60 % du
    CA"), the value of a conversion staying the same: (the line, [share], the revenue lift %:
    conversion lift × share). The revenue-impact rule reads that lift (performance seed)."""
    lift = (rates[1] - rates[0]) / rates[0] * 100
    moved = lift * share.value / 100
    line = t(
        lang,
        "ab-testing.revenue_share_moved",
        share=pct(share.value, lang, 0),
        lift=signed(pct(lift, lang)),
        moved=signed(pct(moved, lang)),
    )
    return [line], [share], moved


_YEARLY = re.compile(
    r"(?<![a-z])(?:years?|yearly|annual\w*|annuel\w*|par an|l'annee|/an|/yr|12 mois|12 months)(?![a-z])"
)


def _worth(
    a: float, b: float, arms: list[dict], request: Understanding, lang: str, kind: str = "worth"
) -> tuple[list, list]:
    """What shipping B is worth at the observed difference between B's value per visitor ``b``
    and A's ``a``: revenue (``kind`` 'worth', in the request's currency) or conversions
    ('conversions'). Over the monthly traffic the request gives ("we get ~60k visitors a
    month"); else at the test's own pace (its visitors over the duration given, in days) a month,
    or a year when the request speaks of a year; else revenue per 1,000 visitors. Returns the
    lines and the slots used; ([], []) for conversions without a traffic or a duration."""
    shown = (
        (lambda gain: money(gain, lang, request.currency))
        if kind == "worth"
        else (lambda gain: num(gain, lang))
    )
    traffic = next((s for s in request.all("monthly_traffic") if not s.arm), None)
    if traffic is not None:
        gain = signed(shown(traffic.value * (b - a)))
        return [
            t(lang, f"ab-testing.monthly_{kind}", traffic=num(traffic.value, lang), gain=gain)
        ], [traffic]
    duration = next((s for s in request.all("duration") if s.value), None)
    if duration is not None and not periods_named(request.text):  # one period's days, not both
        visitors = sum(arm["visitors"] for arm in arms)
        yearly = bool(_YEARLY.search(request.text))
        paced = visitors / duration.value * (365 if yearly else 365 / 12)
        line = t(
            lang,
            f"ab-testing.paced_{kind}",
            visitors=num(visitors, lang),
            days=num(duration.value, lang),
            traffic=num(paced, lang),
            period=t(lang, f"ab-testing.{'a_year' if yearly else 'a_month'}"),
            gain=signed(shown(paced * (b - a))),
        )
        return [line], [duration]
    if kind == "worth":
        return [t(lang, "ab-testing.per_thousand_worth", gain=signed(shown(1000 * (b - a))))], []
    return [], []


# "and if we only count mobile:", "sur le mobile uniquement :": one segment of the test's traffic
_SEGMENT_ONLY = re.compile(
    r"(?<![a-z])(?:only|seulement|uniquement|just)\b[^.?!\n]{0,30}?"
    r"(?:mobile|desktop|tablet|ios|android|app|new visitors|returning|nouveaux|recurrents?|segment)"
    r"|(?:mobile|desktop|ios|android|segment)\s+(?:only|seulement|uniquement)"
)


def segment_only(request: Understanding) -> bool:
    """Whether a later message of the thread reads the test on one segment of its traffic ("and if
    we only count mobile: control 6,000 / 210, …"): a view of the test, not its result."""
    lines = request.raw.split("\n")
    return len(lines) > 1 and bool(_SEGMENT_ONLY.search(fold(lines[-1])))


def _readout_record(request: Understanding, arms: list[dict], r, bayes, significant: bool | None):
    """The experiment log's readout of the thread's test (graph.experiments): arms, lift (%),
    p-value, chance to beat (%) and the decision (none before the planned sample: ``significant``
    None); None for a projection ("et si on attend 20 000 visites par version ?") or one segment's
    readout, which log nothing."""
    if request.projected or segment_only(request):
        return None
    decision = None if significant is None else _decision(significant, r.diff_pt > 0)
    return experiment_data(
        "readout",
        request,
        arms=arms,
        lift=r.lift_pct,
        p_value=r.p_value,
        chance=bayes.chance_to_beat * 100,
        decision=decision,
    )


def _readout_facts(mismatch: bool, lift: float, loss: bool) -> dict:
    """What the escalation rules read from a readout: a broken split, the conversion lift (%),
    and whether the variant is significantly worse (a counter-intuitive result confirmed)."""
    return {"srm_mismatch": mismatch, "conversion_lift": lift, "significant_loss": loss}


def _compared(
    control: dict, best: dict, arms: list[dict], two_sided: bool = True, alpha: float = 0.05
) -> tuple:
    """The two-proportion z-test of the best variant against the control (statsmodels; one-sided
    B > A when ``two_sided`` is False; the interval at 1 − ``alpha``), and each variant's
    Bayesian chance to beat the control (Beta-Binomial), by label."""
    r = abtest.ztest(
        abtest.ZTestInput(
            visitors_a=control["visitors"],
            conversions_a=control["conversions"],
            visitors_b=best["visitors"],
            conversions_b=best["conversions"],
            two_sided=two_sided,
        ),
        alpha,
    )
    chances = {
        a["label"]: abtest.bayes(
            control["visitors"], control["conversions"], a["visitors"], a["conversions"]
        )
        for a in arms[1:]
    }
    return r, chances


def _arm_checks(
    arms: list[dict], chances: dict, srm, design: dict, lang: str
) -> tuple[list[str], str]:
    """The readout's checks (sample-ratio mismatch; with k > 2 arms, the chi-square over all of
    them) and how its alpha is stated: the user's (``design``, graph.understanding.design) or 0.05,
    Bonferroni's alpha / (k − 1) with k > 2 arms, and its sides."""
    k, base = len(arms), design.get("alpha", 0.05)
    sides = t(lang, "ab-testing." + ("two_sided" if design.get("two_sided", True) else "one_sided"))
    if k == 2:
        alpha_text = t(lang, "ab-testing.alpha_sides", alpha=_alpha(base, lang), sides=sides)
        return [_split_check(srm, lang)], alpha_text
    chi = abtest.chi_square([a["visitors"] for a in arms], [a["conversions"] for a in arms])
    versus = ", ".join(
        f"{a['label']} {pct(a['conversions'] / a['visitors'] * 100, lang, 2)} = "
        f"{num(a['conversions'], lang)} / {num(a['visitors'], lang)} "
        f"({pct(chances[a['label']].chance_to_beat * 100, lang, 1)})"
        for a in arms[1:]
    )
    split = "ab-testing.split_mismatch_k" if srm.mismatch else "ab-testing.split_ok_k"
    spread = "ab-testing.chi_significant" if chi.significant else "ab-testing.chi_not_significant"
    checks = [
        t(
            lang,
            "ab-testing.split_check_k",
            k=k,
            p=p_is(srm.p_value, lang),
            verdict=t(lang, split),
        ),
        t(
            lang,
            "ab-testing.chi_check",
            k=k,
            p=p_is(chi.p_value, lang),
            versus=versus,
            verdict=t(lang, spread),
        ),
    ]
    alpha_text = t(
        lang,
        "ab-testing.value_comparisons_with_bonferroni",
        value=k - 1,
        base=_alpha(base, lang),
        sides=sides,
        alpha=num(base / (k - 1), lang, 4),
        method=chi.method,
    )
    return checks, alpha_text


def _alpha(alpha: float, lang: str) -> str:
    """An alpha as written: 2 decimals when it has no more (0,05; 0,01), else 4 (0,0167)."""
    return num(alpha, lang, 2 if round(alpha, 2) == round(alpha, 4) else 4)


def _decided(
    verdict: str, rec: str, request: Understanding, planned, mismatch: bool, lang: str
) -> tuple[str, str, Slot | None]:
    """(verdict, recommendation, the slot of the days run when too few) of a readout: read
    after fewer days than two weekly cycles with no plan to read against ("on a regardé au bout
    de 4 jours"), provisional (a logged plan's sample, reached, decides); a what-if or a segment
    only decides nothing; a sample-ratio ``mismatch`` comes before any decision."""
    short = None if planned is not None else _short_run(request)
    if short:
        said = {"days": num(abs(float(short.value)), lang), "min": num(MIN_TEST_DAYS, lang)}
        verdict = t(lang, "ab-testing.provisional_short_run", **said)
        rec = t(lang, "ab-testing.keep_running_two_cycles", **said)
    if request.projected:  # a what-if on the thread's test: no decision, nothing logged
        rec = t(lang, "ab-testing.projection", verdict=verdict.lower())
    elif segment_only(request):  # "and if we only count mobile: …": the log keeps the whole test
        rec = t(lang, "ab-testing.segment_only", verdict=verdict.lower())
    elif mismatch:  # "Roll out B" beside "do not trust the result": the split comes first
        rec = t(lang, "ab-testing.split_first", recommendation=rec)
    return verdict, rec, short


def _short_run(request: Understanding) -> Slot | None:
    """The slot of the days a test ran when the readout says fewer than the seed's two weekly
    cycles (MIN_TEST_DAYS: "on a regardé au bout de 4 jours", "after 5 days"); None otherwise."""
    days = next(
        (
            s
            for s in request.all("duration", "delay")
            if s.unit == "days" and _RAN_FOR.search(request.text[max(0, s.start - 15) : s.end])
        ),
        None,
    )  # "7-day retention" names a metric, not how long the test ran
    return days if days is not None and 0 < abs(float(days.value)) < MIN_TEST_DAYS else None


_RAN_FOR = re.compile(r"(?<![a-z])(?:apres|au bout de|after|for|pendant|depuis|since|in)\s+\d")


def _verdict(
    early: bool,
    significant: bool,
    label: str,
    better: bool,
    planned,
    alpha: float,
    lang: str,
) -> tuple[str, str]:
    """(verdict, recommendation): provisional before the planned sample, else significant or not
    at ``alpha`` (Bonferroni-corrected with more than two arms)."""
    if early:
        return t(lang, "ab-testing.provisional_planned_sample_not"), t(
            lang, "ab-testing.keep_test_running_planned", planned=num(planned, lang)
        )
    if significant:
        shown = _alpha(alpha, lang)
        return _significant(label, better, t(lang, "ab-testing.threshold", alpha=shown), lang)
    return t(lang, "ab-testing.not_significant"), t(lang, "ab-testing.do_not_conclude_check")


_OUTCOME_WORD = re.compile(r"\W*(?:(open|ouverture)|(click|clic))s?(?![a-z])")


def _outcome(request: Understanding, best: dict) -> str | None:
    """'open' or 'click' when the arms' counts are opens or clicks ("B sent to 12,000 with 2,910
    opens"), the word written right after the variant's count; None for conversions."""
    count = next((s for s in request.slots if s.arm and s.value == best["conversions"]), None)
    said = _OUTCOME_WORD.match(request.text, count.end) if count else None
    return None if said is None else "open" if said[1] else "click"


def _proportions_values(
    r, control: dict, best: dict, k: int, bayes, lang: str, outcome: str | None = None
) -> dict:
    """The readout's figures: each arm's rate with its counts, lift, difference in points with
    its 95 % interval, p-value, Bayesian chance to beat, and the sentence that reads them (an
    open or click rate named so, ``outcome`` 'open' or 'click', not a conversion)."""
    label = best["label"]
    best_of = t(lang, "ab-testing.best_of", label=label, n=k - 1) if k > 2 else ""
    return {
        "label_b": label,
        "arm_a": f"{pct(r.rate_a, lang, 2)} ({num(control['conversions'], lang)} / {num(control['visitors'], lang)})",
        "arm_b": f"{pct(r.rate_b, lang, 2)} ({num(best['conversions'], lang)} / {num(best['visitors'], lang)})",
        "lift": pct(r.lift_pct, lang),
        "diff": t(lang, "ab-testing.num_pt", num=num(r.diff_pt, lang, 2)),
        "ci_low": num(r.ci_low_pt, lang, 2),
        "ci_high": num(r.ci_high_pt, lang, 2),
        "p_value": pvalue(r.p_value, lang),
        "chance": pct(bayes.chance_to_beat * 100, lang, 1),
        "_why": t(
            lang,
            "ab-testing.why_p" if r.significant else "ab-testing.why_p_not",
            p=p_is(r.p_value, lang),
            share=pct(max(r.p_value * 100, 0.1), lang, 1),
            diff=t(lang, "ab-testing.num_pt", num=num(abs(r.diff_pt), lang, 2)),
            low=num(r.ci_low_pt, lang, 2),
            high=num(r.ci_high_pt, lang, 2),
            zero=t(
                lang,
                "ab-testing.why_excludes"
                if r.ci_low_pt * r.ci_high_pt > 0
                else "ab-testing.why_includes",
            ),
            chance=pct(bayes.chance_to_beat * 100, lang, 1),
            label=label,
        ),
        "reading": t(
            lang,
            f"ab-testing.label_{'outcome' if outcome else 'converts'}_at_pct",
            outcome=t(lang, f"ab-testing.outcome_{outcome}") if outcome else "",
            label=label,
            pct=pct(r.rate_b, lang, 2),
            pct2=pct(r.rate_a, lang, 2),
            num=num(r.z, lang, 2),
            best_of=best_of,
        ),
    }


def _decision(significant: bool, better: bool) -> str:
    """What a finished readout decides for the experiment log: 'shipped' (significant and better),
    'rejected' (significant and worse), 'inconclusive' (not significant)."""
    return ("shipped" if better else "rejected") if significant else "inconclusive"


def _significant(label: str, better: bool, threshold: str, lang: str) -> tuple[str, str]:
    """(verdict, recommendation) of a significant A/B result: roll out ``label`` when it is better, else keep A."""
    rec = (
        t(lang, "deliverables.analytics.roll_out_label_log", label=label)
        if better
        else t(lang, "deliverables.analytics.keep_label_performs_significantly", label=label)
    )
    return t(lang, "deliverables.analytics.significant_threshold", threshold=threshold), rec


def _means_readout(arms: list[dict], lang: str, request: Understanding) -> tuple[dict, dict]:
    """Readout of a continuous metric (average order value, revenue per visitor, €) from each arm's
    mean, standard deviation and count: Welch's t-test (scipy), 95 % interval of the difference."""
    a, b = arms
    cur = request.currency
    w = abtest.welch(a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])
    lift = w.diff / a["mean"] * 100 if a["mean"] else 0.0
    if w.significant:
        verdict, rec = _significant("B", w.diff > 0, t(lang, "deliverables.analytics.p_0_05"), lang)
    else:
        verdict = t(lang, "deliverables.analytics.not_significant")
        rec = t(lang, "deliverables.analytics.do_not_conclude_continuous")
    values = {
        "label_b": "B",
        "arm_a": _mean_of(a, lang, cur),
        "arm_b": _mean_of(b, lang, cur),
        "lift": pct(lift, lang),
        "diff": money(w.diff, lang, cur, 2),
        "ci_low": money(w.ci_low, lang, cur, 2),
        "ci_high": money(w.ci_high, lang, cur, 2),
        "p_value": pvalue(w.p_value, lang),
        "verdict": verdict,
        "chance": pct(w.chance_to_beat * 100, lang, 1),
        "checks": bullets(
            [
                t(
                    lang,
                    "deliverables.analytics.counts_num_against_num2",
                    num=num(a["n"], lang),
                    num2=num(b["n"], lang),
                    num3=num(w.t, lang, 2),
                    num4=num(w.dof, lang, 0),
                ),
            ]
            + ([] if "price" in a else [t(lang, "deliverables.analytics.revenue_mean_pulled_by")])
        ),
        "reading": t(
            lang,
            "deliverables.analytics.b_eur_on_average",
            eur=money(b["mean"], lang, cur, 2),
            eur2=money(a["mean"], lang, cur, 2),
            eur3=money(w.diff, lang, cur, 2),
        ),
        "recommendation": rec,
        "method": t(lang, "deliverables.analytics.method_95_t_interval", method=w.method)
        + (" " + t(lang, "deliverables.analytics.priced_rpv") if "price" in a else ""),
        "_experiment": experiment_data(
            "readout",
            request,
            arms=arms,
            lift=lift,
            p_value=w.p_value,
            chance=w.chance_to_beat * 100,
            decision=_decision(w.significant, w.diff > 0),
        ),
    }
    # revenue per visitor moved: a price test's, or one read from each arm's revenue
    priced = {"revenue_impact": abs(lift)} if "price" in a or "revenue" in a else {}
    return values, {"srm_mismatch": False, **priced}


def _mean_of(arm: dict, lang: str, cur: str) -> str:
    """An arm of a continuous readout: its mean and standard deviation (in ``cur``) and its count;
    an arm whose mean is its revenue per visitor also shows that revenue, a pricing test's arm its
    price."""
    text = t(
        lang,
        "deliverables.analytics.mean_eur_sd_eur2",
        eur=money(arm["mean"], lang, cur, 2),
        eur2=money(arm["sd"], lang, cur, 2),
        num=num(arm["n"], lang),
    )
    if "revenue" in arm:  # the arm's revenue its mean comes from
        text += t(
            lang,
            "deliverables.analytics.revenue_of_arm",
            revenue=money(arm["revenue"], lang, cur),
            visitors=num(arm["n"], lang),
        )
    if "price" in arm:
        text += t(
            lang,
            "deliverables.analytics.at_price",
            price=money(arm["price"], lang, cur, 2),
            conversions=num(arm["conversions"], lang),
            rate=pct(arm["conversions"] / arm["n"] * 100, lang, 2),
        )
    return text


def _alerts(srm, planned, lang: str) -> list[Alert]:
    """The readout's warnings: a broken traffic split (SRM), a test read before its ``planned``
    sample (visitors per version; None when reached or unknown): the seed's "ne pas arrêter trop tôt"."""
    alerts = [Alert(level="error", text=t(lang, "ab-testing.split_mismatch"))] * srm.mismatch
    if planned is not None:
        said = t(lang, "ab-testing.keep_test_running_planned", planned=num(planned, lang))
        alerts.append(Alert(level="warning", text=said))
    return alerts


def _split_check(srm, lang: str) -> str:
    """The traffic-split line of a two-version readout (sample-ratio mismatch, chi-square)."""
    return t(
        lang,
        "ab-testing.split_check",
        p=p_is(srm.p_value, lang),
        verdict=t(lang, "ab-testing.split_mismatch" if srm.mismatch else "ab-testing.split_ok"),
    )


def _revenue_readout(arms: list[dict], lang: str, request: Understanding) -> tuple[dict, dict]:
    """Readout of a revenue test given as each arm's revenue and visitors (no per-visitor variance):
    revenue per visitor and its lift, with the traffic split checked; significance needs each
    arm's standard deviation of revenue per visitor (Welch's t-test, scipy), which is asked for.
    Facts: ``revenue_impact`` (the lift, %) for the revenue-impact rule (performance seed)."""
    a, b = ({**arm, "rpv": arm["revenue"] / arm["visitors"]} for arm in arms)
    lift = (b["rpv"] - a["rpv"]) / a["rpv"] * 100 if a["rpv"] else 0.0
    cur, srm = request.currency, abtest.srm([a["visitors"], b["visitors"]])

    def arm_text(arm: dict) -> str:
        return t(
            lang,
            "deliverables.analytics.rpv_arm",
            rpv=money(arm["rpv"], lang, cur, 2),
            revenue=money(arm["revenue"], lang, cur),
            visitors=num(arm["visitors"], lang),
        )

    values = {
        "label_b": "B",
        "arm_a": arm_text(a),
        "arm_b": arm_text(b),
        "lift": pct(lift, lang),
        "diff": money(b["rpv"] - a["rpv"], lang, cur, 2),
        "ci_low": "—",
        "ci_high": "—",
        "p_value": "—",
        "chance": "—",
        "verdict": t(lang, "deliverables.analytics.rpv_needs_variance"),
        "checks": bullets(
            [_split_check(srm, lang), t(lang, "deliverables.analytics.revenue_mean_pulled_by")]
        ),
        "reading": t(
            lang,
            "deliverables.analytics.rpv_reading",
            b=money(b["rpv"], lang, cur, 2),
            a=money(a["rpv"], lang, cur, 2),
            lift=pct(lift, lang),
        ),
        "recommendation": t(
            lang,
            "deliverables.analytics.rpv_recommendation",
            a_sd=money(25, lang, cur, 0),
            b_sd=money(27, lang, cur, 0),
        ),
        "method": t(lang, "deliverables.analytics.rpv_method"),
        "_alerts": _alerts(srm, None, lang),
    }
    return values, {"revenue_impact": abs(lift), "srm_mismatch": srm.mismatch}


def _intervals_chart(arms: list[dict], lang: str) -> Intervals:
    """Conversion rate of each version with its 95 % Wilson interval (statsmodels proportion_confint)."""
    from statsmodels.stats.proportion import proportion_confint  # slow to import: on first use

    bounds = [proportion_confint(a["conversions"], a["visitors"], method="wilson") for a in arms]
    return Intervals(
        title=t(lang, "deliverables.analytics.conversion_rate_95_confidence"),
        filename="ab-test",
        labels=[a["label"] for a in arms],
        series={
            t(lang, "deliverables.analytics.rate"): [
                a["conversions"] / a["visitors"] * 100 for a in arms
            ],
            t(lang, "deliverables.analytics.low"): [lo * 100 for lo, _ in bounds],
            t(lang, "deliverables.analytics.high"): [hi * 100 for _, hi in bounds],
        },
    )


@builder("reporting")
def reporting(inputs, lang, request):
    """A periodic report: the KPIs the period's figures give (seed formulas, graph.calculators.kpi),
    the report's structure and the metrics by funnel stage (analytics seed)."""
    structure = bullets(
        [
            t(lang, "reporting.n1_summary_3_key"),
            t(lang, "reporting.n2_performance_by_channel"),
            t(lang, "reporting.n3_what_worked_did"),
            t(lang, "reporting.n4_finished_b_tests"),
            t(lang, "reporting.n5_decisions_next_actions"),
        ]
    )
    kpis_table = table(
        [t(lang, "reporting.stage"), t(lang, "reporting.metrics")],
        stage_metrics(lang),
    )
    metrics = inputs.get("metrics") or {}
    rows, _ = kpi_table(metrics, lang, request.currency)
    method = t(lang, "reporting.report_structure_funnel_stage")
    compared, targets = period_metrics(request), stated_targets(request)
    # the figures given are the report's own, a KPI computed from them or not
    given, moves = _given_figures(request, metrics, lang) if metrics else ([], [])
    sources, counted = sources_compared(request, lang)
    # "revenue €860k (+12% QoQ), CAC €180 (+15%)": moves stated though no KPI is computed
    stated = changes_after(request, metric_slots(request)) if moves or not rows else {}
    flags = report_flags(metrics, {m: c.value for m, c in stated.items()}, lang, request.currency)
    flagged = [t(lang, "reporting.flags", lines=bullets(flags))] if flags else []
    values = {
        "period_label": t(lang, f"reporting.period.{inputs['period']}"),
        "figures": sources
        + _report_figures(given + rows, compared, targets, lang, request.currency)
        + flagged,
        "structure": structure,
        "kpis": kpis_table,
        "method": f"{method} {t(lang, 'reporting.kpis_of_the_figures')}" if rows else method,
        "_used": list(metric_slots(request).values())
        + period_slots(request)
        + moves
        + list(stated.values())
        + [goal for _, goal in targets.values()]
        + counted,
    }
    return values, {}


def sources_compared(request: Understanding, lang: str) -> tuple[list, list]:
    """The same count as each tool gives it ("Meta says 410 purchases, GA4 says 265, Shopify
    says 298": structures.source_counts): a table of each source, its kind and its gap to the
    reference (the shop, payment or CRM system that records the orders, else the analytics
    tool), and which one to report and why the others differ; ([], []) without two sources."""
    counts = source_counts(request)
    if not counts:
        return [], []
    kinds = [k for _, k, _ in counts]
    ref = counts[kinds.index("records") if "records" in kinds else kinds.index("analytics")]
    rows = [
        [
            name,
            t(lang, f"reporting.source.{kind}"),
            num(s.value, lang),
            t(lang, "reporting.source.reference")
            if s is ref[2]
            else change(s.value, ref[2].value, lang),
        ]
        for name, kind, s in counts
    ]
    lines = [t(lang, "reporting.source.report", name=ref[0], count=num(ref[2].value, lang))]
    lines += [t(lang, f"reporting.source.why_{k}") for k in ("ads", "analytics") if k in kinds]
    headers = [t(lang, f"reporting.source.{h}") for h in ("source", "kind", "count")]
    headers.append(t(lang, "reporting.source.against", name=ref[0]))
    return [table(headers, rows), bullets(lines)], [s for _, _, s in counts]


def _given_figures(
    request: Understanding, metrics: dict[str, float], lang: str
) -> tuple[list[list[str]], list]:
    """Rows [figure, value, 'given'] of the KPI inputs and rates the report's message gives ("CA
    1,2M€", "taux de conversion 2,3 %"), each with the change stated right after it ("(+8 % vs
    M-1)": a relative change, in %), and the change slots so read with the rates shown."""
    rows, used = [], []
    given, computed = metric_slots(request), kpi.compute_kpis(metrics)
    # "taux de conversion 2,3 %": a rate the period gives, which no count of it computes
    rates = {m: s for m, s in stated_rates(request, given).items() if m not in computed}
    used += list(rates.values())
    stated = changes_after(request, given | rates)
    for measure, slot in (given | rates).items():
        if measure not in metrics and measure not in rates:
            continue
        if measure == "customers" and given.get("gained") is slot:
            continue  # "new customers 96": shown once, as the customers gained
        moved = stated.get(measure)
        note = t(lang, "reporting.given")
        if moved is not None:
            used.append(moved)
            shown = signed(pct(moved.value, lang, 0 if moved.value % 1 == 0 else 1))
            note = t(lang, "reporting.given_moved", change=shown)
        value = metrics.get(measure, slot.value)
        rows.append(
            [row_label(measure, lang), figure_text(measure, value, lang, request.currency), note]
        )
    shares = _channel_revenue(request, metrics.get("revenue"), lang)
    return rows + [row for row, _ in shares], used + [slot for _, slot in shares]


def _channel_revenue(
    request: Understanding, revenue: float | None, lang: str
) -> list[tuple[list[str], Slot]]:
    """Rows [figure, value, note] of a channel's share of the period's revenue ("38 % du CA
    vient du SEO", "email revenue share 28%"): the channel's revenue (revenue × share), with the
    share slot each row reads; [] without the revenue."""
    if not revenue:
        return []
    return [
        (
            [
                f"{row_label('revenue', lang)} {s.channel}",
                money(revenue * float(s.value) / 100, lang, request.currency),
                t(lang, "reporting.share_of_revenue", share=pct(float(s.value), lang, 0)),
            ],
            s,
        )
        for s in request.all("revenue_share", any_arm=True)
        if s.channel and not s.arm and isinstance(s.value, float) and 0 < s.value < 100
    ]


def _report_figures(
    rows: list,
    compared: tuple[dict[str, float], dict[str, float]] | None,
    targets: dict,
    lang: str,
    cur: str,
) -> list:
    """The report's figures: the period against the previous one when both are given, else the
    KPIs computed; then each figure against its target when targets are given."""
    shown = (
        [period_comparison(*compared, lang, cur)]
        if compared
        else [kpi_sheet(rows, lang)]
        if rows
        else []
    )
    against = target_table(targets, lang, cur)
    return shown + ([against] if against else [])


def model_name(model: str, lang: str) -> str:
    """An attribution model's name (graph.calculators.attribution.MODELS ids)."""
    return t(lang, f"attribution.model.{model}")


@builder("attribution")
def attribution(inputs, lang, request):
    if inputs.get("files"):
        return _attribution_from_file(inputs["files"][-1], lang, request)
    if models := stated_models(request):  # "last click: google 410 …; in linear google 320 …"
        values = _models_compared(models, inputs["channels"], lang)
        # every count is one channel's credit under one of the models
        used = [s for s in request.slots if s.value and isinstance(s.value, float)]
        return {**values, "_used": used}, {}
    channels = inputs.get("channels")
    if not channels:  # "which model for a 60-day B2B cycle with 7 touchpoints?"
        return _model_choice(inputs, lang), {}
    if reading := (
        _last_click_reading(request, lang)
        or _claimed_beyond(request, lang)
        or _one_model_reading(request, lang)
    ):
        return reading, {}
    # Worked example: one converting journey through the channels in the order given, dated
    # when each touch and the sale are ("Google Ads le 2 nov, …, achat le 10 nov")
    days = _touch_days(request, channels)
    journey = attribution_calc.Journey(channels=channels, days_before=days)
    shown = ("first_touch", "last_touch", "linear", "position_based") + (
        ("time_decay",) if days else ()
    )
    # "… then opened our newsletter and bought for €240": each model's credit in money too
    value = next((v for v in request.all("revenue", "amount", any_arm=True) if v.currency), None)
    rows = [
        [model_name(model, lang)]
        + [_credit(c, value, request, lang) for c in attribution_calc.weights(journey, model)]
        for model in shown
    ]
    rows += [  # time decay needs each touch's date, Markov the journeys export
        [model_name(m, lang)] + [t(lang, f"attribution.{need}")] * len(channels)
        for m, need in (("time_decay", "needs_dates"), ("markov", "needs_export"))
        if m not in shown
    ]
    values = {
        "channel_list": ", ".join(channels),
        "recommended": t(lang, "attribution.position_based_40_20"),
        "results_title": t(lang, "attribution.example_on_typical_journey"),
        "results": [
            t(lang, "attribution.converting_journey_value", value=" → ".join(channels)),
            table([t(lang, "attribution.model_column")] + channels, rows),
        ],
        "data_note": t(lang, "attribution.share_journeys_export_as"),
        "method": t(lang, "attribution.credit_rules_heuristic_models"),
        "_used": [value] if value else [],
    }
    return values, {}


def _model_choice(inputs: dict, lang: str) -> dict:
    """Which attribution model fits a journey of ``inputs['journey_touches']`` touches over a
    ``inputs['cycle_days']``-day cycle (either may be missing: 4 touches, 30 days, said so): each
    heuristic model's credit per touch on that journey, touches evenly spaced (graph.calculators.
    attribution.weights), what time decay leaves the first touch, and the model to use: one that
    credits the opening touches from 4 touches or over 30 days (position-based, then data-driven
    from 300 conversions), last touch for journeys of 2 touches within a week, else linear."""
    n = max(int(inputs.get("journey_touches") or 4), 2)
    cycle = float(inputs.get("cycle_days") or 30)
    days = [cycle * (n - 1 - i) / (n - 1) for i in range(n)]
    journey = attribution_calc.Journey(channels=[str(i) for i in range(n)], days_before=days)
    credit = {m: attribution_calc.weights(journey, m) for m in _HEURISTIC}
    heads = [
        t(lang, "attribution.touch_day", n=i + 1, day=day_text(-d, lang))
        for i, d in enumerate(days)
    ]
    rows = [[model_name(m, lang)] + [_share(w, lang) for w in credit[m]] for m in _HEURISTIC]
    decay = credit["time_decay"]
    lines = [
        t(
            lang,
            "attribution.time_decay_first",
            first=_share(decay[0], lang),
            ratio=_share(decay[0] / decay[-1], lang),
            days=num(cycle, lang),
        ),
        t(
            lang,
            "attribution.position_middle",
            middle=n - 2,
            each=pct(credit["position_based"][1] * 100, lang, 1),
        )
        if n > 2
        else "",
        t(lang, "attribution.last_touch_rest", n=n, others=n - 1),
        t(lang, "attribution.markov_settles"),
    ]
    assumed = (
        []
        if "journey_touches" in inputs and "cycle_days" in inputs
        else [t(lang, "attribution.journey_assumed", n=n, days=num(cycle, lang))]
    )
    pick = (
        "position_based_40_20"
        if n >= 4 or cycle > 30
        else "last_touch_short"
        if n <= 2 and cycle <= 7
        else "linear_then"
    )
    return {
        "channel_list": t(lang, "attribution.journey_of", n=n, days=num(cycle, lang)),
        "recommended": t(lang, f"attribution.{pick}"),
        "results_title": t(lang, "attribution.model_choice_title"),
        "results": [
            bullets(assumed + [x for x in lines if x]),
            table([t(lang, "attribution.model_column")] + heads, rows),
        ],
        "data_note": t(lang, "attribution.share_journeys_export_as"),
        "method": t(lang, "attribution.model_choice_method"),
    }


def _share(share: float, lang: str) -> str:
    """A share (0-1) as a %, with the decimals that keep a tiny one from reading 0 (0,01 %)."""
    x = share * 100
    return pct(x, lang, 0 if x in (0, 100) else 1 if x >= 0.1 else 2 if x >= 0.01 else 3)


_HEURISTIC = ("first_touch", "last_touch", "linear", "time_decay", "position_based")


def _credit(share: float, value: Slot | None, request: Understanding, lang: str) -> str:
    """A channel's credit (``share``, 0-1) as a %, with its part of the sale's ``value``."""
    money_part = f" ({money(share * float(value.value), lang, request.currency)})" if value else ""
    return pct(share * 100, lang, 0) + money_part


def _touch_days(request: Understanding, channels: list[str]) -> list[float] | None:
    """The days before the sale of each touch of a journey whose touches each have a date, the
    sale dated last ("Google Ads le 2 nov, newsletter le 5 nov, retargeting Meta le 9 nov, achat
    320 € le 10 nov": 8, 5, 1): a date after each channel named and before the next, and one more
    date after the last; None otherwise."""
    named = [s for s in request.slots if s.type == "channel"]
    dates = [s for s in request.slots if s.type in ("date", "start_date", "end_date")]
    if len(named) != len(channels) or len(dates) != len(channels) + 1:
        return None
    bounds = [c.start for c in named[1:]] + [dates[-1].start]
    paired = [
        next((d for d in dates if c.end <= d.start < hi), None) for c, hi in zip(named, bounds)
    ]
    if any(d is None for d in paired):
        return None
    sale = date.fromisoformat(dates[-1].value)
    days = [float((sale - date.fromisoformat(d.value)).days) for d in paired if d]
    if any(x < 0 for x in days) or days != sorted(days, reverse=True):
        return None
    return days


_LAST_CLICK = re.compile(
    r"(?<![a-z])(last[ -]?click|last[ -]?touch|dernier[ -]clic|derniere? interaction)"
)


def _last_click_reading(request: Understanding, lang: str) -> dict | None:
    """What a channel's ROAS judged on last click says ("wants to kill Meta because last-click ROAS
    is 0.9"): what last click credits, the share the journeys it opens or assists must add for it
    to break even (1 / ROAS − 1, below 1x) and what to measure before cutting it; None unless the
    request gives a channel's ROAS and names last click."""
    given = [s for s in request.slots if s.type == "roas" and s.channel]
    if not given or not _LAST_CLICK.search(fold(request.text)):
        return None
    lines = []
    for slot in given:
        roas = f"{num(slot.value, lang, 2)}x"
        lines.append(t(lang, "attribution.last_click_reading", channel=slot.channel, roas=roas))
        if 0 < slot.value < 1:
            gap = pct((1 / slot.value - 1) * 100, lang, 0)
            lines.append(
                t(lang, "attribution.break_even", channel=slot.channel, gap=gap, roas=roas)
            )
        lines.append(t(lang, "attribution.before_cutting", channel=slot.channel))
    return {
        "channel_list": ", ".join(dict.fromkeys(str(s.channel) for s in given)),
        "recommended": t(lang, "attribution.position_based_40_20"),
        "results_title": t(lang, "attribution.last_click_title"),
        "results": bullets(lines),
        "data_note": t(lang, "attribution.share_journeys_export_as"),
        "method": t(lang, "attribution.last_click_method"),
        "_used": given,
    }


_UNDERVALUED = re.compile(
    r"(?<![a-z])(?:sous[- ]?(?:evalu|estim|valoris|credit)\w*|under[- ]?(?:valu|estimat|credit|rat)\w*)"
)


# "le CEO veut couper Meta", "they want to kill Meta": the channel the question is about
_CUT_NAMED = re.compile(rf"(?<![a-z]){_CUT_VERBS}\s+(?:(?:le|la|les|l'|the|our|nos|notre)\s*)?")


def _cut_channel(text: str, channels) -> str | None:
    """The channel of ``channels`` a folded ``text`` says someone wants to cut, or None."""
    for cut in _CUT_NAMED.finditer(text):
        after = text[cut.end() : cut.end() + 30]
        if named := next((c for c in channels if after.startswith(fold(c))), None):
            return named
    return None


def _one_model_reading(request: Understanding, lang: str) -> dict | None:
    """Conversions given per channel under one attribution model ("en last click : SEA 420,
    Social 180, …"): each channel's share under that model, what the model leaves out, and how
    to show what a channel said to be undervalued (else the least credited) really brings: its
    credit under the other models on the journeys export, then a holdout test. None unless
    :func:`graph.understanding.models_stated.one_model` reads one."""
    found = one_model(request)
    if found is None:
        return None
    model, figures = found
    total = sum(figures.values())
    shares = {c: v / total * 100 for c, v in figures.items()} if total else {}
    said = _UNDERVALUED.search(request.text)
    before = request.text[: said.start()] if said else ""
    near = {c: before.rfind(fold(c)) for c in figures if fold(c) in before[-60:]}
    channel = (
        max(near, key=lambda c: near[c])
        if near
        else _cut_channel(request.text, figures) or min(shares, key=lambda c: shares[c])
    )
    rows = [[c, num(v, lang), pct(shares[c], lang, 1)] for c, v in figures.items()]
    header = [t(lang, "attribution.channel"), "Conversions", t(lang, "attribution.share")]
    lines = [
        t(lang, "attribution.one_model_bias", model=model_name(model, lang), channel=channel),
        t(lang, "attribution.one_model_proof", channel=channel),
    ]
    return {
        "channel_list": ", ".join(figures),
        "recommended": t(lang, "attribution.position_based_40_20"),
        "results_title": t(lang, "attribution.one_model_title", model=model_name(model, lang)),
        "results": [table(header, rows), bullets(lines)],
        "data_note": t(lang, "attribution.share_journeys_export_as"),
        "method": t(lang, "attribution.credit_rules_heuristic_models"),
        "_used": [s for s in request.slots if s.channel in figures and s.value],
    }


_REAL_TOTAL = re.compile(
    r"\s*(?:ventes|sales|orders|commandes|conversions|clients|customers|deals)?\s*"
    r"(?:dans|in|sur|on|from|selon|according to|d'apres)?\s*(?:le |la |l'|the |our |notre |nos )?"
    r"(?:crm|backend|back-office|shopify|salesforce|hubspot|ga4|google analytics|analytics|"
    r"reel\w*|actual|real|in total|au total)(?![a-z])"
)


# what a platform does with the sales it counts: "Google en revendique 900", "Meta claims 600"
# "mais le total réel est de 720 commandes", "but the real total is 720": the sales really made
_REAL_BEFORE = re.compile(
    r"(?<![a-z])(?:total (?:reel|real|actual)|(?:real|actual) total|vrai total|en vrai|in reality|"
    r"en realite)\s*(?:est de|est|is|of|=|:|de)?\s*(?:only |seulement )?$"
)
_CLAIMS = re.compile(
    r"(?<![a-z])(?:revendiqu\w*|reclam\w*|s'attribu\w*|s'approprie\w*|claim\w*|credits? (?:itself|themselves)|"
    r"takes? credit)(?![a-z])"
)


def _claimed_beyond(request: Understanding, lang: str) -> dict | None:
    """Conversions the ad platforms claim beyond the sales really made ("google ads s'attribue
    1 200 conversions, meta 800, mais on n'a que 1 500 ventes dans le CRM"): each platform
    credits itself every sale its ads touched (click or view windows), so a sale touched by two
    is counted twice; the excess (Σ claimed − real, and its share of the real total) and how to
    deduplicate. The real total follows a source ("dans le CRM"), or is the count of no channel
    when the platforms are said to claim theirs. None unless two channels' counts and a real
    total below their sum are given."""
    counted = [
        s for s in request.slots if s.type in ("conversions", "orders", "count") and not s.arm
    ]
    real = next(
        (
            s
            for s in counted
            if _REAL_TOTAL.match(request.text, s.end)
            or _REAL_BEFORE.search(request.text[max(0, s.start - 40) : s.start])
        ),
        None,
    )
    if real is None and _CLAIMS.search(request.text):
        # "on a 1 200 conversions, Google en revendique 900, Meta 600": the count of no channel
        real = next((s for s in counted if not s.channel), None)
    claimed = {s.channel: s for s in counted if s.channel and s is not real}
    if real is None or len(claimed) < 2 or not real.value:
        return None
    total = sum(float(s.value) for s in claimed.values())
    if total <= real.value:
        return None
    excess = total - real.value
    line = t(
        lang,
        "attribution.claimed_beyond",
        claimed=num(total, lang),
        channels=", ".join(str(c) for c in claimed),
        real=num(real.value, lang),
        excess=num(excess, lang),
        share=pct(excess / real.value * 100, lang, 0),
    )
    return {
        "channel_list": ", ".join(str(c) for c in claimed),
        "recommended": t(lang, "attribution.position_based_40_20"),
        "results_title": t(lang, "attribution.claimed_title"),
        "results": bullets([line, t(lang, "attribution.deduplicate")]),
        "data_note": t(lang, "attribution.share_journeys_export_as"),
        "method": t(lang, "attribution.claimed_method"),
        "_used": [*claimed.values(), real],
    }


def _models_compared(models: dict[str, dict[str, float]], channels: list[str], lang: str) -> dict:
    """The conversions (or their shares, %) the user gives per channel under two attribution
    models, side by side: each channel's credit under both, the difference (conversions, or
    points) and its change (%), against last touch when it is one of them, and what the channel
    that gains most and the one that loses most under the second model do in the journeys (a
    gain: it opens or assists journeys the first model does not credit; a loss: it closes them)."""
    (first, a), (second, b) = list(models.items())[:2]
    if second == "last_touch":  # read against the model that credits the close, as said below
        (first, a), (second, b) = (second, b), (first, a)
    names = list(dict.fromkeys([*a, *b]))
    shares = all(abs(sum(m.values()) - 100) <= 1 for m in (a, b))  # "SEO 40%, SEA 35% …"

    def shown(value: float) -> str:
        return pct(value, lang, 0) if shares else num(value, lang)

    rows = [
        [c, shown(a.get(c, 0)), shown(b.get(c, 0))]
        + [signed(num(b.get(c, 0) - a.get(c, 0), lang)) + (" pt" if shares else "")]
        + [change(b.get(c, 0), a.get(c, 0), lang)]
        for c in names
    ]
    moves = {c: b.get(c, 0) - a.get(c, 0) for c in names}
    up, down = max(moves, key=lambda c: moves[c]), min(moves, key=lambda c: moves[c])
    said = {"first": model_name(first, lang), "second": model_name(second, lang)}
    unit = "attribution.points" if shares else "attribution.conversions"
    reading = [
        t(
            lang,
            "attribution.gains",
            channel=up,
            value=t(lang, unit, n=num(moves[up], lang)),
            **said,
        ),
        t(
            lang,
            "attribution.loses",
            channel=down,
            value=t(lang, unit, n=num(-moves[down], lang)),
            **said,
        ),
    ]
    header = [t(lang, "attribution.channel"), said["first"], said["second"]]
    header += [t(lang, "attribution.difference"), t(lang, "attribution.change")]
    return {
        "channel_list": ", ".join(names or channels),
        "recommended": t(lang, "attribution.position_based_40_20"),
        "results_title": t(
            lang, "attribution.shares_given" if shares else "attribution.models_given"
        ),
        "results": [table(header, rows), bullets(reading)],
        "data_note": t(lang, "attribution.share_journeys_export_as"),
        "method": t(lang, "attribution.models_given_method"),
    }


def _spend_for(spend: dict[str, float], channels: set[str]) -> dict[str, float]:
    """Spend the user gave per channel ("SEA 2 000 €, email 300 €"), keyed by the journeys file's
    channel names (same name or same channel group: 'Google Ads' pays for 'google')."""
    groups = {c: channel_group(c) for c in channels}
    out = {}
    for name, value in spend.items():
        match = next((c for c in channels if fold(c) == fold(name)), None) or next(
            (c for c in channels if groups[c] and groups[c] == channel_group(name)), None
        )
        if match:
            out[match] = value
    return out


def _attribution_from_file(file: dict, lang: str, request: Understanding):
    """Attribution from a journeys file (graph.data.journeys): credit per channel under every
    model (first, last, linear, time decay, position, Markov removal effect) and ROI when spend
    per channel is given (graph.calculators.attribution)."""
    journeys = data.journeys(file)
    names = {c for j in journeys for c in j.channels}
    result = attribution_calc.attribute(
        journeys, spend=_spend_for(request.by_channel("spend"), names)
    )
    channels = list(result.credit["markov"])
    top = max(channels, key=lambda c: result.credit["markov"][c])
    last = max(channels, key=lambda c: result.credit["last_touch"][c])
    values = {
        "channel_list": ", ".join(channels),
        "recommended": t(lang, "deliverables.analytics.data_driven_markov_top", top=top),
        "results_title": t(lang, "deliverables.analytics.credit_by_channel_model"),
        "results": _attribution_sections(result, channels, file["name"], lang),
        "data_note": t(
            lang,
            "deliverables.analytics.name_num_journey_rows",
            name=file["name"],
            num=num(len(journeys), lang),
            last=last,
            top=top,
        ),
        "method": result.method + ".",
        "_charts": [
            GroupedBars(
                title=t(lang, "deliverables.analytics.credited_conversions_by_channel"),
                labels=channels,
                series={
                    model_name(m, lang): [result.credit[m][c] for c in channels]
                    for m in attribution_calc.MODELS
                },
                filename="attribution",
            )
        ],
    }
    return values, {}


def _attribution_sections(result, channels: list[str], name: str, lang: str) -> list:
    """The attribution's results: credit by model and channel, the Markov removal effects, and
    ROI by channel when spend was given."""
    by_model = table(
        [t(lang, "deliverables.analytics.model")] + channels,
        [
            [model_name(m, lang)] + [num(result.credit[m][c], lang, 1) for c in channels]
            for m in attribution_calc.MODELS
        ],
    )
    effects = table(
        [
            t(lang, "deliverables.analytics.channel"),
            t(lang, "deliverables.analytics.removal_effect"),
            t(lang, "deliverables.analytics.data_driven_credit"),
        ],
        [
            [
                c,
                pct(result.removal_effects[c] * 100, lang, 1),
                num(result.credit["markov"][c], lang, 1),
            ]
            for c in channels
        ],
    )
    sections = [
        t(
            lang,
            "deliverables.analytics.credited_conversions_by_model",
            num=num(result.conversions, lang),
            name=name,
        ),
        by_model,
        t(lang, "deliverables.analytics.removal_effect_markov_chain"),
        effects,
    ]
    if result.roi:
        sections += [
            t(lang, "deliverables.analytics.roi_by_channel_data"),
            table(
                [t(lang, "deliverables.analytics.channel"), "ROI"],
                [[c, pct(v, lang, 0)] for c, v in result.roi["markov"].items()],
            ),
        ]
    return sections
