"""Rendering: every message the graph produces, as plain text (chat, Slack fallback) and Block Kit.

``render(item)`` takes an outbox item or an interrupt payload (dicts with a ``kind``) and returns
(text, blocks); a deliverable (:class:`graph.document.Deliverable`) may need several messages:
:func:`deliverable_messages`. Slack's limits are in :mod:`bot.limits`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    AlertBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.limits import (
    DATA_TABLE_CHARS,
    DATA_TABLE_PAGE,
    DATA_TABLE_ROWS,
    FIELD_CHARS,
    FIELDS_PER_SECTION,
    HEADER_CHARS,
    LONG_LIST,
    MARKDOWN_CHARS,
    MAX_BLOCKS,
    SECTION_CHARS,
    TABLE_CELLS,
    TABLE_ROWS,
    TABLES_PER_MESSAGE,
    TEXT_CHARS,
)
from graph import experiments
from graph.document import Deliverable, Table
from graph.formatting import date_text
from graph.hierarchy import OUT_OF_SCOPE, load_hierarchy
from graph.i18n import t
from graph.messages import (
    Assigned,
    Choice,
    Decision,
    DecisionPending,
    Error,
    Escalated,
    ExperimentDecided,
    ExperimentDue,
    Fallback,
    FigureCheck,
    FileError,
    Handoff,
    Help,
    Note,
    Possible,
    Question,
    Revision,
    Truncated,
    Unparsed,
    parse,
)
from graph.threads import experiment_thread

FEEDBACK_ACTION = "deliverable_feedback"  # the feedback buttons' action_id
# Item fields kept as they are by ``escaped_item``: identifiers, tables (raw text cells, which Slack
# never parses) and what is not shown as message text (attached files, charts, Claude's tool results).
VERBATIM = {
    "kind",
    "lang",
    "agent",
    "by",
    "rule",
    "rules",
    "team",
    "id",
    "decision",
    "status",
    "path",
    "options",
    "deliverable_id",
    "columns",
    "rows",
    "units",
    "files",
    "charts",
    "tool_results",
}


def escape(text: str) -> str:
    """User text made safe to show in a Slack message, with Slack's three entities (& < >): it reads
    the same and ``<!channel>``, ``<!here>`` or ``<@U…>`` written by a user pings nobody
    (docs.slack.dev, "Formatting text for app surfaces": escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The plain text of a message as Slack sends it (its three entities decoded), as the graph reads it."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escaped_item(value, key: str = ""):
    """An outbox item (or any part of one) with every string escaped (``escape``) but identifiers
    and the VERBATIM fields: what Slack shows of it."""
    if key in VERBATIM:
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {k: escaped_item(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [escaped_item(v, key) for v in value]
    return value


def _team(team_id: str, lang: str) -> str:
    for team in load_hierarchy().handoffs:
        if team.id == team_id:
            return team.team(lang)
    return team_id


def help_text(lang: str) -> str:
    """What the bot does, by orchestrator and specialist."""
    h = load_hierarchy()
    lines = [t(lang, "render.am_marketing_ops_team")]
    for node in h.nodes.values():
        if node.kind == "orchestrator" and node.parent:
            specialists = (h.nodes[c].name(lang) for c in h.subtree_specialists(node.id))
            lines.append(f"*{node.name(lang)}* — " + ", ".join(specialists))
    return "\n".join(lines)


_EMOJI = re.compile(r":[a-z0-9_+-]+: ?")
_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
_MENTION = re.compile(r"<([@#!])([^<>|]+)>")
_EMPHASIS = re.compile(r"(?<![\w*_~`])([*_~`])(\S(?:[^\n]*?\S)?)\1(?![\w*_~`])")


def terminal_text(text: str) -> str:
    """``text`` (Slack mrkdwn or the Markdown of text_of) as plain terminal text: no emoji codes
    (":rotating_light:"), no emphasis marks (*bold*, _italic_, ~strike~, `code`), links as "label
    (url)", mentions as "@role", and Slack's escapes (&lt; &gt; &amp;) undone."""
    text = _EMOJI.sub("", text)
    text = _LINK.sub(lambda m: m[2] if m[1].startswith(("@", "#")) else f"{m[2]} ({m[1]})", text)
    text = _MENTION.sub(lambda m: ("" if m[1] == "!" else m[1]) + m[2], text)
    text = _EMPHASIS.sub(r"\2", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_of(item: dict | BaseModel) -> str:
    """The plain-text form of a message (graph.messages; or its JSON form) in Markdown, as the chat
    shows it and Slack's ``text`` fallback. Raises pydantic.ValidationError for an unknown kind."""
    message = parse(item)
    return _TEXT[type(message)](message)


def _question_text(m: Question) -> str:
    lang = m.lang
    lines = [t(lang, "render.understood") + " ; ".join(m.understood) + "."] if m.understood else []
    lines.append(
        t(lang, "render.answer_agent_still_need", agent=load_hierarchy().name_of(m.agent, lang))
    )
    skip = t(lang, "render.optional_skip_uses_default")
    lines += [f"{n}. {x.label}" + (skip if x.default else "") for n, x in enumerate(m.missing, 1)]
    lines.append(t(lang, "render.reply_thread_one_message"))
    return "\n".join(lines)


def _choice_text(m: Choice) -> str:
    lines = [t(m.lang, "render.two_specialists_could_answer")]
    return "\n".join(
        lines + [f"{n}. {o.name or o.id} — {o.description}" for n, o in enumerate(m.options, 1)]
    )


def _deliverable_text(m: Deliverable) -> str:
    logged = f"\n\n{m.experiment_note}" if m.experiment_note else ""
    return m.text() + logged + "\n\n" + load_hierarchy().shown_path(m.path, m.lang)


def _handoff_text(m: Handoff) -> str:
    if m.team == OUT_OF_SCOPE:
        return t(m.lang, "render.that_not_marketing_ops") + help_text(m.lang)
    return t(m.lang, "render.that_outside_my_scope", team=_team(m.team, m.lang))


def _rule(rule_id: str):
    return next(r for r in load_hierarchy().escalations if r.id == rule_id)


def _escalated_text(m: Escalated) -> str:
    rule, lang = _rule(m.rule), m.lang
    key = "render.decides_on_answer" if m.answer_first else "render.am_waiting_role_s"
    waiting = t(lang, key, role=rule.role) if m.blocking else ""
    said = t(
        lang,
        "render.rotating_light_escalated_value",
        value=rule.situation(lang),
        evidence=m.evidence,
        value2=rule.action(lang),
    )
    return said + waiting


def _possible_text(m: Possible) -> str:
    rule = _rule(m.rule)
    return t(
        m.lang,
        "render.possible_escalation",
        situation=rule.situation(m.lang),
        evidence=m.evidence,
        role=rule.role,
        action=rule.action(m.lang),
    )


def _decision_text(m: Decision) -> str:
    by, reason = f"<@{m.by}>", f" « {m.reason} »" if m.reason else ""
    key = {
        "approved": "render.white_check_mark_by",
        "rejected": "render.no_entry_by_rejected",
        "changes_requested": "render.pencil2_by_requested_changes",
    }[m.decision]
    return t(m.lang, key, by=by, reason=reason)


def _pending_text(m: DecisionPending) -> str:
    rules = [r for r in load_hierarchy().escalations if r.id in m.rules]
    who = ", ".join(f"@{r.role} ({r.action(m.lang)})" for r in rules)
    return t(m.lang, "render.still_waiting_decision_who", who=who)


def _revision_text(m: Revision) -> str:
    note = f" « {m.reason} »" if m.reason else ""
    return t(m.lang, "render.what_should_change_note", by=m.by, note=note)


def _experiment_due_text(m: ExperimentDue) -> str:
    row = m.experiment
    return t(
        m.lang,
        "experiments.reminder",
        id=experiments.label(row),
        test=experiments.title(row, m.lang),
        end=date_text(row["end_date"], m.lang),
    )


def _experiment_decided_text(m: ExperimentDecided) -> str:
    row, lang = m.experiment, m.lang
    note = " " + t(lang, "experiments.quoted", name=m.note) if m.note else ""
    return t(
        lang,
        "experiments.decided_post",
        by=f"<@{m.by}>",
        id=experiments.label(row),
        test=experiments.title(row, lang),
        decision=t(lang, f"experiments.decision.{row['status']}"),
        note=note,
    )


_FALLBACK_WHY = {
    "overloaded": "render.claude_overloaded",
    "timeout": "render.claude_timed_out",
    "ungrounded": "render.claude_s_text_quoted",
    "malformed": "render.claude_s_answer_was",
}


def _fallback_text(m: Fallback) -> str:
    why = t(m.lang, _FALLBACK_WHY.get(m.reason, "render.claude_unavailable"))
    return t(m.lang, "render.why_answering_with_my", why=why)


def _figure_check_text(m: FigureCheck) -> str:
    """Each doubtful figure with the measure it was taken as and the likeliest other one, and how
    to confirm or correct."""
    lang, lines = m.lang, [t(m.lang, "doubts.intro")]
    for d in m.doubts:
        other = (
            t(lang, "doubts.alternative", other=d.labels[d.options[1]])
            if len(d.options) > 2
            else ""
        )
        lines.append(
            t(lang, "doubts.line", figure=d.evidence, input=d.labels[d.type], alternative=other)
        )
    first = m.doubts[0]
    example = first.labels[first.options[1]] if len(first.options) > 2 else t(lang, "doubts.other")
    lines.append(t(lang, "doubts.ask", figure=first.evidence, example=example))
    return "\n".join(lines)


_TEXT: dict[type, Callable[[Any], str]] = {
    Question: _question_text,
    Choice: _choice_text,
    Deliverable: _deliverable_text,
    Handoff: _handoff_text,
    Escalated: _escalated_text,
    Possible: _possible_text,
    FigureCheck: _figure_check_text,
    Decision: _decision_text,
    DecisionPending: _pending_text,
    Revision: _revision_text,
    Assigned: lambda m: t(m.lang, "render.bust_silhouette_by_takes", by=m.by, action=m.action),
    Unparsed: lambda m: t(m.lang, "render.found_no_usable_value", answer=m.answer),
    FileError: lambda m: t(m.lang, "render.warning_error_fix_file", error=m.error),
    Error: lambda m: t(m.lang, "render.these_values_cannot_be", error=m.error),
    Truncated: lambda m: t(
        m.lang, "render.message_length_characters_long", length=m.length, kept=m.kept
    ),
    Help: lambda m: help_text(m.lang),
    Note: lambda m: m.text,
    ExperimentDue: _experiment_due_text,
    ExperimentDecided: _experiment_decided_text,
    Fallback: _fallback_text,
}
"""The plain-text renderer of each message type."""


def _sections(text: str) -> list[dict]:
    """mrkdwn sections of at most SECTION_CHARS, cut between lines."""
    chunks, current = [], ""
    for line in text.splitlines():
        if len(current) + len(line) + 1 > SECTION_CHARS:
            chunks.append(current)
            current = ""
        current += line[:SECTION_CHARS] + "\n"
    if current.strip():
        chunks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c.rstrip()}} for c in chunks]


def _pieces(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut between paragraphs, else lines."""
    out, current = [], ""
    for para in text.split("\n"):
        while len(para) > size:
            out.append(para[:size])
            para = para[size:]
        if current and len(current) + len(para) + 1 > size:
            out.append(current)
            current = ""
        current = f"{current}\n{para}" if current else para
    return out + ([current] if current.strip() else [])


NATIVE_TABLES = ("table", "data_table")  # one of them per message (bot/limits.py)
NUMERIC = re.compile(r"^[+\-−]?[€$£]?\s?\d")


def table_block(table: Table, caption: str = "") -> tuple[dict, bool]:
    """A table as Slack shows it, and whether it had to be cut: a long list (more than LONG_LIST
    rows) as a ``data_table`` block (paginated and sortable, ``caption`` its title; cut to
    DATA_TABLE_ROWS rows and DATA_TABLE_CHARS characters), others as a ``table`` block (header
    row, then rows of ``raw_text`` cells; numeric columns right-aligned; cut to TABLE_CELLS
    columns). A workspace that refuses ``data_table`` gets :func:`plain_tables`."""
    if len(table.rows) > LONG_LIST:
        return data_table_block(table, caption)
    texts = [[str(c) or "—" for c in row[:TABLE_CELLS]] for row in [table.columns] + table.rows]
    width = len(texts[0])
    settings = [
        {"align": "right"}
        if table.rows and all(NUMERIC.match(r[i]) for r in texts[1:] if i < len(r))
        else None
        for i in range(width)
    ]
    block: dict[str, Any] = {"type": "table", "rows": [_cells(row, width) for row in texts]}
    if any(settings):
        block["column_settings"] = [s or {"align": "left"} for s in settings]
    return block, len(table.columns) > TABLE_CELLS


def _cells(row: list, width: int) -> list[dict]:
    """``row`` as ``width`` raw_text cells (Slack wants every row as long as the header): cut,
    or padded with '—', which also stands for an empty cell."""
    texts = [str(c) or "—" for c in row[:width]]
    return [{"type": "raw_text", "text": c} for c in texts + ["—"] * (width - len(texts))]


def data_table_block(table: Table, caption: str) -> tuple[dict, bool]:
    """A ``data_table`` block of ``table`` (its rows as far as Slack's limits allow) and whether
    rows or columns were left out (see bot/limits.py)."""
    width = min(len(table.columns), TABLE_CELLS)
    rows, chars = [_cells(table.columns, width)], sum(len(c) for c in table.columns[:width])
    for row in table.rows[:DATA_TABLE_ROWS]:
        cells = _cells(row, width)
        chars += sum(len(c["text"]) for c in cells)
        if chars > DATA_TABLE_CHARS:
            break
        rows.append(cells)
    block = {
        "type": "data_table",
        "caption": (caption or " ")[:HEADER_CHARS],
        "rows": rows,
        "page_size": DATA_TABLE_PAGE,
    }
    return block, len(rows) - 1 < len(table.rows) or len(table.columns) > width


def plain_tables(blocks: list[dict]) -> list[dict]:
    """``blocks`` with each ``data_table`` as a ``table`` block (its first TABLE_ROWS rows), for a
    workspace that does not take data tables."""
    return [
        {"type": "table", "rows": b["rows"][:TABLE_ROWS]} if b.get("type") == "data_table" else b
        for b in blocks
    ]


class _Messages:
    """Blocks packed into messages within Slack's limits: one table per message, MARKDOWN_CHARS
    of markdown blocks, MAX_BLOCKS blocks (two kept for the footer)."""

    def __init__(self):
        self.messages: list[tuple[list[str], list[dict]]] = []
        self._new()

    def _new(self) -> None:
        self.texts: list[str] = []
        self.blocks: list[dict] = []
        self.chars, self.table = 0, 0
        self.messages.append((self.texts, self.blocks))

    def before_table(self) -> None:
        """A table comes next: start a follow-up message if this one has its table already, so
        that the table's heading goes with it."""
        if self.table >= TABLES_PER_MESSAGE:
            self._new()

    def add(self, block: dict, text: str) -> None:
        chars = len(block["text"]) if block["type"] == "markdown" else 0
        full = (
            (block["type"] in NATIVE_TABLES and self.table >= TABLES_PER_MESSAGE)
            or self.chars + chars > MARKDOWN_CHARS
            or len(self.blocks) >= MAX_BLOCKS - 2
        )
        if full and self.blocks:
            self._new()
        self.blocks.append(block)
        self.texts.append(text)
        self.chars += chars
        self.table += block["type"] in NATIVE_TABLES


def deliverable_messages(item: dict) -> tuple[list[tuple[str, list[dict]]], bool]:
    """A deliverable as Slack messages, [(text, blocks)], and whether its whole Markdown must be
    attached as a file (a table longer than Slack's table block allows).

    Header, the overview as section fields, each section's prose in ``markdown`` blocks and each
    table as a ``table`` block (one per message: a further table starts a follow-up message), what
    was read but not used, where the experiment log put it, then the path and the feedback buttons on the last message. Every
    message's ``text`` is its plain-text fallback."""
    doc = Deliverable.model_validate(escaped_item(item))
    out, attach = _Messages(), False
    out.add(
        {"type": "header", "text": {"type": "plain_text", "text": doc.title[:HEADER_CHARS]}},
        doc.title,
    )
    for alert in doc.alerts:  # warnings that must not read like any other line
        said = MarkdownTextObject(text=alert.text[:SECTION_CHARS])
        out.add(AlertBlock(text=said, level=alert.level).to_dict(), f"⚠️ {alert.text}")
    fields = [{"type": "mrkdwn", "text": f"*{k}*\n{v}"[:FIELD_CHARS]} for k, v in doc.fields]
    for start in range(0, len(fields), FIELDS_PER_SECTION):
        out.add(
            {"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]},
            "\n".join(f"{k} : {v}" for k, v in doc.fields[start : start + FIELDS_PER_SECTION]),
        )
    for section in doc.all_sections():
        heading = f"**{section.heading}**\n\n" if section.heading else ""
        for part in section.parts:
            if isinstance(part, Table):
                out.before_table()
                if heading:
                    out.add({"type": "markdown", "text": heading.strip()}, section.heading)
                block, cut = table_block(part, section.heading or doc.title)
                out.add(block, part.text())
                attach |= cut
            else:
                for piece in _pieces(heading + part.strip(), MARKDOWN_CHARS):
                    out.add({"type": "markdown", "text": piece}, piece)
            heading = ""
    if doc.note:
        out.add({"type": "markdown", "text": doc.note}, doc.note)
    if doc.experiment_note:  # where a test plan or readout went in the experiment log
        out.add(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": doc.experiment_note}]},
            doc.experiment_note,
        )
    footer = load_hierarchy().shown_path(doc.path, doc.lang)
    if attach:
        footer += " · " + t(doc.lang, "render.full_table_markdown_file")
    out.blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    out.texts.append(footer)
    out.blocks.extend(feedback_block(item))
    return [("\n\n".join(texts)[:TEXT_CHARS], blocks) for texts, blocks in out.messages], attach


CANVAS_LINK = "{canvas_link}"  # where canvas_summary's link goes once the canvas exists


def canvas_summary(item: dict, updated: bool) -> tuple[str, list[dict]]:
    """The thread's message for a deliverable written as a canvas: its title, its overview (the key
    figures), a link to the canvas (CANVAS_LINK, replaced by bot.delivery once the canvas exists),
    the route and the feedback buttons. ``updated``: the canvas was rewritten by a recomputed
    deliverable (a correction, a follow-up), and the message says so."""
    doc = Deliverable.model_validate(escaped_item(item))
    lead = t(doc.lang, "render.canvas_updated" if updated else "render.canvas_written")
    link = f"{lead} <{CANVAS_LINK}|{doc.title}>"
    figures = "\n".join(f"• *{k}* : {v}" for k, v in doc.fields[:8])
    footer = load_hierarchy().shown_path(doc.path, doc.lang)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": doc.title[:HEADER_CHARS]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": link}},
    ]
    if figures:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": figures[:SECTION_CHARS]}}
        )
    blocks += _long_list(doc)
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    text = "\n\n".join(x for x in (doc.title, link, figures, footer) if x)
    return text[:TEXT_CHARS], blocks + feedback_block(item)


def _long_list(doc: Deliverable) -> list[dict]:
    """The deliverable's first long list (a leads file, a backlog) as a data_table for the
    canvas's summary, saying how many of its rows it holds when the canvas has more; [] when it
    has none."""
    longs = (
        (section.heading or doc.title, part)
        for section in doc.all_sections()
        for part in section.parts
        if isinstance(part, Table) and len(part.rows) > LONG_LIST
    )
    heading, found = next(longs, ("", None))
    if found is None:
        return []
    block, cut = data_table_block(found, heading)
    said = t(doc.lang, "render.canvas_rows", shown=len(block["rows"]) - 1, total=len(found.rows))
    context = {"type": "context", "elements": [{"type": "mrkdwn", "text": said}]}
    return [block] + ([context] if cut else [])


def thread_link(channel: str, ts: str, label: str) -> str:
    """A mrkdwn link that opens a Slack message (a thread's parent) in the client."""
    return f"<https://slack.com/app_redirect?channel={channel}&message_ts={ts}|{escape(label)}>"


def experiment_lines(rows: list[dict], lang: str) -> list[str]:
    """One bullet per experiment (graph.experiments.line), with a link to its Slack thread when it
    has one."""
    return [
        f"• {escape(experiments.line(r, lang))}"
        + (
            f" · {thread_link(r['channel'], r['thread_ts'], t(lang, 'experiments.command.thread'))}"
            if experiment_thread(r)
            else ""
        )
        for r in rows
    ]


def experiments_listing(log, team: str, query: str, lang: str) -> str:
    """What ``/experiments`` shows (mrkdwn, ephemeral): the running tests, the recently finished
    ones and the top of the backlog; ``query`` 'backlog' shows the whole backlog by ICE, any other
    query the tests and ideas it matches (graph.experiments.ExperimentLog.search)."""

    def part(key: str, rows: list[dict], **values) -> str:
        return f"*{t(lang, key, **values)}* ({len(rows)})\n" + (
            "\n".join(experiment_lines(rows, lang)) or t(lang, "experiments.command.none")
        )

    if query.lower() == "backlog":
        parts = [part("experiments.command.backlog", log.backlog(team))]
    elif query:
        parts = [part("experiments.command.found", log.search(team, query), query=escape(query))]
    else:
        parts = [
            part("experiments.command.running", log.running(team)),
            part("experiments.command.recent", log.recent(team)),
            part("experiments.command.backlog", log.backlog(team)[:5]),
        ]
    return ("\n\n".join(parts))[:3500] + "\n_" + t(lang, "experiments.command.hint") + "_"


def feedback_block(item: dict) -> list[dict]:
    """Slack's feedback buttons (thumbs up / down, a ``context_actions`` block) naming the
    deliverable's id in their values ('up:12', 'down:12'); [] for a deliverable not stored."""
    if not item.get("deliverable_id"):
        return []
    lang, ident = item["lang"], item["deliverable_id"]

    def button(value: str) -> dict:
        text = t(lang, f"render.feedback.{value}")
        return {
            "text": {"type": "plain_text", "text": text},
            "value": f"{value}:{ident}",
            "accessibility_label": t(lang, "render.feedback.label", button=text),
        }

    return [
        {
            "type": "context_actions",
            "elements": [
                {
                    "type": "feedback_buttons",
                    "action_id": FEEDBACK_ACTION,
                    "positive_button": button("up"),
                    "negative_button": button("down"),
                }
            ],
        }
    ]


def render(item: dict | BaseModel) -> tuple[str, list[dict]]:
    """(text, blocks) for Slack of a message (graph.messages, or its JSON form); the text alone is
    what the chat prints. Its controls: the ambiguity choice (``choose_agent_N``), on a question
    with defaults ``use_defaults``, on a possible situation Escalate / No need
    (``POSSIBLE_ACTION``, value 'yes' or 'no'), and the form of doubtful figures
    (``READING_ACTION``)."""
    message = parse(item)
    if isinstance(message, Deliverable):
        messages, _ = deliverable_messages(message.model_dump())
        return messages[0]
    text = text_of(escaped_item(message.model_dump()))
    controls, level = _CONTROLS.get(type(message)), _ALERTS.get(type(message))
    shown = _sections(text)
    if level:  # what waits for someone: an alert block, not a line like any other
        said = MarkdownTextObject(text=shown[0]["text"]["text"] if shown else text[:SECTION_CHARS])
        shown = [AlertBlock(text=said, level=level).to_dict()] + shown[1:]
    blocks = shown + ([b.to_dict() for b in controls(message)] if controls else [])
    return text, blocks[:MAX_BLOCKS]


POSSIBLE_ACTION = "possible_escalation"
READING_ACTION = "reading_figure"  # a doubtful figure's select; value 'start:measure'


def _choice_controls(m: Choice) -> list[Block]:
    buttons = [
        ButtonElement(action_id=f"choose_agent_{n}", value=o.id, text=(o.name or o.id)[:75])
        for n, o in enumerate(m.options, 1)
    ]
    return [ActionsBlock(block_id="choose_agent", elements=buttons)]


def _possible_controls(m: Possible) -> list[Block]:
    yes = ButtonElement(
        action_id=POSSIBLE_ACTION,
        value="yes",
        text=t(m.lang, "render.possible_escalate"),
        style="danger",
    )
    no = ButtonElement(
        action_id=POSSIBLE_ACTION, value="no", text=t(m.lang, "render.possible_dismiss")
    )
    return [ActionsBlock(block_id="possible_escalation", elements=[yes, no])]


def _question_controls(m: Question) -> list[Block]:
    if not any(x.default for x in m.missing):
        return []
    button = ButtonElement(
        action_id="use_defaults", value=m.agent, text=t(m.lang, "render.don_t_know_use")
    )
    return [ActionsBlock(block_id="use_defaults", elements=[button])]


def _figure_check_controls(m: FigureCheck) -> list[Block]:
    """One section per doubtful figure with a select pre-filled with the measure it was taken as
    (value 'start:measure'; 'none' for none of these)."""
    blocks: list[Block] = []
    for d in m.doubts:
        options = [Option(value=f"{d.start}:{x}", label=d.labels[x][:75]) for x in d.options]
        select = StaticSelectElement(
            action_id=READING_ACTION, options=options, initial_option=options[0]
        )
        said = MarkdownTextObject(text=t(m.lang, "doubts.read_as", figure=escape(d.evidence)))
        blocks.append(SectionBlock(block_id=f"reading_{d.start}", text=said, accessory=select))
    return blocks


_CONTROLS: dict[type, Callable[[Any], list]] = {
    Choice: _choice_controls,
    Possible: _possible_controls,
    Question: _question_controls,
    FigureCheck: _figure_check_controls,
}
"""The Block Kit controls (slack_sdk.models.blocks) under a message's text, by message type."""
_ALERTS = {DecisionPending: "warning", FigureCheck: "info"}
"""Messages whose text opens with an ``alert`` block: the thread waits for a decision, or for
the user to confirm figures."""


ESCALATION_BUTTONS = {  # action_id -> style; labels are render.button.<action_id>; value = the escalation id
    "approve_escalation": "primary",
    "reject_escalation": "danger",
    "request_changes_escalation": None,
    "acknowledge_escalation": "primary",
    "assign_escalation": None,
}


def escalation_buttons(row: dict, rule, lang: str) -> list[dict]:
    """The buttons an escalation still offers: Approve / Reject / Request changes while a blocking
    one is open; Acknowledge while a non-blocking one is open; Assign to me ("Notification +
    assignation" rules) until someone owns it. [] once decided."""
    if row["status"] == "open" and row["blocking"]:
        ids = ["approve_escalation", "reject_escalation", "request_changes_escalation"]
    else:
        ids = (["acknowledge_escalation"] if row["status"] == "open" else []) + (
            ["assign_escalation"]
            if rule.assign and row["status"] in ("open", "acknowledged")
            else []
        )
    buttons = []
    for action_id in ids:
        style = ESCALATION_BUTTONS[action_id]
        buttons.append(
            {
                "type": "button",
                "action_id": action_id,
                "value": row["id"],
                "text": {"type": "plain_text", "text": t(lang, f"render.button.{action_id}")},
                **({"style": style} if style else {}),
            }
        )
    return buttons


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ") + " UTC"


def escalation_status(row: dict, lang: str) -> list[str]:
    """Lines saying what happened to an escalation: acknowledged, assigned, decided (who, when, reason)."""
    lines = []
    reason = f" — « {row['reason']} »" if row.get("reason") else ""
    decided = {
        "approved": t(lang, "render.white_check_mark_approved"),
        "rejected": t(lang, "render.no_entry_rejected_by"),
        "changes_requested": t(lang, "render.pencil2_changes_requested_by"),
    }
    if row["status"] in decided:
        lines.append(
            f"{decided[row['status']]} <@{row['decided_by']}> {t(lang, 'render.on')} {_when(row.get('decided_at'))}{reason}"
        )
    if row.get("acknowledged_by") and row.get("acknowledged_by") != row.get("assigned_to"):
        lines.append(
            t(
                lang,
                "render.white_check_mark_acknowledged",
                acknowledged_by=row["acknowledged_by"],
                when=_when(row.get("acknowledged_at")),
            )
        )
    if row.get("assigned_to"):
        lines.append(
            t(
                lang,
                "render.bust_silhouette_assigned_assigned",
                assigned_to=row["assigned_to"],
                when=_when(row.get("assigned_at")),
            )
        )
    return lines


def notice(row: dict, rule, who: str, lang: str) -> tuple[str, list[dict]]:
    """The escalation notice for ESCALATION_CHANNEL, from its escalations row: rule, the mentions of
    who may act (``who``; '@role' alone when nobody is configured, which the notice says), evidence,
    thread link, requester, sla; then its buttons while something is expected, or what was decided,
    acknowledged or assigned. Posted once, then rebuilt for ``chat.update``."""
    link = f"<{row['permalink']}|{t(lang, 'render.open_thread')}>" if row.get("permalink") else ""
    by = (
        f" — {t(lang, 'render.requested_by')} <@{row['requester']}>" if row.get("requester") else ""
    )
    text = (
        f":rotating_light: *{rule.action(lang)}* {who} — {rule.situation(lang)} ({escape(row['evidence'])}). "
        f"{t(lang, 'render.reason')} : {rule.reason(lang)}. "
        f"{t(lang, 'render.blocking_bot_waits_decision') if rule.blocking else ''} {link}{by}"
    ).strip()
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_CHARS]}}
    ]
    if "<" not in who:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": t(lang, "render.warning_nobody_configured_who", who=who),
                    }
                ],
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": t(lang, "render.sla", sla=rule.sla_text(lang))}
            ],
        }
    )
    status = escalation_status(row, lang)
    if status:
        blocks.append(
            {
                "type": "context",
                "block_id": "escalation_status",
                "elements": [{"type": "mrkdwn", "text": "\n".join(status)}],
            }
        )
        text += "\n" + "\n".join(status)
    buttons = escalation_buttons(row, rule, lang)
    if buttons:
        blocks.append({"type": "actions", "block_id": "escalation_actions", "elements": buttons})
    return text, blocks


def escalation_line(row: dict, rule, lang: str) -> str:
    """One escalation as a list line (App Home, /escalations): action, situation, evidence, role,
    status, since when, thread link."""
    status = {
        "open": t(lang, "render.open"),
        "acknowledged": t(lang, "render.acknowledged"),
        "assigned": t(lang, "render.assigned"),
        "approved": t(lang, "render.approved"),
        "rejected": t(lang, "render.rejected"),
        "changes_requested": t(lang, "render.changes_requested"),
    }
    link = f" <{row['permalink']}|{t(lang, 'render.thread')}>" if row.get("permalink") else ""
    blocking = t(lang, "render.blocking") if row["blocking"] else ""
    return (
        f"• *{rule.action(lang)}* — {rule.situation(lang)} ({escape(row['evidence'])}) · @{row['role']} · "
        f"{', '.join(x for x in (status.get(row['status'], row['status']), blocking) if x)} · {t(lang, 'render.since')} {_when(row.get('created_at'))}{link}"
    )


def reminder(row: dict, rule, who: str, lang: str, fallback: bool) -> str:
    """The reminder posted in a notice's thread once its sla has passed without an answer."""
    waits = (
        t(lang, "render.still_waits_decision")
        if row["blocking"]
        else t(lang, "render.still_waits_be_acknowledged")
    )
    late = t(lang, "render.no_answer_despite_reminders", fallback=rule.fallback) if fallback else ""
    return t(
        lang,
        "render.alarm_clock_reminder_reminders",
        reminders=row["reminders"],
        who=who,
        value=rule.action(lang),
        waits=waits,
        sla=rule.sla,
        late=late,
    )
