"""Catch-up after an outage: 500 kiosks × 200 queued records drain into ``kiosk backend``.

Each run starts a real ``kiosk backend`` process (the production server: Starlette on
uvicorn) with 1 and with N worker processes on loopback, then releases every simulated
kiosk at once (``reference_backend/loadgen.py``: one thread and one keep-alive connection per
kiosk, batches of 100, ``Retry-After`` honoured, the same keys resent). It prints the time to
drain, the 429s answered, the longest single wait a kiosk was told, p50/p99 request latency,
timeouts (must be 0) and the records stored (must be exactly kiosks × records). For
comparison it can also run the single-process test server (``--test-server``), which has no
load shaping. Run::

    .venv/bin/python bench/bench_catchup.py [--kiosks 500] [--records 200] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from reference_backend import loadgen
from reference_backend.db import BackendDB

ROOT = Path(__file__).resolve().parents[1]


def _serve(db: Path, workers: int, test_server: bool,
           serve_args: list[str]) -> tuple[subprocess.Popen[str], str]:
    extra = ["--test-server"] if test_server else ["--workers", str(workers), *serve_args]
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "backend", "--port", "0",
                             "--db", str(db), "--data-dir", str(db.parent), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=str(ROOT))
    assert proc.stdout is not None
    url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
    deadline = time.monotonic() + 60
    probe = "/v1/health" if test_server else "/v1/ready"
    while time.monotonic() < deadline:
        try:
            if requests.get(url + probe, timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.1)
    return proc, url


def run(kiosks: int, records: int, workers: int, root: Path, test_server: bool = False,
        serve_args: list[str] | None = None) -> dict[str, float]:
    db_path = root / f"catchup-{workers}-{int(test_server)}" / "reference.sqlite3"
    db = BackendDB(db_path)
    sims = loadgen.make_kiosks(db.issue_credential, kiosks, records)  # enrolled before
    db.close()
    # Connectivity back: every kiosk at once.
    proc, url = _serve(db_path, workers, test_server, serve_args or [])
    try:
        outcomes, wall = loadgen.catch_up(url, sims, batch_size=100, timeout_s=900)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()
    db = BackendDB(db_path)
    try:
        stored = db.count("tokens")
    finally:
        db.close()
    lat = [x for o in outcomes for x in o.latencies_s]
    return {"seconds": wall, "requests": sum(o.requests for o in outcomes),
            "refused": sum(o.refused_429 for o in outcomes),
            "max_wait": max(o.max_wait_s for o in outcomes),
            "p50": loadgen.percentile(lat, 50), "p99": loadgen.percentile(lat, 99),
            "timeouts": sum(o.network_errors for o in outcomes),
            "errors_5xx": sum(o.server_errors for o in outcomes),
            "timeouts_503": sum(o.timeouts_503 for o in outcomes),
            "accepted": sum(len(o.accepted) for o in outcomes), "stored": stored,
            "unfinished": sum(o.finished_s is None for o in outcomes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=500)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--max-inflight-writes", type=int, default=None, metavar="N",
                        help="passed to kiosk backend (default: its own)")
    parser.add_argument("--test-server", action="store_true",
                        help="also run the single-process test server (no load shaping)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    total = args.kiosks * args.records
    print(f"{args.kiosks} kiosks x {args.records} records = {total} records, batches of 100")
    print(f"{'server':>14} {'drain s':>8} {'rec/s':>7} {'requests':>8} {'429s':>6} "
          f"{'max wait s':>10} {'p50 ms':>7} {'p99 ms':>7} {'timeouts':>8} {'5xx (503)':>10} "
          f"{'stored':>7} {'unfinished':>10}")
    runs = [(w, False) for w in args.workers] + ([(1, True)] if args.test_server else [])
    with tempfile.TemporaryDirectory() as tmp:
        for workers, test_server in runs:
            serve_args = [] if args.max_inflight_writes is None else [
                "--max-inflight-writes", str(args.max_inflight_writes)]
            r = run(args.kiosks, args.records, workers, Path(tmp), test_server, serve_args)
            label = "test server" if test_server else f"{workers} worker" + "s" * (workers > 1)
            print(f"{label:>14} {r['seconds']:>8.1f} {r['stored'] / r['seconds']:>7.0f} "
                  f"{r['requests']:>8.0f} {r['refused']:>6.0f} {r['max_wait']:>10.0f} "
                  f"{r['p50'] * 1000:>7.0f} {r['p99'] * 1000:>7.0f} {r['timeouts']:>8.0f} "
                  f"{r['errors_5xx']:>4.0f} ({r['timeouts_503']:>3.0f}) {r['stored']:>7.0f} "
                  f"{r['unfinished']:>10.0f}",
                  flush=True)


if __name__ == "__main__":
    main()
