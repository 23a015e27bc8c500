"""The audit trail's costs: append throughput, ``audit verify`` of 100,000 entries, and what
forwarding an entry to the state costs (outbox bytes, wire bytes, drain time).

* **append**: entries per second on the centre's real database (WAL, ``synchronous=FULL``) —
  one entry per transaction as an action commits it (an fsync each), and many per transaction
  (to see the chain's own cost apart from the fsync); with the outbox (``audit.entry``
  forwarding, as the centre runs) and on a bare connection without one.
* **verify**: ``kiosk audit verify``'s walk over a 100,000-entry chain, in seconds.
* **forwarding**: the mean ``audit.entry`` payload in the outbox, and a busy centre-day's
  entries (``--day``, default 5,000) drained to the reference backend on loopback: requests,
  bytes up per entry (headers included), seconds.

Run::

    .venv/bin/python bench/bench_audit.py [--entries 100000] [--day 5000]
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backend_client.client import BackendClient
from kiosk.centre import audit
from kiosk.centre.db import CentreStore
from kiosk.config import load_config
from kiosk.sync import outbox
from kiosk.sync.engine import SyncEngine
from kiosk.sync.settings import SyncSettings
from reference_backend import ReferenceBackend

T0 = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)


def _detail(i: int) -> dict[str, object]:
    """What a counter action's entry carries (as CentreService._emit writes it)."""
    return {"event_id": i, "token": f"C-{i % 1000:03d}", "token_id": str(uuid.UUID(int=i)),
            "group": "C"}


def _append(conn: sqlite3.Connection, i: int) -> None:
    audit.append(conn, action="token.called", operator_id=f"op{i % 8}", counter=str(i % 6 + 1),
                 detail=_detail(i), at=T0 + timedelta(seconds=i))


def append_rate(root: Path, *, per_tx: int, n: int, with_outbox: bool) -> float:
    """Entries per second appending ``n`` entries, ``per_tx`` in each transaction."""
    name = f"append-{per_tx}-{int(with_outbox)}.sqlite3"
    if with_outbox:
        store = CentreStore(root / name)
        conn = store.conn
        with store.transaction() as c:
            audit.ensure_schema(c)
    else:
        conn = sqlite3.connect(root / name, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        audit.ensure_schema(conn)
    t0 = time.perf_counter()
    for start in range(0, n, per_tx):
        conn.execute("BEGIN IMMEDIATE")
        for i in range(start, min(n, start + per_tx)):
            _append(conn, i)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    if with_outbox:
        store.close()
    else:
        conn.close()
    return n / elapsed


def verify_seconds(root: Path, n: int) -> tuple[float, float]:
    """Build an ``n``-entry chain (bare, one transaction), then time ``audit.verify``."""
    conn = sqlite3.connect(root / "verify.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    audit.ensure_schema(conn)
    conn.execute("BEGIN IMMEDIATE")
    for i in range(n):
        _append(conn, i)
    conn.execute("COMMIT")
    size_mb = (root / "verify.sqlite3").stat().st_size / 1e6
    t0 = time.perf_counter()
    check = audit.verify(conn)
    elapsed = time.perf_counter() - t0
    conn.close()
    assert check.ok and check.entries == n, check
    return elapsed, size_mb


def forward_day(root: Path, n: int, batch_size: int) -> dict[str, float]:
    """A centre-day's ``n`` entries queued, then drained to the reference backend."""
    cfg = load_config(data_dir=root / f"fwd-{batch_size}", environ={})
    store = CentreStore(root / f"fwd-{batch_size}.sqlite3")
    with store.transaction() as conn:
        audit.ensure_schema(conn)
        for i in range(n):
            _append(conn, i)
    payload_bytes = store.conn.execute(
        "SELECT AVG(LENGTH(CAST(payload AS BLOB))) FROM outbox WHERE kind = ?",
        (audit.FORWARD_KIND,)).fetchone()[0]
    backend = ReferenceBackend(root / f"fwd-{batch_size}-backend.sqlite3").start()
    kiosk_id = f"{cfg.centre_code}-centre"
    token = backend.issue_credential(kiosk_id, cfg.centre_code)
    settings = SyncSettings(kiosk_id=kiosk_id, batch_size=batch_size, interval_s=60.0,
                            pull_s=1e9, heartbeat_s=1e9, probe_s=0.5, backoff_base_s=0.5)
    client = BackendClient(backend.url, token, retries=0)
    engine = SyncEngine(store, client, settings, pull_reference=False)
    try:
        backend.stats.reset()
        t0 = time.perf_counter()
        engine.start()
        engine.wake()
        while outbox.count_state(store.conn, outbox.DONE) < n and time.perf_counter() - t0 < 600:
            time.sleep(0.01)
        elapsed = time.perf_counter() - t0
        held = len(backend.db.audit_chain(kiosk_id, "centre"))
        breaks = len(backend.db.audit_breaks())
        stats = backend.stats
        return {"payload": float(payload_bytes), "seconds": elapsed, "held": held,
                "breaks": breaks, "requests": stats.requests["batch"],
                "up": stats.bytes_in / n, "down": stats.bytes_out / n}
    finally:
        engine.close()
        client.close()
        backend.close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--day", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("append (entries/s)          outbox  bare")
        for per_tx, n in ((1, 300), (1000, 20_000)):
            fwd = append_rate(root, per_tx=per_tx, n=n, with_outbox=True)
            bare = append_rate(root, per_tx=per_tx, n=n, with_outbox=False)
            label = "one per transaction" if per_tx == 1 else f"{per_tx} per transaction"
            print(f"  {label:<24} {fwd:>7.0f} {bare:>6.0f}")
        seconds, size_mb = verify_seconds(root, args.entries)
        print(f"verify {args.entries:,} entries: {seconds:.2f} s "
              f"({args.entries / seconds:,.0f} entries/s; database {size_mb:.1f} MB)")
        for batch in (100, 500):
            r = forward_day(root, args.day, batch)
            print(f"forward {args.day:,} entries, batch {batch}: outbox payload "
                  f"{r['payload']:.0f} B/entry; {r['requests']} batch requests, "
                  f"{r['up']:.0f} B up + {r['down']:.0f} B down per entry, "
                  f"{r['seconds']:.2f} s; backend holds {r['held']}, breaks {r['breaks']}")


if __name__ == "__main__":
    main()
