"""What marketers actually write, through `marketing-bot chat` and through Slack: every figure,
label and correction used in the answer (issue: the offline brain understands)."""

from __future__ import annotations

import re

import pytest

from tests.cli import run_chat
from tests.slack_stub import ESCALATIONS, event, running_server
from tests.text import shows
from tests.waiting import wait_until


def turns(out: str) -> list[str]:
    """The bot's output after each user message of a chat transcript."""
    return re.split(r"^> .*$", out, flags=re.M)[1:]


@pytest.mark.parametrize(
    "messages, expected",
    [
        (
            [
                "Variante B : 312 conversions sur 10 000, contrôle : 270 sur 10 000. C'est significatif ?"
            ],
            [
                "| p-value | 0,0773 |",
                "| A (contrôle) | 2,70 % (270 / 10 000) |",
                "| B (variante) | 3,12 % (312 / 10 000) |",
            ],
        ),
        (
            ["control: 1,840 orders / 52k visitors, variant: 1,990 / 51.5k"],
            ["| p-value | 0.00553 |", "(1,990 / 51,500)"],
        ),
        (["dépensé 18 200 € sur 30 000, 540 ventes, CA 64 800 €"], ["3,56x", "60,7 %"]),
        (
            ["spent $18k on ads and made 61k in rev. whats our CVR, CPA and ROAS?"],
            ["3.39x", "Conversion rate not computed: conversions, visitors missing"],
        ),
        (["1,400 orders from 56k sessions, what's the CVR?"], ["| Conversion rate | 2.50% |"]),
        (
            [
                "Comment répartir 80 k€ entre Google Ads, Meta et LinkedIn ? l'an dernier ROAS Google 4,2, Meta 3,1, LinkedIn 1,8"
            ],
            [
                "| Google Ads | 36 923 € | 46,2 % | 4,20x |",
                "| Meta | 27 253 € | 34,1 % |",
                "| LinkedIn | 15 824 € | 19,8 % |",
            ],
        ),
        (
            [
                "on a 3 campagnes le mois dernier : Meta 8 200 € dépensés pour 41 000 € de CA, "
                "Google 5 400 € pour 32 400 €, TikTok 2 100 € pour 4 200 €. laquelle couper ?"
            ],
            [
                "| Budget total | 15 700 € |",
                "| Google | 5 400 € | 7 246 € | +1 846 € | 46,2 % | 6,00x |",  # beside last month's
                "| TikTok | 2 100 € | 2 415 € | +315 € | 15,4 % | 2,00x |",
            ],
        ),
        (
            [
                "Peux-tu me préparer le reporting mensuel pour le codir ? impressions 2,3M, "
                "clics 41 000, conversions 1 230, dépense 27 500€"
            ],
            ["| CTR | 1,78 % |", "| CPC | 0,67 € |", "| CPM | 11,96 € |"],
        ),
        (
            [
                "construis un workflow : quand un lead télécharge le livre blanc, email J+0, "
                "relance J+3 si pas d'ouverture, alerte commercial si clic sur tarifs"
            ],
            [
                "| télécharge — J+0 | Email |",
                "| télécharge — J+3 — si pas d'ouverture | Relance |",
                "| télécharge — si clic sur tarifs | Alerte commercial |",
            ],
        ),
        (
            ["après abandon de panier : relance J+3 avec code promo, message sur le chat J+1"],
            [
                "| abandon de panier — J+3 | Relance avec code promo |",
                "| abandon de panier — J+1 | Message sur le chat |",
            ],
        ),
        (
            ["budget 45 000 € sur 6 semaines, lancement le 1er juillet"],
            ["| Budget | 45 000 € |", "6 semaines (42 jours)", "7 500 € par semaine"],
        ),
        (
            [
                "where r users dropping off in signup? landing 12k, form started 5,2k, submitted 2.1k, verified 1800"
            ],
            ["| landing | 12,000 |", "| form started | 5,200 |", "| verified | 1,800 |"],
        ),
        (
            [
                "our checkout converts badly: 48k visitors last month, cart abandonment 68%, 1,100 orders. how do we fix it?"
            ],
            ["| Overall conversion | 2.29% |", "| Cart (derived from 68% abandonment) | 3,438 |"],
        ),
    ],
)
def test_first_message_is_understood(tmp_path, messages, expected):
    out = turns(run_chat(messages, str(tmp_path / "c.db")))[-1]
    assert "il me manque" not in out and "I still need" not in out
    for text in expected:
        assert shows(out, text), text


def test_correction_and_english_rerender(tmp_path):
    out = turns(
        run_chat(
            [
                "combien de visiteurs pour mon test ? taux de conv 5 %, je veux voir +10% relatif, 3000 visiteurs par jour",
                "pardon je me suis trompé, c'est 4 % de conv, pas 5",
                "and in English?",
            ],
            str(tmp_path / "c.db"),
        )
    )
    assert "31 218 visiteurs par variante" in out[0]
    assert shows(out[1], "| Taux actuel | 4,00 % |") and "39 455 visiteurs par variante" in out[1]
    assert "A/B test plan" in out[2] and "39,455 visitors per variant" in out[2]


def test_a_follow_up_that_changes_the_tests_power_keeps_the_earlier_changes(tmp_path):
    out = turns(
        run_chat(
            [
                "what sample size for a test? baseline 4%, MDE 10% relative, 2k visitors a day",
                "what if we only get 1,200 visitors a day?",
                "and with power 90%?",
            ],
            str(tmp_path / "c.db"),
        )
    )
    assert "39,455 visitors per variant" in out[0] and "power 0.8" in out[0]
    assert "39,455 visitors per variant" in out[1] and shows(out[1], "| Duration | 66 days |")
    # power 0.9 (not traffic x1.9), still at 1,200 visitors a day
    assert "52,818 visitors per variant" in out[2] and "power 0.9" in out[2]
    assert shows(out[2], "| Duration | 89 days |")


def test_a_channel_added_with_a_bare_figure_takes_the_other_channels_measure(tmp_path):
    out = turns(
        run_chat(
            [
                "on a 50k€ à répartir entre google ads (roas 4), meta (roas 3) et linkedin (roas 1,5)",
                "et avec tiktok à 2,2 ?",
            ],
            str(tmp_path / "c.db"),
        )
    )
    assert "TikTok" not in out[0]
    assert shows(out[1], "| TikTok | 10 280 € | 20,6 % | 2,20x |"), out[1]


def test_question_says_what_was_understood_and_asks_only_the_rest(tmp_path):
    out = turns(
        run_chat(
            [
                "Variante B : 312 conversions sur 10 000. C'est significatif ?",
                "contrôle 270 sur 10 000",
            ],
            str(tmp_path / "c.db"),
        )
    )
    assert "J'ai compris : B : 312 conversions, 10 000 visiteurs." in out[0]
    assert "A (contrôle)" in out[0] and "de chaque version" not in out[0]
    assert shows(out[1], "| p-value | 0,0773 |")


def test_lead_and_behaviour_escalations(tmp_path):
    lead = run_chat(
        ["CMO at a 2,000-employee retailer, requested a demo, visited pricing 5x"],
        str(tmp_path / "a.db"),
    )
    assert shows(lead, "| Lead score | 95 pts |") and "“2,000”" in lead
    assert "Enterprise lead" in lead and "Lead score > 80 (95 pts)" in lead
    fraud = run_chat(["3 000 inscriptions en 2h depuis la même IP"], str(tmp_path / "b.db"))
    assert "Comportement anormal" in fraud
    odd = run_chat(["weird result… makes no sense to me"], str(tmp_path / "c.db"))
    assert "Counter-intuitive result" in odd


def test_revenue_per_visitor_by_arm_is_read_out_and_escalated(tmp_path):
    """A revenue test given as each arm's revenue per visitor and the visitors of every arm: the
    readout (not a question about conversions), the lift, what Welch's test needs in the thread's
    currency, and the management sign-off for a revenue move over 10 %."""
    out = run_chat(
        [
            "test checkout terminé : revenu par visiteur A 2,10 €, B 2,46 €, 40k visiteurs "
            "chacun. on déploie ?"
        ],
        str(tmp_path / "c.db"),
    )
    assert shows(out, "| B (variante) | 2,46 € par visiteur (98 400 € / 40 000 visiteurs) |")
    assert shows(out, "| Lift relatif | 17,1 % |") and "écart-type 25 €" in out
    assert "[#escalations] Validation direction" in out and "(17,1 %)" in out


def test_a_share_of_revenue_is_not_a_revenue_move(tmp_path):
    """'représente 14 % du CA' is what a channel weighs, not revenue moving by 14 %: no sign-off."""
    out = run_chat(
        ["le CA de la newsletter représente 14 % du CA total, comment on le fait grossir ?"],
        str(tmp_path / "c.db"),
    )
    assert "[#escalations]" not in out and "part du CA 14 %" in out


def test_files_follow_the_thread(tmp_path):
    first, second = tmp_path / "parcours.csv", tmp_path / "parcours_q2.csv"
    first.write_text("path,conversions,nulls\nsearch>email,30,70\nsearch,10,90\nemail,15,85\n")
    second.write_text("path,conversions,nulls\nseo>email,40,60\nseo,20,80\n")
    out = turns(
        run_chat(
            [f"quel canal contribue le plus ? {first}", f"et celui-ci {second}"],
            str(tmp_path / "a.db"),
        )
    )
    assert (
        "parcours.csv" in out[0]
        and "Attribution — email, seo" in out[1]
        and "parcours_q2.csv" in out[1]
    )
    # A journeys file shared while another specialist waits for figures goes to attribution.
    out = turns(
        run_chat(
            [
                "Quels KPIs suivre pour notre newsletter ?",
                f"voici l'export des parcours pour le workflow {first}",
            ],
            str(tmp_path / "b.db"),
        )
    )
    assert "Attribution —" in out[1] and "workflow-builder" not in out[1]


def test_follow_ups_keep_the_specialist_and_its_inputs(tmp_path):
    out = turns(
        run_chat(
            [
                "on a eu 45 000 visites, 1 125 commandes et 78 750 € de CA ce mois, tu peux calculer nos KPIs ?",
                "et avec 60k visites ?",
            ],
            str(tmp_path / "a.db"),
        )
    )
    assert shows(out[0], "| Taux de conversion | 2,50 % |") and shows(
        out[1], "| Taux de conversion | 1,88 % |"
    )
    assert shows(out[1], "| Panier moyen (AOV) | 70,00 € |")
    out = turns(
        run_chat(
            [
                "campagne saisonnière du 1er au 21 décembre, budget 30k€",
                "fais la même chose pour mars",
            ],
            str(tmp_path / "b.db"),
        )
    )
    assert shows(out[1], "| Durée | 3 semaines (21 jours) |") and re.search(
        r"(?m)^Lancement\s{2,}01/03/20\d\d", out[1]
    )


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    """One server for this file's mentions: each test reads its own threads and their notices."""
    with running_server(str(tmp_path_factory.mktemp("understood") / "bot.db")) as pair:
        yield pair


def in_thread(stub, ts: str) -> list[dict]:
    """The bot's posts in the CMKT thread ``ts``."""
    return [p for p in stub.posts("CMKT") if p.get("thread_ts") == ts]


def notices_of(stub, *threads: str) -> str:
    """The text of the escalation notices that link to one of ``threads`` (their thread_ts)."""
    links = [f"/CMKT/p{ts.replace('.', '')}" for ts in threads]
    return " ".join(
        n["text"] for n in stub.posts(ESCALATIONS) if any(x in n["text"] for x in links)
    )


def test_slack_mention_reads_the_figures_and_escalates(slack):
    stub, server = slack
    server.send(
        event(
            "EvU1",
            "<@UBOT> control: 1,840 orders / 52k visitors, variant: 1,990 / 51.5k",
            "1700000000.000500",
        )
    )
    reply = wait_until(lambda: in_thread(stub, "1700000000.000500"))[0]
    assert "0.00553" in reply["text"]
    server.send(
        event(
            "EvU2",
            "<@UBOT> CMO at a 2,000-employee retailer, requested a demo, visited pricing 5x",
            "1700000000.000600",
        )
    )
    said = lambda: notices_of(stub, "1700000000.000600")  # noqa: E731
    assert wait_until(
        lambda: "Dedicated account executive" in said() and "Immediate sales alert" in said()
    ), said()


def test_the_issues_quoted_requests_through_slack(slack):
    """The quoted requests of the understanding issue, as mentions in a channel: each thread
    gets the figures a marketer expects and the escalation channel the notices they need."""
    from tests.slack_stub import blocks_of
    from tests.waiting import settled

    asked = {
        "EvQ1": "<@UBOT> checkout test readout: control 15,400 users / $61,600 revenue, variant "
        "15,350 users / $70,610 revenue. variant wins right? we want to ship tomorrow",
        "EvQ2": "<@UBOT> notre grille de scoring : C-level +30, manager +15, boite 200-1000 salariés "
        "+20, visite page tarifs +10/visite (max 30), ouverture email +2, adresse gmail/hotmail -15. "
        "seuil MQL 50. lead : Julien, responsable marketing (niveau manager) dans une PME de 350 "
        "personnes, 2 visites tarifs, 6 ouvertures d'email, adresse en @gmail.com. il est MQL ?",
        "EvQ3": "<@UBOT> we want to test 3 new headlines vs control (4 arms total) on the blog signup "
        "box. baseline 1.5%, MDE +0.3pt absolute, ~6k visitors/day. how long do we need?",
        "EvQ4": "<@UBOT> dans la sequence d'onboarding, un client a repondu au mail 3 qu'on l'avait "
        "preleve deux fois et qu'il allait faire opposition aupres de sa banque. la sequence "
        "continue de lui envoyer des mails, on fait quoi ?",
    }
    expected = {
        "EvQ1": ["$4.00 per visitor", "$4.60 per visitor", "Welch"],
        "EvQ2": ["52 pts", "MQL"],
        "EvQ3": ["37,677", "26 days", "0.0167"],
        "EvQ4": ["sortir ce contact du workflow"],
    }
    stub, server = slack
    threads = [f"1700000100.00000{n}" for n in range(len(asked))]
    for event_id, text, ts in zip(asked, asked.values(), threads):
        server.send(event(event_id, text, ts))
    assert settled(server.db)
    for event_id, ts in zip(asked, threads):
        thread = [p["text"] + str(blocks_of(p)) for p in in_thread(stub, ts)]
        assert all(any(x in t for t in thread) for x in expected[event_id]), (event_id, thread)
    notices = notices_of(stub, *threads)
    assert "Management sign-off" in notices and "Plainte dans workflow" in notices, notices
    assert "Alerte commerciale" not in notices and "Immediate sales alert" not in notices
