"""Budget allocation across channels with diminishing returns.

Each channel's response to spend is a saturation curve ``a·(1 - e^(-x/b))`` (a = the most the
channel can return, b = the spend at which it gives 63 % of it), fitted to the channel's history
(spend and conversions or revenue per period) with scipy ``curve_fit``; the split maximises the
total response under the budget and per-channel min/max bounds with scipy ``minimize`` (SLSQP).
Seed: campagnes-orchestrator.md ("Allouer et optimiser le budget marketing", "BUDGET → Allocation
par canal, forecast").
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, Field

from graph.progress import calculator

CURVE = "a·(1 − e^(−spend/b))"


def saturation(x, a, b):
    """Response (conversions or €) of a channel at spend ``x`` (€): a·(1 − e^(−x/b))."""
    return a * (1 - np.exp(-np.asarray(x, dtype=float) / b))


class Curve(BaseModel):
    """A channel's fitted response curve: ceiling ``a`` (same unit as the history's outcome) and
    scale ``b`` (€); ``r2`` of the fit on the history (None when given, not fitted)."""

    channel: str
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    r2: float | None = None

    def response(self, spend: float) -> float:
        """Expected outcome at ``spend`` €."""
        return float(saturation(spend, self.a, self.b))


@calculator("response_curve", "scipy curve_fit")
def fit_curve(channel: str, spend: list[float], outcome: list[float]) -> Curve:
    """Fit a saturation curve to a channel's history (>= 3 periods with spend > 0).

    Raises ValueError when the history is too short or the fit does not converge."""
    from scipy.optimize import curve_fit  # slow to import: where curves are fitted

    x, y = np.asarray(spend, dtype=float), np.asarray(outcome, dtype=float)
    if len(x) < 3 or (x <= 0).all():
        raise ValueError(f"{channel}: at least 3 periods of spend and outcome are needed")
    guess = (max(y.max() * 1.5, 1e-9), max(x.mean(), 1e-9))
    try:
        (a, b), _ = curve_fit(
            saturation, x, y, p0=guess, bounds=([1e-9, 1e-9], [np.inf, np.inf]), maxfev=20000
        )
    except RuntimeError as err:
        raise ValueError(f"{channel}: the response curve could not be fitted ({err})") from err
    residual = float(((y - saturation(x, a, b)) ** 2).sum())
    spread = float(((y - y.mean()) ** 2).sum())
    return Curve(
        channel=channel, a=float(a), b=float(b), r2=1 - residual / spread if spread else None
    )


class Allocation(BaseModel):
    """The split (€ per channel, summing to the budget), the expected outcome per channel and in
    total, and the marginal return of the last euro per channel (outcome per €)."""

    budget: float
    spend: dict[str, float]
    outcome: dict[str, float]
    total_outcome: float
    marginal: dict[str, float]
    method: str


@calculator("budget_split", "scipy SLSQP")
def optimise(
    budget: float, curves: list[Curve], bounds: dict[str, tuple[float, float]] | None = None
) -> Allocation:
    """Split ``budget`` € across ``curves`` to maximise the summed response, each channel's spend
    within its (min, max) bounds (default 0 to the budget). Raises ValueError when the bounds
    cannot hold the budget."""
    from scipy.optimize import minimize  # slow to import: where a split is optimised

    if budget <= 0 or not curves:
        raise ValueError("a positive budget and at least one channel are needed")
    limits = [(bounds or {}).get(c.channel, (0.0, budget)) for c in curves]
    if sum(lo for lo, _ in limits) > budget + 1e-6 or sum(hi for _, hi in limits) < budget - 1e-6:
        raise ValueError("the min/max bounds per channel cannot add up to the budget")
    scale = budget  # optimise shares of the budget for a well-conditioned problem
    ceiling = max(c.a for c in curves) or 1.0  # and responses of order 1

    def negative(shares):
        return -sum(c.response(s * scale) for c, s in zip(curves, shares)) / ceiling

    start = np.array([(lo + hi) / 2 for lo, hi in limits]) / scale
    start = start / start.sum() if start.sum() else np.full(len(curves), 1 / len(curves))
    result = minimize(
        negative,
        start,
        method="SLSQP",
        bounds=[(lo / scale, hi / scale) for lo, hi in limits],
        constraints=[{"type": "eq", "fun": lambda s: s.sum() - 1.0}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    feasible = abs(result.x.sum() - 1.0) < 1e-6 and all(
        lo / scale - 1e-9 <= s <= hi / scale + 1e-9 for s, (lo, hi) in zip(result.x, limits)
    )
    # SLSQP's status 8 ("positive directional derivative") at a feasible point: the optimum within float precision
    if not result.success and not (result.status == 8 and feasible):
        raise ValueError(f"the optimisation did not converge: {result.message}")
    spend = {c.channel: float(s * scale) for c, s in zip(curves, result.x)}
    outcome = {c.channel: c.response(spend[c.channel]) for c in curves}
    marginal = {c.channel: c.a / c.b * math.exp(-spend[c.channel] / c.b) for c in curves}
    return Allocation(
        budget=budget,
        spend=spend,
        outcome=outcome,
        total_outcome=sum(outcome.values()),
        marginal=marginal,
        method=f"saturation curve {CURVE} per channel (scipy curve_fit), split maximising the total response "
        "under the budget and per-channel bounds (scipy minimize, SLSQP)",
    )


@calculator("budget_split", "proportional, clamped")
def proportional(
    budget: float, weights: dict[str, float], bounds: dict[str, tuple[float, float]] | None = None
) -> dict[str, float]:
    """Split ``budget`` € in proportion to ``weights`` (a channel's ROAS), each channel's share
    clamped to its (min €, max €) bounds, what a clamp frees or takes spread over the other
    channels in the same proportion (water-filling). Returns {channel: €}, summing to the budget.
    Raises ValueError when the bounds cannot add up to the budget."""
    limits = {c: (bounds or {}).get(c, (0.0, budget)) for c in weights}
    if (
        sum(lo for lo, _ in limits.values()) > budget + 1e-6
        or sum(hi for _, hi in limits.values()) < budget - 1e-6
    ):
        raise ValueError("the min/max bounds per channel cannot add up to the budget")
    fixed: dict[str, float] = {}
    while True:
        free = [c for c in weights if c not in fixed]
        left = budget - sum(fixed.values())
        total = sum(weights[c] for c in free) or 1.0
        split = {c: left * weights[c] / total for c in free}
        clamped = {c: min(max(v, limits[c][0]), limits[c][1]) for c, v in split.items()}
        moved = {c: v for c, v in clamped.items() if abs(v - split[c]) > 1e-9}
        if not moved or len(moved) == len(free):
            return {**fixed, **(clamped if moved else split)}
        fixed.update(moved)


def to_target(
    split: dict[str, float], weights: dict[str, float], target: float
) -> list[tuple[str, str, float]] | None:
    """The budget moves that bring a split's blended return to ``target``, at each channel's
    constant return: ``split`` {channel: €}, ``weights`` {channel: return per €} (ROAS, or
    conversions per €, 1 / CPA), ``target`` in the same unit (a target ROAS, or 1 / target CPA).
    Budget goes from the channel returning least to the one returning most, then from the next
    least, until the blended return (Σ budget × return / Σ budget) reaches the target. Returns
    [(from channel, to channel, €)], [] when the split already reaches it, None when even the
    whole budget on the best channel does not. Source: campaigns seed, Budget (reallocate towards
    the channels with the best return)."""
    total = sum(split.values())
    best = max(weights, key=lambda c: weights[c])
    if weights[best] < target or not total:
        return None
    missing = total * target - sum(split[c] * weights[c] for c in split)  # return units short
    moves = []
    for channel in sorted((c for c in split if c != best), key=lambda c: weights[c]):
        if missing <= 1e-9:
            break
        gain = weights[best] - weights[channel]  # per € moved
        amount = min(split[channel], missing / gain) if gain > 0 else 0.0
        if amount > 0:
            moves.append((channel, best, amount))
            missing -= amount * gain
    return moves
