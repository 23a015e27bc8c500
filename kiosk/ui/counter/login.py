"""Operator log-in at the counter: staff card, fingerprint or operator id, always with a PIN.

Why the credential and the PIN are two steps: the card or finger says *who*, the PIN proves
it, and the centre service decides both together (wrong PIN, unknown card, disabled, locked
are its bilingual answers, audited there). The fingerprint is matched on the counter's own
module (1:N ``search`` on its template store): templates never leave the module, only the
slot number goes to the centre. Card reads and captures happen on the device's own worker;
their results hop to the GUI thread through queued signals.

Idle log-out: after the session's ``idle_logout_s`` without a key press or click the operator
is logged out; the last ``countdown`` seconds are shown, so a person reading a document is
warned before the counter closes under them.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.i18n import N_
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import Bilingual, both, problem_text

log = logging.getLogger(__name__)

#: The card the "Present a test card" button lays on the simulated reader.
SIM_CARD_ID = "0A1B2C3D4E"
#: The simulated module's library slot the "Place a test finger" button images.
SIM_FINGER_SLOT = 0
DEFAULT_IDLE_LOGOUT_S = 600
COUNTDOWN_S = 30
FINGER_TIMEOUT_S = 10.0


class LoginViewModel(QObject):
    """Properties: ``loggedIn``, ``busy``, ``operatorName``/``operatorId``/``role``,
    ``credential`` (none | card | finger), ``credentialText``, ``message``/``messageOther``,
    ``idleRemaining``, ``countdownVisible``."""

    changed = Signal()
    messageChanged = Signal()
    idleChanged = Signal()
    sessionStarted = Signal(dict)
    sessionEnded = Signal()
    _cardPosted = Signal(str)
    _fingerPosted = Signal(object)

    def __init__(self, shell: CounterShell, link: CentreLink, manager: Any | None = None, *,
                 idle_logout_s: int | None = None, countdown_s: int = COUNTDOWN_S,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell = shell
        self._link = link
        self._manager = manager
        self._idle_override = idle_logout_s
        self._countdown_s = countdown_s
        self._session: dict[str, Any] | None = None
        self._busy = False
        self._credential = "none"
        self._card_id = ""
        self._finger_slot: int | None = None
        self._scanning = False
        self._message: Bilingual = {}
        self._message_kind = "error"
        self._idle_s = idle_logout_s or DEFAULT_IDLE_LOGOUT_S
        self._last_activity = time.monotonic()
        self._remaining = self._idle_s
        self._closed = False
        self._card_device: Any = None
        self._remove_card: Any = None
        shell.languageChanged.connect(self.messageChanged)
        self._cardPosted.connect(self._on_card, Qt.ConnectionType.QueuedConnection)
        self._fingerPosted.connect(self._on_finger, Qt.ConnectionType.QueuedConnection)
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(1000)
        self._idle_timer.timeout.connect(self._tick)
        self._attach_timer = QTimer(self)
        self._attach_timer.setInterval(1000)
        self._attach_timer.timeout.connect(self._attach_card_reader)
        self._remove_test_card = QTimer(self)
        self._remove_test_card.setSingleShot(True)
        self._remove_test_card.setInterval(900)
        self._remove_test_card.timeout.connect(self._lift_test_card)
        if manager is not None:
            self._attach_timer.start()

    # ------------------------------------------------------------------ session facts
    @property
    def session_token(self) -> str | None:
        return str(self._session["session_token"]) if self._session else None

    @property
    def idle_logout_s(self) -> int:
        return self._idle_s

    # ------------------------------------------------------------------ log-in
    @Slot(str, str)
    def submit(self, operator_id: str, pin: str) -> None:
        """Log in with the card or finger already read, else with the typed operator id."""
        if self._busy or self._session is not None:
            return
        pin = pin.strip()
        operator_id = operator_id.strip()
        if self._credential == "none" and not operator_id:
            self._say(both(N_("Type your operator ID, or present your staff card.")))
            return
        if not pin:
            self._say(both(N_("Please type your PIN.")))
            return
        kwargs: dict[str, Any]
        if self._credential == "card":
            kwargs = {"card_id": self._card_id}
        elif self._credential == "finger":
            kwargs = {"finger_slot": self._finger_slot}
        else:
            kwargs = {"operator_id": operator_id}
        client, counter = self._link.client, self._shell.counter
        self._set_busy(True)
        self._say({})
        self._link.actions.submit(lambda: dict(client.login(counter, pin, **kwargs)),
                                  self._logged_in, self._login_refused)

    def _logged_in(self, session: dict[str, Any]) -> None:
        self._set_busy(False)
        if self._closed:
            return
        self._session = session
        self._clear_credential()
        server_idle = session.get("idle_logout_s")
        self._idle_s = self._idle_override or (int(server_idle) if server_idle else
                                               DEFAULT_IDLE_LOGOUT_S)
        operator = session.get("operator") or {}
        log.info("operator %s logged in at counter %s", operator.get("id"), self._shell.counter)
        self.noteActivity()
        self._idle_timer.start()
        self.changed.emit()
        self.sessionStarted.emit(session)

    def _login_refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        if self._closed:
            return
        self._say(problem_text(exc, "operator log-in", log))

    @Slot()
    def logout(self) -> None:
        """The operator's own log-out (closes the counter at the centre)."""
        self.end_session(None)

    def end_session(self, message: Bilingual | None, *, tell_centre: bool = True,
                    reason: str = "operator") -> None:
        """Back to the log-in screen with ``message``; the centre is told off-thread (with
        ``reason``, operator or idle, for its audit trail)."""
        session, self._session = self._session, None
        if session is None:
            return
        self._idle_timer.stop()
        self._remaining = self._idle_s
        self.idleChanged.emit()
        self._say(message or {})
        if tell_centre:
            client, token = self._link.client, str(session["session_token"])
            self._link.actions.submit(lambda: client.logout(token, reason), lambda _r: None,
                                      lambda exc: log.info("log-out not confirmed: %s",
                                                           getattr(exc, "detail", exc)))
        self.changed.emit()
        self.sessionEnded.emit()

    # ------------------------------------------------------------------ staff card
    def _attach_card_reader(self) -> None:
        manager = self._manager
        dev = manager.device("card_reader") if manager is not None else None
        if dev is self._card_device:
            return
        if self._remove_card is not None:
            self._remove_card()
            self._remove_card = None
        self._card_device = dev
        if dev is not None and hasattr(dev, "add_card_listener"):
            def on_card(event: Any) -> None:
                if event.present:
                    self._cardPosted.emit(str(event.card_id))

            self._remove_card = dev.add_card_listener(on_card)
        self.changed.emit()

    @Slot(str)
    def _on_card(self, card_id: str) -> None:
        if self._closed or self._session is not None or self._busy:
            return
        log.info("staff card presented at counter %s", self._shell.counter)
        self._credential = "card"
        self._card_id = card_id
        self._finger_slot = None
        self._say(both(N_("Card read. Now type your PIN.")), "info")
        self.changed.emit()

    @Slot()
    def presentTestCard(self) -> None:
        """Lay the test card on the simulated reader (shown only while it is simulated)."""
        if not self._shell.cardSimulated:
            return
        from kiosk.devices.sim import sim_registry

        self._attach_card_reader()
        sim_registry.simulator("card_reader").present(SIM_CARD_ID)
        self._remove_test_card.start()

    def _lift_test_card(self) -> None:
        from kiosk.devices.sim import sim_registry

        sim_registry.simulator("card_reader").remove()

    # ------------------------------------------------------------------ fingerprint
    @Slot()
    def scanFinger(self) -> None:
        """Capture on the counter's module and search its library, on the device's worker."""
        if self._scanning or self._busy or self._session is not None:
            return
        manager = self._manager
        if manager is None or not manager.enabled("fingerprint"):
            self._say(both(N_("The fingerprint scanner is not ready. Use your card or ID.")))
            return
        self._scanning = True
        self._say(both(N_("Place your finger on the scanner.")), "info")
        self.changed.emit()
        fut: Future[Any] = manager.submit("fingerprint", _identify)
        fut.add_done_callback(self._fingerPosted.emit)

    @Slot()
    def placeTestFinger(self) -> None:
        """Put the enrolled test finger on the simulated module, then scan it."""
        if not self._shell.fingerSimulated:
            return
        from kiosk.devices.sim import sim_registry

        sim_registry.simulator("fingerprint").sim.place_finger(SIM_FINGER_SLOT)
        self.scanFinger()

    @Slot(object)
    def _on_finger(self, fut: object) -> None:
        self._scanning = False
        if self._shell.fingerSimulated:
            from kiosk.devices.sim import sim_registry

            sim_registry.simulator("fingerprint").sim.remove_finger()
        if self._closed or self._session is not None:
            return
        assert isinstance(fut, Future)
        try:
            slot = fut.result()
        except Exception as exc:
            from kiosk.devices.fingerprint_uart import FingerTimeoutError

            if isinstance(exc, FingerTimeoutError):
                self._say(both(N_("No finger was placed on the scanner. Please try again.")))
            else:
                log.warning("fingerprint log-in capture failed: %s",
                            getattr(exc, "detail", exc))
                self._say(both(N_("The fingerprint scanner is not ready. Use your card or "
                                  "ID.")))
            self.changed.emit()
            return
        if slot is None:
            self._say(both(N_("This finger is not registered on this counter.")))
            self.changed.emit()
            return
        self._credential = "finger"
        self._finger_slot = int(slot)
        self._card_id = ""
        self._say(both(N_("Finger recognised. Now type your PIN.")), "info")
        self.changed.emit()

    @Slot()
    def clearCredential(self) -> None:
        """Forget the card or finger read (the operator wants to type an ID instead)."""
        self._clear_credential()
        self._say({})
        self.changed.emit()

    def _clear_credential(self) -> None:
        self._credential = "none"
        self._card_id = ""
        self._finger_slot = None

    # ------------------------------------------------------------------ idle log-out
    @Slot()
    def noteActivity(self) -> None:
        """A key press or click: the idle clock starts again."""
        self._last_activity = time.monotonic()
        if self._remaining != self._idle_s:
            self._remaining = self._idle_s
            self.idleChanged.emit()

    def _tick(self) -> None:
        if self._session is None:
            return
        left = self._idle_s - int(time.monotonic() - self._last_activity)
        if left != self._remaining:
            self._remaining = max(0, left)
            self.idleChanged.emit()
        if left <= 0:
            minutes = max(1, round(self._idle_s / 60))
            self.end_session(both(N_("Logged out after {minutes} min without activity."),
                                  minutes=minutes), reason="idle")

    # ------------------------------------------------------------------ plumbing
    def _say(self, message: Bilingual, kind: str = "error") -> None:
        self._message = message
        self._message_kind = kind
        self.messageChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.changed.emit()

    def shutdown(self) -> None:
        """Stop timers and listening; cancel a capture (the app is closing)."""
        self._closed = True
        self._idle_timer.stop()
        self._attach_timer.stop()
        self._remove_test_card.stop()
        if self._remove_card is not None:
            self._remove_card()
            self._remove_card = None
        if self._scanning and self._manager is not None:
            cancel = getattr(self._manager.device("fingerprint"), "cancel", None)
            if callable(cancel):
                cancel()

    # ------------------------------------------------------------------ QML
    def _get_logged_in(self) -> bool:
        return self._session is not None

    def _get_busy(self) -> bool:
        return self._busy or self._scanning

    def _operator(self) -> dict[str, Any]:
        return dict((self._session or {}).get("operator") or {})

    def _get_operator_name(self) -> str:
        return str(self._operator().get("name") or "")

    def _get_operator_id(self) -> str:
        return str(self._operator().get("id") or "")

    def _get_role(self) -> str:
        return str(self._operator().get("role") or "")

    def _get_card_reader_ready(self) -> bool:
        return self._remove_card is not None

    def _get_credential(self) -> str:
        return self._credential

    def _get_credential_text(self) -> str:
        if self._credential == "card":
            return f"•••• {self._card_id[-4:]}"
        if self._credential == "finger":
            return f"#{self._finger_slot}"
        return ""

    def _get_message(self) -> str:
        return self._message.get(self._shell.language(), "")

    def _get_message_other(self) -> str:
        return self._message.get(self._shell.other_language(), "")

    def _get_message_kind(self) -> str:
        return self._message_kind

    def _get_idle_remaining(self) -> int:
        return self._remaining

    def _get_countdown_visible(self) -> bool:
        return self._session is not None and self._remaining <= min(self._countdown_s,
                                                                    self._idle_s)

    loggedIn = Property(bool, _get_logged_in, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    operatorName = Property(str, _get_operator_name, notify=changed)
    operatorId = Property(str, _get_operator_id, notify=changed)
    role = Property(str, _get_role, notify=changed)
    cardReaderReady = Property(bool, _get_card_reader_ready, notify=changed)
    credential = Property(str, _get_credential, notify=changed)
    credentialText = Property(str, _get_credential_text, notify=changed)
    message = Property(str, _get_message, notify=messageChanged)
    messageOther = Property(str, _get_message_other, notify=messageChanged)
    messageKind = Property(str, _get_message_kind, notify=messageChanged)
    idleRemaining = Property(int, _get_idle_remaining, notify=idleChanged)
    countdownVisible = Property(bool, _get_countdown_visible, notify=idleChanged)


def _identify(device: object) -> int | None:
    """On the fingerprint worker: capture (in one-second slices, so a close stops it soon),
    make a template, search the module's own library. Returns the slot or None."""
    from kiosk.devices.fingerprint_uart import FingerprintReader, FingerTimeoutError
    from kiosk.errors import DeviceError

    if not isinstance(device, FingerprintReader) or not device.is_open:
        raise DeviceError("fingerprint scanner is not open")
    deadline = time.monotonic() + FINGER_TIMEOUT_S
    while True:
        try:
            device.capture(1, min(1.0, max(0.1, deadline - time.monotonic())))
            break
        except FingerTimeoutError:
            if time.monotonic() >= deadline:
                raise
    found = device.search(1)
    return found.page if found is not None else None


__all__ = ["SIM_CARD_ID", "SIM_FINGER_SLOT", "LoginViewModel"]
