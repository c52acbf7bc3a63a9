"""The engine our tables run on: SQLAlchemy Core on the SQLite file of MARKETING_BOT_DB (the
embedded default) or on PostgreSQL when DATABASE_URL is ``postgresql://…`` (several replicas on
one database). SQLAlchemy turns named parameters (``:name``) into each driver's style and gives
``INSERT … ON CONFLICT`` and ``RETURNING`` on both; Alembic migrates the schema
(graph/storage/migrations/, run by :meth:`Database.migrate`)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import Executable

from graph.extras import require_extra

BUSY_MS = 30_000  # how long SQLite's busy handler waits for another process's write


def engine_url(target: str | Path) -> str:
    """SQLAlchemy's URL for ``target``: 'postgresql://…' (psycopg 3) or a SQLite file path."""
    text = str(target)
    for scheme in ("postgresql://", "postgres://"):
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme) :]
    return f"sqlite:///{text}"


def connect(path: str | Path, timeout: float = BUSY_MS / 1000) -> sqlite3.Connection:
    """A SQLite connection usable from several threads, in WAL mode (synchronous NORMAL), creating
    parent folders; ``timeout``: seconds SQLite's busy handler waits for another writer. LangGraph's
    SqliteSaver takes one; our engine opens its own the same way."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=timeout)
    _wal(conn)
    return conn


def _wal(conn) -> None:
    # WAL is kept in the file: the first connection sets it. Several processes opening a new file
    # together race for that switch, and SQLite answers "locked" at once instead of waiting.
    deadline = time.monotonic() + BUSY_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)
    conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: safe against a killed process


class Result:
    """What a statement gave: ``rowcount`` and its rows as dicts."""

    def __init__(self, rowcount: int, rows: list[dict]):
        self.rowcount, self.rows = rowcount, rows

    def first(self) -> dict | None:
        """The first row, or None when there is none."""
        return self.rows[0] if self.rows else None

    def one(self) -> dict:
        """The first row of a statement that always gives one (an aggregate, an INSERT …
        RETURNING). Raises LookupError when there is none."""
        if not self.rows:
            raise LookupError("the statement returned no row")
        return self.rows[0]


Statement = str | Executable  # SQL text with ``:name`` parameters, or a Core construct
Run = Any  # ``run(statement, params)`` inside a transaction: returns a Result


def _run(conn: Connection, statement: Statement, params: Mapping | None) -> Result:
    if isinstance(statement, str):
        statement = sqlalchemy.text(statement)
    result = conn.execute(statement, dict(params or {}))
    rows = [dict(r._mapping) for r in result] if result.returns_rows else []
    return Result(result.rowcount, rows)


class Database:
    """``Database(target)``: a 'postgresql://' URL or a SQLite file path; one SQLAlchemy engine
    (``engine``, shared with slack_sdk's installation stores). ``execute(statement, params)`` runs
    one statement in its own transaction; ``transaction()`` yields a function that runs several in
    one. On SQLite the process's writes take turns on a lock (threads hand over faster than
    SQLite's busy handler wakes up); the ack path has :meth:`execute_own`."""

    def __init__(self, target: str | Path):
        self.url = engine_url(target)
        self.dialect = "postgres" if self.url.startswith("postgresql") else "sqlite"
        self.lock = threading.RLock()
        if self.dialect == "postgres":
            require_extra("postgres", "DATABASE_URL=postgresql://…")
            self.engine: Engine = sqlalchemy.create_engine(
                self.url, pool_size=10, max_overflow=10, pool_pre_ping=True
            )
            return
        self.path = str(target)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sqlalchemy.create_engine(
            self.url,
            connect_args={"check_same_thread": False, "timeout": BUSY_MS / 1000},
            pool_size=10,
            max_overflow=20,
        )
        event.listen(self.engine, "connect", lambda conn, _record: _wal(conn))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self.dialect == "sqlite":
            with self.lock:
                yield
        else:
            yield

    @contextmanager
    def transaction(self) -> Iterator[Run]:
        """``with db.transaction() as run: run(statement, params)…``: committed together, or not at
        all."""
        with self._locked(), self.engine.begin() as conn:
            yield lambda statement, params=None: _run(conn, statement, params)

    def execute(self, statement: Statement, params: Mapping | None = None) -> Result:
        """One statement (SQL text with ``:name`` parameters, or a Core construct), committed."""
        with self.transaction() as run:
            return run(statement, params)

    def query(self, statement: Statement, params: Mapping | None = None) -> list[dict]:
        """The rows of a SELECT (or of a statement's RETURNING) as dicts."""
        return self.execute(statement, params).rows

    def execute_own(
        self, statement: Statement, params: Mapping | None = None, patience: float = 30.0
    ) -> Result:
        """One statement outside the process's lock (the ack path). SQLite's busy handler sleeps
        in growing steps (up to 100 ms) while another process writes; retrying every millisecond
        instead keeps an ack's wait close to the other write's length."""
        if self.dialect == "postgres":
            return self.execute(statement, params)
        deadline = time.monotonic() + patience
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout = 0")
            conn.commit()
            try:
                while True:
                    try:
                        with conn.begin():
                            return _run(conn, statement, params)
                    except sqlalchemy.exc.OperationalError as err:
                        if "locked" not in str(err) or time.monotonic() > deadline:
                            raise
                        time.sleep(0.001)
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_MS}")
                conn.commit()

    def migrate(self) -> None:
        """Bring the schema to the latest Alembic revision (graph/storage/migrations/), one process
        at a time: serve and its workers start together."""
        from graph.storage.migrations import is_current, upgrade

        with self.engine.connect() as conn:
            if is_current(conn):  # the usual start: no lock taken
                return
        with self._locked(), self.engine.begin() as conn:
            if self.dialect == "postgres":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242)")
            else:  # the write lock now, held to the commit: another process waits here
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            upgrade(conn)

    def close(self) -> None:
        """Close the engine's pooled connections (a short-lived Store: a CLI command, a test)."""
        self.engine.dispose()

    def vacuum(self) -> None:
        """Give the space of deleted rows back to the disk (SQLite: VACUUM and a WAL truncate;
        PostgreSQL's autovacuum does it already)."""
        if self.dialect == "sqlite":
            with self.lock, self.engine.connect() as conn:
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
