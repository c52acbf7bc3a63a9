"""Modal submissions (view_submission). Inputs are checked while the modal is open: errors go back
with ``response_action: errors`` and nothing is posted; a valid brief is acked (the modal closes)
and the campaign or specialist thread is posted by a lazy listener. The reason of a rejection or
change request is recorded the same way, the decider checked again (bot.app.SlackBot.act)."""

from __future__ import annotations

import json

from slack_bolt import App

from bot.modals import (
    ABTEST_CALLBACK,
    CAMPAIGN_CALLBACK,
    FEEDBACK_CALLBACK,
    IDEA_CALLBACK,
    REASON_CALLBACK,
    REQUEST_CALLBACK,
    campaign_types,
    read_abtest,
    read_campaign,
    read_idea,
    read_reason,
    read_request,
)
from bot.render import escape, unescape
from graph.experiments import line
from graph.formatting import eur
from graph.hierarchy import BRIEF_FIELDS
from graph.i18n import t

CALLBACKS = (
    CAMPAIGN_CALLBACK,
    ABTEST_CALLBACK,
    REQUEST_CALLBACK,
    REASON_CALLBACK,
    FEEDBACK_CALLBACK,
    IDEA_CALLBACK,
)


def _meta(view: dict) -> dict:
    return json.loads(view.get("private_metadata") or "{}")


def brief_message(brief: dict, lang: str, user: str) -> tuple[str, list[dict]]:
    """The top-level message of a campaign thread: the brief as header and fields."""
    kind = dict(campaign_types(lang)).get(brief["campaign_type"], brief["campaign_type"])
    dates = brief["start_date"] + (f" → {brief['end_date']}" if brief["end_date"] else "")
    fields = [
        (t(lang, "listeners.views.objective"), escape(brief["objective"])),
        ("Type", kind),
        (t(lang, "listeners.views.dates"), dates),
        ("Budget", eur(brief["budget"], lang)),
        (t(lang, "listeners.views.channels"), ", ".join(brief["channels"])),
        (t(lang, "listeners.views.target"), escape(brief["target"] or "—")),
        (t(lang, "listeners.views.key_message"), escape(brief["key_message"] or "—")),
        (t(lang, "listeners.views.requested_by"), f"<@{user}>"),
    ]
    title = t(lang, "listeners.views.campaign_brief_kind", kind=kind)
    text = f"{title}: {escape(brief['objective'])}"
    return text, [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{v}"[:2000]} for k, v in fields],
        },
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": t(lang, "listeners.views.plan_budget_go_no")}],
        },
    ]


def answer(ack, errors: dict) -> None:
    """Ack a submission: field errors keep the modal open, no errors close it."""
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def _read(view: dict, read) -> tuple[str, dict, dict]:
    """(lang, value, field errors) of a submitted modal read by ``read`` (bot.modals.read_*)."""
    lang = _meta(view).get("lang", "fr")
    value, errors = read(view["state"]["values"], lang)
    return lang, value, errors


def _check(read):
    """The ack listener of a modal read by ``read``: field errors keep it open, else it closes."""

    def check(ack, view):
        answer(ack, _read(view, read)[2])

    return check


def post_campaign(view, body, client, context) -> None:
    """A campaign brief: its thread is opened and the plan and the budget split are asked for."""
    bot = context["bot"]
    lang, brief, errors = _read(view, read_campaign)
    if errors:
        return
    user = body["user"]["id"]
    text, blocks = brief_message(brief, lang, user)
    thread = bot.open_thread(
        client, context.team_id or "", brief["post_channel"], user, text, blocks
    )
    # every field of the form, under the input names of the specialists that use it
    inputs = {
        "campaign_type": brief["campaign_type"],
        "start_date": brief["start_date"],
        "end_date": brief["end_date"],
        "budget": brief["budget"],
        "total_budget": brief["budget"],
        "channels": brief["channels"],
        **{k: brief[k] for k in BRIEF_FIELDS if brief.get(k)},
    }
    for agent in ("planning-campagne", "budget-allocation"):
        bot.answer(
            client,
            thread,
            unescape(text),
            agent=agent,
            brief=inputs,
            scope=["campagnes"],
            lang=lang,
        )


def post_abtest(view, body, client, context) -> None:
    """An /abtest form: a test to plan or results to read, in a new thread."""
    bot = context["bot"]
    lang, request, errors = _read(view, read_abtest)
    if errors:
        return
    user = body["user"]["id"]
    thread = bot.open_thread(
        client,
        context.team_id or "",
        request["post_channel"],
        user,
        f"*/abtest* — <@{user}> : {escape(request.get('text', '')[:2900])}",
    )
    bot.answer(
        client,
        thread,
        request.get("text", ""),
        agent=request["agent"],
        brief=request.get("inputs"),
        scope=["experimentation", "ab-testing"],
        lang=lang,
    )


def post_request(view, body, client, context) -> None:
    """A specialist's request form (/kpi, /leads…): its thread, answered by that specialist."""
    bot = context["bot"]
    meta, request = _meta(view), read_request(view["state"]["values"])
    user = body["user"]["id"]
    thread = bot.open_thread(
        client,
        context.team_id or "",
        request["post_channel"],
        user,
        f"*{meta.get('command', '')}* — <@{user}> : {escape(request['text'][:2900])}",
    )
    bot.answer(
        client,
        thread,
        request["text"],
        agent=meta["agent"],
        scope=[meta["agent"]],
        lang=meta.get("lang"),
    )


def decide_with_reason(view, body, client, context) -> None:
    """A rejection or change request with its reason: recorded, the decider checked again."""
    bot = context["bot"]
    meta, (reason, errors) = _meta(view), _read(view, read_reason)[1:]
    if errors:
        return
    user = body["user"]["id"]
    bot.act(client, meta["escalation"], user, meta["decision"], reason)
    bot.publish_home(client, user, (body.get("team") or {}).get("id", ""))


def feedback_reason(ack, view, body, context) -> None:
    """The reason of a thumbs down, kept with it (the modal closes; an empty reason keeps the thumbs down alone)."""
    bot = context["bot"]
    ack()
    reason = (view["state"]["values"].get("reason", {}).get("value", {}).get("value") or "").strip()
    if reason:
        bot.store.deliverables.rate(
            int(_meta(view)["deliverable"]), body["user"]["id"], "down", reason[:1000]
        )


def add_idea(view, body, client, context) -> None:
    """A backlog idea (/experiments add): logged with its ICE score; the user is told, ephemerally."""
    bot = context["bot"]
    meta, (lang, idea, errors) = _meta(view), _read(view, read_idea)
    if errors:
        return
    user = body["user"]["id"]
    row = bot.conversations.experiments.add_idea(
        meta.get("team") or context.team_id or "", user, lang=lang, **idea
    )
    bot.ephemeral(
        client,
        meta.get("channel") or user,
        user,
        t(lang, "experiments.command.added", line=line(row, lang)),
    )


def ack_at_once(ack) -> None:
    """Ack the submission (the modal closes); the lazy listener does the work."""
    ack()


def register(app: App) -> None:
    """Register the view_submission listeners (the bot is ``context["bot"]``: bot.listeners.register)."""
    app.view(IDEA_CALLBACK)(ack=_check(read_idea), lazy=[add_idea])
    app.view(CAMPAIGN_CALLBACK)(ack=_check(read_campaign), lazy=[post_campaign])
    app.view(FEEDBACK_CALLBACK)(feedback_reason)
    app.view(REASON_CALLBACK)(ack=_check(read_reason), lazy=[decide_with_reason])
    app.view(ABTEST_CALLBACK)(ack=_check(read_abtest), lazy=[post_abtest])
    app.view(REQUEST_CALLBACK)(ack=ack_at_once, lazy=[post_request])
