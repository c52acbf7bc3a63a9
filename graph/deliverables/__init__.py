"""Deliverable builders, one per specialist: inputs in, template values and facts out.

Each builder takes (inputs, lang, request) — the validated inputs of the specialist, 'fr' or
'en', and the request as the understanding layer read it (:class:`Understanding`: every slot the
user gave, with channels, arms, dates, delays as written) — and returns (values, facts):
``values`` fill the specialist's output template in ``prompts/specialists/<id>.yaml``; ``facts``
are the computed numbers the escalation rules may read (``lead_score`` in points,
``revenue_impact`` in %). Every figure comes from a calculator here; a figure whose input was not
given is not computed, the deliverable says what is missing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from typing import Any

from graph.calculators import kpi
from graph.formatting import money, num, pct, table
from graph.i18n import t
from graph.understanding import Slot, Understanding
from graph.understanding.binding import KPI_METRICS, PERCENT_METRICS, aliased, period_pairs
from graph.understanding.describe import label, show
from graph.understanding.design import design_spans
from graph.understanding.pipeline import (
    Chain,
    Scenario,
    needed_volume,
    rate_chain,
    rate_moved,
    scenario,
)
from graph.understanding.structures import segment_rates

Builder = Callable[[dict[str, Any], str, Understanding], tuple[dict[str, Any], dict[str, Any]]]
BUILDERS: dict[str, Builder] = {}


def builder(agent: str):
    """Register a builder for ``agent``."""

    def wrap(fn: Builder) -> Builder:
        BUILDERS[agent] = fn
        return fn

    return wrap


def _written(slot, markdown: str, lang: str) -> bool:
    """True when the deliverable shows ``slot``: its name, or its number in any usual format."""
    text = markdown.lower()
    if not isinstance(slot.value, (int, float)):
        return show(slot, lang).lower() in text or str(slot.value).lower() in text
    value = abs(slot.value) * (24 if slot.type in ("delay", "duration") and slot.value < 1 else 1)
    forms = {show(slot, lang).lower()} | {
        num(value, lg, d) for lg in ("fr", "en") for d in range(3)
    }
    if slot.type in ("duration", "delay") and value % 7 == 0 and value >= 7:
        forms.add(num(value / 7, lang))
    if any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", text) for f in forms):
        return True
    return slot.unit == "%" and _rounded_rate(value, text)


def _rounded_rate(value: float, text: str) -> bool:
    """Whether ``text`` shows a rate that rounds to ``value`` as the user wrote it, with its
    decimals: "3,4 %" given, "3.41%" shown (the rate of the conversions it gave, 332 / 9,750)."""
    decimals = len(f"{value:g}".partition(".")[2])
    if not decimals:  # "5 %" would round from anything between 4.5 and 5.5: too loose
        return False
    shown = (float(m[1].replace(",", ".")) for m in re.finditer(r"(\d+(?:[.,]\d+)?)\s?%", text))
    return any(round(x, decimals) == value for x in shown)


def unused(
    request: Understanding,
    markdown: str,
    lang: str,
    agent: str | None = None,
    used: list | None = None,
) -> str:
    """A closing line naming what the user gave that the deliverable does not show, and which
    specialist of the team would use it (the one whose inputs take most of those slot types,
    ``prompts/specialists/*.yaml``), so that no input is silently ignored (Markdown, italic); ''
    when everything given is in it. ``used``: slots an input took (bind's ``sources``), never unused."""
    taken = {id(s) for s in used or []}
    settings = design_spans(
        request.text
    )  # "alpha 1 %": how the test is computed, shown in its method
    left = [
        s
        for s in request.slots
        # a date with no campaign cue ("booked a demo for next tuesday") is context, not an input
        if s.type not in ("trigger", "company_size_word", "date")
        and id(s) not in taken
        and not _written(s, markdown, lang)
        and not any(a <= s.start < b for a, b in settings)
        and not _counts_the_channels(request, s)
        and not _span_of_move(request, s)
    ]
    if not left:
        return ""
    items = ", ".join(
        dict.fromkeys(
            f"{label(s.type, lang)} {show(s, lang, request.currency)}"
            + (f" ({s.channel})" if s.channel else "")
            + (f" ({s.arm})" if s.arm and s.arm != "*" else "")
            for s in left
        )
    )
    other = _user_of({s.type for s in left}, agent)
    if other is None:
        return t(lang, "deliverables.also_read_message_not", items=items)
    return t(
        lang,
        "deliverables.also_read_used_by",
        items=items,
        what=other.description(lang).rstrip("."),
    )


# "went from $1.20 to $1.85 over two weeks", "passé de 2,8 % à 1,9 % en 3 jours": the move's span
_MOVE_SPAN = re.compile(
    r"(?:from|de|du)\s+\S+(?:\s?[%€$£])?\s+(?:to|a)\s+\S+(?:\s?[%€$£])?\s+(?:over|in|en|sur|within|dans)\s+"
    r"(?:the\s+|les\s+)?(?:(?:last|past|derniere?s?)\s+)?$"
)


def _span_of_move(request: Understanding, slot) -> bool:
    """Whether ``slot`` is a duration that says how long a stated move took ("from $1.20 to $1.85
    over two weeks"): when it happened, not an input."""
    before = request.text[max(0, slot.start - 60) : slot.start]  # folded
    return slot.unit == "days" and bool(_MOVE_SPAN.search(before))


_CHANNELS_WORD = re.compile(r"\s*(?:canaux|channels?|canal|leviers|sources)(?![a-z])")
_SEGMENTS_WORD = re.compile(r"\s*(?:segments?|groupes?|groups?|cohortes?|cohorts?)(?![a-z])")


def _counts_the_channels(request: Understanding, slot) -> bool:
    """Whether ``slot`` is how many channels or segments the user then names ("on a 3 canaux,
    Google …", "we have 3 segments: new visitors 58% …")."""
    if _SEGMENTS_WORD.match(request.text, slot.end):
        return slot.value == len(segment_rates(request))
    named = {s.value for s in request.all("channel")}
    return slot.value == len(named) and bool(_CHANNELS_WORD.match(request.text, slot.end))


GENERIC_TYPES = (
    "count",
    "amount",
    "rate",
    "change",
    "ratio",
    "duration",
    "mean",
)  # a bare number says nothing of who needs it


def _user_of(types: set[str], agent: str | None):
    """The specialist (not ``agent``) whose inputs take the most of ``types``, or None."""
    from graph.hierarchy import load_hierarchy

    def takes(node) -> int:  # a KPI sheet ("metrics") takes every measure a KPI formula reads
        measures = {m for spec in node.inputs for m in spec.measure_types if m not in GENERIC_TYPES}
        measures |= (
            set(KPI_METRICS) if any(spec.kind == "metrics" for spec in node.inputs) else set()
        )
        return len(types & measures)

    best = max(
        (n for n in load_hierarchy().specialists() if n.id != agent), key=takes, default=None
    )
    return best if best is not None and takes(best) else None


def budget_used(spend: float, budget: float, lang: str, cur: str) -> str:
    """How much of the budget is spent: '60,7 % du budget de 30 000 € est dépensé (11 800 €
    restants).'"""
    return t(
        lang,
        "deliverables.pct_budget_budget_spent",
        pct=pct(spend / budget * 100, lang),
        budget=money(budget, lang, cur),
        money=money(budget - spend, lang, cur),
    )


def kpi_sheet(rows: list[list[str]], lang: str):
    """The table of computed KPIs, [KPI, value, formula] rows (:func:`kpi_table`) under their
    headings in ``lang``."""
    return table(["KPI", t(lang, "kpi-tracking.value"), t(lang, "kpi-tracking.formula")], rows)


def kpi_table(
    metrics: dict[str, float],
    lang: str,
    cur: str,
    asked: Collection[str] = (),
    names: dict[str, str] | None = None,
) -> tuple[list[list[str]], dict[str, float]]:
    """Rows [KPI, value, formula] of every KPI of the seeds computable from ``metrics`` (in the
    language's names and formulas, or by the name the user gave it, ``names``: kpi.said_names;
    ``asked``: the ids of KPIs the request names, for those shown on request), and the computed
    values {kpi id: value}."""
    names = names or {}
    computed = kpi.compute_kpis(metrics, asked)
    rows = []
    for k in kpi.KPIS:
        if k.id == "cost_per_conversion" and computed.get("cpa") == computed.get(k.id):
            continue  # the CPA of conversions (no new customers given) says it, once
        if k.id in computed:
            formula = k.formula_in(lang)
            if k.id == "cpa" and "customers" not in metrics:
                formula = t(lang, "deliverables.spend_conversions_new_customers")
            name = names.get(k.id) or k.name(lang)
            rows.append([name, kpi_value(k, computed[k.id], lang, cur), formula])
    return rows, computed


def feeding(request: Understanding, computed: dict[str, float]) -> list:
    """The slots of ``request`` whose measure a KPI of ``computed`` ({kpi id: value}) was computed
    from ("4 deals won at €12k each": the customers and the AOV of the revenue, ROAS and CPA)."""
    needed = {n for k in kpi.KPIS if k.id in computed for n in k.needs}
    return [s for s in request.slots if s.type in needed and not s.arm]


def kpi_value(k: kpi.Kpi, v: float, lang: str, cur: str) -> str:
    """A KPI's value in its unit: '2,40 %', '8,20 €', '7,07x', '42,0 pts', '13,5 mois' or a bare
    number."""
    if k.unit == "%":
        return pct(v, lang, 2)
    if k.unit == "€":
        return money(v, lang, cur, 2)
    if k.unit == "x":
        return f"{num(v, lang, 2)}x"
    if k.unit == "months":
        return t(lang, "deliverables.months", value=num(v, lang, 1))
    if k.unit == "pts":
        return f"{num(v, lang, 1)} pts"
    return num(v, lang, 0 if float(v).is_integer() or abs(v) >= 10 else 2)  # counts are whole


MONEY_METRICS = (
    "revenue",
    "mrr",
    "new_mrr",
    "churned_mrr",
    "spend",
    "arpu",
    "ltv",
    "aov",
    "cpa",
    "cpc",
    "cpm",
    "cost_per_send",
    "pipeline",
    "closed_won",
)  # KPI inputs that are amounts


def figure_text(measure: str, value: float, lang: str, cur: str) -> str:
    """A KPI input the user gave, in its unit: an amount (:data:`MONEY_METRICS`), a rate in %, or
    a count (2 decimals when it has some)."""
    if measure in MONEY_METRICS:  # "CPC 6,20 €" keeps its cents
        return money(value, lang, cur, 2 if value % 1 and abs(value) < 1000 else 0)
    if measure in PERCENT_METRICS:
        return pct(value, lang, 2 if value % 1 else 0)
    if measure == "roas":
        return f"{num(value, lang, 2)}x"
    return num(value, lang, 2 if value % 1 else 0)


def stated_changes(request: Understanding) -> list:
    """The moves the request states ("CPA went from $38 to $52", "le taux d'ouverture … (de 34 %
    à 17 %)", "24 % en septembre, 19 % en octobre, 16 % en novembre"), as read by
    graph.understanding.changes.moves_said."""
    from graph.understanding.changes import moves_said

    return moves_said(request.text, [s for s in request.slots if not isinstance(s.value, str)])


def period_slots(request: Understanding) -> list:
    """The slots of both periods of a period comparison (binding.period_pairs), [] without one."""
    pairs = period_pairs(request)
    return [s for side in pairs for s in side.values()] if pairs else []


def row_label(measure: str, lang: str) -> str:
    """A measure's name as a table row starts it: its label with a capital ("Clics")."""
    name = label(measure, lang)
    return name[:1].upper() + name[1:]


def period_comparison(
    now: dict[str, float],
    before: dict[str, float],
    lang: str,
    cur: str,
    asked: Collection[str] = (),
):
    """The table of a period comparison: each figure given for both periods, then each KPI both
    give (seed formulas; ``asked``: the ids of KPIs shown on request that the request names),
    this period, the previous one and the change (relative, in %; in points for a rate or an NPS).
    ``now`` / ``before``: KPI inputs {measure: value}."""
    rows, seen = [], set()
    for m in (m for m in now if m in before and (now[m], before[m]) not in seen):
        seen.add((now[m], before[m]))  # orders standing for conversions are shown once
        rows.append(
            [
                row_label(m, lang),
                figure_text(m, now[m], lang, cur),
                figure_text(m, before[m], lang, cur),
                t(lang, "deliverables.points", value=signed(num(now[m] - before[m], lang, 2)))
                if m in PERCENT_METRICS
                else change(now[m], before[m], lang),
            ]
        )
    ours, theirs = kpi.compute_kpis(now, asked), kpi.compute_kpis(before, asked)
    # a KPI one period computes from a figure the other does not give (this year's CPA on new
    # customers, last year's on orders) is no change: this period's only
    apart = {k.id for k in kpi.KPIS if any((n in now) != (n in before) for n in k.needs)}
    theirs = {k: v for k, v in theirs.items() if k not in apart}
    for k, a, b in _on_both(ours, theirs, seen):
        moved = (
            t(lang, "deliverables.points", value=signed(num(a - b, lang, 2)))
            if k.unit in ("%", "pts")  # an NPS moves in points: 29.1 to 41.8 is +12.7, not +43.7 %
            else change(a, b, lang)
        )
        rows.append([k.name(lang), kpi_value(k, a, lang, cur), kpi_value(k, b, lang, cur), moved])
    rows += _this_period_only(now, before, ours, theirs, lang, cur)
    headings = ("figure", "this_period", "previous_period", "change")
    return table([t(lang, f"deliverables.{h}") for h in headings], rows)


def _on_both(
    ours: dict[str, float], theirs: dict[str, float], seen: set
) -> list[tuple[kpi.Kpi, float, float]]:
    """(KPI, this period's value, the previous one's) of each KPI computed for both periods
    ({id: value} each), in the catalogue's order, one per pair of values: a pair already in
    ``seen`` (figures shown, or the CPA of conversions, which is their cost per conversion) is
    left out, and ``seen`` gains the pairs kept."""
    out = []
    for k in (k for k in kpi.KPIS if k.id in ours and k.id in theirs):
        if (ours[k.id], theirs[k.id]) not in seen:
            seen.add((ours[k.id], theirs[k.id]))
            out.append((k, ours[k.id], theirs[k.id]))
    return out


def _this_period_only(
    now: dict[str, float],
    before: dict[str, float],
    ours: dict[str, float],
    theirs: dict[str, float],
    lang: str,
    cur: str,
) -> list[list[str]]:
    """Rows of the figures and KPIs only this period gives (clicks and impressions, so CTR, CPC
    and CPM, with no clicks last week): this period's value, '—' for the previous one and the change."""
    figures = [
        [row_label(m, lang), figure_text(m, v, lang, cur), "—", "—"]
        for m, v in now.items()
        if m not in before
    ]
    kpis = [
        [k.name(lang), kpi_value(k, ours[k.id], lang, cur), "—", "—"]
        for k in kpi.KPIS
        if k.id in ours and k.id not in theirs and k.id not in now
    ]
    return figures + kpis


def target_of(request: Understanding, type_: str) -> float | None:
    """The whole request's target of ``type_`` ('target_cpa', 'target_roas'): the one given
    without a channel, or the only one given ("Google Ads: CPA $48, boss wants $35": the message's
    single channel carries it); None when there is none, or one per channel."""
    found = request.all(type_) or request.all(type_, any_arm=True)
    return float(found[0].value) if len(found) == 1 or request.all(type_) else None


def against_targets(
    request: Understanding,
    cpa: float | None,
    roas: float | None,
    lang: str,
    cur: str,
    name: str = "CPA",
) -> tuple[list[str], list[str]]:
    """(sentences on the targets met, alerts on those missed): the CPA (or the cost ``name``s,
    "Cost per SQL") against a target CPA and the ROAS against a target ROAS the user gave
    ("target CPA is $50", "objectif ROAS 3,5"); the gap in % of the target. Source: campaigns
    seed, Suivi Performance (alerts on off-target KPIs)."""
    met: list[str] = []
    missed: list[str] = []
    target = target_of(request, "target_cpa")
    if target and cpa is not None:
        gap = pct((cpa / target - 1) * 100, lang)
        key = "target_met_cpa" if cpa <= target else "target_missed_cpa"
        shown = {"cpa": money(cpa, lang, cur, 2), "target": money(target, lang, cur), "gap": gap}
        shown["name"] = name
        (met if cpa <= target else missed).append(t(lang, f"suivi-performance.{key}", **shown))
    target = target_of(request, "target_roas")
    if target and roas is not None:
        gap = pct((roas / target - 1) * 100, lang)
        key = "target_met_roas" if roas >= target else "target_missed_roas"
        shown = {"roas": f"{num(roas, lang, 2)}x", "target": f"{num(target, lang, 2)}x", "gap": gap}
        (met if roas >= target else missed).append(t(lang, f"suivi-performance.{key}", **shown))
    return met, missed


def target_table(targets: dict, lang: str, cur: str):
    """Each figure against the target given with it (binding.stated_targets): figure, value,
    target and the gap in % of the target; None without targets."""
    if not targets:
        return None
    rows = []
    for m, (figure, goal) in targets.items():
        rows.append(
            [
                row_label(m, lang),
                figure_text(m, figure.value, lang, cur),
                figure_text(m, goal.value, lang, cur),
                change(figure.value, goal.value, lang),
            ]
        )
    headings = ("figure", "this_period", "target", "gap_to_target")
    return table([t(lang, f"deliverables.{h}") for h in headings], rows)


NON_OPENERS = re.compile(
    r"(?<![a-z])(?:pas ouvert|pas ouvre|non[- ]?ouvr\w*|didn't open|did not open|haven't opened|"
    r"have not opened|non[- ]?openers?|unopened|not opened|who didn't|n'ont pas ouvert)(?![a-z])"
)  # the contacts who did not open an email, on folded text: a resend's or a touch's audience


def change(now: float, before: float, lang: str) -> str:
    """The relative change from ``before`` to ``now``, signed ('+10,6 %'); '—' from zero."""
    if not before:
        return "—"
    return signed(pct((now / before - 1) * 100, lang))


def signed(shown: str) -> str:
    """A formatted change with its sign: '+' added to a positive one ('+10,6 %')."""
    zero = not any(c in "123456789" for c in shown)
    return shown if zero or shown.startswith(("-", "−")) else "+" + shown


def pipeline_line(request: Understanding, lang: str) -> tuple[str, list] | None:
    """The sentence of a pipeline the request gives as a volume and stage rates
    (graph.understanding.pipeline): volume × rates = who reaches the end, and × the value of
    each the revenue; with the slots used, or None when the request gives no chain."""
    chain = rate_chain(request)
    if chain is None:
        return None
    reached = chain.reached
    said = t(
        lang,
        "deliverables.pipeline",
        volume=num(chain.volume.value, lang),
        rates=" × ".join(pct(r.value, lang) for r in chain.rates),
        reached=num(reached, lang, 1 if reached < 10 else 0),  # "1,3 clients", not "1"
    )
    if chain.value:
        revenue = money(reached * chain.value.value, lang, request.currency)
        value = money(chain.value.value, lang, request.currency)
        said += " " + t(lang, "deliverables.pipeline_value", value=value, revenue=revenue)
    if scene := scenario(chain, request):  # "si le freemium double … seulement 6 % passent"
        return said + " " + _scenario_line(chain, scene, request, lang), [*chain.slots, scene.rate]
    if moved := rate_moved(chain, request):  # "et si on passe MQL→SQL à 22 % ?"
        now = chain.reached_at(*moved)
        worth = chain.value.value if chain.value else 0.0
        said += " " + t(
            lang,
            "deliverables.pipeline_moved" if worth else "deliverables.pipeline_moved_count",
            before=pct(chain.rates[moved[0]].value, lang),
            after=pct(moved[1], lang),
            reached=num(now, lang),
            revenue=money(now * worth, lang, request.currency),
            change=signed(money((now - reached) * worth, lang, request.currency)),
        )
    return said, chain.slots


def _scenario_line(chain: Chain, scene: Scenario, request: Understanding, lang: str) -> str:
    """The sentence of a scenario on the chain (graph.understanding.pipeline.scenario): the volume
    × its factor through the chain with the stage at its new rate, who reaches the end and the
    revenue at the same value each, against today."""
    now = chain.reached_at(scene.index, scene.rate.value) * scene.factor
    worth = chain.value.value if chain.value else 0.0
    return t(
        lang,
        "deliverables.pipeline_scenario",
        volume=num(chain.volume.value * scene.factor, lang),
        before=pct(chain.rates[scene.index].value, lang),
        after=pct(scene.rate.value, lang),
        reached=num(now, lang, 1 if now < 10 else 0),
        change=signed(num(now - chain.reached, lang, 1 if abs(now - chain.reached) < 10 else 0)),
        share=signed(pct((now / chain.reached - 1) * 100, lang)) if chain.reached else "—",
        revenue=money(now * worth, lang, request.currency) if worth else "—",
    )


def needed_line(request: Understanding, lang: str) -> tuple[str, list] | None:
    """The sentence of a goal read backwards through the pipeline (graph.understanding.pipeline
    .needed_volume): the goal ÷ each stage rate = the people needed at the entry, rounded up, and
    × their cost the budget; with the slots used, or None when the request sets no such goal."""
    needed = needed_volume(request)
    if needed is None:
        return None
    entry = math.ceil(needed.entry - 1e-9)
    said = t(
        lang,
        "deliverables.needed",
        goal=num(needed.goal.value, lang),
        noun=_noun_after(needed.goal, request),
        rates=" ÷ ".join(pct(r.value, lang) for r in needed.rates),
        entry=num(entry, lang),
        entry_name=needed.entry_name + ("s" if entry > 1 and needed.entry_name[-1:] != "s" else ""),
    )
    if needed.cost:
        said += " " + t(
            lang,
            "deliverables.needed_budget",
            cost=money(needed.cost.value, lang, request.currency),
            budget=money(entry * needed.cost.value, lang, request.currency),
        )
    if needed.visits is not None and needed.visit_rate is not None:
        visits = math.ceil(needed.visits - 1e-9)
        said += " " + t(
            lang,
            "deliverables.needed_visits",
            rate=pct(needed.visit_rate.value, lang),
            visits=num(visits, lang),
        )
        if needed.cpc:
            cost = money(visits * float(needed.cpc.value), lang, request.currency)
            cpc = money(float(needed.cpc.value), lang, request.currency, 2)
            said += " " + t(lang, "deliverables.needed_clicks_cost", cpc=cpc, cost=cost)
    return said, needed.slots


def _noun_after(slot: Slot, request: Understanding) -> str:
    """The word written right after a figure, as written ("150 démos": 'démos'), else ''."""
    said = re.search(re.escape(slot.evidence) + r"\s*([^\W\d_]+(?:-[^\W\d_]+)*)", request.raw)
    return said[1] if said else ""


def funnel_steps(steps: list) -> list[dict]:
    """Per-step conversion from the previous step and drop-off, in % ; first step has none."""
    out = []
    for i, (name, count) in enumerate(steps):
        prev = steps[i - 1][1] if i else None
        conv = count / prev * 100 if prev else None
        out.append(
            {
                "label": name,
                "count": count,
                "conversion": conv,
                "drop": 100 - conv if conv is not None else None,
            }
        )
    return out


def funnel_values(inputs, lang):
    rows = funnel_steps(inputs["steps"])
    leak = max(rows[1:], key=lambda r: r["drop"] or 0.0)
    overall = rows[-1]["count"] / rows[0]["count"] * 100 if rows[0]["count"] else 0.0
    table_rows = [
        [
            r["label"],
            num(r["count"], lang),
            pct(r["conversion"], lang) if r["conversion"] is not None else "—",
            pct(r["drop"], lang) if r["drop"] is not None else "—",
        ]
        for r in rows
    ]
    return (
        rows,
        leak,
        overall,
        {
            "step_count": str(len(rows)),
            "overall": pct(overall, lang, 2),
            "leak_step": leak["label"],
            "leak_rate": pct(leak["drop"], lang),
            "steps_table": table(
                [
                    t(lang, "deliverables.step"),
                    t(lang, "deliverables.volume"),
                    t(lang, "deliverables.step_conversion"),
                    "Drop-off",
                ],
                table_rows,
            ),
        },
    )


# "54k sessions (-6% wow)": the figure's own label, then its change
_LABEL_THEN = re.compile(r"\s*(?:[a-z'-]+\s+){0,3}?[a-z'-]*\s*\(?\s*")


def changes_after(request: Understanding, given: dict[str, Slot]) -> dict[str, Slot]:
    """{measure: the change slot written right after its figure} of the ``given`` figures
    ({measure: slot}): "sessions 182k (+6% MoM)" gives visitors +6 (a relative change, %)."""
    moves = [
        s
        for s in request.slots
        if s.type in ("change", "revenue_change") and s.arm is None and s.channel is None
    ]
    out = {}
    for measure, slot in given.items():
        moved = next(
            (
                c
                for c in moves
                if c.message == slot.message
                and c.start >= slot.end
                and _LABEL_THEN.fullmatch(request.text[slot.end : c.start])
            ),
            None,
        )
        if moved is not None:
            out[measure] = moved
    return out


def period_moves(now: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    """{measure: its relative change (%) from the previous period's value to this period's} of
    the measures both periods give (a period comparison's KPI inputs), for :func:`report_flags`;
    orders that are the conversions under their other name (binding.aliased) are said once."""
    same = now.get("orders") == now.get("conversions")
    return {
        m: (v / before[m] - 1) * 100
        for m, v in now.items()
        if before.get(m) and not (m == "orders" and same)
    }


def report_flags(
    metrics: dict[str, float], moved: dict[str, float], lang: str, cur: str
) -> list[str]:
    """What a report should flag first, from this period's KPI inputs (``metrics``) and the
    relative change (%) stated for some of them (``moved``): the previous period's values are
    each figure over (1 + change), which gives the ratios between two figures that both moved
    (conversion rate, leads that became customers, CPA, ROAS: seed formulas,
    graph.calculators.kpi) on both periods. Moves the wrong way (a cost or a churn up, a volume,
    a rate or a revenue down; :data:`graph.calculators.kpi.LOWER_IS_BETTER`) come first, the
    largest first, then those the right way; moves under 2 % and the spend are left out.
    Returns up to two sentences (the wrong way, the right way); [] when nothing moved."""
    now = {m: v for m, v in metrics.items() if m in moved and m not in PERCENT_METRICS}
    before = {m: v / (1 + moved[m] / 100) for m, v in now.items() if moved[m] > -100}
    # orders stand for conversions: a shop's conversion rate and CPA move with them
    ours, theirs = (kpi.compute_kpis(aliased(side), ("lead_close_rate",)) for side in (now, before))
    items = [
        (m, moved[m], f"{row_label(m, lang)} {figure_text(m, metrics[m], lang, cur)}")
        for m in metrics
        if m in moved
    ]
    for k, a, b in (kpis for kpis in _on_both(ours, theirs, set()) if kpis[2]):
        shown = t(
            lang,
            "reporting.flag_was",
            now=kpi_value(k, a, lang, cur),
            was=kpi_value(k, b, lang, cur),
        )
        items.append((k.id, (a / b - 1) * 100, f"{k.name(lang)} {shown}"))
    worse: list[str] = []
    better: list[str] = []
    for measure, move, text in sorted(items, key=lambda item: -abs(item[1])):
        if abs(move) >= 2 and measure not in kpi.NEUTRAL_MOVES:
            down = (move > 0) == (measure in kpi.LOWER_IS_BETTER)
            (worse if down else better).append(f"{text} ({signed(pct(move, lang, 1))})")
    lines = [t(lang, "reporting.flag_worse", items=", ".join(worse))] if worse else []
    return lines + ([t(lang, "reporting.flag_better", items=", ".join(better))] if better else [])


# Each orchestrator's builders register themselves on import.
from graph.deliverables import (  # noqa: E402,F401
    acquisition,
    analytics,
    automation,
    campagnes,
    performance,
)
