"""Rendering: every message the graph produces, as plain text (chat, Slack fallback) and Block Kit.

``render(item)`` takes an outbox item or an interrupt payload (dicts with a ``kind``) and returns
(text, blocks); a deliverable (:class:`graph.document.Deliverable`) may need several messages:
:func:`deliverable_messages`. Slack's limits are in :mod:`bot.limits`.
"""

from __future__ import annotations

import re

from bot.limits import (FIELD_CHARS, FIELDS_PER_SECTION, HEADER_CHARS, MARKDOWN_CHARS, MAX_BLOCKS, SECTION_CHARS,
                        TABLE_CELLS, TABLE_ROWS, TEXT_CHARS)
from graph.document import Deliverable, Table
from graph.formatting import tr
from graph.hierarchy import load_hierarchy
from graph.router import OUT_OF_SCOPE

FEEDBACK_ACTION = "deliverable_feedback"  # the feedback buttons' action_id
PATH_SEPARATOR = " › "


def _team(team_id: str, lang: str) -> str:
    for team in load_hierarchy().handoffs:
        if team.id == team_id:
            return team.team(lang)
    return team_id


def help_text(lang: str) -> str:
    """What the bot does, by orchestrator and specialist."""
    h = load_hierarchy()
    lines = [tr(lang, "Je suis votre équipe marketing-ops. Décrivez votre besoin, par exemple « combien de visiteurs pour mon A/B test ? ». Mes spécialistes :",
                "I am your marketing-ops team. Describe what you need, e.g. “how many visitors for my A/B test?”. My specialists:")]
    for node in h.nodes.values():
        if node.kind == "orchestrator" and node.id not in ("marketing-ops",):
            lines.append(f"*{node.id}* — " + ", ".join(f"`{c}`" for c in h.subtree_specialists(node.id)))
    return "\n".join(lines)


def text_of(item: dict) -> str:
    """The plain-text form of an item (Markdown), as the chat shows it and Slack's ``text`` fallback."""
    lang, kind = item.get("lang", "fr"), item["kind"]
    h = load_hierarchy()
    if kind == "question":
        understood = item.get("understood") or []
        lines = [tr(lang, "J'ai compris : ", "I understood: ") + " ; ".join(understood) + "."] if understood else []
        lines.append(tr(lang, f"Pour répondre ({item['agent']}), il me manque :", f"To answer ({item['agent']}), I still need:"))
        lines += [f"{n}. {m['label']}" + (tr(lang, " _(facultatif : « je ne sais pas » prend l'hypothèse par défaut)_", " _(optional: “skip” uses the default)_") if m["default"] else "")
                  for n, m in enumerate(item["missing"], 1)]
        lines.append(tr(lang, "Répondez dans ce fil, en une seule réponse.", "Reply in this thread, in one message."))
        return "\n".join(lines)
    if kind == "choice":
        lines = [tr(lang, "Deux spécialistes peuvent répondre. Lequel ? (répondez 1 ou 2)", "Two specialists could answer. Which one? (reply 1 or 2)")]
        lines += [f"{n}. {o['id']} — {o['description']}" for n, o in enumerate(item["options"], 1)]
        return "\n".join(lines)
    if kind == "deliverable":
        return Deliverable.model_validate(item).text() + "\n\n" + PATH_SEPARATOR.join(item["path"])
    if kind == "handoff":
        if item["team"] == OUT_OF_SCOPE:
            return tr(lang, "Ce n'est pas une demande marketing-ops que je sais traiter.\n", "That is not a marketing-ops request I can handle.\n") + help_text(lang)
        return tr(lang, f"Ce n'est pas mon périmètre : cette demande relève de l'équipe {_team(item['team'], lang)}.",
                  f"That is outside my scope: this request belongs to the {_team(item['team'], lang)} team.")
    if kind == "escalated":
        rule = next(r for r in h.escalations if r.id == item["rule"])
        waiting = tr(lang, f" J'attends la décision de @{rule.role} avant d'aller plus loin : elle se prend avec les boutons de l'alerte.",
                     f" I am waiting for @{rule.role}'s decision before going further: they decide with the notice's buttons.") if item["blocking"] else ""
        return tr(lang, f":rotating_light: Escaladé : {rule.situation(lang)} ({item['evidence']}) → {rule.action(lang)}.",
                  f":rotating_light: Escalated: {rule.situation(lang)} ({item['evidence']}) → {rule.action(lang)}.") + waiting
    if kind == "decision":
        by, reason = f"<@{item['by']}>", f" « {item['reason']} »" if item.get("reason") else ""
        return {"approved": tr(lang, f":white_check_mark: {by} a validé. Je continue.", f":white_check_mark: {by} approved. Going on."),
                "rejected": tr(lang, f":no_entry: {by} a refusé :{reason}. Je m'arrête là pour cette demande.",
                               f":no_entry: {by} rejected:{reason}. I stop here for this request."),
                "changes_requested": tr(lang, f":pencil2: {by} demande des changements :{reason}.", f":pencil2: {by} requested changes:{reason}.")}[item["decision"]]
    if kind == "decision_pending":
        rules = [r for r in h.escalations if r.id in item["rules"]]
        who = ", ".join(f"@{r.role} ({r.action(lang)})" for r in rules)
        return tr(lang, f"J'attends toujours la décision de {who}. Seuls ses membres peuvent décider : avec les boutons de l'alerte, "
                        "ou en écrivant ici « validé » ou « refusé : raison » (« ok » ne décide rien).",
                  f"Still waiting for the decision of {who}. Only its members can decide: with the notice's buttons, "
                  "or by writing “approved” or “rejected: reason” here (“ok” decides nothing).")
    if kind == "revision":
        note = f" « {item['reason']} »" if item.get("reason") else ""
        return tr(lang, f"Que faut-il changer ? Note de <@{item['by']}> :{note}. Répondez dans ce fil avec la demande modifiée : je la reprends et la soumets de nouveau si une règle d'escalade s'applique encore.",
                  f"What should change? Note from <@{item['by']}>:{note}. Reply in this thread with the revised request: I take it up again and submit it again if an escalation rule still applies.")
    if kind == "assigned":
        return tr(lang, f":bust_in_silhouette: <@{item['by']}> prend en charge : {item['action']}.",
                  f":bust_in_silhouette: <@{item['by']}> takes it on: {item['action']}.")
    if kind == "unparsed":
        return tr(lang, f"Je n'ai trouvé aucune valeur utilisable dans « {item['answer']} ». Donnez un nombre par élément demandé, ou « je ne sais pas ».",
                  f"I found no usable value in “{item['answer']}”. Give one number per item asked, or “skip”.")
    if kind == "data_error":
        return tr(lang, f":warning: {item['error']} Corrigez le fichier et partagez-le à nouveau dans ce fil ; en attendant je continue sans lui.",
                  f":warning: {item['error']} Fix the file and share it again in this thread; meanwhile I go on without it.")
    if kind == "error":
        return tr(lang, f"Ces valeurs ne permettent pas le calcul ({item['error']}). Redonnez-les :", f"These values cannot be computed ({item['error']}). Please give them again:")
    if kind == "truncated":
        return tr(lang, f"Votre message fait {item['length']} caractères : je n'en lis que les {item['kept']} premiers.",
                  f"Your message is {item['length']} characters long: I only read the first {item['kept']}.")
    if kind == "help":
        return help_text(lang)
    if kind == "fallback":
        why = {"overloaded": tr(lang, "Claude est surchargé", "Claude is overloaded"),
               "timeout": tr(lang, "Claude ne répond pas à temps", "Claude timed out"),
               "ungrounded": tr(lang, "le texte de Claude citait des chiffres qu'aucun calcul n'a produits",
                                "Claude's text quoted figures no calculation produced"),
               "malformed": tr(lang, "la réponse de Claude était mal formée", "Claude's answer was malformed")}.get(
            item["reason"], tr(lang, "Claude est indisponible", "Claude is unavailable"))
        return tr(lang, f"_{why} : je réponds avec mon cerveau hors ligne (mêmes calculs, rédaction par modèles)._",
                  f"_{why}: answering with my offline brain (same calculations, template writing)._")
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
    settings = [{"align": "right"} if table.rows and all(NUMERIC.match(r[i]) for r in rows[1:] if i < len(r)) else None for i in range(width)]
    block = {"type": "table", "rows": [[{"type": "raw_text", "text": c} for c in row + ["—"] * (width - len(row))] for row in rows]}
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
        self.texts, self.blocks, self.chars, self.table = [], [], 0, False
        self.messages.append((self.texts, self.blocks))

    def before_table(self) -> None:
        """A table comes next: start a follow-up message if this one has its table already, so
        that the table's heading goes with it."""
        if self.table:
            self._new()

    def add(self, block: dict, text: str) -> None:
        chars = len(block["text"]) if block["type"] == "markdown" else 0
        full = (block["type"] == "table" and self.table) or self.chars + chars > MARKDOWN_CHARS or len(self.blocks) >= MAX_BLOCKS - 2
        if full and self.blocks:
            self._new()
        self.blocks.append(block)
        self.texts.append(text)
        self.chars += chars
        self.table |= block["type"] == "table"


def deliverable_messages(item: dict) -> tuple[list[tuple[str, list[dict]]], bool]:
    """A deliverable as Slack messages, [(text, blocks)], and whether its whole Markdown must be
    attached as a file (a table longer than Slack's table block allows).

    Header, the overview as section fields, each section's prose in ``markdown`` blocks and each
    table as a ``table`` block (one per message: a further table starts a follow-up message), what
    was read but not used, then the path and the feedback buttons on the last message. Every
    message's ``text`` is its plain-text fallback."""
    doc = Deliverable.model_validate(item)
    out, attach = _Messages(), False
    out.add({"type": "header", "text": {"type": "plain_text", "text": doc.title[:HEADER_CHARS]}}, doc.title)
    fields = [{"type": "mrkdwn", "text": f"*{k}*\n{v}"[:FIELD_CHARS]} for k, v in doc.fields]
    for start in range(0, len(fields), FIELDS_PER_SECTION):
        out.add({"type": "section", "fields": fields[start:start + FIELDS_PER_SECTION]},
                "\n".join(f"{k} : {v}" for k, v in doc.fields[start:start + FIELDS_PER_SECTION]))
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
    footer = PATH_SEPARATOR.join(doc.path)
    if attach:
        footer += " · " + tr(doc.lang, "Tableau complet dans le fichier Markdown ci-dessous.", "Full table in the Markdown file below.")
    out.blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    out.texts.append(footer)
    out.blocks.extend(feedback_block(item))
    return [("\n\n".join(texts)[:TEXT_CHARS], blocks) for texts, blocks in out.messages], attach


def feedback_block(item: dict) -> list[dict]:
    """Slack's feedback buttons (thumbs up / down, a ``context_actions`` block) naming the
    deliverable's id in their values ('up:12', 'down:12'); [] for a deliverable not stored."""
    if not item.get("deliverable_id"):
        return []
    lang, ident = item["lang"], item["deliverable_id"]
    button = lambda value, fr, en: {"text": {"type": "plain_text", "text": tr(lang, fr, en)}, "value": f"{value}:{ident}",  # noqa: E731
                                    "accessibility_label": tr(lang, f"{fr} : votre avis sur ce livrable", f"{en}: your feedback on this deliverable")}
    return [{"type": "context_actions", "elements": [{"type": "feedback_buttons", "action_id": FEEDBACK_ACTION,
                                                      "positive_button": button("up", "Utile", "Useful"),
                                                      "negative_button": button("down", "Pas utile", "Not useful")}]}]


def render(item: dict) -> tuple[str, list[dict]]:
    """(text, blocks) for Slack; the text alone is what the chat prints. Buttons: the ambiguity
    choice (``choose_agent_N``) and, on a question with defaults, ``use_defaults``."""
    text = text_of(item)
    if item["kind"] == "deliverable":
        messages, _ = deliverable_messages(item)
        return messages[0]
    blocks = _sections(text)
    if item["kind"] == "choice":
        blocks.append({"type": "actions", "block_id": "choose_agent", "elements": [
            {"type": "button", "action_id": f"choose_agent_{n}", "value": o["id"], "text": {"type": "plain_text", "text": o["id"]}}
            for n, o in enumerate(item["options"], 1)]})
    if item["kind"] == "question" and any(m["default"] for m in item["missing"]):
        blocks.append({"type": "actions", "block_id": "use_defaults", "elements": [{
            "type": "button", "action_id": "use_defaults", "value": item["agent"],
            "text": {"type": "plain_text", "text": tr(item["lang"], "Je ne sais pas — utilise l'hypothèse par défaut",
                                                      "I don't know — use the default assumption")}}]})
    return text, blocks[:MAX_BLOCKS]


ESCALATION_BUTTONS = {  # action_id -> (label fr, label en, style); value = the escalation id
    "approve_escalation": ("Approuver", "Approve", "primary"),
    "reject_escalation": ("Refuser", "Reject", "danger"),
    "request_changes_escalation": ("Demander des changements", "Request changes", None),
    "acknowledge_escalation": ("Pris en charge", "Acknowledge", "primary"),
    "assign_escalation": ("M'assigner", "Assign to me", None),
}


def escalation_buttons(row: dict, rule, lang: str) -> list[dict]:
    """The buttons an escalation still offers: Approve / Reject / Request changes while a blocking
    one is open; Acknowledge while a non-blocking one is open; Assign to me ("Notification +
    assignation" rules) until someone owns it. [] once decided."""
    if row["status"] == "open" and row["blocking"]:
        ids = ["approve_escalation", "reject_escalation", "request_changes_escalation"]
    else:
        ids = (["acknowledge_escalation"] if row["status"] == "open" else []) + (
            ["assign_escalation"] if rule.assign and row["status"] in ("open", "acknowledged") else [])
    buttons = []
    for action_id in ids:
        fr, en, style = ESCALATION_BUTTONS[action_id]
        buttons.append({"type": "button", "action_id": action_id, "value": row["id"], "text": {"type": "plain_text", "text": tr(lang, fr, en)},
                        **({"style": style} if style else {})})
    return buttons


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ") + " UTC"


def escalation_status(row: dict, lang: str) -> list[str]:
    """Lines saying what happened to an escalation: acknowledged, assigned, decided (who, when, reason)."""
    lines = []
    reason = f" — « {row['reason']} »" if row.get("reason") else ""
    decided = {"approved": tr(lang, ":white_check_mark: Approuvé par", ":white_check_mark: Approved by"),
               "rejected": tr(lang, ":no_entry: Refusé par", ":no_entry: Rejected by"),
               "changes_requested": tr(lang, ":pencil2: Changements demandés par", ":pencil2: Changes requested by")}
    if row["status"] in decided:
        lines.append(f"{decided[row['status']]} <@{row['decided_by']}> {tr(lang, 'le', 'on')} {_when(row.get('decided_at'))}{reason}")
    if row.get("acknowledged_by") and row.get("acknowledged_by") != row.get("assigned_to"):
        lines.append(tr(lang, f":white_check_mark: Pris en charge par <@{row['acknowledged_by']}> le {_when(row.get('acknowledged_at'))}",
                        f":white_check_mark: Acknowledged by <@{row['acknowledged_by']}> on {_when(row.get('acknowledged_at'))}"))
    if row.get("assigned_to"):
        lines.append(tr(lang, f":bust_in_silhouette: Assigné à <@{row['assigned_to']}> le {_when(row.get('assigned_at'))}",
                        f":bust_in_silhouette: Assigned to <@{row['assigned_to']}> on {_when(row.get('assigned_at'))}"))
    return lines


def notice(row: dict, rule, who: str, lang: str) -> tuple[str, list[dict]]:
    """The escalation notice for ESCALATION_CHANNEL, from its escalations row: rule, the mentions of
    who may act (``who``; '@role' alone when nobody is configured, which the notice says), evidence,
    thread link, requester, sla; then its buttons while something is expected, or what was decided,
    acknowledged or assigned. Posted once, then rebuilt for ``chat.update``."""
    link = f"<{row['permalink']}|{tr(lang, 'voir le fil', 'open the thread')}>" if row.get("permalink") else ""
    by = f" — {tr(lang, 'demandé par', 'requested by')} <@{row['requester']}>" if row.get("requester") else ""
    text = (f":rotating_light: *{rule.action(lang)}* {who} — {rule.situation(lang)} ({row['evidence']}). "
            f"{tr(lang, 'Raison', 'Reason')} : {rule.reason(lang)}. "
            f"{tr(lang, 'Bloquant : le bot attend la décision.', 'Blocking: the bot waits for the decision.') if rule.blocking else ''} {link}{by}").strip()
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_CHARS]}}]
    if "<" not in who:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": tr(
            lang, f":warning: Personne n'est configuré pour {who} (MARKETING_BOT_ROLES) : personne ne peut encore agir sur cette alerte.",
            f":warning: Nobody is configured for {who} (MARKETING_BOT_ROLES): nobody can act on this notice yet.")}]})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{rule.seed} · {rule.id} · SLA {rule.sla}"}]})
    status = escalation_status(row, lang)
    if status:
        blocks.append({"type": "context", "block_id": "escalation_status", "elements": [{"type": "mrkdwn", "text": "\n".join(status)}]})
        text += "\n" + "\n".join(status)
    buttons = escalation_buttons(row, rule, lang)
    if buttons:
        blocks.append({"type": "actions", "block_id": "escalation_actions", "elements": buttons})
    return text, blocks


def escalation_line(row: dict, rule, lang: str) -> str:
    """One escalation as a list line (App Home, /escalations): action, situation, evidence, role,
    status, since when, thread link."""
    status = {"open": tr(lang, "ouverte", "open"), "acknowledged": tr(lang, "prise en charge", "acknowledged"),
              "assigned": tr(lang, "assignée", "assigned"), "approved": tr(lang, "approuvée", "approved"),
              "rejected": tr(lang, "refusée", "rejected"), "changes_requested": tr(lang, "changements demandés", "changes requested")}
    link = f" <{row['permalink']}|{tr(lang, 'fil', 'thread')}>" if row.get("permalink") else ""
    blocking = tr(lang, "bloquante", "blocking") if row["blocking"] else ""
    return (f"• *{rule.action(lang)}* — {rule.situation(lang)} ({row['evidence']}) · @{row['role']} · "
            f"{', '.join(x for x in (status.get(row['status'], row['status']), blocking) if x)} · {tr(lang, 'depuis', 'since')} {_when(row.get('created_at'))}{link}")


def reminder(row: dict, rule, who: str, lang: str, fallback: bool) -> str:
    """The reminder posted in a notice's thread once its sla has passed without an answer."""
    waits = tr(lang, "attend toujours une décision", "still waits for a decision") if row["blocking"] else tr(
        lang, "attend toujours une prise en charge", "still waits to be acknowledged")
    late = tr(lang, f" Sans réponse malgré les rappels : @{rule.fallback} peut aussi agir.",
              f" No answer despite the reminders: @{rule.fallback} can act too.") if fallback else ""
    return tr(lang, f":alarm_clock: Rappel {row['reminders']} — {who} : *{rule.action(lang)}* {waits} (SLA {rule.sla}).{late}",
              f":alarm_clock: Reminder {row['reminders']} — {who}: *{rule.action(lang)}* {waits} (SLA {rule.sla}).{late}")
