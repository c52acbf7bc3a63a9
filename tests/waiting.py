"""Waiting in tests: on something a user or Slack would observe (a post, an ack, a row, empty
queues), never for a fixed time. Every test waits through these two functions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from graph.storage import Store

T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = 60, every: float = 0.05) -> T:
    """Call ``check`` every ``every`` seconds until it returns something true, for ``timeout``
    seconds at most; returns its last value (false when it never came)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def settled(db: str | Store, timeout: float = 90) -> bool:
    """Wait until the bot on database ``db`` (a SQLite file, a 'postgresql://' URL or an open
    Store) has nothing queued, running or waiting to be sent: only then may a test say that
    nothing else happened. False after ``timeout`` seconds."""
    from graph.storage import Store

    store = db if isinstance(db, Store) else Store(db)
    try:
        return wait_until(lambda: store.queue_depth() == {"jobs": 0, "outbox": 0}, timeout)
    finally:
        if store is not db:
            store.db.close()
