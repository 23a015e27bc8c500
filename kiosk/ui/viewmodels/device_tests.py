"""The device cards' tests: a test page, a finger capture, a card or code read, a self-test.

Each test runs where it must not block the GUI thread: the test page on the diagnostics worker
(through the journalled print service), the capture as a job on the fingerprint's own worker
(in one-second slices, so "Exit" stops it), a card or code read by listening to the reader
for its next event with a Qt timeout, the rest through :class:`~kiosk.devices.qt_bridge.
DeviceBridge`. Results arrive on the GUI thread by queued signals and are kept as deferred text,
so the language toggle re-words them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import N_
from kiosk.ui.viewmodels.diagnostics_text import RUNNING_TEXT, DeferredText, TestState, reason
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from kiosk.devices.manager import DeviceManager
    from kiosk.devices.qt_bridge import DeviceBridge

log = logging.getLogger(__name__)

#: How long an interactive test waits for a card, a code or a finger.
INTERACTIVE_TIMEOUT_S = 15.0


class DeviceTests(QObject):
    """Runs the device cards' tests and keeps their results (one per device)."""

    changed = Signal()
    _capturePosted = Signal(str, object)
    _readPosted = Signal(str, object)

    def __init__(self, config: Config, printer: object | None, manager: DeviceManager,
                 bridge: DeviceBridge | None, runner: BackgroundRunner, *,
                 status_of: Callable[[str], dict[str, Any]], on_printed: Callable[[], None],
                 on_finished: Callable[[str, bool], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._printer = printer
        self._manager = manager
        self._bridge = bridge
        self._runner = runner
        self._status_of = status_of     # the device's last status dict
        self._on_printed = on_printed   # a test page went through the journal
        self._on_finished = on_finished  # a test ended (the audit trail records it)
        self._generation = 0
        self._tests: dict[str, TestState] = {}
        self._capture_stop = threading.Event()
        #: Interactive reads in progress: device name → (remove listener, timeout timer).
        self._reads: dict[str, tuple[Callable[[], None], QTimer]] = {}
        self._capturePosted.connect(self._on_capture, Qt.ConnectionType.QueuedConnection)
        self._readPosted.connect(self._on_read, Qt.ConnectionType.QueuedConnection)
        if bridge is not None:
            bridge.selfTestFinished.connect(self._on_self_test)

    def state(self, name: str) -> TestState:
        return self._tests.get(name, TestState())

    def run(self, name: str) -> None:
        """Start ``name``'s test; its card shows "running" until the result arrives."""
        if self.state(name).running:
            return
        self._tests[name] = TestState(running=True, text=DeferredText(RUNNING_TEXT.get(name, "")))
        self.changed.emit()
        generation = self._generation
        if name == "printer":
            self._runner.submit(self._print_test_page,
                                lambda r: self._printer_tested(generation, r),
                                lambda exc: self._printer_tested(generation, exc))
        elif name == "fingerprint":
            self._capture_stop.clear()
            fut = self._manager.submit(name, self._capture_job)
            fut.add_done_callback(lambda f: self._capturePosted.emit(name, (generation, f)))
        elif name in ("card_reader", "scanner"):
            self._start_read(name, generation)
        elif self._bridge is not None:
            self._bridge.run_self_test(name, interactive=False, timeout=INTERACTIVE_TIMEOUT_S)

    def wipe(self) -> None:
        """Forget every result and stop what is waiting (exit, idle timeout, quit)."""
        self._generation += 1
        self._cancel_capture()
        self._stop_reads()
        self._tests.clear()

    # ----------------------------------------------------------------- jobs (worker threads)
    # ----------------------------------------------------------------- jobs (worker threads)
    def _print_test_page(self) -> tuple[bool, DeferredText, str]:
        """Status first (as ``kiosk doctor`` does), then the journalled test page."""
        from kiosk.documents.self_test_page import build_test_page

        manager = self._manager
        assert manager is not None
        status = manager.self_test("printer")
        if not status.ok:
            return False, DeferredText(N_("Printer not ready: {reason}"),
                                {"reason": status.detail.get("error") or status.summary}), ""
        printer = self._printer
        if printer is None or not hasattr(printer, "print_document"):
            return False, DeferredText(N_("Printer not ready: {reason}"),
                                {"reason": "no print service"}), status.summary
        result = printer.print_document(build_test_page(self._config))
        manager.poll_now("printer")
        return True, DeferredText(N_("Test page printed (job {job}, {state})."),
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
        if self._manager is None or not self._tests.get("fingerprint", TestState()).running:
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
        status = self._status_of(name)
        state = str(status.get("state", ""))
        fail = N_("No card read: {reason}") if name == "card_reader" \
            else N_("No code read: {reason}")
        if dev is None or not dev.is_open or state in ("no_device", "offline"):
            reason = f"{state or 'not open'}: {status.get('last_error') or ''}".rstrip(": ")
            self._finish_test(name, False, DeferredText(fail, {"reason": reason}))
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
        assert isinstance(payload, tuple)
        generation, value = payload
        if generation != self._generation or not self._stop_read(name):
            return
        if name == "card_reader":
            self._finish_test(name, True, DeferredText(N_("Card read: {card}"), {"card": value}))
        else:
            self._finish_test(name, True, DeferredText(N_("Code read: {count} characters"),
                                                {"count": value}))

    def _read_timed_out(self, name: str, generation: int) -> None:
        if generation != self._generation or not self._stop_read(name):
            return
        seconds = int(INTERACTIVE_TIMEOUT_S)
        text = DeferredText(N_("No card presented within {seconds} s."), {"seconds": seconds}) \
            if name == "card_reader" \
            else DeferredText(N_("Nothing scanned within {seconds} s."), {"seconds": seconds})
        self._finish_test(name, False, text)

    # ----------------------------------------------------------------- results (GUI thread)
    # ----------------------------------------------------------------- results (GUI thread)
    def _finish_test(self, name: str, ok: bool, text: DeferredText, detail: str = "") -> None:
        self._tests[name] = TestState(running=False, ok=ok, text=text, detail=detail)
        self.changed.emit()
        if self._on_finished is not None:
            self._on_finished(name, ok)

    def _printer_tested(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        if isinstance(result, BaseException):
            self._finish_test("printer", False, DeferredText(
                N_("Test page not printed: {reason}"), {"reason": reason(result)}))
            self._on_printed()
            return
        assert isinstance(result, tuple)
        ok, text, detail = result
        self._finish_test("printer", ok, text, detail)
        self._on_printed()

    @Slot(str, object)
    def _on_capture(self, name: str, payload: object) -> None:
        assert isinstance(payload, tuple)
        generation, fut = payload
        if generation != self._generation:
            return
        assert isinstance(fut, Future)
        try:
            found = fut.result()
        except Exception as exc:
            self._finish_test(name, False, DeferredText(N_("Capture failed: {reason}"),
                                                 {"reason": reason(exc)}))
            return
        if found["page"] is None:
            text = DeferredText(N_("Finger captured, quality good; no matching template."))
        else:
            text = DeferredText(N_("Finger captured, quality good; matches template {page}, "
                            "score {score}."), found)
        self._finish_test(name, True, text)

    @Slot(str, bool, str, dict)
    def _on_self_test(self, name: str, ok: bool, summary: str, detail: dict[str, Any]) -> None:
        if not self._tests.get(name, TestState()).running:
            return  # wiped (exit/idle) while the test ran: nobody is looking any more
        reason = str(detail.get("error") or summary)
        if name == "rdservice":
            info = f"{detail.get('info', '')} {detail.get('dp_id', '')} " \
                   f"{detail.get('rds_ver', '')}".strip()
            text = DeferredText(N_("RD Service ready: {info}"), {"info": info}) if ok \
                else DeferredText(N_("RD Service not ready: {reason}"), {"reason": reason})
        else:
            text = DeferredText(N_("Test passed") if ok else N_("Test failed"))
        self._finish_test(name, ok, text, summary)



__all__ = ["DeviceTests", "INTERACTIVE_TIMEOUT_S"]
