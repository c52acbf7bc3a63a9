"""Builders of the campagnes orchestrator's specialists (seeds/campagnes-orchestrator.md): planning-
campagne, budget-allocation, coordination-canaux, suivi-performance.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from graph import data
from graph.calculators import budget as budget_calc
from graph.calculators import kpi
from graph.calendar import campaign_ics
from graph.deliverables import (
    against_targets,
    budget_used,
    builder,
    changes_after,
    feeding,
    kpi_sheet,
    kpi_table,
    kpi_value,
    period_comparison,
    period_moves,
    period_slots,
    report_flags,
    signed,
    target_of,
)
from graph.deliverables.analytics import auction_reading, first_order_verdict
from graph.document import Alert, Curves, GroupedBars, Table
from graph.formatting import bullets, date_text, eur, money, num, pct, table, weekday_name
from graph.hierarchy import BRIEF_FIELDS, load_hierarchy
from graph.i18n import items, t
from graph.text import fold
from graph.understanding import Understanding, quantities, understand
from graph.understanding import metrics as stated_metrics
from graph.understanding.binding import (
    CONVERTED,
    GOAL_COUNTS,
    goal_and_cost,
    metric_slots,
    period_metrics,
    period_of,
    volume_wanted,
)
from graph.understanding.changes import changes, cost_move, joined_as_move
from graph.understanding.dates import elapsed_days, next_monday
from graph.understanding.describe import day_text, label
from graph.understanding.followups import MOVE, channels_named, dropped_channel
from graph.understanding.lexicon import channel_group, measure_words
from graph.understanding.pipeline import channel_chain
from graph.understanding.reader import CAP_WORDS, FLOOR_WORDS, extra_amount
from graph.understanding.slots import Slot
from graph.understanding.timings import Timing, WeeklySend, channel_timings, weekly_sends

# Seed campagnes-orchestrator.md, "Types de Campagnes": typical duration in days; names and
# durations as written are the specialist's labels (type.<id>).
CAMPAIGN_DAYS = {
    "lancement": 42,
    "saisonniere": 21,
    "always-on": 90,
    "flash": 7,
    "evenementielle": 28,
    "brand": 70,
}
PREP_OFFSETS = (
    -35,
    -28,
    -21,
    -14,
    -3,
)  # days before launch of the steps "prep" (seed "Processus Campagne")


def _checklist(key: str, lang: str) -> str:
    return "\n".join(f"- [ ] {item}" for item in items(lang, key))


@builder("planning-campagne")
def planning_campagne(inputs, lang, request):
    """A campaign plan (seed planning-campagne.md, "Processus Campagne"): the brief, dated
    milestones, the budget over the span, the go/no-go checklist, and an .ics calendar."""
    kind = inputs["campaign_type"]
    name = t(lang, f"planning-campagne.type.{kind}.name")
    event = _event_day(inputs, kind, request)
    if event:  # the event itself is no channel that promotes it
        inputs = {
            **inputs,
            "channels": [c for c in inputs.get("channels") or [] if not _is_event(c)],
        }
    if not inputs.get("budget") and (summed := _summed_budget(inputs, request)):
        inputs = {**inputs, "budget": summed}
    start, end, span = _window(inputs, CAMPAIGN_DAYS[kind], event)
    prep = squeezed(PREP_OFFSETS, start, date.today())
    # an occasion's day (Father's Day) has no attendees to follow up, an event's has
    dated = _milestones(start, end, prep, lang, bool(event) and kind == "evenementielle")
    duration = (
        t(lang, "planning-campagne.value_weeks_span_days", value=span // 7, span=span)
        if span % 7 == 0 and span >= 14
        else t(lang, "planning-campagne.span_days", span=span)
    )
    budget_lines = _campaign_budget(inputs, span, duration, lang, request)
    given = "end_date" in inputs or "duration_days" in inputs
    brief = {"target": audience(request), **{k: v for k, v in inputs.items() if v}}
    values = {
        "brief": bullets(
            [
                t(lang, f"planning-campagne.{k}", value=brief[k])
                for k in BRIEF_FIELDS
                if brief.get(k)
            ]
        ),
        "type_label": name,
        "type_duration": t(lang, f"planning-campagne.type.{kind}.duration"),
        **_shown_dates(inputs, start, end, event, lang),
        "duration": duration,
        "budget": money(inputs["budget"], lang, request.currency)
        if inputs.get("budget")
        else t(lang, "planning-campagne.not_given"),
        "budget_plan": bullets(budget_lines) or t(lang, "planning-campagne.budget_not_given_set"),
        "diffusion": _offer_sends(inputs, start, end, request, lang),
        "milestones": _milestone_table(dated, end, lang),
        "gate_checklist": _checklist("planning-campagne.gate_checklist", lang),
        "deliverables_checklist": _checklist("planning-campagne.phase_deliverables", lang),
        "method": t(
            lang,
            "planning-campagne.method",
            span=span,
            duration=t(lang, "planning-campagne.duration_given")
            if given
            else t(lang, "planning-campagne.duration_typical", name=name),
        )
        + _tight_note(start, prep, lang),
    }
    values["_files"] = [_calendar(name, start, end, dated, lang)]
    values["_used"] = ([goal] if (goal := _goal(request)) else []) + _channel_shares(request)
    if _revenue_and_basket(request):  # the orders it takes are in the budget part
        values["_used"] += request.all("revenue", "aov", "list_size")
    values["_used"] += send_settings(request) if values["diffusion"] else []
    values["_used"] += _within(request, brief["target"])  # "young professionals 25-34"
    values["_launch_date"] = start.isoformat()  # the go/no-go checklist's deadline (bot/gate.py)
    return values, {}


OFFER_DAYS = 31  # an offer window planned send by send; a longer campaign keeps its milestones


def _offer_sends(inputs: dict, start: date, end: date, request: Understanding, lang: str) -> list:
    """The day-by-day sends of a campaign whose window the user gives (a start and an end or a
    duration, ``OFFER_DAYS`` at most) on channels that message people (email, SMS, push):
    :func:`send_plan`, capped and deduplicated; nothing otherwise."""
    channels = inputs.get("channels") or []
    given = inputs.get("start_date") and ("end_date" in inputs or "duration_days" in inputs)
    direct = any(channel_group(c) in DIRECT for c in channels)
    if not (given and direct and (end - start).days < OFFER_DAYS):
        return []
    return send_plan(channels, start, end, request, lang)


def _milestone_table(dated: list[tuple[str, date | None]], end: date, lang: str) -> Table:
    """The plan's milestones as a table of (step, date); the weekly check runs until ``end``."""
    return table(
        [t(lang, "planning-campagne.step"), "Date"],
        [
            [
                title,
                date_text(day, lang)
                if day
                else t(lang, "planning-campagne.weekly_until_end", end=date_text(end, lang)),
            ]
            for title, day in dated
        ],
    )


def _tight_note(start: date, prep: tuple[int, ...], lang: str) -> str:
    """A sentence for the method when the launch leaves less than the seed's 35 days of
    preparation (``prep``, the steps' offsets as :func:`squeezed` set them), else ''."""
    if prep == PREP_OFFSETS:
        return ""
    lead = (start - date.today()).days
    return " " + t(lang, "planning-campagne.tight_prep", lead=max(lead, 0))


def _goal(request: Understanding):
    """The slot of the campaign's objective in conversions ("goal 8,000 downloads", "objectif 500
    leads"), or None."""
    return next((s for s in request.slots if s.type in GOAL_COUNTS and not s.arm and s.value), None)


# "cibles 25-40 ans urbains", "target: young professionals": "target 400 SQLs" is a goal
_AUDIENCE = re.compile(
    r"(?<![\w])(?:cibles?\s*:?|ciblage\s*:?|target(?:ing)?\s*:?|target audience\s*:?|audience\s*:?|"
    r"persona\s*:?)\s+(?![$€£])([^.;!?\n]{3,60})",
    re.I,
)
_NOT_WHO = {"date", "de", "of", "is", "was", "for", "pour", "to"}
_AGES = re.compile(r"\d{2}\s*(?:-|–|à|to)\s*\d{2}\b")
# ", objectif 2 000 ventes": the brief goes on with another field
_NEXT_FIELD = re.compile(
    r",\s*(?:objectif|objective|goal|budget|canaux|channels?|mix|dur[ée]e|duration|lancement|launch|kpi)",
    re.I,
)


_SELF = re.compile(
    r"(?<![a-z])(?:je suis|i am|i'm|im|en tant que|as an?|as the|my role is|mon poste est)\s+"
    r"(?:(?:un|une|le|la|a|an|the)\s+)?$"
)


def audience(request: Understanding) -> str:
    """Who a campaign is for, in the user's words: the phrase after "cible(s)", "target",
    "audience" ("cibles 25-40 ans urbains" -> "25-40 ans urbains"), else the clause from the job
    title named ("CFOs at companies 500+ employees"), else the segments read, joined; '' when
    the request names none."""
    # "target: 2,000 orders" is a goal ("target: 400 trial signups, audience: ops managers…"
    # says who next); "cibles 25-40 ans" an age range
    at = 0
    while said := _AUDIENCE.search(request.raw, at):
        first = fold(said.group(1)).split()[0]
        # "target young professionals 25-34" says who; "target CPA of $8", "target date" do not
        if _AGES.match(said.group(1)) or not (
            first[0].isdigit() or first in _NOT_WHO | measure_words()
        ):
            return _NEXT_FIELD.split(said.group(1))[0].strip(" ,")
        at = said.start(1)
    title = request.first("job_title")
    if title is not None and _SELF.search(request.text[max(0, title.start - 25) : title.start]):
        title = None  # "je suis responsable marketing": who writes, not who the campaign is for
    if title is not None and len(request.raw) == len(request.text):
        # "target CFOs at companies 500+ employees": the people named, as far as their clause goes
        return re.split(r"[,;.!?\n]", request.raw[title.start :])[0].strip()
    return ", ".join(str(s.value) for s in request.all("segment"))


def _within(request: Understanding, phrase: str) -> list:
    """The slots read inside ``phrase``, a part of the request written as is (the audience
    "young professionals 25-34": its ages); [] when the phrase is empty or not found."""
    at = request.raw.find(phrase) if phrase else -1
    if at < 0:
        return []
    return [s for s in request.slots if at <= s.start and s.end <= at + len(phrase)]


def _paced(value: float, span: int) -> tuple[float, str]:
    """``value`` (a budget €, a goal) spread over a campaign of ``span`` days: per day under two
    weeks ("Black Friday, 27 Nov to 1 Dec": 5 days), per week otherwise; with the catalogue key of
    that pace."""
    if span < 14:
        return value / max(span, 1), "planning-campagne.pace_day"
    return value / (span / 7), "planning-campagne.pace_week"


def _objective(
    goal, budget: float, span: int, duration: str, request: Understanding, lang: str
) -> str:
    """The objective line of a plan: the goal over the campaign, per day or week (:func:`_paced`), and the target cost
    per conversion it sets (budget ÷ goal; campaigns seed, objectives and KPIs of the brief)."""
    noun = _goal_noun(request.raw[goal.end :] if goal.end else "") or label(goal.type, lang)
    paced, pace = _paced(goal.value, span)
    return t(
        lang,
        "planning-campagne.objective_line",
        goal=num(goal.value, lang),
        noun=noun,
        duration=duration,
        per_week=num(paced, lang),
        pace=t(lang, pace),
        cost=money(budget / goal.value, lang, request.currency, 2),
    )


def _goal_noun(after: str) -> str:
    """The words naming a goal, from the text right after its number: up to the last measure
    noun of the next three words ("150 booked meetings", "300 trial signups"), else the first
    word ("300 inscrits"); '' when no word follows."""
    said = re.match(r"\s*([^\W\d_][\w-]*)(?: ([^\W\d_][\w-]*))?(?: ([^\W\d_][\w-]*))?", after)
    if not said:
        return ""
    found = [w for w in said.groups() if w]
    named = [i for i, w in enumerate(found) if fold(w) in measure_words()]
    return " ".join(found[: named[-1] + 1] if named else found[:1])


def _assumed_launch() -> date:
    """The launch of a campaign asked without a date: the first Monday the seed's whole
    preparation (J-35, ``PREP_OFFSETS``) fits before, said to be confirmed."""
    return next_monday(date.today() + timedelta(days=-min(PREP_OFFSETS) - 1))


_STARTS_THEN = re.compile(
    r"(?<![a-z])(?:a partir du|des le|debut\w*|demarr\w*|commenc\w*|from|starting|start\w*|"
    r"kick\w* off)\s+(?:le\s+|on\s+|the\s+)?$"
)


def _is_event(channel: str) -> bool:
    """Whether a channel read in an event campaign's brief names the event itself ("Webinar"):
    one of the words of the event type (prompts/specialists/planning-campagne.yaml)."""
    spec = next(s for s in load_hierarchy().nodes["planning-campagne"].inputs if s.options)
    return fold(channel) in {fold(w.removeprefix("~")) for w in spec.options["evenementielle"]}


# "pour la fête des pères (21 juin)", "for Mother's Day on May 10": the occasion a seasonal
# campaign sells up to; a sale named ("pour les soldes du 8 janvier") starts on its date instead
_FOR_OCCASION = re.compile(  # "on prépare la fête des mères (31 mai)": what is prepared for
    r"(?<![a-z])(?:pour|for|prepar\w*|get(?:ting)? ready for)\s+(?:la |le |l'|les |the |our |notre )?"
    r"(?P<occasion>[a-z'’ -]{3,30}?)\s*(?:\(|,|\ble\s|\bon\s)?\s*$"
)
_SALE = re.compile(r"(?<![a-z])(?:soldes?|sales?|promo\w*|offres?|ventes?|deals?)(?![a-z])")


def _event_day(inputs: dict, kind: str, request: Understanding) -> date | None:
    """The day of the event an event campaign promotes ("webinar le 12 février", "booth at
    SaaStr on March 18"), or of the occasion a seasonal campaign is for ("pour la fête des pères
    (21 juin)"): its one date, unless the campaign is said to start then ("à partir du 3 mars")
    or its end is given; None for other campaigns, and for a seasonal date not named as the
    occasion's (a sale's first day)."""
    if kind not in ("evenementielle", "saisonniere") or not inputs.get("start_date"):
        return None
    said = request.first("start_date")
    before = request.text[max(0, said.start - 45) : said.start] if said else ""
    if inputs.get("end_date") or _STARTS_THEN.search(before[-25:]):
        return None
    if kind == "saisonniere":
        occasion = _FOR_OCCASION.search(before)
        if occasion is None or _SALE.search(occasion["occasion"]):
            return None
    return date.fromisoformat(inputs["start_date"])


def _shown_dates(
    inputs: dict, start: date, end: date, event: date | None, lang: str
) -> dict[str, str]:
    """The plan's launch and end fields: an event campaign's promotion start and the event's
    day; a launch date to confirm when none was given."""
    if event:
        weeks = (end - start).days // 7
        return {
            "start_date": t(
                lang, "planning-campagne.promotion_start", date=date_text(start, lang), weeks=weeks
            ),
            "end_date": t(lang, "planning-campagne.event_on", date=date_text(end, lang)),
        }
    return {
        "start_date": date_text(start, lang)
        if inputs.get("start_date")
        else t(lang, "planning-campagne.to_confirm", date=date_text(start, lang)),
        "end_date": date_text(end, lang),
    }


def _window(inputs: dict, typical: int, event: date | None = None) -> tuple[date, date, int]:
    """(start, end, days on air) of a campaign: an end date given in the brief (/campaign modal)
    or a duration the user gave wins over the seed's ``typical`` duration (days); "du 1er au 21"
    is 21 days on air; without a launch date, :func:`_assumed_launch`. An event campaign's
    promotion runs those days up to the ``event`` and ends on its day; when they would start
    before today, a third of the days left go to preparing it and the rest are on air."""
    if event:
        start = event - timedelta(days=inputs.get("duration_days") or typical)
        if start < (today := date.today()):
            start = today + timedelta(days=max(0, (event - today).days) // 3)
        start = min(start, event - timedelta(days=1))
        return start, event, (event - start).days
    start = (
        date.fromisoformat(inputs["start_date"]) if inputs.get("start_date") else _assumed_launch()
    )
    if inputs.get("end_date"):
        end = date.fromisoformat(inputs["end_date"])
        return start, end, (end - start).days + 1
    end = start + timedelta(days=inputs.get("duration_days") or typical)
    return start, end, (end - start).days


def squeezed(offsets: Sequence[int], start: date, today: date) -> tuple[int, ...]:
    """Days from launch ``start`` of planned steps (negative before it): ``offsets`` as they are,
    or, when the launch is nearer to ``today`` than the earliest step, the steps before the launch
    spread over the days left in the same proportions (the first one today), so that no step is
    dated in the past. Used for the seed's preparation (J-35 to J-3) and the coordination schedule."""
    earliest, lead = -min(offsets), (start - today).days
    if lead >= earliest:
        return tuple(offsets)
    return tuple(math.floor(o * max(lead, 0) / earliest) if o < 0 else o for o in offsets)


def _milestones(
    start: date, end: date, prep: tuple[int, ...], lang: str, event: bool = False
) -> list[tuple[str, date | None]]:
    """The seed's "Processus Campagne" steps with their dates: steps 1-4 before the launch at
    ``prep`` days (PREP_OFFSETS, or as :func:`squeezed` set them), 5 at launch, 6 weekly while on
    air (no single date), 7 a week after the end; for an ``event`` campaign, the event's day
    (the end) and the follow-up of attendees and no-shows the day after."""
    dated: list[tuple[str, date | None]] = [
        (step, start + timedelta(days=o))
        for step, o in zip(items(lang, "planning-campagne.prep"), prep)
    ]
    held = [
        (t(lang, "planning-campagne.event_day"), end),
        (t(lang, "planning-campagne.event_follow_up"), end + timedelta(days=1)),
    ]
    return dated + [
        (t(lang, "planning-campagne.n5_execution_launch"), start),
        (t(lang, "planning-campagne.n6_tracking_weekly_check"), None),
        *(held if event else []),
        (t(lang, "planning-campagne.n7_wrap_up_reporting"), end + timedelta(days=7)),
    ]


def _calendar(
    name: str, start: date, end: date, dated: list[tuple[str, date | None]], lang: str
) -> dict:
    """The plan's .ics file: every dated milestone and one weekly check per week on air."""
    weekly = [
        (
            t(lang, "planning-campagne.n6_tracking_weekly_check_2", n=n),
            start + timedelta(days=7 * n),
        )
        for n in range(1, (end - start).days // 7 + 1)
    ]
    ics = campaign_ics(
        t(lang, "planning-campagne.campaign_name", name=name),
        sorted([(title, d) for title, d in dated if d] + weekly, key=lambda x: x[1]),
        end,
    )
    return {
        "filename": t(lang, "planning-campagne.ics_filename"),
        "content": ics,
        "title": t(lang, "planning-campagne.campaign_calendar_ics"),
    }


def _campaign_budget(
    inputs: dict, span: int, duration: str, lang: str, request: Understanding
) -> list[str]:
    """The plan's budget lines: the total over ``span`` days and per week, the channels it covers
    (a 10 % reserve when split) and the objective's target cost (:func:`_objective`); the channels
    alone when no budget is given."""
    channels, cur = inputs.get("channels") or [], request.currency
    orders = _revenue_goal(request, span, duration, inputs.get("budget"), lang)
    if not inputs.get("budget"):
        return (
            [t(lang, "planning-campagne.channels_value_budget_not", value=", ".join(channels))]
            if channels
            else []
        ) + orders
    total = inputs["budget"]
    paced, pace = _paced(total, span)
    lines = [
        t(
            lang,
            "planning-campagne.total_budget_total_over",
            total=money(total, lang, cur),
            duration=duration,
            money=money(paced, lang, cur),
            pace=t(lang, pace),
        )
    ]
    if channels:
        lines.append(
            t(
                lang,
                "planning-campagne.channels_value_detailed_split",
                value=", ".join(_with_share(c, total, request, lang, channels) for c in channels),
                money=money(total * 0.1, lang, cur),
            )
        )
    if goal := _goal(request):
        lines.append(_objective(goal, total, span, duration, request, lang))
    return lines + orders


def _revenue_and_basket(request: Understanding) -> tuple[Slot, Slot] | None:
    """(revenue goal, average order) of a plan that gives both and no goal in conversions, or
    None."""
    revenue, aov = request.first("revenue"), request.first("aov")
    if revenue is None or aov is None or not aov.value or _goal(request) is not None:
        return None
    return revenue, aov


def _revenue_goal(
    request: Understanding, span: int, duration: str, budget: float | None, lang: str
) -> list[str]:
    """What a revenue goal asks of the campaign at the average order value given ("goal is $90k
    revenue, AOV around $85"): the orders it takes (revenue ÷ AOV) over ``span`` days and per day
    or week, the share of the list that must buy when a list size is given, and the most an
    order may cost with a ``budget`` (€); [] without both figures or with a count goal."""
    if (goal := _revenue_and_basket(request)) is None:
        return []
    revenue, aov = goal
    orders = float(revenue.value) / float(aov.value)
    paced, pace = _paced(orders, span)
    cur = request.currency
    line = t(
        lang,
        "planning-campagne.revenue_goal",
        revenue=money(float(revenue.value), lang, cur),
        aov=money(float(aov.value), lang, cur),
        orders=num(math.ceil(orders), lang),
        duration=duration,
        paced=num(paced, lang),
        pace=t(lang, pace),
    )
    if (size := request.first("list_size")) is not None and size.value:
        share = pct(orders / float(size.value) * 100, lang, 2)
        line += " " + t(
            lang, "planning-campagne.list_must_buy", share=share, size=num(size.value, lang)
        )
    if budget:
        line += " " + t(
            lang, "planning-campagne.order_cost_cap", cpa=money(budget / orders, lang, cur, 2)
        )
    return [line]


def _summed_budget(inputs: dict, request: Understanding) -> float | None:
    """The plan's budget in € when the user gave every channel its amount and no total
    ("LinkedIn $12k and Meta retargeting $3k": $15,000); None otherwise."""
    amounts, channels = channel_amounts(request), inputs.get("channels") or []
    if channels and all(c in amounts for c in channels):
        return sum(amounts[c] for c in channels)
    return None


def _channel_shares(request: Understanding) -> list:
    """The slots of a share of the budget given to a channel ("ajoute apple search ads avec 20 %
    du budget"): a percentage of the channel, at most 100."""
    return [
        s
        for s in request.slots
        if s.channel and s.type in ("budget_share", "rate") and 0 < s.value <= 100
    ]


def channel_amounts(request: Understanding) -> dict[str, float]:
    """{channel: €} of the amounts the user gave a channel ("12k Meta", "ajoute l'emailing avec
    2k en plus"): its budget, else its amount."""
    return {**request.by_channel("amount"), **request.by_channel("budget")}


def _with_share(
    channel: str, total: float, request: Understanding, lang: str, channels: Sequence[str] = ()
) -> str:
    """A channel as a plan lists it, with its amount and share when the user gave it one
    ("Apple Search Ads : 9 000 € (20 %)", "Emailing : 2 000 € (6 %)"); a share is of what the
    amounts given to other channels leave of ``total`` €; the one channel of ``channels`` given
    neither gets what the others leave ("LinkedIn … budget $12k" then "add a Meta budget of
    $3k": LinkedIn $12,000)."""
    shares = {s.channel: s.value for s in _channel_shares(request)}
    fixed = channel_amounts(request)
    bare = [c for c in channels if c not in fixed and c not in shares]
    left = total - sum(fixed.get(c, 0.0) for c in channels)
    if channel in shares:
        share = shares[channel]
        amount = (total - sum(v for c, v in fixed.items() if c != channel)) * share / 100
    elif channel in fixed and total:
        amount, share = fixed[channel], fixed[channel] / total * 100
    elif bare == [channel] and len(channels) > 1 and left > 0 and not shares:
        amount, share = left, left / total * 100
    else:
        return channel
    return t(
        lang,
        "planning-campagne.channel_share",
        channel=channel,
        money=money(amount, lang, request.currency),
        share=pct(share, lang, 0),
    )


def channel_roas(request: Understanding) -> dict[str, float]:
    """ROAS per channel as the user named it: stated ('ROAS Google 4,2'), else revenue / spend
    given for the channel (or its sales × its average basket), else the revenue its SQLs bring
    through the pipeline's rates and value
    per spend ("$30k on LinkedIn for 60 SQLs … close rate 25%, ACV $12k": 6.00x,
    graph.understanding.pipeline.channel_chain). Source: performance seed, ROAS = revenue / ad
    spend."""
    roas = request.by_channel("roas")
    spend, revenue = request.by_channel("spend"), request.by_channel("revenue")
    sold, basket = request.by_channel("conversions"), request.by_channel("aov")
    for channel in spend:  # "51 purchases at €95 avg": the revenue they made
        if channel not in revenue and sold.get(channel) and basket.get(channel):
            revenue[channel] = sold[channel] * basket[channel]
        if channel not in roas and revenue.get(channel) and spend[channel]:
            roas[channel] = revenue[channel] / spend[channel]
    chain = None if roas else channel_chain(request)
    return chain.roas() if chain else roas


def channel_cpa(request: Understanding) -> dict[str, float]:
    """Cost per conversion per channel as the user named it: stated ('Meta (CPA 52 €)', a CPL or
    a CAC), else spend (or the amount it was given) / conversions given for the channel (its
    customers, leads, signups or orders when it gives those). Source: performance seed, coût
    par conversion = dépense / conversions."""
    cpa = {**request.by_channel("cac"), **request.by_channel("cpl"), **request.by_channel("cpa")}
    # "$12k into meta for 300 signups": a channel's amount beside what it bought was spent
    spend = {**request.by_channel("amount"), **request.by_channel("spend")}
    # "google brought 310 customers": what a channel's spend bought, whatever it is called
    conversions = {k: v for m in reversed(CONVERTED) for k, v in request.by_channel(m).items()}
    for channel in spend:
        if channel not in cpa and conversions.get(channel):
            cpa[channel] = spend[channel] / conversions[channel]
    return {c: v for c, v in cpa.items() if v > 0}


@dataclass(frozen=True)
class Efficiency:
    """What a channel's stated return weighs in a split: its ROAS (revenue per €, ``measure``
    'roas') or its cost per conversion (€ per conversion, 'cpa', weighing 1 / CPA). ``values``:
    {channel: ROAS or CPA} as stated or computed."""

    measure: str
    values: dict[str, float]

    def weight(self, channel: str) -> float:
        """The channel's weight: ROAS, or conversions per € (1 / CPA); a channel without a value
        weighs the mean of the others."""
        weights = [self._weight(v) for v in self.values.values()]
        value = self.values.get(channel)
        return self._weight(value) if value else sum(weights) / len(weights)

    def _weight(self, value: float) -> float:
        return value if self.measure == "roas" else 1 / value

    def outcome(self, budget: float, channel: str) -> float:
        """What ``budget`` € bring on the channel at a constant return: revenue € (ROAS) or
        conversions (CPA)."""
        return budget * self.weight(channel)

    def outcome_text(self, value: float, lang: str, cur: str) -> str:
        """An outcome as written: revenue in money (ROAS), conversions as a whole number (CPA)."""
        return money(value, lang, cur) if self.measure == "roas" else num(value, lang, 0)

    def shown(self, channel: str, lang: str, cur: str) -> str:
        """The channel's ROAS ('4,20x') or CPA ('38,00 €'), starred when the mean stood in."""
        weight = self.weight(channel)
        star = "" if channel in self.values else "*"
        if self.measure == "roas":
            return f"{num(weight, lang, 2)}x{star}"
        return money(1 / weight, lang, cur) + star


@builder("budget-allocation")
def budget_allocation(inputs, lang, request):
    """A budget split by channel (seed budget-allocation.md): from a history file on saturation
    curves, else at each channel's return, else keeping the split in place, else evenly after a
    10 % test reserve. A channel that brought revenue without any spend ("Organic $320k" beside
    paid channels' spend) is not bought: it is kept out of the split and said so."""
    if inputs.get("files"):
        return _budget_from_file(inputs, lang, request)
    # "quel budget pour 300 leads à un CPL cible de 45 € ?": no channel needed (channels' unless)
    if not inputs.get("channels") and (pair := goal_and_cost(request)):
        return _budget_for_goal(inputs["total_budget"], *pair, lang, request), {}
    unpaid = unpaid_channels(request)
    kept = [c for c in inputs["channels"] if c not in unpaid]
    values, facts = _budget_split({**inputs, "channels": kept}, lang, request)
    shown = values["split_table"]
    notes = [_unpaid_note(unpaid, request, lang)] if unpaid else []
    if cut := _cut_scenario(request, lang):  # "if we cut paid social, how much do we lose?"
        shown = [] if len(kept) == 1 else shown  # its one channel cut: no split to show
        notes.append(cut)
    elif scaled := _scaling(request, lang):  # "passer le budget Meta de 8k à 20k€"
        shown = [] if len(kept) <= 1 else shown
        notes.append(scaled[0])
        values["_used"] = values.get("_used", []) + scaled[1]
        values["method"] = t(lang, "budget-allocation.scaling_method")
    if notes:
        values["split_table"] = [*(shown if isinstance(shown, list) else [shown]), *notes]
        values["curves"] = values["curves"] if shown else ""
    values["_used"] = values.get("_used", []) + [
        s for s in request.all("revenue") if s.channel in unpaid
    ]
    return values, facts


def _budget_for_goal(
    total: float, goal: Slot, cost: Slot, lang: str, request: Understanding
) -> dict:
    """A budget asked for a goal at a target cost, no channel named: the goal × the target cost
    (``total``, €: binding.goal_and_cost), the weekly check, and what naming the channels would
    add."""
    cur = request.currency
    said = t(
        lang,
        "budget-allocation.goal_budget",
        goal=num(goal.value, lang),
        cost=money(cost.value, lang, cur),
        total=money(total, lang, cur),
    )
    return {
        "total_budget": money(total, lang, cur),
        "split_table": said,
        "curves": "",
        "method": t(lang, "budget-allocation.goal_budget_method"),
        "_used": [goal, cost],
    }


def _cut_scenario(request: Understanding, lang: str) -> str | None:
    """What cutting a channel costs ("if we cut paid social entirely (currently $25k/mo, ROAS
    2.1), how much revenue do we lose?"): the spend saved, the revenue its ROAS attributes to it
    (spend × ROAS, performance seed) and the difference, per month and year when the spend is
    monthly, with how to measure what is really lost (a geo holdout); None unless the request
    cuts one of its channels whose spend and ROAS it gives."""
    channel = dropped_channel(request.raw, request)
    spend = next(
        (s for s in request.slots if s.channel == channel and s.type in _SPENT and s.value), None
    )
    roas = channel_roas(request).get(channel or "")
    if channel is None or spend is None or not roas:
        return None
    cur, monthly = request.currency, period_of(request, spend) in ("mois", "month", "mo")
    per = t(lang, "budget-allocation.a_month") if monthly else ""
    revenue = float(spend.value) * roas
    line = t(
        lang,
        "budget-allocation.cut",
        channel=channel,
        spend=money(float(spend.value), lang, cur) + per,
        revenue=money(revenue, lang, cur) + per,
        roas=num(roas, lang, 2),
        net=money(revenue - float(spend.value), lang, cur) + per,
    )
    if monthly:
        line += " " + t(lang, "budget-allocation.cut_year", year=money(revenue * 12, lang, cur))
    return line + "\n\n" + t(lang, "budget-allocation.cut_check", channel=channel)


_SPENT = ("spend", "budget", "amount")
SCALING_STEP = 0.25  # a budget raised by a quarter at most at a time, every 3 to 4 days


def _scaling(request: Understanding, lang: str) -> tuple[str, list] | None:
    """Raising one channel's budget from one amount to another ("passer le budget Meta de 8k à
    20k€ par mois, le ROAS est à 5"): the change (%), the revenue at a constant ROAS before and
    after (spend × ROAS, performance seed) as the optimistic ceiling, why returns fall and the
    learning phase restarts, and the steps of +SCALING_STEP that reach the new amount. Returns
    (the text, the slots used); None unless two amounts of the request are joined as a move
    (graph.understanding.changes.joined_as_move) to a larger one."""
    spent = [s for s in request.slots if s.type in _SPENT and isinstance(s.value, float)]
    pair = next(
        ((a, b) for a, b in zip(spent, spent[1:]) if joined_as_move(request.text, a, b)), None
    )
    if pair is None or not 0 < pair[0].value < pair[1].value:
        return None
    (was, now), cur = pair, request.currency
    channel = was.channel or now.channel or next(iter(request.channels()), "")
    roas = channel_roas(request).get(channel) or request.value("roas")
    steps = math.ceil(math.log(now.value / was.value) / math.log(1 + SCALING_STEP))
    line = t(
        lang,
        "budget-allocation.scaling",
        channel=channel or t(lang, "budget-allocation.the_channel"),
        was=money(was.value, lang, cur),
        now=money(now.value, lang, cur),
        change=signed(pct((now.value / was.value - 1) * 100, lang)),
        steps=steps,
        step=pct(SCALING_STEP * 100, lang, 0),
        days=f"{steps * 3}-{steps * 4}",
    )
    if roas:
        line += " " + t(
            lang,
            "budget-allocation.scaling_roas",
            roas=num(roas, lang, 2),
            before=money(was.value * roas, lang, cur),
            after=money(now.value * roas, lang, cur),
        )
    used = [was, now] + request.all("roas")
    return line + "\n\n" + t(lang, "budget-allocation.scaling_check"), used


def unpaid_channels(request: Understanding) -> dict[str, float]:
    """{channel: revenue} of the channels that brought revenue with no spend, budget or return
    of their own, while other channels' spend is given (organic, direct): not bought."""
    spent = {**request.by_channel("spend"), **request.by_channel("budget")}
    priced = {**request.by_channel("roas"), **request.by_channel("cpa"), **spent}
    revenue = request.by_channel("revenue")
    return {c: v for c, v in revenue.items() if c not in priced} if spent else {}


def _unpaid_note(unpaid: dict[str, float], request: Understanding, lang: str) -> str:
    """The sentence on the channels kept out of a split: their revenue and share of the whole."""
    total = sum(request.by_channel("revenue").values()) or 1.0
    said = ", ".join(
        f"{c} ({money(v, lang, request.currency)}, {pct(v / total * 100, lang)})"
        for c, v in unpaid.items()
    )
    return t(lang, "budget-allocation.unpaid", channels=said)


def _budget_split(inputs, lang, request):
    """The split of ``inputs['total_budget']`` over ``inputs['channels']`` (see
    :func:`budget_allocation`)."""
    total, channels = inputs["total_budget"], inputs["channels"]
    roas, cpa = channel_roas(request), channel_cpa(request)
    current = current_split(request, total)
    in_place = [  # the split in place, shown beside the new one
        s
        for s in request.slots
        if current and (s.type == "budget_share" or (s.type in ("budget", "rate") and s.channel))
    ]
    if roas and current and (extra := extra_amount(request.slots, request.text)):  # "10k de plus"
        return _extra_split(extra, current, roas, lang, request), {}
    if not (roas or cpa) and (target := request.value("target_cpa")):
        cpa = {c: target for c in channels}  # "CPL cible 80 €": what the budget buys at that cost
    if roas or cpa:
        efficiency = Efficiency("roas", roas) if roas else Efficiency("cpa", cpa)
        return _efficient_split(inputs, lang, request, efficiency, current, in_place)
    if current:
        values = _budget_from_current(total, channels, current, lang, request.currency)
        return {**values, "_used": in_place}, {}
    values = _budget_evenly(total, channels, lang, request.currency)
    if goal := _goal(request):  # "3 500 € … on veut 700 installations": the cost each may take
        cost = money(total / goal.value, lang, request.currency, 2)
        said = t(lang, "deliverables.campagnes.goal_cost", goal=num(goal.value, lang), cost=cost)
        values["split_table"] = [values["split_table"], said]
    return values, {}


def _extra_split(
    extra: Slot,
    current: dict[str, float],
    roas: dict[str, float],
    lang: str,
    request: Understanding,
) -> dict:
    """The extra amount split over the channels in place by their ROAS (share = ROAS / sum of
    ROAS), the budget in place kept: each channel's current, added and new budget, and the
    revenue the extra brings at constant ROAS (€)."""
    cur, rated = request.currency, [c for c in current if c in roas]
    added = budget_calc.proportional(float(extra.value), {c: roas[c] for c in rated})
    rows = [
        [
            c,
            money(current[c], lang, cur),
            signed(money(added[c], lang, cur)),
            money(current[c] + added[c], lang, cur),
            f"{num(roas[c], lang, 2)}x",
            money(added[c] * roas[c], lang, cur),
        ]
        for c in rated
    ]
    header = [
        t(lang, f"budget-allocation.{k}") for k in ("channel", "current", "added", "new_budget")
    ]
    header += ["ROAS", t(lang, "budget-allocation.added_revenue")]
    brought = sum(added[c] * roas[c] for c in rated)
    best = max(rated, key=lambda c: added[c])
    line = t(
        lang,
        "budget-allocation.extra_line",
        extra=money(extra.value, lang, cur),
        revenue=money(brought, lang, cur),
        roas=num(brought / extra.value, lang, 2),
        current=money(sum(current.values()), lang, cur),
        best=best,
        best_roas=num(roas[best], lang, 2),
    )
    return {
        "total_budget": money(sum(current.values()) + extra.value, lang, cur),
        "channel_count": str(len(rated)),
        "reserve": t(lang, "budget-allocation.no_reserve"),
        "curves": "",
        "split_table": [table(header, rows), line],
        "method": t(lang, "budget-allocation.extra_method"),
        "_used": [extra]
        + [s for s in request.slots if s.channel in rated and s.type in ("budget", "roas")],
    }


def _efficient_split(
    inputs: dict,
    lang: str,
    request: Understanding,
    efficiency: Efficiency,
    current: dict[str, float],
    in_place: list,
):
    """The split at each channel's return (:func:`_budget_by_efficiency`) within the request's
    constraints and the amounts given to channels without a return, with whether it reaches a
    goal in conversions, warnings beyond a channel's history, and the figures it used."""
    total, channels, roas = inputs["total_budget"], inputs["channels"], efficiency.measure == "roas"
    own, bounding = stated_constraints(request)
    own, dropped = _still_bounding(own, channels + list(efficiency.values))
    fixed = {
        c: v
        for c, v in channel_amounts(request).items()
        if c in channels and c not in efficiency.values and not current
    }
    values, facts = _budget_by_efficiency(
        total,
        list(dict.fromkeys(channels + list(efficiency.values))),
        efficiency,
        lang,
        request.currency,
        own + (inputs.get("constraints") or []),
        request.value("target_roas" if roas else "target_cpa"),
        current,
        fixed,
    )
    split = values.pop("_split")
    if dropped:  # "et si on coupe le display ?" after "au moins 10k sur le display"
        lifted = t(lang, "budget-allocation.constraint_lifted", constraint=" ; ".join(dropped))
        values["split_table"][1] = "\n".join(filter(None, [values["split_table"][1], lifted]))
    goal = None if roas else _goal(request)  # a cap in conversions is no goal to reach
    if goal is not None and goal.channel in efficiency.values:
        goal = None  # "google brought 310 customers": what its CPA was computed from
    if goal and all(goal is not b for b in bounding):  # "je veux 600 leads": is it reached?
        reach = _goal_reach(split, efficiency, total, goal.value, lang, request.currency)
        values["split_table"][1] = "\n".join(filter(None, [values["split_table"][1], reach]))
        values["_used"] = [goal]
    values["_alerts"] = _beyond_history(split, request, lang, request.currency)
    values["_why"] = _why_split(efficiency, bool(own or inputs.get("constraints")), lang)
    stated = {**request.by_channel("roas"), **request.by_channel(efficiency.measure)}
    chain = None if stated or not roas else channel_chain(request)  # the SQLs the ROAS came from
    values["_used"] = (
        values.get("_used", [])
        + ([*chain.volumes.values(), *chain.rates, chain.value] if chain else [])
        + bounding
        + in_place
        + [s for s in request.slots if s.channel in fixed and s.type in ("amount", "budget")]
        + [  # the figures a channel's ROAS or CPA was computed from
            s
            for s in request.slots
            if s.type in ("spend", "revenue", *CONVERTED)
            and s.channel in efficiency.values
            and s.channel not in stated
        ]
    )
    return values, facts


def _still_bounding(constraints: list[str], channels: list[str]) -> tuple[list[str], list[str]]:
    """(the constraints that still bound the split, those whose channels all left it): "On doit
    garder au moins 10k sur le display" once the thread took Display out of ``channels``."""
    kept: list[str] = []
    dropped: list[str] = []
    present = [fold(c) for c in channels]
    for constraint in constraints:
        named = [fold(n) for n in understand(constraint).channels()]
        gone = named and not any(n in c or c in n for n in named for c in present)
        (dropped if gone else kept).append(constraint)
    return kept, dropped


def _why_split(efficiency: Efficiency, bounded: bool, lang: str) -> str:
    """Why a channel gets more or less, for "pourquoi Meta a moins ?": each channel's weight (its
    ROAS, or 1 / CPA) over the sum of the weights, channel by channel, and whether the user's
    constraints then moved the amounts."""
    weights = {c: efficiency.weight(c) for c in efficiency.values}
    total = sum(weights.values())
    shares = ", ".join(
        f"{c} {pct(w / total * 100, lang, 1)}"
        for c, w in sorted(weights.items(), key=lambda cw: -cw[1])
    )
    said = t(lang, f"budget-allocation.why_{efficiency.measure}", shares=shares)
    return said + (t(lang, "budget-allocation.why_bounded") if bounded else "")


def current_split(request: Understanding, total: float) -> dict[str, float]:
    """{channel: amount} of the split in place as the user listed it ("Current split: Meta 9k,
    Google 6k", "30, 20 et 10 k€ sur respectivement Meta, Google et TikTok"): each channel's
    budget, else its spend, else its bare amount, when two or more channels have one; else each channel's share of
    ``total`` when they add up to 100 % ("50 % google, 30 % meta, 20 % linkedin aujourd'hui");
    else shares given for as many channels as the request names, in the order named ("Meta …
    LinkedIn … split 50/50 today"); {} otherwise."""
    for measure in ("budget", "spend", "amount"):  # "Google $14k at ROAS 3.8": its amount
        amounts = request.by_channel(measure)
        if len(amounts) >= 2:
            return amounts
    for measure in ("budget_share", "rate"):  # "50 % google, 30 % meta, 20 % linkedin aujourd'hui"
        per = request.by_channel(measure)
        if len(per) >= 2 and abs(sum(per.values()) - 100) <= 1:
            return {c: total * share / 100 for c, share in per.items()}
    shares = [s.value for s in request.all("budget_share") if not s.channel]
    channels = list(dict.fromkeys(request.channels()))
    if len(shares) >= 2 and len(shares) == len(channels):
        return {c: total * share / 100 for c, share in zip(channels, shares)}
    return {}


def _budget_from_current(
    total: float, channels: list[str], current: dict[str, float], lang: str, cur: str
) -> dict:
    """No return per channel given but a split in place: the channels in it keep their
    proportions of ``total``; a channel added to it gets a test budget (the 10 % test reserve of
    the campaigns seed, shared among the new channels), taken from the others pro rata."""
    new = [c for c in channels if c not in current]
    test = round(total * 0.10, 2) if new else 0.0
    place = sum(current.values())
    split = {c: (total - test) * v / place for c, v in current.items()}
    split.update({c: test / len(new) for c in new})
    rows = [[c, money(split[c], lang, cur), pct(split[c] / total * 100, lang)] for c in split]
    header = [t(lang, f"budget-allocation.{k}") for k in ("channel", "budget", "share")]
    method = t(lang, "budget-allocation.current_kept", channels=", ".join(new)) if new else ""
    return {
        "total_budget": money(total, lang, cur),
        "channel_count": str(len(split)),
        "reserve": money(test, lang, cur) if new else t(lang, "budget-allocation.no_reserve"),
        "curves": "",
        "split_table": _with_current(table(header, rows), split, current, lang, cur),
        "method": " ".join(
            x for x in (method, t(lang, "budget-allocation.current_proportions")) if x
        ),
    }


def _budget_evenly(total: float, channels: list[str], lang: str, cur: str) -> dict:
    """No return per channel given: an equal split after a 10 % test reserve."""
    reserve = round(total * 0.10, 2)
    share = (total - reserve) / len(channels)
    rows = [[c, money(share, lang, cur), pct(share / total * 100, lang)] for c in channels]
    rows.append(
        [
            t(lang, "budget-allocation.test_optimisation_reserve"),
            money(reserve, lang, cur),
            pct(10, lang),
        ]
    )
    return {
        "total_budget": money(total, lang, cur),
        "channel_count": str(len(channels)),
        "reserve": money(reserve, lang, cur),
        "curves": "",
        "split_table": table(
            [
                t(lang, "budget-allocation.channel"),
                t(lang, "budget-allocation.budget"),
                t(lang, "budget-allocation.share"),
            ],
            rows,
        ),
        "method": t(lang, "budget-allocation.no_per_channel_history"),
    }


_FLOOR = re.compile(rf"(?<![a-z])({FLOOR_WORDS})(?![a-z])")
_CAP = re.compile(rf"(?<![a-z])({CAP_WORDS})(?![a-z])")
_RESERVE = re.compile(r"(?<![a-z])(reserve|buffer|contingency|tampon|marge)(?![a-z])")


# "roas 5,1, meta 3,2": a decimal comma stays; "max 40 % par canal et au moins 10k" is two bounds
_CLAUSE = re.compile(r"[.;!?]\s+|\n\s*|,\s+(?=\D)|\s+(?:et|and|but|mais|plus)\s+")


def stated_constraints(request: Understanding) -> tuple[list[str], list]:
    """The clauses of the request that bound the split ("il faut garder 10% de réserve", "max 40 %
    par canal", "min 5k€ sur Meta"), read like a follow-up's constraints (:func:`channel_bounds`),
    and the slots they hold. A clause counts when it names a reserve, floor or cap with a % or an
    amount (a ratio such as "ROAS above 2" is a condition, not a bound). A bound written in a
    channel's parentheses is that channel's ("Capterra (£180, max £8k spend)"), and a cap in
    conversions is the money they cost at the channel's CPA ("Bing (CPA 28 €, volume limité à 80
    conversions/mois)": 2 240 €)."""
    clauses, used, raw = [], [], request.raw
    cuts = list(_CLAUSE.finditer(raw))
    starts, stops = [0] + [m.end() for m in cuts], [m.start() for m in cuts] + [len(raw)]
    for at, stop in zip(starts, stops):
        clause = raw[at:stop].strip().rstrip(".)")
        folded = fold(clause)
        bounded = _RESERVE.search(folded) or _FLOOR.search(folded) or _CAP.search(folded)
        figure = _bound_figure(folded, [q for q in quantities(clause) if q.value])
        if not bounded or figure is None:
            continue
        channel = (
            None
            if understand(clause).channels()
            else _bracketing_channel(raw, at) or _referred_channel(raw, at, folded)
        )
        if figure.unit == "" and figure.value < 100 or _COUNTED_CAP.match(folded, figure.end):
            clause = _cap_in_money(request, channel, figure, clause) or ""
        if not clause:
            continue
        clauses.append(f"{channel} : {clause}" if channel else clause)
        used += [s for s in request.slots if at <= s.start < stop]
    return clauses, used


# "80 conversions/mois", "500 leads": a cap counted in conversions, not in money
_COUNTED_CAP = re.compile(
    r"\s*(?:conversions?|conv|leads?|ventes|sales|sqls?|mqls?|orders|commandes)"
)


def _bracketing_channel(raw: str, at: int) -> str | None:
    """The channel named just before the parenthesis ``raw[at:]`` is written in, if any."""
    opened = raw.rfind("(", 0, at)
    if opened < 0 or raw.rfind(")", 0, at) > opened:
        return None
    named = understand(raw[max(0, opened - 40) : opened]).channels()
    return named[-1] if named else None


_IT = re.compile(
    r"(?<![a-z])(?:on it|for it|to it|dessus|sur lui|sur elle|pour lui|pour elle)(?![a-z])"
)


def _referred_channel(raw: str, at: int, folded: str) -> str | None:
    """The channel a bound refers back to ("add Pinterest at ROAS 2.2 and keep at least $5k on
    it"): the last one named earlier in its line, if the clause says "it"."""
    if not _IT.search(folded):
        return None
    named = understand(raw[raw.rfind("\n", 0, at) + 1 : at]).channels()
    return named[-1] if named else None


def _cap_in_money(request: Understanding, channel: str | None, figure, clause: str) -> str | None:
    """A cap counted in conversions written as the money they cost at the channel's CPA
    ("max 2 240 € (80 × CPA 28 €)"), or None without a channel and its CPA."""
    cpa = request.by_channel("cpa").get(channel) if channel else None
    if not _COUNTED_CAP.match(fold(clause), figure.end) or cpa is None:
        return None
    cap = round(figure.value * cpa)
    return f"max {cap} {request.currency or '€'} ({num(figure.value, 'en')} × CPA {cpa:g})"


def _bound_figure(folded: str, figures: list):
    """The figure a bound of a clause (``folded``, its ``figures``) sets: the first after its
    reserve, floor or cap word ("affiliation ROAS 6,8 (plafonné à 15k€)": 15 000 €, not the
    ROAS), else the clause's first; None without a figure."""
    said = [m for p in (_RESERVE, _FLOOR, _CAP) if (m := p.search(folded))]
    after = min((m.end() for m in said), default=0)
    return next((q for q in figures if q.start >= after), figures[0] if figures else None)


_ONTO = re.compile(
    r"(?:sur|vers|to|on|onto|into|dans|chez|a|à|pour|for)\s+(?:(?:le|la|les|the)\s+)?$"
)


def moved_amounts(constraints: list[str], current: dict[str, float]) -> dict[str, dict[str, float]]:
    """The constraints that move money between two channels of the split in place ``current``
    ({channel: €}): "et si on remet les 9k de TikTok sur Google ?", "shift 5k from Meta to
    Google", "move TikTok's budget to Google" (all of it when no amount is said). Returns
    {constraint: {channel: € after the move}}, every channel of ``current`` in it: a scenario on
    the split in place, the other channels kept."""
    moves = {}
    for text in constraints:
        folded = fold(text)
        said = channels_named(text, list(current))
        if not MOVE.search(folded) or len(set(said)) != 2:
            continue
        first, second = said[0], next(c for c in said if c != said[0])
        at = folded.find(fold(second))
        target, source = (second, first) if _ONTO.search(folded[:at]) else (first, second)
        figure = next((q for q in quantities(text) if q.value >= 100 and q.unit != "%"), None)
        amount = min(figure.value if figure else current[source], current[source])
        after = dict(current)
        after[source] -= amount
        after[target] += amount
        moves[text] = after
    return moves


def channel_bounds(
    constraints: list[str], channels: list[str], total: float
) -> tuple[dict, float, list[str]]:
    """The budget constraints a user wrote ("min 10k sur Meta", "max 40 % par canal", "garde 10 %
    de réserve") as ({channel: (min €, max €)}, reserve share 0-1, the constraints not understood).
    A floor or cap with no channel named applies to every channel."""
    bounds = {c: [0.0, total] for c in channels}
    reserve, unread = 0.0, []
    for text in constraints:
        folded = fold(text)
        figures = [q for q in quantities(text) if q.value]
        figure = _bound_figure(folded, figures)
        percent = next(
            (q for q in figures if q.unit == "%"), None
        )  # "budget 120k€ : 20 % de réserve"
        said = [fold(n) for n in understand(text).channels()]
        named = [  # whole words: "SEA" is not in "réseau"
            c
            for c in channels
            if re.search(rf"(?<![a-z]){re.escape(fold(c))}(?![a-z])", folded)
            or any(n in fold(c) for n in said)
        ]
        if figure is None:
            unread.append(text)
        elif _RESERVE.search(folded) and percent is not None:
            reserve = percent.value / 100
        elif _FLOOR.search(folded) or _CAP.search(folded):
            amount = total * figure.value / 100 if figure.unit == "%" else figure.value
            for channel in named or channels:
                bounds[channel][0 if _FLOOR.search(folded) else 1] = amount
        else:
            unread.append(text)
    return {c: (lo, hi) for c, (lo, hi) in bounds.items()}, reserve, unread


def _budget_by_efficiency(
    total: float,
    channels: list[str],
    efficiency: Efficiency,
    lang: str,
    cur: str,
    constraints: Sequence[str] = (),
    target: float | None = None,
    current: dict[str, float] | None = None,
    fixed: dict[str, float] | None = None,
):
    """Split ``total`` in proportion to each channel's ROAS, or to 1 / CPA (``efficiency``; a
    channel without one weighs the mean of the others) within the user's constraints
    (:func:`channel_bounds`) and the ``fixed`` amounts {channel: €} given to channels without a
    return ("et 5k€ sur tiktok"), with the revenue or conversions each share would bring at a
    constant return, and how the split meets a blended ``target`` (a target ROAS, or a target
    CPA in €: :func:`_toward_target`), beside the ``current`` split when one is given."""
    key = "deliverables.campagnes." + ("" if efficiency.measure == "roas" else "cpa_")
    split, reserve, unread = _bounded_split(
        total, channels, efficiency, constraints, current or {}, fixed or {}
    )
    every = len(efficiency.values) == len(channels)
    shifted = None
    if current and not (fixed or target):
        bounds = _plain_bounds(list(constraints), channels, total)
        shifted = _shift_to_best(split, current, efficiency, total, bounds)
    notes = _split_notes(every, list(constraints), unread, key, lang)
    if shifted:
        notes.append(_shift_note(split, shifted, current or {}, efficiency, key, lang, cur))
        split = shifted
    notes.append(_expected(efficiency, split, total, reserve, key, lang, cur))
    if target:
        notes.append(_toward_target(split, efficiency, target, lang, cur))
    if current and set(current) <= set(split):
        notes.append(_against_current(split, current, efficiency, key, lang, cur))
    values = {
        "total_budget": money(total, lang, cur),
        "channel_count": str(len(channels)),
        "curves": "",
        "reserve": money(total * reserve, lang, cur)
        if reserve
        else t(lang, key + "none_split_by_roas"),
        "split_table": [
            _with_current(
                _split_table(total, channels, split, efficiency, reserve, lang, cur),
                split,
                current or {},
                lang,
                cur,
            ),
            "\n".join(notes),
        ],
        "method": t(lang, key + ("shift_method" if shifted else "split_proportion_each_channel")),
        "_split": split,
        "_charts": [
            GroupedBars(
                title=t(lang, key + "budget_split_by_roas"),
                labels=channels,
                series={"Budget": [split[c] for c in channels]},
                filename="budget",
            )
        ],
    }
    return values, {}


SCALE_LIMIT = 3  # a channel given over 3 times what it spent: its return will not hold


def _beyond_history(
    split: dict[str, float], request: Understanding, lang: str, cur: str
) -> list[Alert]:
    """Warnings for the channels the split gives more than SCALE_LIMIT times what they spent
    ("email spend 3k revenue 44k" then €69,409 on email): a return measured on a small spend does
    not hold when it grows that much (diminishing returns, campaigns seed: reallocate step by step)."""
    spent = request.by_channel("spend")
    return [
        Alert(
            level="warning",
            text=t(
                lang,
                "deliverables.campagnes.beyond_history",
                channel=c,
                amount=money(split[c], lang, cur),
                times=num(split[c] / spent[c], lang, 0),
                spent=money(spent[c], lang, cur),
            ),
        )
        for c in split
        if spent.get(c) and split[c] > SCALE_LIMIT * spent[c]
    ]


def _toward_target(
    split: dict[str, float], efficiency: Efficiency, target: float, lang: str, cur: str
) -> str:
    """The split's blended ROAS or CPA against the user's blended ``target`` (ROAS, or CPA in
    €): met, or the budget moves that meet it at constant returns (budget_calc.to_target), or
    out of reach."""
    cpa = efficiency.measure == "cpa"
    weights = {c: efficiency.weight(c) for c in split}
    blended = sum(split[c] * weights[c] for c in split) / sum(split.values())
    shown = (lambda w: money(1 / w, lang, cur)) if cpa else (lambda w: f"{num(w, lang, 2)}x")
    goal = 1 / target if cpa else target
    moves = budget_calc.to_target(split, weights, goal)
    key = "deliverables.campagnes.target_" + ("cpa_" if cpa else "roas_")
    if moves is None:
        best = max(weights, key=lambda c: weights[c])
        return t(
            lang, key + "out_of_reach", target=shown(goal), best=best, value=shown(weights[best])
        )
    if not moves:
        return t(lang, key + "met", blended=shown(blended), target=shown(goal))
    said = ", ".join(
        t(lang, "deliverables.campagnes.move", amount=money(a, lang, cur), source=src, to=dst)
        for src, dst, a in moves
    )
    return t(lang, key + "moves", blended=shown(blended), target=shown(goal), moves=said)


def _goal_reach(
    split: dict[str, float], efficiency: Efficiency, total: float, goal: float, lang: str, cur: str
) -> str:
    """Whether a split by CPA reaches a goal in conversions ("15 k€, je veux 600 leads"), at each
    channel's constant CPA: the blended CPA the goal needs (budget ÷ goal); when the split falls
    short, the budget on the cheapest channel, the rest on the next one, that reaches it
    (x / CPA₁ + (budget − x) / CPA₂ = goal), or, beyond what the cheapest alone buys, the budget
    the goal needs at its CPA."""
    outcome = sum(efficiency.outcome(split[c], c) for c in split)
    needed = money(total / goal, lang, cur, 2)
    if outcome >= goal:
        return t(lang, "deliverables.campagnes.goal_reached", goal=num(goal, lang), cost=needed)
    cheap = sorted(efficiency.values, key=lambda c: efficiency.values[c])
    first, low = cheap[0], efficiency.values[cheap[0]]
    if total / low < goal or len(cheap) < 2:
        return t(
            lang,
            "deliverables.campagnes.goal_out_of_reach",
            goal=num(goal, lang),
            cost=needed,
            channel=first,
            budget=money(goal * low, lang, cur),
        )
    second, high = cheap[1], efficiency.values[cheap[1]]
    on_first = (goal - total / high) / (1 / low - 1 / high) if high > low else total
    on_first = min(total, max(0.0, on_first))
    return t(
        lang,
        "deliverables.campagnes.goal_short",
        goal=num(goal, lang),
        cost=needed,
        outcome=num(outcome, lang, 0),
        first=first,
        second=second,
        on_first=money(round(on_first, -2), lang, cur),
        on_second=money(total - round(on_first, -2), lang, cur),
    )


def _expected(
    efficiency: Efficiency,
    split: dict[str, float],
    total: float,
    reserve: float,
    key: str,
    lang: str,
    cur: str,
) -> str:
    """The split's total outcome (revenue at each ROAS, or conversions at each CPA) with the
    blended return on ``total`` (ROAS; the CPA on what is spent, the ``reserve`` share kept
    aside), and the best and worst channels when their returns differ."""
    outcome = sum(efficiency.outcome(split[c], c) for c in split)
    differ = len(set(efficiency.values.values())) > 1
    return t(
        lang,
        key + ("total_expected_revenue_revenue" if differ else "total_expected_only"),
        revenue=money(outcome, lang, cur),
        conversions=num(outcome, lang, 0),
        cpa=money(total * (1 - reserve) / outcome, lang, cur) if outcome else "—",
        num=num(outcome / total, lang, 2),
        best=max(efficiency.values, key=efficiency.weight),
        worst=min(efficiency.values, key=efficiency.weight),
    )


def _bounded_split(
    total: float,
    channels: list[str],
    efficiency: Efficiency,
    constraints: Sequence[str],
    current: dict[str, float],
    fixed: dict[str, float],
) -> tuple[dict[str, float], float, list[str]]:
    """({channel: €}, the reserve's share of ``total`` (0-1), the constraints not applied): the
    split in proportion to each channel's weight within the bounds the constraints set
    (:func:`channel_bounds`), the ``fixed`` amounts and money moved from the ``current`` split;
    floors above the budget are all left unapplied. Without a split in place, money moved
    between two channels ("et si on coupe LinkedIn et qu'on remet sa part sur Google ?") moves on
    the split the other constraints give."""
    moves = list(moved_amounts(list(constraints), dict.fromkeys(channels, 0.0)))
    if moves and not current:
        rest = [c for c in constraints if c not in moves]
        split, reserve, unread = _bounded_split(total, channels, efficiency, rest, {}, fixed)
        for move in moves:
            split = moved_amounts([move], split).get(move, split)
        return split, reserve, unread
    moved = moved_amounts(list(constraints), current)
    bounds, reserve, unread = channel_bounds(
        [c for c in constraints if c not in moved], channels, total
    )
    bounds.update({c: (v, v) for c, v in fixed.items()})
    for amounts in moved.values():  # "et si on remet les 9k de TikTok sur Google ?"
        bounds.update({c: (v, v) for c, v in amounts.items()})
    weights = {c: efficiency.weight(c) for c in channels}
    try:
        return budget_calc.proportional(total * (1 - reserve), weights, bounds), reserve, unread
    except ValueError:  # floors above the budget: say so and split without them
        split = budget_calc.proportional(total * (1 - reserve), weights)
        return split, reserve, list(constraints)


SHIFT_SHARE = 0.10  # the campaigns seed's test-and-reallocate share of the budget


def _plain_bounds(
    constraints: list[str], channels: list[str], total: float
) -> dict[str, tuple[float, float]] | None:
    """{channel: (min €, max €)} of ``constraints`` when they are all floors and caps
    (:func:`channel_bounds`); None when one moves money, keeps a reserve or is not understood:
    the split in place is then not what the user asked to keep."""
    if moved_amounts(constraints, dict.fromkeys(channels, 0.0)):
        return None
    bounds, reserve, unread = channel_bounds(constraints, channels, total)
    return None if reserve or unread else bounds


def _shift_to_best(
    split: dict[str, float],
    current: dict[str, float],
    efficiency: Efficiency,
    total: float,
    bounds: dict[str, tuple[float, float]] | None,
) -> dict[str, float] | None:
    """{channel: €} when the proportional ``split`` brings less than the ``current`` one at
    constant returns (the split in place already leans on the best channel): the split in place,
    in its shares of ``total`` (a budget cut or raised keeps them: :func:`_scaled`), with
    SHIFT_SHARE of ``total`` moved from the lowest-return channel to the highest-return one, as
    far as the lowest's floor and the highest's cap in ``bounds`` ({channel: (min €, max €)})
    allow ("et avec un minimum de 5k sur TikTok ?": 1 000 € moved, not 3 000 €); None when the
    proportional split gains, when the split in place breaks a bound, when nothing can move, when
    ``bounds`` is None or when ``current`` is not over the same channels."""
    if bounds is None or set(current) != set(split):
        return None
    kept = _scaled(current, total)
    if _brought(split, efficiency) >= _brought(kept, efficiency):
        return None
    if any(not lo - 0.5 <= kept[c] <= hi + 0.5 for c, (lo, hi) in bounds.items() if c in kept):
        return None
    best = max(kept, key=efficiency.weight)
    worst = min(kept, key=efficiency.weight)
    low, high = bounds.get(worst, (0.0, total))[0], bounds.get(best, (0.0, total))[1]
    moved = min(total * SHIFT_SHARE, kept[worst] - low, high - kept[best])
    if moved <= 0.5:
        return None
    return {**kept, best: kept[best] + moved, worst: kept[worst] - moved}


def _scaled(current: dict[str, float], total: float) -> dict[str, float]:
    """The ``current`` split {channel: €} in its shares of ``total`` (30 000 € over a 20/15/5 k€
    split: 15 000, 11 250 and 3 750 €)."""
    place = sum(current.values()) or 1.0
    return {c: v * total / place for c, v in current.items()}


def _shift_note(
    proportional: dict[str, float],
    shifted: dict[str, float],
    current: dict[str, float],
    efficiency: Efficiency,
    key: str,
    lang: str,
    cur: str,
) -> str:
    """Why the split moves a share to the best channel instead of following each channel's
    return: what the proportional split would lose against the ``current`` one (``key``: the
    locale prefix of the measure)."""
    best = max(current, key=efficiency.weight)
    kept = _scaled(current, sum(shifted.values()))
    lost = _brought(kept, efficiency) - _brought(proportional, efficiency)
    return t(
        lang,
        key + "shift_to_best",
        lost=efficiency.outcome_text(lost, lang, cur),
        moved=money(shifted[best] - kept[best], lang, cur),
        share=pct((shifted[best] - kept[best]) / sum(shifted.values()) * 100, lang, 0),
        best=best,
        worst=min(current, key=efficiency.weight),
    )


def _brought(split: dict[str, float], efficiency: Efficiency) -> float:
    """What ``split`` {channel: €} brings at constant returns: revenue € (ROAS) or conversions
    (CPA)."""
    return sum(efficiency.outcome(v, c) for c, v in split.items())


def _against_current(
    split: dict[str, float],
    current: dict[str, float],
    efficiency: Efficiency,
    key: str,
    lang: str,
    cur: str,
) -> str:
    """What the ``current`` split brings at the same constant returns, against the new one:
    revenue € (ROAS) or conversions (CPA). A split in place of another total (last week's spend
    against next week's budget) is compared in its shares, at the new total."""
    before = _brought(_scaled(current, sum(split.values())), efficiency)
    after = _brought(split, efficiency)
    return t(
        lang,
        key + "against_current",
        before=efficiency.outcome_text(before, lang, cur),
        after=efficiency.outcome_text(after, lang, cur),
        change=signed(efficiency.outcome_text(after - before, lang, cur)),
    )


def _with_current(
    split_table: Table, split: dict[str, float], current: dict[str, float], lang: str, cur: str
) -> Table:
    """``split_table`` with two more columns after the budget, the ``current`` amount of each
    channel and the move to the new split, when a current split is given."""
    if not current:
        return split_table
    rows = []
    for row in split_table.rows:
        channel = row[0]
        moved = (
            [
                money(current.get(channel, 0.0), lang, cur),
                signed(money(split[channel] - current.get(channel, 0.0), lang, cur)),
            ]
            if channel in split
            else ["", ""]
        )
        rows.append(row[:1] + moved[:1] + row[1:2] + moved[1:] + row[2:])
    header = split_table.columns
    current_label, change = (
        t(lang, "budget-allocation.current"),
        t(lang, "budget-allocation.change"),
    )
    return table(header[:1] + [current_label] + header[1:2] + [change] + header[2:], rows)


def _split_table(
    total: float,
    channels: list[str],
    split: dict[str, float],
    efficiency: Efficiency,
    reserve: float,
    lang: str,
    cur: str,
) -> Table:
    """The split as a table: channel, budget, share, ROAS or CPA (starred when the mean stood in
    for an unstated one), expected revenue or conversions; the reserve as a last row."""
    roas = efficiency.measure == "roas"
    rows = [
        [
            c,
            money(split[c], lang, cur),
            pct(split[c] / total * 100, lang),
            efficiency.shown(c, lang, cur),
            efficiency.outcome_text(efficiency.outcome(split[c], c), lang, cur),
        ]
        for c in channels
    ]
    if reserve:
        rows.append(
            [
                t(lang, "budget-allocation.test_optimisation_reserve"),
                money(total * reserve, lang, cur),
                pct(reserve * 100, lang),
                "",
                "",
            ]
        )
    header = [
        t(lang, "deliverables.campagnes.channel"),
        "Budget",
        t(lang, "deliverables.campagnes.share"),
        "ROAS" if roas else "CPA",
        t(
            lang,
            "deliverables.campagnes." + ("expected_revenue" if roas else "expected_conversions"),
        ),
    ]
    return table(header, rows)


_WHAT_IF = re.compile(
    r"^\s*(?:(?:et|and|ok|so)\s+)?(?:(?:(?:si on|what if we|what if|if we|on veut|je veux|we want to|i want to)"
    r"(?:\s+(?:met|garde|garder|mettre|prend|keep|put))?|avec|with)\s+)?",
    re.IGNORECASE,
)


def _split_notes(
    every: bool, constraints: list[str], unread: list[str], key: str, lang: str
) -> list[str]:
    """What the split says about its inputs: a ROAS or CPA stood in for (``key``: the locale
    prefix of the measure), the constraints applied, and each constraint it could not read."""
    notes = [] if every else [t(lang, key + "roas_not_given_mean")]
    # "et avec 10 % de réserve ?" is shown as the constraint it sets: "10 % de réserve"; "Thank
    # you. Could we keep at least £8k on Meta please?" as its sentence with the figure
    applied = [_WHAT_IF.sub("", _figured(c)).strip(" ?!.") for c in constraints if c not in unread]
    if applied:
        notes.append(
            t(lang, "deliverables.campagnes.constraints_applied", value=" ; ".join(applied))
        )
    return notes + [t(lang, "followups.unused_constraint", constraint=c) for c in unread]


def _figured(constraint: str) -> str:
    """The sentences of a constraint that hold a figure (all of it when none does)."""
    sentences = re.split(r"(?<=[.!?])\s+", constraint.strip())
    return " ".join(x for x in sentences if re.search(r"\d", x)) or constraint


CURVE_PERIODS = 3  # periods of spend per channel a saturation curve is fitted on (budget_calc)


def _budget_from_file(inputs: dict, lang: str, request: Understanding):
    """The split of a spend ``file`` shared in the thread (graph.data.channel_history): the total
    budget asked, else the file's total spend (the same spend, reallocated); on saturation curves
    when every channel has 3 periods or more, else at each channel's ROAS (revenue / spend) or CPA
    (spend / conversions) over the file, against the spend in place (performance seed's ROAS and
    CPA)."""
    file = inputs["files"][-1]
    history = data.channel_history(file)
    spent = {c: sum(spend) for c, (spend, _) in history.items()}
    total = inputs.get("total_budget") or sum(spent.values())
    if min(len(spend) for spend, _ in history.values()) >= CURVE_PERIODS:
        return _budget_from_history(total, file, lang)
    won = {c: sum(outcome) for c, (_, outcome) in history.items()}
    if data.history_outcome(file) == "revenue":
        efficiency = Efficiency("roas", {c: won[c] / v for c, v in spent.items() if v})
    else:
        efficiency = Efficiency("cpa", {c: v / won[c] for c, v in spent.items() if won[c]})
    given = {**inputs, "total_budget": total, "channels": list(history)}
    values, facts = _efficient_split(given, lang, request, efficiency, spent, [])
    said = t(lang, "deliverables.campagnes.file_returns", name=file["name"], periods=CURVE_PERIODS)
    values["method"] = "\n".join(filter(None, [values.get("method", ""), said]))
    return values, facts


def _budget_from_history(total: float, file: dict, lang: str):
    """Split ``total`` (€) across the channels of a spend history ``file`` (graph.data) by fitting
    each channel's saturating response curve and equalising marginal returns (graph.calculators
    .budget: fit_curve, optimise)."""
    history = data.channel_history(file)
    curves = [
        budget_calc.fit_curve(channel, spend, outcome)
        for channel, (spend, outcome) in history.items()
    ]
    split = budget_calc.optimise(total, curves)
    grid = [total * i / 20 for i in range(21)]
    values = {
        "total_budget": eur(total, lang),
        "channel_count": str(len(curves)),
        "reserve": t(lang, "deliverables.campagnes.none_optimised_split"),
        "split_table": [
            _optimised_table(total, curves, split, lang),
            t(
                lang,
                "deliverables.campagnes.expected_total_outcome_num",
                num=num(split.total_outcome, lang),
            ),
        ],
        "curves": [
            t(lang, "deliverables.campagnes.fitted_response_curves"),
            _curves_table(curves, history, lang),
        ],
        "method": t(
            lang,
            "deliverables.campagnes.history_name_method_at",
            name=file["name"],
            method=split.method,
        ),
        "_charts": [
            Curves(
                title=t(lang, "deliverables.campagnes.response_curves_split"),
                filename="budget",
                x=grid,
                series={c.channel: [c.response(x) for x in grid] for c in curves},
                points={
                    c.channel: [split.spend[c.channel], split.outcome[c.channel]] for c in curves
                },
            )
        ],
    }
    return values, {}


def _optimised_table(total: float, curves: list, split, lang: str) -> Table:
    """The optimised split: channel, budget, share, expected outcome, return of the last euro."""
    header = [
        t(lang, "deliverables.campagnes.channel"),
        "Budget",
        t(lang, "deliverables.campagnes.share"),
        t(lang, "deliverables.campagnes.expected_outcome"),
        t(lang, "deliverables.campagnes.return_last"),
    ]
    rows = [
        [
            c.channel,
            eur(split.spend[c.channel], lang),
            pct(split.spend[c.channel] / total * 100, lang),
            num(split.outcome[c.channel], lang),
            num(split.marginal[c.channel], lang, 3),
        ]
        for c in curves
    ]
    return table(header, rows)


def _curves_table(curves: list, history: dict, lang: str) -> Table:
    """The fitted response curves: channel, ceiling, scale, R², periods of history."""
    header = [
        t(lang, "deliverables.campagnes.channel"),
        t(lang, "deliverables.campagnes.ceiling"),
        t(lang, "deliverables.campagnes.scale_b"),
        "R²",
        t(lang, "deliverables.campagnes.periods"),
    ]
    rows = [
        [
            c.channel,
            num(c.a, lang),
            eur(c.b, lang),
            num(c.r2, lang, 2) if c.r2 is not None else "—",
            str(len(history[c.channel][0])),
        ]
        for c in curves
    ]
    return table(header, rows)


@builder("coordination-canaux")
def coordination_canaux(inputs, lang, request):
    channels = inputs["channels"]
    if weekly := weekly_sends(request):  # "newsletter le mardi, SMS le jeudi": a weekly rhythm
        return _weekly_coordination(weekly, channels, lang, request), {}
    # not asked alone: the plan runs from next Monday, said to be confirmed
    timed = channel_timings(request)
    start = date.fromisoformat(inputs["start_date"]) if inputs.get("start_date") else next_monday()
    if not inputs.get("start_date") and timed:  # an assumed J0 late enough for the first send
        start = max(start, date.today() - timedelta(days=min(x.first for x in timed)))
    offsets = (
        -21,
        -18,
        -7,
        -3,
        0,
        7,
    )  # days from launch of each step of the schedule (labels: schedule_rows)
    rows = [
        [date_text(start + timedelta(days=o), lang), action, who]
        for o, (action, who) in zip(
            squeezed(offsets, start, date.today()), items(lang, "coordination-canaux.schedule_rows")
        )
    ]
    briefs = bullets(
        [t(lang, "coordination-canaux.c_format_adapted_message", c=c) for c in channels]
    )
    end = _offer_end(request, start)
    paid = None if len(timed) >= 2 else _paid_budget(channels, request)
    values = {
        "headline": t(lang, "coordination-canaux.launch_on", date=date_text(start, lang)),
        "weekly": "",  # a launch, not a weekly rhythm
        "channel_list": ", ".join(channels),
        "start_date": date_text(start, lang)
        if inputs.get("start_date")
        else t(lang, "coordination-canaux.to_confirm", date=date_text(start, lang)),
        "diffusion": timed_plan(timed, start, lang)
        if len(timed) >= 2
        else send_plan(channels, start, end, request, lang, paid),
        "schedule": table(
            ["Date", t(lang, "coordination-canaux.action"), t(lang, "coordination-canaux.who")],
            rows,
        ),
        "briefs": briefs,
        "method": t(lang, "coordination-canaux.steps_4_coordination_5"),
    }
    values["_used"] = ([paid] if paid else []) + send_settings(request)
    return values, {}


def _weekly_coordination(
    weekly: list[WeeklySend], channels: list[str], lang: str, request: Understanding
) -> dict:
    """The values of a weekly rhythm's coordination ("newsletter le mardi, SMS le jeudi, push le
    samedi, Meta en continu"): the week as a table Day | Channel | Who gets it, and the pressure
    it puts on one contact (:func:`weekly_pressure`); no launch schedule nor offer window."""
    sized = _list_sizes({c: channel_group(c) for c in channels}, request)
    sizes = {channel_group(c): v for c, v in sized.items()}  # a list is its group's: email, sms
    when = {
        id(x): weekday_name(x.days[0], lang)
        if len(x.days) == 1
        else t(lang, "coordination-canaux.all_week")
        for x in weekly
    }
    rows = [
        [when[id(x)], x.channel, _weekly_audience(x.channel, sizes, lang)]
        for x in sorted(weekly, key=lambda x: (len(x.days), x.days[0]))
    ]
    header = [t(lang, f"coordination-canaux.{k}") for k in ("weekday", "channel", "who_gets")]
    return {
        "headline": t(lang, "coordination-canaux.weekly_title"),
        "channel_list": ", ".join(dict.fromkeys([*channels, *(x.channel for x in weekly)])),
        "rhythm": ", ".join(f"{x.channel} {when[id(x)]}" for x in weekly),
        "weekly": [table(header, rows), bullets(weekly_pressure(weekly, sizes, request, lang))],
        "schedule": "",
        "diffusion": "",
        "briefs": bullets(
            [t(lang, "coordination-canaux.c_format_adapted_message", c=c) for c in channels]
        ),
        "method": t(lang, "coordination-canaux.weekly_method", cap=MAX_DIRECT),
        "_used": [s for s in request.all("list_size") if channel_group(s.channel or "") in sizes],
    }


def _weekly_audience(channel: str, sizes: dict[str | None, float], lang: str) -> str:
    """Who a weekly send reaches: its list and its size when given (``sizes`` by channel
    group), the app's users for push, paid audiences for bought media."""
    group = channel_group(channel)
    if group in sizes:
        return t(lang, "coordination-canaux.audience.all_base", size=num(sizes[group], lang))
    if group == "push":
        return t(lang, "coordination-canaux.app_users")
    if _is_paid(channel, group):
        return t(lang, "coordination-canaux.paid_audiences")
    return t(lang, "coordination-canaux.audience.all_base_unsized")


def weekly_pressure(
    weekly: list[WeeklySend], sizes: dict[str | None, float], request: Understanding, lang: str
) -> list[str]:
    """What a weekly rhythm puts on one contact: the direct messages (email, SMS, push) a week of
    a contact on every direct channel, against the plan's cap of ``MAX_DIRECT`` a week, and the
    sends less than 48 h apart (the automation seed's pressure cap: 1 automated message per
    contact per 48 h); when a list is said to be part of another ("60k abonnés email dont 18k
    aussi en SMS"; ``sizes``: contacts by channel group), how many contacts get which; each
    channel running all week frequency capped. [lines]."""
    direct = [x for x in weekly if channel_group(x.channel) in DIRECT and len(x.days) < 7]
    sends = sorted((d, x.channel) for x in direct for d in x.days)
    names = ", ".join(f"{c} {weekday_name(d, lang)}" for d, c in sends)
    key = "weekly_over" if len(sends) > MAX_DIRECT else "weekly_count"
    lines = [t(lang, f"coordination-canaux.{key}", n=len(sends), sends=names, cap=MAX_DIRECT)]
    if _PART_SAID.search(fold(request.text)):
        lines += _overlap_lines(direct, sizes, lang)
    for (d1, c1), (d2, c2) in zip(sends, sends[1:] + sends[:1]):
        if (d2 - d1) % 7 < 2 and (d1, c1) != (d2, c2):
            day1, day2 = weekday_name(d1, lang), weekday_name(d2, lang)
            lines.append(
                t(
                    lang,
                    "coordination-canaux.weekly_close",
                    first=c1,
                    second=c2,
                    day1=day1,
                    day2=day2,
                )
            )
    lines += [
        t(lang, "coordination-canaux.weekly_paid", channel=x.channel)
        for x in weekly
        if len(x.days) == 7
    ]
    return lines + [t(lang, "coordination-canaux.rule_buyers")]


# "60k abonnés email dont 18k aussi en SMS": one list said to be part of another
_PART_SAID = re.compile(
    r"(?<![a-z])(?:dont|of which|of whom|of them|d'entre eux|aussi|also|both|les deux)(?![a-z])"
)


def _overlap_lines(
    direct: list[WeeklySend], sizes: dict[str | None, float], lang: str
) -> list[str]:
    """When two direct channel groups' lists are sized (``sizes``) and the smaller is part of
    the larger ("dont 18k aussi en SMS"): the contacts on both and the messages a week they get,
    then the others of the larger list and theirs. [] otherwise."""
    days: dict[str | None, int] = {}
    for x in direct:
        group = channel_group(x.channel)
        days[group] = days.get(group, 0) + len(x.days)
    sized = sorted((sizes[g], g) for g in days if g in sizes)
    if len(sized) != 2 or sized[0][0] >= sized[1][0]:
        return []
    (part, small), (whole, large) = sized
    name = {channel_group(x.channel): x.channel for x in reversed(direct)}  # first named
    return [
        t(
            lang,
            "coordination-canaux.weekly_both",
            part=num(part, lang),
            share=pct(100 * part / whole, lang, 0),
            small=name[small],
            large=name[large],
            n=days[small] + days[large],
            rest=num(whole - part, lang),
            m=days[large],
        )
    ]


def _offer_end(request: Understanding, start: date) -> date:
    """The last day of an offer starting on ``start``: its end date, else the duration said ("sur
    2 semaines": 14 days, ``start`` included), else the last later date the request names ("BF is
    Nov 27, cyber monday Nov 30": the 30th), else a week from ``start``."""
    end = request.value("end_date")
    if end and date.fromisoformat(end) >= start:
        return date.fromisoformat(end)
    span = request.first("duration")
    if span is not None and span.unit == "days" and 1 <= span.value <= OFFER_DAYS:
        return start + timedelta(days=int(span.value) - 1)
    later = [
        date.fromisoformat(s.value)
        for s in request.all("start_date", "date")
        if isinstance(s.value, str) and date.fromisoformat(s.value) > start
    ]
    return max(later, default=start + timedelta(days=6))


def _paid_budget(channels: list[str], request: Understanding):
    """The budget slot of the paid channels among ``channels`` (one budget, or the budget of the
    one paid channel), or None without a paid channel or a budget."""
    paid = [c for c in channels if _is_paid(c, channel_group(c))]
    budgets = [s for s in request.all("budget", "amount", any_arm=True) if not s.arm]
    if not paid or len(budgets) != 1 or (budgets[0].channel and budgets[0].channel not in paid):
        return None
    return budgets[0]


DIRECT = ("email", "sms", "push")  # channels that message a person: capped and deduplicated
MAX_DIRECT = 3  # direct messages per person over an offer window


def timed_plan(timed: list[Timing], start: date, lang: str) -> list:
    """The user's own timings ("email J-3, SMS J0 matin, push J0 soir, retargeting Meta J+1 à
    J+7") as a table Day | Date | Channel | Moment, and the pressure they put on one customer:
    direct messages (email, SMS, push) on the same day, their number against ``MAX_DIRECT``, and
    paid retargeting over its days (buyers excluded, frequency capped). J0 is ``start``."""
    rows = [
        [
            day_text(x.first, lang) + ("" if x.last == x.first else " → " + day_text(x.last, lang)),
            date_text(start + timedelta(days=x.first), lang)
            + (
                "" if x.last == x.first else " → " + date_text(start + timedelta(days=x.last), lang)
            ),
            x.channel,
            x.moment,
        ]
        for x in sorted(timed, key=lambda x: x.first)
    ]
    header = [t(lang, f"coordination-canaux.{k}") for k in ("day", "date", "channel", "moment")]
    direct = [x for x in timed if channel_group(x.channel.split()[0]) in DIRECT]
    notes = []
    for day in sorted({x.first for x in direct}):
        same = [x.channel for x in direct if x.first == day]
        if len(same) >= 2:
            notes.append(
                t(
                    lang,
                    "coordination-canaux.same_day",
                    day=day_text(day, lang),
                    channels=", ".join(same),
                    first=same[0],
                    second=same[1],
                )
            )
    sends = sum(x.last - x.first + 1 for x in direct)
    span = max(x.last for x in timed) - min(x.first for x in timed) + 1
    key = "direct_over" if sends > MAX_DIRECT else "direct_count"
    notes.append(t(lang, f"coordination-canaux.{key}", n=sends, days=span, cap=MAX_DIRECT))
    notes += [
        t(
            lang,
            "coordination-canaux.paid_window",
            channel=x.channel,
            first=day_text(x.first, lang),
            last=day_text(x.last, lang),
        )
        for x in timed
        if x not in direct and x.last > x.first
    ]
    notes += [t(lang, "coordination-canaux.rule_buyers"), t(lang, "coordination-canaux.rule_dedup")]
    return [table(header, rows), bullets(notes)]


def send_plan(
    channels: list[str], start: date, end: date, request: Understanding, lang: str, paid=None
) -> list:
    """Day-by-day sends over the offer window ``start``..``end``: the announcement by email on the
    first day, app push the next day to those who did not open it, an email reminder mid-window to
    non-openers, SMS the day before the end to those who clicked nothing, push on the last day,
    social posts on the first, middle and last days. Every send excludes buyers (a suppression
    list synced daily), at most one direct message a day and ``MAX_DIRECT`` per person over the
    window; the paid channels' budget (``paid``: its slot, :func:`_paid_budget`) paced per day.
    Returns [table, rules]: a table Date | Channel | Send | Audience."""
    groups = {c: channel_group(c) for c in channels}
    sizes = _list_sizes(groups, request)
    named = named_sends(request.text)
    asked, (total, daily) = sends_asked(request.text), _caps(request.text)
    cap = total or MAX_DIRECT  # the seed's cap unless the user sets one
    direct = [c for c, g in groups.items() if g in DIRECT]
    plan = [
        send
        for channel, group in groups.items()
        for send in (
            _counted_sends(channel, asked, cap, (start, end), sizes, lang)
            if asked and direct == [channel]
            else _named_email_sends(channel, named, start, end, sizes, lang)
            if group == "email" and len(named) >= 2
            else _sends(channel, group, start, end, sizes, lang)
        )
    ]
    rows = [
        [
            date_text(d, lang),
            c,
            t(lang, f"coordination-canaux.send.{send}"),
            t(lang, f"coordination-canaux.audience.{who}", **extra),
        ]
        for d, c, send, who, extra in sorted(plan, key=lambda p: (p[0], groups[p[1]] not in DIRECT))
    ]
    header = [
        "Date",
        t(lang, "coordination-canaux.channel"),
        t(lang, "coordination-canaux.send_header"),
        t(lang, "coordination-canaux.audience_header"),
    ]
    rules = _send_rules(start, end, request, lang, cap, daily)
    if paid:  # "paid social budget 30k": its daily pace
        days = (end - start).days + 1
        pace = t(
            lang,
            "coordination-canaux.paid_pace",
            budget=money(paid.value, lang, request.currency),
            days=days,
            daily=money(paid.value / days, lang, request.currency),
        )
        rules += "\n" + bullets([pace])
    return [table(header, rows), rules]


def _list_sizes(groups: dict[str, str | None], request: Understanding) -> dict[str, float]:
    """{channel: contacts} of the lists the request sizes: each channel's own, and a list named
    with no channel ("list of 85k") is the email list's (else the one direct channel's)."""
    sizes = {
        s.channel: s.value
        for s in request.slots
        if s.channel
        and isinstance(s.value, (int, float))
        and s.type in ("count", "list_size", "audience_size")
    }
    bare = request.first("list_size")
    direct = [c for c, g in groups.items() if g in DIRECT]
    owner = next(
        (c for c in direct if groups[c] == "email"), direct[0] if len(direct) == 1 else None
    )
    if bare and owner and owner not in sizes:
        sizes[owner] = bare.value
    return sizes


# The emails of an offer a user names ("teaser, launch, reminder and last chance"), in order
_NAMED_SENDS = {
    "teaser": r"teaser|teasing|avant-premiere|pre-?annonce|sneak peek",
    "announce": r"launch|lancement|annonce|announcement|ouverture|opening",
    "reminder": r"reminder|relance|rappel",
    "last_call": r"last[- ]chance|last[- ]call|derniere chance|dernier appel|final call",
}


def named_sends(text: str) -> list[str]:
    """The kinds of email the request names (keys of _NAMED_SENDS: teaser, announce, reminder,
    last_call), in the order of the offer, each once."""
    folded = fold(text)
    return [k for k, words in _NAMED_SENDS.items() if re.search(rf"(?<![a-z])(?:{words})", folded)]


def _named_email_sends(
    channel: str, named: list[str], start: date, end: date, sizes: dict, lang: str
) -> list[tuple]:
    """The emails the user named, dated over the window: a teaser the day before it opens, the
    announcement on its first day, a reminder mid-window to non-openers, the last call the day
    before it ends; each goes to the whole list but the buyers, the reminder to non-openers."""
    days = (end - start).days
    on = {
        "teaser": start - timedelta(days=1),
        "announce": start,
        "reminder": start + timedelta(days=days // 2),
        "last_call": end - timedelta(days=1 if days >= 2 else 0),
    }
    size = {"size": num(sizes[channel], lang)} if channel in sizes else {}
    whole = "all_base" if size else "all_base_unsized"
    return [
        (on[k], channel, k, "email_non_openers" if k == "reminder" else whole, size) for k in named
    ]


# "we want 4 sends", "4 envois", "3 emails pendant l'offre": the sends asked over the window
_SENDS_ASKED = re.compile(
    r"(?<![\d.,])([2-9])\s*(?:sends?|envois?|e-?mails?|mails?|sms|messages?)(?![a-z])"
)
# "no one gets more than 3", "pas plus de 3 messages par personne", "max 3 per person"
_CAP_ASKED = re.compile(
    r"(?:no ?one gets more than|nobody gets more than|pas plus de|jamais plus de|at most|au plus|"
    r"max(?:imum)?|no more than)\s*([1-9])(?![\d.,])(?:\s*(?:messages?|sends?|envois?|emails?|fois))?"
    r"(?=[^.;!?]{0,30}(?:person|personne|contact|client|chacun|each|per|par|$|[.;!?]))"
)


_A_DAY = re.compile(r"[^.;!?\d]{0,20}?(?:a|per|par|/)\s*(?:day|jour)(?![a-z])")


def sends_asked(text: str) -> int | None:
    """The number of sends the request asks over the offer ("we want 4 sends between nov 24 and
    nov 30": 4), or None; a cap ("no more than 2 messages a day") asks no sends."""
    folded = fold(text)
    caps = [m.span(1) for m in _CAP_ASKED.finditer(folded)]
    said = (m for m in _SENDS_ASKED.finditer(folded) if m.span(1) not in caps)
    return int(found[1]) if (found := next(said, None)) else None


def _caps(text: str) -> tuple[int | None, int | None]:
    """(the most direct messages one person may get over the offer, in a day) that the request
    sets ("and no one gets more than 3": (3, None); "no more than 2 messages a day per person":
    (None, 2)); None for each it does not set."""
    folded = fold(text)
    total = daily = None
    for m in _CAP_ASKED.finditer(folded):
        if _A_DAY.match(folded, m.end()):
            daily = daily or int(m[1])
        else:
            total = total or int(m[1])
    return total, daily


def send_settings(request: Understanding) -> list[Slot]:
    """The figures of ``request`` that set the sends ("4 sends", "no one gets more than 3"): the
    slots read where :func:`sends_asked` and :func:`_caps` read them."""
    folded = fold(request.text)
    said = [m.start(1) for r in (_SENDS_ASKED, _CAP_ASKED) if (m := r.search(folded))]
    return [s for s in request.slots if s.start in said]


def _counted_sends(
    channel: str, asked: int, cap: int, window: tuple[date, date], sizes: dict, lang: str
) -> list[tuple]:
    """The ``asked`` sends of the offer's one direct channel, spread over the ``window``: the
    announcement on its first day to the whole list, reminders between to those who did not
    react, the last call the day before it ends; a send beyond the ``cap`` goes only to those who
    got fewer than ``cap`` messages."""
    start, end = window
    span = max((end - start).days - (1 if (end - start).days >= 2 else 0), 0)
    size = {"size": num(sizes[channel], lang)} if channel in sizes else {}
    group = channel_group(channel)
    react = _not_reacted(group, bool(size))
    out = []
    for i in range(asked):
        day = start + timedelta(days=round(i * span / (asked - 1))) if asked > 1 else start
        key = "announce" if i == 0 else "last_call" if i == asked - 1 else "reminder"
        who, extra = (
            ("all_base" if size else "all_base_unsized", size)
            if i == 0
            else (react, size if group in ("sms", "push") else {})
        )
        if i >= cap:
            who, extra = "under_cap", {"cap": str(cap)}
        out.append((day, channel, key, who, extra))
    return out


def _not_reacted(group: str | None, sized: bool) -> str:
    """The audience key of a direct channel's later send: those who did not react to the sends
    before it (email non-openers; an SMS or push list, ``sized`` when its size is known)."""
    if group not in ("sms", "push"):
        return "email_non_openers"
    who = "sms_non_clickers" if group == "sms" else "push_non_openers"
    return who if sized else f"{who}_unsized"


def _sends(
    channel: str, group: str | None, start: date, end: date, sizes: dict, lang: str
) -> list[tuple]:
    """The sends of one channel over the window: (day, channel, send key, audience key, the
    audience's figures), by the channel's group (email, sms, push; an event on its day; a
    partner's newsletter sends once; offline and paid channels, "… Ads" included, run the whole
    window; social channels post)."""
    days = (end - start).days
    mid, before_end = start + timedelta(days=days // 2), end - timedelta(days=1 if days >= 2 else 0)
    size = {"size": num(sizes[channel], lang)} if channel in sizes else {}
    if group == "email":
        return [
            (start, channel, "announce", "all_base" if size else "all_base_unsized", size),
            (mid, channel, "reminder", "email_non_openers", {}),
        ]
    if group == "sms":
        return [(before_end, channel, "last_call", _not_reacted(group, bool(size)), size)]
    if group == "push":
        who = _not_reacted(group, bool(size))
        return [
            (min(start + timedelta(days=1), end), channel, "push_launch", who, size),
            (end, channel, "last_hours", "under_cap", {"cap": MAX_DIRECT}),
        ]
    if group == "events":  # a webinar or a show: its day, invitations and reminders capped
        return [(mid, channel, "event_day", "registrants", {})]
    if group == "partners":  # a partner's newsletter: one send to its list, at the start
        return [(start, channel, "partner_send", "partner_list", {})]
    if group in OFFLINE:  # in-store display, press, TV: on for the whole window, uncapped
        return [(start, channel, "on_air", "offline", {})]
    if _is_paid(channel, group):  # ads ("… Ads", paid social) run through the window
        return [(start, channel, "ads_live", "paid", {})]
    return [(d, channel, "post", "organic", {}) for d in sorted({start, mid, end})]


def _is_paid(channel: str, group: str | None) -> bool:
    """Whether a channel (of ``group``, lexicon.channel_group) is bought media: a paid group, or
    a name saying so ("LinkedIn Ads", "paid social")."""
    return group in PAID or bool(_ADS.search(channel))


OFFLINE = ("print", "tv")
_ADS = re.compile(r"(?<![a-z])(?:ads|paid)(?![a-z])", re.IGNORECASE)  # "LinkedIn Ads": not organic
PAID = ("search", "meta", "bing", "display", "retargeting", "affiliation", "native", "marketplaces")


def _send_rules(
    start: date, end: date, request: Understanding, lang: str, cap: int, daily: int | None
) -> str:
    """The rules every send follows: the offer's window (and discount), the per-person ``cap``,
    buyers excluded, one direct message a day (``daily`` when the user sets it)."""
    discount = next(
        (abs(s.value) for s in request.slots if s.type in ("discount", "change") and s.unit == "%"),
        None,
    )
    offer = (
        t(lang, "coordination-canaux.offer", discount=pct(discount, lang, 0)) if discount else ""
    )
    window = t(
        lang,
        "coordination-canaux.rule_window",
        start=date_text(start, lang),
        end=date_text(end, lang),
        days=(end - start).days + 1,
    )
    return bullets(
        [
            offer + window,
            t(lang, "coordination-canaux.rule_cap_daily", cap=cap, daily=daily)
            if daily
            else t(lang, "coordination-canaux.rule_cap", cap=cap),
            t(lang, "coordination-canaux.rule_buyers"),
            t(lang, "coordination-canaux.rule_dedup"),
        ]
    )


def _diagnosis(moved, lang: str, cur: str) -> str:
    """What a CPA or ROAS move means and where to look, in order: CPA = CPM / (1 000 × CTR × CVR)
    (performance seed formulas), so the auction (CPM), the creative (CTR) or the landing and offer
    (conversion rate) moved; at constant spend, conversions move inversely to the CPA."""
    k = next(k for k in kpi.KPIS if k.id == moved.measure)  # its unit: € or x
    change_pct = (moved.after / moved.before - 1) * 100
    fewer = (moved.before / moved.after - 1) * 100 if moved.measure == "cpa" else change_pct
    return t(
        lang,
        f"suivi-performance.moved_{moved.measure}",
        before=kpi_value(k, moved.before, lang, cur),
        after=kpi_value(k, moved.after, lang, cur),
        change=signed(pct(change_pct, lang)),
        conversions=signed(pct(fewer, lang)),
    )


def _costs_read(cpc: float | None, roas: float | None, lang: str, cur: str) -> str:
    """What each conversion costs and each unit spent brings back, as far as they are known (no
    conversion yet: no cost per conversion)."""
    said = (
        t(lang, "suivi-performance.each_conversion_costs_cpc", cpc=money(cpc, lang, cur, 2))
        if cpc is not None
        else ""
    )
    if roas is not None:
        said += t(lang, "suivi-performance.each_unit_spend_brings", roas=num(roas, lang, 2))
    return said


_CTR_NEAR = re.compile(r"(?<![a-z])(?:ctr|taux de clic|click-?through)(?![a-z])")


# "CPM up 35%", "CPM +35 %", "le CPM a augmenté de 35 %", "CPM en hausse de 20 %"
_CPM_MOVED = re.compile(
    r"(?<![a-z])cpm\s*(?:(?P<way>up|down|rose|fell|dropped|increased|decreased|jumped|en hausse|"
    r"en baisse|a augmente|a baisse|a grimpe|a chute|monte|baisse)\s*(?:de|by|of)?\s*)?"
    r"(?P<sign>[+-])?\s*(?P<share>\d+(?:[.,]\d+)?)\s*%"
)
_CPM_DOWN = ("down", "fell", "dropped", "decreased", "en baisse", "a baisse", "a chute", "baisse")
# "frequency is at 4.2", "fréquence de 4,2", "freq 4.2"
_FREQUENCY = re.compile(
    r"(?<![a-z])(?:frequency|frequence|freq|repetition)\s*(?:is|est|de|of|at|a|:|=)?\s*"
    r"(?:at\s+|a\s+)?(\d+(?:[.,]\d+)?)(?!\s*%)"
)


def _ctr_fell(request: Understanding, figures: list[Slot], lang: str) -> tuple[list, list] | None:
    """A CTR said to move ("CTR fell from 1.4% to 0.8% over 3 weeks"), with a CPM move in % when
    said ("CPM up 35%"), read through CPC = CPM / (1 000 × CTR) (analytics and performance
    seeds): what each click costs now against then, the clicks a constant budget loses, whether
    the creative (CTR) or the auction (CPM) weighs more, and the ad frequency said ("frequency is
    at 4.2"); ([lines], slots used) or None without a CTR move."""
    moved = next((c for c in changes(request.text, figures, {}) if c.measure == "ctr"), None)
    if moved is None or not moved.before or not moved.after:
        return None
    cpm_said = _CPM_MOVED.search(request.text)
    cpm = 0.0
    if cpm_said:
        down = cpm_said["sign"] == "-" or (cpm_said["way"] or "") in _CPM_DOWN
        cpm = float(cpm_said["share"].replace(",", ".")) / 100 * (-1 if down else 1)
    ctr = moved.after / moved.before - 1
    cpc = (1 + cpm) / (1 + ctr) - 1  # CPC ratio = CPM ratio / CTR ratio
    cause = "creative" if abs(ctr) >= abs(cpm) else "auction"
    lines = [
        t(
            lang,
            "suivi-performance.ctr_fell",
            before=pct(moved.before, lang),
            after=pct(moved.after, lang),
            ctr=signed(pct(ctr * 100, lang)),
            cpm=t(lang, "suivi-performance.ctr_cpm", cpm=signed(pct(cpm * 100, lang, 0)))
            if cpm_said
            else "",
            cpc=signed(pct(cpc * 100, lang)),
            clicks=signed(pct((1 / (1 + cpc) - 1) * 100, lang)),
            cause=t(lang, f"suivi-performance.ctr_cause_{cause}"),
        )
    ]
    if seen := _FREQUENCY.search(request.text):
        frequency = num(float(seen[1].replace(",", ".")), lang, 1)
        lines.append(t(lang, "suivi-performance.frequency_seen", frequency=frequency))
    used = [s for s in figures if s.type == "ctr" or seen and s.start == seen.start(1)]
    used += [s for s in figures if cpm_said and s.start == cpm_said.start("share")]
    one = len(set(request.channels())) == 1  # "our Meta campaign": the campaign's channel
    return lines, used + [s for s in request.slots if one and s.type == "channel"]


def _media_price(request: Understanding, lang: str) -> dict:
    """A campaign's CPM or CPC said to move, without spend to date: the move read through CPC =
    CPM / (1 000 × CTR) (analytics.auction_reading: the auction or the creative, the clicks a
    constant budget loses), the CTR taken from the words around a rate ("CTR is the same at
    1.4%") and as holding when said once; a CPA or ROAS that moved, through CPA = CPM / (1 000 ×
    CTR × conversion rate) (:func:`_diagnosis`)."""
    cur, figures = request.currency, [s for s in request.slots if isinstance(s.value, float)]
    moved = next(
        (c for c in changes(request.text, figures, {}) if c.measure in ("cpm", "cpc")), None
    )
    ctrs = [  # a channel's figures too: "our Meta ads CPM …, CTR the same at 1.4%"
        s
        for s in request.slots
        if s.type == "ctr"
        or (
            s.type in ("rate", "conversion_rate")
            and _CTR_NEAR.search(request.text[max(0, s.start - 25) : s.start])
        )
    ]
    lines, used = [], [*ctrs]
    if moved and ctrs:
        ctr_then, ctr_now = ctrs[0].value, ctrs[-1].value
        if moved.measure == "cpc":
            was, now = moved.before, moved.after
        else:  # CPC = CPM / (1 000 × CTR), the CTR in %: CPM / (10 × CTR)
            was, now = moved.before / (10 * ctr_then), moved.after / (10 * ctr_now)
        lines = auction_reading(
            {"cpc": now, "ctr": ctr_now}, {"cpc": was, "ctr": ctr_then}, lang, cur
        )
        used += [s for s in request.slots if s.type == moved.measure]
        if lines and (budget := request.first("budget")):
            lines.append(_clicks_bought(budget, was, now, lang, cur))
            used.append(budget)
    elif moved and moved.measure == "cpc":  # no CTR: the move, the clicks, and the CTR to ask
        lines = auction_reading({"cpc": moved.after}, {"cpc": moved.before}, lang, cur)
        # the one channel named is whose CPC moved ("our CPC on Google went from …")
        one = len(set(request.channels())) == 1
        used += [s for s in request.slots if s.type == "cpc" or (one and s.type == "channel")]
    cost, _ = cost_move(request.text, figures)
    if not moved and cost:  # "mon CPL est passé de 28 € à 47 € sans rien changer"
        lines, used = [_diagnosis(cost, lang, cur)], [s for s in figures if s.type == cost.measure]
    elif not moved and (worn := _ctr_fell(request, figures, lang)):  # "CTR fell from 1.4% to 0.8%"
        lines, used = worn
    return {  # no spend, conversions nor ROAS: those fields are left out
        "kpis": "",
        "reading": " ".join(lines) or t(lang, "suivi-performance.media_price_needs_ctr"),
        "alerts": bullets([t(lang, "suivi-performance.media_price_check")]),
        "method": t(
            lang, f"suivi-performance.{'cost_move' if cost and not moved else 'media_price'}_method"
        ),
        "_used": used,
    }


def _clicks_bought(budget: Slot, was: float, now: float, lang: str, cur: str) -> str:
    """The clicks a budget buys at the CPC before and after (budget / CPC)."""
    return t(
        lang,
        "suivi-performance.clicks_bought",
        budget=money(budget.value, lang, cur),
        was=num(budget.value / was, lang),
        now=num(budget.value / now, lang),
    )


def _pacing(
    request: Understanding, spend: float, conversions: float, budget, lang: str, cur: str
) -> tuple[list[str], list[str]]:
    """([the pace sentence], [an over- or under-pacing alert]) when the request says how far the
    campaign is ("12 days in out of 30"): spend and conversions projected linearly to the end
    (spend ÷ days elapsed × total days); an alert when the projected spend is over the budget or
    leaves more than 10 % of it. Nothing without the elapsed days."""
    elapsed, total = elapsed_days(request.text) or (0, 0)
    if not elapsed:
        return [], []
    projected = spend / elapsed * total
    said = {
        "elapsed": elapsed,
        "total": total,
        "time_share": pct(elapsed / total * 100, lang),
        "projected": money(projected, lang, cur),
        "conversions": num(conversions / elapsed * total, lang),
    }
    if not budget:
        return [t(lang, "suivi-performance.pace", **said)], []
    said |= {"spend_share": pct(spend / budget * 100, lang), "budget": money(budget, lang, cur)}
    sentence = t(lang, "suivi-performance.pace_budget", **said)
    sentence += _pace_to_goal(
        request, spend, conversions, budget, conversions / elapsed * total, lang
    )
    if projected > budget:
        return [sentence], [t(lang, "suivi-performance.overpacing", **said)]
    if projected < 0.9 * budget:
        left = money(budget - projected, lang, cur)
        return [sentence], [t(lang, "suivi-performance.underpacing", left=left)]
    return [sentence], []


_GOAL_BEFORE = re.compile(r"(?<![a-z])(?:goal|objectif|target|cible)\s*(?:of|de|:)?\s*$")


def _pace_to_goal(
    request: Understanding, spent: float, got: float, budget: float, reached: float, lang: str
) -> str:
    """' Goal of 300: at this pace, 192 (64.0%); the 204 still missing need €56.86 each (€11,600
    left ÷ 204), against €87.50 today.' for a count the request calls a goal ("goal 300 leads by
    end of month"), '' without one or when the pace reaches it."""
    goal = next(
        (
            s
            # "410 conversions against a goal of 1,200": a bare count the goal names
            for s in request.all("conversions", "leads", "orders", "signups", "count")
            if _GOAL_BEFORE.search(request.text[max(0, s.start - 15) : s.start])
        ),
        None,
    )
    left = float(goal.value) - got if goal else 0.0
    if goal is None or left <= 0 or reached >= goal.value or not got:
        return ""
    cur = request.currency
    return " " + t(
        lang,
        "suivi-performance.pace_goal",
        goal=num(float(goal.value), lang),
        reached=num(reached, lang),
        share=pct(reached / float(goal.value) * 100, lang),
        left=num(left, lang),
        cost=money((budget - spent) / left, lang, cur, 2),
        budget_left=money(budget - spent, lang, cur),
        cpa=money(spent / got, lang, cur, 2),
    )


def _to_target_cpa(
    spend: float, conversions: float, target: float | None, lang: str, cur: str
) -> list[str]:
    """What a target CPA under today's asks ("le boss veut 35 € de CPA sans baisser le volume"):
    the spend the same conversions would take at the target, the conversions the same spend would
    have to bring, and, as CPA = CPC / conversion rate (analytics seed), the conversion rate rise
    or the CPC fall each alone needs; [] without a target, or when today's CPA already meets it."""
    if not target or not conversions or spend / conversions <= target:
        return []
    needed = spend / target
    return [
        t(
            lang,
            "suivi-performance.target_cpa_means",
            target=money(target, lang, cur, 0 if target % 1 == 0 else 2),
            conversions=num(conversions, lang),
            spend_needed=money(conversions * target, lang, cur),
            saving=signed(pct((conversions * target / spend - 1) * 100, lang)),
            spend=money(spend, lang, cur),
            needed=num(needed, lang),
            more=signed(pct((needed / conversions - 1) * 100, lang)),
        )
    ]


def _status_metrics(request: Understanding, inputs: dict, moved) -> dict[str, float]:
    """The KPI inputs of a status update (graph.calculators.kpi): the figures the message states,
    the spend (€) and the conversions, and the revenue (€), given or the spend at the latest ROAS
    said to move (``moved``, graph.understanding.changes.cost_move)."""
    metrics = {
        **(stated_metrics(request) or {}),
        "spend": inputs["spend"],
        "conversions": inputs["conversions"],
    }
    if inputs.get("revenue"):
        metrics["revenue"] = inputs["revenue"]
    elif moved and moved.measure == "roas":  # the latest ROAS on the spend: the revenue it made
        metrics["revenue"] = inputs["spend"] * moved.after
    return metrics


def _volume_goal(inputs: dict, request: Understanding) -> tuple[dict, float | None]:
    """When a message asks for more conversions at the same budget ("on fait 300 leads/mois …
    le boss veut 450 leads sans augmenter le budget"): the inputs with the budget as the spend
    (€, what is spent each period) and today's conversions, and the CPA (€) the wanted volume
    needs, spend / wanted; (inputs, None) otherwise (binding.volume_wanted)."""
    wanted = volume_wanted(request)
    spend = inputs.get("spend") or request.value("budget")
    if wanted is None or not spend:
        return inputs, None
    today, more = wanted  # the conversions read first may be the wanted ones ("240 demos")
    return {**inputs, "spend": spend, "conversions": today.value}, spend / more.value


@builder("suivi-performance")
def suivi_performance(inputs, lang, request):
    cur = request.currency
    inputs, wanted_cpa = _volume_goal(inputs, request)  # "450 leads sans augmenter le budget"
    if "spend" not in inputs:  # "CPM jumped from €7 to €11, CTR the same at 1.4%"
        return _media_price(request, lang), {}
    compared = period_metrics(request)  # "… vs last week: …": each figure against the last
    if compared:  # "même chose pour septembre : …" after October's: the status is October's
        now = compared[0]
        inputs = {**inputs, **{k: now[k] for k in ("spend", "conversions", "revenue") if k in now}}
    moved, trend = cost_move(request.text, [s for s in request.slots if isinstance(s.value, float)])
    cpa = moved.after if moved and moved.measure == "cpa" else inputs.get("cpa")
    # implied by the spend at that CPA: kept unrounded so the CPA computed back is the one given
    conversions = inputs.get("conversions") or (inputs["spend"] / cpa if cpa else 0)
    inputs = {**inputs, "conversions": conversions}
    metrics = _status_metrics(request, inputs, moved)
    rows, k = kpi_table(metrics, lang, cur)
    cpc = k.get("cost_per_conversion")
    roas = k.get("roas")
    alerts = []
    if roas is not None and roas < 1:
        alerts.append(t(lang, "suivi-performance.roas_1_campaign_spends"))
    budget = request.value("budget")
    pacing = ""
    if budget:
        pacing = " " + budget_used(inputs["spend"], budget, lang, cur)
        if inputs["spend"] > budget:
            alerts.append(t(lang, "suivi-performance.budget_overrun_stop_reallocate"))
    verdicts, missed = against_targets(request, cpc, roas, lang, cur)
    target = target_of(request, "target_cpa") or wanted_cpa
    verdicts += _to_target_cpa(inputs["spend"], conversions, target, lang, cur)
    verdicts += first_order_verdict(k, lang, cur)
    paced, pace_alerts = _pacing(request, inputs["spend"], inputs["conversions"], budget, lang, cur)
    alerts += missed + pace_alerts + ([_diagnosis(moved, lang, cur)] if moved else [])
    # "24k sessions (+4% WoW), 38 customers (-10%)": what moved the wrong way, worked back
    stated = {} if compared else changes_after(request, metric_slots(request))
    # compared with another period: each of its figures against the other period's
    flagged, moves = (
        (compared[0], period_moves(*compared))
        if compared
        else (metrics, {m: c.value for m, c in stated.items()})
    )
    alerts += report_flags(flagged, moves, lang, cur)
    alerts = alerts or [t(lang, "suivi-performance.no_alert_on_figures")]
    reading = " ".join([_costs_read(cpc, roas, lang, cur) + pacing, *verdicts, *paced])
    values = {
        "spend": money(inputs["spend"], lang, cur),
        "conversions": num(conversions, lang) if conversions else "—",
        "cost_per_conversion": money(cpc, lang, cur, 2) if cpc is not None else "—",
        "roas": f"{num(roas, lang, 2)}x"
        if roas is not None
        else t(lang, "suivi-performance.revenue_not_given_roas"),
        "reading": reading,
        "alerts": bullets(alerts),
        "kpis": [t(lang, "deliverables.period_compared"), period_comparison(*compared, lang, cur)]
        if compared
        else kpi_sheet(rows, lang),
        "method": t(lang, "suivi-performance.performance_seed_formulas_cost"),
        "_used": period_slots(request) + feeding(request, k) + trend + list(stated.values()),
    }
    return values, {}
