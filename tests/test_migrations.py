"""Alembic's migrations: a database of the release before them (its schema as that release made
it, tests/schemas/) is upgraded and keeps its rows, on SQLite and on a real PostgreSQL; the
migrated tables are those the code declares; processes starting together migrate once."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from graph.storage import Store, metadata
from graph.storage.migrations import head

SCHEMAS = Path(__file__).parent / "schemas"


def _old_release(dialect: str, target: str, drop: str = "") -> None:
    """Create the schema of the release before Alembic on ``target`` (``drop``: leave out that
    column, as a still older release did) and one row in each of several tables."""
    statements = [
        s
        for s in (SCHEMAS / f"schema_2026_12_{dialect}.sql").read_text().split(";\n")
        if s.strip() and not s.startswith("--")
    ]
    if drop:
        statements = [s.replace(f', "{drop}" BIGINT NOT NULL DEFAULT 0', "") for s in statements]
        statements = [s.replace(f', "{drop}" INTEGER NOT NULL DEFAULT 0', "") for s in statements]
    rows = [
        "INSERT INTO escalations (id, thread_key, rule, blocking, status, created_at) "
        "VALUES ('T1:C1:1:revenue-impact', 'T1:C1:1', 'revenue-impact', 1, 'open', '2026-12-01T09:00:00+00:00')",
        "INSERT INTO deliverables (thread_key, agent, lang, markdown, created_at) "
        "VALUES ('T1:C1:1', 'ab-test-analysis', 'fr', '# Analyse', '2026-12-01T09:00:00+00:00')",
        "INSERT INTO experiments (team, name, status, learnings, created_at, updated_at) "
        "VALUES ('T1', 'Prix', 'shipped', 'la hausse de prix passe', '2026-12-01', '2026-12-01')",
        "INSERT INTO outbox (lane, key, op, status, attempts, next_try, created_at) "
        "VALUES ('thread:T1:C1:1', 'k1', '{\"op\": \"message\"}', 'pending', 0, '2026-12-01', '2026-12-01')",
    ]
    if dialect == "sqlite":
        with sqlite3.connect(target) as conn:
            for statement in statements + rows:
                conn.execute(statement)
    else:
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            for statement in statements + rows:
                conn.execute(statement)


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path) -> tuple[str, str]:
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "bot.db")
    return "postgres", request.getfixturevalue("postgres_db")


def _same_on_sqlite(change) -> bool:
    """SQLite's equivalents: a primary key declared without NOT NULL, REAL for FLOAT (one type
    affinity); changing them would mean rebuilding the table for nothing."""
    kind, _, table, column = change[:4]
    primary = metadata.tables[table].c[column].primary_key
    return (kind == "modify_nullable" and primary) or (
        kind == "modify_type" and str(change[-1]) == "FLOAT" and str(change[-2]) == "REAL"
    )


def _differences(store: Store) -> list:
    """What separates the database's tables from the tables the code declares (ours only)."""
    with store.db.engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn), metadata)
    changes = [c[0] if isinstance(c, list) else c for c in found]
    return [
        c
        for c in changes
        if c[0] != "remove_table"  # LangGraph's own tables
        and not (store.db.dialect == "sqlite" and _same_on_sqlite(c))
    ]


def test_a_database_of_the_release_before_alembic_is_upgraded_and_keeps_its_rows(target):
    dialect, url = target
    _old_release(dialect, url)
    store = Store(url)
    assert store.db.query("SELECT version_num FROM alembic_version") == [{"version_num": head()}]
    assert store.escalations.escalation("T1:C1:1:revenue-impact")["status"] == "open"
    assert [e["learnings"] for e in store.experiments.experiments(team="T1")] == [
        "la hausse de prix passe"
    ]
    assert store.outbox.claimable(10)[0]["key"] == "k1"
    # New rows follow the old ones: the id sequence carried over.
    assert store.deliverables.add_deliverable("T1:C1:2", "kpi-tracking", "en", "# KPI") == 2
    assert store.escalations.decide("T1:C1:1:revenue-impact", "approved", "U1")
    assert _differences(store) == []
    Store(url)  # a second start finds nothing to do
    assert store.db.query("SELECT count(*) AS n FROM escalations")[0]["n"] == 1


def test_a_column_an_older_release_lacked_is_added_with_its_default(target):
    dialect, url = target
    _old_release(dialect, url, drop="reminders")
    store = Store(url)
    assert store.escalations.escalation("T1:C1:1:revenue-impact")["reminders"] == 0
    assert store.escalations.claim_reminder("T1:C1:1:revenue-impact", 0, None, "direction")
    assert _differences(store) == []


def test_a_new_database_has_the_declared_tables_and_processes_starting_together_migrate_once(
    target,
):
    dialect, url = target
    stores, errors = [], []

    # Released together: on a new SQLite file they race for the switch to WAL as well.
    together = threading.Barrier(8)

    def start() -> None:
        together.wait()
        try:
            stores.append(Store(url))
        except Exception as err:  # noqa: BLE001 - the test reports it
            errors.append(err)

    threads = [threading.Thread(target=start) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and len(stores) == 8
    assert _differences(stores[0]) == []
    with stores[0].db.engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_epoch_leases_of_the_last_release_become_iso_times_and_are_honoured(target):
    """A database at revision 0004 (the last release) with a backoff, a claim and a lease held
    as epoch seconds: upgraded, they are ISO times in UTC, a backoff passed lets its row be
    claimed, a lease still running keeps its thread, an expired one frees it."""
    import time

    from alembic import command

    from graph.storage.database import Database
    from graph.storage.migrations import config

    dialect, url = target
    db = Database(url)
    with db.engine.begin() as conn:
        command.upgrade(config(conn), "0004")
    past, future = time.time() - 60, time.time() + 3600
    db.execute(
        "INSERT INTO outbox (lane, key, op, status, attempts, created_at, held_until, claimed_at) "
        "VALUES ('l', 'k', '{}', 'pending', 1, '2026-12-01T09:00:00+00:00', :past, :past)",
        {"past": past},
    )
    db.execute(
        "INSERT INTO leases (thread_key, owner, expires_at) VALUES ('T:C:1', 'p1', :future), "
        "('T:C:2', 'p1', :past)",
        {"past": past, "future": future},
    )
    store = Store(url)
    row = store.outbox.claimable(5)[0]
    assert row["key"] == "k" and row["held_until"].endswith("+00:00")
    shifted = datetime.fromisoformat(row["held_until"]).timestamp()
    assert abs(shifted - past) < 0.01 and store.outbox.claim(row["id"], "p2", 30)
    assert not store.leases.acquire_lease("T:C:1", "p2", 30)  # still p1's for an hour
    assert store.leases.acquire_lease("T:C:2", "p2", 30)  # expired: free
    assert _differences(store) == []
