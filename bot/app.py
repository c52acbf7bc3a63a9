"""The Bolt app: Web API client (optionally at SLACK_API_BASE_URL), retry de-duplication, listeners."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.config import Settings
from bot.conversations import Conversations, EscalationNotifier, Thread
from bot.listeners import register
from bot.render import render
from bot.roles import load_roles

log = logging.getLogger(__name__)


class SlackBot:
    """What the listeners need: the conversations, the settings, and how to post a reply."""

    def __init__(self, settings: Settings, conversations: Conversations):
        self.settings, self.conversations = settings, conversations
        self.roles = load_roles(settings.marketing_bot_roles)

    def answer(self, client: WebClient, thread: Thread, text: str) -> None:
        """Run ``text`` through the graph and post every resulting message in the thread."""
        def post_notice(notice_text: str, blocks: list) -> dict:
            resp = client.chat_postMessage(channel=self.settings.escalation_channel, text=notice_text, blocks=blocks)
            return {"channel": resp.get("channel", ""), "ts": resp.get("ts", "")}

        def permalink() -> str:
            try:
                return client.chat_getPermalink(channel=thread.channel, message_ts=thread.thread_ts).get("permalink", "")
            except Exception:  # a missing permalink must not block the notice
                log.warning("chat.getPermalink failed for %s", thread.key)
                return ""

        notifier = EscalationNotifier(self.conversations.store, thread, self.roles, post_notice, permalink)
        try:
            items = self.conversations.handle(thread, text, notifier)
        except Exception:
            log.exception("turn failed in %s", thread.key)
            items = [{"kind": "unparsed", "lang": "fr", "answer": text[:200]}]
        for item in items:
            reply_text, blocks = render(item)
            client.chat_postMessage(channel=thread.channel, thread_ts=thread.thread_ts, text=reply_text, blocks=blocks)


def build_app(settings: Settings, conversations: Conversations) -> App:
    """A Bolt App with our listeners. Raises MissingSetting when tokens are missing."""
    settings.require("slack_bot_token", "escalation_channel")
    if not settings.slack_app_token:
        settings.require("slack_signing_secret")
    token = settings.slack_bot_token.get_secret_value()
    client_args = {"token": token, "retry_handlers": [RateLimitErrorRetryHandler(max_retry_count=2)]}
    if settings.slack_api_base_url:
        client_args["base_url"] = settings.slack_api_base_url.rstrip("/") + "/"
    app = App(
        client=WebClient(**client_args),
        signing_secret=settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None,
    )
    store = conversations.store

    @app.middleware
    def skip_retries(body, next):
        """A Slack retry of an event already handled (same event_id) gets 200 and nothing else."""
        event_id = body.get("event_id")
        if event_id and not store.claim_event(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        next()

    register(app, SlackBot(settings, conversations))
    return app
