"""One storage interface, two backends: the same store behaviour on the SQLite file and on a real
PostgreSQL server (a throwaway one from the distribution's packages)."""

from __future__ import annotations

import threading

import pytest

from graph.storage import Store


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    target = (
        str(tmp_path / "bot.db")
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_db")
    )
    store = Store(target)
    yield store
    store.db.close()


def test_events_outbox_and_jobs_are_idempotent_and_claimed_once(store):
    assert store.events.receive_event("event:E1", "{}") and not store.events.is_done("event:E1")
    assert (
        store.outbox.enqueue(
            [{"lane": "thread:T:C:1", "key": "k1", "op": {"op": "message", "text": "é"}}],
            ["event:E1"],
        )
        == 1
    )
    assert (
        store.outbox.enqueue([{"lane": "thread:T:C:1", "key": "k1", "op": {"op": "message"}}]) == 0
    )  # written again: nothing doubled
    assert store.events.is_done("event:E1") and not store.events.receive_event(
        "event:E1", "{}"
    )  # a Slack retry of a done event
    assert store.events.claim_event("action:1") and not store.events.claim_event("action:1")
    row = store.outbox.claimable(10)[0]
    assert row["op"]["text"] == "é"
    claims = []
    threads = [
        threading.Thread(target=lambda: claims.append(store.outbox.claim(row["id"], "me", 30)))
        for _ in range(8)
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert [c["attempts"] for c in claims if c] == [1] and claims.count(None) == 7  # one wins
    store.outbox.finish(row["id"])
    assert store.outbox.claimable(10) == [] and store.queue_depth() == {
        "jobs": 0,
        "outbox": 0,
    }
    store.jobs.add_job("thread:T:C:1", "handle", {"x": 1})
    store.jobs.add_job("thread:T:C:1", "handle", {"x": 2})
    job = store.jobs.claim_job("w1", 30)
    assert (
        job["body"] == {"x": 1} and store.jobs.claim_job("w2", 30) is None
    )  # the lane's next job waits for the first
    store.jobs.finish(job["id"])
    assert store.jobs.claim_job("w2", 30)["body"] == {"x": 2}


def test_leases_escalations_feedback_and_prune(store):
    assert store.leases.acquire_lease("T:C:1", "a", 15) and not store.leases.acquire_lease(
        "T:C:1", "b", 15
    )
    assert store.leases.acquire_lease("T:C:1", "a", 15)  # renewed by its owner
    store.leases.release_lease("T:C:1", "a")
    assert store.leases.acquire_lease("T:C:1", "b", 15)
    store.conversations.save_conversation(
        "T:C:1", team="T", channel="C", thread_ts="1", user="U1", status="waiting"
    )
    store.conversations.save_conversation("T:C:1", agent="lead-scoring")
    assert (
        store.conversations.conversation("T:C:1")["agent"] == "lead-scoring"
        and store.conversations.threads_of("T", "U1")[0]["thread_key"] == "T:C:1"
    )
    store.escalations.save_escalation(
        {
            "id": "T:C:1:hot-lead",
            "thread_key": "T:C:1",
            "rule": "hot-lead",
            "role": "sales",
            "action": "Alerte",
            "blocking": 1,
            "status": "open",
            "evidence": "95 pts",
            "requester": "U1",
        }
    )
    assert store.escalations.open_escalation_count() == 1
    assert (
        store.escalations.decide("T:C:1:hot-lead", "approved", "UDIR", "ok")["decided_by"] == "UDIR"
    )
    assert store.escalations.decide("T:C:1:hot-lead", "rejected", "UDIR") is None  # decided once
    assert [e["event"] for e in store.escalations.escalation_trail()] == ["raised", "approved"]
    assert store.escalations.unresumed_decisions(older_than=60) == []  # its click finishes it
    assert store.escalations.unresumed_decisions()[0]["id"] == "T:C:1:hot-lead"
    store.escalations.mark_resumed("T:C:1:hot-lead")
    assert store.escalations.unresumed_decisions() == []
    deliverable = store.deliverables.add_deliverable(
        "T:C:1", "lead-scoring", "fr", "# Score", title="Score"
    )
    assert store.deliverables.rate(deliverable, "U1", "down", "faux") and store.deliverables.rate(
        deliverable, "U1", "up"
    )
    assert store.deliverables.feedback_by_agent() == [{"agent": "lead-scoring", "up": 1, "down": 0}]
    assert store.deliverables.deliverables_of("T", "U1")[0]["title"] == "Score"
    threads, counts = store.prune("9999-12-31")
    assert threads == ["T:C:1"] and counts["leases"] == 0


def test_experiment_log_links_readouts_and_claims_reminders_once(store):
    from graph.experiments import Decision, ExperimentLog, read_subject
    from graph.understanding import understand

    log, where = (
        ExperimentLog(store),
        {"team": "T", "thread_key": "T:C:1", "channel": "C", "thread_ts": "1", "owner": "U1"},
    )
    plan = {
        "kind": "plan",
        "subject": read_subject("tester un CTA vert sur /pricing").__dict__,
        "named": [],
        "variants": 2,
        "baseline": 3.0,
        "mde": "+10 %",
        "planned_n": 50000,
        "planned_days": 20,
    }
    first = log.record(where, plan, "fr")
    readout = {
        "kind": "readout",
        "subject": read_subject(understand("A 50000 visites 1500 conv").raw).__dict__,
        "named": [],
        "arms": [{"label": "A", "visitors": 50000, "conversions": 1500}],
        "lift": -2.1,
        "p_value": 0.31,
        "chance": 20.0,
        "decision": "inconclusive",
    }
    done = log.record(where, readout, "fr")
    assert (
        done["id"] == first["id"]
        and done["status"] == "inconclusive"
        and "n'a pas d'effet détectable" in done["learnings"]
    )
    other = log.record({**where, "thread_key": "T:C2:9", "channel": "C2"}, plan, "fr")
    assert other["id"] != first["id"] and [
        r["id"] for r in log.similar("T", read_subject("CTA vert sur la page pricing"), "T:C2:9")
    ] == [first["id"]]
    assert (
        log.similar("OTHER", read_subject("CTA vert sur la page pricing")) == []
    )  # each workspace its own log
    assert [r["id"] for r in store.experiments.overdue_experiments("9999-01-01")] == [other["id"]]
    claims = []
    threads = [
        threading.Thread(
            target=lambda: claims.append(store.experiments.claim_experiment_reminder(other["id"]))
        )
        for _ in range(6)
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert (
        sorted(claims) == [False] * 5 + [True]
        and store.experiments.overdue_experiments("9999-01-01") == []
    )
    memory = log.recall(
        "T",
        "T:C9:1",
        "experimentation",
        {},
        {"subject": read_subject("tester un CTA vert sur la page prix").__dict__},
        "fr",
    )
    lines = memory[0].parts[0].splitlines()
    assert (
        len(lines) == 2
        and lines[0].startswith(f"- Un test similaire a déjà tourné : EXP-{first['id']} · ")
        and "non concluant" in lines[0]
    )
    assert lines[1].startswith(
        f"- Un test tourne déjà sur cette page (un seul test à la fois par page) : EXP-{other['id']} · "
    )
    results_only = {
        **readout,
        "decision": "shipped",
        "lift": 4.0,
        "p_value": 0.01,
    }  # the /abtest modal: figures, no words
    assert (
        log.record({**where, "thread_key": "T:C3:5", "channel": "C3"}, results_only, "fr")["id"]
        == other["id"]
    )  # U1's only running test
    idea = log.add_idea(
        "T", "U1", "Badge paiement sécurisé", "checkout", "conversion", 8, 6, 7, "fr"
    )
    assert (
        idea["ice"] == 336
        and log.backlog("T")[0]["id"] == idea["id"]
        and log.search("T", "checkout")[0]["id"] == idea["id"]
    )
    # The team's decision overrides the statistics, on its own workspace's tests only, never on an idea.
    kept = log.decide(
        "T", Decision(first["id"], "shipped", "la marque préfère le vert"), "U2", "fr"
    )
    assert kept["status"] == "shipped" and kept["decided_by"] == "U2" and kept["decided_at"]
    assert (
        "n'a pas d'effet détectable" in kept["learnings"]
        and "déployé. « la marque préfère le vert »" in kept["learnings"]
    )
    again = log.record(
        where, readout, "fr"
    )  # new figures: the statistics' status again, the decision cleared
    assert (
        again["status"] == "inconclusive"
        and again["decided_at"] is None
        and again["decided_by"] is None
    )
    with pytest.raises(LookupError):
        log.decide("OTHER", Decision(first["id"], "rejected", ""), "U2", "fr")
    with pytest.raises(ValueError):
        log.decide("T", Decision(idea["id"], "shipped", ""), "U2", "fr")


def test_two_plans_stay_two_tests_and_a_running_test_is_never_taken_over_by_a_look_alike(store):
    from graph.experiments import ExperimentLog, read_subject

    log, where = (
        ExperimentLog(store),
        {"team": "T", "thread_key": "T:C:7", "channel": "C", "thread_ts": "7", "owner": "U1"},
    )

    def plan(text: str) -> dict:
        return {
            "kind": "plan",
            "subject": read_subject(text).__dict__,
            "named": [],
            "variants": 2,
            "baseline": 3.0,
            "mde": "+10 %",
            "planned_n": 50000,
            "planned_days": 20,
        }

    cart = log.record(
        where,
        plan(
            "test sur la page panier : taux actuel 3 %, on veut détecter +10 %, 4000 visites par jour"
        ),
        "fr",
    )
    checkout = log.record(
        where,
        plan(
            "et un test sur le checkout : taux actuel 2,4 %, détecter +10 %, 3000 visites par jour"
        ),
        "fr",
    )
    assert (
        checkout["id"] != cart["id"]
        and store.experiments.experiment(cart["id"])["page_key"] == "cart"
    )
    # the same change planned in another channel while the first runs: a new test, the first one named, not moved
    again = log.record(
        {**where, "thread_key": "T:C2:8", "channel": "C2", "thread_ts": "8"},
        plan(
            "test sur la page panier : taux actuel 3 %, on veut détecter +10 %, 4000 visites par jour"
        ),
        "fr",
    )
    assert again["id"] not in (cart["id"], checkout["id"])
    kept = store.experiments.experiment(cart["id"])
    assert kept["status"] == "running" and kept["thread_key"] == "T:C:7" and kept["channel"] == "C"
    subject = read_subject(
        "test sur la page panier : taux actuel 3 %, on veut détecter +10 %, 4000 visites par jour"
    ).__dict__
    memory = log.recall("T", "T:C2:8", "experimentation", {}, {"subject": subject}, "fr")[0].parts[
        0
    ]
    assert (
        f"Un test tourne déjà sur cette page (un seul test à la fois par page) : EXP-{cart['id']} · "
        in memory
    ), memory


@pytest.mark.parametrize("module", ["bot.render", "graph.storage", "graph.export", "bot.outbox"])
def test_rendering_and_storage_load_neither_the_models_nor_the_graph(module):
    """A process that only renders or stores (a listener's ack, an export) starts without
    scikit-learn or LangGraph."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, {module}; print(sorted(m for m in ('sklearn', 'langgraph') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout.strip()
    assert loaded == "[]"


@pytest.mark.parametrize("queue", ["outbox", "jobs"])
def test_the_outbox_and_the_jobs_share_one_lane_ordered_claim(store, queue):
    lane_queue = getattr(store, queue)

    def add(lane: str, n: int) -> None:
        if queue == "jobs":
            store.jobs.add_job(lane, "handle", {"n": n})
        else:
            store.outbox.enqueue([{"lane": lane, "key": f"k{n}", "op": {"op": "message"}}])

    add("thread:A", 1), add("thread:A", 2), add("thread:B", 3)
    first = lane_queue.claimable(10)
    assert [r["lane"] for r in first] == ["thread:A", "thread:B"]  # one row per lane, in order
    assert [r["lane"] for r in lane_queue.claimable(10, busy={"thread:A"})] == ["thread:B"]
    a, b = first[0]["id"], first[1]["id"]
    assert lane_queue.claim(a, "w1", -1)["attempts"] == 1  # its hold already over: w1 "died"
    assert lane_queue.claim(a, "w2", 30)["owner"] == "w2"  # taken up by another
    assert lane_queue.claim(a, "w3", 30) is None
    lane_queue.retry(a, 3600)  # a backoff: not claimable before it ends, its lane waits
    assert [r["id"] for r in lane_queue.claimable(10)] == [b]
    lane_queue.retry(a, -1)
    assert lane_queue.claim(a, "w2", 30)["attempts"] == 3
    lane_queue.renew("w2", -1)  # a heartbeat that stopped: the claim lapses
    assert [r["id"] for r in lane_queue.claimable(10)] == [a, b]
    lane_queue.finish(a)
    assert [r["lane"] for r in lane_queue.claimable(10)] == ["thread:A", "thread:B"]
    assert lane_queue.claimable(10)[0]["id"] not in (a, b)  # the lane's next row


def test_gate_ticks_launch_reminder_and_what_users_view(store):
    """A campaign gate on SQLite and PostgreSQL: ticks with who, the audit trail with its users,
    one launch, the J-3 reminder claimed once; what a user views, and the thread of a canvas."""
    key = "T1:CMKT:1.000001"
    where = {"team": "T1", "channel": "CMKT", "thread_ts": "1.000001"}
    gate = store.gates.open_gate(key, where, "2027-03-01", "fr")
    assert gate["status"] == "planning" and gate["launch_date"] == "2027-03-01"
    store.gates.tick(key, "budget", "UBUDGET", True)
    store.gates.tick(key, "brief", "UMARKETER", True)
    store.gates.tick(key, "brief", "UMARKETER", False)
    store.gates.record(key, "refused", "UOTHER", "tracking")
    assert list(store.gates.checks(key)) == ["budget"]
    assert [(e["event"], e["user"]) for e in store.gates.events(key)] == [
        ("checked", "UBUDGET"),
        ("checked", "UMARKETER"),
        ("unchecked", "UMARKETER"),
        ("refused", "UOTHER"),
    ]
    assert store.gates.due("2027-02-26") == []  # no message posted yet
    store.gates.set_message(key, "1.000002")
    assert [g["thread_key"] for g in store.gates.due("2027-03-01")] == [key]
    assert store.gates.claim_reminder(key) and not store.gates.claim_reminder(key)
    moved = store.gates.open_gate(key, where, "2027-03-08", "fr")  # a corrected plan
    assert moved["launch_date"] == "2027-03-08" and moved["reminded_at"] is None
    assert store.gates.launch(key, "UMARKETER") and not store.gates.launch(key, "UMARKETER")
    assert store.gates.gate(key)["status"] == "execution" and store.gates.due("2027-12-31") == []

    store.viewing.seen("T1", "UMARKETER", {"canvas": "F0CANVAS1"})
    store.viewing.seen("T1", "UMARKETER", {"channel": "CMKT"})
    assert store.viewing.of("T1", "UMARKETER")["channel"] == "CMKT"
    assert store.viewing.of("T1", "UMARKETER")["canvas"] is None
    assert store.viewing.of("T2", "UMARKETER") is None
    store.canvases.record(key, "planning-campagne", "F0CANVAS1")
    assert store.canvases.thread_of("F0CANVAS1") == key
