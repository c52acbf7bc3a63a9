"""Builders of the acquisition orchestrator's specialists (seeds/marketing-ops.md): email-marketing,
growth-hacking.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

import functools
import math
import re
from datetime import date, timedelta
from typing import NamedTuple

from graph import data
from graph.calculators import abtest, ice
from graph.deliverables import NON_OPENERS, builder, change, signed, stated_changes
from graph.deliverables.automation import rate_gain
from graph.formatting import bullets, date_text, money, num, pct, table
from graph.i18n import catalogue, items, t
from graph.understanding import Understanding, understand
from graph.understanding.binding import compared_message
from graph.understanding.dates import MONTHS, PAST_PERIOD
from graph.understanding.describe import label
from graph.understanding.design import requested_design
from graph.understanding.followups import CADENCE, cadence_of
from graph.understanding.slots import Slot
from graph.understanding.structures import LIST_WORDS, EmailSegment, email_segments, growth_said


@builder("email-marketing")
def email_marketing(inputs, lang, request):
    if segments := email_segments(request.raw):  # "clients actifs 22 000 (ouverture 34 %), …"
        return _segments_plan(segments, request, lang), {}
    size, open_rate = inputs.get("list_size"), inputs.get("open_rate")
    if size is not None and _sends_counted(request, size):  # "3 newsletters par semaine"
        size = None
    moved = next((c for c in stated_changes(request) if c.measure == "open_rate"), None)
    if size is None:  # an open rate that fell, or below the sector's, a flow's emails
        sector, by_email = inputs.get("open_benchmark"), bool(inputs.get("email_rates"))
        return _drop_only(moved, request, lang, open_rate, sector, by_email), {}
    open_rate = moved.after if moved else open_rate  # "(de 34 % à 17 %)": now 17 %
    grows = growth_said(request, LIST_WORDS)  # "what if we grow the list 20%?": no open rate
    if grows is not None and open_rate == grows.value and not request.all("open_rate"):
        open_rate = None
    results, counted, rates, delivered = send_results(request, size, lang)
    measured_rate = rates.get("opens")
    if compared := _sends_compared(request, size, lang):  # "compare with september: …"
        size, results, counted, delivered = compared.size, compared.results, compared.used, None
        open_rate = measured_rate = compared.open_rate
    if earned := _per_subscriber(request, size, grows, lang):
        results = (  # a table of send results stays one, after the sentence
            [earned[0], *results]
            if isinstance(results, list)
            else "\n\n".join(filter(None, [earned[0], results]))
        )
        counted = counted + earned[1]
    open_rate = open_rate or measured_rate  # "11 440 ouvertures" on 52 000 sends: 22 %
    more_sends = _more_sends(request, lang)  # "si on passe à 4 envois ?": the sends' results
    health = _health_and_averages(request, open_rate, moved, lang)
    values = {
        "results": results,
        "list_size": t(lang, "email-marketing.size_contacts", size=num(size, lang)),
        "open_rate": pct(open_rate, lang) if open_rate else t(lang, "email-marketing.not_given"),
        "expected_opens": _expected_opens(delivered or size, open_rate, request, lang),
        "kpis": _kpi_formulas(lang),
        "method": t(lang, "email-marketing.expected_opens_list_size"),
        "per_email": [] if moved else per_email(request, size, lang),  # a move: one rate twice
        "goal": _goal(request, size, open_rate, lang),
        "frequency": _frequency(request, size, lang) or more_sends[0],
        "resend": _resend(request, size, open_rate, lang),
        "diagnosis": "\n".join(filter(None, [_open_rate_move(moved, request, size, lang), health]))
        or (compared.diagnosis if compared else _against_before(request, lang))
        or _against_usual(request, rates, lang)
        or _against_averages(request, open_rate, lang),
        "subject_test": _subject_test(request, size, open_rate, lang),
    }
    values["calendar"], values["_used"] = send_calendar(request, size, open_rate, lang)
    values["_used"] += request.all("unsubscribe_rate", "recent_sends")  # pressure, health check
    values["_used"] += counted + more_sends[1]
    values["plan"], flow = _send_plan(request, lang)
    if flow:  # "relance panier … récupération 6 % sur 3 200 paniers/mois": what the flow brings
        said = values["results"]
        values["results"] = (
            [flow[0], *said]
            if isinstance(said, list)
            else "\n\n".join(filter(None, [flow[0], said]))
        )
        values["_used"] += flow[1]
    return values, {}


# a segment opening at under half the rest's rate is worth a reactivation, not the same promo
WEAK_SEGMENT = 0.5


def _segments_plan(segments: list[EmailSegment], request: Understanding, lang: str) -> dict:
    """One send to every segment against a send by segment: each segment's expected opens
    (size × open rate), the whole list's, and what a segment opening at under half the others'
    rate costs (a reactivation first: it weighs on the list's deliverability); the best one
    first (marketing-ops seed, email metrics)."""
    opens = [s.size * s.open_rate / 100 for s in segments]
    total, size = sum(opens), sum(s.size for s in segments)
    blended = pct(total / size * 100, lang, 1)  # the whole list's open rate
    rows = [
        [s.label, num(s.size, lang), pct(s.open_rate, lang, 1), num(o, lang)]
        for s, o in zip(segments, opens)
    ]
    headers = [
        t(lang, f"email-marketing.segment.{h}") for h in ("segment", "size", "rate", "opens")
    ]
    lines = [
        t(
            lang,
            "email-marketing.segment.same_send",
            opens=num(total, lang),
            size=num(size, lang),
            rate=blended,
        )
    ]
    best = max(segments, key=lambda s: s.open_rate)
    lines.append(
        t(lang, "email-marketing.segment.best", label=best.label, rate=pct(best.open_rate, lang, 0))
    )
    for weak, own in zip(segments, opens):
        rest = [(s, o) for s, o in zip(segments, opens) if s is not weak]
        rest_rate = sum(o for _, o in rest) / sum(s.size for s, _ in rest) * 100
        if weak.open_rate < WEAK_SEGMENT * rest_rate:
            lines.append(
                t(
                    lang,
                    "email-marketing.segment.weak",
                    label=weak.label,
                    rate=pct(weak.open_rate, lang, 0),
                    opens=num(total - own, lang),
                    size=num(size - weak.size, lang),
                    without=pct(rest_rate, lang, 1),
                )
            )
    return {
        **dict.fromkeys(
            ("per_email", "goal", "frequency", "resend", "subject_test", "calendar", "plan"), ""
        ),
        "diagnosis": "",
        "results": [table(headers, rows), bullets(lines)],
        "list_size": t(lang, "email-marketing.size_contacts", size=num(size, lang)),
        "open_rate": blended,
        "expected_opens": num(total, lang),
        "kpis": _kpi_formulas(lang),
        "method": t(lang, "email-marketing.segment.method"),
        # every figure is a segment's size or open rate
        "_used": [s for s in request.slots if isinstance(s.value, float)],
    }


def _send_plan(request: Understanding, lang: str) -> tuple[list, tuple[str, list] | None]:
    """The send plan and, for an automated flow the request names (its ``trigger`` slot: a cart
    or a browse abandonment), what the flow brings today (automation.rate_gain: count per
    period × rate × basket). A flow's plan is its steps in the triggers-actions catalogue (seed
    automation, Workflows Standards), compared with the user's; otherwise the month's newsletter
    rotation (seed marketing-ops). ([intro, table] or [table], (sentence, slots) or None)."""
    trigger = request.first("trigger")
    key = f"triggers-actions.trigger.{trigger.value}" if trigger else ""
    steps = catalogue(lang).get(f"{key}.rules") if trigger else None
    if not steps:
        rotation = items(lang, "email-marketing.plan_rows")
        return [table(items(lang, "email-marketing.plan_columns"), rotation)], None
    rows = [*steps, *(catalogue(lang).get(f"{key}.more") or [])]
    intro = t(lang, "email-marketing.flow_plan", name=t(lang, f"{key}.name"))
    return [intro, table(items(lang, "email-marketing.flow_columns"), rows)], rate_gain(
        request, lang
    )


def _per_subscriber(request: Understanding, size: float, grows, lang: str):
    """(the revenue per subscriber sentence, the slots it used): the email revenue over the list
    (€ per contact and period) and, with a growth of the list said, what the new contacts bring at
    that revenue each; None without an email revenue."""
    revenue = next((s for s in request.all("revenue", any_arm=True) if not s.arm), None)
    if revenue is None or not size:
        return None
    each = float(revenue.value) / size
    cur = revenue.currency or request.currency
    monthly = _PER_MONTH.match(request.text[revenue.end :].lstrip())  # "$84k/month"
    period = t(lang, "email-marketing.month" if monthly else "email-marketing.period")
    line = t(
        lang,
        "email-marketing.per_subscriber",
        revenue=money(float(revenue.value), lang, cur),
        size=num(size, lang),
        each=money(each, lang, cur, 2),
        period=period,
    )
    if grows is not None:
        more = size * float(grows.value) / 100
        line += " " + t(
            lang,
            "email-marketing.list_growth",
            growth=pct(float(grows.value), lang, 0),
            more=num(more, lang),
            gain=money(more * each, lang, cur),
            period=period,
        )
    return line, [revenue] + ([grows] if grows is not None else [])


def _sends_counted(request: Understanding, size: float) -> bool:
    """Whether the count bound as the list size is a send cadence's ("depuis qu'on envoie 3
    newsletters par semaine": 3 sends a week, no list of 3 contacts)."""
    spans = [m.span() for m in CADENCE.finditer(request.text)]
    return any(a <= s.start < b for s in request.slots if s.value == size for a, b in spans)


def _drop_only(
    moved,
    request: Understanding,
    lang: str,
    open_rate=None,
    sector: float | None = None,
    by_email: bool = False,
) -> dict:
    """The deliverable of an open rate said to fall, or below the ``sector``'s (%), or of a
    flow's rates email by email (``by_email``: :func:`per_email`), without a list size: the drop
    or the gap and what to check (:func:`_open_rate_move`), the email KPIs, and no send plan."""
    gap = (
        t(
            lang,
            "email-marketing.below_sector",
            value=pct(open_rate, lang),
            sector=pct(sector, lang),
            gap=signed(num(open_rate - sector, lang, 1)),
        )
        + "\n"
        + t(lang, "email-marketing.drop_causes")
        + "\n"
        + _against_averages(request, open_rate, lang)
        if sector is not None and open_rate
        else ""
    )
    return {
        **dict.fromkeys(
            ("results", "goal", "frequency", "resend", "subject_test", "calendar"),
            "",
        ),
        "per_email": per_email(request, None, lang) if by_email and not moved else "",
        "plan": "",  # a drop to diagnose: no send plan
        "frequency": _frequency(request, None, lang),  # what the pressure costs, in shares
        "list_size": t(lang, "email-marketing.not_given"),
        "open_rate": pct(moved.after if moved else open_rate, lang)
        if moved or open_rate
        else t(lang, "email-marketing.not_given"),
        "expected_opens": "—",
        "kpis": _kpi_formulas(lang),
        "method": t(lang, "email-marketing.expected_opens_list_size"),
        "diagnosis": "\n".join(
            filter(None, [_open_rate_move(moved, request, None, lang), _health(request, lang)])
        )
        or gap
        # "quel est un bon taux d'ouverture ? on est à 18 %": against the usual rates
        or (_against_averages(request, open_rate, lang) if open_rate else ""),
        # "24 % en septembre, 19 % en octobre, 16 % en novembre": the months between too
        "_used": request.all("unsubscribe_rate", "recent_sends")
        + ([s for s in request.all("open_rate") if moved and moved.before != moved.after]),
    }


# (measure, limit, worse when above): Google's and Yahoo's 2024 bulk-sender rules keep spam
# complaints under 0.3 % (aim under 0.1 %); hard bounces over 2 % and deliverability under 95 %
# are the usual alarm levels of email service providers
_HEALTH = (
    ("delivery_rate", 95.0, False),
    ("bounce_rate", 2.0, True),
    ("complaint_rate", 0.3, True),
)


# Mailchimp's all-industry averages (Email Marketing Benchmarks, 2019 data): opens, clicks (%)
AVERAGE_OPEN_RATE, AVERAGE_CLICK_RATE = 21.33, 2.62


def _against_averages(request: Understanding, open_rate: float | None, lang: str) -> str:
    """An open rate (%) and a click rate given ("taux d'ouverture 19 %, clics 1,2 %, c'est bien
    ?") against Mailchimp's all-industry averages (AVERAGE_OPEN_RATE, AVERAGE_CLICK_RATE), with
    the caveat that Apple Mail Privacy Protection (2021) inflates opens, and clicks over opens
    (CTOR) against the ratio of those averages: whether the content or the subject line loses
    readers; '' without an open rate."""
    if not open_rate:
        return ""
    clicks = request.first("ctr", "click_rate")
    said = _versus(t(lang, "email-marketing.opens"), open_rate, AVERAGE_OPEN_RATE, lang)
    if clicks is not None:
        on_clicks = _versus(
            t(lang, "email-marketing.clicks"), clicks.value, AVERAGE_CLICK_RATE, lang
        )
        said += t(lang, "email-marketing.and_clicks", said=on_clicks)
    averages = t(lang, "email-marketing.against_averages", parts=said)
    if clicks is None or not 0 < clicks.value < open_rate:
        return averages
    # clicks / opens says whether those who open find a reason to click: the content's share
    ctor, usual = clicks.value / open_rate * 100, AVERAGE_CLICK_RATE / AVERAGE_OPEN_RATE * 100
    key = "email-marketing.ctor_low" if ctor < usual else "email-marketing.ctor_ok"
    return averages + " " + t(lang, key, ctor=pct(ctor, lang), usual=pct(usual, lang, 0))


def _versus(measure: str, value: float, average: float, lang: str) -> str:
    """'opens 19.0% against 21.3% on average (below)'."""
    side = "above" if value >= average else "below"
    return t(
        lang,
        f"email-marketing.versus_{side}",
        measure=measure,
        value=pct(value, lang),
        average=pct(average, lang),
    )


def _health(request: Understanding, lang: str) -> str:
    """A sending health check of the rates given (deliverability, bounces, spam complaints)
    against :data:`_HEALTH`: each rate with its limit and verdict, then what to do when one is
    out; '' when the request gives none."""
    lines, out = [], 0
    for measure, limit, above in _HEALTH:
        value = _latest(request, measure)
        if value is None:
            continue
        bad = value > limit if above else value < limit
        out += bad
        key = "email-marketing.health_bad" if bad else "email-marketing.health_ok"
        lines.append(
            t(
                lang,
                key,
                measure=label(measure, lang),
                value=pct(value, lang, 2),
                limit=pct(limit, lang, 1),
            )
        )
    fix = "\n\n" + t(lang, "email-marketing.health_fix") if out else ""
    if (unsubscribed := _latest(request, "unsubscribe_rate")) is not None:
        # a content or frequency matter, not the sender's reputation: its own sentence
        high = unsubscribed > _LIMITS["unsubscribes"]
        key = "email-marketing.unsubscribes_" + ("high" if high else "ok")
        lines.append(t(lang, key, rate=pct(unsubscribed, lang, 2)))
        lines += _unsubscribes_rose(request, lang)
    return bullets(lines) + fix if lines else ""


def _health_and_averages(request: Understanding, open_rate, moved, lang: str) -> str:
    """The sending health check (:func:`_health`) and, when it says something and no open rate
    moved, the rates against the all-industry averages too ("19% open, 1.4% click,
    unsubscribes 0.6% per send. any red flags?": every flag, not the first one found)."""
    health = _health(request, lang)
    if health and not moved and (averages := _against_averages(request, open_rate, lang)):
        health += "\n\n" + averages
    return health


def _unsubscribes_rose(request: Understanding, lang: str) -> list[str]:
    """The unsubscribe rate's rise the request states ("passé de 0,2 % à 1,4 % sur les 3 derniers
    envois"): before, after, how many times higher, over which sends, and what to check (what
    changed when it started: cadence, segment or contacts added, content or offer against the
    sign-up promise, a template without its preference centre); [] without a rise."""
    rose = [
        c for c in stated_changes(request) if c.measure == "unsubscribe_rate" and c.after > c.before
    ]
    if not rose or not rose[-1].before:
        return []
    window = request.first("recent_sends")
    over = (
        t(lang, "email-marketing.over_recent_sends", sends=num(float(window.value), lang))
        if window is not None
        else ""
    )
    change = rose[-1]
    return [
        t(
            lang,
            "email-marketing.unsubscribes_rose",
            before=pct(change.before, lang, 2),
            after=pct(change.after, lang, 2),
            times=num(change.after / change.before, lang, 1),
            over=over,
        ),
        t(lang, "email-marketing.unsubscribes_causes"),
    ]


def _latest(request: Understanding, measure: str) -> float | None:
    """The rate (%) of ``measure`` the request gives, after its stated move when it moved
    ("désinscriptions 0,3 % → 1,6 %": 1,6); None when it gives none."""
    moved = [c.after for c in stated_changes(request) if c.measure == measure]
    slot = request.first(measure)
    return moved[-1] if moved else float(slot.value) if slot is not None else None


def _kpi_formulas(lang: str):
    """The email KPIs and their formulas (open rate, CTR, deliverability)."""
    return table(
        [t(lang, "email-marketing.metric"), t(lang, "email-marketing.formula")],
        [
            ["Open rate", t(lang, "email-marketing.unique_opens_delivered_100")],
            ["CTR", t(lang, "email-marketing.unique_clicks_delivered_100")],
            ["Deliverability", t(lang, "email-marketing.delivered_sent_100")],
        ],
    )


# what a count of a send's results counts, from the words around it ("11 440 ouvertures", "opens
# 11,304")
_RESULTS = {
    "delivered": r"delivres?|delivered|recus|received",
    "opens": r"ouvert\w*|opens?|opened",
    "clicks": r"clics?|clicks?|clicked",
    "unsubscribes": r"desinscri\w*|desabonn\w*|unsub\w*|opt-?outs?",
    "complaints": r"plaintes?|spam|complaints?|abuse",
    "bounces": r"bounces?|rebonds?|npai|hard bounces?",
}
# the limits a send's rates are read against (%): Gmail's and Yahoo's bulk sender guidelines
# (spam complaints under 0.10 %, never 0.30 %); usual unsubscribe and bounce ceilings
_LIMITS = {"complaints": 0.10, "unsubscribes": 0.5, "bounces": 2.0}
_PUNCTUATED = re.compile(r"\s*[,;]")


@functools.cache
def _label_patterns(label: str) -> tuple[re.Pattern, re.Pattern]:
    """(after, before): ``label`` (an alternation of folded words) written right after a count
    ("11 440 ouvertures") or right before it ("opens 11,304", "opens: 11,304")."""
    return (
        re.compile(rf"\W*(?:{label})(?![a-z])"),
        re.compile(rf"(?<![a-z])(?:{label})\s*:?\s*$"),
    )


def _label_of(text: str, s: Slot, kinds: dict[str, str]) -> str | None:
    """The kind of ``kinds`` (kind -> label words) that labels the count ``s``: the words right
    after it, unless a comma parts them and the words right before it are a label ("delivered
    47,100, opens 11,304": labels come first); None when no label is next to it."""
    after = next((k for k, w in kinds.items() if _label_patterns(w)[0].match(text, s.end)), None)
    if after and not _PUNCTUATED.match(text, s.end):
        return after
    before = (k for k, w in kinds.items() if _label_patterns(w)[1].search(text, 0, s.start))
    return next(before, None) or after


def _labelled_counts(
    request: Understanding, slots: list[Slot], kinds: dict[str, str], below: float = math.inf
) -> dict[str, Slot]:
    """{kind: slot}: for each kind of ``kinds`` (kind -> the words that label a count, "11 440
    ouvertures", "opens 11,304", "2,400 referrers"), the first of ``slots`` that is a plain count
    (no unit, above 0 and under ``below``) labelled by those words (_label_of)."""
    found: dict[str, Slot] = {}
    for s in slots:
        if not isinstance(s.value, float) or s.unit or not 0 < s.value < below:
            continue
        kind = _label_of(request.text, s, kinds)
        if kind and kind not in found:
            found[kind] = s
    return found


def send_results(
    request: Understanding, size: float, lang: str
) -> tuple[list, list[Slot], dict[str, float], float | None]:
    """The results of a send the request gives as counts ("52 000 contacts : 11 440 ouvertures,
    1 300 clics, 180 désinscriptions, 95 plaintes spam"): each count and its rate on the list sent
    (%; on the emails delivered when their count is given, with the deliverability, delivered /
    sent: the seed's email metrics), the clicks per open (CTOR), then the complaint, unsubscribe
    and bounce rates against their limits (_LIMITS); with the slots read, each count's rate
    ({'opens': %, 'clicks': %, …}) and the emails delivered (None when not given). ([], [], {},
    None) unless two kinds of counts are given besides delivered."""
    slots = _labelled_counts(request, [s for s in request.slots if not s.arm], _RESULTS, below=size)
    counts, used = {kind: float(s.value) for kind, s in slots.items()}, list(slots.values())
    sent, delivered = size, counts.pop("delivered", None)
    size = delivered or size
    if len(counts) < 2:  # "220 unsubs last send" beside rates: that count's rate, its limit
        lines, used = _limit_lines(counts, size, lang), [slots[k] for k in counts]
        # "38% open, 9% click, 210 recovered orders at $72": what the sends sold
        said = request.first("ctr", "click_rate")
        clicks = counts.get("clicks") or (
            size * said.value / 100 if said and not said.arm else None
        )
        if sales := _send_sales(request, clicks, size, lang):
            lines.append(sales[0])
            used += sales[1]
        return ([bullets(lines)], used, {}, None) if lines else ([], [], {}, None)
    rows = [
        [t(lang, f"email-marketing.result.{k}"), num(n, lang), pct(n / size * 100, lang, 2)]
        for k, n in counts.items()
    ]
    if counts.get("opens") and "clicks" in counts:
        ctor = pct(counts["clicks"] / counts["opens"] * 100, lang, 1)
        rows.append([t(lang, "email-marketing.result.ctor"), "", ctor])
    lines = _limit_lines(counts, size, lang)
    if delivered:
        rate = pct(delivered / sent * 100, lang, 2)
        lines.insert(
            0,
            t(
                lang,
                "email-marketing.delivered",
                rate=rate,
                delivered=num(delivered, lang),
                sent=num(sent, lang),
            ),
        )
    if sales := _send_sales(request, counts.get("clicks"), size, lang):
        lines.append(sales[0])
        used += sales[1]
    rates = {kind: n / size * 100 for kind, n in counts.items()}
    heading = "results_heading_delivered" if delivered else "results_heading"
    table_ = table(items(lang, f"email-marketing.{heading}"), rows)
    return [table_] + ([bullets(lines)] if lines else []), used, rates, delivered


_SENT = {"sent": r"envoy\w*|sent|sends?|envois?|destinataires?|recipients?"}


def _send_counts(text: str, size: float | None) -> tuple[float, dict[str, float], list] | None:
    """(emails sent, {kind: count}, the slots read) of the send results ``text`` gives ("sent
    62,000, opened 17,360, clicked 1,984"): the count labelled as sent, else ``size``; the counts
    of _RESULTS under it. None without a size or without two kinds of counts."""
    u = understand(text)
    slots = _labelled_counts(u, [s for s in u.slots if not s.arm], {**_SENT, **_RESULTS})
    sent = slots.pop("sent", None)
    size = float(sent.value) if sent else size
    slots.pop("delivered", None)
    counts = {k: float(s.value) for k, s in slots.items() if size and s.value < size}
    if not size or len(counts) < 2:
        return None
    return size, counts, list(slots.values()) + ([sent] if sent else [])


class SendsCompared(NamedTuple):
    """A send's results against another period's: this send's size (emails sent), the table
    (as send_results gives it), the slots used, this send's open rate (%, None without opens) and
    the diagnosis ('' when it has none)."""

    size: float
    results: list
    used: list[Slot]
    open_rate: float | None
    diagnosis: str


def _sends_compared(request: Understanding, size: float, lang: str) -> SendsCompared | None:
    """A send's results against another period's given later in the thread ("compare with
    september: 58,000 sent, 15,080 opens, 1,450 clicks"): the table of each rate on the list
    sent, now, then and its change in points, with the emails sent and the clicks per open, and
    where it moved (_where_it_moved). None unless both messages give a send's counts. Source:
    marketing-ops seed, email metrics."""
    parts = compared_message(request)
    ours = _send_counts(parts[0], size) if parts else None
    theirs = _send_counts(parts[1], None) if parts else None
    if not (parts and ours and theirs):
        return None
    rates = [{k: n / side[0] * 100 for k, n in side[1].items()} for side in (ours, theirs)]
    for side in rates:
        if {"opens", "clicks"} <= side.keys():
            side["ctor"] = side["clicks"] / side["opens"] * 100
    rows = [
        [
            t(lang, "email-marketing.result.sent"),
            num(ours[0], lang),
            num(theirs[0], lang),
            change(ours[0], theirs[0], lang),
        ]
    ] + [
        [
            t(lang, f"email-marketing.result.{k}"),
            pct(now, lang, 2),
            pct(rates[1][k], lang, 2) if k in rates[1] else "—",
            t(lang, "deliverables.points", value=signed(num(now - rates[1][k], lang, 2)))
            if k in rates[1]
            else "—",
        ]
        for k, now in rates[0].items()
    ]
    headings = ("figure", "this_period", "previous_period", "change")
    given = [[side[0], *side[1].values()] for side in (ours, theirs)]
    used = [s for s in request.slots if s.value in given[bool(s.message)]]
    return SendsCompared(
        ours[0],
        [table([t(lang, f"deliverables.{h}") for h in headings], rows)],
        used,
        rates[0].get("opens"),
        _where_it_moved(rates[0], rates[1], lang),
    )


def _where_it_moved(now: dict[str, float], before: dict[str, float], lang: str) -> str:
    """Of two sends' rates (kind -> % of the list sent, with the clicks per open 'ctor'): better
    on both the opens and the clicks per open, or where the loss is (before the open when the open
    rate fell relatively more than the CTOR, else after it); '' without both rates on both."""
    if not all("ctor" in side for side in (now, before)):
        return ""
    if now["opens"] >= before["opens"] and now["ctor"] >= before["ctor"]:
        return t(lang, "email-marketing.better_both")
    return _loss(now["opens"] / before["opens"], now["ctor"] / before["ctor"], lang)


def _limit_lines(counts: dict[str, float], size: float, lang: str) -> list[str]:
    """For each count of ``counts`` (kind -> count of a send) that has a limit (_LIMITS): its
    rate on ``size`` (emails delivered, else sent) against that limit, as a sentence."""
    return [
        t(
            lang,
            f"email-marketing.{k}_{'high' if counts[k] / size * 100 > limit else 'ok'}",
            rate=pct(counts[k] / size * 100, lang, 2),
        )
        for k, limit in _LIMITS.items()
        if k in counts
    ]


def _send_sales(
    request: Understanding, clicks: float | None, size: float, lang: str
) -> tuple[str, list[Slot]] | None:
    """What a send sold, from the orders and the revenue it gives ("orders 212, revenue
    €15,900"): the orders per email of ``size`` (delivered, else sent) and per click (%), the
    revenue per email and the average order (currency); None unless orders are given."""
    orders, revenue = request.first("orders"), request.first("revenue")
    revenue = None if revenue is None or revenue.arm else revenue
    if orders is None or orders.arm or not 0 < orders.value < size:
        return None
    aov = request.first("aov")
    if revenue is None and aov is not None and not aov.arm:  # "187 orders at an AOV of €58"
        revenue = aov.model_copy(update={"value": orders.value * aov.value})
    parts = [
        t(
            lang,
            "email-marketing.sales_orders",
            orders=num(orders.value, lang),
            rate=pct(orders.value / size * 100, lang, 2),
        )
    ]
    if clicks:
        per_click = pct(orders.value / clicks * 100, lang, 1)
        parts.append(t(lang, "email-marketing.sales_per_click", rate=per_click))
    if revenue is not None:
        cur = request.currency
        parts.append(
            t(
                lang,
                "email-marketing.sales_revenue",
                revenue=money(revenue.value, lang, cur),
                per_email=money(revenue.value / size, lang, cur, 2),
                aov=money(revenue.value / orders.value, lang, cur, 2),
            )
        )
    return "".join(parts) + ".", [orders] + ([revenue] if revenue else []) + ([aov] if aov else [])


def _resend(request: Understanding, size: float, open_rate: float | None, lang: str) -> str:
    """A resend to the contacts who did not open ("un courriel de relance 3 jours après si y ont
    pas ouvert"): the first send to the whole list, then one resend at the delay asked (3 days by
    default) to the non-openers (the list less the opens at the current open rate, when known),
    with another subject line; '' unless the request asks for one."""
    if not NON_OPENERS.search(request.text):
        return ""
    delays = [s.value for s in request.all("delay") if s.value > 0]
    days = delays[0] if delays else 3.0
    who = (
        t(lang, "email-marketing.resend_count", count=num(size * (1 - open_rate / 100), lang))
        if open_rate
        else t(lang, "email-marketing.resend_who")
    )
    return t(lang, "email-marketing.resend", size=num(size, lang), days=num(days, lang), who=who)


_SENDER_CHANGE = re.compile(
    r"(?<![a-z])(domaine|domain|sous-domaine|subdomain|ip|routeur|esp|sendinblue|brevo|mailchimp|"
    r"klaviyo|outil d'envoi|sending tool|adresse d'envoi|sender)(?![a-z])"
)
DROP = 0.8  # an open rate below 80 % of what it was is a drop to diagnose
JUMP = 1.4  # 40 % more opens from one send to the next: how opens are counted, not readers


def _open_rate_move(moved, request: Understanding, size: float | None, lang: str) -> str:
    """What to check when the open rate fell by a fifth or more (``moved``, a stated before →
    after of the open rate): the drop itself; after a change of sending domain, IP or tool, a
    warm-up of the new sender (its engaged contacts first, the volume doubled each week, the list
    at the open rate it had, with a ``size`` in contacts); otherwise the usual causes,
    deliverability first. An open rate that jumped by :data:`JUMP` or more is read as a change
    in how opens are counted (machine opens, the new tool's definition), to judge on clicks. ''
    without such a move. Source: marketing-ops seed, email metrics (deliverability)."""
    if moved is not None and moved.before and moved.after >= JUMP * moved.before:
        shown = {"before": pct(moved.before, lang), "after": pct(moved.after, lang)}
        return t(
            lang, "email-marketing.jump", **shown, change=signed(pct((moved.ratio - 1) * 100, lang))
        )
    if moved is None or not moved.before or moved.after >= DROP * moved.before:
        return ""
    drop = t(
        lang,
        "email-marketing.drop",
        before=pct(moved.before, lang),
        after=pct(moved.after, lang),
        change=pct((moved.after / moved.before - 1) * 100, lang),
    )
    if not _SENDER_CHANGE.search(request.text):
        return "\n".join([drop, t(lang, "email-marketing.drop_causes")])
    lines = [drop, t(lang, "email-marketing.drop_new_sender")]
    if size:
        engaged = num(round(size * moved.before / 100, -2), lang)
        lines.append(t(lang, "email-marketing.drop_engaged", engaged=engaged))
    return "\n".join(lines)


_BEFORE = re.compile(
    rf"(?<![a-z])(?:{PAST_PERIOD}|last (?:time|send|campaign)|n-1|avant|before|previously|"
    r"precedemment|la fois (?:d'avant|derniere)|the one before)(?![a-z])"
)


def _against_before(request: Understanding, lang: str) -> str:
    """A send's open and click rates against those of an earlier one the request gives in the
    same order ("22% opens but only 0.9% clicks … last year same email was 25% / 1.6%"): each
    change, the clicks per open (CTOR) of both, and where the loss is: before the open (subject
    line, sender, deliverability) when the open rate fell more than the CTOR, else after it
    (content, offer, call to action). '' unless both rates and both earlier ones are given.
    Source: marketing-ops seed, email metrics."""
    open_now, click_now = request.first("open_rate"), request.first("click_rate", "ctr")
    marker = _BEFORE.search(request.text)
    if marker is None or open_now is None or click_now is None:
        return ""
    if max(open_now.start, click_now.start) > marker.start():
        return ""  # the send's own rates come first, the earlier ones after the marker
    earlier = [s for s in request.slots if s.unit == "%" and s.start >= marker.start()][:2]
    if len(earlier) < 2:
        return ""
    now = float(open_now.value), float(click_now.value)
    line, kept = _two_sends("against_before", now, (earlier[0].value, earlier[1].value), lang)
    return "\n".join([line, _loss(*kept, lang)])


def _two_sends(
    key: str, now: tuple[float, float], before: tuple[float, float], lang: str
) -> tuple[str, tuple[float, float]]:
    """A send's (open, click) rates (%) against another pair, told by the label ``key``: each
    rate, its change and the clicks per open (CTOR) of both; with the shares of the open rate and
    of the CTOR the send kept (now / before) for :func:`_loss`."""
    (opens, clicks), (opens_before, clicks_before) = now, (float(before[0]), float(before[1]))
    ctor, ctor_before = clicks / opens * 100, clicks_before / opens_before * 100
    line = t(
        lang,
        f"email-marketing.{key}",
        opens=pct(opens, lang),
        opens_before=pct(opens_before, lang),
        clicks=pct(clicks, lang, 2),
        clicks_before=pct(clicks_before, lang, 2),
        ctor=pct(ctor, lang),
        ctor_before=pct(ctor_before, lang),
        open_change=change(opens, opens_before, lang),
        click_change=change(clicks, clicks_before, lang),
        ctor_change=change(ctor, ctor_before, lang),
    )
    return line, (opens / opens_before, ctor / ctor_before)


def _against_usual(request: Understanding, rates: dict[str, float], lang: str) -> str:
    """A send's open and click rates, from its counts (``rates``: % of the list sent), against
    the open and click rates the request gives beside them as the usual ones ("9,660 opens, 1,134
    clicks … vs our usual 21% open rate and 2.4% click rate"): each change, the clicks per open
    (CTOR) of both, and where the send did better or lost (before or after the open). '' unless
    the counts give opens and clicks and the request an open and a click rate of their own.
    Source: marketing-ops seed, email metrics."""
    usual_open, usual_click = request.first("open_rate"), request.first("click_rate", "ctr")
    opens, clicks = rates.get("opens"), rates.get("clicks")
    if not (opens and clicks and usual_open and usual_click):
        return ""
    before = float(usual_open.value), float(usual_click.value)
    if abs(before[0] - opens) < 0.05 or not 0 < before[1] < before[0]:
        return ""  # the rate given is this send's own, or no pair of rates
    said, kept = _two_sends("against_usual", (opens, clicks), before, lang)
    verdict = t(lang, "email-marketing.above_usual") if min(kept) >= 1 else _loss(*kept, lang)
    return "\n".join([said, verdict])


def _loss(opens_kept: float, ctor_kept: float, lang: str) -> str:
    """Where a send lost against an earlier one, from the share of its open rate and of its
    clicks per open it kept (now / before): before the open when the open rate fell relatively
    more, else after it. Source: marketing-ops seed, email metrics."""
    return t(
        lang, f"email-marketing.loss_{'before_open' if opens_kept < ctor_kept else 'after_open'}"
    )


_SENDS = re.compile(
    r"(\d+)\s*(?:promos?|newsletters?|infolettres?|e-?mails?|mails?|envois?|sends?|campagnes?|"
    r"campaigns?|relances?|offres?|offers?|fois|times)(?![a-z])"
)
# "3 fois par semaine au lieu d'une", "3x a week instead of 1": the pressure before
_INSTEAD = re.compile(
    r"(?:au lieu d'une?|instead of (?:one|once))(?![a-z])|(?:au lieu de|instead of) (\d+)"
)
_TIMES_SAID = {"once": 1, "twice": 2, "une fois": 1, "deux fois": 2, "trois fois": 3}
_TIMES = re.compile(r"(?<![a-z])(once|twice|une fois|deux fois|trois fois)(?![a-z])")
_PER_WEEK = re.compile(r"(?:\ba|\bpar|\bper|/)\s*(?:week|semaine|sem)\b|\bhebdo\w*|\bweekly\b")
_PER_MONTH = re.compile(r"(?:\ba|\bpar|\bper|/)\s*(?:month|mois|mo)\b|\bmensuel\w*|\bmonthly\b")
UNSUBSCRIBE_AVERAGE = (0.2, 0.5)  # % per send: usual, alarming (ESP benchmarks, Mailchimp ~0.26 %)


def sends_per_week(text: str) -> float | None:
    """The sends a week the folded request states: every count of emails in the clause before
    "a week" / "par semaine" added up ("3 promos + 1 newsletter a week" is 4), or a month's
    × 12 / 52 ("8 envois par mois"); None when it states none."""
    for marker, factor in ((_PER_WEEK, 1.0), (_PER_MONTH, 12 / 52)):
        for m in marker.finditer(text):
            clause = re.split(r"[.;!?\n]", text[max(0, m.start() - 60) : m.start()])[-1]
            clause = _TIMES.sub(lambda w: f"{_TIMES_SAID[w[1]]} fois", clause)  # "once a week"
            sends = [int(n) for n in _SENDS.findall(clause)]
            if sends and 0 < sum(sends) <= 50:
                return sum(sends) * factor
    return None


def _frequency(request: Understanding, size: float | None, lang: str) -> str:
    """What a sending pressure costs the list: the unsubscribes per send stated, at the sends a
    week stated, as unsubscribes a week and a month and the share of the list lost a month (the
    share alone without a list ``size``), read against the usual rates (UNSUBSCRIBE_AVERAGE),
    with what to do; '' unless both are given."""
    rates = [s.value for s in request.all("unsubscribe_rate")]
    per_week = sends_per_week(request.text)
    if not rates or not per_week:
        return ""
    rate = rates[-1]  # "passé de 0,2 % à 0,9 %": the rate now
    share = rate * per_week * 52 / 12  # % of the list a month
    if not size:
        cost = t(
            lang,
            "email-marketing.frequency_share",
            sends=num(per_week, lang, 0 if per_week.is_integer() else 1),
            rate=pct(rate, lang, 2),
            share=pct(share, lang, 1),
        )
        return "\n".join([cost, *_frequency_advice(rate, per_week, lang)])
    weekly = size * rate / 100 * per_week
    monthly = weekly * 52 / 12
    return "\n".join(
        [
            t(
                lang,
                "email-marketing.frequency_cost",
                sends=num(per_week, lang, 0 if per_week.is_integer() else 1),
                rate=pct(rate, lang, 2),
                weekly=num(weekly, lang),
                monthly=num(monthly, lang),
                share=pct(share, lang, 1),
            ),
            *_pressure_before(rates, size, request.text, lang),
            *_frequency_advice(rate, per_week, lang),
        ]
    )


def _frequency_advice(rate: float, per_week: float, lang: str) -> list[str]:
    """The unsubscribe ``rate`` per send (%) read against the usual rates
    (UNSUBSCRIBE_AVERAGE), and the test of one send a week fewer than ``per_week``."""
    level = (
        "high"
        if rate > UNSUBSCRIBE_AVERAGE[1]
        else "above"
        if rate > UNSUBSCRIBE_AVERAGE[0]
        else "usual"
    )
    fewer = num(max(round(per_week) - 1, 1), lang)
    return [
        t(lang, f"email-marketing.frequency_{level}"),
        t(lang, "email-marketing.frequency_test", fewer=fewer),
    ]


# "12 démos par envoi", "40 orders per send": what one send brings
_PER_SEND = re.compile(
    r"\s*(?:[a-z]+\s+){0,2}(?:par|per|a|each|chaque)\s+(?:envoi|send|email|e-mail|mail|newsletter)\b"
)
# "si on passe à 4 envois", "if we go to 4 sends", "4 sends instead of 2"
_MORE_SENDS = re.compile(
    r"(?:passe\w*|monte\w*|go(?:ing)?|move|increase|switch|went)\s+(?:a|to|up to)\s+(\d+)\s*"
    r"(?:envois?|sends?|e-?mails?|newsletters?|fois|times)(?![a-z])"
)


def _more_sends(request: Understanding, lang: str) -> tuple[str, list[Slot]]:
    """What more sends a month or a week bring at the results of one ("12 démos par envoi. on
    envoie 2 fois par mois. si on passe à 4 envois ?"): sends asked × results per send against
    the sends now (:func:`sends_per_week`), each send keeping its results, with why it will be
    less; ('', []) unless the results per send, the sends now and the sends asked are all said."""
    text = request.text
    asked = _MORE_SENDS.search(text)
    per_send = next(
        (
            s
            for s in request.slots
            if s.type in ("conversions", "orders", "count") and _PER_SEND.match(text, s.end)
        ),
        None,
    )
    now = sends_per_week(text[: asked.start()] if asked else "")
    if not (asked and per_send and now):
        return "", []
    monthly = _PER_MONTH.search(text) is not None and _PER_WEEK.search(text) is None
    before = round(now * 52 / 12) if monthly else now
    after = float(asked[1])
    raw = request.written  # "démos", as written
    said = re.split(r"\s(?:par|per|a|each|chaque)\s", raw[per_send.end : per_send.end + 30])[0]
    line = t(
        lang,
        f"email-marketing.more_sends_{'month' if monthly else 'week'}",
        after=num(after, lang),
        before=num(before, lang),
        total=num(after * per_send.value, lang),
        now=num(before * per_send.value, lang),
        gain=num((after - before) * per_send.value, lang),
        per=num(per_send.value, lang),
        what=said.strip() or label(per_send.type, lang),
    )
    return line, [per_send]


def _pressure_before(rates: list[float], size: float, text: str, lang: str) -> list[str]:
    """The unsubscribes a week before the pressure rose ("passé de 0,2 % à 0,9 % par envoi depuis
    qu'on envoie 3 fois par semaine au lieu d'une"): the earlier rate at the earlier sends a week;
    [] unless both are stated."""
    before = _INSTEAD.search(text)
    if len(rates) < 2 or not before:
        return []
    sends = float(before[1]) if before[1] else 1.0
    weekly = size * rates[0] / 100 * sends
    return [
        t(
            lang,
            "email-marketing.frequency_before",
            sends=num(sends, lang),
            rate=pct(rates[0], lang, 2),
            weekly=num(weekly, lang),
        )
    ]


_SUBJECTS = re.compile(r"(?<![a-z])(objets?|subject(?: lines?)?|sujets?)(?![a-z])")
_SPLIT_TEST = re.compile(r"(?<![a-z])(test\w*|split|hesit\w*|gagnant|winner|a/b|ab)(?![a-z])")
_HOW_MANY = re.compile(r"(?<![a-z])(deux|two|2|trois|three|3|quatre|four|4)\s+(?:objets?|subject)")


def _subject_test(request: Understanding, size: float, open_rate: float | None, lang: str) -> str:
    """A subject-line test on the list (seed marketing-ops: test subjects on 20 % of the list
    before sending to the rest): one cell of 10 % per subject line (two unless the request says
    three or four), the winner picked on opens after 4 hours, and the open-rate gap each cell
    size detects at the list's open rate (abtest.detectable_rate: statsmodels power, 80 %, 5 %);
    '' unless the request asks for a subject-line test."""
    folded = request.text
    if not (_SUBJECTS.search(folded) and _SPLIT_TEST.search(folded)):
        return ""
    said = _HOW_MANY.search(folded)
    cells = {"deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4, "four": 4}.get(
        said[1] if said else "", int(said[1]) if said and said[1].isdigit() else 2
    )
    cell = int(size * 0.1)
    detect = t(lang, "email-marketing.subject_detect_needs_rate")
    needed = _subject_sample(request, open_rate, cells)
    if needed:  # "détecter un gain de 2 points": the cells the gap asked for needs
        cell = min(max(cell, needed.n_per_variant), int(size * MAX_CELL))
        detect = t(
            lang,
            "email-marketing.subject_needs"
            + ("" if needed.n_per_variant <= cell else "_more_sends"),
            rate=pct(needed.baseline_rate, lang),
            target=pct(needed.target_rate, lang),
            n=num(needed.n_per_variant, lang),
            sends=math.ceil(needed.n_per_variant / max(cell, 1)),
            method=needed.method,
        )
    elif open_rate and cell >= 2:
        rate = abtest.detectable_rate(open_rate, cell)
        gap = t(lang, "deliverables.points", value="+" + num(rate - open_rate, lang, 1))
        detect = t(
            lang,
            "email-marketing.subject_detect",
            cell=num(cell, lang),
            rate=pct(open_rate, lang),
            gap=gap,
        )
    return t(
        lang,
        "email-marketing.subject_test",
        share=pct(cells * cell / size * 100, lang, 0),
        cells=cells,
        cell=num(cell, lang),
        rest=num(size - cells * cell, lang),
        detect=detect,
    )


MAX_CELL = 0.25  # of the list per subject line: the rest must still get the winner


def _subject_sample(request: Understanding, open_rate: float | None, cells: int):
    """The contacts each subject line needs to detect the gap the request asks for ("détecter un
    gain de 2 points": abtest.sample_size, statsmodels power at the open rate, with the power and
    alpha the request says), or None without an open rate and a gap."""
    gap = request.first("mde")
    if not open_rate or gap is None or not gap.value:
        return None
    design = requested_design(request.text)
    try:
        return abtest.sample_size(
            abtest.SampleSizeInput(
                baseline_rate=open_rate,
                mde=abs(gap.value),
                mde_unit="pt" if gap.unit == "pt" else "%",
                variants=cells,
                alpha=design.get("alpha", 0.05),
                power=design.get("power", 0.8),
                two_sided=design.get("two_sided", True),
            )
        )
    except ValueError:  # a gap past 100 %
        return None


def _goal(request: Understanding, size: float, open_rate: float | None, lang: str) -> str:
    """How far a target rate is from the click or open rate it raises ("click 2.4%. want to hit
    3%"): the gap in points and relative, the clicks or opens it adds per send (list size × gap)
    and, for clicks, the click-to-open rate it needs at today's opens (clicks / opens) or the
    opens it needs at today's click-to-open (marketing-ops seed, email metrics); '' without one."""
    target = request.first("target_rate")
    rates = [s for s in request.slots if s.type in ("ctr", "click_rate", "open_rate")]
    now = next((s for s in reversed(rates) if target and s.start < target.start), None)
    if target is None or now is None or not 0 < now.value < target.value:
        return ""
    shared = dict(
        now=pct(now.value, lang),
        target=pct(target.value, lang),
        gap=t(lang, "deliverables.points", value="+" + num(target.value - now.value, lang, 2)),
        relative=pct((target.value / now.value - 1) * 100, lang),
        extra=num(size * (target.value - now.value) / 100, lang),
        size=num(size, lang),
    )
    if now.type == "open_rate":
        return t(lang, "email-marketing.open_goal", **shared)
    if not open_rate:
        return ""
    return t(
        lang,
        "email-marketing.click_goal",
        opens=pct(open_rate, lang),
        ctor=pct(now.value / open_rate * 100, lang),
        ctor_target=pct(target.value / open_rate * 100, lang),
        open_target=pct(target.value / (now.value / open_rate), lang),
        **shared,
    )


def _expected_opens(size: float, open_rate: float | None, request: Understanding, lang: str) -> str:
    """Opens a send can expect (list size × open rate) and, with a click rate, its clicks (list
    size × click rate: clicks / delivered, marketing-ops seed); '—' without an open rate."""
    if not open_rate:
        return "—"
    shown = num(size * open_rate / 100, lang)
    clicks = request.first("ctr", "click_rate")
    if clicks is not None and len(request.all("ctr", "click_rate")) == 1:
        rate = pct(clicks.value, lang)
        shown = t(
            lang,
            "email-marketing.opens_and_clicks",
            opens=shown,
            clicks=num(size * clicks.value / 100, lang),
            rate=rate,
        )
    sold, aov = request.first("conversion_rate"), request.first("aov")
    if sold is not None and aov is not None:  # orders = sends × conversion rate, × the basket
        orders = size * sold.value / 100
        revenue = money(orders * aov.value, lang, request.currency)
        shown += t(lang, "email-marketing.revenue", orders=num(orders, lang), revenue=revenue)
    return shown


_MONTH_NAMED = re.compile(
    r"(?<![a-z])("
    + "|".join(sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True))
    + r")(?![a-z])"
)
_QUARTER = re.compile(r"(?<![a-z0-9])(?:t|q)([1-4])(?:\s*(20\d\d))?(?![a-z0-9])")


def send_calendar(
    request: Understanding, size: float, open_rate: float | None, lang: str
) -> tuple[list, list]:
    """The dated sends of a quarter or a month at the cadence asked ("2 envois par mois …
    planifier le T1", "2 fois par mois … l'infolettre de décembre"):
    sends on Tuesdays spread over each month (or every Tuesday for one a week), themes in the
    send plan's rotation, the expected opens of each at the current open rate; the coming
    quarter or month of that name when no year is said, the coming month when none is named.
    ([table], the slots the cadence was read from); ([], []) without a cadence."""
    # the last cadence said: a follow-up's ("what if we cut to 2 sends a month?") replaces it
    said = _cadences(request.text)
    quarter = _QUARTER.search(request.text)
    month = _MONTH_NAMED.search(request.text)
    if not said or not 0 < said[-1][1] <= 8:
        return [], []
    _, n, weekly, start, end = said[-1]
    today = date.today()
    first, count = (  # no period named: the coming month
        (3 * int(quarter[1]) - 2, 3)
        if quarter
        else (MONTHS[month[1]] if month else today.month % 12 + 1, 1)
    )
    year = (  # the coming one: a period already over is next year's
        int(quarter[2])
        if quarter and quarter[2]
        else today.year + (first + count - 1 < today.month)
    )
    days = _send_days(year, first, n, weekly, count)
    themes = items(lang, "email-marketing.themes")
    opens = num(size * open_rate / 100, lang) if open_rate else "—"
    rows = [[date_text(d, lang), themes[i % len(themes)], opens] for i, d in enumerate(days)]
    header = [t(lang, f"email-marketing.calendar_{k}") for k in ("date", "send", "opens")]
    used = [s for s in request.slots if start <= s.start < end]
    return [table(header, rows)], used


# a cadence said without a count, in a plan asked for ("newsletter hebdo … un plan sur le premier
# mois", "plutôt tous les 15 jours"): (sends, a week rather than a month)
_PERIODIC_SENDS = (
    (
        r"bimensuel\w*|bi-?weekly|fortnightly|tous les quinze jours|toutes les deux semaines|"
        r"every (?:two|2) weeks|every other week",
        (2, False),
    ),
    (r"hebdo\w*|weekly|chaque semaine|every week|toutes les semaines", (1, True)),
    (r"mensuel\w*|monthly|chaque mois|every month|tous les mois", (1, False)),
)
_EVERY_DAYS = re.compile(
    r"(?<![a-z])(?:tous les|toutes les|every)\s+(\d+)\s*(jours?|days?|semaines?|weeks?)(?![a-z])"
)
_PLAN_ASKED = re.compile(
    r"(?<![a-z])(?:plan\w*|calendrier|calendar|schedule\w*|programm\w*|propos\w*)"
)


def _cadences(text: str) -> list[tuple[int, int, bool, int, int]]:
    """(position, sends, a week rather than a month, start, end) of each send cadence the folded
    ``text`` says, in order: 'N par mois' / 'N a week' (CADENCE); in a message that asks for a plan,
    also a periodic word ('hebdo': 1 a week, 'mensuel': 1 a month, 'bimensuel': 2 a month) or an
    interval ('tous les 15 jours': 7 days or less, sends a week; more, 30 ÷ days a month)."""
    out = [(m.start(), *cadence_of(m), m.start(), m.end()) for m in CADENCE.finditer(text)]
    if not _PLAN_ASKED.search(text):
        return out
    for cue, (n, weekly) in _PERIODIC_SENDS:
        out += [(m.start(), n, weekly, m.start(), m.end()) for m in re.finditer(cue, text)]
    for m in _EVERY_DAYS.finditer(text):
        days = int(m[1]) * (7 if m[2].startswith(("sem", "week")) else 1)
        if days:
            weekly = days <= 7
            n = max(1, round(7 / days)) if weekly else max(1, round(30 / days))
            out.append((m.start(), n, weekly, m.start(), m.end()))
    return sorted(out)


# days after Tuesday a week's sends fall on, by sends a week: Tue; Tue, Thu; Mon, Wed, Fri; …
_WEEKDAYS = {1: (0,), 2: (0, 2), 3: (-1, 1, 3), 4: (-1, 0, 2, 3), 5: (-1, 0, 1, 2, 3)}


def _send_days(year: int, first_month: int, n: int, weekly: bool, months: int = 3) -> list[date]:
    """Send days of the ``months`` (a quarter, or one month) starting at ``first_month``: ``n`` a
    week (every Tuesday, Tuesday and Thursday for two…) or ``n`` Tuesdays a month, spread over
    its weeks."""
    start = date(year, first_month, 1)
    last = first_month + months - 1
    end = date(year + (last >= 12), last % 12 + 1, 1)
    tuesdays = [start + timedelta(days=(1 - start.weekday()) % 7 + 7 * k) for k in range(14)]
    tuesdays = [d for d in tuesdays if d < end]
    if weekly:  # "twice a week": Tuesday and Thursday of every week, and so on
        offsets = _WEEKDAYS.get(n, _WEEKDAYS[1])
        days = [t + timedelta(days=o) for t in tuesdays for o in offsets]
        return sorted(d for d in days if start <= d < end)
    out = []
    for month in range(first_month, first_month + months):
        inside = [d for d in tuesdays if d.month == month]
        step = max(len(inside) // n, 1)
        out += inside[::step][:n]
    return out


def per_email(request: Understanding, size: float | None, lang: str) -> list:
    """A flow's emails one by one when the request gives their open rates in order ("open rates
    52% / 38% / 31%, click rates 9% / 5% / 3.5%"): open rate, click rate, click-to-open (clicks /
    opens) and, for ``size`` contacts entering the flow, opens and clicks; then where people drop
    most and what to fix first. [] with fewer than two open rates. Source: marketing-ops seed,
    email metrics (open rate, CTR = clicks / delivered)."""
    opens = [s.value for s in request.all("open_rate")]
    clicks = [s.value for s in request.all("ctr", "click_rate")]
    if len(opens) < 2:
        return []
    clicks = clicks if len(clicks) == len(opens) else [None] * len(opens)
    rows = [
        [
            f"Email {n}",
            pct(o, lang),
            pct(c, lang) if c is not None else "—",
            pct(c / o * 100, lang) if c is not None and o else "—",
            *(
                [num(size * o / 100, lang), num(size * c / 100, lang) if c is not None else "—"]
                if size
                else []
            ),
        ]
        for n, (o, c) in enumerate(zip(opens, clicks), 1)
    ]
    drops = [opens[i] - opens[i + 1] for i in range(len(opens) - 1)]
    worst = max(range(len(drops)), key=lambda i: drops[i])
    lines = [
        t(lang, "email-marketing.biggest_open_drop", to=worst + 2, pts=num(drops[worst], lang, 1))
    ]
    if clicks[0] is not None:
        ctor = [c / o * 100 for o, c in zip(opens, clicks) if o]
        low = min(range(len(ctor)), key=lambda i: ctor[i])
        lines.append(t(lang, "email-marketing.lowest_ctor", n=low + 1, ctor=pct(ctor[low], lang)))
    header = [t(lang, f"email-marketing.per_email_{k}") for k in HEADERS[: 6 if size else 4]]
    return [table(header, rows), bullets(lines)]


HEADERS = ("email", "open_rate", "click_rate", "ctor", "opens", "clicks")


_INVITES = re.compile(r"invit|referr|parrain|filleul|sends?|envoie")
_JOINS = re.compile(r"inscri|sign|conver|accept|rejoi|join|activ|achet|buy|purchas|bought")


def loop_figures(request: Understanding) -> tuple[float, float, float] | None:
    """(invites per inviter, share of users who invite 0-1, invitee conversion %) of a viral loop ("each user sends 3 invites on avg
    and 15% of invitees sign up"), read from the words around each figure, a later message's
    winning ("et si on monte à 1,2 invitation ?"); the share is 1 unless one is given ("8% of them
    invite someone, each inviter sends 3": 0.24 per user). None unless the invites and the
    conversion are both given, else from the programme's counts (:func:`_loop_counts`)."""
    text, found = request.text, dict[str, Slot]()
    for q in request.slots:  # the first of a message, a later message's over an earlier one's
        if not isinstance(q.value, (int, float)) or isinstance(q.value, bool):
            continue
        around, after = text[max(0, q.start - 40) : q.end + 30], text[q.end : q.end + 30]
        if q.unit == "%" and _INVITES.search(after) and not _JOINS.search(after):
            kind = "inviters"  # "8% of them invite someone"
        elif q.unit == "%" and _JOINS.search(around):
            kind = "rate"
        elif q.unit in ("", "x") and q.value < 100 and _INVITES.search(around):
            kind = "invites"
        else:
            continue
        if kind not in found or found[kind].message < q.message:
            found[kind] = q
    if "invites" not in found or "rate" not in found:
        return _loop_counts(request)
    share = found["inviters"].value / 100 if "inviters" in found else 1.0
    return found["invites"].value, share, found["rate"].value


_COUNTED = {  # what a count of a referral programme counts, from the words around it
    "inviters": r"referrers|referers|parrains|inviters|ambassad\w*",
    "invites": r"invitations?|invites|friends|amis|filleuls|referrals",
    "joined": r"signed up|sign-?ups?|inscrits?|inscriptions|joined|converted|convertis|"
    r"se sont inscrits|ont souscrit|became customers|new users",
}


def _loop_counts(request: Understanding) -> tuple[float, float, float] | None:
    """(invites per inviter, 1, invitee conversion %) from the counts of a referral programme
    ("2,400 referrers invited 7,200 friends, 1,080 signed up": 3 invites each, 15 %); None unless
    the three counts are given."""
    found = {
        kind: float(s.value)
        for kind, s in _labelled_counts(request, request.slots, _COUNTED).items()
    }
    if len(found) < 3 or found["joined"] > found["invites"]:
        return None
    return found["invites"] / found["inviters"], 1.0, found["joined"] / found["invites"] * 100


_FROM_USERS = re.compile(
    r"^[\w\s-]{0,40}?(?:came|come|coming|arrived|joined|signed up|venus?|arrives?|inscrits?)?\s*"
    r"(?:from|via|through|thanks to|de la part de|grace a|par)\s+(?:our\s+|nos\s+|les\s+)?$"
)


def _came_from(request: Understanding) -> tuple[Slot, Slot] | None:
    """(users who came, users they came from) of "800 new users came from 10,000 existing
    users": a count, then 'came from' and a larger count; None otherwise."""
    counts = [s for s in request.slots if isinstance(s.value, float) and s.unit == ""]
    for new, old in zip(counts, counts[1:]):
        if old.value > new.value and _FROM_USERS.match(request.text[new.end : old.start]):
            return new, old
    return None


# "10 € au parrain et au filleul", "$10 to both", "€15 each": one reward on each side
_BOTH_SIDES = re.compile(
    r"[^.;!?\d]{0,30}?(?:(?:parrain\w*|referr\w*) (?:et|and) (?:au |the )?(?:filleul\w*|referee\w*|"
    r"friend\w*)|both|each|chacun\w*|aux deux|des deux cotes|both sides)"
)
_REFERRAL = re.compile(
    r"(?<![a-z])(?:referr\w*|parrain\w*|filleul\w*|give .{1,12} get|refer-a-friend)"
)


def referral_economics(request: Understanding, lang: str) -> tuple[str, list] | None:
    """What a referred customer costs against the margin of a first order: the rewards of a
    double-sided programme added up ("give $20, get $20": $40; "10 € au parrain et au filleul":
    20 €), the first order's margin (AOV × gross margin) and what is left, with the orders it
    takes to pay the rewards back; without a margin, the share of the first basket the rewards
    take (the gross margin they need to break even on it); with the slots used, or None unless
    the request is about referral and gives the rewards and an AOV."""
    rewards = [s for s in request.all("amount") if isinstance(s.value, float)][:2]
    aov, margin = request.first("aov"), request.first("gross_margin")
    if not (_REFERRAL.search(request.text) and rewards and aov):
        return None
    if len(rewards) == 1 and _BOTH_SIDES.match(request.text, rewards[0].end):
        rewards = rewards * 2  # "10 € au parrain et au filleul": one reward each
    cost = sum(float(s.value) for s in rewards)
    cur = request.currency
    if margin is None:  # what share of the first basket the rewards take: the margin they need
        return t(
            lang,
            "growth-hacking.referral_share",
            cost=money(cost, lang, cur),
            rewards=" + ".join(money(float(s.value), lang, cur) for s in rewards),
            aov=money(float(aov.value), lang, cur),
            share=pct(cost / float(aov.value) * 100, lang),
        ), [*rewards, aov]
    kept = float(aov.value) * float(margin.value) / 100
    line = t(
        lang,
        "growth-hacking.referral_cost",
        cost=money(cost, lang, cur),
        rewards=" + ".join(money(float(s.value), lang, cur) for s in rewards),
        margin=money(kept, lang, cur, 2),
        aov=money(float(aov.value), lang, cur),
        rate=pct(float(margin.value), lang),
        net=signed(money(kept - cost, lang, cur, 2)),
        orders=num(cost / kept, lang, 2) if kept else "—",
    )
    return line, [*rewards, aov, margin]


def viral_loop(request: Understanding, lang: str) -> str:
    """The loop section: the K-factor = invites per user × invitee
    conversion rate (performance seed, viral growth), what it amplifies, and what it takes to pass 1."""
    figures = loop_figures(request)
    if figures is None:
        if given := request.first("k_factor"):
            return _given_k(given.value, lang)
        referred, base = _came_from(request) or (
            request.first("referred"),
            request.first("customers"),
        )
        if referred and base and base.value:  # "5 000 utilisateurs existants, 750 parrainés"
            return _given_k(referred.value / base.value, lang, (referred.value, base.value))
        return t(lang, "growth-hacking.no_loop_figures")
    each, share, rate = figures
    invites = each * share
    k = invites * rate / 100
    detail = (  # "8% of them invite, 3 each": the invites per user it makes
        t(
            lang,
            "growth-hacking.invites_of_inviters",
            share=pct(share * 100, lang, 1),
            each=num(each, lang, 2),
        )
        if share < 1
        else ""
    )
    line = t(
        lang,
        "growth-hacking.k_factor",
        invites=num(invites, lang, 2),
        detail=detail,
        rate=pct(rate, lang, 1),
        k=num(k, lang, 3 if k < 0.1 else 2),
    )
    if base := request.first("customers"):  # "12 000 clients actifs": what one cycle brings them
        line += " " + t(
            lang,
            "growth-hacking.k_on_base",
            base=num(base.value, lang),
            signups=num(base.value * k, lang),
        )
    if k >= 1:
        return line + "\n" + t(lang, "growth-hacking.k_above_one")
    or_rate = (
        t(lang, "growth-hacking.or_rate", rate=pct(100 / invites, lang, 1)) if invites >= 1 else ""
    )  # a rate over 100 % cannot be
    reading = t(
        lang,
        "growth-hacking.k_below_one",
        extra=num(100 * k / (1 - k), lang, 0),
        needed=num(100 / rate, lang, 2),
        or_rate=or_rate,
    )
    return line + "\n" + reading


def _given_k(k: float, lang: str, counts: tuple[float, float] | None = None) -> str:
    """The loop section for a K-factor the user states ("K-factor 0.18"), or computes from the
    users referred and the users who referred them (``counts``: referred, base; K = referred /
    base, analytics seed): what it amplifies below 1 (100 × K / (1 − K) more users per 100
    acquired, performance seed, viral growth) and how much invites × invitee signup rate must grow
    to pass 1 (× 1 / K), or viral growth at 1 or more."""
    line = (
        t(
            lang,
            "growth-hacking.k_from_referred",
            referred=num(counts[0], lang),
            base=num(counts[1], lang),
            k=num(k, lang, 3 if k < 0.1 else 2),  # 0.045 is not 0.04
        )
        if counts
        else t(lang, "growth-hacking.k_given", k=num(k, lang, 3 if k < 0.1 else 2))
    )
    if k >= 1:
        return line + "\n" + t(lang, "growth-hacking.k_above_one")
    extra = num(100 * k / (1 - k), lang, 0)
    factor = t(lang, "growth-hacking.k_factor_to_one", factor=num(1 / k, lang, 1)) if k else ""
    return line + "\n" + t(lang, "growth-hacking.k_given_below_one", extra=extra) + factor


def _listed_ideas(raw: str) -> list[str]:
    """The ideas a request lists without scores ("4 idées de tests : avis clients en haut, photos
    360, livraison gratuite dès 49 €, bouton sticky mobile. tu classes ?"): the items after a
    colon, up to the end of that sentence, three or more; [] otherwise."""
    for sentence in re.split(r"(?<=[.?!])\s", raw.split("\n")[0]):
        if ":" not in sentence:
            continue
        # "12,000 active users": a thousands comma is no list separator
        listed = re.split(
            r"\s*(?:,(?!\d)|;|\bet\b|\band\b)\s*", sentence.rsplit(":", 1)[1].strip(" .?!")
        )
        named = [i for i in listed if 2 <= len(i) <= 60]
        # "12,000 users, 8% invite…", "15 000 clients, panier 65 €, … au filleul": figures
        facts = sum(bool(re.search(r"\d", i)) for i in named) * 2 > len(named)
        if len(named) >= 3 and len(named) == len(listed) and not facts:
            return named
    return []


# the AARRR stage a growth request is about (Dave McClure's pirate metrics); a viral loop or a
# referral programme keeps the referral candidates, as does a request that names no stage
_STAGES = {
    "referral": r"referr\w*|parrain\w*|viral\w*|invit\w*|k-?factor|boucles?|loops?|ambassad\w*",
    "activation": r"activation|activat\w*|activer|aha|moment de valeur|time to value|onboarding|"
    r"first value|premiere valeur",
    "retention": r"retention|retain\w*|churn\w*|reactiv\w*|re-?engag\w*|fideli\w*|come back",
    "revenue": r"trial[- ]to[- ]paid|monetis\w*|monetiz\w*|upsell\w*|upgrade\w*|payants?|paying|mrr",
    "acquisition": r"acquisition|acquerir|acquire|top of (?:the )?funnel|traffic|trafic",
}


def growth_stage(folded: str) -> str:
    """The AARRR stage a growth request names (a key of _STAGES) in its ``folded`` text
    (graph.text.fold), 'referral' when none."""
    return next(
        (k for k, words in _STAGES.items() if re.search(rf"(?<![a-z])(?:{words})", folded)),
        "referral",
    )


def _candidates(request: Understanding, lang: str, loop: str, rewarded) -> dict:
    """The growth deliverable without scored ideas: the user's own ideas to score, else candidate
    experiments for the stage the request names (:func:`growth_stage`), from the stage's current
    rate and volume when given (:func:`_stage_baseline`); the viral loop for referral."""
    own, stage = _listed_ideas(request.raw), growth_stage(request.text)
    key = "growth-hacking.candidates" + ("" if stage == "referral" else f"_{stage}")
    candidates = [t(lang, "growth-hacking.candidates_to_score")] + [
        f"- {c}" for c in own or items(lang, key)
    ]
    baseline, counted = _stage_baseline(request, lang) if stage != "referral" else ("", [])
    figures = loop_figures(request)
    return {
        "idea_count": str(len(own)) if own else t(lang, "growth-hacking.no_ideas_count"),
        "top_idea": "—",
        "ice_table": "\n".join(candidates),
        "ties": "",
        "baseline": baseline,
        "loop": loop if stage == "referral" or figures or rewarded else "",
        "method": t(lang, "growth-hacking.ice_framework_from_performance"),
        # the loop read every rate, the user base and the programme's counts; a later
        # message's rate wins
        "_used": (request.all("customers", "rate", "count") if figures else [])
        + (rewarded[1] if rewarded else [])
        + counted,
    }


def _stage_baseline(request: Understanding, lang: str) -> tuple[str, list[Slot]]:
    """The stage's starting point from its rate (%) and the volume it applies to ("22% of signups
    reach the aha moment within 7 days, 3,400 signups a month"): who gets through, and what each
    point gained adds, the rate's horizon as said; ('', []) unless the rate and volume are given."""
    rate = request.first("rate", "conversion_rate")
    volume = request.first(
        "conversions", "leads", "customers", "count", "visitors", "monthly_traffic"
    )
    if rate is None or volume is None or rate.unit != "%" or not 0 < rate.value < 100:
        return "", []
    per_point, horizon = volume.value / 100, request.first("duration")
    said = f"{pct(rate.value, lang)} ({horizon.evidence})" if horizon else pct(rate.value, lang)
    return t(
        lang,
        "growth-hacking.stage_baseline",
        rate=said,
        volume=num(volume.value, lang),
        reached=num(volume.value * rate.value / 100, lang),
        per_point=num(per_point, lang),
        five=num(5 * per_point, lang),
    ), [rate, volume] + ([horizon] if horizon else [])


@builder("growth-hacking")
def growth_hacking(inputs, lang, request):
    loop, rewarded = viral_loop(request, lang), referral_economics(request, lang)
    if rewarded:  # "give $20, get $20, AOV $85, margin 40%": what each referred customer costs
        loop = rewarded[0] + "\n\n" + loop
    ideas = data.ice_items(inputs["files"][-1]) if inputs.get("files") else inputs.get("ideas")
    if not ideas:  # no scores: the user's own ideas to score, else candidates, and the K-factor
        return _candidates(request, lang, loop, rewarded), {}
    ranked = ice.rank([ice.IceItem(**i) for i in ideas])
    rows = [
        [str(n), it.idea, str(it.impact), str(it.confidence), str(it.ease), str(it.score)]
        for n, it in enumerate(ranked, 1)
    ]
    scores = [it.score for it in ranked]
    tied = sorted({s for s in scores if scores.count(s) > 1}, reverse=True)
    ties = (
        ""
        if not tied
        else "- " + t(lang, "growth-hacking.ice_ties_value_broken", value=", ".join(map(str, tied)))
    )
    top = ranked[0]
    why = t(
        lang,
        "growth-hacking.ice_why",
        idea=top.idea,
        impact=top.impact,
        confidence=top.confidence,
        ease=top.ease,
        score=top.score,
    )
    values = {
        "_why": " ".join(x for x in (why, ties[2:]) if x),
        "idea_count": str(len(ranked)),
        "top_idea": ranked[0].idea,
        # ideas to rank: the loop only when its figures are given, no request for them
        "loop": "" if loop == t(lang, "growth-hacking.no_loop_figures") else loop,
        "_used": rewarded[1] if rewarded else [],
        "ice_table": table(["#", t(lang, "growth-hacking.idea"), "I", "C", "E", "ICE"], rows),
        "ties": ties,
        "baseline": "",
        "method": t(lang, "growth-hacking.ice_framework_from_performance"),
    }
    return values, {}
