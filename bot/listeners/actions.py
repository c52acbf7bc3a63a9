"""Block actions: the ambiguity buttons, "use the default assumption" on questions, Escalate / No need on a possible situation, the
reading form of doubtful figures, the escalation
buttons (Approve / Reject / Request changes on blocking notices, Acknowledge and Assign to me on
the others, also on App Home), the feedback buttons of deliverables and the App Home shortcuts. Each is acked at once and checked against
the state it refers to, so a stale or replayed click does nothing; on escalations only the
role's members act (bot.escalations.Desk), anyone else is told who can, ephemerally."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.listeners.commands import COMMANDS, open_modal, show
from bot.modals import feedback_modal, reason_modal
from bot.render import FEEDBACK_ACTION, POSSIBLE_ACTION, READING_ACTION, escape
from graph.conversations import Thread

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
)


def _thread(body: dict) -> Thread:
    message = body["message"]
    return Thread(
        body["team"]["id"],
        body["channel"]["id"],
        message.get("thread_ts") or message["ts"],
        body["user"]["id"],
    )


def register(app: App, bot) -> None:
    """Register the action listeners."""

    def ack_action(ack):
        ack()

    def waiting(thread: Thread, kind: str) -> dict | None:
        """The pending interrupt of ``kind``, or None."""
        pending = bot.conversations.pending(thread)
        return pending[0] if pending and pending[0]["kind"] == kind else None

    def click_key(body: dict) -> str:
        """One answer per button message: the turn key of a click on it."""
        return f"action:{body['channel']['id']}:{body['message']['ts']}"

    def on_choice(body, client):
        thread, value = _thread(body), body["actions"][0]["value"]
        choice = waiting(thread, "choice")
        if choice and value in [o["id"] for o in choice["options"]]:
            bot.answer(client, thread, "", turn_key=click_key(body), resume={"choice": value})

    def on_use_defaults(body, client):
        thread = _thread(body)
        question = waiting(thread, "question")
        if question and question["agent"] == body["actions"][0]["value"]:
            bot.answer(client, thread, "", turn_key=click_key(body), resume={"use_defaults": True})

    def on_possible(body, client):
        thread = _thread(body)
        if waiting(thread, "possible"):
            bot.answer(
                client,
                thread,
                "",
                turn_key=click_key(body),
                resume={"escalate": body["actions"][0]["value"] == "yes"},
            )

    def on_reading(body, client):
        """A doubtful figure's select: the figure (its place in the request) and the measure chosen."""
        thread, value = _thread(body), body["actions"][0]["selected_option"]["value"]
        start, _, name = value.partition(":")
        if waiting(thread, "reading") and start.isdigit():
            bot.answer(
                client,
                thread,
                "",
                turn_key=f"{click_key(body)}:{value}",
                resume={"figure": int(start), "type": name},
            )

    def on_escalation(body, client):
        action, user = body["actions"][0], body["user"]["id"]
        bot.act(
            client,
            action["value"],
            user,
            ESCALATION_ACTIONS[action["action_id"]],
            channel=(body.get("channel") or {}).get("id", ""),
        )
        if (
            body.get("view", {}).get("type") == "home"
        ):  # clicked on App Home: show it without that escalation
            bot.publish_home(client, user, (body.get("team") or {}).get("id", ""))

    def on_reason(ack, body, client):
        """Reject / Request changes: the reason modal, opened only for someone who may decide."""
        ack()
        action, user = body["actions"][0], body["user"]["id"]
        row = bot.conversations.store.escalation(action["value"])
        if row is None or row["status"] != "open" or row["rule"] not in bot.desk.rules:
            return  # unknown or already decided: a stale button changes nothing
        decision = ESCALATION_ACTIONS[action["action_id"]]
        if not bot.allowed(client, row, user, decision, (body.get("channel") or {}).get("id", "")):
            return
        lang = bot.user_lang(client, user)
        rule = bot.desk.rule(row)
        show(
            client,
            body["trigger_id"],
            reason_modal(
                row["id"],
                decision,
                f"*{rule.action(lang)}* — {rule.situation(lang)} ({escape(row['evidence'])})",
                lang,
            ),
        )

    def on_feedback(ack, body, client):
        """Thumbs up or down on a deliverable: recorded at once; a thumbs down also opens "what was wrong?"."""
        ack()
        rating, _, ident = body["actions"][0].get("value", "").partition(":")
        user = body["user"]["id"]
        if (
            rating in ("up", "down")
            and ident.isdigit()
            and bot.store.rate(int(ident), user, rating)
            and rating == "down"
        ):
            show(
                client, body["trigger_id"], feedback_modal(int(ident), bot.user_lang(client, user))
            )

    def on_open_command(ack, body, client):
        ack()
        command = "/" + OPEN_COMMAND.match(body["actions"][0]["action_id"])[1]
        if command in COMMANDS:
            open_modal(bot, client, command, body["trigger_id"], body["user"]["id"])

    app.action(CHOOSE)(ack=ack_action, lazy=[on_choice])
    app.action(USE_DEFAULTS)(ack=ack_action, lazy=[on_use_defaults])
    app.action(POSSIBLE_ACTION)(ack=ack_action, lazy=[on_possible])
    app.action(READING_ACTION)(ack=ack_action, lazy=[on_reading])
    for action_id in ESCALATION_ACTIONS:
        if action_id in WITH_REASON:
            app.action(action_id)(on_reason)
        else:
            app.action(action_id)(ack=ack_action, lazy=[on_escalation])
    app.action(OPEN_COMMAND)(on_open_command)
    app.action(FEEDBACK_ACTION)(on_feedback)
