"""``python -m kiosk.devices.sim DEVICE …`` — the same as ``kiosk sim DEVICE …``."""

from __future__ import annotations

import sys

from kiosk.devices.sim.cli import run_sim

if __name__ == "__main__":
    sys.exit(run_sim(sys.argv[1:]))
