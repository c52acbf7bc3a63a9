"""Tables users share: CSV/TSV/XLSX in, clear errors for bad files, charts out (chat writes them to disk)."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from graph.data import MAX_BYTES, DataError, channel_history, journeys, load_file
from graph.understanding import understand
from tests.cli import run_chat, run_cli
from tests.text import shows

PATHS = "parcours;conversions;nulls;valeur\nsearch > display > email;30;70;3000\nsearch;10;90;800\ndisplay > email;20;80;1500\n"


def test_path_csv_with_french_headers_and_semicolons():
    js = journeys(load_file("parcours.csv", PATHS.encode()))
    assert [j.channels for j in js] == [
        ["search", "display", "email"],
        ["search"],
        ["display", "email"],
    ]
    assert [j.conversions for j in js] == [30, 10, 20] and js[0].value == 3000


def test_touch_csv_builds_ordered_journeys_with_days_before_conversion():
    csv = (
        "journey_id,channel,timestamp,converted,value\n"
        "j1,email,2026-03-05,1,120\nj1,search,2026-03-01,1,120\nj2,social,2026-03-02,0,0\n"
    )
    js = journeys(load_file("touches.csv", csv.encode()))
    assert (
        js[0].channels == ["search", "email"]
        and js[0].days_before == [4.0, 0.0]
        and js[0].conversions == 1
    )
    assert js[1].channels == ["social"] and js[1].nulls == 1


def test_xlsx_and_windows_1252_files_are_read():
    buffer = io.BytesIO()
    pd.DataFrame(
        {
            "channel": ["SEA", "SEA", "SEA"],
            "spend": [1000, 2000, 4000],
            "revenue": [1800, 3100, 4600],
        }
    ).to_excel(buffer, index=False)
    assert channel_history(load_file("histo.xlsx", buffer.getvalue())) == {
        "SEA": ([1000, 2000, 4000], [1800, 3100, 4600])
    }
    latin = "canal;dépense;ventes\nRéseaux;100;5\nRéseaux;200;8\n".encode("cp1252")
    assert channel_history(load_file("histo.csv", latin)) == {"Réseaux": ([100, 200], [5, 8])}


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("j.csv", b"journey_id,channel,converted\nj1,email,1\n", "timestamp"),
        ("j.csv", b"path,value\nsearch,10\n", "conversions"),
        ("j.csv", b"path,conversions\nsearch,abc\n", "ligne 2"),
        ("j.csv", b"", "vide"),
        ("j.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "pas un fichier texte"),
        ("j.csv", b"juste une phrase sans colonnes\n", "deux colonnes"),
        ("j.xlsx", b"not a workbook", "classeur Excel"),
        ("j.csv", b"a" * (MAX_BYTES + 1), "Mo"),
    ],
)
def test_bad_files_get_an_error_that_says_what_is_wrong(name, content, words):
    with pytest.raises(DataError) as err:
        journeys(load_file(name, content))
    assert words in err.value.message("fr")


def test_chat_with_a_csv_path_writes_the_chart(tmp_path):
    data = tmp_path / "parcours.csv"
    data.write_text(PATHS, encoding="utf-8")
    out = run_chat([f"Quel canal mérite le crédit ? {data}"], str(tmp_path / "c.db"))
    assert "Data-driven (Markov)" in out and "Effet de retrait" in out
    assert (tmp_path / "charts" / "attribution.png").read_bytes().startswith(b"\x89PNG")
    assert (
        (tmp_path / "charts" / "attribution.csv")
        .read_text()
        .splitlines()[0]
        .startswith(",First touch")
    )


def test_chat_finds_a_file_named_in_a_sentence(tmp_path):
    """A file name followed by a period, as people write it, in the working directory."""
    (tmp_path / "journeys_q3.csv").write_text(PATHS, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--db", "c.db", "--charts", "charts"],
        cwd=tmp_path,
        input="voici l'export des parcours du T3 : journeys_q3.csv. tu peux me comparer first click / last click / lineaire par canal ?\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    assert "Data-driven (Markov)" in out and "Effet de retrait" in out, out


def test_a_file_named_but_missing_is_said_in_the_language_of_the_message(tmp_path):
    out = run_chat(
        ["our journeys export is in journeys_oct.csv, can you compare first and last click?"],
        str(tmp_path / "c.db"),
    )
    assert "Cannot read journeys_oct.csv" in out and "Impossible de lire" not in out, out


def test_campaign_plan_comes_with_an_ics_calendar(tmp_path):
    from datetime import date

    from icalendar import Calendar

    run_cli(
        "chat",
        "--db",
        str(tmp_path / "c.db"),
        "--charts",
        str(tmp_path / "out"),
        input="Planifier une campagne de lancement le 1er mars 2027\n",
    )
    events = {
        str(e["summary"]): e["dtstart"].dt
        for e in Calendar.from_ical((tmp_path / "out" / "campagne.ics").read_text()).walk("VEVENT")
    }
    assert events["Campagne Lancement — 5. Exécution (lancement)"] == date(2027, 3, 1)
    assert events["Campagne Lancement — 1. Brief"] == date(2027, 1, 25)
    assert events["Campagne Lancement"] == date(2027, 3, 1) and len(events) >= 9


def test_events_csv_gives_a_strict_funnel_with_time_between_steps():
    from graph.data import funnel

    events = (
        "user,step,timestamp\nu1,visite,2026-03-01 10:00\nu1,panier,2026-03-01 10:06\nu1,achat,2026-03-01 10:10\n"
        "u2,visite,2026-03-01 11:00\nu2,panier,2026-03-01 13:00\nu3,visite,2026-03-02 09:00\n"
        "u4,achat,2026-03-02 08:00\nu4,visite,2026-03-02 09:30\nu4,panier,2026-03-02 09:36\n"  # u4's purchase came first
        "u5,visite,2026-03-03 09:00\nu5,panier,2026-03-03 09:30\n"
    )
    steps, hours = funnel(load_file("events.csv", events.encode()))
    assert steps == [("visite", 5), ("panier", 4), ("achat", 1)]
    assert hours["panier"] == pytest.approx(0.3) and hours["achat"] == pytest.approx(4 / 60)


def test_ice_backlog_and_leads_from_files():
    from graph.deliverables import BUILDERS

    ice = load_file(
        "backlog.csv",
        "idée;impact;confiance;facilité\nParrainage;8;6;5\nQuiz;6;4;8\nWebinar;7;7;6\n".encode(),
    )
    values, _ = BUILDERS["growth-hacking"](
        {"files": [ice]}, "fr", understand("priorise ce backlog")
    )
    assert values["top_idea"] == "Webinar" and values["ice_table"].markdown().index(
        "Parrainage"
    ) < values["ice_table"].markdown().index("Quiz")
    with pytest.raises(DataError, match="1 to 10"):
        BUILDERS["growth-hacking"](
            {"files": [load_file("b.csv", b"idea,impact,confidence,ease\nX,12,5,5\n")]},
            "en",
            understand(""),
        )
    leads = load_file(
        "leads.csv",
        (
            b"name,title,company_size,activity\nAlice,Marketing director,500 employees,visited pricing page; asked for a demo\n"
            b"Bob,Student,,read the blog\n"
        ),
    )
    values, facts = BUILDERS["lead-scoring"]({"files": [leads]}, "en", "")
    assert facts["lead_score"] > 80 and values["breakdown"].markdown().index("Alice") < values[
        "breakdown"
    ].markdown().index("Bob")


def test_ab_readouts_for_three_variants_and_for_a_revenue_metric(tmp_path):
    """Three versions: the best one against A at alpha 0.05/2, chi-square over all, interval chart.
    Average order values: Welch's t-test, p equal to scipy's."""
    lines = [
        "Résultats : A : 10000 visiteurs, 500 conversions ; B : 10000 visiteurs, 560 conversions ; "
        "C : 10000 visiteurs, 610 conversions. Est-ce significatif ?",
        "Nouveau test sur le panier moyen. A : panier moyen 52,3 €, écart-type 30 €, 1200 commandes ; "
        "B : panier moyen 55 €, écart-type 32 €, 1180 commandes. Significatif ?",
    ]
    out = run_chat(lines, str(tmp_path / "c.db"))
    three, means = out.split("Nouveau test")
    assert (
        shows(three, "| C (variante) | 6,10 % (610 / 10 000) |")
        and "Significatif (p < 0,0250)" in three
    )
    assert "khi-deux p = 0,0031" in three and "Bonferroni" in three and "Déployer C" in three
    chart = (tmp_path / "charts" / "ab-test.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in chart[1:]] == ["A", "B", "C"]
    assert (
        shows(means, "| p-value | 0,0339 |")
        and "2,70 € [0,21 € ; 5,19 €]" in means
        and "ttest_ind_from_stats" in means
    )
