"""Processes for the centre's fault tests: the service itself, and counter workers.

``start_centre_process`` runs ``kiosk centre`` as a real child process and waits (bounded) for
its first stdout line. ``python centre_proc.py worker URL TOKEN PIN COUNTER[,COUNTER…]`` is a
counter process: it logs in at each counter and, one thread per counter, calls and completes
tokens until the queue is empty, riding out a centre restart; it prints one JSON line per
completed token and ``done`` at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_centre_process(data_dir: Path, port: int = 0, *, counters: int = 8,
                         forward: bool = False, env: dict[str, str] | None = None,
                         timeout: float = 30.0) -> tuple[subprocess.Popen[str], str]:
    """``kiosk centre`` in a child process; returns it and its URL once it listens."""
    cmd = [sys.executable, "-m", "kiosk.cli", "centre", "--data-dir", str(data_dir),
           "--port", str(port), "--enrolment-code", "CODE-P"]
    if not forward:
        cmd.append("--no-forward")
    full_env = {**os.environ, "KIOSK_KIOSK__COUNTERS": str(counters), **(env or {})}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=full_env)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    if not line or not line[0].startswith("centre service listening on http://"):
        proc.kill()
        proc.wait(10)
        raise RuntimeError(f"centre did not start: {line!r}")
    return proc, line[0].split(" on ", 1)[1].strip()


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


def _serve_counter(url: str, token: str, pin: str, counter: str, out: threading.Lock,
                   deadline: float) -> None:
    from kiosk.centre.client import CentreClient
    from kiosk.centre.errors import CentreUnreachableError, NotAllowedError, UnauthorizedError

    client = CentreClient(url, device_token=token, timeout=10.0)
    session = None

    def emit(record: dict[str, object]) -> None:
        with out:
            print(json.dumps(record), flush=True)

    while time.monotonic() < deadline:
        try:
            if session is None:
                session = client.login(counter, pin, operator_id=f"op{counter}")["session_token"]
            try:
                r = client.act(counter, "call-next", session)
            except NotAllowedError:
                # A call that committed but whose answer was lost (the centre was killed):
                # the token is at this counter; finish it.
                mine = next(c for c in client.queue()["counters"] if c["counter"] == counter)
                if mine["token"] is None:
                    continue
                r = {"token": mine["token"]}
            if r["token"] is None:
                break
            number = r["token"]["number"]
            try:
                client.act(counter, "complete", session, token=number)
            except NotAllowedError:
                pass  # completed by a request whose answer was lost
            emit({"counter": counter, "number": number, "id": r["token"]["id"]})
        except CentreUnreachableError:
            time.sleep(0.05)
        except UnauthorizedError:
            session = None
    client.close()


def worker(argv: list[str]) -> None:
    url, token, pin, counters = argv
    out = threading.Lock()
    deadline = time.monotonic() + 120
    threads = [threading.Thread(target=_serve_counter, args=(url, token, pin, c, out, deadline))
               for c in counters.split(",")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("done", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1] == "worker":
        worker(sys.argv[2:])
