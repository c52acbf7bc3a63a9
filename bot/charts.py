"""Charts of deliverables as PNG (matplotlib, Agg backend) and their data as CSV.

A chart comes from a deliverable builder (``graph/deliverables/``) as one of the typed charts of
graph/document.py (grouped bars, intervals, curves); each type has its own drawing function.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from bot.csv_export import write_rows
from graph.document import AnyChart, Chart, Curves, GroupedBars, Intervals

_CHART: TypeAdapter[AnyChart] = TypeAdapter(AnyChart)


def chart(spec: dict | Chart) -> GroupedBars | Intervals | Curves:
    """The typed chart of ``spec`` (its JSON form in an outbox row). Raises pydantic.ValidationError
    for an unknown kind."""
    if isinstance(spec, GroupedBars | Intervals | Curves):
        return spec
    return _CHART.validate_python(spec)


def _bars(ax, c: GroupedBars) -> None:
    width = 0.8 / len(c.series)
    for i, (name, values) in enumerate(c.series.items()):
        ax.bar([x + i * width for x in range(len(c.labels))], values, width, label=name)
    ax.set_xticks([x + width * (len(c.series) - 1) / 2 for x in range(len(c.labels))], c.labels)


def _intervals(ax, c: Intervals) -> None:
    value, low, high = c.series.values()
    errors = [[v - lo for v, lo in zip(value, low)], [hi - v for v, hi in zip(value, high)]]
    ax.errorbar(c.labels, value, yerr=errors, fmt="o", capsize=8, label=list(c.series)[0])


def _curves(ax, c: Curves) -> None:
    for name, values in c.series.items():
        (line,) = ax.plot(c.x, values, label=name)
        x, y = c.points[name]
        ax.plot([x], [y], "o", color=line.get_color())


_DRAW: dict[type, Callable[[Any, Any], None]] = {
    GroupedBars: _bars,
    Intervals: _intervals,
    Curves: _curves,
}


def png(spec: dict | Chart) -> bytes:
    """The chart of ``spec`` as PNG bytes (1000 × 560 px). Raises pydantic.ValidationError for an
    unknown kind."""
    import matplotlib  # here, not at import: a second of every process's start for one chart

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # the backend is chosen before pyplot is imported

    c = chart(spec)
    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=100)
    try:
        _DRAW[type(c)](ax, c)
        ax.set_title(c.title)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        buffer = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)


def table_csv(spec: dict | Chart) -> str:
    """The chart's data as CSV text: one row per label (or x value), one column per series; cells
    that a spreadsheet would run as formulas are neutralised (bot.csv_export)."""
    c, out = chart(spec), io.StringIO()
    keys = c.x if isinstance(c, Curves) else c.labels
    header = ["" if isinstance(c, GroupedBars) else "x", *c.series]
    rows = [
        [key] + [round(values[i], 4) for values in c.series.values()] for i, key in enumerate(keys)
    ]
    write_rows(out, [header, *rows])
    return out.getvalue()
