"""Builders of the performance orchestrator's specialists (seeds/performance-orchestrator.md):
conversion-optimization, funnel-optimization, personalization, experimentation.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

import re

from graph.calculators import abtest
from graph.deliverables import builder, funnel_values, signed, stated_changes
from graph.deliverables.analytics import what_if_line
from graph.document import Alert
from graph.experiments import experiment_data, title
from graph.formatting import bullets, money, num, pct, table
from graph.i18n import t
from graph.text import fold
from graph.understanding import Slot, Understanding
from graph.understanding.binding import MIN_TEST_DAYS, fell_to
from graph.understanding.describe import label, show
from graph.understanding.design import HOLDOUT, design_spans, requested_design
from graph.understanding.devices import DeviceGap, device_gap
from graph.understanding.structures import (
    LOSS_WORDS,
    ChannelRate,
    channel_rates,
    growth_said,
    mix_totals,
    segment_rates,
    weighted_rate,
)


@builder("conversion-optimization")
def conversion_optimization(inputs, lang, request):
    if checked := _checks_first(inputs, request, lang):
        return checked
    traffic, rate, aov = inputs["monthly_traffic"], inputs["conversion_rate"], inputs.get("aov")
    stated = request.value("target_rate")
    asked = stated or _uplifted(request, rate)  # the user's goal
    target = asked if asked and asked > rate else rate * 1.2  # else +20 %
    by_channel = channel_rates(request)
    kind = "channel" if by_channel else "segment"
    gap = device_gap(request)  # devices with their own volumes are priced by the gap, no mix
    by_channel = by_channel or ([] if gap and gap.volume else segment_rates(request))
    if by_channel:  # "SEO 2,8 % (41 000 sessions), SEA 3,9 % (22 000)…": the mix as a whole
        traffic, _, rate = mix_totals(by_channel)
        target = asked if asked and asked > rate else rate * 1.2
    gap = None if by_channel else gap
    if gap is not None:  # "41% on mobile vs 58% on desktop": the gap is the potential
        rate, target = gap.weak_rate, _weak_target(gap, stated)
        traffic = gap.volume or traffic  # "60 000 sessions mobiles et 25 000 desktop": in all
    # the weaker device's part of the traffic moves, else all of it
    extra = traffic * (gap.weak_share / 100 if gap else 1.0) * (target - rate) / 100
    grows = growth_said(request) if gap is None and not asked else None
    if grows:  # "if we grow organic 25%": more visits at the same rate, not a better rate
        target, extra = rate, traffic * float(grows.value) / 100 * rate / 100
    if fell := (None if gap or by_channel or grows else _fell(request)):
        rate, target = fell.after, fell.before  # a rate that fell: back to where it was
        extra = traffic * (target - rate) / 100
    potential = (
        t(lang, "conversion-optimization.eur_month", eur=money(extra * aov, lang, request.currency))
        if aov
        else t(lang, "conversion-optimization.extra_conversions_month", extra=num(extra, lang))
    )
    if aov and request.first("yearly_traffic"):  # asked per year: the year's potential too
        year = "+" + money(extra * aov * 12, lang, request.currency)
        potential = t(lang, "conversion-optimization.a_year", month=potential, year=year)
    tests = _cro_tests(lang)
    values = {
        "site": t(lang, "conversion-optimization.site"),
        "monthly_traffic": _visitors(traffic, lang),
        "conversion_rate": pct(rate, lang, 2),
        "target_rate": pct(target, lang, 2),
        "revenue_potential": potential,
        "audit": _channel_audit(by_channel, lang, kind, request.first("aov"))
        if by_channel
        else _fell_audit(fell, potential, lang)
        if fell
        else _audit(gap, grows, traffic, rate, extra, potential, lang, target),
        "tests": tests,
        "_used": _cro_used(by_channel, gap, grows),
        "method": t(
            lang,
            f"conversion-optimization.{_method(by_channel, grows, gap, target, asked)}",
            aov=t(lang, "conversion-optimization.method_aov") if aov else "",
        ),
    }
    return values, {"planned_test": True}  # a potential priced: no revenue moved yet


def _cro_used(by_channel, gap, grows) -> list[Slot]:
    """The slots a CRO strategy used beyond its inputs: each channel's or segment's figures, the
    device gap's, or the traffic growth's."""
    if by_channel:
        return [s for c in by_channel for s in c.slots]
    return gap.slots if gap else [grows] if grows else []


def _fell(request):
    """The conversion rate's stated fall to under 80 % of what it was ("dropped from 3.1% to 1.2%
    after the last deploy": binding.fell_to): the Change (before, after, in %), or None."""
    return next(
        (
            c
            for c in stated_changes(request)
            if c.measure == "conversion_rate" and fell_to(c.before, c.after)
        ),
        None,
    )


def _fell_audit(fell, potential: str | None, lang: str) -> str:
    """What to check, in order, when the conversion rate fell by a fifth or more (``fell``: its
    Change): the measurement, the conversion path on each device, the last change deployed,
    then where the fall is; with what getting the rate back is worth (``potential``), or what
    would price it when the monthly traffic is not given (None)."""
    before = pct(fell.before, lang, 2)
    worth = (
        t(lang, "conversion-optimization.fell_worth", before=before, potential=potential)
        if potential
        else t(lang, "conversion-optimization.fell_unpriced", before=before)
    )
    return t(
        lang,
        "conversion-optimization.fell",
        before=before,
        after=pct(fell.after, lang, 2),
        change=signed(pct((fell.after / fell.before - 1) * 100, lang)),
        worth=worth,
    )


def _bounced(inputs: dict, lang: str) -> tuple[dict, dict]:
    """The CRO strategy for a page that bounces more on one device ("bounce rate is 71% on
    mobile vs 42% on desktop"): what to check in order on the worse device, and what would put a
    value on closing the gap (the values and facts a builder returns)."""
    gap, unknown = inputs["bounce_gap"], t(lang, "conversion-optimization.not_given")
    traffic, rate = inputs.get("monthly_traffic"), inputs.get("conversion_rate")
    shown = {k: pct(gap[k], lang, 0) for k in ("worse_rate", "better_rate")}
    if rate in (gap["worse_rate"], gap["better_rate"]):
        rate = None  # "taux de rebond … 68 %": a bounce rate, not the conversion rate
    audit = t(
        lang,
        "conversion-optimization.bounced",
        worse=gap["worse"],
        better=gap["better"],
        gap=num(gap["worse_rate"] - gap["better_rate"], lang),
        **shown,
    )
    overview = {
        "monthly_traffic": _visitors(traffic, lang) if traffic else unknown,
        "conversion_rate": pct(rate, lang, 2) if rate else unknown,
        "target_rate": unknown,
    }
    return _unpriced(audit, "method_bounced", overview, lang)


def _checks_first(inputs: dict, request: Understanding, lang: str) -> tuple[dict, dict] | None:
    """The CRO strategies that say what to check before anything is priced: a bounce rate that
    rose after a release, a conversion rate that fell or a device that bounces more (with no
    traffic given, or no volumes per device); None otherwise."""
    rose = inputs.get("bounce_rise")
    if rose and rose["after"] > rose["before"] and "bounce_gap" not in inputs:
        return _bounce_rose(rose, request, lang)  # "rebond de 38 % à 61 % depuis la refonte"
    if "monthly_traffic" not in inputs:  # a fall or a bounce gap stood for it: checks, unpriced
        fell = _fell(request)
        if fell:
            return _fell_unpriced(fell, lang)
        gap = None if "bounce_gap" in inputs else device_gap(request)  # the bounce is first
        return _device_shares(gap, request, lang) if gap else _bounced(inputs, lang)
    if "bounce_gap" in inputs and device_gap(request) is None:  # a device that bounces more
        return _bounced(inputs, lang)
    return None


def _weak_target(gap: DeviceGap, stated: float | None) -> float:
    """The weaker device's rate to reach (%): the rate ``stated`` for it when between the two
    ("si le mobile monte à 2 %"), else the stronger one's, and only the part of the way the
    message asks ("si le mobile rattrape la moitié de l'écart": ``gap.closed``)."""
    target = stated if stated and gap.weak_rate < stated < gap.strong_rate else gap.strong_rate
    return gap.weak_rate + (target - gap.weak_rate) * gap.closed


def _device_shares(gap: DeviceGap, request: Understanding, lang: str) -> tuple[dict, dict]:
    """The CRO strategy for two devices' conversion rates and the weaker one's share of the
    traffic, with no traffic given ("0,9 % sur mobile contre 2,4 % sur desktop, 70 % du trafic
    est mobile"): the weaker device's share of the conversions, the overall rate now (shares ×
    rates) and with the weaker device at the stronger one's rate (or the rate asked, or the
    part of the gap asked), the gain in % at equal traffic, and what a point on it is worth
    overall; the traffic prices it in conversions (values and facts)."""
    share = gap.weak_share / 100
    target = _weak_target(gap, request.value("target_rate"))
    blended = share * gap.weak_rate + (1 - share) * gap.strong_rate
    reached = share * target + (1 - share) * gap.strong_rate
    lift = "+" + pct(100 * (reached / blended - 1), lang, 0)
    shown = {"weak": gap.weak, "strong": gap.strong, "target": pct(target, lang, 1)}
    audit = t(
        lang,
        "conversion-optimization.device_shares",
        **shown,
        share=pct(gap.weak_share, lang, 0),
        weak_rate=pct(gap.weak_rate, lang, 1),
        strong_rate=pct(gap.strong_rate, lang, 1),
        conv_share=pct(100 * share * gap.weak_rate / blended, lang, 0),
        reach=t(
            lang,
            "conversion-optimization.reach_parity"
            if target == gap.strong_rate
            else "conversion-optimization.reach_target",
            **shown,
        ),
        blended=pct(blended, lang, 2),
        blended_target=pct(reached, lang, 2),
        lift=lift,
        per_point=num(share, lang, 2),
    )
    overview = {
        "monthly_traffic": t(lang, "conversion-optimization.not_given"),
        "conversion_rate": pct(blended, lang, 2),
        "target_rate": pct(reached, lang, 2),
    }
    values, facts = _unpriced(audit[:1].upper() + audit[1:], "method_device_shares", overview, lang)
    potential = t(lang, "conversion-optimization.lift_at_equal_traffic", lift=lift)
    return {**values, "revenue_potential": potential, "_used": gap.slots}, facts


def _bounce_rose(rose: dict, request: Understanding, lang: str) -> tuple[dict, dict]:
    """The CRO strategy for a bounce rate that rose after a release ("passé de 38 % à 61 % depuis
    la refonte, sur ~12 000 sessions"; ``rose``: {'before': %, 'after': %}): the visitors it loses
    on the sessions given (sessions × the rise), then what to check in order, with the A/B of the
    old against the new version instead of a decision on a before/after (values and facts)."""
    sessions = request.first("visitors", "sessions", "monthly_traffic", "count")
    points = rose["after"] - rose["before"]
    lost = (
        t(
            lang,
            "conversion-optimization.bounce_lost",
            sessions=num(sessions.value, lang),
            lost=num(sessions.value * points / 100, lang),
        )
        if sessions
        else ""
    )
    audit = t(
        lang,
        "conversion-optimization.bounce_rose",
        before=pct(rose["before"], lang, 0),
        after=pct(rose["after"], lang, 0),
        points=num(points, lang),
        lost=lost,
    )
    unknown = t(lang, "conversion-optimization.not_given")
    overview = {"monthly_traffic": unknown, "conversion_rate": unknown, "target_rate": unknown}
    values, facts = _unpriced(audit, "method_bounce", overview, lang)
    return {**values, "_used": [sessions] if sessions else []}, facts


def _fell_unpriced(fell, lang: str) -> tuple[dict, dict]:
    """The CRO strategy for a conversion rate that fell (``fell``: its Change, "passé de 2,8 % à
    1,9 % depuis lundi") with no monthly traffic given: what to check in order, the rate to get
    back, and what would price it (the values and facts a builder returns)."""
    overview = {
        "monthly_traffic": t(lang, "conversion-optimization.not_given"),
        "conversion_rate": pct(fell.after, lang, 2),
        "target_rate": pct(fell.before, lang, 2),
    }
    return _unpriced(_fell_audit(fell, None, lang), "method_fell", overview, lang)


def _unpriced(audit: str, method: str, overview: dict, lang: str) -> tuple[dict, dict]:
    """A CRO strategy that says what to check before anything is priced: its ``audit``, its
    ``method`` (a label key), the ``overview`` fields as shown (monthly traffic, current and
    goal conversion), the revenue potential left to price and the priority tests."""
    values = {
        "site": t(lang, "conversion-optimization.site"),
        **overview,
        "revenue_potential": t(lang, "conversion-optimization.to_price"),
        "audit": audit,
        "tests": _cro_tests(lang),
        "method": t(lang, f"conversion-optimization.{method}"),
    }
    return values, {"planned_test": True}


def _visitors(traffic: float, lang: str) -> str:
    """A monthly traffic as the overview shows it: '45 000 visiteurs'."""
    return t(lang, "conversion-optimization.traffic_visitors", traffic=num(traffic, lang))


def _audit(gap, grows, traffic, rate, extra, potential, lang, target) -> str:
    """The initial audit: a device gap priced, a traffic growth priced at the current rate
    (traffic × growth × rate), else the conversions at the current rate."""
    if gap is not None:
        return _device_audit(gap, traffic, extra, potential, lang, target)
    if grows is not None:
        return t(
            lang,
            "conversion-optimization.traffic_growth",
            growth=pct(float(grows.value), lang, 0),
            visits=num(traffic * float(grows.value) / 100, lang),
            rate=pct(rate, lang, 1),
            extra=num(extra, lang),
            potential=potential,
        )
    return t(
        lang, "conversion-optimization.at_current_rate_num", num=num(traffic * rate / 100, lang)
    )


def _method(by_channel, grows, gap, target: float, asked: float | None) -> str:
    """The label key of the method the strategy's figures came from."""
    if by_channel:
        return "method_channels"
    if grows:
        return "method_traffic_growth"
    if gap:
        return "method_device_gap" if target == gap.strong_rate else "method_device_target"
    return "method_goal_given" if target == asked else "method"


def _channel_audit(
    by_channel: list[ChannelRate], lang: str, kind: str = "channel", aov: Slot | None = None
) -> list:
    """Each channel's (or segment's, ``kind`` 'segment') sessions, rate, conversions (sessions ×
    rate) and share of the conversions, then where a point of conversion is worth most (the one
    with the most sessions), the one that converts least against the average (a channel's
    traffic quality first, a segment's first-visit reassurance) and the one that converts best
    (what more of its traffic brings); with an average order value (``aov``), what that point
    is worth a month."""
    sessions, conversions, overall = mix_totals(by_channel)
    header = [t(lang, f"conversion-optimization.{k}") for k in (kind, *_MIX_COLUMNS)]
    rows = [
        [
            c.channel,
            num(c.sessions, lang),
            pct(c.rate, lang, 1),
            num(c.conversions, lang),
            pct(100 * c.conversions / conversions, lang, 1),
        ]
        for c in by_channel
    ]
    biggest = max(by_channel, key=lambda c: c.sessions)
    weakest, best = min(by_channel, key=lambda c: c.rate), max(by_channel, key=lambda c: c.rate)
    named = {c.channel: c.channel[:1].upper() + c.channel[1:] for c in by_channel}  # "Loyal …"
    line = t(
        lang,
        f"conversion-optimization.{kind}_mix",
        rate=pct(overall, lang, 2),
        conversions=num(conversions, lang),
        sessions=num(sessions, lang),
        biggest=biggest.channel,
        big_sessions=num(biggest.sessions, lang),
        point=num(biggest.sessions / 100, lang),
    )
    if aov is not None:  # "AOV €52": the point in money
        worth = money(biggest.sessions / 100 * float(aov.value), lang, aov.currency or "€")
        line += t(lang, "conversion-optimization.point_worth", aov=show(aov, lang), value=worth)
    if weakest is not biggest and weakest.rate < overall:
        line += " " + t(
            lang,
            f"conversion-optimization.{kind}_weakest",
            weakest=named[weakest.channel],
            rate=pct(weakest.rate, lang, 1),
            gap=num(overall - weakest.rate, lang, 1),
            sessions=num(weakest.sessions, lang),
        )
    line += " " + t(
        lang,
        f"conversion-optimization.{kind}_best",
        best=named[best.channel],
        rate=pct(best.rate, lang, 1),
        per_thousand=num(10 * best.rate, lang),
    )
    return [table(header, rows), line]


_MIX_COLUMNS = (
    "sessions",
    "rate",
    "conversions",
    "conversion_share",
)  # after the channel or segment


def _uplifted(request, rate: float) -> float | None:
    """The rate an uplift asked about reaches ("si on gagne +0,3 pt de conversion": the current
    ``rate`` + 0.3 pt; "+15 %": × 1.15; "passé de 2,1 % à 2,5 %": the rate reached), or None when
    the request asks none."""
    rates = [s.value for s in request.all("conversion_rate") if s.unit == "%"]
    if len(rates) == 2 and rates[0] == rate and rates[1] > rate:
        return rates[1]  # the rate a change reached: what it is worth
    points = [s for s in request.all("conversion_rate", "mde") if s.unit == "pt"]  # "+0.5pt"
    lift = request.first("change") or (points[0] if points else None)
    if lift is None or lift.value <= 0:
        return None
    return rate + lift.value if lift.unit == "pt" else rate * (1 + lift.value / 100)


def _cro_tests(lang: str):
    """The CRO roadmap's priority tests (seed performance, CRO): main CTA, short form, social
    proof, with their hypothesis and priority."""
    rows = [
        ("main_cta", "explicit_benefit_raises_clicks", "P1"),
        ("short_form", "fewer_fields_more_completions", "P1"),
        ("social_proof", "reviews_reassure_before_purchase", "P2"),
    ]
    return table(
        [t(lang, f"conversion-optimization.{k}") for k in ("test", "hypothesis", "priority")],
        [
            [t(lang, f"conversion-optimization.{a}"), t(lang, f"conversion-optimization.{b}"), p]
            for a, b, p in rows
        ],
    )


def _device_audit(
    gap: DeviceGap, traffic: float, extra: float, potential: str, lang: str, target: float
) -> str:
    """The gap between two devices priced: the weaker one's volume converting like the stronger
    one (volume × share × (strong rate − weak rate)), what the team leaves on the table; or,
    with a ``target`` rate (%) asked for the weaker one, what reaching it brings."""
    said = t(
        lang,
        "conversion-optimization.device_gap"
        if target == gap.strong_rate
        else "conversion-optimization.device_target",
        target=pct(target, lang, 1 if round(target, 1) == round(target, 2) else 2),
        parity=num(traffic * gap.weak_share / 100 * (gap.strong_rate - gap.weak_rate) / 100, lang),
        weak=gap.weak,
        strong=gap.strong,
        weak_rate=pct(gap.weak_rate, lang, 1),
        strong_rate=pct(gap.strong_rate, lang, 1),
        volume=num(traffic * gap.weak_share / 100, lang),
        extra=num(extra, lang),
        potential=potential,
    )
    return said[:1].upper() + said[1:]


@builder("funnel-optimization")
def funnel_optimization(inputs, lang, request):
    rows, leak, overall, values = funnel_values(inputs, lang)
    i = rows.index(leak)
    # Gain: the step converting the user's % better ("what if we improved it by 20%?"), else its
    # drop-off cut by 10 % relative; everything downstream converting as today.
    better = _improvement(request)
    if better is not None:
        new_conv = min(100.0, leak["conversion"] * (1 + better.value / 100))
        shown = pct(better.value, lang, 0)
        values["gain_label"] = t(
            lang, "funnel-optimization.gain_if_better", step=leak["label"], pct=shown
        )
        method = t(lang, "funnel-optimization.per_step_diagnostic_better", pct=shown)
    else:
        new_conv = 100 - leak["drop"] * 0.9
        values["gain_label"] = t(lang, "funnel-optimization.gain_if_drop")
        method = t(lang, "funnel-optimization.per_step_diagnostic_funnel")
    end_ratio = rows[-1]["count"] / leak["count"] if leak["count"] else 0
    gain = rows[i - 1]["count"] * (new_conv - leak["conversion"]) / 100 * end_ratio
    values["gain"] = t(lang, "funnel-optimization.gain_final_conversions", gain=num(gain, lang))
    if aov := request.first("aov"):  # "what's the revenue upside? AOV $95"
        worth = money(gain * aov.value, lang, request.currency)
        values["gain"] += t(lang, "funnel-optimization.gain_revenue", revenue=worth)
        values["_used"] = [aov]
    values["_used"] = values.get("_used", []) + ([better] if better is not None else [])
    # "if we improve cart to checkout by 8 points": another step than the leak, asked by name
    values["scenario"] = what_if_line(inputs["steps"], request, lang)
    values["actions"] = bullets(
        [
            t(lang, "funnel-optimization.find_why_session_recordings"),
            t(lang, "funnel-optimization.remove_friction_useless_fields"),
            t(lang, "funnel-optimization.reassurance_at_step_secure"),
        ]
    )
    values["method"] = method
    return values, {}


def _improvement(request: Understanding):
    """The improvement of a step the user asks about ("if we improved it by 20%"): a percentage
    of no channel or arm, 1-100, not the loss the message states ("perd 68 % des gens"), else
    None."""
    return next(
        (
            s
            for s in request.all("rate", "mde", "change")
            if s.unit == "%"
            and 0 < s.value <= 100
            and not _LOST.search(request.text[max(0, s.start - 25) : s.start])
        ),
        None,
    )


_LOST = re.compile(rf"(?<![a-z])(?:{LOSS_WORDS})(?![a-z])")


@builder("personalization")
def personalization(inputs, lang, request):
    segments = [
        s.strip()
        for s in str(inputs["segments"]).replace(" et ", ",").replace(" and ", ",").split(",")
        if s.strip()
    ]
    mix = segment_rates(request)  # "nouveaux visiteurs 60 % du trafic, conversion 1,0 % ; …"
    segments = [c.channel for c in mix] if len(mix) > len(segments) else segments
    sizes, used = _segment_sizes(request, segments, lang)
    rows = [
        [f"{s} ({sizes[s]})" if s in sizes else s, *segment_experience(s, lang)] for s in segments
    ]
    values = {
        "segments": ", ".join(segments),
        "experience_count": str(len(segments)),
        "experiences": table(["Segment", t(lang, "personalization.experience"), "KPI"], rows),
        "method": t(lang, "personalization.one_segment_one_experience"),
    }
    # segments measured on their own sessions: no one monthly traffic to split in equal parts
    own = bool(mix) and mix[0].share_slot is None
    reach, traffic = ("", []) if own else _holdout_reach(request, len(segments), lang)
    weighed, rates = _segment_weights(request, segments, lang)
    if mix and not weighed:  # each segment's share and rate, on the traffic given
        basket = request.first("aov")
        weighed = _channel_audit(mix, lang, "segment", basket)
        rates = [s for c in mix for s in c.slots] + ([basket] if basket else [])
    raised = _segment_raised(request, lang)  # "si on remonte les nouveaux à 1,5 % ?"
    if weighed or raised:
        values["experiences"] = [*weighed, *raised[:1], values["experiences"]]
    values.update(holdout_reach=reach, _used=used + traffic + rates + [*raised[1:2]])
    return values, {}


# what a segment is, from its name: the experience and the KPI of each kind in the catalogue
# (personalization.kinds.<kind>); the first that matches, in this order ("clients B2B inactifs"
# are inactive first, "nouveaux clients" new)
_SEGMENT_KINDS = (
    ("cart", r"panier|cart|abandon\w*"),
    ("inactive", r"inacti\w*|dormant\w*|lapsed|churn\w*|perdus?|win-?back|endormi\w*"),
    ("vip", r"vip|premium|high[- ]value|gros clients|top clients|meilleurs clients|best customers"),
    ("b2b", r"b2b|entreprises?|business|pros?|professionnel\w*|leads?|compan\w*|decideurs?"),
    ("mobile", r"mobiles?|smartphones?|app"),
    (
        "paid",
        r"ads|sea|trafic payant|paid traffic|paid social|paid search|campagnes?|campaigns?|utm",
    ),
    (
        "new",
        r"nouveaux?|nouvelles?|new|first[- ]time|premiere visite|prospects?|inconnus?|anonym\w*",
    ),
    (
        "returning",
        r"recurrent\w*|returning|repeat|fideles?|loyal\w*|existing|existants?|deja clients?|"
        r"clients? actuels?|current customers?|acheteurs?|buyers?|customers?|clients?",
    ),
)


def segment_experience(segment: str, lang: str) -> tuple[str, str]:
    """(experience, KPI) for a segment named ``segment`` ("nouveaux visiteurs", "B2B leads"): those
    of its kind (:data:`_SEGMENT_KINDS`: cart abandoners, inactive, VIP, B2B, mobile, paid traffic,
    new visitors, returning customers), else a message and offer tailored to it, measured on its
    conversion rate."""
    folded = fold(segment)
    for kind, cue in _SEGMENT_KINDS:
        if re.search(rf"(?<![a-z])(?:{cue})(?![a-z])", folded):
            return (
                t(lang, f"personalization.kinds.{kind}.experience"),
                t(lang, f"personalization.kinds.{kind}.kpi"),
            )
    return (
        t(lang, "personalization.message_offer_tailored_segment"),
        t(lang, "personalization.segment_conversion_rate"),
    )


_OF_TRAFFIC = re.compile(
    r"(?:[^.;!?]|\.\d){0,30}?(?:trafic|traffic|sessions|visits|visites|visitors|visiteurs)"
)
_COMMON = set(
    "les des the our nos visiteurs visitors visites visits convertissent convert converts "
    "conversion what est sont are and with avec pour for".split()
)


def _segment_raised(request: Understanding, lang: str) -> tuple:
    """What raising one segment's conversion rate to a target adds ("les nouveaux convertissent à
    1,1 %, les récurrents à 3,9 %, 70 % du trafic est nouveau, 120 000 visites/mois : si on
    remonte les nouveaux à 1,5 % ?"): the segment's visits (share × monthly traffic) × (target −
    its rate) more conversions a month, and with two segments the overall rate before and after
    (visit-weighted); the segment is the one whose rate's words the target's share. Returns (the
    sentence, the slots it used), or () unless the target, the share, the traffic and the
    segment's rate are all given."""
    target, traffic = request.first("target_rate"), request.first("monthly_traffic", "visitors")
    share = request.first("traffic_share") or next(
        (
            s
            for s in request.all("rate")
            if s.unit == "%" and _OF_TRAFFIC.match(request.text, s.end)
        ),
        None,
    )
    rates = [
        s
        for s in request.all("conversion_rate", "rate")
        if s.unit == "%" and s is not share and not s.arm
    ]
    if target is None or traffic is None or share is None or not rates:
        return ()
    near = _words_before(request.text, target.start)
    rate = next((r for r in rates if near & _words_before(request.text, r.start)), rates[0])
    volume = traffic.value * share.value / 100
    line = t(
        lang,
        "personalization.raised",
        rate=pct(rate.value, lang, 2),
        target=pct(target.value, lang, 2),
        share=pct(share.value, lang, 0),
        traffic=num(traffic.value, lang),
        volume=num(volume, lang),
        more=signed(num(volume * (target.value - rate.value) / 100, lang)),
    )
    if len(rates) == 2:  # the overall rate, each segment weighed by its visits
        other = next(r for r in rates if r is not rate)
        before = weighted_rate([(share.value, rate.value), (100 - share.value, other.value)])
        after = before + share.value * (target.value - rate.value) / 100
        shown = {"before": pct(before, lang, 2), "after": pct(after, lang, 2)}
        line += t(lang, "personalization.overall", **shown)
    return line, [target, traffic, share, *rates]


def _words_before(folded: str, at: int) -> set[str]:
    """The telling words of the clause before ``at`` (3 letters or more, common words left out)."""
    clause = re.split(r"[.;!?,]", folded[max(0, at - 40) : at])[-1]
    return {w[:6] for w in re.findall(r"[a-z]{3,}", clause) if w not in _COMMON}


def _segment_weights(request: Understanding, segments: list[str], lang: str) -> tuple[list, list]:
    """Which segment to personalise first, when each segment has a traffic share (in brackets
    after it) and a conversion rate (in the same order: "conversion is 1.2%, 3.5% and 8%
    respectively"): a table of share, rate and share of all conversions (share × rate / Σ), and
    the segment where the same relative lift adds the most conversions (the largest share of
    conversions), beside the one with the largest gap to the best rate × its traffic: [table,
    sentence], and the rate slots read; ([], []) unless every segment has both."""
    rates = [  # a bare rate counts too ("new at 1.3%"), not one in brackets (a share)
        s
        for s in request.slots
        if (s.type == "conversion_rate" or (s.type == "rate" and not _bracketed(request, s)))
        and not s.arm
        and isinstance(s.value, float)
    ]
    shares = _segment_shares(request, len(segments))
    paired = [inside[1:] for inside in _bracket_percents(request)]
    if len(rates) != len(segments) and len(paired) == len(segments) and all(paired):
        rates = [inside[-1] for inside in paired]  # "(60 % du trafic, conv 1,2 %), (25 %, 4,8 %)"
    if shares is None or len(rates) != len(segments):
        return [], []
    weight = [sh * r.value for sh, r in zip(shares, rates)]
    total = sum(weight) or 1.0
    best = max(r.value for r in rates)
    rows = [
        [name, pct(sh, lang, 0), pct(r.value, lang, 2), pct(w / total * 100, lang, 1)]
        for name, sh, r, w in zip(segments, shares, rates, weight)
    ]
    heads = [t(lang, f"personalization.{h}") for h in ("traffic", "rate", "conversions_share")]
    first = segments[weight.index(max(weight))]
    gaps = [sh * (best - r.value) for sh, r in zip(shares, rates)]
    line = t(
        lang,
        "personalization.first",
        first=first,
        share=pct(max(weight) / total * 100, lang, 1),
        gap=segments[gaps.index(max(gaps))],
    )
    lift = _one_point(segments, shares, rates, request, lang)
    return [table(["Segment", *heads], rows), line + lift], rates


def _bracketed(request: Understanding, slot) -> bool:
    """Whether ``slot`` is written inside brackets ("visiteurs mobiles (50 %)")."""
    before = request.text[: slot.start]
    return before.rfind("(") > before.rfind(")")


def _bracket_percents(request: Understanding) -> list[list]:
    """For each segment of the request, the % figures in the brackets right after it ("new
    visitors (55 %, conv 1,2 %)": [55 %, 1,2 %]; [] without brackets)."""
    out = []
    for seg in request.all("segment"):
        bracket = re.match(r"\s*\(([^)]*)\)", request.text[seg.end :])
        out.append(
            [
                s
                for s in request.slots
                if bracket and seg.end < s.start < seg.end + bracket.end() and s.unit == "%"
            ]
        )
    return out


_SPLIT = re.compile(r"(?<![\d.,/])\d{1,2}(?:\s*/\s*\d{1,2}){1,5}(?![\d/]|[.,]\d)")  # "60/30/10"


def _segment_shares(request: Understanding, k: int) -> list[float] | None:
    """Each of the ``k`` segments' share of the traffic (%), in their order: in brackets after
    each ("new visitors (55%)"), a split in their order ("split 60/30/10"), or, for two
    segments, one share said of one of them ("35% of traffic is returning") and the rest for
    the other; None otherwise."""
    segs = request.all("segment")
    found = [float(inside[0].value) if inside else None for inside in _bracket_percents(request)]
    if len(found) == k and all(x is not None for x in found):
        return [float(x) for x in found if x is not None]
    for split in _SPLIT.finditer(request.text):  # "100k monthly visits split 60/30/10"
        parts = [float(x) for x in re.split(r"\s*/\s*", split.group(0))]
        if len(parts) == k and abs(sum(parts) - 100) <= 1:
            return parts
    said = request.all("traffic_share")
    if k != 2 or len(segs) != 2 or len(said) != 1 or not 0 < said[0].value < 100:
        return None
    starts = [m.end() for m in re.finditer(r"[,;.!?\n]\s", request.text[: said[0].start])]
    end = re.search(r"[,;.!?\n](?:\s|$)", request.text[said[0].end :])
    clause = request.text[max(starts, default=0) : said[0].end + (end.start() if end else 0)]
    names = [set(w[:6] for w in fold(seg.value).split() if len(w) >= 3) for seg in segs]
    own = [names[0] - names[1], names[1] - names[0]]  # "visitors" names neither of two
    # word beginnings: "35 % du trafic est récurrent" names the "visiteurs récurrents"
    named = [i for i in (0, 1) if own[i] & {w[:6] for w in re.findall(r"[a-z]+", clause)}]
    if len(named) != 1:
        return None
    share = [0.0, 0.0]
    share[named[0]], share[1 - named[0]] = said[0].value, 100 - said[0].value
    return share


def _one_point(segments: list[str], shares: list[float], rates: list, request, lang: str) -> str:
    """The blended conversion rate (Σ share × rate) and what one point of conversion gained on
    the weakest segment adds to it (its traffic share, in points), with the conversions and
    revenue a month that makes when the monthly traffic (and the basket) are given."""
    blended = weighted_rate([(sh, r.value) for sh, r in zip(shares, rates)])
    weak = min(range(len(rates)), key=lambda i: rates[i].value)
    gain = shares[weak] / 100
    line = t(
        lang,
        "personalization.one_point",
        blended=pct(blended, lang, 2),
        segment=segments[weak],
        gain=num(gain, lang, 2),
        relative=signed(pct(gain / blended * 100, lang, 1)) if blended else "—",
    )
    traffic, aov = request.first("monthly_traffic"), request.first("aov")
    if traffic:
        extra = traffic.value * gain / 100
        line += " " + t(lang, "personalization.one_point_month", conversions=num(extra, lang))
        line += f" ({money(extra * aov.value, lang, request.currency)})." if aov else "."
    return "\n" + line


HOLDOUT_SHARE = 0.15  # the middle of the seed's 10-20 % holdout


def _holdout_reach(request: Understanding, k: int, lang: str) -> tuple[str, list]:
    """What a 15 % holdout per segment detects in a month from the monthly visitors and the
    conversion rate given ("80k monthly visitors, CVR 2.2%"), the segments of equal size: the
    smallest rate the holdout tells apart (abtest.detectable_rate, statsmodels power 80 %, alpha
    5 %), with the slots it read; ('', []) without both figures."""
    visitors, rate = request.first("monthly_traffic", "visitors"), request.first("conversion_rate")
    if not (visitors and rate and k and 0 < rate.value < 100):
        return "", []
    holdout = visitors.value / k * HOLDOUT_SHARE
    if holdout < 2:
        return "", []
    detectable = abtest.detectable_rate(rate.value, int(holdout))
    line = "\n" + t(
        lang,
        "personalization.holdout_reach",
        visitors=num(visitors.value, lang),
        rate=pct(rate.value, lang),
        k=k,
        holdout=num(holdout, lang),
        detectable=pct(detectable, lang, 2),
        lift=signed(pct((detectable / rate.value - 1) * 100, lang, 0)),
    )
    return line, [visitors, rate]


def _segment_sizes(
    request: Understanding, segments: list[str], lang: str
) -> tuple[dict[str, str], list]:
    """({segment: its figures as given}, the slots read) for the segments given with figures in
    brackets right after them ("new visitors (55%)", "clients fidèles (12 000, panier 85 €)") or
    right after them in a bracketed list ("3 segments (nouveaux visiteurs 60 %, …)"): a
    share, with its visitors a month when the traffic is given; a bare count; a named figure with
    its name; for ``segments`` that are traffic sources, each source's share ("45 % SEO")."""
    traffic = request.first("monthly_traffic", "visitors")
    sizes, used = {}, []
    for seg in request.all("segment"):
        after = request.text[seg.end :]
        # "new visitors (55%)", or a figure right after the name inside a list's brackets
        # ("3 segments (nouveaux visiteurs 60 %, …)")
        bracket = re.match(r"\s*\(([^)]*)\)?", after) or re.match(r"\s*[~≈]?\d[^,;()]*", after)
        end = seg.end + (bracket.end() if bracket else 0)
        inside = [
            s
            for s in request.slots
            if seg.end < s.start < end and isinstance(s.value, float) and s not in used
        ]
        shown = [_segment_figure(s, traffic, lang, request.currency) for s in inside]
        if shown:
            sizes[seg.value] = ", ".join(shown)
            used += inside + ([traffic] if traffic and any(s.unit == "%" for s in inside) else [])
    if not sizes:  # segments that are traffic sources: each source's own share ("45 % SEO")
        for s in request.slots:
            if s.channel in segments and s.unit == "%" and s.channel not in sizes:
                sizes[s.channel] = _segment_figure(s, traffic, lang, request.currency)
                used.append(s)
    return sizes, used


def _segment_figure(slot, traffic, lang: str, cur: str) -> str:
    """One figure of a segment: its share (and visitors a month with the ``traffic`` slot), a bare
    count, or the figure with its name ("panier moyen 85 €")."""
    if slot.unit == "%":
        shown = pct(slot.value, lang, 0 if float(slot.value).is_integer() else 1)  # "3,1 %"
        if traffic and slot.type != "conversion_rate":
            visitors = num(traffic.value * slot.value / 100, lang)
            return t(lang, "personalization.share_visitors", share=shown, visitors=visitors)
        return shown
    if slot.generic:
        return num(slot.value, lang)
    return f"{label(slot.type, lang)} {show(slot, lang, cur)}"


_TOTAL_ARMS = re.compile(
    r"(\d+)\s*(?:arms|bras|versions|variantes|variants)\W{0,3}(?:au total|en tout|total|in total|in all)"
    r"|(?:au total|en tout|total|in all)\W{0,3}(\d+)\s*(?:arms|bras|versions)"
)
_PLUS_CONTROL = re.compile(
    r"(?:\+|plus|vs\.?|versus|contre|against|and|et|along with|en plus du?)\s*(?:the |le |la |l'|a |un |une |our |notre )?"
    r"(?:control|controle|temoin|original|actuel|actuelle|existante?|current|existing)(?![a-z])"
    r"|(?:au lieu d'une?|au lieu de (?:une?|1)|instead of (?:one|1|a single one))(?![a-z0-9])"
)  # "3 variantes au lieu d'une": three variants where the test had one, besides the control
# "control + 2 variants", "contrôle + 3": the variants besides the control
_CONTROL_PLUS = re.compile(
    r"(?:control|controle|contrôle|temoin|témoin)\s*(?:\+|plus|and|et|with|avec)\s*(\d)(?!\d)"
)


def _test_setup(request: Understanding) -> tuple[int, float]:
    """(versions including control, % of the page's traffic in the test) stated in the request:
    "4 arms total" or "4 bras" as said, "3 variantes + contrôle", "3 new headlines vs control",
    "3 variantes au lieu d'une" or "control + 3 variants" as 4, "2 nouvelles accroches contre
    l'actuelle (3 versions)" as 3, "A/B/C" as 3, "50 % du trafic"; (2, 100) when not said."""
    counts = [
        int(s.value)
        for s in request.all("variants", any_arm=True)
        if isinstance(s.value, (int, float))
    ]
    total, plus = _TOTAL_ARMS.search(request.text), _CONTROL_PLUS.search(request.text)
    if total:
        variants = int(total[1] or total[2])
    elif plus:  # "4 versions (control + 3)": the control and its variants
        variants = int(plus[1]) + 1
    elif counts and max(counts) - 1 in counts:  # "2 nouvelles accroches … (3 versions)": the total
        variants = max(counts)
    elif counts:
        variants = max(counts) + (1 if _PLUS_CONTROL.search(request.text) else 0)
    else:
        variants = 2
    if re.search(r"\ba/b/c/d\b", request.text):
        variants = max(variants, 4)
    elif re.search(r"\ba/b/c\b", request.text):
        variants = max(variants, 3)
    share = request.first("traffic_share")
    split = requested_design(request.text).get("control_share")
    if share is None or (split is not None and share.value in (split, 100 - split)):
        return max(variants, 2), 100.0  # "90/10 traffic split": the arms' shares, all in the test
    return max(variants, 2), float(share.value)


@builder("experimentation")
def experimentation(inputs, lang, request):
    """A test plan (seed experimentation.md): visitors per variant and days for the baseline rate,
    MDE and daily traffic (statsmodels power analysis, graph.calculators.abtest.sample_size),
    with the design the user asked (variants, traffic share, power, alpha, sides); without the
    daily traffic, the sample size and what the duration needs."""
    variants, share = _test_setup(request)
    mde = inputs.get("mde") or _detectable_mde(inputs, variants, share, request, lang)
    asked = abtest.SampleSizeInput(
        baseline_rate=inputs["baseline_rate"],
        mde=mde["value"],
        mde_unit=mde["unit"],
        daily_traffic=inputs.get("daily_traffic"),
        variants=variants,
        traffic_share=share,
        **requested_design(request.text),
    )
    result = abtest.sample_size(asked)
    if "n" in mde:  # solved for the days it may run: those days, not the next one rounding adds
        update = {"n_per_variant": mde["n"], "n_total": mde["n"] * variants}
        result = result.model_copy(update=update | {"duration_days": inputs["max_days"]})
    mde_text = (
        t(lang, "experimentation.num_point", num=num(mde["value"], lang, 2))
        if mde["unit"] == "pt"
        else t(lang, "experimentation.num_relative", num=num(mde["value"], lang, 1))
    )
    experiment = experiment_data(
        "plan",
        request,
        variants=variants,
        baseline=result.baseline_rate,
        mde=mde_text,
        planned_n=result.n_per_variant,
        planned_days=result.duration_days,
    )
    settings = design_spans(request.text)
    values = {
        "_used": [s for s in request.slots if any(a <= s.start < b for a, b in settings)],
        "hypothesis": _hypothesis(experiment["subject"], result, lang),
        "_experiment": experiment,
        "baseline": pct(result.baseline_rate, lang, 2),
        "target": pct(result.target_rate, lang, 2),
        "mde": mde_text,
        "sample": _per_arm(result, "sample", lang),
        "total": t(lang, "experimentation.total", n=num(result.n_total, lang), variants=variants),
        "stop": _per_arm(result, "stop", lang),
        "duration": _duration(result.duration_days, lang),
        "schedule": _schedule(
            result, variants, (inputs.get("daily_traffic") or 0) * share / 100, lang
        ),
        "method": t(
            lang,
            "experimentation.sample_size_method_duration",
            method=result.method,
            share=num(share, lang),
        ),
    }
    values["_alerts"] = _too_long(
        result, variants, (inputs.get("daily_traffic") or 0) * share / 100, lang
    )
    values.update(_holdout(asked, request, lang))
    return values, {"planned_test": True}  # a plan: the escalation rules know no revenue moved yet


def _duration(days: int | None, lang: str) -> str:
    """The days a test plan runs: those that reach the sample, and at least MIN_TEST_DAYS (two
    full weekly cycles, the plan's stopping rule: a weekday mix read on fewer days is biased);
    what it needs when the daily traffic is not given."""
    if not days:
        return t(lang, "experimentation.needs_traffic")
    if days < MIN_TEST_DAYS:
        return t(lang, "experimentation.days_to_cycles", days=days, cycles=MIN_TEST_DAYS)
    return t(lang, "experimentation.days", days=days)


def _detectable_mde(inputs: dict, variants: int, share: float, request, lang: str) -> dict:
    """The smallest effect a test can detect in the days it may run ("900 visitors/day, CVR 6 %,
    max 3 weeks"): visitors per variant = daily traffic × days × share in the test / variants,
    then abtest.detectable_rate (statsmodels power, the power and alpha asked), as
    {'value': points, 'unit': 'pt', 'n': visitors per variant}. Raises ValueError without the
    daily traffic."""
    if not inputs.get("daily_traffic"):
        raise ValueError(t(lang, "experimentation.needs_traffic_for_mde"))
    n = int(inputs["daily_traffic"] * inputs["max_days"] * share / 100 / variants)
    design = requested_design(request.text)
    reachable = abtest.detectable_rate(
        inputs["baseline_rate"],
        n,
        design.get("alpha", 0.05) / (variants - 1),
        design.get("power", 0.8),
        design.get("two_sided", True),
    )
    return {"value": reachable - inputs["baseline_rate"], "unit": "pt", "n": n}


def _holdout(asked: abtest.SampleSizeInput, request: Understanding, lang: str) -> dict:
    """The plan of a holdout test on a base of contacts ("mesurer l'effet incrémental de nos
    emails avec un groupe holdout, base de 180k contacts"): the smallest holdout that detects
    the effect, the contacts still exposed, what a 10 % holdout would detect, and the window the
    result is read after (a duration the request gives); {} for any other test."""
    # the base, else the users counted ("400k users in the audience"): the test's population
    base = request.first("list_size", "audience_size", "visitors")
    if not HOLDOUT.search(request.text) or base is None or not base.value:
        return {}
    population, window = int(base.value), request.first("duration")
    held = abtest.holdout_size(asked, population)
    plan = {
        "total": t(lang, "experimentation.holdout_total", population=num(population, lang)),
        "stop": t(lang, "experimentation.holdout_stop"),
    }
    if held is None:  # even half the base each side is short: what that split detects at best
        best = abtest.detectable_rate(
            asked.baseline_rate, population // 2, asked.alpha, asked.power, asked.two_sided
        )
        lift = pct((best / asked.baseline_rate - 1) * 100, lang, 1)
        text = t(
            lang, "experimentation.holdout_too_small", population=num(population, lang), lift=lift
        )
        return plan | {"schedule": text, "duration": "—"}
    return plan | {
        "sample": t(
            lang,
            "experimentation.holdout_sample",
            holdout=num(held.holdout, lang),
            exposed=num(held.exposed, lang),
        ),
        "schedule": t(
            lang,
            "experimentation.holdout_plan",
            holdout=num(held.holdout, lang),
            share=pct(held.share, lang, 0),
            exposed=num(held.exposed, lang),
            lift=pct(held.lift_at_10, lang, 1),
        ),
        "duration": t(lang, "experimentation.holdout_window", days=num(window.value, lang))
        if window
        else t(lang, "experimentation.holdout_no_window"),
        "method": held.method,
        "_used": [s for s in (window, base) if s],
    }


LONGEST_TEST_DAYS = 56  # past 8 weeks, seasonality and cookie churn blur a test (seed: 2-4 weeks)


def _too_long(result, variants: int, exposed: float, lang: str) -> list[Alert]:
    """The warning of a plan longer than LONGEST_TEST_DAYS (``exposed``: visitors a day in the
    test): what 4 weeks of them can detect instead (graph.calculators.abtest.detectable_rate),
    and the ways out; [] for a plan short enough or without a duration."""
    if not result.duration_days or result.duration_days <= LONGEST_TEST_DAYS:
        return []
    n = int(exposed * 28 / variants)
    reachable = abtest.detectable_rate(result.baseline_rate, n) if n >= 2 else None
    text = t(
        lang,
        "experimentation.too_long",
        days=num(result.duration_days, lang),
        rate=pct(reachable, lang, 2) if reachable else "—",
        lift=pct((reachable / result.baseline_rate - 1) * 100, lang, 0) if reachable else "—",
    )
    return [Alert(level="warning", text=text)]


def _per_arm(result, key: str, lang: str) -> str:
    """The plan's sample line (``key`` 'sample' or 'stop'): visitors per variant, or the control's
    and the variant's with an uneven split."""
    if result.n_control is None:
        return t(lang, f"experimentation.{key}", n=num(result.n_per_variant, lang))
    return t(
        lang,
        f"experimentation.{key}_uneven",
        control=num(result.n_control, lang),
        variant=num(result.n_per_variant, lang),
    )


def _schedule(result, variants: int, exposed: float, lang: str) -> str:
    """The plan's schedule: day 0, the launch with its split over ``variants`` (even, or the
    control's share said) and the ``exposed`` visitors a day; then the day the sample is reached
    (without the daily traffic, the sample that ends it), and the end of two weekly cycles when
    it comes later."""
    split = "/".join([str(round(100 / variants))] * variants)
    if result.n_control is not None:
        control = round(result.n_control / result.n_total * 100)
        split = f"{control}/{100 - control}"
    if not result.duration_days:
        return t(
            lang,
            "experimentation.schedule_needs_traffic",
            split=split,
            variants=variants,
            n_per_variant=num(result.n_per_variant, lang),
            n_total=num(result.n_total, lang),
        )
    return bullets(
        [
            t(
                lang,
                "experimentation.d0_launch_traffic_split",
                split=split,
                variants=variants,
                exposed=num(exposed, lang),
            ),
            t(
                lang,
                "experimentation.d_duration_days_sample",
                duration_days=result.duration_days,
                weeks=num(result.duration_days / 7, lang, 1),
            )
            if result.duration_days >= MIN_TEST_DAYS
            else t(
                lang,
                "experimentation.d_sample_then_cycles",
                duration_days=result.duration_days,
                cycles=MIN_TEST_DAYS,
            ),
        ]
    )


def _hypothesis(subject: dict, result, lang: str) -> str:
    """The plan's hypothesis: the user's own, else "changing <what> moves <metric> from the
    baseline to the target rate"."""
    rates = {
        "metric": t(lang, f"experiments.metric.{subject['metric']}"),
        "baseline": pct(result.baseline_rate, lang, 2),
        "target": pct(result.target_rate, lang, 2),
    }
    if subject["hypothesis"]:
        return t(lang, "experimentation.user_hypothesis", hypothesis=subject["hypothesis"], **rates)
    change = title(subject, lang) if subject["name"] else t(lang, "experimentation.the_page")
    return t(lang, "experimentation.default_hypothesis", change=change, **rates)
