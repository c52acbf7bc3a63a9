"""Escalations, decisions, reminders and their audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph.escalation import DECISIONS
from graph.storage.tables import Repository, insert, iso, now, of_team, update, upsert


class Escalations(Repository):
    """Escalations, their decisions and reminders, and their audit trail (tables ``escalations``, ``escalation_events``). Every change is a guarded UPDATE: one click, one process wins."""

    def escalation(self, escalation_id: str) -> dict | None:
        """An escalations row, or None."""
        return self.db.execute(
            "SELECT * FROM escalations WHERE id = :id", {"id": escalation_id}
        ).first()

    def save_escalation(self, row: dict) -> None:
        """Insert an escalations row (``id`` = thread_key:rule[:n]) and its 'raised' event."""
        upsert(self.db, "escalations", "id", {"created_at": now(), **row})
        self._event(row["id"], "raised", row.get("requester") or "", row.get("evidence") or "")

    def escalations_of(self, thread_key: str) -> list[dict]:
        """The thread's escalations rows, oldest first."""
        return self.db.query(
            "SELECT * FROM escalations WHERE thread_key = :key ORDER BY created_at, id",
            {"key": thread_key},
        )

    def _event(self, escalation_id: str, event: str, user: str, reason: str = "") -> None:
        insert(
            self.db,
            "escalation_events",
            {
                "escalation_id": escalation_id,
                "event": event,
                "user": user,
                "reason": reason,
                "at": now(),
            },
        )

    def add_escalation_event(
        self, escalation_id: str, event: str, user: str = "", reason: str = ""
    ) -> None:
        """Append to the audit trail: ``event`` (reminded, denied…), by ``user``, with ``reason``."""
        self._event(escalation_id, event, user, reason)

    def _claim(
        self, escalation_id: str, event: str, user: str, reason: str, sql: str, params: dict
    ) -> dict | None:
        """Run a guarded UPDATE; when it changed the row, log ``event`` and return the row, else None."""
        row = self.db.execute(sql + " RETURNING *", params).first()
        if row is None:
            return None
        self._event(escalation_id, event, user, reason)
        return row

    def decide(self, escalation_id: str, decision: str, user: str, reason: str = "") -> dict | None:
        """Record the decision ('approved', 'rejected', 'changes_requested') on an open blocking
        escalation, once. Returns the row, or None when it is unknown, not blocking or already
        decided (a second or replayed click). Raises ValueError for another decision."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}")
        return self._claim(
            escalation_id,
            decision,
            user,
            reason,
            "UPDATE escalations SET status = :decision, decided_by = :user, decided_at = :stamp, "
            "reason = :reason, resumed = 0 WHERE id = :id AND blocking = 1 AND status = 'open'",
            {
                "decision": decision,
                "user": user,
                "stamp": now(),
                "reason": reason,
                "id": escalation_id,
            },
        )

    def acknowledge(self, escalation_id: str, user: str) -> dict | None:
        """Record who acknowledged an open non-blocking notice, once. Returns the updated row, or
        None when unknown, blocking, or already acknowledged or assigned (a second or replayed click)."""
        return self._claim(
            escalation_id,
            "acknowledged",
            user,
            "",
            "UPDATE escalations SET status = 'acknowledged', acknowledged_by = :user, acknowledged_at = :stamp "
            "WHERE id = :id AND blocking = 0 AND status = 'open'",
            {"user": user, "stamp": now(), "id": escalation_id},
        )

    def assign(self, escalation_id: str, user: str) -> dict | None:
        """Record ``user`` as the owner of a non-blocking notice not assigned yet (it counts as
        acknowledged). Returns the updated row, or None (unknown, blocking, already assigned)."""
        stamp = now()
        return self._claim(
            escalation_id,
            "assigned",
            user,
            "",
            "UPDATE escalations SET status = 'assigned', assigned_to = :user, assigned_at = :stamp, "
            "acknowledged_by = COALESCE(acknowledged_by, :user), "
            "acknowledged_at = COALESCE(acknowledged_at, :stamp) "
            "WHERE id = :id AND blocking = 0 AND status IN ('open', 'acknowledged')",
            {"user": user, "stamp": stamp, "id": escalation_id},
        )

    def due_reminders(self, at: str, limit: int = 50) -> list[dict]:
        """Open escalations whose next reminder is due at ``at`` (ISO time), oldest due first."""
        return self.db.query(
            "SELECT * FROM escalations WHERE status = 'open' AND next_reminder_at IS NOT NULL "
            "AND next_reminder_at <= :at ORDER BY next_reminder_at LIMIT :limit",
            {"at": at, "limit": limit},
        )

    def claim_reminder(
        self, escalation_id: str, reminders: int, next_at: str | None, pinged: str
    ) -> dict | None:
        """Count one more reminder and set the next due time (None: no more reminders), if nobody
        did since ``reminders`` was read; logs 'reminded' with the roles ``pinged``. Returns the row or None."""
        return self._claim(
            escalation_id,
            "reminded",
            "",
            pinged,
            "UPDATE escalations SET reminders = reminders + 1, next_reminder_at = :next_at "
            "WHERE id = :id AND status = 'open' AND reminders = :reminders",
            {"next_at": next_at, "id": escalation_id, "reminders": reminders},
        )

    def unresumed_decisions(self, older_than: float = 0.0) -> list[dict]:
        """Blocking escalations decided at least ``older_than`` seconds ago whose thread has not
        been resumed yet (a crash in between), oldest decision first."""
        return self.db.query(
            "SELECT * FROM escalations WHERE blocking = 1 AND status != 'open' AND resumed = 0 "
            "AND decided_at <= :before ORDER BY decided_at",
            {"before": iso(datetime.now(UTC) - timedelta(seconds=older_than))},
        )

    def set_notice(self, escalation_id: str, channel: str, ts: str) -> None:
        """Where an escalation's notice was posted (set by the outbox once Slack accepted it)."""
        update(
            self.db,
            "escalations",
            "id",
            escalation_id,
            {"notice_channel": channel, "notice_ts": ts},
        )

    def mark_resumed(self, escalation_id: str) -> None:
        """The thread waiting on this decision has been resumed and its messages posted."""
        update(self.db, "escalations", "id", escalation_id, {"resumed": 1})

    def escalation_trail(self, status: str | None = None, team: str | None = None) -> list[dict]:
        """Every audit event (at, escalation_id, rule, role, status, thread_key, event, user, reason),
        oldest first; ``status`` keeps the escalations in that status only, ``team`` those of one workspace."""
        where, params = of_team("e.thread_key", team)
        if status:
            where, params = where + " AND e.status = :status", {**params, "status": status}
        return self.db.query(
            'SELECT v.at, v.escalation_id, e.rule, e.role, e.status, e.thread_key, v.event, v."user", v.reason '
            f"FROM escalation_events v JOIN escalations e ON e.id = v.escalation_id WHERE {where} ORDER BY v.id",
            params,
        )

    def open_escalation_count(self) -> int:
        """How many escalations wait for a decision or an acknowledgement."""
        return self.db.execute("SELECT count(*) AS n FROM escalations WHERE status = 'open'").one()[
            "n"
        ]

    def open_escalations(self, team: str, limit: int = 20) -> list[dict]:
        """Escalations of workspace ``team`` waiting for a decision or an acknowledgement, newest first."""
        where, params = of_team("thread_key", team)
        return self.db.query(
            f"SELECT * FROM escalations WHERE status = 'open' AND {where} ORDER BY created_at DESC LIMIT :limit",
            {**params, "limit": limit},
        )

    def all_escalations(self, team: str | None = None) -> list[dict]:
        """Every escalation row (of workspace ``team``; None: every workspace), oldest first."""
        where, params = of_team("thread_key", team)
        return self.db.query(f"SELECT * FROM escalations WHERE {where} ORDER BY created_at", params)
