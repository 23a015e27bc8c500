"""The ESC/POS printer simulator on a pseudo-terminal, read at a serial line's wire rate.

A pty moves bytes at memory speed, so the simulator's reader is paced to ``baud`` (10 bits per
byte) and every read is counted and time-stamped: a bench stops its clock at ``last_byte``.
Shared by the benches that time something "until the last byte is at the printer".
"""

from __future__ import annotations

import time
from pathlib import Path

from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim, SimJob


class PacedPrinter:
    def __init__(self, out_dir: Path, baud: int = 115200, paper_mm: int = 80) -> None:
        self.baud = baud
        self.sim = EscposPrinterSim(paper_mm=paper_mm)
        self.sim.byte_delay = 10 / baud
        self.received = 0
        self.last_byte = 0.0
        feed = self.sim.feed

        def timed_feed(data: bytes) -> bytes:
            reply = feed(data)
            self.received += len(data)
            self.last_byte = time.monotonic()
            return reply

        self.sim.feed = timed_feed  # type: ignore[method-assign]
        self._host = PrinterPtySim(self.sim, out_dir).start()
        self.path = self._host.address

    @property
    def url(self) -> str:
        """The printer URL for the kiosk's configuration (the pty at ``baud``)."""
        return f"{self.path}?baudrate={self.baud}"

    @property
    def jobs(self) -> list[SimJob]:
        return self.sim.jobs

    def close(self) -> None:
        self._host.stop()
