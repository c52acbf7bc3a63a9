"""Slash commands: /campaign, /abtest, /kpi, /leadscore, /cro (modal, or the text after the command
as a request scoped to its specialists), /marketing (help), /escalations (the open escalations
waiting for you, or ``all``, ephemeral) and /experiments (the experiment log, ephemeral: running,
recent and backlog; ``add`` opens the idea modal; ``backlog``; ``EXP-3 déployé <note>`` records the
team's decision; any other word searches). Each is acked at once; the modal opens and the graph runs
in lazy listeners."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.modals import abtest_modal, campaign_modal, idea_modal, request_modal
from bot.render import escalation_line, experiments_listing, help_text
from graph.experiments import read_decision
from graph.i18n import t
from graph.text import detect_language

# command -> (routing scope for "/command text", modal builder for the bare command)
COMMANDS = {
    "/campaign": (["campagnes"], campaign_modal),
    "/abtest": (["experimentation", "ab-testing"], abtest_modal),
    "/kpi": (["kpi-tracking"], lambda lang, meta: request_modal("kpi-tracking", lang, meta)),
    "/leadscore": (["lead-scoring"], lambda lang, meta: request_modal("lead-scoring", lang, meta)),
    "/cro": (["performance"], lambda lang, meta: request_modal("conversion-optimization", lang, meta)),
}
HELP_COMMAND, ESCALATIONS_COMMAND, EXPERIMENTS_COMMAND = "/marketing", "/escalations", "/experiments"
ADD_IDEA = ("add", "ajouter", "ajout", "new", "nouvelle", "idee", "idée")  # "/experiments add" opens the idea modal


def open_modal(bot, client, command: str, trigger_id: str, user: str, channel: str = "") -> None:
    """``views.open`` of the command's modal, in the user's language (Slack locale)."""
    lang = bot.user_lang(client, user)
    client.views_open(trigger_id=trigger_id, view=COMMANDS[command][1](lang, {"channel": channel, "command": command}))


def register(app: App, bot) -> None:
    """Register the slash-command listeners."""

    def ack_command(ack):
        ack()

    def run_command(command, client, context, respond):
        name, text, user = command["command"], (command.get("text") or "").strip(), command["user_id"]
        if not text:
            open_modal(bot, client, name, command["trigger_id"], user, command["channel_id"])
            return
        lang = detect_language(text, bot.user_lang(client, user))
        try:
            thread = bot.open_thread(client, context.team_id or command.get("team_id", ""), command["channel_id"], user,
                                     f"*{name}* — <@{user}> : {text[:2900]}")
        except SlackApiError as err:  # typically not_in_channel: say so to the user only
            respond(response_type="ephemeral", text=t(lang, "listeners.commands.cannot_post_here_value", value=err.response.get('error')))
            return
        bot.answer(client, thread, text, scope=COMMANDS[name][0], lang=lang)

    for name in COMMANDS:
        app.command(name)(ack=ack_command, lazy=[run_command])

    def help_command(ack, command):
        text = (command.get("text") or "").strip()
        ack(response_type="ephemeral", text=help_text(detect_language(text, "en" if text.lower() in ("help", "en") else "fr")))

    app.command(HELP_COMMAND)(help_command)

    def list_escalations(command, client, context, respond):
        """/escalations: the open ones the user may act on; /escalations all: every open one (of
        the user's workspace only)."""
        user, every = command["user_id"], (command.get("text") or "").strip().lower() in ("all", "tout", "toutes")
        lang, desk, team = bot.user_lang(client, user), bot.desk, context.team_id or command.get("team_id", "")
        rows = desk.open(team, limit=50) if every else desk.open_for(team, user)
        title = t(lang, "listeners.commands.open_escalations") if every else t(lang, "listeners.commands.waiting_decision")
        lines = [escalation_line(r, desk.rule(r), lang) for r in rows] or [t(lang, "listeners.commands.none")]
        hint = "" if every else "\n_" + t(lang, "listeners.commands.escalations_all_every_open") + "_"
        respond(response_type="ephemeral", text=f"*{title}* ({len(rows)})\n" + "\n".join(lines)[:3500] + hint)

    app.command(ESCALATIONS_COMMAND)(ack=ack_command, lazy=[list_escalations])

    def experiments_command(command, client, context, respond):
        """/experiments: running, recent and backlog; add: the idea modal; backlog; "EXP-3 déployé
        <note>": the team's decision; a word: search."""
        user, query = command["user_id"], (command.get("text") or "").strip()
        lang, team = detect_language(query, bot.user_lang(client, user)), context.team_id or command.get("team_id", "")
        if query.lower() in ADD_IDEA:
            client.views_open(trigger_id=command["trigger_id"], view=idea_modal(lang, {"channel": command["channel_id"], "team": team}))
            return
        decision = read_decision(query)
        if decision:
            respond(response_type="ephemeral", text=bot.decide_experiment(team, user, decision, lang))
            return
        respond(response_type="ephemeral", text=experiments_listing(bot.conversations.experiments, team, query, lang))

    app.command(EXPERIMENTS_COMMAND)(ack=ack_command, lazy=[experiments_command])
