"""A/B test statistics on statsmodels.

Sources: statsmodels ``NormalIndPower`` with Cohen's arcsine effect size ``proportion_effectsize``
for sample sizes; ``proportions_ztest`` (pooled) for significance; ``confint_proportions_2indep``
(Wald) for the interval of the difference. Seed rule (performance-orchestrator.md, "Bonnes
Pratiques › Tests"): compute the sample size before, wait for significance, do not stop early.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest

SAMPLE_SIZE_METHOD = "statsmodels NormalIndPower, effect size = Cohen's h (arcsine), alpha {alpha}, power {power}, {sides}"
ZTEST_METHOD = "two-proportion z-test (statsmodels proportions_ztest, pooled variance), Wald 95% CI of the difference"


class SampleSizeInput(BaseModel):
    """Baseline conversion rate (%, 0-100 exclusive), minimum detectable effect (percentage points when
    ``mde_unit`` is 'pt', relative % when '%'), daily visitors entering the test (all variants)."""

    baseline_rate: float = Field(gt=0, lt=100)
    mde: float = Field(gt=0)
    mde_unit: str = Field(default="pt", pattern="^(pt|%)$")
    daily_traffic: int = Field(gt=0)
    variants: int = Field(default=2, ge=2)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    power: float = Field(default=0.8, gt=0, lt=1)
    two_sided: bool = True


class SampleSizeResult(BaseModel):
    """Visitors per variant (rounded up), total visitors, duration in days, target rate in %."""

    baseline_rate: float
    target_rate: float
    n_per_variant: int
    n_total: int
    duration_days: int
    method: str


def sample_size(inp: SampleSizeInput) -> SampleSizeResult:
    """Visitors needed per variant to detect the MDE, and the days that takes at ``daily_traffic``.

    Raises ValueError when the target rate falls outside (0, 100) %."""
    p1 = inp.baseline_rate / 100
    p2 = p1 + inp.mde / 100 if inp.mde_unit == "pt" else p1 * (1 + inp.mde / 100)
    if not 0 < p2 < 1:
        raise ValueError(f"target rate {p2:.2%} is outside 0-100 %")
    effect = abs(proportion_effectsize(p2, p1))
    n = NormalIndPower().solve_power(
        effect_size=effect, alpha=inp.alpha, power=inp.power, ratio=1.0,
        alternative="two-sided" if inp.two_sided else "larger",
    )
    n_per_variant = math.ceil(n)
    total = n_per_variant * inp.variants
    sides = "two-sided" if inp.two_sided else "one-sided"
    return SampleSizeResult(
        baseline_rate=inp.baseline_rate, target_rate=p2 * 100, n_per_variant=n_per_variant, n_total=total,
        duration_days=math.ceil(total / inp.daily_traffic),
        method=SAMPLE_SIZE_METHOD.format(alpha=inp.alpha, power=inp.power, sides=sides),
    )


class ZTestInput(BaseModel):
    """Visitors and conversions of control (A) and variant (B); conversions <= visitors."""

    visitors_a: int = Field(gt=0)
    conversions_a: int = Field(ge=0)
    visitors_b: int = Field(gt=0)
    conversions_b: int = Field(ge=0)


class ZTestResult(BaseModel):
    """Rates and difference in %, relative lift in %, z statistic, two-sided p-value, 95% CI in points."""

    rate_a: float
    rate_b: float
    diff_pt: float
    lift_pct: float
    z: float
    p_value: float
    ci_low_pt: float
    ci_high_pt: float
    significant: bool
    method: str


def ztest(inp: ZTestInput, alpha: float = 0.05) -> ZTestResult:
    """Significance of B against A. Raises ValueError when conversions exceed visitors or A has none."""
    if inp.conversions_a > inp.visitors_a or inp.conversions_b > inp.visitors_b:
        raise ValueError("conversions cannot exceed visitors")
    if inp.conversions_a == 0:
        raise ValueError("control has no conversion: the relative lift is undefined")
    z, p = proportions_ztest([inp.conversions_b, inp.conversions_a], [inp.visitors_b, inp.visitors_a])
    low, high = confint_proportions_2indep(
        inp.conversions_b, inp.visitors_b, inp.conversions_a, inp.visitors_a, method="wald", compare="diff", alpha=alpha
    )
    ra, rb = inp.conversions_a / inp.visitors_a, inp.conversions_b / inp.visitors_b
    return ZTestResult(
        rate_a=ra * 100, rate_b=rb * 100, diff_pt=(rb - ra) * 100, lift_pct=(rb / ra - 1) * 100,
        z=float(z), p_value=float(p), ci_low_pt=float(low) * 100, ci_high_pt=float(high) * 100,
        significant=bool(p < alpha), method=ZTEST_METHOD,
    )
