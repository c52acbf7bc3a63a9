"""One storage interface, two backends: the SQLite file of MARKETING_BOT_DB (the embedded
default) or PostgreSQL when DATABASE_URL is ``postgresql://…`` (several replicas on one database).

:class:`Database` runs the store's SQL, written once in the subset both speak (``?`` parameters,
``INSERT … ON CONFLICT``, ``UPDATE … RETURNING``); the few differences (parameter style, column
types, adding a column) are here. SQLite: a shared connection in WAL mode plus one connection per
thread for the ack path; PostgreSQL: a psycopg connection pool.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.extras import require_extra

TYPES = {
    "sqlite": {
        "id": "INTEGER PRIMARY KEY",
        "text": "TEXT",
        "int": "INTEGER",
        "int0": "INTEGER NOT NULL DEFAULT 0",
        "real": "REAL",
    },
    "postgres": {
        "id": "BIGSERIAL PRIMARY KEY",
        "text": "TEXT",
        "int": "BIGINT",
        "int0": "BIGINT NOT NULL DEFAULT 0",
        "real": "DOUBLE PRECISION",
    },
}


def connect(path: str | Path, timeout: float = 30) -> sqlite3.Connection:
    """A SQLite connection usable from several threads, in WAL mode (synchronous NORMAL), creating
    parent folders; ``timeout``: seconds SQLite's busy handler waits for another writer."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=timeout)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "PRAGMA synchronous=NORMAL"
    )  # in WAL mode: safe against a killed process, no fsync per commit
    return conn


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


class Database:
    """``Database(url)``: 'postgresql://…' or a SQLite file path (or an open sqlite3 connection).
    ``execute(sql, params)`` runs one statement in its own transaction; ``transaction()`` yields a
    function that runs several in one."""

    def __init__(self, target: str | Path | sqlite3.Connection):
        self._local = threading.local()
        self.lock = threading.RLock()
        if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
            require_extra("postgres", "DATABASE_URL=postgresql://…")
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool

            self.dialect, self.url, self.path = "postgres", target, ""
            self.pool = ConnectionPool(
                target,
                min_size=1,
                max_size=20,
                kwargs={"row_factory": dict_row, "autocommit": False},
                open=True,
            )
            return
        self.dialect, self.url = "sqlite", ""
        self.conn = target if isinstance(target, sqlite3.Connection) else connect(target)
        self.conn.row_factory = sqlite3.Row
        self.path = self.conn.execute("PRAGMA database_list").fetchone()[2]

    # -- statements ----------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def _run(self, conn, sql: str, params) -> Result:
        cursor = conn.execute(self._sql(sql), list(params))
        rows = [dict(r) for r in cursor.fetchall()] if cursor.description else []
        return Result(cursor.rowcount, rows)

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if self.dialect == "postgres":
            with self.pool.connection() as conn:
                yield conn
        else:
            with self.lock:
                yield self.conn

    @contextmanager
    def transaction(self):
        """``with db.transaction() as run: run(sql, params)…``: committed together, or not at all."""
        with self._connection() as conn:
            if self.dialect == "postgres":
                with conn.transaction():
                    yield lambda sql, params=(): self._run(conn, sql, params)
            else:
                with conn:
                    yield lambda sql, params=(): self._run(conn, sql, params)

    def execute(self, sql: str, params=()) -> Result:
        """One statement, committed."""
        with self.transaction() as run:
            return run(sql, params)

    def query(self, sql: str, params=()) -> list[dict]:
        """The rows of a SELECT (or of a statement's RETURNING) as dicts."""
        return self.execute(sql, params).rows

    def execute_own(self, sql: str, params=(), patience: float = 30.0) -> Result:
        """One statement on this thread's own connection, outside the shared lock (the ack path).
        SQLite's busy handler sleeps in growing steps (up to 100 ms) while another process writes;
        retrying every millisecond instead keeps an ack's wait close to the other write's length."""
        if self.dialect == "postgres" or not self.path:
            return self.execute(sql, params)
        if getattr(self._local, "conn", None) is None:
            self._local.conn = connect(self.path, timeout=0)
            self._local.conn.row_factory = sqlite3.Row
        conn, deadline = self._local.conn, time.monotonic() + patience
        while True:
            try:
                with conn:
                    return self._run(conn, sql, params)
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.001)

    # -- schema --------------------------------------------------------------------------------
    def columns(self, table: str) -> set[str]:
        """The column names of ``table`` (empty when it does not exist)."""
        if self.dialect == "postgres":
            return {
                r["column_name"]
                for r in self.query(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    [table],
                )
            }
        return {r["name"] for r in self.query(f"PRAGMA table_info({table})")}

    def ensure(
        self,
        table: str,
        columns: dict[str, str],
        indexes: Sequence[tuple[tuple[str, ...], bool]] = (),
    ) -> None:
        """Create ``table`` with ``columns`` ({name: 'id' | 'text' | 'int' | 'real', the first one
        'pk:<type>' or 'id'}), add the columns an older release did not have, and its
        ``indexes`` ((columns, unique)). Idempotent: run at every start (the schema migration)."""
        kinds = TYPES[self.dialect]

        def column(name: str, kind: str) -> str:
            if kind.startswith("pk:"):
                return f'"{name}" {kinds[kind[3:]]} PRIMARY KEY'
            return f'"{name}" {kinds[kind]}'

        self.execute(
            f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(column(n, k) for n, k in columns.items())})"
        )
        have = self.columns(table)
        for name, kind in columns.items():
            if name not in have:
                try:
                    self.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {kinds[kind]}')
                except Exception:  # serve and its workers migrate at once: the other one added it
                    if name not in self.columns(table):
                        raise
        for cols, unique in indexes:
            name = f"idx_{table}_{'_'.join(cols)}"
            self.execute(
                f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {name} ON {table} ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in cols)})"
            )

    def vacuum(self) -> None:
        """Give the space of deleted rows back to the disk (SQLite: VACUUM and a WAL truncate;
        PostgreSQL's autovacuum does it already)."""
        if self.dialect == "sqlite":
            with self.lock:
                self.conn.execute("VACUUM")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
