"""Listeners by kind, each module with ``register(app, bot)``."""

from __future__ import annotations

from slack_bolt import App


def register(app: App, bot) -> None:
    """Register every listener of the app: the assistant pane first (it takes the messages of its
    threads), then events, slash commands, actions and modal submissions."""
    from bot.listeners import actions, assistant, commands, events, views

    def with_bot(context, next) -> None:
        """Listeners written as module-level functions reach the bot as ``context["bot"]``."""
        context["bot"] = bot
        next()

    app.use(with_bot)
    assistant.register(app, bot)
    events.register(app, bot)
    commands.register(app, bot)
    actions.register(app)
    views.register(app, bot)
