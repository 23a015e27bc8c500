"""The board's link to the centre service: enrol, the start answer, the event stream.

Why nothing here runs on the GUI thread: a hall TV must keep animating and showing the last
state while the LAN is down. Enrolment and every HTTP read run on a
:class:`~kiosk.ui.workers.BackgroundRunner` worker; the event stream is an
:class:`~kiosk.centre.client.EventSubscriber` on its own thread, which reconnects by itself
and resumes with ``Last-Event-ID`` — so a centre restart costs the board no call. Its events
and up/down changes reach the GUI thread only through queued signals.

``state``: ``connecting`` (never reached yet), ``online``, ``lost`` (was reached; the board
keeps showing what it knew and marks it discreetly).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kiosk.ui.qt_property import qproperty
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

RETRY_MS = 2000
#: A burst of events costs one snapshot re-read (the wait estimates come only with it).
REFRESH_DEBOUNCE_MS = 1000


class BoardLink(QObject):
    """Signals on the GUI thread: ``boardArrived(dict)`` (the start answer),
    ``snapshotArrived(dict)`` (a later re-read), ``eventArrived(dict)`` (each event, in order)."""

    changed = Signal()
    boardArrived = Signal(dict)
    snapshotArrived = Signal(dict)
    eventArrived = Signal(dict)
    _eventPosted = Signal(object)
    _streamPosted = Signal(bool)

    def __init__(self, client: Any, *, enrol: Callable[[Any], None] | None = None,
                 subscriber_factory: Callable[..., Any] | None = None, calls: int = 8,
                 retry_ms: int = RETRY_MS, on_close: list[Callable[[], None]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._enrol = enrol
        self._subscriber_factory = subscriber_factory
        self._subscriber: Any = None
        self._calls = calls
        self._on_close = list(on_close or [])
        self._state = "connecting"
        self._last_event_id = 0
        self._loaded = False
        self._loading = False
        self._refreshing = False
        self._closed = False
        self._lock = threading.Lock()
        self._runner = BackgroundRunner(self)
        self._eventPosted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._streamPosted.connect(self._stream_state, Qt.ConnectionType.QueuedConnection)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.load)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh.timeout.connect(self._refresh_now)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        self.load()

    def close(self) -> None:
        """Stop the timers and the stream, wait for a read in flight (safe twice)."""
        if self._closed:
            return
        self._closed = True
        self._retry.stop()
        self._refresh.stop()
        with self._lock:
            subscriber, self._subscriber = self._subscriber, None
        if subscriber is not None:
            subscriber.close()
        self._runner.shutdown()
        for closer in self._on_close:
            closer()

    # -- the start answer -----------------------------------------------------------------------

    @Slot()
    def load(self) -> None:
        """Enrol (until that worked once) and read ``/v1/board``, off the GUI thread."""
        if self._closed or self._loading:
            return
        self._loading = True
        client, enrol, calls = self._client, self._enrol, self._calls

        def job() -> dict[str, Any]:
            if enrol is not None:
                enrol(client)
            return dict(client.board(calls))

        self._runner.submit(job, self._loaded_board, self._load_failed)

    def _loaded_board(self, board: dict[str, Any]) -> None:
        self._loading = False
        if self._closed:
            return
        self._enrol = None
        self._loaded = True
        snap = board.get("snapshot") if isinstance(board.get("snapshot"), dict) else {}
        assert isinstance(snap, dict)
        self._last_event_id = int(snap.get("last_event_id") or 0)
        self.boardArrived.emit(board)
        self._set_state("online")
        self._ensure_subscriber()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        if self._closed:
            return
        log.info("board: centre not reached (%s); retrying", getattr(exc, "detail", exc))
        self._set_state("lost")  # the board shows what it knew (or waits) and marks it
        self._retry.start()

    # -- events ---------------------------------------------------------------------------------

    def _ensure_subscriber(self) -> None:
        if self._subscriber is not None or self._subscriber_factory is None or self._closed:
            return
        subscriber = self._subscriber_factory(self._eventPosted.emit, self._last_event_id,
                                              self._streamPosted.emit)
        with self._lock:
            self._subscriber = subscriber
        subscriber.start()

    @Slot(object)
    def _deliver(self, event: object) -> None:
        if self._closed or not isinstance(event, dict):
            return
        self._last_event_id = max(self._last_event_id, int(event.get("id") or 0))
        self.eventArrived.emit(event)
        if event.get("type") != "snapshot":
            self._refresh.start()

    @Slot(bool)
    def _stream_state(self, up: bool) -> None:
        """The stream connected or dropped; its thread reconnects on its own."""
        if self._closed:
            return
        if up:
            self._set_state("online")
            self._refresh.start()  # the wait estimates of whatever happened meanwhile
        elif self._state == "online":
            self._set_state("lost")

    def _refresh_now(self) -> None:
        if self._closed or self._refreshing:
            return
        self._refreshing = True
        client = self._client
        self._runner.submit(lambda: dict(client.queue()), self._refreshed, self._refresh_failed)

    def _refreshed(self, snap: dict[str, Any]) -> None:
        self._refreshing = False
        if not self._closed:
            self.snapshotArrived.emit(snap)

    def _refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        log.info("board: snapshot re-read failed (%s)", getattr(exc, "detail", exc))

    def _set_state(self, state: str) -> None:
        if state != self._state:
            log.info("board link %s → %s", self._state, state)
            self._state = state
            self.changed.emit()

    # -- QML ------------------------------------------------------------------------------------

    def _get_state(self) -> str:
        return self._state

    def _get_lost(self) -> bool:
        return self._state == "lost"

    def _get_last_event_id(self) -> int:
        return self._last_event_id

    state = qproperty(str, _get_state, notify=changed)
    lost = qproperty(bool, _get_lost, notify=changed)
    lastEventId = qproperty(int, _get_last_event_id, notify=changed)


__all__ = ["BoardLink"]
