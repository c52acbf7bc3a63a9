"""The HTTP endpoint's guard, in front of Bolt's WSGI adapter: ``/healthz`` for load balancers (503 while no worker answers),
``/metrics`` for Prometheus (with its bearer token, MARKETING_BOT_METRICS_TOKEN), and every Slack
request checked before anything parses it.

Order of the checks: size (over MAX_BODY: 413, the body is not read), timestamp (not a number:
401), UTF-8 (400), signature and timestamp freshness with slack_sdk's SignatureVerifier (401),
then the body must be the JSON object or form Slack sends (400). A rejected request costs one log
line and no traceback.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

from prometheus_client import CONTENT_TYPE_LATEST
from slack_sdk.signature import SignatureVerifier

from bot.metrics import ACK_SECONDS, ACKS

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000  # bytes; Slack's payloads are a few KB (a 40,000-character message included)


def _answer(start_response: Callable, status: str, text: str) -> Iterable[bytes]:
    data = text.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _kind(body: str, content_type: str) -> str | None:
    """What Slack sent: 'event' (a JSON object), 'command' or 'interaction' (a form, whose
    ``payload`` is a JSON object); None when ``body`` is none of them."""
    try:
        if "json" in content_type:
            return "event" if isinstance(json.loads(body), dict) else None
        form = parse_qs(body, strict_parsing=True)
        if "payload" in form:
            return "interaction" if isinstance(json.loads(form["payload"][0]), dict) else None
        return "command"
    except ValueError:
        return None


class Guard:
    """WSGI middleware: ``Guard(slack_handler, signing_secret, metrics)``; ``metrics()`` gives the
    Prometheus exposition served on ``/metrics`` (bot.metrics.exposition)."""

    def __init__(
        self,
        app: Callable,
        signing_secret: str,
        metrics: Callable[[], bytes] | None = None,
        max_body: int = MAX_BODY,
        health: Callable[[], str | None] = lambda: None,
        metrics_token: str | None = None,
    ):
        """``health()``: None when the bot can answer, else why not (``/healthz`` answers 503 with it).
        ``metrics_token``: the bearer token ``/metrics`` requires (queue depths and open escalations
        are not for the internet); without one, ``/metrics`` is not served."""
        self.app, self.verifier, self.max_body, self.metrics = (
            app,
            SignatureVerifier(signing_secret),
            max_body,
            metrics,
        )
        self.health, self.metrics_token = health, metrics_token

    def _reject(
        self, start_response: Callable, status: str, why: str, environ: dict
    ) -> Iterable[bytes]:
        log.warning(
            "rejected %s %s from %s: %s",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            environ.get("REMOTE_ADDR"),
            why,
        )
        return _answer(start_response, status, why)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            trouble = self.health()
            return (
                _answer(start_response, "503 Service Unavailable", trouble)
                if trouble
                else _answer(start_response, "200 OK", "ok")
            )
        if environ.get("PATH_INFO") == "/metrics" and self.metrics and self.metrics_token:
            given = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), self.metrics_token.encode()):
                return self._reject(
                    start_response, "401 Unauthorized", "metrics without their token", environ
                )
            data = self.metrics()
            start_response(
                "200 OK",
                [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(data)))],
            )
            return [data]
        if environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._reject(start_response, "400 Bad Request", "bad Content-Length", environ)
        if length > self.max_body:
            return self._reject(
                start_response, "413 Payload Too Large", f"body of {length} bytes", environ
            )
        raw = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        if not timestamp.isdigit():
            return self._reject(
                start_response, "401 Unauthorized", "missing or malformed timestamp", environ
            )
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._reject(start_response, "400 Bad Request", "body is not UTF-8", environ)
        if not self.verifier.is_valid(body, timestamp, environ.get("HTTP_X_SLACK_SIGNATURE")):
            return self._reject(
                start_response, "401 Unauthorized", "bad signature or stale timestamp", environ
            )
        kind = _kind(body, environ.get("CONTENT_TYPE", ""))
        if kind is None:
            return self._reject(
                start_response, "400 Bad Request", "body is not a Slack payload", environ
            )
        environ["wsgi.input"] = io.BytesIO(raw)
        return self._counted(kind, environ, start_response)

    def _counted(self, kind: str, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Bolt's answer to a verified Slack request, counted (bot.metrics: acks by kind and status, seconds)."""
        started, status = time.perf_counter(), []

        def counting(code: str, headers: list, *rest):
            status.append(code.split(" ", 1)[0])
            return start_response(code, headers, *rest)

        body = self.app(environ, counting)
        ACK_SECONDS.observe(time.perf_counter() - started)
        ACKS.labels(kind=kind, status=status[0] if status else "none").inc()
        return body
