"""Turns off the request path: a job queue in the database between the HTTP process and workers.

Bolt acks every request in the process that received it and hands each lazy listener to a
``LazyListenerRunner`` (the hook its AWS Lambda adapter uses to run lazy work in another Lambda).
``QueueRunner`` writes the listener's name and the request body to the ``jobs`` table instead of
running it; worker processes (``marketing-bot worker``, started by ``serve``) claim jobs and run
them through the same Bolt app with the ``x-slack-bolt-lazy-only`` headers, so Bolt runs that one
lazy function and nothing else. Why a queue rather than a bigger thread pool: turns are CPU-bound
Python, and in the process that acks they hold the GIL that acks wait for; in other processes they
cannot slow an ack. The queue is a table rather than a broker because the database is already the
one thing every process shares (events, leases, outbox), and a job claimed by a worker that dies
is taken up by another once its heartbeat stops.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner, ThreadLazyListenerRunner

from bot.outbox import CALL_ERRORS, error_code, transient
from graph.hierarchy import Hierarchy, load_hierarchy
from graph.storage import Store

log = logging.getLogger(__name__)
HOLD = 10.0  # seconds a job stays claimed without a heartbeat
MAX_ATTEMPTS = 125  # a job Slack's outage keeps from its end is retried for about 30 minutes (BACKOFF_CAP apart), the outbox's give-up time
BACKOFF_CAP = (
    15.0  # seconds between two tries of a job at most: a reply comes soon after Slack is back
)


_job = threading.local()  # the job this thread runs: whether its work asked to be run again


def retry_later(delay: float = 2.0) -> None:
    """Give the job this thread runs back, to run again in ``delay`` seconds, instead of finishing
    it: its thread was busy in another process past the lease wait. No effect outside a job."""
    _job.retry = delay


class QueueRunner(LazyListenerRunner):
    """Bolt's lazy listener runner for the HTTP process: queue the work, do not run it."""

    def __init__(self, store: Store, wake: Callable[[], None] = lambda: None):
        self.store, self.wake, self.logger = store, wake, log

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.store.jobs.add_job(lane(request.body), request.lazy_function_name, request.body)
        self.wake()


class JobRunner(ThreadLazyListenerRunner):
    """Bolt's lazy listener runner in a worker: runs the job's listener here, and when a Web API
    call fails in a way a later try may fix (``bot.outbox.transient``: Slack down, a 5xx, a 429,
    a timeout), marks the job to run again instead of letting Bolt log and drop the error. A rerun
    is safe: a turn is done once per turn key, and its replies are outbox rows."""

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        @functools.wraps(function)  # Bolt reads the wrapped function's argument names
        def durable(**kwargs) -> None:
            try:
                function(**kwargs)
            except CALL_ERRORS as err:
                if not transient(err):
                    raise
                log.warning(
                    "Web API call failed in %s (%s): the job runs again",
                    function.__name__,
                    error_code(err),
                )
                _job.unreachable = True

        super().run(durable, request)


@dataclass
class Rules:
    """What the acking process reads of the graph's context: the hierarchy (its escalation rules)."""

    hierarchy: Hierarchy


class ConversationsLater:
    """The conversations as the process that acks sees them when worker processes run the turns:
    the store and the escalation rules at once (what acking needs: seconds instead of loading
    LangGraph and the learned models), the graph itself on first use of anything else (``load``,
    a function returning graph.conversations.Conversations; thread-safe, once)."""

    def __init__(self, target: str, load: Callable[[], Any]):
        self.store = Store(target)
        self.context = Rules(load_hierarchy())
        self._load, self._loaded, self._lock = load, None, threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not loaded yet, or a copy being built: no graph for that
            raise AttributeError(name)
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
        return getattr(self._loaded, name)


def lane(body: dict) -> str:
    """Jobs of one Slack thread run one at a time, in order: a reply is not read before the
    message that started the thread. Other requests (commands, modals) get a lane of their own."""
    event = body.get("event") or {}
    if event.get("channel") and event.get("ts"):
        return f"{event['channel']}:{event.get('thread_ts') or event['ts']}"
    message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id")
    if channel and message.get("ts"):
        return f"{channel}:{message.get('thread_ts') or message['ts']}"
    return uuid.uuid4().hex


def run_worker(
    app: App, store: Store, stop: threading.Event, threads: int = 8, poll: float = 0.05
) -> None:
    """Claim and run jobs until ``stop``, ``threads`` at a time (a stalled Web API call holds one
    of them); a heartbeat renews this worker's claims every HOLD / 3 seconds."""
    owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    slots = threading.Semaphore(threads)
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="job")

    def heartbeat() -> None:
        while not stop.wait(HOLD / 3):
            store.jobs.renew(owner, HOLD)

    def run(job: dict) -> None:
        ran, _job.retry, _job.unreachable = False, None, False
        try:
            headers = {
                "x-slack-bolt-lazy-only": "1",
                "x-slack-bolt-lazy-function-name": job["function"],
            }
            response = app.dispatch(
                BoltRequest(body=job["body"], headers=headers, mode="socket_mode")
            )  # verified when received
            # else Bolt stopped before the listener (auth.test failed…), or the listener met Slack down or slow
            ran = response.status == 200 and not response.body and not _job.unreachable
        except Exception:  # a failed job is the job's, never the worker's
            log.exception("job %s (%s) failed", job["id"], job["function"])
            ran = True  # the listener ran and failed: running it again would fail again
        finally:
            if _job.retry is not None:  # the turn could not take its thread: not lost, run again
                store.jobs.retry(job["id"], _job.retry)
            elif ran or job["attempts"] >= MAX_ATTEMPTS:
                store.jobs.finish(job["id"])
            else:  # taken up again after a backoff
                log.warning(
                    "job %s (%s) not done (Slack unreachable?): retry %d",
                    job["id"],
                    job["function"],
                    job["attempts"],
                )
                store.jobs.retry(job["id"], min(BACKOFF_CAP, 2.0 ** job["attempts"]))
            slots.release()

    threading.Thread(target=heartbeat, name="job-heartbeat", daemon=True).start()
    while not stop.is_set():
        slots.acquire()
        job = None
        try:
            job = store.jobs.claim_job(owner, HOLD)
        except Exception:  # the database busy for a moment
            log.exception("job claim failed")
        if job is None:
            slots.release()
            time.sleep(poll)
            continue
        pool.submit(run, job)


def wait_for_slack(client) -> None:
    """Block until ``auth.test`` answers (the app needs the bot's identity before it can run
    listeners; ``api.test`` when there is no single token: installs in several workspaces),
    retrying with backoff up to 30 s: a worker started while Slack is unreachable waits and the
    queued jobs wait with it."""
    delay = 1.0
    while True:
        try:
            client.auth_test() if client.token else client.api_test()
            return
        except Exception as err:
            log.warning(
                "auth.test failed (%s): Slack unreachable? retry in %.0f s",
                type(err).__name__,
                delay,
            )
            time.sleep(delay)
            delay = min(30.0, delay * 2)


READY_FD = "MARKETING_BOT_READY_FD"  # the pipe a worker writes to once it can take jobs


def say_ready() -> None:
    """In a worker started by ``Supervisor``: tell ``serve`` this worker can run jobs now (its
    graph and models are loaded), through the pipe named by READY_FD; nothing otherwise."""
    fd = os.environ.pop(READY_FD, "")
    if fd:
        try:
            os.write(int(fd), b"ready\n")
            os.close(int(fd))
        except OSError:  # serve is gone: the worker exits with it anyway
            pass


class Supervisor:
    """The worker processes of one ``serve``: ``count`` processes running ``argv``, each restarted
    when it exits (a crash, an OOM kill, a SIGKILL) with one log line, after a pause that doubles
    while it keeps dying within RESTART_AFTER seconds of its start (1 s up to 30 s). ``ready`` is
    set once a worker has said it can take jobs (``say_ready``): serve opens its port then, so the
    first mention is not queued behind a worker still loading the graph."""

    RESTART_AFTER = 10.0

    def __init__(self, argv: list[str], count: int):
        self.argv, self.count = argv, count
        self.procs: dict[int, subprocess.Popen] = {}
        self._lock = threading.Lock()
        self.ready = threading.Event()

    def start(self) -> None:
        """Start the workers, each watched by a daemon thread."""
        for slot in range(self.count):
            threading.Thread(
                target=self._watch, args=(slot,), name=f"supervise-{slot}", daemon=True
            ).start()

    def _spawn(self) -> subprocess.Popen:
        """Start one worker with a pipe to say it is ready on, read by a daemon thread."""
        read, write = os.pipe()
        proc = subprocess.Popen(
            self.argv, pass_fds=(write,), env={**os.environ, READY_FD: str(write)}
        )
        os.close(write)

        def listen() -> None:
            with os.fdopen(read, "rb") as pipe:
                if pipe.readline():
                    self.ready.set()

        threading.Thread(target=listen, name="worker-ready", daemon=True).start()
        return proc

    def _watch(self, slot: int) -> None:
        pause = 1.0
        while True:
            started, proc = time.monotonic(), self._spawn()
            with self._lock:
                self.procs[slot] = proc
            code = proc.wait()
            pause = 1.0 if time.monotonic() - started > self.RESTART_AFTER else min(30.0, pause * 2)
            log.error(
                "worker process %d exited with %s: restarting it in %.0f s", proc.pid, code, pause
            )
            time.sleep(pause)

    def running(self) -> int:
        """How many worker processes are running now."""
        with self._lock:
            return sum(proc.poll() is None for proc in self.procs.values())


def health(store: Store, supervisor: Supervisor | None, stall_after: float) -> str | None:
    """Why ``/healthz`` should fail, or None when the bot can answer: no worker process running,
    or queued work that no worker has claimed for more than ``stall_after`` seconds (workers
    dead or stuck; here or, with a shared database, on every replica)."""
    if supervisor and supervisor.count and not supervisor.running():
        return "no worker process running"
    stall = store.jobs.stall()
    return f"no job claimed for {stall:.0f} s while jobs wait" if stall > stall_after else None


def exit_with(parent: int) -> None:
    """Exit this process as soon as ``parent`` is gone (a worker never outlives its serve)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
