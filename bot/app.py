"""The Bolt app: Web API client (optionally at SLACK_API_BASE_URL), retry de-duplication, listeners."""

from __future__ import annotations

import logging
from functools import lru_cache

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import charts
from bot.config import Settings
from bot.conversations import Conversations, EscalationNotifier, Thread
from bot.listeners import register
from bot.render import fits, render, summary_blocks
from bot.roles import load_roles
from bot.streaming import ThreadStream
from graph.text import detect_language

log = logging.getLogger(__name__)


class SlackBot:
    """What the listeners need: the conversations, the settings, and how to post a reply."""

    def __init__(self, settings: Settings, conversations: Conversations):
        self.settings, self.conversations = settings, conversations
        self.roles = load_roles(settings.marketing_bot_roles)
        self.user_lang = lru_cache(maxsize=1000)(self._user_lang)

    def _user_lang(self, client: WebClient, user: str) -> str:
        """'en' or 'fr' from the user's Slack locale (users.info); 'fr' when it cannot be read."""
        try:
            locale = client.users_info(user=user, include_locale=True)["user"].get("locale", "")
        except (SlackApiError, KeyError):
            return "fr"
        return "en" if locale.startswith("en") else "fr"

    def answer(self, client: WebClient, thread: Thread, text: str, **route) -> None:
        """Run ``text`` through the graph and post every resulting message in the thread.

        ``route``: ``agent`` and ``brief`` (a modal chose the specialist), ``scope`` (a slash
        command bounds routing), ``lang`` (the language when the text gives no signal), ``files``
        (tables shared with the message)."""
        def post_notice(notice_text: str, blocks: list) -> dict:
            resp = client.chat_postMessage(channel=self.settings.escalation_channel, text=notice_text, blocks=blocks)
            return {"channel": resp.get("channel", ""), "ts": resp.get("ts", "")}

        def permalink() -> str:
            try:
                return client.chat_getPermalink(channel=thread.channel, message_ts=thread.thread_ts).get("permalink", "")
            except SlackApiError:  # a missing permalink must not block the notice
                log.warning("chat.getPermalink failed for %s", thread.key)
                return ""

        notifier = EscalationNotifier(self.conversations.store, thread, self.roles, post_notice, permalink)
        stream = ThreadStream(client, thread, route.get("lang") or detect_language(text)) if self.conversations.brain == "claude" else None
        try:
            items = self.conversations.handle(thread, text, notifier, progress=stream, **route)
        except Exception:
            log.exception("turn failed in %s", thread.key)
            items = [{"kind": "unparsed", "lang": route.get("lang") or "fr", "answer": text[:200]}]
        for n, item in enumerate(items):
            self.post(client, thread, item, stream.ts if stream and n == 0 else None)
        if stream and not items:
            stream.discard()

    def post(self, client: WebClient, thread: Thread, item: dict, replace_ts: str | None = None) -> None:
        """Post one item in the thread (or put it in place of the placeholder ``replace_ts``); a
        deliverable beyond Block Kit's limits goes out as a summary in blocks plus the whole
        deliverable as a Markdown file (files_upload_v2), never truncated."""
        text, blocks = render(item)
        whole = fits(text, blocks)
        if not whole:
            text, blocks = summary_blocks(item)
        if replace_ts:
            client.chat_update(channel=thread.channel, ts=replace_ts, text=text, blocks=blocks)
        else:
            client.chat_postMessage(channel=thread.channel, thread_ts=thread.thread_ts, text=text, blocks=blocks)
        if not whole:
            client.files_upload_v2(channel=thread.channel, thread_ts=thread.thread_ts, content=item["markdown"],
                                   filename=f"{item['agent']}.md", title=blocks[0]["text"]["text"])
        for attached in item.get("files") or []:  # e.g. the campaign calendar (.ics)
            client.files_upload_v2(channel=thread.channel, thread_ts=thread.thread_ts, content=attached["content"],
                                   filename=attached["filename"], title=attached["title"])
        for spec in item.get("charts") or []:  # each chart as a PNG, and its data as CSV
            client.files_upload_v2(channel=thread.channel, thread_ts=thread.thread_ts, title=spec["title"], file_uploads=[
                {"content": charts.png(spec), "filename": f"{spec['filename']}.png", "title": spec["title"]},
                {"content": charts.table_csv(spec), "filename": f"{spec['filename']}.csv", "title": spec["title"]}])

    def open_thread(self, client: WebClient, team: str, channel: str, user: str, text: str, blocks: list | None = None) -> Thread:
        """Post the top-level message of a new bot thread (a slash command, a modal) and return its Thread."""
        resp = client.chat_postMessage(channel=channel, text=text, blocks=blocks or [
            {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}])
        return Thread(team, resp["channel"], resp["ts"], user)


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
