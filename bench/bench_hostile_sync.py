"""`kiosk sync once` against a hostile backend: peak memory and time to give up.

Each scenario runs a fresh child process (``kiosk sync once`` with three tokens waiting) against
a server on loopback (tests/hostile_http.py) and reports the child's peak RSS and wall time:

* ``gzip-bomb``: a ~600 KB gzip body that inflates to 600 MB of zeros;
* ``300MB``: 300 MB of JSON-looking bytes without Content-Length (read until the cap);
* ``slow-loris``: a status line, then one header byte every 2 s, with the default timeouts
  (connect 3.05 s, read 10 s): only a total deadline ends it.

``--before DIR`` runs the same scenarios with another copy of the code first on the path (e.g.
``git archive <commit> | tar -x -C DIR``) to compare; its children are stopped after
``--give-up`` seconds. Run::

    .venv/bin/python bench/bench_hostile_sync.py [--before /tmp/base] [--only slow-loris]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_http import (  # noqa: E402
    PEAK_RSS_CHILD,
    Behaviour,
    Conn,
    HostileServer,
    Request,
    gzip_bomb,
    head,
)

from kiosk.config import load_config  # noqa: E402
from kiosk.queue import TokenService  # noqa: E402
from kiosk.store import Store  # noqa: E402

BOMB = 600 * 1024 * 1024
BIG = 300 * 1024 * 1024


def bomb(req: Request, conn: Conn) -> None:
    body = gzip_bomb(BOMB)
    conn.send(head(length=len(body), extra="Content-Encoding: gzip\r\n") + body)


def big(req: Request, conn: Conn) -> None:
    conn.send(head())
    conn.stream(b"[1,2,3,4,5,6,7]," * 4096, BIG)


def slow_loris(req: Request, conn: Conn) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\n")
    conn.trickle(b"X-Slow: " + b"a" * 10_000, 2.0)


SCENARIOS: dict[str, Behaviour] = {"gzip-bomb": bomb, "300MB": big, "slow-loris": slow_loris}


def run(behaviour: Behaviour, code_path: str | None, give_up: float) -> tuple[str, float]:
    """(peak RSS text, wall seconds) of one ``kiosk sync once`` child."""
    with tempfile.TemporaryDirectory() as tmp, HostileServer(behaviour) as srv:
        data = Path(tmp) / "data"
        cfg_path = Path(tmp) / "kiosk.toml"
        cfg_path.write_text(f'[backend]\nurl = "{srv.url}"\ntoken = "t"\n', "utf-8")
        cfg = load_config(cfg_path, data_dir=data, environ={})
        with Store(cfg.db_path) as store:
            for _ in range(3):
                TokenService(store, cfg).issue("C")
        env = dict(os.environ)
        if code_path:
            env["PYTHONPATH"] = code_path
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", PEAK_RSS_CHILD, "sync", "once", "--config",
                                 str(cfg_path), "--data-dir", str(data)], cwd=tmp, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            out, _ = proc.communicate(timeout=give_up)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return "(killed)", time.monotonic() - t0
        took = time.monotonic() - t0
    line = [ln for ln in out.splitlines() if ln.startswith("MAXRSS_KB")]
    rss = f"{int(line[0].split()[1]) / 1024:.0f} MB" if line else "(no figure)"
    return rss, took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", help="a copy of the old code to compare with")
    ap.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    ap.add_argument("--give-up", type=float, default=150.0)
    args = ap.parse_args()
    gzip_bomb(BOMB)
    print(f"gzip bomb: {len(gzip_bomb(BOMB)) / 1024:.0f} KB -> {BOMB >> 20} MB")
    names = args.only or list(SCENARIOS)
    for name in names:
        rows = [("before", args.before)] if args.before else []
        rows.append(("now", None))
        for label, path in rows:
            rss, took = run(SCENARIOS[name], path, args.give_up)
            print(f"{name:11s} {label:6s} peak RSS {rss:>10s}   {took:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
