"""What the user is looking at while the bot's agent pane is open, and requests that change it.

Slack sends ``app_context_changed`` with the channel, canvas or message the user has in view
(most relevant first); it is kept per user (table ``viewing``). A request typed in the pane that
reads as a follow-up of the thread in view (a canvas the bot wrote, a message of a thread it
answered: "et si on double le budget ?", "sans LinkedIn") is applied in that thread, whose
deliverable and canvas are made again there; anything else is answered in the pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.threads import Thread
from graph.understanding import understand
from graph.understanding.followups import OPERATION_CONFIDENCE, Operation, read_operation

if TYPE_CHECKING:
    from bot.app import SlackBot

ENTITIES = {"channel_id": "channel", "canvas_id": "canvas"}  # Slack's entity type -> our column


def in_view(event: dict) -> dict[str, str]:
    """{channel, canvas, message_channel, message_ts} of an ``app_context_changed`` event: the
    first entity of each kind (Slack orders them by relevance); {} for an empty context."""
    where: dict[str, str] = {}
    for entity in (event.get("context") or {}).get("entities") or []:
        kind, value = str(entity.get("type", "")).rsplit("/", 1)[-1], entity.get("value")
        if kind in ENTITIES and isinstance(value, str):
            where.setdefault(ENTITIES[kind], value)
        elif kind == "message_context" and isinstance(value, dict):
            where.setdefault("message_channel", str(value.get("channel_id", "")))
            where.setdefault("message_ts", str(value.get("message_ts", "")))
    return where


def viewed_thread(bot: SlackBot, team: str, user: str) -> Thread | None:
    """The thread the bot answered that ``user`` has in view (a canvas it wrote, a message of
    the thread), as ``user``'s, or None."""
    row = bot.store.viewing.of(team, user)
    if row is None:
        return None
    keys = [bot.store.canvases.thread_of(row["canvas"]) if row["canvas"] else None]
    if row["message_channel"] and row["message_ts"]:
        keys.append(Thread(team, row["message_channel"], row["message_ts"]).key)
    for key in filter(None, keys):
        found = bot.conversations.thread(key)
        if found is not None:
            return Thread(found.team, found.channel, found.thread_ts, user)
    return None


def operation_on(bot: SlackBot, thread: Thread, text: str) -> Operation | None:
    """What ``text`` does to the thread's current request when it reads as a follow-up of it
    (:func:`follow_up`)."""
    return follow_up(bot.conversations.request(thread), text)


def follow_up(request: str, text: str) -> Operation | None:
    """What ``text`` does to ``request`` (a thread's request, its messages one a line) when it
    reads as a follow-up of it (graph.understanding.followups); None for no request, a new
    request, a thanks or an unsure reading."""
    if not request or not text.strip():
        return None
    operation = read_operation(text, understand(request))
    if (
        operation.op in ("new_request", "acknowledge")
        or operation.probability < OPERATION_CONFIDENCE
    ):
        return None
    return operation
