"""Run-time context handed to every node (LangGraph ``context_schema``) instead of globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from graph.brains import Brain, OfflineBrain
from graph.experiments import ExperimentLog
from graph.hierarchy import EscalationRule, Hierarchy, load_hierarchy
from graph.router import OfflineRouter, default_router
from graph.storage import LabelledExamples


class Notifier(Protocol):
    """Posts an escalation notice; must be idempotent per (thread, rule)."""

    def notify(self, rule: EscalationRule, evidence: str, lang: str) -> None:
        """Post the notice for ``rule`` in the escalation channel."""


class PrintNotifier:
    """Escalation notices for the terminal and LangGraph Studio: printed, once per rule."""

    def __init__(self, channel: str = "#escalations"):
        self.channel, self.sent = channel, set[str]()

    def notify(self, rule: EscalationRule, evidence: str, lang: str) -> None:
        if rule.id not in self.sent:
            self.sent.add(rule.id)
            print(
                f"[{self.channel}] {rule.action(lang)} — {rule.situation(lang)} ({evidence}) → @{rule.role}"
            )


@dataclass
class Context:
    """The hierarchy, the offline router, the brain (offline unless given: graph.brains), where
    escalation notices go, the team's experiment log (graph.experiments.ExperimentLog) and the
    labelled examples users give in threads (graph.storage.LabelledExamples); both None in LangGraph
    Studio, which has no database of ours."""

    hierarchy: Hierarchy = field(default_factory=load_hierarchy)
    router: OfflineRouter = field(default_factory=default_router)
    notifier: Notifier = field(default_factory=PrintNotifier)
    brain: Brain = None  # type: ignore[assignment]  # the offline brain, set in __post_init__
    experiments: ExperimentLog | None = None
    examples: LabelledExamples | None = None

    def __post_init__(self):
        if self.brain is None:
            self.brain = OfflineBrain(self.router)
