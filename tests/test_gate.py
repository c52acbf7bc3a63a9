"""The campaign's go/no-go gate as a live checklist (bot/gate.py), through `marketing-bot serve`:
the /campaign form posts the plan and, in its thread, the seed's six "Critères de passage" as
checkboxes; ticks are checked against each criterion's roles, Launch against the open criteria."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import pytest

from graph.storage import Store
from tests.slack_stub import as_message, blocks_of, decoded, event, open_modal, running_server
from tests.test_slack_native import campaign_values, command, interaction, submission
from tests.waiting import settled, wait_until

ROLES = """
direction: UDIRECTOR
campaign-owner: UMARKETER
budget-owner: UBUDGET
stakeholders: UDIRECTOR
creative: S0CREA
analytics: UANALYST
"""
ORDER = ["brief", "planning", "budget", "assets", "tracking", "teams"]
TICKER = {  # who ticks each criterion in the test (a holder of one of its roles)
    "brief": "UMARKETER",
    "planning": "UDIRECTOR",
    "budget": "UBUDGET",
    "assets": "UMARKETER",
    "tracking": "UANALYST",
    "teams": "UMARKETER",
}


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    """The server, the stand-in and the checklist message of a campaign planned from the form."""
    folder = tmp_path_factory.mktemp("gate")
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    with running_server(
        str(folder / "bot.db"), {"MARKETING_BOT_ROLES": str(folder / "roles.yaml")}
    ) as (stub, server):
        view, _ = open_modal(stub, server, command("/campaign"))
        values = campaign_values("60 k€", "2027-03-01", "2027-04-15", "CGATE")
        server.send(submission(view, values), form=True)
        post = wait_until(lambda: next(iter(checklists(stub)), None), 60)
        yield stub, server, post


def checklists(stub) -> list[dict]:
    return [p for p in stub.posts("CGATE") if "gate_check" in json.dumps(blocks_of(p))]


def tick(message: dict, ticked: list[str], user: str) -> dict:
    """A block_actions payload: ``user`` changed the checklist, whose boxes are now ``ticked``."""
    return interaction(
        {
            "type": "block_actions",
            "user": {"id": user},
            "trigger_id": "trigger-gate",
            "channel": {"id": "CGATE"},
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": "CGATE"},
            "message": message,
            "actions": [
                {
                    "action_id": "gate_check",
                    "block_id": "gate",
                    "type": "checkboxes",
                    "selected_options": [{"value": v} for v in ticked],
                    "action_ts": str(time.time()),
                }
            ],
        }
    )


def launch(message: dict, user: str) -> dict:
    payload = json.loads(tick(message, [], user)["payload"])
    payload["actions"] = [
        {"action_id": "gate_launch", "block_id": "gate_launch", "type": "button", "value": "x"}
    ]
    return {"payload": json.dumps(payload)}


def in_thread(event_id: str, text: str, ts: str, thread_ts: str, channel: str = "CSOLDES") -> dict:
    """A marketer's message in the thread ``thread_ts`` of ``channel`` (a message event)."""
    body = event(event_id, text, ts, thread_ts, "message")
    body["event"]["channel"] = channel
    return body


def shown(stub, ts: str) -> dict:
    """The checklist as the last chat.update of message ``ts`` left it: {criterion: description}
    of the ticked boxes, and the message's text."""
    update = [u for u in stub.of("chat.update") if u.get("ts") == ts][-1]
    blocks = decoded(update, "blocks")
    boxes = next((b["elements"][0] for b in blocks if b.get("block_id") == "gate"), {})
    ticked = {o["value"]: o["description"]["text"] for o in boxes.get("initial_options", [])}
    return {"ticked": ticked, "text": update["text"], "blocks": json.dumps(blocks)}


def ephemerals(stub, user: str) -> list[str]:
    return [e["text"] for e in stub.of("chat.postEphemeral") if e.get("user") == user]


def test_the_plan_thread_carries_the_six_criteria_with_their_owners(gate):
    stub, server, post = gate
    assert post["thread_ts"] and "Critères de passage" in post["text"]
    assert "01/03/2027" in post["text"]
    boxes = next(b for b in blocks_of(post) if b.get("block_id") == "gate")["elements"][0]
    assert [o["value"] for o in boxes["options"]] == ORDER and "initial_options" not in boxes
    labels = {o["value"]: (o["text"]["text"], o["description"]["text"]) for o in boxes["options"]}
    assert labels["budget"] == ("Budget signé", "Responsable budget ou Direction")
    assert labels["tracking"] == ("Tracking configuré", "Analytics")
    launch_button = json.dumps(blocks_of(post), ensure_ascii=False)
    assert "Lancer l'exécution" in launch_button and len(checklists(stub)) == 1

    # the budget owner's App Home lists the campaign and what is theirs to tick
    home = event("EvHomeGate", "", "1700007300.000001")
    home["event"] = {
        "type": "app_home_opened",
        "user": "UBUDGET",
        "tab": "home",
        "channel": "DHOME",
        "event_ts": "1",
    }
    server.send(home)
    view = json.dumps(decoded(stub.wait_for("views.publish")[-1], "view"), ensure_ascii=False)
    assert "Campagnes en préparation" in view and "Lancement le 01/03/2027" in view
    assert "0/6 critères cochés · à vous : Budget signé" in view, view


def test_ticks_are_checked_against_roles_and_launch_against_open_criteria(gate):
    stub, server, post = gate
    message, db = as_message(post), server.db
    updates = lambda: len([u for u in stub.of("chat.update") if u.get("ts") == post["ts_assigned"]])  # noqa: E731

    # the campaign owner may not sign the budget: refused, naming who may; the box goes back
    server.send(tick(message, ["budget"], "UMARKETER"), form=True)
    refusal = wait_until(lambda: ephemerals(stub, "UMARKETER"), 30)[-1]
    assert "Budget signé" in refusal and "<@UBUDGET>" in refusal and "<@UDIRECTOR>" in refusal
    wait_until(lambda: updates() == 1, 30)
    assert shown(stub, post["ts_assigned"])["ticked"] == {}

    # the budget owner signs it: recorded with who, on the message
    server.send(tick(message, ["budget"], "UBUDGET"), form=True)
    wait_until(lambda: updates() == 2, 30)
    assert shown(stub, post["ts_assigned"])["ticked"]["budget"].startswith("✓ <@UBUDGET> · ")

    # Launch with five criteria open is refused, naming them
    server.send(launch(message, "UMARKETER"), form=True)
    missing = wait_until(lambda: [e for e in ephemerals(stub, "UMARKETER") if "refusé" in e], 30)
    assert "Tracking configuré" in missing[-1] and "Budget signé" not in missing[-1]

    ticked = ["budget"]
    for criterion in ORDER:
        if criterion not in ticked:
            ticked.append(criterion)
            server.send(tick(message, list(ticked), TICKER[criterion]), form=True)
    wait_until(lambda: len(shown(stub, post["ts_assigned"])["ticked"]) == 6, 30)
    assert "6/6" in shown(stub, post["ts_assigned"])["text"]

    # someone outside the launch roles cannot launch; the campaign owner can, once
    server.send(launch(message, "UBUDGET"), form=True)
    assert "lancer l'exécution" in wait_until(lambda: ephemerals(stub, "UBUDGET"), 30)[-1]
    server.send(launch(message, "UMARKETER"), form=True)
    said = wait_until(
        lambda: [p for p in stub.posts("CGATE") if "a lancé l'exécution" in p["text"]], 30
    )
    assert said[0]["thread_ts"] == post["thread_ts"] and "<@UMARKETER>" in said[0]["text"]
    final = shown(stub, post["ts_assigned"])
    assert (
        "Exécution lancée par <@UMARKETER>" in final["text"] and "gate_check" not in final["blocks"]
    )
    server.send(launch(message, "UMARKETER"), form=True)  # a second click changes nothing
    assert settled(db)

    store = Store(db)
    key = f"T1:CGATE:{post['thread_ts']}"
    assert store.gates.gate(key)["status"] == "execution"
    assert store.gates.checks(key)["budget"]["checked_by"] == "UBUDGET"
    trail = [(e["event"], e["criterion"], e["user"]) for e in store.gates.events(key)]
    assert trail[0] == ("refused", "budget", "UMARKETER")
    assert ("checked", "budget", "UBUDGET") in trail and ("launch_refused", "", "UBUDGET") in trail
    assert trail[-1] == ("launched", "", "UMARKETER") and len(said) == 1


def test_owners_of_open_criteria_are_pinged_three_days_before_the_launch(tmp_path):
    from tests.slack_stub import WebApiStub, in_process_bot

    stub, db = WebApiStub(), str(tmp_path / "bot.db")
    roles = tmp_path / "roles.yaml"
    roles.write_text(ROLES, encoding="utf-8")
    try:
        bot = in_process_bot(stub, db, marketing_bot_roles=str(roles))
        launch_day, key = date(2027, 3, 1), "T1:CMKT:1700009000.000001"
        where = {"team": "T1", "channel": "CMKT", "thread_ts": "1700009000.000001"}
        bot.store.gates.open_gate(key, where, launch_day.isoformat(), "fr")
        bot.store.gates.set_message(key, "1700009001.000001")
        for criterion in ("brief", "planning", "budget", "assets"):
            bot.store.gates.tick(key, criterion, TICKER[criterion], True)
        assert bot.gate.remind(launch_day - timedelta(days=4)) == 0  # J-4: not yet
        assert bot.gate.remind(launch_day - timedelta(days=3)) == 1
        assert bot.gate.remind(launch_day - timedelta(days=2)) == 0  # once per launch date
        stop = bot.sender.start()
        reminder = stub.wait_posts(1, "CMKT")[0]
        stop.set()
        assert reminder["thread_ts"] == where["thread_ts"] and "01/03/2027" in reminder["text"]
        assert "Tracking configuré — <@UANALYST>" in reminder["text"]
        assert "Équipes briefées — <@UMARKETER>" in reminder["text"]
        assert "Budget signé" not in reminder["text"]
    finally:
        stub.close()


def test_a_brief_in_words_then_a_correction_updates_the_plans_canvas_and_launch_date(gate):
    """The issue's /campaign example: the plan is a canvas with its tables and the thread its
    checklist; "on décale au 8 juillet, budget 40 k€" in the thread edits that canvas (and the
    budget split follows) and moves the checklist's launch date; no second canvas or checklist."""
    stub, server, _ = gate
    brief = (
        "soldes d'ete du 1 au 20 juillet, budget 30 k€, canaux meta, google ads et emailing, "
        "cible clientes 25-45"
    )
    server.send(command("/campaign", brief, channel="CSOLDES"), form=True)
    ours = lambda: [p for p in stub.posts("CSOLDES") if "gate_check" in json.dumps(blocks_of(p))]  # noqa: E731
    checklist = wait_until(lambda: next(iter(ours()), None), 60)
    opening = stub.posts("CSOLDES")[0]
    assert checklist["thread_ts"] == opening["ts_assigned"] and "01/07/2027" in checklist["text"]
    canvas_id, canvas = next(
        (k, c) for k, c in stub.canvases.items() if c["channel_id"] == "CSOLDES"
    )
    assert (
        "| Budget | 30 000 € |" in canvas["markdown"]
        and "| Lancement | 01/07/2027 |" in canvas["markdown"]
    )
    assert any(f"/docs/T1/{canvas_id}" in p["text"] for p in stub.posts("CSOLDES"))
    wait_until(
        lambda: any("Répartition budgétaire" in p["text"] for p in stub.posts("CSOLDES")), 60
    )
    assert settled(server.db)

    server.send(
        in_thread(
            "EvSoldes",
            "on decale le lancement au 8 juillet, et le budget c'est 40 k€ finalement",
            "1700007000.000001",
            opening["ts_assigned"],
        )
    )
    wait_until(lambda: canvas["edits"] == 1, 60)
    assert (
        "| Budget | 40 000 € |" in canvas["markdown"]
        and "| Lancement | 08/07/2027 |" in canvas["markdown"]
    )
    wait_until(
        lambda: [u for u in stub.of("chat.update") if u.get("ts") == checklist["ts_assigned"]], 30
    )
    assert "08/07/2027" in shown(stub, checklist["ts_assigned"])["text"]
    wait_until(lambda: any("40 000 €" in p["text"] for p in stub.posts("CSOLDES")[3:]), 60)
    assert settled(server.db) and len(ours()) == 1
    assert len([c for c in stub.canvases.values() if c["channel_id"] == "CSOLDES"]) == 1

    # a new figure stated, not a factor: the plan follows it too
    server.send(
        in_thread(
            "EvSoldes2", "le budget passe à 45 k€", "1700007000.000002", opening["ts_assigned"]
        )
    )
    wait_until(lambda: canvas["edits"] == 2, 60)
    assert "| Budget | 45 000 € |" in canvas["markdown"] and "08/07/2027" in canvas["markdown"]


def test_a_request_in_the_agent_pane_changes_the_canvas_in_view(gate):
    """With the plan's canvas in view (app_context_changed), "et si on double le budget ?" typed
    in the agent pane is applied in the campaign's thread (its split made again there) and the
    pane points to it; a new request in the pane is answered in the pane."""
    stub, server, _ = gate
    brief = "lancement appli du 3 au 30 mai, budget 20 k€, canaux meta et google ads"
    server.send(command("/campaign", brief, channel="CVIEW"), form=True)
    wait_until(lambda: any("Répartition budgétaire" in p["text"] for p in stub.posts("CVIEW")), 60)
    assert settled(server.db)
    canvas_id = next(k for k, c in stub.canvases.items() if c["channel_id"] == "CVIEW")
    entities = [
        {"type": "slack#/types/channel_id", "value": "CVIEW"},
        {"type": "slack#/types/canvas_id", "value": canvas_id},
    ]
    viewing = event("EvView", "", "1700007100.000001")
    viewing["event"] = {
        "type": "app_context_changed",
        "user": "UMARKETER",
        "channel": "DVIEW",
        "context": {"entities": entities},
        "event_ts": "1700007100.000001",
    }
    assert server.send(viewing)[0] == 200
    wait_until(lambda: Store(server.db).viewing.of("T1", "UMARKETER"), 30)

    for n, text in enumerate(
        ["et si on double le budget ?", "quels KPIs suivre pour ma newsletter ?"]
    ):
        dm = event(f"EvDm{n}", text, f"170000720{n}.000001", kind="message")
        dm["event"].update(channel="DVIEW", channel_type="im")
        server.send(dm)
        assert settled(server.db)
    opening = stub.posts("CVIEW")[0]["ts_assigned"]
    in_thread = [p["text"] for p in stub.posts("CVIEW") if p.get("thread_ts") == opening]
    assert any("40 000 €" in t for t in in_thread), in_thread  # the split, doubled, in its thread
    pane = [p["text"] for p in stub.posts("DVIEW")]
    assert any(
        "Appliqué au fil que vous regardez" in t and f"message_ts={opening}" in t for t in pane
    )
    assert any("KPI" in t for t in pane) and not any("newsletter" in t.lower() for t in in_thread)
