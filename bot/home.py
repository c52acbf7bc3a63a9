"""The App Home tab: escalations waiting for the user's decision (with their buttons), the user's
threads with the bot, latest deliverables, open escalations, and shortcuts to the slash commands'
modals (``views.publish``)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render import (
    escalation_buttons,
    escalation_line,
    experiment_lines,
    thread_link,
)
from graph.hierarchy import load_hierarchy
from graph.i18n import t

SHORTCUTS = (
    "campaign",
    "abtest",
    "kpi",
    "leadscore",
    "cro",
)  # slash commands offered on App Home (labels: home.shortcut.<name>)


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _decisions(to_decide: list[tuple[dict, object]], lang: str) -> list[dict]:
    """ "Waiting for your decision": each open escalation the user may act on, with its buttons."""
    blocks = [
        _section(
            f"*{t(lang, 'home.waiting_decision')}*"
            + ("" if to_decide else "\n" + t(lang, "home.nothing_right_now"))
        )
    ]
    for row, rule in to_decide:
        blocks += [
            _section(escalation_line(row, rule, lang)),
            {
                "type": "actions",
                "block_id": f"home_{row['id']}"[:255],
                "elements": escalation_buttons(row, rule, lang),
            },
        ]
    return blocks


def _undelivered(failed: list[dict], lang: str) -> list[dict]:
    """For the admins: the outbox rows Slack never accepted (when, what, where, the error)."""
    if not failed:
        return []
    lines = [
        f"• {r['created_at'][:16].replace('T', ' ')} — {r['op'].get('op')} → {r['lane']} : `{r['error']}`"
        for r in failed
    ]
    return [_listing(t(lang, "home.undelivered_messages_admins"), lines, "")]


def _listing(title: str, lines: list[str], empty: str) -> dict:
    """A Home section: a bold title, then one line per item, or ``empty`` when there is none."""
    return _section(f"*{title}*\n" + ("\n".join(lines) or empty))


def _shortcuts(lang: str) -> dict:
    """The buttons that open each command's form (/campaign, /abtest…) from Home."""
    return {
        "type": "actions",
        "block_id": "shortcuts",
        "elements": [
            {
                "type": "button",
                "action_id": f"open_command_{name}",
                "text": {
                    "type": "plain_text",
                    "text": f"/{name} · {t(lang, f'home.shortcut.{name}')}",
                },
            }
            for name in SHORTCUTS
        ],
    }


def home_view(
    lang: str,
    threads: list[dict],
    deliverables: list[dict],
    escalations: Sequence[tuple[dict, object]],
    to_decide: Sequence[tuple[dict, object]] = (),
    failed: Sequence[dict] = (),
    running: Sequence[dict] = (),
    campaigns: Sequence[str] = (),
) -> dict:
    """The Home tab view. ``threads``: conversations rows of the user (thread_key, channel, thread_ts,
    agent, status, updated_at); ``deliverables``: (agent, title, created_at, channel, thread_ts);
    ``escalations``: (row, rule) of the open escalations; ``to_decide``: (row, rule) of the open escalations the
    user may act on, shown first with their buttons (at most 20: App Home holds 100 blocks);
    ``failed``: outbox rows Slack never accepted (shown to the ``admins`` role); ``running``: the
    workspace's running experiments (graph.experiments), soonest end first; ``campaigns``: one
    line per campaign still in planning (bot.gate.Gatekeeper.home_lines)."""
    waiting = [t for t in threads if t.get("status") == "waiting"]
    names = load_hierarchy()
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "marketing-bot"}},
        *_decisions(list(to_decide)[:20], lang),
    ]
    blocks += [
        {"type": "divider"},
        _section(t(lang, "home.mention_me_send_me")),
        _shortcuts(lang),
        {"type": "divider"},
        _section(
            f"*{t(lang, 'experiments.command.running')}* ({len(running)})\n"
            + (
                "\n".join(experiment_lines(list(running)[:15], lang))
                or t(lang, "experiments.command.none")
            )
        ),
        _listing(t(lang, "gate.home"), list(campaigns), t(lang, "home.none")),
        _listing(
            t(lang, "home.threads_waiting_answer"),
            [
                f"• {thread_link(t['channel'], t['thread_ts'], names.name_of(t.get('agent'), lang) or 'marketing-bot')} — {t['updated_at'][:16].replace('T', ' ')}"
                for t in waiting
            ],
            t(lang, "home.none"),
        ),
        _listing(
            t(lang, "home.latest_deliverables"),
            [
                f"• {thread_link(d['channel'], d['thread_ts'], (d['title'] or d['agent'])[:80])} ({names.name_of(d['agent'], lang)})"
                for d in deliverables
            ],
            t(lang, "home.none_yet"),
        ),
        _listing(
            t(lang, "home.open_escalations"),
            [escalation_line(row, rule, lang) for row, rule in escalations],
            t(lang, "home.none_2"),
        ),
    ]
    blocks += _undelivered(list(failed), lang)
    return {"type": "home", "blocks": blocks}
