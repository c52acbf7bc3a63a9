"""Attribution of conversions to channels from customer journeys.

Heuristic models: first touch, last touch, linear, time decay (half-life in days), position-based
(40 % first, 40 % last, 20 % shared by the middle touches). Data-driven model: first-order Markov
chain with start, conversion and null states, credit proportional to each channel's removal effect
(Anderl, Becker, von Wangenheim & Schumann, "Mapping the customer journey", 2016), the absorbing
probabilities solved exactly with numpy. Seed: analytics-orchestrator.md ("Attribution : Modèle et
analyse", "ROI par canal").
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from pydantic import BaseModel, Field, model_validator

from graph.progress import calculator

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based", "markov")


class Journey(BaseModel):
    """One path: ordered channels, days before the conversion of each touch (same length, optional),
    conversions and non-converting occurrences of this exact path, and the value (€) converted."""

    channels: list[str] = Field(min_length=1)
    days_before: list[float] | None = None
    conversions: float = Field(default=0, ge=0)
    nulls: float = Field(default=0, ge=0)
    value: float = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _same_length(self):
        if self.days_before is not None and len(self.days_before) != len(self.channels):
            raise ValueError("days_before must give one value per touch")
        return self


class AttributionResult(BaseModel):
    """Credited conversions (and value, €) per channel for each model; removal effects (0-1) of the
    Markov model; ROI per channel ((value - spend) / spend, %) when spend was given."""

    conversions: float
    credit: dict[str, dict[str, float]]
    value: dict[str, dict[str, float]]
    removal_effects: dict[str, float]
    roi: dict[str, dict[str, float]] = {}
    method: str


HALF_LIFE_DAYS = 7.0  # time decay: a touch 7 days before the conversion gets half the credit


def weights(journey: Journey, model: str, half_life: float = HALF_LIFE_DAYS) -> list[float]:
    """The share (0-1, summing to 1) of one conversion each touch of ``journey`` gets under a
    heuristic ``model`` (MODELS but markov): first touch, last touch, linear, position-based
    40/20/40, or time decay 2^(−days before / ``half_life``) normalised, the days before taken as
    one a touch when the journey gives none."""
    n = len(journey.channels)
    if model == "first_touch":
        return [1.0] + [0.0] * (n - 1)
    if model == "last_touch":
        return [0.0] * (n - 1) + [1.0]
    if model == "linear":
        return [1 / n] * n
    if model == "position_based":
        if n == 1:
            return [1.0]
        if n == 2:
            return [0.5, 0.5]
        return [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]
    days = (
        journey.days_before
        if journey.days_before is not None
        else [float(n - 1 - i) for i in range(n)]
    )
    raw = [2 ** (-d / half_life) for d in days]
    return [r / sum(raw) for r in raw]


def markov_removal_effects(journeys: list[Journey]) -> tuple[float, dict[str, float]]:
    """(probability of converting from the start, removal effect of each channel).

    Removal effect = 1 - P(conversion with the channel's state leading to null) / P(conversion)."""
    states = sorted({c for j in journeys for c in j.channels})
    index = {s: i + 1 for i, s in enumerate(states)}  # 0 = start; then channels; then conv, null
    conv, null = len(states) + 1, len(states) + 2
    counts = np.zeros((null + 1, null + 1))
    for j in journeys:
        path = [0] + [index[c] for c in j.channels]
        for weight, end in ((j.conversions, conv), (j.nulls, null)):
            if weight:
                for a, b in zip(path, path[1:] + [end]):
                    counts[a, b] += weight
    totals = counts.sum(axis=1, keepdims=True)
    transition = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)

    def p_convert(removed: int | None) -> float:
        t = transition.copy()
        if removed is not None:
            t[:, null] += t[:, removed]
            t[:, removed] = 0.0
        transient = list(range(conv))
        q = t[np.ix_(transient, transient)]
        r = t[transient, conv]
        absorbed = np.linalg.solve(np.eye(len(transient)) - q, r)
        return float(absorbed[0])

    base = p_convert(None)
    if base == 0:
        return 0.0, {s: 0.0 for s in states}
    return base, {s: 1 - p_convert(index[s]) / base for s in states}


@calculator("attribution", "Markov chain removal effect, numpy")
def attribute(
    journeys: list[Journey],
    half_life: float = HALF_LIFE_DAYS,
    spend: dict[str, float] | None = None,
) -> AttributionResult:
    """Credit of every model, per channel. Credits of each model sum to the total conversions and
    values to the total value. Raises ValueError when no journey converted."""
    total = sum(j.conversions for j in journeys)
    if total <= 0:
        raise ValueError("no converting journey: nothing to attribute")
    credit: dict[str, dict[str, float]] = {m: defaultdict(float) for m in MODELS}
    value: dict[str, dict[str, float]] = {m: defaultdict(float) for m in MODELS}
    channels = sorted({c for j in journeys for c in j.channels})
    for j in journeys:
        if not j.conversions:
            continue
        for model in MODELS[:-1]:
            for channel, w in zip(j.channels, weights(j, model, half_life)):
                credit[model][channel] += w * j.conversions
                value[model][channel] += w * j.value
    _, effects = markov_removal_effects(journeys)
    share = sum(effects.values())
    total_value = sum(j.value for j in journeys)
    for channel in channels:
        credit["markov"][channel] = total * effects[channel] / share if share else 0.0
        value["markov"][channel] = total_value * effects[channel] / share if share else 0.0
    credit = {m: {c: credit[m].get(c, 0.0) for c in channels} for m in MODELS}
    value = {m: {c: value[m].get(c, 0.0) for c in channels} for m in MODELS}
    roi = {}
    if spend:
        roi = {
            m: {c: (value[m][c] - spend[c]) / spend[c] * 100 for c in channels if spend.get(c)}
            for m in MODELS
        }
    return AttributionResult(
        conversions=total,
        credit=credit,
        value=value,
        removal_effects=effects,
        roi=roi,
        method=(
            f"first touch, last touch, linear, time decay (half-life {half_life:g} days), position-based 40/20/40, "
            "and first-order Markov chain removal effect (numpy, exact absorbing probabilities)"
        ),
    )
