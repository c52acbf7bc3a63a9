"""Escalation rules: the seeds' "Points d'Escalade Humaine" tables applied in code, never by a model.

Rules live in ``prompts/escalations.yaml`` (performance-orchestrator.md and
automation-orchestrator.md). A rule fires on regexes over the folded message or on a numeric check:
``revenue_impact_above`` (a % next to CA / chiffre d'affaires / revenue above the threshold) and
``lead_score_above`` (a stated or computed lead score above the threshold).
"""

from __future__ import annotations

import re
from typing import Any

from graph.calculators.lead_scoring import stated_score
from graph.extract import quantities
from graph.hierarchy import EscalationRule
from graph.text import fold

_REVENUE = re.compile(r"\b(ca|chiffre d.affaires?|revenue|revenus?|sales|ventes|turnover|c\.a\.)\b")


def revenue_impact(text: str) -> float | None:
    """Largest |%| written within the clause of a revenue word ("CA +15 %", "revenue by 15%")."""
    folded = fold(text)
    impacts = []
    for q in quantities(text):
        if q.unit != "%":
            continue
        if _REVENUE.search(f" {q.before} {q.after} ") or _REVENUE.search(folded[max(0, q.start - 50): q.start]):
            impacts.append(abs(q.value))
    return max(impacts) if impacts else None


def evaluate(rules: list[EscalationRule], text: str, facts: dict[str, Any]) -> list[tuple[EscalationRule, str]]:
    """Rules that fire for a message and the facts computed by the specialists.

    ``facts`` may hold ``lead_score`` (points) and ``revenue_impact`` (%). Returns
    [(rule, evidence)] where evidence quotes the value or words that fired the rule."""
    folded = fold(text)
    fired = []
    for rule in rules:
        if rule.check == "revenue_impact_above":
            value = facts.get("revenue_impact") or revenue_impact(text)
            if value is not None and value > rule.threshold:
                fired.append((rule, f"{value:g} %"))
        elif rule.check == "lead_score_above":
            value = facts.get("lead_score") or stated_score(text)
            if value is not None and value > rule.threshold:
                fired.append((rule, f"{value} pts"))
        else:
            m = next((m for p in rule.match if (m := re.search(p, folded))), None)
            if m:
                fired.append((rule, f"« {m.group(0)} »"))
    return fired
