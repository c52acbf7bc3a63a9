"""Block actions: the ambiguity buttons, "use the default assumption" on questions, Escalate / No need on a possible situation, the
reading form of doubtful figures, the escalation
buttons (Approve / Reject / Request changes on blocking notices, Acknowledge and Assign to me on
the others, also on App Home), the feedback buttons of deliverables and the App Home shortcuts. Each is acked at once and checked against
the state it refers to, so a stale or replayed click does nothing; on escalations only the
role's members act (bot.escalations.Desk), anyone else is told who can, ephemerally."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.checklist import CHECK_ACTION, LAUNCH_ACTION
from bot.listeners.commands import COMMANDS, open_modal, show
from bot.modals import feedback_modal, reason_modal
from bot.render import FEEDBACK_ACTION, POSSIBLE_ACTION, READING_ACTION, escape
from graph.messages import Choice, FigureCheck, Possible, Question, parse
from graph.threads import Thread

CHOOSE = re.compile(r"^choose_agent_\d$")
USE_DEFAULTS = "use_defaults"
# escalation button -> what it records (bot.render.ESCALATION_BUTTONS draws them)
ESCALATION_ACTIONS = {
    "approve_escalation": "approved",
    "acknowledge_escalation": "acknowledged",
    "assign_escalation": "assigned",
    "reject_escalation": "rejected",
    "request_changes_escalation": "changes_requested",
}
WITH_REASON = ("reject_escalation", "request_changes_escalation")  # open the reason modal first
OPEN_COMMAND = re.compile(r"^open_command_(\w+)$")  # App Home shortcut to a command's modal
ACTIONS = (
    CHOOSE,
    USE_DEFAULTS,
    POSSIBLE_ACTION,
    READING_ACTION,
    *ESCALATION_ACTIONS,
    OPEN_COMMAND,
    FEEDBACK_ACTION,
    CHECK_ACTION,
    LAUNCH_ACTION,
)


def _thread(body: dict) -> Thread:
    message = body["message"]
    return Thread(
        body["team"]["id"],
        body["channel"]["id"],
        message.get("thread_ts") or message["ts"],
        body["user"]["id"],
    )


def _waiting(bot, thread: Thread, kind: type) -> dict | None:
    """The thread's pending interrupt when it is a message of type ``kind`` (graph.messages), or None."""
    pending = bot.conversations.pending(thread)
    return pending[0] if pending and isinstance(parse(pending[0]), kind) else None


def _click_key(body: dict) -> str:
    """One answer per button message: the turn key of a click on it."""
    return f"action:{body['channel']['id']}:{body['message']['ts']}"


def ack_at_once(ack) -> None:
    """Ack within Slack's 3 seconds; the lazy listener does the work."""
    ack()


def on_choice(body, client, context) -> None:
    """A specialist picked among two: resumes the thread's choice with its id."""
    bot, thread, value = context["bot"], _thread(body), body["actions"][0]["value"]
    choice = _waiting(bot, thread, Choice)
    if choice and value in [o["id"] for o in choice["options"]]:
        bot.answer(client, thread, "", turn_key=_click_key(body), resume={"choice": value})


def on_use_defaults(body, client, context) -> None:
    """ "I don't know, use the default assumption" on a question: every stated default is taken."""
    bot, thread = context["bot"], _thread(body)
    question = _waiting(bot, thread, Question)
    if question and question["agent"] == body["actions"][0]["value"]:
        bot.answer(client, thread, "", turn_key=_click_key(body), resume={"use_defaults": True})


def on_possible(body, client, context) -> None:
    """Escalate / No need on a possible situation."""
    bot, thread = context["bot"], _thread(body)
    if _waiting(bot, thread, Possible):
        escalate = body["actions"][0]["value"] == "yes"
        bot.answer(client, thread, "", turn_key=_click_key(body), resume={"escalate": escalate})


def on_reading(body, client, context) -> None:
    """A doubtful figure's select: the figure (its place in the request) and the measure chosen."""
    bot, thread = context["bot"], _thread(body)
    value = body["actions"][0]["selected_option"]["value"]
    start, _, name = value.partition(":")
    if _waiting(bot, thread, FigureCheck) and start.isdigit():
        resume = {"figure": int(start), "type": name}
        bot.answer(client, thread, "", turn_key=f"{_click_key(body)}:{value}", resume=resume)


def on_escalation(body, client, context) -> None:
    """Approve, Acknowledge, Assign to me on a notice (or on App Home, shown again without it)."""
    bot, action, user = context["bot"], body["actions"][0], body["user"]["id"]
    channel = (body.get("channel") or {}).get("id", "")
    bot.act(client, action["value"], user, ESCALATION_ACTIONS[action["action_id"]], channel=channel)
    if body.get("view", {}).get("type") == "home":
        bot.publish_home(client, user, (body.get("team") or {}).get("id", ""))


def on_reason(ack, body, client, context) -> None:
    """Reject / Request changes: the reason modal, opened only for someone who may decide."""
    ack()
    bot, action, user = context["bot"], body["actions"][0], body["user"]["id"]
    row = bot.conversations.store.escalations.escalation(action["value"])
    if row is None or row["status"] != "open" or row["rule"] not in bot.desk.rules:
        return  # unknown or already decided: a stale button changes nothing
    decision = ESCALATION_ACTIONS[action["action_id"]]
    if not bot.allowed(client, row, user, decision, (body.get("channel") or {}).get("id", "")):
        return
    lang, rule = bot.user_lang(client, user), bot.desk.rule(row)
    said = f"*{rule.action(lang)}* — {rule.situation(lang)} ({escape(row['evidence'])})"
    show(client, body["trigger_id"], reason_modal(row["id"], decision, said, lang))


def on_feedback(ack, body, client, context) -> None:
    """Thumbs up or down on a deliverable: recorded at once; a thumbs down also opens "what was wrong?"."""
    ack()
    bot, user = context["bot"], body["user"]["id"]
    rating, _, ident = body["actions"][0].get("value", "").partition(":")
    if rating not in ("up", "down") or not ident.isdigit():
        return
    if bot.store.deliverables.rate(int(ident), user, rating) and rating == "down":
        show(client, body["trigger_id"], feedback_modal(int(ident), bot.user_lang(client, user)))


def on_open_command(ack, body, client, context) -> None:
    """An App Home shortcut: the command's modal."""
    ack()
    shortcut = OPEN_COMMAND.match(body["actions"][0]["action_id"])
    command = "/" + shortcut[1] if shortcut else ""
    if command in COMMANDS:
        open_modal(context["bot"], client, command, body["trigger_id"], body["user"]["id"])


def on_gate_check(body, client, context) -> None:
    """A box of a campaign's go/no-go checklist ticked or unticked (bot.gate.Gatekeeper.tick)."""
    context["bot"].gate.tick(client, body)


def on_gate_launch(body, client, context) -> None:
    """Launch on a campaign's go/no-go checklist (bot.gate.Gatekeeper.launch)."""
    context["bot"].gate.launch(client, body)


def register(app: App) -> None:
    """Register the action listeners (the bot is ``context["bot"]``: bot.listeners.register)."""
    app.action(CHOOSE)(ack=ack_at_once, lazy=[on_choice])
    app.action(USE_DEFAULTS)(ack=ack_at_once, lazy=[on_use_defaults])
    app.action(POSSIBLE_ACTION)(ack=ack_at_once, lazy=[on_possible])
    app.action(READING_ACTION)(ack=ack_at_once, lazy=[on_reading])
    for action_id in ESCALATION_ACTIONS:
        if action_id in WITH_REASON:
            app.action(action_id)(on_reason)
        else:
            app.action(action_id)(ack=ack_at_once, lazy=[on_escalation])
    app.action(OPEN_COMMAND)(on_open_command)
    app.action(FEEDBACK_ACTION)(on_feedback)
    app.action(CHECK_ACTION)(ack=ack_at_once, lazy=[on_gate_check])
    app.action(LAUNCH_ACTION)(ack=ack_at_once, lazy=[on_gate_launch])
