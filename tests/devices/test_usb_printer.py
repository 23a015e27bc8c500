"""USB printers through pyusb, on a virtual USB bus that forwards to the ESC/POS simulator.

Everything above the bus is the real code path: ``usb.core.find``, the configuration and
endpoint look-up, kernel-driver detaching, claiming, bulk transfers with timeouts, then the
printer driver, the print service and the journal. Only the bus itself is simulated.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
import usb.core

from kiosk.config import Config, load_config
from kiosk.devices.escpos_driver import MSG_PAPER_OUT
from kiosk.devices.links import MSG_NO_DEVICE, open_transport
from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.devices.printer_adapter import PrinterDevice
from kiosk.devices.sim import sim_registry
from kiosk.devices.sim.escpos_printer import EscposPrinterSim
from kiosk.devices.sim.usb_bus import VirtualUsbBus
from kiosk.devices.usb_printer import (
    MSG_BAD_USB_URL,
    MSG_NO_LIBUSB,
    MSG_USB_PERMISSION,
    UsbPrinterAddress,
    open_usb_transport,
    parse_usb_printer_url,
)
from kiosk.errors import PrinterError
from kiosk.i18n import translate
from kiosk.printing.print_jobs import PrintService
from kiosk.queue import Priority, TokenService
from kiosk.store import Store

URL = "usb://04b8:0202"


@pytest.fixture
def sim() -> EscposPrinterSim:
    return EscposPrinterSim(paper_mm=80)


@pytest.fixture
def bus(sim: EscposPrinterSim) -> VirtualUsbBus:
    return VirtualUsbBus(sim)


def usb_config(tmp_path: Path, url: str = URL) -> Config:
    return load_config(data_dir=tmp_path / "data", config_dirs=[],
                       environ={"KIOSK_DEVICES__PRINTER__URL": url})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(usb_config(tmp_path).db_path) as s:
        yield s


# --- the URL ---------------------------------------------------------------------------------

def test_url_forms() -> None:
    assert parse_usb_printer_url("usb://04b8:0202") == UsbPrinterAddress(0x04B8, 0x0202)
    assert parse_usb_printer_url("usb://0416:5011?interface=1&out=0x03&in=0x84") == \
        UsbPrinterAddress(0x0416, 0x5011, 1, 0x03, 0x84)
    assert parse_usb_printer_url("usb://04B8:0E15?bus=sim").bus == "sim"


@pytest.mark.parametrize("url", ["usb://0x0416:0x5011", "usb://printer", "usb://04b8",
                                 "usb://04b8:0202?out=0x81", "usb://04b8:0202?in=0x02",
                                 "usb://04b8:0202?speed=9600", "usb://04b8:0202?bus=real"])
def test_bad_url_is_a_clear_bilingual_error(url: str) -> None:
    with pytest.raises(DeviceUnavailableError) as err:
        open_transport(url)
    assert err.value.message == MSG_BAD_USB_URL
    assert translate(MSG_BAD_USB_URL, "hi") != MSG_BAD_USB_URL


# --- the link on the virtual bus -------------------------------------------------------------

def test_status_round_trip_through_pyusb(bus: VirtualUsbBus, sim: EscposPrinterSim) -> None:
    assert bus.kernel_driver  # usblp holds the interface until the kiosk detaches it
    with open_usb_transport(URL, backend=bus) as link:
        assert link.bidirectional and not bus.kernel_driver
        assert link.ep_out.bEndpointAddress == 0x01 and link.ep_in.bEndpointAddress == 0x82
        link.write(b"\x10\x04\x01\x10\x04\x04")
        assert link.read(2, 1.0) == b"\x12\x12"
        assert link.read(1, 0.05) == b""  # a silent printer: nothing, after the timeout
        sim.paper = "out"
        link.write(b"\x10\x04\x04")
        assert link.read(1, 1.0) == b"\x72"
    assert sim.status_queries >= 3 and bus.bulk_out_bytes == 9


def test_explicit_endpoints_are_used_and_checked(bus: VirtualUsbBus) -> None:
    with open_usb_transport(URL + "?interface=0&out=0x01&in=0x82", backend=bus) as link:
        assert link.ep_in.bEndpointAddress == 0x82
    with pytest.raises(DeviceUnavailableError, match="no bulk OUT endpoint 0x03") as err:
        open_usb_transport(URL + "?out=0x03", backend=bus)
    assert err.value.state is DeviceState.HARDWARE_ERROR
    with pytest.raises(DeviceUnavailableError, match="no interface 2"):
        open_usb_transport(URL + "?interface=2", backend=bus)


def test_other_ids_are_no_device(bus: VirtualUsbBus) -> None:
    with pytest.raises(DeviceUnavailableError, match="no USB device 0416:5011") as err:
        open_usb_transport("usb://0416:5011", backend=bus)
    assert err.value.state is DeviceState.NO_DEVICE and err.value.message == MSG_NO_DEVICE


class _LockedBus(VirtualUsbBus):
    """The device node is root's: libusb cannot open it (no udev rule installed)."""

    def open_device(self, dev: str) -> object:
        raise usb.core.USBError("Access denied (insufficient permissions)", error_code=-3,
                                errno=errno.EACCES)


def test_no_permission_says_what_to_do(sim: EscposPrinterSim) -> None:
    with pytest.raises(DeviceUnavailableError) as err:
        open_usb_transport(URL, backend=_LockedBus(sim))
    assert err.value.message == MSG_USB_PERMISSION and err.value.state is DeviceState.OFFLINE
    assert "60-seva-kiosk.rules" in err.value.detail
    assert "तकनीशियन" in err.value.user_message("hi")


def test_no_libusb_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.devices.usb_printer as usb_printer

    monkeypatch.setattr(usb_printer, "libusb_backend", lambda: None)
    with pytest.raises(DeviceUnavailableError) as err:
        open_transport(URL)
    assert err.value.message == MSG_NO_LIBUSB and "libusb-1.0-0" in err.value.detail
    assert "libusb" in err.value.user_message("hi")


def test_real_url_never_uses_the_virtual_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``?bus=sim`` or an explicit backend, a usb:// URL goes to libusb (or fails)."""
    import kiosk.devices.usb_printer as usb_printer

    asked: list[str] = []

    def no_libusb() -> None:
        asked.append("libusb")
        return None

    monkeypatch.setattr(usb_printer, "libusb_backend", no_libusb)
    with pytest.raises(DeviceUnavailableError):
        open_transport(URL, sim_out_dir=None)
    assert asked == ["libusb"] and sim_registry.get("printer").bytes_received == 0


# --- a USB printer in the kiosk ----------------------------------------------------------------

def test_usb_printer_prints_a_token_and_reports_paper_out(tmp_path: Path, store: Store,
                                                           bus: VirtualUsbBus,
                                                           sim: EscposPrinterSim) -> None:
    config = usb_config(tmp_path)
    token = TokenService(store, config).issue("C", Priority.SENIOR, "hi")
    service = PrintService(store, config,
                           printer_opener=lambda url: open_usb_transport(url, backend=bus))
    result = service.print_token(token, "hi")
    assert result.state == "confirmed" and result.status.paper == "adequate"
    assert sim.qr_payloads == [f"TKN:{token.id}"]
    assert bus.bulk_out_bytes >= result.bytes_sent  # the job, plus the DLE EOT questions

    sim.paper = "out"
    with pytest.raises(PrinterError) as err:
        service.print_token(token, "hi")
    assert err.value.message == MSG_PAPER_OUT
    assert [r["state"] for r in service.jobs_for("token", token.id)] == ["confirmed", "failed"]

    device = PrinterDevice(URL, opener=lambda url: open_usb_transport(url, backend=bus))
    try:
        device.open()
        status = device.status()
        assert status.state is DeviceState.USER_ERROR and status.detail["paper"] == "out"
        sim.paper = "ok"
        assert device.poll() is DeviceState.ONLINE
    finally:
        device.close()


def test_unplugged_usb_printer_is_lost_and_found_again(bus: VirtualUsbBus) -> None:
    device = PrinterDevice(URL, opener=lambda url: open_usb_transport(url, backend=bus))
    try:
        device.open()
        assert device.status().state is DeviceState.ONLINE
        bus.unplug()
        assert device.poll() in (DeviceState.OFFLINE, DeviceState.NO_DEVICE)
        bus.replug()
        assert device.poll() is DeviceState.ONLINE
        assert bus.opens >= 2
    finally:
        device.close()


def test_simulated_setup_prints_over_usb(tmp_path: Path, store: Store) -> None:
    """``usb://VID:PID?bus=sim``: the kiosk's default opener, pyusb, the simulated printer."""
    config = usb_config(tmp_path, URL + "?bus=sim")
    token = TokenService(store, config).issue("L", Priority.GENERAL, "en")
    result = PrintService(store, config).print_token(token, "en")
    assert result.state == "confirmed"
    assert sim_registry.get("printer").qr_payloads == [f"TKN:{token.id}"]
    assert (config.print_dir / "job-0001.png").exists()


# --- kiosk doctor ------------------------------------------------------------------------------

def test_doctor_says_what_a_usb_printer_needs(tmp_path: Path, bus: VirtualUsbBus,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.devices.usb_printer as usb_printer
    from kiosk.devices.usb_printer_check import (
        FIX_LIBUSB,
        FIX_UDEV,
        printer_check,
        render_printer_check,
    )

    config = load_config(data_dir=tmp_path / "data", config_dirs=[], environ={
        "KIOSK_DEVICES__PRINTER__URL": URL, "KIOSK_DEVICES__PRINTER__MODEL": "TM-T88V"})
    fine = printer_check(config, backend=bus, can_open=lambda node: True)
    assert (fine["model"], fine["dots"], fine["columns"], fine["graphics_memory"]) == \
        ("TM-T88V", 512, 42, "gs_l")
    assert fine["usb"]["attached"] and fine["usb"]["node"] == "/dev/bus/usb/001/007"
    assert fine["warnings"] == []
    assert fine["usb"]["printers_found"][0]["url"].startswith("usb://04b8:0202?interface=0")

    locked = printer_check(config, backend=bus, can_open=lambda node: False)
    (warning,) = locked["warnings"]
    assert warning["fix"] == FIX_UDEV and "60-seva-kiosk.rules" in FIX_UDEV
    assert warning["hi"] == translate(MSG_USB_PERMISSION, "hi")
    text = "\n".join(render_printer_check(locked))
    assert "NOT PERMITTED" in text and "चेतावनी" in text

    monkeypatch.setattr(usb_printer, "libusb_backend", lambda: None)
    missing = printer_check(config)
    assert missing["usb"]["libusb"] is False and missing["warnings"][0]["fix"] == FIX_LIBUSB

    unplugged = VirtualUsbBus(EscposPrinterSim())
    unplugged.unplug()
    gone = printer_check(config, backend=unplugged)
    assert gone["usb"]["attached"] is False
    assert "not on the USB bus" in "\n".join(render_printer_check(gone))


def test_doctor_on_the_simulated_usb_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The whole kiosk path — device manager, self-test, test page — over pyusb."""
    import json

    from kiosk.cli import main

    monkeypatch.setenv("KIOSK_DEVICES__PRINTER__URL", URL + "?bus=sim")
    monkeypatch.setenv("KIOSK_DEVICES__PRINTER__MODEL", "TM-T88V")
    code = main(["doctor", "--json", "--test-page", "--data-dir", str(tmp_path / "data")])
    report = json.loads(capsys.readouterr().out)
    printer = next(d for d in report["devices"] if d["name"] == "printer")
    assert code == 0 and printer["state"] == "online" and printer["self_test"]["ok"], report
    assert report["test_page"]["printed"] and report["test_page"]["state"] == "confirmed"
    assert report["printer"]["model"] == "TM-T88V" and report["printer"]["usb"]["simulated"]
    assert sim_registry.get("printer").jobs  # the page reached the simulator through pyusb
