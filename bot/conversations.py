"""Conversations: one LangGraph thread per Slack thread, checkpointed in SQLite.

``Conversations.handle(thread, text)`` starts the graph on a new request, or resumes it with
``Command(resume=text)`` when the thread waits on a question; it returns the messages to post in
the thread (outbox items not posted yet, then the pending question). A thread waiting on a
blocking escalation is resumed only by ``Conversations.resume(thread, decision)``, once the bot
has checked who decided (bot/escalations.py): a message's text never resumes it. Slack and the
terminal chat both go through it.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.config import get_config
from langgraph.types import Command

from graph.brains.claude import ClaudeBrain
from graph.configuration import Context
from graph.graph import compile_graph
from graph.nodes.routing import MAX_TEXT
from graph.store import Store, connect
from graph.text import detect_language


@dataclass(frozen=True)
class Thread:
    """Where a conversation lives: Slack team, channel, thread_ts (the parent message ts), user."""

    team: str
    channel: str
    thread_ts: str
    user: str = ""

    @property
    def key(self) -> str:
        """The LangGraph thread id and our tables' key: 'team:channel:thread_ts'."""
        return f"{self.team}:{self.channel}:{self.thread_ts}"


class Conversations:
    """The compiled graph with its SQLite checkpointer and our tables, in one database file."""

    def __init__(self, db_path: str, context: Context | None = None, model: BaseChatModel | None = None,
                 model_id: str = ""):
        """``model``: a LangChain chat model (ChatAnthropic) for the Claude brain; without it, the offline brain."""
        self.saver = SqliteSaver(connect(db_path))
        self.saver.setup()
        self.store = Store(connect(db_path))
        self.graph = compile_graph(self.saver)
        self.context = context or Context()
        if model is not None:
            self.context.brain = ClaudeBrain(model, self.context.hierarchy, self.context.router, self._record_usage, model_id)
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)

    @property
    def brain(self) -> str:
        """'claude' or 'offline'."""
        return self.context.brain.name

    def _record_usage(self, record: dict) -> None:
        """Store one Claude call's usage under the running graph's thread and turn."""
        configurable = get_config().get("configurable", {})
        self.store.add_usage({"thread_key": configurable.get("thread_id", ""), "turn": configurable.get("turn", ""), **record})

    def thread(self, thread_key: str) -> Thread | None:
        """The Thread of a conversation the bot takes part in (its requester as ``user``), or None."""
        row = self.store.conversation(thread_key)
        return Thread(row["team"], row["channel"], row["thread_ts"], row.get("user") or "") if row else None

    def is_known(self, thread: Thread) -> bool:
        """True when the bot already takes part in this thread."""
        return self.store.conversation(thread.key) is not None

    def pending(self, thread: Thread) -> list[dict]:
        """The interrupts the thread waits on (``kind`` question, choice, decision_pending), or []."""
        snapshot = self.graph.get_state({"configurable": {"thread_id": thread.key}})
        return [i.value for i in snapshot.interrupts]

    def handle(self, thread: Thread, text: str, notifier=None, agent: str | None = None,
               brief: dict | None = None, scope: list[str] | None = None, lang: str | None = None,
               files: list[dict] | None = None, progress: Callable[[dict], None] | None = None) -> list[dict]:
        """Run one user message through the graph; returns the message items to post, in order.

        ``agent`` skips routing, as a modal does; ``brief`` holds inputs every new request of the
        thread starts from (a campaign brief, A/B results); ``scope`` bounds routing in
        this thread to some orchestrators' specialists, as a slash command does; ``lang`` is the
        language used when the message itself gives no signal; ``files`` the tables shared with the
        message (``graph.data.load_file``), kept for the thread; ``progress`` receives the Claude
        brain's streamed pieces ({'delta': text} or {'reset': True}). An empty message without files gets
        the help text; a message longer than MAX_TEXT is cut and the reply says so. Messages in
        one thread are handled one at a time."""
        lang = detect_language(text)
        if not text.strip() and not files:
            return [{"kind": "help", "lang": lang}]
        if not text.strip():  # a file shared without a word: its name stands for the message
            text = " ".join(f["name"] for f in files)
        notes = []
        if len(text) > MAX_TEXT:
            notes.append({"kind": "truncated", "lang": lang, "length": len(text), "kept": MAX_TEXT})
            text = text[:MAX_TEXT]
        context, config = self._context(notifier), self._config(thread)
        with self._locks[thread.key]:
            snapshot = self.graph.get_state(config)
            if not agent and any(i.value["kind"] == "decision_pending" for i in snapshot.interrupts):
                return notes + [i.value for i in snapshot.interrupts]  # only a checked decision resumes it
            extra = {"forced": agent, "brief": brief, "scope": scope, "lang": lang, "files": files}
            shared = [f["name"] for f in files or []]
            payload = {"message": text, "offline_turn": False, "shared": shared, **{k: v for k, v in extra.items() if v}}
            if snapshot.interrupts and not agent:
                payload = Command(resume=text, update={"offline_turn": False, "shared": shared, **({"files": files} if files else {})})
            return notes + self._run(thread, payload, config, context, progress)

    def resume(self, thread: Thread, decision: dict, notifier=None) -> list[dict]:
        """Resume a thread waiting on a blocking escalation with a checked decision ({"decision",
        "by", "reason", "rule"}: bot.escalations.Desk.resume_value); returns the messages to post.
        [] when the thread does not wait on that rule (already resumed)."""
        context, config = self._context(notifier), self._config(thread)
        with self._locks[thread.key]:
            waiting = [i.value for i in self.graph.get_state(config).interrupts if i.value["kind"] == "decision_pending"]
            if not any(decision.get("rule") in w["rules"] for w in waiting):
                return []
            return self._run(thread, Command(resume=decision), config, context, None)

    def _context(self, notifier) -> Context:
        """This turn's Context: the shared hierarchy, router and brain, with the turn's notifier."""
        return Context(self.context.hierarchy, self.context.router, notifier or self.context.notifier, self.context.brain)

    @staticmethod
    def _config(thread: Thread) -> dict:
        """The LangGraph config of one turn: the thread id and a fresh turn id (usage records)."""
        return {"configurable": {"thread_id": thread.key, "turn": uuid.uuid4().hex[:12]}}

    def _run(self, thread: Thread, payload, config: dict, context: Context, progress) -> list[dict]:
        """Stream ``payload`` through the graph, record deliverables and the conversation row;
        returns the outbox items not posted yet, then the pending interrupts. Holds the thread's lock."""
        for chunk in self.graph.stream(payload, config, context=context, stream_mode="custom"):
            if progress:
                progress(chunk)
        snapshot = self.graph.get_state(config)
        result = snapshot.values
        row = self.store.conversation(thread.key) or {}
        outbox = result.get("outbox", [])
        new = outbox[row.get("posted") or 0:]
        for item in new:
            if item["kind"] == "deliverable":
                self.store.add_deliverable(thread.key, item["agent"], item["lang"], item["markdown"], item.get("brain", "offline"),
                                           json.dumps(item.get("tool_results") or [], ensure_ascii=False, default=str))
        pending = [i.value for i in snapshot.interrupts]
        raised = any(i["kind"] == "escalated" and i["blocking"] for i in new)
        shown = [p for p in pending if not (raised and p["kind"] == "decision_pending")]  # the notice already says it waits
        self.store.save_conversation(
            thread.key, team=thread.team, channel=thread.channel, thread_ts=thread.thread_ts,
            user=row.get("user") or thread.user, path=" › ".join(result.get("path") or []), agent=result.get("agent"),
            status="waiting" if pending else "done", posted=len(outbox),
        )
        return new + shown
