"""Technician mode through the real QML: hidden gesture, PIN pad, live device diagnostics.

Every kiosk here runs a real DeviceManager over the default simulated devices (printer in
process, fingerprint/card reader/scanner on pseudo-terminals, RD Service on a loopback port),
so a state shown on screen is the state the manager read from real bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from driver import UiDriver
from PySide6.QtCore import QPointF
from PySide6.QtQuick import QQuickItem
from pytestqt.qtbot import QtBot

from kiosk.auth_pin import DEFAULT_PIN
from kiosk.config import Config, load_config
from kiosk.devices.model import DeviceState
from kiosk.devices.sim import sim_registry
from kiosk.errors import PrinterError
from kiosk.i18n import translate
from kiosk.queue import Priority
from kiosk.ui.app import KioskUi

DEVICES = ("printer", "fingerprint", "card_reader", "scanner", "rdservice")
SAFFRON = "#e8770e"  # Theme.saffron: the user-error colour
GREEN = "#11702a"  # Theme.green: online
TOUCH_MIN = 64
BODY_MIN = 28


def _devices_kiosk(factory: Callable[..., KioskUi], config: Config, **kw: object) -> KioskUi:
    kiosk = factory(config, devices=True, hotplug=False, **kw)
    assert kiosk.devices is not None
    assert kiosk.devices_ready(10)
    for name in DEVICES:
        assert kiosk.devices.wait_for(name, DeviceState.ONLINE, timeout=8), name
    return kiosk


def _tap_corner(d: UiDriver) -> None:
    """The hidden gesture: taps on the corner until the PIN pad opens (five at most)."""
    for _ in range(5):
        if d.screen() != "attract":
            break
        d.tap("techCorner")
    d.wait_for("techPinScreen")


def _type_pin(d: UiDriver, pin: str) -> None:
    _tap_corner(d)
    d.wait_for("techPinScreen")
    for digit in pin:
        d.tap(f"pinKey_{digit}")
    d.tap("pinOk")


def _open_diagnostics(d: UiDriver) -> None:
    _type_pin(d, DEFAULT_PIN)
    d.wait_for("diagnosticsScreen", timeout=5000)


def _shown(d: UiDriver, name: str) -> str:
    """The text of item ``name`` if it is on screen now, else "" (for polling waits: the
    Driver's own ``text`` gives up after 5 s, shorter than a slow machine's print)."""
    item = d.find(name)
    return "" if item is None else str(item.property("text"))


def _chip(d: UiDriver, name: str) -> QQuickItem:
    return d.wait_for(f"deviceState_{name}")


def test_gesture_wrong_pin_then_right_pin_shows_every_device_online(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = _devices_kiosk(kiosk_factory, make_config(default_language="en"))
    d = drive(kiosk)
    d.tap("techCorner")  # a stray tap or two does nothing a citizen would notice
    assert d.screen() == "attract"

    _type_pin(d, "1357")
    qtbot.waitUntil(lambda: _shown(d, "pinMessage") != "",
                    timeout=5000)
    assert d.text("pinMessage") == "Wrong PIN. Attempts left: 4"
    assert d.text("pinMessageOther") == translate("Wrong PIN. Attempts left: {left}",
                                                  "hi").format(left=4)
    assert d.screen() == "tech_pin" and d.find("diagnosticsScreen") is None
    assert kiosk.diagnostics.gate.pinLength == 0  # the wrong PIN is gone from memory

    for digit in DEFAULT_PIN:
        d.tap(f"pinKey_{digit}")
    d.tap("pinOk")
    d.wait_for("diagnosticsScreen", timeout=5000)
    assert d.screen() == "diagnostics"
    for name in DEVICES:
        def online(n: str = name) -> bool:
            return bool(_chip(d, n).property("stateKey") == "online")

        qtbot.waitUntil(online, timeout=5000)
        assert _chip(d, name).property("text") == "Online"
        assert _chip(d, name).property("color").name() == GREEN
    assert d.find("notManaged") is None

    # The language toggle works here too: the same rows, worded in Hindi.
    d.tap("langToggle")
    qtbot.waitUntil(lambda: _chip(d, "printer").property("text")
                    == translate("Online", "hi"))


def test_printer_fault_turns_the_row_to_user_error_and_the_test_page_prints(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config(default_language="en")
    kiosk = _devices_kiosk(kiosk_factory, config)
    assert kiosk.devices is not None
    d = drive(kiosk)
    _open_diagnostics(d)

    sim = sim_registry.get("printer")
    sim.paper = "out"
    kiosk.devices.poll_now("printer")
    qtbot.waitUntil(lambda: _chip(d, "printer").property("stateKey")
                    == "user_error", timeout=5000)
    assert _chip(d, "printer").property("text") == "Needs attention"
    assert _chip(d, "printer").property("color").name() == SAFFRON
    assert d.text("deviceDetail_printer") == "Paper: out"

    sim.paper = "ok"
    kiosk.devices.poll_now("printer")
    qtbot.waitUntil(lambda: _chip(d, "printer").property("stateKey")
                    == "online", timeout=5000)
    before = set(config.print_dir.glob("job-*"))
    d.tap("deviceTest_printer")
    qtbot.waitUntil(lambda: "Test page printed" in _shown(d, "deviceResult_printer"),
                    timeout=20000)
    assert "confirmed" in d.text("deviceResult_printer")
    saved = set(config.print_dir.glob("job-*")) - before
    assert saved, "the simulated printer saved no job"
    with sqlite3.connect(config.db_path) as conn:
        rows = conn.execute("SELECT doc_kind, state FROM print_jobs").fetchall()
    assert rows == [("test_page", "confirmed")]


def test_card_scan_and_finger_tests_show_their_results(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = _devices_kiosk(kiosk_factory, make_config(default_language="en"))
    d = drive(kiosk)
    _open_diagnostics(d)

    rfid = sim_registry.simulator("rfid")
    rfid.present("0B00000001")  # a card laid down *before* the test must not count
    qtbot.wait(300)
    rfid.remove()
    qtbot.wait(300)
    d.tap("deviceTest_card_reader")
    qtbot.waitUntil(lambda: "Present a card" in _shown(d, "deviceResult_card_reader"))
    rfid.present("0B001A2B3C")
    qtbot.waitUntil(lambda: _shown(d, "deviceResult_card_reader")
                    == "Card read: 0B001A2B3C", timeout=10000)

    d.tap("deviceTest_scanner")
    qtbot.waitUntil(lambda: "Scan a code" in _shown(d, "deviceResult_scanner"))
    sim_registry.simulator("scanner").scan("TKN:C-001")
    qtbot.waitUntil(lambda: _shown(d, "deviceResult_scanner")
                    == "Code read: 9 characters", timeout=10000)

    sim_registry.simulator("fingerprint").sim.place_finger(0)
    d.tap("deviceTest_fingerprint")
    qtbot.waitUntil(lambda: "matches template 0" in _shown(d, "deviceResult_fingerprint"),
                    timeout=10000)
    assert "score" in d.text("deviceResult_fingerprint")


def test_journal_lists_a_failed_slip_and_reprint_gets_it_out(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config(default_language="en")
    kiosk = _devices_kiosk(kiosk_factory, config)
    assert kiosk.printer is not None
    sim = sim_registry.get("printer")
    token = kiosk.tokens.issue("C", Priority.SENIOR, "hi")
    sim.paper = "out"
    with pytest.raises(PrinterError):
        kiosk.printer.print_token(token, "hi")
    sim.paper = "ok"
    with sqlite3.connect(config.db_path) as conn:
        (failed_id,) = conn.execute("SELECT id FROM print_jobs WHERE state = 'failed'").fetchone()

    d = drive(kiosk)
    _open_diagnostics(d)
    d.tap("tab_journal")
    qtbot.waitUntil(lambda: not kiosk.diagnostics.journalLoading)
    assert d.text(f"jobState_{failed_id}") == "Failed"
    qtbot.wait(50)  # let the rows settle into their layout
    d.tap(f"reprint_{failed_id}")
    qtbot.waitUntil(lambda: "reprinted" in _shown(d, "journalNotice"),
                    timeout=20000)
    assert token.number in d.text("journalNotice")
    with sqlite3.connect(config.db_path) as conn:
        states = conn.execute("SELECT state FROM print_jobs WHERE doc_ref = ? ORDER BY id",
                              (token.id,)).fetchall()
    assert [s for (s,) in states] == ["failed", "confirmed"]
    qtbot.waitUntil(lambda: d.find(f"reprint_{failed_id}") is None)


def test_exit_and_idle_timeout_wipe_the_technician_session(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = _devices_kiosk(kiosk_factory, make_config(default_language="hi", idle_seconds=2,
                                                      idle_countdown_seconds=1))
    d = drive(kiosk)
    diag = kiosk.diagnostics
    _open_diagnostics(d)
    d.tap("deviceTest_rdservice")
    qtbot.waitUntil(lambda: any(r["hasResult"] and not r["running"]
                                for r in diag.devices), timeout=10000)
    d.tap("deviceTest_fingerprint")  # no finger on the sensor: this would wait 15 s
    qtbot.waitUntil(lambda: any(r["name"] == "fingerprint" and r["running"]
                                for r in diag.devices))
    d.tap("diagExit")
    qtbot.waitUntil(lambda: d.screen() == "attract")
    assert not any(r["hasResult"] for r in diag.devices)
    # Exit ended the capture: the fingerprint worker takes new jobs within a second or two.
    assert kiosk.devices is not None
    assert kiosk.devices.submit("fingerprint", lambda dev: "free").result(3) == "free"
    assert diag.tab == "devices" and diag.gate.pinLength == 0 and not diag.journal

    # The way back in asks for the PIN again; left alone, the idle timeout ends it.
    _tap_corner(d)
    d.tap("pinKey_2")
    qtbot.waitUntil(lambda: d.screen() == "attract", timeout=8000)
    assert diag.gate.pinLength == 0


def test_five_wrong_pins_lock_the_pad_and_no_devices_mode_says_so(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], tmp_path: Path,
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(default_language="en"))
    d = drive(kiosk)
    diag = kiosk.diagnostics
    for attempt in range(5):
        if attempt == 0:
            _type_pin(d, "9999")
        else:
            for c in "9999":
                d.tap(f"pinKey_{c}")
            d.tap("pinOk")
        qtbot.waitUntil(lambda: not diag.gate.checking, timeout=5000)
    assert diag.gate.locked
    assert "Try again in" in d.text("pinMessage")
    assert not d.wait_for("pinKey_1").isEnabled()
    diag.gate.pinDigit("2")  # a locked pad ignores input even from outside the keypad
    assert diag.gate.pinLength == 0

    # A kiosk without the device manager still opens diagnostics and says why it is empty.
    # (Its own data directory: the lock-out above is kept on disk and would lock it too.)
    kiosk2 = kiosk_factory(load_config(data_dir=tmp_path / "other",
                                       environ={"KIOSK_KIOSK__DEFAULT_LANGUAGE": "en"}))
    d2 = drive(kiosk2)
    _open_diagnostics(d2)
    assert d2.find("notManaged") is not None
    assert not kiosk2.diagnostics.devices


def _problems(kiosk: KioskUi, where: str) -> list[str]:
    """Touch targets under 64 px or reaching off the side, and text under 28 px.

    Walks the visible item tree only (like test_idle_and_layout, never ``metaObject()``);
    rows inside a scrolled pane may sit below the fold, so only the width is checked there.
    """
    problems: list[str] = []
    width = kiosk.window.width()

    def visit(item: QQuickItem) -> None:
        if not item.isVisible():
            return
        if item.property("touchTarget") is True:
            name = item.objectName() or "(unnamed)"
            if item.width() < TOUCH_MIN or item.height() < TOUCH_MIN:
                problems.append(f"{where}: target {name} is {item.width()}x{item.height()}")
            corner = item.mapToScene(QPointF(item.width(), item.height()))
            if corner.x() > width + 1:
                problems.append(f"{where}: target {name} reaches off-screen to {corner}")
        if item.inherits("QQuickText") and item.property("text"):
            px = item.property("font").pixelSize()
            if px < BODY_MIN:
                problems.append(f"{where}: text {item.property('text')!r} is {px}px")
        for child in item.childItems():
            visit(child)

    visit(kiosk.window.contentItem())
    return problems


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_every_technician_target_is_big_enough(
        size: tuple[int, int], qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config(default_language="hi")
    kiosk = _devices_kiosk(kiosk_factory, config, size=size)
    assert kiosk.printer is not None
    sim = sim_registry.get("printer")
    sim.paper = "out"
    with pytest.raises(PrinterError):
        kiosk.printer.print_token(kiosk.tokens.issue("A", Priority.GENERAL, "hi"), "hi")
    sim.paper = "near_end"
    d = drive(kiosk)
    _tap_corner(d)
    problems = _problems(kiosk, "pin")
    for digit in DEFAULT_PIN:
        d.tap(f"pinKey_{digit}")
    d.tap("pinOk")
    d.wait_for("diagnosticsScreen", timeout=5000)
    qtbot.waitUntil(lambda: len(kiosk.diagnostics.devices) == len(DEVICES))
    problems += _problems(kiosk, "devices")
    d.tap("tab_ports")
    qtbot.waitUntil(lambda: not kiosk.diagnostics.portsLoading, timeout=10000)
    problems += _problems(kiosk, "ports")
    d.tap("tab_journal")
    d.wait_for("journalPane")
    qtbot.waitUntil(lambda: bool(kiosk.diagnostics.journal), timeout=5000)
    qtbot.wait(50)
    problems += _problems(kiosk, "journal")
    assert not problems, "\n".join(problems)


def test_sync_line_shows_offline_and_what_waits(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        offline_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = offline_config(default_language="en")
    kiosk = kiosk_factory(config, sync=True)
    kiosk.tokens.issue("C", Priority.GENERAL, "en")
    kiosk.network.wake()
    qtbot.waitUntil(lambda: kiosk.network.property("state") == "offline",
                    timeout=15000)
    d = drive(kiosk)
    _open_diagnostics(d)
    # Waiting: the token, and the audit entry of the technician's own log-in.
    qtbot.waitUntil(lambda: _shown(d, "syncLine")
                    == "Central server: Offline · waiting to send: 2 · parked: 0", timeout=10000)


def _texts_under(item: QQuickItem) -> dict[str, str]:
    """``objectName → text`` of the visible texts below ``item`` (one printer's facts)."""
    from driver import walk

    return {i.objectName(): str(i.property("text")) for i in walk(item)
            if i.objectName() and i.inherits("QQuickText") and i.isVisible()}


def test_the_configured_usb_printer_is_listed_with_its_url_in_both_languages(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], drive: Callable[[KioskUi], UiDriver],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The simulated set-up's USB printer (``?bus=sim``, the virtual pyusb bus): the devices
    tab lists it with the url that opens it, found on a worker, never the GUI thread."""
    import threading

    import kiosk.devices.discovery as discovery

    threads: list[bool] = []
    real_report = discovery.discovery_report

    def report(*args: object, **kw: object) -> dict[str, object]:
        threads.append(threading.current_thread() is threading.main_thread())
        return real_report(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(discovery, "discovery_report", report)
    monkeypatch.setattr(discovery, "usb_backend", lambda: None)  # this machine's USB aside
    config = load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_KIOSK__DEFAULT_LANGUAGE": "en",
        "KIOSK_DEVICES__PRINTER__URL": "usb://04b8:0202?bus=sim"})
    kiosk = _devices_kiosk(kiosk_factory, config)
    d = drive(kiosk)
    _open_diagnostics(d)
    row = d.wait_for("usbPrinter_0", timeout=10000)
    assert threads == [False]  # discovery ran once, on the worker
    texts = _texts_under(row)
    assert texts["usbPrinterUrl"] == \
        'url = "usb://04b8:0202?interface=0&out=0x01&in=0x82&bus=sim"'
    assert texts["usbPrinterUse"] == "In use: this is the printer in [devices.printer] url."
    (printer,) = kiosk.diagnostics.usbPrinters
    assert printer["configured"] and printer["bidirectional"] and printer["simulated"]
    assert "Epson" in printer["line"]

    d.tap("langToggle")  # the same row, worded in Hindi; the url stays as typed in the file
    qtbot.waitUntil(lambda: _texts_under(d.wait_for("usbPrinter_0"))["usbPrinterUse"]
                    == translate("In use: this is the printer in [devices.printer] url.", "hi"))
    assert _texts_under(d.wait_for("usbPrinter_0"))["usbPrinterUrl"] == texts["usbPrinterUrl"]


def test_a_usb_printer_not_yet_configured_says_what_to_put_in_the_config(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A technician plugs a USB printer into a kiosk still set to the simulator: both tabs
    show it, with the url to copy into ``[devices.printer]``."""
    import kiosk.devices.discovery as discovery
    from kiosk.devices.sim.escpos_printer import EscposPrinterSim
    from kiosk.devices.sim.usb_bus import VirtualUsbBus

    bus = VirtualUsbBus(EscposPrinterSim())  # stands in for libusb: the machine's USB bus
    monkeypatch.setattr(discovery, "usb_backend", lambda: bus)
    kiosk = _devices_kiosk(kiosk_factory, make_config(default_language="en"))
    d = drive(kiosk)
    _open_diagnostics(d)
    texts = _texts_under(d.wait_for("usbPrinter_0", timeout=10000))
    url = 'url = "usb://04b8:0202?interface=0&out=0x01&in=0x82"'
    assert texts["usbPrinterUrl"] == url
    assert texts["usbPrinterUse"].startswith("Not in use: to print on it, put this url in "
                                             "[devices.printer]")
    assert bus.opens == 0  # listed from its descriptors: no udev permission needed

    d.tap("tab_ports")
    d.wait_for("portsPane")
    qtbot.waitUntil(lambda: url in [t for item in [d.find("portsPane")] if item
                                    for t in _texts_under(item).values()])
