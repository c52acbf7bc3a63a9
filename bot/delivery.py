"""Delivery: every Web API call the bot owes Slack, as a typed outbox operation, and how each is
sent. bot/outbox.py decides when (lanes, leases, retries); this module decides what: a thread's
messages are encoded here (:func:`encode`) and each operation type has its own sending function
(:class:`Delivery`).

A message sent again after an uncertain attempt is first looked for in its thread by its
metadata (bot.outbox.already_posted), so it is never posted twice; a turn's first reply takes the
place of its progress message (a stream stopped with it, or a placeholder edited).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import charts
from bot.checklist import checklist
from bot.limits import SECTION_CHARS
from bot.outbox import already_posted, error_code, left_progress, metadata, transient
from bot.render import (
    CANVAS_LINK,
    canvas_summary,
    deliverable_messages,
    notice,
    plain_tables,
    render,
)
from graph.document import AnyChart, Deliverable
from graph.messages import parse
from graph.threads import Thread

log = logging.getLogger(__name__)


class Where(BaseModel):
    """Where an operation goes: a channel (or a user id, for a DM), a thread, a workspace."""

    channel: str | None = None
    thread_ts: str | None = None
    team: str = ""


class Post(Where):
    """chat.postMessage of ``text`` and ``blocks``; a turn's first reply replaces its progress
    message (``replace_ts``, with the ``stream`` chunks that close its tasks), or looks for a stream
    whose start timed out (``progress_since``, epoch seconds). ``channel`` is a user id for a DM."""

    op: Literal["message"] = "message"
    channel: str
    text: str
    blocks: list[dict[str, Any]] | None = None
    replace_ts: str | None = None
    stream: list[dict[str, Any]] | None = None
    progress_since: str | None = None


class Upload(Where):
    """files.uploadV2 of a text file (a deliverable's Markdown, a calendar, a CSV)."""

    op: Literal["file"] = "file"
    content: str
    filename: str
    title: str


class ChartUpload(Where):
    """files.uploadV2 of a chart as PNG and its data as CSV (bot/charts.py)."""

    op: Literal["chart"] = "chart"
    spec: AnyChart


class NoticePost(Where):
    """An escalation notice posted in ESCALATION_CHANNEL; its ts is recorded on the escalation."""

    op: Literal["notice"] = "notice"
    escalation: str
    text: str
    blocks: list[dict[str, Any]] | None = None


class NoticeUpdate(Where):
    """chat.update of an escalation's notice, rebuilt from its row when sent."""

    op: Literal["notice_update"] = "notice_update"
    escalation: str


class CanvasPost(Where):
    """A document the team keeps (a plan, a strategy, a report), or a deliverable with a table
    longer than a table block, written as a canvas tabbed in the channel (canvases.create with ``channel_id``; the
    thread's earlier canvas from the same ``agent`` is edited in place instead), then ``summary``
    (or ``updated``, for an edit) posted in the thread with the canvas's link in place of
    bot.render.CANVAS_LINK. Where Slack refuses canvases (plan, scope, disabled), ``fallback``:
    the deliverable's messages, as without canvases."""

    op: Literal["canvas"] = "canvas"
    channel: str
    thread_key: str
    agent: str
    title: str
    markdown: str
    summary: Post
    updated: Post
    fallback: list[Post]
    attached: list[Upload] = []


class GatePost(Where):
    """A campaign plan's go/no-go checklist (bot/checklist.py) in its thread: the gate is
    recorded (table ``gates``) and its message posted once; for a thread that has one (a corrected
    plan), the message is rebuilt in place with the new ``launch_date`` (ISO date)."""

    op: Literal["gate"] = "gate"
    channel: str
    thread_key: str
    launch_date: str
    lang: str


class GateUpdate(Where):
    """chat.update of a thread's checklist, rebuilt from what is recorded when sent."""

    op: Literal["gate_update"] = "gate_update"
    thread_key: str


class Reminder(Where):
    """A reminder in the thread of an escalation's notice (known once the notice went out)."""

    op: Literal["reminder"] = "reminder"
    escalation: str
    text: str


Operation = Annotated[
    Post
    | Upload
    | ChartUpload
    | NoticePost
    | NoticeUpdate
    | Reminder
    | CanvasPost
    | GatePost
    | GateUpdate,
    Field(discriminator="op"),
]
"""Any outbox operation, by its ``op``."""
_OPERATION: TypeAdapter[Operation] = TypeAdapter(Operation)


def own_text(thread: Thread, text: str) -> Post:
    """A message of the bot's own mrkdwn ``text`` (its mentions ping, its links work: nothing of
    a user's in it) in ``thread``."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_CHARS]}}
    return Post(
        team=thread.team,
        channel=thread.channel,
        thread_ts=thread.thread_ts,
        text=text,
        blocks=[section],
    )


def operation(op: dict | BaseModel) -> Operation:
    """The typed operation of an outbox row's ``op`` (its JSON form). Raises pydantic.ValidationError."""
    return op if isinstance(op, BaseModel) else _OPERATION.validate_python(op)  # type: ignore[return-value]


def row(lane: str, key: str, op: BaseModel) -> dict:
    """An outbox row for bot.outbox / graph.storage: its lane, its unique key, the operation as JSON."""
    return {"lane": lane, "key": key, "op": op.model_dump(mode="json", exclude_none=True)}


def encode(where: Where, item: dict, replace: dict | None = None) -> list[BaseModel]:
    """The operations that post one message (graph.messages) in a thread: the message (its first
    one in place of the turn's progress message when ``replace`` says which:
    bot.streaming.TurnProgress.replacement); a deliverable as one message per table (Slack shows one
    table block per message), plus its whole Markdown file when a table was too long for a table
    block; its attached files; each chart as PNG + CSV; a campaign plan's go/no-go checklist in
    its thread."""
    message = parse(item)
    place = where.model_dump()
    if not isinstance(message, Deliverable):
        text, blocks = render(message)
        return [Post(**place, text=text, blocks=blocks, **(replace or {}))]
    messages, attach = deliverable_messages(item)
    posts = [
        Post(**place, text=text, blocks=blocks, **((replace or {}) if not n else {}))
        for n, (text, blocks) in enumerate(messages)
    ]
    ops: list[BaseModel] = (
        [_canvas(where, item, message, posts, attach, replace)]
        if message.document or attach
        else list(posts)
    )
    ops += [
        Upload(**place, content=f["content"], filename=f["filename"], title=f["title"])
        for f in message.files
    ]
    ops += [ChartUpload(**place, spec=spec) for spec in message.charts]
    if message.launch_date and where.channel and where.thread_ts:
        gate = GatePost(
            team=where.team,
            channel=where.channel,
            thread_ts=where.thread_ts,
            thread_key=Thread(where.team, where.channel, where.thread_ts).key,
            launch_date=message.launch_date,
            lang=message.lang,
        )
        ops.append(gate)
    return ops


def _canvas(
    where: Where,
    item: dict,
    message: Deliverable,
    posts: list[Post],
    attach: bool,
    replace: dict | None,
) -> CanvasPost:
    """The canvas operation of a deliverable whose messages are ``posts`` (``attach``: a table
    too long for a table block, so that without a canvas its Markdown goes as a file)."""
    markdown = message.markdown()
    attached = (
        [
            Upload(
                **where.model_dump(),
                content=markdown,
                filename=f"{message.agent}.md",
                title=message.title,
            )
        ]
        if attach
        else []
    )
    summaries = [
        Post(**where.model_dump(), text=text, blocks=blocks, **(replace or {}))
        for text, blocks in (canvas_summary(item, False), canvas_summary(item, True))
    ]
    return CanvasPost(
        **where.model_dump(exclude={"channel"}),
        channel=where.channel or "",
        thread_key=Thread(where.team, where.channel or "", where.thread_ts).key,
        agent=message.agent,
        title=message.title,
        markdown=markdown,
        summary=summaries[0],
        updated=summaries[1],
        fallback=posts,
        attached=attached,
    )


class _Uncertain(Exception):
    """A canvas may exist without its id: canvases.create got no answer (a timeout, a crash).
    canvases.create has no idempotency key, so the deliverable goes as messages (each found again
    by its metadata) rather than in a second canvas."""


class Delivery:
    """Sends outbox operations: one function per operation type. ``clients`` gives each
    workspace's Web API client; ``store`` (graph/storage/) holds escalations; ``desk``
    (bot.escalations.Desk) rebuilds notices; ``escalation_channel`` is where notices go."""

    def __init__(self, clients, store, desk, escalation_channel: str):
        self.clients, self.store, self.desk, self.escalation_channel = (
            clients,
            store,
            desk,
            escalation_channel,
        )
        self._send: dict[type, Callable[[WebClient, Any, dict], str | None]] = {
            Post: self._post,
            Upload: self._upload,
            ChartUpload: self._chart,
            NoticePost: self._notice,
            NoticeUpdate: self._notice_update,
            Reminder: self._reminder,
            CanvasPost: self._canvas,
            GatePost: self._gate,
            GateUpdate: self._gate_update,
        }

    def perform(self, row: dict, team_of) -> str | None:
        """Make an outbox row's Web API call (``team_of(lane)``: the workspace of a row without one);
        returns the ts of the message posted, if any. A post tried before (``attempts`` > 1) is
        first looked for by its metadata, so it is never doubled."""
        op = operation(row["op"])
        client = self.clients.for_team(op.team or team_of(row["lane"]))
        return self._send[type(op)](client, op, row)

    def _canvas(self, client: WebClient, op: CanvasPost, row: dict) -> str | None:
        """Write the canvas, then post its summary; Slack refusing canvases posts the deliverable's
        messages instead (each under its own key, so a retry posts none twice). A transient failure
        raises: the outbox tries again, and finds the canvas it created (table ``canvases``)."""
        try:
            link, updated = self._write_canvas(client, op)
        except (SlackApiError, _Uncertain) as err:
            if isinstance(err, SlackApiError) and transient(err):
                raise
            log.info("canvas not written (%s): the deliverable goes as messages", error_code(err))
            sent = [
                self._post(client, post, {**row, "key": f"{row['key']}:{n}"})
                for n, post in enumerate(op.fallback)
            ]
            for upload in op.attached:
                self._upload(client, upload, row)
            return sent[0] if sent else None
        post = op.updated if updated else op.summary
        text = post.text.replace(CANVAS_LINK, link)
        escaped = json.dumps(link)[1:-1]  # the link as it is written inside a JSON string
        blocks = json.loads(json.dumps(post.blocks or []).replace(CANVAS_LINK, escaped))
        return self._post(client, post.model_copy(update={"text": text, "blocks": blocks}), row)

    def _write_canvas(self, client: WebClient, op: CanvasPost) -> tuple[str, bool]:
        """(the canvas's link, whether an earlier canvas of the thread was edited): the thread's
        canvas from ``op.agent`` rewritten with canvases.edit, else a new one tabbed in the channel,
        recorded as soon as it exists. Raises SlackApiError when Slack refuses."""
        content = {"type": "markdown", "markdown": op.markdown}
        found = self.store.canvases.canvas_of(op.thread_key, op.agent)
        if found and not found["canvas_id"]:
            raise _Uncertain("an earlier canvases.create got no answer")
        if found:
            try:
                client.canvases_edit(
                    canvas_id=found["canvas_id"],
                    changes=[{"operation": "replace", "document_content": content}],
                )
                link = found["permalink"] or self._canvas_link(client, op, found["canvas_id"])
                return link, bool(found["permalink"])
            except SlackApiError as err:
                if error_code(err) != "canvas_not_found":  # deleted by someone: a new one
                    raise
        self.store.canvases.record(op.thread_key, op.agent, "")  # uncertain until answered
        canvas = client.canvases_create(
            title=op.title[:255], document_content=content, channel_id=op.channel
        )["canvas_id"]
        self.store.canvases.record(op.thread_key, op.agent, canvas)
        return self._canvas_link(client, op, canvas), False

    def _canvas_link(self, client: WebClient, op: CanvasPost, canvas: str) -> str:
        link = client.files_info(file=canvas)["file"]["permalink"]
        self.store.canvases.record(op.thread_key, op.agent, canvas, link)
        return link

    def _gate(self, client: WebClient, op: GatePost, row: dict) -> str | None:
        where = {"team": op.team, "channel": op.channel, "thread_ts": op.thread_ts or ""}
        gate = self.store.gates.open_gate(op.thread_key, where, op.launch_date, op.lang)
        if gate.get("message_ts"):
            self._gate_update(client, GateUpdate(thread_key=op.thread_key), row)
            return None
        text, blocks = checklist(gate, self.store.gates.checks(op.thread_key))
        ts = self._say(client, op.channel, op.thread_ts, text, blocks, row)[0]
        self.store.gates.set_message(op.thread_key, ts)
        return ts

    def _gate_update(self, client: WebClient, op: GateUpdate, row: dict) -> None:
        gate = self.store.gates.gate(op.thread_key)
        if gate and gate.get("message_ts"):
            text, blocks = checklist(gate, self.store.gates.checks(op.thread_key))
            client.chat_update(
                channel=gate["channel"], ts=gate["message_ts"], text=text, blocks=blocks
            )

    def _upload(self, client: WebClient, op: Upload, row: dict) -> None:
        files = [{"content": op.content, "filename": op.filename, "title": op.title}]
        client.files_upload_v2(
            channel=op.channel, thread_ts=op.thread_ts, title=op.title, file_uploads=files
        )

    def _chart(self, client: WebClient, op: ChartUpload, row: dict) -> None:
        spec, name = op.spec, op.spec.filename
        files: list[dict[str, Any]] = [
            {"content": charts.png(spec), "filename": f"{name}.png", "title": spec.title},
            {"content": charts.table_csv(spec), "filename": f"{name}.csv", "title": spec.title},
        ]
        client.files_upload_v2(
            channel=op.channel, thread_ts=op.thread_ts, title=spec.title, file_uploads=files
        )

    def _notice_update(self, client: WebClient, op: NoticeUpdate, row: dict) -> None:
        escalation = self.store.escalations.escalation(op.escalation)
        if escalation and escalation.get("notice_ts"):
            rule, who = self.desk.rule(escalation), self.desk.who(escalation)
            text, blocks = notice(escalation, rule, who, escalation.get("lang") or "fr")
            client.chat_update(
                channel=escalation["notice_channel"],
                ts=escalation["notice_ts"],
                text=text,
                blocks=blocks,
            )

    def _notice(self, client: WebClient, op: NoticePost, row: dict) -> str:
        ts, channel = self._say(client, self.escalation_channel, None, op.text, op.blocks, row)
        self.store.escalations.set_notice(op.escalation, channel, ts)
        return ts

    def _reminder(self, client: WebClient, op: Reminder, row: dict) -> str | None:
        escalation = self.store.escalations.escalation(op.escalation) or {}
        if not escalation.get("notice_ts"):  # the notice has not gone out (same lane, earlier row)
            return None
        return self._say(
            client, escalation.get("notice_channel"), escalation["notice_ts"], op.text, None, row
        )[0]

    def _post(self, client: WebClient, op: Post, row: dict) -> str:
        if op.progress_since:  # a stream whose start timed out may exist all the same
            found = left_progress(client, op.channel, op.thread_ts or "", float(op.progress_since))
            op = op.model_copy(update={"replace_ts": found})
        if op.replace_ts and self._replace(client, op, row["key"]):
            return op.replace_ts
        return self._say(client, op.channel, op.thread_ts, op.text, op.blocks, row)[0]

    def _say(
        self, client: WebClient, channel, thread_ts, text: str, blocks, row: dict
    ) -> tuple[str, str]:
        """chat.postMessage unless an earlier attempt of this row already posted it: (ts, channel)."""
        ts = (
            already_posted(client, channel, thread_ts, row["key"], row["created_at"])
            if row["attempts"] > 1
            else None
        )
        if ts is not None:
            return ts, channel
        try:
            resp = client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=text,
                blocks=blocks,
                metadata=metadata(row["key"]),
            )
        except SlackApiError as err:  # a workspace without data tables: plain table blocks
            if error_code(err) != "invalid_blocks" or blocks == plain_tables(blocks or []):
                raise
            log.info("data_table refused (invalid_blocks): sent as a table block")
            return self._say(client, channel, thread_ts, text, plain_tables(blocks or []), row)
        return resp["ts"], resp.get("channel") or channel

    def _replace(self, client: WebClient, op: Post, key: str) -> bool:
        """Put a turn's first reply in place of its progress message: stop the stream with it
        (blocks after the plan, the tasks completed), else edit the message (a stream over already:
        expired, or stopped by an attempt whose answer was lost; a placeholder). False when Slack
        refuses both (the message was deleted, cannot be edited): the caller posts the reply as
        a new message. A transient failure raises, so the outbox tries again later."""
        ts = op.replace_ts or ""  # set: the caller checked
        if op.stream is not None:
            try:
                client.chat_stopStream(
                    channel=op.channel,
                    ts=ts,
                    blocks=op.blocks or [],
                    chunks=op.stream or None,
                    metadata=metadata(key),
                )
                return True
            except SlackApiError as err:
                if transient(err):
                    raise
                log.info(
                    "stream %s not stopped (%s): edited instead", op.replace_ts, error_code(err)
                )
        try:
            client.chat_update(channel=op.channel, ts=ts, text=op.text, blocks=op.blocks or [])
            return True
        except SlackApiError as err:
            if transient(err):
                raise
            log.warning(
                "progress message %s not replaced (%s): the reply is posted instead",
                op.replace_ts,
                error_code(err),
            )
            return False
