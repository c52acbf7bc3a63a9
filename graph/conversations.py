"""Conversations: one LangGraph thread per Slack thread, checkpointed in SQLite.

``Conversations.handle(thread, text)`` starts the graph on a new request, or resumes it with
``Command(resume=text)`` when the thread waits on a question; it returns the messages to post in
the thread (this turn's outbox items, then the pending question). A thread waiting on a
blocking escalation is resumed only by ``Conversations.resume(thread, decision)``, once the bot
has checked who decided (bot/escalations.py): a message's text never resumes it. Slack and the
terminal chat both go through it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.config import get_config
from langgraph.types import Command

from graph.configuration import Context
from graph.document import Deliverable
from graph.experiments import ExperimentLog, logged
from graph.extras import require_extra
from graph.graph import compile_graph
from graph.messages import DecisionPending, Escalated, Help, Truncated, dump, parse
from graph.nodes.routing import MAX_TEXT
from graph.state import NEW_TURN
from graph.storage import LabelledExamples, Store, iso
from graph.storage.database import connect
from graph.text import detect_language
from graph.threads import Thread
from graph.understanding import understand
from graph.understanding.followups import is_aside, operation_model
from graph.understanding.reader import is_correction
from graph.understanding.roles import role_model
from graph.understanding.situations import situation_model
from graph.understanding.structures import flatten_tables

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
Deliver = Callable[
    [list, "str | None"], None
]  # (items, turn_key): write them to the outbox, mark the turn done


def checkpointer(target: str):
    """LangGraph's saver on ``target``: PostgresSaver on a psycopg pool for a 'postgresql://' URL,
    else SqliteSaver on the file."""
    if target.startswith(("postgresql://", "postgres://")):
        require_extra("postgres", "DATABASE_URL=postgresql://…")
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        pool = ConnectionPool(
            target,
            min_size=1,
            max_size=20,
            open=True,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        )  # what PostgresSaver expects
        return PostgresSaver(pool)  # type: ignore[arg-type]  # rows are dicts: dict_row above
    return SqliteSaver(connect(target))


def new_turn(turn_key: str | None) -> dict:
    """The state update every turn starts with: the Claude brain tried again, the turn's key,
    an empty outbox."""
    return {"offline_turn": False, "turn_key": turn_key or "", "outbox": NEW_TURN}


def thread_config(thread: Thread) -> dict:
    """The LangGraph config that names a thread's checkpoints (its key)."""
    return {"configurable": {"thread_id": thread.key}}


def turn_config(thread: Thread) -> dict:
    """The LangGraph config of one turn: the thread id and a fresh turn id (usage records)."""
    return {"configurable": {"thread_id": thread.key, "turn": uuid.uuid4().hex[:12]}}


class Conversations:
    """The compiled graph with its checkpointer and our tables, in one database: a SQLite file, or
    PostgreSQL ('postgresql://…': langgraph-checkpoint-postgres, several replicas)."""

    def __init__(
        self,
        db_path: str,
        context: Context | None = None,
        model: BaseChatModel | None = None,
        model_id: str = "",
        lease_ttl: float = 15.0,
        lease_wait: float = 60.0,
    ):
        """``model``: a LangChain chat model (ChatAnthropic) for the Claude brain; without it, the
        offline brain. ``lease_ttl``: seconds a thread's lease lasts unless renewed (it is, every
        third of it, while the turn runs): a killed process's threads are free after that;
        ``lease_wait``: seconds a turn waits for a thread another process holds. ``db_path``: the
        SQLite file, or a 'postgresql://' URL."""
        self.saver = checkpointer(db_path)
        self.saver.setup()  # the checkpointer's own schema migration
        self.store = Store(db_path)
        self.graph = compile_graph(self.saver)
        self.context = context or Context()
        for learned in (
            situation_model,
            role_model,
            operation_model,
        ):  # trained (or loaded from the disk cache) at start,
            learned()  # like the router: not in a user's first turn
        self.experiments = self.context.experiments = ExperimentLog(self.store)
        self.context.examples = LabelledExamples(self.store)
        if model is not None:
            from graph.brains.claude import (
                ClaudeBrain,  # langchain loads only when the Claude brain is on
            )

            self.context.brain = ClaudeBrain(
                model, self.context.hierarchy, self.context.router, self._record_usage, model_id
            )
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.lease_ttl, self.lease_wait = lease_ttl, lease_wait
        self._held: set[str] = set()
        threading.Thread(target=self._renew, name="leases", daemon=True).start()

    @property
    def brain(self) -> str:
        """'claude' or 'offline'."""
        return self.context.brain.name

    def _record_usage(self, record: dict) -> None:
        """Store one Claude call's usage under the running graph's thread and turn."""
        configurable = get_config().get("configurable", {})
        self.store.usage.add_usage(
            {
                "thread_key": configurable.get("thread_id", ""),
                "turn": configurable.get("turn", ""),
                **record,
            }
        )

    def thread(self, thread_key: str) -> Thread | None:
        """The Thread of a conversation the bot takes part in (its requester as ``user``), or None."""
        row = self.store.conversations.conversation(thread_key)
        return (
            Thread(row["team"], row["channel"], row["thread_ts"], row.get("user") or "")
            if row
            else None
        )

    def is_known(self, thread: Thread) -> bool:
        """True when the bot already takes part in this thread."""
        return self.store.conversations.conversation(thread.key) is not None

    def request(self, thread: Thread) -> str:
        """The text of the thread's current request (its messages, one a line), '' for none."""
        snapshot = self.graph.get_state(thread_config(thread))
        return str(snapshot.values.get("text") or "")

    def pending(self, thread: Thread) -> list[dict]:
        """The interrupts the thread waits on (``kind`` question, choice, decision_pending), or []."""
        snapshot = self.graph.get_state(thread_config(thread))
        return [i.value for i in snapshot.interrupts]

    def handle(
        self,
        thread: Thread,
        text: str,
        notifier=None,
        agent: str | None = None,
        brief: dict | None = None,
        scope: list[str] | None = None,
        lang: str | None = None,
        files: list[dict] | None = None,
        progress: Callable[[dict], None] | None = None,
        turn_key: str | None = None,
        deliver: Deliver | None = None,
        resume: dict | None = None,
    ) -> list[dict]:
        """Run one user message through the graph; returns the message items to post, in order.

        ``agent`` skips routing, as a modal does; ``brief`` holds inputs every new request of the
        thread starts from (a campaign brief, A/B results); ``scope`` bounds routing in
        this thread to some orchestrators' specialists, as a slash command does; ``lang`` is the
        message's language as :meth:`language` detected it (detected here when not given); ``files`` the tables shared with the
        message (``graph.data.load_file``), kept for the thread; ``progress`` receives the run's
        progress: {'node': name, 'update': dict} as each node finishes, and the custom stream's
        chunks (graph.progress: {'delta'}, {'reset'}, {'calculator', 'library'}). An empty message without files gets
        the help text; a message longer than MAX_TEXT is cut and the reply says so; a table pasted
        in the message is read as one list (graph.understanding.structures.flatten_tables).

        ``resume``: a button's structured answer to the question the thread waits on
        ({"choice": id}, {"use_defaults": true}), instead of text; ignored when nothing waits.

        ``turn_key`` names the Slack message (or click) this turn answers: a turn already done
        returns [] and runs nothing; a turn checkpointed but not delivered (a crash in between) is
        delivered from its checkpoint, not run again. ``deliver(items, turn_key)`` is called with
        the items while the thread is held (it writes them to the outbox and marks the turn done).
        One turn at a time per thread, across processes (a lease in the database)."""
        lang = lang or self.language(thread, text)
        notes = []
        if len(text) > MAX_TEXT:
            notes.append(dump(Truncated(lang=lang, length=len(text), kept=MAX_TEXT)))
            text = text[:MAX_TEXT]
        text = flatten_tables(text)  # a table pasted in Slack: its rows read as one list
        context = self._context(notifier)

        def work(snapshot) -> list[dict]:
            if resume is not None:
                waits = snapshot.interrupts and not isinstance(
                    parse(snapshot.interrupts[0].value), DecisionPending
                )
                command: Command = Command(resume=resume, update=new_turn(turn_key))
                return self._run(thread, command, context, progress) if waits else []
            given = {"forced": agent, "brief": brief, "scope": scope, "lang": lang, "files": files}
            payload = self._payload(snapshot, text, given, turn_key)
            if isinstance(payload, list):  # nothing to run: the help text, or the decision awaited
                return notes + payload
            return notes + self._run(thread, payload, context, progress)

        return self._turn(thread, turn_key, work, deliver, context)

    def _payload(self, snapshot, text: str, given: dict, turn_key: str | None):
        """What a new message starts the graph with: a new input (``given``: forced specialist,
        brief, scope, lang, files), or ``Command(resume=…)`` when the thread waits on a question;
        or the messages to post without running: the help text (no words, no files, no brief) or
        the decision the thread waits for (only a checked decision resumes it)."""
        agent, brief, files, lang = given["forced"], given["brief"], given["files"], given["lang"]
        if (
            not text.strip() and not files and not (agent and brief)
        ):  # a modal's brief is a request without words
            return [dump(Help(lang=lang))]
        message = (
            text if text.strip() else " ".join(f["name"] for f in files)
        )  # a file shared without a word
        if not agent and any(
            isinstance(parse(i.value), DecisionPending) for i in snapshot.interrupts
        ):
            if (
                is_correction(message) and understand(message).slots
            ):  # the figures decided on change
                return Command(resume={"correction": message}, update=new_turn(turn_key))
            if is_aside(message, snapshot.values.get("text") or ""):  # "et si on avait 200k ?"
                return Command(
                    resume={"aside": message}, update={**new_turn(turn_key), "lang": lang}
                )
            return [i.value for i in snapshot.interrupts]
        turn = {**new_turn(turn_key), "shared": [f["name"] for f in files or []]}
        if snapshot.interrupts and not agent:
            return Command(
                resume=message, update={**turn, "lang": lang, **({"files": files} if files else {})}
            )
        return {"message": message, **turn, **{k: v for k, v in given.items() if v}}

    def language(self, thread: Thread, text: str, hint: str | None = None) -> str:
        """The language of a message, detected once: 'fr' or 'en' from its words
        (graph.text.detect_language); without a signal, ``hint`` (the user's Slack locale), else the
        thread's language so far, else French."""
        if not hint:
            hint = (
                self.graph.get_state(thread_config(thread)).values.get("lang")
                if self.is_known(thread)
                else None
            )
        return detect_language(text, hint or "fr")

    def resume(
        self,
        thread: Thread,
        decision: dict,
        notifier=None,
        turn_key: str | None = None,
        deliver: Deliver | None = None,
    ) -> list[dict]:
        """Resume a thread waiting on a blocking escalation with a checked decision ({"decision",
        "by", "reason", "rule"}: bot.escalations.Desk.resume_value); returns the messages to post.
        [] when the thread does not wait on that rule (already resumed). ``turn_key`` and
        ``deliver`` as in :meth:`handle`."""
        context = self._context(notifier)

        def work(snapshot) -> list[dict]:
            waiting = [
                i.value for i in snapshot.interrupts if isinstance(parse(i.value), DecisionPending)
            ]
            if not any(decision.get("rule") in w["rules"] for w in waiting):
                return []
            return self._run(
                thread, Command(resume=decision, update=new_turn(turn_key)), context, None
            )

        return self._turn(thread, turn_key, work, deliver, context)

    def prune(self, older_than: timedelta) -> dict:
        """Delete the checkpoints of threads idle for longer than ``older_than``, old done event
        ids and sent outbox rows, then VACUUM the file. Deliverables and escalations (the audit
        trail) are kept. The file (with its WAL) shrinks. Returns the counts deleted by kind."""
        threads, counts = self.store.prune(iso(datetime.now(UTC) - older_than))
        for key in threads:
            self.saver.delete_thread(key)
        self.store.db.vacuum()
        return {"threads": len(threads), **counts}

    @contextmanager
    def holding(self, thread_key: str):
        """Hold a thread: this process's lock, then the database lease that keeps other processes
        (replicas) out. Raises TimeoutError when the lease is not free within ``lease_wait`` seconds."""
        with self._locks[thread_key]:
            deadline = time.monotonic() + self.lease_wait
            while not self.store.leases.acquire_lease(thread_key, self.owner, self.lease_ttl):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"thread {thread_key} is held by another process")
                time.sleep(0.05)
            self._held.add(thread_key)
            try:
                yield
            finally:
                self._held.discard(thread_key)
                self.store.leases.release_lease(thread_key, self.owner)

    def _renew(self) -> None:
        """Renew this process's leases every third of their TTL while it lives: a long turn keeps
        its thread, a killed process's threads are free one TTL later."""
        while True:
            time.sleep(self.lease_ttl / 3)
            for key in list(self._held):
                self.store.leases.acquire_lease(key, self.owner, self.lease_ttl)

    def _turn(
        self,
        thread: Thread,
        turn_key: str | None,
        work: Callable,
        deliver: Deliver | None,
        context: Context,
    ) -> list[dict]:
        """Run ``work(snapshot)`` for a turn while holding the thread, unless ``turn_key`` is done;
        a turn already checkpointed under ``turn_key`` is delivered from the checkpoint."""
        with self.holding(thread.key):
            if turn_key and self.store.events.is_done(turn_key):
                return []
            snapshot = self.graph.get_state(thread_config(thread))
            if turn_key and snapshot.values.get("turn_key") == turn_key:
                snapshot = self._asked_again(thread, snapshot, context)
                # checkpointed before a crash, never delivered: the row may be missing too
                self._save_row(
                    thread, snapshot, self.store.conversations.conversation(thread.key) or {}
                )
                items = turn_items(snapshot)
                for item in items:
                    if isinstance(parse(item), Deliverable):
                        item["deliverable_id"] = self.store.deliverables.latest_deliverable(
                            thread.key, item["agent"]
                        )
                        if item.get("experiment") and (
                            row := self.store.experiments.thread_experiment(thread.key)
                        ):
                            item["experiment_note"] = logged(row, item["lang"])
            else:
                items = work(snapshot)
            if deliver:
                deliver(items, turn_key)
            return items

    def _asked_again(self, thread: Thread, snapshot, context: Context):
        """The checkpoint of a turn that stopped to wait (a question, a decision) is written before
        the interrupt that says what it waits for; a process killed in between leaves a turn with
        nothing to deliver. The waiting node then runs again from the checkpoint and asks again
        (its notices have idempotent outbox keys). Returns the snapshot to deliver from."""
        if not snapshot.next or snapshot.interrupts:
            return snapshot
        log.warning("turn of %s checkpointed without its question: asked again", thread.key)
        config = turn_config(thread)
        self.graph.invoke(None, config, context=context, durability="exit")
        return self.graph.get_state(config)

    def _context(self, notifier) -> Context:
        """This turn's Context: the shared hierarchy, router and brain, with the turn's notifier."""
        return Context(
            self.context.hierarchy,
            self.context.router,
            notifier or self.context.notifier,
            self.context.brain,
            self.experiments,
            self.context.examples,
        )

    def _run(self, thread: Thread, payload, context: Context, progress) -> list[dict]:
        """Stream ``payload`` through the graph, record deliverables and the conversation row;
        returns this turn's items, then the pending interrupts. The caller holds the thread.

        durability="exit": the checkpoint is written once, when the turn ends or waits. A crash
        mid-turn leaves the previous checkpoint and the message not done, so the turn runs again
        whole from it; intermediate checkpoints would only multiply storage."""
        config = turn_config(thread)
        for mode, chunk in self.graph.stream(
            payload, config, context=context, stream_mode=["custom", "updates"], durability="exit"
        ):
            if not progress:
                continue
            if mode == "custom":  # the Claude brain's deltas, the calculators run
                progress(chunk)
            for node, update in (
                chunk.items() if mode == "updates" else ()
            ):  # node updates drive the progress display
                progress({"node": node, "update": update if isinstance(update, dict) else {}})
        snapshot = self.graph.get_state(config)
        result = snapshot.values
        row = self.store.conversations.conversation(thread.key) or {}
        for item in result.get("outbox", []):
            if isinstance(
                parse(item), Deliverable
            ):  # its id goes with it: the feedback buttons name it
                doc = Deliverable.model_validate(item)
                item["deliverable_id"] = self.store.deliverables.add_deliverable(
                    thread.key,
                    doc.agent,
                    doc.lang,
                    doc.markdown(),
                    doc.brain,
                    json.dumps(doc.tool_results, ensure_ascii=False, default=str),
                    " › ".join(doc.path),
                    doc.title,
                )
                if doc.experiment:  # the team's experiment log: a plan or a readout
                    where = {
                        "team": thread.team,
                        "thread_key": thread.key,
                        "channel": thread.channel,
                        "thread_ts": thread.thread_ts,
                        "owner": thread.user or row.get("user"),
                    }
                    item["experiment_note"] = logged(
                        self.experiments.record(where, doc.experiment, doc.lang), doc.lang
                    )
        self._save_row(thread, snapshot, row)
        return turn_items(snapshot)

    def _save_row(self, thread: Thread, snapshot, row: dict) -> None:
        """The thread's conversations row after a turn (its route, specialist, status), which
        makes the bot answer the thread's next messages; ``row``: the row before the turn."""
        result = snapshot.values
        self.store.conversations.save_conversation(
            thread.key,
            team=thread.team,
            channel=thread.channel,
            thread_ts=thread.thread_ts,
            user=row.get("user") or thread.user,
            path=" › ".join(result.get("path") or []),
            agent=result.get("agent"),
            status="waiting" if snapshot.interrupts else "done",
        )


def turn_items(snapshot) -> list[dict]:
    """The messages of a checkpointed turn: its outbox items, then what it waits on (not the
    decision wait a blocking notice of the same turn already announces)."""
    new = snapshot.values.get("outbox", [])
    raised = any(isinstance(m := parse(i), Escalated) and m.blocking for i in new)
    return new + [
        i.value
        for i in snapshot.interrupts
        if not (raised and isinstance(parse(i.value), DecisionPending))
    ]
