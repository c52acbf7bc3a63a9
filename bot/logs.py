"""Logging for `serve` and `worker`: plain lines, or one JSON object per line with
LOG_FORMAT=json (python-json-logger), each carrying the Slack thread key and the event id of the
turn it belongs to when there is one (set with :func:`context`)."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Mapping
from contextlib import contextmanager
from types import MappingProxyType

# read-only default: a context is replaced by set(), never changed in place
_CONTEXT: contextvars.ContextVar[Mapping] = contextvars.ContextVar(
    "marketing_bot_log_context", default=MappingProxyType({})
)
FIELDS = ("thread_key", "event_id")


class _Context(logging.Filter):
    """Adds thread_key and event_id (or None) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        values = _CONTEXT.get()
        for name in FIELDS:
            setattr(record, name, values.get(name))
        return True


@contextmanager
def context(**values):
    """Log records made inside carry ``values`` (thread_key, event_id)."""
    token = _CONTEXT.set({**_CONTEXT.get(), **{k: v for k, v in values.items() if v}})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def configure(log_format: str = "text") -> None:
    """Root logging at INFO to stderr: ``log_format`` 'json' (one object per line: time, level,
    logger, message, thread_key, event_id) or 'text'."""
    handler = logging.StreamHandler()
    handler.addFilter(_Context())
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(thread_key)s %(event_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
