"""Events: app_mention in channels, message.im in DMs, replies in threads the bot is in, and
app_home_opened (the Home tab). Each listener acks at once; the graph runs in a lazy listener (Bolt
runs it after the ack)."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.files import fetch
from bot.render import unescape
from graph.conversations import Thread
from graph.messages import FileError, dump
from graph.text import detect_language

# Slack event subscriptions (manifest.yaml bot_events) handled here and in listeners/assistant.py.
EVENTS = (
    "app_mention",
    "message.im",
    "message.channels",
    "message.groups",
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
)


def _ack(ack):
    ack()


def thread_of(event: dict, team: str | None) -> Thread:
    """The conversation thread of a message event: its thread_ts, or its own ts when top-level."""
    return Thread(
        team or event.get("team", ""),
        event["channel"],
        event.get("thread_ts") or event["ts"],
        event.get("user", ""),
    )


def register(app: App, bot) -> None:
    """Register the event listeners."""
    store = bot.conversations.store

    def finished(body: dict) -> tuple:
        """The key of the event carrying a message, marked done with its turn."""
        return (f"event:{body['event_id']}",) if body.get("event_id") else ()

    def handle(event: dict, context, client, body: dict) -> None:
        done = finished(body)
        turn_key = f"message:{event['channel']}:{event['ts']}"
        if (
            event.get("bot_id")
            or event.get("subtype") not in (None, "file_share", "thread_broadcast")
            or store.is_done(turn_key)
        ):
            store.enqueue(
                [], done
            )  # other bots, edits, joins; or the same message already came as app_mention (or message)
            return
        text = unescape(re.sub(r"<@[UW][A-Z0-9]+>", "", event.get("text") or "").strip())
        thread = thread_of(event, context.team_id)
        tables, errors = fetch(client, event.get("files") or [])
        lang = detect_language(text)
        for n, err in enumerate(
            errors
        ):  # say what is wrong with the file; the thread goes on without it
            bot.post(
                thread,
                dump(FileError(lang=lang, error=err.message(lang))),
                f"{turn_key}:file:{n}",
            )
        if text or tables or not errors:  # an empty mention gets the help text
            bot.answer(client, thread, text, turn_key=turn_key, done=done, files=tables or None)
        else:
            store.enqueue([], [turn_key, *done])

    def on_mention(event, context, client, body):
        handle(event, context, client, body)

    def on_message(event, context, client, body):
        bot_user = context.bot_user_id or ""
        if event.get("channel_type") == "im":
            handle(event, context, client, body)
        elif (
            event.get("thread_ts")
            and f"<@{bot_user}>" not in (event.get("text") or "")
            and bot.conversations.is_known(thread_of(event, context.team_id))
        ):
            handle(event, context, client, body)
        else:
            store.enqueue([], finished(body))  # not for the bot: done

    def on_home(event, client, context):
        if event.get("tab", "home") != "home":
            return
        bot.publish_home(client, event["user"], context.team_id or "")

    def on_uninstalled(context):
        bot.uninstall(context.team_id)

    def on_revoked(event, context):
        if event.get("tokens", {}).get("bot"):
            bot.uninstall(context.team_id)

    app.event("app_mention")(ack=_ack, lazy=[on_mention])
    app.event("app_uninstalled")(ack=_ack, lazy=[on_uninstalled])
    app.event("tokens_revoked")(ack=_ack, lazy=[on_revoked])
    app.event("message")(ack=_ack, lazy=[on_message])
    app.event("app_home_opened")(ack=_ack, lazy=[on_home])
