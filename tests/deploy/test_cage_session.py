"""The kiosk session as deployed: `cage -- kiosk run` on wlroots' headless backend.

What it shows: the kiosk starts under cage (the unit's ExecStart), tells systemd it is ready,
takes the output's real geometry (1280x720 here, not its 1080x1920 design size) in kiosk mode,
grim can capture the output, and SIGTERM (systemctl stop) ends cage and the kiosk cleanly.
cage refuses to run as root, so as root it runs in a user namespace (uid "nobody").
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _usable() -> str | None:
    for tool in ("cage", "grim", "Xwayland", "unshare"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if subprocess.run(["unshare", "--user", "true"], capture_output=True).returncode != 0:
        return "no user namespaces here"
    return None


pytestmark = pytest.mark.skipif(_usable() is not None, reason=str(_usable()))


def test_kiosk_under_cage_takes_the_output_and_stops_on_sigterm(tmp_path: Path) -> None:
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    data = tmp_path / "data"
    notify = tmp_path / "notify.sock"
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless",
           "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman",
           "QT_QPA_PLATFORM": "wayland", "KIOSK_CONFIG_DIRS": "", "KIOSK_CENTRE__PORT": "0",
           "NOTIFY_SOCKET": str(notify)}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    prefix = ["unshare", "--user"] if os.geteuid() == 0 else []
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(notify))
        os.chmod(notify, 0o777)
        proc = subprocess.Popen([*prefix, "cage", "--", sys.executable, "-m", "kiosk.cli",
                                 "run", "--data-dir", str(data)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            sock.settimeout(90)
            assert sock.recv(100) == b"READY=1"  # the window is up, inside cage
            shot = tmp_path / "kiosk.png"
            grab = subprocess.run([*prefix, "grim", str(shot)], capture_output=True, timeout=30,
                                  env={**env, "WAYLAND_DISPLAY": "wayland-0"})
            assert grab.returncode == 0, grab.stderr
            from PIL import Image

            with Image.open(shot) as image:
                assert image.size == (1280, 720)  # the headless output cage gave the kiosk
            log = (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
            assert "kiosk mode: window takes the screen's 1280x720" in log
            assert proc.poll() is None  # still running
            os.killpg(proc.pid, signal.SIGTERM)  # what systemctl stop does to the unit
            assert proc.wait(timeout=30) is not None
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
