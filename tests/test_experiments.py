"""The experiment log (issue 17): plans and readouts recorded across threads, similar tests named
when a new one is planned, /experiments, the backlog, reminders, the CSV export and the digest.
Messages are written as marketers type them; none of them is an example the code learns from."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from itertools import takewhile
from pathlib import Path

import pytest

from graph.experiments import Decision, idea_subject, likeness, read_decision, read_subject
from tests.cli import run_cli
from tests.slack_stub import Server, WebApiStub, blocks_of, decoded, event, in_process_bot
from tests.waiting import settled, wait_until

PLAN = "<@UBOT> on lance un test sur la page pricing : CTA vert au lieu du bleu. conv actuelle 3%, on veut voir +20%, ~20000 visites/jour"
READOUT = "resultats apres 3 jours : controle 30 000 visites / 900 conv, variante verte 30 000 visites / 870 conv. learning : la couleur seule ne change rien"
SECOND = "<@UBOT> idée : passer le bouton CTA en vert sur /pricing ? taux 2,9 %, mde 15 %, 5k visiteurs par jour"


@pytest.mark.parametrize(
    "text, name, page_key",
    [
        (
            "on lance un test sur la page pricing : CTA vert au lieu du bleu. conv 3%",
            "CTA vert",
            "pricing",
        ),
        (
            "jveux tester « Livraison offerte dès 49 € » sur le panier, base 2,1%",
            "Livraison offerte dès 49 €",
            "cart",
        ),
        ("we'd like to try a shorter signup form, 4% today", "shorter signup form", "signup"),
        (
            "Hypothèse : si on affiche les avis clients, alors la fiche produit convertit mieux.",
            "affiche les avis clients",
            "product",
        ),
        (
            "test ajout au panier sur fiche produit : bouton sticky, 3% de base",
            "bouton sticky",
            "product",
        ),
    ],
)
def test_what_a_test_is_about_is_read_from_the_message(text, name, page_key):
    subject = read_subject(text)
    assert (subject.name, subject.page_key) == (name, page_key)


def test_alike_tests_share_the_change_not_just_the_page():
    first = read_subject("Test A/B sur /pricing : bouton CTA vert au lieu de bleu")
    assert likeness(first, idea_subject("CTA vert sur la page prix")) > 0
    assert (
        likeness(first, idea_subject("green CTA on the pricing page")) > 0
    )  # same change word and page, other language
    assert likeness(first, idea_subject("bandeau promo sur la page prix")) == 0
    assert (
        likeness(first, idea_subject("CTA rouge sur le checkout")) == 0
    )  # one shared word on another page
    assert (
        likeness(first, idea_subject("CTA vert sur le checkout")) > 0
    )  # the same change elsewhere is worth knowing
    unnamed = read_subject(
        "on refait le coup du CTA vert sur pricing ? 3% de conv"
    )  # no change named: its words count
    assert unnamed.name == "" and likeness(first, unnamed) > 0


@pytest.mark.parametrize(
    "text, decision",
    [
        ("EXP-2 => on le met en prod lundi", Decision(2, "shipped", "on le met en prod lundi")),
        (
            "exp-5 rejeté, le CA par visiteur baisse",
            Decision(5, "rejected", "le CA par visiteur baisse"),
        ),
        (
            "EXP-8: inconclusive, not enough traffic to call it",
            Decision(8, "inconclusive", "not enough traffic to call it"),
        ),
        (
            "EXP-4 : variante B abandonnée, on reste sur l'actuel",
            Decision(4, "rejected", "variante B abandonnée, on reste sur l'actuel"),
        ),
        ("Exp-6 roll out a tout le monde", Decision(6, "shipped", "a tout le monde")),
        (
            "EXP-11 pas concluant, on retestera en janvier",
            Decision(11, "inconclusive", "on retestera en janvier"),
        ),
        ("EXP-9 we won't ship it", Decision(9, "rejected", "it")),
        ("EXP-3", None),
        ("EXP-3 checkout", None),
        ("pricing vert deploye", None),  # no test named: a search
    ],
)
def test_the_teams_decision_is_read_after_the_command(text, decision):
    assert read_decision(text) == decision


def _shift(db: str, days: int) -> None:
    """Move every logged test ``days`` back in time, as if the readout came that much later."""
    with sqlite3.connect(db) as conn:
        for column in ("start_date", "end_date"):
            conn.execute(f"UPDATE experiments SET {column} = date({column}, ?)", [f"-{days} days"])


def _in(
    channel: str,
    text: str,
    event_id: str,
    ts: str,
    thread_ts: str | None = None,
    kind: str = "app_mention",
) -> dict:
    body = event(event_id, text, ts, thread_ts, kind)
    body["event"]["channel"] = channel
    return body


def _command(stub: WebApiStub, text: str, trigger: str = "t-exp") -> dict:
    return {
        "token": "x",
        "team_id": "T1",
        "channel_id": "CMKT",
        "user_id": "UMARKETER",
        "command": "/experiments",
        "text": text,
        "api_app_id": "A1",
        "response_url": stub.url + "response",
        "trigger_id": trigger,
    }


def test_plan_readout_and_similar_plan_across_channels(tmp_path):
    stub, db = WebApiStub(), str(tmp_path / "bot.db")
    server = Server(stub, db)
    try:
        server.send(_in("CMKT", PLAN, "EvPlan", "1700003000.000001"))
        plan = stub.wait_posts(1, "CMKT")[0]
        assert "Plan de test A/B" in plan["text"] and "EXP-1 · en cours" in plan["text"]
        assert "Si nous testons « CTA vert » sur page pricing" in plan["text"]

        _shift(db, 3)  # the readout comes three days later, in the same thread
        server.send(
            _in("CMKT", READOUT, "EvRead", "1700003300.000001", "1700003000.000001", "message")
        )
        readout = stub.wait_posts(2, "CMKT")[-1]
        assert (
            "Lecture du test A/B" in readout["text"]
            and "EXP-1 · non concluant (-3,3 %" in readout["text"]
        )
        assert (
            "décision de l'équipe : `/experiments EXP-1 déployé`" in readout["text"]
        )  # how the team overrides the figures

        server.send(_in("CGROWTH", SECOND, "EvSecond", "1700003400.000001"))
        second = stub.wait_posts(1, "CGROWTH")[0]
        memory = next(
            b["text"]
            for b in blocks_of(second)
            if b["type"] == "markdown" and "Journal des tests" in b["text"]
        )
        assert (
            "Un test similaire a déjà tourné : EXP-1" in memory
            and "« CTA vert » sur page pricing" in memory
        )
        assert "non concluant (-3,3 %, p 0,4692)" in memory
        assert "EXP-2 · en cours" in second["text"]

        server.send(_command(stub, ""), form=True)
        listing = json.loads(stub.wait_for("response")[0]["content"])
        assert listing["response_type"] == "ephemeral"
        running, recent = listing["text"].split("*Tests terminés récemment*")[:2]
        assert "EXP-2" in running and "en cours" in running and "EXP-1" not in running
        assert "EXP-1" in recent and "non concluant" in recent.split("*Backlog")[0]
        assert "app_redirect?channel=CMKT&message_ts=1700003000.000001" in listing["text"]

        server.send(_command(stub, "vert"), form=True)
        found = json.loads(stub.wait_for("response", 2)[-1]["content"])["text"]
        assert "EXP-1" in found and "EXP-2" in found
        server.send(_command(stub, "checkout"), form=True)
        assert (
            "EXP-"
            not in json.loads(stub.wait_for("response", 3)[-1]["content"])["text"].split("_")[0]
        )

        # The team ships the inconclusive test anyway: recorded, told in its thread, listed as decided.
        server.send(
            _command(stub, "EXP-1 on le passe en prod quand même, la marque préfère le vert"),
            form=True,
        )
        decided = json.loads(stub.wait_for("response", 4)[-1]["content"])
        assert (
            decided["response_type"] == "ephemeral"
            and "Décision consignée : EXP-1" in decided["text"]
        )
        assert "déployé (décision de l'équipe) (-3,3 %" in decided["text"]
        told = [p for p in stub.wait_posts(3, "CMKT") if p.get("thread_ts") == "1700003000.000001"][
            -1
        ]
        assert (
            "<@UMARKETER> a consigné la décision de l'équipe sur EXP-1" in told["text"]
            and "la marque préfère le vert" in told["text"]
        )
        server.send(_command(stub, ""), form=True)
        recent = json.loads(stub.wait_for("response", 5)[-1]["content"])["text"].split(
            "*Tests terminés récemment*"
        )[1]
        assert "EXP-1" in recent and "déployé (décision de l'équipe)" in recent
        server.send(_command(stub, "EXP-99 shipped"), form=True)  # English: answered in English
        assert (
            "I cannot find EXP-99"
            in json.loads(stub.wait_for("response", 6)[-1]["content"])["text"]
        )
    finally:
        server.kill()
        stub.close()


def test_backlog_idea_from_the_modal_then_planned_and_marked_in_the_cro_strategy(tmp_path):
    stub, db = WebApiStub(), str(tmp_path / "bot.db")
    server = Server(stub, db)
    try:
        server.send(_command(stub, "add"), form=True)
        view = decoded(stub.wait_for("views.open")[0], "view")
        assert view["callback_id"] == "experiment_idea"

        def submit(hypothesis: str, scores: tuple[str, str, str]) -> int:
            values = {
                "hypothesis": {"value": {"type": "plain_text_input", "value": hypothesis}},
                "page": {"value": {"type": "plain_text_input", "value": "checkout"}},
                "metric": {"value": {"type": "plain_text_input", "value": "taux de conversion"}},
                **{
                    name: {"value": {"type": "number_input", "value": v}}
                    for name, v in zip(("impact", "confidence", "ease"), scores)
                },
            }
            payload = {
                "type": "view_submission",
                "team": {"id": "T1"},
                "user": {"id": "UMARKETER"},
                "api_app_id": "A1",
                "token": "x",
                "view": {**view, "id": "V1", "state": {"values": values}},
            }
            status, _ = server.send({"payload": json.dumps(payload)}, form=True)
            return status

        assert (
            submit(
                "Si on affiche PayPal en premier, alors plus de paiements aboutissent",
                ("8", "6", "7"),
            )
            == 200
        )
        stub.wait_for("chat.postEphemeral", 1)  # logged first: EXP-1, whatever the next one takes
        assert (
            submit("Badge paiement sécurisé", ("5", "5", "11")) == 200
        )  # refused in the modal, nothing logged
        assert json.loads(server.last_body)["errors"] == {"ease": "Une note entière de 1 à 10."}
        assert submit("Badge paiement sécurisé près du bouton", ("5", "5", "5")) == 200
        added = [a["text"] for a in stub.wait_for("chat.postEphemeral", 2)]
        assert "Idée ajoutée au backlog : EXP-1" in added[0] and "ICE 336" in added[0], added

        server.send(_command(stub, "backlog"), form=True)
        backlog = json.loads(stub.wait_for("response")[0]["content"])["text"]
        assert backlog.index("EXP-1") < backlog.index("EXP-2")  # ICE 336 before 125

        # A plan naming the idea takes it out of the backlog: the same record runs.
        server.send(
            _in(
                "CMKT",
                "<@UBOT> on passe EXP-1 en test : PayPal en premier au checkout, 2,4% de conv, +15%, 8000 visites/jour",
                "EvPayPal",
                "1700004000.000001",
            )
        )
        assert "EXP-1 · en cours" in stub.wait_posts(1, "CMKT")[0]["text"]

        # A short form was tested and lost; the CRO strategy marks it, and lists the backlog by ICE.
        server.send(
            _in(
                "CMKT",
                "<@UBOT> test formulaire raccourci sur le signup, 6% de conv, +10%, 30k visites/j",
                "EvForm",
                "1700004050.000001",
            )
        )
        stub.wait_posts(2, "CMKT")
        server.send(
            _in(
                "CMKT",
                "A 40000 visites 2400 inscriptions, B 40000 visites 2250 inscriptions",
                "EvFormRead",
                "1700004060.000001",
                "1700004050.000001",
                "message",
            )
        )
        assert "EXP-3 · perdu" in stub.wait_posts(3, "CMKT")[-1]["text"]
        server.send(
            _in(
                "CMKT",
                "<@UBOT> strategie CRO pour le site : 40k visites/mois, 2% de conversion, panier moyen 60€",
                "EvCro",
                "1700004100.000001",
            )
        )
        wait_until(
            lambda: any("Backlog de tests" in c["markdown"] for c in stub.canvases.values()), 30
        )  # a CRO strategy is a document: a canvas, linked from the thread
        (canvas,) = [c["markdown"] for c in stub.canvases.values()]
        header = next(line for line in canvas.splitlines() if "Déjà testé" in line)
        rows = canvas.split(header, 1)[1].splitlines()[2:]
        marks = {r.split("|")[1]: r.split("|")[-2] for r in takewhile(str.strip, rows)}
        assert any("Formulaire court" in k and "EXP-3 : perdu" in v for k, v in marks.items())
        assert sum("EXP-" in v for v in marks.values()) == 1  # the other ideas were never tested
        backlog = canvas.split("Backlog de tests de l'équipe (ICE)", 1)[1]
        assert "EXP-2" in backlog and "Badge paiement sécurisé près du bouton" in backlog
    finally:
        server.kill()
        stub.close()


def _chat(db: str, *messages: str) -> str:
    env = {"MARKETING_BOT_DB": db, "ANTHROPIC_API_KEY": None}  # the offline brain
    charts = str(Path(db).parent / "charts")  # beside the test's database, not in the repository
    return run_cli("chat", "--charts", charts, input="\n".join(messages) + "\n", env=env).stdout


def test_csv_export_and_digest_posted_once(tmp_path):
    db = str(tmp_path / "bot.db")
    _chat(
        db,
        "we want to test free shipping over $50 on the cart page, baseline 2%, mde 20%, 10k visitors/day",
        "final numbers: A 40000 visitors 800 orders, B 40000 visitors 700 orders. learnings: people read it as a price hike",
    )
    _chat(
        db,
        "test d'un nouveau hero sur la home, 3% de base, +10%, 30000 visites par jour",
        "resultats : A 90000 visites 2700 conv / B 90000 visites 2720 conv",
    )
    _chat(
        db,
        "Test A/B : titre plus court sur la landing, 5% aujourd'hui, +10 % mini, 25k visites/jour",
        "A : 40 000 visites, 2 000 inscriptions ; B : 40 000 visites, 2 200 inscriptions",
    )
    env = {"MARKETING_BOT_DB": db}
    out = run_cli("experiments", "--csv", env=env).stdout
    rows = {r["status"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {"rejected", "inconclusive", "shipped"}
    assert (
        "lowers the conversion rate" in rows["rejected"]["learnings"]
        and "people read it as a price hike" in rows["rejected"]["learnings"]
    )
    assert (
        "n'a pas d'effet détectable" in rows["inconclusive"]["learnings"]
        and rows["inconclusive"]["page"] == "home"
    )
    assert rows["shipped"]["name"] == "titre plus court" and float(
        rows["shipped"]["lift"]
    ) == pytest.approx(10.0)

    stub = WebApiStub()
    try:
        env.update(
            SLACK_BOT_TOKEN="xoxb-test", SLACK_API_BASE_URL=stub.url, EXPERIMENTS_CHANNEL="CLEARN"
        )
        run = lambda: run_cli("digest", "--post", env=env, check=False)  # noqa: E731
        first = run()
        assert first.returncode == 0, first.stderr
        posts = stub.posts("CLEARN")
        assert len(posts) == 1 and "Learnings des tests" in posts[0]["text"]
        table = next(b for b in blocks_of(posts[0]) if b["type"] == "table")
        assert len(table["rows"]) == 4  # header + the three tests
        fields = json.dumps(blocks_of(posts[0]), ensure_ascii=False)
        assert "Gagnants*\\n1" in fields and "Perdants*\\n1" in fields and "+10,0 %" in fields
        again = run()
        assert (
            again.returncode == 0
            and "already posted" in again.stdout
            and len(stub.posts("CLEARN")) == 1
        )
    finally:
        stub.close()


def test_decision_from_the_command_line_and_the_digest_counts_it(tmp_path):
    db = str(tmp_path / "bot.db")
    _chat(
        db,
        "test d'un bandeau livraison offerte sur le panier, 2% de base, +15%, 12k visites par jour",
        "resultats : A 50000 visites 1000 commandes, B 50000 visites 1160 commandes",
    )
    env = {"MARKETING_BOT_DB": db}
    cli = lambda *args: run_cli(*args, env=env, check=False)  # noqa: E731
    before = cli("digest").stdout
    assert "Gagnants                                1" in before and "+16,0 %" in before
    # The winner is not shipped: legal blocks free shipping this quarter.
    decided = cli(
        "experiments",
        "--decide",
        "EXP-1 pas deployé, le juridique bloque la livraison offerte ce trimestre",
    )
    assert decided.returncode == 0 and "écarté (décision de l'équipe) (+16,0 %" in decided.stdout
    row = next(csv.DictReader(io.StringIO(cli("experiments", "--csv").stdout)))
    assert (
        row["status"] == "rejected"
        and row["decided_by"]
        and "le juridique bloque la livraison offerte" in row["learnings"]
    )
    after = cli("digest").stdout
    assert (
        "Perdants                                1" in after
        and "Lift cumulé des gagnants (période)      0,0 %" in after
    )
    assert cli("experiments", "--decide", "EXP-7 shipped").returncode == 2
    assert (
        cli("experiments", "--decide", "EXP-1 on verra").returncode == 2
    )  # no decision in it: nothing changes
    assert (
        next(csv.DictReader(io.StringIO(cli("experiments", "--csv").stdout)))["status"]
        == "rejected"
    )


def test_overdue_test_reminded_once_in_its_thread_and_running_on_app_home(tmp_path):
    from graph.threads import Thread

    stub, db = WebApiStub(), str(tmp_path / "bot.db")
    try:
        bot = in_process_bot(stub, db)
        conversations = bot.conversations
        thread = Thread("T1", "CMKT", "1700005000.000001", "UMARKETER")
        conversations.handle(
            thread,
            "tester un bandeau urgence sur la fiche produit, taux 4%, mde 10%, 3000 visiteurs/jour",
        )
        row = conversations.experiments.running("T1")[0]
        assert (
            bot.scheduler.remind_overdue(date.fromisoformat(row["end_date"])) == 0
        )  # not overdue on its last day
        later = date.fromisoformat(row["end_date"]) + timedelta(days=1)
        assert bot.scheduler.remind_overdue(later) == 1 and bot.scheduler.remind_overdue(later) == 0
        stop = bot.sender.start()
        reminder = stub.wait_posts(1, "CMKT")[0]
        stop.set()
        assert (
            reminder["thread_ts"] == thread.thread_ts
            and "EXP-1" in reminder["text"]
            and "Partagez ici les résultats" in reminder["text"]
        )

        bot.publish_home(bot.client, "UMARKETER", "T1")
        home = json.dumps(decoded(stub.wait_for("views.publish")[0], "view"), ensure_ascii=False)
        assert "Tests en cours* (1)" in home and "EXP-1" in home and "bandeau urgence" in home
    finally:
        stub.close()


def test_a_digest_missed_on_monday_is_posted_when_the_bot_is_back_and_only_once(tmp_path):
    from graph.threads import Thread

    stub, db = WebApiStub(), str(tmp_path / "bot.db")
    stop = None
    try:
        bot = in_process_bot(stub, db, experiments_channel="CLEARN")
        conversations = bot.conversations
        thread = Thread("T1", "CMKT", "1700006000.000001", "UMARKETER")
        conversations.handle(
            thread,
            "test A/B d'un titre plus court sur la landing, 5% aujourd'hui, +10% mini, 25k visites/jour",
        )
        conversations.handle(
            thread,
            "A : 40 000 visites, 2 000 inscriptions ; B : 40 000 visites, 2 200 inscriptions",
        )
        finished = date.fromisoformat(conversations.experiments.recent("T1")[0]["finished_at"][:10])
        monday = finished + timedelta(
            days=7 - finished.weekday()
        )  # the Monday after the test's week
        at = lambda day, hour: datetime(day.year, day.month, day.day, hour, tzinfo=UTC)  # noqa: E731
        stop = bot.sender.start()
        bot.scheduler.weekly(
            at(monday, 8)
        )  # Monday before 09:00: that week's digest is not due yet
        assert settled(conversations.store)
        assert stub.posts("CLEARN") == []
        bot.scheduler.weekly(
            at(monday + timedelta(days=2), 10)
        )  # the bot was down on Monday: back on Wednesday
        digest_post = stub.wait_posts(1, "CLEARN")[0]
        assert "Learnings des tests" in digest_post["text"] and "EXP-1" in json.dumps(
            blocks_of(digest_post), ensure_ascii=False
        )
        bot.scheduler.weekly(at(monday + timedelta(days=3), 10))
        bot.scheduler.weekly(
            at(monday + timedelta(days=7), 9)
        )  # the next Monday: a week with no finished test posts nothing
        assert settled(conversations.store)
        assert len(stub.posts("CLEARN")) == 1
    finally:
        if stop:
            stop.set()
        stub.close()


def test_stemming_from_many_threads_at_once():
    """Turns run in threads and the log stems words no turn stemmed before: each stem is right."""
    import threading

    from graph.text import stem

    words_ = [f"variantes{n}experimentales" for n in range(4000)]
    stem.cache_clear()
    found, errors = {}, []

    def work(part: list[str]) -> None:
        try:
            found.update({w: stem(w) for w in part})
        except Exception as err:  # noqa: BLE001 - the assertion below names it
            errors.append(err)

    threads = [threading.Thread(target=work, args=(words_[n::8],)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    stem.cache_clear()
    assert not errors and all(found[w] == stem(w) for w in words_)
