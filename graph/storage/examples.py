"""Labelled examples users give in threads, for the next training run."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from graph.storage.tables import insert, now

if TYPE_CHECKING:
    from graph.storage import Store


class LabelledExamples:
    """What users confirm or decline in threads ("escalate this possible situation?", the reading
    form of a figure no word named), kept with the request as labelled examples for the next
    training run, in this database only (never sent anywhere). ``marketing-bot labelled`` prints
    them in the format of ``prompts/corpus/situations_examples.jsonl`` (``--figures``:
    ``figures_examples.jsonl``)."""

    def __init__(self, store: Store):
        self.store = store

    def add(self, thread_key: str, text: str, situation: str, described: bool) -> None:
        """Keep one answer: the request ``text``, the situation id asked about, and whether the
        user said it is described (escalated) or not (declined)."""
        insert(
            self.store.db,
            "labelled_examples",
            {
                "thread_key": thread_key,
                "text": text,
                "situation": situation,
                "described": int(described),
                "created_at": now(),
            },
        )

    def add_figure(
        self, thread_key: str, text: str, surface: str, value: float, measure: str | None
    ) -> None:
        """Keep one reading the user confirmed or corrected on the reading form: the figure as
        written (``surface`` in the request ``text``), its ``value`` and its ``measure`` in the
        shared corpus's vocabulary, None when the user said no input takes it."""
        figure = json.dumps(
            {"surface": surface, "value": value, "measure": measure}, ensure_ascii=False
        )
        insert(
            self.store.db,
            "labelled_examples",
            {"thread_key": thread_key, "text": text, "figure": figure, "created_at": now()},
        )

    def situation_examples(self) -> list[dict]:
        """Every answer about a situation as a training line {"id", "text", "situations", "split":
        "own"}: a confirmed situation labels its request with it, a declined one with none."""
        rows = self.store.db.query(
            "SELECT * FROM labelled_examples WHERE figure IS NULL ORDER BY id"
        )
        return [
            {
                "id": f"thread-{r['id']}",
                "text": r["text"],
                "situations": [r["situation"]] if r["described"] else [],
                "split": "own",
            }
            for r in rows
        ]

    def figure_examples(self) -> list[dict]:
        """Every reading confirmed or corrected as a line of ``prompts/corpus/figures_examples.jsonl``
        {"id", "text", "figures": [{"surface", "value", "measure"}], "ignore", "split": "own"}; a figure
        no input takes goes to ``ignore``."""
        rows = self.store.db.query(
            "SELECT * FROM labelled_examples WHERE figure IS NOT NULL ORDER BY id"
        )
        out = []
        for r in rows:
            figure = json.loads(r["figure"])
            kept = [figure] if figure["measure"] else []
            out.append(
                {
                    "id": f"thread-{r['id']}",
                    "text": r["text"],
                    "figures": kept,
                    "ignore": [] if kept else [figure["surface"]],
                    "split": "own",
                }
            )
        return out
