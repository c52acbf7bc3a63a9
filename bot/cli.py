"""The ``marketing-bot`` command: chat, route, serve."""

from __future__ import annotations

import json
import logging
import sys
import time

import typer

from bot.config import MissingSetting, Settings

cli = typer.Typer(help="Slack bot for marketing teams: the marketing-ops seed hierarchy as a LangGraph state machine.",
                  no_args_is_help=True, add_completion=False)


@cli.command()
def chat(thread: str = typer.Option(None, help="Resume this conversation id instead of starting a new one."),
         db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB).")) -> None:
    """Talk to the bot in the terminal (offline brain). Reads one message per line, also from a pipe."""
    from bot.conversations import Conversations, EscalationNotifier, Thread
    from bot.render import text_of
    from bot.roles import load_roles

    settings = Settings()
    conversations = Conversations(db or settings.marketing_bot_db)
    roles = load_roles(settings.marketing_bot_roles)
    channel = settings.escalation_channel or "#escalations"
    conv = Thread("cli", "chat", thread or time.strftime("%Y%m%d-%H%M%S"))
    notifier = EscalationNotifier(conversations.store, conv, roles,
                                  lambda text, blocks: print(f"\n[{channel}] {text}\n") or {"channel": channel})
    interactive = sys.stdin.isatty()
    print(f"marketing-bot (offline brain) — conversation {conv.thread_ts}. Ctrl-D to quit.", file=sys.stderr)
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        if not interactive:
            print(f"> {line.rstrip()}")
        for item in conversations.handle(conv, line.rstrip("\n"), notifier):
            print(text_of(item) + "\n")


@cli.command()
def route(text: str = typer.Argument(None, help="The request to route."),
          jsonl: bool = typer.Option(False, "--jsonl", help='Read {"text": ...} lines on stdin, write one decision per line.')) -> None:
    """Print the routing decision: agent, path through the orchestrators, confidence, hand-off."""
    from graph.configuration import default_router

    router = default_router()
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                try:
                    decision = router.route(str(json.loads(line).get("text", ""))).as_json()
                except (json.JSONDecodeError, AttributeError):
                    decision = {"agent": None, "path": [], "confidence": 0.0, "handoff": None, "error": "not a JSON object"}
                sys.stdout.write(json.dumps(decision, ensure_ascii=False) + "\n")
        return
    if text is None:
        raise typer.BadParameter("give TEXT or --jsonl")
    print(json.dumps(router.route(text).as_json(), ensure_ascii=False))


@cli.command()
def serve(port: int = typer.Option(3000, help="HTTP port (ignored in Socket Mode)."),
          host: str = typer.Option("0.0.0.0", help="Interface to listen on.")) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events (waitress)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from bot.app import build_app
    from bot.conversations import Conversations

    settings = Settings()
    try:
        app = build_app(settings, Conversations(settings.marketing_bot_db))
    except MissingSetting as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2)
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        typer.echo("marketing-bot: Socket Mode, offline brain", err=True)
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        return
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from waitress import serve as waitress_serve

    typer.echo(f"marketing-bot: HTTP on {host}:{port}/slack/events, offline brain", err=True)
    waitress_serve(SlackRequestHandler(app), host=host, port=port, threads=8)


def main() -> None:
    """Console-script entry point."""
    cli()
