"""Listeners by kind, each module with ``register(app, bot)``."""

from __future__ import annotations

from slack_bolt import App


def register(app: App, bot) -> None:
    """Register every listener of the app."""
    from bot.listeners import actions, events

    events.register(app, bot)
    actions.register(app, bot)
