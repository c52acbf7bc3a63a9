"""Progress in the thread while the Claude brain works: a placeholder message posted at once,
updated as the deliverable streams, then replaced by the first reply of the turn.

Updates go through ``chat.update`` (available on every workspace and plan), at most one every
MIN_INTERVAL seconds to stay inside the method's rate limit (Tier 3, ~50 per minute); the
client's RateLimitErrorRetryHandler absorbs a 429 if one still comes.
"""

from __future__ import annotations

import logging
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from graph.formatting import tr

log = logging.getLogger(__name__)
MIN_INTERVAL = 1.5  # seconds between two chat.update calls of one placeholder
MAX_PREVIEW = 2900  # characters of the streamed draft shown (a section holds 3,000)


class ThreadStream:
    """The placeholder of one turn in ``thread``; call it with the brain's chunks ({'delta': text}
    or {'reset': True}); ``ts`` is the placeholder's message ts (None if it could not be posted)."""

    def __init__(self, client: WebClient, thread, lang: str):
        self.client, self.thread, self.lang = client, thread, lang
        self.draft, self.last = "", 0.0
        self.status = tr(lang, "_Je réfléchis…_", "_Thinking…_")
        try:
            self.ts = client.chat_postMessage(channel=thread.channel, thread_ts=thread.thread_ts, text=self.status)["ts"]
        except SlackApiError:
            log.warning("placeholder not posted in %s", thread.key)
            self.ts = None

    def __call__(self, chunk: dict) -> None:
        self.draft = "" if chunk.get("reset") else self.draft + chunk.get("delta", "")
        if self.ts and time.monotonic() - self.last >= MIN_INTERVAL and self.draft.strip():
            self.last = time.monotonic()
            preview = self.draft[-MAX_PREVIEW:]
            try:
                self.client.chat_update(channel=self.thread.channel, ts=self.ts, text=preview,
                                        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": preview}},
                                                {"type": "context", "elements": [{"type": "mrkdwn", "text": self.status}]}])
            except SlackApiError:  # progress is best effort; the final reply replaces it anyway
                log.warning("placeholder update failed in %s", self.thread.key)

    def discard(self) -> None:
        """Remove the placeholder when the turn has nothing to post."""
        if self.ts:
            try:
                self.client.chat_delete(channel=self.thread.channel, ts=self.ts)
            except SlackApiError:
                log.warning("placeholder not deleted in %s", self.thread.key)
