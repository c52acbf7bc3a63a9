"""Follow-ups in a thread after a deliverable, read as operations on the previous request
(graph/understanding/followups.py) and applied before the specialist runs again."""

from __future__ import annotations

import re

import pytest

from graph.calculators.budget import proportional
from graph.conversations import Conversations
from graph.understanding import understand
from graph.understanding.followups import read_operation
from tests.test_conversations import thread_of

SPLIT = "j'ai 80k€ a repartir sur le T2 entre google ads (roas 4,2), meta (roas 2,8) et linkedin (roas 1,5). comment tu splitterais ?"


@pytest.fixture(scope="module")
def conv(tmp_path_factory):
    return Conversations(str(tmp_path_factory.mktemp("followups") / "c.db"))


def row(reply: str, channel: str) -> str:
    """The budget table's line for ``channel`` ('' when it has none)."""
    return next(
        (line for line in reply.splitlines() if line.startswith(channel) and "€" in line), ""
    )


def test_doubling_the_budget_splits_twice_as_much(conv):
    first, doubled = thread_of(conv, SPLIT, "et si on double le budget ?")
    assert "80 000 €" in first and "39 529 €" in row(first, "Google Ads")
    assert "Allocation budgétaire — 160 000 €" in doubled and "79 059 €" in row(
        doubled, "Google Ads"
    ), doubled
    assert "le rendement baisse quand la dépense monte" in doubled  # returns fall with spend


def test_channels_removed_added_and_constrained(conv):
    _, without, tiktok, floor, reserve = thread_of(
        conv,
        SPLIT,
        "et sans linkedin ?",
        "ok et si on ajoute TikTok avec un ROAS de 1,9 ?",
        "il faut au moins 20k sur TikTok",
        "et avec 10 % de réserve ?",
    )
    assert not row(without, "LinkedIn") and "48 000 €" in row(without, "Google Ads"), without
    assert "1,90x" in row(tiktok, "TikTok") and not row(tiktok, "LinkedIn"), tiktok
    assert "20 000 €" in row(floor, "TikTok") and "Contraintes respectées" in floor, floor
    # the constraint as it reads, not the question it was asked in
    assert "Contraintes respectées : il faut au moins 20k sur TikTok ; 10 % de réserve." in reserve


def test_thanks_explain_and_translate_do_not_recompute_blindly(conv):
    _, thanks, why, english = thread_of(
        conv, SPLIT, "top merci !", "pourquoi linkedin a moins ?", "can you put it in english?"
    )
    assert "Avec plaisir" in thanks and "Allocation" not in thanks
    assert (
        "chiffres utilisés" in why
        and "LinkedIn : ROAS 1,5x" in why
        and "proportionnelle au ROAS" in why
    ), why
    # the answer starts from LinkedIn's own row: 80 000 × 1,5 / (4,2 + 2,8 + 1,5)
    assert why.startswith("LinkedIn — Budget 14 118 € · Part 17,6 % · ROAS 1,50x"), why
    assert "Budget allocation — €80,000" in english


def test_a_new_request_in_the_thread_is_not_a_follow_up(conv):
    _, other = thread_of(
        conv,
        SPLIT,
        "autre sujet : combien de temps doit durer un test A/B avec 3 % de conversion, "
        "+10 % relatif à détecter et 2000 visiteurs par jour ?",
    )
    assert "Allocation" not in other and "visiteurs par variante" in other, other


@pytest.mark.parametrize(
    "message, op, params",
    [
        ("and what if the budget drops by 25%?", "scale", {"factor": 0.75, "target": "budget"}),
        ("on a eu 20k de plus du CFO", "scale", {"add": 20000.0}),
        ("ok now drop Meta and rerun", "remove_item", {"item": "Meta"}),
        ("version anglaise stp", "translate", {"lang": "en"}),
        ("great thanks!", "acknowledge", {}),
        ("push it back two weeks", "change_period", {"shift": 14.0}),
        ("on avance d'une semaine", "change_period", {"shift": -7.0}),
        ("and with 99% confidence?", "scale", {"target": "design"}),
    ],
)
def test_operations_and_their_parameters(message, op, params):
    operation = read_operation(message, understand(SPLIT))
    assert operation.op == op and operation.model_dump(include=set(params)) == params, operation


def test_proportional_split_respects_floors_and_caps():
    split = proportional(100_000, {"a": 4.0, "b": 1.0}, {"b": (30_000, 100_000)})
    assert split == pytest.approx({"a": 70_000, "b": 30_000})
    capped = proportional(90_000, {"a": 1.0, "b": 1.0, "c": 1.0}, {"a": (0, 10_000)})
    assert capped == pytest.approx({"a": 10_000, "b": 40_000, "c": 40_000}) and sum(
        capped.values()
    ) == pytest.approx(90_000)
    with pytest.raises(ValueError):
        proportional(10_000, {"a": 1.0, "b": 1.0}, {"a": (8_000, 10_000), "b": (8_000, 10_000)})


def test_asking_for_one_sided_or_another_alpha_reruns_the_readout(conv):
    readout = "test page produit : A 8 200 sessions / 246 ventes, B 8 150 sessions / 289 ventes. c'est significatif ?"
    first, one_sided, strict = thread_of(conv, readout, "et en unilatéral ?", "et avec alpha 1 % ?")
    assert "0,0497" in first and "bilatéral" in first, first
    # statsmodels proportions_ztest, alternative='larger': half the two-sided p-value
    assert "0,0249" in one_sided and "unilatéral (B > A)" in one_sided, one_sided
    assert "Non significatif" in strict and "seuil alpha 0,01" in strict, strict
    assert "Validation direction" not in strict  # a setting is not a revenue move


def test_dropping_a_funnel_step_recomputes_the_funnel(conv):
    funnel = "funnel du mois : 48 000 visites, 6 200 fiches produit vues, 1 900 ajouts panier, 610 paiements. où ça coince ?"
    first, dropped = thread_of(conv, funnel, "et si on enlève l'étape fiche produit ?")
    assert "fiches produit vues" in first
    assert "fiches produit vues" not in dropped and "4,0 %" in dropped, dropped  # 1 900 / 48 000


def test_moving_the_dates_by_a_delay_shifts_the_plan(conv):
    plan = "lancement d'un webinar le 12 mars 2027, 3 000 contacts en base, je veux un rétroplanning des envois"
    first, later, earlier = thread_of(
        conv, plan, "décale d'une semaine", "finalement avance de 3 jours"
    )
    assert "12/03/2027" in first
    assert "19/03/2027" in later and "12/03/2027" not in later, later
    assert "16/03/2027" in earlier, earlier


def test_a_sample_size_without_traffic_is_answered_and_the_traffic_gives_the_duration(conv):
    plan, timed = thread_of(
        conv,
        "combien de visiteurs pour détecter +8% relatif sur un taux de 4,5% ? puissance 90%, alpha 5%",
        "on a 3 000 visiteurs par jour",
    )
    # statsmodels NormalIndPower at power 0.9, alpha 0.05 two-sided: 72 310 per variant
    assert "72 310 visiteurs par variante" in plan and "power 0.9" in plan, plan
    assert "donnez le trafic quotidien" in plan and "sans effet" not in plan, plan
    assert "72 310 visiteurs par variante" in timed and "49 jours" in timed, timed


def test_bounds_said_in_the_request_are_kept_like_those_said_after(conv):
    (reserve,) = thread_of(
        conv,
        "budget Q1 : 45k€. google search roas 5,1, meta 3,2, tiktok 1,4. il faut garder 10% de réserve",
    )
    assert "4 500 €" in row(reserve, "Réserve") and "sans effet" not in reserve, reserve
    (bounded,) = thread_of(
        conv,
        "80k€ entre google (roas 4), meta (roas 3) et tiktok (roas 2), max 40 % par canal et au moins 10k sur tiktok",
    )
    # Google capped at 40 % (32 000 €), the other 48 000 € split 3:2 (TikTok above its 10k floor)
    assert "32 000 €" in row(bounded, "Google") and "28 800 €" in row(bounded, "Meta"), bounded
    assert "19 200 €" in row(bounded, "TikTok") and "2,00x" in row(bounded, "TikTok"), bounded


def test_new_facts_about_a_scored_lead_rescore_it_and_a_loop_figure_scales(conv):
    first, demo = thread_of(
        conv,
        "lead score pls: VP growth at a 600-person saas, visited pricing twice, downloaded 2 ebooks",
        "oh and she just requested a demo",
    )
    assert "Lead score     75 pts" in first
    assert "Lead score     105 pts" in demo and "not a marketing" not in demo, demo
    _, more = thread_of(
        conv,
        "growth hacks pour notre appli : chaque utilisateur invite 0,6 ami et 30 % s'inscrivent",
        "et si on monte à 1,2 invitation par utilisateur ?",
    )
    assert "= 0,36" in more, more  # K = 1.2 × 30 %


def test_a_share_of_traffic_in_the_test_is_a_setting_not_a_factor(conv):
    plan = "taux de conv 2,8 %, on veut détecter +12 % relatif, 3 500 visiteurs/jour, combien de temps ?"
    first, half = thread_of(conv, plan, "et si on passe à 50 % du trafic dans le test ?")
    assert "23 jours" in first and "46 jours" in half, half  # 80 026 / (3 500 × 50 %)


def test_a_funnel_compared_with_last_month_shows_each_steps_change(conv):
    funnel = "funnel : 30 000 visites, 4 500 ajouts panier, 1 800 checkout, 950 achats"
    _, compared = thread_of(
        conv,
        funnel,
        "et le mois dernier c'était 28 000 visites, 4 000 paniers, 1 500 checkout, 820 achats, tu compares ?",
    )
    # passage to checkout 1 800 / 4 500 = 40,0 % against 1 500 / 4 000 = 37,5 %
    assert "checkout            40,0 %         37,5 %              +2,5 pt" in compared, compared
    assert "30 000" in compared and "Également lu" not in compared, compared


def test_a_split_by_cost_per_conversion_and_a_floor_asked_as_a_what_if(conv):
    request = (
        "Bonjour, nous devons répartir 120 000 € sur le S2 entre Google Ads (CPA 38 €), Meta "
        "(CPA 52 €) et Microsoft Ads (CPA 45 €). Objectif : maximiser les conversions."
    )
    first, floor = thread_of(conv, request, "et si on impose au moins 45 000 € sur Microsoft Ads ?")
    # share = (1 / CPA) / sum of 1 / CPA: Google Ads 38.8 %, expected conversions = budget / CPA
    assert "46 598 €" in row(first, "Google Ads") and "1 226" in row(first, "Google Ads"), first
    assert "39 349 €" in row(first, "Microsoft Ads") and "Enterprise" not in first
    assert "Conversions attendues au total : 2 756" in first
    assert "Allocation budgétaire — 120 000 €" in floor, floor  # a floor, not a new total
    assert "45 000 €" in row(floor, "Microsoft Ads"), floor
    assert "Contraintes respectées" in floor


@pytest.mark.parametrize(
    "follow_up, scenario",
    [
        (
            "et si on améliore le passage panier -> checkout de 20 % ?",
            "checkout 3 100 → 3 720, achat 1 870 → 2 244 (+374 achat)",
        ),
        (  # a step's count set in other words ("passe à"), a removal said on the way
            "imaginons qu'on supprime la création de compte, le checkout passe à 3 720",
            "checkout 3 100 → 3 720, achat 1 870 → 2 244 (+374 achat)",
        ),
    ],
)
def test_a_better_rate_into_a_funnel_step_carries_to_the_last_step(conv, follow_up, scenario):
    funnel = "funnel du mois : visite 84 000, fiche produit 31 000, panier 6 200, checkout 3 100, achat 1 870. c'est où qu'on perd le plus ?"
    _, better = thread_of(conv, funnel, follow_up)
    assert scenario in better, better


def test_a_kpi_sheet_takes_the_periods_budget_as_spend_and_compares_with_the_quarter_before(conv):
    first, compared = thread_of(
        conv,
        "KPIs Q3 : CA 1,42 M€, 18 400 commandes, 612 000 sessions, budget marketing 210 k€, "
        "2 900 nouveaux clients. tu me sors CAC, panier moyen, taux de conv et ROAS ?",
        "et compare avec Q2 : CA 1,31 M€, 17 100 commandes, 590 000 sessions, budget 198 k€",
    )
    # CAC 210 000 / 2 900 new customers; ROAS 1 420 000 / 210 000
    assert "72,41 €" in first and "6,76x" in first and "il manque" not in first, first
    assert "1 420 000 €    1 310 000 €         +8,4 %" in compared, compared  # Q3 against Q2
    assert "6,76x          6,62x" in compared, compared


def test_a_target_cost_per_lead_tells_what_the_budget_buys(conv):
    (reply,) = thread_of(
        conv,
        "on lance une campagne always-on sur linkedin pour générer des leads B2B, budget 6k€/mois, "
        "CPL cible 80 €. combien de leads on peut espérer ?",
    )
    assert "75" in row(reply, "LinkedIn") and "Conversions attendues au total : 75" in reply, reply


def test_a_touch_added_to_a_sequence_twice_the_traffic_in_a_test_and_a_new_mde(conv):
    _, added = thread_of(
        conv,
        "séquence de nurturing de 4 emails sur 3 semaines pour les leads du webinar",
        "ajoute un SMS à J+10",
    )
    assert "5 messages" in added and "J+10   SMS" in added, added
    _, doubled = thread_of(
        conv,
        "test A/B page panier : A 18 200 visiteurs 546 commandes, B 18 050 visiteurs 614 commandes",
        "ok et si on avait eu deux fois plus de trafic avec les mêmes taux ?",
    )
    assert "3,00 % (1 092 / 36 400)" in doubled, doubled  # the same rates on twice the visitors
    _, mde = thread_of(
        conv,
        "I need a sample size: baseline 2.5%, MDE 20% relative, 4k visitors/day",
        "what about a 10% MDE?",
    )
    assert "2.75% (+10.0% relative)" in mde, mde  # a new MDE, not 20 % × 1.1


def test_a_new_fact_about_a_scored_lead_rescores_it(conv):
    first, later = thread_of(
        conv,
        "lead : VP sales chez une boîte de 600 personnes, a visité la page tarifs 3 fois",
        "il vient aussi de télécharger notre livre blanc",
    )
    assert "Score du lead  55 pts" in first, first
    assert "Score du lead  65 pts" in later, later  # the white paper adds its 10 points


def test_figures_of_another_period_compared_in_the_request_order_make_a_period_comparison(conv):
    replies = thread_of(
        conv,
        "CTR de nos pubs LinkedIn : 0,38 %, CPC 6,20 €, 14 000 € dépensés le mois dernier, 61 "
        "leads. c'est correct pour du B2B ?",
        "compare avec le mois d'avant : 0,31 %, 6,90 €, 12 500 €, 44 leads",
    )
    # each bare figure pairs with the request's figure of the same unit, in order
    assert "CPC                  6,20 €         6,90 €              -10,1 %" in replies[-1]
    assert "229,51 €       284,09 €" in replies[-1], replies[-1]  # 14 000 / 61, 12 500 / 44
    assert "Possible" not in replies[-1]  # two periods compared: no revenue move to sign off


def test_a_step_rate_set_to_a_value_in_other_words_rescales_the_funnel(conv):
    replies = thread_of(
        conv,
        "our webinar funnel last month: 2,400 registrations, 980 attendees, 210 demo requests, 38 "
        "closed deals. where's the biggest leak?",
        "what if we get attendance up to 50%?",
    )
    # "attendance" names the attendees step; 50 % of 2 400 attend, later rates unchanged
    assert "attendees      1,200   50.0%" in replies[-1], replies[-1]
    assert "closed deals 38 → 47" in replies[-1], replies[-1]


def test_a_sequence_for_inactive_customers_and_a_channel_mix_asked_after_it(conv):
    replies = thread_of(
        conv,
        "séquence de réactivation pour les clients inactifs depuis 90 jours, 4 emails sur 3 "
        "semaines",
        "plutôt 3 emails et un SMS à la fin",
    )
    # 90 days of inactivity is who gets it; the sequence lasts the 3 weeks asked
    assert "4 messages sur 21 jours" in replies[0], replies[0]
    rows = [line.split()[2] for line in replies[1].splitlines() if re.match(r"[1-4]\s{2,}J", line)]
    assert rows == ["Email", "Email", "Email", "SMS"], replies[1]


def test_a_product_funnel_with_an_invitation_step_is_a_funnel_and_loses_that_step(conv):
    replies = thread_of(
        conv,
        "funnel onboarding : 12 000 inscrits, 7 400 ont créé un projet, 3 100 ont invité un "
        "collègue, 900 sont passés payants",
        "et sans l'étape invitation ?",
    )
    assert "Diagnostic du funnel" in replies[0] and "3 100" in replies[0], replies[0]
    assert "Étapes              3" in replies[1] and "3 100" not in replies[1], replies[1]


def test_a_goal_at_a_cost_per_lead_gives_its_budget_and_a_format_or_a_new_fact_stays_in_thread(
    conv,
):
    replies = thread_of(
        conv,
        "on vise 1 200 leads au T2 avec un CPL de 45 €, quel budget ?",
        "et si le CPL monte à 55 € ?",
    )
    assert "54 000,00 €" in replies[0] and "66 000,00 €" in replies[1], replies  # 1 200 x 45, x 55
    replies = thread_of(
        conv,
        "lead : responsable achats chez un industriel de 800 salariés, a rempli le formulaire "
        "contact et ouvert 4 emails",
        "il a aussi assisté au webinar de mardi",
    )
    assert "20 pts" in replies[0] and "30 pts" in replies[1], replies  # + the webinar's 10


@pytest.mark.parametrize(
    "request_text, follow_up, expected",
    [
        (
            "our NPS survey: 420 respondents, 210 promoters, 80 detractors. what's our NPS?",
            "and last quarter it was 24, is that a real improvement?",
            # NPS 50 % - 19 % = 31; margin 1.96 x 100 x √((0.5 + 0.19 - 0.31²) / 420) = 7.4 pts
            ["31.0 pts against 24.0 pts the previous period (+7.0)", "within the ±7.4 pts"],
        ),
        (
            # the three groups add up to the responses: parts of a whole, no journey step by step
            "our NPS survey: 520 responses, 260 promoters, 150 passives, 110 detractors. what's "
            "our NPS?",
            "last quarter we had 22, is it better?",
            ["28.8 pts against 22.0 pts the previous period (+6.8)", "beyond the ±6.8 pts"],
        ),
    ],
)
def test_a_kpi_given_for_the_previous_period_is_compared_within_its_margin_of_error(
    conv, request_text, follow_up, expected
):
    replies = thread_of(conv, request_text, follow_up)
    assert all(e in replies[1] for e in expected), replies[1]
    assert "Step by step" not in replies[1], replies[1]


def test_kpi_figures_after_a_readout_are_a_kpi_sheet_not_the_tests_new_figures(conv):
    replies = thread_of(
        conv,
        "Analyze this A/B test: A: 10000 visitors, 500 conversions; B: 10000 visitors, 580 "
        "conversions",
        "Quels KPIs suivre ? visiteurs 20100, conversions 401, CA 30050 €, dépense 6000 €",
    )
    # no arms in the second message: the KPI sheet takes it whole, the readout cannot use it
    assert replies[1].rstrip().endswith("› Suivi des KPIs"), replies[1]


def test_a_schedule_with_its_own_day_zero_then_a_touch_added_in_the_thread(conv):
    """ "a 4-email onboarding sequence: day 0, day 3, day 7, day 14" is four emails (the request's
    description is no touch, its day 0 no second one); "add a push at day 10" adds one, in order."""
    first, added = thread_of(
        conv,
        "can you set up a 4-email onboarding sequence for trial users: day 0, day 3, day 7, day 14",
        "add a push at day 10",
    )
    rows = lambda reply: [
        line.split()[1:3] for line in reply.splitlines() if re.match(r"\d\s{2,}", line)
    ]  # noqa: E731
    assert rows(first) == [["D0", "Email"], ["D+3", "Email"], ["D+7", "Email"], ["D+14", "Email"]]
    assert rows(added) == rows(first)[:3] + [["D+10", "Push"], ["D+14", "Email"]], added
    respaced = thread_of(
        conv,
        "can you set up a 4-email onboarding sequence for trial users: day 0, day 3, day 7, day 14",
        "add a push at day 10",
        "actually make it 4 days between emails",
    )[-1]
    # the emails every 4 days from the first; the push keeps its day
    assert rows(respaced) == [["D0", "Email"], ["D+4", "Email"], ["D+8", "Email"]] + [
        ["D+10", "Push"],
        ["D+12", "Email"],
    ], respaced


def test_a_step_added_between_two_steps_with_its_count_is_placed_there(conv):
    _, added = thread_of(
        conv,
        "funnel : 20 000 visites, 5 000 fiches produit, 1 200 paniers, 600 paiements. où ça fuit ?",
        "et si on ajoute une étape « livraison » entre paniers et paiements avec 900 personnes ?",
    )
    steps = [line.split()[0] for line in added.splitlines() if re.match(r"[a-z]+\s+\d", line)]
    assert steps[-3:] == ["paniers", "livraison", "paiements"], added
    assert re.search(r"livraison\s+900\s+75,0 %", added), added  # 900 of the 1 200 paniers


def test_same_for_another_channel_with_its_figures_asks_the_request_again(conv):
    first, again = thread_of(
        conv,
        "on a dépensé 12 k€ sur Meta le mois dernier pour 240 achats, panier moyen 80 €. ROAS et CPA ?",
        "pareil pour google : 9 k€, 300 achats, panier moyen 60 €",
    )
    assert "1,60x" in first and "50,00 €" in first, first  # 240 × 80 / 12 000; 12 000 / 240
    assert "2,00x" in again and "30,00 €" in again, again  # 300 × 60 / 9 000; 9 000 / 300
    assert "12 000 €" not in again, again


def test_new_counts_for_both_arms_rerun_the_readout_on_them(conv):
    first, paid = thread_of(
        conv,
        "onboarding test: A 5,000 users / 400 activations, B 5,100 users / 470 activations. winner?",
        "ok and with 7-day retention instead: A 260, B 262",
    )
    assert "8.00% (400 / 5,000)" in first, first
    # each arm's new count over the same users, not B's old count beside A's new one
    assert "5.20% (260 / 5,000)" in paid and "5.14% (262 / 5,100)" in paid, paid
    assert "Not significant" in paid


def test_day_numbers_without_a_plus_time_a_sequence_and_a_touch_is_moved_not_added(conv):
    first, moved = thread_of(
        conv,
        "séquence pour les nouveaux inscrits à l'essai : J0 bienvenue, J2 tuto vidéo, J6 témoignage "
        "client, J13 dernier rappel. tu me la rédiges ?",
        "décale le témoignage client à J+4",
    )
    assert "4 messages sur 13 jours" in first and "Cible" in first, first
    assert re.search(r"2\s+J\+2\s+Email\s+Tuto vidéo", first), first
    assert re.search(r"3\s+J\+4\s+Email\s+Témoignage client", moved), moved
    assert "4 messages" in moved and "J+6" not in moved


def test_todays_split_given_in_percent_per_channel_is_shown_beside_the_new_one(conv):
    (reply,) = thread_of(
        conv,
        "enveloppe 90 k€ ce semestre, aujourd'hui 40 % meta, 40 % google, 20 % tiktok. ROAS : "
        "meta 2,5, google 4,5, tiktok 1,0. on rééquilibre ?",
    )
    # 40/40/20 % of 90 000 € in place; ROAS-proportional: 2.5/8, 4.5/8, 1/8 of 90 000 €
    assert re.search(r"Meta\s+36 000 €\s+28 125 €\s+-7 875 €", reply), reply
    assert re.search(r"TikTok\s+18 000 €\s+11 250 €", reply) and "Également lu" not in reply


def test_a_plan_shows_its_audience_and_a_channel_added_with_a_share_of_the_budget(conv):
    plan, added = thread_of(
        conv,
        "campaign plan for our new savings app launch in May: budget €60k, goal 20,000 installs, "
        "target: young professionals in big cities",
        "add apple search ads with 25% of the budget",
    )
    assert "Target: young professionals in big cities" in plan, plan
    assert "Apple Search Ads: €15,000 (25%)" in added, added
    assert "Also read" not in added


def test_more_visitors_per_arm_at_the_same_rates_is_a_projection_not_a_result(conv):
    first, projected = thread_of(
        conv,
        "pricing page test: A 10,000 visitors 300 signups, B 10,000 visitors 345 signups. significant?",
        "what if we wait until 25,000 visitors per arm with the same rates?",
    )
    assert "Not significant" in first, first
    # each arm scaled to 25,000 at its own rate: 750 and 862.5 -> 862 signups
    assert "3.00% (750 / 25,000)" in projected and "(862 / 25,000)" in projected, projected
    assert "A projection, not a result" in projected and "Significant" in projected
    assert "EXP-" not in projected.split("Recommendation")[1]


def test_a_fact_added_about_the_thread_subject_reruns_its_specialist(conv):
    scored, booked = thread_of(
        conv,
        "score this lead: head of growth at a 700-person fintech, visited pricing 3 times",
        "he also booked a demo for next week",
    )
    assert "Lead score     65 pts" in scored, scored
    # +30 for the demo: 95 points, a hot lead; a date that is no input is not listed as unused
    assert "Lead score     95 pts" in booked and "not a marketing operations request" not in booked
    assert "Also read" not in booked, booked


def test_an_amount_added_to_a_plan_and_a_touch_added_on_a_day_of_a_spread_sequence(conv):
    plan, added = thread_of(
        conv,
        "budget 40 k€ pour le salon Retail Days du 3 au 5 juin, objectif 400 leads",
        "on ajoute 8 k€",
    )
    assert "Budget             40 000 €" in plan and "Budget             48 000 €" in added, added
    spread, pushed = thread_of(
        conv,
        "onboarding sequence: 5 emails over 12 days for new users",
        "add a push notification on day 4",
    )
    assert "5 messages over 12 days" in spread and "6 messages over 12 days" in pushed, pushed
    assert re.search(r"D\+4\s+Push\s+Push notification\n", pushed), pushed


def test_a_what_if_rate_is_answered_then_set_again_with_no_sign_off(conv):
    notices: list[str] = []
    first, again = thread_of(
        conv,
        "trial-to-paid is 6% on 5,000 trials a month, ARPU $30. if a better onboarding lifts it "
        "to 8%, how much MRR does that add?",
        "and at 9%?",
        notices=notices,
    )
    # (8 % − 6 %) × 5,000 = 100 more paying customers × $30
    assert "+100 conversions" in first and "+$3,000" in first, first
    assert "+150 conversions" in again and "+$4,500" in again, again
    assert notices == []  # a what-if outside a test moves no revenue to sign off


def test_a_loop_rate_set_to_a_level_is_that_rate_not_a_factor(conv):
    first, raised = thread_of(
        conv,
        "referral loop: 20,000 active users, 10% of them invite friends, 3 invites each, 25% of "
        "invitees sign up. K-factor?",
        "what if we push the invitee signup rate to 40%?",
    )
    # 0.1 × 3 = 0.3 invites per user; × 25 % = 0.075, × 40 % = 0.12 (not the invites × 1.4)
    assert "× 25.0% of invitees signing up = 0.075" in first and "about 1,500 signups" in first, (
        first
    )
    assert "× 40.0% of invitees signing up = 0.12" in raised and "0.30 invite(s)" in raised, raised
    assert "Also read" not in raised


def test_a_swap_rewrites_the_request_in_the_users_words(conv):
    first, swapped = thread_of(
        conv,
        "relance panier : email à 1h, sms à 24h, email avec code promo à 72h",
        "remplace le sms par une notification push",
    )
    assert "SMS" in first or "Sms" in first, first
    assert "Notification push" in swapped and "Sms" not in swapped and "SMS" not in swapped, swapped


def test_a_shorter_version_keeps_the_overview_and_the_first_section(conv):
    full, short = thread_of(
        conv,
        "monthly report for the board: revenue €250k (vs €215k), orders 2,400 (vs 2,100), "
        "ad spend €40k (vs €38k)",
        "shorter please, just the key figures",
    )
    assert "- 1. Summary" in full and "+16.3%" in full, full
    assert "+16.3%" in short and "- 1. Summary" not in short and "KPIs by funnel" not in short


def test_last_months_figures_given_after_keep_this_months_and_pair_the_bare_ones(conv):
    first, compared = thread_of(
        conv,
        "point KPI : dépense 8 000 €, 400 leads, 50 clients, CA 60 000 €",
        "et le mois dernier c'était 7 000 €, 350 leads, 40 clients, 50 000 €",
    )
    # this month stays 400 leads; the bare amounts are last month's spend and revenue
    assert re.search(r"Dépense\s+8 000 €\s+7 000 €\s+\+14,3 %", compared), compared
    assert re.search(r"CA\s+60 000 €\s+50 000 €\s+\+20,0 %", compared)
    assert "montant" not in compared and "400" in compared


def test_why_a_readout_is_significant_leads_with_its_verdict_and_p_value(conv):
    _, why = thread_of(
        conv,
        "A/B on the homepage hero: A 11,200 visitors 392 signups, B 11,150 visitors 446 signups",
        "why is it significant?",
    )
    assert why.startswith("A (control) 3.50% (392 / 11,200)"), why
    assert "p-value 0.0491" in why and "Verdict Significant (p < 0.05)" in why
    assert "proportions_ztest" in why  # then the method it came from


def test_terse_channel_then_roas_pairs_each_label_its_own_figure(conv):
    (reply,) = thread_of(conv, "roas fb 3.2 google 4.8 tiktok 1.5, 40k to split pls")
    # 40,000 × 4.8 / 9.5 for Google, the best ROAS; no channel left without its ROAS
    assert "€20,211" in row(reply, "Google") and "4.80x" in row(reply, "Google"), reply
    assert "not given" not in reply and "Also read" not in reply


def test_a_channel_removed_from_a_listed_sequence_leaves_it(conv):
    first, removed = thread_of(
        conv, "our onboarding flow is email D0, sms D3, email D6, push D9", "remove the sms"
    )
    assert "4 messages over 9 days" in first and "SMS" in first, first
    assert "3 messages over 9 days" in removed and "SMS" not in removed, removed


def test_the_same_kpis_for_last_month_offer_no_possible_situation(conv):
    notices: list[str] = []
    _, again = thread_of(
        conv,
        "KPIs: spend $15k, revenue $52k, 640 orders, 21k clicks",
        "same for last month: $13k, $41k, 520 orders, 19k clicks",
        notices=notices,
    )
    assert "3.15x" in again and "Possibly" not in again and notices == [], again
