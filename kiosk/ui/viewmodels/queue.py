"""The token queue's screens: choose a group, a priority, get a token and its slip.

QML reaches it as the ``Queue`` singleton (Python: ``session.queue``): the session owns which
screen is up, the language and the idle timeout; this object owns what the group, priority and
token screens show. It wipes itself on ``sessionReset`` (idle timeout, "Done"), so a previous
citizen's token number never reaches the next citizen's screen.

Threads: the token commit (an fsync) and the print run on the session's
:class:`~kiosk.ui.workers.BackgroundRunner`, one after the other (a token is on disk before
its slip prints); results carry a generation and are dropped if the citizen has gone since.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.queue import PRIORITY_LABELS, Priority, Token, TokenService
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import error_messages, issued_text, other_language, wait_text
from kiosk.ui.viewmodels.states import PrintState, Screen
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from kiosk.ui.viewmodels.session import SessionViewModel

log = logging.getLogger(__name__)

MSG_SLIP_FAILED = N_("The printer could not print your slip. Your token is still valid.")


#: A picture for each of CENTRE.md's service groups, for citizens who read little: the letter
#: alone (C, L, A …) says nothing to them. A group without one shows its letter only.
GROUP_ICONS = {"C": "certificate", "L": "land", "A": "idcard", "S": "sameday",
               "T": "status", "R": "collect"}


class TokenPrinter(Protocol):
    """What the queue needs from the print pipeline (``kiosk.printing.PrintService``)."""

    def print_token(self, token: Token, lang: str) -> object: ...


class QueueViewModel(QObject):
    """Group, priority and token screens (``session.queue``)."""

    labelsChanged = Signal()
    selectionChanged = Signal()
    tokenChanged = Signal()
    printChanged = Signal()
    countdownChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config, tokens: TokenService,
                 printer: TokenPrinter | None, runner: BackgroundRunner) -> None:
        super().__init__(session)
        self._session = session
        self._config = config
        self._tokens = tokens
        self._printer = printer
        self._runner = runner
        self._generation = 0
        self._group = ""
        self._priority = ""
        self._token: Token | None = None
        self._print_state = PrintState.IDLE
        self._print_error: dict[str, str] = {}
        self._token_left = 0
        self._token_timer = QTimer(self)
        self._token_timer.setInterval(1000)
        self._token_timer.timeout.connect(self._token_tick)
        session.languageChanged.connect(self._relabel)
        session.screenChanged.connect(self._screen_changed)
        session.idleChanged.connect(self._idle_changed)
        session.sessionReset.connect(self.wipe)

    def _lang(self) -> str:
        return str(self._session.property("language"))

    # ----------------------------------------------------------------- properties
    def _get_groups(self) -> list[dict[str, Any]]:
        lang = self._lang()
        other = other_language(lang)
        return [{"letter": g.letter, "name": g.name(lang), "nameOther": g.name(other),
                 "icon": GROUP_ICONS.get(g.letter, "")}
                for g in self._config.groups.values()]

    def _get_priorities(self) -> list[dict[str, Any]]:
        lang = self._lang()
        other = other_language(lang)
        return [{"key": p.value, "label": translate(PRIORITY_LABELS[p], lang),
                 "labelOther": translate(PRIORITY_LABELS[p], other)} for p in Priority]

    def _get_selected_group_name(self) -> str:
        group = self._config.groups.get(self._group)
        return group.name(self._lang()) if group else ""

    def _get_token_group_name(self) -> str:
        if not self._token:
            return ""
        group = self._config.groups.get(self._token.group)
        return group.name(self._lang()) if group else self._token.group

    def _get_token_group_name_other(self) -> str:
        if not self._token:
            return ""
        group = self._config.groups.get(self._token.group)
        return group.name(other_language(self._lang())) if group else ""

    def _get_token_priority_label(self) -> str:
        if not self._token:
            return ""
        return translate(PRIORITY_LABELS[self._token.priority], self._lang())

    def _get_token_wait_text(self) -> str:
        return wait_text(self._token.wait_minutes, self._lang()) if self._token else ""

    def _get_token_issued_text(self) -> str:
        return issued_text(self._token.issued_at, self._lang()) if self._token else ""

    def _get_print_error(self) -> str:
        return self._print_error.get(self._lang(), "")

    def _get_print_error_other(self) -> str:
        return self._print_error.get(other_language(self._lang()), "")

    groups = qproperty(list, _get_groups, notify=labelsChanged)
    priorities = qproperty(list, _get_priorities, notify=labelsChanged)
    selectedGroup = qproperty(str, lambda self: self._group, notify=selectionChanged)
    selectedGroupName = qproperty(str, _get_selected_group_name, notify=selectionChanged)
    selectedPriority = qproperty(str, lambda self: self._priority, notify=selectionChanged)
    tokenNumber = qproperty(str, lambda self: self._token.number if self._token else "",
                           notify=tokenChanged)
    tokenGroupName = qproperty(str, _get_token_group_name, notify=tokenChanged)
    tokenGroupNameOther = qproperty(str, _get_token_group_name_other, notify=tokenChanged)
    tokenIsPriority = qproperty(bool, lambda self: bool(self._token
                                                       and self._token.priority.is_priority),
                               notify=tokenChanged)
    tokenPriority = qproperty(str, lambda self: self._token.priority.value if self._token
                             else "", notify=tokenChanged)
    tokenPriorityLabel = qproperty(str, _get_token_priority_label, notify=tokenChanged)
    tokenPeopleAhead = qproperty(int, lambda self: self._token.people_ahead if self._token
                                else 0, notify=tokenChanged)
    tokenWaitText = qproperty(str, _get_token_wait_text, notify=tokenChanged)
    tokenIssuedText = qproperty(str, _get_token_issued_text, notify=tokenChanged)
    printState = qproperty(str, lambda self: self._print_state.value, notify=printChanged)
    printError = qproperty(str, _get_print_error, notify=printChanged)
    printErrorOther = qproperty(str, _get_print_error_other, notify=printChanged)
    tokenSecondsLeft = qproperty(int, lambda self: self._token_left, notify=countdownChanged)

    @property
    def token(self) -> Token | None:
        """The token on screen (tests, screenshots)."""
        return self._token

    # ----------------------------------------------------------------- slots
    @Slot(str)
    def chooseGroup(self, letter: str) -> None:
        if letter not in self._config.groups:
            log.warning("unknown group %r tapped", letter)
            return
        self._group = letter
        self._priority = ""
        self.selectionChanged.emit()
        self._session.show_screen(Screen.PRIORITY)

    @Slot(str)
    def choosePriority(self, key: str) -> None:
        """Issue the token on a worker (the commit fsyncs), then print it."""
        if self._session.property("busy") or not self._group:
            return
        try:
            priority = Priority(key)
        except ValueError:
            log.warning("unknown priority %r tapped", key)
            return
        self._priority = priority.value
        self.selectionChanged.emit()
        self._session.set_busy(True)
        generation, group, lang = self._generation, self._group, self._lang()
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
        self._session.resetSession()

    @Slot()
    def wipe(self) -> None:
        """Forget the group, priority and token (session reset)."""
        self._generation += 1
        self._token_timer.stop()
        self._group = ""
        self._priority = ""
        self._token = None
        self._print_state = PrintState.IDLE
        self._print_error = {}
        self._token_left = 0
        for signal in (self.selectionChanged, self.tokenChanged, self.printChanged,
                       self.countdownChanged):
            signal.emit()

    def shutdown(self) -> None:
        """Results still in flight must not touch a closing screen (app quit, tests)."""
        self._generation += 1
        self._token_timer.stop()

    # ----------------------------------------------------------------- internals
    @Slot()
    def _relabel(self) -> None:
        for signal in (self.labelsChanged, self.selectionChanged, self.tokenChanged):
            signal.emit()

    @Slot()
    def _screen_changed(self) -> None:
        """Leaving the token screen (Back goes home: the token is issued) clears the token."""
        if self._token is not None and self._session.property("screen") != Screen.TOKEN:
            self._token_timer.stop()
            self._token = None
            self._print_state = PrintState.IDLE
            self._print_error = {}
            self.tokenChanged.emit()
            self.printChanged.emit()

    @Slot()
    def _idle_changed(self) -> None:
        """No auto-return while "are you still there?" is up; it resumes once dismissed."""
        if self._session.property("idleWarning"):
            self._token_timer.stop()
        elif (self._print_state is PrintState.PRINTED and not self._token_timer.isActive()
              and self._session.property("screen") == Screen.TOKEN):
            self._token_timer.start()

    def _issued(self, generation: int, token: Token) -> None:
        if generation != self._generation:
            log.info("token %s issued after its session ended; not printed", token.number)
            return
        self._session.set_busy(False)
        self._token = token
        self.tokenChanged.emit()
        self._session.show_screen(Screen.TOKEN)
        self._start_print(refresh=False)

    def _issue_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._session.set_busy(False)
        self._session.report_error(exc, "issuing a token")

    def _start_print(self, *, refresh: bool) -> None:
        token = self._token
        assert token is not None
        self._token_timer.stop()
        self._print_state = PrintState.PRINTING
        self._print_error = {}
        self.printChanged.emit()
        printer, tokens, lang = self._printer, self._tokens, self._lang()
        generation = self._generation

        def job() -> Token:
            if printer is None:
                raise KioskError("no print service configured", message=MSG_SLIP_FAILED)
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
            self._session.resetSession()


__all__ = ["MSG_SLIP_FAILED", "QueueViewModel", "TokenPrinter"]
