"""Escalations people can act on: notices posted once per rule and thread, who may decide or
acknowledge them, decisions recorded once, and reminders at each rule's SLA.

The rules are ``prompts/escalations.yaml`` (the seeds' "Points d'Escalade Humaine" tables); the
role map is :mod:`bot.roles`. The Slack side (buttons, modals, ``chat.update``, reminders in the
notice's thread) is in :mod:`bot.app` and ``bot/listeners/``; the terminal chat uses the same desk.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.render import notice
from bot.roles import Directory
from graph.hierarchy import EscalationRule
from graph.i18n import t
from graph.storage import Store, iso
from graph.text import fold

log = logging.getLogger(__name__)

# Typed decisions: the message must start with one of these explicit words ("ok", "oui", "go",
# "yes" decide nothing); a rejection or a change request needs its reason after the word.
_E = "[eéèêE]"
_TYPED = re.compile(
    rf"^\s*(?:d{_E}cision\s*:\s*)?(valid{_E}{_E}?s?|approuv{_E}{_E}?s?|approved|refus{_E}{_E}?s?|rejet{_E}{_E}?s?|"
    rf"rejected|changements? demand{_E}{_E}?s?|changes requested)(?![\w-])[\s.,;:!\-–—]*(.*)$",
    re.S | re.I,
)
_TYPED_DECISION = {
    "valid": "approved",
    "approu": "approved",
    "approv": "approved",
    "refus": "rejected",
    "rejet": "rejected",
    "rejec": "rejected",
    "chang": "changes_requested",
}


def typed_decision(text: str) -> tuple[str, str] | None:
    """(decision, reason) when ``text`` is an explicit decision ("validé", "approved", "refusé :
    trop risqué", "rejected - brand risk", "changes requested: test on 10 % only"), else None.
    A rejection or change request without a reason is not a decision."""
    m = _TYPED.match(text)
    if not m:
        return None
    decision = next(v for k, v in _TYPED_DECISION.items() if fold(m[1]).startswith(k))
    reason = m[2].strip()
    if decision != "approved" and not reason:
        return None
    return decision, reason[:1000]


@dataclass
class Reminder:
    """One reminder to post in a notice's thread: the row after it was claimed, the mentions to
    ping, and whether the fallback role was added."""

    row: dict
    rule: EscalationRule
    who: str
    fallback: bool


class Desk:
    """Who may act on an escalation, and recording what they do (store + audit trail).

    ``remind_after`` (seconds, ESCALATION_REMIND_AFTER) overrides every rule's sla; after
    ``fallback_after`` reminders to the role alone, the next ones also ping (and empower) the rule's
    fallback role; after ``max_reminders`` no more reminders are sent."""

    def __init__(
        self,
        store: Store,
        directory: Directory,
        rules: list[EscalationRule],
        remind_after: float | None = None,
        fallback_after: int = 2,
        max_reminders: int = 5,
    ):
        self.store, self.directory = store, directory
        self.rules = {r.id: r for r in rules}
        self.remind_after, self.fallback_after, self.max_reminders = (
            remind_after,
            fallback_after,
            max_reminders,
        )

    def rule(self, row: dict) -> EscalationRule:
        """The rule of an escalations row. Raises KeyError for a rule no longer in escalations.yaml."""
        return self.rules[row["rule"]]

    def roles(self, row: dict) -> list[str]:
        """The roles that may act on ``row``: its role, plus the rule's fallback once the
        reminders reached ``fallback_after``."""
        rule = self.rule(row)
        late = rule.fallback and (row.get("reminders") or 0) > self.fallback_after
        return [row["role"]] + ([rule.fallback] if late else [])

    def who(self, row: dict) -> str:
        """The mentions of the roles that may act on ``row``."""
        return " ".join(self.directory.mention(r) for r in self.roles(row))

    def holds(self, row: dict, user: str) -> bool:
        """True when ``user`` holds one of the roles that may act on ``row``."""
        return any(user in self.directory.members(r) for r in self.roles(row))

    def may_act(self, row: dict, user: str) -> bool:
        """True when ``user`` holds a role of ``row`` and, for a blocking rule, is not the
        requester (unless the rule has ``self_approval``)."""
        if not self.holds(row, user):
            return False
        return not (
            row["blocking"] and user == row.get("requester") and not self.rule(row).self_approval
        )

    def refusal(self, row: dict, user: str, lang: str) -> str:
        """Why ``user`` may not act on ``row``, naming who can (the ephemeral answer to a click)."""
        roles = ", ".join(f"@{r}" for r in self.roles(row))
        if not any(self.directory.ids(r) for r in self.roles(row)):
            return t(lang, "escalations.nobody_configured_roles_marketing", roles=roles)
        if user == row.get("requester") and self.holds(row, user):
            return t(
                lang,
                "escalations.raised_escalation_another_member",
                roles=roles,
                value=self.who(row),
            )
        verb = t(lang, "escalations.decide") if row["blocking"] else t(lang, "escalations.act_on")
        return t(
            lang, "escalations.only_members_roles_can", roles=roles, verb=verb, value=self.who(row)
        )

    def deny(self, row: dict, user: str, action: str) -> None:
        """Log a refused attempt (``action``: approved, acknowledge…) in the audit trail."""
        self.store.escalations.add_escalation_event(row["id"], "denied", user, action)

    def open(self, team: str, limit: int = 100) -> list[dict]:
        """Open escalations of workspace ``team`` whose rule is still in escalations.yaml, newest first."""
        return [
            r
            for r in self.store.escalations.open_escalations(team, limit=limit)
            if r["rule"] in self.rules
        ]

    def open_for(self, team: str, user: str, rows: list[dict] | None = None) -> list[dict]:
        """Open escalations of workspace ``team`` that ``user`` may act on, newest first (among ``rows`` when given)."""
        return [r for r in (self.open(team) if rows is None else rows) if self.may_act(r, user)]

    def waiting(self, thread_key: str, rules: list[str]) -> list[dict]:
        """The open blocking escalations of a thread for the rule ids ``rules`` (a decision_pending)."""
        return [
            r
            for r in self.store.escalations.escalations_of(thread_key)
            if r["status"] == "open" and r["blocking"] and r["rule"] in rules
        ]

    def typed(self, thread_key: str, rules: list[str], user: str, text: str) -> dict | None:
        """A decision typed in the requester's thread: recorded (and the row returned) only when
        the text is an explicit decision (:func:`typed_decision`) and ``user`` may decide one of
        the waiting escalations; else None and nothing changes."""
        verdict = typed_decision(text)
        if not verdict:
            return None
        for row in self.waiting(thread_key, rules):
            if self.may_act(row, user):
                return self.store.escalations.decide(row["id"], verdict[0], user, verdict[1])
            self.deny(row, user, verdict[0])
        return None

    @staticmethod
    def resume_value(row: dict) -> dict:
        """What the waiting graph is resumed with: {"decision", "by", "reason", "rule"}."""
        return {
            "decision": row["status"],
            "by": row["decided_by"],
            "reason": row.get("reason") or "",
            "rule": row["rule"],
        }

    def first_due(self, start: datetime, rule: EscalationRule) -> str:
        """When a notice raised at ``start`` gets its first reminder (ISO)."""
        return iso(rule.due(start, self.remind_after))

    def due_reminders(self, at: datetime) -> list[Reminder]:
        """Claim the reminders due at ``at``: each open escalation past its due time gets one (the
        claim is atomic, so a reminder is never sent twice), with the next one planned one sla
        later, until ``max_reminders``."""
        out = []
        for row in self.store.escalations.due_reminders(iso(at)):
            if row["rule"] not in self.rules:
                continue
            rule, count = self.rules[row["rule"]], row.get("reminders") or 0
            next_at = (
                iso(rule.due(at, self.remind_after)) if count + 1 < self.max_reminders else None
            )
            after = {**row, "reminders": count + 1}
            claimed = self.store.escalations.claim_reminder(
                row["id"], count, next_at, " ".join(self.roles(after))
            )
            if claimed:
                out.append(Reminder(claimed, rule, self.who(claimed), len(self.roles(claimed)) > 1))
        return out

    def undecidable(self) -> list[str]:
        """The blocking rules whose role and fallback role both have nobody configured, as
        'rule (role, fallback)': their threads would wait for a decision nobody may take."""
        members = self.directory
        return [
            f"{r.id} ({', '.join(x for x in (r.role, r.fallback) if x)})"
            for r in self.rules.values()
            if r.blocking
            and not members.ids(r.role)
            and not (r.fallback and members.ids(r.fallback))
        ]

    def warn_unconfigured(self) -> None:
        """Log one warning naming the escalation roles (and fallbacks) nobody is configured for."""
        rules = self.rules.values()
        unconfigured = self.directory.unconfigured(
            [r.role for r in rules] + [r.fallback for r in rules if r.fallback]
        )
        if unconfigured:
            log.warning(
                "escalation roles with nobody configured (MARKETING_BOT_ROLES): %s; their notices say so and nobody can act on them",
                ", ".join(unconfigured),
            )


PostNotice = Callable[
    [str, list, str], None
]  # (text, blocks, escalation id): post (or queue) the notice
SendDirect = Callable[[str, str, str], None]  # (user id, text, escalation id): a direct message


class EscalationNotifier:
    """Posts each rule's notice once per thread (checked in the escalations table) and records it;
    a rule with ``dm`` also sends the role's members a direct message."""

    def __init__(
        self,
        desk: Desk,
        thread,
        post: PostNotice,
        permalink: Callable[[], str] = lambda: "",
        direct: SendDirect | None = None,
    ):
        """``thread``: the requester's graph.threads.Thread."""
        self.desk, self.thread, self.post, self.permalink, self.direct = (
            desk,
            thread,
            post,
            permalink,
            direct,
        )

    def notify(self, rule: EscalationRule, evidence: str, lang: str) -> None:
        """Post the notice for ``rule`` unless the thread already has an open one; a rule raised
        again after "changes requested" gets a new notice (id suffixed :2, :3…)."""
        store = self.desk.store
        earlier = [
            r for r in store.escalations.escalations_of(self.thread.key) if r["rule"] == rule.id
        ]
        if any(r["status"] == "open" for r in earlier):
            return
        base = f"{self.thread.key}:{rule.id}"
        row = {
            "id": f"{base}:{len(earlier) + 1}" if earlier else base,
            "thread_key": self.thread.key,
            "rule": rule.id,
            "role": rule.role,
            "action": rule.action(lang),
            "blocking": int(rule.blocking),
            "status": "open",
            "evidence": evidence,
            "permalink": self.permalink(),
            "lang": lang,
            "requester": self.thread.user or "",
            "reminders": 0,
            "next_reminder_at": self.desk.first_due(datetime.now(UTC), rule),
            "resumed": 0,
        }
        text, blocks = notice(row, rule, self.desk.who(row), lang)
        store.escalations.save_escalation(row)  # first: the notice's buttons name this row
        self.post(text, blocks, row["id"])
        if rule.dm and self.direct:
            for user in sorted(self.desk.directory.members(rule.role)):
                self.direct(user, text, row["id"])
