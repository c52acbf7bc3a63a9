"""Scheduled work, one scheduler whose due times live in the database: escalation reminders and
decisions to finish (every 15 s), overdue experiments and the weekly learnings digest (every 10
minutes), campaign go/no-go reminders (J-3, every 10 minutes), prune (daily). A restart loses nothing: what is due is read from the tables."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.delivery import Reminder, Where, encode
from bot.delivery import row as outbox_row
from bot.render import reminder
from graph.experiments import digests
from graph.messages import ExperimentDue, dump
from graph.threads import experiment_thread

if TYPE_CHECKING:
    from bot.app import SlackBot

log = logging.getLogger(__name__)
# Seconds a recorded decision is left to the click that recorded it before the clock finishes it
# (a crash in between): finishing it beside a slow click would resume the thread twice at once.
RESUME_GRACE = 120.0


class Scheduler:
    """Runs the bot's scheduled work (``run``) through ``bot``'s outbox: every message it writes is
    an outbox row with a key that names its occasion, so a pass repeated (a restart, a replica)
    sends nothing twice."""

    def __init__(self, bot: SlackBot):
        self.bot = bot

    def tick(self) -> None:
        """One pass of the escalation clock: finish decisions recorded but not resumed (a crash in
        between), then write the reminders now due to each notice's thread."""
        for row in self.bot.store.escalations.unresumed_decisions(older_than=RESUME_GRACE):
            self.bot.complete(row)
        for due in self.bot.desk.due_reminders(datetime.now(UTC)):
            row = due.row
            text = reminder(row, due.rule, due.who, row.get("lang") or "fr", due.fallback)
            key = f"reminder:{row['id']}:{row['reminders']}"
            self.bot.enqueue(
                [outbox_row(f"notice:{row['id']}", key, Reminder(escalation=row["id"], text=text))]
            )
            if due.fallback:
                self.bot.update_notice(row, fallback=True)  # the notice names the fallback role too

    def remind_overdue(self, today: date) -> int:
        """Write a reminder to the thread of each running experiment whose planned end date is
        before ``today``, asking for its results; once per experiment (a guarded UPDATE, so one
        replica posts it). Terminal conversations have no thread to post in. Returns how many."""
        sent = 0
        for row in self.bot.store.experiments.overdue_experiments(today.isoformat()):
            thread = experiment_thread(row)
            if thread is None or not self.bot.store.experiments.claim_experiment_reminder(
                row["id"]
            ):
                continue
            self.bot.post(
                thread,
                dump(ExperimentDue(lang=row.get("lang") or "fr", experiment=row)),
                f"experiment_due:{row['id']}",
            )
            sent += 1
        return sent

    def post_digest(self, since: date, until: date, channel: str) -> list[str]:
        """Write to the outbox the learnings digest of the experiments finished from ``since`` to
        ``until`` (exclusive) in ``channel``, one top-level message per workspace that finished
        some, in the language most of them were logged in; once per workspace and period (the
        outbox key). Returns the outbox keys written now ([] when already posted or nothing finished)."""
        keys = []
        for team, doc in digests(self.bot.store, since, until):
            key = f"digest:{team}:{since}:{until}"
            ops = encode(Where(channel=channel, team=team), doc.model_dump())
            if self.bot.store.outbox.enqueue(
                [outbox_row(f"digest:{team}", f"{key}:{n}", op) for n, op in enumerate(ops)]
            ):
                keys.append(key)
        self.bot.sender.wake()
        return keys

    def weekly(self, moment: datetime) -> None:
        """Remind the threads of overdue experiments and of campaigns launching soon with
        go/no-go criteria open (bot/gate.py), and post the learnings digest of the last week
        due (Monday to Sunday, due from Monday 09:00 UTC) to EXPERIMENTS_CHANNEL, once: its outbox
        key names the week, so a bot down on Monday posts it when it is back, and never twice."""
        self.remind_overdue(moment.date())
        self.bot.gate.remind(moment.date())
        if self.bot.settings.experiments_channel:
            monday = moment.date() - timedelta(
                days=moment.weekday() + (7 if moment.weekday() == 0 and moment.hour < 9 else 0)
            )
            self.post_digest(
                monday - timedelta(days=7), monday, self.bot.settings.experiments_channel
            )

    def run(self, stop: threading.Event) -> None:
        """Run ``tick`` at once and then until ``stop`` is set, every second with
        ESCALATION_REMIND_AFTER (trials), else every 15 s; the experiment log's reminders and
        weekly digest (``weekly``) every 10 minutes; prune once a day when MARKETING_BOT_PRUNE_DAYS is set. Due times live in the database: a restart loses nothing."""
        period = 1.0 if self.bot.settings.escalation_remind_after else 15.0
        pruned = checked = 0.0
        while not stop.is_set():
            try:
                self.tick()
                if (
                    time.time() - checked > 600
                ):  # experiments are planned in days: every 10 minutes is enough
                    checked = time.time()
                    self.weekly(datetime.now(UTC))
                if self.bot.settings.marketing_bot_prune_days and time.time() - pruned > 86400:
                    pruned = time.time()
                    self.bot.conversations.prune(
                        timedelta(days=self.bot.settings.marketing_bot_prune_days)
                    )
            except Exception:  # a failing pass must not stop the clock
                log.exception("escalation clock pass failed")
            stop.wait(period)
