"""The Bolt app: Web API client (optionally at SLACK_API_BASE_URL), retry de-duplication, listeners,
and the escalation desk (who may act on a notice, decisions, reminders)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from functools import lru_cache

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import charts
from bot.config import Settings
from bot.conversations import Conversations, Thread
from bot.escalations import Desk, EscalationNotifier
from bot.home import home_view
from bot.listeners import register
from bot.render import fits, notice, render, reminder, summary_blocks
from bot.roles import Directory, load_roles
from bot.streaming import ThreadStream
from graph.escalation import DECISIONS
from graph.text import detect_language

log = logging.getLogger(__name__)


class SlackBot:
    """What the listeners need: the conversations, the settings, how to post a reply, and the
    escalation desk. ``client`` is the app's Web API client (user groups are read with it)."""

    def __init__(self, settings: Settings, conversations: Conversations, client: WebClient | None = None):
        self.settings, self.conversations, self.client = settings, conversations, client
        directory = Directory(load_roles(settings.marketing_bot_roles), self._group_members)
        self.desk = Desk(conversations.store, directory, conversations.context.hierarchy.escalations, settings.escalation_remind_after,
                         settings.escalation_fallback_after, settings.escalation_max_reminders)
        self.user_lang = lru_cache(maxsize=1000)(self._user_lang)

    def _group_members(self, group: str) -> list[str]:
        """usergroups.users.list of a user group (S…); [] without a client."""
        return list(self.client.usergroups_users_list(usergroup=group).get("users", [])) if self.client else []

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
        pending = self.conversations.pending(thread)
        if pending and pending[0]["kind"] == "decision_pending":  # only a role member's explicit words decide
            decided = self.desk.typed(thread.key, pending[0]["rules"], thread.user, text)
            if decided:
                self.complete(client, decided)
                return
        stream = ThreadStream(client, thread, route.get("lang") or detect_language(text)) if self.conversations.brain == "claude" else None
        try:
            items = self.conversations.handle(thread, text, self.notifier(client, thread), progress=stream, **route)
        except Exception:
            log.exception("turn failed in %s", thread.key)
            items = [{"kind": "unparsed", "lang": route.get("lang") or "fr", "answer": text[:200]}]
        for n, item in enumerate(items):
            self.post(client, thread, item, stream.ts if stream and n == 0 else None)
        if stream and not items:
            stream.discard()

    def notifier(self, client: WebClient, thread: Thread) -> EscalationNotifier:
        """Posts this thread's escalation notices in ESCALATION_CHANNEL, with a link to the thread,
        and a rule's direct messages (hot lead) to its role's members."""
        def post_notice(notice_text: str, blocks: list) -> dict:
            resp = client.chat_postMessage(channel=self.settings.escalation_channel, text=notice_text, blocks=blocks)
            return {"channel": resp.get("channel", ""), "ts": resp.get("ts", "")}

        def permalink() -> str:
            try:
                return client.chat_getPermalink(channel=thread.channel, message_ts=thread.thread_ts).get("permalink", "")
            except SlackApiError:  # a missing permalink must not block the notice
                log.warning("chat.getPermalink failed for %s", thread.key)
                return ""

        def direct(user: str, text: str) -> None:
            try:
                client.chat_postMessage(channel=user, text=text)
            except SlackApiError as err:  # one unreachable member must not stop the others
                log.warning("direct message to %s failed: %s", user, err.response.get("error"))

        return EscalationNotifier(self.desk, thread, post_notice, permalink, direct)

    def act(self, client: WebClient, escalation_id: str, user: str, action: str, reason: str = "", channel: str = "") -> dict | None:
        """``user`` acts on an escalation: a decision (approved, rejected, changes_requested, with
        ``reason``), 'acknowledged' or 'assigned'. Someone who may not act gets an ephemeral message
        saying who can (in ``channel``, else the notice's channel) and nothing changes; a second or
        replayed action changes nothing. Returns the updated row, or None when nothing changed."""
        row = self.conversations.store.escalation(escalation_id)
        if row is None or row["rule"] not in self.desk.rules:
            return None
        if not self.desk.may_act(row, user):
            self.desk.deny(row, user, action)
            self.ephemeral(client, channel or row["notice_channel"], user, self.desk.refusal(row, user, self.user_lang(client, user)))
            return None
        store = self.conversations.store
        done = (store.decide(escalation_id, action, user, reason) if action in DECISIONS else
                store.acknowledge(escalation_id, user) if action == "acknowledged" else store.assign(escalation_id, user))
        if done is None:
            return None
        if action in DECISIONS:
            self.complete(client, done)
            return done
        self.update_notice(client, done)
        thread = self.conversations.thread(done["thread_key"])
        if action == "assigned" and thread:
            self.post(client, thread, {"kind": "assigned", "lang": done.get("lang") or "fr", "by": user, "action": done["action"]})
        return done

    def publish_home(self, client: WebClient, user: str) -> None:
        """views.publish of ``user``'s App Home: what waits for their decision first."""
        store, desk = self.conversations.store, self.desk
        rules = [(r, desk.rule(r)) for r in store.open_escalations() if r["rule"] in desk.rules]
        view = home_view(self.user_lang(client, user), store.threads_of(user), store.deliverables_of(user), rules,
                         [(r, desk.rule(r)) for r in desk.open_for(user)])
        client.views_publish(user_id=user, view=view)

    def ephemeral(self, client: WebClient, channel: str, user: str, text: str) -> None:
        """chat.postEphemeral, logged instead of raised when Slack refuses it (user not in channel)."""
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        except SlackApiError as err:
            log.warning("ephemeral message to %s failed: %s", user, err.response.get("error"))

    def update_notice(self, client: WebClient, row: dict) -> None:
        """Rebuild the notice from its row and chat.update it in place (buttons replaced by what happened)."""
        if not row.get("notice_ts"):
            return
        text, blocks = notice(row, self.desk.rule(row), self.desk.who(row), row.get("lang") or "fr")
        client.chat_update(channel=row["notice_channel"], ts=row["notice_ts"], text=text, blocks=blocks)

    def complete(self, client: WebClient, row: dict) -> None:
        """After a recorded decision: update the notice, resume the waiting thread with it
        (``Command(resume=…)``) and post what follows in the requester's thread, then mark it
        resumed. Safe to repeat: a thread no longer waiting on the rule is not resumed twice."""
        self.update_notice(client, row)
        thread = self.conversations.thread(row["thread_key"])
        if thread:
            for item in self.conversations.resume(thread, self.desk.resume_value(row), self.notifier(client, thread)):
                self.post(client, thread, item)
        self.conversations.store.mark_resumed(row["id"])

    def tick(self, client: WebClient) -> None:
        """One pass of the escalation clock: finish decisions recorded but not resumed (a crash in
        between), then post the reminders now due in each notice's thread."""
        for row in self.conversations.store.unresumed_decisions():
            self.complete(client, row)
        for due in self.desk.due_reminders(datetime.now(timezone.utc)):
            row = due.row
            if row.get("notice_ts"):
                client.chat_postMessage(channel=row["notice_channel"], thread_ts=row["notice_ts"],
                                        text=reminder(row, due.rule, due.who, row.get("lang") or "fr", due.fallback))
            if due.fallback:
                self.update_notice(client, row)  # the notice names the fallback role too

    def run_clock(self, client: WebClient, stop: threading.Event) -> None:
        """Run ``tick`` at once and then until ``stop`` is set, every second with
        ESCALATION_REMIND_AFTER (trials), else every 15 s. Due times live in the database, so a restart loses no reminder."""
        period = 1.0 if self.settings.escalation_remind_after else 15.0
        while not stop.is_set():
            try:
                self.tick(client)
            except Exception:  # a failing pass must not stop the clock
                log.exception("escalation clock pass failed")
            stop.wait(period)

    def start_clock(self, client: WebClient) -> threading.Event:
        """Start ``run_clock`` in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        threading.Thread(target=self.run_clock, args=(client, stop), name="escalation-clock", daemon=True).start()
        return stop

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


def build_app(settings: Settings, conversations: Conversations) -> tuple[App, SlackBot]:
    """A Bolt App with our listeners, and the SlackBot they share. Raises MissingSetting when
    tokens are missing. Logs one warning naming the escalation roles nobody is configured for."""
    settings.require("slack_bot_token", "escalation_channel")
    if not settings.slack_app_token:
        settings.require("slack_signing_secret")
    token = settings.slack_bot_token.get_secret_value()
    client_args = {"token": token, "retry_handlers": [RateLimitErrorRetryHandler(max_retry_count=2)]}
    if settings.slack_api_base_url:
        client_args["base_url"] = settings.slack_api_base_url.rstrip("/") + "/"
    client = WebClient(**client_args)
    app = App(
        client=client,
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

    bot = SlackBot(settings, conversations, client)
    rules = bot.desk.rules.values()
    unconfigured = bot.desk.directory.unconfigured([r.role for r in rules] + [r.fallback for r in rules if r.fallback])
    if unconfigured:
        log.warning("escalation roles with nobody configured (MARKETING_BOT_ROLES): %s; their notices say so and nobody can act on them",
                    ", ".join(unconfigured))
    register(app, bot)
    return app, bot
