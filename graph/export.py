"""A portable copy of the team's knowledge, made with sqlite-utils, ready for ``datasette FILE``.

``marketing-bot export --sqlite FILE`` writes, from the bot's database (SQLite or PostgreSQL):

- ``experiments``: the experiment log (hypothesis, metric, plan, results, lift, p-value, decision,
  learnings, ICE), full-text searchable on name, hypothesis, results and learnings;
- ``deliverables``: every finished deliverable (specialist, language, title, the Markdown posted,
  👍/👎 counts), full-text searchable on title and Markdown;
- ``escalations``: every escalation (rule, role, evidence, status, who decided, when, the thread's
  permalink) and ``escalation_events``, its audit trail (raised, reminded, acknowledged, assigned,
  decided, denied), each event pointing to its escalation (a foreign key);
- ``gates``: each campaign's go/no-go checklist (launch date, status, the criteria ticked, who
  launched and when) and ``gate_events``, its audit trail (ticks, refusals, launch, reminders),
  each event pointing to its gate.

Nothing of the bot's machinery (jobs, outbox, leases, events) is copied. The file is rewritten
from scratch at every export.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from graph.storage import Store, metadata

SEARCHABLE = {
    "experiments": ["name", "hypothesis", "results", "learnings"],
    "deliverables": ["title", "markdown"],
}
"""Columns of each exported table that full-text search covers (SQLite FTS5)."""
EMPTY_COLUMNS = {
    "deliverables": [
        "id",
        "thread_key",
        "agent",
        "lang",
        "title",
        "markdown",
        "brain",
        "created_at",
    ],
    "escalation_events": ["at", "escalation_id", "event", "user", "reason"],
    "gates": ["thread_key", "team", "channel", "launch_date", "status", "launched_by"],
    "gate_events": ["id", "thread_key", "criterion", "event", "user", "at"],
}
"""The columns of a table exported with no rows, where they differ from the store's."""


def export_sqlite(store: Store, path: str | Path, team: str | None = None) -> dict[str, int]:
    """Write the experiments, deliverables, escalations, campaign gates and their audit trails
    of ``store``
    (of workspace ``team``, a Slack team id; None: every workspace) to the SQLite file ``path``
    (replaced if it exists), with full-text search on the ``SEARCHABLE`` columns.

    Returns {table: rows written}. Raises sqlite3.Error when ``path`` cannot be written."""
    db = sqlite_utils.Database(str(path), recreate=True)
    escalations = store.escalations.all_escalations(team)
    known = {e["id"] for e in escalations}
    tables = {
        "experiments": store.experiments.experiments(team, limit=1_000_000)[::-1],
        "deliverables": store.deliverables.all_deliverables(team),
        "escalations": escalations,
        "escalation_events": [
            {k: v for k, v in event.items() if k not in ("rule", "role", "status", "thread_key")}
            for event in store.escalations.escalation_trail(team=team)
            if event["escalation_id"] in known
        ],
        "gates": store.gates.all_gates(team),
        "gate_events": store.gates.trail(team),
    }
    for name, rows in tables.items():
        _create(db, name, rows)
        if name in SEARCHABLE:
            db.table(name).enable_fts(SEARCHABLE[name], create_triggers=True)
    return {name: len(rows) for name, rows in tables.items()}


def _columns(name: str, rows: list[dict]) -> dict[str, type]:
    """The columns of exported table ``name``: those of its rows, typed as the store's table types
    them (text, integer, real); a computed column (the 👍/👎 counts) is an integer."""
    types = {c.name: c.type.python_type for c in metadata.tables[name].columns}
    names = list(rows[0]) if rows else [c for c in types if c in EMPTY_COLUMNS.get(name, types)]
    return {c: types.get(c, int) for c in names}


KEYS: dict[str, dict] = {
    "escalation_events": {"foreign_keys": [("escalation_id", "escalations", "id")]},
    "gates": {"pk": "thread_key"},
    "gate_events": {"pk": "id", "foreign_keys": [("thread_key", "gates", "thread_key")]},
}
"""Each exported table's primary key and foreign keys, where they are not just ``id``."""


def _create(db: sqlite_utils.Database, name: str, rows: list[dict]) -> None:
    """Table ``name`` with ``rows``, its primary key and, for an audit trail, its foreign key to
    what it audits; created with its columns even when there are no rows."""
    db.table(name).create(_columns(name, rows), **KEYS.get(name, {"pk": "id"}))
    db.table(name).insert_all(rows)
