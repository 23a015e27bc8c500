"""Citizens asking for help at a kiosk ("call staff"), shown on every counter's console.

The centre's ``help.requested`` event (kiosk/centre/service.py ``request_help``) arrives on the
event stream; the console shows the latest few (which kiosk, when) until an operator says
"Going" — on their own console: each desk decides who walks over, the centre only tells them
all. Requests older than :data:`KEEP_S` drop off by themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.i18n import N_
from kiosk.local_time import clock_text
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import both
from kiosk.ui.qt_property import qproperty

MSG_ASKS = N_("Kiosk {kiosk} asks for help ({time}).")
#: A request nobody answered for this long is dropped (the citizen has gone to a counter).
KEEP_S = 15 * 60
SHOWN = 3


class HelpCallsViewModel(QObject):
    changed = Signal()

    def __init__(self, shell: CounterShell, link: CentreLink, login: LoginViewModel,
                 timezone: str = "Asia/Kolkata", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell = shell
        self._tz = timezone
        self._login = login
        self._calls: list[dict[str, Any]] = []   # newest last: {id, kiosk, at}
        link.eventArrived.connect(self._on_event)
        shell.languageChanged.connect(self.changed)

    def _on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") != "help.requested" or self._login.session_token is None:
            return
        kiosk = str(event.get("kiosk") or "?")[:64]
        self._calls = [c for c in self._calls if c["kiosk"] != kiosk]
        self._calls.append({"id": int(event.get("id") or 0), "kiosk": kiosk,
                            "at": str(event.get("at") or datetime.now(UTC).isoformat())})
        self._calls = self._calls[-SHOWN:]
        self.changed.emit()

    def _fresh(self) -> list[dict[str, Any]]:
        now = datetime.now(UTC)
        keep = []
        for c in self._calls:
            try:
                age = (now - datetime.fromisoformat(c["at"])).total_seconds()
            except ValueError:
                age = 0.0
            if age <= KEEP_S:
                keep.append(c)
        return keep

    def _lines(self, lang: str) -> list[str]:
        return [both(MSG_ASKS, kiosk=c["kiosk"], time=clock_text(c["at"], self._tz)[:5])[lang]
                for c in reversed(self._fresh())]

    calls = qproperty(list, lambda self: self._lines(self._shell.language()), notify=changed)
    callsOther = qproperty(list, lambda self: self._lines(self._shell.other_language()),
                           notify=changed)

    @Slot()
    def going(self) -> None:
        """This operator goes: the banner clears on this console."""
        self._calls = []
        self.changed.emit()
