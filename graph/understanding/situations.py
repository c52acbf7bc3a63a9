"""Escalation situations learned from messages written outside the project.

A multi-label classifier: for each situation id (the rule ids of ``prompts/escalations.yaml``:
revenue-impact, hot-lead, privacy-compliance…), a scikit-learn logistic regression over the
router's features (``graph.router.text_features``: stems, stem pairs and character n-grams of the
number-shaped text; a word under a negation, "n'a pas demandé de démo", is also a feature of its
own: ``graph.router.analyze_negated``), trained on ``prompts/corpus/situations.jsonl`` (the shared corpus's
``train`` split: 416 French and English messages with hard negatives), the team's own
examples (``prompts/corpus/situations_examples.jsonl``) and the specialists' example requests as
messages with no situation. Classes are weighted (``balanced``): each
situation has about 26 positives among 416 messages. Hyper-parameters (C = 10, word and character
2-5-gram features, each rule's ``confidence`` in escalations.yaml) were chosen by 5-fold cross
validation on the train split, never on ``dev``. Trained at first use (about 2 s) and cached on
disk like the router.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from pydantic import BaseModel

from graph.hierarchy import load_hierarchy
from graph.linear import text_model
from graph.router import cached, corpus_rows, text_features

CORPUS_FILES = ("situations.jsonl", "situations_examples.jsonl")
FOLLOW_UP_FILES = ("followups.jsonl", "followups_examples.jsonl")
_CLAUSE = re.compile(r"(?<=[.!?;\n])\s+|\s+(?:but|mais|et du coup|so|donc)\s+")


class Situation(BaseModel):
    """A situation a message may describe: its id (an escalation rule id), the model's
    probability (0-1) and the clause of the message that says it most (its evidence)."""

    id: str
    probability: float
    evidence: str


def examples() -> list[tuple[str, list[str]]]:
    """(text, situation ids) to learn from: every training line of ``prompts/corpus`` (never a
    ``dev`` line); each rule's situation as the seeds name it ("Conflit data/intuition",
    prompts/escalations.yaml); and the specialists' example requests (``prompts/specialists/*.yaml``)
    as ordinary requests with no situation. Without them a KPI or A/B request is read as a situation
    a quarter of the time; with them 3 % (benchmarks/routing_set.jsonl), at the same
    cross-validated F1 on the corpus."""
    hierarchy = load_hierarchy()
    out: list[tuple[str, list[str]]] = [
        (text, []) for node in hierarchy.specialists() for text in node.examples
    ]
    out += [
        (text, [rule.id])
        for rule in hierarchy.escalations
        for text in (rule.situation.fr, rule.situation.en)
    ]
    out += [(row["text"], list(row.get("situations") or [])) for row in corpus_rows(CORPUS_FILES)]
    # follow-ups after a deliverable ("and for december with 55k?", "A got 540 clicks, B 610"):
    # operations on a request, with no situation of their own; without them a short message of
    # figures reads as abnormal behaviour (24 of the 288 train follow-ups raised a situation)
    out += [(row["message"], []) for row in corpus_rows(FOLLOW_UP_FILES)]
    return out


class SituationModel:
    """One binary classifier per situation over shared text features, trained with scikit-learn
    and kept as arrays (graph.linear.TextModel)."""

    def __init__(self, rows: list[tuple[str, list[str]]]):
        """``rows``: (text, situation ids) training pairs."""
        from sklearn.linear_model import LogisticRegression  # training only: slow to import

        self.labels = sorted({s for _, situations in rows for s in situations})
        features = text_features(char_grams=(2, 5), negation=True)
        matrix = features.fit_transform([text for text, _ in rows])
        models = [
            LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced").fit(
                matrix, [label in situations for _, situations in rows]
            )
            for label in self.labels
        ]
        self.model = text_model(features, models, softmax=False)
        self.together = {
            (a, b) for _, situations in rows for a in situations for b in situations if a != b
        }

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """P(situation | text), one row per text, one column per ``self.labels`` entry."""
        return self.model.predict_proba(texts)

    def read(self, text: str) -> dict[str, Situation]:
        """Every situation of ``text`` by id, with its probability and its evidence: the clause
        (sentence, or part around "but"/"mais") the situation is most probable in (see
        :func:`_quoted`)."""
        clauses = [c.strip() for c in _CLAUSE.split(text) if c and c.strip()]
        several = len(clauses) > 1
        probs = self.probabilities([text] + (clauses if several else []))
        out = {}
        for j, label in enumerate(self.labels):
            best = _quoted(clauses, int(np.argmax(probs[1:, j]))) if several else text
            out[label] = Situation(id=label, probability=float(probs[0, j]), evidence=best[:160])
        return out


# A situation read beside a near-certain one it never comes with in the training messages must be
# read clearly: "a customer wants his data deleted under GDPR" is privacy at 0.96, and the data vs
# intuition conflict it also suggests (0.44: "il veut que") is that message's wording, not a second
# situation. No dev message changes; the training messages say which pairs come together.
CERTAIN, CLEAR = 0.9, 0.5


def overshadowed(situation: Situation, read: dict[str, Situation]) -> bool:
    """Whether ``situation`` (read under CLEAR) sits beside a situation of ``read`` at CERTAIN or
    more that no training message ever gives together with it (``SituationModel.together``)."""
    together = situation_model().together
    return situation.probability < CLEAR and any(
        other.probability >= CERTAIN and (other.id, situation.id) not in together
        for other in read.values()
        if other.id != situation.id
    )


def _quoted(clauses: list[str], k: int) -> str:
    """Clause ``k`` as the evidence, with the clause before it when it is a short question that
    refers to it ("… une liste achetée à un salon, sans opt-in. c'est ok ?")."""
    if k and len(clauses[k].split()) < 4:
        return f"{clauses[k - 1]} {clauses[k]}"
    return clauses[k]


@lru_cache(maxsize=1)
def situation_model() -> SituationModel:
    """The situation model of this process, trained once and cached on disk (graph.router.cached)."""
    return cached("situations", lambda: SituationModel(examples()), __file__)


def situations(text: str) -> dict[str, Situation]:
    """The situations of ``text`` by id (every known id, with its probability)."""
    return situation_model().read(text)
