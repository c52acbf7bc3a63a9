"""A local stand-in for Slack's Web API on 127.0.0.1 that records every call, and request signing."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class WebApiStub:
    """Answers Web API methods (auth.test, chat.postMessage, chat.getPermalink, …) and records calls
    as (method, params) in ``calls``."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self._ts = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                ctype = self.headers.get("Content-Type", "")
                params = json.loads(body) if "json" in ctype and body else {k: v[0] for k, v in parse_qs(body).items()}
                method = self.path.strip("/").split("/")[-1]
                stub.calls.append((method, params))
                answer = stub.answer(method, params)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, method: str, params: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "marketing-bot"}
        if method == "chat.postMessage":
            self._ts += 1
            return {"ok": True, "channel": params.get("channel"), "ts": f"1700000100.{self._ts:06d}"}
        if method == "chat.getPermalink":
            return {"ok": True, "permalink": f"https://example.slack.com/archives/{params.get('channel')}/p{params.get('message_ts', '').replace('.', '')}"}
        return {"ok": True}

    def posts(self, channel: str | None = None) -> list[dict]:
        """chat.postMessage parameters, optionally for one channel."""
        return [p for m, p in self.calls if m == "chat.postMessage" and (channel is None or p.get("channel") == channel)]

    def wait_posts(self, count: int, channel: str | None = None, timeout: float = 20) -> list[dict]:
        """Wait until ``count`` messages were posted (to ``channel``); returns them."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.posts(channel)) >= count:
                return self.posts(channel)
            time.sleep(0.05)
        return self.posts(channel)

    def close(self):
        self.server.shutdown()


def sign(secret: str, body: str, timestamp: int | None = None) -> dict:
    """Headers of a request signed as Slack signs it (v0 HMAC-SHA256 of 'v0:ts:body')."""
    ts = str(timestamp or int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}", "Content-Type": "application/json"}
