"""Technician mode's diagnostics screen: devices (and the USB printers found, each with the
``usb://`` url to configure), ports, the print journal, the sync line.

Why a view-model of its own rather than more of the citizen session: the technician's state
(the device list, which self-test is running, the print journal) must never leak into a
citizen's screens. The session still owns the screen switch and the idle timeout, so an
abandoned technician session ends like a citizen's; ``sessionReset`` wipes everything here.
The way in (hidden gesture, PIN pad, lock-out) is :mod:`.technician` (``diagnostics.gate``,
QML ``Technician``);
the device cards' tests are :mod:`.device_tests`; the wording is :mod:`.diagnostics_text`.

What a technician does here is appended to the kiosk's audit trail
(:class:`kiosk.tech_audit.KioskAudit`, on the worker): log-in and refused PINs (by the gate), each
device test's outcome, device resets, reprints from the journal, and the log-out (Exit, or the
idle timeout ending the session). :meth:`DiagnosticsViewModel.note_start` records a changed
configuration at start.

Nothing here blocks the GUI thread: discovery, journal reads (:class:`~kiosk.print_journal.
PrintJournal`), test pages and reprints run on a :class:`BackgroundRunner`; live states come
from the :class:`DeviceManager` through :class:`DeviceBridge`. Every result reaches the GUI
thread by a queued signal, and QML reads plain properties only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.print_journal import PrintJournal
from kiosk.queue import TokenService
from kiosk.tech_audit import KioskAudit
from kiosk.ui.qt_property import qproperty
from kiosk.ui.viewmodels import diagnostics_text as dt
from kiosk.ui.viewmodels.device_tests import DeviceTests
from kiosk.ui.viewmodels.diagnostics_text import DeferredText, TestState
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.states import Screen
from kiosk.ui.viewmodels.technician import LOCK_SECONDS, MAX_ATTEMPTS, SECRET_TAPS, TechnicianGate
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from kiosk.devices.manager import DeviceManager
    from kiosk.devices.qt_bridge import DeviceBridge
    from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)

JOURNAL_ROWS = 20


class Tab(StrEnum):
    DEVICES = "devices"
    PORTS = "ports"
    JOURNAL = "journal"


class SyncState(StrEnum):
    """The sync line's colour (``syncState``)."""

    UNKNOWN = "unknown"
    PROBLEM = "problem"
    ONLINE = "online"
    OFFLINE = "offline"


class DiagnosticsViewModel(QObject):
    """State and actions of the diagnostics screen (QML singleton ``Diagnostics``)."""

    devicesChanged = Signal()
    portsChanged = Signal()
    usbPrintersChanged = Signal()
    journalChanged = Signal()
    #: Loading flags have their own signals: re-announcing a list rebuilds every QML row.
    portsLoadingChanged = Signal()
    journalLoadingChanged = Signal()
    syncChanged = Signal()
    tabChanged = Signal()
    noticeChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config, tokens: TokenService,
                 printer: object | None, manager: DeviceManager | None, *,
                 sync_status: Callable[[], SyncStatus] | None = None,
                 lock_seconds: int = LOCK_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._tokens = tokens
        self._journal_repo = PrintJournal(tokens.store)
        self._timezone = config.timezone  # journal times in the centre's zone
        self._printer = printer
        self._manager = manager
        self._sync_status = sync_status
        self._runner = BackgroundRunner(self)
        self._generation = 0
        self._config = config
        self._audit = KioskAudit.for_config(tokens.store, config)
        #: A technician is in (the PIN was accepted) and how they will leave: "exit" or the
        #: session reset of the idle timeout ("idle").
        self._technician_in = False
        self._leaving = "idle"
        self._gate = TechnicianGate(session, config, self._runner, on_accepted=self._open,
                                    lock_seconds=lock_seconds, audit=self._audit, parent=self)
        self._tab = Tab.DEVICES
        self._statuses: dict[str, dict[str, Any]] = {}
        self._ports: list[dict[str, Any]] = []
        #: The USB printers of the last discovery (the devices tab lists them too).
        self._usb_printers: list[dict[str, Any]] = []
        self._ports_loading = False
        self._ports_loaded = False
        self._journal: list[dict[str, Any]] = []
        self._journal_loading = False
        self._sync: SyncStatus | None = None
        self._notice = DeferredText("")
        self._notice_ok = True
        self._bridge: DeviceBridge | None = None
        self._tests: DeviceTests | None = None
        if manager is not None:
            from kiosk.devices.qt_bridge import DeviceBridge

            self._bridge = DeviceBridge(manager, self)
            self._bridge.statusChanged.connect(self._on_status)
            self._statuses = {d["name"]: d for d in self._bridge.statuses()}
            self._tests = DeviceTests(config, printer, manager, self._bridge, self._runner,
                                      status_of=lambda name: self._statuses.get(name, {}),
                                      on_printed=self.refreshJournal,
                                      on_finished=self._test_finished, parent=self)
            self._tests.changed.connect(self.devicesChanged)
        session.languageChanged.connect(self._relabel)
        session.sessionReset.connect(self.wipe)

    def _lang(self) -> str:
        return str(self._session.property("language"))

    def _tr(self, msgid: str, **args: Any) -> str:
        return translate(msgid, self._lang()).format(**args)

    # ----------------------------------------------------------------- properties
    def _get_devices(self) -> list[dict[str, Any]]:
        lang = self._lang()
        tests = self._tests
        return [dt.device_row(d, tests.state(str(d["name"])) if tests else TestState(), lang)
                for d in self._statuses.values()]

    def _get_journal(self) -> list[dict[str, Any]]:
        lang = self._lang()
        rows = []
        for r in self._journal:
            row = dict(r)
            kind, state = str(r["kind"]), str(r["state"])
            row["kindText"] = translate(dt.JOB_KIND_TEXT.get(kind, kind), lang)
            row["stateText"] = translate(dt.JOB_STATE_TEXT.get(state, state), lang)
            rows.append(row)
        return rows

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
            return SyncState.UNKNOWN.value
        if s.parked or s.auth_failed:
            return SyncState.PROBLEM.value
        return (SyncState.ONLINE if s.online else SyncState.OFFLINE).value

    def _get_gate(self) -> TechnicianGate:

        return self._gate


    gate = qproperty(QObject, _get_gate, constant=True)
    managed = qproperty(bool, lambda self: self._manager is not None, constant=True)
    tab = qproperty(str, lambda self: self._tab.value, notify=tabChanged)
    devices = qproperty(list, _get_devices, notify=devicesChanged)
    ports = qproperty(list, lambda self: list(self._ports), notify=portsChanged)
    usbPrinters = qproperty(list, lambda self: list(self._usb_printers),
                            notify=usbPrintersChanged)
    portsLoading = qproperty(bool, lambda self: self._ports_loading, notify=portsLoadingChanged)
    journal = qproperty(list, _get_journal, notify=journalChanged)
    journalLoading = qproperty(bool, lambda self: self._journal_loading,
                              notify=journalLoadingChanged)
    syncText = qproperty(str, _get_sync_text, notify=syncChanged)
    syncState = qproperty(str, _get_sync_state, notify=syncChanged)
    notice = qproperty(str, lambda self: self._notice.render(self._lang()), notify=noticeChanged)
    noticeOk = qproperty(bool, lambda self: self._notice_ok, notify=noticeChanged)

    # ----------------------------------------------------------------- slots
    @Slot(str)
    def setTab(self, tab: str) -> None:
        if tab not in Tab.__members__.values() or tab == self._tab:
            return
        self._tab = Tab(tab)
        self.tabChanged.emit()
        if self._tab is Tab.PORTS and not self._ports_loaded:
            self.refreshPorts()
        elif self._tab is Tab.JOURNAL:
            self.refreshJournal()

    @Slot()
    def exit(self) -> None:
        """Back to the attract loop; the session reset wipes the technician state."""
        self._leaving = "exit"
        self._session.resetSession()

    @Slot()
    def wipe(self) -> None:
        """Forget everything a technician saw or started (not the PIN lock-out)."""
        if self._technician_in:
            self._technician_in = False
            self._audit_later("technician.logout", {"reason": self._leaving})
        self._leaving = "idle"
        self._generation += 1
        if self._tests is not None:
            self._tests.wipe()
        self._gate.wipe()
        self._tab = Tab.DEVICES
        self._ports, self._ports_loaded, self._ports_loading = [], False, False
        self._usb_printers = []
        self._journal, self._journal_loading = [], False
        self._notice, self._notice_ok = DeferredText(""), True
        for signal in (self.tabChanged, self.devicesChanged, self.portsChanged,
                       self.usbPrintersChanged,
                       self.journalChanged, self.noticeChanged, self.portsLoadingChanged,
                       self.journalLoadingChanged):
            signal.emit()

    @Slot(str)
    def runTest(self, name: str) -> None:
        """Start ``name``'s self-test; the row shows "running" until its result arrives."""
        manager = self._manager
        if manager is None or self._tests is None or name not in self._statuses \
                or not manager.enabled(name):
            return
        self._tests.run(name)

    @Slot(str)
    def resetDevice(self, name: str) -> None:
        """Close and reopen one device (a technician's "turn it off and on again")."""
        if self._manager is not None and self._manager.enabled(name):
            log.info("technician reset of %s", name)
            self._manager.reset(name)
            self._audit_later("device.reset", {"device": name})

    @Slot()
    def refreshPorts(self) -> None:
        """Discover ports, USB devices and USB printers again (on the worker: sysfs and the
        USB bus are never read on the GUI thread)."""
        if self._ports_loading:
            return
        self._ports_loading = True
        self.portsLoadingChanged.emit()
        generation, printer_url = self._generation, self._config.printer.url

        def job() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            from kiosk.devices.discovery import discovery_report

            report = discovery_report(printer_url)
            return dt.port_rows(report), dt.usb_printer_rows(report)

        self._runner.submit(job, lambda rows: self._ports_arrived(generation, rows),
                            lambda exc: self._ports_arrived(generation, exc))

    @Slot()
    def refreshJournal(self) -> None:
        if self._journal_loading:
            return
        self._journal_loading = True
        self.journalLoadingChanged.emit()
        generation, journal = self._generation, self._journal_repo
        timezone = self._timezone

        def job() -> list[dict[str, Any]]:
            return [dt.journal_row(e, timezone) for e in journal.recent_entries(JOURNAL_ROWS)]

        self._runner.submit(job, lambda rows: self._journal_arrived(generation, rows),
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
        trail = self._audit

        def job() -> tuple[str, int, str]:
            token = tokens.get(ref)
            if token is None:
                raise KioskError(f"token {ref} is not in the database")
            detail: dict[str, Any] = {"job": job_id, "token": token.number}
            try:
                result = printer.print_token(token, token.lang)  # type: ignore[attr-defined]
            except Exception as exc:
                trail.record("token.slip_reprinted", {**detail, "ok": False,
                                                      "error": type(exc).__name__})
                raise
            trail.record("token.slip_reprinted", {**detail, "ok": True,
                                                  "new_job": int(result.job_id),
                                                  "state": str(result.state)})
            return token.number, int(result.job_id), str(result.state)

        self._runner.submit(job, lambda r: self._reprinted(generation, r),
                            lambda exc: self._reprinted(generation, exc))

    @Slot()
    def networkChanged(self) -> None:
        """The sync worker reported: re-read the counts if a technician is looking."""
        if self._session.property("screen") == Screen.DIAGNOSTICS:
            self._refresh_sync()

    def note_start(self) -> None:
        """At start (on the worker): ``config.changed`` when the configuration differs from
        the last start's (:meth:`kiosk.tech_audit.KioskAudit.note_config`)."""
        trail, config = self._audit, self._config
        self._runner.submit(lambda: trail.note_config(config), lambda _id: None,
                            lambda exc: log.error("audit trail: configuration not recorded: %s",
                                                  type(exc).__name__))

    def shutdown(self) -> None:
        """Stop timers, cancel a capture, wait for workers and stop listening (app quit)."""
        if self._technician_in:
            self._technician_in = False
            self._audit_later("technician.logout", {"reason": "shutdown"})
        self._generation += 1
        self._gate.shutdown()
        if self._tests is not None:
            self._tests.wipe()
        self._runner.shutdown()
        if self._bridge is not None:
            self._bridge.detach()

    # ----------------------------------------------------------------- internals
    def _open(self) -> None:
        """The PIN was right: the devices tab, fresh states, the journal and the sync line."""
        self._technician_in, self._leaving = True, "idle"
        self._tab = Tab.DEVICES
        self.tabChanged.emit()
        self._session.show_screen(Screen.DIAGNOSTICS)
        if self._manager is not None:
            self._manager.poll_now()
        self.refreshJournal()
        self.refreshPorts()  # the devices tab lists the USB printers found
        self._refresh_sync()

    def _audit_later(self, action: str, detail: dict[str, Any]) -> None:
        """Append to the kiosk's trail on the worker (the GUI thread runs no SQL)."""
        trail = self._audit
        self._runner.submit(lambda: trail.record(action, detail), lambda _id: None,
                            lambda exc: log.error("audit trail: %s not recorded: %s", action,
                                                  type(exc).__name__))

    def _test_finished(self, name: str, ok: bool) -> None:
        self._audit_later("device.self_test", {"device": name, "ok": ok})

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
                            lambda exc: log.warning("sync status: %s", dt.reason(exc)))

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
            log.error("port discovery failed: %s", dt.reason(rows))
            self._ports = [{"line": dt.reason(rows), "known": False, "header": False}]
        else:
            assert isinstance(rows, tuple)
            self._ports, printers = rows
            self._ports_loaded = True
            if printers != self._usb_printers:
                self._usb_printers = printers
                self.usbPrintersChanged.emit()
        self.portsChanged.emit()

    def _journal_arrived(self, generation: int, rows: object) -> None:
        if generation != self._generation:
            return
        self._journal_loading = False
        self.journalLoadingChanged.emit()
        if isinstance(rows, BaseException):
            log.error("reading the print journal failed: %s", dt.reason(rows))
            return
        assert isinstance(rows, list)
        if rows != self._journal:
            self._journal = rows
            self.journalChanged.emit()

    def _reprinted(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        if isinstance(result, BaseException):
            self._notice = DeferredText(N_("Reprint failed: {reason}"),
                                        {"reason": dt.reason(result)})
            self._notice_ok = False
        else:
            assert isinstance(result, tuple)
            number, job, state = result
            self._notice = DeferredText(N_("Token {number} reprinted (job {job}, {state})."),
                                        {"number": number, "job": job, "state": state})
            self._notice_ok = True
        self.noticeChanged.emit()
        self.refreshJournal()

    @Slot()
    def _relabel(self) -> None:
        for signal in (self.devicesChanged, self.journalChanged, self.syncChanged,
                       self.noticeChanged):
            signal.emit()


__all__ = ["DiagnosticsViewModel", "LOCK_SECONDS", "MAX_ATTEMPTS", "SECRET_TAPS", "SyncState",
           "Tab"]
