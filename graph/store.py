"""Our own tables (sqlite-utils), in the same SQLite file as the LangGraph checkpointer.

conversations(thread_key, team, channel, thread_ts, user, path, agent, status, posted, updated_at),
deliverables(id, thread_key, agent, lang, markdown, brain, tool_results (JSON), created_at),
escalations(id = thread_key:rule, thread_key, rule, role, action, blocking, status, evidence,
permalink, notice_channel, notice_ts, acknowledged_by, acknowledged_at, lang, created_at),
events(key, received_at): processed Slack event ids and message keys,
usage(id, thread_key, turn, call, agent, model, input_tokens, output_tokens, cache_read, cache_write,
created_at): one row per Claude call (input_tokens include the cached ones).
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils


def now() -> str:
    """UTC time, ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection usable from several threads, in WAL mode, creating parent folders."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    return conn


class Store:
    """Conversations, deliverables, escalations and processed events. Thread-safe (one lock)."""

    def __init__(self, conn: sqlite3.Connection):
        self.db = sqlite_utils.Database(conn)
        self.lock = threading.RLock()
        with self.lock:
            self.db["conversations"].create({"thread_key": str, "team": str, "channel": str, "thread_ts": str, "user": str,
                                             "path": str, "agent": str, "status": str, "posted": int, "updated_at": str},
                                            pk="thread_key", if_not_exists=True)
            self.db["deliverables"].create({"id": int, "thread_key": str, "agent": str, "lang": str, "markdown": str,
                                            "created_at": str}, pk="id", if_not_exists=True)
            self.db["escalations"].create({"id": str, "thread_key": str, "rule": str, "role": str, "action": str,
                                           "blocking": int, "status": str, "evidence": str, "permalink": str,
                                           "notice_channel": str, "notice_ts": str, "created_at": str},
                                          pk="id", if_not_exists=True)
            for column in ("acknowledged_by", "acknowledged_at", "lang"):  # added after the first release
                if column not in self.db["escalations"].columns_dict:
                    self.db["escalations"].add_column(column, str)
            self.db["events"].create({"key": str, "received_at": str}, pk="key", if_not_exists=True)
            for column in ("brain", "tool_results"):
                if column not in self.db["deliverables"].columns_dict:
                    self.db["deliverables"].add_column(column, str)
            self.db["usage"].create({"id": int, "thread_key": str, "turn": str, "call": str, "agent": str, "model": str,
                                     "input_tokens": int, "output_tokens": int, "cache_read": int, "cache_write": int,
                                     "created_at": str}, pk="id", if_not_exists=True)

    def claim_event(self, key: str) -> bool:
        """Record a Slack event id or message key; False when it was already recorded (a retry)."""
        with self.lock:
            cursor = self.db.execute("INSERT OR IGNORE INTO events (key, received_at) VALUES (?, ?)", [key, now()])
            self.db.conn.commit()
            return cursor.rowcount == 1

    def conversation(self, thread_key: str) -> dict | None:
        """The conversations row, or None."""
        with self.lock:
            rows = list(self.db["conversations"].rows_where("thread_key = ?", [thread_key]))
            return rows[0] if rows else None

    def save_conversation(self, thread_key: str, **fields) -> None:
        """Insert or update a conversations row."""
        with self.lock:
            self.db["conversations"].upsert({"thread_key": thread_key, "updated_at": now(), **fields}, pk="thread_key")

    def add_deliverable(self, thread_key: str, agent: str, lang: str, markdown: str, brain: str = "offline",
                        tool_results: str = "[]") -> None:
        """Keep a posted deliverable, with the brain that wrote it and (Claude) the JSON list of the
        tool results its figures come from."""
        with self.lock:
            self.db["deliverables"].insert({"thread_key": thread_key, "agent": agent, "lang": lang, "markdown": markdown,
                                            "brain": brain, "tool_results": tool_results, "created_at": now()})

    def add_usage(self, row: dict) -> None:
        """Record one model call's tokens: thread_key, turn, call ('route', 'extract', 'write'), agent,
        model, input_tokens, output_tokens, cache_read, cache_write."""
        with self.lock:
            self.db["usage"].insert({**row, "created_at": now()})

    def usage_by_turn(self) -> list[dict]:
        """Tokens per turn (thread_key, turn, calls, input, output, cache_read, cache_write, first call
        time), oldest first."""
        with self.lock:
            return list(self.db.query(
                "SELECT thread_key, turn, COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
                "SUM(cache_read) AS cache_read, SUM(cache_write) AS cache_write, MIN(created_at) AS started "
                "FROM usage GROUP BY thread_key, turn ORDER BY MIN(id)"))

    def escalation(self, escalation_id: str) -> dict | None:
        """An escalations row, or None."""
        with self.lock:
            rows = list(self.db["escalations"].rows_where("id = ?", [escalation_id]))
            return rows[0] if rows else None

    def save_escalation(self, row: dict) -> None:
        """Insert or update an escalations row (``id`` = thread_key:rule)."""
        with self.lock:
            self.db["escalations"].upsert({"created_at": now(), **row}, pk="id")

    def set_escalation_status(self, thread_key: str, status: str) -> None:
        """Set the status of the thread's open blocking escalations ('approved' / 'rejected')."""
        with self.lock:
            self.db.execute("UPDATE escalations SET status = ? WHERE thread_key = ? AND blocking = 1 AND status = 'open'",
                            [status, thread_key])
            self.db.conn.commit()

    def acknowledge(self, escalation_id: str, user: str) -> dict | None:
        """Record who acknowledged an escalation notice, once. Returns the updated row, or None when
        the escalation is unknown or was already acknowledged (a second or replayed click)."""
        with self.lock:
            cursor = self.db.execute("UPDATE escalations SET acknowledged_by = ?, acknowledged_at = ? "
                                     "WHERE id = ? AND acknowledged_by IS NULL", [user, now(), escalation_id])
            self.db.conn.commit()
            return self.escalation(escalation_id) if cursor.rowcount == 1 else None

    def threads_of(self, user: str, limit: int = 10) -> list[dict]:
        """The user's conversations, most recent first."""
        with self.lock:
            return list(self.db["conversations"].rows_where("user = ?", [user], order_by="updated_at desc", limit=limit))

    def deliverables_of(self, user: str, limit: int = 5) -> list[dict]:
        """The latest deliverables of the user's conversations (with channel and thread_ts), newest first."""
        with self.lock:
            return list(self.db.query(
                "SELECT d.agent, d.lang, d.markdown, d.created_at, c.channel, c.thread_ts FROM deliverables d "
                "JOIN conversations c ON c.thread_key = d.thread_key WHERE c.user = ? ORDER BY d.id DESC LIMIT ?",
                [user, limit]))

    def open_escalations(self, limit: int = 10) -> list[dict]:
        """Escalations not acknowledged yet and not decided, newest first."""
        with self.lock:
            return list(self.db["escalations"].rows_where("acknowledged_by IS NULL AND status = 'open'",
                                                          order_by="created_at desc", limit=limit))
