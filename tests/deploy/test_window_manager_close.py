"""Issue 16: under a window manager, Alt+F4 closed the kiosk (exit 0, a black screen). Here a
real X server (Xvfb), a real window manager (openbox, whose Alt+F4 sends the window a close
request) and the kiosk full-screen: the close request is refused and logged, the kiosk keeps
running; a --windowed kiosk (a developer's) still closes. Skipped where Xvfb, openbox or
xdotool are missing (scripts/setup.sh installs them)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "xdotool")
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                reason="needs Xvfb, openbox and xdotool")


@pytest.fixture
def display(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An X server with openbox managing it; the environment to run clients on it."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1080x1920x24",
                             "-nolisten", "tcp"], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as r:
        while not number.endswith(b"\n"):
            chunk = r.read(1)
            if not chunk:
                break
            number += chunk
    env = {**os.environ, "DISPLAY": f":{number.decode().strip()}",
           "QT_QPA_PLATFORM": "xcb", "KIOSK_CONFIG_DIRS": "", "KIOSK_CENTRE__PORT": "0",
           "HOME": str(tmp_path)}
    env.pop("WAYLAND_DISPLAY", None)
    wm = subprocess.Popen(["openbox", "--sm-disable"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                                     capture_output=True, text=True).stdout.count("window id")
              > 0, "openbox to manage the screen")
        yield env
    finally:
        for proc in (wm, xvfb):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait(cond, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.1)


def _windows(env: dict[str, str], pid: int) -> list[str]:
    return subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                          env=env, capture_output=True, text=True).stdout.split()


def _kiosk_window(env: dict[str, str], pid: int) -> str:
    found = _windows(env, pid)
    return found[-1] if found else ""


def _run(env: dict[str, str], data: Path, *extra: str) -> subprocess.Popen[bytes]:
    # a free port for this machine's embedded centre service
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return subprocess.Popen([sys.executable, "-m", "kiosk.cli", "run", "--data-dir", str(data),
                             *extra], cwd=ROOT, env={**env, "KIOSK_CENTRE__PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _close_request(env: dict[str, str], window: str) -> None:
    """What a person does: focus the window and press Alt+F4 (openbox's Close)."""
    subprocess.run(["xdotool", "windowactivate", "--sync", window], env=env,
                   capture_output=True, timeout=30)
    subprocess.run(["xdotool", "key", "--clearmodifiers", "alt+F4"], env=env, check=True,
                   capture_output=True, timeout=30)


def test_alt_f4_under_openbox_is_refused_in_kiosk_mode(display: dict[str, str],
                                                       tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _run(display, data)
    try:
        _wait(lambda: _kiosk_window(display, proc.pid) != "" or proc.poll() is not None,
              "the kiosk's window")
        assert proc.poll() is None
        window = _kiosk_window(display, proc.pid)
        log = data / "logs" / "kiosk.log"
        _close_request(display, window)
        _wait(lambda: log.exists() and "close request was refused" in log.read_text(
            errors="replace"), "the refusal in the log", timeout=30)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=2)          # still running after the request was refused
        assert window in _windows(display, proc.pid)   # the same window, still shown
        proc.send_signal(signal.SIGTERM)  # the service manager can still stop it
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_alt_f4_closes_a_windowed_kiosk(display: dict[str, str], tmp_path: Path) -> None:
    """The control: the same key does reach the window, and a developer's window closes."""
    proc = _run(display, tmp_path / "data", "--windowed")
    try:
        _wait(lambda: _kiosk_window(display, proc.pid) != "" or proc.poll() is not None,
              "the kiosk's window")
        _close_request(display, _kiosk_window(display, proc.pid))
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
