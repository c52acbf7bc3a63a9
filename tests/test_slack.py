"""The real path: `marketing-bot serve` over HTTP, signed Slack events, a local Web API stand-in."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.slack_stub import ESCALATIONS, Server, WebApiStub, blocks_of, event, running_server
from tests.waiting import settled, wait_until


@pytest.fixture()
def stub():
    s = WebApiStub()
    yield s
    s.close()


def test_mention_question_restart_answer_retry_and_bad_signature(stub, tmp_path):
    db = str(tmp_path / "bot.db")
    server = Server(stub, db)
    try:
        status, elapsed = server.send(
            event(
                "Ev1",
                "<@UBOT> Je veux tester deux versions de ma page d'inscription, combien de visiteurs il me faut ?",
                "1700000000.000100",
            )
        )
        assert status == 200 and elapsed < 3
        question = stub.wait_posts(1, "CMKT")[0]
        assert question["thread_ts"] == "1700000000.000100"
        assert "taux de conversion actuel" in question["text"]

        # The same event again, as Slack retries it: no second answer.
        status, _ = server.send(
            event(
                "Ev1",
                "<@UBOT> Je veux tester deux versions de ma page d'inscription, combien de visiteurs il me faut ?",
                "1700000000.000100",
            ),
            {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        )
        assert status == 200
        assert settled(db)
        assert len(stub.posts("CMKT")) == 1

        # A bad signature: 401 and nothing posted.
        status, _ = server.send(
            event("Ev9", "<@UBOT> Quel budget allouer ?", "1700000000.000900"), secret="wrong"
        )
        assert status == 401
        assert settled(db)
        assert len(stub.posts("CMKT")) == 1
        assert "deep-copy" not in server.log()  # Bolt copied the bot for each lazy listener once
    finally:
        server.kill()

    server = Server(stub, db)  # restarted on the same database
    try:
        reply = event(
            "Ev2",
            "3 %, je veux détecter +0,5 point, 2000 visiteurs par jour",
            "1700000000.000200",
            "1700000000.000100",
            "message",
        )
        status, _ = server.send(reply)
        assert status == 200
        plan = stub.wait_posts(2, "CMKT")[-1]
        assert plan["thread_ts"] == "1700000000.000100"
        assert "19 716 visiteurs par variante" in plan["text"] and "20 jours" in plan["text"]
        blocks = blocks_of(plan)
        assert (
            blocks[0]["type"] == "header"
            and blocks[-2]["type"] == "context"
            and blocks[-1]["type"] == "context_actions"
        )
        assert "Performance & CRO › Expérimentation" in blocks[-2]["elements"][0]["text"]
        assert all(
            len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section" and "text" in b
        )
        assert (
            sum(len(b["text"]) for b in blocks if b["type"] == "markdown") <= 12000
            and "| ---" not in plan["text"]
        )

        # A retry of the reply after the restart: still one plan.
        server.send(reply, {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"})
        assert settled(db)
        assert len(stub.posts("CMKT")) == 2
    finally:
        server.kill()


@pytest.fixture(scope="module")
def escalating(tmp_path_factory):
    """One server for the three escalation cases: each is its own thread."""
    with running_server(str(tmp_path_factory.mktemp("escalations") / "bot.db")) as pair:
        yield pair


@pytest.mark.parametrize(
    "n, text, rule_words",
    [
        (
            1,
            "<@UBOT> Notre dernier test A/B a fait bouger le chiffre d'affaires de 15 %, on déploie ?",
            "Validation direction",
        ),
        (
            2,
            "<@UBOT> Un lead scoré 85 vient d'arriver, on fait quoi ?",
            "Alerte commerciale immédiate",
        ),
        (
            3,
            "<@UBOT> La personnalisation peut-elle utiliser les données de navigation sans consentement RGPD ?",
            "Review juridique",
        ),
    ],
)
def test_escalations_reach_the_escalation_channel(escalating, n, text, rule_words):
    stub, server = escalating
    ts = f"170000000{n}.000300"
    link = f"https://example.slack.com/archives/CMKT/p{ts.replace('.', '')}"
    assert server.send(event(f"EvX{n}", text, ts))[0] == 200
    notice = wait_until(lambda: [p for p in stub.posts(ESCALATIONS) if link in p["text"]], 30)
    assert notice and rule_words in notice[0]["text"]  # with the requester's thread's permalink
    said = lambda: [p["text"] for p in stub.posts("CMKT") if p.get("thread_ts") == ts]  # noqa: E731
    assert wait_until(lambda: any("Escaladé" in text for text in said()), 30), said()
    assert all(p.get("thread_ts") for p in stub.posts("CMKT"))  # in the thread, never beside it


def test_missing_setting_stops_start_up_naming_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ESCALATION"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": "xoxb-secret-value",
            "ESCALATION_CHANNEL": "C1",
            "MARKETING_BOT_DB": str(tmp_path / "b.db"),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == "Missing required setting SLACK_SIGNING_SECRET: set it in the environment or in .env"
    )
    assert "xoxb-secret-value" not in result.stderr + result.stdout


def test_serve_refuses_blocking_escalations_nobody_may_decide(tmp_path):
    """A fresh install without MARKETING_BOT_ROLES: serve stops with a message naming the blocking
    rules and their roles, and starts once the roles are given (or with --without-roles)."""
    api = WebApiStub()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "ESCALATION", "MARKETING_BOT_ROLES"))
    }
    env.update(
        {
            "SLACK_BOT_TOKEN": "xoxb-secret-value",
            "SLACK_SIGNING_SECRET": "s",
            "ESCALATION_CHANNEL": "C1",
            "MARKETING_BOT_DB": str(tmp_path / "b.db"),
            "SLACK_API_BASE_URL": api.url,
            "MARKETING_BOT_PROCESSES": "0",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    api.close()
    assert result.returncode == 2, result.stderr
    said = result.stderr.strip().splitlines()[-1]
    assert (
        "revenue-impact (direction, decision-committee)" in said
        and "privacy-compliance (legal, direction)" in said
    ), said
    assert "MARKETING_BOT_ROLES" in said and "--without-roles" in said and "hot-lead" not in said
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "direction: U0DIRECTOR\n", encoding="utf-8"
    )  # the fallback of every other blocking rule
    from bot.app import SlackBot  # the same check serve makes, with the roles given
    from bot.config import Settings
    from graph.conversations import Conversations

    bot = SlackBot(
        Settings(marketing_bot_roles=str(roles), escalation_channel="C1"),
        Conversations(str(tmp_path / "c.db")),
    )
    assert bot.desk.undecidable() == []
