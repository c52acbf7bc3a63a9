"""Ack latency and throughput of `marketing-bot serve` under concurrent senders, against a bare Bolt
app on the same server in the same run.

Both run as subprocesses over HTTP (waitress) with the Web API answered by the local stand-in of
tests/slack_stub.py; each receives the same signed app_mention events from 50 concurrent senders.
Printed: ack p50/p99 (ms) and turns per second (events until every thread has its first answer);
then, for a fresh `serve`, the seconds until its port opens and from then until the first mention
is answered.

    python benchmarks/slack_load.py [--events 600] [--senders 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.slack_stub import Server, WebApiStub, event  # noqa: E402

BARE = """
import os
import sys
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve

app = App(client=WebClient(token="xoxb-test", base_url=os.environ["SLACK_API_BASE_URL"]), signing_secret=os.environ["SLACK_SIGNING_SECRET"])

def answer(event, client):
    client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text="ok")

app.event("app_mention")(ack=lambda ack: ack(), lazy=[answer])
serve(SlackRequestHandler(app), host="127.0.0.1", port=int(sys.argv[-1]), threads=16)
"""


def load(
    server: Server, stub: WebApiStub, prefix: str, events: int, senders: int
) -> tuple[float, float, float]:
    """(ack p50 ms, ack p99 ms, turns/s) for ``events`` mentions sent by ``senders`` threads."""
    bodies = [
        event(
            f"{prefix}{n}",
            f"<@UBOT> Quels KPIs suivre ? visiteurs {20000 + n}, conversions 400, CA 30000 €",
            f"17100{n:05d}.000001",
        )
        for n in range(events)
    ]
    start = time.time()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        acks = [seconds * 1000 for status, seconds in pool.map(server.send, bodies)]
    threads = {b["event"]["ts"] for b in bodies}
    while time.time() - start < 300 and len(
        {p.get("thread_ts") for p in stub.posts()} & threads
    ) < len(threads):
        time.sleep(0.05)
    elapsed = time.time() - start
    return statistics.median(acks), statistics.quantiles(acks, n=100)[98], events / elapsed


def first_mention(tmp: str) -> tuple[float, float]:
    """(seconds from start until serve's port opens, seconds from then until the answer to a
    mention sent at once is posted) for a fresh `marketing-bot serve`."""
    stub = WebApiStub()
    server = Server(stub, os.path.join(tmp, "first.db"))
    try:
        thread = "1710099999.000001"
        server.send(event("EvFirst", "<@UBOT> Quels KPIs suivre pour ma newsletter ?", thread))
        while time.time() - server.opened < 120 and not [
            p for p in stub.posts() if p.get("thread_ts") == thread
        ]:
            time.sleep(0.02)
        return server.opened - server.started, time.time() - server.opened
    finally:
        server.kill()
        stub.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--senders", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name in ("bare Bolt app", "marketing-bot serve"):
            stub = WebApiStub()
            server = Server(
                stub,
                os.path.join(tmp, "bench.db"),
                command=[sys.executable, "-c", BARE] if name.startswith("bare") else None,
            )
            try:
                results[name] = load(server, stub, name[:4], args.events, args.senders)
            finally:
                server.kill()
                stub.close()
        print(f"{args.events} app_mention events, {args.senders} concurrent senders")
        print(f"{'':<22} {'ack p50':>9} {'ack p99':>9} {'turns/s':>9}")
        for name, (p50, p99, rate) in results.items():
            print(f"{name:<22} {p50:>7.1f}ms {p99:>7.1f}ms {rate:>9.1f}")
        ratio = results["marketing-bot serve"][1] / results["bare Bolt app"][1]
        print(f"ack p99 ratio (marketing-bot / bare Bolt): {ratio:.2f}x")
        opened, answered = first_mention(tmp)
        print(
            f"fresh serve: port open after {opened:.1f} s; first mention answered {answered:.2f} s later"
        )


if __name__ == "__main__":
    main()
