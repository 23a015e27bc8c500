"""The technician's way in: the hidden gesture and the PIN pad (QML: ``diagnostics.gate``).

Why an object of its own: the PIN lock-out must *survive* the citizen session being wiped —
otherwise walking away and back would reset the wrong-PIN counter — while everything else a
technician saw is forgotten. It also survives a restart and escalates (60 s, 5 min, 30 min:
:class:`kiosk.auth_pin.PinLockout`, a 0600 file in the data directory). The PIN hash (scrypt,
tens of milliseconds) is checked, and the lock-out saved, on a worker; the PIN itself is never
logged. While the shipped default PIN opens the pad, diagnostics say so in both languages.
Every checked PIN — accepted or refused, with the failure count and whether the pad locked — is
appended to the kiosk's audit trail (:class:`kiosk.tech_audit.KioskAudit`) on the same worker.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.auth_pin import (
    DEFAULT_PIN,
    LOCKOUT_FILE,
    MAX_ATTEMPTS,
    MAX_PIN_LENGTH,
    PinLockout,
    verify_pin,
)
from kiosk.config import Config
from kiosk.i18n import N_
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels.diagnostics_text import DeferredText
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.states import Screen
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from kiosk.tech_audit import KioskAudit

log = logging.getLogger(__name__)

#: The hidden gesture: this many taps on the attract screen's corner within the window.
SECRET_TAPS = 5
SECRET_WINDOW_S = 3.0
#: The first lock's length; later locks are 5× and 30× as long (kiosk.auth_pin.LOCK_STEPS_S).
LOCK_SECONDS = 60

MSG_WRONG_PIN = N_("Wrong PIN. Attempts left: {left}")
MSG_LOCKED = N_("Too many wrong PINs. Try again in {seconds} s.")
MSG_LOCKED_MINUTES = N_("Too many wrong PINs. Try again in {minutes} min.")
MSG_PIN_SHORT = N_("A PIN has at least 4 digits.")
MSG_DEFAULT_PIN = N_("This kiosk still uses the default technician PIN. Set a new one "
                     "(python -m kiosk.auth_pin) before the kiosk serves the public.")


class TechnicianGate(QObject):
    """Secret taps, the PIN pad and its lock-out (``diagnostics.gate``)."""

    pinChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config, runner: BackgroundRunner,
                 *, on_accepted: Callable[[], None], lock_seconds: int = LOCK_SECONDS,
                 lockout: PinLockout | None = None, audit: KioskAudit | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._audit = audit
        self._config = config
        self._runner = runner
        self._on_accepted = on_accepted
        self._lockout = lockout or PinLockout(
            config.data_dir / LOCKOUT_FILE,
            steps=(lock_seconds, lock_seconds * 5, lock_seconds * 30))
        self._generation = 0
        self._taps: deque[float] = deque()
        self._pin = ""
        self._checking = False
        self._default_pin = False
        self._message = DeferredText("")
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self._lock_tick)
        session.languageChanged.connect(self.pinChanged)
        session.screenChanged.connect(self._screen_changed)
        if self._is_locked():              # a lock from before the restart still runs
            self._lock_timer.start()

    def _lang(self) -> str:
        return str(self._session.property("language"))

    def _is_locked(self) -> bool:
        return self._lockout.remaining() > 0

    def _default_warning(self, lang: str) -> str:
        return DeferredText(MSG_DEFAULT_PIN).render(lang) if self._default_pin else ""

    pinLength = qproperty(int, lambda self: len(self._pin), notify=pinChanged)
    pinMessage = qproperty(str, lambda self: self._message.render(self._lang()),
                          notify=pinChanged)
    pinMessageOther = qproperty(str, lambda self: self._message.render(
        other_language(self._lang())), notify=pinChanged)
    locked = qproperty(bool, _is_locked, notify=pinChanged)
    checking = qproperty(bool, lambda self: self._checking, notify=pinChanged)
    #: True after the shipped default PIN opened the pad (the diagnostics screen warns).
    defaultPinInUse = qproperty(bool, lambda self: self._default_pin, notify=pinChanged)
    defaultPinWarning = qproperty(str, lambda self: self._default_warning(self._lang()),
                                  notify=pinChanged)
    defaultPinWarningOther = qproperty(str, lambda self: self._default_warning(
        other_language(self._lang())), notify=pinChanged)

    # ----------------------------------------------------------------- slots
    @Slot()
    def secretTap(self) -> None:
        """One tap on the attract screen's hidden corner; enough of them open the PIN pad.

        Five quick taps on an unmarked corner: a citizen does not stumble on it, a technician
        needs no tool or keyboard to get in.
        """
        if self._session.property("screen") != Screen.ATTRACT:
            return
        now = time.monotonic()
        self._taps.append(now)
        while self._taps and now - self._taps[0] > SECRET_WINDOW_S:
            self._taps.popleft()
        if len(self._taps) >= SECRET_TAPS:
            self._taps.clear()
            self._pin = ""
            self._message = self._lock_message() if self._is_locked() else DeferredText("")
            self.pinChanged.emit()
            self._session.show_screen(Screen.TECH_PIN)

    @Slot(str)
    def pinDigit(self, digit: str) -> None:
        if self._checking or self._is_locked() or len(self._pin) >= MAX_PIN_LENGTH:
            return
        if len(digit) == 1 and digit.isascii() and digit.isdigit():
            self._pin += digit
            self.pinChanged.emit()

    @Slot()
    def pinBackspace(self) -> None:
        if not self._checking and self._pin:
            self._pin = self._pin[:-1]
            self.pinChanged.emit()

    @Slot()
    def pinClear(self) -> None:
        if not self._checking:
            self._pin = ""
            self.pinChanged.emit()

    @Slot()
    def pinSubmit(self) -> None:
        """Check the PIN on a worker (the hash is deliberately slow); never logs the PIN."""
        if self._checking or self._is_locked():
            return
        if len(self._pin) < 4:
            self._message = DeferredText(MSG_PIN_SHORT)
            self.pinChanged.emit()
            return
        pin, self._pin = self._pin, ""
        stored = self._config.technician_pin_hash
        self._checking = True
        self.pinChanged.emit()
        generation = self._generation
        self._runner.submit(lambda: self._check(pin, stored),
                            lambda ok: self._pin_checked(generation, bool(ok), default=pin
                                                         == DEFAULT_PIN),
                            lambda exc: self._pin_checked(generation, False, exc))

    def wipe(self) -> None:
        """Forget the PIN typed so far and the taps (not the lock-out)."""
        self._generation += 1
        self._taps.clear()
        self._pin = ""
        self._checking = False
        self._message = self._lock_message() if self._is_locked() else DeferredText("")
        self.pinChanged.emit()

    def shutdown(self) -> None:
        self._generation += 1
        self._lock_timer.stop()

    # ----------------------------------------------------------------- internals
    def _check(self, pin: str, stored: str) -> bool:
        """On the worker: the slow hash, then the lock-out saved (an fsync) before answering,
        so a wrong PIN counts even if the power goes the moment after."""
        ok = verify_pin(pin, stored)
        if ok:
            self._lockout.record_success()
        else:
            self._lockout.record_failure()
        if self._audit is not None:
            st = self._lockout.state
            detail = ({"default_pin": pin == DEFAULT_PIN} if ok else
                      {"failures": st.failures, "locked": self._is_locked()})
            try:
                self._audit.record("technician.login" if ok else "technician.login_refused",
                                   detail)
            except Exception as exc:  # the kiosk keeps working; the log says the trail missed it
                log.error("audit trail: technician log-in not recorded: %s", type(exc).__name__)
        return ok

    def _pin_checked(self, generation: int, ok: bool, exc: BaseException | None = None, *,
                     default: bool = False) -> None:
        self._checking = False
        if exc is not None:
            log.error("technician PIN check failed: %s", type(exc).__name__)
        if generation != self._generation:
            self.pinChanged.emit()
            return
        if ok:
            log.info("technician PIN accepted; diagnostics opened")
            self._default_pin = default
            if default:
                log.warning("the shipped default technician PIN is still in use")
            self._message = DeferredText("")
            self.pinChanged.emit()
            self._on_accepted()
            return
        if exc is not None:
            self._lockout.record_failure()   # the check failed: still counts as a try
        st = self._lockout.state
        if self._is_locked():
            log.warning("wrong technician PIN: pad locked for %d s (lock %d)",
                        self._lockout.lock_length(st.locks), st.locks)
            self._lock_timer.start()
            self._message = self._lock_message()
        else:
            log.warning("wrong technician PIN (%d of %d)", st.failures, MAX_ATTEMPTS)
            self._message = DeferredText(MSG_WRONG_PIN, {"left": MAX_ATTEMPTS - st.failures})
        self.pinChanged.emit()

    def _lock_message(self) -> DeferredText:
        left = max(1, int(round(self._lockout.remaining())))
        if left > 90:     # the 5 and 30 minute locks: "1800 s" says little at a glance
            return DeferredText(MSG_LOCKED_MINUTES, {"minutes": -(-left // 60)})
        return DeferredText(MSG_LOCKED, {"seconds": left})

    def _lock_tick(self) -> None:
        if self._is_locked():
            self._message = self._lock_message()
        else:
            self._lock_timer.stop()
            self._message = DeferredText("")
        self.pinChanged.emit()

    @Slot()
    def _screen_changed(self) -> None:
        if self._session.property("screen") != Screen.ATTRACT:
            self._taps.clear()


__all__ = ["LOCK_SECONDS", "MAX_ATTEMPTS", "SECRET_TAPS", "TechnicianGate"]
