"""Events: app_mention in channels, message.im in DMs, replies in threads the bot is in, and
app_home_opened (the Home tab). Each listener acks at once; the graph runs in a lazy listener (Bolt
runs it after the ack)."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.delivery import own_text
from bot.delivery import row as outbox_row
from bot.listeners.assistant import messages_tab
from bot.listeners.commands import answer_brief
from bot.render import thread_link, unescape
from bot.viewing import in_view, operation_on, viewed_thread
from graph.i18n import t
from graph.messages import FileError, dump
from graph.text import detect_language
from graph.threads import Thread

# Slack event subscriptions (manifest.yaml bot_events) handled here and in listeners/assistant.py.
EVENTS = (
    "app_mention",
    "message.im",
    "message.channels",
    "message.groups",
    "app_home_opened",
    "app_context_changed",
    "app_uninstalled",
    "tokens_revoked",
)


def _ack(ack) -> None:
    """Ack at once; the lazy listener does the work."""
    ack()


def thread_of(event: dict, team: str | None) -> Thread:
    """The conversation thread of a message event: its thread_ts, or its own ts when top-level."""
    return Thread(
        team or event.get("team", ""),
        event["channel"],
        event.get("thread_ts") or event["ts"],
        event.get("user", ""),
    )


def _finished(body: dict) -> tuple:
    """The key of the event carrying a message, marked done with its turn."""
    return (f"event:{body['event_id']}",) if body.get("event_id") else ()


def _skipped(event: dict, store, turn_key: str) -> bool:
    """Other bots, edits, joins; or the same message already came as app_mention (or message)."""
    subtype = event.get("subtype") not in (None, "file_share", "thread_broadcast")
    return bool(event.get("bot_id")) or subtype or store.events.is_done(turn_key)


def handle(event: dict, context, client, body: dict) -> None:
    """A message for the bot: its files read (a file that is not a table is said so in the thread,
    which goes on without it), then the turn answered (bot.app.SlackBot.answer)."""
    from bot.files import fetch  # pandas: loaded where turns run, not by the process that acks

    bot = context["bot"]
    store, done = bot.conversations.store, _finished(body)
    turn_key = f"message:{event['channel']}:{event['ts']}"
    if _skipped(event, store, turn_key):
        store.outbox.enqueue([], done)
        return
    text = unescape(re.sub(r"<@[UW][A-Z0-9]+>", "", event.get("text") or "").strip())
    thread = thread_of(event, context.team_id)
    tables, errors = fetch(client, event.get("files") or [])
    lang = detect_language(text)
    for n, err in enumerate(errors):
        bot.post(
            thread, dump(FileError(lang=lang, error=err.message(lang))), f"{turn_key}:file:{n}"
        )
    if not (text or tables or not errors):  # an empty mention gets the help text
        store.outbox.enqueue([], [turn_key, *done])
        return
    viewed = (
        _in_view(bot, thread, text) if event.get("channel_type") == "im" and not tables else None
    )
    if viewed is None:
        _answer(bot, client, thread, text, turn_key, done, tables)
        return
    _answer(bot, client, viewed, text, turn_key, done, None)
    lang = bot.conversations.language(thread, text)
    said = t(
        lang,
        "listeners.assistant.applied_in_view",
        link=thread_link(
            viewed.channel, viewed.thread_ts or "", t(lang, "listeners.assistant.the_thread")
        ),
    )
    pointer = outbox_row(f"thread:{thread.key}", f"{turn_key}:in-view", own_text(thread, said))
    bot.enqueue([pointer])


def _answer(bot, client, thread: Thread, text: str, turn_key: str, done: tuple, tables) -> None:
    """Answer ``text`` in ``thread``; a correction of a campaign's brief there makes its plan and
    its budget split again (bot.gate.Gatekeeper.corrected_brief)."""
    brief = bot.gate.corrected_brief(thread, text) if not tables else None
    if brief:
        answer_brief(bot, client, thread, brief, turn_key, done)
    else:
        bot.answer(client, thread, text, turn_key=turn_key, done=done, files=tables or None)


def _in_view(bot, thread: Thread, text: str) -> Thread | None:
    """The thread the user has in view (bot.viewing) when ``text``, typed in the agent pane, is a
    follow-up of it and not of the pane's own conversation; else None."""
    if bot.conversations.is_known(thread) and operation_on(bot, thread, text) is not None:
        return None
    viewed = viewed_thread(bot, thread.team, thread.user)
    return viewed if viewed is not None and operation_on(bot, viewed, text) else None


def on_context_changed(event, context) -> None:
    """What the user looks at while the agent pane is open (``app_context_changed``): kept for
    their next request in the pane (bot.viewing)."""
    context["bot"].store.viewing.seen(context.team_id or "", event.get("user", ""), in_view(event))


def on_mention(event, context, client, body) -> None:
    """An app_mention in a channel."""
    handle(event, context, client, body)


def on_message(event, context, client, body) -> None:
    """A DM, or a reply in a thread the bot is in; any other message is not for the bot (done)."""
    bot, bot_user = context["bot"], context.bot_user_id or ""
    in_thread = (
        event.get("thread_ts")
        and f"<@{bot_user}>" not in (event.get("text") or "")
        and bot.conversations.is_known(thread_of(event, context.team_id))
    )
    if event.get("channel_type") == "im" or in_thread:
        handle(event, context, client, body)
    else:
        bot.conversations.store.outbox.enqueue([], _finished(body))


def on_home(event, client, context) -> None:
    """The Home tab opened: published for that user; the Messages tab (the agent's DM): its
    suggested prompts and a first greeting (bot.listeners.assistant.messages_tab)."""
    tab, team = event.get("tab", "home"), context.team_id or ""
    if tab == "home":
        context["bot"].publish_home(client, event["user"], team)
    elif tab == "messages" and event.get("channel"):
        messages_tab(context["bot"], client, team, event["user"], event["channel"])


def on_uninstalled(context) -> None:
    """The app was uninstalled from a workspace: its tokens are deleted."""
    context["bot"].uninstall(context.team_id)


def on_revoked(event, context) -> None:
    """The bot token was revoked: as an uninstall."""
    if event.get("tokens", {}).get("bot"):
        context["bot"].uninstall(context.team_id)


def register(app: App) -> None:
    """Register the event listeners (the bot is ``context["bot"]``: bot.listeners.register)."""
    app.event("app_mention")(ack=_ack, lazy=[on_mention])
    app.event("app_uninstalled")(ack=_ack, lazy=[on_uninstalled])
    app.event("tokens_revoked")(ack=_ack, lazy=[on_revoked])
    app.event("message")(ack=_ack, lazy=[on_message])
    app.event("app_home_opened")(ack=_ack, lazy=[on_home])
    app.event("app_context_changed")(on_context_changed)
