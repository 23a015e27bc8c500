"""Rendering any kiosk screen to a PNG offscreen, with realistic sample state.

Used by ``kiosk screenshot`` and for the pictures in ``docs/screens``: reviewers (and
translators) judge a screen by looking at it, and a picture from the real QML, driven through
the real view-model, cannot drift from what the kiosk shows. Sample tokens go into a throw-away
database so a screenshot never consumes a real token number.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtQuick import QQuickItem, QQuickWindow

from kiosk.config import Config, load_config
from kiosk.errors import PrinterError, StoreError
from kiosk.queue import Priority, Token
from kiosk.ui.app import KioskUi, build_kiosk
from kiosk.ui.board.screenshot import BOARD_SCREENS
from kiosk.ui.counter.screenshot import COUNTER_SCREENS
from kiosk.ui.pump import pump, settle
from kiosk.ui.screenshot_apply import APPLY_SCREENS, drive_apply
from kiosk.ui.screenshot_lookup import LOOKUP_SCREENS, drive_lookup

log = logging.getLogger(__name__)

#: Screens ``render_screen`` knows, in journey order.
SCREENS: tuple[str, ...] = (
    "attract", "language", "home", "groups", "priority", "token", "token_printing",
    "token_print_failed", "idle", "error",
    "tech_pin", "tech_pin_wrong", "diagnostics", "diagnostics_ports", "diagnostics_journal",
    *APPLY_SCREENS,
) + LOOKUP_SCREENS
#: The same screens with "easy reading" on (larger text, stronger contrast): ``<name>_easy``.
EASY_SCREENS: tuple[str, ...] = tuple(f"{n}_easy" for n in (
    "home", "groups", "priority", "token", "apply_form_applicant", "apply_form_keyboard",
    "apply_form_address", "apply_form_service", "apply_documents", "apply_review",
    "apply_payment", "status_found"))
SCREENS = SCREENS + EASY_SCREENS + ("help_coming",)
#: Everything ``kiosk screenshot`` renders: the citizen kiosk's screens, then the counter
#: console's and the display board's (which run against a sample centre service instead).
ALL_SCREENS: tuple[str, ...] = SCREENS + COUNTER_SCREENS + BOARD_SCREENS

#: Technician screens; the diagnostics ones run a real DeviceManager over the simulators.
TECH_SCREENS = frozenset({"tech_pin", "tech_pin_wrong", "diagnostics", "diagnostics_ports",
                          "diagnostics_journal"})
DEVICE_SCREENS = frozenset({"diagnostics", "diagnostics_ports", "diagnostics_journal"})


class SamplePrinter:
    """Stands in for the print pipeline: prints "successfully", or fails like paper-out."""

    def __init__(self, fail: bool = False, hold: bool = False) -> None:
        self.fail = fail
        self.hold = hold
        self.release = False

    def print_token(self, token: Token, lang: str) -> None:
        while self.hold and not self.release:
            time.sleep(0.01)
        if self.fail:
            raise PrinterError("sample: paper out")


def sample_printer_for(name: str) -> SamplePrinter:
    """The stand-in printer that puts screen ``name`` into its sample print state."""
    return SamplePrinter(fail=name == "token_print_failed", hold=name == "token_printing")


def _enter_pin(kiosk: KioskUi, pin: str) -> None:
    diag = kiosk.diagnostics
    for _ in range(5):
        diag.gate.secretTap()
    for digit in pin:
        diag.gate.pinDigit(digit)


def _seed_journal(kiosk: KioskUi) -> None:
    """A morning at the printer: slips printed, one lost to paper-out, a test page."""
    from kiosk.devices.model import DeviceState
    from kiosk.devices.sim import sim_registry

    printer = kiosk.printer
    manager = kiosk.devices
    assert printer is not None and manager is not None
    manager.wait_for("printer", DeviceState.ONLINE, timeout=10)
    sim = sim_registry.get("printer")
    for i, priority in enumerate((Priority.GENERAL, Priority.SENIOR, Priority.GENERAL,
                                  Priority.DIVYANG)):
        token = kiosk.tokens.issue("C" if i % 2 else "A", priority, "hi")
        if i == 2:
            sim.paper = "out"
        try:
            printer.print_token(token, "hi")
        except PrinterError:
            pass  # journalled as failed: the screen offers the reprint
        sim.paper = "ok"


def _drive_technician(kiosk: KioskUi, name: str) -> None:
    """Hidden gesture, PIN, then the diagnostics tab with realistic device state."""
    from kiosk.auth_pin import DEFAULT_PIN
    from kiosk.devices.model import DeviceState
    from kiosk.devices.sim import sim_registry

    session, diag = kiosk.session, kiosk.diagnostics
    if name == "tech_pin":
        _enter_pin(kiosk, DEFAULT_PIN[:2])
        return
    if name == "tech_pin_wrong":
        _enter_pin(kiosk, "1111")
        diag.gate.pinSubmit()
        pump(lambda: diag.gate.pinMessage != "")
        diag.gate.pinDigit("2")
        return
    manager = kiosk.devices
    if manager is not None:
        kiosk.devices_ready(10)
        for device in manager.names:
            manager.wait_for(device, DeviceState.ONLINE, timeout=5)
    if name == "diagnostics_journal" and manager is not None:
        _seed_journal(kiosk)
    if kiosk.sync_ready() is not None:  # the sync line as on a healthy kiosk: online, none waiting
        kiosk.network.wake()
        pump(lambda: kiosk.network.property("state") == "online"
              and kiosk.network.property("waiting") == 0, timeout_s=20)
    _enter_pin(kiosk, DEFAULT_PIN)
    diag.gate.pinSubmit()
    pump(lambda: session.screen == "diagnostics")
    if kiosk.sync is not None:
        pump(lambda: diag.syncState == "online")
    if name == "diagnostics" and manager is not None:
        # A realistic morning: paper running low, the card reader's cable pulled, a finger
        # and the RD Service just tested.
        sim_registry.get("printer").paper = "near_end"
        sim_registry.simulator("fingerprint").sim.place_finger(0)
        sim_registry.unplug("rfid")
        manager.poll_now("printer")
        diag.runTest("fingerprint")
        diag.runTest("rdservice")
        pump(lambda: all(not d["running"] for d in diag.property("devices"))
              and not diag.portsLoading  # the USB printers found are listed too
              and manager.status("printer").detail.get("paper") == "near_end"
              and manager.status("card_reader").state in (DeviceState.NO_DEVICE,
                                                          DeviceState.OFFLINE))
    elif name == "diagnostics_ports":
        diag.setTab("ports")
        pump(lambda: not diag.portsLoading and bool(diag.ports))
    elif name == "diagnostics_journal":
        diag.setTab("journal")
        pump(lambda: not diag.journalLoading)




def _seed_queue(kiosk: KioskUi) -> None:
    """A morning's queue so the token shows a real "people ahead" and wait."""
    for priority in (Priority.GENERAL, Priority.GENERAL, Priority.SENIOR, Priority.GENERAL,
                     Priority.DIVYANG):
        kiosk.tokens.issue("C", priority, "hi")


def drive_to(kiosk: KioskUi, name: str, lang: str) -> None:
    if name in EASY_SCREENS:
        kiosk.session.toggleEasyRead()
        name = name.removesuffix("_easy")
    _drive_to(kiosk, name, lang)


def _drive_to(kiosk: KioskUi, name: str, lang: str) -> None:
    """Tap through the view-model exactly as a citizen would, up to screen ``name``."""
    session = kiosk.session
    if name not in SCREENS:
        raise ValueError(f"unknown screen {name!r}; one of: {', '.join(SCREENS)}")
    session.setLanguage(lang)
    if name == "attract":
        return
    if name in TECH_SCREENS:
        _drive_technician(kiosk, name)
        return
    if name in LOOKUP_SCREENS:
        drive_lookup(kiosk, name, lang)
        return
    session.start()
    if name == "language":
        return
    session.chooseLanguage(lang)
    if name == "help_coming":   # "call staff" pressed: the counters were told
        assert kiosk.help is not None
        kiosk.help._set("coming")
        return
    if name in ("home", "idle"):
        if name == "idle":
            session.expire_idle()
        return
    if name in APPLY_SCREENS:
        drive_apply(kiosk, name, lang)
        return
    session.openService("token")
    if name == "groups":
        return
    session.queue.chooseGroup("C")
    if name == "priority":
        return
    if name == "error":
        session.report_error(StoreError("sample: disk full"), "issuing a token")
        return
    _seed_queue(kiosk)
    session.queue.choosePriority(Priority.SENIOR.value)
    wanted = {"token": "printed", "token_printing": "printing",
              "token_print_failed": "failed"}[name]
    pump(lambda: session.queue.printState == wanted)


def wait_faded_in(window: QQuickWindow) -> None:
    """Until the screen's fade-in has finished: on a busy machine the 180 ms animation can take
    far longer than any fixed wait, and a grab mid-fade is a washed-out screenshot."""
    loader = window.findChild(QQuickItem, "screenLoader")
    if loader is None:
        return

    def opaque() -> bool:
        # the next screen or application page is still being built (SwapLoader.qml)
        if any(swap.isVisible() and swap.property("switching")
               for name in ("screenLoader", "applyPageLoader")
               for swap in window.findChildren(QQuickItem, name)):
            return False
        return float(loader.property("fade")) >= 0.999   # SwapLoader's veil is gone
    pump(opaque)
    settle(60)


def render_screen(name: str, lang: str, out_png: Path | str,
                  size: tuple[int, int] = (1080, 1920), config: Config | None = None) -> Path:
    """Render screen ``name`` in ``lang`` ("hi"/"en") at ``size`` and save it as PNG."""
    if name in BOARD_SCREENS:
        from kiosk.ui.board.screenshot import render_board_screen

        return render_board_screen(name, out_png, size=size, config=config)
    if name in COUNTER_SCREENS:
        from kiosk.ui.counter.screenshot import render_counter_screen

        return render_counter_screen(name, lang, out_png, size=size, config=config)
    out = Path(out_png)
    with tempfile.TemporaryDirectory(prefix="kiosk-shot-") as tmp:
        base = config or load_config(data_dir=tmp)
        sample_config = replace(base, data_dir=Path(tmp))
        devices = name in DEVICE_SCREENS
        printer = sample_printer_for(name)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        kiosk = build_kiosk(sample_config, lang=lang, windowed=True, size=size,
                            printer=None if devices else printer, devices=devices,
                            hotplug=False, sync=devices)
        try:
            drive_to(kiosk, name, lang)
            settle(200)
            wait_faded_in(kiosk.window)
            image = kiosk.window.grabWindow()
            out.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(out)):
                raise OSError(f"could not write {out}")
        finally:
            printer.release = True
            kiosk.close()
            if devices:
                from kiosk.devices.sim import sim_registry

                sim_registry.reset()  # the faulted sample printer must not outlive the picture
    log.info("rendered %s (%s, %dx%d) to %s", name, lang, size[0], size[1], out)
    return out
