"""Escalation rules: the seeds' "Points d'Escalade Humaine" tables applied in code, never by a model.

Rules live in ``prompts/escalations.yaml`` (performance-orchestrator.md and
automation-orchestrator.md). A rule fires on regexes over the folded message, or on a numeric
check over what the understanding layer read: ``revenue_impact_above`` (a % the message ties to
revenue, "CA -15 %", above the threshold), ``lead_score_above`` (a stated or computed lead score
above the threshold), ``company_size_above`` (a company of more employees than the threshold, or
named "grand compte" / "enterprise").
"""

from __future__ import annotations

import re
from typing import Any

from graph.calculators.lead_scoring import stated_score
from graph.hierarchy import EscalationRule
from graph.text import fold
from graph.understanding import Understanding, understand

DECISIONS = ("approved", "rejected", "changes_requested")  # what a decider may answer a blocking rule


def revenue_impact(request: Understanding) -> float | None:
    """Largest |%| the request ties to revenue ("le CA a baissé de 15 %", "revenue by 15%")."""
    impacts = [abs(s.value) for s in request.all("revenue_change", any_arm=True)]
    return max(impacts) if impacts else None


def company_size(request: Understanding, threshold: float) -> str | None:
    """Evidence of a company larger than ``threshold`` employees ('2,000 employees', 'grand
    compte'), or None."""
    for s in request.all("company_size", any_arm=True):
        if s.value > threshold:
            return f"« {s.evidence} »"
    word = request.first("company_size_word")
    return f"« {word.evidence} »" if word and word.value == "enterprise" else None


def evaluate(rules: list[EscalationRule], text: str, facts: dict[str, Any]) -> list[tuple[EscalationRule, str]]:
    """Rules that fire for a request and the facts computed by the specialists.

    ``facts`` may hold ``lead_score`` (points) and ``revenue_impact`` (%). Returns
    [(rule, evidence)] where evidence quotes the value or words that fired the rule."""
    folded, request = fold(text), understand(text)
    fired = []
    for rule in rules:
        evidence = None
        if rule.check == "revenue_impact_above":
            value = facts.get("revenue_impact") or revenue_impact(request)
            evidence = f"{value:g} %" if value is not None and value > rule.threshold else None
        elif rule.check == "lead_score_above":
            value = facts.get("lead_score") or stated_score(text)
            evidence = f"{value} pts" if value is not None and value > rule.threshold else None
        elif rule.check == "company_size_above":
            evidence = company_size(request, rule.threshold)
        if evidence is None:
            m = next((m for p in rule.match if (m := re.search(p, folded))), None)
            evidence = f"« {m.group(0)} »" if m else None
        if evidence:
            fired.append((rule, evidence))
    return fired
