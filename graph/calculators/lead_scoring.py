"""Lead scoring from the configured model ``prompts/lead_scoring.yaml`` (seed
automation-orchestrator.md: "Lead Scoring Model" template; "Lead score > 80 -> hot lead" escalation)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel

from graph.hierarchy import Localized
from graph.text import fold


class Criterion(BaseModel):
    """A scoring criterion: label, points (negative for negative criteria), kind, regexes."""

    label: Localized
    points: int
    kind: str
    match: list[str]


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


def score_lead(description: str, model: ScoringModel | None = None) -> tuple[int, list[Criterion]]:
    """Score a lead described in free text: (points, criteria that matched)."""
    model = model or load_model()
    text = fold(description)
    hits = [c for c in model.criteria if any(re.search(p, text) for p in c.match)]
    return sum(c.points for c in hits), hits


_STATED = re.compile(r"(?:lead[ _-]?score|score|scor[ee]?s?|note)\D{0,20}?(\d{1,3})(?!\d|\s*%)")


def stated_score(text: str) -> int | None:
    """A lead score written in the message ("lead scoré 85", "score of 92"), or None."""
    m = _STATED.search(fold(text))
    return int(m.group(1)) if m else None
