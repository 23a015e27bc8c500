"""Fixtures for the fingerprint, card-reader, scanner and RD Service tests.

Imported explicitly by those test modules (``tests/devices/conftest.py`` belongs to the printer
suite). Every fixture stops what it started, so the suite-wide leak check stays green.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.devices.fingerprint_uart import FingerprintReader
from kiosk.devices.sim.fingerprint import FingerprintPtySim, FingerprintSimulator
from kiosk.devices.sim.rdservice import RdServiceSimulator
from kiosk.devices.sim.rfid import RfidSimulator
from kiosk.devices.sim.scanner import ScannerSimulator
from kiosk.devices.sim.serial_host import TcpHost

__all__ = ["fp_reader", "fp_sim", "rd_sim", "rfid_sim", "scanner_tcp"]


@pytest.fixture
def fp_sim() -> Iterator[FingerprintPtySim]:
    """A module with 162 library slots, fingers 0, 1, 2 enrolled, served on a pty."""
    runner = FingerprintPtySim(FingerprintSimulator(library_size=162, enrolled=3)).start()
    try:
        yield runner
    finally:
        runner.stop()


@pytest.fixture
def fp_reader(fp_sim: FingerprintPtySim) -> Iterator[FingerprintReader]:
    reader = FingerprintReader(fp_sim.address, reply_timeout=0.5)
    reader.open()
    try:
        yield reader
    finally:
        reader.close()


@pytest.fixture
def rfid_sim() -> Iterator[RfidSimulator]:
    sim = RfidSimulator(period=0.05).start()  # faster repeats than real: shorter tests
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def scanner_tcp() -> Iterator[ScannerSimulator]:
    sim = ScannerSimulator(TcpHost()).start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def rd_sim() -> Iterator[RdServiceSimulator]:
    sim = RdServiceSimulator().start()
    try:
        yield sim
    finally:
        sim.stop()
