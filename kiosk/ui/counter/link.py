"""The counter's link to the centre service: enrolment, health, the queue snapshot, events.

Why one object owns the client and the event stream: every panel of the console needs the
same facts (is the centre there, is the state backend there, what is the queue now), and the
console holds no queue state of its own — it follows the centre's stream. Every HTTP call runs
on a worker (:class:`~kiosk.ui.workers.BackgroundRunner`); events arrive on the subscriber's
thread and reach the GUI thread only through a queued signal, so nothing on the GUI thread
ever waits on the network.

Two runners on purpose: operator actions (log-in, call next) must never queue behind a health
poll that is waiting out a timeout on a dead link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.ui.centre_stream import CentreStreamMixin
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

HEALTH_INTERVAL_MS = 5000
#: Coalesce a burst of events (a kiosk issuing five tokens) into one snapshot refresh.
REFRESH_DEBOUNCE_MS = 300


class CentreLink(QObject, CentreStreamMixin):
    """``state``: connecting | online | offline; ``backendState``: online | offline | unknown.

    Signals for the other view-models (GUI thread): ``snapshotArrived(dict)`` with the
    centre's queue snapshot, ``eventArrived(dict)`` for each event of the stream.
    """

    changed = Signal()
    snapshotArrived = Signal(dict)
    eventArrived = Signal(dict)
    _eventPosted = Signal(object)
    _streamPosted = Signal(bool)

    def __init__(self, client: Any, *, enrol: Callable[[Any], None] | None = None,
                 subscriber_factory: Callable[..., Any] | None = None,
                 health_interval_ms: int = HEALTH_INTERVAL_MS,
                 on_close: list[Callable[[], None]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._init_stream(client, enrol, subscriber_factory, on_close)
        self._enrolled = enrol is None
        self._stream_up = False
        self._backend: dict[str, Any] = {}
        self._snapshot: dict[str, Any] = {}
        self._polling = False
        self._refresh_again = False
        self.actions = BackgroundRunner(self)
        self._poller = BackgroundRunner(self)
        self._health_timer = QTimer(self)
        self._health_timer.setInterval(health_interval_ms)
        self._health_timer.timeout.connect(self.poll)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)

    @property
    def client(self) -> Any:
        return self._client

    @property
    def snapshot(self) -> dict[str, Any]:
        return self._snapshot

    def submit_poll(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                    on_error: Callable[[BaseException], None]) -> None:
        """A read (figures, a look-up) on the polling worker, never ahead of an action."""
        if not self._closed:
            self._poller.submit(fn, on_done, on_error)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Enrol if needed, read health and the snapshot, then follow the event stream."""
        if self._closed:
            return
        self._health_timer.start()
        self.poll()

    def _timers(self) -> Sequence[QTimer]:
        return (self._health_timer, self._refresh_timer)

    def _runners(self) -> Sequence[BackgroundRunner]:
        return (self.actions, self._poller)

    # ------------------------------------------------------------------ health
    @Slot()
    def poll(self) -> None:
        """One health check off the GUI thread (enrolling first until that worked)."""
        if self._closed or self._polling:
            return
        self._polling = True
        client, enrol, enrolled = self._client, self._enrol, self._enrolled

        def job() -> dict[str, Any]:
            if not enrolled and enrol is not None:
                enrol(client)
            return dict(client.health())

        self._poller.submit(job, self._health_arrived, self._health_failed)

    def _health_arrived(self, health: dict[str, Any]) -> None:
        self._polling = False
        if self._closed:
            return
        first = not self._enrolled or self._state != "online"
        self._enrolled = True
        backend = health.get("state_backend")
        self._backend = dict(backend) if isinstance(backend, dict) else {}
        self._set_state("online")
        if first or not self._snapshot:
            self.refresh()
        elif int(health.get("last_event_id") or 0) > self._last_event_id and \
                self._subscriber is None:
            self.refresh()

    def _health_failed(self, exc: BaseException) -> None:
        self._polling = False
        if self._closed:
            return
        log.info("centre service health check failed: %s", getattr(exc, "detail", exc))
        self._set_state("offline")

    def _set_state(self, state: str) -> None:
        if state != self._state:
            log.info("centre link %s → %s", self._state, state)
            self._state = state
        self.changed.emit()

    # ------------------------------------------------------------------ snapshot
    @Slot()
    def refresh(self) -> None:
        """Read the queue snapshot off the GUI thread (one at a time, the last one wins)."""
        if self._closed:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        client = self._client
        self._poller.submit(lambda: dict(client.queue()), self._snapshot_arrived,
                            self._snapshot_failed)

    def refresh_soon(self) -> None:
        """Refresh after a short pause, so a burst of events costs one snapshot."""
        if not self._closed:
            self._refresh_timer.start()

    def _snapshot_arrived(self, snapshot: dict[str, Any]) -> None:
        self._refreshing = False
        if self._closed:
            return
        self._snapshot = snapshot
        self._last_event_id = max(self._last_event_id, int(snapshot.get("last_event_id") or 0))
        self._ensure_subscriber()
        self.snapshotArrived.emit(snapshot)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _snapshot_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        if self._closed:
            return
        log.info("queue snapshot failed: %s", getattr(exc, "detail", exc))
        self._refresh_again = False

    # ------------------------------------------------------------------ events
    @Slot(object)
    def _deliver_event(self, event: object) -> None:
        if self._closed or not isinstance(event, dict):
            return
        event_id = int(event.get("id") or 0)
        if event.get("type") == "snapshot":
            data = event.get("snapshot")
            self._snapshot_arrived_from_stream(data if isinstance(data, dict) else {})
            return
        if event_id and event_id <= self._last_event_id:
            return  # already in the snapshot we hold
        self._last_event_id = max(self._last_event_id, event_id)
        if self._state != "online":
            self._set_state("online")
        self.eventArrived.emit(event)
        self.refresh_soon()

    def _snapshot_arrived_from_stream(self, data: dict[str, Any]) -> None:
        if "groups" in data:
            self._snapshot = data
            self._last_event_id = max(self._last_event_id, int(data.get("last_event_id") or 0))
            self.snapshotArrived.emit(data)
        else:
            self.refresh()

    @Slot(bool)
    def _stream_state(self, up: bool) -> None:
        """The event stream connected or dropped (its thread reconnects on its own)."""
        if self._closed:
            return
        was, self._stream_up = self._stream_up, up
        if up and not was:
            self._set_state("online")
            self.refresh_soon()  # whatever happened while it was down
        elif not up and was:
            self.poll()  # is the centre gone, or only the stream?

    # ------------------------------------------------------------------ QML
    def _get_state(self) -> str:
        return self._state

    def _get_backend_state(self) -> str:
        if self._state != "online" or "online" not in self._backend:
            return "unknown"
        return "online" if self._backend.get("online") else "offline"

    def _get_backend_pending(self) -> int:
        return int(self._backend.get("pending") or 0)

    def _get_last_event_id(self) -> int:
        return self._last_event_id

    state = Property(str, _get_state, notify=changed)
    backendState = Property(str, _get_backend_state, notify=changed)
    backendPending = Property(int, _get_backend_pending, notify=changed)
    lastEventId = Property(int, _get_last_event_id, notify=changed)


__all__ = ["CentreLink"]
