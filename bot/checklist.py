"""The campaign gate's checklist as Slack shows it: the criteria of ``prompts/gate.yaml`` (the
campaign seed's "Critères de Passage", each with the roles whose members may tick it) rendered as
one message of Block Kit checkboxes with a Launch button (bot/gate.py handles the clicks)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from graph.formatting import date_text
from graph.hierarchy import Localized
from graph.i18n import t
from graph.text import read_yaml

CHECK_ACTION = "gate_check"
LAUNCH_ACTION = "gate_launch"


class Criterion(BaseModel):
    """One criterion of the gate: its id, its label, the roles whose members may tick it."""

    id: str
    label: Localized
    owners: list[str]


class GateRules(BaseModel):
    """prompts/gate.yaml: the criteria in order, the roles that may launch, the reminder's lead
    time (days before the launch date)."""

    criteria: list[Criterion]
    launch: list[str]
    remind_days: int = 3

    def criterion(self, ident: str) -> Criterion | None:
        """The criterion ``ident``, or None (a stale or forged value)."""
        return next((c for c in self.criteria if c.id == ident), None)


@lru_cache(maxsize=1)
def gate_rules() -> GateRules:
    """The packaged prompts/gate.yaml. Raises pydantic.ValidationError when it is malformed."""
    text = resources.files("prompts").joinpath("gate.yaml").read_text(encoding="utf-8")
    return GateRules.model_validate(read_yaml(text))


def role_names(roles: list[str], lang: str) -> str:
    """The roles as marketers name them ('Responsable budget ou Direction')."""
    names = [t(lang, f"gate.roles.{r}") for r in roles]
    return t(lang, "gate.or").join(names)


def _when(stamp: str) -> str:
    """An ISO time as Slack shows dates in each reader's time zone, with a UTC fallback."""
    moment = datetime.fromisoformat(stamp)
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short}} {{time}}|{fallback}>"


def _said(criterion: Criterion, check: dict | None, lang: str) -> str:
    """Who ticked ``criterion`` and when (UTC), or who may tick it: an option's description,
    75 characters at most (Slack's limit), so no date token."""
    if not check:
        return role_names(criterion.owners, lang)[:75]
    moment = datetime.fromisoformat(check["checked_at"])
    when = f"{date_text(moment.date(), lang)} {moment:%H:%M} UTC"
    return t(lang, "gate.ticked", user=check["checked_by"], when=when)[:75]


def _option(criterion: Criterion, check: dict | None, lang: str) -> Option:
    return Option(
        value=criterion.id,
        text=MarkdownTextObject(text=criterion.label(lang)),
        description=MarkdownTextObject(text=_said(criterion, check, lang)),
    )


def checklist(gate: dict, checks: dict[str, dict]) -> tuple[str, list[dict[str, Any]]]:
    """(text, blocks) of a gate's message: the criteria as checkboxes (ticked ones with who and
    when), how many are ticked, and the Launch button; once launched, who launched and when,
    without inputs."""
    lang, rules = gate.get("lang") or "fr", gate_rules()
    title = t(lang, "gate.title", date=date_text(gate["launch_date"], lang))
    done = sum(c.id in checks for c in rules.criteria)
    count = t(lang, "gate.count", done=done, total=len(rules.criteria))
    options = [_option(c, checks.get(c.id), lang) for c in rules.criteria]
    if gate.get("status") == "execution":
        launched = t(
            lang, "gate.launched", user=gate["launched_by"], when=_when(gate["launched_at"])
        )
        lines = [f"✓ {c.label(lang)} — {_said(c, checks.get(c.id), lang)}" for c in rules.criteria]
        blocks = [
            SectionBlock(block_id="gate_title", text=MarkdownTextObject(text=f"*{title}*")),
            SectionBlock(block_id="gate_done", text=MarkdownTextObject(text="\n".join(lines))),
            ContextBlock(elements=[MarkdownTextObject(text=launched)]),
        ]
        return f"{title} — {launched}", [b.to_dict() for b in blocks]
    boxes = CheckboxesElement(
        action_id=CHECK_ACTION,
        options=options,
        initial_options=[o for o in options if o.value in checks] or None,  # [] is refused
    )
    launch = ButtonElement(
        action_id=LAUNCH_ACTION,
        text=t(lang, "gate.launch"),
        value=gate["thread_key"],
        style="primary",
    )
    blocks = [
        SectionBlock(block_id="gate_title", text=MarkdownTextObject(text=f"*{title}*")),
        ActionsBlock(block_id="gate", elements=[boxes]),
        ContextBlock(elements=[MarkdownTextObject(text=count)]),
        ActionsBlock(block_id="gate_launch", elements=[launch]),
    ]
    return f"{title} ({count})", [b.to_dict() for b in blocks]
