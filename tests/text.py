"""Reading the bot's plain-text deliverables in tests."""

from __future__ import annotations

import re


def shows(text: str, expected: str) -> bool:
    """True when ``text`` shows ``expected``: written "| a | b |", a line whose first cells are a,
    b in that order as the plain-text renderer lays out tables and overview fields (two spaces or
    more between cells); else ``expected`` as a substring."""
    if not expected.startswith("|"):
        return expected in text
    cells = [c.strip() for c in expected.strip().strip("|").split("|")]
    return (
        re.search(r"(?m)^" + r"\s{2,}".join(re.escape(c) for c in cells) + r"(\s{2,}|\s*$)", text)
        is not None
    )
