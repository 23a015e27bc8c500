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
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.ui.centre_stream import CentreStreamMixin
from kiosk.ui.qt_property import qproperty
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

RETRY_MS = 2000
#: A burst of events costs one snapshot re-read (the wait estimates come only with it).
REFRESH_DEBOUNCE_MS = 1000


class BoardLink(QObject, CentreStreamMixin):
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
        self._init_stream(client, enrol, subscriber_factory, on_close)
        self._calls = calls
        self._loaded = False
        self._loading = False
        self._runner = BackgroundRunner(self)
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

    def _timers(self) -> Sequence[QTimer]:
        return (self._retry, self._refresh)

    def _runners(self) -> Sequence[BackgroundRunner]:
        return (self._runner,)

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

    @Slot(object)
    def _deliver_event(self, event: object) -> None:
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
