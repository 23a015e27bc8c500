"""Simulated kiosks catching up after an outage: the catch-up test and ``bench_catchup.py``.

Each simulated kiosk is what a kiosk's sync engine does once the link is back: its outbox
(here ``records`` token events) goes up in batches over ``backend_client``, one batch at a
time; a 429 or 5xx means "wait ``Retry-After``, then send the *same* batch with the *same*
keys" (``kiosk/sync/engine.py``); per-item ``retry`` answers are sent again. All kiosks are
released at the same instant, which is the storm the load shaping is for.

Threads, not processes: what is measured is the server, and one thread per kiosk keeps each
kiosk's own connection (keep-alive) as a real kiosk does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from backend_client.client import BackendClient, batch_key
from backend_client.errors import BackendClientError, RateLimitedError
from backend_client.models import BatchItem


@dataclass
class SimKiosk:
    """One kiosk: its credential and its queued records (each with its own key)."""

    kiosk_id: str
    centre: str
    token: str
    items: list[BatchItem]


@dataclass
class Outcome:
    """What one kiosk saw while draining."""

    kiosk_id: str
    accepted: list[str] = field(default_factory=list)    # keys, first time stored
    duplicate: list[str] = field(default_factory=list)   # keys the server already had
    rejected: list[str] = field(default_factory=list)
    requests: int = 0
    refused_429: int = 0
    server_errors: int = 0
    timeouts_503: int = 0    # of those, the server's own time limit (answered, with Retry-After)
    network_errors: int = 0  # timeouts included: the thing load shaping must prevent
    waited_s: float = 0.0    # total Retry-After slept
    max_wait_s: float = 0.0  # the longest single Retry-After
    latencies_s: list[float] = field(default_factory=list)  # every request, answered or not
    finished_s: float | None = None


def token_items(kiosk_id: str, centre: str, records: int, day: datetime) -> list[BatchItem]:
    """``records`` token-issued events, numbered A-001…, unique per (centre, day, number)."""
    out = []
    for i in range(records):
        tid = f"{kiosk_id}-T{i:04d}"
        at = (day + timedelta(seconds=i)).isoformat(timespec="seconds")
        out.append(BatchItem(f"{tid}:issued", "token.issued", tid,
                             {"token_id": tid, "number": f"A-{i + 1:03d}", "group": "A",
                              "at": at, "centre": centre}))
    return out


def make_kiosks(issue: Callable[[str, str], str], count: int,
                records: int) -> list[SimKiosk]:
    """``count`` kiosks, each enrolled in its own centre; ``issue`` is the backend's
    ``issue_credential(kiosk_id, centre)``."""
    day = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
    kiosks = []
    for k in range(count):
        kid, centre = f"K-{k:04d}", f"MP-C{k:04d}"
        items = token_items(kid, centre, records, day)
        kiosks.append(SimKiosk(kid, centre, issue(kid, centre), items))
    return kiosks


def _drain(url: str, kiosk: SimKiosk, batch_size: int, go: threading.Event,
           stop: threading.Event, t0: list[float], out: Outcome) -> None:
    with BackendClient(url, kiosk.token, retries=0, read_timeout=10.0) as client:
        pending = list(kiosk.items)
        go.wait()
        while pending and not stop.is_set():
            batch = pending[:batch_size]
            started = time.perf_counter()
            out.requests += 1
            try:
                result = client.upload_batch(batch, batch_key(batch))
            except BackendClientError as exc:
                out.latencies_s.append(time.perf_counter() - started)
                if isinstance(exc, RateLimitedError):
                    out.refused_429 += 1
                elif exc.status is not None:
                    out.server_errors += 1
                    out.timeouts_503 += exc.code == "timeout"
                else:
                    out.network_errors += 1
                wait = exc.retry_after if exc.retry_after is not None else 1.0
                out.waited_s += wait
                out.max_wait_s = max(out.max_wait_s, wait)
                stop.wait(wait)
                continue
            out.latencies_s.append(time.perf_counter() - started)
            again = []
            for item, r in zip(batch, result.items, strict=True):
                if r.status == "accepted":
                    out.accepted.append(item.idempotency_key)
                elif r.status == "duplicate":
                    out.duplicate.append(item.idempotency_key)
                elif r.status == "rejected":
                    out.rejected.append(item.idempotency_key)
                else:
                    again.append(item)
            pending = again + pending[batch_size:]
        out.finished_s = time.perf_counter() - t0[0]


def catch_up(url: str, kiosks: list[SimKiosk], *, batch_size: int = 100,
             timeout_s: float = 600.0) -> tuple[list[Outcome], float]:
    """Release every kiosk at once; return each one's outcome and the wall time to drain."""
    go, stop = threading.Event(), threading.Event()
    t0 = [0.0]
    outcomes = [Outcome(k.kiosk_id) for k in kiosks]
    threads = [threading.Thread(target=_drain, args=(url, k, batch_size, go, stop, t0, o),
                                name=f"sim-kiosk:{k.kiosk_id}", daemon=True)
               for k, o in zip(kiosks, outcomes, strict=True)]
    for t in threads:
        t.start()
    t0[0] = time.perf_counter()
    go.set()
    deadline = t0[0] + timeout_s
    try:
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.perf_counter()))
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=15)
    return outcomes, time.perf_counter() - t0[0]


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]
