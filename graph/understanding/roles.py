"""The role of each figure, learned from messages written outside the project.

The number scanner and the lexicon (graph.understanding.reader) read a number's shape and, when a
word names it, its measure; a number no word names stays generic (a count, a rate, an amount). The
role model reads every figure from its context, as the shared corpus labels figures: a
scikit-learn logistic regression over the stems just before and after the number (position-tagged
for the three nearest), its unit, magnitude and sign, whether it belongs to an A/B arm or a channel,
the type the lexicon gave it, and the message's stems (lightly weighted). Its classes are the
corpus's measures (``figures.jsonl``: 76 fixed measures such as signups, discount, budget_share,
delay, plus ``other:<name>``). Trained on ``prompts/corpus/figures.jsonl`` (the corpus's ``train``
split, 416 messages, 1 323 figures the scanner finds) and the team's readings kept from the
reading form (``figures_examples.jsonl``: ``marketing-bot labelled --figures``), never on ``dev``; C = 10 was chosen by
5-fold cross-validation on train grouped by message. Trained at start (graph.conversations) and
cached on disk like the router.

The role is carried in the Reading (graph.understanding.reading); it does not rename the
lexicon's slots, which deliverables bind (naming generic slots with it changed nothing on the
conversation benchmarks). ``TYPE_OF_ROLE`` folds the corpus's measures into those slot types for
benchmarks/understanding.py --figures.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from graph.linear import DictModel, dict_model
from graph.router import cached, corpus_rows
from graph.text import stem
from graph.understanding.lexicon import words
from graph.understanding.numbers import fold_map
from graph.understanding.slots import Slot, Understanding

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

CORPUS_FILES = ("figures.jsonl", "figures_examples.jsonl")
TYPE_OF_ROLE = {
    "conversions": "conversions",
    "signups": "conversions",
    "leads": "conversions",
    "orders": "orders",
    "visitors": "visitors",
    "sessions": "visitors",
    "daily_traffic": "daily_traffic",
    "monthly_traffic": "monthly_traffic",
    "revenue": "revenue",
    "spend": "spend",
    "budget": "budget",
    "roas": "roas",
    "cpa": "cpa",
    "cpl": "cpa",
    "cac": "cpa",
    "cpc": "cpc",
    "cpm": "cpm",
    "ctr": "ctr",
    "open_rate": "open_rate",
    "conversion_rate": "conversion_rate",
    "baseline_rate": "conversion_rate",
    "target_rate": "target_rate",
    "mde_relative": "mde",
    "mde_absolute": "mde",
    "lift": "change",
    "aov": "aov",
    "arpu": "arpu",
    "rpv": "rpv",
    "list_size": "list_size",
    "company_size": "company_size",
    "lead_score": "lead_score",
    "variants": "variants",
    "traffic_share": "traffic_share",
    "sample_size": "planned_sample",
    "touches": "touches",
    "duration": "duration",
    "bounce_rate": "bounce_rate",
    "churn_rate": "churn_rate",
    "impressions": "impressions",
    "clicks": "clicks",
    "pageviews": "pageviews",
    "customers": "customers",
    "repeat_customers": "repeat_customers",
    "revenue_change": "revenue_change",
    "churned_customers": "churned",
    "referred_users": "referred",
    "detractors": "detractors",
    "promoters": "promoters",
    "respondents": "respondents",
    "exits": "exits",
    "bounces": "bounces",
    "discount": "discount",
}
"""The slot type (prompts/lexicon.yaml's measures, or a generic type) each corpus measure binds as."""


def features(understood: Understanding, slot: Slot, message: set[str]) -> dict[str, float]:
    """The context of ``slot`` in ``understood.text`` as sparse features: stems before (l0-l2
    nearest, L any of six) and after (r0-r1, R any of four), letter trigrams of the two nearest
    words each side (0.5), unit, lexicon type, order of magnitude, integer or not, the sign
    written, arm, channel, currency, and the message's stems ``message`` (0.3)."""
    text = understood.text
    before, after = (
        words(text[max(0, slot.start - 70) : slot.start])[-6:],
        words(text[slot.end : slot.end + 50])[:4],
    )
    out: dict[str, float] = {}
    for i, word in enumerate(reversed(before)):
        out[f"L={stem(word)}"] = 1.0
        if i < 3:
            out[f"l{i}={stem(word)}"] = 1.0
    for i, word in enumerate(after):
        out[f"R={stem(word)}"] = 1.0
        if i < 2:
            out[f"r{i}={stem(word)}"] = 1.0
    # letter trigrams of the two nearest words each side: typos, franglais and inflections
    # ("conv", "convs", "conversions") share them (+2 points in 5-fold cross-validation on train)
    for word in before[-2:] + after[:2]:
        word = stem(word)
        out.update({f"c={word[i : i + 3]}": 0.5 for i in range(len(word) - 2)})
    value = float(slot.value) if isinstance(slot.value, (int, float)) else 0.0
    out.update(
        {
            f"unit={slot.unit}": 1.0,
            f"type={slot.type}": 1.0,
            f"int={value.is_integer()}": 1.0,
            f"magnitude={int(math.log10(abs(value))) if value else -9}": 1.0,
        }
    )
    written = slot.evidence.lstrip()[:1]
    out[f"sign={written if written in '+-−' else ''}"] = 1.0  # "+12 %" is a change, "-20 %" off
    for flag, on in (("arm", slot.arm), ("channel", slot.channel), ("currency", slot.currency)):
        if on:
            out[flag] = 1.0
    out.update({f"M={s}": 0.3 for s in message})
    return out


def figure_slots(understood: Understanding) -> list[Slot]:
    """The slots of ``understood`` that are numbers (figures and delays), in text order."""
    return [
        s
        for s in understood.slots
        if isinstance(s.value, (int, float)) and not isinstance(s.value, bool)
    ]


def aligned(
    text: str, figures: list[dict], understood: Understanding
) -> list[tuple[dict, Slot | None]]:
    """Each labelled figure of the corpus (its ``surface`` in ``text``) with the scanner's slot
    whose span overlaps it, or None when the scanner did not read it."""
    folded, where = fold_map(text)
    slots, taken, out = figure_slots(understood), set(), []
    for figure in figures:
        start = text.find(figure["surface"])
        end = start + len(figure["surface"])
        hit = next(
            (
                k
                for k, s in enumerate(slots)
                if k not in taken
                and start >= 0
                and where[s.start] < end
                and where[min(s.end, len(where) - 1)] > start
            ),
            None,
        )
        if hit is not None:
            taken.add(hit)
        out.append((figure, slots[hit] if hit is not None else None))
    return out


def examples(rows: list[dict] | None = None) -> tuple[list[dict[str, float]], list[str], list[str]]:
    """(features, measure, message id) of every labelled figure the scanner reads in ``rows``
    (default: the training lines of ``prompts/corpus``; never a ``dev`` line)."""
    from graph.understanding.reader import understand

    feats, labels, groups = [], [], []
    for row in rows if rows is not None else corpus_rows(CORPUS_FILES):
        understood = understand(row["text"])
        message = {stem(w) for w in words(understood.text)}
        for figure, slot in aligned(row["text"], row["figures"], understood):
            if slot is not None:
                feats.append(features(understood, slot, message))
                labels.append(figure["measure"])
                groups.append(row["id"])
    return feats, labels, groups


def train(feats: list[dict[str, float]], labels: list[str], c: float = 10.0) -> Pipeline:
    """A fitted DictVectorizer + multinomial logistic regression (scikit-learn)."""
    from sklearn.feature_extraction import DictVectorizer  # training only: slow to import
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    # tol 1e-3 (lbfgs stops sooner): a third of the training time, the same accuracy in 5-fold
    # cross-validation on train grouped by message (0.495 against 0.497 at the default 1e-4)
    return make_pipeline(DictVectorizer(), LogisticRegression(C=c, max_iter=3000, tol=1e-3)).fit(
        feats, labels
    )


def _trained() -> DictModel:
    """The role model trained on the corpus's training lines, kept as arrays (graph.linear)."""
    pipeline = train(*examples()[:2])
    return dict_model(pipeline[0], pipeline[-1])


@lru_cache(maxsize=1)
def role_model() -> DictModel:
    """The role model of this process, trained once and cached on disk (graph.router.cached);
    its features come from the reader, so every module of graph/understanding is in the cache's
    fingerprint: a change to the reader trains it again."""
    return cached("roles", _trained, *sorted(str(p) for p in Path(__file__).parent.glob("*.py")))


def role_probabilities(understood: Understanding) -> list[tuple[Slot, dict[str, float]]]:
    """(slot, {corpus measure: probability 0-1}) of every number ``understood`` holds, in text order."""
    slots = figure_slots(understood)
    if not slots:
        return []
    message = {stem(w) for w in words(understood.text)}
    model = role_model()
    probs = model.predict_proba([features(understood, s, message) for s in slots])
    return [
        (s, dict(zip(map(str, model.classes_), map(float, row)))) for s, row in zip(slots, probs)
    ]


def roles(understood: Understanding) -> list[tuple[Slot, str, float]]:
    """(slot, corpus measure, probability 0-1) of every number ``understood`` holds, in text order."""
    return [
        (s, max(dist, key=lambda m: dist[m]), max(dist.values()))
        for s, dist in role_probabilities(understood)
    ]
