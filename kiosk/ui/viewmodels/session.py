"""The citizen session: which screen is up, the chosen language, group, priority and token.

One view-model for the whole journey because the journey *is* one piece of state that must be
wiped in one go when a citizen walks away (idle timeout): splitting it across objects is how a
previous citizen's token number ends up on the next citizen's screen. Screens read properties
and call slots; everything slow goes through :class:`~kiosk.ui.workers.BackgroundRunner`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Protocol

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import N_, normalise_language, translate
from kiosk.queue import PRIORITY_LABELS, Priority, Token, TokenService
from kiosk.ui.text import error_messages, issued_text, other_language, wait_text
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)


class Screen(StrEnum):
    ATTRACT = "attract"
    LANGUAGE = "language"
    HOME = "home"
    GROUPS = "groups"
    PRIORITY = "priority"
    TOKEN = "token"
    #: Technician mode (kiosk/ui/viewmodels/diagnostics.py owns its state; the session owns
    #: only the screen switch and the idle timeout, so a walked-away technician is logged out
    #: exactly like a citizen).
    TECH_PIN = "tech_pin"
    DIAGNOSTICS = "diagnostics"
    #: Applications (kiosk/ui/viewmodels/application.py owns the wizard's own pages), status
    #: look-up and certificate verification (kiosk/ui/viewmodels/lookup.py).
    APPLY = "apply"
    STATUS = "status"
    VERIFY = "verify"


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

#: Services on the home screen that later issues will build; shown honestly as "coming soon".
COMING_SOON: tuple[tuple[str, str], ...] = (
    ("apply", N_("Apply for a certificate")),
    ("status", N_("Application status")),
    ("verify", N_("Verify a certificate")),
)

KEYBOARD_LOCALES = {"hi": "hi_IN", "en": "en_US"}


class TokenPrinter(Protocol):
    """What the session needs from the print pipeline (``kiosk.printing.PrintService``)."""

    def print_token(self, token: Token, lang: str) -> object: ...


class PrintState(StrEnum):
    IDLE = "idle"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"



class SessionViewModel(QObject):
    """State and actions of one citizen's visit, from the attract loop back to it."""

    screenChanged = Signal()
    languageChanged = Signal()
    selectionChanged = Signal()
    tokenChanged = Signal()
    printChanged = Signal()
    idleChanged = Signal()
    busyChanged = Signal()
    errorChanged = Signal()
    countdownChanged = Signal()
    #: Emitted after the session was wiped (idle timeout or "Done"); tests and logs use it.
    sessionReset = Signal()

    def __init__(self, config: Config, tokens: TokenService, printer: TokenPrinter | None,
                 *, apply_language: Callable[[str], None] | None = None,
                 runner: BackgroundRunner | None = None,
                 default_language: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._tokens = tokens
        self._printer = printer
        self._apply_language = apply_language or (lambda _lang: None)
        self._runner = runner or BackgroundRunner(self)
        self._default_lang = normalise_language(default_language or config.default_language)[0]
        self._lang = self._default_lang
        self._screen = Screen.ATTRACT
        self._generation = 0
        self._group = ""
        self._priority = ""
        self._token: Token | None = None
        self._print_state = PrintState.IDLE
        self._print_error: dict[str, str] = {}
        self._error: dict[str, str] = {}
        self._busy = False
        self._idle_warning = False
        self._idle_remaining = 0
        self._token_left = 0

        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(max(1, config.idle_seconds) * 1000)
        self._idle_timer.timeout.connect(self._idle_expired)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._idle_tick)
        self._token_timer = QTimer(self)
        self._token_timer.setInterval(1000)
        self._token_timer.timeout.connect(self._token_tick)
        self._apply_language(self._lang)

    # ----------------------------------------------------------------- properties
    def _get_screen(self) -> str:
        return self._screen.value

    def _get_language(self) -> str:
        return self._lang

    def _get_keyboard_locale(self) -> str:
        return KEYBOARD_LOCALES[self._lang]

    def _get_centre_name(self) -> str:
        return self._config.centre_name(self._lang)

    def _get_centre_name_other(self) -> str:
        return self._config.centre_name(other_language(self._lang))

    def _get_groups(self) -> list[dict[str, Any]]:
        other = other_language(self._lang)
        return [{"letter": g.letter, "name": g.name(self._lang), "nameOther": g.name(other)}
                for g in self._config.groups.values()]

    def _get_priorities(self) -> list[dict[str, Any]]:
        other = other_language(self._lang)
        return [{"key": p.value, "label": translate(PRIORITY_LABELS[p], self._lang),
                 "labelOther": translate(PRIORITY_LABELS[p], other)} for p in Priority]

    def _get_coming_soon(self) -> list[dict[str, Any]]:
        other = other_language(self._lang)
        return [{"key": key, "label": translate(msgid, self._lang),
                 "labelOther": translate(msgid, other)} for key, msgid in COMING_SOON]

    def _get_selected_group(self) -> str:
        return self._group

    def _get_selected_group_name(self) -> str:
        group = self._config.groups.get(self._group)
        return group.name(self._lang) if group else ""

    def _get_selected_priority(self) -> str:
        return self._priority

    def _get_token_number(self) -> str:
        return self._token.number if self._token else ""

    def _get_token_group_name(self) -> str:
        if not self._token:
            return ""
        group = self._config.groups.get(self._token.group)
        return group.name(self._lang) if group else self._token.group

    def _get_token_group_name_other(self) -> str:
        if not self._token:
            return ""
        group = self._config.groups.get(self._token.group)
        return group.name(other_language(self._lang)) if group else ""

    def _get_token_is_priority(self) -> bool:
        return bool(self._token and self._token.priority.is_priority)

    def _get_token_priority(self) -> str:
        return self._token.priority.value if self._token else ""

    def _get_token_priority_label(self) -> str:
        if not self._token:
            return ""
        return translate(PRIORITY_LABELS[self._token.priority], self._lang)

    def _get_token_people_ahead(self) -> int:
        return self._token.people_ahead if self._token else 0

    def _get_token_wait_text(self) -> str:
        return wait_text(self._token.wait_minutes, self._lang) if self._token else ""

    def _get_token_issued_text(self) -> str:
        return issued_text(self._token.issued_at, self._lang) if self._token else ""

    def _get_print_state(self) -> str:
        return self._print_state.value

    def _get_print_error_hi(self) -> str:
        return self._print_error.get("hi", "")

    def _get_print_error_en(self) -> str:
        return self._print_error.get("en", "")

    def _get_error_text(self) -> str:
        return self._error.get(self._lang, "")

    def _get_error_text_other(self) -> str:
        return self._error.get(other_language(self._lang), "")

    def _get_busy(self) -> bool:
        return self._busy

    def _get_idle_warning(self) -> bool:
        return self._idle_warning

    def _get_idle_remaining(self) -> int:
        return self._idle_remaining

    def _get_token_seconds_left(self) -> int:
        return self._token_left

    screen = Property(str, _get_screen, notify=screenChanged)
    language = Property(str, _get_language, notify=languageChanged)
    keyboardLocale = Property(str, _get_keyboard_locale, notify=languageChanged)
    centreName = Property(str, _get_centre_name, notify=languageChanged)
    centreNameOther = Property(str, _get_centre_name_other, notify=languageChanged)
    groups = Property("QVariantList", _get_groups, notify=languageChanged)
    priorities = Property("QVariantList", _get_priorities, notify=languageChanged)
    comingSoon = Property("QVariantList", _get_coming_soon, notify=languageChanged)
    selectedGroup = Property(str, _get_selected_group, notify=selectionChanged)
    selectedGroupName = Property(str, _get_selected_group_name, notify=selectionChanged)
    selectedPriority = Property(str, _get_selected_priority, notify=selectionChanged)
    tokenNumber = Property(str, _get_token_number, notify=tokenChanged)
    tokenGroupName = Property(str, _get_token_group_name, notify=tokenChanged)
    tokenGroupNameOther = Property(str, _get_token_group_name_other, notify=tokenChanged)
    tokenIsPriority = Property(bool, _get_token_is_priority, notify=tokenChanged)
    tokenPriority = Property(str, _get_token_priority, notify=tokenChanged)
    tokenPriorityLabel = Property(str, _get_token_priority_label, notify=tokenChanged)
    tokenPeopleAhead = Property(int, _get_token_people_ahead, notify=tokenChanged)
    tokenWaitText = Property(str, _get_token_wait_text, notify=tokenChanged)
    tokenIssuedText = Property(str, _get_token_issued_text, notify=tokenChanged)
    printState = Property(str, _get_print_state, notify=printChanged)
    printErrorHi = Property(str, _get_print_error_hi, notify=printChanged)
    printErrorEn = Property(str, _get_print_error_en, notify=printChanged)
    errorText = Property(str, _get_error_text, notify=errorChanged)
    errorTextOther = Property(str, _get_error_text_other, notify=errorChanged)
    busy = Property(bool, _get_busy, notify=busyChanged)
    idleWarning = Property(bool, _get_idle_warning, notify=idleChanged)
    idleRemaining = Property(int, _get_idle_remaining, notify=idleChanged)
    tokenSecondsLeft = Property(int, _get_token_seconds_left, notify=countdownChanged)

    # Python-side accessors (tests, screenshot code)
    @property
    def token(self) -> Token | None:
        return self._token

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
        if self._screen is Screen.TOKEN:
            self._clear_token()
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

    @Slot(str)
    def chooseGroup(self, letter: str) -> None:
        if letter not in self._config.groups:
            log.warning("unknown group %r tapped", letter)
            return
        self._group = letter
        self._priority = ""
        self.selectionChanged.emit()
        self._set_screen(Screen.PRIORITY)

    @Slot(str)
    def choosePriority(self, key: str) -> None:
        """Issue the token on a worker (the commit fsyncs), then print it."""
        if self._busy or not self._group:
            return
        try:
            priority = Priority(key)
        except ValueError:
            log.warning("unknown priority %r tapped", key)
            return
        self._priority = priority.value
        self.selectionChanged.emit()
        self._set_busy(True)
        generation, group, lang = self._generation, self._group, self._lang
        tokens = self._tokens
        self._runner.submit(lambda: tokens.issue(group, priority, lang),
                            lambda token: self._issued(generation, token),
                            lambda exc: self._issue_failed(generation, exc))

    @Slot()
    def reprint(self) -> None:
        if self._token is None or self._print_state is PrintState.PRINTING:
            return
        self._start_print(refresh=True)

    @Slot()
    def finish(self) -> None:
        """"Done" on the token screen: the visit is over."""
        self.resetSession()

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
    def resetSession(self) -> None:
        """Wipe everything about this citizen and go back to the attract loop."""
        self._generation += 1
        self._idle_timer.stop()
        self._countdown.stop()
        self._token_timer.stop()
        self._group = ""
        self._priority = ""
        self._token = None
        self._print_state = PrintState.IDLE
        self._print_error = {}
        self._error = {}
        self._idle_warning = False
        self._idle_remaining = 0
        self._token_left = 0
        self._set_busy(False)
        self._set_language(self._default_lang)
        self._set_screen(Screen.ATTRACT)
        for signal in (self.selectionChanged, self.tokenChanged, self.printChanged,
                       self.errorChanged, self.idleChanged, self.countdownChanged):
            signal.emit()
        self.sessionReset.emit()

    def expire_idle(self) -> None:
        """Show the "are you still there?" warning now (screenshots, tests of the overlay)."""
        self._idle_timer.stop()
        self._idle_expired()

    def show_screen(self, screen: Screen) -> None:
        """Switch to ``screen`` for another view-model (technician mode), with the idle timer
        running as on every screen but the attract loop."""
        self._set_screen(screen)

    def report_error(self, exc: BaseException, what: str) -> None:
        """Show a citizen-facing message for ``exc``; the detail goes only to the log."""
        self._error = error_messages(exc, what, log)
        self.errorChanged.emit()

    def shutdown(self) -> None:
        """Stop timers and wait for a token commit or a print in flight (app quit, tests)."""
        self._generation += 1  # results still in flight must not touch a closing screen
        for timer in (self._idle_timer, self._countdown, self._token_timer):
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
        for signal in (self.languageChanged, self.selectionChanged, self.tokenChanged,
                       self.errorChanged):
            signal.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    def _clear_token(self) -> None:
        self._token_timer.stop()
        self._token = None
        self._print_state = PrintState.IDLE
        self._print_error = {}
        self.tokenChanged.emit()
        self.printChanged.emit()

    def _issued(self, generation: int, token: Token) -> None:
        if generation != self._generation:
            log.info("token %s issued after its session ended; not printed", token.number)
            return
        self._set_busy(False)
        self._token = token
        self.tokenChanged.emit()
        self._set_screen(Screen.TOKEN)
        self._start_print(refresh=False)

    def _issue_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.report_error(exc, "issuing a token")

    def _start_print(self, *, refresh: bool) -> None:
        token = self._token
        assert token is not None
        self._token_timer.stop()
        self._print_state = PrintState.PRINTING
        self._print_error = {}
        self.printChanged.emit()
        printer, tokens, lang, generation = self._printer, self._tokens, self._lang, \
            self._generation

        def job() -> Token:
            if printer is None:
                raise KioskError("no print service configured",
                                 message=N_("The printer could not print your slip. "
                                            "Your token is still valid."))
            # A reprint shows the *current* queue position, on paper and on screen.
            current = (tokens.get(token.id) if refresh else None) or token
            printer.print_token(current, lang)
            return current

        self._runner.submit(job, lambda current: self._printed(generation, current),
                            lambda exc: self._print_failed(generation, exc))

    def _printed(self, generation: int, current: Token) -> None:
        if generation != self._generation:
            return
        if current is not self._token:
            self._token = current
            self.tokenChanged.emit()
        self._print_state = PrintState.PRINTED
        self.printChanged.emit()
        self._token_left = max(1, self._config.token_screen_seconds)
        self.countdownChanged.emit()
        self._token_timer.start()

    def _print_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        # No auto-return while the slip is missing: the citizen needs time to reprint or call
        # staff. The idle timeout still ends an abandoned session.
        self._print_state = PrintState.FAILED
        self._print_error = error_messages(exc, "printing a token slip", log)
        self.printChanged.emit()

    def _token_tick(self) -> None:
        self._token_left -= 1
        self.countdownChanged.emit()
        if self._token_left <= 0:
            self.resetSession()

    def _idle_expired(self) -> None:
        if self._screen is Screen.ATTRACT:
            return
        self._idle_warning = True
        self._idle_remaining = max(1, self._config.idle_countdown_seconds)
        self._token_timer.stop()
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
        if self._print_state is PrintState.PRINTED and self._screen is Screen.TOKEN:
            self._token_timer.start()
