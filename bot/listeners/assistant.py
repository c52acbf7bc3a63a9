"""Slack's agent features. The agent messaging experience (manifest ``features.agent_view``): the
Messages tab opened (app_home_opened, ``tab == "messages"``) gets the suggested prompts and, the
first time, a greeting; each DM is a thread the bot answers in. Apps installed earlier with
``assistant_view`` keep the assistant pane (Bolt's ``Assistant``): suggested prompts per domain
when a thread starts. In both, a status while the graph works and the thread title set from the
first request."""

from __future__ import annotations

from slack_bolt import App, Assistant
from slack_sdk import WebClient

from bot.delivery import Post
from bot.delivery import row as outbox_row
from bot.render import escape, unescape
from graph.i18n import t
from graph.threads import Thread

# The assistant pane's events: only apps still on assistant_view get them (not in manifest.yaml).
ASSISTANT_EVENTS = ("assistant_thread_started", "assistant_thread_context_changed")
# One prompt per domain orchestrator (Slack shows at most four).
PROMPTS = (
    "campagnes",
    "performance",
    "automation",
    "marketing-analytics",
)  # texts: listeners.assistant.prompts.<domain>


def suggested_prompts(lang: str) -> list[dict[str, str]]:
    """One suggested prompt ({"title", "message"}) per domain of PROMPTS, in ``lang``."""
    return [
        {
            "title": t(lang, f"listeners.assistant.prompts.{d}.title"),
            "message": t(lang, f"listeners.assistant.prompts.{d}.message"),
        }
        for d in PROMPTS
    ]


def start(say, set_suggested_prompts, event, client, context) -> None:
    """A new assistant thread: a greeting and one suggested prompt per domain, in the user's language."""
    lang = context["bot"].user_lang(client, event["assistant_thread"]["user_id"])
    say(t(lang, "listeners.assistant.hi_describe_marketing_need"))
    set_suggested_prompts(
        prompts=suggested_prompts(lang), title=t(lang, "listeners.assistant.example")
    )


def messages_tab(bot, client: WebClient, team: str, user: str, channel: str) -> None:
    """The Messages tab (DM ``channel``) opened by ``user`` under agent_view: the suggested prompts
    (assistant.threads.setSuggestedPrompts without thread_ts, as Slack asks of agent apps) and,
    once per user ever (an outbox key), a greeting in the user's language."""
    lang = bot.user_lang(client, user)
    client.assistant_threads_setSuggestedPrompts(
        channel_id=channel,
        prompts=suggested_prompts(lang),
        title=t(lang, "listeners.assistant.example"),
    )
    greeting = Post(channel=channel, team=team, text=t(lang, "listeners.assistant.greeting"))
    bot.enqueue([outbox_row(f"dm:{team}:{user}", f"greeting:{team}:{user}", greeting)])


def received(payload) -> None:
    """Ack of a user message in the pane (the worker answers it: :func:`reply`)."""


def reply(payload, context, client, set_title, set_status, body) -> None:
    """The message answered as any thread's (its first one titles the thread), with the "thinking"
    status first: set here rather than at the ack, so that it never lands after the status that
    names the specialist at work (the ack and the turn run in different processes)."""
    bot = context["bot"]
    set_status(t(bot.user_lang(client, payload["user"]), "listeners.assistant.thinking"))
    thread = Thread(
        context.team_id or "", payload["channel"], payload["thread_ts"], payload["user"]
    )
    text = unescape(payload.get("text") or "")
    if not bot.conversations.is_known(thread):
        set_title(escape(text or "marketing-bot")[:80])
    done = (f"event:{body['event_id']}",) if body.get("event_id") else ()
    turn_key = f"message:{payload['channel']}:{payload['ts']}"
    bot.answer(client, thread, text, turn_key=turn_key, assistant=True, done=done)


def register(app: App) -> None:
    """Register the Assistant middleware and its listeners (the bot is ``context["bot"]``)."""
    assistant = Assistant()
    assistant.thread_started(start)
    assistant.user_message(lazy=[reply])(received)
    app.use(assistant)
