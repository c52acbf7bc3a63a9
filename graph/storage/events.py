"""Slack event ids and turn keys: what was received, what is done."""

from __future__ import annotations

from graph.storage.tables import Repository, now


class Events(Repository):
    """Slack event ids, message and turn keys: received, done (table ``events``)."""

    def claim_event(self, key: str) -> bool:
        """Record a key as done at once (one answer per button message); False when it was
        already recorded (a replayed click)."""
        stamp = now()
        return (
            self.db.execute(
                "INSERT INTO events (key, received_at, status, done_at) VALUES (:key, :stamp, 'done', :stamp) "
                "ON CONFLICT DO NOTHING",
                {"key": key, "stamp": stamp},
            ).rowcount
            == 1
        )

    def receive_event(self, key: str, body: str | None = None) -> bool:
        """Record a Slack event as received (with its JSON ``body``, to finish it after a crash).
        Returns False when it is already done: a retry to ignore; True when it must be processed
        (new, or received before but never finished)."""
        self.db.execute_own(
            "INSERT INTO events (key, received_at, status, body) VALUES (:key, :stamp, 'received', :body) "
            "ON CONFLICT DO NOTHING",
            {"key": key, "stamp": now(), "body": body},
        )
        return not self.is_done(key, own=True)

    def is_done(self, key: str, own: bool = False) -> bool:
        """True when the event or turn ``key`` is done; ``own``: read on this thread's connection
        (the ack path, which must not wait for the lock the turns share)."""
        sql, params = "SELECT status FROM events WHERE key = :key", {"key": key}
        row = (self.db.execute_own(sql, params) if own else self.db.execute(sql, params)).first()
        return row is not None and row["status"] in (
            "done",
            None,
        )  # rows from the first release have no status: done

    def unfinished_events(self, since: str) -> list[dict]:
        """Events received since ``since`` (ISO) but not done, with their body, oldest first."""
        return self.db.query(
            "SELECT key, body FROM events WHERE status = 'received' AND body IS NOT NULL AND received_at >= :since "
            "ORDER BY received_at",
            {"since": since},
        )
