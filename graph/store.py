"""Our own tables, in the same database as the LangGraph checkpointer: the SQLite file, or
PostgreSQL with DATABASE_URL (graph/db.py runs the SQL on either).

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
experiments(id, team, thread_key, channel, thread_ts, owner, name, hypothesis, page, page_key, metric,
variants, baseline (%), mde, planned_n (visitors per variant), planned_days, start_date, end_date, status
(backlog, running, shipped, rejected, inconclusive), results (JSON arms), lift (%), p_value, chance (%),
learnings, request (the first line of the message), impact, confidence, ease, ice, lang, created_at, updated_at, finished_at, reminded_at,
decided_by (the Slack user who recorded the team's decision), decided_at): the team's experiment log (graph/experiments.py),
usage(id, thread_key, turn, call, agent, model, input_tokens, output_tokens, cache_read, cache_write,
created_at): one row per Claude call (input_tokens include the cached ones).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from graph.db import Database
from graph.escalation import DECISIONS


def iso(moment: datetime) -> str:
    """A time in UTC, ISO 8601 to the second, as every table stores it."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now() -> str:
    """The current UTC time, ISO 8601."""
    return iso(datetime.now(UTC))


def of_team(column: str, team: str | None) -> tuple[str, list]:
    """(SQL condition, parameters) keeping the rows whose thread key ``column`` ('team:channel:ts')
    is in workspace ``team``; None keeps every workspace (the operator's terminal)."""
    return (
        ("substr(" + column + ", 1, ?) = ?", [len(team) + 1, f"{team}:"])
        if team is not None
        else ("1 = 1", [])
    )


# The jobs a worker may claim now: each the first unfinished job of its lane, pending or given up by
# its worker (not renewed), oldest first; one parameter, the current epoch time.
CLAIMABLE_JOBS = (
    "SELECT j.id, j.status, j.held_until, j.created_at FROM jobs j JOIN (SELECT lane, MIN(id) AS first FROM jobs "
    "WHERE status != 'done' GROUP BY lane) f ON j.id = f.first "
    "WHERE j.status = 'pending' OR (j.status = 'running' AND j.held_until < ?) ORDER BY j.id"
)

SCHEMA = {  # table -> ({column: kind}, [(index columns, unique)]); kinds in graph.db.TYPES, 'int0': an integer that defaults to 0
    "conversations": (
        {
            "thread_key": "pk:text",
            "team": "text",
            "channel": "text",
            "thread_ts": "text",
            "user": "text",
            "path": "text",
            "agent": "text",
            "status": "text",
            "updated_at": "text",
        },
        [],
    ),
    "deliverables": (
        {
            "id": "id",
            "thread_key": "text",
            "agent": "text",
            "lang": "text",
            "markdown": "text",
            "created_at": "text",
            "title": "text",
            "brain": "text",
            "tool_results": "text",
            "path": "text",
        },
        [(("thread_key", "agent"), False)],
    ),
    "escalations": (
        {
            "id": "pk:text",
            "thread_key": "text",
            "rule": "text",
            "role": "text",
            "action": "text",
            "blocking": "int",
            "status": "text",
            "evidence": "text",
            "permalink": "text",
            "notice_channel": "text",
            "notice_ts": "text",
            "created_at": "text",
            "acknowledged_by": "text",
            "acknowledged_at": "text",
            "lang": "text",
            "requester": "text",
            "decided_by": "text",
            "decided_at": "text",
            "reason": "text",
            "assigned_to": "text",
            "assigned_at": "text",
            "reminders": "int0",
            "next_reminder_at": "text",
            "resumed": "int0",
        },
        [(("thread_key",), False), (("status",), False)],
    ),
    "escalation_events": (
        {
            "id": "id",
            "escalation_id": "text",
            "event": "text",
            "user": "text",
            "reason": "text",
            "at": "text",
        },
        [],
    ),
    "events": (
        {
            "key": "pk:text",
            "received_at": "text",
            "status": "text",
            "body": "text",
            "done_at": "text",
        },
        [],
    ),
    "outbox": (
        {
            "id": "id",
            "lane": "text",
            "key": "text",
            "op": "text",
            "status": "text",
            "attempts": "int",
            "next_try": "text",
            "error": "text",
            "ts": "text",
            "created_at": "text",
            "sent_at": "text",
            "owner": "text",
            "held_until": "real",
        },
        [(("key",), True), (("status", "lane", "id"), False)],
    ),
    "jobs": (
        {
            "id": "id",
            "lane": "text",
            "function": "text",
            "body": "text",
            "status": "text",
            "owner": "text",
            "held_until": "real",
            "attempts": "int",
            "created_at": "text",
            "claimed_at": "real",
        },
        [(("status", "lane", "id"), False)],
    ),
    "leases": ({"thread_key": "pk:text", "owner": "text", "expires_at": "real"}, []),
    "feedback": (
        {
            "id": "id",
            "deliverable_id": "int",
            "user": "text",
            "rating": "text",
            "reason": "text",
            "created_at": "text",
        },
        [(("deliverable_id", "user"), True)],
    ),
    "experiments": (
        {
            "id": "id",
            "team": "text",
            "thread_key": "text",
            "channel": "text",
            "thread_ts": "text",
            "owner": "text",
            "name": "text",
            "hypothesis": "text",
            "page": "text",
            "page_key": "text",
            "metric": "text",
            "variants": "int",
            "baseline": "real",
            "mde": "text",
            "planned_n": "int",
            "planned_days": "int",
            "start_date": "text",
            "end_date": "text",
            "status": "text",
            "results": "text",
            "lift": "real",
            "p_value": "real",
            "chance": "real",
            "learnings": "text",
            "request": "text",
            "impact": "int",
            "confidence": "int",
            "ease": "int",
            "ice": "int",
            "lang": "text",
            "created_at": "text",
            "updated_at": "text",
            "finished_at": "text",
            "reminded_at": "text",
            "decided_by": "text",
            "decided_at": "text",
        },
        [(("team", "status"), False), (("thread_key",), False)],
    ),
    "labelled_examples": (
        {
            "id": "id",
            "thread_key": "text",
            "text": "text",
            "situation": "text",
            "described": "int",
            "created_at": "text",
            "figure": "text",
        },
        [],
    ),
    "usage": (
        {
            "id": "id",
            "thread_key": "text",
            "turn": "text",
            "call": "text",
            "agent": "text",
            "model": "text",
            "input_tokens": "int",
            "output_tokens": "int",
            "cache_read": "int",
            "cache_write": "int",
            "created_at": "text",
        },
        [],
    ),
}


class Store:
    """Conversations, deliverables, escalations, processed events, the outbox, jobs, leases,
    feedback, experiments and usage, on ``Database(target)``: a SQLite file (or connection) or a
    'postgresql://' URL. Thread-safe; several processes (and, on PostgreSQL, several machines)
    share it through guarded UPDATEs and unique keys."""

    def __init__(self, target):
        self.db = target if isinstance(target, Database) else Database(target)
        for table, (
            columns,
            indexes,
        ) in SCHEMA.items():  # the schema migration: new tables, columns and indexes
            self.db.ensure(table, columns, indexes)

    def claim_event(self, key: str) -> bool:
        """Record a key as done at once (one answer per button message); False when it was
        already recorded (a replayed click)."""
        stamp = now()
        return (
            self.db.execute(
                "INSERT INTO events (key, received_at, status, done_at) VALUES (?, ?, 'done', ?) ON CONFLICT DO NOTHING",
                [key, stamp, stamp],
            ).rowcount
            == 1
        )

    def receive_event(self, key: str, body: str | None = None) -> bool:
        """Record a Slack event as received (with its JSON ``body``, to finish it after a crash).
        Returns False when it is already done: a retry to ignore; True when it must be processed
        (new, or received before but never finished)."""
        self.db.execute_own(
            "INSERT INTO events (key, received_at, status, body) VALUES (?, ?, 'received', ?) ON CONFLICT DO NOTHING",
            [key, now(), body],
        )
        return not self.is_done(key, own=True)

    def is_done(self, key: str, own: bool = False) -> bool:
        """True when the event or turn ``key`` is done; ``own``: read on this thread's connection
        (the ack path, which must not wait for the lock the turns share)."""
        sql = "SELECT status FROM events WHERE key = ?"
        row = (self.db.execute_own(sql, [key]) if own else self.db.execute(sql, [key])).first()
        return bool(row) and row["status"] in (
            "done",
            None,
        )  # rows from the first release have no status: done

    def unfinished_events(self, since: str) -> list[dict]:
        """Events received since ``since`` (ISO) but not done, with their body, oldest first."""
        return self.db.query(
            "SELECT key, body FROM events WHERE status = 'received' AND body IS NOT NULL AND received_at >= ? "
            "ORDER BY received_at",
            [since],
        )

    def enqueue(self, rows: list[dict], done: list[str] = ()) -> int:
        """Write outbox rows ({"lane", "key", "op": dict}) and mark the keys ``done`` as done, in one
        transaction; a row whose key exists is not written again. Returns the rows written."""
        stamp, written = now(), 0
        with self.db.transaction() as run:
            for row in rows:
                written += run(
                    "INSERT INTO outbox (lane, key, op, status, attempts, next_try, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    [
                        row["lane"],
                        row["key"],
                        json.dumps(row["op"], ensure_ascii=False, default=str),
                        stamp,
                        stamp,
                    ],
                ).rowcount
            for key in done:
                run(
                    "INSERT INTO events (key, received_at, status, done_at) VALUES (?, ?, 'done', ?) "
                    "ON CONFLICT (key) DO UPDATE SET status = 'done', done_at = excluded.done_at, body = NULL",
                    [key, stamp, stamp],
                )
        return written

    def due_outbox(self, at: str, busy: set[str], limit: int = 50) -> list[dict]:
        """The first unsent row of each lane not in ``busy``, when it is due at ``at`` (ISO) and not
        held by a live sender; ``op`` decoded. A lane's later rows wait for its first one: order
        within a thread is kept."""
        rows = self.db.query(
            "SELECT o.* FROM outbox o JOIN (SELECT lane, MIN(id) AS first FROM outbox WHERE status IN ('pending', 'sending') GROUP BY lane) f "
            "ON o.id = f.first WHERE o.next_try <= ? AND (o.status = 'pending' OR o.held_until < ?) ORDER BY o.id LIMIT ?",
            [at, time.time(), limit + len(busy)],
        )
        return [{**r, "op": json.loads(r["op"])} for r in rows if r["lane"] not in busy][:limit]

    def claim_outbox(self, row_id: int, owner: str, hold: float) -> int | None:
        """Take a row for sending for ``hold`` seconds: a pending row, or one a process died
        sending (its hold expired). Returns the attempt number, or None when another sender has it."""
        moment = time.time()
        row = self.db.execute(
            "UPDATE outbox SET status = 'sending', owner = ?, held_until = ?, attempts = attempts + 1 "
            "WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND held_until < ?)) RETURNING attempts",
            [owner, moment + hold, row_id, moment],
        ).first()
        return row["attempts"] if row else None

    def _update(self, table: str, key: str, value, fields: dict) -> None:
        if fields:
            self.db.execute(
                f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in fields)} WHERE {key} = ?",
                [*fields.values(), value],
            )

    def outbox_update(self, row_id: int, **fields) -> None:
        """Set fields of an outbox row (status, attempts, next_try, error, ts, sent_at)."""
        self._update("outbox", "id", row_id, fields)

    def outbox_rows(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Outbox rows (all, or in ``status``), newest first, ``op`` decoded."""
        where, params = ("WHERE status = ? ", [status]) if status else ("", [])
        rows = self.db.query(
            f"SELECT * FROM outbox {where}ORDER BY id DESC LIMIT ?", [*params, limit]
        )
        return [{**r, "op": json.loads(r["op"])} for r in rows]

    def add_job(self, lane: str, function: str, body: dict) -> None:
        """Queue a lazy listener's work in ``lane``: the function's name and the request body (JSON)."""
        self.db.execute_own(
            "INSERT INTO jobs (lane, function, body, status, attempts, created_at) VALUES (?, ?, ?, 'pending', 0, ?)",
            [lane, function, json.dumps(body), now()],
        )

    def claim_job(self, owner: str, hold: float) -> dict | None:
        """Take for ``hold`` seconds the oldest job that is the first unfinished one of its lane and
        pending (or whose worker stopped renewing it); returns it with ``body`` decoded, or None."""
        moment = time.time()
        for row in self.db.query(CLAIMABLE_JOBS + " LIMIT 5", [moment]):
            job = self.db.execute(
                "UPDATE jobs SET status = 'running', owner = ?, held_until = ?, claimed_at = ?, attempts = attempts + 1 "
                "WHERE id = ? AND (status = 'pending' OR (status = 'running' AND held_until < ?)) RETURNING *",
                [owner, moment + hold, moment, row["id"], moment],
            ).first()
            if job:
                return {**job, "body": json.loads(job["body"])}
        return None

    def job_stall(self) -> float:
        """Seconds during which a job could have been claimed and no worker claimed any job (0 when
        nothing waits, or a worker claimed one since it became claimable): how long the workers
        have been dead or stuck."""
        moment = time.time()
        first = self.db.query(CLAIMABLE_JOBS + " LIMIT 1", [moment])
        if not first:
            return 0.0
        job = first[0]
        since = (
            job["held_until"]
            if job["status"] == "running"
            else datetime.fromisoformat(job["created_at"]).timestamp()
        )
        last = self.db.execute("SELECT MAX(claimed_at) AS last FROM jobs").first()["last"] or 0.0
        return max(0.0, moment - max(since, last))

    def renew_jobs(self, owner: str, hold: float) -> None:
        """Keep ``owner``'s running jobs for ``hold`` more seconds (a living worker's heartbeat)."""
        self.db.execute(
            "UPDATE jobs SET held_until = ? WHERE owner = ? AND status = 'running'",
            [time.time() + hold, owner],
        )

    def renew_job(self, job_id: int, delay: float) -> None:
        """Give a job back, to be claimed again in ``delay`` seconds."""
        self._update(
            "jobs",
            "id",
            job_id,
            {"status": "running", "owner": "", "held_until": time.time() + delay},
        )

    def finish_job(self, job_id: int) -> None:
        """A job ran to its end."""
        self._update("jobs", "id", job_id, {"status": "done"})

    def acquire_lease(self, thread_key: str, owner: str, ttl: float) -> bool:
        """Take (or renew) the lease on a thread for ``ttl`` seconds when it is free, expired or
        already ``owner``'s. Returns True when ``owner`` holds it."""
        moment = time.time()
        return (
            self.db.execute(
                "INSERT INTO leases (thread_key, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (thread_key) DO UPDATE SET "
                "owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.expires_at < ? OR leases.owner = excluded.owner",
                [thread_key, owner, moment + ttl, moment],
            ).rowcount
            == 1
        )

    def release_lease(self, thread_key: str, owner: str) -> None:
        """Give the thread's lease back, if ``owner`` holds it."""
        self.db.execute(
            "DELETE FROM leases WHERE thread_key = ? AND owner = ?", [thread_key, owner]
        )

    def prune(self, cutoff: str) -> tuple[list[str], dict]:
        """Forget what is older than ``cutoff`` (ISO): done event keys, sent outbox rows, done jobs,
        expired leases. Returns (the keys of conversations finished before ``cutoff``, whose checkpoints the
        caller deletes; counts by table). Deliverables, escalations and their audit trail are kept."""
        with self.db.transaction() as run:
            counts = {
                "events": run(
                    "DELETE FROM events WHERE status = 'done' AND received_at < ?", [cutoff]
                ).rowcount,
                "outbox": run(
                    "DELETE FROM outbox WHERE status = 'sent' AND created_at < ?", [cutoff]
                ).rowcount,
                "jobs": run(
                    "DELETE FROM jobs WHERE status = 'done' AND created_at < ?", [cutoff]
                ).rowcount,
                "leases": run("DELETE FROM leases WHERE expires_at < ?", [time.time()]).rowcount,
            }
            threads = [
                r["thread_key"]
                for r in run(
                    "UPDATE conversations SET status = 'pruned' WHERE updated_at < ? AND status != 'pruned' "
                    "RETURNING thread_key",
                    [cutoff],
                ).rows
            ]
        return threads, counts

    def conversation(self, thread_key: str) -> dict | None:
        """The conversations row, or None."""
        return self.db.execute(
            "SELECT * FROM conversations WHERE thread_key = ?", [thread_key]
        ).first()

    def save_conversation(self, thread_key: str, **fields) -> None:
        """Insert or update a conversations row."""
        row = {"thread_key": thread_key, "updated_at": now(), **fields}
        self._upsert("conversations", "thread_key", row)

    def _upsert(self, table: str, key: str, row: dict) -> None:
        names = ", ".join(f'"{n}"' for n in row)
        sets = ", ".join(f'"{n}" = excluded."{n}"' for n in row if n != key)
        self.db.execute(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)}) ON CONFLICT ({key}) DO UPDATE SET {sets}",
            list(row.values()),
        )

    def _insert(self, table: str, row: dict) -> int:
        names = ", ".join(f'"{n}"' for n in row)
        return self.db.execute(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)}) RETURNING id",
            list(row.values()),
        ).first()["id"]

    def add_deliverable(
        self,
        thread_key: str,
        agent: str,
        lang: str,
        markdown: str,
        brain: str = "offline",
        tool_results: str = "[]",
        path: str = "",
        title: str = "",
    ) -> int:
        """Keep a deliverable (its title and whole Markdown), with the brain that wrote it, (Claude)
        the JSON list of the tool results its figures come from, and its route ("marketing-ops › …
        › agent"). Returns its id."""
        return self._insert(
            "deliverables",
            {
                "thread_key": thread_key,
                "agent": agent,
                "lang": lang,
                "markdown": markdown,
                "title": title,
                "brain": brain,
                "tool_results": tool_results,
                "path": path,
                "created_at": now(),
            },
        )

    def latest_deliverable(self, thread_key: str, agent: str) -> int | None:
        """The id of the thread's latest deliverable from ``agent``, or None."""
        row = self.db.execute(
            "SELECT MAX(id) AS id FROM deliverables WHERE thread_key = ? AND agent = ?",
            [thread_key, agent],
        ).first()
        return row["id"] if row else None

    def rate(self, deliverable_id: int, user: str, rating: str, reason: str | None = None) -> bool:
        """Record ``user``'s feedback on a deliverable: rating 'up' or 'down' (a later click replaces
        an earlier one), and the reason of a thumbs down when given. False for an unknown deliverable.
        Raises ValueError for another rating."""
        if rating not in ("up", "down"):
            raise ValueError(f"unknown rating {rating!r}")
        if not self.db.execute(
            "SELECT 1 AS found FROM deliverables WHERE id = ?", [deliverable_id]
        ).first():
            return False
        self.db.execute(
            'INSERT INTO feedback (deliverable_id, "user", rating, reason, created_at) VALUES (?, ?, ?, ?, ?) '
            'ON CONFLICT (deliverable_id, "user") DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at, '
            "reason = CASE WHEN excluded.rating = 'up' THEN NULL ELSE COALESCE(excluded.reason, feedback.reason) END",
            [deliverable_id, user, rating, reason, now()],
        )
        return True

    def feedback_rows(self) -> list[dict]:
        """Every feedback with its deliverable's specialist, route, title and thread, newest first."""
        return self.db.query(
            'SELECT f.created_at, f.rating, d.agent, d.path, f."user", f.reason, d.thread_key, f.deliverable_id, d.title '
            "FROM feedback f JOIN deliverables d ON d.id = f.deliverable_id ORDER BY f.created_at DESC, f.id DESC"
        )

    def feedback_by_agent(self) -> list[dict]:
        """Thumbs up and down per specialist (agent, up, down), most rated first."""
        return self.db.query(
            "SELECT d.agent, SUM(CASE WHEN f.rating = 'up' THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN f.rating = 'down' THEN 1 ELSE 0 END) AS down "
            "FROM feedback f JOIN deliverables d ON d.id = f.deliverable_id GROUP BY d.agent ORDER BY COUNT(*) DESC, d.agent"
        )

    def add_usage(self, row: dict) -> None:
        """Record one model call's tokens: thread_key, turn, call ('route', 'extract', 'write'), agent,
        model, input_tokens, output_tokens, cache_read, cache_write."""
        self._insert("usage", {**row, "created_at": now()})

    def usage_by_turn(self) -> list[dict]:
        """Tokens per turn (thread_key, turn, calls, input, output, cache_read, cache_write, first call
        time), oldest first."""
        return self.db.query(
            "SELECT thread_key, turn, COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
            "SUM(cache_read) AS cache_read, SUM(cache_write) AS cache_write, MIN(created_at) AS started "
            "FROM usage GROUP BY thread_key, turn ORDER BY MIN(id)"
        )

    def escalation(self, escalation_id: str) -> dict | None:
        """An escalations row, or None."""
        return self.db.execute("SELECT * FROM escalations WHERE id = ?", [escalation_id]).first()

    def save_escalation(self, row: dict) -> None:
        """Insert an escalations row (``id`` = thread_key:rule[:n]) and its 'raised' event."""
        self._upsert("escalations", "id", {"created_at": now(), **row})
        self._event(row["id"], "raised", row.get("requester") or "", row.get("evidence") or "")

    def escalations_of(self, thread_key: str) -> list[dict]:
        """The thread's escalations rows, oldest first."""
        return self.db.query(
            "SELECT * FROM escalations WHERE thread_key = ? ORDER BY created_at, id", [thread_key]
        )

    def _event(self, escalation_id: str, event: str, user: str, reason: str = "") -> None:
        self._insert(
            "escalation_events",
            {
                "escalation_id": escalation_id,
                "event": event,
                "user": user,
                "reason": reason,
                "at": now(),
            },
        )

    def add_escalation_event(
        self, escalation_id: str, event: str, user: str = "", reason: str = ""
    ) -> None:
        """Append to the audit trail: ``event`` (reminded, denied…), by ``user``, with ``reason``."""
        self._event(escalation_id, event, user, reason)

    def _claim(
        self, escalation_id: str, event: str, user: str, reason: str, sql: str, params: list
    ) -> dict | None:
        """Run a guarded UPDATE; when it changed the row, log ``event`` and return the row, else None."""
        row = self.db.execute(sql + " RETURNING *", params).first()
        if row is None:
            return None
        self._event(escalation_id, event, user, reason)
        return row

    def decide(self, escalation_id: str, decision: str, user: str, reason: str = "") -> dict | None:
        """Record the decision ('approved', 'rejected', 'changes_requested') on an open blocking
        escalation, once. Returns the row, or None when it is unknown, not blocking or already
        decided (a second or replayed click). Raises ValueError for another decision."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}")
        return self._claim(
            escalation_id,
            decision,
            user,
            reason,
            "UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, reason = ?, resumed = 0 "
            "WHERE id = ? AND blocking = 1 AND status = 'open'",
            [decision, user, now(), reason, escalation_id],
        )

    def acknowledge(self, escalation_id: str, user: str) -> dict | None:
        """Record who acknowledged an open non-blocking notice, once. Returns the updated row, or
        None when unknown, blocking, or already acknowledged or assigned (a second or replayed click)."""
        return self._claim(
            escalation_id,
            "acknowledged",
            user,
            "",
            "UPDATE escalations SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? "
            "WHERE id = ? AND blocking = 0 AND status = 'open'",
            [user, now(), escalation_id],
        )

    def assign(self, escalation_id: str, user: str) -> dict | None:
        """Record ``user`` as the owner of a non-blocking notice not assigned yet (it counts as
        acknowledged). Returns the updated row, or None (unknown, blocking, already assigned)."""
        stamp = now()
        return self._claim(
            escalation_id,
            "assigned",
            user,
            "",
            "UPDATE escalations SET status = 'assigned', assigned_to = ?, assigned_at = ?, "
            "acknowledged_by = COALESCE(acknowledged_by, ?), acknowledged_at = COALESCE(acknowledged_at, ?) "
            "WHERE id = ? AND blocking = 0 AND status IN ('open', 'acknowledged')",
            [user, stamp, user, stamp, escalation_id],
        )

    def due_reminders(self, at: str, limit: int = 50) -> list[dict]:
        """Open escalations whose next reminder is due at ``at`` (ISO time), oldest due first."""
        return self.db.query(
            "SELECT * FROM escalations WHERE status = 'open' AND next_reminder_at IS NOT NULL AND next_reminder_at <= ? "
            "ORDER BY next_reminder_at LIMIT ?",
            [at, limit],
        )

    def claim_reminder(
        self, escalation_id: str, reminders: int, next_at: str | None, pinged: str
    ) -> dict | None:
        """Count one more reminder and set the next due time (None: no more reminders), if nobody
        did since ``reminders`` was read; logs 'reminded' with the roles ``pinged``. Returns the row or None."""
        return self._claim(
            escalation_id,
            "reminded",
            "",
            pinged,
            "UPDATE escalations SET reminders = reminders + 1, next_reminder_at = ? "
            "WHERE id = ? AND status = 'open' AND reminders = ?",
            [next_at, escalation_id, reminders],
        )

    def unresumed_decisions(self) -> list[dict]:
        """Blocking escalations decided but whose thread has not been resumed yet (a crash in between)."""
        return self.db.query(
            "SELECT * FROM escalations WHERE blocking = 1 AND status != 'open' AND resumed = 0 ORDER BY decided_at"
        )

    def set_notice(self, escalation_id: str, channel: str, ts: str) -> None:
        """Where an escalation's notice was posted (set by the outbox once Slack accepted it)."""
        self._update(
            "escalations", "id", escalation_id, {"notice_channel": channel, "notice_ts": ts}
        )

    def mark_resumed(self, escalation_id: str) -> None:
        """The thread waiting on this decision has been resumed and its messages posted."""
        self._update("escalations", "id", escalation_id, {"resumed": 1})

    def escalation_trail(self, status: str | None = None, team: str | None = None) -> list[dict]:
        """Every audit event (at, escalation_id, rule, role, status, thread_key, event, user, reason),
        oldest first; ``status`` keeps the escalations in that status only, ``team`` those of one workspace."""
        where, params = of_team("e.thread_key", team)
        if status:
            where, params = where + " AND e.status = ?", [*params, status]
        return self.db.query(
            'SELECT v.at, v.escalation_id, e.rule, e.role, e.status, e.thread_key, v.event, v."user", v.reason '
            f"FROM escalation_events v JOIN escalations e ON e.id = v.escalation_id WHERE {where} ORDER BY v.id",
            params,
        )

    def threads_of(self, team: str, user: str, limit: int = 10) -> list[dict]:
        """The conversations of ``user`` in workspace ``team``, most recent first."""
        return self.db.query(
            'SELECT * FROM conversations WHERE team = ? AND "user" = ? ORDER BY updated_at DESC LIMIT ?',
            [team, user, limit],
        )

    def deliverables_of(self, team: str, user: str, limit: int = 5) -> list[dict]:
        """The latest deliverables of the conversations of ``user`` in workspace ``team`` (with
        channel and thread_ts), newest first."""
        return self.db.query(
            "SELECT d.agent, d.lang, d.title, d.created_at, c.channel, c.thread_ts FROM deliverables d "
            'JOIN conversations c ON c.thread_key = d.thread_key WHERE c.team = ? AND c."user" = ? ORDER BY d.id DESC LIMIT ?',
            [team, user, limit],
        )

    def all_deliverables(self, team: str | None = None) -> list[dict]:
        """Every deliverable (of workspace ``team``; None: every workspace), oldest first: id,
        thread_key, agent, lang, title, markdown, brain, created_at, and its 👍/👎 counts."""
        where, params = of_team("d.thread_key", team)
        return self.db.query(
            "SELECT d.id, d.thread_key, d.agent, d.lang, d.title, d.markdown, d.brain, d.created_at, "
            "(SELECT count(*) FROM feedback f WHERE f.deliverable_id = d.id AND f.rating = 'up') AS up, "
            "(SELECT count(*) FROM feedback f WHERE f.deliverable_id = d.id AND f.rating = 'down') AS down "
            f"FROM deliverables d WHERE {where} ORDER BY d.id",
            params,
        )

    def all_escalations(self, team: str | None = None) -> list[dict]:
        """Every escalation row (of workspace ``team``; None: every workspace), oldest first."""
        where, params = of_team("thread_key", team)
        return self.db.query(f"SELECT * FROM escalations WHERE {where} ORDER BY created_at", params)

    def queue_depth(self) -> dict[str, int]:
        """Work waiting: {'jobs': turns queued or running, 'outbox': messages pending or being sent}."""
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM jobs WHERE status != 'done') AS jobs, "
            "(SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')) AS outbox"
        ).first()
        return {"jobs": row["jobs"], "outbox": row["outbox"]}

    def open_escalation_count(self) -> int:
        """How many escalations wait for a decision or an acknowledgement."""
        return self.db.execute(
            "SELECT count(*) AS n FROM escalations WHERE status = 'open'"
        ).first()["n"]

    def open_escalations(self, team: str, limit: int = 20) -> list[dict]:
        """Escalations of workspace ``team`` waiting for a decision or an acknowledgement, newest first."""
        where, params = of_team("thread_key", team)
        return self.db.query(
            f"SELECT * FROM escalations WHERE status = 'open' AND {where} ORDER BY created_at DESC LIMIT ?",
            [*params, limit],
        )

    def add_experiment(self, row: dict) -> dict:
        """Insert an experiments row (its columns as in SCHEMA); returns it with its ``id``."""
        stamp = now()
        return self.experiment(
            self._insert("experiments", {"created_at": stamp, "updated_at": stamp, **row})
        )

    def update_experiment(self, experiment_id: int, fields: dict) -> dict:
        """Set columns of an experiments row; returns the row."""
        self._update("experiments", "id", experiment_id, {**fields, "updated_at": now()})
        return self.experiment(experiment_id)

    def experiment(self, experiment_id: int) -> dict | None:
        """An experiments row, or None."""
        return self.db.execute("SELECT * FROM experiments WHERE id = ?", [experiment_id]).first()

    def thread_experiment(self, thread_key: str) -> dict | None:
        """The latest experiment recorded from a Slack thread, or None."""
        return self.db.execute(
            "SELECT * FROM experiments WHERE thread_key = ? ORDER BY id DESC LIMIT 1", [thread_key]
        ).first()

    def experiments(
        self, team: str | None = None, statuses: tuple[str, ...] = (), limit: int = 1000
    ) -> list[dict]:
        """Experiments (of ``team``, in ``statuses``), most recently updated first."""
        where, params = [], []
        if team is not None:
            where.append("team = ?")
            params.append(team)
        if statuses:
            where.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params += list(statuses)
        sql = (
            "SELECT * FROM experiments"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY updated_at DESC, id DESC LIMIT ?"
        )
        return self.db.query(sql, [*params, limit])

    def finished_experiments(self, since: str, until: str) -> list[dict]:
        """Experiments finished (shipped, rejected, inconclusive) between ``since`` and ``until``
        (ISO times), oldest first."""
        return self.db.query(
            "SELECT * FROM experiments WHERE status IN ('shipped', 'rejected', 'inconclusive') "
            "AND finished_at >= ? AND finished_at < ? ORDER BY finished_at, id",
            [since, until],
        )

    def overdue_experiments(self, today: str, limit: int = 50) -> list[dict]:
        """Running experiments whose planned end date is before ``today`` (ISO date) and whose
        thread has not been reminded yet."""
        return self.db.query(
            "SELECT * FROM experiments WHERE status = 'running' AND end_date < ? AND reminded_at IS NULL "
            "AND thread_key IS NOT NULL ORDER BY end_date LIMIT ?",
            [today, limit],
        )

    def claim_experiment_reminder(self, experiment_id: int) -> bool:
        """Mark an overdue experiment reminded, once (one process among replicas wins)."""
        return (
            self.db.execute(
                "UPDATE experiments SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
                [now(), experiment_id],
            ).rowcount
            == 1
        )


class LabelledExamples:
    """What users confirm or decline in threads ("escalate this possible situation?", the reading
    form of a figure no word named), kept with the request as labelled examples for the next
    training run, in this database only (never sent anywhere). ``marketing-bot labelled`` prints
    them in the format of ``prompts/corpus/situations_examples.jsonl`` (``--figures``:
    ``figures_examples.jsonl``)."""

    def __init__(self, store: Store):
        self.store = store

    def add(self, thread_key: str, text: str, situation: str, described: bool) -> None:
        """Keep one answer: the request ``text``, the situation id asked about, and whether the
        user said it is described (escalated) or not (declined)."""
        self.store._insert(
            "labelled_examples",
            {
                "thread_key": thread_key,
                "text": text,
                "situation": situation,
                "described": int(described),
                "created_at": now(),
            },
        )

    def add_figure(
        self, thread_key: str, text: str, surface: str, value: float, measure: str | None
    ) -> None:
        """Keep one reading the user confirmed or corrected on the reading form: the figure as
        written (``surface`` in the request ``text``), its ``value`` and its ``measure`` in the
        shared corpus's vocabulary, None when the user said no input takes it."""
        figure = json.dumps(
            {"surface": surface, "value": value, "measure": measure}, ensure_ascii=False
        )
        self.store._insert(
            "labelled_examples",
            {"thread_key": thread_key, "text": text, "figure": figure, "created_at": now()},
        )

    def situation_examples(self) -> list[dict]:
        """Every answer about a situation as a training line {"id", "text", "situations", "split":
        "own"}: a confirmed situation labels its request with it, a declined one with none."""
        rows = self.store.db.query(
            "SELECT * FROM labelled_examples WHERE figure IS NULL ORDER BY id"
        )
        return [
            {
                "id": f"thread-{r['id']}",
                "text": r["text"],
                "situations": [r["situation"]] if r["described"] else [],
                "split": "own",
            }
            for r in rows
        ]

    def figure_examples(self) -> list[dict]:
        """Every reading confirmed or corrected as a line of ``prompts/corpus/figures_examples.jsonl``
        {"id", "text", "figures": [{"surface", "value", "measure"}], "ignore", "split": "own"}; a figure
        no input takes goes to ``ignore``."""
        rows = self.store.db.query(
            "SELECT * FROM labelled_examples WHERE figure IS NOT NULL ORDER BY id"
        )
        out = []
        for r in rows:
            figure = json.loads(r["figure"])
            kept = [figure] if figure["measure"] else []
            out.append(
                {
                    "id": f"thread-{r['id']}",
                    "text": r["text"],
                    "figures": kept,
                    "ignore": [] if kept else [figure["surface"]],
                    "split": "own",
                }
            )
        return out
