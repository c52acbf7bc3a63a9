"""The offline brain's understanding layer: a message in, typed slots with their evidence out.

``understand(text)`` reads every message of a request (one per line) into :class:`Slot` s:
quantities and what each measures (``prompts/lexicon.yaml``), the A/B arm or channel a figure
belongs to, dates, ranges, durations, delays, channels, segments, triggers, job titles and
company sizes; later messages override earlier ones and corrections replace the figure they name.
``bind(specs, understanding, text)`` turns slots into a specialist's inputs
(``prompts/specialists/*.yaml``: each input names the measures it takes).
"""

from graph.text import fold
from graph.understanding.binding import ab_results, bind, metrics
from graph.understanding.dates import next_monday
from graph.understanding.numbers import Quantity, parse_number, scan
from graph.understanding.reader import understand
from graph.understanding.slots import Slot, Understanding
from graph.understanding.structures import extract_ice, extract_steps, is_skip


def quantities(text: str) -> list[Quantity]:
    """Every number of ``text`` with its unit ('', '%', 'pt', '€', 'x', 'days'), not yet named."""
    return scan(fold(text))


def extract_inputs(text: str, specs, wanted: set[str] | None = None) -> dict:
    """A specialist's inputs read from ``text`` (every message of the request, one a line)."""
    return bind(specs, understand(text), text, wanted)


__all__ = [
    "Quantity",
    "Slot",
    "Understanding",
    "ab_results",
    "bind",
    "extract_ice",
    "extract_inputs",
    "extract_steps",
    "is_skip",
    "metrics",
    "next_monday",
    "parse_number",
    "quantities",
    "understand",
]
