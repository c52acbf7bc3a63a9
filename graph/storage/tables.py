"""Our tables and what every repository shares: the schema, the database, times, workspace filters.

Our own tables live in the same database as the LangGraph checkpointer: the SQLite file, or
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

from datetime import UTC, datetime

from graph.db import Database


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


class Repository:
    """The rows of one domain, on the shared ``Database``."""

    def __init__(self, db: Database):
        self.db = db


def update(db: Database, table: str, key: str, value, fields: dict) -> None:
    """Set ``fields`` ({column: value}) of the row of ``table`` whose ``key`` column is ``value``."""
    if fields:
        db.execute(
            f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in fields)} WHERE {key} = ?",
            [*fields.values(), value],
        )


def upsert(db: Database, table: str, key: str, row: dict) -> None:
    """Insert ``row`` into ``table``, or update the row with the same ``key`` column."""
    names = ", ".join(f'"{n}"' for n in row)
    sets = ", ".join(f'"{n}" = excluded."{n}"' for n in row if n != key)
    db.execute(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)}) ON CONFLICT ({key}) DO UPDATE SET {sets}",
        list(row.values()),
    )


def insert(db: Database, table: str, row: dict) -> int:
    """Insert ``row`` into ``table``; returns its ``id``."""
    names = ", ".join(f'"{n}"' for n in row)
    return db.execute(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)}) RETURNING id",
        list(row.values()),
    ).one()["id"]


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
