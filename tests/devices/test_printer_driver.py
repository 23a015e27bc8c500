"""The ESC/POS driver against the simulator through real bytes on a pseudo-terminal."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.devices.escpos_driver import (
    MSG_COVER_OPEN,
    MSG_OFFLINE,
    MSG_PAPER_OUT,
    MSG_PRINTER_ERROR,
    EscposPrinter,
    PrinterStatus,
)
from kiosk.devices.links import (
    MSG_NO_DEVICE,
    FileTransport,
    SerialTransport,
    SimTransport,
    open_port,
    open_transport,
)
from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.devices.sim import sim_registry
from kiosk.devices.sim.escpos_printer import EscposPrinterSim
from kiosk.errors import PrinterError

JOB = b"\x1b@\x1ba\x01Seva Kiosk\n\x1dV\x01"


@pytest.fixture
def printer(printer_pty: tuple[EscposPrinterSim, str]) -> Iterator[EscposPrinter]:
    _, path = printer_pty
    with EscposPrinter(open_transport(path, baudrate=115200), status_timeout=0.3) as p:
        yield p


def test_healthy_printer_over_pty(printer: EscposPrinter,
                                  printer_pty: tuple[EscposPrinterSim, str]) -> None:
    sim, _ = printer_pty
    st = printer.status()
    assert st.ready and st.answered and st.online and st.paper == "adequate"
    assert st.raw == {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
    after = printer.print_document(JOB)
    assert after.ready
    assert sim.jobs[-1].text_lines == ["Seva Kiosk"]
    assert sim.jobs[-1].data == JOB


@pytest.mark.parametrize(("fault", "expect_state", "message"), [
    ({"paper": "out"}, "paper-out", MSG_PAPER_OUT),
    ({"cover_open": True}, "cover-open", MSG_COVER_OPEN),
    ({"offline": True}, "offline", MSG_OFFLINE),
    ({"error": "mechanical"}, "error", MSG_PRINTER_ERROR),
    ({"error": "autocutter"}, "error", MSG_PRINTER_ERROR),
    ({"silent": True}, "not-answering", MSG_OFFLINE),
])
def test_faults_are_reported_and_block_printing(
        printer: EscposPrinter, printer_pty: tuple[EscposPrinterSim, str],
        fault: dict[str, object], expect_state: str, message: str) -> None:
    sim, _ = printer_pty
    for key, value in fault.items():
        setattr(sim, key, value)
    st = printer.status()
    assert st.state == expect_state and not st.ready
    with pytest.raises(PrinterError) as err:
        printer.print_document(JOB)
    assert err.value.message == message
    assert sim.jobs == []


def test_paper_out_bytes_parsed(printer: EscposPrinter,
                                printer_pty: tuple[EscposPrinterSim, str]) -> None:
    sim, _ = printer_pty
    sim.paper = "out"
    st = printer.status()
    assert st.raw == {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}
    assert st.paper == "out" and not st.online and st.common_state == "user_error"


def test_near_end_still_prints(printer: EscposPrinter,
                               printer_pty: tuple[EscposPrinterSim, str]) -> None:
    sim, _ = printer_pty
    sim.paper = "near_end"
    after = printer.print_document(JOB)
    assert after.paper == "near_end" and after.ready and after.state == "paper-low"


def test_silence_is_never_paper_ok(printer: EscposPrinter,
                                   printer_pty: tuple[EscposPrinterSim, str]) -> None:
    sim, _ = printer_pty
    sim.silent = True
    t0 = time.monotonic()
    st = printer.status()
    assert time.monotonic() - t0 < 1.5  # one timeout, not four
    assert not st.answered and not st.online and st.paper == "unknown"
    assert st.common_state == "offline"


def test_paper_running_out_during_the_job_fails_the_after_check(
        printer: EscposPrinter, printer_pty: tuple[EscposPrinterSim, str]) -> None:
    sim, _ = printer_pty
    printer.check_ready()
    sim.paper = "out"
    printer.write(JOB)
    with pytest.raises(PrinterError) as err:
        printer.confirm(len(JOB))
    assert err.value.message == MSG_PAPER_OUT


def test_slow_printer_is_not_mistaken_for_silent(
        printer: EscposPrinter, printer_pty: tuple[EscposPrinterSim, str]) -> None:
    sim, _ = printer_pty
    sim.byte_delay = 0.0005
    assert printer.print_document(JOB * 10).ready
    assert len(sim.jobs) == 10


def test_garbage_reply_is_not_believed() -> None:
    # loop:// echoes our own DLE EOT back: 0x10 is not a status byte.
    with EscposPrinter(open_transport("loop://"), status_timeout=0.1) as p:
        st = p.status()
    assert not st.answered and not st.ready


def test_parse_rejects_malformed_bytes() -> None:
    assert not PrinterStatus.parse({1: 0xFF}).answered
    assert PrinterStatus.parse({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}).ready


def test_sim_url_is_the_process_wide_simulator(tmp_path: Path) -> None:
    sim = sim_registry.get("printer")
    with open_transport("sim://printer", sim_out_dir=tmp_path) as t:
        assert isinstance(t, SimTransport) and t.sim is sim
        with EscposPrinter(t) as p:
            p.print_document(JOB)
    assert (tmp_path / "job-0001.bin").read_bytes() == JOB
    sim.paper = "out"
    with EscposPrinter(open_transport("sim://printer")) as p:
        assert p.status().paper == "out"  # state persists across opens


def test_file_transport_is_write_only(tmp_path: Path) -> None:
    target = tmp_path / "spool" / "out.bin"
    t = open_transport(f"file://{target}")
    assert isinstance(t, FileTransport)
    with t:
        t.write(JOB)
        assert t.read(1, 0.1) == b""
        assert not EscposPrinter(t).status().answered
    t.close()
    assert target.read_bytes().startswith(JOB)


def test_write_only_link_prints_unconfirmed(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    with EscposPrinter(open_transport(f"file://{target}")) as p:
        after = p.print_document(JOB)
    assert not after.answered  # nothing to confirm with, and it does not pretend otherwise
    assert target.read_bytes() == JOB


def test_baudrate_query_and_close_twice(printer_pty: tuple[EscposPrinterSim, str]) -> None:
    _, path = printer_pty
    t = open_transport(f"{path}?baudrate=9600")
    assert isinstance(t, SerialTransport) and t.port.baudrate == 9600
    t.close()
    t.close()
    with pytest.raises(PrinterError):
        t.write(b"x")


def test_tcp_url_maps_to_socket() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            data = conn.recv(3)
            received.append(data)
            conn.sendall(b"\x12")
            conn.recv(10)

    th = threading.Thread(target=serve, name="tcp-printer")
    th.start()
    try:
        with open_transport(f"tcp://127.0.0.1:{port}") as t:
            t.write(b"\x10\x04\x01")
            assert t.read(1, 2.0) == b"\x12"
    finally:
        th.join(5)
        server.close()
    assert received == [b"\x10\x04\x01"]


def test_usb_printer_absent_from_the_bus_is_no_device() -> None:
    """usb:// goes through pyusb now (tests/devices/test_usb_printer.py); on this machine's
    bus (or with no libusb at all) there is no 0416:5011 printer."""
    with pytest.raises(DeviceUnavailableError) as err:
        open_transport("usb://0416:5011")
    assert err.value.state is DeviceState.NO_DEVICE


def test_missing_port_is_no_device_with_the_printer_message() -> None:
    with pytest.raises(DeviceUnavailableError) as err:
        open_transport("/dev/does-not-exist-ttyUSB9")
    assert err.value.state is DeviceState.NO_DEVICE and err.value.message == MSG_NO_DEVICE


def test_every_kind_opens_its_link_the_same_way() -> None:
    """The printer's transport and the readers' ports share one opener and one error."""
    with pytest.raises(DeviceUnavailableError) as err:
        open_port("/dev/does-not-exist-ttyUSB9", baudrate=9600, timeout=0.1)
    assert err.value.state is DeviceState.NO_DEVICE
    port = open_port("loop://?baudrate=9600", timeout=0.2)
    try:
        assert port.baudrate == 9600
        port.write(b"ping")
        assert port.read(4) == b"ping"
    finally:
        port.close()
