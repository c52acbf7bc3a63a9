"""The outbox, the jobs and the thread leases: work owed, claimed with a lease, done once."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import datetime

from graph.storage.tables import Repository, now, update

# The jobs a worker may claim now: each the first unfinished job of its lane, pending or given up by
# its worker (not renewed), oldest first; one parameter, ``moment``: the current epoch time.
CLAIMABLE_JOBS = (
    "SELECT j.id, j.status, j.held_until, j.created_at FROM jobs j JOIN (SELECT lane, MIN(id) AS first FROM jobs "
    "WHERE status != 'done' GROUP BY lane) f ON j.id = f.first "
    "WHERE j.status = 'pending' OR (j.status = 'running' AND j.held_until < :moment) ORDER BY j.id"
)


class Outbox(Repository):
    """Every Web API call the bot owes someone, one row each, sent in order within a lane (table ``outbox``; bot/outbox.py sends)."""

    def enqueue(self, rows: list[dict], done: Sequence[str] = ()) -> int:
        """Write outbox rows ({"lane", "key", "op": dict}) and mark the keys ``done`` as done, in one
        transaction; a row whose key exists is not written again. Returns the rows written."""
        stamp, written = now(), 0
        with self.db.transaction() as run:
            for row in rows:
                written += run(
                    "INSERT INTO outbox (lane, key, op, status, attempts, next_try, created_at) VALUES (:lane, :key, :op, 'pending', 0, :stamp, :stamp) "
                    "ON CONFLICT DO NOTHING",
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

    def due_outbox(self, at: str, busy: set[str], limit: int = 50) -> list[dict]:
        """The first unsent row of each lane not in ``busy``, when it is due at ``at`` (ISO) and not
        held by a live sender; ``op`` decoded. A lane's later rows wait for its first one: order
        within a thread is kept."""
        rows = self.db.query(
            "SELECT o.* FROM outbox o JOIN (SELECT lane, MIN(id) AS first FROM outbox WHERE status IN ('pending', 'sending') GROUP BY lane) f "
            "ON o.id = f.first WHERE o.next_try <= :at AND (o.status = 'pending' OR o.held_until < :moment) "
            "ORDER BY o.id LIMIT :limit",
            {"at": at, "moment": time.time(), "limit": limit + len(busy)},
        )
        return [{**r, "op": json.loads(r["op"])} for r in rows if r["lane"] not in busy][:limit]

    def claim_outbox(self, row_id: int, owner: str, hold: float) -> int | None:
        """Take a row for sending for ``hold`` seconds: a pending row, or one a process died
        sending (its hold expired). Returns the attempt number, or None when another sender has it."""
        moment = time.time()
        row = self.db.execute(
            "UPDATE outbox SET status = 'sending', owner = :owner, held_until = :until, attempts = attempts + 1 "
            "WHERE id = :id AND (status = 'pending' OR (status = 'sending' AND held_until < :moment)) "
            "RETURNING attempts",
            {"owner": owner, "until": moment + hold, "id": row_id, "moment": moment},
        ).first()
        return row["attempts"] if row else None

    def outbox_update(self, row_id: int, **fields) -> None:
        """Set fields of an outbox row (status, attempts, next_try, error, ts, sent_at)."""
        update(self.db, "outbox", "id", row_id, fields)

    def outbox_rows(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Outbox rows (all, or in ``status``), newest first, ``op`` decoded."""
        where = "WHERE status = :status " if status else ""
        rows = self.db.query(
            f"SELECT * FROM outbox {where}ORDER BY id DESC LIMIT :limit",
            {"status": status, "limit": limit},
        )
        return [{**r, "op": json.loads(r["op"])} for r in rows]


class Jobs(Repository):
    """The lazy listeners' work, queued by the process that acks and run by workers, one at a time within a lane (table ``jobs``; bot/queue.py)."""

    def add_job(self, lane: str, function: str, body: dict) -> None:
        """Queue a lazy listener's work in ``lane``: the function's name and the request body (JSON)."""
        self.db.execute_own(
            "INSERT INTO jobs (lane, function, body, status, attempts, created_at) VALUES (:lane, :function, :body, 'pending', 0, :stamp)",
            {"lane": lane, "function": function, "body": json.dumps(body), "stamp": now()},
        )

    def claim_job(self, owner: str, hold: float) -> dict | None:
        """Take for ``hold`` seconds the oldest job that is the first unfinished one of its lane and
        pending (or whose worker stopped renewing it); returns it with ``body`` decoded, or None."""
        moment = time.time()
        for row in self.db.query(CLAIMABLE_JOBS + " LIMIT 5", {"moment": moment}):
            job = self.db.execute(
                "UPDATE jobs SET status = 'running', owner = :owner, held_until = :until, claimed_at = :moment, "
                "attempts = attempts + 1 WHERE id = :id "
                "AND (status = 'pending' OR (status = 'running' AND held_until < :moment)) RETURNING *",
                {"owner": owner, "until": moment + hold, "moment": moment, "id": row["id"]},
            ).first()
            if job:
                return {**job, "body": json.loads(job["body"])}
        return None

    def job_stall(self) -> float:
        """Seconds during which a job could have been claimed and no worker claimed any job (0 when
        nothing waits, or a worker claimed one since it became claimable): how long the workers
        have been dead or stuck."""
        moment = time.time()
        first = self.db.query(CLAIMABLE_JOBS + " LIMIT 1", {"moment": moment})
        if not first:
            return 0.0
        job = first[0]
        since = (
            job["held_until"]
            if job["status"] == "running"
            else datetime.fromisoformat(job["created_at"]).timestamp()
        )
        last = self.db.execute("SELECT MAX(claimed_at) AS last FROM jobs").one()["last"] or 0.0
        return max(0.0, moment - max(since, last))

    def renew_jobs(self, owner: str, hold: float) -> None:
        """Keep ``owner``'s running jobs for ``hold`` more seconds (a living worker's heartbeat)."""
        self.db.execute(
            "UPDATE jobs SET held_until = :until WHERE owner = :owner AND status = 'running'",
            {"until": time.time() + hold, "owner": owner},
        )

    def renew_job(self, job_id: int, delay: float) -> None:
        """Give a job back, to be claimed again in ``delay`` seconds."""
        update(
            self.db,
            "jobs",
            "id",
            job_id,
            {"status": "running", "owner": "", "held_until": time.time() + delay},
        )

    def finish_job(self, job_id: int) -> None:
        """A job ran to its end."""
        update(self.db, "jobs", "id", job_id, {"status": "done"})


class Leases(Repository):
    """Which process runs a thread's turn now (table ``leases``)."""

    def acquire_lease(self, thread_key: str, owner: str, ttl: float) -> bool:
        """Take (or renew) the lease on a thread for ``ttl`` seconds when it is free, expired or
        already ``owner``'s. Returns True when ``owner`` holds it."""
        moment = time.time()
        return (
            self.db.execute(
                "INSERT INTO leases (thread_key, owner, expires_at) VALUES (:thread_key, :owner, :until) "
                "ON CONFLICT (thread_key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "
                "WHERE leases.expires_at < :moment OR leases.owner = excluded.owner",
                {"thread_key": thread_key, "owner": owner, "until": moment + ttl, "moment": moment},
            ).rowcount
            == 1
        )

    def release_lease(self, thread_key: str, owner: str) -> None:
        """Give the thread's lease back, if ``owner`` holds it."""
        self.db.execute(
            "DELETE FROM leases WHERE thread_key = :thread_key AND owner = :owner",
            {"thread_key": thread_key, "owner": owner},
        )
