"""What the user sees while a turn runs.

Streaming (the default): one message started with ``chat.startStream`` through slack_sdk's
``chat_stream``, in "plan" display, whose task chunks follow LangGraph's stream of the turn: the
route through the hierarchy by its names ("Opérations marketing → Performance & CRO →
Expérimentation") as the orchestrator nodes pass, each calculator as it runs ("taille
d'échantillon"; the library is named in the deliverable's Method section), the escalation rules
once checked (by their action, "Validation direction"); each task is marked complete when the node it belongs to
finishes. The turn's first reply ends the stream (``chat.stopStream`` with its blocks, sent by
the outbox). In an assistant thread, ``assistant.threads.setStatus`` names the specialist in its
``loading_messages``.

Every call made here is best effort: a refusal, a 5xx, a timeout or a network error is logged,
and from then on the turn sends no more progress (a slow Web API must not slow the turn down). The
reply itself is an outbox row like any other (bot/outbox.py): it stops the stream when it can, and
is posted as a message when the stream never started or cannot be stopped or edited.

Fallback (MARKETING_BOT_STREAMING=off, or a workspace that refuses ``chat.startStream``): with
the Claude brain, a placeholder message posted at once and edited with ``chat.update`` (at most
one every MIN_INTERVAL seconds: Tier 3) as the deliverable is written, then replaced by the reply;
the offline brain answers too fast to need one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.models.messages.chunk import PlanUpdateChunk, TaskUpdateChunk

from bot.limits import LOADING_MESSAGES, SECTION_CHARS
from bot.outbox import CALL_ERRORS, error_code
from graph.hierarchy import load_hierarchy
from graph.i18n import t
from graph.messages import Escalated, parse

log = logging.getLogger(__name__)
MIN_INTERVAL = 1.5  # seconds between two chat.update calls of one placeholder
SLOW_CALL = 2.0  # seconds: a progress call slower than this stops the turn's progress
ARROW = " → "


class TurnProgress:
    """The progress display of one turn in ``thread``. Call it with the run's chunks
    ({'node': name, 'update': dict} from LangGraph's updates; {'calculator', 'library'},
    {'delta'}, {'reset'} from its custom stream). ``ts``: the message the first reply replaces
    (None when nothing was posted); ``streaming``: True when that message is a stream to stop."""

    def __init__(
        self,
        client: WebClient,
        thread,
        lang: str,
        brain: str,
        stream: bool = True,
        assistant: bool = False,
    ):
        self.client, self.thread, self.lang, self.brain, self.assistant = (
            client,
            thread,
            lang,
            brain,
            assistant,
        )
        self.ts: str | None = None
        self.tasks: dict[str, tuple[str, str]] = {}
        self.streaming, self.draft, self.last = False, "", 0.0
        self.broken = False  # a progress call failed: send no more progress in this turn
        self.lost, self.started = (
            False,
            time.time(),
        )  # lost: the stream's start timed out (it may exist)
        self.route: list[str] = []
        self.hierarchy = load_hierarchy()
        if stream:
            self._start_stream()
        if not self.streaming and brain == "claude":
            self._post_placeholder()

    # -- streaming ----------------------------------------------------------------------------
    def _start_stream(self) -> None:
        recipient = (
            {"recipient_team_id": self.thread.team, "recipient_user_id": self.thread.user}
            if self.thread.user
            else {}
        )
        self.stream = self.client.chat_stream(
            channel=self.thread.channel,
            thread_ts=self.thread.thread_ts,
            task_display_mode="plan",
            **recipient,
        )
        first = [PlanUpdateChunk(title=t(self.lang, "stream.plan"))] + self._task(
            "route", t(self.lang, "stream.routing"), "in_progress"
        )
        try:
            self._try("stream start", lambda: self.stream.append(chunks=first), raising=True)
        except (
            CALL_ERRORS
        ) as err:  # older workspaces, plans or scopes without streaming, or Slack unreachable
            # a timeout after the request left: the stream may exist, the reply looks for it
            self.lost = isinstance(err, TimeoutError) or isinstance(
                getattr(err, "reason", None), TimeoutError
            )
            return
        self.ts, self.streaming = self.stream.ts, bool(self.stream.ts)

    def replacement(self) -> dict:
        """What the turn's first reply replaces, as outbox op fields: the stream to stop
        (``replace_ts`` and the ``stream`` chunks that complete its tasks), the placeholder to edit,
        a stream to look for (``progress_since``: its start timed out), or nothing ({})."""
        chunks = {"stream": self.closing_chunks()} if self.streaming or self.lost else {}
        if self.ts:
            return {"replace_ts": self.ts, **chunks}
        return {"progress_since": f"{self.started - 5:.6f}", **chunks} if self.lost else {}

    def _try(self, call: str, make: Callable[[], object], raising: bool = False) -> None:
        """Make one progress call, best effort: a failure is logged (no message text, no token) and
        raised again only when ``raising``. After a failure, or a call slower than SLOW_CALL
        seconds, the turn sends no more progress: a slow Web API must not slow the turn down."""
        if self.broken:
            return
        started = time.monotonic()
        try:
            make()
        except CALL_ERRORS as err:
            self._give_up(call, f"failed ({error_code(err)})")
            if raising:
                raise
            return
        if time.monotonic() - started > SLOW_CALL:
            self._give_up(call, f"took {time.monotonic() - started:.1f} s")

    def _give_up(self, call: str, why: str) -> None:
        self.broken = True
        log.warning("%s %s in %s: no more progress in this turn", call, why, self.thread.key)

    def _task(
        self, task_id: str, title: str, status: str, output: str | None = None
    ) -> list[TaskUpdateChunk]:
        self.tasks[task_id] = (title, status)
        return [TaskUpdateChunk(id=task_id, title=title, status=status, output=output or None)]

    def _send(self, chunks: list) -> None:
        if (
            chunks and self.streaming
        ):  # progress is best effort; the reply still comes through the outbox
            self._try("stream append", lambda: self.stream.append(chunks=chunks))

    def closing_chunks(self) -> list[dict]:
        """Task chunks marking every unfinished task complete (sent with the stream's stop)."""
        return [
            TaskUpdateChunk(id=i, title=title, status="complete").to_dict()
            for i, (title, status) in self.tasks.items()
            if status != "complete"
        ]

    def __call__(self, chunk: dict) -> None:
        if "delta" in chunk or "reset" in chunk:
            self._draft(chunk)
        elif "calculator" in chunk:
            task = t(  # the library is named in the deliverable's Method section
                self.lang,
                "stream.calculator",
                task=t(self.lang, f"calculator.{chunk['calculator']}"),
            )
            self._send(self._task(f"calc:{chunk['calculator']}", task, "in_progress"))
        elif "node" in chunk:
            self._node(chunk["node"], chunk.get("update") or {})

    def _node(self, node: str, update: dict) -> None:
        """A node finished: the route grows while orchestrators pass; a specialist completes the
        route and its calculators, then the escalation check starts; ``escalate`` completes it."""
        kind = getattr(self.hierarchy.nodes.get(node), "kind", None)
        chunks = []
        if kind == "orchestrator":
            self.route.append(node)
            chunks = self._task(
                "route", t(self.lang, "stream.route", path=self._shown(self.route)), "in_progress"
            )
        elif kind == "specialist":
            self.route = self.hierarchy.path_to(node)
            chunks = self._task(
                "route", t(self.lang, "stream.route", path=self._shown(self.route)), "complete"
            )
            if self.brain == "claude" and "writing" in self.tasks:
                chunks += self._task("writing", self.tasks["writing"][0], "complete")
            chunks += [
                c
                for i, (title, status) in list(self.tasks.items())
                if i.startswith("calc:") and status != "complete"
                for c in self._task(i, title, "complete")
            ]
            if update.get("outbox"):  # a deliverable: the escalation rules are checked next
                chunks += self._task("escalation", t(self.lang, "stream.escalation"), "in_progress")
            self._status(node)
        elif node == "escalate" and "escalation" in self.tasks:
            said = [parse(i) for i in update.get("outbox") or []]
            actions = {r.id: r.action(self.lang) for r in self.hierarchy.escalations}
            fired = [actions.get(m.rule, m.rule) for m in said if isinstance(m, Escalated)]
            output = (
                t(self.lang, "stream.escalation_fired", rules=", ".join(fired))
                if fired
                else t(self.lang, "stream.escalation_none")
            )
            chunks = self._task("escalation", t(self.lang, "stream.escalation"), "complete", output)
        elif node == "clarify":
            chunks = self._task("clarify", t(self.lang, "stream.clarify"), "complete")
        self._send(chunks)

    def _shown(self, route: list[str]) -> str:
        """A route as users read it: the nodes' names ("Opérations marketing → Performance & CRO →
        Expérimentation")."""
        return ARROW.join(self.hierarchy.name_of(n, self.lang) for n in route)

    def _status(self, agent: str) -> None:
        """In an assistant thread, name the specialist at work in the status line."""
        if not self.assistant:
            return
        path = self._shown(self.hierarchy.path_to(agent))
        self._try(
            "assistant status",
            lambda: self.client.assistant_threads_setStatus(
                channel_id=self.thread.channel,
                thread_ts=self.thread.thread_ts,
                status=t(self.lang, "stream.status", path=path),
                loading_messages=[t(self.lang, "stream.loading", path=path)][:LOADING_MESSAGES],
            ),
        )

    # -- the placeholder (fallback) -------------------------------------------------------------
    def _post_placeholder(self) -> None:
        def post() -> None:
            self.ts = self.client.chat_postMessage(
                channel=self.thread.channel,
                thread_ts=self.thread.thread_ts,
                text=t(self.lang, "stream.thinking"),
            )["ts"]

        self._try("placeholder", post)

    def _draft(self, chunk: dict) -> None:
        """The Claude brain's draft: a 'writing' task in a stream, the placeholder's text otherwise."""
        if self.streaming:
            if "writing" not in self.tasks:
                self._send(
                    self._task(
                        "writing", t(self.lang, "stream.writing", brain="Claude"), "in_progress"
                    )
                )
            return
        self.draft = "" if chunk.get("reset") else self.draft + chunk.get("delta", "")
        if (ts := self.ts) and time.monotonic() - self.last >= MIN_INTERVAL and self.draft.strip():
            self.last = time.monotonic()
            preview = self.draft[-(SECTION_CHARS - 100) :]
            blocks: list[dict] = [
                {"type": "section", "text": {"type": "mrkdwn", "text": preview}},
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": t(self.lang, "stream.thinking")}],
                },
            ]
            self._try(
                "placeholder update",
                lambda: self.client.chat_update(
                    channel=self.thread.channel, ts=ts, text=preview, blocks=blocks
                ),
            )

    def discard(self) -> None:
        """Remove the progress message when the turn has nothing to post."""
        if not self.ts:
            return
        try:
            if self.streaming:
                self.stream.stop(chunks=self.closing_chunks())
            self.client.chat_delete(channel=self.thread.channel, ts=self.ts)
        except CALL_ERRORS as err:
            log.warning("progress message not deleted in %s (%s)", self.thread.key, error_code(err))
