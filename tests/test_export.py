"""``marketing-bot export --sqlite FILE``: the team's knowledge in a portable SQLite file
(sqlite-utils), searchable with full-text search, as datasette would open it."""

from __future__ import annotations

import sqlite_utils

from graph.storage import Store
from tests.cli import run_cli
from tests.test_experiments import _chat


def _export(db: str, target: str, *extra: str) -> str:
    return run_cli("export", "--sqlite", target, *extra, env={"MARKETING_BOT_DB": db}).stdout


def test_experiments_deliverables_and_the_escalation_trail_are_exported_and_searchable(tmp_path):
    db, target = str(tmp_path / "bot.db"), str(tmp_path / "knowledge.db")
    _chat(
        db,
        "we want to test free shipping over $50 on the cart page, baseline 2%, mde 20%, 10k visitors/day",
        "final numbers: A 40000 visitors 800 orders, B 40000 visitors 700 orders. learnings: people read it as a price hike",
    )
    _chat(db, "le lead Martin a un score de 91, directeur marketing, tu le scores ?")

    gates = Store(db).gates  # a campaign's go/no-go checklist, ticked once (bot/gate.py)
    where = {"team": "T1", "channel": "CMKT", "thread_ts": "1.000001"}
    gates.open_gate("T1:CMKT:1.000001", where, "2027-03-01", "fr")
    gates.tick("T1:CMKT:1.000001", "budget", "UBUDGET", True)

    printed = _export(db, target)
    out = sqlite_utils.Database(target)
    assert "1 experiments" in printed and target in printed
    assert set(out.table_names()) >= {
        "experiments",
        "deliverables",
        "escalations",
        "escalation_events",
    }
    found = list(out["experiments"].search("price hike"))
    assert len(found) == 1 and found[0]["status"] == "rejected"
    assert "lowers the conversion rate" in found[0]["learnings"]
    assert out["deliverables"].count >= 3 and list(out["deliverables"].search("shipping"))
    hot = [e for e in out["escalations"].rows if e["rule"] == "hot-lead"]
    assert len(hot) == 1 and "91" in hot[0]["evidence"]
    trail = list(out["escalation_events"].rows_where("escalation_id = ?", [hot[0]["id"]]))
    assert [e["event"] for e in trail][:1] == ["raised"]
    assert out["escalation_events"].foreign_keys[0].other_table == "escalations"
    assert not {"jobs", "outbox", "leases", "events"} & set(out.table_names())
    (gate,) = out["gates"].rows
    assert gate["launch_date"] == "2027-03-01" and gate["checked"] == "budget"
    assert [(e["event"], e["user"]) for e in out["gate_events"].rows] == [("checked", "UBUDGET")]
    assert out["gate_events"].foreign_keys[0].other_table == "gates"

    _export(db, target, "--team", "TOTHER")  # another workspace's export holds none of this
    other = sqlite_utils.Database(target)
    assert other["experiments"].count == other["escalations"].count == other["gates"].count == 0
    assert other["deliverables"].count == 0 and list(other["experiments"].search("price")) == []
