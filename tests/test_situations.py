"""Escalation situations are learned from messages written outside the project
(prompts/corpus/, the shared corpus's train split), and the rules decide on them and on the
figures the message states, never on words in a regex."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from graph.escalation import evaluate
from graph.hierarchy import load_hierarchy
from graph.understanding.reading import read_message
from graph.understanding.situations import examples, situations
from tests.cli import run_cli

RULES = load_hierarchy().escalations
LEAD, FALL = (
    "le lead Martin a un score de 91",
    "la variante B a fait chuter le chiffre d'affaires de 14 %",
)


class Notices:
    """A notifier for ``Conversations.handle`` that keeps the id of each escalation it is told to
    send, in order (``ids``)."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def notify(self, rule, evidence, lang):
        self.ids.append(rule.id)


def fired(text: str) -> set[str]:
    return {rule.id for rule, _ in evaluate(RULES, read_message(text), text, {})}


@pytest.mark.parametrize(
    "text, situation",
    [
        # said without the rule's words: a complaint while a flow keeps running, a privacy question, a rebuild
        (
            "dans la séquence de bienvenue une cliente nous a répondu qu'elle allait porter plainte si on continuait, "
            "et elle a encore reçu le mail 4 ce matin",
            "workflow-complaint",
        ),
        (
            "le client veut qu'on charge sa liste de 40k contacts récupérés sur des salons, sans opt-in, dans le CRM",
            "privacy-compliance",
        ),
        (
            "the CEO wants to throw away the whole store and start over on a new platform before Black Friday",
            "major-redesign",
        ),
        (
            "un prospect veut qu'on lui envoie une proposition chiffrée pour 200 licences",
            "demo-pricing-request",
        ),
        # a large employer named in a message about a lead; a lead's score read from its role, with no "score" word
        (
            "inscription sur le livre blanc : acheteuse chez Airbus, on la met dans quelle séquence ?",
            "enterprise-lead",
        ),
        (
            "new signup from someone at Nestlé, brand manager, downloaded the pricing guide",
            "enterprise-lead",
        ),
        (
            "un lead vient de grimper à 92 après le webinar, responsable marketing dans une PME de 80 personnes",
            "hot-lead",
        ),
    ],
)
def test_situations_said_in_other_words_raise_their_rule(text, situation):
    assert situation in fired(text), {
        k: round(v.probability, 2) for k, v in situations(text).items()
    }


@pytest.mark.parametrize(
    "text, situation",
    [
        (
            "lead score de 72 sur le compte Dupont, on le garde en nurturing ?",
            "hot-lead",
        ),  # below 80: the figure decides
        ("le test a fait +6 % de CA, on déploie ?", "revenue-impact"),  # below 10 %
        (
            "une boîte de 450 salariés vient de s'inscrire à l'essai",
            "enterprise-lead",
        ),  # below 1,000 employees
        (
            "pour le client Decathlon on prépare la campagne de rentrée, tu peux me faire le planning ?",
            "enterprise-lead",
        ),  # a client, not a lead
        ("this lead is at 71 after two webinars, nurture or sales?", "hot-lead"),
        (
            "on prépare un test A/B du bandeau livraison offerte : 2 % de base, +15 %, 12k visites par jour",
            "revenue-impact",
        ),  # a plan
    ],
)
def test_near_misses_and_plans_raise_nothing(text, situation):
    assert situation not in fired(text)


def test_figures_decide_when_stated_and_evidence_quotes_them():
    found = dict(
        (rule.id, evidence) for rule, evidence in evaluate(RULES, read_message(LEAD), LEAD, {})
    )
    assert found.get("hot-lead") == "91 pts"
    found = dict(
        (rule.id, evidence) for rule, evidence in evaluate(RULES, read_message(FALL), FALL, {})
    )
    assert found.get("revenue-impact") == "14 %"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("test du bandeau : revenu par visiteur 2,40 € -> 2,90 €, on déploie ?", "+20.8 %"),
        ("le CA du client est passé de 60k€ a 75k€ sur le mois", "+25 %"),
        ("variant conv 3.3% vs 3.0% on control, AOV $52 vs $50", "+14.4 %"),
        ("on a retiré le cadeau : commandes pareil, panier moyen de 80 € a 68 €", "-15 %"),
    ],
)
def test_revenue_impact_is_computed_from_before_and_after_figures(text, shown):
    found = dict((rule.id, e) for rule, e in evaluate(RULES, read_message(text), text, {}))
    assert found.get("revenue-impact", "").startswith(shown), found


def test_a_rate_up_and_a_basket_down_that_leave_revenue_flat_raise_nothing():
    text = "test terminé : conv 3,0 % -> 3,45 %, mais panier moyen 70 € -> 61 €. on garde ?"
    assert "revenue-impact" not in fired(text)  # +15 % x -12.9 % = +0.2 %


def test_the_dev_split_is_never_learned_from():
    corpus = resources.files("prompts").joinpath("corpus")
    rows = [
        json.loads(line)
        for name in ("situations.jsonl", "situations_examples.jsonl")
        for line in corpus.joinpath(name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert rows and not [r for r in rows if r["split"] == "dev"]
    taught = {text for text, _ in examples()}
    assert all(r["text"] in taught for r in rows)


POSSIBLE = (
    "pour le reporting mensuel on a 12 000 sessions et 300 commandes, au fait on garde "
    "les emails des désinscrits pour le retargeting"
)


def test_a_possible_situation_is_asked_about_and_the_answer_is_kept_as_an_example(tmp_path):
    from bot.render import text_of
    from graph.conversations import Conversations
    from graph.storage import LabelledExamples
    from graph.threads import Thread

    conv, notices = Conversations(str(tmp_path / "c.db")), Notices()
    asked = conv.handle(Thread("T", "C", "1.0"), POSSIBLE, notices)
    assert (
        asked[-1]["kind"] == "possible"
        and asked[-1]["rule"] == "privacy-compliance"
        and notices.ids == []
    )
    assert "Faut-il escalader ?" in text_of(asked[-1]) and any(
        i["kind"] == "deliverable" for i in asked
    )
    declined = conv.handle(Thread("T", "C", "1.0"), "non", notices)
    assert [i["kind"] for i in declined] == ["note"] and notices.ids == []
    assert conv.handle(Thread("T", "C", "2.0"), POSSIBLE, notices)[-1]["kind"] == "possible"
    raised = conv.handle(Thread("T", "C", "2.0"), "oui, escalade", notices)
    assert notices.ids == ["privacy-compliance"] and [
        (i["kind"], i["blocking"]) for i in raised
    ] == [("escalated", True)]
    assert (
        conv.pending(Thread("T", "C", "2.0"))[0]["kind"] == "decision_pending"
    )  # legal review is blocking
    assert conv.handle(Thread("T", "C", "3.0"), POSSIBLE, notices)[-1]["kind"] == "possible"
    moved_on = conv.handle(
        Thread("T", "C", "3.0"), "et quels KPI suivre pour la newsletter ?", notices
    )
    assert (
        moved_on[-1]["kind"] == "question" and moved_on[-1]["agent"] == "kpi-tracking"
    )  # a new request, routed
    assert notices.ids == ["privacy-compliance"]
    examples = LabelledExamples(conv.store).situation_examples()
    assert [(e["text"], e["situations"]) for e in examples] == [
        (POSSIBLE, []),
        (POSSIBLE, ["privacy-compliance"]),
    ]
    printed = run_cli("labelled", "--db", str(tmp_path / "c.db")).stdout
    assert [
        json.loads(line) for line in printed.splitlines()
    ] == examples  # ready to append to situations_examples.jsonl


class Bot:
    """A conversation store in ``tmp_path`` and one notifier (``notices``): :meth:`say` posts a
    message in a new thread and returns what the bot said, as ``Conversations.handle`` does."""

    def __init__(self, tmp_path) -> None:
        from graph.conversations import Conversations

        self.conv, self.notices, self.threads = Conversations(str(tmp_path / "c.db")), Notices(), 0

    def say(self, text: str) -> list[dict]:
        from graph.threads import Thread

        self.threads += 1
        return self.conv.handle(Thread("T", "C", f"{self.threads}.0"), text, self.notices)


def shown(said: list[dict], kind: str | None = None) -> str:
    """What the bot said, as text (only the items of ``kind`` when given)."""
    from bot.render import text_of

    return "\n".join(text_of(i) for i in said if kind is None or i["kind"] == kind)


def test_a_readout_under_the_revenue_threshold_names_no_possible_revenue_move(tmp_path):
    said = Bot(tmp_path).say(
        "Our CEO insists the new homepage hero is better because he likes it, but the test shows "
        "variant at 2.9% vs control 3.1% after 3 weeks, 40k visitors each. what do I tell him?"
    )
    assert any(i["kind"] == "deliverable" for i in said)
    # the readout measured -6.5 %: a revenue move over 10 % is not worth asking about
    assert not [i for i in said if i["kind"] == "possible" and i["rule"] == "revenue-impact"]


def test_a_sure_fraud_is_answered_with_what_to_do_now_and_a_doubtful_one_still_gets_its_answer(
    tmp_path,
):
    bot = Bot(tmp_path)
    said = bot.say(
        "il y a un truc chelou : 1 200 inscriptions hier sur le formulaire newsletter alors qu'on "
        "en fait 80 par jour d'habitude, toutes avec des adresses en @mailinator. on fait quoi ?"
    )
    assert bot.notices.ids == ["abnormal-behaviour"] and not [
        i for i in said if i["kind"] == "deliverable"
    ]
    assert "mettre en quarantaine" in shown(said), said
    said = bot.say("taux de conversion du mois : 96 000 sessions et 2 400 commandes")
    assert "2,50 %" in shown(said, "deliverable"), said


def test_a_price_test_and_a_lead_rate_drop_are_not_read_as_revenue_moves(tmp_path):
    bot = Bot(tmp_path)
    reply = shown(
        bot.say(
            "test prix : 19€ vs 24€, A 8 200 visiteurs 410 ventes, B 8 150 visiteurs 352 ventes. "
            "on garde quoi ?"
        )
    )
    # revenue per visitor 0.95 € -> 1.04 € (+9.1 %): the price's own move is not revenue's
    assert "9,1 %" in reply and bot.notices.ids == [], reply
    reply = shown(
        bot.say(
            "Our MQL to SQL rate dropped from 31% to 19% this quarter while MQL volume went up "
            "40%. Sales says marketing is sending junk. What should we look at?"
        )
    )
    assert bot.notices.ids == [] and "no lead described" in reply, reply
    assert "MQL to SQL rate went from 31% to 19%" in reply, reply


def test_a_new_flow_significantly_worse_than_expected_is_read_and_raised(tmp_path):
    bot = Bot(tmp_path)
    reply = shown(
        bot.say(
            "test result: new onboarding email flow. control 5,100 users, 612 activated. new flow "
            "5,080 users, 529 activated. this is weird, the new flow was supposed to be way better"
        )
    )
    # "new flow" is the variant; 12.00 % -> 10.41 % is significantly worse: the doubt is confirmed
    assert "12.00% (612 / 5,100)" in reply and "10.41% (529 / 5,080)" in reply, reply
    assert bot.notices.ids == ["counter-intuitive"], bot.notices.ids


def test_a_lead_who_requested_pricing_raises_the_demo_or_pricing_rule(tmp_path):
    bot = Bot(tmp_path)
    bot.say(
        "lead: head of growth at a 4,500-person retailer, requested pricing yesterday, visited "
        "the pricing page 5 times, score 86. what now?"
    )
    # a pricing request (lead-scoring criterion), a score over 80, over 1,000 employees
    assert sorted(bot.notices.ids) == ["demo-pricing-request", "enterprise-lead", "hot-lead"]


def test_words_under_a_negation_are_features_of_their_own():
    from graph.router import analyze_negated

    said = analyze_negated("un compte qui n'a pas demandé de démo, PME de 40 personnes")
    assert {"not_demand", "not_demo"} <= set(said) and "demo" in said
    assert not any(w.startswith("not_pme") or w.startswith("not_person") for w in said)
    # a consent refused is still about consent: the words stay, the negated ones are added
    said = analyze_negated("they never opted in to texts")
    assert "opt" in said and "not_opt" in said
