"""Drain 1,000 queued records to the reference backend on loopback after an outage.

Prints the drain time, the number of HTTP requests and the bytes on the wire (both directions,
headers included, as counted by the server's socket wrappers) per record — for token records
and for application records with a realistic minimal payload. Run::

    .venv/bin/python bench/bench_sync_drain.py [--records 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import tempfile
import time
from pathlib import Path

from backend_client.client import BackendClient
from kiosk.config import load_config
from kiosk.queue import TokenService
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.sync.engine import SyncEngine
from kiosk.sync.settings import SyncSettings
from reference_backend import ReferenceBackend


def _application(i: int, centre: str) -> tuple[str, dict[str, object]]:
    no = f"{centre}-20261122-{i:05d}-{i % 10}"
    return no, {
        "application_no": no, "service_code": "INC", "centre": centre,
        "submitted_at": "2026-11-22T11:42:10+05:30",
        "applicant": {"name": "रामकुमार शर्मा", "relative_name": "श्यामलाल शर्मा",
                      "aadhaar_last4": f"{i % 10000:04d}", "mobile": "9876543210",
                      "district": "Bhopal"},
        "fields": {"annual_income_paise": 12000000, "purpose": "scholarship",
                   "village": "Kolar", "tehsil": "Huzur"},
        "documents": [{"doc_type": "income-declaration", "pages": 1, "mime": "application/pdf",
                       "sha256": hashlib.sha256(f"decl{i}".encode()).hexdigest()},
                      {"doc_type": "aadhaar", "pages": 1, "mime": "image/jpeg",
                       "sha256": hashlib.sha256(f"adh{i}".encode()).hexdigest()}],
        "fee_paise": 2000,
    }


def run(kind: str, records: int, batch_size: int, root: Path) -> dict[str, float]:
    cfg = load_config(data_dir=root / f"{kind}-{batch_size}", environ={})
    backend = ReferenceBackend(root / f"{kind}-{batch_size}-backend.sqlite3")
    store = Store(cfg.db_path)
    if kind == "token":
        svc = TokenService(store, cfg)
        for _ in range(records):
            svc.issue("C")
    else:
        with store.transaction() as conn:
            for i in range(records):
                no, payload = _application(i, cfg.centre_code)
                outbox.enqueue(conn, "application.submitted", no, payload)
    backend.start()
    token = backend.issue_credential("BENCH-1")
    backend.stop()  # the outage
    settings = SyncSettings(kiosk_id="BENCH-1", batch_size=batch_size, interval_s=60.0,
                            pull_s=1e9, heartbeat_s=1e9, probe_s=0.5, backoff_base_s=0.5)
    client = BackendClient(backend.url, token, retries=0)
    engine = SyncEngine(store, client, settings)
    try:
        engine.start()
        deadline = time.monotonic() + 5
        while engine.status().online is not False and time.monotonic() < deadline:
            time.sleep(0.01)
        backend.start()  # connectivity back
        backend.stats.reset()
        t0 = time.perf_counter()
        engine.wake()
        while engine.status().waiting and time.perf_counter() - t0 < 300:
            time.sleep(0.005)
        elapsed = time.perf_counter() - t0
        stats = backend.stats
        delivered = store.conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'done'").fetchone()[0]
        server = backend.db.count("tokens" if kind == "token" else "applications")
        return {"records": records, "delivered": delivered, "on_server": server,
                "seconds": elapsed, "requests": stats.total_requests(exclude=()),
                "batch_requests": stats.requests["batch"],
                "bytes_up": stats.bytes_in / records, "bytes_down": stats.bytes_out / records}
    finally:
        engine.close()
        client.close()
        backend.close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"{'records':>22} {'batch':>5} {'time s':>7} {'req':>5} {'rec/s':>7} "
          f"{'B up/rec':>9} {'B down/rec':>10} {'delivered':>9} {'on server':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind, n, batch in (("token", args.records, 100),
                               ("application", args.records, 100),
                               ("token", min(200, args.records), 1)):
            r = run(kind, n, batch, root)
            label = f"{n} {kind}" + (" (unbatched)" if batch == 1 else "")
            print(f"{label:>22} {batch:>5} {r['seconds']:>7.2f} {r['requests']:>5} "
                  f"{n / r['seconds']:>7.0f} {r['bytes_up']:>9.0f} {r['bytes_down']:>10.0f} "
                  f"{r['delivered']:>9} {r['on_server']:>9}")


if __name__ == "__main__":
    main()
