"""Where a conversation lives: a Slack thread (or a terminal chat), as the graph and our tables
key it. Imports nothing heavy: rendering and storage read it without loading the graph."""

from __future__ import annotations

from dataclasses import dataclass

TERMINAL_TEAM = (
    "cli"  # the workspace id of `marketing-bot chat` conversations: no Slack thread to post in
)


@dataclass(frozen=True)
class Thread:
    """Where a conversation lives: Slack team, channel, thread_ts (the parent message ts; None
    for a top-level post, as the experiments digest), user."""

    team: str
    channel: str
    thread_ts: str | None
    user: str = ""

    @property
    def key(self) -> str:
        """The LangGraph thread id and our tables' key: 'team:channel:thread_ts'."""
        return f"{self.team}:{self.channel}:{self.thread_ts}"


def experiment_thread(row: dict) -> Thread | None:
    """The Slack thread an experiments row (graph/storage/) was planned or read in, its owner as
    user; None for a terminal conversation or a backlog idea (no thread to post in or link to)."""
    if row.get("team") == TERMINAL_TEAM or not row.get("thread_ts"):
        return None
    return Thread(row["team"], row["channel"], row["thread_ts"], row.get("owner") or "")
