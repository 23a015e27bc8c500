"""Fixtures for device tests: a printer simulator served on a real pseudo-terminal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim


@pytest.fixture
def printer_pty(tmp_path: Path) -> Iterator[tuple[EscposPrinterSim, str]]:
    """``(sim, slave_path)``: open ``slave_path`` with ``serial_for_url`` at 115200 baud."""
    sim = EscposPrinterSim(paper_mm=80)
    printer_sim = PrinterPtySim(sim, tmp_path / "printed").start()
    path, stop = printer_sim.address, printer_sim.stop
    try:
        yield sim, path
    finally:
        stop()
