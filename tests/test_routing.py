"""Routing of every example of the seeds' routing tables, read from seeds/*.md themselves."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from graph.hierarchy import load_hierarchy
from graph.router import default_router
from tests.cli import run_cli

# The seeds route "A/B test" and "hypothèse" both to experimentation (performance) and ab-testing
# (analytics); for those the router must offer both (an ambiguity question) or pick either.
SHARED = {"ab-testing", "experimentation"}


def seed_rows():
    """(request or keyword, expected agent) for each row of the seeds' agent routing tables."""
    rows = []
    for name in (
        "campagnes-orchestrator.md",
        "analytics-orchestrator.md",
        "performance-orchestrator.md",
        "automation-orchestrator.md",
    ):
        text = resources.files("seeds").joinpath(name).read_text(encoding="utf-8")
        table = text.split("## Règles de Routage")[1].split("\n## ")[0]
        for m in re.finditer(r"^\|\s*(.+?)\s*\|\s*`([a-z-]+)`\s*\|$", table, re.M):
            cell, agent = m.group(1), m.group(2)
            if cell.startswith('"'):
                rows.append((cell.strip('"'), agent))
            else:
                rows.extend((kw.strip(), agent) for kw in cell.split(","))
    return rows


@pytest.mark.parametrize("text, agent", seed_rows())
def test_seed_table_examples_route_to_their_agent(text, agent):
    decision = default_router().route(text)
    if agent in SHARED:
        assert decision.agent in SHARED, (text, decision.as_json())
    else:
        assert decision.agent == agent, (text, decision.as_json())
    assert decision.path == load_hierarchy().path_to(decision.agent)


def test_marketing_ops_table_keywords_reach_their_domain():
    h = load_hierarchy()
    for domain, words in h.nodes["marketing-ops"].routing.items():
        for word in words:
            decision = default_router().route(word)
            if decision.agent:
                assert domain in decision.path or decision.path[0] == "marketing-analytics", (
                    word,
                    decision.as_json(),
                )


@pytest.mark.parametrize(
    "text, team",
    [
        ("Peux-tu définir notre stratégie marketing pour 2027 ?", "direction-marketing"),
        ("Rédige un article de blog sur nos nouveautés", "content-marketing"),
        ("Comment améliorer notre référencement naturel et nos backlinks ?", "seo-expert"),
        (
            "blog visits from google fell 30% since the last algorithm change, what now?",
            "seo-expert",
        ),
        ("Quelle stratégie d'enchères sur Google Ads ?", "paid-media"),
        ("Quel temps fera-t-il demain à Lyon ?", "hors-perimetre"),
    ],
)
def test_out_of_scope_requests_get_a_handoff(text, team):
    decision = default_router().route(text)
    assert decision.agent is None and decision.handoff == team


def test_route_jsonl_command():
    lines = "\n".join(
        json.dumps({"text": t})
        for t in [
            "Répartir le budget entre canaux",
            "Où sont les drop-offs ?",
            "not json",
            "Écris un post LinkedIn",
        ]
    )
    out = run_cli("route", "--jsonl", input=lines).stdout
    decisions = [json.loads(line) for line in out.splitlines()]
    assert decisions[0] == {
        "agent": "budget-allocation",
        "path": ["marketing-ops", "campagnes", "budget-allocation"],
        "confidence": decisions[0]["confidence"],
        "handoff": None,
    }
    assert 0 < decisions[0]["confidence"] <= 1
    assert decisions[1]["agent"] == "funnel-analysis" and decisions[1]["path"] == [
        "marketing-analytics",
        "funnel-analysis",
    ]
    assert decisions[2]["agent"] is None and decisions[3]["handoff"] == "content-marketing"


@pytest.mark.parametrize(
    "text, agents",
    [
        ("ppl keep bailing on the payment page, how do we stop that??", {"funnel-optimization"}),
        ("budget S2 = 45k sur 3 leviers, tu me fais la répartition ?", {"budget-allocation"}),
        ("v1 2,9% / v2 3,4% — 16k visiteurs chacune", {"ab-testing"}),
        (
            "le dernier clic donne tout au SEA, je veux voir la vraie contribution des canaux",
            {"attribution"},
        ),
        (
            "combien de visiteurs par variante pour voir +8 % sur un taux de 4 % ?",
            {"experimentation", "ab-testing"},
        ),
        ("where do signups drop between the form and email confirmation?", {"funnel-analysis"}),
        ("lead avec 90 pts, dir. achats, 800 salariés : on le passe aux sales ?", {"lead-scoring"}),
    ],
)
def test_natural_requests(text, agents):
    assert default_router().route(text).agent in agents


def test_benchmark_set_is_not_in_the_training_texts():
    from graph.router import training_set
    from graph.text import fold

    texts = {fold(t).strip(" ?!.") for t in training_set(load_hierarchy())[0]}
    path = Path(__file__).parents[1] / "benchmarks" / "routing_set.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200 and not [
        r["text"] for r in rows if fold(r["text"]).strip(" ?!.") in texts
    ]


def test_route_explain_shows_path_candidates_and_decisive_words():
    out = run_cli("route", "--explain", "Comment réduire les abandons au paiement ?").stdout
    assert "marketing-ops › performance › funnel-optimization" in out
    lines = out.splitlines()
    candidates = lines[lines.index("candidates:") + 1 : lines.index("candidates:") + 4]
    assert "funnel-optimization" in candidates[0] and all("%" in c for c in candidates)
    assert "decisive words:" in out and (
        "paiement" in out.split("decisive words:")[1]
        or "abandons" in out.split("decisive words:")[1]
    )


def test_studio_draws_the_hierarchy_from_triage_to_every_specialist():
    from graph.graph import graph

    edges = {(e.source, e.target) for e in graph.get_graph().edges}
    hierarchy = load_hierarchy()
    for specialist in hierarchy.specialists():
        path = ["triage", *hierarchy.path_to(specialist.id)]
        assert all(step in edges for step in zip(path, path[1:])), path
        assert (specialist.id, "clarify") in edges and (specialist.id, "escalate") in edges
