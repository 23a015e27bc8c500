"""``kiosk centre``, ``kiosk queue status`` and ``kiosk counter …`` as scripts use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from centre_helpers import DEVANAGARI, PIN, add_operator, new_id
from centre_proc import ROOT, start_centre_process, stop

from kiosk.centre.client import CentreClient
from kiosk.centre.db import CentreStore


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    data = tmp_path / "data"
    store = CentreStore(data / "centre.sqlite3")
    add_operator(store, "op1")
    add_operator(store, "op2")
    store.close()
    proc, url = start_centre_process(data, counters=3)
    try:
        yield data, url
    finally:
        stop(proc)


def kiosk(data: Path, url: str, *args: str, pin: str | None = None, stdin: str = "",
          **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_CENTRE__URL"] = url
    env.update(extra)
    if pin is not None:
        env["KIOSK_OPERATOR_PIN"] = pin
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--data-dir", str(data)],
                          cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                          timeout=60)


def test_first_line_and_a_counter_day_from_the_command_line(running: tuple[Path, str]) -> None:
    data, url = running
    assert url.startswith("http://127.0.0.1:")
    with CentreClient(url) as c:
        c.enrol("CODE-P", "K-1", "kiosk")
        for group in ("C", "C", "A"):
            c.issue(new_id(), group)
    # The PIN on stdin the first time; the session is kept for the next commands.
    r = kiosk(data, url, "counter", "call-next", "--counter", "1", "--operator", "op1",
              stdin=PIN + "\n")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["token"]["number"] == "C-001" and out["counter"]["operator_id"] == "op1"
    r = kiosk(data, url, "counter", "recall", "--counter", "1", "--operator", "op1", pin=PIN)
    assert r.returncode == 0 and json.loads(r.stdout)["token"]["recalls"] == 1
    r = kiosk(data, url, "counter", "transfer", "--counter", "1", "--operator", "op1",
              "--token", "C-001", "--to", "A", pin=PIN)
    assert r.returncode == 0 and json.loads(r.stdout)["token"]["group"] == "A"
    r = kiosk(data, url, "counter", "complete", "--counter", "1", "--operator", "op1", pin=PIN)
    assert r.returncode == 2
    assert DEVANAGARI.search(r.stderr) and "No token is called at counter 1" in r.stderr
    r = kiosk(data, url, "counter", "break", "--counter", "1", "--operator", "op1", pin=PIN)
    assert r.returncode == 0 and json.loads(r.stdout)["counter"]["state"] == "break"
    r = kiosk(data, url, "counter", "call-next", "--counter", "1", "--operator", "op1", pin=PIN)
    assert r.returncode == 2 and "break" in r.stderr
    r = kiosk(data, url, "queue", "status", "--json")
    assert r.returncode == 0
    snap = json.loads(r.stdout)
    a = next(g for g in snap["groups"] if g["group"] == "A")
    assert a["waiting"] == 2 and snap["counters"][0]["state"] == "break"
    r = kiosk(data, url, "queue", "status")
    assert r.returncode == 0 and "counter 1" in r.stdout and "C-001" in r.stdout


def test_refusals_exit_2_bilingual(running: tuple[Path, str]) -> None:
    data, url = running
    r = kiosk(data, url, "counter", "call-next", "--counter", "1", "--operator", "op2",
              pin="0000")
    assert r.returncode == 2 and DEVANAGARI.search(r.stderr) and "PIN" in r.stderr
    r = kiosk(data, url, "counter", "call-next", "--counter", "7", "--operator", "op2",
              pin=PIN)
    assert r.returncode == 2 and "no counter 7" in r.stderr.lower()
    r = kiosk(data, url, "counter", "call-next", "--counter", "1", "--operator", "op2",
              "--pin", PIN)
    assert r.returncode == 2                                   # there is no --pin flag
    r = kiosk(data, url, "counter", "transfer", "--counter", "1", "--operator", "op2",
              "--token", "C-001")
    assert r.returncode == 2                                   # --to or --to-counter needed


def test_not_enrolled_exits_2_and_unreachable_exits_1(tmp_path: Path) -> None:
    r = kiosk(tmp_path, "http://127.0.0.1:9", "queue", "status")
    assert r.returncode == 2 and "enrolment_code" in r.stderr and DEVANAGARI.search(r.stderr)
    r = kiosk(tmp_path, "http://127.0.0.1:9", "queue", "status",
              KIOSK_CENTRE__DEVICE_TOKEN='"tok"')
    assert r.returncode == 1 and DEVANAGARI.search(r.stderr)


def test_token_issue_goes_through_the_centre_when_configured(running: tuple[Path, str],
                                                             tmp_path: Path) -> None:
    data, url = running
    numbers = []
    for kiosk_dir in ("k1", "k2", "k1"):  # two kiosks of one centre never share a number
        r = kiosk(tmp_path / kiosk_dir, url, "token", "issue", "--group", "C",
                  KIOSK_CENTRE__ENROLMENT_CODE='"CODE-P"')
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["offline"] is False, out  # numbered by the centre, not from a lease
        numbers.append(out["number"])
    assert numbers == ["C-001", "C-002", "C-003"]  # leases come from their own band (5001…)
    r = kiosk(tmp_path / "k1", url, "token", "issue", "--group", "Q")
    assert r.returncode == 2 and DEVANAGARI.search(r.stderr)
