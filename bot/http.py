"""The HTTP endpoint's guard, in front of Bolt's WSGI adapter: ``/healthz`` for load balancers, and
every Slack request checked before anything parses it.

Order of the checks: size (over MAX_BODY: 413, the body is not read), timestamp (not a number:
401), UTF-8 (400), signature and timestamp freshness with slack_sdk's SignatureVerifier (401),
then the body must be the JSON object or form Slack sends (400). A rejected request costs one log
line and no traceback.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Callable, Iterable
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000  # bytes; Slack's payloads are a few KB (a 40,000-character message included)


def _answer(start_response: Callable, status: str, text: str) -> Iterable[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


def _parsed(body: str, content_type: str) -> bool:
    """True when ``body`` is what Slack sends: a JSON object, or a form whose ``payload`` (if any) is JSON."""
    try:
        if "json" in content_type:
            return isinstance(json.loads(body), dict)
        form = parse_qs(body, strict_parsing=True)
        return "payload" not in form or isinstance(json.loads(form["payload"][0]), dict)
    except ValueError:
        return False


class Guard:
    """WSGI middleware: ``Guard(slack_handler, signing_secret)``."""

    def __init__(self, app: Callable, signing_secret: str, max_body: int = MAX_BODY):
        self.app, self.verifier, self.max_body = app, SignatureVerifier(signing_secret), max_body

    def _reject(self, start_response: Callable, status: str, why: str, environ: dict) -> Iterable[bytes]:
        log.warning("rejected %s %s from %s: %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), environ.get("REMOTE_ADDR"), why)
        return _answer(start_response, status, why)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return _answer(start_response, "200 OK", "ok")
        if environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._reject(start_response, "400 Bad Request", "bad Content-Length", environ)
        if length > self.max_body:
            return self._reject(start_response, "413 Payload Too Large", f"body of {length} bytes", environ)
        raw = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        if not timestamp.isdigit():
            return self._reject(start_response, "401 Unauthorized", "missing or malformed timestamp", environ)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._reject(start_response, "400 Bad Request", "body is not UTF-8", environ)
        if not self.verifier.is_valid(body, timestamp, environ.get("HTTP_X_SLACK_SIGNATURE")):
            return self._reject(start_response, "401 Unauthorized", "bad signature or stale timestamp", environ)
        if not _parsed(body, environ.get("CONTENT_TYPE", "")):
            return self._reject(start_response, "400 Bad Request", "body is not a Slack payload", environ)
        environ["wsgi.input"] = io.BytesIO(raw)
        return self.app(environ, start_response)
