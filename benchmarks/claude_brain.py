"""Claude brain benchmark: what a conversation costs in calls, time and tokens, without Anthropic.

Usage: ``python benchmarks/claude_brain.py [--turns 20]``

Runs the README's two-message A/B conversation ``--turns`` times (new thread each time) through
``Conversations`` with the Claude brain pointed at the local Messages API stand-in of the tests
(``tests/anthropic_stub.py``, instant answers), then once more with the stand-in answering 529.
Prints per conversation: model calls, wall time spent outside the model (graph, grounding,
SQLite, HTTP on 127.0.0.1), tokens and share read from the prompt cache as recorded in the usage
table, and the time to fall back to the offline brain.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from bot.config import Settings  # noqa: E402
from graph.brains.claude import COOL_DOWN, chat_model  # noqa: E402
from graph.conversations import Conversations  # noqa: E402
from graph.threads import Thread  # noqa: E402
from tests.anthropic_stub import AnthropicStub  # noqa: E402

MESSAGES = [
    "Je veux tester deux versions de ma page d'inscription, combien de visiteurs il me faut ?",
    "3 %, je veux détecter +0,5 point, 2000 visiteurs par jour",
]


def run(stub: AnthropicStub, db: str, turns: int, retries: int = 2) -> list[float]:
    """Seconds per conversation for ``turns`` conversations against ``stub``."""
    settings = Settings(
        anthropic_api_key="sk-ant-bench",
        anthropic_base_url=stub.url,
        marketing_bot_llm_retries=retries,
    )
    conv = Conversations(db, model=chat_model(settings), model_id=settings.marketing_bot_model)
    times = []
    for n in range(turns):
        start = time.perf_counter()
        for message in MESSAGES:
            conv.handle(Thread("bench", "C", f"{n}.0"), message)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stub = AnthropicStub(
            routes={"visiteurs": "experimentation"},
            inputs=lambda t: (
                {"baseline_rate": 3.0, "mde": {"value": 0.5, "unit": "pt"}, "daily_traffic": 2000}
                if "2000" in t
                else {}
            ),
        )
        db = f"{tmp}/bench.db"
        times = run(stub, db, args.turns)
        usage = Conversations(db).store.usage.usage_by_turn()
        calls = len(stub.requests) / args.turns
        total_in, cached = (
            sum(r["input_tokens"] for r in usage),
            sum(r["cache_read"] for r in usage),
        )
        print(
            f"conversations: {args.turns} (2 messages each), model calls per conversation: {calls:.1f}"
        )
        print(
            f"time outside the model per conversation: median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms"
        )
        print(
            f"tokens per conversation: input {total_in / args.turns:.0f}, "
            f"output {sum(r['output_tokens'] for r in usage) / args.turns:.0f}, read from cache {cached / total_in:.1%}"
        )
        stub.close()

        overloaded = AnthropicStub(mode="overloaded")
        fallback = run(overloaded, f"{tmp}/fallback.db", 1)
        print(
            f"529 on every call: conversation answered offline in {fallback[0]:.1f} s "
            f"({len(overloaded.requests)} calls: one call and its retries, then {COOL_DOWN:.0f} s without calling)"
        )
        overloaded.close()


if __name__ == "__main__":
    main()
