"""Our own tables (sqlite-utils), in the same SQLite file as the LangGraph checkpointer.

conversations(thread_key, team, channel, thread_ts, user, path, agent, status (waiting, done, pruned), updated_at),
deliverables(id, thread_key, agent, lang, title, markdown, brain, tool_results (JSON), path, created_at),
feedback(id, deliverable_id, user, rating (up, down), reason, created_at): one per user and deliverable,
escalations(id = thread_key:rule[:n], thread_key, rule, role, action, blocking, status (open, approved,
rejected, changes_requested for a blocking rule; open, acknowledged, assigned otherwise), evidence,
permalink, notice_channel, notice_ts, acknowledged_by, acknowledged_at, lang, requester, decided_by,
decided_at, reason, assigned_to, assigned_at, reminders, next_reminder_at, resumed, created_at),
escalation_events(id, escalation_id, event (raised, reminded, acknowledged, assigned, approved,
rejected, changes_requested, denied), user, reason, at): the audit trail,
events(key, received_at, status (received, done), body, done_at): Slack event ids, message and
turn keys; an event is done once its turn is checkpointed and its outbox rows written; ``body``
keeps an event received but not done, so a restart can finish it,
outbox(id, lane, key, op, status (pending, sending, sent, failed), attempts, next_try, error, ts,
created_at, sent_at, owner, held_until): every Web API call the bot owes someone, one row each, sent in ``id`` order
within a ``lane`` (a Slack thread, a notice, a DM) by bot/outbox.py; ``key`` makes writing it idempotent,
leases(thread_key, owner, expires_at): which process runs a thread's turn now,
jobs(id, lane, function, body, status (pending, running, done), owner, held_until, attempts,
created_at): the lazy listeners' work, queued by the HTTP process and run by worker processes
(bot/queue.py), one at a time and in order within a lane (a Slack thread),
usage(id, thread_key, turn, call, agent, model, input_tokens, output_tokens, cache_read, cache_write,
created_at): one row per Claude call (input_tokens include the cached ones).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from graph.escalation import DECISIONS

ESCALATION_COLUMNS = {"acknowledged_by": str, "acknowledged_at": str, "lang": str, "requester": str, "decided_by": str,
                      "decided_at": str, "reason": str, "assigned_to": str, "assigned_at": str, "reminders": int,
                      "next_reminder_at": str, "resumed": int}


def iso(moment: datetime) -> str:
    """A time in UTC, ISO 8601 to the second, as every table stores it."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def now() -> str:
    """The current UTC time, ISO 8601."""
    return iso(datetime.now(timezone.utc))


def connect(path: str | Path, timeout: float = 30) -> sqlite3.Connection:
    """A connection usable from several threads, in WAL mode (synchronous NORMAL), creating parent
    folders; ``timeout``: seconds SQLite's busy handler waits for another writer."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=timeout)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: safe against a killed process, no fsync per commit
    return conn


class Store:
    """Conversations, deliverables, escalations and processed events. Thread-safe (one lock)."""

    def __init__(self, conn: sqlite3.Connection):
        self.db = sqlite_utils.Database(conn)
        self.lock = threading.RLock()
        self.path = conn.execute("PRAGMA database_list").fetchone()[2]
        self._local = threading.local()
        with self.lock:
            self.db["conversations"].create({"thread_key": str, "team": str, "channel": str, "thread_ts": str, "user": str,
                                             "path": str, "agent": str, "status": str, "updated_at": str},
                                            pk="thread_key", if_not_exists=True)
            self.db["deliverables"].create({"id": int, "thread_key": str, "agent": str, "lang": str, "markdown": str,
                                            "created_at": str}, pk="id", if_not_exists=True)
            self.db["escalations"].create({"id": str, "thread_key": str, "rule": str, "role": str, "action": str,
                                           "blocking": int, "status": str, "evidence": str, "permalink": str,
                                           "notice_channel": str, "notice_ts": str, "created_at": str},
                                          pk="id", if_not_exists=True)
            if "title" not in self.db["deliverables"].columns_dict:  # added after the first release
                self.db["deliverables"].add_column("title", str)
            for column, kind in ESCALATION_COLUMNS.items():  # added after the first release
                if column not in self.db["escalations"].columns_dict:
                    self.db["escalations"].add_column(column, kind, not_null_default=0 if kind is int else None)
            self.db["escalation_events"].create({"id": int, "escalation_id": str, "event": str, "user": str, "reason": str,
                                                 "at": str}, pk="id", if_not_exists=True)
            self.db["events"].create({"key": str, "received_at": str}, pk="key", if_not_exists=True)
            for column in ("status", "body", "done_at"):
                if column not in self.db["events"].columns_dict:
                    self.db["events"].add_column(column, str)
            self.db["outbox"].create({"id": int, "lane": str, "key": str, "op": str, "status": str, "attempts": int, "next_try": str,
                                      "error": str, "ts": str, "created_at": str, "sent_at": str, "owner": str, "held_until": float},
                                     pk="id", if_not_exists=True)
            self.db["outbox"].create_index(["key"], unique=True, if_not_exists=True)
            self.db["outbox"].create_index(["status", "lane", "id"], if_not_exists=True)
            self.db["jobs"].create({"id": int, "lane": str, "function": str, "body": str, "status": str, "owner": str,
                                    "held_until": float, "attempts": int, "created_at": str}, pk="id", if_not_exists=True)
            self.db["jobs"].create_index(["status", "lane", "id"], if_not_exists=True)
            self.db["leases"].create({"thread_key": str, "owner": str, "expires_at": float}, pk="thread_key", if_not_exists=True)
            for column in ("brain", "tool_results", "path"):
                if column not in self.db["deliverables"].columns_dict:
                    self.db["deliverables"].add_column(column, str)
            self.db["feedback"].create({"id": int, "deliverable_id": int, "user": str, "rating": str, "reason": str, "created_at": str},
                                       pk="id", if_not_exists=True)
            self.db["feedback"].create_index(["deliverable_id", "user"], unique=True, if_not_exists=True)
            self.db["usage"].create({"id": int, "thread_key": str, "turn": str, "call": str, "agent": str, "model": str,
                                     "input_tokens": int, "output_tokens": int, "cache_read": int, "cache_write": int,
                                     "created_at": str}, pk="id", if_not_exists=True)

    def claim_event(self, key: str) -> bool:
        """Record a key as done at once (one answer per button message); False when it was
        already recorded (a replayed click)."""
        with self.lock:
            cursor = self.db.execute("INSERT OR IGNORE INTO events (key, received_at, status, done_at) VALUES (?, ?, 'done', ?)",
                                     [key, now(), now()])
            self.db.conn.commit()
            return cursor.rowcount == 1

    def receive_event(self, key: str, body: str | None = None) -> bool:
        """Record a Slack event as received (with its JSON ``body``, to finish it after a crash).
        Returns False when it is already done: a retry to ignore; True when it must be processed
        (new, or received before but never finished)."""
        self._ack_write("INSERT OR IGNORE INTO events (key, received_at, status, body) VALUES (?, ?, 'received', ?)", [key, now(), body])
        return not self._done(self._own(), key)

    def _ack_write(self, sql: str, params: list, patience: float = 30.0) -> None:
        """One write on the ack path, on this thread's own connection. SQLite's busy handler sleeps
        in growing steps (up to 100 ms) while another process writes; retrying every millisecond
        instead keeps an ack's wait close to the other write's length."""
        conn, deadline = self._own(), time.monotonic() + patience
        while True:
            try:
                with conn:
                    conn.execute(sql, params)
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.001)

    def _own(self) -> sqlite3.Connection:
        """This thread's own connection to the file (a file-less database shares the main one)."""
        if not self.path:
            return self.db.conn
        if getattr(self._local, "conn", None) is None:
            self._local.conn = connect(self.path, timeout=0)
        return self._local.conn

    def is_done(self, key: str, own: bool = False) -> bool:
        """True when the event or turn ``key`` is done; ``own``: read on this thread's connection
        (the ack path, which must not wait for the lock the turns share)."""
        if own:
            return self._done(self._own(), key)
        with self.lock:
            return self._done(self.db.conn, key)

    @staticmethod
    def _done(conn: sqlite3.Connection, key: str) -> bool:
        row = conn.execute("SELECT status FROM events WHERE key = ?", [key]).fetchone()
        return bool(row) and row[0] in ("done", None)

    def unfinished_events(self, since: str) -> list[dict]:
        """Events received since ``since`` (ISO) but not done, with their body, oldest first."""
        with self.lock:
            return list(self.db.query("SELECT key, body FROM events WHERE status = 'received' AND body IS NOT NULL AND received_at >= ? "
                                      "ORDER BY received_at", [since]))

    def enqueue(self, rows: list[dict], done: list[str] = ()) -> int:
        """Write outbox rows ({"lane", "key", "op": dict}) and mark the keys ``done`` as done, in one
        transaction; a row whose key exists is not written again. Returns the rows written."""
        stamp, written = now(), 0
        with self.lock, self.db.conn:
            for row in rows:
                cursor = self.db.conn.execute(
                    "INSERT OR IGNORE INTO outbox (lane, key, op, status, attempts, next_try, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)",
                    [row["lane"], row["key"], json.dumps(row["op"], ensure_ascii=False, default=str), stamp, stamp])
                written += cursor.rowcount
            for key in done:
                self.db.conn.execute("INSERT INTO events (key, received_at, status, done_at) VALUES (?, ?, 'done', ?) "
                                     "ON CONFLICT(key) DO UPDATE SET status = 'done', done_at = excluded.done_at, body = NULL",
                                     [key, stamp, stamp])
        return written

    def due_outbox(self, at: str, busy: set[str], limit: int = 50) -> list[dict]:
        """The first unsent row of each lane not in ``busy``, when it is due at ``at`` (ISO) and not
        held by a live sender; ``op`` decoded. A lane's later rows wait for its first one: order
        within a thread is kept."""
        with self.lock:
            rows = list(self.db.query(
                "SELECT o.* FROM outbox o JOIN (SELECT lane, MIN(id) AS first FROM outbox WHERE status IN ('pending', 'sending') GROUP BY lane) f "
                "ON o.id = f.first WHERE o.next_try <= ? AND (o.status = 'pending' OR o.held_until < ?) ORDER BY o.id LIMIT ?",
                [at, time.time(), limit + len(busy)]))
        return [{**r, "op": json.loads(r["op"])} for r in rows if r["lane"] not in busy][:limit]

    def claim_outbox(self, row_id: int, owner: str, hold: float) -> int | None:
        """Take a row for sending for ``hold`` seconds: a pending row, or one a process died
        sending (its hold expired). Returns the attempt number, or None when another sender has it."""
        moment = time.time()
        with self.lock:
            cursor = self.db.execute("UPDATE outbox SET status = 'sending', owner = ?, held_until = ?, attempts = attempts + 1 "
                                     "WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND held_until < ?))",
                                     [owner, moment + hold, row_id, moment])
            self.db.conn.commit()
            if cursor.rowcount != 1:
                return None
            return self.db.execute("SELECT attempts FROM outbox WHERE id = ?", [row_id]).fetchone()[0]

    def outbox_update(self, row_id: int, **fields) -> None:
        """Set fields of an outbox row (status, attempts, next_try, error, ts, sent_at)."""
        with self.lock:
            self.db["outbox"].update(row_id, fields)

    def outbox_rows(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Outbox rows (all, or in ``status``), newest first, ``op`` decoded."""
        with self.lock:
            rows = self.db["outbox"].rows_where("status = ?" if status else None, [status] if status else [], order_by="id desc", limit=limit)
            return [{**r, "op": json.loads(r["op"])} for r in rows]

    def add_job(self, lane: str, function: str, body: dict) -> None:
        """Queue a lazy listener's work in ``lane``: the function's name and the request body (JSON)."""
        self._ack_write("INSERT INTO jobs (lane, function, body, status, attempts, created_at) VALUES (?, ?, ?, 'pending', 0, ?)",
                        [lane, function, json.dumps(body), now()])

    def claim_job(self, owner: str, hold: float) -> dict | None:
        """Take for ``hold`` seconds the oldest job that is the first unfinished one of its lane and
        pending (or whose worker stopped renewing it); returns it with ``body`` decoded, or None."""
        moment = time.time()
        with self.lock:
            candidates = list(self.db.query(
                "SELECT j.id FROM jobs j JOIN (SELECT lane, MIN(id) AS first FROM jobs WHERE status != 'done' GROUP BY lane) f "
                "ON j.id = f.first WHERE j.status = 'pending' OR (j.status = 'running' AND j.held_until < ?) ORDER BY j.id LIMIT 5", [moment]))
            for row in candidates:
                cursor = self.db.execute("UPDATE jobs SET status = 'running', owner = ?, held_until = ?, attempts = attempts + 1 "
                                         "WHERE id = ? AND (status = 'pending' OR (status = 'running' AND held_until < ?))",
                                         [owner, moment + hold, row["id"], moment])
                self.db.conn.commit()
                if cursor.rowcount == 1:
                    job = self.db["jobs"].get(row["id"])
                    return {**job, "body": json.loads(job["body"])}
        return None

    def renew_jobs(self, owner: str, hold: float) -> None:
        """Keep ``owner``'s running jobs for ``hold`` more seconds (a living worker's heartbeat)."""
        with self.lock:
            self.db.execute("UPDATE jobs SET held_until = ? WHERE owner = ? AND status = 'running'", [time.time() + hold, owner])
            self.db.conn.commit()

    def renew_job(self, job_id: int, delay: float) -> None:
        """Give a job back, to be claimed again in ``delay`` seconds."""
        with self.lock:
            self.db["jobs"].update(job_id, {"status": "running", "owner": "", "held_until": time.time() + delay})

    def finish_job(self, job_id: int) -> None:
        """A job ran to its end."""
        with self.lock:
            self.db["jobs"].update(job_id, {"status": "done"})

    def acquire_lease(self, thread_key: str, owner: str, ttl: float) -> bool:
        """Take (or renew) the lease on a thread for ``ttl`` seconds when it is free, expired or
        already ``owner``'s. Returns True when ``owner`` holds it."""
        moment = time.time()
        with self.lock:
            cursor = self.db.execute(
                "INSERT INTO leases (thread_key, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT(thread_key) DO UPDATE SET "
                "owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.expires_at < ? OR leases.owner = excluded.owner",
                [thread_key, owner, moment + ttl, moment])
            self.db.conn.commit()
            return cursor.rowcount == 1

    def release_lease(self, thread_key: str, owner: str) -> None:
        """Give the thread's lease back, if ``owner`` holds it."""
        with self.lock:
            self.db.execute("DELETE FROM leases WHERE thread_key = ? AND owner = ?", [thread_key, owner])
            self.db.conn.commit()

    def prune(self, cutoff: str) -> tuple[list[str], dict]:
        """Forget what is older than ``cutoff`` (ISO): done event keys, sent outbox rows, done jobs,
        expired leases. Returns (the keys of conversations finished before ``cutoff``, whose checkpoints the
        caller deletes; counts by table). Deliverables, escalations and their audit trail are kept."""
        with self.lock, self.db.conn:
            counts = {
                "events": self.db.conn.execute("DELETE FROM events WHERE status = 'done' AND received_at < ?", [cutoff]).rowcount,
                "outbox": self.db.conn.execute("DELETE FROM outbox WHERE status = 'sent' AND created_at < ?", [cutoff]).rowcount,
                "jobs": self.db.conn.execute("DELETE FROM jobs WHERE status = 'done' AND created_at < ?", [cutoff]).rowcount,
                "leases": self.db.conn.execute("DELETE FROM leases WHERE expires_at < ?", [time.time()]).rowcount,
            }
            threads = [r[0] for r in self.db.conn.execute(
                "SELECT thread_key FROM conversations WHERE updated_at < ? AND status != 'pruned'", [cutoff])]
            self.db.conn.execute("UPDATE conversations SET status = 'pruned' WHERE updated_at < ?", [cutoff])
        return threads, counts

    def conversation(self, thread_key: str) -> dict | None:
        """The conversations row, or None."""
        with self.lock:
            rows = list(self.db["conversations"].rows_where("thread_key = ?", [thread_key]))
            return rows[0] if rows else None

    def save_conversation(self, thread_key: str, **fields) -> None:
        """Insert or update a conversations row."""
        with self.lock:
            self.db["conversations"].upsert({"thread_key": thread_key, "updated_at": now(), **fields}, pk="thread_key")

    def add_deliverable(self, thread_key: str, agent: str, lang: str, markdown: str, brain: str = "offline",
                        tool_results: str = "[]", path: str = "", title: str = "") -> int:
        """Keep a deliverable (its title and whole Markdown), with the brain that wrote it, (Claude)
        the JSON list of the tool results its figures come from, and its route ("marketing-ops › …
        › agent"). Returns its id."""
        with self.lock:
            return self.db["deliverables"].insert({"thread_key": thread_key, "agent": agent, "lang": lang, "markdown": markdown, "title": title,
                                                   "brain": brain, "tool_results": tool_results, "path": path,
                                                   "created_at": now()}).last_pk

    def latest_deliverable(self, thread_key: str, agent: str) -> int | None:
        """The id of the thread's latest deliverable from ``agent``, or None."""
        with self.lock:
            row = self.db.execute("SELECT MAX(id) FROM deliverables WHERE thread_key = ? AND agent = ?", [thread_key, agent]).fetchone()
            return row[0] if row else None

    def rate(self, deliverable_id: int, user: str, rating: str, reason: str | None = None) -> bool:
        """Record ``user``'s feedback on a deliverable: rating 'up' or 'down' (a later click replaces
        an earlier one), and the reason of a thumbs down when given. False for an unknown deliverable.
        Raises ValueError for another rating."""
        if rating not in ("up", "down"):
            raise ValueError(f"unknown rating {rating!r}")
        with self.lock:
            if not self.db.execute("SELECT 1 FROM deliverables WHERE id = ?", [deliverable_id]).fetchone():
                return False
            self.db.execute("INSERT INTO feedback (deliverable_id, user, rating, reason, created_at) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT(deliverable_id, user) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at, "
                            "reason = CASE WHEN excluded.rating = 'up' THEN NULL ELSE COALESCE(excluded.reason, feedback.reason) END",
                            [deliverable_id, user, rating, reason, now()])
            self.db.conn.commit()
            return True

    def feedback_rows(self) -> list[dict]:
        """Every feedback with its deliverable's specialist, route, title and thread, newest first."""
        with self.lock:
            return list(self.db.query(
                "SELECT f.created_at, f.rating, d.agent, d.path, f.user, f.reason, d.thread_key, f.deliverable_id, d.title "
                "FROM feedback f JOIN deliverables d ON d.id = f.deliverable_id ORDER BY f.created_at DESC, f.id DESC"))

    def feedback_by_agent(self) -> list[dict]:
        """Thumbs up and down per specialist (agent, up, down), most rated first."""
        with self.lock:
            return list(self.db.query(
                "SELECT d.agent, SUM(f.rating = 'up') AS up, SUM(f.rating = 'down') AS down FROM feedback f "
                "JOIN deliverables d ON d.id = f.deliverable_id GROUP BY d.agent ORDER BY COUNT(*) DESC, d.agent"))

    def add_usage(self, row: dict) -> None:
        """Record one model call's tokens: thread_key, turn, call ('route', 'extract', 'write'), agent,
        model, input_tokens, output_tokens, cache_read, cache_write."""
        with self.lock:
            self.db["usage"].insert({**row, "created_at": now()})

    def usage_by_turn(self) -> list[dict]:
        """Tokens per turn (thread_key, turn, calls, input, output, cache_read, cache_write, first call
        time), oldest first."""
        with self.lock:
            return list(self.db.query(
                "SELECT thread_key, turn, COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
                "SUM(cache_read) AS cache_read, SUM(cache_write) AS cache_write, MIN(created_at) AS started "
                "FROM usage GROUP BY thread_key, turn ORDER BY MIN(id)"))

    def escalation(self, escalation_id: str) -> dict | None:
        """An escalations row, or None."""
        with self.lock:
            rows = list(self.db["escalations"].rows_where("id = ?", [escalation_id]))
            return rows[0] if rows else None

    def save_escalation(self, row: dict) -> None:
        """Insert an escalations row (``id`` = thread_key:rule[:n]) and its 'raised' event."""
        with self.lock:
            self.db["escalations"].upsert({"created_at": now(), **row}, pk="id")
            self._event(row["id"], "raised", row.get("requester") or "", row.get("evidence") or "")

    def escalations_of(self, thread_key: str) -> list[dict]:
        """The thread's escalations rows, oldest first."""
        with self.lock:
            return list(self.db["escalations"].rows_where("thread_key = ?", [thread_key], order_by="created_at, rowid"))

    def _event(self, escalation_id: str, event: str, user: str, reason: str = "") -> None:
        self.db["escalation_events"].insert({"escalation_id": escalation_id, "event": event, "user": user,
                                             "reason": reason, "at": now()})
        self.db.conn.commit()

    def add_escalation_event(self, escalation_id: str, event: str, user: str = "", reason: str = "") -> None:
        """Append to the audit trail: ``event`` (reminded, denied…), by ``user``, with ``reason``."""
        with self.lock:
            self._event(escalation_id, event, user, reason)

    def _claim(self, escalation_id: str, event: str, user: str, reason: str, sql: str, params: list) -> dict | None:
        """Run a guarded UPDATE; when it changed the row, log ``event`` and return the row, else None."""
        with self.lock:
            cursor = self.db.execute(sql, params)
            self.db.conn.commit()
            if cursor.rowcount != 1:
                return None
            self._event(escalation_id, event, user, reason)
            return self.escalation(escalation_id)

    def decide(self, escalation_id: str, decision: str, user: str, reason: str = "") -> dict | None:
        """Record the decision ('approved', 'rejected', 'changes_requested') on an open blocking
        escalation, once. Returns the row, or None when it is unknown, not blocking or already
        decided (a second or replayed click). Raises ValueError for another decision."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}")
        return self._claim(escalation_id, decision, user, reason,
                           "UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, reason = ?, resumed = 0 "
                           "WHERE id = ? AND blocking = 1 AND status = 'open'", [decision, user, now(), reason, escalation_id])

    def acknowledge(self, escalation_id: str, user: str) -> dict | None:
        """Record who acknowledged an open non-blocking notice, once. Returns the updated row, or
        None when unknown, blocking, or already acknowledged or assigned (a second or replayed click)."""
        return self._claim(escalation_id, "acknowledged", user, "",
                           "UPDATE escalations SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? "
                           "WHERE id = ? AND blocking = 0 AND status = 'open'", [user, now(), escalation_id])

    def assign(self, escalation_id: str, user: str) -> dict | None:
        """Record ``user`` as the owner of a non-blocking notice not assigned yet (it counts as
        acknowledged). Returns the updated row, or None (unknown, blocking, already assigned)."""
        stamp = now()
        return self._claim(escalation_id, "assigned", user, "",
                           "UPDATE escalations SET status = 'assigned', assigned_to = ?, assigned_at = ?, "
                           "acknowledged_by = COALESCE(acknowledged_by, ?), acknowledged_at = COALESCE(acknowledged_at, ?) "
                           "WHERE id = ? AND blocking = 0 AND status IN ('open', 'acknowledged')",
                           [user, stamp, user, stamp, escalation_id])

    def due_reminders(self, at: str, limit: int = 50) -> list[dict]:
        """Open escalations whose next reminder is due at ``at`` (ISO time), oldest due first."""
        with self.lock:
            return list(self.db["escalations"].rows_where("status = 'open' AND next_reminder_at IS NOT NULL AND next_reminder_at <= ?",
                                                          [at], order_by="next_reminder_at", limit=limit))

    def claim_reminder(self, escalation_id: str, reminders: int, next_at: str | None, pinged: str) -> dict | None:
        """Count one more reminder and set the next due time (None: no more reminders), if nobody
        did since ``reminders`` was read; logs 'reminded' with the roles ``pinged``. Returns the row or None."""
        return self._claim(escalation_id, "reminded", "", pinged,
                           "UPDATE escalations SET reminders = reminders + 1, next_reminder_at = ? "
                           "WHERE id = ? AND status = 'open' AND reminders = ?", [next_at, escalation_id, reminders])

    def unresumed_decisions(self) -> list[dict]:
        """Blocking escalations decided but whose thread has not been resumed yet (a crash in between)."""
        with self.lock:
            return list(self.db["escalations"].rows_where("blocking = 1 AND status != 'open' AND resumed = 0", order_by="decided_at"))

    def set_notice(self, escalation_id: str, channel: str, ts: str) -> None:
        """Where an escalation's notice was posted (set by the outbox once Slack accepted it)."""
        with self.lock:
            self.db["escalations"].update(escalation_id, {"notice_channel": channel, "notice_ts": ts})

    def mark_resumed(self, escalation_id: str) -> None:
        """The thread waiting on this decision has been resumed and its messages posted."""
        with self.lock:
            self.db.execute("UPDATE escalations SET resumed = 1 WHERE id = ?", [escalation_id])
            self.db.conn.commit()

    def escalation_trail(self, status: str | None = None) -> list[dict]:
        """Every audit event (at, escalation_id, rule, role, status, thread_key, event, user, reason),
        oldest first; ``status`` keeps the escalations in that status only."""
        where, params = ("WHERE e.status = ?", [status]) if status else ("", [])
        with self.lock:
            return list(self.db.query(
                "SELECT v.at, v.escalation_id, e.rule, e.role, e.status, e.thread_key, v.event, v.user, v.reason "
                f"FROM escalation_events v JOIN escalations e ON e.id = v.escalation_id {where} ORDER BY v.id", params))

    def threads_of(self, user: str, limit: int = 10) -> list[dict]:
        """The user's conversations, most recent first."""
        with self.lock:
            return list(self.db["conversations"].rows_where("user = ?", [user], order_by="updated_at desc", limit=limit))

    def deliverables_of(self, user: str, limit: int = 5) -> list[dict]:
        """The latest deliverables of the user's conversations (with channel and thread_ts), newest first."""
        with self.lock:
            return list(self.db.query(
                "SELECT d.agent, d.lang, d.title, d.created_at, c.channel, c.thread_ts FROM deliverables d "
                "JOIN conversations c ON c.thread_key = d.thread_key WHERE c.user = ? ORDER BY d.id DESC LIMIT ?",
                [user, limit]))

    def queue_depth(self) -> dict[str, int]:
        """Work waiting: {'jobs': turns queued or running, 'outbox': messages pending or being sent}."""
        with self.lock:
            jobs = self.db.execute("SELECT count(*) FROM jobs WHERE status != 'done'").fetchone()[0]
            outbox = self.db.execute("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')").fetchone()[0]
        return {"jobs": jobs, "outbox": outbox}

    def open_escalation_count(self) -> int:
        """How many escalations wait for a decision or an acknowledgement."""
        with self.lock:
            return self.db.execute("SELECT count(*) FROM escalations WHERE status = 'open'").fetchone()[0]

    def open_escalations(self, limit: int = 20) -> list[dict]:
        """Escalations waiting for a decision or an acknowledgement, newest first."""
        with self.lock:
            return list(self.db["escalations"].rows_where("status = 'open'", order_by="created_at desc", limit=limit))
