"""The citizen session: which screen is up, the chosen language, the idle timeout, errors.

The session is the one piece of state that must be wiped in one go when a citizen walks away
(idle timeout): :meth:`SessionViewModel.resetSession` ends it, and every screen's view-model
(the token queue here as ``session.queue``, the wizard, the look-ups, technician mode) wipes
itself on ``sessionReset``. Screens read properties and call slots; everything slow goes
through :class:`~kiosk.ui.workers.BackgroundRunner`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.config import Config
from kiosk.documents.demo import demo_badge
from kiosk.i18n import N_, normalise_language, translate
from kiosk.queue import TokenService
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import error_messages, other_language
from kiosk.ui.viewmodels.fields import KEYBOARD_LOCALES
from kiosk.ui.viewmodels.queue import QueueViewModel, TokenPrinter
from kiosk.ui.viewmodels.states import PrintState, Screen
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

#: Where "Back" leads from each screen (the token is already issued, so back goes home).
_BACK: dict[Screen, Screen] = {
    Screen.LANGUAGE: Screen.ATTRACT,
    Screen.HOME: Screen.LANGUAGE,
    Screen.GROUPS: Screen.HOME,
    Screen.PRIORITY: Screen.GROUPS,
    Screen.TOKEN: Screen.HOME,
    Screen.TECH_PIN: Screen.ATTRACT,
    Screen.DIAGNOSTICS: Screen.ATTRACT,
    Screen.APPLY: Screen.HOME,
    Screen.STATUS: Screen.HOME,
    Screen.VERIFY: Screen.HOME,
}

#: The home screen's service tiles besides the token queue (each opens its own screen).
SERVICE_TILES: tuple[tuple[str, str], ...] = (
    ("apply", N_("Apply for a certificate")),
    ("status", N_("Application status")),
    ("verify", N_("Verify a certificate")),
)

class SessionViewModel(QObject):
    """State and actions of one citizen's visit, from the attract loop back to it."""

    screenChanged = Signal()
    languageChanged = Signal()
    idleChanged = Signal()
    busyChanged = Signal()
    errorChanged = Signal()
    easyReadChanged = Signal()
    #: Emitted after the session was wiped (idle timeout or "Done"); tests and logs use it.
    sessionReset = Signal()

    def __init__(self, config: Config, tokens: TokenService, printer: TokenPrinter | None,
                 *, apply_language: Callable[[str], None] | None = None,
                 runner: BackgroundRunner | None = None,
                 default_language: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._easy_read = False
        self._apply_language = apply_language or (lambda _lang: None)
        self._runner = runner or BackgroundRunner(self)
        self._default_lang = normalise_language(default_language or config.default_language)[0]
        self._lang = self._default_lang
        self._screen = Screen.ATTRACT
        self._error: dict[str, str] = {}
        self._busy = False
        self._idle_warning = False
        self._idle_remaining = 0

        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(max(1, config.idle_seconds) * 1000)
        self._idle_timer.timeout.connect(self._idle_expired)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._idle_tick)
        self._queue = QueueViewModel(self, config, tokens, printer, self._runner)
        self._apply_language(self._lang)

    # ----------------------------------------------------------------- properties
    def _get_centre_name(self) -> str:
        return self._config.centre_name(self._lang)

    def _get_centre_name_other(self) -> str:
        return self._config.centre_name(other_language(self._lang))

    def _get_service_tiles(self) -> list[dict[str, Any]]:
        other = other_language(self._lang)
        return [{"key": key, "label": translate(msgid, self._lang),
                 "labelOther": translate(msgid, other)} for key, msgid in SERVICE_TILES]

    def _get_demo_badge(self) -> str:
        """Both languages, Hindi first, on every screen while in demo mode; "" otherwise."""
        return demo_badge(self._config.demo)

    def _get_error_text(self) -> str:
        return self._error.get(self._lang, "")

    def _get_error_text_other(self) -> str:
        return self._error.get(other_language(self._lang), "")

    screen = qproperty(str, lambda self: self._screen.value, notify=screenChanged)
    language = qproperty(str, lambda self: self._lang, notify=languageChanged)
    keyboardLocale = qproperty(str, lambda self: KEYBOARD_LOCALES[self._lang],
                              notify=languageChanged)
    centreName = qproperty(str, _get_centre_name, notify=languageChanged)
    centreNameOther = qproperty(str, _get_centre_name_other, notify=languageChanged)
    serviceTiles = qproperty(list, _get_service_tiles, notify=languageChanged)
    #: "डेमो — असली नहीं / DEMO — NOT REAL" in demo mode (``config.demo``), else "".
    demoBadge = qproperty(str, _get_demo_badge, constant=True)
    errorText = qproperty(str, _get_error_text, notify=errorChanged)
    errorTextOther = qproperty(str, _get_error_text_other, notify=errorChanged)
    busy = qproperty(bool, lambda self: self._busy, notify=busyChanged)
    idleWarning = qproperty(bool, lambda self: self._idle_warning, notify=idleChanged)
    idleRemaining = qproperty(int, lambda self: self._idle_remaining, notify=idleChanged)
    #: Larger text and stronger contrast for this citizen (the top bar's "A+" button); a new
    #: citizen starts without it, like the language.
    easyRead = qproperty(bool, lambda self: self._easy_read, notify=easyReadChanged)
    #: The token queue's screens (group, priority, token): ``session.queue.tokenNumber``.
    def _get_queue(self) -> QueueViewModel:
        return self._queue

    queue = qproperty(QObject, _get_queue, constant=True)

    # Python-side accessors (tests, screenshot code)
    @property
    def runner(self) -> BackgroundRunner:
        return self._runner

    # ----------------------------------------------------------------- slots
    @Slot(str, str, result=str)
    def translate(self, msgid: str, lang: str) -> str:
        """For text that is always shown in *both* languages (welcome, idle warning).

        ``qsTr`` follows the session language; these lines must not, so QML asks for a
        language explicitly. pybabel extracts the literal because the keyword is ``translate``.
        """
        return translate(msgid, normalise_language(lang)[0])

    @Slot()
    def start(self) -> None:
        """Attract screen tapped: ask for the language first (a first-time user may not read
        the default one)."""
        self._set_screen(Screen.LANGUAGE)

    @Slot(str)
    def chooseLanguage(self, lang: str) -> None:
        self._set_language(lang)
        self._set_screen(Screen.HOME)

    @Slot()
    def toggleLanguage(self) -> None:
        self._set_language(other_language(self._lang))

    @Slot(str)
    def setLanguage(self, lang: str) -> None:
        self._set_language(lang)

    @Slot()
    def goBack(self) -> None:
        if self._busy:
            return  # a token is being committed; leaving now would lose sight of it
        target = _BACK.get(self._screen)
        if target is None:
            return
        if target is Screen.ATTRACT:
            self.resetSession()
            return
        self._set_screen(target)

    @Slot(str)
    def openService(self, key: str) -> None:
        """Home tiles: the token queue, applications, status look-up, certificate check."""
        if key == "token":
            self._set_screen(Screen.GROUPS)
        elif key in (Screen.APPLY, Screen.STATUS, Screen.VERIFY):
            self._set_screen(Screen(key))
        else:
            log.info("home tile %r is not available yet", key)

    @Slot()
    def stillHere(self) -> None:
        self._dismiss_idle()

    @Slot()
    def dismissError(self) -> None:
        self._error = {}
        self.errorChanged.emit()

    @Slot()
    def noteActivity(self) -> None:
        """Any touch, click or key: the citizen is still here."""
        if self._idle_warning:
            self._dismiss_idle()
        elif self._screen is not Screen.ATTRACT:
            self._idle_timer.start()

    @Slot()
    def toggleEasyRead(self) -> None:
        self._easy_read = not self._easy_read
        self.easyReadChanged.emit()
        self.noteActivity()

    @Slot()
    def resetSession(self) -> None:
        """Wipe everything about this citizen and go back to the attract loop."""
        self._idle_timer.stop()
        self._countdown.stop()
        self._error = {}
        self._idle_warning = False
        self._idle_remaining = 0
        self.set_busy(False)
        self._set_language(self._default_lang)
        self._easy_read = False
        self._set_screen(Screen.ATTRACT)
        for signal in (self.errorChanged, self.idleChanged, self.easyReadChanged):
            signal.emit()
        self.sessionReset.emit()

    def expire_idle(self) -> None:
        """Show the "are you still there?" warning now (screenshots, tests of the overlay)."""
        self._idle_timer.stop()
        self._idle_expired()

    def show_screen(self, screen: Screen) -> None:
        """Switch to ``screen`` for another view-model (token queue, technician mode), with the
        idle timer running as on every screen but the attract loop."""
        self._set_screen(screen)

    def set_busy(self, busy: bool) -> None:
        """A screen's commit is in flight (the busy overlay shows; Back waits for it)."""
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    def report_error(self, exc: BaseException, what: str) -> None:
        """Show a citizen-facing message for ``exc``; the detail goes only to the log."""
        self._error = error_messages(exc, what, log)
        self.errorChanged.emit()

    def shutdown(self) -> None:
        """Stop timers and wait for a token commit or a print in flight (app quit, tests)."""
        self._queue.shutdown()  # results still in flight must not touch a closing screen
        for timer in (self._idle_timer, self._countdown):
            timer.stop()
        self._runner.shutdown()

    # ----------------------------------------------------------------- internals
    def _set_screen(self, screen: Screen) -> None:
        if screen is not self._screen:
            self._screen = screen
            self.screenChanged.emit()
        if screen is Screen.ATTRACT:
            self._idle_timer.stop()
        else:
            self._idle_timer.start()

    def _set_language(self, lang: str) -> None:
        norm, ok = normalise_language(lang)
        if not ok:
            log.warning("unknown language %r requested; using English", lang)
        if norm == self._lang:
            return
        self._lang = norm
        self._apply_language(norm)
        for signal in (self.languageChanged, self.errorChanged):
            signal.emit()

    def _idle_expired(self) -> None:
        if self._screen is Screen.ATTRACT:
            return
        self._idle_warning = True
        self._idle_remaining = max(1, self._config.idle_countdown_seconds)
        self.idleChanged.emit()
        self._countdown.start()

    def _idle_tick(self) -> None:
        self._idle_remaining -= 1
        self.idleChanged.emit()
        if self._idle_remaining <= 0:
            log.info("session ended after inactivity")
            self.resetSession()

    def _dismiss_idle(self) -> None:
        if not self._idle_warning:
            return
        self._countdown.stop()
        self._idle_warning = False
        self.idleChanged.emit()
        self._idle_timer.start()


__all__ = ["KEYBOARD_LOCALES", "PrintState", "SERVICE_TILES", "Screen", "SessionViewModel",
           "TokenPrinter"]
