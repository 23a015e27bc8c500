"""The speaker button: the current screen's prompt said aloud (kiosk/speech/guide.py).

``[kiosk] spoken_guidance``: ``button`` (default: a speaker button in the top bar; nothing is
ever said unasked, so a hall of kiosks is not a chorus), ``auto`` (also said on arriving at
each screen) or ``off`` (no button). The speech worker, the engine probe and QtMultimedia load
on the first press, not at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.config import Config
from kiosk.ui.qt_property import qproperty
from kiosk.ui.viewmodels.session import SessionViewModel

log = logging.getLogger(__name__)

MODES = ("off", "button", "auto")


class GuideViewModel(QObject):
    saidChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 make_guide: Callable[[], Any] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        mode = str(config.raw["kiosk"].get("spoken_guidance", "button"))
        if mode not in MODES:
            log.warning("config: [kiosk] spoken_guidance %r is not one of %s; using 'button'",
                        mode, "/".join(MODES))
            mode = "button"
        self._mode = mode
        self._config = config
        self._make_guide = make_guide or self._default_guide
        self._guide: Any = None
        self.requests = 0          # prompts asked for (tests and the bench read it)
        if mode == "auto":
            session.screenChanged.connect(self.speak)

    def _default_guide(self) -> Any:
        from kiosk.speech.guide import Guide
        from kiosk.speech.phrases import settings_from
        from kiosk.speech.qt_sink import QtSink

        return Guide(settings_from(self._config), QtSink())

    enabled = qproperty(bool, lambda self: self._mode != "off", constant=True)

    @Slot()
    def speak(self) -> None:
        """Say what the current screen asks, in the citizen's language."""
        if self._mode == "off":
            return
        if self._guide is None:
            try:
                self._guide = self._make_guide()
            except Exception:
                log.exception("spoken guidance could not start")
                self._mode = "off"
                return
        self.requests += 1
        self._guide.say(str(self._session.property("screen")),
                        str(self._session.property("language")))

    def shutdown(self) -> None:
        if self._guide is not None:
            self._guide.close()
            self._guide = None
