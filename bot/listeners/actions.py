"""Block actions: the ambiguity buttons ("which specialist?")."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.conversations import Thread


def register(app: App, bot) -> None:
    """Register the action listeners."""

    def on_choice(body, client):
        message = body["message"]
        channel = body["channel"]["id"]
        thread = Thread(body["team"]["id"], channel, message.get("thread_ts") or message["ts"], body["user"]["id"])
        if not bot.conversations.store.claim_event(f"action:{channel}:{message['ts']}"):
            return  # a replayed or second click
        bot.answer(client, thread, body["actions"][0]["value"])

    app.action(re.compile(r"^choose_agent_\d$"))(ack=lambda ack: ack(), lazy=[on_choice])
