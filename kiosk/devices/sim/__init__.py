"""Device simulators that speak the real wire protocols, plus a per-process registry.

The registry is what makes ``sim://printer`` behave like one physical printer: every job in a
process goes to the same simulator, so its paper state persists between jobs and a test (or the
technician screen) can fault it with ``sim_registry.get("printer").paper = "out"``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.devices.sim.escpos_printer import EscposPrinterSim, decode_to_png, run_pty


class SimRegistry:
    """Named in-process simulators, created on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sims: dict[str, EscposPrinterSim] = {}

    def get(self, name: str = "printer", *, out_dir: Path | None = None,
            paper_mm: int = 80) -> EscposPrinterSim:
        """The simulator called ``name``; ``out_dir`` is set if the simulator has none yet."""
        with self._lock:
            sim = self._sims.get(name)
            if sim is None:
                if name != "printer":
                    raise KeyError(f"no simulator called {name!r} (known: printer)")
                sim = EscposPrinterSim(paper_mm=paper_mm, out_dir=out_dir)
                self._sims[name] = sim
            elif out_dir is not None and sim.out_dir is None:
                sim.out_dir = out_dir
            return sim

    def reset(self) -> None:
        """Forget every simulator (tests call this so state never leaks between them)."""
        with self._lock:
            self._sims.clear()


sim_registry = SimRegistry()

__all__ = ["EscposPrinterSim", "SimRegistry", "decode_to_png", "run_pty", "sim_registry"]
