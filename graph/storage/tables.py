"""Our tables and what every repository shares: the schema, the database, times, workspace filters.

Our own tables live in the same database as the LangGraph checkpointer: the SQLite file, or
PostgreSQL with DATABASE_URL: the SQLAlchemy Core tables below (graph/storage/database.py runs
them; Alembic's migrations in graph/storage/migrations/ create and change them).

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
created_at, sent_at, owner, held_until, claimed_at): every Web API call the bot owes someone, one row each, sent in ``id`` order
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
gates(thread_key, team, channel, thread_ts, message_ts, lang, launch_date, status (planning,
execution), launched_by, launched_at, reminded_at, created_at): a campaign thread's go/no-go
checklist (bot/gate.py), gate_checks(thread_key, criterion, checked_by, checked_at): its ticked
criteria, gate_events(id, thread_key, criterion, event (checked, unchecked, refused, launched,
launch_refused, reminded), user, at): its audit trail,
viewing(team, user, channel, canvas, message_channel, message_ts, at): what each user was last
looking at while the bot's agent pane was open (Slack's ``app_context_changed``),
usage(id, thread_key, turn, call, agent, model, input_tokens, output_tokens, cache_read, cache_write,
created_at): one row per Claude call (input_tokens include the cached ones).

Every time is ISO 8601 text in UTC (:func:`now`; :func:`later` to the microsecond for leases and
backoffs), so times compare in SQL as text on both databases; dates (a test's start and end)
are ISO dates.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import BigInteger as _BigInteger
from sqlalchemy import Column, Float, Index, MetaData, Table, Text, text
from sqlalchemy import Integer as _Integer

from graph.storage.database import Database

metadata = MetaData()
INT = _BigInteger().with_variant(_Integer(), "sqlite")  # BIGINT; INTEGER (the rowid type) on SQLite


def _id() -> Column:
    return Column("id", INT, primary_key=True)


def _texts(*names: str) -> list[Column]:
    return [Column(name, Text) for name in names]


def _ints(*names: str) -> list[Column]:
    return [Column(name, INT) for name in names]


def _counter(name: str) -> Column:
    return Column(name, INT, nullable=False, server_default=text("0"))


conversations = Table(
    "conversations",
    metadata,
    Column("thread_key", Text, primary_key=True),
    *_texts("team", "channel", "thread_ts", "user", "path", "agent", "status", "updated_at"),
)
deliverables = Table(
    "deliverables",
    metadata,
    _id(),
    *_texts("thread_key", "agent", "lang", "markdown", "created_at", "title", "brain"),
    *_texts("tool_results", "path"),
    Index("idx_deliverables_thread_key_agent", "thread_key", "agent"),
)
feedback = Table(
    "feedback",
    metadata,
    _id(),
    *_ints("deliverable_id"),
    *_texts("user", "rating", "reason", "created_at"),
    Index("idx_feedback_deliverable_id_user", "deliverable_id", "user", unique=True),
)
escalations = Table(
    "escalations",
    metadata,
    Column("id", Text, primary_key=True),
    *_texts("thread_key", "rule", "role", "action"),
    *_ints("blocking"),
    *_texts("status", "evidence", "permalink", "notice_channel", "notice_ts", "created_at"),
    *_texts("acknowledged_by", "acknowledged_at", "lang", "requester", "decided_by"),
    *_texts("decided_at", "reason", "assigned_to", "assigned_at"),
    _counter("reminders"),
    *_texts("next_reminder_at"),
    _counter("resumed"),
    Index("idx_escalations_thread_key", "thread_key"),
    Index("idx_escalations_status", "status"),
)
escalation_events = Table(
    "escalation_events",
    metadata,
    _id(),
    *_texts("escalation_id", "event", "user", "reason", "at"),
)
events = Table(
    "events",
    metadata,
    Column("key", Text, primary_key=True),
    *_texts("received_at", "status", "body", "done_at"),
)
outbox = Table(
    "outbox",
    metadata,
    _id(),
    *_texts("lane", "key", "op", "status"),
    *_ints("attempts"),
    *_texts("next_try", "error", "ts", "created_at", "sent_at", "owner", "held_until"),
    *_texts("claimed_at"),
    Index("idx_outbox_key", "key", unique=True),
    Index("idx_outbox_status_lane_id", "status", "lane", "id"),
)
jobs = Table(
    "jobs",
    metadata,
    _id(),
    *_texts("lane", "function", "body", "status", "owner", "held_until"),
    *_ints("attempts"),
    *_texts("created_at", "claimed_at"),
    Index("idx_jobs_status_lane_id", "status", "lane", "id"),
)
leases = Table(
    "leases",
    metadata,
    Column("thread_key", Text, primary_key=True),
    *_texts("owner", "expires_at"),
)
experiments = Table(
    "experiments",
    metadata,
    _id(),
    *_texts("team", "thread_key", "channel", "thread_ts", "owner", "name", "hypothesis"),
    *_texts("page", "page_key", "metric"),
    *_ints("variants"),
    Column("baseline", Float),
    *_texts("mde"),
    *_ints("planned_n", "planned_days"),
    *_texts("start_date", "end_date", "status", "results"),
    *[Column(name, Float) for name in ("lift", "p_value", "chance")],
    *_texts("learnings", "request"),
    *_ints("impact", "confidence", "ease", "ice"),
    *_texts("lang", "created_at", "updated_at", "finished_at", "reminded_at", "decided_by"),
    *_texts("decided_at"),
    Index("idx_experiments_team_status", "team", "status"),
    Index("idx_experiments_thread_key", "thread_key"),
)
canvases = Table(
    "canvases",
    metadata,
    Column("thread_key", Text, primary_key=True),
    Column("agent", Text, primary_key=True),
    *_texts("canvas_id", "permalink", "created_at", "updated_at"),
)
gates = Table(
    "gates",
    metadata,
    Column("thread_key", Text, primary_key=True),
    *_texts("team", "channel", "thread_ts", "message_ts", "lang", "launch_date", "status"),
    *_texts("launched_by", "launched_at", "reminded_at", "created_at"),
)
gate_checks = Table(
    "gate_checks",
    metadata,
    Column("thread_key", Text, primary_key=True),
    Column("criterion", Text, primary_key=True),
    *_texts("checked_by", "checked_at"),
)
gate_events = Table(
    "gate_events",
    metadata,
    _id(),
    *_texts("thread_key", "criterion", "event", "user", "at"),
    Index("idx_gate_events_thread_key", "thread_key"),
)
viewing = Table(
    "viewing",
    metadata,
    Column("team", Text, primary_key=True),
    Column("user", Text, primary_key=True),
    *_texts("channel", "canvas", "message_channel", "message_ts", "at"),
)
labelled_examples = Table(
    "labelled_examples",
    metadata,
    _id(),
    *_texts("thread_key", "text", "situation"),
    *_ints("described"),
    *_texts("created_at", "figure"),
)
usage = Table(
    "usage",
    metadata,
    _id(),
    *_texts("thread_key", "turn", "call", "agent", "model"),
    *_ints("input_tokens", "output_tokens", "cache_read", "cache_write"),
    *_texts("created_at"),
)


def iso(moment: datetime) -> str:
    """A time in UTC, ISO 8601 to the second, as every table stores it."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now() -> str:
    """The current UTC time, ISO 8601."""
    return iso(datetime.now(UTC))


def later(seconds: float = 0.0) -> str:
    """The UTC time ``seconds`` from now (negative: ago), ISO 8601 to the microsecond: leases and
    backoffs, compared with :func:`now`'s times as text (same zone, same field order)."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="microseconds")


def of_team(column: str, team: str | None) -> tuple[str, dict]:
    """(SQL condition, parameters) keeping the rows whose thread key ``column`` ('team:channel:ts')
    is in workspace ``team``; None keeps every workspace (the operator's terminal)."""
    if team is None:
        return "1 = 1", {}
    return f"substr({column}, 1, :team_len) = :team_prefix", {
        "team_len": len(team) + 1,
        "team_prefix": f"{team}:",
    }


class Repository:
    """The rows of one domain, on the shared ``Database``."""

    def __init__(self, db: Database):
        self.db = db


def update(db: Database, table: str, key: str, value, fields: dict) -> None:
    """Set ``fields`` ({column: value}) of the row of ``table`` whose ``key`` column is ``value``."""
    if fields:
        rows = metadata.tables[table]
        db.execute(rows.update().where(rows.c[key] == value).values(fields))


def upsert(db: Database, table: str, key: str | tuple[str, ...], row: dict) -> None:
    """Insert ``row`` into ``table``, or update the row with the same ``key`` column (or columns)
    (each dialect's ``INSERT … ON CONFLICT``)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if db.dialect == "postgres" else sqlite
    keys = (key,) if isinstance(key, str) else key
    statement = dialect.insert(metadata.tables[table]).values(row)
    db.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in row if name not in keys},
        )
    )


def insert(db: Database, table: str, row: dict) -> int:
    """Insert ``row`` into ``table``; returns its ``id``."""
    rows = metadata.tables[table]
    return db.execute(rows.insert().values(row).returning(rows.c.id)).one()["id"]
