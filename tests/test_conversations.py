"""Whole conversations through the graph, as `marketing-bot chat` runs them (offline brain)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.conversations import Conversations, EscalationNotifier, Thread
from bot.render import text_of


def run_chat(lines: list[str], db: str) -> str:
    return subprocess.run([sys.executable, "-m", "bot", "chat", "--db", db], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True, timeout=120).stdout


def test_chat_acceptance_conversation(tmp_path):
    out = run_chat(["Je veux tester deux versions de ma page d'inscription, combien de visiteurs il me faut ?",
                    "3 %, je veux détecter +0,5 point, 2000 visiteurs par jour"], str(tmp_path / "c.db"))
    question, plan = out.split("> 3 %")
    assert "taux de conversion actuel" in question and "trafic quotidien" in question
    assert "19 716 visiteurs par variante" in plan and "20 jours" in plan and "NormalIndPower" in plan


@pytest.fixture()
def conv(tmp_path):
    return Conversations(str(tmp_path / "c.db"))


def say(conv, thread, text, notices):
    notifier = EscalationNotifier(conv.store, thread, {}, lambda t, b: notices.append(t) or {})
    return [text_of(i) for i in conv.handle(thread, text, notifier)]


@pytest.mark.parametrize("messages, expected", [
    (["Répartir le budget entre canaux", "50 000 €, email, SEA et social"], "Réserve test & optimisation"),
    (["Planifier une campagne Black Friday", "je ne sais pas"], "Critères de passage"),
    (["Où sont les drop-offs ?", "visites 10000, panier 3000, paiement 1200, achat 800"], "Plus grosse fuite"),
    (["Analyze this A/B test: A: 10000 visitors, 500 conversions; B: 10000 visitors, 580 conversions"], "0.0123"),
    (["Prioriser nos idées de growth", "Parrainage ; 8 ; 6 ; 5\nQuiz ; 6 ; 4 ; 8"], "Parrainage"),
    (["Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €"], "Taux de conversion | 2,00 %"),
])
def test_specialists_deliver(conv, messages, expected):
    thread = Thread("T", "C", messages[0][:10])
    replies = []
    for m in messages:
        replies += say(conv, thread, m, [])
    assert expected in replies[-1]


def test_unparseable_answer_is_asked_again_and_loses_nothing(conv):
    thread = Thread("T", "C", "1")
    say(conv, thread, "Combien de visiteurs pour mon A/B test ?", [])
    replies = say(conv, thread, "aucune idée franchement, bof", [])
    replies = say(conv, thread, "euh pas sûr", [])
    assert "aucune valeur utilisable" in replies[0] and "il me manque" in replies[1]
    replies = say(conv, thread, "3 %, +0,5 point, 2000 visiteurs par jour", [])
    assert "19 716" in replies[-1]


@pytest.mark.parametrize("text, rule", [
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
])
def test_each_escalation_rule_notifies_once(conv, text, rule):
    thread, notices = Thread("T", "C", "2"), []
    say(conv, thread, text, notices)
    say(conv, thread, "je ne sais pas", notices)
    assert len(notices) == 1 and rule in notices[0]
    assert conv.store.escalation(f"{thread.key}:" + conv.store.db["escalations"].rows.__next__()["rule"])["status"] == "open"


def test_out_of_scope_and_empty_and_long_messages(conv):
    assert "content-marketing" in say(conv, Thread("T", "C", "3"), "Rédige un article de blog sur nos nouveautés", [])[0]
    assert "planning-campagne" in say(conv, Thread("T", "C", "4"), "   ", [])[0]
    replies = say(conv, Thread("T", "C", "5"), "Quel budget allouer ? " + "x" * 40000, [])
    assert "40022 caractères" in replies[0]
