"""ICE prioritisation: Impact × Confidence × Ease (seed performance-orchestrator.md, "Priorisation")."""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.progress import calculator


class IceItem(BaseModel):
    """An idea scored 1-10 on impact, confidence and ease."""

    idea: str
    impact: int = Field(ge=1, le=10)
    confidence: int = Field(ge=1, le=10)
    ease: int = Field(ge=1, le=10)

    @property
    def score(self) -> int:
        """Impact × Confidence × Ease, 1-1000."""
        return self.impact * self.confidence * self.ease


@calculator("ice", "ICE = Impact × Confidence × Ease")
def rank(items: list[IceItem]) -> list[IceItem]:
    """Items by ICE score, highest first; ties broken by impact, then ease, then input order."""
    return sorted(items, key=lambda i: (-i.score, -i.impact, -i.ease))
