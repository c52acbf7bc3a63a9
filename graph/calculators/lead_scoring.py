"""Lead scoring from the configured model ``prompts/lead_scoring.yaml`` (seed
automation-orchestrator.md: "Lead Scoring Model" template; "Lead score > 80 -> hot lead" escalation)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel

from graph.hierarchy import Localized
from graph.progress import calculator
from graph.text import fold
from graph.understanding import Understanding, understand


class SlotCondition(BaseModel):
    """A criterion read from the understanding layer: a slot of ``type`` whose value is at least
    ``min`` (company size in employees) or whose value or group is one of ``values``
    (a decision-maker job title, an 'enterprise' company)."""

    type: str
    min: float | None = None
    values: list[str] = []

    def evidence(self, request: Understanding) -> str | None:
        """The words that meet the condition, or None."""
        for s in request.all(self.type):
            if self.min is not None and isinstance(s.value, (int, float)) and s.value >= self.min:
                return s.evidence
            if self.values and (s.value in self.values or s.unit in self.values):
                return s.evidence
        return None


class Criterion(BaseModel):
    """A scoring criterion: label, points (negative for negative criteria), kind, regexes over the
    folded description, and conditions on its slots (job title, company size)."""

    label: Localized
    points: int
    kind: str
    match: list[str] = []
    slots: list[SlotCondition] = []

    def evidence(self, text: str, request: Understanding) -> str | None:
        """What in the description meets the criterion ('CMO', '2,000', 'demo'), or None."""
        for condition in self.slots:
            if found := condition.evidence(request):
                return found
        m = next((m for p in self.match if (m := re.search(p, text))), None)
        return m.group(0) if m else None


class ScoringModel(BaseModel):
    """Criteria and the MQL and SQL thresholds, in points."""

    mql: int
    sql: int
    criteria: list[Criterion]

    def status(self, score: int) -> str:
        """'SQL', 'MQL' or 'lead' for a score in points."""
        return "SQL" if score >= self.sql else "MQL" if score >= self.mql else "lead"


@lru_cache(maxsize=1)
def load_model() -> ScoringModel:
    """The scoring model from ``prompts/lead_scoring.yaml``. Raises pydantic.ValidationError."""
    text = resources.files("prompts").joinpath("lead_scoring.yaml").read_text(encoding="utf-8")
    return ScoringModel(**yaml.safe_load(text))


@calculator("lead_score", "scoring model prompts/lead_scoring.yaml")
def score_lead(description: str, model: ScoringModel | None = None) -> tuple[int, list[tuple[Criterion, str]]]:
    """Score a lead described in free text ("CMO at a 2,000-employee retailer, requested a demo"):
    (points, [(criterion, the words that met it)]). Job titles and company sizes are read by the
    understanding layer, as the user wrote them."""
    model = model or load_model()
    text, request = fold(description), understand(description)
    hits = [(c, found) for c in model.criteria if (found := c.evidence(text, request))]
    return sum(c.points for c, _ in hits), hits


_STATED = re.compile(r"(?:lead[ _-]?score|score|scor[ee]?s?|note)\D{0,20}?(\d{1,3})(?!\d|\s*%)")


def stated_score(text: str) -> int | None:
    """A lead score written in the message ("lead scoré 85", "score of 92"), or None."""
    m = _STATED.search(fold(text))
    return int(m.group(1)) if m else None
