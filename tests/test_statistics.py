"""A/B statistics, attribution and budget allocation against independent references (statsmodels,
scipy, the published Markov removal-effect examples of shared/notes/platform-facts.md), and their
invariants as property tests (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from graph.calculators import abtest
from graph.calculators.attribution import Journey, attribute, markov_removal_effects
from graph.calculators.budget import Curve, fit_curve, optimise, saturation


@pytest.mark.parametrize("variants, two_sided", [(3, True), (4, True), (2, False)])
def test_sample_size_with_bonferroni_and_sides_matches_statsmodels(variants, two_sided):
    r = abtest.sample_size(
        abtest.SampleSizeInput(
            baseline_rate=5,
            mde=1,
            daily_traffic=2000,
            variants=variants,
            traffic_share=50,
            two_sided=two_sided,
        )
    )
    expected = NormalIndPower().solve_power(
        effect_size=abs(proportion_effectsize(0.06, 0.05)),
        alpha=0.05 / (variants - 1),
        power=0.8,
        alternative="two-sided" if two_sided else "larger",
    )
    assert r.n_per_variant == math.ceil(expected)
    assert r.duration_days == math.ceil(r.n_per_variant * variants / 1000)
    assert (variants > 2) == ("Bonferroni" in r.method)


def test_chi_square_welch_bayes_and_srm_match_references():
    chi = abtest.chi_square([7000, 7000, 7000], [210, 245, 230])
    ref = stats.chi2_contingency([[210, 6790], [245, 6755], [230, 6770]], correction=False)
    assert chi.p_value == pytest.approx(ref[1], rel=1e-9) and chi.dof == 2
    w = abtest.welch(2.10, 8.4, 6000, 2.35, 9.1, 6000)
    assert w.p_value == pytest.approx(
        stats.ttest_ind_from_stats(2.35, 9.1, 6000, 2.10, 8.4, 6000, equal_var=False).pvalue
    )
    assert abtest.bayes(10000, 500, 10000, 580).chance_to_beat == pytest.approx(0.99384, abs=1e-5)
    assert abtest.bayes(4000, 200, 4000, 250).chance_to_beat == pytest.approx(0.99236, abs=1e-5)
    assert abtest.srm([10000, 10300]).p_value == pytest.approx(0.03524, abs=1e-5)
    assert abtest.srm([5000, 5200, 4900]).p_value == pytest.approx(0.009699, abs=1e-6)
    assert abtest.srm([10000, 10700]).mismatch and not abtest.srm([10000, 10300]).mismatch


def test_expected_loss_shrinks_as_b_gets_clearly_better():
    close, clear = abtest.bayes(10000, 500, 10000, 510), abtest.bayes(10000, 500, 10000, 650)
    assert (
        close.expected_loss_pt > clear.expected_loss_pt > 0
        and close.chance_to_beat < clear.chance_to_beat
    )


def test_markov_removal_effects_of_the_literature_examples():
    small = [
        Journey(channels=["C1", "C2", "C3"], conversions=1),
        Journey(channels=["C1"], nulls=1),
        Journey(channels=["C2", "C3"], nulls=1),
    ]
    assert markov_removal_effects(small)[1] == pytest.approx({"C1": 0.5, "C2": 1.0, "C3": 1.0})
    assert attribute(small).credit["markov"] == pytest.approx({"C1": 0.2, "C2": 0.4, "C3": 0.4})
    rows = [
        (["search", "display", "email"], 30, 70),
        (["search"], 10, 90),
        (["display", "email"], 20, 80),
        (["email"], 15, 85),
        (["search", "email"], 25, 75),
        (["display"], 0, 100),
    ]
    result = attribute([Journey(channels=c, conversions=a, nulls=b) for c, a, b in rows])
    assert result.removal_effects == pytest.approx({"search": 0.475, "display": 0.45, "email": 0.9})
    assert result.credit["markov"] == pytest.approx(
        {"search": 26.027, "display": 24.658, "email": 49.315}, abs=1e-3
    )
    assert result.credit["first_touch"] == pytest.approx({"search": 65, "display": 20, "email": 15})
    assert result.credit["last_touch"] == pytest.approx({"search": 10, "display": 0, "email": 90})
    assert result.credit["linear"] == pytest.approx({"search": 32.5, "display": 20, "email": 47.5})


def test_budget_optimum_of_the_reference_curves_and_bounds():
    split = optimise(1000, [Curve(channel="A", a=1000, b=400), Curve(channel="B", a=600, b=200)])
    assert split.spend == pytest.approx(
        {"A": 642.357, "B": 357.643}, abs=1e-2
    ) and split.total_outcome == pytest.approx(1298.93, abs=1e-2)
    bounded = optimise(
        1000, [Curve(channel="A", a=1000, b=400), Curve(channel="B", a=600, b=200)], {"B": (0, 300)}
    )
    assert (
        bounded.spend["B"] == pytest.approx(300, abs=1e-3)
        and bounded.total_outcome < split.total_outcome
    )
    with pytest.raises(ValueError):
        optimise(1000, [Curve(channel="A", a=10, b=10)], {"A": (0, 500)})


def test_fitted_curve_recovers_the_generating_curve():
    spend = [500, 1000, 2000, 4000, 8000]
    curve = fit_curve("SEA", spend, [float(saturation(x, 5000, 2500)) for x in spend])
    assert (
        curve.a == pytest.approx(5000, rel=1e-3)
        and curve.b == pytest.approx(2500, rel=1e-3)
        and curve.r2 == pytest.approx(1)
    )
    with pytest.raises(ValueError):
        fit_curve("SEA", [100, 200], [1, 2])


channel = st.sampled_from(["search", "email", "social", "display", "affiliation"])
journey = st.builds(
    Journey,
    channels=st.lists(channel, min_size=1, max_size=6),
    conversions=st.integers(0, 50).map(float),
    nulls=st.integers(0, 50).map(float),
    value=st.integers(0, 5000).map(float),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(journey, min_size=1, max_size=12).filter(lambda js: sum(j.conversions for j in js) > 0)
)
def test_every_model_credits_exactly_the_conversions(journeys):
    result = attribute(journeys)
    total = sum(j.conversions for j in journeys)
    for model, credit in result.credit.items():
        assert sum(credit.values()) == pytest.approx(total, rel=1e-6), model
        assert all(v >= -1e-9 for v in credit.values())


@settings(max_examples=40, deadline=None)
@given(
    st.floats(1000, 1e6),
    st.lists(st.tuples(st.floats(100, 1e5), st.floats(100, 1e5)), min_size=1, max_size=5),
)
@example(
    1000.0, [(100.0, 100.0), (34126.0, 101.0), (91257.0, 493.0)]
)  # SLSQP once stopped there on "positive directional derivative"
def test_allocations_sum_to_the_budget_within_bounds(budget, params):
    curves = [Curve(channel=f"c{i}", a=a, b=b) for i, (a, b) in enumerate(params)]
    cap = {c.channel: (0.0, budget * 0.8) for c in curves} if len(curves) > 1 else None
    split = optimise(budget, curves, cap)
    assert sum(split.spend.values()) == pytest.approx(budget, rel=1e-6)
    assert all(-1e-6 <= s <= (budget * 0.8 if cap else budget) + 1e-6 for s in split.spend.values())


@settings(max_examples=40, deadline=None)
@given(st.floats(1, 30), st.floats(0.1, 5), st.floats(0.1, 5))
def test_sample_size_falls_as_the_mde_grows(base, small, extra):
    n = [
        abtest.sample_size(
            abtest.SampleSizeInput(baseline_rate=base, mde=m, daily_traffic=1000)
        ).n_per_variant
        for m in (small, small + extra)
        if base + m < 100
    ]
    assert len(n) < 2 or n[0] >= n[1]


@settings(max_examples=40, deadline=None)
@given(st.floats(0.5, 30), st.integers(200, 200_000))
def test_the_detectable_rate_is_the_rate_the_sample_size_needs_those_visitors_for(base, n):
    reachable = abtest.detectable_rate(base, n)
    assume(reachable < 99)
    needed = abtest.sample_size(
        abtest.SampleSizeInput(baseline_rate=base, mde=reachable - base, mde_unit="pt")
    ).n_per_variant
    assert needed == pytest.approx(n, rel=1e-3, abs=1)  # the power analysis inverted


def test_interim_boundary_is_the_obrien_fleming_alpha_spent_and_reaches_alpha_at_the_end():
    # Lan-DeMets O'Brien-Fleming spending: 2 − 2Φ(1.959964 / √t); t = 0.5 gives 0.005575
    half = abtest.interim_look(10, 20, 0.004)
    assert half.boundary == pytest.approx(0.0055746, rel=1e-4) and half.stop
    early = abtest.interim_look(5, 21, 0.03)
    assert early.boundary == pytest.approx(2 - 2 * stats.norm.cdf(1.959964 / math.sqrt(5 / 21)))
    assert early.boundary < 0.0001 and not early.stop
    assert abtest.interim_look(21, 21, 0.03).boundary == pytest.approx(0.05)
    with pytest.raises(ValueError):
        abtest.interim_look(25, 21, 0.03)
