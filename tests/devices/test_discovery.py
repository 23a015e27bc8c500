"""Discovery and hot-plug sources: known ids, graceful emptiness, polling diffs."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from kiosk.devices import discovery
from kiosk.devices.discovery import (
    FakeHotplugSource,
    HotplugEvent,
    PollingHotplugSource,
    SerialPortInfo,
    UsbDeviceInfo,
    default_hotplug_source,
    discovery_report,
    identify,
    list_serial_ports,
    list_usb_devices,
)


def test_known_ids_prefer_the_exact_product() -> None:
    assert identify(0x04B8, 0x0202).note.startswith("TM-T88")  # type: ignore[union-attr]
    assert identify(0x04B8, 0x9999).kind == "printer"  # type: ignore[union-attr]
    assert identify(0x1A86, 0x7523).kind == "usb_serial"  # type: ignore[union-attr]
    assert identify(0x0C2E, 0x1234).kind == "scanner"  # type: ignore[union-attr]
    assert identify(0x1162, 0x2200).kind == "fingerprint"  # type: ignore[union-attr]
    assert identify(0x1A86, 0x0001) is None
    assert identify(None, None) is None


def test_port_and_usb_records_serialise_with_hex_ids() -> None:
    p = SerialPortInfo("/dev/ttyUSB0", "USB Serial", 0x10C4, 0xEA60, "0001")
    d = p.as_dict()
    assert d["vid"] == "10c4" and d["pid"] == "ea60" and "CP210x" in d["known"]
    u = UsbDeviceInfo(0x04B8, 0x0202, 1, 5).as_dict()
    assert u["known_kind"] == "printer" and u["vid"] == "04b8"
    assert p.key != SerialPortInfo("/dev/ttyUSB1", "USB Serial", 0x10C4, 0xEA60, "0001").key


def test_listing_works_here_and_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    ports = list_serial_ports()
    assert all(isinstance(p, SerialPortInfo) for p in ports)
    assert isinstance(list_usb_devices(), list)  # a container: usually empty, never an error
    monkeypatch.setattr(discovery, "usb_backend", lambda: None)
    assert list_usb_devices() == []
    report = discovery_report()
    assert set(report) == {"serial_ports", "usb_devices", "usb_printers", "usb_backend"}
    assert report["usb_backend"] is False


def test_a_broken_usb_backend_gives_an_empty_list() -> None:
    class Exploding:
        def __getattr__(self, name: str) -> Any:
            raise OSError("no USB bus")

    assert list_usb_devices(backend=Exploding()) == []


def test_a_broken_port_lister_gives_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    from serial.tools import list_ports

    def boom() -> list[Any]:
        raise OSError("sysfs not mounted")

    monkeypatch.setattr(list_ports, "comports", boom)
    assert list_serial_ports() == []


def test_polling_source_reports_adds_and_removes() -> None:
    present = {"serial:/dev/ttyS0"}
    lock = threading.Lock()
    events: list[HotplugEvent] = []
    got = threading.Event()

    def lister() -> set[str]:
        with lock:
            return set(present)

    def on_event(ev: HotplugEvent) -> None:
        events.append(ev)
        if len(events) >= 2:
            got.set()

    source = PollingHotplugSource(interval=0.02, lister=lister)
    source.start(on_event)
    try:
        with lock:
            present.add("usb:1:7:04b8:0202")
            present.discard("serial:/dev/ttyS0")
        assert got.wait(5)
    finally:
        source.stop()
    source.stop()  # safe twice
    assert HotplugEvent("add", "usb:1:7:04b8:0202") in events
    assert HotplugEvent("remove", "serial:/dev/ttyS0") in events


def test_polling_source_survives_a_failing_lister() -> None:
    calls = 0
    second = threading.Event()

    def lister() -> set[str]:
        nonlocal calls
        calls += 1
        if calls >= 3:
            second.set()
        if calls == 2:
            raise OSError("flaky sysfs")
        return set()

    source = PollingHotplugSource(interval=0.01, lister=lister)
    source.start(lambda ev: None)
    try:
        assert second.wait(5)
    finally:
        source.stop()


def test_default_source_falls_back_to_polling_without_udev() -> None:
    source = default_hotplug_source()
    assert source.name in ("udev", "polling")
    fake = FakeHotplugSource()
    seen: list[HotplugEvent] = []
    fake.emit("add")  # not started: ignored
    fake.start(seen.append)
    fake.emit("remove", "/dev/ttyACM0")
    fake.stop()
    assert seen == [HotplugEvent("remove", "/dev/ttyACM0")]


def test_usb_printers_are_found_by_interface_class_7() -> None:
    from kiosk.devices.discovery import list_usb_printers
    from kiosk.devices.sim.escpos_printer import EscposPrinterSim
    from kiosk.devices.sim.usb_bus import VirtualUsbBus
    from kiosk.devices.usb_printer import open_usb_transport

    bus = VirtualUsbBus(EscposPrinterSim())
    (printer,) = list_usb_printers(backend=bus)
    assert printer.url == "usb://04b8:0202?interface=0&out=0x01&in=0x82"
    assert printer.as_dict()["bidirectional"] and "Epson" in printer.as_dict()["known"]
    assert bus.opens == 0  # listing reads descriptors only: no udev permission needed
    with open_usb_transport(printer.url, backend=bus) as link:  # the URL it suggests works
        link.write(b"\x10\x04\x01")
        assert link.read(1, 1.0) == b"\x12"
    hid = VirtualUsbBus(EscposPrinterSim(), vid=0x0C2E, pid=0x0B61, interface_class=3)
    assert list_usb_printers(backend=hid) == []
    assert [d.vid for d in list_usb_devices(backend=hid)] == [0x0C2E]


def test_the_report_says_which_usb_printer_the_config_opens() -> None:
    from kiosk.devices.discovery import discovery_report
    from kiosk.devices.sim.escpos_printer import EscposPrinterSim
    from kiosk.devices.sim.usb_bus import VirtualUsbBus

    bus = VirtualUsbBus(EscposPrinterSim())
    url = "usb://04b8:0202?interface=0&out=0x01&in=0x82"
    assert [p["configured"] for p in discovery_report("usb://04b8:0202",
                                                      backend=bus)["usb_printers"]] == [True]
    assert [p["configured"] for p in discovery_report("sim://printer",
                                                      backend=bus)["usb_printers"]] == [False]
    assert [p["configured"] for p in discovery_report("usb://04b8:0202?interface=1",
                                                      backend=bus)["usb_printers"]] == [False]
    (found,) = discovery_report("sim://printer", backend=bus)["usb_printers"]
    assert found["url"] == url and not found["simulated"]
    # The simulated set-up's printer is listed too, with the url that opens it.
    simulated = discovery_report("usb://04b8:0202?bus=sim", backend=bus)["usb_printers"]
    assert [(p["url"], p["configured"], p["simulated"]) for p in simulated] == [
        (url, False, False), (url + "&bus=sim", True, True)]
