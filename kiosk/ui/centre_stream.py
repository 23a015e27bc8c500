"""What the counter's and the board's links to the centre share: holding the event stream.

Why a plain mixin and not a QObject base class: the links' signals and properties are what QML
and the generated ``.qmltypes`` see, and each link keeps declaring its own, so its meta-object
stays exactly what it was. What is shared is the plumbing under them — the fields every link
keeps, the :class:`~kiosk.centre.client.EventSubscriber` started once and swapped out under a
lock (its thread reads the attribute while :meth:`close` drops it), the queued signals that
carry its events and up/down changes to the GUI thread, and the order :meth:`close` tears
things down in: timers, the stream, the workers, then the owner's closers.

A link using it is a ``QObject`` that declares ``_eventPosted = Signal(object)`` and
``_streamPosted = Signal(bool)``, calls :meth:`_init_stream` from its ``__init__``, and
implements ``_deliver_event``, ``_stream_state``, ``_timers`` and ``_runners``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer

from kiosk.ui.workers import BackgroundRunner


class CentreStreamMixin:
    """The event-stream half of a centre link (see the module docstring for the contract)."""

    _eventPosted: Any  # Signal(object), declared on the QObject subclass
    _streamPosted: Any  # Signal(bool)

    def _init_stream(self, client: Any, enrol: Callable[[Any], None] | None,
                     subscriber_factory: Callable[..., Any] | None,
                     on_close: list[Callable[[], None]] | None) -> None:
        """The fields every link keeps, and the queued hops from the stream's thread."""
        self._client = client
        self._enrol = enrol
        self._subscriber_factory = subscriber_factory
        self._subscriber: Any = None
        self._on_close = list(on_close or [])
        self._state = "connecting"
        self._last_event_id = 0
        self._refreshing = False
        self._closed = False
        self._lock = threading.Lock()
        self._eventPosted.connect(self._deliver_event, Qt.ConnectionType.QueuedConnection)
        self._streamPosted.connect(self._stream_state, Qt.ConnectionType.QueuedConnection)

    def _deliver_event(self, event: object) -> None:
        """One event of the stream, on the GUI thread."""
        raise NotImplementedError

    def _stream_state(self, up: bool) -> None:
        """The stream connected (``True``) or dropped, on the GUI thread."""
        raise NotImplementedError

    def _timers(self) -> Sequence[QTimer]:
        """The link's timers, stopped first on close."""
        raise NotImplementedError

    def _runners(self) -> Sequence[BackgroundRunner]:
        """The link's workers, joined once the stream is closed."""
        raise NotImplementedError

    def _ensure_subscriber(self) -> None:
        """Follow the stream from the last event known (once; a factory-less link never does)."""
        if self._subscriber is not None or self._subscriber_factory is None or self._closed:
            return
        subscriber = self._subscriber_factory(self._eventPosted.emit, self._last_event_id,
                                              self._streamPosted.emit)
        with self._lock:
            self._subscriber = subscriber
        subscriber.start()

    def close(self) -> None:
        """Stop the timers and the stream, wait for calls in flight (safe twice)."""
        if self._closed:
            return
        self._closed = True
        for timer in self._timers():
            timer.stop()
        with self._lock:
            subscriber, self._subscriber = self._subscriber, None
        if subscriber is not None:
            subscriber.close()
        for runner in self._runners():
            runner.shutdown()
        for closer in self._on_close:
            closer()


__all__ = ["CentreStreamMixin"]
