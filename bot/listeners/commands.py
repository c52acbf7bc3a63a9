"""Slash commands: /campaign, /abtest, /kpi, /leadscore, /cro (modal, or the text after the command
as a request scoped to its specialists), /marketing (help), /escalations (the open escalations
waiting for you, or ``all``, ephemeral) and /experiments (the experiment log, ephemeral: running,
recent and backlog; ``add`` opens the idea modal; ``backlog``; ``EXP-3 déployé <note>`` records the
team's decision; any other word searches). Each is acked at once; a modal opens right after the
ack in the same process (a trigger_id lasts 3 s), and the graph runs in lazy listeners (queued for
the workers)."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.modals import abtest_modal, campaign_modal, idea_modal, request_modal
from bot.outbox import CALL_ERRORS, error_code
from bot.render import escalation_line, escape, experiments_listing, help_text, unescape
from graph.experiments import read_decision
from graph.i18n import t
from graph.text import detect_language

# command -> (routing scope for "/command text", modal builder for the bare command)
COMMANDS = {
    "/campaign": (["campagnes"], campaign_modal),
    "/abtest": (["experimentation", "ab-testing"], abtest_modal),
    "/kpi": (["kpi-tracking"], lambda lang, meta: request_modal("kpi-tracking", lang, meta)),
    "/leadscore": (["lead-scoring"], lambda lang, meta: request_modal("lead-scoring", lang, meta)),
    "/cro": (
        ["performance"],
        lambda lang, meta: request_modal("conversion-optimization", lang, meta),
    ),
}
HELP_COMMAND, ESCALATIONS_COMMAND, EXPERIMENTS_COMMAND = (
    "/marketing",
    "/escalations",
    "/experiments",
)
log = logging.getLogger(__name__)
ADD_IDEA = (
    "add",
    "ajouter",
    "ajout",
    "new",
    "nouvelle",
    "idee",
    "idée",
)  # "/experiments add" opens the idea modal


def open_modal(bot, client, command: str, trigger_id: str, user: str, channel: str = "") -> None:
    """``views.open`` of the command's modal, in the user's language (Slack locale)."""
    lang = bot.user_lang(client, user)
    show(client, trigger_id, COMMANDS[command][1](lang, {"channel": channel, "command": command}))


def show(client, trigger_id: str, view: dict) -> None:
    """``views.open``; a refusal (the trigger_id expired, Slack unreachable) is logged, not raised:
    the user can run the command again, and nothing else depended on it."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except CALL_ERRORS as err:
        log.warning("modal %s not opened (%s)", view.get("callback_id"), error_code(err))


def bare(body: dict) -> bool:
    """Listener matcher: a slash command typed with no text (it opens its modal)."""
    return not (body.get("text") or "").strip()


def adds_idea(body: dict) -> bool:
    """Listener matcher: ``/experiments add`` (or its French words), which opens the idea modal."""
    return (body.get("text") or "").strip().lower() in ADD_IDEA


def ack_command(ack):
    ack()


def register(app: App, bot) -> None:
    """Register the slash-command listeners: the specialists' commands, /marketing, /escalations
    and /experiments."""
    _register_specialists(app, bot)

    def help_command(ack, command):
        text = (command.get("text") or "").strip()
        ack(
            response_type="ephemeral",
            text=help_text(detect_language(text, "en" if text.lower() in ("help", "en") else "fr")),
        )

    app.command(HELP_COMMAND)(help_command)
    _register_escalations(app, bot)
    _register_experiments(app, bot)


def _register_specialists(app: App, bot) -> None:
    """/campaign, /abtest, /kpi, /leadscore, /cro: the modal when bare, else a scoped request."""

    def open_form(ack, command, client):
        """The bare command: its modal, opened here, in the process that acks, right after the
        ack (a trigger_id expires 3 s after the click; a queued job may come too late)."""
        ack()
        open_modal(
            bot,
            client,
            command["command"],
            command["trigger_id"],
            command["user_id"],
            command["channel_id"],
        )

    def run_command(command, client, context, respond):
        name, text, user = (
            command["command"],
            unescape((command.get("text") or "").strip()),
            command["user_id"],
        )
        lang = detect_language(text, bot.user_lang(client, user))
        try:
            thread = bot.open_thread(
                client,
                context.team_id or command.get("team_id", ""),
                command["channel_id"],
                user,
                f"*{name}* — <@{user}> : {escape(text[:2900])}",
            )
        except SlackApiError as err:  # typically not_in_channel: say so to the user only
            respond(
                response_type="ephemeral",
                text=t(
                    lang,
                    "listeners.commands.cannot_post_here_value",
                    value=err.response.get("error"),
                ),
            )
            return
        bot.answer(client, thread, text, scope=COMMANDS[name][0], lang=lang)

    for name in COMMANDS:
        app.command(name, matchers=[bare])(open_form)
        app.command(name)(ack=ack_command, lazy=[run_command])


def _register_escalations(app: App, bot) -> None:
    """/escalations: what waits for the user, or every open one."""

    def list_escalations(command, client, context, respond):
        """/escalations: the open ones the user may act on; /escalations all: every open one (of
        the user's workspace only)."""
        user, every = (
            command["user_id"],
            (command.get("text") or "").strip().lower() in ("all", "tout", "toutes"),
        )
        lang, desk, team = (
            bot.user_lang(client, user),
            bot.desk,
            context.team_id or command.get("team_id", ""),
        )
        rows = desk.open(team, limit=50) if every else desk.open_for(team, user)
        title = (
            t(lang, "listeners.commands.open_escalations")
            if every
            else t(lang, "listeners.commands.waiting_decision")
        )
        lines = [escalation_line(r, desk.rule(r), lang) for r in rows] or [
            t(lang, "listeners.commands.none")
        ]
        hint = (
            "" if every else "\n_" + t(lang, "listeners.commands.escalations_all_every_open") + "_"
        )
        respond(
            response_type="ephemeral",
            text=f"*{title}* ({len(rows)})\n" + "\n".join(lines)[:3500] + hint,
        )

    app.command(ESCALATIONS_COMMAND)(ack=ack_command, lazy=[list_escalations])


def _register_experiments(app: App, bot) -> None:
    """/experiments: the log, a search, a decision, or the idea modal."""

    def experiments_command(command, client, context, respond):
        """/experiments: running, recent and backlog; add: the idea modal; backlog; "EXP-3 déployé
        <note>": the team's decision; a word: search."""
        user, query = command["user_id"], unescape((command.get("text") or "").strip())
        lang, team = (
            detect_language(query, bot.user_lang(client, user)),
            context.team_id or command.get("team_id", ""),
        )
        decision = read_decision(query)
        if decision:
            respond(
                response_type="ephemeral", text=bot.decide_experiment(team, user, decision, lang)
            )
            return
        respond(
            response_type="ephemeral",
            text=experiments_listing(bot.conversations.experiments, team, query, lang),
        )

    def open_idea_form(ack, command, client, context):
        """/experiments add: the idea modal, opened in the process that acks (the 3 s trigger_id)."""
        ack()
        user, team = command["user_id"], context.team_id or command.get("team_id", "")
        lang = detect_language(command.get("text") or "", bot.user_lang(client, user))
        show(
            client,
            command["trigger_id"],
            idea_modal(lang, {"channel": command["channel_id"], "team": team}),
        )

    app.command(EXPERIMENTS_COMMAND, matchers=[adds_idea])(open_idea_form)
    app.command(EXPERIMENTS_COMMAND)(ack=ack_command, lazy=[experiments_command])
