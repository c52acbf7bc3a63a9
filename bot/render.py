"""Rendering: every message the graph produces, as plain text (chat, Slack fallback) and Block Kit.

``render(item)`` takes an outbox item or an interrupt payload (dicts with a ``kind``) and returns
(text, blocks). Block Kit limits respected: header 150 chars, section text 3,000, 10 fields of
2,000, 50 blocks (Slack's documented limits).
"""

from __future__ import annotations

import re

from graph.formatting import tr
from graph.hierarchy import load_hierarchy
from graph.router import OUT_OF_SCOPE

MAX_BLOCKS, SECTION_CHARS, HEADER_CHARS, MESSAGE_CHARS = 50, 3000, 150, 12000
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
        return item["markdown"] + "\n\n_" + PATH_SEPARATOR.join(item["path"]) + "_"
    if kind == "handoff":
        if item["team"] == OUT_OF_SCOPE:
            return tr(lang, "Ce n'est pas une demande marketing-ops que je sais traiter.\n", "That is not a marketing-ops request I can handle.\n") + help_text(lang)
        return tr(lang, f"Ce n'est pas mon périmètre : cette demande relève de l'équipe {_team(item['team'], lang)}.",
                  f"That is outside my scope: this request belongs to the {_team(item['team'], lang)} team.")
    if kind == "escalated":
        rule = next(r for r in h.escalations if r.id == item["rule"])
        waiting = tr(lang, " J'attends leur décision avant d'aller plus loin (répondez « validé » ou « refusé » dans ce fil).",
                     " I am waiting for their decision before going further (reply “approved” or “rejected” in this thread).") if item["blocking"] else ""
        return tr(lang, f":rotating_light: Escaladé : {rule.situation(lang)} ({item['evidence']}) → {rule.action(lang)}.",
                  f":rotating_light: Escalated: {rule.situation(lang)} ({item['evidence']}) → {rule.action(lang)}.") + waiting
    if kind == "decision":
        return tr(lang, "Décision reçue : validé, je continue." if item["approved"] else "Décision reçue : refusé. Je m'arrête là pour cette demande.",
                  "Decision received: approved, going on." if item["approved"] else "Decision received: rejected. I stop here for this request.")
    if kind == "decision_pending":
        return tr(lang, "J'attends la décision : répondez « validé » ou « refusé ».", "Waiting for the decision: reply “approved” or “rejected”.")
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


def _mrkdwn(markdown: str) -> str:
    """GitHub Markdown to Slack mrkdwn: tables become bullet rows, **bold** becomes *bold*."""
    out = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\|?(\s*-+\s*\|)+\s*-*\s*\|?", line.strip()):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            line = "• " + " — ".join(cells)
        line = re.sub(r"^- \[ \] ", "☐ ", line)
        line = re.sub(r"^- ", "• ", line)
        out.append(re.sub(r"\*\*(.+?)\*\*", r"*\1*", line))
    return "\n".join(out)


def _sections(text: str) -> list[dict]:
    chunks, current = [], ""
    for line in text.splitlines():
        if len(current) + len(line) + 1 > SECTION_CHARS:
            chunks.append(current)
            current = ""
        current += line[:SECTION_CHARS] + "\n"
    if current.strip():
        chunks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c.rstrip()}} for c in chunks]


def deliverable_blocks(item: dict) -> list[dict]:
    """Header, the overview table as fields, one section per ``##`` heading, a context line with the path.

    Not cut to Block Kit's limits: ``fits`` says whether the blocks can be posted as they are."""
    lines = item["markdown"].splitlines()
    title = lines[0].lstrip("# ").strip()
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": title[:HEADER_CHARS]}}]
    body, i = lines[1:], 0
    fields = []
    while i < len(body) and body[i].startswith("|"):
        cells = [c.strip() for c in body[i].strip().strip("|").split("|")]
        if i >= 2 and len(cells) == 2:
            fields.append({"type": "mrkdwn", "text": f"*{cells[0]}*\n{cells[1]}"[:2000]})
        i += 1
    for start in range(0, len(fields), 10):
        blocks.append({"type": "section", "fields": fields[start:start + 10]})
    for part in re.split(r"^## ", "\n".join(body[i:]), flags=re.M):
        if part.strip():
            heading, _, rest = part.partition("\n")
            blocks.extend(_sections(f"*{heading.strip()}*\n{_mrkdwn(rest.strip())}"))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": PATH_SEPARATOR.join(item["path"])}]})
    return blocks


def fits(text: str, blocks: list[dict]) -> bool:
    """True when a message is within Block Kit's limits: 50 blocks, and a text Slack shows whole (12,000 characters)."""
    return len(blocks) <= MAX_BLOCKS and len(text) <= MESSAGE_CHARS


def summary_blocks(item: dict) -> tuple[str, list[dict]]:
    """A deliverable too long for one message: its header, overview fields and first section, the
    path, and a note that the whole deliverable is attached as a Markdown file."""
    blocks = deliverable_blocks(item)
    head = [b for b in blocks[:-1] if b["type"] == "header" or "fields" in b][:3]
    body = [b for b in blocks[:-1] if b not in head][:1]
    note = tr(item["lang"], "Livrable complet en fichier Markdown ci-dessous.", "Full deliverable attached below as a Markdown file.")
    text = f"{blocks[0]['text']['text']} — {note}"
    return text, head + body + [{"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{PATH_SEPARATOR.join(item['path'])} · {note}"}]}]


def render(item: dict) -> tuple[str, list[dict]]:
    """(text, blocks) for Slack; the text alone is what the chat prints. Buttons: the ambiguity
    choice (``choose_agent_N``) and, on a question with defaults, ``use_defaults``."""
    text = text_of(item)
    if item["kind"] == "deliverable":
        return text, deliverable_blocks(item)
    blocks = _sections(_mrkdwn(text))
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


def notice(rule_id: str, evidence: str, lang: str, who: str, permalink: str, requester: str | None,
           escalation_id: str = "") -> tuple[str, list[dict]]:
    """The escalation notice for ESCALATION_CHANNEL: rule, role mention, evidence, thread link, and an
    "Acknowledge" button (``acknowledge_escalation``, value = the escalation id)."""
    rule = next(r for r in load_hierarchy().escalations if r.id == rule_id)
    link = f"<{permalink}|{tr(lang, 'voir le fil', 'open the thread')}>" if permalink else ""
    by = f" — {tr(lang, 'demandé par', 'requested by')} <@{requester}>" if requester else ""
    text = (f":rotating_light: *{rule.action(lang)}* {who} — {rule.situation(lang)} ({evidence}). "
            f"{tr(lang, 'Raison', 'Reason')} : {rule.reason(lang)}. "
            f"{tr(lang, 'Bloquant : le bot attend la décision.', 'Blocking: the bot waits for the decision.') if rule.blocking else ''} {link}{by}").strip()
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_CHARS]}},
              {"type": "context", "elements": [{"type": "mrkdwn", "text": f"{rule.seed} · {rule.id}"}]}]
    if escalation_id:
        blocks.append({"type": "actions", "block_id": "acknowledge", "elements": [{
            "type": "button", "action_id": "acknowledge_escalation", "value": escalation_id, "style": "primary",
            "text": {"type": "plain_text", "text": tr(lang, "Pris en charge", "Acknowledge")}}]})
    return text, blocks


def acknowledged(blocks: list[dict], user: str, when: str, lang: str) -> list[dict]:
    """A notice's blocks once acknowledged: the button replaced by who acknowledged it and when (UTC)."""
    line = tr(lang, f":white_check_mark: Pris en charge par <@{user}> le {when[:16].replace('T', ' ')} UTC",
              f":white_check_mark: Acknowledged by <@{user}> on {when[:16].replace('T', ' ')} UTC")
    return [b for b in blocks if b.get("block_id") != "acknowledge"] + [
        {"type": "context", "block_id": "acknowledged", "elements": [{"type": "mrkdwn", "text": line}]}]
