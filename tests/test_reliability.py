"""Nothing lost, nothing doubled, against the running `marketing-bot serve`: SIGKILLs at random
moments of concurrent conversations, a Web API that is down, rate-limited or answers too late,
malformed requests, two processes on one database, and bounded storage."""

from __future__ import annotations

import glob
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from tests.cli import run_cli
from tests.slack_stub import ESCALATIONS, SECRET, Server, WebApiStub, event, sign
from tests.waiting import settled, wait_until

ASK = "<@UBOT> Je veux tester deux versions de la page {n}, combien de visiteurs il me faut ?"
GIVE = "3 %, je veux détecter +0,5 point, 2000 visiteurs par jour"
FAST = {
    "SLACK_TIMEOUT": "1"
}  # a call answered later than 1 s is a timeout; held rows are taken up after 8 s


def in_thread(stub: WebApiStub, thread_ts: str) -> list[str]:
    """The texts posted (and accepted) in a thread of CMKT, in order."""
    return [p["text"] for p in stub.posts("CMKT") if p.get("thread_ts") == thread_ts]


def send(server: Server, body: dict, retry: int = 0) -> int | None:
    """POST a signed event as Slack does (with X-Slack-Retry-Num on a retry); None when the
    connection broke (the server was killed): Slack would retry it."""
    try:
        return server.send(
            body,
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else None,
        )[0]
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def raw(
    server: Server, data: bytes, headers: dict, path: str = "/slack/events", method: str = "POST"
) -> int:
    req = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}",
        data=data if method == "POST" else None,
        headers=headers,
        method=method,
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def test_malformed_requests_get_4xx_without_traceback(tmp_path):
    stub = WebApiStub()
    server = Server(stub, str(tmp_path / "bot.db"))
    try:
        assert raw(server, b"", {}, "/healthz", "GET") == 200
        assert raw(server, b"{not json", sign(SECRET, "{not json")) == 400
        bad = b"\xff\xfe\x00garbage"
        assert raw(server, bad, {**sign(SECRET, "x"), "Content-Type": "application/json"}) == 400
        body = json.dumps(event("EvTs", "<@UBOT> hello", "1700004000.000001"))
        assert (
            raw(
                server,
                body.encode(),
                {**sign(SECRET, body), "X-Slack-Request-Timestamp": "notanumber"},
            )
            == 401
        )
        assert (
            raw(server, body.encode(), sign(SECRET, body, int(time.time()) - 3600)) == 401
        )  # replayed an hour later
        assert raw(server, body.encode(), {"Content-Type": "application/json"}) == 401
        with socket.create_connection(
            ("127.0.0.1", server.port), timeout=10
        ) as conn:  # 2 MB announced: refused before it is read
            conn.sendall(
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{"
            )
            assert conn.recv(100).split(b" ")[1] == b"413"
        assert (
            server.send(event("EvEmpty", "<@UBOT>", "1700004000.000002"))[0] == 200
        )  # an empty mention gets the help text
        assert (
            wait_until(lambda: in_thread(stub, "1700004000.000002"), 20)
            and "spécialistes" in in_thread(stub, "1700004000.000002")[0]
        )
    finally:
        server.kill()
        stub.close()
    log = server.log()
    assert "Traceback" not in log, log
    assert (
        log.count("rejected POST") == 5
    )  # the 2 MB body is refused by waitress (max_request_body_size) before it is read


def test_web_api_down_then_back_rate_limited_and_late(tmp_path):
    stub = WebApiStub()
    server = Server(stub, str(tmp_path / "bot.db"), FAST)
    try:
        # Down: five conversations, one of them two turns deep, answered once the Web API is back.
        stub.down = True
        threads = [f"1700005000.{n:06d}" for n in range(5)]
        for n, ts in enumerate(threads):
            assert server.send(event(f"EvDown{n}", ASK.format(n=n), ts))[0] == 200
        assert wait_until(lambda: stub.refused, 60)  # the worker tried and Slack refused
        assert (
            server.send(event("EvDown9", GIVE, "1700005000.000099", threads[0], "message"))[0]
            == 200
        )
        refused = len(stub.refused)
        assert wait_until(lambda: len(stub.refused) > refused, 60) and stub.posts("CMKT") == []
        stub.down = False
        assert wait_until(
            lambda: (
                all(in_thread(stub, ts) for ts in threads) and len(in_thread(stub, threads[0])) == 2
            ),
            60,
        )
        first = in_thread(stub, threads[0])
        assert "il me manque" in first[0] and "19 716" in first[1]  # in order within the thread
        assert all(len(in_thread(stub, ts)) == 1 for ts in threads[1:])

        # Three 429s in a row: delayed, not dropped.
        stub.faults["chat.postMessage"] = ["429", "429", "429"]
        server.send(event("EvRate", ASK.format(n="rate"), "1700005100.000001"))
        assert wait_until(lambda: in_thread(stub, "1700005100.000001"), 30)

        # Accepted by Slack but answered after the client gave up: sent again, found by its metadata, not doubled.
        stub.faults["chat.postMessage"] = ["slow"]
        server.send(event("EvSlow", ASK.format(n="slow"), "1700005200.000001"))
        assert wait_until(lambda: in_thread(stub, "1700005200.000001"), 30)
        assert wait_until(lambda: stub.of("conversations.replies"), 30) and settled(server.db)
        assert len(in_thread(stub, "1700005200.000001")) == 1 and all(
            len(in_thread(stub, ts)) == 1 for ts in threads[1:]
        )
    finally:
        server.kill()
        stub.close()


def test_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path):
    rng = random.Random(20261123)
    db, stub = str(tmp_path / "bot.db"), WebApiStub()
    threads = [f"1700006000.{n:06d}" for n in range(20)]
    turns = [
        [event(f"EvA{n}", ASK.format(n=n), ts) for n, ts in enumerate(threads)],
        [
            event(f"EvB{n}", GIVE, f"1700006001.{n:06d}", ts, "message")
            for n, ts in enumerate(threads)
        ],
    ]
    server = Server(stub, db, FAST)
    try:
        for turn, bodies in enumerate(turns, 1):
            with ThreadPoolExecutor(max_workers=20) as pool:
                sent = [pool.submit(send, server, b) for b in bodies]
                time.sleep(rng.uniform(0.05, 1.5))
                server.kill()  # SIGKILL somewhere between acks, turns and posts
                statuses = [f.result() for f in sent]
            server = Server(stub, db, FAST)
            for body, status in zip(bodies, statuses):  # Slack retries what was not acked
                if status != 200:
                    assert send(server, body, retry=1) == 200
            assert wait_until(
                lambda: all(len(in_thread(stub, ts)) >= turn for ts in threads), 90
            ), [len(in_thread(stub, ts)) for ts in threads]
        assert settled(db)
        for ts in threads:
            posts = in_thread(stub, ts)
            assert len(posts) == 2 and "il me manque" in posts[0] and "19 716" in posts[1], (
                ts,
                posts,
            )
    finally:
        server.kill()
        stub.close()


def test_two_processes_on_one_database_run_each_thread_once_at_a_time(tmp_path):
    db, stub = str(tmp_path / "bot.db"), WebApiStub()
    first, second = Server(stub, db), Server(stub, db)
    threads = [f"1700007000.{n:06d}" for n in range(8)]
    try:
        for n, ts in enumerate(threads):
            first.send(
                event(
                    f"EvP{n}",
                    "<@UBOT> Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €",
                    ts,
                )
            )
        assert wait_until(lambda: all(in_thread(stub, ts) for ts in threads), 60)
        with ThreadPoolExecutor(
            max_workers=16
        ) as pool:  # one message per process in the same thread at the same moment
            for n, ts in enumerate(threads):
                pool.submit(
                    first.send,
                    event(
                        f"EvQ{n}",
                        "Analyze this A/B test: A: 10000 visitors, 500 conversions; B: 10000 visitors, 580 conversions",
                        f"1700007001.{n:06d}",
                        ts,
                        "message",
                    ),
                )
                pool.submit(
                    second.send,
                    event(
                        f"EvR{n}",
                        "Quels KPIs suivre ? visiteurs 50000, conversions 900, CA 60000 €, dépense 9000 €",
                        f"1700007002.{n:06d}",
                        ts,
                        "message",
                    ),
                )
        ends = lambda posts, agent: sum(p.endswith(f"› {agent}") for p in posts)  # noqa: E731  (a deliverable's last message ends with its path)
        assert wait_until(
            lambda: all(
                ends(in_thread(stub, ts), "Suivi des KPIs") >= 2
                and ends(in_thread(stub, ts), "A/B testing") >= 1
                for ts in threads
            ),
            60,
        )
        assert settled(db)
        for ts in threads:
            posts = in_thread(stub, ts)
            assert ends(posts, "Suivi des KPIs") == 2 and ends(posts, "A/B testing") == 1, posts
            assert (
                sum("0.0123" in p for p in posts) == 1 and sum("1,80 %" in p for p in posts) == 1
            ), posts
    finally:
        first.kill()
        second.kill()
        stub.close()
    logs = first.log() + second.log()
    assert "Traceback" not in logs and "InvalidUpdateError" not in logs


def checkpoint_bytes(conv) -> int:
    return sum(
        conv.store.db.execute(q).first()["n"] or 0
        for q in (
            "SELECT SUM(LENGTH(checkpoint) + LENGTH(metadata)) AS n FROM checkpoints",
            "SELECT SUM(LENGTH(value)) AS n FROM writes",
        )
    )


def test_checkpoints_grow_linearly_and_prune_shrinks_the_file(tmp_path):
    from graph.conversations import Conversations
    from graph.threads import Thread

    db = tmp_path / "bot.db"
    conv = Conversations(str(db))
    thread, sizes = Thread("T", "C", "long"), [checkpoint_bytes(conv)]
    for n in range(40):
        request = (
            f"Quels KPIs suivre ? visiteurs {20000 + n * 100}, conversions {400 + n}, CA {30000 + n * 50} €, dépense 6000 €"
            if n % 2
            else f"Analyze this A/B test: A: 10000 visitors, {500 + n} conversions; B: 10000 visitors, 580 conversions"
        )
        assert conv.handle(thread, request)
        sizes.append(checkpoint_bytes(conv))
    per_turn = [b - a for a, b in zip(sizes, sizes[1:])]
    assert max(per_turn) < 20 * 1024, per_turn
    assert sum(per_turn[-10:]) < 1.5 * sum(per_turn[:10]), (
        per_turn
    )  # linear: later turns cost what early ones did
    for n in range(30):  # more threads, so that pruning has pages to give back
        conv.handle(
            Thread("T", "C", f"other-{n}"),
            "Où sont les drop-offs ? visites 10000, panier 3000, paiement 1200, achat 800",
        )
    size = lambda: sum(p.stat().st_size for p in tmp_path.glob("bot.db*"))  # the file and its WAL
    before = size()
    counts = conv.prune(timedelta(seconds=-1))  # times are stored to the second: all of them
    assert counts["threads"] == 31 and size() < before / 2, (before, size())
    assert (
        conv.store.db.execute("SELECT count(*) AS n FROM deliverables").first()["n"] >= 70
    )  # deliverables are kept


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we read
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.split("/")[2]))
    return found


HTTP_MODE = {"SLACK_APP_TOKEN": None}  # `marketing-bot healthcheck` asks /healthz


def test_a_killed_worker_is_restarted_and_healthz_fails_while_no_worker_answers(tmp_path):
    stub = WebApiStub()
    server = Server(stub, str(tmp_path / "bot.db"), {"MARKETING_BOT_STALL_AFTER": "2"})
    health = lambda: raw(server, b"", {}, "/healthz", "GET")  # noqa: E731
    try:
        server.send(event("EvW1", ASK.format(n=1), "1700008000.000001"))
        assert wait_until(lambda: in_thread(stub, "1700008000.000001"), 60)
        assert health() == 200
        stub.down = True  # the restarted worker waits for Slack: it claims nothing
        (worker,) = children(server.proc.pid)
        os.kill(worker, signal.SIGKILL)
        assert server.send(event("EvW2", ASK.format(n=2), "1700008000.000002"))[0] == 200
        assert wait_until(lambda: health() == 503, 60)
        check = run_cli("healthcheck", "--port", str(server.port), env=HTTP_MODE, check=False)
        assert check.returncode == 1 and "503" in check.stderr  # the container's check says why
        assert wait_until(lambda: f"worker process {worker} exited" in server.log(), 10), (
            server.log()[-2000:]
        )
        assert wait_until(
            lambda: [pid for pid in children(server.proc.pid) if pid != worker], 40
        ), "a new worker runs"
        stub.down = False
        assert wait_until(lambda: in_thread(stub, "1700008000.000002"), 60)
        assert wait_until(lambda: health() == 200, 30)
        assert run_cli("healthcheck", "--port", str(server.port), env=HTTP_MODE).returncode == 0
        assert "il me manque" in in_thread(stub, "1700008000.000002")[0]
    finally:
        server.kill()
        stub.close()


def test_a_worker_says_when_it_can_take_jobs_and_serve_waits_for_it():
    """serve opens its port once a worker has loaded the graph (bot.queue.say_ready through the
    supervisor's pipe), so the first mention is not queued behind a worker still starting."""
    from bot.queue import Supervisor

    code = (
        "import os, time; from bot.queue import exit_with, say_ready; "
        "exit_with(os.getppid()); say_ready(); time.sleep(600)"
    )  # a worker that exits with this test's process, as serve's workers exit with serve
    supervisor = Supervisor([sys.executable, "-c", code], 1)
    supervisor.start()
    try:
        assert supervisor.ready.wait(120)
        assert supervisor.running() == 1
    finally:
        for proc in supervisor.procs.values():
            proc.kill()


ACK_ONLY = (
    "import sys; port = sys.argv[-1];"
    "[sys.modules.__setitem__(m, None) for m in ('langgraph', 'pandas', 'scipy', 'statsmodels', 'sklearn')];"
    "sys.argv = ['marketing-bot', 'serve', '--port', port, '--host', '127.0.0.1', '--without-roles'];"
    "from bot.cli import main; main()"
)  # `serve` where LangGraph, pandas, scipy, statsmodels and scikit-learn cannot be imported


def test_serve_acks_alone_and_a_worker_run_as_its_own_service_answers(tmp_path):
    """compose.yaml's layout: `serve` with MARKETING_BOT_WORKERS_ELSEWHERE starts no worker and
    only acks and queues, without loading LangGraph or the calculators' libraries (it starts in
    seconds); a `marketing-bot worker` started on its own answers what was queued before it came
    up, and /healthz fails while queued work waits with no worker."""
    db, stub = str(tmp_path / "bot.db"), WebApiStub()
    env = {"MARKETING_BOT_WORKERS_ELSEWHERE": "true", "MARKETING_BOT_STALL_AFTER": "1"}
    server = Server(stub, db, env, command=[sys.executable, "-c", ACK_ONLY])
    worker = None
    try:
        assert children(server.proc.pid) == []  # no worker process of its own
        assert server.send(event("EvX1", ASK.format(n=1), "1700008100.000001"))[0] == 200
        assert wait_until(lambda: raw(server, b"", {}, "/healthz", "GET") == 503, 30)
        worker = subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"],
            env={
                **os.environ,
                "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_SIGNING_SECRET": SECRET,  # one .env for both services, as in compose.yaml
                "SLACK_API_BASE_URL": stub.url,
                "ESCALATION_CHANNEL": ESCALATIONS,
                "MARKETING_BOT_DB": db,
                "MARKETING_BOT_STREAMING": "off",
            },
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(lambda: in_thread(stub, "1700008100.000001"), 120)
        assert "il me manque" in in_thread(stub, "1700008100.000001")[0]
        assert wait_until(lambda: raw(server, b"", {}, "/healthz", "GET") == 200, 30)
        assert settled(db)
    finally:
        server.kill()
        if worker:
            worker.kill()
            worker.wait()
        stub.close()
