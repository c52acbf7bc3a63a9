"""Events: app_mention in channels, message.im in DMs, replies in threads the bot is in, and
app_home_opened (the Home tab). Each listener acks at once; the graph runs in a lazy listener (Bolt
runs it after the ack)."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.conversations import Thread
from bot.files import fetch
from graph.text import detect_language

# Slack event subscriptions (manifest.yaml bot_events) handled here and in listeners/assistant.py.
EVENTS = ("app_mention", "message.im", "message.channels", "message.groups", "app_home_opened")


def _ack(ack):
    ack()


def thread_of(event: dict, team: str | None) -> Thread:
    """The conversation thread of a message event: its thread_ts, or its own ts when top-level."""
    return Thread(team or event.get("team", ""), event["channel"], event.get("thread_ts") or event["ts"], event.get("user", ""))


def register(app: App, bot) -> None:
    """Register the event listeners."""
    store = bot.conversations.store

    def handle(event: dict, context, client) -> None:
        if event.get("bot_id") or event.get("subtype") not in (None, "file_share", "thread_broadcast"):
            return  # other bots, edits, joins
        if not store.claim_event(f"message:{event['channel']}:{event['ts']}"):
            return  # the same message also came as app_mention (or message)
        text = re.sub(r"<@[UW][A-Z0-9]+>", "", event.get("text") or "").strip()
        thread = thread_of(event, context.team_id)
        tables, errors = fetch(client, event.get("files") or [])
        for err in errors:  # say what is wrong with the file; the thread goes on without it
            bot.post(client, thread, {"kind": "data_error", "lang": detect_language(text), "error": err.message(detect_language(text))})
        if text or tables:
            bot.answer(client, thread, text, files=tables or None)

    def on_mention(event, context, client):
        handle(event, context, client)

    def on_message(event, context, client):
        bot_user = context.bot_user_id or ""
        if event.get("channel_type") == "im":
            handle(event, context, client)
        elif event.get("thread_ts") and f"<@{bot_user}>" not in (event.get("text") or ""):
            if bot.conversations.is_known(thread_of(event, context.team_id)):
                handle(event, context, client)

    def on_home(event, client):
        if event.get("tab", "home") != "home":
            return
        bot.publish_home(client, event["user"])

    app.event("app_mention")(ack=_ack, lazy=[on_mention])
    app.event("message")(ack=_ack, lazy=[on_message])
    app.event("app_home_opened")(ack=_ack, lazy=[on_home])
