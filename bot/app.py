"""The Bolt app: Web API client (optionally at SLACK_API_BASE_URL), event de-duplication, listeners,
the outbox every reply goes through (bot/outbox.py), and the escalation desk (who may act on a
notice, decisions, reminders)."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import logs
from bot.config import Settings
from bot.delivery import Delivery, NoticePost, NoticeUpdate, Post, Where, encode
from bot.delivery import row as outbox_row
from bot.escalations import Desk, EscalationNotifier
from bot.gate import Gatekeeper
from bot.home import home_view
from bot.installations import Clients, adopt_token, oauth_settings
from bot.listeners import register
from bot.metrics import TURN_SECONDS, TURNS
from bot.outbox import (
    CALL_ERRORS,
    Sender,
    error_code,
    transient,
)
from bot.queue import QueueRunner, retry_later
from bot.roles import Directory, load_roles
from bot.scheduler import Scheduler
from bot.streaming import TurnProgress
from graph.escalation import DECISIONS
from graph.experiments import Decision
from graph.messages import (
    Assigned,
    DecisionPending,
    ExperimentDecided,
    Unparsed,
    dump,
    parse,
)
from graph.storage import iso
from graph.threads import Thread, experiment_thread

if TYPE_CHECKING:
    from graph.conversations import Conversations

log = logging.getLogger(__name__)
REPLAY_WINDOW = timedelta(
    hours=1
)  # events received but never finished are taken up at start-up within this window
MESSAGE_EVENTS = (
    "app_mention",
    "message",
)  # events whose turn is finished after a crash (others are done at receipt)


def user_lang(client: WebClient, user: str) -> str:
    """'en' or 'fr' from the user's Slack locale (users.info); 'fr' when it cannot be read."""
    try:
        locale = client.users_info(user=user, include_locale=True)["user"].get("locale", "")
    except (*CALL_ERRORS, KeyError):
        return "fr"
    return "en" if locale.startswith("en") else "fr"


class SlackBot:
    """What the listeners need: the conversations, the settings, the outbox every reply goes
    through, and the escalation desk. ``client`` is the app's Web API client (user groups are read
    with it); ``clients`` gives each workspace's client, which the outbox sends with."""

    def __init__(
        self,
        settings: Settings,
        conversations: Conversations,
        client: WebClient | None = None,
        clients: Clients | None = None,
    ):
        self.settings, self.conversations, self.client = settings, conversations, client
        self.clients = clients or Clients(client or WebClient())  # no client: nothing is sent
        self.store = conversations.store
        directory = Directory(load_roles(settings.marketing_bot_roles), self._group_members)
        self.desk = Desk(
            self.store,
            directory,
            conversations.context.hierarchy.escalations,
            settings.escalation_remind_after,
            settings.escalation_fallback_after,
            settings.escalation_max_reminders,
        )
        self.delivery = Delivery(
            self.clients, self.store, self.desk, settings.escalation_channel or ""
        )
        self.sender = Sender(
            self.store,
            lambda row: self.delivery.perform(row, team_of),
            settings.marketing_bot_senders,
            settings.marketing_bot_give_up_after,
            hold=3 * settings.slack_timeout + 5,
        )
        self.user_lang = lru_cache(maxsize=1000)(user_lang)
        self.scheduler = Scheduler(self)
        self.gate = Gatekeeper(self)

    def _group_members(self, group: str) -> list[str]:
        """usergroups.users.list of a user group (S…); [] without a client."""
        return (
            list(self.client.usergroups_users_list(usergroup=group).get("users", []))
            if self.client
            else []
        )

    def __deepcopy__(self, memo: dict) -> SlackBot:
        """The bot itself: Bolt copies a request's context for its lazy listeners, and the bot is
        shared by every request (copying it would walk the graph and its models, then fail on
        a lock, with a warning per request)."""
        return self

    # -- replies: every message goes out through the outbox --------------------------------------

    def answer(
        self,
        client: WebClient,
        thread: Thread,
        text: str,
        turn_key: str | None = None,
        done: tuple = (),
        assistant: bool = False,
        **route,
    ) -> None:
        """Run ``text`` through the graph and write every resulting message to the outbox.

        ``turn_key`` names the Slack message or click answered (a turn already done is skipped);
        ``done``: more keys marked done with it (the event ids that carried the message).
        ``route``: ``agent`` and ``brief`` (a modal chose the specialist), ``scope`` (a slash
        command bounds routing), ``lang`` (the user's locale, used when the text gives no signal), ``files``
        (tables shared with the message). A thread held by another process past the lease wait
        leaves the message not done: Slack's retry, or the next start, takes it up. ``assistant``: the
        thread is an assistant thread (its status line names the specialist at work)."""
        if self._typed_decision(thread, text, (turn_key, *done)):
            return
        route["lang"] = self.conversations.language(thread, text, route.get("lang"))
        streaming = self.settings.marketing_bot_streaming
        progress = TurnProgress(
            client, thread, route["lang"], self.conversations.brain, streaming, assistant
        )

        def deliver(items: list, key: str | None) -> None:
            self.deliver(thread, items, key, done, progress.replacement())

        started = time.perf_counter()
        event = next((k.split(":", 1)[1] for k in done if k.startswith("event:")), None)
        with logs.context(thread_key=thread.key, event_id=event):
            try:
                items = self.conversations.handle(
                    thread,
                    text,
                    self.notifier(client, thread),
                    progress=progress,
                    turn_key=turn_key,
                    deliver=deliver,
                    **route,
                )
                outcome = "delivered"
            except TimeoutError:
                log.warning("thread %s is busy in another process: left for a retry", thread.key)
                TURNS.labels(outcome="busy").inc()
                retry_later()  # a queued job runs again; in one process the unfinished event is replayed at start
                return
            except Exception as err:  # a bug in a turn: say so rather than leave the user waiting
                if transient(err):  # Slack down or slow: the job runs again later
                    raise
                log.exception("turn failed in %s", thread.key)
                items, outcome = [dump(Unparsed(lang=route["lang"], answer=text[:200]))], "failed"
                deliver(items, turn_key)
            _measured(turn_key, outcome, time.perf_counter() - started, len(items))
            if not items:
                progress.discard()

    def _typed_decision(self, thread: Thread, text: str, done: tuple) -> bool:
        """In a thread waiting for a decision, a role member's explicit words decide it (the
        decision is completed and ``done`` marked done); True when they did."""
        pending = self.conversations.pending(thread)
        if not pending or not isinstance(parse(pending[0]), DecisionPending):
            return False
        decided = self.desk.typed(thread.key, pending[0]["rules"], thread.user, text)
        if decided:
            self.complete(decided, done=done)
        return bool(decided)

    def deliver(
        self,
        thread: Thread,
        items: list[dict],
        turn_key: str | None,
        done: tuple = (),
        replace: dict | None = None,
    ) -> None:
        """Write the items' messages to the thread's outbox lane and mark ``turn_key`` and ``done``
        done, in one transaction; written again under the same turn key, nothing is doubled.
        ``replace``: where the first message goes instead of a new post (``ops``)."""
        key = turn_key or f"post:{uuid.uuid4().hex}"
        where = Where(channel=thread.channel, thread_ts=thread.thread_ts, team=thread.team)
        ops = [
            op
            for n, item in enumerate(items)
            for op in encode(where, item, replace if n == 0 else None)
        ]
        rows = [outbox_row(f"thread:{thread.key}", f"{key}:{n}", op) for n, op in enumerate(ops)]
        self.enqueue(rows, [k for k in (turn_key, *done) if k])

    def post(self, thread: Thread, item: dict, key: str | None = None) -> None:
        """Post one item in the thread through the outbox (``key``: once per key)."""
        self.deliver(thread, [item], key)

    def enqueue(self, rows: list[dict], done: Sequence[str] = ()) -> None:
        """Write outbox rows (and mark keys done) and wake the sender."""
        self.store.outbox.enqueue(rows, list(done))
        self.sender.wake()

    def uninstall(self, team_id: str | None) -> None:
        """The app was uninstalled from a workspace, or its bot token revoked: delete that
        workspace's installation and tokens (installs in several workspaces; nothing to delete
        with a single SLACK_BOT_TOKEN)."""
        log.warning("uninstalled from workspace %s", team_id)
        if self.clients.store and team_id:
            self.clients.store.delete_all(enterprise_id=None, team_id=team_id)
            self.clients.forget(team_id)

    # -- escalations -----------------------------------------------------------------------------

    def notifier(self, client: WebClient, thread: Thread) -> EscalationNotifier:
        """Writes this thread's escalation notices to the outbox (ESCALATION_CHANNEL), with a link
        to the thread, and a rule's direct messages (hot lead) to its role's members."""

        def post_notice(text: str, blocks: list, escalation_id: str) -> None:
            said = NoticePost(escalation=escalation_id, text=text, blocks=blocks)
            self.enqueue([outbox_row(f"notice:{escalation_id}", f"notice:{escalation_id}", said)])

        def permalink() -> str:
            try:
                return client.chat_getPermalink(
                    channel=thread.channel, message_ts=thread.thread_ts or ""
                ).get("permalink", "")
            except CALL_ERRORS:  # a missing permalink must not block the notice
                log.warning("chat.getPermalink failed for %s", thread.key)
                return ""

        def direct(user: str, text: str, escalation_id: str) -> None:
            said = Post(channel=user, text=text, team=thread.team)
            self.enqueue([outbox_row(f"dm:{user}", f"dm:{escalation_id}:{user}", said)])

        return EscalationNotifier(self.desk, thread, post_notice, permalink, direct)

    def act(
        self,
        client: WebClient,
        escalation_id: str,
        user: str,
        action: str,
        reason: str = "",
        channel: str = "",
    ) -> dict | None:
        """``user`` acts on an escalation: a decision (approved, rejected, changes_requested, with
        ``reason``), 'acknowledged' or 'assigned'. Someone who may not act gets an ephemeral message
        saying who can (in ``channel``, else the notice's channel) and nothing changes; a second or
        replayed action changes nothing. Returns the updated row, or None when nothing changed."""
        row = self.store.escalations.escalation(escalation_id)
        if (
            row is None
            or row["rule"] not in self.desk.rules
            or not self.allowed(client, row, user, action, channel)
        ):
            return None
        done = (
            self.store.escalations.decide(escalation_id, action, user, reason)
            if action in DECISIONS
            else self.store.escalations.acknowledge(escalation_id, user)
            if action == "acknowledged"
            else self.store.escalations.assign(escalation_id, user)
        )
        if done is None:
            return None
        if action in DECISIONS:
            self.complete(done)
            return done
        self.update_notice(done)
        thread = self.conversations.thread(done["thread_key"])
        if action == "assigned" and thread:
            self.post(
                thread,
                dump(Assigned(lang=done.get("lang") or "fr", by=user, action=done["action"])),
                f"assigned:{escalation_id}",
            )
        return done

    def allowed(
        self, client: WebClient, row: dict, user: str, action: str, channel: str = ""
    ) -> bool:
        """True when ``user`` may act on ``row``; else the attempt is logged and the user is told,
        ephemerally (in ``channel``, else the notice's channel), who can."""
        if self.desk.may_act(row, user):
            return True
        self.desk.deny(row, user, action)
        self.ephemeral(
            client,
            channel or row["notice_channel"],
            user,
            self.desk.refusal(row, user, self.user_lang(client, user)),
        )
        return False

    def publish_home(self, client: WebClient, user: str, team: str = "") -> None:
        """views.publish of ``user``'s App Home: what waits for their decision first, the running
        experiments of workspace ``team``; for members of the ``admins`` role, the deliveries that failed;
        all of workspace ``team`` only (several workspaces may share the database)."""
        desk, rows = self.desk, self.desk.open(team)
        failed = (
            [
                r
                for r in self.store.outbox.outbox_rows("failed", limit=200)
                if (team_of(r["lane"]) or r["op"].get("team")) == team
            ][:20]
            if user in desk.directory.members("admins")
            else []
        )
        view = home_view(
            self.user_lang(client, user),
            self.store.conversations.threads_of(team, user),
            self.store.deliverables.deliverables_of(team, user),
            [(r, desk.rule(r)) for r in rows[:20]],
            [(r, desk.rule(r)) for r in desk.open_for(team, user, rows)],
            failed,
            self.conversations.experiments.running(team),
            self.gate.home_lines(team, user, self.user_lang(client, user)),
        )
        client.views_publish(user_id=user, view=view)

    def ephemeral(self, client: WebClient, channel: str, user: str, text: str) -> None:
        """chat.postEphemeral, logged instead of raised when Slack refuses it (user not in channel)."""
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        except CALL_ERRORS as err:
            log.warning("ephemeral message to %s failed: %s", user, error_code(err))

    def update_notice(self, row: dict, fallback: bool = False) -> None:
        """Rebuild the notice from its row when it is sent and chat.update it in place (buttons
        replaced by what happened); in the notice's lane, so after the notice itself. Keyed by
        what the notice shows (its status, or the ``fallback`` role named by a reminder), so a
        decision completed twice (the click and the clock) updates it once."""
        key = f"update:{row['id']}:{'fallback' if fallback else row['status']}"
        self.enqueue([outbox_row(f"notice:{row['id']}", key, NoticeUpdate(escalation=row["id"]))])

    def complete(self, row: dict, done: tuple = ()) -> None:
        """After a recorded decision: update the notice, resume the waiting thread with it
        (``Command(resume=…)``) and write what follows to the requester's thread, then mark it
        resumed. Safe to repeat: the turn ``decision:<id>`` is done once."""
        self.update_notice(row)
        thread = self.conversations.thread(row["thread_key"])
        if thread:
            self.conversations.resume(
                thread,
                self.desk.resume_value(row),
                self.notifier(self.clients.for_team(thread.team), thread),
                turn_key=f"decision:{row['id']}",
                deliver=lambda items, key: self.deliver(thread, items, key, done),
            )
        self.store.escalations.mark_resumed(row["id"])

    def decide_experiment(self, team: str, user: str, decision: Decision, lang: str) -> str:
        """Record the team's decision typed after /experiments (graph.experiments.ExperimentLog.decide)
        and tell the test's thread who decided what, through the outbox (once per decision).
        Returns the ephemeral answer for ``user``: the test's new line, or why nothing changed."""
        row, answer = self.conversations.experiments.answer_decision(team, decision, user, lang)
        if row and (thread := experiment_thread(row)):
            item = dump(
                ExperimentDecided(lang=lang, experiment=row, by=user, note=decision.note or "")
            )
            self.post(thread, item, f"experiment_decided:{row['id']}:{row['decided_at']}")
        return answer

    def start(self) -> threading.Event:
        """Start the outbox sender and the escalation clock in daemon threads; set the returned
        event to stop them."""
        stop = self.sender.start()
        threading.Thread(
            target=self.scheduler.run, args=(stop,), name="scheduler", daemon=True
        ).start()
        return stop

    def replay(self, app_dispatch) -> None:
        """Take up the message events received but not finished before a restart:
        ``app_dispatch(body)`` runs one through the app again (its turn key keeps it from doubling)."""
        for event in self.store.events.unfinished_events(iso(datetime.now(UTC) - REPLAY_WINDOW)):
            try:
                app_dispatch(json.loads(event["body"]))
            except Exception:
                log.exception("unfinished event %s could not be taken up", event["key"])

    def open_thread(
        self,
        client: WebClient,
        team: str,
        channel: str,
        user: str,
        text: str,
        blocks: list | None = None,
    ) -> Thread:
        """Post the top-level message of a new bot thread (a slash command, a modal) and return its Thread."""
        resp = client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}],
        )
        return Thread(team, resp["channel"], resp["ts"], user)


def team_of(lane: str) -> str | None:
    """The workspace of an outbox lane: 'thread:T1:C1:ts' and 'notice:T1:C1:ts:rule' name it first;
    None for a DM lane (its ops carry ``team``)."""
    kind, _, rest = lane.partition(":")
    return rest.split(":", 1)[0] if kind in ("thread", "notice") and rest else None


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client: ``token`` (default SLACK_BOT_TOKEN, if any), SLACK_TIMEOUT per call, one
    retry on 429 (the outbox retries further), SLACK_API_BASE_URL when set (a local stand-in)."""
    token = token or (
        settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    )
    base = settings.slack_api_base_url
    return WebClient(
        token=token,
        base_url=base.rstrip("/") + "/" if base else WebClient.BASE_URL,
        timeout=settings.slack_timeout,  # type: ignore[arg-type]  # urllib takes float seconds
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )


def workspace_clients(settings: Settings, client: WebClient, installation_store=None) -> Clients:
    """Each workspace's Web API client: ``client`` alone (one SLACK_BOT_TOKEN), or with an OAuth
    ``installation_store``, a client per installed workspace made by :func:`web_client`."""
    return Clients(client, installation_store, lambda token: web_client(settings, token))


def _measured(turn_key: str | None, outcome: str, seconds: float, messages: int) -> None:
    """Count a finished turn (Prometheus: turns by outcome, turn seconds) and log it."""
    TURNS.labels(outcome=outcome).inc()
    TURN_SECONDS.observe(seconds)
    log.info("turn %s %s in %.2f s: %d messages", turn_key or "", outcome, seconds, messages)


def _skip_done(store, queue: bool, req, body: dict, next) -> BoltResponse | None:
    """Bolt middleware: a Slack event already done (same event_id), or a slash command or modal
    submission received before (same trigger_id), gets 200 and nothing else. A message event
    acked but never finished (a crash) is processed again: its job (``queue``) or its recorded
    body (in-process, replayed at start-up) keeps it; other events are done at receipt. A queued
    lazy listener run by a worker passes (it was counted when received)."""
    event_id, trigger = body.get("event_id"), body.get("trigger_id")
    if (
        trigger
        and not req.lazy_only
        and (body.get("command") or body.get("type") == "view_submission")
    ):
        # Slack does not retry commands and submissions, but a proxy or a double submit may send one twice
        if not store.events.claim_event(f"request:{trigger}"):
            return BoltResponse(status=200, body="")
    elif event_id and not req.lazy_only:
        key, kind = f"event:{event_id}", (body.get("event") or {}).get("type")
        if kind not in MESSAGE_EVENTS:
            fresh = store.events.claim_event(key)
        else:  # with a queue the job row is the durable record: the ack only reads
            fresh = (
                not store.events.is_done(key, own=True)
                if queue
                else store.events.receive_event(key, json.dumps(body))
            )
        if not fresh:
            return BoltResponse(status=200, body="")
    return next()


def build_app(
    settings: Settings, conversations: Conversations, queue: bool = False
) -> tuple[App, SlackBot]:
    """A Bolt App with our listeners, and the SlackBot they share. Raises MissingSetting when
    tokens are missing.

    ``queue``: lazy listeners are queued in the jobs table for worker processes (bot/queue.py)
    instead of run here. Otherwise they run in a pool of MARKETING_BOT_WORKERS threads. Every Web
    API call has a SLACK_TIMEOUT (seconds), so a stalled call holds one thread that long at most,
    and replies go out through the outbox's own threads."""
    settings.require_app()
    client, oauth = web_client(settings), None
    if settings.oauth:  # a token per workspace, from the OAuth install flow
        oauth = oauth_settings(settings, conversations.store.db.engine)
        if settings.slack_bot_token:
            adopt_token(oauth.installation_store, client)
    clients = workspace_clients(settings, client, oauth.installation_store if oauth else None)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value()
        if settings.slack_signing_secret
        else None,
        listener_executor=ThreadPoolExecutor(
            max_workers=settings.marketing_bot_workers, thread_name_prefix="listener"
        ),
        oauth_settings=oauth,
    )
    store = conversations.store
    app.middleware(lambda req, body, next: _skip_done(store, queue, req, body, next))
    bot = SlackBot(settings, conversations, client, clients)
    if queue:
        app.listener_runner.lazy_listener_runner = QueueRunner(store)
    register(app, bot)
    return app, bot
