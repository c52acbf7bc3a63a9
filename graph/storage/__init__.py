"""Our own tables, one repository per domain, on one database: the SQLite file of MARKETING_BOT_DB
or PostgreSQL with DATABASE_URL (graph/storage/database.py). ``Store(target)`` opens it, migrates the schema
(graph/storage/migrations/) and holds the repositories: ``events``, ``outbox``, ``jobs``,
``leases`` (queues.py), ``conversations``, ``deliverables``, ``usage``, ``escalations``,
``experiments``, ``gates``, ``viewing``; ``LabelledExamples`` keeps what users confirm in threads."""

from __future__ import annotations

from graph.storage.conversations import ConversationRows
from graph.storage.database import Database
from graph.storage.deliverables import Canvases, Deliverables, Usage, Viewing
from graph.storage.escalations import Escalations
from graph.storage.events import Events
from graph.storage.examples import LabelledExamples
from graph.storage.experiments import Experiments
from graph.storage.gates import Gates
from graph.storage.queues import Jobs, Leases, Outbox
from graph.storage.tables import iso, later, metadata, now, of_team

__all__ = ["LabelledExamples", "Store", "iso", "metadata", "now", "of_team"]


class Store:
    """The repositories of our tables on ``Database(target)``: a SQLite file (or connection) or a
    'postgresql://' URL. Thread-safe; several processes (and, on PostgreSQL, several machines)
    share it through guarded UPDATEs and unique keys."""

    def __init__(self, target):
        self.db = target if isinstance(target, Database) else Database(target)
        self.db.migrate()
        self.events = Events(self.db)
        self.outbox = Outbox(self.db)
        self.jobs = Jobs(self.db)
        self.leases = Leases(self.db)
        self.conversations = ConversationRows(self.db)
        self.deliverables = Deliverables(self.db)
        self.canvases = Canvases(self.db)
        self.usage = Usage(self.db)
        self.escalations = Escalations(self.db)
        self.experiments = Experiments(self.db)
        self.gates = Gates(self.db)
        self.viewing = Viewing(self.db)

    def prune(self, cutoff: str) -> tuple[list[str], dict]:
        """Forget what is older than ``cutoff`` (ISO): done event keys, sent outbox rows, done jobs,
        expired leases. Returns (the keys of conversations finished before ``cutoff``, whose checkpoints the
        caller deletes; counts by table). Deliverables, escalations and their audit trail are kept."""
        old = {"cutoff": cutoff}
        with self.db.transaction() as run:
            counts = {
                "events": run(
                    "DELETE FROM events WHERE status = 'done' AND received_at < :cutoff", old
                ).rowcount,
                "outbox": run(
                    "DELETE FROM outbox WHERE status = 'sent' AND created_at < :cutoff", old
                ).rowcount,
                "jobs": run(
                    "DELETE FROM jobs WHERE status = 'done' AND created_at < :cutoff", old
                ).rowcount,
                "leases": run(
                    "DELETE FROM leases WHERE expires_at < :moment", {"moment": later()}
                ).rowcount,
            }
            threads = [
                r["thread_key"]
                for r in run(
                    "UPDATE conversations SET status = 'pruned' WHERE updated_at < :cutoff "
                    "AND status != 'pruned' RETURNING thread_key",
                    old,
                ).rows
            ]
        return threads, counts

    def queue_depth(self) -> dict[str, int]:
        """Work waiting: {'jobs': turns queued or running, 'outbox': messages pending or being sent}."""
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM jobs WHERE status != 'done') AS jobs, "
            "(SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')) AS outbox"
        ).one()
        return {"jobs": row["jobs"], "outbox": row["outbox"]}
