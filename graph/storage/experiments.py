"""The team's experiment log."""

from __future__ import annotations

from graph.storage.tables import Repository, insert, now, update


class Experiments(Repository):
    """The team's experiment log (table ``experiments``; graph/experiments.py reads and writes it)."""

    def add_experiment(self, row: dict) -> dict | None:
        """Insert an experiments row (its columns as in tables.experiments); returns it with its ``id``."""
        stamp = now()
        return self.experiment(
            insert(self.db, "experiments", {"created_at": stamp, "updated_at": stamp, **row})
        )

    def update_experiment(self, experiment_id: int, fields: dict) -> dict | None:
        """Set columns of an experiments row; returns the row."""
        update(self.db, "experiments", "id", experiment_id, {**fields, "updated_at": now()})
        return self.experiment(experiment_id)

    def experiment(self, experiment_id: int) -> dict | None:
        """An experiments row, or None."""
        return self.db.execute(
            "SELECT * FROM experiments WHERE id = :id", {"id": experiment_id}
        ).first()

    def thread_experiment(self, thread_key: str) -> dict | None:
        """The latest experiment recorded from a Slack thread, or None."""
        return self.db.execute(
            "SELECT * FROM experiments WHERE thread_key = :key ORDER BY id DESC LIMIT 1",
            {"key": thread_key},
        ).first()

    def experiments(
        self, team: str | None = None, statuses: tuple[str, ...] = (), limit: int = 1000
    ) -> list[dict]:
        """Experiments (of ``team``, in ``statuses``), most recently updated first."""
        where: list[str] = []
        params: dict = {"team": team, "limit": limit}
        if team is not None:
            where.append("team = :team")
        if statuses:
            where.append(f"status IN ({', '.join(f':status{n}' for n in range(len(statuses)))})")
            params |= {f"status{n}": status for n, status in enumerate(statuses)}
        sql = (
            "SELECT * FROM experiments"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY updated_at DESC, id DESC LIMIT :limit"
        )
        return self.db.query(sql, params)

    def finished_experiments(self, since: str, until: str) -> list[dict]:
        """Experiments finished (shipped, rejected, inconclusive) between ``since`` and ``until``
        (ISO times), oldest first."""
        return self.db.query(
            "SELECT * FROM experiments WHERE status IN ('shipped', 'rejected', 'inconclusive') "
            "AND finished_at >= :since AND finished_at < :until ORDER BY finished_at, id",
            {"since": since, "until": until},
        )

    def overdue_experiments(self, today: str, limit: int = 50) -> list[dict]:
        """Running experiments whose planned end date is before ``today`` (ISO date) and whose
        thread has not been reminded yet."""
        return self.db.query(
            "SELECT * FROM experiments WHERE status = 'running' AND end_date < :today "
            "AND reminded_at IS NULL AND thread_key IS NOT NULL ORDER BY end_date LIMIT :limit",
            {"today": today, "limit": limit},
        )

    def claim_experiment_reminder(self, experiment_id: int) -> bool:
        """Mark an overdue experiment reminded, once (one process among replicas wins)."""
        return (
            self.db.execute(
                "UPDATE experiments SET reminded_at = :stamp WHERE id = :id AND reminded_at IS NULL",
                {"stamp": now(), "id": experiment_id},
            ).rowcount
            == 1
        )
