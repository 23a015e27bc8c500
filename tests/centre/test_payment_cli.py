"""``kiosk payment confirm-cash`` / ``void`` against a real ``kiosk centre`` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from centre_helpers import DEVANAGARI, PIN
from centre_proc import ROOT, start_centre_process, stop
from desk_cash_helpers import SUP_PIN, add_counter_application, add_staff

from kiosk.centre.db import CentreStore
from kiosk.payment_cli import parse_rupees, receipt_counter

APP = "MP-IND-042-20261201-0001-X"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    data = tmp_path / "data"
    store = CentreStore(data / "centre.sqlite3")
    add_staff(store)
    add_counter_application(store, APP)
    store.close()
    proc, url = start_centre_process(data, counters=3)
    try:
        yield data, url
    finally:
        stop(proc)


def kiosk(data: Path, url: str, *args: str, stdin: str = "",
          **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_CENTRE__URL"] = url
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--data-dir", str(data)],
                          cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                          timeout=90)


def test_confirm_print_void_from_the_command_line(running: tuple[Path, str]) -> None:
    data, url = running
    out = kiosk(data, url, "payment", "confirm-cash", "--application", APP, "--operator", "op1",
                "--counter", "1", "--print", KIOSK_OPERATOR_PIN=PIN)
    assert out.returncode == 0, out.stderr
    receipt = json.loads(out.stdout)
    assert receipt["amount_paise"] == 2000 and receipt["printed"] is True
    assert receipt["receipt_no"].endswith("-1-" + receipt["day"].replace("-", "") + "-001")
    assert list((data / "prints").glob("*")) or list(data.rglob("job-*")), "nothing printed"

    again = kiosk(data, url, "payment", "confirm-cash", "--application", APP, "--operator",
                  "op1", "--json")  # the kept session says which counter
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_paid"] is True

    wrong = kiosk(data, url, "payment", "confirm-cash", "--application", APP + "Q",
                  "--operator", "op1", "--amount", "12.345")
    assert wrong.returncode == 2 and DEVANAGARI.search(wrong.stderr) and "rupees" in wrong.stderr

    bad_pin = kiosk(data, url, "payment", "void", "--receipt", receipt["receipt_no"],
                    "--operator", "op1", "--supervisor", "sup1", "--reason", "wrong one",
                    KIOSK_SUPERVISOR_PIN="999111")
    assert bad_pin.returncode == 2 and DEVANAGARI.search(bad_pin.stderr)
    done = kiosk(data, url, "payment", "void", "--receipt", receipt["receipt_no"],
                 "--operator", "op1", "--supervisor", "sup1", "--reason", "wrong one",
                 "--print", KIOSK_SUPERVISOR_PIN=SUP_PIN)
    assert done.returncode == 0, done.stderr
    slip = json.loads(done.stdout)
    assert slip["status"] == "voided" and slip["printed"] is True


def test_amount_and_receipt_parsing() -> None:
    assert parse_rupees("20") == 2000 and parse_rupees("₹1,020.50") == 102050
    assert receipt_counter("MP-BPL-HZR-2-20261201-007") == "2"
    for bad in ("abc", "-5", "1.001", "nan"):
        with pytest.raises(Exception):  # noqa: B017 - ValidationError, any form
            parse_rupees(bad)
