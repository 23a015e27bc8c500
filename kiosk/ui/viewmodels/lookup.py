"""The two look-up screens, status (``lookup.status``) and verify (``lookup.verify``).

This object only routes: a scanned code goes to the screen that is up, leaving a screen or a
session reset wipes what it showed (privacy: nothing survives the citizen), and an
acknowledgement scanned on the verify screen opens its status. The screens' state lives in
:mod:`.status` and :mod:`.verify`; they share one worker, so a reprint never races a read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Slot

from kiosk.applications import ApplicationService
from kiosk.config import Config
from kiosk.store import Store
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.states import Screen
from kiosk.ui.viewmodels.status import StatusViewModel
from kiosk.ui.viewmodels.verify import VerifyViewModel
from kiosk.ui.workers import BackgroundRunner


class LookupViewModel(QObject):
    """The status and verify screens (context property ``lookup``)."""

    def __init__(self, session: SessionViewModel, config: Config, store: Store,
                 applications: ApplicationService, printer: Any | None, scans: ScanRouter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        #: Local reads, verification and printing: one thread, so a reprint never races a read.
        self._runner = BackgroundRunner(self)
        self._status = StatusViewModel(session, config, applications, printer, self._runner,
                                       self)
        self._verify = VerifyViewModel(session, config, applications, self._runner,
                                       open_status=self._open_status, parent=self)
        scans.scanned.connect(self._on_scanned)
        session.sessionReset.connect(self.clear)
        session.screenChanged.connect(self._on_screen)

    status = Property(QObject, lambda self: self._status, constant=True)
    verify = Property(QObject, lambda self: self._verify, constant=True)

    def _screen(self) -> str:
        return str(self._session.property("screen"))

    @Slot()
    def clear(self) -> None:
        """Forget everything shown on both screens (session reset)."""
        self._status.clearStatus()
        self._verify.clearVerify()

    def _on_screen(self) -> None:
        screen = self._screen()
        if screen != Screen.STATUS and not self._status.idle:
            self._status.clearStatus()
        if screen != Screen.VERIFY and not self._verify.idle:
            self._verify.clearVerify()

    @Slot(str)
    def _on_scanned(self, text: str) -> None:
        screen = self._screen()
        if screen == Screen.STATUS:
            self._status.search(text)
        elif screen == Screen.VERIFY:
            self._verify.verify(text)

    def _open_status(self, number: str) -> None:
        self._session.openService(Screen.STATUS.value)
        self._status.search(number)

    def shutdown(self) -> None:
        """Wait for a look-up, a verification or a reprint in flight (app quit, tests)."""
        self._status.shutdown()
        self._runner.shutdown()


__all__ = ["LookupViewModel"]
