"""The go/no-go gate of campaign threads: the checklist, its ticks and its audit trail."""

from __future__ import annotations

from graph.storage.tables import Repository, insert, now, of_team, update, upsert


class Gates(Repository):
    """A campaign thread's go/no-go checklist (tables ``gates``, ``gate_checks``,
    ``gate_events``; bot/gate.py decides who may tick and launch)."""

    def open_gate(
        self, thread_key: str, where: dict[str, str], launch_date: str, lang: str
    ) -> dict:
        """The gate of ``thread_key``, created in ``planning`` (``where``: team, channel,
        thread_ts) or, when it exists, given the plan's new ``launch_date`` (ISO date; a corrected
        plan), its ticks and status kept. Returns the row."""
        found = self.gate(thread_key)
        if found is None:
            row = {"thread_key": thread_key, **where, "lang": lang, "launch_date": launch_date}
            upsert(
                self.db, "gates", "thread_key", {**row, "status": "planning", "created_at": now()}
            )
        elif found["launch_date"] != launch_date:
            moved = {"launch_date": launch_date, "reminded_at": None}  # reminded again for it
            update(self.db, "gates", "thread_key", thread_key, moved)
        return self.gate(thread_key) or {}

    def gate(self, thread_key: str) -> dict | None:
        """The gates row of ``thread_key``, or None."""
        return self.db.execute(
            "SELECT * FROM gates WHERE thread_key = :key", {"key": thread_key}
        ).first()

    def set_message(self, thread_key: str, message_ts: str) -> None:
        """Record the ts of the checklist's message (edited in place from then on)."""
        update(self.db, "gates", "thread_key", thread_key, {"message_ts": message_ts})

    def checks(self, thread_key: str) -> dict[str, dict]:
        """{criterion id: {checked_by, checked_at}} of the ticked criteria."""
        rows = self.db.query(
            "SELECT criterion, checked_by, checked_at FROM gate_checks WHERE thread_key = :key",
            {"key": thread_key},
        )
        return {r["criterion"]: r for r in rows}

    def tick(self, thread_key: str, criterion: str, user: str, checked: bool) -> None:
        """Tick (``checked``) or untick ``criterion`` as ``user``, with its audit event."""
        if checked:
            row = {"thread_key": thread_key, "criterion": criterion}
            upsert(
                self.db,
                "gate_checks",
                ("thread_key", "criterion"),
                {**row, "checked_by": user, "checked_at": now()},
            )
        else:
            self.db.execute(
                "DELETE FROM gate_checks WHERE thread_key = :key AND criterion = :criterion",
                {"key": thread_key, "criterion": criterion},
            )
        self.record(thread_key, "checked" if checked else "unchecked", user, criterion)

    def record(self, thread_key: str, event: str, user: str, criterion: str = "") -> None:
        """Add an audit event (checked, unchecked, refused, launched, launch_refused, reminded)."""
        row = {"thread_key": thread_key, "criterion": criterion, "event": event, "user": user}
        insert(self.db, "gate_events", {**row, "at": now()})

    def events(self, thread_key: str) -> list[dict]:
        """The gate's audit trail, oldest first: {criterion, event, user, at}."""
        return self.db.query(
            'SELECT criterion, event, "user", at FROM gate_events WHERE thread_key = :key '
            "ORDER BY id",
            {"key": thread_key},
        )

    def launch(self, thread_key: str, user: str) -> bool:
        """Move the campaign from planning to execution as ``user``; False when it was not in
        planning (launched already: a second click changes nothing)."""
        done = self.db.execute(
            "UPDATE gates SET status = 'execution', launched_by = :user, launched_at = :at "
            "WHERE thread_key = :key AND status = 'planning'",
            {"key": thread_key, "user": user, "at": now()},
        ).rowcount
        if done:
            self.record(thread_key, "launched", user)
        return bool(done)

    def due(self, until: str) -> list[dict]:
        """Gates still in planning whose launch date is on or before ``until`` (ISO date) and
        whose owners were not reminded for that date."""
        return self.db.query(
            "SELECT * FROM gates WHERE status = 'planning' AND launch_date <= :until "
            "AND reminded_at IS NULL AND message_ts IS NOT NULL ORDER BY launch_date",
            {"until": until},
        )

    def claim_reminder(self, thread_key: str) -> bool:
        """True for the one caller (process, replica) that marks the gate reminded now."""
        return bool(
            self.db.execute(
                "UPDATE gates SET reminded_at = :at WHERE thread_key = :key AND reminded_at IS NULL",
                {"key": thread_key, "at": now()},
            ).rowcount
        )

    def all_gates(self, team: str | None = None) -> list[dict]:
        """Every gate (of workspace ``team``; None: all), oldest first, with its ticked criteria
        as ``checked`` ("budget, brief")."""
        where, params = of_team("thread_key", team)
        rows = self.db.query(f"SELECT * FROM gates WHERE {where} ORDER BY created_at", params)
        return [{**r, "checked": ", ".join(sorted(self.checks(r["thread_key"])))} for r in rows]

    def trail(self, team: str | None = None) -> list[dict]:
        """Every gate's audit events (of workspace ``team``; None: all), in order."""
        where, params = of_team("thread_key", team)
        return self.db.query(
            f'SELECT id, thread_key, criterion, event, "user", at FROM gate_events WHERE {where} '
            "ORDER BY id",
            params,
        )
