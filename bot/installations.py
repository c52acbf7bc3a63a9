"""Installations in several workspaces: Slack's OAuth flow through Bolt, tokens per workspace.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, Bolt serves ``/slack/install`` and
``/slack/oauth_redirect`` and keeps each workspace's bot token in slack_sdk's installation store
(tables ``slack_installations`` and ``slack_bots`` of the bot's database: SQLAlchemy on PostgreSQL,
SQLite3 on the file), with the OAuth ``state`` in its state store (10 minutes). Every request is
authorized with its team's token; the outbox sends each message with the token of the team it
belongs to (:class:`Clients`). ``app_uninstalled`` and ``tokens_revoked`` delete that workspace's
tokens (Bolt's token revocation listeners). A SLACK_BOT_TOKEN given as well is saved as its own
workspace's installation at start-up, so a single-workspace install keeps working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cachetools import TTLCache
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

from graph.text import read_yaml

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
MANIFEST = Path(__file__).with_name(
    "manifest.yaml"
)  # the app manifest, shipped with the package (./manifest.yaml links to it)


def bot_scopes() -> list[str]:
    """The bot scopes the app asks for at install: manifest.yaml's oauth_config.scopes.bot."""
    return list(read_yaml(MANIFEST.read_text(encoding="utf-8"))["oauth_config"]["scopes"]["bot"])


def oauth_settings(settings, engine: Engine) -> OAuthSettings:
    """Bolt's OAuth settings from SLACK_CLIENT_ID / SLACK_CLIENT_SECRET; the installation and
    state stores on the bot's database: slack_sdk's SQLAlchemy stores on ``engine`` (the store's
    own, on DATABASE_URL, shared by every replica), else its SQLite stores in the MARKETING_BOT_DB
    file (slack_sdk's SQLite stores open their own connections)."""
    client_id = settings.slack_client_id
    if settings.database_url:
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

        installs: InstallationStore
        states: OAuthStateStore
        installs, states = (
            SQLAlchemyInstallationStore(client_id=client_id, engine=engine),
            SQLAlchemyOAuthStateStore(600, engine),
        )
        installs.create_tables()  # idempotent: the stores' own tables
        states.create_tables()
    else:
        installs = SQLite3InstallationStore(database=settings.marketing_bot_db, client_id=client_id)
        states = SQLite3OAuthStateStore(database=settings.marketing_bot_db, expiration_seconds=600)
    return OAuthSettings(
        client_id=client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=bot_scopes(),
        installation_store=installs,
        state_store=states,
        install_page_rendering_enabled=False,
    )


def adopt_token(store, client: WebClient) -> str | None:
    """Save SLACK_BOT_TOKEN (``client``'s token) as its workspace's installation, so that workspace
    is authorized like the installed ones; returns its team id (None when auth.test fails)."""
    try:
        me = client.auth_test()
    except Exception as err:  # noqa: BLE001  (Slack unreachable at start: the token is tried again at the next start)
        log.warning(
            "SLACK_BOT_TOKEN not checked (%s): its workspace is not registered yet",
            type(err).__name__,
        )
        return None
    known = store.find_bot(enterprise_id=me.get("enterprise_id"), team_id=me["team_id"])
    if (
        known and known.bot_token == client.token
    ):  # saved by an earlier start (or by serve for its workers)
        return me["team_id"]
    store.save(
        Installation(
            team_id=me["team_id"],
            enterprise_id=me.get("enterprise_id"),
            user_id=me.get("user_id") or "",
            bot_token=client.token,
            bot_id=me.get("bot_id"),
            bot_user_id=me.get("user_id"),
            app_id=me.get("app_id") or "",
        )
    )
    return me["team_id"]


class Clients:
    """Web API clients per workspace: ``for_team(team_id)`` is a client with that workspace's bot
    token (from the installation store, cached 60 s), else the default client (SLACK_BOT_TOKEN)."""

    def __init__(
        self, default: WebClient, store=None, make: Callable[[str], WebClient] | None = None
    ):
        self.default, self.store, self.make = default, store, make
        self._cache: TTLCache = TTLCache(maxsize=1000, ttl=60)

    def for_team(self, team_id: str | None) -> WebClient:
        if not self.store or not team_id:
            return self.default
        if team_id not in self._cache:
            bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
            self._cache[team_id] = (
                self.make(bot.bot_token) if self.make and bot and bot.bot_token else self.default
            )
        return self._cache[team_id]

    def forget(self, team_id: str) -> None:
        """Drop a workspace's cached client (uninstalled, tokens revoked)."""
        self._cache.pop(team_id, None)
