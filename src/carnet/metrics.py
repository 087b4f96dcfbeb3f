"""What carnet counts, in Prometheus' terms (``prometheus-client``).

Under ``carnet serve`` the directory named by ``PROMETHEUS_MULTIPROC_DIR`` (made
by the command before the workers start) holds every worker's values, and
:func:`exposition` sums them: ``/metrics`` is right whichever worker answers, and
whichever workers came and went. Without it (tests, an app built in Python) the
values are this process's.

No label holds a key, a number or anything a client chose: routes are the paths of
known endpoints (anything else is ``other``), buckets and outcomes come from the
contract and the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

__all__ = ["CONTENT_TYPE_LATEST", "exposition"]

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "carnet_http_requests", "HTTP requests answered, by route, method and status",
    ["route", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "carnet_http_request_duration_seconds", "Time to answer a request, by route", ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)  # fmt: skip
CONTACTS_STORED = Counter(
    "carnet_contacts_stored", "Contacts stored by contact/add, by single add or batch", ["via"]
)
ROWS_REFUSED = Counter(
    "carnet_batch_rows_refused", "Rows of batches refused, by the report's bucket", ["bucket"]
)
RATE_LIMITED = Counter(
    "carnet_rate_limited", "Requests refused by the rate limit, by address or API key", ["by"]
)
IMPORT_JOBS = Counter("carnet_import_jobs_ended", "Import jobs ended, by outcome", ["outcome"])
POOL_IN_USE = Gauge(
    "carnet_db_pool_in_use", "Database connections in use, summed over live workers",
    multiprocess_mode="livesum",
)  # fmt: skip

# Each ``via``'s counter, as labels() gives it (a look-up under a lock): counted per request.
_stored_via: dict[str, Counter] = {}


def contacts_added(via: str, stored: int, refused: Mapping[str, int] | None = None) -> None:
    """Count a contact/add: ``stored`` contacts, and a batch's refused rows by bucket."""
    if stored:
        counter = _stored_via.get(via)
        if counter is None:
            counter = _stored_via[via] = CONTACTS_STORED.labels(via)
        counter.inc(stored)
    for bucket, count in (refused or {}).items():
        if count:
            ROWS_REFUSED.labels(bucket).inc(count)


def exposition() -> bytes:
    """Every metric in Prometheus' text format, summed over workers when there are several."""
    if os.environ.get(MULTIPROC_DIR):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def worker_exited(pid: int) -> None:
    """Drop a worker's live gauges once it is gone (its counters stay in the sums)."""
    if os.environ.get(MULTIPROC_DIR):
        _multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
