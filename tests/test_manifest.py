"""manifest.yaml and the code agree: every command and event of the manifest reaches a listener of
the running app, every listener is declared in the manifest, and the scopes cover the Web API
methods the app calls."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from bot.listeners.actions import ACTIONS
from bot.listeners.assistant import ASSISTANT_EVENTS
from bot.listeners.commands import COMMANDS, ESCALATIONS_COMMAND, EXPERIMENTS_COMMAND, HELP_COMMAND
from bot.listeners.events import EVENTS
from bot.listeners.views import CALLBACKS
from tests.slack_stub import running_server

MANIFEST = yaml.safe_load((Path(__file__).parents[1] / "manifest.yaml").read_text(encoding="utf-8"))
# Scope each Web API method of the app needs (docs.slack.dev/reference/methods).
SCOPES = {"chat.postMessage": "chat:write", "chat.update": "chat:write", "chat.delete": "chat:write", "users.info": "users:read",
          "files.getUploadURLExternal": "files:write", "files.completeUploadExternal": "files:write",
          "assistant.threads.setStatus": "assistant:write", "assistant.threads.setSuggestedPrompts": "assistant:write",
          "assistant.threads.setTitle": "assistant:write", "conversations.replies": "im:history",
          "chat.postEphemeral": "chat:write", "usergroups.users.list": "usergroups:read"}
NO_SCOPE = {"auth.test", "chat.getPermalink", "views.open", "views.publish", "views.update", "apps.connections.open"}


def manifest_commands() -> set[str]:
    return {c["command"] for c in MANIFEST["features"]["slash_commands"]}


def manifest_events() -> set[str]:
    return set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def test_every_listener_is_declared_in_the_manifest():
    assert manifest_commands() == set(COMMANDS) | {HELP_COMMAND, ESCALATIONS_COMMAND, EXPERIMENTS_COMMAND}
    assert manifest_events() == set(EVENTS) | set(ASSISTANT_EVENTS)
    assert ACTIONS and CALLBACKS and MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True and "assistant_view" in MANIFEST["features"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is True


def event_body(name: str, n: int) -> dict:
    kind, _, flavour = name.partition(".")
    ts = f"1700000900.{n:06d}"
    ev = {"type": kind, "user": "UMARKETER", "text": "<@UBOT> Quels KPIs suivre ?", "ts": ts, "event_ts": ts, "channel": "CMAN"}
    if flavour:
        ev.update(channel_type={"channels": "channel", "groups": "group", "im": "im"}[flavour], channel={"im": "DMAN"}.get(flavour, "CMAN"))
    if kind == "app_home_opened":
        ev.update(tab="home")
    if kind.startswith("assistant_thread"):
        ev["assistant_thread"] = {"user_id": "UMARKETER", "channel_id": "DMAN", "thread_ts": ts, "context": {}}
    return {"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": f"EvMan{n}",
            "event_time": int(time.time()), "event": ev}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_server(str(tmp_path_factory.mktemp("manifest") / "bot.db")) as pair:
        yield pair


def test_every_manifest_command_and_event_reaches_a_listener(running):
    stub, server = running
    for n, name in enumerate(sorted(manifest_events())):
        assert server.send(event_body(name, n))[0] == 200, name
    for name in sorted(manifest_commands()):
        body = {"command": name, "text": "Quels KPIs suivre ?", "user_id": "UMARKETER", "channel_id": "CMAN", "team_id": "T1",
                "trigger_id": "t", "api_app_id": "A1", "token": "x", "response_url": "https://hooks.slack.invalid/1"}
        assert server.send(body, form=True)[0] == 200, name
    unknown = {"command": "/unknown", "text": "", "user_id": "U", "channel_id": "C", "team_id": "T1", "trigger_id": "t", "api_app_id": "A1"}
    assert server.send(unknown, form=True)[0] == 404  # Bolt's answer to a request no listener handles
    expected = {"chat.postMessage", "views.publish", "assistant.threads.setSuggestedPrompts"}
    deadline = time.time() + 30  # the lazy listeners run in the worker process
    while time.time() < deadline and not expected <= {m for m, _ in stub.calls}:
        time.sleep(0.1)
    time.sleep(2)
    called = {m for m, _ in stub.calls}
    assert called - NO_SCOPE <= set(SCOPES), called - NO_SCOPE - set(SCOPES)
    assert {SCOPES[m] for m in called if m in SCOPES} <= set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert expected <= called
