"""Records/s into the reference backend, SQLite vs PostgreSQL, with 1, 4 and 16 kiosk clients.

Each client is one enrolled kiosk (its own centre) sending 100-record ``/v1/batch`` batches of
``token.issued`` or ``application.submitted`` items over real HTTP on loopback, one batch in
flight per client, as a catching-up kiosk does. Printed per store, kind and client count:
records/s, the p50 and p99 batch latency, and the backend processes' CPU (of one core: 100 %
is one core busy). Each client first sends one untimed warm-up batch.

The backend runs in a child process (``ReferenceBackend(...)``: start, issue_credential, url,
stop), so the clients' Python does not share the server's GIL; each cell gets a fresh database
(a new SQLite file; a new PostgreSQL database). PostgreSQL is a throw-away cluster started with
scripts/pg_cluster.sh ``durable`` (fsync on, as SQLite's ``synchronous=FULL`` is), unless
``--postgres-url`` names one. ``--url`` measures an external backend instead (e.g. the
production server), enrolling its kiosks with ``--enrolment-code``. Run::

    .venv/bin/python bench/bench_backend_stores.py [--records 3200] [--clients 1,4,16]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reference_backend import ReferenceBackend  # noqa: E402
from reference_backend.store import with_database  # noqa: E402

BATCH = 100
AT = "2026-12-01T10:00:00+05:30"


def _serve(location: str, kiosks: list[tuple[str, str]], pipe: Any) -> None:
    """Child process: a backend on ``location``; sends (url, tokens), serves until told."""
    backend = ReferenceBackend(location).start()
    try:
        tokens = [backend.issue_credential(k, c) for k, c in kiosks]
        pipe.send((backend.url, tokens))
        pipe.recv()  # the timed part starts
        cpu = time.process_time()
        pipe.recv()  # ... and ends
        pipe.send(time.process_time() - cpu)
    finally:
        backend.close()


def _enrol_external(url: str, code: str, kiosks: list[tuple[str, str]]) -> list[str]:
    tokens = []
    with requests.Session() as s:
        for kiosk_id, centre in kiosks:
            r = s.post(url + "/v1/kiosks/register", timeout=30,
                       json={"kiosk_id": kiosk_id, "centre_code": centre, "enrolment_code": code},
                       headers={"Idempotency-Key": str(uuid.uuid4())})
            r.raise_for_status()
            tokens.append(str(r.json()["token"]))
    return tokens


def _item(kind: str, centre: str, i: int) -> dict[str, Any]:
    key = f"{kind}:{centre}:{i}"
    if kind == "tokens":
        tid = str(uuid.uuid4())
        return {"idempotency_key": key, "kind": "token.issued", "record_id": tid,
                "payload": {"token_id": tid, "number": f"C-{i:05d}", "group": "C", "at": AT,
                            "centre": centre}}
    no = f"{centre}-20261201-{i:05d}-{i % 10}"
    return {"idempotency_key": key, "kind": "application.submitted", "record_id": no,
            "payload": {"application_no": no, "service_code": "INC", "centre": centre,
                        "submitted_at": AT,
                        "applicant": {"name": "रामकुमार शर्मा", "mobile": "9876543210",
                                      "aadhaar_last4": f"{i % 10000:04d}", "district": "Bhopal"},
                        "fields": {"purpose": "scholarship", "village": "Kolar"},
                        "fee_paise": 2000}}


def _send(s: requests.Session, url: str, token: str, body: bytes,
          resets: list[int]) -> requests.Response | None:
    """One batch; after a reset the same key again, as a kiosk does (None: gave up)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Idempotency-Key": str(uuid.uuid4())}
    for _attempt in range(5):
        try:
            return s.post(url + "/v1/batch", data=body, timeout=120, headers=headers)
        except requests.ConnectionError:
            resets.append(1)
            time.sleep(0.05)
    return None


def _client(url: str, token: str, bodies: list[bytes], latencies: list[float],
            errors: list[str], resets: list[int], start: threading.Barrier) -> None:
    warm_up, *timed = bodies
    with requests.Session() as s:
        # Untimed: the connection, the backend's pool grown to this client, caches warm.
        _send(s, url, token, warm_up, [])
        start.wait()
        for body in timed:
            t0 = time.perf_counter()
            r = _send(s, url, token, body, resets)
            if r is None:
                errors.append("connection reset 5 times")
                continue
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors.append(f"HTTP {r.status_code}")
                continue
            bad = [i["status"] for i in r.json()["items"] if i["status"] != "accepted"]
            if bad:
                errors.append(f"{len(bad)} items {bad[0]}")


def run_cell(kind: str, clients: int, records: int, location: str | None,
             external: tuple[str, str] | None, procs: int = 1) -> dict[str, float]:
    """One measurement: ``records`` records split over ``clients`` concurrent kiosks, served
    by ``procs`` backend processes on the one store (kiosk n talks to process n % procs)."""
    tag = uuid.uuid4().hex[:6]
    kiosks = [(f"BENCH-{tag}-{n}", f"MP-B{tag}-{n}") for n in range(clients)]
    per_client = max(1, records // (clients * BATCH)) * BATCH
    # The first batch of each client is its untimed warm-up.
    bodies = [[json.dumps({"items": [_item(kind, centre, b + i) for i in range(BATCH)]},
                          ensure_ascii=False).encode()
               for b in range(0, per_client + BATCH, BATCH)] for _, centre in kiosks]
    children: list[tuple[Any, Any]] = []
    urls: list[str] = [""] * clients
    tokens: list[str] = [""] * clients
    if external is not None:
        urls = [external[0]] * clients
        tokens = _enrol_external(*external, kiosks)
    else:
        assert location is not None
        ctx = mp.get_context("spawn")
        if location.endswith(".sqlite3"):
            ReferenceBackend(location).close()  # made (and migrated) once, before the workers
        for k in range(min(procs, clients)):
            mine = list(range(k, clients, procs))
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(location, [kiosks[n] for n in mine], child))
            proc.start()
            children.append((parent, proc))
            url, got = parent.recv()
            for n, token in zip(mine, got, strict=True):
                urls[n], tokens[n] = url, token
    latencies: list[float] = []
    errors: list[str] = []
    resets: list[int] = []
    barrier = threading.Barrier(clients + 1)
    threads = [threading.Thread(target=_client, args=(urls[n], tokens[n], bodies[n], latencies,
                                                      errors, resets, barrier))
               for n in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for parent, _ in children:
        parent.send("mark")
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    server_cpu = 0.0
    for parent, _ in children:
        parent.send("stop")
        server_cpu += parent.recv()
    for _, proc in children:
        proc.join(timeout=60)
    lat = sorted(latencies)
    return {"records": per_client * clients, "seconds": elapsed,
            "per_s": per_client * clients / elapsed,
            "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
            "errors": len(errors), "resets": len(resets),
            "server_cpu": server_cpu / elapsed if children else float("nan")}


def _fresh_pg(admin_url: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return with_database(admin_url, name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=3200, help="records per cell")
    ap.add_argument("--clients", default="1,4,16")
    ap.add_argument("--kinds", default="tokens,applications")
    ap.add_argument("--stores", default="sqlite,postgresql")
    ap.add_argument("--postgres-url", help="an admin URL of a running cluster (default: start "
                    "a throw-away durable one)")
    ap.add_argument("--url", help="bench an external backend at this URL instead")
    ap.add_argument("--enrolment-code", help="with --url: the code that enrols kiosks")
    ap.add_argument("--procs", type=int, default=1, help="backend processes per store (what "
                    "a multi-worker server does; each has its own GIL and pool)")
    args = ap.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    kinds = args.kinds.split(",")
    stores = ["external"] if args.url else args.stores.split(",")
    pg_dir = None
    admin = args.postgres_url
    if "postgresql" in stores and not admin:
        pg_dir = tempfile.mkdtemp(prefix="seva-pg-bench.")
        admin = subprocess.run([str(ROOT / "scripts" / "pg_cluster.sh"), "start", pg_dir,
                                "durable"], check=True, capture_output=True, text=True
                               ).stdout.strip()
    results: dict[tuple[str, str, int], dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="seva-bench-") as tmp:
            for kind in kinds:
                for n in counts:
                    for store in stores:
                        location = (str(Path(tmp) / f"{kind}-{n}.sqlite3") if store == "sqlite"
                                    else _fresh_pg(admin) if store == "postgresql" else None)
                        external = ((args.url.rstrip("/"), args.enrolment_code or "")
                                    if store == "external" else None)
                        r = run_cell(kind, n, args.records, location, external, args.procs)
                        results[(kind, store, n)] = r
                        print(f"{kind:<12} {store:<10} clients={n:>2}  {r['per_s']:>7.0f} rec/s"
                              f"  p50 {r['p50_ms']:>6.0f} ms  p99 {r['p99_ms']:>6.0f} ms"
                              f"  backend CPU {r['server_cpu']:>4.0%}"
                              f"  ({r['records']:.0f} in {r['seconds']:.1f} s"
                              f"{', ERRORS ' + str(r['errors']) if r['errors'] else ''}"
                              f"{', resent ' + str(r['resets']) if r['resets'] else ''})",
                              flush=True)
    finally:
        if pg_dir:
            subprocess.run([str(ROOT / "scripts" / "pg_cluster.sh"), "stop", pg_dir],
                           check=False)
    print(f"\n(cores: {os.cpu_count()}; batch {BATCH}; one batch in flight per client; "
          f"{args.procs} backend process(es))")
    for kind in kinds:
        for store in stores:
            lo, hi = results.get((kind, store, min(counts))), results.get((kind, store,
                                                                          max(counts)))
            if lo and hi:
                print(f"{kind} {store}: {max(counts)} clients / {min(counts)} = "
                      f"{hi['per_s'] / lo['per_s']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
