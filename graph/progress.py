"""Progress of a graph run, for whoever watches it (Slack's stream, the terminal).

Nodes and calculators report through LangGraph's custom stream (``stream_mode="custom"``):
``{"delta": text}`` / ``{"reset": True}`` as the Claude brain writes, ``{"calculator": id,
"library": name}`` when a calculator runs. Outside a graph run, reports go nowhere.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def writer() -> Callable[[Any], None]:
    """LangGraph's custom stream writer inside a graph run, else a no-op."""
    try:
        from langgraph.config import get_stream_writer

        return get_stream_writer()
    except (RuntimeError, KeyError):
        return lambda chunk: None


def calculator(task: str, library: str):
    """Decorate a calculator: each call reports {"calculator": task, "library": library} first.
    ``task`` is a key of the catalogues' ``calculator`` entries ('sample_size', 'ztest', …);
    ``library`` names the method as the deliverable's method section does."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            writer()({"calculator": task, "library": library})
            return fn(*args, **kwargs)

        return run

    return wrap
