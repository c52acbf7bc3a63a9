"""Words for marketers: what a user reads names specialists and rules by their human names, never
by agent ids, rule ids or seed files (those stay in the Method section and the admin's logs), and
the terminal chat prints plain text."""

from __future__ import annotations

import json
import re

import pytest

from bot.modals import request_modal
from bot.render import notice, render, terminal_text
from graph.hierarchy import load_hierarchy
from graph.messages import Choice, Option
from graph.text import detect_language
from tests.cli import run_chat

HIERARCHY = load_hierarchy()
IDS = sorted(
    {n.id for n in HIERARCHY.nodes.values() if "-" in n.id} | {r.id for r in HIERARCHY.escalations}
)  # one-word ids (attribution, reporting…) are ordinary words too
INTERNAL = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, IDS)) + r")(?![\w-])|[\w-]+\.(?:md|yaml)\b"
)
MARKUP = re.compile(r":[a-z_]+:|(?<!\w)\*\S[^*\n]*\*(?!\w)|<[@#!]|&lt;|&gt;")
CONVERSATIONS = [
    [
        "checkout test readout: control 15,400 users / $61,600 revenue, variant 15,350 users / "
        "$70,610 revenue. variant wins right? we want to ship tomorrow"
    ],
    ["Où perd-on des clients ? visites 20000, panier 4000, paiement 1500, achat 900"],
    [
        "plan de campagne pour le lancement de l'offre Pro du 1 au 20 mars, budget 30 k€, "
        "canaux Instagram et TikTok"
    ],
    [
        "score ce lead : DAF d'une ETI de 800 salariés, industrie, a demandé une démo et visité "
        "la page tarifs"
    ],
]


def outside_method(text: str) -> str:
    """``text`` without its Method sections (a "Méthode…"/"Method…" heading line and the lines
    up to the next blank line), where the seed and the calculator may be cited."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith(("Méthode", "Method")):
            skipping = True
        elif not line.strip():
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("lines", CONVERSATIONS, ids=["readout", "funnel", "campaign", "lead"])
def test_the_terminal_chat_names_no_internals_and_prints_no_slack_markup(tmp_path, lines):
    out = run_chat(lines, str(tmp_path / "chat.db"))
    shown = outside_method(out.split("Ctrl-D to quit.", 1)[-1])
    assert not INTERNAL.findall(shown), shown
    assert not MARKUP.findall(out), out


def test_a_readout_in_the_chat_ends_with_the_specialist_s_name_and_how_to_decide(tmp_path):
    out = run_chat(CONVERSATIONS[0], str(tmp_path / "chat.db"))
    assert "Marketing analytics › A/B testing" in out
    assert "marketing-bot chat --as direction --thread" in out and "buttons" not in out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_escalation_notices_give_the_response_time_in_words_not_the_seed_or_rule(lang):
    row = {
        "id": "e1",
        "rule": "",
        "role": "direction",
        "blocking": 1,
        "status": "open",
        "evidence": "15 %",
        "permalink": "",
        "created_at": "2026-12-03T10:00:00+00:00",
        "lang": lang,
    }
    for rule in HIERARCHY.escalations:
        text, blocks = notice({**row, "rule": rule.id, "role": rule.role}, rule, "@x", lang)
        shown = text + json.dumps(blocks, ensure_ascii=False)
        assert not INTERNAL.findall(shown), shown
        assert ("ouvré" in shown) == (lang == "fr" and "business day" in rule.sla)


def test_a_choice_offers_specialists_by_name_and_keeps_their_ids_as_values():
    choice = Choice(
        lang="fr",
        options=[
            Option(id="experimentation", name="Expérimentation", description="Tests"),
            Option(id="funnel-analysis", name="Diagnostic du funnel", description="Funnel"),
        ],
    )
    text, blocks = render(choice)
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Expérimentation", "Diagnostic du funnel"]
    assert [b["value"] for b in buttons] == ["experimentation", "funnel-analysis"]
    assert "funnel-analysis" not in text and "terminal_text" not in terminal_text(text)


def test_a_request_form_is_titled_with_the_specialist_s_name():
    view = request_modal("kpi-tracking", "fr", {"channel": "C1"})
    assert view["title"]["text"] == "Suivi des KPIs"
    assert "kpi-tracking" not in json.dumps(view["blocks"], ensure_ascii=False)


def test_terminal_text_drops_slack_markup_and_keeps_the_words():
    assert (
        terminal_text(":rotating_light: *Validation direction* <@U1> — voir <https://x.y/z|le fil>")
        == "Validation direction @U1 — voir le fil (https://x.y/z)"
    )
    assert terminal_text("taux_de_conversion 3 * 4 &lt;!channel&gt;") == (
        "taux_de_conversion 3 * 4 <!channel>"
    )


def test_the_time_a_move_took_is_not_a_date_to_come():
    from graph.understanding import understand

    moved = understand("our paid social CAC went from $210 to $340 in 6 weeks, spend flat")
    assert not moved.all("start_date", "date") and moved.value("duration") == 42
    assert understand("lancement dans 3 semaines").first("start_date") is not None


@pytest.mark.parametrize(
    "text, lang",
    [
        (
            "onboarding flow: email D0, sms D3, email D6, push D9",
            "en",
        ),  # English verbs of the trade
        ("remove the sms", "en"),
        ("welcome flow: email J0, email J2, sms J4, email J7", "fr"),  # "J0": the French day marks
        ("enlève le sms", "fr"),
        ("NPS survey: 420 promoters, 180 passives, 150 detractors", "en"),  # nouns of one language
        ("enquête NPS : 420 promoteurs, 180 passifs, 150 détracteurs", "fr"),
    ],
)
def test_terse_requests_are_told_apart_by_their_language_marks(text, lang):
    assert detect_language(text) == lang
