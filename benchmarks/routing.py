"""Routing benchmark: accuracy of the offline router on a labelled set, and its throughput.

Usage: ``python benchmarks/routing.py [--set benchmarks/routing_set.jsonl] [--errors]``

The set (one JSON object per line: ``text``, ``accept`` = accepted specialist ids, empty for an
out-of-scope request, ``lang``) is written for this benchmark and is not used by the unit tests
nor by the router's training examples in ``prompts/``. Prints accuracy overall, by language and
by specialist, the most frequent confusion pairs, language-detection accuracy, and throughput
in-process and through ``marketing-bot route --jsonl`` (1,000 requests, start-up excluded).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from graph.router import default_router
from graph.text import detect_language

HERE = Path(__file__).parent


def load(path: Path) -> list[dict]:
    """The labelled requests of ``path``."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def correct(row: dict, agent: str | None) -> bool:
    """True when ``agent`` is accepted for ``row`` (None for an out-of-scope request)."""
    return agent in row["accept"] if row["accept"] else agent is None


def cli_seconds(lines: list[str]) -> float:
    """Wall time of ``marketing-bot route --jsonl`` on ``lines``, less its start-up on one line."""

    def run(payload: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "route", "--jsonl"],
            input="\n".join(payload),
            capture_output=True,
            text=True,
            check=True,
        )
        return time.perf_counter() - start

    return run(lines) - run(lines[:1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=HERE / "routing_set.jsonl")
    parser.add_argument("--errors", action="store_true", help="list every misrouted request")
    args = parser.parse_args()
    rows = load(args.set)
    start = time.perf_counter()
    router = default_router()
    build = time.perf_counter() - start

    per_label: dict[str, list[bool]] = defaultdict(list)
    per_lang: dict[str, list[bool]] = defaultdict(list)
    confusions: Counter = Counter()
    errors = []
    start = time.perf_counter()
    decisions = [router.route(r["text"]) for r in rows]
    elapsed = time.perf_counter() - start
    for row, decision in zip(rows, decisions):
        ok = correct(row, decision.agent)
        label = row["accept"][0] if row["accept"] else "(hors périmètre)"
        per_label[label].append(ok)
        per_lang[row["lang"]].append(ok)
        if not ok:
            confusions[(label, decision.agent or "(hors périmètre)")] += 1
            errors.append((row["text"], label, decision.agent, decision.handoff))
    lang_ok = sum(detect_language(r["text"]) == r["lang"] for r in rows)

    total = sum(sum(v) for v in per_label.values())
    print(f"requests: {len(rows)}  accuracy: {total / len(rows):.1%}")
    for lang, oks in sorted(per_lang.items()):
        print(f"  {lang}: {sum(oks) / len(oks):.1%} of {len(oks)}")
    print(f"language detection: {lang_ok / len(rows):.1%}")
    print("\nper specialist:")
    for label, oks in sorted(per_label.items()):
        print(f"  {label:28s} {sum(oks):3d}/{len(oks):<3d} {sum(oks) / len(oks):.0%}")
    print("\nconfusions (expected -> routed):")
    for (expected, got), n in confusions.most_common(15):
        print(f"  {n}  {expected} -> {got}")
    if args.errors:
        print("\nmisrouted:")
        for text, label, agent, handoff in errors:
            print(f"  [{label} -> {agent or handoff}] {text}")
    lines = [
        json.dumps({"text": rows[i % len(rows)]["text"]}, ensure_ascii=False) for i in range(1000)
    ]
    print(f"\nrouter build: {build * 1000:.0f} ms")
    print(
        f"in-process: {len(rows) / elapsed:,.0f} requests/s ({elapsed / len(rows) * 1000:.2f} ms each)"
    )
    print(f"route --jsonl, 1,000 requests after start-up: {cli_seconds(lines):.2f} s")


if __name__ == "__main__":
    main()
