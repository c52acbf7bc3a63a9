"""How well the experiment log recognises the same test written twice (and tells different tests
apart): pairs of plans as marketers type them. benchmarks/experiments_set.jsonl is the set the
lexicon's experiment words were tuned on; benchmarks/experiments_holdout.jsonl was written after
and never tuned on: its figures are the ones to trust. Prints the share of pairs judged right per
set, and each miss.

Then how well the team's decisions typed after ``/experiments`` are read (the test's id and
shipped, rejected or inconclusive, or nothing when there is no decision): decisions_set.jsonl is
what the lexicon's decision words were written from, decisions_holdout.jsonl was written after.

    python benchmarks/experiments.py
"""

from __future__ import annotations

import json
from pathlib import Path

from graph.experiments import likeness, read_decision, read_subject


def lines(name: str) -> list[dict]:
    """The JSON lines of the benchmark file ``name`` (next to this script)."""
    return [
        json.loads(line)
        for line in Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def measure(name: str) -> None:
    """Judge each pair of the set ``name`` with graph.experiments.likeness, print the figures."""
    pairs = lines(name)
    misses = []
    for pair in pairs:
        a, b = read_subject(pair["a"]), read_subject(pair["b"])
        if (likeness(a, b) > 0) != pair["alike"]:
            misses.append((pair, a, b))
    alike = sum(p["alike"] for p in pairs)
    found = sum(1 for p in pairs if p["alike"] and not any(m[0] is p for m in misses))
    kept_apart = sum(1 for p in pairs if not p["alike"] and not any(m[0] is p for m in misses))
    print(f"{name}: {len(pairs)} pairs of plans")
    print(f"same test recognised: {found}/{alike} = {found / alike:.1%}")
    print(
        f"different tests kept apart: {kept_apart}/{len(pairs) - alike} = {kept_apart / (len(pairs) - alike):.1%}"
    )
    for pair, a, b in misses:
        print(
            f"  miss ({'alike' if pair['alike'] else 'different'}): {a.name or a.request!r} on {a.page_key or '?'} / "
            f"{b.name or b.request!r} on {b.page_key or '?'}"
        )


def measure_decisions(name: str) -> None:
    """Read each message of the set ``name`` with graph.experiments.read_decision; print the share
    read right (same id and status, or no decision where there is none) and each miss."""
    rows = lines(name)
    misses = []
    for row in rows:
        found = read_decision(row["text"])
        if ((found.experiment_id, found.status) if found else (None, None)) != (
            row["id"],
            row["status"],
        ):
            misses.append((row, found))
    print(
        f"{name}: decisions read right {len(rows) - len(misses)}/{len(rows)} = {(len(rows) - len(misses)) / len(rows):.1%}"
    )
    for row, found in misses:
        print(
            f"  miss: {row['text']!r}: expected {row['status']}, read {found.status if found else None}"
        )


if __name__ == "__main__":
    measure("experiments_set.jsonl")
    measure("experiments_holdout.jsonl")
    measure_decisions("decisions_set.jsonl")
    measure_decisions("decisions_holdout.jsonl")
