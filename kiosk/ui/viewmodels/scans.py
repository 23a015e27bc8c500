"""Codes read by the QR/barcode scanner, delivered to view-models on the GUI thread.

The scanner driver calls listeners from its worker thread; a queued Qt signal hops the text to
the GUI thread. The router subscribes to whichever scanner object the device manager holds and
re-subscribes when the manager replaces it (a replug), so a view-model simply connects to
``scanned``. Scanned text may be Aadhaar QR data: it is never logged, only its length.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

log = logging.getLogger(__name__)


class ScanRouter(QObject):
    """``scanned(text)`` for every complete code; ``inject`` feeds text the same way (tests,
    screenshots, and keyboard-wedge scanners that type into the window)."""

    scanned = Signal(str)
    _posted = Signal(str)

    def __init__(self, manager: Any | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._device: Any = None
        self._remove: Callable[[], None] | None = None
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._attach)
        if manager is not None:
            self._attach()
            self._timer.start()

    def _attach(self) -> None:
        dev = self._manager.device("scanner") if self._manager is not None else None
        if dev is self._device:
            return
        self._detach()
        self._device = dev
        if dev is not None and hasattr(dev, "add_scan_listener"):
            self._remove = dev.add_scan_listener(lambda ev: self._posted.emit(str(ev.text)))

    def _detach(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None
        self._device = None

    @Slot(str)
    def inject(self, text: str) -> None:
        self._posted.emit(text)

    @Slot(str)
    def _deliver(self, text: str) -> None:
        log.info("code scanned (%d characters)", len(text))
        self.scanned.emit(text)

    def close(self) -> None:
        self._timer.stop()
        self._detach()
        self._manager = None
