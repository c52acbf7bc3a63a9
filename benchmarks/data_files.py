"""How long the bot takes to read large shared files, end to end through the specialist: a funnel
events file (user, step, timestamp) and a journeys file of touches (journey_id, channel,
timestamp, converted), generated here with a fixed seed. Prints seconds and rows per second.

    python benchmarks/data_files.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
import pandas as pd


def events_csv(rows: int, seed: int = 7) -> bytes:
    """About ``rows`` funnel events: each user visits, then goes on to each next step with a
    falling probability, minutes to hours later."""
    rng = np.random.default_rng(seed)
    steps = ["visite", "produit", "panier", "paiement", "commande"]
    users = rows // 2
    depth = np.minimum(rng.geometric(0.45, users), len(steps))
    user = np.repeat(np.arange(users), depth)
    step = np.concatenate([np.arange(d) for d in depth])
    start = pd.Timestamp("2026-10-01") + pd.to_timedelta(rng.integers(0, 30 * 86400, users), "s")
    gap = pd.to_timedelta(rng.exponential(3600, len(user)).cumsum() % 86400, "s")
    table = pd.DataFrame(
        {
            "user_id": user,
            "step": np.array(steps)[step],
            "timestamp": (start[user] + gap).strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    return table.to_csv(index=False).encode()


def touches_csv(rows: int, seed: int = 11) -> bytes:
    """About ``rows`` touches of journeys of 1 to 6 channels, a quarter of them converting."""
    rng = np.random.default_rng(seed)
    channels = np.array(["search", "social", "email", "display", "affiliation"])
    lengths = rng.integers(1, 7, rows // 3)
    journey = np.repeat(np.arange(len(lengths)), lengths)
    converted = (rng.random(len(lengths)) < 0.25).astype(int)[journey]
    table = pd.DataFrame(
        {
            "journey_id": journey,
            "channel": channels[rng.integers(0, len(channels), len(journey))],
            "timestamp": (
                pd.Timestamp("2026-09-01")
                + pd.to_timedelta(rng.integers(0, 60 * 86400, len(journey)), "s")
            ).strftime("%Y-%m-%d %H:%M:%S"),
            "converted": converted,
        }
    )
    return table.to_csv(index=False).encode()


def timed(label: str, name: str, content: bytes, run) -> None:
    """Read ``content`` as the shared file ``name`` and run ``run`` on it; print the time."""
    from graph.data import load_file

    rows = len(pd.read_csv(io.BytesIO(content)))
    started = time.perf_counter()
    run(load_file(name, content))
    seconds = time.perf_counter() - started
    print(f"{label}: {rows} rows in {seconds:.2f} s ({rows / seconds:,.0f} rows/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    from graph import data
    from graph.calculators import attribution

    timed("funnel events", "events.csv", events_csv(args.rows), data.funnel)
    timed(
        "attribution touches",
        "touches.csv",
        touches_csv(args.rows),
        lambda file: attribution.attribute(data.journeys(file)),
    )


if __name__ == "__main__":
    main()
