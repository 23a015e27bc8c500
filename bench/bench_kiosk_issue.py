"""Kiosk token issue through the centre service vs from the kiosk's lease (target ≤ 50 ms median).

The centre service runs as its own process (``kiosk centre``, forwarding off: the state link is
not on the citizen's path), on loopback. The kiosk side is the real path a tap takes:
``TokenService.issue`` → ``CentreIssuer`` → ``POST /v1/tokens`` → the token committed to the
kiosk's own SQLite (fsync). Then the centre is stopped and the same call issues from the lease
(one SQLite transaction). Also shown: the bare HTTP round trip (``CentreClient.issue``), to
separate the centre's share from the kiosk's commit. Run::

    .venv/bin/python bench/bench_kiosk_issue.py [--tokens 200]
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.config import load_config  # noqa: E402
from kiosk.issuing.runtime import CentreLink  # noqa: E402
from kiosk.queue import Priority, TokenService  # noqa: E402
from kiosk.store import Store  # noqa: E402

GROUPS = ("C", "L", "A", "T", "R")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stats(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    return (f"{name:<34} n={len(ms):<4} median {statistics.median(ms):6.1f} ms   "
            f"p99 {p99:6.1f} ms   mean {statistics.fmean(ms):6.1f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=200)
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    root = Path(tempfile.mkdtemp(prefix="bench-kiosk-issue-"))
    port = _port()
    centre_args = ["centre", "--port", str(port), "--no-forward", "--enrolment-code", "bench",
                   "--db", str(root / "centre.sqlite3"), "--data-dir", str(root / "centre")]
    centre = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", *centre_args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert centre.stdout is not None
        print(centre.stdout.readline().strip())
        toml = root / "kiosk.toml"
        lease = min(999, args.tokens + 10)
        toml.write_text(f'[centre]\nurl = "http://127.0.0.1:{port}"\nenrolment_code = "bench"\n'
                        f'lease_size = {lease}\n[queue]\nsamadhan_window = "00:00-24:00"\n'
                        '[backend]\nkiosk_id = "BENCH-1"\n', encoding="utf-8")
        config = load_config(toml, data_dir=root / "kiosk", environ={})
        with Store(config.db_path) as store:
            link = CentreLink(config, store, embed=False, background=False)
            tokens = TokenService(store, config, centre=link.issuer)
            assert link.sync_now(), "the centre did not answer"
            for _ in range(10):  # warm: connections, SQLite pages
                tokens.issue("C", Priority.GENERAL, "hi")
            online: list[float] = []
            for i in range(args.tokens):
                t0 = time.perf_counter()
                tok = tokens.issue(GROUPS[i % len(GROUPS)], Priority.GENERAL, "hi")
                online.append((time.perf_counter() - t0) * 1000)
                assert not tok.offline
            client = link.issuer._get_client()  # the bare HTTP round trip, same connection
            assert client is not None
            bare: list[float] = []
            for i in range(args.tokens):
                t0 = time.perf_counter()
                client.issue(str(uuid.uuid4()), GROUPS[i % len(GROUPS)], "general", "hi",
                             "BENCH-1")
                bare.append((time.perf_counter() - t0) * 1000)
            centre.terminate()
            centre.wait(15)
            tokens.issue("C", Priority.GENERAL, "hi")  # notices the centre is gone
            leased: list[float] = []
            for _ in range(min(args.tokens, lease - 20)):
                t0 = time.perf_counter()
                tok = tokens.issue("C", Priority.GENERAL, "hi")
                leased.append((time.perf_counter() - t0) * 1000)
                assert tok.offline
            link.close()
        print(_stats("through the centre (kiosk path)", online))
        print(_stats("  of which HTTP alone", bare))
        print(_stats("from the lease (centre down)", leased))
    finally:
        if centre.poll() is None:
            centre.kill()
            centre.wait(5)
        if centre.stdout is not None:
            centre.stdout.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
