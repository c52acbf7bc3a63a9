"""From slots to a specialist's inputs: each input of ``prompts/specialists/*.yaml`` names the
measures it takes (``measures: [conversion_rate, rate]``), best first; a measure written
``monthly_traffic/30`` converts (a monthly figure for a daily input); ``delays`` stands for the
delays of a sequence ('J+1, J+3, J+7': 4 messages over 7 days); ``gap_to_target`` for the points
between a rate and the target rate given ('baseline 10 %, target 12 %': +2 points).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from graph.hierarchy import InputSpec
from graph.text import detect_language, fold, stem
from graph.understanding.changes import NOW_SAID, changes, joined_as_move, moves_said, price_move
from graph.understanding.dates import MONTHS, PAST_PERIOD, PAST_PERIOD_WORDS, elapsed_days
from graph.understanding.devices import bounce_gap, device_gap
from graph.understanding.lexicon import lexicon, words
from graph.understanding.numbers import DAYS, joined
from graph.understanding.pipeline import is_goal
from graph.understanding.reader import understand
from graph.understanding.slots import Slot, Understanding
from graph.understanding.structures import (
    channel_rates,
    compared_steps,
    extract_choice,
    extract_ice,
    extract_steps,
    mix_totals,
    month_before,
    retention_curve,
    steps_from_totals,
)

PERCENT_METRICS = (
    "churn_rate",
    "gross_margin",
    "repeat_rate",
    "lead_to_customer",
    "mql_rate",
    "conversion_rate",
    "ctr",
    "open_rate",
    "click_rate",
    "bounce_rate",
    "promoters_share",
    "detractors_share",
    "passives_share",
)  # given in %: a change between two periods is in points

KPI_METRICS = (
    "new_mrr",
    "churned_mrr",
    "visitors",
    "conversions",
    "orders",
    "revenue",
    "spend",
    "impressions",
    "clicks",
    "reactions",
    "comments",
    "shares",
    "bounces",
    "exits",
    "pageviews",
    "customers",
    "churned",
    "gained",
    "arpu",
    "ltv",
    "purchase_frequency",
    "customer_lifetime",
    "repeat_rate",
    "repeat_orders",
    "churn_rate",
    "repeat_customers",
    "promoters",
    "detractors",
    "passives",
    "respondents",
    "promoters_share",
    "detractors_share",
    "passives_share",
    "referred",
    "aov",
    "cpa",
    "gross_margin",
    "mqls",
    "sqls",
    "pipeline",
    "closed_won",
    "lead_to_customer",
    "mql_rate",
    "mrr",
    "ctr",
    "cpc",
    "cpm",
    "cost_per_send",
    "nps",
)
# a report compares the KPI inputs and the rates given for each period ("taux de conv 2,4 %")
PERIOD_MEASURES = KPI_METRICS + (
    "conversion_rate",
    "ctr",
    "open_rate",
    "click_rate",
    "roas",
    "budget",
)
_NUMERIC = {"rate": float, "effect": float, "amount": float, "count": int, "duration": int}


def _measures(spec: InputSpec) -> list[tuple[str, float]]:
    """(slot type, factor) pairs of an input: 'monthly_traffic/30' -> ('monthly_traffic', 1/30)."""
    out = []
    for m in spec.measures:
        name, _, div = m.partition("/")
        name, _, mul = name.partition("*")
        out.append((name, (float(mul) if mul else 1.0) / (float(div) if div else 1.0)))
    return out


def _numeric(spec: InputSpec, slot: Slot, factor: float) -> Any:
    value = slot.value * factor
    if spec.kind == "effect":
        return {"value": abs(value), "unit": "pt" if slot.unit == "pt" else "%"}
    if spec.kind == "rate" and not 0 < value < 100:
        return None
    if spec.kind in ("count", "duration"):
        return int(round(value)) if value > 0 else None
    return value if value > 0 or spec.kind == "rate" else None


def bind(
    specs: list[InputSpec],
    u: Understanding,
    text: str,
    wanted: set[str] | None = None,
    strict: bool = False,
    guessed: dict[str, Slot] | None = None,
    sources: dict[str, Slot] | None = None,
) -> dict[str, Any]:
    """Values for ``specs`` (all, or the names in ``wanted``) from the slots of ``u`` and, for
    lists (funnel steps, ICE backlog) and options, from ``text``. Figures named by a word are
    taken first; numbers no word names (a bare '3 %' answering a question) go, in order, to the
    inputs still missing that accept them (not with ``strict``). Each slot serves one input; a
    figure given for a single channel stands for the whole when nothing else is given. Returns
    {name: value}; ``guessed``, when given, receives {name: slot} of the inputs filled by a number
    no word names (the reading the bot is least sure of: graph.understanding.doubts.doubtful), and
    ``sources`` {name: slot} of every numeric input (a figure converted, monthly visitors for a daily
    input, is used even when the deliverable shows only the result)."""
    found: dict[str, Any] = {}
    used: set[int] = set()
    numeric = [s for s in specs if s.kind in _NUMERIC or s.kind == "date"]
    delays = sorted(s.value for s in u.slots if s.type == "delay")
    for generic_pass in (False,) if strict else (False, True):
        for spec in numeric:
            if spec.name in found:
                continue
            hit = _figure_for(spec, u, used, generic_pass, delays)
            if hit is None:
                continue
            slot, found[spec.name] = hit
            if slot is None:  # read from the delays, or several channels' spend
                continue
            used.add(id(slot))
            if generic_pass and guessed is not None:
                guessed[spec.name] = slot
            if sources is not None:
                sources[spec.name] = slot
    _gap_to_target(numeric, u, found)
    for spec in specs:
        value = _structured(spec, u, text)
        if value is not None:
            found[spec.name] = value
    return {k: v for k, v in found.items() if wanted is None or k in wanted}


def _figure_for(
    spec: InputSpec, u: Understanding, used: set[int], generic_pass: bool, delays: list[float]
) -> tuple[Slot | None, Any] | None:
    """The first unused slot of one of ``spec``'s measures (in their order; named figures, or with
    ``generic_pass`` numbers no word names) not tied to an arm or a channel, else the figure of the
    single channel that has one, with the input's value from it; for the measure 'delays', the
    sequence's ``delays`` (days) give it, with no slot; for 'channel_spend_total', the spend (else
    the budget) of every channel (two or more) added up, with no slot; for 'channel_sessions_total'
    and 'channel_mix_rate', the sessions of channels each given a rate (structures.channel_rates)
    added up, and their overall rate (%); None when there is none."""
    # with an interval given, the delays time the first messages, not the whole length
    spaced = spec.kind != "count" and any(s.type == "interval" for s in u.slots)
    for type_, factor in _measures(spec):
        if type_ == "delays" and delays and not generic_pass and not spaced:
            # J0 then one message per delay, the last delay the length; around an event ("J-21 …
            # J+7") one message per delay, from the first to the last
            start = min(delays[0], 0.0)
            count = len(delays) + (start == 0)
            return None, count if spec.kind == "count" else max(1, round(delays[-1] - start))
        if type_ == "channel_spend_total":
            # as channel_roas reads them; else the budgets a split lists ("Meta 9k, Google 6k")
            spends = u.by_channel("spend") or u.by_channel("budget")
            # "Meta 8 200 € … Google 5 400 € …"; not when an amount of its own is there to split
            # ("on a 1,2 M€ pour l'année. l'an dernier : SEA 420k€ → 1,9 M€ …")
            alone = not any(s.type == "amount" and not (s.channel or s.arm) for s in u.slots)
            if len(spends) >= 2 and not generic_pass and alone:
                return None, float(sum(spends.values()))
            continue
        if type_ == "entry_flow" and not generic_pass and (flow := entry_flow(u)):
            return flow
        if type_ == "goal_at_cost" and not generic_pass and (pair := goal_and_cost(u)):
            return None, float(pair[0].value) * float(pair[1].value)
        if type_ in _CHANNEL_MIX and not generic_pass and (mix := channel_rates(u)):
            # "SEO 2,8 % (41 000 sessions), SEA 3,9 % (22 000)…": the channels' sessions added
            # up, and their overall rate (sessions-weighted)
            sessions, _, rate = mix_totals(mix)
            return None, sessions if type_ == "channel_sessions_total" else rate
        if type_ == "counted_rate" and not generic_pass and (counted := counted_rate(u)):
            return None, counted  # "9,000 orders a month from 310,000 sessions": 2.9 %
        if type_ in ("gap_to_target", "delays", "entry_flow", "goal_at_cost", "counted_rate"):
            continue
        if type_ in _CHANNEL_MIX:
            continue
        whole = [
            s for s in u.slots if s.type == type_ and id(s) not in used and not (s.arm or s.channel)
        ]
        part = _single_channel(u, type_, used)
        # a channel's figure stands for the whole unless a larger one is given for the whole
        # ("45k€ … au moins 5k€ sur l'affiliation" splits 45k€)
        if part and any(
            abs(s.value) >= abs(part.value) for s in whole if isinstance(s.value, float)
        ):
            part = None
        slot = next((s for s in whole if s.generic == generic_pass), None) or part
        if slot is None or _out_of_range(spec, type_, slot):
            continue
        value = slot.value if spec.kind == "date" else _numeric(spec, slot, factor)
        if value is not None and factor == 1 and _DAILY in spec.measures:
            value = _per_day(u, slot, value)
        if value is not None:
            return slot, value
    return None


def _out_of_range(spec: InputSpec, type_: str, slot: Slot) -> bool:
    """Whether a figure of a stand-in measure (``type_``, not the input's own first measure)
    falls outside the range the lexicon gives that first measure: "on en a 14 000" is no number
    of messages in a sequence (touches: 1-30)."""
    own = lexicon().measures.get(spec.measures[0]) if spec.measures else None
    if type_ == spec.measures[0] or own is None or own.range is None:
        return False
    low, high = own.range
    return isinstance(slot.value, float) and not low <= slot.value <= high


def counted_rate(u: Understanding) -> float | None:
    """The conversion rate (%) the counts of the whole give: orders (else conversions) over
    visitors, none tied to an arm or a channel; None unless both are given, fewer orders."""

    def whole(*types: str) -> Slot | None:
        return next((s for s in u.slots if s.type in types and not (s.arm or s.channel)), None)

    visitors, orders = whole("visitors"), whole("orders") or whole("conversions")
    if visitors is None or orders is None or not 0 < orders.value < visitors.value:
        return None
    return float(orders.value) / float(visitors.value) * 100


_DAILY = "daily_traffic"  # an input counted per day
_CHANNEL_MIX = ("channel_sessions_total", "channel_mix_rate")


def _per_day(u: Understanding, slot: Slot, value: Any) -> Any:
    """``value`` per day when ``slot`` is a count written per week or month ("3 000 paniers
    abandonnés par semaine": 429 a day, rounded); as it is otherwise."""
    per = period_of(u, slot) if slot.type != _DAILY else None
    if per is None or not isinstance(value, (int, float)):
        return value
    return max(1, round(value / DAYS[per]))


GOAL_COUNTS = ("conversions", "signups", "leads", "orders", "customers", "mqls", "sqls")


def goal_and_cost(u: Understanding) -> tuple[Slot, Slot] | None:
    """(the goal's count, the target cost) of a budget asked for a goal ("300 leads à un CPL
    cible de 45 €": the measure 'goal_at_cost' binds their product, 13 500 €), when the request
    gives both (:func:`target_cost`) and no budget or spend; None otherwise."""
    goal = next((s for s in u.slots if s.type in GOAL_COUNTS and not (s.arm or s.channel)), None)
    cost = target_cost(u)
    if goal is None or cost is None or u.first("budget", "spend", "amount"):
        return None
    return goal, cost


def target_cost(u: Understanding) -> Slot | None:
    """The target cost per conversion: the target CPA, or a CPA a later message of the thread
    gives in its place ("et avec un CPL de 60 € ?"); None without a target."""
    costs = [s for s in u.slots if s.type in ("target_cpa", "cpa") and not (s.arm or s.channel)]
    if not any(s.type == "target_cpa" for s in costs):
        return None
    return max(costs, key=lambda s: (s.message, s.type == "target_cpa"))


_PER = re.compile(
    r"^\W{0,3}(?:[a-z]+\s+){0,2}(?:[a-z]+(?=/))?(?:par|per|a|an|/)\s*"
    r"(?P<period>jour|day|j|d|semaine|week|sem|wk|mois|month|mo)(?![a-z])"
)


def period_of(u: Understanding, s: Slot) -> str | None:
    """The period a count is written per ("2 300 paniers abandonnés par semaine": 'semaine'), as
    written (jour, day, semaine, week, mois, month…); None when it is written per none."""
    per = _PER.match(u.text[s.end : s.end + 45])  # up to two words, then "par semaine"
    return per["period"] if per else None


def entry_flow(u: Understanding) -> tuple[Slot, int] | None:
    """(slot, per day) of a count that enters the rate being tested: "~900 trials par mois,
    trial-to-paid à 14 %" is 30 trials a day, the test's traffic. The count is written per day,
    week or month and its word names the rate's first stage ("trial" in "trial-to-paid"), or the
    rate is one of a stage after signing up ("activation is 34 % … 900 signups a week"); None
    otherwise (sales a month are the rate's outcome, not its traffic)."""
    rates = [s for s in u.slots if s.unit == "%" and s.type in ("conversion_rate", "rate")]
    stages = " ".join(u.text[max(0, r.start - 30) : r.start] for r in rates)
    later = _LATER_STAGE.search(stages)  # "activation is 34 %": signups enter it
    for s in u.slots:
        per = _PER.match(u.text[s.end : s.end + 30])
        if s.type != "conversions" or s.arm or s.channel or not per or not rates:
            continue
        named = words(u.text[max(0, s.start - 15) : s.end + 15])
        if later or any(len(w) > 3 and stem(w) in stages for w in named if not w[0].isdigit()):
            return s, max(1, round(float(s.value) / DAYS[per["period"]]))
    return None


# a rate of a stage after signing up, whose traffic is the signups, trials or leads of a period
_LATER_STAGE = re.compile(
    r"(?<![a-z])(?:activation|activated|actives?|onboarding|to[- ]paid|(?:a|en) payant|upgrades?|"
    r"retention|renewals?|close rate|win rate|closing)(?![a-z])"
)


def _gap_to_target(numeric: list[InputSpec], u: Understanding, found: dict[str, Any]) -> None:
    """ "baseline 10 %, target 12 %": an effect input that takes the gap gets it, in points."""
    base = next((found[s.name] for s in numeric if s.kind == "rate" and s.name in found), None)
    target = u.value("target_rate")
    for spec in numeric:
        if (
            spec.kind == "effect"
            and spec.name not in found
            and "gap_to_target" in spec.measures
            and base
            and target
            and target > base
        ):
            found[spec.name] = {"value": round(target - base, 6), "unit": "pt"}


# a rate the user asks to be judged against what others reach
_JUDGE = re.compile(
    r"(?<![a-z])(?:bon taux|good (?:open|click|conversion) rate|what'?s a good|quel est un bon|"
    r"c'est (?:bien|bon|normal|correct)|is (?:that|it|this) (?:good|normal|ok|bad)|benchmark\w*|"
    r"moyenne du secteur|industry average|par rapport au(?:x)? (?:secteur|autres)|normal\s*\?|"
    r"rate (?:good|bad|ok|normal)|is an? [^?.]{0,25} (?:good|bad|ok|normal)(?![a-z]))"
)


def _structured(spec: InputSpec, u: Understanding, text: str) -> Any:
    """An input that is not a single figure: an option, the channels, funnel steps, a measure's
    stated move ({'before', 'after'}), an ICE backlog, A/B results, metrics, or text entities;
    None when the message gives none."""
    if spec.kind == "choice":  # else the entity read for it ("pas commandé depuis 60 jours")
        read = next(
            (s.value for s in u.slots if s.type == spec.name and s.value in spec.options), None
        )
        return extract_choice(text, spec) or read
    if spec.kind == "channels":  # else the names figures are given for ("brand 12, generic 2,1")
        named = list(dict.fromkeys(str(s.channel) for s in u.slots if s.channel and not s.arm))
        return u.channels() or (named if len(named) >= 2 else None)
    if spec.kind == "steps":
        pair = compared_steps(text)  # "et le mois dernier c'était …": this period's steps
        listed = pair[0] if pair else extract_steps(text)
        derived = steps_from_totals(u, detect_language(text))
        steps = derived if derived and len(derived) > len(listed or ()) else listed
        kept = [step for step in steps or () if step[0] not in u.removed]  # "sans l'étape panier"
        return improved_steps(kept, u.improved) if len(kept) >= 2 else None
    if spec.kind == "device_bounce":  # "bounce rate is 71% on mobile vs 42% on desktop"
        gap = bounce_gap(u)
        return gap.model_dump() if gap else None
    if spec.kind == "rates_by_email":  # "email 1 open 58%, email 2 open 41%": each email's
        opened = [s.value for s in u.all(*spec.measures)]
        return opened if len(opened) >= 2 else None
    if spec.kind == "device_rates":  # "0,9 % sur mobile contre 2,4 % sur desktop, 70 % mobile"
        rates = device_gap(u)
        return rates.model_dump() if rates and not rates.volume else None
    if spec.kind == "judged":  # "quel est un bon taux d'ouverture ? on est à 18 %"
        rated = next((s for s in u.all(*spec.measures) if s.unit == "%"), None)
        return rated.value if rated is not None and _JUDGE.search(text) else None
    if spec.kind in ("move", "fall"):  # "passé de 32 % à 11 %": the stated move of that measure
        figures = [s for s in u.slots if isinstance(s.value, float)]
        # "24 % en septembre, 19 % en octobre, 16 % en novembre": a run of periods moves too
        found = next((c for c in moves_said(u.text, figures) if c.measure in spec.measures), None)
        if found and spec.kind == "fall" and not fell_to(found.before, found.after):
            found = None  # a drift, not a fall
        return {"before": found.before, "after": found.after} if found else None
    if spec.kind == "ice":  # "remove the exit popup": less the ideas the thread removed
        gone = {fold(item) for item in u.removed}
        ideas = [i for i in extract_ice(text) or () if fold(i["idea"]) not in gone]
        return ideas or None
    if spec.kind == "ab_results":
        return ab_results(u)
    if spec.kind == "benchmark":  # "14 % alors que le secteur est à 22 %": the sector's figure
        said = [s for s in u.all("rate", *spec.measures) if s.unit == "%"]
        sector = next(iter(sector_rates(u, spec.measures)), None)
        return sector.value if sector and said and said[0] is not sector else None
    if spec.kind == "early_look":  # "9 jours sur 21, la variante est significative"
        look = elapsed_days(u.text)
        if look and said_significant(u.text) and not ab_results(u):
            return look
        return None if look or ab_results(u) else stopped_early(u)
    if spec.kind == "metrics":  # a retention curve, the channels' own figures or the sources'
        # rates are the sheet's too
        given = retention_curve(text) or channel_metrics(u) or source_rates(u)
        return metrics(u) or ({} if given else None)
    if spec.kind == "text" and spec.measures:
        named = [str(s.value) for s in u.slots if s.type in spec.measures]
        if not named and "segment" in spec.measures and _BY_SOURCE.search(u.text):
            # "personnaliser selon la source de trafic : 45 % SEO, 30 % Google Ads…": the sources
            named = list(dict.fromkeys(u.channels()))
        return ", ".join(named) or None
    return None


def sector_rates(u: Understanding, measures: Sequence[str] = ()) -> list[Slot]:
    """The rates (%, of ``measures`` or generic) ``u`` says others reach ("le secteur est à 22
    %", "industry says 18-25%"): the first a benchmark word names (_SECTOR), then the other end
    of its range; [] when none."""
    rates = sorted(
        (s for s in u.all("rate", "target_rate", *measures) if s.unit == "%"),
        key=lambda s: s.start,
    )
    for k, s in enumerate(rates):
        if _SECTOR.search(u.text[max(0, s.start - 35) : s.start]):
            ends = rates[k + 1 : k + 2]
            return [s] + [e for e in ends if joined(u.text, s.start, s.end, e.start)]
    return []


# "le secteur est à 22 %", "industry average 21%", "benchmark 25 %": a rate others reach
_SECTOR = re.compile(
    r"(?<![a-z])(?:secteur|industry|industrie|benchmark|march[eé]|moyenne|average|concurrents?|"
    r"competitors?)(?![a-z])(?:[^.;!?\d]|(?<=[a-z])\d(?=[a-z]))"  # a digit inside a word: "b2b"
    r"{0,25}$"
)
# the seed's stopping rule: a test covers at least two full weekly cycles (experimentation.md)
MIN_TEST_DAYS = 14
FELL = 0.8  # a rate under 80 % of what it was has broken, not drifted


def fell_to(before: float, after: float) -> bool:
    """Whether a rate that went from ``before`` to ``after`` (%, both) fell to under :data:`FELL`
    of what it was: it broke, it did not drift."""
    return 0 <= after < before * FELL


_STOP_WISH = re.compile(
    r"(?<![a-z])(?:arret\w*|stopp?\w*|couper|coupe|call it|ship\w*|deploy\w*|kill\w*|end it|"
    r"conclure|declare\w*)(?![a-z])"
)


_A_TEST = re.compile(r"(?<![a-z])(?:test\w*|a/?b|variant\w*|version\w*|experi\w*)(?![a-z])")


def stopped_early(u: Understanding) -> tuple[int, int] | None:
    """(days run, MIN_TEST_DAYS) of a test someone wants to stop early on a lift said ("le client
    veut qu'on arrête le test au bout de 4 jours parce que la variante est à +25 %"): a test, a
    stop asked, a lift in %, and fewer days run than the seed's two weekly cycles; None
    otherwise."""
    days = next((s for s in u.all("duration", "delay") if s.unit == "days"), None)
    lift = next((s for s in u.slots if s.type in ("change", "rate") and s.unit == "%"), None)
    if days is None or lift is None or not (_STOP_WISH.search(u.text) and _A_TEST.search(u.text)):
        return None  # "on arrête la promo -20 % dans 5 jours" is no test
    run = int(abs(float(days.value)))
    return (run, MIN_TEST_DAYS) if 0 < run < MIN_TEST_DAYS else None


_SAID_SIGNIFICANT = re.compile(r"(?<![a-z])(?:significati\w*|significant\w*|stat sig|statsig)")


def said_significant(folded: str) -> bool:
    """Whether the folded text says a result is significant ("significatif", "stat sig")."""
    return bool(_SAID_SIGNIFICANT.search(folded))


_BY_SOURCE = re.compile(
    r"(?<![a-z])(?:source|sources|provenance|canal d'acquisition|canaux d'acquisition|traffic source\w*|"
    r"by channel|par canal|per channel|selon le canal)(?![a-z])"
)


def improved_steps(steps: list, improved: dict[str, float]) -> list:
    """Funnel ``steps`` [(label, count)] with each step of ``improved`` entered at its rate times
    the factor: that step and every later one (at their own rates) scaled by it."""
    factor, out = 1.0, []
    for label, count in steps:
        factor *= improved.get(label, 1.0)
        out.append((label, round(count * factor, 6)))
    return out


def _single_channel(u: Understanding, type_: str, used: set[int]) -> Slot | None:
    """The slot of ``type_`` when only one channel has one ("campagne Google Ads : 5 000 € de
    dépense"), else None."""
    slots = [
        s for s in u.slots if s.type == type_ and s.channel and not s.arm and id(s) not in used
    ]
    return slots[0] if len({s.channel for s in slots}) == 1 else None


def metric_slots(u: Understanding) -> dict[str, Slot]:
    """The slot each KPI input is read from, {measure: slot}: the first no arm or channel holds,
    else a single channel's; the list size for customers, the budget for the spend, when none is
    given."""
    out: dict[str, Slot] = {}
    for s in u.slots:
        if s.type in KPI_METRICS and s.arm is None and s.channel is None and s.type not in out:
            out[s.type] = s
    for type_ in KPI_METRICS:
        if type_ not in out and (slot := _single_channel(u, type_, set())):
            out[type_] = slot
    size = u.first("list_size")
    if size and size.value and "cost_per_send" in out and "visitors" not in out:
        out["visitors"] = size  # "sms campaign to 35k contacts, 0.06€ per sms": who gets the sends
    elif "customers" not in out and size and size.value:
        out["customers"] = size
    if "spend" not in out and (budget := u.first("budget")) and not budget.channel:
        out["spend"] = budget  # "bilan mensuel : … budget pub 22k€": the period's ad spend
    roas = [s for s in u.all("roas", any_arm=True) if not s.arm]
    if not {"spend", "revenue"} & set(out) and len(roas) == 1:
        out["roas"] = roas[0]  # "ROAS Google 6,2, marge 18 %": a ROAS nothing else gives
    if "churned" in out and (base := _customer_base(u, out.get("customers"))):
        out["customers_start"] = base
    elif "churned" in out and "customers" in out and _named_new(u, out["customers"]):
        # "new customers 96, churned 41": the customers gained, no base to count a churn rate on
        out["gained"] = out["customers"]
    return out


_NEW = r"(?:new|nouveaux|nouvelles)\s+(?:customers|clients|accounts|comptes)"


def _named_new(u: Understanding, s: Slot) -> bool:
    """Whether the count of customers ``s`` is named as new ones ("new customers 96", "160
    nouveaux clients"): customers the period gained, not the customers it started with."""
    return bool(
        re.search(rf"(?<![a-z]){_NEW}\W*$", u.text[max(0, s.start - 30) : s.start])
        or re.match(rf"\W*{_NEW}", u.text[s.end : s.end + 30])
    )


def stated_rates(u: Understanding, held: dict[str, Slot] | None = None) -> dict[str, Slot]:
    """{measure: slot} of the rates (%, :data:`PERCENT_METRICS`) the request gives for the whole
    ("taux de conversion 2,3 %", "open rate 24%"), the first of each, that :func:`metric_slots`
    (``held``, when the caller has it) does not hold."""
    held = metric_slots(u) if held is None else held
    out: dict[str, Slot] = {}
    for s in u.slots:
        if s.type in PERCENT_METRICS and s.type not in held and not (s.arm or s.channel):
            out.setdefault(s.type, s)
    return out


_BASE_BEFORE = re.compile(r"(?:out of|sur|parmi|among|from|of)\W*$")
_BASE_AFTER = re.compile(
    r"^\W*(?:[a-z]+\W+){0,3}?(?:at the (?:start|beginning)|au debut|en debut|de depart|actifs|active|"
    r"en base|in the base|base|total)(?![a-z])"
)


def _customer_base(u: Understanding, first: Slot | None) -> Slot | None:
    """The customers a churn is counted on when the request gives two counts of customers ("1,150
    new customers, 230 churned out of 5,400 customers at the start of the quarter"): the one
    after "out of"/"sur" or before "at the start"/"en début"/"actifs"; None otherwise."""
    for s in u.all("customers"):
        if s is first or s.arm or s.channel:
            continue
        if _BASE_BEFORE.search(u.text[max(0, s.start - 12) : s.start]) or _BASE_AFTER.search(
            u.text[s.end : s.end + 45]
        ):
            return s
    return None


_TEST_WORDS = re.compile(
    r"(?<![a-z])(variantes?|variants?|controle|control|ctrl|treatment|temoin|a/b|ab test|test\w*|testes?|"
    r"bras|arms?|versions?|groupe|group|significati\w*|winner|gagnant\w*|seuil|p-value)(?![a-z])"
)
_PERIOD_WORDS = re.compile(
    r"(?<![a-z])(semaine derniere|last week|mois dernier|last month|an dernier|last year|l'an passe|"
    r"previous|precedent\w*|period\w*|wow|mom|yoy|[nmsw]-1|weekly|hebdo\w*|mensuel\w*|monthly|"
    r"bilan|report\w*|rapport|reporting|kpis?|semaine|week|mois|month|trimestre|quarter|q[1-4])(?![a-z0-9])"
)  # what a comparison of two periods says it is


def period_pairs(u: Understanding) -> tuple[dict[str, Slot], dict[str, Slot]] | None:
    """({measure: this period's slot}, {measure: the previous period's slot}) when a report gives
    each figure with the one it compares to ("sessions 52k (vs 47k)", "CA 240 k€ contre 210 k€ le
    mois dernier"): the reader's arms A and B, in a message that names a period or a report and no
    test; None unless two measures or more are paired that way."""
    if _TEST_WORDS.search(u.text):
        return None
    current, previous = _by_measure(u)
    shared = [m for m in current if m in previous]
    if len(shared) < 2 or not _PERIOD_WORDS.search(u.text):
        # a later message with the other period's figures in the request's order pairs first
        return _compared_after(u) or _period_blocks(u)
    return {m: current[m] for m in shared}, {m: previous[m] for m in shared}


_COMPARED = re.compile(
    r"(?<![a-z])(compar\w*|vs|versus|contre|avant|previous|precedent\w*|dernier|derniere|last|"
    r"before|prior)(?![a-z])"
)


def period_report(u: Understanding) -> bool:
    """Whether a report gives its figures each with its change on the previous period in brackets
    ("monthly report for november: sessions 210k (+12% MoM), MRR €184k (+2.1%)"), in a message
    that names a period or a report and no test: a period's figures, no test or change."""
    moves = [s for s in u.slots if s.type in ("change", "revenue_change")]
    if not moves or _TEST_WORDS.search(u.text) or not _PERIOD_WORDS.search(u.text):
        return False
    return all(re.search(r"\(\s*$", u.text[max(0, s.start - 3) : s.start]) for s in moves)


def compared_message(u: Understanding) -> tuple[str, str] | None:
    """(the thread's earlier messages, its last one) when the last names a comparison ("compare
    with september: …", "vs le mois dernier") or a month before the one the message before it
    names ("… en novembre", then "et en octobre on avait …"); None for a single message or another
    follow-up."""
    *earlier, last = u.raw.split("\n")
    compared = earlier and (_COMPARED.search(fold(last)) or month_before(earlier[-1], last))
    return ("\n".join(earlier), last) if compared else None


def _compared_after(u: Understanding) -> tuple[dict[str, Slot], dict[str, Slot]] | None:
    """A thread's last message that gives the figures of another period in the order of the
    request's ("compare avec le mois d'avant : 0,31 %, 6,90 €, 12 500 €, 44 leads"): each of its
    figures pairs with the request's next figure of the same unit and currency, and is read as
    that figure's measure; the request's figures are this period's. None unless the last message
    names a comparison and two figures or more pair."""
    parts = compared_message(u)
    if parts is None:
        return None
    earlier, last = parts

    def figures(text: str) -> list[Slot]:
        return [s for s in understand(text).slots if isinstance(s.value, float) and not s.arm]

    now: dict[str, Slot] = {}
    before: dict[str, Slot] = {}
    for mine, theirs in paired_in_order(figures(earlier), figures(last)):
        if mine.type not in now:
            now[mine.type] = mine
            before[mine.type] = theirs.model_copy(update={"type": mine.type})
    return (now, before) if len(now) >= 2 else None


def paired_in_order(mine: list[Slot], theirs: list[Slot]) -> list[tuple[Slot, Slot]]:
    """(one of ``mine``, one of ``theirs``) for each of ``theirs`` in order, with the next of
    ``mine`` of the same unit and currency: a later message's figures given in the order of an
    earlier one's ("compare avec le mois d'avant : 0,31 %, 6,90 €, …", "same for google: €18k,
    410 purchases"). Stops at the first of ``theirs`` that pairs with none."""
    pairs, k = [], 0
    for slot in theirs:
        while k < len(mine) and (mine[k].unit, mine[k].currency) != (slot.unit, slot.currency):
            k += 1
        if k == len(mine):
            break
        pairs.append((mine[k], slot))
        k += 1
    return pairs


_SIGNUPS = re.compile(r"(?<![a-z])(?:sign.?ups?|inscri\w*|registrations?|trials?|essais?)\W*$")


_LABEL_BEFORE = re.compile(r"(?<![a-z])([a-z][a-z'-]{2,20})\s*:?\s*$")


def _period_key(u: Understanding, s: Slot) -> str | None:
    """The measure a report's figure is compared under: its type, or for a count no word of the
    lexicon names, the word written before it ("paid 212 (240)": 'paid', for 240 too, the figure
    it is compared with); None otherwise."""
    if s.type in PERIOD_MEASURES:
        return s.type
    if s.type == "count" and s.arm == "B":  # "paid 212 (240)": the label of the figure it follows
        partner = max(
            (o for o in u.slots if o.arm == "A" and o.start < s.start),
            key=lambda o: o.start,
            default=None,
        )
        return _period_key(u, partner) if partner is not None and partner.type == "count" else None
    named = _LABEL_BEFORE.search(u.text, max(0, s.start - 25), s.start)
    if s.type != "count" or named is None or named.group(1) in PERIOD_MEASURES:
        return None
    return named.group(1)


def _by_measure(u: Understanding) -> tuple[dict[str, Slot], dict[str, Slot]]:
    """({measure: slot} of this period's figures, of the previous period's): the reader's arms A
    and B. Of two conversion counts, the one named signups ("signups 1,240 (1,310), paid conv 96
    (88)") is ``signups`` in both periods, shown apart."""
    keys = {id(s): key for s in u.slots if s.arm in ("A", "B") and (key := _period_key(u, s))}
    current = [s for s in u.slots if s.arm == "A" and id(s) in keys]
    previous = [s for s in u.slots if s.arm == "B" and id(s) in keys]
    counted = [s for s in current if s.type == "conversions"]
    named = {
        k
        for k, s in enumerate(counted)
        if len(counted) > 1 and _SIGNUPS.search(u.text[max(0, s.start - 20) : s.start])
    }
    sides: list[dict[str, Slot]] = []
    for side in (current, previous):
        out, k = {}, 0
        for s in side:
            key = keys[id(s)]
            if s.type == "conversions":
                key, k = ("signups" if k in named else key), k + 1
            out[key] = s
        sides.append(out)
    return sides[0], sides[1]


# full month names: "may", "sept" and "mar" are also words ("we may", "sept jours")
_MONTH = "|".join(
    sorted(
        (m for m in MONTHS if len(m) > 4 or m in ("mars", "juin", "june", "july", "aout", "mai")),
        key=len,
        reverse=True,
    )
)
_PERIOD_LABEL = re.compile(
    r"(?<![a-z0-9])(?:(?:s|w|wk|sem|semaine|week)\s?(?P<week>\d{1,2})|(?:q|t)(?P<quarter>[1-4])|"
    rf"(?P<month>{_MONTH}|may(?=\s*:)|(?<=in )may|(?<=of )may)|(?P<year>20\d\d)|(?P<now>cette semaine|this week|ce mois\w*|this month)|"
    rf"(?P<before>{PAST_PERIOD}|[smwn]-1))(?![a-z0-9])"
)


def names_period(folded: str) -> bool:
    """True when the folded text names a period (a week, quarter, month or year, "last month")."""
    return bool(_PERIOD_LABEL.search(folded) or _PERIOD_WORDS.search(folded))


def _period_blocks(u: Understanding) -> tuple[dict[str, Slot], dict[str, Slot]] | None:
    """A report's two periods written one after the other, each label before its figures ("S48 CA
    64 200 €, 1 020 commandes ; S47 CA 58 900 €, 960 commandes", "mars : …, avril : …"): the
    figures after a label are that period's; the later period (the higher week, quarter, month or
    year, "cette semaine" against "la semaine dernière", else the first written) is the current
    one; a past period's label alone ("… vs last week: …") follows the current period's figures.
    None unless two periods share two KPI measures or more. This period's side also holds the
    figures only it gives."""
    if "\n" in u.raw:  # a thread: "et compare avec Q2 : …" keeps both periods' figures
        u = understand(u.raw.replace("\n", " ; "))
    labels = list(_PERIOD_LABEL.finditer(u.text))
    blocks: list[tuple[tuple[str, float], dict[str, Slot]]] = []
    # "spend €12.4k, … vs last week: spend €11.8k, …": the figures before a past period's label
    # are the current period's
    starts = _block_starts(u, labels)
    spans = [
        ((start, after if after is not None else len(u.text)), _period_rank(label))
        for label, start, after in zip(labels, starts, starts[1:] + [None])
    ]
    if len(labels) == 1 and labels[0]["before"]:
        spans.insert(0, ((0, labels[0].start()), ("relative", 0.0)))
    bare: list[list[Slot]] = []
    for (start, end), rank in spans:
        figures: dict[str, Slot] = {}
        inside = [s for s in u.slots if start <= s.start < end]
        for s in inside:
            if s.type in (*PERIOD_MEASURES, "amount"):
                figures.setdefault(s.type, s)
        loose = [s for s in inside if s.type in ("amount", "count")]
        if figures or len(loose) >= 2:  # "S47 : 58 900, 960, 19 800": figures no word names
            blocks.append((rank, figures))
            bare.append(loose)
    if len(blocks) != 2:
        return None
    (first_rank, first), (second_rank, second) = blocks
    _same_place(first, second, bare[1])
    first.pop("amount", None), second.pop("amount", None)
    shared = [m for m in first if m in second]
    if len(shared) < 2:
        return None
    if first_rank[0] == second_rank[0] and second_rank[1] > first_rank[1]:
        first, second = second, first
    _moved_between(u, first, second)
    shared = [m for m in first if m in second]
    # this period's figures the other lacks stay ("clicks 18,200, impressions 910,000"): their KPIs
    # are this period's, shown without a change
    return first, {m: second[m] for m in shared}


def _moved_between(u: Understanding, now: dict[str, Slot], before: dict[str, Slot]) -> None:
    """A measure only one period's figures give, as a move ("ad spend went from €31k to €42k"):
    the figure it moved from is the previous period's, the one it moved to this period's.
    ``now`` and ``before`` ({measure: slot}) are changed in place."""
    for old, new in zip(u.slots, u.slots[1:]):
        moved = old.type == new.type and old.type in PERIOD_MEASURES
        if moved and old.type not in before and joined_as_move(u.text, old, new):
            now[old.type], before[old.type] = new, old


_BLOCK_BREAK = re.compile(r"[;:\n]|[,.](?!\d)")  # not the comma of "3,400"


def _block_starts(u: Understanding, labels: list[re.Match]) -> list[int]:
    """Where each period label's figures start: after the label ("mars : …"), or at the start
    of its clause when a figure comes first in it ("2 100 commandes en octobre pour 148 000 €,
    1 650 commandes en novembre …")."""
    starts, done = [], 0
    for label in labels:
        breaks = [m.end() for m in _BLOCK_BREAK.finditer(u.text, done, label.start())]
        clause = breaks[-1] if breaks else 0
        ahead = any(
            max(clause, done) <= s.start < label.start() and s.type in PERIOD_MEASURES
            for s in u.slots
        )
        opens = re.match(r"\s*:", u.text[label.end() :])  # "mars : …", "vs last week: …"
        starts.append(max(clause, done) if ahead and not opens else label.end())
        done = label.end()
    return starts


def _same_place(first: dict[str, Slot], second: dict[str, Slot], bare: list[Slot]) -> None:
    """The bare figures of one period (``bare``: amounts and counts no word names) written in the
    order of the other's measures it does not name ("spend 12.4k, 310 conversions, revenue 41k.
    last week 11.8k, 295 conv, 38.5k": spend then revenue), one for each; else a bare amount
    written where the other has its one money measure ("… pour 148 000 € de CA, … pour
    121 000 €"). ``second`` is changed in place."""
    left = sorted((s.start, m) for m, s in first.items() if m not in second and m != "amount")
    if bare and "amount" not in first and len(bare) == len(left):
        if all(b.unit in ("", first[m].unit) for b, (_, m) in zip(bare, left)):
            second.pop("amount", None)
            second.update({m: b.model_copy(update={"type": m}) for b, (_, m) in zip(bare, left)})
            return
    money = [m for m, s in first.items() if s.currency and m not in second]
    if "amount" in second and "amount" not in first and len(money) == 1:
        second[money[0]] = second.pop("amount").model_copy(update={"type": money[0]})


def _period_rank(label: re.Match) -> tuple[str, float]:
    """(kind of label, its place in time) of a period label, to order two of one kind."""
    for kind in ("week", "quarter", "year"):
        if label[kind]:
            return kind, float(label[kind])
    if label["month"]:
        return "month", float(MONTHS[label["month"]])
    return "relative", 0.0 if label["now"] else -1.0


def metrics(u: Understanding) -> dict[str, float] | None:
    """KPI inputs the request states, {measure: value} (:func:`metric_slots`; this period's figures
    of a period comparison, :func:`period_pairs`; orders stand for conversions and the other way
    round when only one is given; subscribers stand for customers)."""
    slots = metric_slots(u)
    out = {type_: slot.value for type_, slot in slots.items()}
    if not out and (compared := period_metrics(u)):
        return compared[0]
    rate = next(
        (s for s in u.all("conversion_rate") if not (s.arm or s.channel)), None
    ) or _single_channel(u, "conversion_rate", set())  # "Nos campagnes Google Ads : … 3,5 %"
    counted = {"conversions", "orders"} & set(out) and {"visitors", "clicks"} & set(out)
    if out and rate and not counted:
        out["conversion_rate"] = rate.value  # a volume at a rate: its conversions are computed
    done = slots.get("conversions")  # a count of trials or signups, not one to reach ("for 300")
    entry = done and _ENTRY.search(_words_near(u.text, done)) and not _for_goal(u, done)
    if entry and "conversion_rate" in out and not {"visitors", "clicks"} & set(out):
        out["visitors"] = out.pop("conversions")  # "3,000 trials a month, 9% convert to paid"
    if out and (costs := acquisition_costs(u)):
        out["spend"] = sum(s.value for s in costs)
    if not out and len(per := channel_metrics(u)) >= 2:  # the channels' total
        out = {
            m: sum(c[m] for c in per.values())
            for m in ADDITIVE
            if all(m in c for c in per.values())
        }
    if "conversions" in slots and _LEADS.search(_words_near(u.text, slots["conversions"])):
        return out or None  # "leads 1 240 … CA 412 k€": leads are no orders, no basket
    return aliased(out) or None


# the people a conversion rate converts, counted before they pay: trials, signups, free users
_ENTRY = re.compile(
    r"(?<![a-z])(?:trials?|essais?|sign-?ups?|inscri\w*|free users|utilisateurs gratuits|"
    r"comptes gratuits|free accounts)(?![a-z])"
)


def _for_goal(u: Understanding, s: Slot) -> bool:
    """Whether ``s`` is a count to reach: a goal (pipeline.is_goal), or one right after 'for' /
    'pour' ("how many clicks for 300 signups")."""
    return is_goal(u, s) or bool(re.search(r"(?<![a-z])(?:for|pour)\s*$", u.text[: s.start]))


_LEADS = re.compile(
    r"(?<![a-z])(?:leads?|mqls?|sqls?|inscri\w*|sign-?ups?|trials?|essais|demos?|demandes?|"
    r"contacts?|formulaires?|forms?|downloads?|telechargements?)(?![a-z])"
)


def _words_near(text: str, slot: Slot) -> str:
    """The words of ``slot``'s clause right before and after it (20 characters each side)."""
    before = re.split(r"[,;.!?(]", text[max(0, slot.start - 20) : slot.start])[-1]
    return before + " " + re.split(r"[,;.!?)]", text[slot.end : slot.end + 20])[0]


_CAC = re.compile(r"(?<![a-z])(cac|customer acquisition cost|cout d'acquisition client)(?![a-z])")
_ROI = re.compile(
    r"(?<![a-z])(roi|retour sur investissement|return on investment|rentab\w*|profitab\w*|"
    r"worth it|vaut le coup|valait le coup)(?![a-z])"
)


def acquisition_costs(u: Understanding) -> list[Slot]:
    """The costs a CAC or an ROI adds up ("can u calc our CAC? marketing spend $184k, sales team
    cost $96k", "quel est le ROI de notre salon ? stand 18 000 €, déplacements 6 500 €"): the
    spends of one message, two or more, when it asks for a CAC, else its amounts no channel or
    version holds when it asks for a CAC or an ROI; [] otherwise."""
    spends = u.all("spend")
    if not spends and _ROI.search(u.text):
        spends = [s for s in u.all("amount") if s.unit == "€"]
    elif not _CAC.search(u.text):
        return []
    elif spends:  # "42 000 € de pub, 8 000 € d'outils, 2 commerciaux à 4 500 €": every cost
        amounts = [s for s in u.all("amount", any_arm=True) if s.arm in (None, "*")]
        spends = sorted(spends + [_per_head(u, s) for s in amounts], key=lambda s: s.start)
    costs = [s for s in spends if s.message == spends[0].message] if spends else []
    return costs if len(costs) >= 2 else []


# "2 commerciaux à 4 500 €", "3 SDRs at $6k each": a headcount at a cost each
_AT_EACH = re.compile(r"\s+(?:[a-z'-]+\s+){1,2}(?:a|at|@|de|of)\s*$")


def headcount(u: Understanding, amount: Slot) -> Slot | None:
    """The count of people written right before ``amount`` that it is the cost of each ("2
    commerciaux à 4 500 € par mois", "3 SDRs at $6k each"), or None."""
    return next(
        (
            s
            for s in u.slots
            if s.type == "count"
            and s.end < amount.start
            and _AT_EACH.fullmatch(u.text[s.end : amount.start])
        ),
        None,
    )


def _per_head(u: Understanding, amount: Slot) -> Slot:
    """``amount`` times its :func:`headcount` (9 000 € for "2 commerciaux à 4 500 €"), as a slot
    of its own; ``amount`` itself without one."""
    head = headcount(u, amount)
    return amount.model_copy(update={"value": amount.value * head.value}) if head else amount


# what a channel's spend bought, by the name the user gives it ("google brought 310 customers")
CONVERTED = ("conversions", "customers", "leads", "signups", "orders")
ADDITIVE = (
    "spend",
    "revenue",
    "conversions",
    "orders",
    "clicks",
    "impressions",
    "visitors",
    "customers",
    "leads",
    "signups",
)


def channel_metrics(u: Understanding) -> dict[str, dict[str, float]]:
    """KPI inputs given channel by channel ("Google 12 400 € dépensés pour 61 200 € de CA et 820
    ventes, Meta 9 800 € …"; a rate on a channel's clicks gives its conversions), with
    an LTV, margin or basket given once for all of them (SHARED_BY_CHANNELS): {channel: {measure:
    value}} for the channels with two or more."""
    out: dict[str, dict[str, float]] = {}
    for s in u.slots:
        if s.channel and not s.arm and s.type in KPI_METRICS and isinstance(s.value, float):
            out.setdefault(s.channel, {}).setdefault(s.type, s.value)
    for mix in channel_rates(u):  # "facebook 1.4% conversion on 38k clicks": 532 conversions
        if mix.base == "clicks":  # on sessions, the site's conversion: a CRO audit's
            out.setdefault(mix.channel, {}).setdefault("conversions", round(mix.conversions))
    if len(out) >= 2:  # "CAC par canal : Google 85 €, … LTV moyenne 900 €": one LTV for them all
        for s in u.slots:
            if s.type in SHARED_BY_CHANNELS and not s.channel and not s.arm:
                for metrics in out.values():
                    metrics.setdefault(s.type, float(s.value))
    return {c: aliased(m) for c, m in out.items() if len(m) >= 2}


SHARED_BY_CHANNELS = ("ltv", "gross_margin", "aov")  # given once, true of every channel


_TARGET_CUE = re.compile(
    r"^\s*(?:[^\W\d_]+\s+){0,3}[(\[,]?\s*(?:target|objectif|obj|cible|goal|vise|budgete)"
    r"(?:\s+(?:etait|was|is|est|de|of|at|a))?\s*[:=]?\s*$"
)  # "(target 1,100)", "MQL (objectif 900)", "CA 162k€, objectif était 150k€"


def stated_targets(u: Understanding) -> dict[str, tuple[Slot, Slot]]:
    """{measure: (the figure, its target)} for KPI inputs given with their target right after
    them ("MQLs 1,240 (target 1,100)", "SQL 310 (objectif 350)")."""
    numbers = [
        s for s in u.slots if isinstance(s.value, (int, float)) and not isinstance(s.value, bool)
    ]
    out = {}
    for figure, after in zip(numbers, numbers[1:]):
        between, tail = u.text[figure.end : after.start], u.text[after.end : after.end + 10]
        behind = _VERSUS.fullmatch(between) and _TARGET_AFTER.match(
            tail
        )  # "31,200 vs 33,000 target"
        if figure.type in TARGETED and (_TARGET_CUE.match(between) or behind):
            out[figure.type] = (figure, after)
    return out


TARGETED = KPI_METRICS + ("roas", "conversion_rate", "ctr", "open_rate")
_VERSUS = re.compile(r"\s*(?:vs\.?|versus|contre|against|for a|pour un)\s*")
_TARGET_AFTER = re.compile(r"\s*(?:target|objectif|obj|cible|goal|budgete)(?![a-z])")


def period_metrics(u: Understanding) -> tuple[dict[str, float], dict[str, float]] | None:
    """(this period's KPI inputs, the previous period's) of a period comparison
    (:func:`period_pairs`), as :func:`metrics` reads them; None when the request compares none."""
    pairs = period_pairs(u)
    if pairs is None:
        return _moves(u)
    now, before = ({m: s.value for m, s in side.items()} for side in pairs)
    for side in (now, before):  # a past period's budget is what it spent
        if "budget" in side and "spend" not in side:
            side["spend"] = side.pop("budget")
    if "conversions" in pairs[0] and _LEADS.search(_words_near(u.text, pairs[0]["conversions"])):
        return now, before  # "leads 1,480 (sept 1,390), revenue €186k": leads are no orders
    return aliased(now), aliased(before)


def basket_and_rate_moved(u: Understanding) -> bool:
    """Whether ``u`` says a conversion rate and an average basket both moved ("conversion from
    3.4% to 2.6% but AOV from $58 to $71"): their product, the revenue per visitor, settles it."""
    return {"conversion_rate", "aov"} <= {c.measure for c in _stated_moves(u)}


_VERSUS_WORD = re.compile(r"(?<![a-z])(vs\.?|versus|contre|against)(?![a-z])")


def _stated_moves(u: Understanding) -> list:
    """The before → after moves ``u`` states of its figures (graph.understanding.changes)."""
    return changes(u.text, [s for s in u.slots if isinstance(s.value, float)], {})


def _moves(u: Understanding) -> tuple[dict[str, float], dict[str, float]] | None:
    """(after, before) of the KPI inputs the request says moved ("orders went from 1,100 to
    1,650, AOV dropped from $82 to $71": graph.understanding.changes), as a period comparison,
    the figures that did not move on both sides ("CPC Google passé de 1,20 € à 1,85 €": that one
    figure against its past value); None when nothing moved."""
    moved = [  # from → to, not "X vs Y target" (stated_targets) nor "X vs Y" (period_pairs),
        # but "0,9 % ce mois-ci contre 1,4 %": a move said with its period
        c
        for c in _stated_moves(u)
        if c.measure in PERIOD_MEASURES
        and (not _VERSUS_WORD.search(c.evidence) or NOW_SAID.search(c.evidence))
    ]
    # the figures that did not move hold for both ("5 200 abonnés à 39 €" beside a churn move)
    held = {t: s.value for t, s in metric_slots(u).items() if t not in {c.measure for c in moved}}
    rate = u.first("conversion_rate") or _single_channel(u, "conversion_rate", set())
    if rate and "conversion_rate" not in {c.measure for c in moved}:
        held["conversion_rate"] = rate.value  # "CPC from $1.80 to $2.60, conversion rate 4%"
    if not moved:
        return None
    after = held | {c.measure: c.after for c in moved}
    before = held | {c.measure: c.before for c in moved} | _versus_previous(u, held)
    raised = price_move(u.text, u.slots)
    for price in ("arpu", "aov"):  # "since we raised prices by 15%": the price held was lower
        if raised is not None and price in held:
            before[price] = held[price] / (1 + raised / 100)
    return aliased(after), aliased(before)


def _versus_previous(u: Understanding, held: dict[str, float]) -> dict[str, float]:
    """{measure: the previous period's value} of a ``held`` figure written twice, this period's
    then the previous one's ("620 responses this quarter vs 580 last quarter")."""
    out = {}
    for measure in held:
        both = u.all(measure)
        if (
            len(both) == 2
            and _VERSUS_WORD.search(u.text[both[0].end : both[1].start])
            and PAST_PERIOD_WORDS.search(u.text[both[1].end : both[1].end + 30])
        ):
            out[measure] = float(both[1].value)
    return out


# "sans augmenter le budget", "on the same budget": the money stays as it is
_SAME_BUDGET = re.compile(
    r"(?<![a-z])(?:sans (?:augmenter|toucher a|rajouter a|changer) (?:le |au |du |notre )?budget|"
    r"a budget (?:constant|egal|identique)|(?:avec le |au )?meme budget|"
    r"(?:the |on the |at the )?same budget|flat budget|"
    r"without (?:increasing|raising|adding to|changing) (?:the |our )?budget|"
    r"no (?:extra|more|additional) budget|sans budget supplementaire)(?![a-z])"
)


def volume_wanted(u: Understanding) -> tuple[Slot, Slot] | None:
    """(today's conversions, the conversions wanted) when a message asks for more at the same
    budget ("on fait 300 leads/mois … le boss veut 450 leads sans augmenter le budget"); None
    otherwise."""
    counts = [s for s in u.slots if s.type == "conversions" and s.arm is None]
    if not _SAME_BUDGET.search(u.text) or len(counts) != 2:
        return None
    return (counts[0], counts[1]) if counts[1].value > counts[0].value else None


def source_rates(u: Understanding) -> list[Slot]:
    """The conversion rate of each of three sources or more that have only that figure ("MQL to
    SQL rate by source: webinar 34%, ebook 9%, demo request 71%"), best first; [] otherwise."""
    held = [s for s in u.slots if s.channel and isinstance(s.value, float)]
    rates = [s for s in held if s.type == "conversion_rate" and s.unit == "%"]
    if len(rates) < 3 or len(rates) != len(held) or len({s.channel for s in rates}) != len(rates):
        return []
    return sorted(rates, key=lambda s: -float(s.value))


def aliased(out: dict[str, float]) -> dict[str, float]:
    """``out`` with orders standing for conversions, or conversions for orders beside revenue."""
    if "orders" in out:
        out.setdefault("conversions", out["orders"])
    elif "conversions" in out and "revenue" in out:
        out["orders"] = out["conversions"]
    return out


def _arm(label: str, slots: list[Slot], shared: dict[str, Any]) -> tuple[str, dict]:
    """One arm's figures, and which readout they serve: 'means' (mean, sd, n), 'arms' (visitors,
    conversions; a rate and visitors give conversions), 'revenue' (visitors and revenue, or
    revenue per visitor), or '' when incomplete. ``shared``: figures given for every arm ('15k visiteurs chacun')."""

    def get(*types: str) -> float | None:
        return next((s.value for t in types for s in slots if s.type == t), None)

    sd, mean = get("sd") or shared.get("sd"), get("mean", "aov", "rpv", "amount")
    n = (
        get("orders", "visitors", "conversions", "count")
        or shared.get("visitors")
        or shared.get("orders")
    )
    if sd is not None and mean is None and n and (revenue := get("revenue")) is not None:
        if get("conversions", "orders") is None:
            # "control 20,000 visitors $96,000 … std dev per user $38": revenue per visitor
            return "means", {"label": label, "mean": revenue / n, "sd": sd, "n": int(n)} | {
                "revenue": revenue
            }
    if sd is not None and mean is not None and n:
        return "means", {"label": label, "mean": mean, "sd": sd, "n": int(n)}
    visitors = (
        get("visitors", "list_size")
        or (get("impressions") if get("clicks") is not None else None)  # a CTR test
        # a pop-up or banner seen "18,000 views" with its "540 signups": who saw the version
        or (get("impressions", "pageviews") if get("conversions") is not None else None)
        or shared.get("visitors")
        or shared.get("list_size")
        or shared.get("count")
        or (shared.get("impressions") if get("clicks") is not None else None)  # "12k chacun"
    )
    conversions = get("conversions", "orders", "clicks")
    rate = get("conversion_rate", "rate", "open_rate", "ctr")
    if visitors is None and rate is not None:
        visitors = get("count")  # "A 18,2 % d'ouverture sur 12 000 envois"
    elif conversions is None:
        conversions = get("count")
    elif visitors is None and (sent := get("count")) and sent >= conversions:
        visitors = sent  # "A sent to 12,000, 2,520 opens"
    if conversions is None and rate is not None and visitors:
        conversions = round(visitors * rate / 100)
    if get("visitors") is None and visitors and conversions and conversions > visitors:
        # "29 €/mois → 2 140 essais, 412 abonnés": who subscribed among the trials
        visitors, conversions = conversions, get("list_size")
    if visitors and conversions is not None and conversions <= visitors:
        return "arms", {"label": label, "visitors": int(visitors), "conversions": int(conversions)}
    revenue = get("revenue")
    if revenue is None and (rpv := get("rpv")) is not None and visitors:
        revenue = rpv * visitors  # "revenu par visiteur A 2,10 €, 40k visiteurs chacun"
    if visitors and conversions is None and revenue is not None:
        return "revenue", {"label": label, "visitors": int(visitors), "revenue": float(revenue)}
    return "", {}


_PRICE_WORDS = re.compile(r"(?<![a-z])(prix|prices?|pricing|tarif\w*|abonnements?)(?![a-z])")


def _priced(u: Understanding, arms: list[dict]) -> list[dict] | None:
    """A pricing test: each arm's price written before its conversions ("old price $29 → 4,120
    trials / 118,000 visitors, new price $35 → 3,890 / 117,400"). Each visitor pays the price or
    nothing, so revenue per visitor has mean price × q and standard deviation price × √(q(1 − q))
    (q = conversions / visitors): [{'label', 'mean', 'sd', 'n', 'price', 'conversions'}] for
    Welch's t-test;
    None unless the message names a price and gives one amount before each arm, or names each
    arm by its price (graph.understanding.priced_arms)."""
    if not _PRICE_WORDS.search(u.text):
        return None
    # "test de prix sur l'abonnement : 19 €/mois": a plan's price is the price tested
    named = {s.arm: s for s in u.slots if s.type in ("amount", "arpu") and s.arm and s.currency}
    amounts = [s for s in u.slots if s.type in ("amount", "arpu") and not s.arm and s.currency]
    if all(arm["label"] in named for arm in arms):  # "29 € vs 35 € … 126 à 29 €, 109 à 35 €"
        amounts = [named[arm["label"]] for arm in arms]
    elif len(amounts) != len(arms):
        return None
    out = []
    for amount, arm in zip(amounts, arms):
        first = min(s.start for s in u.slots if s.arm == arm["label"])
        if amount.start > first:
            return None
        q = arm["conversions"] / arm["visitors"]
        sd = amount.value * (q * (1 - q)) ** 0.5
        out.append(
            {"label": arm["label"], "mean": amount.value * q, "sd": sd, "n": arm["visitors"]}
            | {"price": amount.value, "conversions": arm["conversions"]}
        )
    return out


def holdout_split(u: Understanding) -> tuple[Slot, Slot] | None:
    """(the users in total, the holdout's share of them, %) of a holdout test that gives them
    with no arm ("10% of users got no emails … 200k users in total"); None unless both are
    there and the share is under 50 %."""
    total = next((s for s in u.slots if s.type == "visitors" and s.arm is None), None)
    share = next(  # the holdout's: the smaller group ("90% got emails … the 10% holdout")
        (s for s in u.slots if s.type == "traffic_share" and s.arm is None and 0 < s.value < 50),
        None,
    )
    if total is None or share is None:
        return None
    return total, share


def _holdout_visitors(u: Understanding, labels: list[str]) -> dict[str, dict[str, float]]:
    """{arm: {'visitors': n}} of a holdout test whose users are given in total with the
    holdout's share (:func:`holdout_split`: A, the holdout, 20,000 of 200,000 at 10 %; B
    180,000); {} unless two arms."""
    split = holdout_split(u)
    if len(labels) != 2 or split is None:
        return {}
    total, share = float(split[0].value), float(split[1].value)
    held = total * share / 100
    return {labels[0]: {"visitors": held}, labels[1]: {"visitors": total - held}}


def _closing_sd(u: Understanding) -> dict[str, float]:
    """{'sd': value} when one standard deviation closes the arms' figures ("…, variant 19,800
    visitors $101,000, std dev per user about $38"): said once after every arm, it is every arm's;
    else {}."""
    armed = sorted((s for s in u.slots if s.arm not in (None, "*")), key=lambda s: s.start)
    sds = [s for s in armed if s.type == "sd"]
    return {"sd": sds[0].value} if len(sds) == 1 and armed[-1] is sds[0] else {}


def ab_results(u: Understanding) -> dict | None:
    """Visitors and conversions of each arm, control (A) first: {'visitors_a', 'conversions_a',
    'visitors_b', 'conversions_b'} (ints), plus 'arms' [{'label', 'visitors', 'conversions'}]
    with three arms or more; for a continuous metric (each arm with a mean and a standard
    deviation) {'means': [{'label', 'mean', 'sd', 'n'}]}; for revenue and visitors alone (no
    conversions, no deviation) {'revenue': [{'label', 'visitors', 'revenue'}]}. A rate and visitors give conversions
    (rounded); '15k visiteurs chacun' gives every arm its visitors. None unless two arms are
    complete, or when the two "arms" are a report's two periods (:func:`period_pairs`)."""
    labels = u.arms()
    if len(labels) < 2 or period_pairs(u) is not None:
        return None
    shared = {s.type: s.value for s in u.slots if s.arm == "*"} | _closing_sd(u)
    split = _holdout_visitors(u, labels)
    means: list[dict] = []
    arms: list[dict] = []
    revenues: list[dict] = []
    for label in labels:
        kind, arm = _arm(
            label, [s for s in u.slots if s.arm == label], shared | split.get(label, {})
        )
        {"means": means, "arms": arms, "revenue": revenues}.get(kind, []).append(arm)
    if len(means) >= 2:
        return {"means": means[:2]}
    if len(revenues) >= 2 and len(arms) < 2 and revenues[0]["label"] == "A":
        return {"revenue": revenues[:2]}
    if len(arms) < 2 or arms[0]["label"] != "A":
        return None
    if len(arms) == 2 and (priced := _priced(u, arms)):
        return {"means": priced}
    result: dict = {}
    for arm in arms[:2]:
        key = "a" if arm is arms[0] else "b"
        result[f"visitors_{key}"], result[f"conversions_{key}"] = (
            arm["visitors"],
            arm["conversions"],
        )
    if len(arms) > 2:
        result["arms"] = arms
    return result
