"""CSV the bot writes (chart data uploaded to Slack, the terminal's exports), safe to open in a
spreadsheet: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with an apostrophe, so Excel, LibreOffice or Google Sheets show it as text instead of
running it as a formula (OWASP, "CSV Injection"). Numbers are written as numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell):
    """``cell`` as written: a string starting like a formula gets a leading apostrophe; anything
    else (numbers, None, other text) is returned unchanged."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def write_rows(out: IO[str], rows: Iterable[Iterable]) -> None:
    """Write ``rows`` (lists of cells, the header first) to ``out`` as CSV, each cell neutralised."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
