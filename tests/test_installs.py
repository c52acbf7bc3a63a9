"""Installs in several workspaces: Slack's OAuth flow through Bolt stores a second workspace's
token, its events are answered with it, the first workspace's SLACK_BOT_TOKEN keeps working, and
an uninstall deletes that workspace's tokens (real path: `marketing-bot serve` over HTTP)."""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.parse
import urllib.request

import pytest

from tests.slack_stub import Server, WebApiStub, decoded, event
from tests.waiting import settled, wait_until


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def mention(event_id: str, team: str, channel: str, ts: str, text: str) -> dict:
    body = event(event_id, text, ts)
    return {**body, "team_id": team, "event": {**body["event"], "channel": channel, "team": team}}


def answered(stub: WebApiStub, channel: str, timeout: float = 30) -> dict:
    wait_until(lambda: stub.posts(channel), timeout)
    return stub.posts(channel)[0]


def install(server: Server, stub: WebApiStub) -> None:
    """Install the app in workspace T2 through Slack's OAuth flow (its code gives 'xoxb-team-two')."""
    browser = urllib.request.build_opener(NoRedirect)
    base = f"http://127.0.0.1:{server.port}"
    try:
        browser.open(f"{base}/slack/install", timeout=10)
        raise AssertionError("/slack/install must redirect to Slack")
    except urllib.error.HTTPError as err:
        assert err.code == 302
        target = urllib.parse.urlparse(err.headers["Location"])
        cookie = err.headers["Set-Cookie"].split(";", 1)[
            0
        ]  # the state cookie (Secure: a browser sends it back over https)
    query = urllib.parse.parse_qs(target.query)
    assert (
        target.netloc == "slack.com"
        and query["client_id"] == ["111.222"]
        and "chat:write" in query["scope"][0]
    )
    back = urllib.request.Request(
        f"{base}/slack/oauth_redirect?code=code-two&state={query['state'][0]}",
        headers={"Cookie": cookie},
    )
    with browser.open(back, timeout=10) as resp:
        assert resp.status == 200
    assert stub.of("oauth.v2.access")[-1]["code"] == "code-two"


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    """(extra environment, count of a team's bot rows) for the SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        db = tmp_path / "bot.db"
        return (
            {},
            lambda team: (
                sqlite3.connect(db)
                .execute("SELECT count(*) FROM slack_bots WHERE team_id = ?", [team])
                .fetchone()[0]
            ),
        )
    import psycopg

    url = request.getfixturevalue("postgres_db")
    return (
        {"DATABASE_URL": url},
        lambda team: (
            psycopg.connect(url)
            .execute("SELECT count(*) FROM slack_bots WHERE team_id = %s", [team])
            .fetchone()[0]
        ),
    )


def test_oauth_install_answers_each_workspace_with_its_own_token_and_uninstall_forgets_it(
    tmp_path, database
):
    env, bots = database
    stub = WebApiStub()
    server = Server(
        stub,
        str(tmp_path / "bot.db"),
        {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "client-secret", **env},
    )
    try:
        install(server, stub)
        server.send(
            mention(
                "EvT2",
                "T2",
                "CTWO",
                "1700000000.000200",
                "<@UBOT2> Quels KPIs suivre ? visiteurs 20000, conversions 400",
            )
        )
        assert answered(stub, "CTWO")["_token"] == "xoxb-team-two"
        server.send(
            mention(
                "EvT1",
                "T1",
                "CONE",
                "1700000000.000100",
                "<@UBOT> Quels KPIs suivre ? visiteurs 20000, conversions 400",
            )
        )
        assert answered(stub, "CONE")["_token"] == "xoxb-test"  # SLACK_BOT_TOKEN's own workspace

        uninstalled = {
            "token": "x",
            "team_id": "T2",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "EvU2",
            "event_time": int(time.time()),
            "event": {"type": "app_uninstalled", "event_ts": "1700000000.000300"},
        }
        assert server.send(uninstalled)[0] == 200
        wait_until(lambda: not (bots("T2")), 20)
        assert bots("T2") == 0 and bots("T1") == 1
    finally:
        server.kill()
        stub.close()


OAUTH = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "client-secret"}
REVENUE = "<@UBOT> Notre test A/B sur la page tarifs a fait baisser le CA de 15 %. On le déploie quand même ?"


def command(team: str, channel: str, user: str, name: str, text: str, stub: WebApiStub) -> dict:
    return {
        "token": "x",
        "team_id": team,
        "channel_id": channel,
        "user_id": user,
        "command": name,
        "text": text,
        "api_app_id": "A1",
        "response_url": stub.url + "response",
        "trigger_id": f"t-{team}-{name}",
    }


def test_listings_show_only_the_requesters_workspace(tmp_path):
    """Two installed workspaces share the database: /escalations all, App Home and /experiments of
    one never show the other's escalations (evidence, thread links) or experiments."""
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "direction: [UDIRECTOR, UDIRECTOR2]\nadmins: [UDIRECTOR, UDIRECTOR2]\n", encoding="utf-8"
    )
    stub = WebApiStub()
    server = Server(stub, str(tmp_path / "bot.db"), {**OAUTH, "MARKETING_BOT_ROLES": str(roles)})
    try:
        install(server, stub)
        server.send(mention("EvR1", "T1", "CONE", "1700000000.000100", REVENUE))
        server.send(
            mention(
                "EvR2",
                "T2",
                "CTWO",
                "1700000000.000200",
                REVENUE.replace("15 %", "25 %").replace("UBOT", "UBOT2"),
            )
        )
        server.send(
            mention(
                "EvP1",
                "T1",
                "CONE",
                "1700000000.000300",
                "<@UBOT> test A/B du CTA vert sur la page pricing : "
                "baseline 3 %, je veux détecter +0,5 point, 2000 visiteurs par jour",
            )
        )
        assert len(stub.wait_posts(2, "CESCAL")) == 2 and settled(server.db)  # the plan logged too
        for n, (team, user, mine, theirs) in enumerate(
            [("T2", "UDIRECTOR2", "25 %", "15 %"), ("T1", "UDIRECTOR", "15 %", "25 %")]
        ):
            server.send(command(team, "CX", user, "/escalations", "all", stub), form=True)
            listing = json.loads(stub.wait_for("response", 2 * n + 1)[-1]["content"])["text"]
            assert mine in listing and theirs not in listing, listing
            server.send(command(team, "CX", user, "/experiments", "", stub), form=True)
            logged = json.loads(stub.wait_for("response", 2 * n + 2)[-1]["content"])["text"]
            assert ("EXP-1" in logged) == (team == "T1"), logged
            server.send(
                {
                    "token": "x",
                    "team_id": team,
                    "api_app_id": "A1",
                    "type": "event_callback",
                    "event_id": f"EvHome{team}",
                    "event_time": 1,
                    "event": {
                        "type": "app_home_opened",
                        "user": user,
                        "tab": "home",
                        "channel": "DHOME",
                        "event_ts": "1",
                    },
                }
            )
            home = json.dumps(
                decoded(stub.wait_for("views.publish", n + 1)[-1], "view"), ensure_ascii=False
            )
            assert (
                mine in home
                and theirs not in home
                and ("CTWO" in home) == (team == "T2")
                and ("CONE" in home) == (team == "T1")
            ), home
    finally:
        server.kill()
        stub.close()
