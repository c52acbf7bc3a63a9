"""Block Kit modals of the slash commands, and the validation of their submissions.

Each ``*_modal(lang, metadata)`` returns a view for ``views.open``; each ``read_*(values)`` takes the
``view.state.values`` of a submission and returns ``(inputs, errors)``: ``errors`` maps block ids
to messages for Slack's ``response_action: errors`` (shown under the fields, nothing is posted).
Limits: Slack's modal title 24 characters, 100 blocks, select options 100.
"""

from __future__ import annotations

import json
import re
from datetime import date

from graph.hierarchy import load_hierarchy
from graph.i18n import items, t
from graph.understanding import ab_results, quantities, understand

# The channels offered in the campaign brief (a multi-select needs a fixed list): catalogue modals.brief_channels.

CAMPAIGN_CALLBACK, ABTEST_CALLBACK, REQUEST_CALLBACK = (
    "campaign_brief",
    "abtest_brief",
    "specialist_request",
)
REASON_CALLBACK, FEEDBACK_CALLBACK, IDEA_CALLBACK = (
    "escalation_reason",
    "deliverable_feedback",
    "experiment_idea",
)
ICE_SCORES = ("impact", "confidence", "ease")


def _text(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _input(
    block_id: str, label: str, element: dict, optional: bool = False, hint: str | None = None
) -> dict:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": _text(label),
        "element": {"action_id": "value", **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = _text(hint)
    return block


def _view(callback_id: str, title: str, blocks: list[dict], lang: str, metadata: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(title[:24]),
        "submit": _text(t(lang, "modals.submit")),
        "close": _text(t(lang, "modals.cancel")),
        "private_metadata": json.dumps({**metadata, "lang": lang}),
        "blocks": blocks,
    }


def _post_to(lang: str) -> dict:
    return _input(
        "post_channel",
        t(lang, "modals.channel_post"),
        {
            "type": "conversations_select",
            "default_to_current_conversation": True,
            "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        },
    )


def campaign_types(lang: str) -> list[tuple[str, str]]:
    """(value, label) of the campaign types of the seed's table (campagnes-orchestrator.md)."""
    options = next(
        i.options
        for i in load_hierarchy().nodes["planning-campagne"].inputs
        if i.name == "campaign_type"
    )
    return [(value, t(lang, f"planning-campagne.type.{value}.name")) for value in options]


def campaign_modal(lang: str, metadata: dict) -> dict:
    """The "Brief campagne" modal: the campaign seed's brief (objective, type, dates, budget, channels,
    target, key message) and the channel where the campaign thread goes."""
    option = lambda value, label: {"text": _text(label), "value": value}  # noqa: E731
    blocks = [
        _input(
            "objective",
            t(lang, "modals.objective"),
            {"type": "plain_text_input", "max_length": 300},
        ),
        _input(
            "campaign_type",
            t(lang, "modals.campaign_type"),
            {
                "type": "static_select",
                "options": [option(v, label) for v, label in campaign_types(lang)],
            },
        ),
        _input("start_date", t(lang, "modals.start_date"), {"type": "datepicker"}),
        _input("end_date", t(lang, "modals.end_date"), {"type": "datepicker"}, optional=True),
        _input(
            "budget",
            t(lang, "modals.budget"),
            {"type": "plain_text_input"},
            hint=t(lang, "modals.e_g_50000_50k"),
        ),
        _input(
            "channels",
            t(lang, "modals.channels"),
            {
                "type": "multi_static_select",
                "options": [option(c, c) for c in items(lang, "modals.brief_channels")],
            },
        ),
        _input(
            "target",
            t(lang, "modals.target_audience"),
            {"type": "plain_text_input", "max_length": 300},
            optional=True,
        ),
        _input(
            "key_message",
            t(lang, "modals.key_message"),
            {"type": "plain_text_input", "max_length": 300},
            optional=True,
        ),
        _post_to(lang),
    ]
    return _view(CAMPAIGN_CALLBACK, t(lang, "modals.campaign_brief"), blocks, lang, metadata)


def abtest_modal(lang: str, metadata: dict) -> dict:
    """The A/B test modal: either the plan's inputs (baseline, MDE, daily traffic) or observed results."""
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": t(lang, "modals.before_test_baseline_minimum")},
        },
        _input(
            "baseline",
            t(lang, "modals.baseline_conversion_rate"),
            {"type": "plain_text_input"},
            optional=True,
            hint=t(lang, "modals.e_g_3"),
        ),
        _input(
            "mde",
            t(lang, "modals.minimum_detectable_effect"),
            {"type": "plain_text_input"},
            optional=True,
            hint=t(lang, "modals.e_g_10_relative"),
        ),
        _input(
            "daily_traffic",
            t(lang, "modals.visitors_per_day"),
            {"type": "plain_text_input"},
            optional=True,
        ),
        _input(
            "results",
            t(lang, "modals.results_finished_test"),
            {"type": "plain_text_input", "multiline": True},
            optional=True,
            hint=t(lang, "modals.n10000_visitors_500_conversions"),
        ),
        _post_to(lang),
    ]
    return _view(ABTEST_CALLBACK, "A/B test", blocks, lang, metadata)


def request_modal(agent: str, lang: str, metadata: dict) -> dict:
    """A one-field modal for a specialist (/kpi, /leadscore, /cro): the request, with the specialist's
    inputs as the hint."""
    node = load_hierarchy().nodes[agent]
    hint = "; ".join(i.label(lang) for i in node.inputs)[:150] or node.description(lang)[:150]
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{node.name(lang)}* — {node.description(lang)}"},
        },
        _input(
            "request",
            t(lang, "modals.request"),
            {"type": "plain_text_input", "multiline": True, "max_length": 3000},
            hint=hint,
        ),
        _post_to(lang),
    ]
    return _view(REQUEST_CALLBACK, node.name(lang), blocks, lang, {**metadata, "agent": agent})


def _value(values: dict, block_id: str):
    """The submitted value of an input block: text, date, selected option value(s), or conversation."""
    element = values.get(block_id, {}).get("value", {})
    kind = element.get("type")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "static_select":
        return (element.get("selected_option") or {}).get("value")
    if kind == "multi_static_select":
        return [o["value"] for o in element.get("selected_options") or []]
    if kind == "conversations_select":
        return element.get("selected_conversation")
    return (element.get("value") or "").strip()


def parse_amount(raw: str) -> float:
    """A positive amount in € from '50000', '50 k€', '1,5 M€'. Raises ValueError otherwise."""
    if re.search(r"(^|\s)[-−]\s*\d", raw):
        raise ValueError("negative")
    found = [q for q in quantities(raw) if q.unit in ("", "€")]
    if len(found) != 1 or found[0].value <= 0:
        raise ValueError("not one positive amount")
    return found[0].value


def _positive(raw: str, units: tuple[str, ...]) -> float | None:
    found = [q for q in quantities(raw) if q.unit in units]
    return (
        found[0].value
        if len(found) == 1 and found[0].value > 0 and not re.search(r"(^|\s)[-−]\s*\d", raw)
        else None
    )


def read_campaign(values: dict, lang: str) -> tuple[dict, dict]:
    """(brief, errors) of a "Brief campagne" submission. brief: objective, campaign_type, start_date,
    end_date (ISO or None), budget (€), channels, target, key_message, post_channel."""
    brief = {
        k: _value(values, k)
        for k in (
            "objective",
            "campaign_type",
            "start_date",
            "end_date",
            "budget",
            "channels",
            "target",
            "key_message",
            "post_channel",
        )
    }
    errors = {}
    try:
        brief["budget"] = parse_amount(brief["budget"])
    except ValueError:
        errors["budget"] = t(lang, "modals.enter_positive_amount_e")
    start, end = brief["start_date"], brief["end_date"]
    if start and end and date.fromisoformat(end) < date.fromisoformat(start):
        errors["end_date"] = t(lang, "modals.end_date_must_come")
    if not brief["channels"]:
        errors["channels"] = t(lang, "modals.pick_at_least_one")
    return brief, errors


def read_abtest(values: dict, lang: str) -> tuple[dict, dict]:
    """(request, errors) of an A/B test submission. request: ``agent`` ('experimentation' with
    baseline_rate %, mde, daily_traffic, or 'ab-testing' with results) and ``inputs``."""
    raw = {k: _value(values, k) for k in ("baseline", "mde", "daily_traffic", "results")}
    post = _value(values, "post_channel")
    if raw["results"]:
        results = ab_results(understand(raw["results"]))
        if not results:
            return {}, {"results": t(lang, "modals.give_visitors_conversions_each")}
        return {
            "agent": "ab-testing",
            "inputs": {"results": results},
            "text": raw["results"],
            "post_channel": post,
        }, {}
    errors = {}
    baseline = _positive(raw["baseline"], ("%", ""))
    if baseline is None or baseline >= 100:
        errors["baseline"] = t(lang, "modals.rate_between_0_100")
    mde = [q for q in quantities(raw["mde"]) if q.unit in ("%", "pt")]
    if len(mde) != 1 or mde[0].value <= 0:
        errors["mde"] = t(lang, "modals.positive_effect_10_relative")
    traffic = _positive(raw["daily_traffic"], ("",))
    if traffic is None:
        errors["daily_traffic"] = t(lang, "modals.number_visitors_per_day")
    if errors:
        return {}, errors
    text = f"{raw['baseline']}, {raw['mde']}, {raw['daily_traffic']} {t(lang, 'modals.visitors_per_day').lower()}"
    return {"agent": "experimentation", "text": text, "post_channel": post}, {}


def read_request(values: dict) -> dict:
    """The text and channel of a one-field specialist request."""
    return {"text": _value(values, "request"), "post_channel": _value(values, "post_channel")}


def reason_modal(escalation_id: str, decision: str, summary: str, lang: str) -> dict:
    """The modal asking the reason of a rejection or a change request (required, 1,000 characters).
    ``decision``: 'rejected' or 'changes_requested'; ``summary``: the rule's action and evidence."""
    title = (
        t(lang, "modals.reject") if decision == "rejected" else t(lang, "modals.request_changes")
    )
    label = (
        t(lang, "modals.reason_sent_requester")
        if decision == "rejected"
        else t(lang, "modals.what_should_change_sent")
    )
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": summary[:3000]}},
        _input(
            "reason",
            label,
            {"type": "plain_text_input", "multiline": True, "min_length": 3, "max_length": 1000},
        ),
    ]
    return _view(
        REASON_CALLBACK, title, blocks, lang, {"escalation": escalation_id, "decision": decision}
    )


def read_reason(values: dict, lang: str) -> tuple[str, dict]:
    """(reason, errors) of a submitted reason modal; an empty reason is an error on its field."""
    reason = _value(values, "reason")
    return reason, ({} if reason else {"reason": t(lang, "modals.give_reason")})


def feedback_modal(deliverable_id: int, lang: str) -> dict:
    """The "what was wrong?" modal a thumbs down opens (one optional field, 1,000 characters)."""
    blocks = [
        _input(
            "reason",
            t(lang, "modals.what_was_wrong"),
            {"type": "plain_text_input", "multiline": True, "max_length": 1000},
            optional=True,
            hint=t(lang, "modals.wrong_figure_wrong_specialist"),
        )
    ]
    return _view(
        FEEDBACK_CALLBACK, t(lang, "modals.feedback"), blocks, lang, {"deliverable": deliverable_id}
    )


def idea_modal(lang: str, metadata: dict) -> dict:
    """The "/experiments add" modal: a test idea for the backlog ("Hypothèses documentées", seed
    performance-orchestrator.md): hypothesis, page, primary metric, and its ICE scores, 1-10 each."""
    score = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": "10",
    }
    blocks = [
        _input(
            "hypothesis",
            t(lang, "experiments.modal.hypothesis"),
            {"type": "plain_text_input", "multiline": True, "max_length": 500},
            hint=t(lang, "experiments.modal.hypothesis_hint"),
        ),
        _input(
            "page",
            t(lang, "experiments.modal.page"),
            {"type": "plain_text_input", "max_length": 100},
            optional=True,
        ),
        _input(
            "metric",
            t(lang, "experiments.modal.metric"),
            {"type": "plain_text_input", "max_length": 100},
            optional=True,
        ),
        *[_input(name, t(lang, f"experiments.modal.{name}"), score) for name in ICE_SCORES],
    ]
    return _view(IDEA_CALLBACK, t(lang, "experiments.modal.title"), blocks, lang, metadata)


def read_idea(values: dict, lang: str) -> tuple[dict, dict]:
    """(idea, errors) of a submitted idea modal: {hypothesis, page, metric, impact, confidence,
    ease}; a missing hypothesis or a score outside 1-10 is an error on its field."""
    idea, errors = (
        {
            "hypothesis": _value(values, "hypothesis"),
            "page": _value(values, "page"),
            "metric": _value(values, "metric"),
        },
        {},
    )
    if not idea["hypothesis"]:
        errors["hypothesis"] = t(lang, "experiments.modal.hypothesis_required")
    for name in ICE_SCORES:
        raw = _value(values, name)
        idea[name] = int(raw) if raw.isdigit() else 0
        if not 1 <= idea[name] <= 10:
            errors[name] = t(lang, "experiments.modal.score_range")
    return idea, errors
