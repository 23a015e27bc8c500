"""sd_notify against a real unix datagram socket: READY, watchdog pings from the GUI loop,
and the pings stopping when the GUI thread hangs (what makes systemd restart the kiosk)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.systemd_notify import notify, watchdog_interval_ms

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = str(tmp_path / "notify.sock")
    sock.bind(path)
    sock.settimeout(20)
    yield sock, path
    sock.close()


def _messages(sock: socket.socket, until: str, limit: float = 20.0) -> list[tuple[float, str]]:
    got: list[tuple[float, str]] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = sock.recv(4096).decode()
        except TimeoutError:
            break
        got.append((time.monotonic(), data))
        if data == until:
            break
    return got


def test_notify_sends_one_datagram(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    assert notify("READY=1", {"NOTIFY_SOCKET": path})
    assert sock.recv(100) == b"READY=1"


def test_abstract_namespace_socket() -> None:
    name = f"seva-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(b"\0" + name.encode())
        sock.settimeout(5)
        assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(100) == b"WATCHDOG=1"


def test_outside_systemd_nothing_is_sent_and_errors_never_raise(tmp_path: Path) -> None:
    assert notify("READY=1", {}) is False
    assert notify("READY=1", {"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}) is False
    assert notify("READY=1", {"NOTIFY_SOCKET": "relative/path"}) is False


def test_watchdog_interval_is_half_of_watchdog_usec() -> None:
    assert watchdog_interval_ms({"WATCHDOG_USEC": "20000000"}) == 10_000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "999999999"}) is None
    assert watchdog_interval_ms({"WATCHDOG_USEC": "20000000",
                                 "WATCHDOG_PID": str(os.getpid())}) == 10_000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "20000000",  # cage, the kiosk's parent
                                 "WATCHDOG_PID": str(os.getppid())}) == 10_000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "x"}) is None
    assert watchdog_interval_ms({}) is None


HANGING_GUI = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from kiosk.systemd_notify import start_gui_watchdog
app = QGuiApplication([])
start_gui_watchdog(app)
QTimer.singleShot(1000, lambda: time.sleep(2.0))   # the GUI thread hangs for 2 s
QTimer.singleShot(3500, lambda: app.exit(0))
sys.exit(app.exec())
"""


def test_a_hung_gui_thread_stops_the_watchdog_pings(
        listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    env = {**os.environ, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", HANGING_GUI], env=env, cwd=ROOT)
    try:
        got = _messages(sock, "STOPPING=1")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        proc.wait()
    texts = [m for _, m in got]
    assert texts[0] == "READY=1" and texts[-1] == "STOPPING=1"
    pings = [t for t, m in got if m == "WATCHDOG=1"]
    gaps = [b - a for a, b in zip(pings, pings[1:], strict=False)]
    # Every 100 ms while the loop runs; one gap of ~2 s while it hangs: longer than
    # WatchdogSec (0.2 s here), so systemd would kill and restart this process.
    assert len(pings) >= 10
    assert sorted(gaps)[len(gaps) // 2] < 0.5
    assert max(gaps) > 1.8
