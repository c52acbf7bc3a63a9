"""Listeners by kind (Bolt's templates): each module holds its listeners as module-level functions
and a ``register(app)``; they reach the bot (bot.app.SlackBot) as ``context["bot"]``."""

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
    assistant.register(app)
    events.register(app)
    commands.register(app)
    actions.register(app)
    views.register(app)
