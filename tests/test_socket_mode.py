"""Socket Mode, tested like HTTP: `marketing-bot serve` with an app-level token connects to a local
Socket Mode endpoint, acks each envelope, and answers through the Web API stand-in."""

from __future__ import annotations

import time

from graph.storage import Store
from tests.cli import run_cli
from tests.slack_stub import SocketModeStub, WebApiStub, event, serve_socket_mode
from tests.waiting import settled


def test_socket_mode_mention_command_and_retry(tmp_path):
    api = WebApiStub()
    socket_mode = SocketModeStub(api)
    db = str(tmp_path / "bot.db")
    proc = serve_socket_mode(api, db)
    try:
        assert socket_mode.connected.wait(60), (
            proc.stderr.read1().decode() if proc.poll() is not None else "no connection"
        )
        mention = event(
            "EvSock1",
            "<@UBOT> Où sont les drop-offs ? visites 10000, panier 3000, paiement 1200, achat 800",
            "1700000800.000001",
        )
        envelope = socket_mode.push("events_api", mention)
        start = time.time()
        assert socket_mode.wait_ack(envelope) is not None and time.time() - start < 3
        answer = api.wait_posts(1, "CMKT")[-1]
        assert answer["thread_ts"] == "1700000800.000001" and "Plus grosse fuite" in answer["text"]

        again = socket_mode.push(
            "events_api", {**mention, "retry_attempt": 1}
        )  # the same event_id, redelivered
        assert socket_mode.wait_ack(again) is not None
        assert settled(db)
        assert len(api.posts("CMKT")) == 1

        command = {
            "command": "/campaign",
            "text": "",
            "user_id": "UMARKETER",
            "channel_id": "CMKT",
            "team_id": "T1",
            "trigger_id": "trigger-socket",
            "api_app_id": "A1",
        }
        assert socket_mode.wait_ack(socket_mode.push("slash_commands", command)) is not None
        opened = api.wait_for("views.open")[-1]
        assert opened["trigger_id"].startswith("trigger-socket@") and not opened.get("expired")
        socket_mode_env = {"SLACK_APP_TOKEN": "xapp-test", "MARKETING_BOT_DB": db}
        healthy = run_cli("healthcheck", env=socket_mode_env)  # the container's check: no port
        assert healthy.returncode == 0 and healthy.stdout.strip() == "healthy"
    finally:
        proc.kill()
        proc.wait()
        socket_mode.close()
        api.close()
    # serve gone and a job queued: nobody claims it, the check fails and says why.
    Store(db).jobs.add_job("thread:T1:CMKT:1", "on_mention", {})
    stalled = run_cli(
        "healthcheck", env={**socket_mode_env, "MARKETING_BOT_STALL_AFTER": "0"}, check=False
    )
    assert stalled.returncode == 1 and "no job claimed" in stalled.stderr
