"""The outbox, the jobs and the thread leases: work owed, claimed with a lease, done once."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from graph.storage.tables import Repository, later, now, update


class LaneQueue(Repository):
    """Work run one row at a time and in ``id`` order within its ``lane`` (a Slack thread, a
    notice, a DM), by whichever process claims it: the outbox and the jobs share this. A row is
    ``pending`` (claimable once its ``held_until``, an ISO time, has passed: a retry's backoff),
    then ``claimed`` (the subclass's word) by one ``owner`` until ``held_until`` (renewed while it
    runs: a process that died gives it back when that passes), then ``finished``; claims are
    guarded UPDATEs, so among processes and replicas one wins."""

    table: ClassVar[str]
    claimed: ClassVar[str]
    finished: ClassVar[str]

    def _ready(self, alias: str = "") -> str:
        """The condition under which a row can be claimed now (parameter ``moment``)."""
        q = alias
        return (
            f"(({q}status = 'pending' AND ({q}held_until IS NULL OR {q}held_until < :moment)) "
            f"OR ({q}status = '{self.claimed}' AND {q}held_until < :moment))"
        )

    def claimable(self, limit: int, busy: Collection[str] = ()) -> list[dict]:
        """Up to ``limit`` rows that can be claimed now, each the first unfinished row of its lane
        (a lane's later rows wait for it: order within a thread is kept), lanes in ``busy`` left
        out, oldest first."""
        rows = self.db.query(
            f"SELECT q.* FROM {self.table} q JOIN (SELECT lane, MIN(id) AS first FROM {self.table} "
            f"WHERE status IN ('pending', '{self.claimed}') GROUP BY lane) f ON q.id = f.first "
            f"WHERE {self._ready('q.')} ORDER BY q.id LIMIT :limit",
            {"moment": later(), "limit": limit + len(busy)},
        )
        return [r for r in rows if r["lane"] not in busy][:limit]

    def claim(self, row_id: int, owner: str, hold: float) -> dict | None:
        """Take a row for ``hold`` seconds, counting one more attempt, when it can be claimed now;
        returns it, or None when another owner has it."""
        return self.db.execute(
            f"UPDATE {self.table} SET status = '{self.claimed}', owner = :owner, held_until = :until, "
            f"claimed_at = :moment, attempts = attempts + 1 WHERE id = :id AND {self._ready()} "
            "RETURNING *",
            {"owner": owner, "until": later(hold), "moment": later(), "id": row_id},
        ).first()

    def renew(self, owner: str, hold: float) -> None:
        """Keep ``owner``'s claimed rows for ``hold`` more seconds (a living process's heartbeat)."""
        self.db.execute(
            f"UPDATE {self.table} SET held_until = :until WHERE owner = :owner "
            f"AND status = '{self.claimed}'",
            {"until": later(hold), "owner": owner},
        )

    def retry(self, row_id: int, delay: float, **fields) -> None:
        """Give a row back, claimable again in ``delay`` seconds; sets ``fields`` too."""
        update(
            self.db,
            self.table,
            "id",
            row_id,
            {**fields, "status": "pending", "held_until": later(delay)},
        )

    def finish(self, row_id: int, **fields) -> None:
        """A row ran to its end; sets ``fields`` too."""
        update(self.db, self.table, "id", row_id, {**fields, "status": self.finished})

    def stall(self) -> float:
        """Seconds during which a row could have been claimed and nobody claimed any (0 when
        nothing waits, or a row was claimed since one became claimable): how long the processes
        that claim them have been dead or stuck."""
        first = self.claimable(1)
        if not first:
            return 0.0
        row = first[0]
        since = max(row["held_until"] or row["created_at"], row["created_at"])
        last = self.db.execute(f"SELECT MAX(claimed_at) AS last FROM {self.table}").one()["last"]
        waiting = datetime.now(UTC) - datetime.fromisoformat(max(since, last or since))
        return max(0.0, waiting.total_seconds())


class Outbox(LaneQueue):
    """Every Web API call the bot owes someone, one row each, sent in order within a lane (table
    ``outbox``: pending, sending, sent, or failed for good; bot/outbox.py sends)."""

    table, claimed, finished = "outbox", "sending", "sent"

    def enqueue(self, rows: list[dict], done: Sequence[str] = ()) -> int:
        """Write outbox rows ({"lane", "key", "op": dict}) and mark the keys ``done`` as done, in one
        transaction; a row whose key exists is not written again. Returns the rows written."""
        stamp, written = now(), 0
        with self.db.transaction() as run:
            for row in rows:
                written += run(
                    "INSERT INTO outbox (lane, key, op, status, attempts, created_at) "
                    "VALUES (:lane, :key, :op, 'pending', 0, :stamp) ON CONFLICT DO NOTHING",
                    {
                        "lane": row["lane"],
                        "key": row["key"],
                        "op": json.dumps(row["op"], ensure_ascii=False, default=str),
                        "stamp": stamp,
                    },
                ).rowcount
            for key in done:
                run(
                    "INSERT INTO events (key, received_at, status, done_at) VALUES (:key, :stamp, 'done', :stamp) "
                    "ON CONFLICT (key) DO UPDATE SET status = 'done', done_at = excluded.done_at, body = NULL",
                    {"key": key, "stamp": stamp},
                )
        return written

    def claimable(self, limit: int, busy: Collection[str] = ()) -> list[dict]:
        """As :meth:`LaneQueue.claimable`, with ``op`` decoded."""
        return [{**r, "op": json.loads(r["op"])} for r in super().claimable(limit, busy)]

    def outbox_rows(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Outbox rows (all, or in ``status``), newest first, ``op`` decoded."""
        where = "WHERE status = :status " if status else ""
        rows = self.db.query(
            f"SELECT * FROM outbox {where}ORDER BY id DESC LIMIT :limit",
            {"status": status, "limit": limit},
        )
        return [{**r, "op": json.loads(r["op"])} for r in rows]

    def fail(self, row_id: int, error: str) -> None:
        """Give a row up for good (a permanent error, or retried too long)."""
        update(self.db, "outbox", "id", row_id, {"status": "failed", "error": error})


class Jobs(LaneQueue):
    """The lazy listeners' work, queued by the process that acks and run by workers, one at a
    time within a lane (table ``jobs``: pending, running, done; bot/queue.py)."""

    table, claimed, finished = "jobs", "running", "done"

    def add_job(self, lane: str, function: str, body: dict) -> None:
        """Queue a lazy listener's work in ``lane``: the function's name and the request body (JSON)."""
        self.db.execute_own(
            "INSERT INTO jobs (lane, function, body, status, attempts, created_at) "
            "VALUES (:lane, :function, :body, 'pending', 0, :stamp)",
            {"lane": lane, "function": function, "body": json.dumps(body), "stamp": now()},
        )

    def claim_job(self, owner: str, hold: float) -> dict | None:
        """Take for ``hold`` seconds the oldest job that can be claimed now; returns it with
        ``body`` decoded, or None."""
        for row in self.claimable(5):
            job = self.claim(row["id"], owner, hold)
            if job:
                return {**job, "body": json.loads(job["body"])}
        return None


class Leases(Repository):
    """Which process runs a thread's turn now (table ``leases``)."""

    def acquire_lease(self, thread_key: str, owner: str, ttl: float) -> bool:
        """Take (or renew) the lease on a thread for ``ttl`` seconds when it is free, expired or
        already ``owner``'s. Returns True when ``owner`` holds it."""
        return (
            self.db.execute(
                "INSERT INTO leases (thread_key, owner, expires_at) VALUES (:thread_key, :owner, :until) "
                "ON CONFLICT (thread_key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "
                "WHERE leases.expires_at < :moment OR leases.owner = excluded.owner",
                {"thread_key": thread_key, "owner": owner, "until": later(ttl), "moment": later()},
            ).rowcount
            == 1
        )

    def release_lease(self, thread_key: str, owner: str) -> None:
        """Give the thread's lease back, if ``owner`` holds it."""
        self.db.execute(
            "DELETE FROM leases WHERE thread_key = :thread_key AND owner = :owner",
            {"thread_key": thread_key, "owner": owner},
        )
