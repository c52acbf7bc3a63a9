"""Local stand-ins for Slack on 127.0.0.1: the Web API (records every call), request signing, and
`marketing-bot serve` run as a subprocess that receives signed events, commands and interactions."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import yaml

from tests.waiting import wait_until

MANIFEST = Path(__file__).parents[1] / "bot" / "manifest.yaml"
# The bot scopes each Web API method accepts, any one of them (docs.slack.dev/reference/methods, "Scopes");
# () for a method that needs none. A method missing here is answered `unknown_method`, as Slack does.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "chat.postMessage",
            "chat.update",
            "chat.delete",
            "chat.postEphemeral",
            "chat.startStream",
            "chat.appendStream",
            "chat.stopStream",
        ),
        ("chat:write",),
    ),
    "users.info": ("users:read",),
    "usergroups.users.list": ("usergroups:read",),
    "files.info": ("files:read",),
    "canvases.create": ("canvases:write",),
    "canvases.edit": ("canvases:write",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
    "assistant.threads.setStatus": ("assistant:write", "chat:write"),
    "assistant.threads.setSuggestedPrompts": ("assistant:write",),
    "assistant.threads.setTitle": ("assistant:write",),
    **dict.fromkeys(
        ("conversations.replies", "conversations.history"),
        ("channels:history", "groups:history", "im:history", "mpim:history"),
    ),
    **dict.fromkeys(
        (
            "auth.test",
            "api.test",
            "chat.getPermalink",
            "views.open",
            "views.push",
            "views.update",
            "views.publish",
            "oauth.v2.access",
            "apps.connections.open",
        ),
        (),
    ),
}


def manifest_scopes() -> list[str]:
    """The bot scopes bot/manifest.yaml asks for: what an install of the app grants."""
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["oauth_config"]["scopes"]["bot"]


class WebApiStub:
    """Answers Web API methods (auth.test, chat.postMessage, chat.getPermalink, …) and records calls
    as (method, params) in ``calls``."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.refused: list[
            tuple[str, dict, int]
        ] = []  # calls answered with an HTTP error (down, 500, 429)
        self.socket_url = ""  # what apps.connections.open gives out (SocketModeStub sets it)
        self.files: dict[str, tuple[str, bytes]] = {}  # file id -> (name, content), see add_file
        self.downloads: list[
            tuple[str, str]
        ] = []  # (file id, Authorization header) of each download
        self.groups: dict[
            str, list[str]
        ] = {}  # user group id -> member ids (usergroups.users.list)
        self.down = False  # every call answers HTTP ``down_status`` (the Web API is down)
        self.down_status = 503
        self.lag = (
            0.0  # seconds every call waits after it was accepted (a Web API that answers late)
        )
        self.faults: dict[
            str, list[str]
        ] = {}  # method -> faults for its next calls: "500", "429", "slow" (accepted, answered late)
        self.slow = 3.0  # seconds a "slow" call waits before answering
        self.errors: dict[
            str, str
        ] = {}  # method -> the Slack error it answers (ok: false), e.g. streaming refused
        self.canvases: dict[str, dict] = {}  # canvas id -> {title, markdown, channel_id, edits}
        self.streams: dict[
            str, dict
        ] = {}  # ts -> {channel, thread_ts, chunks, blocks, stopped} (chat.startStream…)
        self.data_tables = True  # False: a workspace whose clients take no data_table block
        self.scopes = set(
            manifest_scopes()
        )  # what the install granted: a method needing another scope answers missing_scope
        self._ts, self._lock = 0, threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = raw.decode(errors="replace")
                ctype = self.headers.get("Content-Type", "")
                method = self.path.strip("/").split("/")[-1]
                if method in (
                    "upload",
                    "response",
                ):  # file bytes of files_upload_v2; a response_url message
                    params = {"content": body, "bytes": raw}
                else:
                    params = (
                        json.loads(body)
                        if "json" in ctype and body
                        else {k: v[0] for k, v in parse_qs(body).items()}
                    )
                fault = stub.faults[method].pop(0) if stub.faults.get(method) else None
                if stub.down or fault in ("500", "429"):
                    status = 429 if fault == "429" else stub.down_status if stub.down else 500
                    stub.refused.append((method, params, status))
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                params["_token"] = (self.headers.get("Authorization") or "").removeprefix(
                    "Bearer "
                )  # which workspace's token
                stub.calls.append((method, params))
                answer = stub.answer(method, params)
                if (
                    fault == "slow" or stub.lag
                ):  # accepted, but the answer comes after the client gave up
                    time.sleep(stub.lag or stub.slow)
                data = json.dumps(answer).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client timed out and closed the connection
                    pass

            def do_GET(
                self,
            ):  # url_private downloads of the files registered with add_file (files:read, like files.info)
                name = self.path.rsplit("/", 1)[-1]
                stub.downloads.append((name, self.headers.get("Authorization", "")))
                found = name in stub.files and "files:read" in stub.scopes
                data = stub.files[name][1] if found else b""
                self.send_response(200 if found else 404)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def canvas(self, method: str, params: dict) -> dict:
        """canvases.create (tabbed in ``channel_id``) and canvases.edit (a whole replace), as
        Slack answers them; the canvases are kept in ``canvases``."""
        content = params.get("document_content") or {}
        if method == "canvases.create":
            canvas = f"F0CANVAS{len(self.canvases) + 1}"
            self.canvases[canvas] = {
                "title": params.get("title"),
                "markdown": content.get("markdown", ""),
                "channel_id": params.get("channel_id"),
                "edits": 0,
            }
            return {"ok": True, "canvas_id": canvas}
        found = self.canvases.get(params.get("canvas_id", ""))
        if found is None:
            return {"ok": False, "error": "canvas_not_found"}
        change = (params.get("changes") or [{}])[0]
        found["markdown"] = (change.get("document_content") or {}).get("markdown", "")
        found["edits"] += 1
        return {"ok": True}

    def answer(self, method: str, params: dict) -> dict:
        if method in ("upload", "response"):  # not Web API methods: the upload URL and response_url
            return {"ok": True}
        refusal = self.refusal(method, params)
        if refusal:
            params["refused"] = refusal  # recorded: what Slack answered
            return {"ok": False, "error": refusal}
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": "T1",
                "user": "marketing-bot",
            }
        if (
            method == "chat.postMessage" and params.get("channel") == "CNOTIN"
        ):  # a channel the bot was not invited to
            return {"ok": False, "error": "not_in_channel"}
        if (
            method == "chat.postMessage"
        ):  # the ts given back is kept in the recorded call as "ts_assigned"
            params["ts_assigned"] = self.new_ts()
            return {"ok": True, "channel": params.get("channel"), "ts": params["ts_assigned"]}
        if method == "chat.startStream":
            ts = self.new_ts()
            self.streams[ts] = {
                "channel": params.get("channel"),
                "thread_ts": params.get("thread_ts"),
                "chunks": list(params.get("chunks") or []),
                "blocks": [],
                "stopped": False,
                "start": params,
            }
            return {"ok": True, "channel": params.get("channel"), "ts": ts}
        if method in ("chat.appendStream", "chat.stopStream"):
            stream = self.streams.get(params.get("ts"))
            if stream is None or stream["stopped"]:
                return {"ok": False, "error": "message_not_in_streaming_state"}
            stream["chunks"] += params.get("chunks") or []
            if method == "chat.stopStream":
                stream.update(
                    stopped=True, blocks=params.get("blocks") or [], metadata=params.get("metadata")
                )
            return {"ok": True, "channel": stream["channel"], "ts": params["ts"]}
        if method == "users.info":  # users whose id starts with UEN use an English Slack locale
            return {
                "ok": True,
                "user": {
                    "id": params.get("user"),
                    "locale": "en-US" if str(params.get("user", "")).startswith("UEN") else "fr-FR",
                },
            }
        if method == "files.info" and params.get("file") in self.files:
            name, content = self.files[params["file"]]
            return {
                "ok": True,
                "file": {
                    "id": params["file"],
                    "name": name,
                    "filetype": name.rsplit(".", 1)[-1],
                    "size": len(content),
                    "url_private": self.url.replace("/api/", "/files/") + params["file"],
                },
            }
        if method in ("canvases.create", "canvases.edit"):
            return self.canvas(method, params)
        if method == "files.info" and params.get("file") in self.canvases:
            link = f"https://stub.slack.com/docs/T1/{params['file']}"
            return {"ok": True, "file": {"id": params["file"], "permalink": link}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": self.url + "upload", "file_id": "F0001"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F0001"}]}
        if method == "apps.connections.open" and self.socket_url:
            return {"ok": True, "url": self.socket_url}
        if method in ("conversations.replies", "conversations.history"):
            return {
                "ok": True,
                "messages": self.history(
                    params.get("channel"),
                    params.get("ts") if method == "conversations.replies" else None,
                ),
            }
        if method == "oauth.v2.access":  # an install: the code of workspace T2 gives its bot token
            return {
                "ok": True,
                "app_id": "A1",
                "authed_user": {"id": "UADMIN2"},
                "scope": "chat:write,commands",
                "token_type": "bot",
                "access_token": "xoxb-team-two",
                "bot_user_id": "UBOT2",
                "team": {"id": "T2", "name": "Two"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "usergroups.users.list":
            if params.get("usergroup") not in self.groups:
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": self.groups[params["usergroup"]]}
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "permalink": f"https://example.slack.com/archives/{params.get('channel')}/p{params.get('message_ts', '').replace('.', '')}",
            }
        return {"ok": True}

    def refusal(self, method: str, params: dict) -> str | None:
        """The error Slack answers instead of running ``method``, or None: an unknown method, a
        scope the install did not grant, an expired trigger_id, or a refusal set in ``errors``."""
        if method not in METHOD_SCOPES:
            return "unknown_method"
        if METHOD_SCOPES[method] and not self.scopes & set(METHOD_SCOPES[method]):
            return "missing_scope"
        if method in ("chat.postMessage", "chat.update", "chat.stopStream") and self.bad_blocks(
            decoded(params, "blocks") or []
        ):
            return "invalid_blocks"
        if method in ("views.open", "views.push") and expired(params.get("trigger_id", "")):
            params["expired"] = True  # recorded: the user saw nothing
            return "expired_trigger_id"
        return self.errors.get(method)

    def bad_blocks(self, blocks: list[dict]) -> bool:
        """True when Slack would refuse ``blocks`` (invalid_blocks) for what the bot may send: more
        than 50 blocks, more than one native table (``table`` or ``data_table``), a table block
        over 100 rows, a data_table off its documented shape (a caption; a raw_text header and 1
        to 100 rows of equal length; 10,000 characters; page_size 1-100) or in a workspace
        without data tables (``data_tables`` False)."""
        tables = [b for b in blocks if b.get("type") in ("table", "data_table")]
        if len(blocks) > 50 or len(tables) > 1:
            return True
        levels = ("default", "info", "warning", "error", "success")
        for alert in (b for b in blocks if b.get("type") == "alert"):
            if alert.get("level", "default") not in levels or not (alert.get("text") or {}).get(
                "text"
            ):
                return True
        for table in tables:
            rows = table.get("rows") or []
            if table["type"] == "table":
                return len(rows) > 100
            size = table.get("page_size", 5)
            return (
                not self.data_tables
                or not isinstance(table.get("caption"), str)
                or not 2 <= len(rows) <= 101
                or len({len(r) for r in rows}) != 1
                or any(c.get("type") != "raw_text" for c in rows[0])
                or sum(len(c.get("text", "")) for r in rows for c in r) > 10_000
                or not 1 <= size <= 100
            )
        return False

    def history(self, channel: str | None, thread: str | None) -> list[dict]:
        """The bot's messages in ``channel`` (in ``thread`` when given), posted or streamed, oldest
        first, with their metadata: what conversations.replies / conversations.history show."""
        found = [
            {
                "ts": p["ts_assigned"],
                "text": p.get("text", ""),
                "metadata": decoded(p, "metadata"),
                "bot_id": "BBOT",
            }
            for p in self.posts(channel)
            if thread is None or thread in (p.get("thread_ts"), p["ts_assigned"])
        ]
        found += [
            {"ts": ts, "text": "", "metadata": decoded(s, "metadata"), "bot_id": "BBOT"}
            for ts, s in list(self.streams.items())
            if s["channel"] == channel and (thread is None or s["thread_ts"] == thread)
        ]
        return sorted(found, key=lambda m: m["ts"])

    def new_ts(self) -> str:
        """A message ts as Slack makes them: the time in seconds, unique in the workspace."""
        with self._lock:
            self._ts = max(self._ts + 1, int(time.time() * 1_000_000))
            return f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"

    def add_file(self, file_id: str, name: str, content: bytes) -> dict:
        """Make a file downloadable as Slack would host it; returns the ``files`` entry of a message event."""
        self.files[file_id] = (name, content)
        return {"id": file_id, "name": name}

    def of(self, method: str) -> list[dict]:
        """Parameters of every call of ``method`` (e.g. 'views.open', 'chat.update')."""
        return [p for m, p in self.calls if m == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20) -> list[dict]:
        """Wait until ``method`` was called ``count`` times; returns the calls."""
        wait_until(lambda: len(self.of(method)) >= count, timeout)
        return self.of(method)

    def replies(self, thread_ts: str) -> list[str]:
        """What a user sees in the thread ``thread_ts``, one entry per message the bot made there:
        a posted message's text, a stream's final blocks (or its text edited in with chat.update),
        and '' for a stream that was started and never finished (a progress message left behind)."""
        seen = {
            p["ts_assigned"]: p.get("text", "")
            for p in self.posts()
            if p.get("thread_ts") == thread_ts
        }
        for ts, stream in list(self.streams.items()):
            if stream["thread_ts"] == thread_ts:
                seen[ts] = (
                    json.dumps(stream["blocks"], ensure_ascii=False) if stream["stopped"] else ""
                )
        for edit in self.of("chat.update"):
            if edit.get("ts") in seen and not seen[edit["ts"]]:
                seen[edit["ts"]] = edit.get("text", "")
        return [seen[ts] for ts in sorted(seen)]

    def posts(self, channel: str | None = None) -> list[dict]:
        """chat.postMessage parameters of the messages posted (not those Slack refused),
        optionally in one channel."""
        return [
            p
            for m, p in self.calls
            if m == "chat.postMessage"
            and "ts_assigned" in p
            and (channel is None or p.get("channel") == channel)
        ]

    def wait_posts(self, count: int, channel: str | None = None, timeout: float = 20) -> list[dict]:
        """Wait until ``count`` messages were posted (to ``channel``); returns them."""
        wait_until(lambda: len(self.posts(channel)) >= count, timeout)
        return self.posts(channel)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


TRIGGER_LIFE = 3.0  # seconds a trigger_id can open a modal (Slack's rule)


def stamped(payload: dict) -> dict:
    """``payload`` with its trigger_id (a command's, or an interaction's in ``payload``) marked
    with the moment it is sent, as Slack's trigger_ids expire TRIGGER_LIFE seconds after it."""
    moment = f"@{time.time():.3f}"
    if "trigger_id" in payload:
        return {**payload, "trigger_id": payload["trigger_id"] + moment}
    if isinstance(payload.get("payload"), str):
        inner = json.loads(payload["payload"])
        if "trigger_id" in inner:
            return {
                **payload,
                "payload": json.dumps({**inner, "trigger_id": inner["trigger_id"] + moment}),
            }
    return payload


def expired(trigger_id: str) -> bool:
    """True when a trigger_id stamped by ``stamped`` is older than TRIGGER_LIFE seconds."""
    _, at, sent = trigger_id.rpartition("@")
    try:
        return bool(at) and time.time() - float(sent) > TRIGGER_LIFE
    except ValueError:
        return False


def sign(secret: str, body: str, timestamp: int | None = None) -> dict:
    """Headers of a request signed as Slack signs it (v0 HMAC-SHA256 of 'v0:ts:body')."""
    ts = str(timestamp or int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/json",
    }


SECRET = "test-signing-secret"
ESCALATIONS = "CESCAL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`marketing-bot serve` in a subprocess, on a given database."""

    def __init__(
        self, stub: WebApiStub, db: str, env: dict | None = None, command: list[str] | None = None
    ):
        """``env``: more environment variables (e.g. ANTHROPIC_BASE_URL at a local stand-in);
        ``command``: another server to run instead, given the port as its last argument."""
        self.port, self.db = free_port(), db
        # Streams off unless asked: these tests read replies as posted messages; tests/test_streaming.py streams.
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "MARKETING_BOT_STREAMING": "off",
            "SLACK_API_BASE_URL": stub.url,
            "ESCALATION_CHANNEL": ESCALATIONS,
            "MARKETING_BOT_DB": db,
            **(env or {}),
        }
        env.pop("SLACK_APP_TOKEN", None)
        argv = (
            command + [str(self.port)]
            if command
            else [
                sys.executable,
                "-m",
                "bot",
                "serve",
                "--port",
                str(self.port),
                "--host",
                "127.0.0.1",
                "--without-roles",
            ]
        )  # most tests configure no or few roles
        # stderr to a file: a pipe nobody reads while the server runs would fill and block its logging
        self.log_path = f"{db}.{self.port}.log"
        with open(self.log_path, "wb") as log_file:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
        self.started = time.time()
        if not wait_until(self._listening, 120, every=0.1):  # once a worker has loaded the graph
            raise RuntimeError("serve did not start: " + self.log()[-2000:])
        self.opened = time.time()

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def log(self) -> str:
        """What the server (and its workers) wrote to stderr so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as log_file:
            return log_file.read()

    def send(
        self,
        payload: dict,
        headers: dict | None = None,
        secret: str = SECRET,
        form: bool = False,
        stamp: bool = True,
    ) -> tuple[int, float]:
        """POST a signed request: JSON (events), or form-encoded (``form``: slash commands, and
        interactivity as ``payload=<json>``) as Slack sends them, its trigger_id ``stamped`` unless
        ``stamp`` is False (the payload was stamped already: a replay). Returns (status, seconds)."""
        body = urlencode(stamped(payload) if stamp else payload) if form else json.dumps(payload)
        signed = sign(secret, body)
        if form:
            signed["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events",
            data=body.encode(),
            headers={**signed, **(headers or {})},
            method="POST",
        )
        start = time.time()
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                self.last_body = resp.read().decode()
                return resp.status, time.time() - start
        except urllib.error.HTTPError as err:
            return err.code, time.time() - start

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


@contextmanager
def running_server(db: str, env: dict | None = None):
    """(Web API stand-in, `marketing-bot serve` on ``db`` with more environment ``env``), stopped on exit."""
    stub = WebApiStub()
    server = Server(stub, db, env)
    try:
        yield stub, server
    finally:
        server.kill()
        stub.close()


def in_process_bot(stub: WebApiStub, db: str, **settings):
    """A bot.app.SlackBot in the test's own process on database ``db``, its Web API the stand-in,
    with more ``settings`` (bot.config.Settings fields): for scheduled work and outbox sends a test
    drives itself."""
    from bot.app import SlackBot, web_client
    from bot.config import Settings
    from graph.conversations import Conversations

    base = {"escalation_channel": "CESCAL", **settings}
    config = Settings(
        slack_bot_token="xoxb-test", slack_api_base_url=stub.url, marketing_bot_db=db, **base
    )
    return SlackBot(config, Conversations(db), web_client(config))


def decoded(call: dict, key: str):
    """A parameter of a recorded call, JSON-decoded when slack_sdk sent it as text (blocks, view, prompts)."""
    value = call.get(key)
    return json.loads(value) if isinstance(value, str) else value


def open_modal(stub: WebApiStub, server: Server, payload: dict) -> tuple[dict, float]:
    """Send a slash command or button ``payload`` and return the view it opened (the first
    views.open after it, not an earlier test's) and the seconds the ack took."""
    before = len(stub.of("views.open"))
    status, elapsed = server.send(payload, form=True)
    assert status == 200, status
    return decoded(stub.wait_for("views.open", before + 1)[before], "view"), elapsed


def blocks_of(call: dict) -> list[dict]:
    """The Block Kit blocks of a recorded call, [] when it has none."""
    return decoded(call, "blocks") or []


def as_message(post: dict) -> dict:
    """A recorded chat.postMessage as the ``message`` of an interaction payload (ts, thread, blocks)."""
    message = {"ts": post["ts_assigned"], "text": post["text"], "blocks": blocks_of(post)}
    return message | ({"thread_ts": post["thread_ts"]} if post.get("thread_ts") else {})


def event(
    event_id: str, text: str, ts: str, thread_ts: str | None = None, kind: str = "app_mention"
) -> dict:
    ev = {
        "type": kind,
        "user": "UMARKETER",
        "text": text,
        "ts": ts,
        "channel": "CMKT",
        "event_ts": ts,
    }
    if kind == "message":
        ev["channel_type"] = "channel"
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return {
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": ev,
    }


class SocketModeStub:
    """Slack's Socket Mode WebSocket endpoint on 127.0.0.1: says hello to the app, pushes envelopes
    (events_api, slash_commands, interactive) and records the acks the app sends back."""

    def __init__(self, api: WebApiStub):
        from websockets.sync.server import serve

        self.outgoing: list[dict] = []
        self.acks: dict[str, dict] = {}
        self.connected = threading.Event()
        self.server = serve(self._session, "127.0.0.1", 0)
        api.socket_url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _session(self, conn) -> None:
        conn.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        )
        self.connected.set()
        sent = 0
        while True:
            while sent < len(self.outgoing):
                conn.send(json.dumps(self.outgoing[sent]))
                sent += 1
            try:
                message = json.loads(conn.recv(timeout=0.05))
            except TimeoutError:
                continue
            except Exception:  # the app closed the connection
                return
            if "envelope_id" in message:
                self.acks[message["envelope_id"]] = message

    def push(self, kind: str, payload: dict) -> str:
        """Send an envelope of ``kind`` to the app; returns its envelope_id."""
        envelope_id, payload = f"env-{len(self.outgoing) + 1}", stamped(payload)
        self.outgoing.append(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
            }
        )
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> dict | None:
        """The app's ack of ``envelope_id``, or None after ``timeout`` seconds."""
        wait_until(lambda: envelope_id in self.acks, timeout, every=0.02)
        return self.acks.get(envelope_id)

    def close(self):
        self.server.shutdown()


def serve_socket_mode(api: WebApiStub, db: str) -> subprocess.Popen:
    """`marketing-bot serve` with SLACK_APP_TOKEN (Socket Mode, no signing secret, no HTTP port)."""
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-test",
        "MARKETING_BOT_STREAMING": "off",
        "SLACK_API_BASE_URL": api.url,
        "ESCALATION_CHANNEL": ESCALATIONS,
        "MARKETING_BOT_DB": db,
    }
    env.pop("SLACK_SIGNING_SECRET", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--without-roles"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
