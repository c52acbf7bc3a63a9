"""A/B test statistics on statsmodels and scipy.

Sources: statsmodels ``NormalIndPower`` with Cohen's arcsine effect size ``proportion_effectsize``
for sample sizes (Bonferroni-corrected alpha for k > 2 variants); ``proportions_ztest`` (pooled)
for significance; ``confint_proportions_2indep`` (Wald) for the interval of the difference; scipy
``chi2_contingency`` for more than two variants, ``ttest_ind_from_stats`` (Welch) for a continuous
metric, ``chisquare`` for sample-ratio mismatch; the exact Beta-Binomial chance to beat control
(Evan Miller, "Formulas for Bayesian A/B Testing", 2015) and expected loss by integration. Seed rule
(performance-orchestrator.md, "Bonnes Pratiques › Tests"): compute the sample size before, wait
for significance, do not stop early.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, Field

from graph.progress import calculator

# scipy and statsmodels (2 s to import) are imported by the calculators that use them: a process
# that acks or answers other requests never loads them

SAMPLE_SIZE_METHOD = "statsmodels NormalIndPower, effect size = Cohen's h (arcsine), alpha {alpha}, power {power}, {sides}"
ZTEST_METHOD = "two-proportion z-test (statsmodels proportions_ztest, pooled variance), Wald {confidence:g}% CI of the difference"


class SampleSizeInput(BaseModel):
    """Baseline conversion rate (%, 0-100 exclusive), minimum detectable effect (percentage points when
    ``mde_unit`` is 'pt', relative % when '%'), daily visitors of the page, share of them in the test
    (%), number of variants including control, alpha, power, one- or two-sided, and the control's
    share of the test's visitors (%, two versions only: "80/20 split" is 80); without the daily
    traffic the result has no duration."""

    baseline_rate: float = Field(gt=0, lt=100)
    mde: float = Field(gt=0)
    mde_unit: str = Field(default="pt", pattern="^(pt|%)$")
    daily_traffic: int | None = Field(default=None, gt=0)
    variants: int = Field(default=2, ge=2)
    traffic_share: float = Field(default=100, gt=0, le=100)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    power: float = Field(default=0.8, gt=0, lt=1)
    two_sided: bool = True
    control_share: float = Field(default=50, gt=0, lt=100)


class SampleSizeResult(BaseModel):
    """Visitors per variant (rounded up; the variant's with an uneven split), total visitors,
    duration in days (None without the daily traffic), target rate in %, and with an uneven
    split the control's visitors (``n_control``, None for an even one)."""

    baseline_rate: float
    target_rate: float
    n_per_variant: int
    n_total: int
    duration_days: int | None
    method: str
    n_control: int | None = None


def _rates(inp: SampleSizeInput) -> tuple[float, float]:
    """(baseline, target) as shares 0-1: the baseline plus the MDE in points, or times (1 + the
    relative MDE). Raises ValueError when the target falls outside (0, 100) %."""
    p1 = inp.baseline_rate / 100
    p2 = p1 + inp.mde / 100 if inp.mde_unit == "pt" else p1 * (1 + inp.mde / 100)
    if not 0 < p2 < 1:
        raise ValueError(f"target rate {p2:.2%} is outside 0-100 %")
    return p1, p2


def _rate_at(p1: float, h: float) -> float:
    """The rate (share 0-1) that Cohen's h ``h`` puts above ``p1``: sin(asin(√p1) + h / 2)²."""
    return math.sin(min(math.asin(math.sqrt(p1)) + h / 2, math.pi / 2)) ** 2


@calculator("sample_size", "statsmodels NormalIndPower")
def sample_size(inp: SampleSizeInput) -> SampleSizeResult:
    """Visitors needed per variant to detect the MDE, and the days that takes at ``daily_traffic``.

    Raises ValueError when the target rate falls outside (0, 100) %."""
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    p1, p2 = _rates(inp)
    effect = abs(proportion_effectsize(p2, p1))
    alpha = inp.alpha / (inp.variants - 1)  # Bonferroni: each variant is compared with control
    uneven = inp.variants == 2 and inp.control_share != 50
    ratio = (100 - inp.control_share) / inp.control_share if uneven else 1.0  # variant / control
    n = NormalIndPower().solve_power(  # nobs1: the control's visitors
        effect_size=effect,
        alpha=alpha,
        power=inp.power,
        ratio=ratio,
        alternative="two-sided" if inp.two_sided else "larger",
    )
    n_per_variant = math.ceil(n * ratio) if uneven else math.ceil(n)
    n_control = math.ceil(n) if uneven else None
    total = (n_control or 0) + n_per_variant if uneven else n_per_variant * inp.variants
    sides = "two-sided" if inp.two_sided else "one-sided"
    method = SAMPLE_SIZE_METHOD.format(alpha=round(alpha, 4), power=inp.power, sides=sides)
    if inp.variants > 2:
        method += f", Bonferroni correction for {inp.variants - 1} comparisons with control (alpha {inp.alpha} / {inp.variants - 1})"
    if uneven:
        method += f", uneven split {inp.control_share:g}/{100 - inp.control_share:g} (ratio = variant / control = {ratio:.3g})"
    return SampleSizeResult(
        baseline_rate=inp.baseline_rate,
        target_rate=p2 * 100,
        n_per_variant=n_per_variant,
        n_control=n_control,
        n_total=total,
        duration_days=math.ceil(total / (inp.daily_traffic * inp.traffic_share / 100))
        if inp.daily_traffic
        else None,
        method=method,
    )


def detectable_rate(
    baseline_rate: float,
    n_per_variant: int,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
) -> float:
    """The smallest rate above ``baseline_rate`` (%, 0-100 exclusive) a test with
    ``n_per_variant`` visitors per variant detects at ``alpha`` and ``power``: Cohen's h solved by
    statsmodels NormalIndPower, turned back into a rate (p2 = sin(asin(√p1) + h / 2)², in %).
    Raises ValueError for fewer than 2 visitors per variant."""
    from statsmodels.stats.power import NormalIndPower

    if n_per_variant < 2:
        raise ValueError("a test needs at least 2 visitors per variant")
    h = NormalIndPower().solve_power(
        nobs1=n_per_variant,
        alpha=alpha,
        power=power,
        ratio=1.0,
        alternative="two-sided" if two_sided else "larger",
    )
    return _rate_at(baseline_rate / 100, float(h)) * 100


class HoldoutResult(BaseModel):
    """A holdout carved out of a fixed ``population`` (contacts): the smallest ``holdout`` that
    detects the effect (contacts, rounded up), the ``exposed`` rest, the holdout's ``share`` of
    the population (%), and the relative lift (%) a 10 % holdout detects (``lift_at_10``)."""

    holdout: int
    exposed: int
    share: float
    lift_at_10: float
    method: str


@calculator("holdout", "statsmodels NormalIndPower")
def holdout_size(inp: SampleSizeInput, population: int) -> HoldoutResult | None:
    """The smallest holdout group of ``population`` contacts that detects ``inp``'s effect
    (baseline rate, MDE, alpha, power, sides) against the exposed rest: statsmodels
    NormalIndPower power at nobs1 = exposed and ratio = holdout / exposed, solved for the holdout
    with scipy brentq. None when even a 50/50 split of the population falls short.
    Raises ValueError when the target rate falls outside (0, 100) %."""
    from scipy.optimize import brentq
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    p1, p2 = _rates(inp)
    alternative = "two-sided" if inp.two_sided else "larger"

    def power(held: float, effect: float) -> float:
        exposed = population - held
        return float(
            NormalIndPower().power(
                effect, exposed, inp.alpha, ratio=held / exposed, alternative=alternative
            )
        )

    effect = abs(proportion_effectsize(p2, p1))
    if population < 4 or power(population / 2, effect) < inp.power:
        return None
    held = math.ceil(brentq(lambda h: power(h, effect) - inp.power, 1, population / 2))
    tenth = population // 10
    h10 = brentq(lambda e: power(tenth, e) - inp.power, 1e-6, 3)
    rate = _rate_at(p1, h10)
    sides = "two-sided" if inp.two_sided else "one-sided"
    return HoldoutResult(
        holdout=held,
        exposed=population - held,
        share=held / population * 100,
        lift_at_10=(rate / p1 - 1) * 100,
        method=SAMPLE_SIZE_METHOD.format(alpha=inp.alpha, power=inp.power, sides=sides)
        + ", unequal groups (ratio = holdout / exposed) out of a fixed population, solved with scipy brentq",
    )


class ZTestInput(BaseModel):
    """Visitors and conversions of control (A) and variant (B); conversions <= visitors;
    ``two_sided`` False tests only B > A (one-sided, as the user may ask)."""

    visitors_a: int = Field(gt=0)
    conversions_a: int = Field(ge=0)
    visitors_b: int = Field(gt=0)
    conversions_b: int = Field(ge=0)
    two_sided: bool = True


class ZTestResult(BaseModel):
    """Rates and difference in %, relative lift in %, z statistic, p-value (two-sided, or one-sided
    B > A when asked), 95% CI in points."""

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


@calculator("ztest", "statsmodels proportions_ztest")
def ztest(inp: ZTestInput, alpha: float = 0.05) -> ZTestResult:
    """Significance of B against A. Raises ValueError when conversions exceed visitors or A has none."""
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    if inp.conversions_a > inp.visitors_a or inp.conversions_b > inp.visitors_b:
        raise ValueError("conversions cannot exceed visitors")
    if inp.conversions_a == 0:
        raise ValueError("control has no conversion: the relative lift is undefined")
    z, p = proportions_ztest(
        [inp.conversions_b, inp.conversions_a],
        [inp.visitors_b, inp.visitors_a],
        alternative="two-sided" if inp.two_sided else "larger",
    )
    low, high = confint_proportions_2indep(
        inp.conversions_b,
        inp.visitors_b,
        inp.conversions_a,
        inp.visitors_a,
        method="wald",
        compare="diff",
        alpha=alpha,
    )
    ra, rb = inp.conversions_a / inp.visitors_a, inp.conversions_b / inp.visitors_b
    return ZTestResult(
        rate_a=ra * 100,
        rate_b=rb * 100,
        diff_pt=(rb - ra) * 100,
        lift_pct=(rb / ra - 1) * 100,
        z=float(z),
        p_value=float(p),
        ci_low_pt=float(low) * 100,
        ci_high_pt=float(high) * 100,
        significant=bool(p < alpha),
        method=ZTEST_METHOD.format(confidence=round((1 - alpha) * 100, 2)),
    )


class MultiVariantResult(BaseModel):
    """Chi-square test of independence over k variants: statistic, degrees of freedom, p-value,
    conversion rate of each variant in %."""

    chi2: float
    dof: int
    p_value: float
    rates: list[float]
    significant: bool
    method: str = (
        "chi-square test of independence (scipy chi2_contingency, no continuity correction)"
    )


@calculator("chi_square", "scipy chi2_contingency")
def chi_square(
    visitors: list[int], conversions: list[int], alpha: float = 0.05
) -> MultiVariantResult:
    """Do the conversion rates of k >= 2 variants differ? Raises ValueError on inconsistent counts."""
    from scipy import stats

    if len(visitors) != len(conversions) or len(visitors) < 2:
        raise ValueError("give visitors and conversions for at least two variants")
    if any(c > v or v <= 0 or c < 0 for v, c in zip(visitors, conversions)):
        raise ValueError("conversions must be between 0 and visitors")
    table = np.array([[c, v - c] for v, c in zip(visitors, conversions)])
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return MultiVariantResult(
        chi2=float(chi2),
        dof=int(dof),
        p_value=float(p),
        rates=[c / v * 100 for v, c in zip(visitors, conversions)],
        significant=bool(p < alpha),
    )


class WelchResult(BaseModel):
    """Welch's t-test of a continuous metric (e.g. revenue per visitor, €): difference of means (B - A)
    with its 95 % confidence interval, t statistic, Welch–Satterthwaite degrees of freedom, two-sided
    p-value, and the chance (0-1) that B's mean beats A's under flat priors (normal approximation of
    the difference, Φ(diff / se))."""

    diff: float
    ci_low: float
    ci_high: float
    t: float
    dof: float
    p_value: float
    chance_to_beat: float
    significant: bool
    method: str = "Welch's t-test from means, standard deviations and counts (scipy ttest_ind_from_stats, equal_var=False)"


@calculator("welch", "scipy Welch t-test")
def welch(
    mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float, n_b: int, alpha: float = 0.05
) -> WelchResult:
    """Significance of a difference of means. Raises ValueError for n < 2 or a negative deviation."""
    from scipy import stats

    if min(n_a, n_b) < 2 or min(sd_a, sd_b) < 0:
        raise ValueError("each group needs n >= 2 and a non-negative standard deviation")
    t, p = stats.ttest_ind_from_stats(mean_b, sd_b, n_b, mean_a, sd_a, n_a, equal_var=False)
    va, vb = sd_a**2 / n_a, sd_b**2 / n_b
    dof = (
        (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
        if va + vb
        else float(n_a + n_b - 2)
    )
    se, diff = math.sqrt(va + vb), mean_b - mean_a
    half = stats.t.ppf(0.975, dof) * se
    chance = float(stats.norm.cdf(diff / se)) if se else float(diff > 0)
    return WelchResult(
        diff=diff,
        ci_low=diff - half,
        ci_high=diff + half,
        t=float(t),
        dof=float(dof),
        p_value=float(p),
        chance_to_beat=chance,
        significant=bool(p < alpha),
    )


class BayesResult(BaseModel):
    """Beta(1, 1) prior: probability (0-1) that B's rate beats A's, and the expected loss of choosing
    B (in percentage points of conversion rate) if A is in fact better."""

    chance_to_beat: float
    expected_loss_pt: float
    method: str = "Beta-Binomial with a uniform Beta(1,1) prior: exact P(B > A) (Evan Miller 2015), expected loss by numerical integration (scipy)"


@calculator("bayes", "Beta-Binomial, scipy")
def bayes(visitors_a: int, conversions_a: int, visitors_b: int, conversions_b: int) -> BayesResult:
    """Bayesian reading of an A/B test. Raises ValueError when conversions exceed visitors."""
    from scipy import integrate, special, stats

    if conversions_a > visitors_a or conversions_b > visitors_b:
        raise ValueError("conversions cannot exceed visitors")
    a_a, b_a = conversions_a + 1, visitors_a - conversions_a + 1
    a_b, b_b = conversions_b + 1, visitors_b - conversions_b + 1
    i = np.arange(a_b)
    terms = (
        special.betaln(a_a + i, b_a + b_b)
        - np.log(b_b + i)
        - special.betaln(1 + i, b_b)
        - special.betaln(a_a, b_a)
    )
    chance = float(np.exp(special.logsumexp(terms)))
    mean_a = a_a / (a_a + b_a)

    def loss_at(x: float) -> float:  # E[(pA - x)+] for pA ~ Beta(a_a, b_a)
        return mean_a * special.betaincc(a_a + 1, b_a, x) - x * special.betaincc(a_a, b_a, x)

    low, high = stats.beta.ppf([1e-9, 1 - 1e-9], a_b, b_b)
    loss, _ = integrate.quad(
        lambda x: loss_at(x) * stats.beta.pdf(x, a_b, b_b), low, high, limit=200
    )
    return BayesResult(chance_to_beat=min(1.0, chance), expected_loss_pt=float(loss) * 100)


class SRMResult(BaseModel):
    """Sample-ratio mismatch: chi-square p-value of the observed split against the planned one;
    ``mismatch`` when p < 0.001 (the test's traffic split is broken, its results are not to be trusted)."""

    p_value: float
    mismatch: bool
    method: str = "sample-ratio mismatch check: chi-square goodness of fit (scipy chisquare), flagged below p = 0.001"


@calculator("srm", "scipy chisquare")
def srm(visitors: list[int], planned_shares: list[float] | None = None) -> SRMResult:
    """Check the visitors of each variant against the planned shares (equal split by default)."""
    from scipy import stats

    total = sum(visitors)
    shares = planned_shares or [1 / len(visitors)] * len(visitors)
    expected = [total * s / sum(shares) for s in shares]
    _, p = stats.chisquare(visitors, expected)
    return SRMResult(p_value=float(p), mismatch=bool(p < 0.001))


class InterimResult(BaseModel):
    """An early look at a running test: the share of its planned duration (or sample) elapsed,
    the p-value a final look would require at alpha (``alpha``), and the nominal p-value below
    which stopping now keeps the overall false-positive rate at alpha (``boundary``, the
    O'Brien-Fleming-type alpha spent by now); ``stop`` when the p-value observed is below it."""

    information: float
    alpha: float
    boundary: float
    p_value: float
    stop: bool
    method: str = (
        "group-sequential boundary: Lan-DeMets O'Brien-Fleming-type alpha spending, "
        "alpha(t) = 2 - 2 Phi(z(1 - alpha/2) / sqrt(t)) (Lan & DeMets 1983; scipy norm)"
    )


@calculator("interim", "scipy norm")
def interim_look(
    elapsed: float, planned: float, p_value: float, alpha: float = 0.05
) -> InterimResult:
    """Whether a test looked at early (``elapsed`` of ``planned`` days or visitors, p-value
    ``p_value`` two-sided) may stop: the alpha an O'Brien-Fleming-type spending function allows
    at that information fraction t = elapsed / planned (0 < t <= 1). Stopping at the first p <
    0.05 ("peeking") inflates false positives; this boundary is far stricter early (t = 0.24:
    about 0.00006) and reaches ``alpha`` at the planned end. Raises ValueError when t is not in
    (0, 1] or the p-value not in [0, 1]."""
    from scipy import stats

    t = elapsed / planned if planned else 0.0
    if not 0 < t <= 1 or not 0 <= p_value <= 1:
        raise ValueError("the elapsed share must be in (0, 1] and the p-value in [0, 1]")
    z = stats.norm.ppf(1 - alpha / 2)
    boundary = float(2 - 2 * stats.norm.cdf(z / math.sqrt(t)))
    return InterimResult(
        information=t, alpha=alpha, boundary=boundary, p_value=p_value, stop=p_value < boundary
    )
