"""``kiosk sim …`` (run_sim) as a real child process: first stdout line, scripted input, SIGTERM."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import serial

from kiosk.devices.fingerprint_uart import FingerprintReader
from kiosk.devices.rdservice import RdServiceClient
from kiosk.devices.rfid import RfidReader
from kiosk.devices.scanner import SerialScanner
from kiosk.devices.sim.cli import run_sim

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def sim_process(*args: str) -> Iterator[str]:
    """Start ``python -m kiosk.devices.sim ARGS``; yield its first stdout line; SIGTERM it."""
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.devices.sim", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "simulator printed nothing"
        first = proc.stdout.readline().strip()
        assert first, proc.stderr.read() if proc.stderr else ""
        yield first
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert rc == 0


def test_rfid_card_flag(tmp_path: Path) -> None:
    with sim_process("rfid", "--card", "0B001A2B3C", "--out", str(tmp_path)) as path:
        assert path.startswith("/dev/")
        with RfidReader(path) as reader:
            assert reader.wait_for_card(3) == "0B001A2B3C"
        assert (tmp_path / "rfid.url").read_text().strip() == path


def test_fingerprint_finger_flag() -> None:
    with sim_process("fingerprint", "--pty", "--finger", "7") as path:
        with FingerprintReader(path) as reader:
            found = reader.identify(timeout=2)
            assert found is not None and found.page == 7


def test_scanner_scan_flag_over_tcp() -> None:
    with sim_process("scanner", "--tcp", "127.0.0.1:0", "--scan", "QR-42", "--every",
                     "0.2") as url:
        assert url.startswith("socket://127.0.0.1:")
        with SerialScanner(url) as sc:
            assert sc.wait_for_scan(3) == "QR-42"


def test_rdservice_error_flag() -> None:
    with sim_process("rdservice", "--tcp", "127.0.0.1:0", "--qscore", "91") as url:
        assert url.startswith("http://127.0.0.1:")
        with RdServiceClient(url) as client:
            assert client.capture().q_score == 91


def test_printer_paper_out_flag(tmp_path: Path) -> None:
    with sim_process("printer", "--paper", "out", "--out", str(tmp_path)) as path:
        with serial.serial_for_url(path, baudrate=115200, timeout=2) as port:
            port.write(b"\x10\x04\x04")  # DLE EOT 4: roll paper status
            assert port.read(1) == b"\x72"  # paper out (devices.md)


def test_run_sim_in_process_stops_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    rc: list[int] = []
    t = threading.Thread(
        target=lambda: rc.append(run_sim(["fingerprint", "--enrolled", "2"], stop_event=stop)))
    t.start()
    try:
        out = ""
        deadline = time.monotonic() + 5
        while "\n" not in out:
            assert time.monotonic() < deadline
            time.sleep(0.02)
            out += capsys.readouterr().out
        with FingerprintReader(out.split("\n", 1)[0]) as reader:
            assert reader.template_count() == 2
    finally:
        stop.set()
        t.join(5)
    assert rc == [0]
