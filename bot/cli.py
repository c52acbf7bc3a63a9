"""The ``marketing-bot`` command: chat, route, serve."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import typer

from bot.config import MissingSetting, Settings

cli = typer.Typer(help="Slack bot for marketing teams: the marketing-ops seed hierarchy as a LangGraph state machine.",
                  no_args_is_help=True, add_completion=False)


@cli.command()
def chat(thread: str = typer.Option(None, help="Resume this conversation id instead of starting a new one."),
         db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
         charts_dir: Path = typer.Option(Path("charts"), "--charts", help="Where charts (PNG), their data (CSV) and calendars (.ics) are written.")) -> None:
    """Talk to the bot in the terminal (offline brain). Reads one message per line, also from a pipe.
    A path to a .csv/.tsv/.xlsx file in a message stands for a file shared in a Slack thread."""
    from bot import charts
    from bot.conversations import Conversations, EscalationNotifier, Thread
    from bot.render import text_of
    from bot.roles import load_roles
    from graph.data import DataError, load_path

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
        files = []
        for word in line.split():
            if word.lower().endswith((".csv", ".tsv", ".xlsx", ".xlsm")):
                try:
                    files.append(load_path(word))
                except DataError as err:
                    print(text_of({"kind": "data_error", "lang": "fr", "error": err.message("fr")}) + "\n")
        for item in conversations.handle(conv, line.rstrip("\n"), notifier, files=files or None):
            print(text_of(item) + "\n")
            for attached in item.get("files") or []:
                charts_dir.mkdir(parents=True, exist_ok=True)
                (charts_dir / attached["filename"]).write_text(attached["content"], encoding="utf-8")
                print(f"[{attached['title']}: {charts_dir / attached['filename']}]\n")
            for spec in item.get("charts") or []:
                charts_dir.mkdir(parents=True, exist_ok=True)
                (charts_dir / f"{spec['filename']}.png").write_bytes(charts.png(spec))
                (charts_dir / f"{spec['filename']}.csv").write_text(charts.table_csv(spec), encoding="utf-8")
                print(f"[{spec['title']}: {charts_dir / spec['filename']}.png, .csv]\n")


@cli.command()
def route(text: str = typer.Argument(None, help="The request to route."),
          jsonl: bool = typer.Option(False, "--jsonl", help='Read {"text": ...} lines on stdin, write one decision per line.'),
          explain: bool = typer.Option(False, "--explain", help="Also show the top candidates and the words that decided.")) -> None:
    """Print the routing decision: agent, path through the orchestrators, confidence, hand-off."""
    from graph.configuration import default_router

    router = default_router()
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                sys.stdout.write(json.dumps(_route_line(router, line), ensure_ascii=False) + "\n")
        return
    if text is None:
        raise typer.BadParameter("give TEXT or --jsonl")
    if not explain:
        print(json.dumps(router.route(text).as_json(), ensure_ascii=False))
        return
    report = router.explain(text)
    target = report["agent"] or f"({report['handoff']})"
    print(f"route: {' › '.join(report['path']) or '—'} -> {target}  (confidence {report['confidence']:.0%})")
    if report["ambiguous"]:
        print(f"ambiguous between: {' / '.join(report['ambiguous'])} (the user is asked to choose)")
    print("candidates:")
    for c in report["candidates"]:
        print(f"  {c['probability']:6.1%}  {c['id']}")
    words = ", ".join(f"{w['word']} (+{w['points']} pts)" for w in report["decisive_words"])
    print(f"decisive words: {words or '—'}")


def _route_line(router, line: str) -> dict:
    """The decision for one ``--jsonl`` input line; a line that is not {"text": ...} gets an error."""
    try:
        payload = json.loads(line)
        return router.route(str(payload["text"])).as_json()
    except (json.JSONDecodeError, TypeError, KeyError):
        return {"agent": None, "path": [], "confidence": 0.0, "handoff": None, "error": 'not a {"text": ...} object'}


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
