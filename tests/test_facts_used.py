"""Deliverables answer the question asked with every fact given (issue: understanding that
generalises): the user's own scoring grid, a revenue test without conversions, k arms, the power
and alpha asked, a complaint inside a running sequence."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from graph.conversations import Conversations
from graph.threads import Thread
from tests.test_conversations import say, thread_of

# the year of the coming 1 March ("d'ici mars"), this year's up to the end of March
_MARCH_NEXT = date.today().year + (date.today().month > 3)


@pytest.fixture(scope="module")
def conv(tmp_path_factory):
    return Conversations(str(tmp_path_factory.mktemp("facts") / "c.db"))


def answer(conv, text: str) -> tuple[str, list[str]]:
    """The bot's reply to ``text`` in a new thread, and the escalation notices it sent."""
    notices: list[str] = []
    replies = say(conv, Thread("T", "CFACT", str(abs(hash(text)))), text, notices)
    return "\n".join(replies), notices


def answer_with_file(conv, text: str, file) -> tuple[str, list[str]]:
    """The bot's reply to ``text`` shared with ``file`` (graph.data.load_file) in a new thread,
    and the escalation notices it sent."""
    from bot.escalations import Desk, EscalationNotifier
    from bot.render import text_of
    from bot.roles import Directory

    notices: list[str] = []
    thread = Thread("T", "CLEADS", str(abs(hash(text))))
    notifier = EscalationNotifier(
        Desk(conv.store, Directory({}), conv.context.hierarchy.escalations),
        thread,
        lambda t, b, e: notices.append(t),
    )
    replies = conv.handle(thread, text, notifier, files=[file])
    return "\n".join(text_of(i) for i in replies), notices


def test_a_lead_is_scored_with_the_users_own_grid_and_threshold(conv):
    reply, notices = answer(
        conv,
        "notre grille de scoring : C-level +30, manager +15, boite 200-1000 salariés +20, visite page "
        "tarifs +10/visite (max 30), ouverture email +2, adresse gmail/hotmail -15. seuil MQL 50. lead : "
        "Julien, responsable marketing (niveau manager) dans une PME de 350 personnes, 2 visites tarifs, "
        "6 ouvertures d'email, adresse en @gmail.com. il est MQL ?",
    )
    assert (
        "Score du lead  52 pts" in reply
        and "Statut         MQL" in reply
        and "Seuil MQL      50 pts" in reply
    ), reply
    assert "visite page tarifs       × 2" in reply and "Score indiqué dans le message" not in reply
    assert notices == []  # 52 is no hot lead, and the grid's +30 is nobody's score


def test_a_grid_written_with_equals_signs_and_a_lower_bound_is_the_users_own(conv):
    reply, notices = answer(
        conv,
        "our grid: head of / VP = 25 pts, manager = 10, company over 1000 employees = 20, ebook "
        "download = 5 each (cap 10), trade show visit = 15, student = -20. MQL threshold 55. Lead: "
        "Marc, marketing manager at a 4,200-employee retailer, downloaded 3 ebooks, met us at a trade "
        "show visit. MQL?",
    )
    # manager 10 + over 1000 employees 20 + 3 ebooks capped at 10 + trade show 15 = 55, at the threshold
    assert "Lead score     55 pts" in reply and "MQL threshold  55 pts" in reply, reply
    assert "Status         MQL" in reply and "ebook download" in reply
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Enterprise lead"], notices


def test_a_revenue_test_reads_revenue_per_visitor_asks_for_its_variance_and_escalates(conv):
    reply, notices = answer(
        conv,
        "checkout test readout: control 15,400 users / $61,600 revenue, variant 15,350 users / $70,610 "
        "revenue. variant wins right? we want to ship tomorrow",
    )
    assert "$4.00 per visitor" in reply and "$4.60 per visitor" in reply and "15.0%" in reply, reply
    assert (
        "Welch" in reply
        and "standard deviation" in reply
        and "visitors and conversions of B" not in reply
    )
    assert any("Management sign-off" in n and "15 %" in n for n in notices), notices


@pytest.mark.parametrize(
    "text, per_variant, days, method",
    [
        (
            "we want to test 3 new headlines vs control (4 arms total) on the blog signup box. baseline 1.5%, MDE +0.3pt absolute, "
            "~6k visitors/day. how long do we need?",
            "37,677 visitors per variant",
            "Duration           26 days",
            "alpha 0.0167",
        ),
        (
            "on teste 3 variantes + contrôle sur la page tarifs : taux actuel 1,5 %, +0,3 point à détecter, 6000 visites par jour",
            "37 677 visiteurs par variante",
            "26 jours",
            "Bonferroni",
        ),
        (
            "test A/B sur la page panier : taux actuel 3 %, on veut détecter +10 % relatif, 4000 visites par jour, puissance 90 %, alpha 1 %",
            "100 819 visiteurs par variante",
            "51 jours",
            "alpha 0.01, power 0.9",
        ),
        (
            "combien de temps pour tester 2 nouvelles bannières contre l'actuelle ? conv 3,5 %, on veut détecter +15 % relatif, 4 000 visiteurs/jour",
            "24 945 visiteurs par variante",
            "19 jours",
            "alpha 0.025",
        ),
    ],
)
def test_a_test_plan_uses_the_arms_power_and_alpha_asked(conv, text, per_variant, days, method):
    reply, _ = answer(
        conv, text
    )  # references: statsmodels NormalIndPower with those alpha / power (Bonferroni: 0.05 / 3)
    assert per_variant in reply and days in reply and method in reply, reply


def test_a_complaint_inside_a_running_sequence_takes_the_contact_out_instead_of_asking_about_the_sequence(
    conv,
):
    reply, notices = answer(
        conv,
        "dans la sequence d'onboarding, un client a repondu au mail 3 qu'on l'avait preleve deux fois et "
        "qu'il allait faire opposition aupres de sa banque. la sequence continue de lui envoyer des mails, "
        "on fait quoi ?",
    )
    assert any("Plainte dans workflow" in n for n in notices), notices
    assert "sortir ce contact du workflow" in reply and "il me manque" not in reply, reply


def test_a_multichannel_promotion_plans_the_offer_window_with_caps_and_exclusions(conv):
    reply, _ = answer(
        conv,
        "promo -20% du 14 au 20 octobre. on communique en email (base 120k), sms (35k), push app et insta. "
        "tu peux me caler un planning de diffusion par canal sans cramer les memes clients 4 fois ?",
    )
    sends = [
        line
        for line in reply.splitlines()
        if line[:2].isdigit() and any(c in line for c in ("Email", "SMS", "Push", "Instagram"))
    ]
    days = {line[:5] for line in sends if "Instagram" not in line}
    assert {"14/10", "20/10"} <= days and all("14/10" <= line[:5] <= "20/10" for line in sends), (
        reply
    )
    assert "Toute la base (120 000 contacts)" in reply and "Base SMS (35 000)" in reply
    assert (
        "3 au plus sur toute l'offre" in reply
        and "Exclusion des acheteurs" in reply
        and "Offre -20 %" in reply
    )
    assert "sans effet sur ce calcul" not in reply  # every figure given is used


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "need growth hacks for our viral loop, each user sends 3 invites on avg and 15% of invitees sign up. whats our k factor?",
            "K-factor = 3.00 invite(s) per user × 15.0% of invitees signing up = 0.45.",
        ),
        (
            "On cherche des growth hacks pour booster le parrainage : chaque user invite en moyenne 0,4 personne et 25% des invités s'inscrivent",
            "= 0,10.",
        ),
        (  # 8 % of users invite, 3 each: 0.24 invites per user, × 20 % = 0.048
            "Our referral program: 10,000 active users, 8% of them invite someone, each inviter "
            "sends 3 invites on average and 20% of invites convert. What's our viral coefficient?",
            "K-factor = 0.24 invite(s) per user (8.0% of users invite × 3.00 each) × 20.0% of "
            "invitees signing up = 0.048.",
        ),
    ],
)
def test_growth_hacks_asked_with_a_viral_loop_get_its_k_factor_and_candidates(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "il me manque" not in reply and "I still need" not in reply, reply
    assert "- 8% of them invite someone" not in reply, reply  # the facts given are no ideas


def test_a_sequence_keeps_the_interval_and_the_channel_asked_and_a_negated_demo_raises_nothing(
    conv,
):
    reply, notices = answer(
        conv,
        "les leads qui n'ont pas demandé de démo, on les met dans quelle séquence de nurturing ? "
        "5 emails, un tous les 3 jours",
    )
    assert (
        "5 messages sur 12 jours" in reply
        and "J+12" in reply
        and "tous les 3 jours comme demandé" in reply
    ), reply
    assert "LinkedIn" not in reply.split("Séquence\n")[-1].split("Sorties")[0]
    assert notices == []  # "qui n'ont pas demandé de démo": no demo request
    reply, _ = answer(conv, "séquence de réactivation sur 3 semaines, 6 messages en email et sms")
    assert "6 messages sur 21 jours" in reply and "SMS" in reply and "LinkedIn" not in reply, reply


def test_a_lead_scored_zero_is_scored_and_raises_no_hot_lead(conv):
    _, notices = answer(
        conv, "score this one: freelance designer, hotmail address, attended one webinar"
    )
    assert not any("Hot lead" in n or "Immediate sales alert" in n for n in notices), notices


def test_a_leads_file_is_scored_from_each_rows_values_and_its_rows_raise_their_escalations(conv):
    from graph.data import load_file

    leads = load_file(
        "leads.csv",
        "name,title,company_size,pricing_visits,demo_requested\nAlice Martin,CMO,12000,3,yes\n"
        "Bob Durand,stagiaire,15,0,no\nChloé Petit,Head of Growth,350,5,no\n".encode(),
    )
    reply, notices = answer_with_file(conv, "score ces leads : leads.csv", leads)
    bob = next(line for line in reply.splitlines() if line.startswith("Bob Durand"))
    assert "Demande de démo" not in bob and "pricing" not in bob, (
        bob
    )  # 'no' and 0 are not a demo nor a visit
    alice = next(line for line in reply.splitlines() if line.startswith("Alice Martin"))
    assert "Entreprise de 200 salariés ou plus" in alice and "Demande de démo" in alice, alice
    assert any("Demande demo/pricing" in n and "Alice Martin" in n for n in notices), notices
    assert any("Enterprise lead" in n and "Alice Martin : 12 000 salariés" in n for n in notices), (
        notices
    )


def test_a_step_table_with_a_users_column_is_read_as_step_counts():
    from graph.data import funnel, kind_of, load_file

    table = load_file(
        "funnel.csv", b"step,users\nvisite,12000\npanier,1800\ncheckout,900\nachat,420\n"
    )
    assert kind_of(table) == "funnel-analysis"
    assert funnel(table) == (
        [("visite", 12000), ("panier", 1800), ("checkout", 900), ("achat", 420)],
        {},
    )


def test_a_stated_revenue_move_is_escalated_with_the_readout_the_direction_decides_on(conv):
    thread = Thread("T", "CFACT", "revenue-readout")
    notices: list[str] = []
    replies = say(
        conv,
        thread,
        "Résultat du test checkout : la variante B fait +14 % de CA par visiteur, 10 200 visiteurs par bras, "
        "612 commandes vs 540 en contrôle. On déploie ?",
        notices,
    )
    reply = "\n".join(replies)
    assert any("Validation direction" in n and "14 %" in n for n in notices), notices
    assert (
        "J'attends la décision de @direction" in replies[0]
        and "p-value                          0,0290" in reply
    ), reply
    assert (
        conv.pending(thread)[0]["kind"] == "decision_pending"
    )  # the sign-off still blocks what comes next


@pytest.mark.parametrize(
    "text, evidence",
    [
        (
            "our pricing page test (annual plan default vs monthly default) shows annual default "
            "bringing 18% more revenue per visitor over 3 weeks. 22k visitors each side. can we "
            "flip it for everyone on monday?",
            "18 %",
        ),
        (
            "Le test de la page panier donne 12 % de CA en plus pour la variante sur 15 jours, "
            "9 000 visiteurs par bras. On la passe à 100 % ?",
            "12 %",
        ),
    ],
    ids=["en-more-revenue-per-visitor", "fr-ca-en-plus"],
)
def test_a_share_of_revenue_a_test_brings_is_signed_off_by_the_direction(conv, text, evidence):
    """The revenue measure written after the share still says revenue moved by more than 10 %."""
    _, notices = answer(conv, text)
    assert any(evidence in n and ("direction" in n) for n in notices), notices


@pytest.mark.parametrize(
    "text, action",
    [
        (
            "our onboarding flow keeps emailing people who already unsubscribed through the "
            "preference center - got 3 angry replies this morning. what should we do?",
            "Exit workflow + escalate to support",
        ),
        (
            "tout le monde ici pense que les vidéos courtes marchent mieux que les carrousels sur "
            "LinkedIn, mais nos chiffres disent l'inverse : carrousels 2,4 % d'engagement sur "
            "40 posts, vidéos 1,1 % sur 35 posts. on fait quoi pour le plan T1 ?",
            "Discussion stakeholders",
        ),
    ],
    ids=["unsubscribed-still-emailed", "the-team-believes-the-numbers-disagree"],
)
def test_a_situation_said_in_plain_team_words_is_escalated(conv, text, action):
    """Angry replies from people a flow still emails, a belief the figures contradict: raised,
    not only named as possible."""
    _, notices = answer(conv, text)
    assert any(action in n for n in notices), notices


def test_a_figure_the_deliverable_cannot_use_says_who_in_the_team_would(conv):
    reply, _ = answer(
        conv,
        "coordination des équipes pour le lancement de notre gamme bio le 15 mars : insta, email, "
        "influence. budget 25 000 €",
    )
    assert (
        "budget 25 000 €. Ce calcul ne s'en sert pas ; l'équipe s'en sert pour : Allouer et optimiser"
        in reply
    ), reply


def test_a_report_computes_the_kpis_of_the_figures_it_is_given(conv):
    reply, _ = answer(
        conv,
        "pour le reporting mensuel on a 12 000 sessions et 300 commandes, quelle structure de rapport ?",
    )
    assert "Taux de conversion  2,50 %" in reply and "ne s'en sert pas" not in reply, reply


@pytest.mark.parametrize(
    "text, steps, said",
    [
        (
            "je veux un workflow de relance pour les devis non signés : relance email à J+3, appel "
            "commercial à J+7, dernière relance J+14",
            [["J+3", "Email"], ["J+7", "Appel"], ["J+14", "Email"]],
            ["Appel commercial", "3 messages sur 14 jours"],
        ),
        (  # "at signup" opens at D0; H-1 before the end of a 21-day trial is D+21; a "last call"
            # is a final reminder, no phone call
            "trial nurture: welcome email at signup, feature tour day 3, webinar invite day 9, "
            "upgrade offer day 18, last call H-1 before trial end (21-day trial). good?",
            [["D0", "Email"], ["D+3", "Email"], ["D+9", "Email"], ["D+18", "Email"]]
            + [["D+21", "Email"]],
            ["5 messages over 21 days"],
        ),
    ],
)
def test_a_sequence_listed_touch_by_touch_keeps_its_delays_channels_and_messages(
    conv, text, steps, said
):
    reply, _ = answer(conv, text)
    rows = [line.split() for line in reply.splitlines() if line[:1].isdigit()]
    assert [r[1:3] for r in rows] == steps, reply
    assert all(s in reply for s in said), reply


def test_a_scoring_model_asked_for_a_target_range_is_no_lead_and_raises_nothing(conv):
    reply, notices = answer(
        conv,
        "build a lead scoring model for our B2B SaaS: we sell to IT teams in companies of 200-5000 employees",
    )
    assert "no lead described" in reply and "200-5000 employees" in reply, reply
    assert notices == [], notices  # a target range is not a 5,000-employee lead
    reply, _ = answer(
        conv,
        "Besoin d'un scoring pour nos leads inbound : on a 1 800 leads/mois, seulement 9 % "
        "deviennent SQL. Comment on construit la grille ?",
    )
    assert "aucun lead décrit" in reply and "Score du lead  0 pts" not in reply, reply
    assert "soit 162 par mois" in reply, reply  # 1 800 × 9 %: the SQL threshold's calibration


def test_a_quote_asked_counts_as_a_demo_request_and_raises_it(conv):
    reply, notices = answer(
        conv,
        "lead : directrice marketing chez Decathlon, a téléchargé 3 livres blancs et demandé un devis hier",
    )
    assert "Demande de démo ou de devis" in reply and "Score du lead  75 pts" in reply, reply
    assert any("Demande demo/pricing" in n for n in notices), notices


def test_an_inactivity_rule_takes_the_users_trigger_and_actions(conv):
    reply, notices = answer(
        conv,
        "quand un client n'a pas commandé depuis 60 jours, envoyer un email de réactivation avec un "
        "code -15%, puis un SMS 5 jours après s'il n'a pas ouvert",
    )
    assert "déclencheur « n'a pas commandé »" in reply and "il me manque" not in reply, reply
    assert "Envoyer un email de réactivation avec un code -15%" in reply, reply
    assert notices == [], notices
    reply, _ = answer(
        conv,
        "can you set up a trigger: when a trial user hasn't logged in for 7 days, send an email, "
        "then if still inactive after 3 more days notify the CSM in slack",
    )
    row = next(line for line in reply.splitlines() if "Notify the CSM in slack" in line)
    assert "for 7 days — if still inactive after 3 more days" in row, reply
    assert "30 days" not in reply, reply  # the seed example's timing gives way to the user's
    reply, _ = answer(
        conv,
        "workflow please: when someone registers for the webinar, send the confirmation right "
        "away, then a reminder after 6 days, then a sales call at day 9 if they attended",
    )
    lines = reply.lower().splitlines()
    reminder = next(i for i, line in enumerate(lines) if "reminder" in line)
    call = next(i for i, line in enumerate(lines) if "call at day 9" in line)
    assert reminder < call, reply  # day 6 before day 9, though the call's delay is in its action


def test_a_goal_said_before_the_roas_is_the_target(conv):
    reply, _ = answer(
        conv,
        "la campagne meta de la semaine dernière : 9 400 € dépensés, 188 achats, CA 31 960 €. "
        "c'est bon ou pas ? notre objectif c'est un ROAS de 3,5",
    )
    assert "3,40x" in reply and "3,50x" in reply and "-2,9 %" in reply, reply  # 31 960 / 9 400


def test_a_campaign_check_in_is_read_against_its_target_and_its_pace(conv):
    reply, _ = answer(
        conv,
        "how's the back-to-school campaign pacing? spent 9.6k of 20k, 12 days in out of 30, "
        "210 conversions, target CPA is $50",
    )
    # CPA 9 600 / 210 = 45.71 (8.6 % under 50); pace 9 600 / 12 × 30 = 24 000 > 20 000
    assert "CPA $45.71 below the $50 target (-8.6%)" in reply, reply
    assert "Overpacing" in reply and "$24,000" in reply and "525 conversions" in reply, reply
    reply, _ = answer(
        conv,
        "Black Friday campaign check-in: spent €31k of €50k, 1,150 orders, €96k revenue, target ROAS "
        "was 3.5. are we on track?",
    )
    assert "ROAS 3.10x below the 3.50x target (-11.5%)" in reply, reply  # 96 / 31


def test_a_report_against_the_previous_period_shows_each_change_and_raises_nothing(conv):
    reply, notices = answer(
        conv,
        "weekly report: sessions 52k (vs 47k), signups 1,380 (vs 1,290), paid spend €9.4k (vs €8.8k), "
        "revenue €61k (vs €58k). can you write it up for the exec team?",
    )
    row = next(line for line in reply.splitlines() if line.startswith("Conversion rate"))
    assert row.split()[2:] == ["2.65%", "2.74%", "-0.09", "pt"], reply  # 1 380 / 52k vs 1 290 / 47k
    assert "€61,000      €58,000          +5.2%" in reply and "Lecture du test" not in reply, reply
    assert notices == [], notices
    reply, notices = answer(
        conv,
        "bilan du mois : CA 240 k€ contre 210 k€ le mois dernier, 3 100 commandes contre 2 900, "
        "dépense 45 k€ contre 41 k€",
    )
    assert "+14,3 %" in reply and "5,33x          5,12x" in reply, reply  # ROAS 240/45, 210/41
    assert notices == [], notices  # a month against the last is no test to sign off
    reply, _ = answer(
        conv,
        "KPIs du mois vs mois dernier : visites 120k vs 110k, commandes 2 400 vs 2 350, CA 168k€ vs 150k€",
    )
    assert "Fiche KPIs" in reply and "-0,14 pt" in reply, reply


def test_two_periods_written_one_after_the_other_are_compared(conv):
    reply, notices = answer(
        conv,
        "reporting hebdo stp : S48 CA 64 200 €, 1 020 commandes, taux de conv 2,4 % ; "
        "S47 CA 58 900 €, 960 commandes, taux de conv 2,3 %",
    )
    assert "64 200 €       58 900 €            +9,0 %" in reply, reply  # S48 is this period
    assert "2,40 %         2,30 %              +0,10 pt" in reply and notices == [], reply
    reply, _ = answer(
        conv, "weekly numbers: sessions 52k (vs 47k), orders 1,180 (vs 1,050), revenue 71k (vs 63k)"
    )
    assert "€71,000      €63,000          +12.7%" in reply, reply  # "(vs 63k)": revenue too
    reply, _ = answer(
        conv,
        "weekly report please: sessions 38,200 (last week 41,000), signups 612 (598), MQLs 140 "
        "(155), spend €7,900 (€8,100)",
    )
    assert "140          155              -9.7%" in reply, reply  # last week's in brackets
    reply, _ = answer(
        conv,
        "weekly report pls: sessions 84k (last week 79k), signups 1,240 (1,310), paid conv 96 "
        "(88), spend $18.4k ($17.9k)",
    )
    # "last week 79k" is last week's sessions, not week 79; signups and paid conversions apart
    assert "84,000       79,000           +6.3%" in reply, reply
    assert "Signups              1,240        1,310            -5.3%" in reply, reply
    assert "Signup to paid       7.74%        6.72%            +1.02 pt" in reply, reply


@pytest.mark.parametrize(
    "text, said",
    [
        (  # revenue = 7 440 × 58 = 431 520 €; ROAS = 431 520 / 61 000
            "KPIs de novembre stp : 310 000 sessions, 7 440 commandes, panier moyen 58 €, dépense "
            "acquisition 61 000 €",
            ["431 520,00 €", "7,07x"],
        ),
        (  # purchases are the orders: 310 × $90 = $27,900 of revenue; ROAS 27 900 / 20 000
            "we spent $20k on Meta last month for 310 purchases, AOV $90. ROAS and CPA?",
            ["$27,900.00", "1.40x", "$64.52"],
        ),
    ],
)
def test_a_kpi_given_is_not_asked_for_and_gives_the_revenue_it_implies(conv, text, said):
    reply, _ = answer(conv, text)
    assert all(s in reply for s in said), reply
    assert "non calculé" not in reply and "not computed" not in reply, reply


def test_unit_economics_give_the_cac_payback_and_ltv_to_cac(conv):
    reply, _ = answer(
        conv,
        "notre CAC est de 420 €, l'ARPU 39 €/mois, marge brute 80 %. en combien de mois on rembourse un client ?",
    )
    assert "13,5 mois" in reply, reply  # 420 / (39 × 0.80)
    reply, _ = answer(
        conv,
        "CAC $300, ARPU $50/month, churn 4% monthly, gross margin 75%. whats our LTV/CAC and payback?",
    )
    # LTV = 50 / 0.04 = 1 250 on revenue, 50 × 0.75 / 0.04 = 937.50 on margin; LTV/CAC on margin
    # = 3.125; payback = 300 / (50 × 0.75) = 8 months
    assert "$1,250.00" in reply and "$937.50" in reply and "3.12x" in reply, reply
    assert "8.0 months" in reply and "not computed" not in reply, reply


def test_an_ltv_with_a_gross_margin_is_on_margin_and_gives_the_highest_cac(conv):
    reply, _ = answer(
        conv,
        "J'ai un taux de churn mensuel de 3,5 %, ARPU 45 €, marge brute 70 %. Quelle LTV ? et quel "
        "CAC max ?",
    )
    # 45 × 70 % / 3,5 % = 900 € of margin; at LTV/CAC 3:1 a customer may cost 300 €
    assert re.search(r"LTV \(sur marge brute\)\s+900,00 €", reply), reply
    assert re.search(r"CAC maximum \(LTV/CAC 3:1\)\s+300,00 €", reply), reply
    assert "CPA non calculé" not in reply, reply


@pytest.mark.parametrize(
    "text, said",
    [
        (  # 30 000 / 8 000; over 6 weeks, a week's share
            "plan a launch campaign for our new mobile app in Germany, goal 8,000 downloads in 6 "
            "weeks, budget €30k",
            ["Goal: 8,000 downloads", "€3.75 per conversion", "i.e. 1,333 a week"],
        ),
        (  # a 4-day campaign is paced by the day: 12 000 / 4, 600 / 4
            "flash sale from 3 to 6 March, budget €12k on Meta and email, goal 600 orders. plan it?",
            ["€12,000 over 4 days, i.e. €3,000 a day", "i.e. 150 a day", "€20.00 per conversion"],
        ),
    ],
)
def test_a_campaign_goal_sets_the_target_cost_per_conversion(conv, text, said):
    reply, _ = answer(conv, text)
    assert all(s in reply for s in said), reply
    assert "not used by this calculation" not in reply, reply


def test_a_workflow_keeps_the_steps_listed_and_a_trigger_its_amount_condition(conv):
    reply, _ = answer(
        conv,
        "workflow d'onboarding pour les nouveaux clients B2B : email de bienvenue J0, call de kickoff J+2, "
        "formation J+7, point à J+30",
    )
    assert (
        "J0 : Email de bienvenue → J+2 : Call de kickoff → J+7 : Formation → J+30 : Point" in reply
    )
    reply, _ = answer(
        conv,
        "when someone abandons checkout with more than €200 in cart, send an email after 1 hour, an sms "
        "after 24h, and alert the sales team",
    )
    assert "abandons checkout — with more than €200 in cart — after 1 hour  Send an email" in reply
    assert "Alert the sales team" in reply and "I still need" not in reply, reply


def test_a_ceo_s_opinion_is_no_lead_to_score(conv):
    reply, notices = answer(
        conv,
        "our ROAS dropped from 4.1 to 2.6 after we moved budget to Advantage+, the CEO wants to keep it "
        "anyway because 'the algorithm knows better'",
    )
    assert "Lead score" not in reply, reply
    assert any("Data vs intuition" in n for n in notices), notices


def test_a_cro_upside_uses_the_rate_asked_and_segments_keep_their_shares(conv):
    reply, _ = answer(
        conv,
        "our checkout converts 1.9% on 120k monthly sessions, AOV $85. what's the revenue upside if we "
        "get to 2.3%?",
    )
    assert "+$40,800/month" in reply and "2.30%" in reply, reply  # 120 000 × 0.4 % × $85
    reply, _ = answer(
        conv,
        "personalize the homepage for 3 segments: new visitors (55%), returning (35%) and customers "
        "(10%). 200k monthly visits",
    )
    assert "returning (35%, 70,000 visitors a month)" in reply, reply
    assert "Also read" not in reply, reply
    reply, _ = answer(
        conv,
        "on a 3 segments : clients fidèles (12 000, panier 85 €), occasionnels (30 000, panier "
        "52 €), nouveaux (8 000, panier 40 €). on veut un email de noël personnalisé par segment",
    )  # the brackets' commas do not split the list
    assert "occasionnels (30 000, panier moyen 52 €)" in reply and "nombre 12 000" not in reply


def test_a_b2b_report_computes_the_pipeline_kpis_and_the_gap_to_each_target(conv):
    reply, _ = answer(
        conv,
        "Monthly report for the board: MQLs 1,240 (target 1,100), SQLs 310 (target 350), pipeline "
        "€2.1M, closed won €480k, spend €96k",
    )
    # 310 / 1 240 = 25 %; 96 000 / 310 = 309.68; 2.1M / 96k = 21.88x; 310 against 350 = -11.4 %
    assert "25.00%" in reply and "€309.68" in reply and "21.88x" in reply, reply
    assert "SQLs    310          350     -11.4%" in reply and "Also read" not in reply, reply


def test_a_cpa_that_moved_gets_a_diagnosis_and_roas_needs_no_conversions(conv):
    reply, _ = answer(
        conv,
        "hey, our paid social CPA went from $38 to $52 in 3 weeks while spend stayed at ~$20k/week. "
        "what should we look at first?",
    )
    # 52 / 38 = +36.8 %; at constant spend conversions fall by 38 / 52 - 1 = -26.9 %
    assert "CPA moved from $38.00 to $52.00 (+36.8%)" in reply and "-26.9%" in reply, reply
    assert "Budget allocation" not in reply and "CPM" in reply, reply
    reply, _ = answer(conv, "ROAS of the campaign: spend €15k, revenue €52k")
    assert "3.47x" in reply and "I still need" not in reply, reply


def test_a_flows_emails_are_read_one_by_one_with_where_people_drop(conv):
    reply, _ = answer(
        conv,
        "quick one: our welcome flow has 3 emails, open rates 52% / 38% / 31%, click rates 9% / 5% "
        "/ 3.5%. list of 14k new subs per month. where do we lose people and what should we fix first?",
    )
    row = next(line for line in reply.splitlines() if line.startswith("Email 2"))
    assert row.split() == ["Email", "2", "38.0%", "5.0%", "13.2%", "5,320", "700"], reply
    assert "drop most at email 2: 14.0 pts" in reply and "14,000 contacts" in reply, reply


@pytest.mark.parametrize(
    "text, said",
    [
        (  # RPV 29 × 4 120 / 118 000 = $1.01 against 35 × 3 890 / 117 400 = $1.16: +14.5 %,
            # though fewer convert at the new price
            "Hello, we ran a pricing test for 3 weeks: old price $29 → 4,120 trials / 118,000 "
            "visitors, new price $35 → 3,890 trials / 117,400 visitors. Revenue per visitor is what "
            "we care about. Which one wins?",
            ["mean $1.16", "14.5%"],
        ),
        (  # arms named by their price: 19 × 240 / 6 000 = $0.76 against 24 × 210 / 6 000 = $0.84
            "pricing test $19 vs $24 on the plans page, 6,000 visitors each, 240 upgrades at $19, "
            "210 at $24. which one do we keep?",
            ["mean $0.84", "10.5%", "210 conversions (3.50%)"],
        ),
    ],
)
def test_a_pricing_test_is_read_on_revenue_per_visitor_with_welch(conv, text, said):
    reply, notices = answer(conv, text)
    assert all(s in reply for s in said) and "Welch" in reply, reply
    assert "Keep A" not in reply and any("Management sign-off" in n for n in notices), notices


def test_a_sequence_around_an_event_keeps_its_days_before_and_after_with_their_dates(conv):
    reply, _ = answer(
        conv,
        "salut, pour le salon VivaTech (12-15 juin 2027), on veut une séquence avant/pendant/après : "
        "invitation J-21, rappel J-7, relance J-1, puis remerciement J+1 et offre J+7. tu me fais ça propre ?",
    )
    assert "5 messages sur 28 jours" in reply, reply  # J-21 to J+7
    assert "J-21   22/05/2027" in reply and "J+1    16/06/2027" in reply, (
        reply
    )  # after: from the 15th


def test_a_rate_to_reach_gives_what_it_adds(conv):
    reply, _ = answer(
        conv,
        "our trial-to-paid is 14%, trial signups 2,300/month, ARPU $79/mo. if we push trial-to-paid "
        "to 17%, how much MRR does that add?",
    )
    # 2 300 × (17 − 14) % = 69 more paying a month, × $79
    assert "+69 conversions" in reply and "+$5,451" in reply and "Push" not in reply, reply


def test_a_newsletter_cadence_over_a_quarter_is_dated_send_by_send(conv):
    reply, _ = answer(
        conv,
        "calendrier éditorial newsletter : 2 envois par mois, base 48 000 abonnés, taux "
        "d'ouverture 27 %. tu peux me planifier le T1 2027 ?",
    )
    dated = [line for line in reply.splitlines() if line[:10].count("/") == 2]
    assert len(dated) == 6 and dated[0].startswith("05/01/2027"), reply  # two Tuesdays a month
    assert "12 960" in dated[0], reply  # 48 000 × 27 %


def test_a_ctr_test_a_moved_rate_per_arm_a_churn_then_a_margin_are_read_as_written(conv):
    reply, _ = answer(
        conv,
        "le client veut savoir si son test est concluant : version A 2 340 clics sur 61 000 "
        "impressions, version B 2 810 clics sur 60 400 impressions. c'est bon ?",
    )
    assert "3,84 % (2 340 / 61 000)" in reply and "il me manque" not in reply, reply
    # a rate said to move in a test given per arm: control then variant, 480 / 12 000 and 552
    reply, _ = answer(
        conv,
        "ab test on the signup form: conversion went from 4.0% to 4.6% with 12,000 visitors per "
        "arm. significant?",
    )
    assert "4.00% (480 / 12,000)" in reply and "4.60% (552 / 12,000)" in reply, reply
    reply, _ = answer(
        conv,
        "pour l'infolettre de la rentrée, on a 22 000 abonnés, un taux d'ouverture de 31 %. "
        "combien de clics on peut espérer si le taux de clic est de 2,8 % ?",
    )
    assert "6 820 (et 616 clics" in reply and "Calendrier" not in reply, reply  # 22 000 × 2,8 %
    reply, _ = answer(
        conv,
        "quel est notre LTV si l'ARPU est de 39 €/mois, le churn mensuel de 4 % et la marge brute "
        "de 70 % ? et le ratio LTV/CAC avec un CAC de 180 € ?",
    )
    # 39 / 4 % on revenue; 39 × 70 % / 4 % = 682,50 € on margin, the one against the CAC: 3,79x
    assert "975,00 €" in reply and "682,50 €" in reply and "6,6 mois" in reply, reply
    assert "3,79x" in reply, reply


def test_kpis_given_channel_by_channel_are_computed_for_each_and_in_total(conv):
    reply, _ = answer(
        conv,
        "calcule-moi le ROAS et le CPA de nos campagnes : Google 12 400 € dépensés pour 61 200 € "
        "de CA et 820 ventes, Meta 9 800 € pour 28 400 € et 510 ventes",
    )
    google = next(line for line in reply.splitlines() if line.startswith("Google "))
    assert "4,94x" in google and "15,12 €" in google, reply  # 61 200 / 12 400; 12 400 / 820
    assert "4,04x" in reply and "il me manque" not in reply, reply  # 89 600 / 22 200 in total


def test_a_workflow_with_a_score_rule_is_a_workflow_not_a_lead_scored(conv):
    reply, notices = answer(
        conv,
        "workflow HubSpot pour les leads qui téléchargent le guide tarifaire : email immédiat avec "
        "le guide, tâche au commercial si score > 50, relance J+3 si pas d'ouverture",
    )
    assert "Conception de workflows" in reply and "Score du lead" not in reply, reply
    assert "J0 : Email immédiat avec le guide → J+3 : Relance" in reply, reply
    assert "Workflow Lead Nurturing en production" in reply and "{" not in reply, reply


def test_a_referral_loop_a_numbered_ice_list_and_a_funnel_upside_in_revenue(conv):
    reply, _ = answer(
        conv,
        "on veut lancer un programme de parrainage : chaque client invite en moyenne 2,5 amis, "
        "12 % s'inscrivent. ça vaut le coup ?",
    )
    assert "= 0,30" in reply, reply  # K = 2,5 × 12 %
    reply, _ = answer(
        conv,
        "idées growth à prioriser : (1) quiz produit I8 C6 E5, (2) programme ambassadeurs I7 C5 "
        "E3, (3) popup exit-intent I5 C8 E9, (4) refonte onboarding I9 C6 E2. tu classes ?",
    )
    first = next(line for line in reply.splitlines() if line.startswith("1 "))
    assert "popup exit-intent" in first and "360" in first, reply  # 5 × 8 × 9
    reply, _ = answer(
        conv,
        "our checkout funnel: cart 12,000 → shipping info 7,800 → payment 5,100 → confirmation "
        "4,300. what's the revenue upside if we fix the worst step? AOV $95",
    )
    assert "+232 final conversions, that is $21,996" in reply and "Also read" not in reply, reply


def test_last_years_spend_and_revenue_by_arrows_split_this_years_budget(conv):
    reply, notices = answer(
        conv,
        "budget 2027 : on a 1,2 M€ pour l'année. l'an dernier : SEA 420k€ → 1,9 M€ de CA, Social "
        "310k€ → 870k€, Affiliation 150k€ → 610k€, Display 120k€ → 190k€. comment on répartit ?",
    )
    assert "Allocation budgétaire — 1 200 000 €" in reply and "4,52x" in reply, reply  # 1,9M / 420k
    assert notices == [], notices  # spend then revenue is no revenue move


def test_an_email_subject_test_reads_sends_and_opens_and_facts_are_no_actions(conv):
    reply, _ = answer(
        conv,
        "ab test email subject lines: A sent to 12,000, 2,520 opens; B sent to 12,000, 2,880 opens. winner?",
    )
    assert "21.00% (2,520 / 12,000)" in reply, reply
    reply, _ = answer(
        conv,
        "j'ai besoin d'un plan pour relancer les paniers abandonnés, on a 4 200 paniers abandonnés "
        "par mois, panier moyen 72 €, taux de récupération actuel 5 %",
    )
    assert "Panier moyen 72 €" not in reply.split("Alors (action)")[-1].split("Garde-fous")[0], (
        reply
    )


def test_a_launch_day_beats_its_month_and_each_base_keeps_its_channel(conv):
    reply, _ = answer(
        conv,
        "We have £50k for a product launch in March across LinkedIn, Google and events. Can you "
        "plan it? Launch date 10 March 2027, target 400 SQLs.",
    )
    assert "2027-03-10" in reply and "£125.00 per conversion" in reply, reply  # 50 000 / 400
    reply, _ = answer(
        conv,
        "plan de coordination pour la fête des pères : du 9 au 21 juin 2027, email + SMS + "
        "Instagram, base email 60k, 15k SMS",
    )
    assert "Toute la base (60 000 contacts)" in reply and "Base SMS (15 000)" in reply, reply


def test_a_cac_adds_up_the_acquisition_costs_given(conv):
    reply, _ = answer(
        conv,
        "can u calc our CAC? marketing spend last quarter $184k, sales team cost $96k, 410 new customers",
    )
    assert "$682.93" in reply and "$184,000 + $96,000 = $280,000" in reply, reply  # 280k / 410


def test_figures_against_their_targets_are_no_period_comparison(conv):
    reply, _ = answer(
        conv,
        "Q4 report: revenue €2.4M vs target €2.6M, orders 31,200 vs 33,000 target, ROAS 4.1 vs "
        "4.5 target. slides for the exec team?",
    )
    assert "Previous period" not in reply and "ROAS not computed" not in reply, reply
    assert "4.10x        4.50x       -8.9%" in reply and "-7.7%" in reply, reply  # 2.4 / 2.6


def test_a_test_too_long_for_its_traffic_says_what_four_weeks_can_detect(conv):
    reply, _ = answer(
        conv,
        "le client veut faire un test A/B sur sa fiche produit mais il n'a que 400 visiteurs par "
        "jour et un taux de conversion de 1,5 %. il veut détecter +10 %. c'est faisable ?",
    )
    assert "541 jours" in reply and "Test trop long" in reply and "2,21 %" in reply, reply


def test_a_goal_gives_a_split_its_target_cost_and_an_email_its_revenue(conv):
    reply, _ = answer(
        conv,
        "Salut ! On prépare la rentrée : 3 500 € à dépenser sur Meta et Google pour notre appli, on "
        "veut 700 installations. C'est jouable ?",
    )
    assert "coût cible de 5,00 € par conversion" in reply, reply  # 3 500 / 700
    reply, _ = answer(
        conv,
        "nos emails de relance panier : taux d'ouverture 41 %, clic 9 %, conversion 2,8 %, 3 100 "
        "envois par mois, panier moyen 64 €. combien ça rapporte par mois ?",
    )
    assert "87 commandes, soit 5 555 € de CA" in reply, reply  # 3 100 × 2,8 % × 64 €


def test_a_kpi_sheet_checks_the_target_cpa_and_commissions_are_spend(conv):
    reply, _ = answer(
        conv,
        "pour notre campagne black friday on a dépensé 18 000 € sur Meta, ça a généré 1 150 "
        "commandes et 82 000 € de CA. l'objectif était un CPA de 15 €. bilan ?",
    )
    assert "CPA 15,65 € au-dessus de la cible de 15 €" in reply, reply  # 18 000 / 1 150
    reply, _ = answer(
        conv,
        "la direction veut savoir si on doit couper l'affiliation : 14 000 € de commissions le mois "
        "dernier pour 380 ventes à 95 € de panier moyen",
    )
    assert "36,84 €" in reply, reply  # 14 000 / 380
    reply, _ = answer(
        conv,
        "je veux automatiser l'envoi d'un code promo d'anniversaire 7 jours avant la date de "
        "naissance du client, puis un rappel le jour J",
    )
    assert "il me manque" not in reply and "Event-based" in reply, reply


def test_figures_said_to_move_are_compared_before_and_after(conv):
    reply, _ = answer(
        conv,
        "we ran a 2-week promo: 20% off sitewide. orders went from 1,100/week to 1,650/week but "
        "AOV dropped from $82 to $71. was it worth it?",
    )
    # revenue 1 650 × $71 against 1 100 × $82
    assert "$117,150.00  $90,200.00       +29.9%" in reply, reply


def test_versions_named_by_what_they_are_are_the_arms_of_a_readout(conv):
    reply, _ = answer(
        conv,
        "we ran 3 landing pages for the webinar: LP1 4,200 visits / 302 regs, LP2 4,150 / 347, "
        "LP3 4,310 / 298. which one do we keep?",
    )
    # LP1 is the first arm; the three are compared with a chi-square and Bonferroni (3 arms)
    assert "7.19% (302 / 4,200)" in reply and "8.36% (347 / 4,150)" in reply, reply
    assert "C 6.91% = 298 / 4,310" in reply and "0.05 / 2 = 0.0250" in reply, reply


def test_a_flow_of_trials_a_month_is_the_traffic_of_a_trial_to_paid_test(conv):
    reply, _ = answer(
        conv,
        "on a ~900 trials par mois, trial-to-paid à 14 %. je veux tester un onboarding guidé et "
        "voir +2 points. ça prend combien de temps ?",
    )
    # 4 999 per arm (14 % -> 16 %), 9 998 trials at 900 / 30 = 30 a day: 334 days, too long
    assert "4 999" in reply and "334 jours" in reply and "trop long" in reply, reply


def test_a_run_of_delays_and_a_touch_added_in_hours_make_the_sequence_in_order(conv):
    reply, _ = answer(
        conv,
        "séquence de relance panier abandonné : 3 emails à 1h / 24h / 72h. ajoute un SMS à H+2 stp",
    )
    rows = [line.split() for line in reply.splitlines() if re.match(r"[1-4]\s{2,}", line)]
    # each delay of "1h / 24h / 72h" times an email; "H+2" is two hours, between the first two;
    # touches named by their channel alone take a cart reminder's themes, the last one closes
    assert [r[1:4] for r in rows] == [
        ["1", "h", "Email"],
        ["2", "h", "SMS"],
        ["J+1", "Email", "Objections"],
        ["J+3", "Email", "Dernier"],
    ], reply


def test_a_split_by_cpa_says_how_to_meet_the_blended_target_and_a_follow_up_moves_one_channel(
    conv,
):
    thread, notices = Thread("T", "CFACT", "cpa-target"), []
    replies = say(
        conv,
        thread,
        "CPA google 42€, meta 58€, tiktok 71€. objectif CPA blended 50€ avec 60k€/mois. "
        "comment je répartis ?",
        notices,
    )
    # 1 156 conversions for 60 000 € is 52 € each; 1 200 are needed for 50 €
    assert "déplacer 4 496 € de TikTok vers Google" in "\n".join(replies), replies
    replies = say(conv, thread, "et si tiktok monte à 45€ de CPA ?", notices)
    # only TikTok's CPA moves: Google stays at 42 €
    reply = "\n".join(replies)
    assert "TikTok  21 073 €  35,1 %  45 €" in reply and "Google  22 578 €" in reply, reply


def test_a_holdout_on_a_base_of_contacts_is_sized_out_of_that_base(conv):
    reply, _ = answer(
        conv,
        "hello, on veut mesurer l'effet incrémental de nos emails promo avec un groupe holdout. base "
        "de 180k contacts, taux d'achat à 30 jours ~2,1 %, on aimerait detecter +10 % relatif. "
        "quelle taille de holdout ?",
    )
    # unequal groups out of 180 000 (statsmodels power at ratio holdout / exposed): 55 422 held
    # out; a 10 % holdout (18 000) detects +15.6 % at best; read after the 30-day window
    assert "55 422 contacts en holdout, 124 578 exposés" in reply, reply
    assert "15,6 % en relatif" in reply and "fenêtre de mesure de 30 jours" in reply, reply


def test_a_click_rate_goal_is_split_into_the_click_to_open_and_opens_it_needs(conv):
    reply, _ = answer(
        conv,
        "quick one: newsletter 48k subs, open 31%, click 2.4%. want to hit 3% click by Q2. is "
        "that realistic and what do we test first?",
    )
    # 48 000 x 0.6 pt = 288 clicks; click-to-open 2.4 / 31 = 7.7 % -> 3 / 31 = 9.7 %
    assert "288 more clicks per send" in reply and "from 7.7% to 9.7%" in reply, reply
    assert "opens would have to reach 38.8%" in reply, reply


def test_a_budget_after_its_quarter_and_a_sequence_by_day_numbers_are_read(conv):
    reply, _ = answer(
        conv,
        "budget Q1 120k€ : on veut 20 % de réserve, le reste entre search (roas 5,1), meta (roas "
        "3,2) et youtube (roas 1,8)",
    )
    assert "Allocation budgétaire — 120 000 €" in reply and "24 000 €" in reply, reply
    reply, _ = answer(
        conv,
        "can you build me a 4-week onboarding sequence for new trial users? email day 0, in-app "
        "tip day 2, email day 5, sales call day 10 if they activated, last email day 25",
    )
    assert "Multi-touch sequence — 5 messages" in reply and "D+10   Call" in reply, reply
    assert "D+25   Email" in reply, reply


def test_a_volume_at_a_conversion_rate_gives_the_orders_revenue_and_roi(conv):
    reply, _ = answer(
        conv,
        "je dois présenter au comex le ROI de l'emailing : 22 000 € de coûts annuels (outil + 0,3 "
        "ETP), 1,9 M d'emails envoyés, 0,12 % de conversion, panier moyen 74 €. c'est rentable ?",
    )
    # 1 900 000 x 0,12 % = 2 280 orders x 74 € = 168 720 €; ROI (168 720 - 22 000) / 22 000
    assert "2 280 " in reply and "168 720,00 €" in reply and "666,91 %" in reply, reply


def test_a_subject_line_test_gets_its_cells_its_wait_and_the_gap_it_detects(conv):
    reply, _ = answer(
        conv,
        "on teste 3 objets sur notre newsletter (base 40k, 28 % d'ouverture), on envoie le gagnant "
        "quand ?",
    )
    # 3 cells of 10 % (4 000 each), the 28 000 others get the winner; 4 000 per cell detect
    # 28 % -> 30.9 % (statsmodels power 80 %, alpha 5 %)
    assert "3 cellules de 4 000 contacts" in reply and "les 28 000 autres" in reply, reply
    assert "après 4 heures" in reply and "+2,9 pt" in reply, reply


def test_a_churn_move_on_a_subscriber_base_shows_the_mrr_and_ltv_it_costs(conv):
    reply, notices = answer(
        conv,
        "churn mensuel passé de 3,1 % à 4,4 % depuis la hausse de prix de janvier, 5 200 abonnés "
        "à 39 €. on a fait une connerie ?",
    )
    # 5 200 x 39 € x 4,4 % = 8 923,20 € lost a month, against 6 286,80 € at 3,1 %; LTV 39 / churn
    assert "8 923,20 €     6 286,80 €" in reply and "886,36 €       1 258,06 €" in reply, reply
    assert notices == []  # 1,3 % of the MRR a month: no revenue move over 10 % to sign off


def test_an_inactivity_criterion_is_not_the_length_and_spaced_messages_keep_their_interval(conv):
    reply, _ = answer(
        conv,
        "workflow re-engagement pour les inactifs depuis 60 jours, 3 emails espacés de 5 jours",
    )
    assert "3 messages sur 10 jours" in reply and "J+10" in reply, reply  # J0, J+5, J+10
    reply, _ = answer(conv, "on inactivity of 45 days send a win-back series")
    assert "No open or visit for 45 days" in reply, reply  # the user's threshold, not the seed's 30


def test_a_holdout_out_of_users_too_few_for_the_effect_says_what_they_detect(conv):
    reply, _ = answer(
        conv,
        "we want to run a holdout on our retargeting to measure incrementality: 400k users in the "
        "audience, baseline purchase rate 1.2%, expect +8% from retargeting. how big should the "
        "holdout be?",
    )
    # 209 844 a side are needed for +8 % on 1.2 %: 200 000 a side detect +8.2 % at best
    assert "Even a 50/50 split of the 400,000 contacts" in reply and "8.2% relative" in reply
    assert "Duration           —" in reply, reply


def test_a_cadence_said_as_times_a_month_dates_the_sends_of_the_month_named(conv):
    reply, _ = answer(
        conv,
        "Bonjour, pour l'infolettre de décembre on a 28 000 abonnés, taux d'ouverture 38 %, taux "
        "de clic 3,1 %. On envoie 2 fois par mois. Tu peux me faire un calendrier pour le temps "
        "des fêtes ?",
    )
    sends = re.findall(r"(\d\d/12/\d{4})\s+\S.*10 640", reply)
    assert len(sends) == 2, reply  # two Tuesdays of December, 28 000 x 38 % opens each


def test_a_message_named_before_the_first_timed_touch_opens_the_sequence(conv):
    reply, _ = answer(
        conv,
        "workflow de bienvenue pour les nouveaux inscrits à la newsletter e-commerce : je veux un "
        "email de bienvenue avec -10 %, un rappel si pas d'achat à J+3, et une relance produits "
        "best-sellers à J+7",
    )
    rows = [line.split(None, 3) for line in reply.splitlines() if re.match(r"[1-3]\s{2,}J", line)]
    assert [(r[1], r[3]) for r in rows] == [
        ("J0", "Un email de bienvenue avec -10 %"),
        ("J+3", "Un rappel si pas d'achat"),
        ("J+7", "Une relance produits best-sellers"),
    ], reply


def test_a_gap_between_two_devices_is_priced_on_the_weaker_ones_volume(conv):
    reply, notices = answer(
        conv,
        "checkout conversion is 41% on mobile vs 58% on desktop. 60% of checkouts start on "
        "mobile, 8,000 checkout starts a month, AOV $95. how much are we leaving on the table?",
    )
    # 8 000 x 60 % = 4 800 mobile checkouts x (58 % - 41 %) = 816 orders x $95 = $77,520
    assert "4,800 mobile visits" in reply and "816 more conversions" in reply, reply
    assert "+$77,520/month" in reply and notices == [], reply


def test_ideas_listed_without_scores_are_the_ones_to_score(conv):
    reply, _ = answer(
        conv,
        "on a 4 idées de tests pour la fiche produit mais une seule équipe dev : avis clients en "
        "haut, photos 360, livraison gratuite dès 49 €, bouton sticky mobile. tu classes ?",
    )
    ideas = [
        "avis clients en haut",
        "photos 360",
        "livraison gratuite dès 49 €",
        "bouton sticky mobile",
    ]
    assert all(f"- {i}" in reply for i in ideas) and "Parrainage" not in reply, reply


def test_a_churn_move_that_costs_over_10_percent_of_the_mrr_raises_the_revenue_rule(conv):
    _, notices = answer(
        conv,
        "le churn mensuel est passé de 3 % à 20 % depuis la migration de plateforme, 1 000 abonnés "
        "à 50 €. c'est grave ?",
    )
    # 1 000 x 50 € x (20 % - 3 %) = 8 500 € more lost a month: 17 % of the 50 000 € MRR
    assert any("Test impacte le CA > 10% (17 %)" in n for n in notices), notices


def test_a_cohort_retention_curve_is_read_period_by_period(conv):
    reply, _ = answer(
        conv,
        "cohort retention: month 1 100%, month 2 62%, month 3 48%, month 6 31%. is that good for a "
        "B2C subscription app? what should we work on?",
    )
    # M3 -> M6: 1 - (31 / 48)^(1/3) = 13.6 % a month; the first month loses 38 %
    assert "M6      31%       13.6%" in reply and "between M1 and M2 (38.0% per month)" in reply
    assert "about 7 months" in reply, reply  # 1 / 13.6 %


def test_what_half_a_base_detects_is_computed_at_the_power_asked(conv):
    reply, _ = answer(
        conv,
        "we want to run a holdout on our retargeting to measure incrementality: 400k users in the "
        "audience, baseline purchase rate 1.2%, expect +8% from retargeting, 90% power. how big "
        "should the holdout be?",
    )
    # at power 0.9, 200 000 a side detect +9.5 % at best (+8.2 % at the default 0.8)
    assert "9.5% relative" in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "ce trimestre on met 45, 25 et 15 k€ sur respectivement Google Ads, Meta et LinkedIn. "
            "on voudrait tester Pinterest a budget constant, tu proposes quoi ?",
            [
                r"Allocation budgétaire — 85 000 €",
                r"Google Ads\s+45 000 €\s+40 500 €\s+-4 500 €",
                r"Pinterest\s+0 €\s+8 500 €\s+\+8 500 €",  # 10 % to test, from the others
            ],
        ),
        (
            "We spend $24k a month on ads. ROAS: Google 3.8, Meta 2.4, Bing 1.2. Current split is "
            "Google 10k, Meta 10k, Bing 4k. Is this the right mix?",
            [
                r"Budget allocation — \$24,000",
                r"Meta\s+\$10,000\s+\$7,784\s+-\$2,216",  # 24k × 2.4 / 7.4
                r"your current split brings \$66,800",  # 10k × 3.8 + 10k × 2.4 + 4k × 1.2
            ],
        ),
        (  # two channels compared ("X vs Y") are no A/B test, and no revenue move to sign off
            "le CPL de Google est deux fois plus bas que celui de LinkedIn (45 € vs 90 €). on a "
            "20 k€ par mois, répartis 50/50 aujourd'hui. on rééquilibre comment ?",
            [
                r"Google\s+10 000 €\s+13 333 €\s+\+3 333 €",  # (1/45) / (1/45 + 1/90) of 20k
                r"LinkedIn\s+10 000 €\s+6 667 €",
                r"votre répartition actuelle donne 333 conversions ; celle-ci 370",
            ],
        ),
    ],
)
def test_amounts_listed_with_their_channels_are_the_split_in_place(conv, text, expected):
    """A unit written once ("45, 25 et 15 k€"), a "respectivement" list and "Channel amount"
    pairs are each channel's budget: a new channel is tested without growing the envelope, and a
    ROAS split is shown beside the split in place."""
    reply, notices = answer(conv, text)
    for pattern in expected:
        assert re.search(pattern, reply), (pattern, reply)
    assert notices == [], notices


@pytest.mark.parametrize(
    "text, said",
    [
        (  # "+0.5 pt of conversion" is the target asked, yearly visitors a twelfth a month
            "we get 600k visitors a year, 1.5% conversion, AOV $80. what would +0.5pt of "
            "conversion be worth in revenue?",
            ["50,000 visitors", "2.00%", "+$20,000/month, i.e. +$240,000/year"],
        ),
        (  # the rate of demo requests a test moves is nobody asking for a demo
            "j'aimerais tester un nouveau bouton « réserver une démo » : aujourd'hui 2,2 % des "
            "visiteurs demandent une démo, 1 200 visites par jour, on vise +25 %. combien de temps ?",
            ["Plan de test A/B", "2,20 %"],
        ),
    ],
)
def test_a_projection_or_a_test_plan_is_answered_and_escalates_nothing(conv, text, said):
    reply, notices = answer(conv, text)
    assert all(s in reply for s in said), reply
    assert notices == [], notices  # no revenue moved, no lead asked for anything


@pytest.mark.parametrize(
    "text, row",
    [
        (
            "weekly report please: spend €9.6k, 300k impressions, 4.1k clicks, 150 conversions, "
            "revenue €31k. vs last week: spend €9.1k, 280k impr, 3.8k clicks, 140 conv, rev €28k",
            r"Revenue\s+€31,000\s+€28,000\s+\+10\.7%",
        ),
        (
            "point hebdo : dépense 8,2 k€, 240k impressions, 3 100 clics, 95 conversions, CA 27 k€. "
            "vs semaine dernière : dépense 7,9 k€, 230k impressions, 2 900 clics, 88 conversions, "
            "CA 24,5 k€",
            r"CA\s+27 000 €\s+24 500 €\s+\+10,2 %",
        ),
    ],
)
def test_a_report_then_last_weeks_figures_after_vs_are_compared_figure_by_figure(conv, text, row):
    reply, notices = answer(conv, text)
    assert re.search(row, reply), reply
    assert notices == [], notices  # a week against the last: nothing to sign off


def test_a_sending_pressure_is_priced_in_unsubscribes_from_the_sends_a_week_stated(conv):
    reply, _ = answer(
        conv,
        "on envoie 2 promos + 1 newsletter par semaine, 0,6 % de désinscriptions par envoi, base "
        "de 50 000 contacts. on réduit ?",
    )
    # 50 000 × 0,6 % × 3 = 900 a week; × 52 / 12 = 3 900 a month, 7,8 % of the list
    assert "À 3 envois par semaine et 0,60 % de désinscriptions par envoi" in reply, reply
    assert "environ 900 désinscrits par semaine, 3 900 par mois, soit 7,8 % de la base" in reply
    assert "plus du double du taux courant" in reply and "2 envois par semaine" in reply, reply


def test_a_sum_of_costs_and_a_share_of_leads_give_the_cost_per_sql_asked(conv):
    """ "12k€ stand + 5k€ hôtel + 3k€ goodies" is one 20 000 € budget and "250 leads dont 20 % de
    SQL" 50 SQLs: the cost per SQL asked is 400 €."""
    reply, _ = answer(
        conv,
        "salon VivaTech : 12k€ stand + 5k€ hôtel + 3k€ goodies. on vise 250 leads dont 20 % de "
        "SQL. ça nous fait quel coût par SQL ?",
    )
    assert re.search(r"Coût par SQL\s+400,00 €", reply) and "dépense 20 000 €" in reply, reply


def test_an_open_rate_now_against_months_ago_is_a_move_not_two_arms(conv):
    reply, _ = answer(
        conv,
        "open rate keeps falling, 21% now vs 30% a year ago. list is 45k, we send twice a week. "
        "what should we look at?",
    )
    assert "Current open rate        21.0%" in reply, reply
    assert "went from 30.0% to 21.0% (-30.0%)" in reply and "Check in this order" in reply, reply
    assert "Email by email" not in reply, reply


def test_a_resend_to_non_openers_is_planned_at_the_delay_asked(conv):
    reply, _ = answer(
        conv,
        "newsletter to our 20k customers, open rate around 25%, and a resend 2 days later to "
        "people who didn't open. can you plan it?",
    )
    assert "D+2: resend to those who did not open (about 15,000 at the current open rate)" in reply
    assert "another subject line" in reply, reply


def test_an_open_rate_that_fell_after_a_new_sending_domain_gets_a_warm_up_plan(conv):
    reply, _ = answer(
        conv,
        "since we moved to a new sending domain our open rate fell a lot (from 28% to 14%). email "
        "list of 80k. what now?",
    )
    assert "Current open rate        14.0%" in reply, reply  # the rate after the move
    assert "went from 28.0% to 14.0% (-50.0%)" in reply and "warm it up" in reply, reply
    assert "about 22,400 opens per send" in reply, reply  # 80 000 × 28 %


def test_conversions_given_under_two_attribution_models_are_compared_channel_by_channel(conv):
    reply, _ = answer(
        conv,
        "comparaison dernier clic vs linéaire : en dernier clic google 500, meta 150, email 250 ; "
        "en linéaire google 380, meta 260, email 260. on en conclut quoi ?",
    )
    assert re.search(r"Meta\s+150\s+260\s+\+110\s+\+73,3 %", reply), reply
    assert "Meta gagne 110 conversions en Linéaire" in reply, reply
    assert "Google perd 120 conversions en Linéaire" in reply, reply


def test_two_subject_lines_sent_2_x_n_are_read_on_opens_and_clicks_checked(conv):
    reply, notices = answer(
        conv,
        "test d'objet sur la newsletter, 2 x 20 000 envois. Version A : 4 200 ouvertures, 610 "
        "clics. Version B : 4 700 ouvertures, 590 clics. on garde laquelle ?",
    )
    assert "21,00 % (4 200 / 20 000)" in reply and "23,50 % (4 700 / 20 000)" in reply, reply
    # clicks over the same sends: 3.05 % against 2.95 %, statsmodels proportions_ztest p = 0.5577
    assert "clics : A 3,05 %, B 2,95 %" in reply and "p = 0,5577" in reply, reply
    assert "Également lu" not in reply or "clics" not in reply.split("Également lu")[1]
    assert notices == []


def test_arms_headed_by_their_price_with_baskets_give_revenue_per_visitor(conv):
    reply, notices = answer(
        conv,
        "free delivery threshold test, £40 vs £60. £40: 12,000 visitors, 540 orders, AOV £52. "
        "£60: 12,100 visitors, 480 orders, AOV £66. which one earns more?",
    )
    assert "4.50% (540 / 12,000)" in reply and "3.97% (480 / 12,100)" in reply, reply
    # 540 × 52 / 12,000 = £2.34; 480 × 66 / 12,100 = £2.62 (+11.9 %)
    assert "A £2.34, B £2.62 (+11.9%)" in reply and "Welch" in reply, reply
    assert any("Management sign-off" in n and "11.9 %" in n for n in notices), notices


def test_an_ltv_given_is_used_and_a_payback_without_margin_is_on_revenue(conv):
    reply, notices = answer(
        conv,
        "notre LTV est de 2 400 €, le CAC 600 € et l'ARPU 80 €/mois. on est rentables ? payback ?",
    )
    # LTV / CAC = 2 400 / 600; payback on revenue = 600 / 80 months, the margin's asked for
    assert "LTV 2 400 €" in reply and "4,00x" in reply and "7,5 mois" in reply, reply
    assert "marge brute" in reply and "Possible :" not in reply and notices == []


def test_sales_at_an_average_basket_give_the_roas_compared_with_another_channels(conv):
    reply, notices = answer(
        conv,
        "affiliate push last quarter: 12 partners, $24,000 total, 8,000 clicks, 380 sales at $70 "
        "average. better than google ads at ROAS 3?",
    )
    # 380 × $70 = $26,600 of revenue; ROAS 26,600 / 24,000 = 1.11x, 63 % under Google Ads' 3.00x
    assert "$26,600.00" in reply and "1.11x" in reply, reply
    assert "1.11x against 3.00x on Google Ads (-63.1%)" in reply and "brings back less" in reply
    assert "4.75%" in reply  # 380 sales over 8,000 clicks, no visitors given
    assert "ROAS 3.0x (Google Ads)" not in reply and notices == []


def test_two_versions_named_by_what_they_are_are_the_arms_and_bare_clicks_raise_nothing(conv):
    notices: list[str] = []
    first, clicks = thread_of(
        conv,
        "newsletter test: long subject line 12,000 sends 2,640 opens, short subject line "
        "12,000 sends 2,880 opens. which one wins?",
        "and on clicks: 402 vs 377?",
        notices=notices,
    )
    assert "22.00% (2,640 / 12,000)" in first and "24.00% (2,880 / 12,000)" in first, first
    # a clause of figures and measure names names no situation (no abnormal-behaviour notice);
    # the test is read again on the clicks asked about, the opens among the checks
    assert notices == [] and "3.35% (402 / 12,000)" in clicks, clicks
    assert "Other outcome, opens: A 22.00%, B 24.00%" in clicks


def test_counts_paired_under_two_attribution_models_channel_by_channel(conv):
    reply, _ = answer(
        conv,
        "premier clic vs dernier clic sur le trimestre : google 300 / 450, meta 260 / 150, "
        "newsletter 90 / 120. on en tire quoi ?",
    )
    # the first count of each pair is under the model named first (first touch); the comparison
    # is read against last touch: Meta, 110 more on first touch, opens journeys
    assert re.search(r"Google\s+450\s+300\s+-150\s+-33,3 %", reply), reply
    assert re.search(r"Meta\s+150\s+260\s+\+110\s+\+73,3 %", reply) and "Tests A/B" not in reply
    assert "Meta gagne 110 conversions en First touch par rapport au Last touch" in reply


@pytest.mark.parametrize(
    "text, control, variant",
    [
        (  # the variant is the subject: its figure comes first
            "the new checkout converts better (5.2% vs 4.6%) on 15,000 visitors per arm, is it real?",
            "4.60% (690 / 15,000)",
            "5.20% (780 / 15,000)",
        ),
        (  # arms named in a header, then their figures in that order
            "control vs variant: 2.8% vs 3.3% with 9,000 visitors each. significant?",
            "2.80% (252 / 9,000)",
            "3.30% (297 / 9,000)",
        ),
    ],
)
def test_a_pair_of_rates_takes_its_arms_from_the_words_before_it(conv, text, control, variant):
    reply, _ = answer(conv, text)
    assert f"A (control)                       {control}" in reply, reply
    assert f"B (variant)                       {variant}" in reply


def test_the_improvement_asked_for_a_leaking_step_is_the_one_computed(conv):
    reply, _ = answer(
        conv,
        "funnel optimisation: 40,000 visits, 8,000 add to cart, 2,400 checkout, 1,200 orders. "
        "where do we act first and what if we improved that step by 25%?",
    )
    # add to cart converts 20 % -> 25 %: 2,000 more carts, 15 % of which end as orders
    assert "Gain if “add to cart” converts 25% better  +300 final conversions" in reply, reply
    assert "Also read" not in reply


def test_an_unsubscribe_rate_that_rose_with_the_sending_pressure_is_costed_before_and_after(conv):
    reply, _ = answer(
        conv,
        "our unsubscribe rate went from 0.15% to 0.6% per send since we email 4 times a week "
        "instead of 2. base 50,000. what should we do?",
    )
    # now 50,000 × 0.6 % × 4 = 1,200 a week; before 50,000 × 0.15 % × 2 = 150 a week
    assert "about 1,200 unsubscribes a week" in reply, reply
    assert "Before, at 2 send(s) a week and 0.15% per send: about 150 unsubscribes a week" in reply


def test_mql_and_sql_explained_with_the_teams_own_funnel(conv):
    reply, notices = answer(
        conv,
        "c'est quoi la différence entre MQL et SQL ? chez nous 800 MQL ce trimestre, 200 SQL et "
        "50 affaires signées",
    )
    # 200 / 800 = 25 %; 50 / 200 = 25 % of SQLs, 50 / 800 = 6.25 % of MQLs
    assert "800 MQL" in reply and "soit 25,0 % de passage MQL → SQL" in reply, reply
    assert "Puis 50 affaires gagnées : 25,0 % des SQL, 6,2 % des MQL." in reply
    assert "Également lu" not in reply and notices == []


def test_an_offer_window_runs_posters_and_ads_throughout_and_posts_on_social(conv):
    reply, _ = answer(
        conv,
        "summer sale 10-20 June: email, google ads, in-store posters and instagram. sending plan?",
    )
    assert re.search(r"Google Ads\s+Ads live for the whole offer", reply), reply
    assert re.search(r"In-store posters\s+In place for the whole offer\s+Passers-by", reply)
    assert re.search(r"Instagram\s+Post \+ stories", reply)


def test_personalisation_says_what_a_holdout_detects_with_the_traffic_given(conv):
    reply, _ = answer(
        conv,
        "personnaliser la home pour 2 segments : nouveaux visiteurs et clients. 60 000 visiteurs "
        "par mois, taux de conversion 3 %. comment on s'y prend ?",
    )
    # 60 000 / 2 × 15 % = 4 500 a month in each holdout (statsmodels power 80 %, alpha 5 %)
    assert "À 60 000 visiteurs par mois et 3,0 % de conversion" in reply, reply
    assert "environ 4 500 visiteurs par mois" in reply and "Également lu" not in reply


def test_a_lead_qualification_rate_that_fell_offers_no_revenue_sign_off(conv):
    reply, notices = answer(
        conv,
        "our MQL to SQL rate fell from 28% to 17% since we opened the webinar forms, sales is "
        "unhappy. what do we check?",
    )
    assert "28%" in reply and "17%" in reply, reply
    assert "Possibly:" not in reply and notices == [], reply  # qualification moves no sale


def test_new_versions_named_a_few_words_after_their_count_are_the_tests_arms(conv):
    reply, _ = answer(
        conv,
        "we want to test 2 new checkout page layouts against the current one. baseline 2.5%, detect "
        "+0.5pt absolute, 3,000 visitors a day. how long?",
    )
    # 2 new layouts + the current page: 3 arms, Bonferroni alpha 0.05 / 2
    assert "(3 variants)" in reply and "Bonferroni correction for 2 comparisons" in reply, reply


def test_a_share_of_leads_that_become_customers_is_who_buys(conv):
    reply, _ = answer(
        conv,
        "trade show ROI: €15,000 in costs, 250 leads, 8% became customers, average yearly basket "
        "€3,000. was it worth it?",
    )
    # 250 × 8 % = 20 customers × €3,000 = €60,000; ROI (60,000 − 15,000) / 15,000 = 300 %
    assert "€60,000.00" in reply and "300.00%" in reply, reply
    assert "€750.00" in reply  # 15,000 / 20 customers: the cost of each new customer


def test_a_terse_rate_wanted_is_the_target_of_the_test(conv):
    reply, _ = answer(conv, "cvr 3% now, want 3.6%, 2.5k visits/d. how long for the test?")
    assert "Target rate (MDE)  3.60% (+0.60 point)" in reply and "I still need" not in reply, reply


def test_a_terse_english_lead_note_is_answered_in_english(conv):
    reply, _ = answer(conv, "lead: vp mktg at a saas, booked demo. hot?")
    assert "Lead score" in reply and "Score du lead" not in reply, reply


def test_a_launch_plan_with_budget_and_goal_is_a_campaign_plan_dated_from_today(conv):
    launch = date.today() + timedelta(days=12)
    reply, _ = answer(
        conv,
        f"We launch our meditation app on {launch:%B} {launch.day} with $24,000 and we're aiming "
        "for 6,000 installs. Channels: Meta, TikTok and Apple Search Ads. Can you draft a plan?",
    )
    assert "Campaign plan" in reply and "target cost: $4.00 per conversion" in reply, reply
    dated = [date.fromisoformat(d) for d in re.findall(r"\d{4}-\d\d-\d\d", reply)]
    assert dated and min(dated) >= date.today(), reply  # preparation squeezed, none in the past
    assert "Launch in 12 days" in reply, reply


def test_figures_only_this_period_gives_still_give_their_kpis_beside_the_comparison(conv):
    reply, _ = answer(
        conv,
        "monthly numbers: spend 8,000, revenue 30,000, clicks 10,000, impressions 400,000, "
        "conversions 200. previous month spend 7,500 revenue 28,000 conversions 190",
    )
    assert "CTR" in reply and "2.50%" in reply, reply  # 10,000 / 400,000
    assert "€0.80" in reply and "€20.00" in reply, reply  # CPC, CPM
    assert "-6.7%" not in reply and "+7.1%" in reply, reply  # revenue 30,000 vs 28,000
    assert "does not use" not in reply, reply


def test_prices_written_once_then_heading_each_versions_figures_are_a_pricing_readout(conv):
    reply, notices = answer(
        conv,
        "test tarifaire 49 € → 59 € sur la page pro, 6 000 visiteurs par version. 49 : 300 ventes. "
        "59 : 270 ventes. verdict ?",
    )
    assert "au prix de 49,00 €" in reply and "au prix de 59,00 €" in reply, reply
    assert "Lift relatif                     8,4 %" in reply, reply  # 2,655 € vs 2,45 € per visitor
    assert notices == [], notices  # revenue per visitor moves by less than 10 %


@pytest.mark.parametrize(
    "text",
    [
        "funnel de la semaine : page catégorie 52 000, fiche article 17 500, ajout au panier 3 900, "
        "commande validée 1 150. on perd où ?",
        "funnel du mois : visite fiche produit 48 000, ajout panier 5 300, début checkout 2 100, "
        "paiement 1 350. où ça fuit le plus ?",
    ],
)
def test_a_list_of_funnel_steps_names_no_possible_situation(conv, text):
    reply, notices = answer(conv, text)
    assert "Plus grosse fuite" in reply and "escalader" not in reply, reply
    assert notices == [], notices


def test_a_short_question_after_a_situation_is_quoted_with_the_sentence_it_asks_about(conv):
    _, notices = answer(
        conv,
        "on a récupéré 8 000 emails de prospects avec un outil de scraping sur LinkedIn pour "
        "lancer une séquence. on peut ?",
    )
    assert any("Review juridique" in n and "scraping" in n for n in notices), notices


def test_a_plan_whose_request_names_no_change_does_not_call_the_baseline_the_change(conv):
    reply, _ = answer(
        conv,
        "sample size please: our current checkout conversion 3.1%, we want to detect +8% "
        "relative, about 5k visitors/day",
    )
    assert "If we ship the page change, the conversion rate will rise from 3.10%" in reply, reply


@pytest.mark.parametrize(
    "text",
    [
        "il nous faut un workflow pour les paniers abandonnés sur Klaviyo : rappel 2h après, puis "
        "48h après avec la livraison offerte. on exclut ceux qui ont acheté entre-temps",
        "j'ai besoin d'un workflow de relance panier abandonné sur Klaviyo : 1h après, 24h après "
        "avec un code -10%, 72h après dernier rappel. on exclut ceux qui ont acheté",
    ],
)
def test_an_abandoned_cart_workflow_with_an_exclusion_is_built_with_no_situation(conv, text):
    reply, notices = answer(conv, text)
    assert "Event-based" in reply, reply
    assert notices == [] and "escalader" not in reply, (notices, reply)


def test_numbers_describing_a_variant_in_brackets_are_not_its_figures(conv):
    reply, _ = answer(
        conv,
        "test à 3 versions sur la home. témoin : 12 000 visiteurs / 360 commandes. version B (2 "
        "colonnes au lieu de 3) : 12 100 / 410. version C (vidéo de 30 s) : 11 900 / 372. "
        "laquelle gagne ?",
    )
    assert "3,39 % (410 / 12 100)" in reply and "372 / 11 900" in reply, reply


def test_a_situation_no_specialist_covers_is_answered_with_what_to_do_now(conv):
    reply, notices = answer(
        conv,
        "on a un pic bizarre : 2 300 inscriptions hier au lieu de 150 d'habitude, toutes avec des "
        "adresses en @mail.ru et la même IP. c'est grave ?",
    )
    assert any("Comportement anormal" in n for n in notices), notices
    assert "mettre en quarantaine" in reply and "Ce n'est pas une demande" not in reply, reply


def test_a_request_no_team_covers_says_so_once(conv):
    reply, notices = answer(conv, "tu peux me conseiller un bon restaurant italien à Lyon ?")
    assert reply.count("Ce n'est pas une demande d'opérations marketing") == 1, reply
    assert notices == [], notices


def test_a_k_factor_given_says_what_the_loop_amplifies_and_what_it_takes_to_pass_one(conv):
    reply, _ = answer(conv, "on veut booster le parrainage, notre k-factor est à 0,4. des idées ?")
    assert "K-factor indiqué : 0,4" in reply, reply
    assert "en amènent 67 de plus" in reply and "multipliés par 2,5" in reply, (
        reply
    )  # 40/0.6, 1/0.4


def test_two_leads_described_in_one_message_are_scored_apart_hottest_first(conv):
    reply, _ = answer(
        conv,
        "deux leads entrants. Sarah, étudiante, a ouvert 3 emails. Paul, directeur marketing chez "
        "un industriel de 800 salariés, a téléchargé un livre blanc. lequel en priorité ?",
    )
    assert re.search(r"Paul\s+45 pts\s+MQL", reply) and re.search(r"Sarah\s+-15 pts", reply), reply
    assert reply.index("Paul ") < reply.index("Sarah "), reply


@pytest.mark.parametrize(
    "first, then, said",
    [
        (
            "subject test: A 15,000 sends 3,300 opens 420 clicks, B 15,000 sends 3,600 opens "
            "400 clicks. winner?",
            "and on clicks only?",
            "A (control)                       2.80% (420 / 15,000)",
        ),
        (
            "test d'objet : A 12 000 envois 2 640 ouvertures 300 clics, B 12 000 envois 2 880 "
            "ouvertures 310 clics. lequel garder ?",
            "et sur les clics ?",
            "A (contrôle)                     2,50 % (300 / 12 000)",
        ),
    ],
)
def test_asking_about_the_other_outcome_stays_with_the_readout(conv, first, then, said):
    # read again on the outcome asked, the first one's line among the checks
    _, reply = thread_of(conv, first, then)
    assert said in reply and "(reply 1 or 2)" not in reply and "(répondez 1 ou 2)" not in reply, (
        reply
    )


def test_counts_each_followed_by_its_attribution_model_are_compared_by_channel(conv):
    reply, notices = answer(
        conv,
        "attribution numbers: google 500 conversions last click, 350 first click; tiktok 120 last "
        "click, 240 first click. which model do we trust for the budget?",
    )
    assert "Conversions by channel under your two models" in reply, reply
    assert "+100.0%" in reply and "-30.0%" in reply, reply  # tiktok 120 -> 240, google 500 -> 350
    assert "Possibly" not in reply and notices == [], reply


def test_a_signed_percentage_after_a_test_plan_is_the_new_effect_not_more_traffic(conv):
    _, reply = thread_of(
        conv,
        "on convertit à 2,5 % avec 2 000 visites par jour, combien de jours pour détecter +10 % ?",
        "et pour +20 % ?",
    )
    assert "(+20,0 % relatif)" in reply and "(2 000 visiteurs/jour dans le test)" in reply, reply


def test_one_basket_for_both_versions_gives_revenue_per_visitor_and_its_sign_off(conv):
    reply, notices = answer(
        conv,
        "checkout test: A 8,000 visitors 240 orders, B 8,100 visitors 290 orders, average basket "
        "€60 for both versions. can we ship?",
    )
    assert "A €1.80, B €2.15 (+19.3%)" in reply, reply  # 240 × 60 / 8,000; 290 × 60 / 8,100
    assert any("Management sign-off" in n for n in notices), notices


@pytest.mark.parametrize(
    "swap, row",
    [
        ("remplace le 3e mail par un appel", r"\n3\s+J\+\d+\s+Appel"),
        ("et remplace le dernier email par un sms", r"\n4\s+J\+15\s+SMS"),
    ],
)
def test_a_touch_swapped_by_its_rank_keeps_its_day(conv, swap, row):
    _, reply = thread_of(
        conv, "séquence de relance des essais gratuits : 4 emails sur 15 jours", swap
    )
    assert re.search(row, reply), reply


def test_a_count_of_ideas_before_the_list_is_not_an_ideas_score(conv):
    reply, _ = answer(
        conv,
        "voici 2 pistes : quiz produit (impact 6, confiance 5, facilité 8), programme de parrainage "
        "(impact 8, confiance 6, facilité 4). on commence par quoi ?",
    )
    assert re.search(r"1\s+quiz produit\s+6\s+5\s+8\s+240", reply), reply
    assert re.search(r"2\s+programme de parrainage\s+8\s+6\s+4\s+192", reply), reply


def test_removing_a_step_named_after_a_channel_removes_the_step(conv):
    _, reply = thread_of(
        conv,
        "funnel d'inscription : visite 20 000 → inscription 4 000 → email validé 2 600 → premier "
        "achat 900. où ça coince ?",
        "et si on supprime la validation de l'email ?",
    )
    assert re.search(r"Étapes\s+3", reply) and "email validé" not in reply, reply
    assert re.search(r"premier achat\s+900\s+22,5 %", reply), reply  # 900 / 4 000


def test_an_effect_in_percentage_points_written_out_is_the_mde(conv):
    reply, _ = answer(
        conv,
        "Could you size a test on our demo request form? It converts at 4% with about 1,500 "
        "visits a day, and we want to detect a 0.8 percentage point improvement.",
    )
    assert "4.80% (+0.80 point)" in reply and "Sample size" in reply, reply


def test_deals_won_at_a_value_each_give_the_revenue_roas_and_cost_per_customer(conv):
    reply, _ = answer(
        conv,
        "webinar campaign: spend €6,000, 120 leads, 15 SQL, 3 deals won at €9k each. was it worth "
        "it?",
    )
    assert "€27,000.00" in reply and "4.50x" in reply and "€2,000.00" in reply, reply
    assert "does not use" not in reply, reply


def test_segments_with_traffic_shares_and_rates_say_which_to_personalise_first(conv):
    reply, _ = answer(
        conv,
        "on a 3 segments à personnaliser : visiteurs mobiles (50 %), desktop (35 %), tablette "
        "(15 %). taux de conversion respectivement 1 %, 2,5 % et 1,8 %. par lequel commencer ?",
    )
    assert "À personnaliser en premier : desktop, qui porte 53,2 % des conversions" in reply, reply
    assert "pondéré par le trafic : visiteurs mobiles" in reply, reply  # 50 × (2,5 − 1)


def test_two_actions_joined_by_and_are_two_rules_each_with_its_timing(conv):
    reply, _ = answer(
        conv,
        "déclencheur : quand un prospect visite la page tarifs 3 fois en une semaine, alerte le "
        "commercial et envoie un email avec une étude de cas 2 jours après",
    )
    assert re.search(r"3 fois en une semaine\s+Alerte le commercial", reply), reply
    assert re.search(r"— 2 jours après\s+Envoie un email avec une étude de cas", reply), reply


def test_a_share_of_revenue_an_executive_wants_to_cut_is_a_conflict_not_a_revenue_move(conv):
    _, notices = answer(
        conv,
        "our CEO thinks SEO is pointless and wants to fire the agency, but organic drives 40% of "
        "revenue. how do I push back?",
    )
    assert any("Data vs intuition" in n for n in notices), notices
    assert not any("Management sign-off" in n for n in notices), notices


def test_a_new_logo_and_brand_colours_are_no_major_redesign(conv):
    reply, notices = answer(
        conv,
        "on lance notre nouvelle identité visuelle (logo et couleurs) le 12 janvier, tu me fais le "
        "plan de com sur le site, la newsletter et linkedin ?",
    )
    assert notices == [] and "Refonte majeure" not in reply, (notices, reply)


def test_a_readout_of_conversions_alone_asks_no_revenue_sign_off(conv):
    reply, notices = answer(
        conv,
        "test results: control converts at 2.0% and the variant at 2.3%, 25,000 visitors each. "
        "ship it?",
    )
    assert "Relative lift                     15.0%" in reply, reply
    assert not any("Management sign-off" in n for n in notices), notices


def test_a_chain_of_qualification_rates_multiplies_to_the_sqls_a_month(conv):
    reply, _ = answer(
        conv,
        "on génère 5 000 leads par mois, 10 % deviennent MQL et 30 % des MQL deviennent SQL. "
        "combien de SQL par mois ?",
    )
    assert "3,0 % deviennent SQL aujourd'hui, soit 150 par mois" in reply, reply


def test_roas_given_respectively_after_the_channels_go_to_each_channel(conv):
    reply, _ = answer(
        conv,
        "budget mensuel 40k : google 60 %, meta 25 %, linkedin 15 %. ROAS respectifs 5 / 3 / 2, "
        "tu optimises ?",
    )
    # in proportion to 5 / 3 / 2 the split would bring 152 000 € against 162 000 € in place:
    # 10 % of the 40k go from LinkedIn (ROAS 2) to Google (ROAS 5) instead
    assert re.search(r"Google\s+24 000 €\s+28 000 €\s+\+4 000 €\s+70,0 %\s+5,00x", reply), reply
    assert re.search(r"LinkedIn\s+6 000 €\s+2 000 €\s+-4 000 €\s+5,0 %\s+2,00x", reply), reply


def test_a_goal_counted_with_an_adjective_before_its_noun_sets_the_target_cost(conv):
    reply, _ = answer(
        conv,
        "need a 4-week launch plan for our new mobile app, starting March 3, budget $12k, goal 300 "
        "trial signups, channels: meta and tiktok",
    )
    assert "target cost: $40.00 per conversion" in reply, reply  # 12,000 / 300


def test_deals_won_after_mqls_and_sqls_give_the_sql_to_won_rate(conv):
    reply, _ = answer(
        conv,
        "what's the difference between MQL and SQL with our numbers: 900 MQLs last quarter, 240 "
        "SQLs, 60 deals won",
    )
    assert "Then 60 deals won: 25.0% of SQLs, 6.7% of MQLs." in reply, reply


def test_referred_users_over_the_users_base_give_the_k_factor(conv):
    reply, _ = answer(
        conv, "parrainage : 12 000 utilisateurs existants, 960 parrainés. des idées ?"
    )
    assert "K-factor = 960 utilisateurs parrainés / 12 000 utilisateurs = 0,08" in reply, reply


def test_two_versions_seen_as_views_are_a_readout_not_a_funnel(conv):
    reply, _ = answer(
        conv,
        "we tested two banners on the pricing page: old banner 12,000 views, 360 signups; new "
        "banner 11,900 views, 420 signups. which one do we keep?",
    )
    assert "A/B test readout" in reply and "3.53% (420 / 11,900)" in reply, reply
    assert "Funnel diagnostic" not in reply, reply


def test_one_ltv_for_every_channel_gives_each_channels_ltv_to_cac(conv):
    reply, _ = answer(
        conv,
        "CAC by channel: Google $120, Meta $95, LinkedIn $400. average LTV $1,200. should we drop "
        "LinkedIn?",
    )
    assert re.search(r"LinkedIn\s+3\.00x", reply) and re.search(r"Meta\s+12\.63x", reply), reply
    assert "No KPI can be computed" not in reply, reply


def test_a_funnel_names_the_step_that_loses_most_people_beside_the_worst_rate(conv):
    reply, _ = answer(
        conv,
        "funnel webinar : 2 500 inscrits, 1 000 présents, 150 démos, 45 signatures. où on perd le "
        "plus ?",
    )
    assert "« démos » : 850 personnes perdues (85,0 %)" in reply, reply
    assert "c'est l'étape « présents » qui en perd le plus : 1 500" in reply, reply


def test_a_campaign_planned_for_a_yearly_event_runs_in_its_window(conv):
    reply, _ = answer(conv, "campaign plan for Valentine's Day, budget €8k, instagram and email")
    today = date.today()
    end = date(today.year, 2, 14)
    end = end if end >= today else date(today.year + 1, 2, 14)
    assert re.search(rf"Campaign end\s+{end.isoformat()}", reply), reply
    assert re.search(rf"Launch\s+{max(date(end.year, 2, 1), today).isoformat()}", reply), reply


def test_a_review_of_a_past_event_campaign_plans_nothing(conv):
    reply, _ = answer(conv, "bilan de la campagne de Noël : 12 400 € dépensés, 610 commandes")
    assert "Plan de campagne" not in reply, reply


def test_a_measure_heading_channel_amounts_and_a_list_in_channel_order_give_each_channels_cac(conv):
    reply, _ = answer(
        conv,
        "what's our blended CAC? Oct spend: google 18k, meta 12k, linkedin 9k. new customers: 140, "
        "95 and 22",
    )
    # 39 000 / 257 blended; 18 000 / 140, 12 000 / 95, 9 000 / 22 by channel
    assert re.search(r"CAC\s+€151\.75", reply), reply
    assert re.search(r"Meta\s+€126\.32", reply) and re.search(r"LinkedIn\s+€409\.09", reply), reply
    assert "Budget allocation" not in reply and "not used" not in reply, reply


def test_a_cost_per_lead_and_a_lead_to_customer_rate_by_channel_give_each_channels_cac(conv):
    reply, _ = answer(
        conv,
        "CPL par canal ce trimestre : Google 45 €, Facebook 32 €, Salons 180 €. taux lead→client : "
        "4 %, 3 %, 12 %. lequel est le plus rentable ?",
    )
    # 45 / 4 %, 32 / 3 %, 180 / 12 %: the costs per lead are no budgets to split
    assert re.search(r"Google\s+1 125,00 €", reply) and re.search(r"Salons\s+1 500,00 €", reply)
    assert "Facebook a le CAC (CPL / taux lead → client) le plus bas (1 066,67 €)" in reply, reply
    assert "Répartition budgétaire" not in reply, reply


def test_each_arms_revenue_gives_revenue_per_visitor_and_decides_the_revenue_sign_off(conv):
    th = Thread("T", "CFACT", "arm-revenue")
    notices: list[str] = []
    say(
        conv,
        th,
        "test terminé sur l'email de relance panier : version A 12 400 envois, 372 commandes ; "
        "version B 12 350 envois, 420 commandes. B est meilleure ?",
        notices,
    )
    reply = "\n".join(
        say(conv, th, "ok et si on regarde le CA : A a fait 31 000 €, B 33 600 €", notices)
    )
    # 31 000 / 12 400 = 2,50 €, 33 600 / 12 350 = 2,72 €: +8,8 %, under the 10 % sign-off
    assert "A 2,50 €, B 2,72 € (+8,8 %)" in reply and "CA 31 000 € (A)" not in reply, reply
    assert notices == [], notices
    reply, notices = answer(
        conv,
        "checkout test: A 20,000 visitors, 600 orders, $42,000 revenue; B 20,000 visitors, 690 "
        "orders, $51,750 revenue. ship B?",
    )
    assert "A $2.10, B $2.59 (+23.2%)" in reply, reply
    assert len(notices) == 1 and "(23.2 %)" in notices[0], notices


def test_a_grid_with_at_least_counts_and_asking_words_scores_the_lead_and_raises_its_escalations(
    conv,
):
    reply, notices = answer(
        conv,
        "scoring grid: head of / VP +20, company 1000+ employees +25, asked for a demo +35, "
        "visited pricing 2+ times +15. lead: Tom, VP Sales at a 3,500-employee bank, requested a "
        "demo yesterday, visited pricing 4 times. hot?",
    )
    # VP 20 + 3 500 ≥ 1 000 employees 25 + a demo asked 35 + pricing visited 4 ≥ 2 times once 15 = 95
    assert "Lead score     95 pts" in reply, reply
    assert "(the configured model's: your grid gives none)" in reply, reply
    raised = {n.split("—")[1].split("(")[0].strip() for n in notices}
    assert raised == {"Lead score > 80", "Enterprise lead", "Demo/pricing request"}, notices


def test_a_roas_given_month_by_month_is_a_trend_campaign_tracking_diagnoses(conv):
    reply, _ = answer(
        conv,
        "ROAS last 3 months: jan 3.8, feb 3.1, mar 2.4. spend stayed ~25k/month. should i worry?",
    )
    # 3.8 -> 2.4 = -36.8 %; "jan 3.8" is January's ROAS, no 3 January
    assert "ROAS moved from 3.80x to 2.40x (-36.8%)" in reply, reply
    assert re.search(r"Spend to date\s+€25,000", reply) and "Campaign tracking" in reply, reply
    assert "Which one?" not in reply and "not used by this calculation: duration" in reply, reply


def test_a_channel_added_after_a_split_is_no_constraint_of_it(conv):
    th = Thread("T", "CFACT", "added-channel")
    say(
        conv,
        th,
        "budget 120k for Q1, channels: search (roas 4.5), meta (roas 3.0), youtube (roas 1.8), "
        "keep 10% reserve",
        [],
    )
    reply = "\n".join(say(conv, th, "add pinterest at 2.2", []))
    assert re.search(r"Pinterest\s+€20,661", reply), reply  # 108 000 × 2.2 / 11.5
    assert "Constraints applied: keep 10% reserve." in reply and "add pinterest" not in reply, reply


def test_an_mrr_that_went_from_one_figure_to_another_is_compared_and_its_churn_is_on_it(conv):
    reply, _ = answer(
        conv,
        "MRR went from 84k to 91k this month, churn 2.1%, 38 new accounts, ARPA 240. give me the "
        "monthly kpi summary",
    )
    # 91 / 84 = +8.3 %; the churn takes 2.1 % of the MRR given (84 000 × 2.1 % = 1 764), not of
    # 38 new accounts × 240
    assert re.search(r"MRR\s+€91,000\s+€84,000\s+\+8\.3%", reply), reply
    assert "€1,764.00" in reply and "€9,120" not in reply, reply


def test_a_subject_line_test_with_a_gap_to_detect_says_the_contacts_each_subject_needs(conv):
    reply, _ = answer(
        conv,
        "Bonjour, on lance un test sur l'objet des newsletters. Taux d'ouverture actuel 21 %, on "
        "aimerait détecter un gain de 2 points, la base fait 90 000 contacts et on envoie 1 fois "
        "par semaine. combien d'envois faut-il ?",
    )
    # 21 % -> 23 % at power 80 %, alpha 5 % (statsmodels, Cohen's h): 6 732 per subject line
    assert "il faut 6 732 contacts par objet" in reply and "un seul envoi suffit" in reply, reply
    reply, _ = answer(
        conv, "subject line test: open rate 25%, list of 8,000, we want to detect +1 point"
    )
    # 29 820 per subject line against cells of at most a quarter of the list (2 000): 15 sends
    assert "needs 29,820 contacts" in reply and "over 15 sends" in reply, reply
    assert "2 cells of 2,000 contacts" in reply and "the other 4,000 get the winner" in reply, reply


def test_a_launch_week_sends_each_channel_by_its_kind_and_a_list_in_brackets_is_its_contacts(conv):
    reply, _ = answer(
        conv,
        "on a 3 canaux qui touchent la meme cible pour le lancement du 3 mars : email (60k), "
        "linkedin ads, et webinar. tu peux m'organiser la diffusion sur la semaine de lancement ?",
    )
    assert "Toute la base (60 000 contacts), hors acheteurs" in reply, reply
    assert re.search(r"LinkedIn Ads\s+Campagne active toute la période", reply), reply
    assert re.search(r"Webinar\s+Événement en direct", reply), reply
    assert "budget 60 000 €" not in reply and "magasin" not in reply, reply


def test_a_touch_swapped_by_its_rank_in_an_email_only_sequence_keeps_the_other_emails(conv):
    th = Thread("T", "CFACT", "ranked-swap")
    say(conv, th, "séquence de nurturing pour les leads webinar : 5 emails sur 3 semaines", [])
    reply = "\n".join(say(conv, th, "remplace le 4e email par un appel commercial", []))
    assert re.search(r"4\s+J\+16\s+Appel commercial", reply), reply
    assert len(re.findall(r"\n[1235]\s+J\S*\s+Email\s", reply)) == 4, reply


def test_a_large_company_named_for_a_scored_lead_raises_the_enterprise_lead(conv):
    reply, notices = answer(
        conv, "lead: CMO at Decathlon, downloaded 2 whitepapers, attended our webinar"
    )
    assert "Lead score     55 pts" in reply, reply
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Enterprise lead"], notices


def test_signups_from_invites_over_active_users_give_the_k_factor(conv):
    reply, _ = answer(
        conv,
        "our referral program: 12,000 active users, 900 sent invites, 2,700 invites sent in total, "
        "540 signups from invites. what's our k-factor and is it viral?",
    )
    assert "K-factor = 540 referred users / 12,000 users = 0.045" in reply, reply  # 540 / 12 000


def test_a_new_range_launched_on_a_date_is_a_launch_campaign(conv):
    reply, _ = answer(
        conv,
        "on lance une nouvelle gamme le 15 avril, budget 30 k€, canaux instagram, tiktok et "
        "influence. fais-moi le plan de campagne",
    )
    assert "Plan de campagne — Lancement" in reply and "il me manque" not in reply, reply


def test_an_abandoned_cart_over_an_amount_with_two_timed_actions_keeps_both(conv):
    reply, _ = answer(
        conv,
        "si un client abandonne son panier de plus de 100 €, on veut lui envoyer un sms au bout "
        "d'1h puis un email avec -10 % au bout de 24h",
    )
    assert re.search(r"de plus de 100 € — au bout d'1h\s+Envoyer un sms", reply), reply
    assert re.search(r"de plus de 100 € — au bout de 24h\s+Un email avec -10 %", reply), reply


def test_a_connection_request_in_a_sequence_goes_out_on_linkedin(conv):
    reply, _ = answer(
        conv,
        "Can you build me a 3-touch LinkedIn + email sequence for VP Sales prospects at fintechs? "
        "day 1 connection request, day 3 email, day 7 follow-up email",
    )
    assert re.search(r"1\s+D\+1\s+LinkedIn\s+Connection request", reply), reply
    assert re.search(r"3\s+D\+7\s+Email\s+Follow-up email", reply), reply


def test_two_devices_rates_compared_are_segments_whose_gap_is_priced(conv):
    reply, _ = answer(
        conv,
        "our product page converts at 1.8% on mobile vs 3.9% on desktop, 70% of traffic is mobile, "
        "120k sessions/month, AOV €65. what should we fix first and what's it worth?",
    )
    # 120 000 × 70 % × (3.9 − 1.8) % = 1 764 more orders × €65 = €114,660 a month
    assert "1,764 more conversions" in reply and "+€114,660/month" in reply, reply
    assert "I still need" not in reply, reply


def test_a_mothers_day_campaign_runs_the_two_weeks_up_to_the_day(conv):
    reply, _ = answer(conv, "fais-moi un plan de campagne pour la fête des mères avec 20 000 €")
    today = date.today()
    for year in (today.year, today.year + 1):
        last = date(year, 5, 31)
        day = last - timedelta(days=(last.weekday() + 1) % 7)  # the last Sunday of May
        if day >= today:
            break
    start = max(day - timedelta(days=13), today)
    assert re.search(rf"Fin de campagne\s+{day:%d/%m/%Y}", reply), reply
    assert re.search(rf"Lancement\s+{start:%d/%m/%Y}", reply) and "il me manque" not in reply, reply


def test_a_follow_up_that_drops_a_channel_and_adds_budget_does_both(conv):
    th = Thread("T", "CFACT", "drop-and-add")
    say(
        conv,
        th,
        "répartis 25 000 € entre google ads (roas 5,2), meta (roas 3,4) et pinterest (roas 2,1)",
        [],
    )
    reply = "\n".join(say(conv, th, "et si on coupe pinterest et qu'on met 10 000 € de plus ?", []))
    # 35 000 € on Google Ads and Meta by ROAS: 35 000 × 5,2 / 8,6 and × 3,4 / 8,6
    assert re.search(r"Google Ads\s+21 163 €", reply) and re.search(r"Meta\s+13 837 €", reply), (
        reply
    )
    assert "Pinterest" not in reply, reply


def test_an_alpha_asked_after_a_readout_is_a_setting_not_a_figure_left_unused(conv):
    th = Thread("T", "CFACT", "alpha-after")
    say(
        conv,
        th,
        "ab test headline: control 8,000 visitors 240 signups; variant 8,100 visitors 297 signups",
        [],
    )
    reply = "\n".join(say(conv, th, "what about with alpha 1%?", []))
    assert (
        "alpha 0.01 two-sided" in reply
        and "Verdict                           Not significant" in reply
    )
    assert "Also read" not in reply, reply  # p = 0.0185 is above 0.01


def test_rates_written_as_shares_plan_a_test_and_are_no_funnel(conv):
    reply, _ = answer(
        conv, "CVR 0.035 on the checkout, we want to see 0.04, how many users per arm?"
    )
    # 3.5 % -> 4 % at power 80 %, alpha 5 % (statsmodels, Cohen's h)
    assert "Current rate       3.50%" in reply and "22,639 visitors per variant" in reply, reply


def test_the_smallest_lift_a_test_can_detect_in_the_days_it_may_run(conv):
    reply, _ = answer(
        conv,
        "need MDE calc: we get 900 visitors/day on the pricing page, CVR 6%, can run max 3 weeks. "
        "what's the smallest lift we can detect?",
    )
    # 900 × 21 / 2 = 9 450 per variant detect 6 % -> 7.00 % (statsmodels power 80 %, alpha 5 %)
    assert "Target rate (MDE)  7.00% (+1.00 point)" in reply and "9,450 visitors" in reply, reply


def test_a_rate_to_rate_improvement_with_users_per_group_is_read_as_a_test(conv):
    reply, _ = answer(
        conv, "is a 2.8% to 3.1% improvement significant with 6,000 users in each group?"
    )
    # 168 / 6 000 against 186 / 6 000: two-proportion z-test, p = 0.33
    assert "2.80% (168 / 6,000)" in reply and "p-value                           0.3315" in reply


def test_impressions_ctr_cpc_and_rates_chain_into_the_roas(conv):
    reply, _ = answer(
        conv,
        "mois dernier : 2,1M impressions, CTR 0,9 %, CPC 0,45 €, taux de conv 3,2 %, panier 64 €. "
        "calcule-moi le ROAS",
    )
    # 2,1M × 0,9 % = 18 900 clics × 0,45 € = 8 505 €; 18 900 × 3,2 % × 64 € = 38 707,20 €: 4,55x
    assert re.search(r"ROAS\s+4,55x", reply) and "8 505,00 €" in reply, reply
    assert "ROAS non calculé" not in reply and "par clic" not in reply, reply


def test_a_cost_asked_per_counted_stage_divides_the_spend_by_that_count(conv):
    reply, _ = answer(
        conv,
        "we spent $12k on a webinar campaign: 1,850 registrations, 720 attendees, 95 demos booked, "
        "18 deals. cost per demo? cost per deal?",
    )
    assert "Cost per demo: $126.32 ($12,000 / 95)." in reply, reply  # 12 000 / 95
    assert "Cost per deal: $666.67 ($12,000 / 18)." in reply, reply
    reply, _ = answer(
        conv,
        "salon : 18 000 € dépensés, 340 contacts, 45 rendez-vous, 9 signatures. coût par rendez-vous ?",
    )
    assert "Coût par rendez-vous : 400,00 € (18 000 € / 45)." in reply, reply


def test_a_customers_erasure_request_goes_to_legal_and_to_nobody_else(conv):
    # the wording "il veut que …" also suggests a data vs intuition conflict, a situation no
    # training message gives together with a privacy question
    reply, notices = answer(
        conv,
        "Un client nous écrit qu'il veut que toutes ses données soient supprimées de notre CRM et de "
        "nos listes emailing, il cite le RGPD. On fait comment ?",
    )
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Privacy/Compliance"], (
        notices
    )
    assert "Review juridique" in reply and "Discussion stakeholders" not in reply


def test_a_campaign_plan_asked_with_its_channels_is_planned_with_its_budget(conv):
    # channels and a launch date are all channel coordination takes; the words ask for the plan
    reply, _ = answer(
        conv,
        "we're launching our spring collection on March 20. channels: email (85k subs), instagram, "
        "tiktok ads, influencers. budget 30k. can you draft the campaign plan?",
    )
    assert reply.startswith("Campaign plan — Launch"), reply[:300]
    assert "Budget                   €30,000" in reply and "€5,000 a week" in reply
    assert "Email, Instagram, TikTok Ads, Influencers" in reply


def test_a_monthly_report_shows_the_figures_given_with_the_change_stated_and_no_month_as_a_figure(
    conv,
):
    reply, notices = answer(
        conv,
        "je voudrais un reporting mensuel pour le comité de direction : CA 1,2M€ (+8% vs m-1), "
        "dépenses marketing 180k€, 3 400 nouveaux clients, taux de churn 2,1%",
    )
    assert reply.startswith("Rapport mensuel"), reply[:200]
    assert re.search(r"CA +1 200 000 € +donné, \+8 % vs période précédente", reply), reply
    assert "180 000 €" in reply and "3 400" in reply and "2,10 %" in reply
    assert "ROAS                     6,67x" in reply and "52,94 €" in reply
    assert "Également lu" not in reply and notices == []  # "m-1" is last month, not an arm at 1 %


def test_a_report_for_the_board_goes_to_reporting_and_a_small_monthly_move_needs_no_sign_off(conv):
    reply, notices = answer(
        conv,
        "monthly report for the board please: revenue $1.2M (+8% MoM), marketing spend $180k, "
        "3,400 new customers, churn 2.1%",
    )
    assert reply.startswith("Monthly report"), reply[:200]
    assert re.search(r"\$1,200,000 +given, \+8% on the previous period", reply), reply
    assert notices == []  # +8 % of revenue is under the 10 % a sign-off needs


def test_a_channel_judged_on_last_click_gets_its_break_even_and_a_holdout_before_cutting(conv):
    reply, notices = answer(
        conv,
        "le DG veut couper TikTok : ROAS dernier clic 0,6 alors que c est notre canal de "
        "découverte. ton avis ?",
    )
    assert "Attribution — TikTok" in reply and "Votre chiffre en last click" in reply, reply
    # 1 / 0.6 - 1 = 66.7 %: the revenue the journeys TikTok opens must add to break even
    assert "ROAS 0,60x en last click" in reply and "ajoutent 67 %" in reply
    assert "test de holdout" in reply and "clics 0,60" not in reply
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Conflit data/intuition"]


def test_a_cap_asked_as_a_what_if_caps_the_channel_and_is_shown_as_the_cap(conv):
    thread, notices = Thread("T", "CFACT", "cap-what-if"), []
    say(
        conv,
        thread,
        "Budget Q1 is 45k. Last quarter: Google Ads spent 20k for 410 leads, Meta 15k for 240 "
        "leads, LinkedIn 10k for 60 leads. How should we split this quarter?",
        notices,
    )
    reply = "\n".join(say(conv, thread, "what if we cap linkedin at 5k?", notices))
    assert re.search(r"LinkedIn +€10,000 +€5,000", reply), reply
    assert "Constraints applied: cap linkedin at 5k." in reply


def test_a_stated_lift_tells_which_figure_is_the_variant_and_conversions_alone_need_no_sign_off(
    conv,
):
    reply, notices = answer(
        conv,
        "we ran a test removing the testimonials from the pricing page and conversions went UP 18% "
        "(1,240 vs 1,050 on ~30k visitors each). how can that be?",
    )
    # 1,240 / 1,050 - 1 = +18.1 %: the figure that went up is the variant's
    assert re.search(r"A \(control\) +3\.50% \(1,050 / 30,000\)", reply), reply
    assert re.search(r"B \(variant\) +4\.13% \(1,240 / 30,000\)", reply)
    assert "Relative lift                     18.1%" in reply
    # more conversions is no revenue said to move: no sign-off; the surprise, read just under its
    # rule's confidence, is offered to the team
    assert notices == [], notices
    assert "Possibly: Counter-intuitive result" in reply and "Escalate it?" in reply


def test_an_add_to_cart_test_is_no_basket_value_and_needs_no_revenue_sign_off(conv):
    reply, notices = answer(
        conv, "lecture test bouton ajout panier : 3,3 % contre 3,8 %, 16k visiteurs chacun"
    )
    assert "3,80 % (608 / 16 000)" in reply and notices == [], notices


def test_a_second_pair_follows_the_arms_of_the_first_and_the_revenue_move_is_the_variants(conv):
    _, notices = answer(
        conv,
        "test prix : variante 4,2 % de conv contre 3,6 % pour le contrôle, panier moyen 52 € vs "
        "50 €, 20k visiteurs chacun",
    )
    # revenue per visitor: 4.2 % x 52 € against 3.6 % x 50 € = +21.3 %
    assert len(notices) == 1 and "Test impacte le CA > 10%" in notices[0], notices
    assert "21,3 %" in notices[0]


def test_redoing_the_home_and_navigation_is_a_major_redesign_for_the_committee(conv):
    reply, notices = answer(
        conv,
        "on veut refaire entièrement la home et la navigation du site, budget 80k, 3 mois de dev. "
        "comment on s'y prend ?",
    )
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Refonte majeure proposée"]
    assert "J'attends la décision de @decision-committee" in reply, reply
    assert "les canaux à financer" not in reply  # a redesign's budget is no media budget to split


def test_same_with_other_figures_for_another_channel_reruns_the_request_for_it(conv):
    thread, notices = Thread("T", "CFACT", "same-with"), []
    say(
        conv,
        thread,
        "can you check this: campaign spend 12,400€ on google, 340 conversions, avg order 48€. is "
        "it profitable?",
        notices,
    )
    reply = "\n".join(
        say(conv, thread, "same with 9,800€ spend and 290 conversions for meta", notices)
    )
    # 9,800 / 290 = 33.79 per conversion; 290 x 48 / 9,800 = 1.42
    assert "Conversions          290" in reply and "€33.79" in reply and "1.42x" in reply, reply
    assert "Possibly" not in reply and notices == []  # figures for a channel name no situation


def test_a_what_if_on_the_invitees_conversion_recomputes_the_k_factor(conv):
    thread, notices = Thread("T", "CFACT", "k-what-if"), []
    say(
        conv,
        thread,
        "je veux une boucle de parrainage pour notre appli : 12 000 utilisateurs actifs, chacun "
        "invite en moyenne 1,8 amis et 22 % des invités s'inscrivent. c'est viral ?",
        notices,
    )
    reply = "\n".join(
        say(conv, thread, "et si on monte la conversion des invités à 35 % ?", notices)
    )
    # K = 1.8 x 35 % = 0.63; 12 000 x 0.63 = 7 560 signups a cycle
    assert "35,0 % des invités qui s'inscrivent = 0,63" in reply and "7 560 inscrits" in reply, (
        reply
    )


def test_a_sends_counts_give_its_rates_and_the_complaint_rate_against_gmails_limit(conv):
    reply, _ = answer(
        conv,
        "on a envoyé la newsletter à 52 000 contacts : 11 440 ouvertures, 1 300 clics, 180 "
        "désinscriptions, 95 plaintes spam. c'est grave ?",
    )
    # 11 440 / 52 000 = 22 %; 95 / 52 000 = 0.18 %, above the 0.10 % Gmail asks for
    assert "Taux d'ouverture actuel         22,0 %" in reply, reply
    assert re.search(r"Plaintes spam +95 +0,18 %", reply) and re.search(
        r"Clics +1 300 +2,50 %", reply
    )
    assert "au-dessus des 0,10 % que Gmail et Yahoo demandent" in reply
    assert "Également lu" not in reply  # every count is used


def test_the_gap_to_an_industry_benchmark_is_priced_as_what_the_page_loses(conv):
    reply, _ = answer(
        conv,
        "notre page produit convertit à 1,9 %, le benchmark secteur est à 3 %. on a 60 000 visites "
        "par mois et un panier moyen de 55 €. combien on perd ?",
    )
    # 60 000 x (3 % - 1,9 %) x 55 € = 36 300 € a month
    assert "Objectif conversion  3,00 %" in reply and "+36 300 €/mois" in reply, reply
    assert "Également lu" not in reply


def test_ideas_given_with_their_ice_scores_are_ranked_by_growth_not_read_as_a_trigger(conv):
    reply, _ = answer(
        conv,
        "quick ICE scoring please: exit-intent popup (impact 6, confidence 7, ease 9), new "
        "onboarding checklist (8, 5, 4), pricing page redesign (9, 4, 3)",
    )
    assert reply.startswith("Prioritised growth backlog (ICE)"), reply[:200]
    # 6 x 7 x 9 = 378, 8 x 5 x 4 = 160, 9 x 4 x 3 = 108
    assert re.search(r"1 +exit-intent popup +6 +7 +9 +378", reply)
    assert re.search(r"3 +pricing page redesign +9 +4 +3 +108", reply)
    assert "K-factor" not in reply.split("Next steps")[0]  # no viral loop was asked


@pytest.mark.parametrize(
    "text, rows, line",
    [
        (
            "personalise the homepage for returning visitors vs new visitors: returning convert at "
            "4.1%, new at 1.3%, 35% of traffic is returning. what's the potential?",
            [r"returning visitors +35% +4\.10% +62\.9%", r"new visitors +65% +1\.30% +37\.1%"],
            # 0.35 x 4.1 + 0.65 x 1.3 = 2.28 %; a point on new visitors is 0.65 pt of it
            "Blended conversion rate: 2.28% (Σ traffic share × rate). One conversion point gained "
            "on “new visitors” adds 0.65 pt to the blended rate (+28.5%).",
        ),
        (
            "personnaliser la home : les clients fidèles convertissent à 5,2 %, les nouveaux "
            "visiteurs à 1,1 % ; les fidèles font 20 % du trafic, 90 000 visites par mois, panier 60 €",
            [r"clients fidèles +20 % +5,20 %", r"nouveaux visiteurs +80 % +1,10 %"],
            # 0.8 pt x 90 000 = 720 conversions, x 60 € = 43 200 €
            "ajoute 0,80 pt au taux global (+41,7 %). Sur le trafic du mois, 720 conversions de "
            "plus (43 200 €).",
        ),
    ],
)
def test_segments_rates_and_one_share_give_the_blended_rate_and_what_a_point_is_worth(
    conv, text, rows, line
):
    reply, _ = answer(conv, text)
    for row in rows:
        assert re.search(row, reply), reply
    assert line in reply


@pytest.mark.parametrize(
    "text, cac, line",
    [
        (
            "we noticed 40% of our 'new customers' in October were actually test accounts created "
            "by QA. can you recompute CAC? spend was 62k, reported customers 1,240",
            "€83.33",  # 62,000 / (1,240 x 60 %) = 62,000 / 744
            "Customers counted: 1,240 given, less the 40% that are not (test accounts) = 744",
        ),
        (
            "CAC du mois ? dépense 48 000 €, 960 nouveaux clients mais 25 % sont des doublons dans "
            "le CRM",
            "66,67 €",  # 48 000 / 720
            "Clients comptés : 960 donnés, moins 25 % qui n'en sont pas (doublons) = 720",
        ),
    ],
)
def test_a_share_of_customers_said_not_to_be_real_is_taken_out_of_the_cac(conv, text, cac, line):
    reply, _ = answer(conv, text)
    assert re.search(rf"CAC +{re.escape(cac)}", reply) and line in reply, reply


@pytest.mark.parametrize(
    "turns, row",
    [
        (
            [
                "séquence de 5 emails sur 3 semaines pour réactiver les clients inactifs depuis 6 mois",
                "ajoute un sms entre le 2e et le 3e email",
            ],
            r"3 +J\+8 +SMS",  # halfway between J+5 and J+10
        ),
        (
            ["3-email welcome sequence: day 0, day 3, day 7", "add a call after the 2nd email"],
            r"3 +D\+5 +Call",
        ),
    ],
)
def test_a_touch_added_by_the_ranks_around_it_goes_between_them(conv, turns, row):
    thread, notices = Thread("T", "CFACT", turns[1]), []
    say(conv, thread, turns[0], notices)
    reply = "\n".join(say(conv, thread, turns[1], notices))
    assert re.search(row, reply), reply


def test_an_activation_rate_that_doubled_is_no_revenue_move_to_sign_off(conv):
    _, notices = answer(
        conv,
        "the new onboarding email flow doubled activation (from 18% to 36%) but support tickets "
        "tripled. should we keep it?",
    )
    assert not any("revenue" in n for n in notices), notices


def test_a_monthly_price_per_subscriber_is_the_arpu_and_a_churn_move_is_priced_in_mrr(conv):
    reply, notices = answer(
        conv,
        "notre taux de churn est passé de 2% à 3,5% ce trimestre sur 8 000 abonnés à 29€/mois. "
        "quel impact ?",
    )
    # 8 000 x 29 € = 232 000 € of MRR; 2 % then 3,5 % of it lost a month
    assert re.search(r"MRR perdu par mois +8 120,00 € +4 640,00 € +\+75,0 %", reply), reply
    assert re.search(r"LTV +828,57 € +1 450,00 €", reply)
    assert notices == []  # 1,5 % of MRR more a month: under the 10 % a sign-off needs


def test_a_campaign_launched_yesterday_is_tracked_not_planned(conv):
    reply, _ = answer(
        conv,
        "on a lancé une campagne TikTok hier et on a déjà 2 300 installs de l'appli pour 800 € de "
        "dépense, c'est normal ?",
    )
    assert reply.startswith("Suivi de campagne"), reply[:200]
    assert "Coût par conversion  0,35 €" in reply  # 800 € / 2 300 installs


def test_a_rate_to_detect_just_above_the_baseline_is_the_rate_to_reach(conv):
    reply, _ = answer(
        conv,
        "what sample size do I need for a test where baseline is 12% and I want to detect 13.5%?",
    )
    # 12 % -> 13.5 %: +1.5 points (statsmodels, Cohen's h, power 80 %, alpha 5 %)
    assert "Target rate (MDE)  13.50% (+1.50 point)" in reply, reply
    assert "7,756 visitors per variant" in reply and "'where'" not in reply


def test_an_ltv_question_whose_figures_hold_still_raises_no_revenue_sign_off(conv):
    reply, notices = answer(
        conv,
        "quelle est la LTV si l'ARPU est de 60 € par mois, la marge 80 % et le churn mensuel 5 % ?",
    )
    # 60 € x 80 % / 5 % = 960 € on margin, 1 200 € on revenue
    assert "960,00 €" in reply and "1 200,00 €" in reply, reply
    assert notices == [], notices  # nothing moved: no revenue to sign off


def test_a_form_filled_is_a_trigger_the_rules_start_from(conv):
    reply, _ = answer(
        conv,
        "j'ai besoin d'un workflow : quand un lead remplit le formulaire contact, on l'ajoute au CRM, "
        "on notifie le commercial sur slack, et on envoie un email de confirmation",
    )
    assert "déclencheur « Formulaire rempli »" in reply, reply
    assert "il me manque" not in reply and "CRM" in reply


def test_a_floor_said_as_a_wish_is_shown_as_the_floor(conv):
    reply, _ = answer(
        conv,
        "budget 25k pour le mois prochain : google roas 4, meta roas 2,5. on veut garder au moins "
        "5k sur meta",
    )
    assert "Contraintes respectées : au moins 5k sur meta." in reply, reply


def test_control_named_before_its_variants_counts_as_one_more_arm(conv):
    reply, _ = answer(
        conv,
        "planning a pricing page test: control + 2 variants, current conversion 2.2%, want to "
        "detect a 15% relative lift, power 90%, we get about 9k visitors a day. how many days?",
    )
    # 3 arms: each variant against control at alpha 0.05 / 2 (Bonferroni), power 0.9
    assert "(3 variants)" in reply and "33/33/33" in reply, reply


def test_churn_is_counted_on_the_customers_at_the_start_not_the_new_ones(conv):
    reply, _ = answer(
        conv,
        "T3 : CA 420 k€, dépenses pub 95 k€, 1 150 nouveaux clients, 230 départs sur 5 400 clients "
        "en début de trimestre. ROAS, CAC et churn ?",
    )
    # churn 230 / 5 400; the CAC stays on the 1 150 new customers (95 000 / 1 150)
    assert "Taux de churn  4,26 %" in reply and "82,61 €" in reply, reply
    assert "20,00 %" not in reply


def test_pairs_under_a_header_naming_their_two_measures_are_each_channels(conv):
    reply, notices = answer(
        conv,
        "channel mix last month, spend / conversions: Google $18k / 350, Meta $12k / 190, TikTok "
        "$6k / 45. what's our blended CPA and which channel should we cut?",
    )
    # $36,000 / 585 conversions; TikTok's $6,000 / 45 is the dearest
    assert "$61.54" in reply and "$133.33" in reply and "$51.43" in reply, reply
    assert "Budget allocation" not in reply and "Cost per conversion" not in reply
    assert notices == []


def test_a_rate_moving_between_arms_of_given_size_is_read_out(conv):
    reply, notices = answer(
        conv,
        "weird one: we removed the free shipping banner and conversion went up from 2.4% to 2.9% "
        "(30k visitors per arm). does that even make sense?",
    )
    # 720 / 30,000 against 870 / 30,000: z-test p ≈ 0.00014
    assert "(720 / 30,000)" in reply and "(870 / 30,000)" in reply and "20.8%" in reply, reply
    assert "I still need" not in reply
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Counter-intuitive result"]


def test_more_traffic_into_a_funnel_keeps_each_steps_rate(conv):
    thread, notices = Thread("T", "CFACT", "funnel-top"), []
    say(
        conv,
        thread,
        "funnel du mois : visites 48 000 → fiche produit 19 200 → panier 3 840 → checkout 1 920 "
        "→ achat 960. où on perd le plus ?",
        notices,
    )
    reply = "\n".join(say(conv, thread, "refais avec 60 000 visites et les mêmes taux", notices))
    # 60 000 / 48 000 = 1.25 on every step: 24 000, 4 800, 2 400, 1 200
    assert "visites        60 000" in reply and "achat          1 200" in reply, reply
    assert "visites 48 000 → 60 000, achat 960 → 1 200 (+240 achat)" in reply


def test_a_table_pasted_in_a_message_is_read_row_by_row(conv):
    reply, _ = answer(
        conv,
        "voila les chiffres de la semaine :\n| canal | dépense | conv |\n|---|---|---|\n"
        "| Google | 4 200 € | 120 |\n| Meta | 3 100 € | 62 |\n| Email | 300 € | 48 |\n"
        "tu me fais un point pour le comex ?",
    )
    # 7 600 € / 230 conversions; Email 300 € / 48 = 6,25 €
    assert "33,04 €" in reply and "6,25 €" in reply and "50,00 €" in reply, reply
    assert "Allocation budgétaire" not in reply
    funnel, _ = answer(
        conv,
        "where do we leak?\n| step | users |\n| landing | 12000 |\n| signup | 2400 |\n"
        "| activation | 960 |\n| paid | 240 |",
    )
    assert "Biggest leak        signup (80.0% lost)" in funnel and "paid        240" in funnel


def test_two_attribution_models_in_one_sentence_are_compared_channel_by_channel(conv):
    reply, _ = answer(
        conv,
        "last-click says Google drove 420 conversions and Meta 130, but in the first-touch view "
        "Meta has 310 and Google 240. which one do we trust for budget?",
    )
    assert "Conversions by channel under your two models" in reply, reply
    assert re.search(r"Google\s+420\s+240\s+-180", reply) and re.search(
        r"Meta\s+130\s+310\s+\+180", reply
    )


def test_send_rates_are_on_the_emails_delivered_when_given(conv):
    reply, _ = answer(
        conv,
        "newsletter de mardi : 48 000 envoyés, 46 900 délivrés, 10 300 ouvertures, 1 150 clics, "
        "95 désinscriptions. c'est bon ?",
    )
    # 10 300 / 46 900 opens, 1 150 / 46 900 clicks, 46 900 / 48 000 delivered
    assert "21,96 %" in reply and "2,45 %" in reply and "97,71 %" in reply, reply
    assert "visiteurs 46 900" not in reply


def test_a_send_against_an_earlier_one_says_where_the_loss_is(conv):
    reply, _ = answer(
        conv,
        "hey, our black friday email got 22% opens but only 0.9% clicks on 85k delivered. last "
        "year same email was 25% / 1.6%. what happened and what do we fix?",
    )
    # CTOR 0.9 / 22 = 4.1 % against 1.6 / 25 = 6.4 %: people who open click less
    assert "List                     85,000 contacts" in reply, reply
    assert "(CTOR) 4.1% against 6.4% (-36.1%)" in reply and "mostly after the open" in reply
    reply, _ = answer(
        conv,
        "notre newsletter (40 000 abonnés) fait 18 % d'ouverture et 2,1 % de clics, le mois "
        "dernier c'était 27 % et 3 %. on fait quoi ?",
    )
    assert "Ouverture 18,0 % contre 27,0 % avant (-33,3 %)" in reply, reply
    assert "surtout avant l'ouverture" in reply


def test_a_target_said_after_the_figure_with_a_verb_is_the_figures_target(conv):
    reply, _ = answer(
        conv,
        "je dois présenter le bilan de la campagne de printemps au codir : 45k€ dépensés, 1 850 "
        "ventes, CA 162k€, objectif était 150k€. tu me prépares ça ?",
    )
    assert re.search(r"CA\s+162 000 €\s+150 000 €\s+\+8,0 %", reply), reply
    assert "montant 150 000 €" not in reply


def test_segments_named_before_the_one_asked_for_keep_their_rates(conv):
    reply, _ = answer(
        conv,
        "personnalisation de la home : les visiteurs récurrents convertissent à 4,2 % et les "
        "nouveaux à 1,1 %, 35 % du trafic est récurrent. ça vaut le coup de personnaliser pour "
        "les nouveaux ?",
    )
    # 35 % x 4,2 + 65 % x 1,1 = 2,185 %; a point on the new visitors is 0,65 pt overall
    assert re.search(r"visiteurs récurrents\s+35 %\s+4,20 %", reply), reply
    assert re.search(r"nouveaux\s+65 %\s+1,10 %", reply)
    assert "2,18 %" in reply and "0,65 pt" in reply


def test_a_touch_added_for_non_openers_keeps_its_condition_and_the_emails_their_numbers(conv):
    reply, _ = answer(
        conv,
        "on relance les paniers abandonnés à H+1, J+1 et J+3 par email. tu peux me monter le "
        "workflow avec un sms en plus à J+2 pour ceux qui ont pas ouvert ?",
    )
    assert "J+2  SMS (si l'email précédent n'a pas été ouvert)" in reply, reply
    assert "J+3  Message 3 de la série" in reply


def test_a_goal_written_as_a_target_figure_names_no_audience(conv):
    reply, _ = answer(
        conv,
        "plan a 3-week LinkedIn + email campaign for our SOC2 launch on Jan 12, budget $18k, "
        "target 150 SQLs",
    )
    assert "Target: SOC2 launch" not in reply and "150 SQLs over 3 weeks" in reply, reply


def test_a_correction_after_a_readout_offers_no_possible_situation(conv):
    thread, notices = Thread("T", "CFACT", "oops-correction"), []
    say(
        conv,
        thread,
        "AB test on the pricing page: A 9,800 visitors 410 conversions, B 9,750 visitors 468 "
        "conversions. significant?",
        notices,
    )
    reply = "\n".join(say(conv, thread, "oops B had 486 conversions not 468", notices))
    assert "4.98% (486 / 9,750)" in reply, reply
    assert "Escalate it?" not in reply and notices == []


def test_a_touch_removed_by_its_rank_leaves_the_others_on_their_days(conv):
    thread, notices = Thread("T", "CFACT", "rank-remove"), []
    say(
        conv,
        thread,
        "build me a 5-email onboarding sequence for new trial users over 14 days",
        notices,
    )
    reply = "\n".join(say(conv, thread, "remove the 3rd email", notices))
    assert "4 messages over 14 days" in reply and "Average interval  4.7 days" in reply, reply
    assert "D+7" not in reply and "LinkedIn" not in reply and "D+10" in reply


def test_a_short_version_and_a_french_backlog_with_ice_letters(conv):
    thread, notices = Thread("T", "CFACT", "short-comex"), []
    say(
        conv,
        thread,
        "rapport mensuel : CA 310k€ (+6 %), 4 100 commandes, panier moyen 75,6 €, dépense pub 52k€",
        notices,
    )
    short = "\n".join(say(conv, thread, "fais-moi une version courte pour le comex", notices))
    assert "ROAS          5,96x" in short and "Structure du rapport" not in short, short
    backlog, _ = answer(
        conv,
        "idées growth à prioriser : parrainage (I 8, C 6, E 5), SEO programmatique (I 7, C 5, "
        "E 3), quiz produit (I 6, C 7, E 8)",
    )
    assert "Première expérience  quiz produit" in backlog, backlog


def test_a_signed_lift_wanted_in_a_test_duration_question_is_used_without_asking(conv):
    reply, _ = answer(
        conv,
        "combien de temps pour tester une nouvelle fiche produit ? conv actuelle 2,8 %, on veut "
        "+12 %, 6 000 visiteurs/jour",
    )
    # 2,8 % -> 3,136 % at alpha 0.05, power 0.8: 40 013 a variant, 12 000 a day in the test
    assert "40 013 visiteurs par variante" in reply and "Durée                 14 jours" in reply, (
        reply
    )
    assert "Si c'est bon, répondez" not in reply


def test_a_monthly_report_with_its_changes_in_brackets_asks_no_sign_off(conv):
    reply, notices = answer(
        conv,
        "give me the monthly report for november: sessions 210k (+12% MoM), signups 3,150 (+4%), "
        "MRR €184k (+2.1%), churn 2.8%",
    )
    assert "Monthly report" in reply and "+12% on the previous period" in reply, reply
    assert notices == [] and "waiting" not in reply


def test_the_stated_move_says_which_rate_is_the_variants(conv):
    reply, notices = answer(
        conv,
        "nos ventes ont augmenté de 8% avec la nouvelle fiche produit (A/B test, 20k visiteurs "
        "par bras, conv 2,5% vs 2,7%). on généralise ?",
    )
    # 2,7 / 2,5 = +8 %: the new page is the 2,7 %
    assert "A (contrôle)                     2,50 % (500 / 20 000)" in reply, reply
    assert "B (variante)                     2,70 % (540 / 20 000)" in reply
    assert notices == []  # sales +8 %: under the 10 % sign-off


def test_costs_per_lead_split_the_budget_toward_the_goal(conv):
    reply, _ = answer(
        conv,
        "j'ai 15k€ pour décembre, je veux 600 leads. google me coûte 22€ le lead, linkedin 65€, "
        "meta 31€. comment je fais ?",
    )
    # 8 800 / 22 + 6 200 / 31 = 400 + 200 = 600
    assert "répartition au CPA" in reply and re.search(r"LinkedIn\s+2 479 €", reply), reply
    assert (
        "CPA moyen de 25,00 € au plus" in reply
        and "8 800 € sur Google et 6 200 € sur Meta" in reply
    )


def test_versions_counted_with_their_control_are_not_counted_twice(conv):
    reply, _ = answer(
        conv,
        "we run 4 versions of the signup page (control + 3), 5k visitors per day total, baseline "
        "3.2%, want to detect a 20% relative lift. how many days?",
    )
    assert "(4 variants)" in reply and "alpha 0.05 / 3" in reply, reply


def test_costs_listed_after_a_spend_add_up_to_the_cac(conv):
    reply, _ = answer(
        conv,
        "quel est notre CAC si on a dépensé 48 000 € en pub et 12 000 € en outils, pour 640 "
        "nouveaux clients ce trimestre ?",
    )
    assert "93,75 €" in reply and "montant 12 000 €" not in reply, reply  # 60 000 / 640


def test_a_what_if_on_a_rate_is_a_scenario_not_a_rollout_nor_a_sign_off(conv):
    reply, notices = answer(
        conv,
        "our trial-to-paid is 11%, 1,800 trials a month, ARPU $59. what if we push it to 14%?",
    )
    # 1,800 x 3 points = 54 more paid a month, x $59 = $3,186
    assert "+54 conversions" in reply and "+$3,186" in reply, reply
    assert "No KPI can be computed" not in reply and notices == []


def test_what_follows_the_colon_after_a_for_is_the_request_not_an_audience(conv):
    reply, _ = answer(
        conv,
        "séquence de nurturing pour les leads webinar : 4 emails espacés de 3 jours, puis un appel "
        "SDR pour ceux qui ont cliqué 2 fois",
    )
    assert "leads webinar" in reply and "Cible\npuis un appel" not in reply, reply


def test_an_nps_from_its_three_groups(conv):
    reply, _ = answer(conv, "notre NPS : 420 promoteurs, 180 passifs, 150 détracteurs. c'est bon ?")
    assert "NPS  36,0 pts" in reply, reply  # (420 - 150) / 750


def test_a_referral_programmes_counts_give_its_k_factor(conv):
    reply, _ = answer(
        conv,
        "our referral program: 2,400 referrers invited 7,200 friends, 1,080 signed up. what's the "
        "k-factor and is it worth scaling?",
    )
    # 7,200 / 2,400 = 3 invites each, 1,080 / 7,200 = 15 %: K = 0.45; no ICE scores in "2,400"
    assert "K-factor = 3.00 invite(s) per user × 15.0% of invitees signing up = 0.45" in reply
    assert "our referral program  2" not in reply and "number 2,400" not in reply, reply


def test_an_sms_to_customers_who_never_agreed_is_a_privacy_question(conv):
    _, notices = answer(
        conv,
        "le client veut texter toute sa base pour les soldes alors que la plupart n'ont jamais "
        "accepté de recevoir des SMS, on fait comment ?",
    )
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Privacy/Compliance"]


def test_a_measure_named_in_a_question_names_the_arms_figures_after_it(conv):
    thread, notices = Thread("T", "CFACT", "ca-question"), []
    say(
        conv,
        thread,
        "test A/B sur le bouton d'ajout au panier : A 18 200 sessions / 1 092 ajouts, B 18 050 / "
        "1 205. B gagne ?",
        notices,
    )
    reply = "\n".join(say(conv, thread, "et le CA ? A 41 600€, B 47 300€", notices))
    # 41 600 / 18 200 = 2,29 € against 47 300 / 18 050 = 2,62 €: +14,6 %, above the 10 % sign-off
    assert "A 2,29 €, B 2,62 € (+14,6 %)" in reply, reply
    assert any("Test impacte le CA > 10% (14,6 %)" in n for n in notices), notices


def test_new_customers_compared_across_quarters_keep_their_order(conv):
    reply, _ = answer(
        conv,
        "Q4 recap for the board: revenue $3.4M vs $2.9M in Q3, marketing spend $610k vs $540k, new "
        "customers 9,200 vs 8,100",
    )
    assert re.search(r"Customers\s+9,200\s+8,100\s+\+13.6%", reply), reply


def test_platforms_claiming_more_than_the_real_sales_are_deduplicated(conv):
    reply, _ = answer(
        conv,
        "attribution : google ads s'attribue 1 200 conversions, meta 800, mais on n'a que 1 500 "
        "ventes dans le CRM. c'est normal ?",
    )
    assert "2 000 conversions pour 1 500 ventes réelles : 500 de trop (33 % du réel)" in reply, (
        reply
    )


def test_revenue_per_user_compared_in_a_named_test_follows_the_arms(conv):
    reply, notices = answer(
        conv,
        "A/B on the homepage hero: control 24,300 users 3.1% CVR, variant 24,100 users 3.4% CVR. "
        "revenue per user $5.20 vs $6.10. ship it?",
    )
    # $6.10 / $5.20 = +17.3 % for the variant, not -14.8 %
    assert "Revenue per visitor as given: A $5.20, B $6.10 (+17.3%)" in reply, reply
    assert any("+17.3 %" in n for n in notices), notices


def test_a_ctr_drop_is_a_performance_question_not_a_fraud_review(conv):
    _, notices = answer(
        conv,
        "hi! quick one: our CTR on Google Ads dropped from 4.2% to 2.9% this week but impressions "
        "are flat at 310k. what's going on?",
    )
    assert notices == [], notices


def test_a_b2b_rate_pushed_to_a_level_is_no_rollout(conv):
    reply, _ = answer(
        conv,
        "our B2B trial-to-paid is 11%, 1,800 trials a month, ARPU $59. what if we push it to 14%?",
    )
    # the "B" of B2B names no version to roll out: 14 % is the rate to reach, a scenario
    # 1,800 × (14 % − 11 %) = 54 more paid a month × $59 = $3,186
    assert "going from 11.0% to 14.0% on 1,800 a period gives +54 conversions" in reply, reply
    assert "+$3,186 a period" in reply and "traffic share" not in reply, reply


def test_a_signed_move_named_by_its_measure_says_which_rate_is_the_variants(conv):
    reply, _ = answer(
        conv,
        "le test sur l'objet d'email a fait +11 % d'ouvertures (24,1 % vs 21,7 % sur 15 000 envois "
        "par version), on garde B ?",
    )
    # 24,1 / 21,7 = +11 %: the variant is the 24,1 %
    assert "B (variante)                     24,10 % (3 615 / 15 000)" in reply, reply
    assert "Garder A" not in reply


def test_a_floor_on_one_channel_is_no_total_budget(conv):
    thread, notices = Thread("T", "CFACT", "floor-total"), []
    first = "\n".join(
        say(
            conv,
            thread,
            "on a 45k€ pour mai. répartis entre search (ROAS 5,1), social (ROAS 3,2) et affiliation "
            "(ROAS 2,4), avec au moins 5k€ sur l'affiliation",
            notices,
        )
    )
    # 45 000 € split in proportion to ROAS 5,1 / 3,2 / 2,4; the 5 000 € floor already holds
    assert "Allocation budgétaire — 45 000 €" in first and "21 449 €" in first, first
    again = "\n".join(say(conv, thread, "et avec 60k ?", notices))
    assert "Allocation budgétaire — 60 000 €" in again and "28 598 €" in again, again


def test_send_results_labelled_before_their_counts_are_read_in_order(conv):
    reply, _ = answer(
        conv,
        "email campaign results: sent 48,000, delivered 47,100, opens 11,304, clicks 1,413, "
        "unsubscribes 94, orders 212, revenue €15,900. how did it do?",
    )
    # each label names the count after it: 11,304 / 47,100 = 24 % opens, not 47,100 opens
    assert "Opens                  11,304  24.00%" in reply, reply
    assert "Clicks                 1,413   3.00%" in reply and "Unsubscribes           94" in reply
    # what the send sold: 212 / 47,100, 212 / 1,413, €15,900 / 47,100 and / 212
    assert (
        "Orders: 212, 0.45% of the emails and 15.0% of the clicks; revenue €15,900: €0.34 per "
        "email, average order €75.00." in reply
    ), reply


def test_a_demo_only_segment_is_no_demo_request(conv):
    reply, notices = answer(
        conv,
        "Our CEO wants to kill the free trial because 'it attracts freeloaders', but trial users "
        "convert at 14% vs 3% for demo-only. how do I push back?",
    )
    # the CEO's gut against the data; "demo-only" names a group of users, nobody asked for a demo
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == [
        "Data vs intuition conflict"
    ], notices
    assert "Lead score" not in reply, reply


def test_two_prices_each_with_its_rate_and_visitors_are_compared_per_visitor(conv):
    reply, _ = answer(
        conv,
        "Test prix : 29€ conv 3,1% (n=8 200) vs 35€ conv 2,7% (n=8 150). lequel rapporte le plus ?",
    )
    # 3,1 % of 8 200 = 254 buyers at 29 €, 2,7 % of 8 150 = 220 at 35 €: 0,90 € vs 0,94 € a visitor
    assert "au prix de 29,00 € : 254 conversions (3,10 %)" in reply, reply
    assert "au prix de 35,00 € : 220 conversions (2,70 %)" in reply and "Lift relatif" in reply


def test_a_trade_show_is_costed_per_lead_mql_sql_and_deal_with_its_roi(conv):
    reply, _ = answer(
        conv,
        "nos leads du salon : 340 scannés, 120 qualifiés MQL, 28 SQL, 6 deals signés à 18k€ en "
        "moyenne. le salon a coûté 42k€. ça valait le coup ?",
    )
    # 42 000 € over 340 scans, 120 MQL, 28 SQL and 6 deals; 6 × 18 000 € = 108 000 € signed
    for figure in ("123,53 €", "350,00 €", "1 500,00 €", "7 000,00 €", "108 000,00 €"):
        assert figure in reply, (figure, reply)
    assert re.search(r"ROI\s+157,14 %", reply), reply  # (108 000 − 42 000) / 42 000


def test_message_days_listed_after_one_word_are_the_sequences_delays(conv):
    reply, _ = answer(
        conv,
        "build me a 4-email onboarding sequence for new trial users, day 0, 2, 5, 9, goal: "
        "activate the integration",
    )
    # the days given, no question about the total duration; "goal" is no audience
    assert "4 messages over 9 days" in reply, reply
    assert re.search(r"4\s+D\+9\s+Email", reply) and "new trial users, goal" not in reply


def test_shares_of_conversions_under_two_models_are_compared_against_last_touch(conv):
    reply, _ = answer(
        conv,
        "attribution: on a les données first touch et last touch — first touch: SEO 40%, SEA 35%, "
        "Email 25%; last touch: SEO 20%, SEA 45%, Email 35%. quel canal sous-estime-t-on ?",
    )
    # SEO opens journeys: 40 % of the credit on first touch, 20 % on last touch
    assert re.search(r"SEO\s+20 %\s+40 %\s+\+20 pt", reply), reply
    assert "SEO gagne 20 points de crédit en First touch par rapport au Last touch" in reply


def test_versions_named_by_words_no_lexicon_knows_are_the_next_arms(conv):
    reply, _ = answer(
        conv,
        "A/B test on the signup button color: control 41,200 visitors 1,030 signups, green 40,900 "
        "visitors 1,145 signups, orange 41,050 visitors 1,062 signups. which one wins?",
    )
    # three versions: 1,030 / 41,200, 1,145 / 40,900 and 1,062 / 41,050, Bonferroni over 2 comparisons
    assert "B (variant)                       2.80% (1,145 / 40,900)" in reply, reply
    assert "C 2.59% = 1,062 / 41,050" in reply and "0.05 / 2 = 0.0250" in reply


def test_a_title_said_as_the_teams_own_is_no_lead(conv):
    reply, notices = answer(
        conv,
        "our head of sales insists we should stop the webinar program because 'nobody buys from "
        "webinars', but 31% of closed-won deals last quarter attended one. help me make the case",
    )
    # a colleague's conviction against the data: no lead to score, a discussion to prepare
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == [
        "Data vs intuition conflict"
    ], notices
    assert "Lead score" not in reply and "To prepare the discussion" in reply, reply


def test_signups_a_week_are_the_traffic_of_an_activation_test(conv):
    reply, _ = answer(
        conv,
        "we want to test a new onboarding checklist. activation is 34% today, we'd like to see +4 "
        "points, we get about 900 signups a week. how many weeks?",
    )
    # 2 × 2,259 signups at 900 / 7 ≈ 129 a day: 36 days
    assert "Duration           36 days" in reply, reply


def test_customers_gained_and_lost_give_the_net_mrr_change(conv):
    reply, _ = answer(
        conv,
        "churn analysis: started the month with 8,400 subscribers, lost 294, gained 610. ARPU "
        "€12.90. what's our churn and net MRR change?",
    )
    # 294 / 8,400 = 3.5 %; 610 − 294 = 316 customers, × €12.90 = €4,076.40
    assert re.search(r"Net new customers\s+316\b", reply), reply
    assert re.search(r"Net MRR change\s+€4,076.40", reply) and "3.50%" in reply


def test_a_preorder_goal_gives_the_campaigns_target_cost(conv):
    reply, _ = answer(
        conv,
        "on lance une campagne de précommande pour notre nouvelle gourde le 15 mars, budget 12k€, "
        "objectif 1 500 précommandes. tu me fais le plan ?",
    )
    assert "coût cible : 8,00 € par conversion" in reply, reply  # 12 000 € / 1 500


def test_figures_broken_down_by_sources_no_lexicon_knows_are_compared_per_source(conv):
    reply, _ = answer(
        conv,
        "our MQL to SQL rate by source: webinar 120 MQL / 30 SQL, ebook 400 MQL / 36 SQL, demo page "
        "80 MQL / 52 SQL. where should we put effort?",
    )
    # 30 / 120, 36 / 400, 52 / 80 (the "page 80" numbers MQLs, not a page)
    for source, rate in (("webinar", "25.00%"), ("ebook", "9.00%"), ("demo page", "65.00%")):
        assert re.search(rf"{source}\s+{rate}", reply), (source, reply)
    assert "not computed" not in reply


def test_a_single_channels_kpis_say_nothing_read_but_unused(conv):
    reply, _ = answer(
        conv,
        "hey, quick sanity check on our Google Ads: last month spend €14,200, 2,950 clicks, 118 "
        "conversions, revenue €21,400. CPC, CPA and ROAS please",
    )
    # CPC 14,200 / 2,950, CPA 14,200 / 118, ROAS 21,400 / 14,200: every figure is used
    assert "€4.81" in reply and "€120.34" in reply and "1.51x" in reply, reply
    assert "Also read" not in reply


def test_an_nps_offers_no_possible_hot_lead(conv):
    reply, notices = answer(conv, "NPS : 310 promoteurs, 120 passifs, 90 détracteurs")
    assert "NPS  42,3 pts" in reply and notices == [], reply  # (310 − 90) / 520
    assert "Lead score" not in reply and "Possible" not in reply


def test_pushing_a_launch_back_adds_no_push_channel(conv):
    thread, notices = Thread("T", "CFACT", "push-launch"), []
    say(
        conv,
        thread,
        "plan a product launch campaign for april 7, budget 25k, linkedin and google",
        notices,
    )
    moved = "\n".join(say(conv, thread, "push the launch to april 21", notices))
    assert re.search(r"Launch\s+\d{4}-04-21", moved), moved
    assert "Channels: LinkedIn, Google —" in moved and "Push" not in moved


def test_a_figure_corrected_while_a_sign_off_is_awaited_reruns_the_readout(conv):
    thread, notices = Thread("T", "CFACT", "corrected-awaiting"), []
    say(
        conv,
        thread,
        "checkout test: A 20,000 visitors, 600 orders, $42,000 revenue; B 20,000 visitors, 690 "
        "orders, $51,750 revenue. ship B?",
        notices,
    )
    assert len(notices) == 1 and "(23.2 %)" in notices[0], notices  # blocking: the thread waits
    again = "\n".join(say(conv, thread, "oops, actually B revenue was $49,000", notices))
    # the decision was asked on figures that changed: $49,000 / 20,000 = $2.45, +16.7 %
    assert "A $2.10, B $2.45 (+16.7%)" in again, again
    assert "still waiting" not in again and "waiting for @direction" in again


def test_a_cohorts_retention_curve_is_read_not_declined(conv):
    reply, _ = answer(
        conv,
        "retention cohort: month 1 100%, month 2 42%, month 3 31%, month 4 27%, month 6 22%. is "
        "this good for a subscription box?",
    )
    # 42 → 31 is 26.2 % lost that month; 27 → 22 over two months is 9.7 % a month
    assert re.search(r"M3\s+31%\s+26.2%", reply) and re.search(r"M6\s+22%\s+9.7%", reply), reply
    assert "not a marketing operations request" not in reply


def test_raising_a_flows_rate_says_what_it_is_worth(conv):
    reply, _ = answer(
        conv,
        "email de relance panier : 2 300 paniers abandonnés par semaine, taux de récupération actuel "
        "6 %, panier moyen 84 €. combien on gagne si on passe à 10 % ?",
    )
    # 2 300 × (10 − 6) % = 92 paniers récupérés de plus par semaine, × 84 € = 7 728 €
    assert "92 conversions de plus par semaine, soit 7 728 € de CA en plus" in reply, reply
    assert "Également lu" not in reply


def test_a_measure_listed_per_campaign_names_what_to_split(conv):
    reply, _ = answer(
        conv,
        "ROAS par campagne : brand 12, generic 2,1, shopping 3,4, pmax 2,8. budget total 40k, on "
        "réalloue comment ?",
    )
    # 40 000 € in proportion to 12 / 2,1 / 3,4 / 2,8 (sum 20,3): brand 23 645 €, generic 4 138 €
    assert "Allocation budgétaire — 40 000 €" in reply, reply
    assert re.search(r"brand\s+23 645 €", reply) and re.search(r"generic\s+4 138 €", reply)


def test_a_channel_added_with_an_extra_amount_grows_the_budget(conv):
    _, again = thread_of(
        conv,
        "j'ai 80k€ a repartir entre google ads (roas 4,2), meta (roas 2,8) et linkedin (roas 1,5)",
        "ajoute tiktok avec 5k€ en plus",
    )
    # 80 000 € still split at ROAS (Google Ads 4,2 / 8,5 = 39 529 €), TikTok on its own 5 000 €
    assert "Allocation budgétaire — 85 000 €" in again, again
    assert re.search(r"Google Ads\s+39 529 €", again) and re.search(r"TikTok\s+5 000 €", again)


def test_a_campaign_plan_lists_each_channels_amount(conv):
    _, again = thread_of(
        conv,
        "Pour Noël on a 30k€ : 40 % Meta, 35 % Google, 25 % influence. Tu peux me faire le plan "
        "de campagne du 1er au 24 décembre ?",
        "ajoute l'emailing avec 2k en plus",
    )
    # the shares stay on the 30 000 € they were given for; emailing adds its 2 000 €
    assert "Budget             32 000 €" in again, again
    assert "Meta : 12 000 € (40 %)" in again and "Emailing : 2 000 € (6 %)" in again, again
    reply, _ = answer(
        conv,
        "Pour Noël on a 32k€ : 12k Meta, 10,5k Google, 7,5k influence, 2k emailing. Tu peux me "
        "faire le plan de campagne du 1er au 24 décembre ?",
    )
    assert "Meta : 12 000 € (38 %), Google : 10 500 € (33 %)" in reply, reply


def test_an_mde_solved_for_the_days_allowed_keeps_those_days(conv):
    reply, _ = answer(
        conv,
        "MDE calc: baseline 4.5% signup rate, 3k visitors a day split 50/50, test can run 14 days "
        "max. what's the smallest lift we can detect?",
    )
    # 3 000 × 14 / 2 = 21 000 per variant: statsmodels NormalIndPower gives 5.08 % detectable
    assert "21,000 visitors per variant" in reply and "Duration           14 days" in reply, reply
    assert "5.08% (+0.58 point)" in reply and "can run" not in reply


def test_a_cpa_written_without_its_currency_weighs_the_split(conv):
    reply, _ = answer(conv, "répartis 60k entre google (cpa 35), meta (cpa 48) et tiktok (cpa 62)")
    # 60 000 € in proportion to 1/35, 1/48, 1/62: Google 26 159 €, TikTok 14 767 €
    assert re.search(r"Google\s+26 159 €", reply) and re.search(r"TikTok\s+14 767 €", reply), reply
    assert "nombre 35" not in reply


def test_an_nps_given_as_shares_is_computed(conv):
    reply, _ = answer(
        conv, "NPS: 38% promoters, 22% detractors on 640 responses. how are we doing?"
    )
    assert re.search(r"NPS\s+16.0 pts", reply), reply
    assert "promoters 38%, detractors 22%" in reply and "not computed" not in reply


def test_a_sequence_follow_up_sets_its_number_of_messages(conv):
    first, again = thread_of(
        conv,
        "we need a 5-email welcome series for new subscribers over 2 weeks",
        "can you make it 3 emails?",
    )
    assert re.search(r"Messages\s+5\b", first), first
    # 3 messages over the same 14 days: one every 7 days
    assert re.search(r"Messages\s+3\b", again) and "Average interval  7.0 days" in again, again


def test_direct_is_a_channel_in_a_list_of_channels(conv):
    reply, _ = answer(
        conv,
        "last click: Google 420 conv, Meta 180, Email 150, Direct 250. first click: Google 300, "
        "Meta 380, Email 90, Direct 230. which channel is undervalued?",
    )
    # each channel keeps its own two figures: Email 150 → 90 (−40 %), Direct 250 → 230 (−8 %)
    assert re.search(r"Email\s+150\s+90\s+-60\s+-40.0%", reply), reply
    assert re.search(r"Direct\s+250\s+230\s+-20\s+-8.0%", reply), reply


def test_a_reports_figure_keeps_the_change_written_after_its_label(conv):
    reply, _ = answer(
        conv,
        "weekly numbers: 54k sessions (-6% wow), 1,230 orders, AOV €58, ad spend €9.8k. can u "
        "write the weekly report for the team?",
    )
    assert "54,000      given, -6% on the previous period" in reply, reply
    assert "Also read" not in reply


def test_a_sequence_keeps_who_enters_it_and_the_users_exits(conv):
    reply, _ = answer(
        conv,
        "Aide-moi pour un workflow de réactivation : clients inactifs depuis 90 jours, 3 emails "
        "espacés de 5 jours, sortie si achat",
    )
    assert "Entrée : aucune activité depuis 90 jours" in reply, reply
    assert "- Sortie si achat (comme demandé)." in reply and "Également lu" not in reply


def test_a_coordination_checks_the_pressure_of_the_users_own_timings(conv):
    reply, _ = answer(
        conv,
        "Coordination lancement : email J-3, SMS J0 matin, push J0 soir, retargeting Meta J+1 à "
        "J+7. Tu vérifies qu'on ne sature pas les mêmes clients ?",
    )
    assert "il me manque" not in reply and "(J0 à confirmer)" in reply, reply
    assert re.search(r"J\+1 → J\+7\s+\S+ → \S+\s+Retargeting Meta", reply), reply
    # SMS and push both on J0: two direct messages the same day to the same customers
    assert "J0 : SMS, Push le même jour vers les mêmes clients" in reply
    assert "Messages directs par client (email, SMS, push) : 3 sur 11 jours" in reply


def test_a_coordination_for_a_yearly_event_runs_in_its_window(conv):
    reply, _ = answer(
        conv,
        "Il faut coordonner email, réseaux sociaux et SMS pour le Black Friday sans spammer les gens",
    )
    # the window runs from a week before Black Friday (fourth Friday of November) to Cyber Monday
    assert re.search(r"Lancement  \d\d/11/20\d\d", reply) and "il me manque" not in reply, reply


def test_a_variants_move_is_a_readout_not_a_test_plan(conv):
    reply, notices = answer(
        conv,
        "our checkout test: variant increased AOV from €64 to €66 and conversion stayed flat at "
        "2.9%. ok to ship?",
    )
    # control €64, variant €66: the readout asks what it needs, no test plan's MDE question
    assert "A (control): AOV €64 ; B: AOV €66" in reply and "(A/B testing)" in reply, reply
    assert "minimum detectable effect" not in reply and not notices  # +3.1 %: no sign-off


def test_a_budget_named_with_its_quarter_is_the_total(conv):
    first, again = thread_of(
        conv,
        "Budget Q3: 45k. Last Q: Google spend 18k rev 76k, Meta spend 15k rev 41k, LinkedIn "
        "spend 7k rev 9k. how do we split?",
        "what if we cut LinkedIn entirely?",
    )
    assert "Budget allocation — €45,000" in first and "number 45,000" not in first, first
    # the same €45,000 between Google (ROAS 76/18) and Meta (41/15): 60.7 % and 39.3 %
    assert "Budget allocation — €45,000" in again and "LinkedIn" not in again.split("Split")[1]
    assert re.search(r"Google\s+€18,000\s+€27,316", again), again


def test_a_funnel_steps_rate_raised_by_points_in_a_follow_up(conv):
    _, again = thread_of(
        conv,
        "Funnel : 80 000 visites → 9 600 fiches produit → 2 100 paniers → 640 commandes",
        "pis si on améliore le passage panier → commande de 5 points ?",
    )
    # 640 / 2 100 = 30,5 % raised to 35,5 %: 2 100 × 35,5 % = 745 commandes
    assert re.search(r"commandes\s+745\s+35,5 %", again) and "il me manque" not in again, again


def test_a_new_budget_for_a_campaign_plan_stays_with_the_plan(conv):
    _, again = thread_of(
        conv,
        "plan de campagne pour le lancement de notre appli le 2 février, budget 40 000 €, objectif "
        "10 000 téléchargements",
        "on a finalement 50k de budget",
    )
    # the plan again at 50 000 €: 50 000 / 10 000 downloads = 5,00 € a download
    assert "Budget             50 000 €" in again and "coût cible : 5,00 €" in again, again


def test_new_values_of_two_figures_are_new_figures_not_a_factor(conv):
    _, again = thread_of(
        conv,
        "newsletter: 42k contacts, open rate 24%, click rate 2.1%",
        "and if we clean the list down to 30k engaged contacts with 35% opens?",
    )
    # 30,000 contacts × 35 % = 10,500 opens a send
    assert "List                     30,000 contacts" in again and "10,500" in again, again


def test_paid_conversions_beside_signups_are_the_customers(conv):
    reply, _ = answer(
        conv, "KPIs this month: 2,300 signups, 61,000 visits, ad spend $14k, 410 paid conversions"
    )
    # $14,000 / 410 paying customers = $34.15 to acquire one; $14,000 / 2,300 signups = $6.09
    assert re.search(r"CPA\s+\$34.15\s+Spend / New customers", reply), reply
    assert "$6.09" in reply and "Also read" not in reply


def test_a_leads_files_own_words_ask_and_every_large_company_is_named(conv):
    from graph.data import load_file

    leads = load_file(
        "leads_salon.csv",
        b"nom,poste,entreprise,effectif,demande\nMarie Dubois,Directrice marketing,Leroy Merlin,"
        b"25000,demo\nPaul Martin,Stagiaire,PME Bois,12,\nSophie Leroy,Responsable achats,Fnac,9000,"
        b"devis\n",
    )
    reply, notices = answer_with_file(conv, "voici nos leads du salon : leads_salon.csv", leads)
    paul = next(line for line in reply.splitlines() if line.startswith("Paul Martin"))
    assert "200 salariés" not in paul, paul  # 12 people at an "entreprise": no large company
    assert any("Marie Dubois : demo, Sophie Leroy : devis" in n for n in notices), notices
    assert any(
        "Marie Dubois : 25 000 salariés, Sophie Leroy : 9 000 salariés" in n for n in notices
    )


def test_a_three_variant_test_with_control_plus_two_is_planned(conv):
    reply, _ = answer(
        conv,
        "sample size for a 3-variant test (control + 2): baseline 5%, MDE 15% relative, power 80%, "
        "6,000 visitors/day",
    )
    # 5 % → 5.75 %, each variant against control at alpha 0.05 / 2: 17,169 per variant, 3 arms
    assert "17,169 visitors per variant" in reply and "(3 variants)" in reply, reply


def test_customers_and_their_contract_value_give_the_return(conv):
    reply, _ = answer(
        conv,
        "on a dépensé 6 200 € sur LinkedIn pour 124 leads, dont 31 SQL et 6 clients à 9 000 € de "
        "contrat annuel. c'est rentable ?",
    )
    # 6 × 9 000 € = 54 000 € for 6 200 €: ROI (54 000 − 6 200) / 6 200 = 770,97 %
    assert "54 000,00 €" in reply and "770,97 %" in reply and "MRR" not in reply, reply


def test_a_pasted_table_gives_each_figure_its_column_and_channel(conv):
    reply, _ = answer(
        conv,
        "Weekly report table:\nchannel | spend | conv | CPA\nGoogle | 12.4k | 310 | 40\n"
        "Meta | 8.1k | 162 | 50\nLinkedIn | 4.0k | 21 | 190\n(all USD). Can you write the 3-line "
        "summary for leadership?",
    )
    # $12,400 + $8,100 + $4,000 = $24,500 for 493 conversions: $49.70 each; LinkedIn $4,000 / 21
    assert "spend $24,500, conversions 493" in reply and "$49.70" in reply, reply
    assert re.search(r"LinkedIn\s+\$190.48", reply), reply


def test_revenue_grown_since_last_year_is_no_test_to_sign_off(conv):
    reply, notices = answer(
        conv,
        "notre CA a été multiplié par 2 depuis l'an dernier (1,2M€ → 2,4M€) mais le CAC a fait x3 "
        "(40 € → 120 €). c'est grave ?",
    )
    assert not any("Test impacte le CA" in n for n in notices), notices
    _, raised = answer(
        conv, "le CA a chuté de 22 % depuis qu'on a lancé la variante, on continue ?"
    )
    assert any("Test impacte le CA > 10%" in n for n in raised), raised  # a change was made


def test_a_rate_a_change_reached_is_what_it_is_worth(conv):
    reply, _ = answer(
        conv,
        "taux de conv passé de 2,1 % à 2,5 % (+0,4 pt) après la refonte de la fiche produit, 48 000 "
        "visiteurs par mois, panier 72 €. ça vaut combien par mois ?",
    )
    # 48 000 × (2,5 − 2,1) % × 72 € = 13 824 € a month
    assert "+13 824 €/mois" in reply, reply


def test_a_monthly_reviews_ad_budget_is_its_spend(conv):
    reply, _ = answer(
        conv,
        "bilan mensuel : 96k sessions, 2 150 commandes, CA 148k€, budget pub 22k€, 1 340 nouveaux "
        "clients. tu me sors les KPIs ?",
    )
    # 148 000 / 22 000 = 6,73x; 22 000 / 1 340 new customers = 16,42 €
    assert "Période          mensuel" in reply and re.search(r"ROAS\s+6,73x", reply), reply
    assert re.search(r"CPA\s+16,42 €", reply) and "Également lu" not in reply


def test_a_loss_between_two_steps_is_a_funnel(conv):
    reply, _ = answer(
        conv,
        "Notre tunnel de commande perd 68 % des gens entre panier et paiement, sur 25 000 paniers "
        "par mois. Comment on optimise ?",
    )
    # 25 000 carts, 32 % reach payment: 8 000; the 68 % lost is the leak, not an improvement
    assert re.search(r"paiement\s+8 000\s+32,0 %", reply) and "il me manque" not in reply, reply
    assert "68 % mieux" not in reply


def test_personalisation_by_traffic_source_takes_the_sources_as_segments(conv):
    reply, _ = answer(
        conv,
        "On voudrait personnaliser notre site selon la source de trafic : 45 % SEO, 30 % Google "
        "Ads, 25 % Instagram. Tu proposes quoi ?",
    )
    assert "Segments     SEO, Google Ads, Instagram" in reply and "SEO (45 %)" in reply, reply
    listed, _ = answer(
        conv,
        "personalization ideas for our email: we have 3 segments, VIP (8% of list, 12% CVR), "
        "regulars (52%, 3.1%), dormant (40%, 0.4%). list is 60k",
    )
    assert "dormant (40%, 0.4%)" in listed and "regulars (52%, 3.1%)" in listed, listed


def test_a_constraint_is_shown_as_its_sentence_with_the_figure(conv):
    _, again = thread_of(
        conv,
        "Hello, could you kindly help me split a £40k quarterly budget between Google Ads (ROAS "
        "3.9), Meta (ROAS 2.6) and Microsoft Ads (ROAS 3.1)?",
        "Thank you. Could we keep at least £8k on Meta please?",
    )
    assert "Constraints applied: Could we keep at least £8k on Meta please" in again, again
    assert "Thank you" not in again


def test_two_segments_compared_move_no_revenue(conv):
    _, notices = answer(
        conv,
        "Quels KPI suivre pour notre programme de fidélité ? 24 000 membres, 38 % actifs, panier "
        "moyen membres 82 € vs 61 € non-membres",
    )
    assert not any("Test impacte le CA" in n for n in notices), notices


def test_writing_posts_for_a_launch_goes_to_the_content_team(conv):
    reply, _ = answer(conv, "can you write 5 LinkedIn posts for our product launch next week?")
    assert "outside my scope" in reply and "Content" in reply and "Campaign plan" not in reply, (
        reply
    )


def test_a_sends_results_written_figures_first_are_an_email_readout(conv):
    reply, _ = answer(
        conv,
        "on a envoyé 48 000 emails pour la promo, 10 080 ouvertures, 1 150 clics, 210 commandes, "
        "14 700 € de CA. bilan ?",
    )
    # 10 080 / 48 000 = 21 % opens, 1 150 / 10 080 = 11,4 % CTOR, 14 700 € / 48 000 = 0,31 €
    assert re.search(r"Ouvertures\s+10 080\s+21,00 %", reply) and "11,4 %" in reply, reply
    assert "0,31 € par email" in reply and "876" not in reply


def test_a_corrected_arm_count_replaces_the_bare_one(conv):
    _, again = thread_of(
        conv,
        "cvr test: ctrl 3.2% on 11k, var 3.7% on 11k. sig?",
        "oops var was 10.4k users",
    )
    # B: 3.7 % of 10,400 = 385 conversions, against A's 352 / 11,000
    assert "3.70% (385 / 10,400)" in again and "Also read" not in again, again


def test_customers_who_became_paying_give_the_cac(conv):
    _, again = thread_of(
        conv,
        "KPI check: 8.2k signups from 190k visits, spend 31k",
        "oh and 1,150 of them became paying, what's the CAC?",
    )
    # €31,000 / 1,150 paying customers = €26.96; 1,150 is no earlier CAC to compare with
    assert re.search(r"CAC\s+€26.96\s+Spend / New customers", again) and "against" not in again


def test_a_new_deliverable_after_a_plan_takes_the_plans_figures(conv):
    plan, split = thread_of(
        conv,
        "plan a Mother's Day campaign, budget 12k€, channels insta, email and google",
        "ok cool, and the budget split by channel?",
    )
    assert "Campaign plan — Seasonal" in plan, plan
    # €12,000 less a 10 % reserve, evenly over Instagram, Email and Google: €3,600 each
    assert "Budget allocation — €12,000" in split and re.search(r"Instagram\s+€3,600", split), split


def test_days_out_of_the_campaign_are_no_conversions_and_a_cost_goal_is_read(conv):
    reply, _ = answer(
        conv,
        "campagne rentrée : 14 jours sur 21, 26 300 € dépensés sur 35 000 €, CPA 41 € pour un "
        "objectif de 35 €. on fait quoi ?",
    )
    # 26 300 € / 41 € = 641 conversions; 41 € against the 35 € goal is +17,1 %
    assert re.search(r"Conversions\s+641", reply) and "cible de 35 € (+17,1 %)" in reply, reply
    assert "« 21 » : conversions" not in reply


def test_prices_heading_their_figures_with_an_arrow_are_a_price_test(conv):
    reply, _ = answer(
        conv,
        "Test de prix : 29 € → 3,1 % de conversion sur 8 200 visiteurs ; 35 € → 2,6 % sur 8 150 "
        "visiteurs. Lequel rapporte le plus ?",
    )
    # revenue per visitor: 29 € × 254 / 8 200 = 0,90 €; 35 € × 212 / 8 150 = 0,91 € (Welch)
    assert "moyenne 0,90 €" in reply and "moyenne 0,91 €" in reply, reply
    assert "au prix de 35,00 €" in reply and "il me manque" not in reply


def test_a_long_request_of_its_own_after_a_readout_is_a_new_request(conv):
    _, again = thread_of(
        conv,
        "Test de prix : 29 € → 3,1 % de conversion sur 8 200 visiteurs ; 35 € → 2,6 % sur 8 150 "
        "visiteurs. Lequel rapporte le plus ?",
        "Coordination lancement : email J-3, SMS J0 matin, push J0 soir, retargeting Meta J+1 à "
        "J+7. Tu vérifies qu'on ne sature pas les mêmes clients ?",
    )
    assert "Coordination multicanal" in again and "Lecture du test A/B" not in again, again


def test_a_step_improved_by_points_after_a_funnel_is_a_scenario_not_a_new_step(conv):
    notices: list[str] = []
    _, scenario = thread_of(
        conv,
        "funnel for october: 120k visits, 9,600 product views, 2,880 add to cart, 1,150 "
        "checkouts, 690 orders. where's the biggest drop?",
        "and if we improve add to cart → checkout by 5 points?",
        notices=notices,
    )
    # checkouts 1,150 / 2,880 = 39.9 %, +5 points = 44.9 %: 1,294 checkouts, 776 orders at 60 %
    assert "39.9% → 44.9%" in scenario and "orders 690 → 776" in scenario, scenario
    assert not notices  # a what-if on the funnel moves no tested revenue to sign off


def test_a_spend_file_of_one_row_per_channel_is_split_at_each_channels_return(conv):
    from graph.data import load_file

    spend = load_file(
        "spend.csv",
        b"channel,spend,revenue\nGoogle,12000,58000\nMeta,9000,27500\nTikTok,4000,7200\n",
    )
    reply, _ = answer_with_file(conv, "ROAS per channel from spend.csv please", spend)
    # ROAS over the file: 58,000 / 12,000 = 4.83x, 27,500 / 9,000 = 3.06x, 7,200 / 4,000 = 1.80x;
    # no budget given: the file's €25,000 of spend, reallocated
    assert "Budget allocation — €25,000" in reply and "I still need" not in reply, reply
    assert re.search(r"Google\s+€12,000\s+€12,471\s+\+€471\s+49.9%\s+4.83x", reply), reply
    assert "3.06x" in reply and "1.80x" in reply
    leads = load_file("leads.csv", b"channel,spend,leads\nLinkedIn,8000,64\nGoogle,6000,90\n")
    again, _ = answer_with_file(conv, "répartis 20k à partir de leads.csv", leads)
    # CPA over the file: 8 000 / 64 = 125 €, 6 000 / 90 = 66,67 €
    assert "Allocation budgétaire — 20 000 €" in again and "125 €" in again, again


def test_a_sale_calendar_without_over_soliciting_is_a_coordination_of_the_listed_channels(conv):
    reply, _ = answer(
        conv,
        "soldes d'hiver du 7 au 31 janvier : emails (base 85k), sms (20k opt-in), notifications "
        "app. fais moi un calendrier sans sur-solliciter",
    )
    assert "Coordination multicanal" in reply and "Plan de campagne" not in reply, reply
    # "soldes" is no typo of "sondes": 85k and 20k are the channels' bases, not respondents
    assert "Toute la base (85 000 contacts)" in reply and "Base SMS (20 000)" in reply, reply
    assert "Notifications push" in reply and "répondants" not in reply


def test_channels_compared_on_their_return_and_the_extra_budget_placed_on_the_best(conv):
    reply, _ = answer(
        conv,
        "Meta last month: spend €18,400, 612 purchases, revenue €52,900. Google: spend €12,100, "
        "498 purchases, revenue €47,300. which one performs better and where do I put the extra "
        "10k?",
    )
    # ROAS: Google 47,300 / 12,100 = 3.91x against Meta 2.88x; an order value says no profit
    assert "Google has the highest ROAS (3.91x)" in reply and "lowest average" not in reply, reply
    # €10,000 × 3.91 = €39,091 at a constant ROAS
    assert "The extra €10,000 would go to Google" in reply and "€39,091" in reply, reply
    assert "not used by this calculation: number 10,000" not in reply


def test_a_readout_with_monthly_traffic_says_what_shipping_the_variant_is_worth_a_month(conv):
    reply, _ = answer(
        conv,
        "A/B on pricing page: control conv 3.2% on 14k visitors, variant 3.6% on 13.8k visitors. "
        "avg order $120 for both. what's the revenue impact per month if we ship? we get ~60k "
        "visitors a month",
    )
    # 448 / 14,000 × $120 = $3.84 and 497 / 13,800 × $120 = $4.32 a visitor: × 60,000 = +$28,904
    assert "At 60,000 visitors a month, shipping B is worth +$28,904" in reply, reply
    assert "visitors/month 60,000. This calculation does not use it" not in reply
    french, _ = answer(
        conv,
        "test A/B page panier : A 3,2 % sur 14 000 visiteurs, B 3,6 % sur 13 800. on a 60 000 "
        "visiteurs par mois, ça nous rapporte combien de commandes en plus ?",
    )
    # (497 / 13 800 − 448 / 14 000) × 60 000 = +241 conversions a month
    assert "déployer B vaut +241 conversions par mois" in french, french


def test_control_named_after_its_rate_and_impressions_for_each_arm_give_a_readout(conv):
    reply, _ = answer(
        conv,
        "weird: our new checkout button test shows variant B converting at 1.2% vs 3.1% for "
        "control with 8k users each. what happened?",
    )
    # "control with 8k users" names the control (not a design "control + 2"): 3.1% of 8,000
    assert "A (control)                       3.10% (248 / 8,000)" in reply, reply
    assert "B (variant)                       1.20% (96 / 8,000)" in reply
    ctr, notices = answer(
        conv,
        "notre boss veut garder le visuel avec le chien parce qu'il l'aime bien, alors que le "
        "test montre -18% de clics dessus (12k impressions chacun, 240 vs 196 clics). comment "
        "je gère ?",
    )
    # 12 000 impressions for each version: a CTR test, 2,00 % against 1,63 %
    assert "2,00 % (240 / 12 000)" in ctr and "1,63 % (196 / 12 000)" in ctr, ctr
    assert any("Conflit data/intuition" in n for n in notices), notices


def test_figures_given_after_a_deliverable_raise_no_fraud_review(conv):
    notices: list[str] = []
    thread_of(
        conv,
        "split 40k between google (roas 3.8) and meta (roas 2.9) for november",
        "and for december with 55k?",
        notices=notices,
    )
    thread_of(
        conv,
        "email A/B: subject A 18,000 sends 3,960 opens, subject B 18,000 sends 4,320 opens. "
        "winner?",
        "what about clicks? A got 540 clicks, B 610",
        notices=notices,
    )
    assert not any("Abnormal behaviour" in n for n in notices), notices


def test_the_same_for_last_month_with_its_figures_compares_the_two_months(conv):
    _, compared = thread_of(
        conv,
        "KPIs du mois : 210 000 impressions, 3 150 clics, 4 200 € dépensés, 126 conversions",
        "same for last month: 190,000 impressions, 2,660 clicks, €3,900 spend, 98 conversions",
    )
    # CPA €4,200 / 126 = €33.33 this month against €3,900 / 98 = €39.80 last month: -16.2 %
    assert "Compared with the previous period" in compared, compared
    assert re.search(r"Cost per conversion\s+€33.33\s+€39.80\s+-16.2%", compared), compared


def test_a_sequence_keeps_who_enters_it_and_the_offer_a_touch_makes(conv):
    reply, _ = answer(
        conv,
        "can you draft a re-engagement flow for customers who haven't bought in 6 months? 3 "
        "emails over 2 weeks, last one with a 15% code",
    )
    # "in 6 months" after "haven't bought" is how long they have been inactive, not a date
    assert "Entry: no activity for 180 days" in reply, reply
    assert re.search(r"3\s+D\+14\s+Email\s+Offer: 15% code", reply), reply
    assert "rate 15%" not in reply
    french, _ = answer(
        conv,
        "séquence de 4 emails pour les inactifs depuis 90 jours, sur 3 semaines, le 2e email avec "
        "un code de 10 % de réduction",
    )
    assert re.search(r"2\s+J\+7\s+Email\s+Offre : code -10 %", french), french


def test_a_channel_dropped_from_a_split_of_returns_is_the_channel_not_a_funnel_step(conv):
    *_, without = thread_of(
        conv,
        "Répartis 120k€ sur Google (ROAS 5), Meta (ROAS 3,5), YouTube (ROAS 2)",
        "finalement on n'a que 90k",
        "et sans YouTube ?",
    )
    # 90 000 € over ROAS 5 and 3,5: 52 941 € and 37 059 €, YouTube gone
    assert "Google  52 941 €" in without and "Meta    37 059 €" in without, without
    assert "YouTube" not in without.split("Répartition par canal")[1].split("CA attendu")[0]


def test_a_channel_added_with_its_spend_and_results_joins_the_kpi_sheet(conv):
    _, added = thread_of(
        conv,
        "CPA target 40€. Google: 12 000€ spend, 350 conversions. Meta: 8 000€, 180 conversions. "
        "Are we on target?",
        "and LinkedIn: 5 000€, 60 conversions?",
    )
    # LinkedIn €5,000 / 60 = €83.33; all three: €25,000 / 590 = €42.37, above the €40 target
    assert re.search(r"LinkedIn\s+€83.33", added), added
    assert "CPA €42.37 above the €40 target" in added


def test_a_pipeline_of_stage_rates_gives_its_customers_and_revenue_and_a_rate_moved(conv):
    first, moved = thread_of(
        conv,
        "on a 2 200 leads/mois, taux MQL→SQL 18 %, SQL→client 25 %, panier 4 800 €. ça fait "
        "combien de CA ?",
        "et si on passe MQL→SQL à 22 % ?",
    )
    # 2 200 × 18 % × 25 % = 99 customers × 4 800 € = 475 200 €; leads are no orders
    assert "= 99 en bout de chaîne" in first and "475 200 € de CA" in first, first
    assert "10 560 000" not in first
    # 2 200 × 22 % × 25 % = 121 × 4 800 € = 580 800 € (+105 600 €)
    assert "121 en bout de chaîne, soit 580 800 € de CA (+105 600 €)" in moved, moved


def test_a_readout_with_a_broken_split_holds_the_decision(conv):
    reply, _ = answer(conv, "A/B test: A 22,000 visitors 660 orders, B 21,300 visitors 741 orders")
    # 22,000 against 21,300 for a 50/50 split: chi-square p = 0.000768, below 0.001 (SRM)
    assert "p = 0.000768" in reply, reply
    rec = reply.split("Recommendation")[1].split("\n\n")[0]
    assert rec.strip().startswith("Hold the decision: explain the traffic split first"), rec


def test_the_device_gap_is_priced_on_conversion_rates_beside_bounce_rates(conv):
    reply, _ = answer(
        conv,
        "notre taux de rebond est à 68 % sur mobile contre 41 % sur desktop, 70 % du trafic est "
        "mobile (90k visites/mois), conv mobile 0,9 %, desktop 2,6 %. on gagne combien si le "
        "mobile rattrape ?",
    )
    # 90 000 × 70 % = 63 000 mobile visits × (2,6 % − 0,9 %) = 1 071 conversions a month
    assert "Le mobile convertit à 0,9 % contre 2,6 % sur desktop" in reply, reply
    assert "+1 071 conversions/mois" in reply


def test_segments_given_share_and_rate_in_brackets_are_weighed_to_start_with_one(conv):
    reply, _ = answer(
        conv,
        "on veut personnaliser la home pour 3 segments : nouveaux visiteurs (60 % du trafic, conv "
        "1,2 %), clients récurrents (25 %, 4,8 %), visiteurs panier abandonné (15 %, 2,9 %). par "
        "où commencer ?",
    )
    # conversions: 60 × 1,2 = 72, 25 × 4,8 = 120, 15 × 2,9 = 43,5 of 235,5: 30,6 %, 51,0 %, 18,5 %
    assert re.search(r"clients récurrents\s+25 %\s+4,80 %\s+51,0 %", reply), reply
    assert "Taux de conversion global : 2,36 %" in reply


def test_a_flow_without_a_rate_to_reach_says_what_it_brings_and_what_a_point_is_worth(conv):
    reply, _ = answer(
        conv,
        "abandoned cart flow: currently 1 email after 24h, recovers 4% of 3,200 carts/month, AOV "
        "€75. if we add a 1h reminder and a 72h one, what could we gain?",
    )
    # 3,200 carts a month × 4 % = 128 orders × €75 = €9,600; a point: 32 carts, €2,400
    assert "Today: 3,200 × 4.0% = 128 conversions per month, that is €9,600" in reply, reply
    assert "32 conversions and €2,400 per month" in reply


def test_one_figure_does_not_make_a_request_out_of_scope_a_kpi_sheet(conv):
    reply, _ = answer(
        conv,
        "un influenceur a posté une vidéo qui dit que notre produit l'a rendu malade, 200k vues "
        "en 3h. les commentaires s'enflamment. on répond comment ?",
    )
    assert "Fiche KPIs" not in reply and "KPIs calculés     0" not in reply, reply
    assert "Ce n'est pas une demande d'opérations marketing" in reply


def test_deals_closed_are_the_customers_that_make_the_revenue(conv):
    reply, _ = answer(
        conv,
        "we spent $14,200 on LinkedIn for 96 leads, 12 became opportunities and 3 closed at $18k "
        "ACV. is LinkedIn worth it?",
    )
    # 3 deals × $18,000 = $54,000 (not the 96 leads): ROAS 3.80x, a customer costs $4,733.33
    assert re.search(r"ROAS\s+3.80x", reply) and "$4,733.33" in reply, reply
    assert "$1,728,000" not in reply


def test_a_funnel_with_the_value_of_its_last_step_gives_its_revenue(conv):
    reply, _ = answer(
        conv,
        "our webinar funnel last month: 3,400 registrations, 1,360 attended, 204 booked a demo, "
        "41 closed. avg contract €9,600. where do we lose most and what's the revenue?",
    )
    assert "“closed”: 41 × €9,600 = €393,600." in reply, reply


def test_a_monthly_price_heading_its_figures_is_a_price_test(conv):
    reply, _ = answer(
        conv,
        "test de prix sur l'abonnement : 19 €/mois → 4,2 % de conversion sur 6 000 visiteurs, "
        "24 €/mois → 3,5 % sur 6 100. on prend lequel ?",
    )
    # revenue per visitor: 19 € × 252 / 6 000 = 0,80 €; 24 € × 214 / 6 100 = 0,84 € (Welch)
    assert "moyenne 0,80 €" in reply and "moyenne 0,84 €" in reply, reply


def test_cac_moving_against_an_ltv_is_a_kpi_comparison(conv):
    reply, _ = answer(
        conv, "CAC went from $95 to $128 in 3 months while LTV stayed at $410. should we worry?"
    )
    # LTV/CAC: 410 / 95 = 4.32x before, 410 / 128 = 3.20x now
    assert re.search(r"LTV/CAC ratio\s+3.20x\s+4.32x", reply), reply


def test_a_scale_up_with_its_headcount_is_a_company_of_that_size(conv):
    reply, _ = answer(
        conv,
        "lead : CTO d'une scale-up de 450 personnes, a visité la page tarifs 3 fois, téléchargé le "
        "livre blanc, mais adresse gmail. score ?",
    )
    # CTO +20, 450 people +15, pricing +20, white paper +10, gmail -10 = 55
    assert re.search(r"Score du lead\s+55 pts", reply), reply
    assert "« 450 »" in reply


def test_signed_points_to_see_on_a_rate_are_the_effect_to_detect(conv):
    reply, _ = answer(
        conv,
        "combien de visiteurs il me faut pour voir +0,5 pt sur un taux de 2 % ? on a 1 500 "
        "visites/jour",
    )
    # 2 % → 2,5 %, alpha 5 %, power 80 %: 13 768 per variant (statsmodels), 27 536 / 1 500 = 19 days
    assert "Taux cible (MDE)      2,50 % (+0,50 point)" in reply, reply
    assert "13 768 visiteurs par variante" in reply and "19 jours" in reply


def test_a_price_named_again_in_the_question_is_the_price_chosen_not_a_count(conv):
    reply, _ = answer(
        conv,
        "price test: $19/mo → 4.0% of 5,000 visitors; $24/mo → 3.6% of 5,100. should we go with 24?",
    )
    # B converts 3.6 % of 5,100 = 184 at $24: revenue per visitor 0.76 → 0.866 (+13.9 %)
    assert ": 184 conversions (3.61%)" in reply, reply
    assert "Relative lift                     13.9%" in reply, reply


def test_a_lead_moved_to_a_smaller_company_in_the_thread_is_scored_again_without_the_size(conv):
    notices: list[str] = []
    replies = thread_of(
        conv,
        "Lead: Sophie Martin, VP Marketing at a 2,400-employee retailer, downloaded 3 "
        "whitepapers, attended our webinar, requested pricing. score her",
        "what if she was at a 40-person startup instead?",
        notices=notices,
    )
    # VP +20, retailer +10, pricing +30, white paper +10, webinar +10 = 80: no longer 200+ (+15)
    assert re.search(r"Lead score\s+95 pts", replies[0]), replies[0]
    assert re.search(r"Lead score\s+80 pts", replies[1]), replies[1]
    assert "Company of 200+ employees                “" not in replies[1]
    assert len([n for n in notices if "Lead score > 80" in n]) == 1, notices


def test_a_readout_with_a_value_per_conversion_and_its_duration_says_what_shipping_is_worth(conv):
    reply, notices = answer(
        conv,
        "our signup form test ran 2 weeks: A 30,000 visitors, 600 signups; B 30,000 visitors, 690 "
        "signups. each signup is worth $50. what's it worth per month if we ship B?",
    )
    # $1.00 → $1.15 per visitor; 60,000 visitors in 14 days ≈ 130,357 a month × $0.15 ≈ $19,554
    assert "revenue per visitor: A $1.00, B $1.15 (+15.0%)" in reply, reply
    assert "about 130,357 a month), shipping B is worth +$19,554 in revenue a month" in reply
    assert any("Test moves revenue by more than 10% (15 %)" in n for n in notices), notices


def test_a_readout_with_a_value_per_conversion_alone_is_worth_per_thousand_visitors(conv):
    reply, _ = answer(
        conv,
        "test A/B page démo : A 8 000 visiteurs, 160 leads ; B 8 000 visiteurs, 168 leads. un "
        "lead vaut 120 €. on garde B ?",
    )
    # 2,0 % → 2,1 % : 0,1 pt × 1 000 visiteurs × 120 € = 120 € (+5 %: no revenue sign-off)
    assert "Pour 1 000 visiteurs, B rapporte +120 € de plus que A" in reply, reply


def test_a_campaign_plan_without_a_launch_date_is_planned_with_its_whole_preparation(conv):
    reply, _ = answer(
        conv,
        "plan our product launch campaign: goal 5,000 signups in 4 weeks, budget €40k, target "
        "freelancers",
    )
    # no question: a launch assumed where the 5 preparation weeks fit, said to be confirmed
    launch = date.today() + timedelta(days=34)
    launch += timedelta(days=7 - launch.weekday())
    assert f"{launch:%Y-%m-%d} (launch date to be confirmed" in reply, reply
    assert "target cost: €8.00 per conversion" in reply, reply


def test_a_promotion_runs_to_the_last_date_named_and_paces_its_paid_budget(conv):
    reply, _ = answer(
        conv,
        "spring sale: email 80k contacts, SMS 20k, Meta Ads budget €9k. it opens March 10, final "
        "push March 12. plan the sends per channel without spamming people",
    )
    # the offer runs March 10-12 (3 days): €9,000 / 3 = €3,000 a day; "final push" is no channel
    assert re.search(r"Offer window: \d{4}-03-10 to \d{4}-03-12 \(3 days\)", reply), reply
    assert "€9,000 over the offer's 3 days, i.e. €3,000 a day" in reply
    assert "Whole list (80,000 contacts)" in reply
    assert "Push" not in reply


def test_a_what_if_asked_while_a_sign_off_waits_is_answered_and_the_decision_still_waits(conv):
    from bot.render import text_of

    thread, notices = Thread("T", "CFU", "aside-1"), []
    say(
        conv,
        thread,
        "pricing page test: A 20,000 visitors 400 orders, B 20,000 visitors 480 orders, AOV €60 "
        "for both. ship B?",
        notices,
    )
    assert any("Test moves revenue by more than 10%" in n for n in notices), notices
    aside = "\n".join(say(conv, thread, "and what if we had 150k visitors a month?", notices))
    # revenue per visitor €1.20 → €1.44: 150,000 × €0.24 = €36,000 a month
    assert "At 150,000 visitors a month, shipping B is worth +€36,000" in aside, aside
    assert "Still waiting for the decision" in aside
    decided = conv.resume(
        thread, {"decision": "approved", "by": "UDIR", "reason": "", "rule": "revenue-impact"}
    )
    assert any("approved" in text_of(item).lower() for item in decided), decided


def test_money_moved_between_two_channels_in_the_thread_is_a_scenario_on_the_split_in_place(conv):
    replies = thread_of(
        conv,
        "Current budgets: Google 12k, Meta 8k, Snapchat 5k. ROAS Google 5.0, Meta 2.5, Snapchat "
        "0.8. what should change?",
        "what if we put Snapchat's 5k on Google?",
    )
    # Google 17k × 5.0 + Meta 8k × 2.5 = €105,000 against €84,000 in place (+€21,000)
    assert re.search(r"Google\s+€12,000\s+€17,000\s+\+€5,000", replies[1]), replies[1]
    assert re.search(r"Snapchat\s+€5,000\s+€0\s+-€5,000", replies[1])
    assert "your current split brings €84,000; this one €105,000 (+€21,000)" in replies[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "B converts at 4.4% against 3.6% for A, but AOV went from €95 to €82. 10,000 "
            "visitors per version. which one do we keep?",
            "A €3.42, B €3.61 (+5.5%)",  # 3.6 % × €95 against 4.4 % × €82
        ),
        (
            "variant converts 3.1% vs 2.6% control but AOV dropped from $84 to $77, 15k users each",
            "A $2.18, B $2.39 (+9.3%)",  # "control" closes its clause: 2.6 % is A's
        ),
    ],
)
def test_a_basket_moving_beside_two_arms_rates_is_controls_then_the_variants(conv, text, expected):
    reply, _ = answer(conv, text)
    assert f"Revenue per visitor (orders × AOV / visitors): {expected}" in reply, reply


def test_a_report_with_each_figures_previous_value_in_brackets_compares_the_periods(conv):
    reply, _ = answer(
        conv,
        "weekly report: sessions 52k (prev 48k), orders 1,300 (prev 1,200), revenue €91k (prev "
        "€78k), ad spend €20k (prev €20k)",
    )
    # conversion rate 2.50 % against 2.50 %; ROAS 4.55x against 3.90x (+16.7 %)
    assert re.search(r"Revenue\s+€91,000\s+€78,000\s+\+16.7%", reply), reply
    assert re.search(r"ROAS\s+4.55x\s+3.90x\s+\+16.7%", reply), reply
    assert "Also read" not in reply


def test_a_kpi_given_for_last_period_in_the_same_message_is_compared(conv):
    reply, _ = answer(
        conv,
        "ROAS du mois : dépense 40 000 €, CA 150 000 €. c'était 3,2 le mois précédent, on progresse ?",
    )
    # 150 000 / 40 000 = 3,75x against 3,20x: +17,2 %
    assert "ROAS : 3,75x contre 3,20x la période précédente (+17,2 %)" in reply, reply


def test_a_share_of_traffic_said_in_words_sets_the_tests_exposure(conv):
    reply, _ = answer(
        conv,
        "sample size for a 10% relative lift on a 3% signup rate? we have 6k visitors a day but "
        "only half of them can go in the test",
    )
    # 53,150 per variant (statsmodels, Cohen's h) × 2 / 3,000 a day = 36 days
    assert "3,000 visitors/day in the test" in reply, reply
    assert "(50% of traffic)" in reply


def test_an_internet_providers_address_is_personal_and_criteria_quote_the_users_words(conv):
    reply, _ = answer(
        conv,
        "lead : Sophie, directrice marketing d'une PME de 60 personnes, a téléchargé le guide, "
        "adresse sophie.l@free.fr. on la score ?",
    )
    # directrice +20, guide downloaded +10, personal address -10 = 20
    assert re.search(r"Score du lead\s+20 pts", reply), reply
    assert "« téléchargé »" in reply and "« @free.fr »" in reply


def test_touches_timed_by_day_alone_get_the_seeds_themes_and_the_offer_given(conv):
    reply, _ = answer(
        conv,
        "séquence de bienvenue pour les nouveaux inscrits : 4 emails à J0, J+3, J+6 et J+10. on "
        "offre 15 % sur la première commande",
    )
    # a welcome series for a first order: the welcome themes, not the B2B nurturing ones
    assert re.search(r"1\s+J0\s+Email\s+Bienvenue : la marque et l'offre de bienvenue", reply), (
        reply
    )
    assert re.search(r"4\s+J\+10\s+Email\s+Offre : code -15 %", reply), reply
    assert "Également lu" not in reply  # the 15 % is the last touch's offer


def test_conversions_by_channel_under_one_model_are_shared_out_and_the_doubted_channel_checked(
    conv,
):
    reply, _ = answer(
        conv,
        "last click conversions this month: Google 300, Meta 90, Newsletter 110. my boss thinks "
        "Meta is undervalued, how do we check?",
    )
    # 90 / 500 = 18 % under last click; "last click" names no clicks
    assert re.search(r"Meta\s+90\s+18.0%", reply), reply
    assert "To show what Meta brings" in reply
    assert "Also read" not in reply  # every count is a channel's credit


def test_the_same_figures_for_another_month_are_set_beside_the_first_months(conv):
    replies = thread_of(
        conv,
        "March numbers: spend $40k, 1,600 conversions, revenue $152k",
        "same for February: spend $36k, 1,500 conversions, revenue $129k",
    )
    # ROAS 3.80x in March against 3.58x in February (+6.0 %); the status stays March's
    assert re.search(r"ROAS\s+3.80x\s+3.58x\s+\+6.0%", replies[1]), replies[1]
    assert re.search(r"Spend to date\s+\$40,000", replies[1])


def test_a_certainty_asked_in_words_is_the_tests_confidence_level(conv):
    reply, _ = answer(
        conv,
        "test plan for the checkout: current rate 5%, we aim for +20% relative, 2,000 visitors a "
        "day, and we want to be 99% sure",
    )
    # alpha 0.01, power 0.8 (statsmodels NormalIndPower, Cohen's h): 12,117 per variant, 13 days
    assert "alpha 0.01" in reply, reply
    assert "12,117 visitors per variant" in reply and "13 days" in reply


def test_an_open_rate_that_fell_is_diagnosed_without_asking_for_the_list_size(conv):
    reply, _ = answer(
        conv,
        "since we moved to a new sending domain our open rate went from 28% to 9%. what's wrong?",
    )
    assert "I still need" not in reply, reply
    assert "from 28.0% to 9.0% (-67.9%)" in reply
    assert "SPF, DKIM and DMARC" in reply


def test_each_channels_sqls_are_carried_to_customers_and_revenue_by_the_pipelines_rate(conv):
    reply, _ = answer(
        conv,
        "last quarter: $30k on LinkedIn for 60 SQLs, $20k on Google for 50 SQLs. SQL to close "
        "rate 25%, ACV $12k. which channel performs better?",
    )
    # LinkedIn 60 × 25 % = 15 customers, $180,000, 6.00x; Google 12.5, $150,000, 7.50x
    assert re.search(r"LinkedIn\s+15\s+\$180,000\s+6.00x", reply), reply
    assert re.search(r"Google\s+12.5\s+\$150,000\s+7.50x", reply)
    assert "Google has the highest ROAS (7.50x)" in reply


def test_three_variants_instead_of_one_in_the_thread_plans_four_arms(conv):
    replies = thread_of(
        conv,
        "plan de test : taux de base 2,4 %, MDE 15 % relatif, 3 000 visiteurs/jour",
        "et si on teste 3 variantes au lieu d'une ?",
    )
    # 3 variants and the control, Bonferroni alpha 0.05 / 3: 40 559 per version, 55 days
    assert "30 408 visiteurs par variante" in replies[0], replies[0]
    assert "162 236 visiteurs (4 variantes)" in replies[1], replies[1]
    assert "55 jours" in replies[1] and "3 000 visiteurs/jour dans le test" in replies[1]


def test_a_split_asked_with_each_channels_sqls_weighs_the_roas_their_pipeline_gives(conv):
    reply, _ = answer(
        conv,
        "last quarter: $30k on LinkedIn for 60 SQLs, $20k on Google for 50 SQLs. 25% of SQLs "
        "close, ACV $12k. which channel should get more?",
    )
    # LinkedIn 60 × 25 % × $12k / $30k = 6.00x, Google 7.50x: $50k split 6 : 7.5
    assert re.search(r"LinkedIn\s+\$30,000\s+\$22,222\s+-\$7,778\s+44.4%\s+6.00x", reply), reply
    assert re.search(r"Google\s+\$20,000\s+\$27,778\s+\+\$7,778\s+55.6%\s+7.50x", reply)
    assert "Also read" not in reply


@pytest.mark.parametrize(
    "text, planned",
    [
        (
            "quelle taille d'échantillon pour détecter un passage de 4 % à 4,5 % de taux de "
            "clic, avec 90 % de puissance ?",
            ["Taux actuel           4,00 %", "4,50 % (+0,50 point)"],
        ),
        (
            "how many visitors per variant to detect a move from 2.5% to 3% conversion? we get "
            "1,200 visitors a day",
            ["Current rate       2.50%", "3.00% (+0.50 point)", "28 days"],
        ),
    ],
)
def test_a_move_to_detect_from_one_rate_to_another_is_the_baseline_and_the_rate_to_reach(
    conv, text, planned
):
    reply, notices = answer(conv, text)
    for line in planned:
        assert line in reply, reply
    assert notices == []  # a rate to reach is planned: no revenue has moved


def test_what_each_trial_is_worth_in_revenue_prices_the_readouts_arms(conv):
    reply, notices = answer(
        conv,
        "A/B test on pricing page CTA: control 8,200 visitors 246 trials; variant 8,150 visitors "
        "310 trials. Each trial is worth about $90 in revenue. Ship?",
    )
    # $90 × 3.00 % = $2.70 a visitor, $90 × 3.80 % = $3.42: +26.8 %, above the 10 % rule
    assert "revenue per visitor: A $2.70, B $3.42 (+26.8%)" in reply, reply
    assert "Also read" not in reply
    assert len(notices) == 1 and "Management sign-off" in notices[0]


def test_a_pipeline_counted_in_a_sentence_is_diagnosed_and_a_stage_rate_what_if_carried_to_revenue(
    conv,
):
    replies = thread_of(
        conv,
        "we got 2,300 MQLs last month, 460 became SQLs and 92 closed. Average deal $8,500. "
        "Where should we focus?",
        "what if MQL to SQL went to 25%?",
    )
    # 460 / 2,300 = 20 % and 92 / 460 = 20 %; 92 × $8,500 = $782,000
    assert re.search(r"MQLs\s+2,300", replies[0]), replies[0]
    assert re.search(r"SQLs\s+460\s+20.0%\s+80.0%", replies[0])
    assert "92 × $8,500 = $782,000" in replies[0]
    # 2,300 × 25 % = 575 SQLs, × 20 % = 115 deals, × $8,500 = $977,500
    assert "SQLs 460 → 575, closed 92 → 115" in replies[1], replies[1]
    assert "115 × $8,500 = $977,500" in replies[1]


def test_an_event_campaign_is_promoted_up_to_the_events_day_and_followed_up_after(conv):
    reply, _ = answer(
        conv,
        "On lance un webinar le 12 février pour générer 300 inscrits. Budget 4 000 €. Tu peux me "
        "faire le plan ?",
    )
    assert "Plan de campagne — Événementielle" in reply, reply
    day = re.search(r"Fin de campagne\s+(\d\d)/(\d\d)/(\d{4}) \(jour de l'événement\)", reply)
    assert day and (day[1], day[2]) == ("12", "02"), reply
    event = date(int(day[3]), 2, 12)
    start = (event - timedelta(days=28)).strftime("%d/%m/%Y")
    assert f"Lancement          {start} (début de la promotion, 4 semaines avant" in reply
    assert re.search(rf"Jour J : l'événement\s+{event:%d/%m/%Y}", reply)
    after = (event + timedelta(days=1)).strftime("%d/%m/%Y")
    assert re.search(rf"Relance post-événement \(merci, replay, rendez-vous\)\s+{after}", reply)
    # 300 sign-ups in the 4 weeks before: 75 a week, 4 000 € / 300 = 13,33 € each
    assert "300 inscrits sur 4 semaines (28 jours), soit 75 par semaine" in reply
    assert "13,33 € par conversion" in reply and "Canaux : Webinar" not in reply


def test_a_booth_at_a_trade_show_is_an_event_with_its_meetings_as_the_goal(conv):
    reply, _ = answer(
        conv,
        "Can you plan our booth campaign for SaaStr on March 18? Goal is 150 booked meetings, "
        "budget $20k.",
    )
    assert "I still need" not in reply and "Campaign plan — Event" in reply, reply
    assert re.search(r"Campaign end\s+\d{4}-03-18 \(the event's day\)", reply)
    assert "Goal: 150 booked meetings over 4 weeks (28 days)" in reply
    assert "$133.33 per conversion" in reply  # 20,000 / 150


def test_a_channel_with_revenue_and_no_spend_is_kept_out_of_the_split(conv):
    reply, _ = answer(
        conv,
        "Revenue by channel last quarter: Organic $320k, Paid search $210k (spend $60k), Paid "
        "social $95k (spend $45k), Email $140k (spend $5k). Which channels pull their weight?",
    )
    # the $110k spent is split over the three bought channels at their ROAS (3.5, 2.11, 28)
    assert "Channels                     3" in reply, reply
    assert re.search(r"Paid search\s+\$60,000\s+\$11,455\s+-\$48,545\s+10.4%\s+3.50x", reply)
    assert not re.search(r"Organic\s+\$0", reply)
    # $320k of the $765k of revenue: 41.8 %
    assert (
        "Kept out of the split: Organic ($320,000, 41.8%) of revenue with no media spend" in reply
    )
    assert "Also read" not in reply


def test_cutting_a_channel_says_the_attributed_revenue_lost_and_how_to_measure_it(conv):
    reply, _ = answer(
        conv,
        "Our CFO wants to know: if we cut paid social entirely (currently $25k/mo, ROAS 2.1), how "
        "much revenue do we lose?",
    )
    # $25,000 × 2.1 = $52,500 a month attributed, $27,500 more than it costs; × 12 = $630,000
    assert (
        "Cutting Paid social saves $25,000 a month of spend and loses about $52,500 a month of "
        "attributed revenue (ROAS 2.10x): $27,500 a month more than it costs" in reply
    ), reply
    assert "Over a year: $630,000 of attributed revenue." in reply
    assert "geo holdout" in reply and "Paid social  $25,000  100.0%" not in reply


def test_cutting_one_of_several_channels_keeps_the_split_beside_what_the_cut_costs(conv):
    reply, _ = answer(
        conv,
        "on dépense 30 k€ par mois : Google 15 k€ (ROAS 4), Meta 10 k€ (ROAS 2,5), TikTok 5 k€ "
        "(ROAS 1,1). on coupe TikTok ?",
    )
    # in place 15 000 €, then 30 000 × 4 / 7,6
    assert re.search(r"Google\s+15 000 €\s+15 789 €", reply), reply
    assert "Couper TikTok : 5 000 € de dépense économisés, et environ 5 500 € de CA" in reply


def test_a_sequences_own_exit_is_kept_whatever_stops(conv):
    reply, _ = answer(
        conv,
        "I need a 4-email welcome sequence for new trial users: day 0, day 2, day 5, day 9. Stop "
        "the sequence if they upgrade.",
    )
    assert re.search(r"4\s+D\+9\s+Email", reply), reply
    assert "- Stop the sequence if they upgrade (as asked)." in reply


def test_a_cpc_that_rose_at_a_stable_ctr_is_read_as_the_auction(conv):
    reply, _ = answer(
        conv,
        "ads CPC went from 1.20 to 2.05 in two weeks on Meta, CTR stable at 1.1%. what's going on?",
    )
    # CPM = CPC × CTR × 1,000: +70.8 % at the same CTR; 1.20 / 2.05 − 1 = −41.5 % clicks
    assert "CPC moved from €1.20 to €2.05 (+70.8%): at a constant budget, -41.5% clicks" in reply
    assert "CPM +70.8%, CTR 0.0%, so it is the auction, not the creative" in reply, reply


def test_a_price_tests_rate_after_a_monthly_price_is_that_versions_rate(conv):
    reply, notices = answer(
        conv,
        "A/B test prix : version A 19€/mois 4 % de conversion, version B 24€/mois 3,6 % de "
        "conversion, 5000 visiteurs par version. on passe à 24 ?",
    )
    # 19 € × 4 % = 0,76 € per visitor, 24 € × 3,6 % = 0,864 €: +13,7 %, above the 10 % rule
    assert "au prix de 19,00 € : 200 conversions (4,00 %)" in reply, reply
    assert "au prix de 24,00 € : 180 conversions (3,60 %)" in reply
    assert "Lift relatif                     13,7 %" in reply
    assert len(notices) == 1 and "Test impacte le CA > 10% (13,7 %)" in notices[0]


def test_a_test_is_read_again_on_the_outcome_a_follow_up_asks_about(conv):
    opens, clicks = thread_of(
        conv,
        "subject line test: A 24,000 sends, 4,320 opens, 312 clicks; B 24,000 sends, 5,040 "
        "opens, 298 clicks. which one wins?",
        "what about clicks?",
    )
    assert "A (control)                       18.00% (4,320 / 24,000)" in opens, opens
    # 312 / 24,000 = 1.30 % against 298 / 24,000 = 1.24 %: z-test p 0.5684
    assert "A (control)                       1.30% (312 / 24,000)" in clicks, clicks
    assert "p-value                           0.5684" in clicks
    assert "Other outcome, opens: A 18.00%, B 21.00% over the same visitors; p < 0.0001" in clicks


def test_a_test_asked_on_clicks_is_read_on_clicks(conv):
    reply, _ = answer(
        conv,
        "email A/B : objet A 24 000 envois, 4 320 ouvertures, 312 clics ; objet B 24 000 envois, "
        "5 040 ouvertures, 298 clics. lequel gagne sur les clics ?",
    )
    assert "A (contrôle)                     1,30 % (312 / 24 000)" in reply, reply
    assert "Autre mesure, ouvertures : A 18,00 %, B 21,00 %" in reply


def test_an_early_look_at_a_test_is_weighed_against_the_boundary_of_that_look(conv):
    reply, notices = answer(
        conv,
        "mon test tourne depuis 5 jours sur les 21 prévus, B est à +18 % avec p = 0,03. je peux "
        "arrêter ?",
    )
    assert "Pour répondre" not in reply and "Trop tôt pour conclure" in reply, reply
    # t = 5/21: 2 − 2Φ(1,96 / √t) = 0,000059
    assert "Au jour 5 sur 21 (24 % du test)" in reply and "il faudrait p < 0,000059" in reply
    assert "laisser tourner jusqu'au jour 21" in reply and notices == []


def test_a_p_value_under_the_boundary_of_its_look_may_stop_the_test(conv):
    reply, _ = answer(conv, "after 10 days out of 20 planned, p-value is 0.001 for B. stop?")
    assert "May stop (sequential boundary crossed)" in reply, reply
    assert "(p < 0.0056, O'Brien-Fleming)" in reply


def test_why_a_test_is_significant_is_answered_in_plain_words(conv):
    _, why = thread_of(
        conv,
        "A/B test: control 9,800 visitors 392 signups, variant 9,750 visitors 458 signups",
        "why is that significant?",
    )
    assert "a gap of at least 0.70 pt would show by chance in 1.7% of tests this size" in why, why
    assert "The 95% interval [0.13; 1.27] pt excludes 0" in why


def test_a_payback_on_revenue_answers_the_payback_asked_without_a_margin(conv):
    _, again = thread_of(conv, "our CAC is $320 and LTV $1,150, payback?", "ARPU is $45/month btw")
    assert re.search(r"CAC payback on revenue .*7.1 months", again), again  # 320 / 45
    assert "CAC payback not computed" not in again


def test_new_users_that_came_from_existing_users_give_the_k_factor(conv):
    reply, _ = answer(
        conv, "our referral program: 800 new users came from 10,000 existing users, k-factor?"
    )
    assert "K-factor = 800 referred users / 10,000 users = 0.080." in reply, reply
    assert "Also read" not in reply


def test_a_cost_given_for_each_month_after_its_value_is_diagnosed_as_a_move(conv):
    reply, _ = answer(
        conv,
        "Our Google Ads CPA was $42 in September and $61 in October, spend flat at $18k. What "
        "happened and what do we do?",
    )
    # $18,000 / $61 = 295 conversions; 42 / 61 − 1 = −31.1 % conversions at the same spend
    assert (
        "CPA moved from $42.00 to $61.00 (+45.2%): at constant spend, -31.1% conversions" in reply
    )
    assert re.search(r"Conversions\s+295", reply) and "amount $61" not in reply, reply


def test_a_holdout_given_as_a_share_of_a_total_is_read_with_its_incremental_conversions(conv):
    reply, _ = answer(
        conv,
        "we ran a holdout: 10% of users got no emails for 8 weeks. Holdout converted at 3.1%, "
        "emailed group at 3.6%, 200k users in total. what's email's incremental lift?",
    )
    # holdout 10 % of 200,000 = 20,000 at 3.1 % = 620; emailed 180,000 at 3.6 % = 6,480
    assert "A (control)                       3.10% (620 / 20,000)" in reply, reply
    assert "B (variant)                       3.60% (6,480 / 180,000)" in reply
    assert "Relative lift                     16.1%" in reply and "MISMATCH" not in reply
    # 180,000 × 0.5 pt = 900 conversions the emails brought
    assert "the 180,000 exposed users made 900 more conversions" in reply


def test_a_tests_group_a_is_no_company_group(conv):
    reply, notices = answer(
        conv,
        "bjr, test sur la home termine. groupe A : 30 500 visiteurs / 915 inscriptions. groupe B "
        ": 30 300 visiteurs / 1 001 inscriptions. on valide ?",
    )
    assert "3,30 % (1 001 / 30 300)" in reply, reply
    assert notices == [] and "Possible" not in reply


def test_ice_scores_in_comma_triples_are_ranked_and_a_rescored_idea_moves_up(conv):
    first, again = thread_of(
        conv,
        "ICE : chatbot (8,5,4), quiz produit (6,7,8), programme fidélité (9,6,3). on commence par "
        "quoi ?",
        "et si la facilité du chatbot passe à 7 ?",
    )
    # 6 × 7 × 8 = 336, 9 × 6 × 3 = 162, 8 × 5 × 4 = 160
    assert re.search(r"1\s+quiz produit\s+6\s+7\s+8\s+336", first), first
    assert re.search(r"3\s+chatbot\s+8\s+5\s+4\s+160", first) and "nombre" not in first
    # 8 × 5 × 7 = 280: second, ahead of the loyalty programme
    assert re.search(r"2\s+chatbot\s+8\s+5\s+7\s+280", again), again


def test_a_rate_reached_on_monthly_trials_at_a_monthly_plan_is_priced_over_a_year(conv):
    reply, _ = answer(
        conv,
        "hey so our trial-to-paid is 8% and we get ~3k trials/mo at $59/mo plan. if onboarding "
        "emails bump it to 10% what's that worth per year?",
    )
    # 3,000 × 2 pt = 60 more a month × $59 = $3,540 of MRR a month; 720 a year
    assert "+60 conversions, at $59.00 each: +$3,540 a period" in reply, reply
    # 12 cohorts: $42,480 MRR ($509,760 ARR); paid 12 + 11 + … + 1 = 78 months: $276,120
    assert "720 more customers" in reply and "$42,480 more MRR after 12 months" in reply
    assert "($509,760 ARR)" in reply and "about $276,120 collected" in reply


def test_figures_before_and_after_a_change_are_compared_with_the_caveat_of_two_periods(conv):
    reply, _ = answer(
        conv,
        "on a lancé la nouvelle page panier il y a 2 semaines : avant 2,8 % de conversion sur 40k "
        "sessions, après 2,3 % sur 38k sessions. c'est significatif ?",
    )
    # 2,8 % of 40 000 = 1 120, 2,3 % of 38 000 = 874; z-test p < 0,0001
    assert "2,80 % (1 120 / 40 000)" in reply and "2,30 % (874 / 38 000)" in reply, reply
    assert "Avant/après n'est pas un test A/B" in reply and "DÉSÉQUILIBRE" not in reply
    assert "p = <" not in reply


@pytest.mark.parametrize(
    "first, then, row",
    [
        (
            "Séquence de relance panier abandonné : 3 messages, 1h après, 24h après, 72h après "
            "avec un code -10 %. tu me la construis ?",
            "remplace le 3e par un SMS",
            r"3\s+J\+3\s+SMS\s+Offre : code -10 %",
        ),
        (
            "3-email welcome sequence: day 0, day 3, day 7",
            "replace the 2nd with a push notification",
            r"2\s+D\+3\s+Push\s+Products: the best-sellers and how to choose",
        ),
    ],
)
def test_a_touch_swapped_by_its_rank_alone_changes_channel_and_keeps_its_day(
    conv, first, then, row
):
    _, again = thread_of(conv, first, then)
    assert re.search(row, again), again


def test_sending_rates_are_checked_against_the_providers_limits_without_a_list_size(conv):
    reply, _ = answer(
        conv,
        "notre taux de délivrabilité est tombé à 82 % sur la dernière campagne, 6 % de bounces et "
        "0,4 % de plaintes spam. c'est grave ?",
    )
    assert "il me manque" not in reply, reply
    assert "délivrabilité 82,00 % : hors seuil (95,0 %)" in reply
    assert "taux de plaintes spam 0,40 % : hors seuil (0,3 %)" in reply
    assert "C'est grave" in reply and "SPF, DKIM et DMARC" in reply


def test_healthy_sending_rates_are_said_fine(conv):
    reply, _ = answer(
        conv, "email health check: deliverability 97%, bounce rate 1.2%, spam complaints 0.05%"
    )
    assert "deliverability 97.00%: fine (limit 95.0%)" in reply, reply
    assert "This is serious" not in reply


@pytest.mark.parametrize(
    "text",
    [
        "lead score 86 pour un compte qui n'a pas demandé de démo, PME de 40 personnes. je le passe "
        "aux sales ?",
        "this account scores 86 but hasn't asked for a demo yet, 40 employees. hand it to sales?",
    ],
)
def test_a_demo_the_lead_did_not_ask_for_raises_only_the_hot_lead(conv, text):
    reply, notices = answer(conv, text)
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Lead score > 80"], notices
    assert "86" in reply


def test_what_each_customer_pays_a_month_gives_the_unit_economics_and_their_health(conv):
    reply, notices = answer(
        conv, "CAC 520 €, chaque client paie 65 € par mois, churn mensuel 4 %. c'est sain ?"
    )
    # LTV = 65 / 4 % = 1 625 €; LTV/CAC = 3.125; payback = 520 / 65 = 8 months
    assert "1 625,00 €" in reply and "3,12x" in reply and "8,0 mois" in reply, reply
    assert "au-dessus du repère de 3:1" in reply and "dans les 12 mois du repère" in reply
    assert notices == []


def test_channels_cpa_against_the_margin_of_an_order_says_which_lose_money(conv):
    reply, notices = answer(
        conv,
        "our CPAs: Facebook $45, Google $28, TikTok $61. AOV $120, gross margin 45%. which "
        "channels make money?",
    )
    # break-even CPA = 120 × 45 % = $54: TikTok loses $7 an order, Google leaves $26
    assert "Break-even CPA" in reply and "$54.00" in reply, reply
    assert "TikTok ($7 lost per order)" in reply and "Google has the" in reply
    assert notices == []


def test_a_conversion_lift_on_a_page_whose_revenue_is_given_moves_that_revenue(conv):
    reply, notices = answer(
        conv,
        "checkout experiment: control 30,000 sessions 900 purchases, variant 30,100 sessions "
        "1,050 purchases. The checkout brings in $800k in revenue a month. ship it?",
    )
    # 1,050 / 30,100 = 3.488 % against 3.000 %: +16.3 %, so about +$130,233 of the $800,000
    assert "+16.3%" in reply and "+$130,233" in reply, reply
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == [
        "Test moves revenue by more than 10%"
    ], notices


def test_two_months_each_named_after_its_first_figure_are_compared(conv):
    reply, _ = answer(
        conv,
        "we did 3,400 orders in May for $255,000 in sales, then 3,100 orders in June for "
        "$248,000. what happened to AOV?",
    )
    # AOV: 255,000 / 3,400 = $75.00 in May, 248,000 / 3,100 = $80.00 in June (+6.7 %)
    assert "$80.00" in reply and "$75.00" in reply and "+6.7%" in reply, reply


def test_volumes_labelled_before_and_after_a_rates_move_are_read_as_two_periods(conv):
    reply, notices = answer(
        conv,
        "depuis qu'on a changé le formulaire, l'inscription est passée de 3,8 % à 3,1 %. 14 000 "
        "visites avant, 13 500 après. on revient en arrière ?",
    )
    # 3,8 % of 14 000 = 532 against 3,1 % of 13 500 = 418.5 (418, rounded half to even)
    assert "3,80 % (532 / 14 000)" in reply and "3,10 % (418 / 13 500)" in reply, reply
    assert "Avant/après n'est pas un test A/B" in reply and "SRM" not in reply


def test_a_budget_raised_at_once_is_planned_in_steps_with_its_revenue_ceiling(conv):
    reply, _ = answer(
        conv,
        "we're thinking of tripling our Google budget from $5k to $15k a month since ROAS is 6, "
        "good idea?",
    )
    # +200 %: ⌈log 3 / log 1.25⌉ = 5 steps of 25 %; at ROAS 6, $30,000 -> $90,000 at most
    assert "from $5,000 to $15,000 (+200.0%)" in reply and "5 steps" in reply, reply
    assert "$30,000 to $90,000" in reply and "marginal ROAS" in reply


def test_a_range_between_two_dates_is_the_campaigns_window(conv):
    reply, _ = answer(
        conv,
        "plan our spring sale campaign: $12k budget, 600 orders wanted between April 6 and April 19",
    )
    assert "14 days" in reply and "-04-19" in reply, reply


def test_an_nps_move_says_whether_it_is_beyond_chance(conv):
    reply, notices = answer(
        conv, "NPS went from 38 to 45 this quarter, 400 responses each time. is that real?"
    )
    # widest case: z = 0.07 / √((1 − 0.38²)/400 + (1 − 0.45²)/400) = 1.09: no conclusion
    assert "NPS: 45 against 38 (+7 pts), 400 responses" in reply, reply
    assert "z ≥ 1.09" in reply and "no conclusion" in reply and notices == []


def test_each_channels_amount_beside_its_roas_is_the_split_in_place(conv):
    reply, _ = answer(
        conv,
        "on dépense 20k€/mois : Google 9k€ à ROAS 4, Meta 7k€ à ROAS 2,5, LinkedIn 4k€ à ROAS 1,2. "
        "comment rééquilibrer ?",
    )
    # in place at constant ROAS: 9 000 × 4 + 7 000 × 2,5 + 4 000 × 1,2 = 58 300 €
    assert "Actuel" in reply and "9 000 €" in reply and "58 300 €" in reply, reply


def test_the_last_touch_put_on_another_channel_changes_only_its_channel(conv):
    first, then = thread_of(
        conv,
        "build a 4-step onboarding email sequence over 12 days for new signups",
        "switch the last one to SMS instead",
    )
    assert "4     D+12   Email" in first, first
    assert "4     D+12   SMS" in then and "3     D+8    Email" in then, then


def test_a_count_before_the_sale_that_moved_with_the_same_traffic_moves_no_revenue(conv):
    _, notices = answer(
        conv,
        "We put a chat widget on the pricing page: demo requests went from 85 to 121 a month with "
        "the same traffic. keep it?",
    )
    # demo requests are no sale: no revenue sign-off to wait for
    assert not [n for n in notices if "revenue" in n], notices


def test_sends_each_week_are_no_test_arms(conv):
    reply, _ = answer(
        conv, "open rate 21%, click rate 2.1%, we email 38,000 contacts each week. good or bad?"
    )
    assert "38,000 contacts" in reply and "7,980" in reply, reply  # 38,000 × 21 % opens a send


def test_a_rate_asked_for_the_weaker_device_is_the_one_priced(conv):
    reply, _ = answer(
        conv,
        "mobile CR 0.9%, desktop 2.8%, 60% of our 50k monthly sessions are mobile. what if mobile "
        "got to 1.5%?",
    )
    # 30,000 mobile visits × (1.5 − 0.9) pt = 180 more; desktop parity would be × 1.9 pt = 570
    assert "to 1.5% is 180 more conversions" in reply and "parity would be 570" in reply, reply


def test_leads_beside_revenue_are_no_orders_and_make_no_basket(conv):
    reply, _ = answer(conv, "monthly numbers: 95,000 visits, 780 signups, revenue $210k. KPIs?")
    assert "0.82%" in reply, reply  # 780 / 95,000
    assert "Average order value" not in reply and "269.23" not in reply  # no basket of signups


def test_a_cpc_that_jumped_with_a_steady_ctr_is_read_as_the_auction(conv):
    reply, _ = answer(
        conv,
        "notre CPC Google est passé de 0,80 € à 1,10 € ce mois-ci, CTR stable à 3,2 %, budget "
        "6 000 €. il se passe quoi ?",
    )
    # CPC +37.5 %: 6 000 € buy 5 455 clicks instead of 7 500; CTR flat, so the auction
    assert "+37,5 %" in reply and "5 455 clics au lieu de 7 500" in reply, reply
    assert "l'enchère et non la créa" in reply and "Dépense à date" not in reply


def test_a_funnels_upside_is_one_more_point_at_its_leak(conv):
    reply, _ = answer(
        conv,
        "funnel : 40 000 visites, 1 600 inscriptions, 480 activations, 96 payants. où agir et "
        "pour quel gain ?",
    )
    # +1 pt into sign-ups = 400 more, flowing through 96 / 1 600 = 6 %: 24 more paying
    assert "(4,0 % → 5,0 %)" in reply and "environ 24 « payants » de plus" in reply, reply


def test_a_control_beside_a_new_page_are_the_arms_of_a_readout(conv):
    reply, _ = answer(
        conv,
        "control converted at 3.9% (n=12,400) and the new product page at 3.3% (n=12,350). we "
        "were all sure it would win. next step?",
    )
    assert "3.90% (484 / 12,400)" in reply and "3.30% (408 / 12,350)" in reply, reply
    assert "Keep A: B performs significantly worse" in reply


def test_delays_said_after_the_touch_before_are_counted_from_it(conv):
    reply, _ = answer(
        conv,
        "onboarding flow for trial users: a welcome email, the next day a setup guide, 2 days "
        "later a customer story, then an upgrade offer 5 days after that",
    )
    # the next day = D+1; 2 days later = D+3; 5 days after that = D+8
    assert re.search(r"2\s+D\+1\s+Email\s+Setup guide", reply), reply
    assert re.search(r"3\s+D\+3\s+Email\s+Customer story", reply)
    assert re.search(r"4\s+D\+8\s+Email\s+An upgrade offer\n", reply)


def test_a_count_named_by_its_noun_beside_a_spend_gets_its_cost(conv):
    reply, _ = answer(
        conv,
        "we spent €9,000 on the webinar series: 220 leads, 38 booked calls, 7 customers at €6k "
        "ACV. ROI?",
    )
    # the leads, calls and customers are one journey: each step costed (€9,000 / 38 calls)
    assert "booked calls €236.84" in reply and "customers €1,285.71" in reply, reply


def test_open_and_click_rates_asked_about_are_set_against_published_averages(conv):
    reply, _ = answer(
        conv, "our newsletter: 52,000 subscribers, 27% open rate, 3.1% click rate. is that good?"
    )
    assert "opens 27.0% against 21.3% on average (above)" in reply, reply
    assert "clicks 3.1% against 2.6% on average (above)" in reply and "Apple Mail" in reply


def test_the_budget_a_goal_needs_at_a_target_cost_and_again_at_another(conv):
    first, then = thread_of(
        conv,
        "Quel budget pour obtenir 300 leads à un CPL cible de 45 € ?",
        "et avec un CPL de 60 € ?",
    )
    assert "300 conversions × 45 € de coût cible = 13 500 €" in first, first
    assert "300 conversions × 60 € de coût cible = 18 000 €" in then, then


def test_a_sale_planned_over_its_window_sends_to_the_list_day_by_day(conv):
    reply, _ = answer(
        conv,
        "plan our summer sale on email and Facebook: -25% from July 6 to 12, our list is about "
        "55k contacts",
    )
    assert "Campaign plan" in reply and "Send plan during the offer, day by day" in reply, reply
    assert re.search(r"-07-06\s+Email\s+Offer announcement\s+Whole list \(55,000 contacts\)", reply)
    assert "Budget  not given" in reply or "Budget                   not given" in reply


def test_the_emails_a_user_names_for_an_offer_are_each_dated(conv):
    reply, _ = answer(
        conv,
        "soldes d'hiver du 8 au 14 janvier, base email de 30 000 : je veux un teaser, l'annonce, "
        "une relance et une dernière chance. tu me cales les dates ?",
    )
    assert re.search(r"07/01/20\d\d\s+Email\s+Teaser : l'offre ouvre demain", reply), reply
    assert re.search(r"08/01/20\d\d\s+Email\s+Annonce de l'offre\s+Toute la base \(30 000", reply)
    assert re.search(r"11/01/20\d\d\s+Email\s+Relance\s+Non-ouvreurs", reply)
    assert re.search(r"13/01/20\d\d\s+Email\s+Dernier appel", reply)


def test_each_arms_revenue_with_one_deviation_said_after_them_is_a_welch_readout(conv):
    reply, notices = answer(
        conv,
        "RPV test: control 25,000 visitors $130,000, variant 24,600 visitors $135,300, standard "
        "deviation per visitor around $45. significant?",
    )
    # $5.20 vs $5.50, sd 45 both: t = 0.30 / sqrt(45²/25000 + 45²/24600) = 0.74
    assert "mean $5.20 (sd $45.00, n = 25,000), i.e. $130,000 / 25,000 visitors" in reply, reply
    assert "mean $5.50 (sd $45.00, n = 24,600)" in reply and "t = 0.74" in reply
    assert "Not significant" in reply and "Also read" not in reply and notices == []


def test_a_count_a_week_is_the_tests_traffic_per_day(conv):
    reply, _ = answer(
        conv,
        "combien de temps pour un test A/B sur l'objet de l'email de relance panier ? 8 % de "
        "récupération aujourd'hui, on vise +2 points, environ 2 100 paniers abandonnés par semaine",
    )
    # 2 100 a week = 300 a day in the test
    assert "(300 visiteurs/jour dans le test)" in reply, reply


def test_a_share_of_visitors_who_convert_is_the_baseline_rate(conv):
    reply, _ = answer(
        conv,
        "size a test for the plans page: today 2.5% of visitors upgrade to the paid plan, we want "
        "to detect +20% relative, 3,000 visitors a day",
    )
    assert re.search(r"Current rate\s+2\.50%", reply) and "I still need" not in reply, reply


def test_versions_named_by_colour_are_the_arms_of_a_test(conv):
    reply, _ = answer(
        conv,
        "résultats du test sur la couleur du bouton : bleu 9 000 visiteurs 270 commandes, contrôle "
        "9 100 visiteurs 246 commandes, rouge 8 950 visiteurs 251 commandes. on garde lequel ?",
    )
    # the control first: 246 / 9 100 = 2,70 %; blue 270 / 9 000 = 3,00 %; red 251 / 8 950 = 2,80 %
    assert re.search(r"A \(contrôle\)\s+2,70 % \(246 / 9 100\)", reply), reply
    assert "3,00 % = 270 / 9 000" in reply or "3,00 % (270 / 9 000)" in reply
    assert "il me manque" not in reply
    reply, _ = answer(
        conv,
        "We ran a 3-arm test on the signup button: control 7,000 users 210 signups, green 7,100 "
        "users 249 signups, orange 6,950 users 229 signups. winner?",
    )
    assert re.search(r"A \(control\)\s+3\.00% \(210 / 7,000\)", reply), reply


def test_a_shops_ltv_comes_from_basket_purchases_a_year_and_years_stayed(conv):
    reply, _ = answer(
        conv,
        "quelle LTV pour nos clientes ? panier moyen 72 €, elles achètent 2,5 fois par an, marge "
        "40 %, durée de vie moyenne 3 ans. notre CAC est de 60 €",
    )
    # 72 × 2,5 × 3 = 540 € of revenue, × 40 % = 216 € of margin; 216 / 60 = 3,6
    assert re.search(r"LTV \(sur le CA\)\s+540,00 €", reply), reply
    assert re.search(r"LTV \(sur marge brute\)\s+216,00 €", reply) and "3,60x" in reply
    assert "LTV non calculé" not in reply


def test_a_cpa_follows_a_cpc_move_at_the_same_conversion_rate(conv):
    reply, _ = answer(
        conv,
        "notre CPC Meta est passé de 0,90 € à 1,35 € ce trimestre, taux de conversion stable à "
        "3 %. ça fait quoi sur le CPA ?",
    )
    # 0,90 / 3 % = 30 €; 1,35 / 3 % = 45 € (+50 %)
    assert re.search(r"CPA \(CPC ÷ taux de conversion\)\s+45,00 €\s+30,00 €\s+\+50,0 %", reply), (
        reply
    )
    assert "CPA non calculé" not in reply


def test_two_months_given_each_with_revenue_and_sessions_are_compared(conv):
    reply, _ = answer(
        conv,
        "compare juin et juillet : juin 96 000 € de CA pour 40 000 sessions, juillet 99 000 € "
        "pour 45 000 sessions",
    )
    # 96 000 / 40 000 = 2,40 €; 99 000 / 45 000 = 2,20 € (-8,3 %)
    assert re.search(r"CA\s+99 000 €\s+96 000 €\s+\+3,1 %", reply), reply
    assert re.search(r"Revenu par visiteur\s+2,20 €\s+2,40 €\s+-8,3 %", reply)
    assert "Dépense" not in reply and "juin  " not in reply


def test_revenue_named_before_its_period_is_the_periods_revenue(conv):
    reply, _ = answer(
        conv,
        "revenue last month $52,000 from 800 orders, this month $49,400 from 820 orders. why?",
    )
    # AOV $65.00 -> $60.24
    assert re.search(r"Revenue\s+\$49,400\s+\$52,000\s+-5\.0%", reply), reply
    assert re.search(r"Average order value\s+\$60\.24\s+\$65\.00", reply) and "Spend" not in reply


def test_a_funnel_given_as_step_rates_in_any_order_is_diagnosed(conv):
    reply, _ = answer(
        conv,
        "cart to order is 50%, product page to cart 8%, landing to product page 40%. we get "
        "50,000 sessions a month. where do we lose the most?",
    )
    # 50 000 -> 20 000 -> 1 600 -> 800
    assert re.search(r"landing\s+50,000", reply), reply
    assert re.search(r"product page\s+20,000\s+40\.0%", reply)
    assert re.search(r"cart\s+1,600\s+8\.0%\s+92\.0%", reply) and re.search(r"order\s+800", reply)


def test_a_goal_is_read_back_through_the_stage_rates_to_the_leads_and_budget_it_needs(conv):
    reply, notices = answer(
        conv,
        "quel budget pour avoir 90 rendez-vous commerciaux par mois ? 20 % des leads prennent "
        "rendez-vous, taux rendez-vous→signature 30 %, et notre CPL est de 50 €",
    )
    # 90 ÷ 20 % = 450 leads × 50 € = 22 500 € (rendez-vous→signature comes after the goal)
    assert "90 ÷ 20,0 % = 450 leads nécessaires" in reply, reply
    assert "22 500 € de budget" in reply and "4 500" not in reply and notices == []
    reply, _ = answer(
        conv,
        "how many MQLs do we need to sign 12 customers a month if 40% of MQLs become SQLs and 20% "
        "of SQLs close?",
    )
    # 12 ÷ 20 % ÷ 40 % = 150
    assert "= 150 MQLs needed" in reply and "Lead score" not in reply, reply


def test_an_extra_amount_is_added_to_the_split_in_place_by_roas(conv):
    reply, _ = answer(
        conv,
        "Google 30k€ ROAS 5 / Meta 20k€ ROAS 3 / TikTok 10k€ ROAS 2. on a 20k de plus le mois "
        "prochain, on les met où ?",
    )
    # 20 000 by ROAS 5:3:2 = 10 000 / 6 000 / 4 000; the 60 000 € in place stay
    assert "Budget total                 80 000 €" in reply, reply
    assert re.search(r"Google\s+30 000 €\s+\+10 000 €\s+40 000 €", reply)
    assert re.search(r"TikTok\s+10 000 €\s+\+4 000 €\s+14 000 €", reply)


def test_one_channels_sqls_closed_at_a_rate_give_its_customers_revenue_and_cac(conv):
    reply, _ = answer(
        conv,
        "on a mis 15 000 € sur LinkedIn ce trimestre pour 50 SQL. les commerciaux closent 25 % "
        "des SQL, contrat moyen 9 000 €. ça vaut le coup ?",
    )
    # 50 × 25 % = 12,5 clients × 9 000 € = 112 500 €; ROAS 7,5; CAC 15 000 / 12,5 = 1 200 €
    assert "112 500 € de CA" in reply and "7,50x" in reply, reply
    assert re.search(r"CPA\s+1 200,00 €", reply) and "Lead scoring" not in reply


def test_messaging_contacts_bought_from_a_third_party_goes_to_legal(conv):
    _, notices = answer(
        conv,
        "on va faire une campagne SMS à 50 000 numéros achetés à un partenaire, tu peux me préparer "
        "le message ?",
    )
    assert [n.split("—")[1].split("(")[0].strip() for n in notices] == ["Privacy/Compliance"]
    _, notices = answer(
        conv, "écris le SMS promo pour nos 25 000 clients inscrits au programme fidélité"
    )
    assert notices == []


def test_a_sequence_asked_for_leads_is_a_sequence_not_a_scoring_grid(conv):
    reply, _ = answer(
        conv,
        "nos leads du salon : 260 contacts, 40 % qualifiés, on veut les relancer. tu me fais une "
        "séquence ?",
    )
    assert "Séquences multicanal" in reply and "Lead scoring" not in reply, reply


def test_a_test_said_significant_at_an_early_look_is_not_stopped(conv):
    reply, _ = answer(
        conv,
        "notre test tourne depuis 7 jours sur les 28 prévus, la variante B fait +15 % et c'est "
        "déjà significatif. on peut l'arrêter ?",
    )
    # a quarter of the test: the O'Brien-Fleming-type boundary is far under 0.05
    assert "Trop tôt pour conclure" in reply and "Au jour 7 sur 28 (25 % du test)" in reply, reply
    assert "il me manque" not in reply and "+15,0 % (indiqué)" in reply


def test_a_cpa_that_moved_is_diagnosed_without_the_spend(conv):
    reply, _ = answer(
        conv,
        "notre CPL LinkedIn est passé de 60 € à 90 € en un mois sans qu'on change quoi que ce "
        "soit, tu vois pourquoi ?",
    )
    # +50 %: at constant spend, 1 - 60/90 = 33,3 % fewer conversions
    assert "CPA passé de 60,00 € à 90,00 € (+50,0 %)" in reply, reply
    assert "-33,3 % de conversions" in reply and "il me manque" not in reply


def test_an_open_rate_below_the_sectors_is_diagnosed_without_the_list_size(conv):
    reply, _ = answer(
        conv,
        "our open rate is stuck at 16% while the industry average is 24%, what's wrong?",
    )
    assert "Open rate 16.0% against 24.0% for the sector (-8.0 pt)" in reply, reply
    assert "Check in this order: deliverability" in reply and "I still need" not in reply


def test_a_double_sided_referral_reward_is_weighed_against_a_first_orders_margin(conv):
    reply, _ = answer(
        conv,
        "programme de parrainage : 15 € pour le parrain et 15 € pour le filleul, panier moyen "
        "60 €, marge 35 %. ça tient ?",
    )
    # 30 € of rewards against 60 € × 35 % = 21 € of margin: -9 € on the first order, 1,43 orders
    assert "coûte 30 € de récompenses (15 € + 15 €)" in reply, reply
    assert "21,00 € de marge" in reply and "-9,00 € sur la première commande" in reply
    assert "1,43 commandes" in reply and "Également lu" not in reply


def test_a_new_extra_amount_in_the_thread_replaces_the_extra_not_the_budgets(conv):
    first, then = thread_of(
        conv,
        "Google 30k€ ROAS 5 / Meta 20k€ ROAS 3 / TikTok 10k€ ROAS 2. on a 10k de plus le mois "
        "prochain, on les met où ?",
        "et si c'est 30k de plus ?",
    )
    # 30 000 by ROAS 5:3:2 = 15 000 / 9 000 / 6 000 on top of the 60 000 € in place
    assert "Budget total                 70 000 €" in first, first
    assert "Budget total                 90 000 €" in then, then
    assert re.search(r"Google\s+30 000 €\s+\+15 000 €\s+45 000 €", then)


def test_a_rate_under_the_sectors_range_gives_what_each_end_would_add(conv):
    reply, notices = answer(
        conv,
        "activation to paid is 11%, industry average 15-20%. 2,500 signups a month and an ARPU "
        "of $30. what are we missing?",
    )
    # 2 500 × (15 − 11) % = 100 more a month × $30; 2 500 × (20 − 11) % = 225 × $30
    assert "from 11.0% to 15.0%" in reply and "+$3,000" in reply, reply
    assert "from 11.0% to 20.0%" in reply and "+$6,750" in reply, reply
    assert notices == []  # a rate against a benchmark moved no revenue to sign off


def test_one_count_of_unsubscribes_beside_rates_is_read_against_its_limit(conv):
    reply, _ = answer(
        conv,
        "notre newsletter part à 40 000 abonnés, ouverture 28 %, clics 2,1 %, 260 désinscriptions "
        "au dernier envoi. ça va ?",
    )
    assert "Désinscriptions à 0,65 %" in reply, reply  # 260 / 40 000, above 0.5 % a send
    assert "Également lu" not in reply


def test_a_launchs_lists_in_brackets_and_its_length_shape_the_coordination_plan(conv):
    reply, _ = answer(
        conv,
        "lancement de la collection le 10 mars : emailing (60k), push (25k) et tiktok. tu me fais "
        "le plan de coordination sur 10 jours ?",
    )
    assert "du 10/03/2027 au 19/03/2027 (10 jours)" in reply, reply
    assert "Toute la base (60 000 contacts)" in reply and "Utilisateurs de l'app (25 000)" in reply
    assert "60 000 €" not in reply and "Également lu" not in reply, reply


def test_growth_ideas_for_a_named_stage_start_from_its_rate_and_volume(conv):
    reply, _ = answer(
        conv,
        "des idées growth pour améliorer la rétention ? 38 % des nouveaux clients sont encore "
        "actifs à 3 mois, on en signe 2 000 par mois",
    )
    assert (
        "38,0 % (3 mois) de 2 000 = 760" in reply and "en ajoute 20 (100 pour +5 points)" in reply
    ), reply
    assert "Scénario de réactivation déclenché par l'inactivité" in reply
    assert "Parrainage double face" not in reply and "Également lu" not in reply


@pytest.mark.parametrize(
    "text, line, signed",
    [
        (
            "la nouvelle fiche produit a fait passer la conversion de 2,8 % à 3,3 % mais le panier "
            "moyen de 64 € à 52 €, on garde ?",
            r"Revenu par visiteur \(taux de conversion × panier moyen\)\s+1,72 €\s+1,79 €\s+-4,2 %",
            False,
        ),
        (
            "since we removed free shipping, conversion went from 4.1% to 3.6% but AOV from $48 "
            "to $61. good or bad?",
            r"Revenue per visitor \(conversion rate × AOV\)\s+\$2\.20\s+\$1\.97\s+\+11\.6%",
            True,
        ),
    ],
)
def test_a_conversion_rate_and_a_basket_moving_apart_net_out_per_visitor(conv, text, line, signed):
    reply, notices = answer(conv, text)
    # 3,3 % × 52 € = 1,716 € against 2,8 % × 64 € = 1,792 €; 3.6% × $61 = $2.196 against $1.968
    assert re.search(line, reply), reply
    assert "Net" in reply and "il me manque" not in reply and "I still need" not in reply
    assert bool(notices) == signed, notices  # revenue moved by more than 10 %: management signs


def test_a_reports_figure_no_word_names_is_compared_under_the_users_label(conv):
    reply, _ = answer(
        conv,
        "rapport hebdo : visites 42 000 (semaine dernière 39 500), inscrits 880 (910), renouvellements 61 "
        "(74). quelque chose d'inquiétant ?",
    )
    assert re.search(r"Renouvellements\s+61\s+74\s+-17,6 %", reply), reply  # 61 / 74 − 1
    assert "Également lu" not in reply


def test_an_uneven_split_sizes_each_arm_and_a_later_even_split_resizes_them(conv):
    first, then = thread_of(
        conv,
        "taille d'échantillon : page à 4 % de conversion, on veut détecter +10 % relatif, 5 000 "
        "visiteurs/jour, répartition 70/30 en faveur du contrôle",
        "et en 50/50 ?",
    )
    # statsmodels NormalIndPower, ratio 30/70: 65 757 + 28 182 = 93 939 visitors, 5 000 a day
    assert "65 757 visiteurs pour le contrôle, 28 182 pour la variante" in first, first
    assert re.search(r"Durée\s+19 jours", first) and "70/30" in first
    assert "39 455 visiteurs par variante" in then and re.search(r"Durée\s+16 jours", then), then


def test_a_readout_of_a_test_split_90_10_as_said_raises_no_sample_ratio_mismatch(conv):
    reply, _ = answer(
        conv,
        "A/B test readout, 90/10 split: control 45,000 visitors 1,350 orders, variant 5,000 "
        "visitors 170 orders",
    )
    assert "consistent with the planned split" in reply and "MISMATCH" not in reply, reply


def test_a_cap_said_after_a_channels_roas_caps_that_channel_only(conv):
    reply, _ = answer(
        conv,
        "budget 60k€ à répartir : SEA ROAS 4, social ROAS 2, affiliation ROAS 8 (max 6k€ imposé "
        "par le réseau). tu fais comment ?",
    )
    # affiliation capped at 6 000 €; the other 54 000 € by ROAS 4:2
    assert re.search(r"Affiliation\s+6 000 €", reply), reply
    assert re.search(r"SEA\s+36 000 €", reply) and re.search(r"Social\s+18 000 €", reply), reply


def test_a_channels_figure_against_another_named_after_it_is_each_channels(conv):
    reply, notices = answer(
        conv,
        "le CEO veut tout mettre sur TikTok parce que c'est tendance, alors que TikTok a un ROAS "
        "de 1,2 contre 3,6 pour Google. budget 40k€, comment je répartis ?",
    )
    # by ROAS 1,2 : 3,6 = 25 % / 75 % of 40 000 €
    assert re.search(r"TikTok\s+10 000 €", reply) and re.search(r"Google\s+30 000 €", reply), reply
    assert any("Conflit data/intuition" in n for n in notices), notices


def test_a_headcount_after_the_word_scoring_is_no_score_stated(conv):
    reply, notices = answer(
        conv,
        "scoring: VP Sales at a 450-person logistics company, downloaded 2 ebooks, visited "
        "pricing twice. score?",
    )
    # decision maker +20, 200 employees or more +15, content downloaded +10, pricing page +20
    assert re.search(r"Lead score\s+65 pts", reply), reply
    assert "450 pts" not in reply and notices == [], notices


def test_one_segments_rate_raised_to_a_target_gives_the_conversions_it_adds(conv):
    reply, _ = answer(
        conv,
        "on veut personnaliser le site : les visiteurs récurrents convertissent à 4,5 %, les "
        "nouveaux visiteurs à 1,2 %. les nouveaux font 80 % du trafic, 50 000 visites/mois. si "
        "on monte les nouveaux à 1,6 % ?",
    )
    # 50 000 × 80 % = 40 000 visits × (1,6 − 1,2) % = 160; overall 80 % × 1,2 + 20 % × 4,5 = 1,86 %
    assert "40 000 visites/mois) de 1,20 % à 1,60 % : +160 conversions par mois" in reply, reply
    assert "conversion globale de 1,86 % à 2,18 %" in reply and "Également lu" not in reply


def test_the_same_count_from_several_tools_is_set_against_the_recorded_one(conv):
    reply, _ = answer(
        conv,
        "petit souci de chiffres pour le rapport mensuel : Google Ads remonte 180 conversions en "
        "octobre, Google Analytics 142 et notre CRM 151 leads. je mets lequel ?",
    )
    # 180 / 151 − 1 = +19,2 %; 142 / 151 − 1 = -6,0 %
    assert re.search(r"Google Ads\s+régie publicitaire\s+180\s+\+19,2 %", reply), reply
    assert re.search(r"Google Analytics\s+outil d'analytics\s+142\s+-6,0 %", reply), reply
    assert "Chiffre à reporter : celui de CRM (151)" in reply and "Également lu" not in reply


def test_numbered_messages_of_a_relaunch_keep_their_channel_offer_and_the_flows_count(conv):
    reply, _ = answer(
        conv,
        "séquence de relance panier : 1er mail à H+2, 2e à J+2 avec un code livraison offerte, "
        "3e à J+5. 900 paniers abandonnés par semaine, 8 % récupérés aujourd'hui",
    )
    assert re.search(r"— J\+2\s+Email avec un code livraison offerte", reply), reply
    assert re.search(r"— J\+5\s+Email\n", reply) and "Message 1" not in reply, reply
    # 900 × 8 % = 72 a week; a point is 9
    assert "900 × 8,0 % = 72 conversions par semaine" in reply and "vaut 9 conversions" in reply


def test_a_value_given_to_one_arm_replaces_that_arms_closest_figure(conv):
    _, then = thread_of(
        conv,
        "test A/B : A 9 000 visiteurs 270 inscriptions, B 9 100 visiteurs 330 inscriptions",
        "et si B avait fait 300 ?",
    )
    # 300 is B's conversions (330), not its visitors: A untouched
    assert "3,30 % (300 / 9 100)" in then and "3,00 % (270 / 9 000)" in then, then


def test_invitations_to_an_event_on_a_date_run_over_the_days_before_it(conv):
    reply, _ = answer(
        conv,
        "séquence d'invitation pour notre webinar du 18 mars : 4 emails, on l'envoie à nos 9 000 "
        "contacts",
    )
    assert "J-14   04/03/2027" in reply and "J-1    17/03/2027" in reply, reply
    assert "Invitation : le sujet" in reply and "9 000 contacts" in reply
    assert "il me manque" not in reply


def test_a_cadence_with_no_period_dates_the_coming_months_sends(conv):
    reply, _ = answer(
        conv,
        "newsletter : base de 25 000 abonnés, 28 % d'ouverture, on veut envoyer 2 newsletters par "
        "mois, tu me fais le plan ?",
    )
    today = date.today()
    coming = (today.month % 12 + 1, today.year + (today.month == 12))
    sends = [
        datetime.strptime(line[:10], "%d/%m/%Y").date()
        for line in reply.splitlines()
        if re.match(r"\d\d/\d\d/\d{4}", line)
    ]
    assert len(sends) == 2 and all((d.month, d.year) == coming for d in sends), reply
    assert all(d.weekday() == 1 for d in sends) and "7 000" in reply  # Tuesdays; 25 000 × 28 %


def test_a_test_someone_wants_to_stop_early_on_a_lift_gets_that_looks_boundary(conv):
    reply, notices = answer(
        conv,
        "the boss wants to stop the pricing test after 5 days and ship the variant because it's "
        "up 18%. what do I tell him?",
    )
    # day 5 of the seed's 14 days at least: O'Brien-Fleming alpha(5/14) = 2 − 2Φ(1.96 / √0.357)
    assert "On day 5, the test has run 36% of the 14 days" in reply, reply
    assert "p < 0.0010" in reply and "let it run to day 14" in reply
    assert any("Data vs intuition" in n for n in notices) and "I still need" not in reply


@pytest.mark.parametrize(
    "text, said",
    [
        (
            "our Google CPA is $61 this month vs $45 last month, spend $30k. what happened?",
            "CPA moved from $45.00 to $61.00 (+35.6%)",
        ),
        (
            "taux d'ouverture de la newsletter : 17 % ce mois-ci contre 25 % le mois dernier, "
            "pourquoi ?",
            "Le taux d'ouverture est passé de 25,0 % à 17,0 % (-32,0 %)",
        ),
    ],
)
def test_a_figure_this_period_against_the_last_one_is_a_move_not_two_arms(conv, text, said):
    reply, _ = answer(conv, text)
    assert said in reply, reply
    assert "(contrôle)" not in reply and "(control)" not in reply


def test_stages_said_with_verbs_chain_a_pipeline_to_its_revenue(conv):
    reply, _ = answer(
        conv,
        "on reçoit 1 500 demandes de démo par trimestre, 40 % se présentent et 20 % de ceux qui "
        "viennent achètent, contrat moyen 8 000 €. ça fait combien de CA ?",
    )
    # 1 500 × 40 % × 20 % = 120 customers × 8 000 €
    assert "1 500 × 40,0 % × 20,0 % = 120" in reply and "960 000 €" in reply, reply


def test_a_split_in_place_that_already_leans_on_the_best_channel_is_not_pulled_back(conv):
    reply, _ = answer(
        conv,
        "on a mis 15k€ sur Google (ROAS 5) et 5k€ sur LinkedIn (ROAS 2) ce mois-ci. "
        "on ajuste comment ?",
    )
    # proportional to ROAS would give Google 14 286 € (82 857 € against 85 000 € in place):
    # 10 % of the 20 000 € go from LinkedIn to Google instead, 17 000 × 5 + 3 000 × 2 = 91 000 €
    assert re.search(r"Google\s+15 000 €\s+17 000 €\s+\+2 000 €", reply), reply
    assert re.search(r"LinkedIn\s+5 000 €\s+3 000 €\s+-2 000 €", reply), reply
    assert "rapporterait 2 143 € de moins" in reply, reply
    assert "votre répartition actuelle rapporte 85 000 € ; celle-ci 91 000 € (+6 000 €)" in reply


def test_a_channel_budget_added_to_a_campaign_plan_grows_it(conv):
    _, again = thread_of(
        conv,
        "plan a 4-week LinkedIn campaign for our webinar, budget $12k, target 400 registrations",
        "add a Meta retargeting budget of $3k",
    )
    # the plan again, $12k + $3k: retargeting is a tactic of Meta and the webinar the campaign's
    # subject, neither is a channel; $15,000 / 400 registrations = $37.50 each
    assert "Campaign plan" in again and "Budget                   $15,000" in again, again
    assert "Channels: LinkedIn: $12,000 (80%), Meta retargeting: $3,000 (20%)" in again, again
    assert "target cost: $37.50 per conversion" in again, again


def test_a_campaign_plan_adds_up_the_amounts_given_to_its_channels(conv):
    reply, _ = answer(
        conv,
        "plan de campagne de 3 semaines pour notre salon : LinkedIn 8k€ et un budget Google de "
        "4k€, objectif 300 rendez-vous",
    )
    assert "Budget             12 000 €" in reply, reply  # 8 000 + 4 000 €
    assert "LinkedIn : 8 000 € (67 %), Google : 4 000 € (33 %)" in reply, reply
    assert "40,00 € par conversion" in reply, reply


def test_why_about_a_funnel_step_shows_that_step_beside_the_biggest_leak(conv):
    _, why = thread_of(
        conv,
        "funnel: 20,000 visits, 3,000 signups, 900 activated, 180 paid",
        "pourquoi l'activation est le point faible ?",
    )
    # 'activation' names the step 'activated' (900 / 3,000 = 30 %); the leak is at signups
    assert "activated — Volume 900 · Passage 30,0 % · Drop-off 70,0 %" in why, why
    assert "Plus grosse fuite signups (85,0 % de perte)" in why, why


def test_an_onboarding_sequence_guides_to_its_goal_and_ends_on_it(conv):
    reply, _ = answer(
        conv,
        "onboarding sequence for new signups: 4 emails over 10 days, goal is to get them to "
        "publish their first page",
    )
    # seed "Types de Workflows", Onboarding: sign-up → guide → activation, not a sales nurture
    assert "Guide: step by step to the activation action" in reply, reply
    assert "Offer: demo or trial" not in reply, reply
    assert "Goal reached — get them to publish their first page: exit the sequence" in reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we want 1,200 demo requests next quarter. our CPL on LinkedIn is $95 and 12% of "
            "leads book a demo. budget needed?",
            # 1,200 ÷ 12 % = 10,000 leads, × $95: not 1,200 × $95
            "1,200 ÷ 12.0% = 10,000 leads needed (each rate applied backwards from the goal). At "
            "$95 each: a budget of $950,000.",
        ),
        (
            "on vise 90 rendez-vous par mois. 20 % des leads prennent rendez-vous et notre coût "
            "par lead est de 60 €. quel budget ?",
            "Objectif 90 rendez-vous : 90 ÷ 20,0 % = 450 leads nécessaires",
        ),
    ],
)
def test_a_goal_said_as_a_wish_is_read_back_through_its_rate_to_a_budget(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply
    assert "not computed" not in reply and "$114,000" not in reply, reply


def test_customers_bought_on_each_channel_give_each_cac_and_the_blended_one(conv):
    reply, _ = answer(
        conv,
        "what's our blended CAC if we spent 42k on Google for 350 customers and 18k on Meta for "
        "110 customers?",
    )
    # (42,000 + 18,000) / (350 + 110) = 130.43; Google 42,000 / 350 = 120, Meta 18,000 / 110
    assert re.search(r"CAC\s+€130\.43", reply), reply
    assert re.search(r"Google\s+€120\.00", reply) and re.search(r"Meta\s+€163\.64", reply), reply


def test_two_devices_compared_with_vs_are_a_gap_to_price_not_a_test_to_sign_off(conv):
    reply, notices = answer(
        conv,
        "notre taux de conversion mobile est 1,1 % vs 2,9 % desktop, 65 % du trafic est mobile, "
        "200k sessions/mois, panier moyen 74 €. combien on perd ?",
    )
    # 130 000 mobile sessions × (2,9 − 1,1) % × 74 € = 173 160 € a month; no test, no sign-off
    assert "+173 160 €/mois" in reply and "130 000 visites mobile" in reply, reply
    assert notices == [] and "Escalad" not in reply, notices


def test_an_event_too_near_for_the_whole_promotion_keeps_time_to_prepare(conv):
    reply, _ = answer(conv, "campagne événementielle pour le salon, lancement dans 3 semaines")
    # 21 days left, less than the 4 weeks of promotion: 7 to prepare, 14 on air, none in the past
    event = date.today() + timedelta(days=21)
    launch = date.today() + timedelta(days=7)
    assert f"Lancement          {launch:%d/%m/%Y} (début de la promotion" in reply, reply
    assert f"Fin de campagne    {event:%d/%m/%Y} (jour de l'événement)" in reply, reply
    assert "Durée              2 semaines (14 jours)" in reply, reply


def test_prices_said_as_converting_at_a_rate_are_the_arms_of_a_price_test(conv):
    reply, _ = answer(
        conv,
        "test prix : 29 €/mois converti à 4,1 % sur 6 200 visiteurs, 35 €/mois converti à 3,6 % "
        "sur 6 150 visiteurs. lequel garder ?",
    )
    # 29 € × 4,1 % = 1,19 € per visitor against 35 € × 3,6 % = 1,26 € (+5,9 %), Welch
    assert "au prix de 29,00 € : 254 conversions (4,10 %)" in reply, reply
    assert "au prix de 35,00 € : 221 conversions (3,59 %)" in reply, reply
    assert re.search(r"Lift relatif\s+5,9 %", reply) and "il me manque" not in reply, reply


def test_campaigns_listed_with_their_own_cpa_are_split_not_their_channel(conv):
    reply, _ = answer(
        conv,
        "on a 3 campagnes Google : brand CPA 8 €, generic CPA 46 €, shopping CPA 22 €. budget "
        "30k€/mois, objectif CPA moyen 25 €. comment répartir ?",
    )
    # 30 000 € in proportion to 1/8, 1/46, 1/22: brand 19 512 €; Google is where they run
    assert re.search(r"brand\s+19 512 €\s+65,0 %\s+8 €", reply), reply
    assert re.search(r"generic\s+3 393 €", reply) and "Canaux                       3" in reply
    assert not re.search(r"^Google\s", reply, re.M), reply


def test_leads_described_in_one_message_use_each_leads_title_and_size(conv):
    reply, _ = answer(
        conv,
        "Can you score these: Anna, CMO at a 40-person startup, downloaded 2 ebooks; Tom, "
        "student, gmail address, visited pricing once; Raj, Head of Growth at a 600-person SaaS, "
        "attended our webinar and asked for a quote.",
    )
    assert re.search(r"Raj\s+85 pts\s+SQL", reply), reply
    assert "Also read" not in reply, reply  # the titles and sizes scored their own lead


def test_a_multiplier_said_with_its_figure_scales_a_readouts_traffic(conv):
    _, again = thread_of(
        conv,
        "A/B test sur la page panier : A 14 200 visiteurs 426 commandes, B 14 150 visiteurs 481 "
        "commandes",
        "et si on avait eu 2 fois plus de trafic ?",
    )
    # the same rates on twice the visitors: 852 / 28 400 against 962 / 28 300, a projection
    assert "3,00 % (852 / 28 400)" in again and "3,40 % (962 / 28 300)" in again, again
    assert "Projection, pas un résultat" in again, again


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # the rate after its move, against the 0,5 % a send
            "désinscriptions multipliées par 5 depuis le dernier envoi (0,3 % → 1,6 %), base de "
            "60 000. c'est grave ?",
            ["Désinscriptions à 1,60 % : au-dessus de 0,5 % par envoi"],
        ),
        (  # the open-rate drop and the bounces both diagnosed
            "our open rates went from 24% to 3% overnight and bounces are at 18%. what's "
            "happening?",
            ["The open rate went from 24.0% to 3.0%", "bounce rate 18.00%: beyond the limit"],
        ),
    ],
)
def test_a_sends_unsubscribe_and_bounce_rates_are_checked_against_their_limits(
    conv, text, expected
):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    # nothing left as read but unused: the rate before the move, the bounces
    unused = reply.partition("Également lu")[2] + reply.partition("Also read")[2]
    assert "0,30 %" not in unused and "bounce" not in unused, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # 1 / 35 % = 2,86
            "quel ROAS minimum pour être rentable avec une marge brute de 35 % ?",
            [r"ROAS de rentabilité \(1 ÷ marge brute\)\s+2,86x"],
        ),
        (  # CPA 1,20 / 2,5 % = 48 € against 60 € × 40 % = 24 € left by an order: -24 € each
            "CPC moyen 1,20 €, taux de conversion 2,5 %, panier moyen 60 €, marge 40 %. on gagne "
            "de l'argent sur Google ?",
            [r"CPA de rentabilité \(panier × marge\)\s+24,00 €", r"après CPA\s+-24,00 €"],
        ),
    ],
)
def test_profitability_asked_gets_the_break_even_from_the_margin(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(re.search(e, reply) for e in expected), reply
    assert "non calculé" not in reply, reply


def test_counts_listed_each_below_the_last_are_a_funnel_without_arrows(conv):
    reply, _ = answer(
        conv,
        "our webinar had 1,400 registrants, 520 attended, 85 booked a demo. how does that compare?",
    )
    # 520 / 1,400 = 37.1 % attended, 85 / 520 = 16.3 % booked: no figures asked again
    assert "I still need" not in reply, reply
    assert re.search(r"\nregistrants\s+1,400", reply), reply
    assert re.search(r"attended\s+520\s+37\.1%", reply) and re.search(r"demo\s+85\s+16\.3%", reply)


def test_a_flow_asked_with_a_number_of_emails_has_that_many_rules(conv):
    reply, _ = answer(
        conv,
        "can you write me a 3-email cart abandonment flow? AOV is $85, 2,300 abandoned carts a "
        "week, 8% recover today",
    )
    assert re.search(r"Still no purchase at D\+3\s+Last reminder", reply), reply
    assert "184 conversions per week" in reply and "Also read" not in reply, reply  # 2,300 × 8 %


def test_platforms_said_to_claim_more_than_the_total_are_shown_counting_twice(conv):
    reply, _ = answer(
        conv,
        "attribution : on a 1 200 conversions, Google en revendique 900, Meta 600 et l'email 400. "
        "c'est normal que ça fasse plus que le total ?",
    )
    # 900 + 600 + 400 = 1 900 claimed for 1 200: 700 counted twice, 58 % of the real total
    assert "1 900 conversions pour 1 200 ventes réelles : 700 de trop (58 % du réel)" in reply
    assert "Également lu" not in reply, reply


def test_a_criterion_said_after_a_lead_score_scores_the_same_lead_again(conv):
    _, again = thread_of(
        conv,
        "lead scoring for: Director of Ops at 450-person company, opened 6 emails, visited "
        "pricing twice",
        "and she's at a competitor actually",
    )
    # 20 + 15 + 20 + 5 − 50 (competitor) = 10 points
    assert re.search(r"Lead score\s+10 pts", again) and "Competitor" in again, again


def test_a_cadence_said_again_in_the_thread_replans_the_sends(conv):
    _, again = thread_of(
        conv,
        "email list 52k, open rate 19%, CTR 1.4%, 4 sends a month",
        "what if we cut to 2 sends a month?",
    )
    calendar = again.split("Send calendar")[1].split("Send plan")[0]
    assert calendar.count("9,880") == 2, again  # two sends, 52,000 × 19 % opens each


def test_a_test_whose_sample_comes_in_days_still_runs_two_weekly_cycles(conv):
    reply, _ = answer(conv, "test plan: baseline 4%, detect +15% relative, 6,000 visitors per day")
    # 35,846 visitors at 6,000 a day: 6 days, read after two full weeks as the plan's rule says
    assert "6 days for the sample; run it 14 days (two full weekly cycles)" in reply, reply
    assert "D+14: two full weekly cycles — read the result" in reply, reply


def test_a_short_summary_keeps_the_table_of_figures(conv):
    _, short = thread_of(
        conv,
        "weekly KPIs: 30,000 sessions, 600 orders, €42,000 revenue, €9,000 ad spend",
        "can you give me a short summary for slack?",
    )
    # 600 / 30,000 = 2 % and €42,000 / 600 = €70 stay in the short version; the alerts go
    assert re.search(r"Conversion rate\s+2\.00%", short) and "€70.00" in short, short
    assert "Alerts and blockers" not in short, short


def test_lowering_an_abandonment_rate_gains_the_orders_it_stops_losing(conv):
    reply, _ = answer(
        conv,
        "notre taux d'abandon panier est de 74 %, 9 000 paniers par mois, panier moyen 65 €. si "
        "on le baisse à 65 %, ça rapporte combien ?",
    )
    # 9 000 × (74 − 65) % = 810 more orders, × 65 € = 52 650 € more, not less
    assert "donne +810 conversions, à 65,00 € chacune : +52 650 € par période" in reply, reply


def test_a_pipeline_rate_below_the_sectors_is_counted_in_missing_volume(conv):
    reply, _ = answer(
        conv,
        "Our MQL to SQL conversion is 13%, benchmark for B2B SaaS is 20-30%. we get 900 MQLs a "
        "month. how many SQLs are we missing?",
    )
    # 900 × (20 − 13) % = 63 and 900 × (30 − 13) % = 153 more a month; no lead-scoring grid
    assert "from 13.0% to 20.0% on 900 a period gives +63 conversions" in reply, reply
    assert "from 13.0% to 30.0% on 900 a period gives +153 conversions" in reply, reply
    assert "Lead scoring" not in reply and "not computed" not in reply, reply


def test_segments_listed_with_their_rates_and_a_split_are_weighed(conv):
    reply, _ = answer(
        conv,
        "we have 3 segments: new visitors convert at 0.8%, returning at 2.4%, email subscribers "
        "at 5.1%. 100k monthly visits split 60/30/10. where should personalization start?",
    )
    # conversions share: 30 × 2.4 / (60 × 0.8 + 30 × 2.4 + 10 × 5.1) = 72 / 171 = 42.1 %
    assert re.search(r"returning\s+30%\s+2\.40%\s+42\.1%", reply), reply
    assert re.search(r"email subscribers\s+10%\s+5\.10%\s+29\.8%", reply), reply
    assert "Blended conversion rate: 1.71%" in reply and "Also read" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # "resp" for respectifs: 30k in proportion to 4 / 2,8 / 1,5 (sum 8,3)
            "jveux repartir 30k sur google meta et linkedin, roas resp 4 / 2,8 / 1,5",
            [r"Google\s+14 458 €", r"LinkedIn\s+5 422 €"],
        ),
        (  # "pers" is a headcount (2 500: enterprise), "dl" a download: 20 + 15 + 30 + 10
            "lead chaud ? CMO d'une boite de 2500 pers, a dl 3 livres blancs et demandé un devis "
            "hier",
            [r"Score du lead\s+75 pts", r"« 2500 »\s+\+15", r"« livres blancs »\s+\+10"],
        ),
        (  # the ROI on the margin: (54 000 × 30 % − 18 000) / 18 000 = −10 %
            "calcule moi le ROI : 18k€ de depense, 54k€ de CA genere, marge 30%",
            [r"ROI sur marge\s+-10,00 %", r"ROAS de rentabilité \(1 ÷ marge brute\)\s+3,33x"],
        ),
        (  # "panier moy" is the basket, and "c rentable ?" a KPI the figures compute
            "nos ads meta : 12k€ depensés ce mois, 340 achats, panier moy 62€. c rentable ou pas ?",
            [r"ROAS\s+1,76x", r"CA \(commandes × panier moyen\)\s+21 080,00 €"],
        ),
    ],
)
def test_shorthand_a_marketer_types_is_read(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(re.search(e, reply) for e in expected), reply


def test_a_steps_per_period_suffix_is_not_part_of_its_name(conv):
    reply, _ = answer(conv, "tunnel de paiement : 5200 paniers/mois, 2100 commandes. où ça fuit ?")
    assert re.search(r"\npaniers\s+5 200", reply) and "paniers/mois" not in reply, reply


def test_a_holdout_said_by_its_groups_shares_is_read_as_its_readout(conv):
    reply, _ = answer(
        conv,
        "we ran a holdout on our email program: 90% got emails and converted at 4.2%, the 10% "
        "holdout converted at 3.5%. 200k contacts. is email incremental?",
    )
    # holdout 10 % of 200,000 = 20,000 at 3.5 %; emailed 180,000 at 4.2 %: 180,000 × 0.7 pt
    assert "A (control)                       3.50% (700 / 20,000)" in reply, reply
    assert "B (variant)                       4.20% (7,560 / 180,000)" in reply, reply
    assert "made 1,260 more conversions" in reply and "open rate" not in reply, reply


def test_two_groups_rates_and_the_share_of_one_give_the_blended_rate(conv):
    reply, _ = answer(
        conv,
        "trial to paid is 9% on the monthly plan and 14% on annual. 3,000 trials a month, 70% "
        "pick monthly. what's the blended conversion?",
    )
    # 70 % × 9 % + 30 % × 14 % = 10.5 %, 315 of the 3,000 trials
    assert "70% × 9.0% (monthly) + 30% × 14.0% (annual) = 10.50%, i.e. 315 of 3,000" in reply
    assert "Which one?" not in reply, reply


def test_opportunities_worth_a_value_each_are_a_pipeline_against_the_spend(conv):
    reply, _ = answer(
        conv,
        "we spent €5k on a LinkedIn campaign for our webinar, got 310 registrations, 120 "
        "attendees and 9 opportunities worth €15k each. was it worth it?",
    )
    # 9 × €15k = €135,000 of pipeline for €5,000: 27x
    assert re.search(r"Pipeline\s+€135,000", reply), reply
    assert re.search(r"Pipeline / spend\s+27\.00x", reply), reply


def test_asking_to_explain_the_p_value_explains_it_instead_of_repeating_the_readout(conv):
    first = "A/B: A 12,000 visitors 360 conversions, B 12,100 visitors 420 conversions"
    reply = thread_of(conv, first, "explain the p-value in plain words")[1]
    assert "p = 0.0388: if A and B converted the same" in reply, reply
    assert "Roll out B" not in reply, reply


def test_why_an_idea_is_first_gives_its_ice_product_and_how_ties_are_broken(conv):
    first = "ICE: quiz onboarding (8,7,6), parrainage (9,5,4), chat live (6,8,7)"
    reply = thread_of(conv, first, "pourquoi le quiz est premier ?")[1]
    assert "« quiz onboarding » passe en premier : 8 × 7 × 6 = 336" in reply, reply
    assert "départagées par l'Impact" in reply and "nombre 8" not in reply, reply
    assert "quiz onboarding — # 1 · I 8 · C 7 · E 6 · ICE 336" in reply, reply


def test_a_slash_list_of_roas_after_each_channels_share_goes_to_the_channels_in_order(conv):
    reply, _ = answer(conv, "budget 24k: email 20%, Meta 50%, Google 30%, ROAS 8 / 2.5 / 4")
    # no word says the language: the decimal point does; each channel keeps its own ROAS
    assert "Budget allocation — €24,000" in reply, reply
    assert re.search(r"\nEmail .*8\.00x", reply) and re.search(r"\nMeta .*2\.50x", reply), reply
    assert re.search(r"\nGoogle .*4\.00x", reply) and "not given" not in reply, reply


def test_prices_that_got_a_rate_of_their_visitors_are_a_pricing_test_on_revenue(conv):
    reply, notices = answer(
        conv,
        "we ran a price test on the annual plan: $199 got 4.1% of 9,800 visitors, $249 got 3.4% "
        "of 9,750. which makes more money?",
    )
    # revenue per visitor: $199 × 4.10 % = $8.16 against $249 × 3.41 % = $8.48 (+3.9 %, under 10 %)
    assert "mean $8.16" in reply and "mean $8.48" in reply and "3.9%" in reply, reply
    assert not notices and "Also read" not in reply, (reply, notices)


def test_half_the_gap_between_devices_is_priced_as_half_the_way(conv):
    reply, _ = answer(
        conv,
        "j'ai un client e-commerce mode, 2,1 % de conversion mobile et 3,4 % desktop, 70 % du "
        "trafic est mobile sur 200 000 visites/mois, panier moyen 75 €. combien on gagne si le "
        "mobile rattrape la moitié de l'écart ?",
    )
    # 140 000 mobile visits × (3,4 − 2,1) / 2 pt = 910 conversions × 75 € = 68 250 € a month
    assert "porter les 140 000 visites mobile par mois à 2,75 %" in reply, reply
    assert "910 conversions de plus, +68 250 €/mois" in reply and "136 500" not in reply, reply


def test_a_referral_programme_said_as_shares_gives_the_customers_one_cycle_brings(conv):
    reply, notices = answer(
        conv,
        "notre programme de parrainage : 3 500 clients, 12 % ont parrainé, chaque parrain amène en "
        "moyenne 1,4 filleul, 30 % des filleuls achètent. combien de nouveaux clients ?",
    )
    # K = 12 % × 1,4 × 30 % = 0,050; 3 500 × K = 176
    assert "= 0,050" in reply and "environ 176" in reply, reply
    assert "Comportement anormal" not in reply and not notices, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "need to forecast Q1: last Q1 we did 2,400 orders, we're growing 18% YoY, AOV €64. "
            "revenue forecast?",
            # 2,400 × 1.18 = 2,832 orders × €64
            "Forecast: 2,400 orders × (1 + 18%) = 2,832 orders. At an AOV of €64: €181,248",
        ),
        (
            "l'an dernier on a fait 1,2 M€ de CA, on a une croissance de 15 % par an. tu peux me "
            "faire la prévision pour cette année ?",
            "Prévision : 1 200 000 € × (1 + 15 %) = 1 380 000 €.",
        ),
    ],
)
def test_a_forecast_grows_last_periods_volume_by_the_growth_rate_said(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "our SEO traffic is 48k sessions a month, converts at 1.2%, AOV $54. if we grow "
            "organic 25% what's the revenue gain?",
            # 48,000 × 25 % = 12,000 visits × 1.2 % = 144 conversions × $54
            "12,000 more visits a month, 144 more conversions, +$7,776/month",
        ),
        (
            "notre trafic SEO fait 48 000 sessions par mois, conversion 1,2 %, panier moyen 54 €. "
            "si le trafic augmente de 25 %, combien de CA en plus ?",
            "12 000 visites de plus par mois, 144 conversions de plus, +7 776 €/mois",
        ),
    ],
)
def test_traffic_that_grows_is_priced_at_the_current_rate(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "6,221" not in reply and "6 221" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        # each euro spent brings 6.2 × 18 % = 1.116 € of margin: +11.6 %; break-even 1 / 18 %
        (
            "ROAS Google 6,2 mais la marge est de 18 %. est-ce qu'on est rentable ?",
            [r"ROI sur marge \(ROAS × marge\)\s+11,60 %", r"ROAS de rentabilité.*5,56x"],
        ),
        (
            "our ROAS is 3.1 and gross margin 40%. are we profitable?",
            [r"ROI on margin \(ROAS × margin\)\s+24\.00%", r"Break-even ROAS.*2\.50x"],
        ),
    ],
)
def test_a_roas_and_a_margin_say_whether_the_spend_pays(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(re.search(e, reply) for e in expected), reply


def test_a_cap_in_a_channels_parentheses_bounds_that_channel_and_a_cost_per_sql_is_its_cpa(conv):
    reply, _ = answer(
        conv,
        "could you allocate £45k for Q3 across LinkedIn Ads (cost per SQL £310), Google Search "
        "(£220) and Capterra (£180, max £8k spend)? We're optimising for SQLs.",
    )
    assert re.search(r"\nCapterra\s+£8,000 .*£180", reply), reply
    assert re.search(r"\nLinkedIn Ads\s+£15,358 .*£310", reply), reply
    assert re.search(r"\nGoogle Search\s+£21,642 .*£220", reply), reply


def test_a_volume_cap_in_conversions_bounds_the_channel_at_its_cpa_and_is_no_goal(conv):
    reply, _ = answer(
        conv,
        "on a 45 000 € pour novembre entre Google Search (CPA 32 €), Meta (CPA 41 €) et Bing "
        "(CPA 28 €, mais volume limité à 80 conversions/mois). comment répartir ?",
    )
    # 80 conversions × 28 € = 2 240 € at most on Bing; the rest split at 1 / CPA
    assert re.search(r"\nBing\s+2 240 € .*\s80\n", reply), reply
    assert "Objectif de 80 conversions" not in reply, reply


def test_next_weeks_money_is_split_on_each_channels_sales_at_its_own_basket(conv):
    reply, _ = answer(
        conv,
        "Facebook spend 3,400€ last week, 51 purchases at €95 avg. Google spend 2,100€, 44 "
        "purchases at €88 avg. where do I put next week's 6k?",
    )
    # ROAS: Facebook 51 × €95 / €3,400 = 1.43x, Google 44 × €88 / €2,100 = 1.84x
    assert "Budget allocation — €6,000" in reply, reply
    assert re.search(r"\nFacebook .*1\.42x", reply) and re.search(r"\nGoogle .*1\.84x", reply)
    assert "your current split brings €9,509" in reply and "Goal of 51" not in reply, reply


def test_leads_inactive_for_months_are_the_base_a_reactivation_sequence_targets(conv):
    reply, _ = answer(
        conv,
        "on a 12 000 leads dans le CRM qui n'ont rien ouvert depuis 6 mois. campagne de "
        "réactivation ?",
    )
    assert "12 000 contacts ; inactivité 180 jours" in reply, reply
    assert "Séquences multicanal" in reply and "budget dépensé" not in reply, reply


def test_a_browse_abandonment_flow_gets_its_own_rules(conv):
    reply, _ = answer(
        conv,
        "how many emails should our abandoned browse flow have and when should each go out?",
    )
    assert "Product viewed, not added to cart" in reply and "Budget allocation" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "cohort: jan signups 1,000, still active month 3: 420. feb signups 1,300, month 3: "
            "490. is retention getting worse?",
            # 420 / 1,000 = 42.0 % against 490 / 1,300 = 37.7 %: −4.3 pts, p ≈ 0.036
            "Retention: jan 42.0% (420 / 1,000), feb 37.7% (490 / 1,300). feb against jan: "
            "-4.3 pts (p = 0.0362, two-proportion z-test): a real drop",
        ),
        (
            "cohorte de janvier : 800 inscrits, 300 encore actifs à M3 ; cohorte de février : 950 "
            "inscrits, 310 actifs à M3. la rétention se dégrade ?",
            "Rétention : janvier 37,5 % (300 / 800), février 32,6 % (310 / 950)",
        ),
    ],
)
def test_cohorts_are_compared_on_the_share_still_active(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "Funnel" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "our email revenue is $84k/month from a 150k list. what's revenue per subscriber and "
            "what if we grow the list 20%?",
            # $84,000 / 150,000 = $0.56; 30,000 more contacts × $0.56 = $16,800
            "$84,000 ÷ 150,000 contacts = $0.56 per contact a month. +20% list, 30,000 more "
            "contacts at the same revenue per subscriber: $16,800 more a month",
        ),
        (
            "notre newsletter rapporte 30 000 € par mois avec une base de 60 000 abonnés. si la "
            "base augmente de 10 %, ça donne quoi ?",
            "0,50 € par contact et par mois. +10 % de base, soit 6 000 contacts de plus au même "
            "revenu par abonné : 3 000 € de plus par mois",
        ),
    ],
)
def test_an_email_list_revenue_gives_its_revenue_per_subscriber_and_the_lists_growth(
    conv, text, expected
):
    reply, _ = answer(conv, text)
    assert expected in reply and "20.0%" not in reply and "10,0 %" not in reply, reply


def test_each_channels_spend_and_cpa_against_one_ltv_say_whether_both_are_worth_it(conv):
    reply, _ = answer(
        conv,
        "we're spending $40k/month on Google Ads at a $85 CPA and $25k on Meta at $120 CPA. LTV "
        "is $600. are both channels worth it?",
    )
    # LTV/CAC: 600 / 85 = 7.06x, 600 / 120 = 5.00x, both above 3:1
    assert re.search(r"\nGoogle Ads\s+7\.06x", reply) and re.search(r"\nMeta\s+5\.00x", reply)
    assert "Every channel is above the healthy 3:1" in reply and "not computed" not in reply


def test_a_goal_we_need_is_read_back_through_its_stage_rates_to_a_budget(conv):
    reply, _ = answer(
        conv,
        "we need 400 SQLs next quarter. MQL to SQL is 25%, lead to MQL 40%. how many leads do we "
        "need and at $60 CPL what's the budget?",
    )
    # 400 ÷ 25 % ÷ 40 % = 4,000 leads × $60 = $240,000
    assert "= 4,000 leads needed" in reply and "a budget of $240,000" in reply, reply
    assert "Lead scoring" not in reply and "not computed" not in reply, reply


def test_a_p_value_with_revenue_per_visitor_before_and_after_shows_the_lift_they_make(conv):
    reply, notices = answer(
        conv, "the test lifted revenue per visitor from €3.10 to €3.30, p = 0.03. ship it?"
    )
    # 3.30 / 3.10 − 1 = +6.5 %: under the 10 % that needs a management sign-off
    assert "Relative lift  +6.5% (€3.10 → €3.30)" in reply and "Also read" not in reply, reply
    assert not notices, notices


def test_what_if_the_variant_had_another_count_changes_the_variant_not_the_control(conv):
    first = "A/B test: control 8,000 visitors 240 orders, variant 8,100 visitors 290 orders"
    reply = thread_of(conv, first, "what if the variant had 270 orders instead?")[1]
    assert "A (control)                       3.00% (240 / 8,000)" in reply, reply
    assert "B (variant)                       3.33% (270 / 8,100)" in reply, reply


def test_a_sequence_given_more_messages_over_a_longer_time_keeps_both(conv):
    first = "séquence nurturing : 4 emails sur 3 semaines pour les leads du salon"
    notices: list[str] = []
    reply = thread_of(conv, first, "passe à 6 emails sur 4 semaines", notices=notices)[1]
    assert re.search(r"Messages\s+6\n", reply) and re.search(r"Durée\s+28 jours", reply), reply
    assert not notices and "Escalad" not in reply, (reply, notices)  # no lead in it


def test_a_step_added_between_two_steps_after_a_colon_goes_there(conv):
    first = "funnel: 60,000 visits, 12,000 signups, 3,000 trials, 600 paid"
    reply = thread_of(conv, first, "add a step between trials and paid: 1,500 activated")[1]
    # trials 3,000 → activated 1,500 (50 %) → paid 600 (40 %)
    assert re.search(r"\nactivated\s+1,500\s+50\.0%", reply), reply
    assert re.search(r"\npaid\s+600\s+40\.0%", reply) and "Steps               5" in reply


def test_a_channel_added_with_a_floor_on_it_keeps_the_budget_and_bounds_that_channel(conv):
    first = "split $50k: Google ROAS 3.8, Meta ROAS 2.6"
    reply = thread_of(conv, first, "add Pinterest at ROAS 1.2 and keep at least $9k on it")[1]
    assert "Budget allocation — $50,000" in reply and re.search(r"\nPinterest\s+\$9,000", reply)
    assert "Constraints applied: Pinterest" in reply, reply


def test_a_new_effect_to_detect_is_set_not_multiplied(conv):
    first = "plan de test : taux actuel 5 %, MDE +10 % relatif, 4 000 visiteurs/jour"
    reply = thread_of(conv, first, "et si on se contente de détecter +20 % ?")[1]
    assert "6,00 % (+20,0 % relatif)" in reply and "12,0 %" not in reply, reply


def test_a_step_that_converts_at_a_rate_sets_the_rate_out_of_it(conv):
    first = "funnel: 40,000 sessions, 3,200 add to cart, 1,100 checkout, 700 purchases"
    reply = thread_of(conv, first, "what if we fix checkout and it converts at 80%?")[1]
    # 1,100 checkouts × 80 % = 880 purchases, +180
    assert "purchases 700 → 880 (+180 purchases)" in reply, reply


def test_twice_a_week_after_a_weekly_newsletter_plans_two_sends_a_week(conv):
    first = "email 80k subscribers, open rate 25%, click rate 2%, weekly newsletter"
    reply = thread_of(conv, first, "what about sending twice a week?")[1]
    sends = re.findall(r"\n(\d{4}-\d{2}-\d{2})  ", reply)
    weeks = {date.fromisoformat(d).isocalendar()[1] for d in sends}
    assert sends and len(sends) == 2 * len(weeks), reply


def test_an_idea_added_to_a_backlog_is_named_without_the_words_adding_it(conv):
    first = "ICE : webinar (7,6,5), podcast (5,5,8), SEO (8,7,3)"
    reply = thread_of(conv, first, "ajoute 'programme partenaires' avec 9, 4, 4")[1]
    assert re.search(r"\n4  programme partenaires\s+9  4  4  144", reply), reply


def test_a_weeks_figures_without_spend_get_a_report_instead_of_a_question(conv):
    reply, _ = answer(conv, "weekly: 25,000 sessions, 500 orders, €35,000 revenue")
    # 500 / 25,000 = 2 %; €35,000 / 500 = €70
    assert re.search(r"Conversion rate\s+2\.00%", reply), reply
    assert re.search(r"Average order value\s+€70\.00", reply) and "spend to date" not in reply


def test_a_readout_asked_at_99_percent_gives_its_interval_at_99_percent(conv):
    first = "A/B: A 20,000 visitors 600 conversions, B 20,000 visitors 680 conversions"
    reply = thread_of(conv, first, "and at 99% confidence?")[1]
    # 0.40 pt ± 2.576 × 0.175 pt: [-0.05; 0.85], which holds 0: not significant at 1 %
    assert "Absolute difference (99% CI)      0.40 pt [-0.05; 0.85]" in reply, reply
    assert "Not significant" in reply, reply


def test_a_segments_readout_in_the_thread_leaves_the_tests_record_alone(conv):
    first = "A/B test: control 10,000 visitors 400 signups, variant 10,000 visitors 460 signups"
    replies = thread_of(
        conv, first, "and if we only count mobile: control 6,000 / 210, variant 6,000 / 265?"
    )
    assert "B (variant)                       4.42% (265 / 6,000)" in replies[1], replies[1]
    assert "On this segment the test is significant" in replies[1], replies[1]
    assert "won, to ship (+15.0%" in replies[0] and "EXP-" not in replies[1], replies[1]


@pytest.mark.parametrize(
    "first, correction, expected",
    [
        # 14,400 → 3,600 carts: 25.0 % of product views; 1,050 orders: 29.2 % of carts
        (
            "funnel: 120k sessions, 14,400 product views, 3,100 carts, 1,050 orders",
            "oops, carts were 3,600 not 3,100",
            r"carts\s+3,600\s+25\.0%.*\norders\s+1,050\s+29\.2%",
        ),
        # 2,100 activated of 6,000 signups: 35.0 %; 540 paid of 2,100: 25.7 %
        (
            "funnel: 50,000 visits, 6,000 signups, 1,800 activated, 540 paid",
            "actually activated was 2,100",
            r"activated\s+2,100\s+35\.0%.*\npaid\s+540\s+25\.7%",
        ),
        # SEO content 6 × 9 × 5 = 270, still second behind the referral programme's 336
        (
            "ICE: referral program (8, 6, 7), SEO content (6, 7, 5), webinars (5, 5, 8)",
            "typo: SEO content confidence is 9 not 7",
            r"2  SEO content\s+6  9  5  270",
        ),
        # five emails over 21 days, not fourteen emails: one every 21 / 4 = 5.25 days
        (
            "séquence de bienvenue : 5 emails sur 14 jours pour les nouveaux inscrits",
            "pardon, 21 jours pas 14",
            r"5 messages sur 21 jours",
        ),
    ],
)
def test_a_corrected_figure_replaces_the_one_it_corrects(conv, first, correction, expected):
    reply = thread_of(conv, first, correction)[1]
    assert re.search(expected, reply), reply


def test_segments_listed_after_a_dash_are_all_planned(conv):
    reply, _ = answer(
        conv,
        "personalisation: on a 3 segments — nouveaux visiteurs (62 % du trafic, conv 1,1 %), "
        "récurrents (30 %, conv 3,4 %), clients fidèles (8 %, conv 7,9 %). par où commencer ?",
    )
    # 62 × 1.1 + 30 × 3.4 + 8 × 7.9 = 233.4: récurrents bring 102 / 233.4 = 43.7 % of conversions
    assert re.search(r"récurrents\s+30 %\s+3,40 %\s+43,7 %", reply), reply
    assert "Taux de conversion global : 2,33 %" in reply, reply


def test_a_subject_line_test_in_quotes_is_read_on_its_sends_and_opens(conv):
    reply, _ = answer(
        conv,
        "on a lancé un test sur l'objet de la newsletter : A = 'Nos nouveautés de mars' 41 200 "
        "envois 8 652 ouvertures, B = 'Vous allez adorer ça 😍' 41 150 envois 9 370 ouvertures. "
        "on garde B ?",
    )
    # 8 652 / 41 200 = 21,00 %; 9 370 / 41 150 = 22,77 %: "ça" is not a revenue ("CA")
    assert "B (variante)                     22,77 % (9 370 / 41 150)" in reply, reply
    assert "01/03" not in reply, reply  # "de mars" inside the subject line is not a date


def test_a_two_sided_level_given_as_a_percentage_is_the_tests_alpha(conv):
    reply, _ = answer(
        conv,
        "signup rate 3.2%, detect 15% relative lift, 90% power, two-sided 1%, 2.5k visitors a "
        "day. how many days?",
    )
    # the same plan as "seuil de significativité 1 %, puissance 90 %": 42,852 a variant
    assert re.search(r"Sample size\s+42,852 visitors per variant", reply), reply
    assert "alpha 0.01" in reply and "not used by this calculation" not in reply, reply


def test_a_welcome_series_for_a_first_order_opens_with_its_code_and_ends_at_the_order(conv):
    reply, _ = answer(
        conv,
        "welcome sequence for a meal-kit brand: 5 emails over 14 days, first one right after "
        "signup with a 25% code, we want people to order their first box. can you draft the plan?",
    )
    assert re.search(r"\n1\s+D0\s+Email\s+Offer: 25% code", reply), reply
    assert "demo or trial" not in reply and "Sales Handoff" not in reply, reply
    assert "First order: exit at once" in reply, reply


def test_a_workflows_last_step_without_a_delay_follows_the_step_before_it(conv):
    reply, _ = answer(
        conv,
        "workflow : quand un client n'a pas commandé depuis 60 jours, on envoie un email avec un "
        "code -10 % ; s'il n'a toujours pas commandé 7 jours après, un SMS ; puis on le passe en "
        "segment inactif",
    )
    actions = [a for a in ("On envoie un email", "Un SMS", "On le passe en segment") if a in reply]
    assert len(actions) == 3, reply
    assert reply.index("Un SMS") < reply.index("On le passe en segment inactif"), reply
    reply, _ = answer(
        conv,
        "trigger: when a user hasn't logged in for 14 days, send an email; if no login 7 days "
        "later, send a push; after that, flag for CSM. can you build the workflow?",
    )
    assert reply.index("Send a push") < reply.index("Flag for CSM"), reply


def test_an_english_list_with_no_function_word_is_answered_in_english(conv):
    reply, _ = answer(
        conv, "ICE: live chat (7, 6, 8), exit popup (5, 7, 9), loyalty program (8, 5, 3)"
    )
    # 7 × 6 × 8 = 336 first; a character n-gram model tells the language no word tells
    assert "Prioritised growth backlog (ICE)" in reply and "1  live chat" in reply, reply


@pytest.mark.parametrize(
    "message",
    [
        "taux de conversion par source le mois dernier : SEO 2,8 % (41 000 sessions), SEA 3,9 % "
        "(22 000), social 0,9 % (18 000), email 5,2 % (9 000). où mettre l'effort ?",
        "conversion rate by source last month: SEO 2.8% on 41,000 sessions, paid search 3.9% on "
        "22,000, social 0.9% on 18,000, email 5.2% on 9,000. where should we focus?",
    ],
)
def test_rates_by_channel_with_their_sessions_are_weighed_channel_by_channel(conv, message):
    reply, _ = answer(conv, message)
    # 41,000 × 2.8 % + 22,000 × 3.9 % + 18,000 × 0.9 % + 9,000 × 5.2 % = 2,636 of 90,000: 2.93 %
    assert re.search(r"2[,.]93\s?% \(2[ ,]636 conversions", reply), reply
    assert re.search(r"SEO\s+41[ ,]000\s+2[,.]8 ?%\s+1[ ,]148\s+43[,.]6 ?%", reply), reply
    assert re.search(r"(ajoute|adds) 410 conversions", reply), reply  # a point on SEO's sessions


def test_each_channels_spend_and_new_customers_give_its_cac_even_when_spent_is_said_once(conv):
    reply, _ = answer(
        conv,
        "what's our CAC by channel? google: spent $24k, 310 new customers. meta: $18k, 150 new "
        "customers. tiktok: $6k, 40 new customers. LTV is around $420",
    )
    # $24,000 / 310 = $77.42 (LTV/CAC 5.42); $18,000 / 150 = $120 (3.50); $6,000 / 40 = $150 (2.80)
    assert re.search(r"Meta\s+\$120\.00\s+3\.50x", reply), reply
    assert re.search(r"TikTok\s+\$150\.00\s+2\.80x", reply), reply


def test_a_channel_cut_with_its_share_moved_to_another_moves_that_share(conv):
    first = "budget 100k€ Q3 : Google ROAS 4,5, Meta ROAS 3,2, TikTok ROAS 2,1, LinkedIn ROAS 1,4"
    reply = thread_of(conv, first, "et si on coupe LinkedIn et qu'on remet sa part sur Google ?")[1]
    # LinkedIn's 1,4 / 11,2 of 100 000 € (12 500 €) goes to Google: 40 179 € + 12 500 € = 52 679 €
    assert re.search(r"Google\s+52 679 €", reply) and re.search(r"LinkedIn\s+0 €", reply), reply
    assert re.search(r"Meta\s+28 571 €", reply), reply  # the others keep their budget


def test_last_months_step_counts_in_order_are_compared_step_by_step(conv):
    first = "funnel: 200k visits, 18k product pages, 5,400 carts, 1,900 checkouts, 1,140 orders"
    reply = thread_of(conv, first, "compare with last month: 190k, 17k, 4,900, 1,800, 1,000")[1]
    # last month 1,000 / 190,000 = 0.53 % overall, against 0.57 % now; carts 4,900 / 17,000 = 28.8 %
    assert re.search(r"carts\s+30\.0%\s+28\.8%\s+\+1\.2 pt", reply), reply
    assert re.search(r"Overall conversion\s+0\.57%\s+0\.53%", reply), reply


def test_an_idea_removed_from_a_backlog_leaves_it(conv):
    first = "ICE: live chat (7, 6, 8), exit popup (5, 7, 9), loyalty program (8, 5, 3)"
    reply = thread_of(conv, first, "remove the exit popup, legal said no")[1]
    assert "Ideas             2" in reply and "exit popup" not in reply, reply
    assert re.search(r"2  loyalty program\s+8  5  3  120", reply), reply


def test_a_cart_reminder_gives_its_offer_to_the_touch_that_says_it(conv):
    reply, _ = answer(
        conv, "séquence relance panier : email à H+1, email à J+1 avec code -10 %, SMS à J+3"
    )
    assert re.search(r"\n2\s+J\+1\s+Email\s+Offre : code -10 %", reply), reply
    assert re.search(r"\n3\s+J\+3\s+SMS\s+Dernier rappel : le panier expire", reply), reply
    assert "Commande passée ou panier vidé" in reply and "Sales Handoff" not in reply, reply


def test_a_confidence_and_power_pair_sets_both(conv):
    reply, _ = answer(conv, "baseline 11%, MDE 10% relative, 900 visitors/day, 99/90 please")
    # alpha 1 % and power 90 %: 25,112 a variant (95/80 would be 13,247)
    assert re.search(r"Sample size\s+25,112 visitors per variant", reply), reply
    assert "alpha 0.01, power 0.9" in reply and "not used by this calculation" not in reply, reply


def test_two_prices_a_price_test_compares_without_figures_are_its_arms(conv):
    reply, notices = answer(
        conv,
        "nos tests de prix montrent que le plan à 49 € convertit mieux que celui à 39 €, bizarre "
        "non ?",
    )
    # the prices name the arms: the readout asks for both arms' visitors and conversions
    assert "visiteurs et conversions de chaque version" in reply and "dépense" not in reply, reply
    assert "A (contrôle) : montant 49 €" in reply, reply


def test_a_devices_rate_with_its_share_in_brackets_among_three_devices_prices_its_gap(conv):
    reply, _ = answer(
        conv,
        "taux de conv par device : mobile 1,2 % (65 % du trafic), desktop 3,1 %, tablette 2,0 % "
        "(5 %). 120 000 visites/mois, panier moyen 58 €. on gagne combien si le mobile monte à 2 % ?",
    )
    # 120 000 × 65 % = 78 000 mobile visits × (2,0 − 1,2) % = 624 conversions × 58 € = 36 192 €
    assert "+36 192 €/mois" in reply and "624 conversions de plus" in reply, reply


def test_a_gmail_address_meets_a_grids_personal_email_rule_once(conv):
    reply, _ = answer(
        conv,
        "lead scoring: notre grille : directeur +25, PME 50-500 salariés +15, demande de démo +40, "
        "téléchargement +10, email perso -20. seuil MQL 60. Lead : directeur commercial d'une boîte "
        "de 120 personnes, a téléchargé le guide, adresse gmail. MQL ?",
    )
    # 25 + 15 + 10 − 20 = 30: below the grid's MQL threshold of 60
    assert re.search(r"Score du lead\s+30 pts", reply), reply
    assert re.search(r"email perso\s+✓\s+-20", reply), reply


def test_rates_on_each_channels_clicks_give_the_channels_conversions(conv):
    reply, _ = answer(
        conv,
        "paid social breakdown for october: facebook 1.4% conversion on 38k clicks, instagram 0.9% "
        "on 51k, pinterest 2.2% on 9k. where do we put more budget?",
    )
    # 38,000 × 1.4 % + 51,000 × 0.9 % + 9,000 × 2.2 % = 532 + 459 + 198 = 1,189 of 98,000: 1.21 %
    assert "conversions 1,189, clicks 98,000" in reply and "1.21%" in reply, reply
    assert re.search(r"Pinterest\s+2\.20%", reply), reply


def test_a_trials_worth_is_the_arpu_times_the_share_of_trials_that_pay(conv):
    reply, _ = answer(
        conv,
        "hey, quick one: our pricing page test ended. control 22,300 visitors, 446 trials. new "
        "layout 22,100 visitors, 530 trials. trial to paid is ~18% on both, ARPU $49/mo. can we "
        "call it and roll out monday?",
    )
    # $49 × 18 % × 2.00 % = $0.18 a visitor for A, × 2.40 % = $0.21 for B; +$35 per 1,000 visitors
    assert "At $49 (ARPU) × 18% (trial to paid) a conversion" in reply, reply
    assert "A $0.18, B $0.21" in reply and "+$35 more" in reply, reply


def test_a_partners_newsletter_is_a_channel_of_its_own_with_one_send_to_its_list(conv):
    reply, _ = answer(
        conv,
        "we've got 3 weeks and €15k to promote a webinar on march 20. channels: linkedin ads, "
        "email to our 25k database, partner newsletter. target 600 registrations. plan?",
    )
    assert "Channels: LinkedIn Ads, Email, Partner newsletter" in reply, reply
    assert "Dedicated send in the partner's newsletter" in reply, reply


def test_a_request_for_pricing_after_no_demo_yet_is_a_demo_request_and_makes_the_lead_hot(conv):
    notices: list[str] = []
    _, reply = thread_of(
        conv,
        "lead: head of growth at a 300-person fintech, opened 5 emails, attended our webinar, "
        "no demo yet",
        "she just asked for pricing",
        notices=notices,
    )
    # 20 (head of growth) + 15 (300 people) + 10 (fintech) + 30 (pricing asked) + 10 + 5 = 90
    assert "90 pts" in reply and "Requested a demo or a quote" in reply, reply
    assert any("Demo/pricing request" in n for n in notices), notices
    assert any("Lead score > 80" in n for n in notices), notices


@pytest.mark.parametrize(
    "first, then, expected",
    [
        (
            "funnel du mois : 84 000 visites, 9 200 fiches produit vues, 2 300 ajouts panier, "
            "610 commandes",
            "et en ajoutant l'étape checkout à 1 050 entre panier et commande ?",
            r"checkout\s+1 050\s+45,7 %.*\n.*commandes\s+610\s+58,1 %",
        ),
        (
            "funnel: 50,000 visitors, 6,000 signups, 1,800 activated, 400 paid",
            "add checkout started 900 before paid",
            r"checkout started\s+900\s+50\.0%.*\n.*paid\s+400\s+44\.4%",
        ),
    ],
)
def test_a_step_added_between_two_steps_goes_there_and_the_rates_follow(
    conv, first, then, expected
):
    _, reply = thread_of(conv, first, then)
    assert re.search(expected, reply), reply


def test_a_cpl_by_channel_with_mql_rates_in_channel_order_gives_each_channels_cost_per_mql(conv):
    reply, _ = answer(
        conv,
        "CPL by channel last quarter: webinars €38 (420 leads), paid search €61 (910 leads), "
        "content syndication €24 (1,300 leads). MQL rate 45%, 22%, 9%. which channel is actually "
        "cheapest per MQL?",
    )
    # €38 / 45 % = €84.44, €61 / 22 % = €277.27, €24 / 9 % = €266.67; 420 × 45 % = 189 MQLs
    assert re.search(r"Webinars\s+€84\.44\s+189", reply), reply
    assert re.search(r"Paid search\s+€277\.27\s+200", reply), reply
    assert re.search(r"Content syndication\s+€266\.67\s+117", reply), reply
    assert "Webinars has the lowest cost per MQL" in reply and "Budget needed" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "cohort retention: jan signups 1,200 → month1 540, month2 410, month3 360; feb signups "
            "1,450 → 610, 470; mar 1,300 → 520. is retention getting worse?",
            # month 1: 540 / 1,200 = 45.0 %, 610 / 1,450 = 42.1 %, 520 / 1,300 = 40.0 %
            [
                "Retention at month1: jan 45.0% (540 / 1,200), feb 42.1% (610 / 1,450), mar 40.0% "
                "(520 / 1,300). mar against jan: -5.0 pts (p = 0.0115",
                "Retention at month2: jan 34.2% (410 / 1,200), feb 32.4% (470 / 1,450)",
                "3 cohorts",
            ],
        ),
        (
            "rétention par cohorte : janvier 2 000 inscrits → M1 900, M2 700, M3 610 ; février "
            "2 300 → M1 980, M2 760 ; mars 2 100 → M1 820. ça se dégrade ?",
            [
                "Rétention à M1 : janvier 45,0 % (900 / 2 000), février 42,6 % (980 / 2 300), mars "
                "39,0 % (820 / 2 100)",
                "Rétention à M2 : janvier 35,0 % (700 / 2 000), février 33,0 % (760 / 2 300)",
            ],
        ),
    ],
)
def test_cohorts_measured_month_by_month_are_compared_at_each_month(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected) and "not used" not in reply, reply


@pytest.mark.parametrize(
    "text, offered, ends",
    [
        (
            "email welcome series for our yoga studio app: 4 emails over 10 days, goal first class "
            "booking, offer free first class on email 2",
            r"2\s+D\+3\s+Email\s+Offer: free first class",
            "- Goal reached — first class booking: exit the sequence at once.\n- Unsubscribe",
        ),
        (
            "série de bienvenue pour notre boutique de thé : 3 emails sur 7 jours, livraison "
            "offerte dans l'email 2",
            r"2\s+J\+4\s+Email\s+Offre : livraison offerte",
            "- Première commande : sortie immédiate",
        ),
    ],
)
def test_an_offer_in_words_goes_to_the_numbered_email_of_a_welcome_series(
    conv, text, offered, ends
):
    reply, _ = answer(conv, text)
    assert re.search(offered, reply) and ends in reply, reply
    assert "Sales Handoff" not in reply and "vente (Sales Handoff)" not in reply, reply


def test_a_touch_added_after_the_last_day_lengthens_the_sequence_and_takes_a_theme(conv):
    _, reply = thread_of(
        conv,
        "séquence panier abandonné : 3 emails sur 5 jours, code -10 % au dernier",
        "ajoute un SMS à J+6",
    )
    assert "4 messages sur 6 jours" in reply, reply
    assert re.search(r"4\s+J\+6\s+SMS\s+Dernier rappel : le panier expire bientôt", reply), reply
    assert re.search(r"3\s+J\+5\s+Email\s+Offre : code -10 %", reply), reply


@pytest.mark.parametrize(
    "text, exit_row",
    [
        (
            "je veux un workflow de réactivation : clients sans achat depuis 90 jours, email J0 "
            "avec -15 %, relance J+5 si pas ouvert, SMS J+10 si toujours rien, puis sortie du flux",
            r"J\+10 — si toujours rien\s+SMS\s*\n.*— ensuite\s+Sortie du flux",
        ),
        (
            "trial signup workflow: welcome email D0, tips email D+3 if not activated, call from "
            "sales D+7 if still not activated, then exit the flow",
            r"D\+7 — if still not activated\s+Call from sales\s*\n.*— then\s+Exit the flow",
        ),
    ],
)
def test_leaving_the_workflow_said_last_is_its_last_rule(conv, text, exit_row):
    reply, _ = answer(conv, text)
    assert re.search(exit_row, reply), reply


@pytest.mark.parametrize(
    "text, raised",
    [
        # 1.12 × 71 / 86 = 0.925: revenue per visitor -7.5 %, under the 10 % of a sign-off
        (
            "landing page test: variant has 12% more conversions but AOV dropped from €86 to €71. ship it?",
            False,
        ),
        (
            "test landing : la variante fait +12 % de conversions mais le panier moyen passe de "
            "86 € à 71 €. on déploie ?",
            False,
        ),
        # 1.30 × 58 / 60 = 1.257: +25.7 %
        (
            "test on the cart page: variant has 30% more orders and AOV went from €60 to €58. ship it?",
            True,
        ),
    ],
)
def test_a_share_more_conversions_and_a_basket_that_moved_net_out_before_a_sign_off(
    conv, text, raised
):
    reply, notices = answer(conv, text)
    assert bool(notices) == raised, (reply, notices)
    assert not raised or "+25.7 %" in notices[0], notices


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "NPS survey: 420 responses, 180 promoters, 150 passives, 90 detractors. last quarter "
            "NPS was 31. better or worse?",
            # (180 − 90) / 420 = 21.4; margin 1.96 × √((0.429 + 0.214 − 0.214²) / 420) = 7.4
            "NPS: 21.4 pts against 31.0 pts the previous period (-9.6). The gap is beyond the "
            "±7.4 pts margin",
        ),
        (
            "enquête NPS : 380 réponses, 150 promoteurs, 140 passifs, 90 détracteurs. le "
            "trimestre dernier le NPS était de 28. on progresse ?",
            "NPS : 15,8 pts contre 28,0 pts la période précédente (-12,2)",
        ),
    ],
)
def test_a_past_quarters_nps_is_compared_with_the_one_the_counts_give(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply


def test_a_campaign_aimed_at_a_job_title_is_planned_for_those_people(conv):
    reply, _ = answer(
        conv,
        "I want to run a 4-week LinkedIn campaign for our webinar on AI in finance: €6,000, target "
        "CFOs at companies 500+ employees, goal 300 registrations",
    )
    assert "- Target: CFOs at companies 500+ employees" in reply, reply
    assert "job title" not in reply and "€20.00 per conversion" in reply, reply
    french, _ = answer(
        conv,
        "campagne LinkedIn de 6 semaines pour notre livre blanc, 9 000 €, on vise les DAF de PME "
        "de 50 à 250 salariés, objectif 400 leads",
    )
    assert "Planning de campagne" in french and "Lead scoring" not in french, french


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "newsletter B2B : 45 000 abonnés, taux d'ouverture 24 %, CTR 2,1 %, 12 démos par envoi. "
            "on envoie 2 fois par mois. si on passe à 4 envois, on gagne combien de démos ?",
            "À 4 envois par mois au lieu de 2 : 48 démos au lieu de 24 (+24)",
        ),
        (
            "our newsletter goes to 60k subscribers, 35 orders per send, we send once a week. what "
            "if we go to 3 sends a week?",
            "At 3 sends a week instead of 1: 105 orders instead of 35 (+70)",
        ),
    ],
)
def test_more_sends_are_priced_at_the_results_of_one_send(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "not used" not in reply and "sans effet" not in reply, reply


def test_platforms_claiming_more_than_the_real_total_said_before_it_are_deduplicated(conv):
    reply, _ = answer(
        conv,
        "attribution: on a 3 canaux, Google Ads réclame 410 conversions, Meta 380, emailing 260, "
        "mais le total réel est de 720 commandes. comment on démêle ça ?",
    )
    # 410 + 380 + 260 = 1 050 claimed for 720: 330 too many, 46 % of the real total
    assert "s'attribuent 1 050 conversions pour 720 ventes réelles : 330 de trop (46 %" in reply
    assert "Également lu" not in reply, reply


@pytest.mark.parametrize(
    "first, then, expected",
    [
        (
            "split 40k between Google (ROAS 5.2) and Meta (ROAS 3.1)",
            "why does Meta get less?",
            # 5.2 / 8.3 = 62.7 %, 3.1 / 8.3 = 37.3 %
            "Each channel gets a share equal to its ROAS over the sum of the ROAS: Google 62.7%, "
            "Meta 37.3%",
        ),
        (
            "répartis 30k€ : Google ROAS 4, Meta ROAS 2",
            "pourquoi Meta a moins ?",
            "Chaque canal reçoit une part égale à son ROAS divisé par la somme des ROAS : Google "
            "66,7 %, Meta 33,3 %",
        ),
    ],
)
def test_why_a_channel_gets_less_is_answered_from_the_weights_of_the_split(
    conv, first, then, expected
):
    _, reply = thread_of(conv, first, then)
    assert expected in reply, reply


def test_two_years_written_one_after_the_other_are_compared_not_read_as_a_test(conv):
    reply, _ = answer(
        conv,
        "compare our Black Friday this year vs last: 2025: 412k sessions, 9,800 orders, €686k "
        "revenue. 2026: 455k sessions, 10,100 orders, €677k revenue",
    )
    assert re.search(r"Revenue\s+€677,000\s+€686,000\s+-1\.3%", reply), reply
    # 677,000 / 455,000 = €1.49 against 686,000 / 412,000 = €1.67: -10.6 %
    assert re.search(r"Revenue per visitor\s+€1\.49\s+€1\.67\s+-10\.6%", reply), reply
    assert "A/B" not in reply and "SRM" not in reply, reply


@pytest.mark.parametrize(
    "text, rows, said",
    [
        (
            "we have 3 segments: new visitors 58% of traffic converting at 0.9%, returning 35% at "
            "3.2%, loyal 7% at 7.5%. monthly traffic 200k, AOV €52. where's the upside?",
            # 200k × 58 % = 116,000 × 0.9 % = 1,044; 70,000 × 3.2 % = 2,240; 14,000 × 7.5 % = 1,050
            [r"new visitors\s+116,000\s+0\.9%\s+1,044", r"returning\s+70,000\s+3\.2%\s+2,240"],
            "Overall rate: 2.17% (4,334 conversions from 200,000 sessions)",
        ),
        (
            "nos segments : nouveaux visiteurs 60 % du trafic, conversion 1,0 % ; récurrents 32 % à "
            "3,4 % ; abonnés 8 % à 8,2 %. 90 000 visites par mois, panier moyen 48 €. où est le "
            "potentiel ?",
            [r"nouveaux visiteurs\s+54 000\s+1,0 %\s+540", r"abonnés\s+7 200\s+8,2 %\s+590"],
            "Taux global : 2,34 % (2 110 conversions sur 90 000 sessions)",
        ),
    ],
)
def test_segments_listed_with_their_share_and_rate_are_weighed_on_the_traffic(
    conv, text, rows, said
):
    reply, _ = answer(conv, text)
    assert all(re.search(r, reply) for r in rows) and said in reply, reply
    assert "Also read" not in reply and "Également lu" not in reply, reply


def test_a_funnel_with_its_spend_says_what_each_step_cost_and_what_it_brought_back(conv):
    reply, _ = answer(
        conv,
        "our webinar had 1,200 registrants, 480 attended, 95 booked a demo, 22 became customers "
        "at €6k ACV. was it worth the €14k we spent?",
    )
    # €14,000 / 22 = €636.36 a customer; 22 × €6,000 = €132,000 = 9.4 × €14,000
    assert "For the €14,000 spent: €11.67 per “registrants”" in reply, reply
    assert "€636.36 per “customers”. The revenue is 9.4 times the spend." in reply
    assert "spend €14,000" not in reply, reply


def test_a_price_per_month_is_the_prices_not_the_next_figures(conv):
    reply, _ = answer(
        conv,
        "test A/B prix : A à 29 €/mois 4 100 visiteurs 205 essais, B à 35 €/mois 4 050 visiteurs "
        "178 essais. lequel rapporte le plus ?",
    )
    # 29 € × 205 / 4 100 = 1,45 € a visitor against 35 € × 178 / 4 050 = 1,54 €
    assert "moyenne 1,45 €" in reply and "moyenne 1,54 €" in reply, reply
    assert "il me manque" not in reply, reply


def test_a_level_said_after_a_question_naming_a_rate_is_that_rate(conv):
    reply, _ = answer(
        conv,
        "retention is bad, what's a good churn rate for a B2C subscription box? we're at 11% "
        "monthly with 8,400 subscribers and €32 ARPU",
    )
    # 8,400 × 11 % = 924 lost a month; €32 / 11 % = €290.91 of LTV
    assert re.search(r"Customers lost a month\s+924", reply), reply
    assert re.search(r"LTV\s+€290\.91", reply) and "Also read" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Q3 numbers by channel: Google spend €42k revenue €189k, Meta spend €31k revenue €87k, "
            "LinkedIn spend €18k revenue €22k. which one do we cut?",
            "To cut first: LinkedIn, with the lowest ROAS (1.22x)",  # €22k / €18k
        ),
        (
            "chiffres du T3 par canal : Google dépense 42 k€ CA 189 k€, Meta dépense 31 k€ CA 87 k€, "
            "LinkedIn dépense 18 k€ CA 22 k€. on arrête lequel ?",
            "À couper en premier : LinkedIn, au ROAS le plus bas (1,22x)",
        ),
    ],
)
def test_the_channel_to_cut_first_is_the_lowest_return_when_asked(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "hey! quick sanity check: our open rate jumped from 21% to 38% overnight after "
            "switching ESP, nothing else changed. too good to be true?",
            "The open rate went from 21.0% to 38.0% (+81.0%): a leap that size",
        ),
        (
            "depuis qu'on est passés sur Brevo, le taux d'ouverture est passé de 19 % à 35 %. "
            "c'est réel ?",
            "Le taux d'ouverture est passé de 19,0 % à 35,0 % (+84,2 %) : un bond de cette taille",
        ),
    ],
)
def test_an_open_rate_that_leaps_after_a_new_tool_is_judged_on_clicks(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and ("Judge on clicks" in reply or "Jugez sur les clics" in reply)


@pytest.mark.parametrize(
    "request_, follow_up, expected",
    [
        (
            "how many visitors do I need per variant to detect a lift from 4% to 4.6% conversion "
            "with 80% power?",
            "and with 90% power?",
            ("4.60% (+0.60 point)", "power 0.9"),
        ),
        (
            "combien de visiteurs par variante pour passer de 4 % à 4,6 % de conversion, "
            "avec 80 % de puissance ?",
            "et à 99 % de confiance ?",
            ("4,60 % (+0,60 point)", "alpha 0.01"),
        ),
    ],
)
def test_a_new_power_or_confidence_keeps_the_rates_of_the_plan(conv, request_, follow_up, expected):
    replies = thread_of(conv, request_, follow_up)
    assert all(e in replies[-1] for e in expected), replies[-1]


@pytest.mark.parametrize(
    "follow_up, expected",
    [
        ("what if we got checkout to 800?", "orders 410 → 512"),  # 800 × 410 / 640
        ("et si on passait les checkouts à 800 ?", "orders 410 → 512"),
        ("and with 160 more checkouts?", "orders 410 → 512"),
    ],
)
def test_a_step_set_to_a_count_recomputes_the_later_steps(conv, follow_up, expected):
    replies = thread_of(
        conv,
        "funnel last month: 48,000 visits → 9,600 product views → 2,100 add to carts → "
        "640 checkouts → 410 orders. where's the biggest leak?",
        follow_up,
    )
    assert expected in replies[-1], replies[-1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "ROAS par campagne sur novembre : Brand 9,4 (dépense 6 000 €), Generic 2,1 (dépense "
            "22 000 €), Shopping 4,3 (dépense 15 000 €), Retargeting 6,8 (dépense 4 000 €). où "
            "mettre les 10 000 € de plus de décembre ?",
            ["Brand        6 000 €", "Retargeting  4 000 €", "Les 10 000 € de plus"],
        ),
        (
            "ROAS by campaign in november: brand 9.4 (spend €6,000), generic 2.1 (spend "
            "€22,000), shopping 4.3 (spend €15,000). where do we put the extra €10k in december?",
            ["brand     €6,000", "generic   €22,000", "The extra €10,000"],
        ),
    ],
)
def test_campaigns_listed_with_their_spend_in_brackets_share_the_extra(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "monthly report for october: sessions 124k (sept 118k), leads 1,480 (sept 1,390), "
            "SQLs 212 (sept 240), closed deals 31 (sept 29), revenue €186k (sept €171k)",
            [r"Monthly report", r"SQLs\s+212\s+240\s+-11\.7%", r"Customers\s+31\s+29\s+\+6\.9%"],
        ),
        (
            "rapport mensuel d'octobre : sessions 124k (sept 118k), leads 1 480 (sept 1 390), "
            "CA 186 k€ (sept 171 k€)",
            [r"Rapport mensuel", r"CA\s+186 000 €\s+171 000 €\s+\+8,8 %"],
        ),
        (
            "Tu peux me faire un rapport mensuel pour le COMEX ? CA 1,2 M€ (+8 % vs octobre), "
            "3 400 commandes, taux de conversion 2,3 %, CPA 38 €",
            [r"Taux de conversion\s+2,30 %\s+donné", r"Commandes\s+3 400\s"],
        ),
        (
            "monthly report for the board: revenue $540k (+5% vs last month), 2,100 orders, "
            "conversion rate 1.8%, email open rate 24%",
            [r"Conversion rate\s+1.80%\s+given", r"Open rate\s+24%\s+given"],
        ),
    ],
)
def test_a_report_compares_last_months_figures_and_keeps_its_given_rates(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(re.search(e, reply) for e in expected), reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we spend €12k/month on LinkedIn ads with a CPL of €140 and only 6% of those leads "
            "become opportunities. our avg deal is €18k with 25% win rate. is LinkedIn worth it?",
            # 12 000 / 140 = 85.7 leads × 6 % × 25 % = 1.29 deals × 18 000 = 23 143 €
            [r"ROAS\s+1\.93x", r"CPA\s+€9,333\.33", "= 1.3 at the end"],
        ),
        (
            "on dépense 12 k€ par mois sur LinkedIn, CPL 140 €, 6 % des leads deviennent des "
            "opportunités et on en signe 25 %. contrat moyen 18 k€. ça vaut le coup ?",
            [r"ROAS\s+1,93x", r"CPA\s+9 333,33 €", "23 143 € de CA"],
        ),
    ],
)
def test_a_channels_spend_at_its_cost_per_lead_runs_through_the_pipeline(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(re.search(e, reply) for e in expected), reply


def test_a_report_of_leads_beside_revenue_computes_no_basket_from_the_leads(conv):
    reply, _ = answer(
        conv,
        "monthly report for october: sessions 124k (sept 118k), leads 1,480 (sept 1,390), "
        "revenue €186k (sept €171k)",
    )
    assert "Revenue per visitor" in reply and "Average order value" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "email A/B: subject with emoji 18.4% open on 20k, without 17.9% on 20k. significant?",
            ["A (control)                       17.90% (3,580 / 20,000)", "Not significant"],
        ),
        (
            "test A/B : avec vidéo 3,1 % de conversion sur 8 000 visiteurs, sans vidéo 2,6 % sur "
            "8 100 visiteurs",
            ["B (variante)                     3,10 % (248 / 8 000)", "p-value"],
        ),
    ],
)
def test_arms_named_by_what_one_has_and_the_other_lacks_are_read_out(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


def test_a_click_rate_pair_after_a_readout_is_read_in_the_requests_order_of_arms(conv):
    replies = thread_of(
        conv,
        "email A/B: subject with emoji 18.4% open on 20k, without 17.9% on 20k. significant?",
        "what about clicks: 1.9% vs 2.3%?",
    )
    # with emoji (B) first in both messages: B clicks 1.9 % of 20 000, A (without) 2.3 %
    assert "B (variant)                       1.90% (380 / 20,000)" in replies[-1], replies[-1]
    assert "Keep A" in replies[-1]


def test_a_funnel_of_one_channel_is_costed_at_that_channels_spend(conv):
    reply, _ = answer(
        conv,
        "funnel webinar : 2 400 inscrits, 980 présents, 210 demandes de démo, 63 clients. le "
        "webinar a coûté 9 000 €",
    )
    assert "Pour 9 000 € dépensés" in reply and "142,86 € par « clients »" in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "on veut lancer un programme de parrainage : 15 000 clients actifs, panier moyen "
            "65 €, on pense offrir 10 € au parrain et au filleul. ça vaut le coup ?",
            "20 € de récompenses (10 € + 10 €), soit 30,8 % de sa première commande (65 €)",
        ),
        (
            "referral program idea: give $15 to both the referrer and the friend, AOV $90, 40% "
            "gross margin. worth it?",
            "$30 in rewards ($15 + $15); their first order leaves $36.00 of margin",
        ),
    ],
)
def test_a_reward_given_to_both_sides_of_a_referral_is_counted_twice(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "- panier moyen 65 €" not in reply, reply  # no figure as an idea


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "what sample size for an A/B test on a 0.8% conversion rate if we want to detect a "
            "15% relative lift?",
            "0.92% (+15.0% relative)",
        ),
        (
            "quelle taille d'échantillon pour un taux de conversion de 0,8 % si on veut détecter "
            "une hausse de 15 % relative ?",
            "0,92 % (+15,0 % relatif)",
        ),
    ],
)
def test_a_relative_lift_wanted_is_an_effect_not_the_rate_to_reach(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply


@pytest.mark.parametrize(
    "text",
    [
        "CPC went from €0.80 to €1.45 on Meta in two weeks and CTR dropped from 1.2% to 0.7%. "
        "what's going on?",
        "le CPC Meta est passé de 0,80 € à 1,45 € en deux semaines et le CTR de 1,2 % à 0,7 %, "
        "on fait quoi ?",
    ],
)
def test_costs_that_move_without_a_test_are_diagnosed_without_a_revenue_sign_off(conv, text):
    reply, notices = answer(conv, text)
    assert notices == [] and ("CPM" in reply), (notices, reply)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "séquence de relance devis : 3 emails à J+2, J+5, J+10 après l'envoi du devis",
            ["J+10   Email  Dernier rappel"],
        ),
        (
            "follow-up sequence: emails on day 1, day 4 and day 9 after the demo",
            ["D+1    Email    Value: educational content", "D+9    Email    Last reminder"],
        ),
    ],
)
def test_what_the_delays_count_from_is_no_touchs_content(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


def test_a_launch_plan_targets_the_audience_named_after_a_goal_and_no_lead_is_suggested(conv):
    reply, notices = answer(
        conv,
        "we're planning a product launch campaign for our new CRM integration on march 15. "
        "budget €25k, target: 400 trial signups, audience: ops managers at SaaS companies "
        "50-500 employees",
    )
    assert "Target: ops managers at SaaS companies 50-500 employees" in reply, reply
    assert "Channels: CRM" not in reply and "Possibly" not in reply and notices == [], reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "our churn went from 3.2% to 5.8% monthly since we raised prices by 15% in "
            "september. 6,200 subscribers at €49. should we roll back?",
            # before the raise: €49 / 1.15 = €42.61 a month; LTV €42.61 / 3.2 % = €1,331.52
            [r"ARPU\s+€49\s+€42\.61\s+\+15\.0%", r"LTV\s+€844\.83\s+€1,331\.52\s+-36\.6%"],
        ),
        (
            "depuis qu'on a augmenté nos prix de 10 %, le churn mensuel est passé de 2,5 % à "
            "3,1 %. 4 000 abonnés à 33 €. on garde ?",
            [r"ARPU\s+33 €\s+30,00 €\s+\+10,0 %", r"LTV\s+1 064,52 €\s+1 200,00 €\s+-11,3 %"],
        ),
    ],
)
def test_a_price_raised_by_a_share_sets_the_price_before_the_churn_moved(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(re.search(e, reply) for e in expected), reply


def test_a_journey_with_its_order_value_shows_each_models_credit_in_money(conv):
    reply, _ = answer(
        conv,
        "attribution question: a customer saw a Meta ad, then clicked a Google search ad, then "
        "opened our newsletter and bought for €240. how much credit does each get under linear "
        "and time decay?",
    )
    assert "33% (€80)" in reply and "40% (€96)" in reply and "needs the touch dates" in reply
    assert "€240 (Newsletter)" not in reply, reply  # the order value is used, not left over


def test_an_abandoned_cart_workflow_keeps_the_users_delays_and_leaves_none_unused(conv):
    reply, _ = answer(
        conv,
        "crée une séquence de relance panier abandonné : email à 1h, email à 24h avec code "
        "-10 %, SMS à 72h. exclure ceux qui ont acheté.",
    )
    assert re.search(r"à 72h\s+SMS", reply) and "délai J+3" not in reply, reply
    assert "hors de ce workflow, 1 message automatique" in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Q4 paid media: Google €48k spend / 1,150 conversions, Meta €36k / 620, Microsoft Ads "
            "€9k / 240. target CPA is €45. who's over?",
            # €36,000 / 620 = €58.06, 29 % over the target; Google €41.74, Microsoft Ads €37.50
            ["Over the €45 CPA target: Meta (€58.06, +29.0%).", "Microsoft Ads  €37.50"],
        ),
        (
            "T4 : Google 48 k€ de dépense / 1 150 conversions, Meta 36 k€ / 620, Bing 9 k€ / 240. "
            "objectif de CPA 45 €, qui dépasse ?",
            ["Au-dessus de l'objectif de CPA de 45 € : Meta (58,06 €, +29,0 %)."],
        ),
    ],
)
def test_pairs_named_once_give_each_channels_cost_against_the_target(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


def test_a_holdout_with_each_groups_size_gives_the_incremental_revenue_without_srm(conv):
    reply, _ = answer(
        conv,
        "we ran a holdout test on our email program: emailed group 50,000 users 2.9% purchase, "
        "holdout 5,000 users 2.4%. what's the incremental revenue if AOV is €70?",
    )
    # 50 000 × (2.9 % − 2.4 %) = 250 orders × €70 = €17,500
    assert "250 more conversions" in reply and "€17,500 of incremental revenue" in reply, reply
    assert "MISMATCH" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "MQL to SQL rate by source: webinar 34%, ebook 9%, demo request 71%, paid social 12%. "
            "where should marketing focus?",
            "Ranked by rate: demo request 71.0%, webinar 34.0%, paid social 12.0%, ebook 9.0%.",
        ),
        (
            "taux MQL→SQL par source : webinar 34 %, ebook 9 %, demande de démo 71 %, social "
            "payant 12 %. on se concentre où ?",
            "Classement par taux : demande de démo 71,0 %, webinar 34,0 %, social payant 12,0 %",
        ),
    ],
)
def test_sources_ranked_by_their_rate_raise_no_demo_request(conv, text, expected):
    reply, notices = answer(conv, text)
    assert expected in reply and notices == [], (notices, reply)


@pytest.mark.parametrize(
    "follow_up, expected",
    [
        ("and if AOV is €80 for A and €74 for B?", "A €2.40, B €2.51 (+4.5%)"),
        ("et avec un panier moyen de 80 € pour A et 74 € pour B ?", "A 2,40 €, B 2,51 € (+4,5 %)"),
    ],
)
def test_a_basket_named_after_each_figure_goes_to_that_version(conv, follow_up, expected):
    replies = thread_of(
        conv, "A/B test: A 12,000 visitors 360 orders, B 12,100 visitors 410 orders", follow_up
    )
    # A: 360 × €80 / 12,000 = €2.40; B: 410 × €74 / 12,100 = €2.51 (+4.5 %)
    assert expected in replies[-1], replies[-1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "campaign tracking week 2: spent €8,400 of €20,000, 96 leads so far, goal 300 leads "
            "by end of month (4 weeks)",
            # 14 of 28 days: 96 × 2 = 192 leads; (€20,000 − €8,400) / (300 − 96) = €56.86
            "Goal of 300: at this pace, 192 (64.0%); the 204 still missing need €56.86 each",
        ),
        (
            "suivi campagne semaine 2 sur 4 : 8 400 € dépensés sur 20 000 €, 96 leads, objectif "
            "300 leads",
            "Rythme : 14 jours sur 28 (50,0 % du temps)",
        ),
    ],
)
def test_a_campaign_paced_in_weeks_is_projected_against_its_goal(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply


@pytest.mark.parametrize(
    "text, expected, signed_off",
    [
        (
            "le test A/B sur le bouton du panier : A 9 800 visiteurs 294 commandes, B 9 750 "
            "visiteurs 351 commandes. le CA du panier représente 60 % du CA total. on déploie ?",
            # 3.00 % → 3.60 %: +20.0 % of conversions × 60 % of revenue = +12.0 %
            "déplace le CA total d'environ +12,0 %",
            True,
        ),
        (
            "pricing page test for 3 weeks. old page: 22,300 visitors, 412 trials. new page: "
            "22,150 visitors, 489 trials. can we roll it out? trials are about 30% of our new MRR",
            # 1.85 % → 2.21 %: +19.5 % × 30 % = +5.8 %, under the 10 % sign-off threshold
            "moves total revenue by about +5.8%",
            False,
        ),
        (
            "le nouveau tunnel de paiement contre l'ancien : A 11 200 sessions, 448 ventes, B 11 150 "
            "sessions, 513 ventes. tout le CA passe par là, on bascule ?",
            # 4.00 % → 4.60 %: +15.0 % of sales, and the page carries the whole revenue
            "déplace le CA total d'environ +15,0 %",
            True,
        ),
        (
            "signup flow test, old 7,400 visitors and 296 trials, new 7,380 visitors and 310 trials. "
            "this flow brings in all our revenue, ok to ship?",
            # 4.00 % → 4.20 %: +5.0 %, on the whole revenue still under the threshold
            "moves total revenue by about +5.0%",
            False,
        ),
    ],
)
def test_a_conversion_lift_moves_the_share_of_revenue_it_makes(conv, text, expected, signed_off):
    reply, notices = answer(conv, text)
    assert expected in reply, reply
    assert any("> 10%" in n for n in notices) is signed_off, notices


@pytest.mark.parametrize(
    "text",
    [
        "on a un lead qui a un score de 86, il vient d'une PME de 40 personnes. on le passe aux "
        "sales ?",
        "we have a lead scored 86 from a 40-person company. do we pass it to sales?",
    ],
)
def test_a_hot_lead_handed_to_sales_raises_no_demo_request(conv, text):
    _, notices = answer(conv, text)
    assert len(notices) == 1 and ("Hot lead" in notices[0] or "Lead score" in notices[0]), notices


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we want to launch a referral program: give $20, get $20. our average first order is "
            "$85 and gross margin 40%. does that work?",
            # $85 × 40 % = $34 of margin against $40 of rewards
            "their first order leaves $34.00 of margin ($85 × 40.0%), so -$6.00",
        ),
        (
            "programme de parrainage : 15 € au parrain et au filleul, premier panier 70 €, marge "
            "brute 50 %. rentable ?",
            # 70 € × 50 % = 35 € of margin against 30 € of rewards
            "35,00 €",
        ),
    ],
)
def test_a_referral_reward_is_weighed_against_the_first_order(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "CAC par canal ce trimestre : SEO 4 200 € pour 60 clients, Google Ads 18 000 € pour "
            "95 clients, salons 25 000 € pour 40 clients. lequel est le plus rentable si un "
            "client vaut 1 200 € ?",
            # 1 200 € / (4 200 € / 60) = 17.14x; salons 1 200 / 625 = 1.92x, under 3:1
            "SEO a le ratio LTV/CAC le plus haut (17,14x)",
        ),
        (
            "CAC by channel: SEO €4,200 for 60 customers, Google Ads €18,000 for 95 customers. "
            "which is most profitable if a customer is worth €1,200?",
            "SEO has the highest LTV/CAC ratio (17.14x)",
        ),
    ],
)
def test_what_a_customer_is_worth_weighs_each_channels_cac(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "extra" not in reply and "en plus iraient" not in reply, reply


def test_a_channel_named_before_its_period_keeps_its_figures(conv):
    reply, _ = answer(
        conv,
        "Meta campaign last 30 days: spend 14 200€, 312 purchases, revenue 39 800€. Google: "
        "spend 9 800€, 268 purchases, revenue 31 500€. ROAS and CPA per channel?",
    )
    # Meta 39 800 / 14 200 = 2.80x, 14 200 / 312 = €45.51; Google 3.21x, €36.57
    rows = [line.split() for line in reply.splitlines() if line.startswith(("Meta ", "Google "))]
    assert ["Meta", "€127.56", "2.80x", "€45.51"] in rows, reply
    assert ["Google", "€117.54", "3.21x", "€36.57"] in rows, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "plan a 3-email win-back sequence for customers who haven't ordered in 120 days, 2 "
            "days between emails, with a 15% discount in the last one",
            ["3 messages over 4 days", "D+2", "D+4"],
        ),
        (
            "séquence de 4 mails avec 3 jours entre chaque mail pour les inscrits au webinar",
            ["4 messages sur 9 jours", "J+3", "J+6", "J+9"],
        ),
    ],
)
def test_days_between_messages_are_the_interval(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected) and "Cdiscount" not in reply, reply


def test_the_scope_of_a_budget_is_not_a_channel(conv):
    reply, _ = answer(
        conv,
        "budget social Q1 : 45 000 € à répartir entre TikTok (ROAS 3,1), Meta (ROAS 2,4) et "
        "Pinterest (ROAS 1,8). tu proposes quoi ?",
    )
    # 45 000 € × 3.1 / 7.3 = 19 110 €
    assert "Canaux                       3" in reply and "19 110 €" in reply, reply
    assert "Social" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "NPS du trimestre : 420 réponses, 210 promoteurs, 130 passifs, 80 détracteurs. "
            "trimestre précédent NPS 22. ça progresse ?",
            # (210 − 80) / 420 = 31.0 against 22: +9.0
            "NPS : 31,0 pts contre 22,0 pts la période précédente (+9,0)",
        ),
        (
            "NPS this quarter: 420 responses, 210 promoters, 130 passives, 80 detractors. last "
            "quarter NPS was 22. are we improving?",
            "NPS: 31.0 pts against 22.0 pts the previous period (+9.0)",
        ),
    ],
)
def test_an_nps_of_the_previous_period_is_compared_not_taken_as_this_ones(conv, text, expected):
    reply, _ = answer(conv, text)
    # promoters, passives and detractors are parts of the responses, not steps of a journey
    assert expected in reply and "Step by step" not in reply and "Étape par étape" not in reply, (
        reply
    )


def test_the_same_plan_asked_for_another_channels_list(conv):
    replies = thread_of(
        conv,
        "black friday email plan: list 85k, we want 4 sends between nov 24 and nov 30, and no "
        "one gets more than 3",
        "same but for our 20k SMS base",
    )
    assert "Whole list (85,000 contacts)" in replies[0], replies[0]
    # the plan again, on SMS, for its list of 20,000: no email, no €20,000 budget
    assert "Campaign plan" in replies[1] and "SMS list (20,000)" in replies[1], replies[1]
    assert "Email " not in replies[1] and "€20,000" not in replies[1], replies[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "attribution pour ce parcours : Google Ads le 2 nov, newsletter le 5 nov, "
            "retargeting Meta le 9 nov, achat 320 € le 10 nov. linéaire et last click ?",
            # 8, 5 and 1 days before the sale, half-life 7 days: 2^(−d/7) normalised
            ["Time decay (7 j)", "23 % (74 €)", "31 % (99 €)", "46 % (147 €)"],
        ),
        (
            "attribution for this journey: LinkedIn ad on March 3, webinar on March 10, sales "
            "email on March 15, deal closed for $12,000 on March 16. compare the models",
            ["Time decay (7 d)", "16% ($1,910)", "32% ($3,821)", "52% ($6,269)"],
        ),
    ],
)
def test_a_journey_with_its_touch_dates_gets_its_time_decay_credit(conv, text, expected):
    reply, _ = answer(conv, text)
    row = next(line for line in reply.splitlines() if line.startswith("Time decay"))
    assert all(e in row for e in expected), reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "our webinar got 1,240 registrations and 410 attendees. 38 booked a demo afterwards. "
            "the webinar cost $6,000. how did it do?",
            [
                # 410 / 1,240 = 33.1 %, 38 / 410 = 9.3 %, 38 / 1,240 = 3.1 %
                "registrations 1,240 → attendees 410 (33.1%) → booked a demo afterwards 38 (9.3%)",
                "3.1% of registrations go all the way",
                # $6,000 / 38 = $157.89
                "booked a demo afterwards $157.89",
            ],
        ),
        (
            "j'ai besoin d'un taux de conversion de référence : 3 200 sessions sur la page "
            "produit la semaine dernière, 96 ajouts au panier, 41 commandes. c'est bien ?",
            ["3 200 → ajouts au panier 96 (3,0 %) → commandes 41 (42,7 %)"],
        ),
    ],
)
def test_counts_of_one_journey_are_read_step_by_step(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "not used" not in reply and "sans effet" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "on hésite à passer à un modèle freemium. aujourd'hui 2 000 essais/mois, 14 % "
            "passent payants à 49 €/mois. si le freemium double les inscriptions mais que "
            "seulement 6 % passent payants ?",
            # today 2 000 × 14 % = 280 × 49 € = 13 720 €; 4 000 × 6 % = 240 × 49 € = 11 760 €
            "4 000 en entrée, ce taux à 6,0 % au lieu de 14,0 % : 240 en bout de chaîne (-40, "
            "-14,3 %), soit 11 760 € de CA",
        ),
        (
            "we're thinking about freemium. today 2,000 trials a month, 14% convert to paid at "
            "$49/month. if freemium triples signups but only 5% convert to paid?",
            # 6,000 × 5 % = 300 against 280: +20 (+7.1 %)
            "6,000 in, that rate at 5.0% instead of 14.0%: 300 at the end (+20, +7.1%), $14,700",
        ),
    ],
)
def test_a_stage_at_another_rate_in_the_same_message_is_a_scenario(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply and "× 6,0 %" not in reply and "× 5.0%" not in reply, reply


def test_a_lead_asking_for_enterprise_pricing_asked_for_a_quote(conv):
    reply, notices = answer(
        conv,
        "a prospect from Airbus (120,000 employees) filled the contact form asking for "
        "enterprise pricing",
    )
    # 200+ employees +15, a quote asked +30: 45 points, MQL, not a pricing-page visit
    assert (
        "Lead score     45 pts" in reply
        and "Visited the pricing page" not in reply.split("Lead scoring model")[0]
    ), reply
    assert len(notices) == 2, notices


@pytest.mark.parametrize(
    "request_text, follow_up, expected",
    [
        (
            "LTV si ARPU 45 €/mois, marge 70 %, churn mensuel 3,5 %",
            "et si le churn passe à 2,5 % ?",
            # 45 € × 70 % / 2.5 % = 1 260 €
            "1 260,00 €",
        ),
        (
            "LTV if ARPU is €45/month, margin 70%, monthly churn 3.5%",
            "what if churn drops to 2.5%?",
            "€1,260.00",
        ),
    ],
)
def test_a_rate_of_the_request_set_to_a_level_is_applied(conv, request_text, follow_up, expected):
    replies = thread_of(conv, request_text, follow_up)
    assert expected in replies[1] and expected not in replies[0], replies[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we ran a test: free shipping banner vs no banner. banner: 14,200 sessions, 398 "
            "orders. no banner: 14,100 sessions, 441 orders. the banner lost?? how?",
            # the page without the banner is the control: 3.13 % (441 / 14,100) against 2.80 %
            [
                "A (control)                       3.13% (441 / 14,100)",
                "Relative lift                     -10.4%",
            ],
        ),
        (
            "A/B test: new checkout 9,800 visitors 310 orders, old checkout 9,750 visitors 280 "
            "orders. ship it?",
            ["A (control)                       2.87% (280 / 9,750)"],
        ),
    ],
)
def test_the_version_that_stays_as_it_is_is_the_control(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "CPC Google passé de 1,20 € à 1,85 € en 2 semaines sans changement de notre côté, le "
            "CPA suit. c'est normal ?",
            # 1.85 / 1.20 − 1 = +54.2 %; at the same budget, 1.20 / 1.85 − 1 = −35.1 % clicks
            ["1,85 €         1,20 €              +54,2 %", "-35,1 % de clics"],
        ),
        (
            "our CPC on Google went from $1.20 to $1.85 in two weeks and we changed nothing. normal?",
            ["CPC moved from $1.20 to $1.85 (+54.2%): at a constant budget, -35.1% clicks"],
        ),
    ],
)
def test_one_figure_that_moved_is_set_against_its_past_value(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected) and "not used" not in reply, reply


@pytest.mark.parametrize(
    "lead, imagined, expected",
    [
        (
            "score this lead: marketing director at a 600-person retailer, visited pricing twice",
            "what if she also requested a demo?",
            "If that happens: Lead score > 80 (95 pts) → Immediate sales alert",
        ),
        (
            "score ce lead : directrice marketing chez un distributeur de 600 personnes, 2 visites "
            "de la page tarifs",
            "et si elle demandait une démo ?",
            # directrice +20, 600 people +15, pricing page +20, demo +30
            "Hypothèse : si c'était le cas, Lead score > 80 (85 pts)",
        ),
    ],
)
def test_a_lead_action_imagined_in_the_thread_alerts_nobody(conv, lead, imagined, expected):
    notices: list[str] = []
    replies = thread_of(conv, lead, imagined, notices=notices)
    # rescored with the demo (+30), said as what would be raised, nobody notified
    assert expected in replies[1] and notices == [], (notices, replies[1])


def test_a_lead_action_said_in_the_thread_alerts_sales(conv):
    notices: list[str] = []
    thread_of(
        conv,
        "score this lead: marketing director at a 600-person retailer, visited pricing twice",
        "she just requested a demo",
        notices=notices,
    )
    assert any("Lead score > 80" in n for n in notices), notices


@pytest.mark.parametrize(
    "request_text, follow_up, expected",
    [
        (
            "our Q3 report: sessions 210k, signups 3,150, MQLs 890, SQLs 240, revenue $410k",
            "can you make it a 3 bullet summary?",
            # the computed figures first: 3,150 / 210,000, $410k / 210,000, 240 / 890
            "In 3 bullets\n- Conversion rate: 1.50%\n- Revenue per visitor: $1.95\n"
            "- MQL → SQL rate: 26.97%\n\n",
        ),
        (
            "répartis 60 000 € entre Google Ads (ROAS 4,5), Meta (ROAS 3,0) et TikTok (ROAS 2,2)",
            "fais-moi un résumé en trois points",
            "En 3 points\n- Budget total : 60 000 €\n- Canaux : 3\n- Google Ads : 27 835 €\n\n",
        ),
    ],
)
def test_a_summary_asked_in_bullets_has_that_many(conv, request_text, follow_up, expected):
    replies = thread_of(conv, request_text, follow_up)
    assert expected in replies[1], replies[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "black friday email plan: list 85k, we want 4 sends between nov 24 and nov 30, and no "
            "one gets more than 3",
            # 4 sends over the window; the 4th only to those who got fewer than 3
            ["Email    Reminder", "Non-buyers who received fewer than 3 direct messages"],
        ),
        (
            "promo -20% du 10 au 16 mars, 3 envois email sur notre base de 40 000 contacts, pas "
            "plus de 2 messages par personne. tu me fais le planning ?",
            [
                "Email  Relance",
                "Non-acheteurs ayant reçu moins de 2 messages directs",
                "2 au plus sur toute l'offre",
            ],
        ),
    ],
)
def test_the_sends_and_the_cap_a_promotion_asks_are_planned(conv, text, expected):
    reply, _ = answer(conv, text)
    dated = re.compile(r"(?:\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})  +Email ")
    sends = [line for line in reply.splitlines() if dated.match(line)]
    assert len(sends) == (4 if "4 sends" in text else 3), reply
    assert all(e in reply for e in expected) and "not used" not in reply, reply
    assert "sans effet" not in reply and "Ce calcul ne s'en sert pas" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "checkout redesign results: old 31,000 sessions, 1,178 orders; new 30,800 sessions, "
            "1,355 orders. avg order €58 both. can we roll it out?",
            [
                "3.80% (1,178 / 31,000)",
                "4.40% (1,355 / 30,800)",
                "Relative lift                     15.8%",
            ],
        ),
        (
            "ancienne fiche produit : 12 400 visites, 310 commandes ; nouvelle fiche : 12 300 "
            "visites, 369 commandes. panier moyen 45 € des deux côtés. on passe à la nouvelle ?",
            [
                "2,50 % (310 / 12 400)",
                "3,00 % (369 / 12 300)",
                "Lift relatif                     20,0 %",
            ],
        ),
    ],
)
def test_an_old_and_a_new_version_side_by_side_are_a_test_read_out(conv, text, expected):
    reply, notices = answer(conv, text)
    assert all(e in reply for e in expected), reply
    # the orders move revenue by more than 10 % at the same basket: management signs off
    assert len(notices) == 1 and "@direction" in notices[0], notices


@pytest.mark.parametrize(
    "follow_up, expected",
    [
        ("et avec un seuil à 99 % ?", ["IC 99 %", "Significatif (p < 0,01)", "Wald 99% CI"]),
        ("et au seuil de 1 % ?", ["IC 99 %", "Significatif (p < 0,01)", "seuil alpha 0,01"]),
    ],
)
def test_a_threshold_asked_after_a_readout_reruns_it_at_that_level(conv, follow_up, expected):
    replies = thread_of(
        conv,
        "test sur la fiche produit : version actuelle 22 400 visiteurs et 672 ventes, nouvelle "
        "version avec avis clients 22 100 visiteurs et 795 ventes. c'est significatif ?",
        follow_up,
    )
    assert "IC 95 %" in replies[0] and "(p < 0,05)" in replies[0], replies[0]
    assert all(e in replies[1] for e in expected), replies[1]
    assert "sans effet" not in replies[1], replies[1]


@pytest.mark.parametrize(
    "request_text, follow_up, expected",
    [
        (
            "newsletter stats for october: sent 62,000, opened 17,360, clicked 1,984, "
            "unsubscribed 310. how are we doing?",
            "compare with september: 58,000 sent, 15,080 opens, 1,450 clicks",
            [
                "Emails sent            62,000       58,000           +6.9%",
                "Opens                  28.00%       26.00%           +2.00 pt",
                "Clicks                 3.20%        2.50%            +0.70 pt",
                "Better than the previous period",
            ],
        ),
        (
            "bilan newsletter de mars : 40 000 envoyés, 9 200 ouvertures, 760 clics, 150 "
            "désinscriptions. c'est bien ?",
            "compare avec février : 38 000 envoyés, 10 260 ouvertures, 912 clics",
            [
                "Ouvertures                 23,00 %        27,00 %             -4,00 pt",
                "Clics                      1,90 %         2,40 %              -0,50 pt",
                "La perte est surtout avant l'ouverture",
            ],
        ),
    ],
)
def test_a_send_compared_with_another_period_keeps_both(conv, request_text, follow_up, expected):
    replies = thread_of(conv, request_text, follow_up)
    assert all(e in replies[1] for e in expected), replies[1]
    assert "not use it" not in replies[1] and "ne s'en sert pas" not in replies[1], replies[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a lead scored 91 in hubspot but it's a student email from a university. should sales "
            "call?",
            "Student (“student”, -20). The stated score may not count it (a tool does not see "
            "everything): with it, the lead is at 71 pts (SQL)",
        ),
        (
            "un lead a un score de 88 dans le CRM mais il bosse chez un concurrent direct. on le "
            "passe aux commerciaux ?",
            "Concurrent (« concurrent », -50). Le score indiqué ne le compte peut-être pas (un "
            "outil ne voit pas tout) : avec, le lead est à 38 pts (lead)",
        ),
    ],
)
def test_a_stated_score_shows_the_penalties_read_beside_it(conv, text, expected):
    reply, notices = answer(conv, text)
    assert expected in reply, reply
    # the score stated is above 80: the hot-lead rule alerts sales; nothing says the company is large
    assert len(notices) == 1 and "@sales" in notices[0], notices


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "plan a launch campaign for our new budgeting app: goal 5,000 downloads in 6 weeks, "
            "budget $40k, target young professionals 25-34",
            "- Target: young professionals 25-34\n",
        ),
        (
            "prépare une campagne de lancement pour notre appli de covoiturage : objectif 3 000 "
            "téléchargements en 4 semaines, budget 25 k€, cible étudiants 18-25 ans",
            "- Cible : étudiants 18-25 ans\n",
        ),
    ],
)
def test_a_campaign_audience_named_with_its_ages_is_the_target(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply
    assert "not used" not in reply and "not use it" not in reply, reply
    assert "sans effet" not in reply and "ne s'en sert pas" not in reply, reply


def test_a_revenue_goal_is_planned_for_not_signed_off(conv):
    reply, notices = answer(
        conv,
        "panier moyen 68 €, 4 200 commandes par mois, on veut +15 % de CA au prochain trimestre. "
        "on joue sur quoi ?",
    )
    assert notices == [], notices  # a goal moves no revenue yet: nothing for management to sign
    assert "Objectif +15,0 % de CA : 285 600 € → 328 440 € (42 840 € de plus)" in reply, reply
    assert "4 830 commandes (630 de plus)" in reply and "panier moyen de 78,20 €" in reply, reply
    assert "sans effet" not in reply, reply


def test_a_conversion_rate_given_as_counts_is_not_asked_for(conv):
    reply, notices = answer(
        conv,
        "AOV $52, 9,000 orders a month from 310,000 sessions. goal is +20% revenue next quarter, "
        "where do we push?",
    )
    assert notices == [], notices
    assert "Current conversion  2.90%" in reply and "I still need" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "planning Black Friday: email list 150k, SMS 40k, promo -30% from Nov 27 to Dec 1. "
            "give me the send schedule with no more than 2 messages a day per person",
            [
                "Budget                   not given",
                "SMS list (40,000)",
                "at most 2 direct messages (email, SMS, push) per person per day, as asked",
            ],
        ),
        (
            "soldes du 8 au 14 janvier, -40 %. base email 90k, sms 25k. planning d'envois avec "
            "pas plus de 2 messages par jour et par personne stp",
            [
                "Toute la base (90 000 contacts)",
                "Base SMS (25 000)",
                "2 messages directs (email, SMS, push) au plus par personne et par jour, comme "
                "demandé",
            ],
        ),
    ],
)
def test_a_second_list_is_no_budget_and_a_daily_cap_is_kept(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "40,000 over" not in reply and "25 000 €" not in reply, reply  # no list as money


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "ICE scoring please: 1) exit-intent popup impact 6 confidence 7 ease 9; 2) new "
            "onboarding checklist impact 8 confidence 6 ease 4; 3) referral program impact 9 "
            "confidence 5 ease 3",
            ["1  exit-intent popup ", "378", "2  new onboarding checklist", "192", "135"],
        ),
        (
            "priorise avec ICE : 1) quiz produit impact 7 confiance 6 facilité 8, 2) live shopping "
            "impact 9 confiance 4 facilité 3, 3) avis clients impact 6 confiance 8 facilité 9",
            ["1  avis clients", "432", "2  quiz produit", "336", "108"],
        ),
    ],
)
def test_numbered_ideas_after_a_separator_are_each_scored(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "quel est le ROI de notre salon ? stand 18 000 €, déplacements 6 500 €, 140 contacts "
            "récoltés, 12 deals signés à 9 500 € en moyenne",
            [
                "ROI                            365,31 %",
                "Coûts d'acquisition additionnés : 18 000 € + 6 500 € = 24 500 €.",
            ],
        ),
        (
            "was the trade show worth it? booth $12k, travel $4,500, swag $1,800. we got 95 leads "
            "and 6 deals at $14k ACV",
            ["ROI                     359.02%", "$12,000 + $4,500 + $1,800 = $18,300."],
        ),
    ],
)
def test_the_costs_an_roi_is_asked_on_are_added_up(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "ROI non calculé" not in reply and "ROI not computed" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "create a welcome email series for new subscribers of our coffee subscription: 4 "
            "emails over 10 days, with a 10% off code in the second one",
            "2     D+3    Email    Offer: 10% code",
        ),
        (
            "séquence de bienvenue : 4 mails sur 12 jours, avec un code -15 % dans le deuxième mail",
            "2      J+4    Email  Offre : code -15 %",
        ),
    ],
)
def test_a_sequence_asked_with_a_code_puts_it_where_said_and_alarms_nobody(conv, text, expected):
    reply, notices = answer(conv, text)
    assert expected in reply, reply
    assert notices == [], notices  # a plan to make reports no fraud


def test_a_complaint_with_no_automated_send_is_no_workflow_complaint(conv):
    reply, notices = answer(
        conv,
        "on a un client qui menace de porter plainte parce qu'on a utilisé sa photo dans une pub "
        "sans son accord. on fait quoi ?",
    )
    # his image used without consent is for legal; no sequence runs for him to leave
    assert len(notices) == 1 and "@legal" in notices[0], notices


@pytest.mark.parametrize(
    "request_text, follow_up, expected",
    [
        (
            "funnel: 20,000 visits, 4,000 product views, 1,000 add to cart, 300 checkouts, 180 "
            "purchases",
            "what if we remove the checkout step friction and get 60% of carts to checkout?",
            ["checkouts      600", "purchases      360"],
        ),
        (
            "funnel du mois : 20 000 visites, 4 000 fiches produit, 1 000 paniers, 300 checkouts, "
            "180 achats",
            "et si 60 % des paniers passent au checkout ?",
            ["checkouts       600", "achats 180 → 360 (+180 achats)"],
        ),
    ],
)
def test_a_share_of_a_step_reaching_the_next_is_its_rate_set(
    conv, request_text, follow_up, expected
):
    replies = thread_of(conv, request_text, follow_up)
    assert all(e in replies[1] for e in expected), replies[1]


@pytest.mark.parametrize(
    "follow_up, expected",
    [
        ("drop Pinterest and keep 10% in reserve", "Channels                     2"),
        ("sans Pinterest, et garde 10 % de réserve", "Canaux                       2"),
    ],
)
def test_a_channel_dropped_beside_a_constraint_is_dropped(conv, follow_up, expected):
    request_text = (
        "budget split for Q3: 90k across Google (ROAS 3.8), Meta (ROAS 2.9), Pinterest (ROAS 1.7)"
        if follow_up.startswith("drop")
        else "répartition T3 : 90 k€ entre Google (ROAS 3,8), Meta (ROAS 2,9), Pinterest (ROAS 1,7)"
    )
    replies = thread_of(conv, request_text, follow_up)
    split = replies[1].split("Constraint")[0].split("Contrainte")[0]
    assert expected in replies[1] and "Pinterest " not in split, replies[1]
    assert "9,000" in replies[1] or "9 000" in replies[1], replies[1]  # the 10 % reserve


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "our conversion rate dropped from 3.1% to 1.2% in one day after the last deploy, "
            "traffic unchanged at about 120k visits a month. what should we check?",
            [
                "Current conversion  1.20%",
                "The conversion rate fell from 3.10% to 1.20% (-61.3%)",
                "3) the last deploy",
            ],
        ),
        (
            "le taux de conversion est passé de 2,8 % à 1,1 % depuis la mise en prod de mardi, "
            "trafic stable à 40 000 visites par mois, panier moyen 55 €. on regarde quoi ?",
            ["passé de 2,80 % à 1,10 % (-60,7 %)", "Retrouver 2,80 % vaut +37 400 €/mois"],
        ),
    ],
)
def test_a_conversion_rate_that_broke_gets_what_to_check_in_order(conv, text, expected):
    reply, notices = answer(conv, text)
    assert all(e in reply for e in expected), reply
    # a change measured to move revenue by more than 10 %: management signs off on the answer
    assert len(notices) == 1 and "@direction" in notices[0], notices


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "give me a weekly report: sessions 82,400, signups 1,236, paid conversions 148, MRR "
            "added $6,512, churned MRR $2,100",
            ["New MRR          $6,512", "Churned MRR      $2,100", "Net new MRR      $4,412.00"],
        ),
        (
            "rapport hebdo : 40 000 sessions, 820 inscriptions, 95 clients payants, nouveau MRR "
            "4 200 €, MRR perdu 1 300 €",
            ["Nouveau MRR         4 200 €", "MRR perdu           1 300 €", "2 900,00 €"],
        ),
    ],
)
def test_new_and_churned_mrr_give_the_net_new_mrr(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "not use it" not in reply and "ne s'en sert pas" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "on a 12 % d'abandon au paiement et 68 % d'abandon panier, 3 000 paniers par mois, "
            "panier moyen 85 €. combien on récupère avec une séquence de relance ?",
            "3 000 × 68,0 % d'abandon = 2 040 abandons par mois. Chaque point de récupération sur "
            "ces abandons vaut 20 commandes et 1 734 € par mois",
        ),
        (
            "cart abandonment is 70%, we get 5,000 carts a week, AOV $60. what would a recovery "
            "flow bring?",
            "5,000 × 70.0% abandonment = 3,500 abandoned per week. Each point recovered on them is "
            "worth 35 orders and $2,100 per week",
        ),
    ],
)
def test_an_abandonment_rate_is_who_left_not_who_bought(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply
    assert "360 conversions" not in reply and "3,500 conversions" not in reply, reply


@pytest.mark.parametrize(
    "text, then, expected, priced",
    [
        (
            "notre taux de conversion est passé de 2,8 % à 1,9 % depuis lundi. qu'est-ce qui se "
            "passe ?",
            "on fait 45 000 visites par mois, panier moyen 60 €",
            "Le taux de conversion est passé de 2,80 % à 1,90 % (-32,1 %)",
            "Retrouver 2,80 % vaut +24 300 €/mois",
        ),
        (
            "conversion rate went from 3.5% to 2.2% since yesterday, no idea why",
            "we get 80,000 visits a month, AOV $45",
            "The conversion rate fell from 3.50% to 2.20% (-37.1%)",
            "Getting back to 3.50% is worth +$46,800/month",
        ),
    ],
)
def test_a_rate_that_fell_lately_is_checked_at_once_and_signed_off_by_nobody(
    conv, text, then, expected, priced
):
    notices: list[str] = []
    first, second = thread_of(conv, text, then, notices=notices)
    # a fall seen since Monday is no test moving revenue: nobody to sign off, nothing to wait for
    assert notices == [], notices
    assert expected in first and "1) " in first and "4) " in first, first
    assert priced not in first, first  # no traffic yet: nothing priced on a guess
    assert priced in second, second


@pytest.mark.parametrize(
    "text, then, first_expected, then_expected",
    [
        (
            "on lance une série de bienvenue pour les nouveaux inscrits à la newsletter. 3 mails "
            "sur une semaine. tu me proposes quoi ?",
            "ajoute un 4e mail à J+14 avec un code promo",
            ["3 messages sur 7 jours", "J+7"],
            ["4 messages sur 14 jours", "J+7 ", "J+14   Email  4e mail avec un code promo"],
        ),
        (
            "welcome series for new newsletter subscribers: 4 emails over two weeks. what would "
            "you put in each?",
            "add a 5th email at day 21 with a discount code",
            ["4 messages over 14 days", "D+14"],
            ["5 messages over 21 days", "D+14", "D+21"],
        ),
    ],
)
def test_a_sequence_span_said_in_words_is_its_duration_and_a_touch_added_keeps_the_others(
    conv, text, then, first_expected, then_expected
):
    first, second = thread_of(conv, text, then)
    assert all(e in first for e in first_expected), first
    assert all(e in second for e in then_expected), second
    # the touch added last closes the series: the third email is no "last reminder" any more
    assert "Dernier rappel" not in second and "Last reminder" not in second, second


@pytest.mark.parametrize(
    "text",
    [
        "our CPC on Google went from $1.20 to $1.85 over two weeks and we changed nothing. normal?",
        "notre CPC Google est passé de 0,90 € à 1,40 € en 3 semaines sans rien changer, c'est normal ?",
    ],
)
def test_how_long_a_move_took_is_when_it_happened_not_a_figure_left_unused(conv, text):
    reply, _ = answer(conv, text)
    assert "CPC" in reply and ("+54" in reply or "+55" in reply), reply
    assert "2 weeks" not in reply and "3 semaines" not in reply, reply  # not listed as unused


def test_a_budget_cut_keeps_the_method_of_the_split_it_follows(conv):
    first, cut = thread_of(
        conv,
        "Google Ads ROAS 5.1 on €20k, Meta ROAS 3.2 on €15k, TikTok ROAS 1.8 on €5k. how would "
        "you split €40k next month?",
        "what if we cut the budget to 30k?",
    )
    assert "moves €4,000 (10% of the budget) from TikTok to Google Ads" in first, first
    # the same method at 30k: the current shares kept, 10 % moved to the best ROAS; the cut never
    # gives the lowest-ROAS channel more than it had
    assert "moves €3,000 (10% of the budget) from TikTok to Google Ads" in cut, cut
    assert "TikTok      €5,000   €750" in cut, cut
    assert "this one €129,150 (+€9,900)" in cut, cut


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "can you give me a CAC by channel? paid search spend $18,000 brought 45 customers, paid "
            "social $9,000 brought 15 customers, content $6,000 brought 20 customers",
            ["Content      $300.00", "Content has the lowest CAC ($300.00)", "CAC  $412.50"],
        ),
        (
            "CAC par canal : SEA 12 000 € pour 40 clients, Meta 8 000 € pour 20 clients, contenu "
            "5 000 € pour 25 clients",
            ["Contenu  200,00 €", "Contenu a le CAC le plus bas (200,00 €)"],
        ),
    ],
)
def test_content_beside_its_figures_is_a_channel_and_a_cac_is_called_so(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "CPA" not in reply.split("Measurement plan")[0].split("Plan de mesure")[0], reply


def test_the_content_of_an_email_is_no_channel(conv):
    reply, _ = answer(
        conv,
        "the content of our welcome email is weak: 3 emails over 10 days, what would you change?",
    )
    assert "Content" not in reply.split("Sequence")[0], reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "les leads Facebook convertissent moins bien que ceux de Google : 1 200 leads FB dont 24 "
            "clients, 450 leads Google dont 36 clients. on arrête FB ?",
            ["Facebook  2,00 %", "Google    8,00 %", "Google a le taux lead → client le plus haut"],
        ),
        (
            "Facebook leads convert worse than Google ones: Facebook 1,200 leads, 24 customers; "
            "Google 450 leads, 36 customers. should we stop Facebook?",
            ["Facebook  2.00%", "Google    8.00%", "the CAC says whether"],
        ),
    ],
)
def test_each_channels_leads_and_customers_say_whose_leads_close(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "Lead scoring" not in reply and "not a marketing operations request" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we're considering removing our free plan. 40,000 free users, 2.5% upgrade to the "
            "€19/month plan each year. what happens to revenue if we drop it?",
            ["1,000", "€19,000.00", "€228,000.00"],
        ),
        (
            "12 000 utilisateurs gratuits, 4 % passent en payant chaque année sur l'abonnement à "
            "15 €/mois. ça vaut combien ?",
            ["480", "7 200,00 €", "86 400,00 €"],
        ),
        (
            "we have 25,000 free users and about 3% upgrade to Pro ($29/month) every year. how "
            "much is that worth?",
            ["750", "$21,750.00", "$261,000.00"],
        ),
    ],
)
def test_free_users_who_upgrade_are_worth_their_plan_each_month_and_year(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "I still need" not in reply and "il me manque" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "nos posts Instagram : 45 000 impressions, 1 800 likes, 120 commentaires, 90 partages "
            "ce mois-ci. taux d'engagement ?",
            "Taux d'engagement  4,47 %",
        ),
        (
            "our last tiktok got 80k views, 6,400 likes, 210 comments and 530 shares. what's the "
            "engagement rate?",
            "Engagement rate  8.92%",
        ),
    ],
)
def test_a_posts_interactions_over_its_impressions_are_its_engagement_rate(conv, text, expected):
    reply, _ = answer(conv, text)
    assert expected in reply, reply
    # likes, comments and shares are side by side, not a journey one after the other
    assert "→" not in reply and "not a marketing operations request" not in reply, reply
    assert "pas une demande" not in reply, reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "on a 3 segments : nouveaux visiteurs 1,2 % de conversion sur 30 000 sessions, "
            "récurrents 3,8 % sur 12 000, abonnés newsletter 6,1 % sur 4 000. on priorise quoi ?",
            [
                "Taux global : 2,30 % (1 060 conversions sur 46 000 sessions)",
                "récurrents          12 000",
            ],
        ),
        (
            "conversion by segment: new visitors 0.8% on 50,000 sessions, returning 2.9% on 18,000, "
            "logged-in members 5.5% on 6,000. where should personalisation start?",
            [
                "Overall rate: 1.69% (1,252 conversions from 74,000 sessions)",
                "returning          18,000",
            ],
        ),
    ],
)
def test_segments_listed_with_their_rate_and_sessions_are_weighed_together(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert "30 000 visiteurs par mois" not in reply, reply  # one segment is not the traffic


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we ran a pricing page test: control 9,800 visitors 294 signups, variant (annual plan "
            "highlighted) 9,750 visitors 341 signups. signups are worth €90 each on average. ship it?",
            "At €90 a conversion, revenue per visitor: A €2.70, B €3.15 (+16.6%)",
        ),
        (
            "test A/B page d'inscription : A 8 000 visiteurs 240 inscriptions, B 8 100 visiteurs "
            "291 inscriptions. une inscription vaut 60 €. on passe B ?",
            "B 2,16 €",
        ),
        (
            "A/B test on the signup page: A 12,000 visitors 480 trials, B 12,100 visitors 545 "
            "trials. each trial is worth $40 on average. can we ship B?",
            "At $40 a conversion, revenue per visitor: A $1.60, B $1.80 (+12.6%)",
        ),
    ],
)
def test_a_value_said_for_every_conversion_prices_the_test_and_its_sign_off(conv, text, expected):
    reply, notices = answer(conv, text)
    assert expected in reply, reply
    # a value per conversion makes the conversion lift a revenue lift: over 10 %, direction signs
    assert len(notices) == 1 and "@direction" in notices[0], notices


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "bounce rate is 71% on mobile vs 42% on desktop for our pricing page. what should we "
            "look at first?",
            [
                "On mobile, the bounce rate is 71% against 42% on desktop (+29 pts)",
                "1) speed on mobile",
            ],
        ),
        (
            "taux de rebond de la page produit : 68 % sur mobile contre 41 % sur desktop. on "
            "regarde quoi en premier ?",
            ["Conversion actuelle  non donné", "68 % contre 41 % sur desktop (+27 pts)"],
        ),
    ],
)
def test_a_device_that_bounces_more_gets_what_to_check_first_without_a_question(
    conv, text, expected
):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply


@pytest.mark.parametrize(
    "text, expected, margin",
    [
        (
            "LTV moyen 420 €, CAC 150 €, marge brute 60 %. c'est sain ?",
            "LTV/CAC 2,80x, sous le repère de 3:1",
            "sur la marge brute de 60 % elle vaut 252 € : LTV/CAC 1,68x",
        ),
        (
            "our LTV is $1,800 and CAC $450, gross margin 70%. healthy?",
            "LTV/CAC 4.00x, above the 3:1 benchmark",
            "on the 70% gross margin it is $1,260: LTV/CAC 2.80x",
        ),
    ],
)
def test_a_gross_margin_beside_a_given_ltv_gives_the_ratio_on_margin(conv, text, expected, margin):
    reply, _ = answer(conv, text)
    assert expected in reply and margin in reply, reply


def test_a_bounce_gap_beside_a_conversion_gap_without_traffic_is_answered(conv):
    reply, _ = answer(
        conv,
        "pricing page: bounce rate 72% on mobile vs 45% on desktop, conversion 0.8% on mobile vs "
        "2.6% on desktop, 65% of visits are mobile. where do we start?",
    )
    assert "On mobile, the bounce rate is 72% against 45% on desktop (+27 pts)" in reply, reply


@pytest.mark.parametrize(
    "text, timings, header, audience",
    [
        (
            "we need a 4-email nurture for webinar no-shows, send first one 1h after the webinar, "
            "then every 2 days. exit if they book a call",
            ["1 h", "D+2", "D+4", "D+6"],
            "4 messages over 6 days",
            "webinar no-shows",
        ),
        (
            "séquence de 5 mails pour les inscrits à l'essai, le premier à J+1 puis tous les 3 jours",
            ["J+1", "J+4", "J+7", "J+10", "J+13"],
            "5 messages sur 13 jours",
            "inscrits à l'essai",
        ),
    ],
)
def test_a_first_delay_then_an_interval_times_the_whole_sequence(
    conv, text, timings, header, audience
):
    reply, _ = answer(conv, text)
    steps = re.findall(r"^\d\s+(\S+(?: h)?)\s", reply, re.M)
    assert steps == timings and header in reply, reply
    assert reply.split(audience)[1].startswith("\n"), reply  # the audience alone, no timing


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "attribution: which model should we use for a 60-day B2B cycle with 7 touchpoints on "
            "average?",
            [
                "Recommended model  Position-based (40/20/40)",
                "shares 20% across the 5 in between (4.0% each)",
                "gives the first touch 0.2% of the credit",
                "7 (D0)",
            ],
        ),
        (
            "quel modèle d'attribution pour un cycle de vente de 90 jours ?",
            [
                "Modèle recommandé  Position-based (40/20/40)",
                "Parcours type de 4 points de contact sur 90 jours",
                "1 (J-90)",
            ],
        ),
    ],
)
def test_which_attribution_model_for_a_cycle_is_answered_on_its_journey(conv, text, expected):
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected) and "Attribution" in reply, reply
    assert "Sequence" not in reply and "?" not in reply.split("\n")[-1], reply


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "plan a product launch campaign for our new CRM integration, launch on March 3, budget "
            "$25k, channels email, LinkedIn and webinar",
            ["Type                     Launch", "Launch                   2027-03-03"],
        ),
        (
            "plan de lancement produit pour notre nouvelle intégration, lancement le 3 mars, "
            "budget 25 k€, canaux email, LinkedIn et webinar",
            ["Type               Lancement", "Lancement          03/03/2027"],
        ),
    ],
)
def test_a_webinar_among_a_launchs_channels_keeps_it_a_launch(conv, text, expected):
    reply, _ = answer(conv, text)
    assert (
        all(e in reply for e in expected)
        and "Webinar" in reply.split("Calendar")[0].split("Calendrier")[0]
    ), reply


@pytest.mark.parametrize(
    "text, raised",
    [
        (
            "We ran a pricing test: $49 plan vs $59 plan. 4,200 visitors each, 168 vs 139 "
            "purchases. Which makes more money?",
            [],  # $1.96 against $1.95 per visitor: fewer purchases at a higher price, same revenue
        ),
        (
            "pricing test: $39 vs $45, 6,000 visitors per arm, 240 vs 230 purchases. ship $45?",
            ["+10.6 %"],  # $1.56 to $1.73 per visitor
        ),
    ],
)
def test_a_pricing_tests_revenue_moves_by_its_prices_and_its_purchases(conv, text, raised):
    reply, notices = answer(conv, text)
    assert "A/B test readout" in reply, reply
    assert [n for n in notices if "revenue by more than 10%" in n and raised[0] in n] == notices
    assert len(notices) == len(raised), notices


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "we want to personalise the homepage for 3 segments: new visitors, returning customers, "
            "and B2B leads. what should each see?",
            [
                ("new visitors", "social proof"),
                ("returning customers", "Recommendations from what they viewed"),
                ("B2B leads", "book a demo"),
            ],
        ),
        (
            "personnaliser le site pour 4 segments : nouveaux visiteurs, clients fidèles, paniers "
            "abandonnés, visiteurs mobiles",
            [
                ("nouveaux visiteurs", "preuve sociale"),
                ("clients fidèles", "avantages fidélité"),
                ("paniers abandonnés", "Leur panier rappelé"),
                ("visiteurs mobiles", "paiement express"),
            ],
        ),
    ],
)
def test_each_segment_gets_the_experience_of_its_kind(conv, text, expected):
    reply, _ = answer(conv, text)
    rows = {line.split("  ")[0]: line for line in reply.splitlines()}
    assert all(what in rows.get(segment, "") for segment, what in expected), reply


def test_a_newsletter_plans_cadence_is_dated_and_a_new_interval_replaces_it(conv):
    weekly, fortnightly = thread_of(
        conv,
        "Je lance une newsletter hebdo pour nos 8 000 abonnés, tu peux me proposer un plan sur "
        "le premier mois ?",
        "plutôt tous les 15 jours",
    )
    sends = [re.findall(r"^\d\d/\d\d/\d{4}  ", r, re.M) for r in (weekly, fortnightly)]
    assert len(sends[0]) in (4, 5) and len(sends[1]) == 2, (weekly, fortnightly)
    assert "tous les 15 jours" not in fortnightly.split("Également lu")[-1], fortnightly


@pytest.mark.parametrize(
    "text, expected, absent",
    [
        pytest.param(
            "les MQL de septembre : 340, dont 51 passés en SQL et 12 signés. c'est bien ?",
            ["MQL            340", "passés en SQL  51      15,0 %", "Conversion globale  3,53 %"],
            [],
            id="funnel-step-named-before-its-colon-fr",
        ),
        pytest.param(
            "signups in October: 5,200, of which 1,300 activated and 260 went paid. is that good?",
            ["signups    5,200", "activated  1,300   25.0%", "Overall conversion  5.00%"],
            [],
            id="funnel-step-named-before-its-colon-en",
        ),
        pytest.param(
            "J'ai 45k€ pour Q2: google (CPA 28€), meta (CPA 35€), linkedin (CPA 90€). objectif "
            "1500 leads. ça passe ?",
            ["Budget total                 45 000 €", "un CPA moyen de 30,00 € au plus"],
            [],
            id="quarter-budget-split-by-cpa-against-goal-fr",
        ),
        pytest.param(
            "we have $45k for Q2: google (CPA $28), meta (CPA $35), linkedin (CPA $90). goal "
            "1,500 leads. doable?",
            ["Total budget                 $45,000", "it needs a blended CPA of $30.00 at most"],
            [],
            id="quarter-budget-split-by-cpa-against-goal-en",
        ),
        pytest.param(
            "Nos campagnes Google Ads : CTR 1,2 %, CPC 2,40 €, taux de conv 3,5 %. Combien de "
            "clics pour 200 ventes et quel budget ?",
            ["68,57 €", "5 714", "13 714,29 €"],  # 2,40 / 3,5 %; 200 / 3,5 %; 200 × 68,57
            [],
            id="clicks-and-budget-from-cpc-and-rate-fr",
        ),
        pytest.param(
            "our search ads: CPC $1.80, conversion rate 4%. how many clicks do we need for 300 "
            "signups, and what budget?",
            ["$45.00", "7,500", "$13,500.00"],
            [],
            id="clicks-and-budget-from-cpc-and-rate-en",
        ),
        pytest.param(
            "quick one: ROAS per channel last month - google $42k spend / $168k revenue, meta $31k "
            "/ $77.5k, tiktok $9k / $12.6k. where should we move money?",
            ["Budget allocation — $82,000", "from TikTok to Google"],
            [],
            id="money-moved-between-channels-en",
        ),
        pytest.param(
            "on a dépensé 12k€ sur Meta pour 30k€ de CA et 8k€ sur Google pour 36k€ de CA, on "
            "réalloue comment ?",
            ["Allocation budgétaire — 20 000 €", "Google  8 000 €   12 857 €  +4 857 €"],
            [],
            id="money-moved-between-channels-fr",
        ),
        pytest.param(
            "sms campaign to 35k contacts, 2.1% CTR, 0.4% conversion, cost 0.06€ per sms, AOV 45€. "
            "worth it?",
            ["€2,100.00", "140", "€6,300.00", "3.00x"],  # 35,000 × 0.06; × 0.4 %; × 45; ÷ spend
            ["26,250,000", "Clients"],
            id="cost-per-send-times-list-en",
        ),
        pytest.param(
            "campagne SMS vers 20 000 contacts à 0,05 € par SMS, 0,6 % de conversion, panier moyen "
            "38 €. rentable ?",
            ["1 000,00 €", "120", "4 560,00 €", "4,56x"],
            ["26,250,000", "Clients"],
            id="cost-per-send-times-list-fr",
        ),
        pytest.param(
            "Our trial-to-paid is 9%. We get 3,000 trials a month at $79/month. What's the MRR "
            "impact if we get it to 12%?",
            ["+90 conversions", "+$7,110", "$21,330.00"],  # 3,000 × 3 pts × $79; 270 × $79
            ["237,000"],
            id="trial-to-paid-rate-raised-en",
        ),
        pytest.param(
            "notre taux essai vers payant est de 9 %, on a 3 000 essais par mois à 79 €/mois. quel "
            "impact sur le MRR si on passe à 12 % ?",
            ["+90 conversions", "+7 110 €", "21 330,00 €"],
            ["237,000"],
            id="trial-to-paid-rate-raised-fr",
        ),
        pytest.param(
            "cohort retention: month 1 100%, month 2 48%, month 3 36%, month 4 31%, month 5 29%. "
            "when does it flatten and what's our 6-month LTV at $25/mo?",
            # (100 + 48 + 36 + 31 + 29 + 29 × 93.5 %) % × $25
            ["6-month LTV at $25 a month: $67.78", "2.71 of the 6 months"],
            ["not computed", "non calculé", "moiss"],
            id="retention-curve-ltv-over-horizon-en",
        ),
        pytest.param(
            "rétention de la cohorte de janvier : M1 100 %, M2 55 %, M3 42 %, M6 30 %. quelle LTV "
            "sur 12 mois avec un abonnement à 19 €/mois ?",
            ["LTV sur 12 mois à 19 € par mois : 80,16 €", "environ 9 mois pour"],
            ["not computed", "non calculé", "moiss"],
            id="retention-curve-ltv-over-horizon-fr",
        ),
        pytest.param(
            "our search CPC climbed from $0.90 to $1.40 this month, conversion rate still 3%, "
            "AOV $60. is our ROAS still above the 2.5 target?",
            ["ROAS (AOV ÷ CPA)", "1.29x", "2.00x", "ROAS 1.29x below the 2.50x target"],
            ["ROAS not computed"],
            id="roas-from-cpc-rate-and-aov-against-target-en",
        ),
        pytest.param(
            "CPC 0,80 €, taux de conversion 2 %, panier moyen 60 €. quel ROAS ?",
            ["ROAS (panier moyen ÷ CPA)", "1,50x"],
            ["ROAS non calculé"],
            id="roas-from-cpc-rate-and-aov-fr",
        ),
        pytest.param(
            "on a généré 1 640 leads en septembre pour 38 500 € de dépenses Google Ads, dont 330 MQL "
            "et 80 SQL. coût par SQL ?",
            ["Étape par étape : leads 1 640 → MQL 330", "leads 23,48 €, MQL 116,67 €"],
            ["leadspour", "leads pour"],
            id="funnel-step-name-stops-at-the-next-figure-fr",
        ),
        pytest.param(
            "three ideas to rank: exit popup (ICE 6/7/9), referral program (ICE 8/5/4), quiz "
            "(ICE 7/6/6)",
            ["First experiment  exit popup\n", "3  referral program  8  5  4  160"],
            ["(ICE 6", "program (ICE"],
            id="ice-idea-name-without-its-scores-label-en",
        ),
        pytest.param(
            "séquence de relance panier abandonné en 3 emails : le premier 1h après l'abandon, "
            "puis J+2 et J+5, avec la livraison offerte dans le dernier",
            ["1      1 h    Email  Rappel", "3      J+5    Email"],
            ["Le premier"],
            id="sequence-touch-named-by-its-rank-gets-a-theme-fr",
        ),
        pytest.param(
            "nos désinscriptions sont montées de 0,3 % à 1,2 % sur les 4 derniers envois de la "
            "newsletter, pourquoi ?",
            ["de 0,30 % à 1,20 % par envoi sur les 4 derniers envois : 4,0 fois plus"],
            ["4 contacts", "il me manque"],
            id="unsubscribe-rise-over-the-last-sends-fr",
        ),
        pytest.param(
            "unsubscribes went from 0.25% to 0.9% over the past 3 campaigns. what's going on?",
            ["from 0.25% to 0.90% a send over the last 3 sends: 3.6 times as many"],
            ["3 contacts", "I still need"],
            id="unsubscribe-rise-over-the-last-sends-en",
        ),
        pytest.param(
            "plan our Cyber Monday email push: 40k subscribers, 2 sends on Nov 29 and Nov 30, "
            "we're aiming for $56k in sales with an average order of $70",
            ["800 orders over 2 days, i.e. 400 a day. 2.00% of the 40,000 contacts must buy."],
            ["Also read"],
            id="campaign-revenue-goal-in-orders-and-list-share-en",
        ),
        pytest.param(
            "campagne fête des mères du 15 au 28 mai, budget 12 000 €, objectif 96 000 € de CA "
            "avec un panier moyen de 60 €, canaux Instagram et email",
            [
                "1 600 commandes sur 2 semaines (14 jours), soit 800 par semaine",
                "une commande peut coûter 7,50 € au plus",
            ],
            ["Également lu"],
            id="campaign-revenue-goal-in-orders-and-cost-cap-fr",
        ),
        pytest.param(
            "deux tarifs testés pour le plan Pro : 49 € et 59 €. 4 800 visiteurs par version, "
            "150 abonnements à 49 € et 131 à 59 €. lequel on garde ?",
            [
                "au prix de 49,00 € : 150 conversions",
                "au prix de 59,00 € : 131 conversions",
                "Lift relatif                     5,2 %",
            ],
            ["Escaladé", "budget 59"],
            id="pricing-test-arms-counted-at-their-price-fr",
        ),
        pytest.param(
            "NPS du trimestre : 640 réponses, 250 promoteurs, 230 passifs, le reste détracteurs",
            ["NPS  14,1 pts"],
            ["non calculé"],
            id="nps-third-group-is-the-rest-fr",
        ),
        pytest.param(
            "2,000 survey answers: 380 detractors, 720 passives and the remainder promoters. NPS?",
            ["NPS  26.0 pts"],
            ["not computed"],
            id="nps-third-group-is-the-rest-en",
        ),
        pytest.param(
            "A/B sur le formulaire de contact : A 6 100 visites 183 demandes, B 6 050 visites 230 "
            "demandes. résultat regardé après 5 jours, on peut basculer sur B ?",
            ["Provisoire (lu au bout de 5 jours", "Laisser tourner au moins 14 jours"],
            ["Déployer B"],
            id="readout-after-fewer-days-than-two-weekly-cycles-fr",
        ),
        pytest.param(
            "signup page test, we peeked after 6 days: control 7,200 visitors 216 signups, "
            "variant 7,150 visitors 272 signups. can we call it?",
            ["Provisional (read after 6 days", "Keep it running for at least 14 days"],
            ["Roll out B"],
            id="readout-after-fewer-days-than-two-weekly-cycles-en",
        ),
        pytest.param(
            "le mois dernier : 18 000 € sur Google pour 240 clients, 12 000 € sur Meta pour 120 "
            "clients. où mettre les 30 000 € du mois prochain ?",
            [
                "Google  18 000 €  21 000 €  +3 000 €  70,0 %  75 €",
                "votre répartition actuelle donne 360 conversions ; celle-ci 370",
            ],
            ["Objectif de 240", "sans effet sur ce calcul"],
            id="next-budget-split-on-customers-each-channel-bought-fr",
        ),
        pytest.param(
            "last quarter we spent $30k on linkedin for 150 leads and $20k on google for 250 "
            "leads. which has the better CPL, and where should the next $50k go?",
            ["LinkedIn  $30,000  $14,286  -$15,714  28.6%  $200", "Google has the lowest CPA"],
            ["KPI sheet", "Goal of"],
            id="next-budget-split-on-leads-each-channel-bought-en",
        ),
        pytest.param(
            "pricing page test: A 12,000 visitors 360 orders, B 11,900 visitors 416 orders, AOV "
            "$75 on both. good to ship?",
            ["A $2.25, B $2.62 (+16.5%)", "Escalated: Test moves revenue by more than 10%"],
            ["Also read"],
            id="one-basket-on-both-arms-moves-revenue-with-orders-en",
        ),
        pytest.param(
            "test panier : A 11 000 visites 330 commandes, B 10 900 visites 381 commandes, panier "
            "moyen identique (58 €). on déploie ?",
            ["A 1,74 €, B 2,03 € (+16,5 %)", "Escaladé : Test impacte le CA > 10%"],
            ["Également lu"],
            id="one-basket-said-the-same-moves-revenue-with-orders-fr",
        ),
        pytest.param(
            "in september we put $12k into meta for 300 signups and $18k into google for 360 "
            "signups. where should october's $30k go?",
            ["Meta     $12,000  $16,667  +$4,667  55.6%  $40", "Google   $18,000  $13,333"],
            ["Goal of", "Also read"],
            id="money-put-into-each-channel-is-its-spend-en",
        ),
        pytest.param(
            "notre CAC ce trimestre ? 65 000 € de publicité, 12 000 € de logiciels, 3 SDR à "
            "5 000 € par mois, 140 nouveaux clients",
            ["65 000 € + 12 000 € + 15 000 € = 92 000 €", "CAC  657,14 €"],
            ["Coût par sdr", "Également lu"],
            id="cac-adds-every-cost-and-each-headcount-fr",
        ),
        pytest.param(
            "what's our CAC? ad spend $30k, tools $4k, 3 SDRs at $6k each, 75 new customers",
            ["$30,000 + $4,000 + $18,000 = $52,000", "CAC  $693.33"],
            ["Cost per sdr", "Also read"],
            id="cac-adds-every-cost-and-each-headcount-en",
        ),
        pytest.param(
            "planning a test on the cart page for our UK shoppers, roughly 40% of the revenue: "
            "baseline 3.1%, MDE 10% relative, 8k visitors a day. sample size?",
            ["the conversion rate will rise from 3.10% to at least 3.41%"],
            ["revenue per visitor will rise"],
            id="share-of-revenue-a-test-touches-is-not-its-metric-en",
        ),
        pytest.param(
            "c'est quoi un bon taux d'ouverture pour des emails promo ? nous on tourne à 16 %",
            ["ouvertures 16,0 % contre 21,3 % en moyenne (en dessous)"],
            ["il me manque"],
            id="open-rate-judged-against-the-averages-fr",
        ),
        pytest.param(
            "is a 27% open rate good for our product newsletter?",
            ["opens 27.0% against 21.3% on average (above)"],
            ["I still need"],
            id="open-rate-judged-against-the-averages-en",
        ),
        pytest.param(
            "we get 3,000 MQLs a quarter, MQL to SQL 20%, SQL to won 25%, ACV $8k. what revenue "
            "is that, and if MQL to SQL reaches 28%?",
            ["3,000 × 20.0% × 25.0% = 150", "gives 210 at the end"],
            ["not computed"],
            id="pipeline-rates-given-are-not-missing-en",
        ),
        pytest.param(
            "un influenceur qu'on sponsorise a publié une story où il se moque d'une communauté, "
            "avec notre logo bien visible. 30k vues déjà, on fait quoi ?",
            ["Ce n'est pas une demande d'opérations marketing"],
            ["KPI"],
            id="brand-crisis-with-its-view-count-is-no-kpi-sheet-fr",
        ),
        pytest.param(
            "an influencer we paid just posted a video mocking a religion while wearing our merch, "
            "60k views already. what now?",
            ["That is not a marketing operations request"],
            ["KPI"],
            id="brand-crisis-with-its-view-count-is-no-kpi-sheet-en",
        ),
        pytest.param(
            "I need a lead score for this one: VP of Marketing at a 2,500-person fintech, visited "
            "pricing 4 times this week, downloaded 2 whitepapers and asked for a demo yesterday",
            ["105 pts", "Lead score > 80", "Demo/pricing request", "Enterprise lead"],
            ["no lead described"],
            id="a-score-asked-for-this-one-scores-the-lead-described-en",
        ),
        pytest.param(
            "j'ai besoin d'un score pour celui-ci : directeur commercial dans une boîte de 600 "
            "personnes, il a téléchargé notre livre blanc et visité la page tarifs 3 fois",
            ["65 pts", "MQL"],
            ["aucun lead décrit"],
            id="a-score-asked-for-this-one-scores-the-lead-described-fr",
        ),
        pytest.param(
            "personnalisation de la home : on a 3 segments (nouveaux visiteurs 60 %, clients "
            "récurrents 25 %, paniers abandonnés 15 %). quoi montrer à chacun ?",
            ["Expériences  3", "clients récurrents (25 %)", "paniers abandonnés (15 %)"],
            ["taux 60 %"],
            id="segments-listed-in-brackets-each-with-its-share",
        ),
        pytest.param(
            "weekly perf: spend 12.4k, 310 conversions, revenue 41k. last week 11.8k, 295 conv, 38.5k",
            ["€11,800", "€38,500", "3.26x", "+6.5%"],
            ["number 11,800", "number 38,500"],
            id="last-weeks-bare-figures-in-the-order-of-this-weeks",
        ),
        pytest.param(
            "S48 : CA 64 200 €, 1 020 commandes, 21 000 sessions ; S47 : 58 900, 960, 19 800. ça "
            "donne quoi ?",
            ["58 900 €", "+9,0 %", "19 800"],
            ["il me manque", "nombre 58 900"],
            id="a-previous-weeks-figures-without-names-in-the-order-of-this-weeks",
        ),
        pytest.param(
            "Black Friday recap: 2025 revenue €182k on 2,900 orders, 2026 revenue €214k on 3,150 "
            "orders, ad spend went from €31k to €42k. how did we do?",
            ["€214,000     €182,000", "€42,000      €31,000", "5.10x        5.87x"],
            ["€2,025", "€2,026"],
            id="years-before-their-figures-are-labels-and-a-spend-move-spans-both-years",
        ),
        pytest.param(
            "bilan Black Friday : 2025 : CA 182 k€ pour 2 900 commandes ; 2026 : CA 214 k€ pour "
            "3 150 commandes, la pub est passée de 31 k€ à 42 k€. verdict ?",
            ["214 000 €      182 000 €", "5,10x          5,87x"],
            ["182 000 €      182 000 €"],
            id="a-verdict-asked-on-two-years-is-no-test",
        ),
        pytest.param(
            "la landing convertit les visiteurs en demandes de démo à 3 %, CPC 2,50 €. combien de "
            "clics et quel budget pour 300 démos ?",
            ["10 000", "25 000,00 €"],
            ["il me manque"],
            id="clicks-and-budget-for-a-goal-when-the-page-converts-visitors-at-a-rate",
        ),
        pytest.param(
            "monthly report for the board: MRR $184k (+3.1%), new customers 96, churned 41, CAC "
            "$1,150, NRR 104%. can you write it up?",
            ["Net new customers  55"],
            ["Churn rate", "MRR lost"],  # 41 / 96 = 42.7 % is no churn rate: 96 is no base
            id="new-customers-beside-churned-ones-are-no-base-for-a-churn-rate-en",
        ),
        pytest.param(
            "bilan du mois : 48 000 € de pub, 160 nouveaux clients, 35 clients perdus",
            ["Clients nets gagnés  125", "300,00 €"],
            ["Taux de churn"],
            id="new-customers-beside-churned-ones-are-no-base-for-a-churn-rate-fr",
        ),
        pytest.param(
            "a lead just filled our contact form: CTO at Airbus, wants pricing for 500 seats",
            ["65 pts", "hand off to sales now, whatever the score"],
            ["nurturing sequence until the SQL threshold"],
            id="a-lead-who-asked-for-pricing-goes-to-sales-below-the-sql-threshold",
        ),
        pytest.param(
            "we're 12 days into a 30-day campaign, budget $60k, spent $31k so far, 410 conversions "
            "against a goal of 1,200. are we on track?",
            ["12 days out of 30", "1,025 conversions by the end", "need $36.71 each"],
            ["number 1,200", "duration 12 days"],
            id="days-into-a-campaign-pace-it-against-its-budget-and-goal-en",
        ),
        pytest.param(
            "on est à J12 d'une campagne de 30 jours, budget 60 k€, 31 k€ dépensés, 410 "
            "conversions pour un objectif de 1 200. on est dans les clous ?",
            ["12 jours sur 30", "demandent 36,71 € chacun", "Sur-rythme"],
            [],
            id="days-into-a-campaign-pace-it-against-its-budget-and-goal-fr",
        ),
        pytest.param(
            "j'ai 25k€ à répartir entre Google Ads, Meta et LinkedIn pour générer des leads B2B. "
            "l'an dernier : Google 180 leads pour 9 000 €, Meta 95 leads pour 6 000 €, LinkedIn "
            "60 leads pour 7 500 €.",
            ["Google Ads  9 000 €  11 407 €", "LinkedIn    7 500 €  4 563 €", "125 €"],
            ["visiteurs 9 000 €", "répartition égale"],  # money is no audience, nor arm A
            id="leads-for-an-amount-are-what-each-channel-bought-with-its-spend",
        ),
        pytest.param(
            "Nos ventes en ligne : janvier 42 000 €, février 39 500 €, mars 47 800 €. On a dépensé "
            "6 200, 6 000 et 7 100 € en pub. Quel mois a été le plus rentable ?",
            [
                "février  39 500 €  6 000 €  6,58x",
                "Meilleur ROAS : janvier (6,77x)",
                "mars (40 700 €)",
            ],
            ["CA 39 500 €, CA 47 800 €"],  # not listed as unused
            id="revenue-and-spend-month-by-month-say-which-month-paid-best-fr",
        ),
        pytest.param(
            "online sales: January $42,000, February $39,500, March $47,800; ad spend $6,200, "
            "$6,000 and $7,100. which month was the most profitable?",
            ["Best ROAS: January (6.77x)", "most left once the ads are paid: March ($40,700)"],
            [],
            id="revenue-and-spend-month-by-month-say-which-month-paid-best-en",
        ),
        pytest.param(
            "A/B test on the welcome email subject: A sent to 12,000 with 2,640 opens, B sent to "
            "12,000 with 2,910 opens. which one and is it significant?",
            ["B: open rate 24.25% against 22.00% for A"],
            ["B converts at"],
            id="a-subject-test-on-opens-reads-open-rates-not-conversions-en",
        ),
        pytest.param(
            "test objet : A envoyé à 10 000, 2 150 ouvertures ; B envoyé à 10 000, 2 390 "
            "ouvertures. lequel garder ?",
            ["B : taux d'ouverture de 23,90 % contre 21,50 % pour A"],
            ["B convertit"],
            id="a-subject-test-on-opens-reads-open-rates-not-conversions-fr",
        ),
        pytest.param(
            "Plan de lancement multicanal pour notre webinar du 15 janvier : email (base 25k), "
            "LinkedIn organique, LinkedIn Ads 3k€, partenaires. Objectif 600 inscrits.",
            ["Plan de campagne — Événementielle", "15/01/2027 (jour de l'événement)"],
            ["Fin de campagne    26/02/2027"],  # a campaign that went on 6 weeks after the webinar
            id="a-launch-plan-for-a-webinar-is-an-event-campaign-fr",
        ),
        pytest.param(
            "launch plan for our webinar on February 12, email list 8k, LinkedIn ads 2k",
            ["Campaign plan — Event", "2027-02-12"],
            ["Campaign plan — Launch"],
            id="a-launch-plan-for-a-webinar-is-an-event-campaign-en",
        ),
        pytest.param(
            "Résultats test objet d'email :\nA « -20 % ce week-end » → 15 000 envois, 3 150 "
            "ouvertures\nB « Votre cadeau vous attend » → 15 000 envois, 3 690 ouvertures\n"
            "On garde lequel ?",
            ["21,00 % (3 150 / 15 000)", "24,60 % (3 690 / 15 000)", "Significatif"],
            ["il me manque", "-20 %"],
            id="subject-lines-quoted-after-their-arm-are-copy-and-the-arms-are-compared",
        ),
        pytest.param(
            "cohort retention M1 62%, M3 41%, M6 29% — ARPU 39€/mois. c'est quoi notre LTV à "
            "peu près ?",
            ["LTV  357,76 €", "churn où la courbe se stabilise"],
            ["LTV non calculé"],
            id="a-retention-curve-gives-the-churn-an-ltv-divides-by",
        ),
        pytest.param(
            "we need 300 SQLs next quarter. MQL→SQL is 22%, lead→MQL 35%, landing page converts "
            "4%. how much traffic do we need and at CPC $2.10 what does that cost?",
            ["3,897 leads", "97,403 visits", "$204,546 of traffic"],
            [],
            id="a-goal-read-backwards-gives-the-traffic-and-its-cost-at-the-cpc",
        ),
        pytest.param(
            "Analyse d'attribution : sur 1 200 conversions, Google est en premier contact dans 45 % "
            "des parcours et en dernier dans 30 %, Meta 25 % / 20 %, email 10 % / 35 %, direct "
            "20 % / 15 %. Quel canal sous-estime-t-on ?",
            ["Google  30 %        45 %", "Email   35 %        10 %", "Google gagne 15 points"],
            [],
            id="first-and-last-touch-shares-per-channel-are-two-models-compared",
        ),
        pytest.param(
            "On veut tester 2 nouvelles accroches contre l'actuelle sur la landing webinar "
            "(3 versions). Taux actuel 12 %, on veut voir +2 points, 800 visites par jour. "
            "Combien de temps ?",
            ["(3 variantes)", "Bonferroni correction for 2 comparisons"],
            ["4 variantes"],
            id="two-new-versions-against-the-current-one-are-three-versions",
        ),
        pytest.param(
            "Taux de conversion mobile 1,2 % vs desktop 3,4 % sur 60 000 sessions mobiles et "
            "25 000 desktop par mois. Panier moyen 72 €. Combien on perd sur mobile ?",
            ["+95 040 €/mois", "1 320 conversions de plus"],
            ["+39 600 €"],
            id="each-devices-sessions-price-the-weaker-devices-gap-fr",
        ),
        pytest.param(
            "mobile converts at 0.9% on 40k sessions a month, desktop at 2.6% on 18k. AOV $95. "
            "what is the mobile gap worth?",
            ["+$64,600/month", "680 more conversions"],
            [],
            id="each-devices-sessions-price-the-weaker-devices-gap-en",
        ),
        pytest.param(
            "email de relance panier abandonné : taux d'ouverture 41 %, clic 9 %, récupération 6 % "
            "sur 3 200 paniers/mois, panier moyen 68 €. combien ça rapporte et comment faire mieux ?",
            ["192 conversions par mois, soit 13 056 € de CA", "Toujours pas d'achat à J+1"],
            ["Newsletter", "Inactifs > 90 j"],
            id="a-cart-recovery-email-says-what-it-brings-and-plans-the-flow-not-newsletters",
        ),
        pytest.param(
            "Quick check on our Meta campaign: CTR fell from 1.4% to 0.8% over 3 weeks, frequency "
            "is at 4.2, CPM up 35%. what's going on?",
            [
                "each click costs +136.2%",
                "-57.7% clicks",
                "the creative is wearing out",
                "4.2 times",
            ],
            ["I still need", "conversions (or orders?)", "not used by this calculation"],
            id="a-ctr-that-fell-with-the-cpm-up-prices-each-click-and-names-the-creative",
        ),
        pytest.param(
            "hi! can you check if our test is big enough? we ran 9 days, control 2,100 visitors "
            "63 orders, variant 2,080 visitors 79 orders",
            [
                "(3.00% → 3.80%)",
                "each version needs 8,066 visitors; you have 2,080",
                "26 more days",
            ],
            [],
            id="a-test-too-small-says-the-visitors-the-observed-gap-needs-and-the-days-left",
        ),
        pytest.param(
            "Write me a launch plan for our new mobile app feature (offline mode) — target: "
            "existing users, goal 15,000 activations in 6 weeks, budget $20k",
            ["Goal: 15,000 activations", "target cost: $1.33"],
            ["segments mobile", "number 15,000"],
            id="a-launch-goal-in-activations-sets-the-target-cost-and-an-app-is-no-audience",
        ),
        pytest.param(
            "ICE scoring for these ideas pls: 1) exit-intent popup (impact 6, confidence 7, ease "
            "9) 2) new onboarding video (8, 5, 4) 3) referral program (9, 6, 3)",
            ["1  exit-intent popup     6  7  9  378"],
            ["these ideas"],
            id="ideas-pointed-at-are-no-audience",
        ),
        pytest.param(
            "plan de campagne pour la fête des pères (21 juin), budget 15 000 €, objectif 600 "
            "ventes, canaux email, Meta et Google Shopping",
            ["31/05/2027 (début de la promotion", "21/06/2027 (jour de l'événement)"],
            ["12/07/2027", "Relance post-événement"],
            id="a-seasonal-campaign-for-an-occasion-sells-up-to-its-day",
        ),
        pytest.param(
            "plan de campagne pour les soldes du 8 janvier, budget 20 000 €",
            ["Lancement          08/01/2027"],
            ["jour de l'événement"],
            id="a-sale-starts-on-its-date",
        ),
        pytest.param(
            "Test prix : 29 €/mois → 2 140 essais, 412 abonnés ; 39 €/mois → 2 090 essais, 351 "
            "abonnés. Lequel rapporte le plus ?",
            ["moyenne 5,58 €", "moyenne 6,55 €", "412 conversions (19,25 %)", "Significatif"],
            ["il me manque"],
            id="a-price-test-reads-trials-as-the-base-and-subscribers-as-conversions-fr",
        ),
        pytest.param(
            "pricing test: $29/mo plan got 2,140 trials and 412 subscribers; $39/mo plan got "
            "2,090 trials and 351 subscribers. which makes more money?",
            ["mean $5.58", "mean $6.55", "351 conversions (16.79%)"],
            ["I still need"],
            id="a-price-test-reads-trials-as-the-base-and-subscribers-as-conversions-en",
        ),
        pytest.param(
            "LinkedIn Ads: $14,200 spent, 1.1M impressions, 3,300 clicks, 41 SQLs. Our target "
            "cost per SQL is $300. Are we on track?",
            ["Cost per SQL $346.34 above the $300 target (+15.4%)"],
            ["not used by this calculation"],
            id="a-target-cost-per-sql-is-checked-against-the-cost-per-sql",
        ),
        pytest.param(
            "we added a chatbot to the pricing page two weeks ago and demo requests went from "
            "120/week to 165/week. traffic stayed flat at ~9k/week. real effect?",
            ["1.33% (120 / 9,000)", "1.83% (165 / 9,000)", "p-value  ", "Before/after is not"],
            ["I still need"],
            id="a-count-that-moved-on-a-flat-traffic-is-compared-before-and-after",
        ),
        pytest.param(
            "Taux d'ouverture de la newsletter : 24 % en septembre, 19 % en octobre, 16 % en "
            "novembre. Ça vient d'où ?",
            ["passé de 24,0 % à 16,0 %", "délivrabilité"],
            ["il me manque", "Plan d'envoi", "taux d'ouverture 19 %"],
            id="an-open-rate-month-by-month-is-a-fall-to-diagnose-without-the-list-size",
        ),
        pytest.param(
            "our newsletter open rate: jan 31%, feb 27%, mar 22%. what is going on?",
            ["went from 31.0% to 22.0%"],
            ["I still need", "2027-01-31"],
            id="a-month-abbreviation-before-a-rate-is-no-date",
        ),
        pytest.param(
            "Our Q4 email newsletter got 38% opens but only 0.9% clicks on 54,000 sends. Is the "
            "content the problem?",
            ["Clicks over opens (CTOR): 2.4%, against about 12%", "the content and its call"],
            [],
            id="clicks-over-opens-say-whether-the-content-loses-readers",
        ),
        pytest.param(
            "scoring : Julie, directrice financière chez une PME de 150 personnes, 2 visites page "
            "tarifs, a ouvert 4 emails",
            ["Score du lead  45 pts", "« page tarifs »"],
            ["visiteurs 2"],
            id="a-leads-visits-are-its-activity-not-traffic-left-unused",
        ),
        pytest.param(
            "A/B on the signup form: 2 fields vs 5 fields. 2-field: 11,200 visitors, 1,456 "
            "signups. 5-field: 11,150 visitors, 1,115 signups. which one wins?",
            ["13.00% (1,456 / 11,200)", "10.00% (1,115 / 11,150)", "Keep A"],
            ["(1 / 2)", "50.00%"],
            id="versions-named-by-a-count-are-the-arms-not-their-figures",
        ),
        pytest.param(
            "Notre taux de désabonnement est passé de 0,3 % à 1,1 % depuis qu'on envoie 3 "
            "newsletters par semaine au lieu d'une. On fait quoi ?",
            ["14,3 % de la base perdus chaque mois", "3,7 fois plus"],
            ["3 contacts", "environ 0 désinscrits"],
            id="newsletters-a-week-are-sends-not-a-list-of-contacts",
        ),
        pytest.param(
            "plan a retargeting campaign for cart abandoners on Meta and Google Display, budget "
            "€8k over 4 weeks, goal 320 recovered orders",
            ["Channels                     3", "\nGoogle Display ", "target cost of €25.00"],
            ["\nGoogle   ", "\nDisplay ", "number 320"],
            id="google-display-is-one-channel-and-recovered-orders-are-the-goal",
        ),
        pytest.param(
            "build a lead nurturing workflow for webinar no-shows: email with replay same day, "
            "reminder at day 3, sales call task at day 7 if they opened both",
            ["TRIGGER: webinar no-shows", "D+7 : Sales call task if they opened both"],
            ["Download", "task at if"],
            id="a-workflow-for-an-audience-starts-when-they-enter-it",
        ),
        pytest.param(
            "Paid search: $9k a month, CPA is $60 and the CMO wants $45 CPA at the same lead "
            "volume. doable?",
            ["Campaign tracking", "150 conversions would cost $6,750", "200 conversions (+33.3%)"],
            ["KPI sheet", "No KPI can be computed"],
            id="a-target-cpa-wanted-says-what-it-takes",
        ),
        pytest.param(
            "sur meta on dépense 6 000 €/mois avec un CPA de 40 €, la direction veut descendre "
            "à 30 € de CPA sans perdre de volume. c'est réaliste ?",
            ["Suivi de campagne", "150 conversions coûteraient 4 500 €", "200 conversions"],
            ["Allocation budgétaire"],
            id="un-cpa-cible-voulu-dit-ce-qu-il-demande",
        ),
        pytest.param(
            "Spring launch email: 36,000 sent, 8,640 opens, 972 clicks, 140 orders, AOV $45. "
            "usually we get 20% opens and 2.2% clicks - how did it go?",
            ["Opens 24.0% against your usual 20.0% (+20.0%)", "revenue $6,300", "Above your usual"],
            ["Opens 20.0% against 21.3% on average"],
            id="a-send-against-the-usual-rates",
        ),
        pytest.param(
            "Newsletter de novembre : 28 000 envois, 5 320 ouvertures, 588 clics, 96 commandes, "
            "panier moyen 64 €. D'habitude on est à 22 % d'ouverture et 2,5 % de clic, c'est mieux ?",
            [
                "Ouverture 19,0 % contre 22,0 % d'habitude (-13,6 %)",
                "CA 6 144 €",
                "avant l'ouverture",
            ],
            ["Également lu"],
            id="un-envoi-face-aux-taux-habituels",
        ),
        pytest.param(
            "product demo webinar on February 5, goal is 400 registrations and our attendance "
            "rate is about 40%. need the email sequence to promote it",
            ["Multi-touch sequence", "≈ 160 live attendees", "Registration: exit the invitations"],
            ["Campaign plan", "LinkedIn", "the number of messages"],
            id="an-event-s-invitations-with-its-registrations-and-show-rate",
        ),
        pytest.param(
            "on organise un atelier en ligne le 12 février, on vise 200 inscrits avec un taux de "
            "participation de 45 % d'habitude. tu peux me faire la séquence d'emails d'invitation ?",
            ["Séquence multi-touch", "≈ 90 participants en direct", "12/02/2027"],
            ["il me manque", "LinkedIn"],
            id="les-invitations-d-un-atelier-avec-ses-inscrits-et-sa-presence",
        ),
        pytest.param(
            "pricing page bounce rate jumped from 44% to 63% after the new template went live, on "
            "about 9,000 sessions. should we roll back?",
            ["CRO strategy", "+19 pts, about 1,710 more visitors leaving", "50/50 A/B"],
            ["KPI sheet", "Campaign tracking", "the current conversion rate"],
            id="a-bounce-rate-that-rose-after-a-release",
        ),
        pytest.param(
            "depuis la nouvelle fiche produit, le taux de rebond est passé de 29 % à 47 % sur "
            "environ 15 000 sessions. on remet l'ancienne ?",
            [
                "Stratégie CRO",
                "+18 pts, soit environ 2 700 visiteurs de plus",
                "revenir à l'ancienne",
            ],
            ["Fiche KPIs", "il me manque"],
            id="un-rebond-qui-monte-apres-une-mise-en-ligne",
        ),
        pytest.param(
            "our trial-to-paid is 12% on 1,500 trials a month, ARPU $39. if onboarding emails "
            "push it to 15%, how much MRR is that?",
            ["+45 conversions, at $39.00 each: +$1,755"],
            ["not a marketing operations request"],
            id="figures-that-fit-one-specialist-are-not-out-of-scope",
        ),
        pytest.param(
            "landing test: variant A and B each got 6,200 visitors, 248 and 310 signups. is B "
            "better?",
            ["4.00% (248 / 6,200)", "5.00% (310 / 6,200)"],
            ["I still need"],
            id="two-counts-joined-by-and-are-the-two-arms",
        ),
        pytest.param(
            "test prix 29 €/mois contre 35 €/mois : 3 000 visiteurs chacun, 150 et 132 "
            "abonnements. on garde lequel ?",
            ["150 conversions (5,00 %)", "132 conversions (4,40 %)", "moyenne 1,54 €"],
            ["il me manque"],
            id="deux-nombres-joints-par-et-sont-les-deux-prix",
        ),
        pytest.param(
            "win-back flow for lapsed subscribers, 4 emails, the last one with free shipping. "
            "what spacing between them?",
            ["Multi-touch sequence — 4 messages over 21 days"],
            ["I still need", "the total duration"],
            id="the-timing-asked-is-proposed-not-asked-back",
        ),
        pytest.param(
            "séquence de relance pour les clients sans achat depuis 6 mois : 3 emails, quel "
            "espacement entre les envois ?",
            ["Séquence multi-touch — 3 messages sur 21 jours"],
            ["Escaladé", "Privacy", "il me manque"],
            id="une-relance-de-clients-inactifs-n-est-pas-une-question-rgpd",
        ),
        pytest.param(
            "attribution : en last click Google fait 50 % des ventes, Meta 30 %, email 20 %. en "
            "linéaire : Google 35 %, Meta 40 %, email 25 %. on change quoi ?",
            ["Part des conversions par canal selon vos deux modèles", "Google  50 %        35 %"],
            ["Exemple sur un parcours type"],
            id="les-parts-de-chaque-canal-nommees-a-tour-de-role",
        ),
        pytest.param(
            "our scoring: +30 for VP title, +20 for 500+ employees, +10 per ebook download, +15 "
            "for demo request. MQL threshold 50. Lead: VP Marketing at a 600-person retailer, "
            "downloaded 3 ebooks, no demo request yet. score?",
            ["Lead score     80 pts", "500+ employees  600", "ebook download  × 3"],
            ["demo request    ✓", "Escalated"],
            id="a-grid-written-points-first-and-what-the-lead-did-not-do",
        ),
        pytest.param(
            "notre grille : +20 pour un poste de directeur, +10 par visite de la page tarifs, +5 "
            "par ouverture d'email. seuil MQL 40. lead : directrice financière, 2 visites de la "
            "page tarifs, 3 ouvertures d'email, pas de webinar",
            ["Score du lead  55 pts", "Statut         MQL", "un poste de directeur     ✓"],
            ["Décideur (C-level"],
            id="une-grille-points-devant-et-une-directrice",
        ),
        pytest.param(
            "funnel last month: product page 40,000 → add to cart 3,200 → checkout 1,280 → "
            "purchase 896. if we improve cart to checkout by 8 points, how many more purchases?",
            ["checkout 1,280 → 1,536, purchase 896 → 1,075 (+179 purchase)"],
            [],
            id="a-step-improved-by-points-in-the-first-message",
        ),
        pytest.param(
            "Funnel : visite fiche produit 50 000 → ajout panier 4 000 → checkout 1 600 → achat "
            "1 120. Si on améliore le passage panier→checkout de 10 points, ça donne combien de "
            "ventes en plus ?",
            ["checkout 1 600 → 2 000, achat 1 120 → 1 400 (+280 achat)"],
            ["effet à détecter"],
            id="une-etape-amelioree-de-points-des-le-premier-message",
        ),
        pytest.param(
            "win-back emails for customers who haven't bought in 5 months: 3 emails over 3 weeks, "
            "the last one with 10% off",
            ["Back in action (a purchase, a login or a click): exit at once"],
            ["Sales Handoff"],
            id="a-win-back-ends-when-the-customer-comes-back",
        ),
        pytest.param(
            "on vend des bougies, panier moyen 48 €, marge brute 55 %. 40 % de nos clients "
            "rachètent dans l'année, 1,5 commande de plus en moyenne. jusqu'à quel CPA on peut "
            "monter ?",
            ["CPA max : 26,40 €", "42,24 € en comptant les rachats"],
            ["Commandes × Panier moyen"],
            id="un-cpa-max-qui-compte-les-rachats",
        ),
        pytest.param(
            "What is the most we can pay to acquire a customer? AOV $120, 25% gross margin, 20% "
            "of customers reorder, 3 more orders each.",
            ["Max CPA: $30.00", "$48.00 counting the repeat orders"],
            ["each version", "not computed"],
            id="a-max-cpa-counting-repeat-orders",
        ),
        pytest.param(
            "weekly numbers: 24k sessions (+4% WoW), 610 leads (+15%), 38 customers (-10%), "
            "spend $9,500 (+2%). anything to worry about?",
            ["Look at first: Lead-to-customer rate 6.23% against 7.96% (-21.7%)"],
            ["change 15%", "No alert on the figures given"],
            id="a-week-with-changes-says-what-moved-the-wrong-way",
        ),
        pytest.param(
            "bilan du trimestre : 310 000 sessions (+2 %), 4 650 commandes (-6 %), CA 372 k€ "
            "(-1 %), dépense 52 k€ (+14 %). qu'est-ce qui cloche ?",
            [
                "À surveiller en premier : Coût par conversion 11,18 € contre 9,22 € (+21,3 %), "
                "ROAS 7,15x contre 8,24x (-13,2 %)"
            ],
            ["CPA 11,18 € contre"],
            id="un-bilan-avec-ses-variations-dit-ce-qui-cloche",
        ),
        pytest.param(
            "campagne Google lancée le 20 novembre : 2 800 € dépensés, 64 ventes, panier moyen "
            "70 €, marge 50 %. on est rentables ?",
            [
                "Pas rentable sur la première commande : une vente coûte 43,75 € à acquérir pour "
                "35,00 € de marge, soit 8,75 € perdus par commande",
                "un ROAS de 2,00x au moins ; vous êtes à 1,60x",
            ],
            [],
            id="une-campagne-lancee-dit-si-elle-est-rentable",
        ),
        pytest.param(
            "Bing ads in October: spent €3,100, 95 orders, AOV €54, margin 70%. worth it?",
            [
                "Profitable from the first order: a sale costs €32.63 to acquire for €37.80 of "
                "margin, leaving €5.17 per order."
            ],
            [],
            id="a-campaign-says-whether-its-first-order-pays",
        ),
        pytest.param(
            "on veut 1 200 inscrits d'ici mars avec 15 000 € de budget, tu nous fais le plan de "
            "campagne ?",
            [f"fin 01/03/{_MARCH_NEXT}"],
            [f"début 01/03/{_MARCH_NEXT}"],
            id="d-ici-mars-est-une-echeance",
        ),
        pytest.param(
            "en last click : SEA 410 ventes, Instagram 150, newsletter 85. la direction veut "
            "arrêter Instagram, t'en penses quoi ?",
            ["(dont Instagram)", "Pour montrer ce que Instagram apporte"],
            ["(dont Newsletter)"],
            id="le-canal-qu-on-veut-couper-est-celui-dont-on-parle",
        ),
        pytest.param(
            "last click data: 510 purchases from Google, 230 from Snapchat and 95 from Bing. our "
            "COO wants to stop Snapchat, agree?",
            ["(Snapchat among them)", "Snapchat  230          27.5%"],
            ["Funnel diagnostic", "not a marketing operations request"],
            id="counts-per-channel-under-last-click-are-no-funnel",
        ),
        pytest.param(
            "test page produit : A 12 000 visites 360 ventes, B 11 800 visites 401 ventes. panier "
            "moyen A 62 €, B 57 €. lequel rapporte le plus ?",
            ["A 1,86 €, B 1,94 € (+4,1 %)"],
            [],
            id="le-panier-de-chaque-version-ecrit-apres-ses-ventes",
        ),
        pytest.param(
            "pricing page test, control: 8,400 visitors and 252 purchases; variant: 8,350 "
            "visitors and 301 purchases. avg order value control €120, variant €104. which earns "
            "more?",
            ["A €3.60, B €3.75 (+4.1%)"],
            [],
            id="each-versions-basket-written-after-its-orders",
        ),
        pytest.param(
            "Quick check: our Meta CPC went from €0.70 to €1.05 this month, CTR flat at 1.2%, "
            "conversion rate flat at 3.5%. What does that do to our CPA?",
            ["CPA (CPC ÷ conversion rate)  €30.00       €20.00           +50.0%"],
            ["monthly traffic"],
            id="a-cpc-rise-at-a-flat-conversion-rate-is-the-cpa-it-makes",
        ),
        pytest.param(
            "notre base newsletter : acheteurs récents 12 500 (ouverture 41 %), anciens clients "
            "30 000 (ouverture 12 %), inscrits sans achat 18 000 (ouverture 22 %). même campagne "
            "pour tous ?",
            [
                "12 685 ouvertures attendues sur 60 500 contacts (21,0 %)",
                "« anciens clients » (12 %) ouvre à moins de la moitié",
                "Sans eux : 9 085 ouvertures sur 30 500 contacts (29,8 %)",
            ],
            ["Base                            3 contacts"],
            id="des-segments-et-leur-taux-d-ouverture",
        ),
        pytest.param(
            "segments: VIP 5k (52% opens), regular 20k (28% opens), cold 25k (6% opens). one "
            "email for all?",
            [
                "9,700 expected opens out of 50,000 contacts (19.4%)",
                "Without them: 8,200 opens out of 25,000 contacts (32.8%)",
            ],
            [],
            id="segments-with-their-open-rates",
        ),
        pytest.param(
            "onboarding emails for new signups on our 30-day trial: we want them to sync their "
            "CRM in week 1 and book a demo call. 5 emails",
            ["Multi-touch sequence — 5 messages"],
            ["channels CRM"],
            id="the-crm-a-customer-connects-is-no-channel",
        ),
        pytest.param(
            "we got 900 leads from last week's webinar and half of them are students. how should "
            "we score them? we mostly care about seniority and company size",
            ["no lead described (model below)", "Decision maker (C-level, VP, director)"],
            ["-10 pts"],
            id="how-to-score-leads-asks-for-the-grid",
        ),
        pytest.param(
            "our NPS moved from 45 to 52 after the onboarding revamp. 1,150 responses this quarter "
            "vs 1,020 last quarter. is it real?",
            ["Respondents  1,150        1,020            +12.7%"],
            ["1,150        1,150"],
            id="each-periods-respondents-when-written-against-the-last",
        ),
        pytest.param(
            "we spend $20k a month on linkedin ads for 160 demos at $125 each. leadership wants "
            "240 demos a month on the same budget. how?",
            [
                "To reach $83.33: the same 160 conversions would cost $13,333 (-33.3%)",
                "a conversion rate +50.0% at the same CPC",
            ],
            ["AOV"],
            id="more-demos-at-the-same-budget-is-the-cpa-they-need",
        ),
        pytest.param(
            "on dépense 9 000 € par mois en Meta pour 180 leads à 50 €. la direction veut 270 "
            "leads avec le même budget, comment faire ?",
            ["Pour atteindre 33,33 € : les mêmes 180 conversions coûteraient 6 000 € (-33,3 %)"],
            [],
            id="plus-de-leads-a-budget-egal-est-le-cpa-qu-il-faut",
        ),
        pytest.param(
            "we raised our plan price last month. ARPU was $30 now $36, monthly churn went from "
            "2.5% to 3.5%, 2,000 subscribers. did it pay off?",
            [
                "ARPU                             $36          $30              +20.0%",
                "LTV                              $1,028.57    $1,200.00        -14.3%",
            ],
            ["LTV/CAC"],
            id="a-price-that-was-and-is-now-moved",
        ),
        pytest.param(
            "on a augmenté nos prix : l'ARPU était de 20 €, maintenant 24 €, et le churn mensuel "
            "est passé de 2 % à 2,6 %. 3 000 abonnés. bonne opération ?",
            ["LTV                             923,08 €       1 000,00 €          -7,7 %"],
            ["ARPU 24 €. Ce calcul"],
            id="un-arpu-qui-etait-et-qui-est-maintenant",
        ),
        pytest.param(
            "800 leads a month from our webinars, sales says only 5% are worth calling. how "
            "should we score them?",
            ["Calibration: of 800 leads a month, 5.0% become SQL today, that is 40 a month."],
            [],
            id="the-share-sales-calls-good-calibrates-the-grid",
        ),
        pytest.param(
            "we get 1,500 leads a month and sales says only 2% are sales-ready. how do we score "
            "them?",
            ["Calibration: of 1,500 leads a month, 2.0% become SQL today, that is 30 a month."],
            [],
            id="the-share-sales-calls-ready-calibrates-the-grid",
        ),
        pytest.param(
            "our SDRs get about 2,400 inbound leads a month and say only 4% are any good. how "
            "should we score them?",
            ["Calibration: of 2,400 leads a month, 4.0% become SQL today, that is 96 a month."],
            [],
            id="inbound-leads-are-leads-not-traffic",
        ),
        pytest.param(
            "funnel de mars : 52 000 visites, 1 560 inscriptions, 208 payants, CA 31 200 €, "
            "dépenses pub 12 000 €. où est-ce qu'on perd du monde ?",
            ["CA 31 200 € : 150,00 € par « payants »", "Le CA rapporte 2,6 fois la dépense."],
            ["CA 31 200 €. Ce calcul"],
            id="le-ca-d-un-funnel-par-client-et-contre-la-depense",
        ),
        pytest.param(
            "our browse abandonment emails went to 8,000 people last month: 30% open, 5% click, 96 "
            "orders at $50 average. ideas?",
            [
                "Orders: 96, 1.20% of the emails and 24.0% of the clicks; revenue $4,800: $0.60 "
                "per email, average order $50.00.",
                "The recommended “Browse abandonment” flow",
            ],
            ["AOV $50. This calculation"],
            id="a-flows-orders-beside-its-rates-and-the-flow-named-by-its-emails",
        ),
        pytest.param(
            "nos emails de panier abandonné : 5 000 envoyés en octobre, ouverture 41 %, clics 7 %, "
            "150 commandes récupérées à 60 € de panier moyen. comment faire mieux ?",
            ["Commandes : 150, soit 3,00 % des emails et 42,9 % des clics ; CA 9 000 €"],
            ["commandes 150. Ce calcul"],
            id="les-commandes-d-un-flow-a-cote-de-ses-taux",
        ),
        pytest.param(
            "subject line test: current subject 31.0% opens on 8k sends, new one 33.5% on 8k. is "
            "it significant?",
            ["31.00% (2,480 / 8,000)", "33.50% (2,680 / 8,000)", "Significant (p < 0.05)"],
            ["I still need"],
            id="the-second-versions-unnamed-figures-echo-the-firsts",
        ),
        pytest.param(
            "test d'objet : l'ancien objet 22 % d'ouverture sur 12 000 envois, le nouveau 24,5 % "
            "sur 12 000. c'est significatif ?",
            ["22,00 % (2 640 / 12 000)", "24,50 % (2 940 / 12 000)"],
            ["il me manque"],
            id="les-chiffres-sans-nom-de-la-seconde-version",
        ),
        pytest.param(
            "we put 30% of our budget into LinkedIn (ROAS 1.8) and 70% into Google (ROAS 4.2), "
            "20k a month in total. how would you split it?",
            ["Budget allocation — €20,000"],
            ["visitors/month"],
            id="an-amount-a-month-in-a-message-about-budget-is-money",
        ),
        pytest.param(
            "monthly churn is 6%, ARPU $45, 3,500 subscribers. what if we get churn down to 4%?",
            # 3,500 × 0.96^12 = 2,144 and 3,500 × 0.94^12 = 1,666; LTV 45 / 4 % = $1,125
            ["LTV $1,125.00 instead of $750.00", "2,144 customers left instead of 1,666 (+478)"],
            [],
            id="a-lower-churn-is-worth-its-customers-and-revenue-over-a-year",
        ),
        pytest.param(
            "notre churn mensuel est de 4,5 %, ARPU 29 €. si on le baisse à 3 %, ça rapporte "
            "combien sur un an avec 2 000 clients ?",
            # 58 000 € × (Σ 0,97^m − Σ 0,955^m, m = 1..12)
            ["1 388 clients restants au lieu de 1 151 (+237), soit +51 627 € de CA sur l'année"],
            ["taux visé 3 %"],
            id="un-churn-plus-bas-sur-un-an",
        ),
        pytest.param(
            "85 demos in october out of 1,700 MQLs, 17 deals closed. spend €51k. how's our funnel "
            "looking?",
            ["€30.00 per “MQLs”, €600.00 per “demos”, €3,000.00 per “deals closed”"],
            [],
            id="a-step-counted-out-of-the-one-before-comes-after-it",
        ),
        pytest.param(
            "ce trimestre : 96 rendez-vous commerciaux sur 1 600 MQL, 24 contrats signés. on a "
            "dépensé 48 000 €. le funnel tient la route ?",
            ["« rendez-vous commerciaux » (6,0 % → 7,0 %)", "2 000,00 € par « contrats signés »"],
            [],
            id="une-etape-comptee-sur-la-precedente-vient-apres",
        ),
        pytest.param(
            "funnel of the week: 80k sessions, 6k product pages... sorry, 16k product pages, 3.2k "
            "carts, 1.1k orders. where do we lose the most?",
            ["product pages  16,000  20.0%", "Overall conversion  1.38%"],
            [" 6,000 "],
            id="a-count-taken-back-as-the-message-goes-is-replaced",
        ),
        pytest.param(
            "on a 25 k€, pardon 30 k€, à répartir entre google ads (roas 4) et meta (roas 2). tu "
            "répartis ?",
            ["Allocation budgétaire — 30 000 €", "20 000 €  66,7 %"],
            ["25 000 €"],
            id="un-montant-repris-dans-le-message-est-remplace",
        ),
        pytest.param(
            "Bonjour, je suis chef de produit chez une marque de thé. On prépare la fête des pères "
            "(20 juin) avec 5 000 €, sur Instagram et email. Un plan ?",
            ["semaines avant l'événement)", "(jour de l'événement)"],
            ["Cible : chef de produit"],
            id="l-occasion-preparee-finit-la-campagne-et-qui-ecrit-n-est-pas-la-cible",
        ),
        pytest.param(
            "our Meta CPM rose from €6 to €10 since October, CTR steady at 1.5%, conversion rate "
            "steady at 3%. what does a conversion cost now?",
            # CPC = CPM / (1,000 × CTR): €0.40 → €0.67; CPA = CPC / conversion rate
            ["€22.22       €13.33           +66.7%"],
            ["CPM €6. This calculation"],
            id="a-cpm-move-at-the-same-rates-moves-the-cpa-as-much",
        ),
        pytest.param(
            "CPM Meta passé de 8 € à 12 €, CTR stable à 1 %, conversion stable à 2 %. combien "
            "coûte une vente maintenant ?",
            ["60,00 €        40,00 €             +50,0 %"],
            [],
            id="un-cpm-qui-monte-a-taux-egaux",
        ),
        pytest.param(
            "Q2 for the exec team: revenue €860k (+12% QoQ), CAC €180 (+15%), 420 new customers "
            "(-5%). what should I highlight?",
            ["Look at first: CPA €180 (+15.0%), Customers 420 (-5.0%).", "Improving: Revenue"],
            ["revenue change 12%"],
            id="a-reports-moves-are-flagged-though-no-kpi-is-computed",
        ),
        pytest.param(
            "board deck for H1: revenue €2.4M (+10% vs H2), CAC €320 (+8%), 700 new customers "
            "(+2%), churn 3.1% (flat). key messages?",
            ["Look at first: CPA €320 (+8.0%).", "Improving: Revenue €2,400,000 (+10.0%)"],
            [],
            id="a-kpi-sheets-moves-are-flagged",
        ),
        pytest.param(
            "newsletter health check: 35k subscribers, 17% opens, 1.1% clicks, unsubscribes 0.8% "
            "per send. anything worrying?",
            [
                "Unsubscribes at 0.80%",
                "opens 17.0% against 21.3% on average (below); clicks 1.1% against 2.6%",
            ],
            [],
            id="every-flag-of-a-health-check-not-the-first-found",
        ),
        pytest.param(
            "A/B test across all sales channels: A 10,000 visitors 300 orders, B 10,000 visitors "
            "345 orders. ship it?",
            ["Relative lift                     15.0%"],
            ["100% of revenue"],
            id="all-sales-channels-name-no-revenue",
        ),
        pytest.param(
            "we're a small skincare brand and want to launch our new serum line in March, 10k "
            "budget. can you plan it?",
            ["Campaign plan — Launch"],
            ["Campaign plan — Brand"],
            id="a-company-calling-itself-a-brand-plans-a-launch",
        ),
        pytest.param(
            "we spend 35% of our budget on Meta (ROAS 2.0) and 65% on Google (ROAS 4.0), 40k a "
            "month in total. should we rebalance?",
            # the split in place: 14k × 2.0 + 26k × 4.0 = 132k
            ["At constant ROAS your current split brings €132,000"],
            [],
            id="a-channels-share-of-the-budget-is-the-split-in-place",
        ),
        pytest.param(
            "on met 30 % de notre budget sur Google (ROAS 4) et 70 % sur Meta (ROAS 2,5), 30 k€ "
            "par mois. on rééquilibre ?",
            ["À ROAS constant, votre répartition actuelle rapporte 88 500 €"],
            [],
            id="la-part-du-budget-d-un-canal-est-la-repartition-actuelle",
        ),
    ],
)
def test_the_figures_a_request_asks_for_are_in_the_answer(conv, text, expected, absent):
    """A funnel step named before its colon opens the funnel; money for a quarter with each
    channel's CPA and a goal is split against the goal; the clicks and budget a goal needs come
    from the CPC and the conversion rate; where to move money between channels is a
    reallocation; a cost per send times the list is the spend; a trial-to-paid rate raised
    prices the MRR it adds; a retention curve gives the LTV over the horizon asked; a ROAS comes
    from AOV ÷ CPA; a list's items lose the figures around them; an unsubscribe rise, a revenue
    goal, a pricing test counted at each price, an NPS group left as "the rest", a readout after
    too few days, what each channel bought, every cost of a CAC, a rate to judge, a pipeline's
    rates; a brand crisis is out of scope; subject lines quoted after their arm are copy; a
    retention curve's last churn gives the LTV; a goal's traffic and its cost at the CPC; first
    and last touch shares are two models; versions counted with the current one; a CPA wanted
    says the spend or conversions it takes; a send's rates against the usual ones; an event's
    invitations with the attendees its registrations give; a bounce rate that rose after a
    release; two counts joined by "and" are the two arms'; the timing asked is proposed; shares
    per channel named in turn under two models; a grid written points first; a step improved by
    points in the first message; a win-back's exit; a CPA ceiling with repeat orders; what a period's figures with their
    changes moved the wrong way; whether a campaign's first order pays (a launch day gone by is
    last month's); "d'ici mars" is a deadline; the channel someone wants to cut is the one a
    last-click reading is about, and counts per channel are no funnel; each version's basket
    written after its orders gives the revenue per visitor; the CPA a CPC and a conversion rate
    make answers "our CPA?"; a list's segments with their open rates are opened segment by
    segment; the CRM a customer connects is no channel; "how should we score them?" asks for the
    grid; a figure written against last period's is that period's; more leads at the same
    budget is the CPA they need; a figure that "was" one value and is another "now" moved; the
    share of leads sales calls good calibrates the grid, "inbound leads" being leads; a funnel's
    revenue per customer and against the spend; a flow's orders beside its open and click rates,
    the flow named by its emails; a second version's unnamed figures are the first's measures; an
    amount "a month" in a message about a budget is money; a lower churn's customers and
    revenue over a year; a step counted "out of" the one before comes after it; a figure taken
    back as the message goes ("sorry", "pardon") is replaced; the occasion a team prepares ends
    the campaign, and the writer's own job is no target; a CPM's move at the same CTR and
    conversion rate is the CPA's; figures given with their change are flagged in a report or a
    KPI sheet; a list's health check says every flag; "all sales channels" names no revenue; a
    company calling itself a brand is not planning a brand campaign; a channel's share "of our
    budget" is the split in place. ``absent``:
    what a misreading wrote (a ROAS of millions, the trials as paying customers, "moiss", a
    sign-off, a KPI sheet)."""
    reply, _ = answer(conv, text)
    assert all(e in reply for e in expected), reply
    assert not any(a in reply for a in absent), reply


def test_a_floor_on_a_channel_the_thread_takes_out_is_lifted_not_claimed_as_applied(conv):
    kept, cut = thread_of(
        conv,
        "budget T2 de 75 000 € entre search (ROAS 4,8), display (ROAS 1,6) et affiliation "
        "(ROAS 3,0). il faut au moins 12k sur le display pour la notoriété. ta répartition ?",
        "et si on supprime carrément le display ?",
    )
    assert "Contraintes respectées : il faut au moins 12k sur le display" in kept, kept
    assert "Display" not in cut.split("Règles de pilotage")[0].split("Répartition par canal")[1]
    assert "Contraintes respectées" not in cut, cut
    assert "Contrainte levée, son canal n'est plus dans la répartition" in cut, cut


def test_a_floor_asked_after_a_kept_split_moves_less_instead_of_changing_the_method(conv):
    kept, floored = thread_of(
        conv,
        "on a un budget de 30k€ pour novembre, réparti aujourd'hui 50 % Google, 30 % Meta, 20 % "
        "TikTok. CPA : Google 42 €, Meta 55 €, TikTok 61 €. tu ferais comment ?",
        "et avec un minimum de 5k sur TikTok ?",
    )
    assert "déplace 3 000 € (10 % du budget) de TikTok vers Google" in kept, kept
    table = floored.split("Répartition par canal")[1].split("Règles de pilotage")[0]
    assert "TikTok  6 000 €   5 000 €" in table, table
    assert "Google  15 000 €  16 000 €" in table, table
    assert "déplace 1 000 € (3 % du budget) de TikTok vers Google" in floored, floored
    assert "Contraintes respectées : un minimum de 5k sur TikTok" in floored, floored


def test_an_nps_set_against_the_previous_quarter_moves_in_points(conv):
    _, compared = thread_of(
        conv,
        "NPS du trimestre : 320 promoteurs, 140 passifs, 90 détracteurs. on en pense quoi ?",
        "et au trimestre d'avant on avait 280 promoteurs, 150 passifs et 120 détracteurs",
    )
    row = next(line for line in compared.splitlines() if line.startswith("NPS "))
    assert "41,8 pts" in row and "29,1 pts" in row and "+12,73 pt" in row, row
    assert "%" not in row, row


def test_one_arms_share_of_the_traffic_asked_in_a_thread_is_an_uneven_split(conv):
    even, uneven = thread_of(
        conv,
        "on prévoit un test sur la fiche produit : 1 200 visiteurs par jour, taux d'ajout au "
        "panier 8 %, on veut voir +5 % relatif. 50/50. ça prend combien de temps ?",
        "et si on met 80 % du trafic sur la variante ?",
    )
    assert "73 844 visiteurs par variante" in even and "124 jours" in even, even
    assert "46 153 visiteurs pour le contrôle, 184 609 pour la variante" in uneven, uneven
    assert "trafic réparti 20/80" in uneven and "193 jours" in uneven, uneven
    assert "(100 % du trafic)" in uneven, uneven


def test_a_touch_dropped_by_its_day_leaves_a_sequence_timed_by_the_user(conv):
    planned, dropped = thread_of(
        conv,
        "design a 4-email welcome sequence for new trial users, day 0, 2, 5 and 9",
        "can you drop the day 5 one?",
    )
    assert "4 messages over 9 days" in planned and "D+5" in planned, planned
    assert "3 messages over 9 days" in dropped, dropped
    steps = dropped.split("Sequence\n")[1].split("Exits")[0]
    assert "D+5" not in steps and "D+2" in steps and "D+9" in steps, steps


def test_who_a_timed_sequence_is_for_is_not_its_last_message(conv):
    reply, _ = answer(
        conv, "séquence de bienvenue en 3 emails : J0, J+3 et J+7 pour les nouveaux inscrits"
    )
    steps = reply.split("Séquence\n")[1].split("Sorties")[0]
    assert "J+7    Email  Dernier rappel" in steps, steps
    assert "Pour les nouveaux inscrits" not in steps, steps


def test_a_touch_added_to_a_planned_sequence_joins_it_and_keeps_its_own_channel(conv):
    planned, added = thread_of(
        conv,
        "email de réactivation : 4 messages sur 12 jours pour les clients inactifs, le but est "
        "qu'ils repassent commande",
        "rajoute un SMS à J+6",
    )
    rows = re.findall(r"^\d+\s+(J\S*)\s+(\S+)\s", added, re.M)
    assert len(re.findall(r"^\d+\s+J", planned, re.M)) == 4, planned
    assert rows == [
        ("J0", "Email"),
        ("J+4", "Email"),
        ("J+6", "SMS"),
        ("J+8", "Email"),
        ("J+12", "Email"),
    ], added


def test_an_audience_count_is_no_number_of_messages_in_a_sequence(conv):
    asked, planned = thread_of(
        conv,
        "relance des abonnés inactifs depuis 4 mois, ils sont 9 500. tu me fais une séquence de "
        "réactivation ?",
        "je ne sais pas",
    )
    assert "le nombre de messages de la séquence" in asked, asked
    assert "5 messages sur 21 jours" in planned and "9500 messages" not in planned, planned


def test_a_touch_named_by_its_kind_then_its_rank_takes_the_channel_asked(conv):
    _, swapped = thread_of(
        conv,
        "séquence onboarding SaaS en 5 emails sur 14 jours pour les nouveaux essais gratuits",
        "remplace l'email 3 par un SMS",
    )
    rows = [line.split() for line in swapped.splitlines() if line[:1].isdigit()]
    assert [row[2] for row in rows] == ["Email", "Email", "SMS", "Email", "Email"], swapped


def test_why_one_channel_gets_less_than_another_leads_with_the_channel_asked_about(conv):
    _, why = thread_of(
        conv,
        "On a 120 000 € pour le T1 entre Google (ROAS 4,5), Meta (ROAS 3,2) et l'affiliation "
        "(ROAS 2,4)",
        "pourquoi Meta a moins que Google ?",
    )
    assert why.startswith("Meta — Budget 38 020 €"), why


def test_an_nps_given_as_shares_says_what_telling_a_real_change_needs(conv):
    _, compared = thread_of(
        conv,
        "NPS du trimestre : 48 % promoteurs, 31 % passifs, 21 % détracteurs",
        "c'était 22 au trimestre précédent, c'est significatif ?",
    )
    assert "27,0 pts contre 22,0 pts" in compared, compared
    assert "±10,9 pts sur 200 réponses" in compared and "±4,9 pts sur 1 000" in compared, compared


def test_key_figures_asked_as_bullets_for_slack_are_the_kpis_computed(conv):
    _, bullets = thread_of(
        conv,
        "KPIs for October: 62,000 sessions, 1,488 orders, revenue €96,720, ad spend €14,900",
        "can you give me that as 3 bullet points for Slack?",
    )
    said = [line for line in bullets.splitlines() if line.startswith("- ")]
    assert said == [
        "- Conversion rate: 2.40%",
        "- Average order value: €65.00",
        "- Revenue per visitor: €1.56",
    ], bullets


@pytest.mark.parametrize(
    "first, then, expected, absent",
    [
        pytest.param(
            "deux visuels : visuel 1 : 15 000 impressions, 210 clics ; visuel 2 : 14 800 "
            "impressions, 259 clics. lequel est meilleur ?",
            "et si visuel 2 n'avait fait que 230 clics ?",
            ["1,40 % (210 / 15 000)", "1,55 % (230 / 14 800)"],
            ["Fiche KPIs"],
            id="visuel-2",
        ),
        pytest.param(
            "hero 1: 9,000 visitors, 270 signups; hero 2: 9,100 visitors, 318 signups. which wins?",
            "and if hero 1 had 300 signups?",
            ["3.33% (300 / 9,000)", "3.49% (318 / 9,100)"],
            ["Funnel diagnostic"],
            id="hero-1",
        ),
    ],
)
def test_a_version_a_follow_up_names_by_its_number_gets_the_new_figure(
    conv, first, then, expected, absent
):
    """A test's versions named by their number ("visuel 2", "hero 1") are B and A; a follow-up
    that gives one of them a new figure reads the test again with it, the other version as it was."""
    _, again = thread_of(conv, first, then)
    assert all(e in again for e in expected), again
    assert not any(a in again for a in absent), again


@pytest.mark.parametrize(
    "then, expected",
    [
        pytest.param(
            "and if the partner webinar's confidence goes to 9?",
            "1  partner webinar  8  9  5  360",
            id="owned",
        ),
        pytest.param(
            "what if the partner webinars' impact is 10?",
            "3  partner webinar  10  5  5  250",
            id="plural-owned",
        ),
        pytest.param(
            "and if the exit popup goes to 4 on ease?",
            "3  exit popup  5  8  4  160",
            id="field-after-the-score",
        ),
    ],
)
def test_an_ideas_score_set_by_its_name_first_rescores_the_backlog(conv, then, expected):
    """A follow-up that names the idea before its ICE field ("the partner webinar's confidence
    goes to 9", "the exit popup goes to 4 on ease") sets that score and ranks the backlog again (ICE = impact × confidence × ease)."""
    _, again = thread_of(
        conv,
        "backlog: welcome quiz (impact 6, confidence 6, ease 7), exit popup (5, 8, 9), partner "
        "webinar (8, 5, 5). what do we run first?",
        then,
    )
    assert re.search(r"\s+".join(map(re.escape, expected.split())), again), again


def test_the_same_funnel_for_an_earlier_month_reads_its_steps_and_compares_the_months(conv):
    """A follow-up with the same figures for the month before ("same for may: … 120 paying,
    revenue 18,000, ad spend 7,000") reads its three steps (an amount without its currency beside
    them is no step) and compares the later month, the first message's, with it."""
    _, again = thread_of(
        conv,
        "june funnel: 30,000 visits, 900 signups, 135 paying customers, revenue €20,250, ad spend "
        "€8,000. where do we lose people?",
        "same for may: 28,000 visits, 800 signups, 120 paying, revenue 18,000, ad spend 7,000",
    )
    assert re.search(r"paying customers\s+135\s+15\.0%", again), again  # june's, the later
    assert re.search(r"paying customers\s+15\.0%\s+15\.0%\s+\+?0\.0 pt", again), again
    assert re.search(r"signups\s+3\.0%\s+2\.9%\s+\+0\.1 pt", again), again
    assert re.search(r"Overall conversion\s+0\.45%\s+0\.43%", again), again  # 120 of 28,000


@pytest.mark.parametrize(
    "first, then, changed, row",
    [
        pytest.param(
            "we have 3,000 leads in hubspot and no scoring yet. can you propose a grid?",
            "add a criterion for trade show visits +20",
            "Changed as you asked: trade show visits +20.",
            r"trade show visits\s+\+20",
            id="a-criterion-added",
        ),
        pytest.param(
            "on n'a pas de lead scoring, tu peux nous proposer une grille de départ ?",
            "passe le webinar à +15",
            "Modifié à votre demande : webinar +15.",
            r"Participation à un webinar\s+\+15",
            id="un-critere-change",
        ),
    ],
)
def test_a_grid_change_in_a_thread_changes_the_grid_and_scores_no_lead(
    conv, first, then, changed, row
):
    """A follow-up that adds a criterion to the proposed scoring grid or sets one's points ("add
    a criterion for trade show visits +20", "passe le webinar à +15") shows the grid with it,
    says what changed, and scores no lead (none is described)."""
    _, again = thread_of(conv, first, then)
    assert changed in again, again
    assert re.search(row, again), again
    assert re.search(r"(Lead score|Score du lead)\s+(no lead|aucun lead)", again), again


def test_another_months_figures_in_a_thread_are_compared_with_the_first_months(conv):
    """A follow-up that gives another month's figures in the order of the first message's ("in
    february we had $5,800, 30,500 clicks, 640 purchases, $25,600") reads them as that month's
    spend, clicks, purchases and revenue, compared with the first message's month, and what moved
    the wrong way is flagged."""
    _, again = thread_of(
        conv,
        "our meta campaign in march: $6,200 spent, 31,000 clicks, 620 purchases, $24,800 revenue. "
        "how's it doing?",
        "in february we had $5,800, 30,500 clicks, 640 purchases, $25,600",
    )
    assert re.search(r"Spend\s+\$6,200\s+\$5,800\s+\+6\.9%", again), again
    assert re.search(r"Revenue\s+\$24,800\s+\$25,600\s+-3\.1%", again), again
    assert re.search(r"ROAS\s+4\.00x\s+4\.41x\s+-9\.4%", again), again
    # what moved the wrong way between the two months is flagged first
    assert "Look at first: Cost per conversion $10.00 against $9.06 (+10.3%), ROAS 4.00x " in again


@pytest.mark.parametrize(
    "text, days",
    [
        pytest.param(
            "write a follow-up sequence for unsigned quotes: 4 emails, the first one 3 days after "
            "the quote, stop when they reply",
            ["D+3", "D+9", "D+15", "D+21"],  # to the default 21 days
            id="the-first-ones-day-then-the-default-length",
        ),
        pytest.param(
            "séquence de relance des devis : 3 relances sur 15 jours, la première à J+3",
            ["J+3", "J+9", "J+15"],
            id="le-jour-de-la-premiere-puis-la-duree-dite",
        ),
    ],
)
def test_the_one_delay_said_of_the_first_message_starts_the_sequence(conv, text, days):
    """One delay said of the first message ("la première à J+3", "the first one 3 days after the
    quote") is that message's day, not the sequence's length: the others are spread evenly from
    it to the duration said, else to the default one."""
    reply, _ = answer(conv, text)
    timed = re.findall(r"^\d+\s+([DJ]\+\d+)\s", reply, re.M)
    assert timed == days, reply


@pytest.mark.parametrize(
    "first, then, expected",
    [
        pytest.param(
            "how many leads a month to close 24 customers if lead→MQL is 40%, MQL→SQL 30% and "
            "SQL→customer 25%?",
            "and if MQL→SQL goes to 40%?",
            "24 ÷ 40.0% ÷ 40.0% ÷ 25.0% = 600 leads needed",  # was 800 at 30 %
            id="the-middle-stage",
        ),
        pytest.param(
            "how many leads do we need to sign 30 customers a month? lead→MQL 25%, MQL→SQL 40%, "
            "SQL→customer 20%",
            "and if SQL→customer goes to 30%?",
            "30 ÷ 25.0% ÷ 40.0% ÷ 30.0% = 1,000 leads needed",
            id="the-last-stage",
        ),
        pytest.param(
            "combien de leads pour signer 20 clients par mois ? lead→MQL 40 %, MQL→SQL 25 %, "
            "SQL→client 20 %",
            "et si le MQL→SQL monte à 40 % ?",
            "20 ÷ 40,0 % ÷ 40,0 % ÷ 20,0 % = 625 leads nécessaires",
            id="l-etape-du-milieu",
        ),
    ],
)
def test_a_what_if_on_a_stage_rate_reads_the_goal_backwards_again(conv, first, then, expected):
    """A follow-up that sets one stage's rate of a goal read backwards ("and if MQL→SQL goes to
    40%?") stays with that deliverable, whatever the stage's words suggest (lead scoring), and
    the leads needed are computed again with that stage's new rate, the others as they were."""
    _, again = thread_of(conv, first, then)
    assert expected in again, again


def test_a_sequences_exit_rule_is_no_possible_complaint(conv):
    """A sequence asked with its exit rule ("on arrête si le client répond") gets the sequence
    with that exit, and no question about a possible complaint in a workflow: the clause says
    when to stop, nobody complained."""
    reply, notices = answer(
        conv,
        "séquence de relance pour les devis non signés : 3 relances, la première à J+1, on "
        "arrête si le client répond",
    )
    assert "On arrête si le client répond (comme demandé)." in reply, reply
    assert "Plainte dans workflow" not in reply and not notices, reply


_PRICING_TEST = (
    "our pricing page test ran 2 weeks. control 9,800 sessions 294 trials, new layout 9,750 "
    "sessions 341 trials. is the new layout better?"
)


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        pytest.param(
            _PRICING_TEST,
            "and with 95% power how many sessions would we have needed?",
            "(95% power), each version needs 32,967 visitors; you had 9,750: the test is "
            "significant but too small",
            id="power-asked",
        ),
        pytest.param(
            _PRICING_TEST.replace("9,800", "40,000")
            .replace("9,750", "40,000")
            .replace("294 trials", "1,200 trials")
            .replace("341", "1,400"),
            "how many visitors would we have needed?",
            "(80% power), each version needs 19,716 visitors; you had 40,000: enough.",
            id="default-power-enough",
        ),
    ],
)
def test_the_visitors_a_significant_test_needed_are_answered_when_asked(
    conv, first, then, expected
):
    """After a readout that is significant, "how many sessions would we have needed?" gets the
    visitors per version a gap like the observed one needs (statsmodels NormalIndPower at the
    power asked, 80 % by default), set against the visitors the test had: enough, or too few,
    and then the lift measured is likely overstated."""
    _, again = thread_of(conv, first, then)
    assert expected in again, again


def test_a_weekly_rhythm_is_counted_per_contact_and_a_send_added_to_it_goes_over(conv):
    """Channels sent on a day of each week ("newsletter le mardi, SMS le jeudi, push le samedi,
    Meta en continu") asked about over-solicitation get the week as it is, the messages one
    contact gets against a cap of 3 a week, and who is on both lists ("60k abonnés email dont
    18k aussi en SMS": 18 000 on SMS, not a budget); an email added on Friday in the thread
    puts the contacts on every channel over the cap, less than 48 h after Thursday's SMS."""
    first, again = thread_of(
        conv,
        "coordination : newsletter le mardi, SMS promo le jeudi, push le samedi, et une campagne "
        "Meta en continu. on a 60k abonnés email dont 18k aussi en SMS. risque de "
        "sur-sollicitation ?",
        "et si on ajoute un email de relance le vendredi ?",
    )
    assert "Rythme  Newsletter mardi, SMS jeudi, Push samedi, Meta toute la semaine" in first
    assert (
        "reçoit 3 messages par semaine (Newsletter mardi, SMS jeudi, Push samedi) : dans le plafond"
        in first
    )
    assert "18 000 contacts (30 % de la base Newsletter) sont aussi en SMS : 2 messages" in first
    assert "les 42 000 autres en reçoivent 1" in first
    assert "Contenu" not in first and "18 000 €" not in first, first
    assert "reçoit 4 messages par semaine" in again and "au-delà du plafond de 3" in again, again
    assert "SMS le jeudi puis Email le vendredi : moins de 48 h" in again, again


def test_a_weekly_rhythm_asked_in_english_goes_to_coordination(conv):
    """ "newsletter every Tuesday, an SMS on Thursdays and push on Saturdays, plus always-on Meta
    ads … are we hitting people too often?" is a coordination question, not an email plan: the
    week per contact, within the cap of 3 direct messages, and the always-on ads capped apart."""
    reply, _ = answer(
        conv,
        "we send the newsletter every Tuesday, an SMS on Thursdays and push on Saturdays, plus "
        "always-on Meta ads. email list 80k, SMS list 25k. are we hitting people too often?",
    )
    assert "Multichannel coordination — weekly rhythm" in reply, reply
    assert "gets 3 messages a week (Newsletter Tuesday, SMS Thursday, Push Saturday)" in reply
    assert "Meta Ads all week: frequency capped" in reply, reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "notre taux de conversion mobile est de 0,9 % contre 2,4 % sur desktop, 70 % du "
            "trafic est mobile. par quoi on commence ?",
            [
                "il n'apporte que 47 % des conversions",
                "le taux global passerait de 1,35 % à 2,40 %, soit +78 % de conversions",
                "Commencez par le mobile",
            ],
            id="fr-parity",
        ),
        pytest.param(
            "mobile converts at 1.1% vs 3.2% on desktop and mobile is 65% of sessions. if "
            "mobile got to 2%, what would that do?",
            [
                "Mobile is 65% of traffic",
                "With mobile at 2.0%, the overall rate would go from 1.83% to 2.42%, +32%",
            ],
            id="en-target",
        ),
    ],
)
def test_two_devices_rates_and_shares_are_weighed_without_the_traffic(conv, text, expected):
    """Two devices' conversion rates and the weaker one's share of the traffic, without the
    traffic, get the CRO answer at once: the weaker device's share of the conversions, the
    overall rate now (shares × rates) and with that device at the other's rate (or the rate
    asked), the gain at equal traffic; no question about the monthly traffic."""
    reply, _ = answer(conv, text)
    for part in expected:
        assert part in reply, reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Peux-tu me préparer le reporting mensuel pour le codir ? Novembre : CA 285 000 € "
            "(+4 % vs octobre), 2 100 commandes, panier moyen 136 €, coût d'acquisition 41 € "
            "(-3 %), 38 % du CA vient du SEO.",
            [
                "Commandes 2 100 donné",
                "Panier moyen 136 €",
                "CA SEO 108 300 € 38 % du CA",
            ],
            id="fr-seo-share",
        ),
        pytest.param(
            "can you write the monthly report for the board? october: revenue $410k (+7% MoM), "
            "1,850 orders, AOV $222, CAC $64 (+11%), email revenue share 28%",
            ["Orders 1,850 given", "AOV $222 given", "Revenue Email $114,800 28% of revenue"],
            id="en-email-share",
        ),
    ],
)
def test_a_reports_given_figures_are_in_it_with_a_channels_share_of_revenue(conv, text, expected):
    """A monthly report whose figures compute no KPI of their own (revenue, orders and the AOV
    they already give) still lists every figure given, with its stated change, and a channel's
    share of revenue ("38 % du CA vient du SEO") as that channel's revenue (revenue × share)."""
    reply, _ = answer(conv, text)
    for part in expected:
        assert part in " ".join(reply.split()), reply


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        pytest.param(
            "our SaaS: 1,200 trials a month, 18% convert to paid, $59/month, churn 3.5% monthly. "
            "what's our LTV and how many trials do we need to add $20k MRR?",
            [
                "$1,685.71",
                "339 paying customers, so 1,884 trials at 18% conversion",
                "it takes about 1.6 months",
            ],
            "MRR $20,000",
            id="en",
        ),
        pytest.param(
            "SaaS B2B : 800 essais par mois, 22 % passent payants à 49 €/mois, churn 4 %. combien "
            "d'essais pour ajouter 15 k€ de MRR ?",
            [
                "1 225,00 €",
                "307 clients payants, soit 1 396 essais à 22 % de conversion",
                "1,7 mois",
            ],
            "MRR 15 000 €",
            id="fr",
        ),
    ],
)
def test_an_mrr_to_add_is_read_back_into_customers_and_trials(conv, text, expected, absent):
    """A monthly price in a message about churn is the ARPU (so the LTV is ARPU ÷ churn), and an
    MRR to add ("how many trials do we need to add $20k MRR?") is a goal, not the period's MRR:
    customers = MRR ÷ ARPU, trials = customers ÷ conversion rate, and the months the current
    trials a month take to get there, churn aside."""
    reply, _ = answer(conv, text)
    for part in expected:
        assert part in reply, reply
    assert absent not in reply, reply


def test_an_existing_customers_company_size_is_no_enterprise_lead(conv):
    """A large existing customer who complains ("le client Dupont (groupe de 15 000 salariés)
    menace de résilier … il reçoit encore nos relances de paiement") raises the workflow
    complaint, not an enterprise lead: nobody is to be called as a prospect; a prospect of the
    same size still is one."""
    _, notices = answer(
        conv,
        "Le client Dupont (groupe de 15 000 salariés) menace de résilier et de publier un avis "
        "négatif parce qu'il reçoit encore nos relances de paiement alors qu'il a payé. On fait "
        "quoi ?",
    )
    assert any("Plainte dans workflow" in n for n in notices), notices
    assert not any("Enterprise lead" in n for n in notices), notices
    _, notices = answer(
        conv, "nouveau prospect : groupe de 15 000 salariés, le DAF veut nous parler"
    )
    assert any("Enterprise lead" in n for n in notices), notices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "I want to test free shipping vs 10% off on the checkout. we get 2,500 checkouts a "
            "day, 61% complete. how long to detect a 3 point difference?",
            "Current rate       61.00%",
            id="en-off",
        ),
        pytest.param(
            "on veut tester une remise de 15 % contre la livraison offerte au panier : 3 000 "
            "paniers par jour, 42 % passent commande. combien de temps pour voir +2 points ?",
            "Taux actuel           42,00 %",
            id="fr-remise",
        ),
    ],
)
def test_a_discount_tested_is_no_current_rate(conv, text, expected):
    """A discount a test offers ("10% off", "une remise de 15 %") is what a version gives, not
    the page's current rate: the plan starts from the rate the message gives for the page
    ("61% complete")."""
    reply, _ = answer(conv, text)
    assert expected in reply, reply


def test_a_flows_emails_by_their_number_are_compared_without_a_list_size(conv):
    """A flow's stats email by email ("email 1 open 58% click 12%, email 2 open 41% …") name
    each email by its number: no list of 1 contact, no question about the list's size; each
    email's rates and click-to-open, and where people drop most."""
    reply, _ = answer(
        conv,
        "welcome flow stats: email 1 open 58% click 12%, email 2 open 41% click 6%, email 3 "
        "open 33% click 2.5%. where do we lose people?",
    )
    assert "1 contacts" not in reply and "I still need" not in reply, reply
    assert "Email 3  33.0%      2.5%        7.6%" in reply, reply
    assert "People drop most at email 2: 17.0 pts fewer opens" in reply, reply


def test_a_lead_named_after_a_dash_is_scored_with_the_others(conv):
    """ "on a 3 leads — Marie, CMO chez une scale-up de 300 personnes, … ; Paul, … ; Sophie, …":
    the first lead, named after the dash, is scored like the two others."""
    reply, _ = answer(
        conv,
        "lead scoring: on a 3 leads — Marie, CMO chez une scale-up de 300 personnes, a "
        "téléchargé 2 livres blancs ; Paul, stagiaire, gmail ; Sophie, directrice achats d'un "
        "groupe de 8 000 salariés, a demandé un devis. qui on appelle en premier ?",
    )
    assert "65 pts (max. sur 3 leads)" in reply, reply
    assert "Marie   45 pts   MQL" in reply, reply


def test_two_periods_kpis_compare_only_like_with_like_and_flag_what_moved(conv):
    """ "Black Friday recap: … new customers 1,150. last year: spend €35k, revenue €171k, 2,950
    orders. better or worse?": this year's CPA (spend ÷ new customers) has no counterpart last
    year (no new customers given), so it is not set against last year's cost per order; what
    moved the wrong way comes first (cost per conversion up, ROAS down), then what improved."""
    reply, _ = answer(
        conv,
        "Black Friday recap: spend €42k, revenue €198k, 3,300 orders, new customers 1,150. last "
        "year: spend €35k, revenue €171k, 2,950 orders. better or worse?",
    )
    flat = " ".join(reply.split())
    assert "CPA €36.52 — —" in flat and "+207.8%" not in flat, reply
    assert "Look at first: Cost per conversion €12.73 against €11.86 (+7.3%), ROAS 4.71x" in flat
    assert "Improving: Revenue €198,000 (+15.8%)" in flat, reply
