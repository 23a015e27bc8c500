"""Running slow core calls (token commit with fsync, printing) off the GUI thread.

One pool with a single thread: a token must be on disk before its slip prints, and two slips
must come out in the order they were asked for, so jobs are serialised. Results come back as
queued Qt signals, so callbacks always run on the GUI thread where the view-model lives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _JobSignals(QObject):
    """QRunnable is not a QObject, so its results travel through this carrier."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _JobSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
            self._signals.failed.emit(exc)
        else:
            self._signals.succeeded.emit(result)


class _Pending(QObject):
    """Keeps one job's callbacks alive until its result has been delivered once."""

    def __init__(self, runner: BackgroundRunner, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None]) -> None:
        super().__init__(runner)
        self._runner = runner
        self._on_done = on_done
        self._on_error = on_error
        self.signals = _JobSignals(self)
        self.signals.succeeded.connect(self._succeeded)
        self.signals.failed.connect(self._failed)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._runner._finish(self)
        self._on_done(result)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        self._runner._finish(self)
        assert isinstance(exc, BaseException)
        self._on_error(exc)


class BackgroundRunner(QObject):
    """Submit a callable; get ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""

    busyChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: list[_Pending] = []

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        pending = _Pending(self, on_done, on_error)
        self._pending.append(pending)
        self._pool.start(_Job(fn, pending.signals))
        self.busyChanged.emit()

    def _finish(self, pending: _Pending) -> None:
        if pending in self._pending:
            self._pending.remove(pending)
        pending.deleteLater()
        self.busyChanged.emit()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Wait for running jobs and stop the pool's threads (True if all finished in time).

        Called on quit and by tests: a half-written token must finish its commit, and no
        thread may outlive the window.
        """
        done = self._pool.waitForDone(timeout_ms)
        if not done:
            log.error("background jobs still running after %d ms at shutdown", timeout_ms)
        # Deliver results already queued for us now, while their receivers still exist.
        QCoreApplication.sendPostedEvents()
        return bool(done)
