"""Cold start: process launch → the attract screen's first frame on screen (target ≤ 1.5 s).

Each run is a fresh Python process that goes through the same ``build_kiosk`` path as
``kiosk run`` and reports when the window swaps its first frame. Prints every run and the
median, for the offscreen platform and, when Xvfb is installed, a real X server window.

    .venv/bin/python bench/bench_cold_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from kiosk.config import load_config
from kiosk.ui.app import build_kiosk
cfg = load_config(data_dir=sys.argv[2], environ={})
kiosk = build_kiosk(cfg, windowed=True, sync=True, devices=True, centre=True)  # as `kiosk run`
seen = []
def first_frame():
    if not seen:
        seen.append(time.time() - t0)
        QTimer.singleShot(0, kiosk.app.quit)
kiosk.window.frameSwapped.connect(first_frame)
QTimer.singleShot(20000, kiosk.app.quit)
kiosk.app.exec()
screen = kiosk.session.property("screen") if hasattr(kiosk.session, "property") else "?"
kiosk.close()
print(f"{seen[0] if seen else float('nan'):.4f} {screen}")
"""


def one_run(platform: str, data_dir: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=platform) if platform != "xcb" else dict(os.environ)
    cmd = [sys.executable, "-c", CHILD]
    if platform == "xcb":
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1080x1920x24", *cmd]
    t0 = time.time()
    out = subprocess.run([*cmd, repr(t0), data_dir], capture_output=True, text=True, env=env,
                         timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"child failed:\n{out.stderr[-2000:]}")
    value, screen = out.stdout.split()[-2:]
    return float(value), screen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    platforms = ["offscreen"] + (["xcb"] if shutil.which("xvfb-run") else [])
    print(f"cold start to first attract frame, {args.runs} runs each, target ≤ 1.50 s")
    for platform in platforms:
        with tempfile.TemporaryDirectory() as d:
            one_run(platform, d)  # warm the OS page cache once: "cold" means a new process
            times = [one_run(platform, d) for _ in range(args.runs)]
        secs = [t for t, _ in times]
        label = "Xvfb (xcb)" if platform == "xcb" else platform
        print(f"  {label:11s} median {statistics.median(secs):.3f} s   min {min(secs):.3f}   "
              f"max {max(secs):.3f}   screen={times[0][1]}   runs: "
              + " ".join(f"{s:.3f}" for s in secs))


if __name__ == "__main__":
    main()
