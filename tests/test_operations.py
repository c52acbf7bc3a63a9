"""What a platform team reads: Prometheus metrics on /metrics and JSON logs with the thread and
event of each line (real path: `marketing-bot serve` and its worker, the Web API stand-in)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from tests.slack_stub import Server, WebApiStub, event
from tests.waiting import settled, wait_until


def metric(text: str, name: str, **labels) -> float:
    """The value of one sample of the exposition ``text`` (0 when absent)."""
    wanted = ",".join(
        f'{k}="{v}"' for k, v in sorted(labels.items())
    )  # Prometheus writes labels sorted
    match = re.search(rf"^{re.escape(name)}(?:\{{{re.escape(wanted)}\}})? (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_acks_turns_errors_and_logs_are_json(tmp_path):
    stub = WebApiStub()
    stub.faults["chat.postMessage"] = ["500"]  # the first post fails once, then goes out
    server = Server(
        stub,
        str(tmp_path / "bot.db"),
        {"LOG_FORMAT": "json", "MARKETING_BOT_METRICS_TOKEN": "scrape-secret"},
    )
    try:
        server.send(
            event(
                "EvM1",
                "<@UBOT> Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €",
                "1700000000.000100",
            )
        )
        wait_until(lambda: len(stub.posts("CMKT")) >= 2, 30)
        assert settled(server.db)
        url = f"http://127.0.0.1:{server.port}/metrics"
        for wrong in (
            {},
            {"Authorization": "Bearer guess"},
        ):  # the Slack port is public: no token, no metrics
            try:
                urllib.request.urlopen(urllib.request.Request(url, headers=wrong), timeout=10)
                raise AssertionError("/metrics answered without its token")
            except urllib.error.HTTPError as err:
                assert err.code == 401
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Authorization": "Bearer scrape-secret"}),
            timeout=10,
        ) as resp:
            text = resp.read().decode()
            assert resp.headers["Content-Type"].startswith("text/plain")
        assert metric(text, "marketing_bot_acks_total", kind="event", status="200") == 1
        assert metric(text, "marketing_bot_ack_seconds_count") == 1
        assert (
            metric(text, "marketing_bot_turns_total", outcome="delivered") == 1
        )  # counted in the worker process
        assert metric(text, "marketing_bot_turn_seconds_count") == 1
        assert (
            metric(text, "marketing_bot_web_api_errors_total", op="message", error="http_500") == 1
        )
        assert (
            metric(text, "marketing_bot_queue_depth", queue="outbox") == 0
            and 'marketing_bot_queue_depth{queue="jobs"}' in text
        )
        assert (
            metric(text, "marketing_bot_escalations_open") == 0
            and "marketing_bot_escalations_open " in text
        )
    finally:
        server.kill()
        stub.close()
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(r) for r in lines)
    retried = next(r for r in lines if "not sent" in r["message"])
    assert retried["thread_key"] == "T1:CMKT:1700000000.000100" and retried["level"] == "WARNING"
    turn = next(
        r for r in lines if r["message"].startswith("turn message:CMKT:1700000000.000100 delivered")
    )
    assert turn["event_id"] == "EvM1" and turn["thread_key"] == "T1:CMKT:1700000000.000100"
    assert "xoxb-test" not in json.dumps(lines) and "scrape-secret" not in json.dumps(lines)
