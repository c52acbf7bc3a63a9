"""One row per conversation (a Slack thread or a terminal chat)."""

from __future__ import annotations

from graph.storage.tables import Repository, now, upsert


class ConversationRows(Repository):
    """One row per Slack thread or chat: its route, status and user (table ``conversations``)."""

    def conversation(self, thread_key: str) -> dict | None:
        """The conversations row, or None."""
        return self.db.execute(
            "SELECT * FROM conversations WHERE thread_key = :key", {"key": thread_key}
        ).first()

    def save_conversation(self, thread_key: str, **fields) -> None:
        """Insert or update a conversations row."""
        row = {"thread_key": thread_key, "updated_at": now(), **fields}
        upsert(self.db, "conversations", "thread_key", row)

    def threads_of(self, team: str, user: str, limit: int = 10) -> list[dict]:
        """The conversations of ``user`` in workspace ``team``, most recent first."""
        return self.db.query(
            'SELECT * FROM conversations WHERE team = :team AND "user" = :user '
            "ORDER BY updated_at DESC LIMIT :limit",
            {"team": team, "user": user, "limit": limit},
        )
