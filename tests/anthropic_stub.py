"""A local stand-in for Anthropic's Messages API (POST /v1/messages) on 127.0.0.1.

It answers as a scripted Claude would: a forced ``route`` tool call (agent chosen by ``routes``,
keyword -> specialist id), a forced ``reading`` call (``situations(text)`` gives the situations
described, none by default), a forced ``inputs_<specialist>`` call (``inputs(text)`` gives the values), and for
deliverables first a ``compute_deliverable`` call, then a text made of the tool's reference
deliverable. ``invent`` drafts add a figure no tool produced. ``mode`` 'overloaded' answers 529 to
everything, 'error' 500, 'slow' waits ``delay`` seconds, 'no_stream' answers JSON even when asked
to stream (as some proxies do). Streamed requests get server-sent events.
Usage: the prefix (tools + system) is "cached" the second time it is seen. Every request body is
kept in ``requests``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class AnthropicStub:
    def __init__(
        self,
        routes: dict[str, str] | None = None,
        inputs: Callable[[str], dict] = lambda text: {},
        invent: int = 0,
        mode: str = "script",
        delay: float = 0.0,
        situations: Callable[[str], list[dict]] = lambda text: [],
    ):
        self.routes, self.inputs, self.invent, self.mode, self.delay = (
            routes or {},
            inputs,
            invent,
            mode,
            delay,
        )
        self.situations = situations
        self.requests: list[dict] = []
        self.prefixes: set[str] = set()
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                size = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(size)
                if not raw or len(raw) < size:
                    # a client that gave up before sending its body (a timeout on a loaded
                    # machine, then a retry): no request was made, nothing to record or answer
                    self.close_connection = True
                    return
                body = json.loads(raw)
                with stub.lock:
                    stub.requests.append(body)
                if stub.mode == "slow":
                    time.sleep(stub.delay)
                if stub.mode in ("overloaded", "error"):
                    status, kind = (
                        (529, "overloaded_error")
                        if stub.mode == "overloaded"
                        else (500, "api_error")
                    )
                    self._send(status, {"type": "error", "error": {"type": kind, "message": kind}})
                    return
                message = stub.answer(body)
                if body.get("stream") and stub.mode != "no_stream":
                    self._stream(message)
                else:
                    self._send(200, message)

            def _send(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except BrokenPipeError:  # the client gave up (a timeout test)
                    pass

            def _stream(self, message: dict):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                start = {
                    **message,
                    "content": [],
                    "stop_reason": None,
                    "usage": {**message["usage"], "output_tokens": 1},
                }
                events = [("message_start", {"type": "message_start", "message": start})]
                for i, block in enumerate(message["content"]):
                    if block["type"] == "text":
                        events.append(
                            (
                                "content_block_start",
                                {
                                    "type": "content_block_start",
                                    "index": i,
                                    "content_block": {"type": "text", "text": ""},
                                },
                            )
                        )
                        for n in range(0, len(block["text"]), 40):
                            events.append(
                                (
                                    "content_block_delta",
                                    {
                                        "type": "content_block_delta",
                                        "index": i,
                                        "delta": {
                                            "type": "text_delta",
                                            "text": block["text"][n : n + 40],
                                        },
                                    },
                                )
                            )
                    else:
                        events.append(
                            (
                                "content_block_start",
                                {
                                    "type": "content_block_start",
                                    "index": i,
                                    "content_block": {**block, "input": {}},
                                },
                            )
                        )
                        events.append(
                            (
                                "content_block_delta",
                                {
                                    "type": "content_block_delta",
                                    "index": i,
                                    "delta": {
                                        "type": "input_json_delta",
                                        "partial_json": json.dumps(block["input"]),
                                    },
                                },
                            )
                        )
                    events.append(
                        ("content_block_stop", {"type": "content_block_stop", "index": i})
                    )
                events.append(
                    (
                        "message_delta",
                        {
                            "type": "message_delta",
                            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
                            "usage": {"output_tokens": message["usage"]["output_tokens"]},
                        },
                    )
                )
                events.append(("message_stop", {"type": "message_stop"}))
                for name, data in events:
                    self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                    self.wfile.flush()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, body: dict) -> dict:
        """The message Claude would send back to ``body``."""
        choice = body.get("tool_choice") or {}
        text = _last_user_text(body["messages"])
        if choice.get("name") == "route":
            agent = next((a for word, a in self.routes.items() if word in text.lower()), None)
            content = [
                _tool_use(
                    "route",
                    {
                        "agent": agent,
                        "handoff": None if agent else "hors-perimetre",
                        "confidence": 0.9,
                        "reason": "scripted",
                    },
                )
            ]
        elif choice.get("name") == "reading":
            content = [_tool_use("reading", {"situations": self.situations(text)})]
        elif str(choice.get("name")).startswith("inputs_"):
            content = [_tool_use(choice["name"], self.inputs(text))]
        else:
            results = [
                b
                for m in body["messages"]
                if m["role"] == "user" and isinstance(m["content"], list)
                for b in m["content"]
                if b.get("type") == "tool_result"
            ]
            if not results:
                content = [_tool_use("compute_deliverable", {})]
            else:
                reference = json.loads(_block_text(results[-1]))["reference"]
                draft = "Voici votre livrable, calculé par nos outils.\n\n" + reference
                with self.lock:
                    if self.invent:
                        self.invent -= 1
                        draft += "\n\nGain attendu : 42 317 € sur le trimestre."
                content = [{"type": "text", "text": draft}]
        prefix = json.dumps([body.get("tools"), body.get("system")], sort_keys=True)
        with self.lock:
            cached = prefix in self.prefixes
            self.prefixes.add(prefix)
        size = len(prefix) // 4
        return {
            "id": f"msg_{len(self.requests)}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model"),
            "content": content,
            "stop_reason": "tool_use" if content[0]["type"] == "tool_use" else "end_turn",
            "stop_sequence": None,
            "usage": {
                "input_tokens": len(json.dumps(body["messages"])) // 4,
                "output_tokens": len(json.dumps(content)) // 4,
                "cache_read_input_tokens": size if cached else 0,
                "cache_creation_input_tokens": 0 if cached else size,
            },
        }

    def of(self, call: str) -> list[dict]:
        """The requests of ``call``: 'route', 'inputs' (any specialist's) or 'write' (no forced tool)."""
        return [
            r
            for r in self.requests
            if str((r.get("tool_choice") or {}).get("name")).startswith(call)
            or (call == "write" and (r.get("tool_choice") or {}).get("type") != "tool")
        ]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _tool_use(name: str, args: dict) -> dict:
    return {
        "type": "tool_use",
        "id": f"toolu_{name}_{time.monotonic_ns()}",
        "name": name,
        "input": args,
    }


def _block_text(block: dict) -> str:
    content = block.get("content")
    return (
        content if isinstance(content, str) else "".join(c.get("text", "") for c in content or [])
    )


def _last_user_text(messages: list[dict]) -> str:
    for message in reversed(messages):
        if message["role"] == "user":
            content = message["content"]
            if isinstance(content, str):
                return content
            texts = [b.get("text", "") for b in content if b.get("type") == "text"]
            if texts:
                return "\n".join(texts)
    return ""
