"""Whole conversations through the graph, as `marketing-bot chat` runs them (offline brain)."""

from __future__ import annotations

import re

import pytest

from bot.escalations import Desk, EscalationNotifier
from bot.render import text_of
from bot.roles import Directory
from graph.conversations import Conversations
from graph.threads import Thread
from tests.cli import run_chat
from tests.text import shows


def test_chat_acceptance_conversation(tmp_path):
    out = run_chat(
        [
            "Je veux tester deux versions de ma page d'inscription, combien de visiteurs il me faut ?",
            "3 %, je veux détecter +0,5 point, 2000 visiteurs par jour",
        ],
        str(tmp_path / "c.db"),
    )
    question, plan = out.split("> 3 %")
    assert "taux de conversion actuel" in question and "trafic quotidien" in question
    assert (
        "19 716 visiteurs par variante" in plan and "20 jours" in plan and "NormalIndPower" in plan
    )


@pytest.fixture()
def conv(tmp_path):
    return Conversations(str(tmp_path / "c.db"))


def say(conv, thread, text, notices):
    desk = Desk(conv.store, Directory({}), conv.context.hierarchy.escalations)
    notifier = EscalationNotifier(desk, thread, lambda t, b, e: notices.append(t))
    return [text_of(i) for i in conv.handle(thread, text, notifier)]


def thread_of(conv, *messages: str, notices: list[str] | None = None) -> list[str]:
    """The bot's replies to each message of a new thread, one list entry per message; the
    escalation notices it sends go to ``notices`` when given."""
    thread = Thread("T", "CFU", f"{abs(hash(messages))}")
    sent = [] if notices is None else notices
    return ["\n".join(say(conv, thread, m, sent)) for m in messages]


@pytest.mark.parametrize(
    "messages, expected",
    [
        (
            ["Répartir le budget entre canaux", "50 000 €, email, SEA et social"],
            "Réserve test & optimisation",
        ),
        (["Planifier une campagne Black Friday", "je ne sais pas"], "Critères de passage"),
        (
            ["Où sont les drop-offs ?", "visites 10000, panier 3000, paiement 1200, achat 800"],
            "Plus grosse fuite",
        ),
        (
            [
                "Analyze this A/B test: A: 10000 visitors, 500 conversions; B: 10000 visitors, 580 conversions"
            ],
            "0.0123",
        ),
        (
            ["Prioriser nos idées de growth", "Parrainage ; 8 ; 6 ; 5\nQuiz ; 6 ; 4 ; 8"],
            "Parrainage",
        ),
        (
            ["Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €"],
            "| Taux de conversion | 2,00 % |",
        ),
    ],
)
def test_specialists_deliver(conv, messages, expected):
    thread = Thread("T", "C", messages[0][:10])
    replies = []
    for m in messages:
        replies += say(conv, thread, m, [])
    assert shows(replies[-1], expected)


def test_unparseable_answer_is_asked_again_and_loses_nothing(conv):
    thread = Thread("T", "C", "1")
    say(conv, thread, "Combien de visiteurs pour mon A/B test ?", [])
    replies = say(conv, thread, "aucune idée franchement, bof", [])
    replies = say(conv, thread, "euh pas sûr", [])
    assert "aucune valeur utilisable" in replies[0] and "il me manque" in replies[1]
    replies = say(conv, thread, "3 %, +0,5 point, 2000 visiteurs par jour", [])
    assert "19 716" in replies[-1]


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Le test a fait bouger le CA de 15 %", "Validation direction"),
        ("Résultat contre-intuitif sur notre test de prix", "Review équipe"),
        ("On propose une refonte complète du site", "Comité de décision"),
        ("Conflit data/intuition sur la home", "Discussion stakeholders"),
        ("Bannière cookies et consentement RGPD pour la personnalisation", "Review juridique"),
        ("lead score 92 on the new signup", "Immediate sales alert"),
        ("Un prospect a demandé une démo hier", "Notification + assignation"),
        ("Comportement anormal : 300 inscriptions en 2 minutes", "Review manuel"),
        ("Un client se plaint de recevoir trop d'emails du workflow", "Sortie + escalade support"),
        ("Nouveau lead grand compte dans le workflow", "Account executive dédié"),
    ],
)
def test_each_escalation_rule_notifies_once(conv, text, rule):
    thread, notices = Thread("T", "C", "2"), []
    say(conv, thread, text, notices)
    say(conv, thread, "je ne sais pas", notices)
    assert len(notices) == 1 and rule in notices[0]
    assert (
        conv.store.escalations.escalation(
            f"{thread.key}:" + conv.store.escalations.escalations_of(thread.key)[0]["rule"]
        )["status"]
        == "open"
    )


def test_out_of_scope_and_empty_and_long_messages(conv):
    assert (
        "content-marketing"
        in say(conv, Thread("T", "C", "3"), "Rédige un article de blog sur nos nouveautés", [])[0]
    )
    assert "Planning de campagne" in say(conv, Thread("T", "C", "4"), "   ", [])[0]
    replies = say(conv, Thread("T", "C", "5"), "Quel budget allouer ? " + "x" * 40000, [])
    assert "40022 caractères" in replies[0]


@pytest.mark.parametrize(
    "messages, question, deliverable, handoff",
    [
        (
            [
                "Je veux tester un nouveau titre sur notre landing page",
                "3 %, +10 %, 2000 visiteurs par jour",
                "Rédige un article de blog sur notre lancement",
            ],
            "il me manque",
            "Plan de test A/B",
            "pas mon périmètre",
        ),
        (
            [
                "We want to test a new headline on our landing page",
                "3%, +10%, 2000 visitors a day",
                "Write a blog post about our launch",
            ],
            "I still need",
            "A/B test plan",
            "outside my scope",
        ),
    ],
)
def test_answers_in_the_language_of_the_request(tmp_path, messages, question, deliverable, handoff):
    out = run_chat(messages, str(tmp_path / "c.db"))
    asked, plan, handed = re.split(r"^> ", out, flags=re.M)[1:]
    assert (
        question in asked
        and deliverable in plan
        and "53 182" in plan.replace(",", " ")
        and handoff in handed
    )


def test_redirect_after_a_deliverable_keeps_the_figures_given(conv):
    thread = Thread("T", "C", "redirect-1")
    diag = say(
        conv,
        thread,
        "Où perd-on des clients ? visites 20000, panier 4000, paiement 1500, achat 900",
        [],
    )
    assert (
        "Analytics marketing › Diagnostic du funnel" in diag[-1]
        and "funnel-analysis" not in diag[-1]
    )
    action = say(conv, thread, "non, je veux plutôt corriger les frictions", [])
    assert len(action) == 1 and "Optimisation du funnel" in action[0] and "« panier »" in action[0]
    assert "Performance & CRO › Optimisation du funnel" in action[0]


def test_redirect_while_a_question_waits_uses_the_first_message(conv):
    thread = Thread("T", "C", "redirect-2")
    asked = say(
        conv, thread, "We are preparing a campaign on March 2 on Google, Meta and email", []
    )
    assert "Campaign planning" in asked[-1] and "I still need" in asked[-1]
    split = say(conv, thread, "wrong agent, it's about the budget: 40k", [])
    assert len(split) == 1 and "Budget allocation — €40,000" in split[0]
    assert all(
        shows(split[0], f"| {c} | €12,000 | 30.0% |") for c in ("Google", "Meta", "Email")
    )  # channels as named


def test_ambiguity_is_asked_once_and_the_choice_is_remembered(conv):
    thread = Thread("T", "C", "ambiguous")
    choice = say(conv, thread, "A/B test sur la home", [])
    assert "1. Tests A/B" in choice[0] and "2. Expérimentation" in choice[0]
    asked = say(conv, thread, "2", [])
    assert "Expérimentation" in asked[-1] and "il me manque" in asked[-1]
    say(conv, thread, "3 %, +10 %, 2000 visiteurs par jour", [])
    again = say(conv, thread, "A/B test sur la home", [])
    assert (
        "Deux spécialistes" not in "".join(again)
        and "Performance & CRO › Expérimentation" in again[-1]
    )


def test_a_question_checkpointed_without_its_interrupt_is_asked_again(tmp_path):
    """LangGraph writes a waiting turn's checkpoint, then the interrupt that says what it waits
    for. A process killed in between left a turn with nothing to deliver, marked done: the user's
    message was never answered, and the thread's next messages were ignored (no conversations
    row). Taken up, the turn asks its question again, once, and the thread is known."""
    import sqlite3

    db = str(tmp_path / "c.db")
    thread, key = Thread("T", "C", "1.0"), "message:C:1.0"
    first = Conversations(db).handle(thread, "Quels KPIs suivre pour ma newsletter ?", turn_key=key)
    assert first and "il me manque" in text_of(first[-1])  # a question; never delivered (the kill)
    with sqlite3.connect(db) as conn:  # neither the interrupt's writes nor the thread's row
        assert conn.execute("DELETE FROM writes WHERE thread_id = ?", [thread.key]).rowcount
        conn.execute("DELETE FROM conversations WHERE thread_key = ?", [thread.key])
    delivered = []
    again = Conversations(db).handle(
        thread,
        "Quels KPIs suivre pour ma newsletter ?",
        turn_key=key,
        deliver=lambda items, turn: delivered.append((turn, items)),
    )
    assert [text_of(i) for i in again] == [text_of(i) for i in first]
    assert delivered == [(key, again)]
    assert Conversations(db).is_known(thread)  # the thread's next messages are answered
