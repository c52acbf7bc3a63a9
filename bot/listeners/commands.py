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


def help_command(ack, command) -> None:
    """/marketing: what the bot does, in the language of the words typed (or asked: "help", "en")."""
    text = (command.get("text") or "").strip()
    lang = detect_language(text, "en" if text.lower() in ("help", "en") else "fr")
    ack(response_type="ephemeral", text=help_text(lang))


def open_form(ack, command, client, context) -> None:
    """A bare specialist command: its modal, opened here, in the process that acks, right after
    the ack (a trigger_id expires 3 s after the click; a queued job may come too late)."""
    ack()
    open_modal(
        context["bot"],
        client,
        command["command"],
        command["trigger_id"],
        command["user_id"],
        command["channel_id"],
    )


def run_command(command, client, context, respond) -> None:
    """A specialist command with words: a thread opened with them, answered within its scope; a
    channel the bot cannot post in is said to the user only."""
    bot, name, user = context["bot"], command["command"], command["user_id"]
    text = unescape((command.get("text") or "").strip())
    lang = detect_language(text, bot.user_lang(client, user))
    team = context.team_id or command.get("team_id", "")
    try:
        opening = f"*{name}* — <@{user}> : {escape(text[:2900])}"
        thread = bot.open_thread(client, team, command["channel_id"], user, opening)
    except SlackApiError as err:  # typically not_in_channel
        said = t(lang, "listeners.commands.cannot_post_here_value", value=err.response.get("error"))
        respond(response_type="ephemeral", text=said)
        return
    scope = COMMANDS[name][0]
    if name == "/campaign" and campaign_brief(bot, text, scope):
        answer_brief(bot, client, thread, text, scope=scope, lang=lang)
        return
    bot.answer(client, thread, text, scope=scope, lang=lang)


BRIEF_AGENTS = ("planning-campagne", "budget-allocation")


def answer_brief(
    bot, client, thread, brief: str, turn_key: str | None = None, done: tuple = (), **route
) -> None:
    """A campaign brief in words answered as the campaign form is: the plan, then the budget
    split (BRIEF_AGENTS). ``turn_key`` and ``done`` are marked done with the last answer, the
    others under their own keys, so a crash between them runs only what is left."""
    for n, agent in enumerate(BRIEF_AGENTS):
        last = n == len(BRIEF_AGENTS) - 1
        key = turn_key if last or turn_key is None else f"{turn_key}:{agent}"
        done_now = done if last else ()
        bot.answer(client, thread, brief, turn_key=key, done=done_now, agent=agent, **route)


def campaign_brief(bot, text: str, scope: list[str]) -> bool:
    """True when a /campaign text is a campaign brief in words ("soldes du 1 au 20 juillet, budget
    30 k€, canaux meta et emailing…"): it gives the campaign's dates and routes to its plan or its
    budget. A question for another campaign specialist, or a budget question with no dates ("how
    to split 50k between Google and Meta?"), is routed as any request."""
    from graph.understanding.reader import understand

    dated = any(s.type in ("start_date", "end_date") for s in understand(text).slots)
    return dated and bot.conversations.context.router.route(text, scope).agent in BRIEF_AGENTS


def list_escalations(command, client, context, respond) -> None:
    """/escalations: the open ones the user may act on; /escalations all: every open one (of the
    user's workspace only)."""
    bot, user = context["bot"], command["user_id"]
    every = (command.get("text") or "").strip().lower() in ("all", "tout", "toutes")
    lang, desk = bot.user_lang(client, user), bot.desk
    team = context.team_id or command.get("team_id", "")
    rows = desk.open(team, limit=50) if every else desk.open_for(team, user)
    title = t(
        lang,
        "listeners.commands.open_escalations" if every else "listeners.commands.waiting_decision",
    )
    lines = [escalation_line(r, desk.rule(r), lang) for r in rows] or [
        t(lang, "listeners.commands.none")
    ]
    hint = "" if every else "\n_" + t(lang, "listeners.commands.escalations_all_every_open") + "_"
    respond(
        response_type="ephemeral",
        text=f"*{title}* ({len(rows)})\n" + "\n".join(lines)[:3500] + hint,
    )


def experiments_command(command, client, context, respond) -> None:
    """/experiments: running, recent and backlog; backlog; "EXP-3 déployé <note>": the team's
    decision; a word: search."""
    bot, user = context["bot"], command["user_id"]
    query = unescape((command.get("text") or "").strip())
    lang = detect_language(query, bot.user_lang(client, user))
    team = context.team_id or command.get("team_id", "")
    decision = read_decision(query)
    if decision:
        text = bot.decide_experiment(team, user, decision, lang)
    else:
        text = experiments_listing(bot.conversations.experiments, team, query, lang)
    respond(response_type="ephemeral", text=text)


def open_idea_form(ack, command, client, context) -> None:
    """/experiments add: the idea modal, opened in the process that acks (the 3 s trigger_id)."""
    ack()
    bot, user = context["bot"], command["user_id"]
    team = context.team_id or command.get("team_id", "")
    lang = detect_language(command.get("text") or "", bot.user_lang(client, user))
    show(
        client,
        command["trigger_id"],
        idea_modal(lang, {"channel": command["channel_id"], "team": team}),
    )


def register(app: App) -> None:
    """Register the slash-command listeners (the bot is ``context["bot"]``: bot.listeners.register):
    the specialists' commands (the modal when bare, else a scoped request), /marketing,
    /escalations and /experiments (the idea modal for "add")."""
    for name in COMMANDS:
        app.command(name, matchers=[bare])(open_form)
        app.command(name)(ack=ack_command, lazy=[run_command])
    app.command(HELP_COMMAND)(help_command)
    app.command(ESCALATIONS_COMMAND)(ack=ack_command, lazy=[list_escalations])
    app.command(EXPERIMENTS_COMMAND, matchers=[adds_idea])(open_idea_form)
    app.command(EXPERIMENTS_COMMAND)(ack=ack_command, lazy=[experiments_command])
