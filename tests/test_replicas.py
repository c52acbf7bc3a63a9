"""Several `serve` replicas on one PostgreSQL (DATABASE_URL), as behind a load balancer: every
event answered once, a thread's next message answered by the other replica, a replica killed
mid-conversation losing nothing. A throwaway PostgreSQL server from the distribution's packages
(tests/conftest.py); the Web API stand-in of tests/slack_stub.py."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg

from tests.slack_stub import Server, WebApiStub, event
from tests.test_reliability import ASK, GIVE, in_thread, send
from tests.waiting import settled, wait_until


def test_two_replicas_answer_200_events_once_with_retries_to_the_other_and_a_kill(
    tmp_path, postgres_db
):
    stub, rng = WebApiStub(), random.Random(16)
    env = {"DATABASE_URL": postgres_db, "SLACK_TIMEOUT": "1"}
    replicas = [
        Server(stub, str(tmp_path / "a.db"), env),
        Server(stub, str(tmp_path / "b.db"), env),
    ]
    threads = [f"1700008000.{n:06d}" for n in range(100)]
    asks = [event(f"EvA{n}", ASK.format(n=n), ts) for n, ts in enumerate(threads)]
    gives = [
        event(f"EvB{n}", GIVE, f"1700008001.{n:06d}", ts, "message") for n, ts in enumerate(threads)
    ]
    try:
        with ThreadPoolExecutor(
            max_workers=16
        ) as pool:  # turn 1: thread n on replica n % 2, a third retried on the other one
            statuses = list(pool.map(lambda n: send(replicas[n % 2], asks[n]), range(len(threads))))
        for n in range(0, len(threads), 3):
            assert send(replicas[(n + 1) % 2], asks[n], retry=1) == 200
        assert all(s == 200 for s in statuses)
        assert wait_until(lambda: all(in_thread(stub, ts) for ts in threads), 120), [
            len(in_thread(stub, ts)) for ts in threads
        ]

        with ThreadPoolExecutor(
            max_workers=16
        ) as pool:  # turn 2: each reply on the other replica; replica 0 killed midway
            sent = [pool.submit(send, replicas[(n + 1) % 2], gives[n]) for n in range(len(threads))]
            time.sleep(rng.uniform(0.3, 1.0))
            replicas[0].kill()
            statuses = [f.result() for f in sent]
        for n, status in enumerate(
            statuses
        ):  # Slack retries what was not acked; the live replica gets it
            if status != 200:
                assert send(replicas[1], gives[n], retry=1) == 200
        replicas[0] = Server(
            stub, str(tmp_path / "a.db"), env
        )  # restarted: finishes what it held once its leases expire
        assert wait_until(lambda: all(len(in_thread(stub, ts)) >= 2 for ts in threads), 300), [
            (ts, len(in_thread(stub, ts))) for ts in threads if len(in_thread(stub, ts)) < 2
        ]
        assert settled(postgres_db)
        for ts in threads:
            posts = in_thread(stub, ts)
            assert len(posts) == 2 and "il me manque" in posts[0] and "19 716" in posts[1], (
                ts,
                posts,
            )
        with psycopg.connect(postgres_db) as conn:  # everything went through PostgreSQL
            assert (
                conn.execute(
                    "SELECT count(*) FROM events WHERE key LIKE 'message:%' AND status = 'done'"
                ).fetchone()[0]
                == 200
            )
            assert (
                conn.execute("SELECT count(DISTINCT thread_id) FROM checkpoints").fetchone()[0]
                == 100
            )
    finally:
        for replica in replicas:
            replica.kill()
        stub.close()
