"""Calculators against statsmodels/scipy reference values (shared/notes/platform-facts.md)."""

from __future__ import annotations

import pytest

from graph.calculators.abtest import SampleSizeInput, ZTestInput, sample_size, ztest
from graph.calculators.ice import IceItem, rank
from graph.calculators.kpi import compute_kpis
from graph.understanding import extract_ice


@pytest.mark.parametrize(
    "base, target, expected", [(5, 6, 8142.6), (10, 12, 3834.6), (20, 25, 1091.9)]
)
def test_sample_size_matches_normalindpower(base, target, expected):
    result = sample_size(SampleSizeInput(baseline_rate=base, mde=target - base, daily_traffic=1000))
    assert result.n_per_variant == int(expected) + 1
    assert result.duration_days == -(-result.n_total // 1000)


def test_relative_mde_and_impossible_target():
    assert (
        sample_size(
            SampleSizeInput(baseline_rate=10, mde=20, mde_unit="%", daily_traffic=500)
        ).n_per_variant
        == 3835
    )
    with pytest.raises(ValueError):
        sample_size(SampleSizeInput(baseline_rate=99, mde=5, daily_traffic=10))


@pytest.mark.parametrize(
    "a, b, n, z, p", [(500, 580, 10000, 2.5028, 0.01232), (200, 250, 4000, 2.4262, 0.01526)]
)
def test_ztest_matches_proportions_ztest(a, b, n, z, p):
    r = ztest(ZTestInput(visitors_a=n, conversions_a=a, visitors_b=n, conversions_b=b))
    assert r.z == pytest.approx(z, abs=1e-4) and r.p_value == pytest.approx(p, abs=1e-5)
    assert r.ci_low_pt < r.diff_pt < r.ci_high_pt and r.significant


def test_kpi_formulas_of_the_seeds():
    k = compute_kpis(
        {
            "visitors": 20000,
            "conversions": 400,
            "revenue": 30000,
            "orders": 300,
            "spend": 6000,
            "impressions": 100000,
            "clicks": 2000,
            "bounces": 9000,
            "exits": 50,
            "pageviews": 1000,
        }
    )
    assert k == pytest.approx(
        {
            "conversion_rate": 2.0,
            "bounce_rate": 45.0,
            "exit_rate": 5.0,
            "aov": 100.0,
            "revenue_per_visitor": 1.5,
            "cost_per_conversion": 15.0,
            "roas": 5.0,
            "cpm": 60.0,
            "cpc": 3.0,
            "ctr": 2.0,
            "cpa": 15.0,
        }
    )


def test_ice_ordering_and_parsing():
    items = [
        IceItem(**i)
        for i in extract_ice(
            "Parrainage ; 8 ; 6 ; 5\nPop-up sortie I7 C5 E9\nQuiz: 6/4/8\nWebinar 5 6 8"
        )
    ]
    # 315, then a tie at 240 broken by impact (8 > 5), then 192.
    assert [i.idea for i in rank(items)] == ["Pop-up sortie", "Parrainage", "Webinar", "Quiz"]


def test_the_roi_is_computed_when_asked():
    given = {"revenue": 30000, "spend": 6000}
    assert "roi" not in compute_kpis(given)  # beside the ROAS, on request only
    assert compute_kpis(given, ["roi"])["roi"] == pytest.approx(400.0)  # (30 000 - 6 000) / 6 000


def test_retention_and_referral_kpis():
    k = compute_kpis(
        {
            "customers": 1200,
            "churned": 60,
            "arpu": 45,
            "promoters": 300,
            "detractors": 80,
            "respondents": 500,
            "referred": 150,
            "repeat_customers": 300,
            "spend": 6000,
        }
    )
    assert k == pytest.approx(
        {
            "churn_rate": 5.0,
            "mrr": 54_000.0,  # 1 200 x 45
            "lost_mrr": 2_700.0,  # 54 000 x 5 %
            "ltv": 900.0,
            "nps": 44.0,
            "k_factor": 0.125,
            "repeat_rate": 25.0,
            "cpa": 5.0,
            "ltv_cac": 180.0,  # the LTV and the CPA computed above feed it: 900 / 5
            "cac_payback_revenue": 5 / 45,  # no margin given: CAC / ARPU, months
        }
    )
    assert compute_kpis({"arpu": 40, "churn_rate": 5})["ltv"] == pytest.approx(800)
    # break-even CPA = AOV × margin, shown with a CPA; an order then leaves 120 × 40 % − 140 = −92
    order = compute_kpis({"aov": 120, "gross_margin": 40, "cpa": 140})
    assert order["break_even_cpa"] == pytest.approx(48) and order["order_profit"] == pytest.approx(
        -92
    )
    assert "break_even_cpa" not in compute_kpis({"aov": 120, "gross_margin": 40})
    on_margin = compute_kpis({"arpu": 40, "churn_rate": 5, "gross_margin": 75}, asked=["max_cac"])
    assert on_margin["margin_ltv"] == pytest.approx(600)  # 40 × 75 % / 5 %
    assert on_margin["ltv"] == pytest.approx(800)  # on revenue, shown beside it
    assert on_margin["max_cac"] == pytest.approx(200)  # 600 / 3
    assert "churn_rate" not in compute_kpis({"churned": 3, "customers": 0})
    # the customers lost are given: 60 churned is not shown again as 1 200 x 5 %
    assert "lost_customers" not in k
    assert compute_kpis({"customers": 1200, "churn_rate": 5})["lost_customers"] == 60


def test_budget_moves_to_a_blended_target_go_from_the_costliest_channel_to_the_cheapest():
    from graph.calculators.budget import to_target

    split = {"Google": 30_000.0, "Meta": 20_000.0, "TikTok": 10_000.0}
    weights = {"Google": 1 / 40, "Meta": 1 / 60, "TikTok": 1 / 80}  # conversions per €
    # 750 + 333.3 + 125 = 1 208.3 conversions; a 45 € blended CPA needs 1 333.3: 125 more.
    # TikTok -> Google gains 1/40 - 1/80 = 1/80 per €: all its 10 000 € give 125 exactly
    moves = to_target(split, weights, 1 / 45)
    assert moves is not None and len(moves) == 1
    assert moves[0][:2] == ("TikTok", "Google") and moves[0][2] == pytest.approx(10_000)
    assert to_target(split, weights, 1 / 60) == []  # a 49.66 € blended CPA already meets 60 €
    assert to_target(split, weights, 1 / 35) is None  # even all on Google costs 40 €


def test_a_holdout_out_of_a_fixed_base_has_the_planned_power():
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    from graph.calculators.abtest import holdout_size

    asked = SampleSizeInput(baseline_rate=2.1, mde=10, mde_unit="%")
    held = holdout_size(asked, 180_000)
    assert held is not None and held.holdout + held.exposed == 180_000
    effect = proportion_effectsize(0.0231, 0.021)
    power = NormalIndPower().power(
        effect, held.exposed, 0.05, ratio=held.holdout / held.exposed, alternative="two-sided"
    )
    smaller = NormalIndPower().power(
        effect, held.exposed + 1000, 0.05, ratio=(held.holdout - 1000) / (held.exposed + 1000)
    )
    assert power == pytest.approx(0.8, abs=1e-3) and smaller < 0.8  # the smallest that holds
    assert holdout_size(asked, 100_000) is None  # 50 000 a side is short of 76 716


def test_the_nps_margin_of_error_is_that_of_a_difference_of_two_shares():
    from graph.calculators.kpi import nps_margin

    # p = 0.5, d = 0.19: variance (0.69 - 0.31²) / 420 -> 1.96 x 100 x 0.0376 = 7.37 pts
    assert nps_margin(210, 80, 420) == pytest.approx(7.372, abs=0.01)
    with pytest.raises(ValueError):
        nps_margin(0, 0, 0)


def test_ice_scores_labelled_in_brackets_after_each_idea():
    items = extract_ice(
        "can you prioritize these growth ideas with ICE? referral program (I 8, C 6, E 4), exit "
        "popup (I 5, C 7, E 9), onboarding checklist (I 7, C 8, E 6)"
    )
    assert [(i["idea"], i["impact"], i["confidence"], i["ease"]) for i in items] == [
        ("referral program", 8, 6, 4),
        ("exit popup", 5, 7, 9),
        ("onboarding checklist", 7, 8, 6),
    ]


def test_ice_items_numbered_on_one_line_with_labels_spelled_out():
    items = extract_ice(
        "tu classes ? 1) quiz produit (impact 7, confiance 5, facilité 8) 2) live chat (6, 6, 4) "
        "3) avis vérifiés (impact 8, confidence 7, ease 6)"
    )
    assert [(i["idea"], i["impact"], i["confidence"], i["ease"]) for i in items] == [
        ("quiz produit", 7, 5, 8),
        ("live chat", 6, 6, 4),
        ("avis vérifiés", 8, 7, 6),
    ]


def test_an_nps_move_is_weighed_with_the_widest_variance_an_nps_allows():
    from graph.calculators.kpi import nps_change_bound

    # z = 0.11 / √((1 − 0.42²)/600 + (1 − 0.31²)/600) = 0.11 / 0.053658 = 2.050; p = 2(1 − Φ(z))
    bound = nps_change_bound(42, 31, 600, 600)
    assert bound.z == pytest.approx(2.0500, abs=1e-3)
    assert bound.p_value == pytest.approx(0.04036, abs=2e-4)
    assert bound.margin == pytest.approx(10.52, abs=0.01)
    with pytest.raises(ValueError):
        nps_change_bound(42, 131, 600, 600)
