"""The tables as the release before Alembic made them (its graph/db.py created them and added
the columns an older release lacked, at every start): create the missing tables, add the missing
columns and indexes. A database of that release keeps its rows and gets its ``alembic_version``.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER, its rowid type
KINDS: dict[str, sa.types.TypeEngine] = {
    "text": sa.Text(),
    "int": BIGINT,
    "real": sa.Float(),
    "id": BIGINT,
}


def _column(name: str, kind: str) -> sa.Column:
    if kind == "id" or kind.startswith("pk:"):
        return sa.Column(name, KINDS[kind.removeprefix("pk:")], primary_key=True)
    if kind == "int0":
        return sa.Column(name, BIGINT, nullable=False, server_default=sa.text("0"))
    return sa.Column(name, KINDS[kind])


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table, (columns, indexes) in BASELINE.items():
        if not inspector.has_table(table):
            op.create_table(table, *(_column(n, k) for n, k in columns.items()))
            have: set[str] = set(columns)
            named: set[str] = set()
        else:
            have = {c["name"] for c in inspector.get_columns(table)}
            named = {i["name"] or "" for i in inspector.get_indexes(table)}
        for name, kind in columns.items():
            if name not in have:
                op.add_column(table, _column(name, kind))
        for cols, unique in indexes:
            index = f"idx_{table}_{'_'.join(cols)}"
            if index not in named:
                op.create_index(index, table, list(cols), unique=unique)


# table -> ({column: kind}, [(index columns, unique)]), as the release before Alembic made them
BASELINE: dict[str, tuple[dict[str, str], list[tuple[tuple[str, ...], bool]]]] = {
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
