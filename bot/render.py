"""Rendering: every message the graph produces, as plain text (chat, Slack fallback) and Block Kit.

``render(item)`` takes an outbox item or an interrupt payload (dicts with a ``kind``) and returns
(text, blocks); a deliverable (:class:`graph.document.Deliverable`) may need several messages:
:func:`deliverable_messages`. Slack's limits are in :mod:`bot.limits`.
"""

from __future__ import annotations

import re

from bot.limits import (
    FIELD_CHARS,
    FIELDS_PER_SECTION,
    HEADER_CHARS,
    MARKDOWN_CHARS,
    MAX_BLOCKS,
    SECTION_CHARS,
    TABLE_CELLS,
    TABLE_ROWS,
    TABLES_PER_MESSAGE,
    TEXT_CHARS,
)
from graph import experiments
from graph.conversations import experiment_thread
from graph.document import Deliverable, Table
from graph.formatting import date_text
from graph.hierarchy import load_hierarchy
from graph.i18n import t
from graph.router import OUT_OF_SCOPE

FEEDBACK_ACTION = "deliverable_feedback"  # the feedback buttons' action_id
PATH_SEPARATOR = " › "
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
        if node.kind == "orchestrator" and node.id not in ("marketing-ops",):
            lines.append(
                f"*{node.id}* — " + ", ".join(f"`{c}`" for c in h.subtree_specialists(node.id))
            )
    return "\n".join(lines)


def text_of(item: dict) -> str:
    """The plain-text form of an item (Markdown), as the chat shows it and Slack's ``text`` fallback."""
    lang, kind = item.get("lang", "fr"), item["kind"]
    h = load_hierarchy()
    if kind == "question":
        understood = item.get("understood") or []
        lines = [t(lang, "render.understood") + " ; ".join(understood) + "."] if understood else []
        lines.append(t(lang, "render.answer_agent_still_need", agent=item["agent"]))
        lines += [
            f"{n}. {m['label']}"
            + (t(lang, "render.optional_skip_uses_default") if m["default"] else "")
            for n, m in enumerate(item["missing"], 1)
        ]
        lines.append(t(lang, "render.reply_thread_one_message"))
        return "\n".join(lines)
    if kind == "choice":
        lines = [t(lang, "render.two_specialists_could_answer")]
        lines += [f"{n}. {o['id']} — {o['description']}" for n, o in enumerate(item["options"], 1)]
        return "\n".join(lines)
    if kind == "deliverable":
        logged = item.get("experiment_note")
        return (
            Deliverable.model_validate(item).text()
            + (f"\n\n{logged}" if logged else "")
            + "\n\n"
            + PATH_SEPARATOR.join(item["path"])
        )
    if kind == "handoff":
        if item["team"] == OUT_OF_SCOPE:
            return t(lang, "render.that_not_marketing_ops") + help_text(lang)
        return t(lang, "render.that_outside_my_scope", team=_team(item["team"], lang))
    if kind == "escalated":
        rule = next(r for r in h.escalations if r.id == item["rule"])
        waiting = (
            t(
                lang,
                "render.decides_on_answer"
                if item.get("answer_first")
                else "render.am_waiting_role_s",
                role=rule.role,
            )
            if item["blocking"]
            else ""
        )
        return (
            t(
                lang,
                "render.rotating_light_escalated_value",
                value=rule.situation(lang),
                evidence=item["evidence"],
                value2=rule.action(lang),
            )
            + waiting
        )
    if kind == "reading":
        return reading_text(item)
    if kind == "possible":
        rule = next(r for r in h.escalations if r.id == item["rule"])
        return t(
            lang,
            "render.possible_escalation",
            situation=rule.situation(lang),
            evidence=item["evidence"],
            role=rule.role,
            action=rule.action(lang),
        )
    if kind == "decision":
        by, reason = f"<@{item['by']}>", f" « {item['reason']} »" if item.get("reason") else ""
        return {
            "approved": t(lang, "render.white_check_mark_by", by=by),
            "rejected": t(lang, "render.no_entry_by_rejected", by=by, reason=reason),
            "changes_requested": t(
                lang, "render.pencil2_by_requested_changes", by=by, reason=reason
            ),
        }[item["decision"]]
    if kind == "decision_pending":
        rules = [r for r in h.escalations if r.id in item["rules"]]
        who = ", ".join(f"@{r.role} ({r.action(lang)})" for r in rules)
        return t(lang, "render.still_waiting_decision_who", who=who)
    if kind == "revision":
        note = f" « {item['reason']} »" if item.get("reason") else ""
        return t(lang, "render.what_should_change_note", by=item["by"], note=note)
    if kind == "assigned":
        return t(lang, "render.bust_silhouette_by_takes", by=item["by"], action=item["action"])
    if kind == "unparsed":
        return t(lang, "render.found_no_usable_value", answer=item["answer"])
    if kind == "data_error":
        return t(lang, "render.warning_error_fix_file", error=item["error"])
    if kind == "error":
        return t(lang, "render.these_values_cannot_be", error=item["error"])
    if kind == "truncated":
        return t(
            lang, "render.message_length_characters_long", length=item["length"], kept=item["kept"]
        )
    if kind == "help":
        return help_text(lang)
    if kind == "note":
        return item["text"]
    if kind == "experiment_due":
        row = item["experiment"]
        return t(
            lang,
            "experiments.reminder",
            id=experiments.label(row),
            test=experiments.title(row, lang),
            end=date_text(row["end_date"], lang),
        )
    if kind == "experiment_decided":
        row = item["experiment"]
        note = " " + t(lang, "experiments.quoted", name=item["note"]) if item.get("note") else ""
        return t(
            lang,
            "experiments.decided_post",
            by=f"<@{item['by']}>",
            id=experiments.label(row),
            test=experiments.title(row, lang),
            decision=t(lang, f"experiments.decision.{row['status']}"),
            note=note,
        )
    if kind == "fallback":
        why = {
            "overloaded": t(lang, "render.claude_overloaded"),
            "timeout": t(lang, "render.claude_timed_out"),
            "ungrounded": t(lang, "render.claude_s_text_quoted"),
            "malformed": t(lang, "render.claude_s_answer_was"),
        }.get(item["reason"], t(lang, "render.claude_unavailable"))
        return t(lang, "render.why_answering_with_my", why=why)
    raise ValueError(f"unknown message kind {kind!r}")


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


NUMERIC = re.compile(r"^[+\-−]?[€$£]?\s?\d")


def table_block(table: Table) -> tuple[dict, bool]:
    """A Slack ``table`` block (header row, then rows of ``raw_text`` cells; numeric columns
    right-aligned) and whether the table had to be cut to TABLE_ROWS rows / TABLE_CELLS columns."""
    rows = [table.columns] + table.rows
    cut = len(rows) > TABLE_ROWS or len(table.columns) > TABLE_CELLS
    rows = [[str(c) or "—" for c in row[:TABLE_CELLS]] for row in rows[:TABLE_ROWS]]
    width = len(rows[0])
    settings = [
        {"align": "right"}
        if table.rows and all(NUMERIC.match(r[i]) for r in rows[1:] if i < len(r))
        else None
        for i in range(width)
    ]
    block = {
        "type": "table",
        "rows": [
            [{"type": "raw_text", "text": c} for c in row + ["—"] * (width - len(row))]
            for row in rows
        ],
    }
    if any(settings):
        block["column_settings"] = [s or {"align": "left"} for s in settings]
    return block, cut


class _Messages:
    """Blocks packed into messages within Slack's limits: one table per message, MARKDOWN_CHARS
    of markdown blocks, MAX_BLOCKS blocks (two kept for the footer)."""

    def __init__(self):
        self.messages: list[tuple[list[str], list[dict]]] = []
        self._new()

    def _new(self) -> None:
        self.texts, self.blocks, self.chars, self.table = [], [], 0, 0
        self.messages.append((self.texts, self.blocks))

    def before_table(self) -> None:
        """A table comes next: start a follow-up message if this one has its table already, so
        that the table's heading goes with it."""
        if self.table >= TABLES_PER_MESSAGE:
            self._new()

    def add(self, block: dict, text: str) -> None:
        chars = len(block["text"]) if block["type"] == "markdown" else 0
        full = (
            (block["type"] == "table" and self.table >= TABLES_PER_MESSAGE)
            or self.chars + chars > MARKDOWN_CHARS
            or len(self.blocks) >= MAX_BLOCKS - 2
        )
        if full and self.blocks:
            self._new()
        self.blocks.append(block)
        self.texts.append(text)
        self.chars += chars
        self.table += block["type"] == "table"


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
                block, cut = table_block(part)
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
    footer = PATH_SEPARATOR.join(doc.path)
    if attach:
        footer += " · " + t(doc.lang, "render.full_table_markdown_file")
    out.blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    out.texts.append(footer)
    out.blocks.extend(feedback_block(item))
    return [("\n\n".join(texts)[:TEXT_CHARS], blocks) for texts, blocks in out.messages], attach


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


def render(item: dict) -> tuple[str, list[dict]]:
    """(text, blocks) for Slack; the text alone is what the chat prints. Buttons: the ambiguity
    choice (``choose_agent_N``), on a question with defaults ``use_defaults``, on a possible
    situation Escalate / No need (``POSSIBLE_ACTION``, value 'yes' or 'no'), and the reading form
    of doubtful figures (``READING_ACTION``)."""
    if item["kind"] == "deliverable":
        messages, _ = deliverable_messages(item)
        return messages[0]
    text = text_of(escaped_item(item))
    blocks = _sections(text)
    if item["kind"] == "choice":
        blocks.append(
            {
                "type": "actions",
                "block_id": "choose_agent",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"choose_agent_{n}",
                        "value": o["id"],
                        "text": {"type": "plain_text", "text": o["id"]},
                    }
                    for n, o in enumerate(item["options"], 1)
                ],
            }
        )
    if item["kind"] == "possible":
        blocks.append(
            {
                "type": "actions",
                "block_id": "possible_escalation",
                "elements": [
                    {
                        "type": "button",
                        "action_id": POSSIBLE_ACTION,
                        "value": value,
                        "text": {"type": "plain_text", "text": t(item["lang"], f"render.{key}")},
                        **({"style": "danger"} if value == "yes" else {}),
                    }
                    for value, key in (("yes", "possible_escalate"), ("no", "possible_dismiss"))
                ],
            }
        )
    if item["kind"] == "reading":
        blocks += reading_blocks(item)
    if item["kind"] == "question" and any(m["default"] for m in item["missing"]):
        blocks.append(
            {
                "type": "actions",
                "block_id": "use_defaults",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "use_defaults",
                        "value": item["agent"],
                        "text": {
                            "type": "plain_text",
                            "text": t(item["lang"], "render.don_t_know_use"),
                        },
                    }
                ],
            }
        )
    return text, blocks[:MAX_BLOCKS]


POSSIBLE_ACTION = "possible_escalation"
READING_ACTION = "reading_figure"  # a doubtful figure's select; value 'start:measure'


def reading_text(item: dict) -> str:
    """The doubtful figures of a deliverable (graph.understanding.doubts.Doubt, dumped), each with
    the measure it was taken as and the likeliest other one, and how to confirm or correct."""
    lang, doubts = item["lang"], item["doubts"]
    lines = [t(lang, "doubts.intro")]
    for d in doubts:
        other = d["options"][1] if len(d["options"]) > 2 else None
        alternative = t(lang, "doubts.alternative", other=d["labels"][other]) if other else ""
        lines.append(
            t(
                lang,
                "doubts.line",
                figure=d["evidence"],
                input=d["labels"][d["type"]],
                alternative=alternative,
            )
        )
    first = doubts[0]
    example = (
        first["labels"][first["options"][1]]
        if len(first["options"]) > 2
        else t(lang, "doubts.other")
    )
    lines.append(t(lang, "doubts.ask", figure=first["evidence"], example=example))
    return "\n".join(lines)


def reading_blocks(item: dict) -> list[dict]:
    """The reading form: one section per doubtful figure with a select pre-filled with the measure
    it was taken as (``READING_ACTION``, value 'start:measure'; 'none' for none of these)."""
    lang, blocks = item["lang"], []
    for d in item["doubts"]:
        options = [
            {
                "text": {"type": "plain_text", "text": d["labels"][m][:75]},
                "value": f"{d['start']}:{m}",
            }
            for m in d["options"]
        ]
        blocks.append(
            {
                "type": "section",
                "block_id": f"reading_{d['start']}",
                "text": {
                    "type": "mrkdwn",
                    "text": t(lang, "doubts.read_as", figure=escape(d["evidence"])),
                },
                "accessory": {
                    "type": "static_select",
                    "action_id": READING_ACTION,
                    "options": options,
                    "initial_option": options[0],
                },
            }
        )
    return blocks


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
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_CHARS]}}]
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
            "elements": [{"type": "mrkdwn", "text": f"{rule.seed} · {rule.id} · SLA {rule.sla}"}],
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
