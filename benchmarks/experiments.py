"""How well the experiment log recognises the same test written twice (and tells different tests
apart): pairs of plans as marketers type them. benchmarks/experiments_set.jsonl is the set the
lexicon's experiment words were tuned on; benchmarks/experiments_holdout.jsonl was written after
and never tuned on: its figures are the ones to trust. Prints the share of pairs judged right per
set, and each miss.

    python benchmarks/experiments.py
"""

from __future__ import annotations

import json
from pathlib import Path

from graph.experiments import likeness, read_subject


def measure(name: str) -> None:
    """Judge each pair of the set ``name`` with graph.experiments.likeness, print the figures."""
    pairs = [json.loads(line) for line in Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines() if line.strip()]
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
    print(f"different tests kept apart: {kept_apart}/{len(pairs) - alike} = {kept_apart / (len(pairs) - alike):.1%}")
    for pair, a, b in misses:
        print(f"  miss ({'alike' if pair['alike'] else 'different'}): {a.name or a.request!r} on {a.page_key or '?'} / "
              f"{b.name or b.request!r} on {b.page_key or '?'}")


if __name__ == "__main__":
    measure("experiments_set.jsonl")
    measure("experiments_holdout.jsonl")
