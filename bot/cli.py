"""The ``marketing-bot`` command: chat, route, serve."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer

if TYPE_CHECKING:
    from graph.conversations import Conversations

from bot import logs
from bot.config import MissingSetting, Settings

cli = typer.Typer(
    help="Slack bot for marketing teams: the marketing-ops seed hierarchy as a LangGraph state machine.",
    no_args_is_help=True,
    add_completion=False,
)


@cli.command()
def chat(
    thread: str = typer.Option(
        None, help="Resume this conversation id instead of starting a new one."
    ),
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
    charts_dir: Path = typer.Option(
        Path("charts"),
        "--charts",
        help="Where charts (PNG), their data (CSV) and calendars (.ics) are written.",
    ),
    as_: str = typer.Option(
        None,
        "--as",
        help="Play the decider of escalations: a role of the role map (direction, legal…) or a Slack user id it lists.",
    ),
) -> None:
    """Talk to the bot in the terminal (Claude brain when ANTHROPIC_API_KEY is set, else offline).
    Reads one message per line, also from a pipe.
    A path to a .csv/.tsv/.xlsx file in a message stands for a file shared in a Slack thread.
    A blocking escalation waits for a decision typed by its role ("validé", "refusé : raison"):
    ``--as ROLE_OR_USER`` types as that decider; without it the chat says who must decide."""
    from bot.escalations import Desk, EscalationNotifier
    from bot.render import terminal_text
    from bot.roles import Directory, load_roles
    from graph.threads import TERMINAL_TEAM, Thread

    settings = Settings()
    conversations = _conversations(settings, db)
    rules = conversations.context.hierarchy.escalations
    directory, decider = _decider(Directory(load_roles(settings.marketing_bot_roles)), rules, as_)
    desk = Desk(conversations.store, directory, rules)
    channel = settings.escalation_channel or "#escalations"
    conv = Thread(TERMINAL_TEAM, "chat", thread or _new_conversation_id())
    notifier = EscalationNotifier(
        desk,
        conv,
        lambda text, blocks, escalation_id: print(f"\n[{channel}] {terminal_text(text)}\n"),
    )
    interactive = sys.stdin.isatty()
    print(
        f"marketing-bot ({_brain_label(settings)}) — conversation {conv.thread_ts}. Ctrl-D to quit.",
        file=sys.stderr,
    )
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        if not interactive:
            print(f"> {line.rstrip()}")
        items = _chat_turn(conversations, desk, notifier, conv, decider, line, channel)
        for item in items:
            _print_item(item, charts_dir)
        if not decider and (waiting := decision_pending(conversations, conv)):
            roles = " / ".join(r.role for r in rules if r.id in waiting["rules"])
            print(
                f"(to decide from the terminal, as {roles}: marketing-bot chat --as {roles} --thread {conv.thread_ts}, then type 'validé' / 'approved' or 'refusé : raison' / 'rejected: reason')\n"
            )


def _new_conversation_id() -> str:
    """A new terminal conversation's id: its start time, and 4 random hex digits so that two
    chats started in the same second stay apart."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:4]


def _decider(directory, rules, as_: str | None):
    """(directory, decider) for ``chat --as``: a role of the rules or the role map is played by a
    stand-in user 'as-<role>'; a Slack user id (U…) types as that user; none: ('', nobody).
    Raises typer.BadParameter for anything else."""
    if not as_:
        return directory, ""
    if as_ in {r.role for r in rules} | {r.fallback for r in rules} | set(directory.roles):
        return directory.playing(as_, f"as-{as_}"), f"as-{as_}"
    if as_[:1] in ("U", "W"):
        return directory, as_
    raise typer.BadParameter(
        f"{as_!r} is neither a role of the role map nor a Slack user id (U…)",
        param_hint="--as",
    )


def _chat_turn(conversations, desk, notifier, conv, decider: str, line: str, channel: str) -> list:
    """One typed line of the terminal chat: a decision on the escalation that waits (typed by its
    decider), else a message for the bot with the files it names; returns the bot's items."""
    from bot.render import escalation_status, terminal_text, text_of
    from graph.data import DataError, load_path
    from graph.messages import FileError
    from graph.text import detect_language

    files = []
    for path in file_names(line):
        try:
            files.append(load_path(path))
        except DataError as err:  # said in the language the line is written in
            lang = detect_language(line)
            print(terminal_text(text_of(FileError(lang=lang, error=err.message(lang)))) + "\n")
    waiting = decision_pending(conversations, conv)
    decided = desk.typed(conv.key, waiting["rules"], decider, line) if waiting else None
    if not decided:
        return conversations.handle(
            conv, line.rstrip("\n"), notifier, files=files or None, progress=_progress
        )
    status = " ".join(escalation_status(decided, decided.get("lang") or "fr"))
    print(f"[{channel}] {terminal_text(status)}\n")
    items = conversations.resume(conv, desk.resume_value(decided), notifier)
    conversations.store.escalations.mark_resumed(decided["id"])
    return items


def _progress(chunk: dict) -> None:
    """The Claude brain's deliverable, printed as it is written."""
    print("\n[…]\n" if chunk.get("reset") else chunk.get("delta", ""), end="", flush=True)


def _print_item(item: dict, charts_dir: Path) -> None:
    """One item of the bot in the terminal: its text (the path alone when Claude's text was
    already printed as it came), and its files and charts (PNG and CSV) written to ``charts_dir``."""
    from bot import charts
    from bot.render import terminal_text, text_of
    from graph.hierarchy import load_hierarchy

    if item.get("streamed"):  # Claude's text was printed as it came: only the route is left
        shown = load_hierarchy().shown_path(item["path"], item.get("lang") or "fr")
    else:
        shown = text_of(item)
    print(terminal_text(shown) + "\n")
    for attached in item.get("files") or []:
        charts_dir.mkdir(parents=True, exist_ok=True)
        (charts_dir / attached["filename"]).write_text(attached["content"], encoding="utf-8")
        print(f"[{attached['title']}: {charts_dir / attached['filename']}]\n")
    for spec in item.get("charts") or []:
        charts_dir.mkdir(parents=True, exist_ok=True)
        (charts_dir / f"{spec['filename']}.png").write_bytes(charts.png(spec))
        (charts_dir / f"{spec['filename']}.csv").write_text(
            charts.table_csv(spec), encoding="utf-8"
        )
        print(f"[{spec['title']}: {charts_dir / spec['filename']}.png, .csv]\n")


FILE_NAME = re.compile(r"[\w./~-]*\w\.(?:csv|tsv|xlsx|xlsm)\b", re.I)


def file_names(line: str) -> list[str]:
    """The table files a chat message names ('journeys_q3.csv', './data/leads.xlsx'), as people
    write them: followed by a period, a comma, a colon or a closing bracket, or in quotes."""
    return FILE_NAME.findall(line)


def decision_pending(conversations, conv) -> dict | None:
    """The decision_pending interrupt the conversation waits on, or None."""
    from graph.messages import DecisionPending, parse

    pending = conversations.pending(conv)
    return pending[0] if pending and isinstance(parse(pending[0]), DecisionPending) else None


@cli.command()
def route(
    text: str = typer.Argument(None, help="The request to route."),
    jsonl: bool = typer.Option(
        False, "--jsonl", help='Read {"text": ...} lines on stdin, write one decision per line.'
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Also show the top candidates and the words that decided."
    ),
) -> None:
    """Print the routing decision: agent, path through the orchestrators, confidence, hand-off."""
    from graph.router import default_router

    settings = Settings()
    router = default_router()
    brain = _brain(settings, router)
    print(f"marketing-bot route: {_brain_label(settings)}", file=sys.stderr)
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                sys.stdout.write(json.dumps(_route_line(brain, line), ensure_ascii=False) + "\n")
        return
    if text is None:
        raise typer.BadParameter("give TEXT or --jsonl")
    if not explain:
        print(json.dumps(_route_text(brain, text).as_json(), ensure_ascii=False))
        return
    report = router.explain(text)
    target = report["agent"] or f"({report['handoff']})"
    print(
        f"route: {' › '.join(report['path']) or '—'} -> {target}  (confidence {report['confidence']:.0%})"
    )
    if report["ambiguous"]:
        print(f"ambiguous between: {' / '.join(report['ambiguous'])} (the user is asked to choose)")
    print("candidates:")
    for c in report["candidates"]:
        print(f"  {c['probability']:6.1%}  {c['id']}")
    words = ", ".join(f"{w['word']} (+{w['points']} pts)" for w in report["decisive_words"])
    print(f"decisive words: {words or '—'}")


def _route_line(brain, line: str) -> dict:
    """The decision for one ``--jsonl`` input line; a line that is not {"text": ...} gets an error."""
    try:
        payload = json.loads(line)
        return _route_text(brain, str(payload["text"])).as_json()
    except (json.JSONDecodeError, TypeError, KeyError):
        return {
            "agent": None,
            "path": [],
            "confidence": 0.0,
            "handoff": None,
            "error": 'not a {"text": ...} object',
        }


def _route_text(brain, text: str):
    """The brain's decision for ``text``; the offline router's when Claude fails (said on stderr)."""
    from graph.brains import BrainError
    from graph.text import detect_language

    try:
        return brain.route(text, None, detect_language(text))
    except BrainError as err:
        print(f"claude failed ({err.reason}): offline router", file=sys.stderr)
        return brain.router.route(text)


def _brain_label(settings: Settings) -> str:
    """How the start-up line names the brain (never the key)."""
    return f"Claude brain, {settings.marketing_bot_model}" if settings.claude else "offline brain"


def _brain(settings: Settings, router):
    """The Claude brain when ANTHROPIC_API_KEY is set (usage not recorded), else the offline brain."""
    from graph.brains import OfflineBrain

    if not settings.claude:
        return OfflineBrain(router)
    from graph.brains.claude import ClaudeBrain, chat_model  # langchain: only for Claude
    from graph.hierarchy import load_hierarchy

    return ClaudeBrain(
        chat_model(settings), load_hierarchy(), router, model_id=settings.marketing_bot_model
    )


def _acking(settings: Settings, queued: bool) -> Conversations:
    """The conversations of the process that acks: when workers run the turns (``queued``), it
    only acks and queues, so the store and the escalation rules (bot.queue.ConversationsLater;
    the graph only if asked)."""
    from bot.queue import ConversationsLater

    if not queued:
        return _conversations(settings)
    return cast(
        "Conversations", ConversationsLater(settings.database, lambda: _conversations(settings))
    )


def _conversations(settings: Settings, db: str | None = None):
    """Conversations on ``db`` (default DATABASE_URL, else MARKETING_BOT_DB) with the Claude brain when the key is set."""
    from graph.conversations import Conversations

    ttl = settings.marketing_bot_lease_ttl
    if not settings.claude:
        return Conversations(db or settings.database, lease_ttl=ttl)
    from graph.brains.claude import chat_model

    return Conversations(
        db or settings.database,
        model=chat_model(settings),
        model_id=settings.marketing_bot_model,
        lease_ttl=ttl,
    )


@cli.command()
def stats(db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB).")) -> None:
    """Feedback per specialist (thumbs up / down), then Claude usage per turn: calls, input and
    output tokens, tokens read from and written to the prompt cache, and the share read from cache."""
    from graph.storage import Store

    settings = Settings()
    store = Store(db or settings.database)
    ratings = store.deliverables.feedback_by_agent()
    if ratings:
        print(f"{'feedback by specialist':<28} {'useful':>7} {'not useful':>11}")
        for r in ratings:
            print(f"{r['agent']:<28} {r['up']:>7} {r['down']:>11}")
        print()
    rows = store.usage.usage_by_turn()
    if not rows:
        print("no Claude call recorded yet (the offline brain uses no tokens)")
        return
    print(
        f"{'turn started':<25} {'thread':<34} {'calls':>5} {'input':>8} {'output':>7} {'cache read':>10} {'cache write':>11} {'from cache':>10}"
    )
    for r in rows:
        share = r["cache_read"] / r["input_tokens"] if r["input_tokens"] else 0.0
        print(
            f"{r['started']:<25} {r['thread_key'][-34:]:<34} {r['calls']:>5} {r['input_tokens']:>8} {r['output_tokens']:>7} "
            f"{r['cache_read']:>10} {r['cache_write']:>11} {share:>10.1%}"
        )
    total_in, total_read = sum(r["input_tokens"] for r in rows), sum(r["cache_read"] for r in rows)
    print(
        f"{len(rows)} turns, {total_in} input tokens, {sum(r['output_tokens'] for r in rows)} output tokens, "
        f"{total_read / total_in if total_in else 0:.1%} of input read from cache"
    )


def _write_csv(rows: list[dict], columns: list[str]) -> None:
    """``rows`` as CSV on stdout: a header of ``columns``, then one line per row (other keys left
    out), formula-like cells neutralised (bot.csv_export)."""
    from bot.csv_export import write_rows

    write_rows(sys.stdout, [columns] + [[r.get(c) for c in columns] for r in rows])


@cli.command()
def feedback(
    as_csv: bool = typer.Option(False, "--csv", help="CSV on stdout instead of a list."),
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
) -> None:
    """Feedback on deliverables, newest first: when, thumbs up or down, the specialist and its route,
    who, what was wrong (thumbs down), the deliverable's title and thread."""
    from graph.storage import Store

    rows = Store(db or Settings().database).deliverables.feedback_rows()
    columns = [
        "created_at",
        "rating",
        "agent",
        "path",
        "user",
        "reason",
        "title",
        "thread_key",
        "deliverable_id",
    ]
    if as_csv:
        _write_csv(rows, columns)
        return
    if not rows:
        print("no feedback yet")
        return
    for r in rows:
        thumb = "+" if r["rating"] == "up" else "-"
        print(
            f"{r['created_at']}  {thumb}  {r['agent']:<24} {r['user']:<12} {r['title'][:50]}"
            + (f"\n    « {r['reason']} »" if r["reason"] else "")
        )
    print(
        f"{len(rows)} feedback: {sum(r['rating'] == 'up' for r in rows)} useful, {sum(r['rating'] == 'down' for r in rows)} not useful"
    )


@cli.command()
def labelled(
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
    figures: bool = typer.Option(
        False, "--figures", help="The figure readings users confirmed or corrected instead."
    ),
) -> None:
    """The answers users gave to "escalate this possible situation?" in threads, as JSON Lines in
    the format of prompts/corpus/situations_examples.jsonl (``--figures``: the readings confirmed or
    corrected on the reading form, in the format of prompts/corpus/figures_examples.jsonl): review
    them, append them there, and the models learn from them at the next start."""
    from graph.storage import LabelledExamples, Store

    examples = LabelledExamples(Store(db or Settings().database))
    for row in examples.figure_examples() if figures else examples.situation_examples():
        print(json.dumps(row, ensure_ascii=False))


@cli.command()
def escalations(
    status: str = typer.Option(
        None,
        help="Only escalations in this status: open, acknowledged, assigned, approved, rejected, changes_requested.",
    ),
    as_csv: bool = typer.Option(False, "--csv", help="CSV on stdout instead of a table."),
    team: str = typer.Option(
        None, help="Only this workspace's (its Slack team id, T…); default: every workspace."
    ),
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
) -> None:
    """The escalations' audit trail: every event (raised, reminded, acknowledged, assigned,
    approved, rejected, changes_requested, denied) with its user, time (UTC) and reason."""
    from graph.storage import Store

    rows = Store(db or Settings().database).escalations.escalation_trail(status, team)
    columns = ["at", "escalation_id", "rule", "role", "status", "event", "user", "reason"]
    if as_csv:
        _write_csv(rows, columns)
        return
    if not rows:
        print("no escalation" + (f" with status {status}" if status else "") + " recorded")
        return
    print(
        f"{'at (UTC)':<25} {'rule':<20} {'role':<18} {'status':<17} {'event':<17} {'user':<14} reason / evidence"
    )
    for r in rows:
        print(
            f"{r['at']:<25} {r['rule']:<20} {r['role']:<18} {r['status']:<17} {r['event']:<17} {r['user'] or '—':<14} {r['reason'] or ''}"
        )
    print(f"{len({r['escalation_id'] for r in rows})} escalations, {len(rows)} events")


@cli.command()
def export(
    sqlite: Path = typer.Option(..., "--sqlite", help="The SQLite file to write (replaced)."),
    team: str = typer.Option(
        None, help="Only this workspace's (its Slack team id, T…); default: every workspace."
    ),
    db: str = typer.Option(
        None, help="SQLite file (default: DATABASE_URL, else MARKETING_BOT_DB)."
    ),
) -> None:
    """A portable copy of the team's knowledge: experiments with their learnings, deliverables,
    escalations and their audit trail, with full-text search, ready for ``datasette FILE``."""
    from graph.export import export_sqlite
    from graph.storage import Store

    written = export_sqlite(Store(db or Settings().database), sqlite, team)
    print(", ".join(f"{n} {table}" for table, n in written.items()) + f" written to {sqlite}")


EXPERIMENT_COLUMNS = [
    "id",
    "status",
    "name",
    "hypothesis",
    "page",
    "metric",
    "variants",
    "baseline",
    "mde",
    "planned_n",
    "planned_days",
    "start_date",
    "end_date",
    "results",
    "lift",
    "p_value",
    "chance",
    "learnings",
    "impact",
    "confidence",
    "ease",
    "ice",
    "owner",
    "team",
    "channel",
    "thread_ts",
    "created_at",
    "finished_at",
    "decided_by",
    "decided_at",
]


@cli.command()
def experiments(
    status: str = typer.Option(
        None,
        help="Only experiments in this status: backlog, running, shipped, rejected, inconclusive.",
    ),
    as_csv: bool = typer.Option(
        False, "--csv", help="CSV on stdout (every column) instead of one line each."
    ),
    team: str = typer.Option(
        None, help="Only this workspace's (its Slack team id, T…); default: every workspace."
    ),
    decide: str = typer.Option(
        None,
        "--decide",
        help='Record the team\'s decision: "EXP-3 shipped <note>", "EXP-4 écarté <note>".',
    ),
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
) -> None:
    """The experiment log, winners and losers alike: every test plan and readout, and the backlog's
    ideas, most recently updated first. CSV columns: id (EXP-n), status, the change tested (name),
    hypothesis, page, metric, variants, baseline (%), MDE, planned visitors per variant and days,
    dates, results (JSON arms), lift (%), p-value, Bayesian chance to win (%), learnings, ICE
    scores, owner, Slack thread, and who recorded the team's decision and when.

    --decide records the team's decision on one test (shipped, rejected or inconclusive, whatever
    the statistics said), as `/experiments EXP-3 déployé …` does in Slack; exit 2 when the text
    names no test or no decision, or the test is not in the log."""
    import getpass

    from graph.experiments import ExperimentLog, label, line, read_decision
    from graph.storage import Store
    from graph.text import detect_language

    store = Store(db or Settings().database)
    if decide is not None:
        decision, lang = read_decision(decide), detect_language(decide, "fr")
        if decision is None:
            typer.echo(
                'usage: --decide "EXP-3 shipped <note>" (shipped/déployé, rejected/écarté, inconclusive/non concluant)',
                err=True,
            )
            raise typer.Exit(2)
        row, answer = ExperimentLog(store).answer_decision(None, decision, getpass.getuser(), lang)
        typer.echo(answer, err=row is None)
        raise typer.Exit(0 if row else 2)
    rows = store.experiments.experiments(team, statuses=(status,) if status else ())
    if as_csv:
        _write_csv([{**r, "id": label(r)} for r in rows], EXPERIMENT_COLUMNS)
        return
    if not rows:
        print("no experiment logged" + (f" with status {status}" if status else "") + " yet")
        return
    for r in rows:
        print(
            line(r, r.get("lang") or "fr")
            + (f"\n    {r['learnings']}" if r.get("learnings") else "")
        )
    print(f"{len(rows)} experiments")


@cli.command()
def digest(
    post: bool = typer.Option(
        False,
        "--post",
        help="Post it to EXPERIMENTS_CHANNEL in Slack (once per workspace and period).",
    ),
    days: int = typer.Option(7, help="The period: the last DAYS days, today included."),
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
) -> None:
    """The learnings digest of the experiments finished in the last DAYS days: tests finished,
    winners, losers, inconclusive, compounded lift, one row per test with its learning; printed,
    and with --post sent to EXPERIMENTS_CHANNEL through the outbox (`serve` posts last week's by itself from Monday 09:00 UTC)."""
    from datetime import date, timedelta

    from graph.experiments import digests
    from graph.storage import Store

    settings = Settings()
    until = date.today() + timedelta(days=1)
    since = until - timedelta(days=days)
    found = digests(Store(db or settings.database), since, until)
    if not found:
        print(
            f"no experiment finished from {since} to {until - timedelta(days=1)}: nothing to post"
        )
        return
    for _, doc in found:
        print(doc.text() + "\n")
    if post:
        _post_digest(settings, db, since, until)


def _post_digest(settings: Settings, db: str | None, since, until) -> None:
    """Write the digest to the outbox and send it: exits 2 when a setting is missing, 1 when Slack
    did not accept it within a minute (the outbox keeps it: `serve` sends it later)."""
    from bot.app import SlackBot, web_client, workspace_clients
    from bot.installations import oauth_settings

    try:
        settings.require_slack("experiments_channel")
    except MissingSetting as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    conversations = _conversations(settings, db)
    client = web_client(settings)
    bot = SlackBot(
        settings,
        conversations,
        client,
        workspace_clients(
            settings,
            client,
            oauth_settings(settings, conversations.store.db.engine).installation_store
            if settings.oauth
            else None,
        ),
    )
    keys = bot.scheduler.post_digest(since, until, settings.experiments_channel or "")
    if not keys:
        print(f"already posted to {settings.experiments_channel} for this period")
        return
    stop, deadline = bot.sender.start(), time.monotonic() + 60

    def pending() -> list[dict]:
        return [
            r
            for r in bot.store.outbox.outbox_rows(limit=500)
            if r["key"].startswith(tuple(keys)) and r["status"] in ("pending", "sending")
        ]

    while pending() and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    failed = [
        r
        for r in bot.store.outbox.outbox_rows("failed", limit=500)
        if r["key"].startswith(tuple(keys))
    ]
    if pending() or failed:
        typer.echo(
            f"the digest is not posted yet ({failed[0]['error'] if failed else 'Slack did not answer'}): the outbox keeps it",
            err=True,
        )
        raise typer.Exit(1)
    print(f"posted to {settings.experiments_channel}")


WORKER_READY_WAIT = 120.0  # seconds serve waits for a worker to load the graph before opening


@cli.command()
def serve(
    port: int = typer.Option(3000, help="HTTP port (ignored in Socket Mode)."),
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),
    without_roles: bool = typer.Option(
        False,
        "--without-roles",
        help="Start even when a blocking escalation has nobody who may decide it (trials).",
    ),
) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events
    (waitress, behind bot/http.py's guard, with /healthz). This process acks; turns, the outbox
    and the escalation clock run in MARKETING_BOT_PROCESSES worker processes (0: all here). Stops
    (exit 2) when a blocking escalation rule has nobody configured for its role or fallback
    (MARKETING_BOT_ROLES), unless --without-roles.
    Message events received but not finished before a restart are taken up. Prometheus metrics
    on /metrics (HTTP), summed over this process and its workers."""
    if not os.environ.get(
        "PROMETHEUS_MULTIPROC_DIR"
    ):  # before prometheus-client is imported, here and in the workers below
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="marketing-bot-metrics-")
    logs.configure(Settings().log_format)
    from bot.queue import Supervisor

    settings = Settings()
    elsewhere = settings.marketing_bot_workers_elsewhere
    workers = 0 if elsewhere else settings.marketing_bot_processes
    try:
        settings.require_app()
    except MissingSetting as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    supervisor = Supervisor(
        [sys.executable, "-m", "bot", "worker", "--parent", str(os.getpid())], workers
    )
    if workers:  # turns and sends in worker processes, that exit with this one and are restarted when they die
        supervisor.start()  # they load the graph while this process starts
    from slack_bolt.request import BoltRequest

    from bot.app import build_app  # after the workers start, which load the graph meanwhile

    queued = elsewhere or workers > 0
    app, bot = build_app(settings, _acking(settings, queued), queue=queued)
    _check_roles(bot, without_roles)
    if workers:
        if not supervisor.ready.wait(WORKER_READY_WAIT):  # the port opens when a worker can answer
            typer.echo("marketing-bot: no worker ready yet; accepting requests anyway", err=True)
    elif not elsewhere:
        bot.start()
    bot.replay(
        lambda body: app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    )  # replayed events were verified when received
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        typer.echo(f"marketing-bot: Socket Mode, {_brain_label(settings)}", err=True)
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        return
    _serve_http(app, bot, supervisor, settings, host, port)


def _serve_http(app, bot, supervisor, settings: Settings, host: str, port: int) -> None:
    """Serve Slack's requests over HTTP on ``host``:``port`` (waitress), behind bot/http.py's
    guard (signature, body size), with /healthz and /metrics."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from waitress import serve as waitress_serve

    from bot.http import MAX_BODY, Guard
    from bot.metrics import exposition
    from bot.queue import health

    typer.echo(
        f"marketing-bot: HTTP on {host}:{port}/slack/events, {supervisor.count} worker processes"
        f"{' (and workers elsewhere)' if settings.marketing_bot_workers_elsewhere else ''}, "
        f"{_brain_label(settings)}",
        err=True,
    )
    guard = Guard(
        SlackRequestHandler(app),
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else "",
        lambda: exposition(bot.store),
        health=lambda: health(bot.store, supervisor, settings.marketing_bot_stall_after),
        metrics_token=settings.marketing_bot_metrics_token.get_secret_value()
        if settings.marketing_bot_metrics_token
        else None,
    )
    waitress_serve(guard, host=host, port=port, threads=16, max_request_body_size=MAX_BODY)


def _check_roles(bot, without_roles: bool) -> None:
    """Stop (exit 2, naming them) when blocking escalation rules have nobody who may decide them,
    unless ``without_roles``; then warn about every role nobody holds."""
    undecidable = bot.desk.undecidable()
    if undecidable and not without_roles:
        typer.echo(
            "Blocking escalations would wait forever: nobody may decide "
            + "; ".join(undecidable)
            + ". Copy bot/roles.yaml, "
            "fill in your Slack ids for these roles, point MARKETING_BOT_ROLES at it (see README, step 4), or start with "
            "--without-roles.",
            err=True,
        )
        raise typer.Exit(2)
    bot.desk.warn_unconfigured()


@cli.command()
def healthcheck(
    port: int = typer.Option(3000, help="The port `serve` listens on (HTTP)."),
) -> None:
    """Exit 0 when the bot can answer, 1 (saying why) when it cannot: the container's health
    check in either mode. Over HTTP it asks `serve`'s /healthz on this machine; in Socket Mode
    (SLACK_APP_TOKEN set: no port) it reads the database: queued work that no worker has claimed
    for MARKETING_BOT_STALL_AFTER seconds means the workers are dead or stuck."""
    import urllib.error
    import urllib.request

    settings = Settings()
    if settings.slack_app_token:
        from bot.queue import health
        from graph.storage import Store

        reason = health(Store(settings.database), None, settings.marketing_bot_stall_after)
    else:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=4):
                reason = None
        except urllib.error.HTTPError as err:
            reason = f"/healthz answered {err.code}: {err.read().decode(errors='replace')[:200]}"
        except OSError as err:
            reason = f"serve does not answer on port {port}: {err}"
    if reason:
        typer.echo(f"unhealthy: {reason}", err=True)
        raise typer.Exit(1)
    typer.echo("healthy")


@cli.command()
def worker(
    parent: int = typer.Option(
        0, help="Exit when this process id is gone (serve starts workers with its own)."
    ),
) -> None:
    """Run queued turns and send the outbox: the work `serve` queues (MARKETING_BOT_PROCESSES of
    these are started by `serve`; more can run on other machines sharing the database)."""
    logs.configure(Settings().log_format)
    from bot.app import build_app, web_client
    from bot.queue import JobRunner, exit_with, run_worker, say_ready, wait_for_slack

    if parent:
        exit_with(parent)
    settings = Settings()
    try:
        settings.require_slack("escalation_channel")
    except MissingSetting as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    conversations = _conversations(settings)  # the graph and its models: the slow part
    say_ready()  # jobs queued from now on wait for Slack at most, not for the graph
    wait_for_slack(web_client(settings))
    app, bot = build_app(settings, conversations)
    app.listener_runner.lazy_listener_runner = JobRunner(
        logging.getLogger("bot.queue"), app.listener_runner.listener_executor
    )
    run_worker(app, bot.store, bot.start(), settings.marketing_bot_workers)


@cli.command()
def prune(
    older_than: str = typer.Option("90d", help="Age of the threads to forget: '90d', '12h'."),
    db: str = typer.Option(None, help="SQLite file (default: MARKETING_BOT_DB)."),
) -> None:
    """Delete the checkpoints of threads idle for longer than OLDER_THAN, old processed-event ids
    and sent outbox rows, then reclaim the space (VACUUM). Deliverables and escalations are kept."""
    from datetime import timedelta

    from graph.conversations import Conversations

    m = re.fullmatch(r"(\d+)\s*([dh])", older_than.strip())
    if not m:
        raise typer.BadParameter(
            "give a number of days or hours, e.g. 90d or 12h", param_hint="--older-than"
        )
    path = db or Settings().database

    def size() -> int:
        return sum(
            os.path.getsize(path + end) for end in ("", "-wal") if os.path.exists(path + end)
        )

    before = size()
    counts = Conversations(path).prune(timedelta(**{"days" if m[2] == "d" else "hours": int(m[1])}))
    after = size()
    deleted = ", ".join(f"{v} {k}" for k, v in counts.items()) + " deleted"
    print(
        deleted
        + (
            f"; {path}: {before:,} -> {after:,} bytes"
            if os.path.exists(path)
            else "; PostgreSQL's autovacuum gives the space back"
        )
    )


def main() -> None:
    """Console-script entry point. A setting that needs a part not installed (DATABASE_URL for
    PostgreSQL, ANTHROPIC_API_KEY for the Claude brain) stops with the pip command (exit 2)."""
    from graph.extras import MissingExtra

    try:
        cli()
    except MissingExtra as err:
        print(f"marketing-bot: {err}", file=sys.stderr)
        sys.exit(2)
