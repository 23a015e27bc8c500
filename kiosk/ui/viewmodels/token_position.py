"""The live queue position of the token on screen (people ahead, wait range, "go to counter").

While the token screen shows a token issued through the centre, this view-model asks the centre
service for that token every ``POLL_MS`` on a worker thread (the GUI thread never waits on the
network) and words the answer with :mod:`kiosk.issuing.wording`, exactly as the slip does. A
token issued from the lease, or a centre that stops answering, is shown as "not known" rather
than with a figure that would go stale. It reads the token from the session and never changes
the session: the citizen's journey stays the session's alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_number
from kiosk.issuing.issuer import token_from_centre
from kiosk.issuing.wording import ahead_phrase, note_phrase, wait_phrase
from kiosk.queue import Token
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import wait_text
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

POLL_MS = 2000

MSG_CALLED = N_("Your number is being called. Please go to counter {counter} now.")
MSG_DONE = N_("Your turn has come.")


class PositionSource(Protocol):
    """What the view-model asks (:class:`kiosk.issuing.issuer.CentreIssuer`)."""

    def position_json(self, token_id: str) -> dict[str, Any] | None: ...


class _Session(Protocol):
    """The session: the language (the token itself lives in its queue view-model)."""

    languageChanged: Any

    def property(self, name: str) -> Any: ...


class _Queue(Protocol):
    """The session's queue view-model: the token on screen."""

    tokenChanged: Any

    @property
    def token(self) -> Token | None: ...


class TokenPositionViewModel(QObject):
    """``TokenPosition`` in QML (a Kiosk singleton): the token screen's wait facts, kept live."""

    changed = Signal()

    def __init__(self, session: _Session, queue: _Queue,
                 source: Callable[[], PositionSource | None], *,
                 poll_ms: int = POLL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._queue = queue
        self._source = source
        self._runner = BackgroundRunner(self)
        self._token: Token | None = None
        self._state = ""
        self._counter = ""
        self._live = False
        self._in_flight = False
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setInterval(max(200, poll_ms))
        self._timer.timeout.connect(self._poll)
        queue.tokenChanged.connect(self._token_changed)
        session.languageChanged.connect(self.changed)

    # -- properties -----------------------------------------------------------------------------

    def _lang(self) -> str:
        return str(self._session.property("language") or "hi")

    def _get_active(self) -> bool:
        return self._token is not None and self._token.estimate != "local"

    def _get_live(self) -> bool:
        return self._live

    def _get_people_ahead(self) -> str:
        t = self._token
        if t is None:
            return ""
        if t.estimate == "local":
            return format_number(t.people_ahead, self._lang())
        return ahead_phrase(t, self._lang())

    def _get_wait(self) -> str:
        t = self._token
        if t is None:
            return ""
        if self._state in ("called", "serving", "served"):
            return translate(MSG_DONE, self._lang())  # no wait left to estimate
        return wait_phrase(t, self._lang()) or wait_text(t.wait_minutes, self._lang())

    def _get_note(self) -> str:
        lang = self._lang()
        if self._state == "called" and self._counter:
            return translate(MSG_CALLED, lang).format(counter=self._counter)
        return (note_phrase(self._token, lang) or "") if self._token is not None else ""

    def _get_state(self) -> str:
        return self._state

    def _get_counter(self) -> str:
        return self._counter

    active = qproperty(bool, _get_active, notify=changed)
    live = qproperty(bool, _get_live, notify=changed)
    peopleAhead = qproperty(str, _get_people_ahead, notify=changed)
    waitText = qproperty(str, _get_wait, notify=changed)
    note = qproperty(str, _get_note, notify=changed)
    state = qproperty(str, _get_state, notify=changed)
    counter = qproperty(str, _get_counter, notify=changed)

    @property
    def token(self) -> Token | None:
        return self._token

    # -- behaviour ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the centre now (tests; the timer does it every ``POLL_MS``)."""
        self._poll()

    def shutdown(self) -> None:
        self._generation += 1
        self._timer.stop()
        self._runner.shutdown()

    def _token_changed(self) -> None:
        token = self._queue.token
        if token is not None and self._token is not None and token.id == self._token.id:
            if self._live and token.estimate == "offline":
                return  # a reprint of the stored copy must not hide the live figure
        self._generation += 1
        self._token = token
        self._state, self._counter, self._live = "", "", False
        if token is not None and token.estimate != "local":
            self._timer.start()
            self._poll()
        else:
            self._timer.stop()
        self.changed.emit()

    def _poll(self) -> None:
        token, source = self._token, self._source()
        if token is None or source is None or self._in_flight:
            return
        self._in_flight = True
        generation, token_id, lang = self._generation, token.id, token.lang

        def job() -> tuple[Token | None, dict[str, Any] | None]:
            data = source.position_json(token_id)
            return (token_from_centre(data, lang) if data is not None else None), data

        self._runner.submit(job, lambda result: self._answered(generation, result),
                            lambda exc: self._failed(generation, exc))

    def _answered(self, generation: int,
                  result: tuple[Token | None, dict[str, Any] | None]) -> None:
        self._in_flight = False
        if generation != self._generation:
            return
        live, data = result
        if live is None or data is None:
            if self._live:
                self._live = False
                self.changed.emit()
            return
        self._token, self._live = live, True
        self._state = str(data.get("state") or "")
        self._counter = str(data.get("counter") or "")
        if self._state in ("served", "no_show", "transferred"):
            self._timer.stop()
        self.changed.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        self._in_flight = False
        if generation == self._generation:
            log.info("live position not available: %s", exc)
