"""Prometheus metrics (prometheus-client), served on ``/metrics`` by ``serve`` over HTTP.

Counters and histograms are kept by whichever process counts them (the HTTP process acks, the
worker processes run turns and send the outbox); prometheus-client's multiprocess mode sums them at
scrape time from files in PROMETHEUS_MULTIPROC_DIR, which ``serve`` sets before this module is
imported (its workers inherit it; prometheus-client reads it at import). Levels that live in the database
(queue depth, escalations open) are read from it at scrape time, so every process sees the same.

Metrics: ``marketing_bot_acks_total{kind,status}`` and ``marketing_bot_ack_seconds`` (Slack
requests answered, by kind: event, command, interaction; seconds to answer),
``marketing_bot_turns_total{outcome}`` and ``marketing_bot_turn_seconds`` (turns: delivered,
busy, failed), ``marketing_bot_web_api_errors_total{op,error}`` (Web API calls the outbox could not
make), ``marketing_bot_queue_depth{queue}`` (jobs and outbox rows waiting),
``marketing_bot_escalations_open``.
"""

from __future__ import annotations

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

ACKS = Counter(
    "marketing_bot_acks", "Slack requests answered by the HTTP endpoint", ["kind", "status"]
)
ACK_SECONDS = Histogram(
    "marketing_bot_ack_seconds",
    "Seconds from a Slack request to its answer",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5),
)
TURNS = Counter(
    "marketing_bot_turns", "Turns run (one user message or click through the graph)", ["outcome"]
)
TURN_SECONDS = Histogram(
    "marketing_bot_turn_seconds",
    "Seconds a turn takes, outbox rows written",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60),
)
WEB_API_ERRORS = Counter(
    "marketing_bot_web_api_errors", "Web API calls of the outbox that failed", ["op", "error"]
)


class StoreCollector:
    """Levels read from the database at scrape time: queue depth by queue, escalations open."""

    def __init__(self, store):
        self.store = store

    def collect(self):
        depth = GaugeMetricFamily(
            "marketing_bot_queue_depth",
            "Work waiting: queued turns (jobs) and messages to send (outbox)",
            labels=["queue"],
        )
        for queue, count in self.store.queue_depth().items():
            depth.add_metric([queue], count)
        yield depth
        yield GaugeMetricFamily(
            "marketing_bot_escalations_open",
            "Escalations waiting for a decision or an acknowledgement",
            value=self.store.escalations.open_escalation_count(),
        )


def exposition(store) -> bytes:
    """The metrics in Prometheus' text format: every process's counters and histograms (summed in
    multiprocess mode), then the database's levels."""
    levels = CollectorRegistry()
    levels.register(StoreCollector(store))
    counted = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    return generate_latest(counted) + generate_latest(levels)
