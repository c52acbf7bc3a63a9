"""Settings from the environment and ``.env`` (pydantic-settings)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class MissingSetting(SystemExit):
    """Start-up stops: a required setting is not set. The message names it, and only it."""


class Settings(BaseSettings):
    """Environment variables (names in capitals); secrets are SecretStr so they never print."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = (
        None  # with SLACK_CLIENT_SECRET: installs in several workspaces (bot/installations.py)
    )
    slack_client_secret: SecretStr | None = None
    slack_api_base_url: str | None = None
    escalation_channel: str | None = None
    experiments_channel: str | None = (
        None  # where the weekly learnings digest of the experiment log goes (Mondays from 09:00 UTC, or when the bot is back; `marketing-bot digest --post`)
    )
    marketing_bot_db: str = "./data/marketing-bot.db"
    database_url: str | None = (
        None  # postgresql://…: checkpoints and our tables on PostgreSQL (several replicas); else the SQLite file
    )
    marketing_bot_roles: str | None = None
    slack_timeout: float = (
        30.0  # seconds per Web API call (slack_sdk's default: a slow Web API still answers)
    )
    marketing_bot_workers: int = 16  # threads running turns (Bolt lazy listeners)
    marketing_bot_senders: int = (
        8  # outbox threads sending to Slack, one lane (thread) each at a time
    )
    marketing_bot_give_up_after: float = (
        1800.0  # seconds an outbox row is retried before it is marked failed
    )
    marketing_bot_lease_ttl: float = 15.0  # seconds a thread's lease lasts unless renewed (a killed process's threads free after it)
    marketing_bot_processes: int = 1  # worker processes running turns and sends beside the HTTP process (0: all in one process)
    marketing_bot_workers_elsewhere: bool = False  # serve starts no worker and only acks: `marketing-bot worker` runs as its own service (compose.yaml)
    marketing_bot_stall_after: float = (
        60.0  # seconds queued work may wait with no job claimed before /healthz fails
    )
    marketing_bot_prune_days: int = (
        0  # serve prunes threads finished this many days ago, daily (0: never)
    )
    marketing_bot_metrics_token: SecretStr | None = (
        None  # bearer token of /metrics (Prometheus' authorization); unset: /metrics is off
    )
    log_format: str = (
        "text"  # LOG_FORMAT=json: one JSON object per log line, with thread_key and event_id
    )
    marketing_bot_streaming: bool = True  # progress as a Slack stream (chat.startStream); off: the placeholder of bot/streaming.py
    escalation_remind_after: float | None = (
        None  # seconds; overrides every rule's sla (trials, tests)
    )
    escalation_fallback_after: int = (
        2  # reminders to the role alone before the rule's fallback role is added
    )
    escalation_max_reminders: int = 5  # reminders per notice, fallback included
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    marketing_bot_model: str = "claude-sonnet-4-6"
    marketing_bot_llm_timeout: float = 20.0  # seconds per request
    marketing_bot_llm_retries: int = (
        2  # the anthropic client's retries (backoff) before the offline brain answers
    )

    @property
    def database(self) -> str:
        """Where the checkpoints and our tables live: DATABASE_URL, else the MARKETING_BOT_DB file."""
        return self.database_url or self.marketing_bot_db

    @property
    def oauth(self) -> bool:
        """True when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: Slack's OAuth install flow, a token per workspace."""
        return bool(
            self.slack_client_id
            and self.slack_client_secret
            and self.slack_client_secret.get_secret_value()
        )

    @property
    def claude(self) -> bool:
        """True when ANTHROPIC_API_KEY is set and not empty: the Claude brain is used."""
        return bool(self.anthropic_api_key and self.anthropic_api_key.get_secret_value())

    def require_app(self) -> None:
        """What the Slack app needs: ESCALATION_CHANNEL, a bot token (or OAuth), and the signing
        secret unless Socket Mode. Raises MissingSetting naming the first missing one."""
        self.require_slack("escalation_channel")
        if not self.slack_app_token:
            self.require("slack_signing_secret")

    def require_slack(self, *names: str) -> None:
        """``require`` ``names``, then SLACK_BOT_TOKEN unless OAuth installs give each workspace its token."""
        self.require(*names, *(() if self.oauth else ("slack_bot_token",)))

    def require(self, *names: str) -> None:
        """Raise MissingSetting naming the first of ``names`` (field names) that is empty."""
        for name in names:
            if not getattr(self, name):
                raise MissingSetting(
                    f"Missing required setting {name.upper()}: set it in the environment or in .env"
                )
