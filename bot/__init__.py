"""Slack side of the marketing bot: configuration, Bolt app, listeners, Block Kit rendering, CLI."""
