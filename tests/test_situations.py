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

RULES = load_hierarchy().escalations
LEAD, FALL = "le lead Martin a un score de 91", "la variante B a fait chuter le chiffre d'affaires de 14 %"


def fired(text: str) -> set[str]:
    return {rule.id for rule, _ in evaluate(RULES, read_message(text), text, {})}


@pytest.mark.parametrize("text, situation", [
    # said without the rule's words: a complaint while a flow keeps running, a privacy question, a rebuild
    ("dans la séquence de bienvenue une cliente nous a répondu qu'elle allait porter plainte si on continuait, "
     "et elle a encore reçu le mail 4 ce matin", "workflow-complaint"),
    ("le client veut qu'on charge sa liste de 40k contacts récupérés sur des salons, sans opt-in, dans le CRM", "privacy-compliance"),
    ("the CEO wants to throw away the whole store and start over on a new platform before Black Friday", "major-redesign"),
    ("un prospect veut qu'on lui envoie une proposition chiffrée pour 200 licences", "demo-pricing-request"),
])
def test_situations_said_in_other_words_raise_their_rule(text, situation):
    assert situation in fired(text), {k: round(v.probability, 2) for k, v in situations(text).items()}


@pytest.mark.parametrize("text, situation", [
    ("lead score de 72 sur le compte Dupont, on le garde en nurturing ?", "hot-lead"),  # below 80: the figure decides
    ("le test a fait +6 % de CA, on déploie ?", "revenue-impact"),  # below 10 %
    ("une boîte de 450 salariés vient de s'inscrire à l'essai", "enterprise-lead"),  # below 1,000 employees
    ("on prépare un test A/B du bandeau livraison offerte : 2 % de base, +15 %, 12k visites par jour", "revenue-impact"),  # a plan
])
def test_near_misses_and_plans_raise_nothing(text, situation):
    assert situation not in fired(text)


def test_figures_decide_when_stated_and_evidence_quotes_them():
    found = dict((rule.id, evidence) for rule, evidence in evaluate(RULES, read_message(LEAD), LEAD, {}))
    assert found.get("hot-lead") == "91 pts"
    found = dict((rule.id, evidence) for rule, evidence in evaluate(RULES, read_message(FALL), FALL, {}))
    assert found.get("revenue-impact") == "14 %"


def test_the_dev_split_is_never_learned_from():
    corpus = resources.files("prompts").joinpath("corpus")
    rows = [json.loads(line) for name in ("situations.jsonl", "situations_examples.jsonl")
            for line in corpus.joinpath(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows and not [r for r in rows if r["split"] == "dev"]
    taught = {text for text, _ in examples()}
    assert all(r["text"] in taught for r in rows)
