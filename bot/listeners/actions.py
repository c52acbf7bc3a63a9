"""Block actions: the ambiguity buttons, "use the default assumption" on questions, "Acknowledge" on
escalation notices, and the App Home shortcuts. Each is acked at once and checked against the state
it refers to, so a stale or replayed click does nothing."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.conversations import Thread
from bot.listeners.commands import COMMANDS, open_modal
from bot.render import acknowledged

CHOOSE = re.compile(r"^choose_agent_\d$")
USE_DEFAULTS, ACKNOWLEDGE = "use_defaults", "acknowledge_escalation"
OPEN_COMMAND = re.compile(r"^open_command_(\w+)$")  # App Home shortcut to a command's modal
ACTIONS = (CHOOSE, USE_DEFAULTS, ACKNOWLEDGE, OPEN_COMMAND)


def _thread(body: dict) -> Thread:
    message = body["message"]
    return Thread(body["team"]["id"], body["channel"]["id"], message.get("thread_ts") or message["ts"], body["user"]["id"])


def register(app: App, bot) -> None:
    """Register the action listeners."""

    def ack_action(ack):
        ack()

    def waiting(thread: Thread, kind: str, body: dict) -> dict | None:
        """The pending interrupt of ``kind``, claimed for this click (one answer per message)."""
        if not bot.conversations.store.claim_event(f"action:{thread.channel}:{body['message']['ts']}"):
            return None
        pending = bot.conversations.pending(thread)
        return pending[0] if pending and pending[0]["kind"] == kind else None

    def on_choice(body, client):
        thread, value = _thread(body), body["actions"][0]["value"]
        choice = waiting(thread, "choice", body)
        if choice and value in [o["id"] for o in choice["options"]]:
            bot.answer(client, thread, value)

    def on_use_defaults(body, client):
        thread = _thread(body)
        question = waiting(thread, "question", body)
        if question and question["agent"] == body["actions"][0]["value"]:
            bot.answer(client, thread, "je ne sais pas" if question["lang"] == "fr" else "skip")

    def on_acknowledge(body, client):
        row = bot.conversations.store.acknowledge(body["actions"][0]["value"], body["user"]["id"])
        if row is None:
            return  # unknown, or already acknowledged
        message = body["message"]
        client.chat_update(channel=body["channel"]["id"], ts=message["ts"], text=message.get("text", ""),
                           blocks=acknowledged(message.get("blocks", []), row["acknowledged_by"], row["acknowledged_at"],
                                               row.get("lang") or "fr"))

    def on_open_command(ack, body, client):
        ack()
        command = "/" + OPEN_COMMAND.match(body["actions"][0]["action_id"])[1]
        if command in COMMANDS:
            open_modal(bot, client, command, body["trigger_id"], body["user"]["id"])

    app.action(CHOOSE)(ack=ack_action, lazy=[on_choice])
    app.action(USE_DEFAULTS)(ack=ack_action, lazy=[on_use_defaults])
    app.action(ACKNOWLEDGE)(ack=ack_action, lazy=[on_acknowledge])
    app.action(OPEN_COMMAND)(on_open_command)
