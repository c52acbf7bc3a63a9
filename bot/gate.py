"""The go/no-go gate of a campaign: the campaign seed's "Critères de passage" as a live checklist.

``prompts/gate.yaml`` lists the six criteria (seeds/campagnes-orchestrator.md, "Critères de
Passage"), each with the roles of the role map (MARKETING_BOT_ROLES) whose members may tick it,
the roles whose members may launch, and how many days before the launch date the owners of open
criteria are pinged. A campaign plan's Slack thread gets the checklist as one message (Block Kit
checkboxes and a Launch button: bot.delivery.GatePost), edited in place as ticks come
(bot.delivery.GateUpdate). Every tick, refusal and the launch is recorded with who and when
(graph/storage/gates.py: the gate's audit trail); a tick by someone outside the criterion's roles
is refused naming who may tick it, and Launch is refused while criteria are open, naming them.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.checklist import gate_rules, role_names
from bot.delivery import GateUpdate, own_text
from bot.delivery import row as outbox_row
from bot.render import thread_link
from bot.viewing import follow_up
from graph.formatting import date_text
from graph.i18n import t
from graph.threads import Thread

# follow-ups whose words carry the change, as does a new figure stated ("le budget passe à 45 k€");
# a factor ("double le budget") is applied by the graph to the thread's last deliverable only
CORRECTIONS = ("correct", "change_period", "new_figures")

if TYPE_CHECKING:
    from bot.app import SlackBot


class Gatekeeper:
    """Ticks, launches and reminders of campaign gates, for ``bot`` (bot.app.SlackBot): its store
    (``store.gates``), its role directory (``desk.directory``) and its outbox."""

    def __init__(self, bot: SlackBot):
        self.bot = bot

    def allowed(self, user: str, roles: list[str]) -> bool:
        """True when ``user`` holds one of ``roles`` (a user group's members count)."""
        return any(user in self.bot.desk.directory.members(r) for r in roles)

    def who(self, roles: list[str], lang: str) -> str:
        """Who holds ``roles`` (mentions), or that nobody is configured for them."""
        directory = self.bot.desk.directory
        if not any(directory.ids(r) for r in roles):
            return t(lang, "gate.nobody", roles=", ".join(f"@{r}" for r in roles))
        return " ".join(directory.mention(r) for r in roles if directory.ids(r))

    def tick(self, client, body: dict) -> None:
        """A click on the checklist: each criterion whose box changed is ticked or unticked when
        the user holds one of its roles, else refused (recorded, and told ephemerally who may);
        the message is then rebuilt from what is recorded, so a refused box goes back."""
        gate, user = self._gate(body), body["user"]["id"]
        if gate is None or gate["status"] != "planning":
            return
        rules, lang, key = gate_rules(), gate.get("lang") or "fr", gate["thread_key"]
        selected = {o["value"] for o in body["actions"][0].get("selected_options") or []}
        checks = self.bot.store.gates.checks(key)
        for ident in sorted(selected ^ set(checks)):
            criterion = rules.criterion(ident)
            if criterion is None:
                continue
            if self.allowed(user, criterion.owners):
                self.bot.store.gates.tick(key, ident, user, ident in selected)
                continue
            refusal = t(
                lang,
                "gate.refused",
                criterion=criterion.label(lang),
                roles=role_names(criterion.owners, lang),
                who=self.who(criterion.owners, lang),
            )
            self._refuse(client, gate, user, ("refused", ident), refusal)
        self.refresh(key)

    def launch(self, client, body: dict) -> None:
        """The Launch button: refused to someone outside the launch roles, and while criteria are
        open (naming them); else the campaign moves to execution, recorded with who and when, the
        checklist shows it and the thread says so."""
        gate, user = self._gate(body), body["user"]["id"]
        if gate is None or gate["status"] != "planning":
            return
        rules, lang, key = gate_rules(), gate.get("lang") or "fr", gate["thread_key"]
        if not self.allowed(user, rules.launch):
            who, roles = self.who(rules.launch, lang), role_names(rules.launch, lang)
            refusal = t(lang, "gate.launch_not_yours", roles=roles, who=who)
            self._refuse(client, gate, user, ("launch_refused", ""), refusal)
            return
        checks = self.bot.store.gates.checks(key)
        missing = [c.label(lang) for c in rules.criteria if c.id not in checks]
        if missing:
            refusal = t(lang, "gate.missing", criteria="\n".join(f"• {m}" for m in missing))
            self._refuse(client, gate, user, ("launch_refused", ""), refusal)
            return
        if self.bot.store.gates.launch(key, user):
            self.refresh(key)
            self._say(gate, f"gate-launched:{key}", t(lang, "gate.launched_thread", user=user))

    def remind(self, today: date) -> int:
        """Ping, in its thread, the owners of the criteria still open of each campaign launching
        within ``remind_days`` of ``today``; once per gate and launch date (a guarded UPDATE, so
        one replica posts it). Returns how many gates were reminded."""
        rules, sent = gate_rules(), 0
        for gate in self.bot.store.gates.due(
            (today + timedelta(days=rules.remind_days)).isoformat()
        ):
            checks, lang = self.bot.store.gates.checks(gate["thread_key"]), gate.get("lang") or "fr"
            open_ = [c for c in rules.criteria if c.id not in checks]
            if not open_ or not self.bot.store.gates.claim_reminder(gate["thread_key"]):
                continue
            lines = [f"• {c.label(lang)} — {self.who(c.owners, lang)}" for c in open_]
            text = t(
                lang,
                "gate.reminder",
                date=date_text(gate["launch_date"], lang),
                criteria="\n".join(lines),
            )
            self.bot.store.gates.record(gate["thread_key"], "reminded", "")
            self._say(gate, f"gate-reminder:{gate['thread_key']}:{gate['launch_date']}", text)
            sent += 1
        return sent

    def home_lines(self, team: str, user: str, lang: str) -> list[str]:
        """One App Home line per campaign of ``team`` still in planning: its thread, its launch
        date, how many criteria are ticked, and those open that ``user`` may tick."""
        rules, lines = gate_rules(), []
        for gate in self.bot.store.gates.all_gates(team):
            if gate["status"] != "planning" or not gate.get("thread_ts"):
                continue
            checks = self.bot.store.gates.checks(gate["thread_key"])
            mine = [
                c.label(lang)
                for c in rules.criteria
                if c.id not in checks and self.allowed(user, c.owners)
            ]
            label = t(lang, "gate.home_line", date=date_text(gate["launch_date"], lang))
            count = t(lang, "gate.count", done=len(checks), total=len(rules.criteria))
            yours = t(lang, "gate.home_yours", criteria=", ".join(mine)) if mine else ""
            link = thread_link(gate["channel"], gate["thread_ts"], label)
            lines.append(f"• {link} — {count}{yours}")
        return lines[:15]

    def refresh(self, thread_key: str) -> None:
        """Rebuild the checklist's message from what is recorded (chat.update, in the thread's
        outbox lane, so after the checklist's own post)."""
        key = f"gate-update:{thread_key}:{uuid.uuid4().hex}"
        op = GateUpdate(thread_key=thread_key)
        self.bot.enqueue([outbox_row(f"thread:{thread_key}", key, op)])

    def corrected_brief(self, thread: Thread, text: str) -> str | None:
        """The campaign brief with ``text`` after it when ``text``, in the thread of a campaign
        still in planning, corrects its figures or dates or states a new one ("oups c'est 40 k€",
        "le budget passe à 45 k€", "on décale au 8 juillet"): the plan and the budget split are
        then made again from it, so the plan's canvas and the checklist's launch date follow.
        None otherwise (the thread's specialist answers as usual)."""
        gate = self.bot.store.gates.gate(thread.key)
        if gate is None or gate["status"] != "planning":
            return None
        request = self.bot.conversations.request(thread)
        operation = follow_up(request, text)
        stated = operation is not None and operation.op == "scale" and operation.value is not None
        if operation is None or (operation.op not in CORRECTIONS and not stated):
            return None
        return f"{request}\n{text}"

    def _refuse(self, client, gate: dict, user: str, event: tuple[str, str], text: str) -> None:
        """Record a refused click (``event``: the audit event and its criterion) and tell
        ``user`` why, ephemerally."""
        self.bot.store.gates.record(gate["thread_key"], event[0], user, event[1])
        self.bot.ephemeral(client, gate["channel"], user, text)

    def _say(self, gate: dict, key: str, text: str) -> None:
        """Post the bot's own ``text`` (its mentions ping) in the gate's thread, once per ``key``."""
        thread = Thread(gate["team"], gate["channel"], gate["thread_ts"])
        self.bot.enqueue([outbox_row(f"thread:{gate['thread_key']}", key, own_text(thread, text))])

    def _gate(self, body: dict) -> dict | None:
        """The gate a click on a checklist message belongs to (its thread), or None."""
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id", "")
        thread_ts = message.get("thread_ts") or message.get("ts")
        team = (body.get("team") or {}).get("id", "")
        return self.bot.store.gates.gate(Thread(team, channel, thread_ts).key)
