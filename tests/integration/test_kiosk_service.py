"""`kiosk run` as systemd runs it (Type=notify, WatchdogSec=): READY=1 once the window is up,
WATCHDOG=1 pings from the GUI loop, and SIGTERM ends a full-screen (held) kiosk cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["kiosk", "board"])
def test_kiosk_run_notifies_systemd_and_stops_on_sigterm(tmp_path: Path, mode: str) -> None:
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        env = {**os.environ, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000",
               "QT_QPA_PLATFORM": "offscreen", "KIOSK_CONFIG_DIRS": "",
               "KIOSK_CENTRE__PORT": "0", "KIOSK_BOARD__SPEAK": "false"}
        proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "run", "--mode", mode,
                                 "--data-dir", str(tmp_path / "data")], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            sock.settimeout(60)
            assert sock.recv(100) == b"READY=1"
            sock.settimeout(5)
            assert sock.recv(100) == b"WATCHDOG=1"  # every second (half of WatchdogSec)
            proc.send_signal(signal.SIGTERM)
            seen = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and b"STOPPING=1" not in seen:
                seen.append(sock.recv(100))
            assert b"STOPPING=1" in seen
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            stderr = proc.stderr.read().decode() if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
    assert "Traceback" not in stderr
