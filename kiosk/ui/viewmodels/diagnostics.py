"""Technician mode: the hidden way in, the PIN pad, and the device diagnostics screens.

Why a view-model of its own rather than more of the citizen session: the technician's state
(who may see the device list, which self-test is running, the print journal) must never leak
into a citizen's screens, and the PIN lock-out must *survive* the citizen session being wiped —
otherwise walking away and back would reset the wrong-PIN counter. The session still owns the
screen switch and the idle timeout, so an abandoned technician session ends like a citizen's;
``sessionReset`` wipes everything here except the lock-out.

Nothing here blocks the GUI thread: the PIN hash (scrypt, tens of milliseconds), discovery,
journal reads, test pages and reprints run on a :class:`BackgroundRunner`; live states and the
RD Service check come from the :class:`DeviceManager` through :class:`DeviceBridge`; the finger
capture is a job on the fingerprint's own worker; a card or code read listens to the reader
for its next event with a Qt timeout. Every result reaches the GUI thread by a queued signal,
and QML reads plain properties only.

Text the view-model builds (device names, states, test results) is kept as msgid + arguments
and translated when read, so the language toggle re-words a result that is already shown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.auth_pin import MAX_PIN_LENGTH, verify_pin
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.queue import TokenService
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels.session import Screen, SessionViewModel
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from kiosk.devices.manager import DeviceManager
    from kiosk.devices.qt_bridge import DeviceBridge
    from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)

#: The hidden gesture: this many taps on the attract screen's corner within the window.
SECRET_TAPS = 5
SECRET_WINDOW_S = 3.0
#: Wrong PINs before the pad locks, and for how long.
MAX_ATTEMPTS = 5
LOCK_SECONDS = 60
#: How long an interactive test waits for a card, a code or a finger.
INTERACTIVE_TIMEOUT_S = 15.0
JOURNAL_ROWS = 20

TABS = ("devices", "ports", "journal")

DEVICE_TITLES = {
    "printer": N_("Printer"),
    "fingerprint": N_("Fingerprint scanner"),
    "card_reader": N_("Card reader"),
    "scanner": N_("Code scanner"),
    "rdservice": N_("RD Service (Aadhaar scanner)"),
}
TEST_LABELS = {
    "printer": N_("Print test page"),
    "fingerprint": N_("Capture finger"),
    "card_reader": N_("Read a card"),
    "scanner": N_("Scan a code"),
    "rdservice": N_("Device info"),
}
RUNNING_TEXT = {
    "printer": N_("Printing the test page…"),
    "fingerprint": N_("Place a finger on the scanner now…"),
    "card_reader": N_("Present a card to the reader now…"),
    "scanner": N_("Scan a code now…"),
    "rdservice": N_("Asking the RD Service…"),
}
STATE_TEXT = {
    "online": N_("Online"),
    "offline": N_("Offline"),
    "no_device": N_("Not connected"),
    "hardware_error": N_("Hardware error"),
    "user_error": N_("Needs attention"),
    "busy": N_("Busy"),
    "disabled": N_("Disabled"),
}
PAPER_TEXT = {"ok": N_("OK"), "near_end": N_("near end"), "out": N_("out"),
              "unknown": N_("unknown")}
JOB_KIND_TEXT = {"token": N_("Token slip"), "test_page": N_("Test page")}
JOB_STATE_TEXT = {"queued": N_("Queued"), "sent": N_("Sent"), "confirmed": N_("Confirmed"),
                  "failed": N_("Failed")}

MSG_WRONG_PIN = N_("Wrong PIN. Attempts left: {left}")
MSG_LOCKED = N_("Too many wrong PINs. Try again in {seconds} s.")
MSG_PIN_SHORT = N_("A PIN has at least 4 digits.")
MSG_TEST = N_("Test")


@dataclass
class _Text:
    """A msgid with its arguments, translated at display time (language may change)."""

    msgid: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return translate(self.msgid, lang).format(**self.args) if self.msgid else ""


@dataclass
class _TestState:
    running: bool = False
    ok: bool = False
    text: _Text = field(default_factory=lambda: _Text(""))
    detail: str = ""


def _clock(iso: str | None) -> str:
    """``2026-11-22T09:15:02+00:00`` → local ``09:15:02`` (journal rows are today's work)."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return iso


def _reason(exc: BaseException) -> str:
    """The precise, technical cause (technicians need it; citizens never see this screen)."""
    if isinstance(exc, KioskError):
        return exc.detail or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


class DiagnosticsViewModel(QObject):
    """State and actions of the technician screens (context property ``diagnostics``)."""

    pinChanged = Signal()
    devicesChanged = Signal()
    portsChanged = Signal()
    journalChanged = Signal()
    #: Loading flags have their own signals: re-announcing a list rebuilds every QML row.
    portsLoadingChanged = Signal()
    journalLoadingChanged = Signal()
    syncChanged = Signal()
    tabChanged = Signal()
    noticeChanged = Signal()
    _capturePosted = Signal(str, object)
    _readPosted = Signal(str, object)

    def __init__(self, session: SessionViewModel, config: Config, tokens: TokenService,
                 printer: object | None, manager: DeviceManager | None, *,
                 sync_status: Callable[[], SyncStatus] | None = None,
                 lock_seconds: int = LOCK_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._tokens = tokens
        self._printer = printer
        self._manager = manager
        self._sync_status = sync_status
        self._lock_seconds = lock_seconds
        self._runner = BackgroundRunner(self)
        self._generation = 0

        self._taps: deque[float] = deque()
        self._pin = ""
        self._checking = False
        self._failures = 0
        self._locked_until = 0.0
        self._pin_message: _Text = _Text("")
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self._lock_tick)

        self._tab = "devices"
        self._statuses: dict[str, dict[str, Any]] = {}
        self._tests: dict[str, _TestState] = {}
        self._ports: list[dict[str, Any]] = []
        self._ports_loading = False
        self._ports_loaded = False
        self._journal: list[dict[str, Any]] = []
        self._journal_loading = False
        self._sync: SyncStatus | None = None
        self._notice: _Text = _Text("")
        self._notice_ok = True

        self._bridge: DeviceBridge | None = None
        if manager is not None:
            from kiosk.devices.qt_bridge import DeviceBridge

            self._bridge = DeviceBridge(manager, self)
            self._bridge.statusChanged.connect(self._on_status)
            self._bridge.selfTestFinished.connect(self._on_self_test)
            self._statuses = {d["name"]: d for d in self._bridge.statuses()}
        self._capturePosted.connect(self._on_capture, Qt.ConnectionType.QueuedConnection)
        self._readPosted.connect(self._on_read, Qt.ConnectionType.QueuedConnection)
        self._capture_stop = threading.Event()
        #: Interactive reads in progress: device name → (remove listener, timeout timer).
        self._reads: dict[str, tuple[Callable[[], None], QTimer]] = {}

        session.languageChanged.connect(self._relabel)
        session.sessionReset.connect(self.wipe)
        session.screenChanged.connect(self._screen_changed)

    # ----------------------------------------------------------------- helpers
    def _lang(self) -> str:
        return str(self._session.property("language"))

    def _tr(self, msgid: str, **args: Any) -> str:
        return translate(msgid, self._lang()).format(**args)

    def _on_screen(self, screen: Screen) -> bool:
        return self._session.property("screen") == screen.value

    # ----------------------------------------------------------------- PIN properties
    def _get_pin_length(self) -> int:
        return len(self._pin)

    def _get_pin_message(self) -> str:
        return self._pin_message.render(self._lang())

    def _get_pin_message_other(self) -> str:
        return self._pin_message.render(other_language(self._lang()))

    def _get_locked(self) -> bool:
        return self._locked_until > time.monotonic()

    def _get_checking(self) -> bool:
        return self._checking

    pinLength = Property(int, _get_pin_length, notify=pinChanged)
    pinMessage = Property(str, _get_pin_message, notify=pinChanged)
    pinMessageOther = Property(str, _get_pin_message_other, notify=pinChanged)
    locked = Property(bool, _get_locked, notify=pinChanged)
    checking = Property(bool, _get_checking, notify=pinChanged)

    # ----------------------------------------------------------------- diagnostics properties
    def _get_managed(self) -> bool:
        return self._manager is not None

    def _get_tab(self) -> str:
        return self._tab

    def _get_devices(self) -> list[dict[str, Any]]:
        lang = self._lang()
        return [self._device_row(d, lang) for d in self._statuses.values()]

    def _get_ports(self) -> list[dict[str, Any]]:
        return list(self._ports)

    def _get_ports_loading(self) -> bool:
        return self._ports_loading

    def _get_journal(self) -> list[dict[str, Any]]:
        lang = self._lang()
        rows = []
        for r in self._journal:
            row = dict(r)
            kind, state = str(r["kind"]), str(r["state"])
            row["kindText"] = translate(JOB_KIND_TEXT.get(kind, kind), lang)
            row["stateText"] = translate(JOB_STATE_TEXT.get(state, state), lang)
            rows.append(row)
        return rows

    def _get_journal_loading(self) -> bool:
        return self._journal_loading

    def _get_sync_text(self) -> str:
        s = self._sync
        if self._sync_status is None:
            return self._tr(N_("Sync is not running in this mode."))
        if s is None:
            return self._tr(N_("Sync: checking…"))
        state = (N_("Online") if s.online else N_("Offline")) if s.online is not None \
            else N_("unknown")
        return self._tr(N_("Central server: {state} · waiting to send: {waiting} · "
                           "parked: {parked}"), state=translate(state, self._lang()),
                        waiting=s.waiting, parked=len(s.parked))

    def _get_sync_state(self) -> str:
        s = self._sync
        if s is None or s.online is None:
            return "unknown"
        if s.parked or s.auth_failed:
            return "problem"
        return "online" if s.online else "offline"

    def _get_notice(self) -> str:
        return self._notice.render(self._lang())

    def _get_notice_ok(self) -> bool:
        return self._notice_ok

    managed = Property(bool, _get_managed, constant=True)
    tab = Property(str, _get_tab, notify=tabChanged)
    devices = Property("QVariantList", _get_devices, notify=devicesChanged)
    ports = Property("QVariantList", _get_ports, notify=portsChanged)
    portsLoading = Property(bool, _get_ports_loading, notify=portsLoadingChanged)
    journal = Property("QVariantList", _get_journal, notify=journalChanged)
    journalLoading = Property(bool, _get_journal_loading, notify=journalLoadingChanged)
    syncText = Property(str, _get_sync_text, notify=syncChanged)
    syncState = Property(str, _get_sync_state, notify=syncChanged)
    notice = Property(str, _get_notice, notify=noticeChanged)
    noticeOk = Property(bool, _get_notice_ok, notify=noticeChanged)

    # ----------------------------------------------------------------- the way in
    @Slot()
    def secretTap(self) -> None:
        """One tap on the attract screen's hidden corner; enough of them open the PIN pad.

        Five quick taps on an unmarked corner: a citizen does not stumble on it, a technician
        needs no tool or keyboard to get in.
        """
        if not self._on_screen(Screen.ATTRACT):
            return
        now = time.monotonic()
        self._taps.append(now)
        while self._taps and now - self._taps[0] > SECRET_WINDOW_S:
            self._taps.popleft()
        if len(self._taps) >= SECRET_TAPS:
            self._taps.clear()
            self._pin = ""
            self._pin_message = self._lock_message() if self._get_locked() else _Text("")
            self.pinChanged.emit()
            self._session.show_screen(Screen.TECH_PIN)

    @Slot(str)
    def pinDigit(self, digit: str) -> None:
        if self._checking or self._get_locked() or len(self._pin) >= MAX_PIN_LENGTH:
            return
        if len(digit) == 1 and digit.isascii() and digit.isdigit():
            self._pin += digit
            self.pinChanged.emit()

    @Slot()
    def pinBackspace(self) -> None:
        if not self._checking and self._pin:
            self._pin = self._pin[:-1]
            self.pinChanged.emit()

    @Slot()
    def pinClear(self) -> None:
        if not self._checking:
            self._pin = ""
            self.pinChanged.emit()

    @Slot()
    def pinSubmit(self) -> None:
        """Check the PIN on a worker (the hash is deliberately slow); never logs the PIN."""
        if self._checking or self._get_locked():
            return
        if len(self._pin) < 4:
            self._pin_message = _Text(MSG_PIN_SHORT)
            self.pinChanged.emit()
            return
        pin, self._pin = self._pin, ""
        stored = self._config.technician_pin_hash
        self._checking = True
        self.pinChanged.emit()
        generation = self._generation
        self._runner.submit(lambda: verify_pin(pin, stored),
                            lambda ok: self._pin_checked(generation, bool(ok)),
                            lambda exc: self._pin_checked(generation, False, exc))

    def _pin_checked(self, generation: int, ok: bool, exc: BaseException | None = None) -> None:
        self._checking = False
        if exc is not None:
            log.error("technician PIN check failed: %s", type(exc).__name__)
        if generation != self._generation:
            self.pinChanged.emit()
            return
        if ok:
            log.info("technician PIN accepted; diagnostics opened")
            self._failures = 0
            self._pin_message = _Text("")
            self.pinChanged.emit()
            self._open_diagnostics()
            return
        self._failures += 1
        log.warning("wrong technician PIN (%d of %d)", self._failures, MAX_ATTEMPTS)
        if self._failures >= MAX_ATTEMPTS:
            self._failures = 0
            self._locked_until = time.monotonic() + self._lock_seconds
            self._lock_timer.start()
            self._pin_message = self._lock_message()
        else:
            self._pin_message = _Text(MSG_WRONG_PIN, {"left": MAX_ATTEMPTS - self._failures})
        self.pinChanged.emit()

    def _lock_message(self) -> _Text:
        left = max(1, int(round(self._locked_until - time.monotonic())))
        return _Text(MSG_LOCKED, {"seconds": left})

    def _lock_tick(self) -> None:
        if self._get_locked():
            self._pin_message = self._lock_message()
        else:
            self._lock_timer.stop()
            self._pin_message = _Text("")
        self.pinChanged.emit()

    # ----------------------------------------------------------------- diagnostics
    def _open_diagnostics(self) -> None:
        self._tab = "devices"
        self.tabChanged.emit()
        self._session.show_screen(Screen.DIAGNOSTICS)
        if self._manager is not None:
            self._manager.poll_now()
        self.refreshJournal()
        self._refresh_sync()

    @Slot(str)
    def setTab(self, tab: str) -> None:
        if tab not in TABS or tab == self._tab:
            return
        self._tab = tab
        self.tabChanged.emit()
        if tab == "ports" and not self._ports_loaded:
            self.refreshPorts()
        elif tab == "journal":
            self.refreshJournal()

    @Slot()
    def exit(self) -> None:
        """Back to the attract loop; the session reset wipes the technician state."""
        self._session.resetSession()

    @Slot()
    def wipe(self) -> None:
        """Forget everything a technician saw or started (not the PIN lock-out)."""
        self._generation += 1
        self._cancel_capture()
        self._stop_reads()
        self._taps.clear()
        self._pin = ""
        self._checking = False
        self._pin_message = self._lock_message() if self._get_locked() else _Text("")
        self._tab = "devices"
        self._tests.clear()
        self._ports, self._ports_loaded, self._ports_loading = [], False, False
        self._journal, self._journal_loading = [], False
        self._notice, self._notice_ok = _Text(""), True
        for signal in (self.pinChanged, self.tabChanged, self.devicesChanged,
                       self.portsChanged, self.journalChanged, self.noticeChanged,
                       self.portsLoadingChanged, self.journalLoadingChanged):
            signal.emit()

    @Slot(str)
    def runTest(self, name: str) -> None:
        """Start ``name``'s self-test; the row shows "running" until its result arrives."""
        manager = self._manager
        if manager is None or name not in self._statuses or not manager.enabled(name):
            return
        if self._tests.get(name, _TestState()).running:
            return
        self._tests[name] = _TestState(running=True, text=_Text(RUNNING_TEXT.get(name, "")))
        self.devicesChanged.emit()
        generation = self._generation
        if name == "printer":
            self._runner.submit(self._print_test_page,
                                lambda r: self._printer_tested(generation, r),
                                lambda exc: self._printer_tested(generation, exc))
        elif name == "fingerprint":
            self._capture_stop.clear()
            fut = manager.submit(name, self._capture_job)
            fut.add_done_callback(lambda f: self._capturePosted.emit(name, (generation, f)))
        elif name in ("card_reader", "scanner"):
            self._start_read(name, generation)
        elif self._bridge is not None:
            self._bridge.run_self_test(name, interactive=False, timeout=INTERACTIVE_TIMEOUT_S)

    @Slot(str)
    def resetDevice(self, name: str) -> None:
        """Close and reopen one device (a technician's "turn it off and on again")."""
        if self._manager is not None and self._manager.enabled(name):
            log.info("technician reset of %s", name)
            self._manager.reset(name)

    @Slot()
    def refreshPorts(self) -> None:
        if self._ports_loading:
            return
        self._ports_loading = True
        self.portsLoadingChanged.emit()
        generation = self._generation

        def job() -> list[dict[str, Any]]:
            from kiosk.devices.discovery import discovery_report

            return _port_rows(discovery_report())

        self._runner.submit(job, lambda rows: self._ports_arrived(generation, rows),
                            lambda exc: self._ports_arrived(generation, exc))

    @Slot()
    def refreshJournal(self) -> None:
        if self._journal_loading:
            return
        self._journal_loading = True
        self.journalLoadingChanged.emit()
        generation = self._generation
        store = self._tokens.store
        self._runner.submit(lambda: _journal_rows(store, JOURNAL_ROWS),
                            lambda rows: self._journal_arrived(generation, rows),
                            lambda exc: self._journal_arrived(generation, exc))

    @Slot(int)
    def reprint(self, job_id: int) -> None:
        """Print a failed token slip again, from the stored token (current queue position)."""
        row = next((r for r in self._journal if r["id"] == job_id), None)
        printer = self._printer
        if row is None or not row["canReprint"] or printer is None:
            return
        row["canReprint"] = False  # one tap, one slip
        self.journalChanged.emit()
        tokens, ref, generation = self._tokens, str(row["ref"]), self._generation

        def job() -> tuple[str, int, str]:
            token = tokens.get(ref)
            if token is None:
                raise KioskError(f"token {ref} is not in the database")
            result = printer.print_token(token, token.lang)  # type: ignore[attr-defined]
            return token.number, int(result.job_id), str(result.state)

        self._runner.submit(job, lambda r: self._reprinted(generation, r),
                            lambda exc: self._reprinted(generation, exc))

    def shutdown(self) -> None:
        """Stop timers, cancel a capture, wait for workers and stop listening (app quit)."""
        self._generation += 1
        self._lock_timer.stop()
        self._cancel_capture()
        self._stop_reads()
        self._runner.shutdown()
        if self._bridge is not None:
            self._bridge.detach()

    # ----------------------------------------------------------------- jobs (worker threads)
    def _print_test_page(self) -> tuple[bool, _Text, str]:
        """Status first (as ``kiosk doctor`` does), then the journalled test page."""
        from kiosk.documents.self_test_page import build_test_page

        manager = self._manager
        assert manager is not None
        status = manager.self_test("printer")
        if not status.ok:
            return False, _Text(N_("Printer not ready: {reason}"),
                                {"reason": status.detail.get("error") or status.summary}), ""
        printer = self._printer
        if printer is None or not hasattr(printer, "print_document"):
            return False, _Text(N_("Printer not ready: {reason}"),
                                {"reason": "no print service"}), status.summary
        result = printer.print_document(build_test_page(self._config))
        manager.poll_now("printer")
        return True, _Text(N_("Test page printed (job {job}, {state})."),
                           {"job": result.job_id, "state": result.state}), status.summary

    def _capture_job(self, device: object) -> dict[str, Any]:
        """On the fingerprint worker: capture, make a template (the quality gate), search.

        Captured in one-second slices so that "Exit" or quitting stops the wait within a
        second even if it came before this job started (the driver's own cancel flag is reset
        when a capture begins), and the device worker is never held for the full timeout.
        """
        from kiosk.devices.fingerprint_uart import FingerprintReader, FingerTimeoutError

        if not isinstance(device, FingerprintReader) or not device.is_open:
            raise KioskError("fingerprint scanner is not open")
        deadline = time.monotonic() + INTERACTIVE_TIMEOUT_S
        while True:
            if self._capture_stop.is_set():
                raise KioskError("capture cancelled")
            try:
                device.capture(1, min(1.0, max(0.1, deadline - time.monotonic())))
                break
            except FingerTimeoutError:
                if time.monotonic() >= deadline:
                    raise
        found = device.search(1)
        return {"page": found.page if found else None, "score": found.score if found else 0}

    def _cancel_capture(self) -> None:
        self._capture_stop.set()
        if self._manager is None or not self._tests.get("fingerprint", _TestState()).running:
            return
        cancel = getattr(self._manager.device("fingerprint"), "cancel", None)
        if callable(cancel):
            cancel()

    # ----------------------------------------------------------------- interactive reads
    def _start_read(self, name: str, generation: int) -> None:
        """Wait for the *next* card or code by listening to the reader, with a Qt timeout.

        Listening instead of blocking the device's worker in a self-test: "Exit" or quitting
        ends the wait at once, and a card presented before the button was pressed (still
        queued in the reader) cannot pass for the technician's card.
        """
        manager = self._manager
        assert manager is not None
        dev = manager.device(name)
        status = self._statuses.get(name, {})
        state = str(status.get("state", ""))
        fail = N_("No card read: {reason}") if name == "card_reader" \
            else N_("No code read: {reason}")
        if dev is None or not dev.is_open or state in ("no_device", "offline"):
            reason = f"{state or 'not open'}: {status.get('last_error') or ''}".rstrip(": ")
            self._finish_test(name, False, _Text(fail, {"reason": reason}))
            return
        if name == "card_reader":
            def on_card(event: Any) -> None:
                if event.present:
                    self._readPosted.emit(name, (generation, str(event.card_id)))

            remove = dev.add_card_listener(on_card)  # type: ignore[attr-defined]
        else:
            def on_scan(event: Any) -> None:  # only the length crosses: it may be Aadhaar data
                self._readPosted.emit(name, (generation, len(event.text)))

            remove = dev.add_scan_listener(on_scan)  # type: ignore[attr-defined]
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(int(INTERACTIVE_TIMEOUT_S * 1000))
        timer.timeout.connect(lambda: self._read_timed_out(name, generation))
        self._reads[name] = (remove, timer)
        timer.start()

    def _stop_read(self, name: str) -> bool:
        entry = self._reads.pop(name, None)
        if entry is None:
            return False
        remove, timer = entry
        remove()
        timer.stop()
        timer.deleteLater()
        return True

    def _stop_reads(self) -> None:
        for name in list(self._reads):
            self._stop_read(name)

    @Slot(str, object)
    def _on_read(self, name: str, payload: object) -> None:
        generation, value = payload  # type: ignore[misc]
        if generation != self._generation or not self._stop_read(name):
            return
        if name == "card_reader":
            self._finish_test(name, True, _Text(N_("Card read: {card}"), {"card": value}))
        else:
            self._finish_test(name, True, _Text(N_("Code read: {count} characters"),
                                                {"count": value}))

    def _read_timed_out(self, name: str, generation: int) -> None:
        if generation != self._generation or not self._stop_read(name):
            return
        seconds = int(INTERACTIVE_TIMEOUT_S)
        text = _Text(N_("No card presented within {seconds} s."), {"seconds": seconds}) \
            if name == "card_reader" \
            else _Text(N_("Nothing scanned within {seconds} s."), {"seconds": seconds})
        self._finish_test(name, False, text)

    # ----------------------------------------------------------------- results (GUI thread)
    def _finish_test(self, name: str, ok: bool, text: _Text, detail: str = "") -> None:
        self._tests[name] = _TestState(running=False, ok=ok, text=text, detail=detail)
        self.devicesChanged.emit()

    def _printer_tested(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        if isinstance(result, BaseException):
            self._finish_test("printer", False, _Text(N_("Test page not printed: {reason}"),
                                                      {"reason": _reason(result)}))
            self.refreshJournal()
            return
        assert isinstance(result, tuple)
        ok, text, detail = result
        self._finish_test("printer", ok, text, detail)
        self.refreshJournal()

    @Slot(str, object)
    def _on_capture(self, name: str, payload: object) -> None:
        generation, fut = payload  # type: ignore[misc]
        if generation != self._generation:
            return
        assert isinstance(fut, Future)
        try:
            found = fut.result()
        except Exception as exc:
            self._finish_test(name, False, _Text(N_("Capture failed: {reason}"),
                                                 {"reason": _reason(exc)}))
            return
        if found["page"] is None:
            text = _Text(N_("Finger captured, quality good; no matching template."))
        else:
            text = _Text(N_("Finger captured, quality good; matches template {page}, "
                            "score {score}."), found)
        self._finish_test(name, True, text)

    @Slot(str, bool, str, dict)
    def _on_self_test(self, name: str, ok: bool, summary: str, detail: dict[str, Any]) -> None:
        if not self._tests.get(name, _TestState()).running:
            return  # wiped (exit/idle) while the test ran: nobody is looking any more
        reason = str(detail.get("error") or summary)
        if name == "rdservice":
            info = f"{detail.get('info', '')} {detail.get('dp_id', '')} " \
                   f"{detail.get('rds_ver', '')}".strip()
            text = _Text(N_("RD Service ready: {info}"), {"info": info}) if ok \
                else _Text(N_("RD Service not ready: {reason}"), {"reason": reason})
        else:
            text = _Text(N_("Test passed") if ok else N_("Test failed"))
        self._finish_test(name, ok, text, summary)

    @Slot(str, dict)
    def _on_status(self, name: str, status: dict[str, Any]) -> None:
        self._statuses[name] = status
        self.devicesChanged.emit()

    def _ports_arrived(self, generation: int, rows: object) -> None:
        if generation != self._generation:
            return
        self._ports_loading = False
        self.portsLoadingChanged.emit()
        if isinstance(rows, BaseException):
            log.error("port discovery failed: %s", _reason(rows))
            self._ports = [{"line": _reason(rows), "known": False, "header": False}]
        else:
            assert isinstance(rows, list)
            self._ports = rows
            self._ports_loaded = True
        self.portsChanged.emit()

    def _journal_arrived(self, generation: int, rows: object) -> None:
        if generation != self._generation:
            return
        self._journal_loading = False
        self.journalLoadingChanged.emit()
        if isinstance(rows, BaseException):
            log.error("reading the print journal failed: %s", _reason(rows))
            return
        assert isinstance(rows, list)
        if rows != self._journal:
            self._journal = rows
            self.journalChanged.emit()

    def _reprinted(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        if isinstance(result, BaseException):
            self._notice = _Text(N_("Reprint failed: {reason}"), {"reason": _reason(result)})
            self._notice_ok = False
        else:
            assert isinstance(result, tuple)
            number, job, state = result
            self._notice = _Text(N_("Token {number} reprinted (job {job}, {state})."),
                                 {"number": number, "job": job, "state": state})
            self._notice_ok = True
        self.noticeChanged.emit()
        self.refreshJournal()

    # ----------------------------------------------------------------- sync line
    def _refresh_sync(self) -> None:
        read = self._sync_status
        if read is None:
            return
        generation = self._generation

        def arrived(status: object) -> None:
            if generation == self._generation:
                self._sync = status  # type: ignore[assignment]
                self.syncChanged.emit()

        self._runner.submit(read, arrived,
                            lambda exc: log.warning("sync status: %s", _reason(exc)))

    @Slot()
    def networkChanged(self) -> None:
        """The sync worker reported: re-read the counts if a technician is looking."""
        if self._on_screen(Screen.DIAGNOSTICS):
            self._refresh_sync()

    # ----------------------------------------------------------------- rows
    def _device_row(self, d: Mapping[str, Any], lang: str) -> dict[str, Any]:
        name = str(d["name"])
        enabled = bool(d.get("enabled", True))
        state = str(d["state"]) if enabled else "disabled"
        test = self._tests.get(name, _TestState())
        detail, warn = _detail_text(str(d.get("kind", name)), d.get("detail") or {}, lang)
        ids = " · ".join(f"{k} {v}" for k, v in (d.get("ids") or {}).items())
        error = str(d.get("last_error") or "")
        return {
            "name": name,
            "title": translate(DEVICE_TITLES.get(name, name), lang),
            "state": state,
            "stateText": translate(STATE_TEXT.get(state, state), lang),
            "url": str(d.get("url", "")),
            "ids": ids,
            "detail": detail,
            "warn": warn or state == "user_error",
            "lastError": error,
            "enabled": enabled,
            "testLabel": translate(TEST_LABELS.get(name, MSG_TEST), lang),
            "running": test.running,
            "hasResult": bool(test.text.msgid),
            "resultOk": test.ok,
            "resultText": test.text.render(lang),
        }

    @Slot()
    def _relabel(self) -> None:
        for signal in (self.pinChanged, self.devicesChanged, self.journalChanged,
                       self.syncChanged, self.noticeChanged):
            signal.emit()

    @Slot()
    def _screen_changed(self) -> None:
        if not self._on_screen(Screen.ATTRACT):
            self._taps.clear()


def _detail_text(kind: str, detail: Mapping[str, Any], lang: str) -> tuple[str, bool]:
    """The per-kind facts a technician checks first, and whether one of them is a warning."""
    def tr(msgid: str, **args: Any) -> str:
        return translate(msgid, lang).format(**args)

    if kind == "printer":
        paper = str(detail.get("paper", "unknown"))
        parts = [tr(N_("Paper: {paper}"),
                    paper=translate(PAPER_TEXT.get(paper, paper), lang))]
        if detail.get("cover_open"):
            parts.append(tr(N_("Cover open")))
        if detail.get("errors"):
            parts.append(tr(N_("Errors: {errors}"), errors=", ".join(detail["errors"])))
        return " · ".join(parts), paper != "ok" or bool(detail.get("cover_open"))
    if kind == "fingerprint":
        if "library_size" not in detail:
            return "", False
        text = tr(N_("{size} templates · security level {level} · {baud} baud"),
                  size=detail.get("library_size", "?"), level=detail.get("security_level", "?"),
                  baud=detail.get("baudrate", "?"))
        if "last_score" in detail:
            text += " · " + tr(N_("last score {score}"), score=detail["last_score"])
        return text, False
    if kind == "card_reader":
        if detail.get("last_card"):
            return tr(N_("Last card: {card}"), card=detail["last_card"]), False
        return "", False
    if kind == "scanner":
        if detail.get("scans"):
            return tr(N_("Codes read: {count}"), count=detail["scans"]), False
        return "", False
    if kind == "fingerprint_rd":
        if "rd_status" not in detail:
            return "", False
        text = f"{detail.get('rd_status', '')} · {detail.get('dp_id', '')} " \
               f"{detail.get('rds_ver', '')} · {detail.get('service_url', '')}"
        return text, detail.get("rd_status") != "READY"
    skip = {"enabled"}
    return " · ".join(f"{k} {v}" for k, v in detail.items() if k not in skip), False


def _port_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Serial ports and USB devices as display lines (ids and what we recognise)."""
    none = {"header": False, "line": "", "known": False, "empty": True}
    rows: list[dict[str, Any]] = [{"header": True, "line": "serial", "known": False}]
    if not report.get("serial_ports"):
        rows.append(dict(none))
    for p in report.get("serial_ports", []):
        ids = f"{p['vid']}:{p['pid']}" if p.get("vid") else "-"
        line = f"{p['device']}  {ids}  {p.get('description', '')}".rstrip()
        rows.append({"header": False, "line": line, "known": bool(p.get("known")),
                     "note": p.get("known", "")})
    rows.append({"header": True, "line": "usb", "known": False,
                 "backend": bool(report.get("usb_backend"))})
    if report.get("usb_backend") and not report.get("usb_devices"):
        rows.append(dict(none))
    for u in report.get("usb_devices", []):
        line = f"{u['vid']}:{u['pid']}  bus {u.get('bus')} · {u.get('address')}"
        rows.append({"header": False, "line": line, "known": bool(u.get("known")),
                     "note": u.get("known", "")})
    return rows


def _journal_rows(store: Any, limit: int) -> list[dict[str, Any]]:
    """The newest print jobs with the token number, and whether a failed slip still needs a
    reprint (no later job for the same token got out)."""
    rows = store.conn.execute(
        "SELECT j.id, j.doc_kind, j.doc_ref, j.state, j.reason, j.updated_at, t.number, "
        "  EXISTS (SELECT 1 FROM print_jobs k WHERE k.doc_kind = j.doc_kind "
        "          AND k.doc_ref = j.doc_ref AND k.id > j.id "
        "          AND k.state IN ('sent', 'confirmed')) AS reprinted "
        "FROM print_jobs j LEFT JOIN tokens t ON j.doc_kind = 'token' AND t.id = j.doc_ref "
        "ORDER BY j.id DESC LIMIT ?", (limit,)).fetchall()
    out = []
    for r in rows:
        failed_token = r["doc_kind"] == "token" and r["state"] == "failed"
        out.append({"id": int(r["id"]), "kind": str(r["doc_kind"]), "ref": str(r["doc_ref"]),
                    "label": str(r["number"] or r["doc_ref"]), "state": str(r["state"]),
                    "reason": str(r["reason"] or ""), "time": _clock(r["updated_at"]),
                    "reprinted": bool(failed_token and r["reprinted"]),
                    "canReprint": bool(failed_token and not r["reprinted"])})
    return out


__all__ = ["DiagnosticsViewModel", "LOCK_SECONDS", "MAX_ATTEMPTS", "SECRET_TAPS"]
