"""Who holds each escalation role: the role map (``bot/roles.yaml`` or MARKETING_BOT_ROLES) resolved
to Slack users, user groups read with ``usergroups.users.list`` and cached a few minutes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from cachetools import TTLCache

from graph.text import read_yaml

log = logging.getLogger(__name__)
GROUP_TTL = (
    300  # seconds a user group's members are kept before usergroups.users.list is called again
)


def load_roles(path: str | None = None) -> dict[str, list[str]]:
    """{role: [Slack ids]} from ``path`` or the packaged example. A role's value is a user id
    (``U…``/``W…``), a user-group id (``S…``), a list of them or a comma/space-separated string of
    them; empty means nobody is configured. Raises OSError for a missing file."""
    text = (
        Path(path).read_text(encoding="utf-8")
        if path
        else resources.files("bot").joinpath("roles.yaml").read_text(encoding="utf-8")
    )
    roles = {}
    for role, value in (read_yaml(text) or {}).items():
        items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
        roles[str(role)] = [str(i).strip() for i in items if str(i).strip()]
    return roles


class Directory:
    """The members of each role. ``group_members(S…)`` lists a user group's user ids (the app
    passes ``usergroups.users.list``); without it (the terminal chat) groups have no members."""

    def __init__(
        self,
        roles: dict[str, list[str]],
        group_members: Callable[[str], list[str]] | None = None,
        ttl: float = GROUP_TTL,
    ):
        self.roles, self.group_members = roles, group_members
        self._groups: TTLCache = TTLCache(maxsize=256, ttl=ttl)
        self._lock = threading.Lock()

    def ids(self, role: str) -> list[str]:
        """The configured user and user-group ids of ``role`` ([] when nobody is configured)."""
        return list(self.roles.get(role, []))

    def _group(self, group: str) -> list[str]:
        with self._lock:
            if group in self._groups:
                return self._groups[group]
        members: list[str] = []
        if self.group_members:
            try:
                members = list(self.group_members(group))
            except (
                Exception
            ) as err:  # a failing lookup must not stop a notice; retried after the TTL
                log.warning("usergroups.users.list failed for %s: %s", group, type(err).__name__)
        with self._lock:
            self._groups[group] = members
        return members

    def members(self, role: str) -> set[str]:
        """User ids holding ``role``: its users plus the members of its user groups."""
        users: set[str] = set()
        for target in self.ids(role):
            users.update(self._group(target) if target.startswith("S") else [target])
        return users

    def mention(self, role: str) -> str:
        """Slack mentions of the role ('<@U…> <!subteam^S…>'), or '@role' when nobody is configured."""
        ids = self.ids(role)
        return (
            " ".join(f"<!subteam^{t}>" if t.startswith("S") else f"<@{t}>" for t in ids)
            if ids
            else f"@{role}"
        )

    def unconfigured(self, roles: Iterable[str]) -> list[str]:
        """The roles among ``roles`` with nobody configured, sorted."""
        return sorted({r for r in roles if not self.ids(r)})

    def playing(self, role: str, user: str) -> Directory:
        """A copy where ``user`` also holds ``role`` (``marketing-bot chat --as ROLE``)."""
        roles = {k: list(v) for k, v in self.roles.items()}
        roles.setdefault(role, []).append(user)
        return Directory(roles, self.group_members)
