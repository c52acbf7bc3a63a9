"""Charts of deliverables as PNG (matplotlib, Agg backend) and their data as CSV.

A chart spec comes from a deliverable builder (``graph/deliverables/``): ``kind`` "grouped_bars"
(``labels`` on the x axis, ``series`` {name: values}), "intervals" (``labels``, ``series`` with the
values, their lows and highs, in that order) or "curves" (``x``, ``series`` {name: y values},
``points`` {name: [x, y]} marked on the curves); ``title``; ``filename`` without extension.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen before pyplot is imported)

from bot.csv_export import write_rows  # noqa: E402


def png(spec: dict) -> bytes:
    """The chart of ``spec`` as PNG bytes (1000 × 560 px). Raises ValueError for an unknown kind."""
    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=100)
    try:
        if spec["kind"] == "grouped_bars":
            labels, series = spec["labels"], spec["series"]
            width = 0.8 / len(series)
            for i, (name, values) in enumerate(series.items()):
                ax.bar([x + i * width for x in range(len(labels))], values, width, label=name)
            ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))], labels)
        elif spec["kind"] == "intervals":  # series: value, low, high (in that order)
            value, low, high = spec["series"].values()
            ax.errorbar(
                spec["labels"],
                value,
                yerr=[
                    [v - lo for v, lo in zip(value, low)],
                    [hi - v for v, hi in zip(value, high)],
                ],
                fmt="o",
                capsize=8,
                label=list(spec["series"])[0],
            )
        elif spec["kind"] == "curves":
            for name, values in spec["series"].items():
                (line,) = ax.plot(spec["x"], values, label=name)
                x, y = spec["points"][name]
                ax.plot([x], [y], "o", color=line.get_color())
        else:
            raise ValueError(f"unknown chart kind {spec['kind']!r}")
        ax.set_title(spec["title"])
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        buffer = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)


def table_csv(spec: dict) -> str:
    """The chart's data as CSV text: one row per label (or x value), one column per series; cells
    that a spreadsheet would run as formulas are neutralised (bot.csv_export)."""
    out = io.StringIO()
    keys = spec.get("labels") or spec.get("x")
    write_rows(
        out,
        [["" if spec["kind"] == "grouped_bars" else "x"] + list(spec["series"])]
        + [
            [key] + [round(values[i], 4) for values in spec["series"].values()]
            for i, key in enumerate(keys)
        ],
    )
    return out.getvalue()
