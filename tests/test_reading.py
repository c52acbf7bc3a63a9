"""The Reading contract (graph/understanding/reading.py): what a message says, with each figure's
role learned from the shared corpus's figures (graph/understanding/roles.py), never from dev."""

from __future__ import annotations

import json
from importlib import resources

from graph.understanding.reading import read_message
from graph.understanding.roles import examples


def test_figures_carry_their_learned_role_and_situations_their_evidence():
    reading = read_message(
        "promo -20% du 14 au 20 octobre. on communique en email (base 120k), sms (35k)"
    )
    roles = {f.evidence: (f.role, f.role_probability) for f in reading.figures}
    assert roles["120k"][0] == "list_size" and roles["120k"][1] > 0.5, roles
    assert roles["35k"][0] == "list_size", roles
    assert {e.type for e in reading.entities} >= {"channel", "start_date", "end_date"}
    text = "on a importé 20k contacts achetés à un broker. on peut les mettre dans la séquence ?"
    privacy = read_message(text).situations["privacy-compliance"]
    assert privacy.probability > 0.5 and privacy.evidence and privacy.evidence in text


def test_a_follow_up_that_only_acts_on_the_request_reads_no_situation():
    reading = read_message(
        "on a importé un fichier acheté à un broker\net sans linkedin ?", situated=""
    )
    assert reading.situations == {} and reading.brain == "offline"


def test_the_role_model_learns_from_train_lines_only():
    corpus = (
        resources.files("prompts")
        .joinpath("corpus")
        .joinpath("figures.jsonl")
        .read_text(encoding="utf-8")
    )
    rows = [json.loads(line) for line in corpus.splitlines() if line.strip()]
    assert len(rows) == 416 and all(r["split"] == "train" and int(r["id"][-4:]) % 5 for r in rows)
    own = resources.files("prompts").joinpath("corpus").joinpath("figures_examples.jsonl")
    owned = [
        json.loads(line) for line in own.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert owned and all(
        r["split"] == "own" for r in owned
    )  # the team's examples, never a dev line
    feats, labels, groups = examples()
    assert len(feats) == len(labels) > 1200 and set(groups) <= {r["id"] for r in rows + owned}


def test_an_age_range_is_a_segment_of_the_audience_not_two_figures():
    for text, age in (
        ("plan de campagne, cible clientes 25-45, budget 30 k€", "25-45"),
        ("audience: women 18-24 yo on TikTok", "18-24 yo"),
    ):
        reading = read_message(text)
        # the segment as written, with the people it names when they are said ("clientes 25-45")
        segments = [e.value for e in reading.entities if e.type == "segment"]
        assert len(segments) == 1 and segments[0].endswith(age), reading
        assert not [f for f in reading.figures if f.value in (18, 24, 25, 45)], reading.figures
    listed = read_message("on a 25-30 leads par jour, split 60-40")  # not ages: figures
    assert {25, 30, 60, 40} <= {f.value for f in listed.figures}


def test_a_revenue_move_said_in_words_is_the_revenue_impact_an_open_rate_move_is_not():
    from graph.escalation import revenue_impact

    cases = {
        "ouvertures pareil mais les ventes générées par la newsletter ont pris +27 %": 27.0,
        "le nouveau moteur de reco fait -16 % de ventes par session vs avant": 16.0,
        "le taux d'ouverture a pris 12 % avec le nouvel objet, le CA n'a pas bougé": None,
        "conversion up 14 % on the variant but average basket down 13 %": None,
    }
    for text, expected in cases.items():
        found = revenue_impact(read_message(text), text)
        assert (found[0] if found else None) == expected, (text, found)


def test_a_unit_written_once_for_a_list_applies_to_each_number_of_one_magnitude():
    from graph.understanding import understand

    def read(text: str) -> list[tuple]:
        return [(s.type, s.value, s.unit) for s in understand(text).slots if s.type != "channel"]

    assert [v for _, v, u in read("taux de 3, 4 et 5 % selon la page") if u == "%"] == [3, 4, 5]
    assert [v for _, v, _ in read("on prévoit 12, 8 ou 6 k€ selon le scénario")] == [
        12000,
        8000,
        6000,
    ]
    # no conjunction closing a list, or numbers of other magnitudes: each keeps its own unit
    assert read("n=6200 vs n=6150, 2.1% vs 2.6%, is it significant?")[1] == ("visitors", 6150, "")
    assert read("1 200 inscrits et 3 %")[0][1:] == (1200, "")


def test_two_channels_compared_are_each_their_figures_not_two_arms():
    from graph.understanding import understand

    def read(text: str) -> list[tuple]:
        return [(s.type, s.value, s.channel, s.arm) for s in understand(text).slots if s.value]

    figures = [r for r in read("un ROAS de 0,9 sur TikTok vs 3,8 sur Google") if r[0] == "roas"]
    assert figures == [("roas", 0.9, "TikTok", None), ("roas", 3.8, "Google", None)]
    figures = [r for r in read("Meta CPA $38 vs LinkedIn $114") if r[0] == "cpa"]
    assert figures == [("cpa", 38.0, "Meta", None), ("cpa", 114.0, "LinkedIn", None)]
    figures = [r for r in read("conv 2.4% vs 2.1% on the new checkout") if r[1] in (2.4, 2.1)]
    assert [r[3] for r in figures] == ["A", "B"]  # no channel: an A/B readout
