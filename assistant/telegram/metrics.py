"""What the bot counts for its operator, in Prometheus' terms: updates received, answered,
replayed after a restart, how long answering took, what is in hand, the plans loaded,
digests sent. One registry per application (tests run several in one process)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
SECONDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class Metrics:
    def __init__(self, worker: str = ""):
        self.registry = CollectorRegistry()
        self.received = Counter(
            "cchc_updates_received",
            "Updates received from Telegram, by what the store said: new, redelivered "
            "(received before: dropped) or unrecorded (the store failed: answered without)",
            ["outcome"],
            registry=self.registry,
        )
        self.answered = Counter(
            "cchc_updates_answered", "Updates whose handlers ran to the end", registry=self.registry
        )
        self.taken_elsewhere = Counter(
            "cchc_updates_taken_elsewhere",
            "Updates not answered here: another worker claimed them",
            registry=self.registry,
        )
        self.replayed = Counter(
            "cchc_updates_replayed",
            "Updates left unanswered by a stop, by what was done: replayed at a start, "
            "abandoned (too old), unsure (a reply may have left: not answered again), "
            "taken_over (another worker stopped for good)",
            ["outcome"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "cchc_update_seconds",
            "Seconds from an update's claim to its handlers' end",
            buckets=SECONDS,
            registry=self.registry,
        )
        self.in_progress = Gauge(
            "cchc_updates_in_progress", "Updates being answered now", registry=self.registry
        )
        self.digests = Counter("cchc_digests_sent", "Morning digests sent", registry=self.registry)
        self.plans = Gauge("cchc_plans_loaded", "Plans in the index being served", registry=self.registry)
        info = Gauge("cchc_worker", "This worker (always 1), named", ["worker"], registry=self.registry)
        info.labels(worker).set(1)

    def count_plans(self, plans: Callable[[], int]) -> None:
        """Read the number of plans loaded from `plans()` at each scrape."""
        self.plans.set_function(plans)

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format."""
        return generate_latest(self.registry)
