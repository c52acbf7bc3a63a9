"""Role -> Slack mention map for escalation notices (``bot/roles.yaml`` or MARKETING_BOT_ROLES)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml


def load_roles(path: str | None = None) -> dict[str, str]:
    """{role: Slack id} from ``path`` or the packaged example. Raises OSError for a missing file."""
    text = Path(path).read_text(encoding="utf-8") if path else resources.files("bot").joinpath("roles.yaml").read_text(encoding="utf-8")
    return {k: (v or "") for k, v in (yaml.safe_load(text) or {}).items()}


def mention(role: str, roles: dict[str, str]) -> str:
    """'<@U…>' for a user id, '<!subteam^S…>' for a user group, '@role' when the role has no id."""
    target = roles.get(role, "")
    if target.startswith("S"):
        return f"<!subteam^{target}>"
    if target.startswith(("U", "W")):
        return f"<@{target}>"
    return f"@{role}"
