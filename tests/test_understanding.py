"""The understanding layer: what a marketer writes, read into slots with their evidence."""

from __future__ import annotations

from datetime import date

import pytest

from graph.hierarchy import load_hierarchy
from graph.understanding import ab_results, extract_inputs, metrics, quantities, understand

TODAY = date(2026, 11, 23)


def slots(text: str) -> set[tuple]:
    """(type, value, arm, channel) of every slot, values rounded."""
    return {
        (s.type, round(s.value, 4) if isinstance(s.value, float) else s.value, s.arm, s.channel)
        for s in understand(text, TODAY).slots
    }


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("1,2 %", 1.2, "%"),
        ("3%", 3.0, "%"),
        ("50k€", 50000, "€"),
        ("12 000 €", 12000, "€"),
        ("$8k", 8000, "€"),
        ("2 semaines", 14, "days"),
        ("15k visiteurs", 15000, ""),
        ("1,840", 1840, ""),
        ("51.5k", 51500, ""),
        ("1,2 M€", 1_200_000, "€"),
        ("18.200", 18200, ""),
        ("+0,5 point", 0.5, "pt"),
        ("4,2x", 4.2, "x"),
        ("2h", 1 / 24 * 2, "days"),
    ],
)
def test_number_formats(text, value, unit):
    q = quantities(text)[0]
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_arms_in_any_order_with_ratios_and_shorthand():
    assert ab_results(
        understand(
            "Variante B : 312 conversions sur 10 000, contrôle : 270 sur 10 000. C'est significatif ?"
        )
    ) == {"visitors_a": 10000, "conversions_a": 270, "visitors_b": 10000, "conversions_b": 312}
    assert ab_results(
        understand("control: 1,840 orders / 52k visitors, variant: 1,990 / 51.5k")
    ) == {"visitors_a": 52000, "conversions_a": 1840, "visitors_b": 51500, "conversions_b": 1990}
    assert ab_results(understand("A=1.8% B=2.1%, 15k visiteurs chacun")) == {
        "visitors_a": 15000,
        "conversions_a": 270,
        "visitors_b": 15000,
        "conversions_b": 315,
    }
    assert ab_results(understand("n=4800 vs n=4750, 3.9% vs 4.4%"))["conversions_b"] == 209
    three = ab_results(understand("chi2 sur 3 variantes : 210/7000, 245/7000, 230/7000"))
    assert [a["conversions"] for a in three["arms"]] == [210, 245, 230]


def test_each_figure_is_named_by_its_word():
    assert slots("dépensé 18 200 € sur 30 000, 540 ventes, CA 64 800 €") == {
        ("spend", 18200, None, None),
        ("budget", 30000, None, None),
        ("conversions", 540, None, None),
        ("revenue", 64800, None, None),
    }
    assert metrics(
        understand("spent $18k on ads and made 61k in rev. whats our CVR, CPA and ROAS?")
    ) == {"spend": 18000, "revenue": 61000}
    assert (
        metrics(understand("1,400 orders from 56k sessions, what's the CVR?"))["visitors"] == 56000
    )
    assert metrics(understand("150 clients perdus sur 1000 clients")) == {
        "churned": 150,
        "customers": 1000,
    }
    # visitors planned for every arm are the planned sample, not the visitors of the test so far
    assert ("planned_sample", 20000, None, None) in slots(
        "on avait prévu 20000 visiteurs par variante, A 3,1 % B 3,4 %"
    )
    assert ("visitors", 20000, "*", None) in slots("on a eu 20000 visiteurs par variante")
    # money per month is money: '/mois' alone makes traffic only when nothing else names the number
    assert ("budget", 12000, None, None) in slots("budget 12k/mois sur Meta")
    assert metrics(understand("we spend 45k/month on paid, get 90 new customers")) == {
        "spend": 45000,
        "customers": 90,
    }
    assert ("monthly_traffic", 60000, None, None) in slots("on a 60k visites/mois et 3 % de conv")
    # a share of revenue is not revenue moving; it is the newsletter's
    assert ("revenue_share", 14, None, "Newsletter") in slots(
        "le CA de la newsletter représente 14 % du CA total"
    )


def test_channels_keep_their_names_and_their_figures():
    u = understand(
        "Comment répartir 80 k€ entre Google Ads, Meta et LinkedIn ? l'an dernier ROAS Google 4,2, Meta 3,1, LinkedIn 1,8"
    )
    assert u.channels() == ["Google Ads", "Meta", "LinkedIn"]
    assert u.by_channel("roas") == {"Google Ads": 4.2, "Meta": 3.1, "LinkedIn": 1.8}
    assert u.value("budget") == 80000


def test_dates_durations_delays_and_entities():
    assert slots("budget 45 000 € sur 6 semaines, lancement le 1er juillet") == {
        ("budget", 45000, None, None),
        ("duration", 42, None, None),
        ("start_date", "2027-07-01", None, None),
    }
    u = understand(
        "campagne du 20 au 30 novembre, segments : nouveaux visiteurs, clients fidèles et VIP",
        TODAY,
    )
    assert (u.value("start_date"), u.value("end_date")) == ("2026-11-20", "2026-11-30")
    assert [s.value for s in u.all("segment")] == ["nouveaux visiteurs", "clients fidèles", "VIP"]
    u = understand("après abandon de panier : relance J+1 puis un rappel 3 jours après")
    assert [s.value for s in u.all("delay")] == [1, 3] and u.value("trigger") == "abandon-panier"
    u = understand("CMO at a 2,000-employee retailer, requested a demo, visited pricing 5x")
    assert u.value("job_title") == "CMO" and u.value("company_size") == 2000


def test_a_day_gone_by_is_in_the_past_and_a_date_a_goal_is_due_by_is_its_end():
    # on 23 November 2026, "lancée le 3 nov" is this month's 3rd, not next year's
    assert ("date", "2026-11-03", None, None) in slots(
        "campagne Meta lancée le 3 nov, 4 200 € dépensés"
    )
    assert ("date", "2026-10-12", None, None) in slots("we launched on Oct 12, spent $3k since")
    assert ("end_date", "2027-06-01", None, None) in slots("5 000 abonnés d'ici juin, budget 40k€")
    assert ("end_date", "2027-03-01", None, None) in slots("goal: 300 demos by March, budget 20k")
    assert ("start_date", "2027-01-14", None, None) in slots("webinar le 14 janvier")


def test_corrections_replace_the_figure_they_name():
    text = "taux de conv 5 %, +10 % relatif, 3000 visiteurs/jour\npardon je me suis trompé, c'est 4 % de conv, pas 5"
    assert (
        extract_inputs(text, load_hierarchy().nodes["experimentation"].inputs)["baseline_rate"] == 4
    )
    assert understand("3 %, +0,5 point, 2000 visiteurs par jour\nnon c'est 4 %").value("rate") == 4


def test_experiment_inputs_in_french():
    specs = load_hierarchy().nodes["experimentation"].inputs
    assert extract_inputs("3 %, je veux détecter +0,5 point, 2000 visiteurs par jour", specs) == {
        "baseline_rate": 3.0,
        "mde": {"value": 0.5, "unit": "pt"},
        "daily_traffic": 2000,
    }


def test_evidence_quotes_the_users_words():
    slot = understand("Budget : 45 000 €").first("budget")
    assert slot.evidence == "45 000 €"
