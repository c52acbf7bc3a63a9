"""Figures no word names are read back with a form, not used as if certain (graph.understanding.doubts)."""

from __future__ import annotations

import json

import pytest

from bot.render import READING_ACTION, render, text_of
from graph.conversations import Conversations
from graph.storage import LabelledExamples
from graph.threads import Thread
from tests.cli import run_cli

BARE = "combien de temps pour un test A/B sur la landing ? taux actuel 3 %, on veut détecter +10 %, 12000"


@pytest.fixture()
def conv(tmp_path):
    return Conversations(str(tmp_path / "c.db"))


def deliverable(items: list[dict]) -> str:
    return "\n".join(text_of(i) for i in items if i["kind"] == "deliverable")


def test_a_bare_figure_is_read_back_and_the_form_retypes_it(conv, tmp_path):
    thread = Thread("T", "C", "1.0")
    first = conv.handle(thread, BARE)
    assert "9 jours" in deliverable(first)  # the deliverable is not held back…
    asked = first[-1]
    assert asked["kind"] == "reading" and [(d["evidence"], d["type"]) for d in asked["doubts"]] == [
        ("12000", "daily_traffic")
    ]
    assert "« 12000 » : visiteurs/jour (ou visiteurs/mois ?)" in text_of(
        asked
    )  # …and says how it read the figure
    _, blocks = render(asked)
    select = blocks[-1]["accessory"]
    assert (
        select["action_id"] == READING_ACTION
        and select["initial_option"]["text"]["text"] == "visiteurs/jour"
    )
    assert [o["text"]["text"] for o in select["options"]][1] == "visiteurs/mois"
    again = conv.handle(
        thread, "", resume={"figure": asked["doubts"][0]["start"], "type": "monthly_traffic"}
    )
    plan = deliverable(again)
    assert (
        "266 jours" in plan and "400 visiteurs/jour" in plan and "Également lu" not in plan
    )  # 12 000 a month is 400 a day
    assert not any(
        i["kind"] == "reading" for i in again
    )  # a figure the user named is not doubted again
    kept = LabelledExamples(conv.store).figure_examples()
    assert [(e["text"], e["figures"]) for e in kept] == [
        (BARE, [{"surface": "12000", "value": 12000.0, "measure": "monthly_traffic"}])
    ]
    printed = run_cli("labelled", "--figures", "--db", str(tmp_path / "c.db")).stdout
    assert [
        json.loads(line) for line in printed.splitlines()
    ] == kept  # ready for prompts/corpus/figures_examples.jsonl
    assert LabelledExamples(conv.store).situation_examples() == []


def test_a_reading_is_confirmed_corrected_in_words_or_left_for_a_new_message(conv):
    named = conv.handle(Thread("T", "C", "1.0"), BARE.replace("12000", "12000 visiteurs par jour"))
    assert "9 jours" in deliverable(named) and not any(i["kind"] == "reading" for i in named)
    conv.handle(Thread("T", "C", "2.0"), BARE)
    assert [i["kind"] for i in conv.handle(Thread("T", "C", "2.0"), "oui")] == ["note"]
    assert (
        LabelledExamples(conv.store).figure_examples()[0]["figures"][0]["measure"]
        == "daily_traffic"
    )
    conv.handle(Thread("T", "C", "3.0"), BARE)
    assert "266 jours" in deliverable(
        conv.handle(Thread("T", "C", "3.0"), "12000, c'est visiteurs/mois")
    )
    conv.handle(Thread("T", "C", "4.0"), BARE)
    moved_on = conv.handle(Thread("T", "C", "4.0"), "et quels KPI suivre pour la newsletter ?")
    assert (
        moved_on[-1]["kind"] == "question" and moved_on[-1]["agent"] == "kpi-tracking"
    )  # a new request, routed
    assert len(LabelledExamples(conv.store).figure_examples()) == 2
