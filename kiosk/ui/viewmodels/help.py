"""The citizen's "call staff" button: the counters are told, the citizen is told someone comes.

The request goes to the centre service (``POST /v1/help`` → a ``help.requested`` event every
counter shows) on a worker, through the kiosk's enrolled centre client. When the centre cannot
be reached the citizen is told to walk to a counter instead — never left waiting for someone
who was not called. The state is the citizen's: a new session starts without it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.i18n import N_, translate
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

MSG_ASKING = N_("Telling the counters…")
MSG_COMING = N_("Someone from the staff is coming to help you. Please stay here.")
MSG_UNREACHABLE = N_("The counters could not be told just now. Please go to any counter for "
                     "help.")
_TEXTS = {"asking": MSG_ASKING, "coming": MSG_COMING, "unreachable": MSG_UNREACHABLE}


class HelpViewModel(QObject):
    changed = Signal()

    def __init__(self, session: SessionViewModel,
                 issuer: Callable[[], Any | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._issuer = issuer
        self._state = ""
        self._generation = 0
        self.runner = BackgroundRunner(self)
        session.sessionReset.connect(self.wipe)
        session.languageChanged.connect(self.changed.emit)

    def _text(self, lang: str) -> str:
        msgid = _TEXTS.get(self._state)
        return translate(msgid, lang) if msgid else ""

    state = qproperty(str, lambda self: self._state, notify=changed)
    text = qproperty(str, lambda self: self._text(str(self._session.property("language"))),
                     notify=changed)
    textOther = qproperty(str, lambda self: self._text(other_language(
        str(self._session.property("language")))), notify=changed)

    def _set(self, state: str) -> None:
        self._state = state
        self.changed.emit()

    @Slot()
    def callStaff(self) -> None:
        if self._state == "asking":
            return
        issuer = self._issuer()
        if issuer is None:
            self._set("unreachable")
            return
        self._set("asking")
        generation = self._generation
        screen = str(self._session.property("screen"))

        def job() -> Any:
            return issuer.call(lambda client: client.request_help(screen))

        def done(_answer: Any) -> None:
            if generation == self._generation:
                self._set("coming")

        def failed(exc: BaseException) -> None:
            log.warning("call staff: the centre was not told: %s", type(exc).__name__)
            if generation == self._generation:
                self._set("unreachable")

        self.runner.submit(job, done, failed)

    @Slot()
    def dismiss(self) -> None:
        self._set("")

    def wipe(self) -> None:
        self._generation += 1
        self._set("")

    def shutdown(self) -> None:
        self._generation += 1
        self.runner.shutdown()
