"""QR/barcode scanners: serial line mode over TCP and pty, HID report decoding, faults."""

from __future__ import annotations

import time
from typing import Any

import pytest
from conftest_devices import *  # noqa: F403 - the fixtures of this suite
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.devices.scanner import (
    HidReportDecoder,
    LineAssembler,
    LineError,
    SerialScanner,
    UsbHidScanner,
    encode_hid_reports,
    parse_usb_url,
)
from kiosk.devices.sim.scanner import ScannerSimulator
from kiosk.devices.sim.serial_host import TcpHost

# An Aadhaar Secure QR is a big decimal number of several thousand digits.
SECURE_QR = "".join(str((i * 7919) % 10) for i in range(5800))


# -- line assembly --------------------------------------------------------------------------
def test_line_terminators_and_split_crlf() -> None:
    a = LineAssembler()
    assert a.feed(b"A1\rB2\nC3\r") == ["A1", "B2", "C3"]
    assert a.feed(b"\nD4\r\n\r\n") == ["D4"]  # the LF after C3's CR is not an empty line
    assert a.feed(b"E5") == [] and a.feed(b"\r") == ["E5"]


def test_long_lines_and_the_guard() -> None:
    a = LineAssembler(max_line=8000)
    assert a.feed(SECURE_QR.encode() + b"\r\n") == [SECURE_QR]
    out = a.feed(b"9" * 9000 + b"\rOK\r")
    assert isinstance(out[0], LineError) and out[1:] == ["OK"]
    bad = a.feed(b"\xff\xfe\r")
    assert isinstance(bad[0], LineError)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=20))
def test_fuzz_line_assembler(chunks: list[bytes]) -> None:
    a = LineAssembler(max_line=256)
    for c in chunks:
        for item in a.feed(c):
            assert isinstance(item, LineError) or (0 < len(item.encode()) <= 256)


# -- HID boot keyboard reports ----------------------------------------------------------------
def test_hid_reports_decode_with_shift_and_enter() -> None:
    text = "Seva-123 QR?{x}"
    d = HidReportDecoder()
    out: list[str | LineError] = []
    for r in encode_hid_reports(text):
        out += d.feed_report(r)
    assert out == [text]


def test_hid_held_keys_rollover_and_split_reports() -> None:
    d = HidReportDecoder()
    a = bytes((0, 0, 0x04, 0, 0, 0, 0, 0))
    assert d.feed(a + a) == []  # held 'a' counts once
    assert d.feed_report(bytes((0, 0, 0x04, 0x05, 0, 0, 0, 0))) == []  # 'b' added while held
    assert d.feed_report(bytes((0, 0, 1, 1, 1, 1, 1, 1))) == []  # ErrorRollOver: ignored
    stream = bytes((0, 0, 0x58, 0, 0, 0, 0, 0)) + bytes(8)  # keypad Enter
    assert d.feed(stream[:5]) == [] and d.feed(stream[5:]) == ["ab"]
    assert isinstance(d.feed_report(b"\x00" * 7)[0], LineError)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_hid_decoder(data: bytes) -> None:
    d = HidReportDecoder(max_line=64)
    for item in d.feed(data):
        assert isinstance(item, LineError) or len(item) <= 64


# -- serial scanner over real bytes ------------------------------------------------------------
def _connected(host: TcpHost) -> None:
    deadline = time.monotonic() + 3
    while not host.connected:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_secure_qr_over_tcp(scanner_tcp: ScannerSimulator) -> None:
    assert isinstance(scanner_tcp.host, TcpHost)
    with SerialScanner(scanner_tcp.address) as sc:
        _connected(scanner_tcp.host)
        scanner_tcp.scan(SECURE_QR, "crlf")
        scanner_tcp.scan("ABC-123", "lf")
        scanner_tcp.scan("https://lok.seva/s/42", "cr")
        assert sc.wait_for_scan(3) == SECURE_QR
        assert sc.wait_for_scan(2) == "ABC-123"
        assert sc.wait_for_scan(2) == "https://lok.seva/s/42"
        assert sc.status().detail["last_length"] == len("https://lok.seva/s/42")


def test_serial_scanner_on_a_pty() -> None:
    with ScannerSimulator() as sim, SerialScanner(sim.address) as sc:
        time.sleep(0.05)  # pyserial flushes input on open; scan after the port is ours
        sim.scan("TOKEN A-017")
        assert sc.wait_for_scan(2) == "TOKEN A-017"
        assert repr(sc).startswith("<") and "A-017" not in repr(sc.status())


def test_garbage_flood_then_recovery(scanner_tcp: ScannerSimulator) -> None:
    assert isinstance(scanner_tcp.host, TcpHost)
    sc = SerialScanner(scanner_tcp.address, max_line=1024)
    sc.error_hold = 0.2
    with sc:
        _connected(scanner_tcp.host)
        scanner_tcp.inject(bytes(range(256)) * 40 + b"\r")  # overlong, undecodable flood
        assert sc.wait_for_state(DeviceState.HARDWARE_ERROR, timeout=2)
        scanner_tcp.scan("AFTER")
        assert sc.wait_for_scan(2) == "AFTER"
        assert sc.wait_for_state(DeviceState.ONLINE, timeout=2)
        assert sc._thread is not None and sc._thread.is_alive()


def test_unplug_and_replug_on_the_same_tcp_port() -> None:
    first = ScannerSimulator(TcpHost()).start()
    assert isinstance(first.host, TcpHost)
    port = first.host.port
    second: ScannerSimulator | None = None
    sc = SerialScanner(first.address)
    try:
        sc.open()
        _connected(first.host)
        first.scan("ONE")
        assert sc.wait_for_scan(2) == "ONE"
        first.stop()
        assert sc.wait_for_state(DeviceState.OFFLINE, DeviceState.NO_DEVICE, timeout=3)
        second = ScannerSimulator(TcpHost(port=port)).start()
        assert isinstance(second.host, TcpHost)
        assert sc.wait_for_state(DeviceState.ONLINE, timeout=5)
        _connected(second.host)
        second.scan("TWO")
        assert sc.wait_for_scan(2) == "TWO"
    finally:
        sc.close()
        first.stop()
        if second is not None:
            second.stop()


# -- USB HID ---------------------------------------------------------------------------------
def test_usb_url_parsing() -> None:
    assert parse_usb_url("usb://0c2e:0b61") == (0x0C2E, 0x0B61, 0)
    assert parse_usb_url("usb://1eab:8003?interface=1") == (0x1EAB, 0x8003, 1)
    with pytest.raises(ValueError):
        parse_usb_url("usb://scanner")


def test_usb_scanner_without_device_is_a_clear_error() -> None:
    sc = UsbHidScanner("usb://0c2e:0b61")
    with pytest.raises(DeviceUnavailableError) as exc:
        sc.open()
    assert "0c2e:0b61" in exc.value.detail or "libusb" in exc.value.detail
    assert exc.value.message and not sc.is_open


class _FakeEndpoint:
    """Stands in for a pyusb endpoint: only the bytes a HID scanner would deliver."""

    bEndpointAddress = 0x81
    bmAttributes = 0x03

    def __init__(self, reports: list[bytes]) -> None:
        self.reports = reports

    def read(self, size: int, timeout: int) -> bytes:
        if self.reports:
            return self.reports.pop(0)
        time.sleep(timeout / 1000)
        return b""


class _FakeUsbDevice:
    serial_number = "SIM42"

    def __init__(self, ep: _FakeEndpoint) -> None:
        self.ep = ep

    def is_kernel_driver_active(self, interface: int) -> bool:
        return True

    def detach_kernel_driver(self, interface: int) -> None:
        self.detached = True

    def set_configuration(self) -> None:
        pass

    def get_active_configuration(self) -> Any:
        return {(0, 0): [self.ep]}


def test_usb_scanner_reads_reports_through_the_finder() -> None:
    dev = _FakeUsbDevice(_FakeEndpoint(encode_hid_reports("QR-USB-1")))
    sc = UsbHidScanner("usb://0c2e:0b61", finder=lambda **kw: dev)
    with sc:
        assert sc.wait_for_scan(2) == "QR-USB-1"
        assert sc.status().ids["serial"] == "SIM42"
    assert getattr(dev, "detached", False)  # never left typing into the GUI
