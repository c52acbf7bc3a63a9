"""manifest.yaml and the code agree: every command and event of the manifest reaches a listener of
the running app, every listener is declared in the manifest, and the scopes cover the Web API
methods the app calls."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from bot.listeners.actions import ACTIONS
from bot.listeners.assistant import ASSISTANT_EVENTS
from bot.listeners.commands import COMMANDS, ESCALATIONS_COMMAND, EXPERIMENTS_COMMAND, HELP_COMMAND
from bot.listeners.events import EVENTS
from bot.listeners.views import CALLBACKS
from tests.slack_stub import METHOD_SCOPES, running_server
from tests.waiting import settled, wait_until

MANIFEST = yaml.safe_load((Path(__file__).parents[1] / "manifest.yaml").read_text(encoding="utf-8"))
# Web API calls the code makes: slack_sdk's WebClient methods (chat_postMessage -> chat.postMessage),
# the helpers that wrap several methods, and Bolt's listener utilities.
CALL = re.compile(
    r"\b(?:client|stream)\.((?:api|apps|assistant|auth|canvases|chat|conversations|files|oauth|usergroups|users|views)_\w+)\("
    r"|\b(say|set_status|set_suggested_prompts|set_title)\("
)
WRAPPERS = {
    "files_upload_v2": ["files.getUploadURLExternal", "files.completeUploadExternal"],
    "chat_stream": ["chat.startStream", "chat.appendStream", "chat.stopStream"],
    "say": ["chat.postMessage"],
    "set_status": ["assistant.threads.setStatus"],
    "set_suggested_prompts": ["assistant.threads.setSuggestedPrompts"],
    "set_title": ["assistant.threads.setTitle"],
}


def called_methods() -> set[str]:
    """Every Web API method a source file of bot/ or graph/ calls."""
    root = Path(__file__).parents[1]
    names = {
        m[0] or m[1]
        for path in [*root.glob("bot/**/*.py"), *root.glob("graph/**/*.py")]
        for m in CALL.findall(path.read_text(encoding="utf-8"))
    }
    return {method for name in names for method in WRAPPERS.get(name, [name.replace("_", ".")])}


def test_the_manifest_grants_every_scope_the_code_needs():
    """Each Web API method the code calls is known with its scopes, and the manifest asks one of them
    (a missing scope fails every call of that method in a real workspace: files:read for files.info)."""
    methods = called_methods()
    assert {
        "files.info",
        "chat.postMessage",
        "chat.startStream",
        "users.info",
        "conversations.replies",
    } <= methods, methods
    assert methods <= set(METHOD_SCOPES), (
        f"scope unknown for {methods - set(METHOD_SCOPES)}: add it to tests/slack_stub.py"
    )
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    missing = {
        m: METHOD_SCOPES[m]
        for m in methods
        if METHOD_SCOPES[m] and not granted & set(METHOD_SCOPES[m])
    }
    assert not missing, missing


def manifest_commands() -> set[str]:
    return {c["command"] for c in MANIFEST["features"]["slash_commands"]}


def manifest_events() -> set[str]:
    return set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def test_every_listener_is_declared_in_the_manifest():
    assert manifest_commands() == set(COMMANDS) | {
        HELP_COMMAND,
        ESCALATIONS_COMMAND,
        EXPERIMENTS_COMMAND,
    }
    assert manifest_events() == set(EVENTS) and not set(ASSISTANT_EVENTS) & manifest_events()
    assert ACTIONS and CALLBACKS and MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert (
        MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
        and MANIFEST["features"]["agent_view"]["agent_description"]
        and "assistant_view" not in MANIFEST["features"]
    )  # the agent messaging experience, the one new apps get
    assert MANIFEST["settings"]["socket_mode_enabled"] is True


def event_body(name: str, n: int, tab: str = "home") -> dict:
    kind, _, flavour = name.partition(".")
    ts = f"1700000900.{n:06d}"
    ev = {
        "type": kind,
        "user": "UMARKETER",
        "text": "<@UBOT> Quels KPIs suivre ?",
        "ts": ts,
        "event_ts": ts,
        "channel": "CMAN",
    }
    if flavour:
        ev.update(
            channel_type={"channels": "channel", "groups": "group", "im": "im"}[flavour],
            channel={"im": "DMAN"}.get(flavour, "CMAN"),
        )
    if kind == "app_home_opened":
        ev.update(tab=tab, channel="DMAN")
    if kind.startswith("assistant_thread"):
        ev["assistant_thread"] = {
            "user_id": "UMARKETER",
            "channel_id": "DMAN",
            "thread_ts": ts,
            "context": {},
        }
    return {
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"EvMan{n}",
        "event_time": int(time.time()),
        "event": ev,
    }


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_server(str(tmp_path_factory.mktemp("manifest") / "bot.db")) as pair:
        yield pair


def test_every_manifest_command_and_event_reaches_a_listener(running):
    stub, server = running
    for n, name in enumerate(sorted(manifest_events())):
        assert server.send(event_body(name, n))[0] == 200, name
    assert server.send(event_body("app_home_opened", 90, tab="messages"))[0] == 200
    for name in sorted(manifest_commands()):
        body = {
            "command": name,
            "text": "Quels KPIs suivre ?",
            "user_id": "UMARKETER",
            "channel_id": "CMAN",
            "team_id": "T1",
            "trigger_id": "t",
            "api_app_id": "A1",
            "token": "x",
            "response_url": stub.url + "response",  # Slack's response_url, answered by the stand-in
        }
        assert server.send(body, form=True)[0] == 200, name
    unknown = {
        "command": "/unknown",
        "text": "",
        "user_id": "U",
        "channel_id": "C",
        "team_id": "T1",
        "trigger_id": "t",
        "api_app_id": "A1",
    }
    assert (
        server.send(unknown, form=True)[0] == 404
    )  # Bolt's answer to a request no listener handles
    expected = {"chat.postMessage", "views.publish", "assistant.threads.setSuggestedPrompts"}
    wait_until(
        lambda: expected <= {m for m, _ in stub.calls}, 30
    )  # the lazy listeners run in the worker process
    assert settled(server.db)
    called = {m for m, _ in stub.calls}
    assert called <= called_methods() | {"upload", "response"}, (
        called - called_methods()
    )  # the static scan misses no call
    assert expected <= called
