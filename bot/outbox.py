"""At-least-once delivery with exactly-once effect: every Web API call the bot owes someone is an
outbox row in the database (graph/storage/), sent by a small pool of workers.

A row is marked sent only after Slack accepted it. Within a lane (a Slack thread, a notice and its
reminders, a DM) rows go out in order, one at a time; lanes go out in parallel, so a stalled call
stalls only its own lane. A 429 waits its ``Retry-After``; 5xx answers, timeouts and network errors
are retried with exponential backoff (1 s doubling to 30 s) for ``give_up_after`` seconds, then the
row is marked failed with one log line (App Home shows failed rows to admins). Errors that a retry
cannot fix (``channel_not_found``, ``not_in_channel``, ``invalid_auth``…) fail the row at once.
A message sent again after an uncertain attempt (a crash or a timeout after the request left) is
first looked for in the thread by its metadata, so it is never posted twice.
"""

from __future__ import annotations

import logging
import random
import threading
import urllib.error
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import logs
from bot.metrics import WEB_API_ERRORS
from graph.storage import Store, now

log = logging.getLogger(__name__)
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "missing_scope",
    "no_permission",
    "restricted_action",
    "user_not_found",
    "cannot_dm_bot",
    "msg_too_long",
    "invalid_blocks",
    "invalid_arguments",
    "no_text",
    "message_not_found",
    "cant_update_message",
}
METADATA_TYPE = "marketing_bot_outbox"  # message metadata naming the outbox row a message came from
# What a Web API call raises: Slack's refusals and HTTP errors (SlackClientError), and timeouts,
# refused connections and DNS failures (OSError: urllib's URLError, socket timeouts).
CALL_ERRORS = (SlackClientError, OSError)


def error_code(err: Exception) -> str:
    """A short name for a Web API failure, safe to log: Slack's error ('not_in_channel'),
    'http_503' for an HTTP error, else the exception's class ('TimeoutError', 'URLError')."""
    if isinstance(err, SlackApiError):
        status = (
            err.response.status_code
        )  # Slack's own errors come with 200; an HTTP error is named by its status
        return f"http_{status}" if status >= 400 else err.response.get("error") or "unknown"
    return type(err).__name__


def transient(err: Exception) -> bool:
    """True when trying the same Web API call later may succeed: a network error or timeout, a
    429 or a 5xx. False for Slack's refusals (``not_in_channel``, ``missing_scope``…) and bugs."""
    if isinstance(err, SlackApiError):
        return err.response.status_code == 429 or err.response.status_code >= 500
    if isinstance(err, urllib.error.HTTPError):  # a download from Slack's file host
        return err.code == 429 or err.code >= 500
    return isinstance(err, OSError)


def metadata(key: str) -> dict:
    """The ``metadata`` argument of chat.postMessage that names the outbox row ``key``."""
    return {"event_type": METADATA_TYPE, "event_payload": {"row": key}}


def already_posted(
    client: WebClient, channel: str, thread_ts: str | None, key: str, since: str
) -> str | None:
    """The ts of a message the bot already posted for outbox row ``key`` (found by its metadata in
    the thread, or in the channel since ``since`` ISO time for a top-level message), or None; None
    too when Slack refuses to show the history (a missing scope: then the row is sent again, at
    least once wins). Raises what the client raised when the failure is ``transient``: the row is
    tried again later rather than posted blindly while Slack is slow or down."""
    messages = posted(client, channel, thread_ts, datetime.fromisoformat(since).timestamp() - 60)
    for message in messages:
        meta = message.get("metadata") or {}
        if (
            meta.get("event_type") == METADATA_TYPE
            and (meta.get("event_payload") or {}).get("row") == key
        ):
            return message.get("ts")
    return None


def posted(client: WebClient, channel: str, thread_ts: str | None, oldest: float) -> list[dict]:
    """The messages of the thread ``thread_ts`` (conversations.replies), or of the channel since
    ``oldest`` epoch seconds for a top-level message (conversations.history), with their metadata;
    [] when Slack refuses to show them (a missing scope). Raises what the client raised when the
    failure is ``transient``: the caller's row is tried again later."""
    try:
        if thread_ts:
            return client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
            )["messages"]
        return client.conversations_history(
            channel=channel, oldest=str(oldest), include_all_metadata=True, limit=200
        )["messages"]
    except (SlackApiError, KeyError) as err:
        if transient(err):
            raise
        return []


def left_progress(client: WebClient, channel: str, thread_ts: str, since: float) -> str | None:
    """The ts of a progress message the bot left in a thread since ``since`` (epoch seconds): one
    of its messages there without outbox metadata (a stream whose start was answered too late to
    be known), or None. Raises what the client raised when the failure is ``transient``."""
    left = [
        m["ts"]
        for m in posted(client, channel, thread_ts, since)
        if m.get("bot_id")
        and not m.get("metadata")
        and float(m["ts"]) >= since
        and m["ts"] != thread_ts
    ]
    return left[-1] if left else None


class Sender:
    """Drains the outbox. ``perform(row)`` makes the row's Web API call(s) and returns the ts of
    the message it posted (or None); it raises what the Web API client raises."""

    def __init__(
        self,
        store: Store,
        perform: Callable[[dict], str | None],
        workers: int = 8,
        give_up_after: float = 1800.0,
        hold: float = 30.0,
    ):
        """``hold``: seconds a row stays claimed by this sender (longer than a Web API call's
        timeout); a row left 'sending' by a killed process is taken up after it."""
        self.store, self.perform, self.workers, self.give_up_after, self.hold = (
            store,
            perform,
            workers,
            give_up_after,
            hold,
        )
        self.owner = uuid.uuid4().hex
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox")
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()

    def wake(self) -> None:
        """Rows were written: look at the outbox now rather than at the next poll."""
        self._wake.set()

    def start(self) -> threading.Event:
        """Run the dispatcher in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        threading.Thread(target=self.run, args=(stop,), name="outbox", daemon=True).start()
        return stop

    def run(self, stop: threading.Event) -> None:
        """Until ``stop``: hand each lane's first due row to a free worker; poll every 0.25 s."""
        while not stop.is_set():
            try:
                self.dispatch()
            except (
                Exception
            ):  # the database busy or locked for a moment: try again at the next poll
                log.exception("outbox dispatch failed")
            self._wake.wait(0.25)
            self._wake.clear()

    def dispatch(self) -> int:
        """Start sending the due rows of idle lanes; returns how many were started."""
        with self._lock:
            free = self.workers - len(self._busy)
            busy = set(self._busy)
        if free <= 0:
            return 0
        rows = self.store.outbox.claimable(free, busy)
        with self._lock:
            for row in rows:
                self._busy.add(row["lane"])
        for row in rows:
            self.pool.submit(self._send, row)
        return len(rows)

    def _send(self, row: dict) -> None:
        lane = row["lane"].split(":", 1)
        with logs.context(thread_key=lane[1] if lane[0] == "thread" else None):
            attempts = None
            try:
                claimed = self.store.outbox.claim(row["id"], self.owner, self.hold)
                if claimed is None:
                    return  # another process is sending it
                attempts = claimed["attempts"]
                ts = self.perform({**row, "attempts": attempts})
                self.store.outbox.finish(row["id"], ts=ts or "", sent_at=now(), error=None)
            except Exception as err:  # every failure is the row's, never the dispatcher's
                self._failed(row, attempts or 1, err)
            finally:
                with self._lock:
                    self._busy.discard(row["lane"])
                self._wake.set()

    def _failed(self, row: dict, attempts: int, err: Exception) -> None:
        """Plan the next try of a row, or mark it failed (permanent error, or retried too long)."""
        code, delay = error_code(err), min(30.0, 2.0 ** (attempts - 1)) * random.uniform(0.8, 1.2)
        if isinstance(err, SlackApiError) and err.response.status_code == 429:
            delay = float(err.response.headers.get("Retry-After", 1) or 1)
        age = (datetime.now(UTC) - datetime.fromisoformat(row["created_at"])).total_seconds()
        WEB_API_ERRORS.labels(op=row["op"].get("op", ""), error=code).inc()
        if code in PERMANENT or age > self.give_up_after:
            self.store.outbox.fail(row["id"], code)
            log.error(
                "outbox row %s (%s, lane %s) failed after %d attempts: %s",
                row["id"],
                row["op"].get("op"),
                row["lane"],
                attempts,
                code,
            )
            return
        next_try = (datetime.now(UTC) + timedelta(seconds=delay)).isoformat(timespec="milliseconds")
        self.store.outbox.retry(row["id"], delay, next_try=next_try, error=code)
        log.warning(
            "outbox row %s (%s) not sent (%s): retry in %.1f s",
            row["id"],
            row["op"].get("op"),
            code,
            delay,
        )
