"""A worker's memory as threads accumulate: the resident set size of one process running
``--threads`` new conversations (a mix of the project's benchmark requests, one thread each)
through the graph with SQLite checkpoints and the offline brain. Prints RSS every 100 threads.

    python benchmarks/memory.py [--threads 1000]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux /proc), else its peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Unheard:
    """A notifier that posts escalation notices nowhere (they are not what is measured)."""

    def notify(self, rule, evidence: str, lang: str) -> None:
        """Drop the notice."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1000)
    args = parser.parse_args()
    from graph.conversations import Conversations
    from graph.threads import Thread

    requests = [
        json.loads(line)["turns"][0]
        for line in (HERE / "conversations.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversations(str(Path(tmp) / "memory.db"))
        print(f"after start-up: {rss_mb():.0f} MB")
        for n in range(1, args.threads + 1):
            conv.handle(Thread("T", "CMEM", f"{n}.0"), requests[n % len(requests)], Unheard())
            if n % 100 == 0:
                print(f"after {n} threads: {rss_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
