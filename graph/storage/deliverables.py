"""Deliverables, the feedback on them, and the tokens of Claude's calls."""

from __future__ import annotations

from graph.storage.tables import Repository, insert, now, of_team, upsert


class Canvases(Repository):
    """The canvas each thread's deliverable lives in, by specialist (table ``canvases``)."""

    def canvas_of(self, thread_key: str, agent: str) -> dict | None:
        """{canvas_id, permalink} of the canvas holding ``agent``'s deliverable in the thread, or None."""
        return self.db.execute(
            "SELECT canvas_id, permalink FROM canvases WHERE thread_key = :key AND agent = :agent",
            {"key": thread_key, "agent": agent},
        ).first()

    def thread_of(self, canvas_id: str) -> str | None:
        """The key of the thread whose deliverable canvas ``canvas_id`` holds, or None."""
        found = self.db.execute(
            "SELECT thread_key FROM canvases WHERE canvas_id = :canvas", {"canvas": canvas_id}
        ).first()
        return found["thread_key"] if found else None

    def record(self, thread_key: str, agent: str, canvas_id: str, permalink: str = "") -> None:
        """Keep (or replace) the canvas of ``agent``'s deliverable in the thread."""
        stamp = now()
        row = {"thread_key": thread_key, "agent": agent, "canvas_id": canvas_id}
        upsert(
            self.db,
            "canvases",
            ("thread_key", "agent"),
            {**row, "permalink": permalink, "created_at": stamp, "updated_at": stamp},
        )


class Viewing(Repository):
    """What each user was last looking at with the agent pane open (table ``viewing``)."""

    def seen(self, team: str, user: str, where: dict[str, str]) -> None:
        """Record ``where`` ({channel, canvas, message_channel, message_ts}; missing: none)."""
        names = ("channel", "canvas", "message_channel", "message_ts")
        row = {"team": team, "user": user, **{k: where.get(k) for k in names}, "at": now()}
        upsert(self.db, "viewing", ("team", "user"), row)

    def of(self, team: str, user: str) -> dict | None:
        """The ``viewing`` row of ``user`` in ``team``, or None."""
        return self.db.execute(
            'SELECT * FROM viewing WHERE team = :team AND "user" = :user',
            {"team": team, "user": user},
        ).first()


class Deliverables(Repository):
    """Finished deliverables and the 👍/👎 feedback on them (tables ``deliverables``, ``feedback``)."""

    def add_deliverable(
        self,
        thread_key: str,
        agent: str,
        lang: str,
        markdown: str,
        brain: str = "offline",
        tool_results: str = "[]",
        path: str = "",
        title: str = "",
    ) -> int:
        """Keep a deliverable (its title and whole Markdown), with the brain that wrote it, (Claude)
        the JSON list of the tool results its figures come from, and its route ("marketing-ops › …
        › agent"). Returns its id."""
        return insert(
            self.db,
            "deliverables",
            {
                "thread_key": thread_key,
                "agent": agent,
                "lang": lang,
                "markdown": markdown,
                "title": title,
                "brain": brain,
                "tool_results": tool_results,
                "path": path,
                "created_at": now(),
            },
        )

    def latest_deliverable(self, thread_key: str, agent: str) -> int | None:
        """The id of the thread's latest deliverable from ``agent``, or None."""
        row = self.db.execute(
            "SELECT MAX(id) AS id FROM deliverables WHERE thread_key = :key AND agent = :agent",
            {"key": thread_key, "agent": agent},
        ).first()
        return row["id"] if row else None

    def rate(self, deliverable_id: int, user: str, rating: str, reason: str | None = None) -> bool:
        """Record ``user``'s feedback on a deliverable: rating 'up' or 'down' (a later click replaces
        an earlier one), and the reason of a thumbs down when given. False for an unknown deliverable.
        Raises ValueError for another rating."""
        if rating not in ("up", "down"):
            raise ValueError(f"unknown rating {rating!r}")
        if not self.db.execute(
            "SELECT 1 AS found FROM deliverables WHERE id = :id", {"id": deliverable_id}
        ).first():
            return False
        self.db.execute(
            'INSERT INTO feedback (deliverable_id, "user", rating, reason, created_at) VALUES (:id, :user, :rating, :reason, :stamp) '
            'ON CONFLICT (deliverable_id, "user") DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at, '
            "reason = CASE WHEN excluded.rating = 'up' THEN NULL ELSE COALESCE(excluded.reason, feedback.reason) END",
            {
                "id": deliverable_id,
                "user": user,
                "rating": rating,
                "reason": reason,
                "stamp": now(),
            },
        )
        return True

    def feedback_rows(self) -> list[dict]:
        """Every feedback with its deliverable's specialist, route, title and thread, newest first."""
        return self.db.query(
            'SELECT f.created_at, f.rating, d.agent, d.path, f."user", f.reason, d.thread_key, f.deliverable_id, d.title '
            "FROM feedback f JOIN deliverables d ON d.id = f.deliverable_id ORDER BY f.created_at DESC, f.id DESC"
        )

    def feedback_by_agent(self) -> list[dict]:
        """Thumbs up and down per specialist (agent, up, down), most rated first."""
        return self.db.query(
            "SELECT d.agent, SUM(CASE WHEN f.rating = 'up' THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN f.rating = 'down' THEN 1 ELSE 0 END) AS down "
            "FROM feedback f JOIN deliverables d ON d.id = f.deliverable_id GROUP BY d.agent ORDER BY COUNT(*) DESC, d.agent"
        )

    def deliverables_of(self, team: str, user: str, limit: int = 5) -> list[dict]:
        """The latest deliverables of the conversations of ``user`` in workspace ``team`` (with
        channel and thread_ts), newest first."""
        return self.db.query(
            "SELECT d.agent, d.lang, d.title, d.created_at, c.channel, c.thread_ts FROM deliverables d "
            'JOIN conversations c ON c.thread_key = d.thread_key WHERE c.team = :team AND c."user" = :user '
            "ORDER BY d.id DESC LIMIT :limit",
            {"team": team, "user": user, "limit": limit},
        )

    def all_deliverables(self, team: str | None = None) -> list[dict]:
        """Every deliverable (of workspace ``team``; None: every workspace), oldest first: id,
        thread_key, agent, lang, title, markdown, brain, created_at, and its 👍/👎 counts."""
        where, params = of_team("d.thread_key", team)
        return self.db.query(
            "SELECT d.id, d.thread_key, d.agent, d.lang, d.title, d.markdown, d.brain, d.created_at, "
            "(SELECT count(*) FROM feedback f WHERE f.deliverable_id = d.id AND f.rating = 'up') AS up, "
            "(SELECT count(*) FROM feedback f WHERE f.deliverable_id = d.id AND f.rating = 'down') AS down "
            f"FROM deliverables d WHERE {where} ORDER BY d.id",
            params,
        )


class Usage(Repository):
    """Tokens of every Claude call (table ``usage``)."""

    def add_usage(self, row: dict) -> None:
        """Record one model call's tokens: thread_key, turn, call ('route', 'extract', 'write'), agent,
        model, input_tokens, output_tokens, cache_read, cache_write."""
        insert(self.db, "usage", {**row, "created_at": now()})

    def usage_by_turn(self) -> list[dict]:
        """Tokens per turn (thread_key, turn, calls, input, output, cache_read, cache_write, first call
        time), oldest first."""
        return self.db.query(
            "SELECT thread_key, turn, COUNT(*) AS calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
            "SUM(cache_read) AS cache_read, SUM(cache_write) AS cache_write, MIN(created_at) AS started "
            "FROM usage GROUP BY thread_key, turn ORDER BY MIN(id)"
        )
