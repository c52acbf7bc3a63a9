"""Slash commands, modals, buttons, App Home and long deliverables, through `marketing-bot serve`:
signed form-encoded requests as Slack sends them, and a local Web API stand-in."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time

import pytest

from tests.cli import run_chat, run_cli
from tests.slack_stub import (
    ESCALATIONS,
    as_message,
    blocks_of,
    decoded,
    event,
    open_modal,
    running_server,
)
from tests.waiting import settled, wait_until


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("native")
    (folder / "roles.yaml").write_text("sales: USALES\n", encoding="utf-8")
    with running_server(
        str(folder / "bot.db"), {"MARKETING_BOT_ROLES": str(folder / "roles.yaml")}
    ) as pair:
        yield pair


def command(name: str, text: str = "", user: str = "UMARKETER", channel: str = "CMKT") -> dict:
    return {
        "token": "x",
        "team_id": "T1",
        "team_domain": "example",
        "channel_id": channel,
        "channel_name": "marketing",
        "user_id": user,
        "user_name": "marketer",
        "command": name,
        "text": text,
        "api_app_id": "A1",
        "response_url": "https://hooks.slack.invalid/commands/1",
        "trigger_id": f"trigger-{name}-{time.time()}",
    }


def interaction(payload: dict) -> dict:
    return {
        "payload": json.dumps(
            {"team": {"id": "T1", "domain": "example"}, "api_app_id": "A1", "token": "x", **payload}
        )
    }


def submission(view: dict, values: dict, user: str = "UMARKETER") -> dict:
    """A view_submission of ``view`` (as views.open received it) with ``values`` {block_id: element state}."""
    return interaction(
        {
            "type": "view_submission",
            "user": {"id": user},
            "trigger_id": "trigger-submit",
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": view["callback_id"],
                "private_metadata": view["private_metadata"],
                "state": {"values": values},
            },
        }
    )


def click(action_id: str, value: str, channel: str, message: dict, user: str = "UMARKETER") -> dict:
    return interaction(
        {
            "type": "block_actions",
            "user": {"id": user},
            "trigger_id": "trigger-click",
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
            "message": message,
            "actions": [
                {
                    "action_id": action_id,
                    "value": value,
                    "type": "button",
                    "block_id": action_id,
                    "action_ts": str(time.time()),
                }
            ],
        }
    )


def campaign_values(budget: str, start: str, end: str | None, channel: str) -> dict:
    return {
        "objective": {
            "value": {"type": "plain_text_input", "value": "Lancer l'offre Pro auprès des PME"}
        },
        "campaign_type": {
            "value": {"type": "static_select", "selected_option": {"value": "lancement"}}
        },
        "start_date": {"value": {"type": "datepicker", "selected_date": start}},
        "end_date": {"value": {"type": "datepicker", "selected_date": end}},
        "budget": {"value": {"type": "plain_text_input", "value": budget}},
        "channels": {
            "value": {
                "type": "multi_static_select",
                "selected_options": [{"value": "SEA"}, {"value": "LinkedIn"}, {"value": "Email"}],
            }
        },
        "target": {"value": {"type": "plain_text_input", "value": "DAF de PME"}},
        "key_message": {"value": {"type": "plain_text_input", "value": "La finance sans tableur"}},
        "post_channel": {
            "value": {"type": "conversations_select", "selected_conversation": channel}
        },
    }


def test_campaign_command_opens_the_brief_and_posts_the_campaign_thread(slack):
    stub, server = slack
    view, elapsed = open_modal(stub, server, command("/campaign"))
    assert elapsed < 3
    assert view["callback_id"] == "campaign_brief" and view["title"]["text"] == "Brief campagne"
    assert {
        "objective",
        "campaign_type",
        "start_date",
        "end_date",
        "budget",
        "channels",
        "target",
        "key_message",
    } <= {b.get("block_id") for b in view["blocks"]}
    types = next(b for b in view["blocks"] if b.get("block_id") == "campaign_type")["element"][
        "options"
    ]
    assert [o["text"]["text"] for o in types] == [
        "Lancement",
        "Saisonnière",
        "Always-on",
        "Flash",
        "Événementielle",
        "Brand",
    ]

    status, _ = server.send(
        submission(view, campaign_values("60 k€", "2027-03-01", "2027-04-15", "CCAMP")), form=True
    )
    assert status == 200 and server.last_body == ""
    wait_until(
        lambda: any(p["text"].endswith("› Répartition budgétaire") for p in stub.posts("CCAMP")), 30
    )  # the brief, then the plan and the budget split, each in as many messages as it has tables
    posts = stub.posts("CCAMP")
    brief, summary, split = posts[0], posts[1], "\n".join(p["text"] for p in posts[2:])
    assert "thread_ts" not in brief and "Brief campagne — Lancement" in brief["text"]
    assert all(p["thread_ts"] == brief["ts_assigned"] for p in posts[1:])
    # the plan (several tables) is a canvas tabbed in the channel; the thread links it
    (canvas_id, canvas), *others = stub.canvases.items()
    plan = canvas["markdown"]
    assert not others and canvas["channel_id"] == "CCAMP" and canvas["title"].startswith("Plan")
    assert f"https://stub.slack.com/docs/T1/{canvas_id}" in summary["text"]
    assert summary["text"].endswith("Campagnes › Planning de campagne")
    assert "Critères de passage" in plan and "| Lancement | 01/03/2027 |" in plan
    assert "| Fin de campagne | 15/04/2027 |" in plan
    # every field of the form reaches the plan: its budget, objective, target and key message
    assert "| Budget | 60 000 € |" in plan and "non fourni" not in plan, plan
    assert (
        "- Objectif : Lancer l'offre Pro auprès des PME" in plan and "- Cible : DAF de PME" in plan
    )
    assert "- Message clé : La finance sans tableur" in plan and "- [ ] Budget signé" in plan
    # the budget split (one table) stays a message of the thread
    assert "60 000 €" in split and all(c in split for c in ("SEA", "LinkedIn", "Email"))
    assert sum(b["type"] == "table" for b in blocks_of(posts[-1])) == 1 and "|---|" not in split

    # A later question in the campaign thread goes to a campaign specialist.
    server.send(
        event(
            "EvCamp",
            "et on en est où des résultats ?",
            "1700000200.000001",
            brief["ts_assigned"],
            "message",
        )
        | {
            "event": {
                "type": "message",
                "channel_type": "channel",
                "user": "UMARKETER",
                "text": "Comment coordonner les équipes et les canaux ?",
                "ts": "1700000200.000001",
                "thread_ts": brief["ts_assigned"],
                "channel": "CCAMP",
                "event_ts": "1700000200.000001",
            }
        }
    )
    wait_until(
        lambda: any("Campagnes ›" in p["text"] for p in stub.posts("CCAMP")[len(posts) :]), 30
    )  # the answer may come in several messages (one table each); its last one names the path
    follow = stub.posts("CCAMP")[len(posts) :]
    assert (
        follow
        and all(p["thread_ts"] == brief["ts_assigned"] for p in follow)
        and "Campagnes ›" in follow[-1]["text"]
    ), follow


@pytest.mark.parametrize(
    "budget, end, field",
    [
        ("-5000", "2027-04-15", "budget"),
        ("50000", "2027-02-01", "end_date"),
        ("beaucoup", None, "budget"),
    ],
)
def test_invalid_brief_gets_field_errors_and_posts_nothing(slack, budget, end, field):
    stub, server = slack
    view, _ = open_modal(stub, server, command("/campaign", channel="CINVALID"))
    status, _ = server.send(
        submission(view, campaign_values(budget, "2027-03-01", end, "CINVALID")), form=True
    )
    body = json.loads(server.last_body)
    assert status == 200 and body["response_action"] == "errors" and list(body["errors"]) == [field]
    assert settled(server.db)
    assert stub.posts("CINVALID") == []


def test_acknowledge_updates_the_notice_once(slack):
    stub, server = slack
    server.send(
        event(
            "EvHot", "<@UBOT> Un lead scoré 85 vient d'arriver, on fait quoi ?", "1700000300.000001"
        )
    )
    notice = stub.wait_posts(1, ESCALATIONS)[-1]
    button = next(b for b in blocks_of(notice) if b.get("block_id") == "escalation_actions")[
        "elements"
    ][0]
    assert button["action_id"] == "acknowledge_escalation" and "<@USALES>" in notice["text"]
    message = as_message(notice)
    assert (
        server.send(
            click("acknowledge_escalation", button["value"], ESCALATIONS, message, "USALES"),
            form=True,
        )[0]
        == 200
    )
    update = stub.wait_for("chat.update")[-1]
    blocks = blocks_of(update)
    assert update["ts"] == notice["ts_assigned"] and update["channel"] == ESCALATIONS
    assert "Pris en charge par <@USALES>" in json.dumps(blocks, ensure_ascii=False)
    assert not any(b.get("block_id") == "escalation_actions" for b in blocks)
    server.send(
        click("acknowledge_escalation", button["value"], ESCALATIONS, message, "USALES"), form=True
    )  # replayed
    assert settled(server.db)
    assert len(stub.of("chat.update")) == 1


def in_thread(stub, thread_ts: str, count: int) -> list[dict]:
    """Wait for ``count`` posts in the thread ``thread_ts`` of CMKT; returns them."""
    posts = lambda: [p for p in stub.posts("CMKT") if p.get("thread_ts") == thread_ts]  # noqa: E731
    wait_until(lambda: len(posts()) >= count, 20)
    return posts()


def test_choice_button_answers_once_and_defaults_button(slack):
    stub, server = slack
    server.send(event("EvAmb", "<@UBOT> A/B test sur la home", "1700000400.000001"))
    choice = in_thread(stub, "1700000400.000001", 1)[0]
    assert "choose_agent_2" in json.dumps(blocks_of(choice))
    message = as_message(choice)
    server.send(click("choose_agent_2", "experimentation", "CMKT", message), form=True)
    asked = in_thread(stub, "1700000400.000001", 2)[-1]
    assert "(Expérimentation)" in asked["text"] and "il me manque" in asked["text"]
    server.send(
        click("choose_agent_2", "experimentation", "CMKT", message), form=True
    )  # replayed click
    assert settled(server.db)
    assert len(in_thread(stub, "1700000400.000001", 2)) == 2

    server.send(
        event("EvDef", "<@UBOT> Crée une séquence de nurturing pour nos leads", "1700000500.000001")
    )
    question = in_thread(stub, "1700000500.000001", 1)[0]
    assert "use_defaults" in json.dumps(blocks_of(question))
    message = as_message(question)
    server.send(click("use_defaults", "multi-touch-sequences", "CMKT", message), form=True)
    plan = in_thread(stub, "1700000500.000001", 2)[-1]
    assert "5 messages sur 21 jours" in with_canvases(stub, plan["text"])


def test_text_commands_help_and_app_home(slack):
    stub, server = slack
    server.send(
        command(
            "/abtest",
            "A : 10000 visiteurs, 500 conversions ; B : 10000 visiteurs, 580 conversions",
            channel="CTXT",
        ),
        form=True,
    )
    opener, readout = stub.wait_posts(2, "CTXT")
    assert (
        "/abtest" in opener["text"]
        and readout["thread_ts"] == opener["ts_assigned"]
        and "0,0123" in readout["text"]
    )

    not_in = command(
        "/kpi", "ROAS avec 12 000 € de dépense et 48 000 € de CA ?", channel="CNOTIN"
    ) | {"response_url": stub.url + "response"}
    server.send(not_in, form=True)
    told = json.loads(stub.wait_for("response")[-1]["content"])
    assert (
        told["response_type"] == "ephemeral"
        and "invitez-moi" in told["text"]
        and "not_in_channel" in told["text"]
    )

    status, _ = server.send(command("/marketing", "help", user="UENGLISH"), form=True)
    body = json.loads(server.last_body)
    assert (
        status == 200
        and body["response_type"] == "ephemeral"
        and "Lead scoring" in body["text"]
        and "lead-scoring" not in body["text"]
        and "My specialists" in body["text"]
    )

    server.send(
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "EvHome",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": "UMARKETER",
                "channel": "DHOME",
                "tab": "home",
            },
        }
    )
    home = stub.wait_for("views.publish")[-1]
    view = decoded(home, "view")
    text = json.dumps(view, ensure_ascii=False)
    assert home["user_id"] == "UMARKETER" and view["type"] == "home"
    assert (
        "Derniers livrables" in text
        and "Lecture du test A/B" in text
        and "open_command_campaign" in text
    )

    opened_before = len(stub.of("views.open"))
    server.send(
        interaction(
            {
                "type": "block_actions",
                "user": {"id": "UENGLISH"},
                "trigger_id": "trigger-home",
                "container": {"type": "view", "view_id": "VHOME"},
                "actions": [
                    {
                        "action_id": "open_command_campaign",
                        "type": "button",
                        "block_id": "shortcuts",
                    }
                ],
            }
        ),
        form=True,
    )
    opened = stub.wait_for("views.open", count=opened_before + 1)[-1]
    view = decoded(opened, "view")
    assert (
        opened["trigger_id"].startswith("trigger-home@")
        and view["title"]["text"] == "Campaign brief"
    )


def test_the_messages_tab_gets_prompts_each_time_and_a_greeting_once(slack):
    """Agent messaging experience: app_home_opened with tab "messages" replaces
    assistant_thread_started; prompts are set without thread_ts (Slack ignores calls with one from
    agent apps); the greeting is posted once per user however often the tab is opened."""
    stub, server = slack
    before = len(stub.of("assistant.threads.setSuggestedPrompts"))
    for n in (1, 2):
        opened = {"type": "app_home_opened", "user": "UENGLISH", "channel": "DAGENT"}
        server.send(
            {
                "token": "x",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": f"EvTab{n}",
                "event_time": int(time.time()),
                "event": {**opened, "tab": "messages", "event_ts": f"1700000650.00000{n}"},
            }
        )
    calls = stub.wait_for("assistant.threads.setSuggestedPrompts", before + 2)[before:]
    assert all(c["channel_id"] == "DAGENT" and "thread_ts" not in c for c in calls)
    assert decoded(calls[-1], "prompts")[0]["title"] == "Plan a campaign"
    assert settled(server.db)
    greetings = stub.posts("DAGENT")
    assert len(greetings) == 1 and "thread_ts" not in greetings[0]
    assert greetings[0]["text"].startswith("Hi! I am your marketing operations team")


def test_assistant_pane_prompts_status_title_and_answer(slack):
    stub, server = slack
    started = {
        "type": "assistant_thread_started",
        "event_ts": "1700000600.000001",
        "assistant_thread": {
            "user_id": "UENGLISH",
            "channel_id": "DASSIST",
            "thread_ts": "1700000600.000001",
            "context": {},
        },
    }
    server.send(
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "EvAs1",
            "event_time": int(time.time()),
            "event": started,
        }
    )
    prompts = stub.wait_for("assistant.threads.setSuggestedPrompts")[-1]
    prompts = decoded(prompts, "prompts")
    assert len(prompts) == 4 and prompts[0]["title"] == "Plan a campaign"
    message = {
        "type": "message",
        "channel_type": "im",
        "user": "UENGLISH",
        "channel": "DASSIST",
        "text": "Where do we lose users? visits 8000, signup 1200, paid 90",
        "ts": "1700000600.000002",
        "thread_ts": "1700000600.000001",
        "event_ts": "1700000600.000002",
    }
    server.send(
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "EvAs2",
            "event_time": int(time.time()),
            "event": message,
        }
    )
    assert stub.wait_for("assistant.threads.setStatus")[0]["status"] == "is thinking…"
    assert stub.wait_for("assistant.threads.setTitle")[-1]["title"].startswith(
        "Where do we lose users"
    )
    answer = stub.wait_posts(2, "DASSIST")[-1]
    assert answer["thread_ts"] == "1700000600.000001" and "Funnel diagnostic" in answer["text"]
    working = stub.wait_for("assistant.threads.setStatus", 2)[
        1
    ]  # once routed, the status names the specialist
    assert "Marketing analytics → Funnel diagnostic" in working[
        "status"
    ] and "Funnel diagnostic" in json.dumps(working["loading_messages"])


def _post_ice_backlog(stub, db: str, channel: str) -> None:
    """A 600-idea ICE backlog posted in a thread of ``channel`` through the outbox (a table longer
    than a table block's 100 rows), once the outbox has sent it."""
    from graph.document import Deliverable, Section, Table
    from graph.threads import Thread

    ideas = Table(
        columns=["Idée", "I", "C", "E"],
        rows=[[f"Idée {n}", str(n % 10 + 1), "7", "6"] for n in range(600)],
    )
    item = Deliverable(
        agent="growth-hacking",
        lang="fr",
        title="Priorisation ICE",
        fields=[("Idées", "600")],
        sections=[Section(heading="Classement", parts=[ideas])],
        method="ICE.",
        path=["marketing-ops", "acquisition", "growth-hacking"],
    ).model_dump()
    sent(stub, db, Thread("T1", channel, "1700000700.000001"), [item])


def sent(stub, db: str, thread, items: list[dict]) -> None:
    """``items`` posted in ``thread`` by a bot on ``db`` through its outbox, once all are sent."""
    from slack_sdk import WebClient

    from bot.app import SlackBot
    from bot.config import Settings
    from graph.conversations import Conversations

    bot = SlackBot(
        Settings(slack_bot_token="xoxb-test", escalation_channel="C1"),
        Conversations(db),
        WebClient(token="xoxb-test", base_url=stub.url),
    )
    for n, item in enumerate(items):
        bot.post(thread, item, f"item:{n}")
    stop = bot.sender.start()  # the outbox sends them
    assert settled(bot.conversations.store)
    stop.set()


def test_a_table_too_long_for_a_table_block_is_whole_in_a_canvas_linked_from_the_thread(
    slack, tmp_path
):
    stub, _ = slack
    _post_ice_backlog(stub, str(tmp_path / "b.db"), "CCANVAS")
    canvas_id, canvas = next(
        (k, c) for k, c in stub.canvases.items() if c["channel_id"] == "CCANVAS"
    )
    assert canvas["title"] == "Priorisation ICE" and "| Idée 599 |" in canvas["markdown"]
    (summary,) = stub.posts("CCANVAS")
    assert summary["thread_ts"] == "1700000700.000001"
    assert f"https://stub.slack.com/docs/T1/{canvas_id}" in summary["text"]
    assert not any(b["type"] == "table" for b in blocks_of(summary))


def test_without_canvases_a_long_table_is_cut_and_the_whole_deliverable_attached(slack, tmp_path):
    stub, _ = slack
    stub.errors["canvases.create"] = "canvas_disabled_user_team"  # a team without canvases
    try:
        _post_ice_backlog(stub, str(tmp_path / "b.db"), "CLONG")
    finally:
        del stub.errors["canvases.create"]
    posted = stub.posts("CLONG")[-1]
    blocks = blocks_of(posted)
    table = next(b for b in blocks if b["type"] == "data_table")  # a long list: paginated
    assert (
        len(blocks) <= 50
        and len(table["rows"]) == 101
        and table["caption"] == "Classement"
        and "fichier Markdown" in json.dumps(blocks, ensure_ascii=False)
    )
    done = next(
        c for c in stub.of("files.completeUploadExternal") if c.get("channel_id") == "CLONG"
    )
    assert done["thread_ts"] == "1700000700.000001"
    uploaded = [
        u["content"] for u in stub.of("upload") if u["content"].startswith("# Priorisation ICE")
    ]
    assert len(uploaded) == 1 and "| Idée 599 |" in uploaded[0]


def test_a_300_row_leads_file_is_a_paginated_list_and_whole_in_its_canvas(slack):
    """Every lead scored in the canvas; the thread's summary holds the first 100 as a data_table
    (paginated, sortable) and says the canvas has all 300; a workspace without data tables gets a
    table block instead."""
    stub, server = slack
    rows = "".join(f"Lead {n},Marketing manager,{50 + n},{n % 3},no\n" for n in range(300))
    csv_text = "name,title,company_size,pricing_visits,demo_requested\n" + rows
    for n, tables in enumerate((True, False)):
        stub.data_tables = tables
        leads = stub.add_file(f"FLEADS{n}", "leads.csv", csv_text.encode())
        ts = f"1700008{n}00.000001"
        server.send(file_mention(f"EvLeads{n}", "<@UBOT> score ces leads", ts, [leads]))
        wait_until(lambda: thread_post(stub, "CDATA", ts, 60) and settled(server.db), 60)
        (summary,) = [p for p in stub.posts("CDATA") if p.get("thread_ts") == ts]
        whole = [c for c in stub.canvases.values() if "| Lead 299 |" in c["markdown"]]
        assert len(whole) == n + 1 and all(
            f"| Lead {k} |" in whole[-1]["markdown"] for k in range(300)
        )
        blocks = blocks_of(summary)
        native = [b for b in blocks if b["type"] in ("table", "data_table")]
        assert len(native) == 1 and native[0]["type"] == ("data_table" if tables else "table")
        shown = [row[0]["text"] for row in native[0]["rows"][1:]]
        assert len(shown) == (100 if tables else 99) and all(r.startswith("Lead ") for r in shown)
        assert "Les 100 premières lignes sur 300" in json.dumps(blocks, ensure_ascii=False)
    stub.data_tables = True


def file_mention(event_id: str, text: str, ts: str, files: list[dict]) -> dict:
    body = event(event_id, text, ts)
    body["event"].update(files=files, channel="CDATA")
    return body


def thread_post(stub, channel: str, thread_ts: str, timeout: float = 30) -> dict:
    """The first message posted in the thread ``thread_ts`` of ``channel``, once there is one."""
    wait_until(lambda: [p for p in stub.posts(channel) if p.get("thread_ts") == thread_ts], timeout)
    return next(p for p in stub.posts(channel) if p.get("thread_ts") == thread_ts)


def test_journeys_csv_shared_in_a_thread_gets_credit_and_a_chart(slack):
    stub, server = slack
    csv = b"path,conversions,nulls,value\nsearch > display > email,30,70,3000\nsearch,10,90,800\ndisplay > email,20,80,1500\nemail,15,85,900\n"
    server.send(
        file_mention(
            "EvFile1",
            "<@UBOT> quel canal mérite le crédit ?",
            "1700001000.000001",
            [stub.add_file("FJOURNEYS", "parcours.csv", csv)],
        )
    )
    answer = thread_post(
        stub, "CDATA", "1700001000.000001"
    )  # the shared server may still post another test's messages here
    read = with_canvases(stub, answer["text"])
    assert (
        answer["thread_ts"] == "1700001000.000001"
        and "Data-driven (Markov)" in read
        and "parcours.csv" in read
    )
    assert ("FJOURNEYS", "Bearer xoxb-test") in stub.downloads
    wait_until(
        lambda: [
            u
            for u in stub.of("files.completeUploadExternal")
            if u.get("thread_ts") == "1700001000.000001"
        ],
        30,
    )  # another test's upload may come first on the shared server
    done = [
        u
        for u in stub.of("files.completeUploadExternal")
        if u.get("thread_ts") == "1700001000.000001"
    ]
    assert done and done[0]["channel_id"] == "CDATA"
    assert any(p["bytes"].startswith(b"\x89PNG") for p in stub.of("upload"))


def test_csv_with_a_missing_column_is_named_and_the_thread_goes_on(slack):
    stub, server = slack
    before = len(stub.posts("CDATA"))
    server.send(
        file_mention(
            "EvFile2",
            "<@UBOT> attribution de nos conversions",
            "1700001100.000001",
            [stub.add_file("FBAD", "export.csv", b"journey_id,channel,converted\nj1,email,1\n")],
        )
    )
    posts = stub.wait_posts(before + 2, "CDATA")[before:]
    assert (
        "colonne manquante « timestamp »" in posts[0]["text"] and "export.csv" in posts[0]["text"]
    )
    assert "il me manque" in posts[1]["text"] and posts[1]["thread_ts"] == "1700001100.000001"
    server.send(
        event(
            "EvFile3", "SEA, email et social", "1700001100.000002", "1700001100.000001", "message"
        )
        | {
            "event": {
                "type": "message",
                "channel_type": "channel",
                "user": "UMARKETER",
                "text": "SEA, email et social",
                "ts": "1700001100.000002",
                "thread_ts": "1700001100.000001",
                "channel": "CDATA",
                "event_ts": "1700001100.000002",
            }
        }
    )
    example = stub.wait_posts(before + 3, "CDATA")[before + 2]  # the deliverable's first message
    assert "Attribution — SEA, Email, Social" in example["text"]


def test_feedback_buttons_store_a_thumbs_down_with_its_reason(slack):
    stub, server = slack
    server.send(
        event(
            "EvFb",
            "<@UBOT> Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €",
            "1700001200.000001",
        )
    )
    post = in_thread(stub, "1700001200.000001", 2)[
        -1
    ]  # the KPI sheet's second table ends it, with the buttons
    buttons = next(b for b in blocks_of(post) if b["type"] == "context_actions")["elements"][0]
    assert buttons["type"] == "feedback_buttons"
    opened = len(stub.of("views.open"))
    server.send(
        click(
            "deliverable_feedback",
            buttons["negative_button"]["value"],
            "CMKT",
            as_message(post),
            "UREADER",
        ),
        form=True,
    )
    view = decoded(stub.wait_for("views.open", opened + 1)[-1], "view")
    assert view["callback_id"] == "deliverable_feedback"
    server.send(
        submission(
            view,
            {
                "reason": {
                    "value": {
                        "type": "plain_text_input",
                        "value": "Le CPA ne tient pas compte des remises",
                    }
                }
            },
            "UREADER",
        ),
        form=True,
    )
    server.send(
        click(
            "deliverable_feedback",
            buttons["positive_button"]["value"],
            "CMKT",
            as_message(post),
            "UFAN",
        ),
        form=True,
    )
    cli = [sys.executable, "-m", "bot", "feedback", "--csv", "--db", server.db]
    assert settled(server.db)
    rows = list(
        csv.DictReader(
            io.StringIO(subprocess.run(cli, capture_output=True, text=True, check=True).stdout)
        )
    )
    mine = {r["user"]: r for r in rows if r["thread_key"].endswith("1700001200.000001")}
    assert (
        mine["UREADER"]["rating"] == "down"
        and mine["UREADER"]["reason"] == "Le CPA ne tient pas compte des remises"
    )
    assert (
        mine["UREADER"]["agent"] == "kpi-tracking"
        and mine["UREADER"]["path"].endswith("kpi-tracking")
        and mine["UFAN"]["rating"] == "up"
    )
    stats = run_cli("stats", "--db", server.db).stdout
    assert re.search(r"kpi-tracking\s+1\s+1", stats), stats


def test_command_modals_open_within_the_trigger_ids_3_seconds(tmp_path):
    """Right after start-up, warm, and while 20 mentions are being answered: /campaign's modal
    (and /experiments add's) opens before its trigger_id expires (the stand-in refuses views.open
    3 s after the command was sent, as Slack does)."""
    with running_server(str(tmp_path / "bot.db")) as (stub, server):
        ask = "<@UBOT> Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €"
        server.send(command("/campaign"), form=True)  # the first request the server gets
        stub.wait_for("views.open", 1)
        server.send(command("/experiments", "add"), form=True)
        stub.wait_for("views.open", 2)
        for n in range(20):
            server.send(event(f"EvBusy{n}", ask, f"1700003000.{n:06d}"))
        server.send(command("/campaign"), form=True)
        opened = stub.wait_for("views.open", 3)
        assert len(opened) == 3 and not [o for o in opened if o.get("expired")], opened
        assert [decoded(o, "view")["callback_id"] for o in opened] == [
            "campaign_brief",
            "experiment_idea",
            "campaign_brief",
        ]


def abtest_values(
    channel: str, results: str = "", baseline: str = "", mde: str = "", traffic: str = ""
) -> dict:
    text = lambda value: {"value": {"type": "plain_text_input", "value": value}}  # noqa: E731
    return {
        "baseline": text(baseline),
        "mde": text(mde),
        "daily_traffic": text(traffic),
        "results": text(results),
        "post_channel": {
            "value": {"type": "conversations_select", "selected_conversation": channel}
        },
    }


def thread_text(stub, channel: str, needle: str, timeout: float = 30) -> str:
    """What a user reads in ``channel`` once a message contains ``needle``: every message posted
    (the top-level one and its thread), then the canvases they link, opened."""
    found = wait_until(lambda: any(needle in p["text"] for p in stub.posts(channel)), timeout)
    assert found, f"{needle!r} never posted in {channel}"
    return with_canvases(stub, "\n".join(p["text"] for p in stub.posts(channel)))


def with_canvases(stub, text: str) -> str:
    """``text`` followed by the Markdown of each canvas it links."""
    opened = [c["markdown"] for k, c in stub.canvases.items() if f"/docs/T1/{k}|" in text]
    return "\n".join([text, *opened])


def test_abtest_and_specialist_forms_reach_their_specialist(slack):
    """The /abtest form with a finished test's results posts the readout; with a plan's inputs,
    the sample size; the /kpi form's request reaches kpi-tracking."""
    stub, server = slack
    view, _ = open_modal(stub, server, command("/abtest", channel="CABR"))
    results = "A : 10000 visiteurs, 500 conversions ; B : 10000 visiteurs, 580 conversions"
    assert (
        server.send(submission(view, abtest_values("CABR", results=results)), form=True)[0] == 200
        and server.last_body == ""
    )
    readout = thread_text(stub, "CABR", "Lecture du test A/B")
    assert (
        "Lecture du test A/B" in readout
        and "p-value : 0,0123" in readout
        and "spécialistes" not in readout
    ), readout

    view, _ = open_modal(stub, server, command("/abtest", channel="CABP"))
    server.send(
        submission(view, abtest_values("CABP", baseline="3 %", mde="+0,5 point", traffic="2000")),
        form=True,
    )
    assert "19 716" in thread_text(stub, "CABP", "19 716")

    view, _ = open_modal(stub, server, command("/kpi", channel="CKPI"))
    request = {
        "request": {
            "value": {
                "type": "plain_text_input",
                "value": "visiteurs 20000, conversions 400, CA 30000 €, dépense 6000 €",
            }
        },
        "post_channel": {
            "value": {"type": "conversations_select", "selected_conversation": "CKPI"}
        },
    }
    server.send(submission(view, request), form=True)
    sheet = thread_text(stub, "CKPI", "Fiche KPIs")
    assert "2,00 %" in sheet and "ROAS" in sheet, sheet


LIVE = re.compile(
    r"<!(?:channel|here|everyone)[^>]*>|<@U0VICTIM1>"
)  # mentions that would ping people


def test_user_text_shown_back_pings_nobody(slack):
    """A slash command's text, a test's name and a campaign brief with <!channel>, <!here> or a
    user mention come back escaped: they read the same and notify nobody."""
    stub, server = slack
    server.send(
        command(
            "/kpi",
            "<!channel> ROAS avec 12 000 € de dépenses et 54 000 € de revenus <@U0VICTIM1>",
            channel="CESC",
        ),
        form=True,
    )
    first = stub.wait_posts(1, "CESC")[0]
    assert "&lt;!channel&gt;" in first["text"] and "&lt;@U0VICTIM1&gt;" in first["text"], first[
        "text"
    ]
    assert "Suivi des KPIs" in thread_text(stub, "CESC", "Suivi des KPIs")
    server.send(
        event(
            "EvEsc",
            "<@UBOT> plan de test A/B pour « <!here> CTA vert & rouge » sur la page pricing : baseline 3 %, "
            "je veux détecter +0,5 point, 2000 visiteurs par jour",
            "1700004400.000001",
        )
    )
    plan = thread_text(stub, "CMKT", "19 716")
    assert "&lt;!here&gt; CTA vert &amp; rouge" in plan, plan
    view, _ = open_modal(stub, server, command("/campaign", channel="CESC2"))
    values = campaign_values("60 k€", "2027-03-01", "2027-04-15", "CESC2")
    values["objective"] = {
        "value": {"type": "plain_text_input", "value": "<!everyone> lancer l'offre Pro"}
    }
    server.send(submission(view, values), form=True)
    thread_text(stub, "CESC2", "› Répartition budgétaire")
    for call in stub.calls:
        if call[0] in ("chat.postMessage", "chat.update", "chat.stopStream"):
            shown = json.dumps({k: call[1].get(k) for k in ("text", "blocks")}, ensure_ascii=False)
            assert not LIVE.search(shown), shown


def test_csv_the_bot_uploads_carries_no_formula(slack):
    """A shared journeys file whose channels are spreadsheet formulas: the chart data CSV the bot
    uploads shows them as text (a leading apostrophe), never as a cell starting with = + - @ tab or CR."""
    stub, server = slack
    rows = [
        '"=HYPERLINK(""http://evil.example/x"",""Cliquez ici"")",30,70',
        "\"+cmd|' /C calc'!A0 > email\",10,90",
        "search > email,20,80",
        "@SUM(1+1) > search,15,85",
    ]
    journeys = ("path,conversions,nulls\n" + "\n".join(rows) + "\n").encode()
    uploads_before = len(stub.of("upload"))
    server.send(
        file_mention(
            "EvFormula",
            "<@UBOT> quel canal mérite le crédit ?",
            "1700001500.000001",
            [stub.add_file("FFORMULA", "formules.csv", journeys)],
        )
    )
    wait_until(
        lambda: any(
            u["content"].startswith(("x", ",")) for u in stub.of("upload")[uploads_before:]
        ),
        30,
    )
    tables = [
        list(csv.reader(io.StringIO(u["content"])))
        for u in stub.of("upload")[uploads_before:]
        if not u["bytes"].startswith(b"\x89PNG")
    ]
    cells = [cell for table in tables for row in table for cell in row]
    assert any("HYPERLINK" in c for c in cells), tables
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], tables


def test_exports_neutralise_formula_cells():
    from bot.csv_export import write_rows

    out = io.StringIO()
    write_rows(out, [["name", "lift"], ["=1+1", -3.5], ["@cmd", 2], ["-x", None], ["plain", 1.0]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "lift"],
        ["'=1+1", "-3.5"],
        ["'@cmd", "2"],
        ["'-x", ""],
        ["plain", "1.0"],
    ]


def test_a_replayed_command_or_submission_opens_one_thread(slack):
    """The same signed /kpi request, or the same campaign form submission, sent twice (a proxy's
    retry, a double submit) opens one thread."""
    from tests.slack_stub import stamped

    stub, server = slack
    once = stamped(
        command("/kpi", "visiteurs 20000, conversions 400, CA 30000 €", channel="CREPLAY")
    )
    assert (
        server.send(once, form=True, stamp=False)[0] == 200
        and server.send(once, form=True, stamp=False)[0] == 200
    )
    view, _ = open_modal(stub, server, command("/campaign", channel="CREPLAY2"))
    submitted = stamped(
        submission(view, campaign_values("60 k€", "2027-03-01", "2027-04-15", "CREPLAY2"))
    )
    assert (
        server.send(submitted, form=True, stamp=False)[0] == 200
        and server.send(submitted, form=True, stamp=False)[0] == 200
    )
    thread_text(stub, "CREPLAY", "Fiche KPIs")
    thread_text(stub, "CREPLAY2", "› Répartition budgétaire")
    assert settled(server.db)
    assert len([p for p in stub.posts("CREPLAY") if "thread_ts" not in p]) == 1
    assert len([p for p in stub.posts("CREPLAY2") if "thread_ts" not in p]) == 1


def test_a_follow_up_in_the_thread_is_applied_to_the_previous_request(slack):
    """In Slack as in the chat: "et si on double le budget ?" in the thread of a budget split
    splits twice the budget, and "merci !" gets a short reply, not the split again."""
    stub, server = slack
    thread = "1700007700.000001"
    server.send(
        event(
            "EvSplit",
            "<@UBOT> j'ai 80k€ a repartir sur le T2 entre google ads (roas 4,2), meta (roas 2,8) et linkedin "
            "(roas 1,5). comment tu splitterais ?",
            thread,
        )
    )

    def replies_with(needle: str, timeout: float = 60) -> list[str]:
        wait_until(lambda: any(needle in r for r in stub.replies(thread)), timeout)
        return stub.replies(thread)

    assert any("39 529" in r for r in replies_with("39 529")), stub.replies(thread)
    server.send(
        event("EvDouble", "et si on double le budget ?", "1700007700.000002", thread, "message")
    )
    assert any("160 000" in r and "79 059" in r for r in replies_with("79 059")), stub.replies(
        thread
    )
    server.send(event("EvThanks", "merci !", "1700007700.000003", thread, "message"))
    after = replies_with("Avec plaisir")
    assert (
        any("Avec plaisir" in r for r in after)
        and sum("39 529" in r or "79 059" in r for r in after) == 2
    ), after


def test_a_possible_situation_is_named_with_a_button_that_escalates_it(slack):
    """A privacy question read just under its rule's confidence: the answer names it with Escalate /
    No need; Escalate raises the legal review (blocking) in the escalation channel, once."""
    stub, server = slack
    thread = "1700007800.000001"
    server.send(
        event(
            "EvPossible",
            "<@UBOT> pour le reporting mensuel on a 12 000 sessions et 300 commandes, au fait on garde "
            "les emails des désinscrits pour le retargeting",
            thread,
        )
    )

    def asking(timeout: float = 60) -> dict | None:
        found = wait_until(
            lambda: [
                p
                for p in stub.posts("CMKT")
                if p.get("thread_ts") == thread
                and "possible_escalation" in json.dumps(blocks_of(p))
            ],
            timeout,
        )
        return found[0] if found else None

    question = asking()
    assert question and "Privacy/Compliance" in question["text"] and "@legal" in question["text"], (
        stub.replies(thread)
    )
    notices = len(stub.posts(ESCALATIONS))
    server.send(click("possible_escalation", "yes", "CMKT", as_message(question)), form=True)
    notice = stub.wait_posts(notices + 1, ESCALATIONS)[-1]
    assert "Review juridique" in notice["text"] and "Privacy/Compliance" in notice["text"]
    wait_until(lambda: any("Escaladé : Privacy/Compliance" in r for r in stub.replies(thread)), 30)
    assert any(
        "Escaladé : Privacy/Compliance" in r and "@legal" in r for r in stub.replies(thread)
    ), stub.replies(thread)


def test_a_bare_figure_gets_a_pre_filled_form_whose_choice_reruns_the_deliverable(slack):
    """A figure no word names: the plan comes with a form pre-filled with how it was read; picking
    "visiteurs/mois" in it posts the plan again with 12 000 a month (400 a day): 266 days, not 9."""
    stub, server = slack
    thread = "1700007900.000001"
    server.send(
        event(
            "EvBare",
            "<@UBOT> combien de temps pour un test A/B sur la landing ? taux actuel 3 %, on veut détecter +10 %, 12000",
            thread,
        )
    )

    def posted(needle: str, timeout: float = 60) -> list[dict]:
        return wait_until(
            lambda: [
                p
                for p in stub.posts("CMKT")
                if p.get("thread_ts") == thread and needle in json.dumps(blocks_of(p)) + p["text"]
            ],
            timeout,
        )

    form = posted("reading_figure")
    assert form and "9 jours" in " ".join(stub.replies(thread)), stub.replies(thread)
    select = next(
        b["accessory"]
        for b in blocks_of(form[0])
        if b.get("accessory", {}).get("action_id") == "reading_figure"
    )
    monthly = next(o for o in select["options"] if o["text"]["text"] == "visiteurs/mois")
    payload = click("reading_figure", "", "CMKT", as_message(form[0]))
    payload["payload"] = json.dumps(
        {
            **json.loads(payload["payload"]),
            "actions": [
                {
                    "action_id": "reading_figure",
                    "block_id": "reading",
                    "type": "static_select",
                    "selected_option": monthly,
                    "action_ts": str(time.time()),
                }
            ],
        }
    )
    server.send(payload, form=True)
    assert posted("266 jours"), stub.replies(thread)


SUMMER = (
    "soldes d'ete du 1 au 20 juillet, budget 30 k€, canaux meta, google ads et emailing, "
    "cible clientes 25-45"
)


def test_a_campaign_brief_in_words_gets_its_plan_as_a_canvas_and_its_budget_split(slack):
    stub, server = slack
    server.send(command("/campaign", SUMMER, channel="CSUMMER"), form=True)
    read = thread_text(stub, "CSUMMER", "Campagnes › Répartition budgétaire")
    (canvas_id, canvas), *others = [
        (k, c) for k, c in stub.canvases.items() if c["channel_id"] == "CSUMMER"
    ]
    assert not others and f"/docs/T1/{canvas_id}|Plan de campagne" in read
    assert "| Lancement | 01/07/2027 |" in canvas["markdown"]
    assert "| Budget | 30 000 € |" in canvas["markdown"]
    assert "- [ ] Budget signé" in canvas["markdown"]
    assert "Allocation budgétaire — 30 000 €" in read and "9 000 €" in read  # the split, a message


def test_a_recomputed_document_updates_its_canvas_in_place_and_says_so(slack, tmp_path):
    from graph.document import Deliverable, Section
    from graph.threads import Thread

    stub, _ = slack
    plans = [  # the plan, then the plan after a correction
        Deliverable(
            agent="planning-campagne",
            lang="fr",
            title="Plan de campagne — Saisonnière",
            fields=[("Budget", budget)],
            sections=[Section(heading="Brief", parts=["- Objectif : soldes"])],
            path=["marketing-ops", "campagnes", "planning-campagne"],
            document=True,
        ).model_dump()
        for budget in ("30 000 €", "45 000 €")
    ]
    sent(stub, str(tmp_path / "b.db"), Thread("T1", "CREDO", "1700001600.000001"), plans)
    (canvas_id, canvas), *others = [
        (k, c) for k, c in stub.canvases.items() if c["channel_id"] == "CREDO"
    ]
    assert not others and canvas["edits"] == 1 and "| Budget | 45 000 € |" in canvas["markdown"]
    first, second = stub.posts("CREDO")
    assert f"/docs/T1/{canvas_id}|" in first["text"] and f"/docs/T1/{canvas_id}|" in second["text"]
    assert "Recalculé" in second["text"] and "45 000 €" in second["text"]


def test_a_broken_traffic_split_and_an_early_read_are_alerts(slack, tmp_path):
    """A readout whose traffic split is broken (SRM) shows it in an error alert block, one read
    before its planned sample a warning alert ("ne pas arrêter trop tôt"); the terminal chat
    marks them ⚠️."""
    stub, server = slack
    readout = (
        "<@UBOT> résultats du test : A : 10000 visiteurs, 500 conversions ; "
        "B : 8000 visiteurs, 480 conversions. c'est significatif ? taille prévue 20 000 par "
        "variante"
    )
    server.send(event("EvSrm", readout, "1700009100.000001"))
    post = thread_post(stub, "CMKT", "1700009100.000001", 60)
    alerts = [b for b in blocks_of(post) if b["type"] == "alert"]
    assert [a["level"] for a in alerts] == ["error", "warning"], blocks_of(post)
    assert "SRM" in alerts[0]["text"]["text"] and "20 000" in alerts[1]["text"]["text"]
    printed = run_chat([readout.removeprefix("<@UBOT> ")], str(tmp_path / "c.db"))
    assert "⚠️ DÉSÉQUILIBRE (SRM)" in printed and "⚠️ Laisser tourner jusqu'à 20 000" in printed
