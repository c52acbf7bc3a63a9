"""Deliverables as Slack shows AI apps' work: a stream of the hierarchy's tasks ending in the
deliverable, native table blocks, and the placeholder where streaming is refused. Real path:
`marketing-bot serve` over HTTP with signed events, the Web API stand-in of tests/slack_stub.py."""

from __future__ import annotations

import json

import pytest

from tests.cli import run_cli
from tests.slack_stub import Server, WebApiStub, blocks_of, event
from tests.waiting import settled, wait_until

STREAMING = {"MARKETING_BOT_STREAMING": "on"}


@pytest.fixture()
def slack(tmp_path):
    stub = WebApiStub()
    server = Server(stub, str(tmp_path / "bot.db"), STREAMING)
    yield stub, server
    server.kill()
    stub.close()


def stopped(stub: WebApiStub, count: int = 1, timeout: float = 30) -> list[dict]:
    """The streams ended with chat.stopStream, once ``count`` of them are."""
    wait_until(lambda: sum(s["stopped"] for s in stub.streams.values()) >= count, timeout)
    return [s for s in stub.streams.values() if s["stopped"]]


def tasks(stream: dict) -> dict[str, dict]:
    """The last update of each task of a stream, by task id."""
    return {c["id"]: c for c in stream["chunks"] if c.get("type") == "task_update"}


def words(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_mention_streams_the_path_and_calculators_then_ends_in_the_deliverable(slack, tmp_path):
    stub, server = slack
    ask = "<@UBOT> combien de visiteurs pour mon test A/B ? taux actuel 3 %, je veux detecter +0,5 point, 2000 visiteurs par jour"
    server.send(event("EvS1", ask, "1700000000.000100"))
    stream = stopped(stub)[0]
    assert (
        stream["thread_ts"] == "1700000000.000100"
        and stream["start"]["task_display_mode"] == "plan"
    )
    assert (
        stream["start"]["recipient_user_id"] == "UMARKETER"
        and stream["start"]["recipient_team_id"] == "T1"
    )
    done = tasks(stream)
    titles = [t["title"] for t in done.values()]
    assert "Routage : Opérations marketing → Performance & CRO → Expérimentation" in titles, titles
    assert "Calcul : taille d'échantillon" in titles and "NormalIndPower" not in str(titles)
    assert done["escalation"]["output"] == "aucune règle déclenchée"
    assert all(t["status"] == "complete" for t in done.values()), done
    blocks = stream["blocks"]
    assert blocks[0]["type"] == "header" and blocks[-1]["type"] == "context_actions"
    assert "19 716" in words(blocks) and "Performance & CRO › Expérimentation" in words(blocks)
    assert not stub.posts("CMKT"), "the deliverable ends the stream: nothing posted beside it"

    # The same request in the terminal prints the same deliverable as text.
    chat = run_cli(
        "chat",
        "--db",
        str(tmp_path / "chat.db"),
        "--charts",
        str(tmp_path / "charts"),
        input=ask.replace("<@UBOT> ", "") + "\n",
        check=False,
    )
    header = blocks[0]["text"]["text"]
    assert (
        header in chat.stdout
        and "19 716" in chat.stdout
        and "Performance & CRO › Expérimentation" in chat.stdout
    )


def test_attribution_and_cro_tables_are_table_blocks(slack):
    stub, server = slack
    server.send(
        event(
            "EvS2",
            "<@UBOT> quel canal rapporte vraiment ? on a SEA, emailing, social ads et display",
            "1700000000.000200",
        )
    )
    stream = stopped(stub)[0]
    table = next(b for b in stream["blocks"] if b["type"] == "table")
    cells = [[c["text"] for c in row] for row in table["rows"]]
    assert cells[0][1:] == ["SEA", "Emailing", "Social ads", "Display"], cells[0]
    models = [row[0] for row in cells[1:]]
    assert models == [
        "First touch",
        "Last touch",
        "Linéaire",
        "Position-based 40/20/40",
        "Time decay (7 j)",
        "Data-driven (Markov)",
    ], models
    assert sum(b["type"] == "table" for b in stream["blocks"]) == 1  # one table per message
    follow = stub.wait_posts(1, "CMKT")[
        0
    ]  # the models compared, in a follow-up message of the thread
    assert follow["thread_ts"] == "1700000000.000200" and "Modèles comparés" in follow["text"]
    assert [b["type"] for b in blocks_of(follow) if b["type"] == "table"] == ["table"]

    server.send(
        event(
            "EvS3",
            "<@UBOT> strategie CRO pour notre site : 50k visiteurs/mois, conv 2%, panier moyen 80€",
            "1700000000.000300",
        )
    )
    stream = stopped(stub, 2)[-1]  # a CRO strategy is a document: its canvas, linked
    (canvas_id, canvas), *others = stub.canvases.items()
    assert not others and f"/docs/T1/{canvas_id}|" in words([stream["blocks"]])
    assert not [b for b in stream["blocks"] if b["type"] == "table"]
    for header in ("| Action | Impact attendu | Effort |", "| Ressource | Besoin |"):
        assert header in canvas["markdown"], canvas["markdown"]
    assert "| Test | Hypothèse | Priorité |" in canvas["markdown"]


def test_streaming_refused_falls_back_to_posted_messages(tmp_path):
    stub = WebApiStub()
    stub.errors["chat.startStream"] = "not_allowed_token_type"
    server = Server(stub, str(tmp_path / "bot.db"), STREAMING)
    try:
        server.send(
            event(
                "EvS4",
                "<@UBOT> Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €",
                "1700000000.000400",
            )
        )
        posted = stub.wait_posts(1, "CMKT")[0]
        assert posted["thread_ts"] == "1700000000.000400" and "2,00 %" in posted["text"]
        assert not stub.of("chat.stopStream")
    finally:
        server.kill()
        stub.close()


KPI = "<@UBOT> Quels KPIs suivre ? visiteurs {n}0000, conversions 400, CA 30000 €, dépense 6000 €"


def test_streamed_replies_survive_an_outage_500s_and_a_slow_web_api(tmp_path):
    """Streaming on: mentions acked while the Web API is down (503), answers 500, or answers
    after the client gave up, are each answered exactly once when it is back: one message per
    thread, carrying the deliverable, and no progress message left behind."""
    stub, db = WebApiStub(), str(tmp_path / "bot.db")
    server = Server(stub, db, {**STREAMING, "SLACK_TIMEOUT": "1"})
    try:  # a first mention answered: Bolt knows the bot's identity, as in a workspace that has used it
        assert server.send(event("EvWarm", KPI.format(n=9), "1700009000.000001"))[0] == 200
        assert wait_until(lambda: stub.replies("1700009000.000001"), 60) and settled(db)
        for phase, trouble in enumerate(("down", "500", "slow")):
            threads = [f"17000091{phase}0.{n:06d}" for n in range(5)]
            if trouble == "slow":
                stub.lag = 2.5  # every call accepted, answered after the client's 1 s timeout
            else:
                stub.down, stub.down_status = True, int(trouble) if trouble == "500" else 503
            for n, ts in enumerate(threads):
                assert server.send(event(f"Ev{trouble}{n}", KPI.format(n=n + 1), ts))[0] == 200
            # every thread's reply was tried during the trouble: refused, or looked for and posted too late
            tried = lambda: (
                {p.get("thread_ts") for _, p, _ in stub.refused}  # noqa: E731
                | {
                    p.get("thread_ts") or p.get("ts")
                    for m, p in stub.calls
                    if m in ("chat.postMessage", "conversations.replies")
                }
            )
            assert wait_until(lambda: set(threads) <= tried(), 60), (trouble, tried())
            stub.down, stub.lag = False, 0.0
            assert settled(db), (
                trouble,
                [stub.replies(ts) for ts in threads],
            )
            for n, ts in enumerate(threads):
                replies = stub.replies(ts)
                # the KPI sheet (its figures, then the measurement plan), each message once, nothing left behind
                assert (
                    len(replies) == 2 and "15,00 €" in replies[0] and f"{n + 1}0 000" in replies[0]
                ), (trouble, ts, replies)
                assert "Plan de mesure" in replies[1], (trouble, ts, replies)
    finally:
        server.kill()
        stub.close()
    assert "Traceback" not in server.log()
