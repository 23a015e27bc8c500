"""Application status look-up and certificate verification screens' state.
(Scaffold: the status/verify work fills this in.)"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from kiosk.applications import ApplicationService
from kiosk.config import Config
from kiosk.store import Store
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.session import SessionViewModel


class LookupViewModel(QObject):
    def __init__(self, session: SessionViewModel, config: Config, store: Store,
                 applications: ApplicationService, printer: Any | None, scans: ScanRouter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._store = store
        self._applications = applications
        self._printer = printer
        self._scans = scans

    def shutdown(self) -> None:
        """Stop timers and background work (called by KioskUi.close)."""
