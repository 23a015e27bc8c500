"""The online/offline indicator: sync status for QML, never the network itself.

The sync worker reports on its own thread; a private signal carries each snapshot to the GUI
thread (Qt queues a cross-thread emit), so QML only ever reads plain properties here. Nothing a
citizen does waits on this: it is information for the person standing at the kiosk and for the
operator walking past.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.sync.status import SyncStatus
from kiosk.ui.qt_property import qproperty

if TYPE_CHECKING:
    from kiosk.sync.runtime import SyncRuntime

log = logging.getLogger(__name__)


class BadgeState(StrEnum):
    """What the badge shows (``network.state``)."""

    UNKNOWN = "unknown"
    AUTH = "auth"          # the backend refused the kiosk's credential
    ONLINE = "online"
    OFFLINE = "offline"


class SyncViewModel(QObject):
    """Exposes ``available``, ``state`` (online/offline/auth/unknown), ``waiting``, ``text``.

    QML reaches it as the ``Network`` singleton of the ``Kiosk`` module (``import Kiosk``).
    """

    changed = Signal()
    _arrived = Signal(object)

    def __init__(self, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._wake: Callable[[], None] | None = None  # set by attach()
        self._status: SyncStatus | None = None
        self._arrived.connect(self._apply)

    def attach(self, runtime: SyncRuntime) -> None:
        """Follow ``runtime`` from now on. Thread-safe: the kiosk starts sync on a background
        thread after the first frame, so the attract screen never waits for it."""
        self._wake = runtime.wake
        runtime.add_listener(self.report)
        self.report(runtime.status())

    def report(self, status: SyncStatus) -> None:
        """Thread-safe: the sync worker's listener calls this."""
        self._arrived.emit(status)

    @Slot(object)
    def _apply(self, status: object) -> None:
        if isinstance(status, SyncStatus):
            self._status = status
            self.changed.emit()

    @Slot()
    def wake(self) -> None:
        """Something new is in the outbox: ask the worker to try now (returns at once)."""
        if self._wake is not None:
            self._wake()

    @Slot()
    def languageSwitched(self) -> None:
        self.changed.emit()

    def _get_available(self) -> bool:
        return self._status is not None

    def _get_state(self) -> str:
        s = self._status
        if s is None or s.online is None:
            return BadgeState.UNKNOWN.value
        if s.auth_failed:
            return BadgeState.AUTH.value
        return (BadgeState.ONLINE if s.online else BadgeState.OFFLINE).value

    def _get_waiting(self) -> int:
        return 0 if self._status is None else int(self._status.waiting)

    def _get_text(self) -> str:
        return "" if self._status is None else self._status.indicator(self._language())

    available = qproperty(bool, _get_available, notify=changed)
    state = qproperty(str, _get_state, notify=changed)
    waiting = qproperty(int, _get_waiting, notify=changed)
    text = qproperty(str, _get_text, notify=changed)
