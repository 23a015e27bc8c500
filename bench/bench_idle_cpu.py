"""Idle CPU of the running kiosk (target < 2 % of one core): `kiosk run` on the attract screen
with every default device simulated and polled and sync running, measured from /proc.

The figure includes the in-process simulators (they stand in for hardware). Prints the
offscreen platform and, when Xvfb is installed, a real X window rendered by Mesa's software GL
(llvmpipe) — the worst case, a kiosk PC with no working GPU driver.

    .venv/bin/python bench/bench_idle_cpu.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
KIOSK = Path(sys.executable).with_name("kiosk")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def measure(platform: str, seconds: float, settle: float = 8.0) -> float:
    env = dict(os.environ)
    xvfb = None
    if platform == "xcb":
        display = ":93"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1080x1920x24"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env["DISPLAY"] = display
        env.pop("QT_QPA_PLATFORM", None)
        time.sleep(1.0)
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.Popen([str(KIOSK), "run", "--windowed", "--data-dir", data], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(settle)  # devices open, sync pulls reference data, then all is idle
            c0, t0 = cpu_seconds(proc.pid), time.monotonic()
            time.sleep(seconds)
            c1, t1 = cpu_seconds(proc.pid), time.monotonic()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait()
    return 100.0 * (c1 - c0) / (t1 - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    print(f"idle CPU of `kiosk run` on the attract screen, all devices simulated and polled, "
          f"sync on; {args.seconds:.0f} s each, target < 2 % of one core")
    print(f"  offscreen                       {measure('offscreen', args.seconds):5.2f} %")
    if shutil.which("Xvfb"):
        print(f"  Xvfb window, software GL        {measure('xcb', args.seconds):5.2f} %")


if __name__ == "__main__":
    main()
